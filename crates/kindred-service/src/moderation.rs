//! service::moderation — reports and what moderators do about them: hide
//! and restore posts and topics, lock, pin, move, warn, each with a reason
//! that is kept (table `moderation_actions`) and written to the audit log
//! before anything changes.
//!
//! Every target goes through `service::forum::topic_access`: a post or
//! topic the caller may not read is `NotFound`, exactly like an unknown
//! id; one they may read but not moderate is `Forbidden`.
//!
//! Reports are routed by kind: `crisis` at once to the staff on duty
//! (active admins and moderators; for content of a secret group, which
//! staff cannot see, that group's moderators) by an in-app notification
//! and a mail without any content, and the reporter gets the
//! association's crisis contacts; `medical_advice` to the professionals
//! who may read the content as well as to the moderators' queue; the
//! rest to the moderators' queue. Nothing identifies the reporter to
//! anyone; nothing identifies the author of an anonymous post, and in an
//! alias group authors appear by their alias only.

use crate::forum::{staff_moderates, ForumError, SeenTopic};
use crate::groups::SeenGroup;
use crate::sessions::Caller;
use crate::throttle::{Rule, Throttled};
use crate::{Association, Kindred};
use chrono::{DateTime, Duration, Utc};
use kindred_domain::groups::{move_keeps_authors, ForumPlace};
use kindred_domain::id::random_token;
use kindred_domain::settings::CrisisContact;
use kindred_domain::text::{self, Lines};
use kindred_domain::{AccountRole, CategoryId, NotificationId, PostId, ReportId};
use kindred_store::{
    ModeratedPost, ModerationChange, NewAuditEntry, NewModerationAction, NewNotification, NewReport, Recipient,
    ReportRecord, StoreError,
};
use std::collections::HashMap;

/// Reports a member may file per day.
pub const REPORTS: Rule = Rule { bucket: "reports", limit: 30, window: Duration::hours(24) };
/// Longest free-text reason of a report, in characters.
pub const MAX_REPORT_REASON: usize = 1000;
/// Longest details of a report, in characters.
pub const MAX_REPORT_DETAILS: usize = 2000;
/// Longest reason of a moderation action (and note on a closed report).
pub const MAX_ACTION_REASON: usize = 500;
/// How many reports the queue reads at most.
const QUEUE_LIMIT: i64 = 500;
/// Length of the excerpt of reported content.
const EXCERPT_CHARS: usize = 240;

#[derive(Debug, thiserror::Error)]
pub enum ModerationError {
    /// No such post, topic or report — or one the caller may not learn exists.
    #[error("not found")]
    NotFound,
    /// The caller sees it but may not moderate it.
    #[error("not allowed")]
    Forbidden,
    #[error("some fields are invalid")]
    Invalid(Vec<(&'static str, String)>),
    /// A warning for an anonymous post: nobody knows whom to warn.
    #[error("the author of this post is not known")]
    AuthorUnknown,
    /// Moving out of or into an alias group, or out of a secret group, would
    /// tie posts to pseudonyms or membership.
    #[error("this topic cannot be moved there")]
    MoveNotAllowed,
    #[error("this report is closed already")]
    ReportClosed,
    #[error(transparent)]
    Throttled(#[from] Throttled),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<ForumError> for ModerationError {
    fn from(error: ForumError) -> Self {
        match error {
            ForumError::NotFound => ModerationError::NotFound,
            ForumError::Forbidden => ModerationError::Forbidden,
            ForumError::Store(e) => ModerationError::Store(e),
        }
    }
}

fn invalid(field: &'static str, problem: impl Into<String>) -> ModerationError {
    ModerationError::Invalid(vec![(field, problem.into())])
}

/// What a report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportKind {
    Abuse,
    Spam,
    /// Questionable medical advice: professionals look at it too.
    MedicalAdvice,
    /// Someone may be in crisis: staff on duty at once.
    Crisis,
    Other,
}

impl ReportKind {
    pub const ALL: [ReportKind; 5] = [Self::Crisis, Self::MedicalAdvice, Self::Abuse, Self::Spam, Self::Other];

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "abuse" => Some(Self::Abuse),
            "spam" => Some(Self::Spam),
            "medical_advice" => Some(Self::MedicalAdvice),
            "crisis" => Some(Self::Crisis),
            "other" => Some(Self::Other),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Abuse => "abuse",
            Self::Spam => "spam",
            Self::MedicalAdvice => "medical_advice",
            Self::Crisis => "crisis",
            Self::Other => "other",
        }
    }
}

/// A post or a topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TargetType {
    Post,
    Topic,
}

impl TargetType {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "post" => Some(Self::Post),
            "topic" => Some(Self::Topic),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Post => "post",
            Self::Topic => "topic",
        }
    }
}

/// Where a report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportStatus {
    Open,
    Resolved,
    Dismissed,
}

impl ReportStatus {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "open" => Some(Self::Open),
            "resolved" => Some(Self::Resolved),
            "dismissed" => Some(Self::Dismissed),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Resolved => "resolved",
            Self::Dismissed => "dismissed",
        }
    }
}

/// A report as sent: `reason` may be a kind code when `kind` is absent.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReportInput<'a> {
    pub target_type: &'a str,
    pub target_id: &'a str,
    pub reason: Option<&'a str>,
    pub kind: Option<&'a str>,
    pub details: Option<&'a str>,
}

/// The kind and the text to keep, from what a reporter sent. If `kind` is
/// absent and `reason` is a kind code, that is the kind; otherwise `kind`
/// (if given) must be a kind code and `reason` is free text; with neither,
/// the kind is `other`. Details are appended to the free text.
pub fn parse_report(
    kind: Option<&str>,
    reason: Option<&str>,
    details: Option<&str>,
) -> Result<(ReportKind, String), Vec<(&'static str, String)>> {
    let mut problems = Vec::new();
    let reason = reason.map(str::trim).unwrap_or("");
    let details = details.map(str::trim).unwrap_or("");
    let (kind, free) = match (kind.map(str::trim), ReportKind::parse(reason)) {
        (None, Some(k)) => (k, ""),
        (None, None) => (ReportKind::Other, reason),
        (Some(raw), _) => match ReportKind::parse(raw) {
            Some(k) => (k, reason),
            None => {
                problems.push(("kind", "must be abuse, spam, medical_advice, crisis or other".to_owned()));
                (ReportKind::Other, reason)
            }
        },
    };
    if free.chars().count() > MAX_REPORT_REASON {
        problems.push(("reason", format!("at most {MAX_REPORT_REASON} characters")));
    } else if let Some(problem) = text::problem(free, Lines::Many) {
        problems.push(("reason", problem.message().to_owned()));
    }
    if details.chars().count() > MAX_REPORT_DETAILS {
        problems.push(("details", format!("at most {MAX_REPORT_DETAILS} characters")));
    } else if let Some(problem) = text::problem(details, Lines::Many) {
        problems.push(("details", problem.message().to_owned()));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let text = [free, details].into_iter().filter(|t| !t.is_empty()).collect::<Vec<_>>().join("\n\n");
    Ok((kind, text.replace("\r\n", "\n").replace('\r', "\n")))
}

/// The reason of a moderation action: 1 to 500 characters.
pub fn parse_reason(raw: &str) -> Result<String, ModerationError> {
    let reason = raw.trim();
    if reason.is_empty() {
        return Err(invalid("reason", "is required"));
    }
    if reason.chars().count() > MAX_ACTION_REASON {
        return Err(invalid("reason", format!("at most {MAX_ACTION_REASON} characters")));
    }
    text::clean(reason, Lines::Many).map_err(|problem| invalid("reason", problem.message()))
}

/// Plain text cut to a short excerpt, whitespace folded.
fn excerpt(text: &str) -> String {
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.chars().count() <= EXCERPT_CHARS {
        return folded;
    }
    let mut cut: String = folded.chars().take(EXCERPT_CHARS).collect();
    cut.push('…');
    cut
}

/// A filed report.
#[derive(Debug, Clone)]
pub struct FiledReport {
    pub id: ReportId,
    pub kind: ReportKind,
    /// For a crisis report: whom the reporter may call or visit now.
    pub crisis_contacts: Vec<CrisisContact>,
}

/// Reported or moderated content as the caller may see it.
#[derive(Debug, Clone)]
pub struct TargetView {
    pub target_type: TargetType,
    pub id: String,
    pub topic_id: String,
    pub topic_title: String,
    /// Plain text: the post's, or for a topic its opening post's.
    pub excerpt: String,
    /// The author as the caller may know them: the alias in an alias
    /// group, else the pseudonym; `None` for anonymous content.
    pub author: Option<String>,
    pub hidden: bool,
    pub locked: bool,
    pub pinned: bool,
    /// The caller may moderate it.
    pub moderate: bool,
}

/// A report in the queue.
#[derive(Debug, Clone)]
pub struct QueueEntry {
    pub id: String,
    pub kind: ReportKind,
    pub reason: String,
    pub status: ReportStatus,
    pub created_at: DateTime<Utc>,
    pub target: TargetView,
}

/// What a moderator does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    HidePost,
    RestorePost,
    WarnPost,
    HideTopic,
    RestoreTopic,
    LockTopic,
    UnlockTopic,
    PinTopic,
    UnpinTopic,
    /// To a category or a group's forum (exactly one).
    MoveTopic {
        category_id: Option<String>,
        group_id: Option<String>,
    },
}

impl Action {
    pub fn target_type(&self) -> TargetType {
        match self {
            Self::HidePost | Self::RestorePost | Self::WarnPost => TargetType::Post,
            _ => TargetType::Topic,
        }
    }

    /// The name in `moderation_actions` and the audit log.
    pub fn name(&self) -> &'static str {
        match self {
            Self::HidePost => "post.hidden",
            Self::RestorePost => "post.restored",
            Self::WarnPost => "post.warned",
            Self::HideTopic => "topic.hidden",
            Self::RestoreTopic => "topic.restored",
            Self::LockTopic => "topic.locked",
            Self::UnlockTopic => "topic.unlocked",
            Self::PinTopic => "topic.pinned",
            Self::UnpinTopic => "topic.unpinned",
            Self::MoveTopic { .. } => "topic.moved",
        }
    }
}

/// One entry of a target's moderation history.
#[derive(Debug, Clone)]
pub struct ActionView {
    pub id: String,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

/// A target found for the caller.
struct Resolved {
    target_type: TargetType,
    id: String,
    topic: SeenTopic,
    post: Option<ModeratedPost>,
}

/// Whether `change` would leave the post or topic as it already is.
/// A warning (`Nothing`) always acts: it is a message, not a state.
fn changes_nothing(change: &ModerationChange, resolved: &Resolved) -> bool {
    let topic = &resolved.topic.record;
    let post = resolved.post.as_ref();
    match change {
        ModerationChange::HidePost { .. } => post.is_some_and(|p| p.hidden),
        ModerationChange::RestorePost { .. } => post.is_some_and(|p| !p.hidden),
        ModerationChange::TopicHidden { hidden, .. } => topic.hidden == *hidden,
        ModerationChange::TopicLocked { locked, .. } => topic.locked == *locked,
        ModerationChange::TopicPinned { pinned, .. } => topic.pinned == *pinned,
        ModerationChange::MoveTopic { to_category, to_group, .. } => {
            topic.category_id == *to_category && topic.group_id == *to_group
        }
        ModerationChange::Nothing => false,
    }
}

fn notification(
    member: &str,
    kind: &'static str,
    topic: &str,
    post: Option<&str>,
    detail: Option<&str>,
) -> NewNotification {
    NewNotification {
        id: NotificationId::random().as_str().to_owned(),
        member_id: member.to_owned(),
        kind,
        topic_id: Some(topic.to_owned()),
        post_id: post.map(str::to_owned),
        detail: detail.map(str::to_owned),
    }
}

fn is_secret(topic: &SeenTopic) -> bool {
    topic.group.as_ref().is_some_and(|g| g.record.visibility == "secret")
}

fn is_alias(topic: &SeenTopic) -> bool {
    topic.group.as_ref().is_some_and(|g| g.record.alias_mode)
}

impl Kindred {
    /// The post or topic as the caller may see it; `NotFound` for anything
    /// they may not read (a deleted post, a hidden post of someone else
    /// when they do not moderate, any unknown id).
    async fn resolve_target(
        &self,
        association: &Association,
        caller: &Caller,
        target_type: TargetType,
        id: &str,
    ) -> Result<Resolved, ModerationError> {
        match target_type {
            TargetType::Topic => {
                let topic = self.topic_access(association, caller, id).await?;
                Ok(Resolved { target_type, id: topic.id.as_str().to_owned(), topic, post: None })
            }
            TargetType::Post => {
                let post_id = PostId::parse(id).ok_or(ModerationError::NotFound)?;
                let post = self
                    .store
                    .moderated_post(&association.id, post_id.as_str())
                    .await?
                    .ok_or(ModerationError::NotFound)?;
                if post.deleted {
                    return Err(ModerationError::NotFound);
                }
                let topic = self.topic_access(association, caller, &post.topic_id).await?;
                let own = post.author_id.as_deref() == Some(caller.member.id.as_str());
                if post.hidden && !topic.moderate && !own {
                    return Err(ModerationError::NotFound);
                }
                if post.hidden && !own {
                    self.audit_hidden_post(association, caller, &topic, &post.id).await?;
                }
                Ok(Resolved { target_type, id: post.id.clone(), topic, post: Some(post) })
            }
        }
    }

    /// How the caller may know an author: never for anonymous content, by
    /// the alias in an alias group, else by pseudonym.
    async fn author_label(
        &self,
        association: &Association,
        topic: &SeenTopic,
        author: Option<&str>,
        anonymous: bool,
    ) -> Result<Option<String>, StoreError> {
        let Some(author) = author.filter(|_| !anonymous) else { return Ok(None) };
        match &topic.group {
            Some(group) if group.record.alias_mode => {
                self.store.alias_of(&association.id, group.id.as_str(), author).await
            }
            _ => self.store.pseudonym_of(&association.id, author).await,
        }
    }

    async fn target_view(&self, association: &Association, resolved: &Resolved) -> Result<TargetView, StoreError> {
        let topic = &resolved.topic;
        let (text, author, anonymous, hidden) = match &resolved.post {
            Some(post) => (post.text.clone(), post.author_id.as_deref(), post.anonymous, post.hidden),
            None => (
                self.store.opening_text(&association.id, topic.id.as_str()).await?.unwrap_or_default(),
                topic.record.author_id.as_deref(),
                topic.record.anonymous,
                topic.record.hidden,
            ),
        };
        Ok(TargetView {
            target_type: resolved.target_type,
            id: resolved.id.clone(),
            topic_id: topic.id.as_str().to_owned(),
            topic_title: topic.record.title.clone(),
            excerpt: excerpt(&text),
            author: self.author_label(association, topic, author, anonymous).await?,
            hidden,
            locked: topic.record.locked,
            pinned: topic.record.pinned,
            moderate: topic.moderate,
        })
    }

    /// What a report form shows of the content to report.
    pub async fn report_target(
        &self,
        association: &Association,
        caller: &Caller,
        target_type: &str,
        target_id: &str,
    ) -> Result<TargetView, ModerationError> {
        let target_type = TargetType::parse(target_type).ok_or(ModerationError::NotFound)?;
        let resolved = self.resolve_target(association, caller, target_type, target_id).await?;
        Ok(self.target_view(association, &resolved).await?)
    }

    /// Files a report. Checked in this order, so that a bad body writes
    /// nothing and an invisible target answers like an unknown id: the
    /// fields, the member's pace, the target.
    pub async fn file_report(
        &self,
        association: &Association,
        caller: &Caller,
        input: ReportInput<'_>,
    ) -> Result<FiledReport, ModerationError> {
        let target_type = TargetType::parse(input.target_type.trim());
        let parsed = parse_report(input.kind, input.reason, input.details);
        let (target_type, (kind, reason)) = match (target_type, parsed) {
            (Some(t), Ok(p)) => (t, p),
            (t, parsed) => {
                let mut problems = parsed.err().unwrap_or_default();
                if t.is_none() {
                    problems.insert(0, ("target_type", "must be post, topic or message".to_owned()));
                }
                return Err(ModerationError::Invalid(problems));
            }
        };
        self.count_attempt(association, REPORTS, caller.member.id.as_str()).await??;
        let resolved = self.resolve_target(association, caller, target_type, input.target_id.trim()).await?;
        let id = ReportId::random();
        let topic = &resolved.topic;
        let post = resolved.post.as_ref().map(|p| p.id.as_str());
        let (recipients, notice_kind) = self.report_recipients(association, topic, kind).await?;
        let recipients: Vec<Recipient> = recipients.into_iter().filter(|r| r.id != caller.member.id.as_str()).collect();
        let notifications: Vec<NewNotification> = match notice_kind {
            Some(notice_kind) => {
                recipients.iter().map(|r| notification(&r.id, notice_kind, topic.id.as_str(), post, None)).collect()
            }
            None => Vec::new(),
        };
        self.store
            .insert_report(
                &NewReport {
                    association: &association.id,
                    id: id.as_str(),
                    reporter: &caller.member.id,
                    target_type: target_type.as_str(),
                    target_id: &resolved.id,
                    kind: kind.as_str(),
                    reason: &reason,
                    at: self.clock.now(),
                },
                &notifications,
            )
            .await?;
        // Mailed by service::mail_delivery; a crisis report at once,
        // whatever the staff chose and even in their quiet hours.
        self.notifications_written(association, notifications.iter().map(|n| (n.member_id.as_str(), n.id.as_str())))
            .await;
        let crisis_contacts =
            if kind == ReportKind::Crisis { association.settings.crisis_contacts.clone() } else { Vec::new() };
        Ok(FiledReport { id, kind, crisis_contacts })
    }

    /// Who hears of a report at once, and the notification kind.
    async fn report_recipients(
        &self,
        association: &Association,
        topic: &SeenTopic,
        kind: ReportKind,
    ) -> Result<(Vec<Recipient>, Option<&'static str>), StoreError> {
        let store = &self.store;
        let mut found = match kind {
            ReportKind::Crisis => {
                let mut found = Vec::new();
                if !is_secret(topic) {
                    found.extend(store.active_with_roles(&association.id, &["admin", "moderator"]).await?);
                }
                if let Some(group) = &topic.group {
                    found.extend(store.active_group_members(&association.id, group.id.as_str(), true, None).await?);
                }
                found
            }
            ReportKind::MedicalAdvice => match &topic.group {
                // Professionals who may read it: everyone reads open groups
                // and categories; closed and secret ones only their members.
                Some(group) if group.record.visibility != "open" => {
                    store.active_group_members(&association.id, group.id.as_str(), false, Some("professional")).await?
                }
                _ => store.active_with_roles(&association.id, &["professional"]).await?,
            },
            _ => Vec::new(),
        };
        let mut seen = std::collections::HashSet::new();
        found.retain(|r| seen.insert(r.id.clone()));
        let notice = match kind {
            ReportKind::Crisis => Some("crisis_report"),
            ReportKind::MedicalAdvice => Some("medical_report"),
            _ => None,
        };
        Ok((found, notice))
    }

    /// Whether the caller has a queue at all: staff, professionals, group
    /// moderators (the pages show them the way to it).
    pub async fn has_queue(&self, association: &Association, caller: &Caller) -> Result<bool, StoreError> {
        if matches!(caller.member.role, AccountRole::Admin | AccountRole::Moderator | AccountRole::Professional) {
            return Ok(true);
        }
        self.store.moderates_a_group(&association.id, &caller.member.id).await
    }

    /// The reports the caller may act on (or, for professionals, look at):
    /// those on content they moderate, and for professionals the
    /// questionable medical advice they may read. Crisis reports first,
    /// newest first; then the rest, oldest first. `kind` keeps reports of
    /// that kind only (the queue's tabs); `None` or empty: every kind.
    pub async fn report_queue(
        &self,
        association: &Association,
        caller: &Caller,
        status: Option<&str>,
        kind: Option<&str>,
    ) -> Result<Vec<QueueEntry>, ModerationError> {
        let status = match status.map(str::trim).filter(|s| !s.is_empty()) {
            None => ReportStatus::Open,
            Some(raw) => {
                ReportStatus::parse(raw).ok_or_else(|| invalid("status", "must be open, resolved or dismissed"))?
            }
        };
        let kind = match kind.map(str::trim).filter(|k| !k.is_empty()) {
            None => None,
            Some(raw) => Some(
                ReportKind::parse(raw)
                    .ok_or_else(|| invalid("kind", "must be crisis, medical_advice, abuse, spam or other"))?,
            ),
        };
        if !self.has_queue(association, caller).await? {
            return Err(ModerationError::Forbidden);
        }
        // Logged before any report is read. A member who has the queue only
        // as a moderator of an alias group is not named: the entry would
        // tie their account to what they do there under their alias.
        let staff_role =
            matches!(caller.member.role, AccountRole::Admin | AccountRole::Moderator | AccountRole::Professional);
        let masked = !staff_role && self.store.moderates_an_alias_group(&association.id, &caller.member.id).await?;
        self.append_moderation_audit(association, caller, masked, "reports.viewed", None, Some(status.as_str()))
            .await?;
        let professional = caller.member.role == AccountRole::Professional;
        let kind = kind.map(ReportKind::as_str);
        let reports = self.store.reports(&association.id, status.as_str(), kind, QUEUE_LIMIT).await?;
        let mut topics: HashMap<String, Option<SeenTopic>> = HashMap::new();
        let mut entries = Vec::new();
        for report in reports {
            let Some(kind) = ReportKind::parse(&report.kind) else { continue };
            let Some(target_type) = TargetType::parse(&report.target_type) else { continue };
            let Some(resolved) = self.resolve_cached(association, caller, target_type, &report, &mut topics).await?
            else {
                continue;
            };
            let allowed = resolved.topic.moderate || (professional && kind == ReportKind::MedicalAdvice);
            if !allowed {
                continue;
            }
            let target = self.target_view(association, &resolved).await?;
            entries.push(QueueEntry {
                id: report.id,
                kind,
                reason: report.reason,
                status: ReportStatus::parse(&report.status).unwrap_or(status),
                created_at: report.created_at,
                target,
            });
        }
        let (mut crisis, mut rest): (Vec<_>, Vec<_>) = entries.into_iter().partition(|e| e.kind == ReportKind::Crisis);
        crisis.sort_by(|a, b| b.created_at.cmp(&a.created_at).then_with(|| b.id.cmp(&a.id)));
        rest.sort_by(|a, b| a.created_at.cmp(&b.created_at).then_with(|| a.id.cmp(&b.id)));
        crisis.extend(rest);
        Ok(crisis)
    }

    /// [`Kindred::resolve_target`] for the queue: each topic's access is
    /// looked up once; anything not visible is `None`.
    async fn resolve_cached(
        &self,
        association: &Association,
        caller: &Caller,
        target_type: TargetType,
        report: &ReportRecord,
        topics: &mut HashMap<String, Option<SeenTopic>>,
    ) -> Result<Option<Resolved>, ModerationError> {
        let (topic_id, post) = match target_type {
            TargetType::Topic => (report.target_id.clone(), None),
            TargetType::Post => match self.store.moderated_post(&association.id, &report.target_id).await? {
                Some(post) if !post.deleted => (post.topic_id.clone(), Some(post)),
                _ => return Ok(None),
            },
        };
        if !topics.contains_key(&topic_id) {
            let seen = match self.topic_access(association, caller, &topic_id).await {
                Ok(topic) => Some(topic),
                Err(ForumError::NotFound | ForumError::Forbidden) => None,
                Err(ForumError::Store(e)) => return Err(e.into()),
            };
            topics.insert(topic_id.clone(), seen);
        }
        let Some(Some(topic)) = topics.get(&topic_id) else { return Ok(None) };
        if let Some(post) = &post {
            let own = post.author_id.as_deref() == Some(caller.member.id.as_str());
            if post.hidden && !topic.moderate && !own {
                return Ok(None);
            }
            if post.hidden && !own {
                self.audit_hidden_post(association, caller, topic, &post.id).await?;
            }
        }
        Ok(Some(Resolved { target_type, id: report.target_id.clone(), topic: topic.clone(), post }))
    }

    /// Appends to the audit log; in an alias group a member of the group
    /// acts without their account being named (that would tie the alias
    /// of a group moderator to a pseudonym).
    pub(crate) async fn audit_moderation(
        &self,
        association: &Association,
        caller: &Caller,
        topic: &SeenTopic,
        action: &str,
        target: &str,
        detail: Option<&str>,
    ) -> Result<(), StoreError> {
        let masked = is_alias(topic) && topic.group.as_ref().is_some_and(|g| g.my_alias.is_some());
        self.append_moderation_audit(association, caller, masked, action, Some(target), detail).await
    }

    /// Appends to the audit log, naming the caller unless `masked`.
    pub(crate) async fn append_moderation_audit(
        &self,
        association: &Association,
        caller: &Caller,
        masked: bool,
        action: &str,
        target: Option<&str>,
        detail: Option<&str>,
    ) -> Result<(), StoreError> {
        let id = random_token();
        self.store
            .append_audit(&NewAuditEntry {
                id: &id[..26],
                association_id: &association.id,
                at: self.clock.now(),
                actor_id: if masked { None } else { Some(caller.member.id.as_str()) },
                action,
                target_id: target,
                detail,
            })
            .await
    }

    /// A moderator reads a post hidden from everyone else (not their own):
    /// logged before it is shown.
    pub(crate) async fn audit_hidden_post(
        &self,
        association: &Association,
        caller: &Caller,
        topic: &SeenTopic,
        post: &str,
    ) -> Result<(), StoreError> {
        self.audit_moderation(association, caller, topic, "post.hidden_viewed", post, None).await
    }

    /// Closes a report as resolved or dismissed, with an optional note.
    pub async fn close_report(
        &self,
        association: &Association,
        caller: &Caller,
        report_id: &str,
        resolution: &str,
        note: Option<&str>,
    ) -> Result<(), ModerationError> {
        let status = match ReportStatus::parse(resolution.trim()) {
            Some(s @ (ReportStatus::Resolved | ReportStatus::Dismissed)) => s,
            _ => return Err(invalid("resolution", "must be resolved or dismissed")),
        };
        let note = note.map(str::trim).unwrap_or("");
        if note.chars().count() > MAX_ACTION_REASON {
            return Err(invalid("note", format!("at most {MAX_ACTION_REASON} characters")));
        }
        let note = &text::clean(note, Lines::Many).map_err(|problem| invalid("note", problem.message()))?;
        let id = ReportId::parse(report_id.trim()).ok_or(ModerationError::NotFound)?;
        let report = self.store.report(&association.id, id.as_str()).await?.ok_or(ModerationError::NotFound)?;
        let target_type = TargetType::parse(&report.target_type)
            .ok_or_else(|| StoreError::Corrupt(format!("report target type {}", report.target_type)))?;
        let resolved = self.resolve_target(association, caller, target_type, &report.target_id).await?;
        if !resolved.topic.moderate {
            return Err(ModerationError::Forbidden);
        }
        let action = format!("report.{}", status.as_str());
        if report.status != "open" {
            // Nothing changes, but the moderator reached the report: logged all the same.
            let detail = format!("already {}", report.status);
            self.audit_moderation(association, caller, &resolved.topic, &action, id.as_str(), Some(&detail)).await?;
            return Err(ModerationError::ReportClosed);
        }
        self.audit_moderation(association, caller, &resolved.topic, &action, id.as_str(), Some(note)).await?;
        let record_id = random_token();
        let record = NewModerationAction {
            association: &association.id,
            id: &record_id[..26],
            actor: &caller.member.id,
            action: &action,
            target_type: target_type.as_str(),
            target_id: &resolved.id,
            reason: note,
            at: self.clock.now(),
        };
        if !self.store.close_report(&association.id, id.as_str(), status.as_str(), note, &record).await? {
            return Err(ModerationError::ReportClosed);
        }
        Ok(())
    }

    /// Hides, restores, locks, pins, moves or warns, with a reason kept in
    /// `moderation_actions` and the audit log (written first).
    pub async fn moderate(
        &self,
        association: &Association,
        caller: &Caller,
        target_id: &str,
        action: Action,
        raw_reason: &str,
    ) -> Result<(), ModerationError> {
        let reason = parse_reason(raw_reason)?;
        if let Action::MoveTopic { category_id, group_id } = &action {
            let given = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
            if given(category_id) == given(group_id) {
                return Err(invalid("category_id", "give either category_id or group_id"));
            }
        }
        let resolved = self.resolve_target(association, caller, action.target_type(), target_id.trim()).await?;
        let topic = &resolved.topic;
        if !topic.moderate {
            return Err(ModerationError::Forbidden);
        }
        let topic_id = topic.id.as_str().to_owned();
        let post = resolved.post.as_ref();
        // The author to tell, if any is known (never for anonymous content).
        let post_author = post.filter(|p| !p.anonymous).and_then(|p| p.author_id.clone());
        let topic_author = topic.record.author_id.clone().filter(|_| !topic.record.anonymous);
        let tell = |author: Option<String>, kind: &'static str| -> Vec<NewNotification> {
            author
                .filter(|a| a != caller.member.id.as_str())
                .map(|a| vec![notification(&a, kind, &topic_id, post.map(|p| p.id.as_str()), Some(&reason))])
                .unwrap_or_default()
        };
        let (change, notifications) = match &action {
            Action::HidePost => (
                ModerationChange::HidePost { post: resolved.id.clone(), reason: reason.clone() },
                tell(post_author, "moderation"),
            ),
            Action::RestorePost => (ModerationChange::RestorePost { post: resolved.id.clone() }, Vec::new()),
            Action::WarnPost => {
                let Some(author) = post_author else { return Err(ModerationError::AuthorUnknown) };
                (ModerationChange::Nothing, tell(Some(author), "warning"))
            }
            Action::HideTopic => (
                ModerationChange::TopicHidden { topic: topic_id.clone(), hidden: true },
                tell(topic_author, "moderation"),
            ),
            Action::RestoreTopic => {
                (ModerationChange::TopicHidden { topic: topic_id.clone(), hidden: false }, Vec::new())
            }
            Action::LockTopic => (ModerationChange::TopicLocked { topic: topic_id.clone(), locked: true }, Vec::new()),
            Action::UnlockTopic => {
                (ModerationChange::TopicLocked { topic: topic_id.clone(), locked: false }, Vec::new())
            }
            Action::PinTopic => (ModerationChange::TopicPinned { topic: topic_id.clone(), pinned: true }, Vec::new()),
            Action::UnpinTopic => {
                (ModerationChange::TopicPinned { topic: topic_id.clone(), pinned: false }, Vec::new())
            }
            Action::MoveTopic { category_id, group_id } => {
                (self.move_change(association, caller, topic, category_id, group_id).await?, Vec::new())
            }
        };
        self.audit_moderation(association, caller, topic, action.name(), &resolved.id, Some(&reason)).await?;
        if changes_nothing(&change, &resolved) {
            // Hiding what is hidden (or locking what is locked …) a second
            // time, say from two tabs or two moderators at once, answers as
            // the first did; the audit log has the request, as it has every
            // staff request that changes nothing, but the history does not
            // gain an action and the author is not told again.
            return Ok(());
        }
        let record_id = random_token();
        let record = NewModerationAction {
            association: &association.id,
            id: &record_id[..26],
            actor: &caller.member.id,
            action: action.name(),
            target_type: action.target_type().as_str(),
            target_id: &resolved.id,
            reason: &reason,
            at: self.clock.now(),
        };
        self.store.apply_moderation(&change, &record, &notifications).await?;
        self.notifications_written(association, notifications.iter().map(|n| (n.member_id.as_str(), n.id.as_str())))
            .await;
        Ok(())
    }

    /// Where a topic may move: a category (staff only) or a group the
    /// caller moderates, and only where it does not widen who sees its
    /// authors (`kindred_domain::groups::move_keeps_authors`: never into or
    /// out of an alias group, nor out of a secret group or a closed one
    /// whose member list is not public).
    async fn move_change(
        &self,
        association: &Association,
        caller: &Caller,
        topic: &SeenTopic,
        category_id: &Option<String>,
        group_id: &Option<String>,
    ) -> Result<ModerationChange, ModerationError> {
        let category = category_id.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let group = group_id.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let (to_category, to_group) = match (category, group) {
            (Some(raw), None) => {
                let id = CategoryId::parse(raw).ok_or_else(|| invalid("category_id", "no such category"))?;
                if !self.store.category_exists(&association.id, id.as_str()).await? {
                    return Err(invalid("category_id", "no such category"));
                }
                if !staff_moderates(caller) {
                    return Err(ModerationError::Forbidden);
                }
                (Some(id.as_str().to_owned()), None)
            }
            (None, Some(raw)) => {
                let seen = match self.group_access(association, caller, raw).await {
                    Ok(seen) => seen,
                    Err(crate::groups::GroupError::Store(e)) => return Err(e.into()),
                    Err(_) => return Err(invalid("group_id", "no such group")),
                };
                if !seen.access.moderate {
                    return Err(ModerationError::Forbidden);
                }
                let from = topic.group.as_ref().map_or(ForumPlace::Category, SeenGroup::forum_place);
                if !move_keeps_authors(&from, &seen.forum_place()) {
                    return Err(ModerationError::MoveNotAllowed);
                }
                (None, Some(seen.id.as_str().to_owned()))
            }
            _ => return Err(invalid("category_id", "give either category_id or group_id")),
        };
        if to_category.is_some() {
            let from = topic.group.as_ref().map_or(ForumPlace::Category, SeenGroup::forum_place);
            if !move_keeps_authors(&from, &ForumPlace::Category) {
                return Err(ModerationError::MoveNotAllowed);
            }
        }
        Ok(ModerationChange::MoveTopic {
            topic: topic.id.as_str().to_owned(),
            from_category: topic.record.category_id.clone(),
            to_category,
            to_group,
        })
    }

    /// The moderation history of a post or topic, for those who moderate it.
    pub async fn moderation_history(
        &self,
        association: &Association,
        caller: &Caller,
        target_id: &str,
    ) -> Result<Vec<ActionView>, ModerationError> {
        let target_id = target_id.trim();
        if target_id.is_empty() {
            return Err(invalid("target_id", "is required"));
        }
        let is_post = match PostId::parse(target_id) {
            Some(id) => self.store.moderated_post(&association.id, id.as_str()).await?.is_some(),
            None => false,
        };
        let target_type = if is_post { TargetType::Post } else { TargetType::Topic };
        let resolved = self.resolve_target(association, caller, target_type, target_id).await?;
        if !resolved.topic.moderate {
            return Err(ModerationError::Forbidden);
        }
        self.audit_moderation(association, caller, &resolved.topic, "moderation_history.viewed", &resolved.id, None)
            .await?;
        let rows = self.store.moderation_actions(&association.id, &resolved.id).await?;
        Ok(rows
            .into_iter()
            .map(|r| ActionView {
                id: r.id,
                action: r.action,
                target_type: r.target_type,
                target_id: r.target_id,
                reason: r.reason,
                created_at: r.created_at,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kind_code_as_reason_is_the_kind() {
        assert_eq!(parse_report(None, Some("crisis"), None).map(|r| r.0), Ok(ReportKind::Crisis));
        assert_eq!(parse_report(None, Some("spam"), Some("Werbung")), Ok((ReportKind::Spam, "Werbung".to_owned())));
        assert_eq!(
            parse_report(None, Some("Beleidigt andere"), None),
            Ok((ReportKind::Other, "Beleidigt andere".to_owned()))
        );
        assert_eq!(parse_report(None, None, None), Ok((ReportKind::Other, String::new())));
        assert_eq!(
            parse_report(Some("abuse"), Some("crisis"), Some("more")),
            Ok((ReportKind::Abuse, "crisis\n\nmore".to_owned()))
        );
    }

    #[test]
    fn unknown_kinds_and_long_texts_are_refused() {
        let problems = parse_report(Some("rude"), Some(&"x".repeat(1001)), None).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.0).collect();
        assert_eq!(fields, vec!["kind", "reason"]);
        assert!(parse_report(None, Some(&"x".repeat(1000)), None).is_ok());
        assert!(parse_report(None, None, Some(&"x".repeat(2001))).is_err());
    }

    #[test]
    fn action_reasons_are_required_and_short() {
        assert!(matches!(parse_reason("  "), Err(ModerationError::Invalid(_))));
        assert!(matches!(parse_reason(&"x".repeat(501)), Err(ModerationError::Invalid(_))));
        assert_eq!(parse_reason(" Beleidigung ").ok().as_deref(), Some("Beleidigung"));
    }

    #[test]
    fn excerpts_fold_whitespace_and_stop() {
        assert_eq!(excerpt("a\n\n b"), "a b");
        let long = excerpt(&"wort ".repeat(100));
        assert_eq!(long.chars().count(), EXCERPT_CHARS + 1);
        assert!(long.ends_with('…'));
    }

    #[test]
    fn kinds_read_back() {
        for kind in ReportKind::ALL {
            assert_eq!(ReportKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(ReportKind::parse("Crisis"), None);
    }
}
