//! Which association a request is for, and where its pages are mounted.

use crate::errors::{ApiError, PageError};
use crate::state::AppState;
use axum::extract::rejection::RawPathParamsRejection;
use axum::extract::{FromRequestParts, RawPathParams, Request, State};
use axum::http::request::Parts;
use axum::http::{header, Uri};
use axum::middleware::Next;
use axum::response::Response;
use kindred_domain::tenant::{classify_path, prefixed_path, PathTarget};
use kindred_domain::HostName;
use kindred_service::Association;
use std::sync::Arc;

/// Where an association's pages live for this request: below `/a/{slug}`,
/// or at the root of a host name mapped to it. Links are built from `base`.
#[derive(Clone, Debug)]
pub struct Mount {
    pub base: String,
}

/// Serves an unprefixed path on a mapped host as that association's path.
pub async fn map_host(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if classify_path(request.uri().path()) == PathTarget::Unprefixed {
        let host =
            request.headers().get(header::HOST).and_then(|h| h.to_str().ok()).and_then(|h| HostName::parse(h).ok());
        if let Some(host) = host {
            if let Some(slug) = slug_for_host(&state, &host).await {
                let path = prefixed_path(&slug, request.uri().path());
                let rewritten = match request.uri().query() {
                    Some(query) => format!("{path}?{query}"),
                    None => path,
                };
                if let Ok(uri) = rewritten.parse::<Uri>() {
                    *request.uri_mut() = uri;
                    request.extensions_mut().insert(Mount { base: String::new() });
                }
            }
        }
    }
    next.run(request).await
}

async fn slug_for_host(state: &AppState, host: &HostName) -> Option<String> {
    if let Some(cached) = state.associations.host(host.as_str()) {
        return cached;
    }
    match state.kindred.slug_for_host(host).await {
        Ok(slug) => {
            state.associations.put_host(host.as_str(), slug.clone());
            slug
        }
        Err(error) => {
            tracing::error!(%error, "host look-up failed");
            None
        }
    }
}

/// Loads the association named by the `slug` path parameter.
pub async fn load(state: &AppState, slug: &str) -> Result<Option<Arc<Association>>, String> {
    if let Some(cached) = state.associations.slug(slug) {
        return Ok(cached);
    }
    let loaded = state.kindred.association(slug).await.map_err(|e| e.to_string())?.map(Arc::new);
    state.associations.put_slug(slug, loaded.clone());
    Ok(loaded)
}

/// The association of the request and where it is mounted.
#[derive(Clone)]
pub struct Tenant {
    pub association: Arc<Association>,
    pub base: String,
}

async fn resolve(parts: &mut Parts, state: &AppState) -> Result<Option<Tenant>, String> {
    let params = match RawPathParams::from_request_parts(parts, state).await {
        Ok(params) => params,
        // A path parameter that is not UTF-8 once percent-decoded (`%ff`)
        // names nothing that can exist: an association, member, group or
        // topic is never called that. Answer as for any unknown name, not
        // as a fault of ours.
        Err(RawPathParamsRejection::InvalidUtf8InPathParam(_)) => return Ok(None),
        Err(error) => return Err(error.to_string()),
    };
    let Some(slug) = params.iter().find(|(name, _)| *name == "slug").map(|(_, v)| v.to_owned()) else {
        return Ok(None);
    };
    let base = match parts.extensions.get::<Mount>() {
        Some(mount) => mount.base.clone(),
        None => format!("/a/{slug}"),
    };
    Ok(load(state, &slug).await?.map(|association| Tenant { association, base }))
}

/// [`Tenant`] for pages: an unknown association is the 404 page.
pub struct PageTenant(pub Tenant);

impl FromRequestParts<AppState> for PageTenant {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match resolve(parts, state).await {
            Ok(Some(tenant)) => Ok(Self(tenant)),
            Ok(None) => Err(PageError::NotFound),
            Err(error) => Err(PageError::Internal(error)),
        }
    }
}

/// [`Tenant`] for the API: an unknown association is a JSON 404.
pub struct ApiTenant(pub Tenant);

impl FromRequestParts<AppState> for ApiTenant {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match resolve(parts, state).await {
            Ok(Some(tenant)) => Ok(Self(tenant)),
            Ok(None) => Err(ApiError::not_found()),
            Err(error) => Err(ApiError::internal(error)),
        }
    }
}
