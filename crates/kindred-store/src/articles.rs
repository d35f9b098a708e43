//! store::articles — knowledge articles and the codes they are about
//! (service::knowledge decides who may write, review and read them).

use crate::{read, write, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::AssociationId;

/// An article as stored, with its author's pseudonym (`None` once the
/// account is erased).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ArticleRecord {
    pub id: String,
    pub author_id: Option<String>,
    pub author_pseudonym: Option<String>,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub body_html: String,
    pub sources: String,
    pub audience: String,
    pub status: String,
    pub review_note: Option<String>,
    pub reviewer_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    /// When it was last reviewed: published, or confirmed since.
    pub reviewed_at: Option<DateTime<Utc>>,
}

/// A new article (a draft).
pub struct NewArticle<'a> {
    pub association: &'a AssociationId,
    pub id: &'a str,
    pub author_id: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub body: &'a str,
    pub body_html: &'a str,
    pub search_text: &'a str,
    /// JSON `[{"title", "url"}]`.
    pub sources: &'a str,
    pub audience: &'a str,
    pub conditions: &'a [String],
    pub therapies: &'a [String],
    pub at: DateTime<Utc>,
}

/// A move from one status to another: it happens only from `from`, so two
/// reviewers deciding at once cannot both win.
pub struct StatusChange<'a> {
    pub association: &'a AssociationId,
    pub id: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    pub review_note: Option<&'a str>,
    pub reviewer_id: Option<&'a str>,
    pub published_at: Option<DateTime<Utc>>,
    pub at: DateTime<Utc>,
}

/// Which published articles a list asks for.
pub struct ArticleFilter<'a> {
    pub association: &'a AssociationId,
    /// Only articles for anyone (a reader who is not a member).
    pub public_only: bool,
    /// Lower-cased words, each to be found in title, summary or body.
    pub words: &'a [String],
    pub condition: Option<&'a str>,
    pub therapy: Option<&'a str>,
    /// After this (published_at, id), newest first.
    pub before: Option<(DateTime<Utc>, String)>,
    pub limit: i64,
}

const COLUMNS: &str = "a.id, a.author_id, m.pseudonym AS author_pseudonym, a.title, a.summary, a.body, \
     a.body_html, a.sources, a.audience, a.status, a.review_note, a.reviewer_id, a.created_at, a.updated_at, \
     a.published_at, a.reviewed_at";

const FROM: &str = "FROM articles a LEFT JOIN members m ON m.association_id = a.association_id AND m.id = a.author_id";

impl Store {
    pub async fn insert_article(&self, new: &NewArticle<'_>) -> Result<(), StoreError> {
        self.write_article(new, false).await.map(|_| ())
    }

    /// Replaces what a draft says (the same fields as [`NewArticle`]; `id`
    /// and `author_id` name the draft). Only while it is a draft of that
    /// author: `false` when it no longer is (submitted meanwhile), and
    /// nothing is written. The review note stays until the next review.
    pub async fn update_draft(&self, new: &NewArticle<'_>) -> Result<bool, StoreError> {
        self.write_article(new, true).await
    }

    /// Writes an article and its codes in one transaction: a new draft,
    /// or (`replace`) new content for a draft; `false` when there was no
    /// such draft to replace.
    async fn write_article(&self, new: &NewArticle<'_>, replace: bool) -> Result<bool, StoreError> {
        let association = new.association.as_str();
        let statement = if replace {
            "UPDATE articles SET title = $4, summary = $5, body = $6, body_html = $7, search_text = $8, \
             sources = $9, audience = $10, updated_at = $11 \
             WHERE association_id = $1 AND id = $2 AND author_id = $3 AND status = 'draft'"
        } else {
            "INSERT INTO articles (association_id, id, author_id, title, summary, body, body_html, search_text, \
             sources, audience, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'draft', $11, $11)"
        };
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let written = sqlx::query(statement)
                .bind(association)
                .bind(new.id)
                .bind(new.author_id)
                .bind(new.title)
                .bind(new.summary)
                .bind(new.body)
                .bind(new.body_html)
                .bind(new.search_text)
                .bind(new.sources)
                .bind(new.audience)
                .bind(new.at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if written == 0 {
                tx.rollback().await?;
                return Ok(false);
            }
            sqlx::query("DELETE FROM article_codes WHERE association_id = $1 AND article_id = $2")
                .bind(association)
                .bind(new.id)
                .execute(&mut *tx)
                .await?;
            let codes =
                new.conditions.iter().map(|c| ("condition", c)).chain(new.therapies.iter().map(|t| ("therapy", t)));
            for (field, code) in codes {
                sqlx::query(
                    "INSERT INTO article_codes (association_id, article_id, field, code) VALUES ($1, $2, $3, $4)",
                )
                .bind(association)
                .bind(new.id)
                .bind(field)
                .bind(code)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await.map(|()| true)
        })
        .map_err(StoreError::from)
    }

    pub async fn article(&self, association: &AssociationId, id: &str) -> Result<Option<ArticleRecord>, StoreError> {
        let sql = format!("SELECT {COLUMNS} {FROM} WHERE a.association_id = $1 AND a.id = $2");
        Ok(read!(self, |pool| { sqlx::query_as(&sql).bind(association.as_str()).bind(id).fetch_optional(pool).await })?)
    }

    /// The conditions and therapies of some articles: (article, field, code).
    pub async fn article_codes(
        &self,
        association: &AssociationId,
        ids: &[String],
    ) -> Result<Vec<(String, String, String)>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT article_id, field, code FROM article_codes WHERE association_id = $1 AND article_id IN ({}) \
             ORDER BY article_id, field, code",
            marks.join(", ")
        );
        Ok(read!(self, |pool| {
            let mut query = sqlx::query_as(&sql).bind(association.as_str());
            for id in ids {
                query = query.bind(id);
            }
            query.fetch_all(pool).await
        })?)
    }

    /// Moves an article from `change.from` to `change.to`; false when it
    /// was not (or no longer) in `from`.
    pub async fn change_article_status(&self, change: &StatusChange<'_>) -> Result<bool, StoreError> {
        let done = write!(self, |pool| {
            sqlx::query(
                "UPDATE articles SET status = $4, review_note = $5, reviewer_id = $6, published_at = $7, \
                 reviewed_at = $7, updated_at = $8 WHERE association_id = $1 AND id = $2 AND status = $3",
            )
            .bind(change.association.as_str())
            .bind(change.id)
            .bind(change.from)
            .bind(change.to)
            .bind(change.review_note)
            .bind(change.reviewer_id)
            .bind(change.published_at)
            .bind(change.at)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
        })?;
        Ok(done == 1)
    }

    /// A second review of a published article: it is still accurate, as of
    /// `at`, says `reviewer`. False when it is not (or no longer) published.
    pub async fn confirm_article_review(
        &self,
        association: &AssociationId,
        id: &str,
        reviewer: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = write!(self, |pool| {
            sqlx::query(
                "UPDATE articles SET reviewed_at = $4, reviewer_id = $3 \
                 WHERE association_id = $1 AND id = $2 AND status = 'published'",
            )
            .bind(association.as_str())
            .bind(id)
            .bind(reviewer)
            .bind(at)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
        })?;
        Ok(done == 1)
    }

    /// Published articles, newest first, as the filter asks.
    pub async fn published_articles(&self, filter: &ArticleFilter<'_>) -> Result<Vec<ArticleRecord>, StoreError> {
        let mut sql = format!("SELECT {COLUMNS} {FROM} WHERE a.association_id = $1 AND a.status = 'published'");
        let mut n = 1;
        let mut next = || {
            n += 1;
            format!("${n}")
        };
        if filter.public_only {
            sql.push_str(" AND a.audience = 'public'");
        }
        for _ in filter.words {
            sql.push_str(&format!(" AND a.search_text LIKE {} ESCAPE '\\'", next()));
        }
        for (field, code) in [("condition", filter.condition), ("therapy", filter.therapy)] {
            if code.is_some() {
                sql.push_str(&format!(
                    " AND EXISTS (SELECT 1 FROM article_codes c WHERE c.association_id = a.association_id \
                     AND c.article_id = a.id AND c.field = '{field}' AND c.code = {})",
                    next()
                ));
            }
        }
        if filter.before.is_some() {
            let (at, id) = (next(), next());
            sql.push_str(&format!(" AND (a.published_at < {at} OR (a.published_at = {at} AND a.id < {id}))"));
        }
        sql.push_str(&format!(" ORDER BY a.published_at DESC, a.id DESC LIMIT {}", next()));
        let patterns: Vec<String> = filter.words.iter().map(|w| format!("%{}%", escape_like(w))).collect();
        Ok(read!(self, |pool| {
            let mut query = sqlx::query_as(&sql).bind(filter.association.as_str());
            for pattern in &patterns {
                query = query.bind(pattern);
            }
            for code in [filter.condition, filter.therapy].into_iter().flatten() {
                query = query.bind(code);
            }
            if let Some((at, id)) = &filter.before {
                query = query.bind(*at).bind(id);
            }
            query.bind(filter.limit).fetch_all(pool).await
        })?)
    }

    /// Articles in `status` (not published), newest change first: the
    /// author's own drafts (`author`), or everything in review.
    pub async fn articles_in(
        &self,
        association: &AssociationId,
        status: &str,
        author: Option<&str>,
        limit: i64,
    ) -> Result<Vec<ArticleRecord>, StoreError> {
        let by_author = if author.is_some() { " AND a.author_id = $3" } else { "" };
        let sql = format!(
            "SELECT {COLUMNS} {FROM} WHERE a.association_id = $1 AND a.status = $2{by_author} \
             ORDER BY a.updated_at DESC, a.id DESC LIMIT {limit}"
        );
        Ok(read!(self, |pool| {
            let mut query = sqlx::query_as(&sql).bind(association.as_str()).bind(status);
            if let Some(author) = author {
                query = query.bind(author);
            }
            query.fetch_all(pool).await
        })?)
    }

    /// Every article a member wrote, for their data export.
    pub async fn articles_by_author(
        &self,
        association: &AssociationId,
        author: &str,
    ) -> Result<Vec<ArticleRecord>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} {FROM} WHERE a.association_id = $1 AND a.author_id = $2 ORDER BY a.created_at, a.id"
        );
        Ok(read!(self, |pool| { sqlx::query_as(&sql).bind(association.as_str()).bind(author).fetch_all(pool).await })?)
    }
}

/// `%`, `_` and `\` as themselves in a LIKE pattern (with `ESCAPE '\'`).
fn escape_like(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
