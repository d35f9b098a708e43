//! Accounts and admission on the pages: register, confirm the e-mail
//! address, sign in (with a second factor) and out, reset and change the
//! password, and the member's own account page ("where you stand", the
//! verification forms, sessions, two-factor).
//!
//! Every form works without JavaScript. A form with errors is shown again
//! (422, or 401 for a failed sign-in) with the values kept — never a
//! password — an error summary at the top and a message at each field.
//! After a successful post the browser is sent on with 303; a short notice
//! on the next page comes from `?done=…` (a fixed list of keys, see
//! [`notice`]).

use super::association::AssociationPage;
use super::confirm::{ask, ask_on_get, confirmed, Confirm};
use super::forms::{reauth_problems, signed_in, signed_in_post, Problems};
use super::layout::{render_status, Section};
use super::respond::{after_sign_in, internal, link, message, refused, see_other, wait, LinkView};
use super::text::{notice, tr, when, DoneQuery, When};
use crate::auth::{clear_cookie, session_cookie};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use kindred_domain::return_to::ReturnTo;
use kindred_domain::settings::AdmissionProcedure;
use kindred_domain::AccountStatus;
use kindred_service::accounts::{AccountError, FieldProblem, Registration};
use kindred_service::admission::VerifyError;
use kindred_service::reauth::Proof;
use kindred_service::second_factor::{SecondFactorError, TotpSetup};
use kindred_service::sessions::{Caller, Login, LoginError, SessionKind};
use serde::{Deserialize, Serialize};

fn field_problem(page: &AssociationPage, problem: FieldProblem) -> String {
    tr(page, &format!("problem-{}", problem.key()))
}

// ------------------------------------------------------------------ register

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RegisterForm {
    email: String,
    pseudonym: String,
    password: String,
    accept_terms: Option<String>,
}

fn render_register(
    state: &AppState,
    page: &AssociationPage,
    form: &RegisterForm,
    problems: Problems,
    status: StatusCode,
) -> Response {
    let settings = &page.tenant.association.settings;
    let values = minijinja::context! {
        email => form.email,
        pseudonym => form.pseudonym,
        accept_terms => form.accept_terms.is_some(),
        terms_version => settings.admission.terms_version,
        privacy_href => link(page, "/privacy", &[]),
        terms_href => link(page, "/terms", &[]),
        sign_in_href => link(page, "/sign-in", &[]),
        problems => problems,
    };
    render_status(state, status, "account/register.html", page.layout("/register", Section::Register), values)
}

pub async fn register_form(State(state): State<AppState>, page: AssociationPage) -> Response {
    if page.session.caller().is_some() {
        return see_other(&link(&page, "/account", &[]));
    }
    render_register(&state, &page, &RegisterForm::default(), Problems::default(), StatusCode::OK)
}

pub async fn register(
    State(state): State<AppState>,
    page: AssociationPage,
    Form(form): Form<RegisterForm>,
) -> Response {
    if !page.same_origin {
        return refused(&state, &page);
    }
    let registration = Registration {
        email: &form.email,
        password: &form.password,
        pseudonym: &form.pseudonym,
        accept_terms: form.accept_terms.is_some(),
        language: page.language,
        client: &page.client,
    };
    match state.kindred.register(&page.tenant.association, registration).await {
        Ok(_) => see_other(&link(&page, "/register/sent", &[])),
        Err(AccountError::Invalid(found)) => {
            let mut problems = Problems::default();
            // In the order of the form.
            for field in ["email", "pseudonym", "password", "accept_terms"] {
                for (_, problem) in found.iter().filter(|(f, _)| *f == field) {
                    problems.add(field, field_problem(&page, *problem));
                }
            }
            render_register(&state, &page, &form, problems, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(AccountError::Throttled(t)) => wait(&state, &page, t.retry_after),
        Err(other) => internal(other),
    }
}

pub async fn register_sent(State(state): State<AppState>, page: AssociationPage) -> Response {
    message(
        &state,
        &page,
        StatusCode::OK,
        "/register/sent",
        tr(&page, "check-mail-title"),
        vec![tr(&page, "register-sent-text"), tr(&page, "register-sent-next"), tr(&page, "check-mail-spam")],
        vec![LinkView { href: link(&page, "/", &[]), label: tr(&page, "error-home-link") }],
    )
}

// ------------------------------------------------------------------ confirm e-mail

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenForm {
    token: String,
}

fn bad_link(state: &AppState, page: &AssociationPage, status: StatusCode, kind: &str) -> Response {
    let (path, links) = match kind {
        "reset" => (
            "/reset-password",
            vec![LinkView { href: link(page, "/forgot-password", &[]), label: tr(page, "bad-link-new-reset") }],
        ),
        _ => (
            "/confirm-email",
            vec![LinkView { href: link(page, "/sign-in", &[]), label: tr(page, "bad-link-sign-in") }],
        ),
    };
    message(
        state,
        page,
        status,
        path,
        tr(page, "bad-link-title"),
        vec![tr(page, "bad-link-text"), tr(page, &format!("bad-link-{kind}-next"))],
        links,
    )
}

/// Shows a button: mail scanners follow links, so only a post uses the token.
pub async fn confirm_email_form(
    State(state): State<AppState>,
    page: AssociationPage,
    Query(query): Query<TokenForm>,
) -> Response {
    if query.token.trim().is_empty() {
        return bad_link(&state, &page, StatusCode::BAD_REQUEST, "confirm");
    }
    let values = minijinja::context! { token => query.token.trim(), problems => Problems::default() };
    render_status(
        &state,
        StatusCode::OK,
        "account/confirm_email.html",
        page.layout("/confirm-email", Section::None),
        values,
    )
}

pub async fn confirm_email(
    State(state): State<AppState>,
    page: AssociationPage,
    Form(form): Form<TokenForm>,
) -> Response {
    if !page.same_origin {
        return refused(&state, &page);
    }
    match state.kindred.confirm_email(&page.tenant.association, &form.token).await {
        // Told only here, to the holder of the link: registration answered alike.
        Ok(confirmed) if confirmed.pseudonym_needed => message(
            &state,
            &page,
            StatusCode::OK,
            "/confirm-email/done",
            tr(&page, "confirmed-title"),
            vec![tr(&page, "confirmed-text"), tr(&page, "confirmed-pseudonym-taken")],
            vec![LinkView { href: link(&page, "/account/pseudonym", &[]), label: tr(&page, "pseudonym-title") }],
        ),
        Ok(_) => see_other(&link(&page, "/confirm-email/done", &[])),
        Err(AccountError::InvalidToken) => bad_link(&state, &page, StatusCode::UNPROCESSABLE_ENTITY, "confirm"),
        Err(AccountError::Throttled(t)) => wait(&state, &page, t.retry_after),
        Err(other) => internal(other),
    }
}

pub async fn email_confirmed(State(state): State<AppState>, page: AssociationPage) -> Response {
    let next = if page.session.caller().is_some() {
        LinkView { href: link(&page, "/account", &[]), label: tr(&page, "confirmed-to-account") }
    } else {
        LinkView { href: link(&page, "/sign-in", &[]), label: tr(&page, "confirmed-sign-in") }
    };
    message(
        &state,
        &page,
        StatusCode::OK,
        "/confirm-email/done",
        tr(&page, "confirmed-title"),
        vec![tr(&page, "confirmed-text"), tr(&page, "confirmed-next")],
        vec![next],
    )
}

// ------------------------------------------------------------------ sign in and out

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SignInForm {
    email: String,
    password: String,
    /// The page to return to (`ReturnTo`), carried from `?next=`.
    next: String,
}

/// `?next=` on the sign-in pages: where to return afterwards.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NextQuery {
    next: String,
}

impl NextQuery {
    fn parsed(&self) -> Option<ReturnTo> {
        ReturnTo::parse(&self.next)
    }
}

fn render_sign_in(
    state: &AppState,
    page: &AssociationPage,
    email: &str,
    next: Option<&ReturnTo>,
    problems: Problems,
    notice: Option<String>,
    status: StatusCode,
) -> Response {
    let values = minijinja::context! {
        email => email,
        next => next.map(ReturnTo::as_str),
        problems => problems,
        notice => notice,
        forgot_href => link(page, "/forgot-password", &[]),
        register_href => link(page, "/register", &[]),
    };
    render_status(state, status, "account/sign_in.html", page.layout("/sign-in", Section::SignIn), values)
}

pub async fn sign_in_form(
    State(state): State<AppState>,
    page: AssociationPage,
    Query(query): Query<DoneQuery>,
    Query(next): Query<NextQuery>,
) -> Response {
    let next = next.parsed();
    if let Some(caller) = page.session.caller() {
        return see_other(&after_sign_in(&page, next.as_ref(), caller.member.status));
    }
    let notice = notice(&page, &query);
    render_sign_in(&state, &page, "", next.as_ref(), Problems::default(), notice, StatusCode::OK)
}

pub async fn sign_in(State(state): State<AppState>, page: AssociationPage, Form(form): Form<SignInForm>) -> Response {
    if !page.same_origin {
        return refused(&state, &page);
    }
    let association = &page.tenant.association;
    let next = ReturnTo::parse(&form.next);
    let login = Login {
        email: &form.email,
        password: &form.password,
        second_factor: None,
        kind: SessionKind::Web,
        client: &page.client,
    };
    match state.kindred.login(association, login).await {
        Ok(session) => {
            // A new session every time; the one the browser held ends.
            if let Some(old) = page.session.token() {
                if let Err(error) = state.kindred.logout(association, old).await {
                    tracing::error!(%error, "ending the previous session failed");
                }
            }
            let location = if session.second_factor_pending {
                let query: Vec<(&str, &str)> = next.iter().map(|n| ("next", n.as_str())).collect();
                link(&page, "/sign-in/second-factor", &query)
            } else {
                after_sign_in(&page, next.as_ref(), session.status)
            };
            let mut response = see_other(&location);
            response.headers_mut().insert(header::SET_COOKIE, session_cookie(&page.tenant, &session.token));
            response
        }
        Err(LoginError::InvalidCredentials | LoginError::InvalidSecondFactor | LoginError::SecondFactorRequired) => {
            let problems = Problems::one("email", tr(&page, "sign-in-wrong"));
            render_sign_in(&state, &page, &form.email, next.as_ref(), problems, None, StatusCode::UNAUTHORIZED)
        }
        Err(LoginError::Suspended) => {
            let problems = Problems::general("email", tr(&page, "sign-in-suspended"));
            render_sign_in(&state, &page, &form.email, next.as_ref(), problems, None, StatusCode::FORBIDDEN)
        }
        Err(LoginError::Throttled(t)) => wait(&state, &page, t.retry_after),
        Err(other) => internal(other),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CodeForm {
    csrf: String,
    code: String,
    /// The page to return to (`ReturnTo`), carried from `?next=`.
    next: String,
}

fn render_second_factor(
    state: &AppState,
    page: &AssociationPage,
    next: Option<&ReturnTo>,
    problems: Problems,
    status: StatusCode,
) -> Response {
    let values = minijinja::context! {
        next => next.map(ReturnTo::as_str),
        csrf => page.session.csrf(),
        problems => problems,
        passkey => super::passkeys::sign_in_offer(state, page),
    };
    render_status(
        state,
        status,
        "account/second_factor.html",
        page.layout("/sign-in/second-factor", Section::SignIn),
        values,
    )
}

pub async fn second_factor_form(
    State(state): State<AppState>,
    page: AssociationPage,
    Query(next): Query<NextQuery>,
) -> Response {
    let next = next.parsed();
    if let Some(caller) = page.session.caller() {
        return see_other(&after_sign_in(&page, next.as_ref(), caller.member.status));
    }
    if page.session.pending().is_none() {
        return see_other(&link(&page, "/sign-in", &[]));
    }
    render_second_factor(&state, &page, next.as_ref(), Problems::default(), StatusCode::OK)
}

pub async fn second_factor(
    State(state): State<AppState>,
    page: AssociationPage,
    Form(form): Form<CodeForm>,
) -> Response {
    let next = ReturnTo::parse(&form.next);
    if let Some(caller) = page.session.caller() {
        return see_other(&after_sign_in(&page, next.as_ref(), caller.member.status));
    }
    let Some(caller) = page.session.pending() else { return see_other(&link(&page, "/sign-in", &[])) };
    if !page.same_origin || !page.session.check_csrf(&form.csrf) {
        return refused(&state, &page);
    }
    match state.kindred.complete_second_factor(&page.tenant.association, caller, &page.client, form.code.trim()).await {
        Ok(()) => see_other(&after_sign_in(&page, next.as_ref(), caller.member.status)),
        Err(SecondFactorError::InvalidCode | SecondFactorError::NotStarted) => {
            let problems = Problems::one("code", tr(&page, "problem-code-wrong"));
            render_second_factor(&state, &page, next.as_ref(), problems, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(SecondFactorError::Throttled(t)) => wait(&state, &page, t.retry_after),
        Err(other) => internal(other),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CsrfForm {
    csrf: String,
    /// Ending a session: present once the member confirmed (`pages::confirm`).
    confirm: Option<String>,
}

pub async fn sign_out(State(state): State<AppState>, page: AssociationPage, Form(form): Form<CsrfForm>) -> Response {
    let signed_in = page.session.caller().is_some() || page.session.pending().is_some();
    if signed_in && (!page.same_origin || !page.session.check_csrf(&form.csrf)) {
        return refused(&state, &page);
    }
    if let (true, Some(token)) = (signed_in, page.session.token()) {
        if let Err(error) = state.kindred.logout(&page.tenant.association, token).await {
            return internal(error);
        }
    }
    let mut response = see_other(&link(&page, "/sign-in", &[("done", "signed-out")]));
    response.headers_mut().insert(header::SET_COOKIE, clear_cookie(&page.tenant));
    response
}

// ------------------------------------------------------------------ forgotten password

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EmailForm {
    email: String,
}

pub async fn forgot_form(State(state): State<AppState>, page: AssociationPage) -> Response {
    let values = minijinja::context! { problems => Problems::default(), sign_in_href => link(&page, "/sign-in", &[]) };
    render_status(&state, StatusCode::OK, "account/forgot.html", page.layout("/forgot-password", Section::None), values)
}

pub async fn forgot(State(state): State<AppState>, page: AssociationPage, Form(form): Form<EmailForm>) -> Response {
    if !page.same_origin {
        return refused(&state, &page);
    }
    match state.kindred.request_password_reset(&page.tenant.association, &form.email, &page.client).await {
        Ok(()) => see_other(&link(&page, "/forgot-password/sent", &[])),
        Err(AccountError::Throttled(t)) => wait(&state, &page, t.retry_after),
        Err(other) => internal(other),
    }
}

pub async fn forgot_sent(State(state): State<AppState>, page: AssociationPage) -> Response {
    message(
        &state,
        &page,
        StatusCode::OK,
        "/forgot-password/sent",
        tr(&page, "check-mail-title"),
        vec![tr(&page, "forgot-sent-text"), tr(&page, "forgot-sent-next"), tr(&page, "check-mail-spam")],
        vec![LinkView { href: link(&page, "/sign-in", &[]), label: tr(&page, "nav-sign-in") }],
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResetForm {
    token: String,
    password: String,
}

fn render_reset(
    state: &AppState,
    page: &AssociationPage,
    token: &str,
    problems: Problems,
    status: StatusCode,
) -> Response {
    let values = minijinja::context! { token => token, problems => problems };
    render_status(state, status, "account/reset.html", page.layout("/reset-password", Section::None), values)
}

pub async fn reset_form(
    State(state): State<AppState>,
    page: AssociationPage,
    Query(query): Query<TokenForm>,
) -> Response {
    if query.token.trim().is_empty() {
        return bad_link(&state, &page, StatusCode::BAD_REQUEST, "reset");
    }
    render_reset(&state, &page, query.token.trim(), Problems::default(), StatusCode::OK)
}

pub async fn reset(State(state): State<AppState>, page: AssociationPage, Form(form): Form<ResetForm>) -> Response {
    if !page.same_origin {
        return refused(&state, &page);
    }
    match state.kindred.reset_password(&page.tenant.association, &form.token, &form.password).await {
        Ok(_) => {
            // Every session of the account has ended, this browser's too.
            let mut response = see_other(&link(&page, "/sign-in", &[("done", "password-reset")]));
            if page.session.token().is_some() {
                response.headers_mut().insert(header::SET_COOKIE, clear_cookie(&page.tenant));
            }
            response
        }
        Err(AccountError::Invalid(found)) => {
            let mut problems = Problems::default();
            for (_, problem) in &found {
                problems.add("password", field_problem(&page, *problem));
            }
            render_reset(&state, &page, form.token.trim(), problems, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(AccountError::InvalidToken) => bad_link(&state, &page, StatusCode::UNPROCESSABLE_ENTITY, "reset"),
        Err(AccountError::Throttled(t)) => wait(&state, &page, t.retry_after),
        Err(other) => internal(other),
    }
}

// ------------------------------------------------------------------ the account page

/// Values of the verification forms, kept when one is shown again.
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub struct VerifyForm {
    #[serde(skip_serializing)]
    csrf: String,
    member_number: String,
    postcode: String,
    birth_date: String,
    full_name: String,
    street: String,
    city: String,
    code: String,
}

/// Which verification form a post came from (the ids of its fields start with it).
#[derive(Clone, Copy, PartialEq, Eq)]
enum VerifyKind {
    MemberNumber,
    Letter,
    LetterCode,
    Invitation,
    Manual,
}

impl VerifyKind {
    fn prefix(self) -> &'static str {
        match self {
            Self::MemberNumber => "mn",
            Self::Letter => "letter",
            Self::LetterCode => "lettercode",
            Self::Invitation => "invitation",
            Self::Manual => "manual",
        }
    }
}

#[derive(Serialize, Default)]
struct AccountValues {
    /// The post's form (e.g. "mn") and its values; other forms stay empty.
    form: &'static str,
    values: VerifyForm,
}

#[derive(Serialize)]
struct ProcedureView {
    code: &'static str,
    name: String,
}

async fn render_account(
    state: &AppState,
    page: &AssociationPage,
    caller: &Caller,
    notice: Option<String>,
    kept: AccountValues,
    problems: Problems,
    status: StatusCode,
) -> Response {
    let association = &page.tenant.association;
    let member = &caller.member;
    let procedures: Vec<ProcedureView> = association
        .settings
        .admission
        .procedures
        .iter()
        .map(|p| ProcedureView {
            code: p.as_str(),
            name: tr(page, &format!("admission-{}", p.as_str().replace('_', "-"))),
        })
        .collect();
    let request = if member.status == AccountStatus::Unverified {
        match state.kindred.verification_request(association, member).await {
            Ok(request) => request,
            Err(error) => return internal(error),
        }
    } else {
        None
    };
    let waiting_for = request.as_ref().map(|(p, _)| p.clone()).unwrap_or_default();
    let since = request.map(|(_, at)| when(page, at));
    let offered = |p: AdmissionProcedure| association.settings.admission.procedures.contains(&p);
    let values = minijinja::context! {
        pseudonym => member.pseudonym,
        email => member.email,
        status => member.status.as_str(),
        role => tr(page, &format!("role-{}", member.role.as_str())),
        is_staff => member.is_staff(),
        procedures => procedures,
        offers_member_number => offered(AdmissionProcedure::MemberNumber),
        offers_letter => offered(AdmissionProcedure::Letter),
        offers_invitation => offered(AdmissionProcedure::Invitation),
        offers_manual => offered(AdmissionProcedure::Manual),
        waiting_for => waiting_for,
        since => since,
        needs_second_factor => state.kindred.second_factor_required(association, caller) && !member.has_second_factor(),
        has_totp => member.has_totp,
        csrf => page.session.csrf(),
        kept => kept,
        problems => problems,
        notice => notice,
    };
    render_status(state, status, "account/account.html", page.layout("/account", Section::Account), values)
}

pub async fn account(State(state): State<AppState>, page: AssociationPage, Query(query): Query<DoneQuery>) -> Response {
    let caller = match signed_in(&page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let notice = notice(&page, &query);
    render_account(&state, &page, caller, notice, AccountValues::default(), Problems::default(), StatusCode::OK).await
}

pub async fn resend_confirmation(
    State(state): State<AppState>,
    page: AssociationPage,
    Form(form): Form<CsrfForm>,
) -> Response {
    let caller = match signed_in_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    match state.kindred.resend_confirmation(&page.tenant.association, &caller.member).await {
        Ok(()) => see_other(&link(&page, "/account", &[("done", "confirmation-sent")])),
        Err(AccountError::Throttled(t)) => wait(&state, &page, t.retry_after),
        Err(other) => internal(other),
    }
}

async fn verify(state: AppState, page: AssociationPage, kind: VerifyKind, form: VerifyForm) -> Response {
    let caller = match signed_in_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let association = &page.tenant.association;
    let member = &caller.member;
    let kindred = &state.kindred;
    let result = match kind {
        VerifyKind::MemberNumber => kindred
            .verify_member_number(association, member, &form.member_number, &form.postcode, &form.birth_date)
            .await
            .map(|_| "verified"),
        VerifyKind::Letter => kindred
            .request_letter(association, member, &form.full_name, &form.street, &form.postcode, &form.city)
            .await
            .map(|()| "letter-requested"),
        VerifyKind::LetterCode => kindred.confirm_letter(association, member, &form.code).await.map(|_| "verified"),
        VerifyKind::Invitation => kindred.verify_invitation(association, member, &form.code).await.map(|_| "verified"),
        VerifyKind::Manual => kindred.request_manual(association, member).await.map(|()| "manual-requested"),
    };
    let prefix = kind.prefix();
    let first_field = match kind {
        VerifyKind::MemberNumber => "mn-member_number",
        VerifyKind::Letter => "letter-full_name",
        VerifyKind::LetterCode => "lettercode-code",
        VerifyKind::Invitation => "invitation-code",
        VerifyKind::Manual => "manual-button",
    };
    let (problems, status) = match result {
        Ok(done) => return see_other(&link(&page, "/account", &[("done", done)])),
        // The state changed meanwhile (verified in another window, say): show where it stands.
        Err(VerifyError::NotWaiting) => return see_other(&link(&page, "/account", &[("done", "already-done")])),
        Err(VerifyError::NotOffered) => return StatusCode::NOT_FOUND.into_response(),
        Err(VerifyError::NoMatch) => {
            let key = match kind {
                VerifyKind::MemberNumber => "verify-member-number-no-match",
                _ => "verify-code-wrong",
            };
            let problems = match kind {
                // A mismatch does not say which entry was wrong.
                VerifyKind::MemberNumber => Problems::general(first_field, tr(&page, key)),
                _ => Problems::one(first_field, tr(&page, key)),
            };
            (problems, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(VerifyError::Invalid(found)) => {
            let mut problems = Problems::default();
            for field in ["full_name", "street", "postcode", "city"] {
                if found.iter().any(|(f, _)| *f == field) {
                    problems.add(&format!("{prefix}-{field}"), tr(&page, &format!("verify-letter-problem-{field}")));
                }
            }
            (problems, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(VerifyError::NoLetter) => {
            (Problems::one(first_field, tr(&page, "verify-no-letter")), StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(VerifyError::Throttled(_)) if kind == VerifyKind::LetterCode => {
            (Problems::one(first_field, tr(&page, "verify-letter-code-used-up")), StatusCode::TOO_MANY_REQUESTS)
        }
        Err(VerifyError::Throttled(t)) => return wait(&state, &page, t.retry_after),
        Err(other) => return internal(other),
    };
    let kept = AccountValues { form: prefix, values: VerifyForm { csrf: String::new(), ..form } };
    render_account(&state, &page, caller, None, kept, problems, status).await
}

pub async fn verify_member_number(
    State(state): State<AppState>,
    page: AssociationPage,
    Form(form): Form<VerifyForm>,
) -> Response {
    verify(state, page, VerifyKind::MemberNumber, form).await
}

pub async fn verify_letter(
    State(state): State<AppState>,
    page: AssociationPage,
    Form(form): Form<VerifyForm>,
) -> Response {
    verify(state, page, VerifyKind::Letter, form).await
}

pub async fn verify_letter_code(
    State(state): State<AppState>,
    page: AssociationPage,
    Form(form): Form<VerifyForm>,
) -> Response {
    verify(state, page, VerifyKind::LetterCode, form).await
}

pub async fn verify_invitation(
    State(state): State<AppState>,
    page: AssociationPage,
    Form(form): Form<VerifyForm>,
) -> Response {
    verify(state, page, VerifyKind::Invitation, form).await
}

pub async fn verify_manual(
    State(state): State<AppState>,
    page: AssociationPage,
    Form(form): Form<VerifyForm>,
) -> Response {
    verify(state, page, VerifyKind::Manual, form).await
}

// ------------------------------------------------------------------ sessions

#[derive(Serialize)]
struct SessionRow {
    id: String,
    client: String,
    kind: String,
    created: When,
    last_used: When,
    current: bool,
}

pub async fn sessions(
    State(state): State<AppState>,
    page: AssociationPage,
    Query(query): Query<DoneQuery>,
) -> Response {
    let caller = match signed_in(&page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let list = match state.kindred.sessions(&page.tenant.association, &caller.member.id).await {
        Ok(list) => list,
        Err(error) => return internal(error),
    };
    let rows: Vec<SessionRow> = list
        .into_iter()
        .map(|s| SessionRow {
            current: s.id == caller.session_id,
            kind: tr(&page, if s.kind == "web" { "sessions-kind-web" } else { "sessions-kind-api" }),
            client: if s.client.is_empty() || s.client == "Other" {
                tr(&page, "sessions-client-unknown")
            } else {
                s.client
            },
            created: when(&page, s.created_at),
            last_used: when(&page, s.last_used_at),
            id: s.id,
        })
        .collect();
    let values = minijinja::context! {
        sessions => rows,
        csrf => page.session.csrf(),
        notice => notice(&page, &query),
        problems => Problems::default(),
    };
    render_status(
        &state,
        StatusCode::OK,
        "account/sessions.html",
        page.layout("/account/sessions", Section::Account),
        values,
    )
}

/// Ending a session asks first (`pages::confirm`).
fn end_session_confirm(id: &str) -> Confirm {
    Confirm {
        kind: "end-session",
        action: format!("/account/sessions/{id}/revoke"),
        fields: Vec::new(),
        cancel: "/account/sessions".to_owned(),
        section: Section::Account,
    }
}

/// GET of the address (a reload, a bookmark): the confirmation page.
pub async fn revoke_session_page(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    ask_on_get(&state, &page, end_session_confirm(&id))
}

pub async fn revoke_session(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<CsrfForm>,
) -> Response {
    let caller = match signed_in_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    if !confirmed(form.confirm.as_deref()) {
        return ask(&state, &page, end_session_confirm(&id));
    }
    match state.kindred.revoke_session(&page.tenant.association, &caller.member.id, &id).await {
        Ok(true) if id == caller.session_id => {
            let mut response = see_other(&link(&page, "/sign-in", &[("done", "signed-out")]));
            response.headers_mut().insert(header::SET_COOKIE, clear_cookie(&page.tenant));
            response
        }
        Ok(true) => see_other(&link(&page, "/account/sessions", &[("done", "session-ended")])),
        Ok(false) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => internal(error),
    }
}

// ------------------------------------------------------------------ password

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    csrf: String,
    current_password: String,
    new_password: String,
}

fn render_password(state: &AppState, page: &AssociationPage, problems: Problems, status: StatusCode) -> Response {
    let email = page.session.caller().map(|c| c.member.email.clone()).unwrap_or_default();
    let values = minijinja::context! { csrf => page.session.csrf(), email => email, problems => problems };
    render_status(state, status, "account/password.html", page.layout("/account/password", Section::Account), values)
}

pub async fn password_form(State(state): State<AppState>, page: AssociationPage) -> Response {
    if let Err(response) = signed_in(&page) {
        return *response;
    }
    render_password(&state, &page, Problems::default(), StatusCode::OK)
}

pub async fn change_password(
    State(state): State<AppState>,
    page: AssociationPage,
    Form(form): Form<PasswordForm>,
) -> Response {
    let caller = match signed_in_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let association = &page.tenant.association;
    match state
        .kindred
        .change_password(association, caller, &page.client, &form.current_password, &form.new_password)
        .await
    {
        Ok(()) => see_other(&link(&page, "/account", &[("done", "password-changed")])),
        Err(AccountError::Invalid(found)) => {
            let mut problems = Problems::default();
            for field in ["current_password", "new_password"] {
                for (_, problem) in found.iter().filter(|(f, _)| *f == field) {
                    problems.add(field, field_problem(&page, *problem));
                }
            }
            render_password(&state, &page, problems, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(AccountError::Throttled(t)) => wait(&state, &page, t.retry_after),
        Err(other) => internal(other),
    }
}

// ------------------------------------------------------------------ pseudonym

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PseudonymForm {
    csrf: String,
    pseudonym: String,
}

fn render_pseudonym(
    state: &AppState,
    page: &AssociationPage,
    pseudonym: &str,
    problems: Problems,
    status: StatusCode,
) -> Response {
    let values = minijinja::context! { csrf => page.session.csrf(), pseudonym => pseudonym, problems => problems };
    render_status(state, status, "account/pseudonym.html", page.layout("/account/pseudonym", Section::Account), values)
}

/// Where a member whose pseudonym was found taken chooses another
/// (`service::accounts::choose_pseudonym`, like `PUT /me/pseudonym`).
pub async fn pseudonym_form(State(state): State<AppState>, page: AssociationPage) -> Response {
    let caller = match signed_in(&page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    if !caller.member.pseudonym_pending {
        return see_other(&link(&page, "/account", &[]));
    }
    render_pseudonym(&state, &page, "", Problems::default(), StatusCode::OK)
}

pub async fn choose_pseudonym(
    State(state): State<AppState>,
    page: AssociationPage,
    Form(form): Form<PseudonymForm>,
) -> Response {
    let caller = match signed_in_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    match state.kindred.choose_pseudonym(&page.tenant.association, caller, &form.pseudonym).await {
        Ok(()) | Err(AccountError::PseudonymSettled) => see_other(&link(&page, "/account", &[])),
        Err(AccountError::Invalid(found)) => {
            let mut problems = Problems::default();
            for (_, problem) in found.iter().filter(|(f, _)| *f == "pseudonym") {
                problems.add("pseudonym", field_problem(&page, *problem));
            }
            render_pseudonym(&state, &page, &form.pseudonym, problems, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(AccountError::Throttled(t)) => wait(&state, &page, t.retry_after),
        Err(other) => internal(other),
    }
}

// ------------------------------------------------------------------ two-factor

#[derive(Serialize)]
struct SetupView {
    secret: String,
    qr_svg: String,
}

/// The QR code as inline SVG, named for assistive technology. (The
/// renderer writes only attributes, no `style`, so the CSP is satisfied.)
fn setup_view(page: &AssociationPage, setup: TotpSetup) -> SetupView {
    let label = tr(page, "two-factor-qr-alt").replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;");
    let qr_svg =
        setup.qr_svg.replacen("<svg", &format!("<svg role=\"img\" aria-label=\"{label}\" focusable=\"false\""), 1);
    SetupView { secret: setup.secret, qr_svg }
}

async fn render_two_factor(
    state: &AppState,
    page: &AssociationPage,
    caller: &Caller,
    notice: Option<String>,
    problems: Problems,
    status: StatusCode,
) -> Response {
    let association = &page.tenant.association;
    let member = &caller.member;
    let (unused, setup) = if member.has_totp {
        match state.kindred.unused_recovery_codes(association, &member.id).await {
            Ok(n) => (n, None),
            Err(error) => return internal(error),
        }
    } else {
        match state.kindred.pending_totp(association, member).await {
            Ok(setup) => (0, setup.map(|s| setup_view(page, s))),
            Err(error) => return internal(error),
        }
    };
    let values = minijinja::context! {
        has_totp => member.has_totp,
        required => state.kindred.second_factor_required(association, caller),
        unused => unused,
        setup => setup,
        csrf => page.session.csrf(),
        notice => notice,
        problems => problems,
    };
    render_status(
        state,
        status,
        "account/two_factor.html",
        page.layout("/account/two-factor", Section::Account),
        values,
    )
}

pub async fn two_factor(
    State(state): State<AppState>,
    page: AssociationPage,
    Query(query): Query<DoneQuery>,
) -> Response {
    let caller = match signed_in(&page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let notice = notice(&page, &query);
    render_two_factor(&state, &page, caller, notice, Problems::default(), StatusCode::OK).await
}

pub async fn two_factor_start(
    State(state): State<AppState>,
    page: AssociationPage,
    Form(form): Form<CsrfForm>,
) -> Response {
    let caller = match signed_in_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    if !caller.member.has_totp {
        if let Err(error) = state.kindred.start_totp(&page.tenant.association, &caller.member).await {
            return internal(error);
        }
    }
    see_other(&link(&page, "/account/two-factor", &[]))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TotpConfirmForm {
    csrf: String,
    code: String,
    password: String,
}

pub async fn two_factor_confirm(
    State(state): State<AppState>,
    page: AssociationPage,
    Form(form): Form<TotpConfirmForm>,
) -> Response {
    let caller = match signed_in_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let association = &page.tenant.association;
    let proof = Proof::password(&form.password);
    match state.kindred.confirm_totp(association, caller, &page.client, proof, form.code.trim()).await {
        // Shown once, so not behind a redirect.
        Ok(codes) => {
            let values = minijinja::context! { codes => codes, account_href => link(&page, "/account", &[]) };
            render_status(
                &state,
                StatusCode::OK,
                "account/recovery_codes.html",
                page.layout("/account/two-factor", Section::Account),
                values,
            )
        }
        Err(SecondFactorError::InvalidCode) => {
            let problems = Problems::one("code", tr(&page, "problem-code-wrong"));
            render_two_factor(&state, &page, caller, None, problems, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(SecondFactorError::NotStarted) => see_other(&link(&page, "/account/two-factor", &[])),
        Err(SecondFactorError::Reauth(error)) => match reauth_problems(&state, &page, "password", error) {
            Ok(problems) => {
                render_two_factor(&state, &page, caller, None, problems, StatusCode::UNPROCESSABLE_ENTITY).await
            }
            Err(response) => *response,
        },
        Err(SecondFactorError::Throttled(t)) => wait(&state, &page, t.retry_after),
        Err(other) => internal(other),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ConfirmPasswordForm {
    csrf: String,
    password: String,
}

pub async fn two_factor_remove(
    State(state): State<AppState>,
    page: AssociationPage,
    Form(form): Form<ConfirmPasswordForm>,
) -> Response {
    let caller = match signed_in_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let association = &page.tenant.association;
    match state.kindred.remove_totp(association, caller, &page.client, Proof::password(&form.password)).await {
        Ok(()) => see_other(&link(&page, "/account/two-factor", &[("done", "two-factor-removed")])),
        Err(SecondFactorError::Reauth(error)) => match reauth_problems(&state, &page, "password", error) {
            Ok(problems) => {
                render_two_factor(&state, &page, caller, None, problems, StatusCode::UNPROCESSABLE_ENTITY).await
            }
            Err(response) => *response,
        },
        Err(error) => internal(error),
    }
}
