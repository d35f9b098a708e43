//! store::admission — the verification procedures: the member list (keyed
//! hashes only), postal letters, invitation codes and the staff's queue.
//! Each procedure that succeeds activates the member in the same
//! transaction that consumes its code.

use crate::{read, write, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::{AssociationId, MemberId};

/// A letter that waits for its code.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LetterState {
    pub code_hash: Option<String>,
    pub attempts: i64,
    pub expires_at: DateTime<Utc>,
    pub confirmed_at: Option<DateTime<Utc>>,
}

/// A letter to print: whose, and the sealed address with its code.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LetterToPrint {
    pub member_id: String,
    pub sealed_address: Vec<u8>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PendingVerification {
    pub member_id: String,
    pub pseudonym: String,
    pub procedure: String,
    pub requested_at: DateTime<Utc>,
}

/// A batch of new invitation codes.
pub struct NewInvitations<'a> {
    pub code_hashes: &'a [String],
    pub batch_id: &'a str,
    pub label: Option<&'a str>,
    pub created_by: &'a MemberId,
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// One batch of invitation codes as staff see it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InvitationBatch {
    pub batch_id: Option<String>,
    pub label: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub total: i64,
    pub used: i64,
    pub revoked: i64,
}

/// Statements that activate an unverified member and clear their request;
/// run inside the caller's transaction.
const ACTIVATE: &str =
    "UPDATE members SET status = 'active' WHERE association_id = $1 AND id = $2 AND status = 'unverified'";
const CLEAR_REQUEST: &str = "DELETE FROM verification_requests WHERE association_id = $1 AND member_id = $2";

/// Rows per INSERT statement when importing a member list.
const IMPORT_CHUNK: usize = 400;

impl Store {
    /// Replaces the member list: entries in `hashes` are kept or added,
    /// unused entries not in it are removed; used ones stay (they name an
    /// activated account). Returns how many entries the list now holds.
    pub async fn replace_member_list(
        &self,
        association: &AssociationId,
        hashes: &[String],
        import_id: &str,
    ) -> Result<u64, StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            for chunk in hashes.chunks(IMPORT_CHUNK) {
                let values: Vec<String> = (0..chunk.len()).map(|i| format!("($1, ${}, $2)", i + 3)).collect();
                let sql = format!(
                    "INSERT INTO member_list (association_id, entry_hash, import_id) VALUES {} \
                     ON CONFLICT (association_id, entry_hash) DO UPDATE SET import_id = excluded.import_id",
                    values.join(", ")
                );
                let mut query = sqlx::query(&sql).bind(association.as_str()).bind(import_id);
                for hash in chunk {
                    query = query.bind(hash.as_str());
                }
                query.execute(&mut *tx).await?;
            }
            sqlx::query("DELETE FROM member_list WHERE association_id = $1 AND import_id <> $2 AND used_by IS NULL")
                .bind(association.as_str())
                .bind(import_id)
                .execute(&mut *tx)
                .await?;
            let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM member_list WHERE association_id = $1")
                .bind(association.as_str())
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(u64::try_from(count).unwrap_or(0))
        })
    }

    /// Claims an unused member-list entry for an unverified member and
    /// activates them; false when there is no such entry.
    pub async fn verify_by_member_number(
        &self,
        association: &AssociationId,
        member: &MemberId,
        entry_hash: &str,
    ) -> Result<bool, StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let claimed = sqlx::query(
                "UPDATE member_list SET used_by = $2 WHERE association_id = $1 AND entry_hash = $3 AND used_by IS NULL",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(entry_hash)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if claimed == 0 {
                return Ok(false);
            }
            let activated = sqlx::query(ACTIVATE)
                .bind(association.as_str())
                .bind(member.as_str())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if activated == 0 {
                // Not unverified (any more): leave the entry unclaimed.
                return Ok(false);
            }
            sqlx::query(CLEAR_REQUEST).bind(association.as_str()).bind(member.as_str()).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Records a letter request (replacing an earlier one) and queues it.
    pub async fn request_letter(
        &self,
        association: &AssociationId,
        member: &MemberId,
        sealed_address: &[u8],
        code_hash: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO letters (association_id, member_id, sealed_address, code_hash, attempts, created_at, \
                 expires_at) VALUES ($1, $2, $3, $4, 0, $5, $6) \
                 ON CONFLICT (association_id, member_id) DO UPDATE SET sealed_address = excluded.sealed_address, \
                 code_hash = excluded.code_hash, attempts = 0, created_at = excluded.created_at, \
                 expires_at = excluded.expires_at, printed_at = NULL, confirmed_at = NULL",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(sealed_address)
            .bind(code_hash)
            .bind(now)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
            upsert_request_sql(&mut tx, association, member, "letter", now).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn letter_state(
        &self,
        association: &AssociationId,
        member: &MemberId,
    ) -> Result<Option<LetterState>, StoreError> {
        let row = read!(self, |pool| {
            sqlx::query_as(
                "SELECT code_hash, attempts, expires_at, confirmed_at FROM letters \
                 WHERE association_id = $1 AND member_id = $2",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .fetch_optional(pool)
            .await
        })?;
        Ok(row)
    }

    /// Counts one attempt at a letter's code; the count after it.
    pub async fn count_letter_attempt(
        &self,
        association: &AssociationId,
        member: &MemberId,
    ) -> Result<i64, StoreError> {
        let row: Option<(i64,)> = write!(self, |pool| {
            sqlx::query_as(
                "UPDATE letters SET attempts = attempts + 1 WHERE association_id = $1 AND member_id = $2 \
                 RETURNING attempts",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .fetch_optional(pool)
            .await
        })?;
        Ok(row.map(|(n,)| n).unwrap_or(i64::MAX))
    }

    /// The code was right: erase the address and code, activate the member.
    pub async fn confirm_letter(
        &self,
        association: &AssociationId,
        member: &MemberId,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let confirmed = sqlx::query(
                "UPDATE letters SET sealed_address = NULL, code_hash = NULL, confirmed_at = $3 \
                 WHERE association_id = $1 AND member_id = $2 AND confirmed_at IS NULL",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if confirmed == 0 {
                return Ok(false);
            }
            sqlx::query(ACTIVATE).bind(association.as_str()).bind(member.as_str()).execute(&mut *tx).await?;
            sqlx::query(CLEAR_REQUEST).bind(association.as_str()).bind(member.as_str()).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Letters that wait to be printed or confirmed, oldest first.
    pub async fn letters_to_print(
        &self,
        association: &AssociationId,
        now: DateTime<Utc>,
    ) -> Result<Vec<LetterToPrint>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT member_id, sealed_address, created_at FROM letters WHERE association_id = $1 \
                 AND confirmed_at IS NULL AND sealed_address IS NOT NULL AND expires_at > $2 \
                 ORDER BY created_at, member_id",
            )
            .bind(association.as_str())
            .bind(now)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// Stores a batch of invitation codes (as keyed hashes) under one
    /// batch id and the label staff gave it.
    pub async fn insert_invitations(
        &self,
        association: &AssociationId,
        batch: &NewInvitations<'_>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            for hash in batch.code_hashes {
                sqlx::query(
                    "INSERT INTO invitations (association_id, code_hash, created_by, created_at, expires_at, batch_id, label) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(association.as_str())
                .bind(hash.as_str())
                .bind(batch.created_by.as_str())
                .bind(batch.now)
                .bind(batch.expires_at)
                .bind(batch.batch_id)
                .bind(batch.label)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// The batches of invitation codes, newest first, with how many of
    /// each were used and revoked. Codes made before batches existed form
    /// one batch without id.
    pub async fn invitation_batches(
        &self,
        association: &AssociationId,
        limit: i64,
    ) -> Result<Vec<InvitationBatch>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT batch_id, MAX(label) AS label, MIN(created_at) AS created_at, MAX(expires_at) AS expires_at, \
                 COUNT(*) AS total, COUNT(used_at) AS used, COUNT(revoked_at) AS revoked \
                 FROM invitations WHERE association_id = $1 GROUP BY batch_id \
                 ORDER BY MIN(created_at) DESC, batch_id LIMIT $2",
            )
            .bind(association.as_str())
            .bind(limit)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// Revokes the unused codes of a batch; how many were revoked.
    pub async fn revoke_invitation_batch(
        &self,
        association: &AssociationId,
        batch_id: &str,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        write!(self, |pool| {
            let n = sqlx::query(
                "UPDATE invitations SET revoked_at = $3 WHERE association_id = $1 AND batch_id = $2 \
                 AND used_at IS NULL AND revoked_at IS NULL",
            )
            .bind(association.as_str())
            .bind(batch_id)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected();
            Ok(n)
        })
    }

    /// Revokes one unused code by its hash; whether there was such a code.
    pub async fn revoke_invitation_code(
        &self,
        association: &AssociationId,
        code_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        write!(self, |pool| {
            let n = sqlx::query(
                "UPDATE invitations SET revoked_at = $3 WHERE association_id = $1 AND code_hash = $2 \
                 AND used_at IS NULL AND revoked_at IS NULL",
            )
            .bind(association.as_str())
            .bind(code_hash)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected();
            Ok(n == 1)
        })
    }

    /// Uses an unused, unexpired invitation for an unverified member and
    /// activates them; false when there is no such invitation.
    pub async fn verify_by_invitation(
        &self,
        association: &AssociationId,
        member: &MemberId,
        code_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let used = sqlx::query(
                "UPDATE invitations SET used_by = $2, used_at = $4 WHERE association_id = $1 AND code_hash = $3 \
                 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $4",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(code_hash)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if used == 0 {
                return Ok(false);
            }
            let activated = sqlx::query(ACTIVATE)
                .bind(association.as_str())
                .bind(member.as_str())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if activated == 0 {
                return Ok(false);
            }
            sqlx::query(CLEAR_REQUEST).bind(association.as_str()).bind(member.as_str()).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Puts a member into the staff's queue under a procedure (or moves them).
    pub async fn request_verification(
        &self,
        association: &AssociationId,
        member: &MemberId,
        procedure: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            upsert_request_sql(&mut tx, association, member, procedure, now).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Every unverified member, oldest request first.
    pub async fn pending_verifications(
        &self,
        association: &AssociationId,
    ) -> Result<Vec<PendingVerification>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT m.id AS member_id, m.pseudonym, COALESCE(r.procedure, 'none') AS procedure, \
                 COALESCE(r.requested_at, m.email_confirmed_at, m.created_at) AS requested_at \
                 FROM members m LEFT JOIN verification_requests r \
                 ON r.association_id = m.association_id AND r.member_id = m.id \
                 WHERE m.association_id = $1 AND m.status = 'unverified' AND r.declined_at IS NULL \
                 ORDER BY requested_at, m.id",
            )
            .bind(association.as_str())
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// How many members wait in the staff's queue (as [`Store::pending_verifications`] counts them).
    pub async fn count_pending_verifications(&self, association: &AssociationId) -> Result<i64, StoreError> {
        let (n,): (i64,) = read!(self, |pool| {
            sqlx::query_as(
                "SELECT COUNT(*) FROM members m LEFT JOIN verification_requests r \
                 ON r.association_id = m.association_id AND r.member_id = m.id \
                 WHERE m.association_id = $1 AND m.status = 'unverified' AND r.declined_at IS NULL",
            )
            .bind(association.as_str())
            .fetch_one(pool)
            .await
        })?;
        Ok(n)
    }

    /// Staff declined an unverified member's request: it leaves the queue,
    /// and a pending letter's address and code are erased (keep little).
    /// False when the member is not unverified (nothing changes).
    pub async fn decline_verification(
        &self,
        association: &AssociationId,
        member: &MemberId,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let waiting: Option<(String,)> = sqlx::query_as(
                "SELECT id FROM members WHERE association_id = $1 AND id = $2 AND status = 'unverified'",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .fetch_optional(&mut *tx)
            .await?;
            if waiting.is_none() {
                return Ok(false);
            }
            sqlx::query(
                "INSERT INTO verification_requests (association_id, member_id, procedure, requested_at, declined_at) \
                 VALUES ($1, $2, 'none', $3, $3) ON CONFLICT (association_id, member_id) \
                 DO UPDATE SET declined_at = excluded.declined_at",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM letters WHERE association_id = $1 AND member_id = $2 AND confirmed_at IS NULL")
                .bind(association.as_str())
                .bind(member.as_str())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// A pending letter's sealed address, if the member has one waiting.
    pub async fn pending_letter(
        &self,
        association: &AssociationId,
        member: &MemberId,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let row: Option<(Vec<u8>,)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT sealed_address FROM letters WHERE association_id = $1 AND member_id = $2 \
                 AND confirmed_at IS NULL AND sealed_address IS NOT NULL",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .fetch_optional(pool)
            .await
        })?;
        Ok(row.map(|(bytes,)| bytes))
    }

    /// A member's own request, if any.
    pub async fn verification_request(
        &self,
        association: &AssociationId,
        member: &MemberId,
    ) -> Result<Option<(String, DateTime<Utc>)>, StoreError> {
        let row = read!(self, |pool| {
            sqlx::query_as(
                "SELECT procedure, requested_at FROM verification_requests WHERE association_id = $1 AND member_id = $2",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .fetch_optional(pool)
            .await
        })?;
        Ok(row)
    }
}

async fn upsert_request_sql<'c, DB>(
    tx: &mut sqlx::Transaction<'c, DB>,
    association: &AssociationId,
    member: &MemberId,
    procedure: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error>
where
    DB: sqlx::Database,
    for<'e> &'e mut <DB as sqlx::Database>::Connection: sqlx::Executor<'e, Database = DB>,
    for<'q> <DB as sqlx::Database>::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
    for<'q> &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> DateTime<Utc>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    sqlx::query(
        "INSERT INTO verification_requests (association_id, member_id, procedure, requested_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (association_id, member_id) \
         DO UPDATE SET procedure = excluded.procedure, requested_at = excluded.requested_at, declined_at = NULL",
    )
    .bind(association.as_str())
    .bind(member.as_str())
    .bind(procedure)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
