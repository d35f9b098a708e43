//! store::groups — groups, their catalogue tags and their members
//! (with aliases in alias groups).

use crate::{read, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::{AssociationId, MemberId};

/// A group as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GroupRecord {
    pub id: String,
    pub parent_id: Option<String>,
    pub name: String,
    pub description: String,
    pub visibility: String,
    pub member_list: String,
    pub alias_mode: bool,
    pub role_restriction: Option<String>,
    pub region: Option<String>,
    pub mode: String,
    pub anonymous_allowed: bool,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub member_count: i32,
}

/// A member's row in a group, if any.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct MembershipRecord {
    pub status: Option<String>,
    pub role: Option<String>,
    pub alias: Option<String>,
}

pub(crate) const GROUP_COLUMNS: &str = "g.id, g.parent_id, g.name, g.description, g.visibility, g.member_list, \
     g.alias_mode, g.role_restriction, g.region, g.mode, g.anonymous_allowed, g.created_by, g.created_at, \
     g.member_count";

impl Store {
    /// A group and where `member` stands with it, in one read.
    pub async fn group_with_membership(
        &self,
        association: &AssociationId,
        group: &str,
        member: &MemberId,
    ) -> Result<Option<(GroupRecord, MembershipRecord)>, StoreError> {
        let sql = format!(
            "SELECT {GROUP_COLUMNS}, gm.status, gm.role, gm.alias FROM community_groups g \
             LEFT JOIN group_members gm ON gm.association_id = g.association_id AND gm.group_id = g.id \
               AND gm.member_id = $3 \
             WHERE g.association_id = $1 AND g.id = $2"
        );
        let row: Option<GroupWithMembership> = read!(self, |pool| {
            sqlx::query_as(&sql).bind(association.as_str()).bind(group).bind(member.as_str()).fetch_optional(pool).await
        })?;
        Ok(row.map(|r| (r.group, r.membership)))
    }

    /// The member's profile role (patient, relative, carer, professional), if given.
    pub async fn profile_role(
        &self,
        association: &AssociationId,
        member: &MemberId,
    ) -> Result<Option<String>, StoreError> {
        let role: Option<Option<String>> = read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT clear_value FROM profile_values WHERE association_id = $1 AND member_id = $2 AND field = 'role'",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .fetch_optional(pool)
            .await
        })?;
        Ok(role.flatten())
    }
}

#[derive(sqlx::FromRow)]
struct GroupWithMembership {
    #[sqlx(flatten)]
    group: GroupRecord,
    #[sqlx(flatten)]
    membership: MembershipRecord,
}

impl Store {
    /// The ids of the groups whose forum `member` may read: those they are
    /// a member of, every open group, and — for association staff — every
    /// closed group. Secret groups only through membership. The same rule as
    /// `kindred_domain::groups::group_sight` (`read`), inside SQL.
    pub async fn readable_group_ids(
        &self,
        association: &AssociationId,
        member: &MemberId,
        staff: bool,
    ) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT g.id FROM community_groups g WHERE g.association_id = $1 AND (g.visibility = 'open' \
                 OR (g.visibility = 'closed' AND $3) \
                 OR EXISTS (SELECT 1 FROM group_members gm WHERE gm.association_id = $1 AND gm.group_id = g.id \
                   AND gm.member_id = $2 AND gm.status = 'member')) \
                 ORDER BY g.id",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(staff)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// A member's alias in an alias group, also after they left (an alias
    /// stays with its posts). `None` outside alias groups or without a row.
    pub async fn alias_of(
        &self,
        association: &AssociationId,
        group: &str,
        member: &str,
    ) -> Result<Option<String>, StoreError> {
        let alias: Option<Option<String>> = read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT alias FROM group_members WHERE association_id = $1 AND group_id = $2 AND member_id = $3",
            )
            .bind(association.as_str())
            .bind(group)
            .bind(member)
            .fetch_optional(pool)
            .await
        })?;
        Ok(alias.flatten())
    }
}
