//! Who is signed in on a page request: the session cookie of the
//! association, the member it belongs to, and the CSRF token that every
//! form of a signed-in page carries in a hidden field `csrf`.
//!
//! A session whose password was right but whose second factor is still to
//! come counts as signed out everywhere but on the second-factor page
//! ([`PageSession::pending`]).
//!
//! Forms used while signed out (register, sign in, password reset, e-mail
//! confirmation) have no session to tie a token to; they refuse requests
//! that the browser marks as cross-site instead ([`same_origin`]).

use crate::auth::{cookie, cookie_name};
use crate::errors::PageError;
use crate::state::AppState;
use crate::tenant::{PageTenant, Tenant};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use kindred_service::sessions::{csrf_matches, masked_csrf_token, Caller};

/// The page session of a request (cached in the request's extensions, so
/// that several extractors share one look-up).
#[derive(Clone, Default)]
pub struct PageSession {
    token: Option<String>,
    caller: Option<Caller>,
    pending: Option<Caller>,
}

impl PageSession {
    /// Looks up the session cookie of `tenant`'s association.
    pub async fn load(parts: &mut Parts, state: &AppState, tenant: &Tenant) -> Result<Self, PageError> {
        if let Some(cached) = parts.extensions.get::<PageSession>() {
            return Ok(cached.clone());
        }
        let session = match cookie(&parts.headers, &cookie_name(tenant)).filter(|t| !t.is_empty()) {
            None => Self::default(),
            Some(token) => {
                let caller = state
                    .kindred
                    .authenticate(&tenant.association, &token)
                    .await
                    .map_err(|e| PageError::Internal(e.to_string()))?;
                match caller {
                    Some(c) if c.second_factor_pending => Self { token: Some(token), caller: None, pending: Some(c) },
                    Some(c) => Self { token: Some(token), caller: Some(c), pending: None },
                    None => Self { token: Some(token), caller: None, pending: None },
                }
            }
        };
        parts.extensions.insert(session.clone());
        Ok(session)
    }

    /// The signed-in member (second factor done, if any).
    pub fn caller(&self) -> Option<&Caller> {
        self.caller.as_ref()
    }

    /// A member whose password was right and whose second factor is still to come.
    pub fn pending(&self) -> Option<&Caller> {
        self.pending.as_ref()
    }

    /// The session secret from the cookie, whether or not it is still valid.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// The session's token, while the session is valid.
    fn valid_token(&self) -> Option<&str> {
        self.token.as_deref().filter(|_| self.caller.is_some() || self.pending.is_some())
    }

    /// The CSRF token for the forms of this session, masked afresh on every
    /// call (BREACH: no two responses carry the same value; see
    /// [`masked_csrf_token`]); empty without a session.
    pub fn csrf(&self) -> String {
        self.valid_token().map(masked_csrf_token).unwrap_or_default()
    }

    /// Whether a form's `csrf` value belongs to this (valid) session.
    pub fn check_csrf(&self, form_value: &str) -> bool {
        self.valid_token().is_some_and(|token| csrf_matches(token, form_value))
    }
}

impl FromRequestParts<AppState> for PageSession {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let PageTenant(tenant) = PageTenant::from_request_parts(parts, state).await?;
        Self::load(parts, state, &tenant).await
    }
}

/// Whether a request may be a form post from our own pages: not marked
/// `Sec-Fetch-Site: cross-site` (or `same-site`: another host of the same
/// site is another origin) by the browser, and with an `Origin` (if any)
/// naming the request's own host (the `Host` header, else the URI's
/// authority) or the deployment's public URL.
///
/// `Origin: null` is refused: it is what a sandboxed frame, a `data:` page
/// or a redirect chain from another site sends, so it says nothing about
/// where a post came from. Our pages use `Referrer-Policy: same-origin`,
/// under which browsers name the real origin on their own form posts.
pub fn same_origin(headers: &HeaderMap, authority: Option<&str>, public_url: &str) -> bool {
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()).unwrap_or("");
    if fetch_site.eq_ignore_ascii_case("cross-site") || fetch_site.eq_ignore_ascii_case("same-site") {
        return false;
    }
    let Some(origin) = headers.get(header::ORIGIN) else { return true };
    let Ok(origin) = origin.to_str() else { return false };
    let origin = origin.trim().trim_end_matches('/');
    if origin.eq_ignore_ascii_case("null") {
        return false;
    }
    let public = public_url.trim().trim_end_matches('/');
    if !public.is_empty() && origin.eq_ignore_ascii_case(public) {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).or(authority);
    let Some(host) = host else { return false };
    let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or(origin);
    origin_host.eq_ignore_ascii_case(host.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    fn same(pairs: &[(&'static str, &'static str)]) -> bool {
        same_origin(&headers(pairs), None, "")
    }

    #[test]
    fn cross_site_posts_are_refused() {
        assert!(same(&[]));
        assert!(same(&[("host", "example.org"), ("sec-fetch-site", "same-origin")]));
        assert!(same(&[("host", "example.org:8080"), ("origin", "https://example.org:8080")]));
        assert!(!same(&[("host", "example.org"), ("origin", "null"), ("sec-fetch-site", "none")]));
        assert!(!same(&[("host", "example.org"), ("origin", "null")]));
        assert!(!same(&[("host", "example.org"), ("sec-fetch-site", "cross-site")]));
        assert!(!same(&[("host", "example.org"), ("origin", "null"), ("sec-fetch-site", "same-site")]));
        assert!(!same(&[("host", "example.org"), ("origin", "https://evil.example")]));
        assert!(!same(&[("host", "example.org"), ("origin", "https://example.org:444")]));
        assert!(!same(&[("origin", "https://example.org")]));
        assert!(same_origin(&headers(&[("origin", "https://example.org")]), Some("example.org"), ""));
        let behind_proxy = headers(&[("host", "127.0.0.1:8080"), ("origin", "https://kindred.example.org")]);
        assert!(same_origin(&behind_proxy, None, "https://kindred.example.org/"));
        assert!(!same_origin(&behind_proxy, None, "https://other.example.org"));
    }

    #[test]
    fn csrf_needs_a_valid_session() {
        let none = PageSession::default();
        assert_eq!(none.csrf(), "");
        assert!(!none.check_csrf(""));
        let stale = PageSession { token: Some("abc".into()), caller: None, pending: None };
        assert!(!stale.check_csrf(&kindred_service::sessions::csrf_token("abc")));
        assert!(!stale.check_csrf(&masked_csrf_token("abc")));
    }
}
