//! api::auth — sign in and out of the API, and who am I.

use crate::auth::Authenticated;
use crate::errors::ApiError;
use crate::json::ApiJson;
use crate::state::AppState;
use crate::tenant::ApiTenant;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kindred_domain::profile::FieldValue;
use kindred_domain::Visibility;
use kindred_service::sessions::LoginError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    email: String,
    password: String,
    /// The current code of an authenticator app, when the account has one.
    /// Accepted so that clients can always send it; checked once accounts
    /// can have a second factor.
    #[serde(default)]
    #[allow(dead_code)]
    totp_code: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer TOKEN`.
    token: String,
    member_id: String,
    /// email_unconfirmed, unverified, active or suspended.
    status: &'static str,
}

/// Signs in and returns a bearer token. Unknown e-mail addresses and wrong
/// passwords get the same answer.
#[utoipa::path(
    post,
    path = "/auth/login",
    tag = "accounts",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = LoginResponse),
        (status = 401, description = "Unknown e-mail address or wrong password", body = super::ErrorResponse),
        (status = 403, description = "The account is suspended", body = super::ErrorResponse),
        (status = 422, description = "Fields missing or of the wrong type", body = super::ErrorResponse),
    )
)]
pub async fn login(
    State(state): State<AppState>,
    ApiTenant(tenant): ApiTenant,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    match state.kindred.login(&tenant.association, &body.email, &body.password).await {
        Ok(session) => Ok(Json(LoginResponse {
            token: session.token,
            member_id: session.member_id.to_string(),
            status: session.status.as_str(),
        })),
        Err(LoginError::InvalidCredentials) => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
            "The e-mail address or the password is wrong.",
        )),
        Err(LoginError::Suspended) => {
            Err(ApiError::new(StatusCode::FORBIDDEN, "suspended", "This account is suspended."))
        }
        Err(error) => Err(ApiError::internal(error)),
    }
}

/// Ends the session of the token used; the token stops working at once.
#[utoipa::path(
    post,
    path = "/auth/logout",
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "Not signed in", body = super::ErrorResponse),
    )
)]
pub async fn logout(State(state): State<AppState>, auth: Authenticated) -> Result<Response, ApiError> {
    state.kindred.logout(&auth.tenant.association, &auth.token).await.map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Serialize, ToSchema)]
pub struct MeResponse {
    member_id: String,
    pseudonym: String,
    email: String,
    status: &'static str,
    /// admin, moderator, professional or member.
    role: &'static str,
    /// The member's own profile fields by code: text, year, code or list of codes.
    profile: BTreeMap<String, serde_json::Value>,
    /// Per field: a level 1..4 or "private".
    visibility: BTreeMap<String, serde_json::Value>,
    /// Whether other members may find this member in search.
    discoverable: bool,
}

/// The signed-in member's own account. Answers for every status, so that a
/// member can see where they stand in admission.
#[utoipa::path(
    get,
    path = "/me",
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account", body = MeResponse),
        (status = 401, description = "Not signed in", body = super::ErrorResponse),
    )
)]
pub async fn me(State(state): State<AppState>, auth: Authenticated) -> Result<Json<MeResponse>, ApiError> {
    let entries =
        state.kindred.own_profile(&auth.tenant.association, &auth.member.id).await.map_err(ApiError::internal)?;
    let mut profile = BTreeMap::new();
    let mut visibility = BTreeMap::new();
    for entry in entries {
        let value = match entry.value {
            FieldValue::Text(text) => serde_json::Value::from(text),
            FieldValue::Year(year) => serde_json::Value::from(year),
            FieldValue::Code(code) => serde_json::Value::from(code.to_string()),
            FieldValue::Codes(codes) => {
                serde_json::Value::from(codes.iter().map(|c| c.to_string()).collect::<Vec<_>>())
            }
        };
        let level = match entry.visibility {
            Visibility::Level(level) => serde_json::Value::from(level.number()),
            Visibility::Private => serde_json::Value::from("private"),
        };
        profile.insert(entry.field.to_string(), value);
        visibility.insert(entry.field.to_string(), level);
    }
    let member = auth.member;
    Ok(Json(MeResponse {
        member_id: member.id.to_string(),
        pseudonym: member.pseudonym,
        email: member.email,
        status: member.status.as_str(),
        role: member.role.as_str(),
        profile,
        visibility,
        discoverable: member.discoverable,
    }))
}
