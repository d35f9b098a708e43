//! The community pages without JavaScript: profile (with the health-data
//! consent and the photo), "how others see me", member search, a member's
//! page with contact actions, and the contacts page. Two members sign in
//! with the page cookie and post the forms as a browser without script
//! would; a field one of them hides must be absent from the other's HTML
//! until the level is raised, and gone again at once when it is lowered.

use crate::harness::{TestServer, BOTH};
use kindred_service::sessions::csrf_token;

const PASSWORD: &str = "correct horse battery";
const SECRET: &str = "Segelfreundin-vom-Nordstrand";

/// A 4 × 4 PNG.
const PNG: [u8; 73] = [
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 4, 0, 0, 0, 4, 8, 2, 0, 0, 0, 38, 147, 9,
    41, 0, 0, 0, 16, 73, 68, 65, 84, 120, 156, 99, 56, 224, 160, 0, 71, 12, 196, 113, 0, 222, 67, 18, 1, 83, 174, 78,
    63, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

/// A member signed in with the page cookie.
struct Browser<'a> {
    s: &'a TestServer,
    cookie: String,
    csrf: String,
}

impl Browser<'_> {
    async fn sign_in<'a>(s: &'a TestServer, email: &str) -> Browser<'a> {
        let response = s
            .client
            .post(s.url("/a/ms/sign-in"))
            .form(&[("email", email), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "sign-in as {email}");
        let token = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| v.strip_prefix("__Host-kindred-ms="))
            .and_then(|v| v.split(';').next())
            .expect("session cookie")
            .to_owned();
        Browser { s, cookie: format!("__Host-kindred-ms={token}"), csrf: csrf_token(&token) }
    }

    async fn get(&self, path: &str) -> (u16, String) {
        let response = self.s.client.get(self.s.url(path)).header("cookie", &self.cookie).send().await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }

    /// A page that must render: 200, one h1, the main landmark.
    async fn page(&self, path: &str) -> String {
        let (status, html) = self.get(path).await;
        assert_eq!(status, 200, "GET {path}: {html}");
        assert_eq!(html.matches("<h1").count(), 1, "one h1 on {path}");
        assert!(html.contains("<main id=\"main\""), "main landmark on {path}");
        assert!(!html.contains("style=\""), "no inline style on {path}");
        html
    }

    /// Posts a form with the CSRF token; returns status and Location.
    async fn post(&self, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
        let mut form: Vec<(&str, &str)> = vec![("csrf", &self.csrf)];
        form.extend_from_slice(fields);
        let response =
            self.s.client.post(self.s.url(path)).header("cookie", &self.cookie).form(&form).send().await.unwrap();
        let location = response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        (response.status().as_u16(), location)
    }

    async fn post_ok(&self, path: &str, fields: &[(&str, &str)], done: &str) {
        let (status, location) = self.post(path, fields).await;
        assert_eq!(status, 303, "POST {path}");
        assert!(location.contains(&format!("done={done}")), "POST {path} → {location}");
    }
}

/// The id between `before` and the next `/` or `"`.
fn id_after(html: &str, before: &str) -> String {
    let start = html.find(before).unwrap_or_else(|| panic!("{before} not in page")) + before.len();
    html[start..].split(['/', '"']).next().unwrap().to_owned()
}

#[tokio::test]
async fn community_pages_work_without_javascript_and_show_only_what_levels_allow() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna_id = s.member(&ms, "anna@example.org", "Anna Nordlicht", PASSWORD).await;
        let ben_id = s.member(&ms, "ben@example.org", "Ben Bergauf", PASSWORD).await;
        let anna = Browser::sign_in(&s, "anna@example.org").await;
        let ben = Browser::sign_in(&s, "ben@example.org").await;
        let condition = ms.settings.catalog.conditions[0].name.get(kindred_domain::Language::De).to_owned();

        // Signed out: to the sign-in page. Without the token: refused.
        let signed_out = s.get("/a/ms/profile").await;
        assert_eq!(signed_out.status(), 303);
        for csrf in ["", "forged"] {
            let response = s
                .client
                .post(s.url("/a/ms/profile/consent"))
                .header("cookie", &anna.cookie)
                .form(&[("csrf", csrf)])
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 403, "{db:?}: a missing or wrong CSRF token is refused");
        }

        // The navigation leads to the new pages.
        let html = anna.page("/a/ms/profile").await;
        for path in ["/profile", "/members", "/contacts"] {
            assert!(
                html.contains(&format!("ms&#x2f;{}\"", &path[1..])) || html.contains(&format!("ms{path}\"")),
                "{path} in nav"
            );
        }
        // Health fields need the consent first: the form does not offer them yet.
        assert!(html.contains("/profile/consent"), "{db:?}: consent button");
        assert!(!html.contains("name=\"f-about\""), "{db:?}: no health field before the consent");
        let (status, _) = anna.post("/a/ms/profile", &[("f-about", SECRET), ("v-about", "3")]).await;
        assert_eq!(status, 303, "{db:?}: health values without consent are ignored, not stored");
        assert!(!anna.page("/a/ms/profile").await.contains(SECRET));

        anna.post_ok("/a/ms/profile/consent", &[], "consent-given").await;
        let html = anna.page("/a/ms/profile").await;
        assert!(html.contains("name=\"f-about\""), "{db:?}: health fields after the consent");
        assert!(html.contains("<legend>"), "checkbox groups in a fieldset with a legend");

        // An invalid value: shown again (422) with the message at its field.
        let response = s
            .client
            .post(s.url("/a/ms/profile"))
            .header("cookie", &anna.cookie)
            .form(&[("csrf", anna.csrf.as_str()), ("f-birth_year", "neunzehn"), ("f-about", SECRET)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("id=\"f-birth_year-error\""), "{db:?}: error at the field");
        assert!(
            html.contains("aria-describedby=\"f-birth_year-hint f-birth_year-error\""),
            "{db:?}: error tied to the field"
        );
        assert!(html.contains(SECRET), "{db:?}: the values are kept");

        // Too open for the association: the real name may not go below level 3.
        let (status, _) = anna.post("/a/ms/profile", &[("f-real_name", "Anna Schmidt"), ("v-real_name", "1")]).await;
        assert_eq!(status, 422, "{db:?}: more open than allowed");

        anna.post_ok(
            "/a/ms/profile",
            &[
                ("f-about", SECRET),
                ("v-about", "3"),
                ("f-condition", "ms"),
                ("v-condition", "1"),
                ("lists", "therapies"),
                ("f-therapies", "physiotherapy"),
                ("f-therapies", "psychotherapy"),
                ("v-therapies", "1"),
                ("discoverable", "yes"),
            ],
            "profile-saved",
        )
        .await;
        let html = anna.page("/a/ms/profile").await;
        assert!(html.contains(SECRET), "{db:?}: saved");
        assert!(html.contains("value=\"physiotherapy\" checked"), "{db:?}: therapies ticked");

        // How others see me.
        assert!(!anna.page("/a/ms/profile/preview?level=1").await.contains(SECRET));
        assert!(!anna.page("/a/ms/profile/preview?level=2").await.contains(SECRET));
        let preview = anna.page("/a/ms/profile/preview?level=3").await;
        assert!(preview.contains(SECRET) && preview.contains(&condition), "{db:?}: preview at level 3");

        // Ben sees the community level only.
        let anna_page = format!("/a/ms/members/{anna_id}");
        let html = ben.page(&anna_page).await;
        assert!(html.contains("Anna Nordlicht") && html.contains(&condition), "{db:?}: level-1 fields");
        assert!(!html.contains(SECRET), "{db:?}: a level-3 field leaked on level 1");

        // Search finds Anna by a criterion she shows to everyone.
        let html = ben.page("/a/ms/members?q=&condition=ms").await;
        assert!(html.contains("Anna Nordlicht"), "{db:?}: found");
        assert!(!html.contains(SECRET));
        let (status, html) = ben.get("/a/ms/members?condition=no_such_thing&min_age=abc").await;
        assert_eq!(status, 422);
        assert!(html.contains("id=\"s-condition-error\"") && html.contains("id=\"s-min_age-error\""));
        ben.page("/a/ms/members").await;

        // Ben asks to become contacts and places Anna on level 2.
        ben.post_ok(
            &format!("{anna_page}/contact-request"),
            &[("message", "Hallo Anna!"), ("level", "2")],
            "request-sent",
        )
        .await;
        let (status, location) =
            ben.post(&format!("{anna_page}/contact-request"), &[("message", ""), ("level", "1")]).await;
        assert!(status == 303 && location.contains("problem=request-pending"), "{db:?}: {location}");
        assert!(ben.page("/a/ms/contacts").await.contains("Anna Nordlicht"), "outgoing request listed");

        // Anna accepts, placing Ben on level 3: the hidden field appears.
        let html = anna.page("/a/ms/contacts").await;
        assert!(html.contains("Hallo Anna!"), "{db:?}: the message");
        let request = id_after(&html, "/contacts/requests/");
        anna.post_ok(&format!("/a/ms/contacts/requests/{request}/accept"), &[("level", "3")], "request-accepted").await;
        assert!(ben.page(&anna_page).await.contains(SECRET), "{db:?}: visible on level 3");

        // Lowered to 2: gone at once, everywhere.
        anna.post_ok(&format!("/a/ms/members/{ben_id}/level"), &[("level", "2")], "level-changed").await;
        assert!(!ben.page(&anna_page).await.contains(SECRET), "{db:?}: still visible after lowering");
        assert!(!ben.page("/a/ms/members?q=Anna").await.contains(SECRET));

        // Step by step: Ben asks for level 3, Anna grants it.
        ben.post_ok(&format!("{anna_page}/ask-level"), &[("level", "3")], "level-asked").await;
        let html = anna.page("/a/ms/contacts").await;
        let ask = id_after(&html, "/contacts/disclosures/");
        anna.post_ok(&format!("/a/ms/contacts/disclosures/{ask}/accept"), &[("level", "3")], "disclosure-accepted")
            .await;
        assert!(ben.page(&anna_page).await.contains(SECRET), "{db:?}: visible again after the raise");
        ben.page("/a/ms/contacts").await;

        // The photo: uploaded as multipart/form-data, shown from level 2 on.
        let boundary = "----kindredtestboundary";
        let mut body = Vec::new();
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n", anna.csrf)
                .as_bytes(),
        );
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"me.png\"\r\nContent-Type: image/png\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(&PNG);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let response = s
            .client
            .post(s.url("/a/ms/profile/photo"))
            .header("cookie", &anna.cookie)
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "{db:?}: photo upload");
        let (status, _) = ben.get(&format!("{anna_page}/photo")).await;
        assert_eq!(status, 404, "{db:?}: the photo is private by default");
        anna.post_ok("/a/ms/profile", &[("v-photo", "2")], "profile-saved").await;
        let response =
            s.client.get(s.url(&format!("{anna_page}/photo"))).header("cookie", &ben.cookie).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "image/jpeg");
        assert!(ben.page(&anna_page).await.contains("alt=\"Foto von Anna Nordlicht\""), "{db:?}: alt text");

        // Ben blocks Anna: gone for both, listed with "unblock".
        ben.post_ok(&format!("{anna_page}/block"), &[("confirm", "1")], "blocked").await;
        assert_eq!(ben.get(&anna_page).await.0, 404, "{db:?}: blocked member is a 404");
        assert_eq!(anna.get(&format!("/a/ms/members/{ben_id}")).await.0, 404);
        let html = ben.page("/a/ms/contacts").await;
        assert!(html.contains("Anna Nordlicht"), "{db:?}: listed as blocked");
        ben.post_ok(&format!("/a/ms/members/{anna_id}/unblock"), &[], "unblocked").await;
        let html = ben.page(&anna_page).await;
        assert!(!html.contains(SECRET), "{db:?}: the contact ended with the block");

        // Unknown members are the normal 404 page.
        let (status, html) = ben.get("/a/ms/members/aaaaaaaaaaaaaaaaaaaaaaaaaa").await;
        assert_eq!(status, 404);
        assert!(html.contains("<h1"));
        s.stop().await;
    }
}

/// The pages promise only what is true. Lowering a contact's level sends
/// them no message, but they see less from then on and their page about
/// the member names the level they are on now: the form says exactly that
/// (and not that they are "not told"), in all three languages. The privacy
/// page promises no data export, no account deletion and no private
/// messages, which do not exist.
#[tokio::test]
async fn the_level_form_and_the_privacy_page_say_what_happens() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna_id = s.member(&ms, "anna@example.org", "Anna Nordlicht", PASSWORD).await;
        let ben_id = s.member(&ms, "ben@example.org", "Ben Bergauf", PASSWORD).await;
        let anna = Browser::sign_in(&s, "anna@example.org").await;
        let ben = Browser::sign_in(&s, "ben@example.org").await;
        // Isolation marks around Fluent arguments are not text.
        let text = |html: String| html.replace(['\u{2068}', '\u{2069}'], "");

        // They become contacts; Anna places Ben on level 3, then lowers him to 1 with the form.
        let anna_token = s.login("ms", "anna@example.org", PASSWORD).await;
        let ben_token = s.login("ms", "ben@example.org", PASSWORD).await;
        let request = crate::members::ok(
            &s,
            &anna_token,
            "POST",
            "/a/ms/api/v1/contacts/requests",
            Some(serde_json::json!({"to": ben_id, "message": "Hallo!", "level": 3})),
        )
        .await;
        let request = request["request_id"].as_str().expect("request id").to_owned();
        let accept = format!("/a/ms/api/v1/contacts/requests/{request}/accept");
        crate::members::ok(&s, &ben_token, "POST", &accept, Some(serde_json::json!({"level": 1}))).await;
        let expected = [
            (
                "en",
                "gets no message, but from then on sees only what the lower level shows",
                "is not told when you lower it",
            ),
            (
                "de",
                "bekommt das andere Mitglied keine Nachricht, sieht aber von da an nur noch",
                "erfährt das andere Mitglied es nicht",
            ),
            (
                "nl",
                "krijgt het andere lid geen bericht, maar ziet het vanaf dan alleen nog",
                "hoort het andere lid dat niet",
            ),
        ];
        for (lang, says, never) in expected {
            let html = text(anna.page(&format!("/a/ms/members/{ben_id}?lang={lang}")).await);
            assert!(html.contains(says) && !html.contains(never), "{db:?} {lang}: {html}");
        }
        anna.post_ok(
            &format!("/a/ms/members/{ben_id}/level"),
            &[("level", "1"), ("back_to", &ben_id)],
            "level-changed",
        )
        .await;
        // Ben's page about Anna: exactly what he sees now.
        let level_one =
            ms.settings.level_name(kindred_domain::Level::Community, kindred_domain::Language::En).to_owned();
        let html = text(ben.page(&format!("/a/ms/members/{anna_id}?lang=en")).await);
        let now = format!("Anna Nordlicht shows you what members on Level 1: {level_one} see.");
        assert!(html.contains(&now), "{db:?}: {now} in {html}");

        // The privacy page, signed out, in every language.
        let promises = [
            ("en", ["download", "delete your account", "private messages"]),
            ("de", ["herunterladen", "Konto löschen", "privaten Nachrichten"]),
            ("nl", ["downloaden", "account verwijderen", "privéberichten"]),
        ];
        for (lang, never) in promises {
            let response = s.get(&format!("/a/ms/privacy?lang={lang}")).await;
            assert_eq!(response.status(), 200, "{db:?} {lang}");
            let html = text(response.text().await.unwrap());
            for promise in never {
                assert!(!html.contains(promise), "{db:?} {lang}: {promise} is promised in {html}");
            }
        }
        s.stop().await;
    }
}
