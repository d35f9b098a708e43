//! Opening the database and serving HTTP until told to stop.

use crate::config::Settings;
use crate::connections::{self, ConnectionLimits};
use crate::error::CliError;
use kindred_service::crypto::KeyRing;
use kindred_service::mail::Mailer;
use kindred_service::{Clock, Kindred, SystemClock};
use kindred_store::Store;
use kindred_web::{AppState, Limits};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Prepares the data directory, connects and migrates.
pub async fn open(settings: &Settings) -> Result<Kindred, CliError> {
    open_with_clock(settings, Arc::new(SystemClock)).await
}

pub async fn open_with_clock(settings: &Settings, clock: Arc<dyn Clock>) -> Result<Kindred, CliError> {
    settings.prepare_data_dir()?;
    let configured = settings.master_key.as_ref().map(|k| k.0.as_str());
    let store = Store::connect(&settings.database_url).await?;
    if configured.is_none() && store.backend() == kindred_store::Backend::Postgres {
        tracing::warn!(
            "no KINDRED_MASTER_KEY set: the key for encrypted health data lives in this node's data directory; \
             several nodes sharing one database must all be given the same key"
        );
    }
    store.migrate().await?;
    let keys = master_key(settings, &store, configured).await?;
    let mailer = Mailer::new(settings.mail.clone(), &settings.mail_from).map_err(|e| CliError::Mail(e.to_string()))?;
    tracing::info!(mail = %mailer.describe(), "mail configured");
    let mut kindred = Kindred::new(store, clock, keys, mailer)
        .with_public_url(&settings.public_url())
        .with_pace(settings.pace)
        .with_relays(settings.relays.clone());
    // Live delivery between nodes: PostgreSQL NOTIFY (one LISTEN connection
    // per node); SQLite keeps the in-process fan-out of `Kindred::new`.
    if kindred.store.backend() == kindred_store::Backend::Postgres {
        let fanout = kindred_service::live::PgNotify::start(kindred.store.clone()).await?;
        kindred = kindred.with_fanout(Arc::new(fanout));
    }
    // Like a migration, but it needs the keys: search terms for the
    // pseudonyms of members created before pseudonyms were searched by
    // terms. Once done, one query finds nothing to do.
    let started = std::time::Instant::now();
    let filled = kindred.backfill_pseudonym_terms().await.map_err(|e| match e {
        kindred_service::members::MemberError::Store(e) => CliError::Database(e),
        other => CliError::Keys(other.to_string()),
    })?;
    if filled > 0 {
        tracing::info!(members = filled, seconds = started.elapsed().as_secs_f64(), "pseudonym search terms filled in");
    }
    Ok(kindred)
}

/// The master key: configured, or the data directory's file, created on
/// the first start. A database that already holds sealed data (a restored
/// backup, a second node, a lost key file) is not opened by a new key:
/// the server says so loudly at start, and `kindred check` names it. It
/// still starts — nodes and harnesses that start on a shared database
/// with a data directory of their own kept working before this check
/// existed, and refusing would turn an operator's slip into an outage.
async fn master_key(settings: &Settings, store: &Store, configured: Option<&str>) -> Result<KeyRing, CliError> {
    let keys_error = |e: kindred_service::crypto::KeyError| CliError::Keys(e.to_string());
    if let Some(found) = KeyRing::load(&settings.data_dir, configured).map_err(keys_error)? {
        return Ok(found);
    }
    if store.holds_sealed_data().await? {
        tracing::error!(
            path = %settings.data_dir.join("keys").join("master.key").display(),
            "no master key, but the database holds data sealed with one: a new key is made, which opens none of it; \
             stop the server, put the old key at this path or set KINDRED_MASTER_KEY, and run `kindred check`"
        );
    }
    KeyRing::load_or_create(&settings.data_dir, configured).map_err(keys_error)
}

async fn listen(addr: SocketAddr) -> Result<TcpListener, CliError> {
    TcpListener::bind(addr).await.map_err(|e| CliError::Listen {
        addr: addr.to_string(),
        reason: match e.kind() {
            std::io::ErrorKind::AddrInUse => "the address is already in use".into(),
            std::io::ErrorKind::PermissionDenied => "permission denied".into(),
            _ => e.to_string(),
        },
    })
}

/// A server running in the background (the black-box tests use this).
pub struct Running {
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<(), CliError>>,
}

impl Running {
    /// Stops accepting, lets running requests finish, and waits.
    pub async fn stop(mut self) -> Result<(), CliError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.task.await.map_err(|e| CliError::Serve(e.to_string()))?
    }
}

/// Binds `addr` (port 0 picks a free one) and serves in the background.
pub async fn spawn(kindred: Kindred, limits: Limits, addr: SocketAddr) -> Result<Running, CliError> {
    spawn_behind(kindred, limits, addr, Vec::new()).await
}

/// [`spawn`] behind reverse proxies whose `X-Forwarded-For` is believed
/// (`server.trusted_proxies`).
pub async fn spawn_behind(
    kindred: Kindred,
    limits: Limits,
    addr: SocketAddr,
    trusted_proxies: Vec<std::net::IpAddr>,
) -> Result<Running, CliError> {
    spawn_limited(kindred, limits, ConnectionLimits::default(), addr, trusted_proxies).await
}

/// [`spawn`] with everything the deployment configuration says about
/// serving: limits, connection limits, bind address, trusted proxies.
pub async fn spawn_configured(kindred: Kindred, settings: &Settings) -> Result<Running, CliError> {
    spawn_limited(
        kindred,
        settings.limits.clone(),
        settings.connections.clone(),
        settings.bind,
        settings.trusted_proxies.clone(),
    )
    .await
}

async fn spawn_limited(
    kindred: Kindred,
    limits: Limits,
    connections: ConnectionLimits,
    addr: SocketAddr,
    trusted_proxies: Vec<std::net::IpAddr>,
) -> Result<Running, CliError> {
    let state = AppState::new(kindred, limits, kindred_web::init_metrics())
        .map_err(CliError::Serve)?
        .with_trusted_proxies(trusted_proxies.clone());
    let listener = listen(addr).await?;
    let addr = listener.local_addr().map_err(|e| CliError::Serve(e.to_string()))?;
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(serve_on(listener, state, connections, trusted_proxies, async move {
        let _ = stopped.await;
    }));
    Ok(Running { addr, stop: Some(stop), task })
}

async fn serve_on(
    listener: TcpListener,
    state: AppState,
    limits: ConnectionLimits,
    trusted_proxies: Vec<std::net::IpAddr>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), CliError> {
    let app = kindred_web::app(state).map_err(CliError::Serve)?;
    connections::serve(listener, app, limits, trusted_proxies, shutdown).await;
    Ok(())
}

/// Serves until SIGTERM or Ctrl-C, then finishes running requests.
pub async fn serve(settings: &Settings, kindred: Kindred) -> Result<(), CliError> {
    let metrics = kindred_web::init_metrics();
    let (main_metrics, separate) = match settings.metrics_bind {
        Some(addr) => (None, Some((addr, metrics))),
        None => (metrics, None),
    };
    let state = AppState::new(kindred.clone(), settings.limits.clone(), main_metrics)
        .map_err(CliError::Serve)?
        .with_trusted_proxies(settings.trusted_proxies.clone());
    let listener = listen(settings.bind).await?;
    if let Some((addr, metrics)) = separate {
        let metrics_state = AppState::new(kindred, settings.limits.clone(), metrics).map_err(CliError::Serve)?;
        let metrics_listener = listen(addr).await?;
        tracing::info!(%addr, "metrics served separately");
        let router = axum::Router::new()
            .route("/metrics", axum::routing::get(kindred_web::metrics_handler))
            .with_state(metrics_state);
        let limits = settings.connections.clone();
        tokio::spawn(connections::serve(
            metrics_listener,
            tower::util::BoxCloneSyncService::new(router),
            limits,
            Vec::new(),
            shutdown_signal(),
        ));
    }
    // The timed jobs (service::jobs) run beside the server; they end with
    // the process. Every node runs the scheduler: the lease in the database
    // decides which node does a job's work each time.
    let jobs = kindred_service::jobs::spawn(state.kindred.clone());
    let trimmer = crate::memory::spawn_trimmer();
    tracing::info!(addr = %settings.bind, "serving");
    eprintln!("Kindred is listening on http://{}", settings.bind);
    serve_on(listener, state, settings.connections.clone(), settings.trusted_proxies.clone(), shutdown_signal())
        .await?;
    for job in jobs {
        job.abort();
    }
    trimmer.abort();
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing running requests");
}
