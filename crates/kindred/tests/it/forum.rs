//! The forum over HTTP, on both databases: categories (admins only),
//! topics and replies, edits with their history, reactions, subscriptions,
//! notifications from replies and mentions, and what nobody may learn:
//! the author of an anonymous post, the pseudonym behind an alias, the
//! topics of a secret group, the content of a hidden post.

use crate::harness::{Db, TestServer, BOTH};
use crate::members::{call, ok, someone, Someone, PASSWORD};
use kindred_domain::GroupId;
use kindred_service::sessions::csrf_token;
use kindred_service::Association;
use serde_json::{json, Value};
use sqlx::Connection;

const API: &str = "/a/ms/api/v1";

fn api(path: &str) -> String {
    format!("{API}{path}")
}

/// Runs SQL straight on the test database (to set up groups, or to do what
/// the moderators' endpoints do), returning the text columns of its rows.
pub(crate) async fn sql(s: &TestServer, query: &str) -> Vec<Vec<Option<String>>> {
    use sqlx::Row;
    let url = &s.database_url;
    if url.starts_with("sqlite://") {
        let mut conn = sqlx::SqliteConnection::connect(&format!("{url}?mode=rw")).await.expect("sqlite");
        let rows = sqlx::query(query).fetch_all(&mut conn).await.expect("sql");
        rows.iter().map(|r| (0..r.len()).map(|i| r.try_get::<Option<String>, _>(i).ok().flatten()).collect()).collect()
    } else {
        let mut conn = sqlx::PgConnection::connect(url).await.expect("pg");
        let rows = sqlx::query(query).fetch_all(&mut conn).await.expect("sql");
        rows.iter().map(|r| (0..r.len()).map(|i| r.try_get::<Option<String>, _>(i).ok().flatten()).collect()).collect()
    }
}

async fn admin(s: &TestServer, ms: &Association) -> Someone {
    let id = s.user(ms, "admin@example.org", "Admina", "admin").await;
    let token = s.login_staff(ms, "admin@example.org").await;
    Someone { id, token }
}

async fn category(s: &TestServer, admin: &Someone, name: &str, anonymous: bool, professional: bool) -> String {
    let body =
        json!({"name": name, "description": "Talk", "anonymous_allowed": anonymous, "ask_professional": professional});
    let (status, value) = call(s, &admin.token, "POST", &api("/forum/categories"), Some(body)).await;
    assert_eq!(status, 201, "{value}");
    value["category_id"].as_str().expect("category id").to_owned()
}

async fn topic_in(s: &TestServer, who: &Someone, place: Value, title: &str, body: &str, anonymous: bool) -> String {
    let mut request = json!({"title": title, "body": body, "anonymous": anonymous});
    for (k, v) in place.as_object().expect("place") {
        request[k] = v.clone();
    }
    let (status, value) = call(s, &who.token, "POST", &api("/forum/topics"), Some(request)).await;
    assert_eq!(status, 201, "{value}");
    value["topic_id"].as_str().expect("topic id").to_owned()
}

async fn reply(s: &TestServer, who: &Someone, topic: &str, body: Value) -> (u16, Value) {
    call(s, &who.token, "POST", &api(&format!("/forum/topics/{topic}/posts")), Some(body)).await
}

async fn topic(s: &TestServer, who: &Someone, topic: &str) -> Value {
    ok(s, &who.token, "GET", &api(&format!("/forum/topics/{topic}")), None).await
}

/// A group made directly in the database, with members and their aliases.
async fn group(
    s: &TestServer,
    ms: &Association,
    visibility: &str,
    alias_mode: bool,
    members: &[(&Someone, &str)],
) -> String {
    let id = GroupId::random().to_string();
    let a = ms.id.as_str();
    let at = "2026-11-22T09:00:00+00:00";
    sql(
        s,
        &format!(
            "INSERT INTO community_groups (association_id, id, parent_id, name, name_key, description, visibility, \
             member_list, alias_mode, role_restriction, region, mode, anonymous_allowed, created_by, created_at, member_count) \
             VALUES ('{a}', '{id}', NULL, 'Gruppe {id}', 'gruppe', 'x', '{visibility}', 'members', {}, NULL, NULL, \
             'online', FALSE, '{}', '{at}', {})",
            if alias_mode { "TRUE" } else { "FALSE" },
            members[0].0.id,
            members.len()
        ),
    )
    .await;
    for (member, alias) in members {
        let (alias, key) = if alias_mode {
            (format!("'{alias}'"), format!("'{}'", alias.to_lowercase()))
        } else {
            ("NULL".to_owned(), "NULL".to_owned())
        };
        sql(
            s,
            &format!(
                "INSERT INTO group_members (association_id, group_id, member_id, status, role, alias, alias_key, \
                 created_at, updated_at) VALUES ('{a}', '{id}', '{}', 'member', 'member', {alias}, {key}, '{at}', '{at}')",
                member.id
            ),
        )
        .await;
    }
    id
}

/// (member, kind, actor label) of every notification, in a stable order.
async fn notifications(s: &TestServer) -> Vec<(String, String, Option<String>)> {
    let mut rows: Vec<_> = sql(s, "SELECT member_id, kind, actor_label FROM notifications")
        .await
        .into_iter()
        .map(|r| (r[0].clone().unwrap_or_default(), r[1].clone().unwrap_or_default(), r[2].clone()))
        .collect();
    rows.sort();
    rows
}

fn text(value: &Value) -> String {
    value.to_string()
}

#[tokio::test]
async fn categories_topics_replies_edits_reactions_and_notifications() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let boss = admin(&s, &ms).await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        let carla = someone(&s, &ms, "Carla").await;

        // No categories until an admin makes some; members may not.
        let empty = ok(&s, &anna.token, "GET", &api("/forum/categories"), None).await;
        assert_eq!(empty["categories"], json!([]), "{db:?}");
        let body = json!({"name": "Alltag"});
        let (status, _) = call(&s, &anna.token, "POST", &api("/forum/categories"), Some(body.clone())).await;
        assert_eq!(status, 403, "{db:?}");
        let talk = category(&s, &boss, "Alltag", false, false).await;
        for method in ["PUT", "DELETE"] {
            let (status, _) =
                call(&s, &anna.token, method, &api(&format!("/forum/categories/{talk}")), Some(body.clone())).await;
            assert_eq!(status, 403, "{db:?} {method}");
        }
        let (status, changed) = call(
            &s,
            &boss.token,
            "PUT",
            &api(&format!("/forum/categories/{talk}")),
            Some(json!({"name": "Alltag mit MS", "description": "Tipps", "position": 3})),
        )
        .await;
        assert_eq!(
            (status, changed["name"].as_str(), changed["position"].as_i64()),
            (200, Some("Alltag mit MS"), Some(3))
        );

        // A topic and replies.
        let first =
            topic_in(&s, &anna, json!({"category_id": talk}), "Müdigkeit", "Wie geht ihr mit **Fatigue** um?", false)
                .await;
        s.clock.advance(chrono::Duration::minutes(1));
        let (status, answer) = reply(&s, &ben, &first, json!({"body": "Pausen helfen mir."})).await;
        assert_eq!(status, 201, "{db:?} {answer}");
        let ben_post = answer["post_id"].as_str().unwrap().to_owned();
        let page = topic(&s, &ben, &first).await;
        let posts = page["posts"].as_array().unwrap();
        assert_eq!(posts.len(), 2);
        assert_eq!(posts[0]["html"], "<p>Wie geht ihr mit <strong>Fatigue</strong> um?</p>\n");
        assert_eq!(posts[0]["author"]["pseudonym"], "Anna");
        assert_eq!(posts[0]["author"]["member_id"], json!(anna.id));
        assert!(posts[0].get("body").is_none(), "the source only for its author");
        assert_eq!((posts[1]["own"].as_bool(), posts[1]["number"].as_i64()), (Some(true), Some(2)));
        assert_eq!(posts[1]["body"], "Pausen helfen mir.");
        assert_eq!(page["topic"]["subscribed"], true, "repliers are subscribed");
        assert!(page.get("next_after").is_none());

        // Counters and unread state.
        let cats = ok(&s, &anna.token, "GET", &api("/forum/categories"), None).await;
        assert_eq!(
            (cats["categories"][0]["topic_count"].as_i64(), cats["categories"][0]["post_count"].as_i64()),
            (Some(1), Some(2))
        );
        let list = ok(&s, &anna.token, "GET", &api(&format!("/forum/categories/{talk}/topics")), None).await;
        assert_eq!(list["topics"][0]["unread"], true, "{db:?}: Ben's reply is new to Anna");
        assert_eq!(list["topics"][0]["post_count"], 2);
        topic(&s, &anna, &first).await;
        let list = ok(&s, &anna.token, "GET", &api(&format!("/forum/categories/{talk}/topics")), None).await;
        assert_eq!(list["topics"][0]["unread"], false, "{db:?}");
        assert!(list["next_cursor"].is_null());

        // A category with topics stays.
        let (status, value) = call(&s, &boss.token, "DELETE", &api(&format!("/forum/categories/{talk}")), None).await;
        assert_eq!((status, value["error"]["code"].as_str()), (409, Some("category_not_empty")));

        // Bad input: 422 and nothing written.
        for bad in [
            json!({"category_id": talk, "title": "", "body": "x"}),
            json!({"category_id": talk, "title": "x".repeat(201), "body": "x"}),
            json!({"category_id": talk, "title": "ok", "body": "   "}),
            json!({"category_id": talk, "title": "ok", "body": "x".repeat(20_001)}),
            json!({"title": "ok", "body": "x"}),
            json!({"category_id": talk, "group_id": talk, "title": "ok", "body": "x"}),
            json!({"category_id": talk, "title": "ok", "body": "x", "author_id": anna.id}),
        ] {
            let (status, value) = call(&s, &anna.token, "POST", &api("/forum/topics"), Some(bad.clone())).await;
            assert_eq!((status, value["error"]["code"].as_str()), (422, Some("invalid_fields")), "{db:?} {bad}");
        }
        let (status, _) = reply(&s, &ben, &first, json!({"body": ""})).await;
        assert_eq!(status, 422);
        let cats = ok(&s, &anna.token, "GET", &api("/forum/categories"), None).await;
        assert_eq!(
            (cats["categories"][0]["topic_count"].as_i64(), cats["categories"][0]["post_count"].as_i64()),
            (Some(1), Some(2)),
            "{db:?}"
        );
        assert_eq!(topic(&s, &anna, &first).await["topic"]["post_count"], 2);

        // Sanitised output.
        let (_, evil) = reply(
            &s,
            &carla,
            &first,
            json!({"body": "<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>"}),
        )
        .await;
        let evil_id = evil["post_id"].as_str().unwrap().to_owned();
        let page = topic(&s, &anna, &first).await;
        let shown = page["posts"].as_array().unwrap().iter().find(|p| p["post_id"] == json!(evil_id)).unwrap()["html"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(shown.contains("&lt;script&gt;"), "{shown}");
        assert!(
            !shown.contains("<script") && !shown.contains("<img") && !shown.contains("href=\"javascript"),
            "{db:?}: {shown}"
        );

        // Edits: the author only; the history is visible to readers.
        let anna_post = page["posts"][0]["post_id"].as_str().unwrap().to_owned();
        let (status, _) =
            call(&s, &ben.token, "PUT", &api(&format!("/forum/posts/{anna_post}")), Some(json!({"body": "mine now"})))
                .await;
        assert_eq!(status, 403, "{db:?}");
        let (status, _) = call(
            &s,
            &boss.token,
            "PUT",
            &api(&format!("/forum/posts/{anna_post}")),
            Some(json!({"body": "staff text"})),
        )
        .await;
        assert_eq!(status, 403, "moderators cannot change others' text");
        s.clock.advance(chrono::Duration::minutes(1));
        ok(
            &s,
            &anna.token,
            "PUT",
            &api(&format!("/forum/posts/{anna_post}")),
            Some(json!({"body": "Wie geht ihr mit Fatigue um? (ergänzt)"})),
        )
        .await;
        let history = ok(&s, &ben.token, "GET", &api(&format!("/forum/posts/{anna_post}/history")), None).await;
        let versions = history["versions"].as_array().unwrap();
        assert_eq!(versions.len(), 1, "{db:?}");
        assert_eq!(versions[0]["html"], "<p>Wie geht ihr mit <strong>Fatigue</strong> um?</p>\n");
        let page = topic(&s, &ben, &first).await;
        assert!(page["posts"][0]["edited_at"].is_string());
        assert!(page["posts"][0]["html"].as_str().unwrap().contains("ergänzt"));

        // Reactions: counts and "mine", never who.
        for who in [&ben, &ben, &carla] {
            let (status, _) =
                call(&s, &who.token, "PUT", &api(&format!("/forum/posts/{anna_post}/reactions/heart")), None).await;
            assert_eq!(status, 204);
        }
        ok(&s, &carla.token, "PUT", &api(&format!("/forum/posts/{anna_post}/reactions/hug")), None).await;
        let (status, _) =
            call(&s, &ben.token, "PUT", &api(&format!("/forum/posts/{anna_post}/reactions/angry")), None).await;
        assert_eq!(status, 422);
        let page = topic(&s, &ben, &first).await;
        assert_eq!(
            page["posts"][0]["reactions"],
            json!([{"kind": "heart", "count": 2, "mine": true}, {"kind": "hug", "count": 1, "mine": false}]),
            "{db:?}"
        );
        ok(&s, &ben.token, "DELETE", &api(&format!("/forum/posts/{anna_post}/reactions/heart")), None).await;
        let page = topic(&s, &ben, &first).await;
        assert_eq!(page["posts"][0]["reactions"][0], json!({"kind": "heart", "count": 1, "mine": false}));

        // Notifications: Anna (subscribed as author) and Ben (as replier)
        // heard of Carla's reply; nobody of their own.
        let seen = notifications(&s).await;
        let mut expected = vec![
            (anna.id.clone(), "reply".to_owned(), Some("Ben".to_owned())),
            (anna.id.clone(), "reply".to_owned(), Some("Carla".to_owned())),
            (ben.id.clone(), "reply".to_owned(), Some("Carla".to_owned())),
        ];
        expected.sort();
        assert_eq!(seen, expected, "{db:?}");

        // Mentions, and no notification across a block or after unsubscribing.
        ok(&s, &anna.token, "DELETE", &api(&format!("/forum/topics/{first}/subscription")), None).await;
        assert_eq!(topic(&s, &anna, &first).await["topic"]["subscribed"], false);
        let (status, _) = reply(&s, &ben, &first, json!({"body": "@carla und @Nobody, was meint ihr?"})).await;
        assert_eq!(status, 201);
        let seen = notifications(&s).await;
        assert_eq!(seen.len(), 4, "{db:?}: {seen:?}");
        assert!(seen.contains(&(carla.id.clone(), "mention".to_owned(), Some("Ben".to_owned()))), "{seen:?}");
        let page = topic(&s, &carla, &first).await;
        let last = page["posts"].as_array().unwrap().last().unwrap().clone();
        assert!(last["html"].as_str().unwrap().contains("<span class=\"mention\">@Carla</span>"), "{last}");
        ok(&s, &carla.token, "POST", &api("/blocks"), Some(json!({"member_id": ben.id}))).await;
        reply(&s, &ben, &first, json!({"body": "@Carla?"})).await;
        assert_eq!(notifications(&s).await.len(), 4, "{db:?}: nothing across a block");
        // Lifted again: a block also leaves out each side's posts for the
        // other (tests/it/forum_privacy.rs), and Ben reads Carla's below.
        ok(&s, &carla.token, "DELETE", &api(&format!("/blocks/{}", ben.id)), None).await;
        ok(&s, &anna.token, "PUT", &api(&format!("/forum/topics/{first}/subscription")), None).await;

        // Deleting one's own post: the content goes, a mark stays.
        let (status, _) = call(&s, &anna.token, "DELETE", &api(&format!("/forum/posts/{ben_post}")), None).await;
        assert_eq!(status, 403);
        let (status, _) = call(&s, &ben.token, "DELETE", &api(&format!("/forum/posts/{ben_post}")), None).await;
        assert_eq!(status, 204);
        let page = topic(&s, &anna, &first).await;
        let gone = &page["posts"][1];
        assert_eq!(
            (gone["deleted"].as_bool(), gone.get("html"), gone.get("author")),
            (Some(true), None, None),
            "{gone}"
        );

        // Locked: members may not reply, moderators may.
        sql(&s, &format!("UPDATE topics SET locked = TRUE WHERE id = '{first}'")).await;
        let (status, value) = reply(&s, &ben, &first, json!({"body": "noch was"})).await;
        assert_eq!((status, value["error"]["code"].as_str()), (403, Some("topic_locked")), "{db:?}");
        assert_eq!(topic(&s, &ben, &first).await["topic"]["can_reply"], false);
        let (status, _) = reply(&s, &boss, &first, json!({"body": "Geschlossen."})).await;
        assert_eq!(status, 201);

        // Hidden post: nothing of it for others; the reason for its author.
        sql(&s, &format!("UPDATE posts SET hidden = TRUE, hidden_reason = 'Werbung' WHERE id = '{evil_id}'")).await;
        let for_ben = topic(&s, &ben, &first).await;
        let hidden =
            for_ben["posts"].as_array().unwrap().iter().find(|p| p["post_id"] == json!(evil_id)).unwrap().clone();
        assert_eq!(hidden.as_object().unwrap().len(), 3, "{db:?}: {hidden}");
        assert_eq!(hidden["hidden"], true);
        assert!(!text(&for_ben).contains("alert") && !text(&for_ben).contains("Werbung"), "{db:?}");
        let (status, _) = call(&s, &ben.token, "GET", &api(&format!("/forum/posts/{evil_id}/history")), None).await;
        assert_eq!(status, 404);
        let for_carla = topic(&s, &carla, &first).await;
        let own =
            for_carla["posts"].as_array().unwrap().iter().find(|p| p["post_id"] == json!(evil_id)).unwrap().clone();
        assert_eq!((own["hidden_reason"].as_str(), own["own"].as_bool()), (Some("Werbung"), Some(true)), "{own}");
        let for_boss = topic(&s, &boss, &first).await;
        assert!(text(&for_boss).contains("Werbung") && text(&for_boss).contains("&lt;script&gt;"));

        // A professional's answer in an "ask a professional" category is marked.
        let ask = category(&s, &boss, "Fragen an Fachleute", false, true).await;
        s.user(&ms, "doc@example.org", "DrWeiss", "professional").await;
        let doc = Someone { id: String::new(), token: s.login_staff(&ms, "doc@example.org").await };
        let question = topic_in(&s, &anna, json!({"category_id": ask}), "Kortison?", "Ist das normal?", false).await;
        reply(&s, &doc, &question, json!({"body": "Ja, das ist häufig."})).await;
        let page = topic(&s, &anna, &question).await;
        assert_eq!(
            (page["posts"][0].get("professional"), page["posts"][1]["professional"].as_bool()),
            (None, Some(true)),
            "{db:?}"
        );
        s.stop().await;
    }
}

#[tokio::test]
async fn anonymous_posts_never_show_their_author_who_can_still_edit_and_delete() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let boss = admin(&s, &ms).await;
        let anna = someone(&s, &ms, "Annabell").await;
        let ben = someone(&s, &ms, "Ben").await;
        let open = category(&s, &boss, "Offen", false, false).await;
        let quiet = category(&s, &boss, "Anonym", true, false).await;

        let (status, value) = call(
            &s,
            &anna.token,
            "POST",
            &api("/forum/topics"),
            Some(json!({"category_id": open, "title": "t", "body": "b", "anonymous": true})),
        )
        .await;
        assert_eq!((status, value["error"]["fields"]["anonymous"].is_string()), (422, true), "{db:?} {value}");

        let topic_id =
            topic_in(&s, &anna, json!({"category_id": quiet}), "Scham", "Ich traue mich nicht, es zu sagen.", true)
                .await;
        let (_, own_topic) = reply(&s, &ben, &topic_id, json!({"body": "Du bist nicht allein."})).await;
        let (status, value) = reply(
            &s,
            &anna,
            &topic_id,
            json!({"body": "Danke dir.", "anonymous": true, "quote_of": own_topic["post_id"]}),
        )
        .await;
        assert_eq!(status, 201, "{value}");
        let anon_reply = value["post_id"].as_str().unwrap().to_owned();

        let leaks = |value: &Value| {
            let t = text(value);
            t.contains(&anna.id) || t.contains("Annabell")
        };
        let for_ben = topic(&s, &ben, &topic_id).await;
        assert!(!leaks(&for_ben), "{db:?}: {for_ben}");
        let posts = for_ben["posts"].as_array().unwrap();
        assert_eq!(
            (posts[0]["anonymous"].as_bool(), posts[0].get("author"), posts[0]["own"].as_bool()),
            (Some(true), None, Some(false))
        );
        assert_eq!(posts[2]["quote_of"], own_topic["post_id"]);
        let list = ok(&s, &ben.token, "GET", &api(&format!("/forum/categories/{quiet}/topics")), None).await;
        assert!(!leaks(&list) && list["topics"][0].get("author").is_none(), "{db:?}: {list}");
        let for_boss = topic(&s, &boss, &topic_id).await;
        assert!(!leaks(&for_boss), "{db:?}: staff do not see the author either");

        // The author recognises their posts, edits and deletes them.
        let for_anna = topic(&s, &anna, &topic_id).await;
        assert!(!text(&for_anna).contains(&anna.id), "{db:?}");
        let posts = for_anna["posts"].as_array().unwrap();
        assert_eq!(
            (posts[0]["own"].as_bool(), posts[1]["own"].as_bool(), posts[2]["own"].as_bool()),
            (Some(true), Some(false), Some(true))
        );
        let first = posts[0]["post_id"].as_str().unwrap().to_owned();
        let (status, _) =
            call(&s, &ben.token, "PUT", &api(&format!("/forum/posts/{first}")), Some(json!({"body": "x"}))).await;
        assert_eq!(status, 403);
        ok(
            &s,
            &anna.token,
            "PUT",
            &api(&format!("/forum/posts/{first}")),
            Some(json!({"body": "Ich traue mich jetzt."})),
        )
        .await;
        let history = ok(&s, &ben.token, "GET", &api(&format!("/forum/posts/{first}/history")), None).await;
        assert!(!leaks(&history) && history["versions"].as_array().unwrap().len() == 1, "{db:?}: {history}");
        let (status, _) = call(&s, &anna.token, "DELETE", &api(&format!("/forum/posts/{anon_reply}")), None).await;
        assert_eq!(status, 204, "{db:?}");

        // Ben's reply notified nobody (the anonymous author is not
        // subscribed); her reply notified Ben, without a name.
        assert_eq!(notifications(&s).await, vec![(ben.id.clone(), "reply".to_owned(), None)], "{db:?}");

        // Not in the database either: no author, no subscription.
        let rows = sql(&s, &format!("SELECT id FROM posts WHERE author_id = '{}'", anna.id)).await;
        assert!(rows.is_empty(), "{db:?}");
        let rows = sql(&s, &format!("SELECT topic_id FROM topic_subscriptions WHERE member_id = '{}'", anna.id)).await;
        assert!(rows.is_empty(), "{db:?}");
        let rows = sql(&s, &format!("SELECT author_seal FROM topics WHERE id = '{topic_id}'")).await;
        let seal = rows[0][0].clone().unwrap();
        assert!(!seal.contains(&anna.id) && seal.len() == 64, "a keyed hash");

        // Pages: the topic page and the quote composer show no author.
        let browser = Browser::sign_in(&s, "ben@example.org").await;
        let html = browser.page(&format!("/a/ms/forum/topics/{topic_id}")).await;
        assert!(!html.contains("Annabell") && !html.contains(&anna.id), "{db:?}");
        let html = browser.page(&format!("/a/ms/forum/topics/{topic_id}?quote={first}")).await;
        assert!(!html.contains("Annabell") && !html.contains(&anna.id), "{db:?}");
        assert!(html.contains("&gt; Ich traue mich jetzt."), "{db:?}: the quote is pre-filled");
        s.stop().await;
    }
}

#[tokio::test]
async fn alias_groups_show_only_the_alias_in_posts_lists_mentions_and_notifications() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Annabell").await;
        let ben = someone(&s, &ms, "Benedikt").await;
        let group = group(&s, &ms, "closed", true, &[(&anna, "Quiet Heron 17"), (&ben, "Brave Otter 3")]).await;
        let topic_id = topic_in(&s, &anna, json!({"group_id": group}), "Unter uns", "Wie war eure Woche?", false).await;
        let (status, _) = reply(&s, &ben, &topic_id, json!({"body": "Gut, @[quiet heron 17]! Und @Annabell?"})).await;
        assert_eq!(status, 201);

        let leaks = |value: &str| {
            value.contains("Annabell")
                || value.contains(&anna.id)
                || value.contains("Benedikt")
                || value.contains(&ben.id)
        };
        let page = topic(&s, &ben, &topic_id).await;
        let shown = text(&page).replace("@Annabell", "");
        assert!(!leaks(&shown), "{db:?}: {page}");
        assert_eq!(page["posts"][0]["author"], json!({"alias": "Quiet Heron 17"}));
        assert_eq!(page["posts"][1]["author"], json!({"alias": "Brave Otter 3"}));
        assert!(page["posts"][1]["html"].as_str().unwrap().contains("<span class=\"mention\">@Quiet Heron 17</span>"));
        let list = ok(&s, &anna.token, "GET", &api(&format!("/groups/{group}/topics")), None).await;
        assert_eq!(list["topics"][0]["author"], json!({"alias": "Quiet Heron 17"}), "{db:?}");
        assert!(!leaks(&text(&list)));

        // One notification for Anna (mention wins over reply), labelled with the alias.
        assert_eq!(
            notifications(&s).await,
            vec![(anna.id.clone(), "mention".to_owned(), Some("Brave Otter 3".to_owned()))],
            "{db:?}"
        );
        let browser = Browser::sign_in(&s, "benedikt@example.org").await;
        // (The header names the signed-in member to themself; the main part
        // must name nobody.)
        let main = |html: &str| html.split("<main").nth(1).unwrap_or_default().to_owned();
        let html = browser.page(&format!("/a/ms/forum/topics/{topic_id}")).await;
        assert!(!leaks(&main(&html).replace("@Annabell", "")), "{db:?}");
        assert!(html.contains("Quiet Heron 17") && html.contains("Brave Otter 3"));
        let html = browser.page(&format!("/a/ms/groups/{group}/forum")).await;
        assert!(!leaks(&main(&html)), "{db:?}");
        s.stop().await;
    }
}

#[tokio::test]
async fn a_secret_group_forum_does_not_exist_for_outsiders() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let boss = admin(&s, &ms).await;
        let anna = someone(&s, &ms, "Anna").await;
        let carla = someone(&s, &ms, "Carla").await;
        let secret = group(&s, &ms, "secret", false, &[(&anna, "")]).await;
        let topic_id = topic_in(&s, &anna, json!({"group_id": secret}), "Geheim", "Nur für uns.", false).await;
        let post = topic(&s, &anna, &topic_id).await["posts"][0]["post_id"].as_str().unwrap().to_owned();
        let unknown_topic = kindred_domain::TopicId::random().to_string();
        let unknown_post = kindred_domain::PostId::random().to_string();
        let unknown_group = GroupId::random().to_string();

        for outsider in [&carla, &boss] {
            let pairs = [
                ("GET", format!("/forum/topics/{topic_id}"), format!("/forum/topics/{unknown_topic}"), None),
                (
                    "POST",
                    format!("/forum/topics/{topic_id}/posts"),
                    format!("/forum/topics/{unknown_topic}/posts"),
                    Some(json!({"body": "hallo"})),
                ),
                (
                    "PUT",
                    format!("/forum/topics/{topic_id}/subscription"),
                    format!("/forum/topics/{unknown_topic}/subscription"),
                    None,
                ),
                (
                    "DELETE",
                    format!("/forum/topics/{topic_id}/subscription"),
                    format!("/forum/topics/{unknown_topic}/subscription"),
                    None,
                ),
                ("GET", format!("/forum/posts/{post}/history"), format!("/forum/posts/{unknown_post}/history"), None),
                (
                    "PUT",
                    format!("/forum/posts/{post}/reactions/heart"),
                    format!("/forum/posts/{unknown_post}/reactions/heart"),
                    None,
                ),
                (
                    "PUT",
                    format!("/forum/posts/{post}"),
                    format!("/forum/posts/{unknown_post}"),
                    Some(json!({"body": "x"})),
                ),
                ("DELETE", format!("/forum/posts/{post}"), format!("/forum/posts/{unknown_post}"), None),
                ("GET", format!("/groups/{secret}/topics"), format!("/groups/{unknown_group}/topics"), None),
            ];
            for (method, real, fake, body) in pairs {
                let (status, value) = call(&s, &outsider.token, method, &api(&real), body.clone()).await;
                let (fake_status, fake_value) = call(&s, &outsider.token, method, &api(&fake), body).await;
                assert_eq!(status, 404, "{db:?} {method} {real}: {value}");
                assert_eq!((status, &value), (fake_status, &fake_value), "{db:?} {method} {real}");
            }
            let create = |group: &str| json!({"group_id": group, "title": "t", "body": "b"});
            let real = call(&s, &outsider.token, "POST", &api("/forum/topics"), Some(create(&secret))).await;
            let fake = call(&s, &outsider.token, "POST", &api("/forum/topics"), Some(create(&unknown_group))).await;
            assert_eq!((real.0, &real.1), (404, &fake.1), "{db:?}");
        }
        // A member's mention of an outsider notifies nobody.
        reply(&s, &anna, &topic_id, json!({"body": "@Carla?"})).await;
        assert_eq!(notifications(&s).await, vec![], "{db:?}");
        let browser = Browser::sign_in(&s, "carla@example.org").await;
        let (status, _) = browser.get(&format!("/a/ms/forum/topics/{topic_id}")).await;
        assert_eq!(status, 404);

        // An open group: readable, but only members write.
        let open = group(&s, &ms, "open", false, &[(&anna, "")]).await;
        let open_topic = topic_in(&s, &anna, json!({"group_id": open}), "Offen", "Alle lesen mit.", false).await;
        assert_eq!(topic(&s, &carla, &open_topic).await["topic"]["can_reply"], false, "{db:?}");
        let (status, _) = call(
            &s,
            &carla.token,
            "POST",
            &api("/forum/topics"),
            Some(json!({"group_id": open, "title": "t", "body": "b"})),
        )
        .await;
        assert_eq!(status, 403, "{db:?}");
        let (status, _) = reply(&s, &carla, &open_topic, json!({"body": "darf ich?"})).await;
        assert_eq!(status, 403, "{db:?}");
        s.stop().await;
    }
}

#[tokio::test]
async fn forum_pages_work_without_javascript() {
    for db in [Db::Sqlite, Db::Postgres] {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let boss = admin(&s, &ms).await;
        someone(&s, &ms, "Anna").await;
        let talk = category(&s, &boss, "Alltag", false, false).await;
        let anna = Browser::sign_in(&s, "anna@example.org").await;
        let html = anna.page("/a/ms/forum").await;
        assert!(html.contains("Alltag"), "{db:?}");
        anna.page(&format!("/a/ms/forum/categories/{talk}")).await;
        anna.page(&format!("/a/ms/forum/new?category={talk}")).await;
        let (status, location) = anna
            .post(
                "/a/ms/forum/new",
                &[("category", talk.as_str()), ("title", "Erste Schritte"), ("body", "Hallo *zusammen*")],
            )
            .await;
        assert_eq!(status, 303, "{db:?}: {location}");
        let html = anna.page(&location).await;
        assert!(html.contains("<em>zusammen</em>") && html.contains("Erste Schritte"), "{db:?}");
        let topic_id = location.rsplit('/').next().unwrap().split(['?', '#']).next().unwrap().to_owned();
        let (status, _) = anna.post(&format!("/a/ms/forum/topics/{topic_id}/reply"), &[("body", "")]).await;
        assert_eq!(status, 422, "{db:?}");
        let (status, location) =
            anna.post(&format!("/a/ms/forum/topics/{topic_id}/reply"), &[("body", "Noch etwas.")]).await;
        assert_eq!(status, 303, "{db:?}");
        let html = anna.page(&location).await;
        assert!(html.contains("Noch etwas."));
        // Without the CSRF token: refused, nothing written.
        let response = s
            .client
            .post(s.url(&format!("/a/ms/forum/topics/{topic_id}/reply")))
            .header("cookie", &anna.cookie)
            .form(&[("body", "ohne Token")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
        assert!(!anna.page(&format!("/a/ms/forum/topics/{topic_id}")).await.contains("ohne Token"));
        // Quoting, reacting, subscriptions, editing with history, deleting:
        // the topic page sums each post's reactions up and links to the
        // post's own page, where the buttons are (issue 21).
        let html = anna.page(&format!("/a/ms/forum/topics/{topic_id}")).await;
        assert_eq!(post_numbers(&html), ["1", "2"], "{db:?}: posts anchored by their number");
        assert!(!html.contains("name=\"reaction\""), "{db:?}: no reaction buttons on the topic page");
        let first_page = format!("/a/ms/forum/topics/{topic_id}/posts/1");
        assert!(html.contains(&format!("href=\"{first_page}\"")), "{db:?}: each post links to its own page");
        let own = anna.page(&first_page).await;
        let posts = [post_id_on(&own), post_id_on(&anna.page(&format!("/a/ms/forum/topics/{topic_id}/posts/2")).await)];
        assert!(own.contains(&format!("quote={}", posts[0])), "a quote link");
        assert_eq!(own.matches("name=\"reaction\"").count(), 4, "{db:?}: the four reactions");
        assert!(own.contains("/delete"), "{db:?}: the author's own post can be deleted there");
        for missing in ["0", "3", "x", "-1", "99999999999"] {
            let (status, _) = anna.get(&format!("/a/ms/forum/topics/{topic_id}/posts/{missing}")).await;
            assert_eq!(status, 404, "{db:?}: post {missing:?}");
        }
        let html = anna.page(&format!("/a/ms/forum/topics/{topic_id}?quote={}", posts[0])).await;
        assert!(html.contains("&gt; Hallo *zusammen*"), "{db:?}: the composer starts with the quote");
        // The topic page's reaction form of pages written before (a page
        // still open across an upgrade): the pressed button's value says
        // which post (by number or id) and what to do.
        let react = format!("/a/ms/forum/topics/{topic_id}/reactions");
        let hug = |state: &str| format!("1:hug:{state}");
        let hug_by_id = |state: &str| format!("{}:hug:{state}", posts[0]);
        let unknown = "a".repeat(posts[0].len());
        let bad_values = [
            "hug:on".to_owned(),
            format!("{}:hug", posts[0]),
            format!("{}:angry:on", posts[0]),
            hug("1"),
            "01:hug:on".to_owned(),
            "-1:hug:on".to_owned(),
            String::new(),
        ];
        for bad in &bad_values {
            let (status, _) = anna.post(&react, &[("reaction", bad.as_str())]).await;
            assert_eq!(status, 422, "{db:?}: {bad:?}");
        }
        // A post unknown, or of another topic, is not found there.
        assert_eq!(anna.post(&react, &[("reaction", &format!("{unknown}:hug:on"))]).await.0, 404, "{db:?}");
        assert_eq!(anna.post(&react, &[("reaction", "3:hug:on")]).await.0, 404, "{db:?}: no post 3 in the topic");
        let (status, other) = anna
            .post("/a/ms/forum/new", &[("category", talk.as_str()), ("title", "Anderes"), ("body", "Anders")])
            .await;
        assert_eq!(status, 303, "{db:?}");
        assert!(other.ends_with("#post-1"), "{db:?}: a new topic opens at its first post: {other}");
        let other_topic = other.rsplit('/').next().unwrap().split(['?', '#']).next().unwrap().to_owned();
        let (status, _) =
            anna.post(&format!("/a/ms/forum/topics/{other_topic}/reactions"), &[("reaction", &hug_by_id("on"))]).await;
        assert_eq!(status, 404, "{db:?}: the post is not in that topic");
        // Pressed on the post's own page: the button says what it leads to.
        let pressed = |html: &str| html.contains("value=\"hug:off\" aria-pressed=\"true\"");
        let summed = |html: &str| html.contains("Umarmung 1 (mit Ihrer)");
        assert!(!pressed(&anna.page(&first_page).await), "{db:?}: nothing changed");
        let per_post = format!("/a/ms/forum/posts/{}/react", posts[0]);
        for bad in ["hug", "hug:1", "angry:on", "Hug:on", ""] {
            assert_eq!(anna.post(&per_post, &[("reaction", bad)]).await.0, 422, "{db:?}: {bad:?}");
        }
        let (status, location) = anna.post(&per_post, &[("reaction", "hug:on")]).await;
        assert_eq!(status, 303);
        assert_eq!(location, format!("/a/ms/forum/topics/{topic_id}?done=reacted#post-1"), "{db:?}: back to the post");
        assert!(summed(&anna.page(&location).await), "{db:?}: the topic sums it up, as the reader's");
        assert!(pressed(&anna.page(&first_page).await), "{db:?}: pressed again it is taken back");
        assert_eq!(anna.post(&per_post, &[("reaction", "hug:off")]).await.0, 303);
        assert!(!pressed(&anna.page(&first_page).await), "{db:?}: taken back");
        assert!(!summed(&anna.page(&format!("/a/ms/forum/topics/{topic_id}")).await), "{db:?}: taken back");
        // The topic form of the pages before, by number and by id.
        assert_eq!(anna.post(&react, &[("reaction", &hug("on"))]).await.0, 303);
        assert!(pressed(&anna.page(&first_page).await), "{db:?}");
        let (status, location) = anna.post(&react, &[("reaction", &hug_by_id("off"))]).await;
        assert_eq!((status, location.ends_with("#post-1")), (303, true), "{db:?}");
        assert!(!pressed(&anna.page(&first_page).await), "{db:?}");
        assert_eq!(anna.post(&per_post, &[("reaction", "hug:on")]).await.0, 303);
        // The report page takes the short `?post=ID` the topic page links to.
        let (status, html) = anna.get(&format!("/a/ms/report?post={}", posts[0])).await;
        assert_eq!(status, 200, "{db:?}");
        assert!(html.contains(&format!("value=\"{}\"", posts[0])), "{db:?}: the post is the report's target");
        assert_eq!(anna.get(&format!("/a/ms/report?post={unknown}")).await.0, 404, "{db:?}");
        let subscription = format!("/a/ms/forum/topics/{topic_id}/subscription");
        assert_eq!(anna.post(&subscription, &[("on", "0")]).await.0, 303);
        assert!(anna.page(&format!("/a/ms/forum/topics/{topic_id}?lang=en")).await.contains("Notify me of replies"));
        let edit = format!("/a/ms/forum/posts/{}/edit", posts[1]);
        assert!(anna.page(&edit).await.contains("Noch etwas."));
        let (status, _) = anna.post(&edit, &[("body", "Noch etwas, verbessert."), ("topic", topic_id.as_str())]).await;
        assert_eq!(status, 303, "{db:?}");
        let html = anna.page(&format!("/a/ms/forum/posts/{}/history", posts[1])).await;
        assert!(html.contains("Noch etwas.") && !html.contains("verbessert"), "{db:?}");
        let delete = format!("/a/ms/forum/posts/{}/delete", posts[1]);
        assert_eq!(anna.post(&delete, &[("topic", topic_id.as_str()), ("confirm", "1")]).await.0, 303);
        let html = anna.page(&format!("/a/ms/forum/topics/{topic_id}?lang=en")).await;
        assert!(html.contains("Deleted by the author.") && !html.contains("verbessert"), "{db:?}");

        // Admins set up categories on /staff/forum; members may not.
        assert_eq!(anna.get("/a/ms/staff/forum").await.0, 403);
        let staff = Browser::sign_in_staff(&s, &ms, "admin@example.org").await;
        staff.page("/a/ms/staff/forum").await;
        let (status, _) =
            staff.post("/a/ms/staff/forum", &[("name", "Anonym reden"), ("anonymous_allowed", "1")]).await;
        assert_eq!(status, 303, "{db:?}");
        let (status, _) = staff.post("/a/ms/staff/forum", &[("name", "")]).await;
        assert_eq!(status, 422, "{db:?}");
        let html = anna.page("/a/ms/forum?lang=en").await;
        assert!(html.contains("Anonym reden") && html.contains("Anonymous posts allowed"), "{db:?}");
        let quiet = ok(&s, &boss.token, "GET", &api("/forum/categories"), None).await["categories"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "Anonym reden")
            .unwrap()["category_id"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(anna.page(&format!("/a/ms/forum/new?category={quiet}")).await.contains("name=\"anonymous\""));
        assert!(!anna.page(&format!("/a/ms/forum/new?category={talk}")).await.contains("name=\"anonymous\""));
        let (status, _) = staff.post(&format!("/a/ms/staff/forum/{quiet}"), &[("name", "Anonym")]).await;
        assert_eq!(status, 303);
        // Deleting asks first (pages::confirm), and deletes nothing then.
        let (status, _) = staff.post(&format!("/a/ms/staff/forum/{quiet}/delete"), &[]).await;
        assert_eq!(status, 200, "{db:?}: the confirmation page");
        let (status, _) = staff.post(&format!("/a/ms/staff/forum/{quiet}/delete"), &[("confirm", "1")]).await;
        assert_eq!(status, 303);
        let (status, location) = staff.post(&format!("/a/ms/staff/forum/{talk}/delete"), &[("confirm", "1")]).await;
        assert!(status == 303 && location.contains("not-empty"), "{db:?}: {location}");
        assert_eq!(
            ok(&s, &boss.token, "GET", &api("/forum/categories"), None).await["categories"].as_array().unwrap().len(),
            1
        );
        s.stop().await;
    }
}

/// The numbers of the posts on a topic page (their anchors), in order.
fn post_numbers(html: &str) -> Vec<String> {
    html.split("id=\"post-").skip(1).filter_map(|rest| rest.split('"').next()).map(str::to_owned).collect()
}

/// The id of the post on its own page (the address of its reaction form).
fn post_id_on(html: &str) -> String {
    let rest = html.split("/forum/posts/").nth(1).expect("a post's own page names its post");
    rest.split('/').next().expect("the post id").to_owned()
}

/// A member signed in with the page cookie.
struct Browser<'a> {
    s: &'a TestServer,
    cookie: String,
    csrf: String,
}

impl Browser<'_> {
    async fn sign_in<'a>(s: &'a TestServer, email: &str) -> Browser<'a> {
        let response = s
            .client
            .post(s.url("/a/ms/sign-in"))
            .form(&[("email", email), ("password", PASSWORD)])
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
        Browser { s, cookie: format!("__Host-kindred-ms={token}"), csrf: csrf_token(&token) }
    }

    /// Staff may need a second factor: sign in over the API (which sets it
    /// up) and use that session's token as the cookie.
    async fn sign_in_staff<'a>(s: &'a TestServer, ms: &Association, email: &str) -> Browser<'a> {
        let token = s.login_staff(ms, email).await;
        Browser { s, cookie: format!("__Host-kindred-ms={token}"), csrf: csrf_token(&token) }
    }

    async fn get(&self, path: &str) -> (u16, String) {
        let response = self.s.client.get(self.s.url(path)).header("cookie", &self.cookie).send().await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }

    /// A page that must render: 200, one h1, the main landmark.
    async fn page(&self, path: &str) -> String {
        let (status, html) = self.get(path).await;
        assert_eq!(status, 200, "GET {path}: {html}");
        assert_eq!(html.matches("<h1").count(), 1, "one h1 on {path}");
        assert!(html.contains("<main id=\"main\""), "main landmark on {path}");
        html
    }

    /// Posts a form with the CSRF token; (status, Location or body).
    async fn post(&self, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf", &self.csrf));
        let response =
            self.s.client.post(self.s.url(path)).header("cookie", &self.cookie).form(&form).send().await.unwrap();
        let status = response.status().as_u16();
        let location = response.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let body = response.text().await.unwrap();
        (status, location.unwrap_or(body))
    }
}
