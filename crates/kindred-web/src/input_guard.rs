//! The safety net under every text check: no request whose path, query,
//! form or JSON body carries a character that no field accepts
//! ([`kindred_domain::text::is_never_accepted`]: NUL, control characters
//! other than tab and line breaks, direction overrides) reaches a handler.
//!
//! The real check of each field is `kindred_domain::text`, called by the
//! service for every text it keeps, so that pages can show the problem at
//! the field. This net is there for the field somebody forgets: NUL in
//! particular must never reach SQL (PostgreSQL refuses it in text with an
//! error, SQLite stores it). So:
//! - the path: such a character names nothing, 404;
//! - the query (API and pages) and JSON bodies: 422 naming the parameter
//!   or the field (`fields.about`, `members[0]`);
//! - page form bodies: only NUL, 422 (no browser sends it); the other
//!   characters reach the form's own check, which shows them in the form's
//!   error summary.

use crate::errors::{is_api_path, ApiError};
use crate::json::is_json;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kindred_domain::text::is_never_accepted;
use serde_json::Value;
use std::collections::BTreeMap;

pub async fn guard(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let api = is_api_path(path);
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    if decoded.chars().any(is_never_accepted) {
        return StatusCode::NOT_FOUND.into_response();
    }
    if let Some(query) = request.uri().query() {
        if api && !is_utf8_form(query.as_bytes()) {
            // Decoded leniently, `%FF` would become U+FFFD and the request
            // would run on text nobody sent (a search for nothing, say).
            // Pages stay lenient: an odd `?lang=%FF` in a link still shows
            // the page.
            return ApiError::new(StatusCode::BAD_REQUEST, "malformed_query", "The query string is not valid UTF-8.")
                .into_response();
        }
        if let Some(field) = bad_pair(query.as_bytes(), is_never_accepted) {
            return refuse(api, field);
        }
    }
    let form = is_form(&request);
    let json = is_json(request.headers());
    if !(form || json) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(_) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
    };
    let problem = if form {
        bad_pair(&bytes, |c| c == '\0')
    } else {
        // Not JSON at all: the extractor answers 400 with the documented error.
        serde_json::from_slice::<Value>(&bytes).ok().and_then(|value| bad_value(&value, String::new()))
    };
    if let Some(field) = problem {
        return refuse(api, field);
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

fn is_form(request: &Request) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"))
}

/// The 422: for the API in the documented format, for pages the error page
/// that `errors::normalise` makes of a bare status.
fn refuse(api: bool, field: String) -> Response {
    if !api {
        return StatusCode::UNPROCESSABLE_ENTITY.into_response();
    }
    let message = "contains a control character or a text-direction override character".to_owned();
    ApiError::invalid("invalid_fields", "Some fields are invalid.", BTreeMap::from([(field, message)])).into_response()
}

/// Whether every name and value of an `application/x-www-form-urlencoded`
/// text is UTF-8 once percent-decoded.
fn is_utf8_form(encoded: &[u8]) -> bool {
    encoded
        .split(|b| *b == b'&')
        .flat_map(|pair| pair.splitn(2, |b| *b == b'='))
        .all(|part| std::str::from_utf8(&percent_encoding::percent_decode(part).collect::<Vec<u8>>()).is_ok())
}

/// The name of the first `application/x-www-form-urlencoded` pair whose
/// name or value holds a refused character.
fn bad_pair(encoded: &[u8], refused: impl Fn(char) -> bool) -> Option<String> {
    form_urlencoded::parse(encoded).find_map(|(name, value)| {
        if name.chars().any(&refused) {
            Some("query".to_owned())
        } else if value.chars().any(&refused) {
            Some(name.into_owned())
        } else {
            None
        }
    })
}

/// The path of the first string (or key) in a JSON value that holds a
/// character no field accepts.
fn bad_value(value: &Value, at: String) -> Option<String> {
    let here = |at: String| if at.is_empty() { "body".to_owned() } else { at };
    match value {
        Value::String(s) if s.chars().any(is_never_accepted) => Some(here(at)),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| bad_value(v, format!("{at}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(key, v)| {
            if key.chars().any(is_never_accepted) {
                return Some(here(at.clone()));
            }
            let next = if at.is_empty() { key.clone() } else { format!("{at}.{key}") };
            bad_value(v, next)
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_the_field_in_json() {
        assert_eq!(
            bad_value(&json!({"a": "fine", "b": {"c": ["x", "y\u{0}"]}}), String::new()).as_deref(),
            Some("b.c[1]")
        );
        assert_eq!(bad_value(&json!("\u{202e}"), String::new()).as_deref(), Some("body"));
        assert_eq!(bad_value(&json!({"title": "Grüße\n\tund 👋"}), String::new()), None);
        assert_eq!(bad_value(&json!({"x\u{0}": 1}), String::new()).as_deref(), Some("body"));
    }

    #[test]
    fn a_query_that_is_not_utf8_is_told_apart() {
        assert!(is_utf8_form(b"q=K%C3%B6ln&region=sh&x"));
        assert!(is_utf8_form(b""));
        assert!(!is_utf8_form(b"q=%FF%FE"));
        assert!(!is_utf8_form(b"region=sh&%C3=1"));
        assert!(is_utf8_form(b"q=%ZZ"), "not an escape: taken as it is, which is UTF-8");
    }

    #[test]
    fn finds_the_parameter_in_a_query() {
        assert_eq!(bad_pair(b"q=a&cursor=%00", is_never_accepted).as_deref(), Some("cursor"));
        assert_eq!(bad_pair(b"q=%E2%80%AEabc", is_never_accepted).as_deref(), Some("q"));
        assert_eq!(bad_pair(b"q=caf%C3%A9+au+lait", is_never_accepted), None);
        assert_eq!(bad_pair(b"title=%E2%80%AE&body=%00", |c| c == '\0').as_deref(), Some("body"));
    }
}
