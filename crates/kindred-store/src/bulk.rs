//! store::bulk — loading many fresh rows at once, for demo and benchmark
//! data: multi-row INSERTs in one transaction, the same SQL on both
//! databases. Never for members' own actions, which go through the
//! ordinary, checked paths.

use crate::members::NewMember;
use crate::{write, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::{AssociationId, MemberId};

/// One direction of a contact: `owner` placed `contact` on `level` (1..4).
pub struct NewContact {
    pub association_id: AssociationId,
    pub owner_id: MemberId,
    pub contact_id: MemberId,
    pub level: i32,
    pub created_at: DateTime<Utc>,
}

/// A consent recorded with a bulk load: `member` gave `kind` in `version`.
pub struct NewConsent {
    pub association_id: AssociationId,
    pub member_id: MemberId,
    pub kind: String,
    pub version: String,
    pub given_at: DateTime<Utc>,
}

/// Rows per statement, about 300 parameters each. More would pay off on
/// PostgreSQL, but sqlx looks up every `$N` of a SQLite statement by name,
/// which SQLite does by a linear search: binding n parameters costs n².
const MEMBER_ROWS: usize = 25;
const CONTACT_ROWS: usize = 50;
const CONSENT_ROWS: usize = 50;
const TERM_ROWS: usize = 75;

/// Inserts pseudonym terms, (association, token, pseudonym key, member)
/// each, in multi-row statements within the transaction `$tx`, in the
/// order of the primary key (so that a large load fills the B-tree page by
/// page).
macro_rules! insert_pseudonym_terms {
    ($tx:expr, $rows:expr) => {{
        let mut rows: Vec<(&str, &str, &str, &str)> = $rows;
        rows.sort_unstable();
        for chunk in rows.chunks(TERM_ROWS) {
            let sql =
                values("INSERT INTO pseudonym_terms (association_id, token, pseudonym_key, member_id)", 4, chunk.len())
                    + " ON CONFLICT DO NOTHING";
            let mut query = sqlx::query(&sql);
            for (association, token, key, member) in chunk {
                query = query.bind(*association).bind(*token).bind(*key).bind(*member);
            }
            query.execute(&mut *$tx).await?;
        }
    }};
}

/// `INSERT … VALUES ($1, …), ($n, …)` for `rows` rows of `columns` columns.
pub(crate) fn values(head: &str, columns: usize, rows: usize) -> String {
    let mut sql = String::with_capacity(head.len() + rows * columns * 6);
    sql.push_str(head);
    sql.push_str(" VALUES ");
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for column in 0..columns {
            if column > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("${}", row * columns + column + 1));
        }
        sql.push(')');
    }
    sql
}

impl Store {
    /// Inserts members that do not exist yet, in one transaction.
    pub async fn insert_members_fresh(&self, members: &[NewMember]) -> Result<(), StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            for chunk in members.chunks(MEMBER_ROWS) {
                let sql = values(
                    "INSERT INTO members (id, association_id, email, email_key, pseudonym, pseudonym_key, \
                     password_hash, role, status, discoverable, created_at, pseudonym_skeleton, pseudonym_indexed)",
                    13,
                    chunk.len(),
                );
                let mut query = sqlx::query(&sql);
                for m in chunk {
                    query = query
                        .bind(m.id.as_str())
                        .bind(m.association_id.as_str())
                        .bind(m.email.as_str())
                        .bind(m.email.key())
                        .bind(m.pseudonym.as_str())
                        .bind(m.pseudonym.key())
                        .bind(m.password_hash.as_str())
                        .bind(m.role.as_str())
                        .bind(m.status.as_str())
                        .bind(m.discoverable)
                        .bind(m.created_at)
                        .bind(m.pseudonym.skeleton_key())
                        .bind(true);
                }
                query.execute(&mut *tx).await?;
            }
            let keys: Vec<String> = members.iter().map(|m| m.pseudonym.key()).collect();
            let terms = members
                .iter()
                .zip(&keys)
                .flat_map(|(m, key)| {
                    m.pseudonym_terms
                        .iter()
                        .map(move |t| (m.association_id.as_str(), t.as_str(), key.as_str(), m.id.as_str()))
                })
                .collect();
            insert_pseudonym_terms!(tx, terms);
            tx.commit().await?;
            Ok(())
        })
    }

    /// Records consents of members loaded with [`Store::insert_members_fresh`],
    /// in one transaction. Health values of a bulk load need them first:
    /// the database refuses a sealed value without the `health_data` consent.
    pub async fn insert_consents_fresh(&self, consents: &[NewConsent]) -> Result<(), StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            for chunk in consents.chunks(CONSENT_ROWS) {
                let sql =
                    values("INSERT INTO consents (association_id, member_id, kind, version, given_at)", 5, chunk.len())
                        + " ON CONFLICT DO NOTHING";
                let mut query = sqlx::query(&sql);
                for c in chunk {
                    query = query
                        .bind(c.association_id.as_str())
                        .bind(c.member_id.as_str())
                        .bind(c.kind.as_str())
                        .bind(c.version.as_str())
                        .bind(c.given_at);
                }
                query.execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Writes the pseudonym terms of members created before pseudonyms
    /// were searched by terms, and marks those members (association,
    /// member) as done, in one transaction. `terms` are (association,
    /// token, pseudonym key, member); a member may have none.
    pub async fn add_pseudonym_terms(
        &self,
        members: &[(&str, &str)],
        terms: &[(&str, &str, &str, &str)],
    ) -> Result<(), StoreError> {
        let mut members = members.to_vec();
        members.sort_unstable();
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            insert_pseudonym_terms!(tx, terms.to_vec());
            for same in members.chunk_by(|a, b| a.0 == b.0) {
                for chunk in same.chunks(TERM_ROWS) {
                    let list: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
                    let sql = format!(
                        "UPDATE members SET pseudonym_indexed = TRUE WHERE association_id = $1 AND id IN ({})",
                        list.join(", ")
                    );
                    let mut query = sqlx::query(&sql).bind(chunk[0].0);
                    for (_, member) in chunk {
                        query = query.bind(*member);
                    }
                    query.execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// After a large load into a running database: statistics anew
    /// (SQLite re-analyses what changed a lot, as after migrating;
    /// PostgreSQL samples the table), so that search keeps its plans.
    pub async fn refresh_pseudonym_statistics(&self) -> Result<(), StoreError> {
        match &self.pools {
            crate::Pools::Sqlite { writer, .. } => {
                sqlx::query("PRAGMA analysis_limit = 1000").execute(writer).await?;
                sqlx::query("PRAGMA optimize = 0x10002").execute(writer).await?;
            }
            crate::Pools::Postgres(pool) => {
                sqlx::query("ANALYZE pseudonym_terms").execute(pool).await?;
            }
        }
        Ok(())
    }

    /// After a benchmark load: statistics of every table anew (SQLite
    /// `ANALYZE`, PostgreSQL `ANALYZE`), as a database in use has them.
    pub async fn analyze_all(&self) -> Result<(), StoreError> {
        match &self.pools {
            crate::Pools::Sqlite { writer, .. } => {
                sqlx::query("ANALYZE").execute(writer).await?;
            }
            crate::Pools::Postgres(pool) => {
                sqlx::query("ANALYZE").execute(pool).await?;
            }
        }
        Ok(())
    }

    /// Inserts contacts between existing members, in one transaction. A
    /// direction that exists already keeps its level.
    pub async fn insert_contacts_fresh(&self, contacts: &[NewContact]) -> Result<(), StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            for chunk in contacts.chunks(CONTACT_ROWS) {
                let mut sql = values(
                    "INSERT INTO contacts (association_id, owner_id, contact_id, level, created_at, updated_at)",
                    6,
                    chunk.len(),
                );
                sql.push_str(" ON CONFLICT DO NOTHING");
                let mut query = sqlx::query(&sql);
                for c in chunk {
                    query = query
                        .bind(c.association_id.as_str())
                        .bind(c.owner_id.as_str())
                        .bind(c.contact_id.as_str())
                        .bind(c.level)
                        .bind(c.created_at)
                        .bind(c.created_at);
                }
                query.execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Sets the time zone of the association's members whose id is at least
    /// `from` and below `to` (benchmark data: members spread over zones).
    pub async fn set_time_zone_between(
        &self,
        association: &AssociationId,
        from: &MemberId,
        to: &MemberId,
        zone: &str,
    ) -> Result<u64, StoreError> {
        let done = write!(self, |pool| {
            sqlx::query("UPDATE members SET time_zone = $4 WHERE association_id = $1 AND id >= $2 AND id < $3")
                .bind(association.as_str())
                .bind(from.as_str())
                .bind(to.as_str())
                .bind(zone)
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(done)
    }
}
