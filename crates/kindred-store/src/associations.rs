//! store::associations — the tenants.

use crate::{read, write, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::{AssociationId, HostName, Slug};

pub struct NewAssociation {
    pub id: AssociationId,
    pub slug: Slug,
    /// The settings, serialised by the service layer.
    pub settings: String,
    pub logo: Option<(Vec<u8>, String)>,
    pub hosts: Vec<HostName>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AssociationRecord {
    pub id: String,
    pub slug: String,
    pub settings: String,
    pub has_logo: bool,
    pub created_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, slug, settings, (logo IS NOT NULL) AS has_logo, created_at";

impl Store {
    /// Creates an association with its host names, all or nothing.
    pub async fn insert_association(&self, new: &NewAssociation) -> Result<(), StoreError> {
        let (logo, logo_type) = match &new.logo {
            Some((bytes, kind)) => (Some(bytes.as_slice()), Some(kind.as_str())),
            None => (None, None),
        };
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO associations (id, slug, settings, logo, logo_type, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(new.id.as_str())
            .bind(new.slug.as_str())
            .bind(&new.settings)
            .bind(logo)
            .bind(logo_type)
            .bind(new.created_at)
            .execute(&mut *tx)
            .await?;
            for host in &new.hosts {
                sqlx::query("INSERT INTO association_hosts (host, association_id) VALUES ($1, $2)")
                    .bind(host.as_str())
                    .bind(new.id.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn association_by_slug(&self, slug: &str) -> Result<Option<AssociationRecord>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM associations WHERE slug = $1");
        let row = read!(self, |pool| sqlx::query_as(&sql).bind(slug).fetch_optional(pool).await)?;
        Ok(row)
    }

    /// The slug of the association a host name is mapped to.
    pub async fn slug_for_host(&self, host: &HostName) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT a.slug FROM association_hosts h JOIN associations a ON a.id = h.association_id \
                 WHERE h.host = $1",
            )
            .bind(host.as_str())
            .fetch_optional(pool)
            .await
        })?;
        Ok(row.map(|(slug,)| slug))
    }

    pub async fn list_associations(&self) -> Result<Vec<AssociationRecord>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM associations ORDER BY slug");
        let rows = read!(self, |pool| sqlx::query_as(&sql).fetch_all(pool).await)?;
        Ok(rows)
    }

    /// The logo bytes and their media type.
    pub async fn association_logo(&self, id: &AssociationId) -> Result<Option<(Vec<u8>, String)>, StoreError> {
        let row: Option<(Option<Vec<u8>>, Option<String>)> = read!(self, |pool| {
            sqlx::query_as("SELECT logo, logo_type FROM associations WHERE id = $1")
                .bind(id.as_str())
                .fetch_optional(pool)
                .await
        })?;
        Ok(match row {
            Some((Some(bytes), Some(kind))) => Some((bytes, kind)),
            _ => None,
        })
    }
}

/// A change of an association's settings, written all at once.
pub struct SettingsUpdate<'a> {
    pub association_id: &'a AssociationId,
    /// The new settings, serialised by the service layer.
    pub settings: &'a str,
    /// The complete new list of host names.
    pub hosts: &'a [HostName],
    /// Fields whose search terms may be no more open than the visibility
    /// given (1..4, 5 = private): a raised minimum level.
    pub term_caps: &'a [(String, i32)],
    /// Fields whose stored values, visibility choices and search terms are
    /// deleted for every member: removed from the settings, or their kind
    /// changed (an old value would be read as the new kind).
    pub erased_fields: &'a [String],
    /// Delete every member's photo too: the `photo` field is among
    /// `erased_fields`, and the image lives in `photos`, not beside its value.
    pub erase_photos: bool,
    /// A new logo and its media type; `None` keeps the logo.
    pub logo: Option<(&'a [u8], &'a str)>,
    /// The audit entry of the change.
    pub audit: crate::NewAuditEntry<'a>,
}

impl Store {
    /// Replaces an association's settings and host names, erases the values
    /// and search terms of removed fields, caps the search terms of fields
    /// whose minimum level rose, and writes the audit entry: one
    /// transaction, so a search never sees the new settings with the old
    /// terms, and a refused change (a host name taken) leaves nothing.
    pub async fn update_association_settings(&self, update: &SettingsUpdate<'_>) -> Result<(), StoreError> {
        let id = update.association_id.as_str();
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE associations SET settings = $2 WHERE id = $1")
                .bind(id)
                .bind(update.settings)
                .execute(&mut *tx)
                .await?;
            if let Some((bytes, kind)) = update.logo {
                sqlx::query("UPDATE associations SET logo = $2, logo_type = $3 WHERE id = $1")
                    .bind(id)
                    .bind(bytes)
                    .bind(kind)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query("DELETE FROM association_hosts WHERE association_id = $1").bind(id).execute(&mut *tx).await?;
            for host in update.hosts {
                sqlx::query("INSERT INTO association_hosts (host, association_id) VALUES ($1, $2)")
                    .bind(host.as_str())
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            // Terms first: they are found by token, and a term of a value
            // that is gone would still find its member.
            for field in update.erased_fields {
                for sql in [
                    "DELETE FROM search_terms WHERE association_id = $1 AND field = $2",
                    "DELETE FROM profile_values WHERE association_id = $1 AND field = $2",
                ] {
                    sqlx::query(sql).bind(id).bind(field).execute(&mut *tx).await?;
                }
            }
            if update.erase_photos {
                sqlx::query("DELETE FROM photos WHERE association_id = $1").bind(id).execute(&mut *tx).await?;
            }
            for (field, cap) in update.term_caps {
                sqlx::query(
                    "UPDATE search_terms SET visibility = $3 \
                     WHERE association_id = $1 AND field = $2 AND visibility < $3",
                )
                .bind(id)
                .bind(field)
                .bind(cap)
                .execute(&mut *tx)
                .await?;
            }
            let audit = &update.audit;
            sqlx::query(
                "INSERT INTO audit_log (id, association_id, at, actor_id, action, target_id, detail) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(audit.id)
            .bind(audit.association_id.as_str())
            .bind(audit.at)
            .bind(audit.actor_id)
            .bind(audit.action)
            .bind(audit.target_id)
            .bind(audit.detail)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// The association a host name is mapped to, by id.
    pub async fn host_owner(&self, host: &HostName) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = read!(self, |pool| {
            sqlx::query_as("SELECT association_id FROM association_hosts WHERE host = $1")
                .bind(host.as_str())
                .fetch_optional(pool)
                .await
        })?;
        Ok(row.map(|(id,)| id))
    }
}
