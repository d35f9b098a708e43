//! The kinds of notification, and how often a member wants each by e-mail.
//!
//! Every kind of in-app notification is listed here once, with its default
//! e-mail frequency. A feature that adds a kind adds it here; the settings
//! API and page, and the mail job, know the kinds from this list only.
//! In the app every notification always shows; the choice is about mail.

use crate::events::TimeZoneName;
use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;
use std::collections::BTreeMap;

/// How often a member is mailed about one kind of notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EmailFrequency {
    Immediately,
    Daily,
    Weekly,
    Never,
}

impl EmailFrequency {
    pub const ALL: [EmailFrequency; 4] = [Self::Immediately, Self::Daily, Self::Weekly, Self::Never];

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == raw)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Immediately => "immediately",
            Self::Daily => "daily",
            Self::Weekly => "weekly",
            Self::Never => "never",
        }
    }
}

/// One kind of notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotificationKind {
    /// As stored and as the API names it.
    pub name: &'static str,
    pub default_email: EmailFrequency,
    /// A kind whose mail cannot be turned down (a crisis report reaches
    /// the staff on duty at once, whatever they chose for the rest).
    pub fixed: bool,
}

const fn kind(name: &'static str, default_email: EmailFrequency) -> NotificationKind {
    NotificationKind { name, default_email, fixed: false }
}

/// Every kind, in the order the settings page lists them. Forum kinds are
/// daily by default: a digest, not a mail per reply.
pub const KINDS: &[NotificationKind] = &[
    kind("reply", EmailFrequency::Daily),
    kind("mention", EmailFrequency::Daily),
    kind("moderation", EmailFrequency::Immediately),
    kind("warning", EmailFrequency::Immediately),
    NotificationKind { name: "crisis_report", default_email: EmailFrequency::Immediately, fixed: true },
    kind("event_changed", EmailFrequency::Immediately),
    kind("event_cancelled", EmailFrequency::Immediately),
    kind("event_promoted", EmailFrequency::Immediately),
    kind("event_reminder", EmailFrequency::Immediately),
    kind("message_request", EmailFrequency::Immediately),
    // A new message in a conversation: one notification per conversation
    // until the member has read it (service::messaging).
    kind("message", EmailFrequency::Immediately),
    // A call in a conversation (not a group's chat) that ended before the
    // member joined it (service::calls); a digest, not a ring by mail.
    kind("missed_call", EmailFrequency::Daily),
    kind("contact_request", EmailFrequency::Immediately),
    kind("contact_answer", EmailFrequency::Daily),
    kind("disclosure_request", EmailFrequency::Immediately),
    kind("disclosure_answer", EmailFrequency::Daily),
    kind("group_invitation", EmailFrequency::Immediately),
    // To the group's moderators.
    kind("group_join_request", EmailFrequency::Daily),
    // Knowledge articles (service::knowledge): one waiting for review, to
    // those who may review it; the decision on one's own, to its author.
    kind("article_submitted", EmailFrequency::Daily),
    kind("article_reviewed", EmailFrequency::Immediately),
];

pub fn find(name: &str) -> Option<&'static NotificationKind> {
    KINDS.iter().find(|k| k.name == name)
}

/// A member's e-mail choice for every kind, defaults filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailChoices(BTreeMap<&'static str, EmailFrequency>);

/// Why a requested choice was refused: the field path and what is wrong.
pub type ChoiceProblem = (String, &'static str);

impl EmailChoices {
    /// The defaults, overridden by what was stored (unknown stored kinds
    /// and frequencies, e.g. of a kind since removed, are skipped; fixed
    /// kinds keep their default).
    pub fn from_stored<'a>(stored: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut choices: BTreeMap<&'static str, EmailFrequency> =
            KINDS.iter().map(|k| (k.name, k.default_email)).collect();
        for (name, raw) in stored {
            if let (Some(kind), Some(frequency)) = (find(name), EmailFrequency::parse(raw)) {
                if !kind.fixed {
                    choices.insert(kind.name, frequency);
                }
            }
        }
        Self(choices)
    }

    /// A whole new set of choices: every kind named is set, every kind not
    /// named goes back to its default. Unknown kinds and frequencies, and a
    /// fixed kind set to anything but its default, are refused by path
    /// (`settings.KIND.email`), all problems at once.
    pub fn parse<'a>(requested: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, Vec<ChoiceProblem>> {
        let mut choices: BTreeMap<&'static str, EmailFrequency> =
            KINDS.iter().map(|k| (k.name, k.default_email)).collect();
        let mut problems = Vec::new();
        for (name, raw) in requested {
            let Some(kind) = find(name) else {
                problems.push((format!("settings.{}", printable(name)), "is not a kind of notification"));
                continue;
            };
            match EmailFrequency::parse(raw) {
                None => problems
                    .push((format!("settings.{name}.email"), "must be one of: immediately, daily, weekly, never")),
                Some(frequency) if kind.fixed && frequency != kind.default_email => {
                    problems.push((format!("settings.{name}.email"), "cannot be changed: it is always mailed at once"))
                }
                Some(frequency) => {
                    choices.insert(kind.name, frequency);
                }
            }
        }
        if problems.is_empty() {
            Ok(Self(choices))
        } else {
            Err(problems)
        }
    }

    pub fn get(&self, kind: &str) -> Option<EmailFrequency> {
        self.0.get(kind).copied()
    }

    /// Every kind with its choice, in the order of [`KINDS`].
    pub fn iter(&self) -> impl Iterator<Item = (&'static NotificationKind, EmailFrequency)> + '_ {
        KINDS.iter().map(|k| (k, self.0.get(k.name).copied().unwrap_or(k.default_email)))
    }

    /// The choices that differ from the defaults: what is worth storing.
    pub fn changed(&self) -> Vec<(&'static str, EmailFrequency)> {
        self.iter().filter(|(k, f)| *f != k.default_email).map(|(k, f)| (k.name, f)).collect()
    }
}

/// A name from outside, cut and stripped of anything odd, for a field path.
fn printable(name: &str) -> String {
    name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').take(40).collect()
}

/// Quiet hours: no immediate mail from `from` to `to`, in minutes after
/// local midnight (`from > to` spans midnight), in `time_zone` or else the
/// association's. A fixed kind (crisis reports) ignores them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub from: u16,
    pub to: u16,
    pub time_zone: Option<TimeZoneName>,
}

impl QuietHours {
    /// From the API or the page: `"22:00"`, `"07:00"` and an optional IANA
    /// zone. Problems are named by path (`quiet_hours.from`, …).
    pub fn parse(from: &str, to: &str, time_zone: Option<&str>) -> Result<Self, Vec<ChoiceProblem>> {
        let mut problems = Vec::new();
        let from = parse_clock(from);
        let to = parse_clock(to);
        if from.is_none() {
            problems.push(("quiet_hours.from".to_owned(), "must be a time of day such as 22:00"));
        }
        if to.is_none() {
            problems.push(("quiet_hours.to".to_owned(), "must be a time of day such as 07:00"));
        }
        let zone = match time_zone.map(str::trim).filter(|z| !z.is_empty()) {
            None => None,
            Some(raw) => match TimeZoneName::parse(raw) {
                Some(zone) => Some(zone),
                None => {
                    problems
                        .push(("quiet_hours.time_zone".to_owned(), "must be an IANA time zone such as Europe/Berlin"));
                    None
                }
            },
        };
        match (from, to) {
            (Some(from), Some(to)) if from == to => {
                problems.push(("quiet_hours.to".to_owned(), "must differ from the start"));
                Err(problems)
            }
            (Some(from), Some(to)) if problems.is_empty() => Ok(Self { from, to, time_zone: zone }),
            _ => Err(problems),
        }
    }

    /// As stored; `None` for values no parse would have let through.
    pub fn from_stored(from: i32, to: i32, time_zone: Option<&str>) -> Option<Self> {
        let from = u16::try_from(from).ok().filter(|m| *m < MINUTES_PER_DAY)?;
        let to = u16::try_from(to).ok().filter(|m| *m < MINUTES_PER_DAY)?;
        Some(Self { from, to, time_zone: time_zone.and_then(TimeZoneName::parse) })
    }

    /// Whether `now` falls in the quiet hours; `fallback` is the
    /// association's time zone.
    pub fn is_quiet(&self, now: DateTime<Utc>, fallback: Tz) -> bool {
        let zone = self.time_zone.map_or(fallback, TimeZoneName::tz);
        let local = now.with_timezone(&zone);
        let minute = u16::try_from(local.hour() * 60 + local.minute()).unwrap_or(0);
        if self.from < self.to {
            (self.from..self.to).contains(&minute)
        } else {
            minute >= self.from || minute < self.to
        }
    }

    /// `"HH:MM"` of a minute of the day.
    pub fn clock(minute: u16) -> String {
        format!("{:02}:{:02}", minute / 60, minute % 60)
    }
}

const MINUTES_PER_DAY: u16 = 24 * 60;

/// `"HH:MM"` → minutes after midnight.
fn parse_clock(raw: &str) -> Option<u16> {
    let (h, m) = raw.trim().split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let h: u16 = h.parse().ok()?;
    let m: u16 = m.parse().ok()?;
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// The local hour at which digests are due.
pub const DIGEST_HOUR: u32 = 8;

/// The latest moment at or before `now` when a digest of `frequency` was
/// due: 08:00 local each day (daily) or each Monday (weekly); `None` for
/// the other frequencies. A digest gathers what was written before it, so
/// a member gets at most one digest per day or week, without any state
/// but the records of what was mailed.
pub fn last_digest_time(frequency: EmailFrequency, now: DateTime<Utc>, zone: Tz) -> Option<DateTime<Utc>> {
    let local = now.with_timezone(&zone).date_naive();
    let at = |day: NaiveDate| day.and_hms_opt(DIGEST_HOUR, 0, 0).map(|t| crate::events::local_to_utc(zone, t));
    match frequency {
        EmailFrequency::Daily => {
            let today = at(local)?;
            if today <= now {
                Some(today)
            } else {
                at(local.pred_opt()?)
            }
        }
        EmailFrequency::Weekly => {
            let monday = local - chrono::Duration::days(i64::from(local.weekday().num_days_from_monday()));
            let this_week = at(monday)?;
            if this_week <= now {
                Some(this_week)
            } else {
                at(monday - chrono::Duration::days(7))
            }
        }
        EmailFrequency::Immediately | EmailFrequency::Never => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_what_is_not_named() {
        let choices = EmailChoices::parse([("reply", "weekly")]).unwrap();
        assert_eq!(choices.get("reply"), Some(EmailFrequency::Weekly));
        assert_eq!(choices.get("mention"), Some(EmailFrequency::Daily));
        assert_eq!(choices.changed(), vec![("reply", EmailFrequency::Weekly)]);
    }

    #[test]
    fn unknown_kinds_and_frequencies_are_named() {
        let problems = EmailChoices::parse([("replies", "daily"), ("mention", "hourly")]).unwrap_err();
        let paths: Vec<&str> = problems.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["settings.replies", "settings.mention.email"]);
    }

    #[test]
    fn a_crisis_report_cannot_be_muted() {
        assert!(EmailChoices::parse([("crisis_report", "never")]).is_err());
        assert!(EmailChoices::parse([("crisis_report", "immediately")]).is_ok());
        let stored = EmailChoices::from_stored([("crisis_report", "never")]);
        assert_eq!(stored.get("crisis_report"), Some(EmailFrequency::Immediately));
    }

    #[test]
    fn quiet_hours_span_midnight_in_the_members_zone() {
        let quiet = QuietHours::parse("22:00", "07:00", Some("Europe/Berlin")).expect("valid");
        let at = |h, m| chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 22, h, m, 0).single().expect("time");
        // 21:30 UTC is 22:30 in Berlin; 06:30 UTC is 07:30.
        assert!(quiet.is_quiet(at(21, 30), Tz::UTC));
        assert!(quiet.is_quiet(at(5, 59), Tz::UTC));
        assert!(!quiet.is_quiet(at(6, 30), Tz::UTC));
        let day = QuietHours::parse("9:00", "17:00", None).expect("valid");
        assert!(day.is_quiet(at(9, 0), Tz::UTC) && !day.is_quiet(at(17, 0), Tz::UTC));
        for (from, to, zone) in [
            ("25:00", "07:00", None),
            ("22:00", "22:00", None),
            ("x", "7:5", None),
            ("22:00", "07:00", Some("Mars/Base")),
        ] {
            assert!(QuietHours::parse(from, to, zone).is_err(), "{from} {to} {zone:?}");
        }
    }

    #[test]
    fn digests_are_due_at_eight_local_daily_and_on_mondays() {
        let at = |d, h| chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, d, h, 0, 0).single().expect("time");
        let berlin: Tz = "Europe/Berlin".parse().expect("zone");
        // Sunday 22 November 2026, 09:00 UTC = 10:00 in Berlin.
        assert_eq!(last_digest_time(EmailFrequency::Daily, at(22, 9), berlin), Some(at(22, 7)));
        assert_eq!(last_digest_time(EmailFrequency::Daily, at(22, 6), berlin), Some(at(21, 7)));
        assert_eq!(last_digest_time(EmailFrequency::Weekly, at(22, 9), berlin), Some(at(16, 7)));
        assert_eq!(last_digest_time(EmailFrequency::Weekly, at(23, 7), berlin), Some(at(23, 7)));
        assert_eq!(last_digest_time(EmailFrequency::Never, at(22, 9), berlin), None);
    }
}
