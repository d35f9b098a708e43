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

/// Failed sign-ins per account (by e-mail key, whether or not it exists)
/// from one client address: that client waits; others are not affected.
/// No rule's window is longer: counters older than this are over
/// wherever they came from, and the housekeeping job deletes them.
/// (A test below checks every rule against it.)
pub const LONGEST_WINDOW: Duration = Duration::days(30);

pub const LOGIN_PER_CLIENT: Rule = Rule { bucket: "login-account-client", limit: 10, window: Duration::minutes(15) };
/// Failed sign-ins per account from anywhere. Beyond it the account is
/// under attack: a client that failed itself waits, one that did not is
/// still heard (see [`Limits`]).
pub const LOGIN_PER_ACCOUNT: Rule = Rule { bucket: "login-account", limit: 50, window: Duration::minutes(15) };
/// Password checks: at sign-in and whenever a member confirms a sensitive change.
pub const LOGIN: Limits = Limits { per_client: LOGIN_PER_CLIENT, per_account: LOGIN_PER_ACCOUNT };
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
/// Second-factor attempts per member from one client address.
pub const SECOND_FACTOR_PER_CLIENT: Rule =
    Rule { bucket: "second-factor-client", limit: 10, window: Duration::minutes(15) };
/// Second-factor attempts per member from anywhere (see [`Limits`]).
pub const SECOND_FACTOR_PER_MEMBER: Rule = Rule { bucket: "second-factor", limit: 30, window: Duration::minutes(15) };
/// Codes of the second factor: at sign-in and when confirming a change.
pub const SECOND_FACTOR: Limits =
    Limits { per_client: SECOND_FACTOR_PER_CLIENT, per_account: SECOND_FACTOR_PER_MEMBER };
/// Confirmation mails re-sent per member.
pub const CONFIRM_RESEND: Rule = Rule { bucket: "confirm-resend", limit: 5, window: Duration::hours(24) };
/// Pseudonyms a pending member may try per day: each try tells them
/// whether a pseudonym is taken, so an account must not test many.
pub const PSEUDONYM_CHOICE: Rule = Rule { bucket: "pseudonym-choice", limit: 10, window: Duration::hours(24) };

/// Limits on guessing a secret of one account (a password, a code), kept
/// so that failures elsewhere never lock its owner out: a client waits once
/// it failed `per_client` times; when the account failed `per_account`
/// times from anywhere, every client that failed at all waits, and only a
/// client without failures of its own is still heard — the owner with the
/// right password gets in, and each further address buys an attacker one
/// guess, not ten. Waiting ends with the client's own window (Retry-After).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub per_client: Rule,
    pub per_account: Rule,
}

/// The subject of a per-client counter: the account's subject and the client's address key.
fn pair(account: &str, client: &str) -> String {
    format!("{account}|{client}")
}

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

    /// Whether `client` may try a secret of `account` now (counts nothing).
    pub async fn admit(
        &self,
        association: &Association,
        limits: Limits,
        account: &str,
        client: &str,
    ) -> Result<Result<(), Throttled>, StoreError> {
        let now = self.clock.now();
        let rule = limits.per_client;
        let own = self.store.attempts(&association.id, rule.bucket, &pair(account, client), now - rule.window).await?;
        let Some(own) = own.filter(|c| c.count > 0) else { return Ok(Ok(())) };
        let wait = Throttled { retry_after: ((own.window_start + rule.window) - now).num_seconds().max(1) };
        if own.count >= rule.limit {
            return Ok(Err(wait));
        }
        let all = limits.per_account;
        let total = self.store.attempts(&association.id, all.bucket, account, now - all.window).await?;
        Ok(match total {
            Some(t) if t.count >= all.limit => Err(wait),
            _ => Ok(()),
        })
    }

    /// Counts a failed try of `client` at a secret of `account`.
    pub async fn count_failure(
        &self,
        association: &Association,
        limits: Limits,
        account: &str,
        client: &str,
    ) -> Result<(), StoreError> {
        let now = self.clock.now();
        let (mine, all) = (limits.per_client, limits.per_account);
        self.store.add_attempt(&association.id, mine.bucket, &pair(account, client), now, now - mine.window).await?;
        self.store.add_attempt(&association.id, all.bucket, account, now, now - all.window).await?;
        Ok(())
    }

    /// Forgets the failures of `client` after it proved the secret. The
    /// account's count stays: an attack elsewhere goes on.
    pub async fn clear_failures(
        &self,
        association: &Association,
        limits: Limits,
        account: &str,
        client: &str,
    ) -> Result<(), StoreError> {
        self.store.clear_attempts(&association.id, limits.per_client.bucket, &pair(account, client)).await
    }

    pub async fn clear_throttle(&self, association: &Association, rule: Rule, subject: &str) -> Result<(), StoreError> {
        self.store.clear_attempts(&association.id, rule.bucket, subject).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The housekeeping job deletes counters older than `LONGEST_WINDOW`;
    /// a rule with a longer window would be reset early by it.
    #[test]
    fn no_rule_outlasts_the_longest_window() {
        let rules = [
            LOGIN_PER_CLIENT,
            LOGIN_PER_ACCOUNT,
            LOGIN_PER_ADDRESS,
            REGISTER_PER_ADDRESS,
            RESET_PER_ACCOUNT,
            RESET_PER_ADDRESS,
            MEMBER_NUMBER,
            INVITATION,
            LETTER_REQUEST,
            SECOND_FACTOR_PER_CLIENT,
            SECOND_FACTOR_PER_MEMBER,
            CONFIRM_RESEND,
            PSEUDONYM_CHOICE,
            crate::moderation::REPORTS,
            crate::contacts::REQUESTS,
        ];
        for rule in rules {
            assert!(rule.window <= LONGEST_WINDOW, "{} lasts longer than LONGEST_WINDOW", rule.bucket);
        }
        assert!(crate::members::PACE_WINDOW <= LONGEST_WINDOW);
    }
}
