//! store::forum_bulk — loading a large forum at once, for benchmark data:
//! categories, topics and posts (with their full-text rows), counters
//! already final. Never for members' own posts, which go through
//! `store::forum` with its checks.

use crate::bulk::values;
use crate::{write, Backend, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::AssociationId;

/// A category with its final counters: every generated topic is visible
/// (`insert_topics_fresh` writes none hidden), so they count every topic
/// of the category, as `forum::RECOUNT_CATEGORY` would.
pub struct NewCategory {
    pub id: String,
    pub name: String,
    pub description: String,
    pub position: i32,
    pub topic_count: i32,
    pub post_count: i32,
    pub last_post_at: Option<DateTime<Utc>>,
}

pub struct NewTopic {
    pub id: String,
    pub category_id: String,
    pub title: String,
    pub author_id: String,
    pub created_at: DateTime<Utc>,
    pub last_post_at: DateTime<Utc>,
    pub post_count: i32,
}

pub struct NewPost {
    pub id: String,
    pub topic_id: String,
    pub number: i32,
    pub author_id: String,
    pub body: String,
    pub html: String,
    pub text: String,
    /// The topic's title for the opening post, empty for replies.
    pub title: String,
    pub created_at: DateTime<Utc>,
}

/// Rows per statement: few parameters per statement keep SQLite's
/// parameter look-up cheap (see `store::bulk`).
const ROWS: usize = 25;

impl Store {
    pub async fn insert_categories_fresh(
        &self,
        association: &AssociationId,
        categories: &[NewCategory],
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            for c in categories {
                sqlx::query(
                    "INSERT INTO forum_categories (association_id, id, name, description, position, \
                     anonymous_allowed, ask_professional, created_at, topic_count, post_count, last_post_at) \
                     VALUES ($1, $2, $3, $4, $5, FALSE, FALSE, $6, $7, $8, $9)",
                )
                .bind(association.as_str())
                .bind(&c.id)
                .bind(&c.name)
                .bind(&c.description)
                .bind(c.position)
                .bind(at)
                .bind(c.topic_count)
                .bind(c.post_count)
                .bind(c.last_post_at)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn insert_topics_fresh(
        &self,
        association: &AssociationId,
        topics: &[NewTopic],
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            for chunk in topics.chunks(ROWS) {
                let sql = values(
                    "INSERT INTO topics (association_id, id, category_id, group_id, title, author_id, author_seal, \
                     anonymous, pinned, locked, hidden, created_at, last_post_at, post_count)",
                    14,
                    chunk.len(),
                );
                let mut query = sqlx::query(&sql);
                for t in chunk {
                    query = query
                        .bind(association.as_str())
                        .bind(&t.id)
                        .bind(&t.category_id)
                        .bind(None::<String>)
                        .bind(&t.title)
                        .bind(&t.author_id)
                        .bind(None::<String>)
                        .bind(false)
                        .bind(false)
                        .bind(false)
                        .bind(false)
                        .bind(t.created_at)
                        .bind(t.last_post_at)
                        .bind(t.post_count);
                }
                query.execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Posts and their full-text rows, in one transaction.
    pub async fn insert_posts_fresh(&self, association: &AssociationId, posts: &[NewPost]) -> Result<(), StoreError> {
        let backend = self.backend();
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            for chunk in posts.chunks(ROWS) {
                let sql = values(
                    "INSERT INTO posts (association_id, id, topic_id, number, author_id, author_seal, anonymous, \
                     professional, quote_of, body, html, text, created_at, edited_at, deleted, hidden, \
                     hidden_reason, hidden_at)",
                    18,
                    chunk.len(),
                );
                let mut query = sqlx::query(&sql);
                for p in chunk {
                    query = query
                        .bind(association.as_str())
                        .bind(&p.id)
                        .bind(&p.topic_id)
                        .bind(p.number)
                        .bind(&p.author_id)
                        .bind(None::<String>)
                        .bind(false)
                        .bind(false)
                        .bind(None::<String>)
                        .bind(&p.body)
                        .bind(&p.html)
                        .bind(&p.text)
                        .bind(p.created_at)
                        .bind(None::<DateTime<Utc>>)
                        .bind(false)
                        .bind(false)
                        .bind(None::<String>)
                        .bind(None::<DateTime<Utc>>);
                }
                query.execute(&mut *tx).await?;
                // As `forum::insert_search`: on SQLite the entry takes the post's rowid.
                let sql = match backend {
                    Backend::Sqlite => format!(
                        "INSERT INTO post_search (rowid, association_id, post_id, title, body) \
                         SELECT p.rowid, p.association_id, p.id, v.column3, p.text FROM ({}) v \
                         JOIN posts p ON p.association_id = v.column1 AND p.id = v.column2",
                        values("", 3, chunk.len()).trim_start()
                    ),
                    Backend::Postgres => {
                        values("INSERT INTO post_search (association_id, post_id, title, body)", 4, chunk.len())
                    }
                };
                let mut query = sqlx::query(&sql);
                for p in chunk {
                    query = match backend {
                        Backend::Sqlite => query.bind(association.as_str()).bind(&p.id).bind(&p.title),
                        Backend::Postgres => query.bind(association.as_str()).bind(&p.id).bind(&p.title).bind(&p.text),
                    };
                }
                query.execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }
}

impl Store {
    /// Up to `limit` active members, for authors of generated posts.
    pub async fn some_active_member_ids(
        &self,
        association: &AssociationId,
        limit: i64,
    ) -> Result<Vec<String>, StoreError> {
        let ids = crate::read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT id FROM members WHERE association_id = $1 AND status = 'active' ORDER BY id LIMIT $2",
            )
            .bind(association.as_str())
            .bind(limit)
            .fetch_all(pool)
            .await
        })?;
        Ok(ids)
    }
}
