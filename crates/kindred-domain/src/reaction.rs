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

/// What a reaction button of a topic page's single reaction form asks for:
/// `POST_ID:KIND:on|off`. The post is named in the value because the one
/// form serves every post of the page (the buttons join it through their
/// `form` attribute, which needs no JavaScript).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostReaction {
    pub post: PostId,
    pub toggle: ReactionToggle,
}

impl PostReaction {
    /// Parses a button's value strictly: a post id, `:`, then a
    /// [`ReactionToggle`] value.
    pub fn parse(raw: &str) -> Option<Self> {
        let (post, toggle) = raw.split_once(':')?;
        Some(Self { post: PostId::parse(post)?, toggle: ReactionToggle::parse(toggle)? })
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
        let value = format!("{post}:hug:on");
        let parsed = PostReaction::parse(&value);
        assert_eq!(parsed.as_ref().map(PostReaction::value), Some(value));
        assert_eq!(parsed.map(|p| p.toggle), Some(ReactionToggle { kind: Reaction::Hug, on: true }));
        for raw in [
            "".to_owned(),
            "hug:on".to_owned(),
            format!("{post}:hug"),
            format!("{post}:hug:1"),
            format!("{post}:angry:on"),
            format!(" {post}:hug:on"),
            format!("{post}:hug:on:off"),
            format!("x{post}:hug:on"),
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
