//! Signing in safely: throttling, password reset and change, sessions and
//! their revocation, suspension, roles, the second factor, and the
//! append-only audit log.

use crate::admission::{post_as, unverified, PASSWORD};
use crate::harness::{api_error, token_in, TestServer, BOTH, STAFF_PASSWORD};
use kindred_service::totp::TotpSecret;
use kindred_service::Clock;
use serde_json::{json, Value};
use sqlx::Connection;

/// Sets up an authenticator app for the token's account, remembering the
/// secret in the test server; returns the recovery codes.
/// Sets up an authenticator app for the token's member, whose password is
/// `password` (setting up a second factor needs it again).
pub async fn enrol_totp(s: &TestServer, slug: &str, token: &str, password: &str) -> Vec<String> {
    let me = s.get_as(token, &format!("/a/{slug}/api/v1/me")).await;
    let email = me["email"].as_str().expect("email").to_owned();
    let r = post_as(s, token, &format!("/a/{slug}/api/v1/me/two-factor/totp"), json!({})).await;
    assert_eq!(r.status(), 200);
    let setup: Value = r.json().await.expect("json");
    assert!(setup["uri"].as_str().expect("uri").starts_with("otpauth://totp/"));
    let secret = setup["secret"].as_str().expect("secret").replace(' ', "");
    let bytes = data_encoding::BASE32_NOPAD.decode(secret.as_bytes()).expect("base32 secret");
    s.secrets.lock().expect("lock").insert(email.clone(), bytes);
    let code = current_code(s, &email);
    let body = json!({"code": code, "password": password});
    let r = post_as(s, token, &format!("/a/{slug}/api/v1/me/two-factor/totp/confirm"), body).await;
    assert_eq!(r.status(), 200, "confirm TOTP");
    let body: Value = r.json().await.expect("json");
    body["recovery_codes"].as_array().expect("codes").iter().map(|c| c.as_str().expect("code").to_owned()).collect()
}

/// The TOTP code of a test account at the server's time.
pub fn current_code(s: &TestServer, email: &str) -> String {
    let secrets = s.secrets.lock().expect("lock");
    let bytes = secrets.get(email).expect("an enrolled account");
    TotpSecret::from_bytes(bytes).expect("20 bytes").code_at(s.clock.now().timestamp())
}

#[tokio::test]
async fn failed_sign_ins_are_throttled_per_account() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.member(&ms, "anna@example.org", "Anna", PASSWORD).await;
        let attempt = |email: &'static str, password: &'static str| {
            s.post_json("/a/ms/api/v1/auth/login", json!({"email": email, "password": password}))
        };
        for _ in 0..10 {
            assert_eq!(attempt("anna@example.org", "wrong password!").await.status(), 401);
            assert_eq!(attempt("ghost@example.org", "wrong password!").await.status(), 401);
        }
        let known = attempt("anna@example.org", PASSWORD).await;
        let unknown = attempt("ghost@example.org", "wrong password!").await;
        assert_eq!((known.status().as_u16(), unknown.status().as_u16()), (429, 429), "alike for unknown addresses");
        let wait: i64 = known.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!(wait > 0 && wait <= 15 * 60, "{wait}");
        let (a, b) = (known.text().await.unwrap(), unknown.text().await.unwrap());
        assert_eq!(a, b);
        // Another account from the same address still gets in.
        s.member(&ms, "ben@example.org", "Ben", PASSWORD).await;
        assert_eq!(attempt("ben@example.org", PASSWORD).await.status(), 200);
        s.clock.advance(chrono::Duration::minutes(16));
        assert_eq!(attempt("anna@example.org", PASSWORD).await.status(), 200);
        s.stop().await;
    }
}

#[tokio::test]
async fn password_reset_is_single_use_short_lived_and_ends_sessions() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.member(&ms, "anna@example.org", "Anna", PASSWORD).await;
        let old_session = s.login("ms", "anna@example.org", PASSWORD).await;

        let known = s.post_json("/a/ms/api/v1/auth/password-reset", json!({"email": "anna@example.org"})).await;
        let unknown = s.post_json("/a/ms/api/v1/auth/password-reset", json!({"email": "nobody@example.org"})).await;
        assert_eq!((known.status().as_u16(), unknown.status().as_u16()), (202, 202));
        assert_eq!(known.text().await.unwrap(), unknown.text().await.unwrap());
        let token = token_in(&s.mails_to("anna@example.org", 1).await[0]);

        let weak =
            s.post_json("/a/ms/api/v1/auth/password-reset/confirm", json!({"token": token, "password": "short"})).await;
        assert_eq!(api_error(weak).await.0, 422);
        let r = s
            .post_json(
                "/a/ms/api/v1/auth/password-reset/confirm",
                json!({"token": token, "password": "a brand new password"}),
            )
            .await;
        assert_eq!(r.status(), 200);
        let r = s.client.get(s.url("/a/ms/api/v1/me")).bearer_auth(&old_session).send().await.unwrap();
        assert_eq!(api_error(r).await.0, 401, "a reset ends every session");
        let again = s
            .post_json(
                "/a/ms/api/v1/auth/password-reset/confirm",
                json!({"token": token, "password": "another new password"}),
            )
            .await;
        assert_eq!(api_error(again).await, (422, "invalid_token".to_owned()));
        s.login("ms", "anna@example.org", "a brand new password").await;

        s.post_json("/a/ms/api/v1/auth/password-reset", json!({"email": "anna@example.org"})).await;
        let mails = s.mails_to("anna@example.org", 3).await;
        let late = token_in(mails.iter().rev().find(|m| m.contains("token=")).unwrap());
        s.clock.advance(chrono::Duration::minutes(61));
        let r = s
            .post_json(
                "/a/ms/api/v1/auth/password-reset/confirm",
                json!({"token": late, "password": "too late password"}),
            )
            .await;
        assert_eq!(api_error(r).await.0, 422, "reset links expire after an hour");
        s.stop().await;
    }
}

#[tokio::test]
async fn password_change_needs_the_current_one_and_ends_other_sessions() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.member(&ms, "anna@example.org", "Anna", PASSWORD).await;
        let here = s.login("ms", "anna@example.org", PASSWORD).await;
        let there = s.login("ms", "anna@example.org", PASSWORD).await;
        let path = "/a/ms/api/v1/me/password";
        let r =
            post_as(&s, &here, path, json!({"current_password": "not it at all", "new_password": "a new password!"}))
                .await;
        assert_eq!(r.status(), 422);
        let body: Value = r.json().await.unwrap();
        assert!(body["error"]["fields"]["current_password"].is_string(), "{body}");
        let r =
            post_as(&s, &here, path, json!({"current_password": PASSWORD, "new_password": "a new password!"})).await;
        assert_eq!(r.status(), 204);
        assert_eq!(s.get_as(&here, "/a/ms/api/v1/me").await["pseudonym"], "Anna", "this session stays");
        let r = s.client.get(s.url("/a/ms/api/v1/me")).bearer_auth(&there).send().await.unwrap();
        assert_eq!(api_error(r).await.0, 401, "the other session ends");
        s.login("ms", "anna@example.org", "a new password!").await;
        s.stop().await;
    }
}

#[tokio::test]
async fn sessions_are_listed_and_revoked_by_their_owner_only() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.member(&ms, "anna@example.org", "Anna", PASSWORD).await;
        s.member(&ms, "ben@example.org", "Ben", PASSWORD).await;
        let phone = s.login("ms", "anna@example.org", PASSWORD).await;
        let laptop = s.login("ms", "anna@example.org", PASSWORD).await;
        let ben = s.login("ms", "ben@example.org", PASSWORD).await;
        let list = s.get_as(&laptop, "/a/ms/api/v1/me/sessions").await;
        let sessions = list["sessions"].as_array().unwrap();
        assert_eq!(sessions.len(), 2);
        assert_eq!(sessions.iter().filter(|x| x["current"] == true).count(), 1);
        let other = sessions.iter().find(|x| x["current"] == false).unwrap()["id"].as_str().unwrap().to_owned();
        assert!(sessions.iter().all(|x| x["kind"] == "api" && x.get("token").is_none()));

        let path = format!("/a/ms/api/v1/me/sessions/{other}");
        let r = s.client.delete(s.url(&path)).bearer_auth(&ben).send().await.unwrap();
        assert_eq!(api_error(r).await.0, 404, "not Ben's session");
        let r = s.client.delete(s.url(&path)).bearer_auth(&laptop).send().await.unwrap();
        assert_eq!(r.status(), 204);
        let r = s.client.get(s.url("/a/ms/api/v1/me")).bearer_auth(&phone).send().await.unwrap();
        assert_eq!(api_error(r).await.0, 401, "the revoked session ends at once");
        let r = s.client.delete(s.url(&path)).bearer_auth(&laptop).send().await.unwrap();
        assert_eq!(api_error(r).await.0, 404);
        s.stop().await;
    }
}

#[tokio::test]
async fn a_suspended_member_is_signed_out_and_stays_out() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let small = s.association("small", "Small", "").await;
        s.user(&small, "admin@example.org", "Admin", "admin").await;
        let id = s.member(&small, "troll@example.org", "Troll", PASSWORD).await;
        let troll = s.login("small", "troll@example.org", PASSWORD).await;
        let admin = s.login_staff(&small, "admin@example.org").await;
        let r =
            post_as(&s, &admin, &format!("/a/small/api/v1/admin/members/{id}/suspend"), json!({"note": "spam"})).await;
        assert_eq!(r.status(), 200);
        let r = s.client.get(s.url("/a/small/api/v1/me")).bearer_auth(&troll).send().await.unwrap();
        assert_eq!(api_error(r).await.0, 401, "a suspended member's token stops working");
        let r = s
            .post_json("/a/small/api/v1/auth/login", json!({"email": "troll@example.org", "password": PASSWORD}))
            .await;
        assert_eq!(api_error(r).await, (403, "suspended".to_owned()));
        let r = post_as(&s, &admin, &format!("/a/small/api/v1/admin/members/{id}/reinstate"), json!({})).await;
        assert_eq!(r.status(), 200);
        s.login("small", "troll@example.org", PASSWORD).await;
        s.stop().await;
    }
}

#[tokio::test]
async fn admins_grant_and_withdraw_roles() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let small = s.association("small", "Small", "").await;
        s.user(&small, "admin@example.org", "Admin", "admin").await;
        let id = s.member(&small, "doc@example.org", "Dr Weber", PASSWORD).await;
        let admin = s.login_staff(&small, "admin@example.org").await;
        let doc = s.login("small", "doc@example.org", PASSWORD).await;
        let path = format!("/a/small/api/v1/admin/members/{id}/role");
        let r = s.client.put(s.url(&path)).bearer_auth(&doc).json(&json!({"role": "admin"})).send().await.unwrap();
        assert_eq!(api_error(r).await, (403, "forbidden".to_owned()), "members cannot raise themselves");
        let r = s
            .client
            .put(s.url(&path))
            .bearer_auth(&admin)
            .json(&json!({"role": "professional", "badge": "Neurologist"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let me = s.get_as(&doc, "/a/small/api/v1/me").await;
        assert_eq!((me["role"].as_str(), me["badge"].as_str()), (Some("professional"), Some("Neurologist")));
        let staff = s.get_as(&admin, "/a/small/api/v1/admin/staff").await;
        assert!(staff["staff"].as_array().unwrap().iter().any(|m| m["pseudonym"] == "Dr Weber"));
        let r = s.client.put(s.url(&path)).bearer_auth(&admin).json(&json!({"role": "king"})).send().await.unwrap();
        assert_eq!(api_error(r).await.0, 422);
        let r = s.client.put(s.url(&path)).bearer_auth(&admin).json(&json!({"role": "member"})).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let me = s.get_as(&doc, "/a/small/api/v1/me").await;
        assert_eq!(me["role"], "member");
        assert!(me.get("badge").is_none(), "no badge, and no null");
        let log = s.get_as(&admin, "/a/small/api/v1/admin/audit-log").await;
        let changes =
            log["entries"].as_array().unwrap().iter().filter(|e| e["action"] == "member.role_changed").count();
        assert_eq!(changes, 2);
        s.stop().await;
    }
}

#[tokio::test]
async fn totp_and_recovery_codes() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let small = s.association("small", "Small", "").await;
        s.member(&small, "anna@example.org", "Anna", PASSWORD).await;
        let token = s.login("small", "anna@example.org", PASSWORD).await;
        let r = post_as(&s, &token, "/a/small/api/v1/me/two-factor/totp/confirm", json!({"code": "123456"})).await;
        assert_eq!(api_error(r).await.0, 409, "nothing to confirm yet");
        let recovery = enrol_totp(&s, "small", &token, PASSWORD).await;
        assert_eq!(recovery.len(), 10);

        let login = |body: Value| s.post_json("/a/small/api/v1/auth/login", body);
        let r = login(json!({"email": "anna@example.org", "password": PASSWORD})).await;
        assert_eq!(api_error(r).await, (401, "second_factor_required".to_owned()));
        let r = login(json!({"email": "anna@example.org", "password": PASSWORD, "totp_code": "000000"})).await;
        assert_eq!(api_error(r).await, (401, "invalid_second_factor".to_owned()));
        s.clock.advance(chrono::Duration::seconds(30));
        let code = current_code(&s, "anna@example.org");
        let r = login(json!({"email": "anna@example.org", "password": PASSWORD, "totp_code": code})).await;
        assert_eq!(r.status(), 200);
        let r = login(json!({"email": "anna@example.org", "password": PASSWORD, "totp_code": code})).await;
        assert_eq!(api_error(r).await.0, 401, "a code works once");
        let r = login(json!({"email": "anna@example.org", "password": PASSWORD, "totp_code": recovery[0]})).await;
        assert_eq!(r.status(), 200, "a recovery code instead");
        let r = login(json!({"email": "anna@example.org", "password": PASSWORD, "totp_code": recovery[0]})).await;
        assert_eq!(api_error(r).await.0, 401, "each recovery code once");
        // The wrong password with the right code is still the wrong password.
        s.clock.advance(chrono::Duration::seconds(30));
        let code = current_code(&s, "anna@example.org");
        let r = login(json!({"email": "anna@example.org", "password": "wrong password!", "totp_code": code})).await;
        assert_eq!(api_error(r).await, (401, "invalid_credentials".to_owned()));

        let r =
            post_as(&s, &token, "/a/small/api/v1/me/two-factor/totp/remove", json!({"password": "wrong password!"}))
                .await;
        assert_eq!(api_error(r).await.0, 422);
        let r = post_as(&s, &token, "/a/small/api/v1/me/two-factor/totp/remove", json!({"password": PASSWORD})).await;
        assert_eq!(r.status(), 204);
        s.login("small", "anna@example.org", PASSWORD).await;
        s.stop().await;
    }
}

#[tokio::test]
async fn the_audit_log_is_append_only_in_the_database() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let small = s.association("small", "Small", "").await;
        s.user(&small, "admin@example.org", "Admin", "admin").await;
        let admin = s.login_staff(&small, "admin@example.org").await;
        let log = s.get_as(&admin, "/a/small/api/v1/admin/audit-log").await;
        assert!(log["entries"].as_array().unwrap().iter().any(|e| e["action"] == "audit_log.viewed"));
        for limit in ["x", "0", "501", "1000000000000000000000"] {
            let r = s
                .client
                .get(s.url(&format!("/a/small/api/v1/admin/audit-log?limit={limit}")))
                .bearer_auth(&admin)
                .send()
                .await
                .expect("get");
            assert_eq!(api_error(r).await, (422, "invalid_fields".to_owned()), "{db:?}: limit={limit}");
        }
        let one = s.get_as(&admin, "/a/small/api/v1/admin/audit-log?limit=1").await;
        assert_eq!(one["entries"].as_array().map(Vec::len), Some(1), "{db:?}");
        // Under an association that does not exist, not even the API's description is there.
        let r = s.client.get(s.url("/a/nope/api/v1/openapi.json")).send().await.expect("get");
        assert_eq!(r.status(), 404, "{db:?}");
        let raw = |sql: &'static str| {
            let url = s.database_url.clone();
            async move {
                if url.starts_with("sqlite:") {
                    let mut conn = sqlx::SqliteConnection::connect(&url).await.expect("connect");
                    sqlx::query(sql).execute(&mut conn).await.map(|r| r.rows_affected())
                } else {
                    let mut conn = sqlx::PgConnection::connect(&url).await.expect("connect");
                    sqlx::query(sql).execute(&mut conn).await.map(|r| r.rows_affected())
                }
            }
        };
        let update = raw("UPDATE audit_log SET action = 'nothing'").await;
        let delete = raw("DELETE FROM audit_log").await;
        assert!(update.is_err() && delete.is_err(), "{db:?}: {update:?} {delete:?}");
        s.stop().await;
    }
}

#[tokio::test]
async fn an_unverified_member_sees_nothing_of_the_community() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.user(&ms, "admin@example.org", "Admin", "admin").await;
        let waiting = unverified(&s, "ms", "new@example.org", "Newcomer").await;
        for path in ["/a/ms/api/v1/admin/verifications", "/a/ms/api/v1/admin/audit-log"] {
            let r = s.client.get(s.url(path)).bearer_auth(&waiting).send().await.unwrap();
            assert_eq!(api_error(r).await, (403, "not_verified".to_owned()), "{path}");
        }
        let overview = s.get_as(&waiting, "/a/ms/api/v1/verification").await;
        assert_eq!(overview["status"], "unverified");
        assert_eq!(overview["procedures"], json!(["member_number", "letter", "invitation", "manual"]));
        let _ = STAFF_PASSWORD;
        s.stop().await;
    }
}
