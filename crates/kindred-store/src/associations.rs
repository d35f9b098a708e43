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
