//! The staff page of members flagged for a scraper's pace: a member who
//! opens profiles faster than the configured limit shows up there for an
//! admin signed in with the page cookie and a second factor, with a reason
//! in plain language; a plain member is refused, and each view is audited.

use crate::harness::{TestServer, BOTH, STAFF_PASSWORD};
use crate::members::{ok, someone, PASSWORD};
use kindred_service::sessions::csrf_token;

/// Signs in through the page form (and the second-factor form, when the
/// account has an authenticator app); returns the cookie and CSRF token.
pub(crate) async fn page_sign_in(s: &TestServer, email: &str, password: &str) -> (String, String) {
    let response =
        s.client.post(s.url("/a/ms/sign-in")).form(&[("email", email), ("password", password)]).send().await.unwrap();
    assert_eq!(response.status(), 303, "sign-in as {email}");
    let location = response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let token = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("__Host-kindred-ms="))
        .and_then(|v| v.split(';').next())
        .expect("session cookie")
        .to_owned();
    let cookie = format!("__Host-kindred-ms={token}");
    let csrf = csrf_token(&token);
    if location.contains("/sign-in/second-factor") {
        s.clock.advance(chrono::Duration::seconds(30));
        let code = crate::accounts::current_code(s, email);
        let response = s
            .client
            .post(s.url("/a/ms/sign-in/second-factor"))
            .header("cookie", &cookie)
            .form(&[("csrf", csrf.as_str()), ("code", code.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "second factor of {email}");
        let next = response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default();
        assert_eq!(next, "/a/ms/", "after the second factor, the home page");
    }
    (cookie, csrf)
}

pub(crate) async fn get(s: &TestServer, cookie: &str, path: &str) -> (u16, String) {
    let response = s.client.get(s.url(path)).header("cookie", cookie).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// A page that must render: 200, one h1, the main landmark.
pub(crate) async fn page(s: &TestServer, cookie: &str, path: &str) -> String {
    let (status, html) = get(s, cookie, path).await;
    assert_eq!(status, 200, "GET {path}: {html}");
    assert_eq!(html.matches("<h1").count(), 1, "one h1 on {path}");
    assert!(html.contains("<main id=\"main\""), "main landmark on {path}");
    assert!(!html.contains("style=\""), "no inline style on {path}");
    // Addresses in attributes have their slashes escaped.
    html.replace("&#x2f;", "/")
}

#[tokio::test]
async fn staff_see_members_flagged_for_a_scrapers_pace_on_a_page() {
    for db in BOTH {
        let file =
            kindred::config::parse_file("[privacy]\nprofile_views_per_15_minutes = 10\n", "test").expect("config");
        let s = TestServer::start_with(db, file).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben Schnellblick").await;
        s.user(&ms, "admin@example.org", "Admin", "admin").await;
        // Sets up the authenticator app the example association requires of staff.
        let admin_token = s.login_staff(&ms, "admin@example.org").await;
        let (admin, csrf) = page_sign_in(&s, "admin@example.org", STAFF_PASSWORD).await;

        let index = page(&s, &admin, "/a/ms/staff?lang=en").await;
        assert!(index.contains("/a/ms/staff/flags"), "the staff index links to the flags page");
        let empty = page(&s, &admin, "/a/ms/staff/flags?lang=en").await;
        assert!(empty.contains("No one has been flagged."), "{db:?}: {empty}");
        assert!(!empty.contains("<table"), "no empty table");

        for _ in 0..10 {
            ok(&s, &ben.token, "GET", &format!("/a/ms/api/v1/members/{}", anna.id), None).await;
        }
        let response = s
            .client
            .get(s.url(&format!("/a/ms/api/v1/members/{}", anna.id)))
            .bearer_auth(&ben.token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 429, "{db:?}: the eleventh look is refused");

        let html = page(&s, &admin, "/a/ms/staff/flags?lang=en").await;
        assert!(html.contains("<caption"), "the table has a caption");
        assert!(html.contains("<th scope=\"row\">Ben Schnellblick</th>"), "{db:?}: the flagged pseudonym in {html}");
        assert!(html.contains("Opened more than 10 other profiles within 15 minutes"), "{db:?}: reason in {html}");
        assert!(!html.contains("profile-views:"), "the stored text is translated");
        assert!(html.contains(" datetime=\""), "when, as a machine-readable time");
        assert!(!html.contains("Anna"), "only the flagged member is listed");
        assert_eq!(html.matches("<th scope=\"row\">").count(), 1, "flagged once per window");
        assert!(html.contains("action=\"/a/ms/staff/members"), "each entry leads to the suspension page");
        // The entry's form finds the member on the suspension page.
        let found = s
            .client
            .post(s.url("/a/ms/staff/members?lang=en"))
            .header("cookie", &admin)
            .form(&[("csrf", csrf.as_str()), ("pseudonym", "Ben Schnellblick")])
            .send()
            .await
            .unwrap();
        assert_eq!(found.status(), 200);
        let found = found.text().await.unwrap().replace("&#x2f;", "/");
        assert!(found.contains(&format!("/staff/members/{}/suspend", ben.id)), "{db:?}: {found}");
        let german = page(&s, &admin, "/a/ms/staff/flags?lang=de").await;
        assert!(german.contains("Hat mehr als 10 andere Profile in 15 Minuten geöffnet"), "{german}");

        // A plain member gets the forbidden page, not the list.
        let (member, _) = page_sign_in(&s, "anna@example.org", PASSWORD).await;
        let (status, refused) = get(&s, &member, "/a/ms/staff/flags?lang=en").await;
        assert_eq!(status, 403, "{db:?}: members do not see flags");
        assert!(!refused.contains("Ben Schnellblick"), "no pseudonym on the forbidden page");
        assert_eq!(refused.matches("<h1").count(), 1, "the forbidden page is a page");
        // Signed out: sent to sign in, nothing shown.
        let status = s.get("/a/ms/staff/flags").await.status();
        assert_eq!(status, 303, "{db:?}: signed out, sent to sign in");

        // Each of the three views by the admin is in the audit log; the refused one is not.
        let log = ok(&s, &admin_token, "GET", "/a/ms/api/v1/admin/audit-log", None).await;
        let views: Vec<_> =
            log["entries"].as_array().expect("entries").iter().filter(|e| e["action"] == "flags.viewed").collect();
        assert_eq!(views.len(), 3, "{db:?}: flags.viewed per page view in {log}");
        assert!(views.iter().all(|e| e["actor_pseudonym"] == "Admin"), "{views:?}");
        s.stop().await;
    }
}
