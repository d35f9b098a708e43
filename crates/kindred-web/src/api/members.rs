//! api::members — another member's profile, member search, photos. What a
//! caller gets is decided in `kindred_domain::disclosure` (through
//! `service::members`); a field hidden from the caller is absent, never null.

use crate::auth::Community;
use crate::errors::ApiError;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use kindred_domain::profile::FieldValue;
use kindred_domain::search::RawMemberQuery;
use kindred_domain::settings::{FieldKind, ProfileField};
use kindred_domain::MemberId;
use kindred_service::members::{MemberError, MemberView};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

pub(crate) fn member_error(error: MemberError) -> ApiError {
    match error {
        MemberError::NotFound => ApiError::not_found(),
        MemberError::Throttled(t) => ApiError {
            message: "You are looking at profiles faster than a person reads; please slow down.".into(),
            ..ApiError::throttled(t.retry_after)
        },
        MemberError::Invalid(problems) => ApiError::invalid(
            "invalid_query",
            "Some search parameters are invalid.",
            problems.into_iter().map(|(name, p)| (name.to_owned(), p.message().to_owned())).collect(),
        ),
        other => ApiError::internal(other),
    }
}

/// A field value as JSON: text, year, code or list of codes; a photo as
/// the address it can be fetched from.
pub(crate) fn field_json(base: &str, member: &MemberId, spec: &ProfileField, value: &FieldValue) -> serde_json::Value {
    match (spec.kind, value) {
        (FieldKind::Photo, FieldValue::Text(version)) => {
            serde_json::Value::from(format!("{base}/api/v1/members/{member}/photo?v={version}"))
        }
        (_, FieldValue::Text(text)) => serde_json::Value::from(text.as_str()),
        (_, FieldValue::Year(year)) => serde_json::Value::from(*year),
        (_, FieldValue::Code(code)) => serde_json::Value::from(code.as_str()),
        (_, FieldValue::Codes(codes)) => {
            serde_json::Value::from(codes.iter().map(|c| c.as_str().to_owned()).collect::<Vec<_>>())
        }
    }
}

fn fields_json(base: &str, view: &MemberView) -> BTreeMap<String, serde_json::Value> {
    view.fields.iter().map(|(spec, value)| (spec.code.to_string(), field_json(base, &view.id, spec, value))).collect()
}

#[derive(Serialize, ToSchema)]
pub struct MemberResponse {
    member_id: String,
    pseudonym: String,
    /// A professional's badge, e.g. "Neurologist".
    #[serde(skip_serializing_if = "Option::is_none")]
    badge: Option<String>,
    /// Only the fields visible to the caller, by code.
    #[schema(value_type = Object)]
    fields: BTreeMap<String, serde_json::Value>,
    /// The level this member placed the caller on (1 without a contact).
    level_granted_to_me: u8,
    /// The level the caller placed this member on (1 without a contact).
    level_i_grant: u8,
    /// Whether the two are contacts.
    contact: bool,
}

/// A member's profile as the caller may see it. 404 for an unknown member,
/// one of another association, one who blocked the caller or whom the
/// caller blocked, and one who is not (or no longer) verified.
#[utoipa::path(
    get,
    path = "/members/{id}",
    tag = "members",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The member's id")),
    responses(
        (status = 200, description = "The visible part of the profile", body = MemberResponse),
        (status = 403, description = "Not verified yet", body = super::ErrorResponse),
        (status = 404, description = "No such member (for this caller)", body = super::ErrorResponse),
        (status = 429, description = "Too many profiles too fast", body = super::ErrorResponse),
    )
)]
pub async fn member(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
) -> Result<Json<MemberResponse>, ApiError> {
    let view = state.kindred.view_member(&auth.tenant.association, &auth.caller, &id).await.map_err(member_error)?;
    Ok(Json(MemberResponse {
        member_id: view.id.to_string(),
        fields: fields_json(&auth.tenant.base, &view),
        pseudonym: view.pseudonym,
        badge: view.badge,
        level_granted_to_me: view.level_granted_to_me.number(),
        level_i_grant: view.level_i_grant.number(),
        contact: view.contact,
    }))
}

/// The parameters, for the OpenAPI document only: the handler reads the
/// query string itself (`RawMemberQuery::from_pairs`), so that a repeated parameter is not an error.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct SearchParams {
    /// Pseudonym (any part) or words of visible free text.
    q: Option<String>,
    /// A condition code of the catalogue.
    condition: Option<String>,
    condition_form: Option<String>,
    therapy: Option<String>,
    medication: Option<String>,
    region: Option<String>,
    /// patient, relative, carer, professional (the association's roles).
    role: Option<String>,
    /// Age reached this year, from (birth year is what a profile holds).
    min_age: Option<String>,
    max_age: Option<String>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct FoundMember {
    member_id: String,
    pseudonym: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    badge: Option<String>,
    /// Only the fields visible to the caller.
    #[schema(value_type = Object)]
    fields: BTreeMap<String, serde_json::Value>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = MemberSearchResponse)]
pub struct SearchResponse {
    results: Vec<FoundMember>,
    /// Pass as `cursor` for the next page; null on the last page.
    next_cursor: Option<String>,
}

/// Searches members by pseudonym, free text and criteria, 20 at a time in
/// pseudonym order. A member matches a criterion only through a field the
/// caller may see; members who opted out of being found never appear.
#[utoipa::path(
    get,
    path = "/members",
    tag = "members",
    security(("bearer" = [])),
    params(SearchParams),
    responses(
        (status = 200, description = "A page of members", body = SearchResponse),
        (status = 403, description = "Not verified yet", body = super::ErrorResponse),
        (status = 422, description = "A parameter is invalid", body = super::ErrorResponse),
        (status = 429, description = "Too many searches too fast", body = super::ErrorResponse),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    Community(auth): Community,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<SearchResponse>, ApiError> {
    let raw = RawMemberQuery::from_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    let page =
        state.kindred.search_members(&auth.tenant.association, &auth.caller, &raw).await.map_err(member_error)?;
    let results = page
        .results
        .iter()
        .map(|view| FoundMember {
            member_id: view.id.to_string(),
            pseudonym: view.pseudonym.clone(),
            badge: view.badge.clone(),
            fields: fields_json(&auth.tenant.base, view),
        })
        .collect();
    Ok(Json(SearchResponse { results, next_cursor: page.next_cursor }))
}

pub(crate) fn jpeg(image: Vec<u8>) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, "image/jpeg"), (header::CACHE_CONTROL, "private, no-store")], image)
        .into_response()
}

/// A member's photo, for those who may see it (404 for everyone else).
#[utoipa::path(
    get,
    path = "/members/{id}/photo",
    tag = "members",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The member's id")),
    responses(
        (status = 200, description = "The photo", content_type = "image/jpeg"),
        (status = 404, description = "No photo, or not for this caller", body = super::ErrorResponse),
        (status = 429, description = "rate_limited: photos count against the pace of profile views", body = super::ErrorResponse),
    )
)]
pub async fn photo(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (image, _) =
        state.kindred.member_photo(&auth.tenant.association, &auth.caller, &id).await.map_err(member_error)?;
    Ok(jpeg(image))
}
