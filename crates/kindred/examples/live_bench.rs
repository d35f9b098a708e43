//! Load tool for live delivery (`scripts/bench --live`): N members in one
//! group chat, each with a real WebSocket on `GET …/api/v1/live`; one of
//! them posts messages over HTTP and the tool measures, per message, the
//! time from sending the POST to its arrival on every socket — p50 and p99
//! over all (message, socket) pairs — and the resident memory of the
//! process before and after the sockets are open.
//!
//! The server runs in this process (real TCP on 127.0.0.1, the real
//! router), on a fresh SQLite database or on `--postgres URL`; with
//! `--nodes 2` (PostgreSQL) the sockets are spread over two servers on one
//! database and the messages are posted through the first, so half the
//! deliveries cross `NOTIFY`. Client and server share the process and its
//! cores, so memory per socket is an upper bound (both ends of each socket).
//!
//! Usage: cargo run --release -p kindred --example live_bench -- \
//!          [--sockets 1000] [--messages 20] [--rate 2 | --rates 1,2,5,10] [--postgres URL] [--nodes 1|2]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use futures_util::StreamExt;
use kindred::config::{FileConfig, Overrides, Settings};
use kindred::server;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

const PASSWORD: &str = "live bench password 2026";

struct Args {
    sockets: usize,
    messages: usize,
    rate: f64,
    /// With `--rates 1,2,5,…`: one run per rate on the same sockets, until
    /// p99 passes 100 ms.
    rates: Vec<f64>,
    postgres: Option<String>,
    nodes: usize,
}

fn args() -> Args {
    let mut a = Args { sockets: 1000, messages: 20, rate: 2.0, rates: Vec::new(), postgres: None, nodes: 1 };
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

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() {
    let args = args();
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

    // Members and their tokens (Argon2 makes this the slow part).
    eprintln!("creating and signing in {} members …", args.sockets);
    let started = Instant::now();
    let gate = Arc::new(Semaphore::new(8));
    let mut tasks = Vec::new();
    for n in 0..args.sockets {
        let kindred = kindred.clone();
        let association = association.clone();
        let client = client.clone();
        let api = api.clone();
        let gate = gate.clone();
        tasks.push(tokio::spawn(async move {
            let _permit = gate.acquire().await.expect("permit");
            let email = format!("m{n}@live.kindred.invalid");
            let pseudonym = format!("Bench Member {n}");
            let input = kindred_service::accounts::AddUser {
                email: &email,
                pseudonym: &pseudonym,
                password: PASSWORD,
                role: "member",
            };
            kindred.add_user(&association, input).await.expect("add user");
            let login: Value = client
                .post(format!("{api}/auth/login"))
                .json(&json!({"email": email, "password": PASSWORD}))
                .send()
                .await
                .expect("login")
                .json()
                .await
                .expect("login json");
            login["token"].as_str().expect("token").to_owned()
        }));
    }
    let mut tokens = Vec::new();
    for t in tasks {
        tokens.push(t.await.expect("member"));
    }
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
    let mut conversation = String::new();
    for (n, token) in tokens.iter().enumerate() {
        if n > 0 {
            client.post(format!("{api}/groups/{group_id}/join")).bearer_auth(token).send().await.expect("join");
        }
        let chat: Value = client
            .get(format!("{api}/groups/{group_id}/conversation"))
            .bearer_auth(token)
            .send()
            .await
            .expect("chat")
            .json()
            .await
            .expect("chat json");
        conversation = chat["conversation_id"].as_str().expect("conversation id").to_owned();
    }

    // The sockets.
    let before = rss_kib();
    let (arrivals, mut arrived) = tokio::sync::mpsc::unbounded_channel::<(String, Instant)>();
    for (n, token) in tokens.iter().enumerate() {
        let base = &bases[n % bases.len()];
        let url = format!("{}/a/live/api/v1/live", base.replacen("http://", "ws://", 1));
        let mut request = url.into_client_request().expect("request");
        request.headers_mut().insert("authorization", format!("Bearer {token}").parse().expect("header"));
        let (mut ws, _) = tokio_tungstenite::connect_async(request).await.expect("socket");
        let arrivals = arrivals.clone();
        tokio::spawn(async move {
            while let Some(Ok(frame)) = ws.next().await {
                if let Message::Text(text) = frame {
                    let at = Instant::now();
                    if let Ok(event) = serde_json::from_str::<Value>(text.as_str()) {
                        if event["type"] == "message" {
                            let id = event["message"]["message_id"].as_str().unwrap_or_default().to_owned();
                            let _ = arrivals.send((id, at));
                        }
                    }
                }
            }
        });
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after = rss_kib();
    let per_socket = (after.saturating_sub(before)) as f64 / args.sockets as f64;
    eprintln!(
        "{} sockets open; RSS {before} KiB → {after} KiB ({per_socket:.1} KiB per socket, both ends)",
        args.sockets
    );

    // Messages at a steady rate; latency per (message, socket).
    let rates = if args.rates.is_empty() { vec![args.rate] } else { args.rates.clone() };
    let mut sequence = 0usize;
    for rate in rates {
        let mut sent_at = std::collections::HashMap::new();
        let mut latencies = Vec::with_capacity(args.sockets * args.messages);
        let interval = Duration::from_secs_f64(1.0 / rate.max(0.01));
        let run = Instant::now();
        for _ in 0..args.messages {
            let at = Instant::now();
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
            sent_at.insert(sent["message_id"].as_str().expect("message id").to_owned(), at);
            tokio::time::sleep(interval.saturating_sub(at.elapsed())).await;
        }
        let expected = args.sockets * args.messages;
        let deadline = Instant::now() + Duration::from_secs(60);
        while latencies.len() < expected && Instant::now() < deadline {
            match tokio::time::timeout(Duration::from_secs(5), arrived.recv()).await {
                Ok(Some((id, at))) => {
                    if let Some(sent) = sent_at.get(&id) {
                        latencies.push(at.duration_since(*sent).as_secs_f64() * 1000.0);
                    }
                }
                _ => break,
            }
        }
        let elapsed = run.elapsed().as_secs_f64();
        latencies.sort_by(|a, b| a.total_cmp(b));
        let backend = if args.postgres.is_some() { "PostgreSQL" } else { "SQLite" };
        let p99 = percentile(&latencies, 99.0);
        println!(
            "| {backend} | {} node(s) | {} sockets | {} messages at {}/s | delivered {}/{} | p50 {:.1} ms | p99 {:.1} ms | max {:.1} ms | {:.1} KiB/socket | {:.1} s |",
            args.nodes,
            args.sockets,
            args.messages,
            rate,
            latencies.len(),
            expected,
            percentile(&latencies, 50.0),
            p99,
            latencies.last().copied().unwrap_or(f64::NAN),
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
    for r in running {
        let _ = r.stop().await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}
