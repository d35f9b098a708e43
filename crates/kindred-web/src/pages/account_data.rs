//! The member's data pages: `/account/data` (ask for an export, see where
//! it stands, download it once) and `/account/access-log` (every staff
//! access to one's data). They call the same `service::export` functions
//! as `POST /me/export`, `GET /me/exports/{id}` and `GET /me/access-log`.
//! The download is a form (POST with the CSRF token), not a link: it can
//! be done only once, and a browser or proxy fetching links ahead must not
//! use it up.

use super::association::AssociationPage;
use super::forms::{signed_in, signed_in_post, Problems};
use super::layout::{render_status, Section};
use super::respond::{internal, link, see_other};
use super::text::{notice, tr, when, DoneQuery, When};
use crate::api::me_data::zip_response;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use kindred_service::export::{Download, ExportError, ExportState};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CsrfOnly {
    csrf: String,
}

#[derive(Serialize)]
struct ExportRow {
    id: String,
    requested: When,
    /// building, ready, downloaded, expired
    state: &'static str,
    state_text: String,
    expires: Option<When>,
}

pub async fn data(State(state): State<AppState>, page: AssociationPage, Query(query): Query<DoneQuery>) -> Response {
    let caller = match signed_in(&page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let exports = match state.kindred.my_exports(&page.tenant.association, caller).await {
        Ok(exports) => exports,
        Err(error) => return internal(error),
    };
    let building = exports.iter().any(|e| e.state == ExportState::Building);
    let rows: Vec<ExportRow> = exports
        .into_iter()
        .map(|e| ExportRow {
            requested: when(&page, e.requested_at),
            state: e.state.as_str(),
            state_text: tr(&page, &format!("data-export-state-{}", e.state.as_str())),
            expires: match e.state {
                ExportState::Ready { expires_at } => Some(when(&page, expires_at)),
                _ => None,
            },
            id: e.id,
        })
        .collect();
    let values = minijinja::context! {
        exports => rows,
        building => building,
        csrf => page.session.csrf(),
        notice => notice(&page, &query),
        problems => Problems::default(),
    };
    render_status(&state, StatusCode::OK, "account/data.html", page.layout("/account/data", Section::Account), values)
}

pub async fn request(State(state): State<AppState>, page: AssociationPage, Form(form): Form<CsrfOnly>) -> Response {
    let caller = match signed_in_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    match state.kindred.request_export(&page.tenant.association, caller).await {
        Ok(_) => see_other(&link(&page, "/account/data", &[("done", "export-requested")])),
        Err(error) => internal(error),
    }
}

pub async fn download(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<CsrfOnly>,
) -> Response {
    let caller = match signed_in_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    match state.kindred.download_export(&page.tenant.association, caller, &id).await {
        Ok(Download::Building) => see_other(&link(&page, "/account/data", &[])),
        Ok(zip) => zip_response(zip, id),
        Err(ExportError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => internal(error),
    }
}

#[derive(Serialize)]
struct AccessRow {
    at: When,
    action: String,
    role: String,
    /// The staff member's pseudonym where the association names staff.
    actor: Option<String>,
}

/// The audit actions a member may find about themself, with their words.
const KNOWN_ACTIONS: &[&str] = &[
    "verification.viewed",
    "member.viewed",
    "letter.viewed",
    "member.approved",
    "member.refused",
    "member.suspended",
    "member.reinstated",
    "member.role_changed",
    "reported_messages.viewed",
];

/// The role names the pages already have (`role-*`).
const KNOWN_ROLES: &[&str] = &["admin", "moderator", "professional", "member"];

pub async fn access_log(State(state): State<AppState>, page: AssociationPage) -> Response {
    let caller = match signed_in(&page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let entries = match state.kindred.access_log(&page.tenant.association, caller).await {
        Ok(entries) => entries,
        Err(error) => return internal(error),
    };
    let rows: Vec<AccessRow> = entries
        .into_iter()
        .rev()
        .map(|e| AccessRow {
            actor: e.actor,
            at: when(&page, e.at),
            action: if KNOWN_ACTIONS.contains(&e.action.as_str()) {
                tr(&page, &format!("access-action-{}", e.action.replace(['.', '_'], "-")))
            } else {
                e.action
            },
            role: if KNOWN_ROLES.contains(&e.actor_role.as_str()) {
                tr(&page, &format!("role-{}", e.actor_role))
            } else {
                tr(&page, "access-role-staff")
            },
        })
        .collect();
    let names = page.tenant.association.settings.data.access_log_names_staff;
    let values = minijinja::context! { entries => rows, names => names, problems => Problems::default() };
    render_status(
        &state,
        StatusCode::OK,
        "account/access_log.html",
        page.layout("/account/access-log", Section::Account),
        values,
    )
}
