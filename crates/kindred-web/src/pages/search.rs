//! The forum search page: a plain GET form, results newest first with a
//! snippet each, linking to the post in its topic. What is found is what
//! `service::post_search` returns: only what the member may read.

use super::association::AssociationPage;
use super::community::{member, slow_down};
use super::forms::{last, Problems};
use super::layout::{render_status, Section};
use super::respond::{internal, link, post_href};
use super::text::{tr, when, When};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kindred_service::post_search::{HitAuthor, HitKind, PostSearchError, SearchProblem};
use serde::Serialize;

#[derive(Serialize)]
struct Found {
    href: String,
    title: String,
    /// "Topic" or "Reply", in the page's language.
    kind: String,
    snippet: String,
    author: Option<String>,
    when: When,
}

fn problem_text(page: &AssociationPage, problem: SearchProblem) -> String {
    let key = match problem {
        SearchProblem::TooShort => "forum-search-problem-short",
        SearchProblem::TooLong => "forum-search-problem-long",
        SearchProblem::NoWords => "forum-search-problem-words",
        SearchProblem::BadCursor => "forum-search-problem-cursor",
    };
    tr(page, key)
}

pub async fn search(
    State(state): State<AppState>,
    page: AssociationPage,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let caller = match member(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let q = last(&pairs, "q");
    let cursor = last(&pairs, "cursor").filter(|c| !c.is_empty());
    let searched = q.is_some() || cursor.is_some();
    let mut problems = Problems::default();
    let mut results = Vec::new();
    let mut next_href = None;
    let mut status = StatusCode::OK;
    if searched {
        match state.kindred.search_posts(&page.tenant.association, caller, q, cursor).await {
            Ok(found) => {
                results = found
                    .results
                    .into_iter()
                    .map(|hit| Found {
                        href: post_href(&page, hit.topic_id.as_str(), Some(hit.number), None),
                        kind: tr(
                            &page,
                            match hit.kind {
                                HitKind::Topic => "forum-search-kind-topic",
                                HitKind::Post => "forum-search-kind-post",
                            },
                        ),
                        title: hit.title,
                        snippet: hit.snippet,
                        author: hit.author.map(|a| match a {
                            HitAuthor::Member { pseudonym, .. } => pseudonym,
                            HitAuthor::Alias(alias) => alias,
                        }),
                        when: when(&page, hit.created_at),
                    })
                    .collect();
                if let Some(next) = found.next_cursor {
                    next_href = Some(link(&page, "/search", &[("q", q.unwrap_or_default()), ("cursor", &next)]));
                }
            }
            Err(PostSearchError::Invalid(found)) => {
                for (_, problem) in &found {
                    problems.add("search-q", problem_text(&page, *problem));
                }
                status = StatusCode::UNPROCESSABLE_ENTITY;
            }
            Err(PostSearchError::Throttled(t)) => return slow_down(&state, &page, t.retry_after),
            Err(other) => return internal(other),
        }
    }
    let q = q.unwrap_or_default();
    let values = minijinja::context! {
        q => q,
        searched => searched && status == StatusCode::OK,
        results => results,
        next_href => next_href,
        first_href => (cursor.is_some() && status == StatusCode::OK).then(|| link(&page, "/search", &[("q", q)])),
        problems => problems,
        action => link(&page, "/search", &[]),
        lang => page.explicit.map(|l| l.code()),
    };
    render_status(&state, status, "search/search.html", page.layout("/search", Section::Search), values)
}
