//! `kindred backup`, `restore` and `check`: the operator's commands for a
//! deployment's data (`api.md` › Command line; README › Operations).
//!
//! A backup is the whole database, never the master key: SQLite's is a
//! consistent copy taken while the server runs (`VACUUM INTO`, one
//! snapshot), PostgreSQL's a `pg_dump` archive (custom format, one
//! snapshot). Everything a deployment keeps lives in the database —
//! photos, exports, sealed values — but the mail outbox, which is mail
//! already sent, and the throttling counters, which are expendable. A
//! backup file is written under a temporary name, readable by its owner
//! only, and moved into place when complete; an existing file is never
//! overwritten.
//!
//! A restore goes only into an empty data directory or database, and is
//! all or nothing: SQLite's file is checked (integrity, migrations it
//! knows) and removed again when it fails; PostgreSQL's archive is
//! restored in one transaction. Then the migrations of this binary are
//! applied, so an older backup serves at once.
//!
//! `check` reads and never writes: the database's own integrity check,
//! the migrations, and whether the master key opens the sealed data (a
//! sample of each association's sealed profile values and conversation
//! keys). It prints one line per problem and fails if there is any. It
//! never creates a key: a missing key is a problem to report, not to fix.

use crate::config::Settings;
use kindred_domain::AssociationId;
use kindred_service::crypto::{AssociationKey, ConversationKey, KeyRing};
use kindred_store::{Backend, Store, StoreError};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Sealed values read at a time: `check` tries every one, a page at a
/// time, so that damage anywhere is found while memory stays small.
const PAGE: i64 = 500;

/// How a backup file begins, by kind.
const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";
const PG_DUMP_MAGIC: &[u8] = b"PGDMP";

/// Why an operation on the deployment's data did not happen.
#[derive(Debug, thiserror::Error)]
pub enum OperationError {
    #[error("{} exists already: a backup never overwrites a file", .0.display())]
    TargetExists(PathBuf),
    #[error("there is no database at {}", .0.display())]
    NoDatabase(PathBuf),
    #[error("{} is a {found} backup, but the database to restore into is {wanted}", path.display())]
    WrongKind { path: PathBuf, found: Backend, wanted: Backend },
    #[error("{} is not a Kindred backup (neither a SQLite database nor a pg_dump archive)", .0.display())]
    NotABackup(PathBuf),
    #[error("the database {0} is not empty: restore only into an empty data directory or database")]
    NotEmpty(String),
    #[error("the backup was written by a newer Kindred (migrations {0} are unknown to this binary): restore it with that version")]
    Newer(String),
    #[error("the backup is damaged: {0}")]
    Damaged(String),
    #[error("{program} could not be run ({reason}); install PostgreSQL's client programs (Debian: postgresql-client) of the server's version or newer")]
    ToolMissing { program: &'static str, reason: String },
    #[error("{program} failed: {message}")]
    ToolFailed { program: &'static str, message: String },
    #[error("{}: {reason}", path.display())]
    File { path: PathBuf, reason: String },
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0} problem(s) found")]
    Problems(usize),
}

fn file_error(path: &Path) -> impl FnOnce(std::io::Error) -> OperationError + '_ {
    move |e| OperationError::File { path: path.to_path_buf(), reason: e.to_string() }
}

/// `kindred backup --to FILE`.
pub async fn backup(settings: &Settings, to: &Path) -> Result<(), OperationError> {
    if to.exists() {
        return Err(OperationError::TargetExists(to.to_path_buf()));
    }
    let partial = partial_name(to);
    let written = match backend_of(settings)? {
        Backend::Sqlite => {
            let file = kindred_store::sqlite_file(&settings.database_url)?;
            if !file.exists() {
                return Err(OperationError::NoDatabase(file));
            }
            let store = Store::connect(&settings.database_url).await?;
            let copied = store.copy_sqlite_into(&partial).await.map_err(OperationError::from);
            store.close().await;
            copied
        }
        Backend::Postgres => {
            let target = partial.to_string_lossy().into_owned();
            run_postgres_tool(
                "pg_dump",
                &settings.database_url,
                &["--format=custom", "--no-owner", "--no-privileges", "--file", &target],
            )
            .await
        }
    };
    let placed = written.and_then(|()| private_and_durable(&partial)).and_then(|()| move_into_place(&partial, to));
    if placed.is_err() {
        let _ = fs::remove_file(&partial);
    }
    placed?;
    let size = fs::metadata(to).map(|m| m.len()).unwrap_or(0);
    println!(
        "Backed up the {} database to {} ({:.1} MB). The master key is not in it: keep {} (or KINDRED_MASTER_KEY) safe, and apart from the backup.",
        backend_of(settings)?,
        to.display(),
        size as f64 / 1_000_000.0,
        settings.data_dir.join("keys").join("master.key").display(),
    );
    Ok(())
}

/// `kindred restore --from FILE`.
pub async fn restore(settings: &Settings, from: &Path) -> Result<(), OperationError> {
    let wanted = backend_of(settings)?;
    let found = backup_kind(from)?;
    if found != wanted {
        return Err(OperationError::WrongKind { path: from.to_path_buf(), found, wanted });
    }
    match wanted {
        Backend::Sqlite => restore_sqlite(settings, from).await?,
        Backend::Postgres => {
            let store = Store::connect(&settings.database_url).await?;
            let empty = store.holds_no_tables().await;
            store.close().await;
            if !empty? {
                return Err(OperationError::NotEmpty(kindred_store::redact_url(&settings.database_url)));
            }
            let source = from.to_string_lossy().into_owned();
            run_postgres_tool(
                "pg_restore",
                &settings.database_url,
                &["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", &source],
            )
            .await?;
        }
    }
    // The backup may be older than this binary: bring it up to date now,
    // so that what is wrong with it shows here and not at the next start.
    let store = Store::connect(&settings.database_url).await?;
    let state = store.migration_state().await?;
    if !state.unknown.is_empty() {
        store.close().await;
        return Err(OperationError::Newer(versions(&state.unknown)));
    }
    let migrated = store.migrate().await;
    let associations = store.list_associations().await;
    store.close().await;
    migrated?;
    println!(
        "Restored {} association(s) from {} ({} migration(s) applied since the backup).",
        associations?.len(),
        from.display(),
        state.pending.len()
    );
    println!(
        "Start the server with the master key the data was sealed with ({} or KINDRED_MASTER_KEY); `kindred check` tells whether it opens the sealed data.",
        settings.data_dir.join("keys").join("master.key").display()
    );
    Ok(())
}

/// The SQLite restore: the file copied in beside the (absent or empty)
/// database under a temporary name, moved into place, checked, and
/// removed again if the check fails.
async fn restore_sqlite(settings: &Settings, from: &Path) -> Result<(), OperationError> {
    let file = kindred_store::sqlite_file(&settings.database_url)?;
    let companions =
        |path: &Path| -> Vec<PathBuf> { ["-wal", "-shm"].iter().map(|suffix| with_suffix(path, suffix)).collect() };
    // Opening the restored file to check it makes the counters' file
    // beside it; a refused restore takes that away again too.
    let counters = kindred_store::counters_file(&file);
    let counters_were_there = counters.exists();
    // "An empty data directory": the master key placed for the data, an
    // empty database and its counters are all it may hold; anything else
    // belongs to another deployment that a restore would mix with this one.
    let ours: Vec<PathBuf> = [file.clone(), counters.clone()]
        .iter()
        .flat_map(|path| std::iter::once(path.clone()).chain(companions(path)))
        .chain([settings.data_dir.join("keys"), settings.data_dir.join(".kindred-write-test")])
        .collect();
    if let Ok(entries) = fs::read_dir(&settings.data_dir) {
        for entry in entries.flatten() {
            if !ours.contains(&entry.path()) {
                return Err(OperationError::NotEmpty(settings.data_dir.display().to_string()));
            }
        }
    }
    if file.exists() {
        let store = Store::connect(&settings.database_url).await?;
        let empty = store.holds_no_tables().await;
        store.close().await;
        if !empty? {
            return Err(OperationError::NotEmpty(file.display().to_string()));
        }
        for path in std::iter::once(file.clone()).chain(companions(&file)) {
            match fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(file_error(&path)(e)),
            }
        }
    }
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(file_error(dir))?;
    }
    let partial = partial_name(&file);
    let copied = fs::copy(from, &partial)
        .map_err(file_error(&partial))
        .and_then(|_| private_and_durable(&partial))
        .and_then(|()| move_into_place(&partial, &file));
    if let Err(error) = copied {
        let _ = fs::remove_file(&partial);
        return Err(error);
    }
    let checked = async {
        let store = Store::connect(&settings.database_url).await.map_err(|e| OperationError::Damaged(e.to_string()))?;
        let problems = store.integrity_problems().await;
        let state = store.migration_state().await;
        store.close().await;
        let (problems, state) = (problems?, state?);
        if let Some(first) = problems.first() {
            return Err(OperationError::Damaged(first.clone()));
        }
        if state.applied == 0 {
            return Err(OperationError::Damaged("it holds no Kindred database".into()));
        }
        if !state.unknown.is_empty() {
            return Err(OperationError::Newer(versions(&state.unknown)));
        }
        Ok(())
    }
    .await;
    if checked.is_err() {
        for path in std::iter::once(file.clone()).chain(companions(&file)) {
            let _ = fs::remove_file(path);
        }
        if !counters_were_there {
            for path in std::iter::once(counters.clone()).chain(companions(&counters)) {
                let _ = fs::remove_file(path);
            }
        }
    }
    checked
}

/// `kindred check`: one line per problem on standard output, a summary on
/// standard error; `Problems` when there is any.
pub async fn check(settings: &Settings) -> Result<(), OperationError> {
    let problems = find_problems(settings).await;
    for problem in &problems {
        println!("{problem}");
    }
    if problems.is_empty() {
        eprintln!("kindred check: no problems found");
        Ok(())
    } else {
        Err(OperationError::Problems(problems.len()))
    }
}

/// Everything `check` finds, in words for the operator.
async fn find_problems(settings: &Settings) -> Vec<String> {
    let mut problems = Vec::new();
    let backend = match backend_of(settings) {
        Ok(backend) => backend,
        Err(error) => return vec![error.to_string()],
    };
    if backend == Backend::Sqlite {
        match kindred_store::sqlite_file(&settings.database_url) {
            Ok(file) if !file.exists() => return vec![OperationError::NoDatabase(file).to_string()],
            Ok(_) => {}
            Err(error) => return vec![error.to_string()],
        }
    }
    let store = match Store::connect(&settings.database_url).await {
        Ok(store) => store,
        Err(error) => return vec![error.to_string()],
    };
    match store.integrity_problems().await {
        Ok(found) => problems.extend(found.into_iter().map(|p| format!("database integrity: {p}"))),
        Err(error) => problems.push(format!("database integrity could not be checked: {error}")),
    }
    let migrated = match store.migration_state().await {
        Ok(state) => {
            if !state.failed.is_empty() {
                problems.push(format!("migrations {} started and failed", versions(&state.failed)));
            }
            if !state.unknown.is_empty() {
                problems.push(format!(
                    "migrations {} were applied by a newer Kindred than this binary",
                    versions(&state.unknown)
                ));
            }
            if !state.pending.is_empty() {
                problems.push(format!(
                    "{} migration(s) not applied yet ({}): run `kindred migrate`",
                    state.pending.len(),
                    versions(&state.pending)
                ));
            }
            state.applied > 0
        }
        Err(error) => {
            problems.push(format!("migrations could not be read: {error}"));
            false
        }
    };
    if migrated {
        problems.extend(key_problems(settings, &store).await);
    }
    store.close().await;
    problems
}

/// Whether the master key opens each association's sealed data.
async fn key_problems(settings: &Settings, store: &Store) -> Vec<String> {
    let configured = settings.master_key.as_ref().map(|k| k.0.as_str());
    let ring = match KeyRing::load(&settings.data_dir, configured) {
        Ok(Some(ring)) => ring,
        Ok(None) => {
            return vec![format!(
                "no master key: {} is missing and KINDRED_MASTER_KEY is not set (sealed data cannot be opened)",
                settings.data_dir.join("keys").join("master.key").display()
            )]
        }
        Err(error) => return vec![format!("master key: {error}")],
    };
    let associations = match store.list_associations().await {
        Ok(associations) => associations,
        Err(error) => return vec![format!("associations could not be read: {error}")],
    };
    let mut problems = Vec::new();
    for association in associations {
        let id = AssociationId::from_trusted(association.id.clone());
        let key = match ring.association(&id) {
            Ok(key) => key,
            Err(error) => {
                problems.push(format!("association {}: {error}", association.slug));
                continue;
            }
        };
        let (tried, failed) = match count_unopened(store, &id, &key).await {
            Ok(counts) => counts,
            Err(error) => {
                problems.push(format!("association {}: sealed data could not be read: {error}", association.slug));
                continue;
            }
        };
        if failed > 0 {
            let cause = if failed == tried { "the master key is not the one it was sealed with" } else { "damaged" };
            problems.push(format!(
                "association {}: {failed} of {tried} sealed values do not open ({cause})",
                association.slug
            ));
        }
    }
    problems
}

/// How many sealed values of an association were tried, and how many of
/// them the key does not open: every sealed profile value and every
/// conversation key (messages and files are sealed under those).
async fn count_unopened(
    store: &Store,
    association: &AssociationId,
    key: &AssociationKey,
) -> Result<(usize, usize), StoreError> {
    let (mut tried, mut failed) = (0, 0);
    let mut after = (String::new(), String::new());
    loop {
        let page = store.sealed_profile_values_after(association, (&after.0, &after.1), PAGE).await?;
        let Some(last) = page.last() else { break };
        after = (last.subject.clone(), last.field.clone());
        tried += page.len();
        failed += page
            .iter()
            .filter(|s| {
                kindred_domain::MemberId::parse(&s.subject).is_none_or(|m| key.open(&m, &s.field, &s.sealed).is_err())
            })
            .count();
    }
    let mut after = String::new();
    loop {
        let page = store.sealed_conversation_keys_after(association, &after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.subject.clone();
        tried += page.len();
        failed += page.iter().filter(|s| ConversationKey::unwrap(key, &s.subject, &s.sealed).is_err()).count();
    }
    Ok((tried, failed))
}

fn backend_of(settings: &Settings) -> Result<Backend, OperationError> {
    Backend::of_url(&settings.database_url).ok_or_else(|| {
        OperationError::Store(StoreError::Connect {
            backend: Backend::Sqlite,
            url: kindred_store::redact_url(&settings.database_url),
            reason: "the URL must start with sqlite:// or postgres://".into(),
        })
    })
}

/// What kind of backup `path` is, from its first bytes.
fn backup_kind(path: &Path) -> Result<Backend, OperationError> {
    let mut head = [0u8; 16];
    let mut file = fs::File::open(path).map_err(file_error(path))?;
    let mut read = 0;
    while read < head.len() {
        match file.read(&mut head[read..]).map_err(file_error(path))? {
            0 => break,
            n => read += n,
        }
    }
    let head = &head[..read];
    if head.starts_with(SQLITE_MAGIC) {
        Ok(Backend::Sqlite)
    } else if head.starts_with(PG_DUMP_MAGIC) {
        Ok(Backend::Postgres)
    } else {
        Err(OperationError::NotABackup(path.to_path_buf()))
    }
}

/// Runs `pg_dump` or `pg_restore` against the database of `url`, the
/// password (if any) in the environment rather than on the command line.
async fn run_postgres_tool(program: &'static str, url: &str, args: &[&str]) -> Result<(), OperationError> {
    let (url, password) = kindred_store::split_password(url);
    let mut command = Command::new(program);
    command.args(args).arg(format!("--dbname={url}"));
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .map_err(|e| OperationError::ToolFailed { program, message: e.to_string() })?
        .map_err(|e| OperationError::ToolMissing { program, reason: e.to_string() })?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let message = stderr.lines().filter(|l| !l.trim().is_empty()).take(3).collect::<Vec<_>>().join("; ");
    Err(OperationError::ToolFailed {
        program,
        message: if message.is_empty() { output.status.to_string() } else { message },
    })
}

/// `FILE.partial-XXXX` beside `path`: written there, then moved.
fn partial_name(path: &Path) -> PathBuf {
    let mut bytes = [0u8; 6];
    rand::Rng::fill(&mut rand::thread_rng(), &mut bytes);
    let tag: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    with_suffix(path, &format!(".partial-{tag}"))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Readable by the owner only (a backup holds every member's e-mail
/// address), and on disk before it is given its name.
fn private_and_durable(path: &Path) -> Result<(), OperationError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600)).map_err(file_error(path))?;
    }
    fs::File::open(path).and_then(|f| f.sync_all()).map_err(file_error(path))
}

/// Gives the finished file its name without ever replacing another (a
/// hard link fails where a rename would overwrite).
fn move_into_place(partial: &Path, target: &Path) -> Result<(), OperationError> {
    match fs::hard_link(partial, target) {
        Ok(()) => {
            let _ = fs::remove_file(partial);
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(OperationError::TargetExists(target.to_path_buf()))
        }
        // File systems without hard links: a rename, the target checked just before.
        Err(_) if !target.exists() => fs::rename(partial, target).map_err(file_error(target)),
        Err(e) => Err(file_error(target)(e)),
    }
}

fn versions(list: &[i64]) -> String {
    list.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}
