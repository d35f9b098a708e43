//! The one-click unsubscribe link of notification mails (RFC 8058). It
//! works signed out: the token is a MAC over member and kind
//! (`service::mail_delivery`). GET shows what the link would stop with a
//! button (no JavaScript needed); POST stops it (mail programs post
//! `List-Unsubscribe=One-Click` there without a CSRF token: the token in
//! the link is the proof). A tampered link, one for another member, kind or
//! association, and a made-up one all get the same 404 page.

use super::association::AssociationPage;
use super::layout::{render_status, Section};
use super::respond::{internal, link, message, LinkView};
use super::text::{tr, tr_args};
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use fluent_templates::fluent_bundle::FluentValue;

/// The `token` of the query; anything odd is just no token.
fn token(query: Option<&str>) -> String {
    query
        .unwrap_or_default()
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
        .filter(|t| t.len() <= 200 && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_'))
        .unwrap_or_default()
        .to_owned()
}

fn kind_label(page: &AssociationPage, kind: &str) -> String {
    tr(page, &format!("notification-kind-{}", kind.replace('_', "-")))
}

fn settings_link(page: &AssociationPage) -> LinkView {
    LinkView { href: link(page, "/account/notifications", &[]), label: tr(page, "unsubscribe-settings-link") }
}

/// The same answer for every link that is not a valid one.
fn unknown(state: &AppState, page: &AssociationPage) -> Response {
    message(
        state,
        page,
        StatusCode::NOT_FOUND,
        "/unsubscribe",
        tr(page, "unsubscribe-unknown-title"),
        vec![tr(page, "unsubscribe-unknown-text")],
        vec![settings_link(page)],
    )
}

pub async fn confirm(State(state): State<AppState>, page: AssociationPage, RawQuery(query): RawQuery) -> Response {
    let token = token(query.as_deref());
    match state.kindred.unsubscribe_target(&page.tenant.association, &token).await {
        Ok(Some(target)) => {
            let kind = kind_label(&page, target.kind.name);
            let values = minijinja::context! {
                text => tr_args(&page, "unsubscribe-text", &[("kind", FluentValue::from(kind))]),
                action => link(&page, "/unsubscribe", &[("token", &token)]),
            };
            render_status(
                &state,
                StatusCode::OK,
                "account/unsubscribe.html",
                page.layout("/unsubscribe", Section::None),
                values,
            )
        }
        Ok(None) => unknown(&state, &page),
        Err(error) => internal(error),
    }
}

pub async fn unsubscribe(State(state): State<AppState>, page: AssociationPage, RawQuery(query): RawQuery) -> Response {
    let token = token(query.as_deref());
    match state.kindred.unsubscribe(&page.tenant.association, &token).await {
        Ok(Some(target)) => {
            let kind = kind_label(&page, target.kind.name);
            message(
                &state,
                &page,
                StatusCode::OK,
                "/unsubscribe",
                tr(&page, "unsubscribe-done-title"),
                vec![tr_args(&page, "unsubscribe-done-text", &[("kind", FluentValue::from(kind))])],
                vec![settings_link(&page)],
            )
        }
        Ok(None) => unknown(&state, &page),
        Err(error) => internal(error),
    }
}
