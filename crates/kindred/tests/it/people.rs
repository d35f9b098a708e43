//! People by name, with faces where allowed (issue 14): search results and
//! member pages show a member's photo only where the disclosure rules let
//! the viewer see it, and one neutral placeholder otherwise — the same
//! markup for a photo hidden from the viewer and for no photo at all; the
//! search form folds into a summary of the criteria above the results.

use crate::harness::{TestServer, BOTH};
use crate::members::{befriend, noisy_png, ok, profile, someone, PASSWORD};
use crate::staff_flags::{get, page, page_sign_in};
use serde_json::json;

/// The face markup of the search result that links to `id`: what stands
/// between the result's heading and its link.
fn face_of(html: &str, id: &str) -> String {
    let link = html.find(&format!("/a/ms/members/{id}?lang=en\"")).unwrap_or_else(|| panic!("{id} listed: {html}"));
    let heading = html[..link].rfind("<h3 class=\"with-face\">").expect("the result's heading");
    let face = &html[heading..link];
    face[..face.rfind("<a ").expect("the link")].to_owned()
}

#[tokio::test]
async fn the_placeholder_is_the_same_for_a_hidden_photo_and_for_none() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let hidden = someone(&s, &ms, "Hidda Photo").await;
        let none = someone(&s, &ms, "Nona Photo").await;
        let shown = someone(&s, &ms, "Showa Photo").await;
        let viewer = someone(&s, &ms, "Viewer").await;
        for who in [&hidden, &shown] {
            let put = s.client.put(s.url("/a/ms/api/v1/me/photo")).bearer_auth(&who.token).body(noisy_png(120, 120));
            assert_eq!(put.send().await.unwrap().status(), 204, "{db:?}");
        }
        // Hidden: only for trusted contacts; shown: for acquainted contacts,
        // and the viewer is one (the association's lowest level for photos).
        profile(&s, &hidden, json!({"visibility": {"photo": 3}, "discoverable": true})).await;
        profile(&s, &shown, json!({"visibility": {"photo": 2}, "discoverable": true})).await;
        profile(&s, &none, json!({"discoverable": true})).await;
        befriend(&s, &viewer, 1, &shown, 2).await;

        let (viewer, _) = page_sign_in(&s, "viewer@example.org", PASSWORD).await;
        // (From here on `viewer` is the page cookie.)
        let html = page(&s, &viewer, "/a/ms/members?q=photo&lang=en").await;
        let hidden_face = face_of(&html, &hidden.id);
        let none_face = face_of(&html, &none.id);
        let shown_face = face_of(&html, &shown.id);
        assert_eq!(hidden_face, none_face, "{db:?}: a hidden photo and no photo look the same");
        assert!(hidden_face.contains("<svg class=\"face"), "{db:?}: the placeholder: {hidden_face}");
        assert!(!hidden_face.contains(&hidden.id), "nothing in it names the member");
        assert!(shown_face.contains("<img class=\"face"), "{db:?}: the visible photo: {shown_face}");
        assert!(shown_face.contains(&format!("/a/ms/members/{}/photo", shown.id)), "{shown_face}");
        assert!(!html.contains(&format!("/members/{}/photo", hidden.id)), "{db:?}: no address of the hidden photo");

        // The member pages alike: the same placeholder for both.
        let hidden_page = page(&s, &viewer, &format!("/a/ms/members/{}?lang=en", hidden.id)).await;
        let none_page = page(&s, &viewer, &format!("/a/ms/members/{}?lang=en", none.id)).await;
        let placeholder = |html: &str| {
            let start = html.find("<svg class=\"face").expect("a placeholder");
            html[start..start + html[start..].find("</svg>").unwrap()].to_owned()
        };
        assert_eq!(placeholder(&hidden_page), placeholder(&none_page), "{db:?}");
        assert!(!hidden_page.contains("/photo"), "{db:?}: the hidden photo's address is not on the page");

        // Results come first: the form folds into a summary of the criteria.
        assert!(html.contains("<details class=\"search-criteria\">"), "{db:?}: {html}");
        let criteria = &html[html.find("<details class=\"search-criteria\">").unwrap()..];
        let summary = &criteria[criteria.find("<summary>").unwrap()..criteria.find("</summary>").unwrap()];
        assert!(summary.contains("<q>photo</q>"), "{db:?}: the criteria in the summary: {summary}");
        let first = page(&s, &viewer, "/a/ms/members?lang=en").await;
        assert!(!first.contains("<details class=\"search-criteria\">"), "before a search, the form is open");
        s.stop().await;
    }
}

#[tokio::test]
async fn the_invite_picker_lists_only_members_the_inviter_may_find() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let other = s.ms_association("other").await;
        let anna = someone(&s, &ms, "Anna").await;
        let berta = someone(&s, &ms, "Berta Finder").await;
        let bernd = someone(&s, &ms, "Bernd Blocked").await;
        let beate = someone(&s, &ms, "Beate Blocker").await;
        let benno = someone(&s, &ms, "Benno Hidden").await;
        s.member(&other, "bella@example.org", "Bella Elsewhere", PASSWORD).await;
        for who in [&berta, &bernd, &beate] {
            profile(&s, who, json!({"discoverable": true})).await;
        }
        profile(&s, &benno, json!({"discoverable": false})).await;
        // Anna blocked Bernd; Beate blocked Anna: neither side is found.
        ok(&s, &anna.token, "POST", "/a/ms/api/v1/blocks", Some(json!({"member_id": bernd.id}))).await;
        ok(&s, &beate.token, "POST", "/a/ms/api/v1/blocks", Some(json!({"member_id": anna.id}))).await;
        let group = crate::groups::create(&s, &anna, crate::groups::group("Stiller Kreis", "secret")).await;

        let (cookie, csrf) = page_sign_in(&s, "anna@example.org", PASSWORD).await;
        let before = page(&s, &cookie, &format!("/a/ms/groups/{group}/members?lang=en")).await;
        assert!(before.contains("name=\"pick\""), "{db:?}: the picker's search field: {before}");
        assert!(!before.contains("name=\"member_id\" type=\"text\""), "no field to paste an id into");
        assert!(!before.contains("type=\"radio\" name=\"member_id\""), "no choice before a search");

        let html = page(&s, &cookie, &format!("/a/ms/groups/{group}/members?pick=BE&lang=en")).await;
        assert!(html.contains(&format!("value=\"{}\"", berta.id)), "{db:?}: Berta is a choice: {html}");
        assert!(html.contains("Berta Finder"));
        for (hidden, name) in [(&bernd.id, "Bernd"), (&beate.id, "Beate"), (&benno.id, "Benno")] {
            assert!(!html.contains(hidden.as_str()), "{db:?}: {name} is never listed");
            assert!(!html.contains(name), "{db:?}: {name} is never named");
        }
        assert!(!html.contains("Bella"), "{db:?}: never another association's member");
        assert_eq!(html.matches("type=\"radio\" name=\"member_id\"").count(), 1, "{db:?}: {html}");

        // Nobody found: said so, no empty choice.
        let none = page(&s, &cookie, &format!("/a/ms/groups/{group}/members?pick=benno&lang=en")).await;
        assert!(none.contains("No member you may find has a name like this."), "{db:?}: {none}");
        assert!(!none.contains("type=\"radio\" name=\"member_id\""));

        // The choice invites.
        let response = s
            .client
            .post(s.url(&format!("/a/ms/groups/{group}/invitations?lang=en")))
            .header("cookie", &cookie)
            .form(&[("csrf", csrf.as_str()), ("member_id", berta.id.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "{db:?}");
        let invited = ok(&s, &berta.token, "GET", &format!("/a/ms/api/v1/groups/{group}"), None).await;
        assert_eq!(invited["membership"], "invited", "{db:?}");

        // Someone who may not invite gets no picker, even when asking for one.
        let (berta_cookie, _) = page_sign_in(&s, "berta.finder@example.org", PASSWORD).await;
        let (status, html) =
            crate::staff_flags::get(&s, &berta_cookie, &format!("/a/ms/groups/{group}/members?pick=an&lang=en")).await;
        assert!(!html.contains("name=\"pick\""), "{db:?}: {status}");
        assert!(!html.contains("type=\"radio\" name=\"member_id\""), "{db:?}: no picker results for an invitee");
        s.stop().await;
    }
}

/// Posts a page form with the cookie; (status, Location).
async fn post_page(s: &TestServer, cookie: &str, path: &str, form: &[(&str, &str)]) -> (u16, String) {
    let response = s.client.post(s.url(path)).header("cookie", cookie).form(form).send().await.unwrap();
    let status = response.status().as_u16();
    let location = response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    (status, location)
}

#[tokio::test]
async fn each_part_of_the_profile_is_saved_on_its_own_and_previewed_as_a_contact_sees_it() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        let carla = someone(&s, &ms, "Carla").await;
        crate::members::consent(&s, &anna).await;
        profile(
            &s,
            &anna,
            json!({"fields": {"city": "Kiel", "real_name": "Anna Schmidt", "condition": "ms"},
                   "visibility": {"city": 2, "real_name": 4, "condition": 3}, "discoverable": true}),
        )
        .await;
        let (cookie, csrf) = page_sign_in(&s, "anna@example.org", PASSWORD).await;
        let form = page(&s, &cookie, "/a/ms/profile?lang=en").await;
        for part in ["value=\"about\"", "value=\"health\""] {
            assert!(form.contains(&format!("name=\"section\" {part}")), "{db:?}: the {part} form: {form}");
        }
        assert!(form.contains("type=\"radio\" id=\"v-city-2\" name=\"v-city\" value=\"2\" checked"), "{db:?}: {form}");
        assert!(form.contains("<legend>"), "who may see: a fieldset with a legend");

        // Saving "about me" leaves health alone, even though its fields are not sent.
        let (status, location) = post_page(
            &s,
            &cookie,
            "/a/ms/profile?lang=en",
            &[("csrf", &csrf), ("section", "about"), ("f-city", "Lübeck"), ("v-city", "2"), ("discoverable", "yes")],
        )
        .await;
        assert_eq!(status, 303, "{db:?}: {location}");
        let me = ok(&s, &anna.token, "GET", "/a/ms/api/v1/me", None).await;
        assert_eq!(me["profile"]["city"], "Lübeck", "{db:?}: {me}");
        assert_eq!(me["profile"]["condition"], "ms", "{db:?}: the health part is untouched");
        assert_eq!(
            me["profile"]["real_name"], "Anna Schmidt",
            "{db:?}: a field of the part left out of the post stays"
        );
        // Saving "health" (a cleared condition) leaves "about me" and being found alone.
        // ("About me", the free text, is a health field: it is saved with health.)
        let (status, _) = post_page(
            &s,
            &cookie,
            "/a/ms/profile?lang=en",
            &[("csrf", &csrf), ("section", "health"), ("f-condition", "")],
        )
        .await;
        assert_eq!(status, 303, "{db:?}");
        let me = ok(&s, &anna.token, "GET", "/a/ms/api/v1/me", None).await;
        assert!(me["profile"].get("condition").is_none_or(|c| c.is_null()), "{db:?}: condition cleared: {me}");
        assert_eq!(me["profile"]["city"], "Lübeck", "{db:?}");
        assert_eq!(me["discoverable"], true, "{db:?}: being found belongs to \"about me\"");
        // A part with a wrong value changes nothing of it; the other parts show as stored.
        let (status, _) = post_page(
            &s,
            &cookie,
            "/a/ms/profile?lang=en",
            &[("csrf", &csrf), ("section", "about"), ("f-city", "Neu"), ("f-birth_year", "nineteen")],
        )
        .await;
        assert_eq!(status, 422, "{db:?}");
        let me = ok(&s, &anna.token, "GET", "/a/ms/api/v1/me", None).await;
        assert_eq!(me["profile"]["city"], "Lübeck", "{db:?}: all or nothing");
        let (status, _) =
            post_page(&s, &cookie, "/a/ms/profile?lang=en", &[("csrf", &csrf), ("section", "everything")]).await;
        assert_eq!(status, 303, "an unknown part is no change");

        // "View as one of my contacts": Ben on level 2 sees the city, not the real name.
        befriend(&s, &ben, 1, &anna, 2).await;
        let preview = page(&s, &cookie, "/a/ms/profile/preview?level=1&lang=en").await;
        assert!(preview.contains(&format!("<option value=\"{}\"", ben.id)), "{db:?}: Ben is a choice: {preview}");
        assert!(!preview.contains(&carla.id), "{db:?}: only contacts are choices");
        let as_ben = page(&s, &cookie, &format!("/a/ms/profile/preview?contact={}&lang=en", ben.id)).await;
        assert!(as_ben.contains("How Ben sees you"), "{db:?}: {as_ben}");
        assert!(as_ben.contains("Lübeck"), "{db:?}: level 2 shows the city");
        assert!(!as_ben.contains("Anna Schmidt"), "{db:?}: level 4 stays hidden from Ben");
        // The same as Ben's own look at Anna.
        let seen_by_ben = ok(&s, &ben.token, "GET", &format!("/a/ms/api/v1/members/{}", anna.id), None).await;
        assert_eq!(seen_by_ben["fields"]["city"], "Lübeck", "{db:?}: {seen_by_ben}");
        assert!(seen_by_ben["fields"].get("real_name").is_none(), "{db:?}: {seen_by_ben}");
        // Not a contact, or blocked: nothing to preview.
        for who in [&carla.id, &"not-an-id".to_owned()] {
            let (status, _) = get(&s, &cookie, &format!("/a/ms/profile/preview?contact={who}&lang=en")).await;
            assert_eq!(status, 404, "{db:?}: {who}");
        }
        ok(&s, &ben.token, "POST", "/a/ms/api/v1/blocks", Some(json!({"member_id": anna.id}))).await;
        let (status, _) = get(&s, &cookie, &format!("/a/ms/profile/preview?contact={}&lang=en", ben.id)).await;
        assert_eq!(status, 404, "{db:?}: a block shows nothing");
        s.stop().await;
    }
}
