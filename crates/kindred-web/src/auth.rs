//! Who is calling: the bearer token of the API. (Session cookies for the
//! pages come with the accounts-and-admission work.)

use crate::errors::ApiError;
use crate::state::AppState;
use crate::tenant::{ApiTenant, Tenant};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use kindred_service::sessions::Member;

/// A signed-in member of the request's association, with the token used.
pub struct Authenticated {
    pub tenant: Tenant,
    pub member: Member,
    pub token: String,
}

fn bearer(parts: &Parts) -> Option<String> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
}

fn unauthorized() -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "Please sign in.")
}

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let ApiTenant(tenant) = ApiTenant::from_request_parts(parts, state).await?;
        let token = bearer(parts).ok_or_else(unauthorized)?;
        let member = state
            .kindred
            .authenticate(&tenant.association, &token)
            .await
            .map_err(ApiError::internal)?
            .ok_or_else(unauthorized)?;
        Ok(Self { tenant, member, token })
    }
}
