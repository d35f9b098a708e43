//! store::passkeys — members' passkeys (WebAuthn credentials: public keys
//! only) and the registration and authentication ceremonies in progress.
//!
//! A ceremony lives in the database, not in a node's memory, so that the
//! request that finishes it may reach another node. It is single use: taking
//! it deletes it.

use crate::{read, write, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::{AssociationId, MemberId};

/// How many ceremonies a member may have open at once; starting another
/// drops the oldest.
const OPEN_CHALLENGES: i64 = 4;

/// A new passkey.
pub struct NewPasskey<'a> {
    pub association_id: &'a AssociationId,
    pub member_id: &'a MemberId,
    pub id: &'a str,
    /// The authenticator's credential id, base64url.
    pub credential_id: &'a str,
    pub name: &'a str,
    /// The serialised credential (public key, algorithm, counter).
    pub credential: &'a str,
    pub created_at: DateTime<Utc>,
}

/// A stored passkey.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PasskeyRecord {
    pub id: String,
    pub credential_id: String,
    pub name: String,
    pub credential: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A ceremony in progress.
pub struct NewChallenge<'a> {
    pub association_id: &'a AssociationId,
    pub id: &'a str,
    pub member_id: &'a MemberId,
    /// "register" or "authenticate".
    pub purpose: &'static str,
    /// The serialised state of the ceremony.
    pub state: &'a str,
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl Store {
    /// Adds a passkey. With `recovery_hashes`, also gives the member those
    /// recovery codes, but only if they have none yet; returns whether they
    /// were given. A credential id already registered in the association is
    /// a [`crate::Conflict::Other`].
    pub async fn insert_passkey(&self, new: &NewPasskey<'_>, recovery_hashes: &[String]) -> Result<bool, StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO passkeys (association_id, member_id, id, credential_id, name, credential, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(new.association_id.as_str())
            .bind(new.member_id.as_str())
            .bind(new.id)
            .bind(new.credential_id)
            .bind(new.name)
            .bind(new.credential)
            .bind(new.created_at)
            .execute(&mut *tx)
            .await?;
            let (existing,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM recovery_codes WHERE association_id = $1 AND member_id = $2")
                    .bind(new.association_id.as_str())
                    .bind(new.member_id.as_str())
                    .fetch_one(&mut *tx)
                    .await?;
            let give = existing == 0 && !recovery_hashes.is_empty();
            if give {
                for hash in recovery_hashes {
                    sqlx::query(
                        "INSERT INTO recovery_codes (association_id, member_id, code_hash) VALUES ($1, $2, $3)",
                    )
                    .bind(new.association_id.as_str())
                    .bind(new.member_id.as_str())
                    .bind(hash)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            tx.commit().await?;
            Ok(give)
        })
    }

    /// A member's passkeys, oldest first.
    pub async fn passkeys_of(
        &self,
        association: &AssociationId,
        member: &MemberId,
    ) -> Result<Vec<PasskeyRecord>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, credential_id, name, credential, created_at, last_used_at FROM passkeys \
                 WHERE association_id = $1 AND member_id = $2 ORDER BY created_at, id",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// Removes one of a member's passkeys; false if there is no such passkey
    /// of theirs. When it was their last second factor (no passkey left, no
    /// authenticator app), their recovery codes go too, as when the app is
    /// removed.
    pub async fn delete_passkey(
        &self,
        association: &AssociationId,
        member: &MemberId,
        id: &str,
    ) -> Result<bool, StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let deleted = sqlx::query("DELETE FROM passkeys WHERE association_id = $1 AND member_id = $2 AND id = $3")
                .bind(association.as_str())
                .bind(member.as_str())
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if deleted > 0 {
                sqlx::query(
                    "DELETE FROM recovery_codes WHERE association_id = $1 AND member_id = $2 \
                     AND NOT EXISTS (SELECT 1 FROM passkeys p WHERE p.association_id = $1 AND p.member_id = $2) \
                     AND NOT EXISTS (SELECT 1 FROM members m WHERE m.association_id = $1 AND m.id = $2 \
                     AND m.totp_secret IS NOT NULL)",
                )
                .bind(association.as_str())
                .bind(member.as_str())
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(deleted > 0)
        })
    }

    /// Records a sign-in with a passkey, with its updated credential (the
    /// signature counter) when it changed.
    pub async fn use_passkey(
        &self,
        association: &AssociationId,
        member: &MemberId,
        id: &str,
        credential: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "UPDATE passkeys SET last_used_at = $4, credential = COALESCE($5, credential) \
                 WHERE association_id = $1 AND member_id = $2 AND id = $3",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(id)
            .bind(now)
            .bind(credential)
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// Stores a ceremony in progress. Expired ceremonies of the association
    /// go, and so do the member's oldest beyond a few open ones.
    pub async fn insert_webauthn_challenge(&self, new: &NewChallenge<'_>) -> Result<(), StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM webauthn_challenges WHERE association_id = $1 AND expires_at <= $2")
                .bind(new.association_id.as_str())
                .bind(new.now)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "DELETE FROM webauthn_challenges WHERE association_id = $1 AND member_id = $2 AND id NOT IN \
                 (SELECT id FROM webauthn_challenges WHERE association_id = $1 AND member_id = $2 \
                 ORDER BY expires_at DESC, id LIMIT $3)",
            )
            .bind(new.association_id.as_str())
            .bind(new.member_id.as_str())
            .bind(OPEN_CHALLENGES - 1)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO webauthn_challenges (association_id, id, member_id, purpose, state, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(new.association_id.as_str())
            .bind(new.id)
            .bind(new.member_id.as_str())
            .bind(new.purpose)
            .bind(new.state)
            .bind(new.expires_at)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Takes a ceremony of this member and purpose: its state if it is still
    /// valid, and it is gone either way. Atomic, so two requests cannot both
    /// win. Another member's ceremony is neither returned nor touched.
    pub async fn take_webauthn_challenge(
        &self,
        association: &AssociationId,
        id: &str,
        member: &MemberId,
        purpose: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, StoreError> {
        let row: Option<(String, DateTime<Utc>)> = write!(self, |pool| {
            sqlx::query_as(
                "DELETE FROM webauthn_challenges WHERE association_id = $1 AND id = $2 AND member_id = $3 \
                 AND purpose = $4 RETURNING state, expires_at",
            )
            .bind(association.as_str())
            .bind(id)
            .bind(member.as_str())
            .bind(purpose)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row.filter(|(_, expires_at)| *expires_at > now).map(|(state, _)| state))
    }
}
