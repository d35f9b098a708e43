//! service::reauth — a signed-in member proves again who they are before
//! a change of how they sign in: setting up, replacing or removing an
//! authenticator app, adding or removing a passkey. A session alone (a
//! stolen cookie or token, a computer left signed in) must not be enough
//! to lock the owner out. One check, called by the service functions of
//! those changes, so pages and API cannot differ.
//!
//! The proof is the password (throttled exactly like sign-in, per account
//! and client) or a current code of the second factor (an app code or a
//! recovery code, throttled like the second step of sign-in). A wrong
//! proof changes nothing but the counters.

use crate::crypto::CryptoError;
use crate::passwords::HashError;
use crate::second_factor::SecondFactorCheck;
use crate::sessions::{Caller, Client};
use crate::throttle::{self, Throttled};
use crate::{Association, Kindred};
use kindred_store::StoreError;

/// What the member gave to confirm a change; either is enough.
#[derive(Debug, Clone, Copy, Default)]
pub struct Proof<'a> {
    pub password: Option<&'a str>,
    /// A code of the authenticator app or a recovery code (used up).
    pub code: Option<&'a str>,
}

impl<'a> Proof<'a> {
    pub fn password(password: &'a str) -> Self {
        Self { password: Some(password), code: None }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReauthError {
    #[error("confirm the change with your password or a current code of your second factor")]
    Required,
    #[error("the password is wrong")]
    WrongPassword,
    #[error("the code is wrong or was already used")]
    WrongCode,
    #[error(transparent)]
    Throttled(#[from] Throttled),
    #[error(transparent)]
    Hash(#[from] HashError),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Kindred {
    /// Checks the proof of the caller; `Ok` only when it is right. The
    /// password is preferred when both are given.
    pub async fn reauthenticate(
        &self,
        association: &Association,
        caller: &Caller,
        client: &Client,
        proof: Proof<'_>,
    ) -> Result<(), ReauthError> {
        let member = &caller.member;
        if let Some(password) = proof.password.filter(|p| !p.is_empty()) {
            let account = self.email_subject(association, &member.email)?;
            let address = client.address_key();
            self.admit(association, throttle::LOGIN, &account, &address).await??;
            let stored = self
                .store
                .password_hash(&association.id, &member.id)
                .await?
                .ok_or_else(|| StoreError::Corrupt(format!("member {} vanished", member.id)))?;
            if self.passwords.verify(password, &stored).await? {
                self.clear_failures(association, throttle::LOGIN, &account, &address).await?;
                return Ok(());
            }
            self.count_failure(association, throttle::LOGIN, &account, &address).await?;
            return Err(ReauthError::WrongPassword);
        }
        if let Some(code) = proof.code.map(str::trim).filter(|c| !c.is_empty()) {
            return match self.check_second_factor(association, &member.id, client, code).await? {
                SecondFactorCheck::Accepted => Ok(()),
                SecondFactorCheck::Rejected => Err(ReauthError::WrongCode),
                SecondFactorCheck::Throttled(t) => Err(ReauthError::Throttled(t)),
            };
        }
        Err(ReauthError::Required)
    }
}
