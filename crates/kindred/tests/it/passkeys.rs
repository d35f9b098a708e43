//! Passkeys (WebAuthn) as a second factor: the relying party comes from the
//! configuration, ceremonies are single use, expire and belong to their
//! member, removal is per member, and a passkey completes a page sign-in.
//! A software authenticator (webauthn-authenticator-rs) plays the browser.

use crate::admission::{post_as, PASSWORD};
use crate::harness::{api_error, TestServer, BOTH};
use kindred::config::{parse_file, FileConfig};
use kindred_service::admission::Denied;
use kindred_service::sessions::csrf_token;
use serde_json::{json, Value};
use webauthn_authenticator_rs::prelude::{CreationChallengeResponse, RequestChallengeResponse, Url};
use webauthn_authenticator_rs::softpasskey::SoftPasskey;
use webauthn_authenticator_rs::WebauthnAuthenticator;

const PUBLIC_URL: &str = "http://localhost:18080";
const FORUM: &str = "forum.example.org";

fn config(public_url: &str) -> FileConfig {
    parse_file(&format!("[server]\npublic_url = \"{public_url}\"\n"), "test.toml").expect("config")
}

/// A member's authenticator: a software passkey that claims user verification.
fn authenticator() -> WebauthnAuthenticator<SoftPasskey> {
    WebauthnAuthenticator::new(SoftPasskey::new(true))
}

fn origin(url: &str) -> Url {
    Url::parse(url).expect("origin")
}

async fn start_registration(s: &TestServer, slug: &str, token: &str) -> (String, Value) {
    let body = json!({"password": PASSWORD});
    let r = post_as(s, token, &format!("/a/{slug}/api/v1/me/passkeys/register/start"), body).await;
    assert_eq!(r.status(), 200, "start registration");
    let body: Value = r.json().await.expect("json");
    (body["challenge_id"].as_str().expect("challenge_id").to_owned(), body["options"].clone())
}

/// What the authenticator returns for the options, at `origin`.
fn create(key: &mut WebauthnAuthenticator<SoftPasskey>, options: &Value, at: &str) -> Value {
    let options: CreationChallengeResponse = serde_json::from_value(options.clone()).expect("creation options");
    let credential = key.do_registration(origin(at), options).expect("the authenticator registers");
    serde_json::to_value(credential).expect("json")
}

fn get(key: &mut WebauthnAuthenticator<SoftPasskey>, options: &Value, at: &str) -> Value {
    let options: RequestChallengeResponse = serde_json::from_value(options.clone()).expect("request options");
    let credential = key.do_authentication(origin(at), options).expect("the authenticator signs");
    serde_json::to_value(credential).expect("json")
}

async fn finish_registration(
    s: &TestServer,
    slug: &str,
    token: &str,
    challenge_id: &str,
    credential: Value,
) -> reqwest::Response {
    let body = json!({"challenge_id": challenge_id, "name": "Laptop", "credential": credential});
    post_as(s, token, &format!("/a/{slug}/api/v1/me/passkeys/register/finish"), body).await
}

/// Registers a passkey with `key` for the token's member; returns the answer.
async fn register(
    s: &TestServer,
    slug: &str,
    token: &str,
    key: &mut WebauthnAuthenticator<SoftPasskey>,
    at: &str,
) -> Value {
    let (challenge, options) = start_registration(s, slug, token).await;
    let credential = create(key, &options, at);
    let r = finish_registration(s, slug, token, &challenge, credential).await;
    assert_eq!(r.status(), 201, "finish registration");
    r.json().await.expect("json")
}

async fn list(s: &TestServer, slug: &str, token: &str) -> Vec<Value> {
    s.get_as(token, &format!("/a/{slug}/api/v1/me/passkeys")).await["passkeys"].as_array().expect("list").clone()
}

/// Signs in through the page form; returns the session cookie's value.
async fn page_sign_in(s: &TestServer, slug: &str, email: &str) -> String {
    let response = s
        .client
        .post(s.url(&format!("/a/{slug}/sign-in")))
        .form(&[("email", email), ("password", PASSWORD)])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 303, "sign-in redirects");
    let header = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("__Host-kindred-{slug}=")))
        .expect("a session cookie")
        .to_owned();
    header.split(';').next().and_then(|pair| pair.split_once('=')).expect("cookie").1.to_owned()
}

async fn post_cookie(s: &TestServer, slug: &str, cookie: &str, path: &str, body: Value) -> reqwest::Response {
    s.client
        .post(s.url(&format!("/a/{slug}/api/v1{path}")))
        .header("cookie", format!("__Host-kindred-{slug}={cookie}"))
        .header("x-csrf-token", csrf_token(cookie))
        .json(&body)
        .send()
        .await
        .expect("post")
}

#[tokio::test]
async fn the_relying_party_comes_from_the_configuration_and_a_passkey_registers() {
    for db in BOTH {
        let s = TestServer::start_with(db, config(PUBLIC_URL)).await;
        let ms = s.ms_association("ms").await;
        let forum = s.association("forum", "Forum", &format!("hosts = [\"{FORUM}\"]\n")).await;
        s.member(&ms, "anna@example.org", "Anna", PASSWORD).await;
        s.member(&forum, "anna@example.org", "Anna", PASSWORD).await;
        let anna = s.login("ms", "anna@example.org", PASSWORD).await;
        let anna_forum = s.login("forum", "anna@example.org", PASSWORD).await;

        // Without host names: the public URL's host; with: the first host name.
        let (_, options) = start_registration(&s, "ms", &anna).await;
        assert_eq!(options["publicKey"]["rp"]["id"], "localhost");
        assert_eq!(options["publicKey"]["rp"]["name"], "MS Test");
        assert_eq!(options["publicKey"]["authenticatorSelection"]["userVerification"], "required");
        let user_handle = options["publicKey"]["user"]["id"].as_str().expect("user handle").to_owned();
        let (_, options) = start_registration(&s, "forum", &anna_forum).await;
        assert_eq!(options["publicKey"]["rp"]["id"], FORUM);
        // A Host header does not move the relying party (a phishing proxy could set it).
        let r = s
            .client
            .post(s.url("/a/ms/api/v1/me/passkeys/register/start"))
            .bearer_auth(&anna)
            .header("host", "evil.example")
            .json(&json!({"password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["options"]["publicKey"]["rp"]["id"], "localhost");

        // A full registration; the first second factor brings recovery codes.
        let me = s.get_as(&anna, "/a/ms/api/v1/me").await;
        assert_eq!((me["second_factor"].clone(), me["passkey"].clone()), (json!(false), json!(false)));
        let mut laptop = authenticator();
        let registered = register(&s, "ms", &anna, &mut laptop, PUBLIC_URL).await;
        assert_eq!(registered["name"], "Laptop");
        assert_eq!(registered["recovery_codes"].as_array().map(Vec::len), Some(10));
        let me = s.get_as(&anna, "/a/ms/api/v1/me").await;
        assert_eq!((me["second_factor"].clone(), me["passkey"].clone()), (json!(true), json!(true)));
        assert_eq!(me["totp"], false);

        // A second passkey (no new codes), named by default; the first is excluded.
        s.clock.advance(chrono::Duration::minutes(1));
        let (challenge, options) = start_registration(&s, "ms", &anna).await;
        assert_eq!(options["publicKey"]["excludeCredentials"].as_array().map(Vec::len), Some(1));
        assert_eq!(options["publicKey"]["user"]["id"], user_handle.as_str(), "one user handle per member");
        let mut phone = authenticator();
        let credential = create(&mut phone, &options, PUBLIC_URL);
        let body = json!({"challenge_id": challenge, "credential": credential});
        let r = post_as(&s, &anna, "/a/ms/api/v1/me/passkeys/register/finish", body).await;
        assert_eq!(r.status(), 201);
        let second: Value = r.json().await.unwrap();
        assert_eq!(second["name"], "Passkey");
        assert!(second.get("recovery_codes").is_none(), "codes only with the first second factor: {second}");
        let passkeys = list(&s, "ms", &anna).await;
        assert_eq!(passkeys.len(), 2);
        assert_eq!(passkeys[0]["name"], "Laptop");
        assert!(passkeys[0].get("last_used_at").is_none(), "absent, not null, until used");

        // The host-name association's passkeys are bound to its host.
        let mut key = authenticator();
        register(&s, "forum", &anna_forum, &mut key, &format!("https://{FORUM}")).await;

        // Another origin than the configured one is refused.
        let (challenge, options) = start_registration(&s, "ms", &anna).await;
        let credential = create(&mut authenticator(), &options, "http://localhost:9999");
        let r = finish_registration(&s, "ms", &anna, &challenge, credential).await;
        assert_eq!(api_error(r).await, (422, "invalid_passkey".into()));

        // Names: at most 60 characters, checked before the challenge is used.
        let (challenge, options) = start_registration(&s, "ms", &anna).await;
        let credential = create(&mut authenticator(), &options, PUBLIC_URL);
        let body = json!({"challenge_id": challenge, "name": "x".repeat(61), "credential": credential});
        let r = post_as(&s, &anna, "/a/ms/api/v1/me/passkeys/register/finish", body).await;
        assert_eq!(api_error(r).await, (422, "invalid_fields".into()));
        let r = finish_registration(&s, "ms", &anna, &challenge, credential).await;
        assert_eq!(r.status(), 201, "the challenge survived the bad name");

        s.stop().await;
    }
}

#[tokio::test]
async fn challenges_are_single_use_expire_and_belong_to_their_member() {
    for db in BOTH {
        let s = TestServer::start_with(db, config(PUBLIC_URL)).await;
        let ms = s.ms_association("ms").await;
        s.member(&ms, "anna@example.org", "Anna", PASSWORD).await;
        s.member(&ms, "ben@example.org", "Ben", PASSWORD).await;
        let anna = s.login("ms", "anna@example.org", PASSWORD).await;
        let ben = s.login("ms", "ben@example.org", PASSWORD).await;

        // Another member cannot use Anna's challenge, and does not use it up.
        let (challenge, options) = start_registration(&s, "ms", &anna).await;
        let mut key = authenticator();
        let credential = create(&mut key, &options, PUBLIC_URL);
        let r = finish_registration(&s, "ms", &ben, &challenge, credential.clone()).await;
        assert_eq!(api_error(r).await, (404, "unknown_challenge".into()));
        let r = finish_registration(&s, "ms", &anna, &challenge, credential.clone()).await;
        assert_eq!(r.status(), 201);
        // Single use.
        let r = finish_registration(&s, "ms", &anna, &challenge, credential).await;
        assert_eq!(api_error(r).await, (404, "unknown_challenge".into()));

        // A failed verification uses the challenge up too.
        let (challenge, _) = start_registration(&s, "ms", &anna).await;
        let garbage = json!({"id": "x", "rawId": "eA", "type": "public-key", "response": {}});
        let r = finish_registration(&s, "ms", &anna, &challenge, garbage).await;
        assert_eq!(api_error(r).await, (422, "invalid_passkey".into()));
        let (_, options) = start_registration(&s, "ms", &anna).await;
        let fine = create(&mut authenticator(), &options, PUBLIC_URL);
        let r = finish_registration(&s, "ms", &anna, &challenge, fine).await;
        assert_eq!(api_error(r).await, (404, "unknown_challenge".into()));

        // Five minutes.
        let (challenge, options) = start_registration(&s, "ms", &anna).await;
        let credential = create(&mut authenticator(), &options, PUBLIC_URL);
        s.clock.advance(chrono::Duration::minutes(5) + chrono::Duration::seconds(1));
        let r = finish_registration(&s, "ms", &anna, &challenge, credential).await;
        assert_eq!(api_error(r).await, (404, "unknown_challenge".into()));
        let (challenge, options) = start_registration(&s, "ms", &anna).await;
        let credential = create(&mut authenticator(), &options, PUBLIC_URL);
        s.clock.advance(chrono::Duration::minutes(4));
        let r = finish_registration(&s, "ms", &anna, &challenge, credential).await;
        assert_eq!(r.status(), 201, "within five minutes");

        // Unknown ids, and a sign-in challenge does not register.
        let r = finish_registration(&s, "ms", &anna, "no-such-challenge", json!({})).await;
        assert_eq!(api_error(r).await, (404, "unknown_challenge".into()));
        let cookie = page_sign_in(&s, "ms", "anna@example.org").await;
        let r = post_cookie(&s, "ms", &cookie, "/auth/passkey/start", json!({})).await;
        assert_eq!(r.status(), 200);
        let sign_in: Value = r.json().await.unwrap();
        let challenge = sign_in["challenge_id"].as_str().unwrap();
        let r = finish_registration(&s, "ms", &anna, challenge, json!({})).await;
        assert_eq!(api_error(r).await, (404, "unknown_challenge".into()));
        s.stop().await;
    }
}

#[tokio::test]
async fn a_passkey_completes_a_page_sign_in() {
    for db in BOTH {
        let s = TestServer::start_with(db, config(PUBLIC_URL)).await;
        let ms = s.ms_association("ms").await;
        s.member(&ms, "anna@example.org", "Anna", PASSWORD).await;
        s.member(&ms, "ben@example.org", "Ben", PASSWORD).await;
        let anna = s.login("ms", "anna@example.org", PASSWORD).await;
        let mut key = authenticator();
        let registered = register(&s, "ms", &anna, &mut key, PUBLIC_URL).await;
        let codes: Vec<String> =
            registered["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()).collect();

        // The password alone leaves the page session waiting for the second factor.
        let cookie = page_sign_in(&s, "ms", "anna@example.org").await;
        let me = |cookie: String| {
            s.client.get(s.url("/a/ms/api/v1/me")).header("cookie", format!("__Host-kindred-ms={cookie}")).send()
        };
        assert_eq!(me(cookie.clone()).await.unwrap().status(), 401, "not yet signed in");
        // The second-factor page offers the passkey (to the script) besides the code form.
        let html = s
            .client
            .get(s.url("/a/ms/sign-in/second-factor"))
            .header("cookie", format!("__Host-kindred-ms={cookie}"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("data-passkey-sign-in hidden"), "{html}");
        assert!(html.contains("<script src=\"/static/passkeys."));
        assert!(html.contains("name=\"code\""), "the code form stays");
        // A pending session cannot register a passkey of its own.
        let r = post_cookie(&s, "ms", &cookie, "/me/passkeys/register/start", json!({})).await;
        assert_eq!(api_error(r).await, (401, "unauthorized".into()));

        // CSRF header required; bearer tokens do not work here.
        let r = s
            .client
            .post(s.url("/a/ms/api/v1/auth/passkey/start"))
            .header("cookie", format!("__Host-kindred-ms={cookie}"))
            .send()
            .await
            .unwrap();
        assert_eq!(api_error(r).await, (403, "csrf_failed".into()));
        let r = post_as(&s, &anna, "/a/ms/api/v1/auth/passkey/start", json!({})).await;
        assert_eq!(api_error(r).await, (401, "unauthorized".into()));

        let r = post_cookie(&s, "ms", &cookie, "/auth/passkey/start", json!({})).await;
        assert_eq!(r.status(), 200);
        let start: Value = r.json().await.unwrap();
        assert_eq!(start["options"]["publicKey"]["rpId"], "localhost");
        assert_eq!(start["options"]["publicKey"]["allowCredentials"].as_array().map(Vec::len), Some(1));
        let challenge = start["challenge_id"].as_str().unwrap().to_owned();
        let assertion = get(&mut key, &start["options"], PUBLIC_URL);

        // Ben's pending session cannot use Anna's challenge.
        let ben_cookie = page_sign_in(&s, "ms", "ben@example.org").await;
        let body = json!({"challenge_id": challenge, "credential": assertion});
        let r = post_cookie(&s, "ms", &ben_cookie, "/auth/passkey/finish", body.clone()).await;
        assert_eq!(api_error(r).await, (404, "unknown_challenge".into()));

        let r = post_cookie(&s, "ms", &cookie, "/auth/passkey/finish", body.clone()).await;
        assert_eq!(r.status(), 204);
        assert_eq!(me(cookie.clone()).await.unwrap().status(), 200, "signed in");
        let r = post_cookie(&s, "ms", &cookie, "/auth/passkey/finish", body).await;
        assert_eq!(api_error(r).await, (404, "unknown_challenge".into()), "single use");
        let passkeys = list(&s, "ms", &anna).await;
        assert!(passkeys[0]["last_used_at"].is_string(), "{passkeys:?}");

        // A forged signature does not pass.
        let cookie = page_sign_in(&s, "ms", "anna@example.org").await;
        let r = post_cookie(&s, "ms", &cookie, "/auth/passkey/start", json!({})).await;
        let start: Value = r.json().await.unwrap();
        let mut forged = get(&mut key, &start["options"], PUBLIC_URL);
        forged["response"]["signature"] = json!("AAAA");
        let body = json!({"challenge_id": start["challenge_id"], "credential": forged});
        let r = post_cookie(&s, "ms", &cookie, "/auth/passkey/finish", body).await;
        assert_eq!(api_error(r).await, (422, "invalid_passkey".into()));
        assert_eq!(me(cookie).await.unwrap().status(), 401, "still waiting");

        // The API takes a recovery code instead (passkeys are for the pages).
        let login = json!({"email": "anna@example.org", "password": PASSWORD});
        let r = s.post_json("/a/ms/api/v1/auth/login", login).await;
        assert_eq!(api_error(r).await, (401, "second_factor_required".into()));
        let login = json!({"email": "anna@example.org", "password": PASSWORD, "totp_code": codes[0]});
        assert_eq!(s.post_json("/a/ms/api/v1/auth/login", login).await.status(), 200);
        s.stop().await;
    }
}

#[tokio::test]
async fn removal_is_per_member_and_the_last_factor_takes_the_codes() {
    for db in BOTH {
        let s = TestServer::start_with(db, config(PUBLIC_URL)).await;
        let ms = s.ms_association("ms").await;
        s.member(&ms, "anna@example.org", "Anna", PASSWORD).await;
        s.member(&ms, "ben@example.org", "Ben", PASSWORD).await;
        let anna = s.login("ms", "anna@example.org", PASSWORD).await;
        let ben = s.login("ms", "ben@example.org", PASSWORD).await;
        register(&s, "ms", &anna, &mut authenticator(), PUBLIC_URL).await;
        register(&s, "ms", &ben, &mut authenticator(), PUBLIC_URL).await;
        let id = list(&s, "ms", &anna).await[0]["id"].as_str().unwrap().to_owned();

        let delete = |token: String, id: String| {
            let url = s.url(&format!("/a/ms/api/v1/me/passkeys/{id}"));
            s.client.delete(url).bearer_auth(token).json(&json!({"password": PASSWORD})).send()
        };
        let r = delete(ben.clone(), id.clone()).await.unwrap();
        assert_eq!(api_error(r).await, (404, "not_found".into()), "not Ben's");
        assert_eq!(list(&s, "ms", &anna).await.len(), 1);
        assert_eq!(list(&s, "ms", &ben).await.len(), 1, "Ben sees only his own");
        let r = delete(anna.clone(), id.clone()).await.unwrap();
        assert_eq!(r.status(), 204);
        let r = delete(anna.clone(), id).await.unwrap();
        assert_eq!(api_error(r).await, (404, "not_found".into()));
        assert!(list(&s, "ms", &anna).await.is_empty());
        let me = s.get_as(&anna, "/a/ms/api/v1/me").await;
        assert_eq!(me["second_factor"], false);
        let member = kindred_domain::MemberId::from_trusted(me["member_id"].as_str().unwrap().to_owned());
        assert_eq!(s.kindred.unused_recovery_codes(&ms, &member).await.unwrap(), 0, "codes went with the last factor");
        // Signing in needs the password only again.
        s.login("ms", "anna@example.org", PASSWORD).await;
        s.stop().await;
    }
}

/// The mails to `to` that announce a change of how they sign in (in
/// German, the MS association's language).
async fn sign_in_notices(s: &TestServer, to: &str, count: usize) -> Vec<String> {
    for _ in 0..100 {
        let found: Vec<String> =
            s.mails_to(to, 0).await.into_iter().filter(|m| m.contains("die Anmeldung an Ihrem Konto")).collect();
        if found.len() >= count {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("expected {count} sign-in notice(s) to {to}");
}

#[tokio::test]
async fn adding_or_removing_a_passkey_needs_the_password_and_is_announced() {
    for db in BOTH {
        let s = TestServer::start_with(db, config(PUBLIC_URL)).await;
        let ms = s.ms_association("ms").await;
        s.member(&ms, "anna@example.org", "Anna", PASSWORD).await;
        let anna = s.login("ms", "anna@example.org", PASSWORD).await;
        // A session alone opens no ceremony: no body, an empty or a wrong proof.
        let start = "/a/ms/api/v1/me/passkeys/register/start";
        let r = s.client.post(s.url(start)).bearer_auth(&anna).send().await.unwrap();
        assert_eq!(api_error(r).await, (403, "reauthentication_required".into()), "{db:?}");
        let r = post_as(&s, &anna, start, json!({})).await;
        assert_eq!(api_error(r).await, (403, "reauthentication_required".into()));
        let r = post_as(&s, &anna, start, json!({"password": "wrong password!"})).await;
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], "invalid_fields");
        assert!(body["error"]["fields"]["password"].is_string(), "{body}");
        let r = post_as(&s, &anna, start, json!({"current_code": "ABCD-EFGH-JKMN"})).await;
        assert_eq!(api_error(r).await.0, 422, "no second factor yet: no code proves anything");
        assert!(list(&s, "ms", &anna).await.is_empty());

        let mut key = authenticator();
        let added = register(&s, "ms", &anna, &mut key, PUBLIC_URL).await;
        let notices = sign_in_notices(&s, "anna@example.org", 1).await;
        assert!(notices[0].contains("ein Passkey wurde hinzugefügt"), "{}", notices[0]);
        let codes: Vec<String> =
            added["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()).collect();
        let id = added["id"].as_str().unwrap().to_owned();

        // Removing: the API's DELETE takes the proof as its body.
        let url = s.url(&format!("/a/ms/api/v1/me/passkeys/{id}"));
        let r = s.client.delete(&url).bearer_auth(&anna).send().await.unwrap();
        assert_eq!(api_error(r).await, (403, "reauthentication_required".into()));
        let r = s.client.delete(&url).bearer_auth(&anna).json(&json!({"password": "wrong password!"})).send().await;
        assert_eq!(api_error(r.unwrap()).await.0, 422);
        // The page's form likewise.
        let cookie = page_sign_in(&s, "ms", "anna@example.org").await;
        let r = s
            .client
            .post(s.url("/a/ms/sign-in/second-factor"))
            .header("cookie", format!("__Host-kindred-ms={cookie}"))
            .form(&[("csrf", csrf_token(&cookie).as_str()), ("code", codes[1].as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "signed in on the page");
        let r = s
            .client
            .post(s.url(&format!("/a/ms/account/passkeys/{id}/remove?lang=en")))
            .header("cookie", format!("__Host-kindred-ms={cookie}"))
            .form(&[("csrf", csrf_token(&cookie).as_str()), ("password", ""), ("confirm", "1")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains("Please enter your password to confirm this change."), "{html}");
        // The confirmation page again, with the message at its password field.
        assert!(html.contains("id=\"password\"") && html.contains("name=\"confirm\" value=\"1\""), "{html}");
        assert_eq!(list(&s, "ms", &anna).await.len(), 1, "nothing was removed");
        assert_eq!(sign_in_notices(&s, "anna@example.org", 1).await.len(), 1, "no change, no notice");

        // A recovery code is proof too (and is used up).
        let r = s.client.delete(&url).bearer_auth(&anna).json(&json!({"current_code": codes[0]})).send().await;
        assert_eq!(r.unwrap().status(), 204);
        assert!(list(&s, "ms", &anna).await.is_empty());
        let notices = sign_in_notices(&s, "anna@example.org", 2).await;
        assert!(notices[1].contains("ein Passkey wurde entfernt"), "{}", notices[1]);
        s.stop().await;
    }
}

#[tokio::test]
async fn a_passkey_satisfies_the_associations_second_factor_rule() {
    for db in BOTH {
        let s = TestServer::start_with(db, config(PUBLIC_URL)).await;
        let strict = s.association("strict", "Strict", "[admission]\nsecond_factor = \"everyone\"\n").await;
        s.member(&strict, "anna@example.org", "Anna", PASSWORD).await;
        let anna = s.login("strict", "anna@example.org", PASSWORD).await;
        let caller = s.kindred.authenticate(&strict, &anna).await.unwrap().unwrap();
        assert_eq!(s.kindred.community_access(&strict, &caller), Err(Denied::SecondFactorRequired));
        register(&s, "strict", &anna, &mut authenticator(), PUBLIC_URL).await;
        let caller = s.kindred.authenticate(&strict, &anna).await.unwrap().unwrap();
        assert!(caller.member.has_passkey && !caller.member.has_totp);
        assert_eq!(s.kindred.community_access(&strict, &caller), Ok(()));
        s.stop().await;
    }
}

#[tokio::test]
async fn passkeys_are_unavailable_where_the_relying_party_would_be_an_ip_address() {
    for db in BOTH {
        // The test server's public URL is http://127.0.0.1:…
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let forum = s.association("forum", "Forum", &format!("hosts = [\"{FORUM}\"]\n")).await;
        s.member(&ms, "anna@example.org", "Anna", PASSWORD).await;
        s.member(&forum, "anna@example.org", "Anna", PASSWORD).await;
        let anna = s.login("ms", "anna@example.org", PASSWORD).await;
        let r = post_as(&s, &anna, "/a/ms/api/v1/me/passkeys/register/start", json!({})).await;
        assert_eq!(api_error(r).await, (409, "passkeys_unavailable".into()));
        assert!(list(&s, "ms", &anna).await.is_empty(), "the list still answers");
        // An association with a host name has its own relying party.
        let anna_forum = s.login("forum", "anna@example.org", PASSWORD).await;
        let (_, options) = start_registration(&s, "forum", &anna_forum).await;
        assert_eq!(options["publicKey"]["rp"]["id"], FORUM);
        s.stop().await;

        let s = TestServer::start_with(db, config("http://[::1]:8080")).await;
        let ms = s.ms_association("ms").await;
        s.member(&ms, "anna@example.org", "Anna", PASSWORD).await;
        let anna = s.login("ms", "anna@example.org", PASSWORD).await;
        let r = post_as(&s, &anna, "/a/ms/api/v1/me/passkeys/register/start", json!({})).await;
        assert_eq!(api_error(r).await, (409, "passkeys_unavailable".into()));
        s.stop().await;
    }
}

#[tokio::test]
async fn the_passkeys_page_lists_and_removes_without_javascript() {
    for db in BOTH {
        let s = TestServer::start_with(db, config(PUBLIC_URL)).await;
        let ms = s.ms_association("ms").await;
        s.member(&ms, "anna@example.org", "Anna", PASSWORD).await;
        s.member(&ms, "ben@example.org", "Ben", PASSWORD).await;
        let anna = s.login("ms", "anna@example.org", PASSWORD).await;
        let ben = s.login("ms", "ben@example.org", PASSWORD).await;
        let page = |cookie: Option<String>| {
            let mut request = s.client.get(s.url("/a/ms/account/passkeys?lang=en"));
            if let Some(cookie) = cookie {
                request = request.header("cookie", format!("__Host-kindred-ms={cookie}"));
            }
            request.send()
        };
        let r = page(None).await.unwrap();
        assert_eq!(r.status(), 303, "signed out: to the sign-in page");

        // Ben's page: no passkeys, the script's box (hidden until the script shows it) and the note without it.
        let ben_cookie = page_sign_in(&s, "ms", "ben@example.org").await;
        let html = page(Some(ben_cookie.clone())).await.unwrap().text().await.unwrap();
        assert_eq!(html.matches("<h1").count(), 1);
        assert!(html.contains("You have not added a passkey yet."));
        assert!(html.contains("data-passkey-register hidden"));
        // The script's CSRF value: masked afresh (BREACH), unmasking to Ben's token.
        let script_csrf = html.split("data-csrf=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap();
        assert_eq!(script_csrf.len(), 80);
        assert!(kindred_service::sessions::csrf_matches(&ben_cookie, script_csrf));
        // (minijinja escapes "/" in attributes; the browser reads them back.)
        let unescaped = html.replace("&#x2f;", "/");
        assert!(unescaped.contains("data-origin=\"http://localhost:18080\""));
        assert!(unescaped.contains("data-api=\"/a/ms/api/v1\""));
        assert!(html.contains("Adding a passkey needs JavaScript"));
        assert!(html.contains("<script src=\"/static/passkeys."));
        assert!(!html.contains("<script>"), "no inline script");
        let js = s.get("/static/passkeys.js").await;
        assert_eq!(js.status(), 200);
        assert!(js.headers()["content-type"].to_str().unwrap().starts_with("text/javascript"));

        // Anna's passkey is listed, with a remove form.
        let registered = register(&s, "ms", &anna, &mut authenticator(), PUBLIC_URL).await;
        let id = registered["id"].as_str().unwrap().to_owned();
        let anna_cookie = page_sign_in(&s, "ms", "anna@example.org").await;
        let r = post_cookie(&s, "ms", &anna_cookie, "/auth/passkey/start", json!({})).await;
        assert_eq!(r.status(), 200, "pending");
        // A pending session has no passkeys page yet.
        let r = page(Some(anna_cookie.clone())).await.unwrap();
        assert_eq!(r.status(), 303);
        assert!(r.headers()["location"].to_str().unwrap().contains("/sign-in/second-factor"));
        // Complete it with a recovery code through the page form.
        let code = registered["recovery_codes"][0].as_str().unwrap();
        let r = s
            .client
            .post(s.url("/a/ms/sign-in/second-factor"))
            .header("cookie", format!("__Host-kindred-ms={anna_cookie}"))
            .form(&[("csrf", csrf_token(&anna_cookie).as_str()), ("code", code)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "a recovery code completes a passkey-only account's sign-in");
        let html = page(Some(anna_cookie.clone())).await.unwrap().text().await.unwrap();
        assert!(html.contains("<th scope=\"row\">Laptop</th>"), "{html}");
        assert!(html.replace("&#x2f;", "/").contains(&format!("/a/ms/account/passkeys/{id}/remove")));

        let remove = |cookie: String, csrf: String, id: String| {
            s.client
                .post(s.url(&format!("/a/ms/account/passkeys/{id}/remove")))
                .header("cookie", format!("__Host-kindred-ms={cookie}"))
                .form(&[("csrf", csrf.as_str()), ("password", PASSWORD)])
                .send()
        };
        let r = remove(anna_cookie.clone(), "wrong".into(), id.clone()).await.unwrap();
        assert_eq!(r.status(), 403, "CSRF token checked");
        let r = remove(ben_cookie.clone(), csrf_token(&ben_cookie), id.clone()).await.unwrap();
        assert_eq!(r.status(), 404, "not Ben's");
        let r = remove(anna_cookie.clone(), csrf_token(&anna_cookie), id.clone()).await.unwrap();
        assert_eq!(r.status(), 303);
        assert!(r.headers()["location"].to_str().unwrap().contains("done=passkey-removed"));
        let html = page(Some(anna_cookie.clone())).await.unwrap().text().await.unwrap();
        assert!(html.contains("The passkey was removed.") || html.contains("You have not added a passkey yet."));
        assert!(list(&s, "ms", &anna).await.is_empty());
        drop(ben);
        s.stop().await;

        // Where passkeys cannot work, the page says so and loads no script.
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.member(&ms, "anna@example.org", "Anna", PASSWORD).await;
        let cookie = page_sign_in(&s, "ms", "anna@example.org").await;
        let html = s
            .client
            .get(s.url("/a/ms/account/passkeys?lang=en"))
            .header("cookie", format!("__Host-kindred-ms={cookie}"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("Passkeys are not available on this server yet."));
        assert!(!html.contains("passkeys.js"));
        s.stop().await;
    }
}
