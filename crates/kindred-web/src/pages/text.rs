//! The words of a page: translated texts, moments as a page shows them, and
//! the short notices a page may show after a redirect.

use super::association::AssociationPage;
use crate::i18n;
use chrono::{DateTime, Utc};
use fluent_templates::fluent_bundle::FluentValue;
use kindred_domain::events::TimeZoneName;
use kindred_domain::Language;
use serde::{Deserialize, Serialize};

/// The text of a message key in the page's language.
/// The text of a message key in the page's language, in the association's
/// form of address.
pub(super) fn tr(page: &AssociationPage, key: &str) -> String {
    i18n::text(voice(page), key, &[])
}

/// The words for a text refused for a character no field takes (a control
/// or a text-direction override character), whatever the field, where the
/// service's problem (`kindred_domain::text::TextProblem::message`) says
/// so: a form's usual message ("at most 200 characters") would be wrong.
pub(super) fn character_problem(page: &AssociationPage, problem: &str) -> Option<String> {
    let characters = problem.starts_with("contains a control character")
        || problem.starts_with("contains a text-direction override character");
    characters.then(|| tr(page, "profile-problem-control"))
}

pub(super) fn tr_args(page: &AssociationPage, key: &str, args: &[(&str, FluentValue<'static>)]) -> String {
    i18n::text(voice(page), key, args)
}

/// The page's language with the association's form of address.
pub(super) fn voice(page: &AssociationPage) -> i18n::Voice {
    i18n::Voice::of(page.language, &page.tenant.association)
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
    "preferences-saved",
    "settings-saved",
    "declined",
    "invitations-revoked",
    "export-requested",
];

pub(super) fn notice(page: &AssociationPage, query: &DoneQuery) -> Option<String> {
    let key = query.done.as_deref().filter(|d| NOTICES.contains(d))?;
    let count = i64::from(query.count.unwrap_or(0));
    Some(tr_args(page, &format!("notice-{key}"), &[("count", FluentValue::from(count))]))
}

/// A moment as a page shows it: relative to now ("2 hours ago"), with the
/// exact time in the viewer's zone beside it. Templates write it as
/// `<time datetime="{{ w.iso }}" title="{{ w.exact }}">{{ w.text }}<span
/// class="visually-hidden"> ({{ w.exact }})</span></time>`: the title for a
/// pointer, the hidden text for the accessible name (a tooltip alone is
/// not accessible).
#[derive(Serialize)]
pub(super) struct When {
    iso: String,
    text: String,
    exact: String,
}

/// A moment as the page shows it: in the viewer's zone
/// ([`AssociationPage::zone`]), relative to the page's now. The one
/// place where pages turn a time into words.
pub(super) fn when(page: &AssociationPage, at: DateTime<Utc>) -> When {
    moment(page.language, page.zone, page.now, at)
}

/// Up to this far from now a time reads relative ("3 days ago"); further
/// away the date is clearer.
const RELATIVE_DAYS: i64 = 7;

/// A moment shown only as the exact date and time (a topic page's posts):
/// [`when`] without the relative words, which cost a Fluent lookup each.
pub(super) fn when_exact(page: &AssociationPage, at: DateTime<Utc>) -> When {
    let exact = exact_time(page.language, page.zone, at);
    When { iso: iso(at), text: exact.clone(), exact }
}

fn iso(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn exact_time(language: Language, zone: TimeZoneName, at: DateTime<Utc>) -> String {
    let format = match language {
        Language::De => "%d.%m.%Y, %H:%M %Z",
        Language::Nl => "%d-%m-%Y, %H:%M %Z",
        Language::En => "%Y-%m-%d, %H:%M %Z",
    };
    at.with_timezone(&zone.tz()).format(format).to_string()
}

fn moment(language: Language, zone: TimeZoneName, now: DateTime<Utc>, at: DateTime<Utc>) -> When {
    let date = match language {
        Language::De => "%d.%m.%Y",
        Language::Nl => "%d-%m-%Y",
        Language::En => "%Y-%m-%d",
    };
    let exact = exact_time(language, zone, at);
    let text = relative(language, now, at).unwrap_or_else(|| at.with_timezone(&zone.tz()).format(date).to_string());
    When { iso: iso(at), text, exact }
}

/// "just now", "5 minutes ago", "in 2 days" (Fluent plurals), or `None`
/// beyond [`RELATIVE_DAYS`].
fn relative(language: Language, now: DateTime<Utc>, at: DateTime<Utc>) -> Option<String> {
    let seconds = (now - at).num_seconds();
    let distance = seconds.unsigned_abs();
    if seconds >= 0 && distance < 60 {
        return Some(i18n::text(language, "when-now", &[]));
    }
    let (unit, count) = match distance {
        0..=3_599 => ("minutes", (distance / 60).max(1)),
        3_600..=86_399 => ("hours", distance / 3_600),
        _ if distance < RELATIVE_DAYS.unsigned_abs() * 86_400 => ("days", distance / 86_400),
        _ => return None,
    };
    let direction = if seconds < 0 { "ahead" } else { "ago" };
    let count = i64::try_from(count).unwrap_or(i64::MAX);
    Some(i18n::text(language, &format!("when-{unit}-{direction}"), &[("count", FluentValue::from(count))]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(seconds, 0).unwrap_or_default()
    }

    #[test]
    fn exact_moments_are_in_the_viewers_zone() {
        let berlin = TimeZoneName::parse("Europe/Berlin").unwrap();
        let new_year = at(1_767_225_600); // 2026-01-01T00:00:00Z
        let shown = moment(Language::De, berlin, new_year, new_year);
        assert_eq!(shown.exact, "01.01.2026, 01:00 CET");
        assert_eq!(shown.iso, "2026-01-01T00:00:00Z");
        let shown = moment(Language::En, TimeZoneName::utc(), new_year, new_year);
        assert_eq!(shown.exact, "2026-01-01, 00:00 UTC");
        let summer = at(1_782_900_000); // 2026-07-01, summer time
        assert!(moment(Language::Nl, berlin, summer, summer).exact.ends_with("CEST"));
    }

    #[test]
    fn near_moments_read_relative_with_plurals() {
        let now = at(1_767_225_600);
        let ago = |s: i64, l: Language| moment(l, TimeZoneName::utc(), now, at(1_767_225_600 - s)).text;
        assert_eq!(ago(10, Language::En), "just now");
        assert_eq!(ago(60, Language::En), "1 minute ago");
        assert_eq!(ago(120, Language::En), "2 minutes ago");
        assert_eq!(ago(2 * 3600 + 5, Language::En), "2 hours ago");
        assert_eq!(ago(3600, Language::De), "vor 1 Stunde");
        assert_eq!(ago(3 * 86_400, Language::De), "vor 3 Tagen");
        assert_eq!(ago(86_400, Language::Nl), "1 dag geleden");
        assert_eq!(ago(-2 * 86_400, Language::En), "in 2 days");
        assert_eq!(ago(-3 * 3600, Language::Nl), "over 3 uur");
        // Beyond a week: the date, in the zone.
        assert_eq!(ago(8 * 86_400, Language::De), "24.12.2025");
    }
}
