//! service::knowledge — articles by professionals and staff, reviewed by a
//! second professional or an editor before anyone reads them.
//!
//! Who may do what, decided here only:
//! - **write** (`create_article`): professionals and staff (moderators,
//!   admins) who may use the community;
//! - **submit**: the author, from a draft;
//! - **review** (`review_article`): a professional or staff member other
//!   than the author, of an article in review: publish, or return it to
//!   the author as a draft with a note;
//! - **read** (`article`, `articles`): a published article for `members`
//!   by any member who may use the community, one for `public` by anyone,
//!   signed in or not; a draft by its author only; an article in review by
//!   its author and whoever may review it. Anything else is `NotFound`,
//!   never `Forbidden`: a reader may not learn that an unpublished article
//!   exists.

use crate::notifications::about_article;
use crate::sessions::Caller;
use crate::{Association, Kindred};
use chrono::{DateTime, Utc};
use data_encoding::BASE64URL_NOPAD;
use kindred_domain::knowledge::{self, ArticleStatus, Audience, Decision, RawArticle, Source};
use kindred_domain::markdown;
use kindred_domain::{AccountRole, ArticleId};
use kindred_store::{ArticleFilter, ArticleRecord, NewArticle, StatusChange, StoreError, Superseded};
use std::collections::HashMap;

/// Articles per page of a list.
pub const ARTICLES_PER_PAGE: usize = 20;

#[derive(Debug, thiserror::Error)]
pub enum KnowledgeError {
    /// No such article, or one the caller may not learn exists.
    #[error("no such article")]
    NotFound,
    /// The caller may see the article (or the list) but not do this.
    #[error("not allowed")]
    Forbidden,
    /// A list only the signed-in have (drafts, the review queue), asked
    /// for without signing in.
    #[error("not signed in")]
    NotSignedIn,
    /// Fields that are wrong, by name (`sources[1].url`).
    #[error("some fields are invalid")]
    Invalid(Vec<(String, &'static str)>),
    /// Not in the status this needs (submitting what is in review,
    /// reviewing a draft).
    #[error("the article is {0}")]
    WrongStatus(ArticleStatus),
    /// List parameters that are wrong, by name (`cursor`, `condition`).
    #[error("some parameters are invalid")]
    InvalidQuery(Vec<(String, &'static str)>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An article as written by a client, before parsing.
#[derive(Debug, Clone, Default)]
pub struct ArticleInput {
    pub title: String,
    pub summary: String,
    pub body: String,
    pub conditions: Vec<String>,
    pub therapies: Vec<String>,
    pub sources: Vec<(String, String)>,
    pub audience: String,
}

/// An article as a reader may see it.
#[derive(Debug, Clone)]
pub struct ArticleView {
    pub id: String,
    pub title: String,
    pub summary: String,
    /// The Markdown as written (for the author's edits and the API).
    pub body: String,
    /// The body rendered safely, when written.
    pub body_html: String,
    pub conditions: Vec<String>,
    pub therapies: Vec<String>,
    pub sources: Vec<Source>,
    pub audience: Audience,
    pub status: ArticleStatus,
    /// The author's pseudonym; `None` once the account is erased.
    pub author: Option<String>,
    /// Whether the caller wrote it.
    pub mine: bool,
    /// Whether the caller may submit it now (their own draft).
    pub may_submit: bool,
    /// Whether the caller may review it now (in review, not their own).
    pub may_review: bool,
    /// Whether the caller may take it back from review to revise it
    /// (their own, in review).
    pub may_withdraw: bool,
    /// Whether the caller may confirm that it is still accurate (published,
    /// not their own, and they review).
    pub may_confirm: bool,
    /// The reviewer's note to the author: shown to the author and to
    /// reviewers only.
    pub review_note: Option<String>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    /// When it was last reviewed: published, or confirmed since.
    pub reviewed_at: Option<DateTime<Utc>>,
}

/// A page of articles, and the cursor of the next.
#[derive(Debug, Clone)]
pub struct ArticlePage {
    pub articles: Vec<ArticleView>,
    pub next_cursor: Option<String>,
}

/// What a list asks for, before parsing.
#[derive(Debug, Clone, Default)]
pub struct ArticleQuery {
    pub q: Option<String>,
    pub condition: Option<String>,
    pub therapy: Option<String>,
    /// `draft` (the caller's own) or `in_review` (the review queue);
    /// published when absent.
    pub status: Option<String>,
    pub cursor: Option<String>,
}

/// Whether the caller writes and reviews articles (professionals and
/// staff); pages ask this to offer the form and the review queue.
pub fn is_expert(caller: &Caller) -> bool {
    matches!(caller.member.role, AccountRole::Professional | AccountRole::Moderator | AccountRole::Admin)
}

impl Kindred {
    /// Writes a new draft. `Forbidden` for members who are not
    /// professionals or staff.
    pub async fn create_article(
        &self,
        association: &Association,
        caller: &Caller,
        input: &ArticleInput,
    ) -> Result<ArticleId, KnowledgeError> {
        if !is_expert(caller) {
            return Err(KnowledgeError::Forbidden);
        }
        let prepared = prepared_article(association, input)?;
        let id = ArticleId::random();
        self.store.insert_article(&prepared.record(association, &id, caller, self.clock.now())).await?;
        Ok(id)
    }

    /// Replaces what the caller's draft says (a new one, or one a reviewer
    /// returned with a note: the note stays in view while they revise).
    /// The same fields and checks as [`Kindred::create_article`]; only the
    /// author, only while it is a draft (`WrongStatus` once submitted).
    pub async fn update_article(
        &self,
        association: &Association,
        caller: &Caller,
        id: &str,
        input: &ArticleInput,
    ) -> Result<ArticleView, KnowledgeError> {
        let record = self.own_draft(association, caller, id).await?;
        let prepared = prepared_article(association, input)?;
        let article_id = ArticleId::from_trusted(record.id.clone());
        let updated =
            self.store.update_draft(&prepared.record(association, &article_id, caller, self.clock.now())).await?;
        if !updated {
            // Submitted between the read and the write.
            return Err(KnowledgeError::WrongStatus(ArticleStatus::InReview));
        }
        self.article(association, Some(caller), &record.id).await
    }

    /// The caller's own draft: `NotFound` for what they may not see,
    /// `Forbidden` for another's article, `WrongStatus` once submitted.
    async fn own_draft(
        &self,
        association: &Association,
        caller: &Caller,
        id: &str,
    ) -> Result<ArticleRecord, KnowledgeError> {
        let record = self.visible_article(association, Some(caller), id).await?;
        if record.author_id.as_deref() != Some(caller.member.id.as_str()) {
            return Err(KnowledgeError::Forbidden);
        }
        let status = status_of(&record)?;
        if status != ArticleStatus::Draft {
            return Err(KnowledgeError::WrongStatus(status));
        }
        Ok(record)
    }

    /// Submits the caller's draft for review.
    pub async fn submit_article(
        &self,
        association: &Association,
        caller: &Caller,
        id: &str,
    ) -> Result<ArticleView, KnowledgeError> {
        let record = self.own_draft(association, caller, id).await?;
        let change = StatusChange {
            association: &association.id,
            id,
            from: ArticleStatus::Draft.as_str(),
            to: ArticleStatus::InReview.as_str(),
            review_note: record.review_note.as_deref(),
            reviewer_id: None,
            published_at: None,
            at: self.clock.now(),
        };
        let view = self.move_article(association, Some(caller), &change).await?;
        self.tell_reviewers(association, caller, &record.id).await?;
        Ok(view)
    }

    /// An `article_submitted` notification to everyone who may review the
    /// article now: professionals and staff who may use the community,
    /// not its author. It names nobody (the review queue shows the article
    /// by its own rules) and counts only while the article waits for review.
    /// It takes the place of those of an earlier round (an article returned
    /// or taken back and submitted again is one article waiting, not two).
    async fn tell_reviewers(
        &self,
        association: &Association,
        author: &Caller,
        article: &str,
    ) -> Result<(), StoreError> {
        let now = self.clock.now();
        let reviewers = self.store.active_with_roles(&association.id, &["professional", "moderator", "admin"]).await?;
        let rows = reviewers
            .iter()
            .filter(|r| r.id != author.member.id.as_str())
            .map(|r| about_article(&r.id, "article_submitted", article, None, now))
            .collect();
        let earlier = Superseded { kind: "article_submitted", article_id: article };
        self.notify_instead(association, rows, Some(earlier)).await;
        Ok(())
    }

    /// The author takes their article back from review: a draft again, to
    /// revise (the reviewers' notifications about it go, as after a
    /// decision). Only from review: `WrongStatus` otherwise — a reviewer who
    /// decided first wins.
    pub async fn withdraw_article(
        &self,
        association: &Association,
        caller: &Caller,
        id: &str,
    ) -> Result<ArticleView, KnowledgeError> {
        let record = self.visible_article(association, Some(caller), id).await?;
        if record.author_id.as_deref() != Some(caller.member.id.as_str()) {
            return Err(KnowledgeError::Forbidden);
        }
        let change = StatusChange {
            association: &association.id,
            id: &record.id,
            from: ArticleStatus::InReview.as_str(),
            to: ArticleStatus::Draft.as_str(),
            review_note: record.review_note.as_deref(),
            reviewer_id: record.reviewer_id.as_deref(),
            published_at: None,
            at: self.clock.now(),
        };
        self.move_article(association, Some(caller), &change).await
    }

    /// The article for the caller to review: `NotFound` where they may not
    /// see it, `Forbidden` unless they are a professional or staff member
    /// other than its author, `WrongStatus` unless it is in `wanted` (in
    /// review for a decision, published for a confirmation).
    async fn to_review(
        &self,
        association: &Association,
        caller: &Caller,
        id: &str,
        wanted: ArticleStatus,
    ) -> Result<ArticleRecord, KnowledgeError> {
        let record = self.visible_article(association, Some(caller), id).await?;
        if !is_expert(caller) || record.author_id.as_deref() == Some(caller.member.id.as_str()) {
            return Err(KnowledgeError::Forbidden);
        }
        let status = status_of(&record)?;
        if status != wanted {
            return Err(KnowledgeError::WrongStatus(status));
        }
        Ok(record)
    }

    /// A second professional's or an editor's decision on an article in review.
    pub async fn review_article(
        &self,
        association: &Association,
        caller: &Caller,
        id: &str,
        decision: Option<&str>,
        note: Option<&str>,
    ) -> Result<ArticleView, KnowledgeError> {
        let record = self.to_review(association, caller, id, ArticleStatus::InReview).await?;
        let Some(decision) = decision.and_then(Decision::parse) else {
            return Err(KnowledgeError::Invalid(vec![("decision".into(), "must be publish or return")]));
        };
        let note = knowledge::parse_note(note, decision)
            .map_err(|problem| KnowledgeError::Invalid(vec![("note".into(), problem)]))?;
        let now = self.clock.now();
        let (to, published_at) = match decision {
            Decision::Publish => (ArticleStatus::Published, Some(now)),
            Decision::Return => (ArticleStatus::Draft, None),
        };
        let change = StatusChange {
            association: &association.id,
            id,
            from: ArticleStatus::InReview.as_str(),
            to: to.as_str(),
            review_note: note.as_deref(),
            reviewer_id: Some(caller.member.id.as_str()),
            published_at,
            at: now,
        };
        let view = self.move_article(association, Some(caller), &change).await?;
        // The author hears of the decision (the note is on the article's page).
        if let Some(author) = &record.author_id {
            let detail = match decision {
                Decision::Publish => "published",
                Decision::Return => "returned",
            };
            let row = about_article(author, "article_reviewed", &record.id, Some(detail), now);
            self.notify_about(association, vec![row]).await;
        }
        Ok(view)
    }

    /// A second review of a published article: a professional or staff
    /// member other than the author confirms that it is still accurate,
    /// and the article shows that date as its last review (its place in
    /// the list, by publication, stays). Only a published article:
    /// `WrongStatus` otherwise. The author is not told: nothing of theirs
    /// changed.
    pub async fn confirm_article(
        &self,
        association: &Association,
        caller: &Caller,
        id: &str,
    ) -> Result<ArticleView, KnowledgeError> {
        let record = self.to_review(association, caller, id, ArticleStatus::Published).await?;
        let now = self.clock.now();
        let confirmed =
            self.store.confirm_article_review(&association.id, &record.id, caller.member.id.as_str(), now).await?;
        self.article_after(association, Some(caller), &record.id, confirmed).await
    }

    /// One article, if the caller may read it (`None`: nobody signed in).
    pub async fn article(
        &self,
        association: &Association,
        caller: Option<&Caller>,
        id: &str,
    ) -> Result<ArticleView, KnowledgeError> {
        let record = self.visible_article(association, caller, id).await?;
        let mut views = self.article_views(association, caller, vec![record]).await?;
        views.pop().ok_or(KnowledgeError::NotFound)
    }

    /// A page of articles: published ones the caller may read, newest
    /// first, by words, condition and therapy; or, with `status`, the
    /// caller's drafts or the review queue.
    pub async fn articles(
        &self,
        association: &Association,
        caller: Option<&Caller>,
        query: &ArticleQuery,
    ) -> Result<ArticlePage, KnowledgeError> {
        let limit = i64::try_from(ARTICLES_PER_PAGE + 1).unwrap_or(i64::MAX);
        let catalog = &association.settings.catalog;
        let mut problems: Vec<(String, &'static str)> = Vec::new();
        let blank = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
        let condition = blank(&query.condition);
        if condition.as_ref().is_some_and(|c| !catalog.conditions.iter().any(|e| e.code.as_str() == c)) {
            problems.push(("condition".into(), "is not a condition of the catalogue"));
        }
        let therapy = blank(&query.therapy);
        if therapy.as_ref().is_some_and(|t| !catalog.therapies.iter().any(|e| e.code.as_str() == t)) {
            problems.push(("therapy".into(), "is not a therapy of the catalogue"));
        }
        let q = blank(&query.q).unwrap_or_default();
        if q.chars().count() > 200 {
            problems.push(("q".into(), "must be at most 200 characters"));
        }
        let status = match blank(&query.status) {
            None => ArticleStatus::Published,
            Some(raw) => match ArticleStatus::parse(&raw) {
                Some(status) => status,
                None => {
                    problems.push(("status".into(), "must be draft, in_review or published"));
                    ArticleStatus::Published
                }
            },
        };
        let before = blank(&query.cursor).map(|raw| {
            self.open_cursor(association, crate::cursor::CursorList::Articles, &raw).as_deref().and_then(parse_position)
        });
        if let Some(None) = before {
            problems.push(("cursor".into(), "is not a cursor this server gave out"));
        }
        if !problems.is_empty() {
            return Err(KnowledgeError::InvalidQuery(problems));
        }
        let before = before.flatten();
        let mut records = match status {
            ArticleStatus::Published => {
                let words = knowledge::search_words(&q);
                let filter = ArticleFilter {
                    association: &association.id,
                    public_only: caller.is_none(),
                    words: &words,
                    condition: condition.as_deref(),
                    therapy: therapy.as_deref(),
                    before,
                    limit,
                };
                self.store.published_articles(&filter).await?
            }
            // Unpublished lists are for the signed-in: drafts are the
            // caller's own, the review queue is for those who may review.
            ArticleStatus::Draft => {
                let caller = caller.ok_or(KnowledgeError::NotSignedIn)?;
                let me = Some(caller.member.id.as_str());
                self.store.articles_in(&association.id, ArticleStatus::Draft.as_str(), me, limit).await?
            }
            ArticleStatus::InReview => {
                if caller.is_none() {
                    return Err(KnowledgeError::NotSignedIn);
                }
                if !caller.is_some_and(is_expert) {
                    return Err(KnowledgeError::Forbidden);
                }
                self.store.articles_in(&association.id, ArticleStatus::InReview.as_str(), None, limit).await?
            }
        };
        let more = records.len() > ARTICLES_PER_PAGE;
        records.truncate(ARTICLES_PER_PAGE);
        // Only the published list pages (the others are short by nature).
        let next_cursor = match (more, status, records.last()) {
            (true, ArticleStatus::Published, Some(last)) => last.published_at.and_then(|at| {
                let payload = format!("{}|{}", at.to_rfc3339(), last.id);
                let payload = BASE64URL_NOPAD.encode(payload.as_bytes());
                self.seal_cursor(association, crate::cursor::CursorList::Articles, &payload)
            }),
            _ => None,
        };
        let articles = self.article_views(association, caller, records).await?;
        Ok(ArticlePage { articles, next_cursor })
    }

    /// An article the caller may see, by the rule of this module; else `NotFound`.
    async fn visible_article(
        &self,
        association: &Association,
        caller: Option<&Caller>,
        id: &str,
    ) -> Result<ArticleRecord, KnowledgeError> {
        let id = ArticleId::parse(id).ok_or(KnowledgeError::NotFound)?;
        let record = self.store.article(&association.id, id.as_str()).await?.ok_or(KnowledgeError::NotFound)?;
        let mine = caller.is_some_and(|c| record.author_id.as_deref() == Some(c.member.id.as_str()));
        let visible = match (status_of(&record)?, caller) {
            (ArticleStatus::Published, Some(_)) => true,
            (ArticleStatus::Published, None) => record.audience == Audience::Public.as_str(),
            (ArticleStatus::Draft, _) => mine,
            (ArticleStatus::InReview, Some(c)) => mine || is_expert(c),
            (ArticleStatus::InReview, None) => false,
        };
        if visible {
            Ok(record)
        } else {
            Err(KnowledgeError::NotFound)
        }
    }

    /// Applies a status change and answers the article as it is now; a
    /// change that lost a race (another reviewer was first) is `WrongStatus`.
    async fn move_article(
        &self,
        association: &Association,
        caller: Option<&Caller>,
        change: &StatusChange<'_>,
    ) -> Result<ArticleView, KnowledgeError> {
        let moved = self.store.change_article_status(change).await?;
        self.article_after(association, caller, change.id, moved).await
    }

    /// The article as it is after a conditional write: the caller's view
    /// when the write `done`, else `WrongStatus` with the state it is in
    /// now (another tab, or a colleague, moved it first).
    async fn article_after(
        &self,
        association: &Association,
        caller: Option<&Caller>,
        id: &str,
        done: bool,
    ) -> Result<ArticleView, KnowledgeError> {
        let record = self.store.article(&association.id, id).await?.ok_or(KnowledgeError::NotFound)?;
        if !done {
            return Err(KnowledgeError::WrongStatus(status_of(&record)?));
        }
        let mut views = self.article_views(association, caller, vec![record]).await?;
        views.pop().ok_or(KnowledgeError::NotFound)
    }

    /// Records as the caller sees them: codes read at once, the review
    /// note only for the author and reviewers, and no author's name across
    /// a block (either way): the article is the association's knowledge
    /// and stays, the member does not exist for the viewer.
    async fn article_views(
        &self,
        association: &Association,
        caller: Option<&Caller>,
        records: Vec<ArticleRecord>,
    ) -> Result<Vec<ArticleView>, KnowledgeError> {
        let blocked = match caller {
            Some(caller) => self.blocked_with(association, caller, false).await?,
            None => Default::default(),
        };
        let ids: Vec<String> = records.iter().map(|r| r.id.clone()).collect();
        let mut codes: HashMap<String, (Vec<String>, Vec<String>)> = HashMap::new();
        for (article, field, code) in self.store.article_codes(&association.id, &ids).await? {
            let entry = codes.entry(article).or_default();
            match field.as_str() {
                "condition" => entry.0.push(code),
                _ => entry.1.push(code),
            }
        }
        records
            .into_iter()
            .map(|record| {
                let mine = caller.is_some_and(|c| record.author_id.as_deref() == Some(c.member.id.as_str()));
                let reviewer = caller.is_some_and(is_expert);
                let (conditions, therapies) = codes.remove(&record.id).unwrap_or_default();
                let status = status_of(&record)?;
                Ok(ArticleView {
                    may_submit: mine && status == ArticleStatus::Draft,
                    may_review: !mine && reviewer && status == ArticleStatus::InReview,
                    may_withdraw: mine && status == ArticleStatus::InReview,
                    may_confirm: !mine && reviewer && status == ArticleStatus::Published,
                    status,
                    audience: Audience::parse(&record.audience)
                        .ok_or_else(|| StoreError::Corrupt(format!("article audience {}", record.audience)))?,
                    sources: sources_of(&record.sources)?,
                    review_note: if mine || reviewer { record.review_note } else { None },
                    id: record.id,
                    title: record.title,
                    summary: record.summary,
                    body: record.body,
                    body_html: record.body_html,
                    conditions,
                    therapies,
                    author: record
                        .author_pseudonym
                        .filter(|_| record.author_id.as_ref().is_none_or(|author| !blocked.contains(author))),
                    mine,
                    updated_at: record.updated_at,
                    published_at: record.published_at,
                    reviewed_at: record.reviewed_at,
                })
            })
            .collect()
    }
}

fn status_of(record: &ArticleRecord) -> Result<ArticleStatus, KnowledgeError> {
    ArticleStatus::parse(&record.status)
        .ok_or_else(|| KnowledgeError::Store(StoreError::Corrupt(format!("article status {}", record.status))))
}

fn sources_of(stored: &str) -> Result<Vec<Source>, KnowledgeError> {
    let values: Vec<serde_json::Value> =
        serde_json::from_str(stored).map_err(|e| StoreError::Corrupt(format!("article sources: {e}")))?;
    Ok(values
        .iter()
        .filter_map(|v| {
            Some(Source { title: v.get("title")?.as_str()?.to_owned(), url: v.get("url")?.as_str()?.to_owned() })
        })
        .collect())
}

/// A cursor's position: "RFC 3339|id", base64url; only times a row can have.
fn parse_position(payload: &str) -> Option<(DateTime<Utc>, String)> {
    let bytes = BASE64URL_NOPAD.decode(payload.as_bytes()).ok()?;
    let (at, id) = std::str::from_utf8(&bytes).ok()?.split_once('|')?;
    let at = DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc);
    if !crate::cursor::plausible_time(at) {
        return None;
    }
    Some((at, ArticleId::parse(id)?.as_str().to_owned()))
}

/// An article's fields parsed and checked against the association's
/// catalogue, rendered and ready to store (new, or a draft revised).
struct PreparedArticle {
    article: knowledge::ArticleText,
    body_html: String,
    search_text: String,
    sources: String,
}

fn prepared_article(association: &Association, input: &ArticleInput) -> Result<PreparedArticle, KnowledgeError> {
    let raw = RawArticle {
        title: &input.title,
        summary: &input.summary,
        body: &input.body,
        conditions: &input.conditions,
        therapies: &input.therapies,
        sources: &input.sources,
        audience: &input.audience,
    };
    let mut problems = Vec::new();
    let parsed = knowledge::parse_article(&raw).map_err(|p| problems.extend(p)).ok();
    let catalog = &association.settings.catalog;
    let known_condition = |c: &String| catalog.conditions.iter().any(|e| e.code.as_str() == c);
    let known_therapy = |t: &String| catalog.therapies.iter().any(|e| e.code.as_str() == t);
    if let Some(article) = &parsed {
        if !article.conditions.iter().all(known_condition) {
            problems.push(("conditions".into(), "must be conditions of the catalogue"));
        }
        if !article.therapies.iter().all(known_therapy) {
            problems.push(("therapies".into(), "must be therapies of the catalogue"));
        }
    }
    let article = match parsed {
        Some(article) if problems.is_empty() => article,
        _ => return Err(KnowledgeError::Invalid(problems)),
    };
    // Mentions are not resolved in an article: it is read by people
    // who may not see the member, so `@name` stays plain text.
    let rendered = markdown::render(&article.body, &|_| None);
    let search_text = format!("{} {} {}", article.title, article.summary, rendered.text).to_lowercase();
    let sources = serde_json::to_string(
        &article.sources.iter().map(|s| serde_json::json!({"title": s.title, "url": s.url})).collect::<Vec<_>>(),
    )
    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(PreparedArticle { article, body_html: rendered.html, search_text, sources })
}

impl PreparedArticle {
    fn record<'a>(
        &'a self,
        association: &'a Association,
        id: &'a ArticleId,
        author: &'a Caller,
        at: DateTime<Utc>,
    ) -> NewArticle<'a> {
        NewArticle {
            association: &association.id,
            id: id.as_str(),
            author_id: author.member.id.as_str(),
            title: &self.article.title,
            summary: &self.article.summary,
            body: &self.article.body,
            body_html: &self.body_html,
            search_text: &self.search_text,
            sources: &self.sources,
            audience: self.article.audience.as_str(),
            conditions: &self.article.conditions,
            therapies: &self.article.therapies,
            at,
        }
    }
}
