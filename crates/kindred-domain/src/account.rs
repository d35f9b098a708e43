//! Accounts: who someone is within one association.

use std::fmt;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;
use unicode_security::restriction_level::{RestrictionLevel, RestrictionLevelDetection};
use unicode_security::{skeleton, GeneralSecurityProfile};

/// What a member may do beyond taking part.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AccountRole {
    Admin,
    Moderator,
    Professional,
    Member,
}

impl AccountRole {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "admin" => Some(Self::Admin),
            "moderator" => Some(Self::Moderator),
            "professional" => Some(Self::Professional),
            "member" => Some(Self::Member),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Moderator => "moderator",
            Self::Professional => "professional",
            Self::Member => "member",
        }
    }
}

/// Where an account stands in admission.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AccountStatus {
    EmailUnconfirmed,
    Unverified,
    Active,
    Suspended,
}

impl AccountStatus {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "email_unconfirmed" => Some(Self::EmailUnconfirmed),
            "unverified" => Some(Self::Unverified),
            "active" => Some(Self::Active),
            "suspended" => Some(Self::Suspended),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::EmailUnconfirmed => "email_unconfirmed",
            Self::Unverified => "unverified",
            Self::Active => "active",
            Self::Suspended => "suspended",
        }
    }
}

/// An e-mail address, trimmed. Compared case-insensitively via [`EmailAddress::key`].
#[derive(Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("is not an e-mail address (like name@example.org)")]
pub struct EmailError;

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let s = raw.trim();
        let (local, domain) = s.rsplit_once('@').ok_or(EmailError)?;
        let ok = !local.is_empty()
            && local.len() <= 64
            && s.len() <= 254
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !s.chars().any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>' || c == ',')
            && !local.contains('@');
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(EmailError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form used for uniqueness and look-up.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

impl fmt::Debug for EmailAddress {
    // Never print an address into logs by accident.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EmailAddress(..)")
    }
}

/// The name a member is known by; always visible to verified members.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pseudonym(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PseudonymError {
    #[error("must be 3 to 60 characters long")]
    Length,
    #[error("may hold letters, digits, spaces and . _ - only, and must start with a letter or digit")]
    Characters,
    /// Invisible, full-width and other special forms of letters (UTS #39:
    /// not allowed in identifiers): they make a name look like another.
    #[error("may not hold invisible characters or special forms of letters (such as full-width letters)")]
    Unusual,
    /// Letters of scripts mixed the way look-alikes are made (Latin with
    /// Cyrillic, say); UTS #39 "highly restrictive" is the most allowed.
    #[error("may not mix letters of different scripts (such as Latin and Cyrillic)")]
    MixedScripts,
}

/// The most a pseudonym may mix scripts: one script, or Latin with the
/// scripts written together with it (Han, Hiragana, Katakana, Hangul).
const MOST_MIXED: RestrictionLevel = RestrictionLevel::HighlyRestrictive;

impl Pseudonym {
    pub fn parse(raw: &str) -> Result<Self, PseudonymError> {
        // One form for what looks the same: "é" typed as e + accent is "é".
        let s: String = raw.trim().nfc().collect();
        let count = s.chars().count();
        if !(3..=60).contains(&count) {
            return Err(PseudonymError::Length);
        }
        let chars_ok = s.chars().all(|c| c.is_alphanumeric() || c == ' ' || c == '.' || c == '_' || c == '-');
        let starts_ok = s.chars().next().is_some_and(char::is_alphanumeric);
        if !chars_ok || !starts_ok || s.contains("  ") {
            return Err(PseudonymError::Characters);
        }
        let letters: String = s.chars().filter(|c| c.is_alphanumeric()).collect();
        if !letters.chars().all(GeneralSecurityProfile::identifier_allowed) {
            return Err(PseudonymError::Unusual);
        }
        if !letters.as_str().check_restriction_level(MOST_MIXED) {
            return Err(PseudonymError::MixedScripts);
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form used for case-insensitive uniqueness.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }

    /// The form used for uniqueness by looks: two pseudonyms with the same
    /// skeleton key would be taken for each other ("Anna" written with a
    /// Cyrillic "А", "B0b" and "Bob", "Iris" and "lris", "Admin" and
    /// "ADMlN"). The UTS #39 skeleton of the upper-case form (so that a
    /// capital "I" meets a small "l" whatever case the other name uses),
    /// lowercased (case does not tell names apart either), and the skeleton
    /// of that (lowercase letters have look-alikes of their own: "rn", "m").
    /// This merges a little more than the eye would ("Ali" and "All"); a
    /// pseudonym refused too often is cheaper than one that poses as staff.
    pub fn skeleton_key(&self) -> String {
        skeleton_key(&self.0)
    }
}

/// [`Pseudonym::skeleton_key`] of a pseudonym as stored, which may be
/// older than the rules [`Pseudonym::parse`] applies now.
pub fn skeleton_key(pseudonym: &str) -> String {
    let first: String = skeleton(&pseudonym.to_uppercase()).collect();
    skeleton(&first.to_lowercase()).collect()
}

/// A password a member chose; kept only until it is hashed.
pub struct Password(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("must be at least 10 characters long")]
    TooShort,
    #[error("must be at most 1024 characters long")]
    TooLong,
    #[error("is one of the most commonly used passwords; please choose another")]
    Common,
}

/// The shortest password accepted.
const PASSWORD_MIN_CHARS: usize = 10;

/// Common and breached passwords of at least [`PASSWORD_MIN_CHARS`] characters,
/// lowercased; see `data/README.md` for source and licence.
const COMMON_PASSWORDS: &str = include_str!("../data/common-passwords.txt");

/// The list as a sorted slice, built on first use.
fn common_passwords() -> &'static [&'static str] {
    static LIST: OnceLock<Vec<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| {
        let mut list: Vec<&'static str> = COMMON_PASSWORDS.lines().filter(|l| !l.is_empty()).collect();
        list.sort_unstable();
        list.dedup();
        list
    })
}

/// Whether a password is too common to accept: on the list (ignoring case),
/// or one character repeated.
fn is_common(raw: &str) -> bool {
    let lower = raw.to_lowercase();
    let mut chars = lower.chars();
    if let Some(first) = chars.next() {
        if chars.all(|c| c == first) {
            return true;
        }
    }
    common_passwords().binary_search(&lower.as_str()).is_ok()
}

impl Password {
    /// NIST 800-63B: a minimum length, no composition rules, and not one of
    /// the commonly used or breached passwords.
    pub fn parse(raw: &str) -> Result<Self, PasswordError> {
        let count = raw.chars().count();
        if count < PASSWORD_MIN_CHARS {
            return Err(PasswordError::TooShort);
        }
        if raw.len() > 1024 {
            return Err(PasswordError::TooLong);
        }
        if is_common(raw) {
            return Err(PasswordError::Common);
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert!(EmailAddress::parse(" a.b@example.org ").is_ok());
        for bad in ["", "a", "a@b", "@example.org", "a@.org", "a b@example.org", "a@example.org."] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(EmailAddress::parse("A@Example.ORG").map(|e| e.key()), Ok("a@example.org".into()));
    }

    #[test]
    fn pseudonyms() {
        assert!(Pseudonym::parse("Anna K.").is_ok());
        assert!(Pseudonym::parse("Jörg_1").is_ok());
        assert_eq!(Pseudonym::parse("ab"), Err(PseudonymError::Length));
        assert_eq!(Pseudonym::parse("<script>"), Err(PseudonymError::Characters));
        assert_eq!(Pseudonym::parse("_x_y"), Err(PseudonymError::Characters));
        // Decomposed accents are composed: one form for one look.
        assert_eq!(Pseudonym::parse("Jo\u{308}rg").map(|p| p.as_str().to_owned()), Ok("Jörg".to_owned()));
        // Scripts of their own are fine, and Latin with Han or Hangul too.
        for fine in ["Анна", "Ελένη", "さくら", "김민수", "Anna 李", "Mia_2", "Noël-Zoë"] {
            assert!(Pseudonym::parse(fine).is_ok(), "{fine}");
        }
    }

    #[test]
    fn look_alike_pseudonyms_are_refused_or_collide() {
        // Cyrillic А (U+0410) among Latin letters.
        assert_eq!(Pseudonym::parse("\u{410}dmin Team"), Err(PseudonymError::MixedScripts));
        assert_eq!(Pseudonym::parse("Ann\u{430}"), Err(PseudonymError::MixedScripts));
        // Full-width letters, and a Hangul filler that shows as nothing.
        assert_eq!(Pseudonym::parse("\u{FF21}\u{FF4E}\u{FF4E}\u{FF41}"), Err(PseudonymError::Unusual));
        assert_eq!(Pseudonym::parse("Anna\u{3164}"), Err(PseudonymError::Unusual));
        // Invisible joiners and direction marks are not letters at all.
        for invisible in ["An\u{200D}na", "Anna\u{200B}", "\u{202E}Anna", "An\u{AD}na"] {
            assert_eq!(Pseudonym::parse(invisible), Err(PseudonymError::Characters), "{invisible:?}");
        }
        let key = |s: &str| Pseudonym::parse(s).map(|p| p.skeleton_key()).unwrap();
        assert_eq!(key("Bob"), key("B0b"));
        assert_eq!(key("Iris"), key("lris"));
        assert_eq!(key("Anna"), key("ANNA"));
        assert_eq!(key("Modern"), key("Modem"));
        // A small "l" for a capital "I", whatever case the other name uses.
        assert_eq!(key("Admin"), key("ADMlN"));
        assert_eq!(key("admin"), key("AdmIn"));
        // A whole word in another script that looks Latin: same skeleton.
        assert_eq!(key("аре"), key("ape"));
        assert_ne!(key("Anna"), key("Anne"));
    }

    #[test]
    fn passwords() {
        assert!(Password::parse("correct horse").is_ok());
        assert!(matches!(Password::parse("short"), Err(PasswordError::TooShort)));
    }

    #[test]
    fn common_passwords_are_refused() {
        for common in ["password1234", "1234567890", "qwertyuiop", "basketball", "iloveyou123", "1q2w3e4r5t"] {
            assert_eq!(Password::parse(common).err(), Some(PasswordError::Common), "{common}");
        }
        // Case does not help.
        for common in ["Password1234", "QWERTYUIOP", "BasketBall"] {
            assert_eq!(Password::parse(common).err(), Some(PasswordError::Common), "{common}");
        }
        // One character repeated.
        for repeated in ["aaaaaaaaaaaa", "AAAAAaaaaa", "          ", "ääääääääää", "1111111111111111111111"] {
            assert_eq!(Password::parse(repeated).err(), Some(PasswordError::Common), "{repeated:?}");
        }
        // The length rules still come first.
        assert_eq!(Password::parse("aaaa").err(), Some(PasswordError::TooShort));
        assert_eq!(Password::parse(&"a".repeat(1025)).err(), Some(PasswordError::TooLong));
    }

    #[test]
    fn uncommon_passwords_are_accepted() {
        // Including every password the code base and its tests use.
        for fine in [
            "correct horse battery",
            "correct horse",
            "kindred-demo-2026",
            "a-long-password",
            "a long enough password",
            "wrong password!",
            "whatever-it-is",
            "aaaaaaaaab",
        ] {
            assert!(Password::parse(fine).is_ok(), "{fine}");
        }
    }

    #[test]
    fn common_password_list_is_clean() {
        let list = common_passwords();
        assert!(list.len() > 1_000, "{}", list.len());
        let stored: Vec<&str> = COMMON_PASSWORDS.lines().collect();
        assert_eq!(stored, list, "the file must be sorted and deduplicated");
        for entry in list {
            assert_eq!(*entry, entry.to_lowercase(), "not lowercase: {entry}");
            assert_eq!(*entry, entry.trim(), "surrounding space: {entry:?}");
            // Shorter entries would never be consulted; if the minimum is lowered, regenerate the list.
            assert!(entry.chars().count() >= PASSWORD_MIN_CHARS, "too short: {entry}");
        }
    }
}
