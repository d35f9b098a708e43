//! Health, readiness, Prometheus metrics and request logs.
//!
//! Labels and log fields carry the route *template* (`/a/{slug}/members/{id}`),
//! never the concrete path or the query string: no member id, group id or
//! search term ever reaches a metric or a log line.

use crate::errors::ApiError;
use crate::state::AppState;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use serde_json::json;
use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Instant;

static METRICS: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the process-wide Prometheus recorder (once; later calls return
/// the same handle).
pub fn init_metrics() -> Option<PrometheusHandle> {
    METRICS
        .get_or_init(|| {
            let buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];
            PrometheusBuilder::new()
                .set_buckets(&buckets)
                .ok()?
                .install_recorder()
                .map_err(|e| tracing::warn!(error = %e, "metrics recorder not installed"))
                .ok()
        })
        .clone()
}

pub async fn healthz() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.kindred.store.ping().await {
        Ok(()) => Json(json!({ "status": "ready" })).into_response(),
        Err(error) => {
            tracing::warn!(%error, "not ready: database unreachable");
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "database_unreachable", "The database cannot be reached.")
                .into_response()
        }
    }
}

/// `/metrics` on the main address: only for a client on this machine that
/// came straight in (not through a reverse proxy, which would make every
/// visitor look local). Anyone else gets the 404 of an unknown path; an
/// operator who wants metrics elsewhere sets `server.metrics_bind`.
pub async fn metrics_on_main(State(state): State<AppState>, request: Request) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    if !is_local_request(peer, request.headers()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    metrics(State(state)).await
}

/// A direct connection from a loopback address, without forwarding headers.
fn is_local_request(peer: Option<SocketAddr>, headers: &HeaderMap) -> bool {
    let forwarded = ["forwarded", "x-forwarded-for", "x-real-ip"].iter().any(|name| headers.contains_key(*name));
    peer.is_some_and(|peer| peer.ip().is_loopback()) && !forwarded
}

/// The metrics themselves: on the main address through [`metrics_on_main`],
/// on `server.metrics_bind` to anyone who reaches that address.
pub async fn metrics(State(state): State<AppState>) -> Response {
    match &state.metrics {
        Some(handle) => {
            record_jobs(&state).await;
            ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], handle.render()).into_response()
        }
        None => ApiError::new(StatusCode::NOT_FOUND, "not_found", "Metrics are not enabled.").into_response(),
    }
}

/// The timed jobs' state as the database has it, so that whichever node
/// is asked reports the runs of every node.
async fn record_jobs(state: &AppState) {
    match state.kindred.store.jobs().await {
        Ok(jobs) => {
            for job in jobs {
                let labels = [("job", job.name.clone())];
                metrics::gauge!("kindred_job_runs", &labels).set(job.runs as f64);
                metrics::gauge!("kindred_job_failures", &labels).set(job.failures as f64);
                if let Some(finished) = job.last_finished_at {
                    metrics::gauge!("kindred_job_last_finished_seconds", &labels).set(finished.timestamp() as f64);
                }
            }
        }
        Err(error) => tracing::warn!(%error, "job state not readable for /metrics"),
    }
}

/// Counts and times every request by method, route template and status,
/// and writes one log line without personal data.
pub async fn record(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let response = next.run(request).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16().to_string();
    let labels = [("method", method.clone()), ("route", route.clone()), ("status", status.clone())];
    metrics::counter!("kindred_http_requests_total", &labels).increment(1);
    metrics::histogram!("kindred_http_request_duration_seconds", &labels[..2]).record(elapsed.as_secs_f64());
    tracing::info!(
        target: "kindred::http",
        method = %method,
        route = %route,
        status = %status,
        duration_ms = elapsed.as_secs_f64() * 1000.0,
        "request"
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn metrics_only_for_direct_local_clients() {
        let none = HeaderMap::new();
        let local: SocketAddr = "127.0.0.1:5000".parse().unwrap_or_else(|e| panic!("{e}"));
        let local6: SocketAddr = "[::1]:5000".parse().unwrap_or_else(|e| panic!("{e}"));
        let remote: SocketAddr = "203.0.113.9:5000".parse().unwrap_or_else(|e| panic!("{e}"));
        assert!(is_local_request(Some(local), &none));
        assert!(is_local_request(Some(local6), &none));
        assert!(!is_local_request(Some(remote), &none));
        assert!(!is_local_request(None, &none));
        let mut proxied = HeaderMap::new();
        proxied.insert("x-forwarded-for", HeaderValue::from_static("203.0.113.9"));
        assert!(!is_local_request(Some(local), &proxied));
    }
}
