//! The member's data export and access log (issue 20, parts 1 and 5):
//! the ZIP holds my hidden fields and my anonymous writing, and of others
//! only what they show me now (two worlds that differ in a field hidden
//! from me give the same export); the download works once, for me only,
//! until it expires; a crash leaves nothing stuck; the access log lists
//! staff views of my admission data and nothing else.

use crate::admission::unverified;
use crate::harness::{api_error, TestServer, BOTH};
use crate::members::{befriend, call, consent, ok, profile, someone, Someone};
use kindred_domain::MemberId;
use kindred_service::jobs::{self, Outcome};
use kindred_service::Clock;
use serde_json::{json, Value};
use std::io::Read;

fn api(path: &str) -> String {
    format!("/a/ms/api/v1{path}")
}

/// Asks for an export; its id.
async fn request(s: &TestServer, who: &Someone) -> String {
    let r = s.client.post(s.url(&api("/me/export"))).bearer_auth(&who.token).send().await.expect("post");
    assert_eq!(r.status(), 202);
    let body: Value = r.json().await.expect("json");
    body["export_id"].as_str().expect("export_id").to_owned()
}

/// Waits (without downloading) until the background build is done.
async fn wait_built(s: &TestServer, association: &kindred_domain::AssociationId, who: &Someone, id: &str) {
    let member = MemberId::parse(&who.id).expect("member id");
    for _ in 0..200 {
        let row = s.kindred.store.export_of(association, &member, id).await.expect("row").expect("export row");
        if row.ready_at.is_some() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the export {id} was not built");
}

async fn download(s: &TestServer, who: &Someone, id: &str) -> reqwest::Response {
    s.client.get(s.url(&api(&format!("/me/exports/{id}")))).bearer_auth(&who.token).send().await.expect("get")
}

/// The files of the ZIP: data.json parsed, index.html, and the names.
struct Unzipped {
    data: Value,
    html: String,
    names: Vec<String>,
}

async fn export_of(s: &TestServer, association: &kindred_domain::AssociationId, who: &Someone) -> Unzipped {
    let id = request(s, who).await;
    wait_built(s, association, who, &id).await;
    let r = download(s, who, &id).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/zip");
    let bytes = r.bytes().await.expect("bytes").to_vec();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP");
    let names: Vec<String> = zip.file_names().map(str::to_owned).collect();
    let mut read = |name: &str| {
        let mut file = zip.by_name(name).expect(name);
        assert_eq!(file.compression(), zip::CompressionMethod::Deflated, "{name} is deflated");
        let mut text = String::new();
        file.read_to_string(&mut text).expect("utf-8");
        text
    };
    let json = read("data.json");
    let html = read("index.html");
    Unzipped { data: serde_json::from_str(&json).expect("data.json"), html, names }
}

async fn anonymous_category(s: &TestServer, admin: &str) -> String {
    let body = json!({"name": "Anonym", "description": "Talk", "anonymous_allowed": true, "ask_professional": false});
    let (status, value) = call(s, admin, "POST", &api("/forum/categories"), Some(body)).await;
    assert_eq!(status, 201, "{value}");
    value["category_id"].as_str().expect("category id").to_owned()
}

async fn anonymous_topic(s: &TestServer, who: &Someone, category: &str, body: &str) {
    let request = json!({"category_id": category, "title": "Ohne Namen", "body": body, "anonymous": true});
    let (status, value) = call(s, &who.token, "POST", &api("/forum/topics"), Some(request)).await;
    assert_eq!(status, 201, "{value}");
}

#[tokio::test]
async fn the_export_holds_my_hidden_data_and_of_others_only_what_they_show_me() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.user(&ms, "admin@example.org", "Admina", "admin").await;
        let admin = s.login_staff(&ms, "admin@example.org").await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        consent(&s, &anna).await;
        consent(&s, &ben).await;
        profile(
            &s,
            &anna,
            json!({"fields": {"about": "ANNA-PRIVATE-ABOUT", "city": "Kiel"}, "visibility": {"about": "private"}}),
        )
        .await;
        profile(
            &s,
            &ben,
            json!({"fields": {"about": "BEN-HIDDEN-ABOUT", "city": "Bonn"}, "visibility": {"about": 4, "city": 2}}),
        )
        .await;
        // Ben places Anna on level 2: she sees his city, not his about-me.
        befriend(&s, &anna, 2, &ben, 2).await;
        let quiet = anonymous_category(&s, &admin).await;
        anonymous_topic(&s, &anna, &quiet, "ANNA-ANONYMOUS-WORDS").await;
        anonymous_topic(&s, &ben, &quiet, "BEN-ANONYMOUS-WORDS").await;

        let export = export_of(&s, &ms.id, &anna).await;
        let data = &export.data;
        let all = data.to_string();
        assert_eq!(data["account"]["email"], "anna@example.org", "{db:?}");
        assert_eq!(data["account"]["pseudonym"], "Anna");
        let about = data["profile"].as_array().unwrap().iter().find(|f| f["field"] == "about").expect("about");
        assert_eq!(
            (about["value"].as_str(), about["visibility"].as_str()),
            (Some("ANNA-PRIVATE-ABOUT"), Some("private"))
        );
        assert!(data["consents"].as_array().unwrap().iter().any(|c| c["kind"] == "health_data"));
        let contacts = data["contacts"].as_array().unwrap();
        assert_eq!(contacts.len(), 1, "{db:?}: {all}");
        assert_eq!(contacts[0]["pseudonym"], "Ben");
        assert_eq!(contacts[0]["profile_shown_to_me"]["city"], "Bonn");
        assert!(contacts[0]["profile_shown_to_me"].get("about").is_none());
        let posts = data["posts"].as_array().unwrap();
        assert!(posts.iter().any(|p| p["body"] == "ANNA-ANONYMOUS-WORDS" && p["anonymous"] == true), "{all}");
        assert!(data["contact_requests"].is_array() && data["blocks"].is_array());
        assert!(!data["sessions"].as_array().unwrap().is_empty());
        for other in ["BEN-HIDDEN-ABOUT", "BEN-ANONYMOUS-WORDS", "ben@example.org", &ben.id] {
            assert!(!all.contains(other), "{db:?}: {other} in {all}");
            assert!(!export.html.contains(other), "{db:?}: {other} in index.html");
        }
        // The readable copy: a language (Anna chose none: the association's
        // default, German), headings, captioned tables, no script.
        assert!(export.html.starts_with("<!DOCTYPE html>"));
        assert!(export.html.contains("<html lang=\"de\">") && export.html.contains("<caption>"), "{db:?}");
        assert!(export.html.contains("ANNA-PRIVATE-ABOUT"));
        assert!(!export.html.contains("<script") && !export.html.contains("style="));
        assert!(!export.names.contains(&"photo.jpg".to_owned()), "no photo, no file");

        // Ben's export holds his own anonymous topic and not Anna's.
        let bens = export_of(&s, &ms.id, &ben).await.data.to_string();
        assert!(bens.contains("BEN-ANONYMOUS-WORDS") && bens.contains("BEN-HIDDEN-ABOUT"));
        assert!(!bens.contains("ANNA-ANONYMOUS-WORDS") && !bens.contains("ANNA-PRIVATE-ABOUT"), "{db:?}");
        s.stop().await;
    }
}

#[tokio::test]
async fn a_field_hidden_from_me_does_not_change_my_export() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna").await;
        let cara = someone(&s, &ms, "Cara").await;
        consent(&s, &anna).await;
        profile(
            &s,
            &anna,
            json!({"fields": {"about": "WORLD-A", "city": "Kiel"}, "visibility": {"about": 3, "city": 2}}),
        )
        .await;
        befriend(&s, &cara, 2, &anna, 2).await;
        let before = export_of(&s, &ms.id, &cara).await;
        assert!(before.data.to_string().contains("Kiel"), "{db:?}: the visible city is there");

        // World B: Anna's about-me, hidden from Cara, changes value and level.
        profile(&s, &anna, json!({"fields": {"about": "WORLD-B"}, "visibility": {"about": "private"}})).await;
        let after = export_of(&s, &ms.id, &cara).await;
        assert_eq!(before.data, after.data, "{db:?}: data.json is the same in both worlds");
        assert_eq!(before.html, after.html, "{db:?}: index.html is the same in both worlds");
        s.stop().await;
    }
}

#[tokio::test]
async fn an_export_downloads_once_for_its_member_until_it_expires() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;

        let id = request(&s, &anna).await;
        wait_built(&s, &ms.id, &anna, &id).await;
        // Another member's id is unknown to Ben, as an id never given out.
        assert_eq!(api_error(download(&s, &ben, &id).await).await, (404, "not_found".to_owned()), "{db:?}");
        assert_eq!(api_error(download(&s, &ben, "nosuchexport").await).await.0, 404);
        assert_eq!(download(&s, &anna, &id).await.status(), 200);
        assert_eq!(api_error(download(&s, &anna, &id).await).await.0, 404, "{db:?}: a second download");

        // Built but not fetched in time: gone.
        let late = request(&s, &anna).await;
        assert_ne!(late, id);
        wait_built(&s, &ms.id, &anna, &late).await;
        s.clock.advance(chrono::Duration::hours(49));
        assert_eq!(api_error(download(&s, &anna, &late).await).await.0, 404, "{db:?}: expired");
        let job = jobs::all().into_iter().find(|j| j.name == "exports").expect("the exports job");
        assert!(matches!(jobs::run_once(&s.kindred, &job, "node-a").await.expect("run"), Outcome::Ran(n) if n >= 2));
        assert_eq!(s.count_rows("exports").await, 0, "{db:?}: expired exports are deleted, ZIP and all");

        // A build a crash left undone (a row and no ZIP): the job builds it.
        let member = MemberId::parse(&anna.id).expect("id");
        s.kindred.store.insert_export(&ms.id, "crashedexport", &member, s.clock.now()).await.expect("row");
        let r = download(&s, &anna, "crashedexport").await;
        assert_eq!(r.status(), 202, "{db:?}: still being built");
        assert_eq!(r.json::<Value>().await.expect("json")["status"], "building");
        assert!(matches!(jobs::run_once(&s.kindred, &job, "node-a").await.expect("run"), Outcome::Ran(1)));
        assert_eq!(download(&s, &anna, "crashedexport").await.status(), 200, "{db:?}");
        s.stop().await;
    }
}

#[tokio::test]
async fn the_access_log_lists_staff_views_of_my_data_by_role_only() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.user(&ms, "admin@example.org", "Admina", "admin").await;
        let rita = unverified(&s, "ms", "rita@example.org", "Rita").await;
        let ben = someone(&s, &ms, "Ben").await;
        let before = s.get_as(&rita, &api("/me/access-log")).await;
        assert_eq!(before["entries"], json!([]), "{db:?}");

        let admin = s.login_staff(&ms, "admin@example.org").await;
        let queue = s.get_as(&admin, &api("/admin/verifications")).await;
        assert_eq!(queue["pending"].as_array().unwrap().len(), 1);

        let log = s.get_as(&rita, &api("/me/access-log")).await;
        let entries = log["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 1, "{db:?}: {log}");
        assert_eq!(entries[0]["action"], "verification.viewed");
        assert_eq!(entries[0]["actor_role"], "admin");
        assert!(entries[0]["at"].as_str().is_some_and(|t| t.ends_with('Z')));
        let text = log.to_string();
        assert!(!text.contains("Admina") && !text.contains("admin@example.org"), "{db:?}: not who: {text}");
        // Not an access to Ben: nothing in his.
        assert_eq!(ok(&s, &ben.token, "GET", &api("/me/access-log"), None).await["entries"], json!([]), "{db:?}");
        let anonymous = s.get(&api("/me/access-log")).await;
        assert_eq!(api_error(anonymous).await.0, 401);
        s.stop().await;
    }
}

#[tokio::test]
async fn the_readable_page_is_in_the_members_language_and_data_json_stays_english() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        ok(&s, &anna.token, "PUT", &api("/me/preferences"), Some(json!({"language": "en"}))).await;
        ok(&s, &ben.token, "PUT", &api("/me/preferences"), Some(json!({"language": "de"}))).await;

        let english = export_of(&s, &ms.id, &anna).await;
        assert!(english.html.contains("<html lang=\"en\">"), "{db:?}");
        assert!(english.html.contains("<h1>Your data</h1>"), "{db:?}");
        assert!(english.html.contains("Can be found in search"), "{db:?}: keys in words");

        let german = export_of(&s, &ms.id, &ben).await;
        assert!(german.html.contains("<html lang=\"de\">"), "{db:?}: {}", german.html);
        assert!(german.html.contains("<h1>Ihre Daten</h1>"), "{db:?}");
        assert!(german.html.contains("<caption>Konto</caption>"), "{db:?}");
        assert!(german.html.contains("In der Suche auffindbar"), "{db:?}");
        assert!(!german.html.contains("Your data"), "{db:?}");
        // data.json is the same structure, English keys, whatever the language.
        let keys = |v: &Value| v["account"].as_object().map(|o| o.keys().cloned().collect::<Vec<_>>());
        assert_eq!(keys(&german.data), keys(&english.data), "{db:?}");
        assert_eq!(german.data["account"]["pseudonym"], "Ben", "{db:?}");
        assert_eq!(german.data["account"]["language"], "de", "{db:?}");
        s.stop().await;
    }
}

#[tokio::test]
async fn the_access_log_names_staff_only_where_the_association_chose_to() {
    use crate::forum_search::Browser;
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.user(&ms, "admin@example.org", "Admina", "admin").await;
        let ben = someone(&s, &ms, "Ben").await;
        let admin = s.login_staff(&ms, "admin@example.org").await;
        // The admin suspends Ben and takes it back: staff accesses, audited.
        ok(&s, &admin, "POST", &api(&format!("/admin/members/{}/suspend", ben.id)), Some(json!({"note": "x"}))).await;
        ok(&s, &admin, "POST", &api(&format!("/admin/members/{}/reinstate", ben.id)), Some(json!({"note": "y"}))).await;
        let ben = Someone { token: s.login("ms", "ben@example.org", crate::members::PASSWORD).await, ..ben };

        // Off, the default: the role, never who.
        let log = s.get_as(&ben.token, &api("/me/access-log")).await;
        let entries = log["entries"].as_array().expect("entries").clone();
        assert!(!entries.is_empty(), "{db:?}: {log}");
        assert!(entries.iter().all(|e| e.get("actor").is_none() && e["actor_role"] == "admin"), "{db:?}: {log}");
        assert!(!log.to_string().contains("Admina"), "{db:?}");
        let browser = Browser::sign_in(&s, "ben@example.org").await;
        let (_, page) = browser.get("/a/ms/account/access-log?lang=en").await;
        assert!(!page.contains("Admina") && !page.contains("Staff member"), "{db:?}: {page}");

        // On, through the settings (the same parser as the file).
        let mut settings = ok(&s, &admin, "GET", "/a/ms/api/v1/admin/settings", None).await;
        assert_eq!(settings["data"]["access_log_names_staff"], false, "{db:?}: off by default: {settings}");
        settings["data"]["access_log_names_staff"] = json!("yes");
        let (status, body) = call(&s, &admin, "PUT", "/a/ms/api/v1/admin/settings", Some(settings.clone())).await;
        assert_eq!(status, 422, "{db:?}: {body}");
        assert!(body["error"]["fields"]["data.access_log_names_staff"].is_string(), "{db:?}: {body}");
        settings["data"]["access_log_names_staff"] = json!(true);
        ok(&s, &admin, "PUT", "/a/ms/api/v1/admin/settings", Some(settings)).await;

        let log = s.get_as(&ben.token, &api("/me/access-log")).await;
        let entries = log["entries"].as_array().expect("entries");
        assert!(entries.iter().all(|e| e["actor"] == "Admina" && e["actor_role"] == "admin"), "{db:?}: {log}");
        let (_, page) = browser.get("/a/ms/account/access-log?lang=en").await;
        assert!(page.contains("Staff member") && page.contains("Admina"), "{db:?}: {page}");
        let export = export_of(&s, &ms.id, &ben).await;
        assert_eq!(export.data["staff_accesses"][0]["actor"], "Admina", "{db:?}");
        s.stop().await;
    }
}

#[test]
fn the_file_sets_whether_the_access_log_names_staff() {
    use kindred_service::association_config::{build, parse_toml};
    let named = build(parse_toml("[data]\naccess_log_names_staff = true\n", "a.toml").expect("toml"), Some("A"))
        .expect("settings");
    assert!(named.data.access_log_names_staff);
    let default = build(parse_toml("", "a.toml").expect("toml"), Some("A")).expect("settings");
    assert!(!default.data.access_log_names_staff);
    let wrong = parse_toml("[data]\naccess_log_names_staff = \"yes\"\n", "a.toml").map(|_| ());
    assert!(wrong.is_err(), "not a boolean");
}

/// Every `null` in a value, by path (a hidden value must be absent).
fn nulls(value: &Value, path: &str, found: &mut Vec<String>) {
    match value {
        Value::Null => found.push(path.to_owned()),
        Value::Object(map) => map.iter().for_each(|(k, v)| nulls(v, &format!("{path}.{k}"), found)),
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| nulls(v, &format!("{path}[{i}]"), found)),
        _ => {}
    }
}

/// The member's own messages in a conversation they left and in the chat
/// of a group they left are in their export, in a part of their own and
/// in index.html — their own text only: nobody else's messages, and not
/// what they deleted.
#[tokio::test]
async fn my_messages_in_conversations_i_left_are_in_my_export_and_nobody_elses() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        let cara = someone(&s, &ms, "Cara").await;
        befriend(&s, &anna, 1, &ben, 1).await;
        befriend(&s, &anna, 1, &cara, 1).await;
        let started = ok(
            &s,
            &anna.token,
            "POST",
            &api("/conversations"),
            Some(json!({"members": [ben.id, cara.id], "message": "ANNA-LEFT-WORDS"})),
        )
        .await;
        let talk = started["conversation_id"].as_str().expect("conversation").to_owned();
        let messages = api(&format!("/conversations/{talk}/messages"));
        let gone = ok(&s, &anna.token, "POST", &messages, Some(json!({"body": "ANNA-DELETED-WORDS"}))).await;
        let gone = gone["message_id"].as_str().expect("message id").to_owned();
        ok(&s, &anna.token, "DELETE", &api(&format!("/conversations/{talk}/messages/{gone}")), None).await;
        ok(&s, &ben.token, "POST", &messages, Some(json!({"body": "BEN-WORDS"}))).await;
        ok(&s, &anna.token, "POST", &api(&format!("/conversations/{talk}/leave")), None).await;

        // Ben's group; Anna joins, writes in its chat and leaves the group.
        let group = crate::groups::create(&s, &ben, crate::groups::group("Runde", "open")).await;
        ok(&s, &anna.token, "POST", &api(&format!("/groups/{group}/join")), None).await;
        let chat = ok(&s, &anna.token, "GET", &api(&format!("/groups/{group}/conversation")), None).await;
        let chat = chat["conversation_id"].as_str().expect("chat").to_owned();
        let chat_messages = api(&format!("/conversations/{chat}/messages"));
        ok(&s, &ben.token, "POST", &chat_messages, Some(json!({"body": "BEN-GROUP-WORDS"}))).await;
        ok(&s, &anna.token, "POST", &chat_messages, Some(json!({"body": "ANNA-GROUP-WORDS"}))).await;
        ok(&s, &anna.token, "POST", &api(&format!("/groups/{group}/leave")), None).await;

        let export = export_of(&s, &ms.id, &anna).await;
        let all = export.data.to_string();
        let left = export.data["conversations_left"].as_array().expect("conversations_left");
        assert_eq!(left.len(), 2, "{db:?}: {all}");
        let bodies = |id: &str| -> Vec<String> {
            let entry = left.iter().find(|c| c["conversation_id"] == id).expect("the conversation");
            entry["messages"].as_array().unwrap().iter().map(|m| m["body"].as_str().unwrap().to_owned()).collect()
        };
        assert_eq!(bodies(&talk), ["ANNA-LEFT-WORDS"], "{db:?}");
        assert_eq!(bodies(&chat), ["ANNA-GROUP-WORDS"], "{db:?}");
        for entry in left {
            let keys: Vec<&String> = entry.as_object().unwrap().keys().collect();
            assert_eq!(keys, ["conversation_id", "messages"], "{db:?}: nobody's names: {entry}");
            for m in entry["messages"].as_array().unwrap() {
                assert!(m["message_id"].is_string() && m["sent_at"].is_string(), "{db:?}: {m}");
            }
        }
        for never in ["BEN-WORDS", "BEN-GROUP-WORDS", "ANNA-DELETED-WORDS"] {
            assert!(!all.contains(never), "{db:?}: {never} in {all}");
            assert!(!export.html.contains(never), "{db:?}: {never} in index.html");
        }
        assert!(export.html.contains("ANNA-LEFT-WORDS") && export.html.contains("ANNA-GROUP-WORDS"), "{db:?}");
        assert!(export.html.contains("id=\"conversations_left\""), "{db:?}: a part of its own");
        s.stop().await;
    }
}

/// The rest of what the store keeps about a member: the letter's address
/// while it waits (never the code), the verification requests, the time
/// zone and the quiet hours.
#[tokio::test]
async fn the_export_holds_my_letter_address_verification_time_zone_and_quiet_hours() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.user(&ms, "admin@example.org", "Admina", "admin").await;
        let admin = s.login_staff(&ms, "admin@example.org").await;
        let token = unverified(&s, "ms", "rita@example.org", "Rita").await;
        let me = s.get_as(&token, &api("/me")).await;
        let rita = Someone { id: me["member_id"].as_str().expect("member id").to_owned(), token };
        let address = json!({"full_name": "Rita Rosenthal", "street": "Lindenweg 7", "postcode": "24103",
                             "city": "Kielstadt"});
        let r = s.client.post(s.url(&api("/verification/letter"))).bearer_auth(&rita.token).json(&address);
        assert_eq!(r.send().await.expect("post").status(), 202);
        let letters = s.get_as(&admin, &api("/admin/letters")).await;
        let code = letters["letters"][0]["code"].as_str().expect("code").to_owned();

        let waiting = export_of(&s, &ms.id, &rita).await;
        let letter = &waiting.data["letter"][0];
        assert_eq!(letter["full_name"], "Rita Rosenthal", "{db:?}: {}", waiting.data);
        assert_eq!(letter["street"], "Lindenweg 7");
        assert_eq!(letter["postcode"], "24103");
        assert_eq!(letter["city"], "Kielstadt");
        assert!(letter["requested_at"].is_string(), "{db:?}: {letter}");
        assert!(!waiting.data.to_string().contains(&code), "{db:?}: never the code");
        assert!(!waiting.html.contains(&code) && waiting.html.contains("Lindenweg 7"), "{db:?}");
        let requests = waiting.data["verification"].as_array().expect("verification");
        assert_eq!(requests.len(), 1, "{db:?}: {requests:?}");
        assert_eq!((&requests[0]["procedure"], &requests[0]["status"]), (&json!("letter"), &json!("pending")));
        assert!(requests[0]["requested_at"].is_string(), "{db:?}");

        // Confirmed: the address is erased, and so it is not in the export.
        let r = s.client.post(s.url(&api("/verification/letter/confirm"))).bearer_auth(&rita.token);
        assert_eq!(r.json(&json!({"code": code})).send().await.expect("post").status(), 200, "{db:?}");
        let confirmed = export_of(&s, &ms.id, &rita).await;
        let text = confirmed.data.to_string();
        assert!(!text.contains("Rosenthal") && !text.contains("Lindenweg"), "{db:?}: {text}");
        assert!(confirmed.data["letter"][0]["confirmed_at"].is_string(), "{db:?}: {text}");
        let verified = confirmed.data["verification"].as_array().expect("verification");
        assert!(verified.iter().any(|v| v["procedure"] == "letter" && v["status"] == "verified"), "{db:?}: {text}");

        // A member's time zone and quiet hours.
        let anna = someone(&s, &ms, "Anna").await;
        let zone = json!({"language": "de", "time_zone": "America/New_York"});
        ok(&s, &anna.token, "PUT", &api("/me/preferences"), Some(zone)).await;
        let quiet =
            json!({"settings": {}, "quiet_hours": {"from": "22:00", "to": "07:00", "time_zone": "Europe/Berlin"}});
        ok(&s, &anna.token, "PUT", &api("/me/notification-settings"), Some(quiet)).await;
        let export = export_of(&s, &ms.id, &anna).await;
        assert_eq!(export.data["account"]["time_zone"], "America/New_York", "{db:?}: {}", export.data);
        assert_eq!(
            export.data["quiet_hours"],
            json!({"from": "22:00", "to": "07:00", "time_zone": "Europe/Berlin"}),
            "{db:?}"
        );
        assert!(export.html.contains("America/New_York") && export.html.contains("22:00"), "{db:?}");
        s.stop().await;
    }
}

/// Senders in an ordinary group's chat show as the member sees them in the
/// app (their pseudonym), in an alias group by alias only; a value hidden
/// from the member is absent from data.json, never null — the name of a
/// secret group they left among them.
#[tokio::test]
async fn group_chat_senders_show_as_i_see_them_and_hidden_values_are_absent() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        let open = crate::groups::create(&s, &ben, crate::groups::group("Offene Runde", "open")).await;
        let mut masked = crate::groups::group("Maskierte Runde", "open");
        masked["alias_mode"] = json!(true);
        let masked = crate::groups::create(&s, &ben, masked).await;
        let secret = crate::groups::create(&s, &ben, crate::groups::group("Geheime Runde", "secret")).await;
        let mut chats = Vec::new();
        for group in [&open, &masked] {
            ok(&s, &anna.token, "POST", &api(&format!("/groups/{group}/join")), None).await;
            ok(&s, &anna.token, "GET", &api(&format!("/groups/{group}/conversation")), None).await;
            let chat = ok(&s, &ben.token, "GET", &api(&format!("/groups/{group}/conversation")), None).await;
            let chat = chat["conversation_id"].as_str().expect("chat").to_owned();
            let path = api(&format!("/conversations/{chat}/messages"));
            ok(&s, &ben.token, "POST", &path, Some(json!({"body": format!("BEN-IN-{group}")}))).await;
            chats.push(chat);
        }
        let seen = ok(&s, &anna.token, "GET", &api(&format!("/conversations/{}/messages", chats[1])), None).await;
        let alias = seen["messages"][0]["sender_alias"].as_str().expect("alias").to_owned();
        let invite = json!({"member_id": anna.id});
        ok(&s, &ben.token, "POST", &api(&format!("/groups/{secret}/invitations")), Some(invite)).await;
        ok(&s, &anna.token, "POST", &api(&format!("/groups/{secret}/join")), None).await;
        ok(&s, &anna.token, "POST", &api(&format!("/groups/{secret}/leave")), None).await;

        let export = export_of(&s, &ms.id, &anna).await;
        let data = &export.data;
        let message_in = |chat: &str| -> Value {
            let conversations = data["conversations"].as_array().expect("conversations");
            let entry = conversations.iter().find(|c| c["conversation_id"] == chat).expect("the chat");
            entry["messages"][0].clone()
        };
        let plain = message_in(&chats[0]);
        assert_eq!(plain["sender"], "Ben", "{db:?}: as the chat shows him to Anna: {data}");
        let aliased = message_in(&chats[1]);
        assert_eq!(aliased["sender"], json!(alias), "{db:?}: {aliased}");
        assert!(!aliased.to_string().contains("Ben") && !aliased.to_string().contains(&ben.id), "{db:?}");
        let groups = data["groups"].as_array().expect("groups");
        let left = groups.iter().find(|g| g["group_id"] == secret.as_str()).expect("the secret group");
        assert_eq!(left["status"], "left", "{db:?}: {left}");
        assert!(left.get("name").is_none(), "{db:?}: absent, not null: {left}");
        assert!(!data.to_string().contains("Geheime Runde"), "{db:?}");
        let mut found = Vec::new();
        nulls(data, "", &mut found);
        assert!(found.is_empty(), "{db:?}: nulls at {found:?}");
        s.stop().await;
    }
}

/// A moderator reading reported messages is a staff access to the data of
/// the member who wrote them: in the sender's access log, by role only;
/// the reporter's log gains an entry only when their own messages are
/// shown too.
#[tokio::test]
async fn staff_reading_my_reported_messages_is_in_my_access_log() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.user(&ms, "admin@example.org", "Admina", "admin").await;
        let admin = s.login_staff(&ms, "admin@example.org").await;
        let rosa = someone(&s, &ms, "Rosa").await;
        let sven = someone(&s, &ms, "Sven").await;
        befriend(&s, &rosa, 1, &sven, 1).await;
        let started = ok(
            &s,
            &sven.token,
            "POST",
            &api("/conversations"),
            Some(json!({"members": [rosa.id], "message": "Hallo"})),
        )
        .await;
        let talk = started["conversation_id"].as_str().expect("conversation").to_owned();
        let messages = api(&format!("/conversations/{talk}/messages"));
        let rude = ok(&s, &sven.token, "POST", &messages, Some(json!({"body": "SVEN-RUDE-WORDS"}))).await;
        let rude = rude["message_id"].as_str().expect("id").to_owned();
        let reply = ok(&s, &rosa.token, "POST", &messages, Some(json!({"body": "ROSA-REPLY"}))).await;
        let reply = reply["message_id"].as_str().expect("id").to_owned();
        let log = |who: &Someone| {
            let token = who.token.clone();
            let s = &s;
            async move {
                let log = s.get_as(&token, &api("/me/access-log")).await;
                log["entries"].as_array().expect("entries").clone()
            }
        };
        assert_eq!(log(&sven).await, Vec::<Value>::new(), "{db:?}");

        let report = json!({"target_type": "message", "target_id": rude, "kind": "abuse", "reason": "Bitte ansehen"});
        let filed = ok(&s, &rosa.token, "POST", &api("/reports"), Some(report)).await;
        let report_id = filed["report_id"].as_str().expect("report id").to_owned();
        assert_eq!(log(&sven).await, Vec::<Value>::new(), "{db:?}: nobody has read it yet");
        let opened = ok(&s, &admin, "GET", &api(&format!("/admin/message-reports/{report_id}")), None).await;
        assert!(opened.to_string().contains("SVEN-RUDE-WORDS"), "{db:?}: {opened}");
        let entries = log(&sven).await;
        assert_eq!(entries.len(), 1, "{db:?}: {entries:?}");
        assert_eq!(entries[0]["action"], "reported_messages.viewed", "{db:?}");
        assert_eq!(entries[0]["actor_role"], "admin", "{db:?}");
        assert!(entries[0].get("actor").is_none(), "{db:?}: the role only");
        assert_eq!(log(&rosa).await, Vec::<Value>::new(), "{db:?}: the reporter's own messages were not shown");
        // The list shows the messages too: another access.
        let list = ok(&s, &admin, "GET", &api("/admin/message-reports"), None).await;
        assert!(list.to_string().contains("SVEN-RUDE-WORDS"), "{db:?}");
        assert_eq!(log(&sven).await.len(), 2, "{db:?}");
        assert_eq!(log(&rosa).await, Vec::<Value>::new(), "{db:?}");

        // A report sharing Rosa's own message too: then hers is shown.
        let report = json!({"target_type": "message", "target_id": rude, "kind": "abuse", "reason": "Noch einmal",
                            "messages": [reply]});
        let filed = ok(&s, &rosa.token, "POST", &api("/reports"), Some(report)).await;
        let second = filed["report_id"].as_str().expect("report id").to_owned();
        ok(&s, &admin, "GET", &api(&format!("/admin/message-reports/{second}")), None).await;
        let rosas = log(&rosa).await;
        assert_eq!(rosas.len(), 1, "{db:?}: {rosas:?}");
        assert_eq!(rosas[0]["action"], "reported_messages.viewed");
        // The page names it in words.
        let browser = crate::forum_search::Browser::sign_in(&s, "sven@example.org").await;
        let (_, page) = browser.get("/a/ms/account/access-log?lang=en").await;
        assert!(page.contains("Read your messages that somebody reported"), "{db:?}: {page}");
        s.stop().await;
    }
}
