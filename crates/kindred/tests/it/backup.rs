//! `kindred backup`, `restore` and `check` with the real binary, on each
//! database: a backup taken while the demo serves, restored into an empty
//! deployment, reads back equal once the master key is there — and not
//! before: `check` names the missing or wrong key. A restore
//! refuses a database that is not empty, a file that is no backup, a
//! backup of the other database, and a damaged file, leaving nothing.

use crate::cli::{assert_fails_with, kindred_command, stderr};
use crate::harness::{temp_dir, Db};
use crate::transfer::{contains, look, succeeds, Deployment};
use std::path::Path;

/// The lines `check` printed on standard output, and its exit code.
fn check(deployment: &Deployment) -> (Option<i32>, Vec<String>) {
    let out = deployment.run(&["check"], None);
    let lines = String::from_utf8_lossy(&out.stdout).lines().map(str::to_owned).collect();
    (out.status.code(), lines)
}

fn key_file(deployment: &Deployment) -> std::path::PathBuf {
    deployment.dir.join("keys").join("master.key")
}

fn put_key(deployment: &Deployment, key: &[u8]) {
    let dir = deployment.dir.join("keys");
    std::fs::create_dir_all(&dir).expect("keys directory");
    std::fs::write(key_file(deployment), key).expect("key file");
}

/// Gives the last sealed profile value the first one's bytes, which are
/// bound to another member and field and so do not open in its place.
async fn damage_last_sealed_value(deployment: &Deployment) {
    use sqlx::Connection;
    let query = "UPDATE profile_values SET sealed_value = \
         (SELECT sealed_value FROM profile_values WHERE sealed_value IS NOT NULL ORDER BY member_id, field LIMIT 1) \
         WHERE (member_id, field) = (SELECT member_id, field FROM profile_values WHERE sealed_value IS NOT NULL \
         ORDER BY member_id DESC, field DESC LIMIT 1)";
    let url = &deployment.url;
    let changed = if url.starts_with("sqlite://") {
        let mut conn = sqlx::SqliteConnection::connect(&format!("{url}?mode=rw")).await.expect("sqlite");
        sqlx::query(query).execute(&mut conn).await.expect("sql").rows_affected()
    } else {
        let mut conn = sqlx::PgConnection::connect(url).await.expect("pg");
        sqlx::query(query).execute(&mut conn).await.expect("sql").rows_affected()
    };
    assert_eq!(changed, 1, "one sealed value damaged");
}

async fn backup_and_restore(db: Db) {
    let source = Deployment::new(db).await;
    let server = source.serve("demo");
    let before = look(&server.base).await;
    // Taken while the server serves.
    let file = source.dir.join("whole.backup");
    let file_arg = file.to_str().expect("path");
    let said = succeeds(&source.run(&["backup", "--to", file_arg], None));
    assert!(said.contains("Backed up") && said.contains("master key is not in it"), "{db:?}: {said}");
    server.stop();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).expect("backup").permissions().mode();
        assert_eq!(mode & 0o077, 0, "{db:?}: the backup is its owner's alone ({mode:o})");
    }
    let written = std::fs::read(&file).expect("backup");
    let out = source.run(&["backup", "--to", file_arg], None);
    assert_fails_with(&out, "exists already");
    assert_eq!(std::fs::read(&file).expect("backup"), written, "{db:?}: never overwritten");
    let key = std::fs::read(key_file(&source)).expect("source key");
    assert!(!written.windows(key.len()).any(|w| w == key.as_slice()), "{db:?}: the master key is in the backup");
    // Sealed stays sealed in the copy (a pg_dump archive is compressed:
    // only SQLite's copy can be searched for clear text).
    if db == Db::Sqlite {
        let sealed = before.messages.iter().flat_map(|(_, bodies)| bodies.iter()).filter(|b| b.len() >= 12);
        for body in sealed {
            assert!(!contains(&written, body), "a message in clear in the backup: {body:?}");
        }
    }
    assert_eq!(check(&source), (Some(0), Vec::new()), "{db:?}: the source checks clean");

    // Restored into an empty deployment, which has no key yet.
    let target = Deployment::new(db).await;
    let said = succeeds(&target.run(&["restore", "--from", file_arg], None));
    assert!(said.contains("Restored 1 association"), "{db:?}: {said}");
    let out = target.run(&["restore", "--from", file_arg], None);
    assert_fails_with(&out, "is not empty");
    assert!(!key_file(&target).exists(), "{db:?}: a restore makes no key");

    let (code, lines) = check(&target);
    assert_eq!(code, Some(1), "{db:?}: {lines:?}");
    assert_eq!(lines.len(), 1, "{db:?}: {lines:?}");
    assert!(lines[0].contains("no master key"), "{db:?}: {lines:?}");
    // Started without it, the server makes a new key and says so at once.
    let out = target.serve("serve").stop();
    let said = stderr(&out);
    assert!(said.contains("no master key, but the database holds data sealed with one"), "{db:?}: {said}");
    put_key(&target, &[7u8; 32]);
    let (code, lines) = check(&target);
    assert_eq!(code, Some(1), "{db:?}: {lines:?}");
    assert!(
        lines.len() == 1
            && lines[0].contains("association demo")
            && lines[0].contains("not the one it was sealed with"),
        "{db:?}: {lines:?}"
    );

    put_key(&target, &key);
    assert_eq!(check(&target), (Some(0), Vec::new()), "{db:?}: the right key opens everything");
    let server = target.serve("serve");
    let after = look(&server.base).await;
    server.stop();
    assert_eq!(before, after, "{db:?}: what Mira sees reads back equal");

    // Damage to the very last sealed value (in the order `check` reads
    // them) is found too: every value is tried, not a sample.
    damage_last_sealed_value(&target).await;
    let (code, lines) = check(&target);
    assert_eq!(code, Some(1), "{db:?}: {lines:?}");
    assert!(lines.len() == 1 && lines[0].contains(": 1 of ") && lines[0].contains("damaged"), "{db:?}: {lines:?}");

    // Not a backup, and a backup of the other database: refused, nothing made.
    let other = Deployment::new(db).await;
    let text = other.dir.join("notes.txt");
    std::fs::write(&text, "not a backup at all").expect("file");
    let out = other.run(&["restore", "--from", text.to_str().expect("path")], None);
    assert_fails_with(&out, "not a Kindred backup");
    let foreign = other.dir.join("foreign.backup");
    let magic: &[u8] = match db {
        Db::Sqlite => b"PGDMP\x01\x0e\x00 the rest of a pg_dump archive",
        Db::Postgres => b"SQLite format 3\0 the rest of a database file",
    };
    std::fs::write(&foreign, magic).expect("file");
    let out = other.run(&["restore", "--from", foreign.to_str().expect("path")], None);
    assert_fails_with(&out, "backup, but the database to restore into is");
    let out = other.run(&["restore", "--from", "/nonexistent/kindred.backup"], None);
    assert_fails_with(&out, "No such file");
    if db == Db::Sqlite {
        // A data directory holding anything but a key (here the files
        // above) is not empty, though it holds no database yet.
        assert!(!other.dir.join("kindred.db").exists(), "no database yet");
        let out = other.run(&["restore", "--from", file_arg], None);
        assert_fails_with(&out, "is not empty");
    }
    assert_eq!(succeeds(&other.run(&["association", "list"], None)), "", "{db:?}: nothing restored");

    source.remove().await;
    target.remove().await;
    other.remove().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_backup_restores_whole_and_needs_its_key() {
    backup_and_restore(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_backup_restores_whole_and_needs_its_key() {
    backup_and_restore(Db::Postgres).await;
}

/// A SQLite backup cut short is damaged: the restore says so and leaves
/// the data directory without a database, nor the counters' file its check opened.
#[tokio::test]
async fn a_damaged_sqlite_backup_restores_nothing() {
    let source = Deployment::new(Db::Sqlite).await;
    let out = source.run(&["association", "create", "--slug", "verein", "--name", "Verein"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let file = source.dir.join("whole.backup");
    succeeds(&source.run(&["backup", "--to", file.to_str().expect("path")], None));
    let bytes = std::fs::read(&file).expect("backup");
    let cut = source.dir.join("cut.backup");
    std::fs::write(&cut, &bytes[..bytes.len() / 3]).expect("cut");

    let dir = temp_dir();
    let out = kindred_command(&dir)
        .args(["restore", "--from", cut.to_str().expect("path")])
        .env("KINDRED_LOG", "error")
        .output()
        .expect("run");
    assert_fails_with(&out, "damaged");
    assert!(!Path::new(&dir).join("kindred.db").exists(), "no database left behind");
    let left: Vec<_> = std::fs::read_dir(&dir)
        .expect("data dir")
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("kindred"))
        .collect();
    assert!(left.is_empty(), "nothing of a database left behind: {left:?}");
    let out = kindred_command(&dir).args(["check"]).env("KINDRED_LOG", "error").output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("there is no database at"), "{}", stderr(&out));
    source.remove().await;
    let _ = std::fs::remove_dir_all(dir);
}
