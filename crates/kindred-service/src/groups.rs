//! service::groups — groups: creating, finding, joining, inviting, member
//! lists and aliases. Every path to a group goes through `group_access`,
//! which asks `kindred_domain::groups::group_sight`; a group the caller may
//! not see is `GroupError::NotFound`, exactly like an id never used.
//!
//! Lists of groups (search, subgroups) apply the same rule: search in SQL
//! (`store::search_groups`: a secret group only for its members and
//! invitees), subgroups through `group_sight` one by one.
//!
//! Alias groups: a member's alias is drawn at random when they join, ask
//! to join or accept an invitation (`kindred_domain::alias`), kept when
//! they leave, and is all that any list, answer or error inside the group
//! shows of them — to everyone, staff included. Where an answer could
//! tell whether a given member is in an alias group (an invitation to
//! someone already in it), it is the same as for anyone else. Nothing
//! shows an arrival: the member list names only the moderators, no
//! member count is shown, and the last moderator may not leave whether or
//! not others remain. A subgroup of an alias group is always one itself (the
//! threat model: docs/alias-groups.md).

use crate::cursor::CursorList;
use crate::members::{caller_party, party, MemberError};
use crate::notifications::about_group;
use crate::sessions::Caller;
use crate::{Association, Kindred};
use chrono::{DateTime, Datelike, Utc};
use data_encoding::BASE64URL_NOPAD;
use kindred_domain::counts::{shown_count, ShownCount};
use kindred_domain::disclosure::{self, Relation, Sight};
use kindred_domain::groups::{
    group_sight, role_fits, ForumPlace, GroupAccess, GroupFacts, GroupMode, GroupSight, GroupVisibility, Joining,
    MemberListVisibility, Membership,
};
use kindred_domain::search::{MemberQuery, QueryProblem, RawMemberQuery};
use kindred_domain::settings::{Code, Creators};
use kindred_domain::text::{self, Lines};
use kindred_domain::{alias, AccountRole, GroupId, Language, MemberId};
use kindred_store::{Conflict, GroupRecord, GroupSearch, MembershipChange, MembershipRecord, NewGroup, StoreError};
use std::collections::HashMap;

#[derive(Debug, thiserror::Error)]
pub enum GroupError {
    /// No such group, or one the caller may not learn exists.
    #[error("no such group")]
    NotFound,
    /// The caller sees the group but may not do this.
    #[error("not allowed in this group")]
    Forbidden,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A group the caller may see, with what they may do and their alias there.
#[derive(Debug, Clone)]
pub struct SeenGroup {
    pub id: GroupId,
    pub record: GroupRecord,
    pub access: GroupAccess,
    /// The caller's alias in an alias group (members only).
    pub my_alias: Option<String>,
    /// What `group_sight` decided from (`role_fits`: whether the caller
    /// holds the role the group is restricted to).
    pub facts: GroupFacts,
}

impl SeenGroup {
    /// The group as a place of the forum, for `move_keeps_authors`.
    pub fn forum_place(&self) -> ForumPlace<'_> {
        ForumPlace::Group { id: self.id.as_str(), facts: self.facts, alias_mode: self.record.alias_mode }
    }
}

impl Kindred {
    /// The group as the caller may see it. Unparseable ids, unknown ids and
    /// groups the caller may not see all end in the same `NotFound`.
    pub async fn group_access(
        &self,
        association: &Association,
        caller: &Caller,
        group: &str,
    ) -> Result<SeenGroup, GroupError> {
        self.group_access_all(association, &[caller], group).await?.pop().unwrap_or(Err(GroupError::NotFound))
    }

    /// [`Kindred::group_access`] for several callers at once (a live event
    /// for the sockets of a node): one answer per caller, in order, by the
    /// same rule (`seen_group`), in at most two reads whatever their number.
    pub async fn group_access_all(
        &self,
        association: &Association,
        callers: &[&Caller],
        group: &str,
    ) -> Result<Vec<Result<SeenGroup, GroupError>>, StoreError> {
        let not_found = || callers.iter().map(|_| Err(GroupError::NotFound)).collect();
        let Some(id) = GroupId::parse(group) else { return Ok(not_found()) };
        let members: Vec<MemberId> = callers.iter().map(|c| c.member.id.clone()).collect();
        let Some((record, rows)) = self.store.group_with_memberships(&association.id, id.as_str(), &members).await?
        else {
            return Ok(not_found());
        };
        let mut rows: HashMap<String, MembershipRecord> = rows.into_iter().collect();
        let held: HashMap<String, String> = match &record.role_restriction {
            None => HashMap::new(),
            Some(_) => self.store.profile_roles(&association.id, &members).await?.into_iter().collect(),
        };
        let mut seen = Vec::with_capacity(callers.len());
        for caller in callers {
            let key = caller.member.id.as_str();
            // Every caller is a member of the association: a missing row is
            // a member erased meanwhile, who sees nothing.
            let Some(membership) = rows.remove(key) else {
                seen.push(Err(GroupError::NotFound));
                continue;
            };
            let decided =
                seen_group(id.clone(), record.clone(), membership, caller, held.get(key).map(String::as_str))?;
            seen.push(decided.ok_or(GroupError::NotFound));
        }
        Ok(seen)
    }

    /// The ids of the groups whose forum the caller may read (a member of
    /// it; any open group; closed groups for association staff) — the
    /// `read` of `group_sight`, for listing and searching topics across
    /// groups without asking `group_access` once per group.
    pub async fn readable_group_ids(
        &self,
        association: &Association,
        caller: &Caller,
    ) -> Result<Vec<String>, GroupError> {
        Ok(self.store.readable_group_ids(&association.id, &caller.member.id, reads_closed_groups(caller)).await?)
    }
}

/// Whether the caller reads the forums of closed groups they are not in
/// (association staff): the `staff` of `readable_group_ids`, and of the
/// unread counts of many members at once (`service::live`).
pub(crate) fn reads_closed_groups(caller: &Caller) -> bool {
    matches!(caller.member.role, AccountRole::Moderator | AccountRole::Admin)
}

/// How many of their groups a member's home page lists.
const MY_GROUPS_SHOWN: i64 = 50;

/// The decision of `group_sight` for one stored group; `None` when the
/// group does not exist for the caller. `held_role` is the caller's profile
/// role (read only where a group is restricted to one); whether it counts is
/// `groups::role_fits`'s to say (a professional is one by account role).
fn seen_group(
    id: GroupId,
    record: GroupRecord,
    membership_row: MembershipRecord,
    caller: &Caller,
    held_role: Option<&str>,
) -> Result<Option<SeenGroup>, StoreError> {
    let membership = Membership::from_stored(membership_row.status.as_deref(), membership_row.role.as_deref());
    let role_fits =
        record.role_restriction.as_deref().map(|required| role_fits(required, caller.member.role, held_role));
    let facts = GroupFacts {
        visibility: GroupVisibility::parse(&record.visibility)
            .ok_or_else(|| StoreError::Corrupt(format!("group visibility {}", record.visibility)))?,
        member_list: MemberListVisibility::parse(&record.member_list)
            .ok_or_else(|| StoreError::Corrupt(format!("group member list {}", record.member_list)))?,
        role_fits,
        alias_mode: record.alias_mode,
    };
    Ok(match group_sight(&facts, caller.member.role, membership) {
        GroupSight::Nothing => None,
        GroupSight::Visible(access) => {
            let my_alias = if membership.is_member() { membership_row.alias } else { None };
            Some(SeenGroup { id, record, access, my_alias, facts })
        }
    })
}

/// Results per page of a group search.
pub const PAGE_SIZE: usize = 20;
/// Bounds of a group's name and description, in characters.
pub const NAME_CHARS: std::ops::RangeInclusive<usize> = 3..=80;
pub const MAX_DESCRIPTION: usize = 4000;
/// Catalogue tags of one kind per group at most.
pub const MAX_TAGS: usize = 20;
/// Draws of an alias before giving up (a collision is rare: ~225,000 choices).
const ALIAS_DRAWS: usize = 20;

/// Why a group action cannot be done, where the caller may know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupConflict {
    AlreadyMember,
    AlreadyRequested,
    AlreadyInvited,
    RequestPending,
    NotMember,
    NotInvited,
    LastModerator,
    /// The last moderator of an alias group, whether or not others remain.
    LastAliasModerator,
}

impl GroupConflict {
    pub fn code(self) -> &'static str {
        match self {
            Self::AlreadyMember => "already_member",
            Self::AlreadyRequested => "already_requested",
            Self::AlreadyInvited => "already_invited",
            Self::RequestPending => "request_pending",
            Self::NotMember => "not_member",
            Self::NotInvited => "not_invited",
            Self::LastModerator | Self::LastAliasModerator => "last_moderator",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Self::AlreadyMember => "Already a member of this group.",
            Self::AlreadyRequested => "The request to join waits for a group moderator.",
            Self::AlreadyInvited => "This member is invited already.",
            Self::RequestPending => "This member has asked to join; approve the request instead.",
            Self::NotMember => "You are not in this group.",
            Self::NotInvited => "There is no invitation to answer.",
            Self::LastModerator => {
                "The last moderator cannot leave while others remain; make someone else a moderator first."
            }
            Self::LastAliasModerator => {
                "The last moderator of an alias group cannot leave, whether or not others remain (the answer would \
                 tell whether an invitation was accepted); make someone else a moderator first."
            }
        }
    }
}

/// The errors of the group use cases (the gate's `GroupError` and more).
#[derive(Debug, thiserror::Error)]
pub enum GroupActionError {
    #[error("no such group")]
    NotFound,
    #[error("not allowed in this group")]
    Forbidden,
    #[error("the group is for another member role")]
    RoleRestricted,
    #[error("{}", .0.message())]
    Conflict(GroupConflict),
    #[error("some fields are invalid")]
    Invalid(Vec<(&'static str, &'static str)>),
    #[error("invalid search")]
    InvalidQuery(Vec<(&'static str, QueryProblem)>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<GroupError> for GroupActionError {
    fn from(error: GroupError) -> Self {
        match error {
            GroupError::NotFound => Self::NotFound,
            GroupError::Forbidden => Self::Forbidden,
            GroupError::Store(e) => Self::Store(e),
        }
    }
}

impl From<MemberError> for GroupActionError {
    fn from(error: MemberError) -> Self {
        match error {
            MemberError::NotFound | MemberError::Invalid(_) => Self::NotFound,
            MemberError::Store(e) => Self::Store(e),
            other => Self::Store(StoreError::Corrupt(other.to_string())),
        }
    }
}

/// A new group as asked for, unchecked.
#[derive(Debug, Clone, Default)]
pub struct GroupInput {
    pub name: String,
    pub description: String,
    pub visibility: String,
    /// Empty: "members".
    pub member_list: String,
    pub alias_mode: bool,
    pub conditions: Vec<String>,
    pub therapies: Vec<String>,
    pub medications: Vec<String>,
    pub region: Option<String>,
    pub parent_id: Option<String>,
    pub role_restriction: Option<String>,
    /// Empty or absent: online.
    pub mode: Option<String>,
    pub anonymous_allowed: bool,
}

/// The parameters of a group search as they came.
#[derive(Debug, Clone, Default)]
pub struct RawGroupQuery {
    pub q: Option<String>,
    pub condition: Option<String>,
    pub therapy: Option<String>,
    pub region: Option<String>,
    pub cursor: Option<String>,
}

impl RawGroupQuery {
    /// From query-string pairs: the last of a repeated parameter counts, others are ignored.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> RawGroupQuery {
        let mut raw = RawGroupQuery::default();
        for (name, value) in pairs {
            let slot = match name {
                "q" => &mut raw.q,
                "condition" => &mut raw.condition,
                "therapy" => &mut raw.therapy,
                "region" => &mut raw.region,
                "cursor" => &mut raw.cursor,
                _ => continue,
            };
            *slot = Some(value.to_owned());
        }
        raw
    }
}

/// Where a page of groups ended: the last name key and id shown (opaque to clients).
fn encode_cursor(name_key: &str, id: &str) -> String {
    BASE64URL_NOPAD.encode(format!("{name_key}\u{0}{id}").as_bytes())
}

fn decode_cursor(raw: &str) -> Option<(String, String)> {
    if raw.len() > 2000 {
        return None;
    }
    let bytes = BASE64URL_NOPAD.decode(raw.as_bytes()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (key, id) = text.split_once('\u{0}')?;
    let id = GroupId::parse(id)?;
    if key.chars().any(kindred_domain::text::is_never_accepted) {
        return None;
    }
    Some((key.to_owned(), id.to_string()))
}

/// A group in a list, as the caller may see it.
#[derive(Debug, Clone)]
pub struct GroupSummary {
    pub seen: SeenGroup,
    pub conditions: Vec<String>,
    pub therapies: Vec<String>,
    pub medications: Vec<String>,
    /// As `counts::shown_count` lets the caller see it (exactly: the group's moderators).
    pub member_count: ShownCount,
}

#[derive(Debug, Clone)]
pub struct GroupPage {
    pub results: Vec<GroupSummary>,
    pub next_cursor: Option<String>,
}

/// Another group named on a group's page (parent, subgroups).
#[derive(Debug, Clone)]
pub struct GroupLink {
    pub id: String,
    pub name: String,
}

/// One group as the caller may see it.
#[derive(Debug, Clone)]
pub struct GroupView {
    pub summary: GroupSummary,
    /// The parent, when the caller may see it.
    pub parent: Option<GroupLink>,
    /// The subgroups the caller may see.
    pub subgroups: Vec<GroupLink>,
    /// The group is for a member role the caller does not hold.
    pub role_restricted: bool,
}

/// Who someone is inside a group: an alias in alias groups, else the member.
#[derive(Debug, Clone)]
pub enum Who {
    Alias(String),
    Member { id: MemberId, pseudonym: String, badge: Option<String> },
}

#[derive(Debug, Clone)]
pub struct ListedMember {
    pub who: Who,
    pub moderator: bool,
}

#[derive(Debug, Clone)]
pub struct ListedRequest {
    pub who: Who,
    /// Not in alias groups (a time could link an alias to a person).
    pub requested_at: Option<DateTime<Utc>>,
}

/// A group's member list as the caller may see it.
#[derive(Debug, Clone)]
pub struct GroupMembers {
    pub group: SeenGroup,
    pub members: Vec<ListedMember>,
    /// Requests to join, for the group's moderators only.
    pub requests: Vec<ListedRequest>,
}

/// A group's number of members as the caller may see it: the one rule for
/// counts (`counts::shown_count`) with the sight `group_sight` gave.
fn member_count(association: &Association, seen: &SeenGroup) -> ShownCount {
    let threshold = association.settings.policies.count_threshold;
    shown_count(i64::from(seen.record.member_count), threshold, seen.access.member_count)
}

fn tags_of(tags: &[(String, String, String)], group: &str, kind: &str) -> Vec<String> {
    tags.iter().filter(|(g, k, _)| g == group && k == kind).map(|(_, _, c)| c.clone()).collect()
}

fn printable(text: &str, multiline: bool) -> bool {
    let lines = if multiline { Lines::Many } else { Lines::One };
    text::problem(text, lines).is_none()
}

impl Kindred {
    /// Whether the caller may create groups (`policies.group_creation`).
    pub fn may_create_groups(&self, association: &Association, caller: &Caller) -> bool {
        match association.settings.policies.group_creation {
            Creators::Members => true,
            Creators::Moderators => matches!(caller.member.role, AccountRole::Moderator | AccountRole::Admin),
            Creators::Admins => caller.member.role == AccountRole::Admin,
        }
    }

    /// Creates a group; the creator is its first member and moderator.
    /// Every field is checked first, all problems at once; nothing is
    /// written unless all is well. A subgroup of an alias group is an
    /// alias group, even where `alias_mode` was not asked for.
    pub async fn create_group(
        &self,
        association: &Association,
        caller: &Caller,
        input: &GroupInput,
    ) -> Result<GroupId, GroupActionError> {
        if !self.may_create_groups(association, caller) {
            return Err(GroupActionError::Forbidden);
        }
        let catalog = &association.settings.catalog;
        let mut problems: Vec<(&'static str, &'static str)> = Vec::new();
        let name = input.name.trim();
        if !NAME_CHARS.contains(&name.chars().count()) {
            problems.push(("name", "must be 3 to 80 characters"));
        } else if !printable(name, false) {
            problems.push(("name", "must be one line without control or text-direction override characters"));
        }
        let description = input.description.trim();
        if description.chars().count() > MAX_DESCRIPTION {
            problems.push(("description", "must be at most 4000 characters"));
        } else if !printable(description, true) {
            problems.push(("description", "must not contain control or text-direction override characters"));
        }
        let visibility = GroupVisibility::parse(input.visibility.trim());
        if visibility.is_none() {
            problems.push(("visibility", "must be open, closed or secret"));
        }
        let member_list = match input.member_list.trim() {
            "" => Some(MemberListVisibility::Members),
            raw => MemberListVisibility::parse(raw),
        };
        if member_list.is_none() {
            problems.push(("member_list", "must be members, group or moderators"));
        }
        let mode = match input.mode.as_deref().map(str::trim).unwrap_or("") {
            "" => Some(GroupMode::Online),
            raw => GroupMode::parse(raw),
        };
        if mode.is_none() {
            problems.push(("mode", "must be online or local"));
        }
        // A new group is tagged only with codes that may be chosen anew: a
        // retired code stays on what has it, as in profiles.
        let names = |codes: &mut dyn Iterator<Item = (&Code, bool)>| {
            codes.filter(|(_, retired)| !retired).map(|(c, _)| c.as_str().to_owned()).collect::<Vec<_>>()
        };
        let known_conditions = names(&mut catalog.conditions.iter().map(|c| (&c.code, c.retired)));
        let known_therapies = names(&mut catalog.therapies.iter().map(|c| (&c.code, c.retired)));
        let known_medications = names(&mut catalog.medications.iter().map(|c| (&c.code, c.retired)));
        let known_regions = names(&mut catalog.regions.iter().map(|c| (&c.code, c.retired)));
        let known_roles = names(&mut catalog.roles.iter().map(|c| (&c.code, c.retired)));
        let mut codes = |field: &'static str, raw: &[String], known: &[String]| {
            let mut out: Vec<String> = Vec::new();
            if raw.len() > MAX_TAGS {
                problems.push((field, "may hold at most 20 codes"));
                return out;
            }
            for code in raw {
                let code = code.trim();
                if !known.iter().any(|k| k == code) {
                    problems.push((field, "contains a code that is not in the association's catalogue"));
                    return Vec::new();
                }
                if !out.iter().any(|c| c == code) {
                    out.push(code.to_owned());
                }
            }
            out
        };
        let conditions = codes("conditions", &input.conditions, &known_conditions);
        let therapies = codes("therapies", &input.therapies, &known_therapies);
        let medications = codes("medications", &input.medications, &known_medications);
        let one_code = |raw: &Option<String>, known: &[String]| -> Result<Option<String>, ()> {
            match raw.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
                None => Ok(None),
                Some(code) if known.iter().any(|k| k == code) => Ok(Some(code.to_owned())),
                Some(_) => Err(()),
            }
        };
        let region = one_code(&input.region, &known_regions).unwrap_or_else(|()| {
            problems.push(("region", "is not in the association's catalogue"));
            None
        });
        let role_restriction = one_code(&input.role_restriction, &known_roles).unwrap_or_else(|()| {
            problems.push(("role_restriction", "is not a member role of the association"));
            None
        });
        let parent = input.parent_id.as_deref().map(str::trim).filter(|p| !p.is_empty());
        let (Some(visibility), Some(member_list), Some(mode), true) =
            (visibility, member_list, mode, problems.is_empty())
        else {
            return Err(GroupActionError::Invalid(problems));
        };
        let mut alias_mode = input.alias_mode;
        if let Some(parent) = parent {
            let seen = self.group_access(association, caller, parent).await?;
            if !seen.access.moderate {
                return Err(GroupActionError::Forbidden);
            }
            // A subgroup of an alias group is one too, whatever was asked:
            // its creator moderates the parent, so a subgroup naming them
            // by pseudonym under the parent's name would tie that pseudonym
            // to their alias there. Alias mode never changes after this.
            alias_mode |= seen.record.alias_mode;
        }
        let id = GroupId::random();
        let creator_alias = alias_mode.then(|| alias::generate(member_language(association, caller)));
        let creator_key = creator_alias.as_deref().map(alias::key);
        let mut tags: Vec<(&str, &str)> = Vec::new();
        tags.extend(conditions.iter().map(|c| ("condition", c.as_str())));
        tags.extend(therapies.iter().map(|c| ("therapy", c.as_str())));
        tags.extend(medications.iter().map(|c| ("medication", c.as_str())));
        let name_key = name.to_lowercase();
        self.store
            .create_group(&NewGroup {
                association: &association.id,
                id: id.as_str(),
                parent_id: parent,
                name,
                name_key: &name_key,
                description,
                visibility: visibility.as_str(),
                member_list: member_list.as_str(),
                alias_mode,
                role_restriction: role_restriction.as_deref(),
                region: region.as_deref(),
                mode: mode.as_str(),
                anonymous_allowed: input.anonymous_allowed,
                created_by: &caller.member.id,
                created_at: self.clock.now(),
                tags,
                creator_alias: creator_alias.as_deref().zip(creator_key.as_deref()),
            })
            .await?;
        Ok(id)
    }

    /// Groups by words of name and description, tags and region, 20 at a
    /// time in name order. Secret groups only for their members and invitees.
    pub async fn search_groups(
        &self,
        association: &Association,
        caller: &Caller,
        raw: &RawGroupQuery,
    ) -> Result<GroupPage, GroupActionError> {
        let as_member_query = RawMemberQuery {
            q: raw.q.clone(),
            condition: raw.condition.clone(),
            therapy: raw.therapy.clone(),
            region: raw.region.clone(),
            ..Default::default()
        };
        let parsed = MemberQuery::parse(&as_member_query, &association.settings.catalog, self.clock.now().year());
        let cursor = match raw.cursor.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            None => Ok(None),
            Some(c) => self
                .open_cursor(association, CursorList::Groups, c)
                .and_then(|payload| decode_cursor(&payload))
                .map(Some)
                .ok_or(("cursor", QueryProblem::BadCursor)),
        };
        let (query, after) = match (parsed, cursor) {
            (Ok(query), Ok(after)) => (query, after),
            (parsed, cursor) => {
                let mut problems = parsed.err().unwrap_or_default();
                problems.extend(cursor.err());
                return Err(GroupActionError::InvalidQuery(problems));
            }
        };
        let search = GroupSearch {
            association: &association.id,
            viewer: &caller.member.id,
            words: query.words.clone(),
            condition: query.condition.as_ref().map(Code::as_str),
            therapy: query.therapy.as_ref().map(Code::as_str),
            region: query.region.as_ref().map(Code::as_str),
            after,
            limit: i64::try_from(PAGE_SIZE + 1).unwrap_or(21),
        };
        let mut found = self.store.search_groups(&search).await?;
        let more = found.len() > PAGE_SIZE;
        found.truncate(PAGE_SIZE);
        let next_cursor = if more {
            found.last().and_then(|(g, _)| {
                self.seal_cursor(association, CursorList::Groups, &encode_cursor(&g.name.to_lowercase(), &g.id))
            })
        } else {
            None
        };
        let results = self.summaries(association, caller, found).await?;
        Ok(GroupPage { results, next_cursor })
    }

    /// The groups the caller belongs to, in name order (for their home page).
    pub async fn my_groups(
        &self,
        association: &Association,
        caller: &Caller,
    ) -> Result<Vec<GroupSummary>, GroupActionError> {
        let found = self.store.member_groups(&association.id, &caller.member.id, MY_GROUPS_SHOWN).await?;
        self.summaries(association, caller, found).await
    }

    /// Stored groups cut to what the caller may see, with their tags.
    async fn summaries(
        &self,
        association: &Association,
        caller: &Caller,
        found: Vec<(GroupRecord, MembershipRecord)>,
    ) -> Result<Vec<GroupSummary>, GroupActionError> {
        let held = if found.iter().any(|(g, _)| g.role_restriction.is_some()) {
            self.store.profile_role(&association.id, &caller.member.id).await?
        } else {
            None
        };
        let ids: Vec<&str> = found.iter().map(|(g, _)| g.id.as_str()).collect();
        let tags = self.store.group_tags_of(&association.id, &ids).await?;
        let mut results = Vec::with_capacity(found.len());
        for (record, row) in found {
            let id = GroupId::from_trusted(record.id.clone());
            let Some(seen) = seen_group(id, record, row, caller, held.as_deref())? else { continue };
            let gid = seen.id.as_str();
            results.push(GroupSummary {
                conditions: tags_of(&tags, gid, "condition"),
                therapies: tags_of(&tags, gid, "therapy"),
                medications: tags_of(&tags, gid, "medication"),
                member_count: member_count(association, &seen),
                seen,
            });
        }
        Ok(results)
    }

    /// One group as the caller may see it: tags, the parent and the
    /// subgroups they may see, where they stand.
    pub async fn view_group(
        &self,
        association: &Association,
        caller: &Caller,
        group: &str,
    ) -> Result<GroupView, GroupActionError> {
        let seen = self.group_access(association, caller, group).await?;
        let parent = match seen.record.parent_id.as_deref() {
            None => None,
            Some(parent) => match self.group_access(association, caller, parent).await {
                Ok(p) => Some(GroupLink { id: p.id.to_string(), name: p.record.name }),
                Err(GroupError::NotFound) | Err(GroupError::Forbidden) => None,
                Err(GroupError::Store(e)) => return Err(e.into()),
            },
        };
        let subs = self.store.subgroups(&association.id, seen.id.as_str(), &caller.member.id).await?;
        let role_restricted = seen.facts.role_fits == Some(false);
        let subgroups = self
            .summaries(association, caller, subs)
            .await?
            .into_iter()
            .map(|s| GroupLink { id: s.seen.id.to_string(), name: s.seen.record.name })
            .collect();
        let tags = self.store.group_tags_of(&association.id, &[seen.id.as_str()]).await?;
        let gid = seen.id.to_string();
        let summary = GroupSummary {
            conditions: tags_of(&tags, &gid, "condition"),
            therapies: tags_of(&tags, &gid, "therapy"),
            medications: tags_of(&tags, &gid, "medication"),
            member_count: member_count(association, &seen),
            seen,
        };
        Ok(GroupView { summary, parent, subgroups, role_restricted })
    }

    /// The member list, for those the group's setting allows (403 for the
    /// others who see the group). In alias groups only the moderators'
    /// aliases; elsewhere members the caller may not see (blocks, inactive)
    /// are left out.
    /// The group's moderators also get the requests to join.
    pub async fn group_members(
        &self,
        association: &Association,
        caller: &Caller,
        group: &str,
    ) -> Result<GroupMembers, GroupActionError> {
        let seen = self.group_access(association, caller, group).await?;
        if !seen.access.see_members {
            return Err(GroupActionError::Forbidden);
        }
        let moderator = seen.access.membership == Membership::Moderator;
        let mut rows = self.store.group_member_rows(&association.id, seen.id.as_str(), &caller.member.id).await?;
        let mut members = Vec::new();
        let mut requests = Vec::new();
        if seen.record.alias_mode {
            // Only the group's moderators, by alias, in alias order — to
            // everyone, moderators too: a list of every alias would show a
            // new one right after an invitation was accepted, and so whose
            // it is to the inviter (docs/alias-groups.md). Nobody is left
            // out for a block or a suspension: that would tell who they are.
            rows.sort_by(|a, b| a.alias_key.cmp(&b.alias_key));
            for row in rows {
                let Some(alias) = row.alias else { continue };
                match row.status.as_str() {
                    "member" if row.group_role == "moderator" => {
                        members.push(ListedMember { who: Who::Alias(alias), moderator: true })
                    }
                    "requested" if moderator => {
                        requests.push(ListedRequest { who: Who::Alias(alias), requested_at: None })
                    }
                    _ => {}
                }
            }
        } else {
            rows.sort_by(|a, b| a.pseudonym_key.cmp(&b.pseudonym_key));
            for row in rows {
                let id = MemberId::from_trusted(row.member_id.clone());
                let sight = disclosure::sight(
                    &caller_party(caller),
                    &party(&id, &row.account_role, &row.account_status),
                    Relation { granted_to_viewer: None, blocked: row.blocked },
                );
                if sight == Sight::Nothing {
                    continue;
                }
                let who = Who::Member { id, pseudonym: row.pseudonym, badge: row.badge };
                match row.status.as_str() {
                    "member" => members.push(ListedMember { who, moderator: row.group_role == "moderator" }),
                    "requested" if moderator => {
                        requests.push(ListedRequest { who, requested_at: Some(row.updated_at) })
                    }
                    _ => {}
                }
            }
        }
        Ok(GroupMembers { group: seen, members, requests })
    }

    /// Changes the caller's or another member's row; with `draw_alias`, the
    /// member's language, draws an alias in that language in alias groups
    /// (again on a collision). Only a row without one needs it.
    async fn move_member(
        &self,
        association: &Association,
        seen: &SeenGroup,
        member: &str,
        from: Option<&str>,
        to: &str,
        draw_alias: Option<Language>,
    ) -> Result<bool, GroupActionError> {
        for _ in 0..ALIAS_DRAWS {
            let drawn = draw_alias.filter(|_| seen.record.alias_mode).map(alias::generate);
            let key = drawn.as_deref().map(alias::key);
            let change = MembershipChange {
                association: &association.id,
                group: seen.id.as_str(),
                member,
                from,
                to,
                // A request, an invitation or joining: always as a plain member.
                role: "member",
                alias: drawn.as_deref().zip(key.as_deref()),
                at: self.clock.now(),
            };
            match self.store.change_membership(&change).await {
                Err(StoreError::Conflict(Conflict::Other)) if drawn.is_some() => continue,
                other => return Ok(other?),
            }
        }
        Err(StoreError::Corrupt("no free alias in the group".into()).into())
    }

    /// Joins (open group, or accepting an invitation) or asks to join (closed group).
    pub async fn join_group(
        &self,
        association: &Association,
        caller: &Caller,
        group: &str,
    ) -> Result<Membership, GroupActionError> {
        let seen = self.group_access(association, caller, group).await?;
        let me = caller.member.id.as_str();
        let row = self.store.membership_of(&association.id, seen.id.as_str(), me).await?;
        let current = row.as_ref().and_then(|r| r.status.clone());
        let needs_alias = row.as_ref().is_none_or(|r| r.alias.is_none());
        let (to, result) = match seen.access.join {
            Joining::Direct | Joining::AcceptInvitation => ("member", Membership::Member),
            Joining::OnRequest => ("requested", Membership::Requested),
            Joining::No => {
                return Err(match seen.access.membership {
                    Membership::Member | Membership::Moderator => {
                        GroupActionError::Conflict(GroupConflict::AlreadyMember)
                    }
                    Membership::Requested => GroupActionError::Conflict(GroupConflict::AlreadyRequested),
                    _ if seen.record.role_restriction.is_some() => GroupActionError::RoleRestricted,
                    _ => GroupActionError::Forbidden,
                })
            }
        };
        let draw_alias = needs_alias.then(|| member_language(association, caller));
        if !self.move_member(association, &seen, me, current.as_deref(), to, draw_alias).await? {
            return Err(GroupActionError::Conflict(GroupConflict::AlreadyMember));
        }
        if to == "requested" {
            self.tell_group_moderators(association, &seen, &caller.member.id).await?;
        }
        Ok(result)
    }

    /// A join request reaches the group's moderators; in a group that shows
    /// pseudonyms not those in a block with the asker (in an alias group a
    /// block is never consulted: the asker is not named, and a missing
    /// notification would tell who asked).
    async fn tell_group_moderators(
        &self,
        association: &Association,
        seen: &SeenGroup,
        asker: &MemberId,
    ) -> Result<(), GroupActionError> {
        let now = self.clock.now();
        let mut rows = Vec::new();
        for moderator in self.store.group_moderator_ids(&association.id, seen.id.as_str()).await? {
            let id = MemberId::from_trusted(moderator.clone());
            if id == *asker {
                continue;
            }
            if !seen.record.alias_mode && self.store.relation(&association.id, asker, &id).await?.blocked {
                continue;
            }
            rows.push(about_group(&moderator, "group_join_request", seen.id.as_str(), now));
        }
        self.notify_about(association, rows).await;
        Ok(())
    }

    /// Leaves a group, withdraws a request or declines an invitation. The
    /// last moderator cannot leave while other members remain — in an alias
    /// group not at all, since the answer would tell whether anyone else is
    /// there.
    pub async fn leave_group(
        &self,
        association: &Association,
        caller: &Caller,
        group: &str,
    ) -> Result<(), GroupActionError> {
        let seen = self.group_access(association, caller, group).await?;
        let from = match seen.access.membership {
            Membership::Moderator => {
                let (members, moderators) = self.store.group_headcount(&association.id, seen.id.as_str()).await?;
                if moderators <= 1 && seen.record.alias_mode {
                    // Whether others remain would tell the inviter that an
                    // invitation was accepted: in an alias group the last
                    // moderator stays, alone or not.
                    return Err(GroupActionError::Conflict(GroupConflict::LastAliasModerator));
                }
                if moderators <= 1 && members > 1 {
                    return Err(GroupActionError::Conflict(GroupConflict::LastModerator));
                }
                "member"
            }
            Membership::Member => "member",
            Membership::Requested => "requested",
            Membership::Invited => "invited",
            Membership::Outside => return Err(GroupActionError::Conflict(GroupConflict::NotMember)),
        };
        let me = caller.member.id.as_str();
        if !self.move_member(association, &seen, me, Some(from), "left", None).await? {
            return Err(GroupActionError::Conflict(GroupConflict::NotMember));
        }
        if from == "member" {
            self.give_up_group_places(association, seen.id.as_str(), &caller.member.id).await?;
            if let Some(chat) = self.store.group_conversation(&association.id, seen.id.as_str()).await? {
                self.leave_calls_in(association, &caller.member.id, &chat).await?;
            }
        }
        Ok(())
    }

    /// Declines an invitation to the group.
    pub async fn decline_group_invitation(
        &self,
        association: &Association,
        caller: &Caller,
        group: &str,
    ) -> Result<(), GroupActionError> {
        let seen = self.group_access(association, caller, group).await?;
        if seen.access.membership != Membership::Invited {
            return Err(GroupActionError::Conflict(GroupConflict::NotInvited));
        }
        let me = caller.member.id.as_str();
        if !self.move_member(association, &seen, me, Some("invited"), "left", None).await? {
            return Err(GroupActionError::Conflict(GroupConflict::NotInvited));
        }
        Ok(())
    }

    /// Invites a member the caller may see (404 for anyone else). Only
    /// where the caller sees the member list, and not in alias groups, does
    /// the answer tell that the member is in the group already. The work is
    /// the same whoever the invitee is: one read of their row and one write
    /// (`store::invite_member`), so the time does not tell either.
    pub async fn invite_to_group(
        &self,
        association: &Association,
        caller: &Caller,
        group: &str,
        member: &str,
    ) -> Result<(), GroupActionError> {
        let seen = self.group_access(association, caller, group).await?;
        if !seen.access.invite {
            return Err(GroupActionError::Forbidden);
        }
        let (invitee, _, _, _) = self.sight_of(association, caller, member).await?;
        let may_tell = seen.access.see_members && !seen.record.alias_mode;
        let row = self.store.membership_of(&association.id, seen.id.as_str(), invitee.as_str()).await?;
        self.store.invite_member(&association.id, seen.id.as_str(), invitee.as_str(), self.clock.now()).await?;
        let conflict = match row.and_then(|r| r.status).as_deref() {
            Some("member") => Some(GroupConflict::AlreadyMember),
            Some("invited") => Some(GroupConflict::AlreadyInvited),
            Some("requested") => Some(GroupConflict::RequestPending),
            _ => None,
        };
        if conflict.is_none() {
            let told = about_group(invitee.as_str(), "group_invitation", seen.id.as_str(), self.clock.now());
            self.notify_about(association, vec![told]).await;
        }
        match conflict {
            Some(conflict) if may_tell => Err(GroupActionError::Conflict(conflict)),
            _ => Ok(()),
        }
    }

    /// The member meant by `who` in a group: an alias in alias groups, a
    /// member id elsewhere; `NotFound` when none.
    async fn member_in(
        &self,
        association: &Association,
        caller: &Caller,
        seen: &SeenGroup,
        who: &str,
    ) -> Result<String, GroupActionError> {
        if seen.record.alias_mode {
            let key = alias::key(who);
            return self
                .store
                .member_by_alias(&association.id, seen.id.as_str(), &key)
                .await?
                .ok_or(GroupActionError::NotFound);
        }
        let (id, _, _, _) = self.sight_of(association, caller, who).await?;
        Ok(id.to_string())
    }

    /// Approves (or declines) a request to join; group moderators only.
    pub async fn decide_group_request(
        &self,
        association: &Association,
        caller: &Caller,
        group: &str,
        who: &str,
        approve: bool,
    ) -> Result<(), GroupActionError> {
        let seen = self.group_access(association, caller, group).await?;
        if seen.access.membership != Membership::Moderator {
            return Err(GroupActionError::Forbidden);
        }
        let member = self.member_in(association, caller, &seen, who).await?;
        let to = if approve { "member" } else { "left" };
        if !self.move_member(association, &seen, &member, Some("requested"), to, None).await? {
            return Err(GroupActionError::NotFound);
        }
        Ok(())
    }

    /// Makes a member of the group one of its moderators; group moderators only.
    pub async fn add_group_moderator(
        &self,
        association: &Association,
        caller: &Caller,
        group: &str,
        who: &str,
    ) -> Result<(), GroupActionError> {
        let seen = self.group_access(association, caller, group).await?;
        if seen.access.membership != Membership::Moderator {
            return Err(GroupActionError::Forbidden);
        }
        let member = self.member_in(association, caller, &seen, who).await?;
        let done = self
            .store
            .set_group_role(&association.id, seen.id.as_str(), &member, "moderator", self.clock.now())
            .await?;
        if !done {
            return Err(GroupActionError::NotFound);
        }
        Ok(())
    }
}

/// The language of `caller`'s aliases: their own language where the
/// association offers it, else the association's.
fn member_language(association: &Association, caller: &Caller) -> Language {
    association.settings.offered_or_default(caller.member.language.as_deref().and_then(Language::parse))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_garbage() {
        let id = GroupId::random();
        let cursor = encode_cursor("kreis über 7", id.as_str());
        assert_eq!(decode_cursor(&cursor), Some(("kreis über 7".to_owned(), id.to_string())));
        assert_eq!(decode_cursor("!!"), None);
        assert_eq!(decode_cursor(&BASE64URL_NOPAD.encode(b"no separator")), None);
        assert_eq!(decode_cursor(&BASE64URL_NOPAD.encode(b"key\0not-an-id")), None);
    }

    #[test]
    fn names_and_descriptions_refuse_control_characters() {
        assert!(printable("Angehörige unter sich", false));
        assert!(!printable("a\nb", false));
        assert!(printable("Zeile 1\nZeile 2\ttab", true));
        assert!(!printable("bell\u{7}", true));
    }

    #[test]
    fn group_search_reads_the_last_of_a_repeated_parameter() {
        let raw = RawGroupQuery::from_pairs([("q", "a"), ("q", "b"), ("role", "x"), ("region", "by")]);
        assert_eq!((raw.q.as_deref(), raw.region.as_deref(), raw.condition), (Some("b"), Some("by"), None));
    }
}
