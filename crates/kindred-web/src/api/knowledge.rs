//! api::knowledge — articles: write (professionals and staff), submit,
//! review (a second professional or an editor), read and search. Every
//! handler goes through `service::knowledge`, which decides who may see
//! what: an article the caller may not read is answered exactly like an
//! id never used. Published articles for `public` are read without
//! signing in.

use crate::auth::{Community, Reader};
use crate::errors::ApiError;
use crate::json::{ApiJson, OptionalJson};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use kindred_service::knowledge::{ArticleInput, ArticleQuery, ArticleView, KnowledgeError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

fn knowledge_error(error: KnowledgeError) -> ApiError {
    match error {
        KnowledgeError::NotFound => ApiError::not_found(),
        KnowledgeError::Forbidden => ApiError::new(
            StatusCode::FORBIDDEN,
            "article_not_allowed",
            "You may not do this with this article (writing is for professionals and staff; \
             a review or a confirmation that it is still accurate for someone other than the author; \
             revising and submitting for the author).",
        ),
        KnowledgeError::NotSignedIn => ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "Please sign in."),
        KnowledgeError::Invalid(problems) => ApiError::invalid(
            "invalid_fields",
            "Some fields are invalid.",
            problems.into_iter().map(|(f, p)| (f, p.to_owned())).collect(),
        ),
        KnowledgeError::WrongStatus(status) => ApiError::new(
            StatusCode::CONFLICT,
            "article_status",
            match status.as_str() {
                "draft" => "The article is a draft: its author submits it first.",
                "in_review" => "The article is in review.",
                _ => "The article is already published.",
            },
        ),
        KnowledgeError::InvalidQuery(problems) => ApiError::invalid(
            "invalid_query",
            "Some parameters are invalid.",
            problems.into_iter().map(|(f, p)| (f, p.to_owned())).collect(),
        ),
        other => ApiError::internal(other),
    }
}

/// A source of an article.
#[derive(Deserialize, Serialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct SourceBody {
    title: String,
    /// An http or https link.
    url: String,
}

/// A new article.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewArticleBody {
    title: String,
    summary: String,
    /// The forum's Markdown.
    body: String,
    /// Condition codes of the catalogue.
    #[serde(default)]
    conditions: Vec<String>,
    /// Therapy codes of the catalogue.
    #[serde(default)]
    therapies: Vec<String>,
    #[serde(default)]
    sources: Vec<SourceBody>,
    /// members or public.
    audience: String,
}

impl NewArticleBody {
    fn into_input(self) -> ArticleInput {
        ArticleInput {
            title: self.title,
            summary: self.summary,
            body: self.body,
            conditions: self.conditions,
            therapies: self.therapies,
            sources: self.sources.into_iter().map(|s| (s.title, s.url)).collect(),
            audience: self.audience,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ArticleCreated {
    article_id: String,
    /// draft
    status: String,
}

/// A reviewer's decision.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    /// publish or return.
    #[serde(default)]
    decision: Option<String>,
    /// Required to return (what to change); optional to publish.
    #[serde(default)]
    note: Option<String>,
}

/// No fields.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct SubmitBody {}

/// An article as the caller may see it.
#[derive(Serialize, ToSchema)]
pub struct ArticleResponse {
    article_id: String,
    title: String,
    summary: String,
    /// The Markdown as written.
    body: String,
    /// The body rendered as safe HTML.
    body_html: String,
    conditions: Vec<String>,
    therapies: Vec<String>,
    sources: Vec<SourceBody>,
    /// members or public.
    audience: String,
    /// draft, in_review or published.
    status: String,
    /// The author's pseudonym; absent once the account is erased.
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<String>,
    /// Whether the caller wrote it.
    mine: bool,
    /// The reviewer's note: for the author and reviewers only.
    #[serde(skip_serializing_if = "Option::is_none")]
    review_note: Option<String>,
    updated_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published_at: Option<DateTime<Utc>>,
    /// When it was last reviewed: published, or confirmed since as still
    /// accurate (`POST /articles/{id}/confirm`). Published articles only.
    #[serde(skip_serializing_if = "Option::is_none")]
    reviewed_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct ArticleListResponse {
    articles: Vec<ArticleResponse>,
    /// `null` on the last page, as every list's.
    next_cursor: Option<String>,
}

/// For the OpenAPI document only (the handler reads the query string itself).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ArticleParams {
    /// Words, each to be found in title, summary or body.
    q: Option<String>,
    /// A condition code of the catalogue.
    condition: Option<String>,
    /// A therapy code of the catalogue.
    therapy: Option<String>,
    /// draft (the caller's own) or in_review (the review queue, for
    /// professionals and staff); published when absent.
    status: Option<String>,
    cursor: Option<String>,
}

fn article_body(view: ArticleView) -> ArticleResponse {
    ArticleResponse {
        article_id: view.id,
        title: view.title,
        summary: view.summary,
        body: view.body,
        body_html: view.body_html,
        conditions: view.conditions,
        therapies: view.therapies,
        sources: view.sources.into_iter().map(|s| SourceBody { title: s.title, url: s.url }).collect(),
        audience: view.audience.as_str().to_owned(),
        status: view.status.as_str().to_owned(),
        author: view.author,
        mine: view.mine,
        review_note: view.review_note,
        updated_at: view.updated_at,
        published_at: view.published_at,
        reviewed_at: view.reviewed_at,
    }
}

#[utoipa::path(
    post,
    path = "/articles",
    tag = "knowledge",
    security(("bearer" = [])),
    request_body = NewArticleBody,
    responses(
        (status = 201, description = "A draft", body = ArticleCreated),
        (status = 403, description = "Not a professional or staff member", body = super::ErrorResponse),
        (status = 422, description = "Invalid fields", body = super::ErrorResponse),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Community(auth): Community,
    ApiJson(body): ApiJson<NewArticleBody>,
) -> Result<Response, ApiError> {
    let id = state
        .kindred
        .create_article(&auth.tenant.association, &auth.caller, &body.into_input())
        .await
        .map_err(knowledge_error)?;
    let created = ArticleCreated { article_id: id.to_string(), status: "draft".into() };
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

#[utoipa::path(
    get,
    path = "/articles",
    tag = "knowledge",
    security((), ("bearer" = [])),
    params(ArticleParams),
    responses(
        (status = 200, description = "Published articles the caller may read (without signing in: those for anyone), newest first; or the caller's drafts, or the review queue", body = ArticleListResponse),
        (status = 401, description = "Drafts and the review queue need signing in", body = super::ErrorResponse),
        (status = 403, description = "The review queue is for professionals and staff", body = super::ErrorResponse),
        (status = 422, description = "A parameter is invalid", body = super::ErrorResponse),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    reader: Reader,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<ArticleListResponse>, ApiError> {
    let mut query = ArticleQuery::default();
    for (name, value) in pairs {
        let slot = match name.as_str() {
            "q" => &mut query.q,
            "condition" => &mut query.condition,
            "therapy" => &mut query.therapy,
            "status" => &mut query.status,
            "cursor" => &mut query.cursor,
            _ => continue,
        };
        *slot = Some(value);
    }
    let page =
        state.kindred.articles(&reader.tenant().association, reader.caller(), &query).await.map_err(knowledge_error)?;
    Ok(Json(ArticleListResponse {
        articles: page.articles.into_iter().map(article_body).collect(),
        next_cursor: page.next_cursor,
    }))
}

#[utoipa::path(
    get,
    path = "/articles/{id}",
    tag = "knowledge",
    security((), ("bearer" = [])),
    params(("id" = String, Path, description = "The article")),
    responses(
        (status = 200, description = "The article", body = ArticleResponse),
        (status = 404, description = "No such article (for the caller)", body = super::ErrorResponse),
    )
)]
pub async fn article(
    State(state): State<AppState>,
    reader: Reader,
    Path((_slug, id)): Path<(String, String)>,
) -> Result<Json<ArticleResponse>, ApiError> {
    let view =
        state.kindred.article(&reader.tenant().association, reader.caller(), &id).await.map_err(knowledge_error)?;
    Ok(Json(article_body(view)))
}

/// The author revises their draft (a new one, or one a reviewer returned):
/// every field anew, as when writing it.
#[utoipa::path(
    put,
    path = "/articles/{id}",
    tag = "knowledge",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The article")),
    request_body = NewArticleBody,
    responses(
        (status = 200, description = "The draft as revised", body = ArticleResponse),
        (status = 403, description = "Not the author", body = super::ErrorResponse),
        (status = 404, description = "No such article (for the caller)", body = super::ErrorResponse),
        (status = 409, description = "Not a draft (in review or published)", body = super::ErrorResponse),
        (status = 422, description = "Invalid fields", body = super::ErrorResponse),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<NewArticleBody>,
) -> Result<Json<ArticleResponse>, ApiError> {
    let view = state
        .kindred
        .update_article(&auth.tenant.association, &auth.caller, &id, &body.into_input())
        .await
        .map_err(knowledge_error)?;
    Ok(Json(article_body(view)))
}

#[utoipa::path(
    post,
    path = "/articles/{id}/submit",
    tag = "knowledge",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The article")),
    request_body(content = SubmitBody, description = "No fields; the body may be left out"),
    responses(
        (status = 200, description = "The article, now in review", body = ArticleResponse),
        (status = 403, description = "Not the author", body = super::ErrorResponse),
        (status = 404, description = "No such article (for the caller)", body = super::ErrorResponse),
        (status = 409, description = "Not a draft", body = super::ErrorResponse),
    )
)]
pub async fn submit(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
    OptionalJson(_body): OptionalJson<SubmitBody>,
) -> Result<Json<ArticleResponse>, ApiError> {
    let view =
        state.kindred.submit_article(&auth.tenant.association, &auth.caller, &id).await.map_err(knowledge_error)?;
    Ok(Json(article_body(view)))
}

/// The author takes the article back from review, to revise it: a draft
/// again.
#[utoipa::path(
    post,
    path = "/articles/{id}/withdraw",
    tag = "knowledge",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The article")),
    request_body(content = SubmitBody, description = "No fields; the body may be left out"),
    responses(
        (status = 200, description = "The article, a draft again", body = ArticleResponse),
        (status = 403, description = "Not the author", body = super::ErrorResponse),
        (status = 404, description = "No such article (for the caller)", body = super::ErrorResponse),
        (status = 409, description = "Not in review (a draft, or decided meanwhile)", body = super::ErrorResponse),
    )
)]
pub async fn withdraw(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
    OptionalJson(_body): OptionalJson<SubmitBody>,
) -> Result<Json<ArticleResponse>, ApiError> {
    let view =
        state.kindred.withdraw_article(&auth.tenant.association, &auth.caller, &id).await.map_err(knowledge_error)?;
    Ok(Json(article_body(view)))
}

/// A second review of a published article: a professional or staff
/// member other than its author confirms that it is still accurate; it
/// shows that date as its last review (`reviewed_at`).
#[utoipa::path(
    post,
    path = "/articles/{id}/confirm",
    tag = "knowledge",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The article")),
    request_body(content = SubmitBody, description = "No fields; the body may be left out"),
    responses(
        (status = 200, description = "The article, reviewed now", body = ArticleResponse),
        (status = 403, description = "The author, or not a professional or staff member", body = super::ErrorResponse),
        (status = 404, description = "No such article (for the caller)", body = super::ErrorResponse),
        (status = 409, description = "Not published", body = super::ErrorResponse),
    )
)]
pub async fn confirm(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
    OptionalJson(_body): OptionalJson<SubmitBody>,
) -> Result<Json<ArticleResponse>, ApiError> {
    let view =
        state.kindred.confirm_article(&auth.tenant.association, &auth.caller, &id).await.map_err(knowledge_error)?;
    Ok(Json(article_body(view)))
}

#[utoipa::path(
    post,
    path = "/articles/{id}/review",
    tag = "knowledge",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The article")),
    request_body = ReviewBody,
    responses(
        (status = 200, description = "The article, published or returned to its author as a draft", body = ArticleResponse),
        (status = 403, description = "The author, or not a professional or staff member", body = super::ErrorResponse),
        (status = 404, description = "No such article (for the caller)", body = super::ErrorResponse),
        (status = 409, description = "Not in review", body = super::ErrorResponse),
        (status = 422, description = "Invalid fields", body = super::ErrorResponse),
    )
)]
pub async fn review(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<ReviewBody>,
) -> Result<Json<ArticleResponse>, ApiError> {
    let view = state
        .kindred
        .review_article(&auth.tenant.association, &auth.caller, &id, body.decision.as_deref(), body.note.as_deref())
        .await
        .map_err(knowledge_error)?;
    Ok(Json(article_body(view)))
}
