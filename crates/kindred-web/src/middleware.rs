//! Security headers on every response, and the request body limit.

use crate::state::Limits;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// What a profile photo upload may take: the service accepts 8 MB of image,
/// plus room for a multipart envelope. Phone cameras make photos of 2–5 MB.
pub const PHOTO_BODY_BYTES: usize = 8 * 1024 * 1024 + 64 * 1024;

/// Photo uploads: `PUT …/api/v1/me/photo` and the page form `POST …/profile/photo`.
fn is_photo_upload(path: &str) -> bool {
    path.starts_with("/a/") && (path.ends_with("/api/v1/me/photo") || path.ends_with("/profile/photo"))
}

/// The most any request may send.
pub fn largest_body(limits: &Limits) -> usize {
    limits.body_bytes.max(PHOTO_BODY_BYTES)
}

/// Limits the request body: `server.max_body_bytes`, or more for a photo
/// upload. A declared length above the limit is refused at once; a body
/// without one is cut off at the limit (the extractor then answers 413).
pub async fn body_limit(State(limits): State<Limits>, request: Request, next: Next) -> Response {
    let limit = if is_photo_upload(request.uri().path()) { largest_body(&limits) } else { limits.body_bytes };
    let declared =
        request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let (parts, body) = request.into_parts();
    let limited = axum::body::Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, limited)).await
}

/// Nothing loads from another host; no inline script or style; no framing.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; \
connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub async fn security_headers(request: Request, next: Next) -> Response {
    let is_static = request.uri().path().starts_with("/static/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let set = |headers: &mut axum::http::HeaderMap, name: HeaderName, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    // A logo may set its own, stricter policy (SVG sandboxing).
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        set(headers, header::CONTENT_SECURITY_POLICY, CSP);
    }
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::REFERRER_POLICY, "no-referrer");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(headers, HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    set(headers, HeaderName::from_static("cross-origin-resource-policy"), "same-origin");
    set(
        headers,
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    );
    // Everything but the embedded assets may be personal: never stored.
    if !is_static || !headers.contains_key(header::CACHE_CONTROL) {
        set(headers, header::CACHE_CONTROL, "no-store");
    }
    response
}
