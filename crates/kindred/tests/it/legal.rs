//! The legal pages (terms of use, imprint, contact) set through the
//! association's settings (`PUT /admin/settings`, the same parser as the
//! file): built-in texts when unset, the association's Markdown rendered
//! safely when set, checked input, links from every page's footer, from
//! registration and from the accessibility statement.

use crate::harness::{TestServer, BOTH};
use crate::members::{call, ok};
use serde_json::json;

const SETTINGS: &str = "/a/ms/api/v1/admin/settings";

async fn page(s: &TestServer, path: &str) -> (u16, String) {
    let response = s.get(path).await;
    let status = response.status().as_u16();
    (status, response.text().await.unwrap().replace("&#x2f;", "/"))
}

#[tokio::test]
async fn legal_pages_show_defaults_then_the_associations_texts() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.user(&ms, "admin@example.org", "Admin", "admin").await;
        let token = s.login_staff(&ms, "admin@example.org").await;

        // Unset: built-in texts, readable signed out (before registering).
        let (status, terms) = page(&s, "/a/ms/terms?lang=en").await;
        assert_eq!(status, 200, "{db:?}");
        assert!(terms.contains("<h1>Terms of use</h1>"), "{db:?}: {terms}");
        let version = ms.settings.admission.terms_version.clone();
        assert!(terms.contains(&format!("Version {version}.")), "{db:?}: the version consented to");
        assert!(terms.contains("not medical advice"), "{db:?}");
        for (path, heading) in [("/a/ms/imprint?lang=de", "Impressum"), ("/a/ms/contact?lang=nl", "Contact")] {
            let (status, html) = page(&s, path).await;
            assert_eq!(status, 200, "{db:?}: {path}");
            assert!(html.contains(&format!("<h1>{heading}</h1>")), "{db:?}: {html}");
            assert!(!html.contains("mailto:"), "{db:?}: no address set");
        }
        // The footer of every association page links them; registration links the terms.
        let (_, home) = page(&s, "/a/ms/").await;
        for path in ["/a/ms/terms", "/a/ms/imprint", "/a/ms/contact", "/a/ms/privacy", "/a/ms/accessibility"] {
            assert!(home.contains(&format!("href=\"{path}\"")), "{db:?}: {path} in the footer");
        }
        let (_, register) = page(&s, "/a/ms/register").await;
        assert!(register.contains("href=\"/a/ms/terms\""), "{db:?}: registration links the terms");
        let (_, statement) = page(&s, "/a/ms/accessibility").await;
        assert!(statement.contains("href=\"/a/ms/contact\""), "{db:?}: where to report barriers");

        // Set through the settings API: Markdown, rendered by the safe writer.
        let mut settings = ok(&s, &token, "GET", SETTINGS, None).await;
        assert!(settings.get("legal").is_some(), "{db:?}: the [legal] table round-trips: {settings}");
        settings["legal"] = json!({
            "terms": {"de": "# Regeln\n\nSeid nett. <script>alert(1)</script>", "en": "# Rules\n\nBe kind."},
            "imprint": "MS Test e. V., Musterstraße 1, 12345 Berlin. [Register](javascript:alert(1))",
            "contact": {"de": "Schreiben Sie uns."},
            "contact_email": "kontakt@ms.example",
        });
        settings["admission"]["terms_version"] = json!("2027-02");
        let (status, saved) = call(&s, &token, "PUT", SETTINGS, Some(settings.clone())).await;
        assert_eq!(status, 200, "{db:?}: {saved}");
        assert_eq!(saved["legal"]["contact_email"], "kontakt@ms.example");

        let (_, terms) = page(&s, "/a/ms/terms?lang=de").await;
        assert!(terms.contains("<h3>Regeln</h3>"), "{db:?}: Markdown headings below the page's: {terms}");
        assert!(terms.contains("Fassung 2027-02."), "{db:?}");
        assert!(!terms.contains("<script>alert"), "{db:?}: raw HTML is shown as text");
        let (_, english) = page(&s, "/a/ms/terms?lang=en").await;
        assert!(english.contains("Be kind."), "{db:?}: the text in the page's language");
        let (_, imprint) = page(&s, "/a/ms/imprint").await;
        assert!(imprint.contains("Musterstraße 1"), "{db:?}");
        assert!(!imprint.contains("javascript:"), "{db:?}: no script links: {imprint}");
        // A language without its own text falls back to the default language's.
        let (_, contact) = page(&s, "/a/ms/contact?lang=nl").await;
        assert!(contact.contains("Schreiben Sie uns."), "{db:?}");
        assert!(contact.contains("href=\"mailto:kontakt@ms.example\""), "{db:?}");
        let (_, statement) = page(&s, "/a/ms/accessibility").await;
        assert!(statement.contains("href=\"mailto:kontakt@ms.example\""), "{db:?}: barriers are reported there");

        // Wrong values: 422 naming the setting, nothing changes.
        for (legal, field) in [
            (json!({"contact_email": "not an address"}), "legal.contact_email"),
            (json!({"terms": {"de": "x".repeat(60_001)}}), "legal.terms.de"),
            (json!({"imprint": {"fr": "Mentions légales"}}), "legal.imprint.fr"),
            (json!({"imprint": "   "}), "legal.imprint"),
            (json!({"cookies": "yes"}), "legal"),
        ] {
            let mut wrong = settings.clone();
            wrong["legal"] = legal.clone();
            let (status, answer) = call(&s, &token, "PUT", SETTINGS, Some(wrong)).await;
            assert_eq!(status, 422, "{db:?}: {legal} → {answer}");
            let fields = answer["error"]["fields"].as_object().expect("fields");
            assert!(fields.keys().any(|k| k.starts_with(field)), "{db:?}: {field} named in {answer}");
        }
        let (_, contact) = page(&s, "/a/ms/contact").await;
        assert!(contact.contains("mailto:kontakt@ms.example"), "{db:?}: unchanged");

        // Emptied again: the built-in texts come back.
        settings["legal"] = json!({});
        assert_eq!(call(&s, &token, "PUT", SETTINGS, Some(settings)).await.0, 200);
        let (_, terms) = page(&s, "/a/ms/terms?lang=en").await;
        assert!(terms.contains("not medical advice"), "{db:?}");
        s.stop().await;
    }
}
