//! All SQL of Kindred. One [`Store`] over either SQLite or PostgreSQL; the
//! same query text runs on both (`$1` placeholders, `RETURNING`,
//! `ON CONFLICT`), and a backend-specific arm exists only where the dialects
//! differ.
//!
//! Invariant: every table that belongs to an association has an
//! `association_id` column, and every query on it filters by that column.

mod accounts;
mod admission;
mod articles;
mod associations;
mod attempts;
mod audit;
mod bulk;
mod calls;
mod connect;
mod contacts;
mod erasure;
mod error;
mod events;
mod export;
mod forum;
mod forum_bulk;
mod groups;
mod jobs;
mod live;
mod mail_records;
mod members;
mod messaging;
mod messaging_bulk;
mod moderation;
mod notification_list;
mod notification_settings;
mod notifications;
mod operations;
mod passkeys;
mod photos;
mod post_search;
mod preferences;
mod profiles;
mod search;
mod sessions;
mod statistics;
mod transfer;

pub use accounts::{ConsentRecord, DirectoryFilter, TotpState};
pub use admission::{InvitationBatch, LetterState, LetterToPrint, NewInvitations, PendingVerification};
pub use articles::{ArticleFilter, ArticleRecord, NewArticle, StatusChange};
pub use associations::{AssociationRecord, NewAssociation, SettingsUpdate};
pub use attempts::AttemptCount;
pub use audit::{AuditRecord, NewAuditEntry};
pub use bulk::{NewConsent, NewContact};
pub use calls::{
    CallLineRecord, CallParticipantRecord, CallRecord, CallSignalRecord, NewCall, OwnCallRecord, Started as CallStarted,
};
pub use connect::{counters_file, redact_url, split_password, sqlite_file, Backend};
pub use contacts::{
    Acceptance, BlockRecord, ContactRecord, Direction, NewContactRequest, RelationRecord, RequestKind, RequestRecord,
};
pub use erasure::Erasure;
pub use error::{Conflict, StoreError};
pub use events::{
    EventFields, EventFilter, EventNotification, EventRecord, EventUpdated, OccurrenceChange, Registered,
    RegistrationRecord, SeriesExceptions,
};
pub use export::{
    AccessRecord, AccountTimes, ExportRecord, OwnEventRecord, OwnExtras, OwnFeedRecord, OwnFlagRecord, OwnGroupRecord,
    OwnLetterRecord, OwnMailRecord, OwnMarkRecord, OwnMessageRecord, OwnPostEditRecord, OwnPostRecord, OwnReadRecord,
    OwnReminderRecord, OwnReportRecord, OwnTopicRecord, OwnVerificationRecord, UnbuiltExport,
};
pub use forum::{
    CategoryDeletion, CategoryFields, CategoryRecord, MentionTarget, PostEditRecord, PostRecord, PostToWrite,
    ReactionCount, TopicCursor, TopicListRecord, TopicPlace, TopicRecord, TopicToWrite,
};
pub use forum_bulk::{NewCategory, NewPost, NewTopic};
pub use groups::{GroupMemberRecord, GroupRecord, GroupSearch, MembershipChange, MembershipRecord, NewGroup};
pub use jobs::{JobRecord, Swept};
pub use live::{LiveEventRecord, LiveListener, NewLiveEvent};
pub use mail_records::{DigestWaiting, MailClaim, PendingNotification, QuietHoursRecord};
pub use members::{Credentials, MemberRecord, NewMember};
pub use messaging::{
    Added, AttachmentInfo, AttachmentRecord, ConversationListRecord, ConversationMemberRecord, ConversationRecord,
    MessageRecord, MessageReportItemRecord, MessageReportRecord, MessageReportSummary, NewConversation, NewMessage,
    NewReportItem, PairConversation, RecipientRecord,
};
pub use messaging_bulk::{NewBulkConversation, NewBulkMessage};
pub use moderation::{
    ModeratedPost, ModerationActionRecord, ModerationChange, NewModerationAction, NewNotification, NewReport,
    Recipient, ReportRecord,
};
pub use notification_list::NotificationRecord;
pub use notifications::{PostNotification, RequestNotification, Superseded};
pub use operations::{MigrationState, SealedSample};
pub use passkeys::{NewChallenge, NewPasskey, PasskeyRecord};
pub use photos::{FlagRecord, PhotoRecord};
pub use post_search::{FoundPost, PostSearch};
pub use profiles::{NewProfileValue, ProfileValueRecord, StoredValue};
pub use search::{FoundMember, MemberSearch};
pub use sessions::{NewSession, SessionRecord, SessionSummary};
pub use statistics::{WeekCounts, WeeklyRecords};
pub use transfer::{Cell, TableRows, TransferClash};

use sqlx::{PgPool, SqlitePool};

/// How long [`Store::close`] waits for connections still in use.
pub const CLOSE_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// Values of one `IN (…)` list in the queries that take many at once
/// (the sockets of a node, the members of a conversation): below both
/// SQLite's (32,766) and PostgreSQL's (65,535) limits on parameters, with
/// room for the others of the statement.
pub(crate) const IN_CHUNK: usize = 900;

/// `$from, $from+1, …`: `count` numbered parameters.
pub(crate) fn placeholders(from: usize, count: usize) -> String {
    (0..count).map(|i| format!("${}", from + i)).collect::<Vec<_>>().join(", ")
}

/// The database, whichever it is.
#[derive(Clone)]
pub struct Store {
    pools: Pools,
}

#[derive(Clone)]
enum Pools {
    /// SQLite allows one writer at a time; a dedicated one-connection pool
    /// for writes avoids `SQLITE_BUSY` on lock upgrades, while readers run
    /// in parallel under WAL. Throttling counters live in a file of their
    /// own (`counters`, see `connect`): a write to the main file makes every
    /// reader drop its page cache, and a counter is written per request.
    Sqlite {
        reader: SqlitePool,
        writer: SqlitePool,
        counters: SqlitePool,
    },
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the pool for reads.
macro_rules! read {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.pools {
            $crate::Pools::Sqlite { reader: $pool, .. } => $body,
            $crate::Pools::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body` with `$pool` bound to the pool for writes.
macro_rules! write {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.pools {
            $crate::Pools::Sqlite { writer: $pool, .. } => $body,
            $crate::Pools::Postgres($pool) => $body,
        }
    };
}

pub(crate) use {read, write};

impl Store {
    pub fn backend(&self) -> Backend {
        match self.pools {
            Pools::Sqlite { .. } => Backend::Sqlite,
            Pools::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies pending migrations; running it again changes nothing.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.pools {
            Pools::Sqlite { writer, .. } => {
                sqlx::migrate!("./migrations/sqlite").run(writer).await?;
                // SQLite plans from statistics it gathers only when asked:
                // without them a search may walk every member. Cheap with a
                // limit, and it re-analyses only what changed a lot.
                self.refresh_statistics().await?;
            }
            Pools::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await?,
        }
        let pending = self.fill_pseudonym_skeletons().await?;
        if pending > 0 {
            tracing::warn!(members = pending, "pseudonyms that look like older ones: their members choose anew");
        }
        Ok(())
    }

    /// Keeps SQLite's planner statistics fit as the data grows: analyses
    /// the tables whose indexes were never analysed (empty when the server
    /// started) or that grew 25-fold since, at most 1,000 rows an index — a
    /// no-op most of the time. Run at start and by the housekeeping job:
    /// without it a server keeps planning with the statistics of the day
    /// it started, and a plan fit for an empty table walks every row of a
    /// full one (a live message's unread counts read all of an
    /// association's conversation members instead of the recipients').
    /// PostgreSQL's autovacuum does this itself.
    pub async fn refresh_statistics(&self) -> Result<(), StoreError> {
        if let Pools::Sqlite { writer, .. } = &self.pools {
            // One connection for both: the limit is the connection's.
            let mut connection = writer.acquire().await?;
            sqlx::query("PRAGMA analysis_limit = 1000").execute(&mut *connection).await?;
            sqlx::query("PRAGMA optimize = 0x10002").execute(&mut *connection).await?;
        }
        Ok(())
    }

    /// SQLite keeps every changed page, as it was written, in the WAL
    /// until a checkpoint copies it into the database and the log is
    /// reused: an erased text would stay readable there meanwhile. A
    /// TRUNCATE checkpoint writes all back and empties the file. It waits
    /// (`busy_timeout`) for readers of older snapshots; if one is still
    /// reading then, the log is left for the next erasure or SQLite's own
    /// checkpoints, which overwrite it from the start. Called after
    /// erasures only (they are rare): a checkpoint holds up other writes.
    /// PostgreSQL: nothing to do here (see the README on VACUUM).
    pub async fn scrub_wal(&self) -> Result<(), StoreError> {
        if let Pools::Sqlite { writer, .. } = &self.pools {
            let (busy, log, done): (i64, i64, i64) =
                sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(writer).await?;
            if busy != 0 {
                tracing::warn!(log, done, "WAL not emptied after an erasure: a reader was busy");
            }
        }
        Ok(())
    }

    /// For readiness: can we run a query?
    pub async fn ping(&self) -> Result<(), StoreError> {
        read!(self, |pool| sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Tables and their columns, for the migration parity test (on SQLite
    /// with the counters file's table). The shadow tables behind an SQLite
    /// full-text table are its own business.
    pub async fn schema(&self) -> Result<Vec<(String, String)>, StoreError> {
        let rows: Vec<(String, String)> = match &self.pools {
            Pools::Sqlite { reader, counters, .. } => {
                let sql = "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p \
                     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%' \
                     AND NOT EXISTS (SELECT 1 FROM sqlite_master v WHERE v.type = 'table' \
                       AND v.sql LIKE 'CREATE VIRTUAL TABLE%' AND m.name LIKE v.name || '\\_%' ESCAPE '\\') \
                     ORDER BY m.name, p.name";
                let mut rows: Vec<(String, String)> = sqlx::query_as(sql).fetch_all(reader).await?;
                rows.extend(sqlx::query_as(sql).fetch_all(counters).await?);
                rows.sort();
                rows
            }
            Pools::Postgres(pool) => {
                sqlx::query_as(
                    "SELECT table_name::text, column_name::text FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%' \
                     ORDER BY table_name, column_name",
                )
                .fetch_all(pool)
                .await?
            }
        };
        Ok(rows)
    }

    /// Closes the pools: no new queries start, idle connections close, and
    /// connections still in use are waited for — at most [`CLOSE_GRACE`], so
    /// that a connection someone forgot to give back cannot keep a node
    /// from stopping (it is dropped with the process).
    pub async fn close(&self) {
        let closing = async {
            match &self.pools {
                Pools::Sqlite { reader, writer, counters } => {
                    writer.close().await;
                    reader.close().await;
                    counters.close().await;
                }
                Pools::Postgres(pool) => pool.close().await,
            }
        };
        if tokio::time::timeout(CLOSE_GRACE, closing).await.is_err() {
            tracing::warn!(
                seconds = CLOSE_GRACE.as_secs(),
                "database connections still in use after closing; left behind"
            );
        }
    }

    /// Whether [`Store::close`] was called: queries fail from then on.
    pub fn is_closed(&self) -> bool {
        match &self.pools {
            Pools::Sqlite { writer, .. } => writer.is_closed(),
            Pools::Postgres(pool) => pool.is_closed(),
        }
    }
}
