use crate::{Pools, Store, StoreError};
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        })
    }
}

impl Backend {
    /// Which backend a database URL selects; `None` for anything else.
    pub fn of_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// The URL with any password replaced, fit for messages and logs.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            if userinfo.contains(':') {
                format!("{scheme}://{user}:***@{host}")
            } else {
                format!("{scheme}://{user}@{host}")
            }
        }
        None => url.to_owned(),
    }
}

/// The file a `sqlite:` URL names, read as the server reads it: what
/// `kindred backup`, `restore` and `check` look at.
pub fn sqlite_file(url: &str) -> Result<std::path::PathBuf, StoreError> {
    let options = SqliteConnectOptions::from_str(url).map_err(|e| StoreError::Connect {
        backend: Backend::Sqlite,
        url: redact_url(url),
        reason: e.to_string(),
    })?;
    Ok(options.get_filename().to_path_buf())
}

/// A PostgreSQL URL split for PostgreSQL's own programs (`pg_dump`,
/// `pg_restore`): the URL without its password, and the password
/// (percent-decoded), which goes to them in `PGPASSWORD` — an argument
/// would show it to every user of the machine in the process list.
pub fn split_password(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_owned(), None);
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let Some((userinfo, host)) = authority.rsplit_once('@') else {
        return (url.to_owned(), None);
    };
    match userinfo.split_once(':') {
        Some((user, password)) => (format!("{scheme}://{user}@{host}{path}"), Some(percent_decode(password))),
        None => (url.to_owned(), None),
    }
}

/// `%XX` escapes decoded (what a URL's password may contain); anything
/// malformed is kept as written.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(high), Some(low)) => {
                out.push(u8::try_from(high * 16 + low).unwrap_or(b'?'));
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The writing connection's page cache (4 MiB; the readers keep 16).
/// It is never reset by another connection's write, so it only fills: the
/// start-up statistics (`PRAGMA optimize`) and every index a write touches
/// stay in it, and under the pages benchmark's replies it held 16 MiB for
/// writes that read a few pages each.
const WRITER_CACHE: &str = "-4096";

impl Store {
    /// Opens the database a URL names: `sqlite://PATH` or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        match Backend::of_url(url) {
            Some(Backend::Sqlite) => connect_sqlite(url).await,
            Some(Backend::Postgres) => connect_postgres(url).await,
            None => Err(StoreError::Connect {
                backend: Backend::Sqlite,
                url: redact_url(url),
                reason: "the URL must start with sqlite:// or postgres://".into(),
            }),
        }
    }
}

async fn connect_sqlite(url: &str) -> Result<Store, StoreError> {
    let failed = |reason: String| StoreError::Connect { backend: Backend::Sqlite, url: redact_url(url), reason };
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|e| failed(e.to_string()))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5))
        // Rows come back from the connection's thread through a channel;
        // with sqlx's default of 50 the thread stops every 50 rows until
        // the reading task has caught up, a round trip between threads each
        // time (a live message to a group chat of 1,000 reads several
        // results of 1,000 rows).
        .row_buffer_size(1024)
        // A larger page cache per connection (16 MiB; the default is 2 MiB):
        // member search touches many small rows of a large file. (A memory
        // map was measured too: it halved search throughput.)
        .pragma("cache_size", "-16384")
        // Deleted and overwritten content (a deleted post's text, an old
        // profile value) is zeroed in the file instead of left in free
        // space, where any copy of the file would still hold it.
        .pragma("secure_delete", "ON");
    // No ping before each use (`test_before_acquire`): a connection to a
    // file cannot go away as a network one can, and every ping is a round
    // trip to the connection's thread (sqlx runs each SQLite connection on
    // a thread of its own); the ping when a connection goes back to the
    // pool stays (it finishes what a cancelled query left).
    let writer = SqlitePoolOptions::new()
        .max_connections(1)
        .test_before_acquire(false)
        .acquire_timeout(Duration::from_secs(30))
        .connect_with(options.clone().pragma("cache_size", WRITER_CACHE))
        .await
        .map_err(|e| failed(e.to_string()))?;
    let reader = SqlitePoolOptions::new()
        .max_connections(sqlite_readers())
        .test_before_acquire(false)
        .acquire_timeout(Duration::from_secs(30))
        .connect_with(options.clone().read_only(false))
        .await
        .map_err(|e| failed(e.to_string()))?;
    check_sqlite(&writer).await?;
    let counters = connect_counters(&options).await.map_err(|e| failed(format!("the counters file: {e}")))?;
    Ok(Store { pools: Pools::Sqlite { reader, writer, counters } })
}

/// How many reading connections SQLite gets: two per core, at least 4 and
/// at most 8. A read is CPU work on this machine (the file is in the page
/// cache), so more readers than twice the cores only queue elsewhere, and
/// each keeps its own page cache (16 MiB at most, `cache_size`): 8 of them
/// on a 2-core server made most of the 142 MB that `scripts/bench --pages`
/// measured (issue 21 asks for under 100 MB).
fn sqlite_readers() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    u32::try_from(cores.saturating_mul(2)).unwrap_or(8).clamp(4, 8)
}

/// Where the throttling counters of the SQLite database `main` live (see
/// `connect_counters`): `kindred.db` → `kindred-counters.db`.
pub fn counters_file(main: &std::path::Path) -> std::path::PathBuf {
    let name = match main.file_stem().and_then(|s| s.to_str()) {
        Some(stem) if !stem.is_empty() && stem != ":memory:" => format!("{stem}-counters.db"),
        _ => "kindred-counters.db".to_owned(),
    };
    main.with_file_name(name)
}

/// The throttling counters' own SQLite file beside the database
/// (`kindred.db` → `kindred-counters.db`). A counter is written with
/// nearly every request; in the main file each such write would make
/// every reader drop its page cache (SQLite resets a connection's cache
/// when the WAL changed), so searches would read their index pages anew
/// each time. The counters are expendable: losing the file only restarts
/// the throttling windows.
async fn connect_counters(main: &SqliteConnectOptions) -> Result<SqlitePool, sqlx::Error> {
    let options = SqliteConnectOptions::new()
        .filename(counters_file(main.get_filename()))
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(5));
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(30))
        .connect_with(options)
        .await?;
    // The columns of the `attempts` table that PostgreSQL keeps in its one
    // database (migration 0004); SQLite moved it here in 0011.
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS attempts (
            association_id  TEXT NOT NULL,
            bucket          TEXT NOT NULL,
            subject         TEXT NOT NULL,
            count           BIGINT NOT NULL,
            window_start    TEXT NOT NULL,
            PRIMARY KEY (association_id, bucket, subject)
        )",
    )
    .execute(&pool)
    .await?;
    Ok(pool)
}

/// Refuses to run on a SQLite connection without WAL, foreign keys or
/// secure deletion: all are needed for correctness (the last for erasure),
/// not only for speed.
async fn check_sqlite(pool: &sqlx::SqlitePool) -> Result<(), StoreError> {
    let (journal,): (String,) = sqlx::query_as("PRAGMA journal_mode").fetch_one(pool).await?;
    if !journal.eq_ignore_ascii_case("wal") {
        return Err(StoreError::UnsafeSqlite(format!("journal_mode is {journal}, not WAL")));
    }
    let (foreign_keys,): (i64,) = sqlx::query_as("PRAGMA foreign_keys").fetch_one(pool).await?;
    if foreign_keys != 1 {
        return Err(StoreError::UnsafeSqlite("foreign keys are off".into()));
    }
    let (timeout,): (i64,) = sqlx::query_as("PRAGMA busy_timeout").fetch_one(pool).await?;
    if timeout <= 0 {
        return Err(StoreError::UnsafeSqlite("busy_timeout is not set".into()));
    }
    let (secure_delete,): (i64,) = sqlx::query_as("PRAGMA secure_delete").fetch_one(pool).await?;
    if secure_delete != 1 {
        return Err(StoreError::UnsafeSqlite("secure_delete is off".into()));
    }
    Ok(())
}

async fn connect_postgres(url: &str) -> Result<Store, StoreError> {
    let pool =
        PgPoolOptions::new().max_connections(16).acquire_timeout(CONNECT_TIMEOUT).connect(url).await.map_err(|e| {
            StoreError::Connect { backend: Backend::Postgres, url: redact_url(url), reason: e.to_string() }
        })?;
    Ok(Store { pools: Pools::Postgres(pool) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(redact_url("postgres://u:secret@h:5432/db"), "postgres://u:***@h:5432/db");
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact_url("sqlite://data/kindred.db"), "sqlite://data/kindred.db");
    }

    #[test]
    fn postgres_programs_get_the_url_without_its_password() {
        assert_eq!(
            split_password("postgres://u:s%40cr%3At@h:5432/db?sslmode=disable"),
            ("postgres://u@h:5432/db?sslmode=disable".to_owned(), Some("s@cr:t".to_owned()))
        );
        assert_eq!(split_password("postgres://u@h/db"), ("postgres://u@h/db".to_owned(), None));
        assert_eq!(split_password("postgres://h/db"), ("postgres://h/db".to_owned(), None));
        // An @ in the path or query is not the userinfo's.
        assert_eq!(split_password("postgres://h/db?x=a@b"), ("postgres://h/db?x=a@b".to_owned(), None));
        assert_eq!(split_password("postgres://u:%zz@h/db").1.as_deref(), Some("%zz"));
    }

    /// `.cargo/config.toml` builds the bundled SQLite without its memory
    /// statistics (one process-wide mutex on every allocation, which the
    /// reading connections queued on); a build that lost the setting fails here.
    #[tokio::test]
    async fn sqlite_is_built_without_memory_statistics() {
        let pool = sqlx::SqlitePool::connect("sqlite::memory:").await.expect("an in-memory database");
        let (used,): (i64,) = sqlx::query_as("SELECT sqlite_compileoption_used('DEFAULT_MEMSTATUS=0')")
            .fetch_one(&pool)
            .await
            .expect("the compile options");
        assert_eq!(used, 1);
    }

    /// The readers keep 16 MiB of pages each, the writer 4 MiB
    /// ([`WRITER_CACHE`]): a negative `cache_size` is in KiB.
    #[tokio::test]
    async fn the_writer_keeps_a_smaller_page_cache_than_the_readers() {
        let dir = std::env::temp_dir().join(format!("kindred-cache-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a directory");
        let url = format!("sqlite://{}", dir.join("kindred.db").display());
        let store = connect_sqlite(&url).await.expect("a store");
        let Pools::Sqlite { reader, writer, .. } = &store.pools else { panic!("SQLite pools") };
        let size = |pool: &sqlx::SqlitePool| {
            let pool = pool.clone();
            async move { sqlx::query_as::<_, (i64,)>("PRAGMA cache_size").fetch_one(&pool).await.expect("a size").0 }
        };
        assert_eq!(size(writer).await, -4096);
        assert_eq!(size(reader).await, -16384);
        drop(store);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
