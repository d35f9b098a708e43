//! web::pages::erasure — `/account/delete`: what erasing the account
//! means and the choice for one's posts; `/account/delete/confirm`: the
//! password and the final button (a second page, so that nothing is erased
//! by one click, without JavaScript); then a neutral page, signed out.
//! The same service function as `DELETE /me` (service::erasure).

use super::association::AssociationPage;
use super::forms::{reauth_problems, signed_in, signed_in_post, Problems};
use super::layout::{render_status, Section};
use super::respond::{internal, link, message, see_other, LinkView};
use super::text::tr;
use crate::auth::clear_cookie;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::Response;
use axum::Form;
use kindred_service::erasure::{ErasureError, PostsChoice};
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ChoiceQuery {
    posts: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EraseForm {
    csrf: String,
    posts: String,
    password: String,
}

/// The choice as the association allows it: without the choice, removal.
fn choice(page: &AssociationPage, raw: &str) -> Option<PostsChoice> {
    let allowed = page.tenant.association.settings.data.anonymise_allowed;
    match PostsChoice::parse(raw) {
        Some(PostsChoice::Anonymise) if !allowed => None,
        Some(choice) => Some(choice),
        None if !allowed => Some(PostsChoice::Delete),
        None => None,
    }
}

fn choice_value(choice: PostsChoice) -> &'static str {
    match choice {
        PostsChoice::Delete => "delete",
        PostsChoice::Anonymise => "anonymise",
    }
}

fn render_form(state: &AppState, page: &AssociationPage, problems: Problems, status: StatusCode) -> Response {
    let values = minijinja::context! {
        problems => problems,
        anonymise_allowed => page.tenant.association.settings.data.anonymise_allowed,
        grace_days => page.tenant.association.settings.data.pseudonym_grace_days,
    };
    render_status(state, status, "account/delete.html", page.layout("/account/delete", Section::Account), values)
}

fn render_confirm(
    state: &AppState,
    page: &AssociationPage,
    choice: PostsChoice,
    problems: Problems,
    status: StatusCode,
) -> Response {
    let values = minijinja::context! {
        problems => problems,
        csrf => page.session.csrf(),
        posts => choice_value(choice),
    };
    render_status(
        state,
        status,
        "account/delete_confirm.html",
        page.layout("/account/delete/confirm", Section::Account),
        values,
    )
}

pub async fn form(State(state): State<AppState>, page: AssociationPage) -> Response {
    if let Err(response) = signed_in(&page) {
        return *response;
    }
    render_form(&state, &page, Problems::default(), StatusCode::OK)
}

/// The second step (a GET: it changes nothing); without a valid choice,
/// back to the first with a message.
pub async fn confirm_form(
    State(state): State<AppState>,
    page: AssociationPage,
    Query(query): Query<ChoiceQuery>,
) -> Response {
    if let Err(response) = signed_in(&page) {
        return *response;
    }
    match choice(&page, &query.posts) {
        Some(choice) => render_confirm(&state, &page, choice, Problems::default(), StatusCode::OK),
        None => render_form(
            &state,
            &page,
            Problems::one("posts-delete", tr(&page, "erase-posts-required")),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    }
}

pub async fn erase(State(state): State<AppState>, page: AssociationPage, Form(form): Form<EraseForm>) -> Response {
    let caller = match signed_in_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let Some(choice) = choice(&page, &form.posts) else {
        return render_form(
            &state,
            &page,
            Problems::one("posts-delete", tr(&page, "erase-posts-required")),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let association = &page.tenant.association;
    match state.kindred.erase_account(association, caller, &page.client, &form.password, choice).await {
        Ok(()) => {
            let mut response = see_other(&link(&page, "/account/deleted", &[]));
            response.headers_mut().insert(header::SET_COOKIE, clear_cookie(&page.tenant));
            response
        }
        Err(ErasureError::Reauth(error)) => match reauth_problems(&state, &page, "password", error) {
            Ok(problems) => render_confirm(&state, &page, choice, problems, StatusCode::UNPROCESSABLE_ENTITY),
            Err(response) => *response,
        },
        Err(other) => internal(other),
    }
}

/// After the erasure: signed out, nothing about anyone.
pub async fn erased(State(state): State<AppState>, page: AssociationPage) -> Response {
    message(
        &state,
        &page,
        StatusCode::OK,
        "/account/deleted",
        tr(&page, "erase-done-title"),
        vec![tr(&page, "erase-done-text")],
        vec![LinkView { href: link(&page, "/", &[]), label: tr(&page, "error-home-link") }],
    )
}
