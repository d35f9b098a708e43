//! The command line, as `api.md` fixes it.

use crate::config::{self, FileConfig, LogFormat, Overrides, Settings};
use crate::error::CliError;
use crate::{demo, operations, server};
use clap::{Args, Parser, Subcommand};
use kindred_service::accounts::AddUser;
use kindred_service::association_config;
use std::io::Read;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "kindred",
    version,
    about = "Kindred: a privacy-first community platform for patient self-help associations"
)]
pub struct Cli {
    /// Directory for the SQLite database, uploads and the mail outbox
    #[arg(long, env = "KINDRED_DATA_DIR", global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// sqlite://PATH or postgres://… (default: sqlite://{data-dir}/kindred.db)
    #[arg(long, env = "KINDRED_DATABASE_URL", global = true, value_name = "URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// The deployment's TOML configuration file
    #[arg(long, env = "KINDRED_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

/// `--config` after a subcommand: the deployment's file, as before it.
/// (`association create` is the exception: there `--config` names the
/// association's file, as `api.md` fixes it.)
#[derive(Args, Debug, Default)]
pub struct DeploymentConfig {
    /// The deployment's TOML configuration file
    #[arg(long = "config", value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Migrate the database, then serve
    Serve {
        /// Address to listen on (default 127.0.0.1:8080)
        #[arg(long, env = "KINDRED_BIND", value_name = "ADDR")]
        bind: Option<String>,
        #[command(flatten)]
        deployment: DeploymentConfig,
    },
    /// Create the demo association (once), print its logins, then serve
    Demo {
        #[arg(long, env = "KINDRED_BIND", value_name = "ADDR")]
        bind: Option<String>,
        #[command(flatten)]
        deployment: DeploymentConfig,
    },
    /// Apply pending migrations and exit
    Migrate {
        #[command(flatten)]
        deployment: DeploymentConfig,
    },
    /// Manage associations
    #[command(subcommand)]
    Association(AssociationCommand),
    /// Manage accounts
    #[command(subcommand)]
    User(UserCommand),
    /// Write a consistent copy of the whole deployment's database while it
    /// serves (SQLite: an online copy; PostgreSQL: pg_dump), without the
    /// master key
    Backup {
        /// The file to write; it must not exist yet
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
        #[command(flatten)]
        deployment: DeploymentConfig,
    },
    /// Restore a backup into an empty data directory or database; refuses anything else
    Restore {
        /// A file written by `kindred backup`
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        #[command(flatten)]
        deployment: DeploymentConfig,
    },
    /// Check the database's integrity, its migrations and that the master key
    /// opens the sealed data; one line per problem, non-zero exit if any
    Check {
        #[command(flatten)]
        deployment: DeploymentConfig,
    },
    /// Generate benchmark data: associations bench-1 … bench-N with M members each
    Generate {
        #[arg(long, default_value_t = 10)]
        associations: u32,
        #[arg(long, default_value_t = 1000)]
        members: u32,
        /// Also fill bench-1 with a forum of this many posts (one topic with 200 replies)
        #[arg(long, default_value_t = 0)]
        posts: u64,
        /// Also fill bench-1 with this many events (one in fifty a weekly series)
        #[arg(long, default_value_t = 0)]
        events: u64,
        /// Also fill bench-1 with this many messages (one conversation of 10,000)
        #[arg(long, default_value_t = 0)]
        messages: u64,
        #[command(flatten)]
        deployment: DeploymentConfig,
    },
}

#[derive(Subcommand, Debug)]
pub enum AssociationCommand {
    /// Create an association
    Create {
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
        /// The association's TOML file (catalogue, levels, policies; see docs/association-config.md)
        #[arg(long = "config", value_name = "FILE")]
        association_config: Option<PathBuf>,
    },
    /// List the associations of the deployment: slug, name, host names
    List,
    /// Replace an association's settings with a TOML file (the same format
    /// and checks as `create`; the file is the whole configuration, with `name`)
    Update {
        #[arg(long)]
        slug: String,
        #[arg(long = "config", value_name = "FILE")]
        association_config: PathBuf,
    },
    /// Write one association, with all its members and data, to a file
    /// encrypted with a passphrase (KINDRED_TRANSFER_PASSPHRASE, else the
    /// first line of standard input), to import it into another deployment
    /// (docs/association-transfer.md)
    Export {
        #[arg(long)]
        slug: String,
        /// The file to write; it must not exist yet
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[command(flatten)]
        deployment: DeploymentConfig,
    },
    /// Import an association from a file written by `association export`,
    /// sealing its data again under this deployment's keys; all or nothing
    Import {
        #[arg(long = "in", value_name = "FILE")]
        input: PathBuf,
        /// Import under another slug
        #[arg(long)]
        slug: Option<String>,
        #[command(flatten)]
        deployment: DeploymentConfig,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create an active, verified account; the password is read from standard input
    Add {
        #[arg(long)]
        association: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        pseudonym: String,
        /// admin, moderator, professional or member
        #[arg(long)]
        role: String,
        #[command(flatten)]
        deployment: DeploymentConfig,
    },
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("KINDRED_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    use std::io::IsTerminal;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

impl Command {
    /// The deployment file named after the subcommand, if any.
    fn deployment_config(&self) -> Option<&PathBuf> {
        match self {
            Command::Serve { deployment, .. }
            | Command::Demo { deployment, .. }
            | Command::Migrate { deployment }
            | Command::Backup { deployment, .. }
            | Command::Restore { deployment, .. }
            | Command::Check { deployment }
            | Command::Generate { deployment, .. }
            | Command::User(UserCommand::Add { deployment, .. })
            | Command::Association(AssociationCommand::Export { deployment, .. })
            | Command::Association(AssociationCommand::Import { deployment, .. }) => deployment.config.as_ref(),
            Command::Association(_) => None,
        }
    }
}

pub async fn run(cli: Cli) -> Result<(), CliError> {
    // After the subcommand wins over before it (and over KINDRED_CONFIG).
    let file = match cli.command.deployment_config().or(cli.config.as_ref()) {
        Some(path) => config::read_file(path)?,
        None => FileConfig::default(),
    };
    let bind = match &cli.command {
        Command::Serve { bind, .. } | Command::Demo { bind, .. } => bind.clone(),
        _ => None,
    };
    let settings = Settings::resolve(
        Overrides {
            data_dir: cli.data_dir,
            database_url: cli.database_url,
            bind,
            master_key: std::env::var("KINDRED_MASTER_KEY").ok().map(config::Secret),
        },
        file,
    )?;
    init_logging(settings.log_format);
    match cli.command {
        Command::Serve { .. } => {
            let kindred = server::open(&settings).await?;
            server::serve(&settings, kindred).await
        }
        Command::Demo { .. } => {
            let kindred = server::open(&settings).await?;
            demo::ensure_demo(&kindred).await?;
            demo::print_logins(settings.bind);
            server::serve(&settings, kindred).await
        }
        Command::Migrate { .. } => {
            let kindred = server::open(&settings).await?;
            close_soon(&kindred).await;
            println!("The database is up to date.");
            Ok(())
        }
        Command::Backup { to, .. } => Ok(operations::backup(&settings, &to).await?),
        Command::Restore { from, .. } => {
            // A SQLite restore makes the data directory as `serve` would (0700).
            if kindred_store::Backend::of_url(&settings.database_url) == Some(kindred_store::Backend::Sqlite) {
                settings.prepare_data_dir()?;
            }
            Ok(operations::restore(&settings, &from).await?)
        }
        Command::Check { .. } => Ok(operations::check(&settings).await?),
        Command::Association(AssociationCommand::Create { slug, name, association_config }) => {
            let (parsed, logo) = match &association_config {
                Some(path) => association_config::load_file(path, Some(&name))?,
                None => (association_config::build(Default::default(), Some(&name))?, None),
            };
            let kindred = server::open(&settings).await?;
            let association = kindred.create_association(&slug, parsed, logo).await?;
            close_soon(&kindred).await;
            println!("Created the association {} (/a/{}/).", name.trim(), association.slug);
            Ok(())
        }
        Command::Association(AssociationCommand::List) => {
            let kindred = server::open(&settings).await?;
            let associations = kindred.associations().await?;
            close_soon(&kindred).await;
            for a in associations {
                let hosts: Vec<String> = a.settings.hosts.iter().map(ToString::to_string).collect();
                let name = a.settings.name.get(a.settings.default_language);
                println!("{}\t{}\t{}", a.slug, name, hosts.join(","));
            }
            Ok(())
        }
        Command::Association(AssociationCommand::Update { slug, association_config }) => {
            let (parsed, logo) = association_config::load_file(&association_config, None)?;
            let kindred = server::open(&settings).await?;
            let found = kindred.association(&slug).await?.ok_or_else(|| CliError::UnknownAssociation(slug.clone()))?;
            let change = kindred.update_settings(&found, None, parsed, logo).await;
            close_soon(&kindred).await;
            let change = change?;
            if change.changed.is_empty() {
                println!("Nothing changed in {slug}.");
            } else {
                println!("Updated {slug}: {}. Every node shows it within 5 seconds.", change.changed.join(", "));
            }
            Ok(())
        }
        Command::Association(AssociationCommand::Export { slug, out, .. }) => {
            let passphrase = read_passphrase()?;
            if passphrase.chars().count() < kindred_service::transfer::MIN_PASSPHRASE {
                return Err(kindred_service::transfer::TransferError::WeakPassphrase.into());
            }
            let kindred = server::open(&settings).await?;
            let exported = kindred.export_association(&slug, &passphrase).await;
            close_soon(&kindred).await;
            let (bytes, summary) = exported?;
            write_new_file(&out, &bytes)?;
            println!(
                "Exported {slug}: {} members, {} rows, to {}. Keep the file and its passphrase apart.",
                summary.members,
                summary.rows,
                out.display()
            );
            report_leftovers(&summary);
            Ok(())
        }
        Command::Association(AssociationCommand::Import { input, slug, .. }) => {
            let bytes =
                std::fs::read(&input).map_err(|e| CliError::Input(format!("cannot read {}: {e}", input.display())))?;
            let passphrase = read_passphrase()?;
            // Opened before the database is touched: a wrong passphrase changes nothing.
            let file = kindred_service::transfer::read_transfer_file(&bytes, &passphrase)?;
            let kindred = server::open(&settings).await?;
            let imported = kindred.import_association(file, slug.as_deref()).await;
            close_soon(&kindred).await;
            let summary = imported?;
            println!(
                "Imported {}: {} members, {} rows, sealed under this deployment's key (/a/{}/). Members sign in again.",
                summary.slug, summary.members, summary.rows, summary.slug
            );
            Ok(())
        }
        Command::User(UserCommand::Add { association, email, pseudonym, role, .. }) => {
            let password = read_password()?;
            let kindred = server::open(&settings).await?;
            let found = kindred
                .association(&association)
                .await?
                .ok_or_else(|| CliError::UnknownAssociation(association.clone()))?;
            let id = kindred
                .add_user(&found, AddUser { email: &email, pseudonym: &pseudonym, password: &password, role: &role })
                .await?;
            close_soon(&kindred).await;
            println!("Added {} as {role} to {association} (member id {id}).", pseudonym.trim());
            Ok(())
        }
        Command::Generate { associations, members, posts, events, messages, .. } => {
            let kindred = server::open(&settings).await?;
            demo::generate(&kindred, associations, members).await?;
            if posts > 0 || events > 0 || messages > 0 {
                if let Some(first) = kindred.association("bench-1").await? {
                    if posts > 0 {
                        crate::forum_bench::generate(&kindred, &first, posts).await?;
                    }
                    if events > 0 {
                        crate::community_bench::generate_events(&kindred, &first, events).await?;
                    }
                    if messages > 0 {
                        crate::community_bench::generate_messages(&kindred, &first, messages).await?;
                    }
                }
            }
            close_soon(&kindred).await;
            Ok(())
        }
    }
}

/// The first line of standard input, without its line ending.
fn read_password() -> Result<String, CliError> {
    let mut input = String::new();
    std::io::stdin()
        .take(4096)
        .read_to_string(&mut input)
        .map_err(|e| CliError::Input(format!("cannot read the password from standard input: {e}")))?;
    let password = input.lines().next().unwrap_or_default().to_owned();
    if password.is_empty() {
        return Err(CliError::Input("give the password on standard input, e.g. echo '…' | kindred user add …".into()));
    }
    Ok(password)
}

/// The transfer passphrase: KINDRED_TRANSFER_PASSPHRASE, else the first
/// line of standard input (asked for when that is a terminal).
fn read_passphrase() -> Result<String, CliError> {
    use kindred_service::transfer::PASSPHRASE_ENV;
    if let Ok(value) = std::env::var(PASSPHRASE_ENV) {
        if !value.is_empty() {
            return Ok(value);
        }
    }
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        eprint!("Passphrase of the transfer file: ");
    }
    use std::io::BufRead;
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .take(4096)
        .read_line(&mut line)
        .map_err(|e| CliError::Input(format!("cannot read the passphrase from standard input: {e}")))?;
    let passphrase = line.trim_end_matches(['\r', '\n']).to_owned();
    if passphrase.is_empty() {
        return Err(CliError::Input(format!("give the passphrase in {PASSPHRASE_ENV} or on standard input")));
    }
    Ok(passphrase)
}

/// Writes a new file readable by the owner only; never replaces one.
fn write_new_file(path: &std::path::Path, bytes: &[u8]) -> Result<(), CliError> {
    use std::io::Write;
    let fail = |e: std::io::Error| CliError::Input(format!("cannot write {}: {e}", path.display()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(fail)?;
    if let Err(e) = file.write_all(bytes).and_then(|()| file.sync_all()) {
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(fail(e));
    }
    Ok(())
}

/// What the export could not carry, on standard error.
fn report_leftovers(summary: &kindred_service::transfer::TransferSummary) {
    if summary.unreadable > 0 {
        eprintln!(
            "kindred: {} sealed values could not be opened (already unreadable); they move as they are and stay unreadable",
            summary.unreadable
        );
    }
    if summary.unresolved > 0 {
        eprintln!(
            "kindred: {} search entries or seals had no known input; search entries are left out, seals match nobody",
            summary.unresolved
        );
    }
}

/// Closes the database, waiting at most a few seconds: on PostgreSQL the
/// live fan-out holds a LISTEN connection that a plain close would wait
/// for. Every write is committed before this.
async fn close_soon(kindred: &kindred_service::Kindred) {
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), kindred.store.close()).await;
}
