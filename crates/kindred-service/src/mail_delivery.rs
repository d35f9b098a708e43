//! service::mail_delivery — the mails about notifications.
//!
//! This is the one place that decides whether and when a notification is
//! mailed. Every notification row (written wherever something happens:
//! forum, moderation, events, messaging) is looked at here, by the member's
//! choice for its kind (`kindred_domain::notification_kinds`): at once, in
//! the daily or weekly digest, or never. Immediate mails wait while the
//! member's quiet hours last, except for a fixed kind (crisis reports).
//!
//! **Never twice.** A mail's notifications are claimed in `mail_records`
//! (`store::mail_records`) in one transaction before the mail is sent, and
//! marked sent after. Another node, or a second run, finds them claimed and
//! leaves them. A claim whose mail was never marked sent (the process died
//! between) is sent again after its lease under the same mail id, which
//! names the outbox file and the Message-ID: the outbox does not get a
//! second file, and a mail server sees the same message again.
//!
//! **Neutral.** A mail says how many new things of which kind there are and
//! where to look, in the member's language: no text of a post or message,
//! no topic title, no group name, no pseudonym, nothing from a profile.
//! What the member can no longer see (left the group, blocked, hidden) is
//! checked again here, by the notification list's own rule, and not mailed.
//!
//! **Unsubscribe.** Each mail carries an RFC 8058 one-click link for one
//! kind; its token is an HMAC under the association's key over member and
//! kind, so it works signed out and only for that member and kind.

use crate::mail::{Mail, MailError};
use crate::sessions::{Caller, Member, SessionKind};
use crate::{Association, Kindred};
use chrono::{DateTime, Duration, Utc};
use kindred_domain::notification_kinds::{self, last_digest_time, EmailChoices, EmailFrequency, QuietHours};
use kindred_domain::{AccountStatus, EmailAddress, Language, MemberId};
use kindred_store::{DigestWaiting, MailClaim, MemberRecord, PendingNotification, StoreError};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock};

/// How long a node may take to send a claimed mail before another may.
pub const MAIL_LEASE: Duration = Duration::minutes(10);
/// How far back the job looks for notifications without a record; longer
/// than a week, so a weekly digest finds everything.
const LOOKBACK: Duration = Duration::days(9);
/// How many members' mails a run prepares and sends at once.
const PARALLEL_MEMBERS: usize = 8;
/// How many members' waiting notifications the job reads at once (memory
/// stays bounded however many wait for a digest: in the pages benchmark,
/// 200 members had 150 each).
const MEMBERS_PER_PAGE: i64 = 50;
/// The purpose of the unsubscribe MAC under the association's search key.
const UNSUBSCRIBE_PURPOSE: &str = "unsubscribe";

/// Which mails a run sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Round {
    /// Only immediate mails (and stale claims).
    Immediate,
    /// Immediate mails and the daily and weekly digests that are due.
    Digest,
}

/// Which notifications a round looks at.
#[derive(Debug, Clone, Copy)]
enum Scope<'a> {
    /// Every one without a record from the last nine days (the job).
    Waiting,
    /// These just written, by id (a round started by the writing).
    Written(&'a [String]),
}

#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Mail(#[from] MailError),
    #[error("{0}")]
    Failed(String),
}

/// Who an unsubscribe link is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsubscribeTarget {
    pub member: MemberId,
    pub kind: &'static notification_kinds::NotificationKind,
}

/// Whether `round` could do anything with `item` for a member with these
/// choices: mail it now, or record that it is never mailed. What waits for
/// a digest is only looked at in a digest round ([`Kindred::deliver_to`]
/// decides the rest: quiet hours, whether a digest is due).
fn may_act_now(round: Round, choices: &EmailChoices, item: &PendingNotification) -> bool {
    let Some(kind) = notification_kinds::find(&item.kind) else { return true };
    round == Round::Digest || acts_outside_digests(choices.get(kind.name).unwrap_or(kind.default_email))
}

/// Whether a notification mailed at `frequency` is decided outside the
/// digests: mailed at once, or recorded as never mailed. The one rule
/// behind [`may_act_now`] and the minute job's query (`DigestWaiting`).
fn acts_outside_digests(frequency: EmailFrequency) -> bool {
    match frequency {
        EmailFrequency::Never | EmailFrequency::Immediately => true,
        EmailFrequency::Daily | EmailFrequency::Weekly => false,
    }
}

/// The kinds and stored choices the minute job's query needs to apply
/// [`acts_outside_digests`] (`store::DigestWaiting`), derived once from the
/// kinds' list.
struct DigestLists {
    choosable: Vec<&'static str>,
    digest_by_default: Vec<&'static str>,
    digest_choices: Vec<&'static str>,
    other_choices: Vec<&'static str>,
}

static DIGEST_LISTS: LazyLock<DigestLists> = LazyLock::new(|| {
    let choosable = notification_kinds::KINDS.iter().filter(|k| !k.fixed);
    let (other, digest): (Vec<EmailFrequency>, Vec<EmailFrequency>) =
        EmailFrequency::ALL.into_iter().partition(|f| acts_outside_digests(*f));
    DigestLists {
        choosable: choosable.clone().map(|k| k.name).collect(),
        digest_by_default: choosable.filter(|k| !acts_outside_digests(k.default_email)).map(|k| k.name).collect(),
        digest_choices: digest.into_iter().map(EmailFrequency::as_str).collect(),
        other_choices: other.into_iter().map(EmailFrequency::as_str).collect(),
    }
});

impl DigestLists {
    fn waiting(&self) -> DigestWaiting<'_> {
        DigestWaiting {
            choosable: &self.choosable,
            digest_by_default: &self.digest_by_default,
            digest_choices: &self.digest_choices,
            other_choices: &self.other_choices,
        }
    }
}

impl Kindred {
    /// Runs one round in every association; returns how many mails were sent.
    pub async fn deliver_mails(&self, now: DateTime<Utc>, round: Round) -> Result<u64, DeliveryError> {
        let associations = self.associations().await.map_err(|e| DeliveryError::Failed(e.to_string()))?;
        let mut sent = 0;
        for association in &associations {
            sent += self.deliver_mails_in(association, now, round).await?;
        }
        Ok(sent)
    }

    /// Sends the immediate mails of notifications just written (`written`,
    /// their ids) now, in the background, so that a mail does not wait for
    /// the job's next tick. It looks at those notifications only: what else
    /// waits (a digest, the end of quiet hours) is the job's, every minute.
    /// The claims keep it from racing the job.
    pub(crate) fn kick_mails(&self, association: &Association, written: Vec<String>) {
        if written.is_empty() {
            return;
        }
        let kindred = self.clone();
        let association = association.clone();
        tokio::spawn(async move {
            let now = kindred.clock.now();
            let scope = Scope::Written(&written);
            if let Err(error) = kindred.deliver_round(&association, now, Round::Immediate, scope).await {
                tracing::error!(%error, "notification mails failed; the job tries again");
            }
        });
    }

    /// One round in one association.
    pub async fn deliver_mails_in(
        &self,
        association: &Association,
        now: DateTime<Utc>,
        round: Round,
    ) -> Result<u64, DeliveryError> {
        self.deliver_round(association, now, round, Scope::Waiting).await
    }

    async fn deliver_round(
        &self,
        association: &Association,
        now: DateTime<Utc>,
        round: Round,
        scope: Scope<'_>,
    ) -> Result<u64, DeliveryError> {
        // Stale claims are the job's to send again, every minute; a round
        // started by the writing looks only at what was just written.
        let mut sent = match scope {
            Scope::Waiting => self.resend_stale(association, now).await?,
            Scope::Written(_) => 0,
        };
        // A claim lost to another node or run leaves the rest of that
        // member's notifications for a second look.
        for _ in 0..3 {
            let mut lost = false;
            let mut after = String::new();
            loop {
                let pending = match scope {
                    Scope::Waiting => {
                        let since = now - LOOKBACK;
                        // What waits for a digest stays in the database in a
                        // round that sends none.
                        let waiting = DIGEST_LISTS.waiting();
                        let leave = (round == Round::Immediate).then_some(&waiting);
                        self.store
                            .pending_notifications(&association.id, since, &after, MEMBERS_PER_PAGE, leave)
                            .await?
                    }
                    Scope::Written(ids) => {
                        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
                        self.store.pending_notifications_among(&association.id, &ids).await?
                    }
                };
                let Some(last) = pending.last() else { break };
                after.clone_from(&last.member_id);
                let (mailed, complete) = self.deliver_among(association, now, round, pending).await?;
                sent += mailed;
                lost |= !complete;
                if matches!(scope, Scope::Written(_)) {
                    break;
                }
            }
            if !lost {
                break;
            }
        }
        Ok(sent)
    }

    /// Decides the pending notifications of some members (all of each
    /// one's), several members at once; returns the mails sent and whether
    /// every claim held.
    async fn deliver_among(
        &self,
        association: &Association,
        now: DateTime<Utc>,
        round: Round,
        pending: Vec<PendingNotification>,
    ) -> Result<(u64, bool), DeliveryError> {
        let mut by_member: BTreeMap<String, Vec<PendingNotification>> = BTreeMap::new();
        for item in pending {
            by_member.entry(item.member_id.clone()).or_default().push(item);
        }
        let members: Vec<&str> = by_member.keys().map(String::as_str).collect();
        let mut stored: HashMap<String, Vec<(String, String)>> = HashMap::new();
        for (member, kind, email) in self.store.notification_settings_of(&association.id, &members).await? {
            stored.entry(member).or_default().push((kind, email));
        }
        // Each member with their own choices. A member whose notifications
        // all wait for a digest, in a round that sends none, is left here,
        // before their account is read: most recipients of a forum reply
        // (daily by default), each time.
        let planned: Vec<(String, Vec<PendingNotification>, EmailChoices)> = by_member
            .into_iter()
            .map(|(member, items)| {
                let own = stored.get(&member).into_iter().flatten().map(|(k, e)| (k.as_str(), e.as_str()));
                let choices = EmailChoices::from_stored(own);
                (member, items, choices)
            })
            .filter(|(_, items, choices)| items.iter().any(|item| may_act_now(round, choices, item)))
            .collect();
        if planned.is_empty() {
            return Ok((0, true));
        }
        let members: Vec<&str> = planned.iter().map(|(member, _, _)| member.as_str()).collect();
        let mut accounts = self.accounts_of(association, members.iter().copied()).await?;
        let quiet: HashMap<String, QuietHours> = self
            .store
            .quiet_hours_of(&association.id, &members)
            .await?
            .into_iter()
            .filter_map(|q| {
                QuietHours::from_stored(q.from_minute, q.to_minute, q.time_zone.as_deref()).map(|h| (q.member_id, h))
            })
            .collect();
        let mut sent = 0;
        let mut lost = false;
        // Members are independent (each claim is the member's own), so
        // several are decided and mailed at once: a run waits on the
        // database and the mail transport, not on the processor.
        let shared = Arc::new(association.clone());
        let mut running = tokio::task::JoinSet::new();
        let mut tally = |done: Result<Result<(u64, bool), DeliveryError>, tokio::task::JoinError>| match done {
            Ok(Ok((n, complete))) => {
                sent += n;
                lost |= !complete;
            }
            Ok(Err(error)) => tracing::error!(%error, "a member's notification mail failed; tried again later"),
            Err(error) => tracing::error!(%error, "a member's notification mail stopped; tried again later"),
        };
        for (member, items, choices) in planned {
            let quiet = quiet.get(&member).copied();
            let account = accounts.remove(&member);
            let kindred = self.clone();
            let association = Arc::clone(&shared);
            running.spawn(async move {
                let plan = Plan { choices: &choices, quiet: quiet.as_ref(), now, round };
                kindred.deliver_to(&association, &member, account, &items, plan).await
            });
            while running.len() >= PARALLEL_MEMBERS {
                if let Some(done) = running.join_next().await {
                    tally(done);
                }
            }
        }
        while let Some(done) = running.join_next().await {
            tally(done);
        }
        Ok((sent, !lost))
    }

    /// Decides each of one member's pending notifications (`account`: the
    /// member's, read with the others of the page; `None` when gone);
    /// returns the mails sent and whether every claim held.
    async fn deliver_to(
        &self,
        association: &Association,
        member: &str,
        account: Option<MemberRecord>,
        items: &[PendingNotification],
        plan: Plan<'_>,
    ) -> Result<(u64, bool), DeliveryError> {
        let recipient = match account {
            Some(record) => Some(Member::from_record(record)?),
            None => None,
        };
        let recipient = recipient.filter(|m| m.status == AccountStatus::Active);
        let Some(recipient) = recipient else {
            // Nobody to mail (gone, suspended): decided, no mail.
            let all: Vec<&PendingNotification> = items.iter().collect();
            return Ok((0, self.claim(association, member, None, &all, plan.now).await?));
        };
        // The member's zone (else the association's): when a digest is due,
        // and where its days begin; quiet hours without a zone of their own.
        let zone = crate::preferences::zone_of(association, Some(&recipient)).tz();
        let quiet_now = plan.quiet.is_some_and(|q| q.is_quiet(plan.now, zone));
        let mut never = Vec::new();
        let mut immediate = Vec::new();
        let mut digest = Vec::new();
        for item in items {
            let Some(kind) = notification_kinds::find(&item.kind) else {
                never.push(item);
                continue;
            };
            let frequency = plan.choices.get(kind.name).unwrap_or(kind.default_email);
            match frequency {
                EmailFrequency::Never => never.push(item),
                EmailFrequency::Immediately => {
                    if kind.fixed || !quiet_now {
                        immediate.push(item);
                    }
                }
                EmailFrequency::Daily | EmailFrequency::Weekly => {
                    let due = last_digest_time(frequency, plan.now, zone).is_some_and(|at| item.created_at < at);
                    if plan.round == Round::Digest && due && !quiet_now {
                        digest.push(item);
                    }
                }
            }
        }
        if immediate.is_empty() && digest.is_empty() && never.is_empty() {
            return Ok((0, true));
        }
        // What the member may no longer see is not mailed.
        let caller = Caller {
            member: recipient.clone(),
            session_id: String::new(),
            kind: SessionKind::Api,
            second_factor_pending: false,
        };
        let groups =
            self.readable_group_ids(association, &caller).await.map_err(|e| DeliveryError::Failed(e.to_string()))?;
        let asked: Vec<&str> = immediate.iter().chain(digest.iter()).map(|i| i.id.as_str()).collect();
        let visible = self.store.visible_notifications(&association.id, &recipient.id, &groups, &asked).await?;
        let seen = |i: &&PendingNotification| visible.contains(&i.id);
        let (immediate, hidden_now): (Vec<_>, Vec<_>) = immediate.into_iter().partition(seen);
        never.extend(hidden_now);
        let (digest, hidden_later): (Vec<_>, Vec<_>) = digest.into_iter().partition(seen);
        never.extend(hidden_later);

        let mut complete = self.claim(association, member, None, &never, plan.now).await?;
        let mut sent = 0;
        for batch in [immediate, digest] {
            if batch.is_empty() {
                continue;
            }
            let mail_id = kindred_domain::id::random_token();
            if !self.claim(association, member, Some(&mail_id), &batch, plan.now).await? {
                complete = false;
                continue;
            }
            let items: Vec<PendingNotification> = batch.into_iter().cloned().collect();
            self.send_claimed(association, &recipient, &mail_id, &items).await?;
            self.store.mark_mail_sent(&association.id, &mail_id, self.clock.now()).await?;
            sent += 1;
        }
        Ok((sent, complete))
    }

    async fn claim(
        &self,
        association: &Association,
        member: &str,
        mail_id: Option<&str>,
        items: &[&PendingNotification],
        now: DateTime<Utc>,
    ) -> Result<bool, DeliveryError> {
        let pairs: Vec<(&str, &str)> = items.iter().map(|i| (i.id.as_str(), i.kind.as_str())).collect();
        let claim = MailClaim { member, mail_id, items: &pairs, now, lease_until: now + MAIL_LEASE };
        Ok(self.store.claim_mail(&association.id, &claim).await?)
    }

    /// Sends again what was claimed and never marked sent, once its lease
    /// has run out (the node that claimed it died).
    async fn resend_stale(&self, association: &Association, now: DateTime<Utc>) -> Result<u64, DeliveryError> {
        let mut sent = 0;
        for mail_id in self.store.stale_mails(&association.id, now).await? {
            if !self.store.reclaim_mail(&association.id, &mail_id, now, now + MAIL_LEASE).await? {
                continue;
            }
            let items = self.store.mail_items(&association.id, &mail_id).await?;
            let recipient = match items.first().and_then(|i| MemberId::parse(&i.member_id)) {
                Some(id) => self.store.member(&association.id, id.as_str()).await?,
                None => None,
            };
            if let Some(record) = recipient {
                let member = Member::from_record(record)?;
                if member.status == AccountStatus::Active {
                    self.send_claimed(association, &member, &mail_id, &items).await?;
                    sent += 1;
                }
            }
            self.store.mark_mail_sent(&association.id, &mail_id, self.clock.now()).await?;
        }
        Ok(sent)
    }

    /// Builds the neutral mail of claimed notifications and hands it over.
    async fn send_claimed(
        &self,
        association: &Association,
        recipient: &Member,
        mail_id: &str,
        items: &[PendingNotification],
    ) -> Result<(), DeliveryError> {
        let to = EmailAddress::parse(&recipient.email)
            .map_err(|_| DeliveryError::Failed("a stored address does not parse".into()))?;
        let language = recipient
            .language
            .as_deref()
            .and_then(Language::parse)
            .filter(|l| association.settings.languages.contains(l))
            .unwrap_or(association.settings.default_language);
        let site = association.settings.name.get(language).to_owned();
        let base = self.association_url(association);
        // Counts per kind, in the order of the kinds list.
        let mut counts: Vec<(&'static notification_kinds::NotificationKind, usize)> = Vec::new();
        for kind in notification_kinds::KINDS {
            let n = items.iter().filter(|i| i.kind == kind.name).count();
            if n > 0 {
                counts.push((kind, n));
            }
        }
        let link = format!("{base}{}", target_path(items));
        let unsubscribe: Vec<(&'static str, String)> = counts
            .iter()
            .filter(|(k, _)| !k.fixed)
            .filter_map(|(k, _)| self.unsubscribe_link(association, &recipient.id, k.name).map(|l| (k.name, l)))
            .collect();
        let content = crate::mail_text::neutral(
            language,
            association.settings.form_of_address,
            &site,
            &counts,
            &link,
            &unsubscribe,
        );
        let mail = Mail {
            to,
            subject: content.subject,
            text: content.text,
            html: Some(content.html),
            language: Some(language.code()),
            sender_name: Some(site),
            id: Some(mail_id.to_owned()),
            unsubscribe: unsubscribe.first().map(|(_, l)| l.clone()),
        };
        self.mailer.send(mail).await?;
        Ok(())
    }

    /// The one-click link that stops mails of `kind` for `member`; `None`
    /// only if the key cannot be derived.
    pub fn unsubscribe_link(&self, association: &Association, member: &MemberId, kind: &str) -> Option<String> {
        let key = self.keys.association(&association.id).ok()?;
        let mac = key.search_token(UNSUBSCRIBE_PURPOSE, &format!("{}\u{0}{kind}", member.as_str()));
        Some(format!("{}/unsubscribe?token={}.{kind}.{mac}", self.association_url(association), member.as_str()))
    }

    /// Who a token from an unsubscribe link is for; `None` for anything
    /// else (tampered, another association's, a fixed kind, a member no
    /// longer here): the caller answers all of these alike.
    pub async fn unsubscribe_target(
        &self,
        association: &Association,
        token: &str,
    ) -> Result<Option<UnsubscribeTarget>, DeliveryError> {
        let mut parts = token.trim().splitn(3, '.');
        let (Some(member), Some(kind), Some(mac)) = (parts.next(), parts.next(), parts.next()) else {
            return Ok(None);
        };
        let (Some(member), Some(kind)) = (MemberId::parse(member), notification_kinds::find(kind)) else {
            return Ok(None);
        };
        if kind.fixed {
            return Ok(None);
        }
        let key = self.keys.association(&association.id).map_err(|e| DeliveryError::Failed(e.to_string()))?;
        let expected = key.search_token(UNSUBSCRIBE_PURPOSE, &format!("{}\u{0}{}", member.as_str(), kind.name));
        if !same(expected.as_bytes(), mac.as_bytes()) {
            return Ok(None);
        }
        match self.store.member(&association.id, member.as_str()).await? {
            Some(_) => Ok(Some(UnsubscribeTarget { member, kind })),
            None => Ok(None),
        }
    }

    /// Follows an unsubscribe link: mails of its kind stop for its member;
    /// every other choice stays. `None` as for [`unsubscribe_target`].
    pub async fn unsubscribe(
        &self,
        association: &Association,
        token: &str,
    ) -> Result<Option<UnsubscribeTarget>, DeliveryError> {
        let Some(target) = self.unsubscribe_target(association, token).await? else { return Ok(None) };
        self.store
            .set_notification_choice(&association.id, &target.member, target.kind.name, EmailFrequency::Never.as_str())
            .await?;
        Ok(Some(target))
    }
}

/// What a member's round is decided by.
#[derive(Clone, Copy)]
struct Plan<'a> {
    choices: &'a EmailChoices,
    quiet: Option<&'a QuietHours>,
    now: DateTime<Utc>,
    round: Round,
}

/// Where a mail's link leads: to the one thing all its notifications are
/// about when there is one, else to the notification centre.
fn target_path(items: &[PendingNotification]) -> String {
    let first = items.first();
    let all_same = |f: fn(&PendingNotification) -> Option<&String>| {
        first.and_then(f).filter(|value| items.iter().all(|i| f(i) == Some(*value))).cloned()
    };
    if items.iter().all(|i| i.kind == "crisis_report") && !items.is_empty() {
        return "/moderation".to_owned();
    }
    if let Some(event) = all_same(|i| i.event_id.as_ref()) {
        return format!("/events/{event}");
    }
    if let Some(conversation) = all_same(|i| i.conversation_id.as_ref()) {
        return format!("/messages/{conversation}");
    }
    if let Some(group) = all_same(|i| i.group_id.as_ref()) {
        return format!("/groups/{group}");
    }
    if !items.is_empty() && items.iter().all(|i| i.kind.starts_with("contact_") || i.kind.starts_with("disclosure_")) {
        return "/contacts".to_owned();
    }
    // The knowledge page lists the member's drafts and the review queue.
    if !items.is_empty() && items.iter().all(|i| i.kind.starts_with("article_")) {
        return "/knowledge".to_owned();
    }
    "/notifications".to_owned()
}

/// Compares two byte strings in time that does not depend on where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiting(kind: &str) -> PendingNotification {
        PendingNotification {
            id: "n".into(),
            member_id: "m".into(),
            kind: kind.into(),
            topic_id: None,
            event_id: None,
            conversation_id: None,
            group_id: None,
            created_at: Utc::now(),
        }
    }

    #[test]
    fn a_round_without_digests_leaves_what_waits_for_one() {
        let defaults = EmailChoices::from_stored([]);
        // Replies wait for the daily digest unless the member chose otherwise.
        assert!(!may_act_now(Round::Immediate, &defaults, &waiting("reply")));
        assert!(may_act_now(Round::Digest, &defaults, &waiting("reply")));
        let at_once = EmailChoices::from_stored([("reply", "immediately")]);
        assert!(may_act_now(Round::Immediate, &at_once, &waiting("reply")));
        // "Never" is recorded as decided in any round; an unknown kind too.
        let never = EmailChoices::from_stored([("reply", "never")]);
        assert!(may_act_now(Round::Immediate, &never, &waiting("reply")));
        assert!(may_act_now(Round::Immediate, &defaults, &waiting("no-such-kind")));
        // A fixed kind is mailed at once whatever is stored.
        let refused = EmailChoices::from_stored([("crisis_report", "daily")]);
        assert!(may_act_now(Round::Immediate, &refused, &waiting("crisis_report")));
    }
}
