//! service::accounts — creating accounts: by the operator, and by
//! registration (step 1 of admission) with e-mail confirmation; password
//! reset and change.

use crate::crypto::CryptoError;
use crate::notices::Notice;
use crate::passwords::HashError;
use crate::reauth::{Proof, ReauthError};
use crate::sessions::{token_hash, Caller, Client, Member};
use crate::throttle::{self, Throttled};
use crate::{Association, Kindred};
use chrono::Duration;
use kindred_domain::account::{EmailError, PasswordError, PseudonymError};
use kindred_domain::id::random_token;
use kindred_domain::settings::AdmissionProcedure;
use kindred_domain::{AccountRole, AccountStatus, EmailAddress, Language, MemberId, Password, Pseudonym};
use kindred_store::{Conflict, ConsentRecord, NewMember, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum AddUserError {
    #[error("e-mail {0}")]
    Email(#[from] EmailError),
    #[error("pseudonym {0}")]
    Pseudonym(#[from] PseudonymError),
    #[error("password {0}")]
    Password(#[from] PasswordError),
    #[error("role must be admin, moderator, professional or member")]
    Role,
    #[error("an account with this e-mail address already exists in this association")]
    EmailTaken,
    #[error("the pseudonym is already taken in this association, or looks like one that is (pseudonyms are compared by looks, without regard to case)")]
    PseudonymTaken,
    #[error(transparent)]
    Hash(#[from] HashError),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for AddUserError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Conflict(Conflict::Email) => Self::EmailTaken,
            StoreError::Conflict(Conflict::Pseudonym) => Self::PseudonymTaken,
            other => Self::Store(other),
        }
    }
}

/// Input of `kindred user add`, still raw.
pub struct AddUser<'a> {
    pub email: &'a str,
    pub pseudonym: &'a str,
    pub password: &'a str,
    pub role: &'a str,
}

impl Kindred {
    /// Creates an active, verified account (operator and demo use; members
    /// normally go through registration and verification).
    pub async fn add_user(&self, association: &Association, input: AddUser<'_>) -> Result<MemberId, AddUserError> {
        let email = EmailAddress::parse(input.email)?;
        let pseudonym = Pseudonym::parse(input.pseudonym)?;
        let password = Password::parse(input.password)?;
        let role = AccountRole::parse(input.role).ok_or(AddUserError::Role)?;
        let password_hash = self.passwords.hash(&password).await?;
        let id = MemberId::random();
        let pseudonym_terms = self.pseudonym_terms(&association.id, &pseudonym)?;
        self.store
            .insert_member(&NewMember {
                id: id.clone(),
                association_id: association.id.clone(),
                email,
                pseudonym,
                password_hash,
                role,
                status: AccountStatus::Active,
                // Not findable until the member says so: the most private choice.
                discoverable: false,
                created_at: self.clock.now(),
                pseudonym_terms,
            })
            .await?;
        Ok(id)
    }
}

/// Why a field of a form was not accepted; the web layer words it in the
/// reader's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldProblem {
    EmailInvalid,
    PasswordTooShort,
    PasswordTooLong,
    PasswordCommon,
    PseudonymLength,
    PseudonymCharacters,
    /// Invisible characters or special forms of letters (full-width, say).
    PseudonymUnusual,
    /// Letters of different scripts, mixed the way look-alikes are made.
    PseudonymMixedScripts,
    PseudonymTaken,
    TermsNotAccepted,
    PasswordWrong,
}

impl FieldProblem {
    /// A stable key, e.g. for message catalogues.
    pub fn key(self) -> &'static str {
        match self {
            Self::EmailInvalid => "email-invalid",
            Self::PasswordTooShort => "password-too-short",
            Self::PasswordTooLong => "password-too-long",
            Self::PasswordCommon => "password-common",
            Self::PseudonymLength => "pseudonym-length",
            Self::PseudonymCharacters => "pseudonym-characters",
            Self::PseudonymUnusual => "pseudonym-unusual",
            Self::PseudonymMixedScripts => "pseudonym-mixed-scripts",
            Self::PseudonymTaken => "pseudonym-taken",
            Self::TermsNotAccepted => "terms-not-accepted",
            Self::PasswordWrong => "password-wrong",
        }
    }
}

impl From<PasswordError> for FieldProblem {
    fn from(error: PasswordError) -> Self {
        match error {
            PasswordError::TooShort => Self::PasswordTooShort,
            PasswordError::TooLong => Self::PasswordTooLong,
            PasswordError::Common => Self::PasswordCommon,
        }
    }
}

impl From<PseudonymError> for FieldProblem {
    fn from(error: PseudonymError) -> Self {
        match error {
            PseudonymError::Length => Self::PseudonymLength,
            PseudonymError::Characters => Self::PseudonymCharacters,
            PseudonymError::Unusual => Self::PseudonymUnusual,
            PseudonymError::MixedScripts => Self::PseudonymMixedScripts,
        }
    }
}

/// Fields that were not accepted, by field name.
pub type FieldProblems = Vec<(&'static str, FieldProblem)>;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("some fields are not accepted")]
    Invalid(FieldProblems),
    #[error("the link is unknown, expired or already used")]
    InvalidToken,
    #[error("the pseudonym is settled; it is changed with the association's staff")]
    PseudonymSettled,
    #[error(transparent)]
    Throttled(#[from] Throttled),
    #[error(transparent)]
    Hash(#[from] HashError),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub struct Registration<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub pseudonym: &'a str,
    pub accept_terms: bool,
    pub language: Language,
    pub client: &'a Client,
}

/// What confirming an address answers.
pub struct Confirmed {
    pub status: AccountStatus,
    /// The pseudonym chosen at registration is taken: choose another.
    pub pseudonym_needed: bool,
}

/// What registration answers, the same whether or not the address was new.
pub struct Registered {
    pub member_id: MemberId,
    pub status: AccountStatus,
}

/// How long the links in mails work.
const CONFIRM_LINK_HOURS: i64 = 48;
const RESET_LINK_MINUTES: i64 = 60;
pub const CONSENT_TERMS: &str = "terms";

/// Why accepting the terms did not work.
#[derive(Debug, thiserror::Error)]
pub enum TermsError {
    #[error("the terms of use changed meanwhile; please read the current version")]
    Changed,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Kindred {
    /// Step 1 of admission. An address that already has an account gets
    /// the same answer as a new one, and its owner a mail saying so: the
    /// answer never tells whether someone is a member.
    pub async fn register(
        &self,
        association: &Association,
        input: Registration<'_>,
    ) -> Result<Registered, AccountError> {
        let mut problems = FieldProblems::new();
        let email =
            EmailAddress::parse(input.email).map_err(|_| problems.push(("email", FieldProblem::EmailInvalid))).ok();
        let pseudonym = Pseudonym::parse(input.pseudonym).map_err(|e| problems.push(("pseudonym", e.into()))).ok();
        let password = Password::parse(input.password).map_err(|e| problems.push(("password", e.into()))).ok();
        if !input.accept_terms {
            problems.push(("accept_terms", FieldProblem::TermsNotAccepted));
        }
        let (Some(email), Some(pseudonym), Some(password), true) = (email, pseudonym, password, problems.is_empty())
        else {
            return Err(AccountError::Invalid(problems));
        };
        self.count_attempt(association, throttle::REGISTER_PER_ADDRESS, &input.client.address_key()).await??;
        let password_hash = self.passwords.hash(&password).await?;
        let answer = Registered { member_id: MemberId::random(), status: AccountStatus::EmailUnconfirmed };
        let new = NewMember {
            id: answer.member_id.clone(),
            association_id: association.id.clone(),
            email,
            pseudonym,
            password_hash,
            role: AccountRole::Member,
            status: AccountStatus::EmailUnconfirmed,
            discoverable: false,
            created_at: self.clock.now(),
            // Written when the pseudonym is claimed, not before.
            pseudonym_terms: Vec::new(),
        };
        // The same statements whether or not the address is known; the
        // pseudonym is not looked at (it is claimed at confirmation).
        let language = input.language.code();
        let check = self.decoy_check(association, input.password)?;
        let created = self
            .store
            .register_member(&new, language, CONSENT_TERMS, &association.settings.admission.terms_version, &check)
            .await?;
        // What differs for a known address happens after the answer.
        let (kindred, association) = (self.clone(), association.clone());
        self.in_background("registration", async move {
            if created {
                kindred.send_confirmation(&association, &new.id, new.email.as_str(), Some(language)).await
            } else {
                kindred.tell_owner_of(&association, &new.email).await
            }
        });
        Ok(answer)
    }

    /// Someone registered with an address that has an account: its owner
    /// is told, in their language.
    async fn tell_owner_of(&self, association: &Association, email: &EmailAddress) -> Result<(), AccountError> {
        if let Some(existing) = self.store.member_by_email(&association.id, &email.key()).await? {
            self.tell_already_registered(association, &existing.email, existing.language.as_deref());
        }
        Ok(())
    }

    fn tell_already_registered(&self, association: &Association, email: &str, language: Option<&str>) {
        let base = self.association_url(association);
        let sign_in = format!("{base}/sign-in");
        let reset = format!("{base}/forgot-password");
        self.notify(association, email, language, Notice::AlreadyRegistered { sign_in: &sign_in, reset: &reset });
    }

    async fn send_confirmation(
        &self,
        association: &Association,
        member: &MemberId,
        email: &str,
        language: Option<&str>,
    ) -> Result<(), AccountError> {
        let token = random_token();
        let now = self.clock.now();
        self.store.expire_email_tokens(&association.id, member, "confirm", now).await?;
        self.store
            .insert_email_token(
                &association.id,
                member,
                &token_hash(&token),
                "confirm",
                now,
                now + Duration::hours(CONFIRM_LINK_HOURS),
            )
            .await?;
        let link = format!("{}/confirm-email?token={token}", self.association_url(association));
        self.notify(association, email, language, Notice::ConfirmEmail { link: &link });
        Ok(())
    }

    /// Sends a new confirmation link to a signed-in member whose address is
    /// unconfirmed; for a decoy (the address has another account) its
    /// owner is told again instead, as at registration.
    pub async fn resend_confirmation(&self, association: &Association, member: &Member) -> Result<(), AccountError> {
        if member.status != AccountStatus::EmailUnconfirmed {
            return Ok(());
        }
        self.count_attempt(association, throttle::CONFIRM_RESEND, member.id.as_str()).await??;
        if self.store.is_decoy(&association.id, &member.id).await? {
            let email = EmailAddress::parse(&member.email)
                .map_err(|_| AccountError::Store(StoreError::Corrupt(format!("member {}: e-mail", member.id))))?;
            return self.tell_owner_of(association, &email).await;
        }
        self.send_confirmation(association, &member.id, &member.email, member.language.as_deref()).await
    }

    /// A keyed hash of a password given at registration, kept with a decoy
    /// so that sign-in can tell the decoy's password without a second
    /// Argon2 run (`Kindred::login`).
    pub(crate) fn decoy_check(&self, association: &Association, password: &str) -> Result<String, CryptoError> {
        Ok(self.keys.association(&association.id)?.search_token("decoy-password", password))
    }

    /// Confirms an address with the token from the mail, and claims the
    /// pseudonym chosen at registration: whether it was taken is told
    /// only here, to whoever holds the mailed link.
    pub async fn confirm_email(&self, association: &Association, token: &str) -> Result<Confirmed, AccountError> {
        let token = token.trim();
        if token.is_empty() || token.len() > 128 {
            return Err(AccountError::InvalidToken);
        }
        let now = self.clock.now();
        let member_id = self
            .store
            .use_email_token(&association.id, &token_hash(token), "confirm", now)
            .await?
            .ok_or(AccountError::InvalidToken)?;
        self.store.confirm_email(&association.id, &member_id, now).await?;
        let open = &association.settings.admission.procedures;
        if open.contains(&AdmissionProcedure::Manual) {
            self.store.request_verification(&association.id, &member_id, "manual", now).await?;
        }
        let pseudonym_needed = self.settle_pseudonym(association, &member_id).await?;
        let record = self.store.member(&association.id, member_id.as_str()).await?;
        let status = record
            .and_then(|r| AccountStatus::parse(&r.status))
            .ok_or_else(|| StoreError::Corrupt(format!("member {member_id}: status")))?;
        Ok(Confirmed { status, pseudonym_needed })
    }

    /// Claims a pending member's wished pseudonym; tells whether they must
    /// still choose one (it was taken, or looked like one that was).
    async fn settle_pseudonym(&self, association: &Association, member: &MemberId) -> Result<bool, AccountError> {
        let Some(record) = self.store.member(&association.id, member.as_str()).await? else { return Ok(false) };
        if !record.pseudonym_pending {
            return Ok(false);
        }
        // A wish stored under older rules may not pass today's: choose anew.
        let Ok(wish) = Pseudonym::parse(&record.pseudonym) else { return Ok(true) };
        let terms = self.pseudonym_terms(&association.id, &wish)?;
        let hold = (self.pseudonym_hold(&association.id, wish.as_str())?, self.clock.now());
        Ok(!self.store.claim_pseudonym(&association.id, member, &wish, &terms, (&hold.0, hold.1)).await?)
    }

    /// A pending member chooses a pseudonym (`PUT /me/pseudonym`): claimed
    /// at once when their address is confirmed (422 `pseudonym_taken` to
    /// them alone if it or a look-alike is taken), else kept as the wish
    /// that confirming will claim. Paced per member, so that an account
    /// cannot be used to test many pseudonyms.
    pub async fn choose_pseudonym(
        &self,
        association: &Association,
        caller: &Caller,
        raw: &str,
    ) -> Result<(), AccountError> {
        let member = &caller.member;
        if !member.pseudonym_pending {
            return Err(AccountError::PseudonymSettled);
        }
        let pseudonym = Pseudonym::parse(raw).map_err(|e| AccountError::Invalid(vec![("pseudonym", e.into())]))?;
        self.count_attempt(association, throttle::PSEUDONYM_CHOICE, member.id.as_str()).await??;
        if member.status == AccountStatus::EmailUnconfirmed {
            self.store.set_pseudonym_wish(&association.id, &member.id, &pseudonym).await?;
            return Ok(());
        }
        let terms = self.pseudonym_terms(&association.id, &pseudonym)?;
        let hold = (self.pseudonym_hold(&association.id, pseudonym.as_str())?, self.clock.now());
        if self.store.claim_pseudonym(&association.id, &member.id, &pseudonym, &terms, (&hold.0, hold.1)).await? {
            Ok(())
        } else {
            Err(AccountError::Invalid(vec![("pseudonym", FieldProblem::PseudonymTaken)]))
        }
    }

    /// Mails a reset link if the address has an account; answers alike
    /// either way, and quietly sends no more than a few per hour. Whether
    /// the address is known is looked up only after the answer (in the
    /// background), so that the time of the answer cannot tell.
    pub async fn request_password_reset(
        &self,
        association: &Association,
        email: &str,
        client: &Client,
    ) -> Result<(), AccountError> {
        self.count_attempt(association, throttle::RESET_PER_ADDRESS, &client.address_key()).await??;
        let Ok(email) = EmailAddress::parse(email) else { return Ok(()) };
        let (kindred, association) = (self.clone(), association.clone());
        self.in_background("password reset", async move { kindred.mail_reset_link(&association, &email).await });
        Ok(())
    }

    /// The part of a reset request that differs for a known address.
    async fn mail_reset_link(&self, association: &Association, email: &EmailAddress) -> Result<(), AccountError> {
        let Some(member) = self.store.member_by_email(&association.id, &email.key()).await? else { return Ok(()) };
        let subject = self.email_subject(association, email.as_str())?;
        if self.count_attempt(association, throttle::RESET_PER_ACCOUNT, &subject).await?.is_err() {
            return Ok(());
        }
        let member_id = MemberId::from_trusted(member.id);
        let token = random_token();
        let now = self.clock.now();
        self.store.expire_email_tokens(&association.id, &member_id, "reset", now).await?;
        self.store
            .insert_email_token(
                &association.id,
                &member_id,
                &token_hash(&token),
                "reset",
                now,
                now + Duration::minutes(RESET_LINK_MINUTES),
            )
            .await?;
        let link = format!("{}/reset-password?token={token}", self.association_url(association));
        self.notify(association, &member.email, member.language.as_deref(), Notice::PasswordReset { link: &link });
        Ok(())
    }

    /// Sets a new password with the token from the mail; ends every session.
    pub async fn reset_password(
        &self,
        association: &Association,
        token: &str,
        new_password: &str,
    ) -> Result<AccountStatus, AccountError> {
        let password =
            Password::parse(new_password).map_err(|e| AccountError::Invalid(vec![("password", e.into())]))?;
        let token = token.trim();
        if token.is_empty() || token.len() > 128 {
            return Err(AccountError::InvalidToken);
        }
        let hash = self.passwords.hash(&password).await?;
        let now = self.clock.now();
        let member_id = self
            .store
            .use_email_token(&association.id, &token_hash(token), "reset", now)
            .await?
            .ok_or(AccountError::InvalidToken)?;
        let check = self.decoy_check(association, password.expose())?;
        self.store.set_password_hash(&association.id, &member_id, &hash, &check).await?;
        self.store.delete_sessions_except(&association.id, &member_id, None).await?;
        self.sessions_changed(association, &member_id).await;
        // The link reached the mailbox: that confirms the address too, and
        // settles a pending pseudonym (if taken, the member is asked).
        self.store.confirm_email(&association.id, &member_id, now).await?;
        self.settle_pseudonym(association, &member_id).await?;
        let record = self
            .store
            .member(&association.id, member_id.as_str())
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("member {member_id} vanished")))?;
        let subject = self.email_subject(association, &record.email)?;
        self.clear_throttle(association, throttle::LOGIN_PER_ACCOUNT, &subject).await?;
        self.notify(association, &record.email, record.language.as_deref(), Notice::PasswordChanged);
        AccountStatus::parse(&record.status)
            .ok_or_else(|| StoreError::Corrupt(format!("member {member_id}: status")).into())
    }

    /// Changes the password of a signed-in member, who gives the current
    /// one (checked by [`Kindred::reauthenticate`], throttled like
    /// sign-in); ends their other sessions.
    pub async fn change_password(
        &self,
        association: &Association,
        caller: &Caller,
        client: &Client,
        current: &str,
        new_password: &str,
    ) -> Result<(), AccountError> {
        let member = &caller.member;
        let mut problems = FieldProblems::new();
        match self.reauthenticate(association, caller, client, Proof::password(current)).await {
            Ok(()) => {}
            Err(ReauthError::Required | ReauthError::WrongPassword | ReauthError::WrongCode) => {
                problems.push(("current_password", FieldProblem::PasswordWrong));
            }
            Err(ReauthError::Throttled(t)) => return Err(AccountError::Throttled(t)),
            Err(ReauthError::Hash(e)) => return Err(AccountError::Hash(e)),
            Err(ReauthError::Crypto(e)) => return Err(AccountError::Crypto(e)),
            Err(ReauthError::Store(e)) => return Err(AccountError::Store(e)),
        }
        let password = Password::parse(new_password).map_err(|e| problems.push(("new_password", e.into()))).ok();
        let (Some(password), true) = (password, problems.is_empty()) else {
            return Err(AccountError::Invalid(problems));
        };
        let hash = self.passwords.hash(&password).await?;
        let check = self.decoy_check(association, password.expose())?;
        self.store.set_password_hash(&association.id, &member.id, &hash, &check).await?;
        self.store.delete_sessions_except(&association.id, &member.id, Some(&caller.session_id)).await?;
        self.sessions_changed(association, &member.id).await;
        // Not to an address not yet confirmed: it may not be theirs (a
        // decoy's is another account's).
        if member.status != AccountStatus::EmailUnconfirmed {
            self.notify(association, &member.email, member.language.as_deref(), Notice::PasswordChanged);
        }
        Ok(())
    }

    /// Whether the member consented to an earlier version of the terms of
    /// use than the association's current one, and must be asked again
    /// (pages lead to `/account/terms`, the API answers 403
    /// `terms_not_accepted`). An account without any consent to the terms
    /// was made by staff and is not asked.
    pub fn terms_outdated(&self, association: &Association, member: &Member) -> bool {
        member.terms_version.as_deref().is_some_and(|v| v != association.settings.admission.terms_version)
    }

    /// The member accepts the association's terms of use in `version`,
    /// which must be the current one (else `TermsError::Changed`: the terms
    /// changed while they read them). Recorded with its time, listed on the
    /// consents page and in the export.
    pub async fn accept_terms(
        &self,
        association: &Association,
        caller: &Caller,
        version: &str,
    ) -> Result<ConsentRecord, TermsError> {
        let current = &association.settings.admission.terms_version;
        if version != current {
            return Err(TermsError::Changed);
        }
        let now = self.clock.now();
        self.store.accept_terms(&association.id, &caller.member.id, current, now).await?;
        Ok(ConsentRecord { kind: CONSENT_TERMS.to_owned(), version: current.clone(), given_at: now })
    }

    /// The consents a member gave.
    pub async fn consents(
        &self,
        association: &Association,
        member: &MemberId,
    ) -> Result<Vec<ConsentRecord>, StoreError> {
        self.store.consents(&association.id, member).await
    }

    /// A member by id, within the association.
    pub async fn member(&self, association: &Association, id: &str) -> Result<Option<Member>, StoreError> {
        if id.is_empty() || id.len() > 64 {
            return Ok(None);
        }
        self.store.member(&association.id, id).await?.map(Member::from_record).transpose()
    }
}
