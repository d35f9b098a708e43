//! Baseline for `scripts/bench`: the smallest useful axum server.
//!
//! `GET /` answers `ok`. No middleware, no state, multi-threaded tokio
//! runtime — the same stack `kindred serve` runs on, minus everything Kindred
//! adds. The benchmark reports Kindred's numbers as a ratio to this one,
//! measured in the same run on the same machine.
//!
//! `GET /page` answers the bytes of the file named as the second argument
//! (read at the first request, then kept in memory) as HTML: `scripts/bench
//! --pages` saves a signed-in topic page there, so that the run also shows
//! what sending that page's bytes costs by itself — the ceiling for any way
//! of serving it, however it was made. 404 without a file.
//!
//! Usage: `trivial_server [ADDR] [PAGE_FILE]` (default `127.0.0.1:18099`).

use axum::body::Bytes;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{routing::get, Router};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

const DEFAULT_ADDR: &str = "127.0.0.1:18099";

/// The page's bytes, read once from `file`.
struct Page {
    file: Option<PathBuf>,
    bytes: OnceLock<Option<Bytes>>,
}

impl Page {
    fn get(&self) -> Option<Bytes> {
        self.bytes.get_or_init(|| self.file.as_ref().and_then(|f| std::fs::read(f).ok()).map(Bytes::from)).clone()
    }
}

async fn page(page: Arc<Page>) -> Response {
    match page.get() {
        // A copy per request, as a rendered page is a buffer of its own.
        Some(bytes) => ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], bytes.to_vec()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let addr = std::env::args().nth(1).unwrap_or_else(|| DEFAULT_ADDR.to_owned());
    let file = std::env::args().nth(2).map(PathBuf::from);
    let shared = Arc::new(Page { file, bytes: OnceLock::new() });
    let app = Router::new().route("/", get(|| async { "ok" })).route(
        "/page",
        get(move || {
            let shared = shared.clone();
            async move { page(shared).await }
        }),
    );
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("trivial_server listening on {}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
