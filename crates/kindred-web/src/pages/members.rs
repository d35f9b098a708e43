//! Other members on the pages: the member search (a plain GET form), one
//! member's profile with what can be done (contact request, levels, asking
//! for a higher level, blocking), and their photo. What is shown is what
//! `service::members` returns: never more.

use super::association::AssociationPage;
use super::community::{
    back, catalogue, contact_outcome, level_choices, level_label, member, member_href, member_post, parse_level,
    shown_field, slow_down, Choice, Flash, ShownField,
};
use super::confirm::{ask, ask_on_get, confirmed, Confirm};
use super::forms::Problems;
use super::layout::{render_status, Section};
use super::respond::{internal, jpeg, link, see_other};
use super::text::{tr, tr_args, when, When};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use fluent_templates::fluent_bundle::FluentValue;
use kindred_domain::search::{QueryProblem, RawMemberQuery};
use kindred_domain::settings::FieldKind;
use kindred_domain::{Level, MemberId};
use kindred_service::contacts::{ContactError, RequestStatus};
use kindred_service::members::{MemberError, MemberView};
use kindred_service::sessions::Caller;
use serde::{Deserialize, Serialize};

// ------------------------------------------------------------------ search

/// The search parameters in the order of the form.
const PARAMS: [&str; 9] =
    ["q", "condition", "condition_form", "therapy", "medication", "region", "role", "min_age", "max_age"];

fn raw_query(pairs: &[(String, String)]) -> RawMemberQuery {
    RawMemberQuery::from_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())))
}

#[derive(Serialize)]
struct Group {
    label: String,
    options: Vec<Choice>,
}

#[derive(Serialize)]
struct Criteria {
    q: String,
    min_age: String,
    max_age: String,
    conditions: Vec<Choice>,
    forms: Vec<Group>,
    therapies: Vec<Choice>,
    medications: Vec<Choice>,
    regions: Vec<Choice>,
    roles: Vec<Choice>,
}

fn criteria(page: &AssociationPage, pairs: &[(String, String)]) -> Criteria {
    let value = |name: &str| pairs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let settings = &page.tenant.association.settings;
    let language = page.language;
    let choices = |param: &str, kind: FieldKind| {
        let chosen = value(param);
        catalogue(settings, kind)
            .into_iter()
            .map(|e| Choice {
                value: e.code.to_string(),
                label: e.name.get(language).to_owned(),
                selected: e.code.as_str() == chosen,
            })
            .collect::<Vec<_>>()
    };
    let condition = value("condition");
    let form = value("condition_form");
    Criteria {
        q: value("q"),
        min_age: value("min_age"),
        max_age: value("max_age"),
        conditions: settings
            .catalog
            .conditions
            .iter()
            .map(|c| Choice {
                value: c.code.to_string(),
                label: c.name.get(language).to_owned(),
                selected: c.code.as_str() == condition,
            })
            .collect(),
        forms: settings
            .catalog
            .conditions
            .iter()
            .filter(|c| !c.forms.is_empty())
            .map(|c| Group {
                label: c.name.get(language).to_owned(),
                options: c
                    .forms
                    .iter()
                    .map(|f| Choice {
                        value: f.code.to_string(),
                        label: f.name.get(language).to_owned(),
                        selected: f.code.as_str() == form,
                    })
                    .collect(),
            })
            .collect(),
        therapies: choices("therapy", FieldKind::Therapies),
        medications: choices("medication", FieldKind::Medications),
        regions: choices("region", FieldKind::Region),
        roles: choices("role", FieldKind::Role),
    }
}

#[derive(Serialize)]
struct Found {
    href: String,
    pseudonym: String,
    badge: Option<String>,
    /// The photo's address when the viewer may see it; `None` both when it
    /// is hidden from them and when there is none, so that the page shows
    /// the same placeholder for both.
    photo: Option<String>,
    fields: Vec<ShownField>,
}

fn query_problem(page: &AssociationPage, problem: QueryProblem) -> String {
    let key = match problem {
        QueryProblem::UnknownCode => "search-problem-code",
        QueryProblem::NotAnAge => "search-problem-age",
        QueryProblem::EmptyRange => "search-problem-range",
        QueryProblem::BadCursor => "search-problem-cursor",
        QueryProblem::TooLong => "search-problem-too-long",
    };
    tr(page, key)
}

pub async fn search(
    State(state): State<AppState>,
    page: AssociationPage,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let caller = match member(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let searched = pairs.iter().any(|(k, _)| PARAMS.contains(&k.as_str()) || k == "cursor");
    let mut problems = Problems::default();
    let mut results = Vec::new();
    let mut next_href = None;
    let mut status = StatusCode::OK;
    if searched {
        match state.kindred.search_members(&page.tenant.association, caller, &raw_query(&pairs)).await {
            Ok(found) => {
                results = found
                    .results
                    .iter()
                    .map(|view| Found {
                        href: member_href(&page, &view.id),
                        pseudonym: view.pseudonym.clone(),
                        badge: view.badge.clone(),
                        photo: super::people::photo_of(&page, view),
                        fields: view
                            .fields
                            .iter()
                            .filter(|(spec, _)| spec.kind != FieldKind::Photo)
                            .map(|(spec, value)| shown_field(&page, spec, value, |_| String::new()))
                            .collect(),
                    })
                    .collect();
                if let Some(cursor) = found.next_cursor {
                    let mut query: Vec<(&str, &str)> = pairs
                        .iter()
                        .filter(|(k, v)| PARAMS.contains(&k.as_str()) && !v.trim().is_empty())
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect();
                    query.push(("cursor", &cursor));
                    next_href = Some(link(&page, "/members", &query));
                }
            }
            Err(MemberError::Invalid(found)) => {
                for param in PARAMS.iter().chain(["cursor"].iter()) {
                    for (_, problem) in found.iter().filter(|(name, _)| name == param) {
                        let id = if *param == "cursor" { "s-q".to_owned() } else { format!("s-{param}") };
                        problems.add(&id, query_problem(&page, *problem));
                    }
                }
                status = StatusCode::UNPROCESSABLE_ENTITY;
            }
            Err(MemberError::Throttled(t)) => return slow_down(&state, &page, t.retry_after),
            Err(other) => return internal(other),
        }
    }
    let paged = pairs.iter().any(|(k, _)| k == "cursor");
    let values = minijinja::context! {
        criteria => criteria(&page, &pairs),
        searched => searched && status == StatusCode::OK,
        results => results,
        next_href => next_href,
        first_href => paged.then(|| {
            let query: Vec<(&str, &str)> = pairs
                .iter()
                .filter(|(k, v)| PARAMS.contains(&k.as_str()) && !v.trim().is_empty())
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            link(&page, "/members", &query)
        }),
        problems => problems,
        action => link(&page, "/members", &[]),
        lang => page.explicit.map(|l| l.code()),
        discoverable => caller.member.discoverable,
        profile_href => link(&page, "/profile", &[]),
    };
    render_status(&state, status, "community/search.html", page.layout("/members", Section::Members), values)
}

// ------------------------------------------------------------------ one member

#[derive(Serialize)]
struct PendingView {
    id: String,
    message: Option<String>,
    level: String,
    when: When,
}

fn pending_view(page: &AssociationPage, view: &kindred_service::contacts::RequestView) -> PendingView {
    PendingView {
        id: view.id.clone(),
        message: view.message.clone(),
        level: level_label(page, view.level),
        when: when(page, view.created_at),
    }
}

/// What the member page needs besides the profile: open requests between the two.
#[derive(Default)]
struct Between {
    incoming: Option<PendingView>,
    outgoing: Option<PendingView>,
    asked: Option<PendingView>,
    asked_of_me: Option<PendingView>,
}

async fn between(
    state: &AppState,
    page: &AssociationPage,
    caller: &Caller,
    other: &MemberId,
) -> Result<Between, ContactError> {
    let association = &page.tenant.association;
    let contact = state.kindred.contact_requests(association, caller).await?;
    let disclosure = state.kindred.disclosure_requests(association, caller).await?;
    let open = |list: &[kindred_service::contacts::RequestView]| {
        list.iter().find(|r| &r.member_id == other && r.status == RequestStatus::Pending).map(|r| pending_view(page, r))
    };
    Ok(Between {
        incoming: open(&contact.incoming),
        outgoing: open(&contact.outgoing),
        asked: open(&disclosure.outgoing),
        asked_of_me: open(&disclosure.incoming),
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ActionForm {
    pub(super) csrf: String,
    pub(super) level: String,
    pub(super) message: String,
    /// A member id: go back to their page; else to the contacts page.
    pub(super) back_to: String,
    /// Ending a contact, blocking: present once the member confirmed (`pages::confirm`).
    pub(super) confirm: Option<String>,
}

impl ActionForm {
    pub(super) fn back_path(&self) -> String {
        match MemberId::parse(self.back_to.trim()) {
            Some(id) => format!("/members/{id}"),
            None => "/contacts".to_owned(),
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn render_member(
    state: &AppState,
    page: &AssociationPage,
    caller: &Caller,
    view: MemberView,
    flash: &Flash,
    message: &str,
    problems: Problems,
    status: StatusCode,
) -> Response {
    let between = if view.own {
        Between::default()
    } else {
        match between(state, page, caller, &view.id).await {
            Ok(between) => between,
            Err(error) => return internal(error),
        }
    };
    let id = view.id.to_string();
    let may_message = !view.own
        && state
            .kindred
            .may_message(&page.tenant.association, caller, &id)
            .await
            .is_ok_and(|d| d != kindred_domain::messaging::Decision::Forbidden);
    let photo_base = format!("/members/{id}/photo");
    let mut photo = None;
    let mut fields = Vec::new();
    for (spec, value) in &view.fields {
        let shown = shown_field(page, spec, value, |v| link(page, &photo_base, &[("v", v)]));
        if shown.photo_src.is_some() {
            photo = shown.photo_src;
        } else {
            fields.push(shown);
        }
    }
    let pseudonym = view.pseudonym.clone();
    let p = || FluentValue::from(pseudonym.clone());
    let values = minijinja::context! {
        id => id,
        pseudonym => view.pseudonym,
        badge => view.badge,
        own => view.own,
        contact => view.contact,
        fields => fields,
        photo => photo,
        photo_alt => tr_args(page, "member-photo-alt", &[("pseudonym", p())]),
        granted_to_me => level_label(page, view.level_granted_to_me),
        i_grant => level_label(page, view.level_i_grant),
        level_choices => level_choices(page, view.level_i_grant, None),
        request_choices => level_choices(page, Level::Community, None),
        accept_choices => level_choices(page, Level::Community, None),
        ask_choices => if view.level_granted_to_me == Level::Personal {
            Vec::new()
        } else {
            let next = Level::from_number(i64::from(view.level_granted_to_me.number()) + 1).unwrap_or(Level::Personal);
            level_choices(page, next, Some(view.level_granted_to_me))
        },
        incoming => between.incoming,
        outgoing => between.outgoing,
        asked => between.asked,
        asked_of_me => between.asked_of_me.is_some(),
        message => message,
        csrf => page.session.csrf(),
        flash => flash.view(page),
        problems => problems,
        contacts_href => link(page, "/contacts", &[]),
        profile_href => link(page, "/profile", &[]),
        preview_href => link(page, "/profile/preview", &[("level", "1")]),
        search_href => link(page, "/members", &[]),
        message_href => may_message.then(|| link(page, "/messages/new", &[("to", &id)])),
        sees_me_text => tr_args(page, "member-sees-me", &[("pseudonym", p()), ("level", FluentValue::from(level_label(page, view.level_i_grant)))]),
        i_see_text => tr_args(page, "member-i-see", &[("pseudonym", p()), ("level", FluentValue::from(level_label(page, view.level_granted_to_me)))]),
    };
    let path = format!("/members/{}", view.id);
    render_status(state, status, "community/member.html", page.layout(&path, Section::Members), values)
}

async fn load_member(
    state: &AppState,
    page: &AssociationPage,
    caller: &Caller,
    id: &str,
) -> Result<MemberView, Box<Response>> {
    match state.kindred.view_member(&page.tenant.association, caller, id).await {
        Ok(view) => Ok(view),
        Err(MemberError::NotFound) => Err(Box::new(StatusCode::NOT_FOUND.into_response())),
        Err(MemberError::Throttled(t)) => Err(Box::new(slow_down(state, page, t.retry_after))),
        Err(other) => Err(Box::new(internal(other))),
    }
}

pub async fn member_page(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Query(flash): Query<Flash>,
) -> Response {
    let caller = match member(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let view = match load_member(&state, &page, caller, &id).await {
        Ok(view) => view,
        Err(response) => return *response,
    };
    render_member(&state, &page, caller, view, &flash, "", Problems::default(), StatusCode::OK).await
}

/// Another member's photo, when the signed-in member may see it; 404 otherwise.
pub async fn photo(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    let caller = match member(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    match state.kindred.member_photo(&page.tenant.association, caller, &id).await {
        Ok((image, _)) => jpeg(image),
        Err(MemberError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(MemberError::Throttled(t)) => slow_down(&state, &page, t.retry_after),
        Err(other) => internal(other),
    }
}

// ------------------------------------------------------------------ actions

pub async fn request_contact(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let path = format!("/members/{id}");
    let Some(level) = parse_level(&form.level) else { return back(&page, &path, "problem", "bad-level") };
    let message = Some(form.message.as_str()).filter(|m| !m.trim().is_empty());
    let result = state.kindred.request_contact(&page.tenant.association, caller, &id, message, Some(level)).await;
    match result {
        Err(ContactError::Invalid(found)) if found.iter().any(|(f, _)| *f == "message") => {
            let problem = if form.message.trim().chars().count() > kindred_service::contacts::MAX_MESSAGE {
                "member-problem-message-long"
            } else {
                "member-problem-message-characters"
            };
            let view = match load_member(&state, &page, caller, &id).await {
                Ok(view) => view,
                Err(response) => return *response,
            };
            let problems = Problems::one("message", tr(&page, problem));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render_member(&state, &page, caller, view, &Flash::default(), &form.message, problems, status).await
        }
        other => contact_outcome(&state, &page, &path, other.map(|_| ()), "request-sent"),
    }
}

pub async fn set_level(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let path = form.back_path();
    let Some(level) = parse_level(&form.level) else { return back(&page, &path, "problem", "bad-level") };
    let result = state.kindred.set_contact_level(&page.tenant.association, caller, &id, level).await;
    contact_outcome(&state, &page, &path, result, "level-changed")
}

/// Ending a contact asks first (`pages::confirm`).
fn end_contact_confirm(id: &str, form: &ActionForm) -> Confirm {
    let back_to = MemberId::parse(form.back_to.trim()).map(|m| m.to_string()).unwrap_or_default();
    Confirm {
        kind: "end-contact",
        action: format!("/members/{id}/remove-contact"),
        fields: vec![("back_to", back_to)],
        cancel: form.back_path(),
        section: Section::Contacts,
    }
}

/// GET of the address (a reload, a bookmark): the confirmation page.
pub async fn remove_contact_page(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Query(form): Query<ActionForm>,
) -> Response {
    ask_on_get(&state, &page, end_contact_confirm(&id, &form))
}

/// Blocking asks first (`pages::confirm`).
fn block_confirm(id: &str) -> Confirm {
    Confirm {
        kind: "block",
        action: format!("/members/{id}/block"),
        fields: Vec::new(),
        cancel: format!("/members/{id}"),
        section: Section::Members,
    }
}

/// GET of the address (a reload, a bookmark): the confirmation page.
pub async fn block_page(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    ask_on_get(&state, &page, block_confirm(&id))
}

pub async fn remove_contact(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    if !confirmed(form.confirm.as_deref()) {
        return ask(&state, &page, end_contact_confirm(&id, &form));
    }
    let result = state.kindred.remove_contact(&page.tenant.association, caller, &id).await;
    contact_outcome(&state, &page, &form.back_path(), result, "contact-removed")
}

pub async fn ask_level(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let path = format!("/members/{id}");
    let Some(level) = parse_level(&form.level) else { return back(&page, &path, "problem", "bad-level") };
    let result = state.kindred.ask_for_level(&page.tenant.association, caller, &id, level).await;
    contact_outcome(&state, &page, &path, result.map(|_| ()), "level-asked")
}

pub async fn block(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    if !confirmed(form.confirm.as_deref()) {
        return ask(&state, &page, block_confirm(&id));
    }
    let result = state.kindred.block(&page.tenant.association, caller, &id).await;
    match result {
        // The member is gone for both from now on: back to the contacts page, where blocks are listed.
        Ok(()) => see_other(&link(&page, "/contacts", &[("done", "blocked")])),
        other => contact_outcome(&state, &page, &format!("/members/{id}"), other, "blocked"),
    }
}
