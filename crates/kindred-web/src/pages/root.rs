//! The deployment's own start page: which associations live here.

use super::layout::{render, Layout, Section};
use crate::errors::PageError;
use crate::i18n;
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Serialize;

#[derive(Serialize)]
struct Entry {
    name: String,
    href: String,
}

pub async fn index(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let accept = headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    let language = i18n::choose(None, query.as_deref(), accept);
    let associations = state.kindred.associations().await.map_err(|e| PageError::Internal(e.to_string()))?;
    let entries: Vec<Entry> = associations
        .iter()
        .map(|a| Entry {
            name: a.settings.name.get(language).to_owned(),
            // Only a language the association offers is carried along.
            href: match i18n::explicit(Some(a), query.as_deref()) {
                Some(l) => format!("/a/{}/?lang={}", a.slug, l.code()),
                None => format!("/a/{}/", a.slug),
            },
        })
        .collect();
    let layout = Layout::new(None, "", language, "/", Section::None).keeping(i18n::explicit(None, query.as_deref()));
    Ok(render(&state, "root.html", layout, minijinja::context! { associations => entries }))
}
