//! The JSON API below `/a/{slug}/api/v1`. Handlers are declared with
//! `utoipa`, so the OpenAPI document is generated from this code.

mod administration;
mod admission;
mod auth;
mod calls;
mod catalog;
mod contacts;
mod erasure;
pub(crate) mod events;
mod forum;
mod groups;
mod knowledge;
mod live;
pub(crate) mod me_data;
mod members;
mod messaging;
mod moderation;
mod notifications;
mod openapi;
mod passkeys;
mod preferences;
mod profiles;
mod search;
mod staff;

use crate::state::AppState;
use axum::Router;
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Kindred API",
        version = "1",
        description = "JSON API of a Kindred association. All paths are relative to the API root \
                       `/a/{slug}/api/v1` (or `/api/v1` on a host name mapped to the association). \
                       Errors are `{\"error\": {\"code\", \"message\"}}`; a field hidden from the caller \
                       is absent, never null."
    ),
    servers((url = "/a/{slug}/api/v1", description = "An association's API", variables(("slug" = (default = "demo", description = "The association's short name"))))),
    // Documented here, not by a route of its own: `events::event` serves it.
    paths(events::event_ics),
    components(schemas(ErrorResponse, ErrorContent)),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

/// Declares the bearer token scheme that protected endpoints name.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// The documented error shape (for the OpenAPI document).
#[derive(Serialize, ToSchema)]
pub struct ErrorResponse {
    error: ErrorContent,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorContent {
    /// A stable, snake_case error code.
    code: String,
    /// A readable explanation.
    message: String,
    /// For 422: which field is wrong and why.
    #[schema(nullable = false)]
    fields: Option<std::collections::BTreeMap<String, String>>,
}

/// The API routes and their OpenAPI description.
pub fn router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(catalog::catalog))
        .routes(routes!(auth::register))
        .routes(routes!(auth::confirm_email))
        .routes(routes!(auth::resend_confirmation))
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::password_reset))
        .routes(routes!(auth::password_reset_confirm))
        .routes(routes!(auth::me, erasure::erase_me))
        .routes(routes!(auth::choose_pseudonym))
        .routes(routes!(auth::change_password))
        .routes(routes!(auth::sessions))
        .routes(routes!(auth::revoke_session))
        .routes(routes!(auth::totp_start))
        .routes(routes!(auth::totp_confirm))
        .routes(routes!(auth::totp_remove))
        .routes(routes!(passkeys::register_start))
        .routes(routes!(passkeys::register_finish))
        .routes(routes!(passkeys::list))
        .routes(routes!(passkeys::remove))
        .routes(routes!(passkeys::sign_in_start))
        .routes(routes!(passkeys::sign_in_finish))
        .routes(routes!(admission::overview))
        .routes(routes!(admission::member_number))
        .routes(routes!(admission::letter))
        .routes(routes!(admission::letter_confirm))
        .routes(routes!(admission::invitation))
        .routes(routes!(admission::manual))
        .routes(routes!(staff::verifications))
        .routes(routes!(staff::approve))
        .routes(routes!(staff::suspend))
        .routes(routes!(staff::reinstate))
        .routes(routes!(staff::set_role))
        .routes(routes!(staff::staff_list))
        .routes(routes!(staff::member_list))
        .routes(routes!(staff::letters))
        .routes(routes!(staff::letters_pdf))
        .routes(routes!(staff::invitations))
        .routes(routes!(staff::audit_log))
        .routes(routes!(staff::flags))
        .routes(routes!(profiles::consents, profiles::give_consent))
        .routes(routes!(profiles::withdraw_consent))
        .routes(routes!(profiles::accept_terms))
        .routes(routes!(profiles::update_profile))
        .routes(routes!(profiles::get_photo, profiles::put_photo, profiles::delete_photo))
        .routes(routes!(members::search))
        .routes(routes!(members::member))
        .routes(routes!(members::photo))
        .routes(routes!(contacts::requests, contacts::request))
        .routes(routes!(contacts::accept))
        .routes(routes!(contacts::decline))
        .routes(routes!(contacts::withdraw))
        .routes(routes!(contacts::contacts))
        .routes(routes!(contacts::set_level, contacts::remove))
        .routes(routes!(contacts::ask_for_level))
        .routes(routes!(contacts::disclosure_requests))
        .routes(routes!(contacts::accept_disclosure))
        .routes(routes!(contacts::decline_disclosure))
        .routes(routes!(contacts::blocks, contacts::block))
        .routes(routes!(contacts::unblock))
        .routes(routes!(search::search))
        .routes(routes!(notifications::notifications))
        .routes(routes!(notifications::mark_read))
        .routes(routes!(notifications::mark_all_read))
        .routes(routes!(notifications::mark_some_read))
        .routes(routes!(notifications::notification_settings, notifications::set_notification_settings))
        .routes(routes!(preferences::preferences, preferences::set_preferences))
        .routes(routes!(me_data::request_export))
        .routes(routes!(me_data::download_export))
        .routes(routes!(me_data::access_log))
        .routes(routes!(groups::search, groups::create))
        .routes(routes!(groups::group))
        .routes(routes!(groups::members))
        .routes(routes!(groups::join))
        .routes(routes!(groups::leave))
        .routes(routes!(groups::invite))
        .routes(routes!(groups::decline_invitation))
        .routes(routes!(groups::approve))
        .routes(routes!(groups::decline))
        .routes(routes!(groups::add_moderator))
        .routes(routes!(messaging::list, messaging::start))
        .routes(routes!(messaging::messages, messaging::send))
        .routes(routes!(messaging::edit, messaging::delete))
        .routes(routes!(messaging::accept))
        .routes(routes!(messaging::decline))
        .routes(routes!(messaging::read))
        .routes(routes!(messaging::disappearing))
        .routes(routes!(messaging::leave))
        .routes(routes!(messaging::upload))
        .routes(routes!(live::live))
        .routes(routes!(live::ticket))
        .routes(routes!(messaging::attachment))
        .routes(routes!(messaging::group_conversation))
        .routes(routes!(messaging::message_reports))
        .routes(routes!(messaging::message_report))
        .routes(routes!(messaging::close_message_report))
        .routes(routes!(moderation::report))
        .routes(routes!(moderation::queue))
        .routes(routes!(moderation::resolve))
        .routes(routes!(moderation::history))
        .routes(routes!(moderation::hide_post))
        .routes(routes!(moderation::restore_post))
        .routes(routes!(moderation::warn_post))
        .routes(routes!(moderation::hide_topic))
        .routes(routes!(moderation::restore_topic))
        .routes(routes!(moderation::lock_topic))
        .routes(routes!(moderation::unlock_topic))
        .routes(routes!(moderation::pin_topic))
        .routes(routes!(moderation::unpin_topic))
        .routes(routes!(moderation::move_topic))
        .routes(routes!(forum::categories, forum::create_category))
        .routes(routes!(forum::update_category, forum::delete_category))
        .routes(routes!(forum::category_topics))
        .routes(routes!(forum::group_topics))
        .routes(routes!(forum::create_topic))
        .routes(routes!(forum::topic))
        .routes(routes!(forum::reply))
        .routes(routes!(forum::edit_post, forum::delete_post))
        .routes(routes!(forum::history))
        .routes(routes!(forum::react, forum::unreact))
        .routes(routes!(forum::subscribe, forum::unsubscribe))
        .routes(routes!(administration::get_settings, administration::put_settings))
        .routes(routes!(administration::statistics))
        .routes(routes!(events::list, events::create))
        .routes(routes!(events::event, events::update))
        .routes(routes!(events::cancel))
        .routes(routes!(events::cancel_occurrence))
        .routes(routes!(events::change_occurrence))
        .routes(routes!(events::register, events::unregister))
        .routes(routes!(events::attendees))
        .routes(routes!(events::feed, events::replace_feed))
        .routes(routes!(events::feed_ics))
        .routes(routes!(knowledge::list, knowledge::create))
        .routes(routes!(knowledge::article, knowledge::update))
        .routes(routes!(knowledge::submit))
        .routes(routes!(knowledge::withdraw))
        .routes(routes!(knowledge::confirm))
        .routes(routes!(knowledge::review))
        .routes(routes!(calls::start))
        .routes(routes!(calls::call))
        .routes(routes!(calls::join))
        .routes(routes!(calls::leave))
        .split_for_parts()
}

/// The OpenAPI document as JSON, rendered once at start-up.
/// Completed by [`openapi::complete`]: the answers every operation of a kind
/// gives, enumerations and lengths.
pub fn openapi_json(openapi: &utoipa::openapi::OpenApi) -> Result<String, String> {
    let generated = serde_json::to_value(openapi).map_err(|e| e.to_string())?;
    serde_json::to_string(&openapi::complete(generated)).map_err(|e| e.to_string())
}
