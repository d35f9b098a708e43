//! Admission answers before it does the work that differs for a known
//! address (ARCHITECTURE.md, "Admission never tells who is a member").
//! Time cannot be asserted in a test; its cause can: the writes that only
//! a known address (reset) or only a new one (registration) needs are made
//! to fail, and the answers must not change — they were given before.

use crate::admission::PASSWORD;
use crate::harness::{TestServer, BOTH};
use crate::members::raw_sql;
use serde_json::json;

/// Makes every new mailed link fail to be written, until `allow_links`.
async fn refuse_links(s: &TestServer) {
    if s.database_url.starts_with("sqlite:") {
        raw_sql(s, "CREATE TRIGGER no_links BEFORE INSERT ON email_tokens BEGIN SELECT RAISE(ABORT, 'no links'); END")
            .await;
    } else {
        raw_sql(
            s,
            "CREATE FUNCTION no_links() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no links'; END $$",
        )
        .await;
        raw_sql(s, "CREATE TRIGGER no_links BEFORE INSERT ON email_tokens FOR EACH ROW EXECUTE FUNCTION no_links()")
            .await;
    }
}

async fn allow_links(s: &TestServer) {
    if s.database_url.starts_with("sqlite:") {
        raw_sql(s, "DROP TRIGGER no_links").await;
    } else {
        raw_sql(s, "DROP TRIGGER no_links ON email_tokens").await;
    }
}

#[tokio::test]
async fn a_password_reset_answers_before_the_known_address_is_looked_up() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.user(&ms, "anna@example.org", "Anna", "member").await;
        refuse_links(&s).await;
        // Were the link written before the answer, the known address would fail.
        for email in ["anna@example.org", "nobody@example.org"] {
            let r = s.post_json("/a/ms/api/v1/auth/password-reset", json!({"email": email})).await;
            assert_eq!(r.status(), 202, "{db:?}: {email}");
        }
        allow_links(&s).await;
        let r = s.post_json("/a/ms/api/v1/auth/password-reset", json!({"email": "anna@example.org"})).await;
        assert_eq!(r.status(), 202, "{db:?}");
        let mail = s.mails_to("anna@example.org", 1).await.pop().expect("mail");
        assert!(mail.contains("/a/ms/reset-password?token="), "{db:?}: the work is done, after the answer");
        s.stop().await;
    }
}

#[tokio::test]
async fn registration_answers_before_the_link_or_the_owners_mail_is_written() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.user(&ms, "anna@example.org", "Anna", "member").await;
        refuse_links(&s).await;
        // Were the confirmation link written before the answer, the new address would fail.
        for (email, pseudonym) in [("anna@example.org", "Anna Two"), ("new@example.org", "Newcomer")] {
            let r = s
                .post_json(
                    "/a/ms/api/v1/auth/register",
                    json!({"email": email, "password": PASSWORD, "pseudonym": pseudonym, "accept_terms": true}),
                )
                .await;
            assert_eq!(r.status(), 201, "{db:?}: {email}");
        }
        allow_links(&s).await;
        let mail = s.mails_to("anna@example.org", 1).await.pop().expect("mail");
        assert!(mail.contains("/a/ms/forgot-password"), "{db:?}: the owner is told, after the answer");
        s.stop().await;
    }
}
