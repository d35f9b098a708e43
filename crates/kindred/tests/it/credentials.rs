//! Credentials that a session alone cannot change, and sign-in limits that
//! failures elsewhere cannot turn against the owner. Clients are told apart
//! by `X-Forwarded-For` from a trusted proxy (the test client is 127.0.0.1).

use crate::accounts::{current_code, enrol_totp};
use crate::admission::{post_as, PASSWORD};
use crate::harness::{api_error, TestServer, BOTH};
use kindred::config::{parse_file, FileConfig};
use serde_json::{json, Value};

fn behind_proxy() -> FileConfig {
    parse_file("[server]\ntrusted_proxies = [\"127.0.0.1\"]\n", "test.toml").expect("config")
}

/// An API sign-in from the client address `from`.
async fn login_from(s: &TestServer, email: &str, password: &str, from: &str) -> reqwest::Response {
    s.client
        .post(s.url("/a/ms/api/v1/auth/login"))
        .header("x-forwarded-for", from)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
}

/// A POST with a bearer token from the client address `from`.
async fn post_from(s: &TestServer, token: &str, path: &str, body: Value, from: &str) -> reqwest::Response {
    s.client.post(s.url(path)).bearer_auth(token).header("x-forwarded-for", from).json(&body).send().await.unwrap()
}

/// The mails to `to` that announce a change of how they sign in (in
/// German, the MS association's language).
async fn sign_in_notices(s: &TestServer, to: &str, count: usize) -> Vec<String> {
    for _ in 0..100 {
        let found: Vec<String> = s
            .mails_to(to, 0)
            .await
            .into_iter()
            .filter(|m| m.contains("die Anmeldung an Ihrem Konto bei MS Test wurde soeben geändert"))
            .collect();
        if found.len() >= count {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("expected {count} sign-in notice(s) to {to}");
}

#[tokio::test]
async fn a_session_alone_cannot_replace_or_remove_the_second_factor() {
    for db in BOTH {
        let s = TestServer::start_with(db, behind_proxy()).await;
        let ms = s.ms_association("ms").await;
        s.member(&ms, "anna@example.org", "Anna", PASSWORD).await;
        let anna = s.login("ms", "anna@example.org", PASSWORD).await;
        let recovery = enrol_totp(&s, "ms", &anna, PASSWORD).await;
        let notices = sign_in_notices(&s, "anna@example.org", 1).await;
        assert!(notices[0].contains("eine Authenticator-App wurde eingerichtet"), "{}", notices[0]);

        // Whoever holds the token starts a new app of their own …
        let r = post_as(&s, &anna, "/a/ms/api/v1/me/two-factor/totp", json!({})).await;
        assert_eq!(r.status(), 200);
        let setup: Value = r.json().await.unwrap();
        let secret = setup["secret"].as_str().unwrap().replace(' ', "");
        let theirs = data_encoding::BASE32_NOPAD.decode(secret.as_bytes()).unwrap();
        s.secrets.lock().unwrap().insert("thief".into(), theirs);
        let confirm = "/a/ms/api/v1/me/two-factor/totp/confirm";
        // … but cannot confirm it without a proof, nor with a wrong one.
        s.clock.advance(chrono::Duration::seconds(30));
        let code = current_code(&s, "thief");
        let r = post_as(&s, &anna, confirm, json!({"code": code})).await;
        assert_eq!(api_error(r).await, (403, "reauthentication_required".into()), "{db:?}");
        let r = post_as(&s, &anna, confirm, json!({"code": code, "password": "wrong password!"})).await;
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], "invalid_fields");
        assert!(body["error"]["fields"]["password"].is_string(), "{body}");
        let r = post_as(&s, &anna, confirm, json!({"code": code, "current_code": "000000"})).await;
        let body: Value = r.json().await.unwrap();
        assert!(body["error"]["fields"]["current_code"].is_string(), "{body}");
        // Nothing changed: the owner's app and recovery codes still work.
        s.clock.advance(chrono::Duration::seconds(30));
        let owner = current_code(&s, "anna@example.org");
        let login = |code: String| {
            s.post_json(
                "/a/ms/api/v1/auth/login",
                json!({"email": "anna@example.org", "password": PASSWORD, "totp_code": code}),
            )
        };
        assert_eq!(login(owner).await.status(), 200, "the owner's app still signs in");
        assert_eq!(login(recovery[0].clone()).await.status(), 200, "the owner's recovery codes are kept");
        let r = post_as(&s, &anna, "/a/ms/api/v1/me/two-factor/totp/remove", json!({})).await;
        assert_eq!(api_error(r).await, (403, "reauthentication_required".into()));
        let r =
            post_as(&s, &anna, "/a/ms/api/v1/me/two-factor/totp/remove", json!({"password": "wrong password!"})).await;
        assert_eq!(api_error(r).await.0, 422);
        assert_eq!(s.get_as(&anna, "/a/ms/api/v1/me").await["totp"], true);
        assert_eq!(sign_in_notices(&s, "anna@example.org", 1).await.len(), 1, "no change, no notice");

        // Wrong proofs count for that session and client, in their own
        // bucket (not sign-in's); the owner elsewhere still signs in and
        // still confirms changes.
        let remove = "/a/ms/api/v1/me/two-factor/totp/remove";
        for _ in 0..10 {
            let r = post_from(&s, &anna, remove, json!({"password": "wrong password!"}), "203.0.113.9").await;
            assert_eq!(r.status(), 422);
        }
        let r = post_from(&s, &anna, remove, json!({"password": PASSWORD}), "203.0.113.9").await;
        assert_eq!(api_error(r).await.0, 429, "ten failures of this client: it waits, even when right");
        s.clock.advance(chrono::Duration::seconds(30));
        let code = current_code(&s, "anna@example.org");
        let r = s
            .client
            .post(s.url("/a/ms/api/v1/auth/login"))
            .header("x-forwarded-for", "198.51.100.7")
            .json(&json!({"email": "anna@example.org", "password": PASSWORD, "totp_code": code}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "the owner's own client is not held back");

        // The owner replaces the app with a current code of the old one.
        s.clock.advance(chrono::Duration::seconds(30));
        let old = current_code(&s, "anna@example.org");
        let new = current_code(&s, "thief");
        let r = post_as(&s, &anna, confirm, json!({"code": new, "current_code": old})).await;
        assert_eq!(r.status(), 200, "{db:?}");
        let notices = sign_in_notices(&s, "anna@example.org", 2).await;
        assert!(notices[1].contains("die Authenticator-App wurde durch eine neue ersetzt"), "{}", notices[1]);
        assert!(!notices[1].contains(&secret) && !notices[1].contains("203.0.113"), "the notice says what, not more");

        let r = post_as(&s, &anna, remove, json!({"password": PASSWORD})).await;
        assert_eq!(r.status(), 204);
        let notices = sign_in_notices(&s, "anna@example.org", 3).await;
        assert!(notices[2].contains("die Authenticator-App wurde entfernt"), "{}", notices[2]);
        s.stop().await;
    }
}

#[tokio::test]
async fn failed_sign_ins_elsewhere_do_not_lock_the_owner_out() {
    for db in BOTH {
        let s = TestServer::start_with(db, behind_proxy()).await;
        let ms = s.ms_association("ms").await;
        s.member(&ms, "anna@example.org", "Anna", PASSWORD).await;
        let owner = "198.51.100.7";
        // The same steps against a known and an unknown address answer alike.
        for email in ["anna@example.org", "ghost@example.org"] {
            for _ in 0..10 {
                assert_eq!(login_from(&s, email, "wrong password!", "203.0.113.1").await.status(), 401);
            }
            let r = login_from(&s, email, "wrong password!", "203.0.113.1").await;
            let wait: i64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
            assert!(wait > 0 && wait <= 15 * 60, "{wait}");
            assert_eq!(api_error(r).await, (429, "rate_limited".into()), "{email}: the failing client waits");
        }
        assert_eq!(login_from(&s, "anna@example.org", PASSWORD, "203.0.113.1").await.status(), 429);
        let r = login_from(&s, "anna@example.org", PASSWORD, owner).await;
        assert_eq!(r.status(), 200, "{db:?}: ten failures elsewhere do not lock the owner out");

        // An attack from many addresses: once the account failed often, a
        // client that failed at all waits, one that did not is still heard.
        for email in ["anna@example.org", "ghost@example.org"] {
            for n in 2..=5 {
                for _ in 0..10 {
                    let r = login_from(&s, email, "wrong password!", &format!("203.0.113.{n}")).await;
                    assert_eq!(r.status(), 401);
                }
            }
            assert_eq!(login_from(&s, email, "wrong password!", "203.0.113.6").await.status(), 401, "a new client");
            let r = login_from(&s, email, "wrong password!", "203.0.113.6").await;
            assert_eq!(api_error(r).await.0, 429, "{email}: one guess per address while the account is attacked");
        }
        let r = login_from(&s, "anna@example.org", PASSWORD, owner).await;
        assert_eq!(r.status(), 200, "{db:?}: the owner with the right password gets in");
        let r = login_from(&s, "anna@example.org", PASSWORD, "192.0.2.44").await;
        assert_eq!(r.status(), 200, "from any client that has not been failing");
        s.stop().await;
    }
}

/// Signs in on the pages (no second factor yet); returns the session cookie's value.
async fn page_sign_in(s: &TestServer, email: &str) -> String {
    let r = s.client.post(s.url("/a/ms/sign-in")).form(&[("email", email), ("password", PASSWORD)]).send().await;
    let r = r.unwrap();
    assert_eq!(r.status(), 303, "signed in");
    let header = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("__Host-kindred-ms="))
        .expect("a session cookie")
        .to_owned();
    header.split(';').next().and_then(|pair| pair.split_once('=')).expect("cookie").1.to_owned()
}

#[tokio::test]
async fn the_two_factor_page_asks_for_the_password_too() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.member(&ms, "anna@example.org", "Anna", PASSWORD).await;
        let cookie = page_sign_in(&s, "anna@example.org").await;
        let csrf = kindred_service::sessions::csrf_token(&cookie);
        let post = |path: &'static str, form: Vec<(&'static str, String)>| {
            s.client.post(s.url(path)).header("cookie", format!("__Host-kindred-ms={cookie}")).form(&form).send()
        };
        let r = post("/a/ms/account/two-factor/start", vec![("csrf", csrf.clone())]).await.unwrap();
        assert_eq!(r.status(), 303);
        let html = s
            .client
            .get(s.url("/a/ms/account/two-factor?lang=en"))
            .header("cookie", format!("__Host-kindred-ms={cookie}"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let start =
            html.find("<code class=\"secret\">").expect("the secret is shown") + "<code class=\"secret\">".len();
        let secret: String = html[start..].chars().take_while(|c| *c != '<').filter(|c| !c.is_whitespace()).collect();
        let bytes = data_encoding::BASE32_NOPAD.decode(secret.as_bytes()).unwrap();
        s.secrets.lock().unwrap().insert("anna@example.org".into(), bytes);
        let code = current_code(&s, "anna@example.org");
        let confirm = "/a/ms/account/two-factor/confirm?lang=en";
        let r = post(confirm, vec![("csrf", csrf.clone()), ("code", code.clone())]).await.unwrap();
        assert_eq!(r.status(), 422, "{db:?}: not without the password");
        assert!(r.text().await.unwrap().contains("Please enter your password to confirm this change."));
        let r =
            post(confirm, vec![("csrf", csrf.clone()), ("code", code.clone()), ("password", "wrong password!".into())]);
        let r = r.await.unwrap();
        assert_eq!(r.status(), 422);
        assert!(r.text().await.unwrap().contains("This is not your current password."));
        let caller = s.kindred.authenticate(&ms, &cookie).await.unwrap().unwrap();
        assert!(!caller.member.has_totp, "nothing was switched on");
        let r = post(confirm, vec![("csrf", csrf), ("code", code), ("password", PASSWORD.into())]).await.unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.text().await.unwrap().matches("<li><code>").count(), 10, "the recovery codes");
        let notices = sign_in_notices(&s, "anna@example.org", 1).await;
        assert!(notices[0].contains("eine Authenticator-App wurde eingerichtet"), "{}", notices[0]);
        s.stop().await;
    }
}
