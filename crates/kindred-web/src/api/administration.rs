//! api::administration — the association's settings (`GET`/`PUT
//! /admin/settings`, the configuration file's shape as JSON) and its
//! statistics (`GET /admin/statistics`). Admins only.

use crate::auth::Admin;
use crate::errors::ApiError;
use crate::json::ApiJson;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::Json;
use chrono::NaiveDate;
use kindred_service::administration::SettingsError;
use kindred_service::statistics::{Period, WeekStatistics};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};

/// The association's settings in the shape of its configuration file
/// (docs/association-config.md), every setting with its value and every
/// default filled in. A localised text is a table of language codes.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = Object)]
pub struct AdminSettingsDocument(serde_json::Value);

pub(crate) fn settings_error(error: SettingsError) -> ApiError {
    match error {
        SettingsError::Invalid(e) => {
            // serde's words ("invalid type: string, expected i64") told as
            // every other body's problems are (`json::explain`).
            let (setting, problem) = crate::json::explain(&e.setting, &e.problem);
            ApiError::invalid(
                "invalid_settings",
                format!("A setting is invalid: {setting}: {problem}"),
                BTreeMap::from([(setting, problem)]),
            )
        }
        SettingsError::Store(e) => ApiError::internal(e),
    }
}

/// The association's settings, as its configuration file would hold them.
#[utoipa::path(
    get,
    path = "/admin/settings",
    tag = "administration",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every setting with its value", body = AdminSettingsDocument),
        (status = 401, description = "Not signed in", body = super::ErrorResponse),
        (status = 403, description = "Not an admin", body = super::ErrorResponse),
    )
)]
pub async fn get_settings(State(state): State<AppState>, Admin(auth): Admin) -> Json<AdminSettingsDocument> {
    Json(AdminSettingsDocument(state.kindred.settings_json(&auth.tenant.association)))
}

/// Replaces the association's settings, all or nothing. The body has the
/// shape of the configuration file and is checked exactly as the file is;
/// a missing setting takes its default. The change is audited with the
/// paths of the settings that changed and shows on every node within a
/// few seconds.
#[utoipa::path(
    put,
    path = "/admin/settings",
    tag = "administration",
    security(("bearer" = [])),
    request_body = AdminSettingsDocument,
    responses(
        (status = 200, description = "The settings now in force", body = AdminSettingsDocument),
        (status = 401, description = "Not signed in", body = super::ErrorResponse),
        (status = 403, description = "Not an admin", body = super::ErrorResponse),
        (status = 422, description = "A setting is wrong; `error.fields` is keyed by its path, e.g. `branding.primary_color`", body = super::ErrorResponse),
    )
)]
pub async fn put_settings(
    State(state): State<AppState>,
    Admin(auth): Admin,
    ApiJson(AdminSettingsDocument(body)): ApiJson<AdminSettingsDocument>,
) -> Result<Json<AdminSettingsDocument>, ApiError> {
    let association = &auth.tenant.association;
    let change = state
        .kindred
        .update_settings_json(association, Some(&auth.caller.member.id), body)
        .await
        .map_err(settings_error)?;
    let json = state.kindred.settings_json(&change.association);
    // This node shows the change at once; others within the cache's time.
    state.associations.put_slug(association.slug.as_str(), Some(Arc::new(change.association)));
    Ok(Json(AdminSettingsDocument(json)))
}

#[derive(Deserialize, IntoParams)]
pub struct StatisticsQuery {
    /// The first day (YYYY-MM-DD); its whole ISO week counts. Default: 11 weeks before `to`'s week.
    from: Option<String>,
    /// The last day (YYYY-MM-DD); its whole ISO week counts. Default: today. At most 53 weeks in all.
    to: Option<String>,
}

/// One ISO week (Monday to Sunday, UTC). A count below the association's
/// `count_threshold` is `null`.
#[derive(Serialize, ToSchema)]
pub struct StatisticsWeek {
    /// The Monday the week starts on.
    week_start: NaiveDate,
    /// New accounts.
    registrations: Option<u64>,
    /// Members verified, by procedure: member_number, letter, invitation, manual.
    verifications: BTreeMap<&'static str, Option<u64>>,
    /// Members who wrote a post under their pseudonym or used a session.
    active_members: Option<u64>,
    /// Posts written (not counting secret groups).
    posts: Option<u64>,
    /// Groups created (not counting secret groups).
    groups: Option<u64>,
    /// Reports made.
    reports: Option<u64>,
    /// Reports made, by kind: abuse, spam, medical_advice, crisis, other.
    reports_by_kind: BTreeMap<&'static str, Option<u64>>,
    /// Events created (not counting secret groups).
    events: Option<u64>,
    /// Places taken at events, by the week members signed up (not counting secret groups).
    event_registrations: Option<u64>,
    /// Messages sent in conversations: how many, never who wrote to whom.
    messages: Option<u64>,
    /// Reports resolved or dismissed.
    reports_handled: Option<u64>,
    /// Median hours from report to handling, of the reports handled in the week.
    median_hours_to_handle: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct StatisticsResponse {
    /// The Monday of the first week.
    from: NaiveDate,
    /// The Sunday of the last week.
    to: NaiveDate,
    /// Counts below this are null.
    count_threshold: u32,
    /// Oldest first.
    weeks: Vec<StatisticsWeek>,
}

pub(crate) fn week_json(week: &WeekStatistics) -> StatisticsWeek {
    StatisticsWeek {
        week_start: week.week_start,
        registrations: week.registrations,
        verifications: week.verifications.clone(),
        active_members: week.active_members,
        posts: week.posts,
        groups: week.groups,
        reports: week.reports,
        reports_by_kind: week.reports_by_kind.clone(),
        events: week.events,
        event_registrations: week.event_registrations,
        messages: week.messages,
        reports_handled: week.reports_handled,
        median_hours_to_handle: week.median_hours_to_handle,
    }
}

/// The association in numbers, by ISO week: counts only, never from health
/// fields, every count below `count_threshold` null.
#[utoipa::path(
    get,
    path = "/admin/statistics",
    tag = "administration",
    security(("bearer" = [])),
    params(StatisticsQuery),
    responses(
        (status = 200, description = "Counts by week", body = StatisticsResponse),
        (status = 401, description = "Not signed in", body = super::ErrorResponse),
        (status = 403, description = "Not an admin", body = super::ErrorResponse),
        (status = 422, description = "Not a date, `to` before `from`, or more than 53 weeks", body = super::ErrorResponse),
    )
)]
pub async fn statistics(
    State(state): State<AppState>,
    Admin(auth): Admin,
    Query(query): Query<StatisticsQuery>,
) -> Result<Json<StatisticsResponse>, ApiError> {
    let period = Period::parse(query.from.as_deref(), query.to.as_deref(), state.kindred.today()).map_err(|e| {
        ApiError::invalid("invalid_period", e.to_string(), BTreeMap::from([(e.field().to_owned(), e.to_string())]))
    })?;
    let statistics = state.kindred.statistics(&auth.tenant.association, period).await.map_err(ApiError::internal)?;
    Ok(Json(StatisticsResponse {
        from: period.first,
        to: period.last_day(),
        count_threshold: statistics.count_threshold,
        weeks: statistics.weeks.iter().map(week_json).collect(),
    }))
}
