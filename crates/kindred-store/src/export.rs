//! store::export — the rows of a member's data export (`exports`, migration
//! 0025), the reads of what the member did that no other list gives whole
//! (their posts and topics, reactions, subscriptions, group rows, events,
//! registrations), and the staff accesses to them in the audit log.
//!
//! Nothing here decides what of other members the export may hold: the
//! service passes everything about others through `members::sight_of`,
//! `group_access`, `topic_access` and the like. These reads return only the
//! member's own rows.

use crate::{read, write, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::{AssociationId, MemberId};

/// One export as its member sees it (never the ZIP).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExportRecord {
    pub id: String,
    pub member_id: String,
    pub requested_at: DateTime<Utc>,
    pub ready_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub downloaded_at: Option<DateTime<Utc>>,
}

/// An export waiting to be built.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UnbuiltExport {
    pub association_id: String,
    pub id: String,
}

/// A post the member wrote (named, under an alias or, when the service
/// recognised the seal, anonymously), with where it stands.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OwnPostRecord {
    pub id: String,
    pub topic_id: String,
    pub number: i32,
    pub author_id: Option<String>,
    pub author_seal: Option<String>,
    pub anonymous: bool,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    pub deleted: bool,
    pub hidden: bool,
    pub topic_title: String,
    pub topic_group_id: Option<String>,
    pub topic_hidden: bool,
}

/// A topic the member opened.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OwnTopicRecord {
    pub id: String,
    pub title: String,
    pub category_id: Option<String>,
    pub group_id: Option<String>,
    pub author_id: Option<String>,
    pub author_seal: Option<String>,
    pub anonymous: bool,
    pub hidden: bool,
    pub created_at: DateTime<Utc>,
}

/// A reaction the member gave, or a topic they follow.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OwnMarkRecord {
    /// The post (reactions) or topic (subscriptions).
    pub target_id: String,
    /// The reaction's kind; empty for a subscription.
    pub kind: String,
    pub created_at: DateTime<Utc>,
}

/// The member's row in a group.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OwnGroupRecord {
    pub group_id: String,
    pub name: String,
    pub status: String,
    pub role: String,
    pub alias: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// An event the member created, or is registered for.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OwnEventRecord {
    pub event_id: String,
    pub group_id: Option<String>,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    /// `created` for the member's own events, else the registration's
    /// status (registered, waitlisted).
    pub status: String,
    pub created_at: DateTime<Utc>,
}

/// A staff access to the member's data: when, what, the actor's current
/// role, and their pseudonym (which the service shows only where the
/// association names staff: `[data] access_log_names_staff`).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccessRecord {
    pub at: DateTime<Utc>,
    pub action: String,
    pub actor_role: Option<String>,
    pub actor_pseudonym: Option<String>,
}

impl Store {
    /// Records that `member` asked for an export.
    pub async fn insert_export(
        &self,
        association: &AssociationId,
        id: &str,
        member: &MemberId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query("INSERT INTO exports (association_id, id, member_id, requested_at) VALUES ($1, $2, $3, $4)")
                .bind(association.as_str())
                .bind(id)
                .bind(member.as_str())
                .bind(now)
                .execute(pool)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    /// Claims an unbuilt export until `until` and gives its member, unless
    /// it is built or another builder holds an unexpired claim.
    pub async fn claim_export(
        &self,
        association: &AssociationId,
        id: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Option<String>, StoreError> {
        let member = write!(self, |pool| {
            sqlx::query_scalar(
                "UPDATE exports SET claimed_until = $4 WHERE association_id = $1 AND id = $2 \
                 AND ready_at IS NULL AND (claimed_until IS NULL OR claimed_until <= $3) RETURNING member_id",
            )
            .bind(association.as_str())
            .bind(id)
            .bind(now)
            .bind(until)
            .fetch_optional(pool)
            .await
        })?;
        Ok(member)
    }

    /// Stores the sealed ZIP of a claimed export; false when it was built
    /// meanwhile (by a builder whose claim ran out first), which keeps that one.
    pub async fn finish_export(
        &self,
        association: &AssociationId,
        id: &str,
        sealed: &[u8],
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = write!(self, |pool| {
            sqlx::query(
                "UPDATE exports SET sealed_zip = $3, ready_at = $4, expires_at = $5, claimed_until = NULL \
                 WHERE association_id = $1 AND id = $2 AND ready_at IS NULL",
            )
            .bind(association.as_str())
            .bind(id)
            .bind(sealed)
            .bind(now)
            .bind(expires_at)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(done == 1)
    }

    /// Exports not built and not claimed at `now`, in every association,
    /// oldest first.
    pub async fn unbuilt_exports(&self, now: DateTime<Utc>, limit: i64) -> Result<Vec<UnbuiltExport>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT association_id, id FROM exports WHERE ready_at IS NULL \
                 AND (claimed_until IS NULL OR claimed_until <= $1) ORDER BY requested_at LIMIT $2",
            )
            .bind(now)
            .bind(limit)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// One export of `member` (another member's id is `None`, as an unknown one).
    pub async fn export_of(
        &self,
        association: &AssociationId,
        member: &MemberId,
        id: &str,
    ) -> Result<Option<ExportRecord>, StoreError> {
        let row = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, member_id, requested_at, ready_at, expires_at, downloaded_at FROM exports \
                 WHERE association_id = $1 AND member_id = $2 AND id = $3",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(id)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row)
    }

    /// The member's exports, newest first.
    pub async fn exports_of(
        &self,
        association: &AssociationId,
        member: &MemberId,
        limit: i64,
    ) -> Result<Vec<ExportRecord>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, member_id, requested_at, ready_at, expires_at, downloaded_at FROM exports \
                 WHERE association_id = $1 AND member_id = $2 ORDER BY requested_at DESC, id DESC LIMIT $3",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(limit)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// Takes the sealed ZIP out for its one download: read and marked
    /// downloaded (the ZIP dropped) in one transaction, and only if no other
    /// download came first (`downloaded_at IS NULL` checked again by the
    /// UPDATE, which waits for a concurrent one's row lock on PostgreSQL).
    pub async fn take_export(
        &self,
        association: &AssociationId,
        member: &MemberId,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let taken = write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let sealed: Option<Option<Vec<u8>>> = sqlx::query_scalar(
                "SELECT sealed_zip FROM exports WHERE association_id = $1 AND member_id = $2 AND id = $3 \
                 AND ready_at IS NOT NULL AND downloaded_at IS NULL AND expires_at > $4",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(id)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(Some(sealed)) = sealed else { return Ok(None) };
            let marked = sqlx::query(
                "UPDATE exports SET downloaded_at = $4, sealed_zip = NULL WHERE association_id = $1 \
                 AND member_id = $2 AND id = $3 AND downloaded_at IS NULL",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await?;
            (marked == 1).then_some(sealed)
        });
        Ok(taken)
    }

    /// Deletes exports whose time is over (with any ZIP still in them).
    pub async fn delete_expired_exports(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let deleted = write!(self, |pool| {
            sqlx::query("DELETE FROM exports WHERE expires_at IS NOT NULL AND expires_at <= $1")
                .bind(now)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(deleted)
    }

    /// Every audit entry about `member` by somebody else (staff: only staff
    /// use cases write entries that name a member as target), oldest
    /// first, with the actor's current role. An entry without an actor (a
    /// moderator of an alias group, unnamed) has none.
    pub async fn accesses_to(
        &self,
        association: &AssociationId,
        member: &MemberId,
    ) -> Result<Vec<AccessRecord>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT l.at, l.action, a.role AS actor_role, a.pseudonym AS actor_pseudonym FROM audit_log l \
                 LEFT JOIN members a ON a.id = l.actor_id AND a.association_id = l.association_id \
                 WHERE l.association_id = $1 AND l.target_id = $2 AND (l.actor_id IS NULL OR l.actor_id <> $2) \
                 ORDER BY l.at, l.id",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// The member's named posts and every anonymous post of the association
    /// (the service keeps those whose seal is the member's), oldest first.
    pub async fn posts_for_export(
        &self,
        association: &AssociationId,
        member: &MemberId,
    ) -> Result<Vec<OwnPostRecord>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT p.id, p.topic_id, p.number, p.author_id, p.author_seal, p.anonymous, p.body, p.created_at, \
                 p.edited_at, p.deleted, p.hidden, t.title AS topic_title, t.group_id AS topic_group_id, \
                 t.hidden AS topic_hidden FROM posts p \
                 JOIN topics t ON t.association_id = p.association_id AND t.id = p.topic_id \
                 WHERE p.association_id = $1 AND (p.author_id = $2 OR p.anonymous) \
                 ORDER BY p.created_at, p.id",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// The member's named topics and every anonymous topic (see
    /// [`Store::posts_for_export`]), oldest first.
    pub async fn topics_for_export(
        &self,
        association: &AssociationId,
        member: &MemberId,
    ) -> Result<Vec<OwnTopicRecord>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, title, category_id, group_id, author_id, author_seal, anonymous, hidden, created_at \
                 FROM topics WHERE association_id = $1 AND (author_id = $2 OR anonymous) ORDER BY created_at, id",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// The member's reactions (`kind` set) and subscriptions (`kind` empty).
    pub async fn marks_for_export(
        &self,
        association: &AssociationId,
        member: &MemberId,
    ) -> Result<(Vec<OwnMarkRecord>, Vec<OwnMarkRecord>), StoreError> {
        let reactions = read!(self, |pool| {
            sqlx::query_as(
                "SELECT post_id AS target_id, kind, created_at FROM reactions \
                 WHERE association_id = $1 AND member_id = $2 ORDER BY created_at, post_id",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .fetch_all(pool)
            .await
        })?;
        let subscriptions = read!(self, |pool| {
            sqlx::query_as(
                "SELECT topic_id AS target_id, '' AS kind, created_at FROM topic_subscriptions \
                 WHERE association_id = $1 AND member_id = $2 ORDER BY created_at, topic_id",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .fetch_all(pool)
            .await
        })?;
        Ok((reactions, subscriptions))
    }

    /// The member's rows in groups, with the group's name.
    pub async fn groups_for_export(
        &self,
        association: &AssociationId,
        member: &MemberId,
    ) -> Result<Vec<OwnGroupRecord>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT gm.group_id, g.name, gm.status, gm.role, gm.alias, gm.created_at FROM group_members gm \
                 JOIN community_groups g ON g.association_id = gm.association_id AND g.id = gm.group_id \
                 WHERE gm.association_id = $1 AND gm.member_id = $2 ORDER BY gm.created_at, gm.group_id",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// Events the member created and events they are registered for.
    pub async fn events_for_export(
        &self,
        association: &AssociationId,
        member: &MemberId,
    ) -> Result<Vec<OwnEventRecord>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id AS event_id, group_id, title, starts_at, 'created' AS status, created_at FROM events \
                 WHERE association_id = $1 AND created_by = $2 \
                 UNION ALL \
                 SELECT e.id AS event_id, e.group_id, e.title, e.starts_at, r.status, r.created_at \
                 FROM event_registrations r JOIN events e ON e.association_id = r.association_id AND e.id = r.event_id \
                 WHERE r.association_id = $1 AND r.member_id = $2 ORDER BY 6, 1",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }
}

/// One of the member's own messages, still sealed under its conversation's
/// key: text only (never a deleted one or a system line), and only while
/// it has not reached its disappearing time.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OwnMessageRecord {
    pub conversation_id: String,
    pub id: String,
    pub sealed_body: Option<Vec<u8>>,
    pub sent_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
}

/// When the account's address was confirmed, its last sign-in, and the
/// retention warning (migration 0026).
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct AccountTimes {
    pub email_confirmed_at: Option<DateTime<Utc>>,
    pub last_active_at: Option<DateTime<Utc>>,
    pub inactivity_warned_at: Option<DateTime<Utc>>,
}

/// The member's request for verification (`verification_requests`), or
/// their verification (`verifications`): one of `requested_at` and
/// `verified_at` is set.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OwnVerificationRecord {
    pub procedure: String,
    pub requested_at: Option<DateTime<Utc>>,
    pub declined_at: Option<DateTime<Utc>>,
    pub verified_at: Option<DateTime<Utc>>,
}

/// The member's postal letter: the address while it is still held
/// (sealed; erased once the code is confirmed), never the code.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OwnLetterRecord {
    pub sealed_address: Option<Vec<u8>>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub printed_at: Option<DateTime<Utc>>,
    pub confirmed_at: Option<DateTime<Utc>>,
}

/// A report the member filed: about a post or topic (`target_type`), or
/// about messages (`message`, with how many they shared).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OwnReportRecord {
    pub target_type: String,
    pub kind: String,
    pub reason: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub messages_shared: i64,
}

/// An earlier version of a post: of the member's named posts and of every
/// anonymous post (the service keeps those of posts it found to be theirs).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OwnPostEditRecord {
    pub post_id: String,
    pub body: String,
    pub written_at: DateTime<Utc>,
    pub replaced_at: DateTime<Utc>,
}

/// A topic and the last post the member read in it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OwnReadRecord {
    pub topic_id: String,
    pub last_read: i64,
}

/// A reminder mailed about an event's occurrence.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OwnReminderRecord {
    pub event_id: String,
    pub starts_at: DateTime<Utc>,
    pub sent_at: DateTime<Utc>,
}

/// The member's calendar feed (never its token).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OwnFeedRecord {
    pub full_titles: bool,
    pub created_at: DateTime<Utc>,
}

/// Something the server flagged to staff about the member.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OwnFlagRecord {
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

/// A notification mailed to the member.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OwnMailRecord {
    pub kind: String,
    pub sent_at: DateTime<Utc>,
}

/// The rest of the member's own rows, for the export: every member-keyed
/// table of `service::erasure::TABLES` that no other read gives whole.
#[derive(Debug, Clone, Default)]
pub struct OwnExtras {
    pub times: AccountTimes,
    pub verifications: Vec<OwnVerificationRecord>,
    pub letter: Option<OwnLetterRecord>,
    pub reports: Vec<OwnReportRecord>,
    pub post_edits: Vec<OwnPostEditRecord>,
    pub topic_reads: Vec<OwnReadRecord>,
    pub reminders: Vec<OwnReminderRecord>,
    pub calendar_feed: Option<OwnFeedRecord>,
    pub staff_flags: Vec<OwnFlagRecord>,
    pub mails: Vec<OwnMailRecord>,
}

impl Store {
    /// The member's own messages in every conversation, with their
    /// conversation, oldest first (see [`OwnMessageRecord`]); the service
    /// keeps those of conversations the member can no longer open.
    pub async fn own_messages_for_export(
        &self,
        association: &AssociationId,
        member: &MemberId,
        now: DateTime<Utc>,
    ) -> Result<Vec<OwnMessageRecord>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT conversation_id, id, sealed_body, sent_at, edited_at FROM messages \
                 WHERE association_id = $1 AND sender_id = $2 AND kind = 'text' AND sealed_body IS NOT NULL \
                 AND (erase_at IS NULL OR erase_at > $3) ORDER BY conversation_id, seq",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(now)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// The member's rows of the smaller tables (see [`OwnExtras`]).
    pub async fn own_extras_for_export(
        &self,
        association: &AssociationId,
        member: &MemberId,
    ) -> Result<OwnExtras, StoreError> {
        let a = association.as_str();
        let m = member.as_str();
        let times: Option<AccountTimes> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT email_confirmed_at, last_active_at, inactivity_warned_at FROM members \
                 WHERE association_id = $1 AND id = $2",
            )
            .bind(a)
            .bind(m)
            .fetch_optional(pool)
            .await
        })?;
        let verifications = read!(self, |pool| {
            sqlx::query_as(
                "SELECT procedure, requested_at, declined_at, NULL AS verified_at FROM verification_requests \
                 WHERE association_id = $1 AND member_id = $2 \
                 UNION ALL \
                 SELECT procedure, NULL AS requested_at, NULL AS declined_at, verified_at FROM verifications \
                 WHERE association_id = $1 AND member_id = $2",
            )
            .bind(a)
            .bind(m)
            .fetch_all(pool)
            .await
        })?;
        let letter = read!(self, |pool| {
            sqlx::query_as(
                "SELECT sealed_address, created_at, expires_at, printed_at, confirmed_at FROM letters \
                 WHERE association_id = $1 AND member_id = $2",
            )
            .bind(a)
            .bind(m)
            .fetch_optional(pool)
            .await
        })?;
        let reports = read!(self, |pool| {
            sqlx::query_as(
                "SELECT target_type, kind, reason, status, created_at, CAST(0 AS BIGINT) AS messages_shared \
                 FROM reports WHERE association_id = $1 AND reporter_id = $2 \
                 UNION ALL \
                 SELECT 'message' AS target_type, r.kind, r.reason, r.status, r.created_at, \
                 (SELECT COUNT(*) FROM message_report_items i WHERE i.association_id = r.association_id \
                   AND i.report_id = r.id) AS messages_shared \
                 FROM message_reports r WHERE r.association_id = $1 AND r.reporter_id = $2 ORDER BY 5",
            )
            .bind(a)
            .bind(m)
            .fetch_all(pool)
            .await
        })?;
        let post_edits = read!(self, |pool| {
            sqlx::query_as(
                "SELECT e.post_id, e.body, e.written_at, e.replaced_at FROM post_edits e \
                 JOIN posts p ON p.association_id = e.association_id AND p.id = e.post_id \
                 WHERE e.association_id = $1 AND (p.author_id = $2 OR p.anonymous) \
                 ORDER BY e.post_id, e.replaced_at, e.id",
            )
            .bind(a)
            .bind(m)
            .fetch_all(pool)
            .await
        })?;
        let topic_reads = read!(self, |pool| {
            sqlx::query_as(
                "SELECT topic_id, CAST(last_read AS BIGINT) AS last_read FROM topic_reads \
                 WHERE association_id = $1 AND member_id = $2 ORDER BY topic_id",
            )
            .bind(a)
            .bind(m)
            .fetch_all(pool)
            .await
        })?;
        let reminders = read!(self, |pool| {
            sqlx::query_as(
                "SELECT event_id, starts_at, sent_at FROM event_reminders \
                 WHERE association_id = $1 AND member_id = $2 ORDER BY sent_at, event_id",
            )
            .bind(a)
            .bind(m)
            .fetch_all(pool)
            .await
        })?;
        let calendar_feed = read!(self, |pool| {
            sqlx::query_as(
                "SELECT full_titles, created_at FROM calendar_feeds WHERE association_id = $1 AND member_id = $2",
            )
            .bind(a)
            .bind(m)
            .fetch_optional(pool)
            .await
        })?;
        let staff_flags = read!(self, |pool| {
            sqlx::query_as(
                "SELECT reason, created_at FROM staff_flags WHERE association_id = $1 AND member_id = $2 \
                 ORDER BY created_at, id",
            )
            .bind(a)
            .bind(m)
            .fetch_all(pool)
            .await
        })?;
        let mails = read!(self, |pool| {
            sqlx::query_as(
                "SELECT kind, sent_at FROM mail_records WHERE association_id = $1 AND member_id = $2 \
                 AND sent_at IS NOT NULL ORDER BY sent_at, notification_id",
            )
            .bind(a)
            .bind(m)
            .fetch_all(pool)
            .await
        })?;
        Ok(OwnExtras {
            times: times.unwrap_or_default(),
            verifications,
            letter,
            reports,
            post_edits,
            topic_reads,
            reminders,
            calendar_feed,
            staff_flags,
            mails,
        })
    }
}
