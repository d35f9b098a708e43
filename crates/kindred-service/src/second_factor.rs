//! service::second_factor — TOTP with recovery codes. The TOTP secret is
//! sealed like a health field; recovery codes are kept as keyed hashes.
//! Passkeys, the other second factor, are in `service::passkeys`; recovery
//! codes stand in for either.

use crate::crypto::CryptoError;
use crate::notices::SignInChange;
use crate::reauth::{Proof, ReauthError};
use crate::sessions::{Caller, Client};
use crate::throttle::{self, Throttled};
use crate::totp::{qr_svg, TotpSecret};
use crate::{Association, Kindred};
use kindred_domain::codes::OneTimeCode;
use kindred_domain::settings::SecondFactorRule;
use kindred_domain::MemberId;
use kindred_store::StoreError;

/// How many recovery codes a member gets, and how long each is.
pub const RECOVERY_CODES: usize = 10;
const RECOVERY_CODE_LEN: usize = 12;
pub(crate) const TOTP_FIELD: &str = "totp-secret";

pub enum SecondFactorCheck {
    Accepted,
    Rejected,
    Throttled(Throttled),
}

/// What the setup page shows: the secret as text, as a link, as a QR code.
pub struct TotpSetup {
    pub secret: String,
    pub uri: String,
    pub qr_svg: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SecondFactorError {
    #[error("start the setup first")]
    NotStarted,
    #[error("the code is wrong or was already used")]
    InvalidCode,
    #[error(transparent)]
    Throttled(#[from] Throttled),
    #[error(transparent)]
    Reauth(#[from] ReauthError),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Kindred {
    /// Whether the association's rules want a second factor from this member.
    pub fn second_factor_required(&self, association: &Association, caller: &Caller) -> bool {
        match association.settings.admission.second_factor {
            SecondFactorRule::None => false,
            SecondFactorRule::Staff => caller.member.is_staff(),
            SecondFactorRule::Everyone => true,
        }
    }

    fn recovery_hash(&self, association: &Association, code: &OneTimeCode) -> Result<String, CryptoError> {
        Ok(self.keys.association(&association.id)?.search_token("recovery-code", code.as_str()))
    }

    /// Checks a TOTP code or a recovery code, each usable once. Failures
    /// are counted per member and client (`throttle::SECOND_FACTOR`), so
    /// that wrong codes elsewhere do not shut out the member's own client.
    pub(crate) async fn check_second_factor(
        &self,
        association: &Association,
        member: &MemberId,
        client: &Client,
        code: &str,
    ) -> Result<SecondFactorCheck, CryptoError> {
        let failed = |e: StoreError| CryptoError::Failed(e.to_string());
        let (subject, address) = (member.as_str(), client.address_key());
        if let Err(t) = self.admit(association, throttle::SECOND_FACTOR, subject, &address).await.map_err(failed)? {
            return Ok(SecondFactorCheck::Throttled(t));
        }
        let accepted = self.second_factor_matches(association, member, code).await.map_err(|e| match e {
            SecondFactorError::Crypto(c) => c,
            other => CryptoError::Failed(other.to_string()),
        })?;
        if accepted {
            let _ = self.clear_failures(association, throttle::SECOND_FACTOR, subject, &address).await;
            Ok(SecondFactorCheck::Accepted)
        } else {
            self.count_failure(association, throttle::SECOND_FACTOR, subject, &address).await.map_err(failed)?;
            Ok(SecondFactorCheck::Rejected)
        }
    }

    pub(crate) async fn second_factor_matches(
        &self,
        association: &Association,
        member: &MemberId,
        code: &str,
    ) -> Result<bool, SecondFactorError> {
        let state = self.store.totp_state(&association.id, member).await?;
        // Without an app (a member with passkeys only), recovery codes still count.
        if let Some(sealed) = state.totp_secret {
            let key = self.keys.association(&association.id)?;
            let bytes = key.open(member, TOTP_FIELD, &sealed)?;
            let secret = TotpSecret::from_bytes(&bytes).ok_or(CryptoError::Damaged("totp secret length"))?;
            let now = self.clock.now().timestamp();
            if let Some(step) = secret.verify(code, now, state.totp_last_step) {
                return Ok(self.store.use_totp_step(&association.id, member, step).await?);
            }
        }
        if let Some(recovery) = OneTimeCode::parse(code, RECOVERY_CODE_LEN) {
            let hash = self.recovery_hash(association, &recovery)?;
            return Ok(self.store.use_recovery_code(&association.id, member, &hash, self.clock.now()).await?);
        }
        Ok(false)
    }

    /// Finishes a page sign-in whose password was right.
    pub async fn complete_second_factor(
        &self,
        association: &Association,
        caller: &Caller,
        client: &Client,
        code: &str,
    ) -> Result<(), SecondFactorError> {
        match self.check_second_factor(association, &caller.member.id, client, code).await? {
            SecondFactorCheck::Accepted => {
                self.store.complete_session(&association.id, &caller.session_id).await?;
                Ok(())
            }
            SecondFactorCheck::Rejected => Err(SecondFactorError::InvalidCode),
            SecondFactorCheck::Throttled(t) => Err(SecondFactorError::Throttled(t)),
        }
    }

    /// Starts (or restarts) enrolment: a new secret, pending until confirmed.
    pub async fn start_totp(
        &self,
        association: &Association,
        member: &crate::sessions::Member,
    ) -> Result<TotpSetup, SecondFactorError> {
        let secret = TotpSecret::generate();
        let key = self.keys.association(&association.id)?;
        let sealed = key.seal(&member.id, TOTP_FIELD, secret.as_bytes())?;
        self.store.set_totp_pending(&association.id, &member.id, Some(&sealed)).await?;
        let issuer = association.settings.name.get(association.settings.default_language).to_owned();
        let uri = secret.uri(&issuer, &member.pseudonym);
        Ok(TotpSetup { secret: secret.base32_grouped(), qr_svg: qr_svg(&uri), uri })
    }

    /// The setup as it stands (to show the same secret again), if started.
    pub async fn pending_totp(
        &self,
        association: &Association,
        member: &crate::sessions::Member,
    ) -> Result<Option<TotpSetup>, SecondFactorError> {
        let state = self.store.totp_state(&association.id, &member.id).await?;
        let Some(sealed) = state.totp_pending else { return Ok(None) };
        let key = self.keys.association(&association.id)?;
        let bytes = key.open(&member.id, TOTP_FIELD, &sealed)?;
        let secret = TotpSecret::from_bytes(&bytes).ok_or(CryptoError::Damaged("totp secret length"))?;
        let issuer = association.settings.name.get(association.settings.default_language).to_owned();
        let uri = secret.uri(&issuer, &member.pseudonym);
        Ok(Some(TotpSetup { secret: secret.base32_grouped(), qr_svg: qr_svg(&uri), uri }))
    }

    /// Confirms enrolment with a first code of the new app; returns the
    /// recovery codes, shown once. This is what sets up or replaces the
    /// second factor (and replaces the recovery codes), so the member
    /// proves again who they are first ([`Kindred::reauthenticate`]), and
    /// is told by mail.
    pub async fn confirm_totp(
        &self,
        association: &Association,
        caller: &Caller,
        client: &Client,
        proof: Proof<'_>,
        code: &str,
    ) -> Result<Vec<String>, SecondFactorError> {
        let member = &caller.member.id;
        let state = self.store.totp_state(&association.id, member).await?;
        let sealed = state.totp_pending.ok_or(SecondFactorError::NotStarted)?;
        self.reauthenticate(association, caller, client, proof).await?;
        // A code of the new app, checked inside the session: counted with
        // the confirmations of `service::reauth`, not with sign-in.
        let (subject, session) = (member.as_str(), crate::reauth::reauth_client(caller, client));
        self.admit(association, throttle::REAUTH, subject, &session).await??;
        let key = self.keys.association(&association.id)?;
        let bytes = key.open(member, TOTP_FIELD, &sealed)?;
        let secret = TotpSecret::from_bytes(&bytes).ok_or(CryptoError::Damaged("totp secret length"))?;
        let Some(step) = secret.verify(code, self.clock.now().timestamp(), None) else {
            self.count_failure(association, throttle::REAUTH, subject, &session).await?;
            return Err(SecondFactorError::InvalidCode);
        };
        let (codes, hashes) = self.new_recovery_codes(association)?;
        // The secret is re-sealed unchanged: pending and active share field binding.
        self.store.activate_totp(&association.id, member, &sealed, step, &hashes).await?;
        let _ = self.clear_failures(association, throttle::REAUTH, subject, &session).await;
        let change = if state.totp_secret.is_some() { SignInChange::AppReplaced } else { SignInChange::AppAdded };
        self.announce_sign_in_change(association, &caller.member, change);
        Ok(codes)
    }

    /// A fresh set of recovery codes: as shown to the member, and as stored.
    pub(crate) fn new_recovery_codes(
        &self,
        association: &Association,
    ) -> Result<(Vec<String>, Vec<String>), CryptoError> {
        let codes: Vec<OneTimeCode> = (0..RECOVERY_CODES).map(|_| OneTimeCode::generate(RECOVERY_CODE_LEN)).collect();
        let hashes = codes.iter().map(|c| self.recovery_hash(association, c)).collect::<Result<Vec<_>, _>>()?;
        Ok((codes.iter().map(OneTimeCode::display).collect(), hashes))
    }

    /// Removes the authenticator app (and the recovery codes unless a
    /// passkey remains), after the member proved again who they are.
    pub async fn remove_totp(
        &self,
        association: &Association,
        caller: &Caller,
        client: &Client,
        proof: Proof<'_>,
    ) -> Result<(), SecondFactorError> {
        self.reauthenticate(association, caller, client, proof).await?;
        self.store.remove_totp(&association.id, &caller.member.id).await?;
        if caller.member.has_totp {
            self.announce_sign_in_change(association, &caller.member, SignInChange::AppRemoved);
        }
        Ok(())
    }

    pub async fn unused_recovery_codes(&self, association: &Association, member: &MemberId) -> Result<i64, StoreError> {
        self.store.unused_recovery_codes(&association.id, member).await
    }
}
