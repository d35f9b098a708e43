//! service::export_html — the readable `index.html` of a data export,
//! written from the same `data.json` value so that the two never differ.
//! Plain, accessible HTML: `lang`, one `h1`, an `h2` per part, every list
//! a table with a caption and header cells with their scope; no script,
//! no style, nothing loaded from anywhere. Every text is escaped.

use serde_json::Value;
use std::fmt::Write as _;

/// The parts in the order of `data.json` with their headings.
const TITLES: &[(&str, &str)] = &[
    ("account", "Account"),
    ("profile", "Profile and who sees each field"),
    ("consents", "Consents"),
    ("contacts", "Contacts, as each shows themself to you now"),
    ("contact_requests", "Contact requests"),
    ("disclosure_requests", "Requests to see more"),
    ("blocks", "Blocked members"),
    ("groups", "Groups"),
    ("topics", "Topics you opened"),
    ("posts", "Your posts"),
    ("reactions", "Your reactions"),
    ("subscriptions", "Topics you follow"),
    ("events", "Events you created or registered for"),
    ("conversations", "Conversations"),
    ("notifications", "Notifications"),
    ("notification_settings", "E-mail for notifications"),
    ("sessions", "Signed-in sessions"),
    ("passkeys", "Passkeys"),
    ("photo", "Photo"),
    ("staff_accesses", "Staff accesses to your data"),
];

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

fn label(key: &str) -> String {
    let mut text = key.replace('_', " ");
    if let Some(first) = text.get(..1) {
        let upper = first.to_uppercase();
        text.replace_range(..1, &upper);
    }
    escape(&text)
}

/// A scalar as text; nested values as nested lists or tables.
fn cell(out: &mut String, value: &Value, caption: &str) {
    match value {
        Value::Null => out.push('—'),
        Value::Bool(true) => out.push_str("yes"),
        Value::Bool(false) => out.push_str("no"),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => out.push_str(&escape(s)),
        Value::Array(items) if items.iter().all(|i| !i.is_object()) => {
            if items.is_empty() {
                out.push('—');
            } else {
                out.push_str("<ul>");
                for item in items {
                    out.push_str("<li>");
                    cell(out, item, caption);
                    out.push_str("</li>");
                }
                out.push_str("</ul>");
            }
        }
        Value::Array(items) => table(out, items, caption),
        Value::Object(map) => record(out, map, caption),
    }
}

/// An object: one row per key, the key as row header.
fn record(out: &mut String, map: &serde_json::Map<String, Value>, caption: &str) {
    if map.is_empty() {
        out.push('—');
        return;
    }
    let _ = write!(out, "<table><caption>{}</caption><tbody>", escape(caption));
    for (key, value) in map {
        let _ = write!(out, "<tr><th scope=\"row\">{}</th><td>", label(key));
        cell(out, value, key);
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table>");
}

/// A list of objects: one row each, the keys of the first as column headers.
fn table(out: &mut String, items: &[Value], caption: &str) {
    let Some(Value::Object(first)) = items.first() else {
        out.push_str("<p>None.</p>");
        return;
    };
    let columns: Vec<&String> = first.keys().collect();
    let _ = write!(out, "<table><caption>{}</caption><thead><tr>", escape(caption));
    for column in &columns {
        let _ = write!(out, "<th scope=\"col\">{}</th>", label(column));
    }
    out.push_str("</tr></thead><tbody>");
    for item in items {
        out.push_str("<tr>");
        for column in &columns {
            out.push_str("<td>");
            cell(out, item.get(column.as_str()).unwrap_or(&Value::Null), column);
            out.push_str("</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}

/// The whole page.
pub(crate) fn render(data: &Value) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Your data</title></head><body><main><h1>Your data</h1>",
    );
    let text = |key: &str| data.get(key).and_then(Value::as_str).map(escape).unwrap_or_default();
    let _ = write!(
        out,
        "<p>Everything the association <strong>{}</strong> holds about you, exported at {} (UTC). \
         The same data is in <code>data.json</code>; your photo, if you have one, is <code>photo.jpg</code>. \
         Of other members it shows only what you may see of them now.</p>",
        text("association"),
        text("exported_at"),
    );
    out.push_str("<nav aria-label=\"Contents\"><ul>");
    for (key, title) in TITLES {
        let _ = write!(out, "<li><a href=\"#{key}\">{title}</a></li>");
    }
    out.push_str("</ul></nav>");
    for (key, title) in TITLES {
        let _ = write!(out, "<section aria-labelledby=\"{key}\"><h2 id=\"{key}\">{title}</h2>");
        match data.get(*key) {
            Some(Value::Array(items)) if items.is_empty() => out.push_str("<p>None.</p>"),
            Some(Value::Array(items)) => table(&mut out, items, title),
            Some(Value::Object(map)) => record(&mut out, map, title),
            Some(value @ Value::String(_)) if *key == "photo" => {
                out.push_str("<p>In this archive: ");
                cell(&mut out, value, title);
                out.push_str("</p>");
            }
            _ => out.push_str("<p>None.</p>"),
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
        let html = render(&data);
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("a &amp; b"));
        assert!(html.contains("<caption>Your posts</caption>"));
        assert!(html.contains("<th scope=\"col\">Body</th>"));
        assert!(html.contains("<html lang=\"en\">"));
        assert_eq!(html.matches("<h1>").count(), 1);
    }
}
