//! Security headers on every response, and the request body limit.

use crate::state::Limits;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// What a profile photo upload may take: the service accepts 8 MB of image,
/// plus room for a multipart envelope. Phone cameras make photos of 2–5 MB.
pub const PHOTO_BODY_BYTES: usize = 8 * 1024 * 1024 + 64 * 1024;

/// Photo uploads: `PUT …/api/v1/me/photo` and the page form `POST …/profile/photo`;
/// message attachments (8 MB too): `POST …/api/v1/conversations/{id}/attachments`
/// and the conversation page's composer with its file, `POST …/messages/{id}/send`.
fn is_photo_upload(path: &str) -> bool {
    path.starts_with("/a/")
        && (path.ends_with("/api/v1/me/photo")
            || path.ends_with("/profile/photo")
            || (path.contains("/api/v1/conversations/") && path.ends_with("/attachments"))
            || (path.contains("/messages/") && path.ends_with("/send")))
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

/// Whether responses carry `Strict-Transport-Security`: only when members
/// reach the deployment over https (`server.public_url`). Sent over plain
/// http it would be ignored by browsers anyway, and a development server
/// on http must not pin `localhost` to https.
#[derive(Clone, Copy, Debug)]
pub struct Hsts(bool);

impl Hsts {
    pub fn for_public_url(public_url: &str) -> Self {
        Self(public_url.trim().get(..8).is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://")))
    }
}

/// A response the same for everyone and without anything personal (the
/// live script's words): it keeps the caching its handler set. Set it as a
/// response extension; everything else but the embedded assets is
/// `no-store`.
#[derive(Debug, Clone, Copy)]
pub struct Shareable;

pub async fn security_headers(State(hsts): State<Hsts>, request: Request, next: Next) -> Response {
    let is_static = request.uri().path().starts_with("/static/");
    let mut response = next.run(request).await;
    let shareable = response.extensions().get::<Shareable>().is_some();
    let headers = response.headers_mut();
    let set = |headers: &mut axum::http::HeaderMap, name: HeaderName, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    // A logo may set its own, stricter policy (SVG sandboxing).
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        set(headers, header::CONTENT_SECURITY_POLICY, CSP);
    }
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    // Not `no-referrer`: with it, browsers send `Origin: null` with every
    // form post, and the pages could not tell their own posts from a
    // sandboxed attacker's. `same-origin` still gives other hosts nothing.
    set(headers, header::REFERRER_POLICY, "same-origin");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(headers, HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    set(headers, HeaderName::from_static("cross-origin-resource-policy"), "same-origin");
    // A call's page allows its own microphone and camera (pages::calls).
    let permissions = HeaderName::from_static("permissions-policy");
    if !headers.contains_key(&permissions) {
        set(headers, permissions, "camera=(), microphone=(), geolocation=(), interest-cohort=()");
    }
    if hsts.0 {
        set(headers, header::STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains");
    }
    // Everything but the embedded assets and what its handler marked as
    // the same for everyone may be personal: never stored.
    if !(is_static || shareable) || !headers.contains_key(header::CACHE_CONTROL) {
        set(headers, header::CACHE_CONTROL, "no-store");
    }
    response
}

#[cfg(test)]
mod tests {
    use super::Hsts;

    #[test]
    fn hsts_only_for_an_https_public_url() {
        assert!(Hsts::for_public_url("https://kindred.example.org").0);
        assert!(Hsts::for_public_url("HTTPS://kindred.example.org").0);
        assert!(!Hsts::for_public_url("http://127.0.0.1:8080").0);
        assert!(!Hsts::for_public_url("").0);
    }
}
