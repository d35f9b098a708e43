//! store::search — finding members by keyed-hash search terms, inside the
//! disclosure rules: a criterion matches a member only through a term whose
//! visibility is at or below the level that member placed the viewer on
//! (`Community` without a contact). Never found: the viewer themself,
//! members who are not active or not discoverable, and either side of a
//! block.
//!
//! The query walks the members in pseudonym order and tests each against
//! sets that hold only what the viewer may see (terms at level 1, and the
//! terms of members who placed the viewer higher), so neither the results,
//! their order, nor the work done depend on a field hidden from the viewer.

use crate::{read, Store, StoreError};
use kindred_domain::{AssociationId, MemberId};

/// A member search, already turned into tokens by the service.
pub struct MemberSearch<'a> {
    pub association: &'a AssociationId,
    pub viewer: &'a MemberId,
    /// Each criterion is a set of tokens of which any one matches; all
    /// criteria must match.
    pub criteria: Vec<Vec<String>>,
    /// Words of free text: each must match the pseudonym (a LIKE pattern
    /// over the lowercase pseudonym) or a visible word token.
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

/// Placeholders and their values, numbered in order.
struct Binds {
    values: Vec<String>,
}

impl Binds {
    fn push(&mut self, value: &str) -> String {
        self.values.push(value.to_owned());
        format!("${}", self.values.len() + 2)
    }
}

/// Members holding any of `tokens` in a field the viewer ($1 association,
/// $2 viewer) may see.
fn visible_holders(tokens: &[String], binds: &mut Binds) -> String {
    let list = tokens.iter().map(|t| binds.push(t)).collect::<Vec<_>>().join(", ");
    format!(
        "SELECT t.member_id FROM search_terms t \
         WHERE t.association_id = $1 AND t.token IN ({list}) AND t.visibility = 1 \
         UNION ALL \
         SELECT t.member_id FROM contacts c JOIN search_terms t \
           ON t.association_id = c.association_id AND t.member_id = c.owner_id \
         WHERE c.association_id = $1 AND c.contact_id = $2 AND t.token IN ({list}) AND t.visibility <= c.level"
    )
}

impl Store {
    pub async fn search_members(&self, search: &MemberSearch<'_>) -> Result<Vec<FoundMember>, StoreError> {
        let mut binds = Binds { values: Vec::new() };
        let mut sql = String::from(
            "SELECT m.id, m.pseudonym, m.pseudonym_key, m.role, m.status, m.badge FROM members m \
             WHERE m.association_id = $1 AND m.status = 'active' AND m.discoverable AND m.id <> $2 \
             AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.association_id = $1 \
               AND b.blocker_id = $2 AND b.blocked_id = m.id) \
             AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.association_id = $1 \
               AND b.blocker_id = m.id AND b.blocked_id = $2)",
        );
        if let Some(after) = &search.after {
            let p = binds.push(after);
            sql.push_str(&format!(" AND m.pseudonym_key > {p}"));
        }
        for tokens in search.criteria.iter().filter(|t| !t.is_empty()) {
            sql.push_str(&format!(" AND m.id IN ({})", visible_holders(tokens, &mut binds)));
        }
        for (pattern, token) in &search.words {
            let p = binds.push(pattern);
            let holders = visible_holders(std::slice::from_ref(token), &mut binds);
            sql.push_str(&format!(" AND (m.pseudonym_key LIKE {p} ESCAPE '\\' OR m.id IN ({holders}))"));
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
