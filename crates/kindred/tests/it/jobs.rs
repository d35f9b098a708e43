//! The timed jobs: one node at a time runs a job (the lease in the
//! database), a run is recorded for /metrics, and the housekeeping job
//! deletes what has run out and nothing else.

use crate::admission::PASSWORD;
use crate::harness::{Db, TestServer, BOTH};
use kindred_service::jobs::{self, Outcome};
use kindred_service::Clock;

fn housekeeping() -> jobs::Job {
    jobs::all().into_iter().find(|job| job.name == "housekeeping").expect("the housekeeping job")
}

#[tokio::test]
async fn two_nodes_asking_at_once_run_a_job_once() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let other = s.another_node().await;
        let job = housekeeping();
        let now = s.clock.now();
        let until = now + job.lease;
        // Both nodes ask for the lease at the same moment: one gets it.
        let (a, b) = tokio::join!(
            s.kindred.store.take_job_lease(job.name, "node-a", now, until),
            other.store.take_job_lease(job.name, "node-b", now, until)
        );
        let (a, b) = (a.expect("node a"), b.expect("node b"));
        assert!(a ^ b, "{db:?}: exactly one node holds the lease: a={a} b={b}");
        let (holder, waiting) = if a { ("node-a", &other) } else { ("node-b", &s.kindred) };
        let waiting_name = if a { "node-b" } else { "node-a" };
        // While it is held, the other node's run does nothing.
        assert_eq!(jobs::run_once(waiting, &job, waiting_name).await.expect("busy"), Outcome::Busy);
        // The holder runs and finishes.
        let holder_node = if a { &s.kindred } else { &other };
        assert!(matches!(jobs::run_once(holder_node, &job, holder).await.expect("ran"), Outcome::Ran(_)));

        // A finished run frees the lease at once: the other node may run next.
        assert!(matches!(jobs::run_once(waiting, &job, waiting_name).await.expect("again"), Outcome::Ran(_)));
        let rows = s.kindred.store.jobs().await.expect("job rows");
        let row = rows.iter().find(|r| r.name == "housekeeping").expect("row");
        assert_eq!((row.runs, row.failures), (2, 0));
        assert_eq!(row.last_outcome.as_deref(), Some("ok: 0"));
        s.stop().await;
    }
}

#[tokio::test]
async fn a_node_that_died_holding_a_lease_blocks_the_job_only_until_it_runs_out() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let job = housekeeping();
        let now = s.clock.now();
        // "node-dead" took the lease and never finished.
        assert!(s.kindred.store.take_job_lease(job.name, "node-dead", now, now + job.lease).await.expect("lease"));
        assert_eq!(jobs::run_once(&s.kindred, &job, "node-a").await.expect("busy"), Outcome::Busy);
        s.clock.advance(job.lease);
        assert!(matches!(jobs::run_once(&s.kindred, &job, "node-a").await.expect("ran"), Outcome::Ran(_)));
        s.stop().await;
    }
}

#[tokio::test]
async fn housekeeping_deletes_expired_sessions_and_keeps_live_ones() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.member(&ms, "anna@example.org", "Anna", PASSWORD).await;
        let old = s.login("ms", "anna@example.org", PASSWORD).await;
        assert_eq!(s.count_rows("sessions").await, 1);

        // 31 days later the API session has run out; a new one has not.
        s.clock.advance(chrono::Duration::days(31));
        let fresh = s.login("ms", "anna@example.org", PASSWORD).await;
        assert_eq!(s.count_rows("sessions").await, 2);
        // SQLite's planner had no statistics of the sessions table (empty
        // when the server started); housekeeping lets it catch up.
        let statistics = "sqlite_stat1 WHERE tbl = 'sessions'";
        let sqlite = db == Db::Sqlite;
        if sqlite && s.count_rows("sqlite_master WHERE name = 'sqlite_stat1'").await > 0 {
            assert_eq!(s.count_rows(statistics).await, 0, "no statistics of sessions yet");
        }
        let outcome = jobs::run_once(&s.kindred, &housekeeping(), "node-a").await.expect("run");
        assert!(matches!(outcome, Outcome::Ran(n) if n >= 1), "{db:?}: {outcome:?}");
        assert_eq!(s.count_rows("sessions").await, 1, "{db:?}: only the live session is left");
        if sqlite {
            assert!(s.count_rows(statistics).await > 0, "housekeeping analysed the filled table");
        }

        let me = |token: String| {
            let s = &s;
            async move { s.client.get(s.url("/a/ms/api/v1/me")).bearer_auth(token).send().await.expect("me").status() }
        };
        assert_eq!(me(old).await, 401);
        assert_eq!(me(fresh).await, 200);
        s.stop().await;
    }
}
