//! Stylesheet, script and icons, embedded in the binary.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

const CSS: &str = include_str!("../static/kindred.css");
const JS: &str = include_str!("../static/kindred.js");
/// Passkeys (WebAuthn) glue, loaded only by the pages that offer passkeys.
const PASSKEYS_JS: &str = include_str!("../static/passkeys.js");
/// Live delivery for the pages (`GET …/api/v1/live`), loaded for members.
const LIVE_JS: &str = include_str!("../static/live.js");

/// Changes whenever the embedded assets change, for cache busting.
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

pub async fn serve(Path(file): Path<String>) -> Response {
    let (body, kind) = match file.as_str() {
        "kindred.css" => (CSS, "text/css; charset=utf-8"),
        "kindred.js" => (JS, "text/javascript; charset=utf-8"),
        "passkeys.js" => (PASSKEYS_JS, "text/javascript; charset=utf-8"),
        "live.js" => (LIVE_JS, "text/javascript; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    ([(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "public, max-age=3600")], body).into_response()
}
