//! api::auth — registration, e-mail confirmation, signing in and out,
//! passwords, sessions and the second factor; and who am I.

use crate::auth::{Authenticated, ClientInfo};
use crate::compression::Secret;
use crate::errors::ApiError;
use crate::json::{ApiJson, OptionalJson};
use crate::state::AppState;
use crate::tenant::ApiTenant;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kindred_domain::{Language, Visibility};
use kindred_service::accounts::{AccountError, FieldProblem, Registration};
use kindred_service::reauth::{Proof, ReauthError};
use kindred_service::second_factor::SecondFactorError;
use kindred_service::sessions::{Login, LoginError, SessionKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// English wording of a field problem for API clients.
pub(crate) fn problem_message(problem: FieldProblem) -> &'static str {
    match problem {
        FieldProblem::EmailInvalid => "is not a valid e-mail address",
        FieldProblem::PasswordTooShort => "must be at least 10 characters long",
        FieldProblem::PasswordTooLong => "must be at most 1024 characters long",
        FieldProblem::PasswordCommon => "is one of the most common passwords; please choose another",
        FieldProblem::PseudonymLength => "must be 3 to 60 characters long",
        FieldProblem::PseudonymCharacters => "may contain letters, digits, spaces and . _ - only",
        FieldProblem::PseudonymUnusual => {
            "may not contain invisible characters or special forms of letters (such as full-width letters)"
        }
        FieldProblem::PseudonymMixedScripts => "may not mix letters of different scripts (such as Latin and Cyrillic)",
        FieldProblem::PseudonymTaken => {
            "is already taken in this association, or looks like one that is; please choose another"
        }
        FieldProblem::TermsNotAccepted => "the terms and privacy notice must be accepted",
        FieldProblem::PasswordWrong => "is not your current password",
    }
}

/// Maps account errors to the documented answers.
pub(crate) fn account_error(error: AccountError) -> ApiError {
    match error {
        AccountError::Invalid(problems) => {
            let taken = problems.iter().any(|(_, p)| *p == FieldProblem::PseudonymTaken);
            let fields: BTreeMap<String, String> =
                problems.iter().map(|(field, p)| ((*field).to_owned(), problem_message(*p).to_owned())).collect();
            if taken {
                ApiError {
                    fields: Some(fields),
                    ..ApiError::new(
                        StatusCode::CONFLICT,
                        "pseudonym_taken",
                        "This pseudonym is already taken in this association; please choose another.",
                    )
                }
            } else {
                ApiError::invalid("invalid_fields", "Some fields are invalid.", fields)
            }
        }
        AccountError::InvalidToken => ApiError::invalid(
            "invalid_token",
            "The link is unknown, expired or was already used.",
            BTreeMap::from([("token".to_owned(), "is unknown, expired or already used".to_owned())]),
        ),
        AccountError::Throttled(t) => ApiError::throttled(t.retry_after),
        AccountError::PseudonymSettled => ApiError::new(
            StatusCode::CONFLICT,
            "pseudonym_settled",
            "Your pseudonym is settled; ask your association's staff to change it.",
        ),
        other => ApiError::internal(other),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    email: String,
    password: String,
    pseudonym: String,
    /// Consent to the association's terms and privacy notice (their current version is recorded).
    accept_terms: bool,
    /// de, en or nl: the language of mails; else the association's default.
    #[serde(default)]
    language: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RegisterResponse {
    member_id: String,
    /// email_unconfirmed: a confirmation link was mailed.
    status: &'static str,
}

/// Step 1 of admission: creates an account and mails a confirmation link.
/// An address that already has an account gets the same answer (its owner
/// gets a mail instead), and so does a pseudonym that is taken (or looks
/// like one that is): the answer never tells who is a member. The
/// pseudonym is claimed when the address is confirmed; if it is taken,
/// `POST /auth/confirm-email` says `pseudonym_needed` and the member
/// chooses another with `PUT /me/pseudonym`.
#[utoipa::path(
    post,
    path = "/auth/register",
    tag = "accounts",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Registered; confirmation mailed (alike for a known address or a taken pseudonym)", body = RegisterResponse),
        (status = 422, description = "Invalid fields; a pseudonym mixing scripts or holding invisible or full-width characters is invalid", body = super::ErrorResponse),
        (status = 429, description = "Too many registrations from this address", body = super::ErrorResponse),
    )
)]
pub async fn register(
    State(state): State<AppState>,
    ApiTenant(tenant): ApiTenant,
    ClientInfo(client): ClientInfo,
    ApiJson(body): ApiJson<RegisterRequest>,
) -> Result<Response, ApiError> {
    let association = &tenant.association;
    let language = body
        .language
        .as_deref()
        .and_then(Language::parse)
        .filter(|l| association.settings.languages.contains(l))
        .unwrap_or(association.settings.default_language);
    let registered = state
        .kindred
        .register(
            association,
            Registration {
                email: &body.email,
                password: &body.password,
                pseudonym: &body.pseudonym,
                accept_terms: body.accept_terms,
                language,
                client: &client,
            },
        )
        .await
        .map_err(account_error)?;
    let answer = RegisterResponse { member_id: registered.member_id.to_string(), status: registered.status.as_str() };
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// The token from the link in the mail (`token=…`).
    token: String,
}

#[derive(Serialize, ToSchema)]
#[schema(as = AccountStatusResponse)]
pub struct StatusResponse {
    /// email_unconfirmed, unverified, active or suspended.
    status: &'static str,
}

#[derive(Serialize, ToSchema)]
pub struct ConfirmedResponse {
    /// email_unconfirmed, unverified, active or suspended.
    status: &'static str,
    /// The pseudonym chosen at registration is taken in this association
    /// (or looks like one that is): choose another with `PUT /me/pseudonym`
    /// before taking part. Told only here, to the holder of the mailed
    /// link, and in `/me`: registration answers alike either way.
    pseudonym_needed: bool,
}

/// Confirms the e-mail address with the token from the mail; single use.
/// Claims the pseudonym chosen at registration, unless it is taken.
#[utoipa::path(
    post,
    path = "/auth/confirm-email",
    tag = "accounts",
    request_body = TokenRequest,
    responses(
        (status = 200, description = "Confirmed; `pseudonym_needed` if the pseudonym was taken", body = ConfirmedResponse),
        (status = 422, description = "Unknown, expired or used token", body = super::ErrorResponse),
    )
)]
pub async fn confirm_email(
    State(state): State<AppState>,
    ApiTenant(tenant): ApiTenant,
    ApiJson(body): ApiJson<TokenRequest>,
) -> Result<Json<ConfirmedResponse>, ApiError> {
    let confirmed = state.kindred.confirm_email(&tenant.association, &body.token).await.map_err(account_error)?;
    Ok(Json(ConfirmedResponse { status: confirmed.status.as_str(), pseudonym_needed: confirmed.pseudonym_needed }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PseudonymRequest {
    pseudonym: String,
}

/// Chooses a pseudonym while `pseudonym_needed` (the one chosen at
/// registration was taken), or before the address is confirmed (it is
/// then claimed at confirmation). 10 tries a day. A settled pseudonym is
/// not changed here (409 `pseudonym_settled`).
#[utoipa::path(
    put,
    path = "/me/pseudonym",
    tag = "accounts",
    security(("bearer" = [])),
    request_body = PseudonymRequest,
    responses(
        (status = 200, description = "Chosen; the account", body = MeResponse),
        (status = 401, description = "Not signed in", body = super::ErrorResponse),
        (status = 409, description = "`pseudonym_taken` (with `fields.pseudonym`): taken or looks like one that is; `pseudonym_settled`: nothing to choose", body = super::ErrorResponse),
        (status = 422, description = "Invalid pseudonym", body = super::ErrorResponse),
        (status = 429, description = "Too many tries today", body = super::ErrorResponse),
    )
)]
pub async fn choose_pseudonym(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiJson(body): ApiJson<PseudonymRequest>,
) -> Result<Json<MeResponse>, ApiError> {
    let association = &auth.tenant.association;
    state.kindred.choose_pseudonym(association, &auth.caller, &body.pseudonym).await.map_err(account_error)?;
    let caller = state
        .kindred
        .member(association, auth.caller.member.id.as_str())
        .await
        .map_err(ApiError::internal)?
        .map(|member| kindred_service::sessions::Caller { member, ..auth.caller })
        .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "Please sign in."))?;
    Ok(Json(me_body(&state, &auth.tenant, caller).await?))
}

/// Sends the confirmation link again (signed in, address unconfirmed).
#[utoipa::path(
    post,
    path = "/auth/resend-confirmation",
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 202, description = "Sent, if the address is still unconfirmed", body = StatusResponse),
        (status = 401, description = "Not signed in", body = super::ErrorResponse),
        (status = 429, description = "Too many", body = super::ErrorResponse),
    )
)]
pub async fn resend_confirmation(State(state): State<AppState>, auth: Authenticated) -> Result<Response, ApiError> {
    let member = &auth.caller.member;
    state.kindred.resend_confirmation(&auth.tenant.association, member).await.map_err(account_error)?;
    Ok((StatusCode::ACCEPTED, Json(StatusResponse { status: member.status.as_str() })).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    email: String,
    password: String,
    /// The current code of the authenticator app, or a recovery code, when
    /// the account has a second factor. An account with passkeys only signs
    /// in to the API with a recovery code (passkeys work on the pages).
    #[serde(default)]
    totp_code: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer TOKEN`.
    token: String,
    member_id: String,
    /// email_unconfirmed, unverified, active or suspended.
    status: &'static str,
}

pub(crate) fn login_error(error: LoginError) -> ApiError {
    match error {
        LoginError::InvalidCredentials => ApiError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
            "The e-mail address or the password is wrong.",
        ),
        LoginError::Throttled(t) => ApiError::throttled(t.retry_after),
        LoginError::Suspended => ApiError::new(StatusCode::FORBIDDEN, "suspended", "This account is suspended."),
        LoginError::SecondFactorRequired => ApiError::new(
            StatusCode::UNAUTHORIZED,
            "second_factor_required",
            "Enter the code from your authenticator app (totp_code) or a recovery code.",
        ),
        LoginError::InvalidSecondFactor => {
            ApiError::new(StatusCode::UNAUTHORIZED, "invalid_second_factor", "The code is wrong or was already used.")
        }
        other => ApiError::internal(other),
    }
}

/// Signs in and returns a bearer token. Unknown e-mail addresses and wrong
/// passwords get the same answer; failed attempts are throttled per
/// account and per client address. An account with a second factor also
/// needs `totp_code`: a code of the authenticator app or a recovery code.
/// Passkeys are for the pages; an account with passkeys only gives a
/// recovery code here.
#[utoipa::path(
    post,
    path = "/auth/login",
    tag = "accounts",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = LoginResponse),
        (status = 401, description = "Unknown e-mail address or wrong password; or the second factor is missing or wrong", body = super::ErrorResponse),
        (status = 403, description = "The account is suspended", body = super::ErrorResponse),
        (status = 422, description = "Fields missing or of the wrong type", body = super::ErrorResponse),
        (status = 429, description = "Too many failed attempts; see Retry-After", body = super::ErrorResponse),
    )
)]
pub async fn login(
    State(state): State<AppState>,
    ApiTenant(tenant): ApiTenant,
    ClientInfo(client): ClientInfo,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<Secret<Json<LoginResponse>>, ApiError> {
    let login = Login {
        email: &body.email,
        password: &body.password,
        second_factor: body.totp_code.as_deref(),
        kind: SessionKind::Api,
        client: &client,
    };
    let session = state.kindred.login(&tenant.association, login).await.map_err(login_error)?;
    Ok(Secret(Json(LoginResponse {
        token: session.token,
        member_id: session.member_id.to_string(),
        status: session.status.as_str(),
    })))
}

/// Ends the session of the token (or cookie) used; it stops working at once.
#[utoipa::path(
    post,
    path = "/auth/logout",
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "Not signed in", body = super::ErrorResponse),
    )
)]
pub async fn logout(State(state): State<AppState>, auth: Authenticated) -> Result<Response, ApiError> {
    state.kindred.logout(&auth.tenant.association, &auth.token).await.map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    email: String,
}

/// Mails a password-reset link if the address has an account. Answers the
/// same either way.
#[utoipa::path(
    post,
    path = "/auth/password-reset",
    tag = "accounts",
    request_body = ResetRequest,
    responses(
        (status = 202, description = "If the address has an account, a link is on its way"),
        (status = 429, description = "Too many requests", body = super::ErrorResponse),
    )
)]
pub async fn password_reset(
    State(state): State<AppState>,
    ApiTenant(tenant): ApiTenant,
    ClientInfo(client): ClientInfo,
    ApiJson(body): ApiJson<ResetRequest>,
) -> Result<Response, ApiError> {
    state.kindred.request_password_reset(&tenant.association, &body.email, &client).await.map_err(account_error)?;
    Ok((StatusCode::ACCEPTED, Json(serde_json::json!({}))).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetConfirmRequest {
    /// The token from the link in the mail.
    token: String,
    /// The new password.
    password: String,
}

/// Sets a new password with the token from the mail (single use, one hour);
/// every session of the account ends.
#[utoipa::path(
    post,
    path = "/auth/password-reset/confirm",
    tag = "accounts",
    request_body = ResetConfirmRequest,
    responses(
        (status = 200, description = "Password set; sign in again", body = StatusResponse),
        (status = 422, description = "Unknown, expired or used token, or a password not accepted", body = super::ErrorResponse),
    )
)]
pub async fn password_reset_confirm(
    State(state): State<AppState>,
    ApiTenant(tenant): ApiTenant,
    ApiJson(body): ApiJson<ResetConfirmRequest>,
) -> Result<Json<StatusResponse>, ApiError> {
    let status =
        state.kindred.reset_password(&tenant.association, &body.token, &body.password).await.map_err(account_error)?;
    Ok(Json(StatusResponse { status: status.as_str() }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    current_password: String,
    new_password: String,
}

/// Changes the password; the current one is needed. Other sessions end.
#[utoipa::path(
    post,
    path = "/me/password",
    tag = "accounts",
    security(("bearer" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Changed"),
        (status = 401, description = "Not signed in", body = super::ErrorResponse),
        (status = 422, description = "Wrong current password or new one not accepted", body = super::ErrorResponse),
        (status = 429, description = "Too many wrong attempts", body = super::ErrorResponse),
    )
)]
pub async fn change_password(
    State(state): State<AppState>,
    auth: Authenticated,
    ClientInfo(client): ClientInfo,
    ApiJson(body): ApiJson<ChangePasswordRequest>,
) -> Result<Response, ApiError> {
    state
        .kindred
        .change_password(&auth.tenant.association, &auth.caller, &client, &body.current_password, &body.new_password)
        .await
        .map_err(account_error)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Serialize, ToSchema)]
pub struct SessionView {
    /// Names the session for revocation; not a secret.
    id: String,
    /// web or api.
    kind: &'static str,
    /// The program, e.g. "Firefox on Linux".
    client: String,
    created_at: chrono::DateTime<chrono::Utc>,
    last_used_at: chrono::DateTime<chrono::Utc>,
    /// The session of this request.
    current: bool,
}

#[derive(Serialize, ToSchema)]
pub struct SessionsResponse {
    sessions: Vec<SessionView>,
}

/// The member's live sessions (pages and API), most recently used first.
#[utoipa::path(
    get,
    path = "/me/sessions",
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Sessions", body = SessionsResponse),
        (status = 401, description = "Not signed in", body = super::ErrorResponse),
    )
)]
pub async fn sessions(State(state): State<AppState>, auth: Authenticated) -> Result<Json<SessionsResponse>, ApiError> {
    let list =
        state.kindred.sessions(&auth.tenant.association, &auth.caller.member.id).await.map_err(ApiError::internal)?;
    let sessions = list
        .into_iter()
        .map(|s| SessionView {
            current: s.id == auth.caller.session_id,
            kind: if s.kind == "web" { "web" } else { "api" },
            id: s.id,
            client: s.client,
            created_at: s.created_at,
            last_used_at: s.last_used_at,
        })
        .collect();
    Ok(Json(SessionsResponse { sessions }))
}

/// Ends one of the member's sessions (e.g. a lost phone).
#[utoipa::path(
    delete,
    path = "/me/sessions/{id}",
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The session's id from the list")),
    responses(
        (status = 204, description = "Ended"),
        (status = 401, description = "Not signed in", body = super::ErrorResponse),
        (status = 404, description = "No such session of yours", body = super::ErrorResponse),
    )
)]
pub async fn revoke_session(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(path): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (_, id) = path;
    let ended = state
        .kindred
        .revoke_session(&auth.tenant.association, &auth.caller.member.id, &id)
        .await
        .map_err(ApiError::internal)?;
    if ended {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(ApiError::not_found())
    }
}

#[derive(Serialize, ToSchema)]
pub struct TotpSetupResponse {
    /// The secret for typing into an app by hand.
    secret: String,
    /// An otpauth:// link (what the QR code holds).
    uri: String,
}

/// Starts setting up (or replacing) an authenticator app: a new secret,
/// pending; nothing changes until `/confirm` with a first code and the
/// password (or a current code of the second factor).
#[utoipa::path(
    post,
    path = "/me/two-factor/totp",
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A new secret, pending until confirmed", body = TotpSetupResponse),
        (status = 401, description = "Not signed in", body = super::ErrorResponse),
    )
)]
pub async fn totp_start(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Secret<Json<TotpSetupResponse>>, ApiError> {
    let setup =
        state.kindred.start_totp(&auth.tenant.association, &auth.caller.member).await.map_err(second_factor_error)?;
    Ok(Secret(Json(TotpSetupResponse { secret: setup.secret, uri: setup.uri })))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TotpConfirmRequest {
    /// A code of the new authenticator app.
    code: String,
    /// The account's password, to confirm the change.
    #[serde(default)]
    password: Option<String>,
    /// Instead of the password: a current code of the second factor (the
    /// app being replaced, or a recovery code, which is then used up).
    #[serde(default)]
    current_code: Option<String>,
}

/// Confirms a change of how one signs in: the password, or a current code
/// of the second factor. Either is enough; the password counts when both
/// are given.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ReauthRequest {
    /// The account's password.
    #[serde(default)]
    password: Option<String>,
    /// Instead of the password: a current code of the authenticator app or
    /// a recovery code (which is then used up).
    #[serde(default)]
    current_code: Option<String>,
}

impl ReauthRequest {
    pub(crate) fn proof(&self) -> Proof<'_> {
        Proof { password: self.password.as_deref(), code: self.current_code.as_deref() }
    }
}

/// Maps a failed re-authentication to the documented answers: 403
/// `reauthentication_required` without a proof, 422 `invalid_fields` on
/// the field of a wrong one, 429 when throttled like sign-in.
pub(crate) fn reauth_error(error: ReauthError) -> ApiError {
    match error {
        ReauthError::Required => ApiError::new(
            StatusCode::FORBIDDEN,
            "reauthentication_required",
            "Confirm this change with your password (password) or a current code of your second factor (current_code).",
        ),
        ReauthError::WrongPassword => ApiError::invalid(
            "invalid_fields",
            "Some fields are invalid.",
            BTreeMap::from([("password".to_owned(), problem_message(FieldProblem::PasswordWrong).to_owned())]),
        ),
        ReauthError::WrongCode => ApiError::invalid(
            "invalid_fields",
            "Some fields are invalid.",
            BTreeMap::from([("current_code".to_owned(), "is wrong or was already used".to_owned())]),
        ),
        ReauthError::Throttled(t) => ApiError::throttled(t.retry_after),
        other => ApiError::internal(other),
    }
}

#[derive(Serialize, ToSchema)]
pub struct RecoveryCodesResponse {
    /// Each works once instead of a code from the app. Shown only now.
    recovery_codes: Vec<String>,
}

pub(crate) fn second_factor_error(error: SecondFactorError) -> ApiError {
    match error {
        SecondFactorError::NotStarted => {
            ApiError::new(StatusCode::CONFLICT, "not_started", "Start the setup of the authenticator app first.")
        }
        SecondFactorError::InvalidCode => ApiError::invalid(
            "invalid_code",
            "The code is wrong or was already used.",
            BTreeMap::from([("code".to_owned(), "is wrong or was already used".to_owned())]),
        ),
        SecondFactorError::Throttled(t) => ApiError::throttled(t.retry_after),
        SecondFactorError::Reauth(e) => reauth_error(e),
        other => ApiError::internal(other),
    }
}

/// Confirms the authenticator app with a first code of it; returns new
/// recovery codes. This sets up (or replaces) the second factor, so it
/// also needs the password or a current code of the second factor; the
/// member is told by mail.
#[utoipa::path(
    post,
    path = "/me/two-factor/totp/confirm",
    tag = "accounts",
    security(("bearer" = [])),
    request_body = TotpConfirmRequest,
    responses(
        (status = 200, description = "Second factor active", body = RecoveryCodesResponse),
        (status = 403, description = "reauthentication_required: neither password nor current_code given", body = super::ErrorResponse),
        (status = 409, description = "No setup started", body = super::ErrorResponse),
        (status = 422, description = "invalid_fields: wrong password or current_code; invalid_code: wrong code of the new app", body = super::ErrorResponse),
        (status = 429, description = "Too many wrong attempts; see Retry-After", body = super::ErrorResponse),
    )
)]
pub async fn totp_confirm(
    State(state): State<AppState>,
    auth: Authenticated,
    ClientInfo(client): ClientInfo,
    ApiJson(body): ApiJson<TotpConfirmRequest>,
) -> Result<Secret<Json<RecoveryCodesResponse>>, ApiError> {
    let proof = Proof { password: body.password.as_deref(), code: body.current_code.as_deref() };
    let codes = state
        .kindred
        .confirm_totp(&auth.tenant.association, &auth.caller, &client, proof, &body.code)
        .await
        .map_err(second_factor_error)?;
    Ok(Secret(Json(RecoveryCodesResponse { recovery_codes: codes })))
}

/// Removes the authenticator app, and the recovery codes unless a passkey
/// remains; needs the password or a current code of the second factor.
/// The member is told by mail.
#[utoipa::path(
    post,
    path = "/me/two-factor/totp/remove",
    tag = "accounts",
    security(("bearer" = [])),
    request_body = ReauthRequest,
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "reauthentication_required: neither password nor current_code given", body = super::ErrorResponse),
        (status = 422, description = "invalid_fields: wrong password or current_code", body = super::ErrorResponse),
        (status = 429, description = "Too many wrong attempts; see Retry-After", body = super::ErrorResponse),
    )
)]
pub async fn totp_remove(
    State(state): State<AppState>,
    auth: Authenticated,
    ClientInfo(client): ClientInfo,
    OptionalJson(body): OptionalJson<ReauthRequest>,
) -> Result<Response, ApiError> {
    let association = &auth.tenant.association;
    state.kindred.remove_totp(association, &auth.caller, &client, body.proof()).await.map_err(second_factor_error)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Serialize, ToSchema)]
pub struct MeResponse {
    member_id: String,
    pseudonym: String,
    email: String,
    /// email_unconfirmed, unverified, active or suspended.
    status: &'static str,
    /// admin, moderator, professional or member.
    role: &'static str,
    /// A professional's badge, e.g. "Neurologist".
    #[serde(skip_serializing_if = "Option::is_none")]
    badge: Option<String>,
    /// Whether a second factor is set up: an authenticator app or a passkey.
    second_factor: bool,
    /// Whether an authenticator app is set up.
    totp: bool,
    /// Whether at least one passkey is registered (see /me/passkeys).
    passkey: bool,
    /// The member's own profile fields by code: text, year, code or list of codes.
    profile: BTreeMap<String, serde_json::Value>,
    /// Per field of the association: a level 1..4 or "private" (the
    /// association's default where the member has not chosen).
    visibility: BTreeMap<String, serde_json::Value>,
    /// Whether other members may find this member in search.
    discoverable: bool,
    /// The pseudonym chosen at registration was taken: choose another
    /// (`PUT /me/pseudonym`); until then community endpoints answer 403
    /// `pseudonym_needed`. Never true before the address is confirmed.
    pseudonym_needed: bool,
    /// The association's terms of use changed since the member consented:
    /// read them (`/terms`) and accept them (`POST /me/terms` with
    /// `terms_version`), or erase the account (`DELETE /me`); until then
    /// community endpoints answer 403 `terms_not_accepted`.
    terms_needed: bool,
    /// The current version of the association's terms of use.
    terms_version: String,
}

/// The signed-in member's own account. Answers for every status, so that a
/// member can see where they stand in admission.
#[utoipa::path(
    get,
    path = "/me",
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account", body = MeResponse),
        (status = 401, description = "Not signed in", body = super::ErrorResponse),
    )
)]
pub async fn me(State(state): State<AppState>, auth: Authenticated) -> Result<Json<MeResponse>, ApiError> {
    Ok(Json(me_body(&state, &auth.tenant, auth.caller).await?))
}

/// The body of `/me` (also the answer to `PUT /me/profile`).
pub(crate) async fn me_body(
    state: &AppState,
    tenant: &crate::tenant::Tenant,
    caller: kindred_service::sessions::Caller,
) -> Result<MeResponse, ApiError> {
    let association = &tenant.association;
    let member = caller.member;
    let entries = state.kindred.own_profile(association, &member.id).await.map_err(ApiError::internal)?;
    let choices = state.kindred.own_visibility(association, &member.id).await.map_err(ApiError::internal)?;
    let mut profile = BTreeMap::new();
    for entry in entries {
        let Some(spec) = association.settings.profile_fields.iter().find(|f| f.code == entry.field) else { continue };
        profile
            .insert(entry.field.to_string(), super::members::field_json(&tenant.base, &member.id, spec, &entry.value));
    }
    let visibility = choices
        .into_iter()
        .map(|(spec, v)| {
            let level = match v {
                Visibility::Level(level) => serde_json::Value::from(level.number()),
                Visibility::Private => serde_json::Value::from("private"),
            };
            (spec.code.to_string(), level)
        })
        .collect();
    let pseudonym_needed = member.pseudonym_needed();
    let terms_needed = state.kindred.terms_outdated(association, &member);
    Ok(MeResponse {
        terms_needed,
        terms_version: association.settings.admission.terms_version.clone(),
        member_id: member.id.to_string(),
        pseudonym: member.pseudonym,
        email: member.email,
        status: member.status.as_str(),
        role: member.role.as_str(),
        badge: member.badge,
        second_factor: member.has_totp || member.has_passkey,
        totp: member.has_totp,
        passkey: member.has_passkey,
        profile,
        visibility,
        discoverable: member.discoverable,
        pseudonym_needed,
    })
}
