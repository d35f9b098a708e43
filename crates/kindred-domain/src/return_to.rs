//! Where to send a member back to after signing in: a page of the same
//! association, never anywhere else.
//!
//! The value travels through a query parameter and a hidden form field, so
//! it is hostile. Only a path relative to the association's root is kept;
//! the web layer puts the association's base in front of it. Anything that
//! a browser could read as another host (`//evil.example`, `/\evil`), a
//! scheme, control characters or the sign-in pages themselves (which would
//! loop) is refused, and the caller falls back to the home page.

/// A path within the association, with its query: `/forum/topics/abc?page=2`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnTo(String);

/// Longer than any page address of ours.
const MAX_LENGTH: usize = 512;

/// Pages where coming back after signing in makes no sense.
const NOT_AFTER_SIGN_IN: [&str; 6] =
    ["/sign-in", "/sign-out", "/register", "/forgot-password", "/reset-password", "/confirm-email"];

impl ReturnTo {
    pub fn parse(raw: &str) -> Option<Self> {
        if raw.is_empty() || raw.len() > MAX_LENGTH || !raw.starts_with('/') {
            return None;
        }
        // "//host" and "/\host" are read by browsers as another host.
        if raw.starts_with("//") || raw.contains('\\') {
            return None;
        }
        // Only printable ASCII: percent-encoded everything else, as a path
        // we gave out always is. No spaces, no controls, no fragment.
        if !raw.bytes().all(|b| b.is_ascii_graphic()) || raw.contains('#') {
            return None;
        }
        let path = raw.split('?').next().unwrap_or(raw);
        // "/a/b/../../x" would leave the association once joined to its base.
        if path.split('/').any(|segment| segment == ".." || segment == "." || segment.eq_ignore_ascii_case("%2e%2e")) {
            return None;
        }
        if path.to_ascii_lowercase().contains("%2f") || path.to_ascii_lowercase().contains("%5c") {
            return None;
        }
        if NOT_AFTER_SIGN_IN.iter().any(|p| path == *p || path.starts_with(&format!("{p}/"))) {
            return None;
        }
        Some(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_the_association_are_kept() {
        for ok in ["/", "/forum", "/forum/topics/abc23?page=2", "/members?q=anna&condition=ms", "/groups/x%20y"] {
            assert_eq!(ReturnTo::parse(ok).map(|r| r.0), Some(ok.to_owned()), "{ok}");
        }
    }

    #[test]
    fn anything_that_could_leave_the_association_is_refused() {
        for bad in [
            "",
            "forum",
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "/%5cevil.example",
            "/forum/../../x",
            "/./x",
            "/%2e%2e/x",
            "/a%2f..%2fb",
            "/forum\n",
            "/forum\r\nSet-Cookie: x",
            "/for um",
            "/forum#frag",
            "/ü",
            "/sign-in",
            "/sign-in/second-factor",
            "/sign-out",
            "/register",
            "/reset-password?token=x",
        ] {
            assert_eq!(ReturnTo::parse(bad), None, "{bad:?}");
        }
        assert_eq!(ReturnTo::parse(&format!("/{}", "a".repeat(600))), None);
    }
}
