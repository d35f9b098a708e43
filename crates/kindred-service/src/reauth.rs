//! service::reauth — a signed-in member proves again who they are before
//! a change of how they sign in: setting up, replacing or removing an
//! authenticator app, adding or removing a passkey. A session alone (a
//! stolen cookie or token, a computer left signed in) must not be enough
//! to lock the owner out. One check, called by the service functions of
//! those changes, so pages and API cannot differ.
//!
//! The proof is the password or a current code of the second factor (an
//! app code or a recovery code, used up). Wrong proofs are counted in their
//! own buckets per member and session (`throttle::REAUTH`), not in sign-in's: a member
//! who mistypes here, or a thief with a stolen session, cannot lock the
//! account's sign-in, and failed sign-ins elsewhere do not block this. A
//! wrong proof changes nothing but that counter.

use crate::crypto::CryptoError;
use crate::passwords::HashError;
use crate::second_factor::SecondFactorError;
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

/// The "client" of a check inside a session: the session and the address.
pub(crate) fn reauth_client(caller: &Caller, client: &Client) -> String {
    format!("{}|{}", caller.session_id, client.address_key())
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
        let (subject, session) = (member.id.as_str(), reauth_client(caller, client));
        let password = proof.password.filter(|p| !p.is_empty());
        let code = proof.code.map(str::trim).filter(|c| !c.is_empty());
        if password.is_none() && code.is_none() {
            return Err(ReauthError::Required);
        }
        self.admit(association, throttle::REAUTH, subject, &session).await??;
        let right = if let Some(password) = password {
            let stored = self
                .store
                .password_hash(&association.id, &member.id)
                .await?
                .ok_or_else(|| StoreError::Corrupt(format!("member {} vanished", member.id)))?;
            self.passwords.verify(password, &stored).await?
        } else {
            let code = code.unwrap_or_default();
            self.second_factor_matches(association, &member.id, code).await.map_err(|e| match e {
                SecondFactorError::Crypto(c) => ReauthError::Crypto(c),
                SecondFactorError::Store(s) => ReauthError::Store(s),
                other => ReauthError::Store(StoreError::Corrupt(other.to_string())),
            })?
        };
        if right {
            self.clear_failures(association, throttle::REAUTH, subject, &session).await?;
            return Ok(());
        }
        self.count_failure(association, throttle::REAUTH, subject, &session).await?;
        Err(if password.is_some() { ReauthError::WrongPassword } else { ReauthError::WrongCode })
    }
}
