//! The moderation pages: the queue of reports (`/moderation`) with one
//! form per report to act on the content or close the report, each with a
//! reason; and the form to report a post or topic (`/report`), after which
//! a crisis report shows the association's crisis contacts at once. In the
//! queue a crisis report has no action chosen beforehand (hiding a cry for
//! help would tell its author) and its card guides the moderator: reach
//! out, the crisis contacts, when to call emergency services.
//! Everything is decided in `service::moderation`; these pages work
//! without JavaScript.

use super::association::AssociationPage;
use super::community::{member, member_post};
use super::forms::Problems;
use super::layout::{render_status, Section};
use super::respond::{internal, link, message, see_other, wait, LinkView};
use super::text::{tr, when, When};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use kindred_domain::AccountRole;
use kindred_service::moderation::{
    Action, ModerationError, QueueEntry, ReportInput, ReportKind, ReportStatus, TargetType, TargetView,
};
use kindred_service::sessions::Caller;
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
struct Choice {
    value: &'static str,
    label: String,
}

#[derive(Serialize)]
struct TargetRow {
    target_type: &'static str,
    type_label: String,
    id: String,
    topic_title: String,
    topic_href: String,
    excerpt: String,
    author: Option<String>,
    hidden: bool,
    locked: bool,
    pinned: bool,
}

#[derive(Serialize)]
struct ReportRow {
    id: String,
    kind: &'static str,
    kind_label: String,
    crisis: bool,
    reason: String,
    when: When,
    target: TargetRow,
    moderate: bool,
    open: bool,
    actions: Vec<Choice>,
}

fn target_row(page: &AssociationPage, view: &TargetView) -> TargetRow {
    TargetRow {
        target_type: view.target_type.as_str(),
        type_label: tr(page, &format!("moderation-target-{}", view.target_type.as_str())),
        id: view.id.clone(),
        topic_title: view.topic_title.clone(),
        topic_href: link(page, &format!("/forum/topics/{}", view.topic_id), &[]),
        excerpt: view.excerpt.clone(),
        author: view.author.clone(),
        hidden: view.hidden,
        locked: view.locked,
        pinned: view.pinned,
    }
}

fn kind_label(page: &AssociationPage, kind: ReportKind) -> String {
    tr(page, &format!("report-kind-{}", kind.as_str().replace('_', "-")))
}

/// The actions the form offers for a target, in its present state.
fn action_choices(page: &AssociationPage, view: &TargetView, open: bool) -> Vec<Choice> {
    let mut values: Vec<&'static str> = Vec::new();
    values.push(if view.hidden { "restore" } else { "hide" });
    match view.target_type {
        TargetType::Post => {
            if view.author.is_some() {
                values.push("warn");
            }
        }
        TargetType::Topic => {
            values.push(if view.locked { "unlock" } else { "lock" });
            values.push(if view.pinned { "unpin" } else { "pin" });
        }
    }
    if open {
        values.push("resolve");
        values.push("dismiss");
    }
    values.into_iter().map(|v| Choice { value: v, label: tr(page, &format!("moderation-action-{v}")) }).collect()
}

fn report_row(page: &AssociationPage, entry: &QueueEntry) -> ReportRow {
    let open = entry.status == ReportStatus::Open;
    ReportRow {
        id: entry.id.clone(),
        kind: entry.kind.as_str(),
        kind_label: kind_label(page, entry.kind),
        crisis: entry.kind == ReportKind::Crisis,
        reason: entry.reason.clone(),
        when: when(page, entry.created_at),
        target: target_row(page, &entry.target),
        moderate: entry.target.moderate,
        open,
        actions: if entry.target.moderate { action_choices(page, &entry.target, open) } else { Vec::new() },
    }
}

/// `?status=`, `?kind=` and `?done=` of the queue.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct QueueQuery {
    status: Option<String>,
    kind: Option<String>,
    done: Option<String>,
}

const DONE: [&str; 10] = ["hide", "restore", "warn", "lock", "unlock", "pin", "unpin", "resolve", "dismiss", "closed"];

#[derive(Serialize)]
struct StatusLink {
    href: String,
    label: String,
    current: bool,
}

struct QueueView<'a> {
    status: ReportStatus,
    /// The kind tab: one kind, or every kind.
    kind: Option<ReportKind>,
    notice: Option<String>,
    problems: Problems,
    /// The report whose form failed, and what was typed.
    form: (&'a str, &'a str),
    code: StatusCode,
}

fn forbidden(state: &AppState, page: &AssociationPage) -> Response {
    message(
        state,
        page,
        StatusCode::FORBIDDEN,
        "/moderation",
        tr(page, "moderation-denied-title"),
        vec![tr(page, "moderation-denied-text")],
        vec![LinkView { href: link(page, "/", &[]), label: tr(page, "error-home-link") }],
    )
}

async fn render_queue(state: &AppState, page: &AssociationPage, caller: &Caller, view: QueueView<'_>) -> Response {
    let association = &page.tenant.association;
    let kind = view.kind.map(ReportKind::as_str);
    let entries = match state.kindred.report_queue(association, caller, Some(view.status.as_str()), kind).await {
        Ok(entries) => entries,
        Err(ModerationError::Forbidden) => return forbidden(state, page),
        Err(error) => return internal(error),
    };
    let rows: Vec<ReportRow> = entries.iter().map(|e| report_row(page, e)).collect();
    // A crisis report's card guides the moderator: whom the member can call.
    let contacts = if rows.iter().any(|r| r.crisis) { crisis_contacts(page) } else { Vec::new() };
    // Filters as tabs, plain links (no JavaScript): the status tabs keep
    // the kind chosen, the kind tabs the status.
    let statuses: Vec<StatusLink> = [ReportStatus::Open, ReportStatus::Resolved, ReportStatus::Dismissed]
        .into_iter()
        .map(|s| StatusLink {
            href: queue_link(page, s, view.kind, None),
            label: tr(page, &format!("moderation-status-{}", s.as_str())),
            current: s == view.status,
        })
        .collect();
    let kinds: Vec<StatusLink> = std::iter::once(None)
        .chain(ReportKind::ALL.into_iter().map(Some))
        .map(|k| StatusLink {
            href: queue_link(page, view.status, k, None),
            label: match k {
                Some(k) => kind_label(page, k),
                None => tr(page, "moderation-kind-all"),
            },
            current: k == view.kind,
        })
        .collect();
    let values = minijinja::context! {
        reports => rows,
        crisis_contacts => contacts,
        statuses => statuses,
        kinds => kinds,
        status => view.status.as_str(),
        tab_status => (view.status != ReportStatus::Open).then_some(view.status.as_str()),
        tab_kind => kind,
        csrf => page.session.csrf(),
        notice => view.notice,
        problems => view.problems,
        form_report => view.form.0,
        form_reason => view.form.1,
        // Reports of messages are the association moderators' and admins' (pages::message_reports).
        message_reports_href => matches!(caller.member.role, AccountRole::Admin | AccountRole::Moderator)
            .then(|| link(page, "/moderation/messages", &[])),
    };
    render_status(state, view.code, "moderation/queue.html", page.layout("/moderation", Section::Moderation), values)
}

/// The queue's address on a tab (open and every kind are left out: the default).
fn queue_link(page: &AssociationPage, status: ReportStatus, kind: Option<ReportKind>, done: Option<&str>) -> String {
    let mut params: Vec<(&str, &str)> = Vec::new();
    if status != ReportStatus::Open {
        params.push(("status", status.as_str()));
    }
    if let Some(kind) = kind {
        params.push(("kind", kind.as_str()));
    }
    if let Some(done) = done {
        params.push(("done", done));
    }
    link(page, "/moderation", &params)
}

pub async fn queue(State(state): State<AppState>, page: AssociationPage, Query(query): Query<QueueQuery>) -> Response {
    let caller = match member(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let status = query.status.as_deref().and_then(ReportStatus::parse).unwrap_or(ReportStatus::Open);
    let kind = query.kind.as_deref().and_then(ReportKind::parse);
    let notice = query.done.as_deref().filter(|d| DONE.contains(d)).map(|d| tr(&page, &format!("moderation-done-{d}")));
    let view = QueueView { status, kind, notice, problems: Problems::default(), form: ("", ""), code: StatusCode::OK };
    render_queue(&state, &page, caller, view).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ActForm {
    csrf: String,
    report_id: String,
    target_type: String,
    target_id: String,
    action: String,
    reason: String,
    /// Also close the report as resolved (after an action on the content).
    close: Option<String>,
    /// The tab the form was on, to return to: `status` and `kind` of the queue.
    tab_status: String,
    tab_kind: String,
}

/// One form per report: an action on its content (with a reason), or
/// closing it as resolved or dismissed (the reason is the note).
pub async fn act(State(state): State<AppState>, page: AssociationPage, Form(form): Form<ActForm>) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let association = &page.tenant.association;
    let kindred = &state.kindred;
    let target_type = TargetType::parse(&form.target_type);
    let action = match (form.action.as_str(), target_type) {
        ("hide", Some(TargetType::Post)) => Some(Action::HidePost),
        ("restore", Some(TargetType::Post)) => Some(Action::RestorePost),
        ("warn", Some(TargetType::Post)) => Some(Action::WarnPost),
        ("hide", Some(TargetType::Topic)) => Some(Action::HideTopic),
        ("restore", Some(TargetType::Topic)) => Some(Action::RestoreTopic),
        ("lock", Some(TargetType::Topic)) => Some(Action::LockTopic),
        ("unlock", Some(TargetType::Topic)) => Some(Action::UnlockTopic),
        ("pin", Some(TargetType::Topic)) => Some(Action::PinTopic),
        ("unpin", Some(TargetType::Topic)) => Some(Action::UnpinTopic),
        _ => None,
    };
    let tab_status = ReportStatus::parse(form.tab_status.trim()).unwrap_or(ReportStatus::Open);
    let tab_kind = ReportKind::parse(form.tab_kind.trim());
    let field = format!("reason-{}", form.report_id);
    let result = match (form.action.as_str(), action) {
        (_, Some(action)) => {
            let done = kindred.moderate(association, caller, &form.target_id, action, &form.reason).await;
            match done {
                Ok(()) if form.close.is_some() => {
                    match kindred
                        .close_report(association, caller, &form.report_id, "resolved", Some(&form.reason))
                        .await
                    {
                        Ok(()) | Err(ModerationError::ReportClosed) => Ok(()),
                        Err(e) => Err(e),
                    }
                }
                other => other,
            }
        }
        ("resolve" | "dismiss", None) => {
            let resolution = if form.action == "resolve" { "resolved" } else { "dismissed" };
            let note = Some(form.reason.as_str()).filter(|n| !n.trim().is_empty());
            kindred.close_report(association, caller, &form.report_id, resolution, note).await
        }
        _ => Err(ModerationError::Invalid(vec![("action", String::new())])),
    };
    let problem = match result {
        Ok(()) => {
            let done = if DONE.contains(&form.action.as_str()) { form.action.as_str() } else { "closed" };
            return see_other(&queue_link(&page, tab_status, tab_kind, Some(done)));
        }
        Err(ModerationError::NotFound) => return StatusCode::NOT_FOUND.into_response(),
        Err(ModerationError::Forbidden) => return forbidden(&state, &page),
        Err(ModerationError::Throttled(t)) => return wait(&state, &page, t.retry_after),
        Err(ModerationError::Invalid(problems)) => {
            let key = match problems.first().map(|p| p.0) {
                Some("action") => "moderation-problem-action",
                Some("reason") if form.reason.trim().is_empty() => "moderation-problem-reason-missing",
                _ => "moderation-problem-reason-long",
            };
            tr(&page, key)
        }
        Err(ModerationError::AuthorUnknown) => tr(&page, "moderation-problem-author-unknown"),
        Err(ModerationError::ReportClosed) => {
            return see_other(&queue_link(&page, tab_status, tab_kind, Some("closed")));
        }
        Err(other) => return internal(other),
    };
    let view = QueueView {
        status: tab_status,
        kind: tab_kind,
        notice: None,
        problems: Problems::one(&field, problem),
        form: (&form.report_id, &form.reason),
        code: StatusCode::UNPROCESSABLE_ENTITY,
    };
    render_queue(&state, &page, caller, view).await
}

// ------------------------------------------------------------------ reporting

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReportQuery {
    target_type: String,
    target_id: String,
    /// `?post=ID`: the short form of `target_type=post&target_id=ID` that
    /// a topic page writes under every post (issue 21: page weight).
    post: String,
}

#[derive(Serialize)]
struct KindChoice {
    value: &'static str,
    label: String,
    explanation: String,
    checked: bool,
}

fn kind_choices(page: &AssociationPage, selected: &str) -> Vec<KindChoice> {
    ReportKind::ALL
        .iter()
        .map(|k| {
            let key = k.as_str().replace('_', "-");
            KindChoice {
                value: k.as_str(),
                label: tr(page, &format!("report-kind-{key}")),
                explanation: tr(page, &format!("report-kind-{key}-explained")),
                checked: k.as_str() == selected,
            }
        })
        .collect()
}

async fn render_report_form(
    state: &AppState,
    page: &AssociationPage,
    caller: &Caller,
    target: (&str, &str),
    typed: (&str, &str),
    problems: Problems,
    code: StatusCode,
) -> Response {
    let view = match state.kindred.report_target(&page.tenant.association, caller, target.0, target.1).await {
        Ok(view) => view,
        Err(ModerationError::NotFound | ModerationError::Forbidden) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => return internal(error),
    };
    let values = minijinja::context! {
        target => target_row(page, &view),
        kinds => kind_choices(page, typed.0),
        details => typed.1,
        csrf => page.session.csrf(),
        problems => problems,
    };
    render_status(state, code, "moderation/report.html", page.layout("/report", Section::None), values)
}

pub async fn report_form(
    State(state): State<AppState>,
    page: AssociationPage,
    Query(query): Query<ReportQuery>,
) -> Response {
    let caller = match member(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let target = if query.post.is_empty() {
        (query.target_type.as_str(), query.target_id.as_str())
    } else {
        ("post", query.post.as_str())
    };
    render_report_form(&state, &page, caller, target, ("", ""), Problems::default(), StatusCode::OK).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReportForm {
    csrf: String,
    target_type: String,
    target_id: String,
    kind: String,
    details: String,
}

pub async fn report(State(state): State<AppState>, page: AssociationPage, Form(form): Form<ReportForm>) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let mut problems = Problems::default();
    if ReportKind::parse(&form.kind).is_none() {
        problems.add("kind", tr(&page, "report-problem-kind"));
    }
    if form.details.trim().chars().count() > kindred_service::moderation::MAX_REPORT_DETAILS {
        problems.add("details", tr(&page, "report-problem-details"));
    }
    let target = (form.target_type.as_str(), form.target_id.as_str());
    let typed = (form.kind.as_str(), form.details.as_str());
    if !problems.is_empty() {
        let code = StatusCode::UNPROCESSABLE_ENTITY;
        return render_report_form(&state, &page, caller, target, typed, problems, code).await;
    }
    let input = ReportInput {
        target_type: &form.target_type,
        target_id: &form.target_id,
        reason: None,
        kind: Some(&form.kind),
        details: Some(&form.details),
    };
    match state.kindred.file_report(&page.tenant.association, caller, input).await {
        Ok(filed) => {
            let kind = if filed.kind == ReportKind::Crisis { "crisis" } else { "other" };
            see_other(&link(&page, "/report/sent", &[("kind", kind)]))
        }
        Err(ModerationError::NotFound | ModerationError::Forbidden) => StatusCode::NOT_FOUND.into_response(),
        Err(ModerationError::Throttled(t)) => wait(&state, &page, t.retry_after),
        Err(ModerationError::Invalid(_)) => {
            let problems = Problems::one("details", tr(&page, "report-problem-details"));
            render_report_form(&state, &page, caller, target, typed, problems, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(other) => internal(other),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SentQuery {
    kind: String,
}

#[derive(Serialize)]
struct CrisisContactView {
    name: String,
    phone: Option<String>,
    phone_href: Option<String>,
    url: Option<String>,
}

/// The association's crisis contacts in the page's language: the same for
/// the reporter (after a crisis report) and the moderator (in the queue).
fn crisis_contacts(page: &AssociationPage) -> Vec<CrisisContactView> {
    page.tenant
        .association
        .settings
        .crisis_contacts
        .iter()
        .map(|c| CrisisContactView {
            name: c.name.get(page.language).to_owned(),
            phone: c.phone.clone(),
            phone_href: c
                .phone
                .as_ref()
                .map(|p| format!("tel:{}", p.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect::<String>())),
            url: c.url.clone(),
        })
        .collect()
}

/// Thanks for the report; after a crisis report the crisis contacts first.
pub async fn report_sent(
    State(state): State<AppState>,
    page: AssociationPage,
    Query(query): Query<SentQuery>,
) -> Response {
    if let Err(response) = member(&state, &page) {
        return *response;
    }
    let crisis = query.kind == "crisis";
    let contacts = if crisis { crisis_contacts(&page) } else { Vec::new() };
    let values = minijinja::context! { crisis => crisis, contacts => contacts, home => link(&page, "/", &[]) };
    render_status(&state, StatusCode::OK, "moderation/sent.html", page.layout("/report/sent", Section::None), values)
}
