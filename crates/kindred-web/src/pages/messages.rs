//! The messaging pages: the conversation list with unread counts, a
//! conversation (newest at the bottom, paging back) with its composer,
//! answering a request (accept, decline, block), its settings
//! (disappearing time, leave), and starting a conversation from a
//! member's page. Every decision is `service::messaging`'s, as for the API.

use super::association::AssociationPage;
use super::community::{member, member_post};
use super::confirm::{ask, ask_on_get, confirmed, Confirm};
use super::forms::{multipart_parts, Problems};
use super::layout::{render_status, Section};
use super::respond::{internal, link, see_other};
use super::text::{tr, when, When};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use chrono::{DateTime, Utc};
use kindred_domain::MemberId;
use kindred_service::messaging::{MessagePage, MessagingError, SystemEvent};
use serde::{Deserialize, Serialize};

/// Disappearing times offered on the settings form, in seconds.
const TIMES: [(i64, &str); 5] = [
    (300, "messages-time-5m"),
    (3600, "messages-time-1h"),
    (86_400, "messages-time-1d"),
    (604_800, "messages-time-1w"),
    (2_419_200, "messages-time-4w"),
];

#[derive(Serialize)]
struct ListEntry {
    href: String,
    title: String,
    request: bool,
    unread: i64,
    when: When,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    cursor: Option<String>,
}

/// Names of the other members, or the group's name, for a title.
fn title_of(page: &AssociationPage, names: Vec<Option<String>>, group: Option<String>) -> String {
    if let Some(group) = group {
        return group;
    }
    let shown: Vec<String> = names.into_iter().map(|n| n.unwrap_or_else(|| tr(page, "messages-someone"))).collect();
    if shown.is_empty() {
        tr(page, "messages-only-you")
    } else {
        shown.join(", ")
    }
}

pub async fn list(State(state): State<AppState>, page: AssociationPage, Query(query): Query<ListQuery>) -> Response {
    let caller = match member(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let cursor = query.cursor.as_deref().filter(|c| !c.is_empty());
    let list = match state.kindred.conversations(&page.tenant.association, caller, cursor).await {
        Ok(list) => list,
        Err(MessagingError::Invalid(_)) => return see_other(&link(&page, "/messages", &[])),
        Err(other) => return internal(other),
    };
    let me = caller.member.id.as_str();
    let entries: Vec<ListEntry> = list
        .conversations
        .into_iter()
        .map(|c| {
            let names = c.members.into_iter().filter(|m| m.member_id != me).map(|m| m.pseudonym).collect();
            ListEntry {
                href: link(&page, &format!("/messages/{}", c.id), &[]),
                title: title_of(&page, names, c.group_name),
                request: c.status == kindred_service::messaging::ConversationStatus::Request,
                unread: c.unread_count,
                when: when(&page, c.last_message_at),
            }
        })
        .collect();
    let values = minijinja::context! {
        conversations => entries,
        next_href => list.next_cursor.map(|c| link(&page, "/messages", &[("cursor", &c)])),
        first_href => cursor.map(|_| link(&page, "/messages", &[])),
    };
    render_status(&state, StatusCode::OK, "messages/list.html", page.layout("/messages", Section::Messages), values)
}

#[derive(Serialize)]
struct MessageEntry {
    id: String,
    /// A call among the messages, in words; the rest of the entry empty.
    call_line: Option<String>,
    sender: String,
    own: bool,
    html: Option<String>,
    note: Option<String>,
    when: When,
    edited: bool,
    attachments: Vec<AttachmentEntry>,
}

#[derive(Serialize)]
struct AttachmentEntry {
    href: String,
    label: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ConversationQuery {
    before: Option<String>,
}

fn time_label(page: &AssociationPage, seconds: i64) -> String {
    TIMES.iter().find(|(s, _)| *s == seconds).map(|(_, key)| tr(page, key)).unwrap_or_else(|| format!("{seconds} s"))
}

/// The conversation page's values.
fn conversation_values(
    page: &AssociationPage,
    me: &str,
    seen: MessagePage,
    calls: Vec<(DateTime<Utc>, String, String)>,
    older: bool,
    problems: Problems,
    draft: &str,
) -> minijinja::Value {
    let conversation = &seen.conversation;
    let id = conversation.id.to_string();
    let name_of = |sender: &Option<String>, alias: &Option<String>| -> String {
        if let Some(alias) = alias {
            return alias.clone();
        }
        match sender {
            Some(s) if s == me => tr(page, "messages-you"),
            Some(s) => seen
                .members
                .iter()
                .find(|m| &m.member_id == s)
                .and_then(|m| m.pseudonym.clone())
                .unwrap_or_else(|| tr(page, "messages-someone")),
            None => tr(page, "messages-someone"),
        }
    };
    let mut messages: Vec<(DateTime<Utc>, MessageEntry)> = seen
        .messages
        .iter()
        .map(|m| {
            (
                m.sent_at,
                MessageEntry {
                    id: m.id.clone(),
                    call_line: None,
                    sender: name_of(&m.sender_id, &m.sender_alias),
                    own: m.own,
                    html: m.body_html.clone(),
                    note: match (m.kind, m.system) {
                        ("deleted", _) => Some(tr(page, "messages-deleted")),
                        (_, Some(SystemEvent::Disappearing(Some(s)))) => {
                            Some(format!("{} {}", tr(page, "messages-disappearing-set"), time_label(page, s)))
                        }
                        (_, Some(SystemEvent::Disappearing(None))) => Some(tr(page, "messages-disappearing-off")),
                        ("text", None) if m.body_html.is_none() => Some(tr(page, "messages-unreadable")),
                        _ => None,
                    },
                    when: when(page, m.sent_at),
                    edited: m.edited_at.is_some() && m.kind == "text",
                    attachments: m
                        .attachments
                        .iter()
                        .map(|a| AttachmentEntry {
                            href: format!("{}/api/v1/conversations/{id}/attachments/{}", page.tenant.base, a.id),
                            label: if a.content_type == "application/pdf" {
                                tr(page, "messages-attachment-pdf")
                            } else {
                                tr(page, "messages-attachment-image")
                            },
                        })
                        .collect(),
                },
            )
        })
        .collect();
    messages.extend(calls.into_iter().map(|(started, id, words)| {
        let entry = MessageEntry {
            id: format!("call-{id}"),
            call_line: Some(words),
            sender: String::new(),
            own: false,
            html: None,
            note: None,
            when: when(page, started),
            edited: false,
            attachments: Vec::new(),
        };
        (started, entry)
    }));
    // Oldest first, newest at the bottom, as people read a conversation.
    messages.sort_by_key(|(at, _)| *at);
    let messages: Vec<MessageEntry> = messages.into_iter().map(|(_, entry)| entry).collect();
    let names = seen.members.iter().filter(|m| m.member_id != me).map(|m| m.pseudonym.clone()).collect();
    let title = title_of(page, names, conversation.group_name.clone());
    let sender = seen
        .members
        .iter()
        .find(|m| m.member_id == conversation.record.created_by && m.member_id != me)
        .map(|m| m.member_id.clone());
    let times: Vec<minijinja::Value> = TIMES
        .iter()
        .map(|(s, key)| {
            minijinja::context! {
                value => s.to_string(), label => tr(page, key),
                selected => conversation.record.disappear_seconds == Some(*s),
            }
        })
        .collect();
    // For the live script: whose name a new message shows.
    let member_names: Vec<minijinja::Value> = seen
        .members
        .iter()
        .filter(|m| m.member_id != me)
        .filter_map(|m| m.pseudonym.clone().map(|name| minijinja::context! { id => m.member_id.clone(), name => name }))
        .collect();
    minijinja::context! {
        id => id,
        title => title,
        member_names => member_names,
        messages => messages,
        older_href => seen.next_before.as_ref().map(|b| link(page, &format!("/messages/{id}"), &[("before", b)])),
        newest_href => older.then(|| link(page, &format!("/messages/{id}"), &[])),
        request_for_me => conversation.request_for_me,
        waiting => conversation.status == kindred_service::messaging::ConversationStatus::Request && !conversation.request_for_me,
        group_chat => conversation.group_id.is_some(),
        block_id => sender,
        disappearing => conversation.record.disappear_seconds.map(|s| time_label(page, s)),
        times => times,
        problems => problems,
        draft => draft,
        csrf => page.session.csrf(),
    }
}

async fn show(
    state: &AppState,
    page: &AssociationPage,
    id: &str,
    before: Option<&str>,
    status: StatusCode,
    problems: Problems,
    draft: &str,
) -> Response {
    let caller = match member(state, page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let association = &page.tenant.association;
    let seen = match state.kindred.conversation_messages(association, caller, id, before).await {
        Ok(seen) => seen,
        Err(MessagingError::NotFound) => return StatusCode::NOT_FOUND.into_response(),
        Err(MessagingError::Invalid(_)) => return see_other(&link(page, &format!("/messages/{id}"), &[])),
        Err(other) => return internal(other),
    };
    if before.is_none() {
        if let Err(error) = state.kindred.mark_conversation_seen(association, caller, &seen.conversation).await {
            return internal(error);
        }
    }
    let call = match super::calls::offer(state, page, caller, id).await {
        Ok(call) => call,
        Err(error) => return internal(error),
    };
    // The calls between the messages shown: from the oldest on the page
    // (from the start when there are no older pages) to the newest (to
    // now on the newest page).
    let from = seen.next_before.as_ref().and_then(|_| seen.messages.last()).map(|m| m.sent_at);
    let to = before.and_then(|_| seen.messages.first()).map(|m| m.sent_at);
    let calls = match super::calls::lines(state, page, caller, &seen.conversation, from, to).await {
        Ok(calls) => calls,
        Err(error) => return internal(error),
    };
    let values = conversation_values(page, caller.member.id.as_str(), seen, calls, before.is_some(), problems, draft);
    let values = minijinja::context! { call => call, ..values };
    render_status(
        state,
        status,
        "messages/conversation.html",
        page.layout(&format!("/messages/{id}"), Section::Messages),
        values,
    )
}

pub async fn conversation(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Query(query): Query<ConversationQuery>,
) -> Response {
    let before = query.before.as_deref().filter(|b| !b.is_empty());
    show(&state, &page, &id, before, StatusCode::OK, Problems::default(), "").await
}

/// What is wrong with a message's text, in the page's words.
fn body_problem(page: &AssociationPage, found: &[(&'static str, String)]) -> String {
    found
        .iter()
        .find_map(|(_, problem)| super::text::character_problem(page, problem))
        .unwrap_or_else(|| tr(page, "messages-problem-body"))
}

/// A refusal as a problem on the composer's field.
fn problem_text(page: &AssociationPage, error: &MessagingError) -> Option<String> {
    Some(match error {
        MessagingError::Invalid(found) => body_problem(page, found),
        MessagingError::RequestPending => tr(page, "messages-problem-request"),
        MessagingError::NotAllowed | MessagingError::Forbidden => tr(page, "messages-problem-not-allowed"),
        _ => return None,
    })
}

/// A refused file as a problem on the file field.
fn file_problem(page: &AssociationPage, error: &MessagingError) -> Option<String> {
    Some(match error {
        MessagingError::TooLarge => tr(page, "messages-problem-file-size"),
        MessagingError::UnsupportedType => tr(page, "messages-problem-file-type"),
        MessagingError::Invalid(_) => tr(page, "messages-problem-file-damaged"),
        _ => return problem_text(page, error),
    })
}

/// What the composer sent: its text and, optionally, one file with the
/// type the browser gave it.
struct Composed {
    csrf: String,
    body: String,
    file: Option<(String, Vec<u8>)>,
}

/// The composer posts `multipart/form-data` (it has a file field); a
/// plain form post (no file) is read too. `None`: neither parses.
fn composed(headers: &HeaderMap, bytes: &[u8]) -> Option<Composed> {
    if let Some(parts) = multipart_parts(headers, bytes) {
        let text = |name: &str| {
            parts
                .iter()
                .find(|p| p.name == name)
                .map(|p| String::from_utf8_lossy(&p.data).into_owned())
                .unwrap_or_default()
        };
        // A form without a chosen file still sends the part, empty.
        let file = parts
            .iter()
            .find(|p| p.name == "file" && !p.data.is_empty())
            .map(|p| (p.content_type.clone().unwrap_or_default(), p.data.clone()));
        return Some(Composed { csrf: text("csrf"), body: text("body"), file });
    }
    let pairs: Vec<(String, String)> = form_urlencoded::parse(bytes).into_owned().collect();
    let text = |name: &str| pairs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    Some(Composed { csrf: text("csrf"), body: text("body"), file: None })
}

/// Sends the composer's message. With a file, the file goes first through
/// `upload_attachment`, the function behind `POST /conversations/{id}/attachments`
/// (type, size, decoding and re-encoding), and the message then carries
/// it, as through the API. The text is checked before the file is stored,
/// so a refused text stores nothing; a file stored for a message that
/// then cannot be sent is never shown and housekeeping deletes it.
pub async fn send(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    let Some(form) = composed(&headers, &bytes) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let association = &page.tenant.association;
    let mut attachments = Vec::new();
    if let Some((content_type, data)) = form.file {
        if kindred_domain::messaging::MessageBody::parse(&form.body).is_err() {
            let problems = Problems::one("body", tr(&page, "messages-problem-body-with-file"));
            return show(&state, &page, &id, None, StatusCode::UNPROCESSABLE_ENTITY, problems, &form.body).await;
        }
        match state.kindred.upload_attachment(association, caller, &id, &content_type, data).await {
            Ok(stored) => attachments.push(stored.to_string()),
            Err(MessagingError::NotFound) => return StatusCode::NOT_FOUND.into_response(),
            Err(error) => match file_problem(&page, &error) {
                Some(text) => {
                    let problems = Problems::one("file", text);
                    return show(&state, &page, &id, None, StatusCode::UNPROCESSABLE_ENTITY, problems, &form.body)
                        .await;
                }
                None => return internal(error),
            },
        }
    }
    match state.kindred.send_message(association, caller, &id, &form.body, &attachments).await {
        Ok(_) => see_other(&format!("{}#composer", link(&page, &format!("/messages/{id}"), &[]))),
        Err(MessagingError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => match problem_text(&page, &error) {
            Some(text) => {
                let problems = Problems::one("body", text);
                show(&state, &page, &id, None, StatusCode::UNPROCESSABLE_ENTITY, problems, &form.body).await
            }
            None => internal(error),
        },
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
    /// Leaving: present once the member confirmed (`pages::confirm`).
    #[serde(default)]
    confirm: Option<String>,
}

/// Accept, decline, leave: each back to where it makes sense.
async fn act(state: &AppState, page: &AssociationPage, id: &str, csrf: &str, action: &str) -> Response {
    let caller = match member_post(state, page, csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let association = &page.tenant.association;
    let result = match action {
        "accept" => state.kindred.accept_conversation(association, caller, id).await,
        "decline" => state.kindred.decline_conversation(association, caller, id).await,
        _ => state.kindred.leave_conversation(association, caller, id).await,
    };
    match result {
        Ok(()) if action == "accept" => see_other(&link(page, &format!("/messages/{id}"), &[])),
        Ok(()) => see_other(&link(page, "/messages", &[])),
        Err(MessagingError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(MessagingError::NoRequest | MessagingError::GroupChat) => {
            see_other(&link(page, &format!("/messages/{id}"), &[]))
        }
        Err(other) => internal(other),
    }
}

pub async fn accept(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<CsrfForm>,
) -> Response {
    act(&state, &page, &id, &form.csrf, "accept").await
}

pub async fn decline(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<CsrfForm>,
) -> Response {
    act(&state, &page, &id, &form.csrf, "decline").await
}

/// Leaving a conversation asks first (`pages::confirm`).
fn leave_confirm(id: &str) -> Confirm {
    Confirm {
        kind: "leave-conversation",
        action: format!("/messages/{id}/leave"),
        fields: Vec::new(),
        cancel: format!("/messages/{id}"),
        section: Section::Messages,
    }
}

/// GET of the address (a reload, a bookmark): the confirmation page.
pub async fn leave_page(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    ask_on_get(&state, &page, leave_confirm(&id))
}

/// Declining and blocking asks first (`pages::confirm`).
fn block_confirm(id: &str, member_id: &str) -> Confirm {
    let member = MemberId::parse(member_id.trim()).map(|m| m.to_string()).unwrap_or_default();
    Confirm {
        kind: "block",
        action: format!("/messages/{id}/block"),
        fields: vec![("member_id", member)],
        cancel: format!("/messages/{id}"),
        section: Section::Messages,
    }
}

/// `?member_id=` of a confirmation page reached by GET.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BlockQuery {
    member_id: String,
}

/// GET of the address (a reload, a bookmark): the confirmation page.
pub async fn block_page(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Query(query): Query<BlockQuery>,
) -> Response {
    ask_on_get(&state, &page, block_confirm(&id, &query.member_id))
}

pub async fn leave(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<CsrfForm>,
) -> Response {
    if !confirmed(form.confirm.as_deref()) {
        if let Err(response) = member_post(&state, &page, &form.csrf) {
            return *response;
        }
        return ask(&state, &page, leave_confirm(&id));
    }
    act(&state, &page, &id, &form.csrf, "leave").await
}

#[derive(Deserialize)]
pub struct BlockForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    member_id: String,
    /// Present once the member confirmed (`pages::confirm`).
    #[serde(default)]
    confirm: Option<String>,
}

/// Declines a request and blocks its sender.
pub async fn block(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<BlockForm>,
) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    if !confirmed(form.confirm.as_deref()) {
        return ask(&state, &page, block_confirm(&id, &form.member_id));
    }
    let association = &page.tenant.association;
    match state.kindred.decline_conversation(association, caller, &id).await {
        Ok(()) => {}
        Err(MessagingError::NotFound) => return StatusCode::NOT_FOUND.into_response(),
        Err(MessagingError::NoRequest) => return see_other(&link(&page, &format!("/messages/{id}"), &[])),
        Err(other) => return internal(other),
    }
    match state.kindred.block(association, caller, &form.member_id).await {
        Ok(()) => see_other(&link(&page, "/contacts", &[("done", "blocked")])),
        Err(_) => see_other(&link(&page, "/messages", &[])),
    }
}

#[derive(Deserialize)]
pub struct DisappearingForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    seconds: String,
}

pub async fn disappearing(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<DisappearingForm>,
) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let seconds = match form.seconds.trim() {
        "" | "off" => None,
        raw => match raw.parse::<i64>() {
            Ok(s) => Some(s),
            Err(_) => return see_other(&link(&page, &format!("/messages/{id}"), &[])),
        },
    };
    match state.kindred.set_disappearing(&page.tenant.association, caller, &id, seconds).await {
        Ok(_) | Err(MessagingError::Invalid(_) | MessagingError::RequestPending) => {
            see_other(&link(&page, &format!("/messages/{id}"), &[]))
        }
        Err(MessagingError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(other) => internal(other),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    to: String,
}

fn new_values(page: &AssociationPage, to: &str, problems: Problems, draft: &str) -> minijinja::Value {
    minijinja::context! { to => to, problems => problems, draft => draft, csrf => page.session.csrf() }
}

/// The form that starts a conversation with one member (from their page).
pub async fn new(State(state): State<AppState>, page: AssociationPage, Query(query): Query<NewQuery>) -> Response {
    if let Err(response) = member(&state, &page) {
        return *response;
    }
    let values = new_values(&page, &query.to, Problems::default(), "");
    render_status(&state, StatusCode::OK, "messages/new.html", page.layout("/messages/new", Section::Messages), values)
}

#[derive(Deserialize)]
pub struct StartForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    message: String,
}

pub async fn start(State(state): State<AppState>, page: AssociationPage, Form(form): Form<StartForm>) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let members = vec![form.to.clone()];
    match state.kindred.start_conversation(&page.tenant.association, caller, &members, &form.message).await {
        Ok(started) => see_other(&link(&page, &format!("/messages/{}", started.conversation_id), &[])),
        Err(MessagingError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            let text = match &error {
                MessagingError::Invalid(found) => body_problem(&page, found),
                MessagingError::RequestPending => tr(&page, "messages-problem-request"),
                MessagingError::NotAllowed => tr(&page, "messages-problem-not-allowed"),
                _ => return internal(error),
            };
            let values = new_values(&page, &form.to, Problems::one("message", text), &form.message);
            render_status(
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                "messages/new.html",
                page.layout("/messages/new", Section::Messages),
                values,
            )
        }
    }
}
