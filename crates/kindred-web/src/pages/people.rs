//! People by name (issue 14): the no-JS picker that finds a member by
//! (part of) their pseudonym for a form — inviting to a group, say — in a
//! second step, never by pasting ids. It asks the privacy-safe member
//! search (`service::members::search_members`), so it lists only members
//! the viewer may find: never themself, never either side of a block, never
//! someone who opted out of being found, never another association's
//! member; and it shows each one's face only where the viewer may see it.

use super::association::AssociationPage;
use super::community::{shown_field, slow_down};
use super::respond::{internal, link};
use super::text::tr;
use crate::state::AppState;
use axum::response::Response;
use kindred_domain::search::RawMemberQuery;
use kindred_domain::settings::FieldKind;
use kindred_domain::MemberId;
use kindred_service::members::{MemberError, MemberView};
use kindred_service::sessions::Caller;
use serde::{Deserialize, Serialize};

/// Longest text the picker searches for (the search's own bound applies too).
const MAX_PICK: usize = 64;

/// `?pick=…`: the text typed into a picker.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PickQuery {
    pub(super) pick: String,
}

#[derive(Serialize)]
pub(super) struct Candidate {
    id: String,
    pseudonym: String,
    badge: Option<String>,
    /// The photo's address where the viewer may see it (see `people.html`).
    photo: Option<String>,
}

/// What a picker shows under its search field.
#[derive(Serialize, Default)]
pub(super) struct Picked {
    /// The text searched for ("" before the first search).
    text: String,
    searched: bool,
    candidates: Vec<Candidate>,
    /// A problem with the text, in words.
    problem: Option<String>,
}

/// The photo address of a member found, where the viewer may see it.
pub(super) fn photo_of(page: &AssociationPage, view: &MemberView) -> Option<String> {
    let (spec, value) = view.fields.iter().find(|(spec, _)| spec.kind == FieldKind::Photo)?;
    let base = format!("/members/{}/photo", view.id);
    shown_field(page, spec, value, |v| link(page, &base, &[("v", v)])).photo_src
}

/// The address of a member's photo of `version`, for a face on a list
/// (`Kindred::faces` decided that the viewer may see it).
pub(super) fn face_src(page: &AssociationPage, id: &MemberId, version: &str) -> String {
    link(page, &format!("/members/{id}/photo"), &[("v", version)])
}

/// Runs the picker's search for `text` (nothing when empty): the first
/// page of members the caller may find whose pseudonym has a word
/// beginning with it. A slowed-down searcher gets the page that says so.
pub(super) async fn pick(
    state: &AppState,
    page: &AssociationPage,
    caller: &Caller,
    text: &str,
) -> Result<Picked, Box<Response>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Picked::default());
    }
    let mut picked = Picked { text: text.to_owned(), searched: true, ..Picked::default() };
    if text.chars().count() > MAX_PICK {
        picked.problem = Some(tr(page, "search-problem-too-long"));
        return Ok(picked);
    }
    let query = RawMemberQuery { q: Some(text.to_owned()), ..RawMemberQuery::default() };
    match state.kindred.search_members(&page.tenant.association, caller, &query).await {
        Ok(found) => {
            picked.candidates = found
                .results
                .iter()
                .map(|view| Candidate {
                    id: view.id.to_string(),
                    pseudonym: view.pseudonym.clone(),
                    badge: view.badge.clone(),
                    photo: photo_of(page, view),
                })
                .collect();
        }
        Err(MemberError::Invalid(_)) => picked.problem = Some(tr(page, "search-problem-too-long")),
        Err(MemberError::Throttled(t)) => return Err(Box::new(slow_down(state, page, t.retry_after))),
        Err(other) => return Err(Box::new(internal(other))),
    }
    Ok(picked)
}
