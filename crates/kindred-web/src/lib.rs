//! Kindred on the web: the axum router, the server-rendered pages, the JSON
//! API, error mapping and the security middleware. The only crate that knows
//! HTTP, HTML and JSON; every decision it shows comes from `kindred-service`.

pub mod api;
mod assets;
mod auth;
mod compression;
mod errors;
mod i18n;
mod input_guard;
mod json;
mod middleware;
mod observability;
pub mod pages;
mod render;
mod state;
mod tenant;

pub use observability::init_metrics;
pub use observability::metrics as metrics_handler;
pub use state::{AppState, Limits};

use axum::extract::{DefaultBodyLimit, Request};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use std::convert::Infallible;
use tower::util::BoxCloneSyncService;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;

/// The application as one service. Outermost first: security headers,
/// host-name mapping, compression (of the final body, error pages
/// included), error normalisation, panic guard, limits, the router.
pub type App = BoxCloneSyncService<Request, Response, Infallible>;

pub fn app(state: AppState) -> Result<App, String> {
    let limits = state.limits.clone();
    let (api_router, openapi) = api::router();
    let document = api::openapi_json(&openapi)?;
    let openapi_json = {
        let document = document.clone();
        move || {
            let document = document.clone();
            async move { ([(axum::http::header::CONTENT_TYPE, "application/json")], document) }
        }
    };
    // Under an association's prefix only where it exists, as everything there.
    let association_openapi_json = move |_: tenant::ApiTenant| {
        let document = document.clone();
        async move { ([(axum::http::header::CONTENT_TYPE, "application/json")], document) }
    };
    let router = Router::new()
        .route("/healthz", get(observability::healthz))
        .route("/readyz", get(observability::readyz))
        .route("/metrics", get(observability::metrics_on_main))
        .route("/static/{file}", get(assets::serve))
        .route("/api/v1/openapi.json", get(openapi_json))
        .route("/a/{slug}/api/v1/openapi.json", get(association_openapi_json))
        .nest("/a/{slug}/api/v1", api_router)
        .merge(pages::router())
        .fallback(errors::fallback)
        .layer(axum::middleware::from_fn(observability::record))
        // The real limit is `middleware::body_limit`, per path; extractors may read up to the largest.
        .layer(DefaultBodyLimit::max(middleware::largest_body(&limits)))
        .with_state(state.clone());
    let service = ServiceBuilder::new()
        .layer(axum::middleware::from_fn_with_state(
            middleware::Hsts::for_public_url(&state.kindred.public_url),
            middleware::security_headers,
        ))
        .layer(axum::middleware::from_fn_with_state(state.clone(), tenant::map_host))
        .layer(compression::layer())
        .layer(axum::middleware::from_fn_with_state(state, errors::normalise))
        .layer(CatchPanicLayer::custom(errors::panic_response))
        .layer(axum::middleware::from_fn_with_state(limits.clone(), middleware::body_limit))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, limits.request_timeout))
        .layer(axum::middleware::from_fn(input_guard::guard))
        .service(router);
    Ok(BoxCloneSyncService::new(service))
}
