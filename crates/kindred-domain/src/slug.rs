//! The short name of an association in URLs: `/a/{slug}`.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Slug(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    #[error("must be 2 to 40 characters long")]
    Length,
    #[error("may hold only lowercase letters a-z, digits and '-', and must start with a letter and not end with '-'")]
    Characters,
}

impl Slug {
    pub fn parse(s: &str) -> Result<Self, SlugError> {
        if !(2..=40).contains(&s.len()) {
            return Err(SlugError::Length);
        }
        let bytes = s.as_bytes();
        let allowed = bytes.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-');
        let starts_with_letter = bytes.first().is_some_and(|b| b.is_ascii_lowercase());
        if !allowed || !starts_with_letter || s.ends_with('-') || s.contains("--") {
            return Err(SlugError::Characters);
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_slugs() {
        for ok in ["demo", "ms-nord", "dmsg2", "pv"] {
            assert!(Slug::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn rejects_bad_slugs() {
        for bad in ["", "a", "Demo", "1demo", "de mo", "demo-", "de--mo", "dé", "../x", &"a".repeat(41)] {
            assert!(Slug::parse(bad).is_err(), "{bad}");
        }
    }
}
