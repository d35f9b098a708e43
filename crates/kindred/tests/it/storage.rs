//! Migrations: idempotent, and the same tables and columns on both databases.

use crate::harness::{drop_database, fresh_database, temp_dir, Db};
use kindred_store::Store;

async fn schema_of(db: Db) -> Vec<(String, String)> {
    let dir = temp_dir();
    let (url, pg_name) = fresh_database(db, &dir).await;
    let store = Store::connect(&url).await.expect("connect");
    store.migrate().await.expect("first migration");
    store.migrate().await.expect("second migration is a no-op");
    let schema = store.schema().await.expect("schema");
    store.close().await;
    // Reopening an existing database migrates nothing and keeps working.
    let again = Store::connect(&url).await.expect("reconnect");
    again.migrate().await.expect("migration on reopen");
    again.close().await;
    if let Some(name) = pg_name {
        drop_database(&name).await;
    }
    let _ = std::fs::remove_dir_all(dir);
    schema
}

#[tokio::test]
async fn both_databases_have_the_same_schema() {
    let sqlite = schema_of(Db::Sqlite).await;
    let postgres = schema_of(Db::Postgres).await;
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, postgres);
    for (table, _) in &sqlite {
        if !["associations", "association_hosts", "job_leases"].contains(&table.as_str()) {
            assert!(sqlite.contains(&(table.clone(), "association_id".into())), "{table} carries association_id");
        }
    }
}

/// Throttling counters outlive the connections that wrote them; on SQLite
/// they are kept in `kindred-counters.db` beside the database, never in the
/// main file, whose writes would empty every reader's page cache.
#[tokio::test]
async fn throttling_counters_are_kept_apart_and_survive_reconnecting() {
    for db in crate::harness::BOTH {
        let s = crate::harness::TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let now = chrono::Utc::now();
        let cutoff = now - chrono::Duration::minutes(15);
        for expected in 1..=3 {
            let count = s.kindred.store.add_attempt(&ms.id, "test", "someone", now, cutoff).await.expect("count");
            assert_eq!(count.count, expected, "{db:?}");
        }
        let other = Store::connect(&s.database_url).await.expect("connect again");
        let seen = other.attempts(&ms.id, "test", "someone", cutoff).await.expect("read").expect("a count");
        assert_eq!(seen.count, 3, "{db:?}");
        other.close().await;
        if let Some(path) = s.database_url.strip_prefix("sqlite://") {
            let path = std::path::Path::new(path);
            assert!(path.with_file_name("kindred-counters.db").exists(), "{db:?}");
            let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&s.database_url).await.expect("open");
            let in_main: Option<String> = sqlx::query_scalar("SELECT name FROM sqlite_master WHERE name = 'attempts'")
                .fetch_optional(&mut conn)
                .await
                .expect("query");
            assert_eq!(in_main, None, "no counters in the main file");
        }
        s.stop().await;
    }
}
