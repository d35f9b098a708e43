//! service::members — looking at other members: a profile, a search, a
//! photo. Every answer is cut to what `kindred_domain::disclosure` lets the
//! viewer see; anything the viewer may not know exists is `NotFound`.
//!
//! Viewing profiles and paging through search are throttled per member to
//! a human pace; a member who goes beyond it is flagged to staff once per
//! window (a scraper would do it, a person rarely does).

use crate::crypto::CryptoError;
use crate::cursor::CursorList;
use crate::profiles::{field, ProfileError};
use crate::sessions::Caller;
use crate::throttle::{Rule, Throttled};
use crate::{Association, Kindred};
use chrono::{Datelike, Duration};
use kindred_domain::disclosure::{self, Party, Relation, Sight};
use kindred_domain::profile::FieldValue;
use kindred_domain::search::{pseudonym_prefixes, Cursor, MemberQuery, QueryProblem, RawMemberQuery};
use kindred_domain::settings::ProfileField;
use kindred_domain::{AccountRole, AccountStatus, AssociationId, Level, MemberId, Pseudonym};
use kindred_store::{MemberRecord, MemberSearch, ProfileValueRecord, StoreError};
use std::collections::HashMap;

/// How many profiles of others a member may open, and how many searches
/// (each page counts) they may run, per 15 minutes. A person reading
/// profiles stays far below; a scraper does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pace {
    pub profile_views: i64,
    pub searches: i64,
}

impl Default for Pace {
    fn default() -> Self {
        Pace { profile_views: 300, searches: 300 }
    }
}

pub(crate) const PACE_WINDOW: Duration = Duration::minutes(15);

impl Pace {
    fn profile_views(self) -> Rule {
        Rule { bucket: "profile-views", limit: self.profile_views, window: PACE_WINDOW }
    }

    /// Photos have a pace of their own, ten times the profiles': a page of
    /// posts or a group's member list shows the faces the reader may see,
    /// and reading the forum must not look like harvesting profiles. A
    /// script fetching photo after photo still meets a limit.
    fn photo_views(self) -> Rule {
        Rule { bucket: "photo-views", limit: self.profile_views.saturating_mul(10), window: PACE_WINDOW }
    }

    fn searches(self) -> Rule {
        Rule { bucket: "member-searches", limit: self.searches, window: PACE_WINDOW }
    }
}
/// Results per page of a member search.
pub const PAGE_SIZE: usize = 20;

/// The search-token purpose of pseudonym prefixes: apart from "word", so
/// that the terms of pseudonyms, whose clear text the database holds, tell
/// nothing about the word tokens of texts. Not a possible field code.
pub(crate) const PSEUDONYM_PURPOSE: &str = "@pseudonym";
/// Hex digits kept of a pseudonym term: 128 bits tell a hundred thousand
/// pseudonyms' prefixes apart as well as 256, in half the index.
pub(crate) const PSEUDONYM_TOKEN_LEN: usize = 32;

fn pseudonym_token(key: &crate::crypto::AssociationKey, prefix: &str) -> String {
    let mut token = key.search_token(PSEUDONYM_PURPOSE, prefix);
    token.truncate(PSEUDONYM_TOKEN_LEN);
    token
}

/// Members per transaction when terms of old pseudonyms are filled in.
const BACKFILL_BATCH: i64 = 10_000;

/// Another member as the viewer may see them.
#[derive(Debug, Clone)]
pub struct MemberView {
    pub id: MemberId,
    pub pseudonym: String,
    /// A professional's badge, shown to every member who sees them.
    pub badge: Option<String>,
    /// Only the visible fields, in the association's order.
    pub fields: Vec<(ProfileField, FieldValue)>,
    /// The level the member placed the viewer on (`Community` without a contact).
    pub level_granted_to_me: Level,
    /// The level the viewer placed the member on (`Community` without a contact).
    pub level_i_grant: Level,
    /// Whether the two are contacts.
    pub contact: bool,
    /// The viewer looks at themself.
    pub own: bool,
}

/// A page of search results.
#[derive(Debug, Clone)]
pub struct SearchPage {
    pub results: Vec<MemberView>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum MemberError {
    /// Unknown, or not to be known by this viewer.
    #[error("no such member")]
    NotFound,
    #[error("invalid search")]
    Invalid(Vec<(&'static str, QueryProblem)>),
    #[error(transparent)]
    Throttled(#[from] Throttled),
    #[error(transparent)]
    Profile(#[from] ProfileError),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A member as the disclosure rules see them, from stored role and status.
pub(crate) fn party<'a>(id: &'a MemberId, role: &str, status: &str) -> Party<'a> {
    Party {
        id,
        role: AccountRole::parse(role).unwrap_or(AccountRole::Member),
        // Anything unreadable counts as not active: shown to nobody.
        status: AccountStatus::parse(status).unwrap_or(AccountStatus::Suspended),
    }
}

pub(crate) fn caller_party(caller: &Caller) -> Party<'_> {
    Party { id: &caller.member.id, role: caller.member.role, status: caller.member.status }
}

fn level(n: Option<i32>) -> Level {
    n.and_then(|n| Level::from_number(i64::from(n))).unwrap_or(Level::Community)
}

impl Kindred {
    /// The search terms of a pseudonym: keyed hashes of the prefixes of its
    /// words, by which `q` finds the member. Every path that creates a
    /// member writes them with the member (`NewMember::pseudonym_terms`).
    pub fn pseudonym_terms(
        &self,
        association: &AssociationId,
        pseudonym: &Pseudonym,
    ) -> Result<Vec<String>, CryptoError> {
        let key = self.keys.association(association)?;
        Ok(pseudonym_prefixes(pseudonym.as_str()).iter().map(|p| pseudonym_token(&key, p)).collect())
    }

    /// Writes the pseudonym terms of members that have none (accounts made
    /// before pseudonyms were searched by terms), in batches of a
    /// transaction each; run at every start, after migrating. Returns how
    /// many members it did.
    pub async fn backfill_pseudonym_terms(&self) -> Result<usize, MemberError> {
        let mut after = String::new();
        let mut keys: std::collections::HashMap<String, crate::crypto::AssociationKey> = Default::default();
        let mut done = 0;
        loop {
            let batch = self.store.members_with_unindexed_pseudonyms(&after, BACKFILL_BATCH).await?;
            let Some((last, ..)) = batch.last() else { break };
            after = last.clone();
            let mut tokens = Vec::with_capacity(batch.len() * 16);
            for (id, association, pseudonym, key) in &batch {
                if !keys.contains_key(association) {
                    let key = self.keys.association(&AssociationId::from_trusted(association.clone()))?;
                    keys.insert(association.clone(), key);
                }
                let search = &keys[association];
                for prefix in pseudonym_prefixes(pseudonym) {
                    tokens.push((association.as_str(), pseudonym_token(search, &prefix), key.as_str(), id.as_str()));
                }
            }
            let terms: Vec<(&str, &str, &str, &str)> =
                tokens.iter().map(|(a, t, k, m)| (*a, t.as_str(), *k, *m)).collect();
            let members: Vec<(&str, &str)> = batch.iter().map(|(id, a, ..)| (a.as_str(), id.as_str())).collect();
            self.store.add_pseudonym_terms(&members, &terms).await?;
            done += batch.len();
        }
        if done > 0 {
            self.store.refresh_pseudonym_statistics().await?;
        }
        Ok(done)
    }

    /// Counts one use of a throttled action; past the limit, flags the
    /// member to staff (once per window) and refuses.
    pub(crate) async fn keep_pace(
        &self,
        association: &Association,
        caller: &Caller,
        rule: Rule,
    ) -> Result<(), MemberError> {
        let now = self.clock.now();
        let subject = caller.member.id.as_str();
        let count = self.store.add_attempt(&association.id, rule.bucket, subject, now, now - rule.window).await?;
        if count.count <= rule.limit {
            return Ok(());
        }
        if count.count == rule.limit + 1 {
            let reason = format!("{}: more than {} in {} minutes", rule.bucket, rule.limit, rule.window.num_minutes());
            let id = kindred_domain::FlagId::random();
            self.store.add_flag(&association.id, id.as_str(), &caller.member.id, &reason, now).await?;
            tracing::warn!(bucket = rule.bucket, "a member exceeded a human pace and was flagged to staff");
        }
        Err(MemberError::Throttled(Throttled {
            retry_after: ((count.window_start + rule.window) - now).num_seconds().max(1),
        }))
    }

    /// How much of the member with this id the caller sees, with the
    /// member's record; `NotFound` for anything the caller may not know of.
    pub(crate) async fn sight_of(
        &self,
        association: &Association,
        caller: &Caller,
        raw_id: &str,
    ) -> Result<(MemberId, MemberRecord, Sight, kindred_store::RelationRecord), MemberError> {
        let id = MemberId::parse(raw_id).ok_or(MemberError::NotFound)?;
        let record = self.store.member(&association.id, id.as_str()).await?.ok_or(MemberError::NotFound)?;
        let relation = self.store.relation(&association.id, &caller.member.id, &id).await?;
        let sight = disclosure::sight(
            &caller_party(caller),
            &party(&id, &record.role, &record.status),
            Relation {
                granted_to_viewer: relation.granted_to_viewer.map(|l| level(Some(l))),
                blocked: relation.blocked,
            },
        );
        if !sight.exists() {
            return Err(MemberError::NotFound);
        }
        Ok((id, record, sight, relation))
    }

    /// One member's profile as the caller may see it.
    pub async fn view_member(
        &self,
        association: &Association,
        caller: &Caller,
        raw_id: &str,
    ) -> Result<MemberView, MemberError> {
        if raw_id != caller.member.id.as_str() {
            self.keep_pace(association, caller, self.pace.profile_views()).await?;
        }
        self.member_as_seen(association, caller, raw_id).await
    }

    /// One member's profile as the caller may see it, without counting a
    /// view: for the caller's own data export (`service::export`), which
    /// shows each contact once, as `view_member` would at that moment.
    pub(crate) async fn member_as_seen(
        &self,
        association: &Association,
        caller: &Caller,
        raw_id: &str,
    ) -> Result<MemberView, MemberError> {
        let (id, record, sight, relation) = self.sight_of(association, caller, raw_id).await?;
        let records = self.store.profile_values(&association.id, &id).await?;
        let key = self.keys.association(&association.id)?;
        let fields = self.disclose(association, &key, &id, sight, &records)?;
        let own = sight == Sight::Own;
        Ok(MemberView {
            pseudonym: record.pseudonym,
            badge: record.badge,
            fields,
            level_granted_to_me: if own { Level::Personal } else { level(relation.granted_to_viewer) },
            level_i_grant: if own { Level::Personal } else { level(relation.granted_by_viewer) },
            contact: relation.granted_by_viewer.is_some() || relation.granted_to_viewer.is_some(),
            own,
            id,
        })
    }

    /// How the caller's own profile looks to someone on `level`: the
    /// "how others see me" preview.
    pub async fn preview_own(
        &self,
        association: &Association,
        caller: &Caller,
        at: Level,
    ) -> Result<Vec<(ProfileField, FieldValue)>, MemberError> {
        let records = self.store.profile_values(&association.id, &caller.member.id).await?;
        let key = self.keys.association(&association.id)?;
        Ok(self.disclose(association, &key, &caller.member.id, Sight::At(at), &records)?)
    }

    /// "View as one of my contacts": the caller's own profile as the contact
    /// `raw_id` sees it — the level the caller placed them on, through the
    /// same `disclosure::sight` and `disclose` as the contact's own view
    /// (a block either way, or a contact no longer active, shows nothing:
    /// `NotFound`, as for someone who is not a contact). Gives the
    /// contact's pseudonym, the level and the visible fields.
    pub async fn preview_as_contact(
        &self,
        association: &Association,
        caller: &Caller,
        raw_id: &str,
    ) -> Result<(String, Level, Vec<(ProfileField, FieldValue)>), MemberError> {
        let id = MemberId::parse(raw_id).ok_or(MemberError::NotFound)?;
        if id == caller.member.id {
            return Err(MemberError::NotFound);
        }
        let contact = self.store.member(&association.id, id.as_str()).await?.ok_or(MemberError::NotFound)?;
        // The contact looks at the caller: the relation from their side.
        let relation = self.store.relation(&association.id, &id, &caller.member.id).await?;
        let Some(granted) = relation.granted_to_viewer.map(|l| level(Some(l))) else {
            return Err(MemberError::NotFound);
        };
        let sight = disclosure::sight(
            &party(&id, &contact.role, &contact.status),
            &caller_party(caller),
            Relation { granted_to_viewer: Some(granted), blocked: relation.blocked },
        );
        if !sight.exists() {
            return Err(MemberError::NotFound);
        }
        let records = self.store.profile_values(&association.id, &caller.member.id).await?;
        let key = self.keys.association(&association.id)?;
        let shown = self.disclose(association, &key, &caller.member.id, sight, &records)?;
        Ok((contact.pseudonym, granted, shown))
    }

    /// Searches members; see `store::search` for how hidden fields stay out.
    pub async fn search_members(
        &self,
        association: &Association,
        caller: &Caller,
        raw: &RawMemberQuery,
    ) -> Result<SearchPage, MemberError> {
        self.search_members_planned(association, caller, raw, None).await
    }

    /// [`Kindred::search_members`] with another limit for a criterion to
    /// drive the search (`store::search`): for tests that check every plan
    /// finds the same.
    #[doc(hidden)]
    pub async fn search_members_planned(
        &self,
        association: &Association,
        caller: &Caller,
        raw: &RawMemberQuery,
        drive_cap: Option<usize>,
    ) -> Result<SearchPage, MemberError> {
        self.keep_pace(association, caller, self.pace.searches()).await?;
        // The cursor is opened here (only this server makes them); the
        // domain then reads the position inside.
        let mut raw = raw.clone();
        let mut bad_cursor = false;
        if let Some(sealed) = raw.cursor.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            let opened = self.open_cursor(association, CursorList::Members, sealed);
            bad_cursor = opened.is_none();
            raw.cursor = opened;
        }
        let parsed = MemberQuery::parse(&raw, &association.settings.catalog, self.clock.now().year());
        let query = match (parsed, bad_cursor) {
            (Ok(query), false) => query,
            (parsed, _) => {
                let mut problems = parsed.err().unwrap_or_default();
                if bad_cursor {
                    problems.push(("cursor", QueryProblem::BadCursor));
                }
                return Err(MemberError::Invalid(problems));
            }
        };
        let key = self.keys.association(&association.id)?;
        let token = |purpose: &str, value: &str| key.search_token(purpose, value);
        // Criteria that are usually rare first: once one is small, the
        // store fetches no more holders of the others than that (the order
        // is fixed, so it says nothing about anybody).
        let mut criteria = Vec::new();
        if let Some((from, to)) = query.birth_years {
            criteria.push((from..=to).map(|y| token("birth_year", &y.to_string())).collect());
        }
        let codes = [
            ("medications", &query.medication),
            ("therapies", &query.therapy),
            ("condition_form", &query.condition_form),
            ("region", &query.region),
            ("condition", &query.condition),
            ("role", &query.role),
        ];
        for (purpose, code) in codes {
            if let Some(code) = code {
                criteria.push(vec![token(purpose, code.as_str())]);
            }
        }
        // A word matches a word of a visible text, or the beginning of a
        // word of the pseudonym (which everyone may see).
        let words = query.words.iter().map(|w| (token("word", w), pseudonym_token(&key, w))).collect();
        let after = query.cursor.as_ref().map(|c| c.0.clone());
        let search = MemberSearch {
            association: &association.id,
            viewer: &caller.member.id,
            criteria,
            words,
            after,
            limit: i64::try_from(PAGE_SIZE + 1).unwrap_or(21),
            drive_cap,
        };
        let mut found = self.store.search_members(&search).await?;
        let more = found.len() > PAGE_SIZE;
        found.truncate(PAGE_SIZE);
        let next_cursor = if more {
            found.last().and_then(|m| {
                self.seal_cursor(association, CursorList::Members, &Cursor(m.pseudonym_key.clone()).encode())
            })
        } else {
            None
        };

        let ids: Vec<MemberId> = found.iter().map(|m| MemberId::from_trusted(m.id.clone())).collect();
        let levels = self.store.levels_with(&association.id, &caller.member.id, &ids).await?;
        let me = caller.member.id.as_str();
        let mut records = self.store.profile_values_of(&association.id, &ids).await?;
        // By member (already so, from the store), to hand each their own slice.
        records.sort_by(|a, b| a.member_id.cmp(&b.member_id));
        let mut results = Vec::with_capacity(found.len());
        for (id, member) in ids.into_iter().zip(found) {
            let level_from = |owner: &str, contact: &str| {
                levels.iter().find(|(o, c, _)| o == owner && c == contact).map(|(_, _, l)| *l)
            };
            let granted_to_viewer = level_from(id.as_str(), me);
            let granted_by_viewer = level_from(me, id.as_str());
            let subject = party(&id, &member.role, &member.status);
            let relation = Relation { granted_to_viewer: granted_to_viewer.map(|l| level(Some(l))), blocked: false };
            let sight = disclosure::sight(&caller_party(caller), &subject, relation);
            let start = records.partition_point(|r| r.member_id.as_str() < id.as_str());
            let count = records[start..].partition_point(|r| r.member_id == id.as_str());
            let fields = self.disclose(association, &key, &id, sight, &records[start..start + count])?;
            results.push(MemberView {
                pseudonym: member.pseudonym,
                badge: member.badge,
                fields,
                level_granted_to_me: level(granted_to_viewer),
                level_i_grant: level(granted_by_viewer),
                contact: granted_to_viewer.is_some() || granted_by_viewer.is_some(),
                own: false,
                id,
            });
        }
        Ok(SearchPage { results, next_cursor })
    }

    /// A member's photo, when the caller may see it: (image, content type).
    pub async fn member_photo(
        &self,
        association: &Association,
        caller: &Caller,
        raw_id: &str,
    ) -> Result<(Vec<u8>, String), MemberError> {
        // Reading photos one after another is harvesting just as reading
        // profiles is, so photos are paced too — on their own, wider pace,
        // since posts and member lists show them to every reader.
        if raw_id != caller.member.id.as_str() {
            self.keep_pace(association, caller, self.pace.photo_views()).await?;
        }
        let (id, _record, sight, _) = self.sight_of(association, caller, raw_id).await?;
        let Some(spec) = field(association, "photo") else { return Err(MemberError::NotFound) };
        let records = self.store.profile_values(&association.id, &id).await?;
        let visible = records
            .iter()
            .find(|r| r.field == "photo" && r.value.is_some())
            .and_then(|r| kindred_domain::Visibility::parse(&r.visibility))
            .is_some_and(|chosen| sight.sees(spec, chosen));
        if !visible {
            return Err(MemberError::NotFound);
        }
        let photo = self.store.photo(&association.id, &id).await?.ok_or(MemberError::NotFound)?;
        let key = self.keys.association(&association.id)?;
        let image = key.open(&id, crate::photos::PHOTO_FIELD, &photo.sealed_image)?;
        Ok((image, photo.content_type))
    }
}

impl Kindred {
    /// Faces on lists (posts, a group's members): of the given members,
    /// those whose photo the caller may see, with the photo's version (for
    /// its address, `/members/{id}/photo?v=…`). The same rule as
    /// [`Kindred::member_photo`], which serves the image: the disclosure
    /// module's sight of the member and the photo field's visibility. A
    /// member missing here gets the neutral placeholder, whether the photo
    /// is hidden from the caller or there is none, so a list tells nothing.
    /// Counts no profile view: the image itself does, when it is fetched.
    /// Callers pass only members they may name (never the writer of an
    /// anonymous or alias post).
    pub async fn faces(
        &self,
        association: &Association,
        caller: &Caller,
        members: &[MemberId],
    ) -> Result<HashMap<MemberId, String>, MemberError> {
        let mut shown = HashMap::new();
        let Some(spec) = field(association, "photo") else { return Ok(shown) };
        let mut ids: Vec<MemberId> = members.to_vec();
        ids.sort();
        ids.dedup();
        let photos: Vec<ProfileValueRecord> = self
            .store
            .profile_field_of(&association.id, &ids, "photo")
            .await?
            .into_iter()
            .filter(|r| r.field == "photo" && r.value.is_some())
            .collect();
        if photos.is_empty() {
            return Ok(shown);
        }
        let ids: Vec<MemberId> = photos.iter().map(|r| MemberId::from_trusted(r.member_id.clone())).collect();
        let records = self.store.members_by_ids(&association.id, &ids).await?;
        let blocked = self.store.blocked_either_way(&association.id, &caller.member.id).await?;
        let levels = self.store.levels_with(&association.id, &caller.member.id, &ids).await?;
        let key = self.keys.association(&association.id)?;
        let me = caller.member.id.as_str();
        for (id, photo) in ids.iter().zip(&photos) {
            let Some(record) = records.iter().find(|r| r.id == id.as_str()) else { continue };
            let granted = levels.iter().find(|(o, c, _)| o == id.as_str() && c == me).map(|(_, _, l)| *l);
            let relation = Relation {
                granted_to_viewer: granted.map(|l| level(Some(l))),
                blocked: blocked.iter().any(|b| b == id.as_str()),
            };
            let sight = disclosure::sight(&caller_party(caller), &party(id, &record.role, &record.status), relation);
            let visible = kindred_domain::Visibility::parse(&photo.visibility).is_some_and(|c| sight.sees(spec, c));
            if !visible {
                continue;
            }
            if let Some(FieldValue::Text(version)) = crate::profiles::open_value(&key, id, spec, photo)? {
                shown.insert(id.clone(), version);
            }
        }
        Ok(shown)
    }
}

impl Kindred {
    /// Members flagged to staff (e.g. viewing profiles at a scraper's
    /// pace), newest first. The view is audited.
    pub async fn staff_flags(
        &self,
        association: &Association,
        staff: &Caller,
    ) -> Result<Vec<kindred_store::FlagRecord>, StoreError> {
        self.audit(association, &staff.member.id, "flags.viewed", None, None).await?;
        self.store.flags(&association.id).await
    }
}
