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
//!    free-text word also matches members with a word of their pseudonym
//!    beginning with it (`pseudonym_terms`, public like the pseudonym,
//!    ordered by pseudonym within a token); those are fetched apart.
//! 2. The plan, from these sets only:
//!    - *drive*: the smallest criterion with at most `DRIVE_CAP` holders;
//!      those members are looked up by id, checked against the other
//!      criteria and sorted (with no other criterion, the page is picked
//!      by the pseudonym keys fetched with them, from the covering index
//!      `members_by_id_findable`, and only its members are read);
//!    - else *stream*: a word with few text holders but many pseudonyms
//!      beginning with it; its pseudonym terms are read in pseudonym order
//!      from the cursor (one index range), each member checked against the
//!      other criteria until a page is full, and merged with its text
//!      holders, looked up as when driving;
//!    - else *walk*: every criterion is common, and members are walked in
//!      pseudonym order, each checked with correlated look-ups, until a
//!      page is full.
//!
//! Every set and every choice is made from what the viewer may see, so the
//! results, their order and the work done never depend on a hidden field.

use crate::{read, Store, StoreError};
use kindred_domain::{AssociationId, MemberId};
use std::collections::BTreeMap;

/// A criterion with at most this many visible holders drives the search.
/// Looking up and sorting the holders costs about as much per member as
/// checking one while walking; at a hundred thousand members the worst
/// walk (a criterion just over the cap: 21 of every cap + 1 members match)
/// and the worst drive cost about the same with a thousand.
pub const DRIVE_CAP: usize = 1000;

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
    /// Another [`DRIVE_CAP`], for tests that compare plans; `None` normally.
    pub drive_cap: Option<usize>,
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
        "EXISTS (SELECT 1 FROM pseudonym_terms pt WHERE pt.association_id = $1 AND pt.token = {p} \
         AND pt.pseudonym_key = m.pseudonym_key)"
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

const COLUMNS: &str = "m.id, m.pseudonym, m.pseudonym_key, m.role, m.status, m.badge";

/// The findable members holding a criterion visibly for the viewer: id →
/// pseudonym key (the order of results), both read from indexes.
type Holders = BTreeMap<String, String>;

/// One criterion of a search: a place in `criteria` or in `words`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Criterion {
    Codes(usize),
    Word(usize),
}

/// How the page is found; see the module. A set of holders comes with the
/// criterion it was fetched for: its members hold it, so it is not checked
/// again.
enum Plan {
    Drive(Holders, Criterion),
    /// A word's pseudonym token, and its (few) text holders.
    Stream(String, Holders, Criterion),
    Walk,
}

const MEMBER_FILTER: &str = "m.association_id = $1 AND m.status = 'active' AND m.discoverable AND m.id <> $2 \
     AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.association_id = $1 AND b.blocker_id = $2 AND b.blocked_id = m.id) \
     AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.association_id = $1 AND b.blocker_id = m.id AND b.blocked_id = $2)";

impl Store {
    /// Findable members holding any of `tokens` visibly for `viewer`; at
    /// most `cap + 1` of the level-1 holders (more means "common").
    async fn visible_holders(
        &self,
        association: &AssociationId,
        viewer: &MemberId,
        tokens: &[String],
        cap: usize,
    ) -> Result<Holders, StoreError> {
        let mut binds = Binds::new();
        let list = binds.list(tokens);
        let open = format!(
            "SELECT t.member_id, m.pseudonym_key FROM search_terms t CROSS JOIN members m \
             WHERE t.association_id = $1 AND t.token IN ({list}) AND t.visibility = 1 \
             AND m.id = t.member_id AND {MEMBER_FILTER} LIMIT {}",
            cap + 1
        );
        // From the viewer's side of `contacts`: CROSS JOIN keeps SQLite's
        // join order (PostgreSQL plans it from statistics).
        let mut contact_binds = Binds::new();
        let list = contact_binds.list(tokens);
        let through_contacts = format!(
            "SELECT t.member_id, m.pseudonym_key FROM contacts c CROSS JOIN search_terms t CROSS JOIN members m \
             WHERE c.association_id = $1 AND c.contact_id = $2 AND t.association_id = $1 \
             AND t.member_id = c.owner_id AND t.token IN ({list}) AND t.visibility <= c.level \
             AND m.id = t.member_id AND {MEMBER_FILTER}"
        );
        let mut holders = Holders::new();
        for (sql, values) in [(open, binds.values), (through_contacts, contact_binds.values)] {
            let rows: Vec<(String, String)> = read!(self, |pool| {
                let mut query = sqlx::query_as(&sql).bind(association.as_str()).bind(viewer.as_str());
                for value in &values {
                    query = query.bind(value.as_str());
                }
                query.fetch_all(pool).await
            })?;
            holders.extend(rows);
        }
        Ok(holders)
    }

    /// Findable members with a word of their pseudonym beginning with the
    /// word of `token`, at most `cap + 1`.
    async fn pseudonym_holders(
        &self,
        association: &AssociationId,
        viewer: &MemberId,
        token: &str,
        cap: usize,
    ) -> Result<Holders, StoreError> {
        let sql = format!(
            "SELECT p.member_id, p.pseudonym_key FROM pseudonym_terms p CROSS JOIN members m \
             WHERE p.association_id = $1 AND p.token = $3 AND m.id = p.member_id AND {MEMBER_FILTER} LIMIT {}",
            cap + 1
        );
        let rows: Vec<(String, String)> = read!(self, |pool| {
            sqlx::query_as(&sql).bind(association.as_str()).bind(viewer.as_str()).bind(token).fetch_all(pool).await
        })?;
        Ok(rows.into_iter().collect())
    }

    /// The plan, chosen from what the viewer may see (see the module).
    async fn plan(&self, search: &MemberSearch<'_>) -> Result<Plan, StoreError> {
        let (association, viewer) = (search.association, search.viewer);
        let mut drive: Option<(Holders, Criterion)> = None;
        let mut stream: Option<(String, Holders, Criterion)> = None;
        // Only a set smaller than the smallest so far can drive: fetch no
        // more than that.
        let limit = |drive: &Option<(Holders, Criterion)>| {
            let cap = search.drive_cap.unwrap_or(DRIVE_CAP);
            drive.as_ref().map_or(cap, |(d, _)| d.len().saturating_sub(1).min(cap))
        };
        let nobody = |drive: &Option<(Holders, Criterion)>| drive.as_ref().is_some_and(|(d, _)| d.is_empty());
        for (i, tokens) in search.criteria.iter().enumerate().filter(|(_, t)| !t.is_empty()) {
            if nobody(&drive) {
                break;
            }
            let cap = limit(&drive);
            let set = self.visible_holders(association, viewer, tokens, cap).await?;
            if set.len() <= cap {
                drive = Some((set, Criterion::Codes(i)));
            }
        }
        for (i, (word, pseudonym)) in search.words.iter().enumerate() {
            if nobody(&drive) {
                break;
            }
            let cap = limit(&drive);
            let by_text = self.visible_holders(association, viewer, std::slice::from_ref(word), cap).await?;
            if by_text.len() > cap {
                continue;
            }
            let mut holders = self.pseudonym_holders(association, viewer, pseudonym, cap).await?;
            holders.extend(by_text.iter().map(|(id, key)| (id.clone(), key.clone())));
            if holders.len() <= cap {
                drive = Some((holders, Criterion::Word(i)));
            } else if drive.is_none() && stream.as_ref().is_none_or(|(_, t, _)| by_text.len() < t.len()) {
                stream = Some((pseudonym.clone(), by_text, Criterion::Word(i)));
            }
        }
        Ok(match (drive, stream) {
            (Some((ids, by)), _) => Plan::Drive(ids, by),
            (None, Some((token, ids, by))) => Plan::Stream(token, ids, by),
            (None, None) => Plan::Walk,
        })
    }

    /// `AND`-ed conditions for every criterion but `held` (which the
    /// members at hand are known to hold), on member `m`.
    fn all_criteria(search: &MemberSearch<'_>, binds: &mut Binds, held: Option<Criterion>) -> String {
        let mut sql = String::new();
        for (i, tokens) in search.criteria.iter().enumerate() {
            if tokens.is_empty() || held == Some(Criterion::Codes(i)) {
                continue;
            }
            sql.push_str(&format!(" AND {}", visibly_holds(tokens, binds)));
        }
        for (i, (word, pseudonym)) in search.words.iter().enumerate() {
            if held == Some(Criterion::Word(i)) {
                continue;
            }
            let by_pseudonym = pseudonym_holds(pseudonym, binds);
            let by_text = visibly_holds(std::slice::from_ref(word), binds);
            sql.push_str(&format!(" AND ({by_pseudonym} OR {by_text})"));
        }
        sql
    }

    async fn found(&self, search: &MemberSearch<'_>, sql: &str, binds: &Binds) -> Result<Vec<FoundMember>, StoreError> {
        let rows = read!(self, |pool| {
            let mut query = sqlx::query_as(sql).bind(search.association.as_str()).bind(search.viewer.as_str());
            for value in &binds.values {
                query = query.bind(value.as_str());
            }
            query.fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// Holders of criterion `held` that match the others, looked up by id,
    /// sorted, a page. When there are no others, the page is picked by the
    /// keys at hand and only its members are read.
    async fn look_up(
        &self,
        search: &MemberSearch<'_>,
        holders: &Holders,
        held: Criterion,
        limit: i64,
    ) -> Result<Vec<FoundMember>, StoreError> {
        let mut ids: Vec<(&String, &String)> = holders
            .iter()
            .filter(|(_, key)| search.after.as_ref().is_none_or(|after| *key > after))
            .map(|(id, key)| (key, id))
            .collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let others = search.criteria.iter().enumerate().any(|(i, t)| !t.is_empty() && held != Criterion::Codes(i))
            || (0..search.words.len()).any(|i| held != Criterion::Word(i));
        if !others {
            ids.sort_unstable();
            ids.truncate(usize::try_from(limit).unwrap_or(21));
        }
        let ids: Vec<&String> = ids.into_iter().map(|(_, id)| id).collect();
        let mut binds = Binds::new();
        // The list comes first: CROSS JOIN keeps SQLite from walking every
        // member in pseudonym order to spare the sort, which it prefers
        // for a list of more than a few dozen, badly when the matches sort
        // late (a pseudonym's beginning: they all sort together).
        let list: Vec<String> = ids.into_iter().map(|id| binds.push(id)).collect();
        let mut sql = format!(
            "SELECT {COLUMNS} FROM members d CROSS JOIN members m WHERE d.id IN ({}) AND m.id = d.id \
             AND {MEMBER_FILTER}",
            list.join(", ")
        );
        if let Some(after) = &search.after {
            sql.push_str(&format!(" AND m.pseudonym_key > {}", binds.push(after)));
        }
        sql.push_str(&Self::all_criteria(search, &mut binds, Some(held)));
        sql.push_str(&format!(" ORDER BY m.pseudonym_key LIMIT {limit}"));
        self.found(search, &sql, &binds).await
    }

    pub async fn search_members(&self, search: &MemberSearch<'_>) -> Result<Vec<FoundMember>, StoreError> {
        // A number of our own, not input: written into the queries.
        let limit = search.limit.clamp(1, 101);
        match self.plan(search).await? {
            Plan::Drive(ids, held) => self.look_up(search, &ids, held, limit).await,
            Plan::Stream(token, ids, held) => {
                // The word's pseudonym terms in pseudonym order from the
                // cursor (the primary key's order), and its text holders;
                // a page of each, merged.
                let mut binds = Binds::new();
                let t = binds.push(&token);
                let mut sql = format!(
                    "SELECT {COLUMNS} FROM pseudonym_terms p CROSS JOIN members m \
                     WHERE p.association_id = $1 AND p.token = {t} AND m.id = p.member_id AND {MEMBER_FILTER}"
                );
                if let Some(after) = &search.after {
                    sql.push_str(&format!(" AND p.pseudonym_key > {}", binds.push(after)));
                }
                sql.push_str(&Self::all_criteria(search, &mut binds, Some(held)));
                sql.push_str(&format!(" ORDER BY p.pseudonym_key LIMIT {limit}"));
                let mut found = self.found(search, &sql, &binds).await?;
                found.extend(self.look_up(search, &ids, held, limit).await?);
                found.sort_by(|a, b| a.pseudonym_key.cmp(&b.pseudonym_key));
                found.dedup_by(|a, b| a.id == b.id);
                found.truncate(usize::try_from(limit).unwrap_or(21));
                Ok(found)
            }
            Plan::Walk => {
                let mut binds = Binds::new();
                let mut sql = format!("SELECT {COLUMNS} FROM members m WHERE {MEMBER_FILTER}");
                if let Some(after) = &search.after {
                    sql.push_str(&format!(" AND m.pseudonym_key > {}", binds.push(after)));
                }
                sql.push_str(&Self::all_criteria(search, &mut binds, None));
                sql.push_str(&format!(" ORDER BY m.pseudonym_key LIMIT {limit}"));
                self.found(search, &sql, &binds).await
            }
        }
    }
}
