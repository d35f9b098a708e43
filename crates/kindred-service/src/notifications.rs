//! service::notifications — who gets a notification when something is
//! written in the forum. (Listing and reading them: `notification_list`.)
//!
//! A post notifies the topic's subscribers (a reply) and the members it
//! mentions (a mention), an edit only the members it newly mentions; never
//! its writer, nobody who could not open the topic, and nobody on the
//! other side of a block from a writer shown by pseudonym. A block is never
//! consulted for an anonymous or alias post (`forum::Observed`): a missing
//! notification would tell the blocker who wrote it. Each recipient passes
//! the same gate as if they asked themselves (`forum::admit_to_topic`, the
//! rule of `topic_access`, on the topic read once for all of them; their
//! accounts and the writer's blocks are read once too). The label of
//! who wrote is fixed when written and is what the recipient may see: the
//! alias in an alias group, nothing for an anonymous post, else the
//! pseudonym.

use crate::forum::{observed_author, Observed, SeenTopic};
use crate::sessions::{Caller, Member, SessionKind};
use crate::{Association, Kindred};
use chrono::{DateTime, Utc};
use kindred_domain::{AccountStatus, MemberId, NotificationId};
use kindred_store::{MemberRecord, PostNotification, RequestNotification, StoreError, Superseded};
use std::collections::{HashMap, HashSet};

/// Recipients' accounts read per statement (one parameter each).
const RECIPIENTS_PER_READ: usize = 100;

/// Why a post notifies: a new post tells subscribers and the mentioned,
/// an edit only those it newly mentions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Occasion {
    Written,
    Edited,
}

/// The post a notification is about, and who it names.
struct About<'a> {
    post: &'a str,
    anonymous: bool,
    mentioned: &'a [String],
    occasion: Occasion,
}

impl Kindred {
    /// Notifies about a new post. Failures are logged, never returned: the
    /// post is written, and a missing notification must not make its
    /// writer post it again.
    pub(crate) async fn notify_post(
        &self,
        association: &Association,
        writer: &Caller,
        topic: &SeenTopic,
        post: &str,
        anonymous: bool,
        mentioned: &[String],
    ) {
        let about = About { post, anonymous, mentioned, occasion: Occasion::Written };
        if let Err(error) = self.try_notify_post(association, writer, topic, about).await {
            tracing::error!(%error, "notifications for a post failed");
        }
    }

    /// Notifies the members an edit newly mentions (those the post named
    /// before were told already); subscribers are not told of an edit.
    pub(crate) async fn notify_new_mentions(
        &self,
        association: &Association,
        writer: &Caller,
        topic: &SeenTopic,
        post: &str,
        anonymous: bool,
        mentioned: &[String],
    ) {
        if mentioned.is_empty() {
            return;
        }
        let about = About { post, anonymous, mentioned, occasion: Occasion::Edited };
        if let Err(error) = self.try_notify_post(association, writer, topic, about).await {
            tracing::error!(%error, "notifications for an edited post failed");
        }
    }

    async fn try_notify_post(
        &self,
        association: &Association,
        writer: &Caller,
        topic: &SeenTopic,
        about: About<'_>,
    ) -> Result<(), StoreError> {
        let About { post, anonymous, mentioned, occasion } = about;
        let mut recipients: Vec<(String, &'static str)> = mentioned.iter().map(|m| (m.clone(), "mention")).collect();
        if occasion == Occasion::Written {
            for s in self.store.subscribers(&association.id, topic.id.as_str()).await? {
                if !recipients.iter().any(|(m, _)| *m == s) {
                    recipients.push((s, "reply"));
                }
            }
        }
        let me = writer.member.id.as_str();
        recipients.retain(|(m, _)| m != me);
        let observed = observed_author(topic.alias_mode(), anonymous, Some(me));
        let actor_label = match observed {
            Observed::Anonymous => None,
            Observed::Alias => topic.group.as_ref().and_then(|g| g.my_alias.clone()),
            Observed::Named(_) => Some(writer.member.pseudonym.clone()),
        };
        let at = self.clock.now();
        let mut accounts = self.accounts_of(association, recipients.iter().map(|(m, _)| m.as_str())).await?;
        let blocked = match observed {
            Observed::Named(_) => self.blocked_with(association, writer, false).await?,
            Observed::Anonymous | Observed::Alias => HashSet::new(),
        };
        let mut rows = Vec::new();
        for (member, kind) in recipients {
            let Some(account) = accounts.remove(&member) else { continue };
            // Admitted or not before the block counts: what a reply costs
            // must not tell its writer how many subscribers blocked them.
            let admitted = self.may_be_notified(association, account, topic).await?;
            if !admitted || blocked.contains(&member) {
                continue;
            }
            rows.push(PostNotification {
                id: NotificationId::random().to_string(),
                member_id: member,
                kind,
                topic_id: Some(topic.id.to_string()),
                post_id: Some(post.to_owned()),
                actor_label: actor_label.clone(),
                detail: None,
                at,
            });
        }
        self.store.insert_notifications(&association.id, &rows).await?;
        self.notifications_written(association, rows.iter().map(|n| (n.member_id.as_str(), n.id.as_str()))).await;
        Ok(())
    }

    /// The accounts of the members `ids` (unknown ones left out), read a
    /// hundred at a time: the recipients of a notification or a mail round.
    pub(crate) async fn accounts_of<'a>(
        &self,
        association: &Association,
        ids: impl IntoIterator<Item = &'a str>,
    ) -> Result<HashMap<String, MemberRecord>, StoreError> {
        let ids: Vec<MemberId> = ids.into_iter().filter_map(MemberId::parse).collect();
        let mut accounts = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(RECIPIENTS_PER_READ) {
            let records = self.store.members_by_ids(&association.id, chunk).await?;
            accounts.extend(records.into_iter().map(|r| (r.id.clone(), r)));
        }
        Ok(accounts)
    }

    /// Every use case calls this once its notifications are written (and
    /// committed): `service::mail_delivery` mails them as each member chose,
    /// and the members' open sockets are told (`notification` events, which
    /// pass the notification list's own rule when they are sent).
    pub(crate) async fn notifications_written<'a>(
        &self,
        association: &Association,
        written: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) {
        let events: Vec<_> = written
            .into_iter()
            .map(|(member, id)| kindred_store::NewLiveEvent {
                member,
                kind: "notification",
                conversation: None,
                subject: Some(id),
            })
            .collect();
        if events.is_empty() {
            return;
        }
        self.kick_mails(association, events.iter().filter_map(|e| e.subject).map(str::to_owned).collect());
        self.publish_live(association, &events).await;
    }

    /// Active and able to open the topic (the block between writer and
    /// recipient is the caller's to check: only for a writer shown by
    /// pseudonym).
    async fn may_be_notified(
        &self,
        association: &Association,
        account: MemberRecord,
        topic: &SeenTopic,
    ) -> Result<bool, StoreError> {
        let recipient = Member::from_record(account)?;
        if recipient.status != AccountStatus::Active {
            return Ok(false);
        }
        let as_recipient = Caller {
            member: recipient,
            session_id: String::new(),
            kind: SessionKind::Api,
            second_factor_pending: false,
        };
        let (id, record, category) = (topic.id.clone(), topic.record.clone(), topic.category.clone());
        match self.admit_to_topic(association, &as_recipient, id, record, category).await {
            Ok(_) => Ok(true),
            Err(crate::forum::ForumError::Store(e)) => Err(e),
            Err(_) => Ok(false),
        }
    }

    /// Writes notifications about a request or a group and lets
    /// `service::mail_delivery` mail them. Failures are logged, never
    /// returned: the request itself is written, and a missing
    /// notification must not make its sender ask again.
    pub(crate) async fn notify_about(&self, association: &Association, rows: Vec<RequestNotification>) {
        self.notify_instead(association, rows, None).await
    }

    /// [`Kindred::notify_about`], taking the place of the earlier
    /// notifications `superseded` names, in the same transaction.
    pub(crate) async fn notify_instead(
        &self,
        association: &Association,
        rows: Vec<RequestNotification>,
        superseded: Option<Superseded<'_>>,
    ) {
        if rows.is_empty() && superseded.is_none() {
            return;
        }
        match self.store.insert_request_notifications(&association.id, &rows, superseded).await {
            Ok(()) => {
                self.notifications_written(association, rows.iter().map(|n| (n.member_id.as_str(), n.id.as_str())))
                    .await
            }
            Err(error) => tracing::error!(%error, "notifications about a request failed"),
        }
    }
}

/// A notification of `member` about a contact or disclosure request.
pub(crate) fn about_request(member: &str, kind: &'static str, request: &str, at: DateTime<Utc>) -> RequestNotification {
    RequestNotification {
        id: NotificationId::random().to_string(),
        member_id: member.to_owned(),
        kind,
        request_id: Some(request.to_owned()),
        group_id: None,
        article_id: None,
        detail: None,
        at,
    }
}

/// A notification of `member` about a group (an invitation, a join request).
pub(crate) fn about_group(member: &str, kind: &'static str, group: &str, at: DateTime<Utc>) -> RequestNotification {
    RequestNotification {
        id: NotificationId::random().to_string(),
        member_id: member.to_owned(),
        kind,
        request_id: None,
        group_id: Some(group.to_owned()),
        article_id: None,
        detail: None,
        at,
    }
}

/// A notification of `member` about an article (one to review, or their
/// own reviewed: `detail` says how).
pub(crate) fn about_article(
    member: &str,
    kind: &'static str,
    article: &str,
    detail: Option<&'static str>,
    at: DateTime<Utc>,
) -> RequestNotification {
    RequestNotification {
        id: NotificationId::random().to_string(),
        member_id: member.to_owned(),
        kind,
        request_id: None,
        group_id: None,
        article_id: Some(article.to_owned()),
        detail,
        at,
    }
}
