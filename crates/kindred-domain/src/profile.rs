//! Profile field values and their stored text form.

use crate::settings::{Code, FieldKind};

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
