//! The call pages: starting a call from a conversation's page, and the
//! call's own page (who is in it, the controls, leaving). Sound and
//! picture need the page's script (`static/call.js`, WebRTC); without it
//! the page says so and leaving still works. Every decision is
//! `service::calls`'s, as for the API.

use super::association::AssociationPage;
use super::community::{member, member_post};
use super::layout::{render_status, Section};
use super::respond::{internal, link, see_other, wait};
use super::text::{tr, tr_args};
use crate::state::AppState;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use fluent_templates::fluent_bundle::FluentValue;
use kindred_service::calls::{CallError, CallOffer, CallView};
use kindred_service::messaging::SeenConversation;
use kindred_service::sessions::Caller;
use serde::{Deserialize, Serialize};

/// The page lets the browser ask for the microphone and camera (the rest
/// of the site does not: `middleware::security_headers`).
const MEDIA_ALLOWED: &str = "camera=(self), microphone=(self), geolocation=(), interest-cohort=()";

#[derive(Deserialize)]
pub struct StartForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    video: String,
}

#[derive(Deserialize)]
pub struct LeaveForm {
    #[serde(default)]
    csrf: String,
}

#[derive(Serialize)]
struct Person {
    id: String,
    name: String,
}

/// The people in a call as the viewer may see them, the viewer as "you".
fn people(page: &AssociationPage, me: &Caller, call: &CallView) -> Vec<Person> {
    call.participants
        .iter()
        .map(|p| Person {
            id: p.member_id.clone(),
            name: if p.member_id == me.member.id.as_str() {
                tr(page, "calls-you")
            } else {
                p.pseudonym.clone().unwrap_or_else(|| tr(page, "calls-someone"))
            },
        })
        .collect()
}

/// A status line for the script, a member's name as `{name}`.
fn status_text(page: &AssociationPage, name: &str) -> String {
    let marker = FluentValue::from("{name}");
    tr_args(page, &format!("calls-status-{name}"), &[("name", marker)])
}

/// The call section of a conversation's page: start one, or join the
/// one going on; `None` where the conversation has no calls.
pub(super) async fn offer(
    state: &AppState,
    page: &AssociationPage,
    caller: &Caller,
    conversation: &str,
) -> Result<Option<minijinja::Value>, CallError> {
    let offer = state.kindred.call_offer(&page.tenant.association, caller, conversation).await?;
    Ok(match offer {
        CallOffer::Unavailable => None,
        CallOffer::Start => Some(minijinja::context! { open => false }),
        CallOffer::Join(call) => Some(minijinja::context! {
            open => true,
            text => tr(page, if call.video { "calls-open-video" } else { "calls-open-voice" }),
            people => people(page, caller, &call),
            href => link(page, &format!("/calls/{}", call.id), &[]),
        }),
    })
}

/// The conversation's calls started within `[from, to]` as lines among
/// its messages: `(started, id, words)`, naming nobody ("Missed voice
/// call", "Video call, 12 minutes").
pub(super) async fn lines(
    state: &AppState,
    page: &AssociationPage,
    caller: &Caller,
    seen: &SeenConversation,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Result<Vec<(DateTime<Utc>, String, String)>, CallError> {
    let calls = state.kindred.conversation_calls(&page.tenant.association, caller, seen, from, to).await?;
    Ok(calls
        .into_iter()
        .map(|call| {
            let medium = if call.video { "video" } else { "voice" };
            let words = match (call.missed, call.ongoing, call.ended_at) {
                (true, _, _) => tr(page, &format!("calls-line-missed-{medium}")),
                (false, true, _) | (false, false, None) => tr(page, &format!("calls-line-ongoing-{medium}")),
                (false, false, Some(ended)) => {
                    let minutes = (ended - call.started_at).num_minutes();
                    let duration = if minutes < 1 {
                        tr(page, "calls-duration-short")
                    } else {
                        tr_args(page, "calls-duration-minutes", &[("minutes", FluentValue::from(minutes))])
                    };
                    tr_args(page, &format!("calls-line-{medium}"), &[("duration", FluentValue::from(duration))])
                }
            };
            (call.started_at, call.id, words)
        })
        .collect())
}

/// Starts a call from a conversation's page (or joins the one open
/// there) and goes to its page.
pub async fn start(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<StartForm>,
) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let video = form.video == "1";
    match state.kindred.start_call(&page.tenant.association, caller, &id, video).await {
        Ok((call, _)) => see_other(&link(&page, &format!("/calls/{call}"), &[])),
        Err(CallError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        // The page no longer offers it (a request, a block): show it as it is now.
        Err(CallError::RequestPending | CallError::NotAllowed | CallError::AliasChat) => {
            see_other(&link(&page, &format!("/messages/{id}"), &[]))
        }
        Err(CallError::Throttled(t)) => wait(&state, &page, t.retry_after),
        Err(other) => internal(other),
    }
}

/// The call's page.
pub async fn show(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    let caller = match member(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let call = match state.kindred.call(&page.tenant.association, caller, &id).await {
        Ok(call) => call,
        Err(CallError::NotFound) => return StatusCode::NOT_FOUND.into_response(),
        Err(other) => return internal(other),
    };
    let heading = tr(&page, if call.video { "calls-heading-video" } else { "calls-heading-voice" });
    let values = minijinja::context! {
        id => call.id.clone(),
        heading => heading,
        video => call.video,
        ended => call.ended_at.is_some(),
        people => people(&page, caller, &call),
        back => link(&page, &format!("/messages/{}", call.conversation_id), &[]),
        api => format!("{}/api/v1", page.tenant.base),
        live => format!("{}/api/v1/live", page.tenant.base),
        me => caller.member.id.to_string(),
        csrf => page.session.csrf(),
        status_texts => [
            "starting", "waiting", "connecting", "connected", "left", "failed", "no-media", "ended",
        ]
        .iter()
        .map(|name| minijinja::context! { name => name, text => status_text(&page, name) })
        .collect::<Vec<_>>(),
    };
    let mut response = render_status(
        &state,
        StatusCode::OK,
        "calls/call.html",
        page.layout(&format!("/calls/{id}"), Section::Messages),
        values,
    );
    if call.ended_at.is_none() {
        response
            .headers_mut()
            .insert(HeaderName::from_static("permissions-policy"), HeaderValue::from_static(MEDIA_ALLOWED));
    }
    response
}

/// Leaves the call and goes back to the conversation (works without the
/// page's script).
pub async fn leave(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<LeaveForm>,
) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let association = &page.tenant.association;
    let call = match state.kindred.call(association, caller, &id).await {
        Ok(call) => call,
        Err(CallError::NotFound) => return StatusCode::NOT_FOUND.into_response(),
        Err(other) => return internal(other),
    };
    match state.kindred.leave_call(association, caller, &id).await {
        Ok(()) => see_other(&link(&page, &format!("/messages/{}", call.conversation_id), &[])),
        Err(CallError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(other) => internal(other),
    }
}
