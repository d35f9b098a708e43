//! store::contacts — levels between members (one row per direction),
//! contact requests, requests for a higher level, and blocks.

use crate::{read, write, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::{AssociationId, MemberId};

/// What lies between a viewer and another member.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct RelationRecord {
    /// The level the other member placed the viewer on.
    pub granted_to_viewer: Option<i32>,
    /// The level the viewer placed the other member on.
    pub granted_by_viewer: Option<i32>,
    /// Either blocked the other.
    pub blocked: bool,
}

/// A contact of a member, both directions.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ContactRecord {
    pub member_id: String,
    pub pseudonym: String,
    pub role: String,
    pub status: String,
    pub level_i_grant: i32,
    pub level_granted_to_me: Option<i32>,
}

/// A contact request or a request for a higher level, with the other side's name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RequestRecord {
    pub id: String,
    pub from_id: String,
    pub to_id: String,
    /// The pseudonym, role and status of the other side (from the caller's view).
    pub other_pseudonym: String,
    pub other_role: String,
    pub other_status: String,
    pub level: i32,
    pub status: String,
    pub sealed_message: Option<Vec<u8>>,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

pub struct NewContactRequest<'a> {
    pub association: &'a AssociationId,
    pub id: &'a str,
    pub from: &'a MemberId,
    pub to: &'a MemberId,
    pub sealed_message: Option<Vec<u8>>,
    pub level: i32,
    pub at: DateTime<Utc>,
}

/// A contact request being accepted: each side's level for the other.
#[derive(Clone, Copy)]
pub struct Acceptance<'a> {
    pub association: &'a AssociationId,
    pub id: &'a str,
    pub accepter: &'a MemberId,
    pub requester: &'a MemberId,
    pub accepter_grants: i32,
    pub requester_grants: i32,
    pub at: DateTime<Utc>,
}

/// Which kind of request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestKind {
    Contact,
    Disclosure,
}

impl RequestKind {
    fn table(self) -> &'static str {
        match self {
            Self::Contact => "contact_requests",
            Self::Disclosure => "disclosure_requests",
        }
    }

    fn message_column(self) -> &'static str {
        match self {
            Self::Contact => "r.sealed_message",
            Self::Disclosure => "NULL",
        }
    }
}

/// Whether requests are listed as received or as sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Incoming,
    Outgoing,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BlockRecord {
    pub member_id: String,
    pub pseudonym: String,
    pub created_at: DateTime<Utc>,
}

impl Store {
    pub async fn relation(
        &self,
        association: &AssociationId,
        viewer: &MemberId,
        other: &MemberId,
    ) -> Result<RelationRecord, StoreError> {
        let row = read!(self, |pool| {
            sqlx::query_as(
                "SELECT \
                 (SELECT level FROM contacts WHERE association_id = $1 AND owner_id = $3 AND contact_id = $2) \
                   AS granted_to_viewer, \
                 (SELECT level FROM contacts WHERE association_id = $1 AND owner_id = $2 AND contact_id = $3) \
                   AS granted_by_viewer, \
                 EXISTS (SELECT 1 FROM blocks WHERE association_id = $1 AND \
                   ((blocker_id = $2 AND blocked_id = $3) OR (blocker_id = $3 AND blocked_id = $2))) AS blocked",
            )
            .bind(association.as_str())
            .bind(viewer.as_str())
            .bind(other.as_str())
            .fetch_one(pool)
            .await
        })?;
        Ok(row)
    }

    /// The viewer's contacts, by pseudonym.
    pub async fn contacts(
        &self,
        association: &AssociationId,
        owner: &MemberId,
    ) -> Result<Vec<ContactRecord>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT m.id AS member_id, m.pseudonym, m.role, m.status, mine.level AS level_i_grant, \
                 theirs.level AS level_granted_to_me \
                 FROM contacts mine \
                 JOIN members m ON m.association_id = mine.association_id AND m.id = mine.contact_id \
                 LEFT JOIN contacts theirs ON theirs.association_id = mine.association_id \
                   AND theirs.owner_id = mine.contact_id AND theirs.contact_id = mine.owner_id \
                 WHERE mine.association_id = $1 AND mine.owner_id = $2 ORDER BY m.pseudonym_key",
            )
            .bind(association.as_str())
            .bind(owner.as_str())
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// Changes the level `owner` placed `contact` on; false when they are not a contact.
    pub async fn set_contact_level(
        &self,
        association: &AssociationId,
        owner: &MemberId,
        contact: &MemberId,
        level: i32,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = write!(self, |pool| {
            sqlx::query(
                "UPDATE contacts SET level = $4, updated_at = $5 \
                 WHERE association_id = $1 AND owner_id = $2 AND contact_id = $3",
            )
            .bind(association.as_str())
            .bind(owner.as_str())
            .bind(contact.as_str())
            .bind(level)
            .bind(at)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(done > 0)
    }

    /// Ends a contact in both directions; false when there was none. Open
    /// requests for a higher level between the two end with it.
    pub async fn remove_contact(
        &self,
        association: &AssociationId,
        a: &MemberId,
        b: &MemberId,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "DELETE FROM contacts WHERE association_id = $1 AND \
                 ((owner_id = $2 AND contact_id = $3) OR (owner_id = $3 AND contact_id = $2))",
            )
            .bind(association.as_str())
            .bind(a.as_str())
            .bind(b.as_str())
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE disclosure_requests SET status = 'withdrawn', decided_at = $4 \
                 WHERE association_id = $1 AND status = 'pending' AND \
                 ((from_id = $2 AND to_id = $3) OR (from_id = $3 AND to_id = $2))",
            )
            .bind(association.as_str())
            .bind(a.as_str())
            .bind(b.as_str())
            .bind(at)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(done.rows_affected() > 0)
        })
    }

    pub async fn insert_contact_request(&self, new: &NewContactRequest<'_>) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "INSERT INTO contact_requests \
                 (association_id, id, from_id, to_id, sealed_message, level, status, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7)",
            )
            .bind(new.association.as_str())
            .bind(new.id)
            .bind(new.from.as_str())
            .bind(new.to.as_str())
            .bind(new.sealed_message.as_deref())
            .bind(new.level)
            .bind(new.at)
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    pub async fn insert_disclosure_request(
        &self,
        association: &AssociationId,
        id: &str,
        from: &MemberId,
        to: &MemberId,
        level: i32,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "INSERT INTO disclosure_requests (association_id, id, from_id, to_id, level, status, created_at) \
                 VALUES ($1, $2, $3, $4, $5, 'pending', $6)",
            )
            .bind(association.as_str())
            .bind(id)
            .bind(from.as_str())
            .bind(to.as_str())
            .bind(level)
            .bind(at)
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// Whether a request of this kind from `from` to `to` is open.
    pub async fn pending_request(
        &self,
        kind: RequestKind,
        association: &AssociationId,
        from: &MemberId,
        to: &MemberId,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "SELECT EXISTS (SELECT 1 FROM {} WHERE association_id = $1 AND from_id = $2 AND to_id = $3 \
             AND status = 'pending')",
            kind.table()
        );
        let (open,): (bool,) = read!(self, |pool| {
            sqlx::query_as(&sql).bind(association.as_str()).bind(from.as_str()).bind(to.as_str()).fetch_one(pool).await
        })?;
        Ok(open)
    }

    /// Requests of a kind where `member` is the receiver or the sender, newest first.
    pub async fn requests(
        &self,
        kind: RequestKind,
        association: &AssociationId,
        member: &MemberId,
        direction: Direction,
    ) -> Result<Vec<RequestRecord>, StoreError> {
        let (mine, other) = match direction {
            Direction::Incoming => ("to_id", "from_id"),
            Direction::Outgoing => ("from_id", "to_id"),
        };
        let sql = format!(
            "SELECT r.id, r.from_id, r.to_id, m.pseudonym AS other_pseudonym, m.role AS other_role, \
             m.status AS other_status, r.level, r.status, {message} AS sealed_message, r.created_at, r.decided_at \
             FROM {table} r JOIN members m ON m.association_id = r.association_id AND m.id = r.{other} \
             WHERE r.association_id = $1 AND r.{mine} = $2 ORDER BY r.created_at DESC, r.id LIMIT 200",
            message = kind.message_column(),
            table = kind.table(),
        );
        let rows = read!(self, |pool| {
            sqlx::query_as(&sql).bind(association.as_str()).bind(member.as_str()).fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// One request addressed to `to`, whatever its state.
    pub async fn request_to(
        &self,
        kind: RequestKind,
        association: &AssociationId,
        id: &str,
        to: &MemberId,
    ) -> Result<Option<RequestRecord>, StoreError> {
        self.request_of(kind, association, id, to, Direction::Incoming).await
    }

    /// One request of `member`'s, received (`Incoming`) or sent (`Outgoing`),
    /// whatever its state; `other_*` describe the other side.
    pub async fn request_of(
        &self,
        kind: RequestKind,
        association: &AssociationId,
        id: &str,
        member: &MemberId,
        direction: Direction,
    ) -> Result<Option<RequestRecord>, StoreError> {
        let (mine, other) = match direction {
            Direction::Incoming => ("to_id", "from_id"),
            Direction::Outgoing => ("from_id", "to_id"),
        };
        let sql = format!(
            "SELECT r.id, r.from_id, r.to_id, m.pseudonym AS other_pseudonym, m.role AS other_role, \
             m.status AS other_status, r.level, r.status, {message} AS sealed_message, r.created_at, r.decided_at \
             FROM {table} r JOIN members m ON m.association_id = r.association_id AND m.id = r.{other} \
             WHERE r.association_id = $1 AND r.id = $2 AND r.{mine} = $3",
            message = kind.message_column(),
            table = kind.table(),
        );
        let row = read!(self, |pool| {
            sqlx::query_as(&sql).bind(association.as_str()).bind(id).bind(member.as_str()).fetch_optional(pool).await
        })?;
        Ok(row)
    }

    /// Accepts an open contact request: marks it accepted and places each on
    /// the chosen level, atomically. False when it was no longer open.
    pub async fn accept_contact_request(&self, accepted: &Acceptance<'_>) -> Result<bool, StoreError> {
        let Acceptance { association, id, accepter, requester, accepter_grants, requester_grants, at } = *accepted;
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "UPDATE contact_requests SET status = 'accepted', decided_at = $4 \
                 WHERE association_id = $1 AND id = $2 AND to_id = $3 AND status = 'pending'",
            )
            .bind(association.as_str())
            .bind(id)
            .bind(accepter.as_str())
            .bind(at)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Ok(false);
            }
            for (owner, contact, level) in
                [(accepter, requester, accepter_grants), (requester, accepter, requester_grants)]
            {
                sqlx::query(
                    "INSERT INTO contacts (association_id, owner_id, contact_id, level, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $5) \
                     ON CONFLICT (association_id, owner_id, contact_id) DO UPDATE SET level = excluded.level, \
                     updated_at = excluded.updated_at",
                )
                .bind(association.as_str())
                .bind(owner.as_str())
                .bind(contact.as_str())
                .bind(level)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            }
            // A crossing request the other way is answered by this one.
            sqlx::query(
                "UPDATE contact_requests SET status = 'accepted', decided_at = $4 \
                 WHERE association_id = $1 AND from_id = $2 AND to_id = $3 AND status = 'pending'",
            )
            .bind(association.as_str())
            .bind(accepter.as_str())
            .bind(requester.as_str())
            .bind(at)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Accepts an open request for a higher level, placing the asker on
    /// `level`. False when it was no longer open or they are no longer contacts.
    pub async fn accept_disclosure_request(
        &self,
        association: &AssociationId,
        id: &str,
        owner: &MemberId,
        asker: &MemberId,
        level: i32,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "UPDATE disclosure_requests SET status = 'accepted', decided_at = $4 \
                 WHERE association_id = $1 AND id = $2 AND to_id = $3 AND status = 'pending'",
            )
            .bind(association.as_str())
            .bind(id)
            .bind(owner.as_str())
            .bind(at)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Ok(false);
            }
            let placed = sqlx::query(
                "UPDATE contacts SET level = $4, updated_at = $5 \
                 WHERE association_id = $1 AND owner_id = $2 AND contact_id = $3",
            )
            .bind(association.as_str())
            .bind(owner.as_str())
            .bind(asker.as_str())
            .bind(level)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            if placed.rows_affected() == 0 {
                return Ok(false);
            }
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Declines (by the receiver) or withdraws (by the sender) an open
    /// request. False when it was not open.
    pub async fn close_request(
        &self,
        kind: RequestKind,
        association: &AssociationId,
        id: &str,
        by: &MemberId,
        direction: Direction,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let (column, status) = match direction {
            Direction::Incoming => ("to_id", "declined"),
            Direction::Outgoing => ("from_id", "withdrawn"),
        };
        let sql = format!(
            "UPDATE {} SET status = '{status}', decided_at = $4 \
             WHERE association_id = $1 AND id = $2 AND {column} = $3 AND status = 'pending'",
            kind.table()
        );
        let done = write!(self, |pool| {
            sqlx::query(&sql)
                .bind(association.as_str())
                .bind(id)
                .bind(by.as_str())
                .bind(at)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(done > 0)
    }

    /// Blocks: ends the contact both ways and every open request between the two.
    pub async fn block(
        &self,
        association: &AssociationId,
        blocker: &MemberId,
        blocked: &MemberId,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO blocks (association_id, blocker_id, blocked_id, created_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (association_id, blocker_id, blocked_id) DO NOTHING",
            )
            .bind(association.as_str())
            .bind(blocker.as_str())
            .bind(blocked.as_str())
            .bind(at)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "DELETE FROM contacts WHERE association_id = $1 AND \
                 ((owner_id = $2 AND contact_id = $3) OR (owner_id = $3 AND contact_id = $2))",
            )
            .bind(association.as_str())
            .bind(blocker.as_str())
            .bind(blocked.as_str())
            .execute(&mut *tx)
            .await?;
            for table in ["contact_requests", "disclosure_requests"] {
                sqlx::query(&format!(
                    "UPDATE {table} SET status = 'withdrawn', decided_at = $4 \
                     WHERE association_id = $1 AND status = 'pending' AND \
                     ((from_id = $2 AND to_id = $3) OR (from_id = $3 AND to_id = $2))"
                ))
                .bind(association.as_str())
                .bind(blocker.as_str())
                .bind(blocked.as_str())
                .bind(at)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// False when there was no such block.
    pub async fn unblock(
        &self,
        association: &AssociationId,
        blocker: &MemberId,
        blocked: &MemberId,
    ) -> Result<bool, StoreError> {
        let done = write!(self, |pool| {
            sqlx::query("DELETE FROM blocks WHERE association_id = $1 AND blocker_id = $2 AND blocked_id = $3")
                .bind(association.as_str())
                .bind(blocker.as_str())
                .bind(blocked.as_str())
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(done > 0)
    }

    /// The members in a block with `member`, either way (who blocked whom
    /// is not said): those the forum leaves out for them, and them for.
    pub async fn blocked_either_way(
        &self,
        association: &AssociationId,
        member: &MemberId,
    ) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT blocked_id FROM blocks WHERE association_id = $1 AND blocker_id = $2 \
                 UNION SELECT blocker_id FROM blocks WHERE association_id = $1 AND blocked_id = $2",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// The members `blocker` blocked, newest first.
    pub async fn blocks(
        &self,
        association: &AssociationId,
        blocker: &MemberId,
    ) -> Result<Vec<BlockRecord>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT m.id AS member_id, m.pseudonym, b.created_at FROM blocks b \
                 JOIN members m ON m.association_id = b.association_id AND m.id = b.blocked_id \
                 WHERE b.association_id = $1 AND b.blocker_id = $2 ORDER BY b.created_at DESC",
            )
            .bind(association.as_str())
            .bind(blocker.as_str())
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }
}

impl Store {
    /// The levels between `viewer` and each of `members`, both directions,
    /// in one query: `(owner_id, contact_id, level)` rows in which one side is
    /// the viewer (a page of search results).
    pub async fn levels_with(
        &self,
        association: &AssociationId,
        viewer: &MemberId,
        members: &[MemberId],
    ) -> Result<Vec<(String, String, i32)>, StoreError> {
        if members.is_empty() {
            return Ok(Vec::new());
        }
        let list: Vec<String> = (0..members.len()).map(|i| format!("${}", i + 3)).collect();
        let list = list.join(", ");
        let sql = format!(
            "SELECT owner_id, contact_id, level FROM contacts WHERE association_id = $1 \
             AND ((contact_id = $2 AND owner_id IN ({list})) OR (owner_id = $2 AND contact_id IN ({list})))"
        );
        let rows = read!(self, |pool| {
            let mut query = sqlx::query_as(&sql).bind(association.as_str()).bind(viewer.as_str());
            for member in members {
                query = query.bind(member.as_str());
            }
            query.fetch_all(pool).await
        })?;
        Ok(rows)
    }
}
