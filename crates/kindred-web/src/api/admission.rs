//! api::admission — step 2: a registered member gets verified by the
//! association, through whichever procedures it opened.

use crate::auth::Authenticated;
use crate::errors::ApiError;
use crate::json::ApiJson;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kindred_service::admission::VerifyError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct VerificationStatus {
    /// email_unconfirmed, unverified, active or suspended.
    status: &'static str,
}

#[derive(Serialize, ToSchema)]
pub struct VerificationOverview {
    status: &'static str,
    /// The procedures this association offers: member_number, letter, invitation, manual.
    procedures: Vec<&'static str>,
    /// The procedure the member is waiting on, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    waiting_for: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    requested_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// `fields`: what the member entered, each named in a 422 `no_match`
/// (alike: which one did not match is never told).
fn verify_error(error: VerifyError, fields: &[&str]) -> ApiError {
    match error {
        VerifyError::NotOffered => ApiError::new(
            StatusCode::FORBIDDEN,
            "procedure_not_offered",
            "The association does not offer this way of verification.",
        ),
        VerifyError::NotWaiting => ApiError::new(
            StatusCode::CONFLICT,
            "not_waiting",
            "This account is not waiting for verification (confirm the e-mail address first, or it is verified).",
        ),
        VerifyError::NoMatch => {
            let message = "These entries do not match. Please check them and try again.";
            ApiError::invalid(
                "no_match",
                message,
                fields.iter().map(|f| ((*f).to_owned(), "does not match".to_owned())).collect(),
            )
        }
        VerifyError::Invalid(problems) => ApiError::invalid(
            "invalid_fields",
            "Some fields are invalid.",
            problems.into_iter().map(|(f, m)| (f.to_owned(), m.to_owned())).collect::<BTreeMap<_, _>>(),
        ),
        VerifyError::NoLetter => ApiError::new(
            StatusCode::CONFLICT,
            "no_letter",
            "No letter is waiting for a code (none was requested, or it expired).",
        ),
        VerifyError::Throttled(t) => ApiError::throttled(t.retry_after),
        other => ApiError::internal(other),
    }
}

/// Where the signed-in member stands in admission and what they can do.
#[utoipa::path(
    get,
    path = "/verification",
    tag = "admission",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Status and open procedures", body = VerificationOverview),
        (status = 401, description = "Not signed in", body = super::ErrorResponse),
    )
)]
pub async fn overview(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Json<VerificationOverview>, ApiError> {
    let association = &auth.tenant.association;
    let member = &auth.caller.member;
    let request = state.kindred.verification_request(association, member).await.map_err(ApiError::internal)?;
    Ok(Json(VerificationOverview {
        status: member.status.as_str(),
        procedures: association.settings.admission.procedures.iter().map(|p| p.as_str()).collect(),
        waiting_for: request.as_ref().map(|(p, _)| p.clone()),
        requested_at: request.map(|(_, at)| at),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberNumberRequest {
    member_number: String,
    postcode: String,
    /// YYYY-MM-DD (DD.MM.YYYY is accepted too).
    birth_date: String,
}

/// Verification by member number, postcode and birth date against the
/// association's member list. A match activates the account at once; a
/// mismatch does not say which entry was wrong. Five attempts a day.
#[utoipa::path(
    post,
    path = "/verification/member-number",
    tag = "admission",
    security(("bearer" = [])),
    request_body = MemberNumberRequest,
    responses(
        (status = 200, description = "Verified", body = VerificationStatus),
        (status = 403, description = "Not offered by this association", body = super::ErrorResponse),
        (status = 409, description = "Not waiting for verification", body = super::ErrorResponse),
        (status = 422, description = "No match", body = super::ErrorResponse),
        (status = 429, description = "Too many attempts", body = super::ErrorResponse),
    )
)]
pub async fn member_number(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiJson(body): ApiJson<MemberNumberRequest>,
) -> Result<Json<VerificationStatus>, ApiError> {
    let status = state
        .kindred
        .verify_member_number(
            &auth.tenant.association,
            &auth.caller.member,
            &body.member_number,
            &body.postcode,
            &body.birth_date,
        )
        .await
        .map_err(|e| verify_error(e, &["member_number", "postcode", "birth_date"]))?;
    Ok(Json(VerificationStatus { status: status.as_str() }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LetterRequest {
    full_name: String,
    street: String,
    postcode: String,
    city: String,
}

/// Asks for a letter with a one-time code. The address is kept encrypted
/// and erased once the code is confirmed.
#[utoipa::path(
    post,
    path = "/verification/letter",
    tag = "admission",
    security(("bearer" = [])),
    request_body = LetterRequest,
    responses(
        (status = 202, description = "The letter will be sent", body = VerificationStatus),
        (status = 403, description = "Not offered by this association", body = super::ErrorResponse),
        (status = 409, description = "Not waiting for verification", body = super::ErrorResponse),
        (status = 422, description = "Invalid fields", body = super::ErrorResponse),
        (status = 429, description = "Too many letters requested", body = super::ErrorResponse),
    )
)]
pub async fn letter(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiJson(body): ApiJson<LetterRequest>,
) -> Result<Response, ApiError> {
    let member = &auth.caller.member;
    state
        .kindred
        .request_letter(&auth.tenant.association, member, &body.full_name, &body.street, &body.postcode, &body.city)
        .await
        .map_err(|e| verify_error(e, &[]))?;
    Ok((StatusCode::ACCEPTED, Json(VerificationStatus { status: member.status.as_str() })).into_response())
}

/// The code from the letter: single use, 30 days, five attempts.
#[utoipa::path(
    post,
    path = "/verification/letter/confirm",
    tag = "admission",
    security(("bearer" = [])),
    request_body = CodeBody,
    responses(
        (status = 200, description = "Verified", body = VerificationStatus),
        (status = 409, description = "No letter waiting, or not waiting for verification", body = super::ErrorResponse),
        (status = 422, description = "Wrong code", body = super::ErrorResponse),
        (status = 429, description = "Five wrong attempts: the code no longer works", body = super::ErrorResponse),
    )
)]
pub async fn letter_confirm(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiJson(body): ApiJson<CodeBody>,
) -> Result<Json<VerificationStatus>, ApiError> {
    let status = state
        .kindred
        .confirm_letter(&auth.tenant.association, &auth.caller.member, &body.code)
        .await
        .map_err(|e| verify_error(e, &["code"]))?;
    Ok(Json(VerificationStatus { status: status.as_str() }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeBody {
    code: String,
}

/// An invitation code from the association.
#[utoipa::path(
    post,
    path = "/verification/invitation",
    tag = "admission",
    security(("bearer" = [])),
    request_body = CodeBody,
    responses(
        (status = 200, description = "Verified", body = VerificationStatus),
        (status = 403, description = "Not offered by this association", body = super::ErrorResponse),
        (status = 409, description = "Not waiting for verification", body = super::ErrorResponse),
        (status = 422, description = "Unknown, used or expired code", body = super::ErrorResponse),
        (status = 429, description = "Too many attempts", body = super::ErrorResponse),
    )
)]
pub async fn invitation(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiJson(body): ApiJson<CodeBody>,
) -> Result<Json<VerificationStatus>, ApiError> {
    let status = state
        .kindred
        .verify_invitation(&auth.tenant.association, &auth.caller.member, &body.code)
        .await
        .map_err(|e| verify_error(e, &["code"]))?;
    Ok(Json(VerificationStatus { status: status.as_str() }))
}

/// Asks the association's staff to verify by hand.
#[utoipa::path(
    post,
    path = "/verification/manual",
    tag = "admission",
    security(("bearer" = [])),
    responses(
        (status = 202, description = "In the staff's queue", body = VerificationStatus),
        (status = 403, description = "Not offered by this association", body = super::ErrorResponse),
        (status = 409, description = "Not waiting for verification", body = super::ErrorResponse),
    )
)]
pub async fn manual(State(state): State<AppState>, auth: Authenticated) -> Result<Response, ApiError> {
    let member = &auth.caller.member;
    state.kindred.request_manual(&auth.tenant.association, member).await.map_err(|e| verify_error(e, &[]))?;
    Ok((StatusCode::ACCEPTED, Json(VerificationStatus { status: member.status.as_str() })).into_response())
}
