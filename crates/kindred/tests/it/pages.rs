//! Pages: languages, layout landmarks, branding, the 404 page.

use crate::harness::{TestServer, BOTH};

fn lang_of(html: &str) -> Option<&str> {
    let start = html.find("<html lang=\"")? + 12;
    html[start..].split('"').next()
}

#[tokio::test]
async fn pages_render_in_the_chosen_language() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        s.ms_association("ms").await;
        for path in ["/a/ms/", "/a/ms/privacy", "/a/ms/accessibility"] {
            // The association's default is German.
            let html = s.get(path).await.text().await.expect("html");
            assert_eq!(lang_of(&html), Some("de"), "{path}");
            for (accept, lang) in [("nl-NL,nl;q=0.9", "nl"), ("en-GB", "en"), ("fr", "de")] {
                let response = s.client.get(s.url(path)).header("accept-language", accept).send().await.expect("get");
                assert_eq!(response.status(), 200);
                assert_eq!(response.headers().get("content-language").and_then(|v| v.to_str().ok()), Some(lang));
                let html = response.text().await.expect("html");
                assert_eq!(lang_of(&html), Some(lang), "{path} {accept}");
                assert_eq!(html.matches("<h1>").count(), 1, "one h1 on {path}");
                assert!(html.contains("<main id=\"main\""), "main landmark");
                assert!(html.contains("class=\"skip-link\" href=\"#main\""), "skip link");
                assert!(html.contains("aria-current=\"page\""), "current page marked");
            }
            // An explicit choice wins over the browser's.
            let response = s.client.get(s.url(&format!("{path}?lang=en"))).header("accept-language", "nl").send().await;
            let html = response.expect("get").text().await.expect("html");
            assert_eq!(lang_of(&html), Some("en"));
        }
        s.stop().await;
    }
}

#[tokio::test]
async fn no_inline_script_or_style_and_nothing_from_other_hosts() {
    let s = TestServer::start(crate::harness::Db::Sqlite).await;
    s.ms_association("ms").await;
    for path in ["/", "/a/ms/", "/a/ms/privacy", "/a/ms/accessibility", "/a/ms/missing"] {
        let html = s.get(path).await.text().await.expect("html");
        assert!(!html.contains("<script>"), "{path}: inline script");
        assert!(!html.contains("style=\""), "{path}: inline style");
        assert!(!html.contains("<style"), "{path}: style element");
        for attr in ["src=\"http", "href=\"http:", "src=\"//", "href=\"//"] {
            assert!(!html.contains(attr), "{path}: {attr}");
        }
    }
    s.stop().await;
}

#[tokio::test]
async fn branding_comes_from_the_association() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        s.ms_association("ms").await;
        s.association("plain", "Plain", "").await;
        let css = s.get("/a/ms/brand.css").await.text().await.expect("css");
        assert!(css.contains("--brand:#234e8c"), "{css}");
        let logo = s.get("/a/ms/logo").await;
        assert_eq!(logo.status(), 200);
        assert_eq!(logo.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("image/svg+xml"));
        assert!(logo
            .headers()
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.contains("sandbox")));
        assert_eq!(s.get("/a/plain/logo").await.status(), 404);
        let html = s.get("/a/plain/").await.text().await.expect("html");
        assert!(!html.contains("/logo\""), "no logo image without a logo");
        s.stop().await;
    }
}

#[tokio::test]
async fn unknown_pages_get_a_real_404_page() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        s.ms_association("ms").await;
        for (path, lang) in [("/a/ms/nothing-here", "de"), ("/a/unknown/", "en"), ("/nothing", "en")] {
            let response = s.get(path).await;
            assert_eq!(response.status(), 404, "{path}");
            assert!(response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|c| c.starts_with("text/html")));
            let html = response.text().await.expect("html");
            assert_eq!(lang_of(&html), Some(lang), "{path}");
            assert!(html.contains("<h1>"), "{path}");
        }
        s.stop().await;
    }
}

#[tokio::test]
async fn the_root_page_lists_associations_and_prefix_redirects() {
    let s = TestServer::start(crate::harness::Db::Sqlite).await;
    s.ms_association("ms").await;
    let html = s.get("/").await.text().await.expect("html");
    assert!(html.contains("href=\"&#x2f;a&#x2f;ms&#x2f;\"") || html.contains("href=\"/a/ms/\""), "{html}");
    for odd in ["/?lang=de&lang=en", "/?lang=%FF", "/?lang", "/a/ms/?lang=&x="] {
        assert_eq!(s.get(odd).await.status(), 200, "{odd}");
    }
    // NUL in any query parameter is refused before any page reads it
    // (`web::input_guard`): the error page, not a 500.
    let nul = s.get("/a/ms/?lang=&x=%00").await;
    assert_eq!(nul.status(), 422);
    assert!(nul.headers()["content-type"].to_str().unwrap_or_default().starts_with("text/html"));
    let response = s.get("/a/ms").await;
    assert_eq!(response.status(), 308);
    assert_eq!(response.headers().get("location").and_then(|v| v.to_str().ok()), Some("/a/ms/"));
    s.stop().await;
}

#[tokio::test]
async fn an_explicit_language_choice_is_kept_in_the_sites_links() {
    let s = TestServer::start(crate::harness::Db::Sqlite).await;
    s.ms_association("ms").await;
    let html = s.get("/a/ms/?lang=nl").await.text().await.expect("html");
    assert_eq!(lang_of(&html), Some("nl"));
    assert!(html.contains("privacy?lang=nl\""), "nav keeps the choice: {html}");
    let html = s.get("/a/ms/").await.text().await.expect("html");
    assert!(!html.contains("privacy?lang="), "no choice, nothing kept");
    // A language the association does not offer is ignored, not an error.
    let response = s.get("/a/ms/?lang=xx").await;
    assert_eq!(response.status(), 200);
    s.stop().await;
}
