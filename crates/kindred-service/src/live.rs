//! service::live — live delivery of messages, notifications and unread
//! counts to the sockets members hold open (`GET …/api/v1/live`).
//!
//! **Ids only between nodes.** A use case that changes something a member
//! should see at once writes one row per recipient into the event log
//! (`store::live`, ids only, never text) and then publishes a [`Signal`]
//! naming the range of event ids through the [`Fanout`]. The fan-out is
//! one small interface: in-process (a tokio broadcast) on SQLite, where
//! one node serves; PostgreSQL `NOTIFY` on one channel where several nodes
//! share the database. A message broker could take its place.
//!
//! **Each node decides at delivery.** Every node's [`Hub`] receives every
//! signal, loads the rows of the range for the members that hold sockets on
//! this node, and queues each row to those sockets. The socket's task then
//! asks [`Kindred::live_event`], which authenticates the socket's session
//! anew (revoked, expired, suspended: the socket closes) and passes the
//! same gates as a request would (`conversation_access`, the notification
//! list's gates): a member who left or may no longer see the conversation
//! receives nothing. Nodes keep no other state; a node that missed signals
//! (a lost `LISTEN` connection, a lagging broadcast) asks its sockets to
//! catch up from the log.
//!
//! **Bounded.** A socket's queue holds [`QUEUE`] deliveries; a socket that
//! does not keep up is cut off instead of letting memory grow. One member
//! holds at most [`SOCKETS_PER_MEMBER`] sockets on a node.

use crate::messaging::{MessageView, MessagingError};
use crate::notification_list::{NotificationError, NotificationView};
use crate::sessions::{token_hash, Caller};
use crate::{Association, Kindred};
use chrono::Duration;
use kindred_domain::{AccountStatus, AssociationId, MemberId};
use kindred_store::{LiveEventRecord, NewLiveEvent, Store, StoreError};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use tokio::sync::{broadcast, mpsc, oneshot};

/// How long events are kept for catching up after a reconnect.
pub const EVENT_RETENTION_HOURS: i64 = 24;
/// How long a socket ticket is valid.
pub const TICKET_SECONDS: i64 = 60;
/// Deliveries one socket may have waiting before it is cut off.
pub const QUEUE: usize = 256;
/// Sockets one member may hold open on one node.
pub const SOCKETS_PER_MEMBER: usize = 16;
/// Events a catch-up reads at a time.
const CATCH_UP_BATCH: i64 = 200;
/// The PostgreSQL channel of the signals.
const CHANNEL: &str = "kindred_live";

/// What travels between nodes: ids only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    /// Events `first..=last` of an association were written.
    Events { association: String, first: i64, last: i64 },
    /// A member's sessions changed (one revoked, the member suspended):
    /// their sockets check their sessions now.
    Sessions { association: String, member: String },
    /// Signals may have been missed: every socket catches up from the log.
    Resync,
}

impl Signal {
    /// The `NOTIFY` payload: a letter and ids, far below PostgreSQL's 8000 bytes.
    pub fn encode(&self) -> String {
        match self {
            Self::Events { association, first, last } => format!("e {association} {first} {last}"),
            Self::Sessions { association, member } => format!("s {association} {member}"),
            Self::Resync => "r".to_owned(),
        }
    }

    /// A payload read back; anything else is `None` (and ignored).
    pub fn decode(payload: &str) -> Option<Self> {
        let parts: Vec<&str> = payload.split(' ').collect();
        let id_like = |s: &str| !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric());
        match parts.as_slice() {
            ["e", association, first, last] if id_like(association) => {
                let (first, last) = (first.parse().ok()?, last.parse().ok()?);
                (first <= last).then(|| Self::Events { association: (*association).to_owned(), first, last })
            }
            ["s", association, member] if id_like(association) && id_like(member) => {
                Some(Self::Sessions { association: (*association).to_owned(), member: (*member).to_owned() })
            }
            ["r"] => Some(Self::Resync),
            _ => None,
        }
    }
}

type Publishing<'a> = Pin<Box<dyn Future<Output = Result<(), StoreError>> + Send + 'a>>;

/// How signals reach every node. Replaceable (a broker for a very large
/// deployment): publish ids, and give each node a stream of them.
pub trait Fanout: Send + Sync {
    fn publish(&self, signal: Signal) -> Publishing<'_>;
    /// Every signal published after this call, by any node.
    fn subscribe(&self) -> broadcast::Receiver<Signal>;
}

/// Signals kept for a hub that is briefly behind; a hub further behind
/// asks its sockets to catch up from the log instead.
const BROADCAST: usize = 4096;

/// One node, in-process: SQLite.
pub struct InProcess {
    sender: broadcast::Sender<Signal>,
}

impl Default for InProcess {
    fn default() -> Self {
        Self { sender: broadcast::channel(BROADCAST).0 }
    }
}

impl Fanout for InProcess {
    fn publish(&self, signal: Signal) -> Publishing<'_> {
        // No receiver (no socket open yet) is not an error.
        let _ = self.sender.send(signal);
        Box::pin(async { Ok(()) })
    }

    fn subscribe(&self) -> broadcast::Receiver<Signal> {
        self.sender.subscribe()
    }
}

/// Several nodes on PostgreSQL: `NOTIFY kindred_live` carries the signal,
/// one `LISTEN` connection per node hands it to this node's hub. A node
/// hears its own signals this way too, so publishing sends nothing locally.
pub struct PgNotify {
    store: Store,
    sender: broadcast::Sender<Signal>,
    /// Dropped with the last clone of this fan-out: the listener stops.
    _stop: oneshot::Sender<()>,
}

impl PgNotify {
    /// Starts listening (one connection, kept for the node's life).
    pub async fn start(store: Store) -> Result<Self, StoreError> {
        let sender = broadcast::channel(BROADCAST).0;
        let (stop, mut stopped) = oneshot::channel::<()>();
        let mut listener = store.listen_live(CHANNEL).await?;
        let forward = sender.clone();
        let store_closed = store.clone();
        tokio::spawn(async move {
            let Some(listener) = listener.as_mut() else { return };
            loop {
                let next = tokio::select! {
                    _ = &mut stopped => return,
                    next = listener.next() => next,
                };
                match next {
                    Ok(Some(payload)) => match Signal::decode(&payload) {
                        Some(signal) => {
                            let _ = forward.send(signal);
                        }
                        None => tracing::warn!("a live signal that is not one of ours was ignored"),
                    },
                    // The connection was lost and is made anew by the next
                    // call: whatever came meanwhile is read from the log.
                    Ok(None) => {
                        let _ = forward.send(Signal::Resync);
                    }
                    // The node is stopping: the pool is closed and the
                    // listener's connection must go back for it to finish.
                    Err(_) if store_closed.is_closed() => return,
                    Err(error) => {
                        tracing::warn!(%error, "listening for live signals failed; trying again");
                        let _ = forward.send(Signal::Resync);
                        tokio::select! {
                            _ = &mut stopped => return,
                            () = tokio::time::sleep(std::time::Duration::from_secs(1)) => {}
                        }
                    }
                }
            }
        });
        Ok(Self { store, sender, _stop: stop })
    }
}

impl Fanout for PgNotify {
    fn publish(&self, signal: Signal) -> Publishing<'_> {
        Box::pin(async move { self.store.notify_live(CHANNEL, &signal.encode()).await })
    }

    fn subscribe(&self) -> broadcast::Receiver<Signal> {
        self.sender.subscribe()
    }
}

/// What a socket's task is handed.
#[derive(Debug, Clone)]
pub enum Delivery {
    Event(LiveEventRecord),
    /// Check the session now (it may have been revoked).
    Recheck,
    /// Catch up from the log: signals may have been missed.
    Resync,
}

struct Slot {
    id: u64,
    sender: mpsc::Sender<Delivery>,
    cut: Arc<AtomicBool>,
}

type Members = HashMap<(String, String), Vec<Slot>>;

/// This node's sockets by member, and the task that routes signals to them.
pub struct Hub {
    sockets: Mutex<Members>,
    next_id: AtomicU64,
    started: AtomicBool,
}

/// A socket's place in the hub; leaving it (drop) frees the place.
pub struct Registration {
    pub deliveries: mpsc::Receiver<Delivery>,
    /// Set when the hub cut this socket off (its queue was full).
    pub cut: Arc<AtomicBool>,
    hub: Weak<Hub>,
    key: (String, String),
    id: u64,
}

impl Drop for Registration {
    fn drop(&mut self) {
        if let Some(hub) = self.hub.upgrade() {
            hub.remove(&self.key, self.id);
        }
    }
}

/// Why a socket could not be registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooManySockets;

impl Hub {
    fn new() -> Self {
        Self { sockets: Mutex::new(HashMap::new()), next_id: AtomicU64::new(1), started: AtomicBool::new(false) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Members> {
        // A panic while holding the lock cannot leave the map half-changed
        // in a way that matters (entries are pushed or removed whole).
        self.sockets.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn remove(&self, key: &(String, String), id: u64) {
        let mut map = self.lock();
        if let Some(slots) = map.get_mut(key) {
            slots.retain(|s| s.id != id);
            if slots.is_empty() {
                map.remove(key);
            }
        }
    }

    /// Sockets open on this node (for metrics and the load tool).
    pub fn open_sockets(&self) -> usize {
        self.lock().values().map(Vec::len).sum()
    }

    /// Sockets the member holds open on this node.
    pub fn sockets_of(&self, association: &str, member: &str) -> usize {
        self.lock().get(&(association.to_owned(), member.to_owned())).map_or(0, Vec::len)
    }

    fn holds(&self, association: &str) -> bool {
        self.lock().keys().any(|(a, _)| a == association)
    }

    /// Queues `delivery` to every socket of the member; a socket whose
    /// queue is full is cut off (removed; its task closes it).
    fn deliver(&self, association: &str, member: &str, delivery: &Delivery) {
        let mut map = self.lock();
        let key = (association.to_owned(), member.to_owned());
        if let Some(slots) = map.get_mut(&key) {
            slots.retain(|slot| queue(slot, delivery.clone()));
            if slots.is_empty() {
                map.remove(&key);
            }
        }
    }

    fn deliver_everywhere(&self, delivery: &Delivery) {
        let mut map = self.lock();
        for slots in map.values_mut() {
            slots.retain(|slot| queue(slot, delivery.clone()));
        }
        map.retain(|_, slots| !slots.is_empty());
    }
}

/// True when the socket keeps its place.
fn queue(slot: &Slot, delivery: Delivery) -> bool {
    match slot.sender.try_send(delivery) {
        Ok(()) => true,
        Err(mpsc::error::TrySendError::Full(_)) => {
            slot.cut.store(true, Ordering::SeqCst);
            false
        }
        Err(mpsc::error::TrySendError::Closed(_)) => false,
    }
}

/// Routes signals to this node's sockets until the node goes away.
async fn route(hub: Weak<Hub>, store: Store, mut signals: broadcast::Receiver<Signal>) {
    loop {
        let signal = match signals.recv().await {
            Ok(signal) => signal,
            Err(broadcast::error::RecvError::Lagged(missed)) => {
                tracing::warn!(missed, "live signals missed; sockets catch up from the log");
                Signal::Resync
            }
            Err(broadcast::error::RecvError::Closed) => return,
        };
        let Some(hub) = hub.upgrade() else { return };
        match signal {
            Signal::Events { association, first, last } => {
                if !hub.holds(&association) {
                    continue;
                }
                let id = AssociationId::from_trusted(association.clone());
                match store.live_events_between(&id, first, last).await {
                    Ok(rows) => {
                        for row in rows {
                            let member = row.member_id.clone();
                            hub.deliver(&association, &member, &Delivery::Event(row));
                        }
                    }
                    Err(error) => {
                        tracing::warn!(%error, "reading live events failed; sockets catch up from the log");
                        hub.deliver_everywhere(&Delivery::Resync);
                    }
                }
            }
            Signal::Sessions { association, member } => hub.deliver(&association, &member, &Delivery::Recheck),
            Signal::Resync => hub.deliver_everywhere(&Delivery::Resync),
        }
    }
}

/// Live delivery of one node: the fan-out and the hub.
#[derive(Clone)]
pub struct Live {
    fanout: Arc<dyn Fanout>,
    hub: Arc<Hub>,
}

impl Live {
    pub fn new(fanout: Arc<dyn Fanout>) -> Self {
        Self { fanout, hub: Arc::new(Hub::new()) }
    }

    pub fn hub(&self) -> &Hub {
        &self.hub
    }

    /// Registers a socket of a member on this node; starts the routing
    /// task with the first socket.
    pub fn register(&self, store: &Store, association: &str, member: &str) -> Result<Registration, TooManySockets> {
        if !self.hub.started.swap(true, Ordering::SeqCst) {
            tokio::spawn(route(Arc::downgrade(&self.hub), store.clone(), self.fanout.subscribe()));
        }
        let key = (association.to_owned(), member.to_owned());
        let (sender, deliveries) = mpsc::channel(QUEUE);
        let cut = Arc::new(AtomicBool::new(false));
        let id = self.hub.next_id.fetch_add(1, Ordering::Relaxed);
        {
            let mut map = self.hub.lock();
            let slots = map.entry(key.clone()).or_default();
            if slots.len() >= SOCKETS_PER_MEMBER {
                return Err(TooManySockets);
            }
            slots.push(Slot { id, sender, cut: cut.clone() });
        }
        Ok(Registration { deliveries, cut, hub: Arc::downgrade(&self.hub), key, id })
    }
}

impl Default for Live {
    fn default() -> Self {
        Self::new(Arc::new(InProcess::default()))
    }
}

/// What a socket may be sent, decided at the moment of sending.
#[derive(Debug, Clone)]
pub enum LiveEvent {
    Message { conversation_id: String, message: Box<MessageView> },
    MessageEdited { conversation_id: String, message: Box<MessageView> },
    MessageDeleted { conversation_id: String, message_id: String },
    Read { conversation_id: String, message_id: String },
    ConversationRequest { conversation_id: String },
    Notification { notification: Box<NotificationView> },
}

/// The counts behind the badges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unread {
    pub messages: i64,
    pub notifications: i64,
}

/// What to do with one logged event for one socket.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Send it; `true` when it changes the unread counts (sent after it,
    /// see [`Kindred::live_unread`]).
    Send(Box<LiveEvent>, bool),
    /// The member may not see it (now): send nothing.
    Skip,
    /// The session is over (revoked, expired, member suspended): close.
    Ended,
}

#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Other(String),
}

impl From<MessagingError> for LiveError {
    fn from(error: MessagingError) -> Self {
        match error {
            MessagingError::Store(e) => Self::Store(e),
            other => Self::Other(other.to_string()),
        }
    }
}

impl From<NotificationError> for LiveError {
    fn from(error: NotificationError) -> Self {
        match error {
            NotificationError::Store(e) => Self::Store(e),
            other => Self::Other(other.to_string()),
        }
    }
}

/// A socket ticket just made.
#[derive(Debug, Clone)]
pub struct Ticket {
    pub ticket: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

impl Kindred {
    /// Writes events for `recipients` and tells every node. Failures are
    /// logged, never returned: what the event is about is written, and a
    /// missing live event must not make its writer do it again (the page
    /// shows it on the next load).
    pub(crate) async fn publish_live(&self, association: &Association, events: &[NewLiveEvent<'_>]) {
        if let Err(error) = self.try_publish_live(&association.id, events).await {
            tracing::warn!(%error, "live events not published");
        }
    }

    async fn try_publish_live(
        &self,
        association: &AssociationId,
        events: &[NewLiveEvent<'_>],
    ) -> Result<(), StoreError> {
        let now = self.clock.now();
        let expires = now + Duration::hours(EVENT_RETENTION_HOURS);
        let Some((first, last)) = self.store.add_live_events(association, events, now, expires).await? else {
            return Ok(());
        };
        self.live.fanout.publish(Signal::Events { association: association.to_string(), first, last }).await
    }

    /// Tells the member's sockets on every node to check their sessions
    /// (after a session was revoked or the member suspended).
    pub(crate) async fn sessions_changed(&self, association: &Association, member: &MemberId) {
        let signal = Signal::Sessions { association: association.id.to_string(), member: member.to_string() };
        if let Err(error) = self.live.fanout.publish(signal).await {
            tracing::warn!(%error, "live session signal not published");
        }
    }

    /// The caller of a socket, authenticated anew from its session's hash:
    /// `None` when the session ended or the member may no longer use the
    /// community (suspended, not active).
    pub async fn live_caller(
        &self,
        association: &Association,
        session_hash: &str,
    ) -> Result<Option<Caller>, StoreError> {
        let Some(caller) = self.authenticate_hash(association, session_hash).await? else { return Ok(None) };
        if caller.second_factor_pending || caller.member.status != AccountStatus::Active {
            return Ok(None);
        }
        if self.community_access(association, &caller).is_err() {
            return Ok(None);
        }
        Ok(Some(caller))
    }

    /// The hash a socket keeps of the secret it was opened with.
    pub fn live_session_hash(token: &str) -> String {
        token_hash(token)
    }

    /// A single-use ticket (60 s) for opening a socket as the caller's
    /// session; stored only as its hash.
    pub async fn live_ticket(
        &self,
        association: &Association,
        caller: &Caller,
        session_token: &str,
    ) -> Result<Ticket, StoreError> {
        let ticket = kindred_domain::id::random_token();
        let expires_at = self.clock.now() + Duration::seconds(TICKET_SECONDS);
        self.store
            .insert_live_ticket(
                &association.id,
                &token_hash(&ticket),
                &token_hash(session_token),
                caller.member.id.as_str(),
                expires_at,
            )
            .await?;
        Ok(Ticket { ticket, expires_at })
    }

    /// Spends a ticket: the session hash it stands for, once.
    pub async fn spend_live_ticket(
        &self,
        association: &Association,
        ticket: &str,
    ) -> Result<Option<String>, StoreError> {
        if ticket.is_empty() || ticket.len() > 128 {
            return Ok(None);
        }
        self.store.spend_live_ticket(&association.id, &token_hash(ticket), self.clock.now()).await
    }

    /// The member's events after `after`, oldest first (a catch-up).
    pub async fn live_events_after(
        &self,
        association: &Association,
        member: &MemberId,
        after: i64,
    ) -> Result<Vec<LiveEventRecord>, StoreError> {
        self.store.live_events_after(&association.id, member.as_str(), after, CATCH_UP_BATCH).await
    }

    /// How many events a catch-up reads at a time.
    pub fn live_catch_up_batch() -> usize {
        usize::try_from(CATCH_UP_BATCH).unwrap_or(200)
    }

    /// Decides, now, what the socket of `session_hash` is sent for a
    /// logged event: authenticates the session anew, then passes the same
    /// gate a request for the thing would.
    pub async fn live_event(
        &self,
        association: &Association,
        session_hash: &str,
        row: &LiveEventRecord,
    ) -> Result<Outcome, LiveError> {
        let Some(caller) = self.live_caller(association, session_hash).await? else { return Ok(Outcome::Ended) };
        if row.member_id != caller.member.id.as_str() {
            return Ok(Outcome::Skip);
        }
        let conversation = row.conversation_id.clone().unwrap_or_default();
        let subject = row.subject_id.clone().unwrap_or_default();
        let event = match row.kind.as_str() {
            "message" | "message_edited" => {
                let Some(message) = self.live_message(association, &caller, &conversation, &subject).await? else {
                    return Ok(Outcome::Skip);
                };
                let message = Box::new(message);
                if row.kind == "message" {
                    LiveEvent::Message { conversation_id: conversation, message }
                } else {
                    LiveEvent::MessageEdited { conversation_id: conversation, message }
                }
            }
            "message_deleted" | "read" | "conversation_request" => {
                match self.conversation_access(association, &caller, &conversation).await {
                    Ok(_) => {}
                    Err(MessagingError::Store(e)) => return Err(e.into()),
                    Err(_) => return Ok(Outcome::Skip),
                }
                match row.kind.as_str() {
                    "message_deleted" => {
                        LiveEvent::MessageDeleted { conversation_id: conversation, message_id: subject }
                    }
                    "read" => LiveEvent::Read { conversation_id: conversation, message_id: subject },
                    _ => LiveEvent::ConversationRequest { conversation_id: conversation },
                }
            }
            "notification" => {
                let page = self.notifications(association, &caller, None).await?;
                let Some(notification) = page.notifications.into_iter().find(|n| n.id.as_str() == subject) else {
                    return Ok(Outcome::Skip);
                };
                LiveEvent::Notification { notification: Box::new(notification) }
            }
            _ => return Ok(Outcome::Skip),
        };
        let counts_changed = !matches!(event, LiveEvent::MessageEdited { .. });
        Ok(Outcome::Send(Box::new(event), counts_changed))
    }

    /// The unread counts of the socket's member now; `None` when the
    /// session is over. A socket asks once a burst of events has been sent,
    /// not after each: the counts are the same work whatever the burst's
    /// length, and the events themselves are not held up by them.
    pub async fn live_unread(
        &self,
        association: &Association,
        session_hash: &str,
    ) -> Result<Option<Unread>, LiveError> {
        let Some(caller) = self.live_caller(association, session_hash).await? else { return Ok(None) };
        Ok(Some(Unread {
            messages: self.unread_messages(association, &caller).await?,
            notifications: self.unread_notifications(association, &caller).await?,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(hub: &Hub, member: &str) -> (mpsc::Receiver<Delivery>, Arc<AtomicBool>) {
        let (sender, deliveries) = mpsc::channel(QUEUE);
        let cut = Arc::new(AtomicBool::new(false));
        let id = hub.next_id.fetch_add(1, Ordering::Relaxed);
        hub.lock().entry(("a".to_owned(), member.to_owned())).or_default().push(Slot { id, sender, cut: cut.clone() });
        (deliveries, cut)
    }

    /// A client that stops reading fills its socket's queue; one delivery
    /// more cuts that socket off — memory per socket stays bounded — and
    /// nobody else's socket notices.
    #[test]
    fn a_socket_that_does_not_read_is_cut_off_alone() {
        let hub = Hub::new();
        let (_slow, slow_cut) = slot(&hub, "slow");
        let (mut quick, quick_cut) = slot(&hub, "quick");
        for _ in 0..QUEUE {
            hub.deliver("a", "slow", &Delivery::Recheck);
            hub.deliver("a", "quick", &Delivery::Recheck);
            assert!(quick.try_recv().is_ok(), "the reading socket gets each delivery");
        }
        assert!(!slow_cut.load(Ordering::SeqCst), "a full queue is not yet an overflow");
        assert_eq!(hub.sockets_of("a", "slow"), 1);

        hub.deliver("a", "slow", &Delivery::Recheck);
        hub.deliver("a", "quick", &Delivery::Recheck);
        assert!(slow_cut.load(Ordering::SeqCst), "one more is: the socket is cut off");
        assert_eq!(hub.sockets_of("a", "slow"), 0, "and gets nothing more");
        assert!(!quick_cut.load(Ordering::SeqCst));
        assert_eq!(hub.sockets_of("a", "quick"), 1);
        assert!(quick.try_recv().is_ok(), "the other socket is served as before");

        hub.deliver_everywhere(&Delivery::Resync);
        assert!(quick.try_recv().is_ok() && hub.open_sockets() == 1);
    }
}
