//! The finishing touches on the OpenAPI document, applied once to the
//! document utoipa generated from the handlers:
//!
//! * the answers every operation of a kind gives are declared here once,
//!   from the operation's shape, instead of by hand on every handler: 404
//!   everywhere (an unknown association), 401 and 403 where a bearer token
//!   is required (no or a stale token; not verified, no pseudonym yet, staff
//!   only, a cookie without its CSRF header), 400/413/415/422 where there is
//!   a request body (malformed JSON, too large, not JSON, fields wrong), 400
//!   and 422 where there are query parameters; every 429 names its `Retry-After`
//!   header. A handler's own description of a status wins.
//! * enumerations and lengths of fields whose Rust type is a plain string
//!   ([`CONSTRAINTS`]); a unit test proves each named property exists.
//!
//! Schema names are unique by construction: a unit test reads every
//! `ToSchema` type of this crate and fails on a name used twice (utoipa
//! would silently let the last one win, and an operation would be
//! documented with another's shape).

use serde_json::{json, Value};

/// What an error answer looks like: the documented error body.
fn error_answer(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}
    })
}

/// The answers an operation of this shape gives besides its own.
fn standard_answers(path: &str, operation: &Value) -> Vec<(&'static str, &'static str)> {
    let mut answers = vec![("404", "No such association, or nothing here for you")];
    if path.contains('{') {
        answers[0] = ("404", "No such association, or no such thing (for you)");
    }
    let secured = operation["security"]
        .as_array()
        .is_some_and(|s| s.iter().any(|r| r.as_object().is_some_and(|r| !r.is_empty())));
    if secured {
        answers.push(("401", "No valid bearer token (or session cookie)"));
        answers.push((
            "403",
            "Not allowed: not verified yet, no pseudonym yet, second factor required, staff only, \
             or a session cookie without its X-CSRF-Token",
        ));
    }
    if operation.get("requestBody").is_some() {
        answers.push(("400", "The body is not valid JSON"));
        answers.push(("413", "The body is too large"));
        answers.push(("415", "The body is not JSON (Content-Type: application/json)"));
        answers.push(("422", "Some fields are invalid (`error.fields` says which and why)"));
    }
    let has_query = operation["parameters"].as_array().is_some_and(|p| p.iter().any(|p| p["in"] == "query"));
    if has_query {
        answers.push((
            "400",
            "The query string is malformed (for lists of filters a repeated parameter is not: the last one counts)",
        ));
        answers.push(("422", "Some parameters are invalid (`error.fields` says which and why)"));
    }
    answers
}

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Enumerations and lengths: (schema, property, constraint as JSON Schema).
pub(crate) const CONSTRAINTS: &[(&str, &str, &str)] = &[
    ("ReportBody", "target_type", r#"{"enum": ["post", "topic", "message"]}"#),
    ("ReportBody", "kind", r#"{"enum": ["abuse", "spam", "medical_advice", "crisis", "other", null]}"#),
    ("ReportBody", "reason", r#"{"maxLength": 1000}"#),
    ("ReportBody", "details", r#"{"maxLength": 2000}"#),
    ("ReportFiled", "kind", r#"{"enum": ["abuse", "spam", "medical_advice", "crisis", "other"]}"#),
    ("QueueReport", "kind", r#"{"enum": ["abuse", "spam", "medical_advice", "crisis", "other"]}"#),
    ("QueueReport", "status", r#"{"enum": ["open", "resolved", "dismissed"]}"#),
    ("TargetEntry", "type", r#"{"enum": ["post", "topic"]}"#),
    ("ModerationActionEntry", "target_type", r#"{"enum": ["post", "topic", "report"]}"#),
    ("ResolveBody", "resolution", r#"{"enum": ["resolved", "dismissed"]}"#),
    ("ResolveBody", "note", r#"{"maxLength": 500}"#),
    ("ReasonBody", "reason", r#"{"minLength": 1, "maxLength": 500}"#),
    ("MoveBody", "reason", r#"{"minLength": 1, "maxLength": 500}"#),
    ("MeResponse", "role", r#"{"enum": ["admin", "moderator", "professional", "member"]}"#),
    ("MeResponse", "status", r#"{"enum": ["email_unconfirmed", "unverified", "active", "suspended"]}"#),
    ("SessionView", "kind", r#"{"enum": ["web", "api"]}"#),
    ("AccountStatusResponse", "status", r#"{"enum": ["email_unconfirmed", "unverified", "active", "suspended"]}"#),
    ("GroupMembershipStatus", "status", r#"{"enum": ["none", "requested", "invited", "member", "moderator"]}"#),
];

/// The finished document.
pub(crate) fn complete(mut doc: Value) -> Value {
    if let Some(paths) = doc["paths"].as_object_mut() {
        for (path, item) in paths.iter_mut() {
            for method in METHODS {
                let Some(operation) = item.get_mut(method) else { continue };
                let answers = standard_answers(path, operation);
                let Some(responses) = operation["responses"].as_object_mut() else { continue };
                for (status, description) in answers {
                    responses.entry(status).or_insert_with(|| error_answer(description));
                }
                if let Some(throttled) = responses.get_mut("429") {
                    throttled["headers"]["Retry-After"] = json!({
                        "description": "Seconds to wait before trying again",
                        "schema": {"type": "integer", "minimum": 0}
                    });
                }
            }
        }
    }
    for (schema, property, constraint) in CONSTRAINTS {
        let target = &mut doc["components"]["schemas"][schema]["properties"][property];
        if let (Some(target), Ok(Value::Object(constraint))) =
            (target.as_object_mut(), serde_json::from_str::<Value>(constraint))
        {
            target.extend(constraint);
        }
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::path::Path;

    /// Every `ToSchema` type of this crate, by the name it has in the
    /// document (`#[schema(as = …)]` or the type's name), with where it is.
    fn schema_names() -> BTreeMap<String, Vec<String>> {
        fn walk(dir: &Path, found: &mut BTreeMap<String, Vec<String>>) {
            let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().filter_map(Result::ok).collect();
            entries.sort_by_key(|e| e.path());
            for entry in entries {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, found);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    let lines: Vec<&str> = text.lines().collect();
                    for (i, line) in lines.iter().enumerate() {
                        let line = line.trim();
                        if !(line.starts_with("#[derive(") && line.contains("ToSchema")) {
                            continue;
                        }
                        let mut alias = None;
                        for next in &lines[i + 1..] {
                            let next = next.trim();
                            if let Some(rest) = next.strip_prefix("#[schema(as = ") {
                                alias = rest.split([')', ',']).next().map(|s| s.trim().to_owned());
                            }
                            let item = next.strip_prefix("pub ").unwrap_or(next);
                            let item = item.strip_prefix("pub(crate) ").unwrap_or(item);
                            if let Some(rest) = item.strip_prefix("struct ").or_else(|| item.strip_prefix("enum ")) {
                                let name: String =
                                    rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                                let name = alias.take().unwrap_or(name);
                                found.entry(name).or_default().push(format!("{}:{}", path.display(), i + 1));
                                break;
                            }
                        }
                    }
                }
            }
        }
        let mut found = BTreeMap::new();
        walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut found);
        found
    }

    #[test]
    fn schema_names_are_unique() {
        let names = schema_names();
        assert!(names.len() > 50, "the walk found the schema types: {names:?}");
        let twice: Vec<_> = names.iter().filter(|(_, places)| places.len() > 1).collect();
        assert!(twice.is_empty(), "schema names used more than once (give one `#[schema(as = …)]`): {twice:#?}");
    }

    fn document() -> Value {
        let (_, openapi) = super::super::router();
        serde_json::from_str(&super::super::openapi_json(&openapi).unwrap()).unwrap()
    }

    #[test]
    fn every_reference_resolves_and_every_schema_type_is_in_the_document() {
        let doc = document();
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        fn refs(value: &Value, out: &mut Vec<String>) {
            match value {
                Value::Object(map) => {
                    if let Some(Value::String(r)) = map.get("$ref") {
                        out.push(r.clone());
                    }
                    map.values().for_each(|v| refs(v, out));
                }
                Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
                _ => {}
            }
        }
        let mut all = Vec::new();
        refs(&doc, &mut all);
        for r in all {
            let name = r.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("unexpected $ref {r}"));
            assert!(schemas.contains_key(name), "{r} does not resolve");
        }
    }

    #[test]
    fn constraints_name_existing_properties() {
        let doc = document();
        for (schema, property, constraint) in CONSTRAINTS {
            let target = &doc["components"]["schemas"][schema]["properties"][property];
            assert!(target.is_object(), "{schema}.{property} is not in the document");
            let constraint: Value = serde_json::from_str(constraint).unwrap();
            for (key, value) in constraint.as_object().unwrap() {
                assert_eq!(&target[key], value, "{schema}.{property}");
            }
        }
    }

    #[test]
    fn the_members_search_and_the_moderation_history_have_their_own_shapes() {
        let doc = document();
        let shape = |path: &str| {
            let reference =
                &doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"];
            let name = reference.as_str().unwrap().rsplit('/').next().unwrap().to_owned();
            doc["components"]["schemas"][&name]["properties"].as_object().unwrap().keys().cloned().collect::<Vec<_>>()
        };
        assert_eq!(shape("/members"), ["next_cursor", "results"]);
        assert_eq!(shape("/moderation/actions"), ["actions"]);
        let item = &doc["components"]["schemas"]["MemberSearchResponse"]["properties"]["results"]["items"]["$ref"];
        assert_eq!(item, "#/components/schemas/FoundMember");
    }

    #[test]
    fn every_operation_documents_its_standard_answers() {
        let doc = document();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for method in METHODS {
                let Some(operation) = item.get(method) else { continue };
                let responses = operation["responses"].as_object().unwrap();
                assert!(responses.contains_key("404"), "{method} {path}");
                if operation.get("requestBody").is_some() {
                    for status in ["400", "413", "415", "422"] {
                        assert!(responses.contains_key(status), "{method} {path} {status}");
                    }
                }
                if let Some(throttled) = responses.get("429") {
                    assert!(throttled["headers"]["Retry-After"].is_object(), "{method} {path}");
                }
            }
        }
    }
}
