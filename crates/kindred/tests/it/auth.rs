//! API sign-in: tokens, logout, /me, and sign-in that tells nothing.

use crate::harness::{api_error, TestServer, BOTH};
use serde_json::json;

#[tokio::test]
async fn login_me_logout() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let id = s.member(&ms, "anna@example.org", "Anna", "correct horse battery").await;

        let response = s
            .post_json(
                "/a/ms/api/v1/auth/login",
                json!({"email": "ANNA@example.org", "password": "correct horse battery"}),
            )
            .await;
        assert_eq!(response.status(), 200, "{db:?}");
        let login: serde_json::Value = response.json().await.expect("json");
        assert_eq!(login["member_id"], id.as_str());
        assert_eq!(login["status"], "active");
        let token = login["token"].as_str().expect("token").to_owned();

        let me: serde_json::Value = s
            .client
            .get(s.url("/a/ms/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("get")
            .json()
            .await
            .expect("json");
        assert_eq!(me["member_id"], id.as_str());
        assert_eq!(me["pseudonym"], "Anna");
        assert_eq!(me["email"], "anna@example.org");
        assert_eq!(me["role"], "member");
        assert_eq!(me["discoverable"], false);
        assert!(me["profile"].is_object() && me["visibility"].is_object());

        let out = s.client.post(s.url("/a/ms/api/v1/auth/logout")).bearer_auth(&token).send().await.expect("post");
        assert_eq!(out.status(), 204);
        let after = s.client.get(s.url("/a/ms/api/v1/me")).bearer_auth(&token).send().await.expect("get");
        assert_eq!(api_error(after).await, (401, "unauthorized".to_owned()), "token ends with logout");
        s.stop().await;
    }
}

#[tokio::test]
async fn unknown_email_and_wrong_password_answer_alike() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.member(&ms, "anna@example.org", "Anna", "correct horse battery").await;
        let wrong = s
            .post_json("/a/ms/api/v1/auth/login", json!({"email": "anna@example.org", "password": "wrong password!"}))
            .await;
        let unknown = s
            .post_json("/a/ms/api/v1/auth/login", json!({"email": "nobody@example.org", "password": "wrong password!"}))
            .await;
        let garbage = s.post_json("/a/ms/api/v1/auth/login", json!({"email": "not an address", "password": "x"})).await;
        let (a, b, c) = (wrong.status(), unknown.status(), garbage.status());
        let (ta, tb, tc) =
            (wrong.text().await.expect("a"), unknown.text().await.expect("b"), garbage.text().await.expect("c"));
        assert_eq!((a.as_u16(), b.as_u16(), c.as_u16()), (401, 401, 401));
        assert_eq!(ta, tb);
        assert_eq!(tb, tc);
        assert!(ta.contains("invalid_credentials"));
        s.stop().await;
    }
}

#[tokio::test]
async fn tokens_belong_to_one_association_and_expire() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.association("other", "Other", "").await;
        s.member(&ms, "anna@example.org", "Anna", "correct horse battery").await;
        let token = s.login("ms", "anna@example.org", "correct horse battery").await;

        let elsewhere = s.client.get(s.url("/a/other/api/v1/me")).bearer_auth(&token).send().await.expect("get");
        assert_eq!(api_error(elsewhere).await.0, 401, "another association's token is no token");
        // Nor can it log in there: accounts are per association.
        let there = s
            .post_json(
                "/a/other/api/v1/auth/login",
                json!({"email": "anna@example.org", "password": "correct horse battery"}),
            )
            .await;
        assert_eq!(there.status(), 401);

        for header in ["", "Bearer", "Bearer nonsense", "Basic abc"] {
            let r = s.client.get(s.url("/a/ms/api/v1/me")).header("authorization", header).send().await.expect("get");
            assert_eq!(api_error(r).await.0, 401, "{header:?}");
        }
        let r = s.client.get(s.url("/a/ms/api/v1/me")).send().await.expect("get");
        assert_eq!(api_error(r).await.0, 401);

        s.clock.advance(chrono::Duration::days(31));
        let expired = s.client.get(s.url("/a/ms/api/v1/me")).bearer_auth(&token).send().await.expect("get");
        assert_eq!(api_error(expired).await.0, 401, "tokens expire");
        s.stop().await;
    }
}

#[tokio::test]
async fn bodies_are_parsed_strictly() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        s.ms_association("ms").await;
        let url = s.url("/a/ms/api/v1/auth/login");
        let malformed = s
            .client
            .post(&url)
            .header("content-type", "application/json")
            .body("{\"email\": ")
            .send()
            .await
            .expect("post");
        assert_eq!(api_error(malformed).await, (400, "malformed_json".to_owned()));

        let no_type = s.client.post(&url).body("{}").send().await.expect("post");
        assert_eq!(api_error(no_type).await, (415, "unsupported_media_type".to_owned()));

        let missing = s.post_json("/a/ms/api/v1/auth/login", json!({"email": "a@example.org"})).await;
        assert_eq!(missing.status(), 422);
        let body: serde_json::Value = missing.json().await.expect("json");
        assert_eq!(body["error"]["code"], "invalid_fields");
        assert!(body["error"]["fields"].is_object(), "{body}");

        let extra = s
            .post_json("/a/ms/api/v1/auth/login", json!({"email": "a@example.org", "password": "x", "role": "admin"}))
            .await;
        assert_eq!(api_error(extra).await, (422, "invalid_fields".to_owned()), "unknown keys are refused");

        let wrong_type = s.post_json("/a/ms/api/v1/auth/login", json!({"email": 5, "password": []})).await;
        assert_eq!(api_error(wrong_type).await.0, 422);
        s.stop().await;
    }
}
