//! store::search — finding members by keyed-hash search terms, inside the
//! disclosure rules: a criterion matches a member only through a term whose
//! visibility is 1, or at or below the level that member placed the viewer
//! on. Never found: the viewer themself, members who are not active or not
//! discoverable, and either side of a block.
//!
//! How a search runs, in two steps:
//!
//! 1. For each criterion, the members who hold it *visibly for this viewer*
//!    are fetched, up to [`DRIVE_CAP`] + 1: the level-1 holders from the
//!    token index, and the holders among the members who placed the viewer
//!    on a level (the viewer's side of `contacts`, a handful of rows). A
//!    free-text word adds the members with a word of their pseudonym
//!    beginning with it (`pseudonym_terms`, public like the pseudonym): an
//!    index range too.
//! 2. If some criterion has at most `DRIVE_CAP` visible holders, the
//!    smallest such set drives: those members are looked up by id, checked
//!    against the other criteria and sorted. Otherwise every criterion is
//!    common, and members are walked in pseudonym order, each checked with
//!    correlated look-ups, until a page is full.
//!
//! Every set and every choice is made from what the viewer may see, so the
//! results, their order and the work done never depend on a hidden field.

use crate::{read, Store, StoreError};
use kindred_domain::{AssociationId, MemberId};
use std::collections::BTreeSet;

/// A criterion with at most this many visible holders drives the search.
pub const DRIVE_CAP: usize = 500;

/// A member search, already turned into tokens by the service.
pub struct MemberSearch<'a> {
    pub association: &'a AssociationId,
    pub viewer: &'a MemberId,
    /// Each criterion is a set of tokens of which any one matches; all
    /// criteria must match.
    pub criteria: Vec<Vec<String>>,
    /// Words of free text, each a criterion too: (the word's token, the
    /// pseudonym-prefix token); a member matches through a visible text
    /// holding the word or a word of the pseudonym beginning with it.
    pub words: Vec<(String, String)>,
    /// Only members whose lowercase pseudonym sorts after this (the cursor).
    pub after: Option<String>,
    pub limit: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FoundMember {
    pub id: String,
    pub pseudonym: String,
    pub pseudonym_key: String,
    pub role: String,
    pub status: String,
    pub badge: Option<String>,
}

/// Placeholders and their values; $1 is the association, $2 the viewer.
struct Binds {
    values: Vec<String>,
}

impl Binds {
    fn new() -> Self {
        Binds { values: Vec::new() }
    }

    fn push(&mut self, value: &str) -> String {
        self.values.push(value.to_owned());
        format!("${}", self.values.len() + 2)
    }

    fn list(&mut self, values: &[String]) -> String {
        values.iter().map(|v| self.push(v)).collect::<Vec<_>>().join(", ")
    }
}

/// Whether a word of member `m`'s pseudonym begins with the word of `token`.
fn pseudonym_holds(token: &str, binds: &mut Binds) -> String {
    let p = binds.push(token);
    format!(
        "EXISTS (SELECT 1 FROM pseudonym_terms p WHERE p.association_id = $1 AND p.token = {p} AND p.member_id = m.id)"
    )
}

/// Whether member `m` holds any of `tokens` in a field the viewer may see.
fn visibly_holds(tokens: &[String], binds: &mut Binds) -> String {
    let list = binds.list(tokens);
    format!(
        "EXISTS (SELECT 1 FROM search_terms t WHERE t.association_id = $1 AND t.member_id = m.id \
         AND t.token IN ({list}) AND (t.visibility = 1 OR t.visibility <= \
         (SELECT c.level FROM contacts c WHERE c.association_id = $1 AND c.owner_id = m.id AND c.contact_id = $2)))"
    )
}

const MEMBER_FILTER: &str = "m.association_id = $1 AND m.status = 'active' AND m.discoverable AND m.id <> $2 \
     AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.association_id = $1 AND b.blocker_id = $2 AND b.blocked_id = m.id) \
     AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.association_id = $1 AND b.blocker_id = m.id AND b.blocked_id = $2)";

impl Store {
    /// Findable members holding any of `tokens` visibly for `viewer`; at
    /// most `DRIVE_CAP + 1` of the level-1 holders (more means "common").
    async fn visible_holders(
        &self,
        association: &AssociationId,
        viewer: &MemberId,
        tokens: &[String],
    ) -> Result<BTreeSet<String>, StoreError> {
        let mut binds = Binds::new();
        let list = binds.list(tokens);
        let open = format!(
            "SELECT t.member_id FROM search_terms t CROSS JOIN members m \
             WHERE t.association_id = $1 AND t.token IN ({list}) AND t.visibility = 1 \
             AND m.id = t.member_id AND {MEMBER_FILTER} LIMIT {}",
            DRIVE_CAP + 1
        );
        // From the viewer's side of `contacts`: CROSS JOIN keeps SQLite's
        // join order (PostgreSQL plans it from statistics).
        let mut contact_binds = Binds::new();
        let list = contact_binds.list(tokens);
        let through_contacts = format!(
            "SELECT t.member_id FROM contacts c CROSS JOIN search_terms t CROSS JOIN members m \
             WHERE c.association_id = $1 AND c.contact_id = $2 AND t.association_id = $1 \
             AND t.member_id = c.owner_id AND t.token IN ({list}) AND t.visibility <= c.level \
             AND m.id = t.member_id AND {MEMBER_FILTER}"
        );
        let mut holders = BTreeSet::new();
        for (sql, values) in [(open, binds.values), (through_contacts, contact_binds.values)] {
            let rows: Vec<(String,)> = read!(self, |pool| {
                let mut query = sqlx::query_as(&sql).bind(association.as_str()).bind(viewer.as_str());
                for value in &values {
                    query = query.bind(value.as_str());
                }
                query.fetch_all(pool).await
            })?;
            holders.extend(rows.into_iter().map(|(id,)| id));
        }
        Ok(holders)
    }

    /// Findable members with a word of their pseudonym beginning with the
    /// word of `token`, at most `DRIVE_CAP + 1`.
    async fn pseudonym_holders(
        &self,
        association: &AssociationId,
        viewer: &MemberId,
        token: &str,
    ) -> Result<BTreeSet<String>, StoreError> {
        let sql = format!(
            "SELECT p.member_id FROM pseudonym_terms p CROSS JOIN members m \
             WHERE p.association_id = $1 AND p.token = $3 AND m.id = p.member_id AND {MEMBER_FILTER} LIMIT {}",
            DRIVE_CAP + 1
        );
        let rows: Vec<(String,)> = read!(self, |pool| {
            sqlx::query_as(&sql).bind(association.as_str()).bind(viewer.as_str()).bind(token).fetch_all(pool).await
        })?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// The smallest visible set of holders among the criteria, when one is
    /// small enough to drive the search.
    async fn driving_set(&self, search: &MemberSearch<'_>) -> Result<Option<BTreeSet<String>>, StoreError> {
        let mut best: Option<BTreeSet<String>> = None;
        let consider = |set: BTreeSet<String>, best: &mut Option<BTreeSet<String>>| {
            if set.len() <= DRIVE_CAP && best.as_ref().is_none_or(|b| set.len() < b.len()) {
                *best = Some(set);
            }
        };
        for tokens in search.criteria.iter().filter(|t| !t.is_empty()) {
            let set = self.visible_holders(search.association, search.viewer, tokens).await?;
            consider(set, &mut best);
        }
        for (word, pseudonym) in &search.words {
            // Two index ranges; when the first is over the cap already,
            // the union is too.
            let mut set = self.pseudonym_holders(search.association, search.viewer, pseudonym).await?;
            if set.len() <= DRIVE_CAP {
                set.extend(self.visible_holders(search.association, search.viewer, std::slice::from_ref(word)).await?);
            }
            consider(set, &mut best);
        }
        Ok(best)
    }

    pub async fn search_members(&self, search: &MemberSearch<'_>) -> Result<Vec<FoundMember>, StoreError> {
        let driving = self.driving_set(search).await?;
        if driving.as_ref().is_some_and(BTreeSet::is_empty) {
            return Ok(Vec::new());
        }
        let mut binds = Binds::new();
        let mut sql = format!(
            "SELECT m.id, m.pseudonym, m.pseudonym_key, m.role, m.status, m.badge FROM members m WHERE {MEMBER_FILTER}"
        );
        if let Some(ids) = &driving {
            let ids: Vec<String> = ids.iter().cloned().collect();
            sql.push_str(&format!(" AND m.id IN ({})", binds.list(&ids)));
        }
        if let Some(after) = &search.after {
            let p = binds.push(after);
            sql.push_str(&format!(" AND m.pseudonym_key > {p}"));
        }
        for tokens in search.criteria.iter().filter(|t| !t.is_empty()) {
            sql.push_str(&format!(" AND {}", visibly_holds(tokens, &mut binds)));
        }
        for (word, pseudonym) in &search.words {
            let by_pseudonym = pseudonym_holds(pseudonym, &mut binds);
            let by_text = visibly_holds(std::slice::from_ref(word), &mut binds);
            sql.push_str(&format!(" AND ({by_pseudonym} OR {by_text})"));
        }
        // A number of our own, not input: written into the query.
        sql.push_str(&format!(" ORDER BY m.pseudonym_key LIMIT {}", search.limit.clamp(1, 101)));
        let rows = read!(self, |pool| {
            let mut query = sqlx::query_as(&sql).bind(search.association.as_str()).bind(search.viewer.as_str());
            for value in &binds.values {
                query = query.bind(value.as_str());
            }
            query.fetch_all(pool).await
        })?;
        Ok(rows)
    }
}
