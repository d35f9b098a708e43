//! What every form handler needs: the problems of a form, and the signed-in
//! member with the form's CSRF token checked.

use super::association::AssociationPage;
use super::respond::{internal, refused, to_sign_in, wait};
use super::text::tr;
use crate::state::AppState;
use axum::http::{header, HeaderMap};
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

/// One part of a `multipart/form-data` body (a form with a file).
pub(super) struct Part {
    pub name: String,
    /// The part's own `Content-Type` (the browser's guess for a file).
    pub content_type: Option<String>,
    pub data: Vec<u8>,
}

/// The parts of a `multipart/form-data` body, or `None` for any other
/// body or one that does not parse (the handler answers 400).
pub(super) fn multipart_parts(headers: &HeaderMap, body: &[u8]) -> Option<Vec<Part>> {
    let content_type = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    if !content_type.trim_start().to_ascii_lowercase().starts_with("multipart/form-data") {
        return None;
    }
    let boundary =
        content_type.split(';').filter_map(|p| p.trim().strip_prefix("boundary=")).next()?.trim_matches('"').to_owned();
    if boundary.is_empty() || boundary.len() > 200 {
        return None;
    }
    let delimiter = format!("--{boundary}").into_bytes();
    let find = |haystack: &[u8], needle: &[u8], from: usize| -> Option<usize> {
        haystack.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
    };
    let mut parts = Vec::new();
    let mut at = find(body, &delimiter, 0)? + delimiter.len();
    loop {
        if body.get(at..at + 2) == Some(b"--") {
            return Some(parts);
        }
        // Skip the line break after the delimiter.
        let headers_start = at + 2;
        let headers_end = find(body, b"\r\n\r\n", headers_start)?;
        let head = std::str::from_utf8(body.get(headers_start..headers_end)?).ok()?;
        let header_value = |name: &str| {
            head.lines()
                .find(|l| l.get(..name.len()).is_some_and(|h| h.eq_ignore_ascii_case(name)))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        };
        let name = header_value("content-disposition")
            .and_then(|d| d.split(';').find_map(|p| p.trim().strip_prefix("name=").map(str::to_owned)))
            .map(|n| n.trim_matches('"').to_owned())?;
        let content_type = header_value("content-type");
        let content_start = headers_end + 4;
        let mut next_delimiter = b"\r\n".to_vec();
        next_delimiter.extend_from_slice(&delimiter);
        let content_end = find(body, &next_delimiter, content_start)?;
        parts.push(Part { name, content_type, data: body.get(content_start..content_end)?.to_vec() });
        at = content_end + next_delimiter.len();
    }
}

/// The last value of a form or query field read as pairs (a repeated
/// field's last one), or `None` when it is absent.
pub(super) fn last<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// [`last`], with an absent field read as empty.
pub(super) fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    last(pairs, name).unwrap_or_default()
}

/// Every value of a repeated field (checkboxes), in order.
pub(super) fn fields(pairs: &[(String, String)], name: &str) -> Vec<String> {
    pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_parts_keep_each_parts_type_and_refuse_what_does_not_parse() {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, "multipart/form-data; boundary=XyZ".parse().unwrap());
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n--XyZ\r\n\
            Content-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n\
            %PDF-1.4\r\n--XyZ--\r\n";
        let parts = multipart_parts(&headers, body).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(
            (parts[0].name.as_str(), parts[0].data.as_slice(), parts[0].content_type.as_deref()),
            ("csrf", &b"abc"[..], None)
        );
        assert_eq!(parts[1].name, "file");
        assert_eq!(parts[1].content_type.as_deref(), Some("application/pdf"));
        assert_eq!(parts[1].data, b"%PDF-1.4");
        assert!(multipart_parts(&headers, b"--XyZ\r\nno end").is_none());
        headers.insert(header::CONTENT_TYPE, "application/x-www-form-urlencoded".parse().unwrap());
        assert!(multipart_parts(&headers, body).is_none());
    }
}
