//! The member's own profile on the pages: every field of the association
//! with who may see it, being found in search, the consent to health data,
//! the photo, and "how others see me" at each level. Every decision is the
//! service's (`update_profile`, `give_consent`, `set_photo`, `preview_own`).

use super::association::AssociationPage;
use super::community::{
    back, catalogue, level_label, member, member_post, parse_level, shown_field, visibility_choices, Choice, Flash,
    ShownField,
};
use super::forms::{multipart_parts, Problems};
use super::layout::{render_status, Section};
use super::respond::{internal, jpeg, link, see_other};
use super::text::{tr, tr_args};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use fluent_templates::fluent_bundle::FluentValue;
use kindred_domain::profile::{FieldValue, RawValue};
use kindred_domain::settings::{FieldKind, ProfileField};
use kindred_domain::{Level, Visibility};
use kindred_service::members::MemberError;
use kindred_service::photos::PhotoError;
use kindred_service::profiles::{ProfileError, ProfileUpdate, HEALTH_CONSENT};
use kindred_service::sessions::Caller;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The parts of the profile form, each a form saved on its own (the same
/// `update_profile`, all or nothing for the part): about me (with the
/// photo's visibility and being found), contact details, health.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Part {
    About,
    Contact,
    Health,
}

impl Part {
    fn of(spec: &ProfileField) -> Part {
        if spec.health {
            Part::Health
        } else if matches!(spec.kind, FieldKind::Email | FieldKind::Phone) {
            Part::Contact
        } else {
            Part::About
        }
    }

    /// The part a form names; `None` for a form of the whole profile (as
    /// before the parts, and for clients that post every field).
    fn parse(raw: &str) -> Result<Option<Part>, ()> {
        match raw {
            "" => Ok(None),
            "about" => Ok(Some(Part::About)),
            "contact" => Ok(Some(Part::Contact)),
            "health" => Ok(Some(Part::Health)),
            _ => Err(()),
        }
    }
}

/// What the form shows: the stored profile, or what was just sent.
#[derive(Default)]
struct Kept {
    values: BTreeMap<String, Vec<String>>,
    visibility: BTreeMap<String, String>,
    discoverable: bool,
}

#[derive(Serialize)]
struct Group {
    label: String,
    options: Vec<Choice>,
}

#[derive(Serialize)]
struct FieldRow {
    code: String,
    name: String,
    /// text, long_text, select, forms, checkboxes or photo
    control: &'static str,
    input_type: &'static str,
    autocomplete: &'static str,
    inputmode: &'static str,
    hint: String,
    value: String,
    options: Vec<Choice>,
    groups: Vec<Group>,
    visibility: Vec<Choice>,
}

fn is_list(kind: FieldKind) -> bool {
    matches!(kind, FieldKind::Therapies | FieldKind::Medications)
}

fn field_row(page: &AssociationPage, spec: &ProfileField, kept: &Kept) -> FieldRow {
    let code = spec.code.to_string();
    let values = kept.values.get(&code).cloned().unwrap_or_default();
    let value = values.first().cloned().unwrap_or_default();
    let chosen = |c: &str| values.iter().any(|v| v == c);
    let settings = &page.tenant.association.settings;
    let entries = |kind| {
        catalogue(settings, kind)
            .into_iter()
            // A retired code is offered only to those who have it (to keep or drop).
            .filter(|e| !e.retired || chosen(e.code.as_str()))
            .map(|e| Choice {
                value: e.code.to_string(),
                label: e.name.get(page.language).to_owned(),
                selected: chosen(e.code.as_str()),
            })
            .collect::<Vec<_>>()
    };
    let (control, options, groups) = match spec.kind {
        FieldKind::LongText => ("long_text", Vec::new(), Vec::new()),
        FieldKind::Photo => ("photo", Vec::new(), Vec::new()),
        FieldKind::Region | FieldKind::Role => ("select", entries(spec.kind), Vec::new()),
        FieldKind::Condition => (
            "select",
            settings
                .catalog
                .conditions
                .iter()
                .filter(|c| !c.retired || chosen(c.code.as_str()))
                .map(|c| Choice {
                    value: c.code.to_string(),
                    label: c.name.get(page.language).to_owned(),
                    selected: chosen(c.code.as_str()),
                })
                .collect(),
            Vec::new(),
        ),
        FieldKind::ConditionForm => (
            "forms",
            Vec::new(),
            settings
                .catalog
                .conditions
                .iter()
                .filter(|c| !c.forms.is_empty())
                .map(|c| Group {
                    label: c.name.get(page.language).to_owned(),
                    options: c
                        .forms
                        .iter()
                        .filter(|f| !f.retired || chosen(f.code.as_str()))
                        .map(|f| Choice {
                            value: f.code.to_string(),
                            label: f.name.get(page.language).to_owned(),
                            selected: chosen(f.code.as_str()),
                        })
                        .collect(),
                })
                .collect(),
        ),
        FieldKind::Therapies | FieldKind::Medications => ("checkboxes", entries(spec.kind), Vec::new()),
        FieldKind::Text | FieldKind::Year | FieldKind::Email | FieldKind::Phone => ("text", Vec::new(), Vec::new()),
    };
    let (input_type, inputmode) = match spec.kind {
        FieldKind::Email => ("email", ""),
        FieldKind::Phone => ("tel", ""),
        FieldKind::Year => ("text", "numeric"),
        _ => ("text", ""),
    };
    let autocomplete = match code.as_str() {
        "real_name" => "name",
        "contact_email" => "email",
        "phone" => "tel",
        "city" => "address-level2",
        _ => "off",
    };
    let hint = match spec.kind {
        FieldKind::Year => tr(page, "profile-hint-year"),
        FieldKind::Therapies | FieldKind::Medications => tr(page, "profile-hint-list"),
        FieldKind::ConditionForm => tr(page, "profile-hint-form"),
        FieldKind::Photo => tr(page, "profile-hint-photo"),
        _ => String::new(),
    };
    let selected = kept.visibility.get(&code).cloned().unwrap_or_else(|| spec.default_visibility.to_string());
    FieldRow {
        name: spec.name.get(page.language).to_owned(),
        control,
        input_type,
        autocomplete,
        inputmode,
        hint,
        value: if control == "text" || control == "long_text" { value } else { String::new() },
        options,
        groups,
        visibility: visibility_choices(page, spec, &selected),
        code,
    }
}

async fn stored(state: &AppState, page: &AssociationPage, caller: &Caller) -> Result<Kept, ProfileError> {
    let association = &page.tenant.association;
    let mut kept = Kept { discoverable: caller.member.discoverable, ..Kept::default() };
    for entry in state.kindred.own_profile(association, &caller.member.id).await? {
        let values = match entry.value {
            FieldValue::Codes(codes) => codes.iter().map(|c| c.to_string()).collect(),
            other => vec![other.encode()],
        };
        kept.values.insert(entry.field.to_string(), values);
    }
    for (spec, visibility) in state.kindred.own_visibility(association, &caller.member.id).await? {
        kept.visibility.insert(spec.code.to_string(), visibility.to_string());
    }
    Ok(kept)
}

#[allow(clippy::too_many_arguments)]
async fn render_profile(
    state: &AppState,
    page: &AssociationPage,
    caller: &Caller,
    kept: &Kept,
    flash: &Flash,
    problems: Problems,
    status: StatusCode,
) -> Response {
    let association = &page.tenant.association;
    let consent = match state.kindred.has_health_consent(association, &caller.member.id).await {
        Ok(consent) => consent,
        Err(error) => return internal(error),
    };
    let fields = &association.settings.profile_fields;
    let general: Vec<FieldRow> = fields
        .iter()
        .filter(|f| Part::of(f) == Part::About && f.kind != FieldKind::Photo)
        .map(|f| field_row(page, f, kept))
        .collect();
    let contact: Vec<FieldRow> =
        fields.iter().filter(|f| Part::of(f) == Part::Contact).map(|f| field_row(page, f, kept)).collect();
    let health: Vec<FieldRow> = if consent {
        fields.iter().filter(|f| f.health).map(|f| field_row(page, f, kept)).collect()
    } else {
        Vec::new()
    };
    let health_names: Vec<String> =
        fields.iter().filter(|f| f.health).map(|f| f.name.get(page.language).to_owned()).collect();
    let photo_field = fields.iter().find(|f| f.kind == FieldKind::Photo).map(|f| field_row(page, f, kept));
    let photo_src =
        kept.values.get("photo").and_then(|v| v.first()).map(|version| link(page, "/profile/photo", &[("v", version)]));
    let values = minijinja::context! {
        csrf => page.session.csrf(),
        flash => flash.view(page),
        problems => problems,
        general => general,
        contact => contact,
        health => health,
        has_health_fields => !health_names.is_empty(),
        health_names => health_names.join(", "),
        consent => consent,
        discoverable => kept.discoverable,
        photo_field => photo_field,
        photo_src => photo_src,
        preview_href => link(page, "/profile/preview", &[("level", "1")]),
        pseudonym => caller.member.pseudonym,
    };
    render_status(state, status, "community/profile.html", page.layout("/profile", Section::Profile), values)
}

pub async fn profile(State(state): State<AppState>, page: AssociationPage, Query(flash): Query<Flash>) -> Response {
    let caller = match member(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let kept = match stored(&state, &page, caller).await {
        Ok(kept) => kept,
        Err(error) => return internal(error),
    };
    render_profile(&state, &page, caller, &kept, &flash, Problems::default(), StatusCode::OK).await
}

/// A service message about a value, in the member's words.
fn value_problem(page: &AssociationPage, message: &str) -> String {
    let key = if message.contains("at most 5000") {
        "profile-problem-too-long-text"
    } else if message.contains("too long") {
        "profile-problem-too-long"
    } else if message.contains("control characters") {
        "profile-problem-control"
    } else if message.contains("e-mail") {
        "profile-problem-email"
    } else if message.contains("digits") {
        "profile-problem-phone"
    } else if message.contains("year") {
        "profile-problem-year"
    } else if message.contains("form of your condition") {
        "profile-problem-form"
    } else if message.contains("too many") {
        "profile-problem-too-many"
    } else if message.contains("more open") {
        "profile-problem-too-open"
    } else if message.contains("catalogue") {
        "profile-problem-catalogue"
    } else {
        "profile-problem-other"
    };
    tr(page, key)
}

pub async fn save_profile(
    State(state): State<AppState>,
    page: AssociationPage,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let csrf = pairs.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.as_str()).unwrap_or("");
    let caller = match member_post(&state, &page, csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let association = &page.tenant.association;
    let consent = match state.kindred.has_health_consent(association, &caller.member.id).await {
        Ok(consent) => consent,
        Err(error) => return internal(error),
    };
    let raw_part = pairs.iter().find(|(k, _)| k == "section").map(|(_, v)| v.as_str()).unwrap_or("");
    let Ok(part) = Part::parse(raw_part) else {
        return see_other(&link(&page, "/profile", &[]));
    };
    let in_part = |spec: &ProfileField| part.is_none_or(|p| p == Part::of(spec));
    let sent_discoverable = pairs.iter().any(|(k, _)| k == "discoverable");
    let mut sent = Kept { discoverable: sent_discoverable, ..Kept::default() };
    for (name, value) in &pairs {
        if let Some(code) = name.strip_prefix("f-") {
            sent.values.entry(code.to_owned()).or_default().push(value.clone());
        } else if let Some(code) = name.strip_prefix("v-") {
            sent.visibility.insert(code.to_owned(), value.clone());
        }
    }
    let mut problems = Problems::default();
    // Being found belongs to "about me" (and to the whole form).
    let discoverable = matches!(part, None | Some(Part::About)).then_some(sent_discoverable);
    let mut update = ProfileUpdate { discoverable, ..ProfileUpdate::default() };
    let fields = &association.settings.profile_fields;
    // Only what the form sent, of its part: a checkbox group is named in
    // `lists`, so that ticking nothing clears it.
    let lists: Vec<&str> = pairs.iter().filter(|(k, _)| k == "lists").map(|(_, v)| v.as_str()).collect();
    let kept = &sent;
    for spec in fields.iter().filter(|f| (consent || !f.health) && in_part(f)) {
        let code = spec.code.to_string();
        let sent = kept.values.get(&code);
        if spec.kind != FieldKind::Photo && (sent.is_some() || lists.contains(&code.as_str())) {
            let values = sent.cloned().unwrap_or_default();
            let raw = if is_list(spec.kind) {
                RawValue::List(values.into_iter().filter(|v| !v.trim().is_empty()).collect())
            } else {
                RawValue::Text(values.into_iter().next().unwrap_or_default())
            };
            update.fields.push((code.clone(), Some(raw)));
        }
        match kept.visibility.get(&code).map(|v| Visibility::parse(v)) {
            None => {}
            Some(Some(visibility)) => update.visibility.push((code, visibility)),
            Some(None) => problems.add(&format!("v-{code}"), tr(&page, "profile-problem-visibility")),
        }
    }
    if problems.is_empty() {
        match state.kindred.update_profile(association, caller, update).await {
            Ok(()) => return see_other(&link(&page, "/profile", &[("done", "profile-saved")])),
            Err(ProfileError::Invalid(found)) => {
                // In the order of the form, each at its field.
                for spec in fields {
                    for (prefix, id_prefix) in [("fields.", "f-"), ("visibility.", "v-")] {
                        let key = format!("{prefix}{}", spec.code);
                        if let Some((_, message)) = found.iter().find(|(k, _)| *k == key) {
                            problems.add(&format!("{id_prefix}{}", spec.code), value_problem(&page, message));
                        }
                    }
                }
                if problems.is_empty() {
                    problems.add_general("profile-save", tr(&page, "profile-problem-other"));
                }
            }
            Err(ProfileError::ConsentRequired) => {
                problems.add_general("health-consent", tr(&page, "profile-problem-consent"));
            }
            Err(other) => return internal(other),
        }
    }
    // The form again: this part as sent, the other parts as stored.
    let mut shown = match stored(&state, &page, caller).await {
        Ok(stored) => stored,
        Err(error) => return internal(error),
    };
    for spec in fields.iter().filter(|f| in_part(f)) {
        let code = spec.code.to_string();
        if spec.kind != FieldKind::Photo {
            match sent.values.get(&code) {
                Some(values) => shown.values.insert(code.clone(), values.clone()),
                None => shown.values.remove(&code),
            };
        }
        if let Some(visibility) = sent.visibility.get(&code) {
            shown.visibility.insert(code, visibility.clone());
        }
    }
    if let Some(discoverable) = discoverable {
        shown.discoverable = discoverable;
    }
    let flash = Flash::default();
    render_profile(&state, &page, caller, &shown, &flash, problems, StatusCode::UNPROCESSABLE_ENTITY).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CsrfForm {
    csrf: String,
}

pub async fn give_consent(
    State(state): State<AppState>,
    page: AssociationPage,
    Form(form): Form<CsrfForm>,
) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    match state.kindred.give_consent(&page.tenant.association, caller, HEALTH_CONSENT).await {
        Ok(()) => back(&page, "/profile", "done", "consent-given"),
        Err(error) => internal(error),
    }
}

pub async fn withdraw_consent(
    State(state): State<AppState>,
    page: AssociationPage,
    Form(form): Form<CsrfForm>,
) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    match state.kindred.withdraw_consent(&page.tenant.association, caller, HEALTH_CONSENT).await {
        Ok(true) => back(&page, "/profile", "done", "consent-withdrawn"),
        Ok(false) => back(&page, "/profile", "done", "nothing-to-do"),
        Err(error) => internal(error),
    }
}

// ------------------------------------------------------------------ photo

pub async fn upload_photo(
    State(state): State<AppState>,
    page: AssociationPage,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(parts) = multipart_parts(&headers, &body) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let csrf = parts.iter().find(|p| p.name == "csrf").and_then(|p| std::str::from_utf8(&p.data).ok()).unwrap_or("");
    let caller = match member_post(&state, &page, csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let photo = parts.into_iter().find(|p| p.name == "photo").map(|p| p.data).unwrap_or_default();
    let problem = if photo.is_empty() {
        "profile-photo-problem-empty"
    } else {
        match state.kindred.set_photo(&page.tenant.association, caller, photo).await {
            Ok(()) => return back(&page, "/profile", "done", "photo-saved"),
            Err(PhotoError::TooLarge) => "profile-photo-problem-too-large",
            Err(PhotoError::NotAnImage) => "profile-photo-problem-not-an-image",
            Err(PhotoError::TooManyPixels { .. }) => "profile-photo-problem-too-many-pixels",
            Err(PhotoError::NoPhotoField) => return StatusCode::NOT_FOUND.into_response(),
            Err(other) => return internal(other),
        }
    };
    let kept = match stored(&state, &page, caller).await {
        Ok(kept) => kept,
        Err(error) => return internal(error),
    };
    let problems = Problems::one("photo", tr(&page, problem));
    render_profile(&state, &page, caller, &kept, &Flash::default(), problems, StatusCode::UNPROCESSABLE_ENTITY).await
}

pub async fn remove_photo(
    State(state): State<AppState>,
    page: AssociationPage,
    Form(form): Form<CsrfForm>,
) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    match state.kindred.remove_photo(&page.tenant.association, caller).await {
        Ok(true) => back(&page, "/profile", "done", "photo-removed"),
        Ok(false) => back(&page, "/profile", "done", "nothing-to-do"),
        Err(error) => internal(error),
    }
}

/// The member's own photo, for the profile page.
pub async fn own_photo(State(state): State<AppState>, page: AssociationPage) -> Response {
    let caller = match member(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    match state.kindred.own_photo(&page.tenant.association, caller).await {
        Ok(Some(image)) => jpeg(image),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => internal(error),
    }
}

// ------------------------------------------------------------------ preview

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PreviewQuery {
    level: String,
    /// "View as one of my contacts": the contact's member id.
    contact: String,
}

#[derive(Serialize)]
struct ContactChoice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Serialize)]
struct Tab {
    href: String,
    label: String,
    current: bool,
}

pub async fn preview(
    State(state): State<AppState>,
    page: AssociationPage,
    Query(query): Query<PreviewQuery>,
) -> Response {
    let caller = match member(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let association = &page.tenant.association;
    let mut level = parse_level(&query.level).unwrap_or(Level::Community);
    // As one contact sees me (the level I placed them on), or at a level.
    let mut as_contact = None;
    let shown = if query.contact.is_empty() {
        match state.kindred.preview_own(association, caller, level).await {
            Ok(shown) => shown,
            Err(error) => return internal(error),
        }
    } else {
        match state.kindred.preview_as_contact(association, caller, &query.contact).await {
            Ok((pseudonym, granted, shown)) => {
                level = granted;
                as_contact = Some(pseudonym);
                shown
            }
            Err(MemberError::NotFound) => return StatusCode::NOT_FOUND.into_response(),
            Err(error) => return internal(error),
        }
    };
    let contacts: Vec<ContactChoice> = match state.kindred.contacts(association, caller).await {
        Ok(contacts) => contacts
            .into_iter()
            .map(|c| ContactChoice {
                selected: c.member_id.as_str() == query.contact,
                label: format!("{} ({})", c.pseudonym, level_label(&page, c.level_i_grant)),
                value: c.member_id.to_string(),
            })
            .collect(),
        Err(error) => return internal(error),
    };
    let fields: Vec<ShownField> = shown
        .iter()
        .map(|(spec, value)| shown_field(&page, spec, value, |v| link(&page, "/profile/photo", &[("v", v)])))
        .collect();
    let tabs: Vec<Tab> = Level::ALL
        .iter()
        .map(|l| Tab {
            href: link(&page, "/profile/preview", &[("level", &l.number().to_string())]),
            label: level_label(&page, *l),
            current: *l == level && as_contact.is_none(),
        })
        .collect();
    let level_name = level_label(&page, level);
    let values = minijinja::context! {
        tabs => tabs,
        fields => fields,
        pseudonym => caller.member.pseudonym,
        level => level.number(),
        intro => match &as_contact {
            Some(pseudonym) => tr_args(
                &page,
                "preview-as-contact-intro",
                &[("pseudonym", FluentValue::from(pseudonym.clone())), ("level", FluentValue::from(level_name.clone()))],
            ),
            None => tr_args(&page, "preview-intro", &[("level", FluentValue::from(level_name.clone()))]),
        },
        contacts => contacts,
        as_contact => as_contact.is_some(),
        preview_action => link(&page, "/profile/preview", &[]),
        lang => page.explicit.map(|l| l.code()),
        level_explained => tr(&page, &format!("level-{}-explained", level.number())),
        level_name => level_name,
        profile_href => link(&page, "/profile", &[]),
    };
    render_status(
        &state,
        StatusCode::OK,
        "community/preview.html",
        page.layout("/profile/preview", Section::Profile),
        values,
    )
}
