//! JSON request bodies: parsed strictly, with every failure in the
//! documented error format.
//!
//! Strict means:
//! - unknown keys are refused (`deny_unknown_fields` on every body type), so
//!   that nobody can slip `role` or `association_id` into a request;
//! - an object is an object: serde's derived structs also accept a JSON
//!   array of the field values in order (`["email", "password"]` would sign
//!   in). The body is first read as a [`serde_json::Value`] and then handed
//!   to the body type through [`Strict`], a deserializer that refuses an
//!   array wherever a struct is expected, at any depth;
//! - a problem is reported at the field that is wrong (`fields.level`, not
//!   `body`), through `serde_path_to_error`, with a message written for
//!   people: serde's own messages name Rust types (`u8`, `struct
//!   LoginRequest`), which say nothing to a client and leak the code's shape.
//!
//! The texts in a body have already passed the safety net of
//! [`crate::input_guard`] (no NUL, control or direction-override character
//! anywhere).

use crate::errors::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, StatusCode};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};
use serde_json::{Number, Value};
use std::collections::BTreeMap;

pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(request.headers()) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "The request body must be JSON (Content-Type: application/json).",
            ));
        }
        let bytes = Bytes::from_request(request, state).await.map_err(|_| too_large())?;
        parse(&bytes).map(Self)
    }
}

/// Like [`ApiJson`] for bodies whose fields are all optional (a note, say):
/// a request without any body counts as `{}`, a body present is parsed
/// just as strictly.
pub struct OptionalJson<T>(pub T);

impl<S, T> FromRequest<S> for OptionalJson<T>
where
    T: DeserializeOwned + Default,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = request.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX).await.map_err(|_| too_large())?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self(T::default()));
        }
        let request = Request::from_parts(parts, axum::body::Body::from(bytes));
        ApiJson::<T>::from_request(request, state).await.map(|ApiJson(value)| Self(value))
    }
}

fn too_large() -> ApiError {
    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "The request body is too large.")
}

/// `application/json` or a `+json` type, parameters aside.
pub(crate) fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else { return false };
    let essence = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Parses a body strictly into `T`.
pub(crate) fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", "The request body is not valid JSON."))?;
    if !value.is_object() {
        let fields = BTreeMap::from([("body".to_owned(), "must be a JSON object".to_owned())]);
        return Err(ApiError::invalid("invalid_fields", "Some fields are invalid.", fields));
    }
    let mut value = value;
    let mut problems: BTreeMap<String, String> = BTreeMap::new();
    // serde stops at the first problem. To name every missing or mistyped
    // field at once (api.md: `error.fields` maps each invalid field), the
    // field it stopped at is set aside — an unknown key taken out, another
    // given a stand-in — and the body read again, a bounded number of times.
    let mut stand_ins: Vec<(Vec<Step>, usize)> = Vec::new();
    for _ in 0..MAX_ROUNDS {
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
        let error = match serde_path_to_error::deserialize::<_, T>(Strict(&value)) {
            Ok(parsed) if problems.is_empty() => return Ok(parsed),
            Ok(_) => break,
            Err(error) => error,
        };
        let detail = error.inner().to_string();
        let Some(steps) = steps(error.path()) else {
            record(&mut problems, error.path().to_string(), &detail);
            break;
        };
        // A stand-in that does not fit either: try the next one there.
        if let Some((at, tried)) = stand_ins.iter_mut().find(|(at, _)| steps.starts_with(at)) {
            *tried += 1;
            let Some(next) = stand_in(*tried) else { break };
            if !place(&mut value, at, Some(next)) {
                break;
            }
            continue;
        }
        record(&mut problems, error.path().to_string(), &detail);
        let target = if let Some(name) = quoted_after(&detail, "missing field ") {
            [steps, vec![Step::Key(name)]].concat()
        } else if detail.starts_with("unknown field ") {
            // The path already ends with the unknown key: take it out.
            if !place(&mut value, &steps, None) {
                break;
            }
            continue;
        } else {
            steps
        };
        if target.is_empty() || !place(&mut value, &target, stand_in(0)) {
            break;
        }
        stand_ins.push((target, 0));
    }
    Err(ApiError::invalid("invalid_fields", "Some fields are invalid.", problems))
}

/// At most this many readings of one body ([`parse`]), and at most this
/// many problems named: a body of 100,000 unknown keys costs a few
/// readings, not 100,000.
const MAX_ROUNDS: usize = 64;
const MAX_PROBLEMS: usize = 20;

/// What a field set aside is tried with, in turn (the `tried`-th), until
/// the body reads past it; `None` when all were tried.
fn stand_in(tried: usize) -> Option<Value> {
    Some(match tried {
        0 => Value::Null,
        1 => Value::Bool(false),
        2 => Value::String(String::new()),
        3 => Value::Number(Number::from(0)),
        4 => Value::Array(Vec::new()),
        5 => Value::Object(serde_json::Map::new()),
        _ => return None,
    })
}

/// One step of a path into a JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// The path as steps; `None` where it goes through something that is not
/// an object key or a list index.
fn steps(path: &serde_path_to_error::Path) -> Option<Vec<Step>> {
    path.iter()
        .map(|segment| match segment {
            serde_path_to_error::Segment::Map { key } => Some(Step::Key(key.clone())),
            serde_path_to_error::Segment::Seq { index } => Some(Step::Index(*index)),
            _ => None,
        })
        .collect()
}

/// Puts `with` at `at` (taking the entry out for `None`); false where the
/// path does not lead into the body.
fn place(value: &mut Value, at: &[Step], with: Option<Value>) -> bool {
    let Some((last, parents)) = at.split_last() else { return false };
    let mut here = value;
    for step in parents {
        here = match (step, here) {
            (Step::Key(key), Value::Object(map)) => match map.get_mut(key) {
                Some(next) => next,
                None => return false,
            },
            (Step::Index(i), Value::Array(items)) => match items.get_mut(*i) {
                Some(next) => next,
                None => return false,
            },
            _ => return false,
        };
    }
    match (last, here, with) {
        (Step::Key(key), Value::Object(map), Some(with)) => {
            map.insert(key.clone(), with);
            true
        }
        (Step::Key(key), Value::Object(map), None) => map.remove(key).is_some(),
        (Step::Index(i), Value::Array(items), Some(with)) if *i < items.len() => {
            items[*i] = with;
            true
        }
        _ => false,
    }
}

/// Adds the problem serde reported at `path`, unless that field has one.
fn record(problems: &mut BTreeMap<String, String>, path: String, detail: &str) {
    let (field, message) = explain(&path, detail);
    problems.entry(field).or_insert(message);
}

/// The first `…`-quoted word after `prefix` in serde's text.
fn quoted_after(detail: &str, prefix: &str) -> Option<String> {
    detail.strip_prefix(prefix)?.split('`').nth(1).map(str::to_owned)
}

/// The field a serde problem is about and a message for people.
/// `path` is `serde_path_to_error`'s (`.` for the top), `detail` serde's text.
pub(crate) fn explain(path: &str, detail: &str) -> (String, String) {
    let at = |name: &str| match path {
        "." | "" => name.to_owned(),
        parent => format!("{parent}.{name}"),
    };
    let here = || if path == "." || path.is_empty() { "body".to_owned() } else { path.to_owned() };
    let quoted = |text: &str| text.split('`').nth(1).map(str::to_owned);
    if let Some(rest) = detail.strip_prefix("missing field ") {
        return (quoted(rest).map_or_else(here, |name| at(&name)), "is required".to_owned());
    }
    if let Some(rest) = detail.strip_prefix("unknown field ") {
        // serde_path_to_error's path already ends with the unknown key.
        let field = match quoted(rest) {
            Some(name) if !path.ends_with(name.as_str()) => at(&name),
            _ => here(),
        };
        return (field, "is not a known field".to_owned());
    }
    if let Some(rest) = detail.strip_prefix("duplicate field ") {
        return (quoted(rest).map_or_else(here, |name| at(&name)), "is given more than once".to_owned());
    }
    if let Some(rest) = detail.strip_prefix("unknown variant ") {
        let choices: Vec<&str> = rest.split('`').skip(3).step_by(2).collect();
        let message = if choices.is_empty() {
            "is not one of the allowed values".to_owned()
        } else {
            format!("must be one of: {}", choices.join(", "))
        };
        return (here(), message);
    }
    if let Some(rest) = detail.strip_prefix("invalid type: ") {
        let expected = rest.split_once(", expected ").map(|(_, e)| e).unwrap_or_default();
        return (here(), format!("must be {}", expected_in_words(expected)));
    }
    if detail.starts_with("invalid value: ") {
        return (here(), "is out of range or not allowed".to_owned());
    }
    if detail.starts_with("invalid length ") {
        return (here(), "has the wrong number of items".to_owned());
    }
    // Our own types' messages ("level must be 1 to 4") are written for people.
    (here(), detail.to_owned())
}

/// serde's "expected …" (Rust words) as JSON words.
fn expected_in_words(expected: &str) -> &'static str {
    let e = expected.to_ascii_lowercase();
    let words: Vec<&str> = e.split(|c: char| !c.is_ascii_alphanumeric()).collect();
    let has = |w: &[&str]| words.iter().any(|x| w.contains(x));
    if has(&["u8", "u16", "u32", "u64", "u128", "i8", "i16", "i32", "i64", "i128", "usize", "isize", "integer"]) {
        "a whole number"
    } else if has(&["f32", "f64", "float", "number"]) {
        "a number"
    } else if has(&["bool", "boolean"]) {
        "true or false"
    } else if has(&["sequence", "array", "list", "tuple", "vec"]) {
        "a list"
    } else if has(&["struct", "map", "object"]) {
        "an object"
    } else if has(&["string", "str", "char", "variant", "enum"]) {
        "a string"
    } else {
        "of another type"
    }
}

/// Deserializes from a [`Value`] like serde_json does, except that a struct
/// is only ever read from an object.
struct Strict<'a>(&'a Value);

type Error = de::value::Error;

impl<'de> de::Deserializer<'de> for Strict<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => visit_number(n, visitor),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => visitor.visit_seq(Seq(items.iter())),
            Value::Object(map) => visitor.visit_map(Entries { entries: map.iter(), value: None }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(map) => visitor.visit_map(Entries { entries: map.iter(), value: None }),
            other => Err(de::Error::invalid_type(unexpected(other), &visitor)),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            Value::Object(map) if map.len() == 1 => {
                visitor.visit_enum(de::value::MapAccessDeserializer::new(Entries { entries: map.iter(), value: None }))
            }
            other => Err(de::Error::invalid_type(unexpected(other), &visitor)),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier
    }
}

fn visit_number<'de, V: Visitor<'de>>(n: &Number, visitor: V) -> Result<V::Value, Error> {
    if let Some(u) = n.as_u64() {
        visitor.visit_u64(u)
    } else if let Some(i) = n.as_i64() {
        visitor.visit_i64(i)
    } else {
        visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN))
    }
}

fn unexpected(value: &Value) -> de::Unexpected<'_> {
    match value {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(n) => n.as_f64().map_or(de::Unexpected::Other("number"), de::Unexpected::Float),
        Value::String(_) => de::Unexpected::Other("string"),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

struct Seq<'a>(std::slice::Iter<'a, Value>);

impl<'de> de::SeqAccess<'de> for Seq<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        self.0.next().map(|v| seed.deserialize(Strict(v))).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Entries<'a> {
    entries: serde_json::map::Iter<'a>,
    value: Option<&'a Value>,
}

impl<'de> de::MapAccess<'de> for Entries<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(de::value::BorrowedStrDeserializer::new(key)).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(Strict(value)),
            None => Err(de::Error::custom("a value without a key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Login {
        email: String,
        password: String,
        level: Option<u8>,
        inner: Option<Inner>,
        kind: Option<Kind>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        step_free: bool,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Abuse,
        Spam,
    }

    fn problem(body: &str) -> (String, String) {
        let error = parse::<Login>(body.as_bytes()).expect_err("refused");
        let fields = error.fields.expect("fields");
        fields.into_iter().next().expect("one field")
    }

    #[test]
    fn objects_parse() {
        let login: Login =
            parse(br#"{"email":"a","password":"b","level":2,"inner":{"step_free":true},"kind":"spam"}"#).expect("ok");
        assert_eq!(login.level, Some(2));
        assert_eq!(login.inner, Some(Inner { step_free: true }));
        assert_eq!(login.kind, Some(Kind::Spam));
    }

    #[test]
    fn arrays_are_not_objects() {
        assert_eq!(problem(r#"["a","b"]"#), ("body".to_owned(), "must be a JSON object".to_owned()));
        assert_eq!(
            problem(r#"{"email":"a","password":"b","inner":[true]}"#),
            ("inner".to_owned(), "must be an object".to_owned())
        );
    }

    #[test]
    fn problems_name_the_field_without_rust_words() {
        assert_eq!(problem(r#"{"email":"a"}"#), ("password".to_owned(), "is required".to_owned()));
        assert_eq!(
            problem(r#"{"email":"a","password":"b","level":"x"}"#),
            ("level".to_owned(), "must be a whole number".to_owned())
        );
        assert_eq!(
            problem(r#"{"email":"a","password":"b","level":300}"#),
            ("level".to_owned(), "is out of range or not allowed".to_owned())
        );
        assert_eq!(
            problem(r#"{"email":"a","password":"b","role":"admin"}"#),
            ("role".to_owned(), "is not a known field".to_owned())
        );
        assert_eq!(
            problem(r#"{"email":"a","password":"b","inner":{"step_free":1}}"#),
            ("inner.step_free".to_owned(), "must be true or false".to_owned())
        );
        assert_eq!(
            problem(r#"{"email":"a","password":"b","inner":{}}"#),
            ("inner.step_free".to_owned(), "is required".to_owned())
        );
        assert_eq!(
            problem(r#"{"email":"a","password":"b","kind":"x"}"#),
            ("kind".to_owned(), "must be one of: abuse, spam".to_owned())
        );
        assert_eq!(problem(r#"{"email":1,"password":"b"}"#), ("email".to_owned(), "must be a string".to_owned()));
    }

    fn problems(body: &str) -> Vec<(String, String)> {
        let error = parse::<Login>(body.as_bytes()).expect_err("refused");
        error.fields.expect("fields").into_iter().collect()
    }

    #[test]
    fn every_missing_or_mistyped_field_is_named_at_once() {
        let required = "is required".to_owned();
        assert_eq!(problems("{}"), vec![("email".to_owned(), required.clone()), ("password".to_owned(), required)]);
        assert_eq!(
            problems(r#"{"email":1,"password":[],"level":"x","role":"admin","inner":{"step_free":1},"kind":"x"}"#),
            vec![
                ("email".to_owned(), "must be a string".to_owned()),
                ("inner.step_free".to_owned(), "must be true or false".to_owned()),
                ("kind".to_owned(), "must be one of: abuse, spam".to_owned()),
                ("level".to_owned(), "must be a whole number".to_owned()),
                ("password".to_owned(), "must be a string".to_owned()),
                ("role".to_owned(), "is not a known field".to_owned()),
            ]
        );
        // A stand-in never shows as a problem of its own.
        assert_eq!(problems(r#"{"email":"a","inner":[]}"#).len(), 2, "{:?}", problems(r#"{"email":"a","inner":[]}"#));
    }

    #[test]
    fn malformed_json_is_a_400() {
        let error = parse::<Login>(b"{\"email\": ").expect_err("refused");
        assert_eq!(error.status, StatusCode::BAD_REQUEST);
    }
}
