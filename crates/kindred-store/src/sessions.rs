//! store::sessions — signed-in sessions of the pages and the API, kept
//! only as hashes of their secrets.

use crate::members::{MemberRecord, MEMBER_COLUMNS_M};
use crate::{read, write, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::{AssociationId, MemberId};

pub struct NewSession<'a> {
    pub id: &'a str,
    pub token_hash: &'a str,
    pub association_id: &'a AssociationId,
    pub member_id: &'a MemberId,
    /// "web" or "api".
    pub kind: &'static str,
    pub second_factor_pending: bool,
    pub client: &'a str,
    pub now: DateTime<Utc>,
    pub idle_expires_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A live session, found by its secret, with its member.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub id: String,
    pub kind: String,
    pub second_factor_pending: bool,
    pub last_used_at: DateTime<Utc>,
    pub member: MemberRecord,
}

/// A session as its owner sees it in the list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionSummary {
    pub id: String,
    pub kind: String,
    pub client: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    session_id: String,
    session_kind: String,
    second_factor_pending: bool,
    last_used_at: DateTime<Utc>,
    token_hash: String,
    #[sqlx(flatten)]
    member: MemberRecord,
}

impl Store {
    pub async fn insert_session(&self, new: &NewSession<'_>) -> Result<(), StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            // A sign-in is what keeps an account from being erased as
            // inactive (service::jobs retention): it also takes back a warning.
            sqlx::query(
                "UPDATE members SET last_active_at = $3, inactivity_warned_at = NULL \
                 WHERE association_id = $1 AND id = $2",
            )
            .bind(new.association_id.as_str())
            .bind(new.member_id.as_str())
            .bind(new.now)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO sessions (id, token_hash, association_id, member_id, kind, second_factor_pending, client, \
                 created_at, last_used_at, idle_expires_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10)",
            )
            .bind(new.id)
            .bind(new.token_hash)
            .bind(new.association_id.as_str())
            .bind(new.member_id.as_str())
            .bind(new.kind)
            .bind(new.second_factor_pending)
            .bind(new.client)
            .bind(new.now)
            .bind(new.idle_expires_at)
            .bind(new.expires_at)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(())
    }

    /// The live session of a secret in this association, with its member.
    pub async fn session_by_token(
        &self,
        association: &AssociationId,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<SessionRecord>, StoreError> {
        let found = self.sessions_by_tokens(association, &[token_hash.to_owned()], now).await?;
        Ok(found.into_iter().next().map(|(_, record)| record))
    }

    /// [`Store::session_by_token`] for many secrets at once (the sockets a
    /// node delivers one event to): `(hash, session)` for each secret that
    /// is a live session; the others are absent. The same query, with the
    /// hashes as a list, in one statement per [`crate::IN_CHUNK`] hashes.
    pub async fn sessions_by_tokens(
        &self,
        association: &AssociationId,
        token_hashes: &[String],
        now: DateTime<Utc>,
    ) -> Result<Vec<(String, SessionRecord)>, StoreError> {
        let mut found = Vec::new();
        for chunk in token_hashes.chunks(crate::IN_CHUNK) {
            let sql = format!(
                "SELECT s.id AS session_id, s.kind AS session_kind, s.second_factor_pending, s.last_used_at, \
                 s.token_hash, {MEMBER_COLUMNS_M} FROM sessions s \
                 JOIN members m ON m.id = s.member_id AND m.association_id = s.association_id \
                 WHERE s.association_id = $1 AND s.expires_at > $2 AND s.idle_expires_at > $2 \
                 AND s.token_hash IN ({})",
                crate::placeholders(3, chunk.len())
            );
            let rows: Vec<SessionRow> = read!(self, |pool| {
                let mut query = sqlx::query_as(&sql).bind(association.as_str()).bind(now);
                for hash in chunk {
                    query = query.bind(hash.as_str());
                }
                query.fetch_all(pool).await
            })?;
            found.extend(rows.into_iter().map(|r| {
                let record = SessionRecord {
                    id: r.session_id,
                    kind: r.session_kind,
                    second_factor_pending: r.second_factor_pending,
                    last_used_at: r.last_used_at,
                    member: r.member,
                };
                (r.token_hash, record)
            }));
        }
        Ok(found)
    }

    /// Marks sessions (of one kind) as used now, extending their idle
    /// limit (never past their absolute limit, which the queries check
    /// separately).
    pub async fn touch_sessions(
        &self,
        association: &AssociationId,
        ids: &[String],
        now: DateTime<Utc>,
        idle_expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        for chunk in ids.chunks(crate::IN_CHUNK) {
            let sql = format!(
                "UPDATE sessions SET last_used_at = $2, idle_expires_at = $3 WHERE association_id = $1 AND id IN ({})",
                crate::placeholders(4, chunk.len())
            );
            write!(self, |pool| {
                let mut query = sqlx::query(&sql).bind(association.as_str()).bind(now).bind(idle_expires_at);
                for id in chunk {
                    query = query.bind(id.as_str());
                }
                query.execute(pool).await.map(|_| ())
            })?;
        }
        Ok(())
    }

    /// The second factor was given: the session is complete.
    pub async fn complete_session(&self, association: &AssociationId, id: &str) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query("UPDATE sessions SET second_factor_pending = FALSE WHERE association_id = $1 AND id = $2")
                .bind(association.as_str())
                .bind(id)
                .execute(pool)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    /// A member's live sessions, newest use first.
    pub async fn sessions_of(
        &self,
        association: &AssociationId,
        member: &MemberId,
        now: DateTime<Utc>,
    ) -> Result<Vec<SessionSummary>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, kind, client, created_at, last_used_at FROM sessions \
                 WHERE association_id = $1 AND member_id = $2 AND expires_at > $3 AND idle_expires_at > $3 \
                 ORDER BY last_used_at DESC, id",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(now)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// Ends one session by its secret; true when it existed.
    pub async fn delete_session_by_token(
        &self,
        association: &AssociationId,
        token_hash: &str,
    ) -> Result<bool, StoreError> {
        let affected = write!(self, |pool| {
            sqlx::query("DELETE FROM sessions WHERE association_id = $1 AND token_hash = $2")
                .bind(association.as_str())
                .bind(token_hash)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(affected > 0)
    }

    /// Ends one of a member's sessions by its public id; true when it existed.
    pub async fn delete_session(
        &self,
        association: &AssociationId,
        member: &MemberId,
        id: &str,
    ) -> Result<bool, StoreError> {
        let affected = write!(self, |pool| {
            sqlx::query("DELETE FROM sessions WHERE association_id = $1 AND member_id = $2 AND id = $3")
                .bind(association.as_str())
                .bind(member.as_str())
                .bind(id)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(affected > 0)
    }

    /// Ends all of a member's sessions but `keep` (e.g. after a password change).
    pub async fn delete_sessions_except(
        &self,
        association: &AssociationId,
        member: &MemberId,
        keep: Option<&str>,
    ) -> Result<u64, StoreError> {
        let affected = write!(self, |pool| {
            sqlx::query("DELETE FROM sessions WHERE association_id = $1 AND member_id = $2 AND id <> $3")
                .bind(association.as_str())
                .bind(member.as_str())
                .bind(keep.unwrap_or(""))
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(affected)
    }
}
