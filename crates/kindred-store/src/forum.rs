//! store::forum — categories, topics, posts, edits, reactions,
//! subscriptions, read markers, and the full-text index of posts.

use crate::{read, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::AssociationId;

/// A topic as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TopicRecord {
    pub id: String,
    pub category_id: Option<String>,
    pub group_id: Option<String>,
    pub title: String,
    pub author_id: Option<String>,
    pub author_seal: Option<String>,
    pub anonymous: bool,
    pub pinned: bool,
    pub locked: bool,
    pub hidden: bool,
    pub created_at: DateTime<Utc>,
    pub last_post_at: DateTime<Utc>,
    pub post_count: i32,
}

pub(crate) const TOPIC_COLUMNS: &str = "t.id, t.category_id, t.group_id, t.title, t.author_id, t.author_seal, \
     t.anonymous, t.pinned, t.locked, t.hidden, t.created_at, t.last_post_at, t.post_count";

impl Store {
    pub async fn topic(&self, association: &AssociationId, topic: &str) -> Result<Option<TopicRecord>, StoreError> {
        let sql = format!("SELECT {TOPIC_COLUMNS} FROM topics t WHERE t.association_id = $1 AND t.id = $2");
        let row = read!(self, |pool| {
            sqlx::query_as(&sql).bind(association.as_str()).bind(topic).fetch_optional(pool).await
        })?;
        Ok(row)
    }

    /// The topic a post belongs to: `(topic id, post number)`.
    pub async fn post_place(
        &self,
        association: &AssociationId,
        post: &str,
    ) -> Result<Option<(String, i32)>, StoreError> {
        let row = read!(self, |pool| {
            sqlx::query_as("SELECT topic_id, number FROM posts WHERE association_id = $1 AND id = $2")
                .bind(association.as_str())
                .bind(post)
                .fetch_optional(pool)
                .await
        })?;
        Ok(row)
    }
}
