//! web::api::live — the live socket (`GET /live`) and its tickets
//! (`POST /live/tickets`). What is sent, and to whom, is decided in
//! `service::live`; this module speaks WebSocket.
//!
//! Signing in: a bearer token; the session cookie only when `Origin` is
//! the association's own (a page on another site must not open a socket
//! with the member's cookie: 403 before the upgrade); or a single-use
//! ticket (60 s) for clients that cannot set a header. Every delivery
//! checks the session's standing (the node decides each event for all its
//! sockets at once: `service::live`), so a revoked session gets nothing
//! more and its socket closes.
//!
//! From the client: JSON text frames of at most [`MAX_FRAME`] bytes. A
//! frame that is not JSON closes that socket with 1007, one too large with
//! 1009, a binary frame with 1003; no other socket is affected.

use crate::auth::{bearer, cookie, cookie_name, denied};
use crate::errors::ApiError;
use crate::state::AppState;
use crate::tenant::ApiTenant;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use futures_util::SinkExt;
use kindred_domain::MemberId;
use kindred_service::calls::{CallError, CallView, OutgoingSignal};
use kindred_service::live::{Delivery, LiveEvent, LivePositions, Outcome, Ready, Registration, Unread};
use kindred_service::messaging::MessageView;
use kindred_service::notification_list::NotificationView;
use kindred_service::{Association, Kindred};
use kindred_store::LiveEventRecord;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use utoipa::{IntoParams, ToSchema};

/// Largest frame a client may send, in bytes.
pub const MAX_FRAME: usize = 16 * 1024;
/// What a socket reads into at a time (a larger frame grows it): the
/// protocol layer's default of 128 KiB, allocated for every socket, was
/// most of the server's memory per socket; clients send little.
const READ_BUFFER: usize = 4 * 1024;
/// How often the server pings; a socket that has not answered the
/// previous ping by the next is closed.
const HEARTBEAT: Duration = Duration::from_secs(20);
/// How long one frame may take to leave; a client that does not read is
/// cut off after this.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// Set-up messages one socket may send per [`SIGNAL_WINDOW`]: a member
/// joining a call of eight sends an offer and a few network candidates to
/// each of seven others, a few dozen in all; beyond this the socket is
/// flooding (each message is read, sealed, stored and delivered), and it
/// is told `rate_limited` until the window is over.
const SIGNALS_PER_WINDOW: u32 = 200;
const SIGNAL_WINDOW: Duration = Duration::from_secs(10);

/// Close codes (RFC 6455 §7.4.1).
const NORMAL: u16 = 1000;
const GOING_AWAY: u16 = 1001;
const UNSUPPORTED: u16 = 1003;
const INVALID_DATA: u16 = 1007;
const POLICY: u16 = 1008;
const TOO_BIG: u16 = 1009;

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct LiveParams {
    /// A ticket from `POST /live/tickets` (single use, 60 s), for clients
    /// that cannot send a header.
    ticket: Option<String>,
    /// The id of the last event the client received, as it was sent (an
    /// opaque text, valid on this member's sockets only): what came after
    /// it is sent first, in order. Anything else: 400 `invalid_since`.
    since: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LiveTicket {
    /// Pass as `?ticket=` to `GET /live` within 60 seconds; works once.
    ticket: String,
    expires_at: DateTime<Utc>,
}

/// A ticket for opening the live socket where a client cannot set the
/// `Authorization` header (a browser's `WebSocket`): single use, 60 s,
/// bound to the session that asked for it.
#[utoipa::path(
    post,
    path = "/live/tickets",
    tag = "messages",
    security(("bearer" = [])),
    responses(
        (status = 201, description = "A ticket", body = LiveTicket),
        (status = 403, description = "Not verified yet", body = super::ErrorResponse),
    )
)]
pub async fn ticket(State(state): State<AppState>, auth: crate::auth::Community) -> Result<Response, ApiError> {
    let auth = auth.0;
    let made = state
        .kindred
        .live_ticket(&auth.tenant.association, &auth.caller, &auth.token)
        .await
        .map_err(ApiError::internal)?;
    Ok((StatusCode::CREATED, Json(LiveTicket { ticket: made.ticket, expires_at: made.expires_at })).into_response())
}

/// The live socket (WebSocket). The server pushes JSON events, each with
/// `type` and `id` (the event id: an opaque text of 32 characters, the
/// same for the same event, meaningful to this member's sockets only and
/// not ordered; `since` resumes after it): `message` and
/// `message_edited` `{conversation_id, message}`, `message_deleted` and
/// `read` `{conversation_id, message_id}`, `conversation_request`
/// `{conversation_id}`, `notification` `{notification}`, and `unread`
/// `{messages, notifications}` after each event that changes the counts
/// (it repeats that event's id), `call` `{call}` when a call in one of the
/// member's conversations rings or changes, `call_signal`
/// `{call_id, from, sdp?, candidate?}` from another member in a call. The
/// client may send `{"type": "resume", "since": "ID"}` (an id it was sent;
/// else an `error` event `invalid_since`), `{"type": "ping"}`
/// and `{"type": "call_signal", call_id, to, sdp?, candidate?}` (passed on
/// only while both are in the call; else an `error` event `not_in_call`).
#[utoipa::path(
    get,
    path = "/live",
    tag = "messages",
    security(("bearer" = [])),
    params(LiveParams),
    responses(
        (status = 101, description = "Switching to the WebSocket protocol"),
        (status = 400, description = "`since` is not an event id this member was sent", body = super::ErrorResponse),
        (status = 401, description = "Not signed in, or the ticket is unknown, used or expired", body = super::ErrorResponse),
        (status = 403, description = "The session cookie from another site's page, or not verified yet", body = super::ErrorResponse),
        (status = 426, description = "Not a WebSocket upgrade request", body = super::ErrorResponse),
        (status = 429, description = "Too many sockets open for this member", body = super::ErrorResponse),
    )
)]
pub async fn live(
    State(state): State<AppState>,
    ApiTenant(tenant): ApiTenant,
    Query(params): Query<LiveParams>,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, ApiError> {
    let kindred = &state.kindred;
    let association = tenant.association.clone();
    let upgrade_required =
        || ApiError::new(StatusCode::UPGRADE_REQUIRED, "upgrade_required", "This is a WebSocket endpoint.");
    let session_hash = if let Some(ticket) = params.ticket.as_deref() {
        // A ticket works once: not spent on a request that cannot open a socket.
        if upgrade.is_err() {
            return Err(upgrade_required());
        }
        kindred.spend_live_ticket(&association, ticket).await.map_err(ApiError::internal)?.ok_or_else(|| {
            ApiError::new(StatusCode::UNAUTHORIZED, "ticket_invalid", "The ticket is unknown, used or expired.")
        })?
    } else if let Some(token) = bearer(&headers) {
        Kindred::live_session_hash(&token)
    } else if let Some(token) = cookie(&headers, &cookie_name(&tenant)) {
        if !same_origin(&headers, &kindred.public_url) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "cross_origin",
                "The session cookie opens a socket only from the association's own pages.",
            ));
        }
        Kindred::live_session_hash(&token)
    } else {
        return Err(unauthorized());
    };
    let caller = kindred
        .authenticate_hash(&association, &session_hash)
        .await
        .map_err(ApiError::internal)?
        .filter(|c| !c.second_factor_pending)
        .ok_or_else(unauthorized)?;
    kindred.community_access(&association, &caller).map_err(denied)?;
    if kindred.live.hub().sockets_of(association.id.as_str(), caller.member.id.as_str())
        >= kindred_service::live::SOCKETS_PER_MEMBER
    {
        return Err(ApiError {
            retry_after: Some(60),
            ..ApiError::new(StatusCode::TOO_MANY_REQUESTS, "too_many_sockets", "Too many live connections are open.")
        });
    }
    let positions = kindred.live_positions(&association, &caller.member.id).map_err(ApiError::internal)?;
    let last = match params.since.as_deref() {
        None => 0,
        Some(text) => positions.read(text).ok_or_else(|| {
            ApiError::new(StatusCode::BAD_REQUEST, "invalid_since", "`since` is not the id of an event sent to you.")
        })?,
    };
    let upgrade = upgrade.map_err(|_| upgrade_required())?;
    let socket = Socket {
        kindred: kindred.clone(),
        association,
        member: caller.member.id.clone(),
        session_hash,
        positions,
        last,
        unread: UnreadDue::Nothing,
        signals: (tokio::time::Instant::now(), 0),
    };
    let since = params.since.is_some();
    Ok(upgrade
        // Larger frames fail in the protocol layer; MAX_FRAME is checked again below.
        .read_buffer_size(READ_BUFFER)
        .max_message_size(MAX_FRAME * 4)
        .max_frame_size(MAX_FRAME * 4)
        .on_upgrade(move |ws| socket.run(ws, since))
        .into_response())
}

fn unauthorized() -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "Please sign in.")
}

/// Whether `Origin` is this association's own: the origin of the public
/// URL, or the host the request was sent to (the association's pages are
/// served from there; a host mapped to it counts the same).
fn same_origin(headers: &HeaderMap, public_url: &str) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else { return false };
    let origin = origin.trim_end_matches('/');
    let public_origin = match public_url.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{}", rest.split('/').next().unwrap_or_default()),
        None => String::new(),
    };
    if !public_origin.is_empty() && origin.eq_ignore_ascii_case(&public_origin) {
        return true;
    }
    let authority = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    matches!((authority, host), (Some(a), Some(h)) if !a.is_empty() && a.eq_ignore_ascii_case(h))
}

/// One open socket: the session it was opened with (checked again on every
/// delivery) and the last event id sent.
struct Socket {
    kindred: Kindred,
    association: Arc<Association>,
    member: MemberId,
    session_hash: String,
    /// How event ids are shown to this member and read back from them:
    /// never the row id itself, which would count everyone's events.
    positions: LivePositions,
    /// The row id of the last event sent (or resumed after).
    last: i64,
    /// The `unread` event owed after the events sent since the last one.
    unread: UnreadDue,
    /// When the current window of set-up messages began, and how many this
    /// socket sent in it ([`SIGNALS_PER_WINDOW`]).
    signals: (tokio::time::Instant, u32),
}

/// Whether an `unread` event is owed, and whether its counts are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UnreadDue {
    Nothing,
    /// An event of this id, decided by the node, changed the counts; the
    /// node counts them and sends them after ([`Delivery::Counts`]).
    Awaited(i64),
    /// The counts after the events up to this id, as the node counted them.
    Known(i64, Unread),
    /// An event of this id sent by a catch-up changed the counts: ask.
    Ask(i64),
}

/// Why the loop ends.
enum Stop {
    Close(u16, &'static str),
    /// The client is gone or does not read: nothing more can be said.
    Gone,
}

type Step = Result<(), Stop>;

impl Socket {
    async fn run(mut self, mut ws: WebSocket, since: bool) {
        let registration =
            self.kindred.live.register(&self.kindred, &self.association, self.member.as_str(), &self.session_hash);
        let mut registration = match registration {
            Ok(r) => r,
            Err(_) => {
                close(&mut ws, POLICY, "too_many_sockets").await;
                return;
            }
        };
        metrics::gauge!("kindred_live_sockets").increment(1.0);
        let outcome: Result<(), Stop> = async {
            if since {
                self.catch_up(&mut ws).await?;
                self.send_unread(&mut ws).await?;
                flush(&mut ws).await?;
            }
            // The first ping comes after 10 to 20 s, by chance: sockets
            // opened together (every client reconnecting after a restart)
            // would otherwise all be pinged and checked at the same moment.
            let spread = Duration::from_millis(RandomState::new().hash_one(&self.session_hash) % 10_000);
            let first = tokio::time::Instant::now() + HEARTBEAT - spread;
            let mut heartbeat = tokio::time::interval_at(first, HEARTBEAT);
            let mut awaiting_pong = false;
            loop {
                if registration.cut.load(Ordering::SeqCst) {
                    return Err(Stop::Close(POLICY, "too_slow"));
                }
                tokio::select! {
                    frame = ws.recv() => self.on_frame(&mut ws, frame, &mut awaiting_pong).await?,
                    delivery = registration.deliveries.recv() => match delivery {
                        Some(Delivery::Ready(ready)) => self.send_ready(&mut ws, ready).await?,
                        Some(Delivery::Recheck) => self.check_session(&registration).await?,
                        Some(Delivery::Resync) => self.catch_up(&mut ws).await?,
                        Some(Delivery::Counts { id, unread }) => self.counted(id, unread),
                        None => return Err(Stop::Close(POLICY, "too_slow")),
                    },
                    _ = heartbeat.tick() => {
                        if awaiting_pong {
                            return Err(Stop::Close(GOING_AWAY, "no_pong"));
                        }
                        self.check_session(&registration).await?;
                        send(&mut ws, Message::Ping(Default::default())).await?;
                        awaiting_pong = true;
                    }
                }
                // The counts once the queue is drained: once for a burst,
                // and never ahead of the events they count; then what was
                // queued leaves in one write.
                if registration.deliveries.is_empty() {
                    self.send_unread(&mut ws).await?;
                    flush(&mut ws).await?;
                }
            }
        }
        .await;
        if let Err(Stop::Close(code, reason)) = outcome {
            close(&mut ws, code, reason).await;
        }
        drop(registration);
        metrics::gauge!("kindred_live_sockets").decrement(1.0);
        self.kindred.live_socket_closed(&self.association, &self.member);
    }

    async fn on_frame(
        &mut self,
        ws: &mut WebSocket,
        frame: Option<Result<Message, axum::Error>>,
        awaiting_pong: &mut bool,
    ) -> Step {
        let message = match frame {
            None => return Err(Stop::Gone),
            // The protocol layer refused it: too large (beyond its limit) or broken.
            Some(Err(_)) => return Err(Stop::Close(TOO_BIG, "frame_refused")),
            Some(Ok(message)) => message,
        };
        match message {
            Message::Text(text) => {
                if text.len() > MAX_FRAME {
                    return Err(Stop::Close(TOO_BIG, "too_large"));
                }
                let Ok(value) = serde_json::from_str::<Value>(text.as_str()) else {
                    return Err(Stop::Close(INVALID_DATA, "invalid_json"));
                };
                match value.get("type").and_then(Value::as_str) {
                    Some("resume") => {
                        let since = value.get("since").and_then(Value::as_str).and_then(|t| self.positions.read(t));
                        let Some(since) = since else {
                            return send_json(ws, json!({"type": "error", "code": "invalid_since"})).await;
                        };
                        self.last = since;
                        self.catch_up(ws).await
                    }
                    Some("ping") => send_json(ws, json!({"type": "pong"})).await,
                    Some("call_signal") => self.call_signal(ws, &value).await,
                    _ => send_json(ws, json!({"type": "error", "code": "unknown_type"})).await,
                }
            }
            Message::Binary(_) => Err(Stop::Close(UNSUPPORTED, "text_only")),
            Message::Pong(_) => {
                *awaiting_pong = false;
                Ok(())
            }
            // Answered by the protocol layer.
            Message::Ping(_) => Ok(()),
            Message::Close(_) => Err(Stop::Close(NORMAL, "bye")),
        }
    }

    /// Passes a set-up message to another member of a call
    /// (`service::calls`): nothing comes back when it went on its way, an
    /// `error` event when it could not (the same `not_in_call` whether the
    /// other is not in the call or in a block with the sender).
    async fn call_signal(&mut self, ws: &mut WebSocket, value: &Value) -> Step {
        let now = tokio::time::Instant::now();
        if now.duration_since(self.signals.0) >= SIGNAL_WINDOW {
            self.signals = (now, 0);
        }
        self.signals.1 = self.signals.1.saturating_add(1);
        if self.signals.1 > SIGNALS_PER_WINDOW {
            return send_json(ws, json!({"type": "error", "code": "rate_limited"})).await;
        }
        let signal = match OutgoingSignal::parse(value) {
            Ok(signal) => signal,
            Err(_) => return send_json(ws, json!({"type": "error", "code": "invalid_call_signal"})).await,
        };
        let caller = match self.kindred.live_caller(&self.association, &self.session_hash).await {
            Ok(Some(caller)) => caller,
            Ok(None) => return Err(Stop::Close(POLICY, "session_ended")),
            Err(error) => {
                tracing::warn!(%error, "checking a live session failed");
                return send_json(ws, json!({"type": "error", "code": "internal"})).await;
            }
        };
        let code = match self.kindred.send_call_signal(&self.association, &caller, &signal).await {
            Ok(()) => return Ok(()),
            Err(CallError::NotFound) => "call_not_found",
            Err(CallError::NotInCall) => "not_in_call",
            Err(CallError::Invalid(_)) => "invalid_call_signal",
            Err(error) => {
                tracing::warn!(%error, "a call signal could not be passed on");
                "internal"
            }
        };
        send_json(ws, json!({"type": "error", "code": code, "call_id": signal.call_id})).await
    }

    /// Authenticates the socket's session now; what it finds becomes the
    /// standing the node decides this socket's events with.
    async fn check_session(&self, registration: &Registration) -> Step {
        let generation = registration.generation();
        match self.kindred.live_caller(&self.association, &self.session_hash).await {
            Ok(Some(caller)) => {
                if let (Some(generation), true) = (generation, caller.member.id == self.member) {
                    registration.remember(caller, generation);
                }
                Ok(())
            }
            Ok(None) => Err(Stop::Close(POLICY, "session_ended")),
            Err(error) => {
                tracing::warn!(%error, "checking a live session failed");
                Ok(())
            }
        }
    }

    /// Sends an event the node decided for this socket, once and in order.
    async fn send_ready(&mut self, ws: &mut WebSocket, ready: Ready) -> Step {
        if ready.id <= self.last {
            return Ok(());
        }
        self.last = ready.id;
        self.send_outcome(ws, ready.id, &ready.outcome, Counting::ByNode).await
    }

    /// The counts the node read after the events up to `id` it sent this
    /// socket: owed once the queue is drained, unless a later event is
    /// still being counted or the socket asks itself anyway.
    fn counted(&mut self, id: i64, unread: Option<Unread>) {
        if let UnreadDue::Awaited(awaited) = self.unread {
            if id >= awaited {
                self.unread = unread.map_or(UnreadDue::Ask(id), |counts| UnreadDue::Known(id, counts));
            }
        }
    }

    /// Decides and sends one event of the log (a catch-up), once and in order.
    async fn deliver(&mut self, ws: &mut WebSocket, row: &LiveEventRecord) -> Step {
        if row.id <= self.last {
            return Ok(());
        }
        self.last = row.id;
        match self.kindred.live_event(&self.association, &self.session_hash, row).await {
            Ok(outcome) => self.send_outcome(ws, row.id, &outcome, Counting::BySocket).await,
            Err(error) => {
                tracing::warn!(%error, "a live event could not be prepared");
                Ok(())
            }
        }
    }

    async fn send_outcome(&mut self, ws: &mut WebSocket, id: i64, outcome: &Outcome, counting: Counting) -> Step {
        match outcome {
            Outcome::Ended => Err(Stop::Close(POLICY, "session_ended")),
            Outcome::Skip => Ok(()),
            Outcome::Send { event, counts_changed, frame } => {
                // Written out once for every socket sent the same; the id
                // (this socket's row, as this member is shown it) goes in
                // front. Its text is base64url: nothing in it needs escaping.
                let body = frame.get_or_init(|| event_json(event).to_string().into_boxed_str());
                let shown = self.positions.name(id);
                let text = format!("{{\"id\":\"{shown}\",{}", body.strip_prefix('{').unwrap_or(body));
                feed(ws, Message::Text(Utf8Bytes::from(text))).await?;
                if *counts_changed {
                    self.unread = match (self.unread, counting) {
                        // Counts asked for later are as fresh as any.
                        (UnreadDue::Ask(_), _) | (_, Counting::BySocket) => UnreadDue::Ask(id),
                        (_, Counting::ByNode) => UnreadDue::Awaited(id),
                    };
                }
                Ok(())
            }
        }
    }

    /// The `unread` event, if an event sent since the last one changed the
    /// counts; it carries the id of that event.
    async fn send_unread(&mut self, ws: &mut WebSocket) -> Step {
        let (id, counts) = match std::mem::replace(&mut self.unread, UnreadDue::Nothing) {
            UnreadDue::Nothing => return Ok(()),
            awaited @ UnreadDue::Awaited(_) => {
                self.unread = awaited;
                return Ok(());
            }
            UnreadDue::Known(id, counts) => (id, counts),
            UnreadDue::Ask(id) => match self.kindred.live_unread(&self.association, &self.session_hash).await {
                Ok(Some(counts)) => (id, counts),
                Ok(None) => return Err(Stop::Close(POLICY, "session_ended")),
                Err(error) => {
                    tracing::warn!(%error, "counting unread items for a live socket failed");
                    return Ok(());
                }
            },
        };
        let Unread { messages, notifications } = counts;
        let id = self.positions.name(id);
        let text = json!({"type": "unread", "id": id, "messages": messages, "notifications": notifications});
        feed(ws, Message::Text(Utf8Bytes::from(text.to_string()))).await
    }

    /// Everything after `self.last` from the log, oldest first.
    async fn catch_up(&mut self, ws: &mut WebSocket) -> Step {
        loop {
            let rows = match self.kindred.live_events_after(&self.association, &self.member, self.last).await {
                Ok(rows) => rows,
                Err(error) => {
                    tracing::warn!(%error, "catching up failed");
                    return Ok(());
                }
            };
            let full = rows.len() >= Kindred::live_catch_up_batch();
            for row in &rows {
                self.deliver(ws, row).await?;
            }
            if !full {
                return Ok(());
            }
        }
    }
}

/// Who counts the unread items after an event that changed them.
#[derive(Debug, Clone, Copy)]
enum Counting {
    /// The node, for the events it decided (they follow as a delivery).
    ByNode,
    /// The socket itself, after a catch-up.
    BySocket,
}

/// An event without its id (which differs from socket to socket): a
/// JSON object whose first member is `type`.
fn event_json(event: &LiveEvent) -> Value {
    match event {
        LiveEvent::Message { conversation_id, message } => json!({
            "type": "message", "conversation_id": conversation_id,
            "message": super::messaging::message(MessageView::clone(message)),
        }),
        LiveEvent::MessageEdited { conversation_id, message } => json!({
            "type": "message_edited", "conversation_id": conversation_id,
            "message": super::messaging::message(MessageView::clone(message)),
        }),
        LiveEvent::MessageDeleted { conversation_id, message_id } => json!({
            "type": "message_deleted", "conversation_id": conversation_id, "message_id": message_id,
        }),
        LiveEvent::Read { conversation_id, message_id } => {
            let mut value = json!({"type": "read", "conversation_id": conversation_id});
            if !message_id.is_empty() {
                value["message_id"] = Value::String(message_id.clone());
            }
            value
        }
        LiveEvent::ConversationRequest { conversation_id } => {
            json!({"type": "conversation_request", "conversation_id": conversation_id})
        }
        // The ids at the top too, as a message event names its conversation.
        LiveEvent::Call { call } => json!({
            "type": "call", "call_id": call.id, "conversation_id": call.conversation_id,
            "call": super::calls::call_body(CallView::clone(call)),
        }),
        LiveEvent::CallSignal { signal } => {
            let mut value = json!({"type": "call_signal", "call_id": signal.call_id, "from": signal.from});
            // The sender's JSON as it came, re-read (it was checked when sent).
            for (name, part) in [("sdp", &signal.sdp), ("candidate", &signal.candidate)] {
                if let Some(parsed) = part.as_deref().and_then(|text| serde_json::from_str::<Value>(text).ok()) {
                    value[name] = parsed;
                }
            }
            value
        }
        LiveEvent::Notification { notification } => json!({
            "type": "notification", "notification": super::notifications::entry(NotificationView::clone(notification)),
        }),
    }
}

/// Sends a frame now.
async fn send(ws: &mut WebSocket, message: Message) -> Step {
    feed(ws, message).await?;
    flush(ws).await
}

/// Queues a frame in the socket's write buffer; [`flush`] sends what is
/// queued (once for an event and the counts after it: one write, not two).
async fn feed(ws: &mut WebSocket, message: Message) -> Step {
    match tokio::time::timeout(SEND_TIMEOUT, ws.feed(message)).await {
        Ok(Ok(())) => Ok(()),
        _ => Err(Stop::Gone),
    }
}

async fn flush(ws: &mut WebSocket) -> Step {
    match tokio::time::timeout(SEND_TIMEOUT, ws.flush()).await {
        Ok(Ok(())) => Ok(()),
        _ => Err(Stop::Gone),
    }
}

async fn send_json(ws: &mut WebSocket, value: Value) -> Step {
    send(ws, Message::Text(Utf8Bytes::from(value.to_string()))).await
}

async fn close(ws: &mut WebSocket, code: u16, reason: &'static str) {
    let frame = CloseFrame { code, reason: Utf8Bytes::from_static(reason) };
    let _ = tokio::time::timeout(SEND_TIMEOUT, ws.send(Message::Close(Some(frame)))).await;
}
