//! Load tool for live delivery (`scripts/bench --live`): N members in one
//! group chat, each with a real WebSocket on `GET …/api/v1/live`; one of
//! them posts messages over HTTP and the tool measures, per message, the
//! time from sending the POST to its arrival on every socket — p50 and p99
//! over all (message, socket) pairs — and the resident memory of the
//! server's process before and after the sockets are open.
//!
//! The server runs in this process (real TCP on 127.0.0.1, the real
//! router), on a fresh SQLite database or on `--postgres URL`; with
//! `--nodes 2` (PostgreSQL) the sockets are spread over two servers on one
//! database and the messages are posted through the first, so half the
//! deliveries cross `NOTIFY`. The client ends of the sockets live in other
//! processes: the tool starts itself again with `--client` (`--clients`
//! of them, 2 by default), hands each its share of socket URLs and
//! tokens on stdin, and reads back one line per arrival, `MESSAGE_ID
//! WALL_CLOCK_NANOS`; the server side times the POST by the same wall
//! clock (one machine). So the memory per socket is the server end's
//! alone, and 10,000 sockets fit under an open-file limit of 20,000.
//!
//! Members and their sessions are written directly (one Argon2 hash for
//! all; signing in 10,000 members would take an hour of Argon2 on two
//! cores); joining the group, opening its chat, the sockets and the
//! messages are real HTTP and WebSocket.
//!
//! Usage: cargo run --release -p kindred --example live_bench -- \
//!          [--sockets 1000] [--messages 20] [--rate 2 | --rates 1,2,5,10] [--postgres URL] [--nodes 1|2] [--clients 2]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use futures_util::StreamExt;
use kindred::config::{FileConfig, Overrides, Settings};
use kindred::server;
use serde_json::{json, Value};
use std::io::{BufRead, Write};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::Semaphore;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

struct Args {
    sockets: usize,
    messages: usize,
    rate: f64,
    /// With `--rates 1,2,5,…`: one run per rate on the same sockets, until
    /// p99 passes 100 ms.
    rates: Vec<f64>,
    postgres: Option<String>,
    nodes: usize,
    /// Processes holding the client ends of the sockets.
    clients: usize,
}

fn args() -> Args {
    let mut a =
        Args { sockets: 1000, messages: 20, rate: 2.0, rates: Vec::new(), postgres: None, nodes: 1, clients: 2 };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_default();
        match flag.as_str() {
            "--sockets" => a.sockets = value.parse().expect("--sockets N"),
            "--messages" => a.messages = value.parse().expect("--messages N"),
            "--rate" => a.rate = value.parse().expect("--rate messages per second"),
            "--rates" => {
                a.rates = value.split(',').map(|r| r.trim().parse().expect("--rates R1,R2,…")).collect();
            }
            "--postgres" => a.postgres = Some(value),
            "--nodes" => a.nodes = value.parse().expect("--nodes 1 or 2"),
            "--clients" => a.clients = value.parse().expect("--clients N"),
            other => panic!("unknown option {other}"),
        }
    }
    a
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn wall_nanos() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    if std::env::args().nth(1).as_deref() == Some("--client") {
        runtime.block_on(client());
    } else {
        runtime.block_on(server_side());
    }
}

/// A client process: reads `URL TOKEN` lines from stdin, opens one socket
/// per line, says `ready` on stdout once all are open, then writes
/// `MESSAGE_ID NANOS` for every `message` event that arrives, until stdin's
/// parent ends it.
async fn client() {
    let mut lines = Vec::new();
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("stdin");
        if let Some((url, token)) = line.split_once(' ') {
            lines.push((url.to_owned(), token.to_owned()));
        }
    }
    let (out, lines_out) = std::sync::mpsc::channel::<String>();
    // One writer: lines are timed when they arrive, not when written.
    std::thread::spawn(move || {
        let stdout = std::io::stdout();
        let mut stdout = std::io::BufWriter::new(stdout.lock());
        while let Ok(line) = lines_out.recv() {
            let _ = writeln!(stdout, "{line}");
            while let Ok(more) = lines_out.try_recv() {
                let _ = writeln!(stdout, "{more}");
            }
            if stdout.flush().is_err() {
                return;
            }
        }
    });
    let gate = Arc::new(Semaphore::new(64));
    let mut opening = Vec::new();
    for (url, token) in lines {
        let gate = gate.clone();
        let out = out.clone();
        opening.push(tokio::spawn(async move {
            let permit = gate.acquire_owned().await.expect("permit");
            let mut request = url.into_client_request().expect("request");
            request.headers_mut().insert("authorization", format!("Bearer {token}").parse().expect("header"));
            let (mut ws, _) = tokio_tungstenite::connect_async(request).await.expect("socket");
            drop(permit);
            tokio::spawn(async move {
                while let Some(Ok(frame)) = ws.next().await {
                    if let Message::Text(text) = frame {
                        let at = wall_nanos();
                        if let Ok(event) = serde_json::from_str::<Value>(text.as_str()) {
                            if event["type"] == "message" {
                                let id = event["message"]["message_id"].as_str().unwrap_or_default();
                                let _ = out.send(format!("{id} {at}"));
                            }
                        }
                    }
                }
            });
        }));
    }
    for task in opening {
        task.await.expect("socket opened");
    }
    out.send("ready".to_owned()).expect("stdout");
    // Until the parent kills this process.
    std::future::pending::<()>().await;
}

/// Starts a client process with its share of the sockets; its arrivals go
/// to `arrivals`, its `ready` to `ready`.
fn start_client(
    lines: &[String],
    arrivals: tokio::sync::mpsc::UnboundedSender<(String, u128)>,
    ready: tokio::sync::mpsc::UnboundedSender<()>,
) -> Child {
    let mut child = Command::new(std::env::current_exe().expect("this program"))
        .arg("--client")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("client process");
    let mut stdin = child.stdin.take().expect("stdin");
    for line in lines {
        writeln!(stdin, "{line}").expect("to client");
    }
    drop(stdin);
    let stdout = child.stdout.take().expect("stdout");
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { return };
            if line == "ready" {
                let _ = ready.send(());
            } else if let Some((id, at)) = line.split_once(' ') {
                if let Ok(at) = at.parse() {
                    let _ = arrivals.send((id.to_owned(), at));
                }
            }
        }
    });
    child
}

async fn server_side() {
    let args = args();
    // The server's warnings (a failed decision, a resync) on stderr.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("KINDRED_LOG").unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .init();
    let dir = std::env::temp_dir().join(format!("kindred-live-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("data dir");
    let database_url = args.postgres.clone().unwrap_or_else(|| format!("sqlite://{}/kindred.db", dir.display()));
    // The tool opens every socket from one address.
    let file_text = "[server]\nmax_connections_per_client = 100000\n";
    let overrides = |d: &std::path::Path| Overrides {
        data_dir: Some(d.to_path_buf()),
        database_url: Some(database_url.clone()),
        bind: Some("127.0.0.1:0".into()),
        master_key: None,
    };
    let file: FileConfig = toml::from_str(file_text).expect("file config");
    let settings = Settings::resolve(overrides(&dir), file).expect("settings");
    let kindred = server::open(&settings).await.expect("open");
    let toml = "[policies]\nmessaging = \"anyone\"\ngroup_creation = \"members\"\n";
    let raw = kindred_service::association_config::parse_toml(toml, "bench.toml").expect("toml");
    let settings_parsed = kindred_service::association_config::build(raw, Some("Live bench")).expect("settings");
    let association = kindred.create_association("live", settings_parsed, None).await.expect("association");
    let mut bases = Vec::new();
    let mut running = Vec::new();
    for n in 0..args.nodes.max(1) {
        let node = if n == 0 { kindred.clone() } else { server::open(&settings).await.expect("second node") };
        let r = server::spawn_configured(node, &settings).await.expect("spawn");
        bases.push(format!("http://{}", r.addr));
        running.push(r);
    }
    let client = reqwest::Client::builder().pool_max_idle_per_host(64).build().expect("client");
    let api = format!("{}/a/live/api/v1", bases[0]);

    eprintln!("writing {} members and their sessions …", args.sockets);
    let started = Instant::now();
    let tokens: Vec<String> =
        kindred::bench_members::members_with_sessions(&kindred, &association, "Bench Member", args.sockets)
            .await
            .expect("members")
            .into_iter()
            .map(|(_, token)| token)
            .collect();
    eprintln!("  {:.1} s", started.elapsed().as_secs_f64());

    // One open group; everyone joins and opens its chat.
    let group: Value = client
        .post(format!("{api}/groups"))
        .bearer_auth(&tokens[0])
        .json(&json!({"name": "Live bench", "visibility": "open"}))
        .send()
        .await
        .expect("group")
        .json()
        .await
        .expect("group json");
    let group_id = group["group_id"].as_str().expect("group id").to_owned();
    // Joining and opening the chat: real requests, 16 at a time.
    let started = Instant::now();
    let gate = Arc::new(Semaphore::new(16));
    let mut joining = Vec::new();
    for (n, token) in tokens.iter().enumerate() {
        let (client, api, group_id, token, gate) =
            (client.clone(), api.clone(), group_id.clone(), token.clone(), gate.clone());
        joining.push(tokio::spawn(async move {
            let _permit = gate.acquire().await.expect("permit");
            if n > 0 {
                client.post(format!("{api}/groups/{group_id}/join")).bearer_auth(&token).send().await.expect("join");
            }
            let chat: Value = client
                .get(format!("{api}/groups/{group_id}/conversation"))
                .bearer_auth(&token)
                .send()
                .await
                .expect("chat")
                .json()
                .await
                .expect("chat json");
            chat["conversation_id"].as_str().expect("conversation id").to_owned()
        }));
    }
    let mut conversation = String::new();
    for task in joining {
        conversation = task.await.expect("joined");
    }
    eprintln!(
        "{} members joined the group and opened its chat in {:.1} s",
        args.sockets,
        started.elapsed().as_secs_f64()
    );

    // A database in use has statistics; tables filled a moment ago have
    // none, and PostgreSQL would plan the batch reads as if they were empty.
    if let Some(url) = &args.postgres {
        let pool = sqlx::PgPool::connect(url).await.expect("postgres");
        sqlx::query("ANALYZE").execute(&pool).await.expect("analyze");
        pool.close().await;
    }

    // The sockets, their client ends in other processes.
    let before = rss_kib();
    let (arrivals, mut arrived) = tokio::sync::mpsc::unbounded_channel::<(String, u128)>();
    let (readiness, mut ready) = tokio::sync::mpsc::unbounded_channel::<()>();
    let lines: Vec<String> = tokens
        .iter()
        .enumerate()
        .map(|(n, token)| {
            let base = &bases[n % bases.len()];
            format!("{}/a/live/api/v1/live {token}", base.replacen("http://", "ws://", 1))
        })
        .collect();
    let clients = args.clients.max(1);
    let share = lines.len().div_ceil(clients);
    let mut children: Vec<Child> =
        lines.chunks(share.max(1)).map(|part| start_client(part, arrivals.clone(), readiness.clone())).collect();
    let started = Instant::now();
    for _ in 0..children.len() {
        tokio::time::timeout(Duration::from_secs(600), ready.recv()).await.expect("clients ready").expect("ready");
    }
    eprintln!(
        "{} sockets opened by {} client processes in {:.1} s",
        args.sockets,
        children.len(),
        started.elapsed().as_secs_f64()
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = rss_kib();
    let per_socket = (after.saturating_sub(before)) as f64 / args.sockets as f64;
    let open = kindred.live.hub().open_sockets();
    eprintln!(
        "{} sockets open ({open} on this node); server RSS {before} KiB → {after} KiB ({per_socket:.1} KiB per socket, server end)",
        args.sockets
    );

    // One message first, not measured: the first message of a chat claims
    // the new-message mail of every member (a write each, in the POST),
    // which later ones find claimed until the member reads.
    let warm: Value = client
        .post(format!("{api}/conversations/{conversation}/messages"))
        .bearer_auth(&tokens[0])
        .json(&json!({"body": "warm-up"}))
        .send()
        .await
        .expect("post")
        .json()
        .await
        .expect("post json");
    assert!(warm["message_id"].is_string(), "{warm}");
    tokio::time::sleep(Duration::from_secs(3)).await;
    while arrived.try_recv().is_ok() {}

    // Messages at a steady rate; latency per (message, socket).
    let rates = if args.rates.is_empty() { vec![args.rate] } else { args.rates.clone() };
    let mut sequence = 0usize;
    for rate in rates {
        let mut sent_at: std::collections::HashMap<String, u128> = std::collections::HashMap::new();
        let mut latencies = Vec::with_capacity(args.sockets * args.messages);
        // How long each POST took to answer (the message and its event
        // rows written): part of every delivery's time.
        let mut posts: Vec<f64> = Vec::with_capacity(args.messages);
        let interval = Duration::from_secs_f64(1.0 / rate.max(0.01));
        let run = Instant::now();
        for _ in 0..args.messages {
            let at = Instant::now();
            let wall = wall_nanos();
            sequence += 1;
            let sent: Value = client
                .post(format!("{api}/conversations/{conversation}/messages"))
                .bearer_auth(&tokens[0])
                .json(&json!({"body": format!("bench message {sequence}")}))
                .send()
                .await
                .expect("post")
                .json()
                .await
                .expect("post json");
            posts.push(at.elapsed().as_secs_f64() * 1e3);
            sent_at.insert(sent["message_id"].as_str().expect("message id").to_owned(), wall);
            tokio::time::sleep(interval.saturating_sub(at.elapsed())).await;
        }
        let expected = args.sockets * args.messages;
        let deadline = Instant::now() + Duration::from_secs(120);
        while latencies.len() < expected && Instant::now() < deadline {
            // Patient: at 10,000 sockets a saturated node is seconds behind.
            match tokio::time::timeout_at(deadline.into(), arrived.recv()).await {
                Ok(Some((id, at))) => {
                    if let Some(sent) = sent_at.get(&id) {
                        latencies.push(at.saturating_sub(*sent) as f64 / 1e6);
                    }
                }
                _ => break,
            }
        }
        let elapsed = run.elapsed().as_secs_f64();
        latencies.sort_by(|a, b| a.total_cmp(b));
        posts.sort_by(|a, b| a.total_cmp(b));
        let backend = if args.postgres.is_some() { "PostgreSQL" } else { "SQLite" };
        let p99 = percentile(&latencies, 99.0);
        println!(
            "| {backend} | {} node(s) | {} sockets | {} messages at {}/s | delivered {}/{} | p50 {:.1} ms | p99 {:.1} ms | max {:.1} ms | POST p50 {:.1} ms | {:.1} KiB/socket | {:.1} s |",
            args.nodes,
            args.sockets,
            args.messages,
            rate,
            latencies.len(),
            expected,
            percentile(&latencies, 50.0),
            p99,
            latencies.last().copied().unwrap_or(f64::NAN),
            percentile(&posts, 50.0),
            per_socket,
            elapsed,
        );
        if p99.is_nan() || p99 > 100.0 {
            eprintln!("p99 passed 100 ms at {rate} messages per second; higher rates not tried");
            break;
        }
        // Let the queues drain before the next rate.
        tokio::time::sleep(Duration::from_secs(2)).await;
        while arrived.try_recv().is_ok() {}
    }
    for child in &mut children {
        let _ = child.kill();
        let _ = child.wait();
    }
    for r in running {
        let _ = r.stop().await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}
