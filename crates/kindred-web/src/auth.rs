//! Who is calling. The API takes a bearer token, or the pages' session
//! cookie together with the CSRF token in `X-CSRF-Token` on unsafe
//! methods; the pages take the session cookie, and their forms carry the
//! CSRF token in a hidden field (checked by the handlers via
//! [`PageSession::check_csrf`]).

use crate::errors::ApiError;
use crate::state::AppState;
use crate::tenant::{ApiTenant, Tenant};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use kindred_service::admission::{Denied, StaffPower};
use kindred_service::sessions::{csrf_matches, Caller, Client, SessionKind};
use std::net::{IpAddr, SocketAddr};

/// The session cookie of an association: one per association, so that one
/// can be signed in to several on the same host. `__Host-`: only over
/// HTTPS, only for this host, for every path.
pub fn cookie_name(tenant: &Tenant) -> String {
    format!("__Host-kindred-{}", tenant.association.slug)
}

pub fn session_cookie(tenant: &Tenant, token: &str) -> HeaderValue {
    let value = format!("{}={token}; Path=/; HttpOnly; Secure; SameSite=Lax", cookie_name(tenant));
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub fn clear_cookie(tenant: &Tenant) -> HeaderValue {
    let value = format!("{}=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0", cookie_name(tenant));
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The value of a cookie in the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.trim().to_owned())
}

pub(crate) fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
}

/// The client as throttling and the session list see it. Behind trusted
/// reverse proxies, the client is the last address in `X-Forwarded-For`
/// that is not itself one of them (earlier entries can be forged).
pub fn client(parts: &Parts, trusted_proxies: &[IpAddr]) -> Client {
    let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let address = match peer {
        Some(peer) if trusted_proxies.contains(&peer) => {
            Some(forwarded_client(&parts.headers, trusted_proxies).unwrap_or(peer))
        }
        other => other,
    };
    let agent = parts.headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("");
    Client { address, label: describe_agent(agent) }
}

fn forwarded_client(headers: &HeaderMap, trusted_proxies: &[IpAddr]) -> Option<IpAddr> {
    let chain: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|entry| entry.trim().parse::<IpAddr>())
        .collect::<Result<_, _>>()
        .ok()?;
    chain.into_iter().rev().find(|ip| !trusted_proxies.contains(ip))
}

/// "Firefox on Linux" from a user agent string; enough to recognise a
/// session in the list, without keeping the whole fingerprint.
fn describe_agent(agent: &str) -> String {
    let browser =
        [("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"), ("curl/", "curl")]
            .iter()
            .find(|(needle, _)| agent.contains(needle))
            .map(|(_, name)| *name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(needle, _)| agent.contains(needle))
    .map(|(_, name)| *name);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} on {s}"),
        (Some(b), None) => b.to_owned(),
        (None, Some(s)) => s.to_owned(),
        (None, None) => "Other".to_owned(),
    }
}

fn unauthorized() -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "Please sign in.")
}

pub fn denied(denied: Denied) -> ApiError {
    match denied {
        Denied::NotSignedIn => unauthorized(),
        Denied::NotVerified => {
            ApiError::new(StatusCode::FORBIDDEN, "not_verified", "Your association has not verified your account yet.")
        }
        Denied::SecondFactorRequired => ApiError::new(
            StatusCode::FORBIDDEN,
            "second_factor_required",
            "Your association asks you to set up a second factor first.",
        ),
        Denied::PseudonymNeeded => ApiError::new(
            StatusCode::FORBIDDEN,
            "pseudonym_needed",
            "Your pseudonym is already taken here; please choose another (PUT /me/pseudonym).",
        ),
        Denied::TermsNotAccepted => ApiError::new(
            StatusCode::FORBIDDEN,
            "terms_not_accepted",
            "The association's terms of use changed; please read them and accept them (POST /me/terms), \
             or delete your account (DELETE /me).",
        ),
        Denied::Forbidden => ApiError::new(StatusCode::FORBIDDEN, "forbidden", "This is for the association's staff."),
    }
}

/// A signed-in member of the request's association, any status but
/// suspended: the account endpoints (where do I stand, verify me).
pub struct Authenticated {
    pub tenant: Tenant,
    pub caller: Caller,
    /// The bearer token or session cookie used.
    pub token: String,
}

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let ApiTenant(tenant) = ApiTenant::from_request_parts(parts, state).await?;
        let (token, from_cookie) = match bearer(&parts.headers) {
            Some(token) => (token, false),
            None => (cookie(&parts.headers, &cookie_name(&tenant)).ok_or_else(unauthorized)?, true),
        };
        let caller = state
            .kindred
            .authenticate(&tenant.association, &token)
            .await
            .map_err(ApiError::internal)?
            .ok_or_else(unauthorized)?;
        if caller.second_factor_pending {
            return Err(unauthorized());
        }
        if from_cookie && !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
            let given = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or("");
            if !csrf_matches(&token, given) {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "csrf_failed",
                    "The X-CSRF-Token header is missing or wrong.",
                ));
            }
        }
        Ok(Self { tenant, caller, token })
    }
}

/// A verified member of the request's association who may use the
/// community (`community_access`): every profile, contact and search
/// endpoint takes this, so a handler cannot forget the gate.
pub struct Community(pub Authenticated);

impl FromRequestParts<AppState> for Community {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let auth = Authenticated::from_request_parts(parts, state).await?;
        state.kindred.community_access(&auth.tenant.association, &auth.caller).map_err(denied)?;
        Ok(Self(auth))
    }
}

/// Whoever reads what may be public (knowledge articles for anyone): a
/// community member when the request carries credentials — wrong ones are
/// 401, as everywhere — else nobody in particular.
pub enum Reader {
    Member(Box<Authenticated>),
    Anonymous(Tenant),
}

impl Reader {
    pub fn tenant(&self) -> &Tenant {
        match self {
            Reader::Member(auth) => &auth.tenant,
            Reader::Anonymous(tenant) => tenant,
        }
    }

    pub fn caller(&self) -> Option<&Caller> {
        match self {
            Reader::Member(auth) => Some(&auth.caller),
            Reader::Anonymous(_) => None,
        }
    }
}

impl FromRequestParts<AppState> for Reader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let ApiTenant(tenant) = ApiTenant::from_request_parts(parts, state).await?;
        let presented = bearer(&parts.headers).is_some() || cookie(&parts.headers, &cookie_name(&tenant)).is_some();
        if !presented {
            return Ok(Reader::Anonymous(tenant));
        }
        let Community(auth) = Community::from_request_parts(parts, state).await?;
        Ok(Reader::Member(Box::new(auth)))
    }
}

/// Staff who handle admission: admins and moderators.
pub struct AdmissionStaff(pub Authenticated);

impl FromRequestParts<AppState> for AdmissionStaff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let auth = Authenticated::from_request_parts(parts, state).await?;
        state.kindred.staff_access(&auth.tenant.association, &auth.caller, StaffPower::Admission).map_err(denied)?;
        Ok(Self(auth))
    }
}

/// The association's admins.
pub struct Admin(pub Authenticated);

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let auth = Authenticated::from_request_parts(parts, state).await?;
        state
            .kindred
            .staff_access(&auth.tenant.association, &auth.caller, StaffPower::Administration)
            .map_err(denied)?;
        Ok(Self(auth))
    }
}

/// A page session by its cookie, including one whose password was right
/// and whose second factor is still to come (which [`Authenticated`]
/// refuses): for finishing a sign-in with a passkey. Never a bearer token;
/// the CSRF header is required on unsafe methods.
pub struct CookieSession {
    pub tenant: Tenant,
    pub caller: Caller,
}

impl FromRequestParts<AppState> for CookieSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let ApiTenant(tenant) = ApiTenant::from_request_parts(parts, state).await?;
        let token = cookie(&parts.headers, &cookie_name(&tenant)).filter(|t| !t.is_empty()).ok_or_else(unauthorized)?;
        let caller = state
            .kindred
            .authenticate(&tenant.association, &token)
            .await
            .map_err(ApiError::internal)?
            .ok_or_else(unauthorized)?;
        if caller.kind != SessionKind::Web {
            return Err(unauthorized());
        }
        if !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
            let given = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or("");
            if !csrf_matches(&token, given) {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "csrf_failed",
                    "The X-CSRF-Token header is missing or wrong.",
                ));
            }
        }
        Ok(Self { tenant, caller })
    }
}

/// The client of any request, for endpoints that need no sign-in.
pub struct ClientInfo(pub Client);

impl FromRequestParts<AppState> for ClientInfo {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Self(client(parts, &state.trusted_proxies)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agents() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        assert_eq!(describe_agent(firefox), "Firefox on Linux");
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36";
        assert_eq!(describe_agent(chrome), "Chrome on Windows");
        assert_eq!(describe_agent(""), "Other");
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let proxy: IpAddr = [10, 0, 0, 1].into();
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static("6.6.6.6, 203.0.113.9, 10.0.0.1"));
        // The client forged the first entry; the proxy appended the real one.
        assert_eq!(forwarded_client(&headers, &[proxy]), Some([203, 0, 113, 9].into()));
        headers.insert("x-forwarded-for", HeaderValue::from_static("nonsense"));
        assert_eq!(forwarded_client(&headers, &[proxy]), None);
    }

    #[test]
    fn cookies() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("a=1; __Host-kindred-demo=abc ; b=2"));
        assert_eq!(cookie(&headers, "__Host-kindred-demo").as_deref(), Some("abc"));
        assert_eq!(cookie(&headers, "c"), None);
    }
}
