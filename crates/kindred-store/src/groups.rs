//! store::groups — groups, their catalogue tags and their members
//! (with aliases in alias groups).

use crate::{read, write, Store, StoreError};
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
        let found = self.group_with_memberships(association, group, std::slice::from_ref(member)).await?;
        Ok(found.and_then(|(group, mut rows)| rows.pop().map(|(_, membership)| (group, membership))))
    }

    /// [`Store::group_with_membership`] for several members at once: the
    /// group and `(member, membership)` for each member of the association
    /// among `members` (an empty membership without a row).
    pub async fn group_with_memberships(
        &self,
        association: &AssociationId,
        group: &str,
        members: &[MemberId],
    ) -> Result<Option<(GroupRecord, Vec<(String, MembershipRecord)>)>, StoreError> {
        if members.len() > 1 {
            return self.group_with_many_memberships(association, group, members).await;
        }
        let mut record = None;
        let mut memberships = Vec::with_capacity(members.len());
        for chunk in members.chunks(crate::IN_CHUNK) {
            let sql = format!(
                "SELECT v.id AS viewer, {GROUP_COLUMNS}, gm.status, gm.role, gm.alias FROM community_groups g \
                 JOIN members v ON v.association_id = g.association_id AND v.id IN ({}) \
                 LEFT JOIN group_members gm ON gm.association_id = g.association_id AND gm.group_id = g.id \
                   AND gm.member_id = v.id \
                 WHERE g.association_id = $1 AND g.id = $2",
                crate::placeholders(3, chunk.len())
            );
            let rows: Vec<ViewerGroup> = read!(self, |pool| {
                let mut query = sqlx::query_as(&sql).bind(association.as_str()).bind(group);
                for member in chunk {
                    query = query.bind(member.as_str());
                }
                query.fetch_all(pool).await
            })?;
            for row in rows {
                memberships.push((row.viewer, row.row.membership));
                record.get_or_insert(row.row.group);
            }
        }
        Ok(record.map(|group| (group, memberships)))
    }

    /// [`Store::group_with_memberships`] for many members: the group read
    /// once, then only the memberships (one joined read would repeat the
    /// group's columns, its description among them, for every member: a
    /// live message to a group chat of 1,000 asks for 1,000).
    async fn group_with_many_memberships(
        &self,
        association: &AssociationId,
        group: &str,
        members: &[MemberId],
    ) -> Result<Option<(GroupRecord, Vec<(String, MembershipRecord)>)>, StoreError> {
        let sql = format!("SELECT {GROUP_COLUMNS} FROM community_groups g WHERE g.association_id = $1 AND g.id = $2");
        let record: Option<GroupRecord> = read!(self, |pool| {
            sqlx::query_as(&sql).bind(association.as_str()).bind(group).fetch_optional(pool).await
        })?;
        let Some(record) = record else { return Ok(None) };
        let mut memberships = Vec::with_capacity(members.len());
        for chunk in members.chunks(crate::IN_CHUNK) {
            let sql = format!(
                "SELECT v.id AS viewer, gm.status, gm.role, gm.alias FROM members v \
                 LEFT JOIN group_members gm ON gm.association_id = v.association_id AND gm.group_id = $2 \
                   AND gm.member_id = v.id \
                 WHERE v.association_id = $1 AND v.id IN ({})",
                crate::placeholders(3, chunk.len())
            );
            let rows: Vec<ViewerMembership> = read!(self, |pool| {
                let mut query = sqlx::query_as(&sql).bind(association.as_str()).bind(group);
                for member in chunk {
                    query = query.bind(member.as_str());
                }
                query.fetch_all(pool).await
            })?;
            memberships.extend(rows.into_iter().map(|row| (row.viewer, row.membership)));
        }
        Ok(Some((record, memberships)))
    }

    /// The groups `member` belongs to (status member), in name order, at
    /// most `limit`.
    pub async fn member_groups(
        &self,
        association: &AssociationId,
        member: &MemberId,
        limit: i64,
    ) -> Result<Vec<(GroupRecord, MembershipRecord)>, StoreError> {
        // A number of our own, not input.
        let sql = format!(
            "SELECT {GROUP_COLUMNS}, gm.status, gm.role, gm.alias FROM community_groups g \
             JOIN group_members gm ON gm.association_id = g.association_id AND gm.group_id = g.id \
               AND gm.member_id = $2 AND gm.status = 'member' \
             WHERE g.association_id = $1 ORDER BY g.name_key, g.id LIMIT {}",
            limit.clamp(1, 200)
        );
        let rows: Vec<GroupWithMembership> = read!(self, |pool| {
            sqlx::query_as(&sql).bind(association.as_str()).bind(member.as_str()).fetch_all(pool).await
        })?;
        Ok(rows.into_iter().map(|r| (r.group, r.membership)).collect())
    }

    /// The member's profile role (patient, relative, carer, professional), if given.
    pub async fn profile_role(
        &self,
        association: &AssociationId,
        member: &MemberId,
    ) -> Result<Option<String>, StoreError> {
        let roles = self.profile_roles(association, std::slice::from_ref(member)).await?;
        Ok(roles.into_iter().next().map(|(_, role)| role))
    }

    /// [`Store::profile_role`] of several members: `(member, role)` for
    /// those who gave one.
    pub async fn profile_roles(
        &self,
        association: &AssociationId,
        members: &[MemberId],
    ) -> Result<Vec<(String, String)>, StoreError> {
        let mut roles = Vec::new();
        for chunk in members.chunks(crate::IN_CHUNK) {
            let sql = format!(
                "SELECT member_id, clear_value FROM profile_values \
                 WHERE association_id = $1 AND field = 'role' AND member_id IN ({})",
                crate::placeholders(2, chunk.len())
            );
            let rows: Vec<(String, Option<String>)> = read!(self, |pool| {
                let mut query = sqlx::query_as(&sql).bind(association.as_str());
                for member in chunk {
                    query = query.bind(member.as_str());
                }
                query.fetch_all(pool).await
            })?;
            roles.extend(rows.into_iter().filter_map(|(member, role)| role.map(|r| (member, r))));
        }
        Ok(roles)
    }
}

/// The ids of the groups `member` reads (SQL expressions: `member` the
/// member's id, `staff` true for association staff) — the rule of
/// [`Store::readable_group_ids`], shared with the unread counts of many
/// members at once (`store::notification_list`). In SQL what
/// `kindred_domain::groups::group_sight` decides as `read`: an open group
/// for one role is read from outside by staff only.
pub(crate) fn readable_groups(member: &str, staff: &str) -> String {
    format!(
        "SELECT rg.id FROM community_groups rg WHERE rg.association_id = $1 \
         AND ((rg.visibility = 'open' AND (rg.role_restriction IS NULL OR {staff})) \
         OR (rg.visibility = 'closed' AND {staff}) \
         OR EXISTS (SELECT 1 FROM group_members rgm WHERE rgm.association_id = $1 AND rgm.group_id = rg.id \
           AND rgm.member_id = {member} AND rgm.status = 'member'))"
    )
}

#[derive(sqlx::FromRow)]
struct GroupWithMembership {
    #[sqlx(flatten)]
    group: GroupRecord,
    #[sqlx(flatten)]
    membership: MembershipRecord,
}

#[derive(sqlx::FromRow)]
struct ViewerMembership {
    viewer: String,
    #[sqlx(flatten)]
    membership: MembershipRecord,
}

#[derive(sqlx::FromRow)]
struct ViewerGroup {
    viewer: String,
    #[sqlx(flatten)]
    row: GroupWithMembership,
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
        let sql = format!("{} ORDER BY rg.id", readable_groups("$2", "$3"));
        let rows: Vec<(String,)> = read!(self, |pool| {
            sqlx::query_as(&sql).bind(association.as_str()).bind(member.as_str()).bind(staff).fetch_all(pool).await
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

/// A new group, its tags and its first member (the creator, a moderator).
pub struct NewGroup<'a> {
    pub association: &'a AssociationId,
    pub id: &'a str,
    pub parent_id: Option<&'a str>,
    pub name: &'a str,
    /// The name in lowercase: the order of lists and search.
    pub name_key: &'a str,
    pub description: &'a str,
    pub visibility: &'a str,
    pub member_list: &'a str,
    pub alias_mode: bool,
    pub role_restriction: Option<&'a str>,
    pub region: Option<&'a str>,
    pub mode: &'a str,
    pub anonymous_allowed: bool,
    pub created_by: &'a MemberId,
    pub created_at: DateTime<Utc>,
    /// `(kind, code)`: condition, therapy or medication.
    pub tags: Vec<(&'a str, &'a str)>,
    /// The creator's alias and its key, in an alias group.
    pub creator_alias: Option<(&'a str, &'a str)>,
}

/// A change of a member's row in a group, done only if the row is as
/// expected (`from`: `None` = no row yet, else its current status).
pub struct MembershipChange<'a> {
    pub association: &'a AssociationId,
    pub group: &'a str,
    pub member: &'a str,
    pub from: Option<&'a str>,
    pub to: &'a str,
    pub role: &'a str,
    /// An alias and its key, set only where the row has none yet (so an
    /// alias stays the same when a member leaves and comes back).
    pub alias: Option<(&'a str, &'a str)>,
    pub at: DateTime<Utc>,
}

/// A group search, checked by the service.
pub struct GroupSearch<'a> {
    pub association: &'a AssociationId,
    pub viewer: &'a MemberId,
    /// Lowercase words; each must occur in the name or the description.
    pub words: Vec<String>,
    pub condition: Option<&'a str>,
    pub therapy: Option<&'a str>,
    pub region: Option<&'a str>,
    /// After `(name_key, id)` (the cursor).
    pub after: Option<(String, String)>,
    pub limit: i64,
}

/// A member's row in a group, with what the member list needs of the member.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GroupMemberRecord {
    pub member_id: String,
    pub pseudonym: String,
    pub pseudonym_key: String,
    pub badge: Option<String>,
    pub account_role: String,
    pub account_status: String,
    pub group_role: String,
    pub status: String,
    pub alias: Option<String>,
    pub alias_key: Option<String>,
    pub updated_at: DateTime<Utc>,
    /// The viewer blocked the member or the member the viewer.
    pub blocked: bool,
}

impl Store {
    /// Creates a group with its tags and its creator as moderator, at once.
    pub async fn create_group(&self, g: &NewGroup<'_>) -> Result<(), StoreError> {
        let association = g.association.as_str();
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO community_groups (association_id, id, parent_id, name, name_key, description, visibility, \
                 member_list, alias_mode, role_restriction, region, mode, anonymous_allowed, created_by, created_at, \
                 member_count) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1)",
            )
            .bind(association)
            .bind(g.id)
            .bind(g.parent_id)
            .bind(g.name)
            .bind(g.name_key)
            .bind(g.description)
            .bind(g.visibility)
            .bind(g.member_list)
            .bind(g.alias_mode)
            .bind(g.role_restriction)
            .bind(g.region)
            .bind(g.mode)
            .bind(g.anonymous_allowed)
            .bind(g.created_by.as_str())
            .bind(g.created_at)
            .execute(&mut *tx)
            .await?;
            for (kind, code) in &g.tags {
                sqlx::query(
                    "INSERT INTO group_tags (association_id, group_id, kind, code) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (association_id, group_id, kind, code) DO NOTHING",
                )
                .bind(association)
                .bind(g.id)
                .bind(*kind)
                .bind(*code)
                .execute(&mut *tx)
                .await?;
            }
            let (alias, alias_key) = g.creator_alias.map_or((None, None), |(a, k)| (Some(a), Some(k)));
            sqlx::query(
                "INSERT INTO group_members (association_id, group_id, member_id, status, role, alias, alias_key, \
                 created_at, updated_at) VALUES ($1, $2, $3, 'member', 'moderator', $4, $5, $6, $6)",
            )
            .bind(association)
            .bind(g.id)
            .bind(g.created_by.as_str())
            .bind(alias)
            .bind(alias_key)
            .bind(g.created_at)
            .execute(&mut *tx)
            .await?;
            tx.commit().await
        })?;
        Ok(())
    }

    /// A member's row in a group, whatever its status.
    pub async fn membership_of(
        &self,
        association: &AssociationId,
        group: &str,
        member: &str,
    ) -> Result<Option<MembershipRecord>, StoreError> {
        let row = read!(self, |pool| {
            sqlx::query_as(
                "SELECT status, role, alias FROM group_members \
                 WHERE association_id = $1 AND group_id = $2 AND member_id = $3",
            )
            .bind(association.as_str())
            .bind(group)
            .bind(member)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row)
    }

    /// The member whose alias in `group` has this key.
    pub async fn member_by_alias(
        &self,
        association: &AssociationId,
        group: &str,
        alias_key: &str,
    ) -> Result<Option<String>, StoreError> {
        let row = read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT member_id FROM group_members WHERE association_id = $1 AND group_id = $2 AND alias_key = $3",
            )
            .bind(association.as_str())
            .bind(group)
            .bind(alias_key)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row)
    }

    /// Changes a member's row if it is as expected, and keeps the group's
    /// `member_count` in step, in one transaction. False when the row was
    /// not as expected (someone else changed it first). An alias already
    /// taken in the group is `StoreError::Conflict`.
    pub async fn change_membership(&self, c: &MembershipChange<'_>) -> Result<bool, StoreError> {
        let association = c.association.as_str();
        let (alias, alias_key) = c.alias.map_or((None, None), |(a, k)| (Some(a), Some(k)));
        let delta: i32 = match (c.from == Some("member"), c.to == "member") {
            (false, true) => 1,
            (true, false) => -1,
            _ => 0,
        };
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = match c.from {
                None => {
                    sqlx::query(
                        "INSERT INTO group_members (association_id, group_id, member_id, status, role, alias, \
                         alias_key, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) \
                         ON CONFLICT (association_id, group_id, member_id) DO NOTHING",
                    )
                    .bind(association)
                    .bind(c.group)
                    .bind(c.member)
                    .bind(c.to)
                    .bind(c.role)
                    .bind(alias)
                    .bind(alias_key)
                    .bind(c.at)
                    .execute(&mut *tx)
                    .await?
                }
                Some(from) => {
                    sqlx::query(
                        "UPDATE group_members SET status = $4, role = $5, alias = COALESCE(alias, $6), \
                         alias_key = COALESCE(alias_key, $7), updated_at = $8 \
                         WHERE association_id = $1 AND group_id = $2 AND member_id = $3 AND status = $9",
                    )
                    .bind(association)
                    .bind(c.group)
                    .bind(c.member)
                    .bind(c.to)
                    .bind(c.role)
                    .bind(alias)
                    .bind(alias_key)
                    .bind(c.at)
                    .bind(from)
                    .execute(&mut *tx)
                    .await?
                }
            };
            if done.rows_affected() == 0 {
                return Ok(false);
            }
            if delta != 0 {
                sqlx::query(
                    "UPDATE community_groups SET member_count = member_count + $3 WHERE association_id = $1 AND id = $2",
                )
                .bind(association)
                .bind(c.group)
                .bind(delta)
                .execute(&mut *tx)
                .await?;
            }
            if delta == 1 {
                // A new member is in the group's chat at once (messages and
                // calls reach them), with nothing of its past unread.
                sqlx::query(
                    "INSERT INTO conversation_members (association_id, conversation_id, member_id, status, \
                     joined_at, read_seq, mailed) SELECT c.association_id, c.id, $3, 'active', $4, c.last_seq, FALSE \
                     FROM conversations c WHERE c.association_id = $1 AND c.group_id = $2 ON CONFLICT DO NOTHING",
                )
                .bind(association)
                .bind(c.group)
                .bind(c.member)
                .bind(c.at)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Invites a member: a new row, or a row of someone who left, becomes
    /// `invited`; any other row stays as it is. One statement that writes a
    /// row in every case — an insert, or an update that may set the values
    /// it finds — and commits, so that inviting a member, a non-member or
    /// someone invited already costs the same work, and the time of the
    /// answer does not tell which (ARCHITECTURE: "the same work either way").
    /// The member count is untouched: an invitation never makes a member.
    pub async fn invite_member(
        &self,
        association: &AssociationId,
        group: &str,
        member: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "INSERT INTO group_members (association_id, group_id, member_id, status, role, alias, alias_key, \
                 created_at, updated_at) VALUES ($1, $2, $3, 'invited', 'member', NULL, NULL, $4, $4) \
                 ON CONFLICT (association_id, group_id, member_id) DO UPDATE SET \
                 role = CASE WHEN group_members.status = 'left' THEN 'member' ELSE group_members.role END, \
                 updated_at = CASE WHEN group_members.status = 'left' THEN excluded.updated_at \
                   ELSE group_members.updated_at END, \
                 status = CASE WHEN group_members.status = 'left' THEN 'invited' ELSE group_members.status END",
            )
            .bind(association.as_str())
            .bind(group)
            .bind(member)
            .bind(at)
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// Makes a member of the group a moderator (or back). False when they are not a member.
    pub async fn set_group_role(
        &self,
        association: &AssociationId,
        group: &str,
        member: &str,
        role: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = write!(self, |pool| {
            sqlx::query(
                "UPDATE group_members SET role = $4, updated_at = $5 \
                 WHERE association_id = $1 AND group_id = $2 AND member_id = $3 AND status = 'member'",
            )
            .bind(association.as_str())
            .bind(group)
            .bind(member)
            .bind(role)
            .bind(at)
            .execute(pool)
            .await
            .map(|d| d.rows_affected())
        })?;
        Ok(done > 0)
    }

    /// How many members a group has, and how many of them moderate it.
    pub async fn group_headcount(&self, association: &AssociationId, group: &str) -> Result<(i64, i64), StoreError> {
        let row: (i64, i64) = read!(self, |pool| {
            sqlx::query_as(
                "SELECT COUNT(*), COUNT(CASE WHEN role = 'moderator' THEN 1 END) FROM group_members \
                 WHERE association_id = $1 AND group_id = $2 AND status = 'member'",
            )
            .bind(association.as_str())
            .bind(group)
            .fetch_one(pool)
            .await
        })?;
        Ok(row)
    }

    /// The tags of some groups: `(group id, kind, code)`, in code order.
    pub async fn group_tags_of(
        &self,
        association: &AssociationId,
        groups: &[&str],
    ) -> Result<Vec<(String, String, String)>, StoreError> {
        if groups.is_empty() {
            return Ok(Vec::new());
        }
        let list: Vec<String> = (0..groups.len()).map(|n| format!("${}", n + 2)).collect();
        let sql = format!(
            "SELECT group_id, kind, code FROM group_tags WHERE association_id = $1 AND group_id IN ({}) \
             ORDER BY group_id, kind, code",
            list.join(", ")
        );
        let rows = read!(self, |pool| {
            let mut query = sqlx::query_as(&sql).bind(association.as_str());
            for group in groups {
                query = query.bind(*group);
            }
            query.fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// The direct subgroups of a group, each with where `member` stands
    /// with it, in name order. The service decides which of them to show.
    pub async fn subgroups(
        &self,
        association: &AssociationId,
        parent: &str,
        member: &MemberId,
    ) -> Result<Vec<(GroupRecord, MembershipRecord)>, StoreError> {
        let sql = format!(
            "SELECT {GROUP_COLUMNS}, gm.status, gm.role, gm.alias FROM community_groups g \
             LEFT JOIN group_members gm ON gm.association_id = g.association_id AND gm.group_id = g.id \
               AND gm.member_id = $3 \
             WHERE g.association_id = $1 AND g.parent_id = $2 ORDER BY g.name_key, g.id LIMIT 200"
        );
        let rows: Vec<GroupWithMembership> = read!(self, |pool| {
            sqlx::query_as(&sql).bind(association.as_str()).bind(parent).bind(member.as_str()).fetch_all(pool).await
        })?;
        Ok(rows.into_iter().map(|r| (r.group, r.membership)).collect())
    }

    /// Groups by words, tags and region, in name order, with where the
    /// viewer stands. A secret group is found only by its members and
    /// invitees: the filter is in the query, so neither results nor paging
    /// depend on groups the viewer may not know of.
    pub async fn search_groups(
        &self,
        search: &GroupSearch<'_>,
    ) -> Result<Vec<(GroupRecord, MembershipRecord)>, StoreError> {
        let mut values: Vec<String> = Vec::new();
        let mut bind = |value: &str| {
            values.push(value.to_owned());
            format!("${}", values.len() + 2)
        };
        let mut sql = format!(
            "SELECT {GROUP_COLUMNS}, gm.status, gm.role, gm.alias FROM community_groups g \
             LEFT JOIN group_members gm ON gm.association_id = g.association_id AND gm.group_id = g.id \
               AND gm.member_id = $2 \
             WHERE g.association_id = $1 AND (g.visibility <> 'secret' OR gm.status IN ('member', 'invited'))"
        );
        for word in &search.words {
            let p = bind(&format!("%{word}%"));
            sql.push_str(&format!(" AND (g.name_key LIKE {p} OR lower(g.description) LIKE {p})"));
        }
        for (kind, code) in [("condition", search.condition), ("therapy", search.therapy)] {
            if let Some(code) = code {
                let k = bind(kind);
                let c = bind(code);
                sql.push_str(&format!(
                    " AND EXISTS (SELECT 1 FROM group_tags t WHERE t.association_id = $1 AND t.group_id = g.id \
                     AND t.kind = {k} AND t.code = {c})"
                ));
            }
        }
        if let Some(region) = search.region {
            let p = bind(region);
            sql.push_str(&format!(" AND g.region = {p}"));
        }
        if let Some((key, id)) = &search.after {
            let k = bind(key);
            let i = bind(id);
            sql.push_str(&format!(" AND (g.name_key > {k} OR (g.name_key = {k} AND g.id > {i}))"));
        }
        // A number of our own, not input.
        sql.push_str(&format!(" ORDER BY g.name_key, g.id LIMIT {}", search.limit.clamp(1, 101)));
        let rows: Vec<GroupWithMembership> = read!(self, |pool| {
            let mut query = sqlx::query_as(&sql).bind(search.association.as_str()).bind(search.viewer.as_str());
            for value in &values {
                query = query.bind(value.as_str());
            }
            query.fetch_all(pool).await
        })?;
        Ok(rows.into_iter().map(|r| (r.group, r.membership)).collect())
    }

    /// The members (status member) and requests (status requested) of a
    /// group, with whether either of `viewer` and the member blocked the other.
    pub async fn group_member_rows(
        &self,
        association: &AssociationId,
        group: &str,
        viewer: &MemberId,
    ) -> Result<Vec<GroupMemberRecord>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT gm.member_id, m.pseudonym, m.pseudonym_key, m.badge, m.role AS account_role, \
                 m.status AS account_status, gm.role AS group_role, gm.status, gm.alias, gm.alias_key, gm.updated_at, \
                 EXISTS (SELECT 1 FROM blocks b WHERE b.association_id = $1 AND \
                   ((b.blocker_id = $3 AND b.blocked_id = gm.member_id) OR (b.blocker_id = gm.member_id AND b.blocked_id = $3))) \
                   AS blocked \
                 FROM group_members gm JOIN members m ON m.association_id = gm.association_id AND m.id = gm.member_id \
                 WHERE gm.association_id = $1 AND gm.group_id = $2 AND gm.status IN ('member', 'requested') \
                 LIMIT 5000",
            )
            .bind(association.as_str())
            .bind(group)
            .bind(viewer.as_str())
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }
}
