//! Changed terms of use are asked again (issue 20, part 3): once the
//! association's `admission.terms_version` changes, a member who consented
//! to an earlier version is led to `/account/terms` by every page (signing
//! out, the legal pages, their data and erasing the account stay open) and
//! the API answers 403 `terms_not_accepted`, until they accept the current
//! version, which is recorded with its time. Accounts made by staff, which
//! consented to nothing through Kindred, are not asked.

use crate::forum_search::Browser;
use crate::harness::{api_error, TestServer, BOTH};
use crate::members::{call, ok, someone, Someone};
use kindred_domain::MemberId;
use kindred_service::{Association, Clock};
use serde_json::{json, Value};

const SETTINGS: &str = "/a/ms/api/v1/admin/settings";

fn api(path: &str) -> String {
    format!("/a/ms/api/v1{path}")
}

/// A member who registered (and so consented to the terms in force then).
async fn registered(s: &TestServer, ms: &Association, name: &str) -> Someone {
    let who = someone(s, ms, name).await;
    let id = MemberId::parse(&who.id).expect("member id");
    let version = &ms.settings.admission.terms_version;
    s.kindred.store.add_consent(&ms.id, &id, "terms", version, s.clock.now()).await.expect("consent");
    who
}

async fn set_terms_version(s: &TestServer, admin: &str, version: &str) {
    let mut settings = ok(s, admin, "GET", SETTINGS, None).await;
    settings["admission"]["terms_version"] = json!(version);
    let (status, saved) = call(s, admin, "PUT", SETTINGS, Some(settings)).await;
    assert_eq!(status, 200, "{saved}");
}

fn terms_of(consents: &Value) -> Vec<String> {
    consents["consents"]
        .as_array()
        .expect("consents")
        .iter()
        .filter(|c| c["kind"] == "terms")
        .map(|c| c["version"].as_str().expect("version").to_owned())
        .collect()
}

#[tokio::test]
async fn changed_terms_are_asked_again_over_the_api_until_accepted() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let old = ms.settings.admission.terms_version.clone();
        s.user(&ms, "admin@example.org", "Admina", "admin").await;
        let admin = s.login_staff(&ms, "admin@example.org").await;
        let anna = registered(&s, &ms, "Anna").await;

        let me = ok(&s, &anna.token, "GET", &api("/me"), None).await;
        assert_eq!((me["terms_needed"].clone(), me["terms_version"].clone()), (json!(false), json!(old)), "{db:?}");
        ok(&s, &anna.token, "GET", &api("/contacts"), None).await;

        set_terms_version(&s, &admin, "2099-01").await;

        // Community endpoints: 403 with a code; her account and data stay hers.
        let r = s.client.get(s.url(&api("/contacts"))).bearer_auth(&anna.token).send().await.expect("get");
        assert_eq!(api_error(r).await, (403, "terms_not_accepted".to_owned()), "{db:?}");
        let me = ok(&s, &anna.token, "GET", &api("/me"), None).await;
        assert_eq!(me["terms_needed"], true, "{db:?}: {me}");
        assert_eq!(me["terms_version"], "2099-01", "{db:?}");
        ok(&s, &anna.token, "GET", &api("/me/consents"), None).await;
        ok(&s, &anna.token, "GET", &api("/me/access-log"), None).await;
        // The admin was made by staff: never consented here, not asked.
        ok(&s, &admin, "GET", &api("/admin/verifications"), None).await;

        // Only the current version is accepted.
        let (status, body) = call(&s, &anna.token, "POST", &api("/me/terms"), Some(json!({"version": old}))).await;
        assert_eq!((status, body["error"]["code"].clone()), (409, json!("terms_changed")), "{db:?}: {body}");
        let (status, _) = call(&s, &anna.token, "POST", &api("/me/terms"), Some(json!({}))).await;
        assert_eq!(status, 422, "{db:?}: the version is required");
        s.clock.advance(chrono::Duration::minutes(5));
        let accepted = ok(&s, &anna.token, "POST", &api("/me/terms"), Some(json!({"version": "2099-01"}))).await;
        assert_eq!(accepted["kind"], "terms", "{db:?}");
        assert_eq!(accepted["version"], "2099-01", "{db:?}");
        let at: chrono::DateTime<chrono::Utc> = accepted["given_at"].as_str().expect("given_at").parse().expect("time");
        assert_eq!(at, s.clock.now(), "{db:?}: recorded with the time of accepting");

        ok(&s, &anna.token, "GET", &api("/contacts"), None).await;
        let me = ok(&s, &anna.token, "GET", &api("/me"), None).await;
        assert_eq!(me["terms_needed"], false, "{db:?}");
        let consents = ok(&s, &anna.token, "GET", &api("/me/consents"), None).await;
        assert_eq!(terms_of(&consents), vec![old.clone(), "2099-01".to_owned()], "{db:?}: both versions, in order");

        // Withdrawing the terms is erasing the account.
        let (status, body) = call(&s, &anna.token, "DELETE", &api("/me/consents/terms"), None).await;
        assert_eq!((status, body["error"]["code"].clone()), (409, json!("terms_end_with_account")), "{db:?}");

        // Back to the earlier version: asked again, and accepting it works.
        set_terms_version(&s, &admin, &old).await;
        s.clock.advance(chrono::Duration::minutes(5));
        let r = s.client.get(s.url(&api("/contacts"))).bearer_auth(&anna.token).send().await.expect("get");
        assert_eq!(api_error(r).await.1, "terms_not_accepted", "{db:?}");
        ok(&s, &anna.token, "POST", &api("/me/terms"), Some(json!({"version": old}))).await;
        ok(&s, &anna.token, "GET", &api("/contacts"), None).await;
        s.stop().await;
    }
}

#[tokio::test]
async fn pages_lead_to_the_terms_until_accepted_and_leave_sign_out_and_erasure_open() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.user(&ms, "admin@example.org", "Admina", "admin").await;
        let admin = s.login_staff(&ms, "admin@example.org").await;
        let ben_id = MemberId::parse(&registered(&s, &ms, "Ben").await.id).expect("member id");
        let ben = Browser::sign_in(&s, "ben@example.org").await;
        assert_eq!(ben.get("/a/ms/contacts").await.0, 200, "{db:?}");
        let (_, terms) = ben.get("/a/ms/account/terms?lang=en").await;
        assert!(terms.contains("You have accepted version"), "{db:?}: current: {terms}");

        set_terms_version(&s, &admin, "2099-01").await;

        // Every page leads to the terms, and back afterwards.
        let response = s.client.get(s.url("/a/ms/contacts")).header("cookie", &ben.cookie).send().await.expect("get");
        assert_eq!(response.status(), 303, "{db:?}");
        let location = response.headers()["location"].to_str().expect("location").to_owned();
        assert_eq!(location, "/a/ms/account/terms?next=%2Fcontacts", "{db:?}");
        let response = s.client.get(s.url("/a/ms/")).header("cookie", &ben.cookie).send().await.expect("get");
        assert_eq!(response.headers()["location"], "/a/ms/account/terms", "{db:?}");
        let (status, page) = ben.get("/a/ms/account/terms?next=%2Fcontacts&lang=en").await;
        assert_eq!(status, 200, "{db:?}");
        assert!(page.contains("The terms of use have changed"), "{db:?}: {page}");
        assert!(page.contains("Terms of use, version 2099-01"), "{db:?}");
        assert!(page.contains("name=\"version\" value=\"2099-01\""), "{db:?}");
        assert!(page.contains("action=\"/a/ms/sign-out"), "{db:?}: sign-out is offered");
        assert!(page.contains("href=\"/a/ms/account/delete"), "{db:?}: erasure is offered");

        // Still open: the legal pages, the data, the consents, erasure.
        for path in
            ["/a/ms/terms", "/a/ms/privacy", "/a/ms/account/data", "/a/ms/account/consents", "/a/ms/account/delete"]
        {
            assert_eq!(ben.get(path).await.0, 200, "{db:?}: {path}");
        }
        // A post elsewhere is not done.
        let (status, location) = ben.post("/a/ms/profile/consent", &[]).await;
        assert_eq!((status, location.as_str()), (303, "/a/ms/account/terms"), "{db:?}");
        let consents = s.kindred.store.consents(&ms.id, &ben_id).await.expect("consents");
        assert!(consents.iter().all(|c| c.kind == "terms"), "{db:?}: the health consent was not given");

        // A version that is not the current one shows the current terms again.
        let (status, location) = ben.post("/a/ms/account/terms", &[("version", "1999"), ("next", "/contacts")]).await;
        assert_eq!(status, 303, "{db:?}");
        assert_eq!(location, "/a/ms/account/terms?problem=changed&next=%2Fcontacts", "{db:?}");
        assert_eq!(ben.get("/a/ms/contacts").await.0, 303, "{db:?}");

        let (status, location) =
            ben.post("/a/ms/account/terms", &[("version", "2099-01"), ("next", "/contacts")]).await;
        assert_eq!((status, location.as_str()), (303, "/a/ms/contacts"), "{db:?}");
        assert_eq!(ben.get("/a/ms/contacts").await.0, 200, "{db:?}");
        let (_, consents) = ben.get("/a/ms/account/consents?lang=en").await;
        assert!(consents.contains("2099-01"), "{db:?}: the consents page lists the new version");

        // Signing out stays possible for a member who is asked.
        set_terms_version(&s, &admin, "2099-02").await;
        let (status, location) = ben.post("/a/ms/sign-out", &[]).await;
        assert_eq!(status, 303, "{db:?}");
        assert!(!location.contains("/account/terms"), "{db:?}: {location}");
        s.stop().await;
    }
}
