//! store::post_search — full-text search over forum posts, inside what the
//! searcher may read. SQLite asks its FTS5 table (`post_search MATCH`),
//! PostgreSQL the GIN index over the German, English and Dutch stemmings
//! (the query repeats the indexed expression so that the index is used).
//!
//! What may be read is decided in SQL, in the same statement that matches:
//! posts neither deleted nor hidden, in topics not hidden, in a category
//! (every active member reads those) or in one of the groups the service
//! says the searcher reads. Results come newest first with a keyset cursor
//! (time, post id), never ranked by a score: a rank would count words of
//! posts the searcher may not read. So nothing of unreadable content
//! changes the results, their order or the paging.

use crate::forum::{block_between, NAMED_POST};
use crate::{Pools, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::{AssociationId, MemberId};

/// A search, already parsed by the service.
pub struct PostSearch<'a> {
    pub association: &'a AssociationId,
    /// Who searches: posts shown under the pseudonym of a member in a
    /// block with them, either way, are left out.
    pub searcher: &'a MemberId,
    /// Normalised words (`kindred_domain::search::words`), all must match.
    pub words: &'a [String],
    /// The groups whose forum the searcher reads (`readable_group_ids`).
    pub groups: &'a [String],
    /// Only posts before this one in the order (newest first): its time and id.
    pub before: Option<(DateTime<Utc>, String)>,
    pub limit: i64,
}

/// A post found, with what the service needs to show it and its author.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FoundPost {
    pub post_id: String,
    pub topic_id: String,
    pub number: i32,
    pub title: String,
    pub text: String,
    pub created_at: DateTime<Utc>,
    pub category_id: Option<String>,
    pub group_id: Option<String>,
    pub anonymous: bool,
    /// The author, when the post is not anonymous and the member still exists.
    pub author_id: Option<String>,
    pub pseudonym: Option<String>,
    pub badge: Option<String>,
    /// Whether the topic's group shows aliases only.
    pub alias_mode: Option<bool>,
    /// The author's alias in that group.
    pub alias: Option<String>,
}

/// An FTS5 query that takes every word as a quoted prefix term, all
/// ANDed: user text never reaches the FTS5 syntax.
pub fn fts5_query(words: &[String]) -> String {
    words.iter().map(|w| format!("\"{}\"*", w.replace('"', "\"\""))).collect::<Vec<_>>().join(" AND ")
}

/// The document of a post as PostgreSQL indexes it (`post_search_document`).
const PG_DOCUMENT: &str = "(to_tsvector('german'::regconfig, s.title || ' ' || s.body) \
     || to_tsvector('english'::regconfig, s.title || ' ' || s.body) \
     || to_tsvector('dutch'::regconfig, s.title || ' ' || s.body))";

/// The query in the three languages, $2 being [`pg_query`]'s terms.
const PG_QUERY: &str = "(to_tsquery('german'::regconfig, $2) \
     || to_tsquery('english'::regconfig, $2) \
     || to_tsquery('dutch'::regconfig, $2))";

/// A `to_tsquery` text that takes every word as a quoted prefix term, all
/// ANDed, as [`fts5_query`] does for SQLite (so that "sec" finds "sechs" on
/// either database): user text never reaches the query syntax.
pub fn pg_query(words: &[String]) -> String {
    words.iter().map(|w| format!("'{}':*", w.replace('\\', "\\\\").replace('\'', "''"))).collect::<Vec<_>>().join(" & ")
}

const COLUMNS: &str = "p.id AS post_id, p.topic_id, p.number, t.title, p.text, p.created_at, t.category_id, \
     t.group_id, p.anonymous, m.id AS author_id, m.pseudonym, m.badge, g.alias_mode, gm.alias";

/// Joins from the matching post to its topic, author, group and alias;
/// `{post_id}` names the post id column of the search table.
fn joins(post_id: &str) -> String {
    format!(
        "JOIN posts p ON p.association_id = $1 AND p.id = {post_id} \
         JOIN topics t ON t.association_id = $1 AND t.id = p.topic_id \
         LEFT JOIN members m ON m.association_id = $1 AND m.id = p.author_id AND NOT p.anonymous \
         LEFT JOIN community_groups g ON g.association_id = $1 AND g.id = t.group_id \
         LEFT JOIN group_members gm ON gm.association_id = $1 AND gm.group_id = t.group_id \
           AND gm.member_id = p.author_id AND NOT p.anonymous"
    )
}

/// What the searcher (`$3`) may read; `groups` are the placeholders of the
/// readable groups. A block is consulted only for a post shown under its
/// author's pseudonym (`NAMED_POST`): leaving out an anonymous or alias
/// post would tell who wrote it.
fn readable(groups: &str) -> String {
    let in_groups = if groups.is_empty() { String::new() } else { format!(" OR t.group_id IN ({groups})") };
    format!(
        "NOT p.deleted AND NOT p.hidden AND NOT t.hidden AND (t.category_id IS NOT NULL{in_groups}) \
         AND NOT ({NAMED_POST} AND {})",
        block_between("$3", "p.author_id")
    )
}

impl Store {
    /// Posts the searcher may read that hold every word, newest first.
    pub async fn search_posts(&self, search: &PostSearch<'_>) -> Result<Vec<FoundPost>, StoreError> {
        if search.words.is_empty() {
            return Ok(Vec::new());
        }
        // $1 association, $2 the words, $3 the searcher, then the cursor, then the groups.
        let mut next = 4;
        let before = match &search.before {
            Some(_) => {
                let sql =
                    format!(" AND (p.created_at < ${} OR (p.created_at = ${} AND p.id < ${}))", next, next, next + 1);
                next += 2;
                sql
            }
            None => String::new(),
        };
        let groups = (0..search.groups.len()).map(|i| format!("${}", next + i)).collect::<Vec<_>>().join(", ");
        let limit = search.limit.clamp(1, 200);
        let sql = match &self.pools {
            Pools::Sqlite { .. } => format!(
                "SELECT {COLUMNS} FROM post_search {joins} \
                 WHERE post_search MATCH $2 AND post_search.association_id = $1 AND {readable}{before} \
                 ORDER BY p.created_at DESC, p.id DESC LIMIT {limit}",
                joins = joins("post_search.post_id"),
                readable = readable(&groups),
            ),
            Pools::Postgres(_) => format!(
                "SELECT {COLUMNS} FROM post_search s {joins} \
                 WHERE s.association_id = $1 AND {PG_DOCUMENT} @@ {PG_QUERY} AND {readable}{before} \
                 ORDER BY p.created_at DESC, p.id DESC LIMIT {limit}",
                joins = joins("s.post_id"),
                readable = readable(&groups),
            ),
        };
        let terms = match &self.pools {
            Pools::Sqlite { .. } => fts5_query(search.words),
            Pools::Postgres(_) => pg_query(search.words),
        };
        let rows = crate::read!(self, |pool| {
            let mut query = sqlx::query_as(&sql)
                .bind(search.association.as_str())
                .bind(terms.as_str())
                .bind(search.searcher.as_str());
            if let Some((at, id)) = &search.before {
                query = query.bind(*at).bind(id.as_str());
            }
            for group in search.groups {
                query = query.bind(group.as_str());
            }
            query.fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// How PostgreSQL finds the posts that match (for the test that the
    /// query can use the GIN index); `None` on SQLite.
    pub async fn explain_post_search(
        &self,
        association: &AssociationId,
        words: &[String],
    ) -> Result<Option<String>, StoreError> {
        let Pools::Postgres(pool) = &self.pools else { return Ok(None) };
        // The match alone: with the association too, a tiny test table is
        // read through the primary key; a large one through the GIN index.
        let sql = format!("EXPLAIN SELECT s.post_id FROM post_search s WHERE $1 <> '' AND {PG_DOCUMENT} @@ {PG_QUERY}");
        // A test database is tiny: without this the planner rightly scans.
        let mut tx = pool.begin().await?;
        sqlx::query("SET LOCAL enable_seqscan = off").execute(&mut *tx).await?;
        let rows: Vec<(String,)> =
            sqlx::query_as(&sql).bind(association.as_str()).bind(pg_query(words)).fetch_all(&mut *tx).await?;
        tx.rollback().await?;
        Ok(Some(rows.into_iter().map(|(line,)| line).collect::<Vec<_>>().join("\n")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_is_a_quoted_prefix() {
        let words = vec!["müdigkeit".to_owned(), "a\"b".to_owned(), "or".to_owned()];
        assert_eq!(fts5_query(&words), "\"müdigkeit\"* AND \"a\"\"b\"* AND \"or\"*");
        assert_eq!(pg_query(&words), "'müdigkeit':* & 'a\"b':* & 'or':*");
        assert_eq!(pg_query(&["it's".to_owned(), "a\\b".to_owned()]), "'it''s':* & 'a\\\\b':*");
    }
}
