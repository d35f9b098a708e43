//! api::search — full-text search over the forum: topics and posts the
//! caller may read, never anything else (`service::post_search`).

use crate::auth::Community;
use crate::errors::ApiError;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::Json;
use chrono::{DateTime, Utc};
use kindred_service::post_search::{HitAuthor, HitKind, PostHit, PostSearchError};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

pub(crate) fn search_error(error: PostSearchError) -> ApiError {
    match error {
        PostSearchError::Invalid(problems) => ApiError::invalid(
            "invalid_query",
            "Some search parameters are invalid.",
            problems.into_iter().map(|(name, p)| (name.to_owned(), p.message().to_owned())).collect(),
        ),
        PostSearchError::Throttled(t) => ApiError {
            message: "You are searching faster than a person reads; please slow down.".into(),
            ..ApiError::throttled(t.retry_after)
        },
        other => ApiError::internal(other),
    }
}

/// The parameters, for the OpenAPI document only: the handler reads the
/// query string itself, so that a repeated parameter is not an error.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct SearchParams {
    /// 2 to 200 characters; every word must occur (as the beginning of a
    /// word on SQLite, as a German, English or Dutch stem on PostgreSQL).
    q: String,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SearchHit {
    /// `topic` when the opening post (with the title) matched, else `post`.
    #[serde(rename = "type")]
    kind: &'static str,
    topic_id: String,
    /// The reply that matched (for `type` = `post`).
    #[serde(skip_serializing_if = "Option::is_none")]
    post_id: Option<String>,
    /// The post's number in the topic: `/forum/topics/{topic_id}#post-{number}`.
    number: i32,
    /// The topic's title.
    title: String,
    /// Plain text around the match (at most about 200 characters).
    snippet: String,
    /// The author as the forum shows them there: `{member_id, pseudonym,
    /// badge?}`, or `{alias}` alone in an alias group; absent for anonymous posts.
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<HitAuthorEntry>,
    created_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    category_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct HitAuthorEntry {
    #[serde(skip_serializing_if = "Option::is_none")]
    member_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pseudonym: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    badge: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    alias: Option<String>,
}

fn author_entry(author: HitAuthor) -> HitAuthorEntry {
    match author {
        HitAuthor::Member { id, pseudonym, badge } => {
            HitAuthorEntry { member_id: Some(id.to_string()), pseudonym: Some(pseudonym), badge, alias: None }
        }
        HitAuthor::Alias(alias) => HitAuthorEntry { member_id: None, pseudonym: None, badge: None, alias: Some(alias) },
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = PostSearchResponse)]
pub struct SearchResponse {
    /// Newest first.
    results: Vec<SearchHit>,
    /// Pass as `cursor` for the next page; null on the last page.
    next_cursor: Option<String>,
}

fn hit(found: PostHit) -> SearchHit {
    SearchHit {
        kind: found.kind.as_str(),
        post_id: (found.kind == HitKind::Post).then(|| found.post_id.to_string()),
        topic_id: found.topic_id.to_string(),
        number: found.number,
        title: found.title,
        snippet: found.snippet,
        author: found.author.map(author_entry),
        created_at: found.created_at,
        category_id: found.category_id,
        group_id: found.group_id,
    }
}

/// The last value of a query parameter.
pub(crate) fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Searches the topics and posts the caller may read: posts neither hidden
/// nor deleted, in categories and in the groups whose forum the caller
/// reads; 20 at a time, newest first, no counts.
#[utoipa::path(
    get,
    path = "/search",
    tag = "forum",
    security(("bearer" = [])),
    params(SearchParams),
    responses(
        (status = 200, description = "A page of results", body = SearchResponse),
        (status = 403, description = "Not verified yet", body = super::ErrorResponse),
        (status = 422, description = "`q` or `cursor` is invalid", body = super::ErrorResponse),
        (status = 429, description = "Too many searches too fast", body = super::ErrorResponse),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    Community(auth): Community,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<SearchResponse>, ApiError> {
    let page = state
        .kindred
        .search_posts(&auth.tenant.association, &auth.caller, param(&pairs, "q"), param(&pairs, "cursor"))
        .await
        .map_err(search_error)?;
    Ok(Json(SearchResponse { results: page.results.into_iter().map(hit).collect(), next_cursor: page.next_cursor }))
}
