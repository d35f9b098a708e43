//! The words of a page: translated texts, moments as a page shows them, and
//! the short notices a page may show after a redirect.

use super::association::AssociationPage;
use crate::i18n;
use chrono::{DateTime, Utc};
use fluent_templates::fluent_bundle::FluentValue;
use kindred_domain::Language;
use serde::{Deserialize, Serialize};

/// The text of a message key in the page's language.
pub(super) fn tr(page: &AssociationPage, key: &str) -> String {
    i18n::text(page.language, key, &[])
}

pub(super) fn tr_args(page: &AssociationPage, key: &str, args: &[(&str, FluentValue<'static>)]) -> String {
    i18n::text(page.language, key, args)
}

/// `?done=…` and `?count=…` after a redirect.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: Option<String>,
    count: Option<u32>,
}

/// Notices that a page may show after a redirect.
const NOTICES: &[&str] = &[
    "signed-out",
    "password-reset",
    "confirmation-sent",
    "verified",
    "letter-requested",
    "manual-requested",
    "password-changed",
    "session-ended",
    "two-factor-removed",
    "approved",
    "already-done",
    "role-changed",
    "imported",
    "member-suspended",
    "member-reinstated",
    "notification-settings-saved",
    "settings-saved",
    "export-requested",
];

pub(super) fn notice(page: &AssociationPage, query: &DoneQuery) -> Option<String> {
    let key = query.done.as_deref().filter(|d| NOTICES.contains(d))?;
    let count = i64::from(query.count.unwrap_or(0));
    Some(tr_args(page, &format!("notice-{key}"), &[("count", FluentValue::from(count))]))
}

#[derive(Serialize)]
pub(super) struct When {
    iso: String,
    text: String,
}

/// A moment as the page shows it, in UTC.
pub(super) fn when(language: Language, at: DateTime<Utc>) -> When {
    let format = match language {
        Language::De => "%d.%m.%Y, %H:%M UTC",
        Language::Nl => "%d-%m-%Y, %H:%M UTC",
        Language::En => "%Y-%m-%d, %H:%M UTC",
    };
    When { iso: at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true), text: at.format(format).to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_moments_per_language() {
        let at = DateTime::from_timestamp(1_767_225_600, 0).unwrap_or_default();
        assert_eq!(when(Language::En, at).text, "2026-01-01, 00:00 UTC");
        assert_eq!(when(Language::De, at).text, "01.01.2026, 00:00 UTC");
        assert_eq!(when(Language::Nl, at).iso, "2026-01-01T00:00:00Z");
    }
}
