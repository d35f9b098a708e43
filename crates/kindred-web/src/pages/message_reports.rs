//! Reports of messages for the association's moderators and admins
//! (`/moderation/messages`): the list shows what kind, the reporter's
//! reason, when and how many messages each report shares — never a
//! message; opening one report shows the messages its reporter chose to
//! share, and the audit log records that opening (`message_report.opened`)
//! before anything is shown. A form closes the report as resolved or
//! dismissed, with a note for the audit log. Nothing else of the
//! conversation reaches the moderators. Everything is decided in
//! `service::messaging`, the same functions as the API's.

use super::association::AssociationPage;
use super::community::{member, member_post};
use super::confirm::plain_id;
use super::forms::Problems;
use super::layout::{render_status, Section};
use super::respond::{internal, link, message, see_other, LinkView};
use super::text::{tr, when, When};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use kindred_service::messaging::{MessageReport, MessagingError};
use kindred_service::sessions::Caller;
use serde::{Deserialize, Serialize};

const STATUSES: [&str; 3] = ["open", "resolved", "dismissed"];

#[derive(Serialize)]
struct Row {
    href: String,
    kind_label: String,
    crisis: bool,
    reason: String,
    when: When,
    shared: i64,
}

#[derive(Serialize)]
struct StatusLink {
    href: String,
    label: String,
    current: bool,
}

#[derive(Serialize)]
struct Shared {
    sender: String,
    when: When,
    body: String,
}

fn kind_label(page: &AssociationPage, kind: &str) -> String {
    tr(page, &format!("report-kind-{}", kind.replace('_', "-")))
}

fn forbidden(state: &AppState, page: &AssociationPage) -> Response {
    message(
        state,
        page,
        StatusCode::FORBIDDEN,
        "/moderation/messages",
        tr(page, "message-reports-denied-title"),
        vec![tr(page, "message-reports-denied-text")],
        vec![LinkView { href: link(page, "/", &[]), label: tr(page, "error-home-link") }],
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    status: Option<String>,
    done: Option<String>,
}

/// The list of reports of messages in one status (open by default).
pub async fn list(State(state): State<AppState>, page: AssociationPage, Query(query): Query<ListQuery>) -> Response {
    let caller = match member(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let status = query.status.as_deref().filter(|s| STATUSES.contains(s)).unwrap_or("open");
    let reports = match state.kindred.message_report_list(&page.tenant.association, caller, status).await {
        Ok(reports) => reports,
        Err(MessagingError::Forbidden) => return forbidden(&state, &page),
        Err(other) => return internal(other),
    };
    let rows: Vec<Row> = reports
        .iter()
        .map(|r| Row {
            href: link(&page, &format!("/moderation/messages/{}", r.id), &[]),
            kind_label: kind_label(&page, &r.kind),
            crisis: r.kind == "crisis",
            reason: r.reason.clone(),
            when: when(&page, r.created_at),
            shared: r.shared,
        })
        .collect();
    let statuses: Vec<StatusLink> = STATUSES
        .iter()
        .map(|s| StatusLink {
            href: link(&page, "/moderation/messages", &[("status", *s)]),
            label: tr(&page, &format!("moderation-status-{s}")),
            current: *s == status,
        })
        .collect();
    let notice = query
        .done
        .as_deref()
        .filter(|d| ["resolved", "dismissed"].contains(d))
        .map(|d| tr(&page, &format!("message-reports-done-{d}")));
    let values = minijinja::context! {
        reports => rows,
        statuses => statuses,
        notice => notice,
        queue_href => link(&page, "/moderation", &[]),
    };
    render_status(
        &state,
        StatusCode::OK,
        "moderation/message_reports.html",
        page.layout("/moderation/messages", Section::Moderation),
        values,
    )
}

fn render_report(
    state: &AppState,
    page: &AssociationPage,
    report: MessageReport,
    typed: (&str, &str),
    problems: Problems,
    code: StatusCode,
) -> Response {
    let base = format!("/moderation/messages/{}", report.id);
    let shared: Vec<Shared> = report
        .messages
        .iter()
        .map(|m| Shared {
            // Under its alias where it was written under one, as the chat showed it.
            sender: m
                .sender_alias
                .clone()
                .filter(|a| !a.is_empty())
                .or_else(|| m.sender_pseudonym.clone())
                .unwrap_or_else(|| tr(page, "message-reports-sender-gone")),
            when: when(page, m.sent_at),
            body: m.body.clone(),
        })
        .collect();
    let resolutions: Vec<(&str, String, bool)> = ["resolved", "dismissed"]
        .iter()
        .enumerate()
        .map(|(i, r)| {
            (
                *r,
                tr(page, &format!("message-reports-close-{r}")),
                if typed.0.is_empty() { i == 0 } else { typed.0 == *r },
            )
        })
        .collect();
    let values = minijinja::context! {
        kind_label => kind_label(page, &report.kind),
        crisis => report.kind == "crisis",
        reason => report.reason.clone(),
        when => when(page, report.created_at),
        open => report.status == "open",
        status_label => tr(page, &format!("moderation-status-{}", report.status)),
        shared => shared,
        resolutions => resolutions,
        note => typed.1,
        action => link(page, &format!("{base}/close"), &[]),
        list_href => link(page, "/moderation/messages", &[]),
        csrf => page.session.csrf(),
        problems => problems,
    };
    render_status(state, code, "moderation/message_report.html", page.layout(&base, Section::Moderation), values)
}

/// One report with the messages its reporter shared (audited by the service).
pub async fn show(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    let caller = match member(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    open(&state, &page, caller, &id, ("", ""), Problems::default(), StatusCode::OK).await
}

async fn open(
    state: &AppState,
    page: &AssociationPage,
    caller: &Caller,
    id: &str,
    typed: (&str, &str),
    problems: Problems,
    code: StatusCode,
) -> Response {
    if !plain_id(id) {
        return StatusCode::NOT_FOUND.into_response();
    }
    match state.kindred.open_message_report(&page.tenant.association, caller, id).await {
        Ok(report) => render_report(state, page, report, typed, problems, code),
        Err(MessagingError::Forbidden) => forbidden(state, page),
        Err(MessagingError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(other) => internal(other),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CloseForm {
    csrf: String,
    resolution: String,
    note: String,
}

/// Closes the report as resolved or dismissed, with an optional note.
pub async fn close(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<CloseForm>,
) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let association = &page.tenant.association;
    let note = Some(form.note.as_str()).filter(|n| !n.trim().is_empty());
    match state.kindred.close_message_report(association, caller, &id, &form.resolution, note).await {
        Ok(()) => {
            let done = if form.resolution.trim() == "dismissed" { "dismissed" } else { "resolved" };
            see_other(&link(&page, "/moderation/messages", &[("done", done)]))
        }
        Err(MessagingError::Forbidden) => forbidden(&state, &page),
        Err(MessagingError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(MessagingError::Invalid(problems)) => {
            let (field, key) = match problems.first().map(|p| p.0) {
                Some("resolution") => ("resolution", "message-reports-problem-resolution"),
                Some("report") => ("resolution", "message-reports-problem-closed"),
                _ => ("note", "message-reports-problem-note"),
            };
            let problems = Problems::one(field, tr(&page, key));
            open(&state, &page, caller, &id, (&form.resolution, &form.note), problems, StatusCode::UNPROCESSABLE_ENTITY)
                .await
        }
        Err(other) => internal(other),
    }
}
