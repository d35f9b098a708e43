//! store::erasure — the erasure of a member's account in one transaction
//! (service::erasure decides what to erase; this runs it), the pseudonym
//! reservations it leaves, and the retention sweeps (service::jobs).
//!
//! Most of a member's rows go with the `members` row: every table that
//! names a member by foreign key deletes on cascade (or sets the author of
//! a post, topic or report to NULL). What the cascade cannot reach is done
//! here first: rows that name the member without a foreign key (messages,
//! attachments), text they wrote that stays in others' places (posts, topic
//! titles, the search index, report reasons), what others hold about them
//! (notifications under their name, mentions), and counters.

use crate::audit::NewAuditEntry;
use crate::forum::delete_search;
use crate::{read, write, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::{AssociationId, MemberId};

/// What to erase of one member; service::erasure fills it in.
pub struct Erasure<'a> {
    pub association: &'a AssociationId,
    pub member: &'a MemberId,
    /// Remove the member's posts (content gone, a mark stays) instead of
    /// keeping them without their name.
    pub remove_posts: bool,
    /// Ids of the anonymous posts and topics the member wrote: they carry
    /// no author id, only a seal that the service recognised.
    pub anonymous_posts: &'a [String],
    pub anonymous_topics: &'a [String],
    /// What others' notifications show of the member (pseudonym, aliases).
    pub labels: &'a [String],
    /// Rendered mentions of the member and the plain text that replaces them.
    pub mentions: &'a [(String, String)],
    /// What replaces the title of a removed topic that others replied to.
    pub removed_title: &'a str,
    /// The keyed hash of the pseudonym's skeleton and until when it stays taken.
    pub reservation: Option<(&'a str, DateTime<Utc>)>,
    /// For retention: erase only if the member has not signed in since.
    pub inactive_before: Option<DateTime<Utc>>,
    /// The entry that says an account was erased (without saying whose).
    pub audit: NewAuditEntry<'a>,
}

impl Store {
    /// Erases a member (see the module comment); false when there was no
    /// such member (or, for retention, they signed in meanwhile): then
    /// nothing changed. On SQLite the WAL is emptied afterwards, so the
    /// erased text does not linger in it.
    pub async fn erase_member(&self, e: &Erasure<'_>) -> Result<bool, StoreError> {
        let association = e.association.as_str();
        let member = e.member.as_str();
        let backend = self.backend();
        let erased = write!(self, |pool| {
            let mut tx = pool.begin().await?;
            // Lock the member's row first: this is the claim. A concurrent
            // erasure, or a sign-in of an inactive member, makes it fail.
            let claimed = match e.inactive_before {
                None => {
                    sqlx::query("UPDATE members SET status = status WHERE association_id = $1 AND id = $2")
                        .bind(association)
                        .bind(member)
                        .execute(&mut *tx)
                        .await?
                }
                Some(before) => {
                    sqlx::query(
                        "UPDATE members SET status = status WHERE association_id = $1 AND id = $2 \
                         AND COALESCE(last_active_at, created_at) < $3 AND role = 'member'",
                    )
                    .bind(association)
                    .bind(member)
                    .bind(before)
                    .execute(&mut *tx)
                    .await?
                }
            }
            .rows_affected();
            if claimed == 0 {
                tx.rollback().await?;
                return Ok(false);
            }

            // Messages: the member's are removed for everyone, with their
            // files; a conversation left with at most one other member goes
            // whole (its key with it: crypto-shredding what is left).
            sqlx::query(
                "DELETE FROM message_attachments WHERE association_id = $1 AND (uploader_id = $2 OR message_id IN \
                 (SELECT id FROM messages WHERE association_id = $1 AND sender_id = $2))",
            )
            .bind(association)
            .bind(member)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM messages WHERE association_id = $1 AND sender_id = $2")
                .bind(association)
                .bind(member)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "DELETE FROM conversations WHERE association_id = $1 AND id IN \
                 (SELECT conversation_id FROM conversation_members WHERE association_id = $1 AND member_id = $2) \
                 AND (SELECT COUNT(*) FROM conversation_members o WHERE o.association_id = $1 \
                      AND o.conversation_id = conversations.id AND o.member_id <> $2) <= 1",
            )
            .bind(association)
            .bind(member)
            .execute(&mut *tx)
            .await?;

            // Posts and topics.
            let mut posts: Vec<String> =
                sqlx::query_as::<_, (String,)>("SELECT id FROM posts WHERE association_id = $1 AND author_id = $2")
                    .bind(association)
                    .bind(member)
                    .fetch_all(&mut *tx)
                    .await?
                    .into_iter()
                    .map(|(id,)| id)
                    .collect();
            posts.extend(e.anonymous_posts.iter().cloned());
            let mut topics: Vec<String> =
                sqlx::query_as::<_, (String,)>("SELECT id FROM topics WHERE association_id = $1 AND author_id = $2")
                    .bind(association)
                    .bind(member)
                    .fetch_all(&mut *tx)
                    .await?
                    .into_iter()
                    .map(|(id,)| id)
                    .collect();
            topics.extend(e.anonymous_topics.iter().cloned());
            for post in &posts {
                if e.remove_posts {
                    sqlx::query(
                        "UPDATE posts SET deleted = true, body = '', html = '', text = '', hidden_reason = NULL, \
                         author_id = NULL, author_seal = NULL WHERE association_id = $1 AND id = $2",
                    )
                    .bind(association)
                    .bind(post)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query("DELETE FROM post_edits WHERE association_id = $1 AND post_id = $2")
                        .bind(association)
                        .bind(post)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query("DELETE FROM reactions WHERE association_id = $1 AND post_id = $2")
                        .bind(association)
                        .bind(post)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query(delete_search(backend)).bind(association).bind(post).execute(&mut *tx).await?;
                } else {
                    // Kept without a name: nobody, the member included, can
                    // claim an anonymous post any more.
                    sqlx::query(
                        "UPDATE posts SET author_id = NULL, author_seal = NULL WHERE association_id = $1 AND id = $2",
                    )
                    .bind(association)
                    .bind(post)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            for topic in &topics {
                if e.remove_posts {
                    sqlx::query(
                        "UPDATE topics SET title = $3, author_id = NULL, author_seal = NULL \
                         WHERE association_id = $1 AND id = $2",
                    )
                    .bind(association)
                    .bind(topic)
                    .bind(e.removed_title)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query(
                        "UPDATE post_search SET title = $3 WHERE association_id = $1 AND post_id IN \
                         (SELECT id FROM posts WHERE association_id = $1 AND topic_id = $2)",
                    )
                    .bind(association)
                    .bind(topic)
                    .bind(e.removed_title)
                    .execute(&mut *tx)
                    .await?;
                } else {
                    sqlx::query(
                        "UPDATE topics SET author_id = NULL, author_seal = NULL WHERE association_id = $1 AND id = $2",
                    )
                    .bind(association)
                    .bind(topic)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            // Mentions of the member in others' posts become plain text.
            for (rendered, plain) in e.mentions {
                for table in ["posts", "post_edits"] {
                    sqlx::query(&format!(
                        "UPDATE {table} SET html = REPLACE(html, $2, $3) \
                         WHERE association_id = $1 AND REPLACE(html, $2, $3) <> html"
                    ))
                    .bind(association)
                    .bind(rendered)
                    .bind(plain)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            // What the member wrote in reports is theirs too; the report
            // itself stays for the moderators, without a reporter.
            for table in ["reports", "message_reports"] {
                sqlx::query(&format!("UPDATE {table} SET reason = '' WHERE association_id = $1 AND reporter_id = $2"))
                    .bind(association)
                    .bind(member)
                    .execute(&mut *tx)
                    .await?;
            }
            // Articles: drafts and those in review go with the account;
            // published ones stay for their readers without an author, or
            // go when the member's posts go.
            let articles = if e.remove_posts {
                "DELETE FROM articles WHERE association_id = $1 AND author_id = $2"
            } else {
                "DELETE FROM articles WHERE association_id = $1 AND author_id = $2 AND status <> 'published'"
            };
            for statement in [
                articles,
                "UPDATE articles SET author_id = NULL WHERE association_id = $1 AND author_id = $2",
                "UPDATE articles SET reviewer_id = NULL WHERE association_id = $1 AND reviewer_id = $2",
                // Calls: who was in which call goes; the call of the others
                // stays, without who started it.
                "DELETE FROM call_signals WHERE association_id = $1 AND (from_member = $2 OR to_member = $2)",
                "DELETE FROM call_members WHERE association_id = $1 AND member_id = $2",
                "UPDATE calls SET started_by = NULL WHERE association_id = $1 AND started_by = $2",
            ] {
                sqlx::query(statement).bind(association).bind(member).execute(&mut *tx).await?;
            }
            // Others' notifications that show the member's name.
            for label in e.labels {
                sqlx::query("DELETE FROM notifications WHERE association_id = $1 AND actor_label = $2")
                    .bind(association)
                    .bind(label)
                    .execute(&mut *tx)
                    .await?;
            }
            // Counters the cascade would leave behind.
            sqlx::query(
                "UPDATE community_groups SET member_count = member_count - 1 WHERE association_id = $1 AND id IN \
                 (SELECT group_id FROM group_members WHERE association_id = $1 AND member_id = $2 \
                  AND status = 'member')",
            )
            .bind(association)
            .bind(member)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE events SET registered_count = registered_count - 1 WHERE association_id = $1 AND id IN \
                 (SELECT event_id FROM event_registrations WHERE association_id = $1 AND member_id = $2 \
                  AND status = 'registered')",
            )
            .bind(association)
            .bind(member)
            .execute(&mut *tx)
            .await?;

            if let Some((hash, until)) = e.reservation {
                sqlx::query(
                    "INSERT INTO pseudonym_reservations (association_id, skeleton_hash, reserved_until) \
                     VALUES ($1, $2, $3) ON CONFLICT (association_id, skeleton_hash) \
                     DO UPDATE SET reserved_until = excluded.reserved_until",
                )
                .bind(association)
                .bind(hash)
                .bind(until)
                .execute(&mut *tx)
                .await?;
            }
            // Everything else of the member goes by cascade from here.
            sqlx::query("DELETE FROM members WHERE association_id = $1 AND id = $2")
                .bind(association)
                .bind(member)
                .execute(&mut *tx)
                .await?;
            let a = &e.audit;
            sqlx::query(
                "INSERT INTO audit_log (id, association_id, at, actor_id, action, target_id, detail) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(a.id)
            .bind(a.association_id.as_str())
            .bind(a.at)
            .bind(a.actor_id)
            .bind(a.action)
            .bind(a.target_id)
            .bind(a.detail)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<bool, StoreError>(true)
        })?;
        if erased {
            self.scrub_wal().await?;
        }
        Ok(erased)
    }

    /// The events a member is registered for or waiting for.
    pub async fn registered_events(
        &self,
        association: &AssociationId,
        member: &MemberId,
    ) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = read!(self, |pool| {
            sqlx::query_as("SELECT event_id FROM event_registrations WHERE association_id = $1 AND member_id = $2")
                .bind(association.as_str())
                .bind(member.as_str())
                .fetch_all(pool)
                .await
        })?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Anonymous posts and topics with their author seals, for the
    /// service to recognise a member's (`(post or topic, id, seal)`).
    pub async fn anonymous_seals(
        &self,
        association: &AssociationId,
    ) -> Result<Vec<(bool, String, String)>, StoreError> {
        let rows: Vec<(bool, String, String)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT true, id, author_seal FROM posts WHERE association_id = $1 AND anonymous \
                 AND author_seal IS NOT NULL \
                 UNION ALL SELECT false, id, author_seal FROM topics WHERE association_id = $1 AND anonymous \
                 AND author_seal IS NOT NULL",
            )
            .bind(association.as_str())
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// The aliases a member has in groups.
    pub async fn aliases_of(&self, association: &AssociationId, member: &MemberId) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT alias FROM group_members WHERE association_id = $1 AND member_id = $2 AND alias IS NOT NULL",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().map(|(a,)| a).collect())
    }

    /// Whether a pseudonym's skeleton (its keyed hash) is held back at `now`.
    pub async fn pseudonym_reserved(
        &self,
        association: &AssociationId,
        hash: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let row: Option<(String,)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT skeleton_hash FROM pseudonym_reservations WHERE association_id = $1 AND skeleton_hash = $2 \
                 AND reserved_until > $3",
            )
            .bind(association.as_str())
            .bind(hash)
            .bind(now)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row.is_some())
    }

    // ---- retention --------------------------------------------------------

    /// Marks as warned, and returns (id, e-mail, language), the members of
    /// an association who have not signed in since `before` and were not
    /// warned yet. The mark is the claim: each is warned once. Staff
    /// (any role but `member`) are neither warned nor erased for
    /// inactivity while they hold their role; a role change clears the
    /// mark (`set_role`), so a former staff member gets the full warning.
    pub async fn claim_inactive_warnings(
        &self,
        association: &AssociationId,
        before: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<(String, String, Option<String>)>, StoreError> {
        let rows = write!(self, |pool| {
            sqlx::query_as(
                "UPDATE members SET inactivity_warned_at = $3 WHERE association_id = $1 \
                 AND inactivity_warned_at IS NULL AND status <> 'email_unconfirmed' AND role = 'member' \
                 AND COALESCE(last_active_at, created_at) < $2 RETURNING id, email, language",
            )
            .bind(association.as_str())
            .bind(before)
            .bind(now)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// Members (role `member`: never staff) inactive since `before` and
    /// warned no later than `warned_by`: due for erasure (each erasure
    /// claims its member again, role included).
    pub async fn inactive_due(
        &self,
        association: &AssociationId,
        before: DateTime<Utc>,
        warned_by: DateTime<Utc>,
    ) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id FROM members WHERE association_id = $1 AND COALESCE(last_active_at, created_at) < $2 \
                 AND inactivity_warned_at IS NOT NULL AND inactivity_warned_at <= $3 AND role = 'member' LIMIT 500",
            )
            .bind(association.as_str())
            .bind(before)
            .bind(warned_by)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Registrations whose address was never confirmed, made before `before`.
    pub async fn unconfirmed_due(
        &self,
        association: &AssociationId,
        before: DateTime<Utc>,
    ) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id FROM members WHERE association_id = $1 AND status = 'email_unconfirmed' \
                 AND created_at < $2 LIMIT 500",
            )
            .bind(association.as_str())
            .bind(before)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Erases postal addresses (and codes) of letters requested before
    /// `before`; how many. One statement: claim and effect at once.
    pub async fn erase_old_letter_addresses(
        &self,
        association: &AssociationId,
        before: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let done = write!(self, |pool| {
            sqlx::query(
                "UPDATE letters SET sealed_address = NULL, code_hash = NULL WHERE association_id = $1 \
                 AND sealed_address IS NOT NULL AND created_at < $2",
            )
            .bind(association.as_str())
            .bind(before)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(done)
    }

    /// Deletes notifications written before `before`; how many.
    pub async fn delete_old_notifications(
        &self,
        association: &AssociationId,
        before: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let done = write!(self, |pool| {
            sqlx::query("DELETE FROM notifications WHERE association_id = $1 AND created_at < $2")
                .bind(association.as_str())
                .bind(before)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(done)
    }

    /// Deletes the pseudonym reservations that ran out; how many.
    pub async fn delete_expired_reservations(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let done = write!(self, |pool| {
            sqlx::query("DELETE FROM pseudonym_reservations WHERE reserved_until <= $1")
                .bind(now)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(done)
    }
}
