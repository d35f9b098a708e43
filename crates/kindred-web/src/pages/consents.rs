//! web::pages::consents — `/account/consents`: what the member consented
//! to and when, and withdrawing: the consent to health data is withdrawn
//! here (its values and their search terms are erased at once, the same
//! service function as `DELETE /me/consents/health_data`); the consent to
//! the terms ends only with the account (a link to `/account/delete`).

use super::association::AssociationPage;
use super::forms::{signed_in, signed_in_post};
use super::layout::{render_status, Section};
use super::respond::{internal, link, see_other};
use super::text::{tr, when, When};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use kindred_service::accounts::CONSENT_TERMS;
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
