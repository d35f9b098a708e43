//! Stylesheet and scripts, embedded in the binary and precompressed at
//! build time (`build.rs`: gzip and brotli, content-hashed names).
//!
//! The pages link `/static/{name}.{hash}.{ext}`; such an address never
//! changes its content, so it is cached for a year as `immutable`. The plain
//! name (`/static/kindred.css`) keeps working with short caching, for pages
//! that caches kept from before a release; a hash that is not the current
//! one is 404 (it would be the wrong content under an immutable name).

use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// One asset as `build.rs` made it.
pub(crate) struct Asset {
    /// The plain file name (`kindred.css`).
    name: &'static str,
    /// The name with the content hash (`kindred.3f2a9c01be.css`).
    hashed: &'static str,
    /// The content hash: 10 hex digits of the SHA-256 of `plain`.
    hash: &'static str,
    content_type: &'static str,
    plain: &'static [u8],
    gzip: &'static [u8],
    brotli: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

#[cfg(test)]
const CSS: &str = include_str!("../static/kindred.css");

/// The names the pages link, below `/static/` (content-hashed; a name
/// without `/`, so that the templates' escaping leaves it as it is).
#[derive(serde::Serialize, Clone, Copy, Debug)]
pub struct HashedNames {
    pub css: &'static str,
    pub js: &'static str,
    pub passkeys: &'static str,
    pub live: &'static str,
    pub call: &'static str,
}

/// The hashed name of the asset `name`; the plain one should the table lack it.
fn hashed(name: &'static str) -> &'static str {
    ASSETS.iter().find(|a| a.name == name).map_or(name, |a| a.hashed)
}

pub fn hashed_names() -> HashedNames {
    HashedNames {
        css: hashed("kindred.css"),
        js: hashed("kindred.js"),
        passkeys: hashed("passkeys.js"),
        live: hashed("live.js"),
        call: hashed("call.js"),
    }
}

/// A year: the longest that caches honour. Safe because the name changes with the content.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// The plain names may change their content with a release.
const SHORT: &str = "public, max-age=3600";

/// The encodings of an asset that a client may get.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

/// The `q` value a client gives `coding` in `Accept-Encoding` (RFC 9110
/// §12.5.3): its own entry, else `*`, else 0 (not acceptable). A value
/// that does not parse counts as 1, as for an entry without `q`.
fn quality(accept: &str, coding: &str) -> f32 {
    let mut wildcard = None;
    for entry in accept.split(',') {
        let mut parts = entry.split(';');
        let name = parts.next().unwrap_or_default().trim();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q=").or_else(|| p.trim().strip_prefix("Q=")))
            .map(|v| v.trim().parse::<f32>().unwrap_or(1.0))
            .next()
            .unwrap_or(1.0);
        if name.eq_ignore_ascii_case(coding) {
            return q;
        }
        if name == "*" {
            wildcard = Some(q);
        }
    }
    wildcard.unwrap_or(0.0)
}

/// Brotli (the smallest), else gzip, else the plain bytes; `q=0` refuses a coding.
fn choose(headers: &HeaderMap) -> Encoding {
    let accept = headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or("");
    if quality(accept, "br") > 0.0 {
        Encoding::Brotli
    } else if quality(accept, "gzip") > 0.0 || quality(accept, "x-gzip") > 0.0 {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

/// The asset a request names: a plain name (short caching) or a hashed one
/// (immutable); `None` for anything else, an old hash included.
fn find(file: &str) -> Option<(&'static Asset, &'static str)> {
    ASSETS.iter().find_map(|asset| {
        if file == asset.name {
            return Some((asset, SHORT));
        }
        (file == asset.hashed).then_some((asset, IMMUTABLE))
    })
}

pub async fn serve(Path(file): Path<String>, headers: HeaderMap) -> Response {
    let Some((asset, cache)) = find(&file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let encoding = choose(&headers);
    let (body, coding, etag) = match encoding {
        Encoding::Brotli => (asset.brotli, Some("br"), format!("\"{}-br\"", asset.hash)),
        Encoding::Gzip => (asset.gzip, Some("gzip"), format!("\"{}-gz\"", asset.hash)),
        Encoding::Identity => (asset.plain, None, format!("\"{}\"", asset.hash)),
    };
    let mut response =
        if if_none_match(&headers, &etag) { StatusCode::NOT_MODIFIED.into_response() } else { body.into_response() };
    let out = response.headers_mut();
    out.insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type));
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    out.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        out.insert(header::ETAG, value);
    }
    if let Some(coding) = coding {
        out.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
    }
    response
}

/// Whether the client's cached copy (`If-None-Match`) is this representation.
fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| tag.trim() == etag || tag.trim() == "*")
}

#[cfg(test)]
mod serving {
    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn brotli_else_gzip_else_plain_and_q0_refuses() {
        assert_eq!(choose(&HeaderMap::new()), Encoding::Identity);
        assert_eq!(choose(&accept("gzip, deflate, br")), Encoding::Brotli);
        assert_eq!(choose(&accept("gzip")), Encoding::Gzip);
        assert_eq!(choose(&accept("br;q=0, gzip;q=0.5")), Encoding::Gzip);
        assert_eq!(choose(&accept("br;q=0, gzip;q=0")), Encoding::Identity);
        assert_eq!(choose(&accept("*")), Encoding::Brotli);
        assert_eq!(choose(&accept("*;q=0, identity")), Encoding::Identity);
        assert_eq!(choose(&accept("deflate")), Encoding::Identity);
    }

    #[test]
    fn hashed_names_are_immutable_and_an_old_hash_is_unknown() {
        let css = hashed("kindred.css");
        assert!(css.starts_with("kindred.") && css.ends_with(".css") && css.len() == "kindred..css".len() + 10);
        let (asset, cache) = find(css).unwrap();
        assert_eq!((asset.name, cache), ("kindred.css", IMMUTABLE));
        assert_eq!(find("kindred.css").map(|(_, c)| c), Some(SHORT));
        assert!(find("kindred.0000000000.css").is_none());
        assert!(find("other.css").is_none());
        for asset in ASSETS {
            assert!(asset.brotli.len() < asset.plain.len() && asset.gzip.len() < asset.plain.len(), "{}", asset.name);
        }
    }
}

/// Every class the markup uses is styled: the templates, the HTML written
/// in Rust (the Markdown renderer's mentions, the statistics chart) and
/// the classes kindred.js gives to what it creates. A class that the
/// stylesheet lacks is unfinished markup (issue 14) and fails here, so
/// that it cannot land again. The screenshot comparison in the browser
/// suite checks how the styled pages look.
#[cfg(test)]
mod style_check {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};

    /// The class selectors of a stylesheet (`.name`), comments left out.
    fn css_classes(css: &str) -> BTreeSet<String> {
        let mut text = String::new();
        let mut rest = css;
        while let Some(start) = rest.find("/*") {
            text.push_str(&rest[..start]);
            rest = rest[start..].find("*/").map_or("", |end| &rest[start + end + 2..]);
        }
        text.push_str(rest);
        let mut found = BTreeSet::new();
        let bytes = text.as_bytes();
        for (i, b) in bytes.iter().enumerate() {
            // A dot that starts a class: not in a number such as `0.5rem`.
            if *b != b'.' || bytes.get(i + 1).is_none_or(|c| !(c.is_ascii_alphabetic() || *c == b'_' || *c == b'-')) {
                continue;
            }
            let name: String =
                text[i + 1..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
            found.insert(name);
        }
        found
    }

    /// The values of `attribute="…"` in `text`, with template tags
    /// (`{% … %}`, `{# … #}`) taken out first, so that
    /// `class="field{% if error %} field-invalid{% endif %}"` counts both.
    /// `quote` is `"` in templates and `\"` in Rust string literals.
    fn attribute_values(text: &str, attribute: &str, quote: &str) -> Vec<String> {
        let mut plain = String::new();
        let mut rest = text;
        while let Some(start) = rest.find(['{']) {
            let (open, close) = match rest[start..].get(..2) {
                Some("{%") => ("{%", "%}"),
                Some("{#") => ("{#", "#}"),
                _ => {
                    plain.push_str(&rest[..=start]);
                    rest = &rest[start + 1..];
                    continue;
                }
            };
            plain.push_str(&rest[..start]);
            let after = &rest[start + open.len()..];
            rest = after.find(close).map_or("", |end| &after[end + close.len()..]);
            plain.push(' ');
        }
        plain.push_str(rest);
        let marker = format!("{attribute}={quote}");
        let mut values = Vec::new();
        let mut rest = plain.as_str();
        while let Some(start) = rest.find(&marker) {
            let value = &rest[start + marker.len()..];
            let end = value.find(quote).unwrap_or(value.len());
            values.push(value[..end].to_owned());
            rest = &value[end..];
        }
        values
    }

    /// The class names of `class` attribute values. A name built from an
    /// expression (`input-{{ width }}`) stands for its literal start
    /// (`input-`), which some class of the stylesheet must begin with.
    fn class_names(values: &[String]) -> Vec<String> {
        let mut names = Vec::new();
        for value in values {
            let mut literal = String::new();
            let mut rest = value.as_str();
            while let Some(start) = rest.find("{{") {
                literal.push_str(&rest[..start]);
                literal.push('\u{1}');
                rest = rest[start..].find("}}").map_or("", |end| &rest[start + end + 2..]);
            }
            literal.push_str(rest);
            for name in literal.split_whitespace() {
                let name = name.split('\u{1}').next().unwrap_or_default();
                if !name.is_empty() {
                    names.push(if literal.contains(&format!("{name}\u{1}")) {
                        format!("{name}*")
                    } else {
                        name.to_owned()
                    });
                }
            }
        }
        names
    }

    fn files(dir: &Path, ending: &str, into: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                files(&path, ending, into);
            } else if path.to_string_lossy().ends_with(ending) {
                into.push(path);
            }
        }
    }

    fn styled(name: &str, css: &BTreeSet<String>) -> bool {
        match name.strip_suffix('*') {
            Some(prefix) => css.iter().any(|c| c.starts_with(prefix) && c.len() > prefix.len()),
            None => css.contains(name),
        }
    }

    /// Where each class is used: template files, Rust sources, the script.
    fn used_classes() -> BTreeMap<String, BTreeSet<String>> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut used: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut add = |names: Vec<String>, file: &Path| {
            for name in names {
                used.entry(name).or_default().insert(file.display().to_string());
            }
        };
        let mut templates = Vec::new();
        files(&root.join("templates"), ".html", &mut templates);
        assert!(templates.len() > 50, "the templates were not found");
        for file in &templates {
            let text = std::fs::read_to_string(file).unwrap();
            add(class_names(&attribute_values(&text, "class", "\"")), file);
        }
        let mut sources = Vec::new();
        files(&root.join("src"), ".rs", &mut sources);
        files(&root.join("../kindred-domain/src"), ".rs", &mut sources);
        files(&root.join("../kindred-service/src"), ".rs", &mut sources);
        for file in &sources {
            let text = std::fs::read_to_string(file).unwrap();
            // Not this check's own examples.
            if file.ends_with("assets.rs") {
                continue;
            }
            add(class_names(&attribute_values(&text, "class", "\\\"")), file);
        }
        for script in ["static/kindred.js", "static/passkeys.js", "static/live.js", "static/call.js"] {
            let file = root.join(script);
            let text = std::fs::read_to_string(&file).unwrap();
            let mut names = Vec::new();
            for part in text.split("className = \"").skip(1) {
                names.extend(part.split('"').next().unwrap_or_default().split_whitespace().map(str::to_owned));
            }
            add(names, &file);
        }
        used
    }

    #[test]
    fn every_class_the_markup_uses_is_in_the_stylesheet() {
        let css = css_classes(super::CSS);
        let used = used_classes();
        // The check finds what it must: forum markup and generated HTML.
        for expected in ["post", "post-head", "reactions", "badge", "mention", "search-results", "input-*"] {
            assert!(used.contains_key(expected), "the check no longer finds the class {expected}");
        }
        let missing: Vec<String> = used
            .iter()
            .filter(|(name, _)| !styled(name, &css))
            .map(|(name, files)| format!("{name} (in {})", files.iter().cloned().collect::<Vec<_>>().join(", ")))
            .collect();
        assert!(missing.is_empty(), "classes without a rule in static/kindred.css:\n  {}", missing.join("\n  "));
    }

    #[test]
    fn the_renderers_html_uses_only_styled_classes() {
        let css = css_classes(super::CSS);
        let resolve = |name: &str| Some(kindred_domain::markdown::Mention { label: name.to_owned(), href: None });
        let rendered = kindred_domain::markdown::render("Hello @anna, see `code`\n\n> quoted\n\n- a\n- b", &resolve);
        let names = class_names(&attribute_values(&rendered.html, "class", "\""));
        assert!(names.iter().any(|n| n == "mention"), "{}", rendered.html);
        for name in names {
            assert!(styled(&name, &css), "the renderer writes class {name}, which the stylesheet lacks");
        }
    }

    #[test]
    fn the_extraction_sees_through_template_tags_and_expressions() {
        let values = attribute_values(
            r#"<p class="a{% if x %} b{% endif %}">{# class="c" #}<i class="input-{{ w }}">"#,
            "class",
            "\"",
        );
        assert_eq!(class_names(&values), vec!["a", "b", "input-*"]);
        let css = css_classes("/* .gone */ .a, p.b:hover { margin: 0.5rem } .input-short{}");
        assert_eq!(css.into_iter().collect::<Vec<_>>(), vec!["a", "b", "input-short"]);
    }
}
