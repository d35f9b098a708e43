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
