//! service::erasure — a member deletes their account (`DELETE /me`, the
//! page `/account/delete`), and retention erases accounts (service::jobs).
//!
//! One erasure, whoever starts it: `Kindred::erase_member` gathers what
//! only the service knows (which anonymous posts are the member's — their
//! seals are keyed —, the names under which others saw them, the keyed hash
//! that holds their pseudonym back) and `store::erasure` runs it in one
//! transaction. Registrations are taken back first through the events
//! store, so the first on a waiting list moves up and is told.
//!
//! [`TABLES`] names every table of the schema and what an erasure does to
//! it; a test fails when a table appears that it does not name.

use crate::crypto::CryptoError;
use crate::reauth::{Proof, ReauthError};
use crate::sessions::{Caller, Client};
use crate::{Association, Kindred};
use chrono::{DateTime, Duration, Utc};
use kindred_domain::account::skeleton_key;
use kindred_domain::id::random_token;
use kindred_domain::{AssociationId, MemberId};
use kindred_store::{Erasure, NewAuditEntry, StoreError};

/// What becomes of the member's posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostsChoice {
    /// The content goes; a mark "deleted" stays in the thread.
    Delete,
    /// The posts stay, shown as by a former member (where the association
    /// allows it: `[data] anonymise_allowed`).
    Anonymise,
}

impl PostsChoice {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "delete" => Some(Self::Delete),
            "anonymise" => Some(Self::Anonymise),
            _ => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ErasureError {
    #[error("the association does not allow keeping posts without a name")]
    AnonymiseNotAllowed,
    #[error(transparent)]
    Reauth(#[from] ReauthError),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Who or what started an erasure, for the audit log (never who was erased).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The member themselves.
    Member,
    /// Retention: no sign-in for the association's `inactive_months`.
    Inactive,
    /// Retention: a registration whose address was never confirmed.
    Unconfirmed,
}

impl Reason {
    fn detail(self) -> &'static str {
        match self {
            Self::Member => "by the member",
            Self::Inactive => "inactive",
            Self::Unconfirmed => "unconfirmed",
        }
    }
}

/// The title of a topic whose opener removed their posts; others' replies stay.
pub const REMOVED_TITLE: &str = "—";

/// The search-token purpose of the keyed hash that holds an erased
/// member's pseudonym back (`pseudonym_reservations`).
const RESERVATION: &str = "pseudonym-reservation";

/// Every table, and what erasing a member does to it. An invariant: the
/// erasure test compares this list with the schema of both databases.
pub const TABLES: &[(&str, &str)] = &[
    ("article_codes", "with their article"),
    ("articles", "drafts and those in review deleted; published ones kept without author (deleted with the posts when the member chose so); reviewer_id cleared"),
    ("association_hosts", "not personal"),
    ("associations", "not personal"),
    ("attempts", "throttling counters under keyed hashes or ids; swept by housekeeping"),
    ("audit_log", "append-only: keeps ids only; one entry 'account.erased' without who"),
    ("blocks", "deleted both ways (cascade)"),
    ("call_members", "the member's deleted"),
    ("call_signals", "to and from the member deleted (and swept after 60 s anyway)"),
    ("calls", "kept for the others in the conversation; started_by set to NULL; deleted with the conversation"),
    ("calendar_feeds", "deleted (cascade)"),
    ("community_groups", "kept; member_count lowered; created_by keeps an id that no longer resolves"),
    ("consents", "deleted (cascade)"),
    ("contact_requests", "deleted both ways (cascade), sealed messages with them"),
    ("contacts", "deleted both ways (cascade)"),
    ("conversation_keys", "deleted with a conversation left with at most one other member"),
    ("conversation_members", "deleted (cascade)"),
    ("conversations", "deleted when at most one other member is left"),
    ("disclosure_requests", "deleted both ways (cascade)"),
    ("email_tokens", "deleted (cascade)"),
    ("registration_decoys", "deleted with the decoy account (cascade); a decoy is an unconfirmed account and goes with them"),
    ("event_occurrence_changes", "not personal: one date of a series moved"),
    ("event_occurrences", "not personal"),
    ("event_registrations", "taken back first (the waiting list moves up), then deleted"),
    ("event_reminders", "deleted (cascade)"),
    ("events", "kept; registered_count lowered; created_by keeps an id that no longer resolves"),
    ("exports", "deleted (cascade): the sealed copy with its row"),
    ("forum_categories", "not personal"),
    ("group_members", "deleted (cascade), aliases with them"),
    ("group_tags", "not personal"),
    ("invitations", "kept; used_by set to NULL (cascade)"),
    ("job_leases", "not personal"),
    ("letters", "deleted (cascade), the sealed address with them"),
    ("live_events", "deleted (cascade): ids only, swept after 24 h"),
    ("live_tickets", "deleted (cascade); spent ones swept"),
    ("mail_records", "deleted (cascade): which notifications were mailed"),
    ("member_list", "keyed hashes of the association's list; used_by set to NULL (cascade)"),
    ("members", "deleted"),
    ("message_attachments", "the member's deleted"),
    ("message_report_items", "kept for moderators: sealed under the association key"),
    ("message_reports", "reporter set to NULL, the member's reason emptied"),
    ("message_tallies", "not personal: messages sent per association and day"),
    ("messages", "the member's deleted for everyone"),
    ("moderation_actions", "kept: ids of staff and targets only"),
    ("notification_settings", "deleted (cascade)"),
    ("notifications", "to the member deleted (cascade); others' showing the member's name deleted"),
    ("passkeys", "deleted (cascade)"),
    ("photos", "deleted (cascade)"),
    ("post_edits", "of removed posts deleted; mentions of the member become plain text"),
    ("post_search", "removed posts' entries deleted; removed topics' titles replaced"),
    ("posts", "removed (content emptied, author gone) or kept without author; mentions become plain text"),
    ("profile_values", "deleted (cascade), sealed health values with them"),
    ("pseudonym_reservations", "a keyed hash of the pseudonym's skeleton, until the grace period ends"),
    ("pseudonym_terms", "deleted (cascade)"),
    ("quiet_hours", "deleted (cascade)"),
    ("reactions", "deleted (cascade); reactions on removed posts too"),
    ("recovery_codes", "deleted (cascade)"),
    ("reports", "reporter set to NULL, the member's reason emptied"),
    ("search_terms", "deleted (cascade)"),
    ("sessions", "deleted (cascade): every session and API token ends at once"),
    ("staff_flags", "deleted (cascade)"),
    ("topic_reads", "deleted (cascade)"),
    ("topic_subscriptions", "deleted (cascade)"),
    ("topics", "removed: title replaced, author gone; or kept without author"),
    ("verification_requests", "deleted (cascade)"),
    ("verifications", "deleted (cascade)"),
    ("webauthn_challenges", "deleted (cascade)"),
];

/// HTML escaping as the post renderer writes mention labels.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

impl Kindred {
    /// The keyed hash under which an erased member's pseudonym is held
    /// back: of its look-alike skeleton, so look-alikes are held too.
    pub(crate) fn pseudonym_hold(&self, association: &AssociationId, pseudonym: &str) -> Result<String, CryptoError> {
        Ok(self.keys.association(association)?.search_token(RESERVATION, &skeleton_key(pseudonym)))
    }

    /// The caller erases their own account after confirming their
    /// password (throttled like every re-authentication). Every session
    /// ends with it.
    pub async fn erase_account(
        &self,
        association: &Association,
        caller: &Caller,
        client: &Client,
        password: &str,
        posts: PostsChoice,
    ) -> Result<(), ErasureError> {
        if posts == PostsChoice::Anonymise && !association.settings.data.anonymise_allowed {
            return Err(ErasureError::AnonymiseNotAllowed);
        }
        self.reauthenticate(association, caller, client, Proof::password(password)).await?;
        self.erase_member(association, &caller.member.id, posts, Reason::Member, None).await?;
        Ok(())
    }

    /// Erases a member; false if there was none (or, with `inactive_before`,
    /// they signed in since). See the module comment.
    pub async fn erase_member(
        &self,
        association: &Association,
        member: &MemberId,
        posts: PostsChoice,
        reason: Reason,
        inactive_before: Option<DateTime<Utc>>,
    ) -> Result<bool, ErasureError> {
        let Some(record) = self.store.member(&association.id, member.as_str()).await? else { return Ok(false) };
        let now = self.clock.now();

        // Registrations first, through the events store: whoever waits
        // next moves up and is told, as when a member unregisters.
        for event in self.store.registered_events(&association.id, member).await? {
            let promotions = crate::events::Promotions::default();
            self.store.unregister(&association.id, &event, member, &|m| promotions.notice(m), now).await?;
            // Told in the app now, by mail as they chose (service::mail_delivery).
            self.kick_mails(association, promotions.made().into_iter().map(|n| n.id).collect());
        }

        let key = self.keys.association(&association.id)?;
        let (mut anonymous_posts, mut anonymous_topics) = (Vec::new(), Vec::new());
        for (is_post, id, stored) in self.store.anonymous_seals(&association.id).await? {
            let purpose = if is_post { crate::forum::POST_SEAL } else { crate::forum::TOPIC_SEAL };
            if crate::sessions::constant_time_eq(&stored, &crate::forum::seal(&key, purpose, &id, member)) {
                if is_post {
                    anonymous_posts.push(id);
                } else {
                    anonymous_topics.push(id);
                }
            }
        }

        let mut labels = Vec::new();
        if !record.pseudonym_pending {
            labels.push(record.pseudonym.clone());
        }
        labels.extend(self.store.aliases_of(&association.id, member).await?);
        let mentions: Vec<(String, String)> = labels
            .iter()
            .map(|l| (format!("<span class=\"mention\">@{}</span>", escape(l)), format!("@{}", escape(l))))
            .collect();

        let grace = association.settings.data.pseudonym_grace_days;
        let hold = if record.pseudonym_pending || grace == 0 {
            None
        } else {
            Some((self.pseudonym_hold(&association.id, &record.pseudonym)?, now + Duration::days(i64::from(grace))))
        };

        let id = random_token();
        let erasure = Erasure {
            association: &association.id,
            member,
            remove_posts: posts == PostsChoice::Delete,
            anonymous_posts: &anonymous_posts,
            anonymous_topics: &anonymous_topics,
            labels: &labels,
            mentions: &mentions,
            removed_title: REMOVED_TITLE,
            reservation: hold.as_ref().map(|(h, until)| (h.as_str(), *until)),
            inactive_before,
            audit: NewAuditEntry {
                id: &id[..26],
                association_id: &association.id,
                at: now,
                actor_id: None,
                action: "account.erased",
                target_id: None,
                detail: Some(reason.detail()),
            },
        };
        let erased = self.store.erase_member(&erasure).await?;
        if erased {
            // Their sessions went with the account: their sockets close now.
            self.sessions_changed(association, member).await;
            tracing::info!(reason = reason.detail(), "an account was erased");
        }
        Ok(erased)
    }
}
