//! store::members — accounts within an association.

use crate::{read, write, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::account::skeleton_key;
use kindred_domain::{AccountRole, AccountStatus, AssociationId, EmailAddress, MemberId, Pseudonym};

pub struct NewMember {
    pub id: MemberId,
    pub association_id: AssociationId,
    pub email: EmailAddress,
    pub pseudonym: Pseudonym,
    pub password_hash: String,
    pub role: AccountRole,
    pub status: AccountStatus,
    pub discoverable: bool,
    pub created_at: DateTime<Utc>,
    /// Keyed hashes of the prefixes of the pseudonym's words, written with
    /// the member as search terms visible to everyone (the pseudonym is).
    pub pseudonym_terms: Vec<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRecord {
    pub id: String,
    pub association_id: String,
    pub email: String,
    pub pseudonym: String,
    pub role: String,
    pub status: String,
    pub discoverable: bool,
    pub badge: Option<String>,
    pub language: Option<String>,
    /// The member's own IANA time zone; `None` follows the association's (migration 0029).
    pub time_zone: Option<String>,
    pub has_totp: bool,
    /// At least one passkey is registered.
    pub has_passkey: bool,
    pub created_at: DateTime<Utc>,
    /// The pseudonym is a wish, not yet claimed (or found taken): see migration 0014.
    pub pseudonym_pending: bool,
    /// The version of the terms of use the member consented to last
    /// (`consents`, kind `terms`); `None` for accounts made by staff.
    pub terms_version: Option<String>,
}

/// The columns of a [`MemberRecord`] from `members` (unqualified, and as `m`).
pub(crate) const MEMBER_COLUMNS: &str = "id, association_id, email, pseudonym, role, status, discoverable, badge, \
     language, time_zone, (totp_secret IS NOT NULL) AS has_totp, EXISTS (SELECT 1 FROM passkeys p \
     WHERE p.association_id = members.association_id AND p.member_id = members.id) AS has_passkey, created_at, \
     pseudonym_pending, (SELECT c.version FROM consents c WHERE c.association_id = members.association_id \
     AND c.member_id = members.id AND c.kind = 'terms' ORDER BY c.given_at DESC, c.version DESC LIMIT 1) AS terms_version";
pub(crate) const MEMBER_COLUMNS_M: &str = "m.id, m.association_id, m.email, m.pseudonym, m.role, m.status, \
     m.discoverable, m.badge, m.language, m.time_zone, (m.totp_secret IS NOT NULL) AS has_totp, EXISTS (SELECT 1 FROM passkeys p \
     WHERE p.association_id = m.association_id AND p.member_id = m.id) AS has_passkey, m.created_at, \
     m.pseudonym_pending, (SELECT c.version FROM consents c WHERE c.association_id = m.association_id \
     AND c.member_id = m.id AND c.kind = 'terms' ORDER BY c.given_at DESC, c.version DESC LIMIT 1) AS terms_version";

/// What sign-in needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Credentials {
    pub id: String,
    pub password_hash: String,
    pub status: String,
    pub role: String,
    pub has_totp: bool,
    pub has_passkey: bool,
}

/// A new member's pseudonym terms are written with it, hence
/// `pseudonym_indexed`.
pub(crate) const INSERT_MEMBER: &str = "INSERT INTO members \
     (id, association_id, email, email_key, pseudonym, pseudonym_key, password_hash, role, status, discoverable, \
     created_at, pseudonym_skeleton, pseudonym_indexed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, TRUE)";

/// Inserts the pseudonym terms of one member ($1 association, $2 member,
/// $3 pseudonym key, then one token each), or `None` when there are none.
pub(crate) fn insert_pseudonym_terms_sql(tokens: usize) -> Option<String> {
    if tokens == 0 {
        return None;
    }
    let rows: Vec<String> = (0..tokens).map(|i| format!("($1, ${}, $3, $2)", i + 4)).collect();
    Some(format!(
        "INSERT INTO pseudonym_terms (association_id, token, pseudonym_key, member_id) VALUES {} \
         ON CONFLICT DO NOTHING",
        rows.join(", ")
    ))
}

/// A new member's row and the terms of their pseudonym, in the caller's transaction.
macro_rules! insert_member_in {
    ($tx:expr, $new:expr) => {{
        let new: &$crate::members::NewMember = $new;
        $crate::members::bind_member(sqlx::query($crate::members::INSERT_MEMBER), new).execute(&mut *$tx).await?;
        if let Some(sql) = $crate::members::insert_pseudonym_terms_sql(new.pseudonym_terms.len()) {
            let mut query =
                sqlx::query(&sql).bind(new.association_id.as_str()).bind(new.id.as_str()).bind(new.pseudonym.key());
            for token in &new.pseudonym_terms {
                query = query.bind(token.as_str());
            }
            query.execute(&mut *$tx).await?;
        }
    }};
}

impl Store {
    pub async fn insert_member(&self, new: &NewMember) -> Result<(), StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            insert_member_in!(tx, new);
            tx.commit().await?;
            Ok(())
        })
    }

    /// Inserts many members in one transaction (demo and benchmark data).
    pub async fn insert_members(&self, members: &[NewMember]) -> Result<(), StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            for new in members {
                insert_member_in!(tx, new);
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Members, of any association (a task of the whole deployment),
    /// whose pseudonym terms are not written (created before pseudonyms were
    /// searched by terms), in id order after `after`: (id, association id,
    /// pseudonym, pseudonym key).
    pub async fn members_with_unindexed_pseudonyms(
        &self,
        after: &str,
        limit: i64,
    ) -> Result<Vec<(String, String, String, String)>, StoreError> {
        let rows = read!(self, |pool| {
            // The condition is the partial index's, word for word.
            sqlx::query_as(
                "SELECT id, association_id, pseudonym, pseudonym_key FROM members \
                 WHERE NOT pseudonym_indexed AND id > $1 ORDER BY id LIMIT $2",
            )
            .bind(after)
            .bind(limit)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// Fills in the skeleton key of members from before it was stored
    /// (migration 0014), oldest first in each association, so that the
    /// one who had a look-alike pseudonym first keeps it; the younger of
    /// two look-alikes is made to choose a new pseudonym (pending) rather
    /// than the start failing. Runs with every migration; once done, one
    /// query finds nothing to do. Returns how many it marked pending.
    pub async fn fill_pseudonym_skeletons(&self) -> Result<usize, StoreError> {
        let mut pending = 0;
        loop {
            let batch: Vec<(String, String, String)> = read!(self, |pool| {
                sqlx::query_as(
                    "SELECT id, association_id, pseudonym FROM members \
                     WHERE pseudonym_skeleton IS NULL AND NOT pseudonym_pending \
                     ORDER BY association_id, created_at, id LIMIT 500",
                )
                .fetch_all(pool)
                .await
            })?;
            if batch.is_empty() {
                return Ok(pending);
            }
            let refused = write!(self, |pool| {
                let mut tx = pool.begin().await?;
                let mut refused = 0;
                for (id, association, pseudonym) in &batch {
                    // Claims the key unless another member holds it already;
                    // never a unique violation, which would end the transaction.
                    let claimed = sqlx::query(
                        "UPDATE members SET pseudonym_skeleton = $3 WHERE association_id = $1 AND id = $2 \
                         AND NOT EXISTS (SELECT 1 FROM members o WHERE o.association_id = $1 \
                         AND o.pseudonym_skeleton = $3)",
                    )
                    .bind(association)
                    .bind(id)
                    .bind(skeleton_key(pseudonym))
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if claimed == 0 {
                        sqlx::query(
                            "UPDATE members SET pseudonym_pending = TRUE WHERE association_id = $1 AND id = $2",
                        )
                        .bind(association)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                        refused += 1;
                    }
                }
                tx.commit().await?;
                Ok::<usize, StoreError>(refused)
            })?;
            pending += refused;
        }
    }

    pub async fn count_members(&self, association: &AssociationId) -> Result<i64, StoreError> {
        let (count,): (i64,) = read!(self, |pool| {
            sqlx::query_as("SELECT COUNT(*) FROM members WHERE association_id = $1")
                .bind(association.as_str())
                .fetch_one(pool)
                .await
        })?;
        Ok(count)
    }

    pub async fn member_by_pseudonym(
        &self,
        association: &AssociationId,
        pseudonym: &Pseudonym,
    ) -> Result<Option<MemberRecord>, StoreError> {
        let row = read!(self, |pool| {
            sqlx::query_as(&format!(
                "SELECT {MEMBER_COLUMNS} FROM members WHERE association_id = $1 AND pseudonym_key = $2"
            ))
            .bind(association.as_str())
            .bind(pseudonym.key())
            .fetch_optional(pool)
            .await
        })?;
        Ok(row)
    }
}

impl Store {
    pub async fn credentials_by_email(
        &self,
        association: &AssociationId,
        email_key: &str,
    ) -> Result<Option<Credentials>, StoreError> {
        let row = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, password_hash, status, role, (totp_secret IS NOT NULL) AS has_totp, \
                 EXISTS (SELECT 1 FROM passkeys p WHERE p.association_id = members.association_id \
                 AND p.member_id = members.id) AS has_passkey FROM members \
                 WHERE association_id = $1 AND email_key = $2",
            )
            .bind(association.as_str())
            .bind(email_key)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row)
    }
}

pub(crate) fn bind_member<'q, DB: sqlx::Database>(
    query: sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments<'q>>,
    new: &'q NewMember,
) -> sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments<'q>>
where
    &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    DateTime<Utc>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    bool: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    query
        .bind(new.id.as_str())
        .bind(new.association_id.as_str())
        .bind(new.email.as_str())
        .bind(new.email.key())
        .bind(new.pseudonym.as_str())
        .bind(new.pseudonym.key())
        .bind(new.password_hash.as_str())
        .bind(new.role.as_str())
        .bind(new.status.as_str())
        .bind(new.discoverable)
        .bind(new.created_at)
        .bind(new.pseudonym.skeleton_key())
}
