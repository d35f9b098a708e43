//! Knowledge articles: what a professional or staff member writes, parsed
//! (`service::knowledge` decides who may write, review and read).
//!
//! An article is a title, a summary, a body in the forum's Markdown, the
//! conditions and therapies it is about (catalogue codes, checked against
//! the association's catalogue by the service), its sources (title and an
//! http or https link each) and its audience: the association's members,
//! or anyone.

use crate::events::parse_online_url;
use crate::text::{self, Lines};
use std::fmt;

pub const MAX_TITLE: usize = 200;
pub const MAX_SUMMARY: usize = 1_000;
pub const MAX_BODY: usize = 100_000;
pub const MAX_SOURCES: usize = 30;
pub const MAX_SOURCE_TITLE: usize = 300;
/// Conditions or therapies an article may name, each.
pub const MAX_CODES: usize = 20;

/// What is wrong with one field, as a readable message.
pub type Problem = &'static str;

/// Who may read a published article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Members of the association who may use the community.
    Members,
    /// Anyone, signed in or not.
    Public,
}

impl Audience {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "members" => Some(Self::Members),
            "public" => Some(Self::Public),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Members => "members",
            Self::Public => "public",
        }
    }
}

/// Where an article is on its way to the readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArticleStatus {
    /// The author's own (new, or returned by a reviewer).
    Draft,
    /// Submitted, waiting for a second professional or an editor.
    InReview,
    /// Reviewed and published: readers see it.
    Published,
}

impl ArticleStatus {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "draft" => Some(Self::Draft),
            "in_review" => Some(Self::InReview),
            "published" => Some(Self::Published),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::InReview => "in_review",
            Self::Published => "published",
        }
    }
}

impl fmt::Display for ArticleStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A reviewer's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Publish,
    /// Back to the author as a draft, with the reviewer's note.
    Return,
}

impl Decision {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "publish" => Some(Self::Publish),
            "return" => Some(Self::Return),
            _ => None,
        }
    }
}

/// One source: a title and an http or https link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub title: String,
    pub url: String,
}

/// An article as written, every field parsed; the codes still to be
/// checked against the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleText {
    pub title: String,
    pub summary: String,
    pub body: String,
    pub conditions: Vec<String>,
    pub therapies: Vec<String>,
    pub sources: Vec<Source>,
    pub audience: Audience,
}

/// What an article is written from, before parsing.
#[derive(Debug, Clone, Default)]
pub struct RawArticle<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub body: &'a str,
    pub conditions: &'a [String],
    pub therapies: &'a [String],
    pub sources: &'a [(String, String)],
    pub audience: &'a str,
}

/// Parses an article; every problem keyed by its field (`sources[2].url`).
pub fn parse_article(raw: &RawArticle<'_>) -> Result<ArticleText, Vec<(String, Problem)>> {
    let mut problems: Vec<(String, Problem)> = Vec::new();
    let mut field = |name: &str, result: Result<String, Problem>| match result {
        Ok(value) => value,
        Err(problem) => {
            problems.push((name.to_owned(), problem));
            String::new()
        }
    };
    let title = field("title", one_line(raw.title, MAX_TITLE, "must be at most 200 characters"));
    let summary = field("summary", many_lines(raw.summary, MAX_SUMMARY, "must be at most 1000 characters"));
    let body = field("body", many_lines(raw.body, MAX_BODY, "must be at most 100000 characters"));
    let mut sources = Vec::new();
    if raw.sources.len() > MAX_SOURCES {
        problems.push(("sources".into(), "must be at most 30 sources"));
    } else {
        for (i, (source_title, url)) in raw.sources.iter().enumerate() {
            let source_title = match one_line(source_title, MAX_SOURCE_TITLE, "must be at most 300 characters") {
                Ok(t) => t,
                Err(p) => {
                    problems.push((format!("sources[{i}].title"), p));
                    continue;
                }
            };
            match parse_online_url(url) {
                Ok(url) => sources.push(Source { title: source_title, url }),
                Err(p) => problems.push((format!("sources[{i}].url"), p)),
            }
        }
    }
    let mut codes = |name: &str, list: &[String]| -> Vec<String> {
        if list.len() > MAX_CODES {
            problems.push((name.to_owned(), "must name at most 20"));
            return Vec::new();
        }
        let mut out: Vec<String> = Vec::new();
        for code in list {
            let code = code.trim();
            if crate::settings::Code::parse(code).is_err() {
                problems.push((name.to_owned(), "must be codes of the catalogue"));
                return Vec::new();
            }
            if !out.iter().any(|c| c == code) {
                out.push(code.to_owned());
            }
        }
        out
    };
    let conditions = codes("conditions", raw.conditions);
    let therapies = codes("therapies", raw.therapies);
    let audience = Audience::parse(raw.audience);
    if audience.is_none() {
        problems.push(("audience".into(), "must be members or public"));
    }
    match audience {
        Some(audience) if problems.is_empty() => {
            Ok(ArticleText { title, summary, body, conditions, therapies, sources, audience })
        }
        _ => Err(problems),
    }
}

fn one_line(raw: &str, max: usize, too_long: Problem) -> Result<String, Problem> {
    let text = text::trimmed(raw, Lines::One).map_err(text::TextProblem::message)?;
    if text.is_empty() {
        return Err("must not be empty");
    }
    if text.chars().count() > max {
        return Err(too_long);
    }
    Ok(text.to_owned())
}

fn many_lines(raw: &str, max: usize, too_long: Problem) -> Result<String, Problem> {
    let text = text::clean(raw.trim(), Lines::Many).map_err(text::TextProblem::message)?;
    if text.is_empty() {
        return Err("must not be empty");
    }
    if text.chars().count() > max {
        return Err(too_long);
    }
    Ok(text)
}

/// A reviewer's note: optional for publishing, required for returning
/// (the author must learn what to change).
pub fn parse_note(raw: Option<&str>, decision: Decision) -> Result<Option<String>, Problem> {
    let note = match raw.map(str::trim).filter(|n| !n.is_empty()) {
        None if decision == Decision::Return => return Err("must say what to change"),
        None => return Ok(None),
        Some(note) => note,
    };
    let note = text::clean(note, Lines::Many).map_err(text::TextProblem::message)?;
    if note.chars().count() > MAX_SUMMARY {
        return Err("must be at most 1000 characters");
    }
    Ok(Some(note))
}

/// The words of a search (`q=`): lower-cased, at most 8, each at least 2
/// characters; `None` when nothing is left to search for.
pub fn search_words(q: &str) -> Vec<String> {
    q.split_whitespace().map(str::to_lowercase).filter(|w| w.chars().count() >= 2).take(8).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw<'a>(sources: &'a [(String, String)], conditions: &'a [String]) -> RawArticle<'a> {
        RawArticle {
            title: " Fatigue bei MS ",
            summary: "Was hilft",
            body: "Ein **Text**.\r\nZweite Zeile",
            conditions,
            therapies: &[],
            sources,
            audience: "public",
        }
    }

    #[test]
    fn parses_a_whole_article() {
        let sources = vec![("DMSG".to_owned(), "https://www.dmsg.de/".to_owned())];
        let conditions = vec!["ms".to_owned(), "ms".to_owned()];
        let article = parse_article(&raw(&sources, &conditions)).expect("valid");
        assert_eq!(article.title, "Fatigue bei MS");
        assert_eq!(article.body, "Ein **Text**.\nZweite Zeile");
        assert_eq!(article.conditions, vec!["ms"]);
        assert_eq!(article.audience, Audience::Public);
        assert_eq!(article.sources, vec![Source { title: "DMSG".into(), url: "https://www.dmsg.de/".into() }]);
    }

    #[test]
    fn names_every_problem_by_its_field() {
        let sources =
            vec![("ok".to_owned(), "javascript:alert(1)".to_owned()), (String::new(), "https://a.b".to_owned())];
        let conditions = vec!["MS Kranke!".to_owned()];
        let mut bad = raw(&sources, &conditions);
        bad.title = "a\u{202E}b";
        bad.audience = "everyone";
        let problems = parse_article(&bad).expect_err("invalid");
        let fields: Vec<&str> = problems.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, vec!["title", "sources[0].url", "sources[1].title", "conditions", "audience"]);
    }

    #[test]
    fn a_return_needs_a_note() {
        assert!(parse_note(None, Decision::Return).is_err());
        assert!(parse_note(Some("  "), Decision::Return).is_err());
        assert_eq!(parse_note(None, Decision::Publish), Ok(None));
        assert_eq!(parse_note(Some(" Quelle fehlt "), Decision::Return), Ok(Some("Quelle fehlt".into())));
    }

    #[test]
    fn search_words_are_lower_case_and_bounded() {
        assert_eq!(search_words("Fatigue  a MS"), vec!["fatigue", "ms"]);
        assert_eq!(search_words(&"ab ".repeat(20)).len(), 8);
        assert!(search_words(" ").is_empty());
    }
}
