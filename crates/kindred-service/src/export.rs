//! service::export — the member's data, theirs to take (issue 20, parts 1
//! and 5): everything Kindred holds about a member in one ZIP
//! (`data.json`, a readable `index.html`, the photo), and the staff
//! accesses to their data ("who looked").
//!
//! Flow: `request_export` writes a row and builds the ZIP on a background
//! task; the `exports` job (`service::jobs`) builds any row a crash left
//! unbuilt (each build claims its row for [`BUILD_CLAIM`] first) and
//! deletes rows whose time is over. The ZIP is sealed under the
//! association key (field `export:{id}`, bound to the member) and lives
//! [`EXPORT_LIFETIME`]; the one download takes it out of the row
//! (`store::take_export`). Another member's id, an expired or a downloaded
//! export are all `NotFound`, like an id never given out.
//!
//! What of other members goes in is decided by the functions that decide
//! it everywhere else, called as the member: contacts through
//! `contacts` and `members::member_as_seen` (`sight_of` + `disclose`: what
//! each shows the member now), requests and blocks through `contacts`,
//! conversations and messages through `messaging` (`conversation_access`,
//! senders as the member may see them), notifications through
//! `notification_list`, topic titles and events only where
//! `readable_group_ids` lets the member read them now. The member's own
//! rows come from `store::export`; anonymous posts are recognised by their
//! seal (`forum::anonymous_by`), so that only the member's own are found.

use crate::forum::anonymous_by;
use crate::sessions::{Caller, Member, SessionKind};
use crate::{Association, Kindred};
use chrono::{DateTime, Duration, Utc};
use kindred_domain::notification_kinds::QuietHours;
use kindred_domain::profile::FieldValue;
use kindred_domain::{AssociationId, Language, MemberId};
use kindred_store::{ExportRecord, StoreError};
use serde_json::{json, Map, Value};
use std::collections::{HashMap, HashSet};
use std::fmt::Display;
use std::io::Write as _;

/// How long a built export may be downloaded.
pub const EXPORT_LIFETIME: Duration = Duration::hours(48);
/// How long one build holds its row before another may take it over.
pub const BUILD_CLAIM: Duration = Duration::minutes(10);
/// At most this many exports are built per run of the job.
const BUILDS_PER_RUN: i64 = 20;
/// The exports a member's page lists.
const EXPORTS_LISTED: i64 = 5;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Unknown, another member's, expired or already downloaded.
    #[error("no such export")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Crypto(#[from] crate::crypto::CryptoError),
    /// Gathering or packing the data failed.
    #[error("building the export: {0}")]
    Build(String),
}

fn failed<E: Display>(what: &'static str) -> impl Fn(E) -> ExportError {
    move |error| ExportError::Build(format!("{what}: {error}"))
}

/// Where an export stands, as its member sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportState {
    Building,
    Ready { expires_at: DateTime<Utc> },
    Downloaded,
    Expired,
}

impl ExportState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Building => "building",
            Self::Ready { .. } => "ready",
            Self::Downloaded => "downloaded",
            Self::Expired => "expired",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ExportSummary {
    pub id: String,
    pub requested_at: DateTime<Utc>,
    pub state: ExportState,
}

fn summary(record: ExportRecord, now: DateTime<Utc>) -> ExportSummary {
    let state = match (record.ready_at, record.expires_at, record.downloaded_at) {
        (None, ..) => ExportState::Building,
        (Some(_), _, Some(_)) => ExportState::Downloaded,
        (Some(_), Some(expires_at), None) if expires_at > now => ExportState::Ready { expires_at },
        _ => ExportState::Expired,
    };
    ExportSummary { id: record.id, requested_at: record.requested_at, state }
}

/// What a download gives.
#[derive(Debug)]
pub enum Download {
    /// Still being built: ask again shortly.
    Building,
    /// The ZIP; it cannot be downloaded again.
    Zip(Vec<u8>),
}

/// One staff access to the member's data.
#[derive(Debug, Clone)]
pub struct Access {
    pub at: DateTime<Utc>,
    /// The audit action, e.g. `verification.viewed`, `member.suspended`.
    pub action: String,
    /// The role the staff member holds now (`staff` if their account is gone).
    pub actor_role: String,
    /// The staff member's pseudonym, only where the association names
    /// staff in the access log (`[data] access_log_names_staff`) and the
    /// account still exists.
    pub actor: Option<String>,
}

pub(crate) fn field_field(id: &str) -> String {
    format!("export:{id}")
}

impl Kindred {
    /// Asks for an export of the caller's data; it is built in the
    /// background. While one is still being built, its id is given again
    /// rather than starting another.
    pub async fn request_export(&self, association: &Association, caller: &Caller) -> Result<String, ExportError> {
        let now = self.clock.now();
        let existing = self.store.exports_of(&association.id, &caller.member.id, EXPORTS_LISTED).await?;
        if let Some(building) = existing.iter().find(|e| e.ready_at.is_none()) {
            return Ok(building.id.clone());
        }
        let id = kindred_domain::id::random_token()[..26].to_owned();
        self.store.insert_export(&association.id, &id, &caller.member.id, now).await?;
        let kindred = self.clone();
        let association_id = association.id.clone();
        let export_id = id.clone();
        self.in_background(
            "export",
            async move { kindred.build_export(&association_id, &export_id).await.map(|_| ()) },
        );
        Ok(id)
    }

    /// The caller's recent exports, newest first.
    pub async fn my_exports(
        &self,
        association: &Association,
        caller: &Caller,
    ) -> Result<Vec<ExportSummary>, ExportError> {
        let now = self.clock.now();
        let rows = self.store.exports_of(&association.id, &caller.member.id, EXPORTS_LISTED).await?;
        Ok(rows.into_iter().map(|r| summary(r, now)).collect())
    }

    /// Downloads one of the caller's exports, once.
    pub async fn download_export(
        &self,
        association: &Association,
        caller: &Caller,
        id: &str,
    ) -> Result<Download, ExportError> {
        let now = self.clock.now();
        let record =
            self.store.export_of(&association.id, &caller.member.id, id).await?.ok_or(ExportError::NotFound)?;
        if summary(record, now).state == ExportState::Building {
            return Ok(Download::Building);
        }
        let sealed =
            self.store.take_export(&association.id, &caller.member.id, id, now).await?.ok_or(ExportError::NotFound)?;
        let key = self.keys.association(&association.id)?;
        Ok(Download::Zip(key.open(&caller.member.id, &field_field(id), &sealed)?))
    }

    /// Every staff access to the caller's data, oldest first: when, what,
    /// and the role of who did it — who only where the association chose
    /// to name staff (`[data] access_log_names_staff`).
    pub async fn access_log(&self, association: &Association, caller: &Caller) -> Result<Vec<Access>, ExportError> {
        let names = association.settings.data.access_log_names_staff;
        let rows = self.store.accesses_to(&association.id, &caller.member.id).await?;
        Ok(rows
            .into_iter()
            .map(|r| Access {
                at: r.at,
                action: r.action,
                actor: r.actor_pseudonym.filter(|_| names && r.actor_role.is_some()),
                actor_role: r.actor_role.unwrap_or_else(|| "staff".into()),
            })
            .collect())
    }

    /// Builds one export if it is still unbuilt and nobody else holds it;
    /// true if this call built it. Safe to run twice and after a crash.
    pub async fn build_export(&self, association_id: &AssociationId, id: &str) -> Result<bool, ExportError> {
        let now = self.clock.now();
        let Some(member_id) = self.store.claim_export(association_id, id, now, now + BUILD_CLAIM).await? else {
            return Ok(false);
        };
        let association = self
            .associations()
            .await
            .map_err(failed("association"))?
            .into_iter()
            .find(|a| &a.id == association_id)
            .ok_or_else(|| ExportError::Build("the association is gone".into()))?;
        let record = self.store.member(association_id, &member_id).await?.ok_or(ExportError::NotFound)?;
        let created_at = record.created_at;
        let member = Member::from_record(record)?;
        // The member themself, as if signed in: every function below
        // decides what they may see exactly as for their own requests.
        let caller = Caller { member, session_id: String::new(), kind: SessionKind::Api, second_factor_pending: false };
        // index.html in the member's language (their preference, if the
        // association offers it), else the association's; data.json's keys
        // are English whatever the language.
        let language = caller
            .member
            .language
            .as_deref()
            .and_then(Language::parse)
            .filter(|l| association.settings.languages.contains(l))
            .unwrap_or(association.settings.default_language);
        let (data, photo) = self.gather(&association, &caller, created_at, now).await?;
        let zip = pack(&data, photo.as_deref(), language)?;
        let key = self.keys.association(association_id)?;
        let sealed = key.seal(&caller.member.id, &field_field(id), &zip)?;
        let finished = self.clock.now();
        Ok(self.store.finish_export(association_id, id, &sealed, finished, finished + EXPORT_LIFETIME).await?)
    }

    /// The `exports` job: builds what a crash left unbuilt, deletes
    /// exports whose time is over. Units: exports built plus deleted.
    pub async fn run_exports(&self, now: DateTime<Utc>) -> Result<u64, ExportError> {
        let mut done = self.store.delete_expired_exports(now).await?;
        for row in self.store.unbuilt_exports(now, BUILDS_PER_RUN).await? {
            let association = AssociationId::from_trusted(row.association_id);
            if self.build_export(&association, &row.id).await? {
                done += 1;
            }
        }
        Ok(done)
    }

    /// Everything about the member, as `data.json` holds it, and the photo.
    async fn gather(
        &self,
        association: &Association,
        caller: &Caller,
        created_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(Value, Option<Vec<u8>>), ExportError> {
        let me = &caller.member;
        let a = &association.id;
        let extras = self.store.own_extras_for_export(a, &me.id).await?;
        let mut data = Map::new();
        data.insert("exported_at".into(), json!(now));
        data.insert("association".into(), json!(association.slug.as_str()));
        data.insert(
            "account".into(),
            json!({
                "member_id": me.id.as_str(),
                "email": me.email,
                "pseudonym": me.pseudonym,
                "language": me.language,
                "role": me.role.as_str(),
                "status": me.status.as_str(),
                "discoverable": me.discoverable,
                "badge": me.badge,
                "created_at": created_at,
                "authenticator_app": me.has_totp,
                "recovery_codes_unused": self.store.unused_recovery_codes(a, &me.id).await?,
                "time_zone": me.time_zone,
                "time_zone_in_effect": crate::preferences::zone_of(association, Some(me)).name(),
                "email_confirmed_at": extras.times.email_confirmed_at,
                "last_active_at": extras.times.last_active_at,
                "inactivity_warned_at": extras.times.inactivity_warned_at,
            }),
        );
        // Quiet hours for mails, as set on the notification settings.
        let quiet = self.quiet_hours(association, caller).await.map_err(failed("quiet hours"))?;
        data.insert(
            "quiet_hours".into(),
            json!(quiet.map(|q| json!({
                "from": QuietHours::clock(q.from),
                "to": QuietHours::clock(q.to),
                "time_zone": q.time_zone.map(|z| z.name()),
            }))),
        );
        // Admission: the requests (pending or declined) and the verification.
        data.insert(
            "verification".into(),
            Value::Array(
                extras
                    .verifications
                    .iter()
                    .map(|v| {
                        let status = match (v.verified_at, v.declined_at) {
                            (Some(_), _) => "verified",
                            (None, Some(_)) => "declined",
                            (None, None) => "pending",
                        };
                        json!({
                            "procedure": v.procedure,
                            "requested_at": v.requested_at,
                            "status": status,
                            "declined_at": v.declined_at,
                            "verified_at": v.verified_at,
                        })
                    })
                    .collect(),
            ),
        );
        // The postal letter: the address while it is held (it is erased
        // once the code is confirmed) — never the code, which only the
        // letter may bring.
        let mut letters = Vec::new();
        if let Some(letter) = &extras.letter {
            let mut entry = json!({
                "requested_at": letter.created_at,
                "expires_at": letter.expires_at,
                "printed_at": letter.printed_at,
                "confirmed_at": letter.confirmed_at,
            });
            if let Some(sealed) = &letter.sealed_address {
                let address = self.open_letter(association, me.id.as_str(), sealed)?;
                entry["full_name"] = json!(address.full_name);
                entry["street"] = json!(address.street);
                entry["postcode"] = json!(address.postcode);
                entry["city"] = json!(address.city);
            }
            letters.push(entry);
        }
        data.insert("letter".into(), Value::Array(letters));

        // The profile: every value with the level it is shown from, health
        // fields opened (the member's own).
        let profile = self.own_profile(association, &me.id).await.map_err(failed("profile"))?;
        let visibilities = self.own_visibility(association, &me.id).await.map_err(failed("profile"))?;
        let profile: Vec<Value> = profile
            .into_iter()
            .map(|entry| {
                let counts = visibilities.iter().find(|(spec, _)| spec.code == entry.field).map(|(_, v)| v.to_string());
                json!({
                    "field": entry.field.as_str(),
                    "value": value_json(&entry.value),
                    "visibility": entry.visibility.to_string(),
                    "visibility_in_effect": counts,
                })
            })
            .collect();
        data.insert("profile".into(), Value::Array(profile));

        let consents = self.consents(association, &me.id).await?;
        data.insert(
            "consents".into(),
            Value::Array(
                consents
                    .iter()
                    .map(|c| json!({"kind": c.kind, "version": c.version, "given_at": c.given_at}))
                    .collect(),
            ),
        );

        // Contacts: what each shows the member now, through `sight_of` and
        // `disclose` (a contact now out of sight is left out).
        let mut contacts = Vec::new();
        for contact in self.contacts(association, caller).await.map_err(failed("contacts"))? {
            let Ok(seen) = self.member_as_seen(association, caller, contact.member_id.as_str()).await else {
                continue;
            };
            let fields: Map<String, Value> =
                seen.fields.iter().map(|(spec, value)| (spec.code.as_str().to_owned(), value_json(value))).collect();
            contacts.push(json!({
                "pseudonym": seen.pseudonym,
                "badge": seen.badge,
                "level_i_grant": seen.level_i_grant.number(),
                "level_granted_to_me": seen.level_granted_to_me.number(),
                "profile_shown_to_me": fields,
            }));
        }
        data.insert("contacts".into(), Value::Array(contacts));

        let requests = self.contact_requests(association, caller).await.map_err(failed("requests"))?;
        let disclosures = self.disclosure_requests(association, caller).await.map_err(failed("requests"))?;
        let request_json = |r: &crate::contacts::RequestView, direction: &str| {
            json!({
                "direction": direction,
                "member": r.pseudonym,
                "message": r.message,
                "level": r.level.number(),
                "status": r.status.as_str(),
                "created_at": r.created_at,
            })
        };
        let list = |requests: &crate::contacts::Requests| -> Value {
            Value::Array(
                requests
                    .incoming
                    .iter()
                    .map(|r| request_json(r, "incoming"))
                    .chain(requests.outgoing.iter().map(|r| request_json(r, "outgoing")))
                    .collect(),
            )
        };
        data.insert("contact_requests".into(), list(&requests));
        data.insert("disclosure_requests".into(), list(&disclosures));
        let blocks = self.blocks(association, caller).await.map_err(failed("blocks"))?;
        data.insert(
            "blocks".into(),
            Value::Array(blocks.iter().map(|b| json!({"member": b.pseudonym, "created_at": b.created_at})).collect()),
        );

        // Groups: the member's own rows, with their alias. A group's name
        // only while the member is in it, asks or is invited.
        let readable = self.readable_group_ids(association, caller).await.map_err(failed("groups"))?;
        let groups = self.store.groups_for_export(a, &me.id).await?;
        data.insert(
            "groups".into(),
            Value::Array(
                groups
                    .iter()
                    .map(|g| {
                        let named = g.status != "left" || readable.contains(&g.group_id);
                        json!({
                            "group_id": g.group_id,
                            "name": named.then_some(&g.name),
                            "status": g.status,
                            "role": g.role,
                            "alias": g.alias,
                            "since": g.created_at,
                        })
                    })
                    .collect(),
            ),
        );

        // The forum: named topics and posts, and the anonymous ones whose
        // seal is the member's. A topic's title where the member reads it now.
        let key = self.keys.association(a)?;
        let readable_topic =
            |group: &Option<String>, hidden: bool| !hidden && group.as_ref().is_none_or(|g| readable.contains(g));
        let topics: Vec<Value> = self
            .store
            .topics_for_export(a, &me.id)
            .await?
            .into_iter()
            .filter(|t| mine(&key, true, &t.id, &me.id, t.author_id.as_deref(), t.author_seal.as_deref(), t.anonymous))
            .map(|t| {
                json!({
                    "topic_id": t.id,
                    "title": t.title,
                    "group_id": t.group_id,
                    "category_id": t.category_id,
                    "anonymous": t.anonymous,
                    "hidden_by_moderators": t.hidden,
                    "created_at": t.created_at,
                })
            })
            .collect();
        data.insert("topics".into(), Value::Array(topics));
        let own_posts: Vec<_> = self
            .store
            .posts_for_export(a, &me.id)
            .await?
            .into_iter()
            .filter(|p| mine(&key, false, &p.id, &me.id, p.author_id.as_deref(), p.author_seal.as_deref(), p.anonymous))
            .collect();
        let own_post_ids: std::collections::HashSet<String> = own_posts.iter().map(|p| p.id.clone()).collect();
        let posts: Vec<Value> = own_posts
            .into_iter()
            .map(|p| {
                let title = readable_topic(&p.topic_group_id, p.topic_hidden).then_some(p.topic_title);
                json!({
                    "post_id": p.id,
                    "topic_id": p.topic_id,
                    "topic_title": title,
                    "number": p.number,
                    "anonymous": p.anonymous,
                    "body": if p.deleted { None } else { Some(p.body) },
                    "deleted": p.deleted,
                    "hidden_by_moderators": p.hidden,
                    "created_at": p.created_at,
                    "edited_at": p.edited_at,
                })
            })
            .collect();
        data.insert("posts".into(), Value::Array(posts));
        // Earlier versions of the member's posts (of their own posts only).
        data.insert(
            "post_edits".into(),
            Value::Array(
                extras
                    .post_edits
                    .iter()
                    .filter(|e| own_post_ids.contains(&e.post_id))
                    .map(|e| {
                        json!({"post_id": e.post_id, "body": e.body, "written_at": e.written_at, "replaced_at": e.replaced_at})
                    })
                    .collect(),
            ),
        );
        data.insert(
            "topic_reads".into(),
            Value::Array(
                extras
                    .topic_reads
                    .iter()
                    .map(|r| json!({"topic_id": r.topic_id, "last_read_post": r.last_read}))
                    .collect(),
            ),
        );
        data.insert(
            "reports".into(),
            Value::Array(
                extras
                    .reports
                    .iter()
                    .map(|r| {
                        let shared = (r.target_type == "message").then_some(r.messages_shared);
                        json!({
                            "about": r.target_type,
                            "kind": r.kind,
                            "reason": r.reason,
                            "status": r.status,
                            "created_at": r.created_at,
                            "messages_shared": shared,
                        })
                    })
                    .collect(),
            ),
        );
        let (reactions, subscriptions) = self.store.marks_for_export(a, &me.id).await?;
        data.insert(
            "reactions".into(),
            Value::Array(
                reactions
                    .iter()
                    .map(|r| json!({"post_id": r.target_id, "reaction": r.kind, "created_at": r.created_at}))
                    .collect(),
            ),
        );
        data.insert(
            "subscriptions".into(),
            Value::Array(
                subscriptions.iter().map(|s| json!({"topic_id": s.target_id, "since": s.created_at})).collect(),
            ),
        );

        let events: Vec<Value> = self
            .store
            .events_for_export(a, &me.id)
            .await?
            .into_iter()
            .map(|e| {
                let seen = e.status == "created" || e.group_id.as_ref().is_none_or(|g| readable.contains(g));
                json!({
                    "event_id": e.event_id,
                    "title": seen.then_some(e.title),
                    "starts_at": seen.then_some(e.starts_at),
                    "status": e.status,
                    "since": e.created_at,
                })
            })
            .collect();
        data.insert("events".into(), Value::Array(events));
        data.insert(
            "event_reminders".into(),
            Value::Array(
                extras
                    .reminders
                    .iter()
                    .map(|r| json!({"event_id": r.event_id, "starts_at": r.starts_at, "sent_at": r.sent_at}))
                    .collect(),
            ),
        );
        // The calendar feed: that there is one, never its secret address.
        data.insert(
            "calendar_feed".into(),
            json!(extras
                .calendar_feed
                .as_ref()
                .map(|f| json!({"full_titles": f.full_titles, "created_at": f.created_at}))),
        );

        let articles: Vec<Value> = self
            .store
            .articles_by_author(a, me.id.as_str())
            .await?
            .into_iter()
            .map(|r| {
                json!({
                    "article_id": r.id,
                    "title": r.title,
                    "summary": r.summary,
                    "body": r.body,
                    "audience": r.audience,
                    "status": r.status,
                    "review_note": r.review_note,
                    "created_at": r.created_at,
                    "published_at": r.published_at,
                    "reviewed_at": r.reviewed_at,
                })
            })
            .collect();
        data.insert("articles".into(), Value::Array(articles));

        let (conversations, opened) = self.conversations_for_export(association, caller).await?;
        data.insert("conversations".into(), Value::Array(conversations));
        data.insert(
            "conversations_left".into(),
            Value::Array(self.left_conversations_for_export(association, caller, &opened, now).await?),
        );

        // The calls the member was in: when, how long, voice or video —
        // never who else was in them (that is theirs).
        let calls: Vec<Value> = self
            .store
            .calls_of_member(a, me.id.as_str())
            .await?
            .into_iter()
            .map(|c| {
                json!({
                    "call_id": c.call_id,
                    "conversation_id": c.conversation_id,
                    "video": c.video,
                    "started_by_me": c.started_by_me,
                    "started_at": c.started_at,
                    "ended_at": c.ended_at,
                    "joined_at": c.joined_at,
                    "left_at": c.left_at,
                })
            })
            .collect();
        data.insert("calls".into(), Value::Array(calls));

        let mut notifications = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let page =
                self.notifications(association, caller, cursor.as_deref()).await.map_err(failed("notifications"))?;
            for n in page.notifications {
                notifications.push(json!({
                    "kind": n.kind,
                    "topic_title": n.topic_title,
                    "post_number": n.post_number,
                    "actor": n.actor,
                    "detail": n.detail,
                    "created_at": n.created_at,
                    "read": n.read,
                }));
            }
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        data.insert("notifications".into(), Value::Array(notifications));
        data.insert(
            "mails_sent".into(),
            Value::Array(extras.mails.iter().map(|m| json!({"kind": m.kind, "sent_at": m.sent_at})).collect()),
        );
        let choices = self.notification_settings(association, caller).await.map_err(failed("notification settings"))?;
        data.insert(
            "notification_settings".into(),
            Value::Array(
                choices.iter().map(|(kind, email)| json!({"kind": kind.name, "email": email.as_str()})).collect(),
            ),
        );

        let sessions = self.sessions(association, &me.id).await?;
        data.insert(
            "sessions".into(),
            Value::Array(
                sessions
                    .iter()
                    .map(|s| json!({"kind": s.kind, "client": s.client, "created_at": s.created_at, "last_used_at": s.last_used_at}))
                    .collect(),
            ),
        );
        let passkeys = self.passkeys(association, &me.id).await?;
        data.insert(
            "passkeys".into(),
            Value::Array(
                passkeys
                    .iter()
                    .map(|p| json!({"name": p.name, "created_at": p.created_at, "last_used_at": p.last_used_at}))
                    .collect(),
            ),
        );

        // What the server flagged to staff about the member (e.g. looking
        // at profiles at a scraper's pace).
        data.insert(
            "staff_flags".into(),
            Value::Array(
                extras.staff_flags.iter().map(|f| json!({"reason": f.reason, "created_at": f.created_at})).collect(),
            ),
        );

        let photo = self.own_photo(association, caller).await.map_err(failed("photo"))?;
        data.insert("photo".into(), json!(photo.as_ref().map(|_| PHOTO_FILE)));

        let accesses = self.access_log(association, caller).await?;
        // Who, only where the association names staff (then for every entry,
        // null where the staff member's account is gone).
        let names = association.settings.data.access_log_names_staff;
        data.insert(
            "staff_accesses".into(),
            Value::Array(
                accesses
                    .iter()
                    .map(|x| {
                        let mut entry = json!({"at": x.at, "action": x.action, "actor_role": x.actor_role});
                        if names {
                            entry["actor"] = json!(x.actor);
                        }
                        entry
                    })
                    .collect(),
            ),
        );
        // A value hidden from the member (or not there) is absent, never
        // null — as in every answer of the API.
        Ok((without_nulls(Value::Object(data)), photo))
    }

    /// The member's conversations with every message, senders as the
    /// member may see them: their pseudonym where `disclosure::sight` lets
    /// the member see them (the rule of the conversation's member list, for
    /// a group's chat too), the alias in an alias group's chat, nothing
    /// otherwise. Also the ids of the conversations whose messages were read.
    async fn conversations_for_export(
        &self,
        association: &Association,
        caller: &Caller,
    ) -> Result<(Vec<Value>, HashSet<String>), ExportError> {
        let mut out = Vec::new();
        let mut opened = HashSet::new();
        // Senders already decided: id → pseudonym as the member sees it.
        let mut names: HashMap<String, Option<String>> = HashMap::new();
        let mut cursor: Option<String> = None;
        loop {
            let page =
                self.conversations(association, caller, cursor.as_deref()).await.map_err(failed("conversations"))?;
            for summary in page.conversations {
                let mut messages = Vec::new();
                let mut members: Vec<String> = Vec::new();
                let mut before: Option<String> = None;
                loop {
                    let Ok(page) =
                        self.conversation_messages(association, caller, &summary.id, before.as_deref()).await
                    else {
                        break;
                    };
                    opened.insert(summary.id.clone());
                    if members.is_empty() {
                        members = page.members.iter().filter_map(|m| m.pseudonym.clone()).collect();
                    }
                    for m in &page.messages {
                        let sender = if m.own {
                            Some(caller.member.pseudonym.clone())
                        } else if let Some(alias) = &m.sender_alias {
                            Some(alias.clone())
                        } else if let Some(id) = &m.sender_id {
                            match page.members.iter().find(|s| &s.member_id == id) {
                                Some(shown) => shown.pseudonym.clone(),
                                None => self.sender_as_seen(association, caller, id, &mut names).await,
                            }
                        } else {
                            None
                        };
                        let attachments: Vec<Value> = m
                            .attachments
                            .iter()
                            .map(|f| json!({"content_type": f.content_type, "size": f.size}))
                            .collect();
                        messages.push(json!({
                            "sender": sender,
                            "own": m.own,
                            "kind": m.kind,
                            "body": m.body,
                            "sent_at": m.sent_at,
                            "edited_at": m.edited_at,
                            "attachments": (!attachments.is_empty()).then_some(attachments),
                        }));
                    }
                    match page.next_before {
                        Some(next) => before = Some(next),
                        None => break,
                    }
                }
                messages.reverse();
                out.push(json!({
                    "conversation_id": summary.id,
                    "group": summary.group_name,
                    "members": members,
                    "status": summary.status.as_str(),
                    "messages": messages,
                }));
            }
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        Ok((out, opened))
    }

    /// A sender of a group's chat (not in the conversation's member list),
    /// as the member may see them: `members::sight_of`, the rule of
    /// `disclosure::sight` that every view of a member follows.
    async fn sender_as_seen(
        &self,
        association: &Association,
        caller: &Caller,
        id: &str,
        names: &mut HashMap<String, Option<String>>,
    ) -> Option<String> {
        if let Some(known) = names.get(id) {
            return known.clone();
        }
        let seen = self.sight_of(association, caller, id).await.ok().map(|(_, record, _, _)| record.pseudonym);
        names.insert(id.to_owned(), seen.clone());
        seen
    }

    /// The member's own messages in conversations they can no longer open
    /// (left, declined, or the chat of a group they left): their own text
    /// only, opened with the conversation's key as the current ones are —
    /// nobody else's messages or names. Deleted messages and those past
    /// their disappearing time are not kept, so they are not here.
    async fn left_conversations_for_export(
        &self,
        association: &Association,
        caller: &Caller,
        opened: &HashSet<String>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Value>, ExportError> {
        let rows = self.store.own_messages_for_export(&association.id, &caller.member.id, now).await?;
        let mut out: Vec<Value> = Vec::new();
        let mut current: Option<(String, Option<crate::crypto::ConversationKey>, Vec<Value>)> = None;
        for row in rows.into_iter().filter(|r| !opened.contains(&r.conversation_id)) {
            if current.as_ref().is_none_or(|(id, _, _)| *id != row.conversation_id) {
                if let Some((id, _, messages)) = current.take() {
                    out.push(json!({"conversation_id": id, "messages": messages}));
                }
                let key = self
                    .conversation_key(association, &row.conversation_id)
                    .await
                    .map_err(failed("conversation key"))?;
                current = Some((row.conversation_id.clone(), key, Vec::new()));
            }
            let Some((_, key, messages)) = current.as_mut() else { continue };
            // Without the conversation's key (deleted with it) the text is
            // unreadable for everyone: the message is listed without it.
            let body = match (key.as_ref(), row.sealed_body.as_ref()) {
                (Some(key), Some(sealed)) => {
                    let bytes = key.open(&row.id, crate::messaging::BODY, sealed)?;
                    Some(String::from_utf8(bytes).map_err(failed("message body"))?)
                }
                _ => None,
            };
            messages.push(json!({
                "message_id": row.id,
                "sent_at": row.sent_at,
                "edited_at": row.edited_at,
                "body": body,
            }));
        }
        if let Some((id, _, messages)) = current {
            out.push(json!({"conversation_id": id, "messages": messages}));
        }
        Ok(out)
    }
}

/// The value with every `null` member of an object left out, at any depth.
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, without_nulls(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// Whether the member wrote this topic or post: by id, or anonymous with
/// the member's seal.
fn mine(
    key: &crate::crypto::AssociationKey,
    topic: bool,
    id: &str,
    member: &MemberId,
    author: Option<&str>,
    seal: Option<&str>,
    anonymous: bool,
) -> bool {
    if author == Some(member.as_str()) {
        return true;
    }
    match seal {
        Some(stored) if anonymous => anonymous_by(key, topic, id, member, stored),
        _ => false,
    }
}

fn value_json(value: &FieldValue) -> Value {
    match value {
        FieldValue::Text(text) => json!(text),
        FieldValue::Year(year) => json!(year),
        FieldValue::Code(code) => json!(code.as_str()),
        FieldValue::Codes(codes) => json!(codes.iter().map(|c| c.as_str()).collect::<Vec<_>>()),
    }
}

/// The photo's name inside the ZIP.
pub const PHOTO_FILE: &str = "photo.jpg";

/// Packs `data.json`, `index.html` and the photo into one ZIP (deflate).
fn pack(data: &Value, photo: Option<&[u8]>, language: Language) -> Result<Vec<u8>, ExportError> {
    let json = serde_json::to_vec_pretty(data).map_err(failed("data.json"))?;
    let html = crate::export_html::render(data, language);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("data.json", deflated).map_err(failed("zip"))?;
    zip.write_all(&json).map_err(failed("zip"))?;
    zip.start_file("index.html", deflated).map_err(failed("zip"))?;
    zip.write_all(html.as_bytes()).map_err(failed("zip"))?;
    if let Some(photo) = photo {
        // JPEG does not shrink further: stored as it is.
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        zip.start_file(PHOTO_FILE, stored).map_err(failed("zip"))?;
        zip.write_all(photo).map_err(failed("zip"))?;
    }
    Ok(zip.finish().map_err(failed("zip"))?.into_inner())
}
