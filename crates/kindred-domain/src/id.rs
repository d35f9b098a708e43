//! Opaque identifiers. 128 random bits from the operating system, written in
//! lowercase base32 (26 characters): nothing about creation order or count can
//! be read from an id, and ids cannot be enumerated.

use data_encoding::BASE32_NOPAD;
use rand::rngs::OsRng;
use rand::RngCore;
use std::fmt;

const ID_BYTES: usize = 16;
/// Length of the text form of an id.
pub const ID_LEN: usize = 26;

fn random_text() -> String {
    let mut bytes = [0u8; ID_BYTES];
    OsRng.fill_bytes(&mut bytes);
    BASE32_NOPAD.encode(&bytes).to_ascii_lowercase()
}

fn looks_like_id(s: &str) -> bool {
    s.len() == ID_LEN && s.bytes().all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b))
}

macro_rules! id_type {
    ($name:ident, $what:literal) => {
        #[doc = concat!("Identifier of ", $what, ".")]
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// A fresh random id.
            pub fn random() -> Self {
                Self(random_text())
            }

            /// Parses an id from outside; `None` when it cannot be one.
            pub fn parse(s: &str) -> Option<Self> {
                looks_like_id(s).then(|| Self(s.to_owned()))
            }

            /// An id read back from our own database.
            pub fn from_trusted(s: String) -> Self {
                Self(s)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }
    };
}

id_type!(AssociationId, "an association");
id_type!(MemberId, "a member account");
id_type!(RequestId, "a contact request or a request for a higher level");
id_type!(FlagId, "a flag raised to staff");
id_type!(GroupId, "a group");
id_type!(CategoryId, "a forum category");
id_type!(TopicId, "a forum topic");
id_type!(PostId, "a forum post");
id_type!(ReportId, "a report to moderators");
id_type!(NotificationId, "an in-app notification");
id_type!(EventId, "an event");
id_type!(ConversationId, "a conversation");
id_type!(MessageId, "a message in a conversation");
id_type!(AttachmentId, "an attachment of a message");
id_type!(ArticleId, "a knowledge article");
id_type!(CallId, "a call in a conversation");

/// A random secret token (sessions, links), 256 bits, base32.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    BASE32_NOPAD.encode(&bytes).to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_ids_parse_and_differ() {
        let a = MemberId::random();
        let b = MemberId::random();
        assert_ne!(a, b);
        assert_eq!(MemberId::parse(a.as_str()), Some(a));
    }

    #[test]
    fn rejects_non_ids() {
        for bad in ["", "1", "../etc/passwd", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "aaaaaaaaaaaaaaaaaaaaaaaaa1"] {
            assert_eq!(MemberId::parse(bad), None, "{bad}");
        }
    }
}
