//! Errors as the outside sees them. The API always answers
//! `{"error": {"code", "message"}}` (plus `fields` for 422); pages always
//! answer an HTML page in the member's language. [`normalise`] makes this
//! hold for errors that axum or tower produce themselves (unknown routes,
//! wrong methods, oversized bodies, time-outs, panics).

use crate::i18n;
use crate::pages;
use crate::state::AppState;
use crate::tenant::{self, Mount};
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use std::collections::BTreeMap;

/// An API error in the documented format.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub fields: Option<BTreeMap<String, String>>,
    /// Seconds, for 429.
    pub retry_after: Option<i64>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorContent<'a>,
}

#[derive(Serialize)]
struct ErrorContent<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    fields: Option<&'a BTreeMap<String, String>>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self { status, code, message: message.into(), fields: None, retry_after: None }
    }

    /// 422 with the fields that are wrong and why.
    pub fn invalid(code: &'static str, message: impl Into<String>, fields: BTreeMap<String, String>) -> Self {
        Self { fields: Some(fields), ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, message) }
    }

    /// 429 with `Retry-After`.
    pub fn throttled(retry_after: i64) -> Self {
        Self {
            retry_after: Some(retry_after),
            ..Self::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", "Too many attempts; please wait and try again.")
        }
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "There is nothing here.")
    }

    /// Logs the cause; the caller learns only that something went wrong.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error", "Something went wrong on our side.")
    }

    /// The generic error for a status that axum or tower produced.
    pub fn for_status(status: StatusCode) -> Self {
        let (code, message) = match status.as_u16() {
            400 => ("bad_request", "The request is malformed."),
            401 => ("unauthorized", "Please sign in."),
            403 => ("forbidden", "You may not do this."),
            404 => ("not_found", "There is nothing here."),
            405 => ("method_not_allowed", "This method is not allowed here."),
            408 => ("request_timeout", "The request took too long."),
            409 => ("conflict", "This conflicts with the current state."),
            413 => ("payload_too_large", "The request body is too large."),
            415 => ("unsupported_media_type", "The request body must be JSON (Content-Type: application/json)."),
            422 => ("invalid_fields", "Some fields are invalid."),
            429 => ("rate_limited", "Too many requests; please wait."),
            503 => ("unavailable", "The service is unavailable right now."),
            500..=599 => ("internal_error", "Something went wrong on our side."),
            _ => ("error", "The request failed."),
        };
        Self::new(status, code, message)
    }
}

/// Most problems one answer lists: a body with thousands of wrong keys gets
/// a short answer that says how many there were, not one line for each.
pub const MAX_LISTED_PROBLEMS: usize = 20;

impl IntoResponse for ApiError {
    fn into_response(mut self) -> Response {
        if let Some(fields) = self.fields.as_mut().filter(|f| f.len() > MAX_LISTED_PROBLEMS) {
            let total = fields.len();
            *fields = std::mem::take(fields).into_iter().take(MAX_LISTED_PROBLEMS).collect();
            self.message = format!("{} ({MAX_LISTED_PROBLEMS} of {total} problems listed.)", self.message);
        }
        let body =
            ErrorBody { error: ErrorContent { code: self.code, message: &self.message, fields: self.fields.as_ref() } };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            if let Ok(value) = header::HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}

/// A page that cannot be shown; rendered by [`normalise`], which knows the
/// language and the association.
#[derive(Debug)]
pub enum PageError {
    NotFound,
    Internal(String),
    /// 303 to this address: a member who must first do something elsewhere
    /// (accept the changed terms of use).
    SeeOther(String),
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::NotFound => StatusCode::NOT_FOUND.into_response(),
            PageError::SeeOther(location) => match axum::http::HeaderValue::from_str(&location) {
                Ok(value) => (StatusCode::SEE_OTHER, [(axum::http::header::LOCATION, value)]).into_response(),
                Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            },
            PageError::Internal(cause) => {
                tracing::error!(error = %cause, "internal error");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    }
}

/// Unknown routes: a bare 404 that [`normalise`] dresses.
pub async fn fallback() -> StatusCode {
    StatusCode::NOT_FOUND
}

/// A panic in a handler: a bare 500 that [`normalise`] dresses.
pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

/// Is this path part of the JSON API?
pub fn is_api_path(path: &str) -> bool {
    path.starts_with("/api/") || path.split('/').nth(3) == Some("api") && path.starts_with("/a/")
}

fn has_content_type(response: &Response, prefix: &str) -> bool {
    response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with(prefix))
}

/// Gives every error response the documented shape.
pub async fn normalise(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(str::to_owned);
    let accept_language =
        request.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let mount = request.extensions().get::<Mount>().cloned();
    let cookies = request.headers().get(header::COOKIE).cloned();
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let retry_after = response.headers().get(header::RETRY_AFTER).cloned();
    let allow = response.headers().get(header::ALLOW).cloned();
    // Our own handlers already answer in a documented shape.
    if has_content_type(&response, "application/json")
        || (!is_api_path(&path) && has_content_type(&response, "text/html"))
    {
        return response;
    }
    let mut dressed = if is_api_path(&path) {
        ApiError::for_status(status).into_response()
    } else {
        let association = match path.strip_prefix("/a/").and_then(|rest| rest.split('/').next()) {
            Some(slug) => tenant::load(&state, slug).await.ok().flatten(),
            None => None,
        };
        let base = match (&association, mount) {
            (Some(_), Some(mount)) => mount.base,
            (Some(a), None) => format!("/a/{}", a.slug),
            (None, _) => String::new(),
        };
        // A signed-in member's own language, as on every page (after an
        // explicit ?lang=): one read of the session, for error pages only.
        let own = match (&association, cookies) {
            (Some(association), Some(cookies)) => member_language(&state, association, cookies).await,
            _ => None,
        };
        let language = match (i18n::explicit(association.as_deref(), query.as_deref()), own) {
            (None, Some(own)) => own,
            _ => i18n::choose(association.as_deref(), query.as_deref(), accept_language.as_deref()),
        };
        pages::error_page(&state, association.as_deref(), &base, language, status)
    };
    *dressed.status_mut() = status;
    if let Some(value) = retry_after {
        dressed.headers_mut().insert(header::RETRY_AFTER, value);
    }
    if let Some(value) = allow {
        dressed.headers_mut().insert(header::ALLOW, value);
    }
    dressed
}

/// The language the member signed in with the session cookie chose, if
/// the association offers it.
async fn member_language(
    state: &AppState,
    association: &std::sync::Arc<kindred_service::Association>,
    cookies: header::HeaderValue,
) -> Option<kindred_domain::Language> {
    let mut headers = header::HeaderMap::new();
    headers.insert(header::COOKIE, cookies);
    let tenant = crate::tenant::Tenant { association: association.clone(), base: String::new() };
    let token = crate::auth::cookie(&headers, &crate::auth::cookie_name(&tenant))?;
    let caller = state.kindred.authenticate(association, &token).await.ok()??;
    caller
        .member
        .language
        .as_deref()
        .and_then(kindred_domain::Language::parse)
        .filter(|l| association.settings.languages.contains(l))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_paths() {
        assert!(is_api_path("/api/v1/openapi.json"));
        assert!(is_api_path("/a/demo/api/v1/catalog"));
        assert!(is_api_path("/a/demo/api/v1/nope"));
        assert!(!is_api_path("/a/demo/"));
        assert!(!is_api_path("/a/demo/apiary"));
        assert!(!is_api_path("/x/y/api"));
    }
}
