//! Slow and greedy clients over real sockets: a connection that sends
//! nothing, or its headers slower than `server.header_read_timeout_seconds`,
//! is closed within that time; one client address holds at most
//! `server.max_connections_per_client` connections; an ordinary keep-alive
//! client is not disturbed.

use crate::harness::{TestServer, BOTH};
use kindred::config::parse_file;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn start(db: crate::harness::Db, header_seconds: u64, per_client: usize) -> TestServer {
    let text = format!(
        "[server]\nheader_read_timeout_seconds = {header_seconds}\nmax_connections_per_client = {per_client}\n"
    );
    TestServer::start_with(db, parse_file(&text, "test.toml").expect("config")).await
}

async fn connect(s: &TestServer) -> TcpStream {
    TcpStream::connect(s.base.trim_start_matches("http://")).await.expect("connect")
}

/// Reads until the server closes; how long that took (None: still open
/// after `within`).
async fn closed_within(stream: &mut TcpStream, within: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut buf = [0u8; 1024];
    loop {
        match tokio::time::timeout(within.saturating_sub(started.elapsed()), stream.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(started.elapsed()),
            Ok(Ok(_)) => {}
        }
    }
}

/// One request on an open connection; the status line of the answer.
async fn ask(stream: &mut TcpStream, path: &str) -> String {
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    // The answers here are short and carry Content-Length.
    while !answer.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf))
            .await
            .expect("an answer in time")
            .expect("read");
        assert!(n > 0, "the connection was closed instead of answered");
        answer.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&answer).to_string();
    let head_end = text.find("\r\n\r\n").unwrap() + 4;
    let length: usize = text
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap()))
        .unwrap_or(0);
    while answer.len() < head_end + length {
        let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf))
            .await
            .expect("the body in time")
            .expect("read body");
        assert!(n > 0);
        answer.extend_from_slice(&buf[..n]);
    }
    text.lines().next().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn stalled_connections_are_closed_within_the_header_timeout() {
    for db in BOTH {
        let s = start(db, 1, 256).await;

        // Nothing at all.
        let mut silent = connect(&s).await;
        let took = closed_within(&mut silent, Duration::from_secs(5)).await;
        assert!(took.is_some_and(|t| t >= Duration::from_millis(800)), "{db:?}: silent connection: {took:?}");

        // Headers a byte every 200 ms: each byte is progress, but the
        // headers are not complete within the second.
        let mut trickle = connect(&s).await;
        let (mut reader, mut writer) = trickle.split();
        let request = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
        let write = async {
            for byte in request {
                if writer.write_all(&[*byte]).await.is_err() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        };
        let read = async {
            let started = Instant::now();
            let mut buf = [0u8; 256];
            loop {
                match reader.read(&mut buf).await {
                    Ok(0) | Err(_) => return started.elapsed(),
                    Ok(_) => {}
                }
            }
        };
        let took = tokio::select! {
            took = read => Some(took),
            () = write => None,
        };
        assert!(took.is_some_and(|t| t < Duration::from_secs(4)), "{db:?}: trickling headers: {took:?}");

        // An ordinary client on one keep-alive connection is answered,
        // and after its answer it again has the whole timeout.
        let mut client = connect(&s).await;
        assert!(ask(&mut client, "/healthz").await.contains("200"), "{db:?}");
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert!(ask(&mut client, "/healthz").await.contains("200"), "{db:?}: second request, same connection");
        let took = closed_within(&mut client, Duration::from_secs(5)).await;
        assert!(took.is_some(), "{db:?}: an idle keep-alive connection is closed in the end");
        s.stop().await;
    }
}

#[tokio::test]
async fn one_address_holds_at_most_the_configured_connections() {
    for db in BOTH {
        let s = start(db, 30, 3).await;
        let mut open = Vec::new();
        for _ in 0..3 {
            let mut stream = connect(&s).await;
            // Answered, so the server has accepted it.
            assert!(ask(&mut stream, "/healthz").await.contains("200"), "{db:?}");
            open.push(stream);
        }
        let mut fourth = connect(&s).await;
        let took = closed_within(&mut fourth, Duration::from_secs(3)).await;
        assert!(took.is_some(), "{db:?}: the connection over the cap is closed at once");

        // The others still work; once one is closed, a new one is served.
        assert!(ask(&mut open[0], "/healthz").await.contains("200"), "{db:?}");
        drop(open.pop());
        let mut served = None;
        for _ in 0..50 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let mut stream = connect(&s).await;
            let request = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n";
            if stream.write_all(request).await.is_err() {
                continue;
            }
            let mut buf = [0u8; 256];
            if let Ok(Ok(n)) = tokio::time::timeout(Duration::from_secs(2), stream.read(&mut buf)).await {
                if n > 0 {
                    served = Some(String::from_utf8_lossy(&buf[..n]).to_string());
                    break;
                }
            }
        }
        assert!(served.is_some_and(|a| a.starts_with("HTTP/1.1 200")), "{db:?}: a slot freed is usable again");
        drop(open);
        s.stop().await;
    }
}
