//! store::forum — categories, topics, posts, edits, reactions,
//! subscriptions, read markers, and the full-text index of posts.

use crate::{read, write, Backend, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::{AssociationId, MemberId};

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

    /// The id of the post numbered `number` in a topic (a topic page's
    /// reaction buttons name their post by number).
    pub async fn post_at(
        &self,
        association: &AssociationId,
        topic: &str,
        number: i32,
    ) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = read!(self, |pool| {
            sqlx::query_as("SELECT id FROM posts WHERE association_id = $1 AND topic_id = $2 AND number = $3")
                .bind(association.as_str())
                .bind(topic)
                .bind(number)
                .fetch_optional(pool)
                .await
        })?;
        Ok(row.map(|(id,)| id))
    }
}

// ------------------------------------------------------------------ categories

/// A forum category as stored, with its counters.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CategoryRecord {
    pub id: String,
    pub name: String,
    pub description: String,
    pub position: i32,
    pub anonymous_allowed: bool,
    pub ask_professional: bool,
    pub created_at: DateTime<Utc>,
    pub topic_count: i32,
    pub post_count: i32,
    pub last_post_at: Option<DateTime<Utc>>,
}

const CATEGORY_COLUMNS: &str = "id, name, description, position, anonymous_allowed, ask_professional, created_at, \
     topic_count, post_count, last_post_at";

/// A category's counters (topics, posts, last post) counted anew from its
/// topics that are not hidden: every member sees them, so a hidden topic
/// must not move them. Run whenever a topic's hidden flag changes or a
/// topic moves (`store::moderation`); migration 0039 ran it once for every
/// category. `$1` the association, `$2` the category.
pub(crate) const RECOUNT_CATEGORY: &str = "UPDATE forum_categories SET \
     topic_count = (SELECT COUNT(*) FROM topics t \
       WHERE t.association_id = $1 AND t.category_id = $2 AND NOT t.hidden), \
     post_count = (SELECT COALESCE(SUM(t.post_count), 0) FROM topics t \
       WHERE t.association_id = $1 AND t.category_id = $2 AND NOT t.hidden), \
     last_post_at = (SELECT MAX(t.last_post_at) FROM topics t \
       WHERE t.association_id = $1 AND t.category_id = $2 AND NOT t.hidden) \
     WHERE association_id = $1 AND id = $2";

/// What an admin sets of a category.
#[derive(Debug, Clone, Copy)]
pub struct CategoryFields<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub position: i32,
    pub anonymous_allowed: bool,
    pub ask_professional: bool,
}

/// How deleting a category ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CategoryDeletion {
    Deleted,
    NotEmpty,
    NotFound,
}

// ------------------------------------------------------------------ topics and posts

/// A topic about to be written.
#[derive(Debug, Clone, Copy)]
pub struct TopicToWrite<'a> {
    pub id: &'a str,
    pub category_id: Option<&'a str>,
    pub group_id: Option<&'a str>,
    pub title: &'a str,
    pub author_id: Option<&'a str>,
    pub author_seal: Option<&'a str>,
    pub anonymous: bool,
}

/// A post about to be written (the opening post or a reply).
#[derive(Debug, Clone, Copy)]
pub struct PostToWrite<'a> {
    pub association: &'a AssociationId,
    pub id: &'a str,
    pub topic_id: &'a str,
    /// `None` for anonymous posts.
    pub author_id: Option<&'a str>,
    pub author_seal: Option<&'a str>,
    pub anonymous: bool,
    pub professional: bool,
    pub quote_of: Option<&'a str>,
    pub body: &'a str,
    pub html: &'a str,
    pub text: &'a str,
    pub at: DateTime<Utc>,
}

/// A topic in a list, with its author's names and the viewer's read marker.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TopicListRecord {
    #[sqlx(flatten)]
    pub topic: TopicRecord,
    pub pseudonym: Option<String>,
    pub badge: Option<String>,
    /// The author's alias in the topic's group (alias groups only).
    pub alias: Option<String>,
    pub last_read: Option<i32>,
}

/// Where a topic list continues: after this topic in (pinned, last activity, id) order.
#[derive(Debug, Clone)]
pub struct TopicCursor {
    pub pinned: bool,
    pub last_post_at: DateTime<Utc>,
    pub id: String,
}

/// Which forum a topic list is of.
#[derive(Debug, Clone, Copy)]
pub enum TopicPlace<'a> {
    Category(&'a str),
    Group(&'a str),
}

/// A post as stored, with its author's names (never shown as they are:
/// the service decides what of it the viewer gets).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PostRecord {
    pub id: String,
    pub topic_id: String,
    pub number: i32,
    pub author_id: Option<String>,
    pub author_seal: Option<String>,
    pub anonymous: bool,
    pub professional: bool,
    pub quote_of: Option<String>,
    pub body: String,
    pub html: String,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    pub deleted: bool,
    pub hidden: bool,
    pub hidden_reason: Option<String>,
    pub pseudonym: Option<String>,
    pub badge: Option<String>,
    pub alias: Option<String>,
}

const POST_SELECT: &str = "SELECT p.id, p.topic_id, p.number, p.author_id, p.author_seal, p.anonymous, \
     p.professional, p.quote_of, p.body, p.html, p.created_at, p.edited_at, p.deleted, p.hidden, p.hidden_reason, \
     m.pseudonym, m.badge, gm.alias FROM posts p \
     LEFT JOIN members m ON m.association_id = p.association_id AND m.id = p.author_id \
     LEFT JOIN group_members gm ON gm.association_id = p.association_id AND gm.group_id = $3 \
       AND gm.member_id = p.author_id";

/// An earlier version of a post.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PostEditRecord {
    pub html: String,
    pub written_at: DateTime<Utc>,
    pub replaced_at: DateTime<Utc>,
}

/// Reactions of one kind to one post.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReactionCount {
    pub post_id: String,
    pub kind: String,
    pub count: i64,
    pub mine: i64,
}

/// A member a mention may name: by pseudonym, or by alias in an alias group.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MentionTarget {
    pub member_id: String,
    pub label: String,
}

impl Store {
    pub async fn categories(&self, association: &AssociationId) -> Result<Vec<CategoryRecord>, StoreError> {
        let sql = format!(
            "SELECT {CATEGORY_COLUMNS} FROM forum_categories WHERE association_id = $1 ORDER BY position, name, id"
        );
        let rows = read!(self, |pool| sqlx::query_as(&sql).bind(association.as_str()).fetch_all(pool).await)?;
        Ok(rows)
    }

    pub async fn category(
        &self,
        association: &AssociationId,
        category: &str,
    ) -> Result<Option<CategoryRecord>, StoreError> {
        let sql = format!("SELECT {CATEGORY_COLUMNS} FROM forum_categories WHERE association_id = $1 AND id = $2");
        let row = read!(self, |pool| {
            sqlx::query_as(&sql).bind(association.as_str()).bind(category).fetch_optional(pool).await
        })?;
        Ok(row)
    }

    pub async fn insert_category(
        &self,
        association: &AssociationId,
        id: &str,
        fields: CategoryFields<'_>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "INSERT INTO forum_categories (association_id, id, name, description, position, anonymous_allowed, \
                 ask_professional, created_at, topic_count, post_count) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, 0)",
            )
            .bind(association.as_str())
            .bind(id)
            .bind(fields.name)
            .bind(fields.description)
            .bind(fields.position)
            .bind(fields.anonymous_allowed)
            .bind(fields.ask_professional)
            .bind(at)
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// Changes a category; false when there is none with this id.
    pub async fn update_category(
        &self,
        association: &AssociationId,
        id: &str,
        fields: CategoryFields<'_>,
    ) -> Result<bool, StoreError> {
        let done = write!(self, |pool| {
            sqlx::query(
                "UPDATE forum_categories SET name = $3, description = $4, position = $5, anonymous_allowed = $6, \
                 ask_professional = $7 WHERE association_id = $1 AND id = $2",
            )
            .bind(association.as_str())
            .bind(id)
            .bind(fields.name)
            .bind(fields.description)
            .bind(fields.position)
            .bind(fields.anonymous_allowed)
            .bind(fields.ask_professional)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(done > 0)
    }

    /// Deletes a category that holds no topic.
    pub async fn delete_category(&self, association: &AssociationId, id: &str) -> Result<CategoryDeletion, StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "DELETE FROM forum_categories WHERE association_id = $1 AND id = $2 AND NOT EXISTS \
                 (SELECT 1 FROM topics t WHERE t.association_id = $1 AND t.category_id = $2)",
            )
            .bind(association.as_str())
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let outcome = if done > 0 {
                CategoryDeletion::Deleted
            } else {
                let exists: Option<i32> =
                    sqlx::query_scalar("SELECT 1 FROM forum_categories WHERE association_id = $1 AND id = $2")
                        .bind(association.as_str())
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                if exists.is_some() {
                    CategoryDeletion::NotEmpty
                } else {
                    CategoryDeletion::NotFound
                }
            };
            tx.commit().await?;
            Ok(outcome)
        })
    }

    /// Writes a topic with its opening post (number 1), the category's
    /// counters, the post's search entry, and — for a named author — their
    /// subscription and read marker, all in one transaction.
    pub async fn create_topic(&self, topic: &TopicToWrite<'_>, post: &PostToWrite<'_>) -> Result<(), StoreError> {
        let association = post.association.as_str();
        let backend = self.backend();
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO topics (association_id, id, category_id, group_id, title, author_id, author_seal, \
                 anonymous, pinned, locked, hidden, created_at, last_post_at, post_count) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, false, false, false, $9, $9, 1)",
            )
            .bind(association)
            .bind(topic.id)
            .bind(topic.category_id)
            .bind(topic.group_id)
            .bind(topic.title)
            .bind(topic.author_id)
            .bind(topic.author_seal)
            .bind(topic.anonymous)
            .bind(post.at)
            .execute(&mut *tx)
            .await?;
            sqlx::query(INSERT_POST)
                .bind(association)
                .bind(post.id)
                .bind(post.topic_id)
                .bind(1i32)
                .bind(post.author_id)
                .bind(post.author_seal)
                .bind(post.anonymous)
                .bind(post.professional)
                .bind(post.quote_of)
                .bind(post.body)
                .bind(post.html)
                .bind(post.text)
                .bind(post.at)
                .execute(&mut *tx)
                .await?;
            if let Some(category) = topic.category_id {
                sqlx::query(
                    "UPDATE forum_categories SET topic_count = topic_count + 1, post_count = post_count + 1, \
                     last_post_at = $3 WHERE association_id = $1 AND id = $2",
                )
                .bind(association)
                .bind(category)
                .bind(post.at)
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query(insert_search(backend))
                .bind(association)
                .bind(post.id)
                .bind(topic.title)
                .bind(post.text)
                .execute(&mut *tx)
                .await?;
            if let Some(author) = post.author_id {
                sqlx::query(SUBSCRIBE)
                    .bind(association)
                    .bind(post.topic_id)
                    .bind(author)
                    .bind(post.at)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(MARK_READ)
                    .bind(association)
                    .bind(post.topic_id)
                    .bind(author)
                    .bind(1i32)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Writes a reply: its number is the topic's new post count, taken in
    /// the same transaction as the insert; the topic's and (unless the
    /// topic is hidden: `RECOUNT_CATEGORY`) the category's counters and the
    /// search entry move with it. A named author who had
    /// not written in the topic before is subscribed; their read marker moves
    /// to their own post. Returns the post's number, or `None` when the topic
    /// is gone.
    pub async fn add_post(&self, post: &PostToWrite<'_>, category: Option<&str>) -> Result<Option<i32>, StoreError> {
        let association = post.association.as_str();
        let backend = self.backend();
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            // The row stays locked to the end: a topic hidden meanwhile is
            // recounted after this reply, never half.
            let counted: Option<(i32, bool)> = sqlx::query_as(
                "UPDATE topics SET post_count = post_count + 1, last_post_at = $3 \
                 WHERE association_id = $1 AND id = $2 RETURNING post_count, hidden",
            )
            .bind(association)
            .bind(post.topic_id)
            .bind(post.at)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((number, hidden)) = counted else { return Ok(None) };
            if let Some(author) = post.author_id {
                let before: Option<i32> = sqlx::query_scalar(
                    "SELECT 1 FROM posts WHERE association_id = $1 AND topic_id = $2 AND author_id = $3 LIMIT 1",
                )
                .bind(association)
                .bind(post.topic_id)
                .bind(author)
                .fetch_optional(&mut *tx)
                .await?;
                if before.is_none() {
                    sqlx::query(SUBSCRIBE)
                        .bind(association)
                        .bind(post.topic_id)
                        .bind(author)
                        .bind(post.at)
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query(MARK_READ)
                    .bind(association)
                    .bind(post.topic_id)
                    .bind(author)
                    .bind(number)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(INSERT_POST)
                .bind(association)
                .bind(post.id)
                .bind(post.topic_id)
                .bind(number)
                .bind(post.author_id)
                .bind(post.author_seal)
                .bind(post.anonymous)
                .bind(post.professional)
                .bind(post.quote_of)
                .bind(post.body)
                .bind(post.html)
                .bind(post.text)
                .bind(post.at)
                .execute(&mut *tx)
                .await?;
            if let Some(category) = category.filter(|_| !hidden) {
                sqlx::query(
                    "UPDATE forum_categories SET post_count = post_count + 1, last_post_at = $3 \
                     WHERE association_id = $1 AND id = $2",
                )
                .bind(association)
                .bind(category)
                .bind(post.at)
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query(insert_search(backend))
                .bind(association)
                .bind(post.id)
                .bind("")
                .bind(post.text)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(Some(number))
        })
    }

    /// A page of a forum's topics: pinned first, then by last activity.
    /// Hidden topics only when `moderator`, or to their named author.
    /// Where `named_authors` (not an alias group), a topic opened under the
    /// pseudonym of a member in a block with the viewer, either way, is
    /// left out; an anonymous one never is (that would tell who wrote it).
    #[allow(clippy::too_many_arguments)]
    pub async fn topics(
        &self,
        association: &AssociationId,
        place: TopicPlace<'_>,
        viewer: &MemberId,
        moderator: bool,
        named_authors: bool,
        after: Option<&TopicCursor>,
        limit: i64,
    ) -> Result<Vec<TopicListRecord>, StoreError> {
        let (column, place_id) = match place {
            TopicPlace::Category(id) => ("t.category_id", id),
            TopicPlace::Group(id) => ("t.group_id", id),
        };
        let blocked = if named_authors {
            format!("AND (t.anonymous OR t.author_id IS NULL OR NOT {})", block_between("$3", "t.author_id"))
        } else {
            String::new()
        };
        let keyset = if after.is_some() {
            "AND (t.pinned < $6 OR (t.pinned = $6 AND (t.last_post_at < $7 OR (t.last_post_at = $7 AND t.id < $8))))"
        } else {
            ""
        };
        let sql = format!(
            "SELECT {TOPIC_COLUMNS}, m.pseudonym, m.badge, gm.alias, tr.last_read FROM topics t \
             LEFT JOIN members m ON m.association_id = t.association_id AND m.id = t.author_id \
             LEFT JOIN group_members gm ON gm.association_id = t.association_id AND gm.group_id = t.group_id \
               AND gm.member_id = t.author_id \
             LEFT JOIN topic_reads tr ON tr.association_id = t.association_id AND tr.topic_id = t.id \
               AND tr.member_id = $3 \
             WHERE t.association_id = $1 AND {column} = $2 AND (NOT t.hidden OR $4 OR t.author_id = $3) {blocked} {keyset} \
             ORDER BY t.pinned DESC, t.last_post_at DESC, t.id DESC LIMIT $5"
        );
        let rows = read!(self, |pool| {
            let query = sqlx::query_as(&sql)
                .bind(association.as_str())
                .bind(place_id)
                .bind(viewer.as_str())
                .bind(moderator)
                .bind(limit);
            match after {
                Some(c) => query.bind(c.pinned).bind(c.last_post_at).bind(c.id.as_str()).fetch_all(pool).await,
                None => query.fetch_all(pool).await,
            }
        })?;
        Ok(rows)
    }

    /// Posts of a topic after number `after`, in order, at most `limit`.
    /// `group`: the topic's group, for the authors' aliases.
    pub async fn posts(
        &self,
        association: &AssociationId,
        topic: &str,
        group: Option<&str>,
        after: i32,
        limit: i64,
    ) -> Result<Vec<PostRecord>, StoreError> {
        let sql = format!(
            "{POST_SELECT} WHERE p.association_id = $1 AND p.topic_id = $2 AND p.number > $4 ORDER BY p.number LIMIT $5"
        );
        let rows = read!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(association.as_str())
                .bind(topic)
                .bind(group)
                .bind(after)
                .bind(limit)
                .fetch_all(pool)
                .await
        })?;
        Ok(rows)
    }

    /// One post of a topic.
    pub async fn post(
        &self,
        association: &AssociationId,
        topic: &str,
        group: Option<&str>,
        post: &str,
    ) -> Result<Option<PostRecord>, StoreError> {
        let sql = format!("{POST_SELECT} WHERE p.association_id = $1 AND p.topic_id = $2 AND p.id = $4");
        let row = read!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(association.as_str())
                .bind(topic)
                .bind(group)
                .bind(post)
                .fetch_optional(pool)
                .await
        })?;
        Ok(row)
    }

    /// Reaction counts of the posts of a topic numbered `from..=to`, with
    /// whether `viewer` is among them (never who else is).
    pub async fn reaction_counts(
        &self,
        association: &AssociationId,
        topic: &str,
        from: i32,
        to: i32,
        viewer: &MemberId,
    ) -> Result<Vec<ReactionCount>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT r.post_id, r.kind, COUNT(*) AS count, \
                 SUM(CASE WHEN r.member_id = $5 THEN 1 ELSE 0 END) AS mine FROM reactions r \
                 WHERE r.association_id = $1 AND r.post_id IN (SELECT p.id FROM posts p \
                   WHERE p.association_id = $1 AND p.topic_id = $2 AND p.number >= $3 AND p.number <= $4) \
                 GROUP BY r.post_id, r.kind ORDER BY r.post_id, r.kind",
            )
            .bind(association.as_str())
            .bind(topic)
            .bind(from)
            .bind(to)
            .bind(viewer.as_str())
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// Replaces a post's text, keeping the earlier version in `post_edits`
    /// and the search entry current; false when the post is gone or deleted.
    #[allow(clippy::too_many_arguments)]
    pub async fn edit_post(
        &self,
        association: &AssociationId,
        post: &str,
        edit_id: &str,
        body: &str,
        html: &str,
        text: &str,
        title: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let association = association.as_str();
        let backend = self.backend();
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let kept = sqlx::query(
                "INSERT INTO post_edits (association_id, id, post_id, body, html, written_at, replaced_at) \
                 SELECT association_id, $3, id, body, html, COALESCE(edited_at, created_at), $4 FROM posts \
                 WHERE association_id = $1 AND id = $2 AND NOT deleted",
            )
            .bind(association)
            .bind(post)
            .bind(edit_id)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if kept == 0 {
                return Ok(false);
            }
            sqlx::query(
                "UPDATE posts SET body = $3, html = $4, text = $5, edited_at = $6 WHERE association_id = $1 AND id = $2",
            )
            .bind(association)
            .bind(post)
            .bind(body)
            .bind(html)
            .bind(text)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            sqlx::query(delete_search(backend)).bind(association).bind(post).execute(&mut *tx).await?;
            sqlx::query(insert_search(backend))
                .bind(association)
                .bind(post)
                .bind(title)
                .bind(text)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Deletes a post's content (the post stays, marked deleted), its
    /// earlier versions, reactions and search entry; on SQLite the WAL,
    /// which still holds the pages as they were, is then emptied.
    pub async fn delete_post(&self, association: &AssociationId, post: &str) -> Result<bool, StoreError> {
        let association = association.as_str();
        let backend = self.backend();
        let deleted = write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "UPDATE posts SET deleted = true, body = '', html = '', text = '' \
                 WHERE association_id = $1 AND id = $2 AND NOT deleted",
            )
            .bind(association)
            .bind(post)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if done == 0 {
                return Ok(false);
            }
            sqlx::query("DELETE FROM post_edits WHERE association_id = $1 AND post_id = $2")
                .bind(association)
                .bind(post)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM reactions WHERE association_id = $1 AND post_id = $2")
                .bind(association)
                .bind(post)
                .execute(&mut *tx)
                .await?;
            sqlx::query(delete_search(backend)).bind(association).bind(post).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok::<_, StoreError>(true)
        })?;
        if deleted {
            self.scrub_wal().await?;
        }
        Ok(deleted)
    }

    /// Earlier versions of a post, oldest first.
    pub async fn post_edits(&self, association: &AssociationId, post: &str) -> Result<Vec<PostEditRecord>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT html, written_at, replaced_at FROM post_edits WHERE association_id = $1 AND post_id = $2 \
                 ORDER BY replaced_at, id",
            )
            .bind(association.as_str())
            .bind(post)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    pub async fn add_reaction(
        &self,
        association: &AssociationId,
        post: &str,
        member: &MemberId,
        kind: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "INSERT INTO reactions (association_id, post_id, member_id, kind, created_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (association_id, post_id, member_id, kind) DO NOTHING",
            )
            .bind(association.as_str())
            .bind(post)
            .bind(member.as_str())
            .bind(kind)
            .bind(at)
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    pub async fn remove_reaction(
        &self,
        association: &AssociationId,
        post: &str,
        member: &MemberId,
        kind: &str,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "DELETE FROM reactions WHERE association_id = $1 AND post_id = $2 AND member_id = $3 AND kind = $4",
            )
            .bind(association.as_str())
            .bind(post)
            .bind(member.as_str())
            .bind(kind)
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    pub async fn subscribe(
        &self,
        association: &AssociationId,
        topic: &str,
        member: &MemberId,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(SUBSCRIBE)
                .bind(association.as_str())
                .bind(topic)
                .bind(member.as_str())
                .bind(at)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    pub async fn unsubscribe(
        &self,
        association: &AssociationId,
        topic: &str,
        member: &MemberId,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "DELETE FROM topic_subscriptions WHERE association_id = $1 AND topic_id = $2 AND member_id = $3",
            )
            .bind(association.as_str())
            .bind(topic)
            .bind(member.as_str())
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    pub async fn subscribed(
        &self,
        association: &AssociationId,
        topic: &str,
        member: &MemberId,
    ) -> Result<bool, StoreError> {
        let row: Option<i32> = read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT 1 FROM topic_subscriptions WHERE association_id = $1 AND topic_id = $2 AND member_id = $3",
            )
            .bind(association.as_str())
            .bind(topic)
            .bind(member.as_str())
            .fetch_optional(pool)
            .await
        })?;
        Ok(row.is_some())
    }

    /// A member's read marker of a topic and whether they are subscribed, in one read.
    pub async fn topic_state(
        &self,
        association: &AssociationId,
        topic: &str,
        member: &MemberId,
    ) -> Result<(Option<i32>, bool), StoreError> {
        let row: (Option<i32>, bool) = read!(self, |pool| {
            sqlx::query_as(
                "SELECT (SELECT last_read FROM topic_reads WHERE association_id = $1 AND member_id = $3 \
                   AND topic_id = $2), \
                 EXISTS (SELECT 1 FROM topic_subscriptions WHERE association_id = $1 AND topic_id = $2 \
                   AND member_id = $3)",
            )
            .bind(association.as_str())
            .bind(topic)
            .bind(member.as_str())
            .fetch_one(pool)
            .await
        })?;
        Ok(row)
    }

    /// Who is subscribed to a topic.
    pub async fn subscribers(&self, association: &AssociationId, topic: &str) -> Result<Vec<String>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT member_id FROM topic_subscriptions WHERE association_id = $1 AND topic_id = $2 ORDER BY member_id",
            )
            .bind(association.as_str())
            .bind(topic)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// Moves a member's read marker of a topic forward to `number` (never
    /// back), and marks read their notifications about the posts up to it:
    /// who has read the reply need not be told about it again.
    pub async fn mark_read(
        &self,
        association: &AssociationId,
        topic: &str,
        member: &MemberId,
        number: i32,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(MARK_READ)
                .bind(association.as_str())
                .bind(topic)
                .bind(member.as_str())
                .bind(number)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE notifications SET read_at = $5 WHERE association_id = $1 AND member_id = $3 \
                 AND topic_id = $2 AND read_at IS NULL AND post_id IN \
                 (SELECT id FROM posts WHERE association_id = $1 AND topic_id = $2 AND number <= $4)",
            )
            .bind(association.as_str())
            .bind(topic)
            .bind(member.as_str())
            .bind(number)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// An active member by pseudonym (case does not count), for mentions.
    /// A member a post may mention by pseudonym: active, and either
    /// findable by the writer (discoverable, no block either way) or the
    /// author of a post in `topic` that the writer can see (shown under
    /// their pseudonym, neither deleted nor hidden, no block either way).
    /// `writer` is `None` for an anonymous post: it must resolve the same
    /// whoever wrote it, so no relation of the writer counts.
    pub async fn mention_by_pseudonym(
        &self,
        association: &AssociationId,
        pseudonym_key: &str,
        writer: Option<&MemberId>,
        topic: Option<&str>,
    ) -> Result<Option<MentionTarget>, StoreError> {
        let mut next = 3;
        let no_block = match writer {
            Some(_) => {
                next += 1;
                format!(" AND NOT {}", block_between("$3", "m.id"))
            }
            None => String::new(),
        };
        let wrote_here = match topic {
            Some(_) => format!(
                " OR EXISTS (SELECT 1 FROM posts p WHERE p.association_id = $1 AND p.topic_id = ${next} \
                 AND p.author_id = m.id AND NOT p.anonymous AND NOT p.deleted AND NOT p.hidden)"
            ),
            None => String::new(),
        };
        let sql = format!(
            "SELECT m.id AS member_id, m.pseudonym AS label FROM members m \
             WHERE m.association_id = $1 AND m.pseudonym_key = $2 AND m.status = 'active'{no_block} \
             AND (m.discoverable{wrote_here})"
        );
        let row = read!(self, |pool| {
            let mut query = sqlx::query_as(&sql).bind(association.as_str()).bind(pseudonym_key);
            if let Some(writer) = writer {
                query = query.bind(writer.as_str());
            }
            if let Some(topic) = topic {
                query = query.bind(topic);
            }
            query.fetch_optional(pool).await
        })?;
        Ok(row)
    }

    /// A member of a group by their alias there, for mentions in alias groups.
    pub async fn mention_by_alias(
        &self,
        association: &AssociationId,
        group: &str,
        alias_key: &str,
    ) -> Result<Option<MentionTarget>, StoreError> {
        let row: Option<(String, Option<String>)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT member_id, alias FROM group_members WHERE association_id = $1 AND group_id = $2 \
                 AND alias_key = $3 AND status = 'member'",
            )
            .bind(association.as_str())
            .bind(group)
            .bind(alias_key)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row.and_then(|(member_id, alias)| alias.map(|label| MentionTarget { member_id, label })))
    }
}

/// A block between member `viewer` and member `author`, either way, as
/// SQL (both are SQL expressions; `$1` is the association). Only ever
/// asked about an author shown by pseudonym: see `NAMED_POST`.
pub(crate) fn block_between(viewer: &str, author: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM blocks bk WHERE bk.association_id = $1 AND \
         ((bk.blocker_id = {viewer} AND bk.blocked_id = {author}) OR (bk.blocker_id = {author} AND bk.blocked_id = {viewer})))"
    )
}

/// A post `p` in the topic `t` of group `g` (LEFT JOINed) shown under its
/// author's pseudonym: not anonymous, not in an alias group. SQL of
/// `service::forum::observed_author` being `Named`: only for such a post
/// may a relation of its author be consulted.
pub(crate) const NAMED_POST: &str =
    "(NOT p.anonymous AND p.author_id IS NOT NULL AND NOT COALESCE(g.alias_mode, false))";

const INSERT_POST: &str =
    "INSERT INTO posts (association_id, id, topic_id, number, author_id, author_seal, anonymous, \
     professional, quote_of, body, html, text, created_at, edited_at, deleted, hidden, hidden_reason, hidden_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, NULL, false, false, NULL, NULL)";

/// Adds a post's search entry ($1 association, $2 post, $3 title, $4 text),
/// after the post itself. On SQLite the FTS5 row takes the post's rowid:
/// FTS5 cannot index `post_id`, so replacing or removing an entry found by
/// it would read every entry of the forum; by rowid it is one lookup.
fn insert_search(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "INSERT INTO post_search (rowid, association_id, post_id, title, body) \
             SELECT rowid, $1, $2, $3, $4 FROM posts WHERE association_id = $1 AND id = $2"
        }
        Backend::Postgres => "INSERT INTO post_search (association_id, post_id, title, body) VALUES ($1, $2, $3, $4)",
    }
}

/// Removes a post's search entry ($1 association, $2 post); see `insert_search`.
pub(crate) fn delete_search(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "DELETE FROM post_search WHERE rowid = (SELECT rowid FROM posts WHERE association_id = $1 AND id = $2)"
        }
        Backend::Postgres => "DELETE FROM post_search WHERE association_id = $1 AND post_id = $2",
    }
}

const SUBSCRIBE: &str = "INSERT INTO topic_subscriptions (association_id, topic_id, member_id, created_at) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (association_id, topic_id, member_id) DO NOTHING";

const MARK_READ: &str = "INSERT INTO topic_reads (association_id, topic_id, member_id, last_read) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (association_id, member_id, topic_id) DO UPDATE SET last_read = \
     CASE WHEN excluded.last_read > topic_reads.last_read THEN excluded.last_read ELSE topic_reads.last_read END";
