//! service::cursor — paging cursors that only this server can make.
//!
//! Every list that pages with a cursor (member search, group search, the
//! topics of a category or group, post search, notifications, the audit
//! log, events, conversations) hands out `PAYLOAD.MAC`: the list's own position (a name key, a
//! time and an id, …, in a URL-safe encoding without `.`) and a keyed hash
//! of it under the association's search key (`crypto::AssociationKey::
//! search_token`, purpose `cursor:LIST`), cut to 128 bits. A cursor that
//! was not given out — forged, edited, from another list or another
//! association — fails the hash and is answered 422 before its payload is
//! even read, so a payload can never carry NUL, an out-of-range time or
//! anything else to SQL. The payload is still parsed strictly behind it
//! (each list's decoder checks ranges and id formats): a leaked search key
//! must not turn into a 500.
//!
//! Cursors do not expire and are not bound to a member: they only say where
//! a page ended, which the member already saw.

use crate::sessions::constant_time_eq;
use crate::{Association, Kindred};

/// The lists that page with a cursor; the MAC keeps them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CursorList {
    Members,
    Groups,
    Topics,
    PostSearch,
    Notifications,
    AuditLog,
    Events,
    Conversations,
    Articles,
}

impl CursorList {
    fn purpose(self) -> &'static str {
        match self {
            Self::Members => "cursor:members",
            Self::Groups => "cursor:groups",
            Self::Topics => "cursor:topics",
            Self::PostSearch => "cursor:post-search",
            Self::Notifications => "cursor:notifications",
            Self::AuditLog => "cursor:audit-log",
            Self::Events => "cursor:events",
            Self::Conversations => "cursor:conversations",
            Self::Articles => "cursor:articles",
        }
    }
}

/// Hex digits of the MAC kept in a cursor (128 bits).
const MAC_HEX: usize = 32;
/// Longer cursors are refused before any work.
const MAX_CURSOR: usize = 1024;

impl Kindred {
    fn cursor_mac(&self, association: &Association, list: CursorList, payload: &str) -> Option<String> {
        match self.keys.association(&association.id) {
            Ok(key) => Some(key.search_token(list.purpose(), payload)[..MAC_HEX].to_owned()),
            Err(error) => {
                // Cannot happen (fixed-length key derivation); without a key
                // no cursor is given out, so the list ends at this page.
                tracing::error!(%error, "no key for paging cursors");
                None
            }
        }
    }

    /// The cursor to give out for `payload` (URL-safe, without `.`).
    pub fn seal_cursor(&self, association: &Association, list: CursorList, payload: &str) -> Option<String> {
        self.cursor_mac(association, list, payload).map(|mac| format!("{payload}.{mac}"))
    }

    /// The payload of a cursor this server gave out for `list`; `None` for
    /// anything else.
    pub fn open_cursor(&self, association: &Association, list: CursorList, raw: &str) -> Option<String> {
        if raw.len() > MAX_CURSOR {
            return None;
        }
        let (payload, mac) = raw.trim().rsplit_once('.')?;
        if mac.len() != MAC_HEX || payload.is_empty() {
            return None;
        }
        let expected = self.cursor_mac(association, list, payload)?;
        constant_time_eq(&expected, mac).then(|| payload.to_owned())
    }
}

/// Whether a time read from a cursor payload is one a row can have: both
/// databases store years 1 to 9999 at most, PostgreSQL refuses more with an
/// error, so nothing outside a sober range is handed to SQL.
pub(crate) fn plausible_time(at: chrono::DateTime<chrono::Utc>) -> bool {
    use chrono::Datelike;
    (1900..=9999).contains(&at.year())
}

/// What every list says of a cursor it did not give out.
pub const BAD_CURSOR: &str = "is not a cursor this server gave out";
