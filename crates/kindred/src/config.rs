//! The deployment's configuration: command-line flags win over environment
//! variables (both handled by clap), which win over the `--config` TOML
//! file, which wins over the defaults. Every value is checked here, and a
//! bad one stops start-up with the setting's name and what is wrong.

use crate::error::CliError;
use kindred_domain::calls::{RawRelays, Relays};
use kindred_service::association_config::ConfigError;
use kindred_service::mail::{self, MailConfig, SmtpConfig, SmtpSecurity};
use kindred_web::Limits;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The `--config` file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    master_key: Option<String>,
    #[serde(default)]
    server: FileServer,
    #[serde(default)]
    log: FileLog,
    #[serde(default)]
    mail: FileMail,
    #[serde(default)]
    privacy: FilePrivacy,
    #[serde(default)]
    calls: FileCalls,
}

/// `[calls]`: the relays browsers use for calls.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileCalls {
    #[serde(default)]
    stun_urls: Vec<String>,
    #[serde(default)]
    turn_urls: Vec<String>,
    turn_secret: Option<Secret>,
    /// Wide, so that a wrong number gets our message rather than serde's.
    turn_credential_seconds: Option<i64>,
    relay_only: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FilePrivacy {
    /// Wide, so that a wrong number gets our message rather than serde's.
    profile_views_per_15_minutes: Option<i64>,
    searches_per_15_minutes: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileServer {
    bind: Option<String>,
    metrics_bind: Option<String>,
    request_timeout_seconds: Option<u64>,
    max_body_bytes: Option<usize>,
    header_read_timeout_seconds: Option<u64>,
    max_connections_per_client: Option<usize>,
    public_url: Option<String>,
    trusted_proxies: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileLog {
    format: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileMail {
    from: Option<String>,
    smtp_host: Option<String>,
    /// Wide, so that a wrong number gets our message rather than serde's.
    smtp_port: Option<i64>,
    smtp_security: Option<String>,
    smtp_username: Option<String>,
    smtp_password: Option<Secret>,
}

/// The sender when `mail.from` is not set.
pub const DEFAULT_MAIL_FROM: &str = "Kindred <no-reply@localhost>";

/// The environment variable that holds the SMTP password; wins over `mail.smtp_password`.
pub const SMTP_PASSWORD_ENV: &str = "KINDRED_SMTP_PASSWORD";

/// The environment variable that holds the TURN secret; wins over `calls.turn_secret`.
pub const TURN_SECRET_ENV: &str = "KINDRED_TURN_SECRET";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// What the flags and environment said (clap merges those two).
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub bind: Option<String>,
    /// From `KINDRED_MASTER_KEY` (never a flag: flags show in `ps`).
    pub master_key: Option<Secret>,
}

/// The secrets read from the environment (they win over the file).
#[derive(Debug, Default)]
struct Secrets {
    smtp_password: Option<Secret>,
    turn_secret: Option<Secret>,
}

/// A secret that never prints.
#[derive(Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// The configuration in force.
#[derive(Debug, Clone)]
pub struct Settings {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub bind: SocketAddr,
    pub metrics_bind: Option<SocketAddr>,
    pub limits: Limits,
    /// Header deadline and connections per client address; `[server]`.
    pub connections: crate::connections::ConnectionLimits,
    pub log_format: LogFormat,
    /// 64 hex characters; else the key file in the data directory is used
    /// (created on first start). Several nodes sharing PostgreSQL need it set.
    pub master_key: Option<Secret>,
    /// Where mail goes: the SMTP server of `[mail]`, else `{data_dir}/outbox`.
    pub mail: MailConfig,
    /// The sender of every mail, checked: "Name <address>" or a bare address.
    pub mail_from: String,
    /// Where members reach this server, for links in mails; `server.public_url`.
    pub public_url: Option<String>,
    /// Reverse proxies whose `X-Forwarded-For` is believed; `server.trusted_proxies`.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// How many profiles and searches a member may open per 15 minutes; `[privacy]`.
    pub pace: kindred_service::members::Pace,
    /// The relays of calls; `[calls]`.
    pub relays: Relays,
}

fn wrong(setting: &str, problem: impl std::fmt::Display) -> CliError {
    CliError::Config(ConfigError { setting: setting.to_owned(), problem: problem.to_string() })
}

/// `https://host[:port][/path]` (or `http://`), without a trailing slash.
fn parse_public_url(raw: &str) -> Result<String, CliError> {
    let url = raw.trim().trim_end_matches('/');
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    let ok = rest.is_some_and(|r| {
        let host = r.split('/').next().unwrap_or("");
        !host.is_empty() && r.chars().all(|c| c.is_ascii_graphic()) && !r.contains(['?', '#', '"', '<', '>'])
    });
    if ok {
        Ok(url.to_owned())
    } else {
        Err(wrong("server.public_url", format!("{raw:?} must look like https://kindred.example.org")))
    }
}

fn parse_addr(raw: &str, setting: &str) -> Result<SocketAddr, CliError> {
    raw.parse().map_err(|_| wrong(setting, format!("{raw:?} is not an address like 127.0.0.1:8080")))
}

pub fn read_file(path: &Path) -> Result<FileConfig, CliError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| wrong(&shown, format!("cannot be read: {e}")))?;
    parse_file(&text, &shown)
}

pub fn parse_file(text: &str, shown: &str) -> Result<FileConfig, CliError> {
    toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| text[..s.start.min(text.len())].lines().count().max(1));
        let message = e.message().replace('\n', " ");
        match line {
            Some(line) => wrong(&format!("{shown}, line {line}"), message),
            None => wrong(shown, message),
        }
    })
}

/// `[mail]`: an SMTP server when `smtp_host` is set, else the outbox
/// directory. SMTP settings without a host are refused rather than ignored,
/// so that mail meant for a server does not silently end up in files.
fn resolve_mail(
    file: FileMail,
    data_dir: &Path,
    env_password: Option<Secret>,
) -> Result<(MailConfig, String), CliError> {
    let from = file.from.unwrap_or_else(|| DEFAULT_MAIL_FROM.to_owned());
    mail::check_sender(&from).map_err(|e| {
        let reason = match e {
            mail::MailError::Address { reason, .. } => reason,
            other => other.to_string(),
        };
        wrong("mail.from", format!("{from:?} is not a sender like \"Kindred <no-reply@example.org>\" ({reason})"))
    })?;
    let password = env_password.filter(|p| !p.0.is_empty());
    let file_password = file.smtp_password.filter(|p| !p.0.is_empty());
    let Some(host) = file.smtp_host else {
        let stray = [
            ("mail.smtp_port", file.smtp_port.is_some()),
            ("mail.smtp_security", file.smtp_security.is_some()),
            ("mail.smtp_username", file.smtp_username.is_some()),
            ("mail.smtp_password", file_password.is_some()),
        ];
        if let Some((setting, _)) = stray.iter().find(|(_, set)| *set) {
            return Err(wrong(
                "mail.smtp_host",
                format!("is missing, but {setting} is set (without a host mail goes to the outbox)"),
            ));
        }
        return Ok((MailConfig::Outbox { dir: data_dir.join("outbox") }, from));
    };
    let host_ok = host.parse::<std::net::IpAddr>().is_ok()
        || (!host.is_empty() && !host.chars().any(|c| c.is_whitespace() || c.is_control() || "/:@[]".contains(c)));
    if !host_ok {
        return Err(wrong(
            "mail.smtp_host",
            format!("{host:?} must be a host name or IP address, without scheme or port"),
        ));
    }
    let security = match file.smtp_security.as_deref() {
        None => SmtpSecurity::StartTls,
        Some(raw) => SmtpSecurity::parse(raw)
            .ok_or_else(|| wrong("mail.smtp_security", format!("{raw:?} must be tls, starttls or none")))?,
    };
    let port = match file.smtp_port {
        None => security.default_port(),
        Some(n) => u16::try_from(n)
            .ok()
            .filter(|&p| p != 0)
            .ok_or_else(|| wrong("mail.smtp_port", "must be between 1 and 65535"))?,
    };
    let username = file.smtp_username.filter(|u| !u.is_empty());
    let password = password.or(file_password);
    match (&username, &password) {
        (Some(_), None) => {
            return Err(wrong(
                "mail.smtp_password",
                format!("is missing for mail.smtp_username (set it here or in {SMTP_PASSWORD_ENV})"),
            ))
        }
        (None, Some(_)) => {
            return Err(wrong(
                "mail.smtp_username",
                format!("is missing, but a password is set (mail.smtp_password or {SMTP_PASSWORD_ENV})"),
            ))
        }
        (Some(_), Some(_)) if security == SmtpSecurity::None => {
            return Err(wrong(
                "mail.smtp_security",
                "\"none\" would send the password unencrypted; use tls or starttls",
            ))
        }
        _ => {}
    }
    let smtp = SmtpConfig { host, port, security, username, password: password.map(|p| p.0) };
    Ok((MailConfig::Smtp(smtp), from))
}

impl Settings {
    /// Reads the SMTP password from `KINDRED_SMTP_PASSWORD`; everything else
    /// comes from the arguments.
    pub fn resolve(overrides: Overrides, file: FileConfig) -> Result<Settings, CliError> {
        let smtp_password = std::env::var(SMTP_PASSWORD_ENV).ok().map(Secret);
        let turn_secret = std::env::var(TURN_SECRET_ENV).ok().map(Secret);
        Self::resolve_with(overrides, file, Secrets { smtp_password, turn_secret })
    }

    fn resolve_with(overrides: Overrides, file: FileConfig, env: Secrets) -> Result<Settings, CliError> {
        let env_smtp_password = env.smtp_password;
        let data_dir = overrides.data_dir.or(file.data_dir).unwrap_or_else(|| PathBuf::from("./data"));
        if data_dir.as_os_str().is_empty() {
            return Err(wrong("data_dir (--data-dir, KINDRED_DATA_DIR)", "must not be empty"));
        }
        let database_url = match overrides.database_url.or(file.database_url) {
            Some(url) => {
                if kindred_store::Backend::of_url(&url).is_none() {
                    return Err(wrong(
                        "database_url (--database-url, KINDRED_DATABASE_URL)",
                        "must start with sqlite:// or postgres://",
                    ));
                }
                url
            }
            None => format!("sqlite://{}", data_dir.join("kindred.db").display()),
        };
        let bind = match (overrides.bind, file.server.bind) {
            (Some(raw), _) => parse_addr(&raw, "--bind (KINDRED_BIND)")?,
            (None, Some(raw)) => parse_addr(&raw, "server.bind")?,
            (None, None) => SocketAddr::from(([127, 0, 0, 1], 8080)),
        };
        let metrics_bind =
            file.server.metrics_bind.as_deref().map(|raw| parse_addr(raw, "server.metrics_bind")).transpose()?;
        let timeout = file.server.request_timeout_seconds.unwrap_or(30);
        if !(1..=600).contains(&timeout) {
            return Err(wrong("server.request_timeout_seconds", "must be between 1 and 600"));
        }
        let body = file.server.max_body_bytes.unwrap_or(1024 * 1024);
        if !(1024..=64 * 1024 * 1024).contains(&body) {
            return Err(wrong("server.max_body_bytes", "must be between 1024 and 67108864"));
        }
        let default_connections = crate::connections::ConnectionLimits::default();
        let header_read =
            file.server.header_read_timeout_seconds.unwrap_or(default_connections.header_read_timeout.as_secs());
        if !(1..=600).contains(&header_read) {
            return Err(wrong("server.header_read_timeout_seconds", "must be between 1 and 600"));
        }
        let per_client = file.server.max_connections_per_client.unwrap_or(default_connections.max_per_client);
        if !(1..=100_000).contains(&per_client) {
            return Err(wrong("server.max_connections_per_client", "must be between 1 and 100000"));
        }
        let connections = crate::connections::ConnectionLimits {
            header_read_timeout: Duration::from_secs(header_read),
            max_per_client: per_client,
        };
        let log_format = match file.log.format.as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => return Err(wrong("log.format", format!("{other:?} must be text or json"))),
        };
        let master_key = overrides.master_key.or(file.master_key.map(Secret)).filter(|k| !k.0.is_empty());
        let (mail, mail_from) = resolve_mail(file.mail, &data_dir, env_smtp_password)?;
        let public_url = file.server.public_url.map(|raw| parse_public_url(&raw)).transpose()?;
        let mut trusted_proxies = Vec::new();
        for (i, raw) in file.server.trusted_proxies.unwrap_or_default().iter().enumerate() {
            let ip = raw
                .trim()
                .parse()
                .map_err(|_| wrong(&format!("server.trusted_proxies[{i}]"), format!("{raw:?} is not an IP address")))?;
            trusted_proxies.push(ip);
        }
        let default_pace = kindred_service::members::Pace::default();
        let pace_limit = |raw: Option<i64>, setting: &str, default: i64| match raw {
            None => Ok(default),
            Some(n) if (10..=1_000_000_000).contains(&n) => Ok(n),
            Some(_) => Err(wrong(setting, "must be between 10 and 1000000000")),
        };
        let pace = kindred_service::members::Pace {
            profile_views: pace_limit(
                file.privacy.profile_views_per_15_minutes,
                "privacy.profile_views_per_15_minutes",
                default_pace.profile_views,
            )?,
            searches: pace_limit(
                file.privacy.searches_per_15_minutes,
                "privacy.searches_per_15_minutes",
                default_pace.searches,
            )?,
        };
        let calls = file.calls;
        let relays = Relays::parse(RawRelays {
            stun_urls: calls.stun_urls,
            turn_urls: calls.turn_urls,
            turn_secret: env.turn_secret.filter(|s| !s.0.is_empty()).or(calls.turn_secret).map(|s| s.0),
            turn_credential_seconds: calls.turn_credential_seconds,
            relay_only: calls.relay_only,
        })
        .map_err(|p| wrong(&p.setting, p.problem))?;
        Ok(Settings {
            relays,
            pace,
            public_url,
            trusted_proxies,
            master_key,
            mail,
            mail_from,
            data_dir,
            database_url,
            bind,
            metrics_bind,
            limits: Limits { body_bytes: body, request_timeout: Duration::from_secs(timeout) },
            connections,
            log_format,
        })
    }

    /// Where members reach this server: `server.public_url`, else the bind
    /// address over plain HTTP (right only for trying it out locally).
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.clone(),
            None => format!("http://{}", self.bind),
        }
    }

    /// Creates the data directory if needed and proves it can be written.
    /// A new data directory is made private (0700): it holds the database
    /// and the encryption key.
    pub fn prepare_data_dir(&self) -> Result<(), CliError> {
        let failed = |reason: String| CliError::DataDir { path: self.data_dir.clone(), reason };
        if !self.data_dir.exists() {
            let mut builder = std::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder.create(&self.data_dir).map_err(|e| failed(format!("cannot be created: {e}")))?;
        } else if !self.data_dir.is_dir() {
            return Err(failed("is not a directory".into()));
        }
        #[cfg(unix)]
        if let Ok(meta) = std::fs::metadata(&self.data_dir) {
            use std::os::unix::fs::PermissionsExt;
            if meta.permissions().mode() & 0o077 != 0 {
                tracing::warn!(
                    path = %self.data_dir.display(),
                    "the data directory can be read by other users of this machine; chmod 700 it"
                );
            }
        }
        let probe = self.data_dir.join(".kindred-write-test");
        std::fs::write(&probe, b"ok").map_err(|e| failed(format!("cannot be written: {e}")))?;
        std::fs::remove_file(&probe).map_err(|e| failed(format!("cannot be written: {e}")))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn smtp_env(smtp_password: Option<Secret>) -> Secrets {
        Secrets { smtp_password, turn_secret: None }
    }

    #[test]
    fn calls_name_their_relays_and_the_secret_comes_from_the_environment_first() {
        let f = |text: &str| file(text);
        let text =
            "[calls]\nstun_urls = [\"stun:stun.example.org:3478\"]\nturn_urls = [\"turn:turn.example.org:3478\"]\n\
                    turn_secret = \"from-file\"\nturn_credential_seconds = 600";
        let s = Settings::resolve_with(Overrides::default(), f(text), Secrets::default()).unwrap();
        let turn = s.relays.turn.as_ref().expect("turn");
        assert_eq!((turn.secret.expose(), turn.credential_seconds, s.relays.relay_only), ("from-file", 600, true));
        let env = Secrets { smtp_password: None, turn_secret: Some(Secret("from-env".into())) };
        let s = Settings::resolve_with(Overrides::default(), f(text), env).unwrap();
        assert_eq!(s.relays.turn.as_ref().expect("turn").secret.expose(), "from-env");
        let bad = |text: &str| message(Settings::resolve_with(Overrides::default(), f(text), Secrets::default()));
        assert!(bad("[calls]\nturn_urls = [\"turn:t.example.org\"]").contains("calls.turn_secret:"));
        assert!(bad("[calls]\nstun_urls = [\"http://x\"]").contains("calls.stun_urls[0]:"));
        assert!(bad("[calls]\nturn_urls = [\"turn:t\"]\nturn_secret = \"s\"\nturn_credential_seconds = 5")
            .contains("calls.turn_credential_seconds:"));
        assert!(parse_file("[calls]\nrelay = true", "k.toml").is_err(), "an unknown setting is refused");
        let none = Settings::resolve_with(Overrides::default(), FileConfig::default(), Secrets::default()).unwrap();
        assert_eq!(none.relays, Relays::none());
    }

    fn file(text: &str) -> FileConfig {
        parse_file(text, "kindred.toml").unwrap_or_else(|e| panic!("{e}"))
    }

    fn message(result: Result<Settings, CliError>) -> String {
        match result {
            Ok(_) => "ok".into(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn defaults() {
        let s = Settings::resolve(Overrides::default(), FileConfig::default());
        assert!(matches!(&s, Ok(s) if s.bind.to_string() == "127.0.0.1:8080"
            && s.database_url == "sqlite://./data/kindred.db"
            && s.log_format == LogFormat::Text));
    }

    #[test]
    fn flags_and_env_win_over_the_file() {
        let f = file("data_dir = \"/srv/k\"\ndatabase_url = \"postgres://db/k\"\n[server]\nbind = \"0.0.0.0:80\"");
        let o = Overrides {
            data_dir: Some("/tmp/x".into()),
            database_url: None,
            bind: Some("127.0.0.1:9".into()),
            master_key: None,
        };
        let s = Settings::resolve(o, f);
        assert!(matches!(&s, Ok(s) if s.data_dir == Path::new("/tmp/x")
            && s.database_url == "postgres://db/k"
            && s.bind.to_string() == "127.0.0.1:9"));
    }

    #[test]
    fn proxies_and_public_url() {
        let f = file("[server]\ntrusted_proxies = [\"127.0.0.1\", \"::1\"]\npublic_url = \"https://k.example.org/\"");
        let s = Settings::resolve(Overrides::default(), f);
        assert!(matches!(&s, Ok(s) if s.trusted_proxies.len() == 2 && s.public_url() == "https://k.example.org"));
        let s = Settings::resolve(Overrides::default(), FileConfig::default());
        assert!(matches!(&s, Ok(s) if s.trusted_proxies.is_empty() && s.public_url() == "http://127.0.0.1:8080"));
    }

    #[test]
    fn connection_limits_default_and_come_from_the_file() {
        let s = Settings::resolve(Overrides::default(), FileConfig::default());
        assert!(matches!(&s, Ok(s) if s.connections.header_read_timeout == Duration::from_secs(15)
            && s.connections.max_per_client == 256));
        let f = file("[server]\nheader_read_timeout_seconds = 5\nmax_connections_per_client = 10");
        let s = Settings::resolve(Overrides::default(), f);
        assert!(matches!(&s, Ok(s) if s.connections.header_read_timeout == Duration::from_secs(5)
            && s.connections.max_per_client == 10));
    }

    #[test]
    fn the_file_wins_over_defaults() {
        let f = file("data_dir = \"/srv/k\"\n[server]\nrequest_timeout_seconds = 5\n[log]\nformat = \"json\"");
        let s = Settings::resolve(Overrides::default(), f);
        assert!(matches!(&s, Ok(s) if s.database_url == "sqlite:///srv/k/kindred.db"
            && s.limits.request_timeout == Duration::from_secs(5)
            && s.log_format == LogFormat::Json));
    }

    #[test]
    fn bad_values_name_the_setting() {
        let bad = |text: &str| message(Settings::resolve(Overrides::default(), file(text)));
        assert!(bad("[server]\nbind = \"nowhere\"").contains("server.bind:"));
        assert!(bad("[server]\nmetrics_bind = \"1.2.3\"").contains("server.metrics_bind:"));
        assert!(bad("[server]\nrequest_timeout_seconds = 0").contains("server.request_timeout_seconds:"));
        assert!(bad("[server]\nheader_read_timeout_seconds = 0").contains("server.header_read_timeout_seconds:"));
        assert!(bad("[server]\nmax_connections_per_client = 0").contains("server.max_connections_per_client:"));
        assert!(bad("database_url = \"mysql://x\"").contains("database_url ("));
        assert!(bad("[log]\nformat = \"xml\"").contains("log.format:"));
        assert!(bad("[server]\ntrusted_proxies = [\"::1\", \"proxy\"]").contains("server.trusted_proxies[1]:"));
        assert!(bad("[server]\npublic_url = \"kindred.example.org\"").contains("server.public_url:"));
        let o = Overrides { bind: Some("8080".into()), ..Overrides::default() };
        assert!(message(Settings::resolve(o, FileConfig::default())).contains("--bind (KINDRED_BIND):"));
    }

    fn smtp(settings: &Settings) -> &SmtpConfig {
        match &settings.mail {
            MailConfig::Smtp(smtp) => smtp,
            other => panic!("not smtp: {other:?}"),
        }
    }

    #[test]
    fn mail_defaults_to_the_outbox_in_the_data_directory() {
        let s =
            Settings::resolve_with(Overrides::default(), file("data_dir = \"/srv/k\""), Secrets::default()).unwrap();
        assert!(matches!(&s.mail, MailConfig::Outbox { dir } if dir == Path::new("/srv/k/outbox")));
        assert_eq!(s.mail_from, "Kindred <no-reply@localhost>");
        // A password in the environment alone does not switch to SMTP.
        let s =
            Settings::resolve_with(Overrides::default(), FileConfig::default(), smtp_env(Some(Secret("pw".into()))))
                .unwrap();
        assert!(matches!(&s.mail, MailConfig::Outbox { dir } if dir == Path::new("./data/outbox")));
    }

    #[test]
    fn mail_goes_to_the_smtp_server_when_one_is_named() {
        let f = file("[mail]\nfrom = \"Verein <info@verein.example>\"\nsmtp_host = \"mail.example.org\"");
        let s = Settings::resolve_with(Overrides::default(), f, Secrets::default()).unwrap();
        assert_eq!(s.mail_from, "Verein <info@verein.example>");
        let m = smtp(&s);
        assert_eq!((m.host.as_str(), m.port, m.security), ("mail.example.org", 587, SmtpSecurity::StartTls));
        assert_eq!((m.username.as_deref(), m.password.as_deref()), (None, None));

        let port = |security: &str| {
            let f = file(&format!("[mail]\nsmtp_host = \"127.0.0.1\"\nsmtp_security = \"{security}\""));
            smtp(&Settings::resolve_with(Overrides::default(), f, Secrets::default()).unwrap()).port
        };
        assert_eq!((port("tls"), port("starttls"), port("none")), (465, 587, 25));

        let f = file(
            "[mail]\nsmtp_host = \"smtp.example.org\"\nsmtp_port = 2525\nsmtp_security = \"tls\"\n\
             smtp_username = \"kindred\"\nsmtp_password = \"from-file\"",
        );
        let s = Settings::resolve_with(Overrides::default(), f, Secrets::default()).unwrap();
        let m = smtp(&s);
        assert_eq!((m.port, m.security), (2525, SmtpSecurity::Tls));
        assert_eq!((m.username.as_deref(), m.password.as_deref()), (Some("kindred"), Some("from-file")));
        let shown = format!("{s:?}");
        assert!(!shown.contains("from-file"), "{shown}");
    }

    #[test]
    fn the_smtp_password_from_the_environment_wins() {
        let text = "[mail]\nsmtp_host = \"smtp.example.org\"\nsmtp_username = \"kindred\"";
        let with_file = format!("{text}\nsmtp_password = \"from-file\"");
        let password = |text: &str, env: Option<&str>| {
            let s = Settings::resolve_with(Overrides::default(), file(text), smtp_env(env.map(|e| Secret(e.into()))));
            s.map(|s| smtp(&s).password.clone()).map_err(|e| e.to_string())
        };
        assert_eq!(password(&with_file, Some("from-env")), Ok(Some("from-env".into())));
        assert_eq!(password(text, Some("from-env")), Ok(Some("from-env".into())));
        // Set but empty counts as not set.
        assert_eq!(password(&with_file, Some("")), Ok(Some("from-file".into())));
        assert_eq!(password(&with_file, None), Ok(Some("from-file".into())));
        assert!(matches!(password(text, None), Err(e) if e.contains("mail.smtp_password:")
            && e.contains("KINDRED_SMTP_PASSWORD")));
        // A password needs a user name to go with it.
        let no_user = "[mail]\nsmtp_host = \"smtp.example.org\"";
        assert!(matches!(password(no_user, Some("from-env")), Err(e) if e.contains("mail.smtp_username:")));
    }

    #[test]
    fn bad_mail_values_name_the_setting() {
        let bad = |text: &str| message(Settings::resolve_with(Overrides::default(), file(text), Secrets::default()));
        let host = "[mail]\nsmtp_host = \"smtp.example.org\"\n";
        assert!(bad(&format!("{host}smtp_security = \"ssl\"")).contains("mail.smtp_security: \"ssl\" must be"));
        assert!(bad(&format!("{host}smtp_port = 0")).contains("mail.smtp_port:"));
        assert!(bad(&format!("{host}smtp_port = 70000")).contains("mail.smtp_port:"));
        assert!(bad(&format!("{host}smtp_port = -25")).contains("mail.smtp_port:"));
        assert!(bad("[mail]\nfrom = \"Kindred\"").contains("mail.from: \"Kindred\""));
        assert!(bad("[mail]\nfrom = \"Kindred <no-reply\"").contains("mail.from:"));
        assert!(bad("[mail]\nsmtp_host = \"smtp.example.org:587\"").contains("mail.smtp_host:"));
        assert!(bad("[mail]\nsmtp_host = \"smtp://smtp.example.org\"").contains("mail.smtp_host:"));
        assert!(bad("[mail]\nsmtp_host = \"\"").contains("mail.smtp_host:"));
        assert_eq!(bad("[mail]\nsmtp_host = \"::1\"\nsmtp_security = \"none\""), "ok");
        // SMTP settings without a host would silently be ignored: refused.
        let stray = bad("[mail]\nsmtp_port = 587");
        assert!(stray.contains("mail.smtp_host:") && stray.contains("mail.smtp_port"), "{stray}");
        let plain = format!("{host}smtp_security = \"none\"\nsmtp_username = \"u\"\nsmtp_password = \"p\"");
        assert!(bad(&plain).contains("mail.smtp_security:"));
        let unknown = parse_file("[mail]\nsmtp_server = \"x\"", "kindred.toml").map(|_| ());
        assert!(matches!(unknown, Err(e) if e.to_string().contains("smtp_server")));
    }

    #[test]
    fn unknown_keys_and_syntax_errors_are_refused() {
        let unknown = parse_file("[server]\nbnid = \"x\"", "kindred.toml").map(|_| ());
        assert!(
            matches!(unknown, Err(e) if e.to_string().contains("kindred.toml, line") && e.to_string().contains("bnid"))
        );
        let syntax = parse_file("data_dir = ", "kindred.toml").map(|_| ());
        assert!(matches!(syntax, Err(e) if e.to_string().contains("kindred.toml, line 1")));
    }
}
