//! service::forum — categories, topics and posts in categories and group
//! forums. Every path to a topic or post goes through `topic_access`: a
//! topic in a group the caller may not read, or a hidden topic they may not
//! moderate, is `NotFound`, like an id never used.

use crate::crypto::{AssociationKey, CryptoError};
use crate::cursor::CursorList;
use crate::groups::{GroupError, SeenGroup};
use crate::sessions::{constant_time_eq, Caller};
use crate::{Association, Kindred};
use chrono::{DateTime, Utc};
use kindred_domain::markdown::{self, Mention};
use kindred_domain::reaction::{PostRef, Reaction};
use kindred_domain::text::{self, Lines, TextProblem};
use kindred_domain::{AccountRole, CategoryId, MemberId, PostId, TopicId};
use kindred_store::{
    CategoryDeletion, CategoryFields, CategoryRecord, MentionTarget, PostRecord, PostToWrite, StoreError, TopicCursor,
    TopicPlace, TopicRecord, TopicToWrite,
};
use std::collections::{HashMap, HashSet};

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
    /// The category that holds the topic; `None` for a group topic.
    pub category: Option<CategoryRecord>,
    /// The caller wrote the topic under their pseudonym (anonymous authors
    /// are recognised post by post, by their seal).
    pub own: bool,
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
        let category = match &record.category_id {
            Some(category) => Some(self.store.category(&association.id, category).await?.ok_or(ForumError::NotFound)?),
            None => None,
        };
        let seen = self.admit_to_topic(association, caller, id, record, category).await?;
        if seen.record.hidden && !seen.own {
            // Only a moderator gets here: their sight of a hidden topic is
            // logged before anything of it is shown or changed.
            self.audit_moderation(association, caller, &seen, "topic.hidden_viewed", seen.id.as_str(), None).await?;
        }
        Ok(seen)
    }

    /// Whether the caller may open the topic `record` (read already, with
    /// its category), and what they may do there: the one rule of
    /// [`Kindred::topic_access`], without its audit. The notification
    /// fan-out asks it for each recipient of a topic it read once; it shows
    /// nobody the topic, so nothing is logged.
    pub(crate) async fn admit_to_topic(
        &self,
        association: &Association,
        caller: &Caller,
        id: TopicId,
        record: TopicRecord,
        category: Option<CategoryRecord>,
    ) -> Result<SeenTopic, ForumError> {
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
        let mut own = record.author_id.as_deref() == Some(caller.member.id.as_str());
        if record.hidden && !moderate && !own && record.anonymous {
            // The anonymous author of a hidden topic still opens it, to see
            // that and why; their seal says it is them (checked only here,
            // where it decides something: it costs a key derivation).
            let key = self.keys.association(&association.id).map_err(|error| {
                tracing::error!(%error, "the association key is missing: an anonymous author cannot be recognised");
                ForumError::NotFound
            })?;
            own = record.author_seal.as_deref().is_some_and(|stored| {
                constant_time_eq(stored, &seal(&key, TOPIC_SEAL, id.as_str(), &caller.member.id))
            });
        }
        if record.hidden && !moderate && !own {
            return Err(ForumError::NotFound);
        }
        if (record.locked || record.hidden) && !moderate {
            write = false;
        }
        Ok(SeenTopic { id, record, group, write, moderate, category, own })
    }
}

impl Kindred {
    /// The members in a block with the caller, either way, for leaving out
    /// what they wrote under their pseudonym. Not asked in an alias group,
    /// where no author is named.
    pub(crate) async fn blocked_with(
        &self,
        association: &Association,
        caller: &Caller,
        alias_mode: bool,
    ) -> Result<HashSet<String>, StoreError> {
        if alias_mode {
            return Ok(HashSet::new());
        }
        Ok(self.store.blocked_either_way(&association.id, &caller.member.id).await?.into_iter().collect())
    }

    /// Whether a block between the viewer and the author, either way,
    /// leaves this out for the viewer: only ever for a `Named` author.
    async fn block_hides(
        &self,
        association: &Association,
        viewer: &Caller,
        author: Observed<'_>,
    ) -> Result<bool, StoreError> {
        let Observed::Named(author) = author else { return Ok(false) };
        if author == viewer.member.id.as_str() {
            return Ok(false);
        }
        let author = MemberId::from_trusted(author.to_owned());
        Ok(self.store.relation(&association.id, &viewer.member.id, &author).await?.blocked)
    }
}

// ====================================================================== use cases

/// Topics per page of a topic list.
pub const TOPICS_PER_PAGE: usize = 30;
/// Posts per page of a topic.
pub const POSTS_PER_PAGE: usize = 50;
/// Longest topic title, in characters.
pub const MAX_TITLE: usize = 200;
/// Longest post, in characters.
pub const MAX_BODY: usize = markdown::MAX_SOURCE_CHARS;
/// Longest category name and description, in characters.
pub const MAX_CATEGORY_NAME: usize = 100;
pub const MAX_CATEGORY_DESCRIPTION: usize = 1000;
/// The reactions a post may get (`kindred_domain::reaction::Reaction`, by name).
pub const REACTIONS: [&str; 4] =
    [Reaction::Heart.as_str(), Reaction::Hug.as_str(), Reaction::Thanks.as_str(), Reaction::Helpful.as_str()];

/// Where a post stands in its topic: what a page needs to lead back to it.
#[derive(Debug, Clone)]
pub struct PostPlace {
    pub topic_id: String,
    pub number: i32,
}

/// The search-token purposes of the seals of anonymous authors: apart from
/// every other use of the key, so that a seal matches nothing else.
pub(crate) const POST_SEAL: &str = "anonymous-author";
pub(crate) const TOPIC_SEAL: &str = "anonymous-topic-author";

/// What can go wrong in a forum use case.
#[derive(Debug, thiserror::Error)]
pub enum ForumActionError {
    /// No such thing, or one the caller may not learn exists.
    #[error("not found")]
    NotFound,
    /// The caller sees it but may not do this.
    #[error("not allowed")]
    Forbidden,
    /// The topic is locked: only moderators reply.
    #[error("the topic is locked")]
    Locked,
    /// A category that still holds topics cannot be deleted.
    #[error("the category is not empty")]
    NotEmpty,
    #[error("some fields are invalid")]
    Invalid(Vec<(&'static str, &'static str)>),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<ForumError> for ForumActionError {
    fn from(error: ForumError) -> Self {
        match error {
            ForumError::NotFound => Self::NotFound,
            ForumError::Forbidden => Self::Forbidden,
            ForumError::Store(e) => Self::Store(e),
        }
    }
}

impl From<GroupError> for ForumActionError {
    fn from(error: GroupError) -> Self {
        ForumError::from(error).into()
    }
}

/// Who wrote something, as the viewer may see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Author {
    Member {
        id: MemberId,
        pseudonym: String,
        badge: Option<String>,
    },
    /// In an alias group: the alias only.
    Alias(String),
    /// A member who erased their account and kept their posts without
    /// their name (service::erasure): neither name nor link.
    Former,
    /// Anonymous, or nothing the viewer may see.
    Hidden,
}

/// Who wrote a post or topic as anyone but its author observes it — the
/// one place that decides it. Only a `Named` author may be looked up in a
/// relation (a block, a contact level): for an alias or anonymous post
/// every notification, list, search, count, error and answer must be the
/// same whoever wrote it, or consulting a relation would unmask the
/// author. (`store::forum::NAMED_POST` says the same in SQL; topic lists
/// ask it of the topic's opener where the place names authors.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Observed<'a> {
    /// Shown under the member's pseudonym.
    Named(&'a str),
    /// In an alias group: shown under the alias only.
    Alias,
    /// Anonymous, or an author no longer known.
    Anonymous,
}

/// The author as others observe them; see `Observed`.
pub(crate) fn observed_author(alias_mode: bool, anonymous: bool, author_id: Option<&str>) -> Observed<'_> {
    match (anonymous, alias_mode, author_id) {
        (true, _, _) | (false, false, None) => Observed::Anonymous,
        (false, true, _) => Observed::Alias,
        (false, false, Some(id)) => Observed::Named(id),
    }
}

impl Observed<'_> {
    /// Whether others see this author in a block with `blocked` (the
    /// members in a block with the viewer, either way): only a named
    /// author can be.
    pub(crate) fn blocked_for(self, blocked: &HashSet<String>) -> bool {
        matches!(self, Observed::Named(id) if blocked.contains(id))
    }
}

fn author_of(
    alias_mode: bool,
    anonymous: bool,
    author_id: Option<&str>,
    pseudonym: Option<&str>,
    badge: Option<&str>,
    alias: Option<&str>,
) -> Author {
    // Only an erasure leaves a post that is not anonymous without author.
    if !anonymous && author_id.is_none() {
        return Author::Former;
    }
    match observed_author(alias_mode, anonymous, author_id) {
        Observed::Anonymous => Author::Hidden,
        Observed::Alias => alias.map(|a| Author::Alias(a.to_owned())).unwrap_or(Author::Hidden),
        Observed::Named(id) => match pseudonym {
            Some(pseudonym) => Author::Member {
                id: MemberId::from_trusted(id.to_owned()),
                pseudonym: pseudonym.to_owned(),
                badge: badge.map(str::to_owned),
            },
            None => Author::Hidden,
        },
    }
}

/// A category with its counters.
pub type CategoryView = CategoryRecord;

/// What an admin sets of a category.
#[derive(Debug, Clone, Default)]
pub struct CategoryInput {
    pub name: String,
    pub description: String,
    pub position: Option<i32>,
    pub anonymous_allowed: bool,
    pub ask_professional: bool,
}

/// A topic in a list.
#[derive(Debug, Clone)]
pub struct TopicSummary {
    pub id: String,
    pub title: String,
    pub pinned: bool,
    pub locked: bool,
    pub hidden: bool,
    pub anonymous: bool,
    pub post_count: i32,
    pub created_at: DateTime<Utc>,
    pub last_post_at: DateTime<Utc>,
    /// Posts the caller has not seen yet.
    pub unread: bool,
    pub author: Author,
}

/// Which part of a topic list to read: a page after a cursor, or the
/// first `size` topics.
#[derive(Debug, Clone, Copy)]
struct Listing<'a> {
    cursor: Option<&'a str>,
    size: usize,
}

impl<'a> Listing<'a> {
    fn page(cursor: Option<&'a str>) -> Self {
        Self { cursor, size: TOPICS_PER_PAGE }
    }

    fn first(size: usize) -> Self {
        Self { cursor: None, size }
    }
}

/// Where a topic of [`Kindred::latest_topics`] lives.
#[derive(Debug, Clone)]
pub enum TopicHome {
    Category { id: String, name: String },
    Group { id: String, name: String },
}

/// A topic with its place, for lists that gather several places.
#[derive(Debug, Clone)]
pub struct PlacedTopic {
    pub place: TopicHome,
    pub topic: TopicSummary,
}

/// A page of topics.
#[derive(Debug, Clone)]
pub struct TopicList {
    pub topics: Vec<TopicSummary>,
    pub next_cursor: Option<String>,
    /// Whether the caller may start a topic here.
    pub can_post: bool,
    /// Whether anonymous topics are allowed here.
    pub anonymous_allowed: bool,
}

/// A reaction kind with its count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReactionView {
    pub kind: &'static str,
    pub count: i64,
    pub mine: bool,
}

/// A post as the viewer may see it.
#[derive(Debug, Clone)]
pub struct PostView {
    pub id: String,
    pub number: i32,
    pub author: Author,
    pub anonymous: bool,
    pub professional: bool,
    /// The sanitised HTML; `None` when hidden from the viewer or deleted.
    pub html: Option<String>,
    /// The Markdown source, for its author only.
    pub body: Option<String>,
    /// `None` only for a post hidden from the viewer.
    pub created_at: Option<DateTime<Utc>>,
    pub edited_at: Option<DateTime<Utc>>,
    pub hidden: bool,
    /// Why a moderator hid it: for its author and moderators.
    pub hidden_reason: Option<String>,
    pub deleted: bool,
    pub quote_of: Option<String>,
    pub reactions: Vec<ReactionView>,
    /// The caller wrote it (also when anonymous).
    pub own: bool,
}

/// A topic as the viewer may see it.
#[derive(Debug, Clone)]
pub struct TopicView {
    pub id: String,
    pub title: String,
    pub category_id: Option<String>,
    pub group_id: Option<String>,
    /// The category's or the group's name.
    pub place_name: String,
    pub pinned: bool,
    pub locked: bool,
    pub hidden: bool,
    /// Why a moderator hid the topic: for its author and moderators only.
    pub hidden_reason: Option<String>,
    pub post_count: i32,
    pub created_at: DateTime<Utc>,
    pub last_post_at: DateTime<Utc>,
    pub subscribed: bool,
    pub can_reply: bool,
    pub can_moderate: bool,
    pub anonymous_allowed: bool,
    pub ask_professional: bool,
    pub alias_mode: bool,
}

/// Whether showing posts moves the caller's read marker: reading the topic
/// does, opening one post's own page does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    MovesMarker,
    LeavesMarker,
}

/// A page of a topic.
#[derive(Debug, Clone)]
pub struct TopicPage {
    pub topic: TopicView,
    pub posts: Vec<PostView>,
    /// Where the next page starts (`?after=`), if there is one.
    pub next_after: Option<i32>,
}

/// A new topic.
#[derive(Debug, Clone, Default)]
pub struct TopicInput {
    pub category_id: Option<String>,
    pub group_id: Option<String>,
    pub title: String,
    pub body: String,
    pub anonymous: bool,
}

/// A new topic that passed the checks of `checked_topic`: its cleaned
/// title and body, and its place.
struct CheckedTopic {
    title: String,
    body: String,
    category: Option<CategoryView>,
    group: Option<SeenGroup>,
}

/// A reply.
#[derive(Debug, Clone, Default)]
pub struct ReplyInput {
    pub body: String,
    pub anonymous: bool,
    pub quote_of: Option<String>,
}

/// An earlier version of a post.
#[derive(Debug, Clone)]
pub struct PostVersion {
    pub html: String,
    pub written_at: DateTime<Utc>,
    pub replaced_at: DateTime<Utc>,
}

/// What a reply quoting a post starts with.
#[derive(Debug, Clone)]
pub struct QuoteSource {
    pub post_id: String,
    /// The quoted post's number: a quote is attributed by it, never by a
    /// name frozen into someone else's text (a block made later could not
    /// take that name out again for the blocked member).
    pub number: i32,
    pub author: Author,
    pub body: String,
}

/// A topic title: trimmed, 1 to 200 characters, one line.
fn clean_title(raw: &str) -> Result<String, &'static str> {
    let title = raw.trim();
    if title.is_empty() {
        return Err("must not be empty");
    }
    if title.chars().count() > MAX_TITLE {
        return Err("is too long (at most 200 characters)");
    }
    text::check(title, Lines::One).map_err(TextProblem::message)?;
    Ok(title.to_owned())
}

/// A post body: 1 to 20,000 characters of Markdown, line ends as `\n`, no
/// control characters but line breaks and tabs.
fn clean_body(raw: &str) -> Result<String, &'static str> {
    let body = raw.replace("\r\n", "\n").replace('\r', "\n");
    let body = body.trim_end();
    let body = body.trim_start_matches('\n');
    if body.trim().is_empty() {
        return Err("must not be empty");
    }
    if body.chars().count() > MAX_BODY {
        return Err("is too long (at most 20,000 characters)");
    }
    text::check(body, Lines::Many).map_err(TextProblem::message)?;
    Ok(body.to_owned())
}

fn clean_category(input: &CategoryInput, fallback_position: i32) -> Result<CategoryInput, ForumActionError> {
    let mut problems = Vec::new();
    let name = input.name.trim();
    if name.is_empty() {
        problems.push(("name", "must not be empty"));
    } else if name.chars().count() > MAX_CATEGORY_NAME {
        problems.push(("name", "must be one line of at most 100 characters"));
    } else if let Some(problem) = text::problem(name, Lines::One) {
        problems.push(("name", problem.message()));
    }
    let description = input.description.trim().replace("\r\n", "\n");
    if description.chars().count() > MAX_CATEGORY_DESCRIPTION {
        problems.push(("description", "is too long (at most 1000 characters)"));
    } else if let Some(problem) = text::problem(&description, Lines::Many) {
        problems.push(("description", problem.message()));
    }
    let position = input.position.unwrap_or(fallback_position);
    if !(0..=10_000).contains(&position) {
        problems.push(("position", "must be between 0 and 10000"));
    }
    if !problems.is_empty() {
        return Err(ForumActionError::Invalid(problems));
    }
    Ok(CategoryInput {
        name: name.to_owned(),
        description,
        position: Some(position),
        anonymous_allowed: input.anonymous_allowed,
        ask_professional: input.ask_professional,
    })
}

fn encode_cursor(cursor: &TopicCursor) -> String {
    format!("{}~{}~{}", u8::from(cursor.pinned), cursor.last_post_at.timestamp_micros(), cursor.id)
}

fn decode_cursor(raw: &str) -> Option<TopicCursor> {
    let mut parts = raw.splitn(3, '~');
    let pinned = match parts.next()? {
        "0" => false,
        "1" => true,
        _ => return None,
    };
    let micros: i64 = parts.next()?.parse().ok()?;
    let id = TopicId::parse(parts.next()?)?;
    let last_post_at = DateTime::from_timestamp_micros(micros).filter(|at| crate::cursor::plausible_time(*at))?;
    Some(TopicCursor { pinned, last_post_at, id: id.to_string() })
}

pub(crate) fn seal(key: &AssociationKey, purpose: &str, thing: &str, member: &MemberId) -> String {
    key.search_token(purpose, &format!("{thing}|{}", member.as_str()))
}

/// Whether `member` wrote this post: by id, or for an anonymous post by its seal.
fn wrote(key: Option<&AssociationKey>, post: &PostRecord, member: &MemberId) -> bool {
    if post.author_id.as_deref() == Some(member.as_str()) {
        return true;
    }
    match (key, &post.author_seal) {
        (Some(key), Some(stored)) if post.anonymous => {
            constant_time_eq(stored, &seal(key, POST_SEAL, &post.id, member))
        }
        _ => false,
    }
}

/// Whether the anonymous post or topic with this seal is `member`'s: for
/// the member's own data export (`service::export`), which must find
/// their anonymous writing and nobody else's.
pub(crate) fn anonymous_by(key: &AssociationKey, topic: bool, id: &str, member: &MemberId, stored: &str) -> bool {
    let purpose = if topic { TOPIC_SEAL } else { POST_SEAL };
    constant_time_eq(stored, &seal(key, purpose, id, member))
}

/// What makes two aliases the same (as `kindred_domain::alias::key`):
/// neither case nor runs of white space count.
fn alias_key(alias: &str) -> String {
    alias.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn is_admin(caller: &Caller) -> bool {
    caller.member.role == AccountRole::Admin
}

/// The post as `viewer` may see it.
fn post_view(
    record: PostRecord,
    alias_mode: bool,
    own: bool,
    moderate: bool,
    reactions: Vec<ReactionView>,
) -> PostView {
    let hidden_from_viewer = record.hidden && !own && !moderate;
    if hidden_from_viewer {
        return PostView {
            id: record.id,
            number: record.number,
            author: Author::Hidden,
            anonymous: false,
            professional: false,
            html: None,
            body: None,
            created_at: None,
            edited_at: None,
            hidden: true,
            hidden_reason: None,
            deleted: false,
            quote_of: None,
            reactions: Vec::new(),
            own: false,
        };
    }
    let author = if record.deleted {
        Author::Hidden
    } else {
        author_of(
            alias_mode,
            record.anonymous,
            record.author_id.as_deref(),
            record.pseudonym.as_deref(),
            record.badge.as_deref(),
            record.alias.as_deref(),
        )
    };
    let content = !record.deleted;
    PostView {
        id: record.id,
        number: record.number,
        author,
        anonymous: record.anonymous,
        professional: record.professional && content,
        html: content.then_some(record.html),
        body: (content && own).then_some(record.body),
        created_at: Some(record.created_at),
        edited_at: record.edited_at,
        hidden: record.hidden,
        hidden_reason: if record.hidden && (own || moderate) { record.hidden_reason } else { None },
        deleted: record.deleted,
        quote_of: if content { record.quote_of } else { None },
        reactions: if content { reactions } else { Vec::new() },
        own,
    }
}

/// A post found by id, with its topic as the caller sees it.
struct SeenPost {
    topic: SeenTopic,
    record: PostRecord,
    own: bool,
}

impl SeenTopic {
    pub(crate) fn alias_mode(&self) -> bool {
        self.group.as_ref().is_some_and(|g| g.record.alias_mode)
    }

    /// Members of the place: anyone in a category, members in a group.
    fn participant(&self) -> bool {
        self.group.as_ref().is_none_or(|g| g.access.write)
    }

    fn anonymous_allowed(&self) -> bool {
        match (&self.category, &self.group) {
            (Some(c), _) => c.anonymous_allowed,
            (None, Some(g)) => g.record.anonymous_allowed,
            (None, None) => false,
        }
    }

    fn ask_professional(&self) -> bool {
        self.category.as_ref().is_some_and(|c| c.ask_professional)
    }
}

/// The members a post mentions, resolved in its place: `(name key, target)`.
type Mentions = HashMap<String, MentionTarget>;

impl Kindred {
    // ------------------------------------------------------------------ categories

    /// The association's categories, in their order, with their counters.
    pub async fn forum_categories(
        &self,
        association: &Association,
        _caller: &Caller,
    ) -> Result<Vec<CategoryView>, ForumActionError> {
        Ok(self.store.categories(&association.id).await?)
    }

    /// One category (every member may see every category).
    pub async fn forum_category(
        &self,
        association: &Association,
        _caller: &Caller,
        category: &str,
    ) -> Result<CategoryView, ForumActionError> {
        let id = CategoryId::parse(category).ok_or(ForumActionError::NotFound)?;
        self.store.category(&association.id, id.as_str()).await?.ok_or(ForumActionError::NotFound)
    }

    /// Admins only.
    pub async fn create_category(
        &self,
        association: &Association,
        caller: &Caller,
        input: &CategoryInput,
    ) -> Result<CategoryId, ForumActionError> {
        if !is_admin(caller) {
            return Err(ForumActionError::Forbidden);
        }
        let existing = self.store.categories(&association.id).await?;
        let next = existing.iter().map(|c| c.position + 1).max().unwrap_or(0);
        let input = clean_category(input, next)?;
        let id = CategoryId::random();
        let fields = CategoryFields {
            name: &input.name,
            description: &input.description,
            position: input.position.unwrap_or(next),
            anonymous_allowed: input.anonymous_allowed,
            ask_professional: input.ask_professional,
        };
        self.store.insert_category(&association.id, id.as_str(), fields, self.clock.now()).await?;
        Ok(id)
    }

    /// Admins only; `position` left out keeps the current one.
    pub async fn update_category(
        &self,
        association: &Association,
        caller: &Caller,
        category: &str,
        input: &CategoryInput,
    ) -> Result<(), ForumActionError> {
        if !is_admin(caller) {
            return Err(ForumActionError::Forbidden);
        }
        let current = self.forum_category(association, caller, category).await?;
        let input = clean_category(input, current.position)?;
        let fields = CategoryFields {
            name: &input.name,
            description: &input.description,
            position: input.position.unwrap_or(current.position),
            anonymous_allowed: input.anonymous_allowed,
            ask_professional: input.ask_professional,
        };
        if !self.store.update_category(&association.id, &current.id, fields).await? {
            return Err(ForumActionError::NotFound);
        }
        Ok(())
    }

    /// Admins only; a category with topics stays (`NotEmpty`).
    pub async fn delete_category(
        &self,
        association: &Association,
        caller: &Caller,
        category: &str,
    ) -> Result<(), ForumActionError> {
        if !is_admin(caller) {
            return Err(ForumActionError::Forbidden);
        }
        let id = CategoryId::parse(category).ok_or(ForumActionError::NotFound)?;
        match self.store.delete_category(&association.id, id.as_str()).await? {
            CategoryDeletion::Deleted => Ok(()),
            CategoryDeletion::NotEmpty => Err(ForumActionError::NotEmpty),
            CategoryDeletion::NotFound => Err(ForumActionError::NotFound),
        }
    }

    // ------------------------------------------------------------------ topic lists

    /// A moderator's topic list shows the titles of hidden topics, which
    /// members do not see: each is logged before the list is shown.
    async fn audit_hidden_titles(
        &self,
        association: &Association,
        caller: &Caller,
        masked: bool,
        topics: &[TopicSummary],
    ) -> Result<(), StoreError> {
        for topic in topics.iter().filter(|t| t.hidden) {
            self.append_moderation_audit(association, caller, masked, "topic.hidden_listed", Some(&topic.id), None)
                .await?;
        }
        Ok(())
    }

    async fn topic_list(
        &self,
        association: &Association,
        caller: &Caller,
        place: TopicPlace<'_>,
        alias_mode: bool,
        moderator: bool,
        listing: Listing<'_>,
    ) -> Result<(Vec<TopicSummary>, Option<String>), ForumActionError> {
        let per_page = listing.size;
        let after = match listing.cursor.map(str::trim).filter(|c| !c.is_empty()) {
            Some(raw) => Some(
                self.open_cursor(association, CursorList::Topics, raw)
                    .and_then(|payload| decode_cursor(&payload))
                    .ok_or(ForumActionError::Invalid(vec![("cursor", crate::cursor::BAD_CURSOR)]))?,
            ),
            None => None,
        };
        let limit = i64::try_from(per_page + 1).unwrap_or(31);
        let mut rows = self
            .store
            .topics(&association.id, place, &caller.member.id, moderator, !alias_mode, after.as_ref(), limit)
            .await?;
        let more = rows.len() > per_page;
        rows.truncate(per_page);
        let next_cursor = if more {
            rows.last().and_then(|r| {
                let payload = encode_cursor(&TopicCursor {
                    pinned: r.topic.pinned,
                    last_post_at: r.topic.last_post_at,
                    id: r.topic.id.clone(),
                });
                self.seal_cursor(association, CursorList::Topics, &payload)
            })
        } else {
            None
        };
        let topics = rows
            .into_iter()
            .map(|r| {
                let author = author_of(
                    alias_mode,
                    r.topic.anonymous,
                    r.topic.author_id.as_deref(),
                    r.pseudonym.as_deref(),
                    r.badge.as_deref(),
                    r.alias.as_deref(),
                );
                TopicSummary {
                    unread: r.topic.post_count > r.last_read.unwrap_or(0),
                    id: r.topic.id,
                    title: r.topic.title,
                    pinned: r.topic.pinned,
                    locked: r.topic.locked,
                    hidden: r.topic.hidden,
                    anonymous: r.topic.anonymous,
                    post_count: r.topic.post_count,
                    created_at: r.topic.created_at,
                    last_post_at: r.topic.last_post_at,
                    author,
                }
            })
            .collect();
        Ok((topics, next_cursor))
    }

    /// A page of a category's topics.
    pub async fn category_topics(
        &self,
        association: &Association,
        caller: &Caller,
        category: &str,
        cursor: Option<&str>,
    ) -> Result<(CategoryView, TopicList), ForumActionError> {
        let category = self.forum_category(association, caller, category).await?;
        let (topics, next_cursor) = self
            .topic_list(
                association,
                caller,
                TopicPlace::Category(&category.id),
                false,
                staff_moderates(caller),
                Listing::page(cursor),
            )
            .await?;
        if staff_moderates(caller) {
            self.audit_hidden_titles(association, caller, false, &topics).await?;
        }
        let list = TopicList { topics, next_cursor, can_post: true, anonymous_allowed: category.anonymous_allowed };
        Ok((category, list))
    }

    /// A page of a group forum's topics; `Forbidden` for a group the caller
    /// sees but whose forum they may not read (`NotFound` for one they may
    /// not see).
    pub async fn group_topics(
        &self,
        association: &Association,
        caller: &Caller,
        group: &str,
        cursor: Option<&str>,
    ) -> Result<(SeenGroup, TopicList), ForumActionError> {
        let group = self.group_access(association, caller, group).await?;
        if !group.access.read {
            return Err(ForumActionError::Forbidden);
        }
        let (topics, next_cursor) = self
            .topic_list(
                association,
                caller,
                TopicPlace::Group(group.id.as_str()),
                group.record.alias_mode,
                group.access.moderate,
                Listing::page(cursor),
            )
            .await?;
        if group.access.moderate {
            // In an alias group its moderator is not named (see `audit_moderation`).
            let masked = group.record.alias_mode && group.my_alias.is_some();
            self.audit_hidden_titles(association, caller, masked, &topics).await?;
        }
        let list = TopicList {
            topics,
            next_cursor,
            can_post: group.access.write,
            anonymous_allowed: group.record.anonymous_allowed,
        };
        Ok((group, list))
    }

    /// The most recently active topics of every category and of the
    /// caller's groups, newest first, at most `limit`, each with where it
    /// is. Built from each place's own first page (the same query, gates
    /// and author rules as the place's topic list); hidden topics are left
    /// out even for moderators, whose home page is not a moderation view.
    pub async fn latest_topics(
        &self,
        association: &Association,
        caller: &Caller,
        groups: &[crate::groups::GroupSummary],
        limit: usize,
    ) -> Result<Vec<PlacedTopic>, ForumActionError> {
        let mut found = Vec::new();
        for category in self.forum_categories(association, caller).await? {
            let (topics, _) = self
                .topic_list(
                    association,
                    caller,
                    TopicPlace::Category(&category.id),
                    false,
                    false,
                    Listing::first(limit),
                )
                .await?;
            let place = TopicHome::Category { id: category.id.clone(), name: category.name.clone() };
            found.extend(topics.into_iter().map(|topic| PlacedTopic { place: place.clone(), topic }));
        }
        for group in groups.iter().filter(|g| g.seen.access.read) {
            let seen = &group.seen;
            let (topics, _) = self
                .topic_list(
                    association,
                    caller,
                    TopicPlace::Group(seen.id.as_str()),
                    seen.record.alias_mode,
                    false,
                    Listing::first(limit),
                )
                .await?;
            let place = TopicHome::Group { id: seen.id.as_str().to_owned(), name: seen.record.name.clone() };
            found.extend(topics.into_iter().map(|topic| PlacedTopic { place: place.clone(), topic }));
        }
        found.retain(|t| !t.topic.hidden);
        found.sort_by(|a, b| b.topic.last_post_at.cmp(&a.topic.last_post_at).then_with(|| a.topic.id.cmp(&b.topic.id)));
        found.truncate(limit);
        Ok(found)
    }

    // ------------------------------------------------------------------ writing

    /// Finds the members a post mentions, in its place: by alias in an alias
    /// group (any current member's alias, whatever the relations), else by
    /// pseudonym, and then only a member the writer could find in a search
    /// or who wrote, under their pseudonym, a post of `topic` the writer
    /// can see. Anything else renders exactly like an unknown name and
    /// notifies nobody, so a mention tells nothing of a block, an opt-out
    /// or a suspension. `writer` is `None` for an anonymous post: no
    /// relation of its writer may count (`Observed`).
    async fn resolve_mentions(
        &self,
        association: &Association,
        group: Option<&SeenGroup>,
        writer: Option<&MemberId>,
        topic: Option<&str>,
        body: &str,
    ) -> Result<Mentions, StoreError> {
        let mut found = Mentions::new();
        for name in markdown::mentions(body) {
            let target = match group {
                Some(g) if g.record.alias_mode => {
                    self.store.mention_by_alias(&association.id, g.id.as_str(), &alias_key(&name)).await?
                }
                _ => {
                    let key = name.trim().to_lowercase();
                    self.store.mention_by_pseudonym(&association.id, &key, writer, topic).await?
                }
            };
            if let Some(target) = target {
                found.insert(name.to_lowercase(), target);
            }
        }
        Ok(found)
    }

    /// Renders a post with its mentions resolved (see `resolve_mentions`).
    async fn render_post(
        &self,
        association: &Association,
        group: Option<&SeenGroup>,
        writer: Option<&MemberId>,
        topic: Option<&str>,
        body: &str,
    ) -> Result<(markdown::Rendered, Vec<String>), StoreError> {
        let mentions = self.resolve_mentions(association, group, writer, topic, body).await?;
        let resolve =
            |name: &str| mentions.get(&name.to_lowercase()).map(|t| Mention { label: t.label.clone(), href: None });
        let rendered = markdown::render(body, &resolve);
        let mut members: Vec<String> = mentions.into_values().map(|t| t.member_id).collect();
        members.sort();
        members.dedup();
        Ok((rendered, members))
    }

    /// What starting a topic checks before anything is written: the title,
    /// the body, the place (a category, or a group forum the caller may
    /// write in) and whether it may be anonymous there. `create_topic` and
    /// `preview_topic` share it, so a preview fails exactly where posting would.
    async fn checked_topic(
        &self,
        association: &Association,
        caller: &Caller,
        input: &TopicInput,
    ) -> Result<CheckedTopic, ForumActionError> {
        let mut problems = Vec::new();
        let title = clean_title(&input.title).map_err(|p| problems.push(("title", p))).ok();
        let body = clean_body(&input.body).map_err(|p| problems.push(("body", p))).ok();
        let place = match (&input.category_id, &input.group_id) {
            (Some(c), None) => Some((Some(c.as_str()), None)),
            (None, Some(g)) => Some((None, Some(g.as_str()))),
            (Some(_), Some(_)) => {
                problems.push(("group_id", "give either category_id or group_id, not both"));
                None
            }
            (None, None) => {
                problems.push(("category_id", "give category_id or group_id"));
                None
            }
        };
        let (Some(title), Some(body), Some(place)) = (title, body, place) else {
            return Err(ForumActionError::Invalid(problems));
        };
        let (category, group) = match place {
            (Some(category), _) => (Some(self.forum_category(association, caller, category).await?), None),
            (_, Some(group)) => {
                // The caller sees the group (else `NotFound`): a forum they
                // may not read or write in is `Forbidden` either way.
                let group = self.group_access(association, caller, group).await?;
                if !group.access.read || !group.access.write {
                    return Err(ForumActionError::Forbidden);
                }
                (None, Some(group))
            }
            (None, None) => {
                return Err(ForumActionError::Invalid(vec![("category_id", "give category_id or group_id")]))
            }
        };
        let anonymous_allowed = match (&category, &group) {
            (Some(c), _) => c.anonymous_allowed,
            (_, Some(g)) => g.record.anonymous_allowed,
            _ => false,
        };
        if input.anonymous && !anonymous_allowed {
            return Err(ForumActionError::Invalid(vec![("anonymous", "is not allowed here")]));
        }
        Ok(CheckedTopic { title, body, category, group })
    }

    /// Renders the opening post of a topic as `create_topic` would (same
    /// checks, same renderer, mentions resolved the same way), saving
    /// nothing and notifying nobody: the composer's preview. Returns the
    /// safe HTML.
    pub async fn preview_topic(
        &self,
        association: &Association,
        caller: &Caller,
        input: &TopicInput,
    ) -> Result<String, ForumActionError> {
        let CheckedTopic { body, group, .. } = self.checked_topic(association, caller, input).await?;
        let writer = (!input.anonymous).then_some(&caller.member.id);
        let (rendered, _) = self.render_post(association, group.as_ref(), writer, None, &body).await?;
        Ok(rendered.html)
    }

    /// Starts a topic with its opening post, in a category or a group forum.
    pub async fn create_topic(
        &self,
        association: &Association,
        caller: &Caller,
        input: &TopicInput,
    ) -> Result<TopicId, ForumActionError> {
        self.start_topic(association, caller, input).await.map(|(topic, _)| topic)
    }

    /// [`Kindred::create_topic`], also answering the opening post's id (the
    /// page leads the writer to it).
    pub async fn start_topic(
        &self,
        association: &Association,
        caller: &Caller,
        input: &TopicInput,
    ) -> Result<(TopicId, PostId), ForumActionError> {
        let CheckedTopic { title, body, category, group } = self.checked_topic(association, caller, input).await?;
        let me = &caller.member.id;
        let writer = (!input.anonymous).then_some(me);
        let (rendered, mentioned) = self.render_post(association, group.as_ref(), writer, None, &body).await?;
        let topic_id = TopicId::random();
        let post_id = PostId::random();
        let key = self.keys.association(&association.id)?;
        let (author_id, post_seal, topic_seal) = if input.anonymous {
            (
                None,
                Some(seal(&key, POST_SEAL, post_id.as_str(), me)),
                Some(seal(&key, TOPIC_SEAL, topic_id.as_str(), me)),
            )
        } else {
            (Some(me.as_str()), None, None)
        };
        let professional = !input.anonymous
            && caller.member.role == AccountRole::Professional
            && category.as_ref().is_some_and(|c| c.ask_professional);
        let topic = TopicToWrite {
            id: topic_id.as_str(),
            category_id: category.as_ref().map(|c| c.id.as_str()),
            group_id: group.as_ref().map(|g| g.id.as_str()),
            title: &title,
            author_id,
            author_seal: topic_seal.as_deref(),
            anonymous: input.anonymous,
        };
        let post = PostToWrite {
            association: &association.id,
            id: post_id.as_str(),
            topic_id: topic_id.as_str(),
            author_id,
            author_seal: post_seal.as_deref(),
            anonymous: input.anonymous,
            professional,
            quote_of: None,
            body: &body,
            html: &rendered.html,
            text: &rendered.text,
            at: self.clock.now(),
        };
        self.store.create_topic(&topic, &post).await?;
        if !mentioned.is_empty() {
            let seen = self.topic_access(association, caller, topic_id.as_str()).await?;
            self.notify_post(association, caller, &seen, post_id.as_str(), input.anonymous, &mentioned).await;
        }
        Ok((topic_id, post_id))
    }

    /// What replying checks first: the topic, the right to write in it,
    /// the body and whether it may be anonymous. Shared with `preview_reply`.
    async fn checked_reply(
        &self,
        association: &Association,
        caller: &Caller,
        topic: &str,
        input: &ReplyInput,
    ) -> Result<(SeenTopic, String), ForumActionError> {
        let seen = self.topic_access(association, caller, topic).await?;
        if !seen.write {
            let locked_out = seen.participant() && seen.record.locked && !seen.record.hidden;
            return Err(if locked_out { ForumActionError::Locked } else { ForumActionError::Forbidden });
        }
        let body = clean_body(&input.body).map_err(|p| ForumActionError::Invalid(vec![("body", p)]))?;
        if input.anonymous && !seen.anonymous_allowed() {
            return Err(ForumActionError::Invalid(vec![("anonymous", "is not allowed here")]));
        }
        Ok((seen, body))
    }

    /// Renders a reply as `reply` would (same checks, same renderer,
    /// mentions resolved the same way), saving nothing and notifying
    /// nobody: the composer's preview. Returns the safe HTML.
    pub async fn preview_reply(
        &self,
        association: &Association,
        caller: &Caller,
        topic: &str,
        input: &ReplyInput,
    ) -> Result<String, ForumActionError> {
        let (seen, body) = self.checked_reply(association, caller, topic, input).await?;
        let writer = (!input.anonymous).then_some(&caller.member.id);
        let place = (seen.group.as_ref(), writer, Some(seen.id.as_str()));
        let (rendered, _) = self.render_post(association, place.0, place.1, place.2, &body).await?;
        Ok(rendered.html)
    }

    /// Replies to a topic.
    pub async fn reply(
        &self,
        association: &Association,
        caller: &Caller,
        topic: &str,
        input: &ReplyInput,
    ) -> Result<PostId, ForumActionError> {
        let (seen, body) = self.checked_reply(association, caller, topic, input).await?;
        let key = self.keys.association(&association.id)?;
        let me = &caller.member.id;
        let group_id = seen.group.as_ref().map(|g| g.id.as_str());
        let quote_of = match input.quote_of.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            None => None,
            Some(raw) => {
                let bad = || ForumActionError::Invalid(vec![("quote_of", "is not a post of this topic you can read")]);
                let id = PostId::parse(raw).ok_or_else(bad)?;
                let quoted =
                    self.store.post(&association.id, seen.id.as_str(), group_id, id.as_str()).await?.ok_or_else(bad)?;
                let mine = wrote(Some(&key), &quoted, me);
                let readable = !quoted.deleted && (!quoted.hidden || seen.moderate || mine);
                let author = observed_author(seen.alias_mode(), quoted.anonymous, quoted.author_id.as_deref());
                if !readable || (!mine && self.block_hides(association, caller, author).await?) {
                    return Err(bad());
                }
                Some(id)
            }
        };
        let writer = (!input.anonymous).then_some(me);
        let place = (seen.group.as_ref(), writer, Some(seen.id.as_str()));
        let (rendered, mentioned) = self.render_post(association, place.0, place.1, place.2, &body).await?;
        let post_id = PostId::random();
        let post_seal = input.anonymous.then(|| seal(&key, POST_SEAL, post_id.as_str(), me));
        let professional =
            !input.anonymous && caller.member.role == AccountRole::Professional && seen.ask_professional();
        let post = PostToWrite {
            association: &association.id,
            id: post_id.as_str(),
            topic_id: seen.id.as_str(),
            author_id: if input.anonymous { None } else { Some(me.as_str()) },
            author_seal: post_seal.as_deref(),
            anonymous: input.anonymous,
            professional,
            quote_of: quote_of.as_ref().map(PostId::as_str),
            body: &body,
            html: &rendered.html,
            text: &rendered.text,
            at: self.clock.now(),
        };
        if self.store.add_post(&post, seen.record.category_id.as_deref()).await?.is_none() {
            return Err(ForumActionError::NotFound);
        }
        self.notify_post(association, caller, &seen, post_id.as_str(), input.anonymous, &mentioned).await;
        Ok(post_id)
    }

    // ------------------------------------------------------------------ reading

    /// A page of a topic's posts (50, after post number `after`); moves the
    /// caller's read marker to the last post shown.
    pub async fn topic_page(
        &self,
        association: &Association,
        caller: &Caller,
        topic: &str,
        after: Option<i32>,
    ) -> Result<TopicPage, ForumActionError> {
        let after = after.unwrap_or(0).max(0);
        self.topic_window(association, caller, topic, after, POSTS_PER_PAGE, Reading::MovesMarker).await
    }

    /// One post of a topic by its number, as the topic page shows it (the
    /// post's own page, where a member reacts, quotes, reports, edits or
    /// deletes); `NotFound` where the topic page would not show it (a
    /// number never written, or a post the caller's blocks leave out).
    /// Opening it is not reading the topic: the read marker stays.
    pub async fn topic_post(
        &self,
        association: &Association,
        caller: &Caller,
        topic: &str,
        number: i32,
    ) -> Result<TopicPage, ForumActionError> {
        if number < 1 {
            return Err(ForumActionError::NotFound);
        }
        let mut window = self.topic_window(association, caller, topic, number - 1, 1, Reading::LeavesMarker).await?;
        window.posts.retain(|p| p.number == number);
        if window.posts.is_empty() {
            return Err(ForumActionError::NotFound);
        }
        window.next_after = None;
        Ok(window)
    }

    /// Up to `size` posts of a topic after post number `after`, each
    /// decided for the caller; the one reading of posts behind
    /// [`Self::topic_page`] and [`Self::topic_post`].
    async fn topic_window(
        &self,
        association: &Association,
        caller: &Caller,
        topic: &str,
        after: i32,
        size: usize,
        reading: Reading,
    ) -> Result<TopicPage, ForumActionError> {
        let seen = self.topic_access(association, caller, topic).await?;
        let me = &caller.member.id;
        let group_id = seen.group.as_ref().map(|g| g.id.as_str());
        let limit = i64::try_from(size + 1).unwrap_or(i64::MAX);
        let alias_mode = seen.alias_mode();
        // The posts, the caller's blocks and the caller's place in the topic
        // do not depend on each other: read at once, the page waits for the
        // slowest of them, not for their sum.
        let (rows, blocked, state) = tokio::join!(
            self.store.posts(&association.id, seen.id.as_str(), group_id, after, limit),
            self.blocked_with(association, caller, alias_mode),
            self.store.topic_state(&association.id, seen.id.as_str(), me),
        );
        let (mut rows, blocked, (last_read, subscribed)) = (rows?, blocked?, state?);
        let more = rows.len() > size;
        rows.truncate(size);
        let mut reactions: HashMap<String, Vec<ReactionView>> = HashMap::new();
        if let (Some(first), Some(last)) = (rows.first(), rows.last()) {
            for r in
                self.store.reaction_counts(&association.id, seen.id.as_str(), first.number, last.number, me).await?
            {
                if let Some(kind) = REACTIONS.iter().find(|k| **k == r.kind) {
                    reactions.entry(r.post_id).or_default().push(ReactionView {
                        kind,
                        count: r.count,
                        mine: r.mine > 0,
                    });
                }
            }
        }
        let key = if rows.iter().any(|p| p.anonymous) { Some(self.keys.association(&association.id)?) } else { None };
        if seen.moderate {
            // Hidden posts of others are shown to moderators only; each is logged first.
            for record in rows.iter().filter(|r| r.hidden && !r.deleted && !wrote(key.as_ref(), r, me)) {
                self.audit_hidden_post(association, caller, &seen, &record.id).await?;
            }
        }
        let next_after = if more { rows.last().map(|r| r.number) } else { None };
        let last_number = rows.last().map(|r| r.number);
        // Posts shown under the pseudonym of a member in a block with the
        // caller are left out (numbers and paging stay those of the topic);
        // anonymous and alias posts never are.
        rows.retain(|r| !observed_author(alias_mode, r.anonymous, r.author_id.as_deref()).blocked_for(&blocked));
        let posts = rows
            .into_iter()
            .map(|record| {
                let own = wrote(key.as_ref(), &record, me);
                let mut kinds = reactions.remove(&record.id).unwrap_or_default();
                kinds.sort_by_key(|r| REACTIONS.iter().position(|k| *k == r.kind));
                post_view(record, alias_mode, own, seen.moderate, kinds)
            })
            .collect();
        // Written only when the marker moves: reading a page again writes nothing.
        let moves = reading == Reading::MovesMarker;
        if let Some(number) = last_number.filter(|n| moves && last_read.is_none_or(|r| r < *n)) {
            self.store.mark_read(&association.id, seen.id.as_str(), me, number, self.clock.now()).await?;
        }
        let place_name = match (&seen.category, &seen.group) {
            (Some(c), _) => c.name.clone(),
            (_, Some(g)) => g.record.name.clone(),
            _ => String::new(),
        };
        // Whoever opens a hidden topic is its author or a moderator (the gate).
        let hidden_reason = if seen.record.hidden {
            self.store.topic_hidden_reason(&association.id, seen.id.as_str()).await?
        } else {
            None
        };
        let topic = TopicView {
            id: seen.id.to_string(),
            anonymous_allowed: seen.anonymous_allowed(),
            ask_professional: seen.ask_professional(),
            alias_mode,
            title: seen.record.title.clone(),
            category_id: seen.record.category_id.clone(),
            group_id: seen.record.group_id.clone(),
            place_name,
            pinned: seen.record.pinned,
            locked: seen.record.locked,
            hidden: seen.record.hidden,
            hidden_reason,
            post_count: seen.record.post_count,
            created_at: seen.record.created_at,
            last_post_at: seen.record.last_post_at,
            subscribed,
            can_reply: seen.write,
            can_moderate: seen.moderate,
        };
        Ok(TopicPage { topic, posts, next_after })
    }

    /// A post the caller may read: through its topic's gate; a post hidden
    /// from them is `NotFound` like one never written.
    async fn seen_post(
        &self,
        association: &Association,
        caller: &Caller,
        post: &str,
    ) -> Result<SeenPost, ForumActionError> {
        let id = PostId::parse(post).ok_or(ForumActionError::NotFound)?;
        let (topic_id, _) =
            self.store.post_place(&association.id, id.as_str()).await?.ok_or(ForumActionError::NotFound)?;
        let topic = self.topic_access(association, caller, &topic_id).await?;
        let group_id = topic.group.as_ref().map(|g| g.id.as_str());
        let record = self
            .store
            .post(&association.id, topic.id.as_str(), group_id, id.as_str())
            .await?
            .ok_or(ForumActionError::NotFound)?;
        let key = if record.anonymous { Some(self.keys.association(&association.id)?) } else { None };
        let own = wrote(key.as_ref(), &record, &caller.member.id);
        if record.hidden && !own && !topic.moderate {
            return Err(ForumActionError::NotFound);
        }
        let author = observed_author(topic.alias_mode(), record.anonymous, record.author_id.as_deref());
        if !own && self.block_hides(association, caller, author).await? {
            return Err(ForumActionError::NotFound);
        }
        if record.hidden && !record.deleted && !own {
            self.audit_hidden_post(association, caller, &topic, &record.id).await?;
        }
        Ok(SeenPost { topic, record, own })
    }

    /// The visible edit history of a post: its earlier versions.
    pub async fn post_history(
        &self,
        association: &Association,
        caller: &Caller,
        post: &str,
    ) -> Result<Vec<PostVersion>, ForumActionError> {
        let seen = self.seen_post(association, caller, post).await?;
        if seen.record.deleted {
            return Ok(Vec::new());
        }
        let versions = self.store.post_edits(&association.id, &seen.record.id).await?;
        Ok(versions
            .into_iter()
            .map(|v| PostVersion { html: v.html, written_at: v.written_at, replaced_at: v.replaced_at })
            .collect())
    }

    /// What a reply quoting this post starts from.
    pub async fn quote_source(
        &self,
        association: &Association,
        caller: &Caller,
        post: &str,
    ) -> Result<QuoteSource, ForumActionError> {
        let seen = self.seen_post(association, caller, post).await?;
        if seen.record.deleted {
            return Err(ForumActionError::NotFound);
        }
        let alias_mode = seen.topic.alias_mode();
        let view = post_view(seen.record.clone(), alias_mode, seen.own, seen.topic.moderate, Vec::new());
        Ok(QuoteSource {
            post_id: seen.record.id,
            number: seen.record.number,
            author: view.author,
            body: seen.record.body,
        })
    }

    /// The topic of a post the caller may read.
    pub async fn post_topic(
        &self,
        association: &Association,
        caller: &Caller,
        post: &str,
    ) -> Result<String, ForumActionError> {
        Ok(self.seen_post(association, caller, post).await?.topic.id.to_string())
    }

    /// Where a post the caller may read stands: its topic and number (the
    /// pages go back to it there, at `#post-{number}`).
    pub async fn post_place(
        &self,
        association: &Association,
        caller: &Caller,
        post: &str,
    ) -> Result<PostPlace, ForumActionError> {
        let seen = self.seen_post(association, caller, post).await?;
        Ok(PostPlace { topic_id: seen.topic.id.to_string(), number: seen.record.number })
    }

    /// Whether the caller wrote this post (also an anonymous one) and it still stands.
    pub async fn own_post(
        &self,
        association: &Association,
        caller: &Caller,
        post: &str,
    ) -> Result<bool, ForumActionError> {
        let seen = self.seen_post(association, caller, post).await?;
        Ok(seen.own && !seen.record.deleted)
    }

    // ------------------------------------------------------------------ own posts

    /// Changes one's own post (anonymous ones too); the earlier version
    /// stays in the visible history. Moderators cannot change others' text.
    pub async fn edit_post(
        &self,
        association: &Association,
        caller: &Caller,
        post: &str,
        body: &str,
    ) -> Result<(), ForumActionError> {
        let seen = self.seen_post(association, caller, post).await?;
        if seen.record.deleted {
            return Err(ForumActionError::NotFound);
        }
        if !seen.own {
            return Err(ForumActionError::Forbidden);
        }
        let body = clean_body(body).map_err(|p| ForumActionError::Invalid(vec![("body", p)]))?;
        let group = seen.topic.group.as_ref();
        let writer = (!seen.record.anonymous).then_some(&caller.member.id);
        let topic = Some(seen.topic.id.as_str());
        let (_, mentioned_before) = self.render_post(association, group, writer, topic, &seen.record.body).await?;
        let (rendered, mentioned) = self.render_post(association, group, writer, topic, &body).await?;
        let title = if seen.record.number == 1 { seen.topic.record.title.as_str() } else { "" };
        let edit_id = PostId::random();
        let done = self
            .store
            .edit_post(
                &association.id,
                &seen.record.id,
                edit_id.as_str(),
                &body,
                &rendered.html,
                &rendered.text,
                title,
                self.clock.now(),
            )
            .await?;
        if !done {
            return Err(ForumActionError::NotFound);
        }
        let newly: Vec<String> = mentioned.into_iter().filter(|m| !mentioned_before.contains(m)).collect();
        let anonymous = seen.record.anonymous;
        self.notify_new_mentions(association, caller, &seen.topic, &seen.record.id, anonymous, &newly).await;
        Ok(())
    }

    /// Deletes one's own post: the content goes, a mark stays.
    pub async fn delete_post(
        &self,
        association: &Association,
        caller: &Caller,
        post: &str,
    ) -> Result<(), ForumActionError> {
        let seen = self.seen_post(association, caller, post).await?;
        if seen.record.deleted {
            return Err(ForumActionError::NotFound);
        }
        if !seen.own {
            return Err(ForumActionError::Forbidden);
        }
        if !self.store.delete_post(&association.id, &seen.record.id).await? {
            return Err(ForumActionError::NotFound);
        }
        Ok(())
    }

    // ------------------------------------------------------------------ reactions, subscriptions

    /// Adds (`on`) or takes back one's reaction of a kind; where the post
    /// stands, so that the page goes back to it. `in_topic`: the topic the
    /// request came from (a topic page's reaction form), the post must be in it.
    pub async fn react(
        &self,
        association: &Association,
        caller: &Caller,
        post: &str,
        in_topic: Option<&str>,
        kind: &str,
        on: bool,
    ) -> Result<PostPlace, ForumActionError> {
        let seen = self.seen_post(association, caller, post).await?;
        // A topic page's single reaction form names its topic: a post of
        // another topic is not found there, like an unknown one.
        if seen.record.deleted || in_topic.is_some_and(|t| t != seen.record.topic_id) {
            return Err(ForumActionError::NotFound);
        }
        let Some(kind) = REACTIONS.iter().find(|k| **k == kind) else {
            return Err(ForumActionError::Invalid(vec![("kind", "must be heart, hug, thanks or helpful")]));
        };
        if !seen.topic.participant() {
            return Err(ForumActionError::Forbidden);
        }
        if on {
            self.store
                .add_reaction(&association.id, &seen.record.id, &caller.member.id, kind, self.clock.now())
                .await?;
        } else {
            self.store.remove_reaction(&association.id, &seen.record.id, &caller.member.id, kind).await?;
        }
        Ok(PostPlace { topic_id: seen.record.topic_id, number: seen.record.number })
    }

    /// A reaction from a topic page's single reaction form, which names the
    /// post by its number in the topic (or, from a page written before, by
    /// its id). The topic's gate comes first, so that a topic the caller
    /// may not see answers the same whatever its posts.
    pub async fn react_in_topic(
        &self,
        association: &Association,
        caller: &Caller,
        topic: &str,
        post: &PostRef,
        kind: &str,
        on: bool,
    ) -> Result<(String, PostPlace), ForumActionError> {
        let id = match post {
            PostRef::Id(id) => id.to_string(),
            PostRef::Number(number) => {
                let seen = self.topic_access(association, caller, topic).await?;
                self.store
                    .post_at(&association.id, seen.id.as_str(), *number)
                    .await?
                    .ok_or(ForumActionError::NotFound)?
            }
        };
        let place = self.react(association, caller, &id, Some(topic), kind, on).await?;
        Ok((id, place))
    }

    /// Subscribes to (`on`) or leaves a topic's notifications.
    pub async fn set_subscription(
        &self,
        association: &Association,
        caller: &Caller,
        topic: &str,
        on: bool,
    ) -> Result<(), ForumActionError> {
        let seen = self.topic_access(association, caller, topic).await?;
        let me = &caller.member.id;
        if on {
            self.store.subscribe(&association.id, seen.id.as_str(), me, self.clock.now()).await?;
        } else {
            self.store.unsubscribe(&association.id, seen.id.as_str(), me).await?;
        }
        Ok(())
    }
}
