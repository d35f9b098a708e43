//! Calls over real sockets, on both databases: starting rings the other
//! members; joining hands out relays with TURN REST credentials; set-up
//! messages pass only between two members who are both in the call; the
//! last one out ends it. A call is exactly as findable as its conversation
//! (404 for everyone else, the same as an id never used); a request, a
//! block and an alias group's chat refuse calls as they refuse messages;
//! inside a group's call a block hides the two from each other, and a
//! set-up message between them is refused as for someone not in the call.

use crate::harness::{TestServer, BOTH};
use crate::live::{api, association, befriend, next, next_event, open, start, Ws};
use crate::members::{call, ok, someone, Someone};
use futures_util::SinkExt;
use kindred::config::parse_file;
use kindred_service::Association;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

const CALLS: &str = "[calls]\nstun_urls = [\"stun:stun.example.org:3478\"]\n\
                     turn_urls = [\"turn:turn.example.org:3478?transport=udp\"]\n\
                     turn_secret = \"call-test-secret\"\nturn_credential_seconds = 600\n";

/// The next event about a call (counts, notifications and the message that
/// opened the conversation passed over: on PostgreSQL its signal may reach
/// the node after the socket opened).
async fn next_call_event(ws: &mut Ws) -> Value {
    loop {
        let event = next_event(ws).await;
        if event["type"] != "notification" && event["type"] != "message" {
            return event;
        }
    }
}

/// The member's export, built and downloaded: data.json.
async fn exported(s: &TestServer, a: &Association, who: &Someone) -> Value {
    let asked = ok(s, &who.token, "POST", &format!("{}/me/export", api(a)), None).await;
    let id = asked["export_id"].as_str().expect("export id");
    for _ in 0..200 {
        let response = s
            .client
            .get(s.url(&format!("{}/me/exports/{id}", api(a))))
            .bearer_auth(&who.token)
            .send()
            .await
            .expect("get");
        if response.status() == 200 {
            let bytes = response.bytes().await.expect("bytes").to_vec();
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP");
            let mut text = String::new();
            std::io::Read::read_to_string(&mut zip.by_name("data.json").expect("data.json"), &mut text).expect("utf-8");
            return serde_json::from_str(&text).expect("JSON");
        }
        assert_eq!(response.status(), 202);
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the export was not built");
}

/// The members of a call's list, in a fixed order (the test clock stands
/// still, so members who join one after another joined "at once").
fn sorted(list: &Value) -> Vec<String> {
    let mut members: Vec<String> =
        list.as_array().expect("a list").iter().map(|m| m.as_str().expect("an id").to_owned()).collect();
    members.sort();
    members
}

fn both(x: &Someone, y: &Someone) -> Vec<String> {
    let mut members = vec![x.id.clone(), y.id.clone()];
    members.sort();
    members
}

async fn signal(ws: &mut Ws, call_id: &str, to: &str, body: Value) {
    let mut frame = json!({"type": "call_signal", "call_id": call_id, "to": to});
    for (key, value) in body.as_object().expect("object") {
        frame[key] = value.clone();
    }
    ws.send(Message::text(frame.to_string())).await.expect("send");
}

async fn start_call(s: &TestServer, a: &Association, who: &Someone, conversation: &str, video: bool) -> (u16, Value) {
    call(
        s,
        &who.token,
        "POST",
        &format!("{}/conversations/{conversation}/calls", api(a)),
        Some(json!({"video": video})),
    )
    .await
}

#[tokio::test]
async fn a_call_rings_hands_out_relays_and_passes_set_up_messages_between_members_in_it() {
    for db in BOTH {
        let s = TestServer::start_with(db, parse_file(CALLS, "calls.toml").expect("toml")).await;
        let a = association(&s, "calls").await;
        let base = api(&a);
        let anna = someone(&s, &a, "Anna Call").await;
        let ben = someone(&s, &a, "Ben Call").await;
        let cleo = someone(&s, &a, "Cleo Call").await;
        befriend(&s, &a, &anna, &ben).await;
        let conversation = start(&s, &a, &anna, &[&ben.id], "Shall we talk?").await;
        let mut anna_ws = open(&s.base, &a, &anna.token).await;
        let mut ben_ws = open(&s.base, &a, &ben.token).await;
        let mut cleo_ws = open(&s.base, &a, &cleo.token).await;

        let (status, started) = start_call(&s, &a, &anna, &conversation, true).await;
        assert_eq!(status, 201, "{db:?} {started}");
        let call_id = started["call_id"].as_str().expect("call id").to_owned();
        // Ben's phone rings; Anna's other devices hear of it too.
        let ring = next_call_event(&mut ben_ws).await;
        assert_eq!(ring["type"], "call", "{db:?} {ring}");
        assert_eq!(ring["call"]["call_id"], call_id.as_str());
        assert_eq!(
            (ring["call_id"].as_str(), ring["conversation_id"].as_str()),
            (Some(call_id.as_str()), Some(conversation.as_str()))
        );
        assert_eq!(ring["call"]["conversation_id"], conversation.as_str());
        assert_eq!((ring["call"]["video"].as_bool(), ring["call"]["state"].as_str()), (Some(true), Some("ongoing")));
        assert_eq!(ring["call"]["started_by"], anna.id.as_str());
        assert_eq!(ring["call"]["participants"], json!([anna.id]));
        assert_eq!(
            (ring["call"]["in_call"].as_bool(), ring["call"]["started_by_me"].as_bool()),
            (Some(false), Some(false))
        );
        assert_eq!(ring["call"]["people"], json!([{"member_id": anna.id, "pseudonym": "Anna Call"}]), "{db:?}");
        assert_eq!(next_call_event(&mut anna_ws).await["call"]["call_id"], call_id.as_str(), "{db:?}");

        // A second start while it is open is the same call.
        let (status, again) = start_call(&s, &a, &anna, &conversation, false).await;
        assert_eq!((status, again["call_id"].as_str()), (200, Some(call_id.as_str())), "{db:?}");
        next_call_event(&mut anna_ws).await;
        next_call_event(&mut ben_ws).await;

        // Cleo is in no conversation with them: the call does not exist for her.
        for (method, path) in [
            ("GET", format!("{base}/calls/{call_id}")),
            ("POST", format!("{base}/calls/{call_id}/join")),
            ("POST", format!("{base}/calls/{call_id}/leave")),
            ("POST", format!("{base}/conversations/{conversation}/calls")),
            ("GET", format!("{base}/calls/aaaaaaaaaaaaaaaaaaaaaaaaaa")),
            ("POST", format!("{base}/calls/not-an-id/join")),
        ] {
            let (status, body) = call(&s, &cleo.token, method, &path, Some(json!({}))).await;
            assert_eq!((status, body["error"]["code"].as_str()), (404, Some("not_found")), "{db:?} {method} {path}");
        }

        // Ben joins: relays with credentials coturn's use-auth-secret accepts.
        let joined = ok(&s, &ben.token, "POST", &format!("{base}/calls/{call_id}/join"), None).await;
        let servers = joined["ice_servers"].as_array().expect("servers");
        assert_eq!(servers[0], json!({"urls": ["stun:stun.example.org:3478"]}), "{db:?} {joined}");
        assert_eq!(servers[1]["urls"], json!(["turn:turn.example.org:3478?transport=udp"]));
        let username = servers[1]["username"].as_str().expect("username");
        let (expiry, opaque) = username.split_once(':').expect("EXPIRY:OPAQUE");
        let now = chrono::Utc::now().timestamp();
        let expiry: i64 = expiry.parse().expect("a Unix time");
        assert!(!opaque.is_empty() && !username.contains(&ben.id), "{db:?}: the relay's log names nobody");
        // The test server's clock stands still at 2026-11-22 09:00 UTC.
        assert_eq!(expiry, 1_795_338_000 + 600, "{db:?}: now + turn_credential_seconds ({now})");
        assert_eq!(
            servers[1]["credential"].as_str(),
            Some(kindred_service::calls::turn_credential("call-test-secret", username).as_str()),
            "{db:?}"
        );
        assert_eq!(joined["ice_transport_policy"], "relay", "{db:?}: with a TURN relay, only the relay");
        assert_eq!(sorted(&joined["call"]["participants"]), both(&anna, &ben), "{db:?}");
        let seen = next_call_event(&mut anna_ws).await;
        assert_eq!(sorted(&seen["call"]["participants"]), both(&anna, &ben), "{db:?} {seen}");
        next_call_event(&mut ben_ws).await;

        // Anna's offer reaches Ben as she sent it, from her; nothing reaches Cleo.
        let offer = json!({"type": "offer", "sdp": "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"});
        signal(&mut anna_ws, &call_id, &ben.id, json!({"sdp": offer})).await;
        let got = next_call_event(&mut ben_ws).await;
        assert_eq!(got["type"], "call_signal", "{db:?} {got}");
        assert_eq!((got["call_id"].as_str(), got["from"].as_str()), (Some(call_id.as_str()), Some(anna.id.as_str())));
        assert_eq!(got["sdp"], offer, "{db:?}");
        assert!(got.get("candidate").is_none() && got.get("to").is_none(), "{db:?} {got}");
        let candidate = json!({"candidate": "candidate:1 1 udp 1 127.0.0.1 5000 typ host", "sdpMid": "0"});
        signal(&mut ben_ws, &call_id, &anna.id, json!({"candidate": candidate})).await;
        let got = next_call_event(&mut anna_ws).await;
        assert_eq!((got["from"].as_str(), &got["candidate"]), (Some(ben.id.as_str()), &candidate), "{db:?} {got}");

        // Not to someone outside the call, not from someone outside it, not without content.
        signal(&mut anna_ws, &call_id, &cleo.id, json!({"sdp": offer})).await;
        let refused = next(&mut anna_ws).await;
        assert_eq!(
            (refused["type"].as_str(), refused["code"].as_str()),
            (Some("error"), Some("not_in_call")),
            "{db:?}"
        );
        signal(&mut cleo_ws, &call_id, &anna.id, json!({"sdp": offer})).await;
        assert_eq!(next(&mut cleo_ws).await["code"], "call_not_found", "{db:?}");
        signal(&mut anna_ws, &call_id, &ben.id, json!({})).await;
        assert_eq!(next(&mut anna_ws).await["code"], "invalid_call_signal", "{db:?}");
        signal(&mut anna_ws, &call_id, &ben.id, json!({"sdp": 42})).await;
        assert_eq!(next(&mut anna_ws).await["code"], "invalid_call_signal", "{db:?}");

        // Ben leaves: nothing more passes to him; Anna, the last, ends the call.
        let (status, _) = call(&s, &ben.token, "POST", &format!("{base}/calls/{call_id}/leave"), None).await;
        assert_eq!(status, 204, "{db:?}");
        let left = next_call_event(&mut anna_ws).await;
        assert_eq!(left["call"]["participants"], json!([anna.id]), "{db:?} {left}");
        next_call_event(&mut ben_ws).await;
        signal(&mut anna_ws, &call_id, &ben.id, json!({"sdp": offer})).await;
        assert_eq!(next(&mut anna_ws).await["code"], "not_in_call", "{db:?}");
        let (status, _) = call(&s, &anna.token, "POST", &format!("{base}/calls/{call_id}/leave"), None).await;
        assert_eq!(status, 204, "{db:?}");
        let ended = next_call_event(&mut ben_ws).await;
        assert_eq!((ended["call"]["state"].as_str(), &ended["call"]["participants"]), (Some("ended"), &json!([])));
        let view = ok(&s, &ben.token, "GET", &format!("{base}/calls/{call_id}"), None).await;
        assert_eq!(view["state"], "ended", "{db:?}");
        assert!(view["ended_at"].is_string(), "{db:?} {view}");
        let (status, body) = call(&s, &ben.token, "POST", &format!("{base}/calls/{call_id}/join"), None).await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("call_ended")), "{db:?}");
        // Leaving again changes nothing; a new call is a new one.
        let (status, _) = call(&s, &anna.token, "POST", &format!("{base}/calls/{call_id}/leave"), None).await;
        assert_eq!(status, 204, "{db:?}");
        let (status, fresh) = start_call(&s, &a, &ben, &conversation, false).await;
        assert_eq!(status, 201, "{db:?}");
        assert_ne!(fresh["call_id"], call_id.as_str());
        // Set-up messages are sealed at rest: no clear SDP is stored.
        assert!(!s.dump().await.contains("IN IP4 127.0.0.1"), "{db:?}: set-up messages are sealed at rest");

        // Anna's export lists the calls she was in, without who else was.
        let export = exported(&s, &a, &anna).await;
        let calls = export["calls"].as_array().expect("calls in data.json");
        assert_eq!(calls.len(), 1, "{db:?} {export}");
        assert_eq!(
            (calls[0]["call_id"].as_str(), calls[0]["started_by_me"].as_bool()),
            (Some(call_id.as_str()), Some(true))
        );
        assert!(calls[0]["left_at"].is_string() && calls[0]["video"] == true, "{db:?} {calls:?}");
        assert!(!export["calls"].to_string().contains(&ben.id), "{db:?}");

        // Ben's account is erased: a conversation of two goes with it, and
        // its calls with the conversation.
        let fresh = fresh["call_id"].as_str().expect("id").to_owned();
        ok(&s, &anna.token, "POST", &format!("{base}/calls/{fresh}/join"), None).await;
        let erase = s
            .client
            .delete(s.url(&format!("{base}/me")))
            .bearer_auth(&ben.token)
            .json(&json!({"password": crate::members::PASSWORD, "posts": "delete"}))
            .send()
            .await
            .expect("erase");
        assert_eq!(erase.status(), 202, "{db:?}");
        let (status, _) = call(&s, &anna.token, "GET", &format!("{base}/calls/{fresh}"), None).await;
        assert_eq!(status, 404, "{db:?}");
        assert_eq!(s.count_rows("call_members").await, 0, "{db:?}");
        s.stop().await;
    }
}

#[tokio::test]
async fn calls_follow_the_conversations_rules_and_blocks_hold_inside_a_call() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = s
            .association("callrules", "Test", "[policies]\nmessaging = \"anyone\"\ngroup_creation = \"members\"\n")
            .await;
        let base = api(&a);
        let anna = someone(&s, &a, "Anna Rules").await;
        let ben = someone(&s, &a, "Ben Rules").await;
        let eve = someone(&s, &a, "Eve Rules").await;
        let dora = someone(&s, &a, "Dora Rules").await;

        // Without [calls]: no relays, browsers find a direct path.
        befriend(&s, &a, &anna, &dora).await;
        let with_dora = start(&s, &a, &anna, &[&dora.id], "hi").await;
        let (status, started) = start_call(&s, &a, &anna, &with_dora, false).await;
        assert_eq!(status, 201, "{db:?} {started}");
        let call_id = started["call_id"].as_str().expect("id");
        let joined = ok(&s, &dora.token, "POST", &format!("{base}/calls/{call_id}/join"), None).await;
        assert_eq!((joined["ice_servers"].clone(), joined["ice_transport_policy"].as_str()), (json!([]), Some("all")));

        // A request (a stranger's first message) rings nobody.
        let request = start(&s, &a, &anna, &[&ben.id], "hello stranger").await;
        for who in [&anna, &ben] {
            let (status, body) = start_call(&s, &a, who, &request, false).await;
            assert_eq!((status, body["error"]["code"].as_str()), (409, Some("request_pending")), "{db:?}");
        }

        // A block in a one-to-one conversation ends calls as it ends writing;
        // an open call cannot be joined across it.
        let (status, _) = start_call(&s, &a, &dora, &with_dora, false).await;
        assert_eq!(status, 200, "{db:?}: the open call");
        ok(&s, &dora.token, "POST", &format!("{base}/blocks"), Some(json!({"member_id": anna.id}))).await;
        for who in [&anna, &dora] {
            let (status, body) = start_call(&s, &a, who, &with_dora, false).await;
            assert_eq!((status, body["error"]["code"].as_str()), (403, Some("messaging_not_allowed")), "{db:?}");
            let (status, _) = call(&s, &who.token, "POST", &format!("{base}/calls/{call_id}/join"), None).await;
            assert_eq!(status, 403, "{db:?}");
        }

        // A group's chat: Eve, in a block with Anna, does not see her in the
        // call, and no set-up message passes between them — refused as for
        // someone not in the call.
        let group = ok(
            &s,
            &anna.token,
            "POST",
            &format!("{base}/groups"),
            Some(json!({"name": "Circle", "visibility": "open"})),
        )
        .await;
        let group = group["group_id"].as_str().expect("group").to_owned();
        for who in [&ben, &eve] {
            ok(&s, &who.token, "POST", &format!("{base}/groups/{group}/join"), None).await;
        }
        let chat = ok(&s, &anna.token, "GET", &format!("{base}/groups/{group}/conversation"), None).await;
        let chat = chat["conversation_id"].as_str().expect("chat").to_owned();
        for who in [&ben, &eve] {
            ok(&s, &who.token, "GET", &format!("{base}/groups/{group}/conversation"), None).await;
        }
        ok(&s, &eve.token, "POST", &format!("{base}/blocks"), Some(json!({"member_id": anna.id}))).await;
        let mut anna_ws = open(&s.base, &a, &anna.token).await;
        let mut eve_ws = open(&s.base, &a, &eve.token).await;
        let (status, started) = start_call(&s, &a, &anna, &chat, false).await;
        assert_eq!(status, 201, "{db:?}");
        let group_call = started["call_id"].as_str().expect("id").to_owned();
        let ring = next_call_event(&mut eve_ws).await;
        assert_eq!(ring["call"]["participants"], json!([]), "{db:?}: Anna is not shown to Eve {ring}");
        assert!(ring["call"].get("started_by").is_none(), "{db:?} {ring}");
        next_call_event(&mut anna_ws).await;
        let joined = ok(&s, &eve.token, "POST", &format!("{base}/calls/{group_call}/join"), None).await;
        assert_eq!(joined["call"]["participants"], json!([eve.id]), "{db:?}");
        assert_eq!(next_call_event(&mut eve_ws).await["call"]["participants"], json!([eve.id]), "{db:?}");
        let seen_by_anna = next_call_event(&mut anna_ws).await;
        assert_eq!(seen_by_anna["call"]["participants"], json!([anna.id]), "{db:?}: nor Eve to Anna");
        ok(&s, &ben.token, "POST", &format!("{base}/calls/{group_call}/join"), None).await;
        let with_ben = next_call_event(&mut eve_ws).await;
        assert_eq!(sorted(&with_ben["call"]["participants"]), both(&eve, &ben), "{db:?} {with_ben}");
        signal(&mut anna_ws, &group_call, &eve.id, json!({"sdp": {"type": "offer", "sdp": "v=0"}})).await;
        let anna_to_eve = loop {
            let event = next(&mut anna_ws).await;
            if event["type"] == "error" {
                break event;
            }
        };
        assert_eq!(anna_to_eve["code"], "not_in_call", "{db:?}: the same as for someone not in the call");
        signal(&mut eve_ws, &group_call, &ben.id, json!({"sdp": {"type": "offer", "sdp": "v=0"}})).await;
        signal(&mut eve_ws, &group_call, &anna.id, json!({"sdp": {"type": "offer", "sdp": "v=0"}})).await;
        let eve_to_anna = loop {
            let event = next(&mut eve_ws).await;
            if event["type"] == "error" {
                break event;
            }
        };
        assert_eq!(eve_to_anna["code"], "not_in_call", "{db:?}");

        // An alias group's chat has no calls.
        let alias = ok(
            &s,
            &anna.token,
            "POST",
            &format!("{base}/groups"),
            Some(json!({"name": "Anonymous circle", "visibility": "open", "alias_mode": true})),
        )
        .await;
        let alias = alias["group_id"].as_str().expect("group").to_owned();
        let alias_chat = ok(&s, &anna.token, "GET", &format!("{base}/groups/{alias}/conversation"), None).await;
        let alias_chat = alias_chat["conversation_id"].as_str().expect("chat").to_owned();
        let (status, body) = start_call(&s, &a, &anna, &alias_chat, true).await;
        assert_eq!((status, body["error"]["code"].as_str()), (403, Some("calls_not_allowed")), "{db:?}");
        s.stop().await;
    }
}

async fn missed_calls(s: &TestServer, a: &Association, who: &Someone) -> Vec<Value> {
    let list = ok(s, &who.token, "GET", &format!("{}/notifications", api(a)), None).await;
    list["notifications"]
        .as_array()
        .expect("notifications")
        .iter()
        .filter(|n| n["kind"] == "missed_call")
        .cloned()
        .collect()
}

/// A conversation's page in English, as `who` sees it (their API token
/// as the session cookie).
async fn conversation_page(s: &TestServer, a: &Association, who: &Someone, conversation: &str) -> String {
    let slug = a.slug.as_str();
    let response = s
        .client
        .get(s.url(&format!("/a/{slug}/messages/{conversation}?lang=en")))
        .header("cookie", format!("__Host-kindred-{slug}={}", who.token))
        .send()
        .await
        .expect("page");
    assert_eq!(response.status(), 200);
    response.text().await.expect("html")
}

#[tokio::test]
async fn a_call_nobody_answered_is_a_missed_call_for_the_others_but_not_in_a_groups_chat() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a =
            s.association("missed", "Test", "[policies]\nmessaging = \"anyone\"\ngroup_creation = \"members\"\n").await;
        let base = api(&a);
        let anna = someone(&s, &a, "Anna Missed").await;
        let ben = someone(&s, &a, "Ben Missed").await;
        befriend(&s, &a, &anna, &ben).await;
        let conversation = start(&s, &a, &anna, &[&ben.id], "Call me").await;

        // Anna rings, nobody answers, she hangs up: Ben missed it.
        let (_, started) = start_call(&s, &a, &anna, &conversation, false).await;
        let call_id = started["call_id"].as_str().expect("id").to_owned();
        ok(&s, &anna.token, "POST", &format!("{base}/calls/{call_id}/leave"), None).await;
        let missed = missed_calls(&s, &a, &ben).await;
        assert_eq!(missed.len(), 1, "{db:?} {missed:?}");
        assert_eq!(missed[0]["conversation_id"], conversation.as_str(), "{db:?}");
        assert!(missed[0].get("actor").is_none(), "{db:?}: it names nobody {missed:?}");
        assert!(missed_calls(&s, &a, &anna).await.is_empty(), "{db:?}: not to the caller");
        // The conversation's page lists the call among the messages, naming nobody.
        let ben_sees = conversation_page(&s, &a, &ben, &conversation).await;
        assert_eq!(ben_sees.matches("Missed voice call").count(), 1, "{db:?}: {ben_sees}");
        let anna_sees = conversation_page(&s, &a, &anna, &conversation).await;
        assert!(
            anna_sees.contains("Voice call, under a minute") && !anna_sees.contains("Missed voice call"),
            "{db:?}: {anna_sees}"
        );

        // Answered: nobody missed anything.
        let (_, started) = start_call(&s, &a, &ben, &conversation, true).await;
        let call_id = started["call_id"].as_str().expect("id").to_owned();
        ok(&s, &anna.token, "POST", &format!("{base}/calls/{call_id}/join"), None).await;
        for who in [&anna, &ben] {
            ok(&s, &who.token, "POST", &format!("{base}/calls/{call_id}/leave"), None).await;
        }
        assert_eq!(missed_calls(&s, &a, &ben).await.len(), 1, "{db:?}");
        assert!(missed_calls(&s, &a, &anna).await.is_empty(), "{db:?}");
        let ben_sees = conversation_page(&s, &a, &ben, &conversation).await;
        assert!(ben_sees.contains("Video call, under a minute"), "{db:?}: {ben_sees}");
        assert_eq!(ben_sees.matches("Missed voice call").count(), 1, "{db:?}");

        // A group's call is a room one drops into: no missed calls.
        let group =
            ok(&s, &anna.token, "POST", &format!("{base}/groups"), Some(json!({"name": "Room", "visibility": "open"})))
                .await;
        let group = group["group_id"].as_str().expect("group").to_owned();
        ok(&s, &ben.token, "POST", &format!("{base}/groups/{group}/join"), None).await;
        let chat = ok(&s, &anna.token, "GET", &format!("{base}/groups/{group}/conversation"), None).await;
        let chat = chat["conversation_id"].as_str().expect("chat").to_owned();
        ok(&s, &ben.token, "GET", &format!("{base}/groups/{group}/conversation"), None).await;
        let (_, started) = start_call(&s, &a, &anna, &chat, false).await;
        let call_id = started["call_id"].as_str().expect("id").to_owned();
        ok(&s, &anna.token, "POST", &format!("{base}/calls/{call_id}/leave"), None).await;
        assert_eq!(missed_calls(&s, &a, &ben).await.len(), 1, "{db:?}: still only the one");
        let in_the_group = conversation_page(&s, &a, &ben, &chat).await;
        assert!(
            in_the_group.contains("Voice call, under a minute") && !in_the_group.contains("Missed voice call"),
            "{db:?}: a group's call is no missed call: {in_the_group}"
        );
        s.stop().await;
    }
}

/// The call's participants as `who` sees them, once they are `expected`
/// (waits up to 25 s: a member is taken out of a call 10 s after their
/// last socket closed).
async fn participants_become(s: &TestServer, a: &Association, who: &Someone, call_id: &str, expected: &[String]) {
    let mut seen = Value::Null;
    for _ in 0..250 {
        seen = ok(s, &who.token, "GET", &format!("{}/calls/{call_id}", api(a)), None).await;
        if sorted(&seen["participants"]) == expected {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the call's participants did not become {expected:?}: {seen}");
}

#[tokio::test]
async fn a_member_whose_connection_went_leaves_the_call_and_ringing_or_flooding_is_limited() {
    for db in BOTH {
        let s = TestServer::start_with(db, parse_file(CALLS, "calls.toml").expect("toml")).await;
        let a = association(&s, "presence").await;
        let base = api(&a);
        let anna = someone(&s, &a, "Anna Presence").await;
        let ben = someone(&s, &a, "Ben Presence").await;
        befriend(&s, &a, &anna, &ben).await;
        let conversation = start(&s, &a, &anna, &[&ben.id], "Call?").await;
        let mut anna_ws = open(&s.base, &a, &anna.token).await;
        let mut anna_other_ws = open(&s.base, &a, &anna.token).await;
        let mut ben_ws = open(&s.base, &a, &ben.token).await;
        let (_, started) = start_call(&s, &a, &anna, &conversation, false).await;
        let call_id = started["call_id"].as_str().expect("id").to_owned();
        ok(&s, &ben.token, "POST", &format!("{base}/calls/{call_id}/join"), None).await;
        participants_become(&s, &a, &anna, &call_id, &both(&anna, &ben)).await;

        // Ben's browser dies; Anna closes one of her two tabs. Ben is taken
        // out once his last socket has been gone a while; Anna, who still
        // has one, stays in.
        ben_ws.close(None).await.expect("close");
        anna_other_ws.close(None).await.expect("close");
        participants_become(&s, &a, &anna, &call_id, std::slice::from_ref(&anna.id)).await;
        let seen = ok(&s, &anna.token, "GET", &format!("{base}/calls/{call_id}"), None).await;
        assert_eq!(seen["state"], "ongoing", "{db:?} {seen}");
        // Anna's socket heard of it as of any leave.
        loop {
            let event = next_call_event(&mut anna_ws).await;
            if event["type"] == "call" && event["call"]["participants"] == json!([anna.id]) {
                break;
            }
        }

        // Set-up messages from one socket: 200 in ten seconds, then the
        // socket is told to slow down (each refused alike, without effect).
        for _ in 0..200 {
            signal(&mut anna_ws, &call_id, &ben.id, json!({})).await;
        }
        signal(&mut anna_ws, &call_id, &ben.id, json!({})).await;
        let mut codes = Vec::new();
        while codes.len() < 201 {
            let event = next(&mut anna_ws).await;
            if event["type"] == "error" {
                codes.push(event["code"].as_str().unwrap_or_default().to_owned());
            }
        }
        assert!(codes[..200].iter().all(|c| c == "invalid_call_signal"), "{db:?} {:?}", &codes[..3]);
        assert_eq!(codes[200], "rate_limited", "{db:?}");

        // Anna's last socket goes too: the call ends with her (Ben was in it: nothing missed).
        anna_ws.close(None).await.expect("close");
        participants_become(&s, &a, &ben, &call_id, &[]).await;
        let seen = ok(&s, &ben.token, "GET", &format!("{base}/calls/{call_id}"), None).await;
        assert_eq!(seen["state"], "ended", "{db:?} {seen}");
        assert!(missed_calls(&s, &a, &ben).await.is_empty(), "{db:?}");

        // Ringing again and again: 20 calls an hour, then 429 with Retry-After.
        for n in 0..19 {
            let (status, body) = start_call(&s, &a, &anna, &conversation, false).await;
            assert!(status == 200 || status == 201, "{db:?} start {n}: {status} {body}");
        }
        let response = s
            .client
            .post(s.url(&format!("{base}/conversations/{conversation}/calls")))
            .bearer_auth(&anna.token)
            .json(&json!({"video": false}))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 429, "{db:?}");
        let wait: i64 = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .expect("Retry-After");
        assert!((1..=3600).contains(&wait), "{db:?} {wait}");
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["error"]["code"], "rate_limited", "{db:?} {body}");
        // Ben is not limited by Anna's ringing.
        let (status, _) = start_call(&s, &a, &ben, &conversation, false).await;
        assert!(status == 200 || status == 201, "{db:?}");
        s.stop().await;
    }
}

/// The unread count of a conversation in `who`'s list, `None` when the
/// list does not hold it.
async fn listed_unread(s: &TestServer, a: &Association, who: &Someone, conversation: &str) -> Option<i64> {
    let list = ok(s, &who.token, "GET", &format!("{}/conversations", api(a)), None).await;
    list["conversations"]
        .as_array()
        .expect("conversations")
        .iter()
        .find(|c| c["conversation_id"] == conversation)
        .map(|c| c["unread_count"].as_i64().expect("unread count"))
}

#[tokio::test]
async fn leaving_a_conversation_or_a_group_leaves_its_call_and_a_groups_chat_reaches_every_member() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = s
            .association("leaving", "Test", "[policies]\nmessaging = \"anyone\"\ngroup_creation = \"members\"\n")
            .await;
        let base = api(&a);
        let anna = someone(&s, &a, "Anna Leaving").await;
        let ben = someone(&s, &a, "Ben Leaving").await;
        let cleo = someone(&s, &a, "Cleo Leaving").await;
        befriend(&s, &a, &anna, &ben).await;
        befriend(&s, &a, &anna, &cleo).await;

        // Ben leaves the conversation while in its call: he is out of the
        // call, and when Anna hangs up it is over for everyone.
        let conversation = start(&s, &a, &anna, &[&ben.id, &cleo.id], "Three of us").await;
        let (status, started) = start_call(&s, &a, &anna, &conversation, false).await;
        assert_eq!(status, 201, "{db:?}: {started}");
        let call_id = started["call_id"].as_str().expect("id").to_owned();
        ok(&s, &ben.token, "POST", &format!("{base}/calls/{call_id}/join"), None).await;
        participants_become(&s, &a, &anna, &call_id, &both(&anna, &ben)).await;
        ok(&s, &ben.token, "POST", &format!("{base}/conversations/{conversation}/leave"), None).await;
        participants_become(&s, &a, &anna, &call_id, std::slice::from_ref(&anna.id)).await;
        ok(&s, &anna.token, "POST", &format!("{base}/calls/{call_id}/leave"), None).await;
        let (status, again) = start_call(&s, &a, &cleo, &conversation, true).await;
        assert_eq!(status, 201, "{db:?}: a new call, not the old one held open: {again}");
        assert_ne!(again["call_id"], call_id.as_str(), "{db:?}");

        // A group's chat reaches its members whether or not they opened it,
        // those who join later too.
        let group =
            ok(&s, &anna.token, "POST", &format!("{base}/groups"), Some(json!({"name": "Room", "visibility": "open"})))
                .await;
        let group = group["group_id"].as_str().expect("group").to_owned();
        ok(&s, &ben.token, "POST", &format!("{base}/groups/{group}/join"), None).await;
        let chat = ok(&s, &anna.token, "GET", &format!("{base}/groups/{group}/conversation"), None).await;
        let chat = chat["conversation_id"].as_str().expect("chat").to_owned();
        ok(&s, &cleo.token, "POST", &format!("{base}/groups/{group}/join"), None).await;
        assert_eq!(listed_unread(&s, &a, &cleo, &chat).await, Some(0), "{db:?}: listed at once");
        ok(
            &s,
            &anna.token,
            "POST",
            &format!("{base}/conversations/{chat}/messages"),
            Some(json!({"body": "Hello room"})),
        )
        .await;
        for who in [&ben, &cleo] {
            assert_eq!(listed_unread(&s, &a, who, &chat).await, Some(1), "{db:?}: {}", who.id);
        }

        // Leaving the group leaves its call too, and its chat's notifications go.
        let (status, started) = start_call(&s, &a, &anna, &chat, false).await;
        assert_eq!(status, 201, "{db:?}: {started}");
        let call_id = started["call_id"].as_str().expect("id").to_owned();
        ok(&s, &ben.token, "POST", &format!("{base}/calls/{call_id}/join"), None).await;
        participants_become(&s, &a, &anna, &call_id, &both(&anna, &ben)).await;
        let about_chat = |list: &Value| {
            list["notifications"]
                .as_array()
                .expect("list")
                .iter()
                .filter(|n| n["conversation_id"] == chat.as_str())
                .count()
        };
        let before = ok(&s, &ben.token, "GET", &format!("{base}/notifications"), None).await;
        assert_eq!(about_chat(&before), 1, "{db:?}: told of the room's message: {before}");
        ok(&s, &ben.token, "POST", &format!("{base}/groups/{group}/leave"), None).await;
        participants_become(&s, &a, &anna, &call_id, std::slice::from_ref(&anna.id)).await;
        let after = ok(&s, &ben.token, "GET", &format!("{base}/notifications"), None).await;
        assert_eq!(about_chat(&after), 0, "{db:?}: {after}");
        assert_eq!(listed_unread(&s, &a, &ben, &chat).await, None, "{db:?}");
        s.stop().await;
    }
}
