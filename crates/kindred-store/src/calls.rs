//! store::calls — calls in conversations, who is in them, and the set-up
//! messages on their way between two members (service::calls decides who
//! may do what).

use crate::{placeholders, read, write, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::AssociationId;

/// A call as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CallRecord {
    pub id: String,
    pub conversation_id: String,
    /// `None` once that account is erased.
    pub started_by: Option<String>,
    pub video: bool,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
}

/// A new call and the member who starts it (who is in it at once).
pub struct NewCall<'a> {
    pub association: &'a AssociationId,
    pub id: &'a str,
    pub conversation: &'a str,
    pub started_by: &'a str,
    pub video: bool,
    pub at: DateTime<Utc>,
    /// Open calls that began before this are over (see `LONGEST_CALL_HOURS`).
    pub stale_before: DateTime<Utc>,
}

/// What starting a call did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Started {
    New,
    /// The conversation already had an open call: the starter joined it.
    Joined(String),
}

/// A member in a call, with what the disclosure rule needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CallParticipantRecord {
    pub member_id: String,
    pub pseudonym: String,
    pub role: String,
    pub status: String,
}

/// A set-up message on its way.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CallSignalRecord {
    pub call_id: String,
    pub from_member: String,
    pub to_member: String,
    pub sealed_payload: Vec<u8>,
    pub sent_at: DateTime<Utc>,
}

/// A call a member was in, for their export.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OwnCallRecord {
    pub call_id: String,
    pub conversation_id: String,
    pub video: bool,
    pub started_by_me: bool,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub joined_at: DateTime<Utc>,
    pub left_at: Option<DateTime<Utc>>,
}

/// A call of a conversation as its page lists it among the messages.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CallLineRecord {
    pub id: String,
    pub video: bool,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    /// Whether the viewer was in it at some point.
    pub joined: bool,
}

const CALL: &str = "SELECT id, conversation_id, started_by, video, started_at, ended_at FROM calls";

impl Store {
    /// Starts a call — or, where the conversation has an open call
    /// already, joins the starter to that one. One open call per
    /// conversation (a unique index), whoever starts at the same moment.
    pub async fn start_call(&self, new: &NewCall<'_>) -> Result<Started, StoreError> {
        let association = new.association.as_str();
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "UPDATE calls SET ended_at = $3 WHERE association_id = $1 AND conversation_id = $2 \
                 AND ended_at IS NULL AND started_at < $4",
            )
            .bind(association)
            .bind(new.conversation)
            .bind(new.at)
            .bind(new.stale_before)
            .execute(&mut *tx)
            .await?;
            let inserted = sqlx::query(
                "INSERT INTO calls (association_id, id, conversation_id, started_by, video, started_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (association_id, conversation_id) WHERE ended_at IS NULL DO NOTHING",
            )
            .bind(association)
            .bind(new.id)
            .bind(new.conversation)
            .bind(new.started_by)
            .bind(new.video)
            .bind(new.at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let (call, started) = if inserted == 1 {
                (new.id.to_owned(), Started::New)
            } else {
                let (open,): (String,) = sqlx::query_as(
                    "SELECT id FROM calls WHERE association_id = $1 AND conversation_id = $2 AND ended_at IS NULL",
                )
                .bind(association)
                .bind(new.conversation)
                .fetch_one(&mut *tx)
                .await?;
                (open.clone(), Started::Joined(open))
            };
            sqlx::query(
                "INSERT INTO call_members (association_id, call_id, member_id, joined_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (association_id, call_id, member_id) DO UPDATE SET joined_at = $4, left_at = NULL",
            )
            .bind(association)
            .bind(&call)
            .bind(new.started_by)
            .bind(new.at)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(started)
        })
        .map_err(Into::into)
    }

    pub async fn call(&self, association: &AssociationId, id: &str) -> Result<Option<CallRecord>, StoreError> {
        let sql = format!("{CALL} WHERE association_id = $1 AND id = $2");
        Ok(read!(self, |pool| { sqlx::query_as(&sql).bind(association.as_str()).bind(id).fetch_optional(pool).await })?)
    }

    /// The conversation's open call, if any (begun after `stale_before`).
    pub async fn open_call(
        &self,
        association: &AssociationId,
        conversation: &str,
        stale_before: DateTime<Utc>,
    ) -> Result<Option<CallRecord>, StoreError> {
        let sql = format!(
            "{CALL} WHERE association_id = $1 AND conversation_id = $2 AND ended_at IS NULL AND started_at >= $3"
        );
        Ok(read!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(association.as_str())
                .bind(conversation)
                .bind(stale_before)
                .fetch_optional(pool)
                .await
        })?)
    }

    /// The members in the call now, in the order they joined.
    pub async fn call_participants(
        &self,
        association: &AssociationId,
        call: &str,
    ) -> Result<Vec<CallParticipantRecord>, StoreError> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT cm.member_id, m.pseudonym, m.role, m.status FROM call_members cm \
                 JOIN members m ON m.association_id = cm.association_id AND m.id = cm.member_id \
                 WHERE cm.association_id = $1 AND cm.call_id = $2 AND cm.left_at IS NULL \
                 ORDER BY cm.joined_at, cm.member_id",
            )
            .bind(association.as_str())
            .bind(call)
            .fetch_all(pool)
            .await
        })?)
    }

    /// Puts the member in the call (again); false when the call is over.
    pub async fn join_call(
        &self,
        association: &AssociationId,
        call: &str,
        member: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = write!(self, |pool| {
            sqlx::query(
                "INSERT INTO call_members (association_id, call_id, member_id, joined_at) \
                 SELECT $1, $2, $3, $4 WHERE EXISTS \
                   (SELECT 1 FROM calls WHERE association_id = $1 AND id = $2 AND ended_at IS NULL) \
                 ON CONFLICT (association_id, call_id, member_id) DO UPDATE SET joined_at = $4, left_at = NULL",
            )
            .bind(association.as_str())
            .bind(call)
            .bind(member)
            .bind(at)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(done > 0)
    }

    /// Takes the member out of the call; the last one out ends it.
    /// Answers whether the member was in it, and whether the call ended.
    pub async fn leave_call(
        &self,
        association: &AssociationId,
        call: &str,
        member: &str,
        at: DateTime<Utc>,
    ) -> Result<(bool, bool), StoreError> {
        let association = association.as_str();
        let left = write!(self, |pool| {
            let mut tx = pool.begin().await?;
            // Takes the call's row first: two last members leaving at once
            // on PostgreSQL must not each see the other still in it.
            sqlx::query("UPDATE calls SET ended_at = ended_at WHERE association_id = $1 AND id = $2")
                .bind(association)
                .bind(call)
                .execute(&mut *tx)
                .await?;
            let left = sqlx::query(
                "UPDATE call_members SET left_at = $4 \
                 WHERE association_id = $1 AND call_id = $2 AND member_id = $3 AND left_at IS NULL",
            )
            .bind(association)
            .bind(call)
            .bind(member)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let ended = sqlx::query(
                "UPDATE calls SET ended_at = $3 WHERE association_id = $1 AND id = $2 AND ended_at IS NULL \
                 AND NOT EXISTS (SELECT 1 FROM call_members WHERE association_id = $1 AND call_id = $2 \
                   AND left_at IS NULL)",
            )
            .bind(association)
            .bind(call)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await?;
            Ok::<_, sqlx::Error>((left > 0, ended > 0))
        })?;
        Ok(left)
    }

    /// Everyone who was ever in the call, in it now or not.
    pub async fn call_member_ids(&self, association: &AssociationId, call: &str) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = read!(self, |pool| {
            sqlx::query_as("SELECT member_id FROM call_members WHERE association_id = $1 AND call_id = $2")
                .bind(association.as_str())
                .bind(call)
                .fetch_all(pool)
                .await
        })?;
        Ok(rows.into_iter().map(|(m,)| m).collect())
    }

    /// Writes `missed_call` notifications about a conversation, `(id,
    /// member)` each, all or none. They name nobody: the conversation's
    /// page shows who, by its own rules.
    pub async fn insert_missed_calls(
        &self,
        association: &AssociationId,
        conversation: &str,
        notifications: &[(String, String)],
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if notifications.is_empty() {
            return Ok(());
        }
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            for (id, member) in notifications {
                sqlx::query(
                    "INSERT INTO notifications (association_id, id, member_id, kind, created_at, conversation_id) \
                     VALUES ($1, $2, $3, 'missed_call', $4, $5)",
                )
                .bind(association.as_str())
                .bind(id)
                .bind(member)
                .bind(at)
                .bind(conversation)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await
        })?;
        Ok(())
    }

    /// Ends the open calls that began before `before` (nobody left them;
    /// see `LONGEST_CALL_HOURS`); answers how many.
    pub async fn end_stale_calls(&self, before: DateTime<Utc>, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let done = write!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "UPDATE call_members SET left_at = $2 WHERE left_at IS NULL AND EXISTS (SELECT 1 FROM calls c \
                 WHERE c.association_id = call_members.association_id AND c.id = call_members.call_id \
                   AND c.ended_at IS NULL AND c.started_at < $1)",
            )
            .bind(before)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let ended = sqlx::query("UPDATE calls SET ended_at = $2 WHERE ended_at IS NULL AND started_at < $1")
                .bind(before)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            Ok::<_, sqlx::Error>(ended)
        })?;
        Ok(done)
    }

    pub async fn add_call_signal(
        &self,
        association: &AssociationId,
        id: &str,
        signal: &CallSignalRecord,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "INSERT INTO call_signals (association_id, id, call_id, from_member, to_member, sealed_payload, \
                 sent_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(association.as_str())
            .bind(id)
            .bind(&signal.call_id)
            .bind(&signal.from_member)
            .bind(&signal.to_member)
            .bind(&signal.sealed_payload)
            .bind(signal.sent_at)
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    pub async fn call_signal(
        &self,
        association: &AssociationId,
        id: &str,
    ) -> Result<Option<CallSignalRecord>, StoreError> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT call_id, from_member, to_member, sealed_payload, sent_at FROM call_signals \
                 WHERE association_id = $1 AND id = $2",
            )
            .bind(association.as_str())
            .bind(id)
            .fetch_optional(pool)
            .await
        })?)
    }

    /// Removes the set-up messages sent before `before`; answers how many.
    pub async fn delete_call_signals_before(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let done = write!(self, |pool| {
            sqlx::query("DELETE FROM call_signals WHERE sent_at < $1")
                .bind(before)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(done)
    }

    /// The blocks (either way) that touch any of `members`: `(blocker,
    /// blocked)` pairs — one read for every recipient of a call's news.
    pub async fn blocks_touching(
        &self,
        association: &AssociationId,
        members: &[String],
    ) -> Result<Vec<(String, String)>, StoreError> {
        if members.is_empty() {
            return Ok(Vec::new());
        }
        let mut pairs = Vec::new();
        for chunk in members.chunks(crate::IN_CHUNK / 2) {
            let list = placeholders(2, chunk.len());
            let sql = format!(
                "SELECT blocker_id, blocked_id FROM blocks WHERE association_id = $1 \
                 AND (blocker_id IN ({list}) OR blocked_id IN ({list}))"
            );
            let rows: Vec<(String, String)> = read!(self, |pool| {
                let mut query = sqlx::query_as(&sql).bind(association.as_str());
                for member in chunk {
                    query = query.bind(member);
                }
                query.fetch_all(pool).await
            })?;
            pairs.extend(rows);
        }
        Ok(pairs)
    }

    /// The open calls the member is in and joined at or before `before`
    /// (in `conversation` only, when given), each with whether it is a
    /// group's chat's (`service::calls`: a member whose live connection
    /// went, or who left the conversation or the group).
    pub async fn calls_joined_before(
        &self,
        association: &AssociationId,
        member: &str,
        before: DateTime<Utc>,
        conversation: Option<&str>,
    ) -> Result<Vec<(CallRecord, bool)>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            call: CallRecord,
            in_group: bool,
        }
        let rows: Vec<Row> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT c.id, c.conversation_id, c.started_by, c.video, c.started_at, c.ended_at, \
                 (v.group_id IS NOT NULL) AS in_group \
                 FROM call_members cm \
                 JOIN calls c ON c.association_id = cm.association_id AND c.id = cm.call_id \
                 JOIN conversations v ON v.association_id = c.association_id AND v.id = c.conversation_id \
                 WHERE cm.association_id = $1 AND cm.member_id = $2 AND cm.left_at IS NULL \
                 AND cm.joined_at <= $3 AND c.ended_at IS NULL AND ($4 IS NULL OR c.conversation_id = $4)",
            )
            .bind(association.as_str())
            .bind(member)
            .bind(before)
            .bind(conversation)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().map(|r| (r.call, r.in_group)).collect())
    }

    /// The calls of a conversation started within `[from, to]` (either end
    /// open when `None`), newest first, at most `limit`, each with whether
    /// `viewer` was in it.
    pub async fn conversation_calls(
        &self,
        association: &AssociationId,
        conversation: &str,
        viewer: &str,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        limit: i64,
    ) -> Result<Vec<CallLineRecord>, StoreError> {
        let mut sql = "SELECT c.id, c.video, c.started_at, c.ended_at, EXISTS (SELECT 1 FROM call_members cm \
             WHERE cm.association_id = c.association_id AND cm.call_id = c.id AND cm.member_id = $3) AS joined \
             FROM calls c WHERE c.association_id = $1 AND c.conversation_id = $2"
            .to_owned();
        let mut next = 4;
        for (bound, op) in [(from, ">="), (to, "<=")] {
            if bound.is_some() {
                sql.push_str(&format!(" AND c.started_at {op} ${next}"));
                next += 1;
            }
        }
        sql.push_str(&format!(" ORDER BY c.started_at DESC, c.id DESC LIMIT {}", limit.clamp(1, 200)));
        Ok(read!(self, |pool| {
            let mut query = sqlx::query_as(&sql).bind(association.as_str()).bind(conversation).bind(viewer);
            for bound in [from, to].into_iter().flatten() {
                query = query.bind(bound);
            }
            query.fetch_all(pool).await
        })?)
    }

    /// The calls the member was in, newest first (their export).
    pub async fn calls_of_member(
        &self,
        association: &AssociationId,
        member: &str,
    ) -> Result<Vec<OwnCallRecord>, StoreError> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT c.id AS call_id, c.conversation_id, c.video, \
                 (c.started_by IS NOT NULL AND c.started_by = cm.member_id) AS started_by_me, \
                 c.started_at, c.ended_at, cm.joined_at, cm.left_at \
                 FROM call_members cm JOIN calls c ON c.association_id = cm.association_id AND c.id = cm.call_id \
                 WHERE cm.association_id = $1 AND cm.member_id = $2 ORDER BY c.started_at DESC, c.id",
            )
            .bind(association.as_str())
            .bind(member)
            .fetch_all(pool)
            .await
        })?)
    }
}
