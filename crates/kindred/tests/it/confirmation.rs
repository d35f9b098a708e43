//! No one-click harm (issue 14): the pages' destructive forms — delete a
//! post, block, end a contact, leave a group, leave a conversation, end a
//! session — act only with a `confirm` field. Posted without it (a browser
//! without JavaScript, a forged or mistaken click) they answer the
//! confirmation page and change nothing; that page tells nothing of the
//! id it is asked about; the CSRF check still comes first; the JSON API
//! is unchanged. And the composer's Preview renders without saving.

use crate::harness::{TestServer, BOTH};
use crate::members::{ok, someone, Someone, PASSWORD};
use kindred_service::sessions::csrf_token;
use serde_json::json;

const API: &str = "/a/ms/api/v1";

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

    async fn get(&self, path: &str) -> (u16, String) {
        let response = self.s.client.get(self.s.url(path)).header("cookie", &self.cookie).send().await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }

    /// Posts a form with the CSRF token: status, Location and the page.
    async fn post(&self, path: &str, fields: &[(&str, &str)]) -> (u16, String, String) {
        let mut form: Vec<(&str, &str)> = vec![("csrf", &self.csrf)];
        form.extend_from_slice(fields);
        let response =
            self.s.client.post(self.s.url(path)).header("cookie", &self.cookie).form(&form).send().await.unwrap();
        let status = response.status().as_u16();
        let location = response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        (status, location, response.text().await.unwrap())
    }

    /// Posts without `confirm`: must answer the confirmation page for `path`.
    async fn unconfirmed(&self, path: &str, fields: &[(&str, &str)]) -> String {
        let (status, location, html) = self.post(path, fields).await;
        assert_eq!(status, 200, "POST {path} without confirm must ask, not act (→ {location})");
        assert!(html.contains("name=\"confirm\" value=\"1\""), "the confirmation form for {path}: {html}");
        assert!(
            html.contains(&format!("action=\"{}\"", path.replace('/', "&#x2f;")))
                || html.contains(&format!("action=\"{path}\"")),
            "posts to {path} again: {html}"
        );
        assert_eq!(html.matches("<h1").count(), 1);
        html
    }
}

async fn category(s: &TestServer, ms: &kindred_service::Association) -> String {
    s.user(ms, "admin@example.org", "Admina", "admin").await;
    let admin = s.login_staff(ms, "admin@example.org").await;
    let body = json!({"name": "Alltag", "description": "Talk", "anonymous_allowed": false, "ask_professional": false});
    ok(s, &admin, "POST", &format!("{API}/forum/categories"), Some(body)).await["category_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn destructive_forms_without_confirmation_change_nothing() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let category = category(&s, &ms).await;
        let anna: Someone = someone(&s, &ms, "Anna").await;
        let ben: Someone = someone(&s, &ms, "Ben").await;
        let anna_page = Browser::sign_in(&s, "anna@example.org").await;
        let ben_page = Browser::sign_in(&s, "ben@example.org").await;

        // A topic of Anna's with a reply of Ben's.
        let topic = ok(&s, &anna.token, "POST", &format!("{API}/forum/topics"),
            Some(json!({"category_id": category, "title": "Pausen", "body": "Wie macht ihr Pausen?", "anonymous": false})))
            .await["topic_id"].as_str().unwrap().to_owned();
        let post = ok(
            &s,
            &ben.token,
            "POST",
            &format!("{API}/forum/topics/{topic}/posts"),
            Some(json!({"body": "Mittagsschlaf hilft."})),
        )
        .await["post_id"]
            .as_str()
            .unwrap()
            .to_owned();

        // Delete: asked, not done; the cancel link leads back to the post.
        let delete = format!("/a/ms/forum/posts/{post}/delete");
        // (The delete button is on the post's own page: cancelling goes back there.)
        let html = ben_page.unconfirmed(&delete, &[("topic", &topic), ("number", "2")]).await;
        assert!(html.contains(&format!("/forum/topics/{topic}/posts/2\"")), "{db:?}: cancel leads back to the post");
        assert!(html.contains("name=\"number\""), "{db:?}: the way back is posted again");
        assert!(html.contains("name=\"topic\""), "{db:?}: the form's fields are posted again");
        let (_, topic_html) = ben_page.get(&format!("/a/ms/forum/topics/{topic}")).await;
        assert!(topic_html.contains("Mittagsschlaf hilft."), "{db:?}: the post is still there");
        // The confirmation page is the same for an unknown post and for one
        // the member may not delete: it names nothing, so it tells nothing.
        let others = anna_page.unconfirmed(&delete, &[("topic", &topic)]).await;
        let unknown_post = if post.starts_with('a') { "b" } else { "a" }.to_owned() + &post[1..];
        let unknown =
            anna_page.unconfirmed(&format!("/a/ms/forum/posts/{unknown_post}/delete"), &[("topic", &topic)]).await;
        assert_eq!(
            crate::harness::without_csrf(&others.replace(&post, "X")),
            crate::harness::without_csrf(&unknown.replace(&unknown_post, "X")),
            "{db:?}: the page tells nothing"
        );
        // Without the CSRF token: refused before anything is asked.
        let response = s
            .client
            .post(s.url(&delete))
            .header("cookie", &ben_page.cookie)
            .form(&[("topic", topic.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{db:?}");
        // Confirmed: done.
        let (status, location, _) = ben_page.post(&delete, &[("topic", &topic), ("confirm", "1")]).await;
        assert_eq!(status, 303, "{db:?}");
        assert!(location.contains(&format!("/forum/topics/{topic}")), "{db:?}: {location}");
        let (_, topic_html) = ben_page.get(&format!("/a/ms/forum/topics/{topic}")).await;
        assert!(!topic_html.contains("Mittagsschlaf hilft."), "{db:?}: deleted once confirmed");

        // End a contact: they stay contacts until confirmed.
        let request = ok(
            &s,
            &anna.token,
            "POST",
            &format!("{API}/contacts/requests"),
            Some(json!({"to": ben.id, "message": "Hallo"})),
        )
        .await["request_id"]
            .as_str()
            .unwrap()
            .to_owned();
        ok(&s, &ben.token, "POST", &format!("{API}/contacts/requests/{request}/accept"), Some(json!({"level": 2})))
            .await;
        let contacts = |token: String| {
            let s = &s;
            async move { ok(s, &token, "GET", &format!("{API}/contacts"), None).await["contacts"].as_array().unwrap().len() }
        };
        assert_eq!(contacts(anna.token.clone()).await, 1);
        anna_page.unconfirmed(&format!("/a/ms/members/{}/remove-contact", ben.id), &[("back_to", &ben.id)]).await;
        assert_eq!(contacts(anna.token.clone()).await, 1, "{db:?}: still contacts");
        let (status, _, _) = anna_page
            .post(&format!("/a/ms/members/{}/remove-contact", ben.id), &[("back_to", &ben.id), ("confirm", "1")])
            .await;
        assert_eq!(status, 303, "{db:?}");
        assert_eq!(contacts(anna.token.clone()).await, 0, "{db:?}: the contact ended once confirmed");

        // Block: Ben's page stays visible to Anna until she confirms.
        let ben_profile = format!("/a/ms/members/{}", ben.id);
        anna_page.unconfirmed(&format!("{ben_profile}/block"), &[]).await;
        assert_eq!(anna_page.get(&ben_profile).await.0, 200, "{db:?}: not blocked");
        let (status, _, _) = anna_page.post(&format!("{ben_profile}/block"), &[("confirm", "")]).await;
        assert_eq!(status, 200, "{db:?}: an empty confirm is no confirmation");
        assert_eq!(anna_page.get(&ben_profile).await.0, 200, "{db:?}: not blocked");
        let (status, _, _) = anna_page.post(&format!("{ben_profile}/block"), &[("confirm", "1")]).await;
        assert_eq!(status, 303, "{db:?}");
        assert_eq!(anna_page.get(&ben_profile).await.0, 404, "{db:?}: blocked once confirmed");

        // Leave a group: still a member until confirmed.
        let group = ok(
            &s,
            &anna.token,
            "POST",
            &format!("{API}/groups"),
            Some(
                json!({"name": "Radler", "description": "Wir fahren Rad", "visibility": "open", "member_list": "group",
                        "alias_mode": false, "conditions": ["ms"], "therapies": [], "region": "by"}),
            ),
        )
        .await["group_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let members = |token: String| {
            let s = &s;
            let group = group.clone();
            async move { ok(s, &token, "GET", &format!("{API}/groups/{group}/members"), None).await.to_string() }
        };
        assert!(members(anna.token.clone()).await.contains("Anna"));
        anna_page.unconfirmed(&format!("/a/ms/groups/{group}/leave"), &[]).await;
        assert!(members(anna.token.clone()).await.contains("Anna"), "{db:?}: still a member");
        let (status, _, _) = anna_page.post(&format!("/a/ms/groups/{group}/leave"), &[("confirm", "1")]).await;
        assert_eq!(status, 303, "{db:?}");

        // End a session: the other session keeps working until confirmed.
        let sessions = ok(&s, &anna.token, "GET", &format!("{API}/me/sessions"), None).await;
        let web = sessions["sessions"].as_array().unwrap().iter().find(|x| x["kind"] == "web").unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let api_session = sessions["sessions"].as_array().unwrap().iter().find(|x| x["kind"] != "web").unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_ne!(web, api_session);
        let revoke = format!("/a/ms/account/sessions/{api_session}/revoke");
        anna_page.unconfirmed(&revoke, &[]).await;
        assert_eq!(
            crate::members::call(&s, &anna.token, "GET", &format!("{API}/me"), None).await.0,
            200,
            "{db:?}: the session still works"
        );
        let (status, _, _) = anna_page.post(&revoke, &[("confirm", "1")]).await;
        assert_eq!(status, 303, "{db:?}");
        assert_eq!(
            crate::members::call(&s, &anna.token, "GET", &format!("{API}/me"), None).await.0,
            401,
            "{db:?}: ended once confirmed"
        );

        // A hostile id never reaches a link of the confirmation page.
        let (status, _, html) = ben_page.post("/a/ms/members/x%22%3E%3Cscript%3E/block", &[]).await;
        assert_eq!(status, 404, "{db:?}: {html}");
        s.stop().await;
    }
}

#[tokio::test]
async fn the_preview_renders_the_draft_and_saves_nothing() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let category = category(&s, &ms).await;
        let anna: Someone = someone(&s, &ms, "Anna").await;
        let anna_page = Browser::sign_in(&s, "anna@example.org").await;
        let topics = || {
            let s = &s;
            let token = anna.token.clone();
            let category = category.clone();
            async move {
                ok(s, &token, "GET", &format!("{API}/forum/categories/{category}/topics"), None).await["topics"]
                    .as_array()
                    .map_or(0, Vec::len)
            }
        };

        // New topic: the preview shows the rendered Markdown above the form, the draft stays in it.
        let draft = [
            ("category", category.as_str()),
            ("title", "Erste Schritte"),
            ("body", "Das ist **wichtig** <script>x</script>"),
            ("preview", "1"),
        ];
        let (status, _, html) = anna_page.post("/a/ms/forum/new", &draft).await;
        assert_eq!(status, 200, "{db:?}: {html}");
        assert!(html.contains("<strong>wichtig</strong>"), "{db:?}: rendered by the posting renderer");
        assert!(!html.contains("<script>x"), "{db:?}: escaped as when posting");
        assert!(html.contains("class=\"preview\""), "{db:?}");
        assert!(html.contains("Das ist **wichtig**"), "{db:?}: the draft stays in the form");
        assert_eq!(topics().await, 0, "{db:?}: nothing saved");
        // An invalid draft shows its problem, as posting would.
        let (status, _, _) = anna_page
            .post("/a/ms/forum/new", &[("category", &category), ("title", ""), ("body", "x"), ("preview", "1")])
            .await;
        assert_eq!(status, 422, "{db:?}");

        // Publishing leads to the new post's anchor.
        let (status, location, _) = anna_page.post("/a/ms/forum/new", &draft[..3]).await;
        assert_eq!(status, 303, "{db:?}");
        assert!(location.contains("/forum/topics/") && location.contains("#post-"), "{db:?}: {location}");
        assert_eq!(topics().await, 1);
        let topic = location.split("/forum/topics/").nth(1).unwrap().split(['#', '?']).next().unwrap().to_owned();
        let first = location.split("#post-").nth(1).unwrap().to_owned();
        let (_, html) = anna_page.get(&format!("/a/ms/forum/topics/{topic}")).await;
        assert!(
            html.contains(&format!("id=\"post-{first}\" tabindex=\"-1\"")),
            "{db:?}: the post is the focusable target"
        );

        // Reply: previewed, not saved; then posted.
        let count = || {
            let s = &s;
            let token = anna.token.clone();
            let topic = topic.clone();
            async move {
                ok(s, &token, "GET", &format!("{API}/forum/topics/{topic}"), None).await["posts"]
                    .as_array()
                    .unwrap()
                    .len()
            }
        };
        let reply = format!("/a/ms/forum/topics/{topic}/reply");
        let (status, _, html) = anna_page.post(&reply, &[("body", "_Nachtrag_"), ("preview", "1")]).await;
        assert_eq!(status, 200, "{db:?}");
        assert!(html.contains("<em>Nachtrag</em>"), "{db:?}");
        assert_eq!(count().await, 1, "{db:?}: the preview saved nothing");
        let (status, location, _) = anna_page.post(&reply, &[("body", "_Nachtrag_")]).await;
        assert_eq!(status, 303, "{db:?}");
        assert!(location.contains("#post-"), "{db:?}: {location}");
        assert_eq!(count().await, 2);
        s.stop().await;
    }
}
