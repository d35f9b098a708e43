//! store::audit — the append-only audit log. There is deliberately no
//! function here that updates or deletes an entry; triggers in both
//! databases refuse it as well.

use crate::{read, write, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::AssociationId;

pub struct NewAuditEntry<'a> {
    pub id: &'a str,
    pub association_id: &'a AssociationId,
    pub at: DateTime<Utc>,
    pub actor_id: Option<&'a str>,
    pub action: &'a str,
    pub target_id: Option<&'a str>,
    pub detail: Option<&'a str>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRecord {
    pub id: String,
    pub at: DateTime<Utc>,
    pub actor_id: Option<String>,
    pub actor_pseudonym: Option<String>,
    pub action: String,
    pub target_id: Option<String>,
    pub target_pseudonym: Option<String>,
    pub detail: Option<String>,
}

impl Store {
    pub async fn append_audit(&self, entry: &NewAuditEntry<'_>) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "INSERT INTO audit_log (id, association_id, at, actor_id, action, target_id, detail) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(entry.id)
            .bind(entry.association_id.as_str())
            .bind(entry.at)
            .bind(entry.actor_id)
            .bind(entry.action)
            .bind(entry.target_id)
            .bind(entry.detail)
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// The newest entries first, `limit` of them, older than `before` when given.
    pub async fn audit_entries(
        &self,
        association: &AssociationId,
        before: Option<(DateTime<Utc>, &str)>,
        limit: i64,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        let (at, id) = before.map(|(at, id)| (Some(at), id)).unwrap_or((None, ""));
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT l.id, l.at, l.actor_id, a.pseudonym AS actor_pseudonym, l.action, l.target_id, \
                 t.pseudonym AS target_pseudonym, l.detail FROM audit_log l \
                 LEFT JOIN members a ON a.id = l.actor_id AND a.association_id = l.association_id \
                 LEFT JOIN members t ON t.id = l.target_id AND t.association_id = l.association_id \
                 WHERE l.association_id = $1 AND ($2 IS NULL OR l.at < $2 OR (l.at = $2 AND l.id < $3)) \
                 ORDER BY l.at DESC, l.id DESC LIMIT $4",
            )
            .bind(association.as_str())
            .bind(at)
            .bind(id)
            .bind(limit)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }
}
