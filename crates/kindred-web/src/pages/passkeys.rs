//! The member's passkeys: the list with remove buttons (plain forms, no
//! JavaScript needed), and "Add a passkey", which needs the browser's
//! WebAuthn and therefore `static/passkeys.js`; without it the page says so.
//! Also the passkey offer on the second-factor sign-in page.
//!
//! The script talks to the JSON API (`api::passkeys`) with the page
//! session's cookie and its CSRF token (in `data-csrf`). It is shown only
//! where the browser is at the relying party's origin: elsewhere (e.g. an
//! association with its own host name opened under `/a/{slug}`) a passkey
//! could not be made or used.

use super::association::AssociationPage;
use super::confirm::{ask_with_password, confirmed, Confirm};
use super::forms::{reauth_problems, Problems};
use super::layout::{render_status, Section};
use super::respond::{internal, link, refused, see_other, to_sign_in};
use super::text::{when, When};
use crate::i18n;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use fluent_templates::fluent_bundle::FluentValue;
use kindred_service::passkeys::PasskeyError;
use kindred_service::reauth::Proof;
use kindred_service::sessions::Caller;
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
struct PasskeyRow {
    id: String,
    name: String,
    created: When,
    last_used: Option<When>,
}

/// What the script needs to offer passkeys on a page.
#[derive(Serialize)]
pub(super) struct PasskeyOffer {
    /// The association's API root, e.g. `/a/demo/api/v1`.
    api: String,
    /// The relying party's origin; the script offers passkeys only there.
    origin: String,
    csrf: String,
    /// Shown by the script when the page is open at another origin.
    elsewhere: String,
}

fn offer(state: &AppState, page: &AssociationPage) -> Option<PasskeyOffer> {
    let party = state.kindred.passkey_relying_party(&page.tenant.association).ok()?;
    let elsewhere =
        i18n::text(page.language, "passkeys-elsewhere", &[("origin", FluentValue::from(party.origin.clone()))]);
    Some(PasskeyOffer {
        api: format!("{}/api/v1", page.tenant.base),
        origin: party.origin,
        csrf: page.session.csrf(),
        elsewhere,
    })
}

/// The passkey button of the second-factor sign-in page: for a member who
/// has a passkey, where passkeys are available.
pub(super) fn sign_in_offer(state: &AppState, page: &AssociationPage) -> Option<PasskeyOffer> {
    page.session.pending().filter(|c| c.member.has_passkey)?;
    offer(state, page)
}

/// `?done=…` after adding or removing a passkey.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasskeysQuery {
    done: Option<String>,
}

pub async fn passkeys(
    State(state): State<AppState>,
    page: AssociationPage,
    Query(query): Query<PasskeysQuery>,
) -> Response {
    let Some(caller) = page.session.caller() else { return to_sign_in(&page) };
    let notice = match query.done.as_deref() {
        Some("passkey-added") => Some(i18n::text(page.language, "passkeys-notice-added", &[])),
        Some("passkey-removed") => Some(i18n::text(page.language, "passkeys-notice-removed", &[])),
        _ => None,
    };
    render_passkeys(&state, &page, caller, notice, Problems::default(), StatusCode::OK).await
}

async fn render_passkeys(
    state: &AppState,
    page: &AssociationPage,
    caller: &Caller,
    notice: Option<String>,
    problems: Problems,
    status: StatusCode,
) -> Response {
    let association = &page.tenant.association;
    let list = match state.kindred.passkeys(association, &caller.member.id).await {
        Ok(list) => list,
        Err(error) => return internal(error),
    };
    let rows: Vec<PasskeyRow> = list
        .into_iter()
        .map(|p| PasskeyRow {
            id: p.id,
            name: p.name,
            created: when(page, p.created_at),
            last_used: p.last_used_at.map(|at| when(page, at)),
        })
        .collect();
    let required = state.kindred.second_factor_required(association, caller) && !caller.member.has_second_factor();
    let values = minijinja::context! {
        passkeys => rows,
        offer => offer(state, page),
        required => required,
        csrf => page.session.csrf(),
        notice => notice,
        problems => problems,
        added_href => link(page, "/account/passkeys", &[("done", "passkey-added")]),
        account_href => link(page, "/account", &[]),
    };
    render_status(state, status, "account/passkeys.html", page.layout("/account/passkeys", Section::Account), values)
}

/// Removing a passkey: each row links to a confirmation page
/// (`pages::confirm`) that asks for the password as well; a form that
/// brings the password acts at once (typing it is the deliberate step).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RemoveForm {
    csrf: String,
    password: String,
    /// Present once the member confirmed on that page.
    confirm: Option<String>,
}

fn remove_confirm(id: &str) -> Confirm {
    Confirm {
        kind: "remove-passkey",
        action: format!("/account/passkeys/{id}/remove"),
        fields: Vec::new(),
        cancel: "/account/passkeys".to_owned(),
        section: Section::Account,
    }
}

/// The confirmation page of removing a passkey, with its password field
/// (the list's "Remove" link, or a reload of the page).
pub async fn remove_page(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    if page.session.caller().is_none() {
        return to_sign_in(&page);
    }
    ask_with_password(&state, &page, remove_confirm(&id), Problems::default(), StatusCode::OK)
}

pub async fn remove(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<RemoveForm>,
) -> Response {
    let Some(caller) = page.session.caller() else { return to_sign_in(&page) };
    if !page.same_origin || !page.session.check_csrf(&form.csrf) {
        return refused(&state, &page);
    }
    if form.password.is_empty() && !confirmed(form.confirm.as_deref()) {
        return ask_with_password(&state, &page, remove_confirm(&id), Problems::default(), StatusCode::OK);
    }
    let proof = Proof::password(&form.password);
    match state.kindred.remove_passkey(&page.tenant.association, caller, &page.client, proof, &id).await {
        Ok(true) => see_other(&link(&page, "/account/passkeys", &[("done", "passkey-removed")])),
        Ok(false) => StatusCode::NOT_FOUND.into_response(),
        Err(PasskeyError::Reauth(error)) => match reauth_problems(&state, &page, "password", error) {
            Ok(problems) => {
                ask_with_password(&state, &page, remove_confirm(&id), problems, StatusCode::UNPROCESSABLE_ENTITY)
            }
            Err(response) => *response,
        },
        Err(error) => internal(error),
    }
}
