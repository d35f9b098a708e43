//! api::events — events: create, list, show, change, cancel (also one
//! occurrence of a series), register and unregister, attendees, the
//! `.ics` file and the caller's calendar feed. Every handler goes through
//! `service::events` (and so through `event_access`): an event the caller
//! may not see is answered exactly like an id never used. `location` and
//! `online_url` are absent (not null) unless the caller is registered or
//! organises the event.

use crate::auth::{Authenticated, Community};
use crate::compression::Secret;
use crate::errors::ApiError;
use crate::json::{ApiJson, OptionalJson};
use crate::state::AppState;
use crate::tenant::ApiTenant;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use kindred_domain::events::{Accessibility, Attendance, RawEvent};
use kindred_service::events::{
    EventError, EventInput, EventListed, EventPatch, EventPerson, EventView, OccurrencePatch, RawEventQuery,
};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

pub(crate) fn event_error(error: EventError) -> ApiError {
    match error {
        EventError::NotFound => ApiError::not_found(),
        EventError::Forbidden => ApiError::new(
            StatusCode::FORBIDDEN,
            "event_not_allowed",
            "You may not do this here (the association's event_creation policy, not an organiser, or a group whose \
             events are for its members).",
        ),
        EventError::Invalid(problems) => ApiError::invalid(
            "invalid_fields",
            "Some fields are invalid.",
            problems.into_iter().map(|(f, p)| (f.to_owned(), p.to_owned())).collect(),
        ),
        EventError::Cancelled => ApiError::new(StatusCode::CONFLICT, "event_cancelled", "The event is cancelled."),
        EventError::RegistrationClosed => {
            ApiError::new(StatusCode::CONFLICT, "registration_closed", "Registration for this event is closed.")
        }
        EventError::BadCursor => ApiError::invalid(
            "invalid_query",
            "Some parameters are invalid.",
            BTreeMap::from([("cursor".to_owned(), "is not a cursor this server gave out".to_owned())]),
        ),
        other => ApiError::internal(other),
    }
}

/// How accessible the place is.
#[derive(Deserialize, Serialize, ToSchema, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct EventAccessibility {
    #[serde(default)]
    step_free: bool,
    #[serde(default)]
    accessible_toilet: bool,
    #[serde(default)]
    hearing_loop: bool,
    #[serde(default)]
    seating: bool,
    #[serde(default)]
    quiet_room: bool,
    /// Anything else worth knowing (at most 1000 characters).
    #[serde(default)]
    notes: String,
}

impl From<EventAccessibility> for Accessibility {
    fn from(a: EventAccessibility) -> Self {
        Accessibility {
            step_free: a.step_free,
            accessible_toilet: a.accessible_toilet,
            hearing_loop: a.hearing_loop,
            seating: a.seating,
            quiet_room: a.quiet_room,
            notes: a.notes,
        }
    }
}

impl From<Accessibility> for EventAccessibility {
    fn from(a: Accessibility) -> Self {
        EventAccessibility {
            step_free: a.step_free,
            accessible_toilet: a.accessible_toilet,
            hearing_loop: a.hearing_loop,
            seating: a.seating,
            quiet_room: a.quiet_room,
            notes: a.notes,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEventBody {
    /// 1 to 120 characters.
    title: String,
    /// The forum's Markdown, at most 8000 characters.
    #[serde(default)]
    description: String,
    /// RFC 3339, or a wall-clock time without offset (`2027-03-28T18:00`) in `time_zone`.
    starts_at: String,
    /// After `starts_at`, at most 14 days later.
    ends_at: String,
    /// An IANA time zone; default the association's (`time_zone` of its settings).
    #[serde(default)]
    time_zone: Option<String>,
    /// online, in_person or hybrid.
    mode: String,
    #[serde(default)]
    location: Option<String>,
    /// http or https only.
    #[serde(default)]
    online_url: Option<String>,
    #[serde(default)]
    accessibility: Option<EventAccessibility>,
    /// At least 1; absent: no limit.
    #[serde(default)]
    capacity: Option<i64>,
    /// Not after `starts_at`; absent: until the event ends.
    #[serde(default)]
    registration_closes_at: Option<String>,
    /// The group whose event this is (its moderators create it).
    #[serde(default)]
    group_id: Option<String>,
    /// An RFC 5545 RRULE (`FREQ=MONTHLY;BYDAY=2TU;COUNT=12`) with COUNT or UNTIL, at most 300 occurrences.
    #[serde(default)]
    recurrence: Option<String>,
    /// A region code of the catalogue.
    #[serde(default)]
    region: Option<String>,
    /// Registered attendees see the attendee list too (organisers always do).
    #[serde(default)]
    show_attendees: bool,
}

#[derive(Serialize, ToSchema)]
pub struct EventCreated {
    event_id: String,
}

/// Creates an event of the association (as its `event_creation` policy
/// allows) or of a group (its moderators).
#[utoipa::path(
    post,
    path = "/events",
    tag = "events",
    security(("bearer" = [])),
    request_body = NewEventBody,
    responses(
        (status = 201, description = "Created", body = EventCreated),
        (status = 403, description = "The policy or the group does not let the caller create events", body = super::ErrorResponse),
        (status = 404, description = "No such group (for the caller)", body = super::ErrorResponse),
        (status = 422, description = "Invalid fields", body = super::ErrorResponse),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Community(auth): Community,
    ApiJson(body): ApiJson<NewEventBody>,
) -> Result<Response, ApiError> {
    let input = EventInput {
        raw: RawEvent {
            title: body.title,
            description: body.description,
            starts_at: body.starts_at,
            ends_at: body.ends_at,
            time_zone: body.time_zone,
            mode: body.mode,
            location: body.location,
            online_url: body.online_url,
            accessibility: body.accessibility.unwrap_or_default().into(),
            capacity: body.capacity,
            registration_closes_at: body.registration_closes_at,
            recurrence: body.recurrence,
            region: body.region,
            show_attendees: body.show_attendees,
        },
        group_id: body.group_id,
    };
    let id = state.kindred.create_event(&auth.tenant.association, &auth.caller, &input).await.map_err(event_error)?;
    Ok((StatusCode::CREATED, Json(EventCreated { event_id: id.to_string() })).into_response())
}

/// For the OpenAPI document only (the handler reads the query string itself).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ListParams {
    /// RFC 3339; default now (upcoming events; one still running counts).
    from: Option<String>,
    /// RFC 3339; events starting before it.
    to: Option<String>,
    group_id: Option<String>,
    /// online, in_person or hybrid.
    mode: Option<String>,
    /// A region code of the catalogue.
    region: Option<String>,
    /// A condition code of the catalogue: events of groups tagged with it.
    condition: Option<String>,
    /// A therapy code of the catalogue: events of groups tagged with it.
    therapy: Option<String>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct EventSummary {
    event_id: String,
    title: String,
    /// This occurrence's start (a series appears once per occurrence in the range).
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    time_zone: String,
    mode: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    group_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<String>,
    recurring: bool,
    cancelled: bool,
    /// This occurrence of a series was changed on its own (its time here is the new one).
    changed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    capacity: Option<i32>,
}

pub(crate) fn summary(e: EventListed) -> EventSummary {
    EventSummary {
        event_id: e.event_id,
        title: e.title,
        starts_at: e.starts_at,
        ends_at: e.ends_at,
        time_zone: e.time_zone,
        mode: e.mode,
        group_id: e.group_id,
        region: e.region,
        recurring: e.recurring,
        cancelled: e.cancelled,
        changed: e.changed,
        capacity: e.capacity,
    }
}

#[derive(Serialize, ToSchema)]
pub struct EventListResponse {
    /// Soonest first.
    results: Vec<EventSummary>,
    /// Pass as `cursor` for the next page; null on the last page.
    next_cursor: Option<String>,
}

/// The events the caller may see, soonest first, 50 at a time: the
/// association's and those of the groups the caller reads.
#[utoipa::path(
    get,
    path = "/events",
    tag = "events",
    security(("bearer" = [])),
    params(ListParams),
    responses(
        (status = 200, description = "A page of events", body = EventListResponse),
        (status = 403, description = "A group the caller sees but whose events are for its members", body = super::ErrorResponse),
        (status = 404, description = "No such group (for the caller)", body = super::ErrorResponse),
        (status = 422, description = "A parameter is invalid", body = super::ErrorResponse),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Community(auth): Community,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<EventListResponse>, ApiError> {
    let raw = RawEventQuery::from_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    let page = state.kindred.events(&auth.tenant.association, &auth.caller, &raw).await.map_err(event_error)?;
    Ok(Json(EventListResponse {
        results: page.results.into_iter().map(summary).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Someone named with an event: `{alias}` in an alias group, else `{member_id, pseudonym}`.
#[derive(Serialize, ToSchema)]
pub struct EventPersonEntry {
    #[serde(skip_serializing_if = "Option::is_none")]
    alias: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    member_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pseudonym: Option<String>,
}

fn person(p: EventPerson) -> EventPersonEntry {
    match p {
        EventPerson::Alias(alias) => EventPersonEntry { alias: Some(alias), member_id: None, pseudonym: None },
        EventPerson::Member { id, pseudonym } => {
            EventPersonEntry { alias: None, member_id: Some(id), pseudonym: Some(pseudonym) }
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EventOccurrence {
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    cancelled: bool,
    /// The start the series gives it: names the occurrence in
    /// `/events/{id}/occurrences/{starts_at}` (differs from `starts_at` once changed).
    original_starts_at: DateTime<Utc>,
    /// Changed on its own.
    changed: bool,
    /// This date's own place; only for registered attendees and organisers.
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<String>,
    /// This date's own link; only for registered attendees and organisers.
    #[serde(skip_serializing_if = "Option::is_none")]
    online_url: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct EventResponse {
    event_id: String,
    title: String,
    /// The Markdown source.
    description: String,
    /// The first occurrence.
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    time_zone: String,
    mode: String,
    /// Absent: no limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    capacity: Option<i32>,
    /// Places taken (organisers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    registered_count: Option<i32>,
    accessibility: EventAccessibility,
    organisers: Vec<EventPersonEntry>,
    /// none, registered or waitlisted.
    my_status: &'static str,
    /// On the waiting list: the position (1 = next).
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<i64>,
    cancelled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    cancel_reason: Option<String>,
    /// Only for registered attendees and organisers.
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<String>,
    /// Only for registered attendees and organisers.
    #[serde(skip_serializing_if = "Option::is_none")]
    online_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    registration_closes_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<String>,
    /// The RRULE of a series.
    #[serde(skip_serializing_if = "Option::is_none")]
    recurrence: Option<String>,
    /// Every occurrence (one for a one-off event), at most 300.
    occurrences: Vec<EventOccurrence>,
    show_attendees: bool,
    /// The caller organises the event (may change and cancel it, sees the attendees).
    is_organiser: bool,
    can_see_attendees: bool,
}

pub(crate) fn event_body(view: EventView) -> EventResponse {
    let place = view.seen.sees_place();
    let accessibility = view.seen.accessibility().into();
    let attendees = view.seen.sees_attendees();
    let seen = view.seen;
    let r = seen.record;
    EventResponse {
        event_id: r.id,
        title: r.title,
        description: r.description,
        starts_at: r.starts_at,
        ends_at: r.ends_at,
        time_zone: r.time_zone,
        mode: r.mode,
        capacity: r.capacity,
        registered_count: seen.organiser.then_some(r.registered_count),
        accessibility,
        organisers: view.organisers.into_iter().map(person).collect(),
        my_status: seen.attendance.as_str(),
        position: seen.position,
        cancelled: r.cancelled_at.is_some(),
        cancel_reason: r.cancel_reason.filter(|_| r.cancelled_at.is_some()),
        location: if place { r.location } else { None },
        online_url: if place { r.online_url } else { None },
        registration_closes_at: r.registration_closes_at,
        group_id: r.group_id,
        region: r.region,
        recurrence: r.recurrence,
        occurrences: view
            .occurrences
            .into_iter()
            .map(|o| EventOccurrence {
                starts_at: o.starts_at,
                ends_at: o.ends_at,
                cancelled: o.cancelled,
                original_starts_at: o.original_starts_at,
                changed: o.changed,
                location: if place { o.location } else { None },
                online_url: if place { o.online_url } else { None },
            })
            .collect(),
        show_attendees: r.show_attendees,
        is_organiser: seen.organiser,
        can_see_attendees: attendees,
    }
}

fn ics_response(text: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"event.ics\""),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        text,
    )
        .into_response()
}

/// One event as the caller may see it (404 for one they may not). The
/// same path with `.ics` appended is [`event_ics`].
#[utoipa::path(
    get,
    path = "/events/{id}",
    tag = "events",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The event")),
    responses(
        (status = 200, description = "The event", body = EventResponse),
        (status = 404, description = "No such event (for the caller)", body = super::ErrorResponse),
    )
)]
pub async fn event(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    if let Some(id) = id.strip_suffix(".ics") {
        return event_ics(&state, &auth, id).await;
    }
    let view = state.kindred.event_view(&auth.tenant.association, &auth.caller, &id).await.map_err(event_error)?;
    Ok(Json(event_body(view)).into_response())
}

/// One event as an RFC 5545 iCalendar file (`LOCATION` and `URL` under
/// the same rule as the fields). Its own operation in the OpenAPI
/// document; served by [`event`]'s route, because the router matches whole
/// path segments and `{id}.ics` arrives there as an id with a suffix.
#[utoipa::path(
    get,
    path = "/events/{id}.ics",
    tag = "events",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The event")),
    responses(
        (status = 200, description = "The event as iCalendar", content_type = "text/calendar"),
        (status = 404, description = "No such event (for the caller)", body = super::ErrorResponse),
    )
)]
async fn event_ics(state: &AppState, auth: &Authenticated, id: &str) -> Result<Response, ApiError> {
    let text = state.kindred.event_ics(&auth.tenant.association, &auth.caller, id).await.map_err(event_error)?;
    Ok(ics_response(text))
}

/// A field that may be left out (kept as it is) but has no "none" to set.
fn not_null<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d)?
        .map(Some)
        .ok_or_else(|| serde::de::Error::custom("must not be null (leave it out to keep it)"))
}

/// `Some(None)` for an explicit null, `None` when the key is absent.
fn double<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct EventPatchBody {
    #[serde(default, deserialize_with = "not_null")]
    #[schema(nullable = false)]
    title: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(nullable = false)]
    description: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(nullable = false)]
    starts_at: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(nullable = false)]
    ends_at: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(nullable = false)]
    time_zone: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(nullable = false)]
    mode: Option<String>,
    /// null removes it.
    #[serde(default, deserialize_with = "double")]
    #[schema(value_type = Option<String>)]
    location: Option<Option<String>>,
    #[serde(default, deserialize_with = "double")]
    #[schema(value_type = Option<String>)]
    online_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(nullable = false)]
    accessibility: Option<EventAccessibility>,
    #[serde(default, deserialize_with = "double")]
    #[schema(value_type = Option<i64>)]
    capacity: Option<Option<i64>>,
    #[serde(default, deserialize_with = "double")]
    #[schema(value_type = Option<String>)]
    registration_closes_at: Option<Option<String>>,
    #[serde(default, deserialize_with = "double")]
    #[schema(value_type = Option<String>)]
    recurrence: Option<Option<String>>,
    #[serde(default, deserialize_with = "double")]
    #[schema(value_type = Option<String>)]
    region: Option<Option<String>>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(nullable = false)]
    show_attendees: Option<bool>,
}

/// Changes an event (its organisers). Registered and waiting members are
/// told (in the app and by a neutral mail) when the time or place changes.
#[utoipa::path(
    patch,
    path = "/events/{id}",
    tag = "events",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The event")),
    request_body = EventPatchBody,
    responses(
        (status = 200, description = "The event as changed", body = EventResponse),
        (status = 403, description = "Not an organiser", body = super::ErrorResponse),
        (status = 404, description = "No such event (for the caller)", body = super::ErrorResponse),
        (status = 422, description = "Invalid fields", body = super::ErrorResponse),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<EventPatchBody>,
) -> Result<Json<EventResponse>, ApiError> {
    let patch = EventPatch {
        title: body.title,
        description: body.description,
        starts_at: body.starts_at,
        ends_at: body.ends_at,
        time_zone: body.time_zone,
        mode: body.mode,
        location: body.location,
        online_url: body.online_url,
        accessibility: body.accessibility.map(Into::into),
        capacity: body.capacity,
        registration_closes_at: body.registration_closes_at,
        recurrence: body.recurrence,
        region: body.region,
        show_attendees: body.show_attendees,
    };
    let (association, caller) = (&auth.tenant.association, &auth.caller);
    state.kindred.update_event(association, caller, &id, &patch).await.map_err(event_error)?;
    let view = state.kindred.event_view(association, caller, &id).await.map_err(event_error)?;
    Ok(Json(event_body(view)))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct CancelBody {
    /// Told to everyone registered or waiting (at most 1000 characters).
    #[serde(default)]
    reason: String,
}

/// Cancels an event (its organisers); everyone registered or waiting is told.
#[utoipa::path(
    post,
    path = "/events/{id}/cancel",
    tag = "events",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The event")),
    request_body = CancelBody,
    responses(
        (status = 200, description = "Cancelled", body = EventResponse),
        (status = 403, description = "Not an organiser", body = super::ErrorResponse),
        (status = 404, description = "No such event (for the caller)", body = super::ErrorResponse),
    )
)]
pub async fn cancel(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
    OptionalJson(body): OptionalJson<CancelBody>,
) -> Result<Json<EventResponse>, ApiError> {
    let (association, caller) = (&auth.tenant.association, &auth.caller);
    state.kindred.cancel_event(association, caller, &id, &body.reason).await.map_err(event_error)?;
    let view = state.kindred.event_view(association, caller, &id).await.map_err(event_error)?;
    Ok(Json(event_body(view)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OccurrenceBody {
    /// The new start: RFC 3339, or wall-clock time in the event's zone.
    starts_at: String,
    ends_at: String,
    /// This date's own place (absent: the series' place).
    #[serde(default)]
    location: Option<String>,
    /// This date's own video link, http(s) (absent: the series' link).
    #[serde(default)]
    online_url: Option<String>,
}

/// Changes one occurrence of a series on its own (its organisers): another
/// time and, optionally, another place or link for that date only, named
/// by its start as the series gives it (`original_starts_at` in
/// `occurrences`). Registered and waiting members are told. Registration
/// stays per series.
#[utoipa::path(
    patch,
    path = "/events/{id}/occurrences/{starts_at}",
    tag = "events",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The event"),
        ("starts_at" = String, Path, description = "The occurrence's start as the series gives it, RFC 3339"),
    ),
    request_body = OccurrenceBody,
    responses(
        (status = 200, description = "Changed; the event with its occurrences", body = EventResponse),
        (status = 403, description = "Not an organiser", body = super::ErrorResponse),
        (status = 404, description = "No such event or occurrence (for the caller)", body = super::ErrorResponse),
        (status = 409, description = "The event is cancelled", body = super::ErrorResponse),
        (status = 422, description = "A field is invalid", body = super::ErrorResponse),
    )
)]
pub async fn change_occurrence(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id, starts_at)): Path<(String, String, String)>,
    ApiJson(body): ApiJson<OccurrenceBody>,
) -> Result<Json<EventResponse>, ApiError> {
    let (association, caller) = (&auth.tenant.association, &auth.caller);
    let patch = OccurrencePatch {
        starts_at: body.starts_at,
        ends_at: body.ends_at,
        location: body.location,
        online_url: body.online_url,
    };
    state.kindred.change_occurrence(association, caller, &id, &starts_at, &patch).await.map_err(event_error)?;
    let view = state.kindred.event_view(association, caller, &id).await.map_err(event_error)?;
    Ok(Json(event_body(view)))
}

/// Cancels one occurrence of a series on its own (its organisers), named
/// by its start as listed in `occurrences` (RFC 3339, e.g.
/// `2027-02-09T17:00:00Z`); everyone registered or waiting is told.
#[utoipa::path(
    post,
    path = "/events/{id}/occurrences/{starts_at}/cancel",
    tag = "events",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The event"),
        ("starts_at" = String, Path, description = "The occurrence's start, RFC 3339"),
    ),
    responses(
        (status = 204, description = "Cancelled"),
        (status = 403, description = "Not an organiser", body = super::ErrorResponse),
        (status = 404, description = "No such event or occurrence (for the caller)", body = super::ErrorResponse),
    )
)]
pub async fn cancel_occurrence(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id, starts_at)): Path<(String, String, String)>,
) -> Result<StatusCode, ApiError> {
    state
        .kindred
        .cancel_occurrence(&auth.tenant.association, &auth.caller, &id, &starts_at)
        .await
        .map_err(event_error)?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct RegistrationResponse {
    /// registered or waitlisted.
    status: &'static str,
    /// On the waiting list: the position (1 = next).
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<i64>,
}

/// Registers the caller; when the event is full, puts them on the waiting
/// list. Never more registered than `capacity`, also under concurrent
/// registrations. Registering again answers the standing registration.
#[utoipa::path(
    post,
    path = "/events/{id}/registration",
    tag = "events",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The event")),
    responses(
        (status = 200, description = "Registered or on the waiting list", body = RegistrationResponse),
        (status = 404, description = "No such event (for the caller)", body = super::ErrorResponse),
        (status = 409, description = "event_cancelled or registration_closed", body = super::ErrorResponse),
    )
)]
pub async fn register(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
) -> Result<Json<RegistrationResponse>, ApiError> {
    let (status, position) =
        state.kindred.register_for_event(&auth.tenant.association, &auth.caller, &id).await.map_err(event_error)?;
    Ok(Json(RegistrationResponse { status: status.as_str(), position }))
}

/// Takes the caller's registration (or place on the waiting list) back;
/// the first waiting moves up at once and is told.
#[utoipa::path(
    delete,
    path = "/events/{id}/registration",
    tag = "events",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The event")),
    responses(
        (status = 204, description = "Not registered (any more)"),
        (status = 404, description = "No such event (for the caller)", body = super::ErrorResponse),
    )
)]
pub async fn unregister(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    state.kindred.unregister_from_event(&auth.tenant.association, &auth.caller, &id).await.map_err(event_error)?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct EventAttendee {
    /// In an alias group only the alias, no member_id and no pseudonym.
    #[serde(flatten)]
    who: EventPersonEntry,
    /// registered or waitlisted.
    status: &'static str,
}

#[derive(Serialize, ToSchema)]
pub struct EventAttendeesResponse {
    /// Places first, then the waiting list, each in order.
    attendees: Vec<EventAttendee>,
}

/// Who comes: for organisers, and for registered attendees where the
/// event shows its list (`show_attendees`).
#[utoipa::path(
    get,
    path = "/events/{id}/attendees",
    tag = "events",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The event")),
    responses(
        (status = 200, description = "The attendees", body = EventAttendeesResponse),
        (status = 403, description = "The caller may not see the list", body = super::ErrorResponse),
        (status = 404, description = "No such event (for the caller)", body = super::ErrorResponse),
    )
)]
pub async fn attendees(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
) -> Result<Json<EventAttendeesResponse>, ApiError> {
    let (_, list) =
        state.kindred.event_attendees(&auth.tenant.association, &auth.caller, &id).await.map_err(event_error)?;
    Ok(Json(EventAttendeesResponse {
        attendees: list
            .into_iter()
            .map(|a| EventAttendee {
                who: person(a.who),
                status: if a.status == Attendance::Waitlisted { "waitlisted" } else { "registered" },
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct CalendarFeedResponse {
    /// The secret feed URL (iCalendar); anyone holding it reads the feed.
    url: String,
    /// The feed shows the events' own titles and places (else neutral titles, no places).
    full_titles: bool,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct CalendarFeedBody {
    /// Show the events' own titles and places in the feed (default false:
    /// "Kindred event" and the association's name, no place).
    #[serde(default)]
    full_titles: bool,
}

/// The caller's secret calendar feed URL (made on first asking).
#[utoipa::path(
    get,
    path = "/me/calendar-feed",
    tag = "events",
    security(("bearer" = [])),
    responses((status = 200, description = "The feed URL", body = CalendarFeedResponse))
)]
pub async fn feed(
    State(state): State<AppState>,
    Community(auth): Community,
) -> Result<Secret<Json<CalendarFeedResponse>>, ApiError> {
    let (url, full_titles) =
        state.kindred.calendar_feed(&auth.tenant.association, &auth.caller, None).await.map_err(event_error)?;
    Ok(Secret(Json(CalendarFeedResponse { url, full_titles })))
}

/// Replaces the caller's feed URL (the old one answers 404 from now on).
#[utoipa::path(
    post,
    path = "/me/calendar-feed",
    tag = "events",
    security(("bearer" = [])),
    request_body = CalendarFeedBody,
    responses((status = 200, description = "The new feed URL", body = CalendarFeedResponse))
)]
pub async fn replace_feed(
    State(state): State<AppState>,
    Community(auth): Community,
    OptionalJson(body): OptionalJson<CalendarFeedBody>,
) -> Result<Secret<Json<CalendarFeedResponse>>, ApiError> {
    let (url, full_titles) = state
        .kindred
        .calendar_feed(&auth.tenant.association, &auth.caller, Some(body.full_titles))
        .await
        .map_err(event_error)?;
    Ok(Secret(Json(CalendarFeedResponse { url, full_titles })))
}

/// A member's calendar feed (iCalendar), for calendar programs: no sign-in,
/// the secret token in the path is the key. 404 for any other token.
#[utoipa::path(
    get,
    path = "/calendar-feeds/{token}",
    tag = "events",
    params(("token" = String, Path, description = "The feed's secret token")),
    responses(
        (status = 200, description = "iCalendar", content_type = "text/calendar"),
        (status = 404, description = "No such feed", body = super::ErrorResponse),
    )
)]
pub async fn feed_ics(
    State(state): State<AppState>,
    ApiTenant(tenant): ApiTenant,
    Path((_slug, token)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let text = state.kindred.calendar_feed_ics(&tenant.association, &token).await.map_err(event_error)?;
    Ok(ics_response(text))
}
