//! Groups on the pages: finding groups (a plain GET form with the same
//! criteria as the API), creating one, a group's page (what it is, joining,
//! leaving, subgroups, the way to its forum and member list) and the member
//! list (with requests, invitations and moderators for the group's
//! moderators). Everything comes from `service::groups`, so a secret group
//! is, for anyone not in it, the same 404 page as an id never used, and an
//! alias group shows aliases only.

use super::association::AssociationPage;
use super::community::{catalogue, code_name, member, member_href, member_post, Choice};
use super::confirm::{ask, ask_on_get, confirmed, Confirm};
use super::forms::{field, fields, Problems};
use super::layout::{render_status, Section};
use super::respond::{internal, link, see_other};
use super::text::{tr, tr_args, when, When};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use fluent_templates::fluent_bundle::FluentValue;
use kindred_domain::counts::ShownCount;
use kindred_domain::groups::{Joining, Membership, PROFESSIONAL};
use kindred_domain::search::QueryProblem;
use kindred_domain::settings::{Code, FieldKind, LocalizedText};
use kindred_service::groups::{GroupActionError, GroupConflict, GroupInput, GroupSummary, RawGroupQuery, Who};
use serde::{Deserialize, Serialize};

/// Percent-encodes a path segment (an alias may hold spaces).
fn segment(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn group_path(id: &str) -> String {
    format!("/groups/{id}")
}

// ------------------------------------------------------------------ flash

/// `?done=…` or `?problem=…` after a redirect; only these keys are shown.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct GroupFlash {
    done: Option<String>,
    problem: Option<String>,
}

const DONE: [&str; 10] = [
    "created",
    "joined",
    "requested",
    "left",
    "declined",
    "invited",
    "approved",
    "request-declined",
    "moderator",
    "withdrawn",
];
const PROBLEMS: [&str; 11] = [
    "forbidden",
    "role-restricted",
    "already-member",
    "already-requested",
    "already-invited",
    "request-pending",
    "not-member",
    "not-invited",
    "last-moderator",
    "last-alias-moderator",
    "not-found",
];

#[derive(Serialize)]
struct FlashView {
    done: Option<String>,
    problem: Option<String>,
}

impl GroupFlash {
    fn view(&self, page: &AssociationPage) -> FlashView {
        FlashView {
            done: self.done.as_deref().filter(|d| DONE.contains(d)).map(|d| tr(page, &format!("groups-done-{d}"))),
            problem: self
                .problem
                .as_deref()
                .filter(|p| PROBLEMS.contains(p))
                .map(|p| tr(page, &format!("groups-problem-{p}"))),
        }
    }
}

/// After an action: back to `path` with a message; a group or member the
/// caller may not know of is the 404 page.
fn outcome(page: &AssociationPage, path: &str, result: Result<(), GroupActionError>, done: &str) -> Response {
    let problem = match result {
        Ok(()) => return see_other(&link(page, path, &[("done", done)])),
        Err(GroupActionError::NotFound) => return StatusCode::NOT_FOUND.into_response(),
        Err(GroupActionError::Forbidden) => "forbidden".to_owned(),
        Err(GroupActionError::RoleRestricted) => "role-restricted".to_owned(),
        // The API's code is the same for both; the page says why.
        Err(GroupActionError::Conflict(GroupConflict::LastAliasModerator)) => "last-alias-moderator".to_owned(),
        Err(GroupActionError::Conflict(c)) => c.code().replace('_', "-"),
        Err(GroupActionError::Invalid(_)) | Err(GroupActionError::InvalidQuery(_)) => "not-found".to_owned(),
        Err(other) => return internal(other),
    };
    see_other(&link(page, path, &[("problem", &problem)]))
}

// ------------------------------------------------------------------ shared views

#[derive(Serialize)]
struct Fact {
    name: String,
    value: String,
}

fn codes_text(page: &AssociationPage, kind: FieldKind, codes: &[String]) -> String {
    codes.iter().filter_map(|c| Code::parse(c).ok()).map(|c| code_name(page, kind, &c)).collect::<Vec<_>>().join(", ")
}

fn kind_text(page: &AssociationPage, summary: &GroupSummary) -> String {
    let record = &summary.seen.record;
    let mut parts = vec![tr(page, &format!("groups-visibility-{}", record.visibility))];
    parts.push(tr(page, &format!("groups-mode-{}", record.mode)));
    if record.alias_mode {
        parts.push(tr(page, "groups-alias-group"));
    }
    parts.join(" · ")
}

fn facts(page: &AssociationPage, summary: &GroupSummary) -> Vec<Fact> {
    let record = &summary.seen.record;
    let mut facts = Vec::new();
    let mut add = |key: &str, value: String| {
        if !value.is_empty() {
            facts.push(Fact { name: tr(page, key), value });
        }
    };
    add("groups-fact-kind", kind_text(page, summary));
    if let Some(role) = record.role_restriction.as_deref().and_then(|r| Code::parse(r).ok()) {
        add("groups-fact-role", code_name(page, FieldKind::Role, &role));
    }
    if let Some(region) = record.region.as_deref().and_then(|r| Code::parse(r).ok()) {
        add("groups-fact-region", code_name(page, FieldKind::Region, &region));
    }
    add("groups-fact-conditions", codes_text(page, FieldKind::Condition, &summary.conditions));
    add("groups-fact-therapies", codes_text(page, FieldKind::Therapies, &summary.therapies));
    add("groups-fact-medications", codes_text(page, FieldKind::Medications, &summary.medications));
    match summary.member_count {
        ShownCount::Exact(count) => add("groups-fact-members", count.to_string()),
        ShownCount::FewerThan(threshold) => add(
            "groups-fact-members",
            tr_args(page, "groups-members-fewer-than", &[("threshold", FluentValue::from(threshold))]),
        ),
        ShownCount::Hidden => {}
    }
    facts
}

fn paragraphs(text: &str) -> Vec<String> {
    text.split('\n').map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

// ------------------------------------------------------------------ search

const PARAMS: [&str; 4] = ["q", "condition", "therapy", "region"];

#[derive(Serialize)]
struct Found {
    href: String,
    name: String,
    kind: String,
    description: String,
    facts: Vec<Fact>,
    membership: Option<String>,
}

/// Which catalogue codes a control offers: every code (to find groups
/// tagged with a code retired since), or only those that may be chosen anew.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Offer {
    All,
    Current,
}

fn choices(page: &AssociationPage, kind: FieldKind, chosen: &str, offer: Offer) -> Vec<Choice> {
    let language = page.language;
    let catalog = &page.tenant.association.settings.catalog;
    let entries: Vec<(&Code, &LocalizedText, bool)> = if kind == FieldKind::Condition {
        catalog.conditions.iter().map(|c| (&c.code, &c.name, c.retired)).collect()
    } else {
        catalogue(&page.tenant.association.settings, kind).into_iter().map(|e| (&e.code, &e.name, e.retired)).collect()
    };
    entries
        .into_iter()
        .filter(|(_, _, retired)| offer == Offer::All || !retired)
        .map(|(code, name, _)| Choice {
            value: code.to_string(),
            label: name.get(language).to_owned(),
            selected: code.as_str() == chosen,
        })
        .collect()
}

fn membership_text(page: &AssociationPage, membership: Membership) -> Option<String> {
    match membership {
        Membership::Outside => None,
        other => Some(tr(page, &format!("groups-membership-{}", other.as_str()))),
    }
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
    let value = |name: &str| pairs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let raw = RawGroupQuery::from_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    let mut problems = Problems::default();
    let mut status = StatusCode::OK;
    let mut results = Vec::new();
    let mut next_href = None;
    match state.kindred.search_groups(&page.tenant.association, caller, &raw).await {
        Ok(found) => {
            results = found
                .results
                .iter()
                .map(|s| Found {
                    href: link(&page, &group_path(s.seen.id.as_str()), &[]),
                    name: s.seen.record.name.clone(),
                    kind: kind_text(&page, s),
                    description: s.seen.record.description.chars().take(280).collect(),
                    facts: facts(&page, s).into_iter().skip(1).collect(),
                    membership: membership_text(&page, s.seen.access.membership),
                })
                .collect();
            if let Some(cursor) = found.next_cursor {
                let mut query: Vec<(&str, &str)> = pairs
                    .iter()
                    .filter(|(k, v)| PARAMS.contains(&k.as_str()) && !v.trim().is_empty())
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                query.push(("cursor", &cursor));
                next_href = Some(link(&page, "/groups", &query));
            }
        }
        Err(GroupActionError::InvalidQuery(found)) => {
            for (name, problem) in found {
                let id = if name == "cursor" { "g-q".to_owned() } else { format!("g-{name}") };
                let key = match problem {
                    QueryProblem::UnknownCode => "search-problem-code",
                    QueryProblem::BadCursor => "search-problem-cursor",
                    QueryProblem::TooLong => "search-problem-too-long",
                    _ => "search-problem-code",
                };
                problems.add(&id, tr(&page, key));
            }
            status = StatusCode::UNPROCESSABLE_ENTITY;
        }
        Err(other) => return internal(other),
    }
    let paged = pairs.iter().any(|(k, _)| k == "cursor");
    let values = minijinja::context! {
        q => value("q"),
        conditions => choices(&page, FieldKind::Condition, &value("condition"), Offer::All),
        therapies => choices(&page, FieldKind::Therapies, &value("therapy"), Offer::All),
        regions => choices(&page, FieldKind::Region, &value("region"), Offer::All),
        ok => status == StatusCode::OK,
        results => results,
        next_href => next_href,
        first_href => paged.then(|| {
            let query: Vec<(&str, &str)> = pairs
                .iter()
                .filter(|(k, v)| PARAMS.contains(&k.as_str()) && !v.trim().is_empty())
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            link(&page, "/groups", &query)
        }),
        problems => problems,
        action => link(&page, "/groups", &[]),
        lang => page.explicit.map(|l| l.code()),
        new_href => state.kindred.may_create_groups(&page.tenant.association, caller).then(|| link(&page, "/groups/new", &[])),
    };
    render_status(&state, status, "groups/search.html", page.layout("/groups", Section::Groups), values)
}

// ------------------------------------------------------------------ new group

#[derive(Serialize)]
struct Option_ {
    value: String,
    label: String,
    checked: bool,
}

fn options(page: &AssociationPage, prefix: &str, values: &[&str], chosen: &str) -> Vec<Option_> {
    values
        .iter()
        .map(|v| Option_ { value: (*v).to_owned(), label: tr(page, &format!("{prefix}-{v}")), checked: *v == chosen })
        .collect()
}

fn checkboxes(page: &AssociationPage, kind: FieldKind, chosen: &[String]) -> Vec<Option_> {
    choices(page, kind, "", Offer::Current)
        .into_iter()
        .map(|c| Option_ { checked: chosen.contains(&c.value), value: c.value, label: c.label })
        .collect()
}

fn render_new(
    state: &AppState,
    page: &AssociationPage,
    pairs: &[(String, String)],
    problems: Problems,
    status: StatusCode,
) -> Response {
    let v = |name: &str| field(pairs, name).to_owned();
    let or = |value: String, default: &str| if value.is_empty() { default.to_owned() } else { value };
    let values = minijinja::context! {
        name => v("name"),
        description => v("description"),
        visibility => options(page, "groups-visibility", &["open", "closed", "secret"], &or(v("visibility"), "open")),
        member_list => options(page, "groups-member-list", &["members", "group", "moderators"], &or(v("member_list"), "members")),
        mode => options(page, "groups-mode", &["online", "local"], &or(v("mode"), "online")),
        alias_mode => v("alias_mode") == "yes",
        anonymous_allowed => v("anonymous_allowed") == "yes",
        roles => choices(page, FieldKind::Role, &v("role_restriction"), Offer::Current),
        regions => choices(page, FieldKind::Region, &v("region"), Offer::Current),
        conditions => checkboxes(page, FieldKind::Condition, &fields(pairs, "conditions")),
        therapies => checkboxes(page, FieldKind::Therapies, &fields(pairs, "therapies")),
        medications => checkboxes(page, FieldKind::Medications, &fields(pairs, "medications")),
        parent_id => v("parent_id"),
        problems => problems,
        csrf => page.session.csrf(),
        action => link(page, "/groups/new", &[]),
    };
    render_status(state, status, "groups/new.html", page.layout("/groups/new", Section::Groups), values)
}

pub async fn new_form(
    State(state): State<AppState>,
    page: AssociationPage,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let caller = match member(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    if !state.kindred.may_create_groups(&page.tenant.association, caller) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let parent = field(&pairs, "parent").to_owned();
    let prefilled = vec![("parent_id".to_owned(), parent)];
    render_new(&state, &page, &prefilled, Problems::default(), StatusCode::OK)
}

pub async fn create(
    State(state): State<AppState>,
    page: AssociationPage,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let caller = match member_post(&state, &page, field(&pairs, "csrf")) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let optional = |name: &str| Some(field(&pairs, name).to_owned()).filter(|v| !v.trim().is_empty());
    let input = GroupInput {
        name: field(&pairs, "name").to_owned(),
        description: field(&pairs, "description").to_owned(),
        visibility: field(&pairs, "visibility").to_owned(),
        member_list: field(&pairs, "member_list").to_owned(),
        alias_mode: field(&pairs, "alias_mode") == "yes",
        conditions: fields(&pairs, "conditions"),
        therapies: fields(&pairs, "therapies"),
        medications: fields(&pairs, "medications"),
        region: optional("region"),
        parent_id: optional("parent_id"),
        role_restriction: optional("role_restriction"),
        mode: optional("mode"),
        anonymous_allowed: field(&pairs, "anonymous_allowed") == "yes",
    };
    match state.kindred.create_group(&page.tenant.association, caller, &input).await {
        Ok(id) => see_other(&link(&page, &group_path(id.as_str()), &[("done", "created")])),
        Err(GroupActionError::Invalid(found)) => {
            let mut problems = Problems::default();
            for (field, _) in found {
                let id = match field {
                    "visibility" => "g-visibility-open".to_owned(),
                    "member_list" => "g-member_list-members".to_owned(),
                    "mode" => "g-mode-online".to_owned(),
                    "conditions" | "therapies" | "medications" => format!("g-{field}"),
                    other => format!("g-{other}"),
                };
                problems.add(&id, tr(&page, &format!("groups-new-problem-{}", field.replace('_', "-"))));
            }
            render_new(&state, &page, &pairs, problems, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(GroupActionError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(GroupActionError::Forbidden) => StatusCode::FORBIDDEN.into_response(),
        Err(other) => internal(other),
    }
}

// ------------------------------------------------------------------ one group

#[derive(Serialize)]
struct LinkItem {
    href: String,
    label: String,
}

pub async fn group_page(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Query(flash): Query<GroupFlash>,
) -> Response {
    let caller = match member(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let view = match state.kindred.view_group(&page.tenant.association, caller, &id).await {
        Ok(view) => view,
        Err(GroupActionError::NotFound) => return StatusCode::NOT_FOUND.into_response(),
        Err(other) => return internal(other),
    };
    let seen = &view.summary.seen;
    let gid = seen.id.to_string();
    let access = seen.access;
    let base = group_path(&gid);
    let join_label = match access.join {
        Joining::Direct => Some(tr(&page, "groups-join")),
        Joining::OnRequest => Some(tr(&page, "groups-request")),
        Joining::AcceptInvitation => Some(tr(&page, "groups-accept")),
        Joining::No => None,
    };
    let leave_label = match access.membership {
        Membership::Member | Membership::Moderator => Some(tr(&page, "groups-leave")),
        Membership::Requested => Some(tr(&page, "groups-withdraw")),
        _ => None,
    };
    let mut links = Vec::new();
    if access.read {
        links
            .push(LinkItem { href: link(&page, &format!("{base}/forum"), &[]), label: tr(&page, "groups-forum-link") });
    }
    if access.read {
        links.push(LinkItem {
            href: link(&page, "/events", &[("group_id", &gid)]),
            label: tr(&page, "groups-events-link"),
        });
    }
    if access.see_members {
        links.push(LinkItem {
            href: link(&page, &format!("{base}/members"), &[]),
            label: tr(&page, "groups-members-link"),
        });
    }
    if access.moderate && state.kindred.may_create_groups(&page.tenant.association, caller) {
        links.push(LinkItem {
            href: link(&page, "/groups/new", &[("parent", &gid)]),
            label: tr(&page, "groups-new-subgroup-link"),
        });
    }
    let membership = match access.membership {
        Membership::Outside if view.role_restricted => tr(&page, "groups-membership-role-restricted"),
        Membership::Outside => tr(&page, "groups-membership-none"),
        other => tr(&page, &format!("groups-membership-{}", other.as_str())),
    };
    // Said before joining: a group for one role shows each member's role to
    // the others; for professionals, only the verified ones get in.
    let role = seen.record.role_restriction.as_deref().and_then(|r| Code::parse(r).ok());
    let role_notice = role.as_ref().map(|role| {
        let name = code_name(&page, FieldKind::Role, role);
        tr_args(&page, "groups-role-shown", &[("role", FluentValue::from(name))])
    });
    let role_verified = role.filter(|r| r.as_str() == PROFESSIONAL).map(|_| tr(&page, "groups-role-verified"));
    let values = minijinja::context! {
        name => seen.record.name.clone(),
        alias_mode => seen.record.alias_mode,
        role_notice => role_notice,
        role_verified => role_verified,
        description => paragraphs(&seen.record.description),
        facts => facts(&page, &view.summary),
        my_alias => seen.my_alias.clone(),
        alias_text => seen.my_alias.clone().map(|a| tr_args(&page, "groups-my-alias", &[("alias", FluentValue::from(a))])),
        membership => membership,
        join_label => join_label,
        invited => access.membership == Membership::Invited,
        leave_label => leave_label,
        action_base => link(&page, &base, &[]),
        join_action => link(&page, &format!("{base}/join"), &[]),
        leave_action => link(&page, &format!("{base}/leave"), &[]),
        decline_action => link(&page, &format!("{base}/invitations/decline"), &[]),
        links => links,
        parent => view.parent.as_ref().map(|p| LinkItem { href: link(&page, &group_path(&p.id), &[]), label: p.name.clone() }),
        subgroups => view.subgroups.iter().map(|s| LinkItem { href: link(&page, &group_path(&s.id), &[]), label: s.name.clone() }).collect::<Vec<_>>(),
        csrf => page.session.csrf(),
        flash => flash.view(&page),
        search_href => link(&page, "/groups", &[]),
    };
    render_status(&state, StatusCode::OK, "groups/group.html", page.layout(&base, Section::Groups), values)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CsrfOnly {
    csrf: String,
    /// Leaving: present once the member confirmed (`pages::confirm`).
    confirm: Option<String>,
}

pub async fn join(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<CsrfOnly>,
) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    match state.kindred.join_group(&page.tenant.association, caller, &id).await {
        Ok(Membership::Requested) => outcome(&page, &group_path(&id), Ok(()), "requested"),
        Ok(_) => outcome(&page, &group_path(&id), Ok(()), "joined"),
        Err(error) => outcome(&page, &group_path(&id), Err(error), ""),
    }
}

/// Leaving a group asks first (`pages::confirm`).
fn leave_confirm(id: &str) -> Confirm {
    Confirm {
        kind: "leave-group",
        action: format!("/groups/{id}/leave"),
        fields: Vec::new(),
        cancel: group_path(id),
        section: Section::Groups,
    }
}

/// GET of the address (a reload, a bookmark): the confirmation page.
pub async fn leave_page(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    ask_on_get(&state, &page, leave_confirm(&id))
}

pub async fn leave(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<CsrfOnly>,
) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    if !confirmed(form.confirm.as_deref()) {
        return ask(&state, &page, leave_confirm(&id));
    }
    let result = state.kindred.leave_group(&page.tenant.association, caller, &id).await;
    // Out of a secret group, its page is gone: back to the list of groups.
    match result {
        Ok(()) => see_other(&link(&page, "/groups", &[])),
        Err(error) => outcome(&page, &group_path(&id), Err(error), ""),
    }
}

pub async fn decline_invitation(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<CsrfOnly>,
) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    match state.kindred.decline_group_invitation(&page.tenant.association, caller, &id).await {
        Ok(()) => see_other(&link(&page, "/groups", &[])),
        Err(error) => outcome(&page, &group_path(&id), Err(error), ""),
    }
}

// ------------------------------------------------------------------ members

#[derive(Serialize)]
struct MemberRow {
    name: String,
    /// The member's page (never in alias groups).
    href: Option<String>,
    badge: Option<String>,
    /// The photo where the viewer may see it (`Kindred::faces`); never by
    /// an alias.
    photo: Option<String>,
    moderator: bool,
    /// What a group moderator posts to name this member a moderator.
    promote_value: Option<String>,
    when: Option<When>,
    approve_action: Option<String>,
    decline_action: Option<String>,
}

pub async fn members(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Query(flash): Query<GroupFlash>,
    Query(pick): Query<super::people::PickQuery>,
) -> Response {
    let caller = match member(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let list = match state.kindred.group_members(&page.tenant.association, caller, &id).await {
        Ok(list) => list,
        Err(GroupActionError::NotFound) => return StatusCode::NOT_FOUND.into_response(),
        Err(GroupActionError::Forbidden) => {
            let path = group_path(&id);
            return see_other(&link(&page, &path, &[("problem", "forbidden")]));
        }
        Err(other) => return internal(other),
    };
    let gid = list.group.id.to_string();
    let base = group_path(&gid);
    let moderator = list.group.access.membership == Membership::Moderator;
    let key = |who: &Who| match who {
        Who::Alias(alias) => segment(alias),
        Who::Member { id, .. } => id.to_string(),
    };
    let name_of = |who: &Who| match who {
        Who::Alias(alias) => (alias.clone(), None, None),
        Who::Member { id, pseudonym, badge } => (pseudonym.clone(), Some(member_href(&page, id)), badge.clone()),
    };
    // Faces of those listed by name (an alias has none); a failure to look
    // them up shows placeholders.
    let named: Vec<kindred_domain::MemberId> = list
        .members
        .iter()
        .map(|m| &m.who)
        .chain(list.requests.iter().map(|r| &r.who))
        .filter_map(|who| match who {
            Who::Member { id, .. } => Some(id.clone()),
            Who::Alias(_) => None,
        })
        .collect();
    let faces = state.kindred.faces(&page.tenant.association, caller, &named).await.unwrap_or_default();
    let photo_of = |who: &Who| match who {
        Who::Member { id, .. } => faces.get(id).map(|version| super::people::face_src(&page, id, version)),
        Who::Alias(_) => None,
    };
    let rows: Vec<MemberRow> = list
        .members
        .iter()
        .map(|m| {
            let (name, href, badge) = name_of(&m.who);
            MemberRow {
                name,
                href,
                badge,
                photo: photo_of(&m.who),
                moderator: m.moderator,
                promote_value: (moderator && !m.moderator).then(|| match &m.who {
                    Who::Alias(alias) => alias.clone(),
                    Who::Member { id, .. } => id.to_string(),
                }),
                when: None,
                approve_action: None,
                decline_action: None,
            }
        })
        .collect();
    let requests: Vec<MemberRow> = list
        .requests
        .iter()
        .map(|r| {
            let (name, href, badge) = name_of(&r.who);
            let k = key(&r.who);
            MemberRow {
                name,
                href,
                badge,
                photo: photo_of(&r.who),
                moderator: false,
                promote_value: None,
                when: r.requested_at.map(|at| when(&page, at)),
                approve_action: Some(link(&page, &format!("{base}/requests/{k}/approve"), &[])),
                decline_action: Some(link(&page, &format!("{base}/requests/{k}/decline"), &[])),
            }
        })
        .collect();
    // Whom to invite: found by name in a second step (the picker), only
    // for those who may invite.
    let picked = if list.group.access.invite {
        match super::people::pick(&state, &page, caller, &pick.pick).await {
            Ok(picked) => picked,
            Err(response) => return *response,
        }
    } else {
        Default::default()
    };
    let values = minijinja::context! {
        picked => picked,
        pick_action => link(&page, &format!("{base}/members"), &[]),
        lang => page.explicit.map(|l| l.code()),
        name => list.group.record.name.clone(),
        title => tr_args(&page, "groups-members-title", &[("group", FluentValue::from(list.group.record.name.clone()))]),
        alias_mode => list.group.record.alias_mode,
        members => rows,
        promote_action => link(&page, &format!("{base}/moderators"), &[]),
        moderator => moderator,
        // The list names only moderators in alias groups: others are named by the alias on their posts.
        promote_by_alias => moderator && list.group.record.alias_mode,
        requests => requests,
        invite_action => list.group.access.invite.then(|| link(&page, &format!("{base}/invitations"), &[])),
        group_href => link(&page, &base, &[]),
        csrf => page.session.csrf(),
        flash => flash.view(&page),
    };
    let path = format!("{base}/members");
    render_status(&state, StatusCode::OK, "groups/members.html", page.layout(&path, Section::Groups), values)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MemberForm {
    csrf: String,
    member_id: String,
}

fn members_path(id: &str) -> String {
    format!("/groups/{id}/members")
}

pub async fn invite(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<MemberForm>,
) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let result = state.kindred.invite_to_group(&page.tenant.association, caller, &id, form.member_id.trim()).await;
    match result {
        // An unknown invitee is told on the list, not as a 404 of the group.
        Err(GroupActionError::NotFound) => {
            match state.kindred.group_access(&page.tenant.association, caller, &id).await {
                Ok(_) => see_other(&link(&page, &members_path(&id), &[("problem", "not-found")])),
                Err(_) => StatusCode::NOT_FOUND.into_response(),
            }
        }
        other => outcome(&page, &members_path(&id), other, "invited"),
    }
}

pub async fn approve(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id, who)): Path<(String, String, String)>,
    Form(form): Form<CsrfOnly>,
) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let result = state.kindred.decide_group_request(&page.tenant.association, caller, &id, &who, true).await;
    outcome(&page, &members_path(&id), result, "approved")
}

pub async fn decline(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id, who)): Path<(String, String, String)>,
    Form(form): Form<CsrfOnly>,
) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let result = state.kindred.decide_group_request(&page.tenant.association, caller, &id, &who, false).await;
    outcome(&page, &members_path(&id), result, "request-declined")
}

pub async fn add_moderator(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<MemberForm>,
) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let result = state.kindred.add_group_moderator(&page.tenant.association, caller, &id, &form.member_id).await;
    outcome(&page, &members_path(&id), result, "moderator")
}

#[cfg(test)]
mod tests {
    /// The group pages' texts exist in every language (the loader reads
    /// every file of `locales/`; this checks ours are complete).
    #[test]
    fn every_language_has_every_group_text() {
        let keys = |text: &str| -> Vec<String> {
            let mut keys: Vec<String> = text
                .lines()
                .filter(|l| !l.starts_with('#') && !l.starts_with(' ') && l.contains(" = "))
                .filter_map(|l| l.split(" = ").next().map(str::to_owned))
                .collect();
            keys.sort();
            keys
        };
        let en = keys(include_str!("../../locales/en/groups.ftl"));
        assert!(en.len() > 40);
        assert_eq!(en, keys(include_str!("../../locales/de/groups.ftl")), "de");
        assert_eq!(en, keys(include_str!("../../locales/nl/groups.ftl")), "nl");
    }
}
