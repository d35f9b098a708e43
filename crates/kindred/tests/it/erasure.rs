//! Erasure, consents and retention (issue 20, parts 2–4), on both
//! databases: after a member erases their account nothing of them is
//! found — not in any table, not in the SQLite files (WAL included), not by
//! id, pseudonym, search, mention or notification; the pseudonym is held
//! back for the grace period; retention warns, then erases, on time.

use crate::admission;
use crate::forum_search::Browser;
use crate::harness::{api_error, token_in, TestServer, BOTH};
use crate::members::{befriend, call, consent, ok, profile, someone, Someone, PASSWORD};
use chrono::Duration;
use kindred_service::{jobs, Association};
use serde_json::{json, Value};
use std::collections::BTreeSet;

fn api(path: &str) -> String {
    format!("/a/ms/api/v1{path}")
}

async fn admin(s: &TestServer, ms: &Association) -> Someone {
    let id = s.user(ms, "admin@example.org", "Admina", "admin").await;
    let token = s.login_staff(ms, "admin@example.org").await;
    Someone { id, token }
}

async fn category(s: &TestServer, admin: &Someone) -> String {
    let body = json!({"name": "Talk", "description": "Talk", "anonymous_allowed": true, "ask_professional": false});
    ok(s, &admin.token, "POST", &api("/forum/categories"), Some(body)).await["category_id"]
        .as_str()
        .expect("category id")
        .to_owned()
}

async fn topic(s: &TestServer, who: &Someone, category: &str, title: &str, body: &str, anonymous: bool) -> String {
    let request = json!({"category_id": category, "title": title, "body": body, "anonymous": anonymous});
    ok(s, &who.token, "POST", &api("/forum/topics"), Some(request)).await["topic_id"]
        .as_str()
        .expect("topic id")
        .to_owned()
}

async fn reply(s: &TestServer, who: &Someone, topic: &str, body: &str, anonymous: bool) -> String {
    let request = json!({"body": body, "anonymous": anonymous});
    ok(s, &who.token, "POST", &api(&format!("/forum/topics/{topic}/posts")), Some(request)).await["post_id"]
        .as_str()
        .expect("post id")
        .to_owned()
}

async fn erase(s: &TestServer, who: &Someone, password: &str, posts: &str) -> reqwest::Response {
    s.client
        .delete(s.url(&api("/me")))
        .bearer_auth(&who.token)
        .json(&json!({"password": password, "posts": posts}))
        .send()
        .await
        .expect("delete /me")
}

/// Whether a mail to `to` says `words`, waiting up to five seconds (mail
/// goes out in the background).
async fn mail_saying(s: &TestServer, to: &str, words: &str) -> bool {
    for _ in 0..100 {
        if s.mails_to(to, 0).await.iter().any(|m| m.contains(words)) {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    false
}

/// Words only Erin wrote, each in one place.
const ERIN_WORDS: [&str; 6] =
    ["Xylophonwiese", "Quappenteich", "Murmelbahnhof", "Zaunkoenigin", "Wolkenschieber", "Glimmstengelei"];

#[tokio::test]
async fn after_erasure_nothing_of_the_member_is_found_anywhere() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let boss = admin(&s, &ms).await;
        let talk = category(&s, &boss).await;
        let erin = someone(&s, &ms, "Erin Quasar").await;
        let bob = someone(&s, &ms, "Bob Builder").await;
        let organiser = someone(&s, &ms, "Orga Nisa").await;

        // Erin's profile with a health field, searchable and discoverable.
        consent(&s, &erin).await;
        profile(
            &s,
            &erin,
            json!({"fields": {"about": format!("Ich mag {}", ERIN_WORDS[0]), "city": ERIN_WORDS[1]},
                   "visibility": {"about": 2, "city": 2}, "discoverable": true}),
        )
        .await;
        befriend(&s, &erin, 2, &bob, 2).await;

        // Forum: her own topic with a reply of Bob's, her reply in Bob's
        // topic, an anonymous reply.
        let hers = topic(&s, &erin, &talk, ERIN_WORDS[2], "Mein erster Beitrag", false).await;
        reply(&s, &bob, &hers, "Bob antwortet hier", false).await;
        let bobs = topic(&s, &bob, &talk, "Bobs Frage", "Was meint ihr?", false).await;
        reply(&s, &erin, &bobs, &format!("Meine Antwort: {}", ERIN_WORDS[3]), false).await;
        reply(&s, &erin, &bobs, &format!("Anonym: {}", ERIN_WORDS[4]), true).await;

        // A conversation with Bob alone, and one of three.
        let started = ok(
            &s,
            &erin.token,
            "POST",
            &api("/conversations"),
            Some(json!({"members": [bob.id], "message": ERIN_WORDS[5]})),
        )
        .await;
        let pair = started["conversation_id"].as_str().expect("conversation").to_owned();
        ok(&s, &bob.token, "POST", &api(&format!("/conversations/{pair}/messages")), Some(json!({"body": "Hallo"})))
            .await;

        // An event with one place: Erin has it, Bob waits.
        let event = ok(
            &s,
            &organiser.token,
            "POST",
            &api("/events"),
            Some(json!({"title": "Treffen", "description": "Runde", "starts_at": "2027-01-12T18:00",
                        "ends_at": "2027-01-12T20:00", "mode": "online", "online_url": "https://meet.example.org/x",
                        "capacity": 1})),
        )
        .await["event_id"]
            .as_str()
            .expect("event")
            .to_owned();
        let registration = api(&format!("/events/{event}/registration"));
        assert_eq!(ok(&s, &erin.token, "POST", &registration, None).await["status"], "registered");
        assert_eq!(ok(&s, &bob.token, "POST", &registration, None).await["status"], "waitlisted");

        // A wrong password refuses, and changes nothing.
        let (status, code) = api_error(erase(&s, &erin, "not my password", "delete").await).await;
        assert_eq!((status, code.as_str()), (422, "invalid_fields"), "{db:?}");
        let (status, code) = api_error(erase(&s, &erin, PASSWORD, "shred").await).await;
        assert_eq!((status, code.as_str()), (422, "invalid_fields"), "{db:?}");
        assert_eq!(call(&s, &erin.token, "GET", &api("/me"), None).await.0, 200);

        let answer = erase(&s, &erin, PASSWORD, "delete").await;
        assert_eq!(answer.status(), 202, "{db:?}");

        // Every session ended; signing in is over too.
        assert_eq!(call(&s, &erin.token, "GET", &api("/me"), None).await.0, 401, "{db:?}");
        let login =
            s.post_json(&api("/auth/login"), json!({"email": "erin.quasar@example.org", "password": PASSWORD})).await;
        assert_eq!(login.status(), 401);

        // Not by id, not by pseudonym, not in search, not in contacts.
        assert_eq!(call(&s, &bob.token, "GET", &api(&format!("/members/{}", erin.id)), None).await.0, 404);
        let found = ok(&s, &bob.token, "GET", &api("/members?q=Erin"), None).await;
        assert_eq!(found["results"], json!([]), "{db:?}");
        let found = ok(&s, &bob.token, "GET", &api(&format!("/members?q={}", ERIN_WORDS[1])), None).await;
        assert_eq!(found["results"], json!([]), "{db:?}");
        assert_eq!(ok(&s, &bob.token, "GET", &api("/contacts"), None).await["contacts"], json!([]));
        for word in &ERIN_WORDS[2..5] {
            let hits = ok(&s, &bob.token, "GET", &api(&format!("/search?q={word}")), None).await;
            assert!(!hits.to_string().contains(word), "{db:?}: {word} still found: {hits}");
        }
        // Bob's notifications named nobody who is gone.
        let notes = ok(&s, &bob.token, "GET", &api("/notifications"), None).await;
        assert!(!notes.to_string().contains("Erin"), "{db:?}: {notes}");
        // The conversation of two is gone for Bob too.
        assert_eq!(call(&s, &bob.token, "GET", &api(&format!("/conversations/{pair}/messages")), None).await.0, 404);
        // The topic she opened stays for Bob's reply, without her words.
        let thread = ok(&s, &bob.token, "GET", &api(&format!("/forum/topics/{hers}")), None).await;
        let text = thread.to_string();
        assert!(!text.contains(ERIN_WORDS[2]) && !text.contains("Mein erster Beitrag"), "{db:?}: {text}");
        assert!(text.contains("Bob antwortet hier"), "{db:?}");
        // Bob moved up from the waiting list and was told.
        let seen = ok(&s, &bob.token, "GET", &api(&format!("/events/{event}")), None).await;
        assert_eq!(seen["my_status"], "registered", "{db:?}");
        assert!(
            mail_saying(&s, "bob.builder@example.org", "Ein Platz wurde für Sie frei").await,
            "{db:?}: Bob was told"
        );

        // Nothing in any table or file: e-mail, pseudonym, her words.
        let dump = s.dump().await.to_lowercase();
        for needle in ["erin.quasar@example.org", "erin quasar"].iter().chain(ERIN_WORDS.iter()) {
            assert!(!dump.contains(&needle.to_lowercase()), "{db:?}: {needle} is still in the database");
        }
        // The audit log says an account was erased, not whose.
        let entries = ok(&s, &boss.token, "GET", &api("/admin/audit-log"), None).await;
        let erased: Vec<&Value> = entries["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .filter(|e| e["action"] == "account.erased")
            .collect();
        assert_eq!(erased.len(), 1, "{db:?}: {entries}");
        assert!(!erased[0].to_string().contains(&erin.id), "{db:?}");
        s.stop().await;
    }
}

#[tokio::test]
async fn kept_posts_show_a_former_member_and_mentions_become_plain_text() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let boss = admin(&s, &ms).await;
        let talk = category(&s, &boss).await;
        let erin = someone(&s, &ms, "Erinka").await;
        let bob = someone(&s, &ms, "Bob Builder").await;
        let bobs = topic(&s, &bob, &talk, "Bobs Frage", "Was meint ihr?", false).await;
        let kept = reply(&s, &erin, &bobs, "Diese Worte bleiben stehen", false).await;
        reply(&s, &bob, &bobs, "Danke @Erinka!", false).await;
        let before = ok(&s, &bob.token, "GET", &api(&format!("/forum/topics/{bobs}")), None).await;
        assert!(before.to_string().contains("class=\\\"mention\\\""), "{db:?}: a mention at first: {before}");

        assert_eq!(erase(&s, &erin, PASSWORD, "anonymise").await.status(), 202, "{db:?}");

        let thread = ok(&s, &bob.token, "GET", &api(&format!("/forum/topics/{bobs}")), None).await;
        let posts = thread["posts"].as_array().expect("posts");
        let post = posts.iter().find(|p| p["post_id"] == kept.as_str()).expect("the kept post");
        assert!(post["html"].as_str().unwrap_or_default().contains("Diese Worte bleiben stehen"), "{db:?}");
        assert!(post.get("author").is_none(), "{db:?}: no author: {post}");
        assert!(!thread.to_string().contains(&erin.id), "{db:?}");
        assert!(!thread.to_string().contains("class=\\\"mention\\\""), "{db:?}: the mention is plain text");
        // The page says "former member", with no link.
        let browser = Browser::sign_in(&s, "bob.builder@example.org").await;
        let (status, html) = browser.get(&format!("/a/ms/forum/topics/{bobs}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("Ehemaliges Mitglied"), "{db:?}: the association speaks German");
        assert!(!html.contains(&format!("/members/{}", erin.id)), "{db:?}");
        // Neither her address nor her account row is left.
        let dump = s.dump().await.to_lowercase();
        assert!(!dump.contains("erinka@example.org"), "{db:?}");
        s.stop().await;
    }
}

#[tokio::test]
async fn the_pseudonym_is_held_back_for_the_grace_period_then_free() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let erin = someone(&s, &ms, "Erin Quasar").await;
        assert_eq!(erase(&s, &erin, PASSWORD, "delete").await.status(), 202);
        let grace = ms.settings.data.pseudonym_grace_days;
        assert_eq!(grace, 90, "the default");

        // A new registrant asks for the same pseudonym: held back.
        admission::register(&s, "ms", "copy@example.org", "Erin Quasar").await;
        let mail = s.mails_to("copy@example.org", 1).await.pop().expect("mail");
        let confirmed = s.post_json(&api("/auth/confirm-email"), json!({"token": token_in(&mail)})).await;
        let confirmed: Value = confirmed.json().await.expect("json");
        assert_eq!(confirmed["pseudonym_needed"], true, "{db:?}: {confirmed}");

        // After the grace period it may be taken again.
        s.clock.advance(Duration::days(i64::from(grace)) + Duration::hours(1));
        admission::register(&s, "ms", "later@example.org", "Erin Quasar").await;
        let mail = s.mails_to("later@example.org", 1).await.pop().expect("mail");
        let confirmed = s.post_json(&api("/auth/confirm-email"), json!({"token": token_in(&mail)})).await;
        let confirmed: Value = confirmed.json().await.expect("json");
        assert_eq!(confirmed["pseudonym_needed"], false, "{db:?}: {confirmed}");
        s.stop().await;
    }
}

#[tokio::test]
async fn an_association_without_the_choice_refuses_anonymise() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let strict = s.association("strict", "Strict", "[data]\nanonymise_allowed = false\n").await;
        s.member(&strict, "erin@example.org", "Erin Quasar", PASSWORD).await;
        let token = s.login("strict", "erin@example.org", PASSWORD).await;
        let erin = Someone { id: String::new(), token };
        let response = s
            .client
            .delete(s.url("/a/strict/api/v1/me"))
            .bearer_auth(&erin.token)
            .json(&json!({"password": PASSWORD, "posts": "anonymise"}))
            .send()
            .await
            .expect("delete");
        let (status, code) = api_error(response).await;
        assert_eq!((status, code.as_str()), (422, "invalid_fields"), "{db:?}");
        let (status, _) = call(&s, &erin.token, "GET", "/a/strict/api/v1/me", None).await;
        assert_eq!(status, 200, "{db:?}: nothing happened");
        s.stop().await;
    }
}

#[tokio::test]
async fn every_table_is_named_by_the_erasure() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let schema: BTreeSet<String> =
            s.kindred.store.schema().await.expect("schema").into_iter().map(|(table, _)| table).collect();
        let named: BTreeSet<String> =
            kindred_service::erasure::TABLES.iter().map(|(table, _)| (*table).to_owned()).collect();
        let unnamed: Vec<&String> = schema.difference(&named).collect();
        let gone: Vec<&String> = named.difference(&schema).collect();
        assert!(unnamed.is_empty(), "{db:?}: tables the erasure does not name (service::erasure::TABLES): {unnamed:?}");
        assert!(gone.is_empty(), "{db:?}: named tables that do not exist: {gone:?}");
        s.stop().await;
    }
}

#[tokio::test]
async fn the_pages_erase_after_a_confirmation_step() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let erin = someone(&s, &ms, "Erin Quasar").await;
        let browser = Browser::sign_in(&s, "erin.quasar@example.org").await;
        let (status, html) = browser.get("/a/ms/account").await;
        assert_eq!(status, 200);
        assert!(html.contains("/a/ms/account/delete") && html.contains("/a/ms/account/consents"), "{db:?}");
        let (status, html) = browser.get("/a/ms/account/delete").await;
        assert_eq!(status, 200);
        assert!(html.contains("name=\"posts\" value=\"anonymise\""), "{db:?}");
        // Without a choice: back to the form, nothing erased.
        let (status, _) = browser.get("/a/ms/account/delete/confirm").await;
        assert_eq!(status, 422);
        let (status, html) = browser.get("/a/ms/account/delete/confirm?posts=delete").await;
        assert_eq!(status, 200);
        assert!(html.contains("type=\"password\""), "{db:?}");
        // A wrong password: the form again.
        let (status, _) =
            browser.post("/a/ms/account/delete/confirm", &[("posts", "delete"), ("password", "wrong one")]).await;
        assert_eq!(status, 422, "{db:?}");
        assert_eq!(call(&s, &erin.token, "GET", &api("/me"), None).await.0, 200);
        // A post from elsewhere (no CSRF token) is refused.
        let forged = s
            .client
            .post(s.url("/a/ms/account/delete/confirm"))
            .header("cookie", &browser.cookie)
            .form(&[("posts", "delete"), ("password", PASSWORD)])
            .send()
            .await
            .expect("post");
        assert_eq!(forged.status(), 403, "{db:?}");
        let (status, location) =
            browser.post("/a/ms/account/delete/confirm", &[("posts", "delete"), ("password", PASSWORD)]).await;
        assert_eq!((status, location.as_str()), (303, "/a/ms/account/deleted"), "{db:?}");
        assert_eq!(call(&s, &erin.token, "GET", &api("/me"), None).await.0, 401, "{db:?}: the API token ended too");
        let (status, _) = browser.get("/a/ms/account").await;
        assert_ne!(status, 200, "{db:?}: the page session ended");
        let (status, html) = browser.get("/a/ms/account/deleted").await;
        assert_eq!(status, 200);
        assert!(!html.contains("Erin"), "{db:?}");
        s.stop().await;
    }
}

#[tokio::test]
async fn withdrawing_health_consent_on_the_page_erases_health_fields_and_their_search_terms() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let erin = someone(&s, &ms, "Erin Quasar").await;
        let bob = someone(&s, &ms, "Bob Builder").await;
        consent(&s, &erin).await;
        profile(
            &s,
            &erin,
            json!({"fields": {"about": "Aquarelle und Zaunkoenige"}, "visibility": {"about": 1}, "discoverable": true}),
        )
        .await;
        let found = ok(&s, &bob.token, "GET", &api("/members?q=Zaunkoenige"), None).await;
        assert_eq!(found["results"].as_array().map(Vec::len), Some(1), "{db:?}: found by the health field first");

        let browser = Browser::sign_in(&s, "erin.quasar@example.org").await;
        let (status, html) = browser.get("/a/ms/account/consents").await;
        assert_eq!(status, 200);
        assert!(html.contains("Speichern Ihrer Gesundheitsangaben"), "{db:?}");
        let (status, location) = browser.post("/a/ms/account/consents/health/withdraw", &[]).await;
        assert_eq!((status, location.as_str()), (303, "/a/ms/account/consents?done=withdrawn"), "{db:?}");

        let me = ok(&s, &erin.token, "GET", &api("/me"), None).await;
        assert!(!me.to_string().contains("Aquarelle"), "{db:?}: {me}");
        let found = ok(&s, &bob.token, "GET", &api("/members?q=Zaunkoenige"), None).await;
        assert_eq!(found["results"], json!([]), "{db:?}");
        let (_, html) = browser.get("/a/ms/account/consents").await;
        assert!(!html.contains("Speichern Ihrer Gesundheitsangaben"), "{db:?}");
        s.stop().await;
    }
}

fn retention_job() -> jobs::Job {
    jobs::all().into_iter().find(|job| job.name == "retention").expect("the retention job")
}

#[tokio::test]
async fn retention_warns_inactive_members_then_erases_those_who_did_not_sign_in() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let toml = "[data]\ninactive_months = 2\ninactive_warning_days = 7\nunconfirmed_days = 3\n";
        let a = s.association("keep", "Keep", toml).await;
        s.member(&a, "idle@example.org", "Idle Ida", PASSWORD).await;
        s.member(&a, "back@example.org", "Back Bert", PASSWORD).await;
        s.login("keep", "idle@example.org", PASSWORD).await;
        s.login("keep", "back@example.org", PASSWORD).await;
        admission::register(&s, "keep", "never@example.org", "Never Confirmed").await;
        let job = retention_job();

        // Not yet: nothing happens.
        s.clock.advance(Duration::days(40));
        jobs::run_once(&s.kindred, &job, "node").await.expect("run");
        assert_eq!(s.count_rows("members").await, 2, "{db:?}: the unconfirmed registration is erased after 3 days");

        // Two months less a week: both are warned, once.
        s.clock.advance(Duration::days(15));
        jobs::run_once(&s.kindred, &job, "node").await.expect("run");
        jobs::run_once(&s.kindred, &job, "node").await.expect("run again");
        let mails = s.mails_to("idle@example.org", 1).await;
        assert_eq!(mails.len(), 1, "{db:?}: warned once");
        assert!(mails[0].contains("will be erased"), "{db:?}: {}", mails[0]);
        s.mails_to("back@example.org", 1).await;

        // Bert signs in; a week later Ida is erased, Bert is not.
        s.login("keep", "back@example.org", PASSWORD).await;
        s.clock.advance(Duration::days(8));
        jobs::run_once(&s.kindred, &job, "node").await.expect("run");
        assert_eq!(s.count_rows("members").await, 1, "{db:?}");
        let login =
            s.post_json("/a/keep/api/v1/auth/login", json!({"email": "back@example.org", "password": PASSWORD}));
        assert_eq!(login.await.status(), 200, "{db:?}");
        let login =
            s.post_json("/a/keep/api/v1/auth/login", json!({"email": "idle@example.org", "password": PASSWORD}));
        assert_eq!(login.await.status(), 401, "{db:?}");
        let dump = s.dump().await;
        assert!(!dump.contains("idle@example.org") && !dump.contains("never@example.org"), "{db:?}");
        s.stop().await;
    }
}

#[tokio::test]
async fn retention_never_erases_staff_while_they_hold_a_staff_role() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let toml = "[data]\ninactive_months = 2\ninactive_warning_days = 7\n";
        let a = s.association("keep", "Keep", toml).await;
        s.user(&a, "boss@example.org", "Boss", "admin").await;
        let moderator = s.user(&a, "mod@example.org", "Moda", "moderator").await;
        s.user(&a, "pro@example.org", "Profi", "professional").await;
        s.member(&a, "idle@example.org", "Idle Ida", PASSWORD).await;
        let job = retention_job();

        // Long past every deadline: the member is warned, then erased; the
        // staff are neither (the association keeps its only admin).
        s.clock.advance(Duration::days(70));
        jobs::run_once(&s.kindred, &job, "node").await.expect("run");
        assert!(mail_saying(&s, "idle@example.org", "will be erased").await, "{db:?}");
        s.clock.advance(Duration::days(8));
        jobs::run_once(&s.kindred, &job, "node").await.expect("run");
        assert_eq!(s.count_rows("members").await, 3, "{db:?}: only the member is erased");
        for staff in ["boss@example.org", "mod@example.org", "pro@example.org"] {
            assert!(s.mails_to(staff, 0).await.is_empty(), "{db:?}: {staff} is not warned of an erasure");
        }
        s.clock.advance(Duration::days(400));
        jobs::run_once(&s.kindred, &job, "node").await.expect("run");
        assert_eq!(s.count_rows("members").await, 3, "{db:?}: still kept a year later");

        // The moderator's role is taken away: from then on a member like
        // any other, warned afresh before being erased.
        let id = kindred_domain::MemberId::parse(&moderator).expect("id");
        let changed =
            s.kindred.store.set_role(&a.id, &id, kindred_domain::AccountRole::Member, None).await.expect("role");
        assert!(changed, "{db:?}");
        jobs::run_once(&s.kindred, &job, "node").await.expect("run");
        assert_eq!(s.count_rows("members").await, 3, "{db:?}: not erased without a warning");
        assert!(mail_saying(&s, "mod@example.org", "will be erased").await, "{db:?}");
        s.clock.advance(Duration::days(8));
        jobs::run_once(&s.kindred, &job, "node").await.expect("run");
        assert_eq!(s.count_rows("members").await, 2, "{db:?}: the former moderator is erased after the warning");
        let login = s.post_json(
            "/a/keep/api/v1/auth/login",
            json!({"email": "boss@example.org", "password": crate::harness::STAFF_PASSWORD}),
        );
        assert_eq!(login.await.status(), 200, "{db:?}: the admin is still there");
        s.stop().await;
    }
}
