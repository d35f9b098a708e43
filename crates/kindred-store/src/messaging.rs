//! store::messaging — conversations, their members and keys, sealed
//! messages and attachments. Holds no clear text: bodies and files arrive
//! sealed (service::messaging). Who may read what is the service's to
//! decide; every query here is scoped to the association and, where it
//! reads content, to one conversation.

use crate::{read, write, Store, StoreError};
use chrono::{DateTime, Duration, Utc};
use kindred_domain::{AssociationId, MemberId};

/// The condition (over `msg`, `c` and the viewer `$1`/`$2`) under which a
/// message is hidden from the viewer because of a block either way: the
/// rule of `service::messaging::conversation_messages` — in a conversation
/// of more than two without a group, or in a group's chat that is not an
/// alias group's (one-to-one, a block ends writing and older messages
/// stay; in an alias chat an alias falling silent would name its owner).
/// Unread counts leave those messages out, as the conversation does.
macro_rules! hidden_by_block {
    () => {
        hidden_by_block!("$2")
    };
    // The viewer as an SQL expression (a column where many are counted at once).
    ($viewer:literal) => {
        hidden_by_block!($viewer, "msg.sender_id")
    };
    // The viewer and the writer as SQL expressions.
    ($viewer:literal, $sender:literal) => {
        concat!(
            "EXISTS (SELECT 1 FROM blocks b WHERE b.association_id = $1 \
           AND ((b.blocker_id = ",
            $viewer,
            " AND b.blocked_id = ",
            $sender,
            ") \
             OR (b.blocked_id = ",
            $viewer,
            " AND b.blocker_id = ",
            $sender,
            "))) \
         AND ((c.group_id IS NULL AND (SELECT COUNT(*) FROM conversation_members x \
               WHERE x.association_id = c.association_id AND x.conversation_id = c.id) > 2) \
           OR (c.group_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM community_groups g \
               WHERE g.association_id = c.association_id AND g.id = c.group_id AND g.alias_mode)))"
        )
    };
}

/// A conversation with the viewer's own membership (if any).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConversationRecord {
    pub id: String,
    pub group_id: Option<String>,
    pub state: String,
    pub created_by: String,
    pub last_message_at: DateTime<Utc>,
    pub last_seq: i64,
    pub disappear_seconds: Option<i64>,
    /// The viewer's status: active, request, declined, left; `None` without a row.
    pub my_status: Option<String>,
    pub my_read_seq: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct ViewerConversation {
    viewer: String,
    #[sqlx(flatten)]
    record: ConversationRecord,
}

/// A line of the viewer's conversation list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConversationListRecord {
    pub id: String,
    pub group_id: Option<String>,
    pub state: String,
    pub my_status: String,
    pub last_message_at: DateTime<Utc>,
    pub unread_count: i64,
}

/// A member of a conversation, with what the disclosure rules need.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConversationMemberRecord {
    pub conversation_id: String,
    pub member_id: String,
    pub status: String,
    pub pseudonym: String,
    pub role: String,
    pub member_status: String,
    pub email: String,
    pub language: Option<String>,
    pub mailed: bool,
}

/// Who receives what is written in a conversation: a member's row with
/// what a new message's mail and live events need, nothing more.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RecipientRecord {
    pub member_id: String,
    /// In the conversation: active, request, declined, left.
    pub status: String,
    /// In the association: active, suspended, ….
    pub member_status: String,
    /// Mailed about new messages since they last read.
    pub mailed: bool,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageRecord {
    pub id: String,
    pub seq: i64,
    pub sender_id: String,
    pub kind: String,
    pub sealed_body: Option<Vec<u8>>,
    pub sent_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
}

/// An attachment as listed with its message (no content).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttachmentInfo {
    pub id: String,
    pub message_id: String,
    pub content_type: String,
    pub size: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttachmentRecord {
    pub uploader_id: String,
    pub message_id: Option<String>,
    pub content_type: String,
    pub sealed_bytes: Vec<u8>,
}

/// A reported message, as the reporter shared it (sealed for moderators).
pub struct NewReportItem<'a> {
    pub message_id: &'a str,
    pub sender_id: &'a str,
    /// The sender's alias where the chat is an alias group's (shown to
    /// moderators instead of the member).
    pub sender_alias: Option<&'a str>,
    pub sent_at: DateTime<Utc>,
    pub sealed_body: Vec<u8>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageReportRecord {
    pub id: String,
    pub kind: String,
    pub reason: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
}

/// A report of messages in the moderators' list: no message, only how many.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageReportSummary {
    pub id: String,
    pub kind: String,
    pub reason: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub shared: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageReportItemRecord {
    pub report_id: String,
    pub message_id: String,
    pub sender_id: String,
    /// Absent for a message written under an alias (`sender_alias`).
    pub sender_pseudonym: Option<String>,
    pub sender_alias: Option<String>,
    pub sent_at: DateTime<Utc>,
    pub sealed_body: Vec<u8>,
}

/// A new conversation, its sealed key and its members.
pub struct NewConversation<'a> {
    pub association: &'a AssociationId,
    pub id: &'a str,
    pub group_id: Option<&'a str>,
    pub state: &'a str,
    pub created_by: &'a MemberId,
    pub sealed_key: &'a [u8],
    /// (member id, status), the creator included.
    pub members: Vec<(&'a str, &'a str)>,
    pub now: DateTime<Utc>,
}

/// A message to add. `sealed_body` was sealed for `id`.
pub struct NewMessage<'a> {
    pub association: &'a AssociationId,
    pub conversation: &'a str,
    pub id: &'a str,
    pub sender: &'a MemberId,
    pub kind: &'a str,
    pub sealed_body: &'a [u8],
    pub now: DateTime<Utc>,
    /// Uploads of the sender in this conversation to attach.
    pub attachments: &'a [String],
    /// `Some(seconds)`: set the conversation's disappearing time first (a
    /// system message announcing it).
    pub set_disappearing: Option<Option<i64>>,
}

/// What adding a message did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    /// Its number in the conversation.
    Done(i64),
    /// An attachment is not an unused upload of the sender here: nothing written.
    UnknownAttachment,
    /// The conversation is gone.
    NoConversation,
}

/// The `pair` of a one-to-one conversation between `a` and `b` (migration
/// 0040): both ids, the smaller first, so that either may look it up.
fn pair_of(a: &str, b: &str) -> String {
    if a <= b {
        format!("{a} {b}")
    } else {
        format!("{b} {a}")
    }
}

/// The pair's conversation as one of the two finds it (`Store::one_to_one`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PairConversation {
    pub id: String,
    /// The conversation's `state`: active or request.
    pub state: String,
    /// The caller's own `status` in it: active, request or declined.
    pub status: String,
}

impl Store {
    /// Writes a conversation with its key and members, in one transaction.
    /// For a group's chat (`group_id`), a chat made meanwhile by someone
    /// else wins; a conversation of two without a group is the pair's
    /// one-to-one conversation (`pair`), and one the two have already —
    /// made meanwhile by either — wins too. Returns the id of the
    /// conversation that won: another than `new.id` when nothing was written.
    pub async fn create_conversation(&self, new: &NewConversation<'_>) -> Result<String, StoreError> {
        let pair = match (new.group_id, new.members.as_slice()) {
            (None, [(a, _), (b, _)]) => Some(pair_of(a, b)),
            _ => None,
        };
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let inserted: Option<(String,)> = sqlx::query_as(
                "INSERT INTO conversations (association_id, id, group_id, state, created_by, created_at, \
                 last_message_at, last_seq, pair) VALUES ($1, $2, $3, $4, $5, $6, $6, 0, $7) \
                 ON CONFLICT DO NOTHING RETURNING id",
            )
            .bind(new.association.as_str())
            .bind(new.id)
            .bind(new.group_id)
            .bind(new.state)
            .bind(new.created_by.as_str())
            .bind(new.now)
            .bind(pair.as_deref())
            .fetch_optional(&mut *tx)
            .await?;
            let id = match inserted {
                Some((id,)) => id,
                None => {
                    // The unique index of a group's chat or of a pair.
                    let existing: (String,) = sqlx::query_as(
                        "SELECT id FROM conversations WHERE association_id = $1 AND (group_id = $2 OR pair = $3)",
                    )
                    .bind(new.association.as_str())
                    .bind(new.group_id)
                    .bind(pair.as_deref())
                    .fetch_one(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    return Ok(existing.0);
                }
            };
            sqlx::query(
                "INSERT INTO conversation_keys (association_id, conversation_id, sealed_key) VALUES ($1, $2, $3)",
            )
            .bind(new.association.as_str())
            .bind(&id)
            .bind(new.sealed_key)
            .execute(&mut *tx)
            .await?;
            for (member, status) in &new.members {
                if *status == "request" {
                    // The recipient learns of a request in the app too; the
                    // notification names nobody (the sender may be blocked later).
                    sqlx::query(
                        "INSERT INTO notifications (association_id, id, member_id, kind, created_at, conversation_id) \
                         VALUES ($1, $2, $3, 'message_request', $4, $5)",
                    )
                    .bind(new.association.as_str())
                    .bind(kindred_domain::NotificationId::random().as_str())
                    .bind(*member)
                    .bind(new.now)
                    .bind(&id)
                    .execute(&mut *tx)
                    .await?;
                }
                sqlx::query(
                    "INSERT INTO conversation_members (association_id, conversation_id, member_id, status, joined_at, \
                     read_seq, mailed) VALUES ($1, $2, $3, $4, $5, 0, FALSE)",
                )
                .bind(new.association.as_str())
                .bind(&id)
                .bind(*member)
                .bind(*status)
                .bind(new.now)
                .execute(&mut *tx)
                .await?;
            }
            if let Some(group) = new.group_id {
                // A group's chat is for all its members from the start: each
                // is told of its messages and rung for its calls, whether or
                // not they have opened it (`change_membership` adds later ones).
                sqlx::query(
                    "INSERT INTO conversation_members (association_id, conversation_id, member_id, status, joined_at, \
                     read_seq, mailed) SELECT $1, $2, gm.member_id, 'active', $4, 0, FALSE FROM group_members gm \
                     WHERE gm.association_id = $1 AND gm.group_id = $3 AND gm.status = 'member' ON CONFLICT DO NOTHING",
                )
                .bind(new.association.as_str())
                .bind(&id)
                .bind(group)
                .bind(new.now)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Adds a member row if there is none (a group chat's member on first visit).
    pub async fn ensure_conversation_member(
        &self,
        association: &AssociationId,
        conversation: &str,
        member: &MemberId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "INSERT INTO conversation_members (association_id, conversation_id, member_id, status, joined_at, \
                 read_seq, mailed) VALUES ($1, $2, $3, 'active', $4, \
                 (SELECT last_seq FROM conversations WHERE association_id = $1 AND id = $2), FALSE) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(association.as_str())
            .bind(conversation)
            .bind(member.as_str())
            .bind(now)
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// The conversation of a group, if it has one.
    pub async fn group_conversation(
        &self,
        association: &AssociationId,
        group: &str,
    ) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = read!(self, |pool| {
            sqlx::query_as("SELECT id FROM conversations WHERE association_id = $1 AND group_id = $2")
                .bind(association.as_str())
                .bind(group)
                .fetch_optional(pool)
                .await
        })?;
        Ok(row.map(|r| r.0))
    }

    /// A group's name (for the conversation list; the caller is a member).
    pub async fn group_name(&self, association: &AssociationId, group: &str) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = read!(self, |pool| {
            sqlx::query_as("SELECT name FROM community_groups WHERE association_id = $1 AND id = $2")
                .bind(association.as_str())
                .bind(group)
                .fetch_optional(pool)
                .await
        })?;
        Ok(row.map(|r| r.0))
    }

    /// A conversation with the viewer's membership in it.
    pub async fn conversation(
        &self,
        association: &AssociationId,
        id: &str,
        viewer: &MemberId,
    ) -> Result<Option<ConversationRecord>, StoreError> {
        let found = self.conversation_for_viewers(association, id, std::slice::from_ref(viewer)).await?;
        Ok(found.into_iter().next().map(|(_, record)| record))
    }

    /// [`Store::conversation`] for several viewers at once: `(viewer,
    /// record)` for each viewer who is a member of the association, each
    /// record with that viewer's own membership. Nothing when the
    /// conversation does not exist.
    pub async fn conversation_for_viewers(
        &self,
        association: &AssociationId,
        id: &str,
        viewers: &[MemberId],
    ) -> Result<Vec<(String, ConversationRecord)>, StoreError> {
        let mut found = Vec::with_capacity(viewers.len());
        for chunk in viewers.chunks(crate::IN_CHUNK) {
            let sql = format!(
                "SELECT v.id AS viewer, c.id, c.group_id, c.state, c.created_by, c.last_message_at, c.last_seq, \
                 c.disappear_seconds, cm.status AS my_status, cm.read_seq AS my_read_seq \
                 FROM conversations c JOIN members v ON v.association_id = c.association_id AND v.id IN ({}) \
                 LEFT JOIN conversation_members cm ON cm.association_id = c.association_id \
                   AND cm.conversation_id = c.id AND cm.member_id = v.id \
                 WHERE c.association_id = $1 AND c.id = $2",
                crate::placeholders(3, chunk.len())
            );
            let rows: Vec<ViewerConversation> = read!(self, |pool| {
                let mut query = sqlx::query_as(&sql).bind(association.as_str()).bind(id);
                for viewer in chunk {
                    query = query.bind(viewer.as_str());
                }
                query.fetch_all(pool).await
            })?;
            found.extend(rows.into_iter().map(|r| (r.viewer, r.record)));
        }
        Ok(found)
    }

    /// The stored (sealed) key of a conversation; `None` once deleted.
    pub async fn conversation_key(&self, association: &AssociationId, id: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let row: Option<(Vec<u8>,)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT sealed_key FROM conversation_keys WHERE association_id = $1 AND conversation_id = $2",
            )
            .bind(association.as_str())
            .bind(id)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row.map(|r| r.0))
    }

    /// Deletes a conversation's key: its messages and files can never be
    /// opened again. True when there was one.
    pub async fn delete_conversation_key(&self, association: &AssociationId, id: &str) -> Result<bool, StoreError> {
        let done = write!(self, |pool| {
            sqlx::query("DELETE FROM conversation_keys WHERE association_id = $1 AND conversation_id = $2")
                .bind(association.as_str())
                .bind(id)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(done > 0)
    }

    /// The member rows of some conversations, with each member's account.
    pub async fn conversation_members(
        &self,
        association: &AssociationId,
        conversations: &[String],
    ) -> Result<Vec<ConversationMemberRecord>, StoreError> {
        if conversations.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (0..conversations.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT cm.conversation_id, cm.member_id, cm.status, m.pseudonym, m.role, m.status AS member_status, \
             m.email, m.language, cm.mailed \
             FROM conversation_members cm JOIN members m ON m.association_id = cm.association_id AND m.id = cm.member_id \
             WHERE cm.association_id = $1 AND cm.conversation_id IN ({}) ORDER BY m.pseudonym_key",
            placeholders.join(", ")
        );
        let rows = read!(self, |pool| {
            let mut query = sqlx::query_as(&sql).bind(association.as_str());
            for id in conversations {
                query = query.bind(id.as_str());
            }
            query.fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// The member rows of one conversation as [`RecipientRecord`]s, in no
    /// particular order: what writing a message reads (a group's chat may
    /// have thousands of members; `conversation_members` also reads their
    /// names and addresses, and sorts them).
    pub async fn conversation_recipients(
        &self,
        association: &AssociationId,
        conversation: &str,
    ) -> Result<Vec<RecipientRecord>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT cm.member_id, cm.status, m.status AS member_status, cm.mailed \
                 FROM conversation_members cm JOIN members m ON m.association_id = cm.association_id \
                   AND m.id = cm.member_id \
                 WHERE cm.association_id = $1 AND cm.conversation_id = $2",
            )
            .bind(association.as_str())
            .bind(conversation)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// The viewer's conversations, most recent first, after a cursor
    /// (last message time, id): those they are active in or have a
    /// request in; a group's chat only while they are in the group.
    pub async fn conversations_of(
        &self,
        association: &AssociationId,
        member: &MemberId,
        after: Option<(DateTime<Utc>, String)>,
        limit: i64,
        now: DateTime<Utc>,
    ) -> Result<Vec<ConversationListRecord>, StoreError> {
        let (at, id) = after.map_or((None, None), |(t, i)| (Some(t), Some(i)));
        let rows = read!(self, |pool| {
            sqlx::query_as(concat!(
                // The time of the last message the viewer sees: where a block
                // hides some writers' messages from them, not those (the
                // order and the time would tell when the hidden one wrote).
                "SELECT * FROM (SELECT c.id, c.group_id, c.state, cm.status AS my_status, \
                 CASE WHEN EXISTS (SELECT 1 FROM blocks bv WHERE bv.association_id = $1 \
                   AND (bv.blocker_id = $2 OR bv.blocked_id = $2)) \
                 THEN COALESCE((SELECT MAX(msg.sent_at) FROM messages msg WHERE msg.association_id = c.association_id \
                   AND msg.conversation_id = c.id AND (msg.erase_at IS NULL OR msg.erase_at > $6) AND NOT (",
                hidden_by_block!(),
                ")), c.created_at) ELSE c.last_message_at END AS last_message_at, \
                 (SELECT COUNT(*) FROM messages msg WHERE msg.association_id = c.association_id \
                   AND msg.conversation_id = c.id AND msg.seq > cm.read_seq AND msg.sender_id <> $2 \
                   AND (msg.erase_at IS NULL OR msg.erase_at > $6) AND NOT (",
                hidden_by_block!(),
                ")) AS unread_count \
                 FROM conversation_members cm JOIN conversations c ON c.association_id = cm.association_id \
                   AND c.id = cm.conversation_id \
                 WHERE cm.association_id = $1 AND cm.member_id = $2 AND cm.status IN ('active', 'request') \
                 AND (c.group_id IS NULL OR EXISTS (SELECT 1 FROM group_members g WHERE g.association_id = $1 \
                   AND g.group_id = c.group_id AND g.member_id = $2 AND g.status = 'member'))) v \
                 WHERE ($3 IS NULL OR v.last_message_at < $3 OR (v.last_message_at = $3 AND v.id > $4)) \
                 ORDER BY v.last_message_at DESC, v.id LIMIT $5",
            ))
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(at)
            .bind(id)
            .bind(limit)
            .bind(now)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// Unread messages across the member's conversations (the navigation badge).
    pub async fn unread_messages(
        &self,
        association: &AssociationId,
        member: &MemberId,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let counts = self.unread_messages_of(association, std::slice::from_ref(member), now).await?;
        Ok(counts.into_iter().next().map_or(0, |(_, count)| count))
    }

    /// [`Store::unread_messages`] of several members at once: `(member,
    /// count)` for each member with unread messages (the others have none).
    pub async fn unread_messages_of(
        &self,
        association: &AssociationId,
        members: &[MemberId],
        now: DateTime<Utc>,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        let mut counts = Vec::new();
        for chunk in members.chunks(crate::IN_CHUNK) {
            let sql = format!(
                // The unread rows are counted per (reader, conversation,
                // writer) first and the rules that depend only on those
                // (the group's membership, a block) are asked once per
                // such triple instead of once per message: the same
                // answer as `conversations_of`'s count, without a block
                // lookup for each of a large chat's unread messages.
                concat!(
                    "SELECT t.member_id, CAST(SUM(t.unread) AS BIGINT) FROM ( \
                       SELECT cm.member_id, cm.conversation_id, msg.sender_id, COUNT(*) AS unread \
                       FROM conversation_members cm JOIN messages msg \
                         ON msg.association_id = cm.association_id AND msg.conversation_id = cm.conversation_id \
                         AND msg.seq > cm.read_seq AND msg.sender_id <> cm.member_id \
                         AND (msg.erase_at IS NULL OR msg.erase_at > ${now}) \
                       WHERE cm.association_id = $1 AND cm.member_id IN ({}) AND cm.status IN ('active', 'request') \
                       GROUP BY cm.member_id, cm.conversation_id, msg.sender_id) t \
                     JOIN conversations c ON c.association_id = $1 AND c.id = t.conversation_id \
                     WHERE (c.group_id IS NULL OR EXISTS (SELECT 1 FROM group_members g WHERE g.association_id = $1 \
                       AND g.group_id = c.group_id AND g.member_id = t.member_id AND g.status = 'member')) \
                     AND NOT (",
                    hidden_by_block!("t.member_id", "t.sender_id"),
                    ") GROUP BY t.member_id",
                ),
                crate::placeholders(2, chunk.len()),
                now = chunk.len() + 2,
            );
            let rows: Vec<(String, i64)> = read!(self, |pool| {
                let mut query = sqlx::query_as(&sql).bind(association.as_str());
                for member in chunk {
                    query = query.bind(member.as_str());
                }
                query.bind(now).fetch_all(pool).await
            })?;
            counts.extend(rows);
        }
        Ok(counts)
    }

    /// The one-to-one conversation the two have (its `pair`; nobody has
    /// left it, or it would have none), with the caller's status in it.
    pub async fn one_to_one(
        &self,
        association: &AssociationId,
        me: &MemberId,
        other: &MemberId,
    ) -> Result<Option<PairConversation>, StoreError> {
        let pair = pair_of(me.as_str(), other.as_str());
        let row = read!(self, |pool| {
            sqlx::query_as(
                "SELECT c.id, c.state, mine.status FROM conversations c \
                 JOIN conversation_members mine ON mine.association_id = c.association_id \
                   AND mine.conversation_id = c.id AND mine.member_id = $2 \
                 WHERE c.association_id = $1 AND c.pair = $3",
            )
            .bind(association.as_str())
            .bind(me.as_str())
            .bind(&pair)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row)
    }

    /// Whether the two are both members of one group.
    pub async fn share_a_group(
        &self,
        association: &AssociationId,
        a: &MemberId,
        b: &MemberId,
    ) -> Result<bool, StoreError> {
        let row: (bool,) = read!(self, |pool| {
            sqlx::query_as(
                "SELECT EXISTS (SELECT 1 FROM group_members x JOIN group_members y \
                   ON y.association_id = x.association_id AND y.group_id = x.group_id \
                   AND y.member_id = $3 AND y.status = 'member' \
                 WHERE x.association_id = $1 AND x.member_id = $2 AND x.status = 'member')",
            )
            .bind(association.as_str())
            .bind(a.as_str())
            .bind(b.as_str())
            .fetch_one(pool)
            .await
        })?;
        Ok(row.0)
    }

    /// Adds a message (numbered in the conversation, its erasure time from
    /// the conversation's disappearing time), attaches the sender's
    /// uploads and marks it read for the sender, in one transaction.
    pub async fn add_message(&self, new: &NewMessage<'_>) -> Result<Added, StoreError> {
        let association = new.association.as_str();
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            if let Some(seconds) = new.set_disappearing {
                sqlx::query("UPDATE conversations SET disappear_seconds = $3 WHERE association_id = $1 AND id = $2")
                    .bind(association)
                    .bind(new.conversation)
                    .bind(seconds)
                    .execute(&mut *tx)
                    .await?;
            }
            // The number and the time are taken together under the
            // conversation's row lock, and the time never goes back: two
            // messages sent at once are in the same order by number and by
            // `sent_at` (the clock was read before the lock was had).
            let numbered: Option<(i64, Option<i64>, DateTime<Utc>)> = sqlx::query_as(
                "UPDATE conversations SET last_seq = last_seq + 1, \
                 last_message_at = CASE WHEN last_message_at > $3 THEN last_message_at ELSE $3 END \
                 WHERE association_id = $1 AND id = $2 RETURNING last_seq, disappear_seconds, last_message_at",
            )
            .bind(association)
            .bind(new.conversation)
            .bind(new.now)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((seq, disappear, sent_at)) = numbered else { return Ok(Added::NoConversation) };
            let erase_at = disappear.map(|s| sent_at + Duration::seconds(s));
            sqlx::query(
                "INSERT INTO messages (association_id, id, conversation_id, seq, sender_id, kind, sealed_body, \
                 sent_at, erase_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(association)
            .bind(new.id)
            .bind(new.conversation)
            .bind(seq)
            .bind(new.sender.as_str())
            .bind(new.kind)
            .bind(new.sealed_body)
            .bind(sent_at)
            .bind(erase_at)
            .execute(&mut *tx)
            .await?;
            if new.kind == "text" {
                // The statistics' count, which outlives the message.
                let day = new.now.date_naive().and_hms_opt(0, 0, 0).map(|d| d.and_utc()).unwrap_or(new.now);
                sqlx::query(
                    "INSERT INTO message_tallies (association_id, day, sent) VALUES ($1, $2, 1) \
                     ON CONFLICT (association_id, day) DO UPDATE SET sent = message_tallies.sent + 1",
                )
                .bind(association)
                .bind(day)
                .execute(&mut *tx)
                .await?;
            }
            for attachment in new.attachments {
                let done = sqlx::query(
                    "UPDATE message_attachments SET message_id = $4 WHERE association_id = $1 AND id = $2 \
                     AND conversation_id = $3 AND uploader_id = $5 AND message_id IS NULL",
                )
                .bind(association)
                .bind(attachment.as_str())
                .bind(new.conversation)
                .bind(new.id)
                .bind(new.sender.as_str())
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if done != 1 {
                    tx.rollback().await?;
                    return Ok(Added::UnknownAttachment);
                }
            }
            sqlx::query(
                "UPDATE conversation_members SET read_seq = $4, mailed = FALSE \
                 WHERE association_id = $1 AND conversation_id = $2 AND member_id = $3",
            )
            .bind(association)
            .bind(new.conversation)
            .bind(new.sender.as_str())
            .bind(seq)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(Added::Done(seq))
        })
    }

    /// A page of messages, newest first, before message number `before`;
    /// none whose disappearing time has come by `now` (the job that erases
    /// them runs once a minute: until then they are gone for readers).
    pub async fn messages_page(
        &self,
        association: &AssociationId,
        conversation: &str,
        before: Option<i64>,
        limit: i64,
        now: DateTime<Utc>,
    ) -> Result<Vec<MessageRecord>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, seq, sender_id, kind, sealed_body, sent_at, edited_at FROM messages \
                 WHERE association_id = $1 AND conversation_id = $2 AND seq < $3 \
                 AND (erase_at IS NULL OR erase_at > $5) ORDER BY seq DESC LIMIT $4",
            )
            .bind(association.as_str())
            .bind(conversation)
            .bind(before.unwrap_or(i64::MAX))
            .bind(limit)
            .bind(now)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// One message of a conversation, unless its disappearing time has
    /// come by `now`.
    pub async fn message(
        &self,
        association: &AssociationId,
        conversation: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<MessageRecord>, StoreError> {
        let row = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, seq, sender_id, kind, sealed_body, sent_at, edited_at FROM messages \
                 WHERE association_id = $1 AND conversation_id = $2 AND id = $3 \
                 AND (erase_at IS NULL OR erase_at > $4)",
            )
            .bind(association.as_str())
            .bind(conversation)
            .bind(id)
            .bind(now)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row)
    }

    /// The attachments of the messages numbered `from..=to` of a conversation.
    pub async fn attachments_between(
        &self,
        association: &AssociationId,
        conversation: &str,
        from: i64,
        to: i64,
    ) -> Result<Vec<AttachmentInfo>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT a.id, a.message_id, a.content_type, a.size FROM message_attachments a \
                 JOIN messages m ON m.association_id = a.association_id AND m.id = a.message_id \
                 WHERE a.association_id = $1 AND a.conversation_id = $2 AND m.seq BETWEEN $3 AND $4 \
                 ORDER BY a.created_at, a.id",
            )
            .bind(association.as_str())
            .bind(conversation)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// Replaces the body of the sender's own text message.
    pub async fn edit_message(
        &self,
        association: &AssociationId,
        conversation: &str,
        id: &str,
        sender: &MemberId,
        sealed_body: &[u8],
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = write!(self, |pool| {
            sqlx::query(
                "UPDATE messages SET sealed_body = $5, edited_at = $6 WHERE association_id = $1 \
                 AND conversation_id = $2 AND id = $3 AND sender_id = $4 AND kind = 'text'",
            )
            .bind(association.as_str())
            .bind(conversation)
            .bind(id)
            .bind(sender.as_str())
            .bind(sealed_body)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(done == 1)
    }

    /// Deletes the sender's own message for everyone: a tombstone stays
    /// (so numbering and read markers hold), body and attachments go.
    pub async fn delete_message(
        &self,
        association: &AssociationId,
        conversation: &str,
        id: &str,
        sender: &MemberId,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "UPDATE messages SET kind = 'deleted', sealed_body = NULL, edited_at = $5, erase_at = NULL \
                 WHERE association_id = $1 AND conversation_id = $2 AND id = $3 AND sender_id = $4 AND kind = 'text'",
            )
            .bind(association.as_str())
            .bind(conversation)
            .bind(id)
            .bind(sender.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            sqlx::query("DELETE FROM message_attachments WHERE association_id = $1 AND message_id = $2")
                .bind(association.as_str())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<u64, StoreError>(done)
        })?;
        Ok(done == 1)
    }

    /// Moves the member's row from one status to another; true when it
    /// was in `from`. Accepting (`request` → `active`) also makes the
    /// conversation active, leaving (→ `left`) ends its `pair`, in the
    /// same transaction.
    pub async fn set_conversation_status(
        &self,
        association: &AssociationId,
        conversation: &str,
        member: &MemberId,
        from: &[&str],
        to: &str,
    ) -> Result<bool, StoreError> {
        let allowed: Vec<String> = (0..from.len()).map(|i| format!("${}", i + 5)).collect();
        let sql = format!(
            "UPDATE conversation_members SET status = $4 WHERE association_id = $1 AND conversation_id = $2 \
             AND member_id = $3 AND status IN ({})",
            allowed.join(", ")
        );
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let mut query =
                sqlx::query(&sql).bind(association.as_str()).bind(conversation).bind(member.as_str()).bind(to);
            for status in from {
                query = query.bind(*status);
            }
            let done = query.execute(&mut *tx).await?.rows_affected() == 1;
            if done && to == "left" {
                // A one-to-one conversation someone left is no longer the
                // pair's: either may start a new one.
                sqlx::query("UPDATE conversations SET pair = NULL WHERE association_id = $1 AND id = $2")
                    .bind(association.as_str())
                    .bind(conversation)
                    .execute(&mut *tx)
                    .await?;
            }
            if done && from.contains(&"request") && to == "active" {
                sqlx::query("UPDATE conversations SET state = 'active' WHERE association_id = $1 AND id = $2")
                    .bind(association.as_str())
                    .bind(conversation)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(done)
        })
    }

    /// Marks read up to message number `seq` (never back); a later message
    /// may be mailed about again. The member's `message` notifications of
    /// the conversation become read in the same transaction.
    pub async fn mark_conversation_read(
        &self,
        association: &AssociationId,
        conversation: &str,
        member: &MemberId,
        seq: i64,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "UPDATE conversation_members SET read_seq = CASE WHEN read_seq < $4 THEN $4 ELSE read_seq END, \
                 mailed = FALSE WHERE association_id = $1 AND conversation_id = $2 AND member_id = $3",
            )
            .bind(association.as_str())
            .bind(conversation)
            .bind(member.as_str())
            .bind(seq)
            .execute(&mut *tx)
            .await?;
            // The member's "new messages" notifications of this conversation
            // are read with it (the badge follows the read marker).
            sqlx::query(
                "UPDATE notifications SET read_at = $4 WHERE association_id = $1 AND conversation_id = $2 \
                 AND member_id = $3 AND kind = 'message' AND read_at IS NULL",
            )
            .bind(association.as_str())
            .bind(conversation)
            .bind(member.as_str())
            .bind(at)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Claims the one "new message" notification of a member in a
    /// conversation until they read it: sets `mailed` and, when `notice` is
    /// given (`(notification id, now)`), writes a `message` notification in
    /// the same transaction (service::mail_delivery mails it by the
    /// member's choice). `false` when it was claimed already.
    pub async fn claim_message_mail(
        &self,
        association: &AssociationId,
        conversation: &str,
        member: &str,
        notice: Option<(&str, chrono::DateTime<chrono::Utc>)>,
    ) -> Result<bool, StoreError> {
        let done = write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let claimed = sqlx::query(
                "UPDATE conversation_members SET mailed = TRUE WHERE association_id = $1 AND conversation_id = $2 \
                 AND member_id = $3 AND mailed = FALSE AND status IN ('active', 'request')",
            )
            .bind(association.as_str())
            .bind(conversation)
            .bind(member)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if claimed == 1 {
                if let Some((id, now)) = notice {
                    sqlx::query(
                        "INSERT INTO notifications (association_id, id, member_id, kind, created_at, conversation_id) \
                         VALUES ($1, $2, $3, 'message', $4, $5)",
                    )
                    .bind(association.as_str())
                    .bind(id)
                    .bind(member)
                    .bind(now)
                    .bind(conversation)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            tx.commit().await?;
            Ok::<u64, sqlx::Error>(claimed)
        })?;
        Ok(done == 1)
    }

    /// Stores a sealed upload.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_attachment(
        &self,
        association: &AssociationId,
        id: &str,
        conversation: &str,
        uploader: &MemberId,
        content_type: &str,
        size: i64,
        sealed_bytes: &[u8],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "INSERT INTO message_attachments (association_id, id, conversation_id, uploader_id, message_id, \
                 content_type, size, sealed_bytes, created_at) VALUES ($1, $2, $3, $4, NULL, $5, $6, $7, $8)",
            )
            .bind(association.as_str())
            .bind(id)
            .bind(conversation)
            .bind(uploader.as_str())
            .bind(content_type)
            .bind(size)
            .bind(sealed_bytes)
            .bind(now)
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    pub async fn attachment(
        &self,
        association: &AssociationId,
        conversation: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<AttachmentRecord>, StoreError> {
        let row = read!(self, |pool| {
            sqlx::query_as(
                "SELECT a.uploader_id, a.message_id, a.content_type, a.sealed_bytes FROM message_attachments a \
                 WHERE a.association_id = $1 AND a.conversation_id = $2 AND a.id = $3 \
                 AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.association_id = a.association_id \
                   AND m.id = a.message_id AND m.erase_at IS NOT NULL AND m.erase_at <= $4)",
            )
            .bind(association.as_str())
            .bind(conversation)
            .bind(id)
            .bind(now)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row)
    }

    /// Erases, in every association, the messages whose time has come
    /// (rows and their attachments), and uploads never attached to a
    /// message within a day. Deleting is its own claim: two nodes running
    /// this at once delete each row once, and a run cut short leaves the
    /// rest for the next. Returns the messages erased (association,
    /// conversation, message), for the live events that take them away.
    pub async fn erase_due_messages(&self, now: DateTime<Utc>) -> Result<Vec<(String, String, String)>, StoreError> {
        let stale = now - Duration::days(1);
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "DELETE FROM message_attachments WHERE EXISTS (SELECT 1 FROM messages m \
                 WHERE m.association_id = message_attachments.association_id \
                 AND m.id = message_attachments.message_id AND m.erase_at IS NOT NULL AND m.erase_at <= $1)",
            )
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM message_attachments WHERE message_id IS NULL AND created_at <= $1")
                .bind(stale)
                .execute(&mut *tx)
                .await?;
            let erased: Vec<(String, String, String)> = sqlx::query_as(
                "DELETE FROM messages WHERE erase_at IS NOT NULL AND erase_at <= $1 \
                 RETURNING association_id, conversation_id, id",
            )
            .bind(now)
            .fetch_all(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(erased)
        })
    }

    /// A message by id alone (to find its conversation); the caller's
    /// access is the service's to check.
    pub async fn message_conversation(
        &self,
        association: &AssociationId,
        id: &str,
    ) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = read!(self, |pool| {
            sqlx::query_as("SELECT conversation_id FROM messages WHERE association_id = $1 AND id = $2")
                .bind(association.as_str())
                .bind(id)
                .fetch_optional(pool)
                .await
        })?;
        Ok(row.map(|r| r.0))
    }

    /// Files a report of messages with the shared copies, in one transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_message_report(
        &self,
        association: &AssociationId,
        id: &str,
        reporter: &MemberId,
        kind: &str,
        reason: &str,
        at: DateTime<Utc>,
        items: &[NewReportItem<'_>],
        notifications: &[crate::NewNotification],
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO message_reports (association_id, id, reporter_id, kind, reason, status, created_at) \
                 VALUES ($1, $2, $3, $4, $5, 'open', $6)",
            )
            .bind(association.as_str())
            .bind(id)
            .bind(reporter.as_str())
            .bind(kind)
            .bind(reason)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            for item in items {
                sqlx::query(
                    "INSERT INTO message_report_items (association_id, report_id, message_id, sender_id, sent_at, \
                     sealed_body, sender_alias) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(association.as_str())
                .bind(id)
                .bind(item.message_id)
                .bind(item.sender_id)
                .bind(item.sent_at)
                .bind(&item.sealed_body)
                .bind(item.sender_alias)
                .execute(&mut *tx)
                .await?;
            }
            // Crisis reports: staff on duty are told in the same transaction
            // (no topic, no conversation: the notice names neither).
            for n in notifications {
                sqlx::query(
                    "INSERT INTO notifications (association_id, id, member_id, kind, topic_id, post_id, actor_label, \
                     detail, created_at) VALUES ($1, $2, $3, $4, NULL, NULL, NULL, $5, $6)",
                )
                .bind(association.as_str())
                .bind(n.id.as_str())
                .bind(n.member_id.as_str())
                .bind(n.kind)
                .bind(n.detail.as_deref())
                .bind(at)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Open reports of messages, newest first, with their shared messages.
    pub async fn message_reports(
        &self,
        association: &AssociationId,
        limit: i64,
    ) -> Result<(Vec<MessageReportRecord>, Vec<MessageReportItemRecord>), StoreError> {
        read!(self, |pool| {
            let reports: Vec<MessageReportRecord> = sqlx::query_as(
                "SELECT id, kind, reason, status, created_at FROM message_reports \
                 WHERE association_id = $1 AND status = 'open' ORDER BY created_at DESC, id LIMIT $2",
            )
            .bind(association.as_str())
            .bind(limit)
            .fetch_all(pool)
            .await?;
            let items: Vec<MessageReportItemRecord> = sqlx::query_as(
                "SELECT i.report_id, i.message_id, i.sender_id, i.sender_alias, i.sent_at, \
                 CASE WHEN i.sender_alias IS NULL THEN m.pseudonym END AS sender_pseudonym, \
                 i.sealed_body FROM message_report_items i JOIN message_reports r \
                   ON r.association_id = i.association_id AND r.id = i.report_id AND r.status = 'open' \
                 LEFT JOIN members m ON m.association_id = i.association_id AND m.id = i.sender_id \
                 WHERE i.association_id = $1 ORDER BY i.sent_at, i.message_id",
            )
            .bind(association.as_str())
            .fetch_all(pool)
            .await?;
            Ok((reports, items))
        })
    }

    /// Reports of messages in one status (open, resolved, dismissed),
    /// newest first, with how many messages each shares (no content).
    pub async fn message_report_summaries(
        &self,
        association: &AssociationId,
        status: &str,
        limit: i64,
    ) -> Result<Vec<MessageReportSummary>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT r.id, r.kind, r.reason, r.status, r.created_at, \
                 (SELECT COUNT(*) FROM message_report_items i WHERE i.association_id = r.association_id \
                   AND i.report_id = r.id) AS shared \
                 FROM message_reports r WHERE r.association_id = $1 AND r.status = $2 \
                 ORDER BY r.created_at DESC, r.id LIMIT $3",
            )
            .bind(association.as_str())
            .bind(status)
            .bind(limit)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// One report of messages with its shared messages (sealed), any status.
    pub async fn message_report(
        &self,
        association: &AssociationId,
        id: &str,
    ) -> Result<Option<(MessageReportRecord, Vec<MessageReportItemRecord>)>, StoreError> {
        read!(self, |pool| {
            let report: Option<MessageReportRecord> = sqlx::query_as(
                "SELECT id, kind, reason, status, created_at FROM message_reports WHERE association_id = $1 AND id = $2",
            )
            .bind(association.as_str())
            .bind(id)
            .fetch_optional(pool)
            .await?;
            let Some(report) = report else {
                return Ok(None);
            };
            let items: Vec<MessageReportItemRecord> = sqlx::query_as(
                "SELECT i.report_id, i.message_id, i.sender_id, i.sender_alias, i.sent_at, \
                 CASE WHEN i.sender_alias IS NULL THEN m.pseudonym END AS sender_pseudonym, \
                 i.sealed_body FROM message_report_items i \
                 LEFT JOIN members m ON m.association_id = i.association_id AND m.id = i.sender_id \
                 WHERE i.association_id = $1 AND i.report_id = $2 ORDER BY i.sent_at, i.message_id",
            )
            .bind(association.as_str())
            .bind(id)
            .fetch_all(pool)
            .await?;
            Ok(Some((report, items)))
        })
    }

    /// Closes an open report of messages (resolved or dismissed); false
    /// when it was no longer open.
    pub async fn close_message_report(
        &self,
        association: &AssociationId,
        id: &str,
        status: &str,
    ) -> Result<bool, StoreError> {
        let done = write!(self, |pool| {
            sqlx::query(
                "UPDATE message_reports SET status = $3 WHERE association_id = $1 AND id = $2 AND status = 'open'",
            )
            .bind(association.as_str())
            .bind(id)
            .bind(status)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(done > 0)
    }
}
