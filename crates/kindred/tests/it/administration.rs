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

        for query in ["from=yesterday", "from=2026-11-22&to=2026-11-01", "from=2024-01-01&to=2026-11-22"] {
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
