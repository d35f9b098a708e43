//! The member's home page and the way back after signing in: a member who
//! may use the community lands on a page of their own (what is new, topics,
//! their groups, first steps); a visitor gets the public page with Register
//! and Sign in; signing in leads back to the page that asked for it, and
//! never to another site.

use crate::forum_search::Browser;
use crate::harness::{TestServer, BOTH};
use crate::members::{ok, someone, PASSWORD};
use crate::notifications::{admin, api, category, reply, topic};
use serde_json::json;

async fn sign_in_with_next(s: &TestServer, email: &str, next: &str) -> (u16, String) {
    let response = s
        .client
        .post(s.url("/a/ms/sign-in"))
        .form(&[("email", email), ("password", PASSWORD), ("next", next)])
        .send()
        .await
        .expect("sign in");
    let location = response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    (response.status().as_u16(), location)
}

#[tokio::test]
async fn signing_in_leads_back_to_the_page_and_never_elsewhere() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        someone(&s, &ms, "Anna").await;

        // A page for members, asked for signed out, sends to sign-in with the way back.
        let response = s.get("/a/ms/forum?lang=de").await;
        assert_eq!(response.status(), 303);
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        assert!(location.starts_with("/a/ms/sign-in?next=%2Fforum%3Flang%3Dde"), "{db:?}: {location}");
        let form = s.get(&location).await.text().await.unwrap().replace("&#x2f;", "/");
        assert!(form.contains(r#"name="next" value="/forum?lang=de""#), "{db:?}: the form carries it");

        assert_eq!(
            sign_in_with_next(&s, "anna@example.org", "/forum?lang=de").await,
            (303, "/a/ms/forum?lang=de".into())
        );
        // Without one, or with anything that could leave the association: home.
        for next in ["", "//evil.example/", "https://evil.example/", "/\\evil.example", "/../../x", "/sign-out"] {
            assert_eq!(
                sign_in_with_next(&s, "anna@example.org", next).await,
                (303, "/a/ms/".into()),
                "{db:?}: {next:?}"
            );
        }
        s.stop().await;
    }
}

#[tokio::test]
async fn visitors_get_register_and_sign_in_and_members_their_own_home() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let public = s.get("/a/ms/").await.text().await.unwrap().replace("&#x2f;", "/");
        assert!(public.contains(r#"href="/a/ms/register""#) && public.contains(r#"href="/a/ms/sign-in""#));

        let boss = admin(&s, &ms).await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        let everyday = category(&s, &boss).await;
        let mine = topic(&s, &anna, ("category_id", &everyday), "Morgens steif", "Wie geht es euch morgens?").await;
        let hers = topic(&s, &ben, ("category_id", &everyday), "Anonym gefragt", "Etwas Heikles").await;
        let _ = hers;

        let browser = Browser::sign_in(&s, "anna@example.org").await;
        let (status, home) = browser.get("/a/ms/").await;
        assert_eq!(status, 200, "{db:?}");
        assert!(home.contains("Welcome, Anna") || home.contains("Willkommen, Anna"), "{db:?}: {home}");
        // No group yet: the first steps are offered.
        assert!(home.contains(r#"href="/a/ms/profile""#) && home.contains(r#"href="/a/ms/groups""#));
        assert!(home.contains("Morgens steif") && home.contains("Anonym gefragt"), "{db:?}: latest topics");
        assert!(home.contains(r#"id="messages-title""#) && home.contains(r#"id="events-title""#), "{db:?}");

        // Ben replies in Anna's topic: it is news for her, and unread.
        reply(&s, &ben, &mine, json!({"body": "Bei mir auch, @Anna"})).await;
        let (_, home) = browser.get("/a/ms/").await;
        let unread = home.split("id=\"unread-title\"").nth(1).unwrap().split("</section>").next().unwrap();
        assert!(unread.contains("Morgens steif"), "{db:?}: the topic with a new post is unread: {unread}");
        let news = home.split("id=\"news-title\"").nth(1).unwrap().split("</section>").next().unwrap();
        assert!(news.contains("Ben"), "{db:?}: the reply is news: {news}");

        // Once she joins a group, its topics come too and the first steps go.
        let body = json!({"name": "Junge Betroffene", "description": "Wir", "visibility": "open"});
        let group =
            ok(&s, &ben.token, "POST", &api("/groups"), Some(body)).await["group_id"].as_str().unwrap().to_owned();
        ok(&s, &anna.token, "POST", &api(&format!("/groups/{group}/join")), None).await;
        topic(&s, &ben, ("group_id", &group), "Treffen im Park", "Samstag?").await;
        let (_, home) = browser.get("/a/ms/").await;
        assert!(home.contains("Junge Betroffene") && home.contains("Treffen im Park"), "{db:?}");
        assert!(!home.contains("id=\"welcome-title\""), "{db:?}: no first steps once in a group");
        s.stop().await;
    }
}
