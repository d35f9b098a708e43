//! Events: the parsed input of an event (title, times in a named time
//! zone, mode, place, link, accessibility, capacity, deadline, recurrence)
//! and who may create one. Pure: every value here is valid by
//! construction; the service stores and shows them.
//!
//! Times: instants are kept in UTC. A time given without an offset
//! ("2027-03-28T02:30") is a wall-clock time in the event's zone. A wall
//! time that does not exist (the hour skipped when clocks go forward) is
//! read with the offset in force before the gap, as RFC 5545 (3.3.5) says
//! for iCalendar: 02:30 on the last Sunday of March in Europe/Berlin is
//! 01:30 UTC, shown as 03:30 summer time. A wall time that exists twice
//! (clocks go back) is the first of the two. The `rrule` crate expands
//! recurrences by the same rule, so a series and its first date agree.

use crate::settings::Creators;
use crate::AccountRole;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

/// Bounds of an event's texts, in characters.
pub const MAX_TITLE: usize = 120;
pub const MAX_DESCRIPTION: usize = 8000;
pub const MAX_LOCATION: usize = 500;
pub const MAX_NOTES: usize = 1000;
pub const MAX_URL: usize = 2000;
/// The most places an event may offer.
pub const MAX_CAPACITY: i64 = 100_000;
/// The longest an occurrence may last.
pub const MAX_LENGTH_DAYS: i64 = 14;
/// The most occurrences a recurring event may have.
pub const MAX_OCCURRENCES: usize = 300;
/// The longest recurrence rule accepted, in bytes.
const MAX_RULE: usize = 300;

/// Characters never allowed in a one-line text: controls, and the
/// invisible bidirectional and zero-width formatting characters that can
/// make a title read differently from what it is.
pub fn is_hidden_format(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}' | '\u{AD}')
}

fn printable(text: &str, multiline: bool) -> bool {
    text.chars().all(|c| !is_hidden_format(c) && (!c.is_control() || (multiline && matches!(c, '\n' | '\r' | '\t'))))
}

/// What is wrong with one field of an event, as a readable message.
pub type Problem = &'static str;

/// An event's title: 1 to [`MAX_TITLE`] characters, one line, no hidden formatting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventTitle(String);

impl EventTitle {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let title = raw.trim();
        if title.is_empty() {
            return Err("must not be empty");
        }
        if title.chars().count() > MAX_TITLE {
            return Err("must be at most 120 characters");
        }
        if !printable(title, false) {
            return Err("must not contain control or invisible formatting characters");
        }
        Ok(Self(title.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An event's description: the forum's Markdown (rendered by
/// `markdown::render` when shown), at most [`MAX_DESCRIPTION`] characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDescription(String);

impl EventDescription {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let text = raw.trim();
        if text.chars().count() > MAX_DESCRIPTION {
            return Err("must be at most 8000 characters");
        }
        if !printable(text, true) {
            return Err("must not contain control or invisible formatting characters");
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where an event takes place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventMode {
    Online,
    InPerson,
    Hybrid,
}

impl EventMode {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "online" => Some(Self::Online),
            "in_person" => Some(Self::InPerson),
            "hybrid" => Some(Self::Hybrid),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Online => "online",
            Self::InPerson => "in_person",
            Self::Hybrid => "hybrid",
        }
    }
}

/// An IANA time zone name such as `Europe/Berlin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZoneName(Tz);

impl TimeZoneName {
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        if raw.is_empty() || raw.len() > 64 {
            return None;
        }
        raw.parse::<Tz>().ok().map(Self)
    }

    pub fn utc() -> Self {
        Self(Tz::UTC)
    }

    pub fn tz(self) -> Tz {
        self.0
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// The zones a member may choose for themselves, by name: the
    /// `Area/City` zones, without the legacy aliases (`US/Eastern`,
    /// `Etc/GMT+1`, …) that only repeat them; UTC last.
    pub fn choosable() -> impl Iterator<Item = &'static str> {
        const AREAS: [&str; 9] = [
            "Africa/",
            "America/",
            "Antarctica/",
            "Asia/",
            "Atlantic/",
            "Australia/",
            "Europe/",
            "Indian/",
            "Pacific/",
        ];
        chrono_tz::TZ_VARIANTS
            .iter()
            .map(|tz| tz.name())
            .filter(|name| AREAS.iter().any(|area| name.starts_with(area)))
            .chain(std::iter::once("UTC"))
    }
}

/// The instant of a wall-clock time in `tz` (see the module: a skipped
/// time takes the offset before the gap, a repeated one the first).
pub fn local_to_utc(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        chrono::LocalResult::None => {
            // No gap is longer than a day; the offset a day before is the one before the gap.
            let before = local - Duration::days(1);
            let offset = match tz.from_local_datetime(&before) {
                chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => t.offset().fix(),
                chrono::LocalResult::None => Utc.fix(),
            };
            let seconds = i64::from(offset.local_minus_utc());
            (local - Duration::seconds(seconds)).and_utc()
        }
    }
}

/// A point in time from outside: RFC 3339 with an offset, or a wall-clock
/// time without one (`YYYY-MM-DDTHH:MM[:SS]`, also with a space) in `tz`.
pub fn parse_time(raw: &str, tz: Tz) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    if raw.len() > 40 {
        return None;
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Some(t.with_timezone(&Utc));
    }
    let normalised = raw.replacen(' ', "T", 1);
    let local = NaiveDateTime::parse_from_str(&normalised, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(&normalised, "%Y-%m-%dT%H:%M"))
        .ok()?;
    Some(local_to_utc(tz, local))
}

/// The accessibility of the place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Accessibility {
    pub step_free: bool,
    pub accessible_toilet: bool,
    pub hearing_loop: bool,
    pub seating: bool,
    pub quiet_room: bool,
    pub notes: String,
}

/// A link to an online meeting: http or https only.
pub fn parse_online_url(raw: &str) -> Result<String, Problem> {
    let url = raw.trim();
    if url.len() > MAX_URL {
        return Err("must be at most 2000 characters");
    }
    let lower = url.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    match rest {
        Some(rest) if !rest.is_empty() && !rest.starts_with('/') => {}
        _ => return Err("must be an http or https link"),
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control() || is_hidden_format(c) || matches!(c, '<' | '>' | '"')) {
        return Err("must be an http or https link");
    }
    Ok(url.to_owned())
}

/// A capacity: at least one place; `None` = unlimited.
pub fn parse_capacity(raw: Option<i64>) -> Result<Option<i32>, Problem> {
    match raw {
        None => Ok(None),
        Some(n) if (1..=MAX_CAPACITY).contains(&n) => Ok(i32::try_from(n).ok()),
        Some(_) => Err("must be at least 1 (leave it out for no limit)"),
    }
}

/// Why a recurrence rule is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecurrenceProblem {
    Syntax,
    NoEnd,
    TooMany,
    TooOften,
}

impl RecurrenceProblem {
    pub fn message(self) -> &'static str {
        match self {
            Self::Syntax => "is not a valid RFC 5545 RRULE",
            Self::NoEnd => "must end: give COUNT or UNTIL",
            Self::TooMany => "must not produce more than 300 occurrences",
            Self::TooOften => "must repeat daily, weekly, monthly or yearly",
        }
    }
}

/// A checked recurrence: the rule as stored (without the `RRULE:` name)
/// and the starts of every occurrence, the first included, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recurrence {
    pub rule: String,
    pub starts: Vec<DateTime<Utc>>,
}

/// Parses and expands an RRULE for a series whose first occurrence starts
/// at `start`, repeating at the same wall-clock time in `tz`.
pub fn parse_recurrence(raw: &str, start: DateTime<Utc>, tz: Tz) -> Result<Recurrence, RecurrenceProblem> {
    let raw = raw.trim();
    let rule = raw.strip_prefix("RRULE:").or_else(|| raw.strip_prefix("rrule:")).unwrap_or(raw).trim();
    if rule.is_empty() || rule.len() > MAX_RULE || !rule.is_ascii() || rule.contains(['\n', '\r']) {
        return Err(RecurrenceProblem::Syntax);
    }
    let rule = rule.to_ascii_uppercase();
    let parsed: rrule::RRule<rrule::Unvalidated> = rule.parse().map_err(|_| RecurrenceProblem::Syntax)?;
    if parsed.get_count().is_none() && parsed.get_until().is_none() {
        return Err(RecurrenceProblem::NoEnd);
    }
    if !matches!(
        parsed.get_freq(),
        rrule::Frequency::Daily | rrule::Frequency::Weekly | rrule::Frequency::Monthly | rrule::Frequency::Yearly
    ) {
        return Err(RecurrenceProblem::TooOften);
    }
    if parsed.get_count().is_some_and(|c| c as usize > MAX_OCCURRENCES) {
        return Err(RecurrenceProblem::TooMany);
    }
    let dt_start = start.with_timezone(&rrule::Tz::Tz(tz));
    let set = parsed.build(dt_start).map_err(|_| RecurrenceProblem::Syntax)?;
    let limit = u16::try_from(MAX_OCCURRENCES + 1).unwrap_or(u16::MAX);
    let result = set.all(limit);
    if result.dates.len() > MAX_OCCURRENCES {
        return Err(RecurrenceProblem::TooMany);
    }
    let mut starts: Vec<DateTime<Utc>> = result.dates.iter().map(|d| d.with_timezone(&Utc)).collect();
    // RFC 5545: DTSTART is the first instance even where the rule would not produce it.
    if starts.first() != Some(&start) {
        starts.retain(|s| *s != start);
        starts.insert(0, start);
        if starts.len() > MAX_OCCURRENCES {
            return Err(RecurrenceProblem::TooMany);
        }
    }
    Ok(Recurrence { rule, starts })
}

/// A repetition as the pages offer it, in words rather than an RRULE:
/// every week, every second week, or every month on the same weekday of
/// the month as the first date (the 2nd Tuesday; "the last Tuesday" when
/// the first date is a fifth one, the 29th or later). Each ends on an
/// "until" date, so every series it makes is bounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    Weekly,
    Fortnightly,
    MonthlyWeekday,
}

impl Repeat {
    pub const ALL: [Repeat; 3] = [Repeat::Weekly, Repeat::Fortnightly, Repeat::MonthlyWeekday];

    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim() {
            "weekly" => Some(Self::Weekly),
            "fortnightly" => Some(Self::Fortnightly),
            "monthly_weekday" => Some(Self::MonthlyWeekday),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Weekly => "weekly",
            Self::Fortnightly => "fortnightly",
            Self::MonthlyWeekday => "monthly_weekday",
        }
    }
}

fn weekday_code(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

/// Which weekday of its month a date is: 1 to 4, or -1 for a fifth one
/// (the 29th to 31st), which a month-by-month series reads as "the last".
pub fn weekday_of_month(date: NaiveDate) -> i32 {
    let n = (date.day0() / 7 + 1) as i32;
    if n >= 5 {
        -1
    } else {
        n
    }
}

/// The RRULE of a repetition for a series whose first date is `first`
/// (a wall-clock date in `tz`), ending with the last occurrence on or
/// before `until` (a date in `tz`, the whole day counts). `parse_recurrence`
/// still checks the result like any rule (e.g. not more than 300 dates).
pub fn repeat_rule(repeat: Repeat, first: NaiveDate, until: NaiveDate, tz: Tz) -> String {
    let end = until.and_hms_opt(23, 59, 59).map(|t| local_to_utc(tz, t)).unwrap_or_else(Utc::now);
    let until = end.format("%Y%m%dT%H%M%SZ");
    match repeat {
        Repeat::Weekly => format!("FREQ=WEEKLY;UNTIL={until}"),
        Repeat::Fortnightly => format!("FREQ=WEEKLY;INTERVAL=2;UNTIL={until}"),
        Repeat::MonthlyWeekday => {
            format!("FREQ=MONTHLY;BYDAY={}{};UNTIL={until}", weekday_of_month(first), weekday_code(first.weekday()))
        }
    }
}

/// Reads back a rule `repeat_rule` made: the repetition and its "until"
/// date in `tz`. `None` for any other rule (one given through the API),
/// which a form then keeps as it is.
pub fn repeat_of(rule: &str, tz: Tz) -> Option<(Repeat, NaiveDate)> {
    let parts: Vec<&str> = rule.split(';').collect();
    let until = parts.iter().find_map(|p| p.strip_prefix("UNTIL="))?;
    let until = NaiveDateTime::parse_from_str(until, "%Y%m%dT%H%M%SZ").ok()?.and_utc();
    let date = until.with_timezone(&tz).date_naive();
    let repeat = match parts.as_slice() {
        ["FREQ=WEEKLY", u] if u.starts_with("UNTIL=") => Repeat::Weekly,
        ["FREQ=WEEKLY", "INTERVAL=2", u] if u.starts_with("UNTIL=") => Repeat::Fortnightly,
        ["FREQ=MONTHLY", b, u] if b.starts_with("BYDAY=") && u.starts_with("UNTIL=") => Repeat::MonthlyWeekday,
        _ => return None,
    };
    Some((repeat, date))
}

/// The raw input of an event, as it came.
#[derive(Debug, Clone, Default)]
pub struct RawEvent {
    pub title: String,
    pub description: String,
    pub starts_at: String,
    pub ends_at: String,
    /// Empty: the association's.
    pub time_zone: Option<String>,
    pub mode: String,
    pub location: Option<String>,
    pub online_url: Option<String>,
    pub accessibility: Accessibility,
    pub capacity: Option<i64>,
    pub registration_closes_at: Option<String>,
    pub recurrence: Option<String>,
    pub region: Option<String>,
    pub show_attendees: bool,
}

/// An event's details, checked together.
#[derive(Debug, Clone, PartialEq)]
pub struct EventDetails {
    pub title: EventTitle,
    pub description: EventDescription,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: TimeZoneName,
    pub mode: EventMode,
    pub location: Option<String>,
    pub online_url: Option<String>,
    pub accessibility: Accessibility,
    pub capacity: Option<i32>,
    pub registration_closes_at: Option<DateTime<Utc>>,
    pub recurrence: Option<Recurrence>,
    pub region: Option<String>,
    pub show_attendees: bool,
}

impl EventDetails {
    /// The length of every occurrence.
    pub fn length(&self) -> Duration {
        self.ends_at - self.starts_at
    }

    /// When the last occurrence ends (the event is past after it).
    pub fn last_ends_at(&self) -> DateTime<Utc> {
        match &self.recurrence {
            Some(r) => r.starts.last().map_or(self.ends_at, |s| *s + self.length()),
            None => self.ends_at,
        }
    }
}

fn text_field(raw: Option<&str>, max: usize, multiline: bool) -> Result<Option<String>, Problem> {
    let Some(text) = raw.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
    if text.chars().count() > max {
        return Err("is too long");
    }
    if !printable(text, multiline) {
        return Err("must not contain control or invisible formatting characters");
    }
    Ok(Some(text.to_owned()))
}

/// Checks every field, all problems at once (keyed by field name);
/// `default_zone` is the association's time zone, `regions` its region codes.
pub fn parse_event(
    raw: &RawEvent,
    default_zone: TimeZoneName,
    regions: &[&str],
) -> Result<EventDetails, Vec<(&'static str, Problem)>> {
    let mut problems: Vec<(&'static str, Problem)> = Vec::new();
    let title = EventTitle::parse(&raw.title).map_err(|p| problems.push(("title", p))).ok();
    let description = EventDescription::parse(&raw.description).map_err(|p| problems.push(("description", p))).ok();
    let time_zone = match raw.time_zone.as_deref().map(str::trim).filter(|z| !z.is_empty()) {
        None => Some(default_zone),
        Some(name) => {
            let zone = TimeZoneName::parse(name);
            if zone.is_none() {
                problems.push(("time_zone", "must be an IANA time zone such as Europe/Berlin"));
            }
            zone
        }
    };
    let tz = time_zone.unwrap_or(default_zone).tz();
    let starts_at = parse_time(&raw.starts_at, tz);
    if starts_at.is_none() {
        problems.push(("starts_at", "must be a date and time (RFC 3339)"));
    }
    let ends_at = parse_time(&raw.ends_at, tz);
    match (starts_at, ends_at) {
        (_, None) => problems.push(("ends_at", "must be a date and time (RFC 3339)")),
        (Some(s), Some(e)) if e <= s => problems.push(("ends_at", "must be after the start")),
        (Some(s), Some(e)) if e - s > Duration::days(MAX_LENGTH_DAYS) => {
            problems.push(("ends_at", "must be at most 14 days after the start"))
        }
        _ => {}
    }
    let mode = EventMode::parse(raw.mode.trim());
    if mode.is_none() {
        problems.push(("mode", "must be online, in_person or hybrid"));
    }
    let location = text_field(raw.location.as_deref(), MAX_LOCATION, true).map_err(|p| problems.push(("location", p)));
    let online_url = match raw.online_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        None => Ok(None),
        Some(url) => parse_online_url(url).map(Some).map_err(|p| problems.push(("online_url", p))),
    };
    let notes = text_field(Some(&raw.accessibility.notes), MAX_NOTES, true)
        .map_err(|p| problems.push(("accessibility.notes", p)));
    let capacity = parse_capacity(raw.capacity).map_err(|p| problems.push(("capacity", p)));
    let closes = match raw.registration_closes_at.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => None,
        Some(t) => match parse_time(t, tz) {
            None => {
                problems.push(("registration_closes_at", "must be a date and time (RFC 3339)"));
                None
            }
            Some(closes) => {
                if starts_at.is_some_and(|s| closes > s) {
                    problems.push(("registration_closes_at", "must not be after the start"));
                }
                Some(closes)
            }
        },
    };
    let recurrence = match (raw.recurrence.as_deref().map(str::trim).filter(|r| !r.is_empty()), starts_at) {
        (Some(rule), Some(start)) => {
            parse_recurrence(rule, start, tz).map(Some).map_err(|p| problems.push(("recurrence", p.message())))
        }
        _ => Ok(None),
    };
    let region = match raw.region.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        None => None,
        Some(code) if regions.contains(&code) => Some(code.to_owned()),
        Some(_) => {
            problems.push(("region", "must be a region of the catalogue"));
            None
        }
    };
    match (title, description, starts_at, ends_at, time_zone, mode, location, online_url, notes, capacity, recurrence) {
        (
            Some(title),
            Some(description),
            Some(starts_at),
            Some(ends_at),
            Some(time_zone),
            Some(mode),
            Ok(location),
            Ok(online_url),
            Ok(notes),
            Ok(capacity),
            Ok(recurrence),
        ) if problems.is_empty() => Ok(EventDetails {
            title,
            description,
            starts_at,
            ends_at,
            time_zone,
            mode,
            location,
            online_url,
            accessibility: Accessibility { notes: notes.unwrap_or_default(), ..raw.accessibility.clone() },
            capacity,
            registration_closes_at: closes,
            recurrence,
            region,
            show_attendees: raw.show_attendees,
        }),
        _ => Err(problems),
    }
}

/// Whether the association's `event_creation` policy lets a member of
/// this account role create association events.
pub fn may_create_association_event(policy: Creators, role: AccountRole) -> bool {
    match policy {
        Creators::Members => true,
        Creators::Moderators => matches!(role, AccountRole::Moderator | AccountRole::Admin),
        Creators::Admins => role == AccountRole::Admin,
    }
}

/// Where a member stands with an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attendance {
    None,
    Registered,
    Waitlisted,
}

impl Attendance {
    pub fn from_stored(raw: Option<&str>) -> Self {
        match raw {
            Some("registered") => Self::Registered,
            Some("waitlisted") => Self::Waitlisted,
            _ => Self::None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Registered => "registered",
            Self::Waitlisted => "waitlisted",
        }
    }
}

/// Whether the viewer may learn where the event is (place and link):
/// registered attendees and organisers only — waiting is not enough.
pub fn sees_place(attendance: Attendance, organiser: bool) -> bool {
    organiser || attendance == Attendance::Registered
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn berlin() -> Tz {
        chrono_tz::Europe::Berlin
    }

    #[test]
    fn repeat_rules_read_back_and_expand_on_the_nth_weekday() {
        let first = NaiveDate::from_ymd_opt(2027, 1, 12).unwrap(); // the 2nd Tuesday
        let until = NaiveDate::from_ymd_opt(2027, 6, 30).unwrap();
        let rule = repeat_rule(Repeat::MonthlyWeekday, first, until, berlin());
        assert_eq!(rule, "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20270630T215959Z");
        assert_eq!(repeat_of(&rule, berlin()), Some((Repeat::MonthlyWeekday, until)));
        let start = local_to_utc(berlin(), first.and_hms_opt(18, 0, 0).unwrap());
        let r = parse_recurrence(&rule, start, berlin()).unwrap();
        let days: Vec<u32> = r.starts.iter().map(|s| s.with_timezone(&berlin()).day()).collect();
        assert_eq!(days, vec![12, 9, 9, 13, 11, 8]);
        assert!(r.starts.iter().all(|s| s.with_timezone(&berlin()).format("%H:%M").to_string() == "18:00"));
        for repeat in Repeat::ALL {
            let rule = repeat_rule(repeat, first, until, berlin());
            assert_eq!(repeat_of(&rule, berlin()), Some((repeat, until)), "{rule}");
            assert_eq!(Repeat::parse(repeat.as_str()), Some(repeat));
        }
        assert_eq!(weekday_of_month(NaiveDate::from_ymd_opt(2027, 3, 30).unwrap()), -1);
        assert_eq!(repeat_of("FREQ=WEEKLY;COUNT=5", berlin()), None);
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_skipped_wall_time_takes_the_offset_before_the_gap() {
        let local = NaiveDate::from_ymd_opt(2027, 3, 28).unwrap().and_hms_opt(2, 30, 0).unwrap();
        assert_eq!(local_to_utc(berlin(), local), utc("2027-03-28T01:30:00Z"));
        assert_eq!(parse_time("2027-03-28T02:30", berlin()), Some(utc("2027-03-28T01:30:00Z")));
        // Repeated in October: the first (summer time).
        assert_eq!(parse_time("2027-10-31T02:30", berlin()), Some(utc("2027-10-31T00:30:00Z")));
        assert_eq!(parse_time("2027-01-10T18:00", berlin()), Some(utc("2027-01-10T17:00:00Z")));
        assert_eq!(parse_time("2027-01-10T18:00:00+01:00", berlin()), Some(utc("2027-01-10T17:00:00Z")));
        assert_eq!(parse_time("tomorrow", berlin()), None);
    }

    #[test]
    fn weekly_across_the_spring_gap_keeps_the_wall_time() {
        let start = parse_time("2027-03-21T02:30", berlin()).unwrap();
        let r = parse_recurrence("FREQ=WEEKLY;COUNT=3", start, berlin()).unwrap();
        assert_eq!(
            r.starts,
            vec![utc("2027-03-21T01:30:00Z"), utc("2027-03-28T01:30:00Z"), utc("2027-04-04T00:30:00Z")]
        );
    }

    #[test]
    fn recurrences_must_end_and_stay_small() {
        let start = utc("2027-01-12T17:00:00Z");
        assert_eq!(parse_recurrence("FREQ=MONTHLY", start, berlin()), Err(RecurrenceProblem::NoEnd));
        assert_eq!(parse_recurrence("FREQ=DAILY;COUNT=301", start, berlin()), Err(RecurrenceProblem::TooMany));
        assert_eq!(
            parse_recurrence("FREQ=DAILY;UNTIL=20300101T000000Z", start, berlin()),
            Err(RecurrenceProblem::TooMany)
        );
        assert_eq!(parse_recurrence("FREQ=HOURLY;COUNT=3", start, berlin()), Err(RecurrenceProblem::TooOften));
        assert_eq!(parse_recurrence("nonsense", start, berlin()), Err(RecurrenceProblem::Syntax));
        let r = parse_recurrence("RRULE:FREQ=MONTHLY;BYDAY=2TU;COUNT=6", start, berlin()).unwrap();
        assert_eq!(r.starts.len(), 6);
        assert_eq!(r.rule, "FREQ=MONTHLY;BYDAY=2TU;COUNT=6");
        assert!(r.starts.iter().all(|s| s.with_timezone(&berlin()).format("%H:%M").to_string() == "18:00"));
    }

    #[test]
    fn bad_input_is_named_field_by_field() {
        let raw = RawEvent {
            title: " ".into(),
            starts_at: "2027-01-10T18:00".into(),
            ends_at: "2027-01-10T17:00".into(),
            time_zone: Some("Mars/Olympus".into()),
            mode: "party".into(),
            online_url: Some("javascript:alert(1)".into()),
            capacity: Some(0),
            ..RawEvent::default()
        };
        let zone = TimeZoneName::parse("Europe/Berlin").unwrap();
        let problems = parse_event(&raw, zone, &[]).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|(f, _)| *f).collect();
        for field in ["title", "time_zone", "ends_at", "mode", "online_url", "capacity"] {
            assert!(fields.contains(&field), "{field} in {fields:?}");
        }
    }

    #[test]
    fn titles_refuse_hidden_formatting() {
        assert!(EventTitle::parse("Treffen\u{202E}").is_err());
        assert!(EventTitle::parse("Treffen\nzwei").is_err());
        assert!(EventTitle::parse("Monatstreffen").is_ok());
        assert!(parse_online_url("https://meet.example.org/abc").is_ok());
        assert!(parse_online_url("ftp://x").is_err());
        assert!(parse_online_url("https://").is_err());
    }
}
