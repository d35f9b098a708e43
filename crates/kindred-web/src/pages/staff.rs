//! The staff's pages: the verification queue with approval, the member
//! list, letters to print, invitation codes, roles, members flagged for a
//! scraper's pace and the audit log.
//! Admins and moderators handle admission; the rest is for admins. Every
//! view of personal data is written to the audit log by the service.

use super::association::AssociationPage;
use super::forms::{signed_in, signed_in_post, Problems};
use super::layout::{render_status, Section};
use super::respond::{internal, link, message, see_other, LinkView};
use super::text::{notice, tr, tr_args, when, DoneQuery, When};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use fluent_templates::fluent_bundle::FluentValue;
use kindred_domain::{AccountRole, ListProblem, MemberListError};
use kindred_service::admission::{Denied, StaffPower};
use kindred_service::sessions::{Caller, Member};
use kindred_service::staff::{StaffError, MAX_INVITATIONS};
use serde::{Deserialize, Serialize};

/// The caller if they may do this kind of staff work; else the sign-in
/// redirect or a 403 page that says why.
pub(super) fn staff<'a>(
    state: &AppState,
    page: &'a AssociationPage,
    power: StaffPower,
) -> Result<&'a Caller, Box<Response>> {
    let caller = signed_in(page)?;
    match state.kindred.staff_access(&page.tenant.association, caller, power) {
        Ok(()) => Ok(caller),
        Err(denied) => Err(Box::new(denied_page(state, page, denied))),
    }
}

/// [`staff`] for a post, with the CSRF token checked first.
pub(super) fn staff_post<'a>(
    state: &AppState,
    page: &'a AssociationPage,
    power: StaffPower,
    csrf: &str,
) -> Result<&'a Caller, Box<Response>> {
    signed_in_post(state, page, csrf)?;
    staff(state, page, power)
}

fn denied_page(state: &AppState, page: &AssociationPage, denied: Denied) -> Response {
    let (text, links) = match denied {
        Denied::SecondFactorRequired => (
            "staff-denied-second-factor",
            vec![LinkView { href: link(page, "/account/two-factor", &[]), label: tr(page, "account-two-factor-link") }],
        ),
        _ => {
            ("staff-denied-text", vec![LinkView { href: link(page, "/account", &[]), label: tr(page, "nav-account") }])
        }
    };
    message(state, page, StatusCode::FORBIDDEN, "/staff", tr(page, "staff-denied-title"), vec![tr(page, text)], links)
}

pub(super) fn render(
    state: &AppState,
    page: &AssociationPage,
    path: &str,
    template: &str,
    status: StatusCode,
    values: minijinja::Value,
) -> Response {
    render_status(state, status, template, page.layout(path, Section::Staff), values)
}

fn role_name(page: &AssociationPage, role: AccountRole) -> String {
    tr(page, &format!("role-{}", role.as_str()))
}

// ------------------------------------------------------------------ index

pub async fn index(State(state): State<AppState>, page: AssociationPage) -> Response {
    let caller = match staff(&state, &page, StaffPower::Admission) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let admin = state.kindred.staff_access(&page.tenant.association, caller, StaffPower::Administration).is_ok();
    let counts = match state.kindred.staff_counts(&page.tenant.association, caller).await {
        Ok(counts) => counts,
        Err(error) => return internal(error),
    };
    let values = minijinja::context! {
        admin => admin,
        waiting => counts.verifications,
        letters => counts.letters.unwrap_or(0),
    };
    render(&state, &page, "/staff", "staff/index.html", StatusCode::OK, values)
}

// ------------------------------------------------------------------ verifications

#[derive(Serialize)]
struct PendingRow {
    id: String,
    pseudonym: String,
    procedure: String,
    since: When,
}

async fn render_verifications(
    state: &AppState,
    page: &AssociationPage,
    caller: &Caller,
    notice: Option<String>,
    problems: Problems,
    note: (&str, &str),
    status: StatusCode,
) -> Response {
    let pending = match state.kindred.pending_verifications(&page.tenant.association, caller).await {
        Ok(pending) => pending,
        Err(error) => return internal(error),
    };
    let rows: Vec<PendingRow> = pending
        .into_iter()
        .map(|p| PendingRow {
            procedure: tr(page, &format!("procedure-{}", p.procedure.replace('_', "-"))),
            since: when(page, p.requested_at),
            pseudonym: p.pseudonym,
            id: p.member_id,
        })
        .collect();
    let values = minijinja::context! {
        pending => rows,
        csrf => page.session.csrf(),
        notice => notice,
        problems => problems,
        note_for => note.0,
        note => note.1,
    };
    render(state, page, "/staff/verifications", "staff/verifications.html", status, values)
}

pub async fn verifications(
    State(state): State<AppState>,
    page: AssociationPage,
    Query(query): Query<DoneQuery>,
) -> Response {
    let caller = match staff(&state, &page, StaffPower::Admission) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let notice = notice(&page, &query);
    render_verifications(&state, &page, caller, notice, Problems::default(), ("", ""), StatusCode::OK).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NoteForm {
    csrf: String,
    note: String,
}

pub async fn approve(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<NoteForm>,
) -> Response {
    let caller = match staff_post(&state, &page, StaffPower::Admission, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let note = Some(form.note.as_str()).filter(|n| !n.trim().is_empty());
    match state.kindred.approve(&page.tenant.association, caller, &id, note).await {
        Ok(_) => see_other(&link(&page, "/staff/verifications", &[("done", "approved")])),
        Err(StaffError::NoSuchMember) => StatusCode::NOT_FOUND.into_response(),
        Err(StaffError::WrongState) => see_other(&link(&page, "/staff/verifications", &[("done", "already-done")])),
        Err(StaffError::Invalid(_)) => {
            let problems = Problems::one(&format!("note-{id}"), tr(&page, "staff-note-too-long"));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render_verifications(&state, &page, caller, None, problems, (&id, &form.note), status).await
        }
        Err(other) => internal(other),
    }
}

// ------------------------------------------------------------------ member list

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CsvForm {
    csrf: String,
    csv: String,
}

fn render_member_list(
    state: &AppState,
    page: &AssociationPage,
    notice: Option<String>,
    csv: &str,
    problems: Problems,
    status: StatusCode,
) -> Response {
    let values =
        minijinja::context! { csrf => page.session.csrf(), notice => notice, csv => csv, problems => problems };
    render(state, page, "/staff/member-list", "staff/member_list.html", status, values)
}

pub async fn member_list_form(
    State(state): State<AppState>,
    page: AssociationPage,
    Query(query): Query<DoneQuery>,
) -> Response {
    if let Err(response) = staff(&state, &page, StaffPower::Administration) {
        return *response;
    }
    let notice = notice(&page, &query);
    render_member_list(&state, &page, notice, "", Problems::default(), StatusCode::OK)
}

fn list_problem(page: &AssociationPage, error: &MemberListError) -> String {
    let line = ("line", FluentValue::from(i64::try_from(error.line()).unwrap_or(i64::MAX)));
    match error.problem() {
        ListProblem::Empty => tr_args(page, "member-list-empty", &[line]),
        ListProblem::Header => tr_args(page, "member-list-header", &[line]),
        ListProblem::Columns { found } => tr_args(
            page,
            "member-list-columns",
            &[line, ("found", FluentValue::from(i64::try_from(found).unwrap_or(i64::MAX)))],
        ),
        ListProblem::Quotes => tr_args(page, "member-list-quotes", &[line]),
        ListProblem::Entry(entry) => {
            let key = format!("member-list-entry-{}", entry.column().replace('_', "-"));
            tr_args(page, &key, &[line])
        }
        ListProblem::TooManyRows => tr_args(page, "member-list-too-many", &[line]),
    }
}

pub async fn member_list(State(state): State<AppState>, page: AssociationPage, Form(form): Form<CsvForm>) -> Response {
    let caller = match staff_post(&state, &page, StaffPower::Administration, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    match state.kindred.import_member_list(&page.tenant.association, caller, &form.csv).await {
        Ok(count) => {
            let count = count.to_string();
            see_other(&link(&page, "/staff/member-list", &[("done", "imported"), ("count", &count)]))
        }
        Err(StaffError::MemberList(error)) => {
            let problems = Problems::one("csv", list_problem(&page, &error));
            render_member_list(&state, &page, None, &form.csv, problems, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(StaffError::Invalid(_)) => {
            let problems = Problems::one("csv", tr(&page, "member-list-no-entries"));
            render_member_list(&state, &page, None, &form.csv, problems, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(other) => internal(other),
    }
}

// ------------------------------------------------------------------ letters

#[derive(Serialize)]
struct LetterRow {
    full_name: String,
    street: String,
    postcode: String,
    city: String,
    code: String,
}

pub async fn letters(State(state): State<AppState>, page: AssociationPage) -> Response {
    let caller = match staff(&state, &page, StaffPower::Administration) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let letters = match state.kindred.letters(&page.tenant.association, caller).await {
        Ok(letters) => letters,
        Err(error) => return internal(error),
    };
    let rows: Vec<LetterRow> = letters
        .into_iter()
        .map(|l| LetterRow {
            full_name: l.address.full_name,
            street: l.address.street,
            postcode: l.address.postcode,
            city: l.address.city,
            code: l.address.code,
        })
        .collect();
    let values = minijinja::context! { letters => rows, pdf_href => link(&page, "/staff/letters.pdf", &[]) };
    render(&state, &page, "/staff/letters", "staff/letters.html", StatusCode::OK, values)
}

/// The same PDF as the API's `/admin/letters.pdf`, for a browser signed in with the session cookie.
pub async fn letters_pdf(State(state): State<AppState>, page: AssociationPage) -> Response {
    let caller = match staff(&state, &page, StaffPower::Administration) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    match state.kindred.letters_pdf(&page.tenant.association, caller).await {
        Ok(pdf) => (
            [
                (header::CONTENT_TYPE, "application/pdf"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"letters.pdf\""),
            ],
            pdf,
        )
            .into_response(),
        Err(error) => internal(error),
    }
}

// ------------------------------------------------------------------ invitations

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CountForm {
    csrf: String,
    count: String,
    label: String,
}

/// What the invitations page shows besides the batches.
pub(super) struct InvitationsView {
    pub(super) count: String,
    pub(super) label: String,
    /// A code typed into the revoke form, shown again with its problem.
    pub(super) code: String,
    /// New codes, shown once.
    pub(super) codes: Vec<String>,
    pub(super) notice: Option<String>,
    pub(super) problems: Problems,
    pub(super) status: StatusCode,
}

pub(super) async fn render_invitations_with(
    state: &AppState,
    page: &AssociationPage,
    caller: &Caller,
    view: InvitationsView,
) -> Response {
    let batches = match super::staff_tools::batch_rows(state, page, caller).await {
        Ok(batches) => batches,
        Err(response) => return response,
    };
    let values = minijinja::context! {
        csrf => page.session.csrf(),
        count => view.count,
        label => view.label,
        label_max => super::staff_tools::LABEL_MAX,
        code => view.code,
        max => MAX_INVITATIONS,
        codes => view.codes,
        batches => batches,
        notice => view.notice,
        problems => view.problems,
    };
    render(state, page, "/staff/invitations", "staff/invitations.html", view.status, values)
}

pub async fn invitations_form(
    State(state): State<AppState>,
    page: AssociationPage,
    Query(query): Query<DoneQuery>,
) -> Response {
    let caller = match staff(&state, &page, StaffPower::Administration) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let view = InvitationsView {
        count: "10".to_owned(),
        label: String::new(),
        code: String::new(),
        codes: Vec::new(),
        notice: notice(&page, &query),
        problems: Problems::default(),
        status: StatusCode::OK,
    };
    render_invitations_with(&state, &page, caller, view).await
}

pub async fn invitations(
    State(state): State<AppState>,
    page: AssociationPage,
    Form(form): Form<CountForm>,
) -> Response {
    let caller = match staff_post(&state, &page, StaffPower::Administration, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let again = |problems: Problems, codes: Vec<String>, status: StatusCode| InvitationsView {
        count: form.count.clone(),
        label: form.label.clone(),
        code: String::new(),
        codes,
        notice: None,
        problems,
        status,
    };
    let bad_count = || {
        let message = tr_args(&page, "invitations-count-problem", &[("max", FluentValue::from(MAX_INVITATIONS))]);
        again(Problems::one("count", message), Vec::new(), StatusCode::UNPROCESSABLE_ENTITY)
    };
    let Some(count) = form.count.trim().parse::<u32>().ok().filter(|c| (1..=MAX_INVITATIONS).contains(c)) else {
        return render_invitations_with(&state, &page, caller, bad_count()).await;
    };
    let label = Some(form.label.as_str());
    let view = match state.kindred.create_invitations(&page.tenant.association, caller, count, label).await {
        // Shown once, so not behind a redirect.
        Ok(codes) => again(Problems::default(), codes, StatusCode::OK),
        Err(StaffError::Invalid(message)) if message.starts_with("label") => {
            let problem = tr_args(
                &page,
                "invitations-label-problem",
                &[("max", FluentValue::from(super::staff_tools::LABEL_MAX))],
            );
            again(Problems::one("label", problem), Vec::new(), StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(StaffError::Invalid(_)) => bad_count(),
        Err(other) => return internal(other),
    };
    render_invitations_with(&state, &page, caller, view).await
}

// ------------------------------------------------------------------ roles

#[derive(Serialize)]
struct MemberRow {
    id: String,
    pseudonym: String,
    role: &'static str,
    role_name: String,
    badge: String,
}

fn member_row(page: &AssociationPage, member: Member) -> MemberRow {
    MemberRow {
        role: member.role.as_str(),
        role_name: role_name(page, member.role),
        badge: member.badge.unwrap_or_default(),
        pseudonym: member.pseudonym,
        id: member.id.to_string(),
    }
}

#[derive(Serialize)]
struct RoleOption {
    value: &'static str,
    label: String,
}

struct RolesView {
    notice: Option<String>,
    search: String,
    found: Option<Member>,
    problems: Problems,
    status: StatusCode,
}

async fn render_roles(state: &AppState, page: &AssociationPage, caller: &Caller, view: RolesView) -> Response {
    let staff = match state.kindred.staff_members(&page.tenant.association, caller).await {
        Ok(staff) => staff,
        Err(error) => return internal(error),
    };
    let staff: Vec<MemberRow> = staff.into_iter().map(|m| member_row(page, m)).collect();
    let roles: Vec<RoleOption> =
        [AccountRole::Member, AccountRole::Professional, AccountRole::Moderator, AccountRole::Admin]
            .into_iter()
            .map(|r| RoleOption { value: r.as_str(), label: role_name(page, r) })
            .collect();
    let values = minijinja::context! {
        csrf => page.session.csrf(),
        staff => staff,
        roles => roles,
        search => view.search,
        found => view.found.map(|m| member_row(page, m)),
        notice => view.notice,
        problems => view.problems,
    };
    render(state, page, "/staff/roles", "staff/roles.html", view.status, values)
}

pub async fn roles(State(state): State<AppState>, page: AssociationPage, Query(query): Query<DoneQuery>) -> Response {
    let caller = match staff(&state, &page, StaffPower::Administration) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let view = RolesView {
        notice: notice(&page, &query),
        search: String::new(),
        found: None,
        problems: Problems::default(),
        status: StatusCode::OK,
    };
    render_roles(&state, &page, caller, view).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FindForm {
    csrf: String,
    pseudonym: String,
}

/// Finds a member by pseudonym (a post, so that pseudonyms stay out of addresses and history).
pub async fn find_member(State(state): State<AppState>, page: AssociationPage, Form(form): Form<FindForm>) -> Response {
    let caller = match staff_post(&state, &page, StaffPower::Administration, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let found = match state.kindred.find_member_for_staff(&page.tenant.association, caller, &form.pseudonym).await {
        Ok(found) => found,
        Err(error) => return internal(error),
    };
    let (problems, status) = match found {
        Some(_) => (Problems::default(), StatusCode::OK),
        None => (Problems::one("pseudonym", tr(&page, "roles-not-found")), StatusCode::UNPROCESSABLE_ENTITY),
    };
    let view = RolesView { notice: None, search: form.pseudonym.trim().to_owned(), found, problems, status };
    render_roles(&state, &page, caller, view).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RoleForm {
    csrf: String,
    role: String,
    badge: String,
}

pub async fn set_role(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<RoleForm>,
) -> Response {
    let caller = match staff_post(&state, &page, StaffPower::Administration, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let association = &page.tenant.association;
    let problem = match AccountRole::parse(&form.role) {
        None => ("role", tr(&page, "roles-role-problem")),
        Some(role) => match state.kindred.set_role(association, caller, &id, role, Some(form.badge.as_str())).await {
            Ok(_) => return see_other(&link(&page, "/staff/roles", &[("done", "role-changed")])),
            Err(StaffError::NoSuchMember) => return StatusCode::NOT_FOUND.into_response(),
            Err(StaffError::Invalid(message)) if message.starts_with("badge") => {
                ("badge", tr(&page, "roles-badge-problem"))
            }
            Err(StaffError::LastAdmin) => ("role", tr(&page, "roles-last-admin")),
            Err(StaffError::Invalid(_)) => ("role", tr(&page, "roles-role-problem")),
            Err(other) => return internal(other),
        },
    };
    let found = match state.kindred.member_for_staff(association, caller, &id).await {
        Ok(Some(member)) => member,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => return internal(error),
    };
    let view = RolesView {
        notice: None,
        search: found.pseudonym.clone(),
        found: Some(found),
        problems: Problems::one(problem.0, problem.1),
        status: StatusCode::UNPROCESSABLE_ENTITY,
    };
    render_roles(&state, &page, caller, view).await
}

// ------------------------------------------------------------------ suspension

#[derive(Serialize)]
struct StatusRow {
    id: String,
    pseudonym: String,
    status: &'static str,
    status_name: String,
}

struct MembersView {
    notice: Option<String>,
    directory: super::staff_tools::DirectoryForm,
    found: Option<Member>,
    problems: Problems,
    status: StatusCode,
}

async fn render_members(state: &AppState, page: &AssociationPage, caller: &Caller, view: MembersView) -> Response {
    let mut problems = view.problems;
    let (directory, shown) =
        match super::staff_tools::directory_values(state, page, caller, &view.directory, &mut problems).await {
            Ok(directory) => directory,
            Err(response) => return response,
        };
    if shown == 0 && view.found.is_none() && !view.directory.pseudonym.trim().is_empty() {
        problems.add("pseudonym", tr(page, "roles-not-found"));
    }
    let status = if problems.is_empty() { view.status } else { StatusCode::UNPROCESSABLE_ENTITY };
    let found = view.found.map(|m| StatusRow {
        id: m.id.to_string(),
        status: m.status.as_str(),
        status_name: tr(page, &format!("member-status-{}", m.status.as_str().replace('_', "-"))),
        pseudonym: m.pseudonym,
    });
    let values = minijinja::context! {
        csrf => page.session.csrf(),
        directory => directory,
        found => found,
        notice => view.notice,
        problems => problems,
    };
    render(state, page, "/staff/members", "staff/members.html", status, values)
}

/// The member directory; suspension and reinstatement of the member chosen.
pub async fn members(State(state): State<AppState>, page: AssociationPage, Query(query): Query<DoneQuery>) -> Response {
    let caller = match staff(&state, &page, StaffPower::Admission) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let view = MembersView {
        notice: notice(&page, &query),
        directory: Default::default(),
        found: None,
        problems: Problems::default(),
        status: StatusCode::OK,
    };
    render_members(&state, &page, caller, view).await
}

/// Searches the directory by (part of a) pseudonym and filters; a member
/// whose pseudonym is the text exactly is chosen for suspension (a post:
/// pseudonyms stay out of addresses).
pub async fn find_for_suspension(
    State(state): State<AppState>,
    page: AssociationPage,
    Form(form): Form<super::staff_tools::DirectoryForm>,
) -> Response {
    let caller = match staff_post(&state, &page, StaffPower::Admission, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let text = form.pseudonym.trim();
    let found = if text.is_empty() {
        None
    } else {
        match state.kindred.find_member_for_staff(&page.tenant.association, caller, text).await {
            Ok(found) => found,
            Err(error) => return internal(error),
        }
    };
    let view = MembersView {
        notice: None,
        directory: form.clone(),
        found,
        problems: Problems::default(),
        status: StatusCode::OK,
    };
    render_members(&state, &page, caller, view).await
}

/// Suspends (`suspend` true) or reinstates a member, with a note for the audit log.
async fn change_suspension(
    state: &AppState,
    page: &AssociationPage,
    id: &str,
    form: &NoteForm,
    suspend: bool,
) -> Response {
    let caller = match staff_post(state, page, StaffPower::Admission, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let association = &page.tenant.association;
    let note = Some(form.note.as_str());
    let result = if suspend {
        state.kindred.suspend(association, caller, id, note).await
    } else {
        state.kindred.reinstate(association, caller, id, note).await
    };
    let problem = match result {
        Ok(_) => {
            let done = if suspend { "member-suspended" } else { "member-reinstated" };
            return see_other(&link(page, "/staff/members", &[("done", done)]));
        }
        Err(StaffError::NoSuchMember) => return StatusCode::NOT_FOUND.into_response(),
        Err(StaffError::Invalid(_)) => ("note", tr(page, "members-note-problem")),
        Err(StaffError::WrongState | StaffError::NotAllowed) => ("note", tr(page, "members-wrong-state")),
        Err(other) => return internal(other),
    };
    let found = match state.kindred.member_for_staff(association, caller, id).await {
        Ok(Some(member)) => member,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => return internal(error),
    };
    let directory = super::staff_tools::DirectoryForm { pseudonym: found.pseudonym.clone(), ..Default::default() };
    let view = MembersView {
        notice: None,
        directory,
        found: Some(found),
        problems: Problems::one(problem.0, problem.1),
        status: StatusCode::UNPROCESSABLE_ENTITY,
    };
    render_members(state, page, caller, view).await
}

pub async fn suspend(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<NoteForm>,
) -> Response {
    change_suspension(&state, &page, &id, &form, true).await
}

pub async fn reinstate(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<NoteForm>,
) -> Response {
    change_suspension(&state, &page, &id, &form, false).await
}

// ------------------------------------------------------------------ flags

#[derive(Serialize)]
struct FlagRow {
    pseudonym: String,
    at: When,
    reason: String,
}

/// The message key and its numbers for a stored reason such as
/// `profile-views: more than 300 in 15 minutes`; `None` for any other text.
fn parse_flag_reason(reason: &str) -> Option<(&'static str, i64, i64)> {
    let (bucket, rest) = reason.split_once(": ")?;
    let key = match bucket {
        "profile-views" => "flags-reason-profile-views",
        "photo-views" => "flags-reason-photo-views",
        "member-searches" => "flags-reason-member-searches",
        _ => return None,
    };
    let (limit, minutes) = rest.strip_prefix("more than ")?.strip_suffix(" minutes")?.split_once(" in ")?;
    Some((key, limit.parse().ok()?, minutes.parse().ok()?))
}

/// A flag's reason as a sentence in the page's language; anything unknown as stored.
fn flag_reason(page: &AssociationPage, reason: &str) -> String {
    match parse_flag_reason(reason) {
        Some((key, limit, minutes)) => {
            tr_args(page, key, &[("limit", FluentValue::from(limit)), ("minutes", FluentValue::from(minutes))])
        }
        None => reason.to_owned(),
    }
}

/// Members flagged to staff for a scraper's pace, newest first (the view is audited).
pub async fn flags(State(state): State<AppState>, page: AssociationPage) -> Response {
    let caller = match staff(&state, &page, StaffPower::Admission) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let flags = match state.kindred.staff_flags(&page.tenant.association, caller).await {
        Ok(flags) => flags,
        Err(error) => return internal(error),
    };
    let rows: Vec<FlagRow> = flags
        .into_iter()
        .map(|f| FlagRow {
            at: when(&page, f.created_at),
            reason: flag_reason(&page, &f.reason),
            pseudonym: f.pseudonym,
        })
        .collect();
    let values = minijinja::context! { flags => rows, csrf => page.session.csrf() };
    render(&state, &page, "/staff/flags", "staff/flags.html", StatusCode::OK, values)
}

// ------------------------------------------------------------------ audit log

/// Entries per page of the audit log.
const AUDIT_PAGE: i64 = 50;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AuditQuery {
    before: Option<String>,
}

#[derive(Serialize)]
struct AuditRow {
    at: When,
    actor: String,
    action: String,
    target: String,
    detail: String,
}

pub async fn audit_log(
    State(state): State<AppState>,
    page: AssociationPage,
    Query(query): Query<AuditQuery>,
) -> Response {
    let caller = match staff(&state, &page, StaffPower::Administration) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let association = &page.tenant.association;
    let before = match query.before.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(cursor) => match state.kindred.open_audit_cursor(association, cursor) {
            Some(before) => Some(before),
            None => return StatusCode::UNPROCESSABLE_ENTITY.into_response(),
        },
        None => None,
    };
    let before_ref = before.as_ref().map(|(at, id)| (*at, id.as_str()));
    let entries = match state.kindred.audit_log(association, caller, before_ref, AUDIT_PAGE).await {
        Ok(entries) => entries,
        Err(error) => return internal(error),
    };
    let older = (entries.len() as i64 == AUDIT_PAGE)
        .then(|| entries.last().and_then(|e| state.kindred.audit_cursor(association, e)))
        .flatten()
        .map(|cursor| link(&page, "/staff/audit-log", &[("before", &cursor)]));
    let unknown = tr(&page, "audit-unknown-member");
    let rows: Vec<AuditRow> = entries
        .into_iter()
        .map(|e| {
            let key = format!("audit-action-{}", e.action.replace(['.', '_'], "-"));
            AuditRow {
                at: when(&page, e.at),
                actor: e.actor_pseudonym.or(e.actor_id.map(|_| unknown.clone())).unwrap_or_default(),
                action: crate::i18n::try_text(super::text::voice(&page), &key).unwrap_or(e.action),
                target: e.target_pseudonym.or(e.target_id.map(|_| unknown.clone())).unwrap_or_default(),
                detail: e.detail.unwrap_or_default(),
            }
        })
        .collect();
    let values = minijinja::context! {
        entries => rows,
        older_href => older,
        newest_href => before.is_some().then(|| link(&page, "/staff/audit-log", &[])),
    };
    render(&state, &page, "/staff/audit-log", "staff/audit_log.html", StatusCode::OK, values)
}

// ------------------------------------------------------------------ statistics

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatisticsQuery {
    from: Option<String>,
    to: Option<String>,
}

/// A count as a cell: the number, or "fewer than N" below the threshold.
fn count_cell(page: &AssociationPage, n: Option<u64>, threshold: u32) -> String {
    match n {
        Some(n) => n.to_string(),
        None => tr_args(page, "statistics-fewer-than", &[("threshold", FluentValue::from(threshold))]),
    }
}

#[derive(Serialize)]
struct StatisticsRow {
    week: String,
    cells: Vec<String>,
}

/// The columns of the table and the CSV, in order: a key and the counts of a week.
fn statistics_columns(week: &kindred_service::statistics::WeekStatistics) -> Vec<(String, Option<u64>)> {
    let mut columns = vec![("registrations".to_owned(), week.registrations)];
    for (procedure, n) in &week.verifications {
        columns.push((format!("verifications-{}", procedure.replace('_', "-")), *n));
    }
    columns.push(("active-members".to_owned(), week.active_members));
    columns.push(("posts".to_owned(), week.posts));
    columns.push(("groups".to_owned(), week.groups));
    columns.push(("events".to_owned(), week.events));
    columns.push(("event-registrations".to_owned(), week.event_registrations));
    columns.push(("messages".to_owned(), week.messages));
    columns.push(("reports".to_owned(), week.reports));
    for (kind, n) in &week.reports_by_kind {
        columns.push((format!("reports-{}", kind.replace('_', "-")), *n));
    }
    columns.push(("reports-handled".to_owned(), week.reports_handled));
    columns
}

/// A bar chart of active members and posts per week, drawn here so that it
/// needs no script; the table below it is its text alternative.
fn statistics_chart(page: &AssociationPage, statistics: &kindred_service::statistics::Statistics) -> String {
    const WIDTH: usize = 640;
    const HEIGHT: usize = 200;
    let series: Vec<(Option<u64>, Option<u64>)> =
        statistics.weeks.iter().map(|w| (w.active_members, w.posts)).collect();
    let max = series.iter().flat_map(|(a, p)| [a.unwrap_or(0), p.unwrap_or(0)]).max().unwrap_or(0).max(1);
    let slot = WIDTH / series.len().max(1);
    let bar = (slot / 3).max(1);
    let height = |n: Option<u64>| (n.unwrap_or(0) as usize * (HEIGHT - 20)) / max as usize;
    let escape = |s: String| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-labelledby=\"chart-title\" \
         aria-describedby=\"statistics-caption\" focusable=\"false\"><title id=\"chart-title\">{}</title>",
        escape(tr(page, "statistics-chart-title"))
    );
    for (i, (active, posts)) in series.iter().enumerate() {
        let x = i * slot + slot / 6;
        let (ha, hp) = (height(*active), height(*posts));
        svg.push_str(&format!(
            "<rect class=\"chart-active\" x=\"{x}\" y=\"{}\" width=\"{bar}\" height=\"{ha}\"/>\
             <rect class=\"chart-posts\" x=\"{}\" y=\"{}\" width=\"{bar}\" height=\"{hp}\"/>",
            HEIGHT - ha,
            x + bar,
            HEIGHT - hp
        ));
    }
    svg.push_str(&format!(
        "<line class=\"chart-axis\" x1=\"0\" y1=\"{HEIGHT}\" x2=\"{WIDTH}\" y2=\"{HEIGHT}\"/></svg>"
    ));
    svg
}

/// The statistics of a period: a chart and a table by week, and a CSV download.
pub async fn statistics(
    State(state): State<AppState>,
    page: AssociationPage,
    Query(query): Query<StatisticsQuery>,
) -> Response {
    if let Err(response) = staff(&state, &page, StaffPower::Administration) {
        return *response;
    }
    let association = &page.tenant.association;
    let today = state.kindred.today();
    let (period, problems) =
        match kindred_service::statistics::Period::parse(query.from.as_deref(), query.to.as_deref(), today) {
            Ok(period) => (period, Problems::default()),
            Err(error) => {
                let field = format!("statistics-{}", error.field());
                let message = tr(
                    &page,
                    &format!(
                        "statistics-error-{}",
                        match error {
                            kindred_service::statistics::PeriodError::NotADate { .. } => "date",
                            kindred_service::statistics::PeriodError::Reversed => "reversed",
                            kindred_service::statistics::PeriodError::TooLong => "too-long",
                        }
                    ),
                );
                let fallback = kindred_service::statistics::Period::parse(None, None, today);
                match fallback {
                    Ok(period) => (period, Problems::one(&field, message)),
                    Err(error) => return internal(error),
                }
            }
        };
    let statistics = match state.kindred.statistics(association, period).await {
        Ok(statistics) => statistics,
        Err(error) => return internal(error),
    };
    let threshold = statistics.count_threshold;
    let headers: Vec<String> = statistics
        .weeks
        .first()
        .map(|w| statistics_columns(w).into_iter().map(|(key, _)| tr(&page, &format!("statistics-{key}"))).collect())
        .unwrap_or_default();
    let rows: Vec<StatisticsRow> = statistics
        .weeks
        .iter()
        .map(|w| StatisticsRow {
            week: w.week_start.to_string(),
            cells: statistics_columns(w).into_iter().map(|(_, n)| count_cell(&page, n, threshold)).collect(),
        })
        .collect();
    let from = period.first.to_string();
    let to = period.last_day().to_string();
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let values = minijinja::context! {
        problems => problems,
        from => query.from.clone().unwrap_or_else(|| from.clone()),
        to => query.to.clone().unwrap_or_else(|| to.clone()),
        threshold => threshold,
        headers => headers,
        rows => rows,
        chart => minijinja::Value::from_safe_string(statistics_chart(&page, &statistics)),
        csv_href => link(&page, "/staff/statistics.csv", &[("from", &from), ("to", &to)]),
    };
    render(&state, &page, "/staff/statistics", "staff/statistics.html", status, values)
}

/// The same statistics as CSV: one line per week, an empty cell below the threshold.
pub async fn statistics_csv(
    State(state): State<AppState>,
    page: AssociationPage,
    Query(query): Query<StatisticsQuery>,
) -> Response {
    if let Err(response) = staff(&state, &page, StaffPower::Administration) {
        return *response;
    }
    let period = match kindred_service::statistics::Period::parse(
        query.from.as_deref(),
        query.to.as_deref(),
        state.kindred.today(),
    ) {
        Ok(period) => period,
        Err(_) => return StatusCode::UNPROCESSABLE_ENTITY.into_response(),
    };
    let statistics = match state.kindred.statistics(&page.tenant.association, period).await {
        Ok(statistics) => statistics,
        Err(error) => return internal(error),
    };
    let mut csv = String::from("week_start");
    if let Some(first) = statistics.weeks.first() {
        for (key, _) in statistics_columns(first) {
            csv.push(',');
            csv.push_str(&key.replace('-', "_"));
        }
    }
    csv.push_str("\r\n");
    for week in &statistics.weeks {
        csv.push_str(&week.week_start.to_string());
        for (_, n) in statistics_columns(week) {
            csv.push(',');
            if let Some(n) = n {
                csv.push_str(&n.to_string());
            }
        }
        csv.push_str("\r\n");
    }
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"statistics.csv\""),
        ],
        csv,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_reasons() {
        let views = parse_flag_reason("profile-views: more than 300 in 15 minutes");
        assert_eq!(views, Some(("flags-reason-profile-views", 300, 15)));
        let searches = parse_flag_reason("member-searches: more than 10 in 15 minutes");
        assert_eq!(searches, Some(("flags-reason-member-searches", 10, 15)));
        assert_eq!(parse_flag_reason("contact-requests: more than 50 in 1440 minutes"), None);
        assert_eq!(parse_flag_reason("profile-views: too many"), None);
        assert_eq!(parse_flag_reason("profile-views"), None);
    }
}
