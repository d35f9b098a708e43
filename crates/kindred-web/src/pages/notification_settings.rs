//! The page where a member chooses how often each kind of notification is
//! mailed. It calls the same service functions as
//! `GET/PUT /me/notification-settings`; a kind not in the form goes back to
//! its default, as in the API.

use super::association::AssociationPage;
use super::forms::{signed_in, signed_in_post, Problems};
use super::layout::{render_status, Section};
use super::respond::{internal, link, see_other};
use super::text::{notice, tr, DoneQuery};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use kindred_domain::notification_kinds::{EmailChoices, EmailFrequency};
use kindred_service::notification_settings::NotificationSettingsError;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct OptionView {
    value: &'static str,
    label: String,
    selected: bool,
}

#[derive(Serialize)]
struct KindView {
    name: &'static str,
    label: String,
    fixed: bool,
    options: Vec<OptionView>,
}

fn kinds(page: &AssociationPage, choices: &EmailChoices) -> Vec<KindView> {
    choices
        .iter()
        .map(|(kind, chosen)| KindView {
            name: kind.name,
            label: tr(page, &format!("notification-kind-{}", kind.name.replace('_', "-"))),
            fixed: kind.fixed,
            options: EmailFrequency::ALL
                .into_iter()
                .map(|f| OptionView {
                    value: f.as_str(),
                    label: tr(page, &format!("notification-email-{}", f.as_str())),
                    selected: f == chosen,
                })
                .collect(),
        })
        .collect()
}

fn render(
    state: &AppState,
    page: &AssociationPage,
    choices: &EmailChoices,
    problems: Problems,
    notice: Option<String>,
    status: StatusCode,
) -> Response {
    let values = minijinja::context! {
        kinds => kinds(page, choices),
        csrf => page.session.csrf(),
        problems => problems,
        notice => notice,
    };
    render_status(
        state,
        status,
        "account/notification_settings.html",
        page.layout("/account/notifications", Section::Account),
        values,
    )
}

pub async fn form(State(state): State<AppState>, page: AssociationPage, Query(query): Query<DoneQuery>) -> Response {
    let caller = match signed_in(&page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    match state.kindred.notification_settings(&page.tenant.association, caller).await {
        Ok(choices) => render(&state, &page, &choices, Problems::default(), notice(&page, &query), StatusCode::OK),
        Err(error) => internal(error),
    }
}

pub async fn save(
    State(state): State<AppState>,
    page: AssociationPage,
    Form(mut fields): Form<BTreeMap<String, String>>,
) -> Response {
    let csrf = fields.remove("csrf").unwrap_or_default();
    let caller = match signed_in_post(&state, &page, &csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let requested = fields.iter().map(|(kind, email)| (kind.as_str(), email.as_str()));
    match state.kindred.set_notification_settings(&page.tenant.association, caller, requested).await {
        Ok(_) => see_other(&link(&page, "/account/notifications", &[("done", "notification-settings-saved")])),
        Err(NotificationSettingsError::Invalid(found)) => {
            let mut problems = Problems::default();
            for (path, _) in &found {
                // settings.KIND.email → the select of KIND.
                let id = path.trim_start_matches("settings.").trim_end_matches(".email");
                problems.add(id, tr(&page, "notification-settings-invalid"));
            }
            match state.kindred.notification_settings(&page.tenant.association, caller).await {
                Ok(choices) => render(&state, &page, &choices, problems, None, StatusCode::UNPROCESSABLE_ENTITY),
                Err(error) => internal(error),
            }
        }
        Err(error) => internal(error),
    }
}
