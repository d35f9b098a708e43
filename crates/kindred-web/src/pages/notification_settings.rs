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
use kindred_domain::notification_kinds::{EmailChoices, EmailFrequency, QuietHours};
use kindred_service::notification_settings::{NotificationSettingsError, QuietChange};
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

/// The quiet-hours fields as shown: what was stored or what was typed.
#[derive(Serialize, Default)]
struct QuietView {
    from: String,
    to: String,
    /// The time zone they are read in.
    zone: String,
}

impl QuietView {
    fn of(page: &AssociationPage, quiet: Option<QuietHours>) -> QuietView {
        let association = &page.tenant.association.settings;
        QuietView {
            from: quiet.map(|q| QuietHours::clock(q.from)).unwrap_or_default(),
            to: quiet.map(|q| QuietHours::clock(q.to)).unwrap_or_default(),
            zone: quiet.and_then(|q| q.time_zone).unwrap_or(association.time_zone).name().to_owned(),
        }
    }
}

fn render(
    state: &AppState,
    page: &AssociationPage,
    choices: &EmailChoices,
    quiet: QuietView,
    problems: Problems,
    notice: Option<String>,
    status: StatusCode,
) -> Response {
    let values = minijinja::context! {
        kinds => kinds(page, choices),
        quiet => quiet,
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
    let association = &page.tenant.association;
    let choices = match state.kindred.notification_settings(association, caller).await {
        Ok(choices) => choices,
        Err(error) => return internal(error),
    };
    match state.kindred.quiet_hours(association, caller).await {
        Ok(quiet) => {
            let quiet = QuietView::of(&page, quiet);
            render(&state, &page, &choices, quiet, Problems::default(), notice(&page, &query), StatusCode::OK)
        }
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
    // Both times empty: no quiet hours; the zone is the one shown.
    let from = fields.remove("quiet_from").unwrap_or_default();
    let to = fields.remove("quiet_to").unwrap_or_default();
    let current = match state.kindred.quiet_hours(&page.tenant.association, caller).await {
        Ok(current) => current,
        Err(error) => return internal(error),
    };
    let zone = current.and_then(|q| q.time_zone).map(|z| z.name().to_owned());
    let quiet = if from.trim().is_empty() && to.trim().is_empty() {
        QuietChange::Off
    } else {
        QuietChange::Set { from: &from, to: &to, time_zone: zone.as_deref() }
    };
    let requested = fields.iter().map(|(kind, email)| (kind.as_str(), email.as_str()));
    match state.kindred.set_mail_settings(&page.tenant.association, caller, requested, quiet).await {
        Ok(_) => see_other(&link(&page, "/account/notifications", &[("done", "notification-settings-saved")])),
        Err(NotificationSettingsError::Invalid(found)) => {
            let mut problems = Problems::default();
            for (path, _) in &found {
                match path.as_str() {
                    "quiet_hours.from" => problems.add("quiet_from", tr(&page, "notification-quiet-invalid")),
                    "quiet_hours.to" => problems.add("quiet_to", tr(&page, "notification-quiet-invalid")),
                    "quiet_hours.time_zone" => {}
                    // settings.KIND.email → the select of KIND.
                    path => {
                        let id = path.trim_start_matches("settings.").trim_end_matches(".email");
                        problems.add(id, tr(&page, "notification-settings-invalid"));
                    }
                }
            }
            let typed = QuietView { from, to, zone: QuietView::of(&page, current).zone };
            match state.kindred.notification_settings(&page.tenant.association, caller).await {
                Ok(choices) => render(&state, &page, &choices, typed, problems, None, StatusCode::UNPROCESSABLE_ENTITY),
                Err(error) => internal(error),
            }
        }
        Err(error) => internal(error),
    }
}
