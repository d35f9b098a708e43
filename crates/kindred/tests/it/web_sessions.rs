//! Page sessions: the `__Host-` cookie, rotation at sign-in, CSRF on every
//! unsafe request, and the end of a session at sign-out.

use crate::admission::PASSWORD;
use crate::harness::{api_error, TestServer, BOTH};
use kindred_service::sessions::csrf_token;

/// Signs in through the page form; returns the cookie's value and the whole Set-Cookie header.
async fn sign_in(s: &TestServer, slug: &str, email: &str, old_cookie: Option<&str>) -> (String, String) {
    let mut request =
        s.client.post(s.url(&format!("/a/{slug}/sign-in"))).form(&[("email", email), ("password", PASSWORD)]);
    if let Some(old) = old_cookie {
        request = request.header("cookie", format!("__Host-kindred-{slug}={old}"));
    }
    let response = request.send().await.expect("post");
    assert_eq!(response.status(), 303, "sign-in redirects");
    let header = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("__Host-kindred-{slug}=")))
        .expect("a session cookie")
        .to_owned();
    let value = header.split(';').next().unwrap().split_once('=').unwrap().1.to_owned();
    (value, header)
}

fn cookie(slug: &str, value: &str) -> String {
    format!("__Host-kindred-{slug}={value}")
}

#[tokio::test]
async fn page_sessions_use_a_host_cookie_rotated_at_sign_in() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.member(&ms, "anna@example.org", "Anna", PASSWORD).await;
        let (first, header) = sign_in(&s, "ms", "anna@example.org", None).await;
        for attribute in ["Path=/", "HttpOnly", "Secure", "SameSite=Lax"] {
            assert!(header.contains(attribute), "{attribute} in {header}");
        }
        assert!(!header.contains("Domain"), "__Host- cookies have no domain");
        let me = s.client.get(s.url("/a/ms/api/v1/me")).header("cookie", cookie("ms", &first)).send().await.unwrap();
        assert_eq!(me.status(), 200, "the page session works for the page scripts' API calls");
        let sessions: serde_json::Value = s
            .client
            .get(s.url("/a/ms/api/v1/me/sessions"))
            .header("cookie", cookie("ms", &first))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(sessions["sessions"][0]["kind"], "web");

        // Signing in again replaces the session: the old secret is dead.
        let (second, _) = sign_in(&s, "ms", "anna@example.org", Some(&first)).await;
        assert_ne!(first, second);
        let old = s.client.get(s.url("/a/ms/api/v1/me")).header("cookie", cookie("ms", &first)).send().await.unwrap();
        assert_eq!(api_error(old).await.0, 401);

        // The cookie of one association is nothing to another.
        s.association("other", "Other", "").await;
        let there =
            s.client.get(s.url("/a/other/api/v1/me")).header("cookie", cookie("other", &second)).send().await.unwrap();
        assert_eq!(api_error(there).await.0, 401);
        s.stop().await;
    }
}

#[tokio::test]
async fn unsafe_requests_with_the_cookie_need_the_csrf_token() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.member(&ms, "anna@example.org", "Anna", PASSWORD).await;
        let (token, _) = sign_in(&s, "ms", "anna@example.org", None).await;
        let jar = cookie("ms", &token);

        let forged = s.client.post(s.url("/a/ms/api/v1/auth/logout")).header("cookie", &jar).send().await.unwrap();
        assert_eq!(api_error(forged).await, (403, "csrf_failed".to_owned()));
        let wrong = s
            .client
            .post(s.url("/a/ms/api/v1/auth/logout"))
            .header("cookie", &jar)
            .header("x-csrf-token", csrf_token("someone else's"))
            .send()
            .await
            .unwrap();
        assert_eq!(api_error(wrong).await.0, 403);

        // The page form without its hidden token is refused too.
        let form =
            s.client.post(s.url("/a/ms/sign-out")).header("cookie", &jar).form(&[("csrf", "")]).send().await.unwrap();
        assert_eq!(form.status(), 403);
        let me = s.client.get(s.url("/a/ms/api/v1/me")).header("cookie", &jar).send().await.unwrap();
        assert_eq!(me.status(), 200, "nothing happened");

        let out = s
            .client
            .post(s.url("/a/ms/sign-out"))
            .header("cookie", &jar)
            .form(&[("csrf", csrf_token(&token))])
            .send()
            .await
            .unwrap();
        assert_eq!(out.status(), 303);
        let cleared =
            out.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).any(|v| v.contains("Max-Age=0"));
        assert!(cleared, "the cookie is cleared");
        let after = s.client.get(s.url("/a/ms/api/v1/me")).header("cookie", &jar).send().await.unwrap();
        assert_eq!(api_error(after).await.0, 401, "sign-out ends the session on the server");
        s.stop().await;
    }
}

#[tokio::test]
async fn forms_refuse_cross_site_posts() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.member(&ms, "anna@example.org", "Anna", PASSWORD).await;
        let r = s
            .client
            .post(s.url("/a/ms/sign-in"))
            .header("origin", "https://evil.example")
            .form(&[("email", "anna@example.org"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        assert!(r.headers().get("set-cookie").is_none());
        let r = s
            .client
            .post(s.url("/a/ms/register"))
            .header("sec-fetch-site", "cross-site")
            .form(&[("email", "x@example.org"), ("pseudonym", "Xaver"), ("password", PASSWORD), ("accept_terms", "on")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        s.stop().await;
    }
}

/// `Origin: null` comes from sandboxed frames and `data:` pages of any
/// site: refused like another site's origin, for sign-in and for posts
/// of a signed-in member that carry a valid CSRF token.
#[tokio::test]
async fn forms_refuse_origin_null() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.member(&ms, "anna@example.org", "Anna", PASSWORD).await;
        for origin in ["null", "NULL"] {
            let r = s
                .client
                .post(s.url("/a/ms/sign-in"))
                .header("origin", origin)
                .form(&[("email", "anna@example.org"), ("password", PASSWORD)])
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 403, "sign-in with Origin: {origin}");
            assert!(r.headers().get("set-cookie").is_none());
        }
        let (token, _) = sign_in(&s, "ms", "anna@example.org", None).await;
        let jar = cookie("ms", &token);
        let r = s
            .client
            .post(s.url("/a/ms/sign-out"))
            .header("cookie", &jar)
            .header("origin", "null")
            .form(&[("csrf", csrf_token(&token))])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "a valid CSRF token does not make Origin: null acceptable");
        let me = s.client.get(s.url("/a/ms/api/v1/me")).header("cookie", &jar).send().await.unwrap();
        assert_eq!(me.status(), 200, "the session is still there");
        let r = s
            .client
            .post(s.url("/a/ms/sign-in"))
            .header("origin", s.base.as_str())
            .form(&[("email", "anna@example.org"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "our own origin is fine");
        s.stop().await;
    }
}

#[tokio::test]
async fn web_sessions_end_when_idle() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.member(&ms, "anna@example.org", "Anna", PASSWORD).await;
        let (token, _) = sign_in(&s, "ms", "anna@example.org", None).await;
        let jar = cookie("ms", &token);
        s.clock.advance(chrono::Duration::hours(23));
        let r = s.client.get(s.url("/a/ms/api/v1/me")).header("cookie", &jar).send().await.unwrap();
        assert_eq!(r.status(), 200, "use keeps it alive");
        s.clock.advance(chrono::Duration::hours(23));
        let r = s.client.get(s.url("/a/ms/api/v1/me")).header("cookie", &jar).send().await.unwrap();
        assert_eq!(r.status(), 200);
        s.clock.advance(chrono::Duration::hours(25));
        let r = s.client.get(s.url("/a/ms/api/v1/me")).header("cookie", &jar).send().await.unwrap();
        assert_eq!(api_error(r).await.0, 401, "a day without use ends it");
        s.stop().await;
    }
}

#[tokio::test]
async fn web_sessions_end_after_two_weeks_however_used() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.member(&ms, "anna@example.org", "Anna", PASSWORD).await;
        let (token, _) = sign_in(&s, "ms", "anna@example.org", None).await;
        let jar = cookie("ms", &token);
        // Used every 20 hours: never idle for a day, but 14 days end it.
        for step in 1..=16 {
            s.clock.advance(chrono::Duration::hours(20));
            let r = s.client.get(s.url("/a/ms/api/v1/me")).header("cookie", &jar).send().await.unwrap();
            assert_eq!(r.status(), 200, "after {} hours", step * 20);
        }
        s.clock.advance(chrono::Duration::hours(20));
        let r = s.client.get(s.url("/a/ms/api/v1/me")).header("cookie", &jar).send().await.unwrap();
        assert_eq!(api_error(r).await.0, 401, "the absolute limit holds");
        s.stop().await;
    }
}

#[tokio::test]
async fn a_moderator_suspends_and_reinstates_from_the_staff_pages() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let small = s.association("small", "Small", "").await;
        s.user(&small, "mod@example.org", "Moderatorin", "moderator").await;
        let troll = s.member(&small, "troll@example.org", "Troll", PASSWORD).await;
        let troll_token = s.login("small", "troll@example.org", PASSWORD).await;
        let response = s
            .client
            .post(s.url("/a/small/sign-in"))
            .form(&[("email", "mod@example.org"), ("password", crate::harness::STAFF_PASSWORD)])
            .send()
            .await
            .unwrap();
        let header = response.headers()["set-cookie"].to_str().unwrap().to_owned();
        let token = header.split(';').next().unwrap().split_once('=').unwrap().1.to_owned();
        let jar = cookie("small", &token);
        let csrf = csrf_token(&token);

        let found = s
            .client
            .post(s.url("/a/small/staff/members"))
            .header("cookie", &jar)
            .form(&[("csrf", csrf.as_str()), ("pseudonym", "troll")])
            .send()
            .await
            .unwrap();
        assert_eq!(found.status(), 200);
        assert!(found.text().await.unwrap().contains(&format!("/staff/members/{troll}/suspend")));

        let path = format!("/a/small/staff/members/{troll}/suspend");
        let forged = s.client.post(s.url(&path)).header("cookie", &jar).form(&[("note", "spam")]).send().await.unwrap();
        assert_eq!(forged.status(), 403, "no CSRF token, no suspension");
        let done = s
            .client
            .post(s.url(&path))
            .header("cookie", &jar)
            .form(&[("csrf", csrf.as_str()), ("note", "spam in three groups")])
            .send()
            .await
            .unwrap();
        assert_eq!(done.status(), 303);
        let r = s.client.get(s.url("/a/small/api/v1/me")).bearer_auth(&troll_token).send().await.unwrap();
        assert_eq!(api_error(r).await.0, 401, "signed out at once");

        let path = format!("/a/small/staff/members/{troll}/reinstate");
        let back =
            s.client.post(s.url(&path)).header("cookie", &jar).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
        assert_eq!(back.status(), 303);
        s.login("small", "troll@example.org", PASSWORD).await;
        s.stop().await;
    }
}
