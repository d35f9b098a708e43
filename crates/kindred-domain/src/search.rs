//! Member search, parsed: the criteria of `GET /members` checked against
//! the association's catalogue, free text split into normalised words, an
//! age range turned into birth years, and the paging cursor.
//!
//! Nothing here decides visibility (that is `disclosure`); this only makes
//! sure that what reaches the store is well-formed, and that every error
//! depends on the query alone, never on anybody's profile.

use crate::settings::{Catalog, Code};
use data_encoding::BASE64URL_NOPAD;

/// Words of free text at most per query, and their length bounds.
pub const MAX_QUERY_WORDS: usize = 8;
const MIN_WORD: usize = 2;
const MAX_WORD: usize = 40;
/// Words indexed per text field at most.
pub const MAX_INDEXED_WORDS: usize = 300;
/// Ages are searched from 0 to this.
pub const MAX_AGE: i32 = 130;

/// The normalised words of a text: lowercase, split at anything that is
/// not a letter or digit, 2 to 40 characters, each once, in order.
pub fn words(text: &str) -> Vec<String> {
    let mut seen = Vec::new();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        let word = word.to_lowercase();
        let len = word.chars().count();
        if (MIN_WORD..=MAX_WORD).contains(&len) && !seen.contains(&word) {
            seen.push(word);
        }
        if seen.len() == MAX_INDEXED_WORDS {
            break;
        }
    }
    seen
}

/// What a member is found by through their pseudonym: the prefixes of its
/// normalised words (see [`words`]), from 2 characters up to the whole
/// word, each once. A word of a query matches a pseudonym when it is one of
/// these, i.e. when it begins a word of the pseudonym ("wald" finds
/// "Anna Waldläuferin", "läuferin" does not). Pseudonyms have at most 60
/// characters, so at most 58 prefixes.
pub fn pseudonym_prefixes(pseudonym: &str) -> Vec<String> {
    let mut prefixes: Vec<String> = Vec::new();
    for word in words(pseudonym) {
        let mut prefix = String::with_capacity(word.len());
        for (n, c) in word.chars().enumerate() {
            prefix.push(c);
            if n + 1 >= MIN_WORD && !prefixes.contains(&prefix) {
                prefixes.push(prefix.clone());
            }
        }
    }
    prefixes
}

/// The query parameters as they came, all optional text.
#[derive(Debug, Default, Clone)]
pub struct RawMemberQuery {
    pub q: Option<String>,
    pub condition: Option<String>,
    pub condition_form: Option<String>,
    pub therapy: Option<String>,
    pub medication: Option<String>,
    pub region: Option<String>,
    pub role: Option<String>,
    pub min_age: Option<String>,
    pub max_age: Option<String>,
    pub cursor: Option<String>,
}

impl RawMemberQuery {
    /// From query-string pairs: the last of a repeated parameter counts,
    /// unknown ones are ignored.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> RawMemberQuery {
        let mut raw = RawMemberQuery::default();
        for (name, value) in pairs {
            let slot = match name {
                "q" => &mut raw.q,
                "condition" => &mut raw.condition,
                "condition_form" => &mut raw.condition_form,
                "therapy" => &mut raw.therapy,
                "medication" => &mut raw.medication,
                "region" => &mut raw.region,
                "role" => &mut raw.role,
                "min_age" => &mut raw.min_age,
                "max_age" => &mut raw.max_age,
                "cursor" => &mut raw.cursor,
                _ => continue,
            };
            *slot = Some(value.to_owned());
        }
        raw
    }
}

/// A checked member search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberQuery {
    pub words: Vec<String>,
    pub condition: Option<Code>,
    pub condition_form: Option<Code>,
    pub therapy: Option<Code>,
    pub medication: Option<Code>,
    pub region: Option<Code>,
    pub role: Option<Code>,
    /// Birth years from..=to, when an age range was given.
    pub birth_years: Option<(i32, i32)>,
    pub cursor: Option<Cursor>,
}

/// Where the previous page ended: the last lowercase pseudonym shown.
/// Opaque to clients (base64url), and carries nothing they did not see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor(pub String);

impl Cursor {
    pub fn encode(&self) -> String {
        BASE64URL_NOPAD.encode(self.0.as_bytes())
    }

    pub fn decode(raw: &str) -> Option<Cursor> {
        let bytes = BASE64URL_NOPAD.decode(raw.as_bytes()).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let plain = !text.chars().any(crate::text::is_never_accepted);
        (!text.is_empty() && text.len() <= 240 && plain).then_some(Cursor(text))
    }
}

/// What is wrong with a query parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryProblem {
    UnknownCode,
    NotAnAge,
    EmptyRange,
    BadCursor,
    TooLong,
}

impl QueryProblem {
    pub fn message(self) -> &'static str {
        match self {
            Self::UnknownCode => "is not in the association's catalogue",
            Self::NotAnAge => "must be a whole number from 0 to 130",
            Self::EmptyRange => "must not be greater than max_age",
            Self::BadCursor => "is not a cursor this server gave out",
            Self::TooLong => "is too long (at most 200 characters)",
        }
    }
}

fn blank(raw: &Option<String>) -> Option<&str> {
    raw.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn code_in<'a>(raw: &Option<String>, mut known: impl Iterator<Item = &'a Code>) -> Result<Option<Code>, QueryProblem> {
    let Some(raw) = blank(raw) else { return Ok(None) };
    let code = Code::parse(raw).map_err(|_| QueryProblem::UnknownCode)?;
    if known.any(|k| *k == code) {
        Ok(Some(code))
    } else {
        Err(QueryProblem::UnknownCode)
    }
}

fn age(raw: &Option<String>) -> Result<Option<i32>, QueryProblem> {
    let Some(raw) = blank(raw) else { return Ok(None) };
    let age: i32 = raw.parse().map_err(|_| QueryProblem::NotAnAge)?;
    (0..=MAX_AGE).contains(&age).then_some(Some(age)).ok_or(QueryProblem::NotAnAge)
}

impl MemberQuery {
    /// Checks every parameter; all problems at once, by parameter name.
    /// An age is the age reached in `current_year` (birth years are all a
    /// profile holds).
    pub fn parse(
        raw: &RawMemberQuery,
        catalog: &Catalog,
        current_year: i32,
    ) -> Result<MemberQuery, Vec<(&'static str, QueryProblem)>> {
        let mut problems = Vec::new();
        let mut check = |name: &'static str, result: Result<Option<Code>, QueryProblem>| match result {
            Ok(code) => code,
            Err(problem) => {
                problems.push((name, problem));
                None
            }
        };
        let condition = check("condition", code_in(&raw.condition, catalog.conditions.iter().map(|c| &c.code)));
        let forms = catalog.conditions.iter().flat_map(|c| c.forms.iter().map(|f| &f.code));
        let condition_form = check("condition_form", code_in(&raw.condition_form, forms));
        let therapy = check("therapy", code_in(&raw.therapy, catalog.therapies.iter().map(|e| &e.code)));
        let medication = check("medication", code_in(&raw.medication, catalog.medications.iter().map(|e| &e.code)));
        let region = check("region", code_in(&raw.region, catalog.regions.iter().map(|e| &e.code)));
        let role = check("role", code_in(&raw.role, catalog.roles.iter().map(|e| &e.code)));

        let q = blank(&raw.q).unwrap_or_default();
        if q.chars().count() > 200 {
            problems.push(("q", QueryProblem::TooLong));
        }
        let mut query_words = words(q);
        query_words.truncate(MAX_QUERY_WORDS);

        let min_age = age(&raw.min_age).unwrap_or_else(|p| {
            problems.push(("min_age", p));
            None
        });
        let max_age = age(&raw.max_age).unwrap_or_else(|p| {
            problems.push(("max_age", p));
            None
        });
        let birth_years = match (min_age, max_age) {
            (None, None) => None,
            (min, max) => {
                let (min, max) = (min.unwrap_or(0), max.unwrap_or(MAX_AGE));
                if min > max {
                    problems.push(("min_age", QueryProblem::EmptyRange));
                }
                Some((current_year - max, current_year - min))
            }
        };
        let cursor = match blank(&raw.cursor) {
            None => None,
            Some(raw) => Cursor::decode(raw).or_else(|| {
                problems.push(("cursor", QueryProblem::BadCursor));
                None
            }),
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(MemberQuery {
            words: query_words,
            condition,
            condition_form,
            therapy,
            medication,
            region,
            role,
            birth_years,
            cursor,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::{CatalogEntry, Condition, LocalizedText};

    fn code(s: &str) -> Code {
        Code::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    fn catalog() -> Catalog {
        let entry = |c: &str| CatalogEntry { code: code(c), name: LocalizedText::uniform(c), retired: false };
        Catalog {
            roles: vec![entry("patient"), entry("relative")],
            conditions: vec![Condition {
                code: code("ms"),
                name: LocalizedText::uniform("MS"),
                forms: vec![entry("rrms")],
                retired: false,
            }],
            therapies: vec![entry("physiotherapy")],
            medications: vec![entry("ocrelizumab")],
            symptoms: vec![],
            regions: vec![entry("by")],
        }
    }

    #[test]
    fn words_are_normalised() {
        assert_eq!(words("Müde, MÜDE und   müde! a Fatigue-Tage"), vec!["müde", "und", "fatigue", "tage"]);
        assert!(words("").is_empty());
    }

    #[test]
    fn queries_are_checked_against_the_catalogue() {
        let raw = RawMemberQuery {
            condition: Some("ms".into()),
            condition_form: Some("rrms".into()),
            min_age: Some("30".into()),
            max_age: Some("40".into()),
            q: Some("Anna Kiel".into()),
            ..Default::default()
        };
        let query = MemberQuery::parse(&raw, &catalog(), 2026).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(query.birth_years, Some((1986, 1996)));
        assert_eq!(query.words, vec!["anna", "kiel"]);
        let bad = RawMemberQuery {
            condition: Some("cancer".into()),
            therapy: Some("Physio".into()),
            min_age: Some("-1".into()),
            max_age: Some("x".into()),
            cursor: Some("!!".into()),
            ..Default::default()
        };
        let problems = MemberQuery::parse(&bad, &catalog(), 2026).err().unwrap_or_default();
        let names: Vec<&str> = problems.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, vec!["condition", "therapy", "min_age", "max_age", "cursor"]);
        let empty = RawMemberQuery { min_age: Some("50".into()), max_age: Some("40".into()), ..Default::default() };
        assert!(MemberQuery::parse(&empty, &catalog(), 2026).is_err());
    }

    #[test]
    fn query_strings_keep_the_last_of_a_repeated_parameter_and_ignore_others() {
        let raw = RawMemberQuery::from_pairs([("q", "a"), ("q", "b"), ("limit", "5"), ("region", "by")]);
        assert_eq!(raw.q.as_deref(), Some("b"));
        assert_eq!(raw.region.as_deref(), Some("by"));
        assert_eq!(raw.condition, None);
    }

    #[test]
    fn cursors_round_trip_and_refuse_garbage() {
        let cursor = Cursor("anna".into());
        assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor));
        assert_eq!(Cursor::decode("%%%"), None);
        assert_eq!(Cursor::decode(""), None);
        assert_eq!(Cursor::decode(&Cursor("a\0b".into()).encode()), None);
    }

    #[test]
    fn pseudonyms_are_found_by_the_beginnings_of_their_words() {
        assert_eq!(
            pseudonym_prefixes("Anna Wald-Läuferin_7 A"),
            vec![
                "an",
                "ann",
                "anna",
                "wa",
                "wal",
                "wald",
                "lä",
                "läu",
                "läuf",
                "läufe",
                "läufer",
                "läuferi",
                "läuferin"
            ]
        );
        // Each once; one-letter words find nothing.
        assert_eq!(pseudonym_prefixes("Ole Ole x"), vec!["ol", "ole"]);
        assert!(pseudonym_prefixes("a b c").is_empty());
        // The longest pseudonym stays bounded.
        assert!(pseudonym_prefixes(&"x".repeat(40)).len() == 39);
    }
}
