//! store::bulk — loading many fresh rows at once, for demo and benchmark
//! data: multi-row INSERTs in one transaction, the same SQL on both
//! databases. Never for members' own actions, which go through the
//! ordinary, checked paths.

use crate::members::{NewMember, PSEUDONYM_FIELD};
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

/// Rows per statement, about 300 parameters each. More would pay off on
/// PostgreSQL, but sqlx looks up every `$N` of a SQLite statement by name,
/// which SQLite does by a linear search: binding n parameters costs n².
const MEMBER_ROWS: usize = 25;
const CONTACT_ROWS: usize = 50;
const TERM_ROWS: usize = 100;

/// Inserts pseudonym terms, (association, member, token) each, in
/// multi-row statements within the transaction `$tx`.
macro_rules! insert_pseudonym_terms {
    ($tx:expr, $rows:expr) => {{
        let rows: &[(&str, &str, &str)] = $rows;
        for chunk in rows.chunks(TERM_ROWS) {
            let mut sql =
                String::from("INSERT INTO search_terms (association_id, member_id, field, token, visibility) VALUES ");
            for i in 0..chunk.len() {
                if i > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!("(${}, ${}, '{PSEUDONYM_FIELD}', ${}, 1)", 3 * i + 1, 3 * i + 2, 3 * i + 3));
            }
            sql.push_str(" ON CONFLICT DO NOTHING");
            let mut query = sqlx::query(&sql);
            for (association, member, token) in chunk {
                query = query.bind(*association).bind(*member).bind(*token);
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
                     password_hash, role, status, discoverable, created_at)",
                    11,
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
                        .bind(m.created_at);
                }
                query.execute(&mut *tx).await?;
            }
            let terms: Vec<(&str, &str, &str)> = members
                .iter()
                .flat_map(|m| {
                    m.pseudonym_terms.iter().map(move |t| (m.association_id.as_str(), m.id.as_str(), t.as_str()))
                })
                .collect();
            insert_pseudonym_terms!(tx, &terms);
            tx.commit().await?;
            Ok(())
        })
    }

    /// Adds search terms of pseudonyms, (association, member, token) each,
    /// in one transaction; terms that exist already stay. For members
    /// created before pseudonyms were searched by terms.
    pub async fn add_pseudonym_terms(&self, terms: &[(&str, &str, &str)]) -> Result<(), StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            insert_pseudonym_terms!(tx, terms);
            tx.commit().await?;
            Ok(())
        })
    }

    /// After adding many search terms to a running database: statistics
    /// anew (SQLite re-analyses what changed a lot, as after migrating;
    /// PostgreSQL samples the table), so that search keeps its plans.
    pub async fn refresh_search_statistics(&self) -> Result<(), StoreError> {
        match &self.pools {
            crate::Pools::Sqlite { writer, .. } => {
                sqlx::query("PRAGMA analysis_limit = 1000").execute(writer).await?;
                sqlx::query("PRAGMA optimize = 0x10002").execute(writer).await?;
            }
            crate::Pools::Postgres(pool) => {
                sqlx::query("ANALYZE search_terms").execute(pool).await?;
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
}
