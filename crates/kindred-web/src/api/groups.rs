//! api::groups — creating, finding and joining groups, invitations,
//! requests, group moderators and member lists. Every handler goes through
//! `service::groups` (and so through `group_access`): a secret group is, for
//! anyone not in it, answered exactly like an id that was never used. In
//! alias groups only moderators are listed, as `{alias, role}`.

use crate::auth::Community;
use crate::errors::ApiError;
use crate::json::ApiJson;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use kindred_domain::groups::{Joining, Membership};
use kindred_service::groups::{
    GroupActionError, GroupInput, GroupMembers, GroupSummary, GroupView, RawGroupQuery, Who,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

pub(crate) fn group_error(error: GroupActionError) -> ApiError {
    match error {
        GroupActionError::NotFound => ApiError::not_found(),
        GroupActionError::Forbidden => ApiError::for_status(StatusCode::FORBIDDEN),
        GroupActionError::RoleRestricted => {
            ApiError::new(StatusCode::FORBIDDEN, "role_restricted", "This group is for members of another role.")
        }
        GroupActionError::Conflict(conflict) => {
            ApiError::new(StatusCode::CONFLICT, conflict.code(), conflict.message())
        }
        GroupActionError::Invalid(problems) => ApiError::invalid(
            "invalid_fields",
            "Some fields are invalid.",
            problems.into_iter().map(|(f, p)| (f.to_owned(), p.to_owned())).collect(),
        ),
        GroupActionError::InvalidQuery(problems) => ApiError::invalid(
            "invalid_query",
            "Some search parameters are invalid.",
            problems.into_iter().map(|(name, p)| (name.to_owned(), p.message().to_owned())).collect(),
        ),
        other => ApiError::internal(other),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGroupBody {
    /// 3 to 80 characters. Names need not be unique.
    name: String,
    #[serde(default)]
    description: String,
    /// open, closed or secret.
    visibility: String,
    /// Who sees the member list: members (of the association), group, moderators. Default members.
    #[serde(default)]
    member_list: Option<String>,
    /// Members appear under an alias of this group only.
    #[serde(default)]
    alias_mode: bool,
    /// Condition codes of the catalogue.
    #[serde(default)]
    conditions: Vec<String>,
    #[serde(default)]
    therapies: Vec<String>,
    #[serde(default)]
    medications: Vec<String>,
    /// A region code of the catalogue.
    #[serde(default)]
    region: Option<String>,
    /// Makes this a subgroup of a group the caller moderates.
    #[serde(default)]
    parent_id: Option<String>,
    /// Only members holding this profile role may join (e.g. relative).
    #[serde(default)]
    role_restriction: Option<String>,
    /// online (default) or local.
    #[serde(default)]
    mode: Option<String>,
    /// Anonymous posts allowed in the group's forum.
    #[serde(default)]
    anonymous_allowed: bool,
}

#[derive(Serialize, ToSchema)]
pub struct GroupCreated {
    group_id: String,
}

/// Creates a group; the caller becomes its first member and moderator.
#[utoipa::path(
    post,
    path = "/groups",
    tag = "groups",
    security(("bearer" = [])),
    request_body = NewGroupBody,
    responses(
        (status = 201, description = "Created", body = GroupCreated),
        (status = 403, description = "The association's policy does not let the caller create groups", body = super::ErrorResponse),
        (status = 404, description = "No such parent group (for the caller)", body = super::ErrorResponse),
        (status = 422, description = "Invalid fields or unknown codes", body = super::ErrorResponse),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Community(auth): Community,
    ApiJson(body): ApiJson<NewGroupBody>,
) -> Result<Response, ApiError> {
    let input = GroupInput {
        name: body.name,
        description: body.description,
        visibility: body.visibility,
        member_list: body.member_list.unwrap_or_default(),
        alias_mode: body.alias_mode,
        conditions: body.conditions,
        therapies: body.therapies,
        medications: body.medications,
        region: body.region,
        parent_id: body.parent_id,
        role_restriction: body.role_restriction,
        mode: body.mode,
        anonymous_allowed: body.anonymous_allowed,
    };
    let id = state.kindred.create_group(&auth.tenant.association, &auth.caller, &input).await.map_err(group_error)?;
    Ok((StatusCode::CREATED, Json(GroupCreated { group_id: id.to_string() })).into_response())
}

/// The parameters, for the OpenAPI document only (the handler reads the
/// query string itself, so that a repeated parameter is not an error).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct SearchParams {
    /// Words of the name or description.
    q: Option<String>,
    /// A condition code of the catalogue.
    condition: Option<String>,
    therapy: Option<String>,
    region: Option<String>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct GroupEntry {
    group_id: String,
    name: String,
    description: String,
    /// open, closed or secret.
    visibility: &'static str,
    mode: String,
    alias_mode: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    role_restriction: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<String>,
    conditions: Vec<String>,
    therapies: Vec<String>,
    medications: Vec<String>,
    /// Absent below the association's `count_threshold`, except for the group's own moderators;
    /// absent in alias groups (it would show arrivals).
    #[serde(skip_serializing_if = "Option::is_none")]
    member_count: Option<u64>,
    /// none, requested, invited, member or moderator.
    membership: &'static str,
}

fn entry(summary: &GroupSummary) -> GroupEntry {
    let record = &summary.seen.record;
    GroupEntry {
        group_id: summary.seen.id.to_string(),
        name: record.name.clone(),
        description: record.description.clone(),
        visibility: match record.visibility.as_str() {
            "open" => "open",
            "closed" => "closed",
            _ => "secret",
        },
        mode: record.mode.clone(),
        alias_mode: record.alias_mode,
        role_restriction: record.role_restriction.clone(),
        region: record.region.clone(),
        conditions: summary.conditions.clone(),
        therapies: summary.therapies.clone(),
        medications: summary.medications.clone(),
        member_count: summary.member_count.exact(),
        membership: summary.seen.access.membership.as_str(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct GroupSearchResponse {
    results: Vec<GroupEntry>,
    /// Pass as `cursor` for the next page; null on the last page.
    next_cursor: Option<String>,
}

/// Finds groups by words, catalogue tags and region, 20 at a time in name
/// order. Secret groups appear only to their members and invitees.
#[utoipa::path(
    get,
    path = "/groups",
    tag = "groups",
    security(("bearer" = [])),
    params(SearchParams),
    responses(
        (status = 200, description = "A page of groups", body = GroupSearchResponse),
        (status = 422, description = "A parameter is invalid", body = super::ErrorResponse),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    Community(auth): Community,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<GroupSearchResponse>, ApiError> {
    let raw = RawGroupQuery::from_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    let page = state.kindred.search_groups(&auth.tenant.association, &auth.caller, &raw).await.map_err(group_error)?;
    Ok(Json(GroupSearchResponse { results: page.results.iter().map(entry).collect(), next_cursor: page.next_cursor }))
}

#[derive(Serialize, ToSchema)]
pub struct GroupRef {
    group_id: String,
    name: String,
}

#[derive(Serialize, ToSchema)]
pub struct GroupResponse {
    #[serde(flatten)]
    group: GroupEntry,
    /// Who sees the member list: members, group or moderators.
    member_list: String,
    anonymous_allowed: bool,
    /// The parent group, when the caller may see it.
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<GroupRef>,
    /// The subgroups the caller may see.
    subgroups: Vec<GroupRef>,
    /// The caller's alias (alias groups, members only).
    #[serde(skip_serializing_if = "Option::is_none")]
    my_alias: Option<String>,
    /// How the caller may join: join (at once), request, accept (an invitation), or absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    join: Option<&'static str>,
    can_join: bool,
    /// The group is for a member role the caller does not hold.
    role_restricted: bool,
    can_read_forum: bool,
    can_write: bool,
    can_invite: bool,
    can_see_members: bool,
    /// The caller moderates the group (approves requests, names moderators).
    is_group_moderator: bool,
}

fn group_body(view: GroupView) -> GroupResponse {
    let access = view.summary.seen.access;
    let join = match access.join {
        Joining::Direct => Some("join"),
        Joining::OnRequest => Some("request"),
        Joining::AcceptInvitation => Some("accept"),
        Joining::No => None,
    };
    GroupResponse {
        group: entry(&view.summary),
        member_list: view.summary.seen.record.member_list.clone(),
        anonymous_allowed: view.summary.seen.record.anonymous_allowed,
        parent_id: view.parent.as_ref().map(|p| p.id.clone()),
        parent: view.parent.map(|p| GroupRef { group_id: p.id, name: p.name }),
        subgroups: view.subgroups.into_iter().map(|s| GroupRef { group_id: s.id, name: s.name }).collect(),
        my_alias: view.summary.seen.my_alias,
        join,
        can_join: join.is_some(),
        role_restricted: view.role_restricted,
        can_read_forum: access.read,
        can_write: access.write,
        can_invite: access.invite,
        can_see_members: access.see_members,
        is_group_moderator: access.membership == Membership::Moderator,
    }
}

/// A group as the caller may see it (404 for a secret group the caller is not in).
#[utoipa::path(
    get,
    path = "/groups/{id}",
    tag = "groups",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The group")),
    responses(
        (status = 200, description = "The group", body = GroupResponse),
        (status = 404, description = "No such group (for the caller)", body = super::ErrorResponse),
    )
)]
pub async fn group(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
) -> Result<Json<GroupResponse>, ApiError> {
    let view = state.kindred.view_group(&auth.tenant.association, &auth.caller, &id).await.map_err(group_error)?;
    Ok(Json(group_body(view)))
}

/// A member in a list: `{alias, role}` in alias groups, else the member.
#[derive(Serialize, ToSchema)]
pub struct MemberEntry {
    #[serde(skip_serializing_if = "Option::is_none")]
    alias: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    member_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pseudonym: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    badge: Option<String>,
    /// member or moderator (absent for requests).
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'static str>,
    /// Requests outside alias groups: when asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    requested_at: Option<DateTime<Utc>>,
}

fn who(who: Who) -> MemberEntry {
    match who {
        Who::Alias(alias) => MemberEntry {
            alias: Some(alias),
            member_id: None,
            pseudonym: None,
            badge: None,
            role: None,
            requested_at: None,
        },
        Who::Member { id, pseudonym, badge } => MemberEntry {
            alias: None,
            member_id: Some(id.to_string()),
            pseudonym: Some(pseudonym),
            badge,
            role: None,
            requested_at: None,
        },
    }
}

#[derive(Serialize, ToSchema)]
pub struct MembersResponse {
    members: Vec<MemberEntry>,
    /// Requests to join; for the group's moderators only.
    #[serde(skip_serializing_if = "Option::is_none")]
    requests: Option<Vec<MemberEntry>>,
}

fn members_body(list: GroupMembers) -> MembersResponse {
    let moderator = list.group.access.membership == Membership::Moderator;
    MembersResponse {
        members: list
            .members
            .into_iter()
            .map(|m| MemberEntry { role: Some(if m.moderator { "moderator" } else { "member" }), ..who(m.who) })
            .collect(),
        requests: moderator.then(|| {
            list.requests.into_iter().map(|r| MemberEntry { requested_at: r.requested_at, ..who(r.who) }).collect()
        }),
    }
}

/// The member list, for those the group's setting allows.
#[utoipa::path(
    get,
    path = "/groups/{id}/members",
    tag = "groups",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The group")),
    responses(
        (status = 200, description = "Members (in alias groups the moderators' aliases only)", body = MembersResponse),
        (status = 403, description = "The list is not for the caller", body = super::ErrorResponse),
        (status = 404, description = "No such group (for the caller)", body = super::ErrorResponse),
    )
)]
pub async fn members(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
) -> Result<Json<MembersResponse>, ApiError> {
    let list = state.kindred.group_members(&auth.tenant.association, &auth.caller, &id).await.map_err(group_error)?;
    Ok(Json(members_body(list)))
}

#[derive(Serialize, ToSchema)]
#[schema(as = GroupMembershipStatus)]
pub struct StatusResponse {
    status: &'static str,
}

/// Joins an open group or accepts an invitation (`member`), or asks to join a closed group (`requested`).
#[utoipa::path(
    post,
    path = "/groups/{id}/join",
    tag = "groups",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The group")),
    responses(
        (status = 200, description = "member or requested", body = StatusResponse),
        (status = 403, description = "Not for the caller (role_restricted: for another member role)", body = super::ErrorResponse),
        (status = 404, description = "No such group (for the caller)", body = super::ErrorResponse),
        (status = 409, description = "Already a member, or already asked", body = super::ErrorResponse),
    )
)]
pub async fn join(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
) -> Result<Json<StatusResponse>, ApiError> {
    let membership =
        state.kindred.join_group(&auth.tenant.association, &auth.caller, &id).await.map_err(group_error)?;
    Ok(Json(StatusResponse { status: membership.as_str() }))
}

/// Leaves the group (or withdraws a request, or declines an invitation).
#[utoipa::path(
    post,
    path = "/groups/{id}/leave",
    tag = "groups",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The group")),
    responses(
        (status = 204, description = "Left"),
        (status = 404, description = "No such group (for the caller)", body = super::ErrorResponse),
        (status = 409, description = "Not in the group, or the last moderator", body = super::ErrorResponse),
    )
)]
pub async fn leave(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    state.kindred.leave_group(&auth.tenant.association, &auth.caller, &id).await.map_err(group_error)?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationBody {
    /// The member invited.
    member_id: String,
}

/// Invites a member (group moderators; any member of an open group).
#[utoipa::path(
    post,
    path = "/groups/{id}/invitations",
    tag = "groups",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The group")),
    request_body = InvitationBody,
    responses(
        (status = 201, description = "Invited", body = StatusResponse),
        (status = 403, description = "The caller may not invite here", body = super::ErrorResponse),
        (status = 404, description = "No such group or member (for the caller)", body = super::ErrorResponse),
        (status = 409, description = "Already in the group, invited or asking", body = super::ErrorResponse),
    )
)]
pub async fn invite(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<InvitationBody>,
) -> Result<Response, ApiError> {
    state
        .kindred
        .invite_to_group(&auth.tenant.association, &auth.caller, &id, &body.member_id)
        .await
        .map_err(group_error)?;
    Ok((StatusCode::CREATED, Json(StatusResponse { status: "invited" })).into_response())
}

/// Declines the invitation the caller holds.
#[utoipa::path(
    post,
    path = "/groups/{id}/invitations/decline",
    tag = "groups",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The group")),
    responses(
        (status = 204, description = "Declined"),
        (status = 404, description = "No such group (for the caller)", body = super::ErrorResponse),
        (status = 409, description = "No invitation", body = super::ErrorResponse),
    )
)]
pub async fn decline_invitation(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    state.kindred.decline_group_invitation(&auth.tenant.association, &auth.caller, &id).await.map_err(group_error)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Approves a request to join (group moderators only). In alias groups
/// the request is named by its alias instead of a member id.
#[utoipa::path(
    post,
    path = "/groups/{id}/requests/{member_id}/approve",
    tag = "groups",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The group"),
        ("member_id" = String, Path, description = "The member who asked (the alias in alias groups)"),
    ),
    responses(
        (status = 200, description = "A member now", body = StatusResponse),
        (status = 403, description = "Not a moderator of the group", body = super::ErrorResponse),
        (status = 404, description = "No such group or request", body = super::ErrorResponse),
    )
)]
pub async fn approve(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id, member)): Path<(String, String, String)>,
) -> Result<Json<StatusResponse>, ApiError> {
    state
        .kindred
        .decide_group_request(&auth.tenant.association, &auth.caller, &id, &member, true)
        .await
        .map_err(group_error)?;
    Ok(Json(StatusResponse { status: "member" }))
}

/// Declines a request to join (group moderators only).
#[utoipa::path(
    post,
    path = "/groups/{id}/requests/{member_id}/decline",
    tag = "groups",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The group"),
        ("member_id" = String, Path, description = "The member who asked (the alias in alias groups)"),
    ),
    responses(
        (status = 200, description = "Declined", body = StatusResponse),
        (status = 403, description = "Not a moderator of the group", body = super::ErrorResponse),
        (status = 404, description = "No such group or request", body = super::ErrorResponse),
    )
)]
pub async fn decline(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id, member)): Path<(String, String, String)>,
) -> Result<Json<StatusResponse>, ApiError> {
    state
        .kindred
        .decide_group_request(&auth.tenant.association, &auth.caller, &id, &member, false)
        .await
        .map_err(group_error)?;
    Ok(Json(StatusResponse { status: "declined" }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModeratorBody {
    /// The member (outside alias groups).
    #[serde(default)]
    member_id: Option<String>,
    /// The member's alias (alias groups).
    #[serde(default)]
    alias: Option<String>,
}

/// Makes a member of the group one of its moderators (group moderators only).
#[utoipa::path(
    post,
    path = "/groups/{id}/moderators",
    tag = "groups",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The group")),
    request_body = ModeratorBody,
    responses(
        (status = 200, description = "A moderator now", body = StatusResponse),
        (status = 403, description = "Not a moderator of the group", body = super::ErrorResponse),
        (status = 404, description = "No such group or member of it", body = super::ErrorResponse),
        (status = 422, description = "Neither or both of member_id and alias", body = super::ErrorResponse),
    )
)]
pub async fn add_moderator(
    State(state): State<AppState>,
    Community(auth): Community,
    Path((_slug, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<ModeratorBody>,
) -> Result<Json<StatusResponse>, ApiError> {
    let who = match (body.member_id, body.alias) {
        (Some(who), None) | (None, Some(who)) => who,
        _ => {
            return Err(ApiError::invalid(
                "invalid_fields",
                "Some fields are invalid.",
                BTreeMap::from([("member_id".to_owned(), "give either member_id or alias".to_owned())]),
            ))
        }
    };
    state.kindred.add_group_moderator(&auth.tenant.association, &auth.caller, &id, &who).await.map_err(group_error)?;
    Ok(Json(StatusResponse { status: "moderator" }))
}
