use chrono::{TimeZone, Utc};
use kindred::config::{FileConfig, Overrides, Settings};
use kindred::server::{self, Running};
use kindred_service::association_config;
use kindred_service::{Association, FixedClock, Kindred};
use rand::Rng;
use sqlx::Connection;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

pub const BOTH: [Db; 2] = [Db::Sqlite, Db::Postgres];

/// The password of accounts made with [`TestServer::user`].
pub const STAFF_PASSWORD: &str = "staff password 2026";

/// The `token=` value of the first link in a mail.
pub fn token_in(mail: &str) -> String {
    let start = mail.find("token=").expect("a link with a token") + "token=".len();
    mail[start..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect()
}

pub fn postgres_admin_url() -> String {
    std::env::var("KINDRED_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn random_name(prefix: &str) -> String {
    let n: u64 = rand::thread_rng().gen();
    format!("{prefix}_{n:016x}")
}

pub fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(random_name("kindred_it"));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A fresh, empty database of the given kind; returns its URL.
pub async fn fresh_database(db: Db, dir: &std::path::Path) -> (String, Option<String>) {
    match db {
        Db::Sqlite => (format!("sqlite://{}/kindred.db", dir.display()), None),
        Db::Postgres => postgres_database(None).await,
    }
}

/// A fresh database for a test server; returns its URL. SQLite's is empty
/// (the server migrates it in a few milliseconds); PostgreSQL's is a copy
/// of a template migrated once: migrating each test's database anew was
/// 0.45 s of every test.
pub async fn migrated_database(db: Db, dir: &std::path::Path) -> (String, Option<String>) {
    match db {
        Db::Sqlite => fresh_database(db, dir).await,
        Db::Postgres => postgres_database(Some(PG_TEMPLATE.get_or_init(postgres_template).await)).await,
    }
}

/// A new PostgreSQL database, empty or a copy of `template`: its URL and name.
async fn postgres_database(template: Option<&str>) -> (String, Option<String>) {
    let admin = postgres_admin_url();
    let name = random_name("kindred_it");
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {admin} is needed for the suite: {e}"));
    let create = match template {
        None => format!("CREATE DATABASE {name}"),
        Some(template) => format!("CREATE DATABASE {name} TEMPLATE {template}"),
    };
    sqlx::query(&create).execute(&mut conn).await.expect("create database");
    let base = admin.rsplit_once('/').map(|(b, _)| b.to_owned()).expect("url with a database");
    (format!("{base}/{name}"), Some(name))
}

static PG_TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();

/// The migrated template database, named for the migrations it holds, so
/// that a run after a new migration makes a new one. Made under another
/// name and renamed when complete (a run stopped half-way leaves no broken
/// template), under an advisory lock (two runs at once make it once).
async fn postgres_template() -> String {
    let migrations = concat!(env!("CARGO_MANIFEST_DIR"), "/../kindred-store/migrations/postgres");
    let mut files: Vec<_> = std::fs::read_dir(migrations)
        .expect("the PostgreSQL migrations")
        .map(|entry| entry.expect("a migration").path())
        .collect();
    files.sort();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for file in &files {
        std::hash::Hash::hash(&std::fs::read(file).expect("a migration's text"), &mut hasher);
    }
    let name = format!("kindred_it_tpl_{:016x}", std::hash::Hasher::finish(&hasher));

    let admin = postgres_admin_url();
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {admin} is needed for the suite: {e}"));
    sqlx::query("SELECT pg_advisory_lock(20261207)").execute(&mut conn).await.expect("lock");
    let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_optional(&mut conn)
        .await
        .expect("look for the template");
    if exists.is_none() {
        let stale: Vec<String> =
            sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE 'kindred\\_it\\_tpl\\_%'")
                .fetch_all(&mut conn)
                .await
                .expect("older templates");
        for old in stale {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {old} WITH (FORCE)")).execute(&mut conn).await;
        }
        let (url, Some(making)) = postgres_database(None).await else { panic!("a PostgreSQL database") };
        let store = kindred_store::Store::connect(&url).await.expect("connect to the template");
        store.migrate().await.expect("migrate the template");
        store.close().await;
        sqlx::query(&format!("ALTER DATABASE {making} RENAME TO {name}"))
            .execute(&mut conn)
            .await
            .expect("name the template");
    }
    sqlx::query("SELECT pg_advisory_unlock(20261207)").execute(&mut conn).await.expect("unlock");
    name
}

pub async fn drop_database(name: &str) {
    if let Ok(mut conn) = sqlx::PgConnection::connect(&postgres_admin_url()).await {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut conn).await;
    }
}

pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    pub kindred: Kindred,
    pub clock: Arc<FixedClock>,
    pub database_url: String,
    /// TOTP secrets of test accounts, by e-mail address.
    pub secrets: std::sync::Mutex<std::collections::HashMap<String, Vec<u8>>>,
    running: Option<Running>,
    dir: PathBuf,
    pg_name: Option<String>,
}

impl TestServer {
    pub async fn start(db: Db) -> TestServer {
        Self::start_with(db, FileConfig::default()).await
    }

    /// [`TestServer::start`] with settings of a deployment configuration
    /// file, e.g. `server.public_url`.
    pub async fn start_with(db: Db, file: FileConfig) -> TestServer {
        let dir = temp_dir();
        let (url, pg_name) = migrated_database(db, &dir).await;
        let overrides = Overrides {
            data_dir: Some(dir.clone()),
            database_url: Some(url.clone()),
            bind: Some("127.0.0.1:0".into()),
            master_key: None,
        };
        let settings = Settings::resolve(overrides, file).expect("settings");
        let clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).single().expect("time")));
        let kindred = server::open_with_clock(&settings, clock.clone()).await.expect("open");
        let running = server::spawn_configured(kindred.clone(), &settings).await.expect("spawn");
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        TestServer {
            base: format!("http://{}", running.addr),
            client,
            kindred,
            clock,
            database_url: url,
            secrets: Default::default(),
            running: Some(running),
            dir,
            pg_name,
        }
    }

    /// A second node on the same database and data directory, with the
    /// same clock: what another server process of the deployment would be.
    pub async fn another_node(&self) -> Kindred {
        let overrides = Overrides {
            data_dir: Some(self.dir.clone()),
            database_url: Some(self.database_url.clone()),
            bind: Some("127.0.0.1:0".into()),
            master_key: None,
        };
        let settings = Settings::resolve(overrides, FileConfig::default()).expect("settings");
        server::open_with_clock(&settings, self.clock.clone()).await.expect("open a second node")
    }

    /// A second server of the deployment, running and answering HTTP on
    /// its own port, on the same database (what a second `kindred serve`
    /// process behind a load balancer is): its base URL and the server, to
    /// stop at the end.
    pub async fn another_server(&self) -> (String, Running) {
        let kindred = self.another_node().await;
        let addr = "127.0.0.1:0".parse().expect("address");
        let running = server::spawn(kindred, kindred_web::Limits::default(), addr).await.expect("spawn a second node");
        (format!("http://{}", running.addr), running)
    }

    /// How many rows `table` has (a table name from the test itself).
    pub async fn count_rows(&self, table: &str) -> i64 {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        if self.database_url.starts_with("sqlite://") {
            let mut conn = sqlx::SqliteConnection::connect(&self.database_url).await.expect("connect");
            let (n,): (i64,) = sqlx::query_as(&sql).fetch_one(&mut conn).await.expect("count");
            return n;
        }
        let mut conn = sqlx::PgConnection::connect(&self.database_url).await.expect("connect");
        let (n,): (i64,) = sqlx::query_as(&sql).fetch_one(&mut conn).await.expect("count");
        n
    }

    /// Where mail goes in tests (no SMTP configured).
    pub fn outbox(&self) -> PathBuf {
        self.dir.join("outbox")
    }

    /// The mails sent to `to` so far, oldest first, waiting up to twenty
    /// seconds for at least `count` (mail is sent in the background, and
    /// the whole suite shares two cores with its databases: the wait ends
    /// as soon as the mails are there, so only a failure pays for it).
    pub async fn mails_to(&self, to: &str, count: usize) -> Vec<String> {
        for _ in 0..400 {
            let mut files: Vec<_> = std::fs::read_dir(self.outbox())
                .map(|dir| dir.filter_map(Result::ok).map(|e| e.path()).collect())
                .unwrap_or_default();
            files.retain(|p| p.extension().is_some_and(|e| e == "eml"));
            files.sort();
            let mails: Vec<String> = files
                .iter()
                .filter_map(|p| std::fs::read_to_string(p).ok())
                .filter(|m| m.lines().any(|l| l.to_ascii_lowercase().starts_with("to:") && l.contains(to)))
                .collect();
            if mails.len() >= count {
                return mails;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("expected {count} mail(s) to {to} in {}", self.outbox().display());
    }

    /// Everything the database holds, as text: the files for SQLite, every
    /// row for PostgreSQL.
    pub async fn dump(&self) -> String {
        let url = &self.database_url;
        if let Some(path) = url.strip_prefix("sqlite://") {
            let mut text = String::new();
            for suffix in ["", "-wal"] {
                if let Ok(bytes) = std::fs::read(format!("{path}{suffix}")) {
                    text.push_str(&String::from_utf8_lossy(&bytes));
                }
            }
            return text;
        }
        let mut conn = sqlx::PgConnection::connect(url).await.expect("connect");
        let tables: Vec<(String,)> =
            sqlx::query_as("SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()")
                .fetch_all(&mut conn)
                .await
                .expect("tables");
        let mut text = String::new();
        for (table,) in tables {
            let rows: Vec<(String,)> =
                sqlx::query_as(&format!("SELECT t::text FROM {table} t")).fetch_all(&mut conn).await.expect("rows");
            for (row,) in rows {
                text.push_str(&row);
                text.push('\n');
            }
        }
        text
    }

    /// Signs in a staff account made with [`TestServer::user`], setting up
    /// an authenticator app first if it has none (associations may require
    /// one of staff); returns the bearer token.
    pub async fn login_staff(&self, association: &Association, email: &str) -> String {
        let slug = association.slug.as_str();
        let probe = self
            .post_json(
                &format!("/a/{slug}/api/v1/auth/login"),
                serde_json::json!({"email": email, "password": STAFF_PASSWORD}),
            )
            .await;
        if probe.status() == 200 {
            let token =
                probe.json::<serde_json::Value>().await.expect("json")["token"].as_str().expect("token").to_owned();
            let me = self.get_as(&token, &format!("/a/{slug}/api/v1/me")).await;
            let strict =
                association.settings.admission.second_factor != kindred_domain::settings::SecondFactorRule::None;
            if !strict || me["second_factor"] == true {
                return token;
            }
            crate::accounts::enrol_totp(self, slug, &token, STAFF_PASSWORD).await;
        }
        self.login_with_totp(association, email).await
    }

    /// Signs in with the password and the current TOTP code of an account
    /// whose secret [`crate::accounts::enrol_totp`] remembered.
    pub async fn login_with_totp(&self, association: &Association, email: &str) -> String {
        let slug = association.slug.as_str();
        // Each code works once: move on to the next time step.
        self.clock.advance(chrono::Duration::seconds(30));
        let code = crate::accounts::current_code(self, email);
        let response = self
            .post_json(
                &format!("/a/{slug}/api/v1/auth/login"),
                serde_json::json!({"email": email, "password": STAFF_PASSWORD, "totp_code": code}),
            )
            .await;
        assert_eq!(response.status(), 200, "login with TOTP as {email}");
        response.json::<serde_json::Value>().await.expect("json")["token"].as_str().expect("token").to_owned()
    }

    /// Adds an active account with a role.
    pub async fn user(&self, association: &Association, email: &str, pseudonym: &str, role: &str) -> String {
        let input = kindred_service::accounts::AddUser { email, pseudonym, password: STAFF_PASSWORD, role };
        self.kindred.add_user(association, input).await.expect("add user").to_string()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request")
    }

    /// Creates an association from a TOML text (its logo, if any, is the MS example's).
    pub async fn association(&self, slug: &str, name: &str, toml: &str) -> Association {
        let raw = association_config::parse_toml(toml, "test.toml").expect("toml");
        let settings = association_config::build(raw, Some(name)).expect("settings");
        self.kindred.create_association(slug, settings, None).await.expect("create association")
    }

    pub async fn ms_association(&self, slug: &str) -> Association {
        let toml = include_str!("../../../../examples/ms-society.toml");
        let raw = association_config::parse_toml(toml, "ms-society.toml").expect("toml");
        let settings = association_config::build(raw, Some("MS Test")).expect("settings");
        let logo =
            association_config::check_logo(include_bytes!("../../../../examples/ms-society-logo.svg").to_vec(), "logo")
                .expect("logo");
        self.kindred.create_association(slug, settings, Some(logo)).await.expect("create association")
    }

    pub async fn stop(mut self) {
        if let Some(running) = self.running.take() {
            running.stop().await.expect("clean shutdown");
        }
        self.kindred.store.close().await;
        if let Some(name) = &self.pg_name {
            drop_database(name).await;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The body of an API error, checked to have the documented shape.
pub async fn api_error(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    assert!(content_type.starts_with("application/json"), "error content type {content_type}");
    let body: serde_json::Value = response.json().await.expect("json error body");
    let code = body["error"]["code"].as_str().expect("error.code").to_owned();
    assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "error.message in {body}");
    assert!(code.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "snake_case code {code}");
    (status, code)
}

impl TestServer {
    /// Adds an active account with the given password.
    pub async fn member(&self, association: &Association, email: &str, pseudonym: &str, password: &str) -> String {
        let input = kindred_service::accounts::AddUser { email, pseudonym, password, role: "member" };
        self.kindred.add_user(association, input).await.expect("add user").to_string()
    }

    /// Signs in over the API and returns the bearer token.
    pub async fn login(&self, slug: &str, email: &str, password: &str) -> String {
        let response = self
            .post_json(
                &format!("/a/{slug}/api/v1/auth/login"),
                serde_json::json!({"email": email, "password": password}),
            )
            .await;
        assert_eq!(response.status(), 200, "login as {email}");
        let body: serde_json::Value = response.json().await.expect("json");
        body["token"].as_str().expect("token").to_owned()
    }

    /// GET with a bearer token, as JSON.
    pub async fn get_as(&self, token: &str, path: &str) -> serde_json::Value {
        let response = self.client.get(self.url(path)).bearer_auth(token).send().await.expect("get");
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.expect("json")
    }

    pub async fn post_json(&self, path: &str, body: serde_json::Value) -> reqwest::Response {
        self.client.post(self.url(path)).json(&body).send().await.expect("request")
    }
}

/// A page with its CSRF values (masked afresh in every response) left out.
pub fn without_csrf(html: &str) -> String {
    let mut parts = html.split("name=\"csrf\" value=\"");
    let mut out = parts.next().unwrap_or_default().to_owned();
    for part in parts {
        out.push_str("name=\"csrf\" value=\"…\"");
        out.push_str(part.split_once('"').map_or(part, |(_, rest)| rest));
    }
    out
}
