//! api::staff — the association's staff: verification queue, approval,
//! suspension, roles, member list, letters, invitations and the audit log.
//! Every call is recorded in the audit log by the service layer.

use crate::auth::{Admin, AdmissionStaff};
use crate::compression::Secret;
use crate::errors::ApiError;
use crate::json::{ApiJson, OptionalJson};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use kindred_domain::AccountRole;
use kindred_service::staff::StaffError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

fn staff_error(error: StaffError) -> ApiError {
    match error {
        StaffError::NoSuchMember => ApiError::not_found(),
        StaffError::WrongState => ApiError::new(
            StatusCode::CONFLICT,
            "wrong_state",
            "The member's account is not in a state where this applies.",
        ),
        StaffError::NotAllowed => ApiError::new(
            StatusCode::FORBIDDEN,
            "not_allowed",
            "Staff may not do this to this account: their own, or an admin's for a moderator.",
        ),
        StaffError::LastAdmin => ApiError::new(
            StatusCode::CONFLICT,
            "last_admin",
            "The association's last active admin cannot give up the admin role.",
        ),
        StaffError::Invalid(message) => {
            let (field, problem) = message.split_once(": ").unwrap_or(("body", message.as_str()));
            ApiError::invalid(
                "invalid_fields",
                "Some fields are invalid.",
                BTreeMap::from([(field.to_owned(), problem.to_owned())]),
            )
        }
        StaffError::MemberList(problem) => ApiError::invalid(
            "invalid_csv",
            format!("The member list cannot be read: {problem}"),
            BTreeMap::from([("body".to_owned(), problem.to_string())]),
        ),
        other => ApiError::internal(other),
    }
}

#[derive(Serialize, ToSchema)]
pub struct PendingEntry {
    member_id: String,
    pseudonym: String,
    /// member_number, letter, invitation, manual, or none (no procedure started yet).
    procedure: String,
    requested_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct PendingResponse {
    pending: Vec<PendingEntry>,
}

/// Members whose e-mail is confirmed and who wait for verification.
#[utoipa::path(
    get,
    path = "/admin/verifications",
    tag = "staff",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The queue, oldest first", body = PendingResponse),
        (status = 401, description = "Not signed in", body = super::ErrorResponse),
        (status = 403, description = "Not staff", body = super::ErrorResponse),
    )
)]
pub async fn verifications(
    State(state): State<AppState>,
    AdmissionStaff(auth): AdmissionStaff,
) -> Result<Json<PendingResponse>, ApiError> {
    let pending = state
        .kindred
        .pending_verifications(&auth.tenant.association, &auth.caller)
        .await
        .map_err(ApiError::internal)?
        .into_iter()
        .map(|p| PendingEntry {
            member_id: p.member_id,
            pseudonym: p.pseudonym,
            procedure: p.procedure,
            requested_at: p.requested_at,
        })
        .collect();
    Ok(Json(PendingResponse { pending }))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct NoteRequest {
    /// Why; kept in the audit log.
    #[serde(default)]
    note: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MemberStatusResponse {
    member_id: String,
    status: &'static str,
}

/// Manual approval, with a note for the audit log.
#[utoipa::path(
    post,
    path = "/admin/members/{id}/approve",
    tag = "staff",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The member's id")),
    request_body = NoteRequest,
    responses(
        (status = 200, description = "Active", body = MemberStatusResponse),
        (status = 403, description = "Not staff", body = super::ErrorResponse),
        (status = 404, description = "No such member", body = super::ErrorResponse),
        (status = 409, description = "Not waiting for verification", body = super::ErrorResponse),
    )
)]
pub async fn approve(
    State(state): State<AppState>,
    AdmissionStaff(auth): AdmissionStaff,
    Path(path): Path<(String, String)>,
    OptionalJson(body): OptionalJson<NoteRequest>,
) -> Result<Json<MemberStatusResponse>, ApiError> {
    let (_, id) = path;
    let status = state
        .kindred
        .approve(&auth.tenant.association, &auth.caller, &id, body.note.as_deref())
        .await
        .map_err(staff_error)?;
    Ok(Json(MemberStatusResponse { member_id: id, status: status.as_str() }))
}

/// Suspends an account: its sessions end and it cannot sign in.
#[utoipa::path(
    post,
    path = "/admin/members/{id}/suspend",
    tag = "staff",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The member's id")),
    request_body = NoteRequest,
    responses(
        (status = 200, description = "Suspended", body = MemberStatusResponse),
        (status = 403, description = "Not staff, or not allowed to suspend this account (one's own, or an admin's as moderator)", body = super::ErrorResponse),
        (status = 404, description = "No such member", body = super::ErrorResponse),
    )
)]
pub async fn suspend(
    State(state): State<AppState>,
    AdmissionStaff(auth): AdmissionStaff,
    Path(path): Path<(String, String)>,
    OptionalJson(body): OptionalJson<NoteRequest>,
) -> Result<Json<MemberStatusResponse>, ApiError> {
    let (_, id) = path;
    let status = state
        .kindred
        .suspend(&auth.tenant.association, &auth.caller, &id, body.note.as_deref())
        .await
        .map_err(staff_error)?;
    Ok(Json(MemberStatusResponse { member_id: id, status: status.as_str() }))
}

/// Ends a suspension.
#[utoipa::path(
    post,
    path = "/admin/members/{id}/reinstate",
    tag = "staff",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The member's id")),
    request_body = NoteRequest,
    responses(
        (status = 200, description = "Active again", body = MemberStatusResponse),
        (status = 403, description = "Not staff", body = super::ErrorResponse),
        (status = 404, description = "No such member", body = super::ErrorResponse),
        (status = 409, description = "Not suspended", body = super::ErrorResponse),
    )
)]
pub async fn reinstate(
    State(state): State<AppState>,
    AdmissionStaff(auth): AdmissionStaff,
    Path(path): Path<(String, String)>,
    OptionalJson(body): OptionalJson<NoteRequest>,
) -> Result<Json<MemberStatusResponse>, ApiError> {
    let (_, id) = path;
    let status = state
        .kindred
        .reinstate(&auth.tenant.association, &auth.caller, &id, body.note.as_deref())
        .await
        .map_err(staff_error)?;
    Ok(Json(MemberStatusResponse { member_id: id, status: status.as_str() }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleRequest {
    /// admin, moderator, professional or member.
    role: String,
    /// For professionals: the badge shown with their pseudonym, e.g. "Neurologist".
    #[serde(default)]
    badge: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RoleResponse {
    member_id: String,
    pseudonym: String,
    role: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    badge: Option<String>,
}

/// Grants or withdraws a role.
#[utoipa::path(
    put,
    path = "/admin/members/{id}/role",
    tag = "staff",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The member's id")),
    request_body = RoleRequest,
    responses(
        (status = 200, description = "Role set", body = RoleResponse),
        (status = 403, description = "Not an admin", body = super::ErrorResponse),
        (status = 404, description = "No such member", body = super::ErrorResponse),
        (status = 409, description = "`last_admin`: the association's last active admin keeps the role", body = super::ErrorResponse),
        (status = 422, description = "Unknown role or bad badge", body = super::ErrorResponse),
    )
)]
pub async fn set_role(
    State(state): State<AppState>,
    Admin(auth): Admin,
    Path(path): Path<(String, String)>,
    ApiJson(body): ApiJson<RoleRequest>,
) -> Result<Json<RoleResponse>, ApiError> {
    let (_, id) = path;
    let role = AccountRole::parse(&body.role).ok_or_else(|| {
        ApiError::invalid(
            "invalid_fields",
            "Some fields are invalid.",
            BTreeMap::from([("role".to_owned(), "must be admin, moderator, professional or member".to_owned())]),
        )
    })?;
    let member = state
        .kindred
        .set_role(&auth.tenant.association, &auth.caller, &id, role, body.badge.as_deref())
        .await
        .map_err(staff_error)?;
    Ok(Json(RoleResponse {
        member_id: member.id.to_string(),
        pseudonym: member.pseudonym,
        role: member.role.as_str(),
        badge: member.badge,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct StaffListResponse {
    staff: Vec<RoleResponse>,
}

/// Everyone with a role other than member.
#[utoipa::path(
    get,
    path = "/admin/staff",
    tag = "staff",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Admins, moderators and professionals", body = StaffListResponse),
        (status = 403, description = "Not an admin", body = super::ErrorResponse),
    )
)]
pub async fn staff_list(
    State(state): State<AppState>,
    Admin(auth): Admin,
) -> Result<Json<StaffListResponse>, ApiError> {
    let staff = state
        .kindred
        .staff_members(&auth.tenant.association, &auth.caller)
        .await
        .map_err(ApiError::internal)?
        .into_iter()
        .map(|m| RoleResponse {
            member_id: m.id.to_string(),
            pseudonym: m.pseudonym,
            role: m.role.as_str(),
            badge: m.badge,
        })
        .collect();
    Ok(Json(StaffListResponse { staff }))
}

#[derive(Serialize, ToSchema)]
pub struct ImportResponse {
    /// Entries in the uploaded list (duplicates counted once).
    imported: usize,
}

/// Replaces the member list. CSV with the header
/// `member_number,postcode,birth_date` (`;` also works); stored only as
/// keyed hashes. Entries already used to verify someone stay.
#[utoipa::path(
    post,
    path = "/admin/member-list",
    tag = "staff",
    security(("bearer" = [])),
    request_body(content = String, content_type = "text/csv"),
    responses(
        (status = 200, description = "Imported", body = ImportResponse),
        (status = 403, description = "Not an admin", body = super::ErrorResponse),
        (status = 415, description = "Sent as JSON or a form instead of CSV text", body = super::ErrorResponse),
        (status = 422, description = "The CSV cannot be read (the line is named)", body = super::ErrorResponse),
    )
)]
pub async fn member_list(
    State(state): State<AppState>,
    Admin(auth): Admin,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<ImportResponse>, ApiError> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    // CSV comes labelled in many ways (or not at all); refuse only what is clearly something else.
    if essence.starts_with("multipart/")
        || essence == "application/json"
        || essence == "application/x-www-form-urlencoded"
    {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Send the member list as text/csv.",
        ));
    }
    let text = std::str::from_utf8(&body).map_err(|_| {
        ApiError::invalid(
            "invalid_csv",
            "The member list must be UTF-8 text.",
            BTreeMap::from([("body".to_owned(), "is not UTF-8".to_owned())]),
        )
    })?;
    let imported =
        state.kindred.import_member_list(&auth.tenant.association, &auth.caller, text).await.map_err(staff_error)?;
    Ok(Json(ImportResponse { imported }))
}

#[derive(Serialize, ToSchema)]
pub struct LetterEntry {
    member_id: String,
    full_name: String,
    street: String,
    postcode: String,
    city: String,
    code: String,
}

#[derive(Serialize, ToSchema)]
pub struct LettersResponse {
    letters: Vec<LetterEntry>,
}

/// Letters waiting to be printed and confirmed. `/admin/letters.pdf` prints them.
#[utoipa::path(
    get,
    path = "/admin/letters",
    tag = "staff",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Letters, oldest first", body = LettersResponse),
        (status = 403, description = "Not an admin", body = super::ErrorResponse),
    )
)]
pub async fn letters(
    State(state): State<AppState>,
    Admin(auth): Admin,
) -> Result<Secret<Json<LettersResponse>>, ApiError> {
    let letters = state
        .kindred
        .letters(&auth.tenant.association, &auth.caller)
        .await
        .map_err(staff_error)?
        .into_iter()
        .map(|l| LetterEntry {
            member_id: l.member_id,
            full_name: l.address.full_name,
            street: l.address.street,
            postcode: l.address.postcode,
            city: l.address.city,
            code: l.address.code,
        })
        .collect();
    Ok(Secret(Json(LettersResponse { letters })))
}

/// The letters as one print-ready PDF: one per page, the address placed for
/// a window envelope, in the association's language.
#[utoipa::path(
    get,
    path = "/admin/letters.pdf",
    tag = "staff",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "PDF", content_type = "application/pdf"),
        (status = 403, description = "Not an admin", body = super::ErrorResponse),
    )
)]
pub async fn letters_pdf(State(state): State<AppState>, Admin(auth): Admin) -> Result<Response, ApiError> {
    let pdf = state.kindred.letters_pdf(&auth.tenant.association, &auth.caller).await.map_err(staff_error)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"letters.pdf\""),
            (header::CACHE_CONTROL, "no-store"),
        ],
        pdf,
    )
        .into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationsRequest {
    /// 1 to 500.
    count: u32,
    /// A label for the batch (one line, at most 80 characters), shown on
    /// the staff's invitations page where the batch can be revoked.
    #[serde(default)]
    label: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct InvitationsResponse {
    /// Single-use codes, valid for 90 days; shown only now.
    codes: Vec<String>,
}

/// Creates invitation codes.
#[utoipa::path(
    post,
    path = "/admin/invitations",
    tag = "staff",
    security(("bearer" = [])),
    request_body = InvitationsRequest,
    responses(
        (status = 200, description = "New codes", body = InvitationsResponse),
        (status = 403, description = "Not an admin", body = super::ErrorResponse),
        (status = 422, description = "Count out of range", body = super::ErrorResponse),
    )
)]
pub async fn invitations(
    State(state): State<AppState>,
    Admin(auth): Admin,
    ApiJson(body): ApiJson<InvitationsRequest>,
) -> Result<Secret<Json<InvitationsResponse>>, ApiError> {
    let codes = state
        .kindred
        .create_invitations(&auth.tenant.association, &auth.caller, body.count, body.label.as_deref())
        .await
        .map_err(staff_error)?;
    Ok(Secret(Json(InvitationsResponse { codes })))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// The `next` cursor of the previous page.
    before: Option<String>,
    /// Entries per page, 1 to 500 (default 100).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    limit: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntry {
    id: String,
    at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    actor_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    actor_pseudonym: Option<String>,
    action: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    target_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target_pseudonym: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditResponse {
    entries: Vec<AuditEntry>,
    /// Pass as `before` for older entries; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
}

/// The append-only audit log, newest first.
#[utoipa::path(
    get,
    path = "/admin/audit-log",
    tag = "staff",
    security(("bearer" = [])),
    params(AuditQuery),
    responses(
        (status = 200, description = "Entries", body = AuditResponse),
        (status = 403, description = "Not an admin", body = super::ErrorResponse),
        (status = 422, description = "`before` is not a cursor this server gave out, or `limit` not 1 to 500", body = super::ErrorResponse),
    )
)]
pub async fn audit_log(
    State(state): State<AppState>,
    Admin(auth): Admin,
    Query(query): Query<AuditQuery>,
) -> Result<Json<AuditResponse>, ApiError> {
    let limit = match query.limit.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        None => 100,
        Some(raw) => raw.parse::<i64>().ok().filter(|n| (1..=500).contains(n)).ok_or_else(|| {
            let fields = BTreeMap::from([("limit".to_owned(), "must be a whole number from 1 to 500".to_owned())]);
            ApiError::invalid("invalid_fields", "Some fields are invalid.", fields)
        })?,
    };
    let association = &auth.tenant.association;
    let before = match query.before.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(cursor) => Some(state.kindred.open_audit_cursor(association, cursor).ok_or_else(|| {
            let fields = BTreeMap::from([("before".to_owned(), kindred_service::cursor::BAD_CURSOR.to_owned())]);
            ApiError::invalid("invalid_fields", "Some fields are invalid.", fields)
        })?),
        None => None,
    };
    let entries = state
        .kindred
        .audit_log(&auth.tenant.association, &auth.caller, before.as_ref().map(|(at, id)| (*at, id.as_str())), limit)
        .await
        .map_err(ApiError::internal)?;
    let next = (entries.len() as i64 == limit)
        .then(|| entries.last().and_then(|e| state.kindred.audit_cursor(association, e)))
        .flatten();
    let entries = entries
        .into_iter()
        .map(|e| AuditEntry {
            id: e.id,
            at: e.at,
            actor_id: e.actor_id,
            actor_pseudonym: e.actor_pseudonym,
            action: e.action,
            target_id: e.target_id,
            target_pseudonym: e.target_pseudonym,
            detail: e.detail,
        })
        .collect();
    Ok(Json(AuditResponse { entries, next }))
}

#[derive(Serialize, ToSchema)]
pub struct FlagEntry {
    flag_id: String,
    member_id: String,
    pseudonym: String,
    /// Why, e.g. "profile-views: more than 300 in 15 minutes".
    reason: String,
    created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct FlagsResponse {
    flags: Vec<FlagEntry>,
}

/// Members flagged to staff, e.g. for viewing profiles or paging through
/// search faster than a person reads. Newest first; the view is audited.
#[utoipa::path(
    get,
    path = "/admin/flags",
    tag = "staff",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Flags", body = FlagsResponse),
        (status = 403, description = "Not staff", body = super::ErrorResponse),
    )
)]
pub async fn flags(
    State(state): State<AppState>,
    AdmissionStaff(auth): AdmissionStaff,
) -> Result<Json<FlagsResponse>, ApiError> {
    let flags = state
        .kindred
        .staff_flags(&auth.tenant.association, &auth.caller)
        .await
        .map_err(ApiError::internal)?
        .into_iter()
        .map(|f| FlagEntry {
            flag_id: f.id,
            member_id: f.member_id,
            pseudonym: f.pseudonym,
            reason: f.reason,
            created_at: f.created_at,
        })
        .collect();
    Ok(Json(FlagsResponse { flags }))
}
