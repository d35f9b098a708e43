//! api::notifications — the caller's in-app notifications (replies to
//! subscribed topics, mentions, moderation) and marking them read. Those
//! about a topic the caller can no longer read are left out
//! (`service::notification_list`).

use crate::auth::{Authenticated, Community};
use crate::errors::ApiError;
use crate::json::ApiJson;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use kindred_domain::notification_kinds::{EmailChoices, QuietHours};
use kindred_service::notification_list::{group_key, NotificationError, NotificationView, MAX_MARKED};
use kindred_service::notification_settings::{NotificationSettingsError, QuietChange};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

pub(crate) fn notification_error(error: NotificationError) -> ApiError {
    match error {
        NotificationError::NotFound => ApiError::not_found(),
        NotificationError::BadCursor => ApiError::invalid(
            "invalid_query",
            "Some parameters are invalid.",
            BTreeMap::from([("cursor".to_owned(), "is not a cursor this server gave out".to_owned())]),
        ),
        NotificationError::WrongCount => ApiError::invalid(
            "invalid_fields",
            "Some fields are invalid.",
            BTreeMap::from([("notification_ids".to_owned(), format!("must name 1 to {MAX_MARKED} notifications"))]),
        ),
        other => ApiError::internal(other),
    }
}

/// For the OpenAPI document only (the handler reads the query string itself).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ListParams {
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct NotificationEntry {
    notification_id: String,
    /// reply, mention, moderation, warning, crisis_report, …
    kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    topic_id: Option<String>,
    /// The topic's title.
    #[serde(skip_serializing_if = "Option::is_none")]
    topic_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    post_id: Option<String>,
    /// The post's number in its topic: `/forum/topics/{topic_id}#post-{post_number}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    post_number: Option<i32>,
    /// The event it is about (event_changed, event_cancelled, event_promoted, event_reminder).
    #[serde(skip_serializing_if = "Option::is_none")]
    event_id: Option<String>,
    /// Who caused it, as you may see them (a pseudonym, or an alias in an
    /// alias group); absent for anonymous posts.
    #[serde(skip_serializing_if = "Option::is_none")]
    actor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
    created_at: DateTime<Utc>,
    read: bool,
    /// The conversation of a `message_request` or `message`.
    #[serde(skip_serializing_if = "Option::is_none")]
    conversation_id: Option<String>,
    /// The contact or disclosure request of a contact_* or disclosure_* kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<String>,
    /// The group of a `group_invitation` or `group_join_request`.
    #[serde(skip_serializing_if = "Option::is_none")]
    group_id: Option<String>,
    /// The article of an `article_submitted` (to review) or
    /// `article_reviewed` (yours; `detail`: published or returned).
    #[serde(skip_serializing_if = "Option::is_none")]
    article_id: Option<String>,
    /// Equal for notifications about the same thing (the same kind about
    /// the same topic, event, conversation, request, group or article), which the
    /// notification centre shows as one entry ("3 replies").
    group_key: String,
}

#[derive(Serialize, ToSchema)]
pub struct NotificationsResponse {
    /// Newest first.
    notifications: Vec<NotificationEntry>,
    /// Unread notifications in all (not only on this page).
    unread_count: i64,
    /// Pass as `cursor` for the next page; null on the last page.
    next_cursor: Option<String>,
}

pub(crate) fn entry(view: NotificationView) -> NotificationEntry {
    let group_key = group_key(&view);
    NotificationEntry {
        group_key,
        notification_id: view.id.to_string(),
        kind: view.kind,
        topic_id: view.topic_id,
        topic_title: view.topic_title,
        post_id: view.post_id,
        post_number: view.post_number,
        event_id: view.event_id,
        actor: view.actor,
        detail: view.detail,
        created_at: view.created_at,
        read: view.read,
        conversation_id: view.conversation_id,
        request_id: view.request_id,
        group_id: view.group_id,
        article_id: view.article_id,
    }
}

/// Your notifications, newest first, 30 at a time, with the unread count.
#[utoipa::path(
    get,
    path = "/notifications",
    tag = "notifications",
    security(("bearer" = [])),
    params(ListParams),
    responses(
        (status = 200, description = "A page of notifications", body = NotificationsResponse),
        (status = 403, description = "Not verified yet", body = super::ErrorResponse),
        (status = 422, description = "The cursor is invalid", body = super::ErrorResponse),
    )
)]
pub async fn notifications(
    State(state): State<AppState>,
    Community(auth): Community,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<NotificationsResponse>, ApiError> {
    let cursor = super::search::param(&pairs, "cursor");
    let page = state
        .kindred
        .notifications(&auth.tenant.association, &auth.caller, cursor)
        .await
        .map_err(notification_error)?;
    Ok(Json(NotificationsResponse {
        notifications: page.notifications.into_iter().map(entry).collect(),
        unread_count: page.unread_count,
        next_cursor: page.next_cursor,
    }))
}

/// Marks one of your notifications read.
#[utoipa::path(
    post,
    path = "/notifications/{id}/read",
    tag = "notifications",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The notification")),
    responses(
        (status = 204, description = "Read"),
        (status = 404, description = "No such notification of yours", body = super::ErrorResponse),
    )
)]
pub async fn mark_read(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    state
        .kindred
        .mark_notification_read(&auth.tenant.association, &auth.caller, &id)
        .await
        .map_err(notification_error)?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkSomeBody {
    /// Notifications of yours (at most 200), e.g. those of one `group_key`.
    notification_ids: Vec<String>,
}

/// Marks several of your notifications read, all or none.
#[utoipa::path(
    post,
    path = "/notifications/read",
    tag = "notifications",
    security(("bearer" = [])),
    request_body = MarkSomeBody,
    responses(
        (status = 204, description = "Read"),
        (status = 404, description = "One of them is no notification of yours (nothing was marked)", body = super::ErrorResponse),
        (status = 422, description = "No notifications named, or more than 200", body = super::ErrorResponse),
    )
)]
pub async fn mark_some_read(
    State(state): State<AppState>,
    Community(auth): Community,
    ApiJson(body): ApiJson<MarkSomeBody>,
) -> Result<StatusCode, ApiError> {
    let ids: Vec<&str> = body.notification_ids.iter().map(String::as_str).collect();
    state
        .kindred
        .mark_notifications_read(&auth.tenant.association, &auth.caller, &ids)
        .await
        .map_err(notification_error)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Marks all your notifications read.
#[utoipa::path(
    post,
    path = "/notifications/read-all",
    tag = "notifications",
    security(("bearer" = [])),
    responses((status = 204, description = "All read"))
)]
pub async fn mark_all_read(State(state): State<AppState>, Community(auth): Community) -> Result<StatusCode, ApiError> {
    state
        .kindred
        .mark_all_notifications_read(&auth.tenant.association, &auth.caller)
        .await
        .map_err(notification_error)?;
    Ok(StatusCode::NO_CONTENT)
}

// ------------------------------------------------------------------ e-mail settings

/// How often to be mailed about one kind of notification.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationEmailChoice {
    #[schema(value_type = String, example = "daily")]
    /// immediately, daily, weekly or never.
    email: String,
}

/// Quiet hours: no immediate mail between `from` and `to` (crisis reports
/// to staff excepted); they wait until the quiet hours end.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuietHoursBody {
    /// Local time of day, e.g. "22:00".
    #[schema(example = "22:00")]
    from: String,
    /// Local time of day, e.g. "07:00"; before `from` spans midnight.
    #[schema(example = "07:00")]
    to: String,
    /// An IANA time zone; absent: the association's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "Europe/Berlin")]
    time_zone: Option<String>,
}

/// Every kind of notification with its e-mail choice, and the quiet hours.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationSettingsBody {
    /// By kind: reply, mention, moderation, warning, crisis_report, …
    settings: BTreeMap<String, NotificationEmailChoice>,
    /// In a PUT: absent keeps them, `null` removes them.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<QuietHoursBody>)]
    quiet_hours: Option<Option<QuietHoursBody>>,
}

/// A field that is present (even as `null`) is `Some`.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<QuietHoursBody>>, D::Error> {
    Option::<QuietHoursBody>::deserialize(d).map(Some)
}

fn settings_body(choices: &EmailChoices, quiet: Option<QuietHours>) -> NotificationSettingsBody {
    NotificationSettingsBody {
        settings: choices
            .iter()
            .map(|(kind, frequency)| {
                (kind.name.to_owned(), NotificationEmailChoice { email: frequency.as_str().to_owned() })
            })
            .collect(),
        quiet_hours: Some(quiet.map(|q| QuietHoursBody {
            from: QuietHours::clock(q.from),
            to: QuietHours::clock(q.to),
            time_zone: q.time_zone.map(|z| z.name().to_owned()),
        })),
    }
}

fn settings_error(error: NotificationSettingsError) -> ApiError {
    match error {
        NotificationSettingsError::Invalid(problems) => ApiError::invalid(
            "invalid_settings",
            "Some notification settings are invalid.",
            problems.into_iter().map(|(path, problem)| (path, problem.to_owned())).collect(),
        ),
        NotificationSettingsError::Store(error) => ApiError::internal(error),
    }
}

/// Your e-mail choice for every kind of notification (in the app every
/// notification always shows).
#[utoipa::path(
    get,
    path = "/me/notification-settings",
    tag = "notifications",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every kind with its choice", body = NotificationSettingsBody),
        (status = 401, description = "Not signed in", body = super::ErrorResponse),
    )
)]
pub async fn notification_settings(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Json<NotificationSettingsBody>, ApiError> {
    let association = &auth.tenant.association;
    let choices = state.kindred.notification_settings(association, &auth.caller).await.map_err(settings_error)?;
    let quiet = state.kindred.quiet_hours(association, &auth.caller).await.map_err(settings_error)?;
    Ok(Json(settings_body(&choices, quiet)))
}

/// Sets your e-mail choices: the kinds named as given, every other kind
/// back to its default. A crisis report is always mailed at once.
#[utoipa::path(
    put,
    path = "/me/notification-settings",
    tag = "notifications",
    security(("bearer" = [])),
    request_body = NotificationSettingsBody,
    responses(
        (status = 200, description = "The choices now", body = NotificationSettingsBody),
        (status = 401, description = "Not signed in", body = super::ErrorResponse),
        (status = 422, description = "An unknown kind or frequency, named in error.fields", body = super::ErrorResponse),
    )
)]
pub async fn set_notification_settings(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiJson(body): ApiJson<NotificationSettingsBody>,
) -> Result<Json<NotificationSettingsBody>, ApiError> {
    let requested = body.settings.iter().map(|(kind, choice)| (kind.as_str(), choice.email.as_str()));
    let quiet = match &body.quiet_hours {
        None => QuietChange::Keep,
        Some(None) => QuietChange::Off,
        Some(Some(q)) => QuietChange::Set { from: &q.from, to: &q.to, time_zone: q.time_zone.as_deref() },
    };
    let association = &auth.tenant.association;
    let choices =
        state.kindred.set_mail_settings(association, &auth.caller, requested, quiet).await.map_err(settings_error)?;
    let quiet = state.kindred.quiet_hours(association, &auth.caller).await.map_err(settings_error)?;
    Ok(Json(settings_body(&choices, quiet)))
}
