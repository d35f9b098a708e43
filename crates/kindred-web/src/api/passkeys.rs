//! api::passkeys — registering, listing and removing passkeys (WebAuthn),
//! and finishing a page sign-in with one.
//!
//! A ceremony has two steps: `…/start` returns a `challenge_id` and the
//! `options` for the browser (`navigator.credentials.create()` or `.get()`,
//! binary values in base64url), and `…/finish` takes the `challenge_id`
//! with what the browser returned (binary values in base64url). A ceremony
//! is single use, belongs to the member who began it and expires after five
//! minutes.

use super::auth::{reauth_error, ReauthRequest};
use crate::auth::{Authenticated, ClientInfo, CookieSession};
use crate::compression::Secret;
use crate::errors::ApiError;
use crate::json::{ApiJson, OptionalJson};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use kindred_service::passkeys::{PasskeyChallenge, PasskeyError, PasskeySummary};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

pub(crate) fn passkey_error(error: PasskeyError) -> ApiError {
    match error {
        PasskeyError::Unavailable => ApiError::new(
            StatusCode::CONFLICT,
            "passkeys_unavailable",
            "Passkeys are not available here: the server is not configured with a host name.",
        ),
        PasskeyError::InvalidName => ApiError::invalid(
            "invalid_fields",
            "Some fields are invalid.",
            BTreeMap::from([("name".to_owned(), "must be at most 60 characters, without control characters".into())]),
        ),
        PasskeyError::UnknownChallenge => ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_challenge",
            "The challenge is unknown, expired or was already used; please start again.",
        ),
        PasskeyError::Invalid => ApiError::invalid(
            "invalid_passkey",
            "The passkey could not be verified.",
            BTreeMap::from([("credential".to_owned(), "could not be verified".to_owned())]),
        ),
        PasskeyError::AlreadyRegistered => {
            ApiError::new(StatusCode::CONFLICT, "passkey_exists", "This passkey is already registered.")
        }
        PasskeyError::TooMany => ApiError::new(
            StatusCode::CONFLICT,
            "too_many_passkeys",
            "You have as many passkeys as allowed; please remove one first.",
        ),
        PasskeyError::NoPasskeys => {
            ApiError::new(StatusCode::CONFLICT, "no_passkeys", "This account has no passkey; use a code instead.")
        }
        PasskeyError::Throttled(t) => ApiError::throttled(t.retry_after),
        PasskeyError::Reauth(e) => reauth_error(e),
        other => ApiError::internal(other),
    }
}

#[derive(Serialize, ToSchema)]
pub struct ChallengeResponse {
    /// Names the ceremony in the `finish` request; single use, five minutes.
    challenge_id: String,
    /// For `navigator.credentials.create()` (registration) or `.get()`
    /// (sign-in): `{"publicKey": {…}}`, binary values in base64url.
    #[schema(value_type = Object)]
    options: serde_json::Value,
}

impl From<PasskeyChallenge> for ChallengeResponse {
    fn from(challenge: PasskeyChallenge) -> Self {
        Self { challenge_id: challenge.challenge_id, options: challenge.options }
    }
}

/// Begins registering a passkey for the signed-in member (as an additional
/// second factor); needs the password or a current code of the second
/// factor (the ceremony exists only after that). With a session cookie,
/// send `X-CSRF-Token`. The member is told by mail when it is finished.
#[utoipa::path(
    post,
    path = "/me/passkeys/register/start",
    tag = "passkeys",
    security(("bearer" = [])),
    request_body = ReauthRequest,
    responses(
        (status = 200, description = "Options for navigator.credentials.create()", body = ChallengeResponse),
        (status = 401, description = "Not signed in", body = super::ErrorResponse),
        (status = 403, description = "reauthentication_required: neither password nor current_code given", body = super::ErrorResponse),
        (status = 409, description = "passkeys_unavailable: the server has no host name to bind passkeys to; \
                                      too_many_passkeys", body = super::ErrorResponse),
        (status = 422, description = "invalid_fields: wrong password or current_code", body = super::ErrorResponse),
        (status = 429, description = "Too many wrong attempts; see Retry-After", body = super::ErrorResponse),
    )
)]
pub async fn register_start(
    State(state): State<AppState>,
    auth: Authenticated,
    ClientInfo(client): ClientInfo,
    OptionalJson(body): OptionalJson<ReauthRequest>,
) -> Result<Secret<Json<ChallengeResponse>>, ApiError> {
    let challenge = state
        .kindred
        .start_passkey_registration(&auth.tenant.association, &auth.caller, &client, body.proof())
        .await
        .map_err(passkey_error)?;
    Ok(Secret(Json(challenge.into())))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterFinishRequest {
    challenge_id: String,
    /// The member's name for the passkey, up to 60 characters; default "Passkey".
    #[serde(default)]
    name: Option<String>,
    /// The `PublicKeyCredential` from navigator.credentials.create(), as JSON:
    /// `{id, rawId, type, response: {attestationObject, clientDataJSON}}`,
    /// binary values in base64url.
    #[schema(value_type = Object)]
    credential: serde_json::Value,
}

#[derive(Serialize, ToSchema)]
pub struct PasskeyView {
    /// Names the passkey for removal; not a secret.
    id: String,
    name: String,
    created_at: DateTime<Utc>,
    /// Absent when it was never used to sign in.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    last_used_at: Option<DateTime<Utc>>,
}

impl From<PasskeySummary> for PasskeyView {
    fn from(p: PasskeySummary) -> Self {
        Self { id: p.id, name: p.name, created_at: p.created_at, last_used_at: p.last_used_at }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RegisteredResponse {
    id: String,
    name: String,
    created_at: DateTime<Utc>,
    /// Only with the member's first second factor: each works once instead
    /// of a passkey or app code. Shown only now.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    recovery_codes: Option<Vec<String>>,
}

/// Finishes registering a passkey with what the browser's authenticator
/// returned.
#[utoipa::path(
    post,
    path = "/me/passkeys/register/finish",
    tag = "passkeys",
    security(("bearer" = [])),
    request_body = RegisterFinishRequest,
    responses(
        (status = 201, description = "Registered", body = RegisteredResponse),
        (status = 401, description = "Not signed in", body = super::ErrorResponse),
        (status = 404, description = "unknown_challenge: unknown, expired, used or another member's", body = super::ErrorResponse),
        (status = 409, description = "passkeys_unavailable; passkey_exists", body = super::ErrorResponse),
        (status = 422, description = "invalid_fields (the name); invalid_passkey (verification failed)", body = super::ErrorResponse),
    )
)]
pub async fn register_finish(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiJson(body): ApiJson<RegisterFinishRequest>,
) -> Result<Response, ApiError> {
    let registered = state
        .kindred
        .finish_passkey_registration(
            &auth.tenant.association,
            &auth.caller.member,
            &body.challenge_id,
            body.name.as_deref(),
            &body.credential,
        )
        .await
        .map_err(passkey_error)?;
    let answer = RegisteredResponse {
        id: registered.passkey.id,
        name: registered.passkey.name,
        created_at: registered.passkey.created_at,
        recovery_codes: registered.recovery_codes,
    };
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct PasskeysResponse {
    passkeys: Vec<PasskeyView>,
}

/// The signed-in member's passkeys, oldest first.
#[utoipa::path(
    get,
    path = "/me/passkeys",
    tag = "passkeys",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Passkeys", body = PasskeysResponse),
        (status = 401, description = "Not signed in", body = super::ErrorResponse),
    )
)]
pub async fn list(State(state): State<AppState>, auth: Authenticated) -> Result<Json<PasskeysResponse>, ApiError> {
    let passkeys =
        state.kindred.passkeys(&auth.tenant.association, &auth.caller.member.id).await.map_err(ApiError::internal)?;
    Ok(Json(PasskeysResponse { passkeys: passkeys.into_iter().map(PasskeyView::from).collect() }))
}

/// Removes one of the member's passkeys; needs the password or a current
/// code of the second factor in the body. Removing the last second factor
/// also removes the recovery codes. The member is told by mail.
#[utoipa::path(
    delete,
    path = "/me/passkeys/{id}",
    tag = "passkeys",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The passkey's id from the list")),
    request_body = ReauthRequest,
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not signed in", body = super::ErrorResponse),
        (status = 403, description = "reauthentication_required: neither password nor current_code given", body = super::ErrorResponse),
        (status = 404, description = "No such passkey of yours", body = super::ErrorResponse),
        (status = 422, description = "invalid_fields: wrong password or current_code", body = super::ErrorResponse),
        (status = 429, description = "Too many wrong attempts; see Retry-After", body = super::ErrorResponse),
    )
)]
pub async fn remove(
    State(state): State<AppState>,
    auth: Authenticated,
    ClientInfo(client): ClientInfo,
    Path(path): Path<(String, String)>,
    OptionalJson(body): OptionalJson<ReauthRequest>,
) -> Result<Response, ApiError> {
    let (_, id) = path;
    let removed = state
        .kindred
        .remove_passkey(&auth.tenant.association, &auth.caller, &client, body.proof(), &id)
        .await
        .map_err(passkey_error)?;
    if removed {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(ApiError::not_found())
    }
}

/// The second step of a page sign-in, with a passkey instead of a code:
/// for the session cookie of a sign-in whose password was right. Needs
/// `X-CSRF-Token` (the page's CSRF token); a bearer token does not work
/// here (API clients give a code at login).
#[utoipa::path(
    post,
    path = "/auth/passkey/start",
    tag = "passkeys",
    responses(
        (status = 200, description = "Options for navigator.credentials.get()", body = ChallengeResponse),
        (status = 401, description = "No page session", body = super::ErrorResponse),
        (status = 403, description = "csrf_failed", body = super::ErrorResponse),
        (status = 409, description = "passkeys_unavailable; no_passkeys", body = super::ErrorResponse),
    )
)]
pub async fn sign_in_start(
    State(state): State<AppState>,
    session: CookieSession,
) -> Result<Secret<Json<ChallengeResponse>>, ApiError> {
    let challenge = state
        .kindred
        .start_passkey_authentication(&session.tenant.association, &session.caller.member)
        .await
        .map_err(passkey_error)?;
    Ok(Secret(Json(challenge.into())))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInFinishRequest {
    challenge_id: String,
    /// The `PublicKeyCredential` from navigator.credentials.get(), as JSON:
    /// `{id, rawId, type, response: {authenticatorData, clientDataJSON,
    /// signature, userHandle}}`, binary values in base64url.
    #[schema(value_type = Object)]
    credential: serde_json::Value,
}

/// Finishes a page sign-in with a passkey: the session is signed in fully.
/// Failed attempts count like wrong codes.
#[utoipa::path(
    post,
    path = "/auth/passkey/finish",
    tag = "passkeys",
    request_body = SignInFinishRequest,
    responses(
        (status = 204, description = "Signed in"),
        (status = 401, description = "No page session", body = super::ErrorResponse),
        (status = 403, description = "csrf_failed", body = super::ErrorResponse),
        (status = 404, description = "unknown_challenge: unknown, expired, used or another member's", body = super::ErrorResponse),
        (status = 409, description = "passkeys_unavailable", body = super::ErrorResponse),
        (status = 422, description = "invalid_passkey: verification failed", body = super::ErrorResponse),
        (status = 429, description = "Too many failed attempts; see Retry-After", body = super::ErrorResponse),
    )
)]
pub async fn sign_in_finish(
    State(state): State<AppState>,
    session: CookieSession,
    ClientInfo(client): ClientInfo,
    ApiJson(body): ApiJson<SignInFinishRequest>,
) -> Result<Response, ApiError> {
    state
        .kindred
        .finish_passkey_authentication(
            &session.tenant.association,
            &session.caller,
            &client,
            &body.challenge_id,
            &body.credential,
        )
        .await
        .map_err(passkey_error)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
