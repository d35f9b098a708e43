//! The notifications page (the notification centre): the member's
//! notifications, newest first, those about the same thing shown as one
//! entry with their count ("3 replies" in a topic, grouped by
//! `service::notification_list::group_notifications`), each with a link
//! straight to the post, event, conversation, request or group — for a
//! group its first unread notification —, a button to mark the entry read,
//! and one to mark all read. What is listed is what
//! `service::notification_list` returns.

use super::association::AssociationPage;
use super::community::{member, member_post};
use super::layout::{render_status, Section};
use super::respond::{internal, link, post_href, see_other};
use super::text::{tr, tr_args, when, When};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use fluent_templates::fluent_bundle::FluentValue;
use kindred_service::notification_list::{group_notifications, NotificationError, NotificationGroup, NotificationView};
use serde::{Deserialize, Serialize};

/// Kinds with a text of their own; any other is shown in general words.
const KINDS: &[&str] = &[
    "reply",
    "mention",
    "moderation",
    "warning",
    "crisis_report",
    "event_changed",
    "event_cancelled",
    "event_promoted",
    "event_reminder",
    "message_request",
    "message",
    "missed_call",
    "contact_request",
    "contact_answer",
    "disclosure_request",
    "disclosure_answer",
    "group_invitation",
    "group_join_request",
    "article_submitted",
    "article_reviewed",
];

/// A notification as the list shows it; the member's home page shows the
/// newest unread ones the same way.
#[derive(Serialize)]
pub(super) struct Entry {
    id: String,
    text: String,
    detail: Option<String>,
    href: Option<String>,
    /// The words of the link when it does not lead to a topic.
    link_label: Option<String>,
    topic_title: Option<String>,
    when: When,
    read: bool,
}

pub(super) fn entry(page: &AssociationPage, view: NotificationView) -> Entry {
    let mut kind = if KINDS.contains(&view.kind.as_str()) { view.kind.replace('_', "-") } else { "other".to_owned() };
    // A review's decision has a text of its own for each outcome; the
    // detail is our word for it, not text to show.
    let mut detail = view.detail;
    if view.kind == "article_reviewed" {
        kind = match detail.take().as_deref() {
            Some("published") => "article-published".to_owned(),
            _ => "article-returned".to_owned(),
        };
    }
    let text = match &view.actor {
        Some(actor) => {
            tr_args(page, &format!("notifications-kind-{kind}"), &[("actor", FluentValue::from(actor.clone()))])
        }
        None => tr(page, &format!("notifications-kind-{kind}-nobody")),
    };
    Entry {
        href: match (&view.topic_id, &view.event_id, &view.conversation_id) {
            (Some(topic), _, _) => Some(post_href(page, topic, view.post_number, None)),
            (None, Some(event), _) => Some(link(page, &format!("/events/{event}"), &[])),
            (None, None, Some(conversation)) => Some(link(page, &format!("/messages/{conversation}"), &[])),
            (None, None, None) => match (&view.request_id, &view.group_id) {
                // Straight to the request on the contacts page, where it is answered.
                (Some(request), _) if view.kind == "contact_request" => {
                    Some(link(page, "/contacts", &[]) + &format!("#request-{request}"))
                }
                (Some(request), _) if view.kind == "disclosure_request" => {
                    Some(link(page, "/contacts", &[]) + &format!("#disclosure-{request}"))
                }
                (Some(_), _) => Some(link(page, "/contacts", &[])),
                // A join request is answered on the group's member page.
                (None, Some(group)) if view.kind == "group_join_request" => {
                    Some(link(page, &format!("/groups/{group}/members"), &[]) + "#requests-title")
                }
                (None, Some(group)) => Some(link(page, &format!("/groups/{group}"), &[])),
                (None, None) => {
                    view.article_id.as_ref().map(|article| link(page, &format!("/knowledge/{article}"), &[]))
                }
            },
        },
        link_label: match (&view.topic_id, &view.event_id, &view.conversation_id) {
            (None, Some(_), _) => Some(tr(page, "notifications-to-event")),
            (None, None, Some(_)) if view.kind == "message_request" => Some(tr(page, "messages-open-request")),
            (None, None, Some(_)) => Some(tr(page, "notifications-open-message")),
            (None, None, None) if view.request_id.is_some() => Some(tr(page, "notifications-open-contacts")),
            (None, None, None) if view.group_id.is_some() => Some(tr(page, "notifications-open-group")),
            (None, None, None) if view.article_id.is_some() => Some(tr(page, "notifications-open-article")),
            _ => None,
        },
        id: view.id.to_string(),
        text,
        detail,
        topic_title: view.topic_title,
        when: when(page, view.created_at),
        read: view.read,
    }
}

/// Kinds with a text of their own for several at once.
const GROUP_KINDS: &[&str] = &["reply", "mention"];

/// One entry of the notification centre: a group of notifications about
/// the same thing (often one).
#[derive(Serialize)]
struct GroupEntry {
    /// The newest notification as the entry's base; its link is the
    /// group's target (the oldest unread).
    #[serde(flatten)]
    entry: Entry,
    /// How many notifications the entry stands for, and how many are unread.
    count: usize,
    unread: usize,
    /// The newest one's own words when the heading counts several.
    latest: Option<String>,
    /// The unread ones, for the button that marks the entry read.
    ids: String,
}

fn group_entry(page: &AssociationPage, group: NotificationGroup) -> Option<GroupEntry> {
    let count = group.items.len();
    let ids = group.unread_ids().join(",");
    let unread = group.unread_ids().len();
    let kind = group.newest()?.kind.clone();
    let href = group.target().cloned().map(|target| entry(page, target).href);
    let mut newest = entry(page, group.items.into_iter().next()?);
    if let Some(href) = href {
        newest.href = href;
    }
    newest.read = unread == 0;
    let latest = (count > 1).then(|| newest.text.clone());
    if count > 1 {
        let count_value = FluentValue::from(i64::try_from(count).unwrap_or(i64::MAX));
        newest.text = if GROUP_KINDS.contains(&kind.as_str()) {
            tr_args(page, &format!("notifications-group-{kind}"), &[("count", count_value)])
        } else {
            tr_args(
                page,
                "notifications-group-other",
                &[("count", count_value), ("text", FluentValue::from(newest.text.clone()))],
            )
        };
    }
    Some(GroupEntry {
        entry: newest,
        count,
        unread,
        latest: latest.map(|t| tr_args(page, "notifications-group-latest", &[("text", FluentValue::from(t))])),
        ids,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    cursor: Option<String>,
}

pub async fn notifications(
    State(state): State<AppState>,
    page: AssociationPage,
    Query(query): Query<ListQuery>,
) -> Response {
    let caller = match member(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let cursor = query.cursor.as_deref().filter(|c| !c.is_empty());
    let list = match state.kindred.notifications(&page.tenant.association, caller, cursor).await {
        Ok(list) => list,
        // A cursor from nowhere: start at the beginning.
        Err(NotificationError::BadCursor) => return see_other(&link(&page, "/notifications", &[])),
        Err(other) => return internal(other),
    };
    let values = minijinja::context! {
        notifications => group_notifications(list.notifications)
            .into_iter()
            .filter_map(|g| group_entry(&page, g))
            .collect::<Vec<_>>(),
        unread => list.unread_count,
        next_href => list.next_cursor.map(|c| link(&page, "/notifications", &[("cursor", &c)])),
        first_href => cursor.map(|_| link(&page, "/notifications", &[])),
        csrf => page.session.csrf(),
    };
    render_status(
        &state,
        StatusCode::OK,
        "notifications/list.html",
        page.layout("/notifications", Section::Notifications),
        values,
    )
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

pub async fn mark_read(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<CsrfOnly>,
) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    match state.kindred.mark_notification_read(&page.tenant.association, caller, &id).await {
        Ok(()) => see_other(&link(&page, "/notifications", &[])),
        Err(NotificationError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(NotificationError::WrongCount) => StatusCode::UNPROCESSABLE_ENTITY.into_response(),
        Err(other) => internal(other),
    }
}

pub async fn mark_all_read(
    State(state): State<AppState>,
    page: AssociationPage,
    Form(form): Form<CsrfOnly>,
) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    match state.kindred.mark_all_notifications_read(&page.tenant.association, caller).await {
        Ok(()) => see_other(&link(&page, "/notifications", &[])),
        Err(other) => internal(other),
    }
}

#[derive(Deserialize)]
pub struct MarkSomeForm {
    #[serde(default)]
    csrf: String,
    /// The notification ids of one entry, comma-separated.
    #[serde(default)]
    ids: String,
}

/// Marks the notifications of one entry of the centre read.
pub async fn mark_some_read(
    State(state): State<AppState>,
    page: AssociationPage,
    Form(form): Form<MarkSomeForm>,
) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let ids: Vec<&str> = form.ids.split(',').map(str::trim).filter(|id| !id.is_empty()).collect();
    match state.kindred.mark_notifications_read(&page.tenant.association, caller, &ids).await {
        Ok(()) => see_other(&link(&page, "/notifications", &[])),
        Err(NotificationError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(NotificationError::WrongCount) => StatusCode::UNPROCESSABLE_ENTITY.into_response(),
        Err(other) => internal(other),
    }
}
