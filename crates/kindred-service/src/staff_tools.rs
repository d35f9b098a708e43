//! service::staff_tools — staff work at the volume of a real association
//! (issue 14): one applicant's request as they entered it, declining it with
//! a message, the member directory with partial search and filters,
//! invitation batches listed and revoked, and the counts on the staff page.
//! Like everything in `service::staff`, each view of personal data and
//! each action writes its audit entry first; if that fails, nothing is
//! shown or changed.

use crate::admission::{LetterAddress, StaffPower, INVITATION_CODE_LEN};
use crate::notices::Notice;
use crate::sessions::{Caller, Member};
use crate::staff::{note, StaffError};
use crate::{Association, Kindred};
use chrono::{DateTime, Utc};
use kindred_domain::codes::OneTimeCode;
use kindred_domain::text::{self, Lines};
use kindred_domain::{AccountRole, AccountStatus};
use kindred_store::{DirectoryFilter, InvitationBatch, StoreError};

/// Longest label of an invitation batch.
pub const MAX_LABEL: usize = 80;
/// Members per page of the staff's directory.
pub const DIRECTORY_PAGE: usize = 50;
/// Batches listed on the invitations page (the newest).
const BATCHES_SHOWN: i64 = 200;
/// Longest search text in the directory (longer than any pseudonym).
const MAX_FRAGMENT: usize = 64;

/// The label of a new invitation batch: one line of at most [`MAX_LABEL`]
/// characters, or none.
pub(crate) fn invitation_label(raw: Option<&str>) -> Result<Option<String>, StaffError> {
    let Some(label) = raw.map(str::trim).filter(|l| !l.is_empty()) else { return Ok(None) };
    if label.chars().count() > MAX_LABEL {
        return Err(StaffError::Invalid(format!("label: at most {MAX_LABEL} characters")));
    }
    text::clean(label, Lines::One).map(Some).map_err(|p| StaffError::Invalid(format!("label: {p}")))
}

/// One applicant's request as staff see it.
#[derive(Debug, Clone)]
pub struct Applicant {
    pub member: Member,
    pub registered_at: DateTime<Utc>,
    /// `member_number`, `letter`, `invitation`, `manual` or `none`.
    pub procedure: String,
    pub requested_at: DateTime<Utc>,
    /// Admins only (the data admission needs): the address.
    pub email: Option<String>,
    /// Admins only: the name and postal address of a pending letter,
    /// without its code.
    pub letter: Option<LetterAddress>,
}

/// What the directory lists; every part is optional.
#[derive(Debug, Clone, Default)]
pub struct DirectoryQuery {
    /// Part of a pseudonym, any case.
    pub text: String,
    pub role: Option<AccountRole>,
    pub status: Option<AccountStatus>,
    /// The pseudonym key the previous page ended with.
    pub after: Option<String>,
}

/// A page of the directory.
#[derive(Debug, Clone)]
pub struct DirectoryPage {
    pub members: Vec<(Member, DateTime<Utc>)>,
    /// The cursor to the next page, if there is one.
    pub next: Option<String>,
}

/// A batch of invitation codes and how many of them still work.
#[derive(Debug, Clone)]
pub struct BatchState {
    pub batch: InvitationBatch,
    pub open: i64,
}

/// Numbers for the staff page: what waits for someone.
#[derive(Debug, Clone, Copy, Default)]
pub struct StaffCounts {
    pub verifications: u64,
    /// Admins only: letters waiting to be printed or confirmed.
    pub letters: Option<u64>,
}

impl Kindred {
    /// One applicant in the verification queue, with what they entered;
    /// the look is logged. `NoSuchMember` for anyone not waiting.
    pub async fn applicant(
        &self,
        association: &Association,
        staff: &Caller,
        member_id: &str,
    ) -> Result<Applicant, StaffError> {
        let admin = self.staff_access(association, staff, StaffPower::Administration).is_ok();
        let pending = self.store.pending_verifications(&association.id).await?;
        let Some(request) = pending.into_iter().find(|p| p.member_id == member_id) else {
            return Err(StaffError::NoSuchMember);
        };
        let record = self.store.member(&association.id, member_id).await?.ok_or(StaffError::NoSuchMember)?;
        let registered_at = record.created_at;
        let member = Member::from_record(record)?;
        self.audit(association, &staff.member.id, "verification.viewed", Some(member.id.as_str()), None).await?;
        let letter = match (admin, request.procedure.as_str()) {
            (true, "letter") => match self.store.pending_letter(&association.id, &member.id).await? {
                Some(sealed) => {
                    let mut address = self.open_letter(association, member.id.as_str(), &sealed)?;
                    // The code is for the applicant's letterbox, not for the screen.
                    address.code.clear();
                    Some(address)
                }
                None => None,
            },
            _ => None,
        };
        Ok(Applicant {
            email: admin.then(|| member.email.clone()),
            member,
            registered_at,
            procedure: request.procedure,
            requested_at: request.requested_at,
            letter,
        })
    }

    /// Declines an applicant's request with a message that is mailed to
    /// them (neutral words around it, nothing of who declined). The request
    /// leaves the queue and a pending letter's address is erased; the
    /// applicant may ask again.
    pub async fn decline(
        &self,
        association: &Association,
        staff: &Caller,
        member_id: &str,
        raw_message: &str,
    ) -> Result<(), StaffError> {
        let message = note(Some(raw_message))?.ok_or_else(|| StaffError::Invalid("message: required".into()))?;
        let target = self.member(association, member_id).await?.ok_or(StaffError::NoSuchMember)?;
        if target.status != AccountStatus::Unverified {
            return Err(self.refuse_request(association, staff, &target, "decline").await);
        }
        self.audit(association, &staff.member.id, "member.declined", Some(target.id.as_str()), Some(&message)).await?;
        if !self.store.decline_verification(&association.id, &target.id, self.clock.now()).await? {
            return Err(StaffError::WrongState);
        }
        let account = format!("{}/account", self.association_url(association));
        self.notify(
            association,
            &target.email,
            target.language.as_deref(),
            Notice::Declined { message: &message, account: &account },
        );
        Ok(())
    }

    async fn refuse_request(
        &self,
        association: &Association,
        staff: &Caller,
        target: &Member,
        what: &str,
    ) -> StaffError {
        let detail = format!("{what}: {}", target.status.as_str());
        match self.audit(association, &staff.member.id, "member.refused", Some(target.id.as_str()), Some(&detail)).await
        {
            Ok(()) => StaffError::WrongState,
            Err(error) => StaffError::Store(error),
        }
    }

    /// A page of the staff's member directory; the look is logged with
    /// its filters.
    pub async fn staff_directory(
        &self,
        association: &Association,
        staff: &Caller,
        query: &DirectoryQuery,
    ) -> Result<DirectoryPage, StaffError> {
        let text = query.text.trim();
        if text.chars().count() > MAX_FRAGMENT {
            return Err(StaffError::Invalid(format!("text: at most {MAX_FRAGMENT} characters")));
        }
        let after = query.after.as_deref().filter(|a| !a.is_empty());
        if after.is_some_and(|a| a.chars().count() > 200) {
            return Err(StaffError::Invalid("after: not a cursor".into()));
        }
        // Pseudonym keys are the lowercase pseudonym; so is the fragment.
        let fragment = text.to_lowercase();
        let detail = format!(
            "text={fragment:?} role={} status={}",
            query.role.map(AccountRole::as_str).unwrap_or("any"),
            query.status.map(AccountStatus::as_str).unwrap_or("any"),
        );
        self.audit(association, &staff.member.id, "members.listed", None, Some(&detail)).await?;
        let filter = DirectoryFilter {
            association: &association.id,
            fragment: Some(fragment.as_str()).filter(|f| !f.is_empty()),
            role: query.role.map(AccountRole::as_str),
            status: query.status.map(AccountStatus::as_str),
            after,
            limit: DIRECTORY_PAGE as i64 + 1,
        };
        let mut rows = self.store.staff_directory(&filter).await?;
        let more = rows.len() > DIRECTORY_PAGE;
        rows.truncate(DIRECTORY_PAGE);
        let next = if more { rows.last().map(|r| r.pseudonym.to_lowercase()) } else { None };
        let members = rows
            .into_iter()
            .map(|r| {
                let joined = r.created_at;
                Member::from_record(r).map(|m| (m, joined))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(DirectoryPage { members, next })
    }

    /// The batches of invitation codes, newest first; the look is logged.
    pub async fn invitation_batches(
        &self,
        association: &Association,
        staff: &Caller,
    ) -> Result<Vec<BatchState>, StoreError> {
        self.audit(association, &staff.member.id, "invitations.viewed", None, None).await?;
        let now = self.clock.now();
        let batches = self.store.invitation_batches(&association.id, BATCHES_SHOWN).await?;
        Ok(batches
            .into_iter()
            .map(|batch| {
                // Expired codes are no longer open, used or not.
                let open = if batch.expires_at > now { (batch.total - batch.used - batch.revoked).max(0) } else { 0 };
                BatchState { batch, open }
            })
            .collect())
    }

    /// Revokes the unused codes of a batch; how many.
    pub async fn revoke_invitation_batch(
        &self,
        association: &Association,
        staff: &Caller,
        batch_id: &str,
    ) -> Result<u64, StaffError> {
        let well_formed =
            !batch_id.is_empty() && batch_id.len() <= 64 && batch_id.chars().all(|c| c.is_ascii_alphanumeric());
        if !well_formed {
            return Err(StaffError::NoSuchMember);
        }
        self.audit(association, &staff.member.id, "invitations.revoked", None, Some(&format!("batch {batch_id}")))
            .await?;
        Ok(self.store.revoke_invitation_batch(&association.id, batch_id, self.clock.now()).await?)
    }

    /// Revokes one unused code that staff type in (a code handed out and
    /// then lost); false when no unused code has these characters.
    pub async fn revoke_invitation_code(
        &self,
        association: &Association,
        staff: &Caller,
        raw_code: &str,
    ) -> Result<bool, StaffError> {
        let Some(code) = OneTimeCode::parse(raw_code, INVITATION_CODE_LEN) else {
            return Err(StaffError::Invalid("code: not an invitation code".into()));
        };
        let hash = self.keys.association(&association.id)?.search_token("invitation", code.as_str());
        self.audit(association, &staff.member.id, "invitations.revoked", None, Some("one code")).await?;
        Ok(self.store.revoke_invitation_code(&association.id, &hash, self.clock.now()).await?)
    }

    /// What waits for staff, for the staff page. Counts only: no audit entry.
    pub async fn staff_counts(&self, association: &Association, staff: &Caller) -> Result<StaffCounts, StoreError> {
        let verifications = self.store.count_pending_verifications(&association.id).await?;
        let letters = if self.staff_access(association, staff, StaffPower::Administration).is_ok() {
            Some(self.store.letters_to_print(&association.id, self.clock.now()).await?.len() as u64)
        } else {
            None
        };
        Ok(StaffCounts { verifications: u64::try_from(verifications).unwrap_or(0), letters })
    }
}
