//! service::profiles — a member's own profile: storing it (health fields
//! sealed with the association's key, bound to member and field; search
//! terms as keyed hashes), reading it back, the consent to health data, and
//! showing a profile to another member through `kindred_domain::disclosure`.

use crate::crypto::{AssociationKey, CryptoError};
use crate::sessions::Caller;
use crate::{Association, Kindred};
use chrono::Datelike;
use kindred_domain::disclosure::{implied_field, visibility_in_profile, Sight};
use kindred_domain::profile::{form_of, parse_value, FieldValue, RawValue};
use kindred_domain::search::words;
use kindred_domain::settings::{Code, FieldKind, ProfileField};
use kindred_domain::{MemberId, Visibility};
use kindred_store::{NewProfileValue, ProfileValueRecord, StoreError, StoredValue};
use std::collections::BTreeMap;

/// The consent that storing health data needs.
pub const HEALTH_CONSENT: &str = "health_data";
pub const HEALTH_CONSENT_VERSION: &str = "1";

/// One field of a profile: its value and from which level on it is visible.
#[derive(Clone, Debug, PartialEq)]
pub struct ProfileEntry {
    pub field: Code,
    pub value: FieldValue,
    pub visibility: Visibility,
}

/// A change to one's own profile. Fields not named stay as they are.
#[derive(Clone, Debug, Default)]
pub struct ProfileUpdate {
    /// Field code → new value, or `None` to remove it.
    pub fields: Vec<(String, Option<RawValue>)>,
    /// Field code → visibility.
    pub visibility: Vec<(String, Visibility)>,
    pub discoverable: Option<bool>,
}

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("the association has no profile field {0}")]
    UnknownField(String),
    #[error("{field} cannot be {visibility}: the association allows {min} at the most open")]
    TooOpen { field: String, visibility: Visibility, min: Visibility },
    /// Problems by key (`fields.x`, `visibility.x`), all at once.
    #[error("some fields are invalid")]
    Invalid(Vec<(String, String)>),
    #[error("storing health data needs the member's consent first")]
    ConsentRequired,
    #[error("unknown consent kind")]
    UnknownConsent,
    /// The consent to the terms of use ends only with the account.
    #[error("the consent to the terms of use is withdrawn by erasing the account")]
    TermsEndWithAccount,
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for ProfileError {
    /// The database's own refusal of a health value without consent (it
    /// holds even when a consent is withdrawn in the same moment) is the
    /// same answer as the check before writing.
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::ConsentMissing => ProfileError::ConsentRequired,
            other => ProfileError::Store(other),
        }
    }
}

pub(crate) fn field<'a>(association: &'a Association, code: &str) -> Option<&'a ProfileField> {
    association.settings.profile_fields.iter().find(|f| f.code.as_str() == code)
}

/// The keyed hashes a value can be found by: the code(s) or year under the
/// field's own purpose, the words of a text under "word".
fn terms(key: &AssociationKey, field: &ProfileField, value: &FieldValue) -> Vec<String> {
    term_inputs(field, value).iter().map(|(purpose, value)| key.search_token(purpose, value)).collect()
}

/// What [`terms`] hashes: (purpose, value) pairs. `service::transfer`
/// hashes them again under another deployment's key.
pub(crate) fn term_inputs(field: &ProfileField, value: &FieldValue) -> Vec<(String, String)> {
    let purpose = field.code.as_str();
    match (field.kind, value) {
        (FieldKind::Text | FieldKind::LongText, FieldValue::Text(text)) => {
            words(text).into_iter().map(|w| ("word".to_owned(), w)).collect()
        }
        (FieldKind::Year, FieldValue::Year(year)) => vec![(purpose.to_owned(), year.to_string())],
        (_, FieldValue::Code(code)) => vec![(purpose.to_owned(), code.as_str().to_owned())],
        (_, FieldValue::Codes(codes)) => codes.iter().map(|c| (purpose.to_owned(), c.as_str().to_owned())).collect(),
        // E-mail, phone and photo are not searchable.
        _ => Vec::new(),
    }
}

/// Opens a stored value of a member's field.
pub(crate) fn open_value(
    key: &AssociationKey,
    member: &MemberId,
    spec: &ProfileField,
    record: &ProfileValueRecord,
) -> Result<Option<FieldValue>, ProfileError> {
    let damaged = || StoreError::Corrupt(format!("profile value {}", record.field));
    let text = match &record.value {
        None => return Ok(None),
        Some(StoredValue::Clear(text)) => text.clone(),
        Some(StoredValue::Sealed(bytes)) => {
            String::from_utf8(key.open(member, &record.field, bytes)?).map_err(|_| damaged())?
        }
    };
    Ok(Some(FieldValue::decode(spec.kind, &text).ok_or_else(damaged)?))
}

impl Kindred {
    /// Stores profile entries of one member (replacing earlier values of the same fields).
    pub async fn store_profile(
        &self,
        association: &Association,
        member: &MemberId,
        entries: &[ProfileEntry],
    ) -> Result<(), ProfileError> {
        self.store.put_profile_values(&self.seal_profile(association, member, entries)?).await?;
        Ok(())
    }

    /// Turns entries into rows: health fields sealed, the rest in clear,
    /// each with its search terms.
    pub fn seal_profile(
        &self,
        association: &Association,
        member: &MemberId,
        entries: &[ProfileEntry],
    ) -> Result<Vec<NewProfileValue>, ProfileError> {
        let key = self.keys.association(&association.id)?;
        // The entries are the member's whole profile (demo, benchmark
        // data, a first photo): a field they do not name has its default.
        let chosen: BTreeMap<&str, Visibility> = entries.iter().map(|e| (e.field.as_str(), e.visibility)).collect();
        let fields = &association.settings.profile_fields;
        entries
            .iter()
            .map(|entry| {
                let spec = field(association, entry.field.as_str())
                    .ok_or_else(|| ProfileError::UnknownField(entry.field.to_string()))?;
                if entry.visibility < spec.min_visibility {
                    return Err(ProfileError::TooOpen {
                        field: entry.field.to_string(),
                        visibility: entry.visibility,
                        min: spec.min_visibility,
                    });
                }
                let counted = visibility_in_profile(fields, spec, &|code| chosen.get(code).copied());
                self.sealed_row(&key, association, member, spec, Some(&entry.value), entry.visibility, counted)
            })
            .collect()
    }

    /// A row for one field: `visibility` is the member's choice, `counted`
    /// the visibility that counts in search (`visibility_in_profile`).
    #[allow(clippy::too_many_arguments)]
    fn sealed_row(
        &self,
        key: &AssociationKey,
        association: &Association,
        member: &MemberId,
        spec: &ProfileField,
        value: Option<&FieldValue>,
        visibility: Visibility,
        counted: Visibility,
    ) -> Result<NewProfileValue, ProfileError> {
        let stored = match value {
            None => None,
            Some(value) => {
                let text = value.encode();
                Some(if spec.health {
                    StoredValue::Sealed(key.seal(member, spec.code.as_str(), text.as_bytes())?)
                } else {
                    StoredValue::Clear(text)
                })
            }
        };
        Ok(NewProfileValue {
            association_id: association.id.clone(),
            member_id: member.clone(),
            field: spec.code.to_string(),
            visibility: visibility.to_string(),
            value: stored,
            keep_value: false,
            terms: value.map(|v| terms(key, spec, v)).unwrap_or_default(),
            terms_visibility: counted.rank(),
            updated_at: self.clock.now(),
        })
    }

    /// A member's own profile, health fields opened. Values of fields the
    /// association no longer has are left out.
    pub async fn own_profile(
        &self,
        association: &Association,
        member: &MemberId,
    ) -> Result<Vec<ProfileEntry>, ProfileError> {
        let key = self.keys.association(&association.id)?;
        let mut entries = Vec::new();
        for record in self.store.profile_values(&association.id, member).await? {
            let Some(spec) = field(association, &record.field) else { continue };
            let Some(value) = open_value(&key, member, spec, &record)? else { continue };
            let visibility = Visibility::parse(&record.visibility)
                .ok_or_else(|| StoreError::Corrupt(format!("profile visibility {}", record.field)))?;
            entries.push(ProfileEntry { field: spec.code.clone(), value, visibility });
        }
        Ok(entries)
    }

    /// The visibility of every field of the association for this member:
    /// their choice, else the association's default, as it counts (never
    /// more open than the association's minimum, nor than a field it
    /// implies).
    pub async fn own_visibility(
        &self,
        association: &Association,
        member: &MemberId,
    ) -> Result<Vec<(ProfileField, Visibility)>, ProfileError> {
        let chosen: BTreeMap<String, String> = self
            .store
            .profile_values(&association.id, member)
            .await?
            .into_iter()
            .map(|r| (r.field, r.visibility))
            .collect();
        let fields = &association.settings.profile_fields;
        let chosen_of = |code: &str| chosen.get(code).and_then(|v| Visibility::parse(v));
        Ok(fields.iter().map(|spec| (spec.clone(), visibility_in_profile(fields, spec, &chosen_of))).collect())
    }

    /// Whether the member consented to storing health data.
    pub async fn has_health_consent(&self, association: &Association, member: &MemberId) -> Result<bool, StoreError> {
        Ok(self.store.consents(&association.id, member).await?.iter().any(|c| c.kind == HEALTH_CONSENT))
    }

    /// Records an explicit consent; only `health_data` can be given here.
    pub async fn give_consent(
        &self,
        association: &Association,
        caller: &Caller,
        kind: &str,
    ) -> Result<(), ProfileError> {
        if kind != HEALTH_CONSENT {
            return Err(ProfileError::UnknownConsent);
        }
        self.record_health_consent(association, &caller.member.id).await?;
        Ok(())
    }

    /// Records a member's consent to health data (the demo records it for
    /// the fictional members it gives health values; the database refuses
    /// those values otherwise).
    pub async fn record_health_consent(&self, association: &Association, member: &MemberId) -> Result<(), StoreError> {
        let now = self.clock.now();
        self.store.add_consent(&association.id, member, HEALTH_CONSENT, HEALTH_CONSENT_VERSION, now).await
    }

    /// Withdraws the consent to health data, erasing every health field's
    /// value (the visibility choices stay). False when none was given.
    pub async fn withdraw_consent(
        &self,
        association: &Association,
        caller: &Caller,
        kind: &str,
    ) -> Result<bool, ProfileError> {
        if kind == crate::accounts::CONSENT_TERMS {
            return Err(ProfileError::TermsEndWithAccount);
        }
        if kind != HEALTH_CONSENT {
            return Err(ProfileError::UnknownConsent);
        }
        let health: Vec<&str> =
            association.settings.profile_fields.iter().filter(|f| f.health).map(|f| f.code.as_str()).collect();
        self.store.clear_profile_values(&association.id, &caller.member.id, &health).await?;
        Ok(self.store.remove_consent(&association.id, &caller.member.id, kind).await?)
    }

    /// Changes one's own profile: every value and visibility is checked
    /// first, and all is written in one transaction, or nothing.
    pub async fn update_profile(
        &self,
        association: &Association,
        caller: &Caller,
        update: ProfileUpdate,
    ) -> Result<(), ProfileError> {
        let member = &caller.member.id;
        let settings = &association.settings;
        let key = self.keys.association(&association.id)?;
        let stored = self.store.profile_values(&association.id, member).await?;
        let current_year = self.clock.now().year();
        let mut problems: Vec<(String, String)> = Vec::new();

        let mut visibility: BTreeMap<&str, Visibility> = BTreeMap::new();
        for (code, chosen) in &update.visibility {
            match field(association, code) {
                None => problems.push((format!("visibility.{code}"), "is not a field of this association".into())),
                Some(spec) if *chosen < spec.min_visibility => problems.push((
                    format!("visibility.{code}"),
                    format!("may not be more open than {} for this association", spec.min_visibility),
                )),
                Some(spec) => {
                    visibility.insert(spec.code.as_str(), *chosen);
                }
            }
        }

        // The condition a form must belong to: the new one, else the stored one.
        let new_condition = update.fields.iter().find(|(code, _)| code == "condition").map(|(_, raw)| raw);
        let condition: Option<Code> = match new_condition {
            Some(Some(RawValue::Text(text))) => Code::parse(text.trim()).ok(),
            Some(_) => None,
            None => match (field(association, "condition"), stored.iter().find(|r| r.field == "condition")) {
                (Some(spec), Some(record)) => match open_value(&key, member, spec, record)? {
                    Some(FieldValue::Code(code)) => Some(code),
                    _ => None,
                },
                _ => None,
            },
        };

        let mut values: BTreeMap<&str, (&ProfileField, Option<FieldValue>)> = BTreeMap::new();
        for (code, raw) in &update.fields {
            let Some(spec) = field(association, code) else {
                problems.push((format!("fields.{code}"), "is not a field of this association".into()));
                continue;
            };
            let parsed = match raw {
                None => Ok(None),
                Some(raw) => {
                    // The value as it is: a retired catalogue code in it may stay.
                    let current =
                        match (spec.kind.uses_catalogue(), stored.iter().find(|r| r.field == spec.code.as_str())) {
                            (true, Some(record)) => open_value(&key, member, spec, record)?,
                            _ => None,
                        };
                    parse_value(
                        spec,
                        raw.clone(),
                        &settings.catalog,
                        condition.as_ref(),
                        current_year,
                        current.as_ref(),
                    )
                }
            };
            match parsed {
                Ok(value) => {
                    values.insert(spec.code.as_str(), (spec, value));
                }
                Err(problem) => problems.push((format!("fields.{code}"), problem.to_owned())),
            }
        }
        // A form belongs to its condition: a new condition that the stored
        // form is not a form of, or taking the condition away, takes the form
        // away in the same write (else it would go on telling the condition).
        if new_condition.is_some() && !values.contains_key("condition_form") {
            if let (Some(spec), Some(record)) =
                (field(association, "condition_form"), stored.iter().find(|r| r.field == "condition_form"))
            {
                let fits = match open_value(&key, member, spec, record)? {
                    Some(FieldValue::Code(form)) => {
                        condition.as_ref().is_some_and(|c| form_of(&settings.catalog, c, &form).is_some())
                    }
                    _ => true,
                };
                if !fits {
                    values.insert(spec.code.as_str(), (spec, None));
                }
            }
        }
        if !problems.is_empty() {
            return Err(ProfileError::Invalid(problems));
        }
        let stores_health = values.values().any(|(spec, value)| spec.health && value.is_some());
        if stores_health && !self.has_health_consent(association, member).await? {
            return Err(ProfileError::ConsentRequired);
        }

        let chosen_before =
            |code: &str| stored.iter().find(|r| r.field == code).and_then(|r| Visibility::parse(&r.visibility));
        // Every choice as it will be, so that a field that gives another
        // away is counted no more open than that one (`visibility_in_profile`).
        let chosen_after = |code: &str| visibility.get(code).copied().or_else(|| chosen_before(code));
        let counted = |spec: &ProfileField| visibility_in_profile(&settings.profile_fields, spec, &chosen_after);
        let mut rows = Vec::new();
        for (code, (spec, value)) in &values {
            let visibility =
                visibility.get(code).copied().or_else(|| chosen_before(code)).unwrap_or(spec.default_visibility);
            rows.push(self.sealed_row(&key, association, member, spec, value.as_ref(), visibility, counted(spec))?);
        }
        for (code, chosen) in &visibility {
            if values.contains_key(code) {
                continue;
            }
            let Some(spec) = field(association, code) else { continue };
            rows.push(NewProfileValue {
                association_id: association.id.clone(),
                member_id: member.clone(),
                field: spec.code.to_string(),
                visibility: chosen.to_string(),
                value: None,
                keep_value: true,
                terms: Vec::new(),
                terms_visibility: counted(spec).rank(),
                updated_at: self.clock.now(),
            });
        }
        // Stored values of fields that imply another keep their choice, but
        // their search terms follow a change of the field they imply.
        for record in &stored {
            let untouched =
                !values.contains_key(record.field.as_str()) && !visibility.contains_key(record.field.as_str());
            if !untouched || record.value.is_none() || implied_field(&record.field).is_none() {
                continue;
            }
            let Some(spec) = field(association, &record.field) else { continue };
            rows.push(NewProfileValue {
                association_id: association.id.clone(),
                member_id: member.clone(),
                field: spec.code.to_string(),
                visibility: record.visibility.clone(),
                value: None,
                keep_value: true,
                terms: Vec::new(),
                terms_visibility: counted(spec).rank(),
                updated_at: self.clock.now(),
            });
        }
        let discoverable = update.discoverable.map(|d| (&association.id, member, d));
        self.store.write_profile(&rows, discoverable).await?;
        Ok(())
    }

    /// The fields of `member` that `sight` lets the viewer see, in the
    /// association's order. Hidden fields are not even decrypted.
    /// `key` is the association's, derived once by the caller (a page of
    /// search results discloses twenty members with it).
    pub(crate) fn disclose(
        &self,
        association: &Association,
        key: &AssociationKey,
        member: &MemberId,
        sight: Sight,
        records: &[ProfileValueRecord],
    ) -> Result<Vec<(ProfileField, FieldValue)>, ProfileError> {
        if !sight.exists() {
            return Ok(Vec::new());
        }
        let fields = &association.settings.profile_fields;
        let chosen_of =
            |code: &str| records.iter().find(|r| r.field == code).and_then(|r| Visibility::parse(&r.visibility));
        let mut shown = Vec::new();
        for spec in fields {
            let Some(record) = records.iter().find(|r| r.field == spec.code.as_str()) else { continue };
            if Visibility::parse(&record.visibility).is_none() {
                continue;
            }
            // A form is never shown where its condition is not (`IMPLIES`).
            if !sight.sees_at(visibility_in_profile(fields, spec, &chosen_of)) {
                continue;
            }
            if let Some(value) = open_value(key, member, spec, record)? {
                shown.push((spec.clone(), value));
            }
        }
        Ok(shown)
    }
}
