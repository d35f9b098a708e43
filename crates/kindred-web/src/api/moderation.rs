//! api::moderation — reports, the moderation queue, and what moderators
//! do to posts and topics (hide, restore, lock, pin, move, warn), each
//! with a reason. Who may see and do what is decided in
//! `service::moderation` through the forum's `topic_access`.

use crate::auth::Community;
use crate::errors::ApiError;
use crate::json::ApiJson;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use kindred_domain::Language;
use kindred_service::moderation::{Action, ModerationError, QueueEntry, ReportInput, TargetView};
use kindred_service::sessions::Caller;
use kindred_service::Association;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub(crate) fn moderation_error(error: ModerationError) -> ApiError {
    match error {
        ModerationError::NotFound => ApiError::not_found(),
        ModerationError::Forbidden => ApiError::new(StatusCode::FORBIDDEN, "forbidden", "You may not moderate this."),
        ModerationError::Invalid(problems) => ApiError::invalid(
            "invalid_fields",
            "Some fields are invalid.",
            problems.into_iter().map(|(f, p)| (f.to_owned(), p)).collect(),
        ),
        ModerationError::AuthorUnknown => ApiError::new(
            StatusCode::CONFLICT,
            "author_unknown",
            "This post was written anonymously; nobody knows whom to warn.",
        ),
        ModerationError::MoveNotAllowed => ApiError::new(
            StatusCode::CONFLICT,
            "move_not_allowed",
            "This move would show the topic's authors to members who could not see them: topics never move into or \
             out of an alias group, nor out of a secret group or a closed group whose member list is not public.",
        ),
        ModerationError::ReportClosed => {
            ApiError::new(StatusCode::CONFLICT, "report_closed", "This report is closed already.")
        }
        ModerationError::Throttled(t) => ApiError::throttled(t.retry_after),
        other => ApiError::internal(other),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportBody {
    /// `post`, `topic` or `message` (a message of a conversation the caller is in).
    target_type: String,
    target_id: String,
    /// Free text (at most 1000 characters), or a kind code when `kind` is absent.
    #[serde(default)]
    reason: Option<String>,
    /// abuse, spam, medical_advice (questionable medical advice: professionals
    /// look at it), crisis (someone may be in crisis: staff on duty at once),
    /// other.
    #[serde(default)]
    kind: Option<String>,
    /// More about it (at most 2000 characters).
    #[serde(default)]
    details: Option<String>,
    /// For `message`: further messages of the same conversation the
    /// reporter shares with the moderators (the reported one always is).
    #[serde(default)]
    messages: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CrisisContactEntry {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ReportFiled {
    report_id: String,
    kind: &'static str,
    /// For a crisis report: whom to call or visit now (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    crisis_contacts: Option<Vec<CrisisContactEntry>>,
}

/// The caller's own language if the association offers it.
fn language_of(association: &Association, caller: &Caller) -> Language {
    association.settings.offered_or_default(caller.member.language.as_deref().and_then(Language::parse))
}

/// Reports a post or a topic to the moderators. A crisis report reaches
/// the staff on duty at once and answers with the association's crisis contacts.
#[utoipa::path(
    post,
    path = "/reports",
    tag = "moderation",
    security(("bearer" = [])),
    request_body = ReportBody,
    responses(
        (status = 201, description = "Filed", body = ReportFiled),
        (status = 404, description = "No such post or topic (for you)", body = super::ErrorResponse),
        (status = 422, description = "Invalid fields", body = super::ErrorResponse),
        (status = 429, description = "Too many reports today", body = super::ErrorResponse),
    )
)]
pub async fn report(
    State(state): State<AppState>,
    Community(auth): Community,
    ApiJson(body): ApiJson<ReportBody>,
) -> Result<Response, ApiError> {
    let association = &auth.tenant.association;
    let input = ReportInput {
        target_type: &body.target_type,
        target_id: &body.target_id,
        reason: body.reason.as_deref(),
        kind: body.kind.as_deref(),
        details: body.details.as_deref(),
    };
    let filed = if body.target_type.trim() == "message" {
        state
            .kindred
            .report_messages(association, &auth.caller, body.target_id.trim(), &body.messages, input)
            .await
            .map_err(super::messaging::messaging_error)?
    } else {
        state.kindred.file_report(association, &auth.caller, input).await.map_err(moderation_error)?
    };
    let language = language_of(association, &auth.caller);
    let contacts = (!filed.crisis_contacts.is_empty()).then(|| {
        filed
            .crisis_contacts
            .iter()
            .map(|c| CrisisContactEntry {
                name: c.name.get(language).to_owned(),
                phone: c.phone.clone(),
                url: c.url.clone(),
            })
            .collect()
    });
    let answer =
        ReportFiled { report_id: filed.id.as_str().to_owned(), kind: filed.kind.as_str(), crisis_contacts: contacts };
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// open (default), resolved or dismissed.
    status: Option<String>,
    /// Only reports of this kind: crisis, medical_advice, abuse, spam or other (default: all).
    kind: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TargetEntry {
    /// post or topic.
    #[serde(rename = "type")]
    target_type: &'static str,
    id: String,
    topic_id: String,
    topic_title: String,
    /// Plain text, as you may see it.
    excerpt: String,
    /// The author as you may know them: the alias in an alias group;
    /// absent for anonymous content.
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<String>,
    hidden: bool,
    locked: bool,
    pinned: bool,
    /// You may act on it (professionals see medical-advice reports to answer, not to moderate).
    moderate: bool,
}

fn target_entry(view: TargetView) -> TargetEntry {
    TargetEntry {
        target_type: view.target_type.as_str(),
        id: view.id,
        topic_id: view.topic_id,
        topic_title: view.topic_title,
        excerpt: view.excerpt,
        author: view.author,
        hidden: view.hidden,
        locked: view.locked,
        pinned: view.pinned,
        moderate: view.moderate,
    }
}

#[derive(Serialize, ToSchema)]
pub struct QueueReport {
    report_id: String,
    kind: &'static str,
    reason: String,
    created_at: DateTime<Utc>,
    status: &'static str,
    target: TargetEntry,
}

#[derive(Serialize, ToSchema)]
pub struct QueueResponse {
    reports: Vec<QueueReport>,
}

fn queue_report(entry: QueueEntry) -> QueueReport {
    QueueReport {
        report_id: entry.id,
        kind: entry.kind.as_str(),
        reason: entry.reason,
        created_at: entry.created_at,
        status: entry.status.as_str(),
        target: target_entry(entry.target),
    }
}

/// The reports on content you moderate (and, for professionals, reports of
/// questionable medical advice you may read): crisis reports first, newest
/// first, then the rest oldest first.
#[utoipa::path(
    get,
    path = "/moderation/reports",
    tag = "moderation",
    security(("bearer" = [])),
    params(QueueQuery),
    responses(
        (status = 200, description = "The queue", body = QueueResponse),
        (status = 403, description = "You moderate nothing", body = super::ErrorResponse),
        (status = 422, description = "Unknown status or kind", body = super::ErrorResponse),
    )
)]
pub async fn queue(
    State(state): State<AppState>,
    Community(auth): Community,
    Query(query): Query<QueueQuery>,
) -> Result<Json<QueueResponse>, ApiError> {
    let entries = state
        .kindred
        .report_queue(&auth.tenant.association, &auth.caller, query.status.as_deref(), query.kind.as_deref())
        .await
        .map_err(moderation_error)?;
    Ok(Json(QueueResponse { reports: entries.into_iter().map(queue_report).collect() }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveBody {
    /// resolved or dismissed.
    resolution: String,
    /// At most 500 characters.
    #[serde(default)]
    note: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = ModerationStatusResponse)]
pub struct StatusResponse {
    status: &'static str,
}

/// Closes a report as resolved or dismissed.
#[utoipa::path(
    post,
    path = "/moderation/reports/{id}/resolve",
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The report")),
    request_body = ResolveBody,
    responses(
        (status = 200, description = "Closed", body = StatusResponse),
        (status = 403, description = "You may not moderate its content", body = super::ErrorResponse),
        (status = 404, description = "No such report (for you)", body = super::ErrorResponse),
        (status = 409, description = "Closed already", body = super::ErrorResponse),
        (status = 422, description = "Invalid fields", body = super::ErrorResponse),
    )
)]
pub async fn resolve(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<ResolveBody>,
) -> Result<Json<StatusResponse>, ApiError> {
    let association = &auth.tenant.association;
    state
        .kindred
        .close_report(association, &auth.caller, &id, &body.resolution, body.note.as_deref())
        .await
        .map_err(moderation_error)?;
    let status = if body.resolution.trim() == "dismissed" { "dismissed" } else { "resolved" };
    Ok(Json(StatusResponse { status }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// A post or topic.
    target_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = ModerationActionEntry)]
pub struct HistoryEntry {
    action_id: String,
    /// e.g. post.hidden, topic.locked, report.dismissed.
    action: String,
    target_type: String,
    target_id: String,
    reason: String,
    created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = ModerationHistoryResponse)]
pub struct HistoryResponse {
    actions: Vec<HistoryEntry>,
}

/// What moderators did to a post or topic, with their reasons, oldest first.
#[utoipa::path(
    get,
    path = "/moderation/actions",
    tag = "moderation",
    security(("bearer" = [])),
    params(HistoryQuery),
    responses(
        (status = 200, description = "The history", body = HistoryResponse),
        (status = 403, description = "You may not moderate it", body = super::ErrorResponse),
        (status = 404, description = "No such post or topic (for you)", body = super::ErrorResponse),
        (status = 422, description = "target_id missing", body = super::ErrorResponse),
    )
)]
pub async fn history(
    State(state): State<AppState>,
    Community(auth): Community,
    Query(query): Query<HistoryQuery>,
) -> Result<Json<HistoryResponse>, ApiError> {
    let target = query.target_id.unwrap_or_default();
    let actions = state
        .kindred
        .moderation_history(&auth.tenant.association, &auth.caller, &target)
        .await
        .map_err(moderation_error)?;
    let actions = actions
        .into_iter()
        .map(|a| HistoryEntry {
            action_id: a.id,
            action: a.action,
            target_type: a.target_type,
            target_id: a.target_id,
            reason: a.reason,
            created_at: a.created_at,
        })
        .collect();
    Ok(Json(HistoryResponse { actions }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    /// Why (1 to 500 characters); kept, and shown to the author of a hidden post.
    reason: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveBody {
    /// Why (1 to 500 characters).
    reason: String,
    /// The category to move to (or `group_id`).
    #[serde(default)]
    category_id: Option<String>,
    /// The group whose forum to move to (or `category_id`).
    #[serde(default)]
    group_id: Option<String>,
}

async fn act(
    state: &AppState,
    auth: &crate::auth::Authenticated,
    id: &str,
    action: Action,
    reason: &str,
    done: &'static str,
) -> Result<Json<StatusResponse>, ApiError> {
    state
        .kindred
        .moderate(&auth.tenant.association, &auth.caller, id, action, reason)
        .await
        .map_err(moderation_error)?;
    Ok(Json(StatusResponse { status: done }))
}

macro_rules! action_endpoint {
    ($name:ident, $path:literal, $action:expr, $done:literal, $summary:literal) => {
        #[doc = $summary]
        #[utoipa::path(
                    post,
                    path = $path,
                    tag = "moderation",
                    security(("bearer" = [])),
                    params(("id" = String, Path, description = "The post or topic")),
                    request_body = ReasonBody,
                    responses(
                        (status = 200, description = "Done", body = StatusResponse),
                        (status = 403, description = "You may not moderate it", body = super::ErrorResponse),
                        (status = 404, description = "No such post or topic (for you)", body = super::ErrorResponse),
                        (status = 422, description = "Reason missing or too long", body = super::ErrorResponse),
                    )
                )]
        pub async fn $name(
            State(state): State<AppState>,
            Community(auth): Community,
            Path((_slug, id)): Path<(String, String)>,
            ApiJson(body): ApiJson<ReasonBody>,
        ) -> Result<Json<StatusResponse>, ApiError> {
            act(&state, &auth, &id, $action, &body.reason, $done).await
        }
    };
}

action_endpoint!(
    hide_post,
    "/forum/posts/{id}/hide",
    Action::HidePost,
    "hidden",
    "Hides a post: others no longer see it; its author sees that and why."
);
action_endpoint!(
    restore_post,
    "/forum/posts/{id}/restore",
    Action::RestorePost,
    "restored",
    "Shows a hidden post again."
);
action_endpoint!(
    warn_post,
    "/forum/posts/{id}/warn",
    Action::WarnPost,
    "warned",
    "Warns the author of a post (409 `author_unknown` for an anonymous post)."
);
action_endpoint!(
    hide_topic,
    "/forum/topics/{id}/hide",
    Action::HideTopic,
    "hidden",
    "Hides a topic from everyone but its author and the moderators."
);
action_endpoint!(
    restore_topic,
    "/forum/topics/{id}/restore",
    Action::RestoreTopic,
    "restored",
    "Shows a hidden topic again."
);
action_endpoint!(lock_topic, "/forum/topics/{id}/lock", Action::LockTopic, "locked", "Locks a topic: no more replies.");
action_endpoint!(unlock_topic, "/forum/topics/{id}/unlock", Action::UnlockTopic, "unlocked", "Unlocks a topic.");
action_endpoint!(
    pin_topic,
    "/forum/topics/{id}/pin",
    Action::PinTopic,
    "pinned",
    "Pins a topic to the top of its forum."
);
action_endpoint!(unpin_topic, "/forum/topics/{id}/unpin", Action::UnpinTopic, "unpinned", "Unpins a topic.");

/// Moves a topic to another category or group forum that you moderate too.
#[utoipa::path(
    post,
    path = "/forum/topics/{id}/move",
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The topic")),
    request_body = MoveBody,
    responses(
        (status = 200, description = "Moved", body = StatusResponse),
        (status = 403, description = "You may not moderate it or the destination", body = super::ErrorResponse),
        (status = 404, description = "No such topic (for you)", body = super::ErrorResponse),
        (status = 409, description = "Not into or out of an alias group, nor out of a secret group", body = super::ErrorResponse),
        (status = 422, description = "Reason or destination missing or unknown", body = super::ErrorResponse),
    )
)]
pub async fn move_topic(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<MoveBody>,
) -> Result<Json<StatusResponse>, ApiError> {
    let action = Action::MoveTopic { category_id: body.category_id, group_id: body.group_id };
    act(&state, &auth, &id, action, &body.reason, "moved").await
}
