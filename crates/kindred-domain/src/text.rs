//! kindred_domain::text — the one check that every free text from outside
//! goes through: titles, bodies, reasons, notes, names, search words.
//!
//! Refused everywhere, whatever the field:
//! - NUL and every other control character (C0, DEL, C1), except line
//!   breaks and tabs in texts of several lines. NUL is not only useless:
//!   PostgreSQL cannot store it in text at all (SQLite can), so letting it
//!   through means an error on one database and a stored oddity on the other.
//! - The bidirectional overrides and isolates (U+202A–U+202E,
//!   U+2066–U+2069). They reorder what a reader sees without being visible
//!   themselves ("Trojan Source"): a title could show a different name, link
//!   or dose than the one it holds. The implicit marks U+200E/U+200F are
//!   kept: they only nudge neutral characters, cannot reorder a run, and
//!   right-to-left writers do use them.
//!
//! Texts of several lines get their line breaks normalised (`\r\n` and a
//! lone `\r` become `\n`), so what is stored does not depend on the browser.
//!
//! The web layer keeps a second, coarser net ([`is_never_accepted`]) in its
//! JSON, form and query extractors, so that a field that someone forgets to
//! pass through here still cannot carry NUL to the database.

use std::fmt;

/// Whether a text is one line (a title, a name) or may hold several (a body).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    One,
    Many,
}

/// Why a text was refused. [`fmt::Display`] is a readable message that
/// follows the field name ("title: contains a control character").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextProblem {
    /// NUL or another control character.
    ControlCharacter,
    /// A line break in a text of one line.
    LineBreak,
    /// A bidirectional override or isolate.
    DirectionOverride,
}

impl TextProblem {
    pub fn message(self) -> &'static str {
        match self {
            Self::ControlCharacter => "contains a control character",
            Self::LineBreak => "must be a single line",
            Self::DirectionOverride => "contains a text-direction override character",
        }
    }
}

impl fmt::Display for TextProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for TextProblem {}

/// The explicit embeddings, overrides and isolates of Unicode's
/// bidirectional algorithm.
pub fn is_direction_override(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A character no text from outside may hold in any field: a control
/// character other than tab and line breaks, or a direction override.
/// The web layer's safety net refuses these in every string it parses.
pub fn is_never_accepted(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || is_direction_override(c)
}

/// The first problem of `text` as a text of `lines`, if any.
pub fn problem(text: &str, lines: Lines) -> Option<TextProblem> {
    text.chars().find_map(|c| match c {
        '\n' | '\r' if lines == Lines::One => Some(TextProblem::LineBreak),
        '\t' | '\n' | '\r' => None,
        c if c.is_control() => Some(TextProblem::ControlCharacter),
        c if is_direction_override(c) => Some(TextProblem::DirectionOverride),
        _ => None,
    })
}

/// Checks `text`; `Ok` with it unchanged.
pub fn check(text: &str, lines: Lines) -> Result<&str, TextProblem> {
    problem(text, lines).map_or(Ok(text), Err)
}

/// Checks `text` and normalises its line breaks to `\n`.
pub fn clean(text: &str, lines: Lines) -> Result<String, TextProblem> {
    check(text, lines)?;
    Ok(if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text.to_owned() })
}

/// [`check`] on a trimmed text, answering the trimmed text.
pub fn trimmed(text: &str, lines: Lines) -> Result<&str, TextProblem> {
    check(text.trim(), lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_control_characters_everywhere() {
        for text in ["a\0b", "\u{1}", "x\u{7f}", "\u{85}", "\u{9b}y"] {
            assert_eq!(problem(text, Lines::Many), Some(TextProblem::ControlCharacter), "{text:?}");
            assert_eq!(problem(text, Lines::One), Some(TextProblem::ControlCharacter), "{text:?}");
        }
    }

    #[test]
    fn line_breaks_and_tabs_only_in_texts_of_several_lines() {
        assert_eq!(check("a\nb\tc\r\nd", Lines::Many), Ok("a\nb\tc\r\nd"));
        assert_eq!(problem("a\nb", Lines::One), Some(TextProblem::LineBreak));
        assert_eq!(problem("a\rb", Lines::One), Some(TextProblem::LineBreak));
        assert_eq!(problem("a\tb", Lines::One), None);
    }

    #[test]
    fn refuses_direction_overrides_but_keeps_the_marks() {
        for c in
            ['\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}']
        {
            let text = format!("Termin {c}gnp.exe");
            assert_eq!(problem(&text, Lines::One), Some(TextProblem::DirectionOverride));
            assert!(is_never_accepted(c));
        }
        assert_eq!(problem("שלום\u{200F} abc \u{200E}", Lines::One), None);
        assert_eq!(problem("Grüße, 你好, مرحبا 👋", Lines::One), None);
    }

    #[test]
    fn normalises_line_breaks() {
        assert_eq!(clean("a\r\nb\rc\nd", Lines::Many).as_deref(), Ok("a\nb\nc\nd"));
        assert_eq!(clean("plain", Lines::One).as_deref(), Ok("plain"));
    }

    #[test]
    fn the_safety_net_lets_every_legitimate_character_through() {
        assert!(!"a\tb\nc\r\n ä 😀 \u{200E}".chars().any(is_never_accepted));
        assert!("\0".chars().any(is_never_accepted));
    }
}
