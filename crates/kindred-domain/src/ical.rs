//! iCalendar (RFC 5545) text: escaping, line folding and events. A one-off
//! event is written in UTC (`…Z`), which every calendar reads without a
//! VTIMEZONE. A recurring event is written in its own time zone
//! (`DTSTART;TZID=Europe/Berlin:…` with its `RRULE`), so that calendars
//! expand it at the same wall-clock time across changes of summer time as
//! Kindred does; the calendar then carries a VTIMEZONE with every offset
//! change from a year before the first occurrence to a year after the
//! last, found from the IANA data (`chrono-tz`). Cancelled occurrences are
//! `EXDATE`s; an occurrence changed on its own is a further VEVENT with
//! the same UID and a `RECURRENCE-ID` naming its original start (3.8.4.4).

use chrono::{DateTime, Duration, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetName, Tz};

/// Escapes a TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and
/// line breaks; other control characters are dropped.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets (RFC 5545 3.1), never inside a
/// UTF-8 character, and ends it with CRLF.
pub fn fold_line(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

/// A UTC time as iCalendar writes it: `20270110T170000Z`.
pub fn utc_time(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// One event of a calendar.
#[derive(Debug, Clone, Default)]
pub struct CalendarEvent {
    /// Globally unique: the event id and the host.
    pub uid: String,
    pub stamp: DateTime<Utc>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub summary: String,
    pub description: Option<String>,
    pub location: Option<String>,
    pub url: Option<String>,
    /// The RRULE (without its name) and the zone it repeats in, when recurring.
    pub rule: Option<(String, Tz)>,
    /// When the last occurrence ends (for the VTIMEZONE's span).
    pub last_ends_at: Option<DateTime<Utc>>,
    /// Starts of cancelled occurrences.
    pub cancelled_starts: Vec<DateTime<Utc>>,
    pub cancelled: bool,
    /// Occurrences of a series changed on their own.
    pub overrides: Vec<Override>,
}

/// One occurrence of a series with another time (and perhaps place).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// The start the series gives it: its `RECURRENCE-ID`.
    pub original_starts_at: DateTime<Utc>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The place and link of that date, where the reader may see them
    /// (`None`: the series' own, as far as the reader sees those).
    pub location: Option<String>,
    pub url: Option<String>,
}

/// A whole VCALENDAR with `events`.
pub fn calendar(name: &str, events: &[CalendarEvent]) -> String {
    let mut out = String::new();
    fold_line("BEGIN:VCALENDAR", &mut out);
    fold_line("VERSION:2.0", &mut out);
    fold_line("PRODID:-//Kindred//Events//EN", &mut out);
    fold_line("CALSCALE:GREGORIAN", &mut out);
    fold_line("METHOD:PUBLISH", &mut out);
    fold_line(&format!("X-WR-CALNAME:{}", escape_text(name)), &mut out);
    let mut zones: Vec<(Tz, DateTime<Utc>, DateTime<Utc>)> = Vec::new();
    for e in events {
        if let Some((_, tz)) = &e.rule {
            let last = e.last_ends_at.unwrap_or(e.ends_at);
            match zones.iter_mut().find(|(z, _, _)| z == tz) {
                Some(span) => {
                    span.1 = span.1.min(e.starts_at);
                    span.2 = span.2.max(last);
                }
                None => zones.push((*tz, e.starts_at, last)),
            }
        }
    }
    for (tz, from, to) in zones {
        write_zone(tz, from - Duration::days(366), to + Duration::days(366), &mut out);
    }
    for event in events {
        write_event(event, &mut out);
    }
    fold_line("END:VCALENDAR", &mut out);
    out
}

fn write_event(e: &CalendarEvent, out: &mut String) {
    fold_line("BEGIN:VEVENT", out);
    fold_line(&format!("UID:{}", escape_text(&e.uid)), out);
    fold_line(&format!("DTSTAMP:{}", utc_time(e.stamp)), out);
    match &e.rule {
        None => {
            fold_line(&format!("DTSTART:{}", utc_time(e.starts_at)), out);
            fold_line(&format!("DTEND:{}", utc_time(e.ends_at)), out);
        }
        Some((rule, tz)) => {
            let name = tz.name();
            fold_line(&format!("DTSTART;TZID={name}:{}", local_time(*tz, e.starts_at)), out);
            fold_line(&format!("DTEND;TZID={name}:{}", local_time(*tz, e.ends_at)), out);
            // The rule is ours (checked ASCII, no line breaks or colons' tricks).
            let rule: String = rule.chars().filter(|c| c.is_ascii_graphic()).collect();
            fold_line(&format!("RRULE:{rule}"), out);
            if !e.cancelled_starts.is_empty() {
                let dates: Vec<String> = e.cancelled_starts.iter().map(|t| local_time(*tz, *t)).collect();
                fold_line(&format!("EXDATE;TZID={name}:{}", dates.join(",")), out);
            }
        }
    }
    fold_line(&format!("SUMMARY:{}", escape_text(&e.summary)), out);
    if let Some(description) = &e.description {
        fold_line(&format!("DESCRIPTION:{}", escape_text(description)), out);
    }
    if let Some(location) = &e.location {
        fold_line(&format!("LOCATION:{}", escape_text(location)), out);
    }
    if let Some(url) = &e.url {
        // URI values are not TEXT: no escaping, but never a line break.
        let url: String = url.chars().filter(|c| !c.is_control()).collect();
        fold_line(&format!("URL:{url}"), out);
    }
    if e.cancelled {
        fold_line("STATUS:CANCELLED", out);
    }
    fold_line("END:VEVENT", out);
    if let Some((_, tz)) = &e.rule {
        let name = tz.name();
        for o in &e.overrides {
            fold_line("BEGIN:VEVENT", out);
            fold_line(&format!("UID:{}", escape_text(&e.uid)), out);
            fold_line(&format!("DTSTAMP:{}", utc_time(e.stamp)), out);
            fold_line(&format!("RECURRENCE-ID;TZID={name}:{}", local_time(*tz, o.original_starts_at)), out);
            fold_line(&format!("DTSTART;TZID={name}:{}", local_time(*tz, o.starts_at)), out);
            fold_line(&format!("DTEND;TZID={name}:{}", local_time(*tz, o.ends_at)), out);
            fold_line(&format!("SUMMARY:{}", escape_text(&e.summary)), out);
            if let Some(description) = &e.description {
                fold_line(&format!("DESCRIPTION:{}", escape_text(description)), out);
            }
            if let Some(location) = o.location.as_ref().or(e.location.as_ref()) {
                fold_line(&format!("LOCATION:{}", escape_text(location)), out);
            }
            if let Some(url) = o.url.as_ref().or(e.url.as_ref()) {
                let url: String = url.chars().filter(|c| !c.is_control()).collect();
                fold_line(&format!("URL:{url}"), out);
            }
            if e.cancelled {
                fold_line("STATUS:CANCELLED", out);
            }
            fold_line("END:VEVENT", out);
        }
    }
}

/// A UTC time as wall-clock time in `tz`: `20270112T180000`.
fn local_time(tz: Tz, t: DateTime<Utc>) -> String {
    t.with_timezone(&tz).format("%Y%m%dT%H%M%S").to_string()
}

fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let abs = seconds.unsigned_abs();
    let (h, m, s) = (abs / 3600, (abs % 3600) / 60, abs % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}

fn offset_at(tz: Tz, t: DateTime<Utc>) -> (i32, bool, String) {
    use chrono_tz::OffsetComponents;
    let offset = tz.offset_from_utc_datetime(&t.naive_utc());
    let seconds = offset.fix().local_minus_utc();
    let dst = !offset.dst_offset().is_zero();
    let name = offset.abbreviation().unwrap_or("").to_owned();
    (seconds, dst, name)
}

/// The first instant after `from` (at most `to`) with another offset than at `from`.
fn next_change(tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let here = offset_at(tz, from).0;
    // Offsets change at most a few times a year and never twice within a day.
    let mut low = from;
    loop {
        let high = low + Duration::hours(12);
        if high > to {
            return None;
        }
        if offset_at(tz, high).0 != here {
            // Bisect to the second: the change lies in (low, high].
            let (mut a, mut b) = (low, high);
            while b - a > Duration::seconds(1) {
                let mid = a + (b - a) / 2;
                if offset_at(tz, mid).0 == here {
                    a = mid;
                } else {
                    b = mid;
                }
            }
            return Some(b);
        }
        low = high;
    }
}

/// A VTIMEZONE with every offset change of `tz` between `from` and `to`,
/// each an observance of its own (no rules to get wrong).
fn write_zone(tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>, out: &mut String) {
    fold_line("BEGIN:VTIMEZONE", out);
    fold_line(&format!("TZID:{}", tz.name()), out);
    let (first_offset, first_dst, first_name) = offset_at(tz, from);
    let mut observances: Vec<(NaiveDateTime, i32, i32, bool, String)> = vec![(
        from.naive_utc() + Duration::seconds(i64::from(first_offset)),
        first_offset,
        first_offset,
        first_dst,
        first_name,
    )];
    let mut at = from;
    let mut before = first_offset;
    while let Some(change) = next_change(tz, at, to) {
        let (offset, dst, name) = offset_at(tz, change);
        // DTSTART of an observance: the onset in the local time before it.
        let onset = change.naive_utc() + Duration::seconds(i64::from(before));
        observances.push((onset, before, offset, dst, name));
        before = offset;
        at = change;
        if observances.len() > 400 {
            break;
        }
    }
    for (onset, from_offset, to_offset, dst, name) in observances {
        let kind = if dst { "DAYLIGHT" } else { "STANDARD" };
        fold_line(&format!("BEGIN:{kind}"), out);
        fold_line(&format!("DTSTART:{}", onset.format("%Y%m%dT%H%M%S")), out);
        fold_line(&format!("TZOFFSETFROM:{}", offset_text(from_offset)), out);
        fold_line(&format!("TZOFFSETTO:{}", offset_text(to_offset)), out);
        if !name.is_empty() && !name.starts_with(['+', '-']) {
            fold_line(&format!("TZNAME:{}", escape_text(&name)), out);
        }
        fold_line(&format!("END:{kind}"), out);
    }
    fold_line("END:VTIMEZONE", out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a;b,c\\d\r\ne\nf\u{7}"), "a\\;b\\,c\\\\d\\ne\\nf");
    }

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let mut out = String::new();
        let line = format!("SUMMARY:{}", "ä".repeat(60));
        fold_line(&line, &mut out);
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "{} octets", physical.len());
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
    }

    #[test]
    fn a_series_carries_its_zone_with_the_changes_of_summer_time() {
        let start = DateTime::parse_from_rfc3339("2027-01-12T17:00:00Z").unwrap().with_timezone(&Utc);
        let event = CalendarEvent {
            uid: "x@example.org".into(),
            stamp: start,
            starts_at: start,
            ends_at: start + Duration::hours(2),
            summary: "Treffen".into(),
            rule: Some(("FREQ=MONTHLY;COUNT=6".into(), chrono_tz::Europe::Berlin)),
            last_ends_at: Some(start + Duration::days(160)),
            ..CalendarEvent::default()
        };
        let text = calendar("Kindred", &[event]);
        assert!(text.contains("DTSTART;TZID=Europe/Berlin:20270112T180000\r\n"), "{text}");
        assert!(text.contains("RRULE:FREQ=MONTHLY;COUNT=6\r\n"));
        // The spring change of 2027: 28 March, 02:00 local standard time.
        assert!(text.contains("BEGIN:DAYLIGHT\r\nDTSTART:20270328T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\n"), "{text}");
        assert!(
            text.contains("BEGIN:STANDARD\r\nDTSTART:20271031T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n")
        );
    }

    #[test]
    fn an_occurrence_changed_on_its_own_is_a_vevent_with_its_recurrence_id() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let event = CalendarEvent {
            uid: "x@example.org".into(),
            stamp: at("2027-01-01T00:00:00Z"),
            starts_at: at("2027-01-12T17:00:00Z"),
            ends_at: at("2027-01-12T19:00:00Z"),
            summary: "Treffen".into(),
            location: Some("Saal A".into()),
            rule: Some(("FREQ=WEEKLY;COUNT=4".into(), chrono_tz::Europe::Berlin)),
            overrides: vec![Override {
                original_starts_at: at("2027-01-19T17:00:00Z"),
                starts_at: at("2027-01-20T18:30:00Z"),
                ends_at: at("2027-01-20T20:00:00Z"),
                location: Some("Saal B, Hinterhaus".into()),
                url: None,
            }],
            ..CalendarEvent::default()
        };
        let text = calendar("Kindred", &[event]);
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 2, "{text}");
        assert_eq!(text.matches("UID:x@example.org\r\n").count(), 2);
        let second = &text[text.rfind("BEGIN:VEVENT").unwrap()..];
        assert!(second.contains("RECURRENCE-ID;TZID=Europe/Berlin:20270119T180000\r\n"), "{second}");
        assert!(second.contains("DTSTART;TZID=Europe/Berlin:20270120T193000\r\n"), "{second}");
        assert!(second.contains("LOCATION:Saal B\\, Hinterhaus\r\n"), "{second}");
        assert!(!second.contains("RRULE"), "{second}");
    }
}
