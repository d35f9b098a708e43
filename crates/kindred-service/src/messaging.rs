//! service::messaging — one-to-one and group conversations.
//!
//! **The gate**: `conversation_access` is the only way to a conversation
//! by id. A conversation exists for a caller only while they are in it
//! (active, or the recipient of a request); a group's chat only while they
//! are a member of the group (`group_access`). Anyone else — staff and
//! admins included — gets `NotFound`, exactly as for an id never used.
//!
//! **Who may start a conversation** is `kindred_domain::messaging::may_start`
//! (the association's policy and role rules); a member the caller may not
//! see (`disclosure::sight` is `Nothing`: blocked either way, not active,
//! unknown) is `NotFound`. A request (one recipient, the first message
//! only) waits for the recipient; the sender cannot write more until it is
//! accepted, and a decline changes nothing the sender can observe: their
//! view stays "request", further messages are refused with the same 409 as
//! while it is pending. In a one-to-one conversation a block (either way)
//! ends writing for both with 403 `messaging_not_allowed` (the word
//! "blocked" is never said; a contact removed or the policy changed answer
//! the same at the start of a conversation). In a group's chat and a
//! conversation of more than two, a block does not stop writing (the others
//! still talk), but neither of the two sees the other's messages
//! (`conversation_messages`), except in an alias group's chat, where hiding
//! an alias's messages from one reader would tell whose alias it is. Neither
//! can start a conversation with the other: the other does not exist for
//! them (`sight_of`); conversations gain no members after their start.
//!
//! **Sealed at rest**: every conversation has a random 256-bit key, stored
//! sealed under the association key (`crypto::ConversationKey`); bodies and
//! attachments are sealed under it, bound to association, conversation and
//! item. The store never sees clear text; deleting the key row makes the
//! conversation unreadable for good.
//!
//! **Leaving**: the leaver's row becomes `left`; the conversation is then
//! `NotFound` for them (nothing new reaches them, old messages neither).
//! A member who declined a request is treated the same.

use crate::crypto::{ConversationKey, CryptoError};
use crate::cursor::CursorList;
use crate::groups::GroupError;
use crate::members::{caller_party, party, MemberError};
use crate::photos::PhotoError;
use crate::sessions::Caller;
use crate::{Association, Kindred};
use chrono::{DateTime, Utc};
use data_encoding::BASE64URL_NOPAD;
use image::ImageFormat;
use kindred_domain::disclosure::{self, Relation};
use kindred_domain::messaging::{may_start, other_members, Between, Decision, Disappearing, MessageBody};
use kindred_domain::{markdown, AccountRole, AttachmentId, ConversationId, Level, MemberId, MessageId};
use kindred_store::{
    Added, ConversationRecord, MessageRecord, NewConversation, NewLiveEvent, NewMessage, PairConversation,
    RecipientRecord, StoreError,
};
use std::collections::HashMap;
use std::sync::Arc;

/// Messages per page, newest first.
pub const PAGE_SIZE: usize = 50;
/// Conversations per page of the list.
pub const LIST_SIZE: usize = 30;
/// Most attachments one message may carry.
pub const MAX_ATTACHMENTS: usize = 10;
/// Largest attachment upload, in bytes (images and PDFs alike).
pub const MAX_ATTACHMENT: usize = 8 * 1024 * 1024;
/// Longest side of an image attachment after re-encoding.
pub const ATTACHMENT_SIDE: u32 = 1600;

/// What bodies and files are sealed as, under the conversation key.
pub const BODY: &str = "message-body";
const FILE: &str = "attachment";

#[derive(Debug, thiserror::Error)]
pub enum MessagingError {
    /// No such conversation, message or member — or one the caller may not know of.
    #[error("not found")]
    NotFound,
    /// The association's rules do not let the caller write to this member here.
    #[error("messaging is not allowed here")]
    NotAllowed,
    /// Not the caller's own message, or not the caller's to do.
    #[error("not allowed")]
    Forbidden,
    /// A request waits for its recipient (or was declined: the sender is not told).
    #[error("the conversation is a request that has not been accepted")]
    RequestPending,
    /// Accept or decline without a request to answer.
    #[error("there is no request to answer")]
    NoRequest,
    /// Leaving a group's chat: leave the group instead.
    #[error("a group's chat is left by leaving the group")]
    GroupChat,
    #[error("some fields are invalid")]
    Invalid(Vec<(&'static str, String)>),
    #[error("the attachment is larger than 8 MB")]
    TooLarge,
    #[error("only JPEG, PNG, WebP images and PDF files can be attached")]
    UnsupportedType,
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<MemberError> for MessagingError {
    fn from(error: MemberError) -> Self {
        match error {
            MemberError::Store(e) => Self::Store(e),
            MemberError::Crypto(e) => Self::Crypto(e),
            _ => Self::NotFound,
        }
    }
}

impl From<GroupError> for MessagingError {
    fn from(error: GroupError) -> Self {
        match error {
            GroupError::Store(e) => Self::Store(e),
            GroupError::NotFound | GroupError::Forbidden => Self::NotFound,
        }
    }
}

/// How a conversation stands for the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConversationStatus {
    Active,
    /// A request: sent by the caller and not (visibly) answered, or
    /// received by the caller and not yet accepted.
    Request,
}

impl ConversationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Request => "request",
        }
    }
}

/// A conversation the caller is in.
#[derive(Debug, Clone)]
pub struct SeenConversation {
    pub id: ConversationId,
    pub record: ConversationRecord,
    /// The group whose chat this is.
    pub group_id: Option<String>,
    pub group_name: Option<String>,
    /// In an alias group's chat members appear by alias only.
    pub alias_mode: bool,
    pub status: ConversationStatus,
    /// The caller received this request and has not answered it.
    pub request_for_me: bool,
}

/// A member of a conversation as the caller may see them: the pseudonym
/// only where `disclosure::sight` lets them see the member at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownMember {
    pub member_id: String,
    pub pseudonym: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ConversationSummary {
    pub id: String,
    pub members: Vec<ShownMember>,
    pub status: ConversationStatus,
    pub unread_count: i64,
    pub last_message_at: DateTime<Utc>,
    pub group_id: Option<String>,
    pub group_name: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ConversationPage {
    pub conversations: Vec<ConversationSummary>,
    pub next_cursor: Option<String>,
}

/// What a system message says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SystemEvent {
    /// The disappearing time was set (seconds) or turned off.
    Disappearing(Option<i64>),
}

#[derive(Debug, Clone)]
pub struct AttachmentView {
    pub id: String,
    pub content_type: String,
    pub size: i64,
}

/// A message as the caller sees it.
#[derive(Debug, Clone)]
pub struct MessageView {
    pub id: String,
    /// The sender's id; absent in an alias group's chat.
    pub sender_id: Option<String>,
    /// The sender's alias in an alias group's chat.
    pub sender_alias: Option<String>,
    pub own: bool,
    /// text, system or deleted.
    pub kind: &'static str,
    /// The text as written (Markdown); `None` when deleted, a system
    /// message, or unreadable (the conversation's key is gone).
    pub body: Option<String>,
    /// The text rendered by the forum's safe Markdown.
    pub body_html: Option<String>,
    pub system: Option<SystemEvent>,
    pub sent_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    pub attachments: Vec<AttachmentView>,
}

#[derive(Debug, Clone)]
pub struct MessagePage {
    pub conversation: SeenConversation,
    pub members: Vec<ShownMember>,
    /// Newest first.
    pub messages: Vec<MessageView>,
    pub next_before: Option<String>,
}

/// A conversation just started.
#[derive(Debug, Clone)]
pub struct Started {
    pub conversation_id: String,
    pub status: ConversationStatus,
}

fn invalid(field: &'static str, problem: &str) -> MessagingError {
    MessagingError::Invalid(vec![(field, problem.to_owned())])
}

fn body_of(raw: &str, field: &'static str) -> Result<MessageBody, MessagingError> {
    MessageBody::parse(raw).map_err(|p| invalid(field, p.message()))
}

/// The text of a system message (sealed like any body).
fn system_text(event: SystemEvent) -> String {
    match event {
        SystemEvent::Disappearing(Some(s)) => format!("disappearing:{s}"),
        SystemEvent::Disappearing(None) => "disappearing:off".to_owned(),
    }
}

fn parse_system(text: &str) -> Option<SystemEvent> {
    let rest = text.strip_prefix("disappearing:")?;
    if rest == "off" {
        Some(SystemEvent::Disappearing(None))
    } else {
        rest.parse().ok().map(|s| SystemEvent::Disappearing(Some(s)))
    }
}

fn render(body: &str) -> String {
    // Mentions are not resolved in messages: a name stays text.
    markdown::render(body, &|_| None).html
}

/// What a file is, from its declared type and its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Upload {
    /// An image of the declared format, with its name for a problem.
    Image(ImageFormat, &'static str),
    Pdf,
}

fn classify(content_type: &str) -> Option<Upload> {
    let essence = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    match essence.as_str() {
        "image/jpeg" => Some(Upload::Image(ImageFormat::Jpeg, "JPEG")),
        "image/png" => Some(Upload::Image(ImageFormat::Png, "PNG")),
        "image/webp" => Some(Upload::Image(ImageFormat::WebP, "WebP")),
        "application/pdf" => Some(Upload::Pdf),
        _ => None,
    }
}

impl Kindred {
    /// The conversation as the caller may see it; `NotFound` for an
    /// unknown id and for any conversation the caller is not in.
    pub async fn conversation_access(
        &self,
        association: &Association,
        caller: &Caller,
        raw_id: &str,
    ) -> Result<SeenConversation, MessagingError> {
        let mut seen = self.conversation_access_all(association, &[caller], raw_id).await?;
        seen.pop().unwrap_or(Err(MessagingError::NotFound))
    }

    /// [`Kindred::conversation_access`] for several callers at once (a
    /// live event for the sockets of a node): one answer per caller, in
    /// order, each by the one rule of `seen_conversation` (and, in a
    /// group's chat, of `group_access_all`), in a constant number of reads
    /// whatever their number. A store failure fails them all.
    pub async fn conversation_access_all(
        &self,
        association: &Association,
        callers: &[&Caller],
        raw_id: &str,
    ) -> Result<Vec<Result<SeenConversation, MessagingError>>, MessagingError> {
        let not_found = || callers.iter().map(|_| Err(MessagingError::NotFound)).collect();
        let Some(id) = ConversationId::parse(raw_id) else { return Ok(not_found()) };
        let viewers: Vec<MemberId> = callers.iter().map(|c| c.member.id.clone()).collect();
        let records: HashMap<String, ConversationRecord> =
            self.store.conversation_for_viewers(&association.id, id.as_str(), &viewers).await?.into_iter().collect();
        let Some(group) = records.values().next().map(|r| r.group_id.clone()) else { return Ok(not_found()) };
        let mut groups = match &group {
            Some(group) => Some(self.group_access_all(association, callers, group).await?),
            None => None,
        };
        let mut seen = Vec::with_capacity(callers.len());
        for (i, caller) in callers.iter().enumerate() {
            let Some(record) = records.get(caller.member.id.as_str()).cloned() else {
                seen.push(Err(MessagingError::NotFound));
                continue;
            };
            let in_group = groups.as_mut().map(|g| std::mem::replace(&mut g[i], Err(GroupError::NotFound)));
            let decided = seen_conversation(id.clone(), record, in_group);
            if let Ok(conversation) = &decided {
                if conversation.group_id.is_some() && conversation.record.my_status.is_none() {
                    self.store
                        .ensure_conversation_member(&association.id, id.as_str(), &caller.member.id, self.clock.now())
                        .await?;
                }
            }
            seen.push(decided);
        }
        Ok(seen)
    }

    pub(crate) async fn conversation_key(
        &self,
        association: &Association,
        conversation: &str,
    ) -> Result<Option<ConversationKey>, MessagingError> {
        let Some(sealed) = self.store.conversation_key(&association.id, conversation).await? else { return Ok(None) };
        let key = self.keys.association(&association.id)?;
        Ok(Some(ConversationKey::unwrap(&key, conversation, &sealed)?))
    }

    /// The key, for writing: a conversation whose key was deleted takes no
    /// more messages (they could never be read).
    async fn writing_key(
        &self,
        association: &Association,
        conversation: &str,
    ) -> Result<ConversationKey, MessagingError> {
        self.conversation_key(association, conversation).await?.ok_or(MessagingError::Forbidden)
    }

    /// Whether a member may start a conversation with `other` (who the
    /// caller sees): the association's policy, role rules and relation.
    async fn decision_for(
        &self,
        association: &Association,
        caller: &Caller,
        other: &MemberId,
        other_role: &str,
        contact: bool,
    ) -> Result<Decision, MessagingError> {
        let between = if contact {
            Between::Contact
        } else if self.store.share_a_group(&association.id, &caller.member.id, other).await? {
            Between::SharedGroup
        } else {
            Between::Stranger
        };
        let policies = &association.settings.policies;
        Ok(may_start(
            policies.messaging,
            &policies.messaging_rules,
            caller.member.role,
            AccountRole::parse(other_role).unwrap_or(AccountRole::Member),
            between,
        ))
    }

    /// Whether the caller may start a conversation with this member (for
    /// the "Message" button on a member's page): the same decision as
    /// [`Kindred::start_conversation`] makes.
    pub async fn may_message(
        &self,
        association: &Association,
        caller: &Caller,
        raw_id: &str,
    ) -> Result<Decision, MessagingError> {
        if raw_id == caller.member.id.as_str() {
            return Ok(Decision::Forbidden);
        }
        let (id, record, _sight, relation) = self.sight_of(association, caller, raw_id).await?;
        let contact = relation.granted_by_viewer.is_some() || relation.granted_to_viewer.is_some();
        self.decision_for(association, caller, &id, &record.role, contact).await
    }

    /// Starts a conversation with `members` (ids; the caller is added) and
    /// its first message. With one other member who already has a
    /// one-to-one conversation with the caller, the message goes there.
    pub async fn start_conversation(
        &self,
        association: &Association,
        caller: &Caller,
        members: &[String],
        message: &str,
    ) -> Result<Started, MessagingError> {
        let mut problems = Vec::new();
        let body = MessageBody::parse(message).map_err(|p| problems.push(("message", p.message().to_owned()))).ok();
        let others = other_members(caller.member.id.as_str(), members)
            .map_err(|p| problems.push(("members", p.message().to_owned())))
            .ok();
        let (Some(body), Some(others)) = (body, others) else { return Err(MessagingError::Invalid(problems)) };
        // Every member must exist for the caller before anything else is said.
        let mut seen = Vec::with_capacity(others.len());
        for raw in &others {
            let (id, record, _sight, relation) = self.sight_of(association, caller, raw).await?;
            let contact = relation.granted_by_viewer.is_some() || relation.granted_to_viewer.is_some();
            seen.push((id, record.role, contact));
        }
        let mut decisions = Vec::with_capacity(seen.len());
        for (id, role, contact) in &seen {
            decisions.push(self.decision_for(association, caller, id, role, *contact).await?);
        }
        let decision = decisions.iter().copied().min().unwrap_or(Decision::Forbidden);
        // A request goes to one person: a group conversation starts only
        // with members the caller may write to directly.
        let status = match (decision, seen.len()) {
            (Decision::Direct, _) => ConversationStatus::Active,
            (Decision::Request, 1) => ConversationStatus::Request,
            _ => return Err(MessagingError::NotAllowed),
        };
        if let [(other, _, _)] = seen.as_slice() {
            if let Some(pair) = self.store.one_to_one(&association.id, &caller.member.id, other).await? {
                return self.start_in_pair(association, caller, pair, body.as_str()).await;
            }
        }
        let id = ConversationId::random();
        let key = ConversationKey::random(&association.id, id.as_str())?;
        let sealed_key = key.wrap(&self.keys.association(&association.id)?)?;
        let mut rows = vec![(caller.member.id.as_str(), "active")];
        let recipient_status = if status == ConversationStatus::Request { "request" } else { "active" };
        rows.extend(seen.iter().map(|(id, _, _)| (id.as_str(), recipient_status)));
        let now = self.clock.now();
        let made = self
            .store
            .create_conversation(&NewConversation {
                association: &association.id,
                id: id.as_str(),
                group_id: None,
                state: status.as_str(),
                created_by: &caller.member.id,
                sealed_key: &sealed_key,
                members: rows,
                now,
            })
            .await?;
        if made != id.as_str() {
            // The two's conversation was made meanwhile (starts sent at the
            // same moment): answered as if it had been found above.
            if let [(other, _, _)] = seen.as_slice() {
                if let Some(pair) = self.store.one_to_one(&association.id, &caller.member.id, other).await? {
                    return self.start_in_pair(association, caller, pair, body.as_str()).await;
                }
            }
            return Err(MessagingError::NotFound);
        }
        self.add_sealed(association, caller, &id, &key, "text", body.as_str(), &[], None).await?;
        Ok(Started { conversation_id: id.to_string(), status })
    }

    /// A start between two who have their one-to-one conversation already
    /// (the database keeps one per pair: `store::one_to_one`): the message
    /// is added to it. The caller's own request still waiting is 409
    /// `request_pending`, as for any message in it. A request the caller
    /// received there — open, or declined (the sender was never told) —
    /// is taken up by writing back: accepted, and the message added.
    async fn start_in_pair(
        &self,
        association: &Association,
        caller: &Caller,
        pair: PairConversation,
        body: &str,
    ) -> Result<Started, MessagingError> {
        if pair.status == "active" && pair.state == "request" {
            return Err(MessagingError::RequestPending);
        }
        if pair.status != "active" {
            self.store
                .set_conversation_status(
                    &association.id,
                    &pair.id,
                    &caller.member.id,
                    &["request", "declined"],
                    "active",
                )
                .await?;
        }
        self.send_message(association, caller, &pair.id, body, &[]).await?;
        Ok(Started { conversation_id: pair.id, status: ConversationStatus::Active })
    }

    /// Seals and adds one message; mails the others (once until they read).
    #[allow(clippy::too_many_arguments)]
    async fn add_sealed(
        &self,
        association: &Association,
        caller: &Caller,
        conversation: &ConversationId,
        key: &ConversationKey,
        kind: &str,
        text: &str,
        attachments: &[String],
        set_disappearing: Option<Option<i64>>,
    ) -> Result<MessageId, MessagingError> {
        let id = MessageId::random();
        let sealed = key.seal(id.as_str(), BODY, text.as_bytes())?;
        let added = self
            .store
            .add_message(&NewMessage {
                association: &association.id,
                conversation: conversation.as_str(),
                id: id.as_str(),
                sender: &caller.member.id,
                kind,
                sealed_body: &sealed,
                now: self.clock.now(),
                attachments,
                set_disappearing,
            })
            .await?;
        match added {
            Added::Done(_) => {}
            Added::UnknownAttachment => return Err(invalid("attachments", "names a file you did not upload here")),
            Added::NoConversation => return Err(MessagingError::NotFound),
        }
        // The members are read once for the mail and the live events.
        let recipients = self.store.conversation_recipients(&association.id, conversation.as_str()).await?;
        if kind == "text" {
            self.mail_new_message(association, caller, conversation.as_str(), &recipients).await?;
        }
        self.publish_to_recipients(association, conversation.as_str(), "message", id.as_str(), &recipients).await;
        Ok(id)
    }

    /// Live events (`service::live`) for everyone in the conversation
    /// (the writer's other devices too). Someone who received a request
    /// and has not answered it gets `conversation_request` for its first
    /// message. Who may see it is decided again when it is sent.
    async fn publish_to_conversation(
        &self,
        association: &Association,
        conversation: &str,
        kind: &'static str,
        subject: &str,
    ) {
        match self.store.conversation_recipients(&association.id, conversation).await {
            Ok(rows) => self.publish_to_recipients(association, conversation, kind, subject, &rows).await,
            Err(error) => tracing::warn!(%error, "live events not published"),
        }
    }

    /// [`Kindred::publish_to_conversation`] with its members read already.
    async fn publish_to_recipients(
        &self,
        association: &Association,
        conversation: &str,
        kind: &'static str,
        subject: &str,
        rows: &[RecipientRecord],
    ) {
        let events: Vec<NewLiveEvent<'_>> = rows
            .iter()
            .filter(|r| matches!(r.status.as_str(), "active" | "request") && r.member_status == "active")
            .map(|r| NewLiveEvent {
                member: &r.member_id,
                kind: if r.status == "request" && kind == "message" { "conversation_request" } else { kind },
                conversation: Some(conversation),
                subject: Some(subject),
            })
            .collect();
        self.publish_live(association, &events).await;
    }

    /// A message as `caller` may see it now, for a live event: `None`
    /// when the conversation is closed to them (left, not a member of the
    /// group), the message is gone, or a block stands between them and its
    /// writer (except in an alias group's chat: `conversation_messages`).
    pub async fn live_message(
        &self,
        association: &Association,
        caller: &Caller,
        raw_conversation: &str,
        raw_message: &str,
    ) -> Result<Option<Arc<MessageView>>, MessagingError> {
        let mut views = self.live_messages(association, &[caller], raw_conversation, raw_message).await?;
        Ok(views.pop().flatten())
    }

    /// [`Kindred::live_message`] for several callers at once (the sockets
    /// of a node): one answer per caller, in order. The gate is
    /// `conversation_access_all`; the message, its files, the writer's
    /// alias and blocks are read once, the body opened at most twice (the
    /// writer's own view and everyone else's, which differ only in `own`
    /// and are shared).
    pub async fn live_messages(
        &self,
        association: &Association,
        callers: &[&Caller],
        raw_conversation: &str,
        raw_message: &str,
    ) -> Result<Vec<Option<Arc<MessageView>>>, MessagingError> {
        let nothing = || callers.iter().map(|_| None).collect();
        let access = self.conversation_access_all(association, callers, raw_conversation).await?;
        let Some(seen) = access.iter().find_map(|a| a.as_ref().ok()) else { return Ok(nothing()) };
        let conversation = seen.id.as_str();
        let Some(row) = self.store.message(&association.id, conversation, raw_message, self.clock.now()).await? else {
            return Ok(nothing());
        };
        // A block either way between a reader and the writer hides the
        // message from that reader, as on the conversation's page — except
        // in an alias group's chat, where an alias falling silent for one
        // reader would tell whose alias it is.
        let blocked = if !seen.alias_mode {
            let writer = MemberId::from_trusted(row.sender_id.clone());
            self.store.blocked_either_way(&association.id, &writer).await?
        } else {
            Vec::new()
        };
        let sender_alias = match (&seen.group_id, seen.alias_mode) {
            (Some(group), true) => self.store.alias_of(&association.id, group, &row.sender_id).await?,
            _ => None,
        };
        let alias_mode = seen.alias_mode;
        let files: Vec<AttachmentView> = self
            .store
            .attachments_between(&association.id, conversation, row.seq, row.seq)
            .await?
            .into_iter()
            .filter(|a| a.message_id == row.id)
            .map(|a| AttachmentView { id: a.id, content_type: a.content_type, size: a.size })
            .collect();
        let key = self.conversation_key(association, conversation).await?;
        let (mut writers, mut readers): (Option<Arc<MessageView>>, Option<Arc<MessageView>>) = (None, None);
        let mut views = Vec::with_capacity(callers.len());
        for (caller, access) in callers.iter().zip(access) {
            let me = caller.member.id.as_str();
            if access.is_err() || blocked.iter().any(|b| b.as_str() == me) {
                views.push(None);
                continue;
            }
            let shared = if row.sender_id == me { &mut writers } else { &mut readers };
            let view = match shared {
                Some(view) => view.clone(),
                None => {
                    let view = message_view(
                        row.clone(),
                        key.as_ref(),
                        caller,
                        alias_mode,
                        sender_alias.clone(),
                        files.clone(),
                    )?;
                    shared.insert(Arc::new(view)).clone()
                }
            };
            views.push(Some(view));
        }
        Ok(views)
    }

    /// A `message` notification to every other member, at most one per
    /// conversation until they read it (a request has its own
    /// `message_request` notification already). Whether and when it is
    /// mailed is decided by service::mail_delivery; the mail says nothing
    /// of who wrote or what.
    async fn mail_new_message(
        &self,
        association: &Association,
        caller: &Caller,
        conversation: &str,
        rows: &[RecipientRecord],
    ) -> Result<(), MessagingError> {
        let mut written = Vec::new();
        for row in rows {
            if row.member_id == caller.member.id.as_str()
                || row.mailed
                || !matches!(row.status.as_str(), "active" | "request")
                || row.member_status != "active"
            {
                continue;
            }
            let id = kindred_domain::NotificationId::random();
            let notice = (row.status == "active").then(|| (id.as_str(), self.clock.now()));
            if self.store.claim_message_mail(&association.id, conversation, &row.member_id, notice).await?
                && notice.is_some()
            {
                written.push(id.to_string());
            }
        }
        self.kick_mails(association, written);
        Ok(())
    }

    /// The members of a conversation as the caller may see them (a group's
    /// chat lists nobody: the group's page does, by its own rules).
    async fn shown_members(
        &self,
        association: &Association,
        caller: &Caller,
        rows: &[kindred_store::ConversationMemberRecord],
    ) -> Result<Vec<ShownMember>, MessagingError> {
        let mut shown = Vec::new();
        for row in rows {
            // A declined request looks pending to everyone else.
            if !matches!(row.status.as_str(), "active" | "request" | "declined") {
                continue;
            }
            let id = MemberId::from_trusted(row.member_id.clone());
            let relation = if id == caller.member.id {
                Relation::default()
            } else {
                let r = self.store.relation(&association.id, &caller.member.id, &id).await?;
                Relation {
                    granted_to_viewer: r.granted_to_viewer.and_then(|l| Level::from_number(i64::from(l))),
                    blocked: r.blocked,
                }
            };
            let sight = disclosure::sight(&caller_party(caller), &party(&id, &row.role, &row.member_status), relation);
            shown.push(ShownMember {
                member_id: row.member_id.clone(),
                pseudonym: sight.exists().then(|| row.pseudonym.clone()),
            });
        }
        Ok(shown)
    }

    /// The caller's conversations, most recent first.
    pub async fn conversations(
        &self,
        association: &Association,
        caller: &Caller,
        cursor: Option<&str>,
    ) -> Result<ConversationPage, MessagingError> {
        let after = match cursor {
            None => None,
            Some(raw) => Some(
                self.open_cursor(association, CursorList::Conversations, raw)
                    .and_then(|payload| decode_cursor(&payload))
                    .ok_or_else(|| invalid("cursor", "is not a cursor of this list"))?,
            ),
        };
        let limit = i64::try_from(LIST_SIZE + 1).unwrap_or(31);
        let mut rows =
            self.store.conversations_of(&association.id, &caller.member.id, after, limit, self.clock.now()).await?;
        let more = rows.len() > LIST_SIZE;
        rows.truncate(LIST_SIZE);
        let next_cursor = if more {
            rows.last().and_then(|r| {
                self.seal_cursor(association, CursorList::Conversations, &encode_cursor(r.last_message_at, &r.id))
            })
        } else {
            None
        };
        let direct: Vec<String> = rows.iter().filter(|r| r.group_id.is_none()).map(|r| r.id.clone()).collect();
        let members = self.store.conversation_members(&association.id, &direct).await?;
        let mut conversations = Vec::with_capacity(rows.len());
        for row in rows {
            let mine: Vec<_> = members.iter().filter(|m| m.conversation_id == row.id).cloned().collect();
            let status = if row.state == "request" || row.my_status == "request" {
                ConversationStatus::Request
            } else {
                ConversationStatus::Active
            };
            let group_name = match &row.group_id {
                Some(group) => self.store.group_name(&association.id, group).await?,
                None => None,
            };
            conversations.push(ConversationSummary {
                members: self.shown_members(association, caller, &mine).await?,
                id: row.id,
                status,
                unread_count: row.unread_count,
                last_message_at: row.last_message_at,
                group_id: row.group_id,
                group_name,
            });
        }
        Ok(ConversationPage { conversations, next_cursor })
    }

    /// Unread messages in all the caller's conversations.
    pub async fn unread_messages(&self, association: &Association, caller: &Caller) -> Result<i64, MessagingError> {
        Ok(self.store.unread_messages(&association.id, &caller.member.id, self.clock.now()).await?)
    }

    /// A page of messages, newest first, before the message `before`.
    pub async fn conversation_messages(
        &self,
        association: &Association,
        caller: &Caller,
        raw_id: &str,
        before: Option<&str>,
    ) -> Result<MessagePage, MessagingError> {
        let seen = self.conversation_access(association, caller, raw_id).await?;
        let conversation = seen.id.as_str();
        let before_seq = match before {
            None => None,
            Some(raw) => Some(
                self.store
                    .message(&association.id, conversation, raw, self.clock.now())
                    .await?
                    .ok_or_else(|| invalid("before", "is not a message of this conversation"))?
                    .seq,
            ),
        };
        let limit = i64::try_from(PAGE_SIZE + 1).unwrap_or(51);
        let mut rows =
            self.store.messages_page(&association.id, conversation, before_seq, limit, self.clock.now()).await?;
        let more = rows.len() > PAGE_SIZE;
        rows.truncate(PAGE_SIZE);
        let next_before = if more { rows.last().map(|m| m.id.clone()) } else { None };
        // Blocks in a conversation of more than two: the messages of a
        // member blocked either way are not shown (the disclosure rule: a
        // blocked member cannot see me, nor I them). Not in an alias
        // group's chat: an alias falling silent for exactly one reader
        // would tell that reader whose alias it is. (One-to-one: a block
        // ends writing, `writing_is_cut`; older messages stay.)
        if seen.group_id.is_none() || !seen.alias_mode {
            let blocked = self.store.blocked_either_way(&association.id, &caller.member.id).await?;
            if !blocked.is_empty() {
                let one_to_one = seen.group_id.is_none()
                    && self.store.conversation_members(&association.id, &[conversation.to_owned()]).await?.len() <= 2;
                if !one_to_one {
                    rows.retain(|r| !blocked.contains(&r.sender_id));
                }
            }
        }
        let key = self.conversation_key(association, conversation).await?;
        let attachments = match (rows.last(), rows.first()) {
            (Some(oldest), Some(newest)) => {
                self.store.attachments_between(&association.id, conversation, oldest.seq, newest.seq).await?
            }
            _ => Vec::new(),
        };
        let mut aliases: Vec<(String, Option<String>)> = Vec::new();
        let mut messages = Vec::with_capacity(rows.len());
        for row in rows {
            let sender_alias = match (&seen.group_id, seen.alias_mode) {
                (Some(group), true) => {
                    if let Some((_, alias)) = aliases.iter().find(|(id, _)| *id == row.sender_id) {
                        alias.clone()
                    } else {
                        let alias = self.store.alias_of(&association.id, group, &row.sender_id).await?;
                        aliases.push((row.sender_id.clone(), alias.clone()));
                        alias
                    }
                }
                _ => None,
            };
            let files = attachments
                .iter()
                .filter(|a| a.message_id == row.id)
                .map(|a| AttachmentView { id: a.id.clone(), content_type: a.content_type.clone(), size: a.size })
                .collect();
            messages.push(message_view(row, key.as_ref(), caller, seen.alias_mode, sender_alias, files)?);
        }
        let members = if seen.group_id.is_some() {
            Vec::new()
        } else {
            let rows = self.store.conversation_members(&association.id, &[conversation.to_owned()]).await?;
            self.shown_members(association, caller, &rows).await?
        };
        Ok(MessagePage { conversation: seen, members, messages, next_before })
    }

    /// In a one-to-one conversation, whether a block (either way) or the
    /// other's leaving the association stands between the two.
    pub(crate) async fn writing_is_cut(
        &self,
        association: &Association,
        caller: &Caller,
        seen: &SeenConversation,
    ) -> Result<bool, MessagingError> {
        if seen.group_id.is_some() {
            return Ok(false);
        }
        let rows = self.store.conversation_members(&association.id, &[seen.id.to_string()]).await?;
        let others: Vec<_> =
            rows.iter().filter(|r| r.member_id != caller.member.id.as_str() && r.status != "left").collect();
        if others.len() != 1 {
            return Ok(false);
        }
        let other = MemberId::from_trusted(others[0].member_id.clone());
        Ok(self.store.relation(&association.id, &caller.member.id, &other).await?.blocked)
    }

    /// Sends a message with, optionally, files the caller uploaded here.
    pub async fn send_message(
        &self,
        association: &Association,
        caller: &Caller,
        raw_id: &str,
        body: &str,
        attachments: &[String],
    ) -> Result<MessageId, MessagingError> {
        let seen = self.conversation_access(association, caller, raw_id).await?;
        let body = body_of(body, "body")?;
        if attachments.len() > MAX_ATTACHMENTS {
            return Err(invalid("attachments", "at most 10 files per message"));
        }
        if attachments.iter().any(|a| AttachmentId::parse(a).is_none()) {
            return Err(invalid("attachments", "names a file you did not upload here"));
        }
        if seen.status == ConversationStatus::Request {
            return Err(MessagingError::RequestPending);
        }
        if self.writing_is_cut(association, caller, &seen).await? {
            return Err(MessagingError::NotAllowed);
        }
        let key = self.writing_key(association, seen.id.as_str()).await?;
        self.add_sealed(association, caller, &seen.id, &key, "text", body.as_str(), attachments, None).await
    }

    /// The caller's own message, for editing or deleting. A message
    /// deleted already is gone (`NotFound`), as a deleted post is in the
    /// forum and a block already lifted is: a repeated delete answers 404,
    /// not the 403 of someone else's message.
    async fn own_message(
        &self,
        association: &Association,
        caller: &Caller,
        seen: &SeenConversation,
        raw_message: &str,
    ) -> Result<MessageRecord, MessagingError> {
        let message = self
            .store
            .message(&association.id, seen.id.as_str(), raw_message, self.clock.now())
            .await?
            .ok_or(MessagingError::NotFound)?;
        if message.kind == "deleted" {
            return Err(MessagingError::NotFound);
        }
        if message.sender_id != caller.member.id.as_str() || message.kind != "text" {
            return Err(MessagingError::Forbidden);
        }
        Ok(message)
    }

    /// Replaces the text of one of the caller's messages.
    pub async fn edit_message(
        &self,
        association: &Association,
        caller: &Caller,
        raw_id: &str,
        raw_message: &str,
        body: &str,
    ) -> Result<MessageView, MessagingError> {
        let seen = self.conversation_access(association, caller, raw_id).await?;
        let message = self.own_message(association, caller, &seen, raw_message).await?;
        let body = body_of(body, "body")?;
        let key = self.writing_key(association, seen.id.as_str()).await?;
        let sealed = key.seal(&message.id, BODY, body.as_str().as_bytes())?;
        let now = self.clock.now();
        if !self
            .store
            .edit_message(&association.id, seen.id.as_str(), &message.id, &caller.member.id, &sealed, now)
            .await?
        {
            return Err(MessagingError::NotFound);
        }
        let updated = self
            .store
            .message(&association.id, seen.id.as_str(), &message.id, now)
            .await?
            .ok_or(MessagingError::NotFound)?;
        self.publish_to_conversation(association, seen.id.as_str(), "message_edited", &message.id).await;
        // The answer shows the message as the list does: the sender's alias
        // in an alias group's chat, and its files.
        let sender_alias = match (&seen.group_id, seen.alias_mode) {
            (Some(group), true) => self.store.alias_of(&association.id, group, &updated.sender_id).await?,
            _ => None,
        };
        let files = self
            .store
            .attachments_between(&association.id, seen.id.as_str(), updated.seq, updated.seq)
            .await?
            .into_iter()
            .filter(|a| a.message_id == updated.id)
            .map(|a| AttachmentView { id: a.id, content_type: a.content_type, size: a.size })
            .collect();
        message_view(updated, Some(&key), caller, seen.alias_mode, sender_alias, files)
    }

    /// Deletes one of the caller's messages for everyone: its text and
    /// files are erased, a tombstone says that a message was deleted.
    pub async fn delete_message(
        &self,
        association: &Association,
        caller: &Caller,
        raw_id: &str,
        raw_message: &str,
    ) -> Result<(), MessagingError> {
        let seen = self.conversation_access(association, caller, raw_id).await?;
        let message = self.own_message(association, caller, &seen, raw_message).await?;
        let now = self.clock.now();
        if !self.store.delete_message(&association.id, seen.id.as_str(), &message.id, &caller.member.id, now).await? {
            return Err(MessagingError::NotFound);
        }
        self.store.scrub_wal().await?;
        self.publish_to_conversation(association, seen.id.as_str(), "message_deleted", &message.id).await;
        Ok(())
    }

    /// The recipient accepts a request: the conversation becomes active.
    pub async fn accept_conversation(
        &self,
        association: &Association,
        caller: &Caller,
        raw_id: &str,
    ) -> Result<(), MessagingError> {
        let seen = self.conversation_access(association, caller, raw_id).await?;
        if !seen.request_for_me
            || !self
                .store
                .set_conversation_status(&association.id, seen.id.as_str(), &caller.member.id, &["request"], "active")
                .await?
        {
            return Err(MessagingError::NoRequest);
        }
        Ok(())
    }

    /// The recipient declines a request: it is gone for them; the sender
    /// is not told (their view stays a request).
    pub async fn decline_conversation(
        &self,
        association: &Association,
        caller: &Caller,
        raw_id: &str,
    ) -> Result<(), MessagingError> {
        let seen = self.conversation_access(association, caller, raw_id).await?;
        if !seen.request_for_me
            || !self
                .store
                .set_conversation_status(&association.id, seen.id.as_str(), &caller.member.id, &["request"], "declined")
                .await?
        {
            return Err(MessagingError::NoRequest);
        }
        Ok(())
    }

    /// Reads up to a message (never back).
    pub async fn mark_conversation_read(
        &self,
        association: &Association,
        caller: &Caller,
        raw_id: &str,
        raw_message: &str,
    ) -> Result<(), MessagingError> {
        let seen = self.conversation_access(association, caller, raw_id).await?;
        let message = self
            .store
            .message(&association.id, seen.id.as_str(), raw_message, self.clock.now())
            .await?
            .ok_or_else(|| invalid("message_id", "is not a message of this conversation"))?;
        self.store
            .mark_conversation_read(&association.id, seen.id.as_str(), &caller.member.id, message.seq, self.clock.now())
            .await?;
        self.publish_read(association, caller, seen.id.as_str(), &message.id).await;
        Ok(())
    }

    /// Reads up to the newest message (a page that shows it).
    pub async fn mark_conversation_seen(
        &self,
        association: &Association,
        caller: &Caller,
        seen: &SeenConversation,
    ) -> Result<(), MessagingError> {
        let last = seen.record.last_seq;
        self.store
            .mark_conversation_read(&association.id, seen.id.as_str(), &caller.member.id, last, self.clock.now())
            .await?;
        // Only when there was something unread: a page shown again sends nothing.
        if seen.record.my_read_seq.unwrap_or(0) < last {
            self.publish_read(association, caller, seen.id.as_str(), "").await;
        }
        Ok(())
    }

    /// A `read` event to the reader's own sockets (their other devices
    /// update the badge). Nobody else learns what someone has read.
    async fn publish_read(&self, association: &Association, caller: &Caller, conversation: &str, message: &str) {
        let event = NewLiveEvent {
            member: caller.member.id.as_str(),
            kind: "read",
            conversation: Some(conversation),
            subject: (!message.is_empty()).then_some(message),
        };
        self.publish_live(association, &[event]).await;
    }

    /// Sets (or turns off) the disappearing time; announced in the
    /// conversation by a system message. Returns the time set.
    pub async fn set_disappearing(
        &self,
        association: &Association,
        caller: &Caller,
        raw_id: &str,
        seconds: Option<i64>,
    ) -> Result<Option<i64>, MessagingError> {
        let seen = self.conversation_access(association, caller, raw_id).await?;
        let time = Disappearing::parse(seconds).map_err(|p| invalid("seconds", p))?.map(Disappearing::seconds);
        if seen.status == ConversationStatus::Request {
            return Err(MessagingError::RequestPending);
        }
        if seen.record.disappear_seconds == time {
            // Nothing changes: no line in the conversation that says it did.
            return Ok(time);
        }
        let key = self.writing_key(association, seen.id.as_str()).await?;
        let text = system_text(SystemEvent::Disappearing(time));
        self.add_sealed(association, caller, &seen.id, &key, "system", &text, &[], Some(time)).await?;
        Ok(time)
    }

    /// Leaves a conversation: nothing new reaches the leaver, and the
    /// conversation is `NotFound` for them from now on.
    pub async fn leave_conversation(
        &self,
        association: &Association,
        caller: &Caller,
        raw_id: &str,
    ) -> Result<(), MessagingError> {
        let seen = self.conversation_access(association, caller, raw_id).await?;
        if seen.group_id.is_some() {
            return Err(MessagingError::GroupChat);
        }
        self.store
            .set_conversation_status(
                &association.id,
                seen.id.as_str(),
                &caller.member.id,
                &["active", "request"],
                "left",
            )
            .await?;
        self.leave_calls_in(association, &caller.member.id, seen.id.as_str()).await?;
        Ok(())
    }

    /// Stores an upload for a later message of the caller in this
    /// conversation: the first bytes must be of the declared type; images
    /// are then decoded, shrunk and encoded anew (no metadata survives);
    /// sealed either way.
    pub async fn upload_attachment(
        &self,
        association: &Association,
        caller: &Caller,
        raw_id: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Result<AttachmentId, MessagingError> {
        let seen = self.conversation_access(association, caller, raw_id).await?;
        if bytes.len() > MAX_ATTACHMENT {
            return Err(MessagingError::TooLarge);
        }
        let kind = classify(content_type).ok_or(MessagingError::UnsupportedType)?;
        if seen.status == ConversationStatus::Request {
            return Err(MessagingError::RequestPending);
        }
        let (stored, stored_type) = match kind {
            Upload::Pdf => {
                if !bytes.starts_with(b"%PDF-") {
                    return Err(invalid("body", "is not a PDF file"));
                }
                (bytes, "application/pdf")
            }
            Upload::Image(format, name) => {
                // The bytes must be what the type says, as for a PDF: the
                // decoder would take any format it knows.
                if image::guess_format(&bytes).ok() != Some(format) {
                    return Err(invalid("body", &format!("is not a {name} image")));
                }
                let _permit =
                    crate::photos::decodes().acquire().await.map_err(|_| invalid("body", "could not be read"))?;
                let jpeg = tokio::task::spawn_blocking(move || crate::photos::normalise_image(&bytes, ATTACHMENT_SIDE))
                    .await
                    .map_err(|_| invalid("body", "could not be read"))?;
                match jpeg {
                    Ok(jpeg) => (jpeg, "image/jpeg"),
                    Err(PhotoError::TooLarge) => return Err(MessagingError::TooLarge),
                    Err(PhotoError::TooManyPixels { .. }) => {
                        return Err(invalid("body", "may have at most 40 megapixels"))
                    }
                    Err(_) => return Err(invalid("body", "is not a JPEG, PNG or WebP image, or it is damaged")),
                }
            }
        };
        let key = self.writing_key(association, seen.id.as_str()).await?;
        let id = AttachmentId::random();
        let sealed = key.seal(id.as_str(), FILE, &stored)?;
        let size = i64::try_from(stored.len()).unwrap_or(i64::MAX);
        self.store
            .add_attachment(
                &association.id,
                id.as_str(),
                seen.id.as_str(),
                &caller.member.id,
                stored_type,
                size,
                &sealed,
                self.clock.now(),
            )
            .await?;
        Ok(id)
    }

    /// An attachment's bytes and type: for the conversation's members once
    /// a message carries it, before that for its uploader only.
    pub async fn attachment(
        &self,
        association: &Association,
        caller: &Caller,
        raw_id: &str,
        raw_attachment: &str,
    ) -> Result<(Vec<u8>, String), MessagingError> {
        let seen = self.conversation_access(association, caller, raw_id).await?;
        let id = AttachmentId::parse(raw_attachment).ok_or(MessagingError::NotFound)?;
        let record = self
            .store
            .attachment(&association.id, seen.id.as_str(), id.as_str(), self.clock.now())
            .await?
            .ok_or(MessagingError::NotFound)?;
        if record.message_id.is_none() && record.uploader_id != caller.member.id.as_str() {
            return Err(MessagingError::NotFound);
        }
        let key = self.conversation_key(association, seen.id.as_str()).await?.ok_or(MessagingError::NotFound)?;
        let bytes = key.open(id.as_str(), FILE, &record.sealed_bytes)?;
        Ok((bytes, record.content_type))
    }

    /// The chat of a group, for its members (made on first use);
    /// `Forbidden` for others who see the group, `NotFound` for the rest.
    pub async fn group_conversation(
        &self,
        association: &Association,
        caller: &Caller,
        group: &str,
    ) -> Result<String, MessagingError> {
        let seen = self.group_access(association, caller, group).await?;
        if !seen.access.membership.is_member() {
            return Err(MessagingError::Forbidden);
        }
        let id = match self.store.group_conversation(&association.id, seen.id.as_str()).await? {
            Some(id) => id,
            None => {
                let id = ConversationId::random();
                let key = ConversationKey::random(&association.id, id.as_str())?;
                let sealed_key = key.wrap(&self.keys.association(&association.id)?)?;
                self.store
                    .create_conversation(&NewConversation {
                        association: &association.id,
                        id: id.as_str(),
                        group_id: Some(seen.id.as_str()),
                        state: "active",
                        created_by: &caller.member.id,
                        sealed_key: &sealed_key,
                        members: vec![(caller.member.id.as_str(), "active")],
                        now: self.clock.now(),
                    })
                    .await?
            }
        };
        self.store.ensure_conversation_member(&association.id, &id, &caller.member.id, self.clock.now()).await?;
        Ok(id)
    }

    /// Erases every message whose disappearing time has come, with its
    /// attachments (rows gone from the database), in every association;
    /// and uploads never sent within a day. Idempotent: deleting is the
    /// claim, so two nodes never erase a row twice and a run cut short
    /// leaves the rest for the next. Returns how many messages it erased.
    /// Run every minute.
    pub async fn erase_due(&self, now: DateTime<Utc>) -> Result<usize, MessagingError> {
        let erased = self.store.erase_due_messages(now).await?;
        if erased.is_empty() {
            return Ok(0);
        }
        self.store.scrub_wal().await?;
        // Open conversations take them away as a deletion would.
        match self.associations().await {
            Ok(associations) => {
                for association in associations {
                    for (_, conversation, message) in erased.iter().filter(|(a, _, _)| *a == association.id.as_str()) {
                        self.publish_to_conversation(&association, conversation, "message_deleted", message).await;
                    }
                }
            }
            Err(error) => tracing::warn!(%error, "the live events of disappeared messages were not published"),
        }
        Ok(erased.len())
    }
}

/// Most messages a report may share.
pub const MAX_SHARED: usize = 50;

/// A shared message in a report, opened for a moderator.
#[derive(Debug, Clone)]
pub struct ReportedMessage {
    pub message_id: String,
    /// The member who wrote it; `None` where it was written under an
    /// alias (an alias group's chat): moderators see the alias only.
    pub sender_id: Option<String>,
    pub sender_pseudonym: Option<String>,
    pub sender_alias: Option<String>,
    pub sent_at: DateTime<Utc>,
    pub body: String,
}

/// A report of messages as moderators see it: only what the reporter shared.
#[derive(Debug, Clone)]
pub struct MessageReport {
    pub id: String,
    pub kind: String,
    pub reason: String,
    /// open, resolved or dismissed.
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub messages: Vec<ReportedMessage>,
}

/// A shared message as moderators see it: under its alias where it was
/// written under one (no member id, no pseudonym), else by its sender.
fn reported_message(item: kindred_store::MessageReportItemRecord, body: String) -> ReportedMessage {
    let named = item.sender_alias.is_none();
    ReportedMessage {
        message_id: item.message_id,
        sender_id: named.then_some(item.sender_id),
        sender_pseudonym: item.sender_pseudonym.filter(|_| named),
        sender_alias: item.sender_alias,
        sent_at: item.sent_at,
        body,
    }
}

/// The senders a moderator is shown by name: their access logs get an
/// entry. A message under an alias is not among them — an audit entry
/// naming its writer would turn the alias into an account for every
/// admin who reads the log.
fn named_senders(items: &[kindred_store::MessageReportItemRecord]) -> impl Iterator<Item = &str> {
    items.iter().filter(|i| i.sender_alias.is_none()).map(|i| i.sender_id.as_str())
}

pub(crate) fn report_field(message: &str) -> String {
    format!("message-report:{message}")
}

impl Kindred {
    /// A member of a conversation reports a message, sharing it and the
    /// other messages of the conversation they choose (`shared`; the
    /// reported one always): copies sealed under the association key are
    /// all moderators will ever read of the conversation. The audit log
    /// records the report and how many messages it shares, never text.
    pub async fn report_messages(
        &self,
        association: &Association,
        caller: &Caller,
        message: &str,
        shared: &[String],
        report: crate::moderation::ReportInput<'_>,
    ) -> Result<crate::moderation::FiledReport, MessagingError> {
        let (kind, reason) = crate::moderation::parse_report(report.kind, report.reason, report.details)
            .map_err(MessagingError::Invalid)?;
        if shared.len() > MAX_SHARED {
            return Err(invalid("messages", "at most 50 messages per report"));
        }
        let conversation =
            self.store.message_conversation(&association.id, message).await?.ok_or(MessagingError::NotFound)?;
        let seen = self.conversation_access(association, caller, &conversation).await?;
        let key = self.conversation_key(association, seen.id.as_str()).await?.ok_or(MessagingError::NotFound)?;
        let mut ids: Vec<&str> = vec![message];
        for id in shared {
            if !ids.contains(&id.as_str()) {
                ids.push(id);
            }
        }
        let id = kindred_domain::ReportId::random();
        let association_key = self.keys.association(&association.id)?;
        // In an alias group's chat the copies carry the sender's alias, as
        // the chat shows it: staff never see who is behind an alias.
        let alias_group = seen.group_id.as_ref().filter(|_| seen.alias_mode);
        let mut items = Vec::with_capacity(ids.len());
        for message_id in ids {
            let row = self
                .store
                .message(&association.id, seen.id.as_str(), message_id, self.clock.now())
                .await?
                .ok_or_else(|| invalid("messages", "names a message not in this conversation"))?;
            let Some(sealed) = row.sealed_body.as_ref().filter(|_| row.kind == "text") else {
                return Err(invalid("messages", "names a message without text"));
            };
            let text = key.open(&row.id, BODY, sealed)?;
            let copy = association_key.seal_for(id.as_str(), &report_field(&row.id), &text)?;
            let alias = match alias_group {
                // Every member of an alias group has one; were one missing,
                // the copy still says "an alias" rather than who.
                Some(group) => {
                    Some(self.store.alias_of(&association.id, group, &row.sender_id).await?.unwrap_or_default())
                }
                None => None,
            };
            items.push((row, copy, alias));
        }
        let count = items.len();
        // From an alias chat the reporter is not named either: the report
        // may share their own messages, under their alias.
        self.append_moderation_audit(
            association,
            caller,
            alias_group.is_some(),
            "messages.reported",
            Some(id.as_str()),
            Some(&format!("the reporter shared {count} message(s) with the moderators")),
        )
        .await?;
        let new_items: Vec<kindred_store::NewReportItem<'_>> = items
            .iter()
            .map(|(row, copy, alias)| kindred_store::NewReportItem {
                message_id: &row.id,
                sender_id: &row.sender_id,
                sender_alias: alias.as_deref(),
                sent_at: row.sent_at,
                sealed_body: copy.clone(),
            })
            .collect();
        // A crisis report alerts the staff on duty at once, like one about a
        // forum post (`moderation::file_report`): a notification of the kind
        // `crisis_report` (which nobody can mute) and the same urgent mail.
        // Neither says which conversation or what was written.
        let crisis = kind == crate::moderation::ReportKind::Crisis;
        let staff = if crisis {
            let mut staff = self.store.active_with_roles(&association.id, &["admin", "moderator"]).await?;
            let mut seen = std::collections::HashSet::new();
            staff.retain(|r| r.id != caller.member.id.as_str() && seen.insert(r.id.clone()));
            staff
        } else {
            Vec::new()
        };
        let notifications: Vec<kindred_store::NewNotification> = staff
            .iter()
            .map(|r| kindred_store::NewNotification {
                id: kindred_domain::NotificationId::random().as_str().to_owned(),
                member_id: r.id.clone(),
                kind: "crisis_report",
                topic_id: None,
                post_id: None,
                detail: None,
            })
            .collect();
        self.store
            .add_message_report(
                &association.id,
                id.as_str(),
                &caller.member.id,
                kind.as_str(),
                &reason,
                self.clock.now(),
                &new_items,
                &notifications,
            )
            .await?;
        // Mailed by service::mail_delivery (crisis reports at once: a fixed
        // kind, immediate and outside quiet hours).
        self.notifications_written(association, notifications.iter().map(|n| (n.member_id.as_str(), n.id.as_str())))
            .await;
        let crisis_contacts = if crisis { association.settings.crisis_contacts.clone() } else { Vec::new() };
        Ok(crate::moderation::FiledReport { id, kind, crisis_contacts })
    }

    /// Open reports of messages with what their reporters shared, for
    /// association moderators and admins; the view is audited first.
    pub async fn message_reports(
        &self,
        association: &Association,
        caller: &Caller,
    ) -> Result<Vec<MessageReport>, MessagingError> {
        if !matches!(caller.member.role, AccountRole::Admin | AccountRole::Moderator) {
            return Err(MessagingError::Forbidden);
        }
        self.audit(association, &caller.member.id, "message_reports.viewed", None, None).await?;
        let (reports, items) = self.store.message_reports(&association.id, 100).await?;
        self.audit_senders_shown(association, caller, named_senders(&items), None).await?;
        let key = self.keys.association(&association.id)?;
        let mut out = Vec::with_capacity(reports.len());
        for report in reports {
            let mut messages = Vec::new();
            for item in items.iter().filter(|i| i.report_id == report.id) {
                let text = key.open_for(&report.id, &report_field(&item.message_id), &item.sealed_body)?;
                let body = String::from_utf8(text).map_err(|_| StoreError::Corrupt("reported message".into()))?;
                messages.push(reported_message(item.clone(), body));
            }
            out.push(MessageReport {
                id: report.id,
                kind: report.kind,
                reason: report.reason,
                status: report.status,
                created_at: report.created_at,
                messages,
            });
        }
        Ok(out)
    }

    /// Before a moderator sees reported messages: one `reported_messages.viewed`
    /// per member whose messages are shown, with that member as target, so
    /// that their access log (`store::accesses_to`) lists it — the sender's,
    /// not the reporter's (unless the reporter's own messages are among
    /// them). Never the text; the report in the detail, for the audit log.
    async fn audit_senders_shown<'a>(
        &self,
        association: &Association,
        caller: &Caller,
        senders: impl Iterator<Item = &'a str>,
        report: Option<&str>,
    ) -> Result<(), MessagingError> {
        let mut seen: Vec<&str> = Vec::new();
        let detail = report.map(|id| format!("report {id}"));
        for sender in senders {
            if sender == caller.member.id.as_str() || seen.contains(&sender) {
                continue;
            }
            seen.push(sender);
            self.audit(association, &caller.member.id, "reported_messages.viewed", Some(sender), detail.as_deref())
                .await?;
        }
        Ok(())
    }

    /// Reports of messages in one status (`open`, `resolved`, `dismissed`)
    /// for association moderators and admins: what kind, the reporter's
    /// reason and how many messages each shares — no message text, so
    /// the list itself is not audited; opening one is
    /// (`open_message_report`).
    pub async fn message_report_list(
        &self,
        association: &Association,
        caller: &Caller,
        status: &str,
    ) -> Result<Vec<kindred_store::MessageReportSummary>, MessagingError> {
        if !matches!(caller.member.role, AccountRole::Admin | AccountRole::Moderator) {
            return Err(MessagingError::Forbidden);
        }
        if !["open", "resolved", "dismissed"].contains(&status) {
            return Err(invalid("status", "must be open, resolved or dismissed"));
        }
        Ok(self.store.message_report_summaries(&association.id, status, 100).await?)
    }

    /// One report of messages with the messages its reporter shared, for
    /// association moderators and admins. The audit log records that this
    /// moderator opened this report (`message_report.opened`), before
    /// anything is shown; never the text.
    pub async fn open_message_report(
        &self,
        association: &Association,
        caller: &Caller,
        raw_id: &str,
    ) -> Result<MessageReport, MessagingError> {
        if !matches!(caller.member.role, AccountRole::Admin | AccountRole::Moderator) {
            return Err(MessagingError::Forbidden);
        }
        let id = kindred_domain::ReportId::parse(raw_id.trim()).ok_or(MessagingError::NotFound)?;
        let (report, items) =
            self.store.message_report(&association.id, id.as_str()).await?.ok_or(MessagingError::NotFound)?;
        self.audit(association, &caller.member.id, "message_report.opened", Some(id.as_str()), None).await?;
        self.audit_senders_shown(association, caller, named_senders(&items), Some(id.as_str())).await?;
        let key = self.keys.association(&association.id)?;
        let mut messages = Vec::with_capacity(items.len());
        for item in items {
            let text = key.open_for(&report.id, &report_field(&item.message_id), &item.sealed_body)?;
            let body = String::from_utf8(text).map_err(|_| StoreError::Corrupt("reported message".into()))?;
            messages.push(reported_message(item, body));
        }
        Ok(MessageReport {
            id: report.id,
            kind: report.kind,
            reason: report.reason,
            status: report.status,
            created_at: report.created_at,
            messages,
        })
    }

    /// Closes an open report of messages as `resolved` or `dismissed`
    /// (association moderators and admins), with an optional note of at
    /// most 500 characters that goes to the audit log
    /// (`message_report.resolved` / `.dismissed`). A report closed
    /// already is refused (`Invalid` at `report`) and changes nothing.
    pub async fn close_message_report(
        &self,
        association: &Association,
        caller: &Caller,
        raw_id: &str,
        resolution: &str,
        note: Option<&str>,
    ) -> Result<(), MessagingError> {
        if !matches!(caller.member.role, AccountRole::Admin | AccountRole::Moderator) {
            return Err(MessagingError::Forbidden);
        }
        let status = match resolution.trim() {
            "resolved" => "resolved",
            "dismissed" => "dismissed",
            _ => return Err(invalid("resolution", "must be resolved or dismissed")),
        };
        let note = note.map(str::trim).unwrap_or("");
        if note.chars().count() > crate::moderation::MAX_ACTION_REASON {
            return Err(invalid("note", "at most 500 characters"));
        }
        let note = kindred_domain::text::clean(note, kindred_domain::text::Lines::Many)
            .map_err(|problem| invalid("note", problem.message()))?;
        let id = kindred_domain::ReportId::parse(raw_id.trim()).ok_or(MessagingError::NotFound)?;
        let (report, _) =
            self.store.message_report(&association.id, id.as_str()).await?.ok_or(MessagingError::NotFound)?;
        if report.status != "open" {
            return Err(invalid("report", "is closed already"));
        }
        let action = format!("message_report.{status}");
        let detail = Some(note.as_str()).filter(|n| !n.is_empty());
        self.audit(association, &caller.member.id, &action, Some(id.as_str()), detail).await?;
        if !self.store.close_message_report(&association.id, id.as_str(), status).await? {
            return Err(invalid("report", "is closed already"));
        }
        Ok(())
    }
}

/// The rule of `conversation_access` for one caller, from the stored
/// conversation with the caller's membership and — for a group's chat —
/// what `group_access` decided for them (the single and the batch form
/// both decide here).
fn seen_conversation(
    id: ConversationId,
    record: ConversationRecord,
    group: Option<Result<crate::groups::SeenGroup, GroupError>>,
) -> Result<SeenConversation, MessagingError> {
    if let Some(group_id) = record.group_id.clone() {
        let seen = match group {
            Some(Ok(seen)) => seen,
            Some(Err(GroupError::Store(e))) => return Err(MessagingError::Store(e)),
            _ => return Err(MessagingError::NotFound),
        };
        if !seen.access.membership.is_member() {
            return Err(MessagingError::NotFound);
        }
        return Ok(SeenConversation {
            id,
            group_id: Some(group_id),
            group_name: Some(seen.record.name.clone()),
            alias_mode: seen.record.alias_mode,
            status: ConversationStatus::Active,
            request_for_me: false,
            record,
        });
    }
    let (status, request_for_me) = match (record.my_status.as_deref(), record.state.as_str()) {
        (Some("request"), _) => (ConversationStatus::Request, true),
        (Some("active"), "request") => (ConversationStatus::Request, false),
        (Some("active"), _) => (ConversationStatus::Active, false),
        _ => return Err(MessagingError::NotFound),
    };
    Ok(SeenConversation { id, group_id: None, group_name: None, alias_mode: false, status, request_for_me, record })
}

/// One stored message as the caller sees it.
fn message_view(
    row: MessageRecord,
    key: Option<&ConversationKey>,
    caller: &Caller,
    alias_mode: bool,
    sender_alias: Option<String>,
    attachments: Vec<AttachmentView>,
) -> Result<MessageView, MessagingError> {
    let own = row.sender_id == caller.member.id.as_str();
    let text = match (key, &row.sealed_body) {
        (Some(key), Some(sealed)) => {
            let bytes = key.open(&row.id, BODY, sealed)?;
            Some(String::from_utf8(bytes).map_err(|_| StoreError::Corrupt("message body".into()))?)
        }
        _ => None,
    };
    let (kind, body, system) = match row.kind.as_str() {
        "system" => ("system", None, text.as_deref().and_then(parse_system)),
        "deleted" => ("deleted", None, None),
        _ => ("text", text, None),
    };
    Ok(MessageView {
        body_html: body.as_deref().map(render),
        body,
        id: row.id,
        sender_id: (!alias_mode).then_some(row.sender_id),
        sender_alias,
        own,
        kind,
        system,
        sent_at: row.sent_at,
        edited_at: row.edited_at,
        attachments,
    })
}

fn encode_cursor(at: DateTime<Utc>, id: &str) -> String {
    BASE64URL_NOPAD.encode(format!("{}|{id}", at.timestamp_micros()).as_bytes())
}

fn decode_cursor(raw: &str) -> Option<(DateTime<Utc>, String)> {
    let bytes = BASE64URL_NOPAD.decode(raw.as_bytes()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (micros, id) = text.split_once('|')?;
    let at = DateTime::from_timestamp_micros(micros.parse().ok()?)?;
    ConversationId::parse(id).map(|id| (at, id.to_string()))
}
