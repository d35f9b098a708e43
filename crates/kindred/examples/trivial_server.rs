//! Baseline for `scripts/bench`: the smallest useful axum server.
//!
//! `GET /` answers `ok`. No middleware, no state, multi-threaded tokio
//! runtime — the same stack `kindred serve` runs on, minus everything Kindred
//! adds. The benchmark reports Kindred's numbers as a ratio to this one,
//! measured in the same run on the same machine.
//!
//! Usage: `trivial_server [ADDR]` (default `127.0.0.1:18099`).

use axum::{routing::get, Router};

const DEFAULT_ADDR: &str = "127.0.0.1:18099";

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let addr = std::env::args().nth(1).unwrap_or_else(|| DEFAULT_ADDR.to_owned());
    let app = Router::new().route("/", get(|| async { "ok" }));
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("trivial_server listening on {}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
