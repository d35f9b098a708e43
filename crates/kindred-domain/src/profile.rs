//! Profile field values and their stored text form.

use crate::settings::{Catalog, CatalogEntry, Code, FieldKind, ProfileField};
use crate::EmailAddress;

/// One value of a profile field; which variant depends on the field's kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldValue {
    /// text, long_text, email, phone, photo (a reference)
    Text(String),
    /// year
    Year(i32),
    /// region, role, condition, condition_form
    Code(Code),
    /// therapies, medications
    Codes(Vec<Code>),
}

impl FieldValue {
    /// The stored text form. Codes never contain commas, so a list is
    /// written comma-separated.
    pub fn encode(&self) -> String {
        match self {
            FieldValue::Text(text) => text.clone(),
            FieldValue::Year(year) => year.to_string(),
            FieldValue::Code(code) => code.to_string(),
            FieldValue::Codes(codes) => codes.iter().map(Code::as_str).collect::<Vec<_>>().join(","),
        }
    }

    /// Reads the stored form back for a field of `kind`.
    pub fn decode(kind: FieldKind, stored: &str) -> Option<FieldValue> {
        match kind {
            FieldKind::Text | FieldKind::LongText | FieldKind::Email | FieldKind::Phone | FieldKind::Photo => {
                Some(FieldValue::Text(stored.to_owned()))
            }
            FieldKind::Year => stored.parse().ok().map(FieldValue::Year),
            FieldKind::Region | FieldKind::Role | FieldKind::Condition | FieldKind::ConditionForm => {
                Code::parse(stored).ok().map(FieldValue::Code)
            }
            FieldKind::Therapies | FieldKind::Medications => {
                if stored.is_empty() {
                    return Some(FieldValue::Codes(Vec::new()));
                }
                stored.split(',').map(|c| Code::parse(c).ok()).collect::<Option<Vec<_>>>().map(FieldValue::Codes)
            }
        }
    }
}

/// A value as a client sent it, before it is checked against the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RawValue {
    Text(String),
    Number(i64),
    List(Vec<String>),
}

/// Longest text of a one-line field, and of a long text, in characters.
pub const MAX_TEXT: usize = 200;
pub const MAX_LONG_TEXT: usize = 5000;
/// Most codes in a list field.
pub const MAX_CODES: usize = 30;
/// The earliest year a year field accepts.
pub const MIN_YEAR: i32 = 1900;
/// The problem of a retired catalogue code chosen anew.
pub const RETIRED: &str = "is retired and can no longer be chosen";

/// Checks a value against its field: the kind, the length, the catalogue.
/// `Ok(None)` means "remove the value" (an empty text or list). `condition`
/// is the member's condition, which a condition form must belong to.
/// `current` is the member's value of the field as stored: a retired
/// catalogue code is accepted only if it is already there (kept, never
/// chosen anew).
pub fn parse_value(
    field: &ProfileField,
    raw: RawValue,
    catalog: &Catalog,
    condition: Option<&Code>,
    current_year: i32,
    current: Option<&FieldValue>,
) -> Result<Option<FieldValue>, &'static str> {
    let kept = |code: &Code| match current {
        Some(FieldValue::Code(c)) => c == code,
        Some(FieldValue::Codes(codes)) => codes.contains(code),
        _ => false,
    };
    // A retired code: only where the member has it already.
    let open = |code: Code, retired: bool| -> Result<Code, &'static str> {
        if retired && !kept(&code) {
            Err(RETIRED)
        } else {
            Ok(code)
        }
    };
    let in_list = |entries: &[CatalogEntry], code: &str| -> Result<Code, &'static str> {
        let code = Code::parse(code).map_err(|_| "is not in the association's catalogue")?;
        let entry = entries.iter().find(|e| e.code == code).ok_or("is not in the association's catalogue")?;
        open(code, entry.retired)
    };
    match (field.kind, raw) {
        (FieldKind::Photo, _) => Err("is set by uploading a photo to /me/photo"),
        (FieldKind::Text | FieldKind::LongText | FieldKind::Email | FieldKind::Phone, RawValue::Text(text)) => {
            let text = text.trim();
            if text.is_empty() {
                return Ok(None);
            }
            let long = field.kind == FieldKind::LongText;
            let max = if long { MAX_LONG_TEXT } else { MAX_TEXT };
            if text.chars().count() > max {
                return Err(if long {
                    "is too long (at most 5000 characters)"
                } else {
                    "is too long (at most 200 characters)"
                });
            }
            let lines = if long { crate::text::Lines::Many } else { crate::text::Lines::One };
            crate::text::check(text, lines).map_err(crate::text::TextProblem::message)?;
            match field.kind {
                FieldKind::Email => EmailAddress::parse(text)
                    .map(|e| Some(FieldValue::Text(e.as_str().to_owned())))
                    .map_err(|_| "is not a valid e-mail address"),
                FieldKind::Phone => {
                    let ok = text.chars().count() <= 40
                        && text.chars().filter(char::is_ascii_digit).count() >= 3
                        && text.chars().all(|c| c.is_ascii_digit() || " +-()/.".contains(c));
                    ok.then(|| Some(FieldValue::Text(text.to_owned())))
                        .ok_or("may contain digits, spaces and + - ( ) / . only")
                }
                _ => Ok(Some(FieldValue::Text(text.to_owned()))),
            }
        }
        (FieldKind::Year, raw) => {
            let year = match raw {
                RawValue::Number(n) => i32::try_from(n).ok(),
                RawValue::Text(t) if t.trim().is_empty() => return Ok(None),
                RawValue::Text(t) => t.trim().parse().ok(),
                RawValue::List(_) => None,
            };
            match year {
                Some(y) if (MIN_YEAR..=current_year).contains(&y) => Ok(Some(FieldValue::Year(y))),
                _ => Err("must be a year from 1900 to this year"),
            }
        }
        (FieldKind::Region, RawValue::Text(t)) => empty_or(&t, |c| in_list(&catalog.regions, c)),
        (FieldKind::Role, RawValue::Text(t)) => empty_or(&t, |c| in_list(&catalog.roles, c)),
        (FieldKind::Condition, RawValue::Text(t)) => empty_or(&t, |c| {
            let code = Code::parse(c).map_err(|_| "is not in the association's catalogue")?;
            let retired = catalog
                .conditions
                .iter()
                .find(|k| k.code == code)
                .map(|k| k.retired)
                .ok_or("is not in the association's catalogue")?;
            open(code, retired)
        }),
        (FieldKind::ConditionForm, RawValue::Text(t)) => empty_or(&t, |c| {
            let code = Code::parse(c).map_err(|_| "is not a form of your condition")?;
            let form = catalog
                .conditions
                .iter()
                .filter(|k| condition.is_none_or(|mine| &k.code == mine))
                .find_map(|k| k.forms.iter().find(|f| f.code == code))
                .ok_or("is not a form of your condition")?;
            open(code, form.retired)
        }),
        (FieldKind::Therapies | FieldKind::Medications, RawValue::List(items)) => {
            let entries = if field.kind == FieldKind::Therapies { &catalog.therapies } else { &catalog.medications };
            if items.len() > MAX_CODES {
                return Err("has too many entries (at most 30)");
            }
            let mut codes: Vec<Code> = Vec::new();
            for item in items {
                let code = in_list(entries, item.trim())?;
                if !codes.contains(&code) {
                    codes.push(code);
                }
            }
            Ok((!codes.is_empty()).then_some(FieldValue::Codes(codes)))
        }
        (FieldKind::Therapies | FieldKind::Medications, _) => Err("must be a list of catalogue codes"),
        (FieldKind::Region | FieldKind::Role | FieldKind::Condition | FieldKind::ConditionForm, _) => {
            Err("must be a catalogue code")
        }
        (FieldKind::Text | FieldKind::LongText | FieldKind::Email | FieldKind::Phone, _) => Err("must be text"),
    }
}

/// The catalogue's entry for `form` among the forms of `condition`, if it is one.
pub fn form_of<'a>(catalog: &'a Catalog, condition: &Code, form: &Code) -> Option<&'a CatalogEntry> {
    catalog.conditions.iter().filter(|k| &k.code == condition).find_map(|k| k.forms.iter().find(|f| &f.code == form))
}

fn empty_or(
    text: &str,
    parse: impl FnOnce(&str) -> Result<Code, &'static str>,
) -> Result<Option<FieldValue>, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    parse(text).map(|code| Some(FieldValue::Code(code)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> Code {
        Code::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn round_trips() {
        let cases = [
            (FieldKind::LongText, FieldValue::Text("Hallo, ich bin neu hier.".into())),
            (FieldKind::Year, FieldValue::Year(1979)),
            (FieldKind::Condition, FieldValue::Code(code("ms"))),
            (FieldKind::Therapies, FieldValue::Codes(vec![code("physiotherapy"), code("ahsct")])),
            (FieldKind::Medications, FieldValue::Codes(vec![])),
        ];
        for (kind, value) in cases {
            assert_eq!(FieldValue::decode(kind, &value.encode()), Some(value));
        }
        assert_eq!(FieldValue::decode(FieldKind::Year, "nineteen"), None);
        assert_eq!(FieldValue::decode(FieldKind::Therapies, "a,B"), None);
    }
}
