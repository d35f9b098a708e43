//! jobs — the deployment's timed work, run by one scheduler inside the
//! binary.
//!
//! Every job is a function that does all of its work that is due at `now`
//! and is safe to run twice: each unit of work is claimed in the database
//! in the same transaction as its effect, so a run killed halfway is picked
//! up by the next run and nothing is done twice. On top of that, a lease
//! row per job (`store::jobs`) lets one node at a time run it, so several
//! nodes on one PostgreSQL database do not all do the same work. The lease
//! is longer than a run should take; a node that died holding it blocks
//! the job only until the lease runs out.
//!
//! A feature adds its timed work by adding a [`Job`] to [`all`].

use crate::mail_delivery::Round;
use crate::Kindred;
use chrono::{DateTime, Duration, Utc};
use kindred_store::StoreError;
use std::future::Future;
use std::pin::Pin;

/// What a job's function returns: how many units of work it did.
pub type JobFuture<'a> = Pin<Box<dyn Future<Output = Result<u64, JobError>> + Send + 'a>>;

/// One kind of timed work.
#[derive(Clone, Copy)]
pub struct Job {
    /// Names the job in the lease table, the log and `/metrics`.
    pub name: &'static str,
    /// How often it runs (on some node).
    pub every: std::time::Duration,
    /// How long a node may hold the job; longer than any run should take.
    pub lease: Duration,
    pub run: for<'a> fn(&'a Kindred, DateTime<Utc>) -> JobFuture<'a>,
}

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("database: {0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Failed(String),
}

/// Every timed job of the product, in one place.
pub fn all() -> Vec<Job> {
    vec![
        Job {
            name: "housekeeping",
            every: std::time::Duration::from_secs(15 * 60),
            lease: Duration::minutes(10),
            run: |kindred, now| Box::pin(housekeeping(kindred, now)),
        },
        Job {
            name: "disappearing-messages",
            every: std::time::Duration::from_secs(60),
            lease: Duration::minutes(5),
            run: |kindred, now| Box::pin(erase_messages(kindred, now)),
        },
        Job {
            name: "event-reminders",
            every: std::time::Duration::from_secs(5 * 60),
            lease: Duration::minutes(4),
            run: |kindred, now| Box::pin(event_reminders(kindred, now)),
        },
        Job {
            name: "retention",
            every: std::time::Duration::from_secs(60 * 60),
            lease: Duration::minutes(30),
            run: |kindred, now| Box::pin(retention(kindred, now)),
        },
        Job {
            name: "exports",
            every: std::time::Duration::from_secs(60),
            lease: Duration::minutes(10),
            run: |kindred, now| Box::pin(exports(kindred, now)),
        },
        Job {
            name: "notification-mails",
            every: std::time::Duration::from_secs(60),
            lease: Duration::minutes(5),
            run: |kindred, now| Box::pin(notification_mails(kindred, now, Round::Immediate)),
        },
        Job {
            name: "notification-digests",
            every: std::time::Duration::from_secs(10 * 60),
            lease: Duration::minutes(30),
            run: |kindred, now| Box::pin(notification_mails(kindred, now, Round::Digest)),
        },
    ]
}

/// What each association keeps for how long (`[data]` of its settings,
/// `DataRules`): warns members inactive for `inactive_months` less
/// `inactive_warning_days` by mail, erases those still inactive once the
/// warning is that old; erases registrations never confirmed, postal
/// addresses of letters, old notifications, and pseudonym reservations
/// that ran out. Staff (admins, moderators, professionals) are neither
/// warned nor erased for inactivity while they hold a staff role: an
/// association must not lose its last admin, nor its moderators without a
/// word, to a timer; a staff member whose role is taken away is warned
/// afresh and then treated like any member. Each warning is claimed by marking the member in the same
/// statement; each erasure claims its member in its own transaction
/// (`store::erasure`), so a sign-in meanwhile saves the account.
pub async fn retention(kindred: &Kindred, now: DateTime<Utc>) -> Result<u64, JobError> {
    use crate::erasure::{PostsChoice, Reason};
    let failed = |e: crate::erasure::ErasureError| JobError::Failed(e.to_string());
    let mut done = kindred.store.delete_expired_reservations(now).await?;
    let associations = kindred.associations().await.map_err(|e| JobError::Failed(e.to_string()))?;
    for association in associations {
        let id = association.id.clone();
        let rules = association.settings.data.clone();
        if rules.inactive_months > 0 {
            let erase_before = months_before(now, rules.inactive_months);
            let warning = Duration::days(i64::from(rules.inactive_warning_days));
            let warn_before = erase_before + warning;
            let sign_in = format!("{}/sign-in", kindred.association_url(&association));
            for (_, email, language) in kindred.store.claim_inactive_warnings(&id, warn_before, now).await? {
                let date = (now + warning).format("%Y-%m-%d").to_string();
                kindred.notify(
                    &association,
                    &email,
                    language.as_deref(),
                    crate::notices::Notice::InactiveAccount { sign_in: &sign_in, date: &date },
                );
                done += 1;
            }
            // Kept without name where allowed: their words may matter to others.
            let posts = if rules.anonymise_allowed { PostsChoice::Anonymise } else { PostsChoice::Delete };
            for member in kindred.store.inactive_due(&id, erase_before, now - warning).await? {
                let member = kindred_domain::MemberId::from_trusted(member);
                if kindred
                    .erase_member(&association, &member, posts, Reason::Inactive, Some(erase_before))
                    .await
                    .map_err(failed)?
                {
                    done += 1;
                }
            }
        }
        if rules.unconfirmed_days > 0 {
            let before = now - Duration::days(i64::from(rules.unconfirmed_days));
            for member in kindred.store.unconfirmed_due(&id, before).await? {
                let member = kindred_domain::MemberId::from_trusted(member);
                if kindred
                    .erase_member(&association, &member, PostsChoice::Delete, Reason::Unconfirmed, Some(before))
                    .await
                    .map_err(failed)?
                {
                    done += 1;
                }
            }
        }
        if rules.letter_address_days > 0 {
            let before = now - Duration::days(i64::from(rules.letter_address_days));
            done += kindred.store.erase_old_letter_addresses(&id, before).await?;
        }
        if rules.notification_months > 0 {
            done += kindred.store.delete_old_notifications(&id, months_before(now, rules.notification_months)).await?;
        }
    }
    Ok(done)
}

/// `now` less whole calendar months (the end of a shorter month when the
/// day does not exist there).
fn months_before(now: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    now.checked_sub_months(chrono::Months::new(months)).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// Data exports (`service::export`): builds those a crash left unbuilt
/// (each claimed first, so a build is never lost nor done twice at once)
/// and deletes those whose time is over.
pub async fn exports(kindred: &Kindred, now: DateTime<Utc>) -> Result<u64, JobError> {
    kindred.run_exports(now).await.map_err(|e| JobError::Failed(e.to_string()))
}

/// Mails about notifications (`service::mail_delivery`): each mail's
/// notifications are claimed in `mail_records` before it is sent, so a run
/// cut short sends nothing twice and the next run finishes it.
async fn notification_mails(kindred: &Kindred, now: DateTime<Utc>, round: Round) -> Result<u64, JobError> {
    kindred.deliver_mails(now, round).await.map_err(|e| JobError::Failed(e.to_string()))
}

/// Reminders a day before an event (`Kindred::remind_due`: each reminder
/// is recorded in the same transaction as its notification).
async fn event_reminders(kindred: &Kindred, now: DateTime<Utc>) -> Result<u64, JobError> {
    let sent = kindred.remind_due(now).await.map_err(|e| JobError::Failed(e.to_string()))?;
    Ok(u64::try_from(sent).unwrap_or(u64::MAX))
}

/// What became of one attempt to run a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// This node ran it; it did this many units of work.
    Ran(u64),
    /// Another node holds the lease; this node did nothing.
    Busy,
}

/// Runs `job` once on this node if it can take the lease, and records the
/// outcome in the job's row. `holder` names this node (the scheduler uses a
/// random name per process).
pub async fn run_once(kindred: &Kindred, job: &Job, holder: &str) -> Result<Outcome, JobError> {
    let now = kindred.clock.now();
    if !kindred.store.take_job_lease(job.name, holder, now, now + job.lease).await? {
        return Ok(Outcome::Busy);
    }
    let started = std::time::Instant::now();
    let result = (job.run)(kindred, now).await;
    let finished = kindred.clock.now();
    let (outcome, failed) = match &result {
        Ok(done) => (format!("ok: {done}"), false),
        Err(error) => (format!("failed: {error}"), true),
    };
    kindred.store.finish_job(job.name, holder, finished, &outcome, failed).await?;
    match result {
        Ok(done) => {
            tracing::info!(job = job.name, done, seconds = started.elapsed().as_secs_f64(), "job ran");
            Ok(Outcome::Ran(done))
        }
        Err(error) => {
            tracing::error!(job = job.name, %error, "job failed");
            Err(error)
        }
    }
}

/// Starts the scheduler: every job in [`all`] is tried every `job.every`,
/// the first time shortly after start. Runs until the process ends; a
/// failed run is logged and tried again at the next tick.
pub fn spawn(kindred: Kindred) -> Vec<tokio::task::JoinHandle<()>> {
    let holder = format!("node-{}", &kindred_domain::id::random_token()[..12]);
    all()
        .into_iter()
        .map(|job| {
            let kindred = kindred.clone();
            let holder = holder.clone();
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(job.every);
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    tick.tick().await;
                    if let Err(error) = run_once(&kindred, &job, &holder).await {
                        tracing::warn!(job = job.name, %error, "job will be tried again");
                    }
                }
            })
        })
        .collect()
}

/// Deletes what has run out in every association: sessions, mailed links,
/// passkey challenges, and throttling counters older than the longest
/// throttling window. Expired rows are never read again; keeping them
/// would only keep data about members. Then lets SQLite's planner catch up
/// with tables that filled or grew since it last looked
/// (`Store::refresh_statistics`). Ends calls open for longer than a call
/// can last and removes set-up messages nobody can receive any more
/// (`service::calls`).
pub async fn housekeeping(kindred: &Kindred, now: DateTime<Utc>) -> Result<u64, JobError> {
    let counters_before = now - crate::throttle::LONGEST_WINDOW;
    let mut done = 0;
    for association in kindred.store.list_associations().await? {
        let id = kindred_domain::AssociationId::from_trusted(association.id);
        done += kindred.store.sweep_expired(&id, now, counters_before).await?.total();
    }
    let (ended, removed) = kindred.tidy_calls(now).await.map_err(|e| JobError::Failed(e.to_string()))?;
    done += ended + removed;
    kindred.store.refresh_statistics().await?;
    Ok(done)
}

/// Erases the messages whose disappearing time has come
/// (`service::messaging`, `Kindred::erase_due`): deleting is its own claim.
pub async fn erase_messages(kindred: &Kindred, now: DateTime<Utc>) -> Result<u64, JobError> {
    let erased = kindred.erase_due(now).await.map_err(|e| JobError::Failed(e.to_string()))?;
    Ok(u64::try_from(erased).unwrap_or(u64::MAX))
}
