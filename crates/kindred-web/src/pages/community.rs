//! What the community pages (profile, members, contacts) share: the gate
//! (`community_access`, the same one the API's `Community` extractor
//! calls), level choices in the association's words, profile values shown
//! by their catalogue names, and the short messages after a redirect.

use super::association::AssociationPage;
use super::forms::{signed_in, signed_in_post};
use super::respond::{internal, link, message, see_other, to_sign_in, LinkView};
use super::text::{tr, tr_args};
use crate::state::AppState;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use fluent_templates::fluent_bundle::FluentValue;
use kindred_domain::profile::FieldValue;
use kindred_domain::settings::{AssociationSettings, CatalogEntry, Code, FieldKind, ProfileField};
use kindred_domain::{Level, MemberId, Visibility};
use kindred_service::admission::Denied;
use kindred_service::sessions::Caller;
use serde::{Deserialize, Serialize};

/// The signed-in member if they may use the community; else the way to
/// sign in, or a 403 page that says what is missing.
pub(super) fn member<'a>(state: &AppState, page: &'a AssociationPage) -> Result<&'a Caller, Box<Response>> {
    let caller = signed_in(page)?;
    match state.kindred.community_access(&page.tenant.association, caller) {
        Ok(()) => Ok(caller),
        Err(Denied::NotSignedIn) => Err(Box::new(to_sign_in(page))),
        Err(denied) => Err(Box::new(denied_page(state, page, denied))),
    }
}

/// [`member`] for a post: the form's CSRF token first.
pub(super) fn member_post<'a>(
    state: &AppState,
    page: &'a AssociationPage,
    csrf: &str,
) -> Result<&'a Caller, Box<Response>> {
    signed_in_post(state, page, csrf)?;
    member(state, page)
}

fn denied_page(state: &AppState, page: &AssociationPage, denied: Denied) -> Response {
    let (text, links) = match denied {
        Denied::SecondFactorRequired => (
            "community-denied-second-factor",
            vec![LinkView { href: link(page, "/account/two-factor", &[]), label: tr(page, "account-two-factor-link") }],
        ),
        Denied::TermsNotAccepted => (
            "community-denied-terms",
            vec![LinkView { href: link(page, "/account/terms", &[]), label: tr(page, "terms-accept-title") }],
        ),
        Denied::PseudonymNeeded => (
            "community-denied-pseudonym",
            vec![LinkView { href: link(page, "/account/pseudonym", &[]), label: tr(page, "pseudonym-title") }],
        ),
        _ => (
            "community-denied-not-verified",
            vec![LinkView { href: link(page, "/account", &[]), label: tr(page, "nav-account") }],
        ),
    };
    message(state, page, StatusCode::FORBIDDEN, "/", tr(page, "community-denied-title"), vec![tr(page, text)], links)
}

/// 429: the polite "slow down" page, with `Retry-After`.
pub(super) fn slow_down(state: &AppState, page: &AssociationPage, retry_after: i64) -> Response {
    let minutes = (retry_after.max(1) + 59) / 60;
    let mut response = message(
        state,
        page,
        StatusCode::TOO_MANY_REQUESTS,
        "/",
        tr(page, "community-slow-title"),
        vec![
            tr(page, "community-slow-text"),
            tr_args(page, "community-slow-wait", &[("minutes", FluentValue::from(minutes.max(1)))]),
        ],
        vec![LinkView { href: link(page, "/contacts", &[]), label: tr(page, "nav-contacts") }],
    );
    if let Ok(value) = HeaderValue::from_str(&retry_after.max(1).to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// `?done=…` (a confirmation) or `?problem=…` (something did not work)
/// after a redirect; only the keys listed here are shown.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Flash {
    pub done: Option<String>,
    pub problem: Option<String>,
}

const DONE: [&str; 17] = [
    "profile-saved",
    "consent-given",
    "consent-withdrawn",
    "photo-saved",
    "photo-removed",
    "request-sent",
    "request-accepted",
    "request-declined",
    "request-withdrawn",
    "level-changed",
    "contact-removed",
    "level-asked",
    "disclosure-accepted",
    "disclosure-declined",
    "blocked",
    "unblocked",
    "nothing-to-do",
];

const PROBLEMS: [&str; 9] = [
    "already-contact",
    "request-pending",
    "incoming-pending",
    "request-closed",
    "level-not-higher",
    "not-a-contact",
    "own-account",
    "bad-level",
    "not-found",
];

#[derive(Serialize)]
pub(super) struct FlashView {
    pub done: Option<String>,
    pub problem: Option<String>,
}

impl Flash {
    pub(super) fn view(&self, page: &AssociationPage) -> FlashView {
        let done = self.done.as_deref().filter(|d| DONE.contains(d)).map(|d| tr(page, &format!("community-done-{d}")));
        let problem = self
            .problem
            .as_deref()
            .filter(|p| PROBLEMS.contains(p))
            .map(|p| tr(page, &format!("community-problem-{p}")));
        FlashView { done, problem }
    }
}

/// 303 to `path` with `?done=` or `?problem=`.
pub(super) fn back(page: &AssociationPage, path: &str, kind: &str, key: &str) -> Response {
    see_other(&link(page, path, &[(kind, key)]))
}

/// The contact errors as redirects with a message; unknown members as 404.
pub(super) fn contact_outcome(
    state: &AppState,
    page: &AssociationPage,
    path: &str,
    result: Result<(), kindred_service::contacts::ContactError>,
    done: &str,
) -> Response {
    use kindred_service::contacts::ContactError as E;
    let problem = match result {
        Ok(()) => return back(page, path, "done", done),
        Err(E::NotFound) => return StatusCode::NOT_FOUND.into_response(),
        Err(E::AlreadyContact) => "already-contact",
        Err(E::RequestPending) => "request-pending",
        Err(E::IncomingRequestPending) => "incoming-pending",
        Err(E::RequestClosed) => "request-closed",
        Err(E::LevelNotHigher) => "level-not-higher",
        Err(E::NotAContact) => "not-a-contact",
        Err(E::Myself) => "own-account",
        Err(E::Invalid(_)) => "bad-level",
        Err(E::Throttled(t)) => return slow_down(state, page, t.retry_after),
        Err(other) => return internal(other),
    };
    back(page, path, "problem", problem)
}

/// A level from a form: "1" to "4".
pub(super) fn parse_level(raw: &str) -> Option<Level> {
    raw.trim().parse::<i64>().ok().and_then(Level::from_number)
}

/// "Level 2: Acquainted", in the association's words.
pub(super) fn level_label(page: &AssociationPage, level: Level) -> String {
    let name = page.tenant.association.settings.level_name(level, page.language).to_owned();
    tr_args(
        page,
        "community-level-label",
        &[("number", FluentValue::from(i64::from(level.number()))), ("name", FluentValue::from(name))],
    )
}

#[derive(Serialize, Clone)]
pub(super) struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The four levels (those above `above` only), `selected` marked.
pub(super) fn level_choices(page: &AssociationPage, selected: Level, above: Option<Level>) -> Vec<Choice> {
    Level::ALL
        .iter()
        .filter(|l| above.is_none_or(|a| l.number() > a.number()))
        .map(|l| Choice { value: l.number().to_string(), label: level_label(page, *l), selected: *l == selected })
        .collect()
}

/// The visibility choices of a field: the levels no more open than the
/// association allows, and "only me".
pub(super) fn visibility_choices(page: &AssociationPage, spec: &ProfileField, selected: &str) -> Vec<Choice> {
    let mut choices: Vec<Choice> = Level::ALL
        .iter()
        .filter(|l| Visibility::Level(**l) >= spec.min_visibility)
        .map(|l| {
            let value = l.number().to_string();
            let label = tr_args(page, "profile-visible-from", &[("level", FluentValue::from(level_label(page, *l)))]);
            Choice { selected: value == selected, value, label }
        })
        .collect();
    choices.push(Choice {
        value: "private".into(),
        label: tr(page, "profile-visible-private"),
        selected: selected == "private",
    });
    choices
}

/// The catalogue entries a field of this kind chooses from.
pub(super) fn catalogue(settings: &AssociationSettings, kind: FieldKind) -> Vec<&CatalogEntry> {
    let catalog = &settings.catalog;
    match kind {
        FieldKind::Region => catalog.regions.iter().collect(),
        FieldKind::Role => catalog.roles.iter().collect(),
        FieldKind::Therapies => catalog.therapies.iter().collect(),
        FieldKind::Medications => catalog.medications.iter().collect(),
        FieldKind::ConditionForm => catalog.conditions.iter().flat_map(|c| c.forms.iter()).collect(),
        _ => Vec::new(),
    }
}

/// The name of a catalogue code in the page's language (the code itself if unknown).
pub(super) fn code_name(page: &AssociationPage, kind: FieldKind, code: &Code) -> String {
    let settings = &page.tenant.association.settings;
    if kind == FieldKind::Condition {
        if let Some(c) = settings.catalog.conditions.iter().find(|c| &c.code == code) {
            return c.name.get(page.language).to_owned();
        }
        return code.to_string();
    }
    catalogue(settings, kind)
        .into_iter()
        .find(|e| &e.code == code)
        .map(|e| e.name.get(page.language).to_owned())
        .unwrap_or_else(|| code.to_string())
}

/// One visible field of a profile, ready to show.
#[derive(Serialize)]
pub(super) struct ShownField {
    pub code: String,
    pub name: String,
    /// The value as text (empty for a photo).
    pub text: String,
    /// Several values (therapies, medications), shown as a list.
    pub items: Vec<String>,
    pub long: bool,
    /// For a photo: where the image is.
    pub photo_src: Option<String>,
}

/// Shows a field's value; `photo_src` is where the member's photo is served.
pub(super) fn shown_field(
    page: &AssociationPage,
    spec: &ProfileField,
    value: &FieldValue,
    photo_src: impl Fn(&str) -> String,
) -> ShownField {
    let (text, items, photo) = match (spec.kind, value) {
        (FieldKind::Photo, FieldValue::Text(version)) => (String::new(), Vec::new(), Some(photo_src(version))),
        (_, FieldValue::Text(text)) => (text.clone(), Vec::new(), None),
        (_, FieldValue::Year(year)) => (year.to_string(), Vec::new(), None),
        (kind, FieldValue::Code(code)) => (code_name(page, kind, code), Vec::new(), None),
        (kind, FieldValue::Codes(codes)) => {
            (String::new(), codes.iter().map(|c| code_name(page, kind, c)).collect(), None)
        }
    };
    ShownField {
        code: spec.code.to_string(),
        name: spec.name.get(page.language).to_owned(),
        text,
        items,
        long: spec.kind == FieldKind::LongText,
        photo_src: photo,
    }
}

/// The address of another member's page.
pub(super) fn member_href(page: &AssociationPage, id: &MemberId) -> String {
    link(page, &format!("/members/{id}"), &[])
}
