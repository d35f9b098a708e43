//! The page where a member chooses their language and time zone. It calls
//! the same service function as `PUT /me/preferences`
//! (`service::preferences`).

use super::association::AssociationPage;
use super::forms::{signed_in, signed_in_post, Problems};
use super::layout::{render_status, Section};
use super::respond::{internal, see_other};
use super::text::{notice, tr, tr_args, DoneQuery};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use fluent_templates::fluent_bundle::FluentValue;
use kindred_domain::events::TimeZoneName;
use kindred_service::preferences::{preferences_of, PreferencesError};
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
struct OptionView {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Deserialize)]
pub struct PreferencesForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    time_zone: String,
}

/// The form's options; `language` and `time_zone` are what is selected
/// (as stored, or as just sent back with a problem).
fn render(
    state: &AppState,
    page: &AssociationPage,
    language: &str,
    time_zone: &str,
    problems: Problems,
    notice: Option<String>,
    status: StatusCode,
) -> Response {
    let settings = &page.tenant.association.settings;
    let languages: Vec<OptionView> = settings
        .languages
        .iter()
        .map(|l| OptionView { value: l.code().into(), label: l.native_name().into(), selected: l.code() == language })
        .collect();
    let association_zone = settings.time_zone.name();
    let mut zones = vec![OptionView {
        value: String::new(),
        label: tr_args(
            page,
            "preferences-zone-association",
            &[("zone", FluentValue::from(association_zone.to_owned()))],
        ),
        selected: time_zone.is_empty(),
    }];
    zones.extend(TimeZoneName::choosable().map(|name| OptionView {
        value: name.into(),
        label: name.replace('_', " "),
        selected: name == time_zone,
    }));
    let values = minijinja::context! {
        languages => languages,
        zones => zones,
        csrf => page.session.csrf(),
        problems => problems,
        notice => notice,
    };
    render_status(
        state,
        status,
        "account/preferences.html",
        page.layout("/account/preferences", Section::Account),
        values,
    )
}

pub async fn form(State(state): State<AppState>, page: AssociationPage, Query(query): Query<DoneQuery>) -> Response {
    let caller = match signed_in(&page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let chosen = preferences_of(&page.tenant.association, &caller.member);
    let zone = chosen.time_zone.map(|z| z.name()).unwrap_or_default();
    render(&state, &page, chosen.language.code(), zone, Problems::default(), notice(&page, &query), StatusCode::OK)
}

pub async fn save(State(state): State<AppState>, page: AssociationPage, Form(form): Form<PreferencesForm>) -> Response {
    let caller = match signed_in_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let association = &page.tenant.association;
    match state.kindred.set_preferences(association, caller, &form.language, Some(&form.time_zone)).await {
        // Without the page's explicit ?lang=: the new preference shows at once.
        Ok(_) => see_other(&format!("{}/account/preferences?done=preferences-saved", page.tenant.base)),
        Err(PreferencesError::Invalid(found)) => {
            let mut problems = Problems::default();
            for (field, _) in found {
                problems.add(field, tr(&page, &format!("preferences-invalid-{}", field.replace('_', "-"))));
            }
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render(&state, &page, &form.language, &form.time_zone, problems, None, status)
        }
        Err(error) => internal(error),
    }
}
