//! web::api::erasure — `DELETE /me`: the member erases their account
//! (service::erasure).

use crate::api::auth::reauth_error;
use crate::auth::{Authenticated, ClientInfo};
use crate::errors::ApiError;
use crate::json::ApiJson;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kindred_service::erasure::{ErasureError, PostsChoice};
use serde::Deserialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EraseRequest {
    /// The account's password, to confirm.
    password: String,
    /// `delete`: the member's posts are removed; `anonymise`: they stay,
    /// shown as by a former member (where the association allows it).
    posts: String,
}

pub(crate) fn erasure_error(error: ErasureError) -> ApiError {
    match error {
        ErasureError::AnonymiseNotAllowed => ApiError::invalid(
            "invalid_fields",
            "Some fields are invalid.",
            BTreeMap::from([("posts".to_owned(), "this association removes the posts of erased accounts".to_owned())]),
        ),
        ErasureError::Reauth(e) => reauth_error(e),
        other => ApiError::internal(other),
    }
}

/// Erases the caller's account: profile, photo, contacts, requests,
/// aliases, sessions, passkeys, registrations, messages (for everyone) and
/// search terms go; posts are removed or kept without name (`posts`). Every
/// session and token ends at once. The pseudonym stays taken for the
/// association's grace period.
#[utoipa::path(
    delete,
    path = "/me",
    tag = "accounts",
    security(("bearer" = [])),
    request_body = EraseRequest,
    responses(
        (status = 202, description = "Erased; the token no longer works"),
        (status = 401, description = "Not signed in", body = super::ErrorResponse),
        (status = 403, description = "reauthentication_required: no password given", body = super::ErrorResponse),
        (status = 422, description = "invalid_fields: wrong password, or `posts` not delete/anonymise (or anonymise not allowed)", body = super::ErrorResponse),
        (status = 429, description = "Too many wrong passwords; see Retry-After", body = super::ErrorResponse),
    )
)]
pub async fn erase_me(
    State(state): State<AppState>,
    auth: Authenticated,
    ClientInfo(client): ClientInfo,
    ApiJson(body): ApiJson<EraseRequest>,
) -> Result<Response, ApiError> {
    let Some(posts) = PostsChoice::parse(&body.posts) else {
        return Err(ApiError::invalid(
            "invalid_fields",
            "Some fields are invalid.",
            BTreeMap::from([("posts".to_owned(), "must be delete or anonymise".to_owned())]),
        ));
    };
    state
        .kindred
        .erase_account(&auth.tenant.association, &auth.caller, &client, &body.password, posts)
        .await
        .map_err(erasure_error)?;
    Ok(StatusCode::ACCEPTED.into_response())
}
