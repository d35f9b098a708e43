//! Compression and BREACH (issue 21), on both databases: pages and JSON
//! come back brotli or gzip when asked and plain when not; the static assets
//! under content-hashed names, immutable and precompressed, an unknown hash
//! 404; the CSRF value masked afresh in every response, every masked value
//! accepted and a tampered one refused; a page that shows a secret never
//! compressed; the live socket still opens for a client that asks for
//! compression.

use crate::harness::{TestServer, BOTH};
use crate::members::{someone, PASSWORD};
use kindred_service::sessions::csrf_token;
use reqwest::header::HeaderMap;
use std::io::Read;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

/// Signs in on the pages of `ms`: the session token of the cookie.
async fn page_session(s: &TestServer, email: &str) -> String {
    let response = s
        .client
        .post(s.url("/a/ms/sign-in"))
        .form(&[("email", email), ("password", PASSWORD)])
        .send()
        .await
        .expect("sign in");
    assert_eq!(response.status(), 303, "sign-in as {email}");
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("__Host-kindred-ms="))
        .and_then(|v| v.split(';').next())
        .expect("session cookie")
        .to_owned()
}

/// A GET with the session (if any) and `Accept-Encoding` (if any): status,
/// headers and the body as sent (not decoded).
async fn fetch(s: &TestServer, path: &str, session: Option<&str>, accept: Option<&str>) -> (u16, HeaderMap, Vec<u8>) {
    let mut request = s.client.get(s.url(path));
    if let Some(token) = session {
        request = request.header("cookie", format!("__Host-kindred-ms={token}"));
    }
    if let Some(accept) = accept {
        request = request.header("accept-encoding", accept);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.bytes().await.expect("body").to_vec())
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// The body decoded by its `Content-Encoding`.
fn decode(headers: &HeaderMap, body: &[u8]) -> Vec<u8> {
    let mut plain = Vec::new();
    match header(headers, "content-encoding").as_deref() {
        Some("br") => brotli::Decompressor::new(body, 4096).read_to_end(&mut plain).expect("brotli"),
        Some("gzip") => flate2::read::GzDecoder::new(body).read_to_end(&mut plain).expect("gzip"),
        None => return body.to_vec(),
        Some(other) => panic!("unexpected encoding {other}"),
    };
    plain
}

/// The values of the hidden `csrf` fields of a page.
fn csrf_values(html: &str) -> Vec<String> {
    html.split("name=\"csrf\" value=\"").skip(1).filter_map(|rest| rest.split('"').next()).map(str::to_owned).collect()
}

/// Asks for `path` with brotli, gzip and nothing: each comes back in the
/// encoding asked for, and all three decode to the same text.
async fn compressed_each_way(s: &TestServer, path: &str, session: Option<&str>, looks_like: &str) {
    let mut texts = Vec::new();
    for (accept, expected) in [
        (Some("gzip, deflate, br"), Some("br")),
        (Some("gzip"), Some("gzip")),
        (Some("br;q=0, gzip;q=0"), None),
        (None, None),
    ] {
        let (status, headers, body) = fetch(s, path, session, accept).await;
        assert_eq!(status, 200, "{path} with {accept:?}");
        assert_eq!(header(&headers, "content-encoding").as_deref(), expected, "{path} with {accept:?}");
        if expected.is_some() {
            let vary = header(&headers, "vary").unwrap_or_default().to_ascii_lowercase();
            assert!(vary.contains("accept-encoding"), "{path}: vary {vary}");
        }
        let text = String::from_utf8(decode(&headers, &body)).expect("utf-8");
        assert!(text.contains(looks_like), "{path} with {accept:?}: {text}");
        texts.push((text.len(), body.len()));
    }
    let (plain, _) = texts[3];
    assert!(texts[0].1 * 2 < plain && texts[1].1 * 2 < plain, "{path}: compressed to half at least: {texts:?}");
}

#[tokio::test]
async fn pages_and_json_come_back_compressed_when_asked() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        someone(&s, &ms, "Anna").await;
        let session = page_session(&s, "anna@example.org").await;
        compressed_each_way(&s, "/a/ms/", Some(&session), "</html>").await;
        compressed_each_way(&s, "/a/ms/sign-in", None, "</html>").await;
        compressed_each_way(&s, "/api/v1/openapi.json", None, "\"openapi\"").await;
        s.stop().await;
    }
}

#[tokio::test]
async fn csrf_values_are_masked_afresh_and_every_one_is_accepted() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        someone(&s, &ms, "Anna").await;
        let session = page_session(&s, "anna@example.org").await;
        let page = |accept| {
            let s = &s;
            let session = &session;
            async move {
                let (status, headers, body) = fetch(s, "/a/ms/account/preferences", Some(session), accept).await;
                assert_eq!(status, 200);
                csrf_values(&String::from_utf8(decode(&headers, &body)).expect("utf-8"))
            }
        };
        let (first, second) = (page(Some("br")).await, page(None).await);
        assert!(first.len() >= 2, "the menu's sign-out form and the page's form: {first:?}");
        let all: Vec<&String> = first.iter().chain(&second).collect();
        for (i, value) in all.iter().enumerate() {
            assert_eq!(value.len(), 80, "{value}");
            assert!(!value.contains(&csrf_token(&session)), "the bare token is in no page");
            assert!(all[i + 1..].iter().all(|other| other != value), "{db:?}: every value differs: {all:?}");
        }

        let post = |csrf: String| {
            let s = &s;
            let session = &session;
            async move {
                s.client
                    .post(s.url("/a/ms/account/preferences"))
                    .header("cookie", format!("__Host-kindred-ms={session}"))
                    .form(&[("csrf", csrf.as_str()), ("language", "en"), ("time_zone", "Europe/Berlin")])
                    .send()
                    .await
                    .expect("post")
                    .status()
                    .as_u16()
            }
        };
        assert_eq!(post(first[0].clone()).await, 303, "{db:?}: a value of the first page");
        assert_eq!(post(second[1].clone()).await, 303, "{db:?}: a value of the second page");
        // One digit changed, in the pad or in the masked token: refused.
        for at in [0, 79] {
            let mut tampered = first[1].clone().into_bytes();
            tampered[at] = if tampered[at] == b'a' { b'b' } else { b'a' };
            assert_eq!(post(String::from_utf8(tampered).expect("ascii")).await, 403, "{db:?}: tampered at {at}");
        }
        // The bare token (pages from before the masking) stays accepted.
        assert_eq!(post(csrf_token(&session)).await, 303, "{db:?}: the unmasked token");

        // The API's X-CSRF-Token takes the masked values too.
        let logout = |csrf: String| {
            let s = &s;
            let session = &session;
            async move {
                s.client
                    .post(s.url("/a/ms/api/v1/auth/logout"))
                    .header("cookie", format!("__Host-kindred-ms={session}"))
                    .header("x-csrf-token", csrf)
                    .send()
                    .await
                    .expect("logout")
                    .status()
                    .as_u16()
            }
        };
        let mut tampered = second[0].clone();
        tampered.replace_range(40..41, if &tampered[40..41] == "0" { "1" } else { "0" });
        assert_eq!(logout(tampered).await, 403, "{db:?}");
        assert_eq!(logout(second[0].clone()).await, 204, "{db:?}");
        s.stop().await;
    }
}

/// The address a page links for an asset (`/static/kindred.<hash>.css`).
fn linked(html: &str, prefix: &str) -> String {
    let start = html.find(prefix).unwrap_or_else(|| panic!("{prefix} in {html}"));
    let rest = &html[start + prefix.len()..];
    format!("{prefix}{}", rest.split('"').next().expect("address"))
}

#[tokio::test]
async fn static_assets_are_hashed_immutable_and_precompressed() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        s.ms_association("ms").await;
        let (_, _, page) = fetch(&s, "/a/ms/sign-in", None, None).await;
        let page = String::from_utf8(page).expect("utf-8");
        assert!(!page.contains("?v="), "no more version query strings");
        let css = linked(&page, "href=\"/static/kindred.").trim_start_matches("href=\"").to_owned();
        let js = linked(&page, "src=\"/static/kindred.").trim_start_matches("src=\"").to_owned();
        for (url, looks_like) in [(css, "{"), (js, "function")] {
            let hash = url.split('.').nth(1).expect("hash");
            assert_eq!(hash.len(), 10, "{url}");
            assert!(hash.chars().all(|c| c.is_ascii_hexdigit()), "{url}");
            let (status, plain_headers, plain) = fetch(&s, &url, None, None).await;
            assert_eq!(status, 200, "{url}");
            assert_eq!(header(&plain_headers, "content-encoding"), None);
            assert!(String::from_utf8_lossy(&plain).contains(looks_like));
            for (accept, encoding) in [("br, gzip", "br"), ("gzip", "gzip"), ("br;q=0, gzip", "gzip")] {
                let (status, headers, body) = fetch(&s, &url, None, Some(accept)).await;
                assert_eq!(status, 200, "{url}");
                assert_eq!(header(&headers, "content-encoding").as_deref(), Some(encoding), "{url} {accept}");
                assert_eq!(
                    header(&headers, "cache-control").as_deref(),
                    Some("public, max-age=31536000, immutable"),
                    "{url}"
                );
                assert_eq!(header(&headers, "vary").as_deref(), Some("Accept-Encoding"), "{url}");
                assert!(body.len() * 2 < plain.len(), "{url}: {encoding} is {} of {}", body.len(), plain.len());
                assert_eq!(decode(&headers, &body), plain, "{url}: {encoding} decodes to the file");
                // A cached copy is confirmed without the body.
                let etag = header(&headers, "etag").expect("etag");
                let again = s
                    .client
                    .get(s.url(&url))
                    .header("accept-encoding", accept)
                    .header("if-none-match", &etag)
                    .send()
                    .await
                    .expect("again");
                assert_eq!(again.status(), 304, "{url}");
            }
        }
        // The old plain name works, with short caching; an unknown hash does not.
        let (status, headers, _) = fetch(&s, "/static/kindred.css", None, Some("br")).await;
        assert_eq!(status, 200);
        assert_eq!(header(&headers, "cache-control").as_deref(), Some("public, max-age=3600"));
        assert_eq!(header(&headers, "content-encoding").as_deref(), Some("br"));
        assert_eq!(fetch(&s, "/static/kindred.0123456789.css", None, None).await.0, 404);
        assert_eq!(fetch(&s, "/static/nothing.css", None, None).await.0, 404);
        s.stop().await;
    }
}

#[tokio::test]
async fn pages_that_show_a_secret_are_never_compressed() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        someone(&s, &ms, "Anna").await;
        let session = page_session(&s, "anna@example.org").await;
        // The calendar feed page shows the feed's secret address.
        let (status, headers, body) = fetch(&s, "/a/ms/account/calendar-feed", Some(&session), Some("br, gzip")).await;
        assert_eq!(status, 200, "{db:?}");
        assert_eq!(header(&headers, "content-encoding"), None, "{db:?}: the feed page");
        let html = String::from_utf8_lossy(&body).replace("&#x2f;", "/");
        assert!(html.contains("/api/v1/calendar-feeds/"), "{db:?}: the page shows the address: {html}");
        // The authenticator app's set-up shows its secret and QR code.
        let csrf = {
            let (_, headers, body) = fetch(&s, "/a/ms/account/two-factor", Some(&session), Some("br")).await;
            csrf_values(&String::from_utf8(decode(&headers, &body)).expect("utf-8")).pop().expect("csrf")
        };
        let start = s
            .client
            .post(s.url("/a/ms/account/two-factor/start"))
            .header("cookie", format!("__Host-kindred-ms={session}"))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .expect("start");
        assert_eq!(start.status(), 303, "{db:?}");
        let (status, headers, body) = fetch(&s, "/a/ms/account/two-factor", Some(&session), Some("br, gzip")).await;
        assert_eq!(status, 200, "{db:?}");
        assert_eq!(header(&headers, "content-encoding"), None, "{db:?}: the set-up page");
        let text = String::from_utf8(body).expect("utf-8");
        assert!(text.contains("class=\"secret\""), "{db:?}: the set-up page shows the secret: {text}");
        s.stop().await;
    }
}

#[tokio::test]
async fn the_live_socket_opens_for_a_client_that_asks_for_compression() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna").await;
        let url = format!("{}/a/ms/api/v1/live", s.base.replacen("http://", "ws://", 1));
        let mut request = url.into_client_request().expect("request");
        request.headers_mut().insert("authorization", format!("Bearer {}", anna.token).parse().expect("header"));
        request.headers_mut().insert("accept-encoding", "gzip, deflate, br".parse().expect("header"));
        let (_socket, response) = tokio_tungstenite::connect_async(request).await.expect("the socket opens");
        assert_eq!(response.status(), 101, "{db:?}");
        assert!(response.headers().get("content-encoding").is_none(), "{db:?}");
        s.stop().await;
    }
}
