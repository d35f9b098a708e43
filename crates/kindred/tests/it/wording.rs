//! Wording that follows the association and the member: the German form of
//! address ("Sie" or "du", `form_of_address`, set through the settings API
//! and the settings page, which share one parser) on the pages a member sees
//! most and in notification mails, and aliases drawn in the member's language.

use crate::administration::{form_of, post_form, with};
use crate::forum_search::Browser;
use crate::groups::{create, group};
use crate::harness::{TestServer, BOTH, STAFF_PASSWORD};
use crate::members::{call, ok, someone};
use crate::staff_flags::{page, page_sign_in};
use kindred_domain::alias;
use kindred_domain::Language;
use serde_json::json;

const SETTINGS: &str = "/a/ms/api/v1/admin/settings";

/// Pages a member sees most, each with a text in the "Sie" and the "du" form.
const PAGES: [(&str, &str, &str); 6] = [
    ("/a/ms/?lang=de", "Neu für Sie", "Neu für dich"),
    ("/a/ms/forum?lang=de", "Tauschen Sie sich mit anderen Mitgliedern aus", "Tausch dich mit anderen Mitgliedern aus"),
    ("/a/ms/profile?lang=de", "Bei jeder Angabe entscheiden Sie", "Bei jeder Angabe entscheidest du"),
    ("/a/ms/account?lang=de", "Ihre Einstellungen", "Deine Einstellungen"),
    (
        "/a/ms/notifications?lang=de",
        "Noch keine Benachrichtigungen. Sie bekommen",
        "Noch keine Benachrichtigungen. Du bekommst",
    ),
    ("/a/ms/groups?lang=de", "Offenen Gruppen treten Sie sofort bei", "Offenen Gruppen trittst du sofort bei"),
];

#[tokio::test]
async fn german_pages_say_sie_or_du_as_the_association_chose() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.user(&ms, "admin@example.org", "Admin", "admin").await;
        let token = s.login_staff(&ms, "admin@example.org").await;
        someone(&s, &ms, "Anna").await;
        let anna = Browser::sign_in(&s, "anna@example.org").await;

        // By default "Sie", in the file's form and the API's.
        let settings = ok(&s, &token, "GET", SETTINGS, None).await;
        assert_eq!(settings["form_of_address"], "sie", "{db:?}: {settings}");
        for (path, sie, du) in PAGES {
            let (status, html) = anna.get(path).await;
            assert_eq!(status, 200, "{db:?}: {path}");
            assert!(html.contains(sie), "{db:?}: {sie:?} on {path}");
            assert!(!html.contains(du), "{db:?}: {du:?} on {path}");
        }
        let (_, home) = anna.get("/a/ms/?lang=de").await;
        assert!(home.contains("Ihre Privatsphäre"), "{db:?}: the navigation");

        // A wrong value: 422 naming the setting, nothing changes.
        let mut wrong = settings.clone();
        wrong["form_of_address"] = json!("ihr");
        let (status, error) = call(&s, &token, "PUT", SETTINGS, Some(wrong)).await;
        assert_eq!(status, 422, "{db:?}: {error}");
        assert!(error.to_string().contains("form_of_address"), "{db:?}: {error}");

        // "du" through the settings page (the same parser as file and API).
        let (cookie, _) = page_sign_in(&s, "admin@example.org", STAFF_PASSWORD).await;
        let general = "/a/ms/staff/settings/general?lang=de";
        let html = page(&s, &cookie, general).await;
        assert!(html.contains("Anrede auf Deutsch") && html.contains("name=\"form_of_address\""), "{db:?}: {html}");
        let form = with(form_of(&html), &[("form_of_address", "du"), ("action", "save")]);
        let (status, location, body) = post_form(&s, &cookie, general, &form).await;
        assert_eq!(status, 303, "{db:?}: {body}");
        assert!(location.contains("done=settings-saved"), "{db:?}: {location}");
        let after = ok(&s, &token, "GET", SETTINGS, None).await;
        let mut expected = settings.clone();
        expected["form_of_address"] = json!("du");
        assert_eq!(after, expected, "{db:?}: only the form of address changed");

        for (path, sie, du) in PAGES {
            let (status, html) = anna.get(path).await;
            assert_eq!(status, 200, "{db:?}: {path}");
            assert!(html.contains(du), "{db:?}: {du:?} on {path}");
            assert!(!html.contains(sie), "{db:?}: {sie:?} on {path}");
        }
        let (_, home) = anna.get("/a/ms/?lang=de").await;
        assert!(home.contains("Deine Privatsphäre"), "{db:?}: the navigation");
        assert!(home.contains("Zum Inhalt springen"), "{db:?}: texts without a du form stay German");
        // Other languages have one form.
        let (_, english) = anna.get("/a/ms/forum?lang=en").await;
        assert!(english.contains("Talk with other members"), "{db:?}");

        // And back through the API.
        let (status, _) = call(&s, &token, "PUT", SETTINGS, Some(settings)).await;
        assert_eq!(status, 200, "{db:?}");
        let (_, home) = anna.get("/a/ms/?lang=de").await;
        assert!(home.contains("Neu für Sie"), "{db:?}");
        s.stop().await;
    }
}

#[tokio::test]
async fn aliases_are_drawn_in_the_members_language() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        let carl = someone(&s, &ms, "Carl").await;
        // Anna keeps the association's language (de); Ben chose Dutch, Carl English.
        for (who, language) in [(&ben, "nl"), (&carl, "en")] {
            let body = json!({"language": language});
            ok(&s, &who.token, "PUT", "/a/ms/api/v1/me/preferences", Some(body)).await;
        }
        let mut body = group("Leise Runde", "open");
        body["alias_mode"] = json!(true);
        let id = create(&s, &anna, body).await;
        for who in [&ben, &carl] {
            ok(&s, &who.token, "POST", &format!("/a/ms/api/v1/groups/{id}/join"), None).await;
        }
        for (who, language) in [(&anna, Language::De), (&ben, Language::Nl), (&carl, Language::En)] {
            let view = ok(&s, &who.token, "GET", &format!("/a/ms/api/v1/groups/{id}"), None).await;
            let alias = view["my_alias"].as_str().unwrap_or_default();
            assert!(alias::drawn_in(alias, language), "{db:?}: {alias:?} is not {language:?}");
        }
        s.stop().await;
    }
}
