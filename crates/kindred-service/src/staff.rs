//! service::staff — the association's staff at work: the verification
//! queue, approval and suspension, roles, the member list, letters,
//! invitations and the audit log. Every action here, and every view of
//! personal data, writes an audit entry first; if that fails, nothing is
//! shown or changed.

use crate::admission::{Letter, INVITATION_CODE_LEN, INVITATION_VALID_DAYS};
use crate::crypto::CryptoError;
use crate::cursor::CursorList;
use crate::letter_pdf::{letters_pdf, LetterPdfError, PrintedLetter};
use crate::notices::Notice;
use crate::sessions::{Caller, Member};
use crate::{Association, Kindred};
use chrono::{DateTime, Duration, Utc};
use kindred_domain::codes::OneTimeCode;
use kindred_domain::id::random_token;
use kindred_domain::member_list::{parse_member_list, MemberListError};
use kindred_domain::text::{self, Lines};
use kindred_domain::{AccountRole, AccountStatus, Language, MemberId};
use kindred_store::{AuditRecord, NewAuditEntry, NewInvitations, PendingVerification, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    #[error("no such member")]
    NoSuchMember,
    #[error("the member is not in a state where this applies")]
    WrongState,
    /// Staff may not do this to this account (their own, or an admin's
    /// for a moderator), whatever its state.
    #[error("this account's staff may not do this to it")]
    NotAllowed,
    /// The association's last active admin would lose the role.
    #[error("the last active admin cannot give up the admin role")]
    LastAdmin,
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    MemberList(#[from] MemberListError),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    LetterPdf(#[from] LetterPdfError),
}

/// Most invitation codes one request may create.
pub const MAX_INVITATIONS: u32 = 500;
/// Longest note on an approval or suspension.
pub(crate) const MAX_NOTE: usize = 2000;

pub(crate) fn note(raw: Option<&str>) -> Result<Option<String>, StaffError> {
    let note = raw.map(str::trim).filter(|t| !t.is_empty());
    match note {
        Some(t) if t.chars().count() > MAX_NOTE => {
            Err(StaffError::Invalid(format!("note: at most {MAX_NOTE} characters")))
        }
        Some(t) => text::clean(t, Lines::Many).map(Some).map_err(|p| StaffError::Invalid(format!("note: {p}"))),
        None => Ok(None),
    }
}

/// The audit detail of a request that changed nothing: the state the
/// account was in, and the note if staff wrote one.
fn unchanged(state: &str, note: Option<&str>) -> String {
    match note {
        Some(note) => format!("{state}: {note}"),
        None => state.to_owned(),
    }
}

impl Kindred {
    /// Appends to the audit log.
    pub async fn audit(
        &self,
        association: &Association,
        actor: &MemberId,
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
                actor_id: Some(actor.as_str()),
                action,
                target_id: target,
                detail,
            })
            .await
    }

    pub async fn pending_verifications(
        &self,
        association: &Association,
        staff: &Caller,
    ) -> Result<Vec<PendingVerification>, StoreError> {
        self.audit(association, &staff.member.id, "verifications.viewed", None, None).await?;
        let pending = self.store.pending_verifications(&association.id).await?;
        // Each member's admission request shown is an access to their data,
        // which they see in their access log (`service::export`).
        for row in &pending {
            self.audit(association, &staff.member.id, "verification.viewed", Some(&row.member_id), None).await?;
        }
        Ok(pending)
    }

    async fn target(&self, association: &Association, id: &str) -> Result<Member, StaffError> {
        self.member(association, id).await?.ok_or(StaffError::NoSuchMember)
    }

    /// A staff request about a member that is refused (the answer tells
    /// staff something of the account: its state or role), logged before
    /// the refusal is shown. Gives the error to return: `WrongState`, or
    /// the store's if the entry could not be written.
    async fn refuse(
        &self,
        association: &Association,
        staff: &Caller,
        target: &Member,
        what: &str,
        why: &str,
        refusal: StaffError,
    ) -> StaffError {
        let detail = format!("{what}: {why}");
        match self.audit(association, &staff.member.id, "member.refused", Some(target.id.as_str()), Some(&detail)).await
        {
            Ok(()) => refusal,
            Err(error) => StaffError::Store(error),
        }
    }

    /// A member by id for a staff page (shown again after a refused
    /// request, say); the view is logged.
    pub async fn member_for_staff(
        &self,
        association: &Association,
        staff: &Caller,
        member_id: &str,
    ) -> Result<Option<Member>, StoreError> {
        let found = self.member(association, member_id).await?;
        if let Some(member) = &found {
            self.audit(association, &staff.member.id, "member.viewed", Some(member.id.as_str()), None).await?;
        }
        Ok(found)
    }

    /// Manual approval, with a note for the audit log.
    pub async fn approve(
        &self,
        association: &Association,
        staff: &Caller,
        member_id: &str,
        raw_note: Option<&str>,
    ) -> Result<AccountStatus, StaffError> {
        let note = note(raw_note)?;
        let target = self.target(association, member_id).await?;
        match target.status {
            AccountStatus::Unverified => {}
            AccountStatus::Active => {
                // Nothing changes, but staff looked the account up: logged all the same.
                let detail = unchanged("already active", note.as_deref());
                self.audit(association, &staff.member.id, "member.approved", Some(target.id.as_str()), Some(&detail))
                    .await?;
                return Ok(AccountStatus::Active);
            }
            other => {
                return Err(self
                    .refuse(association, staff, &target, "approve", other.as_str(), StaffError::WrongState)
                    .await)
            }
        }
        self.audit(association, &staff.member.id, "member.approved", Some(target.id.as_str()), note.as_deref()).await?;
        if !self
            .store
            .change_status(&association.id, &target.id, AccountStatus::Unverified, AccountStatus::Active)
            .await?
        {
            return Err(StaffError::WrongState);
        }
        self.note_verification(association, &target.id, kindred_domain::settings::AdmissionProcedure::Manual).await;
        let sign_in = format!("{}/sign-in", self.association_url(association));
        self.notify(association, &target.email, target.language.as_deref(), Notice::Verified { sign_in: &sign_in });
        Ok(AccountStatus::Active)
    }

    /// Suspends an account: its sessions end, it cannot sign in.
    pub async fn suspend(
        &self,
        association: &Association,
        staff: &Caller,
        member_id: &str,
        raw_note: Option<&str>,
    ) -> Result<AccountStatus, StaffError> {
        let note = note(raw_note)?;
        let target = self.target(association, member_id).await?;
        if target.id == staff.member.id {
            return Err(self
                .refuse(association, staff, &target, "suspend", "own account", StaffError::NotAllowed)
                .await);
        }
        if target.role == AccountRole::Admin && staff.member.role != AccountRole::Admin {
            return Err(self.refuse(association, staff, &target, "suspend", "an admin", StaffError::NotAllowed).await);
        }
        if target.status == AccountStatus::Suspended {
            let detail = unchanged("already suspended", note.as_deref());
            self.audit(association, &staff.member.id, "member.suspended", Some(target.id.as_str()), Some(&detail))
                .await?;
            return Ok(AccountStatus::Suspended);
        }
        self.audit(association, &staff.member.id, "member.suspended", Some(target.id.as_str()), note.as_deref())
            .await?;
        self.store.change_status(&association.id, &target.id, target.status, AccountStatus::Suspended).await?;
        self.store.delete_sessions_except(&association.id, &target.id, None).await?;
        self.sessions_changed(association, &target.id).await;
        Ok(AccountStatus::Suspended)
    }

    /// Ends a suspension: the account is active again.
    pub async fn reinstate(
        &self,
        association: &Association,
        staff: &Caller,
        member_id: &str,
        raw_note: Option<&str>,
    ) -> Result<AccountStatus, StaffError> {
        let note = note(raw_note)?;
        let target = self.target(association, member_id).await?;
        if target.status != AccountStatus::Suspended {
            return Err(self
                .refuse(association, staff, &target, "reinstate", target.status.as_str(), StaffError::WrongState)
                .await);
        }
        self.audit(association, &staff.member.id, "member.reinstated", Some(target.id.as_str()), note.as_deref())
            .await?;
        self.store.change_status(&association.id, &target.id, AccountStatus::Suspended, AccountStatus::Active).await?;
        Ok(AccountStatus::Active)
    }

    /// Grants or withdraws a role; a professional may carry a badge text.
    pub async fn set_role(
        &self,
        association: &Association,
        staff: &Caller,
        member_id: &str,
        role: AccountRole,
        badge: Option<&str>,
    ) -> Result<Member, StaffError> {
        let badge = badge.map(str::trim).filter(|b| !b.is_empty());
        if let Some(b) = badge {
            if b.chars().count() > 60 || text::problem(b, Lines::One).is_some() {
                return Err(StaffError::Invalid("badge: one line of at most 60 characters".into()));
            }
        }
        let badge = if role == AccountRole::Professional { badge } else { None };
        let target = self.target(association, member_id).await?;
        // An association must never be left without an active admin: the
        // last one keeps the role (checked again in the write, for a race).
        let demoted = target.role == AccountRole::Admin && role != AccountRole::Admin;
        if demoted && self.store.other_active_admins(&association.id, &target.id).await? == 0 {
            return Err(self.last_admin(association, staff, &target).await);
        }
        let detail = format!(
            "{} -> {}{}",
            target.role.as_str(),
            role.as_str(),
            badge.map(|b| format!(" ({b})")).unwrap_or_default()
        );
        self.audit(association, &staff.member.id, "member.role_changed", Some(target.id.as_str()), Some(&detail))
            .await?;
        if !self.store.set_role(&association.id, &target.id, role, badge).await? {
            return Err(self.last_admin(association, staff, &target).await);
        }
        // What their sockets are sent depends on the role (closed groups'
        // counts for staff): their sessions are authenticated anew.
        self.sessions_changed(association, &target.id).await;
        self.target(association, member_id).await
    }

    async fn last_admin(&self, association: &Association, staff: &Caller, target: &Member) -> StaffError {
        self.refuse(association, staff, target, "role", "last admin", StaffError::LastAdmin).await
    }

    /// Members with a role other than member.
    pub async fn staff_members(&self, association: &Association, staff: &Caller) -> Result<Vec<Member>, StoreError> {
        self.audit(association, &staff.member.id, "roles.viewed", None, None).await?;
        self.store.staff_members(&association.id).await?.into_iter().map(Member::from_record).collect()
    }

    /// Finds a member by pseudonym for role management.
    pub async fn find_member_for_staff(
        &self,
        association: &Association,
        staff: &Caller,
        pseudonym: &str,
    ) -> Result<Option<Member>, StoreError> {
        let Ok(pseudonym) = kindred_domain::Pseudonym::parse(pseudonym) else { return Ok(None) };
        let found = self.store.member_by_pseudonym(&association.id, &pseudonym).await?;
        let found = found.map(Member::from_record).transpose()?;
        if let Some(member) = &found {
            self.audit(association, &staff.member.id, "member.viewed", Some(member.id.as_str()), None).await?;
        }
        Ok(found)
    }

    /// Replaces the member list with the uploaded CSV; only keyed hashes
    /// are stored. Returns how many entries the upload held.
    pub async fn import_member_list(
        &self,
        association: &Association,
        staff: &Caller,
        csv: &str,
    ) -> Result<usize, StaffError> {
        let entries = parse_member_list(csv)?;
        if entries.is_empty() {
            // An empty file would otherwise wipe the stored list.
            return Err(StaffError::Invalid("body: the list has no entries".into()));
        }
        let key = self.keys.association(&association.id)?;
        let hashes: Vec<String> = entries.iter().map(|e| key.search_token("member-list", &e.canonical())).collect();
        let detail = format!("{} entries", hashes.len());
        self.audit(association, &staff.member.id, "member_list.imported", None, Some(&detail)).await?;
        let import_id = random_token();
        self.store.replace_member_list(&association.id, &hashes, &import_id[..26]).await?;
        Ok(hashes.len())
    }

    /// The letters waiting to be printed, with addresses and codes. Each
    /// address shown is logged.
    pub async fn letters(&self, association: &Association, staff: &Caller) -> Result<Vec<Letter>, StaffError> {
        // The look at the queue itself, even when it is empty.
        self.audit(association, &staff.member.id, "letters.viewed", None, None).await?;
        let rows = self.store.letters_to_print(&association.id, self.clock.now()).await?;
        let mut letters = Vec::with_capacity(rows.len());
        for row in rows {
            self.audit(association, &staff.member.id, "letter.viewed", Some(&row.member_id), None).await?;
            let address = self.open_letter(association, &row.member_id, &row.sealed_address)?;
            letters.push(Letter { member_id: row.member_id, address });
        }
        Ok(letters)
    }

    /// The letters as one print-ready PDF, one per page, in the association's language.
    pub async fn letters_pdf(&self, association: &Association, staff: &Caller) -> Result<Vec<u8>, StaffError> {
        let letters = self.letters(association, staff).await?;
        let language = association.settings.default_language;
        let site = association.settings.name.get(language).to_owned();
        let url = self.association_url(association);
        let today = self.clock.now();
        let printed: Vec<PrintedLetter> =
            letters.into_iter().map(|l| printed_letter(&site, &url, language, today, l)).collect();
        Ok(letters_pdf(&printed)?)
    }

    /// New invitation codes, shown once, as one batch under a label staff
    /// choose (so that the batch can be found and revoked later).
    pub async fn create_invitations(
        &self,
        association: &Association,
        staff: &Caller,
        count: u32,
        raw_label: Option<&str>,
    ) -> Result<Vec<String>, StaffError> {
        if count == 0 || count > MAX_INVITATIONS {
            return Err(StaffError::Invalid(format!("count: between 1 and {MAX_INVITATIONS}")));
        }
        let label = crate::staff_tools::invitation_label(raw_label)?;
        let key = self.keys.association(&association.id)?;
        let codes: Vec<OneTimeCode> = (0..count).map(|_| OneTimeCode::generate(INVITATION_CODE_LEN)).collect();
        let hashes: Vec<String> = codes.iter().map(|c| key.search_token("invitation", c.as_str())).collect();
        let batch_id = random_token();
        let batch_id = &batch_id[..26];
        let detail = match &label {
            Some(label) => format!("{count} codes, batch {batch_id}: {label}"),
            None => format!("{count} codes, batch {batch_id}"),
        };
        self.audit(association, &staff.member.id, "invitations.created", None, Some(&detail)).await?;
        let now = self.clock.now();
        let batch = NewInvitations {
            code_hashes: &hashes,
            batch_id,
            label: label.as_deref(),
            created_by: &staff.member.id,
            now,
            expires_at: now + Duration::days(INVITATION_VALID_DAYS),
        };
        self.store.insert_invitations(&association.id, &batch).await?;
        Ok(codes.iter().map(OneTimeCode::display).collect())
    }

    /// The audit log, newest first, a page at a time.
    pub async fn audit_log(
        &self,
        association: &Association,
        staff: &Caller,
        before: Option<(DateTime<Utc>, &str)>,
        limit: i64,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        self.audit(association, &staff.member.id, "audit_log.viewed", None, None).await?;
        self.store.audit_entries(&association.id, before, limit.clamp(1, 500)).await
    }

    /// The cursor to the entries older than `last` (`service::cursor`).
    pub fn audit_cursor(&self, association: &Association, last: &AuditRecord) -> Option<String> {
        let payload = format!("{}~{}", last.at.timestamp_micros(), last.id);
        self.seal_cursor(association, CursorList::AuditLog, &payload)
    }

    /// Where an audit-log cursor this server gave out points; `None` for
    /// anything else.
    pub fn open_audit_cursor(&self, association: &Association, raw: &str) -> Option<(DateTime<Utc>, String)> {
        let payload = self.open_cursor(association, CursorList::AuditLog, raw)?;
        let (micros, id) = payload.split_once('~')?;
        let at =
            DateTime::from_timestamp_micros(micros.parse().ok()?).filter(|at| crate::cursor::plausible_time(*at))?;
        let id_ok = !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric());
        id_ok.then(|| (at, id.to_owned()))
    }
}

fn printed_letter(site: &str, url: &str, language: Language, today: DateTime<Utc>, letter: Letter) -> PrintedLetter {
    let a = letter.address;
    let date = today.format("%Y-%m-%d").to_string();
    let (heading, paragraphs, label, closing) = match language {
        Language::De => (
            "Ihr Bestätigungscode".to_owned(),
            vec![
                format!("Guten Tag {},", a.full_name),
                format!("Sie haben sich bei {site} registriert und um die Bestätigung per Brief gebeten. Mit dem Code unten schalten Sie Ihr Konto frei."),
                format!("So geht es: Melden Sie sich auf {url} an, öffnen Sie „Mein Konto“ und geben Sie den Code unter „Code aus dem Brief“ ein. Der Code gilt 30 Tage und nur einmal; nach fünf falschen Versuchen verfällt er."),
                "Nach der Bestätigung löschen wir Ihre Postanschrift wieder.".to_owned(),
            ],
            "Ihr Code:".to_owned(),
            vec!["Mit freundlichen Grüßen".to_owned(), site.to_owned()],
        ),
        Language::Nl => (
            "Uw bevestigingscode".to_owned(),
            vec![
                format!("Beste {},", a.full_name),
                format!("U hebt zich aangemeld bij {site} en gevraagd om bevestiging per brief. Met de code hieronder activeert u uw account."),
                format!("Zo werkt het: log in op {url}, open ‘Mijn account’ en vul de code in bij ‘Code uit de brief’. De code is 30 dagen en één keer geldig; na vijf foute pogingen vervalt hij."),
                "Na de bevestiging verwijderen wij uw postadres weer.".to_owned(),
            ],
            "Uw code:".to_owned(),
            vec!["Met vriendelijke groet".to_owned(), site.to_owned()],
        ),
        Language::En => (
            "Your confirmation code".to_owned(),
            vec![
                format!("Dear {},", a.full_name),
                format!("You registered with {site} and asked to be verified by letter. The code below activates your account."),
                format!("How to use it: sign in at {url}, open \"My account\" and enter the code under \"Code from the letter\". The code is valid for 30 days, once; after five wrong attempts it expires."),
                "Once you are verified, we delete your postal address.".to_owned(),
            ],
            "Your code:".to_owned(),
            vec!["Kind regards".to_owned(), site.to_owned()],
        ),
    };
    PrintedLetter {
        sender_line: site.to_owned(),
        recipient: vec![a.full_name, a.street, format!("{} {}", a.postcode, a.city)],
        date_line: date,
        heading,
        paragraphs,
        code: a.code,
        code_label: label,
        closing,
    }
}
