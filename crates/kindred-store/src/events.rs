//! store::events — events, registrations and the waiting list, cancelled
//! occurrences, reminders sent and calendar feeds.
//!
//! Capacity under concurrency: every change of an event's registrations
//! starts with an UPDATE of the event row (`next_seq = next_seq + 1`). On
//! PostgreSQL that takes the row lock until commit, so concurrent
//! registrations for one event run one after the other and each reads the
//! count the previous one committed (the UPDATE re-reads the newest row
//! version once the lock is free); on SQLite the single writer connection
//! serialises them anyway. The same SQL text runs on both.

use crate::{read, write, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::{AssociationId, MemberId};

/// An event as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRecord {
    pub association_id: String,
    pub id: String,
    pub group_id: Option<String>,
    pub created_by: String,
    pub title: String,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub last_ends_at: DateTime<Utc>,
    pub time_zone: String,
    pub mode: String,
    pub location: Option<String>,
    pub online_url: Option<String>,
    pub step_free: bool,
    pub accessible_toilet: bool,
    pub hearing_loop: bool,
    pub seating: bool,
    pub quiet_room: bool,
    pub accessibility_notes: String,
    pub capacity: Option<i32>,
    pub registration_closes_at: Option<DateTime<Utc>>,
    pub recurrence: Option<String>,
    pub region: Option<String>,
    pub show_attendees: bool,
    pub registered_count: i32,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const EVENT_COLUMNS: &str = "e.association_id, e.id, e.group_id, e.created_by, e.title, e.description, e.starts_at, \
     e.ends_at, e.last_ends_at, e.time_zone, e.mode, e.location, e.online_url, e.step_free, e.accessible_toilet, \
     e.hearing_loop, e.seating, e.quiet_room, e.accessibility_notes, e.capacity, e.registration_closes_at, \
     e.recurrence, e.region, e.show_attendees, e.registered_count, e.cancelled_at, e.cancel_reason, e.created_at, \
     e.updated_at";

/// An event's fields as written on creation and on change.
#[derive(Debug, Clone)]
pub struct EventFields<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub last_ends_at: DateTime<Utc>,
    pub time_zone: &'a str,
    pub mode: &'a str,
    pub location: Option<&'a str>,
    pub online_url: Option<&'a str>,
    pub step_free: bool,
    pub accessible_toilet: bool,
    pub hearing_loop: bool,
    pub seating: bool,
    pub quiet_room: bool,
    pub accessibility_notes: &'a str,
    pub capacity: Option<i32>,
    pub registration_closes_at: Option<DateTime<Utc>>,
    pub recurrence: Option<&'a str>,
    pub region: Option<&'a str>,
    pub show_attendees: bool,
}

/// A notification about an event, written in the same transaction as the change.
#[derive(Debug, Clone)]
pub struct EventNotification {
    pub id: String,
    pub member_id: String,
    pub kind: &'static str,
    pub detail: Option<String>,
}

/// What a registration came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registered {
    Registered,
    /// On the waiting list, at this position (1 = next).
    Waitlisted(i64),
    /// The event is gone or cancelled meanwhile.
    Gone,
}

/// What became of a change of an event (`Store::update_event`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventUpdated {
    /// Changed (or gone meanwhile); these members moved up from the waiting list.
    Changed(Vec<String>),
    /// Nothing changed: the new capacity is below this many registered.
    BelowRegistered(i32),
}

/// Someone's registration, with what a list of attendees needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RegistrationRecord {
    pub member_id: String,
    pub pseudonym: String,
    pub badge: Option<String>,
    pub status: String,
    pub seq: i64,
    pub alias: Option<String>,
    pub email: String,
    pub language: Option<String>,
    /// The account's role and status, for `kindred_domain::disclosure`.
    pub account_role: String,
    pub account_status: String,
}

/// One occurrence of a series changed on its own, named by the start the
/// series gives it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OccurrenceChange {
    pub starts_at: DateTime<Utc>,
    pub new_starts_at: DateTime<Utc>,
    pub new_ends_at: DateTime<Utc>,
    pub location: Option<String>,
    pub online_url: Option<String>,
}

/// The exceptions of several series, by event id (see
/// [`Store::series_exceptions`]); a series without any has no entry.
#[derive(Debug, Clone, Default)]
pub struct SeriesExceptions {
    pub cancelled: std::collections::HashMap<String, Vec<DateTime<Utc>>>,
    pub changes: std::collections::HashMap<String, Vec<OccurrenceChange>>,
}

/// Filters of an event list, checked by the service.
#[derive(Debug, Clone, Default)]
pub struct EventFilter<'a> {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub group_id: Option<&'a str>,
    pub mode: Option<&'a str>,
    pub region: Option<&'a str>,
    /// A catalogue tag `(kind, code)`: only events of groups carrying it
    /// (an association-wide event has no tags of its own).
    pub tag: Option<(&'a str, &'a str)>,
}

fn placeholders(from: usize, count: usize) -> String {
    (0..count).map(|i| format!("${}", from + i)).collect::<Vec<_>>().join(", ")
}

/// The columns `EventFields` fills, in the order `bind_fields!` binds
/// them: one list for the INSERT of a new event and the UPDATE of a change.
const FIELD_COLUMNS: [&str; 20] = [
    "title",
    "description",
    "starts_at",
    "ends_at",
    "last_ends_at",
    "time_zone",
    "mode",
    "location",
    "online_url",
    "step_free",
    "accessible_toilet",
    "hearing_loop",
    "seating",
    "quiet_room",
    "accessibility_notes",
    "capacity",
    "registration_closes_at",
    "recurrence",
    "region",
    "show_attendees",
];

/// Binds an `EventFields` in `FIELD_COLUMNS` order (a macro, so that the
/// one text serves the SQLite and the PostgreSQL query types).
macro_rules! bind_fields {
    ($query:expr, $f:expr) => {
        $query
            .bind($f.title)
            .bind($f.description)
            .bind($f.starts_at)
            .bind($f.ends_at)
            .bind($f.last_ends_at)
            .bind($f.time_zone)
            .bind($f.mode)
            .bind($f.location)
            .bind($f.online_url)
            .bind($f.step_free)
            .bind($f.accessible_toilet)
            .bind($f.hearing_loop)
            .bind($f.seating)
            .bind($f.quiet_room)
            .bind($f.accessibility_notes)
            .bind($f.capacity)
            .bind($f.registration_closes_at)
            .bind($f.recurrence)
            .bind($f.region)
            .bind($f.show_attendees)
    };
}

/// `INSERT` of a new event: `$1`–`$4` association, id, group, creator;
/// the fields from `$5`; the time of creation after them.
fn insert_sql() -> String {
    let n = FIELD_COLUMNS.len();
    format!(
        "INSERT INTO events (association_id, id, group_id, created_by, {}, registered_count, next_seq, \
         cancelled_at, cancel_reason, created_at, updated_at) VALUES ($1, $2, $3, $4, {}, 0, 0, NULL, NULL, ${at}, ${at})",
        FIELD_COLUMNS.join(", "),
        placeholders(5, n),
        at = 5 + n
    )
}

/// `UPDATE` of a change: `$1`, `$2` association and id; the fields from
/// `$3`; the time of the change after them.
fn update_sql() -> String {
    let n = FIELD_COLUMNS.len();
    let set: Vec<String> = FIELD_COLUMNS.iter().enumerate().map(|(i, c)| format!("{c} = ${}", i + 3)).collect();
    format!("UPDATE events SET {}, updated_at = ${} WHERE association_id = $1 AND id = $2", set.join(", "), 3 + n)
}

macro_rules! notify_event {
    ($tx:expr, $association:expr, $event:expr, $notifications:expr, $at:expr) => {
        for n in $notifications {
            sqlx::query(
                "INSERT INTO notifications (association_id, id, member_id, kind, topic_id, post_id, actor_label, \
                 detail, created_at, read_at, event_id) VALUES ($1, $2, $3, $4, NULL, NULL, NULL, $5, $6, NULL, $7)",
            )
            .bind($association)
            .bind(&n.id)
            .bind(&n.member_id)
            .bind(n.kind)
            .bind(n.detail.as_deref())
            .bind($at)
            .bind($event)
            .execute(&mut *$tx)
            .await?;
        }
    };
}

impl Store {
    /// Creates an event.
    pub async fn create_event(
        &self,
        association: &AssociationId,
        id: &str,
        group_id: Option<&str>,
        created_by: &MemberId,
        f: &EventFields<'_>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            let sql = insert_sql();
            let query = sqlx::query(&sql).bind(association.as_str()).bind(id).bind(group_id).bind(created_by.as_str());
            bind_fields!(query, f).bind(at).execute(pool).await.map(|_| ())
        })?;
        Ok(())
    }

    /// One event.
    pub async fn event(&self, association: &AssociationId, id: &str) -> Result<Option<EventRecord>, StoreError> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events e WHERE e.association_id = $1 AND e.id = $2");
        let row = read!(self, |pool| {
            sqlx::query_as(&sql).bind(association.as_str()).bind(id).fetch_optional(pool).await
        })?;
        Ok(row)
    }

    /// A member's registration status and, when waiting, the position.
    pub async fn registration_of(
        &self,
        association: &AssociationId,
        event: &str,
        member: &str,
    ) -> Result<(Option<String>, Option<i64>), StoreError> {
        let row: Option<(String, i64)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT r.status, (SELECT COUNT(*) FROM event_registrations w WHERE w.association_id = $1 \
                   AND w.event_id = $2 AND w.status = 'waitlisted' AND w.seq <= r.seq) \
                 FROM event_registrations r WHERE r.association_id = $1 AND r.event_id = $2 AND r.member_id = $3",
            )
            .bind(association.as_str())
            .bind(event)
            .bind(member)
            .fetch_optional(pool)
            .await
        })?;
        Ok(match row {
            None => (None, None),
            Some((status, position)) => {
                let position = (status == "waitlisted").then_some(position);
                (Some(status), position)
            }
        })
    }

    /// Changes an event's fields and tells `notifications` in the same
    /// transaction. A capacity changed to below the number registered is
    /// refused (nothing written), read under the event row's lock so that
    /// no registration slips in between; a raised one moves people up from
    /// the waiting list (returned, in order).
    pub async fn update_event(
        &self,
        association: &AssociationId,
        id: &str,
        f: &EventFields<'_>,
        notifications: &[EventNotification],
        promoted_notice: &(dyn Fn(&str) -> EventNotification + Sync),
        at: DateTime<Utc>,
    ) -> Result<EventUpdated, StoreError> {
        let association = association.as_str();
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let locked: Option<(Option<i32>, i32)> = sqlx::query_as(
                "UPDATE events SET next_seq = next_seq + 1 WHERE association_id = $1 AND id = $2 \
                 RETURNING capacity, registered_count",
            )
            .bind(association)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((capacity, registered)) = locked else { return Ok(EventUpdated::Changed(Vec::new())) };
            // Only a changed capacity is checked: an event over its capacity
            // from before this rule keeps taking other changes.
            if f.capacity != capacity && f.capacity.is_some_and(|c| c < registered) {
                tx.rollback().await?;
                return Ok(EventUpdated::BelowRegistered(registered));
            }
            let sql = update_sql();
            let query = sqlx::query(&sql).bind(association).bind(id);
            bind_fields!(query, f).bind(at).execute(&mut *tx).await?;
            let free = match f.capacity {
                None => i64::MAX,
                Some(capacity) => i64::from(capacity) - i64::from(registered),
            };
            let mut promoted = Vec::new();
            if free > 0 {
                let waiting: Vec<(String,)> = sqlx::query_as(
                    "SELECT member_id FROM event_registrations WHERE association_id = $1 AND event_id = $2 \
                     AND status = 'waitlisted' ORDER BY seq LIMIT $3",
                )
                .bind(association)
                .bind(id)
                .bind(free.min(100_000))
                .fetch_all(&mut *tx)
                .await?;
                for (member,) in waiting {
                    sqlx::query(
                        "UPDATE event_registrations SET status = 'registered' \
                         WHERE association_id = $1 AND event_id = $2 AND member_id = $3",
                    )
                    .bind(association)
                    .bind(id)
                    .bind(&member)
                    .execute(&mut *tx)
                    .await?;
                    promoted.push(member);
                }
                if !promoted.is_empty() {
                    sqlx::query(
                        "UPDATE events SET registered_count = registered_count + $3 WHERE association_id = $1 AND id = $2",
                    )
                    .bind(association)
                    .bind(id)
                    .bind(i32::try_from(promoted.len()).unwrap_or(i32::MAX))
                    .execute(&mut *tx)
                    .await?;
                }
            }
            notify_event!(tx, association, id, notifications, at);
            let promoted_notices: Vec<EventNotification> = promoted.iter().map(|m| promoted_notice(m)).collect();
            notify_event!(tx, association, id, &promoted_notices, at);
            tx.commit().await?;
            Ok(EventUpdated::Changed(promoted))
        })
    }

    /// Cancels an event (false when it was cancelled already or is unknown).
    pub async fn cancel_event(
        &self,
        association: &AssociationId,
        id: &str,
        reason: &str,
        notifications: &[EventNotification],
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let association = association.as_str();
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "UPDATE events SET cancelled_at = $3, cancel_reason = $4, updated_at = $3 \
                 WHERE association_id = $1 AND id = $2 AND cancelled_at IS NULL",
            )
            .bind(association)
            .bind(id)
            .bind(at)
            .bind(reason)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if done {
                notify_event!(tx, association, id, notifications, at);
            }
            tx.commit().await?;
            Ok(done)
        })
    }

    /// The starts of a series' cancelled occurrences.
    pub async fn cancelled_occurrences(
        &self,
        association: &AssociationId,
        event: &str,
    ) -> Result<Vec<DateTime<Utc>>, StoreError> {
        let rows: Vec<(DateTime<Utc>,)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT starts_at FROM event_occurrences WHERE association_id = $1 AND event_id = $2 ORDER BY starts_at",
            )
            .bind(association.as_str())
            .bind(event)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().map(|(t,)| t).collect())
    }

    /// The cancelled starts and the changed occurrences of many series at
    /// once, by event id (an event list expands every series it shows:
    /// two queries instead of two per series).
    pub async fn series_exceptions(
        &self,
        association: &AssociationId,
        events: &[String],
    ) -> Result<SeriesExceptions, StoreError> {
        let mut found = SeriesExceptions::default();
        // SQLite allows 32,766 bound values; a page's series stay far below.
        for chunk in events.chunks(1000) {
            let list = placeholders(2, chunk.len());
            let cancelled_sql = format!(
                "SELECT event_id, starts_at FROM event_occurrences WHERE association_id = $1 \
                 AND event_id IN ({list}) ORDER BY event_id, starts_at"
            );
            let changes_sql = format!(
                "SELECT event_id, starts_at, new_starts_at, new_ends_at, location, online_url \
                 FROM event_occurrence_changes WHERE association_id = $1 AND event_id IN ({list}) \
                 ORDER BY event_id, starts_at"
            );
            let cancelled: Vec<(String, DateTime<Utc>)> = read!(self, |pool| {
                let mut query = sqlx::query_as(&cancelled_sql).bind(association.as_str());
                for id in chunk {
                    query = query.bind(id.as_str());
                }
                query.fetch_all(pool).await
            })?;
            type ChangeRow = (String, DateTime<Utc>, DateTime<Utc>, DateTime<Utc>, Option<String>, Option<String>);
            let changes: Vec<ChangeRow> = read!(self, |pool| {
                let mut query = sqlx::query_as(&changes_sql).bind(association.as_str());
                for id in chunk {
                    query = query.bind(id.as_str());
                }
                query.fetch_all(pool).await
            })?;
            for (event, starts_at) in cancelled {
                found.cancelled.entry(event).or_default().push(starts_at);
            }
            for (event, starts_at, new_starts_at, new_ends_at, location, online_url) in changes {
                let change = OccurrenceChange { starts_at, new_starts_at, new_ends_at, location, online_url };
                found.changes.entry(event).or_default().push(change);
            }
        }
        Ok(found)
    }

    /// The occurrences of a series changed on their own, by original start.
    pub async fn occurrence_changes(
        &self,
        association: &AssociationId,
        event: &str,
    ) -> Result<Vec<OccurrenceChange>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT starts_at, new_starts_at, new_ends_at, location, online_url FROM event_occurrence_changes \
                 WHERE association_id = $1 AND event_id = $2 ORDER BY starts_at",
            )
            .bind(association.as_str())
            .bind(event)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// Changes one occurrence of a series (again: the last change counts)
    /// and tells `notifications`, in one transaction. The series' end for
    /// range queries (`last_ends_at`) grows when the date moves past it.
    pub async fn change_occurrence(
        &self,
        association: &AssociationId,
        event: &str,
        change: &OccurrenceChange,
        notifications: &[EventNotification],
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let association = association.as_str();
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO event_occurrence_changes (association_id, event_id, starts_at, new_starts_at, \
                 new_ends_at, location, online_url, changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (association_id, event_id, starts_at) DO UPDATE SET \
                 new_starts_at = excluded.new_starts_at, new_ends_at = excluded.new_ends_at, \
                 location = excluded.location, online_url = excluded.online_url, changed_at = excluded.changed_at",
            )
            .bind(association)
            .bind(event)
            .bind(change.starts_at)
            .bind(change.new_starts_at)
            .bind(change.new_ends_at)
            .bind(change.location.as_deref())
            .bind(change.online_url.as_deref())
            .bind(at)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE events SET updated_at = $3, \
                 last_ends_at = CASE WHEN last_ends_at < $4 THEN $4 ELSE last_ends_at END \
                 WHERE association_id = $1 AND id = $2",
            )
            .bind(association)
            .bind(event)
            .bind(at)
            .bind(change.new_ends_at)
            .execute(&mut *tx)
            .await?;
            notify_event!(tx, association, event, notifications, at);
            tx.commit().await?;
            Ok(())
        })
    }

    /// Cancels one occurrence of a series (false when it was already).
    pub async fn cancel_occurrence(
        &self,
        association: &AssociationId,
        event: &str,
        starts_at: DateTime<Utc>,
        notifications: &[EventNotification],
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let association = association.as_str();
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "INSERT INTO event_occurrences (association_id, event_id, starts_at, cancelled_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (association_id, event_id, starts_at) DO NOTHING",
            )
            .bind(association)
            .bind(event)
            .bind(starts_at)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if done {
                notify_event!(tx, association, event, notifications, at);
            }
            tx.commit().await?;
            Ok(done)
        })
    }

    /// Registers a member, or puts them on the waiting list when the
    /// event is full; an existing registration is kept as it is.
    pub async fn register(
        &self,
        association: &AssociationId,
        event: &str,
        member: &MemberId,
        at: DateTime<Utc>,
    ) -> Result<Registered, StoreError> {
        let association = association.as_str();
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            // The lock (see the module): everything below sees the newest count.
            let locked: Option<(i64, Option<i32>, i32)> = sqlx::query_as(
                "UPDATE events SET next_seq = next_seq + 1 WHERE association_id = $1 AND id = $2 \
                 AND cancelled_at IS NULL RETURNING next_seq, capacity, registered_count",
            )
            .bind(association)
            .bind(event)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((seq, capacity, registered)) = locked else {
                tx.rollback().await?;
                return Ok(Registered::Gone);
            };
            let existing: Option<(String, i64)> = sqlx::query_as(
                "SELECT status, seq FROM event_registrations WHERE association_id = $1 AND event_id = $2 \
                 AND member_id = $3",
            )
            .bind(association)
            .bind(event)
            .bind(member.as_str())
            .fetch_optional(&mut *tx)
            .await?;
            let (status, my_seq) = match existing {
                Some((status, my_seq)) => (status, my_seq),
                None => {
                    let place = capacity.is_none_or(|c| registered < c);
                    let status = if place { "registered" } else { "waitlisted" };
                    sqlx::query(
                        "INSERT INTO event_registrations (association_id, event_id, member_id, status, seq, \
                         created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(association)
                    .bind(event)
                    .bind(member.as_str())
                    .bind(status)
                    .bind(seq)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                    if place {
                        sqlx::query(
                            "UPDATE events SET registered_count = registered_count + 1 \
                             WHERE association_id = $1 AND id = $2",
                        )
                        .bind(association)
                        .bind(event)
                        .execute(&mut *tx)
                        .await?;
                    }
                    (status.to_owned(), seq)
                }
            };
            let outcome = if status == "registered" {
                Registered::Registered
            } else {
                let (position,): (i64,) = sqlx::query_as(
                    "SELECT COUNT(*) FROM event_registrations WHERE association_id = $1 AND event_id = $2 \
                     AND status = 'waitlisted' AND seq <= $3",
                )
                .bind(association)
                .bind(event)
                .bind(my_seq)
                .fetch_one(&mut *tx)
                .await?;
                Registered::Waitlisted(position)
            };
            tx.commit().await?;
            Ok(outcome)
        })
    }

    /// Takes a member's registration back. When they held a place, the
    /// first on the waiting list moves up at once and is told (in the same
    /// transaction). `None` when there was no registration; else the
    /// member who moved up, if any.
    pub async fn unregister(
        &self,
        association: &AssociationId,
        event: &str,
        member: &MemberId,
        promoted_notice: &(dyn Fn(&str) -> EventNotification + Sync),
        at: DateTime<Utc>,
    ) -> Result<Option<Option<String>>, StoreError> {
        let association = association.as_str();
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let locked: Option<(Option<i32>, Option<DateTime<Utc>>)> = sqlx::query_as(
                "UPDATE events SET next_seq = next_seq + 1 WHERE association_id = $1 AND id = $2 \
                 RETURNING capacity, cancelled_at",
            )
            .bind(association)
            .bind(event)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((_, cancelled_at)) = locked else {
                tx.rollback().await?;
                return Ok(None);
            };
            let removed: Option<(String,)> = sqlx::query_as(
                "DELETE FROM event_registrations WHERE association_id = $1 AND event_id = $2 AND member_id = $3 \
                 RETURNING status",
            )
            .bind(association)
            .bind(event)
            .bind(member.as_str())
            .fetch_optional(&mut *tx)
            .await?;
            let Some((status,)) = removed else {
                tx.rollback().await?;
                return Ok(None);
            };
            let mut promoted = None;
            if status == "registered" {
                let next: Option<(String,)> = if cancelled_at.is_none() {
                    sqlx::query_as(
                        "SELECT member_id FROM event_registrations WHERE association_id = $1 AND event_id = $2 \
                         AND status = 'waitlisted' ORDER BY seq LIMIT 1",
                    )
                    .bind(association)
                    .bind(event)
                    .fetch_optional(&mut *tx)
                    .await?
                } else {
                    None
                };
                match next {
                    Some((next,)) => {
                        sqlx::query(
                            "UPDATE event_registrations SET status = 'registered' \
                             WHERE association_id = $1 AND event_id = $2 AND member_id = $3",
                        )
                        .bind(association)
                        .bind(event)
                        .bind(&next)
                        .execute(&mut *tx)
                        .await?;
                        let notice = [promoted_notice(&next)];
                        notify_event!(tx, association, event, &notice, at);
                        promoted = Some(next);
                    }
                    None => {
                        sqlx::query(
                            "UPDATE events SET registered_count = registered_count - 1 \
                             WHERE association_id = $1 AND id = $2",
                        )
                        .bind(association)
                        .bind(event)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
            }
            tx.commit().await?;
            Ok(Some(promoted))
        })
    }

    /// Everyone registered or waiting, places first, each in order, with
    /// their alias where the event's group has aliases.
    pub async fn registrations(
        &self,
        association: &AssociationId,
        event: &EventRecord,
    ) -> Result<Vec<RegistrationRecord>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT r.member_id, m.pseudonym, m.badge, r.status, r.seq, gm.alias, m.email, m.language, \
                 m.role AS account_role, m.status AS account_status \
                 FROM event_registrations r JOIN members m ON m.id = r.member_id \
                 LEFT JOIN group_members gm ON gm.association_id = r.association_id AND gm.group_id = $3 \
                   AND gm.member_id = r.member_id \
                 WHERE r.association_id = $1 AND r.event_id = $2 \
                 ORDER BY CASE WHEN r.status = 'registered' THEN 0 ELSE 1 END, r.seq",
            )
            .bind(association.as_str())
            .bind(event.id.as_str())
            .bind(event.group_id.as_deref().unwrap_or(""))
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// Events of a page that are not recurring, soonest first, after
    /// `(starts_at, id)` when given. `groups`: the groups whose events the
    /// caller may see (association events are seen by everyone).
    pub async fn event_page(
        &self,
        association: &AssociationId,
        groups: &[String],
        filter: &EventFilter<'_>,
        after: Option<(DateTime<Utc>, String)>,
        limit: i64,
    ) -> Result<Vec<EventRecord>, StoreError> {
        self.events_where(association, groups, filter, after, false, limit).await
    }

    /// Every recurring event overlapping the filter's range (each has at
    /// most a few hundred occurrences; the service expands them).
    pub async fn recurring_events(
        &self,
        association: &AssociationId,
        groups: &[String],
        filter: &EventFilter<'_>,
    ) -> Result<Vec<EventRecord>, StoreError> {
        self.events_where(association, groups, filter, None, true, 10_000).await
    }

    async fn events_where(
        &self,
        association: &AssociationId,
        groups: &[String],
        filter: &EventFilter<'_>,
        after: Option<(DateTime<Utc>, String)>,
        recurring: bool,
        limit: i64,
    ) -> Result<Vec<EventRecord>, StoreError> {
        let mut sql = format!("SELECT {EVENT_COLUMNS} FROM events e WHERE e.association_id = $1");
        let mut n = 2;
        let visible = if groups.is_empty() {
            " AND e.group_id IS NULL".to_owned()
        } else {
            let list = placeholders(n, groups.len());
            n += groups.len();
            format!(" AND (e.group_id IS NULL OR e.group_id IN ({list}))")
        };
        sql.push_str(&visible);
        sql.push_str(if recurring { " AND e.recurrence IS NOT NULL" } else { " AND e.recurrence IS NULL" });
        let mut binds_time: Vec<DateTime<Utc>> = Vec::new();
        let mut binds_text: Vec<&str> = Vec::new();
        if let Some(from) = filter.from {
            sql.push_str(&format!(" AND e.last_ends_at > ${n}"));
            n += 1;
            binds_time.push(from);
            if !recurring {
                // A single event lasts at most MAX_LENGTH_DAYS, so one that
                // is not over at `from` started after this: the bound lets
                // the start index seek instead of walking every past event.
                sql.push_str(&format!(" AND e.starts_at > ${n}"));
                n += 1;
                binds_time.push(from - chrono::Duration::days(kindred_domain::events::MAX_LENGTH_DAYS));
            }
        }
        if let Some(to) = filter.to {
            sql.push_str(&format!(" AND e.starts_at < ${n}"));
            n += 1;
            binds_time.push(to);
        }
        if let Some((at, _)) = &after {
            sql.push_str(&format!(" AND (e.starts_at > ${n} OR (e.starts_at = ${n} AND e.id > ${}))", n + 1));
            n += 2;
            binds_time.push(*at);
        }
        for (column, value) in [("e.group_id", filter.group_id), ("e.mode", filter.mode), ("e.region", filter.region)] {
            if let Some(value) = value {
                sql.push_str(&format!(" AND {column} = ${n}"));
                n += 1;
                binds_text.push(value);
            }
        }
        if let Some((kind, code)) = filter.tag {
            sql.push_str(&format!(
                " AND e.group_id IN (SELECT t.group_id FROM group_tags t \
                 WHERE t.association_id = $1 AND t.kind = ${n} AND t.code = ${})",
                n + 1
            ));
            binds_text.push(kind);
            binds_text.push(code);
        }
        sql.push_str(&format!(" ORDER BY e.starts_at, e.id LIMIT {}", limit.clamp(1, 10_000)));
        let rows = read!(self, |pool| {
            let mut query = sqlx::query_as(&sql).bind(association.as_str());
            for group in groups {
                query = query.bind(group.as_str());
            }
            // Times in the order their placeholders were numbered: from (and the start bound of
            // single events), to, cursor (with its id).
            let mut times = binds_time.iter();
            if filter.from.is_some() {
                query = query.bind(times.next().copied());
                if !recurring {
                    query = query.bind(times.next().copied());
                }
            }
            if filter.to.is_some() {
                query = query.bind(times.next().copied());
            }
            if let Some((_, id)) = &after {
                query = query.bind(times.next().copied()).bind(id.as_str());
            }
            for value in &binds_text {
                query = query.bind(*value);
            }
            query.fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// The group's events not yet over at which the member is registered
    /// or waiting (what they give up when they leave the group).
    pub async fn places_in_group(
        &self,
        association: &AssociationId,
        group: &str,
        member: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<String>, StoreError> {
        let ids = read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT e.id FROM events e JOIN event_registrations r ON r.association_id = e.association_id \
                 AND r.event_id = e.id WHERE e.association_id = $1 AND e.group_id = $2 AND r.member_id = $3 \
                 AND e.last_ends_at > $4 ORDER BY e.id",
            )
            .bind(association.as_str())
            .bind(group)
            .bind(member)
            .bind(now)
            .fetch_all(pool)
            .await
        })?;
        Ok(ids)
    }

    /// The events a member holds a place at (for the feed), and those they organise.
    pub async fn events_of_member(
        &self,
        association: &AssociationId,
        member: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<EventRecord>, StoreError> {
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events e WHERE e.association_id = $1 AND e.last_ends_at > $3 AND \
             (e.created_by = $2 OR EXISTS (SELECT 1 FROM event_registrations r WHERE r.association_id = $1 \
               AND r.event_id = e.id AND r.member_id = $2 AND r.status = 'registered')) \
             ORDER BY e.starts_at, e.id LIMIT 1000"
        );
        let rows = read!(self, |pool| {
            sqlx::query_as(&sql).bind(association.as_str()).bind(member).bind(since).fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// Not-cancelled events of every association with an occurrence that
    /// may start in `(from, to]` (for reminders).
    pub async fn events_starting_soon(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<EventRecord>, StoreError> {
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events e WHERE e.cancelled_at IS NULL AND e.starts_at <= $2 \
             AND e.last_ends_at > $1 ORDER BY e.association_id, e.starts_at LIMIT 10000"
        );
        let rows = read!(self, |pool| sqlx::query_as(&sql).bind(from).bind(to).fetch_all(pool).await)?;
        Ok(rows)
    }

    /// Claims the reminder of one occurrence for one member and writes its
    /// notification, in one transaction; false when it was claimed before.
    pub async fn claim_reminder(
        &self,
        association: &str,
        event: &str,
        starts_at: DateTime<Utc>,
        notification: &EventNotification,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let claimed = sqlx::query(
                "INSERT INTO event_reminders (association_id, event_id, starts_at, member_id, sent_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (association_id, event_id, starts_at, member_id) DO NOTHING",
            )
            .bind(association)
            .bind(event)
            .bind(starts_at)
            .bind(&notification.member_id)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if claimed {
                let notices = [notification.clone()];
                notify_event!(tx, association, event, &notices, at);
            }
            tx.commit().await?;
            Ok(claimed)
        })
    }

    /// Sets (or replaces) a member's calendar feed token.
    pub async fn set_calendar_feed(
        &self,
        association: &AssociationId,
        member: &MemberId,
        nonce: &str,
        token_hash: &str,
        full_titles: bool,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "INSERT INTO calendar_feeds (association_id, member_id, nonce, token_hash, full_titles, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (association_id, member_id) \
                 DO UPDATE SET nonce = excluded.nonce, token_hash = excluded.token_hash, \
                 full_titles = excluded.full_titles, created_at = excluded.created_at",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(nonce)
            .bind(token_hash)
            .bind(full_titles)
            .bind(at)
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// A member's feed (its nonce and setting), if they have one.
    pub async fn calendar_feed_of(
        &self,
        association: &AssociationId,
        member: &MemberId,
    ) -> Result<Option<(String, bool)>, StoreError> {
        let row = read!(self, |pool| {
            sqlx::query_as("SELECT nonce, full_titles FROM calendar_feeds WHERE association_id = $1 AND member_id = $2")
                .bind(association.as_str())
                .bind(member.as_str())
                .fetch_optional(pool)
                .await
        })?;
        Ok(row)
    }

    /// The member of a feed token's hash, with the setting.
    pub async fn calendar_feed_by_hash(
        &self,
        association: &AssociationId,
        token_hash: &str,
    ) -> Result<Option<(String, bool)>, StoreError> {
        let row = read!(self, |pool| {
            sqlx::query_as(
                "SELECT f.member_id, f.full_titles FROM calendar_feeds f JOIN members m ON m.id = f.member_id \
                 WHERE f.association_id = $1 AND f.token_hash = $2 AND m.status = 'active'",
            )
            .bind(association.as_str())
            .bind(token_hash)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_column_list_numbers_the_insert_and_the_update_alike() {
        let insert = insert_sql();
        assert!(insert.contains("created_by, title, description,"), "{insert}");
        assert!(insert.contains("$24, 0, 0, NULL, NULL, $25, $25)"), "{insert}");
        let update = update_sql();
        assert!(update.starts_with("UPDATE events SET title = $3, description = $4,"), "{update}");
        assert!(update.contains("show_attendees = $22, updated_at = $23 WHERE"), "{update}");
    }
}
