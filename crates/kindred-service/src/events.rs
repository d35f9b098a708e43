//! service::events — events of the association and of groups: creating,
//! listing, showing, changing, cancelling, registering with a waiting
//! list, attendee lists, iCalendar files and each member's secret feed,
//! and the reminders a day before.
//!
//! Who sees an event: an association event every active member (the
//! community gate); a group's event exactly those who may read that group
//! (`group_access`, whose `read`): for anyone else it does not exist —
//! `EventError::NotFound`, the same as for an id never used, in every
//! answer, list and feed. Asking for the events of a group the caller sees
//! but may not read (or creating one there) is `Forbidden`. The place and the video link are shown only to
//! registered attendees and organisers (`events::sees_place`): never in a
//! list, a mail or a notification, and in the feed only where the member
//! chose full details. Organisers: the creator; for a group's event the
//! group's moderators; for an association event the association's staff.

use crate::cursor::CursorList;
use crate::groups::{GroupError, SeenGroup};
use crate::members::{caller_party, party};
use crate::sessions::Caller;
use crate::{Association, Kindred};
use chrono::{DateTime, Duration, Utc};
use data_encoding::BASE64URL_NOPAD;
use kindred_domain::disclosure::{self, Relation, Sight};
use kindred_domain::events::{
    may_create_association_event, parse_event, parse_recurrence, parse_time, sees_place, Accessibility, Attendance,
    EventDetails, EventMode, RawEvent, TimeZoneName,
};
use kindred_domain::groups::Membership;
use kindred_domain::ical::{self, CalendarEvent};
use kindred_domain::{AccountRole, EventId, MemberId, NotificationId};
use kindred_store::{
    EventFields, EventFilter, EventNotification, EventRecord, EventUpdated, OccurrenceChange, Registered, StoreError,
};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Events per page of a list.
pub const PAGE_SIZE: usize = 50;
/// The problem with a capacity changed to below the number already
/// registered (`update_event`); the event page words it on its own.
pub const CAPACITY_BELOW_REGISTERED: &str = "is below the number already registered";
/// How long before an occurrence its reminder is sent.
pub fn reminder_lead() -> Duration {
    Duration::hours(24)
}

#[derive(Debug, thiserror::Error)]
pub enum EventError {
    /// No such event, or one the caller may not learn exists.
    #[error("no such event")]
    NotFound,
    /// The caller sees the event (or group) but may not do this.
    #[error("not allowed")]
    Forbidden,
    #[error("some fields are invalid")]
    Invalid(Vec<(&'static str, &'static str)>),
    #[error("the event is cancelled")]
    Cancelled,
    #[error("registration is closed")]
    RegistrationClosed,
    #[error("invalid cursor")]
    BadCursor,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<GroupError> for EventError {
    fn from(error: GroupError) -> Self {
        match error {
            GroupError::NotFound | GroupError::Forbidden => Self::NotFound,
            GroupError::Store(e) => Self::Store(e),
        }
    }
}

/// The input of a new event, unchecked.
#[derive(Debug, Clone, Default)]
pub struct EventInput {
    pub raw: RawEvent,
    pub group_id: Option<String>,
}

/// A change of an event: only the fields given change.
#[derive(Debug, Clone, Default)]
pub struct EventPatch {
    pub title: Option<String>,
    pub description: Option<String>,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub time_zone: Option<String>,
    pub mode: Option<String>,
    /// `Some(None)`: remove it.
    pub location: Option<Option<String>>,
    pub online_url: Option<Option<String>>,
    pub accessibility: Option<Accessibility>,
    pub capacity: Option<Option<i64>>,
    pub registration_closes_at: Option<Option<String>>,
    pub recurrence: Option<Option<String>>,
    pub region: Option<Option<String>>,
    pub show_attendees: Option<bool>,
}

/// An event the caller may see, with where they stand.
#[derive(Debug, Clone)]
pub struct SeenEvent {
    pub record: EventRecord,
    pub group: Option<SeenGroup>,
    pub organiser: bool,
    pub attendance: Attendance,
    /// On the waiting list: the position (1 = next).
    pub position: Option<i64>,
    pub mode: EventMode,
    pub time_zone: TimeZoneName,
}

impl SeenEvent {
    /// Whether the caller may learn the place and the link.
    pub fn sees_place(&self) -> bool {
        sees_place(self.attendance, self.organiser)
    }

    /// Whether the event's group shows aliases only.
    pub fn alias_group(&self) -> bool {
        self.group.as_ref().is_some_and(|g| g.record.alias_mode)
    }

    /// Whether the caller may see who comes: organisers always; else a
    /// registered attendee where the event shows its list and, for a
    /// group's event, only where the caller may see the group's member
    /// list (`group_sight`'s `see_members`) — only group members register,
    /// so the attendees are part of that list. The one rule for the API,
    /// the page and every other list of attendees.
    pub fn sees_attendees(&self) -> bool {
        self.organiser
            || (self.record.show_attendees
                && self.attendance == Attendance::Registered
                && self.group.as_ref().is_none_or(|g| g.access.see_members))
    }

    pub fn accessibility(&self) -> Accessibility {
        let r = &self.record;
        Accessibility {
            step_free: r.step_free,
            accessible_toilet: r.accessible_toilet,
            hearing_loop: r.hearing_loop,
            seating: r.seating,
            quiet_room: r.quiet_room,
            notes: r.accessibility_notes.clone(),
        }
    }
}

/// Someone named with an event: by alias in an alias group, else the member.
#[derive(Debug, Clone)]
pub enum EventPerson {
    Alias(String),
    Member { id: String, pseudonym: String },
}

/// One occurrence of an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub cancelled: bool,
    /// The start the series gives it: the occurrence's name (for
    /// cancelling or changing it), `starts_at` unless it was changed.
    pub original_starts_at: DateTime<Utc>,
    /// Changed on its own (time, place or link).
    pub changed: bool,
    /// This date's own place and link, where it has one (shown only to
    /// those who see the place: `SeenEvent::sees_place`).
    pub location: Option<String>,
    pub online_url: Option<String>,
}

/// A change of one occurrence, unchecked: the new start and end (RFC 3339,
/// or wall-clock time in the event's zone) and, optionally, this date's
/// own place or link (`None`: the series' own).
#[derive(Debug, Clone, Default)]
pub struct OccurrencePatch {
    pub starts_at: String,
    pub ends_at: String,
    pub location: Option<String>,
    pub online_url: Option<String>,
}

/// An event as its page and `GET /events/{id}` show it.
#[derive(Debug, Clone)]
pub struct EventView {
    pub seen: SeenEvent,
    pub organisers: Vec<EventPerson>,
    /// Every occurrence (one for a one-off event).
    pub occurrences: Vec<Occurrence>,
    /// The group's name, for the page.
    pub group_name: Option<String>,
}

/// An event (or one occurrence of a series) in a list. No place, no link.
#[derive(Debug, Clone)]
pub struct EventListed {
    pub event_id: String,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: String,
    pub mode: String,
    pub group_id: Option<String>,
    pub region: Option<String>,
    pub recurring: bool,
    pub cancelled: bool,
    /// An occurrence of a series changed on its own.
    pub changed: bool,
    pub capacity: Option<i32>,
}

#[derive(Debug, Clone)]
pub struct EventPage {
    pub results: Vec<EventListed>,
    pub next_cursor: Option<String>,
}

/// The parameters of a list as they came.
#[derive(Debug, Clone, Default)]
pub struct RawEventQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub group_id: Option<String>,
    pub mode: Option<String>,
    pub region: Option<String>,
    /// Catalogue tags (codes), as in the group search: events of groups
    /// carrying the condition or therapy.
    pub condition: Option<String>,
    pub therapy: Option<String>,
    pub cursor: Option<String>,
}

impl RawEventQuery {
    /// From query-string pairs: the last of a repeated parameter counts.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut raw = Self::default();
        for (name, value) in pairs {
            let slot = match name {
                "from" => &mut raw.from,
                "to" => &mut raw.to,
                "group_id" => &mut raw.group_id,
                "mode" => &mut raw.mode,
                "region" => &mut raw.region,
                "condition" => &mut raw.condition,
                "therapy" => &mut raw.therapy,
                "cursor" => &mut raw.cursor,
                _ => continue,
            };
            *slot = Some(value.to_owned()).filter(|v| !v.trim().is_empty());
        }
        raw
    }
}

/// An attendee as the caller may see them.
#[derive(Debug, Clone)]
pub struct Attendee {
    pub who: EventPerson,
    pub status: Attendance,
}

fn encode_cursor(at: DateTime<Utc>, id: &str) -> String {
    BASE64URL_NOPAD.encode(format!("{}\u{0}{id}", at.to_rfc3339()).as_bytes())
}

fn decode_cursor(raw: &str) -> Option<(DateTime<Utc>, String)> {
    if raw.len() > 200 {
        return None;
    }
    let text = String::from_utf8(BASE64URL_NOPAD.decode(raw.as_bytes()).ok()?).ok()?;
    let (at, id) = text.split_once('\u{0}')?;
    let at = DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc);
    Some((at, EventId::parse(id)?.to_string()))
}

fn zone_of(record: &EventRecord) -> Result<TimeZoneName, StoreError> {
    TimeZoneName::parse(&record.time_zone).ok_or_else(|| StoreError::Corrupt(format!("time zone {}", record.time_zone)))
}

/// How many series expansions [`series_starts`] keeps.
const EXPANSIONS_KEPT: usize = 20_000;

type ExpansionKey = (String, DateTime<Utc>, String);
type Expansions = std::collections::HashMap<ExpansionKey, Vec<DateTime<Utc>>>;

/// The starts of a stored series. Expanding an RRULE (parsing it, walking
/// the calendar in the event's zone) costs far more than the queries of an
/// event list, and a list expands every series it may show on every
/// request; the result depends only on the rule, the first start and the
/// zone, so it is kept per process (no member data: a rule and times).
fn series_starts(rule: &str, start: DateTime<Utc>, zone: &str) -> Option<Vec<DateTime<Utc>>> {
    use std::sync::{Mutex, OnceLock, PoisonError};
    static KEPT: OnceLock<Mutex<Expansions>> = OnceLock::new();
    let kept = KEPT.get_or_init(|| Mutex::new(Expansions::new()));
    let key = (rule.to_owned(), start, zone.to_owned());
    if let Some(found) = kept.lock().unwrap_or_else(PoisonError::into_inner).get(&key) {
        return Some(found.clone());
    }
    let tz = TimeZoneName::parse(zone)?.tz();
    let starts = parse_recurrence(rule, start, tz).ok()?.starts;
    let mut map = kept.lock().unwrap_or_else(PoisonError::into_inner);
    if map.len() >= EXPANSIONS_KEPT {
        // Crude but bounded: start over rather than track use.
        map.clear();
    }
    map.insert(key, starts.clone());
    Some(starts)
}

/// Every occurrence of a stored event, cancelled ones marked.
pub fn occurrences_of(record: &EventRecord, cancelled: &[DateTime<Utc>]) -> Vec<Occurrence> {
    let length = record.ends_at - record.starts_at;
    let starts = match &record.recurrence {
        Some(rule) => {
            series_starts(rule, record.starts_at, &record.time_zone).unwrap_or_else(|| vec![record.starts_at])
        }
        None => vec![record.starts_at],
    };
    let all_cancelled = record.cancelled_at.is_some();
    starts
        .into_iter()
        .map(|s| Occurrence {
            starts_at: s,
            ends_at: s + length,
            cancelled: all_cancelled || cancelled.contains(&s),
            original_starts_at: s,
            changed: false,
            location: None,
            online_url: None,
        })
        .collect()
}

/// Every occurrence with the changes made to single ones applied (a
/// change naming a start the series no longer gives is ignored), in the
/// order of their (new) starts.
pub fn occurrences_with(
    record: &EventRecord,
    cancelled: &[DateTime<Utc>],
    changes: &[OccurrenceChange],
) -> Vec<Occurrence> {
    let mut all = occurrences_of(record, cancelled);
    for o in &mut all {
        if let Some(c) = changes.iter().find(|c| c.starts_at == o.original_starts_at) {
            o.starts_at = c.new_starts_at;
            o.ends_at = c.new_ends_at;
            o.location = c.location.clone();
            o.online_url = c.online_url.clone();
            o.changed = true;
        }
    }
    all.sort_by_key(|o| o.starts_at);
    all
}

fn fields<'a>(d: &'a EventDetails) -> EventFields<'a> {
    EventFields {
        title: d.title.as_str(),
        description: d.description.as_str(),
        starts_at: d.starts_at,
        ends_at: d.ends_at,
        last_ends_at: d.last_ends_at(),
        time_zone: d.time_zone.name(),
        mode: d.mode.as_str(),
        location: d.location.as_deref(),
        online_url: d.online_url.as_deref(),
        step_free: d.accessibility.step_free,
        accessible_toilet: d.accessibility.accessible_toilet,
        hearing_loop: d.accessibility.hearing_loop,
        seating: d.accessibility.seating,
        quiet_room: d.accessibility.quiet_room,
        accessibility_notes: &d.accessibility.notes,
        capacity: d.capacity,
        registration_closes_at: d.registration_closes_at,
        recurrence: d.recurrence.as_ref().map(|r| r.rule.as_str()),
        region: d.region.as_deref(),
        show_attendees: d.show_attendees,
    }
}

pub(crate) fn event_notice(member: &str, kind: &'static str) -> EventNotification {
    EventNotification { id: NotificationId::random().to_string(), member_id: member.to_owned(), kind, detail: None }
}

/// The `event_promoted` notices the store makes while it moves members up
/// from the waiting list (inside its transaction), kept so that they can be
/// announced once it has committed.
#[derive(Default)]
pub(crate) struct Promotions(std::sync::Mutex<Vec<EventNotification>>);

impl Promotions {
    pub(crate) fn notice(&self, member: &str) -> EventNotification {
        let notice = event_notice(member, "event_promoted");
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(notice.clone());
        notice
    }

    pub(crate) fn made(self) -> Vec<EventNotification> {
        self.0.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl Kindred {
    /// The event as the caller may see it; everything the caller may not
    /// see ends in `NotFound`, like an unknown id.
    pub async fn event_access(
        &self,
        association: &Association,
        caller: &Caller,
        id: &str,
    ) -> Result<SeenEvent, EventError> {
        let id = EventId::parse(id).ok_or(EventError::NotFound)?;
        let record = self.store.event(&association.id, id.as_str()).await?.ok_or(EventError::NotFound)?;
        self.seen_event(association, caller, record).await
    }

    async fn seen_event(
        &self,
        association: &Association,
        caller: &Caller,
        record: EventRecord,
    ) -> Result<SeenEvent, EventError> {
        let me = caller.member.id.as_str();
        let group = match &record.group_id {
            None => None,
            Some(group) => {
                let seen = self.group_access(association, caller, group).await?;
                if !seen.access.read {
                    return Err(EventError::NotFound);
                }
                Some(seen)
            }
        };
        let staff = matches!(caller.member.role, AccountRole::Admin | AccountRole::Moderator);
        let organiser = record.created_by == me
            || match &group {
                Some(g) => g.access.membership == Membership::Moderator,
                None => staff,
            };
        let (status, position) = self.store.registration_of(&association.id, &record.id, me).await?;
        let mode =
            EventMode::parse(&record.mode).ok_or_else(|| StoreError::Corrupt(format!("mode {}", record.mode)))?;
        let time_zone = zone_of(&record)?;
        Ok(SeenEvent {
            attendance: Attendance::from_stored(status.as_deref()),
            position,
            organiser,
            group,
            record,
            mode,
            time_zone,
        })
    }

    /// Whether the caller may create events of the association (the
    /// `event_creation` policy) — a group's moderators create its events.
    pub fn may_create_events(&self, association: &Association, caller: &Caller) -> bool {
        may_create_association_event(association.settings.policies.event_creation, caller.member.role)
    }

    /// Creates an event; every field checked first, nothing written unless all is well.
    pub async fn create_event(
        &self,
        association: &Association,
        caller: &Caller,
        input: &EventInput,
    ) -> Result<EventId, EventError> {
        let group = match input.group_id.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
            None => {
                if !self.may_create_events(association, caller) {
                    return Err(EventError::Forbidden);
                }
                None
            }
            Some(group) => {
                let seen = self.group_access(association, caller, group).await?;
                // Groups have no setting that lets members create events:
                // their moderators do. Anyone else who sees the group is
                // `Forbidden` (a group they may not see is `NotFound`).
                if seen.access.membership != Membership::Moderator {
                    return Err(EventError::Forbidden);
                }
                Some(seen.id.to_string())
            }
        };
        let details = self.parse_details(association, &input.raw)?;
        let id = EventId::random();
        let now = self.clock.now();
        self.store
            .create_event(&association.id, id.as_str(), group.as_deref(), &caller.member.id, &fields(&details), now)
            .await?;
        Ok(id)
    }

    fn parse_details(&self, association: &Association, raw: &RawEvent) -> Result<EventDetails, EventError> {
        let regions: Vec<&str> = association.settings.catalog.regions.iter().map(|r| r.code.as_str()).collect();
        parse_event(raw, association.settings.time_zone, &regions).map_err(EventError::Invalid)
    }

    /// The events the caller may see, soonest first (one entry per
    /// occurrence of a series in the range). `from` defaults to now.
    pub async fn events(
        &self,
        association: &Association,
        caller: &Caller,
        query: &RawEventQuery,
    ) -> Result<EventPage, EventError> {
        let zone = association.settings.time_zone.tz();
        let mut problems: Vec<(&'static str, &'static str)> = Vec::new();
        let mut time = |raw: &Option<String>, name: &'static str| match raw {
            None => None,
            Some(raw) => {
                let t = parse_time(raw, zone);
                if t.is_none() {
                    problems.push((name, "must be a date and time (RFC 3339)"));
                }
                t
            }
        };
        let from = time(&query.from, "from").unwrap_or_else(|| self.clock.now());
        let to = time(&query.to, "to");
        let mode = query.mode.as_deref().map(str::trim);
        if mode.is_some_and(|m| EventMode::parse(m).is_none()) {
            problems.push(("mode", "must be online, in_person or hybrid"));
        }
        // One catalogue tag at a time; a code not in the catalogue is an error, not an empty list.
        let catalog = &association.settings.catalog;
        let condition = query.condition.as_deref().map(str::trim);
        let therapy = query.therapy.as_deref().map(str::trim);
        if condition.is_some_and(|c| !catalog.conditions.iter().any(|k| k.code.as_str() == c)) {
            problems.push(("condition", "must be a condition of the catalogue"));
        }
        if therapy.is_some_and(|c| !catalog.therapies.iter().any(|k| k.code.as_str() == c)) {
            problems.push(("therapy", "must be a therapy of the catalogue"));
        }
        if condition.is_some() && therapy.is_some() {
            problems.push(("therapy", "choose a condition or a therapy, not both"));
        }
        let tag = condition.map(|c| ("condition", c)).or(therapy.map(|t| ("therapy", t)));
        if !problems.is_empty() {
            return Err(EventError::Invalid(problems));
        }
        let after = match query.cursor.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            None => None,
            Some(raw) => Some(
                self.open_cursor(association, CursorList::Events, raw)
                    .and_then(|payload| decode_cursor(&payload))
                    .ok_or(EventError::BadCursor)?,
            ),
        };
        let groups = match query.group_id.as_deref().map(str::trim) {
            // One group: only if the caller reads it; a group they see but
            // may not read is `Forbidden` (api.md: they know it exists),
            // one they may not see `NotFound`, as for an unknown id.
            Some(group) => match self.group_access(association, caller, group).await {
                Ok(seen) if seen.access.read => vec![seen.id.to_string()],
                Ok(_) => return Err(EventError::Forbidden),
                Err(GroupError::NotFound | GroupError::Forbidden) => return Err(EventError::NotFound),
                Err(GroupError::Store(e)) => return Err(e.into()),
            },
            None => self.readable_group_ids(association, caller).await?,
        };
        let filter = EventFilter {
            from: Some(from),
            to,
            group_id: query.group_id.as_deref().map(str::trim),
            mode,
            region: query.region.as_deref().map(str::trim),
            tag,
        };
        let limit = PAGE_SIZE + 1;
        let singles = self
            .store
            .event_page(&association.id, &groups, &filter, after.clone(), i64::try_from(limit).unwrap_or(51))
            .await?;
        let series = self.store.recurring_events(&association.id, &groups, &filter).await?;
        let mut listed: Vec<EventListed> =
            singles.iter().map(|r| listed(r, r.starts_at, r.ends_at, r.cancelled_at.is_some())).collect();
        let ids: Vec<String> = series.iter().map(|r| r.id.clone()).collect();
        let exceptions = self.store.series_exceptions(&association.id, &ids).await?;
        for record in &series {
            let cancelled = exceptions.cancelled.get(&record.id).map_or(&[][..], Vec::as_slice);
            let changes = exceptions.changes.get(&record.id).map_or(&[][..], Vec::as_slice);
            for o in occurrences_with(record, cancelled, changes) {
                let in_range = o.ends_at > from && to.is_none_or(|to| o.starts_at < to);
                let past_cursor =
                    after.as_ref().is_none_or(|(at, id)| o.starts_at > *at || (o.starts_at == *at && record.id > *id));
                if in_range && past_cursor {
                    listed.push(listed_occurrence(record, &o));
                }
            }
        }
        listed.sort_by(|a, b| (a.starts_at, &a.event_id).cmp(&(b.starts_at, &b.event_id)));
        let more = listed.len() > PAGE_SIZE;
        listed.truncate(PAGE_SIZE);
        let next_cursor = if more {
            listed.last().and_then(|e| {
                self.seal_cursor(association, CursorList::Events, &encode_cursor(e.starts_at, &e.event_id))
            })
        } else {
            None
        };
        Ok(EventPage { results: listed, next_cursor })
    }

    /// One event with its organisers and occurrences.
    pub async fn event_view(
        &self,
        association: &Association,
        caller: &Caller,
        id: &str,
    ) -> Result<EventView, EventError> {
        let seen = self.event_access(association, caller, id).await?;
        let cancelled = self.store.cancelled_occurrences(&association.id, &seen.record.id).await?;
        let changes = self.store.occurrence_changes(&association.id, &seen.record.id).await?;
        let occurrences = occurrences_with(&seen.record, &cancelled, &changes);
        let creator = &seen.record.created_by;
        let organiser = if seen.alias_group() {
            let group = seen.record.group_id.as_deref().unwrap_or_default();
            self.store.alias_of(&association.id, group, creator).await?.map(EventPerson::Alias)
        } else {
            let blocked = self.store.blocked_either_way(&association.id, &caller.member.id).await?;
            match self.store.member(&association.id, creator).await? {
                Some(m) if m.status == "active" && !blocked.contains(&m.id) => {
                    Some(EventPerson::Member { id: m.id, pseudonym: m.pseudonym })
                }
                _ => None,
            }
        };
        let group_name = seen.group.as_ref().map(|g| g.record.name.clone());
        Ok(EventView { organisers: organiser.into_iter().collect(), occurrences, group_name, seen })
    }

    /// Changes an event (organisers only); registered and waiting members
    /// are told when the time or the place changed. A capacity below the
    /// number already registered is refused (`capacity`), nothing changed.
    pub async fn update_event(
        &self,
        association: &Association,
        caller: &Caller,
        id: &str,
        patch: &EventPatch,
    ) -> Result<(), EventError> {
        let seen = self.event_access(association, caller, id).await?;
        if !seen.organiser {
            return Err(EventError::Forbidden);
        }
        let r = &seen.record;
        let rfc = |t: DateTime<Utc>| t.to_rfc3339();
        let raw = RawEvent {
            title: patch.title.clone().unwrap_or_else(|| r.title.clone()),
            description: patch.description.clone().unwrap_or_else(|| r.description.clone()),
            starts_at: patch.starts_at.clone().unwrap_or_else(|| rfc(r.starts_at)),
            ends_at: patch.ends_at.clone().unwrap_or_else(|| rfc(r.ends_at)),
            time_zone: Some(patch.time_zone.clone().unwrap_or_else(|| r.time_zone.clone())),
            mode: patch.mode.clone().unwrap_or_else(|| r.mode.clone()),
            location: patch.location.clone().unwrap_or_else(|| r.location.clone()),
            online_url: patch.online_url.clone().unwrap_or_else(|| r.online_url.clone()),
            accessibility: patch.accessibility.clone().unwrap_or_else(|| seen.accessibility()),
            capacity: patch.capacity.unwrap_or(r.capacity.map(i64::from)),
            registration_closes_at: patch
                .registration_closes_at
                .clone()
                .unwrap_or_else(|| r.registration_closes_at.map(rfc)),
            recurrence: patch.recurrence.clone().unwrap_or_else(|| r.recurrence.clone()),
            region: patch.region.clone().unwrap_or_else(|| r.region.clone()),
            show_attendees: patch.show_attendees.unwrap_or(r.show_attendees),
        };
        let details = self.parse_details(association, &raw)?;
        let f = fields(&details);
        let moved = f.starts_at != r.starts_at
            || f.ends_at != r.ends_at
            || f.recurrence != r.recurrence.as_deref()
            || f.time_zone != r.time_zone;
        let replaced =
            f.location != r.location.as_deref() || f.online_url != r.online_url.as_deref() || f.mode != r.mode;
        let told = if moved || replaced { self.store.registrations(&association.id, r).await? } else { Vec::new() };
        let notices: Vec<EventNotification> =
            told.iter().map(|t| event_notice(&t.member_id, "event_changed")).collect();
        let promotions = Promotions::default();
        let updated = self
            .store
            .update_event(&association.id, &r.id, &f, &notices, &|m| promotions.notice(m), self.clock.now())
            .await?;
        if let EventUpdated::BelowRegistered(_) = updated {
            // Never more registered than `capacity` (api.md).
            return Err(EventError::Invalid(vec![("capacity", CAPACITY_BELOW_REGISTERED)]));
        }
        let promoted = promotions.made();
        let written = notices.iter().chain(&promoted).map(|n| (n.member_id.as_str(), n.id.as_str()));
        self.notifications_written(association, written).await;
        Ok(())
    }

    /// Cancels an event with a reason; everyone registered or waiting is told.
    pub async fn cancel_event(
        &self,
        association: &Association,
        caller: &Caller,
        id: &str,
        reason: &str,
    ) -> Result<(), EventError> {
        let seen = self.event_access(association, caller, id).await?;
        if !seen.organiser {
            return Err(EventError::Forbidden);
        }
        let reason = reason.trim();
        if reason.chars().count() > 1000 || reason.chars().any(|c| c.is_control() && c != '\n') {
            return Err(EventError::Invalid(vec![("reason", "must be at most 1000 characters of text")]));
        }
        let told = self.store.registrations(&association.id, &seen.record).await?;
        let notices: Vec<EventNotification> =
            told.iter().map(|t| event_notice(&t.member_id, "event_cancelled")).collect();
        let done =
            self.store.cancel_event(&association.id, &seen.record.id, reason, &notices, self.clock.now()).await?;
        if done {
            self.notifications_written(association, notices.iter().map(|n| (n.member_id.as_str(), n.id.as_str())))
                .await;
        }
        Ok(())
    }

    /// Cancels one occurrence of a series on its own, by its start.
    pub async fn cancel_occurrence(
        &self,
        association: &Association,
        caller: &Caller,
        id: &str,
        starts_at: &str,
    ) -> Result<(), EventError> {
        let seen = self.event_access(association, caller, id).await?;
        if !seen.organiser {
            return Err(EventError::Forbidden);
        }
        let start = DateTime::parse_from_rfc3339(starts_at.trim()).map(|t| t.with_timezone(&Utc)).ok();
        let occurrences = occurrences_of(&seen.record, &[]);
        let Some(start) = start.filter(|s| occurrences.iter().any(|o| o.starts_at == *s)) else {
            return Err(EventError::NotFound);
        };
        let told = self.store.registrations(&association.id, &seen.record).await?;
        let notices: Vec<EventNotification> =
            told.iter().map(|t| event_notice(&t.member_id, "event_cancelled")).collect();
        let done =
            self.store.cancel_occurrence(&association.id, &seen.record.id, start, &notices, self.clock.now()).await?;
        if done {
            self.notifications_written(association, notices.iter().map(|n| (n.member_id.as_str(), n.id.as_str())))
                .await;
        }
        Ok(())
    }

    /// Changes one occurrence of a series on its own (organisers): another
    /// time and, optionally, another place or link for that date only. The
    /// occurrence is named by the start the series gives it; its new values
    /// pass the same checks as an event's (`parse_event`: times in the
    /// event's zone, an end after the start and within 14 days, the place's
    /// text, an http(s) link). Registered and waiting members are told, in
    /// the app and by a neutral mail. Registration stays per series.
    pub async fn change_occurrence(
        &self,
        association: &Association,
        caller: &Caller,
        id: &str,
        original_start: &str,
        patch: &OccurrencePatch,
    ) -> Result<(), EventError> {
        let seen = self.event_access(association, caller, id).await?;
        if !seen.organiser {
            return Err(EventError::Forbidden);
        }
        let r = &seen.record;
        let original = DateTime::parse_from_rfc3339(original_start.trim()).map(|t| t.with_timezone(&Utc)).ok();
        let Some(original) = original.filter(|s| occurrences_of(r, &[]).iter().any(|o| o.starts_at == *s)) else {
            return Err(EventError::NotFound);
        };
        if r.recurrence.is_none() {
            // A one-off event is changed as a whole (`update_event`).
            return Err(EventError::NotFound);
        }
        if r.cancelled_at.is_some() {
            return Err(EventError::Cancelled);
        }
        let optional = |v: &Option<String>| v.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned);
        let raw = RawEvent {
            title: r.title.clone(),
            description: r.description.clone(),
            starts_at: patch.starts_at.clone(),
            ends_at: patch.ends_at.clone(),
            time_zone: Some(r.time_zone.clone()),
            mode: r.mode.clone(),
            location: optional(&patch.location).or_else(|| r.location.clone()),
            online_url: optional(&patch.online_url).or_else(|| r.online_url.clone()),
            accessibility: seen.accessibility(),
            capacity: r.capacity.map(i64::from),
            registration_closes_at: None,
            recurrence: None,
            region: r.region.clone(),
            show_attendees: r.show_attendees,
        };
        let details = self.parse_details(association, &raw)?;
        let change = OccurrenceChange {
            starts_at: original,
            new_starts_at: details.starts_at,
            new_ends_at: details.ends_at,
            location: optional(&patch.location).and(details.location.clone()),
            online_url: optional(&patch.online_url).and(details.online_url.clone()),
        };
        let told = self.store.registrations(&association.id, r).await?;
        let notices: Vec<EventNotification> =
            told.iter().map(|t| event_notice(&t.member_id, "event_changed")).collect();
        self.store.change_occurrence(&association.id, &r.id, &change, &notices, self.clock.now()).await?;
        self.notifications_written(association, notices.iter().map(|n| (n.member_id.as_str(), n.id.as_str()))).await;
        Ok(())
    }

    /// Registers the caller (or puts them on the waiting list when full).
    pub async fn register_for_event(
        &self,
        association: &Association,
        caller: &Caller,
        id: &str,
    ) -> Result<(Attendance, Option<i64>), EventError> {
        let seen = self.event_access(association, caller, id).await?;
        let now = self.clock.now();
        if seen.record.cancelled_at.is_some() {
            return Err(EventError::Cancelled);
        }
        let closes = seen.record.registration_closes_at.unwrap_or(seen.record.last_ends_at);
        if now >= closes || now >= seen.record.last_ends_at {
            return Err(EventError::RegistrationClosed);
        }
        match self.store.register(&association.id, &seen.record.id, &caller.member.id, now).await? {
            Registered::Registered => Ok((Attendance::Registered, None)),
            Registered::Waitlisted(position) => Ok((Attendance::Waitlisted, Some(position))),
            Registered::Gone => Err(EventError::Cancelled),
        }
    }

    /// Takes the caller's registration back; the first waiting moves up
    /// and is told. Nothing to take back is fine too.
    pub async fn unregister_from_event(
        &self,
        association: &Association,
        caller: &Caller,
        id: &str,
    ) -> Result<(), EventError> {
        let seen = self.event_access(association, caller, id).await?;
        Ok(self.release_place(association, &seen.record.id, &caller.member.id).await?)
    }

    /// Takes a member's registration back; the first waiting moves up and
    /// is told (for `unregister_from_event` and `give_up_group_places`).
    async fn release_place(&self, association: &Association, event: &str, member: &MemberId) -> Result<(), StoreError> {
        let promotions = Promotions::default();
        self.store.unregister(&association.id, event, member, &|m| promotions.notice(m), self.clock.now()).await?;
        let made = promotions.made();
        self.notifications_written(association, made.iter().map(|n| (n.member_id.as_str(), n.id.as_str()))).await;
        Ok(())
    }

    /// A member who left a group holds no place at its events: each
    /// registration at one not yet over is taken back as if they had
    /// withdrawn it (the first waiting moves up and is told). Afterwards
    /// the events do not exist for them, so they could not do it themselves.
    pub(crate) async fn give_up_group_places(
        &self,
        association: &Association,
        group: &str,
        member: &MemberId,
    ) -> Result<(), StoreError> {
        let now = self.clock.now();
        for event in self.store.places_in_group(&association.id, group, member.as_str(), now).await? {
            self.release_place(association, &event, member).await?;
        }
        Ok(())
    }

    /// Who comes, as the caller may see them (organisers; attendees where
    /// the event shows its list).
    ///
    /// In an alias group by alias only, and nobody is left out there for a
    /// block or a suspension: an alias missing for exactly one viewer would
    /// tell that viewer whose alias it is (the rule of the group's member
    /// list, `service::groups::group_members`). Elsewhere each attendee
    /// passes `kindred_domain::disclosure::sight`, the rule of every member
    /// list: one the caller may not see (blocked either way, not active) is
    /// not shown, not even by pseudonym.
    pub async fn event_attendees(
        &self,
        association: &Association,
        caller: &Caller,
        id: &str,
    ) -> Result<(SeenEvent, Vec<Attendee>), EventError> {
        let seen = self.event_access(association, caller, id).await?;
        if !seen.sees_attendees() {
            return Err(EventError::Forbidden);
        }
        let rows = self.store.registrations(&association.id, &seen.record).await?;
        let attendees = if seen.alias_group() {
            rows.into_iter()
                .filter_map(|r| {
                    Some(Attendee {
                        who: EventPerson::Alias(r.alias?),
                        status: Attendance::from_stored(Some(&r.status)),
                    })
                })
                .collect()
        } else {
            let blocked = self.store.blocked_either_way(&association.id, &caller.member.id).await?;
            rows.into_iter()
                .filter(|r| {
                    let id = MemberId::from_trusted(r.member_id.clone());
                    let sight = disclosure::sight(
                        &caller_party(caller),
                        &party(&id, &r.account_role, &r.account_status),
                        Relation { granted_to_viewer: None, blocked: blocked.contains(&r.member_id) },
                    );
                    sight != Sight::Nothing
                })
                .map(|r| Attendee {
                    status: Attendance::from_stored(Some(&r.status)),
                    who: EventPerson::Member { id: r.member_id, pseudonym: r.pseudonym },
                })
                .collect()
        };
        Ok((seen, attendees))
    }

    /// The event as an iCalendar file, as the caller may see it.
    pub async fn event_ics(&self, association: &Association, caller: &Caller, id: &str) -> Result<String, EventError> {
        let seen = self.event_access(association, caller, id).await?;
        let cancelled = self.store.cancelled_occurrences(&association.id, &seen.record.id).await?;
        let changes = self.store.occurrence_changes(&association.id, &seen.record.id).await?;
        let event = self.calendar_event(association, &seen.record, &cancelled, &changes, true, seen.sees_place());
        Ok(ical::calendar(association.settings.name.get(association.settings.default_language), &[event]))
    }

    fn calendar_event(
        &self,
        association: &Association,
        r: &EventRecord,
        cancelled: &[DateTime<Utc>],
        changes: &[OccurrenceChange],
        full_title: bool,
        place: bool,
    ) -> CalendarEvent {
        let base = self.association_url(association);
        let host = base.split("://").nth(1).unwrap_or("kindred").split('/').next().unwrap_or("kindred").to_owned();
        let link = format!("{base}/events/{}", r.id);
        let summary = if full_title {
            r.title.clone()
        } else {
            format!(
                "{} – {}",
                neutral_title(association),
                association.settings.name.get(association.settings.default_language)
            )
        };
        let zone = TimeZoneName::parse(&r.time_zone).map(|z| z.tz());
        CalendarEvent {
            uid: format!("{}@{host}", r.id),
            stamp: r.updated_at,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            summary,
            description: Some(if full_title { format!("{}\n\n{link}", r.description) } else { link.clone() }),
            location: if place { r.location.clone() } else { None },
            url: if place { r.online_url.clone() } else { Some(link) },
            rule: match (&r.recurrence, zone) {
                (Some(rule), Some(zone)) => Some((rule.clone(), zone)),
                _ => None,
            },
            last_ends_at: Some(r.last_ends_at),
            cancelled_starts: cancelled.to_vec(),
            cancelled: r.cancelled_at.is_some(),
            // Changed dates of the series (a cancelled one stays an EXDATE).
            overrides: occurrences_with(r, cancelled, changes)
                .into_iter()
                .filter(|o| o.changed && !o.cancelled && r.recurrence.is_some())
                .map(|o| ical::Override {
                    original_starts_at: o.original_starts_at,
                    starts_at: o.starts_at,
                    ends_at: o.ends_at,
                    location: if place { o.location } else { None },
                    url: if place { o.online_url } else { None },
                })
                .collect(),
        }
    }

    /// The caller's feed URL, made on first asking; `replace` makes a new
    /// one (the old answers 404 from then on) with the given setting.
    pub async fn calendar_feed(
        &self,
        association: &Association,
        caller: &Caller,
        replace: Option<bool>,
    ) -> Result<(String, bool), EventError> {
        let me = &caller.member.id;
        let existing = self.store.calendar_feed_of(&association.id, me).await?;
        let (nonce, full_titles) = match (existing, replace) {
            (Some((nonce, full)), None) => (nonce, full),
            (existing, replace) => {
                let mut bytes = [0u8; 16];
                rand::rngs::OsRng.fill_bytes(&mut bytes);
                let nonce = BASE64URL_NOPAD.encode(&bytes);
                let full = replace.unwrap_or_else(|| existing.is_some_and(|(_, f)| f));
                let token = self.feed_token(association, me, &nonce)?;
                self.store
                    .set_calendar_feed(&association.id, me, &nonce, &token_hash(&token), full, self.clock.now())
                    .await?;
                (nonce, full)
            }
        };
        let token = self.feed_token(association, me, &nonce)?;
        Ok((format!("{}/api/v1/calendar-feeds/{token}", self.association_url(association)), full_titles))
    }

    fn feed_token(&self, association: &Association, member: &MemberId, nonce: &str) -> Result<String, EventError> {
        let key = self.keys.association(&association.id).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        // 32 of the 64 hex characters: 128 bits are plenty and the URL stays short.
        let mac = key.search_token("calendar_feed", &format!("{}\u{0}{nonce}", member.as_str()));
        Ok(mac.chars().take(32).collect())
    }

    /// The feed of a token: the member's registered (and organised)
    /// events, neutral titles unless they chose full ones, places only
    /// then. `NotFound` for any token that is not a current one.
    pub async fn calendar_feed_ics(&self, association: &Association, token: &str) -> Result<String, EventError> {
        let token = token.trim().trim_end_matches(".ics");
        if token.len() != 32 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(EventError::NotFound);
        }
        let (member, full_titles) =
            self.store.calendar_feed_by_hash(&association.id, &token_hash(token)).await?.ok_or(EventError::NotFound)?;
        let since = self.clock.now() - Duration::days(90);
        let records = self.store.events_of_member(&association.id, &member, since).await?;
        let member_id = MemberId::from_trusted(member.clone());
        let staff = false;
        let readable = self.store.readable_group_ids(&association.id, &member_id, staff).await?;
        // Still ones the member may see (they may have left the group).
        let records: Vec<EventRecord> =
            records.into_iter().filter(|r| r.group_id.as_ref().is_none_or(|g| readable.contains(g))).collect();
        let ids: Vec<String> = records.iter().map(|r| r.id.clone()).collect();
        let exceptions = self.store.series_exceptions(&association.id, &ids).await?;
        let mut events = Vec::new();
        for r in records {
            let cancelled = exceptions.cancelled.get(&r.id).map_or(&[][..], Vec::as_slice);
            let changes = exceptions.changes.get(&r.id).map_or(&[][..], Vec::as_slice);
            events.push(self.calendar_event(association, &r, cancelled, changes, full_titles, full_titles));
        }
        Ok(ical::calendar(&neutral_title(association), &events))
    }

    /// Sends every reminder due at `now`: one per occurrence starting
    /// within a day and registered member, in the app and by neutral mail.
    /// Each is claimed in `event_reminders` in the transaction that writes
    /// its notification, so two nodes at once, or a run cut short, never
    /// send one twice nor skip one for good. Should run every few minutes.
    pub async fn remind_due(&self, now: DateTime<Utc>) -> Result<usize, EventError> {
        let until = now + reminder_lead();
        let records = self.store.events_starting_soon(now, until).await?;
        if records.is_empty() {
            return Ok(0);
        }
        let associations = self.associations().await.map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut sent = 0;
        for r in records {
            let association_id = kindred_domain::AssociationId::from_trusted(r.association_id.clone());
            let cancelled = self.store.cancelled_occurrences(&association_id, &r.id).await?;
            let changes = self.store.occurrence_changes(&association_id, &r.id).await?;
            let due: Vec<Occurrence> = occurrences_with(&r, &cancelled, &changes)
                .into_iter()
                .filter(|o| !o.cancelled && o.starts_at > now && o.starts_at <= until)
                .collect();
            if due.is_empty() {
                continue;
            }
            let Some(association) = associations.iter().find(|a| a.id == association_id) else { continue };
            let people = self.store.registrations(&association_id, &r).await?;
            let mut claimed = Vec::new();
            for o in &due {
                for p in people.iter().filter(|p| p.status == "registered") {
                    let notice = event_notice(&p.member_id, "event_reminder");
                    if self.store.claim_reminder(&r.association_id, &r.id, o.starts_at, &notice, now).await? {
                        sent += 1;
                        claimed.push(notice);
                    }
                }
            }
            self.notifications_written(association, claimed.iter().map(|n| (n.member_id.as_str(), n.id.as_str())))
                .await;
        }
        Ok(sent)
    }
}

/// The title of an event wherever the member did not choose to show it.
fn neutral_title(association: &Association) -> String {
    let _ = association;
    "Kindred event".to_owned()
}

fn listed(r: &EventRecord, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>, cancelled: bool) -> EventListed {
    EventListed {
        event_id: r.id.clone(),
        title: r.title.clone(),
        starts_at,
        ends_at,
        time_zone: r.time_zone.clone(),
        mode: r.mode.clone(),
        group_id: r.group_id.clone(),
        region: r.region.clone(),
        recurring: r.recurrence.is_some(),
        cancelled,
        changed: false,
        capacity: r.capacity,
    }
}

fn listed_occurrence(r: &EventRecord, o: &Occurrence) -> EventListed {
    EventListed { changed: o.changed, ..listed(r, o.starts_at, o.ends_at, o.cancelled) }
}
