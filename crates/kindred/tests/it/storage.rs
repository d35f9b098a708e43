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
        if table != "associations" && table != "association_hosts" {
            assert!(sqlite.contains(&(table.clone(), "association_id".into())), "{table} carries association_id");
        }
    }
}
