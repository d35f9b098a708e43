//! service::statistics — the association in numbers, by ISO week (Monday
//! to Sunday, UTC): registrations, verifications by procedure, active
//! members, posts, groups, reports by kind and how long they took to
//! handle. Every count passes `kindred_domain::counts::shown_count` with
//! the association's `count_threshold`: below it the count is `None`
//! (the API's `null`), for admins as for anyone, since a small number in a
//! week can point at a person. Nothing is computed from health fields.
//!
//! Events (created, places taken) and messages sent are counted too; a
//! message is counted when it is sent (`message_tallies`), so erasure and
//! disappearing messages do not change the past weeks. A new statistic is
//! a field in [`WeekStatistics`], a query in `store::statistics`, a column
//! on the page and in the CSV.

use crate::{Association, Kindred};
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use kindred_domain::counts::{shown_count, shown_parts, CountSight};
use kindred_domain::settings::AdmissionProcedure;
use kindred_domain::MemberId;
use kindred_store::{StoreError, WeekCounts};
use std::collections::BTreeMap;

/// Most weeks one request may cover (a year and a bit).
pub const MAX_WEEKS: i64 = 53;
/// Weeks shown when no period is given.
pub const DEFAULT_WEEKS: i64 = 12;

/// The kinds of report, in the order shown.
pub const REPORT_KINDS: [&str; 5] = ["abuse", "spam", "medical_advice", "crisis", "other"];
/// The procedures, in the order shown.
pub const PROCEDURES: [AdmissionProcedure; 4] = [
    AdmissionProcedure::MemberNumber,
    AdmissionProcedure::Letter,
    AdmissionProcedure::Invitation,
    AdmissionProcedure::Manual,
];

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PeriodError {
    #[error("{field}: must be a date as YYYY-MM-DD, from 1970-01-01 to 9998-12-31")]
    NotADate { field: &'static str },
    #[error("to: must not be before from")]
    Reversed,
    #[error("from: the period may cover at most {MAX_WEEKS} weeks")]
    TooLong,
}

impl PeriodError {
    /// The query parameter the problem is about.
    pub fn field(&self) -> &'static str {
        match self {
            Self::NotADate { field } => field,
            Self::Reversed => "to",
            Self::TooLong => "from",
        }
    }
}

/// A period of whole ISO weeks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The Monday of the first week.
    pub first: NaiveDate,
    /// How many weeks.
    pub weeks: i64,
}

fn monday_of(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

impl Period {
    /// The weeks from `from`'s to `to`'s (dates as `YYYY-MM-DD`); without
    /// them, the last [`DEFAULT_WEEKS`] weeks up to `today`'s.
    pub fn parse(from: Option<&str>, to: Option<&str>, today: NaiveDate) -> Result<Self, PeriodError> {
        let date = |raw: Option<&str>, field: &'static str| {
            raw.map(str::trim)
                .filter(|r| !r.is_empty())
                .map(|r| {
                    NaiveDate::parse_from_str(r, "%Y-%m-%d")
                        .ok()
                        // Far-off years would overflow the week arithmetic
                        // and print as `+10000-…`, which is no RFC 3339 date.
                        .filter(|d| (1970..=9998).contains(&d.year()))
                        .ok_or(PeriodError::NotADate { field })
                })
                .transpose()
        };
        let to = date(to, "to")?.unwrap_or(today);
        let from = date(from, "from")?.unwrap_or_else(|| monday_of(to) - Duration::weeks(DEFAULT_WEEKS - 1));
        if to < from {
            return Err(PeriodError::Reversed);
        }
        let first = monday_of(from);
        let weeks = (monday_of(to) - first).num_weeks() + 1;
        if weeks > MAX_WEEKS {
            return Err(PeriodError::TooLong);
        }
        Ok(Self { first, weeks })
    }

    /// The Mondays of every week, and of the week after the last.
    fn bounds(&self) -> Vec<DateTime<Utc>> {
        (0..=self.weeks)
            .filter_map(|i| (self.first + Duration::weeks(i)).and_hms_opt(0, 0, 0))
            .map(|naive| Utc.from_utc_datetime(&naive))
            .collect()
    }

    /// The Sunday of the last week.
    pub fn last_day(&self) -> NaiveDate {
        self.first + Duration::weeks(self.weeks) - Duration::days(1)
    }
}

/// One week; every count `None` where it is below the threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct WeekStatistics {
    pub week_start: NaiveDate,
    pub registrations: Option<u64>,
    /// By procedure code (`member_number`, `letter`, `invitation`, `manual`).
    pub verifications: BTreeMap<&'static str, Option<u64>>,
    pub active_members: Option<u64>,
    pub posts: Option<u64>,
    pub groups: Option<u64>,
    pub reports: Option<u64>,
    /// By kind (`abuse`, `spam`, `medical_advice`, `crisis`, `other`).
    pub reports_by_kind: BTreeMap<&'static str, Option<u64>>,
    /// Events created (not in secret groups).
    pub events: Option<u64>,
    /// Places taken at events, by the week members signed up (not in secret groups).
    pub event_registrations: Option<u64>,
    /// Messages sent in conversations (counts only).
    pub messages: Option<u64>,
    /// Reports resolved or dismissed in the week.
    pub reports_handled: Option<u64>,
    /// The median time from report to handling, in hours, of the reports
    /// handled in the week; only where their count is shown.
    pub median_hours_to_handle: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Statistics {
    pub period: Period,
    pub count_threshold: u32,
    pub weeks: Vec<WeekStatistics>,
}

/// Sums of one statistic by (week, label).
fn by_week(rows: &WeekCounts) -> BTreeMap<(i64, &str), i64> {
    let mut sums = BTreeMap::new();
    for (week, label, n) in rows {
        *sums.entry((*week, label.as_str())).or_insert(0) += n;
    }
    sums
}

impl Kindred {
    /// Notes a verification for the statistics. The member is verified
    /// already; a failure here loses one count, not the verification.
    pub(crate) async fn note_verification(
        &self,
        association: &Association,
        member: &MemberId,
        procedure: AdmissionProcedure,
    ) {
        let noted = self.store.record_verification(&association.id, member, procedure.as_str(), self.clock.now()).await;
        if let Err(error) = noted {
            tracing::warn!(%error, "a verification was not counted for the statistics");
        }
    }

    /// Today's date (UTC), for the default period.
    pub fn today(&self) -> NaiveDate {
        self.clock.now().date_naive()
    }

    /// The statistics of a period.
    pub async fn statistics(&self, association: &Association, period: Period) -> Result<Statistics, StoreError> {
        let records = self.store.weekly_records(&association.id, &period.bounds()).await?;
        let threshold = association.settings.policies.count_threshold;
        let shown = |n: i64| shown_count(n, threshold, CountSight::AtThreshold).exact();
        let registrations = by_week(&records.registrations);
        let verifications = by_week(&records.verifications);
        let active = by_week(&records.active_members);
        let posts = by_week(&records.posts);
        let groups = by_week(&records.groups);
        let reports = by_week(&records.reports);
        let events = by_week(&records.events);
        let event_registrations = by_week(&records.event_registrations);
        let messages = by_week(&records.messages);
        let mut handled: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
        for (week, created, resolved) in &records.handled {
            let hours = (*resolved - *created).num_minutes() as f64 / 60.0;
            handled.entry(*week).or_default().push(hours.max(0.0));
        }
        let total = |sums: &BTreeMap<(i64, &str), i64>, week: i64| {
            sums.range((week, "")..(week + 1, "")).map(|(_, n)| *n).sum::<i64>()
        };
        let weeks = (0..period.weeks)
            .map(|week| {
                let handled_hours = handled.remove(&week).unwrap_or_default();
                let handled_count = shown(handled_hours.len() as i64);
                let by_kind: Vec<i64> =
                    REPORT_KINDS.iter().map(|k| reports.get(&(week, *k)).copied().unwrap_or(0)).collect();
                let (reports_total, reports_by_kind) = shown_parts(&by_kind, threshold);
                WeekStatistics {
                    week_start: period.first + Duration::weeks(week),
                    registrations: shown(total(&registrations, week)),
                    verifications: PROCEDURES
                        .iter()
                        .map(|p| (p.as_str(), shown(verifications.get(&(week, p.as_str())).copied().unwrap_or(0))))
                        .collect(),
                    active_members: shown(total(&active, week)),
                    posts: shown(total(&posts, week)),
                    groups: shown(total(&groups, week)),
                    reports: reports_total,
                    reports_by_kind: REPORT_KINDS.iter().copied().zip(reports_by_kind).collect(),
                    events: shown(total(&events, week)),
                    event_registrations: shown(total(&event_registrations, week)),
                    messages: shown(total(&messages, week)),
                    reports_handled: handled_count,
                    median_hours_to_handle: handled_count.and_then(|_| median(handled_hours)),
                }
            })
            .collect();
        Ok(Statistics { period, count_threshold: threshold, weeks })
    }
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let middle = match n {
        0 => return None,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    };
    Some((middle * 10.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn periods_are_whole_weeks() {
        let today = day("2026-11-22"); // a Sunday
        let default = Period::parse(None, None, today);
        assert_eq!(default, Ok(Period { first: day("2026-08-31"), weeks: 12 }));
        let one = Period::parse(Some("2026-11-18"), Some("2026-11-18"), today);
        assert_eq!(one, Ok(Period { first: day("2026-11-16"), weeks: 1 }));
        assert_eq!(Period::parse(Some("2026-11-18"), Some("2026-11-01"), today), Err(PeriodError::Reversed));
        assert_eq!(Period::parse(Some("2024-01-01"), None, today), Err(PeriodError::TooLong));
        assert_eq!(Period::parse(Some("yesterday"), None, today), Err(PeriodError::NotADate { field: "from" }));
        // Far-off years are refused, not overflowed.
        for far in ["+262142-12-31", "-262143-01-01", "10000-01-01", "1969-12-31", "9999-12-31"] {
            assert_eq!(Period::parse(None, Some(far), today), Err(PeriodError::NotADate { field: "to" }), "{far}");
        }
        let last = Period::parse(Some("9998-12-20"), Some("9998-12-31"), today);
        assert_eq!(last.map(|p| p.last_day()), Ok(day("9999-01-03")));
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![]), None);
    }
}
