//! api::preferences — the caller's language and time zone
//! (`service::preferences`), the same function as the account's
//! preferences page.

use crate::auth::Authenticated;
use crate::errors::ApiError;
use crate::json::ApiJson;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use kindred_service::preferences::{preferences_of, Preferences, PreferencesError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Your language and time zone.
#[derive(Serialize, ToSchema)]
pub struct PreferencesBody {
    /// de, en or nl: pages, mails and the links in mails use it.
    language: String,
    /// Your own IANA time zone; absent when you follow the association's.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    time_zone: Option<String>,
    /// The zone pages show times in: yours, else the association's.
    effective_time_zone: String,
}

/// New preferences.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferencesUpdate {
    /// One of the association's languages (de, en, nl).
    language: String,
    /// An IANA time zone such as Europe/Berlin; absent or null follows the association's.
    #[serde(default)]
    time_zone: Option<String>,
}

fn body(preferences: Preferences) -> PreferencesBody {
    PreferencesBody {
        language: preferences.language.code().to_owned(),
        time_zone: preferences.time_zone.map(|z| z.name().to_owned()),
        effective_time_zone: preferences.effective_zone.name().to_owned(),
    }
}

/// Your language and time zone.
#[utoipa::path(
    get,
    path = "/me/preferences",
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your preferences", body = PreferencesBody),
        (status = 401, description = "Not signed in", body = super::ErrorResponse),
    )
)]
pub async fn preferences(auth: Authenticated) -> Json<PreferencesBody> {
    Json(body(preferences_of(&auth.tenant.association, &auth.caller.member)))
}

/// Sets your language and time zone.
#[utoipa::path(
    put,
    path = "/me/preferences",
    tag = "accounts",
    security(("bearer" = [])),
    request_body = PreferencesUpdate,
    responses(
        (status = 200, description = "Your preferences now", body = PreferencesBody),
        (status = 401, description = "Not signed in", body = super::ErrorResponse),
        (status = 422, description = "A language the association does not offer or an unknown time zone, named in error.fields", body = super::ErrorResponse),
    )
)]
pub async fn set_preferences(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiJson(update): ApiJson<PreferencesUpdate>,
) -> Result<Json<PreferencesBody>, ApiError> {
    let zone = update.time_zone.as_deref();
    match state.kindred.set_preferences(&auth.tenant.association, &auth.caller, &update.language, zone).await {
        Ok(preferences) => Ok(Json(body(preferences))),
        Err(PreferencesError::Invalid(problems)) => Err(ApiError::invalid(
            "invalid_preferences",
            "Some preferences are invalid.",
            problems.into_iter().map(|(field, problem)| (field.to_owned(), problem.to_owned())).collect(),
        )),
        Err(PreferencesError::Store(error)) => Err(ApiError::internal(error)),
    }
}
