//! store::attempts — fixed-window counters for throttling, shared by all
//! server nodes through the database. On SQLite they live in a file of
//! their own (`connect::connect_counters` says why).

use crate::{Store, StoreError};

/// Runs `$body` with `$pool` bound to the pool that holds the counters.
macro_rules! counters {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.pools {
            $crate::Pools::Sqlite { counters: $pool, .. } => $body,
            $crate::Pools::Postgres($pool) => $body,
        }
    };
}
use chrono::{DateTime, Utc};
pub(crate) use counters;
use kindred_domain::AssociationId;

/// A counter's state: how many in the window that started when.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct AttemptCount {
    pub count: i64,
    pub window_start: DateTime<Utc>,
}

impl Store {
    /// Counts one attempt. A window that started before `window_cutoff`
    /// is over: the count starts again at 1.
    pub async fn add_attempt(
        &self,
        association: &AssociationId,
        bucket: &str,
        subject: &str,
        now: DateTime<Utc>,
        window_cutoff: DateTime<Utc>,
    ) -> Result<AttemptCount, StoreError> {
        let row = counters!(self, |pool| {
            sqlx::query_as(
                "INSERT INTO attempts (association_id, bucket, subject, count, window_start) VALUES ($1, $2, $3, 1, $4) \
                 ON CONFLICT (association_id, bucket, subject) DO UPDATE SET \
                 count = CASE WHEN attempts.window_start < $5 THEN 1 ELSE attempts.count + 1 END, \
                 window_start = CASE WHEN attempts.window_start < $5 THEN $4 ELSE attempts.window_start END \
                 RETURNING count, window_start",
            )
            .bind(association.as_str())
            .bind(bucket)
            .bind(subject)
            .bind(now)
            .bind(window_cutoff)
            .fetch_one(pool)
            .await
        })?;
        Ok(row)
    }

    /// The attempts in the current window (zero when it is over).
    pub async fn attempts(
        &self,
        association: &AssociationId,
        bucket: &str,
        subject: &str,
        window_cutoff: DateTime<Utc>,
    ) -> Result<Option<AttemptCount>, StoreError> {
        let row = counters!(self, |pool| {
            sqlx::query_as(
                "SELECT count, window_start FROM attempts WHERE association_id = $1 AND bucket = $2 AND subject = $3 \
                 AND window_start >= $4",
            )
            .bind(association.as_str())
            .bind(bucket)
            .bind(subject)
            .bind(window_cutoff)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row)
    }

    pub async fn clear_attempts(
        &self,
        association: &AssociationId,
        bucket: &str,
        subject: &str,
    ) -> Result<(), StoreError> {
        counters!(self, |pool| {
            sqlx::query("DELETE FROM attempts WHERE association_id = $1 AND bucket = $2 AND subject = $3")
                .bind(association.as_str())
                .bind(bucket)
                .bind(subject)
                .execute(pool)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }
}
