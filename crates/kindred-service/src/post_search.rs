//! service::post_search — full-text search over the forum, inside what the
//! caller may read. The store decides readability in the same SQL that
//! matches (see `store::post_search`), from the groups
//! `readable_group_ids` names; hidden and deleted posts and hidden topics
//! are never found, not even by moderators (they have the queue). Authors
//! are shown as the forum shows them: the alias in an alias group, nothing
//! for an anonymous post.
//!
//! Searches are paced like member searches (each page counts, in the same
//! budget): a search is a way to read much at once.

use crate::cursor::CursorList;
use crate::members::MemberError;
use crate::sessions::Caller;
use crate::throttle::{Rule, Throttled};
use crate::{Association, Kindred};
use chrono::{DateTime, Duration, Utc};
use kindred_domain::search::{words, Cursor, MAX_QUERY_WORDS};
use kindred_domain::{MemberId, PostId, TopicId};
use kindred_store::{FoundPost, PostSearch, StoreError};

/// Results per page.
pub const PAGE_SIZE: usize = 20;
/// Bounds of `q`, in characters.
pub const MIN_QUERY: usize = 2;
pub const MAX_QUERY: usize = 200;
/// Characters of a snippet at most (before the ellipses).
pub const SNIPPET: usize = 200;

/// What is wrong with a search parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchProblem {
    /// Missing or shorter than two characters.
    TooShort,
    TooLong,
    /// No word of 2 to 40 letters or digits in it (longer ones are not searched).
    NoWords,
    BadCursor,
}

impl SearchProblem {
    pub fn message(self) -> &'static str {
        match self {
            Self::TooShort => "must have at least 2 characters",
            Self::TooLong => "is too long (at most 200 characters)",
            Self::NoWords => "must contain a word of 2 to 40 letters or digits",
            Self::BadCursor => "is not a cursor this server gave out",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PostSearchError {
    #[error("invalid search")]
    Invalid(Problems),
    #[error(transparent)]
    Throttled(#[from] Throttled),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<MemberError> for PostSearchError {
    fn from(error: MemberError) -> Self {
        match error {
            MemberError::Throttled(t) => PostSearchError::Throttled(t),
            MemberError::Store(e) => PostSearchError::Store(e),
            other => PostSearchError::Store(StoreError::Corrupt(other.to_string())),
        }
    }
}

/// Whether a result is a topic (its opening post matched) or a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HitKind {
    Topic,
    Post,
}

impl HitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Topic => "topic",
            Self::Post => "post",
        }
    }
}

/// One result.
#[derive(Debug, Clone)]
pub struct PostHit {
    pub kind: HitKind,
    pub topic_id: TopicId,
    pub post_id: PostId,
    /// The post's number in its topic (1 = the opening post).
    pub number: i32,
    pub title: String,
    /// Plain text around the first match.
    pub snippet: String,
    /// How the author appears in the forum there; `None` for anonymous posts.
    pub author: Option<HitAuthor>,
    pub created_at: DateTime<Utc>,
    pub category_id: Option<String>,
    pub group_id: Option<String>,
}

/// The author of a found post, as the forum shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HitAuthor {
    Member {
        id: MemberId,
        pseudonym: String,
        badge: Option<String>,
    },
    /// In an alias group: the alias only.
    Alias(String),
}

/// A page of results.
#[derive(Debug, Clone)]
pub struct PostSearchPage {
    /// The words searched for.
    pub words: Vec<String>,
    pub results: Vec<PostHit>,
    pub next_cursor: Option<String>,
}

/// The searches of the forum share the budget of member searches.
fn pace(limit: i64) -> Rule {
    Rule { bucket: "member-searches", limit, window: Duration::minutes(15) }
}

/// Where a page ends: the time and id of its last row.
pub type Keyset = (DateTime<Utc>, String);
/// What is wrong with a search, by parameter.
pub type Problems = Vec<(&'static str, SearchProblem)>;

/// Checks `q` and `cursor`; all problems at once. `open` answers the
/// payload of a cursor this server gave out (`service::cursor`).
pub fn parse_query(
    q: Option<&str>,
    cursor: Option<&str>,
    open: impl Fn(&str) -> Option<String>,
) -> Result<(Vec<String>, Option<Keyset>), Problems> {
    let mut problems = Vec::new();
    let q = q.map(str::trim).unwrap_or_default();
    let length = q.chars().count();
    let mut found = words(q);
    found.truncate(MAX_QUERY_WORDS);
    if length < MIN_QUERY {
        problems.push(("q", SearchProblem::TooShort));
    } else if length > MAX_QUERY {
        problems.push(("q", SearchProblem::TooLong));
    } else if found.is_empty() {
        problems.push(("q", SearchProblem::NoWords));
    }
    let before = match cursor.map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(raw) => match open(raw).and_then(|payload| decode_cursor(&payload)) {
            Some(before) => Some(before),
            None => {
                problems.push(("cursor", SearchProblem::BadCursor));
                None
            }
        },
    };
    if problems.is_empty() {
        Ok((found, before))
    } else {
        Err(problems)
    }
}

/// A keyset cursor: the time and id of the last row shown, opaque to clients.
pub(crate) fn encode_cursor(at: DateTime<Utc>, id: &str) -> String {
    Cursor(format!("{}|{id}", at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true))).encode()
}

pub(crate) fn decode_cursor(raw: &str) -> Option<Keyset> {
    let Cursor(text) = Cursor::decode(raw)?;
    let (at, id) = text.split_once('|')?;
    let at = DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc);
    if !crate::cursor::plausible_time(at) {
        return None;
    }
    // Ids are the random ids of kindred_domain::id: base32, lowercase.
    let id_ok = !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric());
    id_ok.then(|| (at, id.to_owned()))
}

/// Folds a character for matching as the SQLite index does: lowercase,
/// without diacritics (for the letters of German, Dutch and English).
fn fold(c: char) -> char {
    let lower = c.to_lowercase().next().unwrap_or(c);
    match lower {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        other => other,
    }
}

/// Plain text around the first word of `text` that begins with one of
/// `words` (compared folded), at most [`SNIPPET`] characters, with "…"
/// where it was cut; the beginning of the text when nothing matches
/// literally (a stemmed match).
pub fn snippet(text: &str, words: &[String]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let folded: Vec<char> = chars.iter().map(|c| fold(*c)).collect();
    let targets: Vec<Vec<char>> = words.iter().map(|w| w.chars().map(fold).collect()).collect();
    let mut hit = None;
    'scan: for start in 0..folded.len() {
        let at_word_start = start == 0 || !folded[start - 1].is_alphanumeric();
        if !at_word_start || !folded[start].is_alphanumeric() {
            continue;
        }
        for target in &targets {
            if !target.is_empty() && folded[start..].starts_with(target) {
                hit = Some(start);
                break 'scan;
            }
        }
    }
    let hit = hit.unwrap_or(0);
    let (mut from, mut to) = if chars.len() <= SNIPPET {
        (0, chars.len())
    } else {
        let from = hit.saturating_sub(SNIPPET / 3);
        let to = (from + SNIPPET).min(chars.len());
        (to.saturating_sub(SNIPPET), to)
    };
    // Cut at spaces, not inside words, where one is near.
    if from > 0 {
        if let Some(space) = chars[from..hit.max(from)].iter().position(|c| c.is_whitespace()) {
            from += space + 1;
        }
    }
    if to < chars.len() {
        if let Some(space) = chars[hit.min(to)..to].iter().rposition(|c| c.is_whitespace()) {
            to = hit.min(to) + space;
        }
    }
    let body: String = chars[from..to].iter().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ");
    format!("{}{body}{}", if from > 0 { "…" } else { "" }, if to < chars.len() { "…" } else { "" })
}

/// How the author of a found post appears: as in the forum — the alias
/// alone in an alias group, nothing for an anonymous post.
fn author(found: &FoundPost) -> Option<HitAuthor> {
    if found.anonymous {
        return None;
    }
    if found.alias_mode == Some(true) {
        return found.alias.clone().map(HitAuthor::Alias);
    }
    match (&found.author_id, &found.pseudonym) {
        (Some(id), Some(pseudonym)) => Some(HitAuthor::Member {
            id: MemberId::from_trusted(id.clone()),
            pseudonym: pseudonym.clone(),
            badge: found.badge.clone(),
        }),
        _ => None,
    }
}

impl Kindred {
    /// Searches the posts the caller may read for every word of `q`,
    /// newest first, [`PAGE_SIZE`] at a time.
    pub async fn search_posts(
        &self,
        association: &Association,
        caller: &Caller,
        q: Option<&str>,
        cursor: Option<&str>,
    ) -> Result<PostSearchPage, PostSearchError> {
        self.keep_pace(association, caller, pace(self.pace.searches)).await?;
        let open = |raw: &str| self.open_cursor(association, CursorList::PostSearch, raw);
        let (found_words, before) = parse_query(q, cursor, open).map_err(PostSearchError::Invalid)?;
        let groups = self.readable_group_ids(association, caller).await.map_err(|e| match e {
            crate::groups::GroupError::Store(e) => PostSearchError::Store(e),
            other => PostSearchError::Store(StoreError::Corrupt(other.to_string())),
        })?;
        let search = PostSearch {
            association: &association.id,
            searcher: &caller.member.id,
            words: &found_words,
            groups: &groups,
            before,
            limit: i64::try_from(PAGE_SIZE + 1).unwrap_or(21),
        };
        let mut rows = self.store.search_posts(&search).await?;
        let more = rows.len() > PAGE_SIZE;
        rows.truncate(PAGE_SIZE);
        let next_cursor = if more {
            rows.last().and_then(|r| {
                self.seal_cursor(association, CursorList::PostSearch, &encode_cursor(r.created_at, &r.post_id))
            })
        } else {
            None
        };
        let results = rows
            .into_iter()
            .map(|row| PostHit {
                kind: if row.number == 1 { HitKind::Topic } else { HitKind::Post },
                author: author(&row),
                snippet: snippet(&row.text, &found_words),
                topic_id: TopicId::from_trusted(row.topic_id),
                post_id: PostId::from_trusted(row.post_id),
                number: row.number,
                title: row.title,
                created_at: row.created_at,
                category_id: row.category_id,
                group_id: row.group_id,
            })
            .collect();
        Ok(PostSearchPage { words: found_words, results, next_cursor })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn w(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn queries_are_checked() {
        assert_eq!(parse_query(None, None, |c| Some(c.to_owned())).unwrap_err(), vec![("q", SearchProblem::TooShort)]);
        assert_eq!(
            parse_query(Some(" a "), None, |c| Some(c.to_owned())).unwrap_err(),
            vec![("q", SearchProblem::TooShort)]
        );
        assert_eq!(
            parse_query(Some("!!"), None, |c| Some(c.to_owned())).unwrap_err(),
            vec![("q", SearchProblem::NoWords)]
        );
        let long = "x".repeat(201);
        assert_eq!(
            parse_query(Some(&long), None, |c| Some(c.to_owned())).unwrap_err(),
            vec![("q", SearchProblem::TooLong)]
        );
        assert_eq!(
            parse_query(Some("fatigue"), Some("nonsense"), |c| Some(c.to_owned())).unwrap_err(),
            vec![("cursor", SearchProblem::BadCursor)]
        );
        let (found, before) =
            parse_query(Some("Müdigkeit AND \"x\" OR fatigue*"), None, |c| Some(c.to_owned())).unwrap();
        assert_eq!(found, w(&["müdigkeit", "and", "or", "fatigue"]));
        assert!(before.is_none());
    }

    #[test]
    fn cursors_read_back_and_reject_anything_else() {
        let at = Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).single().unwrap() + Duration::microseconds(17);
        let raw = encode_cursor(at, "abc123");
        assert_eq!(decode_cursor(&raw), Some((at, "abc123".to_owned())));
        assert_eq!(decode_cursor(&Cursor("2026-11-22T09:00:00Z|a'b".into()).encode()), None);
        assert_eq!(decode_cursor(&Cursor("yesterday|abc".into()).encode()), None);
        assert_eq!(decode_cursor(&Cursor("+199999-01-01T00:00:00Z|abc".into()).encode()), None);
    }

    #[test]
    fn snippets_show_the_match_in_plain_text() {
        assert_eq!(snippet("Die Müdigkeit ist schlimm", &w(&["mudigkeit"])), "Die Müdigkeit ist schlimm");
        let long = format!("{} Müdigkeit am Abend {}", "vorher ".repeat(60), "nachher ".repeat(60));
        let cut = snippet(&long, &w(&["müdigkeit"]));
        assert!(cut.contains("Müdigkeit am Abend"), "{cut}");
        assert!(cut.starts_with('…') && cut.ends_with('…'), "{cut}");
        assert!(cut.chars().count() <= SNIPPET + 2, "{cut}");
        // No match (a stemmed one): the beginning.
        let start = snippet(&long, &w(&["zzz"]));
        assert!(start.starts_with("vorher") && start.ends_with('…'), "{start}");
        // Only at the start of words.
        assert_eq!(snippet("abc", &w(&["bc"])), "abc");
    }
}
