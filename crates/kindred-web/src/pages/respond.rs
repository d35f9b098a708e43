//! How a page answers besides rendering its own template: links below the
//! association, redirects, the one-message pages (refused, wait, went wrong).

use super::association::AssociationPage;
use super::layout::{render_status, Section};
use super::text::{tr, tr_args};
use crate::state::AppState;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use fluent_templates::fluent_bundle::FluentValue;
use kindred_domain::return_to::ReturnTo;
use kindred_domain::AccountStatus;
use serde::Serialize;

/// A link to `path` below the association, keeping an explicit language
/// choice; `query` pairs are added (values percent-encoded).
pub(super) fn link(page: &AssociationPage, path: &str, query: &[(&str, &str)]) -> String {
    let mut pairs: Vec<String> = query.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect();
    if let Some(language) = page.explicit {
        pairs.push(format!("lang={}", language.code()));
    }
    let base = &page.tenant.base;
    if pairs.is_empty() {
        format!("{base}{path}")
    } else {
        format!("{base}{path}?{}", pairs.join("&"))
    }
}

pub(super) fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// 303 See Other: after a post, the browser loads `location` with GET.
pub(super) fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// Logs the cause; the error page says only that something went wrong.
pub(super) fn internal(cause: impl std::fmt::Display) -> Response {
    tracing::error!(error = %cause, "page failed");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

#[derive(Serialize)]
pub(super) struct LinkView {
    pub href: String,
    pub label: String,
}

/// A page that says one thing: a title, some paragraphs and where to go next.
pub(super) fn message(
    state: &AppState,
    page: &AssociationPage,
    status: StatusCode,
    path: &str,
    title: String,
    paragraphs: Vec<String>,
    links: Vec<LinkView>,
) -> Response {
    let values = minijinja::context! { title => title, paragraphs => paragraphs, links => links };
    render_status(state, status, "account/message.html", page.layout(path, Section::None), values)
}

/// 403 for a form whose CSRF token is missing or wrong, or a post from another site.
pub(super) fn refused(state: &AppState, page: &AssociationPage) -> Response {
    let back = LinkView { href: link(page, "/", &[]), label: tr(page, "error-home-link") };
    message(
        state,
        page,
        StatusCode::FORBIDDEN,
        "/",
        tr(page, "refused-title"),
        vec![tr(page, "refused-text"), tr(page, "refused-hint")],
        vec![back],
    )
}

/// 429 with `Retry-After` and the wait in words.
pub(super) fn wait(state: &AppState, page: &AssociationPage, retry_after: i64) -> Response {
    let minutes = ((retry_after.max(1) + 59) / 60).max(1);
    let text = if retry_after >= 2 * 3600 {
        tr_args(page, "wait-hours", &[("hours", FluentValue::from((retry_after + 3599) / 3600))])
    } else {
        tr_args(page, "wait-minutes", &[("minutes", FluentValue::from(minutes))])
    };
    let mut response = message(
        state,
        page,
        StatusCode::TOO_MANY_REQUESTS,
        "/",
        tr(page, "wait-title"),
        vec![tr(page, "wait-text"), text],
        vec![LinkView { href: link(page, "/", &[]), label: tr(page, "error-home-link") }],
    );
    if let Ok(value) = HeaderValue::from_str(&retry_after.max(1).to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// Not signed in: to the sign-in page (or on to the second factor).
pub(super) fn to_sign_in(page: &AssociationPage) -> Response {
    // Back to this page afterwards, if it is one to come back to.
    let next = page.here.as_deref().and_then(ReturnTo::parse);
    let query: Vec<(&str, &str)> = next.iter().map(|n| ("next", n.as_str())).collect();
    if page.session.pending().is_some() {
        see_other(&link(page, "/sign-in/second-factor", &query))
    } else {
        see_other(&link(page, "/sign-in", &query))
    }
}

/// Where a member goes once signed in: back to `next` when it is a page of
/// the association (`ReturnTo` decides), else to their home page — or,
/// while the association has not verified them yet, to their account page,
/// where the verification steps are.
pub(super) fn after_sign_in(page: &AssociationPage, next: Option<&ReturnTo>, status: AccountStatus) -> String {
    let default = if status == AccountStatus::Active { "/" } else { "/account" };
    link(page, next.map_or(default, ReturnTo::as_str), &[])
}

/// A link to a post in its topic: the topic page that shows it (`?after=`
/// its page of 50), at the post (`#post-{number}`: numbers are short and
/// compress well — 50 random ids cost a topic page over a kilobyte after
/// gzip, issue 21), with `done` saying what just happened; the topic's
/// first page where the number is not known.
pub(super) fn post_href(page: &AssociationPage, topic: &str, number: Option<i32>, done: Option<&str>) -> String {
    let per_page = i32::try_from(kindred_service::forum::POSTS_PER_PAGE).unwrap_or(50);
    let after = number.map(|n| ((n - 1).max(0) / per_page) * per_page).filter(|a| *a > 0).map(|a| a.to_string());
    let mut query = Vec::new();
    if let Some(done) = done {
        query.push(("done", done));
    }
    if let Some(after) = &after {
        query.push(("after", after.as_str()));
    }
    let topic = link(page, &format!("/forum/topics/{topic}"), &query);
    match number {
        Some(n) => format!("{topic}#post-{n}"),
        None => topic,
    }
}

/// A member photo: never cached, since who may see it can change at any moment.
pub(super) fn jpeg(image: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "image/jpeg"), (header::CACHE_CONTROL, "private, no-store")], image).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_query_values() {
        assert_eq!(encode("a b&c=d~"), "a%20b%26c%3Dd~");
        assert_eq!(encode("1700000000~ABC"), "1700000000~ABC");
    }
}
