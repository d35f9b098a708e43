//! On-the-fly compression of pages and JSON (brotli, else gzip), and the
//! answer to BREACH (see ARCHITECTURE.md, "Compression and BREACH").
//!
//! Compressed only: HTML, JSON and other text. Not compressed: anything
//! that already has a `Content-Encoding` (the precompressed static assets),
//! images, PDFs, ZIPs (the data export), attachments of other types, the
//! WebSocket upgrade (no content type) — and every response marked
//! [`Uncompressed`]: those that show a secret (a TOTP secret, recovery
//! codes, a feed URL, invitation codes…), so that no secret ever shares a
//! compressed body with text an attacker chose.

use axum::http::{header, HeaderMap, StatusCode, Version};
use axum::response::{IntoResponse, Response};
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;

/// Marks a response (in its extensions) as one that is never compressed.
#[derive(Clone, Copy, Debug)]
pub struct Uncompressed;

/// A response that shows a secret: sent as it is, never compressed.
pub struct Secret<T>(pub T);

impl<T: IntoResponse> IntoResponse for Secret<T> {
    fn into_response(self) -> Response {
        let mut response = self.0.into_response();
        response.extensions_mut().insert(Uncompressed);
        response
    }
}

/// Whether a content type is text that compresses well.
fn is_text(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    (essence.starts_with("text/") && essence != "text/event-stream")
        || essence == "application/json"
        || essence.ends_with("+json")
        || essence == "application/xml"
}

/// The predicate: text, not marked [`Uncompressed`].
fn compressible(_: StatusCode, _: Version, headers: &HeaderMap, extensions: &axum::http::Extensions) -> bool {
    is_text(headers) && extensions.get::<Uncompressed>().is_none()
}

/// The layer: brotli (quality 4, tower-http's default for it) or gzip
/// (level 6), chosen by the request's `Accept-Encoding`; bodies under
/// 256 bytes are not worth it.
pub fn layer() -> CompressionLayer<impl Predicate> {
    let predicate = compressible as fn(StatusCode, Version, &HeaderMap, &axum::http::Extensions) -> bool;
    CompressionLayer::new().br(true).gzip(true).compress_when(predicate.and(SizeAbove::new(256)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn typed(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn text_and_json_compress_the_rest_does_not() {
        for yes in ["text/html; charset=utf-8", "application/json", "application/problem+json", "text/calendar"] {
            assert!(is_text(&typed(yes)), "{yes}");
        }
        for no in ["image/png", "application/pdf", "application/zip", "text/event-stream", "application/octet-stream"] {
            assert!(!is_text(&typed(no)), "{no}");
        }
        assert!(!is_text(&HeaderMap::new()), "no content type (the WebSocket upgrade)");
    }

    #[test]
    fn a_secret_is_never_compressed() {
        let response = Secret(([(header::CONTENT_TYPE, "text/html")], "x".repeat(1000))).into_response();
        assert!(!compressible(response.status(), response.version(), response.headers(), response.extensions()));
        let response = ([(header::CONTENT_TYPE, "text/html")], "x".repeat(1000)).into_response();
        assert!(compressible(response.status(), response.version(), response.headers(), response.extensions()));
    }
}
