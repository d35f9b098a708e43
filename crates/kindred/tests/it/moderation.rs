//! Moderation over HTTP, on both databases: reports and how they are
//! routed (crisis to the staff on duty with the crisis contacts for the
//! reporter, medical advice to professionals), the queue, and the actions
//! of moderators with their reasons — refused to everyone else, and never
//! reaching into a secret group from outside.

use crate::harness::{api_error, Db, TestServer, BOTH};
use crate::members::{call, ok, someone, Someone};
use kindred_service::Association;
use serde_json::{json, Value};
use sqlx::Connection;

const API: &str = "/a/ms/api/v1";

/// The navigation's link to the moderation queue.
const MODERATION_LINK: &str = "href=\"/a/ms/moderation\"";

fn api(path: &str) -> String {
    format!("{API}{path}")
}

/// A staff account of a role, signed in.
async fn staff(s: &TestServer, ms: &Association, name: &str, role: &str) -> Someone {
    let email = format!("{}@example.org", name.to_lowercase());
    let id = s.user(ms, &email, name, role).await;
    let token = s.login_staff(ms, &email).await;
    Someone { id, token }
}

/// The notifications a member holds, read from the database: (kind, detail, actor label).
async fn notifications(s: &TestServer, db: Db, member: &str) -> Vec<(String, Option<String>, Option<String>)> {
    let sql = "SELECT kind, detail, actor_label FROM notifications WHERE member_id = $1 ORDER BY created_at, id";
    match db {
        Db::Sqlite => {
            let mut conn = sqlx::SqliteConnection::connect(&s.database_url).await.expect("sqlite");
            sqlx::query_as(sql).bind(member).fetch_all(&mut conn).await.expect("notifications")
        }
        Db::Postgres => {
            let mut conn = sqlx::PgConnection::connect(&s.database_url).await.expect("postgres");
            sqlx::query_as(sql).bind(member).fetch_all(&mut conn).await.expect("notifications")
        }
    }
}

async fn count_rows(s: &TestServer, db: Db, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    match db {
        Db::Sqlite => {
            let mut conn = sqlx::SqliteConnection::connect(&s.database_url).await.expect("sqlite");
            sqlx::query_scalar(&sql).fetch_one(&mut conn).await.expect("count")
        }
        Db::Postgres => {
            let mut conn = sqlx::PgConnection::connect(&s.database_url).await.expect("postgres");
            sqlx::query_scalar(&sql).fetch_one(&mut conn).await.expect("count")
        }
    }
}

fn kinds(list: &[(String, Option<String>, Option<String>)]) -> Vec<&str> {
    list.iter().map(|n| n.0.as_str()).collect()
}

async fn category(s: &TestServer, admin: &Someone, name: &str) -> String {
    let made = ok(s, &admin.token, "POST", &api("/forum/categories"), Some(json!({"name": name}))).await;
    made["category_id"].as_str().expect("category id").to_owned()
}

async fn topic(s: &TestServer, who: &Someone, place: Value, title: &str, body: &str) -> String {
    let mut request = place;
    request["title"] = json!(title);
    request["body"] = json!(body);
    let made = ok(s, &who.token, "POST", &api("/forum/topics"), Some(request)).await;
    made["topic_id"].as_str().expect("topic id").to_owned()
}

async fn reply(s: &TestServer, who: &Someone, topic: &str, body: &str) -> String {
    let made =
        ok(s, &who.token, "POST", &api(&format!("/forum/topics/{topic}/posts")), Some(json!({"body": body}))).await;
    made["post_id"].as_str().expect("post id").to_owned()
}

async fn topic_page(s: &TestServer, who: &Someone, topic: &str) -> Value {
    ok(s, &who.token, "GET", &api(&format!("/forum/topics/{topic}")), None).await
}

fn post<'a>(page: &'a Value, id: &str) -> &'a Value {
    page["posts"].as_array().expect("posts").iter().find(|p| p["post_id"] == id).expect("the post")
}

/// Every action on a post or topic, with its path.
fn actions(post: &str, topic: &str, category: &str) -> Vec<(String, Value)> {
    let reason = json!({"reason": "Bitte freundlich bleiben"});
    let mut list: Vec<(String, Value)> =
        ["hide", "restore", "warn"].iter().map(|a| (format!("/forum/posts/{post}/{a}"), reason.clone())).collect();
    for a in ["hide", "restore", "lock", "unlock", "pin", "unpin"] {
        list.push((format!("/forum/topics/{topic}/{a}"), reason.clone()));
    }
    list.push((
        format!("/forum/topics/{topic}/move"),
        json!({"reason": "Passt besser dorthin", "category_id": category}),
    ));
    list
}

#[tokio::test]
async fn moderation_actions_are_for_moderators_and_keep_their_reasons() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let admin = staff(&s, &ms, "Admina", "admin").await;
        let moderator = staff(&s, &ms, "Moritz", "moderator").await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        let daily = category(&s, &admin, "Alltag").await;
        let therapy = category(&s, &admin, "Therapie").await;
        let topic_id =
            topic(&s, &anna, json!({"category_id": daily}), "Müdigkeit am Nachmittag", "Wie geht ihr damit um?").await;
        let post_id = reply(&s, &ben, &topic_id, "Ihr stellt euch alle nur an.").await;
        let before = topic_page(&s, &anna, &topic_id).await;

        // A plain member may see both, but moderate neither: 403, nothing changes.
        for (path, body) in actions(&post_id, &topic_id, &therapy) {
            let response = s.client.post(s.url(&api(&path))).bearer_auth(&anna.token).json(&body).send().await.unwrap();
            assert_eq!(api_error(response).await, (403, "forbidden".to_owned()), "{db:?} {path}");
        }
        let history =
            call(&s, &anna.token, "GET", &api(&format!("/moderation/actions?target_id={post_id}")), None).await;
        assert_eq!(history.0, 403, "{db:?}");
        assert_eq!(topic_page(&s, &anna, &topic_id).await, before, "{db:?}: nothing changed");
        assert_eq!(count_rows(&s, db, "moderation_actions").await, 0, "{db:?}");

        // Unknown targets are 404, as for anything invisible.
        let unknown = "aaaaaaaaaaaaaaaaaaaaaaaaaa";
        for path in [format!("/forum/posts/{unknown}/hide"), format!("/forum/topics/{unknown}/lock")] {
            let (status, _) = call(&s, &moderator.token, "POST", &api(&path), Some(json!({"reason": "x"}))).await;
            assert_eq!(status, 404, "{db:?} {path}");
        }

        // A reason is required (1 to 500 characters); without one nothing is written.
        for body in
            [json!({}), json!({"reason": "  "}), json!({"reason": "x".repeat(501)}), json!({"reason": "x", "extra": 1})]
        {
            let (status, answer) =
                call(&s, &moderator.token, "POST", &api(&format!("/forum/posts/{post_id}/hide")), Some(body.clone()))
                    .await;
            assert_eq!((status, answer["error"]["code"].as_str()), (422, Some("invalid_fields")), "{db:?} {body}");
        }
        let (status, _) = call(
            &s,
            &moderator.token,
            "POST",
            &api(&format!("/forum/topics/{topic_id}/move")),
            Some(json!({"reason": "x"})),
        )
        .await;
        assert_eq!(status, 422, "{db:?}: a move needs a destination");
        assert_eq!(count_rows(&s, db, "moderation_actions").await, 0, "{db:?}");
        assert!(!post(&topic_page(&s, &anna, &topic_id).await, &post_id)["hidden"].as_bool().unwrap_or(true));

        // The moderator hides Ben's reply: others see no content, Ben sees that and why.
        ok(
            &s,
            &moderator.token,
            "POST",
            &api(&format!("/forum/posts/{post_id}/hide")),
            Some(json!({"reason": "Beleidigend"})),
        )
        .await;
        let seen_by_anna = topic_page(&s, &anna, &topic_id).await;
        let hidden = post(&seen_by_anna, &post_id);
        assert_eq!(hidden["hidden"], true, "{db:?}");
        assert!(hidden.get("html").is_none() && hidden.get("body").is_none(), "{db:?}: {hidden}");
        assert!(hidden.get("hidden_reason").is_none(), "{db:?}: {hidden}");
        assert!(!seen_by_anna.to_string().contains("anstellen") && !seen_by_anna.to_string().contains("stellt euch"));
        let seen_by_ben = topic_page(&s, &ben, &topic_id).await;
        assert_eq!(post(&seen_by_ben, &post_id)["hidden_reason"], "Beleidigend", "{db:?}");
        let told = notifications(&s, db, &ben.id).await;
        assert_eq!(told, vec![("moderation".to_owned(), Some("Beleidigend".to_owned()), None)], "{db:?}");

        // Warn, lock, pin, move: each with its reason.
        s.clock.advance(chrono::Duration::seconds(60));
        ok(
            &s,
            &moderator.token,
            "POST",
            &api(&format!("/forum/posts/{post_id}/warn")),
            Some(json!({"reason": "Letzte Warnung"})),
        )
        .await;
        assert_eq!(kinds(&notifications(&s, db, &ben.id).await), vec!["moderation", "warning"], "{db:?}");

        // Hiding what is hidden again (two tabs, two moderators) answers as
        // the first time; the audit log has the five requests (and the
        // moderator's look at the hidden post), but the history gains no
        // action and Ben is not told a second time.
        let (actions_before, audit_before) =
            (count_rows(&s, db, "moderation_actions").await, count_rows(&s, db, "audit_log").await);
        ok(
            &s,
            &moderator.token,
            "POST",
            &api(&format!("/forum/posts/{post_id}/hide")),
            Some(json!({"reason": "Noch einmal"})),
        )
        .await;
        for a in ["restore", "unlock", "unpin"] {
            ok(
                &s,
                &moderator.token,
                "POST",
                &api(&format!("/forum/topics/{topic_id}/{a}")),
                Some(json!({"reason": "x"})),
            )
            .await;
        }
        ok(
            &s,
            &moderator.token,
            "POST",
            &api(&format!("/forum/topics/{topic_id}/move")),
            Some(json!({"reason": "Bleibt", "category_id": daily})),
        )
        .await;
        assert_eq!(
            (count_rows(&s, db, "moderation_actions").await, count_rows(&s, db, "audit_log").await),
            (actions_before, audit_before + 6),
            "{db:?}: nothing changed, the requests audited"
        );
        assert_eq!(kinds(&notifications(&s, db, &ben.id).await), vec!["moderation", "warning"], "{db:?}");
        assert_eq!(post(&topic_page(&s, &ben, &topic_id).await, &post_id)["hidden_reason"], "Beleidigend", "{db:?}");

        for a in ["lock", "pin"] {
            ok(
                &s,
                &moderator.token,
                "POST",
                &api(&format!("/forum/topics/{topic_id}/{a}")),
                Some(json!({"reason": "Zu hitzig"})),
            )
            .await;
        }
        let page = topic_page(&s, &anna, &topic_id).await;
        assert_eq!((page["topic"]["locked"].as_bool(), page["topic"]["pinned"].as_bool()), (Some(true), Some(true)));
        let (status, _) = call(
            &s,
            &anna.token,
            "POST",
            &api(&format!("/forum/topics/{topic_id}/posts")),
            Some(json!({"body": "Hallo?"})),
        )
        .await;
        assert_eq!(status, 403, "{db:?}: locked");
        ok(
            &s,
            &moderator.token,
            "POST",
            &api(&format!("/forum/topics/{topic_id}/move")),
            Some(json!({"reason": "Gehört zur Therapie", "category_id": therapy})),
        )
        .await;
        assert_eq!(topic_page(&s, &anna, &topic_id).await["topic"]["category_id"], json!(therapy), "{db:?}");
        let categories = ok(&s, &anna.token, "GET", &api("/forum/categories"), None).await;
        let count = |id: &str| {
            categories["categories"].as_array().expect("categories").iter().find(|c| c["category_id"] == id).expect("c")
                ["topic_count"]
                .as_i64()
        };
        assert_eq!((count(&daily), count(&therapy)), (Some(0), Some(1)), "{db:?}: counters follow the topic");

        // The history, with reasons, for moderators.
        let history =
            ok(&s, &moderator.token, "GET", &api(&format!("/moderation/actions?target_id={post_id}")), None).await;
        let entries: Vec<(&str, &str)> = history["actions"]
            .as_array()
            .expect("actions")
            .iter()
            .map(|a| (a["action"].as_str().unwrap(), a["reason"].as_str().unwrap()))
            .collect();
        assert_eq!(entries, vec![("post.hidden", "Beleidigend"), ("post.warned", "Letzte Warnung")], "{db:?}");

        // And in the audit log, with the moderator as actor and the target.
        let audit = ok(&s, &admin.token, "GET", &api("/admin/audit-log"), None).await;
        let logged = |action: &str, target: &str| {
            audit["entries"]
                .as_array()
                .expect("entries")
                .iter()
                .any(|e| e["action"] == action && e["target_id"] == target && e["actor_id"] == json!(moderator.id))
        };
        for (action, target) in [
            ("post.hidden", &post_id),
            ("post.warned", &post_id),
            ("topic.locked", &topic_id),
            ("topic.pinned", &topic_id),
            ("topic.moved", &topic_id),
        ] {
            assert!(logged(action, target), "{db:?}: {action} in {audit}");
        }

        // Restored, the post is back for everyone.
        ok(
            &s,
            &moderator.token,
            "POST",
            &api(&format!("/forum/posts/{post_id}/restore")),
            Some(json!({"reason": "Geklärt"})),
        )
        .await;
        let page = topic_page(&s, &anna, &topic_id).await;
        assert_eq!(post(&page, &post_id)["hidden"], false, "{db:?}");
        assert!(post(&page, &post_id)["html"].as_str().is_some_and(|h| h.contains("stellt euch")), "{db:?}");
        s.stop().await;
    }
}

#[tokio::test]
async fn reports_are_routed_by_kind_and_the_reporter_gets_crisis_contacts() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let admin = staff(&s, &ms, "Admina", "admin").await;
        let moderator = staff(&s, &ms, "Moritz", "moderator").await;
        let doctor = staff(&s, &ms, "Weiss", "professional").await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        let daily = category(&s, &admin, "Alltag").await;
        let topic_id =
            topic(&s, &anna, json!({"category_id": daily}), "Ich kann nicht mehr", "Alles ist zu viel.").await;
        let post_id = reply(&s, &anna, &topic_id, "Nehmt einfach doppelt so viel Cortison, das hilft immer.").await;

        // Bad bodies: 422, nothing written.
        for body in [
            json!({"target_type": "member", "target_id": post_id, "reason": "spam"}),
            json!({"target_type": "post", "target_id": post_id, "kind": "rude"}),
            json!({"target_type": "post", "target_id": post_id, "reason": "x".repeat(1001)}),
            json!({"target_type": "post", "target_id": post_id, "reason": "spam", "reporter_id": admin.id}),
            json!({"target_id": post_id, "reason": "spam"}),
        ] {
            let (status, answer) = call(&s, &ben.token, "POST", &api("/reports"), Some(body.clone())).await;
            assert_eq!((status, answer["error"]["code"].as_str()), (422, Some("invalid_fields")), "{db:?} {body}");
        }
        assert_eq!(count_rows(&s, db, "reports").await, 0, "{db:?}");

        // A crisis: the reporter sees whom to call, staff on duty hear at once.
        let filed = ok(
            &s,
            &ben.token,
            "POST",
            &api("/reports"),
            Some(json!({"target_type": "topic", "target_id": topic_id, "reason": "crisis"})),
        )
        .await;
        assert_eq!(filed["kind"], "crisis", "{db:?}");
        let contacts = filed["crisis_contacts"].as_array().expect("crisis contacts");
        assert_eq!(contacts.len(), 3, "{db:?}");
        assert_eq!(contacts[2]["phone"], "112", "{db:?}");
        assert!(contacts[0]["name"].as_str().is_some_and(|n| n.contains("TelefonSeelsorge")), "{db:?}");
        for who in [&admin, &moderator] {
            let told = notifications(&s, db, &who.id).await;
            assert_eq!(told.len(), 1, "{db:?}");
            assert_eq!(told[0].0, "crisis_report", "{db:?}");
            assert_eq!(told[0].2, None, "{db:?}: no word of who reported");
        }
        assert!(notifications(&s, db, &doctor.id).await.is_empty(), "{db:?}");
        assert!(notifications(&s, db, &anna.id).await.is_empty(), "{db:?}: the author is not told");
        for email in ["admina@example.org", "moritz@example.org"] {
            // Staff set up an authenticator app first (the MS association
            // asks them to), and were told so by mail; then the crisis.
            let mails = s.mails_to(email, 2).await;
            let crisis = &mails[1];
            assert!(crisis.contains("/a/ms/moderation"), "{db:?}: a link to the queue");
            assert!(!crisis.contains("Alles ist zu viel") && !crisis.contains("Ben"), "{db:?}: no content");
        }

        s.clock.advance(chrono::Duration::seconds(60));
        // Questionable medical advice: for professionals too.
        let medical = ok(
            &s,
            &ben.token,
            "POST",
            &api("/reports"),
            Some(json!({"target_type": "post", "target_id": post_id, "kind": "medical_advice", "reason": "Gefährliche Dosis"})),
        )
        .await;
        assert!(medical.get("crisis_contacts").is_none(), "{db:?}: absent, not null");
        assert_eq!(kinds(&notifications(&s, db, &doctor.id).await), vec!["medical_report"], "{db:?}");
        s.clock.advance(chrono::Duration::seconds(60));
        let spam = ok(
            &s,
            &ben.token,
            "POST",
            &api("/reports"),
            Some(json!({"target_type": "post", "target_id": post_id, "reason": "spam"})),
        )
        .await;
        assert_eq!(spam["kind"], "spam");

        // The queue: crisis first, then oldest first; professionals see medical advice only, read-only.
        let queue = ok(&s, &moderator.token, "GET", &api("/moderation/reports?status=open"), None).await;
        let listed: Vec<&str> =
            queue["reports"].as_array().expect("reports").iter().map(|r| r["kind"].as_str().unwrap()).collect();
        assert_eq!(listed, vec!["crisis", "medical_advice", "spam"], "{db:?}");
        let first = &queue["reports"][1];
        assert_eq!(first["reason"], "Gefährliche Dosis", "{db:?}");
        assert_eq!(first["target"]["type"], "post");
        assert_eq!(first["target"]["topic_id"], json!(topic_id));
        assert_eq!(first["target"]["author"], "Anna", "{db:?}");
        assert!(first["target"]["excerpt"].as_str().is_some_and(|e| e.contains("Cortison")), "{db:?}");
        assert!(!queue.to_string().contains(&ben.id), "{db:?}: the reporter stays unnamed");
        let theirs = ok(&s, &doctor.token, "GET", &api("/moderation/reports"), None).await;
        let listed: Vec<(&str, bool)> = theirs["reports"]
            .as_array()
            .expect("reports")
            .iter()
            .map(|r| (r["kind"].as_str().unwrap(), r["target"]["moderate"].as_bool().unwrap()))
            .collect();
        assert_eq!(listed, vec![("medical_advice", false)], "{db:?}");
        let response = s.client.get(s.url(&api("/moderation/reports"))).bearer_auth(&ben.token).send().await.unwrap();
        assert_eq!(api_error(response).await, (403, "forbidden".to_owned()), "{db:?}");
        let (status, _) = call(&s, &moderator.token, "GET", &api("/moderation/reports?status=whatever"), None).await;
        assert_eq!(status, 422);

        // Closing reports: moderators only; once.
        let spam_id = spam["report_id"].as_str().unwrap();
        let resolve = api(&format!("/moderation/reports/{spam_id}/resolve"));
        let (status, _) = call(&s, &ben.token, "POST", &resolve, Some(json!({"resolution": "dismissed"}))).await;
        assert_eq!(status, 403, "{db:?}");
        let (status, _) = call(&s, &doctor.token, "POST", &resolve, Some(json!({"resolution": "dismissed"}))).await;
        assert_eq!(status, 403, "{db:?}");
        let (status, _) = call(&s, &moderator.token, "POST", &resolve, Some(json!({"resolution": "gone"}))).await;
        assert_eq!(status, 422, "{db:?}");
        ok(&s, &moderator.token, "POST", &resolve, Some(json!({"resolution": "dismissed", "note": "Kein Spam"}))).await;
        let (status, answer) =
            call(&s, &moderator.token, "POST", &resolve, Some(json!({"resolution": "resolved"}))).await;
        assert_eq!((status, answer["error"]["code"].as_str()), (409, Some("report_closed")), "{db:?}");
        let queue = ok(&s, &moderator.token, "GET", &api("/moderation/reports"), None).await;
        assert_eq!(queue["reports"].as_array().map(Vec::len), Some(2), "{db:?}");
        let closed = ok(&s, &moderator.token, "GET", &api("/moderation/reports?status=dismissed"), None).await;
        assert_eq!(closed["reports"][0]["report_id"], json!(spam_id), "{db:?}");

        // An anonymous post's author cannot be warned: nobody knows who it is.
        s.stop().await;
    }
}

#[tokio::test]
async fn reports_on_secret_group_content_stay_in_the_group() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let admin = staff(&s, &ms, "Admina", "admin").await;
        let moderator = staff(&s, &ms, "Moritz", "moderator").await;
        let carla = someone(&s, &ms, "Carla").await;
        let dora = someone(&s, &ms, "Dora").await;
        let ben = someone(&s, &ms, "Ben").await;
        let group = ok(
            &s,
            &carla.token,
            "POST",
            &api("/groups"),
            Some(json!({"name": "Nachtgedanken", "visibility": "secret", "anonymous_allowed": true})),
        )
        .await["group_id"]
            .as_str()
            .expect("group id")
            .to_owned();
        ok(
            &s,
            &carla.token,
            "POST",
            &api(&format!("/groups/{group}/invitations")),
            Some(json!({"member_id": dora.id})),
        )
        .await;
        ok(&s, &dora.token, "POST", &api(&format!("/groups/{group}/join")), None).await;
        let topic_id = topic(&s, &dora, json!({"group_id": group}), "Schlaflos", "Seit Wochen schlafe ich kaum.").await;
        let anonymous = ok(
            &s,
            &dora.token,
            "POST",
            &api(&format!("/forum/topics/{topic_id}/posts")),
            Some(json!({"body": "Mir geht es genauso.", "anonymous": true})),
        )
        .await["post_id"]
            .as_str()
            .expect("post id")
            .to_owned();

        // From outside, reporting it is exactly like reporting nothing.
        let unknown = "aaaaaaaaaaaaaaaaaaaaaaaaaa";
        let mut answers = Vec::new();
        for (who, target) in
            [(&ben, &topic_id), (&ben, &unknown.to_owned()), (&moderator, &topic_id), (&admin, &topic_id)]
        {
            let response = s
                .client
                .post(s.url(&api("/reports")))
                .bearer_auth(&who.token)
                .json(&json!({"target_type": "topic", "target_id": target, "reason": "crisis"}))
                .send()
                .await
                .unwrap();
            answers.push((response.status().as_u16(), response.text().await.unwrap()));
        }
        assert!(answers.iter().all(|a| a == &answers[1] && a.0 == 404), "{db:?}: {answers:?}");
        for path in [format!("/forum/topics/{topic_id}/hide"), format!("/forum/posts/{anonymous}/hide")] {
            let (status, _) = call(&s, &moderator.token, "POST", &api(&path), Some(json!({"reason": "x"}))).await;
            assert_eq!(status, 404, "{db:?}: staff do not see secret groups");
        }
        assert_eq!(count_rows(&s, db, "reports").await, 0, "{db:?}");

        // A member reports a crisis: the group's moderator hears of it, not the staff who cannot see it.
        let filed = ok(
            &s,
            &dora.token,
            "POST",
            &api("/reports"),
            Some(json!({"target_type": "post", "target_id": anonymous, "kind": "crisis", "details": "Sorge um jemanden"})),
        )
        .await;
        assert!(filed["crisis_contacts"].as_array().is_some_and(|c| !c.is_empty()), "{db:?}");
        assert_eq!(kinds(&notifications(&s, db, &carla.id).await), vec!["crisis_report"], "{db:?}");
        assert!(notifications(&s, db, &admin.id).await.is_empty(), "{db:?}");
        assert!(notifications(&s, db, &moderator.id).await.is_empty(), "{db:?}");
        s.mails_to("carla@example.org", 1).await;
        for who in [&admin, &moderator] {
            let queue = ok(&s, &who.token, "GET", &api("/moderation/reports"), None).await;
            assert_eq!(queue["reports"], json!([]), "{db:?}");
        }
        let queue = ok(&s, &carla.token, "GET", &api("/moderation/reports"), None).await;
        assert_eq!(queue["reports"].as_array().map(Vec::len), Some(1), "{db:?}");
        let target = &queue["reports"][0]["target"];
        assert!(target.get("author").is_none(), "{db:?}: an anonymous post has no author, for moderators too");
        assert!(!queue.to_string().contains(&dora.id) && !queue.to_string().contains("Dora"), "{db:?}: {queue}");

        // The group's moderator acts; an anonymous author cannot be warned.
        let warn = api(&format!("/forum/posts/{anonymous}/warn"));
        let response =
            s.client.post(s.url(&warn)).bearer_auth(&carla.token).json(&json!({"reason": "x"})).send().await.unwrap();
        assert_eq!(api_error(response).await, (409, "author_unknown".to_owned()), "{db:?}");
        ok(
            &s,
            &carla.token,
            "POST",
            &api(&format!("/forum/posts/{anonymous}/hide")),
            Some(json!({"reason": "Zum Schutz"})),
        )
        .await;
        let (status, _) = call(
            &s,
            &carla.token,
            "POST",
            &api(&format!("/forum/topics/{topic_id}/move")),
            Some(json!({"reason": "raus", "group_id": group})),
        )
        .await;
        assert_eq!(status, 200, "{db:?}: within the same group is fine");
        s.stop().await;
    }
}

/// A page session: the cookie and the CSRF token of its forms.
async fn page_session(s: &TestServer, email: &str) -> (String, String) {
    let response = s
        .client
        .post(s.url("/a/ms/sign-in"))
        .form(&[("email", email), ("password", crate::members::PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303, "sign-in as {email}");
    let token = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("__Host-kindred-ms="))
        .and_then(|v| v.split(';').next())
        .expect("session cookie")
        .to_owned();
    (format!("__Host-kindred-ms={token}"), kindred_service::sessions::csrf_token(&token))
}

async fn page_get(s: &TestServer, cookie: &str, path: &str) -> (u16, String) {
    let response = s.client.get(s.url(path)).header("cookie", cookie).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn page_post(s: &TestServer, cookie: &str, path: &str, form: &[(&str, &str)]) -> (u16, String, String) {
    let response = s.client.post(s.url(path)).header("cookie", cookie).form(form).send().await.unwrap();
    let location = response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    (response.status().as_u16(), location, response.text().await.unwrap())
}

#[tokio::test]
async fn the_report_form_and_the_queue_work_without_javascript() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let carla = someone(&s, &ms, "Carla").await;
        let ben = someone(&s, &ms, "Ben").await;
        someone(&s, &ms, "Anna").await;
        let group =
            ok(&s, &carla.token, "POST", &api("/groups"), Some(json!({"name": "Radtour", "visibility": "open"}))).await
                ["group_id"]
                .as_str()
                .expect("group id")
                .to_owned();
        ok(&s, &ben.token, "POST", &api(&format!("/groups/{group}/join")), None).await;
        let topic_id = topic(&s, &ben, json!({"group_id": group}), "Sonntag", "Ich sehe keinen Sinn mehr.").await;

        // Anna reports a crisis with the form; the crisis contacts come at once.
        let (anna, anna_csrf) = page_session(&s, "anna@example.org").await;
        let form_path = format!("/a/ms/report?target_type=topic&target_id={topic_id}");
        let (status, html) = page_get(&s, &anna, &form_path).await;
        assert_eq!(status, 200, "{db:?}: {html}");
        assert_eq!(html.matches("<h1").count(), 1);
        assert!(html.contains("type=\"radio\" name=\"kind\" value=\"crisis\" id=\"kind\""), "{db:?}");
        let (status, _) =
            page_get(&s, &anna, "/a/ms/report?target_type=topic&target_id=aaaaaaaaaaaaaaaaaaaaaaaaaa").await;
        assert_eq!(status, 404, "{db:?}");
        let target = [("target_type", "topic"), ("target_id", topic_id.as_str())];
        let mut form = vec![("csrf", anna_csrf.as_str()), ("kind", "")];
        form.extend(target);
        let (status, _, html) = page_post(&s, &anna, "/a/ms/report", &form).await;
        assert_eq!(status, 422, "{db:?}: no kind chosen");
        assert!(html.contains("error-summary") && html.contains("href=\"#kind\""), "{db:?}");
        let mut form = vec![("csrf", anna_csrf.as_str()), ("kind", "crisis"), ("details", "Bitte schaut nach Ben")];
        form.extend(target);
        let (status, location, _) = page_post(&s, &anna, "/a/ms/report", &form).await;
        assert_eq!((status, location.as_str()), (303, "/a/ms/report/sent?kind=crisis"), "{db:?}");
        let (status, html) = page_get(&s, &anna, &location).await;
        assert_eq!(status, 200);
        assert!(html.contains("href=\"tel:112\"") && html.contains("TelefonSeelsorge"), "{db:?}");
        let (status, _) = page_get(&s, &anna, "/a/ms/moderation").await;
        assert_eq!(status, 403, "{db:?}: Anna moderates nothing");
        let (_, html) = page_get(&s, &anna, "/a/ms/forum").await;
        assert!(!html.contains(MODERATION_LINK), "{db:?}: and has no way there");

        // Carla moderates the group: the navigation leads her to the queue,
        // a reason is required, then the topic is locked.
        let (carla_cookie, carla_csrf) = page_session(&s, "carla@example.org").await;
        let (_, html) = page_get(&s, &carla_cookie, "/a/ms/forum").await;
        assert!(html.contains(MODERATION_LINK), "{db:?}: a plain member who moderates a group");
        let (status, html) = page_get(&s, &carla_cookie, "/a/ms/moderation").await;
        assert_eq!(status, 200, "{db:?}");
        assert!(html.contains("Bitte schaut nach Ben") && html.contains("Ich sehe keinen Sinn mehr."), "{db:?}");
        assert!(!html.contains("Anna"), "{db:?}: the reporter is not named");
        let report_id = {
            let start = html.find("name=\"report_id\" value=\"").expect("a form") + "name=\"report_id\" value=\"".len();
            html[start..].split('"').next().unwrap().to_owned()
        };
        let act = |action: &'static str, reason: &'static str| {
            vec![
                ("csrf", carla_csrf.clone()),
                ("report_id", report_id.clone()),
                ("target_type", "topic".to_owned()),
                ("target_id", topic_id.clone()),
                ("action", action.to_owned()),
                ("reason", reason.to_owned()),
            ]
        };
        let form = act("lock", " ");
        let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, _, html) = page_post(&s, &carla_cookie, "/a/ms/moderation/act", &fields).await;
        assert_eq!(status, 422, "{db:?}");
        assert!(html.contains(&format!("href=\"#reason-{report_id}\"")), "{db:?}");
        assert!(!topic_page(&s, &ben, &topic_id).await["topic"]["locked"].as_bool().unwrap());
        let mut form = act("lock", "Zur Ruhe kommen lassen");
        form.push(("close", "yes".to_owned()));
        let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, location, _) = page_post(&s, &carla_cookie, "/a/ms/moderation/act", &fields).await;
        assert_eq!((status, location.as_str()), (303, "/a/ms/moderation?done=lock"), "{db:?}");
        assert!(topic_page(&s, &ben, &topic_id).await["topic"]["locked"].as_bool().unwrap(), "{db:?}");
        let (_, html) = page_get(&s, &carla_cookie, "/a/ms/moderation").await;
        assert!(!html.contains("Bitte schaut nach Ben"), "{db:?}: the report is closed");
        let (_, html) = page_get(&s, &carla_cookie, "/a/ms/moderation?status=resolved").await;
        assert!(html.contains("Bitte schaut nach Ben"), "{db:?}");
        s.stop().await;
    }
}

#[tokio::test]
async fn in_an_alias_group_moderation_shows_and_tells_aliases_only() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let admin = staff(&s, &ms, "Admina", "admin").await;
        let carla = someone(&s, &ms, "Carla").await;
        let ben = someone(&s, &ms, "Benedikt").await;
        let group = ok(
            &s,
            &carla.token,
            "POST",
            &api("/groups"),
            Some(json!({"name": "Ohne Namen", "visibility": "open", "alias_mode": true})),
        )
        .await["group_id"]
            .as_str()
            .expect("group id")
            .to_owned();
        ok(&s, &ben.token, "POST", &api(&format!("/groups/{group}/join")), None).await;
        let topic_id = topic(&s, &ben, json!({"group_id": group}), "Rückfall", "Es geht wieder los.").await;
        let post_id = reply(&s, &ben, &topic_id, "Und keiner versteht es.").await;
        let page = topic_page(&s, &carla, &topic_id).await;
        let alias = post(&page, &post_id)["author"]["alias"].as_str().expect("an alias").to_owned();

        ok(
            &s,
            &carla.token,
            "POST",
            &api("/reports"),
            Some(json!({"target_type": "post", "target_id": post_id, "reason": "abuse"})),
        )
        .await;
        for who in [&carla, &admin] {
            let queue = ok(&s, &who.token, "GET", &api("/moderation/reports"), None).await;
            let text = queue.to_string();
            assert!(!text.contains("Benedikt") && !text.contains(&ben.id), "{db:?}: {text}");
            assert_eq!(queue["reports"].as_array().map(Vec::len), Some(1), "{db:?}");
            assert_eq!(queue["reports"][0]["target"]["author"], json!(alias), "{db:?}");
        }

        // The group moderator warns: the author hears of it, the answer says nothing of who it is.
        let warned = ok(
            &s,
            &carla.token,
            "POST",
            &api(&format!("/forum/posts/{post_id}/warn")),
            Some(json!({"reason": "Bitte sachlich bleiben"})),
        )
        .await;
        assert_eq!(warned, json!({"status": "warned"}), "{db:?}");
        assert_eq!(
            notifications(&s, db, &ben.id).await,
            vec![("warning".to_owned(), Some("Bitte sachlich bleiben".to_owned()), None)],
            "{db:?}"
        );
        // The audit log does not name the group's moderator by account (her alias would be tied to it).
        let audit = ok(&s, &admin.token, "GET", &api("/admin/audit-log"), None).await;
        let entry = audit["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .find(|e| e["action"] == "post.warned")
            .expect("the warning is logged")
            .clone();
        assert!(entry.get("actor_id").is_none_or(|a| a.is_null()), "{db:?}: {entry}");
        assert!(!audit.to_string().contains(&carla.id) && !audit.to_string().contains(&ben.id), "{db:?}");
        // Her looks at the queue are logged too, without her name; the admin's with his.
        let views = audited(&audit, "reports.viewed");
        assert!(views.iter().any(|v| v.0.is_null()) && views.contains(&(json!(admin.id), Value::Null, json!("open"))));
        s.stop().await;
    }
}

/// A hidden topic: its author — also an anonymous one, recognised by the
/// seal only — still opens it and reads why; everyone else gets the 404 of
/// a topic that never was, and nobody learns who wrote the anonymous one.
#[tokio::test]
async fn the_author_of_a_hidden_topic_sees_that_and_why() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let admin = staff(&s, &ms, "Admina", "admin").await;
        let moderator = staff(&s, &ms, "Moritz", "moderator").await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        let body = json!({"name": "Offen", "anonymous_allowed": true});
        let open = ok(&s, &admin.token, "POST", &api("/forum/categories"), Some(body)).await["category_id"]
            .as_str()
            .expect("category id")
            .to_owned();
        let named = topic(&s, &anna, json!({"category_id": open}), "Wunderheilung", "Kauft meine Tropfen").await;
        let masked =
            topic(&s, &anna, json!({"category_id": open, "anonymous": true}), "Ohne Namen", "Kauft Tropfen").await;
        for (id, reason) in [(&named, "Werbung"), (&masked, "Werbung ohne Namen")] {
            ok(
                &s,
                &moderator.token,
                "POST",
                &api(&format!("/forum/topics/{id}/hide")),
                Some(json!({"reason": reason})),
            )
            .await;
        }
        for (id, reason) in [(&named, "Werbung"), (&masked, "Werbung ohne Namen")] {
            let page = topic_page(&s, &anna, id).await;
            assert_eq!(page["topic"]["hidden"], true, "{db:?}: {page}");
            assert_eq!(page["topic"]["hidden_reason"], reason, "{db:?}: {page}");
            let page = topic_page(&s, &moderator, id).await;
            assert_eq!(page["topic"]["hidden_reason"], reason, "{db:?}");
            let response = s
                .client
                .get(s.url(&api(&format!("/forum/topics/{id}"))))
                .bearer_auth(&ben.token)
                .send()
                .await
                .expect("get");
            assert_eq!(api_error(response).await, (404, "not_found".into()), "{db:?}");
        }
        let page = topic_page(&s, &moderator, &masked).await;
        assert!(!page.to_string().contains("Anna") && !page.to_string().contains(&anna.id), "{db:?}: {page}");
        // Restored, the reason goes with the hiding.
        let restore = api(&format!("/forum/topics/{masked}/restore"));
        ok(&s, &moderator.token, "POST", &restore, Some(json!({"reason": "Geklärt"}))).await;
        let page = topic_page(&s, &ben, &masked).await;
        assert!(page["topic"].get("hidden_reason").is_none(), "{db:?}: {page}");

        // The page says it too, without JavaScript.
        let browser = crate::forum_search::Browser::sign_in(&s, "anna@example.org").await;
        let (status, html) = browser.get(&format!("/a/ms/forum/topics/{named}?lang=en")).await;
        assert_eq!(status, 200, "{db:?}: {html}");
        assert!(html.contains("A moderator hid this topic") && html.contains("Werbung"), "{db:?}: {html}");
        s.stop().await;
    }
}

/// A category's counters as every member sees them: (topics, posts, last post).
async fn counters(s: &TestServer, who: &Someone, category: &str) -> (Value, Value, Value) {
    let list = ok(s, &who.token, "GET", &api("/forum/categories"), None).await;
    let found = list["categories"].as_array().expect("categories").iter().find(|c| c["category_id"] == category);
    let c = found.expect("the category").clone();
    (c["topic_count"].clone(), c["post_count"].clone(), c.get("last_post_at").cloned().unwrap_or(Value::Null))
}

/// A hidden topic counts in no category's counters: hiding, restoring and
/// moving it count the category anew, a reply in it moves nothing a member
/// sees, and migration 0039 counts existing categories the same way.
#[tokio::test]
async fn a_hidden_topic_moves_no_category_counter() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let admin = staff(&s, &ms, "Admina", "admin").await;
        let moderator = staff(&s, &ms, "Moritz", "moderator").await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        let daily = category(&s, &admin, "Alltag").await;
        let other = category(&s, &admin, "Sonstiges").await;
        topic(&s, &anna, json!({"category_id": daily}), "Sichtbar", "Für alle").await;
        let visible = counters(&s, &ben, &daily).await;
        let empty = counters(&s, &ben, &other).await;
        assert_eq!((visible.0.as_i64(), visible.1.as_i64()), (Some(1), Some(1)), "{db:?}");
        s.clock.advance(chrono::Duration::minutes(1));
        let hidden = topic(&s, &anna, json!({"category_id": daily}), "Versteckt", "Wird versteckt").await;
        reply(&s, &anna, &hidden, "Noch etwas").await;
        let path = |action: &str| api(&format!("/forum/topics/{hidden}/{action}"));
        let reason = |text: &str| Some(json!({"reason": text}));

        ok(&s, &moderator.token, "POST", &path("hide"), reason("Werbung")).await;
        assert_eq!(counters(&s, &ben, &daily).await, visible, "{db:?}: as if it never was");
        s.clock.advance(chrono::Duration::minutes(1));
        reply(&s, &moderator, &hidden, "Nur für die Moderation").await;
        assert_eq!(counters(&s, &ben, &daily).await, visible, "{db:?}: a reply in it moves nothing");

        ok(&s, &moderator.token, "POST", &path("restore"), reason("Geklärt")).await;
        let restored = counters(&s, &ben, &daily).await;
        assert_eq!((restored.0.as_i64(), restored.1.as_i64()), (Some(2), Some(4)), "{db:?}: {restored:?}");
        assert_ne!(restored.2, visible.2, "{db:?}: the last post is the restored topic's");

        // Moved while hidden: neither category counts it; restored, the new one does.
        ok(&s, &moderator.token, "POST", &path("hide"), reason("Werbung")).await;
        ok(&s, &moderator.token, "POST", &path("move"), Some(json!({"reason": "Falscher Ort", "category_id": other})))
            .await;
        assert_eq!(
            (counters(&s, &ben, &daily).await, counters(&s, &ben, &other).await),
            (visible.clone(), empty.clone()),
            "{db:?}"
        );
        ok(&s, &moderator.token, "POST", &path("restore"), reason("Geklärt")).await;
        let moved = counters(&s, &ben, &other).await;
        assert_eq!((moved.0.as_i64(), moved.1.as_i64(), &moved.2), (Some(1), Some(3), &restored.2), "{db:?}");
        assert_eq!(counters(&s, &ben, &daily).await, visible, "{db:?}");

        // Counters written before (hidden topics counted) are counted anew by the migration.
        ok(&s, &moderator.token, "POST", &path("hide"), reason("Werbung")).await;
        let stale = "UPDATE forum_categories SET topic_count = topic_count + 5, post_count = post_count + 9, \
                     last_post_at = NULL";
        let migration = match db {
            Db::Sqlite => include_str!("../../../kindred-store/migrations/sqlite/0039_visible_category_counts.sql"),
            Db::Postgres => include_str!("../../../kindred-store/migrations/postgres/0039_visible_category_counts.sql"),
        };
        match db {
            Db::Sqlite => {
                let mut conn = sqlx::SqliteConnection::connect(&s.database_url).await.expect("sqlite");
                sqlx::query(stale).execute(&mut conn).await.expect("stale counters");
                sqlx::query(migration).execute(&mut conn).await.expect("migration 0039");
            }
            Db::Postgres => {
                let mut conn = sqlx::PgConnection::connect(&s.database_url).await.expect("postgres");
                sqlx::query(stale).execute(&mut conn).await.expect("stale counters");
                sqlx::query(migration).execute(&mut conn).await.expect("migration 0039");
            }
        }
        assert_eq!((counters(&s, &ben, &daily).await, counters(&s, &ben, &other).await), (visible, empty), "{db:?}");
        s.stop().await;
    }
}

/// The audit entries of one action, as (actor_id, target_id, detail).
fn audited(log: &Value, action: &str) -> Vec<(Value, Value, Value)> {
    log["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["action"] == action)
        .map(|e| (e["actor_id"].clone(), e["target_id"].clone(), e["detail"].clone()))
        .collect()
}

/// Every look of a moderator at what members cannot see is in the audit
/// log, written before it is shown: the queue, a hidden post or topic, a
/// moderation history, a report closed already. Authors reading their own
/// hidden content are not staff looking and write nothing.
#[tokio::test]
async fn moderators_looking_at_reports_and_hidden_content_are_audited() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let admin = staff(&s, &ms, "Admina", "admin").await;
        let moderator = staff(&s, &ms, "Moritz", "moderator").await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        let daily = category(&s, &admin, "Alltag").await;
        let topic_id = topic(&s, &anna, json!({"category_id": daily}), "Schlaf", "Wer schläft schlecht?").await;
        let post_id = reply(&s, &ben, &topic_id, "Ihr stellt euch alle nur an.").await;
        let report = ok(
            &s,
            &anna.token,
            "POST",
            &api("/reports"),
            Some(json!({"target_type": "post", "target_id": post_id, "reason": "abuse"})),
        )
        .await["report_id"]
            .as_str()
            .expect("report id")
            .to_owned();
        let me = json!(moderator.id);

        // The queue: one entry per look, naming the moderator.
        ok(&s, &moderator.token, "GET", &api("/moderation/reports"), None).await;
        let log = ok(&s, &admin.token, "GET", &api("/admin/audit-log"), None).await;
        assert_eq!(audited(&log, "reports.viewed"), vec![(me.clone(), Value::Null, json!("open"))], "{db:?}");

        // A hidden post, read by a moderator on the topic page: logged; by its author: not.
        let body = json!({"reason": "Bitte freundlich bleiben"});
        ok(&s, &moderator.token, "POST", &api(&format!("/forum/posts/{post_id}/hide")), Some(body.clone())).await;
        topic_page(&s, &moderator, &topic_id).await;
        topic_page(&s, &ben, &topic_id).await;
        let log = ok(&s, &admin.token, "GET", &api("/admin/audit-log"), None).await;
        let views = audited(&log, "post.hidden_viewed");
        assert!(views.contains(&(me.clone(), json!(post_id), Value::Null)), "{db:?}: {log}");
        assert!(views.iter().all(|v| v.0 == me), "{db:?}: the author's own look is not staff's: {views:?}");

        // Its moderation history.
        ok(&s, &moderator.token, "GET", &api(&format!("/moderation/actions?target_id={post_id}")), None).await;
        let log = ok(&s, &admin.token, "GET", &api("/admin/audit-log"), None).await;
        assert!(audited(&log, "moderation_history.viewed").contains(&(me.clone(), json!(post_id), Value::Null)));

        // A hidden topic opened by a moderator; its author opens it too, unlogged.
        ok(&s, &moderator.token, "POST", &api(&format!("/forum/topics/{topic_id}/hide")), Some(body)).await;
        let before = audited(&ok(&s, &admin.token, "GET", &api("/admin/audit-log"), None).await, "topic.hidden_viewed");
        topic_page(&s, &moderator, &topic_id).await;
        topic_page(&s, &anna, &topic_id).await;
        let after = audited(&ok(&s, &admin.token, "GET", &api("/admin/audit-log"), None).await, "topic.hidden_viewed");
        assert_eq!(after.len(), before.len() + 1, "{db:?}: {after:?}");
        assert!(after.iter().all(|v| v.0 == me && v.1 == json!(topic_id)), "{db:?}: {after:?}");
        // Its title in the moderator's topic list, which members do not see, is logged too.
        let list = api(&format!("/forum/categories/{daily}/topics"));
        ok(&s, &moderator.token, "GET", &list, None).await;
        let log = ok(&s, &admin.token, "GET", &api("/admin/audit-log"), None).await;
        assert_eq!(audited(&log, "topic.hidden_listed"), vec![(me.clone(), json!(topic_id), Value::Null)], "{db:?}");

        // A report closed twice: the second answers 409 and is logged all the same.
        let path = api(&format!("/moderation/reports/{report}/resolve"));
        ok(&s, &moderator.token, "POST", &path, Some(json!({"resolution": "resolved"}))).await;
        let (status, _) = call(&s, &moderator.token, "POST", &path, Some(json!({"resolution": "dismissed"}))).await;
        assert_eq!(status, 409, "{db:?}");
        let log = ok(&s, &admin.token, "GET", &api("/admin/audit-log"), None).await;
        assert!(audited(&log, "report.dismissed").contains(&(me.clone(), json!(report), json!("already resolved"))));
        s.stop().await;
    }
}

/// A crisis report in the queue: nothing is chosen beforehand (one hasty
/// click must not hide a cry for help), the card guides the moderator with
/// the crisis contacts and the emergency number, and a form sent without
/// an action is refused and changes nothing. Other reports keep their
/// first action chosen.
#[tokio::test]
async fn a_crisis_report_in_the_queue_preselects_nothing_and_guides() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let carla = someone(&s, &ms, "Carla").await;
        let ben = someone(&s, &ms, "Ben").await;
        let anna = someone(&s, &ms, "Anna").await;
        let group =
            ok(&s, &carla.token, "POST", &api("/groups"), Some(json!({"name": "Radtour", "visibility": "open"}))).await
                ["group_id"]
                .as_str()
                .expect("group id")
                .to_owned();
        ok(&s, &ben.token, "POST", &api(&format!("/groups/{group}/join")), None).await;
        let topic_id = topic(&s, &ben, json!({"group_id": group}), "Sonntag", "Ich sehe keinen Sinn mehr.").await;
        let post_id = reply(&s, &ben, &topic_id, "Ihr seid alle Idioten.").await;
        let report = |target_type: &str, id: &str, kind: &str| json!({"target_type": target_type, "target_id": id, "reason": kind});
        let crisis = ok(&s, &anna.token, "POST", &api("/reports"), Some(report("topic", &topic_id, "crisis"))).await
            ["report_id"]
            .as_str()
            .expect("report id")
            .to_owned();
        ok(&s, &anna.token, "POST", &api("/reports"), Some(report("post", &post_id, "abuse"))).await;

        let (cookie, csrf) = page_session(&s, "carla@example.org").await;
        let (status, html) = page_get(&s, &cookie, "/a/ms/moderation?lang=en").await;
        assert_eq!(status, 200, "{db:?}");
        let cards: Vec<&str> = html.split("<li class=\"panel").skip(1).collect();
        assert_eq!(cards.len(), 2, "{db:?}: {html}");
        let (crisis_card, other_card) = (cards[0], cards[1]);
        assert!(crisis_card.starts_with(" crisis\"") && crisis_card.contains(&crisis), "{db:?}: crisis first");
        assert!(!crisis_card.contains(" checked"), "{db:?}: nothing preselected: {crisis_card}");
        assert!(other_card.contains(" checked"), "{db:?}: other reports keep their default");
        for expected in ["TelefonSeelsorge", "href=\"tel:08001110111\"", "emergency number 112", "Reply in the topic"] {
            assert!(crisis_card.contains(expected), "{db:?}: {expected} in {crisis_card}");
        }
        assert!(!other_card.contains("TelefonSeelsorge"), "{db:?}: guidance only for a crisis");

        // Sent without an action (the reason typed, "close" ticked): refused, nothing changes.
        let before = topic_page(&s, &ben, &topic_id).await;
        let form = [
            ("csrf", csrf.as_str()),
            ("report_id", crisis.as_str()),
            ("target_type", "topic"),
            ("target_id", topic_id.as_str()),
            ("reason", "Schnell weg damit"),
            ("close", "yes"),
        ];
        let (status, _, html) = page_post(&s, &cookie, "/a/ms/moderation/act?lang=en", &form).await;
        assert_eq!(status, 422, "{db:?}");
        assert!(html.contains("Choose what to do."), "{db:?}");
        assert_eq!(topic_page(&s, &ben, &topic_id).await, before, "{db:?}: the topic is as it was");
        assert_eq!(count_rows(&s, db, "moderation_actions").await, 0, "{db:?}");
        let queue = ok(&s, &carla.token, "GET", &api("/moderation/reports"), None).await;
        assert_eq!(queue["reports"].as_array().map(Vec::len), Some(2), "{db:?}: both still open");
        s.stop().await;
    }
}
