//! service::contacts — contact requests, levels, step-by-step disclosure
//! and blocks. Levels run one way: each member decides what each contact
//! sees of them, and a change counts from the very next request, because
//! nothing is cached: every answer reads the level anew.
//!
//! A member the caller may not see (blocked either way, not active) is
//! `NotFound` here as everywhere, and requests from or to such a member
//! disappear from the caller's lists.

use crate::crypto::CryptoError;
use crate::members::{caller_party, party, MemberError};
use crate::notifications::about_request;
use crate::sessions::Caller;
use crate::throttle::{Rule, Throttled};
use crate::{Association, Kindred};
use chrono::{DateTime, Duration, Utc};
use kindred_domain::disclosure::{self, Relation};
use kindred_domain::{Level, MemberId, RequestId};
use kindred_store::{Acceptance, Direction, NewContactRequest, RequestKind, RequestRecord, StoreError};

/// Contact requests and requests for a higher level a member may send per day.
pub const REQUESTS: Rule = Rule { bucket: "contact-requests", limit: 50, window: Duration::hours(24) };
/// Longest message with a contact request, in characters.
pub const MAX_MESSAGE: usize = 500;

#[derive(Debug, thiserror::Error)]
pub enum ContactError {
    #[error("no such member or request")]
    NotFound,
    #[error("you are not contacts")]
    NotAContact,
    #[error("you are contacts already")]
    AlreadyContact,
    #[error("a request is already waiting for an answer")]
    RequestPending,
    #[error("this member has already sent you a request; answer it instead")]
    IncomingRequestPending,
    #[error("this request has already been answered")]
    RequestClosed,
    #[error("the level asked for is not higher than the current one")]
    LevelNotHigher,
    #[error("this is your own account")]
    Myself,
    #[error("some fields are invalid")]
    Invalid(Vec<(&'static str, &'static str)>),
    #[error(transparent)]
    Throttled(#[from] Throttled),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<MemberError> for ContactError {
    fn from(error: MemberError) -> Self {
        match error {
            MemberError::NotFound | MemberError::Invalid(_) => ContactError::NotFound,
            MemberError::Throttled(t) => ContactError::Throttled(t),
            MemberError::Crypto(e) => ContactError::Crypto(e),
            MemberError::Store(e) => ContactError::Store(e),
            MemberError::Profile(e) => ContactError::Store(StoreError::Corrupt(e.to_string())),
        }
    }
}

/// Whether a request waits or how it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestStatus {
    Pending,
    Accepted,
    Declined,
    Withdrawn,
}

impl RequestStatus {
    fn parse(raw: &str) -> RequestStatus {
        match raw {
            "pending" => Self::Pending,
            "accepted" => Self::Accepted,
            "declined" => Self::Declined,
            _ => Self::Withdrawn,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::Declined => "declined",
            Self::Withdrawn => "withdrawn",
        }
    }
}

/// A request as one side sees it; `member_id` and `pseudonym` are the other side's.
#[derive(Debug, Clone)]
pub struct RequestView {
    pub id: String,
    pub from: MemberId,
    pub to: MemberId,
    pub member_id: MemberId,
    pub pseudonym: String,
    /// The message of a contact request, shown to the receiver and the sender.
    pub message: Option<String>,
    /// Contact requests: the level the requester will place the receiver on.
    /// Requests for a higher level: the level asked for.
    pub level: Level,
    pub status: RequestStatus,
    pub created_at: DateTime<Utc>,
}

/// A contact, both directions.
#[derive(Debug, Clone)]
pub struct ContactView {
    pub member_id: MemberId,
    pub pseudonym: String,
    pub level_i_grant: Level,
    pub level_granted_to_me: Level,
}

/// Incoming (waiting for my answer) and outgoing (mine, with their outcome).
#[derive(Debug, Clone, Default)]
pub struct Requests {
    pub incoming: Vec<RequestView>,
    pub outgoing: Vec<RequestView>,
}

#[derive(Debug, Clone)]
pub struct BlockView {
    pub member_id: MemberId,
    pub pseudonym: String,
    pub created_at: DateTime<Utc>,
}

fn level_of(n: i32) -> Level {
    Level::from_number(i64::from(n)).unwrap_or(Level::Community)
}

pub(crate) fn message_field(request: &str) -> String {
    format!("contact-request:{request}")
}

/// A request message: trimmed, at most 500 characters, no control
/// characters but line breaks.
fn clean_message(raw: Option<&str>) -> Result<Option<String>, ContactError> {
    let Some(text) = raw.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
    if text.chars().count() > MAX_MESSAGE {
        return Err(ContactError::Invalid(vec![("message", "is too long (at most 500 characters)")]));
    }
    let text = kindred_domain::text::clean(text, kindred_domain::text::Lines::Many)
        .map_err(|problem| ContactError::Invalid(vec![("message", problem.message())]))?;
    Ok(Some(text))
}

impl Kindred {
    /// The other member of a request or contact, if the caller may still see them.
    async fn still_visible(
        &self,
        association: &Association,
        caller: &Caller,
        other: &str,
    ) -> Result<bool, ContactError> {
        match self.sight_of(association, caller, other).await {
            Ok(_) => Ok(true),
            Err(MemberError::NotFound) => Ok(false),
            Err(other) => Err(other.into()),
        }
    }

    /// Asks `to` to become a contact; `level` is where the caller will
    /// place them once they accept (`Community` unless chosen).
    pub async fn request_contact(
        &self,
        association: &Association,
        caller: &Caller,
        to: &str,
        message: Option<&str>,
        level: Option<Level>,
    ) -> Result<RequestId, ContactError> {
        if to == caller.member.id.as_str() {
            return Err(ContactError::Myself);
        }
        let message = clean_message(message)?;
        let (to, _, _, relation) = self.sight_of(association, caller, to).await?;
        if relation.granted_by_viewer.is_some() || relation.granted_to_viewer.is_some() {
            return Err(ContactError::AlreadyContact);
        }
        let me = &caller.member.id;
        if self.store.pending_request(RequestKind::Contact, &association.id, me, &to).await? {
            return Err(ContactError::RequestPending);
        }
        if self.store.pending_request(RequestKind::Contact, &association.id, &to, me).await? {
            return Err(ContactError::IncomingRequestPending);
        }
        self.keep_pace(association, caller, REQUESTS).await?;
        let id = RequestId::random();
        let sealed_message = match &message {
            Some(text) => {
                let key = self.keys.association(&association.id)?;
                Some(key.seal(me, &message_field(id.as_str()), text.as_bytes())?)
            }
            None => None,
        };
        let written = self
            .store
            .insert_contact_request(&NewContactRequest {
                association: &association.id,
                id: id.as_str(),
                from: me,
                to: &to,
                sealed_message,
                level: i32::from(level.unwrap_or(Level::Community).number()),
                at: self.clock.now(),
            })
            .await;
        match written {
            Ok(()) => {}
            // Another request between the two was written since the look
            // above (both sides asking at the same moment): the database
            // keeps one open per pair, and the answer is the look's.
            Err(StoreError::Conflict(_)) => {
                let mine = self.store.pending_request(RequestKind::Contact, &association.id, me, &to).await?;
                return Err(if mine { ContactError::RequestPending } else { ContactError::IncomingRequestPending });
            }
            Err(other) => return Err(other.into()),
        }
        let told = about_request(to.as_str(), "contact_request", id.as_str(), self.clock.now());
        self.notify_about(association, vec![told]).await;
        Ok(id)
    }

    async fn request_views(
        &self,
        kind: RequestKind,
        association: &Association,
        caller: &Caller,
        direction: Direction,
    ) -> Result<Vec<RequestView>, ContactError> {
        let key = self.keys.association(&association.id)?;
        let mut views = Vec::new();
        for record in self.store.requests(kind, &association.id, &caller.member.id, direction).await? {
            let status = RequestStatus::parse(&record.status);
            if direction == Direction::Incoming && status != RequestStatus::Pending {
                continue;
            }
            let other = match direction {
                Direction::Incoming => &record.from_id,
                Direction::Outgoing => &record.to_id,
            };
            if !self.still_visible(association, caller, other).await? {
                continue;
            }
            views.push(self.request_view(&key, record, status, direction)?);
        }
        Ok(views)
    }

    fn request_view(
        &self,
        key: &crate::crypto::AssociationKey,
        record: RequestRecord,
        status: RequestStatus,
        direction: Direction,
    ) -> Result<RequestView, ContactError> {
        let message = match &record.sealed_message {
            Some(sealed) => {
                let from = MemberId::from_trusted(record.from_id.clone());
                let text = key.open(&from, &message_field(&record.id), sealed)?;
                Some(String::from_utf8(text).map_err(|_| StoreError::Corrupt("request message".into()))?)
            }
            None => None,
        };
        let other = match direction {
            Direction::Incoming => record.from_id.clone(),
            Direction::Outgoing => record.to_id.clone(),
        };
        Ok(RequestView {
            id: record.id,
            from: MemberId::from_trusted(record.from_id),
            to: MemberId::from_trusted(record.to_id),
            member_id: MemberId::from_trusted(other),
            pseudonym: record.other_pseudonym,
            message,
            level: level_of(record.level),
            status,
            created_at: record.created_at,
        })
    }

    pub async fn contact_requests(&self, association: &Association, caller: &Caller) -> Result<Requests, ContactError> {
        Ok(Requests {
            incoming: self.request_views(RequestKind::Contact, association, caller, Direction::Incoming).await?,
            outgoing: self.request_views(RequestKind::Contact, association, caller, Direction::Outgoing).await?,
        })
    }

    pub async fn disclosure_requests(
        &self,
        association: &Association,
        caller: &Caller,
    ) -> Result<Requests, ContactError> {
        Ok(Requests {
            incoming: self.request_views(RequestKind::Disclosure, association, caller, Direction::Incoming).await?,
            outgoing: self.request_views(RequestKind::Disclosure, association, caller, Direction::Outgoing).await?,
        })
    }

    /// The open request `id` addressed to the caller, from a member they still see.
    async fn open_request_to_me(
        &self,
        kind: RequestKind,
        association: &Association,
        caller: &Caller,
        id: &str,
    ) -> Result<RequestRecord, ContactError> {
        let id = RequestId::parse(id).ok_or(ContactError::NotFound)?;
        let record = self
            .store
            .request_to(kind, &association.id, id.as_str(), &caller.member.id)
            .await?
            .ok_or(ContactError::NotFound)?;
        if !self.still_visible(association, caller, &record.from_id).await? {
            return Err(ContactError::NotFound);
        }
        if record.status != "pending" {
            return Err(ContactError::RequestClosed);
        }
        Ok(record)
    }

    /// Accepts a contact request, placing the requester on `level`.
    pub async fn accept_contact(
        &self,
        association: &Association,
        caller: &Caller,
        id: &str,
        level: Level,
    ) -> Result<(), ContactError> {
        let record = self.open_request_to_me(RequestKind::Contact, association, caller, id).await?;
        let requester = MemberId::from_trusted(record.from_id.clone());
        let accepted = self
            .store
            .accept_contact_request(&Acceptance {
                association: &association.id,
                id: &record.id,
                accepter: &caller.member.id,
                requester: &requester,
                accepter_grants: i32::from(level.number()),
                requester_grants: record.level,
                at: self.clock.now(),
            })
            .await?;
        if accepted {
            let told = about_request(&record.from_id, "contact_answer", &record.id, self.clock.now());
            self.notify_about(association, vec![told]).await;
        }
        accepted.then_some(()).ok_or(ContactError::RequestClosed)
    }

    pub async fn decline_contact(
        &self,
        association: &Association,
        caller: &Caller,
        id: &str,
    ) -> Result<(), ContactError> {
        self.close_my_request(RequestKind::Contact, association, caller, id).await
    }

    pub async fn decline_disclosure(
        &self,
        association: &Association,
        caller: &Caller,
        id: &str,
    ) -> Result<(), ContactError> {
        self.close_my_request(RequestKind::Disclosure, association, caller, id).await
    }

    async fn close_my_request(
        &self,
        kind: RequestKind,
        association: &Association,
        caller: &Caller,
        id: &str,
    ) -> Result<(), ContactError> {
        let record = self.open_request_to_me(kind, association, caller, id).await?;
        let now = self.clock.now();
        let closed = self
            .store
            .close_request(kind, &association.id, &record.id, &caller.member.id, Direction::Incoming, now)
            .await?;
        if closed {
            let answer = match kind {
                RequestKind::Contact => "contact_answer",
                RequestKind::Disclosure => "disclosure_answer",
            };
            self.notify_about(association, vec![about_request(&record.from_id, answer, &record.id, now)]).await;
        }
        closed.then_some(()).ok_or(ContactError::RequestClosed)
    }

    /// Takes back one's own open contact request.
    pub async fn withdraw_contact_request(
        &self,
        association: &Association,
        caller: &Caller,
        id: &str,
    ) -> Result<(), ContactError> {
        let id = RequestId::parse(id).ok_or(ContactError::NotFound)?;
        let me = &caller.member.id;
        let record = self
            .store
            .request_of(RequestKind::Contact, &association.id, id.as_str(), me, Direction::Outgoing)
            .await?
            .ok_or(ContactError::NotFound)?;
        if !self.still_visible(association, caller, &record.to_id).await? {
            return Err(ContactError::NotFound);
        }
        let now = self.clock.now();
        let closed = self
            .store
            .close_request(RequestKind::Contact, &association.id, id.as_str(), me, Direction::Outgoing, now)
            .await?;
        closed.then_some(()).ok_or(ContactError::RequestClosed)
    }

    /// The caller's contacts whom they still see, by pseudonym.
    pub async fn contacts(&self, association: &Association, caller: &Caller) -> Result<Vec<ContactView>, ContactError> {
        let mut views = Vec::new();
        for record in self.store.contacts(&association.id, &caller.member.id).await? {
            let id = MemberId::from_trusted(record.member_id.clone());
            let member_party = party(&id, &record.role, &record.status);
            let granted = record.level_granted_to_me.map(level_of);
            let sight = disclosure::sight(
                &caller_party(caller),
                &member_party,
                Relation { granted_to_viewer: granted, blocked: false },
            );
            if !sight.exists() {
                continue;
            }
            views.push(ContactView {
                member_id: id,
                pseudonym: record.pseudonym,
                level_i_grant: level_of(record.level_i_grant),
                level_granted_to_me: granted.unwrap_or(Level::Community),
            });
        }
        Ok(views)
    }

    /// Changes the level the caller placed a contact on; counts at once.
    pub async fn set_contact_level(
        &self,
        association: &Association,
        caller: &Caller,
        member: &str,
        level: Level,
    ) -> Result<(), ContactError> {
        let (member, ..) = self.sight_of(association, caller, member).await?;
        let now = self.clock.now();
        let changed = self
            .store
            .set_contact_level(&association.id, &caller.member.id, &member, i32::from(level.number()), now)
            .await?;
        changed.then_some(()).ok_or(ContactError::NotAContact)
    }

    /// Ends a contact, both directions.
    pub async fn remove_contact(
        &self,
        association: &Association,
        caller: &Caller,
        member: &str,
    ) -> Result<(), ContactError> {
        let (member, ..) = self.sight_of(association, caller, member).await?;
        let removed = self.store.remove_contact(&association.id, &caller.member.id, &member, self.clock.now()).await?;
        removed.then_some(()).ok_or(ContactError::NotAContact)
    }

    /// Asks a contact to place the caller on a higher level.
    pub async fn ask_for_level(
        &self,
        association: &Association,
        caller: &Caller,
        member: &str,
        level: Level,
    ) -> Result<RequestId, ContactError> {
        if member == caller.member.id.as_str() {
            return Err(ContactError::Myself);
        }
        let (member, _, _, relation) = self.sight_of(association, caller, member).await?;
        let Some(current) = relation.granted_to_viewer else { return Err(ContactError::NotAContact) };
        if i32::from(level.number()) <= current {
            return Err(ContactError::LevelNotHigher);
        }
        let me = &caller.member.id;
        if self.store.pending_request(RequestKind::Disclosure, &association.id, me, &member).await? {
            return Err(ContactError::RequestPending);
        }
        self.keep_pace(association, caller, REQUESTS).await?;
        let id = RequestId::random();
        let now = self.clock.now();
        let written = self
            .store
            .insert_disclosure_request(&association.id, id.as_str(), me, &member, i32::from(level.number()), now)
            .await;
        match written {
            Ok(()) => {}
            // The same request sent twice at once: one stays open (migration 0038).
            Err(StoreError::Conflict(_)) => return Err(ContactError::RequestPending),
            Err(other) => return Err(other.into()),
        }
        self.notify_about(association, vec![about_request(member.as_str(), "disclosure_request", id.as_str(), now)])
            .await;
        Ok(id)
    }

    /// Accepts a request for a higher level, placing the asker on `level`
    /// (the member's choice: usually the level asked for, perhaps less).
    pub async fn accept_disclosure(
        &self,
        association: &Association,
        caller: &Caller,
        id: &str,
        level: Level,
    ) -> Result<(), ContactError> {
        let record = self.open_request_to_me(RequestKind::Disclosure, association, caller, id).await?;
        let asker = MemberId::from_trusted(record.from_id.clone());
        // Accepting raises: a level at or below the asker's present one is
        // not an answer to "let me see more" (lowering is `set_contact_level`).
        let placed = self.store.relation(&association.id, &caller.member.id, &asker).await?.granted_by_viewer;
        if placed.is_some_and(|current| i32::from(level.number()) <= current) {
            return Err(ContactError::LevelNotHigher);
        }
        let accepted = self
            .store
            .accept_disclosure_request(
                &association.id,
                &record.id,
                &caller.member.id,
                &asker,
                i32::from(level.number()),
                self.clock.now(),
            )
            .await?;
        if accepted {
            let told = about_request(&record.from_id, "disclosure_answer", &record.id, self.clock.now());
            self.notify_about(association, vec![told]).await;
        }
        accepted.then_some(()).ok_or(ContactError::RequestClosed)
    }

    /// Blocks a member: they can no longer see, find or contact the caller,
    /// and the contact between the two ends.
    pub async fn block(&self, association: &Association, caller: &Caller, member: &str) -> Result<(), ContactError> {
        if member == caller.member.id.as_str() {
            return Err(ContactError::Myself);
        }
        // Blocking again is answered as the first time: the caller knows
        // whom they block (their list shows it), though their own block
        // hides the member from them.
        let me = &caller.member.id;
        if self.store.blocks(&association.id, me).await?.iter().any(|b| b.member_id == member) {
            return Ok(());
        }
        let (member, ..) = self.sight_of(association, caller, member).await?;
        self.store.block(&association.id, me, &member, self.clock.now()).await?;
        Ok(())
    }

    pub async fn unblock(&self, association: &Association, caller: &Caller, member: &str) -> Result<(), ContactError> {
        let member = MemberId::parse(member).ok_or(ContactError::NotFound)?;
        let removed = self.store.unblock(&association.id, &caller.member.id, &member).await?;
        removed.then_some(()).ok_or(ContactError::NotFound)
    }

    pub async fn blocks(&self, association: &Association, caller: &Caller) -> Result<Vec<BlockView>, ContactError> {
        Ok(self
            .store
            .blocks(&association.id, &caller.member.id)
            .await?
            .into_iter()
            .map(|b| BlockView {
                member_id: MemberId::from_trusted(b.member_id),
                pseudonym: b.pseudonym,
                created_at: b.created_at,
            })
            .collect())
    }
}
