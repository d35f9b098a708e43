//! Reactions to a forum post, and the value a topic page's reaction button
//! sends (issue 21): one form per post, one button per reaction, each
//! saying in its `value` which reaction to switch on or off; since the
//! second pass one form per topic page, the value naming the post too
//! (`PostReaction`).

use crate::PostId;

/// A reaction a post may get, in the order the pages show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reaction {
    Heart,
    Hug,
    Thanks,
    Helpful,
}

impl Reaction {
    pub const ALL: [Reaction; 4] = [Reaction::Heart, Reaction::Hug, Reaction::Thanks, Reaction::Helpful];

    /// The stored and written name: `heart`, `hug`, `thanks`, `helpful`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Reaction::Heart => "heart",
            Reaction::Hug => "hug",
            Reaction::Thanks => "thanks",
            Reaction::Helpful => "helpful",
        }
    }

    /// Exactly one of the names (no trimming, no other case).
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw)
    }
}

/// What a reaction button asks for: `KIND:on` adds one's reaction of that
/// kind, `KIND:off` takes it back. The button carries the state it leads
/// to, so pressing it twice (a double click, a resent form) does the same
/// as pressing it once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReactionToggle {
    pub kind: Reaction,
    pub on: bool,
}

impl ReactionToggle {
    /// Parses a button's value strictly: a reaction name, `:`, `on` or `off`.
    pub fn parse(raw: &str) -> Option<Self> {
        let (kind, state) = raw.split_once(':')?;
        let on = match state {
            "on" => true,
            "off" => false,
            _ => return None,
        };
        Some(Self { kind: Reaction::parse(kind)?, on })
    }

    /// The button value that [`ReactionToggle::parse`] reads back.
    pub fn value(self) -> String {
        format!("{}:{}", self.kind.as_str(), if self.on { "on" } else { "off" })
    }
}

/// Which post of a topic a reaction button means: its number in the topic
/// (what topic pages write: short, and numbers compress well — 50 random
/// ids cost a topic page about 860 bytes after gzip, issue 21), or its id
/// (what pages written before did; a page still open in a browser across
/// an upgrade keeps working).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostRef {
    Number(i32),
    Id(PostId),
}

impl PostRef {
    /// A post number (ASCII digits, no sign, no leading zero, at least 1)
    /// or a post id; nothing else. The two never look alike: an id is 26
    /// characters, a number at most 10.
    pub fn parse(raw: &str) -> Option<Self> {
        if raw.bytes().all(|b| b.is_ascii_digit()) {
            if raw.starts_with('0') {
                return None;
            }
            return raw.parse::<i32>().ok().map(Self::Number);
        }
        PostId::parse(raw).map(Self::Id)
    }
}

impl std::fmt::Display for PostRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Number(n) => write!(f, "{n}"),
            Self::Id(id) => write!(f, "{id}"),
        }
    }
}

/// What a reaction button of a topic page's single reaction form asks for:
/// `POST:KIND:on|off`, the post by its number in the topic (`PostRef`).
/// The post is named in the value because the one form serves every post
/// of the page (the buttons join it through their `form` attribute, which
/// needs no JavaScript).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostReaction {
    pub post: PostRef,
    pub toggle: ReactionToggle,
}

impl PostReaction {
    /// Parses a button's value strictly: a post number or id, `:`, then a
    /// [`ReactionToggle`] value.
    pub fn parse(raw: &str) -> Option<Self> {
        let (post, toggle) = raw.split_once(':')?;
        Some(Self { post: PostRef::parse(post)?, toggle: ReactionToggle::parse(toggle)? })
    }

    /// The button value that [`PostReaction::parse`] reads back.
    pub fn value(&self) -> String {
        format!("{}:{}", self.post, self.toggle.value())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_post_reaction_reads_back_and_nothing_else_does() {
        let post = PostId::random();
        for value in [format!("{post}:hug:on"), "7:hug:on".to_owned(), "2147483647:heart:off".to_owned()] {
            let parsed = PostReaction::parse(&value);
            assert_eq!(parsed.as_ref().map(PostReaction::value), Some(value.clone()));
        }
        assert_eq!(
            PostReaction::parse("12:hug:on"),
            Some(PostReaction { post: PostRef::Number(12), toggle: ReactionToggle { kind: Reaction::Hug, on: true } })
        );
        for raw in [
            "".to_owned(),
            "hug:on".to_owned(),
            format!("{post}:hug"),
            format!("{post}:hug:1"),
            format!("{post}:angry:on"),
            format!(" {post}:hug:on"),
            format!("{post}:hug:on:off"),
            format!("x{post}:hug:on"),
            "0:hug:on".to_owned(),
            "07:hug:on".to_owned(),
            "-7:hug:on".to_owned(),
            "+7:hug:on".to_owned(),
            "2147483648:hug:on".to_owned(),
            "99999999999999999999:hug:on".to_owned(),
            "7 :hug:on".to_owned(),
        ] {
            assert_eq!(PostReaction::parse(&raw), None, "{raw:?}");
        }
    }

    #[test]
    fn every_value_reads_back() {
        for kind in Reaction::ALL {
            for on in [true, false] {
                let toggle = ReactionToggle { kind, on };
                assert_eq!(ReactionToggle::parse(&toggle.value()), Some(toggle));
            }
        }
    }

    #[test]
    fn anything_else_is_refused() {
        for raw in [
            "",
            "heart",
            "heart:",
            ":on",
            "heart:1",
            "heart:ON",
            "Heart:on",
            " heart:on",
            "heart:on ",
            "angry:on",
            "heart:on:off",
        ] {
            assert_eq!(ReactionToggle::parse(raw), None, "{raw:?}");
        }
    }
}
