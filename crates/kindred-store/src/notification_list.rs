//! store::notification_list — reading a member's notifications and
//! marking them read (they are written by `store::notifications`).
//!
//! A notification about a topic counts only while the member may still
//! read that topic: in a category, or in one of the groups the service
//! says they read, and not hidden unless they wrote it. The list and the
//! unread count apply the same rule, so the badge never counts what the
//! list does not show.

use crate::forum::{block_between, NAMED_POST};
use crate::{read, write, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::{AssociationId, MemberId};

/// A notification as stored, with the number of its post (for the link).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotificationRecord {
    pub id: String,
    pub kind: String,
    pub topic_id: Option<String>,
    pub post_id: Option<String>,
    pub post_number: Option<i32>,
    /// The event it is about (event_changed, event_cancelled, event_promoted, event_reminder).
    pub event_id: Option<String>,
    pub actor_label: Option<String>,
    pub detail: Option<String>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
    /// The conversation of a `message_request`.
    pub conversation_id: Option<String>,
    /// The contact or disclosure request it is about.
    pub request_id: Option<String>,
    /// The group of an invitation or a join request.
    pub group_id: Option<String>,
    /// The article to review, or the author's article reviewed.
    pub article_id: Option<String>,
}

/// A notification about a request counts while nobody of the two blocked
/// the other (and, for the request itself, while it is pending); one about
/// a group while the member is still invited, or still moderates it; one
/// about an article to review while it waits for review and the member
/// still reviews (a decision taken by someone else ends it), one about
/// their own article reviewed while the article is theirs; one about a
/// conversation (a message, a request, a missed call) while the member is
/// still in it (and, for a group's chat, in the group).
/// Whether notification `n` is about nothing or about a topic member `$2`
/// still reads; `groups` are the placeholders of the readable groups. A
/// reply or mention written under the pseudonym of a member now in a block
/// with `$2`, either way, is left out too (a block hides its members from
/// each other in every list); one written anonymously or under an alias
/// never is (`NAMED_POST`).
fn still_readable(groups: &str) -> String {
    still_readable_by("$2", groups)
}

/// [`still_readable`] for the member `member` (an SQL expression: `$2`,
/// or `n.member_id` where many members are counted at once); `groups`
/// lists or selects the groups that member reads.
fn still_readable_by(member: &str, groups: &str) -> String {
    let in_groups = if groups.is_empty() { String::new() } else { format!(" OR t.group_id IN ({groups})") };
    let event_groups = if groups.is_empty() { String::new() } else { format!(" OR e.group_id IN ({groups})") };
    format!(
        "(n.event_id IS NULL OR EXISTS (SELECT 1 FROM events e WHERE e.association_id = $1 AND e.id = n.event_id \
         AND (e.group_id IS NULL{event_groups}))) AND \
         (n.topic_id IS NULL OR EXISTS (SELECT 1 FROM topics t WHERE t.association_id = $1 AND t.id = n.topic_id \
         AND (NOT t.hidden OR t.author_id = {member}) AND (t.category_id IS NOT NULL{in_groups}))) \
         AND NOT (n.kind IN ('reply', 'mention') AND EXISTS (SELECT 1 FROM posts p \
           JOIN topics t ON t.association_id = $1 AND t.id = p.topic_id \
           LEFT JOIN community_groups g ON g.association_id = $1 AND g.id = t.group_id \
           WHERE p.association_id = $1 AND p.id = n.post_id AND {NAMED_POST} AND {}))\
         AND (n.request_id IS NULL \
           OR (n.kind IN ('contact_request', 'contact_answer') AND EXISTS (SELECT 1 FROM contact_requests r \
             WHERE r.association_id = $1 AND r.id = n.request_id AND (n.kind <> 'contact_request' OR r.status = 'pending') \
             AND NOT {})) \
           OR (n.kind IN ('disclosure_request', 'disclosure_answer') AND EXISTS (SELECT 1 FROM disclosure_requests r \
             WHERE r.association_id = $1 AND r.id = n.request_id AND (n.kind <> 'disclosure_request' OR r.status = 'pending') \
             AND NOT {}))) \
         AND (n.group_id IS NULL OR EXISTS (SELECT 1 FROM group_members gm WHERE gm.association_id = $1 \
           AND gm.group_id = n.group_id AND gm.member_id = {member} AND ((n.kind = 'group_invitation' AND gm.status = 'invited') \
           OR (n.kind = 'group_join_request' AND gm.status = 'member' AND gm.role = 'moderator')))) \
         AND (n.conversation_id IS NULL OR EXISTS (SELECT 1 FROM conversation_members cm \
           JOIN conversations c ON c.association_id = cm.association_id AND c.id = cm.conversation_id \
           WHERE cm.association_id = $1 AND cm.conversation_id = n.conversation_id AND cm.member_id = {member} \
           AND cm.status IN ('active', 'request') AND (c.group_id IS NULL OR EXISTS (SELECT 1 FROM group_members cg \
             WHERE cg.association_id = $1 AND cg.group_id = c.group_id AND cg.member_id = {member} \
             AND cg.status = 'member')))) \
         AND (n.article_id IS NULL OR EXISTS (SELECT 1 FROM articles a WHERE a.association_id = $1 \
           AND a.id = n.article_id AND ((n.kind = 'article_reviewed' AND a.author_id = {member}) \
           OR (n.kind = 'article_submitted' AND a.status = 'in_review' AND a.author_id <> {member} \
             AND EXISTS (SELECT 1 FROM members rv WHERE rv.association_id = $1 AND rv.id = {member} \
               AND rv.role IN ('professional', 'moderator', 'admin'))))))",
        block_between(member, "p.author_id"),
        block_between("r.from_id", "r.to_id"),
        block_between("r.from_id", "r.to_id")
    )
}

/// Counts member `$2`'s unread notifications under [`still_readable`]
/// (`groups`: the placeholders or the statement of the groups they read),
/// no further than `up_to` when given.
fn unread_count_sql(groups: &str, up_to: Option<u32>) -> String {
    let filter = still_readable(groups);
    let unread = format!(
        "SELECT 1 FROM notifications n \
         WHERE n.association_id = $1 AND n.member_id = $2 AND n.read_at IS NULL AND {filter}"
    );
    // A number in the statement, not a parameter: `up_to` is ours.
    match up_to {
        Some(limit) => format!("SELECT COUNT(*) FROM ({unread} LIMIT {limit}) AS counted"),
        None => format!("SELECT COUNT(*) FROM ({unread}) AS counted"),
    }
}

fn placeholders(from: usize, count: usize) -> String {
    (0..count).map(|i| format!("${}", from + i)).collect::<Vec<_>>().join(", ")
}

impl Store {
    /// A member's notifications, newest first, before `(time, id)` when given.
    pub async fn notification_page(
        &self,
        association: &AssociationId,
        member: &MemberId,
        groups: &[String],
        before: Option<(DateTime<Utc>, String)>,
        limit: i64,
    ) -> Result<Vec<NotificationRecord>, StoreError> {
        let (cursor, first_group) = match before {
            Some(_) => (" AND (n.created_at < $3 OR (n.created_at = $3 AND n.id < $4))", 5),
            None => ("", 3),
        };
        let filter = still_readable(&placeholders(first_group, groups.len()));
        let sql = format!(
            "SELECT n.id, n.kind, n.topic_id, n.post_id, p.number AS post_number, n.event_id, n.actor_label, n.detail, \
             n.created_at, n.read_at, n.conversation_id, n.request_id, n.group_id, n.article_id FROM notifications n \
             LEFT JOIN posts p ON p.association_id = $1 AND p.id = n.post_id \
             WHERE n.association_id = $1 AND n.member_id = $2 AND {filter}{cursor} \
             ORDER BY n.created_at DESC, n.id DESC LIMIT {}",
            limit.clamp(1, 200)
        );
        let rows = read!(self, |pool| {
            let mut query = sqlx::query_as(&sql).bind(association.as_str()).bind(member.as_str());
            if let Some((at, id)) = &before {
                query = query.bind(*at).bind(id.as_str());
            }
            for group in groups {
                query = query.bind(group.as_str());
            }
            query.fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// Which of `ids` (notifications of `member`) the member may still see,
    /// by the rule of the list: what the list would no longer show is not
    /// mailed either.
    pub async fn visible_notifications(
        &self,
        association: &AssociationId,
        member: &MemberId,
        groups: &[String],
        ids: &[&str],
    ) -> Result<Vec<String>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let filter = still_readable(&placeholders(3, groups.len()));
        let id_list = placeholders(3 + groups.len(), ids.len());
        let sql = format!(
            "SELECT n.id FROM notifications n WHERE n.association_id = $1 AND n.member_id = $2 AND {filter} \
             AND n.id IN ({id_list})"
        );
        let rows: Vec<(String,)> = read!(self, |pool| {
            let mut query = sqlx::query_as(&sql).bind(association.as_str()).bind(member.as_str());
            for group in groups {
                query = query.bind(group.as_str());
            }
            for id in ids {
                query = query.bind(*id);
            }
            query.fetch_all(pool).await
        })?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// How many of a member's notifications are unread (under the same
    /// rule), all of them: the list's and the API's count. The navigation
    /// counts no further than its limit ([`Store::unread_notification_badge`]):
    /// each one counted passes the rule's checks, so a member with a
    /// thousand unread made every page they opened wait 30 ms for "99+".
    pub async fn unread_notification_count(
        &self,
        association: &AssociationId,
        member: &MemberId,
        groups: &[String],
    ) -> Result<i64, StoreError> {
        let sql = unread_count_sql(&placeholders(3, groups.len()), None);
        let (count,): (i64,) = read!(self, |pool| {
            let mut query = sqlx::query_as(&sql).bind(association.as_str()).bind(member.as_str());
            for group in groups {
                query = query.bind(group.as_str());
            }
            query.fetch_one(pool).await
        })?;
        Ok(count)
    }

    /// The navigation's badge on every page: [`Store::unread_notification_count`]
    /// up to `up_to`, with the groups `member` reads decided inside the
    /// statement by [`crate::groups::readable_groups`] (the rule of
    /// `readable_group_ids`; `staff` as there) — one read instead of the
    /// groups and then the count, two in a row.
    pub async fn unread_notification_badge(
        &self,
        association: &AssociationId,
        member: &MemberId,
        staff: bool,
        up_to: u32,
    ) -> Result<i64, StoreError> {
        let sql = unread_count_sql(&crate::groups::readable_groups("$2", "$3"), Some(up_to));
        let (count,): (i64,) = read!(self, |pool| {
            sqlx::query_as(&sql).bind(association.as_str()).bind(member.as_str()).bind(staff).fetch_one(pool).await
        })?;
        Ok(count)
    }

    /// [`Store::unread_notification_count`] of several members at once,
    /// under the same rule: the groups each reads are those of
    /// [`crate::groups::readable_groups`] (the rule of `readable_group_ids`
    /// in SQL), `staff` naming the members among them who read closed
    /// groups. `(member, count)` for each member with unread ones.
    pub async fn unread_notification_counts(
        &self,
        association: &AssociationId,
        members: &[MemberId],
        staff: &[MemberId],
    ) -> Result<Vec<(String, i64)>, StoreError> {
        let mut counts = Vec::new();
        for chunk in members.chunks(crate::IN_CHUNK) {
            let chunk_staff: Vec<&MemberId> = staff.iter().filter(|s| chunk.contains(s)).collect();
            let staff_sql = if chunk_staff.is_empty() {
                "1 = 0".to_owned()
            } else {
                format!("n.member_id IN ({})", placeholders(2 + chunk.len(), chunk_staff.len()))
            };
            let groups = crate::groups::readable_groups("n.member_id", &staff_sql);
            let filter = still_readable_by("n.member_id", &groups);
            let sql = format!(
                "SELECT n.member_id, COUNT(*) FROM notifications n \
                 WHERE n.association_id = $1 AND n.member_id IN ({}) AND n.read_at IS NULL AND {filter} \
                 GROUP BY n.member_id",
                placeholders(2, chunk.len())
            );
            let rows: Vec<(String, i64)> = read!(self, |pool| {
                let mut query = sqlx::query_as(&sql).bind(association.as_str());
                for member in chunk.iter().chain(chunk_staff.iter().copied()) {
                    query = query.bind(member.as_str());
                }
                query.fetch_all(pool).await
            })?;
            counts.extend(rows);
        }
        Ok(counts)
    }

    /// Marks one of the member's notifications read (kept when it already
    /// was); `false` when the member has no notification with this id.
    pub async fn mark_notification_read(
        &self,
        association: &AssociationId,
        member: &MemberId,
        id: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let row: Option<(String,)> = write!(self, |pool| {
            sqlx::query_as(
                "UPDATE notifications SET read_at = COALESCE(read_at, $4) \
                 WHERE association_id = $1 AND member_id = $2 AND id = $3 RETURNING id",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(id)
            .bind(at)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row.is_some())
    }

    /// Marks several of the member's notifications read (a group of the
    /// notification centre), all or nothing: `false`, and nothing marked,
    /// when any id is not one of the member's. `ids` hold no duplicates.
    pub async fn mark_notifications_read(
        &self,
        association: &AssociationId,
        member: &MemberId,
        ids: &[&str],
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        if ids.is_empty() {
            return Ok(false);
        }
        let list = placeholders(4, ids.len());
        let update = format!(
            "UPDATE notifications SET read_at = COALESCE(read_at, $3) \
             WHERE association_id = $1 AND member_id = $2 AND id IN ({list})"
        );
        let done = write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let mut query = sqlx::query(&update).bind(association.as_str()).bind(member.as_str()).bind(at);
            for id in ids {
                query = query.bind(*id);
            }
            let marked = query.execute(&mut *tx).await?.rows_affected();
            if usize::try_from(marked).ok() == Some(ids.len()) {
                tx.commit().await?;
                Ok::<bool, sqlx::Error>(true)
            } else {
                tx.rollback().await?;
                Ok(false)
            }
        })?;
        Ok(done)
    }

    /// Marks all of the member's notifications read.
    pub async fn mark_all_notifications_read(
        &self,
        association: &AssociationId,
        member: &MemberId,
        at: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let done = write!(self, |pool| {
            sqlx::query(
                "UPDATE notifications SET read_at = $3 \
                 WHERE association_id = $1 AND member_id = $2 AND read_at IS NULL",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(at)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
        })?;
        Ok(done)
    }
}
