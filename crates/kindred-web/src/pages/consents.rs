//! web::pages::consents — `/account/consents`: what the member consented
//! to and when, and withdrawing: the consent to health data is withdrawn
//! here (its values and their search terms are erased at once, the same
//! service function as `DELETE /me/consents/health_data`); the consent to
//! the terms ends only with the account (a link to `/account/delete`).
//!
//! `/account/terms`: when the association's terms of use changed since the
//! member consented, every other page leads here (`AssociationPage`) until
//! they accept the new version (`Kindred::accept_terms`, the same function
//! as `POST /me/terms`) — or sign out, or erase their account.

use super::association::{legal_text, site_name, AssociationPage};
use super::forms::{signed_in, signed_in_post};
use super::layout::{render_status, Section};
use super::respond::{internal, link, see_other};
use super::text::{tr, when, When};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use kindred_domain::return_to::ReturnTo;
use kindred_service::accounts::{TermsError, CONSENT_TERMS};
use kindred_service::profiles::HEALTH_CONSENT;
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
struct ConsentView {
    kind: String,
    label: String,
    version: String,
    given: When,
    /// Withdrawn on this page (health data); the terms by erasing the account.
    withdrawable: bool,
    terms: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ConsentsQuery {
    done: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct WithdrawForm {
    csrf: String,
}

pub async fn consents(
    State(state): State<AppState>,
    page: AssociationPage,
    Query(query): Query<ConsentsQuery>,
) -> Response {
    let caller = match signed_in(&page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let records = match state.kindred.consents(&page.tenant.association, &caller.member.id).await {
        Ok(records) => records,
        Err(error) => return internal(error),
    };
    let list: Vec<ConsentView> = records
        .into_iter()
        .map(|r| {
            let label = match r.kind.as_str() {
                CONSENT_TERMS => tr(&page, "consents-kind-terms"),
                HEALTH_CONSENT => tr(&page, "consents-kind-health"),
                other => other.to_owned(),
            };
            ConsentView {
                withdrawable: r.kind == HEALTH_CONSENT,
                terms: r.kind == CONSENT_TERMS,
                kind: r.kind,
                label,
                version: r.version,
                given: when(&page, r.given_at),
            }
        })
        .collect();
    let notice = match query.done.as_str() {
        "withdrawn" => Some(tr(&page, "consents-withdrawn")),
        _ => None,
    };
    let values = minijinja::context! { csrf => page.session.csrf(), consents => list, notice => notice };
    render_status(
        &state,
        StatusCode::OK,
        "account/consents.html",
        page.layout("/account/consents", Section::Account),
        values,
    )
}

/// Withdraws the consent to health data: its values go at once.
pub async fn withdraw_health(
    State(state): State<AppState>,
    page: AssociationPage,
    Form(form): Form<WithdrawForm>,
) -> Response {
    let caller = match signed_in_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    match state.kindred.withdraw_consent(&page.tenant.association, caller, HEALTH_CONSENT).await {
        Ok(_) => see_other(&link(&page, "/account/consents", &[("done", "withdrawn")])),
        Err(error) => internal(error),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TermsQuery {
    /// The page to go on to once accepted (`ReturnTo`).
    next: String,
    /// `changed`: the terms changed while the member read them.
    problem: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TermsForm {
    csrf: String,
    version: String,
    next: String,
}

/// The association's terms of use to accept: asked for when they changed
/// since the member consented. A member whose consent is current sees the
/// terms and that they accepted them.
pub async fn terms_form(
    State(state): State<AppState>,
    page: AssociationPage,
    Query(query): Query<TermsQuery>,
) -> Response {
    let caller = match signed_in(&page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let settings = &page.tenant.association.settings;
    let text = legal_text(
        &page,
        settings.legal.terms.as_ref(),
        &["legal-terms-default-1", "legal-terms-default-2", "legal-terms-default-3", "legal-terms-default-4"],
        &[("association", site_name(&page))],
    );
    let outdated = state.kindred.terms_outdated(&page.tenant.association, &caller.member);
    let next = ReturnTo::parse(&query.next);
    let problem = (query.problem == "changed").then(|| tr(&page, "terms-accept-changed"));
    let values = minijinja::context! {
        csrf => page.session.csrf(),
        text => text,
        version => settings.admission.terms_version.clone(),
        previous => caller.member.terms_version.clone(),
        outdated => outdated,
        next => next.as_ref().map(ReturnTo::as_str),
        problem => problem,
    };
    render_status(&state, StatusCode::OK, "account/terms.html", page.layout("/account/terms", Section::Account), values)
}

/// Accepts the terms in the version shown; then on to where the member
/// was going. A version that is no longer the current one shows the
/// current terms again.
pub async fn accept_terms(
    State(state): State<AppState>,
    page: AssociationPage,
    Form(form): Form<TermsForm>,
) -> Response {
    let caller = match signed_in_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let next = ReturnTo::parse(&form.next);
    match state.kindred.accept_terms(&page.tenant.association, caller, &form.version).await {
        Ok(_) => see_other(&link(&page, next.as_ref().map_or("/", ReturnTo::as_str), &[])),
        Err(TermsError::Changed) => {
            let mut query = vec![("problem", "changed")];
            if let Some(next) = next.as_ref() {
                query.push(("next", next.as_str()));
            }
            see_other(&link(&page, "/account/terms", &query))
        }
        Err(TermsError::Store(error)) => internal(error),
    }
}
