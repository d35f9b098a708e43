//! The real binary: each bad input is one readable line and exit code 1,
//! and changes nothing.

use crate::harness::temp_dir;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn kindred(data_dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = kindred_command(data_dir)
        .args(args)
        .env("KINDRED_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kindred");
    if let Some(mut input) = child.stdin.take() {
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).expect("stdin");
        }
    }
    child.wait_with_output().expect("wait")
}

pub(crate) fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).trim().to_owned()
}

/// A failure: exit code 1, one line on standard error, no panic.
pub(crate) fn assert_fails_with(output: &Output, needle: &str) {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(1), "exit code; stderr: {err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.contains(needle), "expected {needle:?} in {err:?}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn association_create_and_user_add_happy_path() {
    let dir = temp_dir();
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/ms-society.toml");
    let out = kindred(&dir, &["association", "create", "--slug", "ms", "--name", "MS Test", "--config", example], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = kindred(
        &dir,
        &["user", "add", "--association", "ms", "--email", "a@example.org", "--pseudonym", "Anna", "--role", "admin"],
        Some("a long enough password\n"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("member id"));

    let out = kindred(
        &dir,
        &["user", "add", "--association", "ms", "--email", "A@example.org", "--pseudonym", "Other", "--role", "member"],
        Some("a long enough password\n"),
    );
    assert_fails_with(&out, "e-mail address already exists");
    let out = kindred(
        &dir,
        &["user", "add", "--association", "ms", "--email", "b@example.org", "--pseudonym", "ANNA", "--role", "member"],
        Some("a long enough password\n"),
    );
    assert_fails_with(&out, "pseudonym is already taken");
    let out = kindred(
        &dir,
        &["user", "add", "--association", "ms", "--email", "c@example.org", "--pseudonym", "Carl", "--role", "member"],
        Some("short\n"),
    );
    assert_fails_with(&out, "at least 10 characters");
    let out = kindred(
        &dir,
        &["user", "add", "--association", "ms", "--email", "c@example.org", "--pseudonym", "Carl", "--role", "king"],
        Some("a long enough password\n"),
    );
    assert_fails_with(&out, "role must be");
    let out = kindred(
        &dir,
        &[
            "user",
            "add",
            "--association",
            "nope",
            "--email",
            "c@example.org",
            "--pseudonym",
            "Carl",
            "--role",
            "member",
        ],
        Some("a long enough password\n"),
    );
    assert_fails_with(&out, "no association with the slug nope");
    let out = kindred(
        &dir,
        &["user", "add", "--association", "ms", "--email", "c@example.org", "--pseudonym", "Carl", "--role", "member"],
        Some(""),
    );
    assert_fails_with(&out, "standard input");

    let out = kindred(&dir, &["association", "create", "--slug", "ms", "--name", "Again"], None);
    assert_fails_with(&out, "already exists");
    let out = kindred(&dir, &["association", "create", "--slug", "Bad Slug", "--name", "X"], None);
    assert_fails_with(&out, "slug");

    let out = kindred(&dir, &["migrate"], None);
    assert!(out.status.success(), "migrate twice: {}", stderr(&out));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn malformed_association_files_name_the_problem_and_create_nothing() {
    let dir = temp_dir();
    let file = dir.join("bad.toml");
    std::fs::write(&file, "name = \"x\"\n[branding\nprimary_color = 1\n").expect("write");
    let out = kindred(
        &dir,
        &["association", "create", "--slug", "bad", "--name", "Bad", "--config", file.to_str().expect("path")],
        None,
    );
    assert_fails_with(&out, "bad.toml, line 2");

    std::fs::write(&file, "[branding]\nprimary_color = \"#ffff66\"\n").expect("write");
    let out = kindred(
        &dir,
        &["association", "create", "--slug", "bad", "--name", "Bad", "--config", file.to_str().expect("path")],
        None,
    );
    assert_fails_with(&out, "branding.primary_color");

    std::fs::write(&file, "[branding]\nlogo = \"missing.svg\"\n").expect("write");
    let out = kindred(
        &dir,
        &["association", "create", "--slug", "bad", "--name", "Bad", "--config", file.to_str().expect("path")],
        None,
    );
    assert_fails_with(&out, "branding.logo");

    let out = kindred(
        &dir,
        &["association", "create", "--slug", "bad", "--name", "Bad", "--config", "/no/such/file.toml"],
        None,
    );
    assert_fails_with(&out, "cannot be read");

    // Nothing was created: the slug is still free.
    let out = kindred(&dir, &["association", "create", "--slug", "bad", "--name", "Good now"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn unusable_environments_are_one_line_errors() {
    let dir = temp_dir();
    let out = kindred(&dir, &["--database-url", "postgres://postgres@127.0.0.1:1/none", "migrate"], None);
    assert_fails_with(&out, "cannot open the PostgreSQL database at postgres://postgres@127.0.0.1:1/none");

    let out = kindred(&dir, &["--database-url", "postgres://u:hunter2@127.0.0.1:1/none", "migrate"], None);
    assert!(!stderr(&out).contains("hunter2"), "password shown: {}", stderr(&out));

    let out = kindred(&dir, &["--database-url", "mysql://x", "migrate"], None);
    assert_fails_with(&out, "database_url");

    let file = dir.join("a-file");
    std::fs::write(&file, "x").expect("write");
    let out = kindred(&file.join("sub"), &["migrate"], None);
    assert_fails_with(&out, "data directory");

    let config = dir.join("kindred.toml");
    std::fs::write(&config, "[server]\nbind = \"everywhere\"\n").expect("write");
    let out = kindred(&dir, &["--config", config.to_str().expect("path"), "migrate"], None);
    assert_fails_with(&out, "server.bind");

    let out = kindred(&dir, &["serve", "--bind", "not-an-address"], None);
    assert_fails_with(&out, "--bind");

    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr").to_string();
    let out = kindred(&dir, &["serve", "--bind", &addr], None);
    assert_fails_with(&out, "already in use");
    let _ = std::fs::remove_dir_all(dir);
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// A `kindred serve` or `kindred demo` process started for a test.
pub(crate) struct ServerProcess {
    child: std::process::Child,
    pub(crate) base: String,
}

/// Does the server on `port` answer `/readyz` with 200? (Plain HTTP/1.0,
/// so that waiting needs no runtime.)
fn is_ready(port: u16) -> bool {
    use std::io::Read;
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else { return false };
    let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(2)));
    if stream.write_all(b"GET /readyz HTTP/1.0\r\nHost: localhost\r\n\r\n").is_err() {
        return false;
    }
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.starts_with("HTTP/1.1 200") || answer.starts_with("HTTP/1.0 200")
}

impl ServerProcess {
    /// Spawns `command` and waits (at most 30 s) until it is ready on `port`.
    pub(crate) fn start(command: &mut Command, port: u16) -> ServerProcess {
        let child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
        let server = ServerProcess { child, base: format!("http://127.0.0.1:{port}") };
        for _ in 0..300 {
            if is_ready(port) {
                return server;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        server.stop();
        panic!("the server on port {port} did not become ready");
    }

    /// Sends SIGTERM, waits (at most 20 s) and returns what it printed.
    pub(crate) fn stop(mut self) -> Output {
        let status = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().expect("kill");
        assert!(status.success(), "kill -TERM");
        for _ in 0..200 {
            if self.child.try_wait().expect("wait").is_some() {
                return self.child.wait_with_output().expect("output");
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let _ = self.child.kill();
        panic!("the server did not stop within 20 s of SIGTERM");
    }
}

pub(crate) fn kindred_command(data_dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kindred"));
    command.arg("--data-dir").arg(data_dir).env_remove("KINDRED_DATABASE_URL").env_remove("KINDRED_CONFIG");
    command
}

#[test]
fn serve_stops_gracefully_on_sigterm() {
    let dir = temp_dir();
    let port = free_port();
    let server = ServerProcess::start(
        kindred_command(&dir).args(["serve", "--bind", &format!("127.0.0.1:{port}")]).env("KINDRED_LOG", "error"),
        port,
    );
    let output = server.stop();
    assert_eq!(output.status.code(), Some(0), "exit 0 after SIGTERM");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn demo_creates_its_association_once_and_its_logins_work() {
    let dir = temp_dir();
    let port = free_port();
    let server = ServerProcess::start(
        kindred_command(&dir).args(["demo", "--bind", &format!("127.0.0.1:{port}")]).env("KINDRED_LOG", "error"),
        port,
    );
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let client = reqwest::Client::new();
        let base = &server.base;
        let login: serde_json::Value = client
            .post(format!("{base}/a/demo/api/v1/auth/login"))
            .json(&serde_json::json!({"email": "mira@demo.kindred.invalid", "password": "kindred-demo-2026"}))
            .send()
            .await
            .expect("login")
            .json()
            .await
            .expect("json");
        let token = login["token"].as_str().expect("token").to_owned();
        let me: serde_json::Value = client
            .get(format!("{base}/a/demo/api/v1/me"))
            .bearer_auth(token)
            .send()
            .await
            .expect("me")
            .json()
            .await
            .expect("json");
        assert_eq!(me["pseudonym"], "Mira am Meer");
        assert!(me["profile"].as_object().is_some_and(|p| !p.is_empty()), "demo logins have profiles: {me}");
    });
    let output = server.stop();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("mira@demo.kindred.invalid") && stdout.contains("kindred-demo-2026"), "{stdout}");

    // A second start finds the demo association and creates nothing new.
    let out = kindred(&dir, &["association", "create", "--slug", "demo", "--name", "x"], None);
    assert_fails_with(&out, "already exists");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn separate_metrics_address_and_logs_without_personal_data() {
    let dir = temp_dir();
    let (main_port, metrics_port) = (free_port(), free_port());
    let config = dir.join("kindred.toml");
    std::fs::write(
        &config,
        format!("[server]\nbind = \"127.0.0.1:{main_port}\"\nmetrics_bind = \"127.0.0.1:{metrics_port}\"\n[log]\nformat = \"json\"\n"),
    )
    .expect("write");
    let out = kindred(&dir, &["association", "create", "--slug", "ms", "--name", "MS"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    // The deployment's --config may also follow the subcommand.
    let server = ServerProcess::start(
        kindred_command(&dir).arg("serve").arg("--config").arg(&config).env("KINDRED_LOG", "info"),
        main_port,
    );
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let client = reqwest::Client::new();
        let main = &server.base;
        client.get(format!("{main}/a/ms/?q=verysecretsearchterm")).send().await.expect("get");
        client
            .post(format!("{main}/a/ms/api/v1/auth/login"))
            .json(&serde_json::json!({"email": "private.person@example.org", "password": "whatever-it-is"}))
            .send()
            .await
            .expect("post");
        let on_main = client.get(format!("{main}/metrics")).send().await.expect("get");
        assert_eq!(on_main.status(), 404, "metrics only on their own address");
        let metrics = client.get(format!("http://127.0.0.1:{metrics_port}/metrics")).send().await.expect("get");
        assert_eq!(metrics.status(), 200);
        assert!(metrics.text().await.expect("text").contains("kindred_http_requests_total"));
    });
    let output = server.stop();
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(log.contains("\"route\":\"/a/{slug}/\""), "structured request lines: {log}");
    for personal in ["verysecretsearchterm", "private.person", "whatever-it-is"] {
        assert!(!log.contains(personal), "{personal} in the log: {log}");
    }
    assert_eq!(output.status.code(), Some(0));
    let _ = std::fs::remove_dir_all(dir);
}

#[cfg(unix)]
#[test]
fn a_new_data_directory_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir();
    let data = dir.join("fresh").join("data");
    let out = kindred(&data, &["migrate"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let mode = std::fs::metadata(&data).expect("data dir").permissions().mode() & 0o777;
    assert_eq!(mode, 0o700, "data directory mode {mode:o}");
    let key = std::fs::metadata(data.join("keys/master.key")).expect("key file").permissions().mode() & 0o777;
    assert_eq!(key, 0o600, "key file mode {key:o}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn association_list_and_update_from_a_file() {
    let dir = temp_dir();
    let out = kindred(&dir, &["association", "create", "--slug", "nord", "--name", "MS Nord"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = kindred(&dir, &["association", "list"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("nord\tMS Nord\t"), "{:?}", out.stdout);

    let file = dir.join("nord.toml");
    std::fs::write(&file, "name = \"MS Nord\"\nhosts = [\"nord.example\"]\n[policies]\ncount_threshold = 8\n")
        .expect("write");
    let file = file.to_string_lossy().into_owned();
    let out = kindred(&dir, &["association", "update", "--slug", "nord", "--config", &file], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(said.contains("policies.count_threshold") && said.contains("hosts"), "{said}");
    let out = kindred(&dir, &["association", "list"], None);
    assert!(String::from_utf8_lossy(&out.stdout).contains("nord.example"));

    // The same checks as the file when creating; nothing changes.
    std::fs::write(&file, "name = \"MS Nord\"\n[branding]\nprimary_color = \"#ffff00\"\n").expect("write");
    let out = kindred(&dir, &["association", "update", "--slug", "nord", "--config", &file], None);
    assert_fails_with(&out, "branding.primary_color");
    let out = kindred(&dir, &["association", "update", "--slug", "nobody", "--config", &file], None);
    assert_fails_with(&out, "branding.primary_color");
    let out = kindred(&dir, &["association", "list"], None);
    assert!(String::from_utf8_lossy(&out.stdout).contains("nord.example"), "unchanged");
    let _ = std::fs::remove_dir_all(&dir);
}
