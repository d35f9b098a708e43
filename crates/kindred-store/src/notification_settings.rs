//! store::notification_settings — a member's e-mail choice per kind of
//! notification; only choices that differ from the default have a row.

use crate::{read, write, Store, StoreError};
use kindred_domain::{AssociationId, MemberId};

impl Store {
    /// The stored choices: `(kind, email)`.
    pub async fn notification_settings(
        &self,
        association: &AssociationId,
        member: &MemberId,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT kind, email FROM notification_settings WHERE association_id = $1 AND member_id = $2 \
                 ORDER BY kind",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// Replaces all of a member's choices at once.
    pub async fn replace_notification_settings(
        &self,
        association: &AssociationId,
        member: &MemberId,
        choices: &[(&str, &str)],
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM notification_settings WHERE association_id = $1 AND member_id = $2")
                .bind(association.as_str())
                .bind(member.as_str())
                .execute(&mut *tx)
                .await?;
            for (kind, email) in choices {
                sqlx::query(
                    "INSERT INTO notification_settings (association_id, member_id, kind, email) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(association.as_str())
                .bind(member.as_str())
                .bind(*kind)
                .bind(*email)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await
        })?;
        Ok(())
    }
}
