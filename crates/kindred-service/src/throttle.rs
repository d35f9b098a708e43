//! service::throttle — limits on how often something may be tried, kept
//! in the database so that they hold across several server nodes.

use crate::{Association, Kindred};
use chrono::Duration;
use kindred_store::StoreError;

/// A rule: at most `limit` attempts per `window`.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub bucket: &'static str,
    pub limit: i64,
    pub window: Duration,
}

/// Failed sign-ins per account (by e-mail key, whether or not it exists).
pub const LOGIN_PER_ACCOUNT: Rule = Rule { bucket: "login-account", limit: 10, window: Duration::minutes(15) };
/// Failed sign-ins per client address. Generous: a self-help group may sit
/// together behind one venue's Wi-Fi.
pub const LOGIN_PER_ADDRESS: Rule = Rule { bucket: "login-address", limit: 100, window: Duration::minutes(15) };
/// Registrations per client address (again: a group registering together).
pub const REGISTER_PER_ADDRESS: Rule = Rule { bucket: "register-address", limit: 100, window: Duration::hours(1) };
/// Password-reset mails per account; more requests answer alike but send nothing.
pub const RESET_PER_ACCOUNT: Rule = Rule { bucket: "reset-account", limit: 3, window: Duration::hours(1) };
/// Password-reset requests per client address.
pub const RESET_PER_ADDRESS: Rule = Rule { bucket: "reset-address", limit: 50, window: Duration::hours(1) };
/// Member-number attempts per member.
pub const MEMBER_NUMBER: Rule = Rule { bucket: "member-number", limit: 5, window: Duration::hours(24) };
/// Invitation-code attempts per member.
pub const INVITATION: Rule = Rule { bucket: "invitation", limit: 10, window: Duration::hours(24) };
/// Letter requests per member (each costs the association postage).
pub const LETTER_REQUEST: Rule = Rule { bucket: "letter-request", limit: 3, window: Duration::days(30) };
/// Second-factor attempts per member.
pub const SECOND_FACTOR: Rule = Rule { bucket: "second-factor", limit: 10, window: Duration::minutes(15) };
/// Confirmation mails re-sent per member.
pub const CONFIRM_RESEND: Rule = Rule { bucket: "confirm-resend", limit: 5, window: Duration::hours(24) };
/// Pseudonyms a pending member may try per day: each try tells them
/// whether a pseudonym is taken, so an account must not test many.
pub const PSEUDONYM_CHOICE: Rule = Rule { bucket: "pseudonym-choice", limit: 10, window: Duration::hours(24) };

/// Too many attempts; try again after this many seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many attempts; try again in {retry_after} seconds")]
pub struct Throttled {
    pub retry_after: i64,
}

impl Kindred {
    /// Whether the rule still allows an attempt (does not count one).
    pub async fn check_throttle(
        &self,
        association: &Association,
        rule: Rule,
        subject: &str,
    ) -> Result<Result<(), Throttled>, StoreError> {
        let now = self.clock.now();
        let count = self.store.attempts(&association.id, rule.bucket, subject, now - rule.window).await?;
        Ok(match count {
            Some(c) if c.count >= rule.limit => {
                Err(Throttled { retry_after: ((c.window_start + rule.window) - now).num_seconds().max(1) })
            }
            _ => Ok(()),
        })
    }

    /// Counts an attempt; `Err` when it was one too many.
    pub async fn count_attempt(
        &self,
        association: &Association,
        rule: Rule,
        subject: &str,
    ) -> Result<Result<(), Throttled>, StoreError> {
        let now = self.clock.now();
        let count = self.store.add_attempt(&association.id, rule.bucket, subject, now, now - rule.window).await?;
        Ok(if count.count > rule.limit {
            Err(Throttled { retry_after: ((count.window_start + rule.window) - now).num_seconds().max(1) })
        } else {
            Ok(())
        })
    }

    pub async fn clear_throttle(&self, association: &Association, rule: Rule, subject: &str) -> Result<(), StoreError> {
        self.store.clear_attempts(&association.id, rule.bucket, subject).await
    }
}
