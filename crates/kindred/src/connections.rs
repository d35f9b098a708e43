//! The accept loop. `axum::serve` gives a connection all the time it
//! wants: one that sends nothing, or its headers a byte at a time, holds a
//! socket (and a file descriptor) for as long as the client likes. Here
//! every connection is HTTP/1.1 served by hyper with a deadline for its
//! request headers — which also ends idle keep-alive connections, because
//! waiting for the next request is reading its headers — and one client
//! address may hold only so many connections at once, so that a few hundred
//! slow sockets from one place cannot take the server's descriptors.
//! (Request bodies and handlers are bounded by `server.request_timeout_seconds`
//! in the application's middleware.)

use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// How long a stopping node lets running requests finish.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(20);

/// What one connection may take; `[server]` in the deployment file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// From a connection's first byte (or the end of its previous answer)
    /// to the end of the request's headers; then the connection is closed
    /// without an answer. `server.header_read_timeout_seconds`.
    pub header_read_timeout: Duration,
    /// Open connections one client address may hold; more are closed at
    /// once. Trusted proxies are exempt (all clients come through them).
    /// `server.max_connections_per_client`.
    pub max_per_client: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self { header_read_timeout: Duration::from_secs(15), max_per_client: 256 }
    }
}

/// Open connections by client address.
#[derive(Clone, Default)]
struct Slots {
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

/// One connection's place in [`Slots`], given back when dropped.
struct Slot {
    slots: Slots,
    ip: IpAddr,
}

impl Slots {
    fn take(&self, ip: IpAddr, max: usize) -> Option<Slot> {
        let mut open = self.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let count = open.entry(ip).or_insert(0);
        if *count >= max {
            return None;
        }
        *count += 1;
        Some(Slot { slots: self.clone(), ip })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.slots.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.ip) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

/// Serves the application on `listener` until `shutdown` resolves; then stops
/// accepting, lets every connection finish its running request, and waits
/// for them all.
pub async fn serve(
    listener: TcpListener,
    app: kindred_web::App,
    limits: ConnectionLimits,
    exempt: Vec<IpAddr>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let slots = Slots::default();
    // Every connection holds a receiver; `closed()` on the sender
    // resolves when the last one is gone.
    let (stop_tx, stop_rx) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of descriptors or a connection reset before it was
                    // accepted: wait a little rather than spin.
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let slot = if exempt.contains(&remote.ip()) {
            None
        } else {
            match slots.take(remote.ip(), limits.max_per_client) {
                Some(slot) => Some(slot),
                None => {
                    tracing::debug!(client = %remote.ip(), "too many connections from one address; closed");
                    drop(stream);
                    continue;
                }
            }
        };
        tokio::spawn(connection(stream, remote, app.clone(), limits.header_read_timeout, stop_rx.clone(), slot));
    }
    drop(listener);
    let _ = stop_tx.send(true);
    drop(stop_rx);
    // A request that does not finish (a client that stopped reading a large
    // answer, a handler stuck on a dead peer) must not keep the node from
    // stopping: after the grace period the remaining connections are cut.
    if tokio::time::timeout(SHUTDOWN_GRACE, stop_tx.closed()).await.is_err() {
        tracing::warn!(
            seconds = SHUTDOWN_GRACE.as_secs(),
            "connections still open after the shutdown grace period; cut"
        );
    }
}

async fn connection(
    stream: TcpStream,
    remote: SocketAddr,
    app: kindred_web::App,
    header_read_timeout: Duration,
    mut stop: watch::Receiver<bool>,
    _slot: Option<Slot>,
) {
    // The application reads the client address as axum's `ConnectInfo`.
    let service = hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
        request.extensions_mut().insert(ConnectInfo(remote));
        tower::ServiceExt::oneshot(app.clone(), request.map(axum::body::Body::new))
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout)
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service)
        // The live socket (`GET …/live`) is an HTTP upgrade; once handed
        // over, this future ends and the socket lives in its own task.
        .with_upgrades();
    tokio::pin!(conn);
    let stopping = async {
        if *stop.borrow() {
            return;
        }
        // An error means the server is gone: stop as well.
        let _ = stop.changed().await;
    };
    tokio::select! {
        result = conn.as_mut() => {
            if let Err(error) = result {
                tracing::debug!(%error, client = %remote.ip(), "connection ended with an error");
            }
            return;
        }
        () = stopping => {}
    }
    conn.as_mut().graceful_shutdown();
    if let Err(error) = conn.await {
        tracing::debug!(%error, client = %remote.ip(), "connection ended with an error while shutting down");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_counted_per_address_and_given_back() {
        let slots = Slots::default();
        let a: IpAddr = [127, 0, 0, 1].into();
        let b: IpAddr = [127, 0, 0, 2].into();
        let first = slots.take(a, 2);
        let second = slots.take(a, 2);
        assert!(first.is_some() && second.is_some());
        assert!(slots.take(a, 2).is_none(), "a third from the same address is refused");
        assert!(slots.take(b, 2).is_some(), "another address is not affected");
        drop(first);
        assert!(slots.take(a, 2).is_some(), "a closed connection frees its slot");
    }
}
