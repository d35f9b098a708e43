//! The four confidentiality levels, and "private".

use std::fmt;

/// A level a member places a contact on; every verified member of the
/// association is at least on `Community`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Community = 1,
    Acquainted = 2,
    Trusted = 3,
    Personal = 4,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::Community, Level::Acquainted, Level::Trusted, Level::Personal];

    pub fn from_number(n: i64) -> Option<Self> {
        match n {
            1 => Some(Self::Community),
            2 => Some(Self::Acquainted),
            3 => Some(Self::Trusted),
            4 => Some(Self::Personal),
            _ => None,
        }
    }

    pub fn number(self) -> u8 {
        self as u8
    }
}

/// The level at which a profile field becomes visible. Ordered from the most
/// open (`Level(Community)`) to the most private (`Private`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Visibility {
    Level(Level),
    /// Only the member themself.
    Private,
}

impl Visibility {
    /// Parses the text form used in files and JSON: `"1"`..`"4"` or `"private"`.
    pub fn parse(raw: &str) -> Option<Self> {
        if raw == "private" {
            return Some(Self::Private);
        }
        raw.parse::<i64>().ok().and_then(Level::from_number).map(Self::Level)
    }
}

impl Visibility {
    /// The number stored for search: 1..4, and 5 for private, so that
    /// "visible at level L" is `rank <= L`.
    pub fn rank(self) -> i32 {
        match self {
            Self::Level(level) => i32::from(level.number()),
            Self::Private => 5,
        }
    }
}

impl fmt::Display for Visibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Level(level) => write!(f, "{}", level.number()),
            Self::Private => f.write_str("private"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_runs_from_open_to_private() {
        assert!(Visibility::Level(Level::Community) < Visibility::Level(Level::Personal));
        assert!(Visibility::Level(Level::Personal) < Visibility::Private);
        assert_eq!(Visibility::parse("3"), Some(Visibility::Level(Level::Trusted)));
        assert_eq!(Visibility::parse("private"), Some(Visibility::Private));
        assert_eq!(Visibility::parse("5"), None);
        assert_eq!(Visibility::parse("0"), None);
    }
}
