//! The contacts page: my contacts and the level each sees of me, contact
//! requests both ways, requests for a higher level both ways, and the
//! members I blocked. Every change goes through `service::contacts`.

use super::association::AssociationPage;
use super::community::{
    back, contact_outcome, level_choices, level_label, member, member_href, member_post, parse_level, Choice, Flash,
};
use super::layout::{render_status, Section};
use super::members::ActionForm;
use super::respond::internal;
use super::text::{tr, when, When};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use kindred_domain::Level;
use kindred_service::contacts::{ContactError, RequestStatus, RequestView};
use serde::Serialize;

#[derive(Serialize)]
struct ContactRow {
    id: String,
    href: String,
    pseudonym: String,
    i_grant: String,
    granted_to_me: String,
    choices: Vec<Choice>,
}

#[derive(Serialize)]
struct RequestRow {
    id: String,
    href: String,
    pseudonym: String,
    message: Option<String>,
    level: String,
    status: &'static str,
    status_text: String,
    when: When,
    choices: Vec<Choice>,
}

fn status_text(page: &AssociationPage, status: RequestStatus) -> String {
    tr(page, &format!("contacts-status-{}", status.as_str()))
}

fn request_row(page: &AssociationPage, view: &RequestView, choices: Vec<Choice>) -> RequestRow {
    RequestRow {
        id: view.id.clone(),
        href: member_href(page, &view.member_id),
        pseudonym: view.pseudonym.clone(),
        message: view.message.clone(),
        level: level_label(page, view.level),
        status: view.status.as_str(),
        status_text: status_text(page, view.status),
        when: when(page, view.created_at),
        choices,
    }
}

#[derive(Serialize)]
struct BlockRow {
    id: String,
    pseudonym: String,
    since: When,
}

pub async fn contacts(State(state): State<AppState>, page: AssociationPage, Query(flash): Query<Flash>) -> Response {
    let caller = match member(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let association = &page.tenant.association;
    let kindred = &state.kindred;
    let loaded = async {
        Ok::<_, ContactError>((
            kindred.contacts(association, caller).await?,
            kindred.contact_requests(association, caller).await?,
            kindred.disclosure_requests(association, caller).await?,
            kindred.blocks(association, caller).await?,
        ))
    }
    .await;
    let (list, requests, disclosures, blocks) = match loaded {
        Ok(all) => all,
        Err(error) => return internal(error),
    };
    let contacts: Vec<ContactRow> = list
        .iter()
        .map(|c| ContactRow {
            id: c.member_id.to_string(),
            href: member_href(&page, &c.member_id),
            pseudonym: c.pseudonym.clone(),
            i_grant: level_label(&page, c.level_i_grant),
            granted_to_me: level_label(&page, c.level_granted_to_me),
            choices: level_choices(&page, c.level_i_grant, None),
        })
        .collect();
    let incoming: Vec<RequestRow> =
        requests.incoming.iter().map(|r| request_row(&page, r, level_choices(&page, Level::Community, None))).collect();
    let outgoing: Vec<RequestRow> = requests.outgoing.iter().map(|r| request_row(&page, r, Vec::new())).collect();
    let asked_of_me: Vec<RequestRow> = disclosures
        .incoming
        .iter()
        .map(|r| {
            // Only levels above the one the asker stands on now.
            let current = list.iter().find(|c| c.member_id == r.member_id).map(|c| c.level_i_grant);
            request_row(&page, r, level_choices(&page, r.level, current))
        })
        .collect();
    let asked: Vec<RequestRow> = disclosures.outgoing.iter().map(|r| request_row(&page, r, Vec::new())).collect();
    let blocked: Vec<BlockRow> = blocks
        .into_iter()
        .map(|b| BlockRow { id: b.member_id.to_string(), pseudonym: b.pseudonym, since: when(&page, b.created_at) })
        .collect();
    let values = minijinja::context! {
        contacts => contacts,
        incoming => incoming,
        outgoing => outgoing,
        asked_of_me => asked_of_me,
        asked => asked,
        blocked => blocked,
        csrf => page.session.csrf(),
        flash => flash.view(&page),
        search_href => super::respond::link(&page, "/members", &[]),
    };
    render_status(
        &state,
        StatusCode::OK,
        "community/contacts.html",
        page.layout("/contacts", Section::Contacts),
        values,
    )
}

enum Answer {
    AcceptContact,
    DeclineContact,
    Withdraw,
    AcceptDisclosure,
    DeclineDisclosure,
}

async fn answer(state: AppState, page: AssociationPage, id: String, form: ActionForm, answer: Answer) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let association = &page.tenant.association;
    let kindred = &state.kindred;
    let path = form.back_path();
    let level = parse_level(&form.level);
    let (result, done) = match answer {
        Answer::AcceptContact | Answer::AcceptDisclosure if level.is_none() => {
            return back(&page, &path, "problem", "bad-level");
        }
        Answer::AcceptContact => (
            kindred.accept_contact(association, caller, &id, level.unwrap_or(Level::Community)).await,
            "request-accepted",
        ),
        Answer::DeclineContact => (kindred.decline_contact(association, caller, &id).await, "request-declined"),
        Answer::Withdraw => (kindred.withdraw_contact_request(association, caller, &id).await, "request-withdrawn"),
        Answer::AcceptDisclosure => (
            kindred.accept_disclosure(association, caller, &id, level.unwrap_or(Level::Community)).await,
            "disclosure-accepted",
        ),
        Answer::DeclineDisclosure => {
            (kindred.decline_disclosure(association, caller, &id).await, "disclosure-declined")
        }
    };
    contact_outcome(&state, &page, &path, result, done)
}

pub async fn accept_contact(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Response {
    answer(state, page, id, form, Answer::AcceptContact).await
}

pub async fn decline_contact(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Response {
    answer(state, page, id, form, Answer::DeclineContact).await
}

pub async fn withdraw_request(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Response {
    answer(state, page, id, form, Answer::Withdraw).await
}

pub async fn accept_disclosure(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Response {
    answer(state, page, id, form, Answer::AcceptDisclosure).await
}

pub async fn decline_disclosure(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Response {
    answer(state, page, id, form, Answer::DeclineDisclosure).await
}

pub async fn unblock(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Response {
    let caller = match member_post(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let result = state.kindred.unblock(&page.tenant.association, caller, &id).await;
    contact_outcome(&state, &page, "/contacts", result, "unblocked")
}
