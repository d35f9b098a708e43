//! The member's e-mail choice per kind of notification: defaults for every
//! kind, a PUT sets the kinds named and resets the others, unknown kinds and
//! frequencies are 422 naming them and change nothing, a crisis report
//! cannot be muted, and the page does the same without JavaScript.

use crate::forum_search::Browser;
use crate::harness::{api_error, TestServer, BOTH};
use crate::members::{call, someone};
use serde_json::json;

const SETTINGS: &str = "/a/ms/api/v1/me/notification-settings";

#[tokio::test]
async fn members_choose_how_often_each_kind_is_mailed() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna").await;

        let (status, defaults) = call(&s, &anna.token, "GET", SETTINGS, None).await;
        assert_eq!(status, 200, "{db:?}");
        assert_eq!(defaults["settings"]["reply"]["email"], "daily");
        assert_eq!(defaults["settings"]["crisis_report"]["email"], "immediately");

        let body = json!({"settings": {"reply": {"email": "weekly"}, "mention": {"email": "never"}}});
        let (status, now) = call(&s, &anna.token, "PUT", SETTINGS, Some(body)).await;
        assert_eq!(status, 200, "{db:?}: {now}");
        assert_eq!(now["settings"]["reply"]["email"], "weekly");
        let (_, read) = call(&s, &anna.token, "GET", SETTINGS, None).await;
        assert_eq!(read, now, "{db:?}: stored");

        // Wrong kinds and frequencies: 422 naming each, nothing changes.
        for (body, field) in [
            (json!({"settings": {"replies": {"email": "daily"}}}), "settings.replies"),
            (json!({"settings": {"reply": {"email": "hourly"}}}), "settings.reply.email"),
            (json!({"settings": {"crisis_report": {"email": "never"}}}), "settings.crisis_report.email"),
        ] {
            let response = s.client.put(s.url(SETTINGS)).bearer_auth(&anna.token).json(&body).send().await.unwrap();
            let status = response.status().as_u16();
            let value: serde_json::Value = response.json().await.unwrap();
            assert_eq!(status, 422, "{db:?}: {body}");
            assert!(value["error"]["fields"][field].is_string(), "{db:?}: {field} named in {value}");
        }
        let (_, after) = call(&s, &anna.token, "GET", SETTINGS, None).await;
        assert_eq!(after, now, "{db:?}: nothing changed");

        // Signed out: 401.
        let (status, _) = api_error(s.client.get(s.url(SETTINGS)).send().await.unwrap()).await;
        assert_eq!(status, 401);

        // The page shows the choices and saves them without JavaScript.
        let browser = Browser::sign_in(&s, "anna@example.org").await;
        let (status, html) = browser.get("/a/ms/account/notifications").await;
        assert_eq!(status, 200, "{db:?}: {html}");
        assert!(html.contains(r#"<option value="weekly" selected"#), "{db:?}: the stored choice is selected");
        let (status, location) =
            browser.post("/a/ms/account/notifications", &[("reply", "never"), ("mention", "daily")]).await;
        assert_eq!(status, 303, "{db:?}");
        assert!(location.contains("done=notification-settings-saved"), "{location}");
        let (_, read) = call(&s, &anna.token, "GET", SETTINGS, None).await;
        assert_eq!(read["settings"]["reply"]["email"], "never", "{db:?}");
        assert_eq!(read["settings"]["mention"]["email"], "daily", "{db:?}");
        s.stop().await;
    }
}
