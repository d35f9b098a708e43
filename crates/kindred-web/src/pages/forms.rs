//! What every form handler needs: the problems of a form, and the signed-in
//! member with the form's CSRF token checked.

use super::association::AssociationPage;
use super::respond::{internal, refused, to_sign_in, wait};
use super::text::tr;
use crate::state::AppState;
use axum::response::Response;
use kindred_service::reauth::ReauthError;
use kindred_service::sessions::Caller;
use serde::Serialize;
use std::collections::BTreeMap;

/// The problems of a form: a summary (in field order) and a message per field id.
#[derive(Serialize, Default)]
pub(super) struct Problems {
    list: Vec<ProblemView>,
    fields: BTreeMap<String, String>,
}

#[derive(Serialize)]
struct ProblemView {
    id: String,
    message: String,
}

impl Problems {
    /// A problem shown at the field `id` and linked from the summary.
    pub(super) fn add(&mut self, id: &str, message: String) {
        if !self.fields.contains_key(id) {
            self.list.push(ProblemView { id: id.to_owned(), message: message.clone() });
            self.fields.insert(id.to_owned(), message);
        }
    }

    /// A problem of a whole form: in the summary, linked to `id` (the form's
    /// first field), but not marked at that field.
    pub(super) fn add_general(&mut self, id: &str, message: String) {
        self.list.push(ProblemView { id: id.to_owned(), message });
    }

    pub(super) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub(super) fn one(id: &str, message: String) -> Self {
        let mut problems = Self::default();
        problems.add(id, message);
        problems
    }

    pub(super) fn general(id: &str, message: String) -> Self {
        let mut problems = Self::default();
        problems.add_general(id, message);
        problems
    }
}

/// The signed-in member, or the response that sends them to sign in.
pub(super) fn signed_in(page: &AssociationPage) -> Result<&Caller, Box<Response>> {
    page.session.caller().ok_or_else(|| Box::new(to_sign_in(page)))
}

/// [`signed_in`] for a post: also the form's CSRF token and a same-origin
/// request (`Origin: null` or another site is refused), else the 403 page.
pub(super) fn signed_in_post<'a>(
    state: &AppState,
    page: &'a AssociationPage,
    csrf: &str,
) -> Result<&'a Caller, Box<Response>> {
    let caller = signed_in(page)?;
    if !page.same_origin || !page.session.check_csrf(csrf) {
        return Err(Box::new(refused(state, page)));
    }
    Ok(caller)
}

/// A change of how one signs in that was not confirmed: the problem at the
/// form's password field `id`, or the page to answer with instead (too
/// many attempts, a failure).
pub(super) fn reauth_problems(
    state: &AppState,
    page: &AssociationPage,
    id: &str,
    error: ReauthError,
) -> Result<Problems, Box<Response>> {
    match error {
        ReauthError::Required => Ok(Problems::one(id, tr(page, "problem-password-confirm"))),
        ReauthError::WrongPassword | ReauthError::WrongCode => {
            Ok(Problems::one(id, tr(page, "problem-password-wrong")))
        }
        ReauthError::Throttled(t) => Err(Box::new(wait(state, page, t.retry_after))),
        other => Err(Box::new(internal(other))),
    }
}
