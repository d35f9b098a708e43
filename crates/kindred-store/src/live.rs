//! store::live — the event log of live delivery (`live_events`), the
//! single-use socket tickets (`live_tickets`), and PostgreSQL's
//! `LISTEN/NOTIFY` between nodes.
//!
//! An event row holds ids only: who receives it, what kind it is, which
//! conversation and which message or notification. Its id grows with
//! every event. On PostgreSQL an identity column alone would let a later
//! id commit before an earlier one (two transactions), and a client that
//! resumes after the later id would never see the earlier; every insert
//! therefore takes one transaction-scoped advisory lock first, so ids
//! become visible in the order they were given. SQLite has one writer.

use crate::{read, write, Pools, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::AssociationId;

/// The advisory lock that orders inserts into `live_events` (PostgreSQL).
const EVENT_LOCK: i64 = 0x6b69_6e64_6c69_7665; // "kindlive"

/// One event for one recipient, as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LiveEventRecord {
    pub id: i64,
    pub member_id: String,
    pub kind: String,
    pub conversation_id: Option<String>,
    pub subject_id: Option<String>,
}

/// An event to write for one recipient.
#[derive(Debug, Clone)]
pub struct NewLiveEvent<'a> {
    pub member: &'a str,
    pub kind: &'static str,
    pub conversation: Option<&'a str>,
    pub subject: Option<&'a str>,
}

/// A `LISTEN` connection of this node (PostgreSQL only).
pub struct LiveListener(sqlx::postgres::PgListener);

impl LiveListener {
    /// The next payload; `Ok(None)` when the connection was lost (the next
    /// call connects anew — what was sent meanwhile is missed, so the
    /// caller asks every socket to catch up from the log).
    pub async fn next(&mut self) -> Result<Option<String>, StoreError> {
        Ok(self.0.try_recv().await?.map(|n| n.payload().to_owned()))
    }
}

impl Store {
    /// Writes the events; returns the first and last id given, or `None`
    /// when there was nothing to write.
    pub async fn add_live_events(
        &self,
        association: &AssociationId,
        events: &[NewLiveEvent<'_>],
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<Option<(i64, i64)>, StoreError> {
        if events.is_empty() {
            return Ok(None);
        }
        let postgres = matches!(self.pools, Pools::Postgres(_));
        // All rows in one statement with four parameters besides the
        // events, which travel as one JSON array of [member, kind,
        // conversation, subject]: a message to a chat of 1,000 was 7,000
        // bound values in two statements, most of the message's writing.
        let rows: Vec<[Option<&str>; 4]> =
            events.iter().map(|e| [Some(e.member), Some(e.kind), e.conversation, e.subject]).collect();
        let rows = serde_json::to_string(&rows).map_err(|e| StoreError::Database(sqlx::Error::Encode(Box::new(e))))?;
        let sql = if postgres {
            "INSERT INTO live_events (association_id, member_id, kind, conversation_id, subject_id, \
             created_at, expires_at) \
             SELECT $1, e.v->>0, e.v->>1, e.v->>2, e.v->>3, $3, $4 \
             FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(v, n) ORDER BY e.n RETURNING id"
        } else {
            "INSERT INTO live_events (association_id, member_id, kind, conversation_id, subject_id, \
             created_at, expires_at) \
             SELECT $1, json_extract(e.value, '$[0]'), json_extract(e.value, '$[1]'), \
             json_extract(e.value, '$[2]'), json_extract(e.value, '$[3]'), $3, $4 \
             FROM json_each($2) AS e ORDER BY e.key RETURNING id"
        };
        let ids: Vec<i64> = write!(self, |pool| {
            let mut tx = pool.begin().await?;
            if postgres {
                sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(EVENT_LOCK).execute(&mut *tx).await?;
            }
            let ids: Vec<(i64,)> = sqlx::query_as(sql)
                .bind(association.as_str())
                .bind(&rows)
                .bind(now)
                .bind(expires_at)
                .fetch_all(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(ids.into_iter().map(|(id,)| id).collect())
        })?;
        Ok(ids.iter().min().copied().zip(ids.iter().max().copied()))
    }

    /// The events with ids from `first` to `last` (what one signal names).
    pub async fn live_events_between(
        &self,
        association: &AssociationId,
        first: i64,
        last: i64,
    ) -> Result<Vec<LiveEventRecord>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, member_id, kind, conversation_id, subject_id FROM live_events \
                 WHERE association_id = $1 AND id >= $2 AND id <= $3 ORDER BY id",
            )
            .bind(association.as_str())
            .bind(first)
            .bind(last)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// A member's events after `after`, oldest first, at most `limit`.
    pub async fn live_events_after(
        &self,
        association: &AssociationId,
        member: &str,
        after: i64,
        limit: i64,
    ) -> Result<Vec<LiveEventRecord>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, member_id, kind, conversation_id, subject_id FROM live_events \
                 WHERE association_id = $1 AND member_id = $2 AND id > $3 ORDER BY id LIMIT $4",
            )
            .bind(association.as_str())
            .bind(member)
            .bind(after)
            .bind(limit)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// Stores a ticket (its hash) for the session with `session_hash`.
    pub async fn insert_live_ticket(
        &self,
        association: &AssociationId,
        ticket_hash: &str,
        session_hash: &str,
        member: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "INSERT INTO live_tickets (association_id, ticket_hash, session_hash, member_id, expires_at, used_at) \
                 VALUES ($1, $2, $3, $4, $5, NULL)",
            )
            .bind(association.as_str())
            .bind(ticket_hash)
            .bind(session_hash)
            .bind(member)
            .bind(expires_at)
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// Spends a ticket: one atomic update, so two sockets opened with the
    /// same ticket cannot both get it. The session's hash, or `None` for a
    /// ticket unknown, used or run out.
    pub async fn spend_live_ticket(
        &self,
        association: &AssociationId,
        ticket_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = write!(self, |pool| {
            sqlx::query_as(
                "UPDATE live_tickets SET used_at = $3 \
                 WHERE association_id = $1 AND ticket_hash = $2 AND used_at IS NULL AND expires_at > $3 \
                 RETURNING session_hash",
            )
            .bind(association.as_str())
            .bind(ticket_hash)
            .bind(now)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row.map(|(hash,)| hash))
    }

    /// Sends `payload` on `channel` to every node listening (PostgreSQL;
    /// on SQLite nothing is sent: one node delivers in-process).
    pub async fn notify_live(&self, channel: &str, payload: &str) -> Result<(), StoreError> {
        if let Pools::Postgres(pool) = &self.pools {
            sqlx::query("SELECT pg_notify($1, $2)").bind(channel).bind(payload).execute(pool).await?;
        }
        Ok(())
    }

    /// A connection that listens on `channel` (PostgreSQL only: `None` on
    /// SQLite). One per node.
    pub async fn listen_live(&self, channel: &str) -> Result<Option<LiveListener>, StoreError> {
        let Pools::Postgres(pool) = &self.pools else { return Ok(None) };
        let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
        listener.listen(channel).await?;
        Ok(Some(LiveListener(listener)))
    }
}
