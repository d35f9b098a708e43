//! store::messaging_bulk — loading many conversations and messages at
//! once, for benchmark data (`kindred generate --messages N`): multi-row
//! INSERTs in one transaction, the same SQL on both databases. Bodies and
//! keys arrive sealed, as in `store::messaging`. Never for members' own
//! messages, which go through `store::messaging` with its checks.

use crate::bulk::values;
use crate::{write, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::AssociationId;

/// A one-to-one conversation, active, with its sealed key; both members
/// active and read up to `last_seq`.
pub struct NewBulkConversation {
    pub id: String,
    pub created_by: String,
    pub other: String,
    pub sealed_key: Vec<u8>,
    pub created_at: DateTime<Utc>,
    pub last_message_at: DateTime<Utc>,
    pub last_seq: i64,
}

/// A text message, its body sealed under its conversation's key.
pub struct NewBulkMessage {
    pub id: String,
    pub conversation_id: String,
    pub seq: i64,
    pub sender_id: String,
    pub sealed_body: Vec<u8>,
    pub sent_at: DateTime<Utc>,
}

/// Rows per statement (see `store::bulk` on SQLite's parameter look-up).
const ROWS: usize = 25;

impl Store {
    pub async fn insert_conversations_fresh(
        &self,
        association: &AssociationId,
        conversations: &[NewBulkConversation],
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            for chunk in conversations.chunks(ROWS) {
                let sql = values(
                    "INSERT INTO conversations (association_id, id, group_id, state, created_by, created_at, \
                     last_message_at, last_seq, disappear_seconds)",
                    9,
                    chunk.len(),
                );
                let mut query = sqlx::query(&sql);
                for c in chunk {
                    query = query
                        .bind(association.as_str())
                        .bind(&c.id)
                        .bind(None::<String>)
                        .bind("active")
                        .bind(&c.created_by)
                        .bind(c.created_at)
                        .bind(c.last_message_at)
                        .bind(c.last_seq)
                        .bind(None::<i64>);
                }
                query.execute(&mut *tx).await?;
                let sql = values(
                    "INSERT INTO conversation_keys (association_id, conversation_id, sealed_key)",
                    3,
                    chunk.len(),
                );
                let mut query = sqlx::query(&sql);
                for c in chunk {
                    query = query.bind(association.as_str()).bind(&c.id).bind(&c.sealed_key);
                }
                query.execute(&mut *tx).await?;
                let sql = values(
                    "INSERT INTO conversation_members (association_id, conversation_id, member_id, status, \
                     joined_at, read_seq, mailed)",
                    7,
                    chunk.len() * 2,
                );
                let mut query = sqlx::query(&sql);
                for c in chunk {
                    for member in [&c.created_by, &c.other] {
                        query = query
                            .bind(association.as_str())
                            .bind(&c.id)
                            .bind(member)
                            .bind("active")
                            .bind(c.created_at)
                            .bind(c.last_seq)
                            .bind(false);
                    }
                }
                query.execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn insert_messages_fresh(
        &self,
        association: &AssociationId,
        messages: &[NewBulkMessage],
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            for chunk in messages.chunks(ROWS) {
                let sql = values(
                    "INSERT INTO messages (association_id, id, conversation_id, seq, sender_id, kind, sealed_body, \
                     sent_at, edited_at, erase_at)",
                    10,
                    chunk.len(),
                );
                let mut query = sqlx::query(&sql);
                for m in chunk {
                    query = query
                        .bind(association.as_str())
                        .bind(&m.id)
                        .bind(&m.conversation_id)
                        .bind(m.seq)
                        .bind(&m.sender_id)
                        .bind("text")
                        .bind(&m.sealed_body)
                        .bind(m.sent_at)
                        .bind(None::<DateTime<Utc>>)
                        .bind(None::<DateTime<Utc>>);
                }
                query.execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }
}
