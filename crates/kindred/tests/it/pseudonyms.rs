//! Pseudonyms that look alike: refused when they mix scripts or hide
//! characters, and taken when their UTS #39 skeleton is another's.

use crate::admission::PASSWORD;
use crate::harness::{TestServer, BOTH, STAFF_PASSWORD};
use crate::members::raw_sql;
use kindred_service::accounts::{AddUser, AddUserError};
use serde_json::{json, Value};

async fn register_as(s: &TestServer, email: &str, pseudonym: &str) -> (u16, Value) {
    let r = s
        .post_json(
            "/a/ms/api/v1/auth/register",
            json!({"email": email, "password": PASSWORD, "pseudonym": pseudonym, "accept_terms": true}),
        )
        .await;
    (r.status().as_u16(), r.json().await.expect("json"))
}

#[tokio::test]
async fn look_alike_pseudonyms_are_refused_with_a_message_naming_the_field() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        s.ms_association("ms").await;
        for (pseudonym, says) in [
            // Cyrillic А (U+0410) before Latin letters: posing as staff.
            ("\u{410}dmin Team", "scripts"),
            // Latin with a Greek omicron inside.
            ("M\u{3BF}derator", "scripts"),
            // Full-width letters.
            ("\u{FF21}\u{FF44}\u{FF4D}\u{FF49}\u{FF4E}", "full-width"),
            // The Hangul filler shows as nothing at all.
            ("Admin\u{3164}", "invisible"),
        ] {
            let (status, body) = register_as(&s, "poser@example.org", pseudonym).await;
            assert_eq!(status, 422, "{db:?}: {pseudonym:?} {body}");
            assert_eq!(body["error"]["code"], "invalid_fields", "{db:?}: {body}");
            let message = body["error"]["fields"]["pseudonym"].as_str().unwrap_or_default();
            assert!(message.contains(says), "{db:?}: {pseudonym:?}: {message}");
        }
        // Zero-width joiners and direction marks are no letters at all.
        for pseudonym in ["Ad\u{200D}min", "\u{202E}Admin", "Admin\u{200B}"] {
            let (status, body) = register_as(&s, "poser@example.org", pseudonym).await;
            assert_eq!(status, 422, "{db:?}: {pseudonym:?} {body}");
            assert!(body["error"]["fields"]["pseudonym"].is_string(), "{db:?}: {body}");
        }
        // One script of its own is welcome.
        let (status, body) = register_as(&s, "anna@example.org", "Анна").await;
        assert_eq!(status, 201, "{db:?}: {body}");
        s.stop().await;
    }
}

#[tokio::test]
async fn a_pseudonym_that_looks_like_a_taken_one_is_taken() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.user(&ms, "bob@example.org", "Bob", "admin").await;
        s.user(&ms, "iris@example.org", "Iris", "member").await;
        for (n, look_alike) in ["B0b", "BOB", "bob", "lris", "IRIS"].into_iter().enumerate() {
            let email = format!("poser{n}@example.org");
            let input = AddUser { email: &email, pseudonym: look_alike, password: STAFF_PASSWORD, role: "member" };
            let added = s.kindred.add_user(&ms, input).await;
            assert!(matches!(added, Err(AddUserError::PseudonymTaken)), "{db:?}: {look_alike}: {added:?}");
        }
        // The rule lives in the database: a row written past the service collides too.
        let copied = raw_sql_result(
            &s,
            "INSERT INTO members (id, association_id, email, email_key, pseudonym, pseudonym_key, password_hash, \
             role, status, created_at, pseudonym_skeleton) SELECT 'X' || id, association_id, 'x' || email, \
             'x' || email_key, 'B0b', 'b0b', password_hash, role, status, created_at, pseudonym_skeleton \
             FROM members WHERE pseudonym = 'Bob'",
        )
        .await;
        assert!(copied.is_err(), "{db:?}: the skeleton is unique per association");
        s.stop().await;
    }
}

#[tokio::test]
async fn existing_look_alikes_are_found_at_start_and_the_younger_chooses_anew() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.user(&ms, "bob@example.org", "Bob", "admin").await;
        s.clock.advance(chrono::Duration::minutes(1));
        let younger = s.user(&ms, "b0b@example.org", "Bobby", "member").await;
        // As before migration 0014: no skeletons, and a look-alike that got in.
        raw_sql(&s, &format!("UPDATE members SET pseudonym = 'B0b', pseudonym_key = 'b0b' WHERE id = '{younger}'"))
            .await;
        assert_eq!(raw_sql(&s, "UPDATE members SET pseudonym_skeleton = NULL").await, 2, "{db:?}");
        assert_eq!(s.kindred.store.fill_pseudonym_skeletons().await.expect("fill"), 1, "{db:?}");
        assert_eq!(s.kindred.store.fill_pseudonym_skeletons().await.expect("fill"), 0, "{db:?}: nothing left");
        let pending = raw_sql(&s, "UPDATE members SET status = status WHERE pseudonym_pending").await;
        assert_eq!(pending, 1, "{db:?}");
        let older_kept = raw_sql(
            &s,
            "UPDATE members SET status = status WHERE pseudonym = 'Bob' AND pseudonym_skeleton IS NOT NULL \
             AND NOT pseudonym_pending",
        )
        .await;
        assert_eq!(older_kept, 1, "{db:?}");
        s.stop().await;
    }
}

/// Runs one SQL statement on the test database, outside Kindred; its error, if any.
async fn raw_sql_result(s: &TestServer, sql: &str) -> Result<u64, sqlx::Error> {
    use sqlx::Connection;
    if s.database_url.starts_with("sqlite:") {
        let mut conn = sqlx::SqliteConnection::connect(&s.database_url).await?;
        Ok(sqlx::query(sql).execute(&mut conn).await?.rows_affected())
    } else {
        let mut conn = sqlx::PgConnection::connect(&s.database_url).await?;
        Ok(sqlx::query(sql).execute(&mut conn).await?.rows_affected())
    }
}

/// Confirms the address of `email` from its latest mail; the answer.
async fn confirm(s: &TestServer, email: &str, mails: usize) -> Value {
    let mail = s.mails_to(email, mails).await.pop().expect("mail");
    let r = s.post_json("/a/ms/api/v1/auth/confirm-email", json!({"token": crate::harness::token_in(&mail)})).await;
    assert_eq!(r.status(), 200, "confirm {email}");
    r.json().await.expect("json")
}

async fn put_pseudonym(s: &TestServer, token: &str, pseudonym: &str) -> (u16, Value) {
    let r = s
        .client
        .put(s.url("/a/ms/api/v1/me/pseudonym"))
        .bearer_auth(token)
        .json(&json!({"pseudonym": pseudonym}))
        .send()
        .await
        .expect("put");
    (r.status().as_u16(), r.json().await.expect("json"))
}

#[tokio::test]
async fn registration_answers_alike_for_a_taken_pseudonym_and_only_the_registrant_learns_it() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.user(&ms, "bob@example.org", "Bob", "admin").await;
        // A look-alike of a taken pseudonym, and a free one: the same answer.
        let (status_taken, taken) = register_as(&s, "poser@example.org", "B0b").await;
        let (status_free, free) = register_as(&s, "zed@example.org", "Zed").await;
        assert_eq!((status_taken, status_free), (201, 201), "{db:?}: {taken} {free}");
        assert_eq!(taken["status"], free["status"], "{db:?}");
        let keys = |v: &Value| v.as_object().expect("object").keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&taken), keys(&free), "{db:?}");
        // Signed in but unconfirmed: nothing told yet.
        let poser = s.login("ms", "poser@example.org", PASSWORD).await;
        assert_eq!(s.get_as(&poser, "/a/ms/api/v1/me").await["pseudonym_needed"], false, "{db:?}");

        // The holder of the mailed link learns it, nobody before.
        assert_eq!(confirm(&s, "zed@example.org", 1).await["pseudonym_needed"], false, "{db:?}");
        let confirmed = confirm(&s, "poser@example.org", 1).await;
        assert_eq!(confirmed["pseudonym_needed"], true, "{db:?}: {confirmed}");
        assert_eq!(s.get_as(&poser, "/a/ms/api/v1/me").await["pseudonym_needed"], true, "{db:?}");

        // Until another is chosen, the community stays closed (even once verified).
        raw_sql(&s, "UPDATE members SET status = 'active' WHERE email = 'poser@example.org'").await;
        let r = s.client.get(s.url("/a/ms/api/v1/members")).bearer_auth(&poser).send().await.expect("get");
        assert_eq!(crate::harness::api_error(r).await, (403, "pseudonym_needed".to_owned()), "{db:?}");

        let (status, body) = put_pseudonym(&s, &poser, "BOB").await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("pseudonym_taken")), "{db:?}: {body}");
        assert!(body["error"]["fields"]["pseudonym"].is_string(), "{db:?}: {body}");
        let (status, body) = put_pseudonym(&s, &poser, "Zed").await;
        assert_eq!(status, 409, "{db:?}: claimed at Zed's confirmation: {body}");
        let (status, body) = put_pseudonym(&s, &poser, "Ad\u{430}m").await;
        assert_eq!((status, body["error"]["code"].as_str()), (422, Some("invalid_fields")), "{db:?}: {body}");
        let (status, me) = put_pseudonym(&s, &poser, "Robin").await;
        assert_eq!(status, 200, "{db:?}: {me}");
        assert_eq!((me["pseudonym"].as_str(), me["pseudonym_needed"].as_bool()), (Some("Robin"), Some(false)));
        let r = s.client.get(s.url("/a/ms/api/v1/members")).bearer_auth(&poser).send().await.expect("get");
        assert_eq!(r.status(), 200, "{db:?}");
        let (status, body) = put_pseudonym(&s, &poser, "Robin Hood").await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("pseudonym_settled")), "{db:?}: {body}");
        s.stop().await;
    }
}

#[tokio::test]
async fn of_two_registrations_with_one_pseudonym_the_first_confirmed_keeps_it() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        s.ms_association("ms").await;
        // Neither registration claims anything: an unconfirmed one squats nothing.
        register_as(&s, "first@example.org", "Twin").await;
        register_as(&s, "second@example.org", "twin").await;
        assert_eq!(confirm(&s, "second@example.org", 1).await["pseudonym_needed"], false, "{db:?}");
        assert_eq!(confirm(&s, "first@example.org", 1).await["pseudonym_needed"], true, "{db:?}");
        // The database holds one claim only.
        let claims =
            raw_sql(&s, "UPDATE members SET status = status WHERE lower(pseudonym) = 'twin' AND NOT pseudonym_pending")
                .await;
        assert_eq!(claims, 1, "{db:?}");
        s.stop().await;
    }
}

#[tokio::test]
async fn the_pages_tell_the_registrant_and_let_them_choose_another_pseudonym() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.user(&ms, "bob@example.org", "Bob", "admin").await;
        register_as(&s, "poser@example.org", "Bob").await;
        let mail = s.mails_to("poser@example.org", 1).await.pop().expect("mail");
        let token = crate::harness::token_in(&mail);
        let confirmed = s.client.post(s.url("/a/ms/confirm-email")).form(&[("token", token.as_str())]).send().await;
        let html = confirmed.expect("post").text().await.expect("html");
        assert!(html.contains("/account/pseudonym\""), "{db:?}: a link to choose another: {html}");

        let signed_in = s
            .client
            .post(s.url("/a/ms/sign-in"))
            .form(&[("email", "poser@example.org"), ("password", PASSWORD)])
            .send()
            .await
            .expect("sign in");
        let session = signed_in
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| v.strip_prefix("__Host-kindred-ms="))
            .and_then(|v| v.split(';').next())
            .expect("cookie")
            .to_owned();
        let jar = format!("__Host-kindred-ms={session}");
        let csrf = kindred_service::sessions::csrf_token(&session);
        let form = s.client.get(s.url("/a/ms/account/pseudonym")).header("cookie", &jar).send().await.expect("get");
        assert_eq!(form.status(), 200, "{db:?}");
        let html = form.text().await.expect("html");
        assert_eq!(html.matches("<h1").count(), 1, "{db:?}");
        assert!(html.contains("for=\"pseudonym\""), "{db:?}: the field has its label");
        let post = |pseudonym: &'static str| {
            s.client
                .post(s.url("/a/ms/account/pseudonym"))
                .header("cookie", &jar)
                .form(&[("csrf", csrf.as_str()), ("pseudonym", pseudonym)])
                .send()
        };
        assert_eq!(post("B0B").await.expect("post").status(), 422, "{db:?}");
        let chosen = post("Robin").await.expect("post");
        assert_eq!(chosen.status(), 303, "{db:?}");
        let me = s.client.get(s.url("/a/ms/api/v1/me")).header("cookie", &jar).send().await.expect("me");
        let me: Value = me.json().await.expect("json");
        assert_eq!((me["pseudonym"].as_str(), me["pseudonym_needed"].as_bool()), (Some("Robin"), Some(false)));
        s.stop().await;
    }
}
