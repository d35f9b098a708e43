//! Stylesheet, script and icons, embedded in the binary.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

const CSS: &str = include_str!("../static/kindred.css");
const JS: &str = include_str!("../static/kindred.js");
/// Passkeys (WebAuthn) glue, loaded only by the pages that offer passkeys.
const PASSKEYS_JS: &str = include_str!("../static/passkeys.js");
/// Live delivery for the pages (`GET …/api/v1/live`), loaded for members.
const LIVE_JS: &str = include_str!("../static/live.js");

/// Changes whenever the embedded assets change, for cache busting.
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

pub async fn serve(Path(file): Path<String>) -> Response {
    let (body, kind) = match file.as_str() {
        "kindred.css" => (CSS, "text/css; charset=utf-8"),
        "kindred.js" => (JS, "text/javascript; charset=utf-8"),
        "passkeys.js" => (PASSKEYS_JS, "text/javascript; charset=utf-8"),
        "live.js" => (LIVE_JS, "text/javascript; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    ([(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "public, max-age=3600")], body).into_response()
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
        for script in ["static/kindred.js", "static/passkeys.js"] {
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
