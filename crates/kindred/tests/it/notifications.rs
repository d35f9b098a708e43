//! Reading notifications, on both databases: a reply to a subscribed topic
//! and a mention each bring one; in an alias group the alias shows, never
//! the pseudonym; an anonymous writer shows as nobody; marking read one or
//! all; a notification about a topic of a group the member left is gone,
//! from the list and from the count; the page and the badge.

use crate::forum_search::Browser;
use crate::harness::{api_error, TestServer, BOTH};
use crate::members::{call, ok, profile, raw_sql, someone, Someone};
use kindred_service::Association;
use serde_json::{json, Value};

const API: &str = "/a/ms/api/v1";

pub(crate) fn api(path: &str) -> String {
    format!("{API}{path}")
}

pub(crate) async fn admin(s: &TestServer, ms: &Association) -> Someone {
    let id = s.user(ms, "admin@example.org", "Admina", "admin").await;
    let token = s.login_staff(ms, "admin@example.org").await;
    Someone { id, token }
}

/// A category "Alltag" that allows anonymous posts.
pub(crate) async fn category(s: &TestServer, admin: &Someone) -> String {
    let body = json!({"name": "Alltag", "description": "Talk", "anonymous_allowed": true, "ask_professional": false});
    ok(s, &admin.token, "POST", &api("/forum/categories"), Some(body)).await["category_id"]
        .as_str()
        .expect("category")
        .to_owned()
}

pub(crate) async fn topic(s: &TestServer, who: &Someone, place: (&str, &str), title: &str, body: &str) -> String {
    let mut request = json!({"title": title, "body": body});
    request[place.0] = json!(place.1);
    let value = ok(s, &who.token, "POST", &api("/forum/topics"), Some(request)).await;
    value["topic_id"].as_str().expect("topic id").to_owned()
}

pub(crate) async fn reply(s: &TestServer, who: &Someone, topic: &str, body: Value) -> String {
    s.clock.advance(chrono::Duration::seconds(1));
    let value = ok(s, &who.token, "POST", &api(&format!("/forum/topics/{topic}/posts")), Some(body)).await;
    value["post_id"].as_str().expect("post id").to_owned()
}

pub(crate) async fn list(s: &TestServer, who: &Someone) -> Value {
    ok(s, &who.token, "GET", &api("/notifications"), None).await
}

async fn alias_in(s: &TestServer, who: &Someone, group: &str) -> String {
    ok(s, &who.token, "GET", &api(&format!("/groups/{group}")), None).await["my_alias"]
        .as_str()
        .expect("an alias")
        .to_owned()
}

#[tokio::test]
async fn replies_and_mentions_notify_and_nothing_leaks() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let boss = admin(&s, &ms).await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        let cleo = someone(&s, &ms, "Cleo").await;
        // Findable, so that Ben's mention of her resolves.
        profile(&s, &cleo, json!({"discoverable": true})).await;

        let alltag = category(&s, &boss).await;

        // Nothing yet.
        let empty = list(&s, &anna).await;
        assert_eq!(empty, json!({"notifications": [], "unread_count": 0, "next_cursor": null}), "{db:?}");

        // A reply to Anna's topic (she follows what she writes); a mention of Cleo.
        let talk = topic(&s, &anna, ("category_id", &alltag), "Kühlwesten", "Wer hat Erfahrung?").await;
        let answer = reply(&s, &ben, &talk, json!({"body": "Ich, frag auch @Cleo"})).await;
        let mine = list(&s, &anna).await;
        assert_eq!(mine["unread_count"], 1, "{db:?}: {mine}");
        let first = &mine["notifications"][0];
        assert_eq!(first["kind"], "reply", "{db:?}");
        assert_eq!(first["actor"], "Ben", "{db:?}");
        assert_eq!(first["topic_id"], talk.as_str(), "{db:?}");
        assert_eq!(first["topic_title"], "Kühlwesten", "{db:?}");
        assert_eq!(first["post_id"], answer.as_str(), "{db:?}");
        assert_eq!(first["post_number"], 2, "{db:?}");
        assert_eq!(first["read"], false, "{db:?}");
        assert!(first.get("detail").is_none(), "{db:?}: absent, not null");
        let cleos = list(&s, &cleo).await;
        assert_eq!(cleos["notifications"][0]["kind"], "mention", "{db:?}: {cleos}");
        assert_eq!(cleos["notifications"][0]["actor"], "Ben", "{db:?}");
        assert!(list(&s, &ben).await["notifications"].as_array().expect("list").is_empty(), "{db:?}: not to oneself");

        // An anonymous reply: nobody shows.
        reply(&s, &cleo, &talk, json!({"body": "Ich auch", "anonymous": true})).await;
        let mine = list(&s, &anna).await;
        assert_eq!(mine["unread_count"], 2, "{db:?}");
        let newest = &mine["notifications"][0];
        assert!(newest.get("actor").is_none(), "{db:?}: {newest}");
        assert!(!newest.to_string().contains("Cleo") && !newest.to_string().contains(&cleo.id), "{db:?}");

        // Marking read: one, then all; someone else's or an unknown id is 404.
        let id = mine["notifications"][1]["notification_id"].as_str().expect("id").to_owned();
        let (status, _) = call(&s, &anna.token, "POST", &api(&format!("/notifications/{id}/read")), None).await;
        assert_eq!(status, 204, "{db:?}");
        let mine = list(&s, &anna).await;
        assert_eq!(mine["unread_count"], 1, "{db:?}");
        assert_eq!(mine["notifications"][1]["read"], true, "{db:?}");
        for who in [&ben, &cleo] {
            let response = s
                .client
                .post(s.url(&api(&format!("/notifications/{id}/read"))))
                .bearer_auth(&who.token)
                .send()
                .await
                .expect("post");
            assert_eq!(api_error(response).await, (404, "not_found".into()), "{db:?}");
        }
        let response = s
            .client
            .post(s.url(&api("/notifications/nothing-like-an-id/read")))
            .bearer_auth(&anna.token)
            .send()
            .await
            .expect("post");
        assert_eq!(api_error(response).await, (404, "not_found".into()), "{db:?}");
        let (status, _) = call(&s, &anna.token, "POST", &api("/notifications/read-all"), None).await;
        assert_eq!(status, 204, "{db:?}");
        assert_eq!(list(&s, &anna).await["unread_count"], 0, "{db:?}");
        assert_eq!(list(&s, &cleo).await["unread_count"], 1, "{db:?}: only one's own");
        let response = s
            .client
            .get(s.url(&api("/notifications?cursor=nonsense")))
            .bearer_auth(&anna.token)
            .send()
            .await
            .expect("get");
        assert_eq!(api_error(response).await, (422, "invalid_query".into()), "{db:?}");

        // An alias group: the alias shows, never the pseudonym.
        let group = json!({"name": "Maskenball", "description": "x", "visibility": "secret", "alias_mode": true});
        let masked = ok(&s, &anna.token, "POST", &api("/groups"), Some(group)).await["group_id"]
            .as_str()
            .expect("id")
            .to_owned();
        ok(
            &s,
            &anna.token,
            "POST",
            &api(&format!("/groups/{masked}/invitations")),
            Some(json!({"member_id": cleo.id})),
        )
        .await;
        ok(&s, &cleo.token, "POST", &api(&format!("/groups/{masked}/join")), None).await;
        let anna_alias = alias_in(&s, &anna, &masked).await;
        let cleo_alias = alias_in(&s, &cleo, &masked).await;
        let inside = topic(&s, &cleo, ("group_id", &masked), "Unter uns", "Hallo").await;
        reply(&s, &anna, &inside, json!({"body": format!("Hallo @[{cleo_alias}]")})).await;
        let cleos = list(&s, &cleo).await;
        let about = cleos["notifications"]
            .as_array()
            .expect("list")
            .iter()
            .find(|n| n["topic_id"] == inside.as_str())
            .cloned()
            .expect("a notification from the alias group");
        assert_eq!(about["actor"], anna_alias.as_str(), "{db:?}: {about}");
        assert!(!about.to_string().contains("Anna") && !about.to_string().contains(&anna.id), "{db:?}: {about}");
        assert_eq!(cleos["unread_count"], 2, "{db:?}");
        // The navigation's badge counts the secret group's one too (its
        // groups are decided inside the count's statement, by the same rule).
        let browser = Browser::sign_in(&s, "cleo@example.org").await;
        let (_, html) = browser.get("/a/ms/?lang=en").await;
        assert!(html.contains("Notifications (2 new)"), "{db:?}: the badge while in the group");

        // Cleo leaves the secret group: its notification is gone, from the list and the count.
        ok(&s, &cleo.token, "POST", &api(&format!("/groups/{masked}/leave")), None).await;
        let cleos = list(&s, &cleo).await;
        assert_eq!(cleos["unread_count"], 1, "{db:?}: {cleos}");
        let text = cleos.to_string();
        assert!(!text.contains(&inside) && !text.contains(&anna_alias) && !text.contains(&masked), "{db:?}: {text}");

        // The page and the badge, without JavaScript.
        let (status, html) = browser.get("/a/ms/notifications?lang=en").await;
        assert_eq!(status, 200, "{db:?}: {html}");
        assert_eq!(html.matches("<h1").count(), 1, "{db:?}");
        assert!(html.contains("Notifications (1 new)"), "{db:?}: the badge in the navigation");
        assert!(html.contains("Ben mentioned you"), "{db:?}: {html}");
        assert!(html.contains(&format!("/a/ms/forum/topics/{talk}?lang=en#post-2")), "{db:?}: {html}");
        assert!(!html.contains(&inside), "{db:?}");
        let id = list(&s, &cleo).await["notifications"][0]["notification_id"].as_str().expect("id").to_owned();
        let (status, location) = browser.post(&format!("/a/ms/notifications/{id}/read"), &[]).await;
        assert_eq!((status, location.as_str()), (303, "/a/ms/notifications"), "{db:?}");
        let (_, html) = browser.get("/a/ms/notifications?lang=en").await;
        assert!(!html.contains("Notifications (1 new)") && html.contains("no unread notifications"), "{db:?}");
        let (status, _) = browser.post("/a/ms/notifications/read-all", &[]).await;
        assert_eq!(status, 303, "{db:?}");

        s.stop().await;
    }
}

/// An edit tells only the members it newly mentions (once, not again on the
/// next edit, and subscribers not at all); reading a topic marks read the
/// notifications about the posts shown, and only those.
#[tokio::test]
async fn edits_mention_anew_and_reading_the_topic_marks_read() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let boss = admin(&s, &ms).await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        let cleo = someone(&s, &ms, "Cleo").await;
        // Findable, so that Ben's mention of her resolves.
        profile(&s, &cleo, json!({"discoverable": true})).await;
        let alltag = category(&s, &boss).await;
        let talk = topic(&s, &anna, ("category_id", &alltag), "Kühlwesten", "Wer hat Erfahrung?").await;
        let answer = reply(&s, &ben, &talk, json!({"body": "Ich, frag auch @Cleo"})).await;
        assert_eq!(list(&s, &anna).await["unread_count"], 1, "{db:?}: the reply");
        assert_eq!(list(&s, &cleo).await["unread_count"], 1, "{db:?}: the mention");

        // Ben adds a mention of Anna: she hears of it, Cleo is not told twice.
        let edit = |text: &str| json!({"body": text});
        let path = api(&format!("/forum/posts/{answer}"));
        s.clock.advance(chrono::Duration::seconds(1));
        ok(&s, &ben.token, "PUT", &path, Some(edit("Ich, frag auch @Cleo und @Anna"))).await;
        let annas = list(&s, &anna).await;
        assert_eq!(annas["unread_count"], 2, "{db:?}: {annas}");
        assert_eq!(annas["notifications"][0]["kind"], "mention", "{db:?}");
        assert_eq!(annas["notifications"][0]["post_id"], answer.as_str(), "{db:?}");
        assert_eq!(list(&s, &cleo).await["unread_count"], 1, "{db:?}: already told");
        ok(&s, &ben.token, "PUT", &path, Some(edit("Ich, frag auch @Cleo und @Anna!"))).await;
        assert_eq!(list(&s, &anna).await["unread_count"], 2, "{db:?}: no new mention, no new notification");

        // A later reply in a second page's place: reading the first page
        // marks read what it showed.
        for n in 0..50 {
            reply(&s, &cleo, &talk, json!({"body": format!("Antwort {n}")})).await;
        }
        let before = list(&s, &anna).await["unread_count"].as_i64().expect("count");
        assert_eq!(before, 52, "{db:?}: a reply notification for each");
        ok(&s, &anna.token, "GET", &api(&format!("/forum/topics/{talk}")), None).await;
        let after = list(&s, &anna).await;
        assert_eq!(after["unread_count"], 2, "{db:?}: posts 51 and 52 were not shown yet: {after}");
        ok(&s, &anna.token, "GET", &api(&format!("/forum/topics/{talk}?after=50")), None).await;
        assert_eq!(list(&s, &anna).await["unread_count"], 0, "{db:?}");
        assert_eq!(list(&s, &cleo).await["unread_count"], 1, "{db:?}: only the reader's own");
        s.stop().await;
    }
}

/// The notification centre groups what is about one thing: three replies
/// in a topic are one entry "3 replies" linking to the first unread post,
/// marked read together; a mention in the same topic stays its own entry;
/// ids of someone else's notifications mark nothing.
#[tokio::test]
async fn the_centre_groups_by_thing_links_to_the_first_unread_and_marks_a_group_read() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let boss = admin(&s, &ms).await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        let alltag = category(&s, &boss).await;
        let talk = topic(&s, &anna, ("category_id", &alltag), "Hitze im Sommer", "Was hilft euch?").await;
        let other = topic(&s, &anna, ("category_id", &alltag), "Reha", "Wo wart ihr?").await;
        for text in ["Eins", "Zwei", "Drei"] {
            reply(&s, &ben, &talk, json!({"body": text})).await;
        }
        reply(&s, &ben, &talk, json!({"body": "Schau mal, @Anna"})).await;
        reply(&s, &ben, &other, json!({"body": "Allein"})).await;
        let annas = list(&s, &anna).await;
        assert_eq!(annas["unread_count"], 5, "{db:?}: {annas}");

        let browser = Browser::sign_in(&s, "anna@example.org").await;
        let (status, html) = browser.get("/a/ms/notifications?lang=en").await;
        assert_eq!(status, 200, "{db:?}");
        assert_eq!(html.matches("<li class=\"panel unread\"").count(), 3, "{db:?}: three entries: {html}");
        assert!(html.contains("3 replies") && html.contains("Latest: Ben replied"), "{db:?}: {html}");
        assert!(html.contains("Ben mentioned you") && html.contains("Ben replied"), "{db:?}");
        // The group's link leads to the first of its unread posts (#post-2).
        assert!(html.contains(&format!("/a/ms/forum/topics/{talk}?lang=en#post-2")), "{db:?}: {html}");
        let ids_of = |html: &str| -> Vec<String> {
            html.split("name=\"ids\" value=\"")
                .skip(1)
                .filter_map(|rest| rest.split('"').next())
                .map(str::to_owned)
                .collect()
        };
        let groups = ids_of(&html);
        assert_eq!(groups.len(), 3, "{db:?}");
        let replies = groups.iter().find(|ids| ids.split(',').count() == 3).expect("the group of three").clone();

        // Someone else's id with them: 404, nothing marked.
        let bens = list(&s, &ben).await;
        let (status, _) = browser.post("/a/ms/notifications/read", &[("ids", &format!("{replies},{}", anna.id))]).await;
        assert_eq!(status, 404, "{db:?}");
        if let Some(foreign) = bens["notifications"][0]["notification_id"].as_str() {
            let (status, _) =
                browser.post("/a/ms/notifications/read", &[("ids", &format!("{replies},{foreign}"))]).await;
            assert_eq!(status, 404, "{db:?}");
        }
        assert_eq!(list(&s, &anna).await["unread_count"], 5, "{db:?}: nothing marked");

        let (status, location) = browser.post("/a/ms/notifications/read", &[("ids", &replies)]).await;
        assert_eq!((status, location.as_str()), (303, "/a/ms/notifications"), "{db:?}");
        let annas = list(&s, &anna).await;
        assert_eq!(annas["unread_count"], 2, "{db:?}: the three replies are read");
        let (_, html) = browser.get("/a/ms/notifications?lang=en").await;
        assert!(html.contains("Notifications (2 new)"), "{db:?}: the badge follows");
        assert_eq!(html.matches("<li class=\"panel unread\"").count(), 2, "{db:?}");
        assert!(html.contains("3 replies"), "{db:?}: still one entry, read");
        assert_eq!(ids_of(&html).len(), 2, "{db:?}: no button on a read entry");

        // The API names the groups and marks several read, all or none.
        let annas = list(&s, &anna).await;
        let items = annas["notifications"].as_array().expect("list");
        let key_of = |id: &str| items.iter().find(|n| n["notification_id"] == id).map(|n| n["group_key"].clone());
        let three: Vec<&str> = replies.split(',').collect();
        assert!(three.iter().all(|id| key_of(id).is_some() && key_of(id) == key_of(three[0])), "{db:?}: {annas}");
        let unread: Vec<&str> =
            items.iter().filter(|n| n["read"] == false).filter_map(|n| n["notification_id"].as_str()).collect();
        assert_eq!(unread.len(), 2, "{db:?}");
        assert_ne!(key_of(unread[0]), key_of(unread[1]), "{db:?}: the mention and the other topic's reply");
        let (status, _) = call(
            &s,
            &anna.token,
            "POST",
            &api("/notifications/read"),
            Some(json!({"notification_ids": [unread[0], anna.id]})),
        )
        .await;
        assert_eq!(status, 404, "{db:?}");
        let (status, _) =
            call(&s, &anna.token, "POST", &api("/notifications/read"), Some(json!({"notification_ids": ["x"]}))).await;
        assert_eq!(status, 404, "{db:?}: an id that is no notification of hers");
        // No ids, or more than 200: the list itself is wrong.
        let too_many: Vec<&str> = std::iter::repeat_n(unread[0], 201).collect();
        for bad in [json!({"notification_ids": []}), json!({"notification_ids": too_many})] {
            let (status, body) = call(&s, &anna.token, "POST", &api("/notifications/read"), Some(bad)).await;
            assert_eq!(status, 422, "{db:?}: {body}");
            assert!(body["error"]["fields"]["notification_ids"].is_string(), "{db:?}: {body}");
        }
        let (status, _) =
            call(&s, &anna.token, "POST", &api("/notifications/read"), Some(json!({"notification_ids": unread}))).await;
        assert_eq!(status, 204, "{db:?}");
        assert_eq!(list(&s, &anna).await["unread_count"], 0, "{db:?}");
        s.stop().await;
    }
}

/// The navigation counts unread notifications up to 100 and shows more as
/// "99+" (counting each passes the list's rule: a member with a thousand
/// unread made every page wait); the list and the API count them all.
#[tokio::test]
async fn the_navigation_shows_more_than_99_unread_as_99_plus_and_the_list_counts_them_all() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let boss = admin(&s, &ms).await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        let alltag = category(&s, &boss).await;
        let talk = topic(&s, &anna, ("category_id", &alltag), "Kühlwesten", "Wer hat Erfahrung?").await;
        reply(&s, &ben, &talk, json!({"body": "Eins"})).await;
        let first = list(&s, &anna).await["notifications"][0]["notification_id"].as_str().expect("an id").to_owned();
        let browser = Browser::sign_in(&s, "anna@example.org").await;
        let nav = |html: &str| html.contains("Notifications (99+ new)");
        for (copies, unread, shown) in [(98, 99, "Notifications (99 new)"), (1, 100, ""), (50, 150, "")] {
            let existing = list(&s, &anna).await["unread_count"].as_i64().expect("a count");
            for i in existing..existing + copies {
                // Copies of the reply's notification under ids of the same form.
                let letters: String = [i / 676, i / 26, i]
                    .iter()
                    .map(|n| char::from(b'a' + u8::try_from(n % 26).expect("a letter")))
                    .collect();
                let id = format!("{}{letters}", &first[..23]);
                raw_sql(
                    &s,
                    &format!(
                        "INSERT INTO notifications (association_id, id, member_id, kind, topic_id, post_id, \
                         actor_label, detail, created_at) SELECT association_id, '{id}', member_id, kind, topic_id, \
                         post_id, actor_label, detail, created_at FROM notifications WHERE id = '{first}'"
                    ),
                )
                .await;
            }
            assert_eq!(list(&s, &anna).await["unread_count"], unread, "{db:?}: the API counts them all");
            // The badge's count stops at the limit (the page shows it as 99+).
            let member = kindred_domain::MemberId::parse(&anna.id).expect("an id");
            let limit = kindred_service::notification_list::BADGE_LIMIT;
            let badge = s.kindred.store.unread_notification_badge(&ms.id, &member, false, limit).await.unwrap();
            assert_eq!(badge, unread.min(i64::from(limit)), "{db:?}: counted up to the limit");
            let (status, html) = browser.get("/a/ms/?lang=en").await;
            assert_eq!(status, 200, "{db:?}");
            if shown.is_empty() {
                assert!(nav(&html), "{db:?}: {unread} unread: 99+");
            } else {
                assert!(html.contains(shown) && !nav(&html), "{db:?}: {unread} unread: {shown}");
            }
        }
        // The live script's words: from the same limit on, the same label
        // as the page (the socket's event counts them all, as the API).
        let (_, html) = browser.get("/a/ms/?lang=en").await;
        let start = html.find("data-texts=\"").expect("the words' address") + "data-texts=\"".len();
        let address = html[start..].split('"').next().expect("an address").replace("&amp;", "&");
        let words: Value = s.client.get(s.url(&address)).send().await.unwrap().json().await.unwrap();
        assert_eq!(words["notifications-many"], "Notifications (99+ new)", "{db:?}: {words}");
        assert_eq!(words["notifications-limit"], "100", "{db:?}: {words}");
        s.stop().await;
    }
}
