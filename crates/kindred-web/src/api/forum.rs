//! api::forum — categories (configured by admins), topics and posts in
//! categories and group forums, edits with their history, reactions and
//! subscriptions. Every answer comes through `service::forum`, whose gate
//! (`topic_access`) makes anything the caller may not read a plain 404.

use crate::auth::{Admin, Community};
use crate::errors::ApiError;
use crate::json::{ApiJson, OptionalJson};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use kindred_service::forum::{
    Author, CategoryInput, CategoryView, ForumActionError, PostView, ReplyInput, TopicInput, TopicList, TopicSummary,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

pub(crate) fn forum_error(error: ForumActionError) -> ApiError {
    match error {
        ForumActionError::NotFound => ApiError::not_found(),
        ForumActionError::Forbidden => ApiError::new(StatusCode::FORBIDDEN, "forbidden", "You may not do this."),
        ForumActionError::Locked => {
            ApiError::new(StatusCode::FORBIDDEN, "topic_locked", "This topic is locked; only moderators reply.")
        }
        ForumActionError::NotEmpty => ApiError::new(
            StatusCode::CONFLICT,
            "category_not_empty",
            "The category still holds topics; move or delete them first.",
        ),
        ForumActionError::Invalid(problems) => ApiError::invalid(
            "invalid_fields",
            "Some fields are invalid.",
            problems.into_iter().map(|(f, p)| (f.to_owned(), p.to_owned())).collect(),
        ),
        other => ApiError::internal(other),
    }
}

fn invalid(field: &str, message: &str) -> ApiError {
    ApiError::invalid(
        "invalid_fields",
        "Some fields are invalid.",
        BTreeMap::from([(field.to_owned(), message.to_owned())]),
    )
}

// ------------------------------------------------------------------ categories

#[derive(Serialize, ToSchema)]
pub struct CategoryEntry {
    category_id: String,
    name: String,
    description: String,
    position: i32,
    anonymous_allowed: bool,
    ask_professional: bool,
    topic_count: i32,
    post_count: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_post_at: Option<DateTime<Utc>>,
}

fn category_entry(c: CategoryView) -> CategoryEntry {
    CategoryEntry {
        category_id: c.id,
        name: c.name,
        description: c.description,
        position: c.position,
        anonymous_allowed: c.anonymous_allowed,
        ask_professional: c.ask_professional,
        topic_count: c.topic_count,
        post_count: c.post_count,
        last_post_at: c.last_post_at,
    }
}

#[derive(Serialize, ToSchema)]
pub struct CategoriesResponse {
    categories: Vec<CategoryEntry>,
}

/// The association's forum categories, in order, with their counters.
#[utoipa::path(
    get,
    path = "/forum/categories",
    tag = "forum",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Categories", body = CategoriesResponse),
        (status = 403, description = "Not verified yet", body = super::ErrorResponse),
    )
)]
pub async fn categories(
    State(state): State<AppState>,
    Community(auth): Community,
) -> Result<Json<CategoriesResponse>, ApiError> {
    let list = state.kindred.forum_categories(&auth.tenant.association, &auth.caller).await.map_err(forum_error)?;
    Ok(Json(CategoriesResponse { categories: list.into_iter().map(category_entry).collect() }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryBody {
    /// 1 to 100 characters.
    name: String,
    /// At most 1000 characters.
    #[serde(default)]
    description: String,
    /// Where it stands in the list (0 to 10000); after the others when left out.
    #[serde(default)]
    position: Option<i32>,
    /// Whether members may post anonymously here.
    #[serde(default)]
    anonymous_allowed: bool,
    /// Whether answers by verified professionals are marked.
    #[serde(default)]
    ask_professional: bool,
}

impl CategoryBody {
    fn input(self) -> CategoryInput {
        CategoryInput {
            name: self.name,
            description: self.description,
            position: self.position,
            anonymous_allowed: self.anonymous_allowed,
            ask_professional: self.ask_professional,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CategoryCreated {
    category_id: String,
}

/// Adds a category (admins).
#[utoipa::path(
    post,
    path = "/forum/categories",
    tag = "forum",
    security(("bearer" = [])),
    request_body = CategoryBody,
    responses(
        (status = 201, description = "Added", body = CategoryCreated),
        (status = 403, description = "Not an admin", body = super::ErrorResponse),
        (status = 422, description = "Invalid fields", body = super::ErrorResponse),
    )
)]
pub async fn create_category(
    State(state): State<AppState>,
    Admin(auth): Admin,
    ApiJson(body): ApiJson<CategoryBody>,
) -> Result<Response, ApiError> {
    let id = state
        .kindred
        .create_category(&auth.tenant.association, &auth.caller, &body.input())
        .await
        .map_err(forum_error)?;
    Ok((StatusCode::CREATED, Json(CategoryCreated { category_id: id.to_string() })).into_response())
}

/// Changes a category (admins).
#[utoipa::path(
    put,
    path = "/forum/categories/{id}",
    tag = "forum",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The category")),
    request_body = CategoryBody,
    responses(
        (status = 200, description = "Changed", body = CategoryEntry),
        (status = 403, description = "Not an admin", body = super::ErrorResponse),
        (status = 404, description = "No such category", body = super::ErrorResponse),
        (status = 422, description = "Invalid fields", body = super::ErrorResponse),
    )
)]
pub async fn update_category(
    State(state): State<AppState>,
    Admin(auth): Admin,
    Path((_slug, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<CategoryBody>,
) -> Result<Json<CategoryEntry>, ApiError> {
    let association = &auth.tenant.association;
    let kindred = &state.kindred;
    kindred.update_category(association, &auth.caller, &id, &body.input()).await.map_err(forum_error)?;
    let category = kindred.forum_category(association, &auth.caller, &id).await.map_err(forum_error)?;
    Ok(Json(category_entry(category)))
}

/// Deletes a category that holds no topic (admins).
#[utoipa::path(
    delete,
    path = "/forum/categories/{id}",
    tag = "forum",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The category")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not an admin", body = super::ErrorResponse),
        (status = 404, description = "No such category", body = super::ErrorResponse),
        (status = 409, description = "It still holds topics", body = super::ErrorResponse),
    )
)]
pub async fn delete_category(
    State(state): State<AppState>,
    Admin(auth): Admin,
    Path((_slug, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    state.kindred.delete_category(&auth.tenant.association, &auth.caller, &id).await.map_err(forum_error)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

// ------------------------------------------------------------------ authors

/// Who wrote something, as far as the caller may see: `{member_id,
/// pseudonym, badge?}`, or `{alias}` alone in an alias group.
#[derive(Serialize, ToSchema)]
pub struct AuthorEntry {
    #[serde(skip_serializing_if = "Option::is_none")]
    member_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pseudonym: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    badge: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    alias: Option<String>,
}

fn author_entry(author: Author) -> Option<AuthorEntry> {
    match author {
        Author::Member { id, pseudonym, badge } => {
            Some(AuthorEntry { member_id: Some(id.to_string()), pseudonym: Some(pseudonym), badge, alias: None })
        }
        Author::Alias(alias) => Some(AuthorEntry { member_id: None, pseudonym: None, badge: None, alias: Some(alias) }),
        Author::Hidden | Author::Former => None,
    }
}

// ------------------------------------------------------------------ topic lists

#[derive(Serialize, ToSchema)]
pub struct TopicEntry {
    topic_id: String,
    title: String,
    pinned: bool,
    locked: bool,
    /// Present (true) only for moderators and the author of a hidden topic.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    hidden: bool,
    anonymous: bool,
    post_count: i32,
    created_at: DateTime<Utc>,
    last_post_at: DateTime<Utc>,
    /// Posts you have not seen yet.
    unread: bool,
    /// Absent for anonymous topics.
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<AuthorEntry>,
}

fn topic_entry(t: TopicSummary) -> TopicEntry {
    TopicEntry {
        topic_id: t.id,
        title: t.title,
        pinned: t.pinned,
        locked: t.locked,
        hidden: t.hidden,
        anonymous: t.anonymous,
        post_count: t.post_count,
        created_at: t.created_at,
        last_post_at: t.last_post_at,
        unread: t.unread,
        author: author_entry(t.author),
    }
}

#[derive(Serialize, ToSchema)]
pub struct TopicsResponse {
    topics: Vec<TopicEntry>,
    /// Pass as `cursor` for the next page; null on the last page.
    next_cursor: Option<String>,
}

fn topics_response(list: TopicList) -> TopicsResponse {
    TopicsResponse { topics: list.topics.into_iter().map(topic_entry).collect(), next_cursor: list.next_cursor }
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct CursorParams {
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// A category's topics, pinned first, then by last activity; 30 a page.
#[utoipa::path(
    get,
    path = "/forum/categories/{id}/topics",
    tag = "forum",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The category"), CursorParams),
    responses(
        (status = 200, description = "A page of topics", body = TopicsResponse),
        (status = 404, description = "No such category", body = super::ErrorResponse),
        (status = 422, description = "Invalid cursor", body = super::ErrorResponse),
    )
)]
pub async fn category_topics(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
    Query(params): Query<CursorParams>,
) -> Result<Json<TopicsResponse>, ApiError> {
    let (_, list) = state
        .kindred
        .category_topics(&auth.tenant.association, &auth.caller, &id, params.cursor.as_deref())
        .await
        .map_err(forum_error)?;
    Ok(Json(topics_response(list)))
}

/// A group forum's topics, pinned first, then by last activity; 30 a page.
#[utoipa::path(
    get,
    path = "/groups/{id}/topics",
    tag = "forum",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The group"), CursorParams),
    responses(
        (status = 200, description = "A page of topics", body = TopicsResponse),
        (status = 403, description = "The caller sees the group, but its forum is for its members", body = super::ErrorResponse),
        (status = 404, description = "No such group (for the caller)", body = super::ErrorResponse),
        (status = 422, description = "Invalid cursor", body = super::ErrorResponse),
    )
)]
pub async fn group_topics(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
    Query(params): Query<CursorParams>,
) -> Result<Json<TopicsResponse>, ApiError> {
    let (_, list) = state
        .kindred
        .group_topics(&auth.tenant.association, &auth.caller, &id, params.cursor.as_deref())
        .await
        .map_err(forum_error)?;
    Ok(Json(topics_response(list)))
}

// ------------------------------------------------------------------ topics

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TopicBody {
    /// Exactly one of `category_id` and `group_id`.
    #[serde(default)]
    category_id: Option<String>,
    #[serde(default)]
    group_id: Option<String>,
    /// 1 to 200 characters.
    title: String,
    /// Markdown, 1 to 20,000 characters.
    body: String,
    /// Only where the category or group allows it.
    #[serde(default)]
    anonymous: bool,
}

#[derive(Serialize, ToSchema)]
pub struct TopicCreated {
    topic_id: String,
}

/// Starts a topic with its opening post.
#[utoipa::path(
    post,
    path = "/forum/topics",
    tag = "forum",
    security(("bearer" = [])),
    request_body = TopicBody,
    responses(
        (status = 201, description = "Started", body = TopicCreated),
        (status = 403, description = "A group the caller sees but may not write in (not a member)", body = super::ErrorResponse),
        (status = 404, description = "No such category or group (for you)", body = super::ErrorResponse),
        (status = 422, description = "Invalid fields", body = super::ErrorResponse),
    )
)]
pub async fn create_topic(
    State(state): State<AppState>,
    Community(auth): Community,
    ApiJson(body): ApiJson<TopicBody>,
) -> Result<Response, ApiError> {
    let input = TopicInput {
        category_id: body.category_id,
        group_id: body.group_id,
        title: body.title,
        body: body.body,
        anonymous: body.anonymous,
    };
    let id = state.kindred.create_topic(&auth.tenant.association, &auth.caller, &input).await.map_err(forum_error)?;
    Ok((StatusCode::CREATED, Json(TopicCreated { topic_id: id.to_string() })).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct ReactionEntry {
    /// heart, hug, thanks or helpful.
    kind: &'static str,
    count: i64,
    /// Whether you reacted so.
    mine: bool,
}

/// A post. A post hidden by a moderator is `{post_id, number, hidden}` for
/// everyone but its author and moderators.
#[derive(Serialize, ToSchema)]
pub struct PostEntry {
    post_id: String,
    number: i32,
    /// Absent for anonymous, deleted and hidden posts.
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<AuthorEntry>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    anonymous: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    professional: bool,
    /// The sanitised HTML.
    #[serde(skip_serializing_if = "Option::is_none")]
    html: Option<String>,
    /// The Markdown source, for its author (to edit).
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    edited_at: Option<DateTime<Utc>>,
    hidden: bool,
    /// For the author and moderators.
    #[serde(skip_serializing_if = "Option::is_none")]
    hidden_reason: Option<String>,
    /// Deleted by its author: no content left.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    deleted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    quote_of: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reactions: Option<Vec<ReactionEntry>>,
    /// You wrote it.
    #[serde(skip_serializing_if = "Option::is_none")]
    own: Option<bool>,
}

fn post_entry(p: PostView) -> PostEntry {
    let hidden_from_me = p.hidden && p.created_at.is_none();
    PostEntry {
        post_id: p.id,
        number: p.number,
        author: author_entry(p.author),
        anonymous: p.anonymous,
        professional: p.professional,
        html: p.html,
        body: p.body,
        created_at: p.created_at,
        edited_at: p.edited_at,
        hidden: p.hidden,
        hidden_reason: p.hidden_reason,
        deleted: p.deleted,
        quote_of: p.quote_of,
        reactions: (!hidden_from_me).then(|| {
            p.reactions.into_iter().map(|r| ReactionEntry { kind: r.kind, count: r.count, mine: r.mine }).collect()
        }),
        own: (!hidden_from_me).then_some(p.own),
    }
}

#[derive(Serialize, ToSchema)]
pub struct TopicEntryFull {
    topic_id: String,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    category_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group_id: Option<String>,
    pinned: bool,
    locked: bool,
    hidden: bool,
    /// Why a moderator hid the topic; only for its author and moderators.
    #[serde(skip_serializing_if = "Option::is_none")]
    hidden_reason: Option<String>,
    post_count: i32,
    created_at: DateTime<Utc>,
    last_post_at: DateTime<Utc>,
    subscribed: bool,
    can_reply: bool,
    can_moderate: bool,
    anonymous_allowed: bool,
}

#[derive(Serialize, ToSchema)]
pub struct TopicResponse {
    topic: TopicEntryFull,
    posts: Vec<PostEntry>,
    /// Pass as `after` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_after: Option<i32>,
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct AfterParams {
    /// Posts after this number (`next_after` of the previous page).
    after: Option<String>,
}

/// A topic and 50 of its posts; reading moves your read marker.
#[utoipa::path(
    get,
    path = "/forum/topics/{id}",
    tag = "forum",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The topic"), AfterParams),
    responses(
        (status = 200, description = "The topic and a page of posts", body = TopicResponse),
        (status = 404, description = "No such topic (for you)", body = super::ErrorResponse),
        (status = 422, description = "Invalid `after`", body = super::ErrorResponse),
    )
)]
pub async fn topic(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
    Query(params): Query<AfterParams>,
) -> Result<Json<TopicResponse>, ApiError> {
    let after = match params.after.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        None => None,
        Some(raw) => {
            Some(raw.parse::<i32>().ok().filter(|n| *n >= 0).ok_or_else(|| invalid("after", "must be a post number"))?)
        }
    };
    let page =
        state.kindred.topic_page(&auth.tenant.association, &auth.caller, &id, after).await.map_err(forum_error)?;
    let t = page.topic;
    Ok(Json(TopicResponse {
        topic: TopicEntryFull {
            topic_id: t.id,
            title: t.title,
            category_id: t.category_id,
            group_id: t.group_id,
            pinned: t.pinned,
            locked: t.locked,
            hidden: t.hidden,
            hidden_reason: t.hidden_reason,
            post_count: t.post_count,
            created_at: t.created_at,
            last_post_at: t.last_post_at,
            subscribed: t.subscribed,
            can_reply: t.can_reply,
            can_moderate: t.can_moderate,
            anonymous_allowed: t.anonymous_allowed,
        },
        posts: page.posts.into_iter().map(post_entry).collect(),
        next_after: page.next_after,
    }))
}

// ------------------------------------------------------------------ posts

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyBody {
    /// Markdown, 1 to 20,000 characters.
    body: String,
    /// Only where the category or group allows it.
    #[serde(default)]
    anonymous: bool,
    /// A post of the same topic that this one quotes.
    #[serde(default)]
    quote_of: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PostCreated {
    post_id: String,
}

/// Replies to a topic.
#[utoipa::path(
    post,
    path = "/forum/topics/{id}/posts",
    tag = "forum",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The topic")),
    request_body = ReplyBody,
    responses(
        (status = 201, description = "Written", body = PostCreated),
        (status = 403, description = "Locked (`topic_locked`), or not a member of the group", body = super::ErrorResponse),
        (status = 404, description = "No such topic (for you)", body = super::ErrorResponse),
        (status = 422, description = "Invalid fields", body = super::ErrorResponse),
    )
)]
pub async fn reply(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<ReplyBody>,
) -> Result<Response, ApiError> {
    let input = ReplyInput { body: body.body, anonymous: body.anonymous, quote_of: body.quote_of };
    let post = state.kindred.reply(&auth.tenant.association, &auth.caller, &id, &input).await.map_err(forum_error)?;
    Ok((StatusCode::CREATED, Json(PostCreated { post_id: post.to_string() })).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditBody {
    /// The new Markdown, 1 to 20,000 characters.
    body: String,
}

#[derive(Serialize, ToSchema)]
pub struct EditedResponse {
    post_id: String,
}

/// Changes your own post (also an anonymous one); the earlier version stays in its history.
#[utoipa::path(
    put,
    path = "/forum/posts/{id}",
    tag = "forum",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The post")),
    request_body = EditBody,
    responses(
        (status = 200, description = "Changed", body = EditedResponse),
        (status = 403, description = "Not your post", body = super::ErrorResponse),
        (status = 404, description = "No such post (for you)", body = super::ErrorResponse),
        (status = 422, description = "Invalid body", body = super::ErrorResponse),
    )
)]
pub async fn edit_post(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<EditBody>,
) -> Result<Json<EditedResponse>, ApiError> {
    state.kindred.edit_post(&auth.tenant.association, &auth.caller, &id, &body.body).await.map_err(forum_error)?;
    Ok(Json(EditedResponse { post_id: id }))
}

/// Deletes your own post: its content goes, a mark stays.
#[utoipa::path(
    delete,
    path = "/forum/posts/{id}",
    tag = "forum",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The post")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not your post", body = super::ErrorResponse),
        (status = 404, description = "No such post (for you)", body = super::ErrorResponse),
    )
)]
pub async fn delete_post(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    state.kindred.delete_post(&auth.tenant.association, &auth.caller, &id).await.map_err(forum_error)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Serialize, ToSchema)]
pub struct VersionEntry {
    html: String,
    written_at: DateTime<Utc>,
    replaced_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = PostHistoryResponse)]
pub struct HistoryResponse {
    /// Earlier versions, oldest first.
    versions: Vec<VersionEntry>,
}

/// The edit history of a post: its earlier versions.
#[utoipa::path(
    get,
    path = "/forum/posts/{id}/history",
    tag = "forum",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The post")),
    responses(
        (status = 200, description = "Earlier versions", body = HistoryResponse),
        (status = 404, description = "No such post (for you)", body = super::ErrorResponse),
    )
)]
pub async fn history(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
) -> Result<Json<HistoryResponse>, ApiError> {
    let versions =
        state.kindred.post_history(&auth.tenant.association, &auth.caller, &id).await.map_err(forum_error)?;
    Ok(Json(HistoryResponse {
        versions: versions
            .into_iter()
            .map(|v| VersionEntry { html: v.html, written_at: v.written_at, replaced_at: v.replaced_at })
            .collect(),
    }))
}

/// One type for "no fields", shared with the contacts' endpoints (a second
/// type of the same name would replace it in the OpenAPI document).
pub use super::contacts::EmptyBody;

/// Reacts to a post (heart, hug, thanks, helpful).
#[utoipa::path(
    put,
    path = "/forum/posts/{id}/reactions/{kind}",
    tag = "forum",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The post"), ("kind" = String, Path, description = "heart, hug, thanks or helpful")),
    responses(
        (status = 204, description = "Done"),
        (status = 403, description = "Not a member of the group", body = super::ErrorResponse),
        (status = 404, description = "No such post (for you)", body = super::ErrorResponse),
        (status = 422, description = "Unknown kind", body = super::ErrorResponse),
    )
)]
pub async fn react(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id, kind)): Path<(String, String, String)>,
    OptionalJson(_body): OptionalJson<EmptyBody>,
) -> Result<Response, ApiError> {
    state.kindred.react(&auth.tenant.association, &auth.caller, &id, None, &kind, true).await.map_err(forum_error)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Takes back a reaction.
#[utoipa::path(
    delete,
    path = "/forum/posts/{id}/reactions/{kind}",
    tag = "forum",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The post"), ("kind" = String, Path, description = "heart, hug, thanks or helpful")),
    responses(
        (status = 204, description = "Done"),
        (status = 404, description = "No such post (for you)", body = super::ErrorResponse),
        (status = 422, description = "Unknown kind", body = super::ErrorResponse),
    )
)]
pub async fn unreact(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id, kind)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    state.kindred.react(&auth.tenant.association, &auth.caller, &id, None, &kind, false).await.map_err(forum_error)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Subscribes to a topic: a notification for every reply.
#[utoipa::path(
    put,
    path = "/forum/topics/{id}/subscription",
    tag = "forum",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The topic")),
    responses(
        (status = 204, description = "Subscribed"),
        (status = 404, description = "No such topic (for you)", body = super::ErrorResponse),
    )
)]
pub async fn subscribe(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
    OptionalJson(_body): OptionalJson<EmptyBody>,
) -> Result<Response, ApiError> {
    state.kindred.set_subscription(&auth.tenant.association, &auth.caller, &id, true).await.map_err(forum_error)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Ends a subscription.
#[utoipa::path(
    delete,
    path = "/forum/topics/{id}/subscription",
    tag = "forum",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The topic")),
    responses(
        (status = 204, description = "Unsubscribed"),
        (status = 404, description = "No such topic (for you)", body = super::ErrorResponse),
    )
)]
pub async fn unsubscribe(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    state.kindred.set_subscription(&auth.tenant.association, &auth.caller, &id, false).await.map_err(forum_error)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
