//! api::profiles — the signed-in member's own profile: fields and their
//! visibility, whether they may be found, the consent to health data, and
//! the photo.

use crate::auth::{Authenticated, Community};
use crate::errors::ApiError;
use crate::json::ApiJson;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use kindred_domain::profile::RawValue;
use kindred_domain::{Level, Visibility};
use kindred_service::accounts::TermsError;
use kindred_service::photos::PhotoError;
use kindred_service::profiles::{ProfileError, ProfileUpdate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

fn profile_error(error: ProfileError) -> ApiError {
    match error {
        ProfileError::Invalid(problems) => {
            ApiError::invalid("invalid_fields", "Some fields are invalid.", problems.into_iter().collect())
        }
        ProfileError::ConsentRequired => ApiError::new(
            StatusCode::CONFLICT,
            "consent_required",
            "Storing health data needs your consent first (POST /me/consents with kind health_data).",
        ),
        ProfileError::UnknownConsent => ApiError::invalid(
            "invalid_fields",
            "Some fields are invalid.",
            BTreeMap::from([("kind".to_owned(), "must be health_data".to_owned())]),
        ),
        other => ApiError::internal(other),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentRequest {
    /// health_data: the consent to store health fields (condition, form,
    /// diagnosis year, therapies, medications, about me).
    kind: String,
}

#[derive(Serialize, ToSchema)]
pub struct ConsentEntry {
    kind: String,
    version: String,
    given_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct ConsentsResponse {
    consents: Vec<ConsentEntry>,
}

/// Gives an explicit consent; giving it again changes nothing.
#[utoipa::path(
    post,
    path = "/me/consents",
    tag = "profiles",
    security(("bearer" = [])),
    request_body = ConsentRequest,
    responses(
        (status = 201, description = "Recorded", body = ConsentsResponse),
        (status = 422, description = "Unknown kind", body = super::ErrorResponse),
    )
)]
pub async fn give_consent(
    State(state): State<AppState>,
    Community(auth): Community,
    ApiJson(body): ApiJson<ConsentRequest>,
) -> Result<Response, ApiError> {
    let association = &auth.tenant.association;
    state.kindred.give_consent(association, &auth.caller, &body.kind).await.map_err(profile_error)?;
    let consents = consents_body(&state, &auth).await?;
    Ok((StatusCode::CREATED, Json(consents)).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TermsRequest {
    /// The version of the terms accepted: the association's current one
    /// (`terms_version` of `GET /me`).
    version: String,
}

/// Accepts the association's current terms of use (after they changed,
/// `GET /me` says `terms_needed`, and community endpoints answer 403
/// `terms_not_accepted` until this is done). Recorded with its time; listed
/// in `GET /me/consents`. A version that is not the current one (the terms
/// changed while they were read) is 409 `terms_changed`.
#[utoipa::path(
    post,
    path = "/me/terms",
    tag = "profiles",
    security(("bearer" = [])),
    request_body = TermsRequest,
    responses(
        (status = 200, description = "Recorded", body = ConsentEntry),
        (status = 401, description = "Not signed in", body = super::ErrorResponse),
        (status = 409, description = "`terms_changed`: not the current version", body = super::ErrorResponse),
    )
)]
pub async fn accept_terms(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiJson(body): ApiJson<TermsRequest>,
) -> Result<Json<ConsentEntry>, ApiError> {
    let record = state.kindred.accept_terms(&auth.tenant.association, &auth.caller, &body.version).await.map_err(
        |e| match e {
            TermsError::Changed => ApiError::new(
                StatusCode::CONFLICT,
                "terms_changed",
                "This is not the current version of the terms of use; read them again (GET /me says terms_version).",
            ),
            TermsError::Store(error) => ApiError::internal(error),
        },
    )?;
    Ok(Json(ConsentEntry { kind: record.kind, version: record.version, given_at: record.given_at }))
}

async fn consents_body(state: &AppState, auth: &crate::auth::Authenticated) -> Result<ConsentsResponse, ApiError> {
    let consents = state
        .kindred
        .consents(&auth.tenant.association, &auth.caller.member.id)
        .await
        .map_err(ApiError::internal)?
        .into_iter()
        .map(|c| ConsentEntry { kind: c.kind, version: c.version, given_at: c.given_at })
        .collect();
    Ok(ConsentsResponse { consents })
}

/// The consents the member gave: the terms (at registration, and each new
/// version accepted) and health data. Also while the terms are to be
/// accepted again.
#[utoipa::path(
    get,
    path = "/me/consents",
    tag = "profiles",
    security(("bearer" = [])),
    responses((status = 200, description = "The consents", body = ConsentsResponse))
)]
pub async fn consents(State(state): State<AppState>, auth: Authenticated) -> Result<Json<ConsentsResponse>, ApiError> {
    Ok(Json(consents_body(&state, &auth).await?))
}

/// Withdraws the consent to health data: every health field's value is
/// erased at once (the visibility choices stay). The consent to the terms
/// of use ends only with the account (`DELETE /me`): 409
/// `terms_end_with_account`.
#[utoipa::path(
    delete,
    path = "/me/consents/{kind}",
    tag = "profiles",
    security(("bearer" = [])),
    params(("kind" = String, Path, description = "health_data")),
    responses(
        (status = 204, description = "Withdrawn, health data erased"),
        (status = 404, description = "No such consent was given", body = super::ErrorResponse),
        (status = 409, description = "`terms_end_with_account`: the terms are withdrawn by DELETE /me", body = super::ErrorResponse),
    )
)]
pub async fn withdraw_consent(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((_slug, kind)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let withdrawn =
        state.kindred.withdraw_consent(&auth.tenant.association, &auth.caller, &kind).await.map_err(|e| match e {
            ProfileError::UnknownConsent => ApiError::not_found(),
            ProfileError::TermsEndWithAccount => ApiError::new(
                StatusCode::CONFLICT,
                "terms_end_with_account",
                "The consent to the terms of use ends only with the account: DELETE /me erases it.",
            ),
            other => profile_error(other),
        })?;
    if !withdrawn {
        return Err(ApiError::not_found());
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ProfileRequest {
    /// Field code → value (text, year, catalogue code, or list of codes);
    /// null or "" removes the value. Fields not named stay as they are.
    #[serde(default)]
    #[schema(value_type = Object)]
    fields: BTreeMap<String, serde_json::Value>,
    /// Field code → 1..4 or "private". Never more open than the
    /// association's minimum for the field.
    #[serde(default)]
    #[schema(value_type = Object)]
    visibility: BTreeMap<String, serde_json::Value>,
    /// Whether other members may find you in search.
    #[serde(default)]
    discoverable: Option<bool>,
}

fn raw_value(value: serde_json::Value) -> Result<Option<RawValue>, &'static str> {
    match value {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::String(s) => Ok(Some(RawValue::Text(s))),
        serde_json::Value::Number(n) => n.as_i64().map(|n| Some(RawValue::Number(n))).ok_or("must be a whole number"),
        serde_json::Value::Array(items) => items
            .into_iter()
            .map(|i| match i {
                serde_json::Value::String(s) => Ok(s),
                _ => Err("must be a list of catalogue codes"),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|list| Some(RawValue::List(list))),
        _ => Err("must be text, a number or a list"),
    }
}

pub(crate) fn parse_visibility(value: &serde_json::Value) -> Option<Visibility> {
    match value {
        serde_json::Value::Number(n) => n.as_i64().and_then(Level::from_number).map(Visibility::Level),
        // A level is a number, as everywhere else in the API (contacts,
        // requests); the only word is "private".
        serde_json::Value::String(s) if s == "private" => Some(Visibility::Private),
        _ => None,
    }
}

/// Changes the member's own profile; all or nothing. Answers the new `/me`.
#[utoipa::path(
    put,
    path = "/me/profile",
    tag = "profiles",
    security(("bearer" = [])),
    request_body = ProfileRequest,
    responses(
        (status = 200, description = "The new /me", body = super::auth::MeResponse),
        (status = 409, description = "consent_required: health data without consent", body = super::ErrorResponse),
        (status = 422, description = "Invalid fields, values or levels", body = super::ErrorResponse),
    )
)]
pub async fn update_profile(
    State(state): State<AppState>,
    Community(auth): Community,
    ApiJson(body): ApiJson<ProfileRequest>,
) -> Result<Json<super::auth::MeResponse>, ApiError> {
    let mut problems = BTreeMap::new();
    let mut update = ProfileUpdate { discoverable: body.discoverable, ..Default::default() };
    for (code, value) in body.fields {
        match raw_value(value) {
            Ok(raw) => update.fields.push((code, raw)),
            Err(problem) => {
                problems.insert(format!("fields.{code}"), problem.to_owned());
            }
        }
    }
    for (code, value) in body.visibility {
        match parse_visibility(&value) {
            Some(v) => update.visibility.push((code, v)),
            None => {
                problems.insert(format!("visibility.{code}"), "must be 1, 2, 3, 4 or \"private\"".to_owned());
            }
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::invalid("invalid_fields", "Some fields are invalid.", problems));
    }
    let association = &auth.tenant.association;
    state.kindred.update_profile(association, &auth.caller, update).await.map_err(profile_error)?;
    // Read the account anew: `discoverable` may have changed.
    let caller = state
        .kindred
        .authenticate(association, &auth.token)
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "Please sign in."))?;
    Ok(Json(super::auth::me_body(&state, &auth.tenant, caller).await?))
}

fn photo_error(error: PhotoError) -> ApiError {
    match error {
        PhotoError::NoPhotoField => ApiError::not_found(),
        PhotoError::TooLarge => {
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "The photo may be at most 8 MB.")
        }
        PhotoError::NotAnImage => ApiError::invalid(
            "invalid_image",
            "The file is not a JPEG, PNG or WebP image, or it is damaged.",
            BTreeMap::from([("body".to_owned(), "must be a JPEG, PNG or WebP image".to_owned())]),
        ),
        PhotoError::TooManyPixels { width, height } => ApiError::invalid(
            "image_too_large",
            format!("The image has {width} × {height} pixels; at most 40 megapixels are accepted."),
            BTreeMap::from([("body".to_owned(), "may have at most 40 megapixels".to_owned())]),
        ),
        other => ApiError::internal(other),
    }
}

/// Uploads a profile photo (the request body is the image: JPEG, PNG or
/// WebP). It is shrunk to 512 × 512 at most and encoded anew, without any
/// metadata; who sees it follows the `photo` field's visibility.
#[utoipa::path(
    put,
    path = "/me/photo",
    tag = "profiles",
    security(("bearer" = [])),
    request_body(content = Vec<u8>, content_type = "image/jpeg"),
    responses(
        (status = 204, description = "Stored"),
        (status = 413, description = "Too large", body = super::ErrorResponse),
        (status = 422, description = "invalid_image: not an image; image_too_large: more than 40 megapixels", body = super::ErrorResponse),
    )
)]
pub async fn put_photo(
    State(state): State<AppState>,
    Community(auth): Community,
    body: Bytes,
) -> Result<Response, ApiError> {
    state.kindred.set_photo(&auth.tenant.association, &auth.caller, body.to_vec()).await.map_err(photo_error)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The member's own photo.
#[utoipa::path(
    get,
    path = "/me/photo",
    tag = "profiles",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The photo", content_type = "image/jpeg"),
        (status = 404, description = "No photo", body = super::ErrorResponse),
    )
)]
pub async fn get_photo(State(state): State<AppState>, Community(auth): Community) -> Result<Response, ApiError> {
    let image = state.kindred.own_photo(&auth.tenant.association, &auth.caller).await.map_err(photo_error)?;
    image.map(super::members::jpeg).ok_or_else(ApiError::not_found)
}

/// Removes the member's photo.
#[utoipa::path(
    delete,
    path = "/me/photo",
    tag = "profiles",
    security(("bearer" = [])),
    responses((status = 204, description = "Removed"), (status = 404, description = "No photo", body = super::ErrorResponse))
)]
pub async fn delete_photo(State(state): State<AppState>, Community(auth): Community) -> Result<Response, ApiError> {
    let removed = state.kindred.remove_photo(&auth.tenant.association, &auth.caller).await.map_err(photo_error)?;
    if removed {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(ApiError::not_found())
    }
}
