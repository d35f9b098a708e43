//! Staff pages at the volume of a real association (issue 14): one
//! applicant with what they entered and the decline form, the member
//! directory (partial search, filters, paging), and invitation batches
//! listed and revoked. The service decides and logs; these pages only show.

use super::association::AssociationPage;
use super::confirm::{ask, ask_on_get, confirmed, Confirm};
use super::forms::Problems;
use super::layout::Section;
use super::respond::{internal, link, see_other};
use super::staff::{render, staff, staff_post};
use super::text::{tr, when, When};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use kindred_domain::{AccountRole, AccountStatus};
use kindred_service::admission::StaffPower;
use kindred_service::sessions::{Caller, Member};
use kindred_service::staff::StaffError;
use kindred_service::staff_tools::{BatchState, DirectoryQuery, MAX_LABEL};
use serde::{Deserialize, Serialize};

// ------------------------------------------------------------------ one applicant

#[derive(Serialize)]
struct AddressView {
    full_name: String,
    street: String,
    postcode: String,
    city: String,
}

async fn render_applicant(
    state: &AppState,
    page: &AssociationPage,
    caller: &Caller,
    id: &str,
    message: &str,
    problems: Problems,
    status: StatusCode,
) -> Response {
    let applicant = match state.kindred.applicant(&page.tenant.association, caller, id).await {
        Ok(applicant) => applicant,
        Err(StaffError::NoSuchMember) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => return internal(error),
    };
    let address = applicant.letter.map(|a| AddressView {
        full_name: a.full_name,
        street: a.street,
        postcode: a.postcode,
        city: a.city,
    });
    let values = minijinja::context! {
        csrf => page.session.csrf(),
        id => applicant.member.id.to_string(),
        pseudonym => applicant.member.pseudonym,
        procedure => tr(page, &format!("procedure-{}", applicant.procedure.replace('_', "-"))),
        registered => when(page, applicant.registered_at),
        since => when(page, applicant.requested_at),
        email => applicant.email,
        address => address,
        message => message,
        problems => problems,
    };
    render(state, page, "/staff/verifications", "staff/applicant.html", status, values)
}

pub async fn applicant(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    let caller = match staff(&state, &page, StaffPower::Admission) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    render_applicant(&state, &page, caller, &id, "", Problems::default(), StatusCode::OK).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DeclineForm {
    csrf: String,
    message: String,
}

pub async fn decline(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<DeclineForm>,
) -> Response {
    let caller = match staff_post(&state, &page, StaffPower::Admission, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    match state.kindred.decline(&page.tenant.association, caller, &id, &form.message).await {
        Ok(()) => see_other(&link(&page, "/staff/verifications", &[("done", "declined")])),
        Err(StaffError::NoSuchMember) => StatusCode::NOT_FOUND.into_response(),
        Err(StaffError::WrongState) => see_other(&link(&page, "/staff/verifications", &[("done", "already-done")])),
        Err(StaffError::Invalid(_)) => {
            let problems = Problems::one("message", tr(&page, "applicant-decline-problem"));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render_applicant(&state, &page, caller, &id, &form.message, problems, status).await
        }
        Err(other) => internal(other),
    }
}

// ------------------------------------------------------------------ directory

#[derive(Serialize)]
pub(super) struct DirectoryRow {
    id: String,
    pseudonym: String,
    role_name: String,
    status: &'static str,
    status_name: String,
    joined: When,
}

#[derive(Serialize)]
pub(super) struct FilterOption {
    value: &'static str,
    label: String,
    selected: bool,
}

/// The directory's form as posted (or empty on the first look).
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct DirectoryForm {
    pub(super) csrf: String,
    pub(super) pseudonym: String,
    pub(super) role: String,
    pub(super) status: String,
    pub(super) after: String,
}

const ROLES: [AccountRole; 4] =
    [AccountRole::Member, AccountRole::Professional, AccountRole::Moderator, AccountRole::Admin];
const STATUSES: [AccountStatus; 4] =
    [AccountStatus::Active, AccountStatus::Unverified, AccountStatus::EmailUnconfirmed, AccountStatus::Suspended];

fn status_name(page: &AssociationPage, status: AccountStatus) -> String {
    tr(page, &format!("member-status-{}", status.as_str().replace('_', "-")))
}

/// The directory's page of members for the form, with its filters as
/// options and the problems of the form; the service logs the look.
pub(super) async fn directory_values(
    state: &AppState,
    page: &AssociationPage,
    caller: &Caller,
    form: &DirectoryForm,
    problems: &mut Problems,
) -> Result<(minijinja::Value, usize), Response> {
    let role = match form.role.as_str() {
        "" => None,
        raw => {
            let role = AccountRole::parse(raw);
            if role.is_none() {
                problems.add("role", tr(page, "directory-filter-problem"));
            }
            role
        }
    };
    let status = match form.status.as_str() {
        "" => None,
        raw => {
            let status = AccountStatus::parse(raw);
            if status.is_none() {
                problems.add("status", tr(page, "directory-filter-problem"));
            }
            status
        }
    };
    let query = DirectoryQuery {
        text: form.pseudonym.clone(),
        role,
        status,
        after: Some(form.after.clone()).filter(|a| !a.is_empty()),
    };
    let found = match state.kindred.staff_directory(&page.tenant.association, caller, &query).await {
        Ok(found) => Some(found),
        Err(StaffError::Invalid(_)) => {
            problems.add("pseudonym", tr(page, "directory-text-problem"));
            None
        }
        Err(error) => return Err(internal(error)),
    };
    let (rows, next) = match found {
        Some(found) => {
            let rows: Vec<DirectoryRow> =
                found.members.into_iter().map(|(m, joined)| directory_row(page, m, joined)).collect();
            (rows, found.next)
        }
        None => (Vec::new(), None),
    };
    let roles: Vec<FilterOption> = ROLES
        .into_iter()
        .map(|r| FilterOption {
            value: r.as_str(),
            label: tr(page, &format!("role-{}", r.as_str())),
            selected: role == Some(r),
        })
        .collect();
    let statuses: Vec<FilterOption> = STATUSES
        .into_iter()
        .map(|s| FilterOption { value: s.as_str(), label: status_name(page, s), selected: status == Some(s) })
        .collect();
    let shown = rows.len();
    Ok((
        minijinja::context! {
            rows => rows,
            next => next,
            paged => !form.after.is_empty(),
            roles => roles,
            statuses => statuses,
            search => form.pseudonym.trim(),
            role => role.map(AccountRole::as_str).unwrap_or(""),
            status => status.map(AccountStatus::as_str).unwrap_or(""),
        },
        shown,
    ))
}

fn directory_row(page: &AssociationPage, member: Member, joined: chrono::DateTime<chrono::Utc>) -> DirectoryRow {
    DirectoryRow {
        id: member.id.to_string(),
        role_name: tr(page, &format!("role-{}", member.role.as_str())),
        status: member.status.as_str(),
        status_name: status_name(page, member.status),
        joined: when(page, joined),
        pseudonym: member.pseudonym,
    }
}

// ------------------------------------------------------------------ invitations

#[derive(Serialize)]
pub(super) struct BatchRow {
    id: Option<String>,
    label: String,
    created: When,
    expires: When,
    total: i64,
    used: i64,
    revoked: i64,
    open: i64,
}

/// The batches for the invitations page (the look is logged).
pub(super) async fn batch_rows(
    state: &AppState,
    page: &AssociationPage,
    caller: &Caller,
) -> Result<Vec<BatchRow>, Response> {
    let batches = state.kindred.invitation_batches(&page.tenant.association, caller).await.map_err(internal)?;
    Ok(batches
        .into_iter()
        .map(|BatchState { batch: b, open }| BatchRow {
            id: b.batch_id,
            label: b.label.unwrap_or_default(),
            created: when(page, b.created_at),
            expires: when(page, b.expires_at),
            total: b.total,
            used: b.used,
            revoked: b.revoked,
            open,
        })
        .collect())
}

/// The longest label, for the form's hint.
pub(super) const LABEL_MAX: usize = MAX_LABEL;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CsrfForm {
    csrf: String,
    /// Present once the admin confirmed (`pages::confirm`).
    confirm: Option<String>,
}

/// Revoking a batch asks first; the page names no batch (as every
/// confirmation page: `pages::confirm`).
fn revoke_batch_confirm(batch: &str) -> Confirm {
    Confirm {
        kind: "revoke-batch",
        action: format!("/staff/invitations/{batch}/revoke"),
        fields: Vec::new(),
        cancel: "/staff/invitations".to_owned(),
        section: Section::Staff,
    }
}

/// GET of the revoke address: the confirmation page, for admins.
pub async fn revoke_batch_page(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, batch)): Path<(String, String)>,
) -> Response {
    if let Err(response) = staff(&state, &page, StaffPower::Administration) {
        return *response;
    }
    ask_on_get(&state, &page, revoke_batch_confirm(&batch))
}

pub async fn revoke_batch(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, batch)): Path<(String, String)>,
    Form(form): Form<CsrfForm>,
) -> Response {
    let caller = match staff_post(&state, &page, StaffPower::Administration, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    if !confirmed(form.confirm.as_deref()) {
        return ask(&state, &page, revoke_batch_confirm(&batch));
    }
    match state.kindred.revoke_invitation_batch(&page.tenant.association, caller, &batch).await {
        Ok(n) => {
            let count = n.to_string();
            see_other(&link(&page, "/staff/invitations", &[("done", "invitations-revoked"), ("count", &count)]))
        }
        Err(StaffError::NoSuchMember) => StatusCode::NOT_FOUND.into_response(),
        Err(other) => internal(other),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CodeForm {
    pub(super) csrf: String,
    pub(super) code: String,
    /// Present once the admin confirmed (`pages::confirm`).
    pub(super) confirm: Option<String>,
}

/// GET of the revoke-code address (a reload of its confirmation page):
/// back to the invitations page, where the code is typed in.
pub async fn revoke_code_page(State(state): State<AppState>, page: AssociationPage) -> Response {
    if let Err(response) = staff(&state, &page, StaffPower::Administration) {
        return *response;
    }
    see_other(&link(&page, "/staff/invitations", &[]))
}

/// Revokes one code typed in; the page again with the problem if there is
/// no such unused code.
pub async fn revoke_code(State(state): State<AppState>, page: AssociationPage, Form(form): Form<CodeForm>) -> Response {
    let caller = match staff_post(&state, &page, StaffPower::Administration, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    // A code typed in is confirmed first (nothing is looked up before: the
    // page is the same for any code); an empty one is a problem at once.
    if !form.code.trim().is_empty() && !confirmed(form.confirm.as_deref()) {
        let confirm = Confirm {
            kind: "revoke-code",
            action: "/staff/invitations/revoke-code".to_owned(),
            fields: vec![("code", form.code.clone())],
            cancel: "/staff/invitations".to_owned(),
            section: Section::Staff,
        };
        return ask(&state, &page, confirm);
    }
    let problem = match state.kindred.revoke_invitation_code(&page.tenant.association, caller, &form.code).await {
        Ok(true) => {
            return see_other(&link(&page, "/staff/invitations", &[("done", "invitations-revoked"), ("count", "1")]))
        }
        Ok(false) => tr(&page, "invitations-revoke-unknown"),
        Err(StaffError::Invalid(_)) => tr(&page, "invitations-revoke-malformed"),
        Err(other) => return internal(other),
    };
    super::staff::render_invitations_with(
        &state,
        &page,
        caller,
        super::staff::InvitationsView {
            count: "10".to_owned(),
            label: String::new(),
            code: form.code.clone(),
            codes: Vec::new(),
            notice: None,
            problems: Problems::one("code", problem),
            status: StatusCode::UNPROCESSABLE_ENTITY,
        },
    )
    .await
}
