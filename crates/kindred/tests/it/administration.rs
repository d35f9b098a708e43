//! Administration over HTTP, on both databases: the settings in the shape
//! of the configuration file (`GET`/`PUT /admin/settings`), checked as the
//! file is, all or nothing, audited; a raised minimum level hiding a field
//! at once; the statistics with the count threshold.

use crate::admission::unverified;
use crate::harness::{api_error, Db, TestServer, BOTH};
use crate::members::{call, ok, profile, someone};
use kindred_service::association_config;
use serde_json::{json, Value};

const SETTINGS: &str = "/a/ms/api/v1/admin/settings";

async fn admin(s: &TestServer, ms: &kindred_service::Association) -> String {
    s.user(ms, "admin@example.org", "Admin", "admin").await;
    s.login_staff(ms, "admin@example.org").await
}

/// The problem the file form reports for a TOML text.
fn file_error(toml: &str) -> (String, String) {
    let raw = association_config::parse_toml(toml, "test.toml").expect("toml");
    let error = association_config::build(raw, None).expect_err("an error");
    (error.setting, error.problem)
}

/// PUTs settings; (status, body).
async fn put(s: &TestServer, token: &str, body: Value) -> (u16, Value) {
    call(s, token, "PUT", SETTINGS, Some(body)).await
}

#[tokio::test]
async fn every_setting_round_trips_and_changes_through_the_api() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.association("other", "Other", "hosts = [\"other.example\"]").await;
        let token = admin(&s, &ms).await;

        // GET gives the file's shape with every default filled in; the
        // same document PUT back changes nothing.
        let before = ok(&s, &token, "GET", SETTINGS, None).await;
        for key in [
            "name",
            "default_language",
            "languages",
            "hosts",
            "branding",
            "levels",
            "catalog",
            "profile_fields",
            "admission",
            "policies",
            "crisis_contacts",
        ] {
            assert!(before.get(key).is_some(), "{db:?}: {key} in {before}");
        }
        assert_eq!(before["policies"]["count_threshold"], 5);
        let same = ok(&s, &token, "PUT", SETTINGS, Some(before.clone())).await;
        assert_eq!(same, before, "{db:?}: PUT of the same settings answers them");
        assert_eq!(ok(&s, &token, "GET", SETTINGS, None).await, before);

        // Change one setting of every kind.
        let mut changed = before.clone();
        changed["name"] = json!({"de": "MS Nord", "en": "MS North", "nl": "MS Noord"});
        changed["languages"] = json!(["de", "en"]);
        changed["hosts"] = json!(["ms-nord.example"]);
        changed["welcome"] = json!("Willkommen!");
        changed["branding"]["primary_color"] = json!("#123456");
        changed["levels"][1]["name"] = json!({"de": "Bekannte Leute", "en": "Known", "nl": "Bekend"});
        changed["catalog"]["therapies"]
            .as_array_mut()
            .expect("therapies")
            .push(json!({"code": "new-therapy", "name": "Neue Therapie"}));
        let fields = changed["profile_fields"].as_array_mut().expect("fields");
        let city = fields.iter_mut().find(|f| f["code"] == "city").expect("city");
        city["min_level"] = json!(3);
        city["default_level"] = json!("private");
        changed["admission"]["procedures"] = json!(["manual"]);
        changed["admission"]["terms_version"] = json!("2027-01");
        changed["policies"]["messaging"] = json!("contacts");
        changed["policies"]["count_threshold"] = json!(7);
        changed["crisis_contacts"] = json!([{"name": "Hilfe", "phone": "0800 111 0 111"}]);
        let after = ok(&s, &token, "PUT", SETTINGS, Some(changed)).await;
        assert_eq!(after["branding"]["primary_color"], "#123456", "{db:?}");
        assert_eq!(after["languages"], json!(["de", "en"]));
        assert_eq!(after["hosts"], json!(["ms-nord.example"]));
        assert_eq!(after["welcome"]["de"], "Willkommen!");
        assert_eq!(after["levels"][1]["name"]["en"], "Known");
        assert!(after["catalog"]["therapies"].as_array().expect("list").iter().any(|t| t["code"] == "new-therapy"));
        assert_eq!(after["admission"]["procedures"], json!(["manual"]));
        assert_eq!(after["policies"]["count_threshold"], 7);
        assert_eq!(after["crisis_contacts"][0]["phone"], "0800 111 0 111");
        assert_eq!(ok(&s, &token, "GET", SETTINGS, None).await, after, "{db:?}: stored as answered");
        // The change is in force at once on this node: the catalogue and the host.
        let catalog = s.get("/a/ms/api/v1/catalog?lang=en").await.json::<Value>().await.expect("json");
        assert_eq!(catalog["levels"][1]["name"], "Known", "{db:?}");
        let home = s.client.get(s.url("/")).header("host", "ms-nord.example").send().await.expect("get");
        assert_eq!(home.status(), 200);

        // Audited with the paths of what changed, never the values.
        let log = ok(&s, &token, "GET", "/a/ms/api/v1/admin/audit-log", None).await;
        let entry = log["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .find(|e| e["action"] == "settings.updated" && e["detail"] != "unchanged")
            .cloned()
            .expect("an audit entry of the change");
        let detail = entry["detail"].as_str().expect("detail");
        for path in ["branding.primary_color", "policies.count_threshold", "hosts", "name", "crisis_contacts"] {
            assert!(detail.contains(path), "{db:?}: {path} in {detail}");
        }
        assert!(!detail.contains("#123456"), "paths, not values: {detail}");
        s.stop().await;
    }
}

#[tokio::test]
async fn a_wrong_setting_is_a_422_naming_its_path_with_the_files_message_and_changes_nothing() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.association("other", "Other", "hosts = [\"other.example\"]").await;
        let token = admin(&s, &ms).await;
        let before = ok(&s, &token, "GET", SETTINGS, None).await;

        let cases: Vec<(Value, &str, Option<&str>)> = vec![
            (
                json!({"branding": {"primary_color": "#ffff00"}}),
                "branding.primary_color",
                Some("[branding]\nprimary_color = \"#ffff00\""),
            ),
            (
                json!({"branding": {"accent_color": "blue"}}),
                "branding.accent_color",
                Some("[branding]\naccent_color = \"blue\""),
            ),
            (
                json!({"policies": {"count_threshold": 1}}),
                "policies.count_threshold",
                Some("[policies]\ncount_threshold = 1"),
            ),
            (json!({"default_language": "fr"}), "default_language", Some("default_language = \"fr\"")),
            (
                json!({"admission": {"procedures": ["sso"]}}),
                "admission.procedures[0]",
                Some("[admission]\nprocedures = [\"sso\"]"),
            ),
            (
                json!({"levels": [{"level": 5, "name": "x"}]}),
                "levels[0].level",
                Some("[[levels]]\nlevel = 5\nname = \"x\""),
            ),
            (
                json!({"profile_fields": [{"code": "real_name", "default_level": 1, "min_level": 3}]}),
                "profile_fields[0].default_level",
                Some("[[profile_fields]]\ncode = \"real_name\"\ndefault_level = 1\nmin_level = 3"),
            ),
            (json!({"hosts": ["other.example"]}), "hosts[0]", None),
            (json!({"colour": "red"}), "colour", None),
            (json!({"policies": {"count_threshold": "five"}}), "policies.count_threshold", None),
        ];
        for (patch, path, toml) in cases {
            let mut body = before.clone();
            merge(&mut body, &patch);
            let (status, answer) = put(&s, &token, body).await;
            assert_eq!(status, 422, "{db:?}: {patch} → {answer}");
            assert_eq!(answer["error"]["code"], "invalid_settings");
            let fields = answer["error"]["fields"].as_object().expect("fields");
            let message = fields.get(path).and_then(Value::as_str).unwrap_or_else(|| panic!("{path} in {answer}"));
            assert!(!message.contains("i64") && !message.contains("invalid type"), "{db:?}: no type names: {message}");
            if let Some(toml) = toml {
                let (setting, problem) = file_error(&format!("name = \"MS\"\n{toml}"));
                assert_eq!((setting.as_str(), message), (path, problem.as_str()), "{db:?}: the file's message");
            }
            assert_eq!(ok(&s, &token, "GET", SETTINGS, None).await, before, "{db:?}: nothing changed by {patch}");
        }

        // Not JSON of the right shape at all.
        let (status, _) = put(&s, &token, json!([1, 2])).await;
        assert_eq!(status, 422);

        // Every procedure closed while someone waits in the queue.
        unverified(&s, "ms", "rita@example.org", "Rita").await;
        let mut closed = before.clone();
        closed["admission"]["procedures"] = json!([]);
        let (status, answer) = put(&s, &token, closed).await;
        assert_eq!(status, 422, "{db:?}: {answer}");
        assert!(answer["error"]["fields"]["admission.procedures"].is_string(), "{answer}");

        // Members and moderators may not; nobody signed in neither.
        let member = someone(&s, &ms, "Mona").await;
        let r = s.client.get(s.url(SETTINGS)).bearer_auth(&member.token).send().await.expect("get");
        assert_eq!(api_error(r).await.0, 403, "{db:?}");
        let r = s.client.put(s.url(SETTINGS)).bearer_auth(&member.token).json(&before).send().await.expect("put");
        assert_eq!(api_error(r).await.0, 403);
        let r = s.client.get(s.url(SETTINGS)).send().await.expect("get");
        assert_eq!(api_error(r).await.0, 401);
        s.stop().await;
    }
}

/// Replaces keys of `target` by those of `patch`, tables recursively.
fn merge(target: &mut Value, patch: &Value) {
    match (target.as_object_mut(), patch.as_object()) {
        (Some(t), Some(p)) => {
            for (key, value) in p {
                match t.get_mut(key) {
                    Some(existing) if existing.is_object() && value.is_object() => merge(existing, value),
                    _ => {
                        t.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        _ => *target = patch.clone(),
    }
}

#[tokio::test]
async fn raising_a_minimum_level_hides_the_field_at_once_from_profiles_and_search() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let token = admin(&s, &ms).await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        profile(&s, &anna, json!({"fields": {"region": "sh"}, "visibility": {"region": 1}, "discoverable": true}))
            .await;
        let found = |page: Value| page["results"].as_array().expect("results").iter().any(|r| r["pseudonym"] == "Anna");
        let view = ok(&s, &ben.token, "GET", &format!("/a/ms/api/v1/members/{}", anna.id), None).await;
        assert_eq!(view["fields"]["region"], "sh", "{db:?}: {view}");
        assert!(found(ok(&s, &ben.token, "GET", "/a/ms/api/v1/members?region=sh", None).await), "{db:?}");

        let mut settings = ok(&s, &token, "GET", SETTINGS, None).await;
        let fields = settings["profile_fields"].as_array_mut().expect("fields");
        let region = fields.iter_mut().find(|f| f["code"] == "region").expect("region");
        region["min_level"] = json!(2);
        ok(&s, &token, "PUT", SETTINGS, Some(settings.clone())).await;

        // At once: Ben (level 1) neither sees nor finds it.
        let view = ok(&s, &ben.token, "GET", &format!("/a/ms/api/v1/members/{}", anna.id), None).await;
        assert!(view["fields"].get("region").is_none(), "{db:?}: {view}");
        assert!(!found(ok(&s, &ben.token, "GET", "/a/ms/api/v1/members?region=sh", None).await), "{db:?}");
        let me = ok(&s, &anna.token, "GET", "/a/ms/api/v1/me", None).await;
        assert_eq!(me["visibility"]["region"], 2, "{db:?}: the member sees what counts now");

        // Lowering it again opens nothing in search that the index closed.
        let fields = settings["profile_fields"].as_array_mut().expect("fields");
        let region = fields.iter_mut().find(|f| f["code"] == "region").expect("region");
        region["min_level"] = json!(1);
        ok(&s, &token, "PUT", SETTINGS, Some(settings)).await;
        assert!(!found(ok(&s, &ben.token, "GET", "/a/ms/api/v1/members?region=sh", None).await), "{db:?}");
        s.stop().await;
    }
}

/// Rows of the association's `hobby` field: values and choices, search terms.
async fn hobby_rows(s: &TestServer) -> (i64, i64) {
    (
        s.count_rows("profile_values WHERE field = 'hobby'").await,
        s.count_rows("search_terms WHERE field = 'hobby'").await,
    )
}

#[tokio::test]
async fn removing_a_field_erases_what_members_entered_in_it_and_a_field_added_again_starts_empty() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let token = admin(&s, &ms).await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        let mut settings = ok(&s, &token, "GET", SETTINGS, None).await;
        let without = settings.clone();
        let hobby = json!({"code": "hobby", "name": "Hobby", "kind": "text", "min_level": 1});
        settings["profile_fields"].as_array_mut().expect("fields").push(hobby.clone());
        ok(&s, &token, "PUT", SETTINGS, Some(settings.clone())).await;
        profile(&s, &anna, json!({"fields": {"hobby": "QUOKKAFAN"}, "visibility": {"hobby": 1}, "discoverable": true}))
            .await;
        let finds = |page: Value| page["results"].as_array().expect("results").iter().any(|r| r["pseudonym"] == "Anna");
        const SEARCH: &str = "/a/ms/api/v1/members?q=QUOKKAFAN";
        assert!(finds(ok(&s, &ben.token, "GET", SEARCH, None).await), "{db:?}: found by the field before");
        assert_eq!(hobby_rows(&s).await, (1, 1), "{db:?}");
        let me = ok(&s, &anna.token, "GET", "/a/ms/api/v1/me", None).await;
        assert_eq!((&me["profile"]["hobby"], &me["visibility"]["hobby"]), (&json!("QUOKKAFAN"), &json!(1)), "{db:?}");

        // The admin removes the field: its values, choices and terms go at once.
        ok(&s, &token, "PUT", SETTINGS, Some(without.clone())).await;
        assert!(!finds(ok(&s, &ben.token, "GET", SEARCH, None).await), "{db:?}: not found by a removed field");
        let me = ok(&s, &anna.token, "GET", "/a/ms/api/v1/me", None).await;
        assert!(!me.to_string().contains("hobby"), "{db:?}: {me}");
        assert!(!me.to_string().contains("QUOKKAFAN"), "{db:?}: {me}");
        assert_eq!(hobby_rows(&s).await, (0, 0), "{db:?}: nothing of the field is left in the database");
        let log = ok(&s, &token, "GET", "/a/ms/api/v1/admin/audit-log", None).await;
        let audited = log["entries"].as_array().expect("entries").iter().any(|e| {
            e["action"] == "settings.updated"
                && e["detail"].as_str().is_some_and(|d| d.contains("profile_fields.hobby erased"))
        });
        assert!(audited, "{db:?}: the audit entry names the erased field: {log}");

        // Added again, the field starts empty, at the association's default.
        ok(&s, &token, "PUT", SETTINGS, Some(settings.clone())).await;
        let me = ok(&s, &anna.token, "GET", "/a/ms/api/v1/me", None).await;
        assert!(me["profile"].get("hobby").is_none(), "{db:?}: {me}");
        assert_eq!(me["visibility"]["hobby"], "private", "{db:?}: the old level does not come back: {me}");
        assert!(!finds(ok(&s, &ben.token, "GET", SEARCH, None).await), "{db:?}");
        assert_eq!(hobby_rows(&s).await, (0, 0), "{db:?}");

        // A field whose kind changes starts empty too: a text is no year.
        profile(&s, &anna, json!({"fields": {"hobby": "QUOKKAFAN"}, "visibility": {"hobby": 1}})).await;
        assert!(finds(ok(&s, &ben.token, "GET", SEARCH, None).await), "{db:?}");
        let fields = settings["profile_fields"].as_array_mut().expect("fields");
        let field = fields.iter_mut().find(|f| f["code"] == "hobby").expect("hobby");
        field["kind"] = json!("year");
        ok(&s, &token, "PUT", SETTINGS, Some(settings)).await;
        let me = ok(&s, &anna.token, "GET", "/a/ms/api/v1/me", None).await;
        assert!(me["profile"].get("hobby").is_none(), "{db:?}: {me}");
        assert!(!finds(ok(&s, &ben.token, "GET", SEARCH, None).await), "{db:?}");
        assert_eq!(hobby_rows(&s).await, (0, 0), "{db:?}");
        profile(&s, &anna, json!({"fields": {"hobby": 1990}})).await;
        assert_eq!(ok(&s, &anna.token, "GET", "/a/ms/api/v1/me", None).await["profile"]["hobby"], 1990, "{db:?}");
        s.stop().await;
    }
}

#[tokio::test]
async fn a_second_node_sees_a_change_within_the_cache_time() {
    let s = TestServer::start(Db::Postgres).await;
    let ms = s.ms_association("ms").await;
    let token = admin(&s, &ms).await;
    let limits = kindred_web::Limits::default();
    let second = kindred::server::spawn(s.kindred.clone(), limits, "127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("second node");
    let base = format!("http://{}", second.addr);
    let level_name = || async {
        let catalog: Value = s
            .client
            .get(format!("{base}/a/ms/api/v1/catalog?lang=en"))
            .send()
            .await
            .expect("get")
            .json()
            .await
            .expect("json");
        catalog["levels"][1]["name"].as_str().unwrap_or_default().to_owned()
    };
    let old = level_name().await; // the second node caches the association now
    let mut settings = ok(&s, &token, "GET", SETTINGS, None).await;
    settings["levels"][1]["name"] = json!("Known elsewhere");
    ok(&s, &token, "PUT", SETTINGS, Some(settings)).await;
    let started = std::time::Instant::now();
    let mut seen = old;
    while seen != "Known elsewhere" && started.elapsed() < std::time::Duration::from_secs(8) {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        seen = level_name().await;
    }
    assert_eq!(seen, "Known elsewhere", "the second node shows the change");
    assert!(
        started.elapsed() <= std::time::Duration::from_millis(5_600),
        "within the cache time: {:?}",
        started.elapsed()
    );
    second.stop().await.expect("stop");
    s.stop().await;
}

#[tokio::test]
async fn statistics_count_by_week_and_hide_small_numbers() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let token = admin(&s, &ms).await;
        for name in ["Rita", "Rolf", "Rosa"] {
            unverified(&s, "ms", &format!("{}@example.org", name.to_lowercase()), name).await;
        }
        // 4 accounts this week (the admin and three): below 5.
        let stats = ok(&s, &token, "GET", "/a/ms/api/v1/admin/statistics", None).await;
        let weeks = stats["weeks"].as_array().expect("weeks");
        assert_eq!(weeks.len(), 12, "{db:?}: the last 12 weeks by default");
        let last = weeks.last().expect("a week");
        assert_eq!(last["week_start"], "2026-11-16", "{db:?}: ISO weeks start on Monday");
        assert!(last["registrations"].is_null(), "{db:?}: {last}");
        assert!(last["verifications"]["manual"].is_null());
        assert_eq!(stats["count_threshold"], 5);

        // With a threshold of 2 the count shows.
        let mut settings = ok(&s, &token, "GET", SETTINGS, None).await;
        settings["policies"]["count_threshold"] = json!(2);
        ok(&s, &token, "PUT", SETTINGS, Some(settings)).await;
        let stats = ok(&s, &token, "GET", "/a/ms/api/v1/admin/statistics?from=2026-11-18&to=2026-11-22", None).await;
        let weeks = stats["weeks"].as_array().expect("weeks");
        assert_eq!(weeks.len(), 1, "{db:?}: {stats}");
        assert_eq!(weeks[0]["registrations"], 4, "{db:?}: {stats}");
        assert!(weeks[0]["posts"].is_null(), "none is below 2 too");

        for query in [
            "from=yesterday",
            "from=2026-11-22&to=2026-11-01",
            "from=2024-01-01&to=2026-11-22",
            // Far-off years: refused, not overflowed into a 500.
            "to=%2B262142-12-31",
            "from=-262143-01-01&to=-262143-01-10",
            "from=9999-12-20&to=9999-12-31",
        ] {
            let r = s
                .client
                .get(s.url(&format!("/a/ms/api/v1/admin/statistics?{query}")))
                .bearer_auth(&token)
                .send()
                .await
                .expect("get");
            assert_eq!(api_error(r).await.0, 422, "{db:?}: {query}");
        }
        let member = someone(&s, &ms, "Mona").await;
        let r =
            s.client.get(s.url("/a/ms/api/v1/admin/statistics")).bearer_auth(&member.token).send().await.expect("get");
        assert_eq!(api_error(r).await.0, 403);
        s.stop().await;
    }
}

#[tokio::test]
async fn statistics_count_events_places_and_messages_but_nothing_of_secret_groups() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let token = admin(&s, &ms).await;
        let mut settings = ok(&s, &token, "GET", SETTINGS, None).await;
        settings["policies"]["count_threshold"] = json!(2);
        ok(&s, &token, "PUT", SETTINGS, Some(settings)).await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        let event = |title: &str| json!({"title": title, "starts_at": "2027-01-12T18:00", "ends_at": "2027-01-12T20:00", "mode": "online"});
        let mut ids = Vec::new();
        for title in ["Stammtisch", "Sprechstunde"] {
            let created = ok(&s, &anna.token, "POST", "/a/ms/api/v1/events", Some(event(title))).await;
            ids.push(created["event_id"].as_str().expect("event id").to_owned());
        }
        // A secret group's event and its registrations are not counted.
        let group = ok(
            &s,
            &anna.token,
            "POST",
            "/a/ms/api/v1/groups",
            Some(json!({"name": "Verborgen", "description": "", "visibility": "secret"})),
        )
        .await;
        let group_id = group["group_id"].as_str().expect("group id");
        let mut secret = event("Geheim");
        secret["group_id"] = json!(group_id);
        let hidden = ok(&s, &anna.token, "POST", "/a/ms/api/v1/events", Some(secret)).await;
        let hidden = hidden["event_id"].as_str().expect("event id").to_owned();
        for id in &ids {
            ok(&s, &ben.token, "POST", &format!("/a/ms/api/v1/events/{id}/registration"), None).await;
        }
        for id in [&ids[0], &hidden] {
            ok(&s, &anna.token, "POST", &format!("/a/ms/api/v1/events/{id}/registration"), None).await;
        }
        // Two members who share no contact: a request, then messages once accepted.
        let request =
            ok(&s, &anna.token, "POST", "/a/ms/api/v1/contacts/requests", Some(json!({"to": ben.id, "level": 1})))
                .await;
        let request = request["request_id"].as_str().expect("request id");
        ok(
            &s,
            &ben.token,
            "POST",
            &format!("/a/ms/api/v1/contacts/requests/{request}/accept"),
            Some(json!({"level": 1})),
        )
        .await;
        let started = ok(
            &s,
            &anna.token,
            "POST",
            "/a/ms/api/v1/conversations",
            Some(json!({"members": [ben.id], "message": "Hallo Ben"})),
        )
        .await;
        let conversation = started["conversation_id"].as_str().expect("conversation");
        let path = format!("/a/ms/api/v1/conversations/{conversation}/messages");
        for text in ["Wie geht es dir?", "Bis Dienstag"] {
            ok(&s, &ben.token, "POST", &path, Some(json!({"body": text}))).await;
        }

        let stats = ok(&s, &token, "GET", "/a/ms/api/v1/admin/statistics?from=2026-11-18&to=2026-11-22", None).await;
        let week = &stats["weeks"][0];
        assert_eq!(week["events"], 2, "{db:?}: {week}");
        assert_eq!(week["event_registrations"], 3, "{db:?}: {week}");
        assert_eq!(week["messages"], 3, "{db:?}: {week}");
        // A message deleted for everyone was still sent.
        let messages = ok(&s, &ben.token, "GET", &path, None).await;
        let first = messages["messages"][0]["message_id"].as_str().expect("message id").to_owned();
        let (status, _) = call(&s, &ben.token, "DELETE", &format!("{path}/{first}"), None).await;
        assert!(status == 200 || status == 204, "{db:?}: {status}");
        let stats = ok(&s, &token, "GET", "/a/ms/api/v1/admin/statistics?from=2026-11-18&to=2026-11-22", None).await;
        assert_eq!(stats["weeks"][0]["messages"], 3, "{db:?}");
        // The page and the CSV have the columns.
        let (cookie, _) =
            crate::staff_flags::page_sign_in(&s, "admin@example.org", crate::harness::STAFF_PASSWORD).await;
        let html = crate::staff_flags::page(&s, &cookie, "/a/ms/staff/statistics?lang=en").await;
        assert!(html.contains("Messages sent") && html.contains("New events"), "{db:?}");
        s.stop().await;
    }
}

// ------------------------------------------------------------------ settings pages

/// The controls of the page's (last) form as a browser would post them:
/// text inputs, checked boxes, chosen options, text areas.
pub(crate) fn form_of(html: &str) -> Vec<(String, String)> {
    fn attr(tag: &str, name: &str) -> Option<String> {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let end = tag[start..].find('"')? + start;
        Some(unescape(&tag[start..end]))
    }
    fn unescape(s: &str) -> String {
        s.replace("&#x2f;", "/")
            .replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    }
    let mut pairs = Vec::new();
    let mut select: Option<String> = None;
    for chunk in html.split('<') {
        let tag = chunk.split('>').next().unwrap_or_default();
        if let Some(rest) = chunk.strip_prefix("input ") {
            let (Some(name), kind) = (attr(tag, "name"), attr(tag, "type").unwrap_or_default()) else { continue };
            let checkable = kind == "checkbox" || kind == "radio";
            if (!checkable || rest.contains(" checked")) && kind != "submit" {
                pairs.push((name, attr(tag, "value").unwrap_or_default()));
            }
        } else if chunk.starts_with("select ") {
            select = attr(tag, "name");
        } else if chunk.starts_with("option ") && tag.contains(" selected") {
            if let (Some(name), Some(value)) = (&select, attr(tag, "value")) {
                pairs.push((name.clone(), value));
            }
        } else if chunk.starts_with("textarea ") {
            if let Some(name) = attr(tag, "name") {
                pairs.push((name, unescape(chunk.split_once('>').map_or("", |(_, text)| text))));
            }
        }
    }
    pairs
}

pub(crate) fn with(mut form: Vec<(String, String)>, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    for (name, value) in changes {
        match form.iter_mut().find(|(n, _)| n == name) {
            Some(pair) => pair.1 = (*value).to_owned(),
            None => form.push(((*name).to_owned(), (*value).to_owned())),
        }
    }
    form
}

pub(crate) async fn post_form(
    s: &TestServer,
    cookie: &str,
    path: &str,
    form: &[(String, String)],
) -> (u16, String, String) {
    let response = s.client.post(s.url(path)).header("cookie", cookie).form(form).send().await.expect("post");
    let location = response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    (response.status().as_u16(), location, response.text().await.expect("body"))
}

/// Every class a page uses has a rule in the stylesheet.
fn classes_are_styled(html: &str, path: &str) {
    let css = include_str!("../../../kindred-web/static/kindred.css");
    for chunk in html.split(" class=\"").skip(1) {
        for class in chunk.split('"').next().unwrap_or_default().split_whitespace() {
            assert!(css.contains(&format!(".{class}")), "class {class} on {path} has no rule");
        }
    }
}

const SECTIONS: [&str; 16] = [
    "general",
    "appearance",
    "hosts",
    "levels",
    "profile-fields",
    "admission",
    "policies",
    "crisis-contacts",
    "legal",
    "data",
    "catalog-roles",
    "catalog-conditions",
    "catalog-therapies",
    "catalog-medications",
    "catalog-symptoms",
    "catalog-regions",
];

#[tokio::test]
async fn settings_pages_change_settings_through_the_same_checks() {
    use crate::harness::STAFF_PASSWORD;
    use crate::staff_flags::{get, page, page_sign_in};
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let token = admin(&s, &ms).await;
        let (cookie, _) = page_sign_in(&s, "admin@example.org", STAFF_PASSWORD).await;
        let before = ok(&s, &token, "GET", SETTINGS, None).await;

        let index = page(&s, &cookie, "/a/ms/staff?lang=en").await;
        assert!(index.contains("/a/ms/staff/settings"), "{db:?}: the staff index links to the settings");
        let settings = page(&s, &cookie, "/a/ms/staff/settings?lang=en").await;
        for lang in ["en", "de", "nl"] {
            let path = format!("/a/ms/staff/statistics?lang={lang}");
            let html = page(&s, &cookie, &path).await;
            classes_are_styled(&html, &path);
        }
        for section in SECTIONS {
            assert!(settings.contains(&format!("/a/ms/staff/settings/{section}")), "{db:?}: {section}");
            for lang in ["en", "de", "nl"] {
                let path = format!("/a/ms/staff/settings/{section}?lang={lang}");
                let html = page(&s, &cookie, &path).await;
                classes_are_styled(&html, &path);
                // Every control has a label (or is a box inside a labelled group).
                for id in html
                    .split(" id=\"s-")
                    .skip(1)
                    .map(|c| c.split('"').next().unwrap_or_default())
                    .filter(|id| !id.ends_with("-hint") && !id.ends_with("-error"))
                {
                    assert!(
                        html.contains(&format!("for=\"s-{id}\""))
                            || html.contains(&format!("<fieldset class=\"field\" id=\"s-{id}\""))
                            || html.contains(&format!("<fieldset class=\"field field-invalid\" id=\"s-{id}\"")),
                        "{db:?}: a label for s-{id} on {path}"
                    );
                }
            }
        }
        let (status, _) = get(&s, &cookie, "/a/ms/staff/settings/catalog-").await;
        assert_eq!(status, 404, "{db:?}: no such group");
        let (status, _) = get(&s, &cookie, "/a/ms/staff/settings/catalog-nonsense").await;
        assert_eq!(status, 404, "{db:?}: no such list");

        // A colour that fails the contrast check: 422, the summary links to
        // the field, nothing changes.
        let appearance = "/a/ms/staff/settings/appearance?lang=en";
        let form = form_of(&page(&s, &cookie, appearance).await);
        // The form's CSRF values: masked afresh, each one the session's.
        let session = cookie.trim_start_matches("__Host-kindred-ms=");
        let values: Vec<&String> = form.iter().filter(|(n, _)| n == "csrf").map(|(_, v)| v).collect();
        assert!(!values.is_empty(), "{db:?}: {form:?}");
        assert!(values.iter().all(|v| kindred_service::sessions::csrf_matches(session, v)), "{db:?}: {form:?}");
        let bad = with(form.clone(), &[("branding.primary_color", "#ffff00"), ("action", "save")]);
        let (status, _, html) = post_form(&s, &cookie, appearance, &bad).await;
        assert_eq!(status, 422, "{db:?}: {html}");
        assert!(html.contains("href=\"#s-branding-primary_color\""), "{db:?}: {html}");
        assert!(html.contains("readable on white"), "{db:?}: translated");
        assert_eq!(ok(&s, &token, "GET", SETTINGS, None).await, before, "{db:?}: nothing changed");
        // The sample shows chosen colours before they are saved.
        let preview = with(form.clone(), &[("branding.primary_color", "#123456"), ("action", "preview")]);
        let (status, _, html) = post_form(&s, &cookie, appearance, &preview).await;
        assert_eq!(status, 200, "{db:?}");
        let html = html.replace("&#x2f;", "/").replace("&amp;", "&");
        let href = html
            .split("<link rel=\"stylesheet\" href=\"")
            .filter_map(|c| c.split('"').next())
            .find(|h| h.contains("settings-preview.css"))
            .expect("preview stylesheet")
            .to_owned();
        let css = s.client.get(s.url(&href)).send().await.expect("css").text().await.expect("css");
        assert!(css.contains("--preview-brand:#123456"), "{db:?}: {css}");
        assert_eq!(ok(&s, &token, "GET", SETTINGS, None).await, before, "{db:?}: a preview saves nothing");
        // Saved: the API shows it, the audit log names the path.
        let good = with(form.clone(), &[("branding.primary_color", "#123456"), ("action", "save")]);
        let (status, location, _) = post_form(&s, &cookie, appearance, &good).await;
        assert_eq!(
            (status, location.as_str()),
            (303, "/a/ms/staff/settings/appearance?done=settings-saved&lang=en"),
            "{db:?}"
        );
        let after = ok(&s, &token, "GET", SETTINGS, None).await;
        assert_eq!(after["branding"]["primary_color"], "#123456", "{db:?}");
        let mut expected = before.clone();
        expected["branding"]["primary_color"] = json!("#123456");
        assert_eq!(after, expected, "{db:?}: only the colour changed");
        let log = ok(&s, &token, "GET", "/a/ms/api/v1/admin/audit-log", None).await;
        let entry = log["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .find(|e| e["action"] == "settings.updated")
            .cloned()
            .expect("audited");
        assert_eq!(entry["detail"], "branding.primary_color", "{db:?}");
        // Without the form's token: refused.
        let forged = with(good.clone(), &[("csrf", "forged"), ("branding.primary_color", "#654321")]);
        let (status, _, _) = post_form(&s, &cookie, appearance, &forged).await;
        assert_eq!(status, 403, "{db:?}");

        // Policies: the threshold's bounds as in the file, then a change.
        let policies = "/a/ms/staff/settings/policies?lang=de";
        let form = form_of(&page(&s, &cookie, policies).await);
        let (status, _, html) =
            post_form(&s, &cookie, policies, &with(form.clone(), &[("policies.count_threshold", "1")])).await;
        assert_eq!(status, 422, "{db:?}");
        assert!(
            html.contains("href=\"#s-policies-count_threshold\"") && html.contains("von 2 bis 100"),
            "{db:?}: {html}"
        );
        let (status, _, _) = post_form(
            &s,
            &cookie,
            policies,
            &with(form, &[("policies.count_threshold", "7"), ("policies.group_creation", "members")]),
        )
        .await;
        assert_eq!(status, 303, "{db:?}");
        let after = ok(&s, &token, "GET", SETTINGS, None).await;
        assert_eq!(
            (after["policies"]["count_threshold"].clone(), after["policies"]["group_creation"].clone()),
            (json!(7), json!("members")),
            "{db:?}"
        );

        // Retention: words, not a number, and a number out of range are told
        // in the page's language, never in the parser's (Rust) words.
        let data = "/a/ms/staff/settings/data?lang=de";
        let form = form_of(&page(&s, &cookie, data).await);
        for (typed, told) in [("2 Jahre", "ganze Zahl"), ("", "ganze Zahl"), ("12.5", "ganze Zahl"), ("-1", "Zahl von")]
        {
            let (status, _, html) =
                post_form(&s, &cookie, data, &with(form.clone(), &[("data.inactive_months", typed)])).await;
            assert_eq!(status, 422, "{db:?}: {typed}");
            assert!(html.contains(told), "{db:?}: {typed}: {html}");
            assert!(!html.contains("invalid type") && !html.contains("i64"), "{db:?}: {typed}");
        }

        // Levels, profile fields: names per language, a raised minimum.
        let levels = "/a/ms/staff/settings/levels";
        let form = form_of(&page(&s, &cookie, levels).await);
        let (status, _, html) = post_form(&s, &cookie, levels, &with(form.clone(), &[("levels[1].name.de", "")])).await;
        assert_eq!(status, 422, "{db:?}: the default language's name is needed");
        assert!(html.contains("href=\"#s-levels-1-name"), "{db:?}: {html}");
        let (status, _, _) = post_form(&s, &cookie, levels, &with(form, &[("levels[1].name.nl", "Kennissen")])).await;
        assert_eq!(status, 303, "{db:?}");
        assert_eq!(ok(&s, &token, "GET", SETTINGS, None).await["levels"][1]["name"]["nl"], "Kennissen", "{db:?}");
        let fields = "/a/ms/staff/settings/profile-fields";
        let form = form_of(&page(&s, &cookie, fields).await);
        let city = before["profile_fields"]
            .as_array()
            .expect("fields")
            .iter()
            .position(|f| f["code"] == "city")
            .expect("city");
        let min = format!("profile_fields[{city}].min_level");
        let default = format!("profile_fields[{city}].default_level");
        let (status, _, html) =
            post_form(&s, &cookie, fields, &with(form.clone(), &[(&default, "1"), (&min, "3")])).await;
        assert_eq!(status, 422, "{db:?}: a default more open than the minimum");
        assert!(html.contains(&format!("href=\"#s-profile_fields-{city}-default_level\"")), "{db:?}: {html}");
        let (status, _, _) = post_form(&s, &cookie, fields, &with(form, &[(&default, "private"), (&min, "3")])).await;
        assert_eq!(status, 303, "{db:?}");
        assert_eq!(ok(&s, &token, "GET", SETTINGS, None).await["profile_fields"][city]["min_level"], 3, "{db:?}");

        // Crisis contacts: one added (a phone or an address is needed), one removed.
        let crisis = "/a/ms/staff/settings/crisis-contacts";
        let count = before["crisis_contacts"].as_array().expect("contacts").len();
        let form = form_of(&page(&s, &cookie, crisis).await);
        let new_name = format!("crisis_contacts[{count}].name.de");
        let (status, _, html) = post_form(&s, &cookie, crisis, &with(form.clone(), &[(&new_name, "Hilfe")])).await;
        assert_eq!(status, 422, "{db:?}");
        assert!(html.contains(&format!("href=\"#s-crisis_contacts-{count}-name")), "{db:?}: {html}");
        let url = format!("crisis_contacts[{count}].url");
        let (status, _, _) =
            post_form(&s, &cookie, crisis, &with(form, &[(&new_name, "Hilfe"), (&url, "https://hilfe.example")])).await;
        assert_eq!(status, 303, "{db:?}");
        let after = ok(&s, &token, "GET", SETTINGS, None).await;
        assert_eq!(after["crisis_contacts"][count]["url"], "https://hilfe.example", "{db:?}");
        let form = form_of(&page(&s, &cookie, crisis).await);
        let (status, _, _) = post_form(&s, &cookie, crisis, &with(form, &[("crisis_contacts[0].remove", "yes")])).await;
        assert_eq!(status, 303, "{db:?}");
        let contacts = ok(&s, &token, "GET", SETTINGS, None).await["crisis_contacts"].clone();
        assert_eq!(contacts.as_array().map(Vec::len), Some(count), "{db:?}: {contacts}");
        assert_eq!(contacts[0], after["crisis_contacts"][1], "{db:?}");

        // Members' data: checked as in the file, then saved.
        let data = "/a/ms/staff/settings/data?lang=en";
        let form = form_of(&page(&s, &cookie, data).await);
        let (status, _, html) =
            post_form(&s, &cookie, data, &with(form.clone(), &[("data.inactive_months", "999")])).await;
        assert_eq!(status, 422, "{db:?}");
        assert!(html.contains("href=\"#s-data-inactive_months\""), "{db:?}: {html}");
        let named = with(form, &[("data.access_log_names_staff", "yes"), ("data.inactive_months", "36")]);
        let (status, _, _) = post_form(&s, &cookie, data, &named).await;
        assert_eq!(status, 303, "{db:?}");
        let after = ok(&s, &token, "GET", SETTINGS, None).await;
        assert_eq!(
            (after["data"]["access_log_names_staff"].clone(), after["data"]["inactive_months"].clone()),
            (json!(true), json!(36)),
            "{db:?}"
        );

        // Every page: saving the form unchanged changes nothing.
        for section in SECTIONS.iter().filter(|s| **s != "appearance") {
            let path = format!("/a/ms/staff/settings/{section}");
            let settings_before = ok(&s, &token, "GET", SETTINGS, None).await;
            let form = form_of(&page(&s, &cookie, &path).await);
            let (status, _, html) = post_form(&s, &cookie, &path, &form).await;
            assert_eq!(status, 303, "{db:?}: {section}: {html}");
            assert_eq!(ok(&s, &token, "GET", SETTINGS, None).await, settings_before, "{db:?}: {section}");
        }
        let path = "/a/ms/staff/settings/general?lang=en";
        let form = form_of(&page(&s, &cookie, path).await);
        let no_default: Vec<(String, String)> =
            form.into_iter().filter(|(n, v)| !(n == "languages" && v == "de")).collect();
        let (status, _, html) = post_form(&s, &cookie, path, &no_default).await;
        assert_eq!(status, 422, "{db:?}");
        assert!(html.contains("href=\"#s-languages\""), "{db:?}: {html}");

        // Host names: one added, a wrong one named by its field, one emptied away.
        let hosts = "/a/ms/staff/settings/hosts?lang=en";
        let count = before["hosts"].as_array().map_or(0, Vec::len);
        let new_host = format!("hosts[{count}]");
        let form = form_of(&page(&s, &cookie, hosts).await);
        let (status, _, html) = post_form(&s, &cookie, hosts, &with(form.clone(), &[(&new_host, "not a host")])).await;
        assert_eq!(status, 422, "{db:?}");
        assert!(html.contains(&format!("href=\"#s-hosts-{count}\"")), "{db:?}: {html}");
        assert!(html.contains("no other association uses"), "{db:?}: translated");
        let (status, _, _) =
            post_form(&s, &cookie, hosts, &with(form, &[(&new_host, "gemeinschaft.example.org")])).await;
        assert_eq!(status, 303, "{db:?}");
        let after = ok(&s, &token, "GET", SETTINGS, None).await;
        assert_eq!(after["hosts"][count], "gemeinschaft.example.org", "{db:?}");
        let form = form_of(&page(&s, &cookie, hosts).await);
        let (status, _, _) = post_form(&s, &cookie, hosts, &with(form, &[(&new_host, "")])).await;
        assert_eq!(status, 303, "{db:?}");
        assert_eq!(ok(&s, &token, "GET", SETTINGS, None).await["hosts"], before["hosts"], "{db:?}: removed");

        // The catalogue: a therapy renamed and retired, one added, a bad code named.
        let therapies = "/a/ms/staff/settings/catalog-therapies?lang=en";
        let list = before["catalog"]["therapies"].as_array().expect("therapies").clone();
        let n = list.len();
        let form = form_of(&page(&s, &cookie, therapies).await);
        let code = format!("catalog.therapies[{n}].code");
        let name = format!("catalog.therapies[{n}].name.de");
        let (status, _, html) =
            post_form(&s, &cookie, therapies, &with(form.clone(), &[(&code, "Not A Code"), (&name, "Neu")])).await;
        assert_eq!(status, 422, "{db:?}");
        assert!(html.contains(&format!("href=\"#s-catalog-therapies-{n}-code\"")), "{db:?}: {html}");
        assert_eq!(ok(&s, &token, "GET", SETTINGS, None).await["catalog"], before["catalog"], "{db:?}: unchanged");
        let changes = [
            (code.as_str(), "music_therapy"),
            (name.as_str(), "Musiktherapie"),
            ("catalog.therapies[0].name.de", "Umbenannt"),
            ("catalog.therapies[0].retired", "yes"),
        ];
        let (status, _, html) = post_form(&s, &cookie, therapies, &with(form, &changes)).await;
        assert_eq!(status, 303, "{db:?}: {html}");
        let catalog = ok(&s, &token, "GET", SETTINGS, None).await["catalog"]["therapies"].clone();
        assert_eq!(catalog[n]["code"], "music_therapy", "{db:?}: {catalog}");
        assert_eq!(catalog[n]["name"]["de"], "Musiktherapie", "{db:?}");
        assert_eq!(
            (catalog[0]["name"]["de"].clone(), catalog[0]["retired"].clone()),
            (json!("Umbenannt"), json!(true))
        );
        assert_eq!(catalog[0]["code"], list[0]["code"], "{db:?}: a code never changes");
        // Unticked, the code is offered again.
        let form: Vec<(String, String)> = form_of(&page(&s, &cookie, therapies).await)
            .into_iter()
            .filter(|(k, _)| k != "catalog.therapies[0].retired")
            .collect();
        let (status, _, _) = post_form(&s, &cookie, therapies, &form).await;
        assert_eq!(status, 303, "{db:?}");
        let catalog = ok(&s, &token, "GET", SETTINGS, None).await["catalog"]["therapies"].clone();
        assert!(catalog[0].get("retired").is_none(), "{db:?}: {}", catalog[0]);

        // The terms version, with the legal pages.
        let admission = "/a/ms/staff/settings/legal";
        let form = form_of(&page(&s, &cookie, admission).await);
        let (status, _, _) =
            post_form(&s, &cookie, admission, &with(form.clone(), &[("admission.terms_version", "")])).await;
        assert_eq!(status, 422, "{db:?}");
        let (status, _, _) =
            post_form(&s, &cookie, admission, &with(form, &[("admission.terms_version", "2027-01")])).await;
        assert_eq!(status, 303, "{db:?}");
        assert_eq!(ok(&s, &token, "GET", SETTINGS, None).await["admission"]["terms_version"], "2027-01");

        // A member who is not an admin: refused.
        someone(&s, &ms, "Anna").await;
        let (anna, _) = page_sign_in(&s, "anna@example.org", crate::members::PASSWORD).await;
        let (status, _) = get(&s, &anna, "/a/ms/staff/settings/general").await;
        assert_eq!(status, 403, "{db:?}");
        s.stop().await;
    }
}

#[tokio::test]
async fn the_last_active_admin_keeps_the_role() {
    use crate::harness::STAFF_PASSWORD;
    use crate::staff_flags::page_sign_in;
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anne = s.user(&ms, "anne@example.org", "Anne", "admin").await;
        let bert = s.user(&ms, "bert@example.org", "Bert", "admin").await;
        let anne_token = s.login_staff(&ms, "anne@example.org").await;
        let bert_token = s.login_staff(&ms, "bert@example.org").await;
        let role = |id: &str| format!("/a/ms/api/v1/admin/members/{id}/role");

        // With two admins, one may step down (even by themselves).
        let answer = ok(&s, &anne_token, "PUT", &role(&bert), Some(json!({"role": "moderator"}))).await;
        assert_eq!(answer["role"], "moderator", "{db:?}");
        // Now Anne is the last: 409 last_admin, and nothing changes.
        let response = s
            .client
            .put(s.url(&role(&anne)))
            .bearer_auth(&anne_token)
            .json(&json!({"role": "member"}))
            .send()
            .await
            .expect("put");
        assert_eq!(api_error(response).await, (409, String::from("last_admin")), "{db:?}");
        let staff = ok(&s, &anne_token, "GET", "/a/ms/api/v1/admin/staff", None).await;
        let anne_now =
            staff["staff"].as_array().expect("staff").iter().find(|m| m["member_id"] == anne.as_str()).cloned();
        assert_eq!(anne_now.map(|m| m["role"].clone()), Some(json!("admin")), "{db:?}");
        let log = ok(&s, &anne_token, "GET", "/a/ms/api/v1/admin/audit-log", None).await;
        assert!(
            log["entries"]
                .as_array()
                .expect("entries")
                .iter()
                .any(|e| e["action"] == "member.refused" && e["detail"] == "role: last admin"),
            "{db:?}: {log}"
        );
        // Bert admin again: Anne steps down herself; then Bert is the last.
        ok(&s, &anne_token, "PUT", &role(&bert), Some(json!({"role": "admin"}))).await;
        let answer = ok(&s, &anne_token, "PUT", &role(&anne), Some(json!({"role": "member"}))).await;
        assert_eq!(answer["role"], "member", "{db:?}");
        let (status, _) = call(&s, &bert_token, "PUT", &role(&bert), Some(json!({"role": "member"}))).await;
        assert_eq!(status, 409, "{db:?}");

        // The roles page says why.
        let (cookie, csrf) = page_sign_in(&s, "bert@example.org", STAFF_PASSWORD).await;
        let response = s
            .client
            .post(s.url(&format!("/a/ms/staff/members/{bert}/role?lang=en")))
            .header("cookie", &cookie)
            .form(&[("csrf", csrf.as_str()), ("role", "member"), ("badge", "")])
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 422, "{db:?}");
        let html = response.text().await.expect("html");
        assert!(html.contains("at least one active admin") && html.contains("href=\"#role\""), "{db:?}: {html}");
        s.stop().await;
    }
}

#[tokio::test]
async fn a_retired_code_stays_readable_but_cannot_be_chosen_anew() {
    use crate::members::consent;
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let token = admin(&s, &ms).await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        consent(&s, &anna).await;
        consent(&s, &ben).await;
        let therapies = json!({"fields": {"therapies": ["disease_modifying", "relapse_cortisone"], "region": "bw"}});
        profile(&s, &anna, therapies.clone()).await;

        // The admin retires a therapy (and a region) over the API.
        let mut settings = ok(&s, &token, "GET", SETTINGS, None).await;
        let list = settings["catalog"]["therapies"].as_array_mut().expect("therapies");
        let entry = list.iter_mut().find(|t| t["code"] == "disease_modifying").expect("therapy");
        entry["retired"] = json!(true);
        let regions = settings["catalog"]["regions"].as_array_mut().expect("regions");
        if let Some(bw) = regions.iter_mut().find(|r| r["code"] == "bw") {
            bw["retired"] = json!(true);
        }
        let after = ok(&s, &token, "PUT", SETTINGS, Some(settings.clone())).await;
        assert_eq!(after, settings, "{db:?}: the flag round-trips");
        let log = ok(&s, &token, "GET", "/a/ms/api/v1/admin/audit-log", None).await;
        let detail = log["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .find(|e| e["action"] == "settings.updated")
            .map(|e| e["detail"].clone());
        assert!(
            detail.is_some_and(|d| d
                .as_str()
                .is_some_and(|d| d.contains("catalog.therapies[") && d.contains(".retired"))),
            "{db:?}"
        );

        // The catalogue marks it; a code not retired carries no mark.
        let catalog = ok(&s, &ben.token, "GET", "/a/ms/api/v1/catalog", None).await;
        let therapies_list = catalog["therapies"].as_array().expect("therapies");
        let retired = therapies_list.iter().find(|t| t["code"] == "disease_modifying").expect("still listed");
        assert_eq!(retired["retired"], true, "{db:?}");
        let open = therapies_list.iter().find(|t| t["code"] == "relapse_cortisone").expect("listed");
        assert!(open.get("retired").is_none(), "{db:?}: {open}");

        // Anna keeps it: readable, and saving the same list again is fine.
        let me = ok(&s, &anna.token, "GET", "/a/ms/api/v1/me", None).await;
        assert_eq!(me["profile"]["therapies"], json!(["disease_modifying", "relapse_cortisone"]), "{db:?}: {me}");
        profile(&s, &anna, therapies.clone()).await;
        // Dropped, it cannot come back; Ben cannot choose it at all.
        profile(&s, &anna, json!({"fields": {"therapies": ["relapse_cortisone"]}})).await;
        let (status, body) = call(&s, &anna.token, "PUT", "/a/ms/api/v1/me/profile", Some(therapies.clone())).await;
        assert_eq!(
            (status, body["error"]["fields"]["fields.therapies"].clone()),
            (422, json!("is retired and can no longer be chosen")),
            "{db:?}: {body}"
        );
        let (status, body) =
            call(&s, &ben.token, "PUT", "/a/ms/api/v1/me/profile", Some(json!({"fields": {"region": "bw"}}))).await;
        assert_eq!(status, 422, "{db:?}: {body}");
        assert_eq!(
            ok(&s, &anna.token, "GET", "/a/ms/api/v1/me", None).await["profile"]["region"],
            "bw",
            "{db:?}: kept"
        );
        // A new group cannot be tagged with it either, nor placed in the retired region.
        for tags in [json!({"therapies": ["disease_modifying"]}), json!({"region": "bw"})] {
            let mut body = json!({"name": "Neue Gruppe", "description": "", "visibility": "open"});
            for (k, v) in tags.as_object().expect("tags") {
                body[k] = v.clone();
            }
            let (status, body) = call(&s, &ben.token, "POST", "/a/ms/api/v1/groups", Some(body)).await;
            assert_eq!(status, 422, "{db:?}: {body}");
        }
        let (cookie, _) = crate::staff_flags::page_sign_in(&s, "ben@example.org", crate::members::PASSWORD).await;
        let form = crate::staff_flags::page(&s, &cookie, "/a/ms/groups/new").await;
        assert!(!form.contains("value=\"disease_modifying\""), "{db:?}: not offered");
        assert!(form.contains("value=\"relapse_cortisone\""), "{db:?}: others are");
        s.stop().await;
    }
}
