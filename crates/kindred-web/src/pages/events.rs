//! Events on the pages: the list (upcoming, by month, filtered by mode,
//! region and group), the form for a new event (date and time inputs with
//! labels, a time zone), an event's page (details, accessibility, register
//! or unregister, the waiting-list position, the `.ics` file, for
//! organisers the attendees and cancelling) and the member's calendar feed.
//! Everything comes from `service::events`: an event the caller may not
//! see is the same 404 page as an id never used, and the place and link
//! appear only for registered attendees and organisers.

use super::association::AssociationPage;
use super::community::{member, member_post};
use super::confirm::{ask, ask_on_get, confirmed, Confirm};
use super::forms::{field, Problems};
use super::layout::{render_status, Section};
use super::respond::{internal, link, see_other};
use super::text::tr;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use kindred_domain::events::{repeat_of, repeat_rule, Accessibility, Attendance, RawEvent, Repeat, TimeZoneName};
use kindred_domain::settings::FieldKind;
use kindred_domain::Language;
use kindred_service::events::{
    EventError, EventInput, EventPatch, EventPerson, OccurrencePatch, RawEventQuery, CAPACITY_BELOW_REGISTERED,
};
use serde::{Deserialize, Serialize};

/// Time zones offered in the form besides the association's own.
const ZONES: [&str; 8] = [
    "Europe/Berlin",
    "Europe/Amsterdam",
    "Europe/Vienna",
    "Europe/Zurich",
    "Europe/Brussels",
    "Europe/London",
    "America/New_York",
    "UTC",
];

fn event_path(id: &str) -> String {
    format!("/events/{id}")
}

/// A moment in the event's own zone, e.g. "12.01.2027, 18:00 (Europe/Berlin)".
fn local(language: Language, at: DateTime<Utc>, zone: &str) -> String {
    let format = match language {
        Language::De => "%d.%m.%Y, %H:%M",
        Language::Nl => "%d-%m-%Y, %H:%M",
        Language::En => "%Y-%m-%d, %H:%M",
    };
    match TimeZoneName::parse(zone) {
        Some(z) => format!("{} ({})", at.with_timezone(&z.tz()).format(format), z.name()),
        None => format!("{} (UTC)", at.format(format)),
    }
}

/// A month heading in the viewer's language ("März 2027"), in the event's zone.
fn month(page: &AssociationPage, at: DateTime<Utc>, zone: &str) -> String {
    let local = match TimeZoneName::parse(zone) {
        Some(z) => at.with_timezone(&z.tz()).date_naive(),
        None => at.date_naive(),
    };
    format!("{} {}", tr(page, &format!("events-month-{}", local.month())), local.year())
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Serialize)]
struct Listed {
    href: String,
    title: String,
    when: String,
    iso: String,
    mode: String,
    cancelled: bool,
    changed: bool,
}

#[derive(Serialize)]
struct Month {
    name: String,
    events: Vec<Listed>,
}

fn mode_text(page: &AssociationPage, mode: &str) -> String {
    tr(page, &format!("events-mode-{}", mode.replace('_', "-")))
}

pub async fn list(
    State(state): State<AppState>,
    page: AssociationPage,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let caller = match member(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let association = &page.tenant.association;
    let raw = RawEventQuery::from_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    let result = state.kindred.events(association, caller, &raw).await;
    let (events, next, status) = match result {
        Ok(p) => (p.results, p.next_cursor, StatusCode::OK),
        Err(EventError::NotFound) => return StatusCode::NOT_FOUND.into_response(),
        Err(EventError::Forbidden) => return StatusCode::FORBIDDEN.into_response(),
        Err(EventError::Invalid(_) | EventError::BadCursor) => (Vec::new(), None, StatusCode::UNPROCESSABLE_ENTITY),
        Err(other) => return internal(other),
    };
    let mut months: Vec<Month> = Vec::new();
    for e in events {
        let name = month(&page, e.starts_at, &e.time_zone);
        let item = Listed {
            href: link(&page, &event_path(&e.event_id), &[]),
            title: e.title,
            when: local(page.language, e.starts_at, &e.time_zone),
            iso: e.starts_at.to_rfc3339(),
            mode: mode_text(&page, &e.mode),
            cancelled: e.cancelled,
            changed: e.changed,
        };
        match months.last_mut() {
            Some(m) if m.name == name => m.events.push(item),
            _ => months.push(Month { name, events: vec![item] }),
        }
    }
    let chosen_mode = raw.mode.clone().unwrap_or_default();
    let chosen_region = raw.region.clone().unwrap_or_default();
    let modes: Vec<Choice> = ["online", "in_person", "hybrid"]
        .iter()
        .map(|m| Choice { value: (*m).to_owned(), label: mode_text(&page, m), selected: chosen_mode == *m })
        .collect();
    let regions: Vec<Choice> = association
        .settings
        .catalog
        .regions
        .iter()
        .map(|r| Choice {
            value: r.code.as_str().to_owned(),
            label: r.name.get(page.language).to_owned(),
            selected: chosen_region == r.code.as_str(),
        })
        .collect();
    let catalogue = |kind: FieldKind, chosen: &Option<String>| -> Vec<Choice> {
        let catalog = &association.settings.catalog;
        let chosen = chosen.as_deref().unwrap_or_default();
        let entries: Vec<(String, String)> = if kind == FieldKind::Condition {
            catalog
                .conditions
                .iter()
                .map(|c| (c.code.as_str().to_owned(), c.name.get(page.language).to_owned()))
                .collect()
        } else {
            catalog
                .therapies
                .iter()
                .map(|c| (c.code.as_str().to_owned(), c.name.get(page.language).to_owned()))
                .collect()
        };
        entries.into_iter().map(|(value, label)| Choice { selected: value == chosen, value, label }).collect()
    };
    let conditions = catalogue(FieldKind::Condition, &raw.condition);
    let therapies = catalogue(FieldKind::Therapies, &raw.therapy);
    let mut next_query: Vec<(&str, &str)> = Vec::new();
    for (name, value) in [
        ("mode", &raw.mode),
        ("region", &raw.region),
        ("condition", &raw.condition),
        ("therapy", &raw.therapy),
        ("group_id", &raw.group_id),
    ] {
        if let Some(value) = value {
            next_query.push((name, value.as_str()));
        }
    }
    let next_href = next.as_deref().map(|c| {
        let mut q = next_query.clone();
        q.push(("cursor", c));
        link(&page, "/events", &q)
    });
    let values = minijinja::context! {
        months => months,
        modes => modes,
        regions => regions,
        conditions => conditions,
        therapies => therapies,
        group_id => raw.group_id.clone().unwrap_or_default(),
        action => link(&page, "/events", &[]),
        next_href => next_href,
        may_create => state.kindred.may_create_events(association, caller),
        new_href => link(&page, "/events/new", &raw.group_id.as_deref().map(|g| vec![("group", g)]).unwrap_or_default()),
        feed_href => link(&page, "/account/calendar-feed", &[]),
        invalid => status != StatusCode::OK,
        problems => Problems::default(),
    };
    render_status(&state, status, "events/list.html", page.layout("/events", Section::Events), values)
}

/// Whether the form creates an event or changes one (its id).
#[derive(Clone, Copy)]
enum FormFor<'a> {
    New,
    Edit(&'a str),
}

fn render_form(
    state: &AppState,
    page: &AssociationPage,
    pairs: &[(String, String)],
    problems: Problems,
    status: StatusCode,
    target: FormFor<'_>,
) -> Response {
    let v = |name: &str| field(pairs, name).to_owned();
    let default_zone = page.tenant.association.settings.time_zone.name();
    let zone = if v("time_zone").is_empty() { default_zone.to_owned() } else { v("time_zone") };
    let mut zones: Vec<&str> = vec![default_zone];
    zones.extend(ZONES.iter().filter(|z| **z != default_zone));
    if !zones.contains(&zone.as_str()) {
        // An event made through the API may be in another zone: keep offering it.
        zones.push(zone.as_str());
    }
    let zones: Vec<Choice> =
        zones.iter().map(|z| Choice { value: (*z).to_owned(), label: (*z).to_owned(), selected: zone == *z }).collect();
    let mode = if v("mode").is_empty() { "in_person".to_owned() } else { v("mode") };
    let modes: Vec<Choice> = ["in_person", "online", "hybrid"]
        .iter()
        .map(|m| Choice { value: (*m).to_owned(), label: mode_text(page, m), selected: mode == *m })
        .collect();
    let checks: Vec<Choice> = ["step_free", "accessible_toilet", "hearing_loop", "seating", "quiet_room"]
        .iter()
        .map(|c| Choice {
            value: (*c).to_owned(),
            label: tr(page, &format!("events-access-{}", c.replace('_', "-"))),
            selected: v(c) == "yes",
        })
        .collect();
    let region = v("region");
    let regions: Vec<Choice> = page
        .tenant
        .association
        .settings
        .catalog
        .regions
        .iter()
        .map(|r| Choice {
            value: r.code.as_str().to_owned(),
            label: r.name.get(page.language).to_owned(),
            selected: region == r.code.as_str(),
        })
        .collect();
    let repeat = if v("repeat").is_empty() { "none".to_owned() } else { v("repeat") };
    let mut repeat_values: Vec<&str> = vec!["none"];
    repeat_values.extend(Repeat::ALL.iter().map(|r| r.as_str()));
    if repeat == "keep" {
        // A rule given through the API that the form cannot show in words.
        repeat_values.insert(0, "keep");
    }
    let repeats: Vec<Choice> = repeat_values
        .iter()
        .map(|r| Choice {
            value: (*r).to_owned(),
            label: tr(page, &format!("events-repeat-{}", r.replace('_', "-"))),
            selected: repeat == *r,
        })
        .collect();
    let (heading, submit, action, back) = match target {
        FormFor::New => ("events-new-title", "events-new-submit", link(page, "/events/new", &[]), None),
        FormFor::Edit(id) => (
            "events-edit-title",
            "events-edit-submit",
            link(page, &format!("{}/edit", event_path(id)), &[]),
            Some(link(page, &event_path(id), &[])),
        ),
    };
    let here = match target {
        FormFor::New => "/events/new".to_owned(),
        FormFor::Edit(id) => format!("{}/edit", event_path(id)),
    };
    let values = minijinja::context! {
        heading => tr(page, heading),
        submit => tr(page, submit),
        editing => matches!(target, FormFor::Edit(_)),
        back_href => back,
        title => v("title"),
        description => v("description"),
        date => v("date"),
        start => v("start"),
        end => v("end"),
        zones => zones,
        modes => modes,
        location => v("location"),
        online_url => v("online_url"),
        checks => checks,
        notes => v("notes"),
        capacity => v("capacity"),
        show_attendees => v("show_attendees") == "yes",
        regions => regions,
        repeats => repeats,
        until => v("until"),
        deadline_date => v("deadline_date"),
        deadline_time => v("deadline_time"),
        group_id => v("group_id"),
        problems => problems,
        csrf => page.session.csrf(),
        action => action,
    };
    render_status(state, status, "events/new.html", page.layout(&here, Section::Events), values)
}

/// The form's fields as the raw event the API would give: the same
/// parser (`kindred_domain::events::parse_event`) decides about both.
/// The repetition in words becomes an RRULE here; a missing or early
/// "until" date gives a rule without an end, which the parser refuses
/// with the message shown at the "until" field.
fn raw_from_form(pairs: &[(String, String)], zone: TimeZoneName) -> RawEvent {
    let v = |name: &str| field(pairs, name).to_owned();
    let optional = |name: &str| Some(v(name)).filter(|x| !x.trim().is_empty());
    let date = v("date");
    let capacity = match v("capacity").trim() {
        "" => None,
        text => Some(text.parse::<i64>().unwrap_or(0)),
    };
    let zone = optional("time_zone").and_then(|z| TimeZoneName::parse(&z)).unwrap_or(zone);
    let day = |name: &str| NaiveDate::parse_from_str(v(name).trim(), "%Y-%m-%d").ok();
    let recurrence = match v("repeat").trim() {
        "" | "none" | "keep" => None,
        chosen => match (Repeat::parse(chosen), day("date"), day("until")) {
            (Some(repeat), Some(first), Some(until)) if until >= first => {
                Some(repeat_rule(repeat, first, until, zone.tz()))
            }
            // No usable "until": a rule without an end, refused by the parser.
            (Some(_), Some(_), _) => Some("FREQ=WEEKLY".to_owned()),
            // The first date is missing: the start's own problem is shown.
            (Some(_), None, _) => None,
            (None, _, _) => Some(chosen.to_owned()),
        },
    };
    let registration_closes_at = optional("deadline_date").map(|d| {
        let time = optional("deadline_time").unwrap_or_else(|| "00:00".to_owned());
        format!("{}T{}", d.trim(), time.trim())
    });
    RawEvent {
        title: v("title"),
        description: v("description"),
        starts_at: format!("{date}T{}", v("start")),
        ends_at: format!("{date}T{}", v("end")),
        time_zone: optional("time_zone"),
        mode: v("mode"),
        location: optional("location"),
        online_url: optional("online_url"),
        accessibility: Accessibility {
            step_free: v("step_free") == "yes",
            accessible_toilet: v("accessible_toilet") == "yes",
            hearing_loop: v("hearing_loop") == "yes",
            seating: v("seating") == "yes",
            quiet_room: v("quiet_room") == "yes",
            notes: v("notes"),
        },
        capacity,
        registration_closes_at,
        recurrence,
        region: optional("region"),
        show_attendees: v("show_attendees") == "yes",
    }
}

/// The parser's problems, each at its field of the form.
fn form_problems(page: &AssociationPage, found: &[(&'static str, &'static str)]) -> Problems {
    let mut problems = Problems::default();
    for (field, problem) in found {
        let (id, key) = match *field {
            "capacity" if *problem == CAPACITY_BELOW_REGISTERED => ("e-capacity", "capacity-below-registered"),
            "starts_at" => ("e-date", "starts-at"),
            "ends_at" => ("e-end", "ends-at"),
            "time_zone" => ("e-time_zone", "time-zone"),
            "mode" => ("e-mode-in_person", "mode"),
            "online_url" => ("e-online_url", "online-url"),
            "capacity" => ("e-capacity", "capacity"),
            "location" => ("e-location", "location"),
            "description" => ("e-description", "description"),
            "accessibility.notes" => ("e-notes", "notes"),
            "recurrence" => ("e-until", "recurrence"),
            "registration_closes_at" => ("e-deadline_date", "deadline"),
            "region" => ("e-region", "region"),
            _ => ("e-title", "title"),
        };
        let told = super::text::character_problem(page, problem);
        problems.add(id, told.unwrap_or_else(|| tr(page, &format!("events-problem-{key}"))));
    }
    problems
}

pub async fn new_form(
    State(state): State<AppState>,
    page: AssociationPage,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    if let Err(response) = member(&state, &page) {
        return *response;
    }
    let prefilled = vec![("group_id".to_owned(), field(&pairs, "group").to_owned())];
    render_form(&state, &page, &prefilled, Problems::default(), StatusCode::OK, FormFor::New)
}

pub async fn create(
    State(state): State<AppState>,
    page: AssociationPage,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let caller = match member_post(&state, &page, field(&pairs, "csrf")) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let raw = raw_from_form(&pairs, page.tenant.association.settings.time_zone);
    let group_id = Some(field(&pairs, "group_id").to_owned()).filter(|g| !g.trim().is_empty());
    let input = EventInput { raw, group_id };
    match state.kindred.create_event(&page.tenant.association, caller, &input).await {
        Ok(id) => see_other(&link(&page, &event_path(id.as_str()), &[])),
        Err(EventError::Invalid(found)) => {
            let problems = form_problems(&page, &found);
            render_form(&state, &page, &pairs, problems, StatusCode::UNPROCESSABLE_ENTITY, FormFor::New)
        }
        Err(EventError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(EventError::Forbidden) => StatusCode::FORBIDDEN.into_response(),
        Err(other) => internal(other),
    }
}

/// The edit form, filled with the event as stored (times in its zone).
/// Organisers only; anyone else who sees the event gets 403, anyone who
/// does not the 404 of an unknown id.
pub async fn edit_form(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    let caller = match member(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let seen = match state.kindred.event_access(&page.tenant.association, caller, &id).await {
        Ok(seen) => seen,
        Err(EventError::NotFound) => return StatusCode::NOT_FOUND.into_response(),
        Err(other) => return internal(other),
    };
    if !seen.organiser {
        return StatusCode::FORBIDDEN.into_response();
    }
    let r = &seen.record;
    let tz = seen.time_zone.tz();
    let at = |t: DateTime<Utc>, format: &str| t.with_timezone(&tz).format(format).to_string();
    let yes = |b: bool| if b { "yes".to_owned() } else { String::new() };
    let (repeat, until) = match &r.recurrence {
        None => ("none".to_owned(), String::new()),
        Some(rule) => match repeat_of(rule, tz) {
            Some((repeat, until)) => (repeat.as_str().to_owned(), until.format("%Y-%m-%d").to_string()),
            None => ("keep".to_owned(), String::new()),
        },
    };
    let access = seen.accessibility();
    let pairs: Vec<(String, String)> = [
        ("title", r.title.clone()),
        ("description", r.description.clone()),
        ("date", at(r.starts_at, "%Y-%m-%d")),
        ("start", at(r.starts_at, "%H:%M")),
        ("end", at(r.ends_at, "%H:%M")),
        ("time_zone", r.time_zone.clone()),
        ("mode", r.mode.clone()),
        ("location", r.location.clone().unwrap_or_default()),
        ("online_url", r.online_url.clone().unwrap_or_default()),
        ("step_free", yes(access.step_free)),
        ("accessible_toilet", yes(access.accessible_toilet)),
        ("hearing_loop", yes(access.hearing_loop)),
        ("seating", yes(access.seating)),
        ("quiet_room", yes(access.quiet_room)),
        ("notes", access.notes.clone()),
        ("capacity", r.capacity.map(|c| c.to_string()).unwrap_or_default()),
        ("show_attendees", yes(r.show_attendees)),
        ("region", r.region.clone().unwrap_or_default()),
        ("repeat", repeat),
        ("until", until),
        ("deadline_date", r.registration_closes_at.map(|t| at(t, "%Y-%m-%d")).unwrap_or_default()),
        ("deadline_time", r.registration_closes_at.map(|t| at(t, "%H:%M")).unwrap_or_default()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    render_form(&state, &page, &pairs, Problems::default(), StatusCode::OK, FormFor::Edit(&r.id))
}

/// Saves the edit form through `update_event`, the function behind
/// `PATCH /events/{id}`: registered and waiting members are told when the
/// time or the place changed.
pub async fn update(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let caller = match member_post(&state, &page, field(&pairs, "csrf")) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let raw = raw_from_form(&pairs, page.tenant.association.settings.time_zone);
    let keep_rule = field(&pairs, "repeat") == "keep";
    let patch = EventPatch {
        title: Some(raw.title),
        description: Some(raw.description),
        starts_at: Some(raw.starts_at),
        ends_at: Some(raw.ends_at),
        time_zone: raw.time_zone,
        mode: Some(raw.mode),
        location: Some(raw.location),
        online_url: Some(raw.online_url),
        accessibility: Some(raw.accessibility),
        capacity: Some(raw.capacity),
        registration_closes_at: Some(raw.registration_closes_at),
        recurrence: if keep_rule { None } else { Some(raw.recurrence) },
        region: Some(raw.region),
        show_attendees: Some(raw.show_attendees),
    };
    match state.kindred.update_event(&page.tenant.association, caller, &id, &patch).await {
        Ok(()) => see_other(&link(&page, &event_path(&id), &[("done", "changed")])),
        Err(EventError::Invalid(found)) => {
            let problems = form_problems(&page, &found);
            render_form(&state, &page, &pairs, problems, StatusCode::UNPROCESSABLE_ENTITY, FormFor::Edit(&id))
        }
        Err(EventError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(EventError::Forbidden) => StatusCode::FORBIDDEN.into_response(),
        Err(other) => internal(other),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EventFlash {
    done: Option<String>,
    problem: Option<String>,
}

/// What the event page's flash `done` may say.
const DONE: [&str; 6] =
    ["registered", "unregistered", "cancelled", "changed", "occurrence-changed", "occurrence-cancelled"];

/// A date of a series on the event page; organisers get a link to change
/// or cancel it on its own.
#[derive(Serialize)]
struct DateLine {
    text: String,
    href: Option<String>,
}

#[derive(Serialize)]
struct Person {
    name: String,
    status: String,
}

fn person_name(p: &EventPerson) -> String {
    match p {
        EventPerson::Alias(alias) => alias.clone(),
        EventPerson::Member { pseudonym, .. } => pseudonym.clone(),
    }
}

/// The event page, or (for `{id}.ics`) its iCalendar file.
pub async fn event_page(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, file)): Path<(String, String)>,
    Query(flash): Query<EventFlash>,
) -> Response {
    let caller = match member(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let association = &page.tenant.association;
    if let Some(id) = file.strip_suffix(".ics") {
        return match state.kindred.event_ics(association, caller, id).await {
            Ok(text) => (
                [
                    (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                    (header::CONTENT_DISPOSITION, "attachment; filename=\"event.ics\""),
                    (header::CACHE_CONTROL, "private, no-store"),
                ],
                text,
            )
                .into_response(),
            Err(EventError::NotFound) => StatusCode::NOT_FOUND.into_response(),
            Err(other) => internal(other),
        };
    }
    let view = match state.kindred.event_view(association, caller, &file).await {
        Ok(view) => view,
        Err(EventError::NotFound) => return StatusCode::NOT_FOUND.into_response(),
        Err(other) => return internal(other),
    };
    let seen = &view.seen;
    let r = &seen.record;
    let base = event_path(&r.id);
    let attendees = if seen.sees_attendees() {
        match state.kindred.event_attendees(association, caller, &r.id).await {
            Ok((_, list)) => list
                .iter()
                .map(|a| Person {
                    name: person_name(&a.who),
                    status: tr(&page, &format!("events-status-{}", a.status.as_str())),
                })
                .collect(),
            Err(other) => return internal(other),
        }
    } else {
        Vec::new()
    };
    let place = seen.sees_place();
    let access = seen.accessibility();
    let mut features: Vec<String> = Vec::new();
    for (has, key) in [
        (access.step_free, "step-free"),
        (access.accessible_toilet, "accessible-toilet"),
        (access.hearing_loop, "hearing-loop"),
        (access.seating, "seating"),
        (access.quiet_room, "quiet-room"),
    ] {
        if has {
            features.push(tr(&page, &format!("events-access-{key}")));
        }
    }
    let rendered = kindred_domain::markdown::render(&r.description, &|_| None);
    let status_text = match seen.attendance {
        Attendance::None => None,
        Attendance::Registered => Some(tr(&page, "events-you-registered")),
        Attendance::Waitlisted => Some(format!("{} {}", tr(&page, "events-you-waiting"), seen.position.unwrap_or(0))),
    };
    // Organisers change or cancel one date of a series on its own page.
    let per_date = seen.organiser && r.cancelled_at.is_none();
    let occurrences: Vec<DateLine> = if r.recurrence.is_some() {
        view.occurrences
            .iter()
            .map(|o| {
                let mut text = local(page.language, o.starts_at, &r.time_zone);
                if o.changed && o.starts_at != o.original_starts_at {
                    let was = local(page.language, o.original_starts_at, &r.time_zone);
                    text = format!("{text} – {} {was}", tr(&page, "events-moved-from"));
                }
                if place {
                    if let Some(other) = o.location.as_ref().or(o.online_url.as_ref()) {
                        text = format!("{text} – {}: {other}", tr(&page, "events-this-date-place"));
                    }
                }
                if o.cancelled {
                    text = format!("{text} – {}", tr(&page, "events-cancelled"));
                }
                let href = (per_date && !o.cancelled)
                    .then(|| link(&page, &format!("{base}/occurrences/{}", occurrence_key(o.original_starts_at)), &[]));
                DateLine { text, href }
            })
            .collect()
    } else {
        Vec::new()
    };
    let values = minijinja::context! {
        title => r.title.clone(),
        description_html => rendered.html,
        when => local(page.language, r.starts_at, &r.time_zone),
        until => local(page.language, r.ends_at, &r.time_zone),
        mode => mode_text(&page, &r.mode),
        group_name => view.group_name.clone(),
        organisers => view.organisers.iter().map(person_name).collect::<Vec<_>>(),
        cancelled => r.cancelled_at.is_some(),
        cancel_reason => r.cancel_reason.clone(),
        location => if place { r.location.clone() } else { None },
        online_url => if place { r.online_url.clone() } else { None },
        place_hidden => !place && (r.location.is_some() || r.online_url.is_some()),
        features => features,
        notes => access.notes.clone(),
        capacity => r.capacity,
        status_text => status_text,
        registered => seen.attendance != Attendance::None,
        organiser => seen.organiser,
        occurrences => occurrences,
        attendees => attendees,
        sees_attendees => seen.sees_attendees(),
        done => flash.done.filter(|d| DONE.contains(&d.as_str())).map(|d| tr(&page, &format!("events-done-{d}"))),
        problem => flash.problem.filter(|p| ["closed", "cancelled", "forbidden"].contains(&p.as_str())).map(|p| tr(&page, &format!("events-problem-action-{p}"))),
        register_action => link(&page, &format!("{base}/registration"), &[]),
        unregister_action => link(&page, &format!("{base}/unregister"), &[]),
        cancel_action => link(&page, &format!("{base}/cancel"), &[]),
        ics_href => link(&page, &format!("{base}.ics"), &[]),
        edit_href => link(&page, &format!("{base}/edit"), &[]),
        list_href => link(&page, "/events", &[]),
        problems => Problems::default(),
        csrf => page.session.csrf(),
    };
    render_status(&state, StatusCode::OK, "events/event.html", page.layout(&base, Section::Events), values)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ActionForm {
    csrf: String,
    reason: String,
    /// Cancelling one's registration: present once the member confirmed (`pages::confirm`).
    confirm: Option<String>,
}

fn after(page: &AssociationPage, id: &str, result: Result<(), EventError>, done: &str) -> Response {
    let problem = match result {
        Ok(()) => return see_other(&link(page, &event_path(id), &[("done", done)])),
        Err(EventError::NotFound) => return StatusCode::NOT_FOUND.into_response(),
        Err(EventError::RegistrationClosed) => "closed",
        Err(EventError::Cancelled) => "cancelled",
        Err(EventError::Forbidden | EventError::Invalid(_)) => "forbidden",
        Err(other) => return internal(other),
    };
    see_other(&link(page, &event_path(id), &[("problem", problem)]))
}

pub async fn register(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let result = state.kindred.register_for_event(&page.tenant.association, caller, &id).await.map(|_| ());
    after(&page, &id, result, "registered")
}

pub async fn unregister(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    if !confirmed(form.confirm.as_deref()) {
        return ask(
            &state,
            &page,
            Confirm {
                kind: "unregister-event",
                action: format!("/events/{id}/unregister"),
                fields: Vec::new(),
                cancel: event_path(&id),
                section: Section::Events,
            },
        );
    }
    let result = state.kindred.unregister_from_event(&page.tenant.association, caller, &id).await;
    after(&page, &id, result, "unregistered")
}

pub async fn cancel(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    if !confirmed(form.confirm.as_deref()) {
        return ask(
            &state,
            &page,
            Confirm {
                kind: "cancel-event",
                action: format!("/events/{id}/cancel"),
                fields: vec![("reason", form.reason)],
                cancel: event_path(&id),
                section: Section::Events,
            },
        );
    }
    let result = state.kindred.cancel_event(&page.tenant.association, caller, &id, &form.reason).await;
    after(&page, &id, result, "cancelled")
}

// ------------------------------------------------------- one date of a series

/// An occurrence's name in a page path: its start as the series gives it,
/// in UTC, `20270119T170000Z` (letters and digits only, so that it may go
/// into the confirmation page's action).
fn occurrence_key(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The start (RFC 3339, as the service names occurrences) of a key.
fn occurrence_start(key: &str) -> Option<String> {
    chrono::NaiveDateTime::parse_from_str(key, "%Y%m%dT%H%M%SZ").ok().map(|t| t.and_utc().to_rfc3339())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OccurrenceForm {
    csrf: String,
    date: String,
    start: String,
    end: String,
    location: String,
    online_url: String,
    /// Cancelling the date: present once the organiser confirmed.
    confirm: Option<String>,
}

/// The form of one date of a series, for its organisers: another time
/// and, for that date only, another place or link; and cancelling it.
/// Whoever does not see the event gets the 404 of an unknown id, a member
/// who sees it but does not organise it 403, as for the edit form.
#[allow(clippy::too_many_arguments)]
async fn render_occurrence(
    state: &AppState,
    page: &AssociationPage,
    caller: &kindred_service::sessions::Caller,
    id: &str,
    key: &str,
    typed: Option<&OccurrenceForm>,
    problems: Problems,
    status: StatusCode,
) -> Response {
    let association = &page.tenant.association;
    let Some(start) = occurrence_start(key) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let view = match state.kindred.event_view(association, caller, id).await {
        Ok(view) => view,
        Err(EventError::NotFound) => return StatusCode::NOT_FOUND.into_response(),
        Err(other) => return internal(other),
    };
    let r = &view.seen.record;
    let occurrence = view.occurrences.iter().find(|o| o.original_starts_at.to_rfc3339() == start);
    let Some(o) = occurrence.filter(|_| r.recurrence.is_some()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if !view.seen.organiser {
        return StatusCode::FORBIDDEN.into_response();
    }
    let base = event_path(&r.id);
    if r.cancelled_at.is_some() || o.cancelled {
        return see_other(&link(page, &base, &[("problem", "cancelled")]));
    }
    let tz = view.seen.time_zone.tz();
    let at = |t: DateTime<Utc>, format: &str| t.with_timezone(&tz).format(format).to_string();
    let (date, start_time, end_time, location, online_url) = match typed {
        Some(f) => (f.date.clone(), f.start.clone(), f.end.clone(), f.location.clone(), f.online_url.clone()),
        None => (
            at(o.starts_at, "%Y-%m-%d"),
            at(o.starts_at, "%H:%M"),
            at(o.ends_at, "%H:%M"),
            o.location.clone().unwrap_or_default(),
            o.online_url.clone().unwrap_or_default(),
        ),
    };
    let here = format!("{base}/occurrences/{key}");
    let values = minijinja::context! {
        title => r.title.clone(),
        original => local(page.language, o.original_starts_at, &r.time_zone),
        zone => r.time_zone.clone(),
        date => date,
        start => start_time,
        end => end_time,
        location => location,
        online_url => online_url,
        action => link(page, &here, &[]),
        cancel_action => link(page, &format!("{here}/cancel"), &[]),
        event_href => link(page, &base, &[]),
        problems => problems,
        csrf => page.session.csrf(),
    };
    render_status(state, status, "events/occurrence.html", page.layout(&here, Section::Events), values)
}

pub async fn occurrence_form(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id, key)): Path<(String, String, String)>,
) -> Response {
    let caller = match member(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    render_occurrence(&state, &page, caller, &id, &key, None, Problems::default(), StatusCode::OK).await
}

/// Saves one date through `change_occurrence`, the function behind
/// `PATCH /events/{id}/occurrences/{starts_at}`: the times are wall-clock
/// times in the event's zone; registered and waiting members are told.
pub async fn change_occurrence(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id, key)): Path<(String, String, String)>,
    Form(form): Form<OccurrenceForm>,
) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let Some(start) = occurrence_start(&key) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let optional = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
    let date = form.date.trim();
    let patch = OccurrencePatch {
        starts_at: format!("{date}T{}", form.start.trim()),
        ends_at: format!("{date}T{}", form.end.trim()),
        location: optional(&form.location),
        online_url: optional(&form.online_url),
    };
    let association = &page.tenant.association;
    match state.kindred.change_occurrence(association, caller, &id, &start, &patch).await {
        Ok(()) => see_other(&link(&page, &event_path(&id), &[("done", "occurrence-changed")])),
        Err(EventError::Invalid(found)) => {
            let mut problems = Problems::default();
            for (field, _) in &found {
                let (field_id, key) = match *field {
                    "ends_at" => ("o-end", "ends-at"),
                    "online_url" => ("o-online_url", "online-url"),
                    "location" => ("o-location", "location"),
                    _ => ("o-date", "starts-at"),
                };
                problems.add(field_id, tr(&page, &format!("events-problem-{key}")));
            }
            let code = StatusCode::UNPROCESSABLE_ENTITY;
            render_occurrence(&state, &page, caller, &id, &key, Some(&form), problems, code).await
        }
        Err(EventError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(EventError::Forbidden) => StatusCode::FORBIDDEN.into_response(),
        Err(EventError::Cancelled) => see_other(&link(&page, &event_path(&id), &[("problem", "cancelled")])),
        Err(other) => internal(other),
    }
}

fn cancel_occurrence_confirm(id: &str, key: &str) -> Confirm {
    Confirm {
        kind: "cancel-occurrence",
        action: format!("/events/{id}/occurrences/{key}/cancel"),
        fields: Vec::new(),
        cancel: format!("/events/{id}/occurrences/{key}"),
        section: Section::Events,
    }
}

/// GET of a date's cancel address (a reload, a bookmark): its confirmation page.
pub async fn cancel_occurrence_page(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id, key)): Path<(String, String, String)>,
) -> Response {
    if occurrence_start(&key).is_none() {
        return StatusCode::NOT_FOUND.into_response();
    }
    ask_on_get(&state, &page, cancel_occurrence_confirm(&id, &key))
}

/// GET of an event's cancel or unregister address (a reload, a bookmark):
/// the event's page, where the form with the reason is; it never acts.
pub async fn event_action_page(page: AssociationPage, Path((_, id)): Path<(String, String)>) -> Response {
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    see_other(&link(&page, &event_path(&id), &[]))
}

/// Cancels one date through `cancel_occurrence`, after the confirmation
/// page (or kindred.js's dialog); everyone registered or waiting is told.
pub async fn cancel_occurrence(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id, key)): Path<(String, String, String)>,
    Form(form): Form<OccurrenceForm>,
) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let Some(start) = occurrence_start(&key) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if !confirmed(form.confirm.as_deref()) {
        return ask(&state, &page, cancel_occurrence_confirm(&id, &key));
    }
    let result = state.kindred.cancel_occurrence(&page.tenant.association, caller, &id, &start).await;
    after(&page, &id, result, "occurrence-cancelled")
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FeedForm {
    csrf: String,
    full_titles: String,
}

fn render_feed(state: &AppState, page: &AssociationPage, url: String, full_titles: bool, replaced: bool) -> Response {
    let values = minijinja::context! {
        url => url,
        full_titles => full_titles,
        replaced => replaced,
        problems => Problems::default(),
        action => link(page, "/account/calendar-feed", &[]),
        csrf => page.session.csrf(),
    };
    render_status(
        state,
        StatusCode::OK,
        "events/feed.html",
        page.layout("/account/calendar-feed", Section::Account),
        values,
    )
}

pub async fn feed_page(State(state): State<AppState>, page: AssociationPage) -> Response {
    let caller = match member(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    match state.kindred.calendar_feed(&page.tenant.association, caller, None).await {
        Ok((url, full)) => render_feed(&state, &page, url, full, false),
        Err(other) => internal(other),
    }
}

pub async fn replace_feed(
    State(state): State<AppState>,
    page: AssociationPage,
    Form(form): Form<FeedForm>,
) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let full = form.full_titles == "yes";
    match state.kindred.calendar_feed(&page.tenant.association, caller, Some(full)).await {
        Ok((url, full)) => render_feed(&state, &page, url, full, true),
        Err(other) => internal(other),
    }
}
