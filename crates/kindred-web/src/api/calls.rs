//! api::calls — voice and video calls in a conversation: start (rings the
//! others over `/live`), join (relays with short-lived credentials), leave,
//! and the call as the caller sees it. The set-up messages travel over the
//! live socket (`api::live`). Every decision is `service::calls`'s.

use crate::auth::Community;
use crate::errors::ApiError;
use crate::json::OptionalJson;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use kindred_service::calls::{CallError, CallView, IceServer, Joined};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub(crate) fn call_error(error: CallError) -> ApiError {
    match error {
        CallError::NotFound => ApiError::not_found(),
        CallError::NotAllowed => ApiError::new(
            StatusCode::FORBIDDEN,
            "messaging_not_allowed",
            "The association's rules do not let you write to this member here.",
        ),
        CallError::AliasChat => ApiError::new(
            StatusCode::FORBIDDEN,
            "calls_not_allowed",
            "An alias group's chat has no calls: a voice would tell whose alias it is.",
        ),
        CallError::RequestPending => ApiError::new(
            StatusCode::CONFLICT,
            "request_pending",
            "This conversation is a request that has not been accepted; no calls until it is.",
        ),
        CallError::Ended => ApiError::new(StatusCode::CONFLICT, "call_ended", "The call has ended."),
        CallError::NotInCall => {
            ApiError::new(StatusCode::CONFLICT, "not_in_call", "You and the member you address must be in the call.")
        }
        CallError::Invalid(problems) => ApiError::invalid(
            "invalid_fields",
            "Some fields are invalid.",
            problems.into_iter().map(|(f, p)| (f.to_owned(), p)).collect(),
        ),
        CallError::Throttled(t) => ApiError::throttled(t.retry_after),
        other => ApiError::internal(other),
    }
}

/// A new call.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct StartCallBody {
    /// A video call (else voice only); false when absent.
    #[serde(default)]
    video: bool,
}

#[derive(Serialize, ToSchema)]
pub struct CallStarted {
    call_id: String,
}

/// A relay as a browser's `RTCIceServer` takes it.
#[derive(Serialize, ToSchema)]
pub struct IceServerResponse {
    urls: Vec<String>,
    /// TURN only: `EXPIRY:OPAQUE` (the TURN REST scheme).
    #[serde(skip_serializing_if = "Option::is_none")]
    username: Option<String>,
    /// TURN only: base64(HMAC-SHA1(secret, username)).
    #[serde(skip_serializing_if = "Option::is_none")]
    credential: Option<String>,
}

/// What a member who joins needs to connect.
#[derive(Serialize, ToSchema)]
pub struct JoinedResponse {
    ice_servers: Vec<IceServerResponse>,
    /// `relay` where the deployment lets browsers use only its relay (they
    /// then never learn each other's addresses), else `all`: pass it as
    /// `iceTransportPolicy`.
    ice_transport_policy: String,
    /// The call now: send an offer to each of the others in it.
    call: CallResponse,
}

/// A call as the caller may see it.
#[derive(Serialize, ToSchema)]
pub struct CallResponse {
    call_id: String,
    conversation_id: String,
    video: bool,
    /// Absent after the starter's account was erased, and across a block.
    #[serde(skip_serializing_if = "Option::is_none")]
    started_by: Option<String>,
    /// The members in the call now, in the order they joined (never one
    /// the caller is in a block with).
    participants: Vec<String>,
    /// The same members with their pseudonyms, for showing.
    people: Vec<CallPerson>,
    /// ongoing or ended.
    state: String,
    /// Whether the caller is in the call now.
    in_call: bool,
    /// Whether the caller started it.
    started_by_me: bool,
    started_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ended_at: Option<DateTime<Utc>>,
}

/// A member in a call.
#[derive(Serialize, ToSchema)]
pub struct CallPerson {
    member_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pseudonym: Option<String>,
}

pub(crate) fn call_body(view: CallView) -> CallResponse {
    CallResponse {
        participants: view.participants.iter().map(|p| p.member_id.clone()).collect(),
        people: view
            .participants
            .into_iter()
            .map(|p| CallPerson { member_id: p.member_id, pseudonym: p.pseudonym })
            .collect(),
        state: if view.ended_at.is_some() { "ended" } else { "ongoing" }.to_owned(),
        in_call: view.in_call,
        started_by_me: view.started_by_me,
        call_id: view.id,
        conversation_id: view.conversation_id,
        video: view.video,
        started_by: view.started_by,
        started_at: view.started_at,
        ended_at: view.ended_at,
    }
}

fn ice_server(server: IceServer) -> IceServerResponse {
    IceServerResponse { urls: server.urls, username: server.username, credential: server.credential }
}

fn joined_body(joined: Joined) -> JoinedResponse {
    JoinedResponse {
        ice_servers: joined.ice_servers.into_iter().map(ice_server).collect(),
        ice_transport_policy: if joined.relay_only { "relay" } else { "all" }.to_owned(),
        call: call_body(joined.call),
    }
}

/// Starts a call in the conversation (the caller is in it at once) and
/// rings the other members over `/live` (`{type: "call", call_id, conversation_id, call}`). Where a
/// call is open in the conversation already, the caller joins that one:
/// 200 with its id.
#[utoipa::path(
    post,
    path = "/conversations/{id}/calls",
    tag = "calls",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The conversation")),
    request_body = StartCallBody,
    responses(
        (status = 201, description = "A new call", body = CallStarted),
        (status = 200, description = "The call already open in the conversation, now with the caller", body = CallStarted),
        (status = 403, description = "messaging_not_allowed (a block); calls_not_allowed (an alias group's chat)", body = super::ErrorResponse),
        (status = 404, description = "Not a conversation of the caller's", body = super::ErrorResponse),
        (status = 409, description = "request_pending: the conversation is a request", body = super::ErrorResponse),
        (status = 429, description = "More than 20 calls started within an hour (`Retry-After`)", body = super::ErrorResponse),
    )
)]
pub async fn start(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
    OptionalJson(body): OptionalJson<StartCallBody>,
) -> Result<Response, ApiError> {
    let (call, new) =
        state.kindred.start_call(&auth.tenant.association, &auth.caller, &id, body.video).await.map_err(call_error)?;
    let status = if new { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(CallStarted { call_id: call.to_string() })).into_response())
}

/// The call as the caller may see it.
#[utoipa::path(
    get,
    path = "/calls/{id}",
    tag = "calls",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The call")),
    responses(
        (status = 200, description = "The call", body = CallResponse),
        (status = 404, description = "Not a call in a conversation of the caller's", body = super::ErrorResponse),
    )
)]
pub async fn call(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
) -> Result<Json<CallResponse>, ApiError> {
    let view = state.kindred.call(&auth.tenant.association, &auth.caller, &id).await.map_err(call_error)?;
    Ok(Json(call_body(view)))
}

/// Joins the call: the relays (STUN, and TURN with credentials valid for
/// `turn_credential_seconds`), and the call with the members to send an
/// offer to (`call_signal` over `/live`).
#[utoipa::path(
    post,
    path = "/calls/{id}/join",
    tag = "calls",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The call")),
    responses(
        (status = 200, description = "In the call", body = JoinedResponse),
        (status = 403, description = "messaging_not_allowed (a block); calls_not_allowed", body = super::ErrorResponse),
        (status = 404, description = "Not a call in a conversation of the caller's", body = super::ErrorResponse),
        (status = 409, description = "call_ended", body = super::ErrorResponse),
    )
)]
pub async fn join(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
) -> Result<Json<JoinedResponse>, ApiError> {
    let joined = state.kindred.join_call(&auth.tenant.association, &auth.caller, &id).await.map_err(call_error)?;
    Ok(Json(joined_body(joined)))
}

/// Leaves the call (204 also when the caller was not in it); the last one
/// out ends it.
#[utoipa::path(
    post,
    path = "/calls/{id}/leave",
    tag = "calls",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The call")),
    responses(
        (status = 204, description = "Out of the call"),
        (status = 404, description = "Not a call in a conversation of the caller's", body = super::ErrorResponse),
    )
)]
pub async fn leave(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    state.kindred.leave_call(&auth.tenant.association, &auth.caller, &id).await.map_err(call_error)?;
    Ok(StatusCode::NO_CONTENT)
}
