//! store::profiles — a member's choices per profile field (visibility, and
//! the value clear or sealed), and the keyed-hash search terms derived from
//! them, always written together.

use crate::{read, write, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::{AssociationId, MemberId};

/// A stored value: clear text, or sealed bytes for health fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredValue {
    Clear(String),
    Sealed(Vec<u8>),
}

/// One field of one member as it is to be written.
pub struct NewProfileValue {
    pub association_id: AssociationId,
    pub member_id: MemberId,
    pub field: String,
    pub visibility: String,
    /// `None`: a visibility chosen for a field without a value (or the value removed).
    pub value: Option<StoredValue>,
    /// Leave the stored value and search terms as they are; change only the
    /// visibility (`value` and `terms` are then ignored).
    pub keep_value: bool,
    /// Keyed hashes to find the value by, replacing the field's earlier ones.
    pub terms: Vec<String>,
    /// The effective visibility of the terms: 1..4, or 5 for private.
    pub terms_visibility: i32,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct ProfileValueRecord {
    pub member_id: String,
    pub field: String,
    pub visibility: String,
    pub value: Option<StoredValue>,
}

#[derive(sqlx::FromRow)]
struct ProfileRow {
    member_id: String,
    field: String,
    visibility: String,
    clear_value: Option<String>,
    sealed_value: Option<Vec<u8>>,
}

impl ProfileRow {
    fn into_record(self) -> Result<ProfileValueRecord, StoreError> {
        let value = match (self.clear_value, self.sealed_value) {
            (Some(text), None) => Some(StoredValue::Clear(text)),
            (None, Some(bytes)) => Some(StoredValue::Sealed(bytes)),
            (None, None) => None,
            (Some(_), Some(_)) => return Err(StoreError::Corrupt(format!("profile value {}", self.field))),
        };
        Ok(ProfileValueRecord { member_id: self.member_id, field: self.field, visibility: self.visibility, value })
    }
}

const UPSERT: &str = "INSERT INTO profile_values \
     (association_id, member_id, field, visibility, clear_value, sealed_value, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7) \
     ON CONFLICT (association_id, member_id, field) DO UPDATE SET \
     visibility = excluded.visibility, clear_value = excluded.clear_value, \
     sealed_value = excluded.sealed_value, updated_at = excluded.updated_at";

const SET_VISIBILITY: &str = "INSERT INTO profile_values \
     (association_id, member_id, field, visibility, clear_value, sealed_value, updated_at) \
     VALUES ($1, $2, $3, $4, NULL, NULL, $5) \
     ON CONFLICT (association_id, member_id, field) DO UPDATE SET \
     visibility = excluded.visibility, updated_at = excluded.updated_at";

const SET_TERMS_VISIBILITY: &str =
    "UPDATE search_terms SET visibility = $4 WHERE association_id = $1 AND member_id = $2 AND field = $3";

const DELETE_TERMS: &str = "DELETE FROM search_terms WHERE association_id = $1 AND member_id = $2 AND field = $3";

/// Rows per multi-row INSERT when loading many profiles at once. Small:
/// sqlx looks up SQLite parameters by name, so a statement with n of them
/// costs n² to bind.
const BATCH: usize = 50;

fn split(value: &Option<StoredValue>) -> (Option<&str>, Option<&[u8]>) {
    match value {
        Some(StoredValue::Clear(text)) => (Some(text.as_str()), None),
        Some(StoredValue::Sealed(bytes)) => (None, Some(bytes.as_slice())),
        None => (None, None),
    }
}

/// `INSERT INTO table (columns) VALUES ($1, …), ($n, …)` for `rows` rows.
fn multi_insert(head: &str, columns: usize, rows: usize) -> String {
    let mut sql = String::from(head);
    sql.push_str(" VALUES ");
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for column in 0..columns {
            if column > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("${}", row * columns + column + 1));
        }
        sql.push(')');
    }
    sql
}

impl Store {
    /// Writes fields of members in one transaction, replacing earlier
    /// values and search terms of the same fields.
    pub async fn put_profile_values(&self, values: &[NewProfileValue]) -> Result<(), StoreError> {
        self.write_profile(values, None).await
    }

    /// Writes fields of members and, when given, whether a member may be
    /// found, all in one transaction.
    pub async fn write_profile(
        &self,
        values: &[NewProfileValue],
        discoverable: Option<(&AssociationId, &MemberId, bool)>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            if let Some((association, member, discoverable)) = discoverable {
                sqlx::query("UPDATE members SET discoverable = $3 WHERE association_id = $1 AND id = $2")
                    .bind(association.as_str())
                    .bind(member.as_str())
                    .bind(discoverable)
                    .execute(&mut *tx)
                    .await?;
            }
            for v in values {
                if v.keep_value {
                    sqlx::query(SET_VISIBILITY)
                        .bind(v.association_id.as_str())
                        .bind(v.member_id.as_str())
                        .bind(&v.field)
                        .bind(&v.visibility)
                        .bind(v.updated_at)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query(SET_TERMS_VISIBILITY)
                        .bind(v.association_id.as_str())
                        .bind(v.member_id.as_str())
                        .bind(&v.field)
                        .bind(v.terms_visibility)
                        .execute(&mut *tx)
                        .await?;
                    continue;
                }
                let (clear, sealed) = split(&v.value);
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
                sqlx::query(DELETE_TERMS)
                    .bind(v.association_id.as_str())
                    .bind(v.member_id.as_str())
                    .bind(&v.field)
                    .execute(&mut *tx)
                    .await?;
                for token in &v.terms {
                    sqlx::query(
                        "INSERT INTO search_terms (association_id, member_id, field, token, visibility) \
                         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                    )
                    .bind(v.association_id.as_str())
                    .bind(v.member_id.as_str())
                    .bind(&v.field)
                    .bind(token)
                    .bind(v.terms_visibility)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Loads profiles of members that have none yet (demo and benchmark
    /// data), in multi-row inserts.
    pub async fn insert_fresh_profiles(&self, values: &[NewProfileValue]) -> Result<(), StoreError> {
        let terms: Vec<(&NewProfileValue, &String)> =
            values.iter().flat_map(|v| v.terms.iter().map(move |t| (v, t))).collect();
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            for chunk in values.chunks(BATCH) {
                let sql = multi_insert(
                    "INSERT INTO profile_values \
                     (association_id, member_id, field, visibility, clear_value, sealed_value, updated_at)",
                    7,
                    chunk.len(),
                );
                let mut query = sqlx::query(&sql);
                for v in chunk {
                    let (clear, sealed) = split(&v.value);
                    query = query
                        .bind(v.association_id.as_str())
                        .bind(v.member_id.as_str())
                        .bind(&v.field)
                        .bind(&v.visibility)
                        .bind(clear)
                        .bind(sealed)
                        .bind(v.updated_at);
                }
                query.execute(&mut *tx).await?;
            }
            for chunk in terms.chunks(BATCH) {
                let mut sql = multi_insert(
                    "INSERT INTO search_terms (association_id, member_id, field, token, visibility)",
                    5,
                    chunk.len(),
                );
                sql.push_str(" ON CONFLICT DO NOTHING");
                let mut query = sqlx::query(&sql);
                for (v, token) in chunk {
                    query = query
                        .bind(v.association_id.as_str())
                        .bind(v.member_id.as_str())
                        .bind(&v.field)
                        .bind(token.as_str())
                        .bind(v.terms_visibility);
                }
                query.execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Every choice of one member, values included.
    pub async fn profile_values(
        &self,
        association: &AssociationId,
        member: &MemberId,
    ) -> Result<Vec<ProfileValueRecord>, StoreError> {
        let rows: Vec<ProfileRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT member_id, field, visibility, clear_value, sealed_value FROM profile_values \
                 WHERE association_id = $1 AND member_id = $2 ORDER BY field",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter().map(ProfileRow::into_record).collect()
    }

    /// The choices of several members at once (a page of search results).
    pub async fn profile_values_of(
        &self,
        association: &AssociationId,
        members: &[MemberId],
    ) -> Result<Vec<ProfileValueRecord>, StoreError> {
        self.values_of(association, members, None).await
    }

    /// One field's values of several members (a page of posts shows its
    /// authors' photos: reading every field of fifty authors to keep one
    /// was a third of a topic page's time).
    pub async fn profile_field_of(
        &self,
        association: &AssociationId,
        members: &[MemberId],
        field: &str,
    ) -> Result<Vec<ProfileValueRecord>, StoreError> {
        self.values_of(association, members, Some(field)).await
    }

    async fn values_of(
        &self,
        association: &AssociationId,
        members: &[MemberId],
        field: Option<&str>,
    ) -> Result<Vec<ProfileValueRecord>, StoreError> {
        if members.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (0..members.len()).map(|i| format!("${}", i + 3)).collect();
        let sql = format!(
            "SELECT member_id, field, visibility, clear_value, sealed_value FROM profile_values \
             WHERE association_id = $1 AND ($2 IS NULL OR field = $2) AND member_id IN ({}) \
             ORDER BY member_id, field",
            placeholders.join(", ")
        );
        let rows: Vec<ProfileRow> = read!(self, |pool| {
            let mut query = sqlx::query_as(&sql).bind(association.as_str()).bind(field);
            for member in members {
                query = query.bind(member.as_str());
            }
            query.fetch_all(pool).await
        })?;
        rows.into_iter().map(ProfileRow::into_record).collect()
    }

    /// Removes the values of the given fields (keeping the visibility
    /// choices) and their search terms: withdrawing consent to health data.
    pub async fn clear_profile_values(
        &self,
        association: &AssociationId,
        member: &MemberId,
        fields: &[&str],
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            for field in fields {
                sqlx::query(
                    "UPDATE profile_values SET clear_value = NULL, sealed_value = NULL \
                     WHERE association_id = $1 AND member_id = $2 AND field = $3",
                )
                .bind(association.as_str())
                .bind(member.as_str())
                .bind(*field)
                .execute(&mut *tx)
                .await?;
                sqlx::query(DELETE_TERMS)
                    .bind(association.as_str())
                    .bind(member.as_str())
                    .bind(*field)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }
}
