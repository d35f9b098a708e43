//! Profiles, levels, contacts and search over HTTP, on both databases: what
//! one member may see of another, and that nothing else leaks.

use crate::harness::{api_error, Db, TestServer, BOTH};
use kindred_service::Association;
use serde_json::{json, Value};

pub const PASSWORD: &str = "correct horse battery";

/// A signed-in member: id and bearer token.
pub struct Someone {
    pub id: String,
    pub token: String,
}

pub async fn someone(s: &TestServer, association: &Association, name: &str) -> Someone {
    let email = format!("{}@example.org", name.to_lowercase().replace(' ', "."));
    let id = s.member(association, &email, name, PASSWORD).await;
    let token = s.login(association.slug.as_str(), &email, PASSWORD).await;
    Someone { id, token }
}

/// Any method, JSON in and out; (status, body or Null).
pub async fn call(s: &TestServer, token: &str, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut request = s.client.request(method, s.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

pub async fn ok(s: &TestServer, token: &str, method: &str, path: &str, body: Option<Value>) -> Value {
    let (status, value) = call(s, token, method, path, body).await;
    assert!((200..300).contains(&status), "{method} {path}: {status} {value}");
    value
}

pub async fn consent(s: &TestServer, who: &Someone) {
    ok(s, &who.token, "POST", "/a/ms/api/v1/me/consents", Some(json!({"kind": "health_data"}))).await;
}

pub async fn profile(s: &TestServer, who: &Someone, body: Value) -> Value {
    ok(s, &who.token, "PUT", "/a/ms/api/v1/me/profile", Some(body)).await
}

/// Makes `a` and `b` contacts: `a` asks, `b` accepts; each places the other on the given level.
pub async fn befriend(s: &TestServer, a: &Someone, a_grants: u8, b: &Someone, b_grants: u8) {
    let request = ok(
        s,
        &a.token,
        "POST",
        "/a/ms/api/v1/contacts/requests",
        Some(json!({"to": b.id, "message": "Hallo!", "level": a_grants})),
    )
    .await;
    let id = request["request_id"].as_str().expect("request id");
    ok(s, &b.token, "POST", &format!("/a/ms/api/v1/contacts/requests/{id}/accept"), Some(json!({"level": b_grants})))
        .await;
}

async fn fields_seen(s: &TestServer, viewer: &Someone, member: &Someone) -> Value {
    ok(s, &viewer.token, "GET", &format!("/a/ms/api/v1/members/{}", member.id), None).await["fields"].clone()
}

fn keys(value: &Value) -> Vec<String> {
    value.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default()
}

const ABOUT: &str = "Seit der Diagnose male ich Aquarelle";

#[tokio::test]
async fn levels_decide_what_a_contact_sees_and_changes_count_at_once() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;

        // Health data needs consent first; nothing is written without it.
        let (status, body) = call(
            &s,
            &anna.token,
            "PUT",
            "/a/ms/api/v1/me/profile",
            Some(json!({"fields": {"condition": "ms", "city": "Kiel"}})),
        )
        .await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("consent_required")), "{db:?}");
        let me = ok(&s, &anna.token, "GET", "/a/ms/api/v1/me", None).await;
        assert_eq!(me["profile"], json!({}), "{db:?}: nothing half-written");

        consent(&s, &anna).await;
        let consents = ok(&s, &anna.token, "GET", "/a/ms/api/v1/me/consents", None).await;
        assert!(consents["consents"].as_array().expect("list").iter().any(|c| c["kind"] == "health_data"));
        let me = profile(
            &s,
            &anna,
            json!({
                "fields": {"condition": "ms", "condition_form": "rrms", "diagnosis_year": 2015, "about": ABOUT,
                           "city": "Kiel", "medications": ["ocrelizumab", "fampridine"], "region": "sh"},
                "visibility": {"condition": 1, "condition_form": 2, "about": 3, "city": "private",
                               "medications": 4, "region": 1, "diagnosis_year": "private"},
                "discoverable": true
            }),
        )
        .await;
        assert_eq!(me["profile"]["medications"], json!(["ocrelizumab", "fampridine"]));
        assert_eq!(me["visibility"]["about"], 3);
        assert_eq!(me["visibility"]["real_name"], "private", "the default default is the most private choice");
        assert_eq!(me["discoverable"], true);

        // No contact: level 1 only. Hidden fields are absent, not null.
        let seen = fields_seen(&s, &ben, &anna).await;
        assert_eq!(keys(&seen), vec!["condition", "region"], "{db:?}: {seen}");
        let view = ok(&s, &ben.token, "GET", &format!("/a/ms/api/v1/members/{}", anna.id), None).await;
        assert_eq!((view["level_granted_to_me"].as_u64(), view["level_i_grant"].as_u64()), (Some(1), Some(1)));
        assert!(!view.to_string().contains("null"), "{db:?}: {view}");

        // Contacts: Anna places Ben on 3, Ben places Anna on 1.
        befriend(&s, &ben, 1, &anna, 3).await;
        let seen = fields_seen(&s, &ben, &anna).await;
        assert_eq!(keys(&seen), vec!["about", "condition", "condition_form", "region"], "{db:?}");
        assert_eq!(seen["about"], ABOUT);
        let contacts = ok(&s, &ben.token, "GET", "/a/ms/api/v1/contacts", None).await;
        assert_eq!(contacts["contacts"][0]["level_granted_to_me"], 3);
        assert_eq!(contacts["contacts"][0]["level_i_grant"], 1);

        // Lowering counts on the very next request, search included.
        ok(&s, &anna.token, "PUT", &format!("/a/ms/api/v1/contacts/{}", ben.id), Some(json!({"level": 2}))).await;
        let seen = fields_seen(&s, &ben, &anna).await;
        assert_eq!(keys(&seen), vec!["condition", "condition_form", "region"], "{db:?}");
        let found = ok(&s, &ben.token, "GET", "/a/ms/api/v1/members?q=aquarelle", None).await;
        assert_eq!(found["results"], json!([]), "{db:?}: about is hidden again, so it does not match");

        // Step-by-step disclosure: Ben asks for 4; Anna grants 4; Ben learns the outcome.
        let asked = ok(
            &s,
            &ben.token,
            "POST",
            &format!("/a/ms/api/v1/contacts/{}/disclosure-requests", anna.id),
            Some(json!({"level": 4})),
        )
        .await;
        let id = asked["request_id"].as_str().expect("id").to_owned();
        let (status, _) = call(
            &s,
            &ben.token,
            "POST",
            &format!("/a/ms/api/v1/contacts/{}/disclosure-requests", anna.id),
            Some(json!({"level": 3})),
        )
        .await;
        assert_eq!(status, 409, "{db:?}: one open request at a time");
        let incoming = ok(&s, &anna.token, "GET", "/a/ms/api/v1/disclosure-requests", None).await;
        assert_eq!(incoming["incoming"][0]["request_id"], id.as_str());
        assert_eq!(incoming["incoming"][0]["level"], 4);
        let (status, _) = call(
            &s,
            &ben.token,
            "POST",
            &format!("/a/ms/api/v1/disclosure-requests/{id}/accept"),
            Some(json!({"level": 4})),
        )
        .await;
        assert_eq!(status, 404, "{db:?}: only the asked member answers");
        ok(
            &s,
            &anna.token,
            "POST",
            &format!("/a/ms/api/v1/disclosure-requests/{id}/accept"),
            Some(json!({"level": 4})),
        )
        .await;
        let outgoing = ok(&s, &ben.token, "GET", "/a/ms/api/v1/disclosure-requests", None).await;
        assert_eq!(outgoing["outgoing"][0]["status"], "accepted");
        let seen = fields_seen(&s, &ben, &anna).await;
        assert_eq!(seen["medications"], json!(["ocrelizumab", "fampridine"]), "{db:?}");
        assert!(seen.get("city").is_none() && seen.get("diagnosis_year").is_none(), "{db:?}: private stays private");

        // Removing the contact takes everyone back to level 1.
        let (status, _) = call(&s, &anna.token, "DELETE", &format!("/a/ms/api/v1/contacts/{}", ben.id), None).await;
        assert_eq!(status, 204);
        assert_eq!(keys(&fields_seen(&s, &ben, &anna).await), vec!["condition", "region"], "{db:?}");
        s.stop().await;
    }
}

#[tokio::test]
async fn requests_can_be_declined_and_a_block_makes_the_blocker_disappear() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        profile(&s, &anna, json!({"fields": {"region": "sh"}, "visibility": {"region": 1}, "discoverable": true}))
            .await;
        profile(&s, &ben, json!({"discoverable": true})).await;

        let sent =
            ok(&s, &ben.token, "POST", "/a/ms/api/v1/contacts/requests", Some(json!({"to": anna.id, "message": "Hi"})))
                .await;
        let id = sent["request_id"].as_str().expect("id").to_owned();
        let (status, body) = call(
            &s,
            &ben.token,
            "POST",
            "/a/ms/api/v1/contacts/requests",
            Some(json!({"to": anna.id, "message": "?"})),
        )
        .await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("request_pending")), "{db:?}");
        let (status, body) =
            call(&s, &anna.token, "POST", "/a/ms/api/v1/contacts/requests", Some(json!({"to": ben.id}))).await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("incoming_request_pending")), "{db:?}");
        let requests = ok(&s, &anna.token, "GET", "/a/ms/api/v1/contacts/requests", None).await;
        assert_eq!(requests["incoming"][0]["message"], "Hi");
        assert_eq!(requests["incoming"][0]["pseudonym"], "Ben");
        ok(&s, &anna.token, "POST", &format!("/a/ms/api/v1/contacts/requests/{id}/decline"), None).await;
        let (status, _) = call(
            &s,
            &anna.token,
            "POST",
            &format!("/a/ms/api/v1/contacts/requests/{id}/accept"),
            Some(json!({"level": 2})),
        )
        .await;
        assert_eq!(status, 409, "{db:?}: answered already");
        let mine = ok(&s, &ben.token, "GET", "/a/ms/api/v1/contacts/requests", None).await;
        assert_eq!(mine["outgoing"][0]["status"], "declined");
        let (status, body) =
            call(&s, &ben.token, "DELETE", &format!("/a/ms/api/v1/contacts/requests/{id}"), None).await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("request_closed")), "{db:?}");
        let (status, _) = call(&s, &anna.token, "DELETE", &format!("/a/ms/api/v1/contacts/requests/{id}"), None).await;
        assert_eq!(status, 404, "{db:?}: only the sender withdraws");

        // Anna blocks Ben: Ben no longer sees, finds or reaches her.
        befriend(&s, &anna, 2, &ben, 2).await;
        let (status, _) =
            call(&s, &anna.token, "POST", "/a/ms/api/v1/blocks", Some(json!({"member_id": ben.id}))).await;
        assert_eq!(status, 201);
        let (status, body) = call(&s, &ben.token, "GET", &format!("/a/ms/api/v1/members/{}", anna.id), None).await;
        assert_eq!((status, body["error"]["code"].as_str()), (404, Some("not_found")), "{db:?}");
        let unknown = "aaaaaaaaaaaaaaaaaaaaaaaaaa";
        let (status_unknown, body_unknown) =
            call(&s, &ben.token, "GET", &format!("/a/ms/api/v1/members/{unknown}"), None).await;
        assert_eq!((status, &body), (status_unknown, &body_unknown), "{db:?}: a blocker looks like nobody");
        let found = ok(&s, &ben.token, "GET", "/a/ms/api/v1/members?q=anna", None).await;
        assert_eq!(found["results"], json!([]), "{db:?}");
        let found = ok(&s, &anna.token, "GET", "/a/ms/api/v1/members?q=ben", None).await;
        assert_eq!(found["results"], json!([]), "{db:?}: blocked pairs never see each other");
        let (status, _) =
            call(&s, &ben.token, "POST", "/a/ms/api/v1/contacts/requests", Some(json!({"to": anna.id}))).await;
        assert_eq!(status, 404, "{db:?}");
        assert_eq!(ok(&s, &ben.token, "GET", "/a/ms/api/v1/contacts", None).await["contacts"], json!([]));
        assert_eq!(ok(&s, &anna.token, "GET", "/a/ms/api/v1/contacts", None).await["contacts"], json!([]));
        let blocks = ok(&s, &anna.token, "GET", "/a/ms/api/v1/blocks", None).await;
        assert_eq!(blocks["blocks"][0]["member_id"], ben.id.as_str());
        // Blocking again is answered as the first time (Anna knows whom she blocks).
        let (status, _) =
            call(&s, &anna.token, "POST", "/a/ms/api/v1/blocks", Some(json!({"member_id": ben.id}))).await;
        assert_eq!(status, 201, "{db:?}: blocking twice");
        let blocks = ok(&s, &anna.token, "GET", "/a/ms/api/v1/blocks", None).await;
        assert_eq!(blocks["blocks"].as_array().map(Vec::len), Some(1), "{db:?}");
        // Ben cannot block the member who is nobody to him: the answer is an unknown id's.
        let (status, body) =
            call(&s, &ben.token, "POST", "/a/ms/api/v1/blocks", Some(json!({"member_id": anna.id}))).await;
        let (status_unknown, body_unknown) =
            call(&s, &ben.token, "POST", "/a/ms/api/v1/blocks", Some(json!({"member_id": unknown}))).await;
        assert_eq!((status, &body), (status_unknown, &body_unknown), "{db:?}: blocking the blocker");

        let (status, _) = call(&s, &anna.token, "DELETE", &format!("/a/ms/api/v1/blocks/{}", ben.id), None).await;
        assert_eq!(status, 204);
        let seen = fields_seen(&s, &ben, &anna).await;
        assert_eq!(seen["region"], "sh", "{db:?}: visible again after unblocking");
        s.stop().await;
    }
}

#[tokio::test]
async fn bad_input_and_mass_assignment_are_refused_without_partial_writes() {
    let s = TestServer::start(Db::Sqlite).await;
    let ms = s.ms_association("ms").await;
    let anna = someone(&s, &ms, "Anna").await;
    let ben = someone(&s, &ms, "Ben").await;
    consent(&s, &anna).await;
    let path = "/a/ms/api/v1/me/profile";
    let cases = [
        json!({"role": "admin"}),
        json!({"status": "active"}),
        json!({"association_id": "x", "fields": {}}),
        json!({"fields": {"city": "Kiel"}, "member_id": ben.id}),
        json!({"fields": {"role": "admin"}}),
        json!({"fields": {"condition": "flu", "city": "Kiel"}}),
        json!({"fields": {"city": "Kiel", "shoe_size": "42"}}),
        json!({"fields": {"city": "Kiel"}, "visibility": {"real_name": 1}}),
        json!({"fields": {"city": "Kiel"}, "visibility": {"city": 5}}),
        json!({"fields": {"city": "Kiel", "diagnosis_year": 1850}}),
        json!({"fields": {"city": "Kiel", "medications": ["aspirin"]}}),
        json!({"fields": {"city": "Kiel", "condition_form": "rrms", "condition": "nmosd"}}),
        json!({"fields": {"city": "x\u{0007}"}}),
        json!({"fields": {"city": {"nested": true}}}),
        json!({"fields": {"photo": "http://evil.example/x.jpg"}}),
        json!({"discoverable": "yes"}),
    ];
    for body in cases {
        let response = s.client.put(s.url(path)).bearer_auth(&anna.token).json(&body).send().await.expect("put");
        let (status, _) = api_error(response).await;
        assert_eq!(status, 422, "{body}");
    }
    let response = s
        .client
        .put(s.url(path))
        .bearer_auth(&anna.token)
        .header("content-type", "application/json")
        .body("{\"fields\": ")
        .send()
        .await
        .expect("put");
    assert_eq!(api_error(response).await.0, 400);
    let me = ok(&s, &anna.token, "GET", "/a/ms/api/v1/me", None).await;
    assert_eq!(me["profile"], json!({}), "nothing of a refused request was written");
    assert_eq!(me["role"], "member");

    // Levels and bodies of the contact endpoints.
    for body in
        [json!({"to": ben.id, "level": 5}), json!({"to": ben.id, "level": 0}), json!({"to": ben.id, "role": "x"})]
    {
        let (status, _) = call(&s, &anna.token, "POST", "/a/ms/api/v1/contacts/requests", Some(body.clone())).await;
        assert_eq!(status, 422, "{body}");
    }
    let (status, _) =
        call(&s, &anna.token, "POST", "/a/ms/api/v1/contacts/requests", Some(json!({"to": anna.id}))).await;
    assert_eq!(status, 422, "not to oneself");
    let long = "x".repeat(501);
    let (status, _) =
        call(&s, &anna.token, "POST", "/a/ms/api/v1/contacts/requests", Some(json!({"to": ben.id, "message": long})))
            .await;
    assert_eq!(status, 422);
    for query in ["condition=flu", "min_age=abc", "min_age=50&max_age=40", "cursor=%21%21", "max_age=500"] {
        let response = s
            .client
            .get(s.url(&format!("/a/ms/api/v1/members?{query}")))
            .bearer_auth(&anna.token)
            .send()
            .await
            .expect("get");
        assert_eq!(api_error(response).await.0, 422, "{query}");
    }
    s.stop().await;
}

#[tokio::test]
async fn ids_of_another_association_and_unverified_members_answer_404() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let other = s.ms_association("other").await;
        let anna = someone(&s, &ms, "Anna").await;
        let stranger = s.member(&other, "x@example.org", "Stranger", PASSWORD).await;
        let stranger_token = s.login("other", "x@example.org", PASSWORD).await;
        for (method, path, body) in [
            ("GET", format!("/a/ms/api/v1/members/{stranger}"), None),
            ("GET", format!("/a/ms/api/v1/members/{stranger}/photo"), None),
            ("POST", "/a/ms/api/v1/contacts/requests".to_owned(), Some(json!({"to": stranger}))),
            ("POST", "/a/ms/api/v1/blocks".to_owned(), Some(json!({"member_id": stranger}))),
            ("PUT", format!("/a/ms/api/v1/contacts/{stranger}"), Some(json!({"level": 2}))),
            ("POST", format!("/a/ms/api/v1/contacts/{stranger}/disclosure-requests"), Some(json!({"level": 2}))),
            ("GET", "/a/ms/api/v1/members/not-an-id".to_owned(), None),
        ] {
            let (status, _) = call(&s, &anna.token, method, &path, body).await;
            assert_eq!(status, 404, "{db:?}: {method} {path}");
        }
        // A token of one association is nobody in another.
        let (status, _) = call(&s, &stranger_token, "GET", &format!("/a/ms/api/v1/members/{}", anna.id), None).await;
        assert_eq!(status, 401, "{db:?}");

        // Someone still waiting for verification sees nothing and is seen by nobody.
        let response = s
            .post_json(
                "/a/ms/api/v1/auth/register",
                json!({"email": "new@example.org", "password": PASSWORD, "pseudonym": "Newbie", "accept_terms": true}),
            )
            .await;
        let newbie = response.json::<Value>().await.expect("json")["member_id"].as_str().expect("id").to_owned();
        let (status, _) = call(&s, &anna.token, "GET", &format!("/a/ms/api/v1/members/{newbie}"), None).await;
        assert_eq!(status, 404, "{db:?}");
        s.stop().await;
    }
}

#[tokio::test]
async fn unverified_accounts_get_403_on_every_community_endpoint() {
    let s = TestServer::start(Db::Sqlite).await;
    s.ms_association("ms").await;
    let response = s
        .post_json(
            "/a/ms/api/v1/auth/register",
            json!({"email": "new@example.org", "password": PASSWORD, "pseudonym": "Newbie", "accept_terms": true}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let mail = s.mails_to("new@example.org", 1).await;
    let token = crate::harness::token_in(&mail[0]);
    assert_eq!(s.post_json("/a/ms/api/v1/auth/confirm-email", json!({"token": token})).await.status(), 200);
    let token = s.login("ms", "new@example.org", PASSWORD).await;
    for (method, path) in [
        ("GET", "/a/ms/api/v1/members"),
        ("GET", "/a/ms/api/v1/contacts"),
        ("GET", "/a/ms/api/v1/contacts/requests"),
        ("PUT", "/a/ms/api/v1/me/profile"),
        ("POST", "/a/ms/api/v1/me/consents"),
        ("GET", "/a/ms/api/v1/blocks"),
    ] {
        let body = (method != "GET").then(|| json!({}));
        let (status, value) = call(&s, &token, method, path, body).await;
        assert_eq!((status, value["error"]["code"].as_str()), (403, Some("not_verified")), "{method} {path}");
    }
    s.stop().await;
}

#[tokio::test]
async fn search_pages_with_a_stable_cursor_and_skips_those_who_opted_out() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let viewer = someone(&s, &ms, "Viewer").await;
        let mut ids = Vec::new();
        for n in 0..25 {
            let name = format!("Walker{n:02}");
            let who = someone(&s, &ms, &name).await;
            let discoverable = n != 7;
            profile(
                &s,
                &who,
                json!({"fields": {"region": "sh"}, "visibility": {"region": 1}, "discoverable": discoverable}),
            )
            .await;
            if discoverable {
                ids.push(who.id);
            }
        }
        let first = ok(&s, &viewer.token, "GET", "/a/ms/api/v1/members?q=walk&region=sh", None).await;
        let page1 = first["results"].as_array().expect("results").clone();
        assert_eq!(page1.len(), 20, "{db:?}");
        let cursor = first["next_cursor"].as_str().expect("a next page").to_owned();
        let second =
            ok(&s, &viewer.token, "GET", &format!("/a/ms/api/v1/members?q=walk&region=sh&cursor={cursor}"), None).await;
        let page2 = second["results"].as_array().expect("results").clone();
        assert!(second["next_cursor"].is_null(), "{db:?}: last page");
        let names: Vec<&str> = page1.iter().chain(&page2).map(|r| r["pseudonym"].as_str().expect("name")).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted, "{db:?}: pseudonym order");
        assert_eq!(names.len(), 24, "{db:?}: everyone once, except the one who opted out");
        assert!(!names.contains(&"Walker07"), "{db:?}");
        let again =
            ok(&s, &viewer.token, "GET", &format!("/a/ms/api/v1/members?q=walk&region=sh&cursor={cursor}"), None).await;
        assert_eq!(again, second, "{db:?}: the cursor is stable");
        s.stop().await;
    }
}

#[tokio::test]
async fn looking_at_profiles_too_fast_is_throttled_and_flagged_to_staff() {
    let file = kindred::config::parse_file("[privacy]\nprofile_views_per_15_minutes = 10\n", "test").expect("config");
    let s = TestServer::start_with(Db::Sqlite, file).await;
    let ms = s.ms_association("ms").await;
    let anna = someone(&s, &ms, "Anna").await;
    let ben = someone(&s, &ms, "Ben").await;
    s.user(&ms, "admin@example.org", "Admin", "admin").await;
    for _ in 0..10 {
        ok(&s, &ben.token, "GET", &format!("/a/ms/api/v1/members/{}", anna.id), None).await;
    }
    let response = s
        .client
        .get(s.url(&format!("/a/ms/api/v1/members/{}", anna.id)))
        .bearer_auth(&ben.token)
        .send()
        .await
        .expect("get");
    assert!(response.headers().get("retry-after").is_some());
    assert_eq!(api_error(response).await, (429, "rate_limited".to_owned()));
    // Looking at oneself is never counted.
    ok(&s, &ben.token, "GET", &format!("/a/ms/api/v1/members/{}", ben.id), None).await;
    let admin = s.login_staff(&ms, "admin@example.org").await;
    let flags = ok(&s, &admin, "GET", "/a/ms/api/v1/admin/flags", None).await;
    let flags = flags["flags"].as_array().expect("flags");
    assert_eq!(flags.len(), 1, "flagged once per window");
    assert_eq!(flags[0]["member_id"], ben.id.as_str());
    let (status, _) = call(&s, &anna.token, "GET", "/a/ms/api/v1/admin/flags", None).await;
    assert_eq!(status, 403, "members do not see flags");
    s.stop().await;
}

/// Photos are paced too, on a pace of their own ten times the profiles'
/// (posts and member lists show faces to every reader), on the API and the
/// pages; one's own photo is never counted.
#[tokio::test]
async fn reading_photos_too_fast_is_throttled_on_their_own_pace() {
    for db in BOTH {
        let file =
            kindred::config::parse_file("[privacy]\nprofile_views_per_15_minutes = 10\n", "test").expect("config");
        let s = TestServer::start_with(db, file).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        let upload = noisy_png(300, 200);
        let put = s.client.put(s.url("/a/ms/api/v1/me/photo")).bearer_auth(&anna.token).body(upload);
        assert_eq!(put.send().await.expect("put").status(), 204, "{db:?}");
        profile(&s, &anna, json!({"visibility": {"photo": 2}})).await;
        befriend(&s, &ben, 1, &anna, 2).await;
        let photo_path = format!("/a/ms/api/v1/members/{}/photo", anna.id);
        // Photos up to their limit of a hundred (ten times the profiles').
        for _ in 0..100 {
            let response = s.client.get(s.url(&photo_path)).bearer_auth(&ben.token).send().await.expect("get");
            assert_eq!(response.status(), 200, "{db:?}");
        }
        let response = s.client.get(s.url(&photo_path)).bearer_auth(&ben.token).send().await.expect("get");
        assert!(response.headers().get("retry-after").is_some(), "{db:?}");
        assert_eq!(api_error(response).await, (429, "rate_limited".to_owned()), "{db:?}");
        // Profiles keep their own count: faces seen do not use it up.
        ok(&s, &ben.token, "GET", &format!("/a/ms/api/v1/members/{}", anna.id), None).await;
        // Anna's own photo, by the member address too, is never counted.
        for _ in 0..12 {
            let own = s.client.get(s.url(&photo_path)).bearer_auth(&anna.token).send().await.expect("get");
            assert_eq!(own.status(), 200, "{db:?}");
        }
        s.stop().await;
    }
}

/// A PNG of a few bytes declaring 10,000 × 10,000 pixels (400 MB once
/// decoded) is refused from its header with a clear 422, never decoded;
/// a real photo is stored as before.
#[tokio::test]
async fn a_decompression_bomb_is_refused_before_decoding() {
    fn crc(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for byte in bytes {
            crc ^= u32::from(*byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc(&body).to_be_bytes());
        out
    };
    let mut ihdr = 10_000u32.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&10_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    let mut bomb = b"\x89PNG\r\n\x1a\n".to_vec();
    bomb.extend(chunk(b"IHDR", &ihdr));
    // The start of a zlib stream of zero rows: a decoder would begin to inflate it.
    bomb.extend(chunk(b"IDAT", &[0x78, 0x9c, 0xed, 0xc1, 0x01, 0x0d, 0x00, 0x00, 0x00, 0xc2, 0xa0]));
    bomb.extend(chunk(b"IEND", &[]));
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna").await;
        let response =
            s.client.put(s.url("/a/ms/api/v1/me/photo")).bearer_auth(&anna.token).body(bomb.clone()).send().await;
        let response = response.expect("put");
        assert_eq!(response.status(), 422, "{db:?}");
        let body: serde_json::Value = response.json().await.expect("json");
        assert_eq!(body["error"]["code"], "image_too_large", "{db:?}: {body}");
        assert!(body["error"]["fields"]["body"].is_string(), "{db:?}: {body}");
        let own = s.client.get(s.url("/a/ms/api/v1/me/photo")).bearer_auth(&anna.token).send().await.expect("get");
        assert_eq!(own.status(), 404, "{db:?}: nothing stored");
        let upload = noisy_png(640, 480);
        let put = s.client.put(s.url("/a/ms/api/v1/me/photo")).bearer_auth(&anna.token).body(upload);
        assert_eq!(put.send().await.expect("put").status(), 204, "{db:?}: an ordinary photo still works");
        s.stop().await;
    }
}

/// The pseudonyms of the members a search by `q` finds, in order.
async fn found_by(s: &TestServer, viewer: &Someone, q: &str) -> Vec<String> {
    let page = ok(s, &viewer.token, "GET", &format!("/a/ms/api/v1/members?q={q}"), None).await;
    let results = page["results"].as_array().expect("results");
    results.iter().map(|r| r["pseudonym"].as_str().expect("pseudonym").to_owned()).collect()
}

/// Runs one SQL statement on the test database, outside Kindred.
pub async fn raw_sql(s: &TestServer, sql: &str) -> u64 {
    use sqlx::Connection;
    if s.database_url.starts_with("sqlite:") {
        let mut conn = sqlx::SqliteConnection::connect(&s.database_url).await.expect("connect");
        sqlx::query(sql).execute(&mut conn).await.expect("sql").rows_affected()
    } else {
        let mut conn = sqlx::PgConnection::connect(&s.database_url).await.expect("connect");
        sqlx::query(sql).execute(&mut conn).await.expect("sql").rows_affected()
    }
}

#[tokio::test]
async fn free_text_finds_the_beginning_of_any_word_of_a_pseudonym_and_never_a_hidden_field() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let viewer = someone(&s, &ms, "Seeker").await;
        let mira = someone(&s, &ms, "Mira Sonnenblume").await;
        let quiet = someone(&s, &ms, "Quiet Harbour").await;
        profile(&s, &mira, json!({"discoverable": true})).await;
        // Quiet's city holds the very words searched for, hidden from the viewer.
        profile(
            &s,
            &quiet,
            json!({"fields": {"city": "Sonnen Sonnenblume Kiel"}, "visibility": {"city": 2}, "discoverable": true}),
        )
        .await;
        let mira_only = vec!["Mira Sonnenblume".to_owned()];
        for q in ["sonnen", "Sonnenblume", "so", "mi", "MIRA", "sonnen%20mira", "mira-sonn"] {
            assert_eq!(found_by(&s, &viewer, q).await, mira_only, "{db:?}: q={q}");
        }
        // Inside a word is not the beginning of one; all words must match.
        for q in ["blume", "onnen", "ira", "sonnenblumen", "sonnen%20kiel", "kiel", "harb%20sonnen"] {
            assert_eq!(found_by(&s, &viewer, q).await, Vec::<String>::new(), "{db:?}: q={q}");
        }
        // A word of one letter is no word: the search is a plain list.
        let all = found_by(&s, &viewer, "").await;
        assert_eq!(found_by(&s, &viewer, "m").await, all, "{db:?}");
        assert_eq!(all, vec!["Mira Sonnenblume".to_owned(), "Quiet Harbour".to_owned()], "{db:?}");

        // Members from before pseudonym terms are filled in at start-up.
        assert!(raw_sql(&s, "DELETE FROM pseudonym_terms").await > 0, "{db:?}");
        assert_eq!(raw_sql(&s, "UPDATE members SET pseudonym_indexed = FALSE").await, 3, "{db:?}");
        assert_eq!(found_by(&s, &viewer, "sonnen").await, Vec::<String>::new(), "{db:?}");
        let filled = s.kindred.backfill_pseudonym_terms().await.expect("backfill");
        assert_eq!(filled, 3, "{db:?}");
        assert_eq!(found_by(&s, &viewer, "sonnen").await, mira_only, "{db:?}");
        assert_eq!(s.kindred.backfill_pseudonym_terms().await.expect("backfill"), 0, "{db:?}: nothing left to do");

        // The control: on a level that sees the city, its words match (whole words only).
        befriend(&s, &viewer, 1, &quiet, 2).await;
        let both = vec!["Mira Sonnenblume".to_owned(), "Quiet Harbour".to_owned()];
        assert_eq!(found_by(&s, &viewer, "sonnen").await, both, "{db:?}");
        assert_eq!(found_by(&s, &viewer, "kiel").await, vec!["Quiet Harbour".to_owned()], "{db:?}");
        assert_eq!(found_by(&s, &viewer, "ki").await, Vec::<String>::new(), "{db:?}: only pseudonyms by prefix");
        s.stop().await;
    }
}

/// Every page of a search, by member id, with the cursors between them.
async fn all_pages(
    s: &TestServer,
    ms: &Association,
    caller: &kindred_service::sessions::Caller,
    pairs: &[(&str, &str)],
    drive_cap: Option<usize>,
) -> Vec<(Vec<String>, Option<String>)> {
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut query: Vec<(&str, &str)> = pairs.to_vec();
        if let Some(c) = &cursor {
            query.push(("cursor", c.as_str()));
        }
        let raw = kindred_domain::search::RawMemberQuery::from_pairs(query);
        let page = s.kindred.search_members_planned(ms, caller, &raw, drive_cap).await.expect("search");
        let ids = page.results.iter().map(|r| r.id.to_string()).collect();
        cursor = page.next_cursor.clone();
        pages.push((ids, page.next_cursor));
        if cursor.is_none() {
            return pages;
        }
    }
}

#[tokio::test]
async fn every_search_plan_finds_the_same_pages() {
    for db in BOTH {
        let file =
            kindred::config::parse_file("[privacy]\nsearches_per_15_minutes = 100000\n", "test").expect("config");
        let s = TestServer::start_with(db, file).await;
        let ms = s.ms_association("ms").await;
        let viewer = someone(&s, &ms, "Viewer").await;
        let caller = s.kindred.authenticate(&ms, &viewer.token).await.expect("session").expect("caller");
        // Many pseudonyms beginning with "river" (first or second word), a
        // few with "river" in a visible text, one in a hidden text.
        let mut names: Vec<String> = (0..22).map(|n| format!("River{n:02}")).collect();
        names.extend(["Ole Riverton", "Rita Bank", "Anna Ri", "Zora", "Quiet Harbour"].map(String::from));
        for (n, name) in names.iter().enumerate() {
            let who = someone(&s, &ms, name).await;
            consent(&s, &who).await;
            let about = match (name.as_str(), n % 5) {
                ("Rita Bank" | "Zora", _) | (_, 0) => json!("Am river wohnen"),
                (_, 1) => json!("Aquarelle"),
                _ => json!(""),
            };
            let visibility = if name.as_str() == "Zora" { json!("private") } else { json!(1) };
            profile(
                &s,
                &who,
                json!({"fields": {"about": about, "region": if n % 2 == 0 { "sh" } else { "by" }},
                       "visibility": {"about": visibility, "region": 1}, "discoverable": n != 3}),
            )
            .await;
        }
        let queries: [&[(&str, &str)]; 9] = [
            &[("q", "ri")],
            &[("q", "river")],
            &[("q", "river"), ("region", "sh")],
            &[("q", "aquarelle")],
            &[("q", "ri aquarelle")],
            &[("q", "wohnen")],
            &[("region", "by")],
            &[("q", "rita")],
            &[("q", "zz")],
        ];
        for pairs in queries {
            let expected = all_pages(&s, &ms, &caller, pairs, None).await;
            for cap in [0, 1, 4, 12] {
                let got = all_pages(&s, &ms, &caller, pairs, Some(cap)).await;
                assert_eq!(got, expected, "{db:?}: {pairs:?} with a drive cap of {cap}");
            }
        }
        // 22 Rivers and Riverton less the one who is not findable, and Rita
        // by her text (Zora's is hidden).
        let river = all_pages(&s, &ms, &caller, &[("q", "river")], None).await;
        assert_eq!(river.iter().map(|(ids, _)| ids.len()).collect::<Vec<_>>(), vec![20, 3], "{db:?}");
        s.stop().await;
    }
}

#[tokio::test]
async fn a_database_dump_holds_no_health_data_or_request_message_in_clear() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        consent(&s, &anna).await;
        profile(
            &s,
            &anna,
            json!({"fields": {"about": "Quokkafreundin mit Schubangst", "condition": "nmosd", "diagnosis_year": 2011,
                              "city": "Flensburg"}, "discoverable": true}),
        )
        .await;
        let sent = ok(
            &s,
            &ben.token,
            "POST",
            "/a/ms/api/v1/contacts/requests",
            Some(json!({"to": anna.id, "message": "Zebrafinkentreffen am Dienstag"})),
        )
        .await;
        let dump = s.dump().await;
        assert!(dump.contains("Flensburg"), "{db:?}: the dump sees clear fields, so it would see the others");
        for secret in ["Quokkafreundin", "quokkafreundin", "Schubangst", "schubangst", "Zebrafinken"] {
            assert!(!dump.contains(secret), "{db:?}: {secret} in clear in the database");
        }
        // The words are still found through keyed hashes, by whoever may see them.
        let found = ok(&s, &ben.token, "GET", "/a/ms/api/v1/members?q=quokkafreundin", None).await;
        assert_eq!(found["results"], json!([]), "{db:?}: about is on level 2 by default, Ben is on 1");
        let id = sent["request_id"].as_str().expect("id");
        ok(&s, &anna.token, "POST", &format!("/a/ms/api/v1/contacts/requests/{id}/accept"), Some(json!({"level": 2})))
            .await;
        let found = ok(&s, &ben.token, "GET", "/a/ms/api/v1/members?q=quokkafreundin", None).await;
        assert_eq!(found["results"][0]["member_id"], anna.id.as_str(), "{db:?}");
        s.stop().await;
    }
}

/// A PNG of noise (so it does not compress) of about `width * height * 3` bytes.
pub(crate) fn noisy_png(width: u32, height: u32) -> Vec<u8> {
    let mut state = 0x2545_f491_u32;
    let img = image::RgbImage::from_fn(width, height, |_, _| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let [a, b, c, _] = state.to_le_bytes();
        image::Rgb([a, b, c])
    });
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("png");
    png
}

#[tokio::test]
async fn a_photo_straight_from_a_camera_is_stored_small_and_shown_only_where_allowed() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        let upload = noisy_png(1100, 700);
        assert!(upload.len() > 2 * 1024 * 1024, "bigger than the ordinary body limit");
        let response = s
            .client
            .put(s.url("/a/ms/api/v1/me/photo"))
            .bearer_auth(&anna.token)
            .header("content-type", "image/png")
            .body(upload)
            .send()
            .await
            .expect("put");
        assert_eq!(response.status(), 204, "{db:?}");
        let own = s.client.get(s.url("/a/ms/api/v1/me/photo")).bearer_auth(&anna.token).send().await.expect("get");
        assert_eq!(own.headers()["content-type"], "image/jpeg");
        let jpeg = own.bytes().await.expect("bytes");
        let stored = image::load_from_memory(&jpeg).expect("a JPEG");
        assert_eq!((stored.width(), stored.height()), (512, 326), "{db:?}");

        // Private by default in the MS example: Ben sees neither the field nor the image.
        let photo_path = format!("/a/ms/api/v1/members/{}/photo", anna.id);
        assert!(fields_seen(&s, &ben, &anna).await.get("photo").is_none(), "{db:?}");
        assert_eq!(call(&s, &ben.token, "GET", &photo_path, None).await.0, 404, "{db:?}");
        profile(&s, &anna, json!({"visibility": {"photo": 2}})).await;
        befriend(&s, &ben, 1, &anna, 2).await;
        let url = fields_seen(&s, &ben, &anna).await["photo"].as_str().expect("photo address").to_owned();
        assert!(url.starts_with(&photo_path), "{db:?}: {url}");
        let response = s.client.get(s.url(&url)).bearer_auth(&ben.token).send().await.expect("get");
        assert_eq!(response.status(), 200, "{db:?}");

        // Not an image, and too big even for a photo.
        let response = s
            .client
            .put(s.url("/a/ms/api/v1/me/photo"))
            .bearer_auth(&anna.token)
            .body("<svg onload=alert(1)>")
            .send()
            .await
            .expect("put");
        assert_eq!(api_error(response).await.0, 422);
        let response = s
            .client
            .put(s.url("/a/ms/api/v1/me/photo"))
            .bearer_auth(&anna.token)
            .body(vec![0u8; 9 * 1024 * 1024])
            .send()
            .await
            .expect("put");
        assert_eq!(api_error(response).await.0, 413);
        // Other endpoints keep the ordinary limit.
        let response = s
            .client
            .put(s.url("/a/ms/api/v1/me/profile"))
            .bearer_auth(&anna.token)
            .header("content-type", "application/json")
            .body(vec![b' '; 2 * 1024 * 1024])
            .send()
            .await
            .expect("put");
        assert_eq!(api_error(response).await.0, 413);
        let (status, _) = call(&s, &anna.token, "DELETE", "/a/ms/api/v1/me/photo", None).await;
        assert_eq!(status, 204);
        assert_eq!(call(&s, &ben.token, "GET", &photo_path, None).await.0, 404, "{db:?}");
        s.stop().await;
    }
}

#[tokio::test]
async fn accepting_a_disclosure_request_only_raises_and_requests_sent_at_once_stay_one() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        befriend(&s, &anna, 2, &ben, 2).await;
        let asked = ok(
            &s,
            &anna.token,
            "POST",
            &format!("/a/ms/api/v1/contacts/{}/disclosure-requests", ben.id),
            Some(json!({"level": 4})),
        )
        .await;
        let id = asked["request_id"].as_str().expect("request id").to_owned();
        let accept = format!("/a/ms/api/v1/disclosure-requests/{id}/accept");
        for level in [1, 2] {
            let (status, body) = call(&s, &ben.token, "POST", &accept, Some(json!({"level": level}))).await;
            assert_eq!((status, body["error"]["code"].as_str()), (422, Some("level_not_higher")), "{db:?}: {level}");
        }
        let contacts = ok(&s, &anna.token, "GET", "/a/ms/api/v1/contacts", None).await;
        assert_eq!(contacts["contacts"][0]["level_granted_to_me"], 2, "{db:?}: nothing changed");
        ok(&s, &ben.token, "POST", &accept, Some(json!({"level": 3}))).await;
        let contacts = ok(&s, &anna.token, "GET", "/a/ms/api/v1/contacts", None).await;
        assert_eq!(contacts["contacts"][0]["level_granted_to_me"], 3, "{db:?}: less than asked, more than before");

        // Two members asking each other at the same moment, and one asking
        // twice at once: one request stays open, the others get the 409 a
        // request sent after it gets.
        for round in 0..4 {
            let cleo = someone(&s, &ms, &format!("Cleo {round}")).await;
            let dan = someone(&s, &ms, &format!("Dan {round}")).await;
            let path = "/a/ms/api/v1/contacts/requests";
            let (a, b, c) = tokio::join!(
                call(&s, &cleo.token, "POST", path, Some(json!({"to": dan.id}))),
                call(&s, &dan.token, "POST", path, Some(json!({"to": cleo.id}))),
                call(&s, &cleo.token, "POST", path, Some(json!({"to": dan.id}))),
            );
            let statuses = [a.0, b.0, c.0];
            assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{db:?}: {statuses:?} {a:?} {b:?} {c:?}");
            for (status, body) in [a, b, c].into_iter().filter(|(status, _)| *status != 201) {
                assert_eq!(status, 409, "{db:?}: {body}");
                let code = body["error"]["code"].as_str().unwrap_or_default().to_owned();
                assert!(code == "request_pending" || code == "incoming_request_pending", "{db:?}: {code}");
            }
            let mine = ok(&s, &cleo.token, "GET", path, None).await;
            let theirs = ok(&s, &dan.token, "GET", path, None).await;
            let count = |v: &Value, side: &str| v[side].as_array().map_or(0, Vec::len);
            assert_eq!(count(&mine, "incoming") + count(&theirs, "incoming"), 1, "{db:?}: {mine} {theirs}");
        }
        s.stop().await;
    }
}

#[tokio::test]
async fn a_condition_form_belongs_to_the_condition_it_is_a_form_of() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna").await;
        consent(&s, &anna).await;
        let put = |body: Value| call(&s, &anna.token, "PUT", "/a/ms/api/v1/me/profile", Some(body));
        let (status, body) = put(json!({"fields": {"condition": "nmosd", "condition_form": "rrms"}})).await;
        assert_eq!(status, 422, "{db:?}: {body}");
        assert!(body["error"]["fields"]["fields.condition_form"].is_string(), "{db:?}: {body}");

        let me = profile(&s, &anna, json!({"fields": {"condition": "ms", "condition_form": "rrms"}})).await;
        assert_eq!(me["profile"]["condition_form"], "rrms", "{db:?}: {me}");
        // The same condition again keeps the form; another one takes it away.
        let me = profile(&s, &anna, json!({"fields": {"condition": "ms"}})).await;
        assert_eq!(me["profile"]["condition_form"], "rrms", "{db:?}: {me}");
        let me = profile(&s, &anna, json!({"fields": {"condition": "nmosd"}})).await;
        assert_eq!(me["profile"].get("condition_form"), None, "{db:?}: {me}");
        assert_eq!(me["profile"]["condition"], "nmosd", "{db:?}: {me}");

        profile(&s, &anna, json!({"fields": {"condition": "ms", "condition_form": "spms"}})).await;
        let me = profile(&s, &anna, json!({"fields": {"condition": null}})).await;
        assert_eq!(me["profile"].get("condition_form"), None, "{db:?}: no condition, no form: {me}");
        assert_eq!(me["profile"].get("condition"), None, "{db:?}: {me}");
        s.stop().await;
    }
}
