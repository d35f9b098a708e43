//! api::messaging — conversations and messages. Every handler goes
//! through `service::messaging` (and so through `conversation_access`): a
//! conversation the caller is not in answers exactly like an unknown id,
//! for staff and admins too.

use crate::auth::Community;
use crate::errors::ApiError;
use crate::json::ApiJson;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use kindred_service::messaging::{ConversationSummary, MessageView, MessagingError, ShownMember, SystemEvent};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

pub(crate) fn messaging_error(error: MessagingError) -> ApiError {
    match error {
        MessagingError::NotFound => ApiError::not_found(),
        MessagingError::NotAllowed => ApiError::new(
            StatusCode::FORBIDDEN,
            "messaging_not_allowed",
            "The association's rules do not let you write to this member here.",
        ),
        MessagingError::Forbidden => ApiError::for_status(StatusCode::FORBIDDEN),
        MessagingError::RequestPending => ApiError::new(
            StatusCode::CONFLICT,
            "request_pending",
            "This conversation is a request that has not been accepted; no further messages until it is.",
        ),
        MessagingError::NoRequest => {
            ApiError::new(StatusCode::CONFLICT, "no_request", "There is no request for you to answer here.")
        }
        MessagingError::GroupChat => {
            ApiError::new(StatusCode::CONFLICT, "group_chat", "A group's chat is left by leaving the group.")
        }
        MessagingError::Invalid(problems) => ApiError::invalid(
            "invalid_fields",
            "Some fields are invalid.",
            problems.into_iter().map(|(f, p)| (f.to_owned(), p)).collect(),
        ),
        MessagingError::TooLarge => {
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "An attachment may be at most 8 MB.")
        }
        MessagingError::UnsupportedType => ApiError::invalid(
            "unsupported_attachment",
            "Only JPEG, PNG or WebP images and PDF files can be attached.",
            BTreeMap::from([(
                "content_type".to_owned(),
                "must be image/jpeg, image/png, image/webp or application/pdf".to_owned(),
            )]),
        ),
        other => ApiError::internal(other),
    }
}

#[derive(Serialize, ToSchema)]
pub struct ConversationMember {
    member_id: String,
    /// Absent where the caller may not see this member (e.g. a block).
    #[serde(skip_serializing_if = "Option::is_none")]
    pseudonym: Option<String>,
}

fn member(m: ShownMember) -> ConversationMember {
    ConversationMember { member_id: m.member_id, pseudonym: m.pseudonym }
}

#[derive(Serialize, ToSchema)]
pub struct ConversationEntry {
    conversation_id: String,
    /// Everyone in the conversation, the caller included; empty for a group's chat.
    members: Vec<ConversationMember>,
    /// active or request.
    status: &'static str,
    unread_count: i64,
    last_message_at: DateTime<Utc>,
    /// The group whose chat this is.
    #[serde(skip_serializing_if = "Option::is_none")]
    group_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group_name: Option<String>,
}

fn entry(c: ConversationSummary) -> ConversationEntry {
    ConversationEntry {
        conversation_id: c.id,
        members: c.members.into_iter().map(member).collect(),
        status: c.status.as_str(),
        unread_count: c.unread_count,
        last_message_at: c.last_message_at,
        group_id: c.group_id,
        group_name: c.group_name,
    }
}

#[derive(Serialize, ToSchema)]
pub struct ConversationList {
    conversations: Vec<ConversationEntry>,
    next_cursor: Option<String>,
    /// Unread messages in all conversations (the navigation's badge).
    unread_total: i64,
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ListParams {
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// The caller's conversations, most recent first, 30 a page.
#[utoipa::path(
    get,
    path = "/conversations",
    tag = "messages",
    security(("bearer" = [])),
    params(ListParams),
    responses(
        (status = 200, description = "A page of conversations", body = ConversationList),
        (status = 422, description = "The cursor is invalid", body = super::ErrorResponse),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Community(auth): Community,
    Query(params): Query<ListParams>,
) -> Result<Json<ConversationList>, ApiError> {
    let (association, caller) = (&auth.tenant.association, &auth.caller);
    let page =
        state.kindred.conversations(association, caller, params.cursor.as_deref()).await.map_err(messaging_error)?;
    let unread_total = state.kindred.unread_messages(association, caller).await.map_err(messaging_error)?;
    Ok(Json(ConversationList {
        conversations: page.conversations.into_iter().map(entry).collect(),
        next_cursor: page.next_cursor,
        unread_total,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewConversationBody {
    /// The other members (ids); 1 to 49. The caller is added.
    members: Vec<String>,
    /// The first message (Markdown, at most 10,000 characters).
    message: String,
}

#[derive(Serialize, ToSchema)]
pub struct ConversationStarted {
    conversation_id: String,
    /// active, or request (waits for the recipient to accept).
    status: &'static str,
}

/// Starts a conversation with its first message. Where the association's
/// policy lets the caller write to a member only by request, the first
/// message lands with them as a request.
#[utoipa::path(
    post,
    path = "/conversations",
    tag = "messages",
    security(("bearer" = [])),
    request_body = NewConversationBody,
    responses(
        (status = 201, description = "Started (or the message added to the one-to-one conversation the two have)", body = ConversationStarted),
        (status = 403, description = "messaging_not_allowed: the association's rules forbid it", body = super::ErrorResponse),
        (status = 404, description = "A member the caller may not see, or no such member", body = super::ErrorResponse),
        (status = 409, description = "request_pending: a request to this member waits for an answer", body = super::ErrorResponse),
        (status = 422, description = "Invalid members or message", body = super::ErrorResponse),
    )
)]
pub async fn start(
    State(state): State<AppState>,
    Community(auth): Community,
    ApiJson(body): ApiJson<NewConversationBody>,
) -> Result<Response, ApiError> {
    let started = state
        .kindred
        .start_conversation(&auth.tenant.association, &auth.caller, &body.members, &body.message)
        .await
        .map_err(messaging_error)?;
    let answer = ConversationStarted { conversation_id: started.conversation_id, status: started.status.as_str() };
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct ConversationAttachment {
    attachment_id: String,
    content_type: String,
    size: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ConversationMessage {
    message_id: String,
    /// Absent in an alias group's chat (see `sender_alias`).
    #[serde(skip_serializing_if = "Option::is_none")]
    sender_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sender_alias: Option<String>,
    /// The caller wrote it.
    own: bool,
    /// text, system (`system` says what happened) or deleted (a tombstone).
    kind: &'static str,
    /// The text as written (Markdown); absent when deleted or a system message.
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<String>,
    /// The text as safe HTML.
    #[serde(skip_serializing_if = "Option::is_none")]
    body_html: Option<String>,
    /// For a system message: `{disappearing_seconds}` (null: turned off).
    #[serde(skip_serializing_if = "Option::is_none")]
    system: Option<SystemMessage>,
    sent_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    edited_at: Option<DateTime<Utc>>,
    attachments: Vec<ConversationAttachment>,
}

#[derive(Serialize, ToSchema)]
pub struct SystemMessage {
    disappearing_seconds: Option<i64>,
}

pub(crate) fn message(m: MessageView) -> ConversationMessage {
    ConversationMessage {
        message_id: m.id,
        sender_id: m.sender_id,
        sender_alias: m.sender_alias,
        own: m.own,
        kind: m.kind,
        body: m.body,
        body_html: m.body_html,
        system: m.system.map(|SystemEvent::Disappearing(s)| SystemMessage { disappearing_seconds: s }),
        sent_at: m.sent_at,
        edited_at: m.edited_at,
        attachments: m
            .attachments
            .into_iter()
            .map(|a| ConversationAttachment { attachment_id: a.id, content_type: a.content_type, size: a.size })
            .collect(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct ConversationMessages {
    /// Newest first.
    messages: Vec<ConversationMessage>,
    /// Pass as `before` for older messages; `null` on the oldest page (a
    /// paging position, like every list's `next_cursor`, not a hidden field).
    next_before: Option<String>,
    status: &'static str,
    members: Vec<ConversationMember>,
    /// Seconds after which new messages disappear; absent when off.
    #[serde(skip_serializing_if = "Option::is_none")]
    disappearing_seconds: Option<i64>,
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct BeforeParams {
    /// A message id: messages older than it (`next_before` of the previous page).
    before: Option<String>,
}

/// Messages of a conversation, newest first, 50 a page.
#[utoipa::path(
    get,
    path = "/conversations/{id}/messages",
    tag = "messages",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The conversation"), BeforeParams),
    responses(
        (status = 200, description = "A page of messages", body = ConversationMessages),
        (status = 404, description = "Not a conversation of the caller's", body = super::ErrorResponse),
        (status = 422, description = "`before` is not a message of this conversation", body = super::ErrorResponse),
    )
)]
pub async fn messages(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
    Query(params): Query<BeforeParams>,
) -> Result<Json<ConversationMessages>, ApiError> {
    let page = state
        .kindred
        .conversation_messages(&auth.tenant.association, &auth.caller, &id, params.before.as_deref())
        .await
        .map_err(messaging_error)?;
    Ok(Json(ConversationMessages {
        status: page.conversation.status.as_str(),
        disappearing_seconds: page.conversation.record.disappear_seconds,
        messages: page.messages.into_iter().map(message).collect(),
        next_before: page.next_before,
        members: page.members.into_iter().map(member).collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMessageBody {
    /// Markdown, at most 10,000 characters.
    body: String,
    /// Ids of files the caller uploaded to this conversation (at most 10).
    #[serde(default)]
    attachments: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MessageSent {
    message_id: String,
}

/// Sends a message.
#[utoipa::path(
    post,
    path = "/conversations/{id}/messages",
    tag = "messages",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The conversation")),
    request_body = NewMessageBody,
    responses(
        (status = 201, description = "Sent", body = MessageSent),
        (status = 403, description = "messaging_not_allowed: writing here has ended", body = super::ErrorResponse),
        (status = 404, description = "Not a conversation of the caller's", body = super::ErrorResponse),
        (status = 409, description = "request_pending: the request has not been accepted", body = super::ErrorResponse),
        (status = 422, description = "Empty or too long, or an unknown attachment", body = super::ErrorResponse),
    )
)]
pub async fn send(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<NewMessageBody>,
) -> Result<Response, ApiError> {
    let sent = state
        .kindred
        .send_message(&auth.tenant.association, &auth.caller, &id, &body.body, &body.attachments)
        .await
        .map_err(messaging_error)?;
    Ok((StatusCode::CREATED, Json(MessageSent { message_id: sent.to_string() })).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditMessageBody {
    body: String,
}

/// Edits one of the caller's messages.
#[utoipa::path(
    patch,
    path = "/conversations/{id}/messages/{message_id}",
    tag = "messages",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The conversation"), ("message_id" = String, Path, description = "The message")),
    request_body = EditMessageBody,
    responses(
        (status = 200, description = "Edited", body = ConversationMessage),
        (status = 403, description = "Not the caller's message", body = super::ErrorResponse),
        (status = 404, description = "No such message (for the caller)", body = super::ErrorResponse),
        (status = 422, description = "Empty or too long", body = super::ErrorResponse),
    )
)]
pub async fn edit(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id, message_id)): Path<(String, String, String)>,
    ApiJson(body): ApiJson<EditMessageBody>,
) -> Result<Json<ConversationMessage>, ApiError> {
    let edited = state
        .kindred
        .edit_message(&auth.tenant.association, &auth.caller, &id, &message_id, &body.body)
        .await
        .map_err(messaging_error)?;
    Ok(Json(message(edited)))
}

/// Deletes one of the caller's messages for everyone (a tombstone stays).
#[utoipa::path(
    delete,
    path = "/conversations/{id}/messages/{message_id}",
    tag = "messages",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The conversation"), ("message_id" = String, Path, description = "The message")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not the caller's message", body = super::ErrorResponse),
        (status = 404, description = "No such message (for the caller)", body = super::ErrorResponse),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id, message_id)): Path<(String, String, String)>,
) -> Result<StatusCode, ApiError> {
    state
        .kindred
        .delete_message(&auth.tenant.association, &auth.caller, &id, &message_id)
        .await
        .map_err(messaging_error)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Accepts a request (its recipient only).
#[utoipa::path(
    post,
    path = "/conversations/{id}/accept",
    tag = "messages",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The conversation")),
    responses(
        (status = 204, description = "Accepted: the conversation is active"),
        (status = 404, description = "Not a conversation of the caller's", body = super::ErrorResponse),
        (status = 409, description = "no_request: nothing to accept", body = super::ErrorResponse),
    )
)]
pub async fn accept(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    state.kindred.accept_conversation(&auth.tenant.association, &auth.caller, &id).await.map_err(messaging_error)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Declines a request (its recipient only). The sender is not told.
#[utoipa::path(
    post,
    path = "/conversations/{id}/decline",
    tag = "messages",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The conversation")),
    responses(
        (status = 204, description = "Declined: the conversation is gone for the caller"),
        (status = 404, description = "Not a conversation of the caller's", body = super::ErrorResponse),
        (status = 409, description = "no_request: nothing to decline", body = super::ErrorResponse),
    )
)]
pub async fn decline(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    state.kindred.decline_conversation(&auth.tenant.association, &auth.caller, &id).await.map_err(messaging_error)?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadBody {
    /// Read up to and including this message.
    message_id: String,
}

/// Marks the conversation read up to a message.
#[utoipa::path(
    post,
    path = "/conversations/{id}/read",
    tag = "messages",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The conversation")),
    request_body = ReadBody,
    responses(
        (status = 204, description = "Read"),
        (status = 404, description = "Not a conversation of the caller's", body = super::ErrorResponse),
        (status = 422, description = "Not a message of this conversation", body = super::ErrorResponse),
    )
)]
pub async fn read(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<ReadBody>,
) -> Result<StatusCode, ApiError> {
    state
        .kindred
        .mark_conversation_read(&auth.tenant.association, &auth.caller, &id, &body.message_id)
        .await
        .map_err(messaging_error)?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisappearingBody {
    /// 300 (5 minutes) to 2419200 (4 weeks); null turns it off. Required:
    /// a body without it is a mistake, not a wish to turn it off.
    #[serde(deserialize_with = "present")]
    #[schema(required = true)]
    seconds: Option<i64>,
}

/// A nullable field that must be there: `null` is a value, absence is not
/// (serde would read both as `None`).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Option::<i64>::deserialize(d)
}

#[derive(Serialize, ToSchema)]
pub struct DisappearingSet {
    seconds: Option<i64>,
}

/// Sets how long after sending later messages disappear (for everyone);
/// announced in the conversation.
#[utoipa::path(
    put,
    path = "/conversations/{id}/disappearing",
    tag = "messages",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The conversation")),
    request_body = DisappearingBody,
    responses(
        (status = 200, description = "Set", body = DisappearingSet),
        (status = 404, description = "Not a conversation of the caller's", body = super::ErrorResponse),
        (status = 409, description = "request_pending", body = super::ErrorResponse),
        (status = 422, description = "Out of range", body = super::ErrorResponse),
    )
)]
pub async fn disappearing(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<DisappearingBody>,
) -> Result<Json<DisappearingSet>, ApiError> {
    let seconds = state
        .kindred
        .set_disappearing(&auth.tenant.association, &auth.caller, &id, body.seconds)
        .await
        .map_err(messaging_error)?;
    Ok(Json(DisappearingSet { seconds }))
}

/// Leaves the conversation: nothing new reaches the caller, and the
/// conversation is gone for them (404).
#[utoipa::path(
    post,
    path = "/conversations/{id}/leave",
    tag = "messages",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The conversation")),
    responses(
        (status = 204, description = "Left"),
        (status = 404, description = "Not a conversation of the caller's", body = super::ErrorResponse),
        (status = 409, description = "group_chat: leave the group instead", body = super::ErrorResponse),
    )
)]
pub async fn leave(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    state.kindred.leave_conversation(&auth.tenant.association, &auth.caller, &id).await.map_err(messaging_error)?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct AttachmentUploaded {
    attachment_id: String,
}

/// Uploads a file (the request body; `Content-Type` image/jpeg, image/png,
/// image/webp or application/pdf; at most 8 MB) for a later message of
/// the caller. Images are shrunk and encoded anew without metadata.
#[utoipa::path(
    post,
    path = "/conversations/{id}/attachments",
    tag = "messages",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The conversation")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses(
        (status = 201, description = "Stored", body = AttachmentUploaded),
        (status = 404, description = "Not a conversation of the caller's", body = super::ErrorResponse),
        (status = 409, description = "The conversation is still a request (`request_pending`)", body = super::ErrorResponse),
        (status = 413, description = "Larger than 8 MB", body = super::ErrorResponse),
        (status = 422, description = "Another type, or not what it says it is", body = super::ErrorResponse),
    )
)]
pub async fn upload(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let stored = state
        .kindred
        .upload_attachment(&auth.tenant.association, &auth.caller, &id, content_type, body.to_vec())
        .await
        .map_err(messaging_error)?;
    Ok((StatusCode::CREATED, Json(AttachmentUploaded { attachment_id: stored.to_string() })).into_response())
}

/// A file of a conversation, as a download that never renders in the
/// site's origin (`Content-Disposition: attachment`, `CSP: sandbox`).
pub(crate) fn download(bytes: Vec<u8>, content_type: &str) -> Response {
    let name = if content_type == "application/pdf" { "attachment.pdf" } else { "attachment.jpg" };
    let content_type = if content_type == "application/pdf" { "application/pdf" } else { "image/jpeg" };
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CONTENT_SECURITY_POLICY, "sandbox".to_owned()),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

/// A file attached to a message of the conversation (or uploaded by the caller).
#[utoipa::path(
    get,
    path = "/conversations/{id}/attachments/{attachment_id}",
    tag = "messages",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The conversation"), ("attachment_id" = String, Path, description = "The file")),
    responses(
        (status = 200, description = "The file, as a download"),
        (status = 404, description = "No such file (for the caller)", body = super::ErrorResponse),
    )
)]
pub async fn attachment(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id, attachment_id)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    let (bytes, content_type) = state
        .kindred
        .attachment(&auth.tenant.association, &auth.caller, &id, &attachment_id)
        .await
        .map_err(messaging_error)?;
    Ok(download(bytes, &content_type))
}

#[derive(Serialize, ToSchema)]
pub struct GroupConversation {
    conversation_id: String,
}

/// The group's own chat, for its members (made on first use).
#[utoipa::path(
    get,
    path = "/groups/{id}/conversation",
    tag = "messages",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The group")),
    responses(
        (status = 200, description = "The chat", body = GroupConversation),
        (status = 403, description = "The caller sees the group but is not a member", body = super::ErrorResponse),
        (status = 404, description = "No such group (for the caller)", body = super::ErrorResponse),
    )
)]
pub async fn group_conversation(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
) -> Result<Json<GroupConversation>, ApiError> {
    let conversation_id =
        state.kindred.group_conversation(&auth.tenant.association, &auth.caller, &id).await.map_err(messaging_error)?;
    Ok(Json(GroupConversation { conversation_id }))
}

#[derive(Serialize, ToSchema)]
pub struct ReportedConversationMessage {
    message_id: String,
    /// Absent for a message written under an alias (`sender_alias` instead).
    #[serde(skip_serializing_if = "Option::is_none")]
    sender_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sender_pseudonym: Option<String>,
    /// The alias a message in an alias group's chat was written under.
    #[serde(skip_serializing_if = "Option::is_none")]
    sender_alias: Option<String>,
    sent_at: DateTime<Utc>,
    body: String,
}

#[derive(Serialize, ToSchema)]
pub struct MessageReportEntry {
    report_id: String,
    kind: String,
    reason: String,
    created_at: DateTime<Utc>,
    /// Only the messages the reporter chose to share.
    messages: Vec<ReportedConversationMessage>,
}

#[derive(Serialize, ToSchema)]
pub struct MessageReports {
    reports: Vec<MessageReportEntry>,
}

/// Open reports of messages, with only what each reporter shared
/// (association moderators and admins; the view is audited).
#[utoipa::path(
    get,
    path = "/admin/message-reports",
    tag = "moderation",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Open reports of messages", body = MessageReports),
        (status = 403, description = "Not a moderator or admin", body = super::ErrorResponse),
    )
)]
pub async fn message_reports(
    State(state): State<AppState>,
    Community(auth): Community,
) -> Result<Json<MessageReports>, ApiError> {
    let reports =
        state.kindred.message_reports(&auth.tenant.association, &auth.caller).await.map_err(messaging_error)?;
    Ok(Json(MessageReports { reports: reports.into_iter().map(report_entry).collect() }))
}

/// One report of messages with what its reporter shared (association
/// moderators and admins); the audit log records that the caller opened
/// it (`message_report.opened`), never the text.
#[utoipa::path(
    get,
    path = "/admin/message-reports/{id}",
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The report")),
    responses(
        (status = 200, description = "The report", body = MessageReportEntry),
        (status = 403, description = "Not a moderator or admin", body = super::ErrorResponse),
        (status = 404, description = "No such report", body = super::ErrorResponse),
    )
)]
pub async fn message_report(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
) -> Result<Json<MessageReportEntry>, ApiError> {
    let r = state
        .kindred
        .open_message_report(&auth.tenant.association, &auth.caller, &id)
        .await
        .map_err(messaging_error)?;
    Ok(Json(report_entry(r)))
}

/// A report as the API shows it (the list and the single report alike).
fn report_entry(r: kindred_service::messaging::MessageReport) -> MessageReportEntry {
    MessageReportEntry {
        report_id: r.id,
        kind: r.kind,
        reason: r.reason,
        created_at: r.created_at,
        messages: r
            .messages
            .into_iter()
            .map(|m| ReportedConversationMessage {
                message_id: m.message_id,
                sender_id: m.sender_id,
                sender_pseudonym: m.sender_pseudonym,
                sender_alias: m.sender_alias,
                sent_at: m.sent_at,
                body: m.body,
            })
            .collect(),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseMessageReport {
    /// resolved or dismissed.
    resolution: String,
    /// For the audit log, at most 500 characters.
    #[serde(default)]
    note: Option<String>,
}

/// Closes an open report of messages as resolved or dismissed (association
/// moderators and admins); the audit log records it with the note.
#[utoipa::path(
    post,
    path = "/admin/message-reports/{id}/close",
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The report")),
    request_body = CloseMessageReport,
    responses(
        (status = 204, description = "Closed"),
        (status = 403, description = "Not a moderator or admin", body = super::ErrorResponse),
        (status = 404, description = "No such report", body = super::ErrorResponse),
        (status = 422, description = "A bad resolution or note, or the report is closed already", body = super::ErrorResponse),
    )
)]
pub async fn close_message_report(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<CloseMessageReport>,
) -> Result<StatusCode, ApiError> {
    state
        .kindred
        .close_message_report(&auth.tenant.association, &auth.caller, &id, &body.resolution, body.note.as_deref())
        .await
        .map_err(messaging_error)?;
    Ok(StatusCode::NO_CONTENT)
}
