//! Live delivery over real sockets, on both databases: messages, edits,
//! deletions, reads and requests arrive on the socket of each member who
//! may see them, and on no other; catch-up after a reconnect is in order
//! and without duplicates; two servers on one PostgreSQL database deliver
//! across; the cookie opens a socket only from the association's own
//! origin; a member who left, was blocked or suspended, or whose session
//! was revoked receives nothing more; bad frames close only their socket;
//! tickets work once and run out; sockets per member are capped.
//!
//! "Receives nothing" is shown without waiting for a silence: after the
//! event that must not arrive, something that must arrive is sent, and it
//! has to be the next frame.

use crate::harness::{Db, TestServer, BOTH};
use crate::members::{call, ok, someone, Someone};
use futures_util::{SinkExt, StreamExt};
use kindred_service::Association;
use serde_json::{json, Value};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub(crate) type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

pub(crate) fn api(a: &Association) -> String {
    format!("/a/{}/api/v1", a.slug.as_str())
}

fn ws_url(base: &str, path: &str) -> String {
    format!("{}{path}", base.replacen("http://", "ws://", 1))
}

/// Opens a socket with extra headers; the HTTP status when refused.
pub(crate) async fn open_with(base: &str, path: &str, headers: &[(&str, String)]) -> Result<Ws, u16> {
    let mut request = ws_url(base, path).into_client_request().expect("request");
    for (name, value) in headers {
        let name = tokio_tungstenite::tungstenite::http::HeaderName::from_bytes(name.as_bytes()).expect("name");
        request.headers_mut().insert(name, value.parse().expect("header value"));
    }
    match tokio_tungstenite::connect_async(request).await {
        Ok((ws, _)) => Ok(ws),
        Err(WsError::Http(response)) => Err(response.status().as_u16()),
        Err(other) => panic!("socket: {other}"),
    }
}

pub(crate) async fn open(base: &str, a: &Association, token: &str) -> Ws {
    open_with(base, &format!("{}/live", api(a)), &[("authorization", format!("Bearer {token}"))])
        .await
        .expect("socket opens")
}

/// The next JSON event (pings are answered by the library and skipped).
pub(crate) async fn next(ws: &mut Ws) -> Value {
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(10), ws.next())
            .await
            .expect("an event within 10 s")
            .expect("socket open")
            .expect("frame");
        match frame {
            Message::Text(text) => return serde_json::from_str(text.as_str()).expect("JSON event"),
            Message::Ping(_) | Message::Pong(_) => continue,
            other => panic!("unexpected frame {other:?}"),
        }
    }
}

/// The next event that is not an `unread` snapshot.
pub(crate) async fn next_event(ws: &mut Ws) -> Value {
    loop {
        let event = next(ws).await;
        if event["type"] != "unread" {
            return event;
        }
    }
}

/// The next event about a message (notifications, e.g. of the contact
/// requests a test makes on the way, and counts are passed over).
async fn next_message_event(ws: &mut Ws) -> Value {
    loop {
        let event = next_event(ws).await;
        if event["type"] != "notification" {
            return event;
        }
    }
}

/// The close frame the server sends next: (code, reason).
async fn closed(ws: &mut Ws) -> (u16, String) {
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(10), ws.next()).await.expect("closed within 10 s");
        match frame {
            Some(Ok(Message::Close(Some(frame)))) => return (u16::from(frame.code), frame.reason.to_string()),
            Some(Ok(Message::Close(None))) | None => return (0, String::new()),
            Some(Ok(_)) => continue,
            Some(Err(e)) => panic!("socket error instead of a close frame: {e}"),
        }
    }
}

/// Every text frame until the server closes the socket (joined, for
/// asserting what did not arrive), and the close: (code, reason).
async fn until_closed(ws: &mut Ws) -> (String, (u16, String)) {
    let mut texts = String::new();
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(10), ws.next()).await.expect("closed within 10 s");
        match frame {
            Some(Ok(Message::Close(Some(frame)))) => return (texts, (u16::from(frame.code), frame.reason.to_string())),
            Some(Ok(Message::Close(None))) | None => return (texts, (0, String::new())),
            Some(Ok(Message::Text(text))) => texts.push_str(text.as_str()),
            Some(Ok(_)) => continue,
            Some(Err(e)) => panic!("socket error instead of a close frame: {e}"),
        }
    }
}

pub(crate) async fn befriend(s: &TestServer, a: &Association, x: &Someone, y: &Someone) {
    let base = api(a);
    let request =
        ok(s, &x.token, "POST", &format!("{base}/contacts/requests"), Some(json!({"to": y.id, "level": 1}))).await;
    let id = request["request_id"].as_str().expect("request id");
    ok(s, &y.token, "POST", &format!("{base}/contacts/requests/{id}/accept"), Some(json!({"level": 1}))).await;
}

pub(crate) async fn association(s: &TestServer, slug: &str) -> Association {
    s.association(slug, "Test", "[policies]\nmessaging = \"anyone\"\n").await
}

pub(crate) async fn start(s: &TestServer, a: &Association, from: &Someone, to: &[&str], text: &str) -> String {
    let started =
        ok(s, &from.token, "POST", &format!("{}/conversations", api(a)), Some(json!({"members": to, "message": text})))
            .await;
    started["conversation_id"].as_str().expect("conversation id").to_owned()
}

/// An event's id: an opaque text of 32 base64url characters (never a
/// number: a number would count the events of everyone).
fn event_id(event: &Value) -> String {
    let id = event["id"].as_str().unwrap_or_else(|| panic!("a text id: {event}"));
    assert_eq!(id.len(), 32, "{event}");
    assert!(id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{event}");
    assert!(id.parse::<i64>().is_err() && id.parse::<f64>().is_err(), "{event}");
    id.to_owned()
}

async fn send(s: &TestServer, a: &Association, from: &Someone, conversation: &str, text: &str) -> String {
    let sent = ok(
        s,
        &from.token,
        "POST",
        &format!("{}/conversations/{conversation}/messages", api(a)),
        Some(json!({"body": text})),
    )
    .await;
    sent["message_id"].as_str().expect("message id").to_owned()
}

#[tokio::test]
async fn messages_edits_deletions_and_reads_arrive_and_catch_up_in_order() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = association(&s, "live").await;
        let anna = someone(&s, &a, "Anna Live").await;
        let ben = someone(&s, &a, "Ben Live").await;
        let cleo = someone(&s, &a, "Cleo Live").await;
        befriend(&s, &a, &anna, &ben).await;
        let mut ben_ws = open(&s.base, &a, &ben.token).await;
        let mut cleo_ws = open(&s.base, &a, &cleo.token).await;

        // A stranger's first message is a request for the recipient.
        let request = start(&s, &a, &anna, &[&cleo.id], "Hello Cleo").await;
        let event = next(&mut cleo_ws).await;
        assert_eq!(
            (event["type"].as_str(), event["conversation_id"].as_str()),
            (Some("conversation_request"), Some(request.as_str())),
            "{db:?} {event}"
        );
        let unread = next(&mut cleo_ws).await;
        assert_eq!((unread["type"].as_str(), unread["id"].clone()), (Some("unread"), event["id"].clone()), "{db:?}");

        // A contact's message arrives whole, then the counts.
        let conversation = start(&s, &a, &anna, &[&ben.id], "First *live* message").await;
        let event = next(&mut ben_ws).await;
        assert_eq!(event["type"], "message", "{db:?} {event}");
        assert_eq!(event["conversation_id"], conversation.as_str());
        assert_eq!(event["message"]["body"], "First *live* message");
        assert_eq!(event["message"]["sender_id"], anna.id.as_str());
        assert_eq!(event["message"]["own"], false);
        let first_id = event_id(&event);
        let unread = next(&mut ben_ws).await;
        assert_eq!((unread["type"].as_str(), unread["messages"].as_i64()), (Some("unread"), Some(1)), "{db:?}");

        // Edits and deletions follow; the recipient's read goes to their own sockets only.
        // (Each is what the member may see when it is sent, so each is awaited in turn.)
        let second = send(&s, &a, &anna, &conversation, "second").await;
        let got = next_event(&mut ben_ws).await;
        assert_eq!(
            (got["type"].as_str(), got["message"]["body"].as_str()),
            (Some("message"), Some("second")),
            "{db:?}"
        );
        let path = format!("{}/conversations/{conversation}/messages/{second}", api(&a));
        ok(&s, &anna.token, "PATCH", &path, Some(json!({"body": "second, edited"}))).await;
        let got = next_event(&mut ben_ws).await;
        assert_eq!(
            (got["type"].as_str(), got["message"]["body"].as_str()),
            (Some("message_edited"), Some("second, edited"))
        );
        ok(&s, &anna.token, "DELETE", &path, None).await;
        let got = next_event(&mut ben_ws).await;
        assert_eq!(
            (got["type"].as_str(), got["message_id"].as_str()),
            (Some("message_deleted"), Some(second.as_str()))
        );
        ok(
            &s,
            &ben.token,
            "POST",
            &format!("{}/conversations/{conversation}/read", api(&a)),
            Some(json!({"message_id": second})),
        )
        .await;
        let read = next_event(&mut ben_ws).await;
        assert_eq!(
            (read["type"].as_str(), read["message_id"].as_str()),
            (Some("read"), Some(second.as_str())),
            "{db:?}"
        );
        let unread = next(&mut ben_ws).await;
        assert_eq!(unread["messages"], 0, "{db:?}");
        let last_seen = event_id(&read);
        assert_ne!(last_seen, first_id);

        // Away: three messages; back with `since`: those three, in order, once.
        ben_ws.close(None).await.expect("close");
        let mut sent = Vec::new();
        for n in 1..=3 {
            sent.push(send(&s, &a, &anna, &conversation, &format!("while away {n}")).await);
        }
        let mut ben_ws = open_with(
            &s.base,
            // base64url: safe in a query as it is.
            &format!("{}/live?since={last_seen}", api(&a)),
            &[("authorization", format!("Bearer {}", ben.token))],
        )
        .await
        .expect("reconnect");
        let mut ids = Vec::new();
        for expected in &sent {
            let event = next_event(&mut ben_ws).await;
            assert_eq!(event["message"]["message_id"].as_str(), Some(expected.as_str()), "{db:?} {event}");
            ids.push(event_id(&event));
        }
        let distinct: std::collections::HashSet<&String> = ids.iter().chain([&last_seen, &first_id]).collect();
        assert_eq!(distinct.len(), 5, "{db:?} {ids:?}");
        // Asking again from the same point repeats them, in order; then the live ones follow, once.
        ben_ws.send(Message::text(json!({"type": "resume", "since": ids[1]}).to_string())).await.expect("resume");
        let again = next_event(&mut ben_ws).await;
        assert_eq!(again["id"].as_str(), Some(ids[2].as_str()), "{db:?}");
        let live = send(&s, &a, &anna, &conversation, "live again").await;
        let event = next_event(&mut ben_ws).await;
        assert_eq!(event["message"]["message_id"].as_str(), Some(live.as_str()), "{db:?} no duplicate before it");

        // The writer's own other socket sees their message as own.
        let mut anna_ws = open(&s.base, &a, &anna.token).await;
        send(&s, &a, &anna, &conversation, "mine").await;
        let own = next_event(&mut anna_ws).await;
        assert_eq!((own["message"]["own"].as_bool(), own["message"]["body"].as_str()), (Some(true), Some("mine")));

        // Ids only in the log: no message text in the database dump.
        let dump = s.dump().await;
        assert!(!dump.contains("while away") && !dump.contains("live again"), "{db:?}: text in the database");
        s.stop().await;
    }
}

#[tokio::test]
async fn a_message_posted_on_one_node_reaches_a_socket_on_another() {
    let s = TestServer::start(Db::Postgres).await;
    let a = association(&s, "nodes").await;
    let anna = someone(&s, &a, "Anna Node").await;
    let ben = someone(&s, &a, "Ben Node").await;
    befriend(&s, &a, &anna, &ben).await;
    let (other_base, other) = s.another_server().await;
    // Ben's socket is on node B; Anna writes through node A.
    let mut ben_ws = open(&other_base, &a, &ben.token).await;
    let conversation = start(&s, &a, &anna, &[&ben.id], "Across nodes").await;
    let event = next(&mut ben_ws).await;
    assert_eq!((event["type"].as_str(), event["message"]["body"].as_str()), (Some("message"), Some("Across nodes")));
    assert_eq!(event["conversation_id"], conversation.as_str());
    // And the other way round: a socket on A, the message through B.
    let mut anna_ws = open(&s.base, &a, &anna.token).await;
    let sent = s
        .client
        .post(format!("{other_base}{}/conversations/{conversation}/messages", api(&a)))
        .bearer_auth(&ben.token)
        .json(&json!({"body": "Back again"}))
        .send()
        .await
        .expect("post on node B");
    assert_eq!(sent.status(), 201);
    let event = next_event(&mut anna_ws).await;
    assert_eq!(event["message"]["body"], "Back again");
    // Revoking the session on node A closes the socket on node B.
    ok(&s, &ben.token, "POST", &format!("{}/auth/logout", api(&a)), None).await;
    assert_eq!(closed(&mut ben_ws).await, (1008, "session_ended".to_owned()));
    other.stop().await.expect("stop node B");
    s.stop().await;
}

#[tokio::test]
async fn the_cookie_opens_a_socket_only_from_the_associations_own_origin() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = association(&s, "origin").await;
        let anna = someone(&s, &a, "Anna Origin").await;
        let path = format!("{}/live", api(&a));
        let cookie = ("cookie", format!("__Host-kindred-origin={}", anna.token));
        let host = s.base.trim_start_matches("http://").to_owned();
        for origin in ["https://evil.example", "null", &format!("http://{host}.evil.example")] {
            let refused = open_with(&s.base, &path, &[cookie.clone(), ("origin", origin.to_owned())]).await;
            assert_eq!(refused.err(), Some(403), "{db:?} from {origin}");
        }
        let without_origin = open_with(&s.base, &path, std::slice::from_ref(&cookie)).await;
        assert_eq!(without_origin.err(), Some(403), "{db:?}: a cookie without Origin");
        let own = open_with(&s.base, &path, &[cookie, ("origin", s.base.clone())]).await;
        assert!(own.is_ok(), "{db:?}: the association's own page");
        // Without any sign-in, and a plain GET without the upgrade.
        assert_eq!(open_with(&s.base, &path, &[]).await.err(), Some(401), "{db:?}");
        let plain = s.client.get(s.url(&path)).bearer_auth(&anna.token).send().await.expect("get");
        let (status, code) = crate::harness::api_error(plain).await;
        assert_eq!((status, code.as_str()), (426, "upgrade_required"), "{db:?}");
        s.stop().await;
    }
}

#[tokio::test]
async fn a_member_who_left_was_blocked_suspended_or_signed_out_receives_nothing_more() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = association(&s, "gone").await;
        let anna = someone(&s, &a, "Anna Gone").await;
        let ben = someone(&s, &a, "Ben Gone").await;
        let cleo = someone(&s, &a, "Cleo Gone").await;
        let dora = someone(&s, &a, "Dora Gone").await;
        for other in [&ben, &cleo, &dora] {
            befriend(&s, &a, &anna, other).await;
        }
        // The socket first, and the conversations' first messages taken off
        // it: a message sent just before a socket opens may still reach it
        // (the node routes what it is told after the socket registered).
        let mut cleo_ws = open(&s.base, &a, &cleo.token).await;
        let group = start(&s, &a, &anna, &[&ben.id, &cleo.id], "Three of us").await;
        let direct = start(&s, &a, &anna, &[&cleo.id], "Just us").await;
        assert_eq!(next_message_event(&mut cleo_ws).await["message"]["body"], "Three of us", "{db:?}");
        assert_eq!(next_message_event(&mut cleo_ws).await["message"]["body"], "Just us", "{db:?}");

        // Cleo leaves the group conversation: its messages no longer reach her;
        // the next thing she gets is the one-to-one message sent after.
        ok(&s, &cleo.token, "POST", &format!("{}/conversations/{group}/leave", api(&a)), None).await;
        send(&s, &a, &anna, &group, "after Cleo left").await;
        send(&s, &a, &anna, &direct, "sentinel one").await;
        let event = next_message_event(&mut cleo_ws).await;
        assert_eq!(event["message"]["body"], "sentinel one", "{db:?}: nothing of the conversation she left");

        // Cleo blocks Anna: Anna cannot write to her; the next event Cleo sees is Dora's.
        ok(&s, &cleo.token, "POST", &format!("{}/blocks", api(&a)), Some(json!({"member_id": anna.id}))).await;
        let (status, _) = call(
            &s,
            &anna.token,
            "POST",
            &format!("{}/conversations/{direct}/messages", api(&a)),
            Some(json!({"body": "blocked"})),
        )
        .await;
        assert_eq!(status, 403, "{db:?}");
        befriend(&s, &a, &dora, &cleo).await;
        start(&s, &a, &dora, &[&cleo.id], "sentinel two").await;
        let event = next_message_event(&mut cleo_ws).await;
        assert_eq!(event["message"]["body"], "sentinel two", "{db:?}");

        // Ben's session is revoked from another one: his socket closes at once.
        let mut ben_ws = open(&s.base, &a, &ben.token).await;
        let other_token = s.login(a.slug.as_str(), "ben.gone@example.org", crate::members::PASSWORD).await;
        let sessions = ok(&s, &other_token, "GET", &format!("{}/me/sessions", api(&a)), None).await;
        let theirs: Vec<String> = sessions["sessions"]
            .as_array()
            .expect("sessions")
            .iter()
            .filter(|x| x["current"] != true)
            .map(|x| x["session_id"].as_str().or(x["id"].as_str()).expect("session id").to_owned())
            .collect();
        assert_eq!(theirs.len(), 1, "{sessions}");
        ok(&s, &other_token, "DELETE", &format!("{}/me/sessions/{}", api(&a), theirs[0]), None).await;
        assert_eq!(closed(&mut ben_ws).await, (1008, "session_ended".to_owned()), "{db:?}");

        // Dora is suspended: her socket closes, and nothing of Anna's reaches
        // it — though the node had just authenticated Dora's session for a
        // message (it keeps that for a while; the suspension's signal makes
        // it forget before the next message is decided).
        let admin_email = "admin.gone@example.org";
        s.user(&a, admin_email, "Admin Gone", "admin").await;
        let admin = s.login_staff(&a, admin_email).await;
        let mut dora_ws = open(&s.base, &a, &dora.token).await;
        let with_dora = start(&s, &a, &anna, &[&dora.id], "before the suspension").await;
        assert_eq!(next_message_event(&mut dora_ws).await["message"]["body"], "before the suspension", "{db:?}");
        ok(
            &s,
            &admin,
            "POST",
            &format!("{}/admin/members/{}/suspend", api(&a), dora.id),
            Some(json!({"note": "test"})),
        )
        .await;
        let _ = call(
            &s,
            &anna.token,
            "POST",
            &format!("{}/conversations/{with_dora}/messages", api(&a)),
            Some(json!({"body": "after the suspension"})),
        )
        .await;
        let (frames, close) = until_closed(&mut dora_ws).await;
        assert_eq!(close, (1008, "session_ended".to_owned()), "{db:?}");
        assert!(!frames.contains("after the suspension"), "{db:?}: {frames}");

        // Ben erases his account while a socket of his is open (and was
        // just sent a message): it closes, and nothing more reaches it.
        let mut ben_ws = open(&s.base, &a, &other_token).await;
        send(&s, &a, &anna, &group, "before the erasure").await;
        assert_eq!(next_message_event(&mut ben_ws).await["message"]["body"], "before the erasure", "{db:?}");
        let (status, _) = call(
            &s,
            &other_token,
            "DELETE",
            &format!("{}/me", api(&a)),
            Some(json!({"password": crate::members::PASSWORD, "posts": "delete"})),
        )
        .await;
        assert_eq!(status, 202, "{db:?}");
        send(&s, &a, &anna, &group, "after the erasure").await;
        let (frames, close) = until_closed(&mut ben_ws).await;
        assert_eq!(close, (1008, "session_ended".to_owned()), "{db:?}");
        assert!(!frames.contains("after the erasure"), "{db:?}: {frames}");
        s.stop().await;
    }
}

#[tokio::test]
async fn bad_frames_close_only_their_own_socket() {
    let s = TestServer::start(Db::Sqlite).await;
    let a = association(&s, "frames").await;
    let anna = someone(&s, &a, "Anna Frames").await;
    let ben = someone(&s, &a, "Ben Frames").await;
    befriend(&s, &a, &anna, &ben).await;
    let mut good = open(&s.base, &a, &ben.token).await;
    let cases: [(Message, u16, &str); 4] = [
        (Message::text("not json {"), 1007, "invalid_json"),
        (Message::text(format!("\"{}\"", "x".repeat(20 * 1024))), 1009, "too_large"),
        (Message::text("x".repeat(200 * 1024)), 1009, "frame_refused"),
        (Message::binary(vec![1, 2, 3]), 1003, "text_only"),
    ];
    for (frame, code, reason) in cases {
        let mut bad = open(&s.base, &a, &ben.token).await;
        bad.send(frame).await.expect("send");
        let (got_code, got_reason) = closed(&mut bad).await;
        assert_eq!((got_code, got_reason.as_str()), (code, reason));
    }
    // Well-formed but unknown: answered, the socket stays.
    good.send(Message::text(r#"{"type":"dance"}"#)).await.expect("send");
    assert_eq!(next(&mut good).await["code"], "unknown_type");
    good.send(Message::text(r#"{"type":"ping"}"#)).await.expect("send");
    assert_eq!(next(&mut good).await["type"], "pong");
    start(&s, &a, &anna, &[&ben.id], "still here").await;
    assert_eq!(next_event(&mut good).await["message"]["body"], "still here");
    s.stop().await;
}

#[tokio::test]
async fn tickets_work_once_and_run_out() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = association(&s, "tickets").await;
        let anna = someone(&s, &a, "Anna Ticket").await;
        let ben = someone(&s, &a, "Ben Ticket").await;
        befriend(&s, &a, &anna, &ben).await;
        let tickets = format!("{}/live/tickets", api(&a));
        let (status, made) = call(&s, &ben.token, "POST", &tickets, None).await;
        assert_eq!(status, 201, "{db:?} {made}");
        let ticket = made["ticket"].as_str().expect("ticket").to_owned();
        let path = format!("{}/live?ticket={ticket}", api(&a));
        // A plain GET is no upgrade: 426, and the ticket is not spent by it.
        let plain = s.client.get(s.url(&path)).send().await.expect("get");
        assert_eq!(plain.status(), 426, "{db:?}");
        let mut ws = open_with(&s.base, &path, &[]).await.expect("a fresh ticket opens");
        assert_eq!(open_with(&s.base, &path, &[]).await.err(), Some(401), "{db:?}: used twice");
        start(&s, &a, &anna, &[&ben.id], "by ticket").await;
        assert_eq!(next_event(&mut ws).await["message"]["body"], "by ticket", "{db:?}");

        let (_, made) = call(&s, &ben.token, "POST", &tickets, None).await;
        let late = format!("{}/live?ticket={}", api(&a), made["ticket"].as_str().expect("ticket"));
        s.clock.advance(chrono::Duration::seconds(61));
        assert_eq!(open_with(&s.base, &late, &[]).await.err(), Some(401), "{db:?}: expired");
        assert_eq!(open_with(&s.base, &format!("{}/live?ticket=forged", api(&a)), &[]).await.err(), Some(401));
        // Only a signed-in member gets a ticket; the ticket is stored hashed.
        let (status, _) = call(&s, "nobody", "POST", &tickets, None).await;
        assert_eq!(status, 401);
        assert!(!s.dump().await.contains(&ticket), "{db:?}: ticket in clear");
        s.stop().await;
    }
}

#[tokio::test]
async fn sockets_per_member_are_capped() {
    let s = TestServer::start(Db::Sqlite).await;
    let a = association(&s, "cap").await;
    let anna = someone(&s, &a, "Anna Cap").await;
    let ben = someone(&s, &a, "Ben Cap").await;
    let mut sockets = Vec::new();
    for _ in 0..kindred_service::live::SOCKETS_PER_MEMBER {
        sockets.push(open(&s.base, &a, &anna.token).await);
    }
    let path = format!("{}/live", api(&a));
    let extra = open_with(&s.base, &path, &[("authorization", format!("Bearer {}", anna.token))]).await;
    assert_eq!(extra.err(), Some(429));
    // Another member is not affected; closing one makes room.
    let _ben_ws = open(&s.base, &a, &ben.token).await;
    let mut first = sockets.remove(0);
    first
        .close(Some(tokio_tungstenite::tungstenite::protocol::CloseFrame {
            code: CloseCode::Normal,
            reason: "".into(),
        }))
        .await
        .expect("close");
    let mut room = None;
    for _ in 0..50 {
        if let Ok(ws) = open_with(&s.base, &path, &[("authorization", format!("Bearer {}", anna.token))]).await {
            room = Some(ws);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(room.is_some(), "a closed socket frees its place");
    s.stop().await;
}

/// Notifications of every kind reach the recipient's socket as they are
/// written — here a contact request and its answer — each followed by the
/// counts, and only the recipient's.
#[tokio::test]
async fn notifications_of_requests_arrive_on_the_recipients_socket() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = association(&s, "live-notes").await;
        let anna = someone(&s, &a, "Anna Notes").await;
        let ben = someone(&s, &a, "Ben Notes").await;
        let mut anna_ws = open(&s.base, &a, &anna.token).await;
        let mut ben_ws = open(&s.base, &a, &ben.token).await;

        let base = api(&a);
        let request =
            ok(&s, &anna.token, "POST", &format!("{base}/contacts/requests"), Some(json!({"to": ben.id, "level": 1})))
                .await;
        let event = next(&mut ben_ws).await;
        assert_eq!(event["type"], "notification", "{db:?} {event}");
        assert_eq!(event["notification"]["kind"], "contact_request", "{db:?} {event}");
        let unread = next(&mut ben_ws).await;
        assert_eq!((unread["type"].as_str(), unread["notifications"].as_i64()), (Some("unread"), Some(1)), "{db:?}");

        let id = request["request_id"].as_str().expect("request id");
        ok(&s, &ben.token, "POST", &format!("{base}/contacts/requests/{id}/accept"), Some(json!({"level": 1}))).await;
        // The requester hears the answer; nothing of the request came to them before it.
        let event = next(&mut anna_ws).await;
        assert_eq!(event["type"], "notification", "{db:?} {event}");
        assert_eq!(event["notification"]["kind"], "contact_answer", "{db:?} {event}");
        s.stop().await;
    }
}

/// One node holds the sockets of several members of one group's chat
/// (two of one member): the node decides each message once for all of
/// them, and still each socket gets exactly what its member may see —
/// the writer's own view, the others' view under the writer's alias in an
/// alias group, nothing for a member who left the group, a closed socket
/// for a suspended one; in a plain group, the writer's id, and nothing for
/// a member in a block with the writer (as on the conversation's page).
#[tokio::test]
async fn one_node_decides_a_group_chat_message_for_each_socket_of_its_members() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a =
            s.association("batch", "Test", "[policies]\nmessaging = \"anyone\"\ngroup_creation = \"members\"\n").await;
        let base = api(&a);
        let anna = someone(&s, &a, "Anna Batch").await;
        let ben = someone(&s, &a, "Ben Batch").await;
        let cleo = someone(&s, &a, "Cleo Batch").await;
        let dora = someone(&s, &a, "Dora Batch").await;
        let eve = someone(&s, &a, "Eve Batch").await;
        // A group with its chat, every member in it (the chat's rows are
        // made when a member first opens it).
        let group_chat = |name: &'static str, alias_mode: bool| {
            let (s, base, anna) = (&s, &base, &anna);
            async move {
                let made = ok(
                    s,
                    &anna.token,
                    "POST",
                    &format!("{base}/groups"),
                    Some(json!({"name": name, "visibility": "open", "alias_mode": alias_mode})),
                )
                .await;
                made["group_id"].as_str().expect("group").to_owned()
            }
        };
        let open_chat = |group: &str, member: &Someone| {
            let (s, base) = (&s, &base);
            let (group, token) = (group.to_owned(), member.token.clone());
            async move {
                let chat = ok(s, &token, "GET", &format!("{base}/groups/{group}/conversation"), None).await;
                chat["conversation_id"].as_str().expect("chat").to_owned()
            }
        };

        // An alias group: everyone sees the writer by alias only.
        let circle = group_chat("Anonymous circle", true).await;
        for member in [&ben, &cleo, &dora] {
            ok(&s, &member.token, "POST", &format!("{base}/groups/{circle}/join"), None).await;
        }
        let chat = open_chat(&circle, &anna).await;
        for member in [&ben, &cleo, &dora] {
            assert_eq!(open_chat(&circle, member).await, chat);
        }
        let mut anna_ws = open(&s.base, &a, &anna.token).await;
        let mut ben_ws = [open(&s.base, &a, &ben.token).await, open(&s.base, &a, &ben.token).await];
        let mut cleo_ws = open(&s.base, &a, &cleo.token).await;
        let mut dora_ws = open(&s.base, &a, &dora.token).await;
        // Cleo leaves the group; Dora is suspended (her socket closes).
        ok(&s, &cleo.token, "POST", &format!("{base}/groups/{circle}/leave"), None).await;
        s.user(&a, "admin.batch@example.org", "Admin Batch", "admin").await;
        let admin = s.login_staff(&a, "admin.batch@example.org").await;
        ok(&s, &admin, "POST", &format!("{base}/admin/members/{}/suspend", dora.id), Some(json!({"note": "test"})))
            .await;
        assert_eq!(closed(&mut dora_ws).await, (1008, "session_ended".to_owned()), "{db:?}");

        let sent = send(&s, &a, &anna, &chat, "to the circle").await;
        let mut alias = None;
        for ws in &mut ben_ws {
            let event = next_event(ws).await;
            assert_eq!(event["type"], "message", "{db:?} {event}");
            assert_eq!(event["message"]["message_id"].as_str(), Some(sent.as_str()), "{db:?}");
            assert_eq!(event["message"]["own"], false, "{db:?}");
            assert!(event["message"].get("sender_id").is_none(), "{db:?}: an alias chat names no one {event}");
            assert!(!event.to_string().contains(&anna.id), "{db:?}");
            let shown = event["message"]["sender_alias"].as_str().expect("alias").to_owned();
            assert_eq!(alias.get_or_insert(shown.clone()), &shown, "{db:?}: the same alias for each socket");
            let unread = next(ws).await;
            assert_eq!((unread["type"].as_str(), unread["messages"].as_i64()), (Some("unread"), Some(1)), "{db:?}");
        }
        let own = next_event(&mut anna_ws).await;
        assert_eq!(own["message"]["own"], true, "{db:?} {own}");
        assert_eq!(own["message"]["sender_alias"].as_str(), alias.as_deref(), "{db:?}");

        // A plain group: the writer by id; Eve, in a block with Anna, gets
        // none of Anna's messages, and Ben's next one is her next event.
        let plain = group_chat("Plain circle", false).await;
        for member in [&ben, &cleo, &eve] {
            ok(&s, &member.token, "POST", &format!("{base}/groups/{plain}/join"), None).await;
        }
        let plain_chat = open_chat(&plain, &anna).await;
        for member in [&ben, &cleo, &eve] {
            open_chat(&plain, member).await;
        }
        let mut eve_ws = open(&s.base, &a, &eve.token).await;
        ok(&s, &eve.token, "POST", &format!("{base}/blocks"), Some(json!({"member_id": anna.id}))).await;
        send(&s, &a, &anna, &plain_chat, "from Anna").await;
        for ws in &mut ben_ws {
            let event = next_event(ws).await;
            assert_eq!(event["message"]["body"], "from Anna", "{db:?} {event}");
            assert_eq!(event["message"]["sender_id"].as_str(), Some(anna.id.as_str()), "{db:?}");
        }
        let from_cleo = next_event(&mut cleo_ws).await;
        assert_eq!(from_cleo["message"]["body"], "from Anna", "{db:?}: nothing of the circle she left {from_cleo}");
        send(&s, &a, &ben, &plain_chat, "from Ben").await;
        let event = next_message_event(&mut eve_ws).await;
        assert_eq!(event["message"]["body"], "from Ben", "{db:?}: nothing of Anna's {event}");
        assert_eq!(event["message"]["sender_id"].as_str(), Some(ben.id.as_str()), "{db:?}");
        s.stop().await;
    }
}

/// The live script's words are not on every page (issue 21: page weight)
/// but behind one address the page names, in the page's language, kept by
/// the browser for as long as they do not change.
#[tokio::test]
async fn the_live_scripts_words_come_from_one_cached_address_in_the_pages_language() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna").await;
        let cookie = format!("__Host-kindred-ms={}", anna.token);
        let mut addresses = Vec::new();
        for lang in ["de", "en"] {
            let html = s
                .client
                .get(s.url(&format!("/a/ms/?lang={lang}")))
                .header("cookie", &cookie)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert!(!html.contains("data-text-you"), "{db:?}: no words in attributes");
            let start = html.find("data-texts=\"").expect("the words' address") + "data-texts=\"".len();
            let address = html[start..].split('"').next().unwrap().replace("&amp;", "&");
            assert!(address.starts_with("/a/ms/live-texts?lang=") && address.contains("&v="), "{db:?}: {address}");
            // Asked without a session: the words are nobody's.
            let response = s.client.get(s.url(&address)).send().await.unwrap();
            assert_eq!(response.status(), 200, "{db:?}");
            let caching = response.headers()["cache-control"].to_str().unwrap().to_owned();
            assert!(caching.contains("immutable") && caching.contains("public"), "{db:?}: {caching}");
            let words: Value = response.json().await.unwrap();
            let expected = if lang == "de" { "Benachrichtigungen" } else { "Notifications" };
            assert_eq!(words["notifications"], expected, "{db:?}: {words}");
            assert!(words["notifications-count"].as_str().unwrap().contains("{n}"), "{db:?}: {words}");
            for name in ["you", "someone", "new-message", "new-notification", "show-new", "messages-count"] {
                assert!(!words[name].as_str().unwrap_or("").is_empty(), "{db:?}: {name} in {words}");
            }
            addresses.push(address);
        }
        assert_ne!(addresses[0], addresses[1], "{db:?}: another language, another address");
        s.stop().await;
    }
}

#[tokio::test]
async fn a_disappearing_message_is_taken_away_from_open_sockets() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = association(&s, "vanish").await;
        let anna = someone(&s, &a, "Anna Vanish").await;
        let ben = someone(&s, &a, "Ben Vanish").await;
        befriend(&s, &a, &anna, &ben).await;
        let conversation = start(&s, &a, &anna, &[&ben.id], "Stays").await;
        let base = api(&a);
        let path = format!("{base}/conversations/{conversation}/disappearing");
        ok(&s, &anna.token, "PUT", &path, Some(json!({"seconds": 300}))).await;
        let sent = ok(
            &s,
            &anna.token,
            "POST",
            &format!("{base}/conversations/{conversation}/messages"),
            Some(json!({"body": "Goes"})),
        )
        .await;
        let message = sent["message_id"].as_str().expect("id").to_owned();
        let mut ws = open(&s.base, &a, &ben.token).await;
        s.clock.advance(chrono::Duration::seconds(301));
        let now = kindred_service::Clock::now(s.clock.as_ref());
        assert!(s.kindred.erase_due(now).await.expect("erase") >= 1, "{db:?}");
        let mut deleted = Vec::new();
        while deleted.len() < 2 {
            let event = next_event(&mut ws).await;
            if event["type"] == "message_deleted" {
                assert_eq!(event["conversation_id"], conversation.as_str(), "{db:?}");
                deleted.push(event["message_id"].as_str().expect("id").to_owned());
            }
        }
        assert!(deleted.contains(&message), "{db:?}: the message and the announcement: {deleted:?}");
        s.stop().await;
    }
}

/// An event's id tells a member nothing of anyone else's events. Anna
/// marks a conversation read (an event only she receives) before and
/// after Ben writes to five other members at once, and in another
/// association: with the log's row ids on the wire, the difference of her
/// two ids counted the recipients in between. Her ids are opaque texts
/// instead, bound to her: she can resume after one, Ben cannot use it
/// (400 `invalid_since`, before any upgrade), nor can a member of the
/// other association, and a made-up or altered id is refused the same way.
#[tokio::test]
async fn event_ids_tell_nothing_of_other_members_events() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = association(&s, "ids").await;
        let b = association(&s, "ids-other").await;
        let anna = someone(&s, &a, "Anna Ids").await;
        let ben = someone(&s, &a, "Ben Ids").await;
        let others = [
            someone(&s, &a, "Cleo Ids").await,
            someone(&s, &a, "Dora Ids").await,
            someone(&s, &a, "Eve Ids").await,
            someone(&s, &a, "Fay Ids").await,
            someone(&s, &a, "Gus Ids").await,
        ];
        let (bea, bob) = (someone(&s, &b, "Bea Elsewhere").await, someone(&s, &b, "Bob Elsewhere").await);
        // A conversation of several needs Ben's contacts.
        for other in [&anna].into_iter().chain(&others) {
            befriend(&s, &a, &ben, other).await;
        }
        let with_ben = start(&s, &a, &ben, &[&anna.id], "Hello Anna").await;
        let message = send(&s, &a, &ben, &with_ben, "read me").await;
        let mut anna_ws = open(&s.base, &a, &anna.token).await;
        let read_path = format!("{}/conversations/{with_ben}/read", api(&a));
        let mark_read = || ok(&s, &anna.token, "POST", &read_path, Some(json!({"message_id": message})));

        mark_read().await;
        let before = next_read_event(&mut anna_ws).await;
        // Ben writes to five members (six recipients with him), and
        // members of another association talk meanwhile.
        let to: Vec<&str> = others.iter().map(|o| o.id.as_str()).collect();
        let group = start(&s, &a, &ben, &to, "to five").await;
        send(&s, &a, &ben, &group, "again to five").await;
        start(&s, &b, &bea, &[&bob.id], "elsewhere").await;
        mark_read().await;
        let after = next_read_event(&mut anna_ws).await;

        let (first, second) = (event_id(&before), event_id(&after));
        // Texts, not numbers (event_id checks): two events, two ids, and
        // nothing in them to subtract.
        assert_ne!(first, second, "{db:?}: two events, two ids");

        let live = format!("{}/live", api(&a));
        let bearer = |token: &str| vec![("authorization", format!("Bearer {token}"))];
        // Her id resumes on her own socket: the next event is her second read.
        let mut again =
            open_with(&s.base, &format!("{live}?since={first}"), &bearer(&anna.token)).await.expect("resume");
        let resumed = next_read_event(&mut again).await;
        assert_eq!(resumed["id"].as_str(), Some(second.as_str()), "{db:?}: the same event, the same id");
        again.send(Message::text(json!({"type": "resume", "since": first}).to_string())).await.expect("resume");
        assert_eq!(next_read_event(&mut again).await["id"].as_str(), Some(second.as_str()), "{db:?}");

        // Anyone else's socket refuses it, as it refuses made-up ids.
        let mut ben_ws = open(&s.base, &a, &ben.token).await;
        // Her id with its last character changed.
        let altered = format!("{}{}", &first[..31], if first.ends_with('A') { 'B' } else { 'A' });
        for bad in [first.clone(), "7".to_owned(), "0".to_owned(), "x".repeat(32), altered] {
            assert_eq!(
                open_with(&s.base, &format!("{live}?since={bad}"), &bearer(&ben.token)).await.err(),
                Some(400),
                "{db:?}: {bad}"
            );
            ben_ws.send(Message::text(json!({"type": "resume", "since": bad}).to_string())).await.expect("resume");
            let refused = next(&mut ben_ws).await;
            assert_eq!((refused["type"].as_str(), refused["code"].as_str()), (Some("error"), Some("invalid_since")));
        }
        // A number, as old clients sent, is no id either.
        ben_ws.send(Message::text(json!({"type": "resume", "since": 1}).to_string())).await.expect("resume");
        assert_eq!(next(&mut ben_ws).await["code"], "invalid_since", "{db:?}");
        let other_live = format!("{}/live?since={first}", api(&b));
        assert_eq!(open_with(&s.base, &other_live, &bearer(&bea.token)).await.err(), Some(400), "{db:?}");
        // In the documented error shape.
        let refused =
            s.client.get(s.url(&format!("{live}?since={first}"))).bearer_auth(&ben.token).send().await.expect("get");
        assert_eq!(refused.status(), 400, "{db:?}");
        let body: Value = refused.json().await.expect("JSON error");
        assert_eq!(body["error"]["code"], "invalid_since", "{db:?} {body}");
        assert!(body["error"]["message"].is_string(), "{db:?} {body}");
        s.stop().await;
    }
}

/// The next `read` event (the messages and counts around it passed over).
async fn next_read_event(ws: &mut Ws) -> Value {
    loop {
        let event = next_event(ws).await;
        if event["type"] == "read" {
            return event;
        }
    }
}
