//! service::forum — categories, topics and posts in categories and group
//! forums. Every path to a topic or post goes through `topic_access`: a
//! topic in a group the caller may not read, or a hidden topic they may not
//! moderate, is `NotFound`, like an id never used.

use crate::groups::{GroupError, SeenGroup};
use crate::sessions::Caller;
use crate::{Association, Kindred};
use kindred_domain::{AccountRole, TopicId};
use kindred_store::{StoreError, TopicRecord};

#[derive(Debug, thiserror::Error)]
pub enum ForumError {
    /// No such topic or post, or one the caller may not learn exists.
    #[error("not found")]
    NotFound,
    /// The caller sees it but may not do this.
    #[error("not allowed")]
    Forbidden,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<GroupError> for ForumError {
    fn from(error: GroupError) -> Self {
        match error {
            GroupError::NotFound => ForumError::NotFound,
            GroupError::Forbidden => ForumError::Forbidden,
            GroupError::Store(e) => ForumError::Store(e),
        }
    }
}

/// A topic the caller may read, with what they may do there.
#[derive(Debug, Clone)]
pub struct SeenTopic {
    pub id: TopicId,
    pub record: TopicRecord,
    /// The group whose forum holds the topic; `None` for a category topic.
    pub group: Option<SeenGroup>,
    /// May reply (members of the place; a locked topic only for moderators).
    pub write: bool,
    /// May hide, restore, lock, pin, move and warn here.
    pub moderate: bool,
}

/// Association staff moderate the association-wide categories.
pub(crate) fn staff_moderates(caller: &Caller) -> bool {
    matches!(caller.member.role, AccountRole::Moderator | AccountRole::Admin)
}

impl Kindred {
    /// The topic as the caller may see it; `NotFound` for anything else.
    pub async fn topic_access(
        &self,
        association: &Association,
        caller: &Caller,
        topic: &str,
    ) -> Result<SeenTopic, ForumError> {
        let id = TopicId::parse(topic).ok_or(ForumError::NotFound)?;
        let record = self.store.topic(&association.id, id.as_str()).await?.ok_or(ForumError::NotFound)?;
        let (group, mut write, moderate) = match &record.group_id {
            Some(group_id) => {
                let group = self.group_access(association, caller, group_id).await?;
                if !group.access.read {
                    return Err(ForumError::NotFound);
                }
                let (write, moderate) = (group.access.write, group.access.moderate);
                (Some(group), write, moderate)
            }
            None => (None, true, staff_moderates(caller)),
        };
        let own = record.author_id.as_deref() == Some(caller.member.id.as_str());
        if record.hidden && !moderate && !own {
            return Err(ForumError::NotFound);
        }
        if (record.locked || record.hidden) && !moderate {
            write = false;
        }
        Ok(SeenTopic { id, record, group, write, moderate })
    }
}
