//! store::notifications — in-app notifications: written here when
//! something happens (a reply to a subscribed topic, a mention), listed
//! and marked read by the member they are for.

use crate::{write, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::AssociationId;

/// Notification rows per INSERT (nine parameters each; see `bulk` on why
/// SQLite statements stay small).
const NOTIFICATION_ROWS: usize = 30;

/// A notification about to be written. `actor_label` is what the member
/// may see of who caused it (an alias, a pseudonym, or nothing).
#[derive(Debug, Clone)]
pub struct PostNotification {
    pub id: String,
    pub member_id: String,
    pub kind: &'static str,
    pub topic_id: Option<String>,
    pub post_id: Option<String>,
    pub actor_label: Option<String>,
    pub detail: Option<String>,
    pub at: DateTime<Utc>,
}

/// Earlier notifications that a new batch takes the place of: those of
/// `kind` about `article_id`. An article submitted again starts a new
/// round of review; the reviewers' notifications of the round before would
/// otherwise count again beside the new one.
#[derive(Debug, Clone, Copy)]
pub struct Superseded<'a> {
    pub kind: &'static str,
    pub article_id: &'a str,
}

impl Store {
    /// Writes notifications, all or none.
    pub async fn insert_notifications(
        &self,
        association: &AssociationId,
        notifications: &[PostNotification],
    ) -> Result<(), StoreError> {
        if notifications.is_empty() {
            return Ok(());
        }
        // Several rows per statement: a reply to a topic with 20
        // subscribers was 20 round trips to the writer's thread.
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            for chunk in notifications.chunks(NOTIFICATION_ROWS) {
                let sql = crate::bulk::values(
                    "INSERT INTO notifications (association_id, id, member_id, kind, topic_id, post_id, actor_label, \
                     detail, created_at)",
                    9,
                    chunk.len(),
                );
                let mut query = sqlx::query(&sql);
                for n in chunk {
                    query = query
                        .bind(association.as_str())
                        .bind(&n.id)
                        .bind(&n.member_id)
                        .bind(n.kind)
                        .bind(n.topic_id.as_deref())
                        .bind(n.post_id.as_deref())
                        .bind(n.actor_label.as_deref())
                        .bind(n.detail.as_deref())
                        .bind(n.at);
                }
                query.execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Writes notifications about a request, a group or an article
    /// (contact and disclosure requests and their answers, group
    /// invitations and join requests, articles to review and reviewed),
    /// all or none, together with removing the earlier ones they take the
    /// place of (`superseded`). They name nobody: who asked shows on the
    /// request's own page, by the rules of that page.
    pub async fn insert_request_notifications(
        &self,
        association: &AssociationId,
        notifications: &[RequestNotification],
        superseded: Option<Superseded<'_>>,
    ) -> Result<(), StoreError> {
        if notifications.is_empty() && superseded.is_none() {
            return Ok(());
        }
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            if let Some(old) = &superseded {
                sqlx::query("DELETE FROM notifications WHERE association_id = $1 AND kind = $2 AND article_id = $3")
                    .bind(association.as_str())
                    .bind(old.kind)
                    .bind(old.article_id)
                    .execute(&mut *tx)
                    .await?;
            }
            for n in notifications {
                sqlx::query(
                    "INSERT INTO notifications \
                     (association_id, id, member_id, kind, request_id, group_id, article_id, detail, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(association.as_str())
                .bind(&n.id)
                .bind(&n.member_id)
                .bind(n.kind)
                .bind(n.request_id.as_deref())
                .bind(n.group_id.as_deref())
                .bind(n.article_id.as_deref())
                .bind(n.detail)
                .bind(n.at)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// The members who moderate a group now.
    pub async fn group_moderator_ids(
        &self,
        association: &AssociationId,
        group: &str,
    ) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = crate::read!(self, |pool| {
            sqlx::query_as(
                "SELECT member_id FROM group_members WHERE association_id = $1 AND group_id = $2 \
                 AND status = 'member' AND role = 'moderator' ORDER BY member_id",
            )
            .bind(association.as_str())
            .bind(group)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }
}

/// A notification about a request (`request_id`) or a group (`group_id`).
#[derive(Debug, Clone)]
pub struct RequestNotification {
    pub id: String,
    pub member_id: String,
    pub kind: &'static str,
    pub request_id: Option<String>,
    pub group_id: Option<String>,
    pub article_id: Option<String>,
    /// A word of ours (`published`, `returned`), never anyone's text.
    pub detail: Option<&'static str>,
    pub at: DateTime<Utc>,
}
