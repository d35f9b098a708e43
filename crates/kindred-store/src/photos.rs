//! store::photos — profile photos (sealed), and staff flags.

use crate::{read, write, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::{AssociationId, MemberId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PhotoRecord {
    pub sealed_image: Vec<u8>,
    pub content_type: String,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FlagRecord {
    pub id: String,
    pub member_id: String,
    pub pseudonym: String,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

impl Store {
    pub async fn put_photo(
        &self,
        association: &AssociationId,
        member: &MemberId,
        sealed_image: &[u8],
        content_type: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "INSERT INTO photos (association_id, member_id, sealed_image, content_type, updated_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (association_id, member_id) DO UPDATE SET \
                 sealed_image = excluded.sealed_image, content_type = excluded.content_type, \
                 updated_at = excluded.updated_at",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(sealed_image)
            .bind(content_type)
            .bind(at)
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    pub async fn photo(
        &self,
        association: &AssociationId,
        member: &MemberId,
    ) -> Result<Option<PhotoRecord>, StoreError> {
        let row = read!(self, |pool| {
            sqlx::query_as(
                "SELECT sealed_image, content_type, updated_at FROM photos WHERE association_id = $1 AND member_id = $2",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .fetch_optional(pool)
            .await
        })?;
        Ok(row)
    }

    pub async fn delete_photo(&self, association: &AssociationId, member: &MemberId) -> Result<bool, StoreError> {
        let done = write!(self, |pool| {
            sqlx::query("DELETE FROM photos WHERE association_id = $1 AND member_id = $2")
                .bind(association.as_str())
                .bind(member.as_str())
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(done > 0)
    }

    /// Records a consent (again: a repeated consent keeps the first date).
    pub async fn add_consent(
        &self,
        association: &AssociationId,
        member: &MemberId,
        kind: &str,
        version: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "INSERT INTO consents (association_id, member_id, kind, version, given_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (association_id, member_id, kind, version) DO NOTHING",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(kind)
            .bind(version)
            .bind(at)
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// Records the consent to the terms of use in `version` at `at`; given
    /// again (the association went back to an earlier version), the time is
    /// the new one, so that the latest consent is the version now accepted.
    pub async fn accept_terms(
        &self,
        association: &AssociationId,
        member: &MemberId,
        version: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "INSERT INTO consents (association_id, member_id, kind, version, given_at) \
                 VALUES ($1, $2, 'terms', $3, $4) ON CONFLICT (association_id, member_id, kind, version) \
                 DO UPDATE SET given_at = excluded.given_at",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(version)
            .bind(at)
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// Withdraws a consent of every version; false when none was given.
    pub async fn remove_consent(
        &self,
        association: &AssociationId,
        member: &MemberId,
        kind: &str,
    ) -> Result<bool, StoreError> {
        let done = write!(self, |pool| {
            sqlx::query("DELETE FROM consents WHERE association_id = $1 AND member_id = $2 AND kind = $3")
                .bind(association.as_str())
                .bind(member.as_str())
                .bind(kind)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(done > 0)
    }

    pub async fn set_discoverable(
        &self,
        association: &AssociationId,
        member: &MemberId,
        discoverable: bool,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query("UPDATE members SET discoverable = $3 WHERE association_id = $1 AND id = $2")
                .bind(association.as_str())
                .bind(member.as_str())
                .bind(discoverable)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    pub async fn add_flag(
        &self,
        association: &AssociationId,
        id: &str,
        member: &MemberId,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "INSERT INTO staff_flags (association_id, id, member_id, reason, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(association.as_str())
            .bind(id)
            .bind(member.as_str())
            .bind(reason)
            .bind(at)
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// The newest flags first.
    pub async fn flags(&self, association: &AssociationId) -> Result<Vec<FlagRecord>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT f.id, f.member_id, m.pseudonym, f.reason, f.created_at FROM staff_flags f \
                 JOIN members m ON m.association_id = f.association_id AND m.id = f.member_id \
                 WHERE f.association_id = $1 ORDER BY f.created_at DESC LIMIT 500",
            )
            .bind(association.as_str())
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }
}
