//! People in the forum and the rest of issue 14 (items 4, 6 and 8):
//! faces on posts and group member lists (the photo where the disclosure
//! rules let the viewer see it, one placeholder for "hidden" and "none",
//! never a photo on an anonymous post); the composer's mention picker
//! without JavaScript (found through the privacy-safe member search,
//! inserting `@[Name With Spaces]`, which the forum resolves); the
//! moderation queue's filters as tabs (page and API); and the
//! confirmation pages reachable by GET and before staff deletions.

use crate::harness::{TestServer, BOTH};
use crate::members::{befriend, call, noisy_png, ok, profile, someone, Someone, PASSWORD};
use crate::staff_flags::{get, page, page_sign_in};
use serde_json::json;

const API: &str = "/a/ms/api/v1";

/// Posts a page form with the cookie: (status, Location, page).
async fn post(s: &TestServer, cookie: &str, path: &str, form: &[(&str, &str)]) -> (u16, String, String) {
    let response = s.client.post(s.url(path)).header("cookie", cookie).form(form).send().await.unwrap();
    let status = response.status().as_u16();
    let location = response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    (status, location, response.text().await.unwrap().replace("&#x2f;", "/"))
}

/// The face in the head of post number `number` on a topic page: what
/// stands between the post's number (for screen readers) and the author's name.
fn post_face(html: &str, number: usize) -> String {
    let post = html.find(&format!("id=\"post-{number}\"")).unwrap_or_else(|| panic!("post {number}: {html}"));
    let head = post + html[post..].find("<h2").expect("the post's heading");
    let rest = &html[head..];
    let start = rest.find(": </span>").expect("the number") + ": </span>".len();
    let rest = rest[start..].trim_start();
    let end = rest.find("</svg>").map(|e| e + "</svg>".len()).or_else(|| rest.find('>').map(|e| e + 1));
    rest[..end.expect("a face")].to_owned()
}

/// The face before the link to member `id` in a group's member list.
fn listed_face(html: &str, id: &str) -> String {
    let link = html.find(&format!("/a/ms/members/{id}?lang=en\"")).unwrap_or_else(|| panic!("{id} listed: {html}"));
    let start = html[..link].rfind("<span class=\"with-face\">").expect("the entry");
    let face = &html[start..link];
    face[..face.rfind("<a ").expect("the link")].to_owned()
}

async fn reply(s: &TestServer, who: &Someone, topic: &str, body: serde_json::Value) -> String {
    ok(s, &who.token, "POST", &format!("{API}/forum/topics/{topic}/posts"), Some(body)).await["post_id"]
        .as_str()
        .expect("post id")
        .to_owned()
}

#[tokio::test]
async fn posts_and_group_lists_show_faces_only_where_allowed() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.user(&ms, "admin@example.org", "Admina", "admin").await;
        let admin = s.login_staff(&ms, "admin@example.org").await;
        let hidden = someone(&s, &ms, "Hidda Photo").await;
        let none = someone(&s, &ms, "Nona Photo").await;
        let shown = someone(&s, &ms, "Showa Photo").await;
        let viewer = someone(&s, &ms, "Viewer").await;
        for who in [&hidden, &shown] {
            let put = s.client.put(s.url(&format!("{API}/me/photo"))).bearer_auth(&who.token).body(noisy_png(120, 120));
            assert_eq!(put.send().await.unwrap().status(), 204, "{db:?}");
        }
        // Hidden: for trusted contacts only; shown: for acquainted contacts,
        // and the viewer is one.
        profile(&s, &hidden, json!({"visibility": {"photo": 3}})).await;
        profile(&s, &shown, json!({"visibility": {"photo": 2}})).await;
        befriend(&s, &viewer, 1, &shown, 2).await;

        // A category that allows anonymous posts; one post by each, and an
        // anonymous one by the member whose photo the viewer may see.
        let body =
            json!({"name": "Offen", "description": "Talk", "anonymous_allowed": true, "ask_professional": false});
        let category = ok(&s, &admin, "POST", &format!("{API}/forum/categories"), Some(body)).await["category_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let topic = ok(
            &s,
            &viewer.token,
            "POST",
            &format!("{API}/forum/topics"),
            Some(json!({"category_id": category, "title": "Gesichter", "body": "Hallo zusammen", "anonymous": false})),
        )
        .await["topic_id"]
            .as_str()
            .unwrap()
            .to_owned();
        // The replies are posts 2 to 5 of the topic (the topic opens with 1).
        reply(&s, &hidden, &topic, json!({"body": "Von Hidda"})).await;
        reply(&s, &none, &topic, json!({"body": "Von Nona"})).await;
        reply(&s, &shown, &topic, json!({"body": "Von Showa"})).await;
        reply(&s, &shown, &topic, json!({"body": "Ohne Namen", "anonymous": true})).await;
        let (by_hidden, by_none, by_shown, anonymous) = (2, 3, 4, 5);

        let (cookie, _) = page_sign_in(&s, "viewer@example.org", PASSWORD).await;
        let html = page(&s, &cookie, &format!("/a/ms/forum/topics/{topic}?lang=en")).await;
        let hidden_face = post_face(&html, by_hidden);
        let none_face = post_face(&html, by_none);
        assert_eq!(hidden_face, none_face, "{db:?}: a hidden photo and no photo look the same");
        assert!(hidden_face.starts_with("<svg class=\"face"), "{db:?}: the placeholder: {hidden_face}");
        let shown_face = post_face(&html, by_shown);
        assert!(shown_face.starts_with("<img class=\"face"), "{db:?}: {shown_face}");
        assert!(shown_face.contains(&format!("/a/ms/members/{}/photo", shown.id)), "{shown_face}");
        assert_eq!(post_face(&html, anonymous), none_face, "{db:?}: an anonymous post shows the placeholder");
        assert!(!html.contains(&format!("/members/{}/photo", hidden.id)), "{db:?}: no address of a hidden photo");
        // The address works for the viewer.
        let start = html.find(&format!("/a/ms/members/{}/photo", shown.id)).unwrap();
        let src = html[start..start + html[start..].find('"').unwrap()].replace("&amp;", "&");
        let (status, _) = get(&s, &cookie, &src).await;
        assert_eq!(status, 200, "{db:?}: {src}");

        // A group's member list alike.
        let group = crate::groups::create(&s, &viewer, crate::groups::group("Gesichterkreis", "open")).await;
        for who in [&hidden, &none, &shown] {
            ok(&s, &who.token, "POST", &format!("{API}/groups/{group}/join"), None).await;
        }
        let html = page(&s, &cookie, &format!("/a/ms/groups/{group}/members?lang=en")).await;
        let hidden_face = listed_face(&html, &hidden.id);
        assert_eq!(hidden_face, listed_face(&html, &none.id), "{db:?}: the same placeholder: {html}");
        assert!(hidden_face.contains("<svg class=\"face"), "{db:?}: {hidden_face}");
        let shown_face = listed_face(&html, &shown.id);
        assert!(shown_face.contains(&format!("/a/ms/members/{}/photo", shown.id)), "{db:?}: {shown_face}");
        assert!(!html.contains(&format!("/members/{}/photo", hidden.id)), "{db:?}");
        s.stop().await;
    }
}

async fn post_count(s: &TestServer, who: &Someone, topic: &str) -> usize {
    ok(s, &who.token, "GET", &format!("{API}/forum/topics/{topic}"), None).await["posts"].as_array().unwrap().len()
}

#[tokio::test]
async fn the_mention_picker_finds_members_and_inserts_names_with_spaces() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.user(&ms, "admin@example.org", "Admina", "admin").await;
        let admin = s.login_staff(&ms, "admin@example.org").await;
        let anna = someone(&s, &ms, "Anna").await;
        let mira = someone(&s, &ms, "Mira Sonnenschein").await;
        let quiet = someone(&s, &ms, "Mirko Quiet").await;
        profile(&s, &mira, json!({"discoverable": true})).await;
        profile(&s, &quiet, json!({"discoverable": false})).await;
        let body =
            json!({"name": "Alltag", "description": "Talk", "anonymous_allowed": false, "ask_professional": false});
        let category = ok(&s, &admin, "POST", &format!("{API}/forum/categories"), Some(body)).await["category_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let topic = ok(
            &s,
            &anna.token,
            "POST",
            &format!("{API}/forum/topics"),
            Some(json!({"category_id": category, "title": "Hallo", "body": "Wer ist da?", "anonymous": false})),
        )
        .await["topic_id"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(post_count(&s, &anna, &topic).await, 1);

        let (cookie, csrf) = page_sign_in(&s, "anna@example.org", PASSWORD).await;
        let topic_path = format!("/a/ms/forum/topics/{topic}?lang=en");
        let html = page(&s, &cookie, &topic_path).await;
        assert!(html.contains("name=\"mention_pick\""), "{db:?}: the picker in the composer: {html}");
        // The picker's Find comes before the composer's own buttons: Enter
        // in its search field finds, it does not publish.
        let find = html.find("name=\"mention_find\"").unwrap();
        assert!(find < html.find("class=\"composer-actions\"").unwrap(), "{db:?}: Find first");

        // Find by part of the name: the draft comes back as it was, nothing is posted.
        let reply_path = format!("/a/ms/forum/topics/{topic}/reply?lang=en");
        let draft = [("csrf", csrf.as_str()), ("body", "Hallo"), ("mention_pick", "mir"), ("mention_find", "1")];
        let (status, _, html) = post(&s, &cookie, &reply_path, &draft).await;
        assert_eq!(status, 200, "{db:?}: {html}");
        assert!(html.contains(">Hallo</textarea>"), "{db:?}: the draft kept");
        assert!(html.contains("name=\"mention_add\" value=\"Mira Sonnenschein\""), "{db:?}: {html}");
        assert!(!html.contains("Mirko"), "{db:?}: not someone who may not be found");
        assert!(html.contains("<details class=\"mention-picker\" id=\"mention\" open>"), "{db:?}: open");
        assert_eq!(post_count(&s, &anna, &topic).await, 1, "{db:?}: nothing posted");
        // Nobody found: said so.
        let nobody = [("csrf", csrf.as_str()), ("body", ""), ("mention_pick", "quiet"), ("mention_find", "1")];
        let (status, _, html) = post(&s, &cookie, &reply_path, &nobody).await;
        assert_eq!(status, 200);
        assert!(html.contains("No member you may find has a name like this."), "{db:?}: {html}");

        // Choosing adds the mention in the syntax the forum understands.
        let add = [("csrf", csrf.as_str()), ("body", "Hallo"), ("mention_add", "Mira Sonnenschein")];
        let (status, _, html) = post(&s, &cookie, &reply_path, &add).await;
        assert_eq!(status, 200, "{db:?}");
        assert!(html.contains(">Hallo @[Mira Sonnenschein] </textarea>"), "{db:?}: {html}");
        assert!(html.contains("role=\"status\">@[Mira Sonnenschein] is added"), "{db:?}: told");
        assert_eq!(post_count(&s, &anna, &topic).await, 1, "{db:?}: still nothing posted");
        // Nonsense is not added.
        let bad = [("csrf", csrf.as_str()), ("body", "Hallo"), ("mention_add", "x]<b>")];
        let (_, _, html) = post(&s, &cookie, &reply_path, &bad).await;
        assert!(html.contains(">Hallo</textarea>"), "{db:?}");

        // Posted, the mention of a name with spaces resolves and notifies.
        let publish = [("csrf", csrf.as_str()), ("body", "Hallo @[Mira Sonnenschein] ")];
        let (status, _, _) = post(&s, &cookie, &reply_path, &publish).await;
        assert_eq!(status, 303, "{db:?}");
        let html = page(&s, &cookie, &topic_path).await;
        assert!(html.contains("<span class=\"mention\">@Mira Sonnenschein</span>"), "{db:?}: {html}");
        let told = ok(&s, &mira.token, "GET", &format!("{API}/notifications"), None).await;
        assert!(told.to_string().contains("mention"), "{db:?}: Mira is told: {told}");

        // The new-topic composer has it too, and keeps the title.
        let html = page(&s, &cookie, &format!("/a/ms/forum/new?category={category}&lang=en")).await;
        assert!(html.contains("name=\"mention_pick\""), "{db:?}");
        let new = [
            ("csrf", csrf.as_str()),
            ("category", category.as_str()),
            ("title", "Neues Thema"),
            ("body", "Text"),
            ("mention_add", "Mira Sonnenschein"),
        ];
        let (status, _, html) = post(&s, &cookie, "/a/ms/forum/new?lang=en", &new).await;
        assert_eq!(status, 200, "{db:?}: {html}");
        assert!(html.contains("value=\"Neues Thema\"") && html.contains(">Text @[Mira Sonnenschein] </textarea>"));
        s.stop().await;
    }
}

#[tokio::test]
async fn the_moderation_queue_filters_by_kind_with_tabs() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let carla = someone(&s, &ms, "Carla").await;
        let ben = someone(&s, &ms, "Ben").await;
        let anna = someone(&s, &ms, "Anna").await;
        let group = crate::groups::create(&s, &carla, crate::groups::group("Radtour", "open")).await;
        ok(&s, &ben.token, "POST", &format!("{API}/groups/{group}/join"), None).await;
        let mut topics = Vec::new();
        for title in ["Sonntag", "Montag"] {
            let made = ok(
                &s,
                &ben.token,
                "POST",
                &format!("{API}/forum/topics"),
                Some(json!({"group_id": group, "title": title, "body": "Text", "anonymous": false})),
            )
            .await;
            topics.push(made["topic_id"].as_str().unwrap().to_owned());
        }
        for (topic, kind, reason) in [(&topics[0], "spam", "Werbung hier"), (&topics[1], "abuse", "Beleidigend dort")] {
            let body = json!({"target_type": "topic", "target_id": topic, "kind": kind, "reason": reason});
            ok(&s, &anna.token, "POST", &format!("{API}/reports"), Some(body)).await;
        }

        // The API: one kind, or all; an unknown kind is refused.
        let spam = ok(&s, &carla.token, "GET", &format!("{API}/moderation/reports?kind=spam"), None).await;
        let kinds: Vec<&str> =
            spam["reports"].as_array().unwrap().iter().map(|r| r["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["spam"], "{db:?}");
        let all = ok(&s, &carla.token, "GET", &format!("{API}/moderation/reports"), None).await;
        assert_eq!(all["reports"].as_array().unwrap().len(), 2, "{db:?}");
        let (status, _) = call(&s, &carla.token, "GET", &format!("{API}/moderation/reports?kind=rude"), None).await;
        assert_eq!(status, 422, "{db:?}");

        // The page: tabs are links, the current one marked; compact cards.
        let (cookie, csrf) = page_sign_in(&s, "carla@example.org", PASSWORD).await;
        let html = page(&s, &cookie, "/a/ms/moderation?lang=en").await;
        assert!(html.contains("Werbung hier") && html.contains("Beleidigend dort"), "{db:?}");
        assert!(html.contains("href=\"/a/ms/moderation?kind=spam&amp;lang=en\""), "{db:?}: a kind tab: {html}");
        assert!(html.contains("<details class=\"report-act\">"), "{db:?}: the form folded away");
        let html = page(&s, &cookie, "/a/ms/moderation?kind=spam&lang=en").await;
        assert!(html.contains("Werbung hier") && !html.contains("Beleidigend dort"), "{db:?}");
        assert!(html.contains("aria-current=\"page\">Spam</a>"), "{db:?}: {html}");
        assert!(html.contains("href=\"/a/ms/moderation?status=resolved&amp;kind=spam&amp;lang=en\""), "{db:?}");
        assert!(html.contains("name=\"tab_kind\" value=\"spam\""), "{db:?}");

        // Acting from a tab returns to it.
        let start = html.find("name=\"report_id\" value=\"").unwrap() + "name=\"report_id\" value=\"".len();
        let report = html[start..].split('"').next().unwrap().to_owned();
        let form = [
            ("csrf", csrf.as_str()),
            ("report_id", report.as_str()),
            ("target_type", "topic"),
            ("target_id", topics[0].as_str()),
            ("action", "dismiss"),
            ("reason", ""),
            ("tab_kind", "spam"),
        ];
        let (status, location, _) = post(&s, &cookie, "/a/ms/moderation/act", &form).await;
        assert_eq!((status, location.as_str()), (303, "/a/ms/moderation?kind=spam&done=dismiss"), "{db:?}");
        let html = page(&s, &cookie, "/a/ms/moderation?status=dismissed&kind=spam&lang=en").await;
        assert!(html.contains("Werbung hier"), "{db:?}");
        s.stop().await;
    }
}

#[tokio::test]
async fn confirmation_pages_answer_get_and_guard_staff_deletions() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        let group = crate::groups::create(&s, &anna, crate::groups::group("Kreis", "open")).await;
        let (cookie, _) = page_sign_in(&s, "anna@example.org", PASSWORD).await;
        // The page is the same for any id (it names nothing): made-up ones do.
        let session = "s".repeat(26);
        let post_id = "p".repeat(26);
        let conversation = "c".repeat(26);
        let passkey = "k".repeat(26);
        // A link or a bookmark to an action's address (or a reload of its
        // confirmation page) shows the confirmation page, never acts, never 405.
        for path in [
            format!("/a/ms/forum/posts/{post_id}/delete"),
            format!("/a/ms/groups/{group}/leave"),
            format!("/a/ms/members/{}/remove-contact", ben.id),
            format!("/a/ms/members/{}/block", ben.id),
            format!("/a/ms/messages/{conversation}/leave"),
            format!("/a/ms/messages/{conversation}/block"),
            format!("/a/ms/account/sessions/{session}/revoke"),
            format!("/a/ms/account/passkeys/{passkey}/remove"),
        ] {
            let html = page(&s, &cookie, &format!("{path}?lang=en")).await;
            assert!(html.contains("name=\"confirm\" value=\"1\""), "{db:?}: {path}: {html}");
            assert!(html.contains(&format!("action=\"{path}?lang=en\"")), "{db:?}: posts to {path}");
            // Signed out: to the sign-in page.
            let response = s.client.get(s.url(&path)).send().await.unwrap();
            assert!(response.status().is_redirection(), "{db:?}: {path} signed out");
        }
        let blocks = ok(&s, &anna.token, "GET", &format!("{API}/blocks"), None).await;
        assert!(!blocks.to_string().contains(&ben.id), "{db:?}: nothing was done");
        let group_view = ok(&s, &anna.token, "GET", &format!("{API}/groups/{group}"), None).await;
        assert_ne!(group_view["membership"], "none", "{db:?}: still in the group");
        // The passkey's confirmation page asks for the password.
        let html = page(&s, &cookie, &format!("/a/ms/account/passkeys/{passkey}/remove?lang=en")).await;
        assert!(html.contains("type=\"password\"") && html.contains("autocomplete=\"current-password\""), "{html}");
        s.stop().await;
    }
}
