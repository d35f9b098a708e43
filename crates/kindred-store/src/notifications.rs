//! store::notifications — in-app notifications: written here when
//! something happens (a reply to a subscribed topic, a mention), listed
//! and marked read by the member they are for.

use crate::{write, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::AssociationId;

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
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            for n in notifications {
                sqlx::query(
                    "INSERT INTO notifications (association_id, id, member_id, kind, topic_id, post_id, actor_label, \
                     detail, created_at, read_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL)",
                )
                .bind(association.as_str())
                .bind(&n.id)
                .bind(&n.member_id)
                .bind(n.kind)
                .bind(n.topic_id.as_deref())
                .bind(n.post_id.as_deref())
                .bind(n.actor_label.as_deref())
                .bind(n.detail.as_deref())
                .bind(n.at)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }
}
