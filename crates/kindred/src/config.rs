//! The deployment's configuration: command-line flags win over environment
//! variables (both handled by clap), which win over the `--config` TOML
//! file, which wins over the defaults. Every value is checked here, and a
//! bad one stops start-up with the setting's name and what is wrong.

use crate::error::CliError;
use kindred_service::association_config::ConfigError;
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
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileServer {
    bind: Option<String>,
    metrics_bind: Option<String>,
    request_timeout_seconds: Option<u64>,
    max_body_bytes: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileLog {
    format: Option<String>,
}

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

/// A secret that never prints.
#[derive(Clone, Default)]
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
    pub log_format: LogFormat,
    /// 64 hex characters; else the key file in the data directory is used
    /// (created on first start). Several nodes sharing PostgreSQL need it set.
    pub master_key: Option<Secret>,
}

fn wrong(setting: &str, problem: impl std::fmt::Display) -> CliError {
    CliError::Config(ConfigError { setting: setting.to_owned(), problem: problem.to_string() })
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

impl Settings {
    pub fn resolve(overrides: Overrides, file: FileConfig) -> Result<Settings, CliError> {
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
        let log_format = match file.log.format.as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => return Err(wrong("log.format", format!("{other:?} must be text or json"))),
        };
        let master_key = overrides.master_key.or(file.master_key.map(Secret)).filter(|k| !k.0.is_empty());
        Ok(Settings {
            master_key,
            data_dir,
            database_url,
            bind,
            metrics_bind,
            limits: Limits { body_bytes: body, request_timeout: Duration::from_secs(timeout) },
            log_format,
        })
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
        assert!(bad("database_url = \"mysql://x\"").contains("database_url ("));
        assert!(bad("[log]\nformat = \"xml\"").contains("log.format:"));
        let o = Overrides { bind: Some("8080".into()), ..Overrides::default() };
        assert!(message(Settings::resolve(o, FileConfig::default())).contains("--bind (KINDRED_BIND):"));
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
