//! The member's language and time zone (`GET`/`PUT /me/preferences` and the
//! account's preferences page): defaults from the association, checked
//! input that changes nothing when wrong, pages in the stored language
//! unless `?lang=` says otherwise, times in the member's zone and relative
//! to now, and mail links that open in the member's language.

use crate::forum_search::Browser;
use crate::harness::{api_error, TestServer, BOTH};
use crate::members::{call, someone};
use serde_json::json;

const PREFERENCES: &str = "/a/ms/api/v1/me/preferences";

/// The `lang` of a page's `<html>`.
fn page_language(html: &str) -> &str {
    html.split("<html lang=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap_or_default()
}

#[tokio::test]
async fn members_choose_language_and_time_zone_checked_and_stored() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna").await;

        // Defaults: the association's language and zone (ms: de, Europe/Berlin).
        let (status, defaults) = call(&s, &anna.token, "GET", PREFERENCES, None).await;
        assert_eq!(status, 200, "{db:?}: {defaults}");
        assert_eq!(defaults["language"], "de", "{db:?}");
        assert!(defaults.get("time_zone").is_none(), "{db:?}: absent, not null: {defaults}");
        assert_eq!(defaults["effective_time_zone"], "Europe/Berlin", "{db:?}");

        let body = json!({"language": "nl", "time_zone": "America/New_York"});
        let (status, now) = call(&s, &anna.token, "PUT", PREFERENCES, Some(body)).await;
        assert_eq!(status, 200, "{db:?}: {now}");
        assert_eq!(
            now,
            json!({"language": "nl", "time_zone": "America/New_York", "effective_time_zone": "America/New_York"})
        );
        let (_, read) = call(&s, &anna.token, "GET", PREFERENCES, None).await;
        assert_eq!(read, now, "{db:?}: stored");

        // Wrong input: 422 naming the field (or 400/422 for a wrong shape), nothing changes.
        for (body, field) in [
            (json!({"language": "fr", "time_zone": "Europe/Paris"}), Some("language")),
            (json!({"language": "de", "time_zone": "Mars/Olympus"}), Some("time_zone")),
            (json!({"language": "de", "time_zone": "Europe/Berlin\u{0}"}), Some("time_zone")),
            (json!({"language": "de", "time_zone": "x".repeat(10_000)}), Some("time_zone")),
            (json!({"language": "de", "zone": "Europe/Berlin"}), None),
            (json!({"time_zone": "Europe/Berlin"}), None),
            (json!({"language": 7}), None),
        ] {
            let response = s.client.put(s.url(PREFERENCES)).bearer_auth(&anna.token).json(&body).send().await.unwrap();
            let status = response.status().as_u16();
            let value: serde_json::Value = response.json().await.unwrap();
            assert!(status == 422 || (field.is_none() && status == 400), "{db:?}: {body} → {status} {value}");
            assert!(value["error"]["code"].is_string(), "{db:?}: {value}");
            if let Some(field) = field {
                assert!(value["error"]["fields"][field].is_string(), "{db:?}: {field} named in {value}");
            }
        }
        let (_, after) = call(&s, &anna.token, "GET", PREFERENCES, None).await;
        assert_eq!(after, now, "{db:?}: nothing changed");

        // null follows the association's zone again.
        let (status, back) =
            call(&s, &anna.token, "PUT", PREFERENCES, Some(json!({"language": "nl", "time_zone": null}))).await;
        assert_eq!(status, 200, "{db:?}");
        assert!(back.get("time_zone").is_none(), "{db:?}: {back}");
        assert_eq!(back["effective_time_zone"], "Europe/Berlin");

        // Signed out: 401.
        let (status, _) = api_error(s.client.get(s.url(PREFERENCES)).send().await.unwrap()).await;
        assert_eq!(status, 401);
        s.stop().await;
    }
}

#[tokio::test]
async fn pages_follow_the_stored_language_and_zone_and_mail_links_carry_the_language() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna").await;
        let body = json!({"language": "nl", "time_zone": "America/New_York"});
        assert_eq!(call(&s, &anna.token, "PUT", PREFERENCES, Some(body)).await.0, 200);

        // The stored language wins over the browser's Accept-Language; an
        // explicit ?lang= wins over both.
        let browser = Browser::sign_in(&s, "anna@example.org").await;
        let response = s
            .client
            .get(s.url("/a/ms/account/sessions"))
            .header("cookie", &browser.cookie)
            .header("accept-language", "en, de;q=0.5")
            .send()
            .await
            .unwrap();
        let html = response.text().await.unwrap();
        assert_eq!(page_language(&html), "nl", "{db:?}");
        // The session began now: "just now" in Dutch, the exact time in New
        // York's zone beside it, visually hidden for screen readers and as a title.
        assert!(html.contains(">zojuist<span class=\"visually-hidden\">"), "{db:?}: relative time in {html}");
        let zone_shown = html.contains(" EST)") || html.contains(" EDT)");
        assert!(zone_shown, "{db:?}: the exact time in the member's zone: {html}");
        assert!(!html.contains(" CET)") && !html.contains(" CEST)"), "{db:?}: not the association's zone");
        let (_, english) = browser.get("/a/ms/account/sessions?lang=en").await;
        assert_eq!(page_language(&english), "en", "{db:?}");
        assert!(english.contains(">just now<"), "{db:?}");

        // Error pages too: a missing page, a missing topic, a wrong method.
        for (path, method) in [
            ("/a/ms/no-such-page", reqwest::Method::GET),
            ("/a/ms/forum/topics/aaaaaaaaaaaaaaaaaaaaaaaaaa", reqwest::Method::GET),
            ("/a/ms/sign-out", reqwest::Method::GET),
        ] {
            let response = s
                .client
                .request(method, s.url(path))
                .header("cookie", &browser.cookie)
                .header("accept-language", "de")
                .send()
                .await
                .unwrap();
            assert!(response.status().is_client_error(), "{db:?}: {path}");
            let html = response.text().await.unwrap();
            assert_eq!(page_language(&html), "nl", "{db:?}: {path}");
        }

        // Three hours later the same session reads "3 uur geleden".
        s.clock.advance(chrono::Duration::hours(3));
        let (_, later) = browser.get("/a/ms/account/sessions").await;
        assert!(later.contains(">3 uur geleden<"), "{db:?}: {later}");

        // A mail to the member: Dutch, and its link opens in Dutch.
        let reset = s.post_json("/a/ms/api/v1/auth/password-reset", json!({"email": "anna@example.org"})).await;
        assert_eq!(reset.status(), 202);
        let mails = s.mails_to("anna@example.org", 1).await;
        let mail = mails.last().unwrap();
        assert!(mail.contains("Goedendag"), "{db:?}: Dutch mail: {mail}");
        assert!(mail.contains("&lang=nl"), "{db:?}: the link names the language: {mail}");

        // The page saves the same preferences without JavaScript.
        let (status, html) = browser.get("/a/ms/account/preferences").await;
        assert_eq!(status, 200, "{db:?}");
        assert!(html.contains(r#"<option value="America/New_York" selected>"#), "{db:?}: {html}");
        let (status, location) =
            browser.post("/a/ms/account/preferences", &[("language", "en"), ("time_zone", "Asia/Tokyo")]).await;
        assert_eq!(status, 303, "{db:?}");
        assert!(location.ends_with("/account/preferences?done=preferences-saved"), "{location}");
        let (_, read) = call(&s, &anna.token, "GET", PREFERENCES, None).await;
        assert_eq!(read["language"], "en", "{db:?}");
        assert_eq!(read["time_zone"], "Asia/Tokyo", "{db:?}");
        let (status, _) =
            browser.post("/a/ms/account/preferences", &[("language", "en"), ("time_zone", "Asia/Atlantis")]).await;
        assert_eq!(status, 422, "{db:?}: an unknown zone is refused");
        let (status, _) = browser.post("/a/ms/account/preferences", &[("language", "de"), ("time_zone", "")]).await;
        assert_eq!(status, 303, "{db:?}");
        let (_, read) = call(&s, &anna.token, "GET", PREFERENCES, None).await;
        assert_eq!(read["language"], "de", "{db:?}");
        assert!(read.get("time_zone").is_none(), "{db:?}: back to the association's zone");
        s.stop().await;
    }
}
