//! store::moderation — reports, moderation actions (hide, restore, lock,
//! pin, move, warn) with their reasons, and the notifications they cause.
//! Who may do any of this is decided in `service::moderation`; here every
//! change and the rows that record it are written in one transaction.

use crate::forum::RECOUNT_CATEGORY;
use crate::{read, write, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::{AssociationId, MemberId};

/// A post as moderation needs it: where it is, who wrote it (if known)
/// and whether it is hidden.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ModeratedPost {
    pub id: String,
    pub topic_id: String,
    pub number: i32,
    pub author_id: Option<String>,
    pub anonymous: bool,
    pub text: String,
    pub deleted: bool,
    pub hidden: bool,
    pub hidden_reason: Option<String>,
}

/// A report as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReportRecord {
    pub id: String,
    pub reporter_id: Option<String>,
    pub target_type: String,
    pub target_id: String,
    pub kind: String,
    pub reason: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolution: Option<String>,
}

/// A moderation action as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ModerationActionRecord {
    pub id: String,
    pub actor_id: String,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

/// Someone to notify (and perhaps mail): id, address and language.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Recipient {
    pub id: String,
    pub email: String,
    pub language: Option<String>,
}

/// An in-app notification to write.
#[derive(Debug, Clone)]
pub struct NewNotification {
    pub id: String,
    pub member_id: String,
    pub kind: &'static str,
    pub topic_id: Option<String>,
    pub post_id: Option<String>,
    pub detail: Option<String>,
}

pub struct NewReport<'a> {
    pub association: &'a AssociationId,
    pub id: &'a str,
    pub reporter: &'a MemberId,
    pub target_type: &'a str,
    pub target_id: &'a str,
    pub kind: &'a str,
    pub reason: &'a str,
    pub at: DateTime<Utc>,
}

/// What a moderation action changes.
#[derive(Debug, Clone)]
pub enum ModerationChange {
    HidePost {
        post: String,
        reason: String,
    },
    RestorePost {
        post: String,
    },
    TopicHidden {
        topic: String,
        hidden: bool,
    },
    TopicLocked {
        topic: String,
        locked: bool,
    },
    TopicPinned {
        topic: String,
        pinned: bool,
    },
    /// Moves a topic; the category counters of both places are counted
    /// anew (`RECOUNT_CATEGORY`).
    MoveTopic {
        topic: String,
        from_category: Option<String>,
        to_category: Option<String>,
        to_group: Option<String>,
    },
    /// Nothing changes but the record (a warning, a closed report).
    Nothing,
}

/// The record of one action.
pub struct NewModerationAction<'a> {
    pub association: &'a AssociationId,
    pub id: &'a str,
    pub actor: &'a MemberId,
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: &'a str,
    pub reason: &'a str,
    pub at: DateTime<Utc>,
}

const REPORT_COLUMNS: &str =
    "id, reporter_id, target_type, target_id, kind, reason, status, created_at, resolved_at, resolution";

/// Writes notifications with the transaction `$tx`.
macro_rules! insert_notifications {
    ($tx:ident, $association:expr, $notifications:expr, $at:expr) => {
        for n in $notifications {
            sqlx::query(
                "INSERT INTO notifications (association_id, id, member_id, kind, topic_id, post_id, actor_label, \
                 detail, created_at) VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8)",
            )
            .bind($association.as_str())
            .bind(n.id.as_str())
            .bind(n.member_id.as_str())
            .bind(n.kind)
            .bind(n.topic_id.as_deref())
            .bind(n.post_id.as_deref())
            .bind(n.detail.as_deref())
            .bind($at)
            .execute(&mut *$tx)
            .await?;
        }
    };
}

/// Records a moderation action with the transaction `$tx`.
macro_rules! insert_action {
    ($tx:ident, $action:expr) => {
        sqlx::query(
            "INSERT INTO moderation_actions (association_id, id, actor_id, action, target_type, target_id, reason, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind($action.association.as_str())
        .bind($action.id)
        .bind($action.actor.as_str())
        .bind($action.action)
        .bind($action.target_type)
        .bind($action.target_id)
        .bind($action.reason)
        .bind($action.at)
        .execute(&mut *$tx)
        .await?;
    };
}

impl Store {
    pub async fn moderated_post(
        &self,
        association: &AssociationId,
        post: &str,
    ) -> Result<Option<ModeratedPost>, StoreError> {
        let row = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, topic_id, number, author_id, anonymous, text, deleted, hidden, hidden_reason FROM posts \
                 WHERE association_id = $1 AND id = $2",
            )
            .bind(association.as_str())
            .bind(post)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row)
    }

    /// The plain text of a topic's opening post.
    pub async fn opening_text(&self, association: &AssociationId, topic: &str) -> Result<Option<String>, StoreError> {
        let row = read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT text FROM posts WHERE association_id = $1 AND topic_id = $2 ORDER BY number LIMIT 1",
            )
            .bind(association.as_str())
            .bind(topic)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row)
    }

    /// A member's pseudonym.
    pub async fn pseudonym_of(&self, association: &AssociationId, member: &str) -> Result<Option<String>, StoreError> {
        let row = read!(self, |pool| {
            sqlx::query_scalar("SELECT pseudonym FROM members WHERE association_id = $1 AND id = $2")
                .bind(association.as_str())
                .bind(member)
                .fetch_optional(pool)
                .await
        })?;
        Ok(row)
    }

    /// Whether a forum category exists.
    pub async fn category_exists(&self, association: &AssociationId, category: &str) -> Result<bool, StoreError> {
        let found: Option<i32> = read!(self, |pool| {
            sqlx::query_scalar("SELECT 1 FROM forum_categories WHERE association_id = $1 AND id = $2")
                .bind(association.as_str())
                .bind(category)
                .fetch_optional(pool)
                .await
        })?;
        Ok(found.is_some())
    }

    /// Whether the member moderates at least one group.
    pub async fn moderates_a_group(&self, association: &AssociationId, member: &MemberId) -> Result<bool, StoreError> {
        let found: Option<i32> = read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT 1 FROM group_members WHERE association_id = $1 AND member_id = $2 AND status = 'member' \
                 AND role = 'moderator' LIMIT 1",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .fetch_optional(pool)
            .await
        })?;
        Ok(found.is_some())
    }

    /// Whether the member moderates at least one alias group (where their
    /// account must not be named beside what they do as moderator).
    pub async fn moderates_an_alias_group(
        &self,
        association: &AssociationId,
        member: &MemberId,
    ) -> Result<bool, StoreError> {
        let found: Option<i32> = read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT 1 FROM group_members m JOIN community_groups g \
                 ON g.association_id = m.association_id AND g.id = m.group_id \
                 WHERE m.association_id = $1 AND m.member_id = $2 AND m.status = 'member' \
                 AND m.role = 'moderator' AND g.alias_mode LIMIT 1",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .fetch_optional(pool)
            .await
        })?;
        Ok(found.is_some())
    }

    /// Active members with one of the account roles given.
    pub async fn active_with_roles(
        &self,
        association: &AssociationId,
        roles: &[&str],
    ) -> Result<Vec<Recipient>, StoreError> {
        let mut found = Vec::new();
        for role in roles {
            let rows: Vec<Recipient> = read!(self, |pool| {
                sqlx::query_as(
                    "SELECT id, email, language FROM members WHERE association_id = $1 AND role = $2 \
                     AND status = 'active' ORDER BY id",
                )
                .bind(association.as_str())
                .bind(*role)
                .fetch_all(pool)
                .await
            })?;
            found.extend(rows);
        }
        Ok(found)
    }

    /// Active members of a group: its moderators only, or those holding an account role.
    pub async fn active_group_members(
        &self,
        association: &AssociationId,
        group: &str,
        moderators_only: bool,
        account_role: Option<&str>,
    ) -> Result<Vec<Recipient>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT m.id, m.email, m.language FROM group_members gm \
                 JOIN members m ON m.association_id = gm.association_id AND m.id = gm.member_id \
                 WHERE gm.association_id = $1 AND gm.group_id = $2 AND gm.status = 'member' \
                 AND ($3 = FALSE OR gm.role = 'moderator') AND ($4 IS NULL OR m.role = $4) \
                 AND m.status = 'active' ORDER BY m.id",
            )
            .bind(association.as_str())
            .bind(group)
            .bind(moderators_only)
            .bind(account_role)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// A report and the notifications it causes, together.
    pub async fn insert_report(
        &self,
        report: &NewReport<'_>,
        notifications: &[NewNotification],
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO reports (association_id, id, reporter_id, target_type, target_id, kind, reason, status, \
                 created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8)",
            )
            .bind(report.association.as_str())
            .bind(report.id)
            .bind(report.reporter.as_str())
            .bind(report.target_type)
            .bind(report.target_id)
            .bind(report.kind)
            .bind(report.reason)
            .bind(report.at)
            .execute(&mut *tx)
            .await?;
            insert_notifications!(tx, report.association, notifications, report.at);
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn report(&self, association: &AssociationId, id: &str) -> Result<Option<ReportRecord>, StoreError> {
        let sql = format!("SELECT {REPORT_COLUMNS} FROM reports WHERE association_id = $1 AND id = $2");
        let row = read!(self, |pool| {
            sqlx::query_as(&sql).bind(association.as_str()).bind(id).fetch_optional(pool).await
        })?;
        Ok(row)
    }

    /// Reports with a status, crisis reports first, then oldest first; at most `limit`.
    pub async fn reports(
        &self,
        association: &AssociationId,
        status: &str,
        kind: Option<&str>,
        limit: i64,
    ) -> Result<Vec<ReportRecord>, StoreError> {
        let of_kind = if kind.is_some() { " AND kind = $4" } else { "" };
        let sql = format!(
            "SELECT {REPORT_COLUMNS} FROM reports WHERE association_id = $1 AND status = $2{of_kind} \
             ORDER BY CASE WHEN kind = 'crisis' THEN 0 ELSE 1 END, created_at, id LIMIT $3"
        );
        let rows = read!(self, |pool| {
            let mut query = sqlx::query_as(&sql).bind(association.as_str()).bind(status).bind(limit);
            if let Some(kind) = kind {
                query = query.bind(kind);
            }
            query.fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// Closes an open report, with its record; false when it was not open.
    pub async fn close_report(
        &self,
        association: &AssociationId,
        id: &str,
        status: &str,
        note: &str,
        action: &NewModerationAction<'_>,
    ) -> Result<bool, StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "UPDATE reports SET status = $3, resolved_by = $4, resolved_at = $5, resolution = $6 \
                 WHERE association_id = $1 AND id = $2 AND status = 'open'",
            )
            .bind(association.as_str())
            .bind(id)
            .bind(status)
            .bind(action.actor.as_str())
            .bind(action.at)
            .bind(note)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if done == 0 {
                return Ok(false);
            }
            insert_action!(tx, action);
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Applies a moderation action, records it and writes its notifications, all or nothing.
    pub async fn apply_moderation(
        &self,
        change: &ModerationChange,
        action: &NewModerationAction<'_>,
        notifications: &[NewNotification],
    ) -> Result<(), StoreError> {
        let association = action.association.as_str();
        let at = action.at;
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            match change {
                ModerationChange::HidePost { post, reason } => {
                    sqlx::query(
                        "UPDATE posts SET hidden = TRUE, hidden_reason = $3, hidden_at = $4 \
                         WHERE association_id = $1 AND id = $2",
                    )
                    .bind(association)
                    .bind(post)
                    .bind(reason)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                }
                ModerationChange::RestorePost { post } => {
                    sqlx::query(
                        "UPDATE posts SET hidden = FALSE, hidden_reason = NULL, hidden_at = NULL \
                         WHERE association_id = $1 AND id = $2",
                    )
                    .bind(association)
                    .bind(post)
                    .execute(&mut *tx)
                    .await?;
                }
                ModerationChange::TopicHidden { topic, hidden: flag }
                | ModerationChange::TopicLocked { topic, locked: flag }
                | ModerationChange::TopicPinned { topic, pinned: flag } => {
                    let column = match change {
                        ModerationChange::TopicHidden { .. } => "hidden",
                        ModerationChange::TopicLocked { .. } => "locked",
                        _ => "pinned",
                    };
                    let category: Option<Option<String>> = sqlx::query_scalar(&format!(
                        "UPDATE topics SET {column} = $3 WHERE association_id = $1 AND id = $2 RETURNING category_id"
                    ))
                    .bind(association)
                    .bind(topic)
                    .bind(*flag)
                    .fetch_optional(&mut *tx)
                    .await?;
                    // A hidden topic counts in no category's counters.
                    if let (ModerationChange::TopicHidden { .. }, Some(Some(category))) = (change, category) {
                        sqlx::query(RECOUNT_CATEGORY).bind(association).bind(category).execute(&mut *tx).await?;
                    }
                }
                ModerationChange::MoveTopic { topic, from_category, to_category, to_group } => {
                    sqlx::query(
                        "UPDATE topics SET category_id = $3, group_id = $4 WHERE association_id = $1 AND id = $2",
                    )
                    .bind(association)
                    .bind(topic)
                    .bind(to_category.as_deref())
                    .bind(to_group.as_deref())
                    .execute(&mut *tx)
                    .await?;
                    // Counted anew, so that a hidden topic moves no counter and
                    // the last post of the category left behind is right.
                    for category in [from_category, to_category].into_iter().flatten() {
                        sqlx::query(RECOUNT_CATEGORY).bind(association).bind(category).execute(&mut *tx).await?;
                    }
                }
                ModerationChange::Nothing => {}
            }
            insert_action!(tx, action);
            insert_notifications!(tx, action.association, notifications, at);
            tx.commit().await?;
            Ok(())
        })
    }

    /// The reason of the latest hiding of a topic.
    pub async fn topic_hidden_reason(
        &self,
        association: &AssociationId,
        topic: &str,
    ) -> Result<Option<String>, StoreError> {
        let reason = read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT reason FROM moderation_actions WHERE association_id = $1 AND target_id = $2 \
                 AND action = 'topic.hidden' ORDER BY created_at DESC, id DESC LIMIT 1",
            )
            .bind(association.as_str())
            .bind(topic)
            .fetch_optional(pool)
            .await
        })?;
        Ok(reason)
    }

    /// The actions on one post or topic, oldest first.
    pub async fn moderation_actions(
        &self,
        association: &AssociationId,
        target: &str,
    ) -> Result<Vec<ModerationActionRecord>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, actor_id, action, target_type, target_id, reason, created_at FROM moderation_actions \
                 WHERE association_id = $1 AND target_id = $2 ORDER BY created_at, id",
            )
            .bind(association.as_str())
            .bind(target)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }
}
