//! Load tool for calls (`scripts/bench --calls`): P pairs of members, each
//! pair in a call of its own (a conversation, a call started and joined
//! over HTTP, a live socket each); every caller sends S set-up messages to
//! the other at R per second — first an offer of a few kilobytes, then
//! network candidates — and the tool measures, per message, the time from
//! sending it on the caller's socket to its arrival on the callee's (p50,
//! p99). Beside it, in the same run and on the same sockets, the round
//! trip of a `ping` frame, which the socket answers without the database:
//! what the relay adds is the difference. It also times starting and
//! joining a call over HTTP.
//!
//! The server runs in this process (real TCP on 127.0.0.1, the real
//! router), on a fresh SQLite database or on `--postgres URL`.
//!
//! Usage: cargo run --release -p kindred --example call_bench -- \
//!          [--pairs 50] [--signals 40] [--rate 20] [--postgres URL]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use futures_util::{SinkExt, StreamExt};
use kindred::config::{FileConfig, Overrides, Settings};
use kindred::server;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

struct Args {
    pairs: usize,
    signals: usize,
    rate: f64,
    postgres: Option<String>,
}

fn args() -> Args {
    let mut a = Args { pairs: 50, signals: 40, rate: 20.0, postgres: None };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_default();
        match flag.as_str() {
            "--pairs" => a.pairs = value.parse().expect("--pairs N"),
            "--signals" => a.signals = value.parse().expect("--signals N"),
            "--rate" => a.rate = value.parse().expect("--rate set-up messages per second per caller"),
            "--postgres" => a.postgres = Some(value),
            other => panic!("unknown option {other}"),
        }
    }
    a
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn summary(name: &str, mut values: Vec<f64>) {
    values.sort_by(f64::total_cmp);
    println!(
        "{name:<34} n={:<6} p50 {:>7.2} ms   p99 {:>7.2} ms   max {:>7.2} ms",
        values.len(),
        percentile(&values, 50.0),
        percentile(&values, 99.0),
        values.last().copied().unwrap_or(f64::NAN)
    );
}

type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn socket(base: &str, token: &str) -> Ws {
    let url = format!("{}/a/calls/api/v1/live", base.replacen("http://", "ws://", 1));
    let mut request = url.into_client_request().expect("request");
    request.headers_mut().insert("authorization", format!("Bearer {token}").parse().expect("header"));
    // Without Nagle: a ping right after a set-up message would wait for its ACK.
    tokio_tungstenite::connect_async_with_config(request, None, true).await.expect("socket").0
}

/// An offer of the size a browser makes for a voice call (about 3 KB).
fn offer() -> Value {
    let mut sdp = String::from("v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
    for n in 0..40 {
        sdp.push_str(&format!("a=rtpmap:{n} opus/48000/2\r\na=fmtp:{n} minptime=10;useinbandfec=1\r\n"));
    }
    json!({"type": "offer", "sdp": sdp})
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    let args = args();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("KINDRED_LOG").unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .init();
    let dir = std::env::temp_dir().join(format!("kindred-call-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("data dir");
    let database_url = args.postgres.clone().unwrap_or_else(|| format!("sqlite://{}/kindred.db", dir.display()));
    let overrides = Overrides {
        data_dir: Some(dir.clone()),
        database_url: Some(database_url),
        bind: Some("127.0.0.1:0".into()),
        master_key: None,
    };
    let file: FileConfig = kindred::config::parse_file(
        "[server]\nmax_connections_per_client = 100000\n[calls]\nturn_urls = [\"turn:127.0.0.1:3478\"]\nturn_secret = \"bench\"\n",
        "bench.toml",
    )
    .expect("file config");
    let settings = Settings::resolve(overrides, file).expect("settings");
    let kindred = server::open(&settings).await.expect("open");
    let raw = kindred_service::association_config::parse_toml("[policies]\nmessaging = \"anyone\"\n", "bench.toml")
        .expect("toml");
    let parsed = kindred_service::association_config::build(raw, Some("Call bench")).expect("settings");
    let association = kindred.create_association("calls", parsed, None).await.expect("association");
    let running = server::spawn_configured(kindred.clone(), &settings).await.expect("spawn");
    let base = format!("http://{}", running.addr);
    let api = format!("{base}/a/calls/api/v1");
    let client = reqwest::Client::builder().pool_max_idle_per_host(64).build().expect("client");
    let members = kindred::bench_members::members_with_sessions(&kindred, &association, "Caller", args.pairs * 2)
        .await
        .expect("members");

    // Each pair: a conversation (a request, accepted), a call started and joined.
    let (mut starts, mut joins) = (Vec::new(), Vec::new());
    let mut pairs = Vec::new();
    for pair in members.chunks(2) {
        let ((_, caller), (callee_id, callee)) = (&pair[0], &pair[1]);
        let started: Value = client
            .post(format!("{api}/conversations"))
            .bearer_auth(caller)
            .json(&json!({"members": [callee_id.as_str()], "message": "Shall we talk?"}))
            .send()
            .await
            .expect("conversation")
            .json()
            .await
            .expect("json");
        let conversation = started["conversation_id"].as_str().expect("conversation").to_owned();
        client
            .post(format!("{api}/conversations/{conversation}/accept"))
            .bearer_auth(callee)
            .send()
            .await
            .expect("accept");
        let at = Instant::now();
        let call: Value = client
            .post(format!("{api}/conversations/{conversation}/calls"))
            .bearer_auth(caller)
            .json(&json!({"video": false}))
            .send()
            .await
            .expect("call")
            .json()
            .await
            .expect("json");
        starts.push(at.elapsed().as_secs_f64() * 1000.0);
        let call_id = call["call_id"].as_str().expect("call id").to_owned();
        let at = Instant::now();
        let joined = client.post(format!("{api}/calls/{call_id}/join")).bearer_auth(callee).send().await.expect("join");
        assert_eq!(joined.status(), 200);
        joins.push(at.elapsed().as_secs_f64() * 1000.0);
        pairs.push((caller.clone(), callee.clone(), callee_id.to_string(), call_id));
    }

    // The sockets; each callee's records when each set-up message arrives.
    let sent: Arc<Mutex<HashMap<String, Instant>>> = Arc::new(Mutex::new(HashMap::new()));
    let latencies: Arc<Mutex<Vec<f64>>> = Arc::new(Mutex::new(Vec::new()));
    let pings: Arc<Mutex<Vec<f64>>> = Arc::new(Mutex::new(Vec::new()));
    let expected = args.pairs * args.signals;
    let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel::<()>();
    let mut callers = Vec::new();
    for (caller, callee, callee_id, call_id) in pairs {
        let mut receiving = socket(&base, &callee).await;
        let (sent_r, latencies_r, done) = (sent.clone(), latencies.clone(), done_tx.clone());
        tokio::spawn(async move {
            while let Some(Ok(frame)) = receiving.next().await {
                let Message::Text(text) = frame else { continue };
                let Ok(event) = serde_json::from_str::<Value>(text.as_str()) else { continue };
                if event["type"] != "call_signal" {
                    continue;
                }
                let mark = event["candidate"]["sdpMid"].as_str().or(event["sdp"]["mark"].as_str()).unwrap_or_default();
                let at = sent_r.lock().unwrap().remove(mark);
                if let Some(at) = at {
                    latencies_r.lock().unwrap().push(at.elapsed().as_secs_f64() * 1000.0);
                    let _ = done.send(());
                }
            }
        });
        callers.push((socket(&base, &caller).await, callee_id, call_id));
    }
    eprintln!("{} calls open; sending {} set-up messages each at {}/s", args.pairs, args.signals, args.rate);

    let started = Instant::now();
    let gap = Duration::from_secs_f64(1.0 / args.rate);
    let mut tasks = Vec::new();
    for (n, (ws, to, call_id)) in callers.into_iter().enumerate() {
        let (sent, pings, signals) = (sent.clone(), pings.clone(), args.signals);
        tasks.push(tokio::spawn(async move {
            let (mut write, mut read) = ws.split();
            // The socket's own answers (pongs) come back on this side.
            let pong_at: Arc<Mutex<Option<Instant>>> = Arc::new(Mutex::new(None));
            let pong_reader = pong_at.clone();
            let pings_r = pings.clone();
            tokio::spawn(async move {
                while let Some(Ok(frame)) = read.next().await {
                    let Message::Text(text) = frame else { continue };
                    if text.as_str().contains("\"pong\"") {
                        if let Some(at) = pong_reader.lock().unwrap().take() {
                            pings_r.lock().unwrap().push(at.elapsed().as_secs_f64() * 1000.0);
                        }
                    }
                }
            });
            // Callers start at different moments within the first gap.
            tokio::time::sleep(gap.mul_f64((n % 10) as f64 / 10.0)).await;
            for k in 0..signals {
                let mark = format!("{n}-{k}");
                let frame = if k == 0 {
                    let mut sdp = offer();
                    sdp["mark"] = json!(mark);
                    json!({"type": "call_signal", "call_id": call_id, "to": to, "sdp": sdp})
                } else {
                    json!({"type": "call_signal", "call_id": call_id, "to": to, "candidate": {
                        "candidate": format!("candidate:{k} 1 udp 41885439 127.0.0.1 {} typ relay raddr 0.0.0.0 rport 0", 50_000 + k),
                        "sdpMid": mark, "sdpMLineIndex": 0}})
                };
                sent.lock().unwrap().insert(mark, Instant::now());
                write.send(Message::text(frame.to_string())).await.expect("send");
                if k % 5 == 0 {
                    *pong_at.lock().unwrap() = Some(Instant::now());
                    write.send(Message::text("{\"type\":\"ping\"}")).await.expect("ping");
                }
                tokio::time::sleep(gap).await;
            }
            write
        }));
    }
    let mut arrived = 0;
    while arrived < expected {
        match tokio::time::timeout(Duration::from_secs(30), done_rx.recv()).await {
            Ok(Some(())) => arrived += 1,
            _ => break,
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let _writers: Vec<_> = futures_util::future::join_all(tasks).await;

    println!("calls: {} pairs, {} set-up messages each at {}/s per caller", args.pairs, args.signals, args.rate);
    summary("start a call (HTTP)", starts);
    summary("join a call (HTTP)", joins);
    summary("ping on the socket (no database)", pings.lock().unwrap().clone());
    summary("set-up message, sender to recipient", latencies.lock().unwrap().clone());
    println!(
        "arrived {arrived} of {expected} in {elapsed:.1} s ({:.0} set-up messages a second)",
        arrived as f64 / elapsed
    );
    running.stop().await.expect("stopped");
    let _ = std::fs::remove_dir_all(&dir);
}
