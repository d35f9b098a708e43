//! store::operations — what `kindred backup`, `restore` and `check` ask of
//! the database itself: a consistent copy of a SQLite file while it
//! serves, whether a database is empty, which migrations it has, its
//! integrity, and samples of the sealed data (the key check opens them;
//! the store never sees a key).
//!
//! PostgreSQL's copy and restore are `pg_dump` and `pg_restore`, run by
//! the binary (`kindred::operations`): they already do it right.

use crate::{read, Pools, Store, StoreError};
use kindred_domain::AssociationId;
use std::collections::BTreeSet;
use std::path::Path;

/// Where the database stands against the migrations this binary carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationState {
    /// Migrations applied that this binary knows.
    pub applied: usize,
    /// Migrations of this binary not applied yet (`kindred migrate` applies them).
    pub pending: Vec<i64>,
    /// Migrations applied that this binary does not know: the database was
    /// written by a newer Kindred.
    pub unknown: Vec<i64>,
    /// Migrations that started and failed (sqlx marks them unsuccessful).
    pub failed: Vec<i64>,
}

/// One sealed value to try the key on: whose (`subject`: a member, or a
/// conversation for its key) and which field it is bound to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SealedSample {
    pub subject: String,
    pub field: String,
    pub sealed: Vec<u8>,
}

impl Store {
    /// Writes a consistent copy of a SQLite database to `path` (which must
    /// not exist) while the server goes on: `VACUUM INTO` reads one
    /// snapshot and writes a compact, self-contained file (no WAL beside
    /// it). The throttling counters' file is not copied: it is expendable.
    pub async fn copy_sqlite_into(&self, path: &Path) -> Result<(), StoreError> {
        let Pools::Sqlite { reader, .. } = &self.pools else {
            return Err(StoreError::Corrupt("a SQLite copy was asked of a PostgreSQL database".into()));
        };
        let target = path.to_str().ok_or_else(|| StoreError::Corrupt("the backup path is not valid UTF-8".into()))?;
        sqlx::query("VACUUM INTO $1").bind(target).execute(reader).await?;
        Ok(())
    }

    /// Whether the database holds no table of its own yet (a fresh SQLite
    /// file, or a PostgreSQL database nobody migrated): what `restore`
    /// requires of its target.
    pub async fn holds_no_tables(&self) -> Result<bool, StoreError> {
        let (count,): (i64,) = match &self.pools {
            Pools::Sqlite { reader, .. } => {
                sqlx::query_as("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                    .fetch_one(reader)
                    .await?
            }
            Pools::Postgres(pool) => {
                sqlx::query_as(
                    "SELECT COUNT(*) FROM information_schema.tables \
                     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
                )
                .fetch_one(pool)
                .await?
            }
        };
        Ok(count == 0)
    }

    /// The migrations applied against those this binary carries, read
    /// without applying any.
    pub async fn migration_state(&self) -> Result<MigrationState, StoreError> {
        let (known, rows): (BTreeSet<i64>, Vec<(i64, bool)>) = match &self.pools {
            Pools::Sqlite { reader, .. } => {
                let known = sqlx::migrate!("./migrations/sqlite").iter().map(|m| m.version).collect();
                let exists: Option<(String,)> =
                    sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'")
                        .fetch_optional(reader)
                        .await?;
                let rows = match exists {
                    None => Vec::new(),
                    Some(_) => {
                        sqlx::query_as("SELECT version, success FROM _sqlx_migrations").fetch_all(reader).await?
                    }
                };
                (known, rows)
            }
            Pools::Postgres(pool) => {
                let known = sqlx::migrate!("./migrations/postgres").iter().map(|m| m.version).collect();
                let exists: (bool,) =
                    sqlx::query_as("SELECT to_regclass('_sqlx_migrations') IS NOT NULL").fetch_one(pool).await?;
                let rows = if exists.0 {
                    sqlx::query_as("SELECT version, success FROM _sqlx_migrations").fetch_all(pool).await?
                } else {
                    Vec::new()
                };
                (known, rows)
            }
        };
        let applied: BTreeSet<i64> = rows.iter().filter(|(_, ok)| *ok).map(|(v, _)| *v).collect();
        Ok(MigrationState {
            applied: applied.intersection(&known).count(),
            pending: known.difference(&applied).copied().collect(),
            unknown: applied.difference(&known).copied().collect(),
            failed: rows.iter().filter(|(_, ok)| !*ok).map(|(v, _)| *v).collect(),
        })
    }

    /// What the database itself finds wrong with its files, one line each:
    /// SQLite's `integrity_check` and `foreign_key_check`; on PostgreSQL,
    /// which checks its pages as it reads them, the B-tree check of every
    /// index where the operator installed `amcheck` (a check creates no
    /// extension). Empty when all is well.
    pub async fn integrity_problems(&self) -> Result<Vec<String>, StoreError> {
        match &self.pools {
            Pools::Sqlite { reader, .. } => {
                let mut problems: Vec<String> = sqlx::query_as::<_, (String,)>("PRAGMA integrity_check")
                    .fetch_all(reader)
                    .await?
                    .into_iter()
                    .map(|(line,)| line)
                    .filter(|line| line != "ok")
                    .collect();
                let orphans: Vec<(String, Option<i64>, String)> =
                    sqlx::query_as("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")
                        .fetch_all(reader)
                        .await?;
                problems.extend(orphans.into_iter().map(|(table, rowid, parent)| {
                    let row = rowid.map(|r| format!(" (row {r})")).unwrap_or_default();
                    format!("a row of {table}{row} points to a missing row of {parent}")
                }));
                Ok(problems)
            }
            Pools::Postgres(pool) => {
                let amcheck: Option<(String,)> =
                    sqlx::query_as("SELECT extname::text FROM pg_extension WHERE extname = 'amcheck'")
                        .fetch_optional(pool)
                        .await?;
                if amcheck.is_none() {
                    return Ok(Vec::new());
                }
                let indexes: Vec<(String,)> = sqlx::query_as(
                    "SELECT c.relname::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
                     JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace \
                     WHERE a.amname = 'btree' AND n.nspname = current_schema() AND i.indisvalid",
                )
                .fetch_all(pool)
                .await?;
                let mut problems = Vec::new();
                for (index,) in indexes {
                    if let Err(error) =
                        sqlx::query("SELECT bt_index_check($1::regclass)").bind(&index).execute(pool).await
                    {
                        problems.push(format!("index {index}: {error}"));
                    }
                }
                Ok(problems)
            }
        }
    }

    /// Whether anything is sealed in the database (a profile value or a
    /// conversation's key): then a new master key would open none of it,
    /// and the server must not make one.
    pub async fn holds_sealed_data(&self) -> Result<bool, StoreError> {
        let (found,): (bool,) = read!(self, |pool| {
            sqlx::query_as(
                "SELECT EXISTS (SELECT 1 FROM profile_values WHERE sealed_value IS NOT NULL) \
                 OR EXISTS (SELECT 1 FROM conversation_keys)",
            )
            .fetch_one(pool)
            .await
        })?;
        Ok(found)
    }

    /// Up to `limit` sealed profile values of an association (each bound
    /// to its member and field) after `after` (member, field) in that
    /// order: `kindred check` reads them all, a page at a time.
    pub async fn sealed_profile_values_after(
        &self,
        association: &AssociationId,
        after: (&str, &str),
        limit: i64,
    ) -> Result<Vec<SealedSample>, StoreError> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT member_id AS subject, field, sealed_value AS sealed FROM profile_values \
                 WHERE association_id = $1 AND sealed_value IS NOT NULL \
                 AND (member_id > $2 OR (member_id = $2 AND field > $3)) \
                 ORDER BY member_id, field LIMIT $4",
            )
            .bind(association.as_str())
            .bind(after.0)
            .bind(after.1)
            .bind(limit)
            .fetch_all(pool)
            .await
        })?)
    }

    /// Up to `limit` sealed conversation keys of an association (each bound
    /// to its conversation; `field` is empty: the kind of value says it)
    /// after the conversation `after`, in order.
    pub async fn sealed_conversation_keys_after(
        &self,
        association: &AssociationId,
        after: &str,
        limit: i64,
    ) -> Result<Vec<SealedSample>, StoreError> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT conversation_id AS subject, '' AS field, sealed_key AS sealed FROM conversation_keys \
                 WHERE association_id = $1 AND conversation_id > $2 ORDER BY conversation_id LIMIT $3",
            )
            .bind(association.as_str())
            .bind(after)
            .bind(limit)
            .fetch_all(pool)
            .await
        })?)
    }
}
