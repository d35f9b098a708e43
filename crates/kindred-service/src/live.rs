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
//! **Each node decides at delivery, once per event.** Every node's [`Hub`]
//! receives every signal and loads the rows of the range for the members
//! that hold sockets on this node. The rows of one thing (kind,
//! conversation, subject) are decided together by [`Kindred::live_decide`]
//! for all those sockets at once: their sessions as the hub last
//! authenticated them (within [`STANDING_FRESH`], forgotten on the member's
//! [`Signal::Sessions`]; the others in one read — revoked, expired,
//! suspended: the socket closes), the same gate a
//! request would pass (`conversation_access_all`, the batch form of
//! `conversation_access`, one rule), the message read and opened once — a
//! constant number of queries for N sockets, not N times as many. The
//! unread counts follow from a counting task once the events went out
//! ([`Delivery::Counts`]; a burst is counted once). A member who left or may no
//! longer see the conversation receives nothing. The hub then queues each
//! socket its ready outcome ([`Delivery::Ready`], shared behind an `Arc`
//! where the views are the same; a big thing's sockets are decided in a few
//! parts at once) and the socket's task only writes out and sends. A
//! catch-up after a reconnect goes through the same decision with
//! one socket ([`Kindred::live_event`]). Nodes keep no other state; a node
//! that missed signals (a lost `LISTEN` connection, a lagging broadcast)
//! asks its sockets to catch up from the log.
//!
//! **Routing needs the service.** The routing task is started with the
//! first socket and holds a clone of the [`Kindred`] it was registered
//! with, detached from this node's live delivery (`Kindred::detached`):
//! it may call every use case, but does not keep the hub alive; it ends
//! when the hub is dropped or the fan-out closes.
//!
//! **Positions are hidden.** An event's id in the log counts the events of
//! every member of every association; a member who saw it could count the
//! recipients of other members' actions between two of their own events.
//! A socket therefore names an event by [`LivePositions`]: the id hidden
//! under the association's key, bound to the member, and reads `since`
//! back the same way.
//!
//! **Bounded.** A socket's queue holds [`QUEUE`] deliveries; a socket that
//! does not keep up is cut off instead of letting memory grow. One member
//! holds at most [`SOCKETS_PER_MEMBER`] sockets on a node.

use crate::calls::{CallError, CallView, SignalView};
use crate::crypto::{AssociationKey, CryptoError};
use crate::groups::reads_closed_groups;
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
use std::time::Instant;
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
    /// An event decided for this socket by the node: send as it is.
    Ready(Ready),
    /// Check the session now (it may have been revoked).
    Recheck,
    /// Catch up from the log: signals may have been missed.
    Resync,
    /// The member's unread counts after the events up to `id` this
    /// socket was sent (those that changed them): counted by the node
    /// after the events went out, so that a message never waits for
    /// them. `None`: the socket reads them itself (the counting failed,
    /// or the member's sessions changed meanwhile: its session is checked
    /// on the way).
    Counts { id: i64, unread: Option<Unread> },
}

/// One logged event decided for one socket.
#[derive(Debug, Clone)]
pub struct Ready {
    /// The event's id (what `since` resumes after).
    pub id: i64,
    /// Shared by the sockets that are sent the same.
    pub outcome: Arc<Outcome>,
}

struct Slot {
    id: u64,
    sender: mpsc::Sender<Delivery>,
    cut: Arc<AtomicBool>,
    /// The hash of the secret the socket was opened with.
    session: Arc<str>,
    /// The session's caller as this node last authenticated it, and when.
    standing: Option<(Arc<Caller>, Instant)>,
    /// Counts the times the standing was forgotten: a socket's own check
    /// that began before a forgetting must not bring the old one back.
    generation: u64,
}

/// How long the node decides with a session's authentication before it
/// reads it again. What ends
/// a session at once — signing out, revoking it, a new password, the
/// member suspended or erased, a new role — signals the member's sessions changed
/// ([`Signal::Sessions`]), which forgets their standing before any later
/// event is decided; whether the member may see the thing itself (left,
/// blocked, removed from the group) is read anew for every event.
/// A socket's heartbeat (every 20 s) authenticates it and renews its
/// standing, so a healthy socket's is never read again on the way of an
/// event.
const STANDING_FRESH: std::time::Duration = std::time::Duration::from_secs(25);

/// How long one socket's standing is used: [`STANDING_FRESH`] less up to
/// five seconds, by socket, so that sockets authenticated by one message
/// are not all read again by the same later one.
fn fresh_for(slot: u64) -> std::time::Duration {
    STANDING_FRESH.saturating_sub(std::time::Duration::from_millis(slot.wrapping_mul(7919) % 5000))
}

/// A socket an event is decided for: whose event row it receives, and the
/// session it was opened with.
#[derive(Debug, Clone, Copy)]
pub struct LiveSocket<'a> {
    pub member: &'a str,
    pub session_hash: &'a str,
    pub standing: Standing<'a>,
}

/// What the node knows of a socket's session.
#[derive(Debug, Clone, Copy)]
pub enum Standing<'a> {
    /// Nothing fresh: authenticate it now.
    Unread,
    /// Authenticated within [`STANDING_FRESH`], no signal since.
    Active(&'a Caller),
    /// Found ended just now.
    Ended,
}

type Members = HashMap<(String, String), Vec<Slot>>;

/// This node's sockets by member, and the task that routes signals to them.
pub struct Hub {
    sockets: Mutex<Members>,
    /// Each association with sockets here, as its newest socket loaded it.
    associations: Mutex<HashMap<String, Arc<Association>>>,
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

impl Registration {
    /// Where the socket's standing stands before the socket checks its
    /// session itself (see [`Registration::remember`]).
    pub fn generation(&self) -> Option<u64> {
        let hub = self.hub.upgrade()?;
        let map = hub.lock();
        map.get(&self.key)?.iter().find(|s| s.id == self.id).map(|s| s.generation)
    }

    /// Keeps the caller the socket's own check found (a heartbeat, a
    /// recheck) as its standing — unless the standing was forgotten since
    /// `generation` was taken (a signal came while the check read).
    pub fn remember(&self, caller: Caller, generation: u64) {
        if let Some(hub) = self.hub.upgrade() {
            hub.remember(&self.key, self.id, Arc::new(caller), Some(generation));
        }
    }
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
        Self {
            sockets: Mutex::new(HashMap::new()),
            associations: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
            started: AtomicBool::new(false),
        }
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

    /// The sockets on this node of the `members` of an association:
    /// `(member, slot id, session hash, its caller if fresh)`.
    fn sockets_of_members(&self, association: &str, members: &[&str]) -> Vec<OnNode> {
        let map = self.lock();
        let mut found = Vec::new();
        for member in members {
            if let Some(slots) = map.get(&(association.to_owned(), (*member).to_owned())) {
                for slot in slots {
                    let fresh = slot.standing.as_ref().filter(|(_, at)| at.elapsed() < fresh_for(slot.id));
                    found.push(OnNode {
                        member: (*member).to_owned(),
                        slot: slot.id,
                        session: slot.session.clone(),
                        caller: fresh.map(|(caller, _)| caller.clone()),
                    });
                }
            }
        }
        found
    }

    /// Keeps a socket's session as just authenticated — with
    /// `generation`, only if its standing was not forgotten since that
    /// generation was taken (a check the socket began itself).
    fn remember(&self, key: &(String, String), slot_id: u64, caller: Arc<Caller>, generation: Option<u64>) {
        let mut map = self.lock();
        if let Some(slot) = map.get_mut(key).and_then(|slots| slots.iter_mut().find(|s| s.id == slot_id)) {
            if generation.is_none_or(|g| g == slot.generation) {
                slot.standing = Some((caller, Instant::now()));
            }
        }
    }

    /// The member's sessions changed: forget their standing (the next
    /// event authenticates them anew) and have each socket check its own.
    fn recheck(&self, association: &str, member: &str) {
        if let Some(slots) = self.lock().get_mut(&(association.to_owned(), member.to_owned())) {
            for slot in slots {
                slot.standing = None;
                slot.generation += 1;
            }
        }
        self.deliver(association, member, &Delivery::Recheck);
    }

    fn associations(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Association>>> {
        self.associations.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Queues each decided delivery to its one socket, in the order given;
    /// a socket whose queue is full is cut off.
    fn deliver_ready(&self, association: &str, deliveries: Vec<(String, u64, Ready)>) {
        let each = deliveries
            .into_iter()
            .map(|(member, slot, ready)| (member, slot, move |_: &Slot| Delivery::Ready(ready.clone())));
        self.deliver_each(association, each);
    }

    /// Queues each socket the counts after the events it was sent; a
    /// socket whose standing was forgotten since (the member's sessions
    /// changed) is told to read its own, its session checked on the way.
    fn deliver_counts(&self, association: &str, counted: Vec<Counted>) {
        let each = counted.into_iter().map(|Counted { member, slot, id, unread }| {
            (member, slot, move |slot: &Slot| Delivery::Counts {
                id,
                unread: unread.filter(|_| slot.standing.is_some()),
            })
        });
        self.deliver_each(association, each);
    }

    /// Queues to each `(member, slot id)` the delivery its function makes
    /// from the slot, in the order given; a socket whose queue is full is
    /// cut off (removed; its task closes it).
    fn deliver_each<F: Fn(&Slot) -> Delivery>(&self, association: &str, each: impl Iterator<Item = (String, u64, F)>) {
        let mut map = self.lock();
        for (member, slot_id, delivery) in each {
            let key = (association.to_owned(), member);
            if let Some(slots) = map.get_mut(&key) {
                slots.retain(|slot| slot.id != slot_id || queue(slot, delivery(slot)));
                if slots.is_empty() {
                    map.remove(&key);
                }
            }
        }
    }

    /// Queues `delivery` to every socket (forgetting every standing:
    /// signals may have been missed).
    fn deliver_everywhere(&self, delivery: &Delivery) {
        let mut map = self.lock();
        for slots in map.values_mut() {
            for slot in slots.iter_mut() {
                slot.standing = None;
                slot.generation += 1;
            }
            slots.retain(|slot| queue(slot, delivery.clone()));
        }
        map.retain(|_, slots| !slots.is_empty());
    }
}

/// A socket on this node, as the routing task sees it.
struct OnNode {
    member: String,
    slot: u64,
    session: Arc<str>,
    caller: Option<Arc<Caller>>,
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

/// A socket the routing task sent events that changed the counts: the
/// last such event's id, and the member's caller the events were decided
/// with.
struct Due {
    slot: u64,
    member: String,
    id: i64,
    caller: Arc<Caller>,
}

/// What the routing task hands the counting task after queueing events.
struct CountsDue {
    association: String,
    sockets: Vec<Due>,
}

/// The counts for one socket (see [`Delivery::Counts`]).
struct Counted {
    member: String,
    slot: u64,
    id: i64,
    unread: Option<Unread>,
}

/// Routes signals to this node's sockets until the node goes away.
async fn route(
    hub: Weak<Hub>,
    kindred: Kindred,
    mut signals: broadcast::Receiver<Signal>,
    counts: mpsc::UnboundedSender<CountsDue>,
) {
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
                if let Err(error) = route_events(&hub, &kindred, &counts, &association, first, last).await {
                    tracing::warn!(%error, "deciding live events failed; sockets catch up from the log");
                    hub.deliver_everywhere(&Delivery::Resync);
                }
            }
            Signal::Sessions { association, member } => hub.recheck(&association, &member),
            Signal::Resync => hub.deliver_everywhere(&Delivery::Resync),
        }
    }
}

/// Decides the events `first..=last` for this node's sockets, one
/// decision per thing (kind, conversation, subject) for all of them, and
/// queues each socket what it is sent, in the order of the event ids;
/// then hands the sockets whose counts changed to the counting task.
async fn route_events(
    hub: &Hub,
    kindred: &Kindred,
    counts: &mpsc::UnboundedSender<CountsDue>,
    association: &str,
    first: i64,
    last: i64,
) -> Result<(), LiveError> {
    let started = Instant::now();
    let id = AssociationId::from_trusted(association.to_owned());
    let rows = kindred.store.live_events_between(&id, first, last).await?;
    let read_at = started.elapsed();
    let members: Vec<&str> = {
        let mut members: Vec<&str> = rows.iter().map(|r| r.member_id.as_str()).collect();
        members.sort_unstable();
        members.dedup();
        members
    };
    let mut sockets = hub.sockets_of_members(association, &members);
    let loaded = hub.associations().get(association).cloned();
    let (false, Some(loaded)) = (sockets.is_empty(), loaded) else { return Ok(()) };
    // Sessions without a fresh standing are authenticated now, in one
    // read, and remembered; an ended one is decided `Ended` (its socket
    // closes).
    let unread: Vec<String> = sockets.iter().filter(|s| s.caller.is_none()).map(|s| s.session.to_string()).collect();
    let mut read = kindred.live_callers(&loaded, &unread).await?.into_iter();
    for socket in sockets.iter_mut().filter(|s| s.caller.is_none()) {
        if let Some(caller) = read.next().flatten().map(Arc::new) {
            let key = (association.to_owned(), socket.member.clone());
            hub.remember(&key, socket.slot, caller.clone(), None);
            socket.caller = Some(caller);
        }
    }
    // A socket still without a caller has a session that ended.
    let mut by_member: HashMap<&str, Vec<(u64, &str, Standing<'_>)>> = HashMap::new();
    for socket in &sockets {
        let standing = socket.caller.as_deref().map_or(Standing::Ended, Standing::Active);
        by_member.entry(socket.member.as_str()).or_default().push((socket.slot, &socket.session, standing));
    }
    let mut deliveries: Vec<(String, u64, Ready)> = Vec::new();
    for group in same_thing(&rows) {
        // Each socket of each row's member, with the row it is decided for.
        let mut targets: Vec<(&LiveEventRecord, u64)> = Vec::new();
        let mut asked: Vec<LiveSocket<'_>> = Vec::new();
        for row in &group {
            for (slot, session, standing) in by_member.get(row.member_id.as_str()).into_iter().flatten() {
                targets.push((*row, *slot));
                asked.push(LiveSocket { member: &row.member_id, session_hash: session, standing: *standing });
            }
        }
        if asked.is_empty() {
            continue;
        }
        let decided = decide_in_parts(kindred, &loaded, group[0], &asked).await?;
        for ((row, slot), outcome) in targets.into_iter().zip(decided) {
            if !matches!(*outcome, Outcome::Skip) {
                deliveries.push((row.member_id.clone(), slot, Ready { id: row.id, outcome }));
            }
        }
    }
    // A member's events arrive in the order of their ids (a socket drops
    // an id not above the last it sent), whatever the grouping did.
    deliveries.sort_by_key(|(_, _, ready)| ready.id);
    let callers: HashMap<u64, &Arc<Caller>> =
        sockets.iter().filter_map(|s| s.caller.as_ref().map(|caller| (s.slot, caller))).collect();
    let due: Vec<Due> = deliveries
        .iter()
        .filter(|(_, _, ready)| matches!(*ready.outcome, Outcome::Send { counts_changed: true, .. }))
        .filter_map(|(member, slot, ready)| {
            let caller = Arc::clone(callers.get(slot)?);
            Some(Due { slot: *slot, member: member.clone(), id: ready.id, caller })
        })
        .collect();
    let decided_at = started.elapsed();
    let queued = deliveries.len();
    hub.deliver_ready(association, deliveries);
    tracing::debug!(rows = rows.len(), queued, ?read_at, ?decided_at, total = ?started.elapsed(), "live events routed");
    if !due.is_empty() {
        // The counting task ends only with the routing task.
        let _ = counts.send(CountsDue { association: association.to_owned(), sockets: due });
    }
    Ok(())
}

/// Counts the unread items of the members whose sockets the routing task
/// sent events that changed them — after those events went out, so that
/// a message to a chat of thousands does not wait for thousands of counts
/// — and queues each socket its counts. What queued up while it counted is
/// counted together: a burst of messages is one count per member.
async fn count(hub: Weak<Hub>, kindred: Kindred, mut due: mpsc::UnboundedReceiver<CountsDue>) {
    while let Some(first) = due.recv().await {
        let mut owed: HashMap<String, HashMap<u64, Due>> = HashMap::new();
        let mut add = |batch: CountsDue| {
            let sockets = owed.entry(batch.association).or_default();
            for socket in batch.sockets {
                if sockets.get(&socket.slot).is_none_or(|known| known.id < socket.id) {
                    sockets.insert(socket.slot, socket);
                }
            }
        };
        add(first);
        while let Ok(more) = due.try_recv() {
            add(more);
        }
        let Some(hub) = hub.upgrade() else { return };
        for (association, sockets) in owed {
            let started = Instant::now();
            let counted = count_sockets(&hub, &kindred, &association, sockets.into_values().collect()).await;
            tracing::debug!(sockets = counted.len(), took = ?started.elapsed(), "live counts read");
            hub.deliver_counts(&association, counted);
        }
    }
}

/// The counts of each socket's member, read in parts at once; `None` for
/// all when they could not be read (each socket then reads its own).
async fn count_sockets(hub: &Hub, kindred: &Kindred, association: &str, sockets: Vec<Due>) -> Vec<Counted> {
    let loaded = hub.associations().get(association).cloned();
    let mut members: Vec<&Caller> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for socket in &sockets {
        if seen.insert(socket.member.as_str()) {
            members.push(&socket.caller);
        }
    }
    let counts: Option<HashMap<String, Unread>> = match loaded {
        None => None,
        Some(loaded) => {
            let size = members.len().div_ceil(DECISION_PARTS).max(DECISION_PART);
            let parts = members.chunks(size).map(|part| kindred.live_unreads(&loaded, part));
            match futures_util::future::try_join_all(parts).await {
                Ok(parts) => Some(parts.into_iter().flatten().collect()),
                Err(error) => {
                    tracing::warn!(%error, "counting unread items for live sockets failed; each reads its own");
                    None
                }
            }
        }
    };
    sockets
        .into_iter()
        .map(|socket| Counted {
            unread: counts.as_ref().and_then(|c| c.get(socket.member.as_str()).copied()),
            member: socket.member,
            slot: socket.slot,
            id: socket.id,
        })
        .collect()
}

/// Sockets one decision takes before the rest is decided beside it.
const DECISION_PART: usize = 250;
/// Parts decided at once, at most: each reads on a connection of its own.
const DECISION_PARTS: usize = 4;

/// [`Kindred::live_decide`] for many sockets, in parts decided at once: a
/// message to a group chat of thousands is a few reads of thousands of
/// rows, which one after another would keep one core busy while the
/// others wait. Answers in the order of `sockets`.
async fn decide_in_parts(
    kindred: &Kindred,
    association: &Association,
    row: &LiveEventRecord,
    sockets: &[LiveSocket<'_>],
) -> Result<Vec<Arc<Outcome>>, LiveError> {
    let size = sockets.len().div_ceil(DECISION_PARTS).max(DECISION_PART);
    let parts = sockets.chunks(size).map(|part| kindred.live_decide(association, row, part));
    let decided = futures_util::future::try_join_all(parts).await?;
    Ok(decided.into_iter().flatten().collect())
}

/// The rows of a range grouped by the thing they are about (kind,
/// conversation, subject), each group in the order of its first row.
fn same_thing(rows: &[LiveEventRecord]) -> Vec<Vec<&LiveEventRecord>> {
    let mut groups: Vec<Vec<&LiveEventRecord>> = Vec::new();
    let mut index: HashMap<(&str, Option<&str>, Option<&str>), usize> = HashMap::new();
    for row in rows {
        let key = (row.kind.as_str(), row.conversation_id.as_deref(), row.subject_id.as_deref());
        match index.get(&key) {
            Some(&i) => groups[i].push(row),
            None => {
                index.insert(key, groups.len());
                groups.push(vec![row]);
            }
        }
    }
    groups
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

    /// Whether this node holds a live socket of the member now.
    pub fn holds_socket(&self, association: &str, member: &str) -> bool {
        self.hub.lock().contains_key(&(association.to_owned(), member.to_owned()))
    }

    pub fn hub(&self) -> &Hub {
        &self.hub
    }

    /// Registers a socket of a member on this node (opened with the
    /// session of `session_hash`); starts the routing task with the first
    /// socket.
    pub fn register(
        &self,
        kindred: &Kindred,
        association: &Arc<Association>,
        member: &str,
        session_hash: &str,
    ) -> Result<Registration, TooManySockets> {
        if !self.hub.started.swap(true, Ordering::SeqCst) {
            let (counts, due) = mpsc::unbounded_channel();
            tokio::spawn(route(Arc::downgrade(&self.hub), kindred.detached(), self.fanout.subscribe(), counts));
            tokio::spawn(count(Arc::downgrade(&self.hub), kindred.detached(), due));
        }
        let key = (association.id.to_string(), member.to_owned());
        let (sender, deliveries) = mpsc::channel(QUEUE);
        let cut = Arc::new(AtomicBool::new(false));
        let id = self.hub.next_id.fetch_add(1, Ordering::Relaxed);
        {
            let mut map = self.hub.lock();
            let slots = map.entry(key.clone()).or_default();
            if slots.len() >= SOCKETS_PER_MEMBER {
                return Err(TooManySockets);
            }
            let session = Arc::from(session_hash);
            slots.push(Slot { id, sender, cut: cut.clone(), session, standing: None, generation: 0 });
        }
        // The settings as the newest socket loaded them (a request's worth
        // of freshness): what this node decides with.
        self.hub.associations().insert(key.0.clone(), association.clone());
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
    Message {
        conversation_id: String,
        message: Arc<MessageView>,
    },
    MessageEdited {
        conversation_id: String,
        message: Arc<MessageView>,
    },
    MessageDeleted {
        conversation_id: String,
        message_id: String,
    },
    Read {
        conversation_id: String,
        message_id: String,
    },
    ConversationRequest {
        conversation_id: String,
    },
    Notification {
        notification: Box<NotificationView>,
    },
    /// A call rang, or changed (someone joined or left, it ended): the call
    /// as the recipient may see it now (`service::calls`).
    Call {
        call: Box<CallView>,
    },
    /// A set-up message for a call from another member in it.
    CallSignal {
        signal: Box<SignalView>,
    },
}

/// The event as the transport writes it, without its id, made by the
/// first socket that sends it: an outcome is shared by every socket shown
/// the same, so a message for a thousand sockets is written out once.
#[derive(Debug, Clone, Default)]
pub struct Frame(std::sync::OnceLock<Box<str>>);

impl Frame {
    /// The written event, made by `write` the first time.
    pub fn get_or_init(&self, write: impl FnOnce() -> Box<str>) -> &str {
        self.0.get_or_init(write)
    }
}

impl Outcome {
    fn send(event: LiveEvent, counts_changed: bool) -> Self {
        Self::Send { event, counts_changed, frame: Frame::default() }
    }
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
    /// Send it; `counts_changed` when it changes the unread counts (sent
    /// after it).
    Send { event: LiveEvent, counts_changed: bool, frame: Frame },
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

impl From<CallError> for LiveError {
    fn from(error: CallError) -> Self {
        match error {
            CallError::Store(e) => Self::Store(e),
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

/// How one member's sockets name the events of the log: the row id (the
/// position of an event among all the deployment's events, in order)
/// hidden under the association's key and bound to the member
/// ([`AssociationKey::hide_number`]), so the text tells nothing of how
/// many events others had in between. The same event for the same member
/// is always the same text, so an `unread` event can repeat its event's id
/// and a client can resume after it; another member's text is not read.
#[derive(Clone, Debug)]
pub struct LivePositions {
    key: AssociationKey,
    /// "live-event:" + the member's id.
    purpose: String,
}

impl LivePositions {
    /// The text the member is shown for the event of `id`. Row ids start
    /// at 1; nothing below 0 is ever named (it would be taken for 0).
    pub fn name(&self, id: i64) -> String {
        self.key.hide_number(&self.purpose, u64::try_from(id).unwrap_or(0))
    }

    /// The event id a text of this member names; `None` for anything
    /// this member was not given (altered, another member's, made up).
    pub fn read(&self, text: &str) -> Option<i64> {
        self.key.reveal_number(&self.purpose, text).and_then(|n| i64::try_from(n).ok())
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
    /// and every node to authenticate them anew for the next event (after
    /// a session was revoked, the password changed, the member suspended,
    /// erased or given another role).
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
        Ok(self.live_callers(association, &[session_hash.to_owned()]).await?.pop().flatten())
    }

    /// [`Kindred::live_caller`] for many sockets at once, in order: one read
    /// of all their sessions (`authenticate_hashes`), then the same checks.
    pub(crate) async fn live_callers(
        &self,
        association: &Association,
        hashes: &[String],
    ) -> Result<Vec<Option<Caller>>, StoreError> {
        let callers = self.authenticate_hashes(association, hashes).await?;
        Ok(callers.into_iter().map(|caller| caller.filter(|c| self.may_stay_live(association, c))).collect())
    }

    /// Whether a socket's caller may still be sent anything: the session
    /// complete, the member active, and the community's gate open.
    fn may_stay_live(&self, association: &Association, caller: &Caller) -> bool {
        !caller.second_factor_pending
            && caller.member.status == AccountStatus::Active
            && self.community_access(association, caller).is_ok()
    }

    /// This service detached from this node's live delivery (an empty hub
    /// of its own that nothing routes to): what the routing task holds,
    /// so that it can call any use case without keeping the node's hub
    /// alive (it stops when the hub is dropped).
    fn detached(&self) -> Kindred {
        Kindred { live: Live::default(), ..self.clone() }
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

    /// How the member's sockets name events ([`LivePositions`]).
    /// Fails only when the association's key cannot be derived, which a
    /// working system never sees.
    pub fn live_positions(&self, association: &Association, member: &MemberId) -> Result<LivePositions, CryptoError> {
        let key = self.keys.association(&association.id)?;
        Ok(LivePositions { key, purpose: format!("live-event:{}", member.as_str()) })
    }

    /// How many events a catch-up reads at a time.
    pub fn live_catch_up_batch() -> usize {
        usize::try_from(CATCH_UP_BATCH).unwrap_or(200)
    }

    /// Decides, now, what the socket of `session_hash` is sent for a
    /// logged event (a catch-up): [`Kindred::live_decide`] for one socket.
    pub async fn live_event(
        &self,
        association: &Association,
        session_hash: &str,
        row: &LiveEventRecord,
    ) -> Result<Arc<Outcome>, LiveError> {
        let socket = LiveSocket { member: &row.member_id, session_hash, standing: Standing::Unread };
        let mut decided = self.live_decide(association, row, &[socket]).await?;
        Ok(decided.pop().unwrap_or_else(|| Arc::new(Outcome::Skip)))
    }

    /// Decides, now, what each socket is sent for a logged event — `row`
    /// names the thing (kind, conversation, subject); each socket receives
    /// it as `member` with the session it was opened with. Answers in the
    /// order of `sockets`: the session is authenticated anew (ended:
    /// `Ended`), must be the member's (else `Skip`), then the same gate a
    /// request for the thing would pass. A constant number of reads whatever the
    /// number of sockets, except for notifications (decided per member
    /// through the notification list's gates).
    pub async fn live_decide(
        &self,
        association: &Association,
        row: &LiveEventRecord,
        sockets: &[LiveSocket<'_>],
    ) -> Result<Vec<Arc<Outcome>>, LiveError> {
        // Sessions the node has no fresh standing of are authenticated now.
        let unread: Vec<String> = sockets
            .iter()
            .filter(|s| matches!(s.standing, Standing::Unread))
            .map(|s| s.session_hash.to_owned())
            .collect();
        let read = if unread.is_empty() { Vec::new() } else { self.live_callers(association, &unread).await? };
        let mut from_read = read.iter();
        let callers: Vec<Option<&Caller>> = sockets
            .iter()
            .map(|s| match s.standing {
                Standing::Active(caller) => Some(caller),
                Standing::Ended => None,
                Standing::Unread => from_read.next().and_then(Option::as_ref),
            })
            .collect();
        // The members asked about, once each, with one of their callers.
        let mut members: Vec<&Caller> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut member_of: Vec<Result<usize, Outcome>> = Vec::with_capacity(sockets.len());
        for (socket, caller) in sockets.iter().zip(callers) {
            member_of.push(match caller {
                None => Err(Outcome::Ended),
                Some(caller) if caller.member.id.as_str() != socket.member => Err(Outcome::Skip),
                Some(caller) => Ok(*index.entry(caller.member.id.as_str()).or_insert_with(|| {
                    members.push(caller);
                    members.len() - 1
                })),
            });
        }
        let outcomes = self.decide_for_members(association, row, &members).await?;
        let (ended, skip) = (Arc::new(Outcome::Ended), Arc::new(Outcome::Skip));
        Ok(member_of
            .into_iter()
            .map(|m| match m {
                Err(Outcome::Ended) => ended.clone(),
                Err(_) => skip.clone(),
                Ok(i) => outcomes[i].clone(),
            })
            .collect())
    }

    /// The outcome of `row`'s thing for each member (authenticated, with
    /// a session of their own), in order.
    async fn decide_for_members(
        &self,
        association: &Association,
        row: &LiveEventRecord,
        members: &[&Caller],
    ) -> Result<Vec<Arc<Outcome>>, LiveError> {
        let skip = Arc::new(Outcome::Skip);
        if members.is_empty() {
            return Ok(Vec::new());
        }
        let conversation = row.conversation_id.clone().unwrap_or_default();
        let subject = row.subject_id.clone().unwrap_or_default();
        let kind = row.kind.as_str();
        match kind {
            "message" | "message_edited" => {
                let views = self.live_messages(association, members, &conversation, &subject).await?;
                // Members shown the same view share one outcome.
                let mut shared: Vec<(Arc<MessageView>, Arc<Outcome>)> = Vec::new();
                Ok(views
                    .into_iter()
                    .map(|view| {
                        let Some(view) = view else { return skip.clone() };
                        if let Some((_, outcome)) = shared.iter().find(|(v, _)| Arc::ptr_eq(v, &view)) {
                            return outcome.clone();
                        }
                        let conversation_id = conversation.clone();
                        let outcome = Arc::new(if kind == "message" {
                            Outcome::send(LiveEvent::Message { conversation_id, message: view.clone() }, true)
                        } else {
                            Outcome::send(LiveEvent::MessageEdited { conversation_id, message: view.clone() }, false)
                        });
                        shared.push((view, outcome.clone()));
                        outcome
                    })
                    .collect())
            }
            "message_deleted" | "read" | "conversation_request" => {
                let event = match kind {
                    "message_deleted" => {
                        LiveEvent::MessageDeleted { conversation_id: conversation.clone(), message_id: subject }
                    }
                    "read" => LiveEvent::Read { conversation_id: conversation.clone(), message_id: subject },
                    _ => LiveEvent::ConversationRequest { conversation_id: conversation.clone() },
                };
                let send = Arc::new(Outcome::send(event, true));
                let access = self.conversation_access_all(association, members, &conversation).await?;
                access
                    .into_iter()
                    .map(|seen| match seen {
                        Ok(_) => Ok(send.clone()),
                        Err(MessagingError::Store(e)) => Err(e.into()),
                        Err(_) => Ok(skip.clone()),
                    })
                    .collect()
            }
            "notification" => {
                // Per member: the notification list's gates decide.
                let mut outcomes = Vec::with_capacity(members.len());
                for caller in members {
                    let page = self.notifications(association, caller, None).await?;
                    outcomes.push(match page.notifications.into_iter().find(|n| n.id.as_str() == subject) {
                        Some(notification) => Arc::new(Outcome::send(
                            LiveEvent::Notification { notification: Box::new(notification) },
                            true,
                        )),
                        None => skip.clone(),
                    });
                }
                Ok(outcomes)
            }
            "call" => {
                // One read of the call for all; each member's view differs
                // only where a block hides someone.
                let views = self.live_calls(association, members, &subject).await?;
                let mut shared: Vec<(CallView, Arc<Outcome>)> = Vec::new();
                Ok(views
                    .into_iter()
                    .map(|view| {
                        let Some(view) = view else { return skip.clone() };
                        if let Some((_, outcome)) = shared.iter().find(|(v, _)| *v == view) {
                            return outcome.clone();
                        }
                        let outcome = Arc::new(Outcome::send(LiveEvent::Call { call: Box::new(view.clone()) }, false));
                        shared.push((view, outcome.clone()));
                        outcome
                    })
                    .collect())
            }
            "call_signal" => {
                // One recipient: the member the row is for.
                let mut outcomes = Vec::with_capacity(members.len());
                for caller in members {
                    outcomes.push(match self.live_call_signal(association, caller, &subject).await? {
                        Some(signal) => {
                            Arc::new(Outcome::send(LiveEvent::CallSignal { signal: Box::new(signal) }, false))
                        }
                        None => skip.clone(),
                    });
                }
                Ok(outcomes)
            }
            _ => Ok(members.iter().map(|_| skip.clone()).collect()),
        }
    }

    /// The unread counts of the socket's member now; `None` when the
    /// session is over. A socket asks after a catch-up; for events decided
    /// by the node, the node counts ([`Delivery::Counts`]).
    pub async fn live_unread(
        &self,
        association: &Association,
        session_hash: &str,
    ) -> Result<Option<Unread>, LiveError> {
        let Some(caller) = self.live_caller(association, session_hash).await? else { return Ok(None) };
        let counts = self.live_unreads(association, &[&caller]).await?;
        Ok(Some(counts.get(caller.member.id.as_str()).copied().unwrap_or(Unread { messages: 0, notifications: 0 })))
    }

    /// The unread counts of several members at once, by member id: one
    /// read for the messages, one for the notifications (the same rules as
    /// `unread_messages` and `unread_notifications`).
    async fn live_unreads(
        &self,
        association: &Association,
        callers: &[&Caller],
    ) -> Result<HashMap<String, Unread>, LiveError> {
        if callers.is_empty() {
            return Ok(HashMap::new());
        }
        let members: Vec<MemberId> = callers.iter().map(|c| c.member.id.clone()).collect();
        let staff: Vec<MemberId> =
            callers.iter().filter(|c| reads_closed_groups(c)).map(|c| c.member.id.clone()).collect();
        let (messages, notifications) = tokio::try_join!(
            self.store.unread_messages_of(&association.id, &members, self.clock.now()),
            self.store.unread_notification_counts(&association.id, &members, &staff),
        )?;
        let messages: HashMap<String, i64> = messages.into_iter().collect();
        let notifications: HashMap<String, i64> = notifications.into_iter().collect();
        Ok(members
            .into_iter()
            .map(|m| {
                let key = m.as_str();
                let counts = Unread {
                    messages: messages.get(key).copied().unwrap_or(0),
                    notifications: notifications.get(key).copied().unwrap_or(0),
                };
                (m.to_string(), counts)
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(hub: &Hub, member: &str) -> (mpsc::Receiver<Delivery>, Arc<AtomicBool>) {
        let (sender, deliveries) = mpsc::channel(QUEUE);
        let cut = Arc::new(AtomicBool::new(false));
        let id = hub.next_id.fetch_add(1, Ordering::Relaxed);
        let slot = Slot { id, sender, cut: cut.clone(), session: Arc::from("hash"), standing: None, generation: 0 };
        hub.lock().entry(("a".to_owned(), member.to_owned())).or_default().push(slot);
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

    fn row(id: i64, member: &str, kind: &str, conversation: &str, subject: &str) -> LiveEventRecord {
        LiveEventRecord {
            id,
            member_id: member.to_owned(),
            kind: kind.to_owned(),
            conversation_id: Some(conversation.to_owned()),
            subject_id: Some(subject.to_owned()),
        }
    }

    /// The rows of one thing are decided together, whatever rows of other
    /// things come between them; groups keep the order of their first row.
    #[test]
    fn rows_are_grouped_by_the_thing_they_are_about() {
        let rows = [
            row(1, "ann", "message", "c1", "m1"),
            row(2, "ann", "read", "c1", "m1"),
            row(3, "ben", "message", "c1", "m1"),
            row(4, "ben", "message", "c1", "m2"),
            row(5, "cleo", "message", "c2", "m1"),
            row(6, "cleo", "message", "c1", "m1"),
        ];
        let groups: Vec<Vec<i64>> = same_thing(&rows).iter().map(|g| g.iter().map(|r| r.id).collect()).collect();
        assert_eq!(groups, vec![vec![1, 3, 6], vec![2], vec![4], vec![5]]);
        assert!(same_thing(&[]).is_empty());
    }

    fn caller(member: &str) -> Caller {
        let member = crate::sessions::Member {
            id: MemberId::from_trusted(member.to_owned()),
            email: String::new(),
            pseudonym: member.to_owned(),
            role: kindred_domain::AccountRole::Member,
            status: AccountStatus::Active,
            discoverable: false,
            badge: None,
            language: None,
            time_zone: None,
            has_totp: false,
            has_passkey: false,
            pseudonym_pending: false,
            terms_version: None,
        };
        Caller {
            member,
            session_id: String::new(),
            kind: crate::sessions::SessionKind::Api,
            second_factor_pending: false,
        }
    }

    /// A socket's own check keeps what it found as the node's standing of
    /// it — unless the member's sessions changed while it read: a check
    /// begun before the signal must not bring the forgotten standing back.
    #[test]
    fn a_check_begun_before_a_signal_does_not_restore_the_standing() {
        let hub = Arc::new(Hub::new());
        let (_deliveries, _cut) = slot(&hub, "ann");
        let key = ("a".to_owned(), "ann".to_owned());
        let id = hub.lock()[&key][0].id;
        let registration = Registration {
            deliveries: mpsc::channel(1).1,
            cut: Arc::new(AtomicBool::new(false)),
            hub: Arc::downgrade(&hub),
            key: key.clone(),
            id,
        };
        let fresh = |hub: &Hub| hub.sockets_of_members("a", &["ann"]).iter().filter(|s| s.caller.is_some()).count();

        let before = registration.generation().expect("registered");
        registration.remember(caller("ann"), before);
        assert_eq!(fresh(&hub), 1, "a check's caller is the standing");

        let begun = registration.generation().expect("registered");
        hub.recheck("a", "ann");
        registration.remember(caller("ann"), begun);
        assert_eq!(fresh(&hub), 0, "forgotten by the signal, not brought back by the older check");

        let after = registration.generation().expect("registered");
        registration.remember(caller("ann"), after);
        assert_eq!(fresh(&hub), 1, "a check begun after the signal counts");
        hub.deliver_everywhere(&Delivery::Resync);
        assert_eq!(fresh(&hub), 0, "a resync forgets every standing");
    }

    /// The node's counts reach the one socket they were read for — and
    /// only while the node still holds its session's standing: once the
    /// member's sessions changed, the socket is told to read its own (its
    /// session checked on the way) instead of being handed them.
    #[test]
    fn counts_reach_their_socket_only_while_its_standing_holds() {
        let hub = Arc::new(Hub::new());
        let (mut first, _) = slot(&hub, "ann");
        let (mut second, _) = slot(&hub, "ann");
        let key = ("a".to_owned(), "ann".to_owned());
        let ids: Vec<u64> = hub.lock()[&key].iter().map(|s| s.id).collect();
        for id in &ids {
            hub.remember(&key, *id, Arc::new(caller("ann")), None);
        }
        let counts = Unread { messages: 3, notifications: 1 };
        let counted = |slot, id| Counted { member: "ann".to_owned(), slot, id, unread: Some(counts) };
        hub.deliver_counts("a", vec![counted(ids[1], 7)]);
        assert!(first.try_recv().is_err(), "not the member's other socket");
        assert!(matches!(second.try_recv(), Ok(Delivery::Counts { id: 7, unread: Some(c) }) if c == counts));

        hub.recheck("a", "ann");
        assert!(matches!(second.try_recv(), Ok(Delivery::Recheck)));
        hub.deliver_counts("a", vec![counted(ids[1], 8)]);
        assert!(
            matches!(second.try_recv(), Ok(Delivery::Counts { id: 8, unread: None })),
            "the standing was forgotten: the socket reads its own"
        );
    }

    /// Decided deliveries go to their one socket each (not to the member's
    /// other sockets), and a full queue cuts off that socket alone.
    #[test]
    fn ready_deliveries_reach_exactly_their_socket() {
        let hub = Hub::new();
        let (mut first, _) = slot(&hub, "ann");
        let (mut second, _) = slot(&hub, "ann");
        let ids: Vec<u64> = hub.lock()[&("a".to_owned(), "ann".to_owned())].iter().map(|s| s.id).collect();
        let ready = |id| Ready { id, outcome: Arc::new(Outcome::Skip) };
        hub.deliver_ready("a", vec![("ann".to_owned(), ids[1], ready(7)), ("nobody".to_owned(), 99, ready(8))]);
        assert!(first.try_recv().is_err(), "not the member's other socket");
        assert!(matches!(second.try_recv(), Ok(Delivery::Ready(Ready { id: 7, .. }))));
        for n in 0..=QUEUE {
            hub.deliver_ready("a", vec![("ann".to_owned(), ids[0], ready(10 + n as i64))]);
        }
        assert_eq!(hub.sockets_of("a", "ann"), 1, "the socket that did not read is cut off");
        assert_eq!(hub.sockets_of_members("a", &["ann", "ben"]).len(), 1);
    }

    /// A member's positions name and read back row ids; another member's
    /// do not read them, and nothing reads as a negative id.
    #[test]
    fn positions_are_the_members_own() {
        let key = crate::crypto::KeyRing::from_bytes([3; 32]).association(&AssociationId::random()).expect("key");
        let positions = |member: &str| LivePositions { key: key.clone(), purpose: format!("live-event:{member}") };
        let (ann, ben) = (positions("ann"), positions("ben"));
        for id in [0, 1, 2, 41_000, i64::MAX] {
            let text = ann.name(id);
            assert_eq!(text.len(), crate::crypto::HIDDEN_NUMBER_LEN);
            assert!(text.parse::<i64>().is_err(), "{text}");
            assert_eq!(ann.read(&text), Some(id));
            assert_eq!(text, ann.name(id), "the same event, the same text");
            assert_eq!(ben.read(&text), None, "not another member's");
            assert_ne!(ben.name(id), text);
        }
        // A number beyond i64 (only the key's holder could make one) is no id.
        assert_eq!(ann.read(&key.hide_number("live-event:ann", u64::MAX)), None);
        assert_eq!(ann.read("7"), None);
    }
}
