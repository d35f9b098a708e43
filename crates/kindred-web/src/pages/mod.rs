//! The server-rendered pages. Each page builds its view from service calls
//! and renders one template inside `base.html`.

mod account;
mod account_data;
mod association;
mod calls;
mod community;
mod confirm;
mod consents;
mod contacts;
mod erasure;
mod events;
mod forms;
mod forum;
mod groups;
mod home;
mod knowledge;
mod layout;
mod members;
mod message_reports;
mod messages;
mod moderation;
mod notification_settings;
mod notifications;
mod passkeys;
mod people;
mod preferences;
mod profile;
mod respond;
mod root;
mod search;
mod session;
mod settings;
mod staff;
mod staff_tools;
mod text;
mod unsubscribe;

pub use layout::error_page;
pub use session::PageSession;

use crate::state::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(root::index))
        .route("/a/{slug}", get(association::redirect_home))
        .route("/a/{slug}/", get(association::home))
        .route("/a/{slug}/privacy", get(association::privacy))
        .route("/a/{slug}/accessibility", get(association::accessibility))
        .route("/a/{slug}/terms", get(association::terms))
        .route("/a/{slug}/imprint", get(association::imprint))
        .route("/a/{slug}/contact", get(association::contact))
        .route("/a/{slug}/logo", get(association::logo))
        .route("/a/{slug}/brand.css", get(association::brand_css))
        .route("/a/{slug}/live-texts", get(association::live_texts))
        // Accounts: register, confirm, sign in and out, passwords.
        .route("/a/{slug}/register", get(account::register_form).post(account::register))
        .route("/a/{slug}/register/sent", get(account::register_sent))
        .route("/a/{slug}/confirm-email", get(account::confirm_email_form).post(account::confirm_email))
        .route("/a/{slug}/confirm-email/done", get(account::email_confirmed))
        .route("/a/{slug}/sign-in", get(account::sign_in_form).post(account::sign_in))
        .route("/a/{slug}/sign-in/second-factor", get(account::second_factor_form).post(account::second_factor))
        .route("/a/{slug}/sign-out", post(account::sign_out))
        .route("/a/{slug}/forgot-password", get(account::forgot_form).post(account::forgot))
        .route("/a/{slug}/forgot-password/sent", get(account::forgot_sent))
        .route("/a/{slug}/reset-password", get(account::reset_form).post(account::reset))
        // The member's own account and admission step 2.
        .route("/a/{slug}/account", get(account::account))
        .route("/a/{slug}/account/resend-confirmation", post(account::resend_confirmation))
        .route("/a/{slug}/account/verify/member-number", post(account::verify_member_number))
        .route("/a/{slug}/account/verify/letter", post(account::verify_letter))
        .route("/a/{slug}/account/verify/letter-code", post(account::verify_letter_code))
        .route("/a/{slug}/account/verify/invitation", post(account::verify_invitation))
        .route("/a/{slug}/account/verify/manual", post(account::verify_manual))
        .route("/a/{slug}/account/sessions", get(account::sessions))
        .route("/a/{slug}/account/notifications", get(notification_settings::form).post(notification_settings::save))
        .route("/a/{slug}/account/preferences", get(preferences::form).post(preferences::save))
        .route("/a/{slug}/account/data", get(account_data::data))
        .route("/a/{slug}/account/data/export", post(account_data::request))
        .route("/a/{slug}/account/data/{id}/download", post(account_data::download))
        .route("/a/{slug}/account/access-log", get(account_data::access_log))
        // One-click unsubscribe from notification mails, signed out (RFC 8058).
        .route("/a/{slug}/unsubscribe", get(unsubscribe::confirm).post(unsubscribe::unsubscribe))
        .route(
            "/a/{slug}/account/sessions/{id}/revoke",
            get(account::revoke_session_page).post(account::revoke_session),
        )
        .route("/a/{slug}/account/password", get(account::password_form).post(account::change_password))
        .route("/a/{slug}/account/pseudonym", get(account::pseudonym_form).post(account::choose_pseudonym))
        .route("/a/{slug}/account/two-factor", get(account::two_factor))
        .route("/a/{slug}/account/two-factor/start", post(account::two_factor_start))
        .route("/a/{slug}/account/two-factor/confirm", post(account::two_factor_confirm))
        .route("/a/{slug}/account/two-factor/remove", post(account::two_factor_remove))
        // Passkeys (pages::passkeys).
        .route("/a/{slug}/account/consents", get(consents::consents))
        .route("/a/{slug}/account/terms", get(consents::terms_form).post(consents::accept_terms))
        .route("/a/{slug}/account/consents/health/withdraw", post(consents::withdraw_health))
        .route("/a/{slug}/account/delete", get(erasure::form))
        .route("/a/{slug}/account/delete/confirm", get(erasure::confirm_form).post(erasure::erase))
        .route("/a/{slug}/account/deleted", get(erasure::erased))
        .route("/a/{slug}/account/passkeys", get(passkeys::passkeys))
        .route("/a/{slug}/account/passkeys/{id}/remove", get(passkeys::remove_page).post(passkeys::remove))
        // The community: my profile, other members, contacts (pages::profile, members, contacts).
        .route("/a/{slug}/profile", get(profile::profile).post(profile::save_profile))
        .route("/a/{slug}/profile/consent", post(profile::give_consent))
        .route("/a/{slug}/profile/consent/withdraw", post(profile::withdraw_consent))
        .route("/a/{slug}/profile/photo", get(profile::own_photo).post(profile::upload_photo))
        .route("/a/{slug}/profile/photo/remove", post(profile::remove_photo))
        .route("/a/{slug}/profile/preview", get(profile::preview))
        .route("/a/{slug}/members", get(members::search))
        .route("/a/{slug}/members/{id}", get(members::member_page))
        .route("/a/{slug}/members/{id}/photo", get(members::photo))
        .route("/a/{slug}/members/{id}/contact-request", post(members::request_contact))
        .route("/a/{slug}/members/{id}/level", post(members::set_level))
        .route("/a/{slug}/members/{id}/remove-contact", get(members::remove_contact_page).post(members::remove_contact))
        .route("/a/{slug}/members/{id}/ask-level", post(members::ask_level))
        .route("/a/{slug}/members/{id}/block", get(members::block_page).post(members::block))
        .route("/a/{slug}/members/{id}/unblock", post(contacts::unblock))
        .route("/a/{slug}/contacts", get(contacts::contacts))
        .route("/a/{slug}/contacts/requests/{id}/accept", post(contacts::accept_contact))
        .route("/a/{slug}/contacts/requests/{id}/decline", post(contacts::decline_contact))
        .route("/a/{slug}/contacts/requests/{id}/withdraw", post(contacts::withdraw_request))
        .route("/a/{slug}/contacts/disclosures/{id}/accept", post(contacts::accept_disclosure))
        .route("/a/{slug}/contacts/disclosures/{id}/decline", post(contacts::decline_disclosure))
        // Forum search and notifications (pages::search, pages::notifications).
        .route("/a/{slug}/search", get(search::search))
        // Messaging (pages::messages).
        .route("/a/{slug}/messages", get(messages::list))
        .route("/a/{slug}/messages/new", get(messages::new).post(messages::start))
        .route("/a/{slug}/messages/{id}", get(messages::conversation))
        .route("/a/{slug}/messages/{id}/send", post(messages::send))
        .route("/a/{slug}/messages/{id}/accept", post(messages::accept))
        .route("/a/{slug}/messages/{id}/decline", post(messages::decline))
        .route("/a/{slug}/messages/{id}/block", get(messages::block_page).post(messages::block))
        .route("/a/{slug}/messages/{id}/leave", get(messages::leave_page).post(messages::leave))
        .route("/a/{slug}/messages/{id}/disappearing", post(messages::disappearing))
        // Calls (pages::calls).
        .route("/a/{slug}/messages/{id}/call", post(calls::start))
        .route("/a/{slug}/calls/{id}", get(calls::show))
        .route("/a/{slug}/calls/{id}/leave", post(calls::leave))
        .route("/a/{slug}/notifications", get(notifications::notifications))
        .route("/a/{slug}/notifications/read-all", post(notifications::mark_all_read))
        .route("/a/{slug}/notifications/read", post(notifications::mark_some_read))
        .route("/a/{slug}/notifications/{id}/read", post(notifications::mark_read))
        // Events (pages::events): `{id}` is an id, or an id with `.ics`.
        .route("/a/{slug}/events", get(events::list))
        .route("/a/{slug}/events/new", get(events::new_form).post(events::create))
        .route("/a/{slug}/events/{id}", get(events::event_page))
        .route("/a/{slug}/events/{id}/edit", get(events::edit_form).post(events::update))
        .route("/a/{slug}/events/{id}/registration", post(events::register))
        .route("/a/{slug}/events/{id}/unregister", get(events::event_action_page).post(events::unregister))
        .route("/a/{slug}/events/{id}/cancel", get(events::event_action_page).post(events::cancel))
        .route("/a/{slug}/events/{id}/occurrences/{key}", get(events::occurrence_form).post(events::change_occurrence))
        .route(
            "/a/{slug}/events/{id}/occurrences/{key}/cancel",
            get(events::cancel_occurrence_page).post(events::cancel_occurrence),
        )
        .route("/a/{slug}/account/calendar-feed", get(events::feed_page).post(events::replace_feed))
        // Knowledge articles (pages::knowledge).
        .route("/a/{slug}/knowledge", get(knowledge::list))
        .route("/a/{slug}/knowledge/new", get(knowledge::new_form).post(knowledge::create))
        .route("/a/{slug}/knowledge/{id}", get(knowledge::article_page))
        .route("/a/{slug}/knowledge/{id}/edit", get(knowledge::edit_form).post(knowledge::update))
        .route("/a/{slug}/knowledge/{id}/submit", post(knowledge::submit))
        .route("/a/{slug}/knowledge/{id}/withdraw", post(knowledge::withdraw))
        .route("/a/{slug}/knowledge/{id}/confirm", post(knowledge::confirm))
        .route("/a/{slug}/knowledge/{id}/review", post(knowledge::review))
        // Groups (pages::groups).
        .route("/a/{slug}/groups", get(groups::search))
        .route("/a/{slug}/groups/new", get(groups::new_form).post(groups::create))
        .route("/a/{slug}/groups/{id}", get(groups::group_page))
        .route("/a/{slug}/groups/{id}/join", post(groups::join))
        .route("/a/{slug}/groups/{id}/leave", get(groups::leave_page).post(groups::leave))
        .route("/a/{slug}/groups/{id}/members", get(groups::members))
        .route("/a/{slug}/groups/{id}/invitations", post(groups::invite))
        .route("/a/{slug}/groups/{id}/invitations/decline", post(groups::decline_invitation))
        .route("/a/{slug}/groups/{id}/requests/{member}/approve", post(groups::approve))
        .route("/a/{slug}/groups/{id}/requests/{member}/decline", post(groups::decline))
        .route("/a/{slug}/groups/{id}/moderators", post(groups::add_moderator))
        // The forum (pages::forum).
        .route("/a/{slug}/forum", get(forum::index))
        .route("/a/{slug}/forum/categories/{id}", get(forum::category))
        .route("/a/{slug}/groups/{id}/forum", get(forum::group_forum))
        .route("/a/{slug}/forum/new", get(forum::new_form).post(forum::create))
        .route("/a/{slug}/forum/topics/{id}", get(forum::topic))
        .route("/a/{slug}/forum/topics/{id}/reply", post(forum::reply))
        .route("/a/{slug}/forum/topics/{id}/subscription", post(forum::subscription))
        .route("/a/{slug}/forum/topics/{id}/posts/{number}", get(forum::post_page))
        .route("/a/{slug}/forum/posts/{id}/edit", get(forum::edit_form).post(forum::edit))
        .route("/a/{slug}/forum/posts/{id}/delete", get(forum::delete_post_page).post(forum::delete_post))
        .route("/a/{slug}/forum/posts/{id}/react", post(forum::react))
        .route("/a/{slug}/forum/topics/{id}/reactions", post(forum::topic_react))
        .route("/a/{slug}/forum/posts/{id}/history", get(forum::history))
        .route("/a/{slug}/staff/forum", get(forum::staff).post(forum::staff_create))
        .route("/a/{slug}/staff/forum/{id}", post(forum::staff_update))
        .route("/a/{slug}/staff/forum/{id}/delete", get(forum::staff_delete_page).post(forum::staff_delete))
        // Moderation: the queue and reporting (pages::moderation).
        .route("/a/{slug}/moderation", get(moderation::queue))
        .route("/a/{slug}/moderation/act", post(moderation::act))
        .route("/a/{slug}/moderation/messages", get(message_reports::list))
        .route("/a/{slug}/moderation/messages/{id}", get(message_reports::show))
        .route("/a/{slug}/moderation/messages/{id}/close", post(message_reports::close))
        .route("/a/{slug}/report", get(moderation::report_form).post(moderation::report))
        .route("/a/{slug}/report/sent", get(moderation::report_sent))
        // The association's staff.
        .route("/a/{slug}/staff", get(staff::index))
        .route("/a/{slug}/staff/verifications", get(staff::verifications))
        .route("/a/{slug}/staff/verifications/{id}", get(staff_tools::applicant))
        .route("/a/{slug}/staff/members/{id}/approve", post(staff::approve))
        .route("/a/{slug}/staff/members/{id}/decline", post(staff_tools::decline))
        .route("/a/{slug}/staff/members/{id}/role", post(staff::set_role))
        .route("/a/{slug}/staff/members", get(staff::members).post(staff::find_for_suspension))
        .route("/a/{slug}/staff/members/{id}/suspend", post(staff::suspend))
        .route("/a/{slug}/staff/members/{id}/reinstate", post(staff::reinstate))
        .route("/a/{slug}/staff/member-list", get(staff::member_list_form).post(staff::member_list))
        .route("/a/{slug}/staff/letters", get(staff::letters))
        .route("/a/{slug}/staff/letters.pdf", get(staff::letters_pdf))
        .route("/a/{slug}/staff/invitations", get(staff::invitations_form).post(staff::invitations))
        .route(
            "/a/{slug}/staff/invitations/revoke-code",
            get(staff_tools::revoke_code_page).post(staff_tools::revoke_code),
        )
        .route(
            "/a/{slug}/staff/invitations/{batch}/revoke",
            get(staff_tools::revoke_batch_page).post(staff_tools::revoke_batch),
        )
        .route("/a/{slug}/staff/roles", get(staff::roles).post(staff::find_member))
        .route("/a/{slug}/staff/audit-log", get(staff::audit_log))
        .route("/a/{slug}/staff/flags", get(staff::flags))
        .route("/a/{slug}/staff/statistics", get(staff::statistics))
        .route("/a/{slug}/staff/statistics.csv", get(staff::statistics_csv))
        .route("/a/{slug}/staff/settings", get(settings::index))
        .route("/a/{slug}/staff/settings/{section}", get(settings::show).post(settings::save))
        .route("/a/{slug}/staff/settings-preview.css", get(settings::preview_css))
}
