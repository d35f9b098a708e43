//! service::notification_list — a member's in-app notifications: the list
//! with the unread count, and marking them read. They are written by
//! `service::notifications` (replies, mentions, moderation).
//!
//! A notification about a topic the member can no longer read (they left
//! a secret group, the topic was hidden) is not shown and not counted:
//! the store filters by the readable groups, and every listed topic passes
//! `topic_access` too, so nothing leaks through an old notification. Who
//! caused it is shown as it was fixed when written (`actor_label`: a
//! pseudonym, an alias in an alias group, or nothing for anonymous posts).

use crate::cursor::CursorList;
use crate::forum::ForumError;
use crate::groups::GroupError;
use crate::post_search::{decode_cursor, encode_cursor};
use crate::sessions::Caller;
use crate::{Association, Kindred};
use chrono::{DateTime, Utc};
use kindred_domain::NotificationId;
use kindred_store::StoreError;
use std::collections::HashMap;

/// The navigation counts unread notifications up to this many and shows
/// more than 99 as "99+".
pub const BADGE_LIMIT: u32 = 100;

/// Notifications per page.
pub const PAGE_SIZE: usize = 30;
/// At most this many notifications are marked read at once by id.
pub const MAX_MARKED: usize = 200;

#[derive(Debug, thiserror::Error)]
pub enum NotificationError {
    /// No such notification of the caller's.
    #[error("not found")]
    NotFound,
    /// The cursor is not one this server gave out.
    #[error("invalid cursor")]
    BadCursor,
    /// No notifications named, or more than [`MAX_MARKED`] at once.
    #[error("name 1 to {MAX_MARKED} notifications")]
    WrongCount,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<GroupError> for NotificationError {
    fn from(error: GroupError) -> Self {
        match error {
            GroupError::Store(e) => NotificationError::Store(e),
            other => NotificationError::Store(StoreError::Corrupt(other.to_string())),
        }
    }
}

/// A notification as the member sees it.
#[derive(Debug, Clone)]
pub struct NotificationView {
    pub id: NotificationId,
    /// reply, mention, moderation, warning, crisis_report, …
    pub kind: String,
    pub topic_id: Option<String>,
    /// The topic's title (as the caller reads it now).
    pub topic_title: Option<String>,
    pub post_id: Option<String>,
    /// The post's number in its topic, for a link to it.
    pub post_number: Option<i32>,
    /// The event it is about (event_* kinds).
    pub event_id: Option<String>,
    /// Who caused it, as fixed when it was written; `None` when nobody may know.
    pub actor: Option<String>,
    pub detail: Option<String>,
    pub created_at: DateTime<Utc>,
    pub read: bool,
    /// The conversation of a `message_request`.
    pub conversation_id: Option<String>,
    /// The contact or disclosure request (contact_*, disclosure_* kinds).
    pub request_id: Option<String>,
    /// The group of an invitation or a join request.
    pub group_id: Option<String>,
    /// The article to review (`article_submitted`), or the member's own
    /// article reviewed (`article_reviewed`, `detail`: published or returned).
    pub article_id: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NotificationPage {
    pub notifications: Vec<NotificationView>,
    pub unread_count: i64,
    pub next_cursor: Option<String>,
}

impl Kindred {
    /// The caller's notifications, newest first, with how many are unread.
    pub async fn notifications(
        &self,
        association: &Association,
        caller: &Caller,
        cursor: Option<&str>,
    ) -> Result<NotificationPage, NotificationError> {
        let before = match cursor.map(str::trim).filter(|c| !c.is_empty()) {
            None => None,
            Some(raw) => Some(
                self.open_cursor(association, CursorList::Notifications, raw)
                    .and_then(|payload| decode_cursor(&payload))
                    .ok_or(NotificationError::BadCursor)?,
            ),
        };
        let groups = self.readable_group_ids(association, caller).await?;
        let me = &caller.member.id;
        let limit = i64::try_from(PAGE_SIZE + 1).unwrap_or(31);
        let mut rows = self.store.notification_page(&association.id, me, &groups, before, limit).await?;
        let more = rows.len() > PAGE_SIZE;
        rows.truncate(PAGE_SIZE);
        let next_cursor = if more {
            rows.last().and_then(|r| {
                self.seal_cursor(association, CursorList::Notifications, &encode_cursor(r.created_at, &r.id))
            })
        } else {
            None
        };
        let unread_count = self.store.unread_notification_count(&association.id, me, &groups).await?;

        // The gate, once per topic: what it refuses is dropped.
        let mut titles: HashMap<String, Option<String>> = HashMap::new();
        let mut notifications = Vec::with_capacity(rows.len());
        for row in rows {
            let mut topic_title = None;
            if let Some(topic) = &row.topic_id {
                let title = match titles.get(topic) {
                    Some(title) => title.clone(),
                    None => {
                        let title = match self.topic_access(association, caller, topic).await {
                            Ok(seen) => Some(seen.record.title),
                            Err(ForumError::Store(e)) => return Err(e.into()),
                            Err(_) => None,
                        };
                        titles.insert(topic.clone(), title.clone());
                        title
                    }
                };
                let Some(title) = title else { continue };
                topic_title = Some(title);
            }
            notifications.push(NotificationView {
                id: NotificationId::from_trusted(row.id),
                kind: row.kind,
                topic_id: row.topic_id,
                topic_title,
                post_id: row.post_id,
                post_number: row.post_number,
                event_id: row.event_id,
                actor: row.actor_label.filter(|a| !a.is_empty()),
                detail: row.detail,
                created_at: row.created_at,
                read: row.read_at.is_some(),
                conversation_id: row.conversation_id,
                request_id: row.request_id,
                group_id: row.group_id,
                article_id: row.article_id,
            });
        }
        Ok(NotificationPage { notifications, unread_count, next_cursor })
    }

    /// How many of the caller's notifications are unread, for the
    /// navigation of every page: counted up to [`BADGE_LIMIT`], which the
    /// page shows as "99+" (the list and the API count them all).
    pub async fn unread_notifications(
        &self,
        association: &Association,
        caller: &Caller,
    ) -> Result<i64, NotificationError> {
        let staff = crate::groups::reads_closed_groups(caller);
        Ok(self.store.unread_notification_badge(&association.id, &caller.member.id, staff, BADGE_LIMIT).await?)
    }

    /// Marks one of the caller's notifications read.
    pub async fn mark_notification_read(
        &self,
        association: &Association,
        caller: &Caller,
        id: &str,
    ) -> Result<(), NotificationError> {
        let id = NotificationId::parse(id).ok_or(NotificationError::NotFound)?;
        let now = self.clock.now();
        if self.store.mark_notification_read(&association.id, &caller.member.id, id.as_str(), now).await? {
            Ok(())
        } else {
            Err(NotificationError::NotFound)
        }
    }

    /// Marks several of the caller's notifications read at once (a group
    /// of the notification centre). `NotFound` when an id is not one of
    /// the caller's, and then nothing is marked.
    pub async fn mark_notifications_read(
        &self,
        association: &Association,
        caller: &Caller,
        ids: &[&str],
    ) -> Result<(), NotificationError> {
        if ids.is_empty() || ids.len() > MAX_MARKED {
            return Err(NotificationError::WrongCount);
        }
        let parsed: Option<Vec<NotificationId>> = ids.iter().map(|id| NotificationId::parse(id.trim())).collect();
        let Some(mut parsed) = parsed else {
            return Err(NotificationError::NotFound);
        };
        parsed.sort();
        parsed.dedup();
        let ids: Vec<&str> = parsed.iter().map(NotificationId::as_str).collect();
        let now = self.clock.now();
        if self.store.mark_notifications_read(&association.id, &caller.member.id, &ids, now).await? {
            Ok(())
        } else {
            Err(NotificationError::NotFound)
        }
    }

    /// Marks all of the caller's notifications read.
    pub async fn mark_all_notifications_read(
        &self,
        association: &Association,
        caller: &Caller,
    ) -> Result<(), NotificationError> {
        self.store.mark_all_notifications_read(&association.id, &caller.member.id, self.clock.now()).await?;
        Ok(())
    }
}

/// Notifications about one thing, shown as one entry of the notification
/// centre (as Discourse shows "3 replies" in a topic): the same kind about
/// the same topic, event, conversation, request or group. A kind that must
/// stand out (a crisis report) and one about nothing in particular stay
/// alone. Grouped within a page, in the order of their newest.
#[derive(Debug, Clone)]
pub struct NotificationGroup {
    /// The same for every notification of the group (`group_key`).
    pub key: String,
    /// Newest first; never empty.
    pub items: Vec<NotificationView>,
}

impl NotificationGroup {
    pub fn newest(&self) -> Option<&NotificationView> {
        self.items.first()
    }

    /// Where the group's link leads: its oldest unread notification (the
    /// first post not read yet), else its newest.
    pub fn target(&self) -> Option<&NotificationView> {
        self.items.iter().rev().find(|n| !n.read).or(self.items.first())
    }

    pub fn unread_ids(&self) -> Vec<&str> {
        self.items.iter().filter(|n| !n.read).map(|n| n.id.as_str()).collect()
    }
}

/// The key that groups notifications about the same thing; unique for one
/// that stays alone.
pub fn group_key(view: &NotificationView) -> String {
    let fixed = kindred_domain::notification_kinds::find(&view.kind).is_some_and(|k| k.fixed);
    let thing = [
        ("topic", &view.topic_id),
        ("event", &view.event_id),
        ("conversation", &view.conversation_id),
        ("request", &view.request_id),
        ("group", &view.group_id),
        ("article", &view.article_id),
    ]
    .into_iter()
    .find_map(|(what, id)| id.as_ref().map(|id| format!("{what}:{id}")));
    match thing {
        Some(thing) if !fixed => format!("{}:{thing}", view.kind),
        _ => format!("{}:id:{}", view.kind, view.id.as_str()),
    }
}

/// Groups a page of notifications (newest first) by [`group_key`].
pub fn group_notifications(notifications: Vec<NotificationView>) -> Vec<NotificationGroup> {
    let mut groups: Vec<NotificationGroup> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for view in notifications {
        let key = group_key(&view);
        match at.get(&key) {
            Some(&i) if i < groups.len() => groups[i].items.push(view),
            _ => {
                at.insert(key.clone(), groups.len());
                groups.push(NotificationGroup { key, items: vec![view] });
            }
        }
    }
    groups
}
