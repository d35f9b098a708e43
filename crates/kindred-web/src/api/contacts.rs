//! api::contacts — contact requests, contacts and their levels, requests
//! for a higher level (step-by-step disclosure), and blocks.

use crate::auth::Community;
use crate::errors::ApiError;
use crate::json::{ApiJson, OptionalJson};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use kindred_domain::Level;
use kindred_service::contacts::{ContactError, RequestView, Requests};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

pub(crate) fn contact_error(error: ContactError) -> ApiError {
    let conflict = |code: &'static str, message: &str| ApiError::new(StatusCode::CONFLICT, code, message);
    match error {
        ContactError::NotFound => ApiError::not_found(),
        ContactError::NotAContact => {
            ApiError::new(StatusCode::NOT_FOUND, "not_a_contact", "This member is not one of your contacts.")
        }
        ContactError::AlreadyContact => conflict("already_contact", "You are contacts already."),
        ContactError::RequestPending => conflict("request_pending", "A request is already waiting for an answer."),
        ContactError::IncomingRequestPending => conflict(
            "incoming_request_pending",
            "This member has already sent you a contact request; answer it instead.",
        ),
        ContactError::RequestClosed => conflict("request_closed", "This request has already been answered."),
        ContactError::LevelNotHigher => ApiError::invalid(
            "level_not_higher",
            "The level must be higher than the current one.",
            BTreeMap::from([("level".to_owned(), "must be higher than the current level".to_owned())]),
        ),
        ContactError::Myself => ApiError::invalid(
            "own_account",
            "This is your own account.",
            BTreeMap::from([("member_id".to_owned(), "is your own account".to_owned())]),
        ),
        ContactError::Invalid(problems) => ApiError::invalid(
            "invalid_fields",
            "Some fields are invalid.",
            problems.into_iter().map(|(f, p)| (f.to_owned(), p.to_owned())).collect(),
        ),
        ContactError::Throttled(t) => ApiError::throttled(t.retry_after),
        other => ApiError::internal(other),
    }
}

/// A level from a request body: 1 to 4.
fn level(n: u8, name: &str) -> Result<Level, ApiError> {
    Level::from_number(i64::from(n)).ok_or_else(|| {
        ApiError::invalid(
            "invalid_fields",
            "Some fields are invalid.",
            BTreeMap::from([(name.to_owned(), "must be 1, 2, 3 or 4".to_owned())]),
        )
    })
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactRequestBody {
    /// The member asked.
    to: String,
    /// A short message (at most 500 characters).
    #[serde(default)]
    message: Option<String>,
    /// The level you will place them on once they accept (default 1).
    #[serde(default)]
    level: Option<u8>,
}

#[derive(Serialize, ToSchema)]
pub struct RequestCreated {
    request_id: String,
}

/// Asks a member to become a contact.
#[utoipa::path(
    post,
    path = "/contacts/requests",
    tag = "contacts",
    security(("bearer" = [])),
    request_body = ContactRequestBody,
    responses(
        (status = 201, description = "Sent", body = RequestCreated),
        (status = 404, description = "No such member (for you)", body = super::ErrorResponse),
        (status = 409, description = "Contacts already, or a request is waiting", body = super::ErrorResponse),
        (status = 422, description = "Invalid message or level", body = super::ErrorResponse),
        (status = 429, description = "Too many requests to others too fast", body = super::ErrorResponse),
    )
)]
pub async fn request(
    State(state): State<AppState>,
    Community(auth): Community,
    ApiJson(body): ApiJson<ContactRequestBody>,
) -> Result<Response, ApiError> {
    let my_level = body.level.map(|n| level(n, "level")).transpose()?;
    let id = state
        .kindred
        .request_contact(&auth.tenant.association, &auth.caller, &body.to, body.message.as_deref(), my_level)
        .await
        .map_err(contact_error)?;
    Ok((StatusCode::CREATED, Json(RequestCreated { request_id: id.to_string() })).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct RequestEntry {
    request_id: String,
    /// Who asked.
    from: String,
    /// Who was asked.
    to: String,
    /// The other member (the one that is not you).
    member_id: String,
    pseudonym: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    /// Contact requests: the level the requester will place the receiver on.
    /// Requests for a higher level: the level asked for.
    level: u8,
    /// pending, accepted, declined or withdrawn.
    status: &'static str,
    created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct RequestsResponse {
    /// Waiting for your answer.
    incoming: Vec<RequestEntry>,
    /// Yours, with their outcome.
    outgoing: Vec<RequestEntry>,
}

fn entry(view: RequestView) -> RequestEntry {
    RequestEntry {
        request_id: view.id,
        from: view.from.to_string(),
        to: view.to.to_string(),
        member_id: view.member_id.to_string(),
        pseudonym: view.pseudonym,
        message: view.message,
        level: view.level.number(),
        status: view.status.as_str(),
        created_at: view.created_at,
    }
}

fn requests_body(requests: Requests) -> RequestsResponse {
    RequestsResponse {
        incoming: requests.incoming.into_iter().map(entry).collect(),
        outgoing: requests.outgoing.into_iter().map(entry).collect(),
    }
}

/// Contact requests to you (waiting) and from you (with their outcome).
#[utoipa::path(
    get,
    path = "/contacts/requests",
    tag = "contacts",
    security(("bearer" = [])),
    responses((status = 200, description = "Requests", body = RequestsResponse))
)]
pub async fn requests(
    State(state): State<AppState>,
    Community(auth): Community,
) -> Result<Json<RequestsResponse>, ApiError> {
    let requests =
        state.kindred.contact_requests(&auth.tenant.association, &auth.caller).await.map_err(contact_error)?;
    Ok(Json(requests_body(requests)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelBody {
    /// 1 to 4.
    level: u8,
}

#[derive(Serialize, ToSchema)]
#[schema(as = ContactStatusResponse)]
pub struct StatusResponse {
    status: &'static str,
}

/// Accepts a contact request, placing the requester on `level`.
#[utoipa::path(
    post,
    path = "/contacts/requests/{id}/accept",
    tag = "contacts",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The request")),
    request_body = LevelBody,
    responses(
        (status = 200, description = "Contacts now", body = StatusResponse),
        (status = 404, description = "No such request to you", body = super::ErrorResponse),
        (status = 409, description = "Already answered", body = super::ErrorResponse),
    )
)]
pub async fn accept(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<LevelBody>,
) -> Result<Json<StatusResponse>, ApiError> {
    let level = level(body.level, "level")?;
    state.kindred.accept_contact(&auth.tenant.association, &auth.caller, &id, level).await.map_err(contact_error)?;
    Ok(Json(StatusResponse { status: "accepted" }))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct EmptyBody {}

/// Declines a contact request; the requester sees it declined.
#[utoipa::path(
    post,
    path = "/contacts/requests/{id}/decline",
    tag = "contacts",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The request")),
    responses(
        (status = 200, description = "Declined", body = StatusResponse),
        (status = 404, description = "No such request to you", body = super::ErrorResponse),
        (status = 409, description = "Already answered", body = super::ErrorResponse),
    )
)]
pub async fn decline(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
    OptionalJson(_body): OptionalJson<EmptyBody>,
) -> Result<Json<StatusResponse>, ApiError> {
    state.kindred.decline_contact(&auth.tenant.association, &auth.caller, &id).await.map_err(contact_error)?;
    Ok(Json(StatusResponse { status: "declined" }))
}

/// Takes back one's own contact request while it waits.
#[utoipa::path(
    delete,
    path = "/contacts/requests/{id}",
    tag = "contacts",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The request")),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 404, description = "No such request of yours", body = super::ErrorResponse),
        (status = 409, description = "Already answered", body = super::ErrorResponse),
    )
)]
pub async fn withdraw(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    state.kindred.withdraw_contact_request(&auth.tenant.association, &auth.caller, &id).await.map_err(contact_error)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Serialize, ToSchema)]
pub struct ContactEntry {
    member_id: String,
    pseudonym: String,
    /// The level you placed them on.
    level_i_grant: u8,
    /// The level they placed you on.
    level_granted_to_me: u8,
}

#[derive(Serialize, ToSchema)]
pub struct ContactsResponse {
    contacts: Vec<ContactEntry>,
}

/// Your contacts, by pseudonym.
#[utoipa::path(
    get,
    path = "/contacts",
    tag = "contacts",
    security(("bearer" = [])),
    responses((status = 200, description = "Contacts", body = ContactsResponse))
)]
pub async fn contacts(
    State(state): State<AppState>,
    Community(auth): Community,
) -> Result<Json<ContactsResponse>, ApiError> {
    let contacts = state
        .kindred
        .contacts(&auth.tenant.association, &auth.caller)
        .await
        .map_err(contact_error)?
        .into_iter()
        .map(|c| ContactEntry {
            member_id: c.member_id.to_string(),
            pseudonym: c.pseudonym,
            level_i_grant: c.level_i_grant.number(),
            level_granted_to_me: c.level_granted_to_me.number(),
        })
        .collect();
    Ok(Json(ContactsResponse { contacts }))
}

/// Changes the level you placed a contact on; it counts from the next request on, everywhere.
#[utoipa::path(
    put,
    path = "/contacts/{member_id}",
    tag = "contacts",
    security(("bearer" = [])),
    params(("member_id" = String, Path, description = "The contact")),
    request_body = LevelBody,
    responses(
        (status = 200, description = "Changed", body = ContactEntry),
        (status = 404, description = "Not a contact", body = super::ErrorResponse),
        (status = 422, description = "Not a level", body = super::ErrorResponse),
    )
)]
pub async fn set_level(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, member)): Path<(String, String)>,
    ApiJson(body): ApiJson<LevelBody>,
) -> Result<Json<ContactEntry>, ApiError> {
    let level = level(body.level, "level")?;
    let association = &auth.tenant.association;
    state.kindred.set_contact_level(association, &auth.caller, &member, level).await.map_err(contact_error)?;
    let contact = state
        .kindred
        .contacts(association, &auth.caller)
        .await
        .map_err(contact_error)?
        .into_iter()
        .find(|c| c.member_id.as_str() == member)
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(ContactEntry {
        member_id: contact.member_id.to_string(),
        pseudonym: contact.pseudonym,
        level_i_grant: contact.level_i_grant.number(),
        level_granted_to_me: contact.level_granted_to_me.number(),
    }))
}

/// Ends a contact, in both directions.
#[utoipa::path(
    delete,
    path = "/contacts/{member_id}",
    tag = "contacts",
    security(("bearer" = [])),
    params(("member_id" = String, Path, description = "The contact")),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "Not a contact", body = super::ErrorResponse),
    )
)]
pub async fn remove(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, member)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    state.kindred.remove_contact(&auth.tenant.association, &auth.caller, &member).await.map_err(contact_error)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Asks a contact to place you on a higher level. They accept (choosing
/// the level) or decline; you learn only the outcome.
#[utoipa::path(
    post,
    path = "/contacts/{member_id}/disclosure-requests",
    tag = "contacts",
    security(("bearer" = [])),
    params(("member_id" = String, Path, description = "The contact")),
    request_body = LevelBody,
    responses(
        (status = 201, description = "Asked", body = RequestCreated),
        (status = 404, description = "Not a contact", body = super::ErrorResponse),
        (status = 409, description = "A request is already waiting", body = super::ErrorResponse),
        (status = 422, description = "Not higher than now", body = super::ErrorResponse),
        (status = 429, description = "Too many requests to others too fast", body = super::ErrorResponse),
    )
)]
pub async fn ask_for_level(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, member)): Path<(String, String)>,
    ApiJson(body): ApiJson<LevelBody>,
) -> Result<Response, ApiError> {
    let level = level(body.level, "level")?;
    let id = state
        .kindred
        .ask_for_level(&auth.tenant.association, &auth.caller, &member, level)
        .await
        .map_err(contact_error)?;
    Ok((StatusCode::CREATED, Json(RequestCreated { request_id: id.to_string() })).into_response())
}

/// Requests for a higher level: to you (waiting) and from you (with their outcome).
#[utoipa::path(
    get,
    path = "/disclosure-requests",
    tag = "contacts",
    security(("bearer" = [])),
    responses((status = 200, description = "Requests", body = RequestsResponse))
)]
pub async fn disclosure_requests(
    State(state): State<AppState>,
    Community(auth): Community,
) -> Result<Json<RequestsResponse>, ApiError> {
    let requests =
        state.kindred.disclosure_requests(&auth.tenant.association, &auth.caller).await.map_err(contact_error)?;
    Ok(Json(requests_body(requests)))
}

/// Accepts a request for a higher level, placing the asker on `level`.
#[utoipa::path(
    post,
    path = "/disclosure-requests/{id}/accept",
    tag = "contacts",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The request")),
    request_body = LevelBody,
    responses(
        (status = 200, description = "Placed on the chosen level", body = StatusResponse),
        (status = 404, description = "No such request to you", body = super::ErrorResponse),
        (status = 409, description = "Already answered", body = super::ErrorResponse),
        (status = 422, description = "Not a level", body = super::ErrorResponse),
    )
)]
pub async fn accept_disclosure(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<LevelBody>,
) -> Result<Json<StatusResponse>, ApiError> {
    let level = level(body.level, "level")?;
    state.kindred.accept_disclosure(&auth.tenant.association, &auth.caller, &id, level).await.map_err(contact_error)?;
    Ok(Json(StatusResponse { status: "accepted" }))
}

/// Declines a request for a higher level.
#[utoipa::path(
    post,
    path = "/disclosure-requests/{id}/decline",
    tag = "contacts",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The request")),
    responses(
        (status = 200, description = "Declined", body = StatusResponse),
        (status = 404, description = "No such request to you", body = super::ErrorResponse),
        (status = 409, description = "Already answered", body = super::ErrorResponse),
    )
)]
pub async fn decline_disclosure(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
    OptionalJson(_body): OptionalJson<EmptyBody>,
) -> Result<Json<StatusResponse>, ApiError> {
    state.kindred.decline_disclosure(&auth.tenant.association, &auth.caller, &id).await.map_err(contact_error)?;
    Ok(Json(StatusResponse { status: "declined" }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockBody {
    member_id: String,
}

/// Blocks a member: they can no longer see, find or contact you, and any
/// contact between you ends.
#[utoipa::path(
    post,
    path = "/blocks",
    tag = "contacts",
    security(("bearer" = [])),
    request_body = BlockBody,
    responses(
        (status = 201, description = "Blocked", body = StatusResponse),
        (status = 404, description = "No such member (for you)", body = super::ErrorResponse),
    )
)]
pub async fn block(
    State(state): State<AppState>,
    Community(auth): Community,
    ApiJson(body): ApiJson<BlockBody>,
) -> Result<Response, ApiError> {
    state.kindred.block(&auth.tenant.association, &auth.caller, &body.member_id).await.map_err(contact_error)?;
    Ok((StatusCode::CREATED, Json(StatusResponse { status: "blocked" })).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct BlockEntry {
    member_id: String,
    pseudonym: String,
    created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct BlocksResponse {
    blocks: Vec<BlockEntry>,
}

/// The members you blocked.
#[utoipa::path(
    get,
    path = "/blocks",
    tag = "contacts",
    security(("bearer" = [])),
    responses((status = 200, description = "Blocked members", body = BlocksResponse))
)]
pub async fn blocks(
    State(state): State<AppState>,
    Community(auth): Community,
) -> Result<Json<BlocksResponse>, ApiError> {
    let blocks = state
        .kindred
        .blocks(&auth.tenant.association, &auth.caller)
        .await
        .map_err(contact_error)?
        .into_iter()
        .map(|b| BlockEntry { member_id: b.member_id.to_string(), pseudonym: b.pseudonym, created_at: b.created_at })
        .collect();
    Ok(Json(BlocksResponse { blocks }))
}

/// Lifts a block.
#[utoipa::path(
    delete,
    path = "/blocks/{member_id}",
    tag = "contacts",
    security(("bearer" = [])),
    params(("member_id" = String, Path, description = "The blocked member")),
    responses(
        (status = 204, description = "Lifted"),
        (status = 404, description = "No such block", body = super::ErrorResponse),
    )
)]
pub async fn unblock(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, member)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    state.kindred.unblock(&auth.tenant.association, &auth.caller, &member).await.map_err(contact_error)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
