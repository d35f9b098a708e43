//! Staff tools at volume (issue 14): one applicant's request as they
//! entered it and declining it with a message (mailed, audited, the
//! address erased); invitation codes in labelled batches, revoked by batch
//! or one by one and then refused; the member directory by part of a
//! pseudonym with filters; the counts on the staff page.

use crate::admission::{post_as, register, unverified, PASSWORD};
use crate::harness::{api_error, TestServer, BOTH, STAFF_PASSWORD};
use crate::members::{ok, someone};
use crate::staff_flags::{get, page, page_sign_in};
use serde_json::{json, Value};

/// Posts a staff form with the page cookie; (status, Location or body).
async fn post_form(s: &TestServer, cookie: &str, path: &str, form: &[(&str, &str)]) -> (u16, String) {
    let response = s.client.post(s.url(path)).header("cookie", cookie).form(form).send().await.unwrap();
    let status = response.status().as_u16();
    let location = response.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let body = response.text().await.unwrap().replace("&#x2f;", "/");
    (status, location.unwrap_or(body))
}

/// The audit entries with this action, as (target_id, detail) pairs.
async fn audited(s: &TestServer, admin_token: &str, action: &str) -> Vec<Value> {
    let log = ok(s, admin_token, "GET", "/a/ms/api/v1/admin/audit-log", None).await;
    log["entries"].as_array().unwrap().iter().filter(|e| e["action"] == action).cloned().collect()
}

#[tokio::test]
async fn staff_decline_a_request_with_a_message_that_is_mailed_and_audited() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.user(&ms, "admin@example.org", "Admin Aurelia", "admin").await;
        let admin_token = s.login_staff(&ms, "admin@example.org").await;
        let (admin, csrf) = page_sign_in(&s, "admin@example.org", STAFF_PASSWORD).await;

        let paula = unverified(&s, "ms", "paula@example.org", "Paula").await;
        let address =
            json!({"full_name": "Paula Łukasiewicz", "street": "Große Straße 5", "postcode": "50667", "city": "Köln"});
        assert_eq!(post_as(&s, &paula, "/a/ms/api/v1/verification/letter", address).await.status(), 202);
        let paula_id = s.get_as(&paula, "/a/ms/api/v1/me").await["member_id"].as_str().unwrap().to_owned();

        let index = page(&s, &admin, "/a/ms/staff?lang=en").await;
        assert!(index.contains("(1 waiting)"), "{db:?}: the count on the staff page: {index}");
        assert!(index.contains("(1 to print)"), "{db:?}: letters to print counted");

        // The queue links to the applicant; the applicant page shows what they entered, not the code.
        let queue = page(&s, &admin, "/a/ms/staff/verifications?lang=en").await;
        assert!(queue.contains(&format!("/a/ms/staff/verifications/{paula_id}")), "{db:?}: {queue}");
        // Listing the queue is a look at each applicant's data too (audited by the queue).
        let before = audited(&s, &admin_token, "verification.viewed").await.len();
        let applicant = page(&s, &admin, &format!("/a/ms/staff/verifications/{paula_id}?lang=en")).await;
        for entered in
            ["Paula", "paula@example.org", "Paula Łukasiewicz", "Große Straße 5", "50667 Köln", "Letter by post"]
        {
            assert!(applicant.contains(entered), "{db:?}: {entered} on the applicant page: {applicant}");
        }
        let letters = s.get_as(&admin_token, "/a/ms/api/v1/admin/letters").await;
        let code = letters["letters"][0]["code"].as_str().unwrap().to_owned();
        assert!(!applicant.contains(&code), "the letter's code stays off the screen");
        let viewed = audited(&s, &admin_token, "verification.viewed").await;
        assert_eq!(viewed.len(), before + 1, "{db:?}: the look at the applicant is audited");
        assert!(viewed.iter().all(|v| v["target_id"] == paula_id.as_str()), "{db:?}: {viewed:?}");
        // Someone who is not waiting has no applicant page.
        let (status, _) = get(&s, &admin, "/a/ms/staff/verifications/nobody-at-all?lang=en").await;
        assert_eq!(status, 404);

        // A decline needs a message.
        let decline = format!("/a/ms/staff/members/{paula_id}/decline?lang=en");
        let (status, html) = post_form(&s, &admin, &decline, &[("csrf", &csrf), ("message", "   ")]).await;
        assert_eq!(status, 422, "{db:?}: an empty message is refused");
        assert!(html.contains("Please write a message"), "{html}");
        let (status, _) = post_form(&s, &admin, &decline, &[("csrf", "forged"), ("message", "No.")]).await;
        assert_ne!(status, 303, "a forged form changes nothing");

        let message = "We could not find you in our member list. Please write to the office.";
        let (status, location) = post_form(&s, &admin, &decline, &[("csrf", &csrf), ("message", message)]).await;
        assert_eq!(status, 303, "{db:?}: {location}");
        assert!(location.contains("done=declined"), "{location}");

        // The mail carries the message, nothing of who declined.
        let mails = s.mails_to("paula@example.org", 2).await;
        let mail = mails.last().unwrap();
        assert!(mail.contains("We could not find you in our member list."), "{db:?}: {mail}");
        assert!(!mail.contains("Aurelia"), "the staff member is not named");
        let declined = audited(&s, &admin_token, "member.declined").await;
        assert_eq!(declined.len(), 1, "{db:?}: the decline is audited");
        assert_eq!(declined[0]["target_id"], paula_id.as_str());

        // Out of the queue, the letter's address erased, the count down.
        let queue = page(&s, &admin, "/a/ms/staff/verifications?lang=en").await;
        assert!(queue.contains("Nobody is waiting right now."), "{db:?}: {queue}");
        let letters = s.get_as(&admin_token, "/a/ms/api/v1/admin/letters").await;
        assert_eq!(letters["letters"].as_array().unwrap().len(), 0, "{db:?}: the address is gone");
        assert!(!s.dump().await.contains("Łukasiewicz"));
        let index = page(&s, &admin, "/a/ms/staff?lang=en").await;
        assert!(index.contains("(nobody waiting)"), "{db:?}: {index}");
        let (status, _) = get(&s, &admin, &format!("/a/ms/staff/verifications/{paula_id}?lang=en")).await;
        assert_eq!(status, 404, "a declined request has no applicant page");
        let r = post_as(&s, &paula, "/a/ms/api/v1/verification/letter/confirm", json!({"code": code})).await;
        assert_ne!(r.status(), 200, "{db:?}: the letter's code no longer verifies");

        // The applicant may ask again: back in the queue.
        let pending = s.get_as(&admin_token, "/a/ms/api/v1/admin/verifications").await;
        assert_eq!(pending["pending"].as_array().unwrap().len(), 0);
        ok(
            &s,
            &paula,
            "POST",
            "/a/ms/api/v1/verification/letter",
            Some(json!({"full_name": "Paula L", "street": "Weg 1", "postcode": "50667", "city": "Köln"})),
        )
        .await;
        let pending = s.get_as(&admin_token, "/a/ms/api/v1/admin/verifications").await;
        assert_eq!(pending["pending"][0]["member_id"], paula_id.as_str(), "{db:?}: asked again, waiting again");

        // An active member cannot be declined; the refusal is audited.
        let anna = register(&s, "ms", "anna@example.org", "Anna").await;
        let anna_id = anna["member_id"].as_str().unwrap();
        let active = s.user(&ms, "active@example.org", "Active", "member").await;
        let (status, location) = post_form(
            &s,
            &admin,
            &format!("/a/ms/staff/members/{active}/decline?lang=en"),
            &[("csrf", &csrf), ("message", "Sorry")],
        )
        .await;
        assert_eq!(status, 303);
        assert!(location.contains("done=already-done"), "{location}");
        let refused = audited(&s, &admin_token, "member.refused").await;
        assert!(refused.iter().any(|e| e["target_id"] == active.as_str()), "{db:?}: {refused:?}");
        assert!(s.mails_to("active@example.org", 0).await.is_empty(), "no mail to an active member");
        // A plain member cannot decline anyone.
        let (member, member_csrf) = page_sign_in(&s, "active@example.org", STAFF_PASSWORD).await;
        let (status, _) = post_form(
            &s,
            &member,
            &format!("/a/ms/staff/members/{anna_id}/decline?lang=en"),
            &[("csrf", &member_csrf), ("message", "Sorry")],
        )
        .await;
        assert_eq!(status, 403, "{db:?}: members are not staff");
        s.stop().await;
    }
}

/// The codes in an invitations answer.
async fn codes(response: reqwest::Response) -> Vec<String> {
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    body["codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn invitation_codes_in_labelled_batches_are_revoked_and_then_refused() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.user(&ms, "admin@example.org", "Admin", "admin").await;
        let admin_token = s.login_staff(&ms, "admin@example.org").await;
        let (admin, csrf) = page_sign_in(&s, "admin@example.org", STAFF_PASSWORD).await;
        let create = "/a/ms/api/v1/admin/invitations";
        let fair = codes(post_as(&s, &admin_token, create, json!({"count": 2, "label": "Spring fair"})).await).await;
        let leaders =
            codes(post_as(&s, &admin_token, create, json!({"count": 2, "label": "Group leaders"})).await).await;
        let long = "x".repeat(81);
        let r = post_as(&s, &admin_token, create, json!({"count": 1, "label": long})).await;
        assert_eq!(api_error(r).await.0, 422, "{db:?}: labels are short");

        // Both batches listed with their labels; each has a revoke button.
        let html = page(&s, &admin, "/a/ms/staff/invitations?lang=en").await;
        assert!(html.contains("Spring fair") && html.contains("Group leaders"), "{db:?}: {html}");
        assert_eq!(html.matches("/revoke?lang=en\"").count(), 2, "{db:?}: a revoke form per open batch");
        let after_label = &html[html.find("Spring fair").unwrap()..];
        let start = after_label.find("/a/ms/staff/invitations/").unwrap() + "/a/ms/staff/invitations/".len();
        let batch = &after_label[start..start + after_label[start..].find('/').unwrap()];
        assert!(batch.chars().all(|c| c.is_ascii_alphanumeric()), "{batch}");

        // Revoking asks first (pages::confirm): nothing is revoked by that.
        let (status, _) =
            post_form(&s, &admin, &format!("/a/ms/staff/invitations/{batch}/revoke?lang=en"), &[("csrf", &csrf)]).await;
        assert_eq!(status, 200, "{db:?}: the confirmation page");
        let (status, html) = get(&s, &admin, &format!("/a/ms/staff/invitations/{batch}/revoke?lang=en")).await;
        assert!(status == 200 && html.contains("name=\"confirm\" value=\"1\""), "{db:?}: by GET too: {html}");
        let confirmed = [("csrf", csrf.as_str()), ("confirm", "1")];
        let (status, location) =
            post_form(&s, &admin, &format!("/a/ms/staff/invitations/{batch}/revoke?lang=en"), &confirmed).await;
        assert_eq!(status, 303, "{db:?}: {location}");
        assert!(location.contains("done=invitations-revoked") && location.contains("count=2"), "{location}");
        let (status, _) =
            post_form(&s, &admin, "/a/ms/staff/invitations/not-a-batch!/revoke?lang=en", &confirmed).await;
        assert_eq!(status, 404, "a malformed batch id is unknown");

        // One code of the other batch is revoked by typing it in (any case, any separators).
        let typed = leaders[0].to_lowercase().replace('-', " ");
        let (status, html) =
            post_form(&s, &admin, "/a/ms/staff/invitations/revoke-code?lang=en", &[("csrf", &csrf), ("code", &typed)])
                .await;
        assert_eq!(status, 200, "{db:?}: asked first: {html}");
        let code_confirmed = [("csrf", csrf.as_str()), ("code", typed.as_str()), ("confirm", "1")];
        let (status, location) =
            post_form(&s, &admin, "/a/ms/staff/invitations/revoke-code?lang=en", &code_confirmed).await;
        assert_eq!(status, 303, "{db:?}: {location}");
        assert!(location.contains("count=1"), "{location}");
        let (status, html) =
            post_form(&s, &admin, "/a/ms/staff/invitations/revoke-code?lang=en", &code_confirmed).await;
        assert_eq!(status, 422, "{db:?}: a revoked code cannot be revoked again");
        assert!(html.contains("There is no unused code like this."), "{html}");
        let (status, _) = post_form(
            &s,
            &admin,
            "/a/ms/staff/invitations/revoke-code?lang=en",
            &[("csrf", &csrf), ("code", "nonsense"), ("confirm", "1")],
        )
        .await;
        assert_eq!(status, 422);

        // Revoked codes are refused like used ones; the rest still work.
        let lea = unverified(&s, "ms", "lea@example.org", "Lea").await;
        for revoked in [&fair[0], &fair[1], &leaders[0]] {
            let r = post_as(&s, &lea, "/a/ms/api/v1/verification/invitation", json!({"code": revoked})).await;
            assert_eq!(api_error(r).await, (422, "no_match".to_owned()), "{db:?}: revoked {revoked}");
        }
        let r = post_as(&s, &lea, "/a/ms/api/v1/verification/invitation", json!({"code": leaders[1]})).await;
        assert_eq!(r.status(), 200, "{db:?}: the unrevoked code still works");

        let html = page(&s, &admin, "/a/ms/staff/invitations?lang=en").await;
        assert_eq!(html.matches("/revoke?lang=en\"").count(), 0, "{db:?}: nothing left to revoke: {html}");
        // The batch, the code, and the second try at the same code: every attempt is audited.
        assert_eq!(audited(&s, &admin_token, "invitations.revoked").await.len(), 3, "{db:?}: revocations audited");
        assert!(!audited(&s, &admin_token, "invitations.viewed").await.is_empty());
        s.stop().await;
    }
}

#[tokio::test]
async fn the_staff_directory_finds_members_by_part_of_a_pseudonym_with_filters() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let other = s.ms_association("other").await;
        s.user(&ms, "admin@example.org", "Admin", "admin").await;
        let admin_token = s.login_staff(&ms, "admin@example.org").await;
        let (admin, csrf) = page_sign_in(&s, "admin@example.org", STAFF_PASSWORD).await;
        someone(&s, &ms, "Anna Berg").await;
        someone(&s, &ms, "Johanna").await;
        someone(&s, &ms, "Bert").await;
        s.user(&ms, "mod@example.org", "Hannes Moderator", "moderator").await;
        s.member(&other, "anne@example.org", "Anne Elsewhere", PASSWORD).await;

        let all = page(&s, &admin, "/a/ms/staff/members?lang=en").await;
        for name in ["Anna Berg", "Johanna", "Bert", "Hannes Moderator", "Admin"] {
            assert!(all.contains(&format!("<th scope=\"row\">{name}</th>")), "{db:?}: {name} listed: {all}");
        }
        assert!(!all.contains("Anne Elsewhere"), "{db:?}: never another association's member");

        let search = |text: &'static str, role: &'static str, status: &'static str| {
            let (s, admin, csrf) = (&s, admin.clone(), csrf.clone());
            async move {
                let form = [("csrf", csrf.as_str()), ("pseudonym", text), ("role", role), ("status", status)];
                post_form(s, &admin, "/a/ms/staff/members?lang=en", &form).await
            }
        };
        let (status, html) = search("ANN", "", "").await;
        assert_eq!(status, 200, "{db:?}: {html}");
        for (name, listed) in [("Anna Berg", true), ("Johanna", true), ("Hannes Moderator", true), ("Bert", false)] {
            assert_eq!(
                html.contains(&format!("<th scope=\"row\">{name}</th>")),
                listed,
                "{db:?}: ann → {name}: {html}"
            );
        }
        let (_, html) = search("ann", "moderator", "").await;
        assert!(
            html.contains("<th scope=\"row\">Hannes Moderator</th>") && !html.contains("Johanna"),
            "{db:?}: {html}"
        );
        // LIKE's own characters match themselves, not everyone.
        for wild in ["%", "_", "\\"] {
            let (status, html) = search(wild, "", "").await;
            assert_eq!(status, 422, "{db:?}: {wild} matches nobody");
            assert!(!html.contains("<th scope=\"row\">Bert</th>"), "{db:?}: {wild}: {html}");
        }
        let (status, _) = search("", "emperor", "").await;
        assert_eq!(status, 422, "an unknown role is a problem of the form");
        let (status, _) = search(Box::leak("x".repeat(65).into_boxed_str()), "", "").await;
        assert_eq!(status, 422);

        // Choosing a row (its exact pseudonym) opens the suspension form; suspended members filter.
        let (_, html) = search("Bert", "", "").await;
        let bert_form = html.find("/suspend?lang=en").expect("the suspend form of the chosen member");
        let start = html[..bert_form].rfind("/a/ms/staff/members/").unwrap() + "/a/ms/staff/members/".len();
        let bert = html[start..bert_form].to_owned();
        let (status, _) = post_form(
            &s,
            &admin,
            &format!("/a/ms/staff/members/{bert}/suspend?lang=en"),
            &[("csrf", &csrf), ("note", "spam")],
        )
        .await;
        assert_eq!(status, 303);
        let (_, html) = search("", "", "suspended").await;
        assert!(html.contains("<th scope=\"row\">Bert</th>") && !html.contains("Johanna"), "{db:?}: {html}");
        assert!(!audited(&s, &admin_token, "members.listed").await.is_empty(), "{db:?}: the directory is audited");
        s.stop().await;
    }
}
