//! api::me_data — the member's data, theirs to take: the export (a ZIP
//! built in the background, downloadable once) and the access log (every
//! staff access to their data). `service::export` decides everything;
//! the pages (`pages::account_data`) call the same functions.

use crate::auth::Authenticated;
use crate::errors::ApiError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use kindred_service::export::{Download, ExportError};
use serde::Serialize;
use utoipa::ToSchema;

pub(crate) fn export_error(error: ExportError) -> ApiError {
    match error {
        ExportError::NotFound => ApiError::not_found(),
        other => ApiError::internal(other),
    }
}

#[derive(Serialize, ToSchema)]
pub struct ExportStarted {
    /// Download it at `/me/exports/{export_id}` once it is built.
    export_id: String,
}

#[derive(Serialize, ToSchema)]
pub struct ExportBuilding {
    export_id: String,
    /// Always `building`: ask again in a few seconds.
    status: String,
}

/// Asks for an export of everything Kindred holds about you. It is built
/// in the background; while one is still being built, its id is given again.
#[utoipa::path(
    post,
    path = "/me/export",
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 202, description = "Being built", body = ExportStarted),
        (status = 401, description = "Not signed in", body = super::ErrorResponse),
    )
)]
pub async fn request_export(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<(StatusCode, Json<ExportStarted>), ApiError> {
    let export_id = state.kindred.request_export(&auth.tenant.association, &auth.caller).await.map_err(export_error)?;
    Ok((StatusCode::ACCEPTED, Json(ExportStarted { export_id })))
}

/// Downloads your export: 202 while it is being built, then the ZIP
/// (`data.json`, `index.html`, your photo) — once. Another member's
/// export, an expired or an already downloaded one are 404.
#[utoipa::path(
    get,
    path = "/me/exports/{id}",
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The export")),
    responses(
        (status = 200, description = "The ZIP", content_type = "application/zip"),
        (status = 202, description = "Still being built", body = ExportBuilding),
        (status = 401, description = "Not signed in", body = super::ErrorResponse),
        (status = 404, description = "No such export of yours, expired or downloaded", body = super::ErrorResponse),
    )
)]
pub async fn download_export(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((_slug, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let download =
        state.kindred.download_export(&auth.tenant.association, &auth.caller, &id).await.map_err(export_error)?;
    Ok(zip_response(download, id))
}

/// The answer to a download, for the API and the page alike.
pub(crate) fn zip_response(download: Download, id: String) -> Response {
    match download {
        Download::Building => {
            (StatusCode::ACCEPTED, Json(ExportBuilding { export_id: id, status: "building".into() })).into_response()
        }
        Download::Zip(bytes) => (
            [
                (header::CONTENT_TYPE, "application/zip"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"my-data.zip\""),
                (header::CACHE_CONTROL, "no-store"),
            ],
            bytes,
        )
            .into_response(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct AccessEntry {
    at: DateTime<Utc>,
    /// What was done: `verification.viewed`, `member.viewed`,
    /// `letter.viewed`, `member.approved`, `member.suspended`,
    /// `member.role_changed`, `reported_messages.viewed` (a moderator read
    /// messages of mine that somebody reported), …
    action: String,
    /// The role of the staff member who did it (now): admin, moderator, …
    actor_role: String,
    /// The staff member's pseudonym: only where the association names staff
    /// in the access log (`[data] access_log_names_staff`), else absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    actor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AccessLogResponse {
    /// Oldest first.
    entries: Vec<AccessEntry>,
}

/// Every access by staff to your data: when, what, and by which role —
/// not which staff member, unless the association chose to name them
/// (`actor`).
#[utoipa::path(
    get,
    path = "/me/access-log",
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The accesses", body = AccessLogResponse),
        (status = 401, description = "Not signed in", body = super::ErrorResponse),
    )
)]
pub async fn access_log(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Json<AccessLogResponse>, ApiError> {
    let entries = state.kindred.access_log(&auth.tenant.association, &auth.caller).await.map_err(export_error)?;
    Ok(Json(AccessLogResponse {
        entries: entries
            .into_iter()
            .map(|e| AccessEntry { at: e.at, action: e.action, actor_role: e.actor_role, actor: e.actor })
            .collect(),
    }))
}
