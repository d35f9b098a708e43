//! The knowledge pages: the list with its search (anyone sees what is
//! published for anyone; members what is published for members), an
//! article with, for its author, the way to submit it and, for a
//! reviewer, the review form; the form to write one (professionals and
//! staff). Every decision is `service::knowledge`'s, as for the API.

use super::association::AssociationPage;
use super::community::{code_name, member, member_post};
use super::forms::{field, fields, Problems};
use super::layout::{render_status, Section};
use super::respond::{internal, link, see_other};
use super::text::{tr, when, When};
use crate::state::AppState;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kindred_domain::knowledge::ArticleStatus;
use kindred_domain::settings::{Code, FieldKind};
use kindred_service::knowledge::{ArticleInput, ArticleQuery, ArticleView, KnowledgeError};
use kindred_service::sessions::Caller;
use serde::Serialize;

/// The signed-in member who may use the community, if any: the list and
/// an article are open to anyone for what is published for anyone.
fn reader<'a>(state: &AppState, page: &'a AssociationPage) -> Option<&'a Caller> {
    page.session.caller().filter(|caller| state.kindred.community_access(&page.tenant.association, caller).is_ok())
}

/// Whether the caller writes and reviews articles: the service's rule.
fn writes(caller: Option<&Caller>) -> bool {
    caller.is_some_and(kindred_service::knowledge::is_expert)
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

fn choices(page: &AssociationPage, kind: FieldKind, selected: &[String]) -> Vec<Choice> {
    let catalog = &page.tenant.association.settings.catalog;
    let codes: Vec<&Code> = match kind {
        FieldKind::Condition => catalog.conditions.iter().map(|c| &c.code).collect(),
        _ => catalog.therapies.iter().map(|e| &e.code).collect(),
    };
    codes
        .into_iter()
        .map(|code| Choice {
            value: code.to_string(),
            label: code_name(page, kind, code),
            selected: selected.iter().any(|s| s == code.as_str()),
        })
        .collect()
}

fn names(page: &AssociationPage, kind: FieldKind, codes: &[String]) -> Vec<String> {
    codes.iter().filter_map(|c| Code::parse(c).ok()).map(|c| code_name(page, kind, &c)).collect()
}

#[derive(Serialize)]
struct Listed {
    href: String,
    title: String,
    summary: String,
    author: Option<String>,
    status: String,
    when: When,
}

fn status_text(page: &AssociationPage, status: ArticleStatus) -> String {
    tr(page, &format!("knowledge-status-{}", status.as_str().replace('_', "-")))
}

fn listed(page: &AssociationPage, view: ArticleView) -> Listed {
    Listed {
        href: link(page, &format!("/knowledge/{}", view.id), &[]),
        title: view.title,
        summary: view.summary,
        author: view.author,
        status: status_text(page, view.status),
        when: when(page, view.published_at.unwrap_or(view.updated_at)),
    }
}

pub async fn list(
    State(state): State<AppState>,
    page: AssociationPage,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let caller = reader(&state, &page);
    let association = &page.tenant.association;
    let (q, condition, therapy) = (field(&pairs, "q"), field(&pairs, "condition"), field(&pairs, "therapy"));
    let cursor = field(&pairs, "cursor");
    let query = ArticleQuery {
        q: Some(q.to_owned()),
        condition: Some(condition.to_owned()),
        therapy: Some(therapy.to_owned()),
        status: None,
        cursor: Some(cursor.to_owned()),
    };
    let mut problems = Problems::default();
    let mut status = StatusCode::OK;
    let (articles, next_href) = match state.kindred.articles(association, caller, &query).await {
        Ok(found) => {
            let next = found.next_cursor.map(|next| {
                link(
                    &page,
                    "/knowledge",
                    &[("q", q), ("condition", condition), ("therapy", therapy), ("cursor", &next)],
                )
            });
            (found.articles.into_iter().map(|v| listed(&page, v)).collect::<Vec<_>>(), next)
        }
        Err(KnowledgeError::InvalidQuery(found)) => {
            for (field, _) in found {
                let id = match field.as_str() {
                    "condition" => "k-condition",
                    "therapy" => "k-therapy",
                    "cursor" => "k-q",
                    _ => "k-q",
                };
                problems.add(id, tr(&page, &format!("knowledge-problem-query-{field}")));
            }
            status = StatusCode::UNPROCESSABLE_ENTITY;
            (Vec::new(), None)
        }
        Err(other) => return internal(other),
    };
    // The author's drafts and the review queue, for those who write.
    let mut drafts = Vec::new();
    let mut queue = Vec::new();
    if writes(caller) {
        for (list, wanted) in [(&mut drafts, "draft"), (&mut queue, "in_review")] {
            let asked = ArticleQuery { status: Some(wanted.to_owned()), ..ArticleQuery::default() };
            match state.kindred.articles(association, caller, &asked).await {
                Ok(found) => list.extend(found.articles.into_iter().map(|v| listed(&page, v))),
                Err(other) => return internal(other),
            }
        }
    }
    let values = minijinja::context! {
        q => q,
        conditions => choices(&page, FieldKind::Condition, &[condition.to_owned()]),
        therapies => choices(&page, FieldKind::Therapies, &[therapy.to_owned()]),
        articles => articles,
        searched => !q.is_empty() || !condition.is_empty() || !therapy.is_empty(),
        next_href => next_href,
        first_href => (!cursor.is_empty()).then(|| link(&page, "/knowledge", &[("q", q), ("condition", condition), ("therapy", therapy)])),
        drafts => drafts,
        queue => queue,
        new_href => writes(caller).then(|| link(&page, "/knowledge/new", &[])),
        signed_in => caller.is_some(),
        problems => problems,
        action => link(&page, "/knowledge", &[]),
        lang => page.explicit.map(|l| l.code()),
    };
    render_status(&state, status, "knowledge/list.html", page.layout("/knowledge", Section::Knowledge), values)
}

pub async fn article_page(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    let caller = reader(&state, &page);
    match state.kindred.article(&page.tenant.association, caller, &id).await {
        Ok(view) => render_article(&state, &page, view, Problems::default(), StatusCode::OK, ""),
        Err(KnowledgeError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(other) => internal(other),
    }
}

fn render_article(
    state: &AppState,
    page: &AssociationPage,
    view: ArticleView,
    problems: Problems,
    status: StatusCode,
    note: &str,
) -> Response {
    let base = format!("/knowledge/{}", view.id);
    // What the caller may do with it is the service's decision.
    let (may_submit, may_review, may_withdraw, may_confirm) =
        (view.may_submit, view.may_review, view.may_withdraw, view.may_confirm);
    let values = minijinja::context! {
        title => view.title,
        summary => view.summary,
        body_html => view.body_html,
        author => view.author,
        status => status_text(page, view.status),
        published => view.status == ArticleStatus::Published,
        public => view.audience == kindred_domain::knowledge::Audience::Public,
        when => when(page, view.published_at.unwrap_or(view.updated_at)),
        // The date readers judge its currency by: its publication, or a
        // second review since.
        reviewed => view.reviewed_at.or(view.published_at).filter(|_| view.status == ArticleStatus::Published).map(|r| when(page, r)),
        conditions => names(page, FieldKind::Condition, &view.conditions),
        therapies => names(page, FieldKind::Therapies, &view.therapies),
        sources => view.sources.iter().map(|s| minijinja::context! { title => s.title, url => s.url }).collect::<Vec<_>>(),
        review_note => view.review_note,
        // The one-button moves, by the name of their route and words.
        moves => [("submit", may_submit), ("withdraw", may_withdraw), ("confirm", may_confirm)]
            .into_iter()
            .filter(|(_, may)| *may)
            .map(|(name, _)| minijinja::context! { name => name, action => link(page, &format!("{base}/{name}"), &[]) })
            .collect::<Vec<_>>(),
        // The author's own draft is the one they may also revise.
        edit_href => may_submit.then(|| link(page, &format!("{base}/edit"), &[])),
        review_action => may_review.then(|| link(page, &format!("{base}/review"), &[])),
        note => note,
        csrf => page.session.csrf(),
        list_href => link(page, "/knowledge", &[]),
        problems => problems,
    };
    render_status(state, status, "knowledge/article.html", page.layout(&base, Section::Knowledge), values)
}

/// A move of an article made by one button on its page (no fields but the
/// CSRF token): the author's, or a reviewer's second review.
#[derive(Clone, Copy)]
enum ArticleMove {
    /// A draft goes to review; back to the article.
    Submit,
    /// An article in review is a draft again; on to the form to revise it.
    Withdraw,
    /// A reviewer confirms that a published article is still accurate;
    /// back to the article, which shows the new date of its last review.
    Confirm,
}

pub async fn submit(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    article_move(&state, &page, &id, &pairs, ArticleMove::Submit).await
}

/// The author takes the article back from review, then revises it.
pub async fn withdraw(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    article_move(&state, &page, &id, &pairs, ArticleMove::Withdraw).await
}

/// A reviewer confirms that a published article is still accurate.
pub async fn confirm(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    article_move(&state, &page, &id, &pairs, ArticleMove::Confirm).await
}

async fn article_move(
    state: &AppState,
    page: &AssociationPage,
    id: &str,
    pairs: &[(String, String)],
    step: ArticleMove,
) -> Response {
    let caller = match member_post(state, page, field(pairs, "csrf")) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let association = &page.tenant.association;
    let (done, next) = match step {
        ArticleMove::Submit => {
            (state.kindred.submit_article(association, caller, id).await, format!("/knowledge/{id}"))
        }
        ArticleMove::Withdraw => {
            (state.kindred.withdraw_article(association, caller, id).await, format!("/knowledge/{id}/edit"))
        }
        ArticleMove::Confirm => {
            (state.kindred.confirm_article(association, caller, id).await, format!("/knowledge/{id}"))
        }
    };
    match done {
        Ok(_) => see_other(&link(page, &next, &[])),
        Err(refused) => refusal(page, id, refused),
    }
}

/// How the article's pages answer a change the service refused (other
/// than invalid fields): 404 and 403 as the service decided; an article
/// that moved meanwhile (another tab, a reviewer's decision) is shown as
/// it is now.
fn refusal(page: &AssociationPage, id: &str, error: KnowledgeError) -> Response {
    match error {
        KnowledgeError::NotFound => StatusCode::NOT_FOUND.into_response(),
        KnowledgeError::Forbidden => StatusCode::FORBIDDEN.into_response(),
        KnowledgeError::NotSignedIn => StatusCode::UNAUTHORIZED.into_response(),
        KnowledgeError::WrongStatus(_) => see_other(&link(page, &format!("/knowledge/{id}"), &[])),
        other => internal(other),
    }
}

pub async fn review(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let caller = match member_post(&state, &page, field(&pairs, "csrf")) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let decision = Some(field(&pairs, "decision")).filter(|d| !d.is_empty());
    let note = field(&pairs, "note");
    let association = &page.tenant.association;
    match state.kindred.review_article(association, caller, &id, decision, Some(note)).await {
        // Back to the list: a returned article is its author's draft again.
        Ok(_) => see_other(&link(&page, "/knowledge", &[])),
        Err(KnowledgeError::Invalid(found)) => {
            let mut problems = Problems::default();
            for (field, _) in found {
                let (id, key) = if field == "note" { ("k-note", "note") } else { ("k-decision-publish", "decision") };
                problems.add(id, tr(&page, &format!("knowledge-problem-{key}")));
            }
            match state.kindred.article(association, Some(caller), &id).await {
                Ok(view) => render_article(&state, &page, view, problems, StatusCode::UNPROCESSABLE_ENTITY, note),
                Err(other) => internal(other),
            }
        }
        Err(refused) => refusal(&page, &id, refused),
    }
}

/// Source rows the form offers at least (title and link each).
const SOURCE_ROWS: usize = 3;

/// How many source rows the form holds: at least [`SOURCE_ROWS`], more when
/// the article has more (written over the API), so that none is lost.
fn source_rows(pairs: &[(String, String)]) -> usize {
    let sent = (0..=kindred_domain::knowledge::MAX_SOURCES)
        .take_while(|i| {
            let (title, url) = (format!("source_title_{i}"), format!("source_url_{i}"));
            pairs.iter().any(|(name, _)| *name == title || *name == url)
        })
        .count();
    sent.max(SOURCE_ROWS)
}

/// The form's fields sent: the article as the service takes it (empty
/// source rows are rows not used).
fn article_input(pairs: &[(String, String)]) -> ArticleInput {
    let sources: Vec<(String, String)> = (0..source_rows(pairs))
        .map(|i| {
            (field(pairs, &format!("source_title_{i}")).to_owned(), field(pairs, &format!("source_url_{i}")).to_owned())
        })
        .filter(|(title, url)| !title.trim().is_empty() || !url.trim().is_empty())
        .collect();
    ArticleInput {
        title: field(pairs, "title").to_owned(),
        summary: field(pairs, "summary").to_owned(),
        body: field(pairs, "body").to_owned(),
        conditions: fields(pairs, "conditions"),
        therapies: fields(pairs, "therapies"),
        sources,
        audience: field(pairs, "audience").to_owned(),
    }
}

/// A draft as the form's fields, to revise it.
fn draft_fields(view: &ArticleView) -> Vec<(String, String)> {
    let mut pairs = vec![
        ("title".to_owned(), view.title.clone()),
        ("summary".to_owned(), view.summary.clone()),
        ("body".to_owned(), view.body.clone()),
        ("audience".to_owned(), view.audience.as_str().to_owned()),
    ];
    pairs.extend(view.conditions.iter().map(|c| ("conditions".to_owned(), c.clone())));
    pairs.extend(view.therapies.iter().map(|t| ("therapies".to_owned(), t.clone())));
    for (i, source) in view.sources.iter().enumerate() {
        pairs.push((format!("source_title_{i}"), source.title.clone()));
        pairs.push((format!("source_url_{i}"), source.url.clone()));
    }
    pairs
}

/// The problems of a refused article, each at its field of the form.
fn article_problems(page: &AssociationPage, found: Vec<(String, &'static str)>) -> Problems {
    let mut problems = Problems::default();
    for (field, _) in found {
        let (id, key) = match field.as_str() {
            "title" | "summary" | "body" | "conditions" | "therapies" => (format!("k-{field}"), field.clone()),
            "audience" => ("k-audience-members".to_owned(), field.clone()),
            "sources" => ("k-source-0-title".to_owned(), field.clone()),
            // `sources[2].url`: the row's own input (rows beyond the form's: the first).
            source => {
                let row = source.trim_start_matches("sources[").split(']').next().unwrap_or("0");
                let part = if source.ends_with(".url") { "url" } else { "title" };
                (format!("k-source-{row}-{part}"), format!("source-{part}"))
            }
        };
        problems.add(&id, tr(page, &format!("knowledge-problem-{key}")));
    }
    problems
}

/// Which article the form writes: a new one, or the author's draft (with
/// the reviewer's note, if it was returned).
enum Writing<'a> {
    New,
    Draft { id: &'a str, review_note: Option<&'a str> },
}

fn render_form(
    state: &AppState,
    page: &AssociationPage,
    writing: &Writing<'_>,
    pairs: &[(String, String)],
    problems: Problems,
    status: StatusCode,
) -> Response {
    let sources: Vec<_> = (0..source_rows(pairs))
        .map(|i| {
            minijinja::context! {
                n => i + 1,
                title_id => format!("k-source-{i}-title"),
                url_id => format!("k-source-{i}-url"),
                title => field(pairs, &format!("source_title_{i}")),
                url => field(pairs, &format!("source_url_{i}")),
                title_name => format!("source_title_{i}"),
                url_name => format!("source_url_{i}"),
            }
        })
        .collect();
    let audience = match field(pairs, "audience") {
        "public" => "public",
        _ => "members",
    };
    let (path, editing, review_note, back_href) = match writing {
        Writing::New => ("/knowledge/new".to_owned(), false, None, None),
        Writing::Draft { id, review_note } => {
            (format!("/knowledge/{id}/edit"), true, *review_note, Some(link(page, &format!("/knowledge/{id}"), &[])))
        }
    };
    let values = minijinja::context! {
        title => field(pairs, "title"),
        summary => field(pairs, "summary"),
        body => field(pairs, "body"),
        conditions => choices(page, FieldKind::Condition, &fields(pairs, "conditions")),
        therapies => choices(page, FieldKind::Therapies, &fields(pairs, "therapies")),
        sources => sources,
        audience => audience,
        editing => editing,
        review_note => review_note,
        back_href => back_href,
        csrf => page.session.csrf(),
        action => link(page, &path, &[]),
        problems => problems,
    };
    render_status(state, status, "knowledge/new.html", page.layout(&path, Section::Knowledge), values)
}

pub async fn new_form(State(state): State<AppState>, page: AssociationPage) -> Response {
    match member(&state, &page) {
        Ok(caller) if writes(Some(caller)) => {
            render_form(&state, &page, &Writing::New, &[], Problems::default(), StatusCode::OK)
        }
        Ok(_) => StatusCode::FORBIDDEN.into_response(),
        Err(response) => *response,
    }
}

pub async fn create(
    State(state): State<AppState>,
    page: AssociationPage,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let caller = match member_post(&state, &page, field(&pairs, "csrf")) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    match state.kindred.create_article(&page.tenant.association, caller, &article_input(&pairs)).await {
        Ok(id) => see_other(&link(&page, &format!("/knowledge/{id}"), &[])),
        Err(KnowledgeError::Invalid(found)) => {
            let problems = article_problems(&page, found);
            render_form(&state, &page, &Writing::New, &pairs, problems, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(KnowledgeError::Forbidden) => StatusCode::FORBIDDEN.into_response(),
        Err(other) => internal(other),
    }
}

/// The author's draft in the form, to revise it.
pub async fn edit_form(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    let caller = match member(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    match state.kindred.article(&page.tenant.association, Some(caller), &id).await {
        // The service says who may revise it: its author, while a draft.
        Ok(view) if view.may_submit => {
            let writing = Writing::Draft { id: &view.id, review_note: view.review_note.as_deref() };
            render_form(&state, &page, &writing, &draft_fields(&view), Problems::default(), StatusCode::OK)
        }
        Ok(view) => see_other(&link(&page, &format!("/knowledge/{}", view.id), &[])),
        Err(KnowledgeError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(other) => internal(other),
    }
}

pub async fn update(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let caller = match member_post(&state, &page, field(&pairs, "csrf")) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let association = &page.tenant.association;
    match state.kindred.update_article(association, caller, &id, &article_input(&pairs)).await {
        Ok(view) => see_other(&link(&page, &format!("/knowledge/{}", view.id), &[])),
        Err(KnowledgeError::Invalid(found)) => {
            let problems = article_problems(&page, found);
            match state.kindred.article(association, Some(caller), &id).await {
                Ok(view) => {
                    let writing = Writing::Draft { id: &view.id, review_note: view.review_note.as_deref() };
                    render_form(&state, &page, &writing, &pairs, problems, StatusCode::UNPROCESSABLE_ENTITY)
                }
                Err(other) => internal(other),
            }
        }
        Err(refused) => refusal(&page, &id, refused),
    }
}
