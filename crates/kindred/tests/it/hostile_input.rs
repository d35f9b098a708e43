//! Hostile input from the fuzzer issue, on both databases: NUL, control and
//! direction-override characters in every kind of text (422 naming the
//! field, never a 500 from PostgreSQL), cursors the server did not give out
//! (422 on every list), bodies that are not what they claim (an array for
//! an object, wrong types, 60,000 unknown keys), and throttles that a
//! fuzzer cannot turn against the members.

use crate::harness::{api_error, TestServer, BOTH};
use crate::members::{call, ok, someone, Someone};
use kindred_service::cursor::CursorList;
use kindred_service::Association;
use serde_json::{json, Value};

const API: &str = "/a/ms/api/v1";
const PASSWORD: &str = "correct horse battery staple";

/// Query parameters, encoded by the client.
type Params<'a> = Vec<(&'a str, &'a str)>;

fn api(path: &str) -> String {
    format!("{API}{path}")
}

async fn staff(s: &TestServer, ms: &Association, name: &str, role: &str) -> Someone {
    let email = format!("{}@example.org", name.to_lowercase());
    let id = s.user(ms, &email, name, role).await;
    let token = s.login_staff(ms, &email).await;
    Someone { id, token }
}

/// Asserts a 422 (`invalid_fields`, or a search's `invalid_query`) that
/// names `field`, with a message that reads like a sentence (no Rust type
/// names).
#[track_caller]
fn assert_refused(what: &str, status: u16, answer: &Value, field: &str) {
    assert_eq!(status, 422, "{what}: {answer}");
    let code = answer["error"]["code"].as_str().unwrap_or_default();
    assert!(["invalid_fields", "invalid_query"].contains(&code), "{what}: {answer}");
    let message = answer["error"]["fields"][field].as_str().unwrap_or_else(|| panic!("{what}: no {field} in {answer}"));
    for rust in ["u8", "i64", "String", "struct", "Vec<", "Option<", "sequence"] {
        assert!(!message.contains(rust), "{what}: {message}");
    }
}

/// POST without a token; (status, body or Null).
async fn anonymous(s: &TestServer, path: &str, body: Option<Value>) -> (u16, Value) {
    let response = s.post_json(path, body.unwrap_or(Value::Null)).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// GET with query parameters (encoded by the client).
async fn get_query(s: &TestServer, token: &str, path: &str, query: &[(&str, &str)]) -> (u16, Value) {
    let response = s.client.get(s.url(path)).query(query).bearer_auth(token).send().await.expect("get");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn nul_control_and_direction_override_characters_are_422_naming_the_field() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let admin = staff(&s, &ms, "Admina", "admin").await;
        let anna = someone(&s, &ms, "Anna").await;
        let category = ok(&s, &admin.token, "POST", &api("/forum/categories"), Some(json!({"name": "Alltag"}))).await;
        let category = category["category_id"].as_str().expect("category").to_owned();
        let topic = ok(
            &s,
            &anna.token,
            "POST",
            &api("/forum/topics"),
            Some(json!({"category_id": category, "title": "Müdigkeit", "body": "Wie geht ihr damit um?"})),
        )
        .await;
        let topic = topic["topic_id"].as_str().expect("topic").to_owned();

        let bodies: Vec<(&str, &Someone, &str, String, Value, &str)> = vec![
            (
                "report reason",
                &anna,
                "POST",
                api("/reports"),
                json!({"target_type": "topic", "target_id": topic, "reason": "Bitte\u{0}prüfen"}),
                "reason",
            ),
            (
                "moderation reason",
                &admin,
                "POST",
                api(&format!("/forum/topics/{topic}/lock")),
                json!({"reason": "\u{0}"}),
                "reason",
            ),
            (
                "staff note",
                &admin,
                "POST",
                api(&format!("/admin/members/{}/suspend", anna.id)),
                json!({"note": "spam\u{0}"}),
                "note",
            ),
            (
                "title",
                &anna,
                "POST",
                api("/forum/topics"),
                json!({"category_id": category, "title": "a\u{0}b", "body": "Text"}),
                "title",
            ),
            (
                "body",
                &anna,
                "POST",
                api("/forum/topics"),
                json!({"category_id": category, "title": "Titel", "body": "Text\u{0}"}),
                "body",
            ),
            ("reply", &anna, "POST", api(&format!("/forum/topics/{topic}/posts")), json!({"body": "\u{1}"}), "body"),
            ("pseudonym", &anna, "PUT", api("/me/pseudonym"), json!({"pseudonym": "An\u{0}na"}), "pseudonym"),
            ("nested field", &anna, "PUT", api("/me/profile"), json!({"fields": {"about": "x\u{0}"}}), "fields.about"),
            (
                "right-to-left override in a title",
                &anna,
                "POST",
                api("/forum/topics"),
                json!({"category_id": category, "title": "Termin \u{202E}fdp.exe", "body": "Text"}),
                "title",
            ),
            (
                "isolate in a body",
                &anna,
                "POST",
                api("/forum/topics"),
                json!({"category_id": category, "title": "Titel", "body": "Text \u{2066}x\u{2069}"}),
                "body",
            ),
        ];
        for (what, who, method, path, body, field) in bodies {
            let (status, answer) = call(&s, &who.token, method, &path, Some(body)).await;
            assert_refused(&format!("{db:?} {what}"), status, &answer, field);
        }

        let queries: Vec<(&str, String, Params, &str)> = vec![
            ("post search", api("/search"), vec![("q", "ab\u{0}cd")], "q"),
            ("member search", api("/members"), vec![("q", "\u{0}")], "q"),
            ("group search", api("/groups"), vec![("q", "Kreis \u{202E}")], "q"),
            ("cursor", api("/notifications"), vec![("cursor", "\u{0}")], "cursor"),
            ("topic page", api(&format!("/forum/topics/{topic}")), vec![("after", "1\u{0}")], "after"),
        ];
        for (what, path, query, field) in queries {
            let (status, answer) = get_query(&s, &anna.token, &path, &query).await;
            assert_refused(&format!("{db:?} {what}"), status, &answer, field);
        }

        // A NUL in a path parameter names nothing.
        let response = s.client.get(s.url(&api("/members/%00"))).bearer_auth(&anna.token).send().await.expect("get");
        assert_eq!(api_error(response).await.0, 404, "{db:?}");
        // Pages: the error page, not a 500.
        let page = s.client.get(s.url("/a/ms/search?q=%00")).send().await.expect("page");
        assert_eq!(page.status(), 422, "{db:?}");
        assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"), "{db:?}");
        let form = s
            .client
            .post(s.url("/a/ms/sign-in"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("email=a%00%40example.org&password=x")
            .send()
            .await
            .expect("form");
        assert_eq!(form.status(), 422, "{db:?}");

        // Nothing of it was kept; the ordinary texts still work.
        let me = s.get_as(&anna.token, &api("/me")).await;
        assert_eq!(me["pseudonym"], "Anna", "{db:?}");
        let fine = json!({"category_id": category, "title": "שלום \u{200F}und Grüße", "body": "Zeile 1\r\nZeile\t2"});
        let made = ok(&s, &anna.token, "POST", &api("/forum/topics"), Some(fine)).await;
        let shown =
            ok(&s, &anna.token, "GET", &api(&format!("/forum/topics/{}", made["topic_id"].as_str().unwrap())), None)
                .await;
        assert_eq!(shown["posts"][0]["body"], "Zeile 1\nZeile\t2", "{db:?}: line breaks normalised");
        s.stop().await;
    }
}

/// A valid payload of each list's cursors (what the server would seal).
fn payloads(topic: &str, group: &str) -> Vec<(CursorList, String)> {
    use data_encoding::BASE64URL_NOPAD;
    vec![
        (CursorList::Members, BASE64URL_NOPAD.encode(b"anna")),
        (CursorList::Groups, BASE64URL_NOPAD.encode(format!("kreis\u{0}{group}").as_bytes())),
        (CursorList::Topics, format!("0~1795338000000000~{topic}")),
        (CursorList::PostSearch, BASE64URL_NOPAD.encode(b"2026-11-22T09:00:00.000000Z|abc123")),
        (CursorList::Notifications, BASE64URL_NOPAD.encode(b"2026-11-22T09:00:00.000000Z|abc123")),
        (CursorList::AuditLog, "1795338000000000~abc123".to_owned()),
        (
            CursorList::Events,
            BASE64URL_NOPAD
                .encode(format!("2026-11-22T09:00:00+00:00\u{0}{}", kindred_domain::EventId::random()).as_bytes()),
        ),
        (
            CursorList::Conversations,
            BASE64URL_NOPAD.encode(format!("1795338000000000|{}", kindred_domain::ConversationId::random()).as_bytes()),
        ),
        (
            CursorList::Articles,
            BASE64URL_NOPAD
                .encode(format!("2026-11-22T09:00:00+00:00|{}", kindred_domain::ArticleId::random()).as_bytes()),
        ),
    ]
}

/// Payloads that a leaked key could seal but that no row can have.
fn impossible(list: CursorList, topic: &str) -> Vec<String> {
    use data_encoding::BASE64URL_NOPAD;
    match list {
        CursorList::Members => vec![BASE64URL_NOPAD.encode(b"an\0na")],
        CursorList::Groups => vec![BASE64URL_NOPAD.encode(b"kreis\0not an id")],
        CursorList::Topics => vec![format!("0~-8000000000000000000~{topic}"), format!("2~0~{topic}")],
        CursorList::PostSearch | CursorList::Notifications => {
            vec![
                BASE64URL_NOPAD.encode(b"0001-01-01T00:00:00Z|abc"),
                BASE64URL_NOPAD.encode(b"2026-01-01T00:00:00Z|a\0"),
            ]
        }
        CursorList::AuditLog => vec!["-8000000000000000000~abc".to_owned(), "1~a b".to_owned()],
        CursorList::Events => vec![
            BASE64URL_NOPAD.encode(b"2026-13-01T00:00:00+00:00\0abc"),
            BASE64URL_NOPAD.encode(b"2026-01-01T00:00:00+00:00\0not an id"),
        ],
        CursorList::Conversations => {
            vec![BASE64URL_NOPAD.encode(b"-8000000000000000000|abc"), BASE64URL_NOPAD.encode(b"1|not an id")]
        }
        CursorList::Articles => vec![
            BASE64URL_NOPAD.encode(b"0001-01-01T00:00:00+00:00|abcdefghijklmnopqrstuvwxyz"),
            BASE64URL_NOPAD.encode(b"2026-01-01T00:00:00+00:00|not an id"),
            "2026-01-01T00:00:00+00:00|abc".to_owned(),
        ],
    }
}

#[tokio::test]
async fn every_cursor_the_server_did_not_give_out_is_422() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let admin = staff(&s, &ms, "Admina", "admin").await;
        let category = ok(&s, &admin.token, "POST", &api("/forum/categories"), Some(json!({"name": "Alltag"}))).await;
        let category = category["category_id"].as_str().expect("category").to_owned();
        let group = ok(
            &s,
            &admin.token,
            "POST",
            &api("/groups"),
            Some(json!({"name": "Gesprächskreis", "visibility": "open"})),
        )
        .await;
        let group = group["group_id"].as_str().expect("group").to_owned();
        let topic = ok(
            &s,
            &admin.token,
            "POST",
            &api("/forum/topics"),
            Some(json!({"category_id": category, "title": "Willkommen", "body": "Schön, dass ihr da seid."})),
        )
        .await;
        let topic = topic["topic_id"].as_str().expect("topic").to_owned();

        let lists: Vec<(CursorList, String, Params, &str)> = vec![
            (CursorList::Members, api("/members"), vec![], "cursor"),
            (CursorList::Groups, api("/groups"), vec![], "cursor"),
            (CursorList::Topics, api(&format!("/forum/categories/{category}/topics")), vec![], "cursor"),
            (CursorList::Topics, api(&format!("/groups/{group}/topics")), vec![], "cursor"),
            (CursorList::PostSearch, api("/search"), vec![("q", "willkommen")], "cursor"),
            (CursorList::Notifications, api("/notifications"), vec![], "cursor"),
            (CursorList::AuditLog, api("/admin/audit-log"), vec![], "before"),
            (CursorList::Events, api("/events"), vec![], "cursor"),
            (CursorList::Conversations, api("/conversations"), vec![], "cursor"),
            (CursorList::Articles, api("/articles"), vec![], "cursor"),
        ];
        let valid = payloads(&topic, &group);
        for (list, path, base, param) in &lists {
            let mut forged: Vec<(String, String)> = [
                "\u{0}",
                "AA",
                "0~-8000000000000000000~abcdefghijklmnopqrstuvwxyz",
                "!!!garbage***",
                "YW5uYQ.0123456789abcdef0123456789abcdef",
                "YW5uYQ.",
            ]
            .iter()
            .map(|f| (format!("{f:?}"), (*f).to_owned()))
            .collect();
            for (other, payload) in &valid {
                if other != list {
                    let sealed = s.kindred.seal_cursor(&ms, *other, payload).expect("sealed");
                    forged.push((format!("a cursor of {other:?}"), sealed));
                }
            }
            for payload in impossible(*list, &topic) {
                let sealed = s.kindred.seal_cursor(&ms, *list, &payload).expect("sealed");
                forged.push((format!("sealed {payload}"), sealed));
            }
            for (what, cursor) in forged {
                let mut query = base.clone();
                query.push((param, &cursor));
                let (status, answer) = get_query(&s, &admin.token, path, &query).await;
                assert_refused(&format!("{db:?} {path} with {what}"), status, &answer, param);
            }
            // What the server seals for this list reads back.
            let own = valid.iter().find(|(l, _)| l == list).map(|(_, p)| p).expect("payload");
            let sealed = s.kindred.seal_cursor(&ms, *list, own).expect("sealed");
            let mut query = base.clone();
            query.push((param, &sealed));
            let (status, answer) = get_query(&s, &admin.token, path, &query).await;
            assert_eq!(status, 200, "{db:?} {path} with its own cursor: {answer}");
        }
        s.stop().await;
    }
}

#[tokio::test]
async fn bodies_must_be_objects_and_problems_name_the_field() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.member(&ms, "anna@example.org", "Anna", PASSWORD).await;
        let login = api("/auth/login");

        // The fields in order would have signed in.
        let (status, answer) = anonymous(&s, &login, Some(json!(["anna@example.org", PASSWORD]))).await;
        assert_refused(&format!("{db:?} an array"), status, &answer, "body");
        let (status, answer) = anonymous(&s, &login, Some(json!("anna@example.org"))).await;
        assert_refused(&format!("{db:?} a string"), status, &answer, "body");

        let (status, answer) = anonymous(&s, &login, Some(json!({"email": 5, "password": "x"}))).await;
        assert_refused(&format!("{db:?} a number for a string"), status, &answer, "email");
        assert_eq!(answer["error"]["fields"]["email"], "must be a string", "{db:?}");
        let (status, answer) =
            anonymous(&s, &login, Some(json!({"email": "a@example.org", "password": "x", "role": "admin"}))).await;
        assert_refused(&format!("{db:?} an unknown key"), status, &answer, "role");
        let (status, answer) = anonymous(&s, &login, Some(json!({"email": "a@example.org"}))).await;
        assert_refused(&format!("{db:?} a missing key"), status, &answer, "password");
        // Every missing or mistyped field at once, not the first alone.
        let (status, answer) = anonymous(&s, &api("/auth/register"), Some(json!({}))).await;
        assert_eq!(status, 422, "{db:?}: {answer}");
        for field in ["email", "password", "pseudonym", "accept_terms"] {
            assert!(answer["error"]["fields"][field].is_string(), "{db:?}: {field} in {answer}");
        }
        let wrong = json!({"email": 1, "password": [], "pseudonym": null, "accept_terms": "yes", "role": "admin"});
        let (status, answer) = anonymous(&s, &api("/auth/register"), Some(wrong)).await;
        assert_eq!(status, 422, "{db:?}: {answer}");
        for field in ["email", "password", "pseudonym", "accept_terms", "role"] {
            assert!(answer["error"]["fields"][field].is_string(), "{db:?}: {field} in {answer}");
        }
        // A query that is not UTF-8 once decoded is malformed, not a search for "\u{fffd}".
        let response = s.client.get(s.url(&format!("{}?q=%FF%FE", api("/members")))).send().await.expect("get");
        assert_eq!(api_error(response).await, (400, "malformed_query".to_owned()), "{db:?}");

        // A nested problem is named by its path.
        let anna = s.login("ms", "anna@example.org", PASSWORD).await;
        let (status, answer) =
            call(&s, &anna, "PUT", &api("/me/profile"), Some(json!({"visibility": {"about": "everyone"}}))).await;
        assert_eq!(status, 422, "{db:?}: {answer}");
        assert!(
            answer["error"]["fields"].as_object().is_some_and(|f| f.keys().all(|k| k.starts_with("visibility"))),
            "{db:?}: {answer}"
        );

        // 60,000 unknown keys: a short answer that says how many.
        let many: serde_json::Map<String, Value> = (0..60_000).map(|i| (format!("k{i}"), json!("x"))).collect();
        let response = s
            .client
            .put(s.url(&api("/me/profile")))
            .bearer_auth(&anna)
            .json(&json!({"fields": many}))
            .send()
            .await
            .expect("put");
        assert_eq!(response.status(), 422, "{db:?}");
        let text = response.text().await.expect("text");
        assert!(text.len() < 8 * 1024, "{db:?}: {} bytes", text.len());
        let answer: Value = serde_json::from_str(&text).expect("json");
        let listed = answer["error"]["fields"].as_object().map(|f| f.len()).unwrap_or(0);
        assert!((1..=20).contains(&listed), "{db:?}: {listed} listed");
        assert!(answer["error"]["message"].as_str().unwrap_or_default().contains("60000"), "{db:?}: {answer}");
        s.stop().await;
    }
}

#[tokio::test]
async fn failed_sign_ins_from_one_address_do_not_lock_out_its_members() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.member(&ms, "anna@example.org", "Anna", PASSWORD).await;
        // Anna signs in from this address every week.
        s.login("ms", "anna@example.org", PASSWORD).await;
        // A fuzzer behind the same address tries random e-mail addresses.
        let mut limited = false;
        for i in 0..130 {
            let body = json!({"email": format!("random{i}@example.org"), "password": "guess"});
            let status = s.post_json(&api("/auth/login"), body).await.status().as_u16();
            assert!(status == 401 || status == 429, "{db:?}: {status}");
            limited |= status == 429;
        }
        assert!(limited, "{db:?}: the address is held back after 100 failures");
        // Anna's right password still works from there.
        s.login("ms", "anna@example.org", PASSWORD).await;
        s.stop().await;
    }
}

#[tokio::test]
async fn confirming_a_change_has_its_own_limit_and_does_not_block_sign_in() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.member(&ms, "anna@example.org", "Anna", PASSWORD).await;
        let anna = s.login("ms", "anna@example.org", PASSWORD).await;
        let remove = api("/me/two-factor/totp/remove");
        for _ in 0..10 {
            let (status, answer) = call(&s, &anna, "POST", &remove, Some(json!({"password": "wrong"}))).await;
            assert_refused(&format!("{db:?} wrong password"), status, &answer, "password");
        }
        let response =
            s.client.post(s.url(&remove)).bearer_auth(&anna).json(&json!({"password": "wrong"})).send().await.unwrap();
        let retry_after = response.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_owned);
        assert_eq!(api_error(response).await, (429, "rate_limited".to_owned()), "{db:?}");
        assert!(retry_after.and_then(|v| v.parse::<i64>().ok()).is_some_and(|v| v > 0), "{db:?}: Retry-After");
        // Still throttled with the right password: the limit holds.
        let (status, _) = call(&s, &anna, "POST", &remove, Some(json!({"password": PASSWORD}))).await;
        assert_eq!(status, 429, "{db:?}");
        // Sign-in does not care about any of it.
        s.login("ms", "anna@example.org", PASSWORD).await;
        // Wrong sign-ins do not block confirming a change once the window passed.
        s.clock.advance(chrono::Duration::minutes(16));
        let (status, answer) = call(&s, &anna, "POST", &remove, Some(json!({"password": PASSWORD}))).await;
        assert_eq!(status, 204, "{db:?}: {answer}");
        s.stop().await;
    }
}

#[tokio::test]
async fn a_page_form_shows_a_direction_override_in_its_error_summary() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let admin = staff(&s, &ms, "Admina", "admin").await;
        let category = ok(&s, &admin.token, "POST", &api("/forum/categories"), Some(json!({"name": "Alltag"}))).await;
        let category = category["category_id"].as_str().expect("category").to_owned();
        s.member(&ms, "anna@example.org", "Anna", PASSWORD).await;
        let signed_in = s
            .client
            .post(s.url("/a/ms/sign-in"))
            .form(&[("email", "anna@example.org"), ("password", PASSWORD)])
            .send()
            .await
            .expect("sign in");
        assert_eq!(signed_in.status(), 303, "{db:?}");
        let token = signed_in
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| v.strip_prefix("__Host-kindred-ms="))
            .and_then(|v| v.split(';').next())
            .expect("session cookie")
            .to_owned();
        let csrf = kindred_service::sessions::csrf_token(&token);
        let form = [
            ("csrf", csrf.as_str()),
            ("category", category.as_str()),
            ("group", ""),
            ("title", "Termin \u{202E}fdp.exe"),
            ("body", "Text"),
        ];
        let response = s
            .client
            .post(s.url("/a/ms/forum/new"))
            .header("cookie", format!("__Host-kindred-ms={token}"))
            .form(&form)
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 422, "{db:?}");
        let html = response.text().await.expect("html");
        assert!(html.contains("class=\"error-summary\""), "{db:?}: {html}");
        assert!(html.contains("href=\"#title\""), "{db:?}: the summary links the title");
        s.stop().await;
    }
}
