//! store::jobs — the leases of the deployment's timed jobs, and the
//! housekeeping deletes that one of those jobs runs.
//!
//! A lease is taken by one statement that succeeds only when the row is
//! free (its lease ran out) or already ours, so two nodes asking at the same
//! moment cannot both get it, on either database.

use crate::attempts::counters;
use crate::{read, write, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::AssociationId;

/// What a job's row says about its last run.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobRecord {
    pub name: String,
    pub holder: String,
    pub leased_until: DateTime<Utc>,
    pub last_started_at: Option<DateTime<Utc>>,
    pub last_finished_at: Option<DateTime<Utc>>,
    pub last_outcome: Option<String>,
    pub runs: i64,
    pub failures: i64,
}

/// How many rows the housekeeping removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    pub sessions: u64,
    pub mailed_links: u64,
    pub passkey_challenges: u64,
    pub counters: u64,
    /// Live-delivery events and socket tickets past their time.
    pub live: u64,
}

impl Swept {
    pub fn total(&self) -> u64 {
        self.sessions + self.mailed_links + self.passkey_challenges + self.counters + self.live
    }
}

impl Store {
    /// Takes the lease of job `name` for `holder` until `until`, if it is
    /// free at `now` or already `holder`'s. True when `holder` has it.
    pub async fn take_job_lease(
        &self,
        name: &str,
        holder: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let taken: Option<(String,)> = write!(self, |pool| {
            sqlx::query_as(
                "INSERT INTO job_leases (name, holder, leased_until, last_started_at, runs, failures) \
                 VALUES ($1, $2, $3, $4, 0, 0) \
                 ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, leased_until = excluded.leased_until, \
                 last_started_at = excluded.last_started_at \
                 WHERE job_leases.leased_until <= $4 OR job_leases.holder = excluded.holder \
                 RETURNING name",
            )
            .bind(name)
            .bind(holder)
            .bind(until)
            .bind(now)
            .fetch_optional(pool)
            .await
        })?;
        Ok(taken.is_some())
    }

    /// Records the end of a run by `holder` and frees the lease. A holder
    /// that lost its lease meanwhile (it ran longer than the lease) records
    /// nothing: the other node's row stands.
    pub async fn finish_job(
        &self,
        name: &str,
        holder: &str,
        now: DateTime<Utc>,
        outcome: &str,
        failed: bool,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "UPDATE job_leases SET leased_until = $3, last_finished_at = $3, last_outcome = $4, \
                 runs = runs + 1, failures = failures + $5 WHERE name = $1 AND holder = $2",
            )
            .bind(name)
            .bind(holder)
            .bind(now)
            .bind(outcome)
            .bind(i64::from(failed))
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// Every job's row, by name.
    pub async fn jobs(&self) -> Result<Vec<JobRecord>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT name, holder, leased_until, last_started_at, last_finished_at, last_outcome, runs, failures \
                 FROM job_leases ORDER BY name",
            )
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// Deletes what has run out in one association: sessions past either
    /// expiry, mailed links past theirs, passkey challenges, live events and
    /// socket tickets past theirs, and throttling
    /// counters whose window started before `counters_before`. Nothing of
    /// this is read once expired; keeping it only keeps data.
    pub async fn sweep_expired(
        &self,
        association: &AssociationId,
        now: DateTime<Utc>,
        counters_before: DateTime<Utc>,
    ) -> Result<Swept, StoreError> {
        let id = association.as_str();
        let sessions = self
            .delete_expired(
                "DELETE FROM sessions WHERE association_id = $1 AND (expires_at <= $2 OR idle_expires_at <= $2)",
                id,
                now,
            )
            .await?;
        let mailed_links = self
            .delete_expired("DELETE FROM email_tokens WHERE association_id = $1 AND expires_at <= $2", id, now)
            .await?;
        let passkey_challenges = self
            .delete_expired("DELETE FROM webauthn_challenges WHERE association_id = $1 AND expires_at <= $2", id, now)
            .await?;
        let live = self
            .delete_expired("DELETE FROM live_events WHERE association_id = $1 AND expires_at <= $2", id, now)
            .await?
            + self
                .delete_expired("DELETE FROM live_tickets WHERE association_id = $1 AND expires_at <= $2", id, now)
                .await?;
        let counters = counters!(self, |pool| {
            sqlx::query("DELETE FROM attempts WHERE association_id = $1 AND window_start < $2")
                .bind(id)
                .bind(counters_before)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(Swept { sessions, mailed_links, passkey_challenges, counters, live })
    }

    /// Runs one of the housekeeping deletes (`$1` the association, `$2`
    /// the moment before which rows have run out); how many rows went.
    async fn delete_expired(&self, sql: &'static str, association: &str, at: DateTime<Utc>) -> Result<u64, StoreError> {
        let deleted = write!(self, |pool| {
            sqlx::query(sql).bind(association).bind(at).execute(pool).await.map(|r| r.rows_affected())
        })?;
        Ok(deleted)
    }
}
