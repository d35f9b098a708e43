//! store::profiles — profile field values, clear or sealed.

use crate::{read, write, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::{AssociationId, MemberId};

/// A stored value: clear text, or sealed bytes for health fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredValue {
    Clear(String),
    Sealed(Vec<u8>),
}

pub struct NewProfileValue {
    pub association_id: AssociationId,
    pub member_id: MemberId,
    pub field: String,
    pub visibility: String,
    pub value: StoredValue,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct ProfileValueRecord {
    pub field: String,
    pub visibility: String,
    pub value: StoredValue,
}

#[derive(sqlx::FromRow)]
struct ProfileRow {
    field: String,
    visibility: String,
    clear_value: Option<String>,
    sealed_value: Option<Vec<u8>>,
}

const UPSERT: &str = "INSERT INTO profile_values \
     (association_id, member_id, field, visibility, clear_value, sealed_value, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7) \
     ON CONFLICT (association_id, member_id, field) DO UPDATE SET \
     visibility = excluded.visibility, clear_value = excluded.clear_value, \
     sealed_value = excluded.sealed_value, updated_at = excluded.updated_at";

impl Store {
    /// Writes many values in one transaction, replacing earlier values of the same fields.
    pub async fn put_profile_values(&self, values: &[NewProfileValue]) -> Result<(), StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            for v in values {
                let (clear, sealed) = match &v.value {
                    StoredValue::Clear(text) => (Some(text.as_str()), None),
                    StoredValue::Sealed(bytes) => (None, Some(bytes.as_slice())),
                };
                sqlx::query(UPSERT)
                    .bind(v.association_id.as_str())
                    .bind(v.member_id.as_str())
                    .bind(&v.field)
                    .bind(&v.visibility)
                    .bind(clear)
                    .bind(sealed)
                    .bind(v.updated_at)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn profile_values(
        &self,
        association: &AssociationId,
        member: &MemberId,
    ) -> Result<Vec<ProfileValueRecord>, StoreError> {
        let rows: Vec<ProfileRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT field, visibility, clear_value, sealed_value FROM profile_values \
                 WHERE association_id = $1 AND member_id = $2 ORDER BY field",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter()
            .map(|row| {
                let value = match (row.clear_value, row.sealed_value) {
                    (Some(text), None) => StoredValue::Clear(text),
                    (None, Some(bytes)) => StoredValue::Sealed(bytes),
                    _ => return Err(StoreError::Corrupt(format!("profile value {}", row.field))),
                };
                Ok(ProfileValueRecord { field: row.field, visibility: row.visibility, value })
            })
            .collect()
    }
}
