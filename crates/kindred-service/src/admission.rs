//! service::admission — step 2: verification by the association, through
//! the procedures it opened, and who may then use what.

use crate::crypto::CryptoError;
use crate::sessions::{Caller, Member};
use crate::throttle::{self, Throttled};
use crate::{Association, Kindred};
use chrono::Duration;
use kindred_domain::codes::OneTimeCode;
use kindred_domain::member_list::MemberListEntry;
use kindred_domain::settings::AdmissionProcedure;
use kindred_domain::{AccountRole, AccountStatus};
use kindred_store::StoreError;
use serde::{Deserialize, Serialize};

pub const LETTER_CODE_LEN: usize = 8;
pub const LETTER_VALID_DAYS: i64 = 30;
pub const LETTER_ATTEMPTS: i64 = 5;
pub const INVITATION_CODE_LEN: usize = 12;
pub const INVITATION_VALID_DAYS: i64 = 90;

/// Why a caller may not do something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("please sign in")]
    NotSignedIn,
    #[error("the association has not verified this account yet")]
    NotVerified,
    #[error("the association asks for a second factor; please set one up")]
    SecondFactorRequired,
    /// The pseudonym chosen at registration was taken (or looked like one
    /// that was): until the member chose another, they cannot take part.
    #[error("your pseudonym is already taken; please choose another")]
    PseudonymNeeded,
    /// The association's terms of use changed since the member consented:
    /// until they accept the new version (or erase their account), they
    /// cannot take part (`Kindred::accept_terms`).
    #[error("the terms of use changed; please read and accept them")]
    TermsNotAccepted,
    #[error("this is for the association's staff")]
    Forbidden,
}

/// What a staff member may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffPower {
    /// Verification queue, approval, suspension: admins and moderators.
    Admission,
    /// Roles, member list, letters, invitations, the audit log: admins.
    Administration,
}

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("this procedure is not offered by the association")]
    NotOffered,
    #[error("the account is not waiting for verification")]
    NotWaiting,
    #[error("the entries do not match")]
    NoMatch,
    #[error("some fields are not accepted")]
    Invalid(Vec<(&'static str, &'static str)>),
    #[error("no letter was requested, or it expired")]
    NoLetter,
    #[error(transparent)]
    Throttled(#[from] Throttled),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A postal address with the code that goes into the letter; sealed as one.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LetterAddress {
    pub full_name: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub code: String,
}

/// A letter for the admin to print.
#[derive(Debug, Clone)]
pub struct Letter {
    pub member_id: String,
    pub address: LetterAddress,
}

pub(crate) const LETTER_FIELD: &str = "letter-address";

fn clean_line(raw: &str, max: usize) -> Option<String> {
    let line = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let ok = !line.is_empty()
        && line.chars().count() <= max
        && kindred_domain::text::problem(&line, kindred_domain::text::Lines::One).is_none();
    ok.then_some(line)
}

impl Kindred {
    /// May this caller use the community? Every community endpoint asks.
    pub fn community_access(&self, association: &Association, caller: &Caller) -> Result<(), Denied> {
        if caller.second_factor_pending {
            return Err(Denied::NotSignedIn);
        }
        if self.terms_outdated(association, &caller.member) {
            return Err(Denied::TermsNotAccepted);
        }
        if caller.member.status != AccountStatus::Active {
            return Err(Denied::NotVerified);
        }
        if caller.member.pseudonym_pending {
            return Err(Denied::PseudonymNeeded);
        }
        if self.second_factor_required(association, caller) && !caller.member.has_second_factor() {
            return Err(Denied::SecondFactorRequired);
        }
        Ok(())
    }

    /// May this caller do staff work of this kind?
    pub fn staff_access(&self, association: &Association, caller: &Caller, power: StaffPower) -> Result<(), Denied> {
        self.community_access(association, caller)?;
        let allowed = match power {
            StaffPower::Admission => caller.member.is_staff(),
            StaffPower::Administration => caller.member.role == AccountRole::Admin,
        };
        allowed.then_some(()).ok_or(Denied::Forbidden)
    }

    fn waiting(
        &self,
        association: &Association,
        member: &Member,
        procedure: AdmissionProcedure,
    ) -> Result<(), VerifyError> {
        if !association.settings.admission.procedures.contains(&procedure) {
            return Err(VerifyError::NotOffered);
        }
        if member.status != AccountStatus::Unverified {
            return Err(VerifyError::NotWaiting);
        }
        Ok(())
    }

    /// Member number, postcode and birth date against the uploaded list.
    /// A mismatch does not say which entry was wrong.
    pub async fn verify_member_number(
        &self,
        association: &Association,
        member: &Member,
        member_number: &str,
        postcode: &str,
        birth_date: &str,
    ) -> Result<AccountStatus, VerifyError> {
        self.waiting(association, member, AdmissionProcedure::MemberNumber)?;
        self.count_attempt(association, throttle::MEMBER_NUMBER, member.id.as_str()).await??;
        let entry = MemberListEntry::parse(member_number, postcode, birth_date).map_err(|_| VerifyError::NoMatch)?;
        let hash = self.keys.association(&association.id)?.search_token("member-list", &entry.canonical());
        if self.store.verify_by_member_number(&association.id, &member.id, &hash).await? {
            self.note_verification(association, &member.id, AdmissionProcedure::MemberNumber).await;
            self.clear_throttle(association, throttle::MEMBER_NUMBER, member.id.as_str()).await?;
            Ok(AccountStatus::Active)
        } else {
            Err(VerifyError::NoMatch)
        }
    }

    /// Asks for a letter with a code to the given address.
    pub async fn request_letter(
        &self,
        association: &Association,
        member: &Member,
        full_name: &str,
        street: &str,
        postcode: &str,
        city: &str,
    ) -> Result<(), VerifyError> {
        self.waiting(association, member, AdmissionProcedure::Letter)?;
        let mut problems = Vec::new();
        let mut field = |name: &'static str, raw: &str, max: usize| {
            clean_line(raw, max).or_else(|| {
                problems.push((name, "required, one line, at most a few words"));
                None
            })
        };
        let (full_name, street, postcode, city) = (
            field("full_name", full_name, 120),
            field("street", street, 120),
            field("postcode", postcode, 12),
            field("city", city, 80),
        );
        let (Some(full_name), Some(street), Some(postcode), Some(city)) = (full_name, street, postcode, city) else {
            return Err(VerifyError::Invalid(problems));
        };
        self.count_attempt(association, throttle::LETTER_REQUEST, member.id.as_str()).await??;
        let code = OneTimeCode::generate(LETTER_CODE_LEN);
        let key = self.keys.association(&association.id)?;
        let address = LetterAddress { full_name, street, postcode, city, code: code.display() };
        let json = serde_json::to_vec(&address).map_err(|e| CryptoError::Failed(e.to_string()))?;
        let sealed = key.seal(&member.id, LETTER_FIELD, &json)?;
        let now = self.clock.now();
        self.store
            .request_letter(
                &association.id,
                &member.id,
                &sealed,
                &key.search_token("letter-code", code.as_str()),
                now,
                now + Duration::days(LETTER_VALID_DAYS),
            )
            .await?;
        Ok(())
    }

    /// The code from the letter. Five attempts per letter; the address is
    /// erased once it is confirmed.
    pub async fn confirm_letter(
        &self,
        association: &Association,
        member: &Member,
        code: &str,
    ) -> Result<AccountStatus, VerifyError> {
        self.waiting(association, member, AdmissionProcedure::Letter)?;
        let now = self.clock.now();
        let state = self.store.letter_state(&association.id, &member.id).await?;
        let Some(state) = state.filter(|s| s.confirmed_at.is_none() && s.expires_at > now) else {
            return Err(VerifyError::NoLetter);
        };
        if state.attempts >= LETTER_ATTEMPTS {
            return Err(VerifyError::Throttled(Throttled {
                retry_after: (state.expires_at - now).num_seconds().max(1),
            }));
        }
        let attempts = self.store.count_letter_attempt(&association.id, &member.id).await?;
        if attempts > LETTER_ATTEMPTS {
            return Err(VerifyError::Throttled(Throttled {
                retry_after: (state.expires_at - now).num_seconds().max(1),
            }));
        }
        let key = self.keys.association(&association.id)?;
        let matches = OneTimeCode::parse(code, LETTER_CODE_LEN)
            .map(|c| key.search_token("letter-code", c.as_str()))
            .zip(state.code_hash)
            .is_some_and(|(given, stored)| crate::sessions::constant_time_eq(&given, &stored));
        if matches && self.store.confirm_letter(&association.id, &member.id, now).await? {
            self.note_verification(association, &member.id, AdmissionProcedure::Letter).await;
            Ok(AccountStatus::Active)
        } else {
            Err(VerifyError::NoMatch)
        }
    }

    /// An invitation code from the association.
    pub async fn verify_invitation(
        &self,
        association: &Association,
        member: &Member,
        code: &str,
    ) -> Result<AccountStatus, VerifyError> {
        self.waiting(association, member, AdmissionProcedure::Invitation)?;
        self.count_attempt(association, throttle::INVITATION, member.id.as_str()).await??;
        let Some(code) = OneTimeCode::parse(code, INVITATION_CODE_LEN) else { return Err(VerifyError::NoMatch) };
        let hash = self.keys.association(&association.id)?.search_token("invitation", code.as_str());
        if self.store.verify_by_invitation(&association.id, &member.id, &hash, self.clock.now()).await? {
            self.note_verification(association, &member.id, AdmissionProcedure::Invitation).await;
            Ok(AccountStatus::Active)
        } else {
            Err(VerifyError::NoMatch)
        }
    }

    /// Asks staff to verify by hand.
    pub async fn request_manual(&self, association: &Association, member: &Member) -> Result<(), VerifyError> {
        self.waiting(association, member, AdmissionProcedure::Manual)?;
        self.store.request_verification(&association.id, &member.id, "manual", self.clock.now()).await?;
        Ok(())
    }

    /// Where a member stands: their request (procedure, since when) if any.
    pub async fn verification_request(
        &self,
        association: &Association,
        member: &Member,
    ) -> Result<Option<(String, chrono::DateTime<chrono::Utc>)>, StoreError> {
        self.store.verification_request(&association.id, &member.id).await
    }

    /// Opens a sealed letter (staff printing it).
    pub(crate) fn open_letter(
        &self,
        association: &Association,
        member_id: &str,
        sealed: &[u8],
    ) -> Result<LetterAddress, CryptoError> {
        let key = self.keys.association(&association.id)?;
        let member = kindred_domain::MemberId::from_trusted(member_id.to_owned());
        let json = key.open(&member, LETTER_FIELD, sealed)?;
        serde_json::from_slice(&json).map_err(|_| CryptoError::Damaged("letter address"))
    }
}
