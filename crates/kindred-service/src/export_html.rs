//! service::export_html — the readable `index.html` of a data export,
//! written from the same `data.json` value so that the two never differ.
//! Plain, accessible HTML: `lang`, one `h1`, an `h2` per part, every list
//! a table with a caption and header cells with their scope; no script,
//! no style, nothing loaded from anywhere. Every text is escaped.
//!
//! The page is in the member's language (their stored preference, else the
//! association's default): its words are Fluent messages, as the pages'
//! are, in `crates/kindred-service/locales/*/export.ftl` (`export-part-*`
//! for the parts, `export-field-*` for the keys of `data.json`, which stay
//! English; a key without a message is shown as itself, in words).

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{static_loader, LanguageIdentifier, Loader};
use kindred_domain::Language;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use unic_langid::langid;

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static DE: LanguageIdentifier = langid!("de");
static EN: LanguageIdentifier = langid!("en");
static NL: LanguageIdentifier = langid!("nl");

/// The parts in the order of `data.json`.
const PARTS: &[&str] = &[
    "account",
    "quiet_hours",
    "verification",
    "letter",
    "profile",
    "consents",
    "contacts",
    "contact_requests",
    "disclosure_requests",
    "blocks",
    "groups",
    "topics",
    "posts",
    "post_edits",
    "topic_reads",
    "reports",
    "reactions",
    "subscriptions",
    "events",
    "event_reminders",
    "calendar_feed",
    "articles",
    "conversations",
    "conversations_left",
    "calls",
    "notifications",
    "mails_sent",
    "notification_settings",
    "sessions",
    "passkeys",
    "photo",
    "staff_flags",
    "staff_accesses",
];

/// The words of the page in one language.
struct Words {
    language: &'static LanguageIdentifier,
}

impl Words {
    fn new(language: Language) -> Self {
        let language = match language {
            Language::De => &DE,
            Language::En => &EN,
            Language::Nl => &NL,
        };
        Self { language }
    }

    fn get(&self, key: &str) -> String {
        LOCALES.lookup(self.language, key)
    }

    fn with(&self, key: &str, args: &[(&str, String)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue<'static>> =
            args.iter().map(|(k, v)| (Cow::Owned((*k).to_owned()), FluentValue::from(v.clone()))).collect();
        LOCALES.lookup_with_args(self.language, key, &args)
    }

    fn part(&self, key: &str) -> String {
        self.get(&format!("export-part-{key}"))
    }

    /// A key of `data.json` in words: its message, else the key itself.
    fn label(&self, key: &str) -> String {
        match LOCALES.try_lookup(self.language, &format!("export-field-{key}")) {
            Some(text) => text,
            None => humane(key),
        }
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn humane(key: &str) -> String {
    let mut text = key.replace('_', " ");
    if let Some(first) = text.get(..1) {
        let upper = first.to_uppercase();
        text.replace_range(..1, &upper);
    }
    text
}

/// A scalar as text; nested values as nested lists or tables.
fn cell(out: &mut String, words: &Words, value: &Value, caption: &str) {
    match value {
        Value::Null => out.push('—'),
        Value::Bool(true) => out.push_str(&escape(&words.get("export-yes"))),
        Value::Bool(false) => out.push_str(&escape(&words.get("export-no"))),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => out.push_str(&escape(s)),
        Value::Array(items) if items.iter().all(|i| !i.is_object()) => {
            if items.is_empty() {
                out.push('—');
            } else {
                out.push_str("<ul>");
                for item in items {
                    out.push_str("<li>");
                    cell(out, words, item, caption);
                    out.push_str("</li>");
                }
                out.push_str("</ul>");
            }
        }
        Value::Array(items) => table(out, words, items, caption),
        Value::Object(map) => record(out, words, map, caption),
    }
}

/// An object: one row per key, the key as row header.
fn record(out: &mut String, words: &Words, map: &serde_json::Map<String, Value>, caption: &str) {
    if map.is_empty() {
        out.push('—');
        return;
    }
    let _ = write!(out, "<table><caption>{}</caption><tbody>", escape(caption));
    for (key, value) in map {
        let _ = write!(out, "<tr><th scope=\"row\">{}</th><td>", escape(&words.label(key)));
        cell(out, words, value, &words.label(key));
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table>");
}

/// A list of objects: one row each, every key of any of them as a column
/// header (a value absent from one row — hidden from the member, or not
/// there — leaves its cell empty).
fn table(out: &mut String, words: &Words, items: &[Value], caption: &str) {
    let mut columns: Vec<&String> = Vec::new();
    for item in items {
        if let Value::Object(map) = item {
            for key in map.keys() {
                if !columns.contains(&key) {
                    columns.push(key);
                }
            }
        }
    }
    if columns.is_empty() {
        let _ = write!(out, "<p>{}</p>", escape(&words.get("export-none")));
        return;
    }
    let _ = write!(out, "<table><caption>{}</caption><thead><tr>", escape(caption));
    for column in &columns {
        let _ = write!(out, "<th scope=\"col\">{}</th>", escape(&words.label(column)));
    }
    out.push_str("</tr></thead><tbody>");
    for item in items {
        out.push_str("<tr>");
        for column in &columns {
            out.push_str("<td>");
            cell(out, words, item.get(column.as_str()).unwrap_or(&Value::Null), &words.label(column));
            out.push_str("</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}

/// The whole page, in `language`.
pub(crate) fn render(data: &Value, language: Language) -> String {
    let words = Words::new(language);
    let title = escape(&words.get("export-title"));
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title></head><body><main><h1>{title}</h1>",
        language.code(),
    );
    let text = |key: &str| data.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
    let intro =
        words.with("export-intro", &[("association", text("association")), ("exported_at", text("exported_at"))]);
    let _ = write!(out, "<p>{}</p>", escape(&intro));
    let _ = write!(out, "<nav aria-label=\"{}\"><ul>", escape(&words.get("export-contents")));
    for key in PARTS {
        let _ = write!(out, "<li><a href=\"#{key}\">{}</a></li>", escape(&words.part(key)));
    }
    out.push_str("</ul></nav>");
    let none = escape(&words.get("export-none"));
    for key in PARTS {
        let title = words.part(key);
        let _ = write!(out, "<section aria-labelledby=\"{key}\"><h2 id=\"{key}\">{}</h2>", escape(&title));
        match data.get(*key) {
            Some(Value::Array(items)) if items.is_empty() => {
                let _ = write!(out, "<p>{none}</p>");
            }
            Some(Value::Array(items)) => table(&mut out, &words, items, &title),
            Some(Value::Object(map)) => record(&mut out, &words, map, &title),
            Some(value @ Value::String(_)) if *key == "photo" => {
                let _ = write!(out, "<p>{} ", escape(&words.get("export-in-archive")));
                cell(&mut out, &words, value, &title);
                out.push_str("</p>");
            }
            _ => {
                let _ = write!(out, "<p>{none}</p>");
            }
        }
        out.push_str("</section>");
    }
    out.push_str("</main></body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escapes_and_uses_tables_with_captions() {
        let data = json!({
            "association": "demo",
            "exported_at": "2026-01-01T00:00:00Z",
            "account": {"pseudonym": "<script>alert(1)</script>"},
            "posts": [{"body": "a & b", "number": 1}],
            "photo": null,
        });
        let html = render(&data, Language::En);
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("a &amp; b"));
        assert!(html.contains("<caption>Your posts</caption>"));
        assert!(html.contains("<th scope=\"col\">Text</th>"), "body in words");
        assert!(html.contains("<html lang=\"en\">"));
        assert_eq!(html.matches("<h1>").count(), 1);
    }

    #[test]
    fn a_column_absent_from_the_first_row_still_shows() {
        let data = json!({"conversations_left": [{"message_id": "a"}, {"message_id": "b", "body": "LATER-BODY"}]});
        let html = render(&data, Language::En);
        assert!(html.contains("LATER-BODY"), "{html}");
    }

    #[test]
    fn german_for_a_member_who_chose_german_with_english_keys_in_the_data() {
        let data = json!({
            "association": "Verein",
            "exported_at": "2026-01-01T00:00:00Z",
            "account": {"pseudonym": "Anna", "discoverable": true, "unheard_of_key": 1},
            "posts": [],
        });
        let html = render(&data, Language::De);
        assert!(html.contains("<html lang=\"de\">"), "{html}");
        assert!(html.contains("<h1>Ihre Daten</h1>"), "{html}");
        assert!(html.contains("<caption>Konto</caption>"), "{html}");
        assert!(html.contains("<th scope=\"row\">In der Suche auffindbar</th><td>ja</td>"), "{html}");
        assert!(html.contains("der Verein Verein"), "{html}");
        assert!(html.contains("Unheard of key"), "a key without words is shown as itself: {html}");
        assert!(html.contains("Keine."), "{html}");
        assert!(!html.contains("Your data"), "{html}");
        let english = render(&data, Language::En);
        assert!(english.contains("<h1>Your data</h1>") && english.contains("Can be found in search"));
    }
}
