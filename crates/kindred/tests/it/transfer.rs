//! `kindred association export / import`: one association moves to another
//! deployment with another master key, across SQLite and PostgreSQL, with
//! the real binary. Members sign in there, their profiles read back equal,
//! search by condition finds the same members and messages read back.

use crate::cli::{assert_fails_with, free_port, kindred_command, stderr, ServerProcess};
use crate::harness::{drop_database, fresh_database, temp_dir, Db, TestServer, BOTH};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Output, Stdio};

const PASSPHRASE: &str = "moving day for the demo association";
const MIRA: &str = "mira@demo.kindred.invalid";
const PASSWORD: &str = "kindred-demo-2026";

/// One deployment: a data directory (its own master key file) and a database.
pub(crate) struct Deployment {
    pub(crate) dir: std::path::PathBuf,
    pub(crate) url: String,
    pg_name: Option<String>,
}

impl Deployment {
    pub(crate) async fn new(db: Db) -> Deployment {
        let dir = temp_dir();
        let (url, pg_name) = fresh_database(db, &dir).await;
        Deployment { dir, url, pg_name }
    }

    pub(crate) fn run(&self, args: &[&str], passphrase: Option<&str>) -> Output {
        let mut command = kindred_command(&self.dir);
        command.arg("--database-url").arg(&self.url).args(args).env("KINDRED_LOG", "error");
        command.env_remove("KINDRED_MASTER_KEY").env_remove("KINDRED_TRANSFER_PASSPHRASE");
        if let Some(p) = passphrase {
            command.env("KINDRED_TRANSFER_PASSPHRASE", p);
        }
        command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        command.output().expect("run kindred")
    }

    pub(crate) fn serve(&self, subcommand: &str) -> ServerProcess {
        let port = free_port();
        let mut command = kindred_command(&self.dir);
        command
            .arg("--database-url")
            .arg(&self.url)
            .args([subcommand, "--bind", &format!("127.0.0.1:{port}")])
            .env_remove("KINDRED_MASTER_KEY")
            .env("KINDRED_LOG", "error");
        ServerProcess::start(&mut command, port)
    }

    pub(crate) async fn remove(self) {
        if let Some(name) = &self.pg_name {
            drop_database(name).await;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// What Mira sees: her profile, the members found by her condition, and
/// the messages of her conversations.
#[derive(Debug, PartialEq)]
pub(crate) struct Seen {
    me: Value,
    found: BTreeSet<String>,
    pub(crate) messages: Vec<(String, Vec<String>)>,
}

pub(crate) async fn look(base: &str) -> Seen {
    let client = reqwest::Client::new();
    let api = format!("{base}/a/demo/api/v1");
    let login: Value = client
        .post(format!("{api}/auth/login"))
        .json(&json!({"email": MIRA, "password": PASSWORD}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("json");
    let token = login["token"].as_str().unwrap_or_else(|| panic!("Mira signs in: {login}")).to_owned();
    let get = |path: String| {
        let client = client.clone();
        let token = token.clone();
        async move {
            let response = client.get(path).bearer_auth(token).send().await.expect("get");
            assert_eq!(response.status(), 200, "{}", response.url());
            response.json::<Value>().await.expect("json")
        }
    };
    let mut me = get(format!("{api}/me")).await;
    assert_eq!(me["pseudonym"], "Mira am Meer");
    assert!(me["profile"]["condition"].is_string() || me["profile"]["condition"].is_object(), "{me}");
    // Times of sign-in differ; the rest must not.
    if let Some(object) = me.as_object_mut() {
        object.remove("last_active_at");
    }
    let mut found = BTreeSet::new();
    let mut cursor = String::new();
    for _ in 0..30 {
        let page = get(format!("{api}/members?condition=ms&cursor={cursor}")).await;
        for hit in page["results"].as_array().expect("results") {
            found.insert(hit["member_id"].as_str().expect("id").to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => break,
        }
    }
    assert!(!found.is_empty(), "the demo has members with MS");
    let list = get(format!("{api}/conversations")).await;
    let mut messages = Vec::new();
    for conversation in list["conversations"].as_array().expect("conversations") {
        let id = conversation["conversation_id"].as_str().expect("id");
        let page = get(format!("{api}/conversations/{id}/messages")).await;
        let bodies =
            page["messages"].as_array().expect("messages").iter().filter_map(|m| m["body"].as_str()).map(str::to_owned);
        messages.push((id.to_owned(), bodies.collect::<Vec<String>>()));
    }
    messages.sort();
    assert!(messages.iter().any(|(_, bodies)| !bodies.is_empty()), "Mira has messages");
    Seen { me, found, messages }
}

pub(crate) fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

pub(crate) fn succeeds(output: &Output) -> String {
    assert!(output.status.success(), "{}", stderr(output));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

async fn round_trip(from: Db, to: Db) {
    let source = Deployment::new(from).await;
    let target = Deployment::new(to).await;

    let server = source.serve("demo");
    let before = look(&server.base).await;
    server.stop();

    let file = source.dir.join("demo.transfer");
    let file_arg = file.to_str().expect("path");
    let out = source.run(&["association", "export", "--slug", "demo", "--out", file_arg], Some("short"));
    assert_fails_with(&out, "at least 12 characters");
    assert!(!file.exists(), "{from:?}: no file for a weak passphrase");
    let said = succeeds(&source.run(&["association", "export", "--slug", "demo", "--out", file_arg], Some(PASSPHRASE)));
    assert!(said.contains("Exported demo"), "{said}");
    let out = source.run(&["association", "export", "--slug", "demo", "--out", file_arg], Some(PASSPHRASE));
    assert_fails_with(&out, "cannot write");
    let out = source.run(&["association", "export", "--slug", "nobody", "--out", "/tmp/x"], Some(PASSPHRASE));
    assert_fails_with(&out, "no association with the slug nobody");

    // Nothing of the association in clear: no health field, no message.
    let bytes = std::fs::read(&file).expect("the file");
    let mut clear: Vec<String> =
        vec!["Mira am Meer".into(), "ocrelizumab".into(), "Ostsee".into(), "Mira Jensen".into()];
    clear.extend(before.messages.iter().flat_map(|(_, b)| b.iter()).filter(|b| b.len() >= 8).cloned());
    for text in &clear {
        assert!(!contains(&bytes, text), "{from:?}: {text:?} in clear in the file");
    }

    // A wrong passphrase: a clear error, nothing written.
    let out = target.run(&["association", "import", "--in", file_arg], Some("not the passphrase at all"));
    assert_fails_with(&out, "passphrase does not open this file");
    assert_eq!(succeeds(&target.run(&["association", "list"], None)), "", "{to:?}: nothing imported");

    let said = succeeds(&target.run(&["association", "import", "--in", file_arg], Some(PASSPHRASE)));
    assert!(said.contains("Imported demo"), "{said}");
    // Twice: refused, with or without another slug.
    let out = target.run(&["association", "import", "--in", file_arg], Some(PASSPHRASE));
    assert_fails_with(&out, "already has this association");
    let out = target.run(&["association", "import", "--in", file_arg, "--slug", "demo-2"], Some(PASSPHRASE));
    assert_fails_with(&out, "already has this association");
    let listed = succeeds(&target.run(&["association", "list"], None));
    assert_eq!(listed.lines().count(), 1, "{listed}");

    // The target's key differs from the source's.
    let key = |d: &Deployment| std::fs::read(d.dir.join("keys/master.key")).expect("key file");
    assert_ne!(key(&source), key(&target), "another master key");

    let server = target.serve("serve");
    let after = look(&server.base).await;
    server.stop();
    assert_eq!(before.me, after.me, "{from:?} → {to:?}: the profile reads back equal");
    assert_eq!(before.found, after.found, "{from:?} → {to:?}: search by condition finds the same members");
    assert_eq!(before.messages, after.messages, "{from:?} → {to:?}: messages read back");

    source.remove().await;
    target.remove().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_to_postgres() {
    round_trip(Db::Sqlite, Db::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_to_sqlite() {
    round_trip(Db::Postgres, Db::Sqlite).await;
}

/// Every table that holds an association's rows either moves or is named
/// as left behind, with the reason (service::transfer).
#[tokio::test]
async fn every_association_table_moves_or_is_left_behind_by_name() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let schema = s.kindred.store.schema().await.expect("schema");
        let tables: BTreeSet<String> = schema.iter().map(|(table, _)| table.clone()).collect();
        let with_association: BTreeSet<String> =
            schema.iter().filter(|(_, column)| column == "association_id").map(|(table, _)| table.clone()).collect();
        let named: BTreeSet<String> = kindred_service::transfer::MOVED
            .iter()
            .copied()
            .chain(kindred_service::transfer::LEFT_BEHIND.iter().map(|(t, _)| *t))
            .map(str::to_owned)
            .collect();
        let unnamed: Vec<&String> = with_association.difference(&named).collect();
        let gone: Vec<&String> = named.difference(&tables).collect();
        assert!(
            unnamed.is_empty(),
            "{db:?}: tables with association data neither moved nor left behind (service::transfer): {unnamed:?}"
        );
        assert!(gone.is_empty(), "{db:?}: named tables that do not exist: {gone:?}");
        s.stop().await;
    }
}

#[test]
fn a_file_that_is_not_a_transfer_is_refused() {
    let dir = temp_dir();
    let file = dir.join("not-a-transfer");
    std::fs::write(&file, b"hello").expect("write");
    let mut command = kindred_command(&dir);
    command
        .args(["association", "import", "--in", file.to_str().expect("path")])
        .env("KINDRED_TRANSFER_PASSPHRASE", PASSPHRASE)
        .env("KINDRED_LOG", "error");
    let out = command.stdin(Stdio::null()).output().expect("run");
    assert_fails_with(&out, "not an association transfer file");
    let out = kindred_command(&dir)
        .args(["association", "import", "--in", "/no/such/file"])
        .env("KINDRED_TRANSFER_PASSPHRASE", PASSPHRASE)
        .stdin(Stdio::null())
        .output()
        .expect("run");
    assert_fails_with(&out, "cannot read /no/such/file");
    let _ = std::fs::remove_dir_all(Path::new(&dir));
}
