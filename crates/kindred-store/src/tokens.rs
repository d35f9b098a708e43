//! store::tokens — API bearer tokens, kept only as hashes.

use crate::members::MemberRecord;
use crate::{read, write, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::{AssociationId, MemberId};

pub struct NewToken<'a> {
    pub token_hash: &'a str,
    pub association_id: &'a AssociationId,
    pub member_id: &'a MemberId,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl Store {
    pub async fn insert_token(&self, new: &NewToken<'_>) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "INSERT INTO api_tokens (token_hash, association_id, member_id, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(new.token_hash)
            .bind(new.association_id.as_str())
            .bind(new.member_id.as_str())
            .bind(new.created_at)
            .bind(new.expires_at)
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// The member a token belongs to, if the token is unexpired and of this association.
    pub async fn member_for_token(
        &self,
        association: &AssociationId,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<MemberRecord>, StoreError> {
        let row = read!(self, |pool| {
            sqlx::query_as(
                "SELECT m.id, m.association_id, m.email, m.pseudonym, m.role, m.status, m.discoverable, m.created_at \
                 FROM api_tokens t JOIN members m ON m.id = t.member_id AND m.association_id = t.association_id \
                 WHERE t.association_id = $1 AND t.token_hash = $2 AND t.expires_at > $3",
            )
            .bind(association.as_str())
            .bind(token_hash)
            .bind(now)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row)
    }

    /// Ends one token; true when it existed.
    pub async fn delete_token(&self, association: &AssociationId, token_hash: &str) -> Result<bool, StoreError> {
        let affected = write!(self, |pool| {
            sqlx::query("DELETE FROM api_tokens WHERE association_id = $1 AND token_hash = $2")
                .bind(association.as_str())
                .bind(token_hash)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(affected > 0)
    }
}
