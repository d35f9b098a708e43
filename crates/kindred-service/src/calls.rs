//! service::calls — voice and video calls in a conversation.
//!
//! **Media never passes Kindred.** Browsers send sound and pictures to each
//! other (WebRTC, encrypted end to end by DTLS-SRTP), directly or through
//! the operator's TURN relay. Kindred rings the conversation's members,
//! hands each member who joins short-lived relay credentials (the TURN REST
//! scheme coturn's `use-auth-secret` checks) and passes the set-up
//! messages — offers, answers, network candidates — from one member in the
//! call to another.
//!
//! **The gate is the conversation's.** A call exists for a caller exactly
//! when its conversation does (`conversation_access`): anyone else, staff
//! included, gets `NotFound` as for an id never used. Starting and joining
//! need what writing needs: an accepted conversation (a request rings
//! nobody: 409 `request_pending`), and in a one-to-one conversation no
//! block either way (403 `messaging_not_allowed`, as for a message). No
//! calls in an alias group's chat: a voice gives away whose alias it is,
//! and set-up messages name members.
//!
//! **Blocks hold inside a call.** In a group's chat a block does not stop
//! the others' call, but two members in a block are not shown to each
//! other as in it, and no set-up message passes between them — the same
//! rule whether the message is sent (`NotInCall`, as for someone not in the
//! call) or delivered.
//!
//! **Decided when delivered.** Ringing and every change (a join, a leave,
//! the end) are `call` live events carrying the call's id only; each
//! recipient's node reads the call as it is then and shows it as that
//! member may see it (`Kindred::live_calls`). A set-up message is stored
//! sealed under the conversation's key (it holds network addresses) for
//! [`SIGNAL_SECONDS`] and delivered only while both are in the call.

use crate::crypto::CryptoError;
use crate::members::{caller_party, party};
use crate::messaging::{ConversationStatus, MessagingError, SeenConversation, ShownMember};
use crate::sessions::Caller;
use crate::throttle::{Rule, Throttled};
use crate::{Association, Kindred};
use chrono::{DateTime, Duration, Utc};
use data_encoding::BASE64;
use hmac::{Hmac, Mac};
use kindred_domain::calls::{turn_username, Relays, LONGEST_CALL_HOURS, SIGNAL_SECONDS};
use kindred_domain::disclosure::{self, Relation};
use kindred_domain::{CallId, MemberId};
use kindred_store::{CallRecord, CallSignalRecord, CallStarted, NewCall, NewLiveEvent, StoreError};
use serde_json::Value;
use sha1::Sha1;
use std::collections::HashSet;

/// What a set-up message is sealed as, under the conversation key.
const SIGNAL: &str = "call-signal";
/// Largest `sdp` or `candidate` a member may send, as JSON text: a video
/// offer with every codec a browser knows stays well below it.
pub const MAX_SIGNAL_PART: usize = 12 * 1024;
/// How long a member's part in a call outlives their last live socket on
/// this node ([`Kindred::leave_calls_without_socket`]).
pub const ABSENT_GRACE: std::time::Duration = std::time::Duration::from_secs(10);
/// Calls a member may start (or ring again) per hour: each rings everyone
/// in the conversation, on every device, so a member who keeps ringing
/// waits — in a conversation of two, a way to harass someone.
pub const STARTS: Rule = Rule { bucket: "call-starts", limit: 20, window: Duration::hours(1) };

#[derive(Debug, thiserror::Error)]
pub enum CallError {
    /// No such call or conversation — or one the caller may not know of.
    #[error("not found")]
    NotFound,
    /// A block in a one-to-one conversation (said as for a message).
    #[error("messaging is not allowed here")]
    NotAllowed,
    /// An alias group's chat has no calls.
    #[error("calls are not possible in an alias group's chat")]
    AliasChat,
    /// The conversation is a request that has not been accepted.
    #[error("the conversation is a request that has not been accepted")]
    RequestPending,
    /// The call is over.
    #[error("the call has ended")]
    Ended,
    /// The sender, or the member addressed, is not in the call (or the two
    /// are in a block: said the same way).
    #[error("not in the call")]
    NotInCall,
    #[error("some fields are invalid")]
    Invalid(Vec<(&'static str, String)>),
    /// Too many calls started ([`STARTS`]).
    #[error(transparent)]
    Throttled(#[from] Throttled),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<MessagingError> for CallError {
    fn from(error: MessagingError) -> Self {
        match error {
            MessagingError::Store(e) => Self::Store(e),
            MessagingError::Crypto(e) => Self::Crypto(e),
            MessagingError::RequestPending => Self::RequestPending,
            MessagingError::NotAllowed => Self::NotAllowed,
            _ => Self::NotFound,
        }
    }
}

/// One relay as a browser's `RTCIceServer` takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IceServer {
    pub urls: Vec<String>,
    pub username: Option<String>,
    pub credential: Option<String>,
}

/// A call as its conversation's page lists it among the messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallLine {
    pub id: String,
    pub video: bool,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub ongoing: bool,
    /// Over, and the viewer never joined it (not in a group's chat).
    pub missed: bool,
}

/// What the caller may do about calls in a conversation.
#[derive(Debug, Clone)]
pub enum CallOffer {
    Unavailable,
    Start,
    Join(CallView),
}

/// What a member who joins receives.
#[derive(Debug, Clone)]
pub struct Joined {
    pub ice_servers: Vec<IceServer>,
    /// Browsers use only the relay (`iceTransportPolicy: "relay"`).
    pub relay_only: bool,
    /// The call as the member sees it: the others in it are those to send
    /// an offer to.
    pub call: CallView,
}

/// A call as one member may see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallView {
    pub id: String,
    pub conversation_id: String,
    pub video: bool,
    /// Absent after erasure and across a block.
    pub started_by: Option<String>,
    /// The members in the call now (the viewer too, if in it), in the order
    /// they joined; only those the viewer may see (`disclosure::sight`):
    /// none the viewer is in a block with.
    pub participants: Vec<ShownMember>,
    pub started_at: DateTime<Utc>,
    /// Set once the call is over.
    pub ended_at: Option<DateTime<Utc>>,
    /// Whether the viewer is in the call, and started it: what a page
    /// needs to ring, without writing the viewer's id into every page.
    pub in_call: bool,
    pub started_by_me: bool,
}

impl CallView {
    /// Whether the member is in the call as the viewer sees it.
    pub fn is_in(&self, member: &str) -> bool {
        self.participants.iter().any(|p| p.member_id == member)
    }
}

/// A set-up message as it reaches its recipient.
#[derive(Debug, Clone)]
pub struct SignalView {
    pub call_id: String,
    pub from: String,
    /// The JSON text of `sdp` and `candidate` as the sender sent them.
    pub sdp: Option<String>,
    pub candidate: Option<String>,
}

/// What a member sends to set up a call with another (`call_signal`).
#[derive(Debug, Clone)]
pub struct OutgoingSignal {
    pub call_id: String,
    pub to: String,
    pub sdp: Option<Value>,
    pub candidate: Option<Value>,
}

impl OutgoingSignal {
    /// Reads `{type: "call_signal", call_id, to, sdp?, candidate?}`: ids as
    /// text, at least one of `sdp` and `candidate`, each an object or a
    /// string of bounded size.
    pub fn parse(value: &Value) -> Result<Self, CallError> {
        let text = |name: &'static str| {
            value.get(name).and_then(Value::as_str).filter(|s| !s.is_empty() && s.len() <= 64).map(str::to_owned)
        };
        let call_id = text("call_id").ok_or_else(|| invalid("call_id", "must be a call's id"))?;
        let to = text("to").ok_or_else(|| invalid("to", "must be a member's id"))?;
        let part = |name: &'static str| -> Result<Option<Value>, CallError> {
            match value.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(part @ (Value::Object(_) | Value::String(_))) => {
                    if part.to_string().len() > MAX_SIGNAL_PART {
                        Err(invalid(name, "is too long"))
                    } else {
                        Ok(Some(part.clone()))
                    }
                }
                Some(_) => Err(invalid(name, "must be an object or a string")),
            }
        };
        let (sdp, candidate) = (part("sdp")?, part("candidate")?);
        if sdp.is_none() && candidate.is_none() {
            return Err(invalid("sdp", "or candidate is needed"));
        }
        Ok(Self { call_id, to, sdp, candidate })
    }
}

fn invalid(field: &'static str, message: &str) -> CallError {
    CallError::Invalid(vec![(field, message.to_owned())])
}

/// The credential coturn's `use-auth-secret` expects for `username`:
/// base64(HMAC-SHA1(secret, username)).
pub fn turn_credential(secret: &str, username: &str) -> String {
    // HMAC takes keys of any length; the error cannot happen.
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(secret.as_bytes()) else { return String::new() };
    mac.update(username.as_bytes());
    BASE64.encode(&mac.finalize().into_bytes())
}

impl Kindred {
    /// The deployment's relays (`[calls]`).
    pub fn with_relays(mut self, relays: Relays) -> Self {
        self.relays = std::sync::Arc::new(relays);
        self
    }

    /// When an open call that began before counts as over.
    fn stale_before(&self) -> DateTime<Utc> {
        self.clock.now() - Duration::hours(LONGEST_CALL_HOURS)
    }

    /// The conversation as the caller may call in it: accepted, no block
    /// in a one-to-one conversation, not an alias group's chat.
    async fn callable(
        &self,
        association: &Association,
        caller: &Caller,
        conversation: &str,
    ) -> Result<SeenConversation, CallError> {
        let seen = self.conversation_access(association, caller, conversation).await?;
        if seen.alias_mode {
            return Err(CallError::AliasChat);
        }
        if seen.status == ConversationStatus::Request {
            return Err(CallError::RequestPending);
        }
        if self.writing_is_cut(association, caller, &seen).await? {
            return Err(CallError::NotAllowed);
        }
        Ok(seen)
    }

    /// The call and its conversation, for a caller in that conversation.
    async fn seen_call(
        &self,
        association: &Association,
        caller: &Caller,
        raw_call: &str,
    ) -> Result<(CallRecord, SeenConversation), CallError> {
        let id = CallId::parse(raw_call.trim()).ok_or(CallError::NotFound)?;
        let call = self.store.call(&association.id, id.as_str()).await?.ok_or(CallError::NotFound)?;
        let seen = self.conversation_access(association, caller, &call.conversation_id).await?;
        Ok((call, seen))
    }

    /// Starts a call in a conversation and rings its other members — or,
    /// where a call is open there already, joins the caller to it. Answers
    /// the call's id and whether it is new.
    pub async fn start_call(
        &self,
        association: &Association,
        caller: &Caller,
        raw_conversation: &str,
        video: bool,
    ) -> Result<(CallId, bool), CallError> {
        let seen = self.callable(association, caller, raw_conversation).await?;
        // Counted once the conversation is known to the caller: an unknown
        // id answers 404 however often it is tried.
        self.count_attempt(association, STARTS, caller.member.id.as_str()).await??;
        let id = CallId::random();
        let started = self
            .store
            .start_call(&NewCall {
                association: &association.id,
                id: id.as_str(),
                conversation: seen.id.as_str(),
                started_by: caller.member.id.as_str(),
                video,
                at: self.clock.now(),
                stale_before: self.stale_before(),
            })
            .await?;
        let (id, new) = match started {
            CallStarted::New => (id, true),
            CallStarted::Joined(open) => (CallId::from_trusted(open), false),
        };
        self.publish_call(association, seen.id.as_str(), id.as_str()).await;
        Ok((id, new))
    }

    /// Joins a call: the relays with fresh credentials, and the call as
    /// the member sees it (those to send an offer to).
    pub async fn join_call(
        &self,
        association: &Association,
        caller: &Caller,
        raw_call: &str,
    ) -> Result<Joined, CallError> {
        // `callable` runs the conversation's gate: the call is found only through it.
        let id = CallId::parse(raw_call.trim()).ok_or(CallError::NotFound)?;
        let call = self.store.call(&association.id, id.as_str()).await?.ok_or(CallError::NotFound)?;
        self.callable(association, caller, &call.conversation_id).await?;
        let ongoing = call.ended_at.is_none() && call.started_at >= self.stale_before();
        if !ongoing
            || !self.store.join_call(&association.id, &call.id, caller.member.id.as_str(), self.clock.now()).await?
        {
            return Err(CallError::Ended);
        }
        self.publish_call(association, &call.conversation_id, &call.id).await;
        let view = self.call_view(association, caller, &call.id).await?;
        Ok(Joined { ice_servers: self.ice_servers(), relay_only: self.relays.relay_only, call: view })
    }

    /// Leaves a call (nothing happens when the caller is not in it); the
    /// last one out ends it.
    pub async fn leave_call(
        &self,
        association: &Association,
        caller: &Caller,
        raw_call: &str,
    ) -> Result<(), CallError> {
        let (call, seen) = self.seen_call(association, caller, raw_call).await?;
        Ok(self.take_out(association, &call, &caller.member.id, seen.group_id.is_some()).await?)
    }

    /// Takes a member whose live connection is gone out of the calls they
    /// joined before it went. `Live` asks for it when a member's last
    /// socket on this node has stayed closed for [`ABSENT_GRACE`] (a page
    /// reload or a network change opens a new one well within it): set-up
    /// messages reach a member only over a socket, so a member without one
    /// cannot be in a call, and the others should not wait for them — nor
    /// see them listed for 12 hours after their browser died. A call they
    /// joined after the socket went (over the API, before opening one)
    /// stays theirs.
    pub async fn leave_calls_without_socket(
        &self,
        association: &Association,
        member: &MemberId,
        closed_at: DateTime<Utc>,
    ) -> Result<(), CallError> {
        for (call, in_group) in
            self.store.calls_joined_before(&association.id, member.as_str(), closed_at, None).await?
        {
            self.take_out(association, &call, member, in_group).await?;
        }
        Ok(())
    }

    /// Takes a member who left a conversation (or the group whose chat it
    /// is) out of its open calls: a call is for the conversation's members,
    /// and one who left can no longer leave it themselves (it is 404 to
    /// them), so it would go on with them listed in it. The last one out
    /// ends it, as always.
    pub(crate) async fn leave_calls_in(
        &self,
        association: &Association,
        member: &MemberId,
        conversation: &str,
    ) -> Result<(), StoreError> {
        let now = self.clock.now();
        for (call, in_group) in
            self.store.calls_joined_before(&association.id, member.as_str(), now, Some(conversation)).await?
        {
            self.take_out(association, &call, member, in_group).await?;
        }
        Ok(())
    }

    /// A live socket of the member closed on this node: once
    /// [`ABSENT_GRACE`] has passed without another, their part in calls
    /// ends ([`Kindred::leave_calls_without_socket`]).
    pub fn live_socket_closed(&self, association: &Association, member: &MemberId) {
        let closed_at = self.clock.now();
        let (kindred, association, member) = (self.clone(), association.clone(), member.clone());
        tokio::spawn(async move {
            tokio::time::sleep(ABSENT_GRACE).await;
            if kindred.live.holds_socket(association.id.as_str(), member.as_str()) {
                return;
            }
            if let Err(error) = kindred.leave_calls_without_socket(&association, &member, closed_at).await {
                tracing::warn!(%error, "taking a member whose connection went out of their calls failed");
            }
        });
    }

    /// Takes the member out of the call and tells the others; when that
    /// ended it, the members who never joined missed it.
    async fn take_out(
        &self,
        association: &Association,
        call: &CallRecord,
        member: &MemberId,
        in_group: bool,
    ) -> Result<(), StoreError> {
        let (was_in, ended) =
            self.store.leave_call(&association.id, &call.id, member.as_str(), self.clock.now()).await?;
        if was_in {
            self.publish_call(association, &call.conversation_id, &call.id).await;
        }
        if ended && !in_group {
            self.missed_call(association, call).await?;
        }
        Ok(())
    }

    /// A `missed_call` notification to each member of the conversation who
    /// was never in the call that just ended. Not in a group's chat: a
    /// group's call is a room one drops into, not a call to each member.
    async fn missed_call(&self, association: &Association, call: &CallRecord) -> Result<(), StoreError> {
        let was_in = self.store.call_member_ids(&association.id, &call.id).await?;
        let recipients = self.store.conversation_recipients(&association.id, &call.conversation_id).await?;
        let missed: Vec<(String, String)> = recipients
            .into_iter()
            .filter(|r| r.status == "active" && r.member_status == "active" && !was_in.contains(&r.member_id))
            .map(|r| (kindred_domain::NotificationId::random().to_string(), r.member_id))
            .collect();
        self.store.insert_missed_calls(&association.id, &call.conversation_id, &missed, self.clock.now()).await?;
        self.notifications_written(association, missed.iter().map(|(id, member)| (member.as_str(), id.as_str()))).await;
        Ok(())
    }

    /// The call as the caller may see it.
    pub async fn call(
        &self,
        association: &Association,
        caller: &Caller,
        raw_call: &str,
    ) -> Result<CallView, CallError> {
        self.call_view(association, caller, raw_call).await
    }

    /// The calls of a conversation the caller has seen (its gate passed:
    /// `seen`) started within `[from, to]`, newest first, for its page to
    /// list among the messages. They name nobody: who was in a call shows
    /// only on the call's own page, by its rules.
    pub async fn conversation_calls(
        &self,
        association: &Association,
        caller: &Caller,
        seen: &SeenConversation,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<Vec<CallLine>, CallError> {
        let rows = self
            .store
            .conversation_calls(&association.id, seen.id.as_str(), caller.member.id.as_str(), from, to, 100)
            .await?;
        let stale_before = self.stale_before();
        Ok(rows
            .into_iter()
            .map(|row| {
                // A call left open by housekeeping's standard is over too.
                let over = row.ended_at.is_some() || row.started_at < stale_before;
                CallLine {
                    id: row.id,
                    video: row.video,
                    started_at: row.started_at,
                    ended_at: row.ended_at,
                    ongoing: !over,
                    // As the notification says: not in a group's chat, whose
                    // calls are rooms one drops into.
                    missed: over && !row.joined && seen.group_id.is_none(),
                }
            })
            .collect())
    }

    /// What the caller may do about calls in a conversation (for its
    /// page): nothing (not callable, by the same rule as starting), start
    /// one, or join the one that is open.
    pub async fn call_offer(
        &self,
        association: &Association,
        caller: &Caller,
        raw_conversation: &str,
    ) -> Result<CallOffer, CallError> {
        let seen = match self.callable(association, caller, raw_conversation).await {
            Ok(seen) => seen,
            Err(CallError::NotFound | CallError::AliasChat | CallError::RequestPending | CallError::NotAllowed) => {
                return Ok(CallOffer::Unavailable)
            }
            Err(other) => return Err(other),
        };
        match self.store.open_call(&association.id, seen.id.as_str(), self.stale_before()).await? {
            Some(call) => Ok(CallOffer::Join(self.call_view(association, caller, &call.id).await?)),
            None => Ok(CallOffer::Start),
        }
    }

    /// The call as the caller sees it; `NotFound` for an id that cannot be
    /// one and for a call whose conversation is closed to the caller
    /// (`live_calls` runs the conversation's gate).
    async fn call_view(
        &self,
        association: &Association,
        caller: &Caller,
        raw_call: &str,
    ) -> Result<CallView, CallError> {
        let id = CallId::parse(raw_call.trim()).ok_or(CallError::NotFound)?;
        let mut views = self.live_calls(association, &[caller], id.as_str()).await?;
        views.pop().flatten().ok_or(CallError::NotFound)
    }

    /// The call as each caller may see it now, in order: `None` for those
    /// the conversation is closed to. One read of the call, its members
    /// and the blocks among them, whatever the number of callers.
    pub(crate) async fn live_calls(
        &self,
        association: &Association,
        callers: &[&Caller],
        call: &str,
    ) -> Result<Vec<Option<CallView>>, CallError> {
        let Some(record) = self.store.call(&association.id, call).await? else {
            return Ok(callers.iter().map(|_| None).collect());
        };
        let access = self.conversation_access_all(association, callers, &record.conversation_id).await?;
        let in_call = self.store.call_participants(&association.id, &record.id).await?;
        let ids: Vec<String> = in_call.iter().map(|p| p.member_id.clone()).collect();
        let blocks = self.store.blocks_touching(&association.id, &ids).await?;
        let stale = record.started_at < self.stale_before();
        let ended_at = match (record.ended_at, stale) {
            (Some(at), _) => Some(at),
            (None, true) => Some(record.started_at + Duration::hours(LONGEST_CALL_HOURS)),
            (None, false) => None,
        };
        let mut views = Vec::with_capacity(callers.len());
        for (caller, seen) in callers.iter().zip(access) {
            match seen {
                Ok(_) => {}
                Err(MessagingError::Store(e)) => return Err(e.into()),
                Err(_) => {
                    views.push(None);
                    continue;
                }
            }
            let me = caller.member.id.as_str();
            let blocked: HashSet<&str> = blocks
                .iter()
                .filter_map(|(a, b)| match (a.as_str() == me, b.as_str() == me) {
                    (true, _) => Some(b.as_str()),
                    (_, true) => Some(a.as_str()),
                    _ => None,
                })
                .collect();
            views.push(Some(CallView {
                in_call: ended_at.is_none() && ids.iter().any(|m| m == me),
                started_by_me: record.started_by.as_deref() == Some(me),
                id: record.id.clone(),
                conversation_id: record.conversation_id.clone(),
                video: record.video,
                started_by: record.started_by.clone().filter(|s| !blocked.contains(s.as_str())),
                participants: if ended_at.is_some() {
                    Vec::new()
                } else {
                    in_call
                        .iter()
                        .filter_map(|p| {
                            let id = MemberId::from_trusted(p.member_id.clone());
                            let relation =
                                Relation { granted_to_viewer: None, blocked: blocked.contains(p.member_id.as_str()) };
                            let sight =
                                disclosure::sight(&caller_party(caller), &party(&id, &p.role, &p.status), relation);
                            sight.exists().then(|| ShownMember {
                                member_id: p.member_id.clone(),
                                pseudonym: Some(p.pseudonym.clone()),
                            })
                        })
                        .collect()
                },
                started_at: record.started_at,
                ended_at,
            }));
        }
        Ok(views)
    }

    /// The relays with credentials made now.
    fn ice_servers(&self) -> Vec<IceServer> {
        let mut servers = Vec::new();
        if !self.relays.stun.is_empty() {
            let urls = self.relays.stun.iter().map(|u| u.as_str().to_owned()).collect();
            servers.push(IceServer { urls, username: None, credential: None });
        }
        if let Some(turn) = &self.relays.turn {
            let expires = self.clock.now().timestamp() + i64::from(turn.credential_seconds);
            // Random, not the member's id: the relay's log names nobody.
            let username = turn_username(expires, kindred_domain::id::random_token().get(..16).unwrap_or_default());
            let credential = turn_credential(turn.secret.expose(), &username);
            let urls = turn.urls.iter().map(|u| u.as_str().to_owned()).collect();
            servers.push(IceServer { urls, username: Some(username), credential: Some(credential) });
        }
        servers
    }

    /// Passes a set-up message from the caller to another member of the
    /// call: both must be in it, and not in a block with each other.
    pub async fn send_call_signal(
        &self,
        association: &Association,
        caller: &Caller,
        signal: &OutgoingSignal,
    ) -> Result<(), CallError> {
        // One read of the call and one of the gate: the view is both.
        let view = self.call_view(association, caller, &signal.call_id).await?;
        let me = caller.member.id.as_str();
        let to = MemberId::parse(&signal.to).ok_or(CallError::NotInCall)?;
        let both_in = view.is_in(me) && view.is_in(to.as_str()) && to.as_str() != me;
        if view.ended_at.is_some() || !both_in {
            return Err(CallError::NotInCall);
        }
        let key = self.conversation_key(association, &view.conversation_id).await?.ok_or(CallError::NotFound)?;
        let id = kindred_domain::id::random_token();
        let payload = serde_json::json!({"sdp": signal.sdp, "candidate": signal.candidate}).to_string();
        let sealed = key.seal(&id, SIGNAL, payload.as_bytes())?;
        let record = CallSignalRecord {
            call_id: view.id.clone(),
            from_member: me.to_owned(),
            to_member: to.to_string(),
            sealed_payload: sealed,
            sent_at: self.clock.now(),
        };
        self.store.add_call_signal(&association.id, &id, &record).await?;
        let event = NewLiveEvent {
            member: to.as_str(),
            kind: "call_signal",
            conversation: Some(&view.conversation_id),
            subject: Some(&id),
        };
        self.publish_live(association, &[event]).await;
        Ok(())
    }

    /// A set-up message as its recipient receives it now: `None` unless
    /// it is theirs, fresh, and both are still in the call (and not in a
    /// block).
    pub(crate) async fn live_call_signal(
        &self,
        association: &Association,
        caller: &Caller,
        signal_id: &str,
    ) -> Result<Option<SignalView>, CallError> {
        let Some(signal) = self.store.call_signal(&association.id, signal_id).await? else { return Ok(None) };
        let me = caller.member.id.as_str();
        if signal.to_member != me || signal.sent_at < self.clock.now() - Duration::seconds(SIGNAL_SECONDS) {
            return Ok(None);
        }
        let Some(view) = self.live_calls(association, &[caller], &signal.call_id).await?.pop().flatten() else {
            return Ok(None);
        };
        let both_in = view.is_in(&signal.from_member) && view.is_in(me);
        if view.ended_at.is_some() || !both_in {
            return Ok(None);
        }
        let Some(key) = self.conversation_key(association, &view.conversation_id).await? else { return Ok(None) };
        let opened = key.open(signal_id, SIGNAL, &signal.sealed_payload)?;
        let payload: Value = serde_json::from_slice(&opened).unwrap_or(Value::Null);
        let part = |name: &str| payload.get(name).filter(|v| !v.is_null()).map(Value::to_string);
        Ok(Some(SignalView {
            call_id: signal.call_id,
            from: signal.from_member,
            sdp: part("sdp"),
            candidate: part("candidate"),
        }))
    }

    /// Rings (or tells of a change to) everyone in the conversation, the
    /// caller's other devices too; what each is shown is decided when it
    /// is sent.
    async fn publish_call(&self, association: &Association, conversation: &str, call: &str) {
        let recipients = match self.store.conversation_recipients(&association.id, conversation).await {
            Ok(rows) => rows,
            Err(error) => {
                tracing::warn!(%error, "call events not published");
                return;
            }
        };
        let events: Vec<NewLiveEvent<'_>> = recipients
            .iter()
            .filter(|r| r.status == "active" && r.member_status == "active")
            .map(|r| NewLiveEvent {
                member: &r.member_id,
                kind: "call",
                conversation: Some(conversation),
                subject: Some(call),
            })
            .collect();
        self.publish_live(association, &events).await;
    }

    /// Housekeeping: ends calls nobody left for [`LONGEST_CALL_HOURS`] and
    /// removes set-up messages older than [`SIGNAL_SECONDS`].
    pub async fn tidy_calls(&self, now: DateTime<Utc>) -> Result<(u64, u64), CallError> {
        let ended = self.store.end_stale_calls(now - Duration::hours(LONGEST_CALL_HOURS), now).await?;
        let removed = self.store.delete_call_signals_before(now - Duration::seconds(SIGNAL_SECONDS)).await?;
        Ok((ended, removed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The scheme coturn checks (`use-auth-secret`): a known answer,
    /// computed independently with `openssl dgst -sha1 -hmac`.
    #[test]
    fn turn_credentials_follow_the_rest_scheme() {
        assert_eq!(turn_credential("north", "1700000000:kindred"), "RKPkdtbkxej+OmUWJ9mMCnEP2Ng=");
        assert_ne!(turn_credential("south", "1700000000:kindred"), turn_credential("north", "1700000000:kindred"));
    }

    #[test]
    fn signals_are_parsed_strictly() {
        let ok = json!({"type": "call_signal", "call_id": "c", "to": "m", "sdp": {"type": "offer", "sdp": "v=0"}});
        let parsed = OutgoingSignal::parse(&ok).expect("ok");
        assert_eq!((parsed.call_id.as_str(), parsed.to.as_str()), ("c", "m"));
        assert!(parsed.candidate.is_none());
        assert!(OutgoingSignal::parse(&json!({"call_id": "c", "to": "m"})).is_err(), "nothing to send");
        assert!(OutgoingSignal::parse(&json!({"call_id": 1, "to": "m", "sdp": "x"})).is_err());
        assert!(OutgoingSignal::parse(&json!({"call_id": "c", "sdp": "x"})).is_err());
        assert!(OutgoingSignal::parse(&json!({"call_id": "c", "to": "m", "candidate": 5})).is_err());
        let huge = "x".repeat(MAX_SIGNAL_PART + 1);
        assert!(OutgoingSignal::parse(&json!({"call_id": "c", "to": "m", "sdp": huge})).is_err());
        let both = json!({"call_id": "c", "to": "m", "candidate": {"candidate": "", "sdpMid": "0"}, "sdp": null});
        assert!(OutgoingSignal::parse(&both).is_ok());
    }
}
