//! Admission: registration with e-mail confirmation, and each verification
//! procedure's happy path and abuse.

use crate::harness::{api_error, token_in, TestServer, BOTH, STAFF_PASSWORD};
use serde_json::{json, Value};

pub const PASSWORD: &str = "a long enough password";

/// Registers over the API; returns the member id the answer names.
pub async fn register(s: &TestServer, slug: &str, email: &str, pseudonym: &str) -> Value {
    let response = s
        .post_json(
            &format!("/a/{slug}/api/v1/auth/register"),
            json!({"email": email, "password": PASSWORD, "pseudonym": pseudonym, "accept_terms": true}),
        )
        .await;
    assert_eq!(response.status(), 201, "register {email}");
    response.json().await.expect("json")
}

/// Registers, confirms the address from the mail and signs in: an
/// unverified member's token.
pub async fn unverified(s: &TestServer, slug: &str, email: &str, pseudonym: &str) -> String {
    register(s, slug, email, pseudonym).await;
    let mail = s.mails_to(email, 1).await.pop().expect("mail");
    let r = s.post_json(&format!("/a/{slug}/api/v1/auth/confirm-email"), json!({"token": token_in(&mail)})).await;
    assert_eq!(r.status(), 200, "confirm {email}");
    s.login(slug, email, PASSWORD).await
}

pub async fn post_as(s: &TestServer, token: &str, path: &str, body: Value) -> reqwest::Response {
    s.client.post(s.url(path)).bearer_auth(token).json(&body).send().await.expect("post")
}

async fn status_of(s: &TestServer, token: &str, slug: &str) -> String {
    s.get_as(token, &format!("/a/{slug}/api/v1/me")).await["status"].as_str().expect("status").to_owned()
}

#[tokio::test]
async fn registration_confirmation_and_manual_approval() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.user(&ms, "admin@example.org", "Admin", "admin").await;
        // The example requires a second factor of staff; this test is not about that.
        let body = register(&s, "ms", "rita@example.org", "Rita").await;
        assert_eq!(body["status"], "email_unconfirmed");
        let member_id = body["member_id"].as_str().expect("id").to_owned();

        // Signed in but unconfirmed: the account answers, the community does not.
        let token = s.login("ms", "rita@example.org", PASSWORD).await;
        assert_eq!(status_of(&s, &token, "ms").await, "email_unconfirmed");
        let r = s.client.get(s.url("/a/ms/api/v1/admin/verifications")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(api_error(r).await, (403, "not_verified".to_owned()));

        let mail = s.mails_to("rita@example.org", 1).await.pop().unwrap();
        assert!(mail.contains("/a/ms/confirm-email?token="), "{mail}");
        let token_value = token_in(&mail);
        let r = s.post_json("/a/ms/api/v1/auth/confirm-email", json!({"token": token_value})).await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.json::<Value>().await.unwrap()["status"], "unverified");
        let again = s.post_json("/a/ms/api/v1/auth/confirm-email", json!({"token": token_value})).await;
        assert_eq!(api_error(again).await, (422, "invalid_token".to_owned()), "single use");
        assert_eq!(status_of(&s, &token, "ms").await, "unverified");

        let overview = s.get_as(&token, "/a/ms/api/v1/verification").await;
        assert_eq!(overview["waiting_for"], "manual");

        let admin = s.login_staff(&ms, "admin@example.org").await;
        let queue = s.get_as(&admin, "/a/ms/api/v1/admin/verifications").await;
        let pending = queue["pending"].as_array().unwrap();
        assert_eq!(pending.len(), 1, "{queue}");
        assert_eq!(pending[0]["member_id"], member_id.as_str());
        assert_eq!(pending[0]["pseudonym"], "Rita");
        assert_eq!(pending[0]["procedure"], "manual");
        assert!(pending[0]["requested_at"].as_str().unwrap().ends_with('Z'));

        let path = format!("/a/ms/api/v1/admin/members/{member_id}/approve");
        let r = post_as(&s, &admin, &path, json!({"note": "Known from the Tuesday group"})).await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.json::<Value>().await.unwrap()["status"], "active");
        assert_eq!(status_of(&s, &token, "ms").await, "active");
        assert!(s.get_as(&admin, "/a/ms/api/v1/admin/verifications").await["pending"].as_array().unwrap().is_empty());
        let welcome = s.mails_to("rita@example.org", 2).await;
        assert!(welcome[1].contains("/a/ms/sign-in"));

        let log = s.get_as(&admin, "/a/ms/api/v1/admin/audit-log").await;
        let entries = log["entries"].as_array().unwrap();
        let approved = entries.iter().find(|e| e["action"] == "member.approved").expect("approval logged");
        assert_eq!(approved["target_id"], member_id.as_str());
        assert_eq!(approved["detail"], "Known from the Tuesday group");
        assert!(approved["actor_id"].is_string() && approved["at"].is_string());
        assert!(entries.iter().any(|e| e["action"] == "verifications.viewed"), "views of personal data are logged");

        let unknown = post_as(&s, &admin, "/a/ms/api/v1/admin/members/nosuchmember/approve", json!({})).await;
        assert_eq!(api_error(unknown).await.0, 404);
        s.stop().await;
    }
}

#[tokio::test]
async fn registration_never_tells_who_is_a_member() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        s.ms_association("ms").await;
        let first = register(&s, "ms", "sam@example.org", "Sam").await;
        let second = register(&s, "ms", "SAM@example.org", "Someone Else").await;
        assert_eq!(first["status"], second["status"]);
        assert_ne!(first["member_id"], second["member_id"]);
        let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&first), keys(&second));
        let mails = s.mails_to("sam@example.org", 2).await;
        assert!(mails[0].contains("token="));
        assert!(!mails[1].contains("token="), "the owner is told, not sent a new account");
        assert!(mails[1].contains("/a/ms/forgot-password"));

        // Nor does signing in afterwards: registering an address that has an
        // account (here a confirmed one) makes a decoy that answers to the
        // password given, as a new registration would.
        let owner = unverified(&s, "ms", "una@example.org", "Una").await;
        let owner_id = s.get_as(&owner, "/a/ms/api/v1/me").await["member_id"].clone();
        let attacker_password = "the attacker's own password";
        let mut signed_in = Vec::new();
        for email in ["una@example.org", "nobody-yet@example.org"] {
            let r = s
                .post_json(
                    "/a/ms/api/v1/auth/register",
                    json!({"email": email, "password": attacker_password, "pseudonym": "Probe", "accept_terms": true}),
                )
                .await;
            assert_eq!(r.status(), 201, "{db:?}");
            let registered: Value = r.json().await.expect("json");
            let r =
                s.post_json("/a/ms/api/v1/auth/login", json!({"email": email, "password": attacker_password})).await;
            assert_eq!(r.status(), 200, "{db:?}: {email}");
            let session: Value = r.json().await.expect("json");
            assert_eq!(session["member_id"], registered["member_id"], "{db:?}: {email}");
            assert_eq!(session["status"], "email_unconfirmed", "{db:?}: {email}");
            let token = session["token"].as_str().expect("token").to_owned();
            if email == "una@example.org" {
                // The owner still signs in to their own account (before the failures below,
                // which count against the address alike in both cases).
                let own = s.login("ms", email, PASSWORD).await;
                assert_eq!(s.get_as(&own, "/a/ms/api/v1/me").await["member_id"], owner_id, "{db:?}");
            }
            let me = s.get_as(&token, "/a/ms/api/v1/me").await;
            let (status, code) =
                api_error(s.client.get(s.url("/a/ms/api/v1/groups")).bearer_auth(&token).send().await.expect("get"))
                    .await;
            signed_in.push((keys(&session), keys(&me), me["status"].clone(), me["email"].clone(), status, code));
            // Asking for the link again: the decoy's only tells the owner again.
            let r = post_as(&s, &token, "/a/ms/api/v1/auth/resend-confirmation", json!({})).await;
            assert!(r.status().is_success(), "{db:?}: {}", r.status());
            // A changed password works, the old one no longer does — alike.
            let changed = "the attacker's next password";
            let body = json!({"current_password": attacker_password, "new_password": changed});
            assert_eq!(post_as(&s, &token, "/a/ms/api/v1/me/password", body).await.status(), 204, "{db:?}");
            let login = |password: &'static str| {
                let s = &s;
                async move {
                    s.post_json("/a/ms/api/v1/auth/login", json!({"email": email, "password": password}))
                        .await
                        .status()
                        .as_u16()
                }
            };
            assert_eq!((login(changed).await, login(attacker_password).await), (200, 401), "{db:?}: {email}");
            // Signing in to it clears no failures counted against the address:
            // with 10 failures in all the next attempt waits, in both cases.
            for _ in 0..8 {
                assert_eq!(login("wrong guess, again").await, 401, "{db:?}: {email}");
            }
            assert_eq!(login(changed).await, 200, "{db:?}: {email}");
            assert_eq!(login("wrong guess, again").await, 401, "{db:?}: the tenth failure");
            assert_eq!(login(changed).await, 429, "{db:?}: {email}: not cleared by the sign-in between");
        }
        assert_eq!(signed_in[0].0, signed_in[1].0, "{db:?}");
        assert_eq!(signed_in[0].1, signed_in[1].1, "{db:?}");
        assert_eq!(
            (&signed_in[0].2, &signed_in[0].4, &signed_in[0].5),
            (&signed_in[1].2, &signed_in[1].4, &signed_in[1].5)
        );
        assert_eq!(signed_in[0].3, "una@example.org", "{db:?}");
        // No link (nor any other mail of the decoy's) ever reaches the owner.
        let mails = s.mails_to("una@example.org", 3).await;
        assert_eq!(mails.iter().filter(|m| m.contains("token=")).count(), 1, "{db:?}: only the owner's own link");
        assert!(mails[1..].iter().all(|m| m.contains("/a/ms/forgot-password")), "{db:?}");

        // A taken pseudonym is answered alike too (settled at confirmation: tests/it/pseudonyms.rs).
        let taken = register(&s, "ms", "x@example.org", "sAM").await;
        assert_eq!(keys(&first), keys(&taken));
        assert_eq!(first["status"], taken["status"]);

        let bad = s
            .post_json(
                "/a/ms/api/v1/auth/register",
                json!({"email": "not-an-address", "password": "password1234", "pseudonym": "<b>", "accept_terms": false}),
            )
            .await;
        assert_eq!(bad.status(), 422);
        let body: Value = bad.json().await.unwrap();
        for field in ["email", "password", "pseudonym", "accept_terms"] {
            assert!(body["error"]["fields"][field].is_string(), "{field} in {body}");
        }
        let extra = s
            .post_json(
                "/a/ms/api/v1/auth/register",
                json!({"email": "y@example.org", "password": PASSWORD, "pseudonym": "Yves", "accept_terms": true,
                       "role": "admin"}),
            )
            .await;
        assert_eq!(api_error(extra).await.0, 422, "no mass assignment");
        s.stop().await;
    }
}

#[tokio::test]
async fn confirmation_links_expire() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        s.ms_association("ms").await;
        register(&s, "ms", "late@example.org", "Late").await;
        let mail = s.mails_to("late@example.org", 1).await.pop().unwrap();
        s.clock.advance(chrono::Duration::hours(49));
        let r = s.post_json("/a/ms/api/v1/auth/confirm-email", json!({"token": token_in(&mail)})).await;
        assert_eq!(api_error(r).await, (422, "invalid_token".to_owned()));
        let r = s.post_json("/a/ms/api/v1/auth/confirm-email", json!({"token": "made-up"})).await;
        assert_eq!(api_error(r).await.0, 422);
        // A new link can be asked for.
        let token = s.login("ms", "late@example.org", PASSWORD).await;
        let r = post_as(&s, &token, "/a/ms/api/v1/auth/resend-confirmation", json!({})).await;
        assert_eq!(r.status(), 202);
        let mail = s.mails_to("late@example.org", 2).await.pop().unwrap();
        let r = s.post_json("/a/ms/api/v1/auth/confirm-email", json!({"token": token_in(&mail)})).await;
        assert_eq!(r.status(), 200);
        s.stop().await;
    }
}

#[tokio::test]
async fn member_number_verification() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.user(&ms, "admin@example.org", "Admin", "admin").await;
        let admin = s.login_staff(&ms, "admin@example.org").await;
        let csv = "member_number,postcode,birth_date\nM-1001,10115,1970-03-02\nM-1002,1234 AB,1985-12-24\n";
        let upload = |token: String, body: &'static str| {
            s.client
                .post(s.url("/a/ms/api/v1/admin/member-list"))
                .bearer_auth(token)
                .header("content-type", "text/csv")
                .body(body)
                .send()
        };
        let r = upload(admin.clone(), csv).await.unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.json::<Value>().await.unwrap()["imported"], 2);
        let r = upload(admin.clone(), "number;zip\n1;2\n").await.unwrap();
        assert_eq!(api_error(r).await, (422, "invalid_csv".to_owned()));
        let unlabelled =
            s.client.post(s.url("/a/ms/api/v1/admin/member-list")).bearer_auth(&admin).body(csv).send().await.unwrap();
        assert_eq!(unlabelled.status(), 200, "CSV without a content type is still CSV");
        let json = s
            .client
            .post(s.url("/a/ms/api/v1/admin/member-list"))
            .bearer_auth(&admin)
            .json(&json!({"a": 1}))
            .send()
            .await
            .unwrap();
        assert_eq!(api_error(json).await.0, 415);

        let member = unverified(&s, "ms", "mo@example.org", "Moritz").await;
        let r = upload(member.clone(), csv).await.unwrap();
        assert_eq!(api_error(r).await, (403, "not_verified".to_owned()));

        let path = "/a/ms/api/v1/verification/member-number";
        let wrong = post_as(
            &s,
            &member,
            path,
            json!({"member_number": "M-1002", "postcode": "1234AB", "birth_date": "1985-12-25"}),
        )
        .await;
        assert_eq!(wrong.status(), 422);
        let body: Value = wrong.json().await.unwrap();
        assert_eq!(body["error"]["code"], "no_match");
        // Every entry is named alike: a mismatch does not say which field it was.
        let fields = &body["error"]["fields"];
        for field in ["member_number", "postcode", "birth_date"] {
            assert_eq!(fields[field], "does not match", "{body}");
        }
        // The same entry typed differently matches.
        let right = post_as(
            &s,
            &member,
            path,
            json!({"member_number": " m-1002 ", "postcode": "1234 ab", "birth_date": "24.12.1985"}),
        )
        .await;
        assert_eq!(right.status(), 200);
        assert_eq!(right.json::<Value>().await.unwrap()["status"], "active");

        // An entry activates one account only; attempts are limited.
        let other = unverified(&s, "ms", "copy@example.org", "Copycat").await;
        let entry = json!({"member_number": "M-1002", "postcode": "1234AB", "birth_date": "1985-12-24"});
        let r = post_as(&s, &other, path, entry.clone()).await;
        assert_eq!(api_error(r).await, (422, "no_match".to_owned()));
        for _ in 0..4 {
            let r = post_as(&s, &other, path, json!({"member_number": "x", "postcode": "y", "birth_date": "z"})).await;
            assert_eq!(r.status(), 422);
        }
        let r = post_as(
            &s,
            &other,
            path,
            json!({"member_number": "M-1001", "postcode": "10115", "birth_date": "1970-03-02"}),
        )
        .await;
        assert_eq!(r.status(), 429, "the sixth attempt in a day is refused, even when right");
        assert!(r.headers().get("retry-after").is_some());
        s.clock.advance(chrono::Duration::hours(25));
        let r = post_as(
            &s,
            &other,
            path,
            json!({"member_number": "M-1001", "postcode": "10115", "birth_date": "1970-03-02"}),
        )
        .await;
        assert_eq!(r.status(), 200);

        // The list is kept only as keyed hashes.
        let dump = s.dump().await;
        for clear in ["M-1001", "10115", "1970-03-02", "1234AB"] {
            assert!(!dump.contains(clear), "{clear} in the database");
        }
        s.stop().await;
    }
}

#[tokio::test]
async fn letter_verification() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.user(&ms, "admin@example.org", "Admin", "admin").await;
        let admin = s.login_staff(&ms, "admin@example.org").await;
        let address =
            json!({"full_name": "Jürgen Weiß", "street": "Große Straße 5", "postcode": "50667", "city": "Köln"});

        let careless = unverified(&s, "ms", "careless@example.org", "Careless").await;
        let r = post_as(&s, &careless, "/a/ms/api/v1/verification/letter", address.clone()).await;
        assert_eq!(r.status(), 202);
        let bad = post_as(
            &s,
            &careless,
            "/a/ms/api/v1/verification/letter",
            json!({"full_name": "", "street": "x", "postcode": "1", "city": "y"}),
        )
        .await;
        assert_eq!(api_error(bad).await.0, 422);
        let letters = s.get_as(&admin, "/a/ms/api/v1/admin/letters").await;
        let code = letters["letters"][0]["code"].as_str().unwrap().to_owned();
        assert_eq!(letters["letters"][0]["full_name"], "Jürgen Weiß");
        assert_eq!(letters["letters"][0]["city"], "Köln");
        for _ in 0..5 {
            let r =
                post_as(&s, &careless, "/a/ms/api/v1/verification/letter/confirm", json!({"code": "AAAA-BBBB"})).await;
            assert_eq!(api_error(r).await, (422, "no_match".to_owned()));
        }
        let r = post_as(&s, &careless, "/a/ms/api/v1/verification/letter/confirm", json!({"code": code})).await;
        assert_eq!(r.status(), 429, "five attempts, then the code is spent");

        let careful = unverified(&s, "ms", "careful@example.org", "Careful").await;
        // A name outside Windows-1252 reaches the letter whole.
        let turkish =
            json!({"full_name": "Şule Yılmaz", "street": "Große Straße 5", "postcode": "50667", "city": "Köln"});
        post_as(&s, &careful, "/a/ms/api/v1/verification/letter", turkish).await;
        let pdf = s.client.get(s.url("/a/ms/api/v1/admin/letters.pdf")).bearer_auth(&admin).send().await.unwrap();
        assert_eq!(pdf.status(), 200);
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        let bytes = pdf.bytes().await.unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        // The text as a PDF reader finds it (pdftotext, Debian poppler-utils):
        // one page per letter, each name whole.
        let path = crate::harness::temp_dir().join("letters.pdf");
        std::fs::write(&path, &bytes).unwrap();
        let text = std::process::Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&path).arg("-").output();
        let text = String::from_utf8(text.expect("pdftotext (apt-get install poppler-utils)").stdout).unwrap();
        let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
        assert_eq!(pages.len(), 2, "one page per letter: {text}");
        assert!(pages.iter().any(|p| p.contains("Jürgen Weiß")), "{text}");
        assert!(pages.iter().any(|p| p.contains("Şule Yılmaz")), "{text}");
        let letters = s.get_as(&admin, "/a/ms/api/v1/admin/letters").await;
        let me = s.get_as(&careful, "/a/ms/api/v1/me").await;
        let code = letters["letters"].as_array().unwrap().iter().find(|l| l["member_id"] == me["member_id"]).unwrap()
            ["code"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .replace('-', " ");
        let r = post_as(&s, &careful, "/a/ms/api/v1/verification/letter/confirm", json!({"code": code})).await;
        assert_eq!(r.status(), 200, "codes are forgiving about case and separators");
        assert_eq!(status_of(&s, &careful, "ms").await, "active");
        let letters = s.get_as(&admin, "/a/ms/api/v1/admin/letters").await;
        assert!(
            letters["letters"].as_array().unwrap().iter().all(|l| l["member_id"] != me["member_id"]),
            "address erased"
        );
        let again = post_as(&s, &careful, "/a/ms/api/v1/verification/letter/confirm", json!({"code": code})).await;
        assert_eq!(api_error(again).await.0, 409, "single use");

        let slow = unverified(&s, "ms", "slow@example.org", "Slow").await;
        post_as(&s, &slow, "/a/ms/api/v1/verification/letter", address).await;
        s.clock.advance(chrono::Duration::days(31));
        let slow = s.login("ms", "slow@example.org", PASSWORD).await;
        let r = post_as(&s, &slow, "/a/ms/api/v1/verification/letter/confirm", json!({"code": "AAAA-BBBB"})).await;
        assert_eq!(api_error(r).await, (409, "no_letter".to_owned()), "codes expire after 30 days");

        let dump = s.dump().await;
        for clear in ["Jürgen", "Große Straße", "Köln"] {
            assert!(!dump.contains(clear), "{clear} in the database");
        }
        s.stop().await;
    }
}

#[tokio::test]
async fn invitation_codes() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.user(&ms, "admin@example.org", "Admin", "admin").await;
        let admin = s.login_staff(&ms, "admin@example.org").await;
        let r = post_as(&s, &admin, "/a/ms/api/v1/admin/invitations", json!({"count": 2})).await;
        assert_eq!(r.status(), 200);
        let codes: Vec<String> = r.json::<Value>().await.unwrap()["codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(codes.len(), 2);
        assert_ne!(codes[0], codes[1]);
        for count in [0, 501] {
            let r = post_as(&s, &admin, "/a/ms/api/v1/admin/invitations", json!({"count": count})).await;
            assert_eq!(api_error(r).await.0, 422, "count {count}");
        }
        let lea = unverified(&s, "ms", "lea@example.org", "Lea").await;
        let r = post_as(&s, &lea, "/a/ms/api/v1/verification/invitation", json!({"code": codes[0]})).await;
        assert_eq!(r.status(), 200);
        let max = unverified(&s, "ms", "max@example.org", "Max").await;
        let r = post_as(&s, &max, "/a/ms/api/v1/verification/invitation", json!({"code": codes[0]})).await;
        assert_eq!(api_error(r).await, (422, "no_match".to_owned()), "single use");
        let r = post_as(&s, &lea, "/a/ms/api/v1/verification/invitation", json!({"code": codes[1]})).await;
        assert_eq!(api_error(r).await.0, 409, "an active member is not waiting");
        s.clock.advance(chrono::Duration::days(91));
        let max = s.login("ms", "max@example.org", PASSWORD).await;
        let r = post_as(&s, &max, "/a/ms/api/v1/verification/invitation", json!({"code": codes[1]})).await;
        assert_eq!(api_error(r).await.0, 422, "invitations expire");
        s.stop().await;
    }
}

#[tokio::test]
async fn procedures_not_offered_and_staff_powers() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let only_manual = s.association("small", "Small", "[admission]\nprocedures = [\"manual\"]\n").await;
        s.user(&only_manual, "mod@example.org", "Mod", "moderator").await;
        let member = unverified(&s, "small", "m@example.org", "Emma").await;
        let r = post_as(&s, &member, "/a/small/api/v1/verification/invitation", json!({"code": "X"})).await;
        assert_eq!(api_error(r).await, (403, "procedure_not_offered".to_owned()));
        let moderator = s.login("small", "mod@example.org", STAFF_PASSWORD).await;
        // Moderators handle admission, but not roles, lists, letters or the log.
        assert!(s.get_as(&moderator, "/a/small/api/v1/admin/verifications").await["pending"].is_array());
        for path in ["/a/small/api/v1/admin/letters", "/a/small/api/v1/admin/audit-log", "/a/small/api/v1/admin/staff"]
        {
            let r = s.client.get(s.url(path)).bearer_auth(&moderator).send().await.unwrap();
            assert_eq!(api_error(r).await, (403, "forbidden".to_owned()), "{path}");
        }
        let me = s.get_as(&member, "/a/small/api/v1/me").await;
        let path = format!("/a/small/api/v1/admin/members/{}/role", me["member_id"].as_str().unwrap());
        let r =
            s.client.put(s.url(&path)).bearer_auth(&moderator).json(&json!({"role": "admin"})).send().await.unwrap();
        assert_eq!(api_error(r).await.0, 403);
        s.stop().await;
    }
}

#[tokio::test]
async fn staff_may_be_required_to_use_a_second_factor() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let strict = s.association("strict", "Strict", "[admission]\nsecond_factor = \"staff\"\n").await;
        s.user(&strict, "admin@example.org", "Admin", "admin").await;
        let admin = s.login("strict", "admin@example.org", STAFF_PASSWORD).await;
        let r = s.client.get(s.url("/a/strict/api/v1/admin/verifications")).bearer_auth(&admin).send().await.unwrap();
        assert_eq!(api_error(r).await, (403, "second_factor_required".to_owned()));
        crate::accounts::enrol_totp(&s, "strict", &admin, STAFF_PASSWORD).await;
        let admin = s.login_with_totp(&strict, "admin@example.org").await;
        let r = s.client.get(s.url("/a/strict/api/v1/admin/verifications")).bearer_auth(&admin).send().await.unwrap();
        assert_eq!(r.status(), 200);
        s.stop().await;
    }
}

#[tokio::test]
async fn staff_notes_are_optional() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let small = s.association("small", "Small", "").await;
        s.user(&small, "admin@example.org", "Admin", "admin").await;
        let admin = s.login_staff(&small, "admin@example.org").await;
        unverified(&s, "small", "a@example.org", "Annika").await;
        unverified(&s, "small", "b@example.org", "Bertram").await;
        let queue = s.get_as(&admin, "/a/small/api/v1/admin/verifications").await;
        let ids: Vec<String> =
            queue["pending"].as_array().unwrap().iter().map(|p| p["member_id"].as_str().unwrap().to_owned()).collect();
        assert_eq!(ids.len(), 2);
        let bare = s
            .client
            .post(s.url(&format!("/a/small/api/v1/admin/members/{}/approve", ids[0])))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap();
        assert_eq!(bare.status(), 200, "no body at all");
        let extra =
            post_as(&s, &admin, &format!("/a/small/api/v1/admin/members/{}/approve", ids[1]), json!({"role": "admin"}))
                .await;
        assert_eq!(api_error(extra).await.0, 422, "a body present is parsed strictly");
        s.stop().await;
    }
}

/// Staff requests that change nothing or are refused still looked at a
/// member's account (their answer tells its state): each is in the audit
/// log, written before the answer. So is a look at an empty letter queue.
#[tokio::test]
async fn staff_requests_that_change_nothing_are_audited() {
    use crate::members::{call, ok, someone};
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.user(&ms, "admin@example.org", "Admin", "admin").await;
        let admin = s.login_staff(&ms, "admin@example.org").await;
        let moderator_id = s.user(&ms, "mod@example.org", "Moritz", "moderator").await;
        let moderator = s.login_staff(&ms, "mod@example.org").await;
        let admin_id = s.get_as(&admin, "/a/ms/api/v1/me").await["member_id"].as_str().expect("id").to_owned();
        let anna = someone(&s, &ms, "Anna").await;
        let entries = |log: &Value, action: &str, target: &str| -> Vec<Value> {
            log["entries"]
                .as_array()
                .expect("entries")
                .iter()
                .filter(|e| e["action"] == action && e["target_id"] == target)
                .cloned()
                .collect()
        };

        // Approving a member who is active already: 200 as before, and logged.
        let approve = format!("/a/ms/api/v1/admin/members/{}/approve", anna.id);
        let answer = ok(&s, &moderator, "POST", &approve, Some(json!({"note": "twice"}))).await;
        assert_eq!(answer["status"], "active", "{db:?}");
        // Suspending twice: the second changes nothing, and is logged too.
        let suspend = format!("/a/ms/api/v1/admin/members/{}/suspend", anna.id);
        ok(&s, &moderator, "POST", &suspend, None).await;
        ok(&s, &moderator, "POST", &suspend, None).await;
        // Refused: a moderator suspending an admin, reinstating an active member.
        // Not allowed whatever the account's state (403); the wrong state is a conflict (409).
        let (status, body) =
            call(&s, &moderator, "POST", &format!("/a/ms/api/v1/admin/members/{admin_id}/suspend"), None).await;
        assert_eq!((status, body["error"]["code"].as_str()), (403, Some("not_allowed")), "{db:?}: {body}");
        let (status, body) =
            call(&s, &admin, "POST", &format!("/a/ms/api/v1/admin/members/{admin_id}/suspend"), None).await;
        assert_eq!((status, body["error"]["code"].as_str()), (403, Some("not_allowed")), "{db:?}: {body}");
        let reinstate = format!("/a/ms/api/v1/admin/members/{moderator_id}/reinstate");
        let (status, _) = call(&s, &admin, "POST", &reinstate, None).await;
        assert_eq!(status, 409, "{db:?}");
        // The only admin withdrawing their own admin role: refused, and logged.
        let own_role = format!("/a/ms/api/v1/admin/members/{admin_id}/role");
        let (status, _) = call(&s, &admin, "PUT", &own_role, Some(json!({"role": "member"}))).await;
        assert_eq!(status, 409, "{db:?}");
        // The letters to print, none waiting.
        let letters = ok(&s, &admin, "GET", "/a/ms/api/v1/admin/letters", None).await;
        assert_eq!(letters["letters"], json!([]), "{db:?}");

        let log = s.get_as(&admin, "/a/ms/api/v1/admin/audit-log").await;
        let approved = entries(&log, "member.approved", &anna.id);
        assert_eq!(approved.len(), 1, "{db:?}: {log}");
        assert_eq!(approved[0]["actor_id"], moderator_id.as_str());
        assert_eq!(approved[0]["detail"], "already active: twice");
        let suspended = entries(&log, "member.suspended", &anna.id);
        assert_eq!(suspended.len(), 2, "{db:?}: {log}");
        let details: Vec<&Value> = suspended.iter().map(|e| &e["detail"]).collect();
        assert!(details.contains(&&json!("already suspended")) && details.contains(&&Value::Null), "{details:?}");
        let refused = entries(&log, "member.refused", &admin_id);
        let details: Vec<&Value> = refused.iter().map(|e| &e["detail"]).collect();
        assert_eq!(details.len(), 3, "{db:?}: {log}");
        for detail in ["suspend: an admin", "suspend: own account", "role: last admin"] {
            assert!(details.contains(&&json!(detail)), "{details:?}");
        }
        assert_eq!(entries(&log, "member.refused", &moderator_id)[0]["detail"], "reinstate: active");
        assert!(log["entries"].as_array().expect("entries").iter().any(|e| e["action"] == "letters.viewed"));
        s.stop().await;
    }
}
