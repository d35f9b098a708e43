//! store::preferences — a member's language and time zone
//! (`members.language`, `members.time_zone`, migration 0029).

use crate::{write, Store, StoreError};
use kindred_domain::{AssociationId, MemberId};

impl Store {
    /// Sets both preferences at once; `time_zone` `None` follows the
    /// association's zone. False when no such member exists.
    pub async fn set_member_preferences(
        &self,
        association: &AssociationId,
        member: &MemberId,
        language: &str,
        time_zone: Option<&str>,
    ) -> Result<bool, StoreError> {
        let changed = write!(self, |pool| {
            sqlx::query("UPDATE members SET language = $3, time_zone = $4 WHERE association_id = $1 AND id = $2")
                .bind(association.as_str())
                .bind(member.as_str())
                .bind(language)
                .bind(time_zone)
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(changed == 1)
    }
}
