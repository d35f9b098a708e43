//! Confirmation of destructive actions: no one-click harm.
//!
//! A destructive form (delete a post, end a contact, block, leave a group
//! or a conversation, cancel an event registration, end a session) acts
//! only when it carries a `confirm` field. With JavaScript, kindred.js
//! asks in a native `<dialog>` and adds the field; without it, the handler
//! sees no `confirm` and answers this page instead of acting: "Are you
//! sure …? [Cancel] [Confirm]", whose form posts the same fields again
//! with `confirm`. Nothing is written before that.
//!
//! The page names nothing (no pseudonym, group name or title) and is
//! answered only after the CSRF check, before any look-up: it is the same
//! for an id that exists, one that does not and one the member may not
//! see, so it tells nothing. The action, once confirmed, checks everything
//! as before. The JSON API is unchanged: a client confirms in its own
//! interface.

use super::association::AssociationPage;
use super::layout::{render_status, Section};
use super::respond::link;
use super::text::tr;
use crate::state::AppState;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// What the confirmation page asks about.
pub(super) struct Confirm {
    /// The kind of action: the keys `confirm-{kind}-title`, `-question`
    /// and `-yes` of the translations.
    pub kind: &'static str,
    /// The action's path below the association (posted again, with `confirm`).
    pub action: String,
    /// The form's other fields, posted again as they came.
    pub fields: Vec<(&'static str, String)>,
    /// Where "Cancel" leads (a path below the association).
    pub cancel: String,
    pub section: Section,
}

/// Whether a form carries the confirmation.
pub(super) fn confirmed(field: Option<&str>) -> bool {
    field.is_some_and(|v| !v.trim().is_empty())
}

/// Whether `id` (from the path) may go into a link as it is: ids are
/// letters, digits, `-` and `_`; anything else is no id of ours, and
/// the action would answer 404 for it as well.
pub(super) fn plain_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 100 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[derive(Serialize)]
struct FieldView {
    name: &'static str,
    value: String,
}

/// The confirmation page for `confirm` (status 200: nothing went wrong,
/// nothing was done).
pub(super) fn ask(state: &AppState, page: &AssociationPage, confirm: Confirm) -> Response {
    if !plain_id_path(&confirm.action) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let kind = confirm.kind;
    let fields: Vec<FieldView> = confirm.fields.into_iter().map(|(name, value)| FieldView { name, value }).collect();
    let values = minijinja::context! {
        kind => kind,
        title => tr(page, &format!("confirm-{kind}-title")),
        question => tr(page, &format!("confirm-{kind}-question")),
        yes => tr(page, &format!("confirm-{kind}-yes")),
        action => link(page, &confirm.action, &[]),
        cancel_href => link(page, &confirm.cancel, &[]),
        fields => fields,
        password => false,
        csrf => page.session.csrf(),
    };
    // The layout's language links lead to the cancel page.
    render_status(state, StatusCode::OK, "confirm.html", page.layout(&confirm.cancel, confirm.section), values)
}

/// The confirmation page for a GET of a destructive action's address: a
/// reload of the confirmation page, a bookmark or a link to it (which
/// would otherwise answer 405). It never acts: the page's form posts
/// with the CSRF token and `confirm`, and the action checks as always.
/// Signed out, to the sign-in page first.
pub(super) fn ask_on_get(state: &AppState, page: &AssociationPage, confirm: Confirm) -> Response {
    if let Err(response) = super::forms::signed_in(page) {
        return *response;
    }
    ask(state, page, confirm)
}

/// [`ask`] for an action that also needs the member's password (removing
/// a passkey): the page has a password field (`password`), and `problems`
/// say what went wrong with the one given before. The password is never
/// written into the page.
pub(super) fn ask_with_password(
    state: &AppState,
    page: &AssociationPage,
    confirm: Confirm,
    problems: super::forms::Problems,
    status: StatusCode,
) -> Response {
    if !plain_id_path(&confirm.action) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let kind = confirm.kind;
    let fields: Vec<FieldView> = confirm.fields.into_iter().map(|(name, value)| FieldView { name, value }).collect();
    let values = minijinja::context! {
        kind => kind,
        title => tr(page, &format!("confirm-{kind}-title")),
        question => tr(page, &format!("confirm-{kind}-question")),
        yes => tr(page, &format!("confirm-{kind}-yes")),
        action => link(page, &confirm.action, &[]),
        cancel_href => link(page, &confirm.cancel, &[]),
        fields => fields,
        password => true,
        problems => problems,
        csrf => page.session.csrf(),
    };
    render_status(state, status, "confirm.html", page.layout(&confirm.cancel, confirm.section), values)
}

/// Every segment of `path` is a plain id or a fixed word.
fn plain_id_path(path: &str) -> bool {
    path.split('/').skip(1).all(plain_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_ids_go_into_links() {
        assert!(plain_id("p_01HZX-abc"));
        assert!(!plain_id(""));
        assert!(!plain_id("a/b"));
        assert!(!plain_id("a\"b"));
        assert!(!plain_id("%2e%2e"));
        assert!(!plain_id(&"a".repeat(101)));
        assert!(plain_id_path("/forum/posts/p1/delete"));
        assert!(!plain_id_path("/forum/posts/../delete"));
        assert!(!plain_id_path("/forum/posts/a?b/delete"));
    }

    #[test]
    fn confirmation_needs_a_value() {
        assert!(confirmed(Some("1")));
        assert!(!confirmed(Some("")));
        assert!(!confirmed(Some("  ")));
        assert!(!confirmed(None));
    }
}
