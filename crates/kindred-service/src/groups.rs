//! service::groups — groups: creating, finding, joining, inviting, member
//! lists and aliases. Every path to a group goes through `group_access`,
//! which asks `kindred_domain::groups::group_sight`; a group the caller may
//! not see is `GroupError::NotFound`, exactly like an id never used.

use crate::sessions::Caller;
use crate::{Association, Kindred};
use kindred_domain::groups::{
    group_sight, GroupAccess, GroupFacts, GroupSight, GroupVisibility, MemberListVisibility, Membership,
};
use kindred_domain::{AccountRole, GroupId};
use kindred_store::{GroupRecord, StoreError};

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
        let id = GroupId::parse(group).ok_or(GroupError::NotFound)?;
        let (record, membership_row) = self
            .store
            .group_with_membership(&association.id, id.as_str(), &caller.member.id)
            .await?
            .ok_or(GroupError::NotFound)?;
        let membership = Membership::from_stored(membership_row.status.as_deref(), membership_row.role.as_deref());
        let role_fits = match &record.role_restriction {
            None => None,
            Some(required) => {
                let held = self.store.profile_role(&association.id, &caller.member.id).await?;
                Some(held.as_deref() == Some(required.as_str()))
            }
        };
        let facts = GroupFacts {
            visibility: GroupVisibility::parse(&record.visibility)
                .ok_or_else(|| StoreError::Corrupt(format!("group visibility {}", record.visibility)))?,
            member_list: MemberListVisibility::parse(&record.member_list)
                .ok_or_else(|| StoreError::Corrupt(format!("group member list {}", record.member_list)))?,
            role_fits,
        };
        match group_sight(&facts, caller.member.role, membership) {
            GroupSight::Nothing => Err(GroupError::NotFound),
            GroupSight::Visible(access) => {
                let my_alias = if membership.is_member() { membership_row.alias } else { None };
                Ok(SeenGroup { id, record, access, my_alias })
            }
        }
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
        let staff = matches!(caller.member.role, AccountRole::Moderator | AccountRole::Admin);
        Ok(self.store.readable_group_ids(&association.id, &caller.member.id, staff).await?)
    }
}
