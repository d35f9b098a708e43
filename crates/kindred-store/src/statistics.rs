//! store::statistics — counts by week for the association's statistics.
//! Every query buckets rows into the weeks given by their boundaries with
//! one `CASE` (the same SQL on both databases) and returns only counts;
//! nothing here reads a health field, and nothing from a secret group is
//! counted (`visibility <> 'secret'`), as no list shows one to outsiders.

use crate::{read, write, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::{AssociationId, MemberId};

/// Rows of one statistic: (week index, label, count). The label is the
/// procedure or report kind where the statistic is split, else empty.
pub type WeekCounts = Vec<(i64, String, i64)>;

/// What the statistics need, counted per week.
#[derive(Debug, Default)]
pub struct WeeklyRecords {
    pub registrations: WeekCounts,
    pub verifications: WeekCounts,
    pub active_members: WeekCounts,
    pub posts: WeekCounts,
    pub groups: WeekCounts,
    pub reports: WeekCounts,
    /// Events created (not in secret groups).
    pub events: WeekCounts,
    /// Places taken at events (registered, not waiting), by the week the
    /// member signed up; not in secret groups.
    pub event_registrations: WeekCounts,
    /// Messages sent (a sum of `message_tallies`).
    pub messages: WeekCounts,
    /// Reports handled: (week index of handling, created, handled).
    pub handled: Vec<(i64, DateTime<Utc>, DateTime<Utc>)>,
}

/// `CAST(CASE WHEN col < $3 THEN 0 … END AS BIGINT)` for `weeks` weeks whose
/// boundaries are bound from `$2` (the start) to `$2 + weeks` (the end).
fn week_of(column: &str, weeks: usize) -> String {
    let mut sql = String::from("CAST(CASE");
    for i in 0..weeks {
        sql.push_str(&format!(" WHEN {column} < ${} THEN {i}", i + 3));
    }
    sql.push_str(" END AS BIGINT)");
    sql
}

impl Store {
    /// Records that a member was verified, for the statistics.
    pub async fn record_verification(
        &self,
        association: &AssociationId,
        member: &MemberId,
        procedure: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "INSERT INTO verifications (association_id, member_id, procedure, verified_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(procedure)
            .bind(at)
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// Counts by week. `bounds` are the weeks' boundaries, oldest first
    /// (one more than there are weeks).
    pub async fn weekly_records(
        &self,
        association: &AssociationId,
        bounds: &[DateTime<Utc>],
    ) -> Result<WeeklyRecords, StoreError> {
        let weeks = bounds.len().saturating_sub(1);
        if weeks == 0 {
            return Ok(WeeklyRecords::default());
        }
        let end = format!("${}", weeks + 2);
        let within = |column: &str| format!("{column} >= $2 AND {column} < {end}");
        let queries = [
            format!(
                "SELECT {} AS week, '' AS label, COUNT(*) AS n FROM members m \
                 WHERE m.association_id = $1 AND {} GROUP BY 1",
                week_of("m.created_at", weeks),
                within("m.created_at")
            ),
            format!(
                "SELECT {} AS week, v.procedure AS label, COUNT(*) AS n FROM verifications v \
                 WHERE v.association_id = $1 AND {} GROUP BY 1, 2",
                week_of("v.verified_at", weeks),
                within("v.verified_at")
            ),
            // Active: wrote a post under their pseudonym, or used a session
            // (sessions ended since are no longer known).
            format!(
                "SELECT a.week, '' AS label, COUNT(DISTINCT a.member_id) AS n FROM ( \
                 SELECT {} AS week, p.author_id AS member_id FROM posts p \
                 WHERE p.association_id = $1 AND p.author_id IS NOT NULL AND {} \
                 UNION SELECT {} AS week, s.member_id FROM sessions s \
                 WHERE s.association_id = $1 AND {}) a GROUP BY a.week",
                week_of("p.created_at", weeks),
                within("p.created_at"),
                week_of("s.last_used_at", weeks),
                within("s.last_used_at")
            ),
            format!(
                "SELECT {} AS week, '' AS label, COUNT(*) AS n FROM posts p \
                 JOIN topics t ON t.association_id = p.association_id AND t.id = p.topic_id \
                 LEFT JOIN community_groups g ON g.association_id = t.association_id AND g.id = t.group_id \
                 WHERE p.association_id = $1 AND {} AND (g.visibility IS NULL OR g.visibility <> 'secret') \
                 GROUP BY 1",
                week_of("p.created_at", weeks),
                within("p.created_at")
            ),
            format!(
                "SELECT {} AS week, '' AS label, COUNT(*) AS n FROM community_groups g \
                 WHERE g.association_id = $1 AND {} AND g.visibility <> 'secret' GROUP BY 1",
                week_of("g.created_at", weeks),
                within("g.created_at")
            ),
            format!(
                "SELECT {} AS week, r.kind AS label, COUNT(*) AS n FROM reports r {REPORT_GROUP} \
                 WHERE r.association_id = $1 AND {} AND (g.visibility IS NULL OR g.visibility <> 'secret') \
                 GROUP BY 1, 2",
                week_of("r.created_at", weeks),
                within("r.created_at")
            ),
            format!(
                "SELECT {} AS week, '' AS label, COUNT(*) AS n FROM events e {EVENT_GROUP} \
                 WHERE e.association_id = $1 AND {} AND (g.visibility IS NULL OR g.visibility <> 'secret') \
                 GROUP BY 1",
                week_of("e.created_at", weeks),
                within("e.created_at")
            ),
            format!(
                "SELECT {} AS week, '' AS label, COUNT(*) AS n FROM event_registrations r \
                 JOIN events e ON e.association_id = r.association_id AND e.id = r.event_id {EVENT_GROUP} \
                 WHERE r.association_id = $1 AND r.status = 'registered' AND {} \
                 AND (g.visibility IS NULL OR g.visibility <> 'secret') GROUP BY 1",
                week_of("r.created_at", weeks),
                within("r.created_at")
            ),
            format!(
                "SELECT {} AS week, '' AS label, CAST(SUM(t.sent) AS BIGINT) AS n FROM message_tallies t \
                 WHERE t.association_id = $1 AND {} GROUP BY 1",
                week_of("t.day", weeks),
                within("t.day")
            ),
        ];
        let mut results = Vec::new();
        for sql in &queries {
            let rows: WeekCounts = read!(self, |pool| {
                let mut query = sqlx::query_as(sql).bind(association.as_str());
                for bound in bounds {
                    query = query.bind(*bound);
                }
                query.fetch_all(pool).await
            })?;
            results.push(rows);
        }
        let handled_sql = format!(
            "SELECT {} AS week, r.created_at, r.resolved_at FROM reports r {REPORT_GROUP} \
             WHERE r.association_id = $1 AND r.resolved_at IS NOT NULL AND {} \
             AND (g.visibility IS NULL OR g.visibility <> 'secret')",
            week_of("r.resolved_at", weeks),
            within("r.resolved_at")
        );
        let handled = read!(self, |pool| {
            let mut query = sqlx::query_as(&handled_sql).bind(association.as_str());
            for bound in bounds {
                query = query.bind(*bound);
            }
            query.fetch_all(pool).await
        })?;
        let mut results = results.into_iter();
        let mut next = || results.next().unwrap_or_default();
        Ok(WeeklyRecords {
            registrations: next(),
            verifications: next(),
            active_members: next(),
            posts: next(),
            groups: next(),
            reports: next(),
            events: next(),
            event_registrations: next(),
            messages: next(),
            handled,
        })
    }
}

/// The group a report's post or topic is in, if any.
const REPORT_GROUP: &str = "LEFT JOIN posts p ON r.target_type = 'post' AND p.association_id = r.association_id \
     AND p.id = r.target_id \
     LEFT JOIN topics t ON t.association_id = r.association_id AND t.id = COALESCE(p.topic_id, r.target_id) \
     LEFT JOIN community_groups g ON g.association_id = t.association_id AND g.id = t.group_id";

/// The group an event belongs to, if any.
const EVENT_GROUP: &str = "LEFT JOIN community_groups g ON g.association_id = e.association_id AND g.id = e.group_id";
