//! store::mail_records — the record of which notification went into which
//! mail (service::mail_delivery), and each member's quiet hours.
//!
//! A notification is claimed for a mail by inserting its row in
//! `mail_records`; the insert fails on the primary key when another node
//! claimed it first, and a claim of several notifications is all or
//! nothing. The row is written before the mail is sent and marked sent
//! after; a claim that was never marked sent is sent again under the same
//! mail id once its lease has run out.

use crate::{read, write, Pools, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::{AssociationId, MemberId};

/// A notification as the mail job sees it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PendingNotification {
    pub id: String,
    pub member_id: String,
    pub kind: String,
    pub topic_id: Option<String>,
    pub event_id: Option<String>,
    pub conversation_id: Option<String>,
    pub group_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A member's quiet hours as stored: minutes after local midnight.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct QuietHoursRecord {
    pub member_id: String,
    pub from_minute: i32,
    pub to_minute: i32,
    pub time_zone: Option<String>,
}

/// One claim: which notifications go into the mail `mail_id` (or, with
/// `mail_id` `None`, into no mail at all: decided and done).
pub struct MailClaim<'a> {
    pub member: &'a str,
    pub mail_id: Option<&'a str>,
    pub items: &'a [(&'a str, &'a str)],
    pub now: DateTime<Utc>,
    pub lease_until: DateTime<Utc>,
}

/// Which notifications wait for a digest, for a round that sends none
/// (`service::mail_delivery` decides; the store only applies it): those of
/// a `choosable` kind whose member's stored choice for it is one of
/// `digest_choices`, or who stored no choice of `other_choices` and the
/// kind is one of `digest_by_default`.
pub struct DigestWaiting<'a> {
    pub choosable: &'a [&'a str],
    pub digest_by_default: &'a [&'a str],
    pub digest_choices: &'a [&'a str],
    pub other_choices: &'a [&'a str],
}

impl Store {
    /// Notifications written since `since` that have no record yet, of the
    /// next `members` members after `after` (by id; `""` for the first),
    /// by member, oldest first; with `leave`, without those that wait for a
    /// digest. The job reads them a page of members at a time: what waits
    /// for a digest grows with the association (45,000 rows, 13 MB held at
    /// once, after a few minutes of the pages benchmark), and a member's
    /// notifications are decided together. The minute job leaves what waits
    /// for a digest in the database: it read 16,000 such rows each minute
    /// (0.6 s of a reading connection) to find nothing to do with them.
    pub async fn pending_notifications(
        &self,
        association: &AssociationId,
        since: DateTime<Utc>,
        after: &str,
        members: i64,
        leave: Option<&DigestWaiting<'_>>,
    ) -> Result<Vec<PendingNotification>, StoreError> {
        let lists = match leave {
            Some(l) => [l.choosable, l.digest_by_default, l.digest_choices, l.other_choices].map(json_list),
            None => [&[][..]; 4].map(json_list),
        };
        let [choosable, digest_by_default, digest_choices, other_choices] = lists;
        let (choosable, digest_by_default, digest_choices, other_choices) =
            (choosable?, digest_by_default?, digest_choices?, other_choices?);
        let waits = |n: &str| {
            format!(
                "({n}.kind IN ({choosable}) AND CASE WHEN {n}.kind IN ({by_default}) \
                 THEN NOT EXISTS (SELECT 1 FROM notification_settings s WHERE s.association_id = $1 \
                 AND s.member_id = {n}.member_id AND s.kind = {n}.kind AND s.email IN ({other})) \
                 ELSE EXISTS (SELECT 1 FROM notification_settings s WHERE s.association_id = $1 \
                 AND s.member_id = {n}.member_id AND s.kind = {n}.kind AND s.email IN ({digest})) END)",
                choosable = self.elements_of_json_list("$6"),
                by_default = self.elements_of_json_list("$7"),
                digest = self.elements_of_json_list("$8"),
                other = self.elements_of_json_list("$9"),
            )
        };
        let sql = format!(
            "SELECT n.id, n.member_id, n.kind, n.topic_id, n.event_id, n.conversation_id, n.group_id, n.created_at \
             FROM notifications n WHERE n.association_id = $1 AND n.created_at >= $2 AND n.member_id IN \
             (SELECT DISTINCT p.member_id FROM notifications p \
              WHERE p.association_id = $1 AND p.member_id > $3 AND p.created_at >= $2 AND NOT EXISTS \
              (SELECT 1 FROM mail_records r WHERE r.association_id = $1 AND r.notification_id = p.id) \
              AND NOT ($5 AND {waits_p}) \
              ORDER BY p.member_id LIMIT $4) \
             AND NOT EXISTS \
             (SELECT 1 FROM mail_records r WHERE r.association_id = $1 AND r.notification_id = n.id) \
             AND NOT ($5 AND {waits_n}) \
             ORDER BY n.member_id, n.created_at, n.id",
            waits_p = waits("p"),
            waits_n = waits("n"),
        );
        let rows = read!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(association.as_str())
                .bind(since)
                .bind(after)
                .bind(members)
                .bind(leave.is_some())
                .bind(&choosable)
                .bind(&digest_by_default)
                .bind(&digest_choices)
                .bind(&other_choices)
                .fetch_all(pool)
                .await
        })?;
        Ok(rows)
    }

    /// Of the notifications `ids` (just written), those without a record
    /// yet, by member, oldest first: what a round started by the writing
    /// looks at, instead of every notification of the last nine days still
    /// waiting for a digest (9,600 rows read on each forum reply of a busy
    /// topic, 80 ms, in the pages benchmark).
    pub async fn pending_notifications_among(
        &self,
        association: &AssociationId,
        ids: &[&str],
    ) -> Result<Vec<PendingNotification>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids = json_list(ids)?;
        let sql = format!(
            "SELECT n.id, n.member_id, n.kind, n.topic_id, n.event_id, n.conversation_id, n.group_id, n.created_at \
             FROM notifications n WHERE n.association_id = $1 AND n.id IN ({}) AND NOT EXISTS \
             (SELECT 1 FROM mail_records r WHERE r.association_id = $1 AND r.notification_id = n.id) \
             ORDER BY n.member_id, n.created_at, n.id",
            self.elements_of_json_list("$2")
        );
        let rows =
            read!(self, |pool| { sqlx::query_as(&sql).bind(association.as_str()).bind(&ids).fetch_all(pool).await })?;
        Ok(rows)
    }

    /// Records the claim, all or nothing: `false` (and nothing written)
    /// when any of the notifications already has a record.
    pub async fn claim_mail(&self, association: &AssociationId, claim: &MailClaim<'_>) -> Result<bool, StoreError> {
        if claim.items.is_empty() {
            return Ok(true);
        }
        let sent_at = if claim.mail_id.is_none() { Some(claim.now) } else { None };
        let claimed = write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let mut inserted = 0u64;
            for (id, kind) in claim.items {
                inserted += sqlx::query(
                    "INSERT INTO mail_records (association_id, notification_id, member_id, mail_id, kind, claimed_at, \
                     lease_until, sent_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                     ON CONFLICT (association_id, notification_id) DO NOTHING",
                )
                .bind(association.as_str())
                .bind(*id)
                .bind(claim.member)
                .bind(claim.mail_id)
                .bind(*kind)
                .bind(claim.now)
                .bind(claim.lease_until)
                .bind(sent_at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            }
            if usize::try_from(inserted).ok() == Some(claim.items.len()) {
                tx.commit().await?;
                Ok::<bool, sqlx::Error>(true)
            } else {
                tx.rollback().await?;
                Ok(false)
            }
        })?;
        Ok(claimed)
    }

    /// The mail was handed over.
    pub async fn mark_mail_sent(
        &self,
        association: &AssociationId,
        mail_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "UPDATE mail_records SET sent_at = $3 WHERE association_id = $1 AND mail_id = $2 AND sent_at IS NULL",
            )
            .bind(association.as_str())
            .bind(mail_id)
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// Mails claimed but never marked sent whose lease ran out before `now`.
    pub async fn stale_mails(
        &self,
        association: &AssociationId,
        now: DateTime<Utc>,
    ) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT DISTINCT mail_id FROM mail_records WHERE association_id = $1 AND sent_at IS NULL \
                 AND mail_id IS NOT NULL AND lease_until < $2 ORDER BY mail_id",
            )
            .bind(association.as_str())
            .bind(now)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Takes over a stale mail: `true` for the one node whose update moved
    /// its lease on.
    pub async fn reclaim_mail(
        &self,
        association: &AssociationId,
        mail_id: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = write!(self, |pool| {
            sqlx::query(
                "UPDATE mail_records SET lease_until = $4 WHERE association_id = $1 AND mail_id = $2 \
                 AND sent_at IS NULL AND lease_until < $3",
            )
            .bind(association.as_str())
            .bind(mail_id)
            .bind(now)
            .bind(lease_until)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(done > 0)
    }

    /// What a claimed mail is about.
    pub async fn mail_items(
        &self,
        association: &AssociationId,
        mail_id: &str,
    ) -> Result<Vec<PendingNotification>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT r.notification_id AS id, r.member_id, r.kind, n.topic_id, n.event_id, n.conversation_id, n.group_id, \
                 r.claimed_at AS created_at FROM mail_records r LEFT JOIN notifications n \
                 ON n.association_id = $1 AND n.id = r.notification_id \
                 WHERE r.association_id = $1 AND r.mail_id = $2 ORDER BY r.notification_id",
            )
            .bind(association.as_str())
            .bind(mail_id)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// The stored e-mail choices of `members`: `(member, kind, email)`.
    pub async fn notification_settings_of(
        &self,
        association: &AssociationId,
        members: &[&str],
    ) -> Result<Vec<(String, String, String)>, StoreError> {
        if members.is_empty() {
            return Ok(Vec::new());
        }
        let members = json_list(members)?;
        let sql = format!(
            "SELECT member_id, kind, email FROM notification_settings \
             WHERE association_id = $1 AND member_id IN ({})",
            self.elements_of_json_list("$2")
        );
        let rows = read!(self, |pool| {
            sqlx::query_as(&sql).bind(association.as_str()).bind(&members).fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// The quiet hours of those of `members` who set them.
    pub async fn quiet_hours_of(
        &self,
        association: &AssociationId,
        members: &[&str],
    ) -> Result<Vec<QuietHoursRecord>, StoreError> {
        if members.is_empty() {
            return Ok(Vec::new());
        }
        let members = json_list(members)?;
        let sql = format!(
            "SELECT member_id, from_minute, to_minute, time_zone FROM quiet_hours \
             WHERE association_id = $1 AND member_id IN ({})",
            self.elements_of_json_list("$2")
        );
        let rows = read!(self, |pool| {
            sqlx::query_as(&sql).bind(association.as_str()).bind(&members).fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// One member's quiet hours, if set.
    pub async fn quiet_hours(
        &self,
        association: &AssociationId,
        member: &MemberId,
    ) -> Result<Option<QuietHoursRecord>, StoreError> {
        let row = read!(self, |pool| {
            sqlx::query_as(
                "SELECT member_id, from_minute, to_minute, time_zone FROM quiet_hours \
                 WHERE association_id = $1 AND member_id = $2",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .fetch_optional(pool)
            .await
        })?;
        Ok(row)
    }

    /// Replaces a member's e-mail choices and, when `quiet` is given, their
    /// quiet hours (`Some(None)`: none), in one transaction.
    pub async fn replace_mail_settings(
        &self,
        association: &AssociationId,
        member: &MemberId,
        choices: &[(&str, &str)],
        quiet: Option<Option<&QuietHoursRecord>>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM notification_settings WHERE association_id = $1 AND member_id = $2")
                .bind(association.as_str())
                .bind(member.as_str())
                .execute(&mut *tx)
                .await?;
            for (kind, email) in choices {
                sqlx::query(
                    "INSERT INTO notification_settings (association_id, member_id, kind, email) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(association.as_str())
                .bind(member.as_str())
                .bind(*kind)
                .bind(*email)
                .execute(&mut *tx)
                .await?;
            }
            if let Some(quiet) = quiet {
                sqlx::query("DELETE FROM quiet_hours WHERE association_id = $1 AND member_id = $2")
                    .bind(association.as_str())
                    .bind(member.as_str())
                    .execute(&mut *tx)
                    .await?;
                if let Some(q) = quiet {
                    sqlx::query(
                        "INSERT INTO quiet_hours (association_id, member_id, from_minute, to_minute, time_zone) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(association.as_str())
                    .bind(member.as_str())
                    .bind(q.from_minute)
                    .bind(q.to_minute)
                    .bind(q.time_zone.as_deref())
                    .execute(&mut *tx)
                    .await?;
                }
            }
            tx.commit().await
        })?;
        Ok(())
    }

    /// Sets one kind's e-mail choice of one member (the unsubscribe link),
    /// leaving the others as they are.
    pub async fn set_notification_choice(
        &self,
        association: &AssociationId,
        member: &MemberId,
        kind: &str,
        email: &str,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM notification_settings WHERE association_id = $1 AND member_id = $2 AND kind = $3")
                .bind(association.as_str())
                .bind(member.as_str())
                .bind(kind)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO notification_settings (association_id, member_id, kind, email) VALUES ($1, $2, $3, $4)",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(kind)
            .bind(email)
            .execute(&mut *tx)
            .await?;
            tx.commit().await
        })?;
        Ok(())
    }
}

/// Ids sent to the database as one JSON array (one parameter for any number
/// of them; see `Store::elements_of_json_list`).
fn json_list(ids: &[&str]) -> Result<String, StoreError> {
    serde_json::to_string(ids).map_err(|e| StoreError::Database(sqlx::Error::Encode(Box::new(e))))
}

impl Store {
    /// A subquery of the strings in the JSON array bound at `parameter`
    /// (`json_list`), for `… IN (…)`.
    fn elements_of_json_list(&self, parameter: &str) -> String {
        if matches!(self.pools, Pools::Postgres(_)) {
            format!("SELECT jsonb_array_elements_text({parameter}::jsonb)")
        } else {
            format!("SELECT value FROM json_each({parameter})")
        }
    }
}
