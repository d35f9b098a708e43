//! Blocks, anonymous and alias authors, mentions and moves in the forum, on
//! both databases: a block is consulted only for posts shown under a
//! pseudonym (an anonymous or alias post notifies and lists the same
//! whoever wrote it), a block leaves out the named posts and topics of the
//! other side everywhere, a mention resolves only whom the writer could
//! find or has seen write in the topic, and a move never shows authors to
//! members who could not see them.

use crate::forum_search::Browser;
use crate::harness::{api_error, TestServer, BOTH};
use crate::members::{call, ok, profile, someone, Someone};
use crate::notifications::{admin, api, category, list as notifications, reply, topic};
use serde_json::{json, Value};

async fn block(s: &TestServer, blocker: &Someone, blocked: &Someone) {
    ok(s, &blocker.token, "POST", &api("/blocks"), Some(json!({"member_id": blocked.id}))).await;
}

async fn page(s: &TestServer, who: &Someone, topic: &str) -> Value {
    ok(s, &who.token, "GET", &api(&format!("/forum/topics/{topic}")), None).await
}

fn html_of(page: &Value, post: &str) -> String {
    page["posts"]
        .as_array()
        .expect("posts")
        .iter()
        .find(|p| p["post_id"] == post)
        .and_then(|p| p["html"].as_str())
        .expect("the post's html")
        .to_owned()
}

/// A notification without what always differs (its id, time, topic, post).
fn shape(n: &Value) -> Value {
    let mut n = n.clone();
    // `group_key` names the kind and the topic: it differs with the topic, never with the writer.
    for volatile in ["notification_id", "created_at", "topic_id", "topic_title", "post_id", "group_key"] {
        if let Some(map) = n.as_object_mut() {
            map.remove(volatile);
        }
    }
    n
}

/// Two worlds that differ only in who wrote an anonymous (or alias) reply:
/// a member the blocker blocked, or a stranger. What the blocker gets —
/// notifications, unread count, the post — must be the same in both.
#[tokio::test]
async fn a_block_does_not_unmask_anonymous_or_alias_authors() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let boss = admin(&s, &ms).await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        let eve = someone(&s, &ms, "Eve").await;
        let alltag = category(&s, &boss).await;

        // An alias group with all three, made before the block.
        let group = json!({"name": "Maskenball", "description": "x", "visibility": "secret", "alias_mode": true});
        let masked = ok(&s, &anna.token, "POST", &api("/groups"), Some(group)).await["group_id"]
            .as_str()
            .expect("id")
            .to_owned();
        for who in [&ben, &eve] {
            let invite = json!({"member_id": who.id});
            ok(&s, &anna.token, "POST", &api(&format!("/groups/{masked}/invitations")), Some(invite)).await;
            ok(&s, &who.token, "POST", &api(&format!("/groups/{masked}/join")), None).await;
        }
        let anna_alias = ok(&s, &anna.token, "GET", &api(&format!("/groups/{masked}")), None).await["my_alias"]
            .as_str()
            .expect("alias")
            .to_owned();

        block(&s, &anna, &eve).await;

        // Anna's topics: she follows them. Eve writes in one, Ben in the other.
        let mut worlds = Vec::new();
        for writer in [&eve, &ben] {
            let open = topic(&s, &anna, ("category_id", &alltag), "Kühlwesten", "Wer hat Erfahrung?").await;
            let anonymous = reply(&s, writer, &open, json!({"body": "Ich, @Anna", "anonymous": true})).await;
            let inside = topic(&s, &anna, ("group_id", &masked), "Unter uns", "Hallo").await;
            let aliased = reply(&s, writer, &inside, json!({"body": format!("Hallo @[{anna_alias}]")})).await;
            // Read as the writer: Anna reading would mark her notifications read.
            let anonymous_html = html_of(&page(&s, writer, &open).await, &anonymous);
            let aliased_html = html_of(&page(&s, writer, &inside).await, &aliased);
            worlds.push((anonymous_html, aliased_html));
        }
        assert_eq!(worlds[0].0, worlds[1].0, "{db:?}: the anonymous post reads the same");
        assert!(worlds[0].0.contains("<span class=\"mention\">@Anna</span>"), "{db:?}: {}", worlds[0].0);

        // Eve's two posts and Ben's two posts notified Anna alike. (Ben's
        // alias differs from Eve's: compare the alias posts by kind only.)
        let mine = notifications(&s, &anna).await;
        assert_eq!(mine["unread_count"], 4, "{db:?}: {mine}");
        let list = mine["notifications"].as_array().expect("list");
        assert_eq!(list.len(), 4, "{db:?}: {mine}");
        // Newest first: Ben's alias, Ben's anonymous, Eve's alias, Eve's anonymous.
        assert_eq!(shape(&list[1]), shape(&list[3]), "{db:?}: anonymous mentions alike");
        assert!(list[1].get("actor").is_none(), "{db:?}");
        assert_eq!(list[0]["kind"], list[2]["kind"], "{db:?}: alias mentions alike");
        assert!(list[2]["actor"].as_str().is_some_and(|a| !a.contains("Eve")), "{db:?}: the alias, not the name");
        s.stop().await;
    }
}

/// A mention resolves exactly when the writer could find the member in a
/// search, or has seen them write in the topic; otherwise it reads like
/// an unknown name and notifies nobody.
#[tokio::test]
async fn a_mention_resolves_only_whom_the_writer_could_find() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let boss = admin(&s, &ms).await;
        let ben = someone(&s, &ms, "Ben").await;
        let dora = someone(&s, &ms, "Dora").await;
        let carla = someone(&s, &ms, "Carla").await;
        let fritz = someone(&s, &ms, "Fritz").await;
        let gina = someone(&s, &ms, "Gina").await;
        for who in [&dora, &carla] {
            profile(&s, who, json!({"discoverable": true})).await;
        }
        block(&s, &carla, &ben).await;
        let alltag = category(&s, &boss).await;
        let talk = topic(&s, &gina, ("category_id", &alltag), "Kühlwesten", "Wer hat Erfahrung?").await;

        let mut html = Vec::new();
        for name in ["Dora", "Gina", "Carla", "Fritz", "Niemand"] {
            let post = reply(&s, &ben, &talk, json!({"body": format!("Frag @{name}")})).await;
            html.push(html_of(&page(&s, &ben, &talk).await, &post));
        }
        assert!(html[0].contains("<span class=\"mention\">@Dora</span>"), "{db:?}: findable: {}", html[0]);
        assert!(html[1].contains("<span class=\"mention\">@Gina</span>"), "{db:?}: wrote here: {}", html[1]);
        let unknown = &html[4];
        assert_eq!(html[2].replace("Carla", "Niemand"), *unknown, "{db:?}: a block reads like an unknown name");
        assert_eq!(html[3].replace("Fritz", "Niemand"), *unknown, "{db:?}: not findable reads like an unknown name");

        let mentions =
            |n: &Value| n["notifications"].as_array().expect("list").iter().filter(|n| n["kind"] == "mention").count();
        assert_eq!(mentions(&notifications(&s, &dora).await), 1, "{db:?}");
        assert_eq!(mentions(&notifications(&s, &gina).await), 1, "{db:?}");
        assert_eq!(mentions(&notifications(&s, &carla).await), 0, "{db:?}: not across a block");
        assert_eq!(mentions(&notifications(&s, &fritz).await), 0, "{db:?}: not a member the writer cannot find");
        s.stop().await;
    }
}

/// A block leaves out, for each side, what the other wrote under their
/// pseudonym: in topic lists, topic pages (the thread stays readable and
/// numbered), posts by id, quotes, search and notifications; anonymous
/// posts stay, as for everyone.
#[tokio::test]
async fn a_block_leaves_out_the_named_posts_of_the_other_side() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let boss = admin(&s, &ms).await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        let eve = someone(&s, &ms, "Eve").await;
        let alltag = category(&s, &boss).await;

        let annas = topic(&s, &anna, ("category_id", &alltag), "Annas Frage", "Kennt jemand einen Ventilator?").await;
        let bens = topic(&s, &ben, ("category_id", &alltag), "Bens Frage", "Was hilft bei Hitze?").await;
        reply(&s, &eve, &bens, json!({"body": "Eve meint Wasser"})).await; // 2: Eve follows the topic now
        let named = reply(&s, &anna, &bens, json!({"body": "Anna meint Ventilator"})).await; // 3
        reply(&s, &anna, &bens, json!({"body": "Jemand meint Ventilator", "anonymous": true})).await; // 4
        reply(&s, &ben, &bens, json!({"body": "Ben dankt"})).await; // 5
        assert_eq!(notifications(&s, &eve).await["unread_count"], 3, "{db:?}");

        block(&s, &anna, &eve).await;

        // Notifications: Anna's named reply is gone from the list and the
        // count (asked first: reading the topic marks them read).
        let mine = notifications(&s, &eve).await;
        assert_eq!(mine["unread_count"], 2, "{db:?}: {mine}");
        assert!(!mine.to_string().contains("Anna"), "{db:?}: {mine}");

        // The topic list: Anna's topic is left out for Eve, Ben's stays.
        let list = ok(&s, &eve.token, "GET", &api(&format!("/forum/categories/{alltag}/topics")), None).await;
        let ids: Vec<&str> =
            list["topics"].as_array().expect("topics").iter().filter_map(|t| t["topic_id"].as_str()).collect();
        assert_eq!(ids, vec![bens.as_str()], "{db:?}: {list}");
        assert!(!ids.contains(&annas.as_str()), "{db:?}: the blocker's topic");

        // The thread stays readable and keeps its numbers.
        let seen = page(&s, &eve, &bens).await;
        let numbers: Vec<i64> =
            seen["posts"].as_array().expect("posts").iter().filter_map(|p| p["number"].as_i64()).collect();
        assert_eq!(numbers, vec![1, 2, 4, 5], "{db:?}: {seen}");
        let text = seen.to_string();
        assert!(!text.contains("Anna") && !text.contains(&anna.id), "{db:?}: {text}");
        // And the other way round.
        let theirs = page(&s, &anna, &bens).await;
        let numbers: Vec<i64> =
            theirs["posts"].as_array().expect("posts").iter().filter_map(|p| p["number"].as_i64()).collect();
        assert_eq!(numbers, vec![1, 3, 4, 5], "{db:?}: {theirs}");

        // The post by id, and quoting it, are as for a post never written.
        let history = |id: &str| api(&format!("/forum/posts/{id}/history"));
        let (status, _) = call(&s, &eve.token, "GET", &history(&named), None).await;
        assert_eq!(status, 404, "{db:?}");
        let quoting = json!({"body": "Genau", "quote_of": named});
        let (status, value) =
            call(&s, &eve.token, "POST", &api(&format!("/forum/topics/{bens}/posts")), Some(quoting)).await;
        assert_eq!(status, 422, "{db:?}: {value}");

        // Search finds the anonymous post, not the named one.
        let found = ok(&s, &eve.token, "GET", &api("/search?q=Ventilator"), None).await;
        let texts = found.to_string();
        assert!(texts.contains("Jemand meint") && !texts.contains("Anna"), "{db:?}: {texts}");
        assert_eq!(found["results"].as_array().expect("results").len(), 1, "{db:?}: {found}");

        // A quote is attributed by the post's number, never by a name frozen
        // into the quoting member's text, which Eve may read.
        let composer = Browser::sign_in(&s, "ben@example.org").await;
        let (status, html) = composer.get(&format!("/a/ms/forum/topics/{bens}?quote={named}&lang=en")).await;
        assert_eq!(status, 200, "{db:?}");
        assert!(html.contains("&gt; From post 3:") && !html.contains("Anna wrote"), "{db:?}: {html}");

        // The page without JavaScript says the same.
        let browser = Browser::sign_in(&s, "eve@example.org").await;
        let (status, html) = browser.get(&format!("/a/ms/forum/topics/{bens}?lang=en")).await;
        assert_eq!(status, 200, "{db:?}");
        assert!(!html.contains("Anna") && html.contains("Jemand meint"), "{db:?}: {html}");
        s.stop().await;
    }
}

/// A topic leaves a group only when that does not show its authors to
/// members who could not see them: not out of a closed group whose member
/// list is for its members or moderators, but out of one whose list is public.
#[tokio::test]
async fn a_move_never_widens_who_sees_an_author() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let boss = admin(&s, &ms).await;
        let alltag = category(&s, &boss).await;
        let new_group = |list: &str, visibility: &str| {
            json!({"name": format!("Gruppe {list} {visibility}"), "description": "x", "visibility": visibility,
                "member_list": list, "alias_mode": false})
        };
        let mut groups = Vec::new();
        for (list, visibility) in
            [("group", "closed"), ("moderators", "closed"), ("members", "closed"), ("group", "open")]
        {
            let made = ok(&s, &boss.token, "POST", &api("/groups"), Some(new_group(list, visibility))).await;
            groups.push(made["group_id"].as_str().expect("id").to_owned());
        }
        let open = groups[3].clone();
        let move_to = |topic: &str, to: Value| {
            let mut body = to;
            body["reason"] = json!("Gehört woanders hin");
            (api(&format!("/forum/topics/{topic}/move")), body)
        };
        for (i, group) in groups.iter().take(2).enumerate() {
            let hidden = topic(&s, &boss, ("group_id", group), "Unter uns", "Nur für die Gruppe").await;
            for to in [json!({"category_id": alltag}), json!({"group_id": open})] {
                let (path, body) = move_to(&hidden, to);
                let response =
                    s.client.post(s.url(&path)).bearer_auth(&boss.token).json(&body).send().await.expect("post");
                assert_eq!(api_error(response).await, (409, "move_not_allowed".to_owned()), "{db:?}: group {i}");
            }
            let (path, body) = move_to(&hidden, json!({"group_id": group}));
            let (status, value) = call(&s, &boss.token, "POST", &path, Some(body)).await;
            assert_eq!(status, 200, "{db:?}: within the group: {value}");
        }
        for from in [&groups[2], &open] {
            let public = topic(&s, &boss, ("group_id", from), "Offen", "Die Liste ist öffentlich").await;
            let (path, body) = move_to(&public, json!({"category_id": alltag}));
            let (status, value) = call(&s, &boss.token, "POST", &path, Some(body)).await;
            assert_eq!(status, 200, "{db:?}: {value}");
        }
        s.stop().await;
    }
}
