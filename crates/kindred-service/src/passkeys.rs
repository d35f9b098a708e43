//! service::passkeys — passkeys (WebAuthn) as a second factor, next to the
//! authenticator app: a member may have either or both, and either one
//! completes a sign-in whose password was right.
//!
//! The relying party (the domain a passkey is bound to, and the origin the
//! browser must report) comes from the configuration, never from a request's
//! `Host` header, which a phishing proxy could set to its own: an
//! association with host names uses its first one (`https://{host}`), any
//! other the origin of the deployment's public URL. WebAuthn refuses IP
//! addresses as relying party; there passkeys are [`PasskeyError::Unavailable`].
//!
//! Ceremonies (registration and authentication) keep their state in the
//! database, so that every node can finish what another began; each is single
//! use, belongs to one member, and expires after five minutes.

use crate::crypto::CryptoError;
use crate::notices::SignInChange;
use crate::reauth::{Proof, ReauthError};
use crate::sessions::{Caller, Client, Member};
use crate::throttle::{self, Throttled};
use crate::{Association, Kindred};
use chrono::{DateTime, Duration, Utc};
use data_encoding::{BASE64URL_NOPAD, HEXLOWER};
use kindred_domain::id::random_token;
use kindred_domain::MemberId;
use kindred_store::{Conflict, NewChallenge, NewPasskey, PasskeyRecord, StoreError};
use webauthn_rs::prelude::{
    Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential, RegisterPublicKeyCredential, Url, Uuid,
    Webauthn, WebauthnBuilder,
};

/// How long a ceremony may take, from start to finish.
pub const CHALLENGE_MINUTES: i64 = 5;
/// The longest name of a passkey, in characters.
pub const NAME_MAX: usize = 60;
/// The name of a passkey for which none was given.
pub const DEFAULT_NAME: &str = "Passkey";
/// How many passkeys a member may have.
pub const MAX_PASSKEYS: usize = 20;

const REGISTER: &str = "register";
const AUTHENTICATE: &str = "authenticate";

#[derive(Debug, thiserror::Error)]
pub enum PasskeyError {
    #[error("passkeys need a host name (not an IP address) in the configuration")]
    Unavailable,
    #[error("the name must be 1 to 60 characters, without control characters")]
    InvalidName,
    #[error("the ceremony is unknown, expired, already used or not yours")]
    UnknownChallenge,
    #[error("the passkey could not be verified")]
    Invalid,
    #[error("this passkey is already registered")]
    AlreadyRegistered,
    #[error("there are already as many passkeys as allowed")]
    TooMany,
    #[error("no passkey is registered")]
    NoPasskeys,
    #[error(transparent)]
    Throttled(#[from] Throttled),
    #[error(transparent)]
    Reauth(#[from] ReauthError),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("stored passkey data is damaged: {0}")]
    Damaged(String),
}

/// Where passkeys of an association are bound: the relying party id (a
/// domain) and the one origin the browser must report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelyingParty {
    pub id: String,
    /// E.g. `https://forum.example.org` or `http://localhost:8080`; no path.
    pub origin: String,
}

/// A passkey as its owner sees it in the list.
#[derive(Debug, Clone)]
pub struct PasskeySummary {
    /// Names the passkey for removal; not a secret.
    pub id: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

impl From<PasskeyRecord> for PasskeySummary {
    fn from(record: PasskeyRecord) -> Self {
        Self { id: record.id, name: record.name, created_at: record.created_at, last_used_at: record.last_used_at }
    }
}

/// A ceremony begun: its id (to finish it with) and the options for
/// `navigator.credentials.create()` or `.get()`, as webauthn-rs writes
/// them (binary values in base64url).
#[derive(Debug, Clone)]
pub struct PasskeyChallenge {
    pub challenge_id: String,
    pub options: serde_json::Value,
}

/// A passkey registered; with recovery codes (shown once) when it is the
/// member's first second factor.
#[derive(Debug, Clone)]
pub struct RegisteredPasskey {
    pub passkey: PasskeySummary,
    pub recovery_codes: Option<Vec<String>>,
}

/// The relying party for an association, from the configuration alone.
pub fn relying_party(association: &Association, public_url: &str) -> Result<RelyingParty, PasskeyError> {
    party(association.settings.hosts.first().map(|h| h.as_str()), public_url)
}

fn party(host: Option<&str>, public_url: &str) -> Result<RelyingParty, PasskeyError> {
    let origin = match host {
        Some(host) => Url::parse(&format!("https://{host}")),
        None => Url::parse(public_url),
    }
    .map_err(|_| PasskeyError::Unavailable)?;
    if !matches!(origin.scheme(), "https" | "http") {
        return Err(PasskeyError::Unavailable);
    }
    // `domain()` is None for IP addresses, which WebAuthn does not allow.
    let id = origin.domain().ok_or(PasskeyError::Unavailable)?.trim_end_matches('.').to_ascii_lowercase();
    if id.is_empty() || id.parse::<std::net::IpAddr>().is_ok() {
        return Err(PasskeyError::Unavailable);
    }
    Ok(RelyingParty { id, origin: origin.origin().ascii_serialization() })
}

/// A passkey's name as given: trimmed, inner whitespace collapsed; the
/// default when empty.
pub fn passkey_name(raw: Option<&str>) -> Result<String, PasskeyError> {
    let name = raw.unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Ok(DEFAULT_NAME.to_owned());
    }
    if name.chars().count() > NAME_MAX
        || kindred_domain::text::problem(&name, kindred_domain::text::Lines::One).is_some()
    {
        return Err(PasskeyError::InvalidName);
    }
    Ok(name)
}

fn damaged(what: &str) -> PasskeyError {
    PasskeyError::Damaged(what.to_owned())
}

fn stored_passkey(record: &PasskeyRecord) -> Result<Passkey, PasskeyError> {
    serde_json::from_str(&record.credential).map_err(|_| damaged("credential"))
}

impl Kindred {
    /// Where this association's passkeys are bound, or why there are none.
    pub fn passkey_relying_party(&self, association: &Association) -> Result<RelyingParty, PasskeyError> {
        relying_party(association, &self.public_url)
    }

    fn webauthn(&self, association: &Association) -> Result<Webauthn, PasskeyError> {
        let party = self.passkey_relying_party(association)?;
        let origin = Url::parse(&party.origin).map_err(|_| PasskeyError::Unavailable)?;
        let name = association.settings.name.get(association.settings.default_language);
        WebauthnBuilder::new(&party.id, &origin)
            .map(|builder| builder.rp_name(name))
            .and_then(|builder| builder.build())
            .map_err(|_| PasskeyError::Unavailable)
    }

    /// The user handle an authenticator keeps for the member: a keyed hash
    /// of the member id, so that it says nothing about the member's id.
    fn passkey_user(&self, association: &Association, member: &MemberId) -> Result<Uuid, PasskeyError> {
        let token = self.keys.association(&association.id)?.search_token("webauthn-user", member.as_str());
        let bytes = HEXLOWER.decode(token.as_bytes()).map_err(|_| damaged("user handle"))?;
        let first: [u8; 16] = bytes.get(..16).and_then(|b| b.try_into().ok()).ok_or_else(|| damaged("user handle"))?;
        Ok(Uuid::from_bytes(first))
    }

    async fn open_challenge(
        &self,
        association: &Association,
        member: &MemberId,
        purpose: &'static str,
        state: String,
        options: serde_json::Value,
    ) -> Result<PasskeyChallenge, PasskeyError> {
        let challenge_id = random_token();
        let now = self.clock.now();
        self.store
            .insert_webauthn_challenge(&NewChallenge {
                association_id: &association.id,
                id: &challenge_id,
                member_id: member,
                purpose,
                state: &state,
                now,
                expires_at: now + Duration::minutes(CHALLENGE_MINUTES),
            })
            .await?;
        Ok(PasskeyChallenge { challenge_id, options })
    }

    async fn take_challenge(
        &self,
        association: &Association,
        member: &MemberId,
        challenge_id: &str,
        purpose: &str,
    ) -> Result<String, PasskeyError> {
        if challenge_id.is_empty() || challenge_id.len() > 128 {
            return Err(PasskeyError::UnknownChallenge);
        }
        self.store
            .take_webauthn_challenge(&association.id, challenge_id, member, purpose, self.clock.now())
            .await?
            .ok_or(PasskeyError::UnknownChallenge)
    }

    /// Begins registering a passkey for a signed-in member, who proves
    /// again who they are ([`Kindred::reauthenticate`]): the ceremony, and
    /// so the only way to finish a registration, exists only after that.
    pub async fn start_passkey_registration(
        &self,
        association: &Association,
        caller: &Caller,
        client: &Client,
        proof: Proof<'_>,
    ) -> Result<PasskeyChallenge, PasskeyError> {
        let member = &caller.member;
        let webauthn = self.webauthn(association)?;
        self.reauthenticate(association, caller, client, proof).await?;
        let existing = self.store.passkeys_of(&association.id, &member.id).await?;
        if existing.len() >= MAX_PASSKEYS {
            return Err(PasskeyError::TooMany);
        }
        let exclude =
            existing.iter().map(|r| stored_passkey(r).map(|p| p.cred_id().clone())).collect::<Result<_, _>>()?;
        let user = self.passkey_user(association, &member.id)?;
        let (options, state) = webauthn
            .start_passkey_registration(user, &member.pseudonym, &member.pseudonym, Some(exclude))
            .map_err(|e| damaged(&format!("registration could not start: {e}")))?;
        let state = serde_json::to_string(&state).map_err(|e| damaged(&e.to_string()))?;
        let options = serde_json::to_value(&options).map_err(|e| damaged(&e.to_string()))?;
        self.open_challenge(association, &member.id, REGISTER, state, options).await
    }

    /// Finishes a registration with what the browser's authenticator made.
    /// `name` is the member's name for the passkey (default "Passkey").
    pub async fn finish_passkey_registration(
        &self,
        association: &Association,
        member: &Member,
        challenge_id: &str,
        name: Option<&str>,
        credential: &serde_json::Value,
    ) -> Result<RegisteredPasskey, PasskeyError> {
        let name = passkey_name(name)?;
        let webauthn = self.webauthn(association)?;
        let state = self.take_challenge(association, &member.id, challenge_id, REGISTER).await?;
        let state: PasskeyRegistration = serde_json::from_str(&state).map_err(|_| damaged("registration state"))?;
        let response: RegisterPublicKeyCredential =
            serde_json::from_value(credential.clone()).map_err(|_| PasskeyError::Invalid)?;
        let passkey = webauthn.finish_passkey_registration(&response, &state).map_err(|e| {
            tracing::info!(error = %e, "passkey registration refused");
            PasskeyError::Invalid
        })?;
        let serialised = serde_json::to_string(&passkey).map_err(|e| damaged(&e.to_string()))?;
        let credential_id = BASE64URL_NOPAD.encode(passkey.cred_id().as_ref());
        let (codes, hashes) = self.new_recovery_codes(association)?;
        let id = kindred_domain::id::MemberId::random().to_string();
        let now = self.clock.now();
        let given = self
            .store
            .insert_passkey(
                &NewPasskey {
                    association_id: &association.id,
                    member_id: &member.id,
                    id: &id,
                    credential_id: &credential_id,
                    name: &name,
                    credential: &serialised,
                    created_at: now,
                },
                &hashes,
            )
            .await
            .map_err(|e| match e {
                StoreError::Conflict(Conflict::Other) => PasskeyError::AlreadyRegistered,
                other => PasskeyError::Store(other),
            })?;
        self.announce_sign_in_change(association, member, SignInChange::PasskeyAdded);
        Ok(RegisteredPasskey {
            passkey: PasskeySummary { id, name, created_at: now, last_used_at: None },
            recovery_codes: given.then_some(codes),
        })
    }

    /// The member's passkeys, oldest first.
    pub async fn passkeys(
        &self,
        association: &Association,
        member: &MemberId,
    ) -> Result<Vec<PasskeySummary>, StoreError> {
        Ok(self.store.passkeys_of(&association.id, member).await?.into_iter().map(PasskeySummary::from).collect())
    }

    /// Removes one of the member's passkeys, after the member proved again
    /// who they are; false if there is no such passkey of theirs.
    pub async fn remove_passkey(
        &self,
        association: &Association,
        caller: &Caller,
        client: &Client,
        proof: Proof<'_>,
        id: &str,
    ) -> Result<bool, PasskeyError> {
        self.reauthenticate(association, caller, client, proof).await?;
        if id.is_empty() || id.len() > 64 {
            return Ok(false);
        }
        let removed = self.store.delete_passkey(&association.id, &caller.member.id, id).await?;
        if removed {
            self.announce_sign_in_change(association, &caller.member, SignInChange::PasskeyRemoved);
        }
        Ok(removed)
    }

    /// Begins the second step of a sign-in with one of the member's passkeys.
    pub async fn start_passkey_authentication(
        &self,
        association: &Association,
        member: &Member,
    ) -> Result<PasskeyChallenge, PasskeyError> {
        let webauthn = self.webauthn(association)?;
        let records = self.store.passkeys_of(&association.id, &member.id).await?;
        if records.is_empty() {
            return Err(PasskeyError::NoPasskeys);
        }
        let passkeys = records.iter().map(stored_passkey).collect::<Result<Vec<_>, _>>()?;
        let (options, state) = webauthn
            .start_passkey_authentication(&passkeys)
            .map_err(|e| damaged(&format!("authentication could not start: {e}")))?;
        let state = serde_json::to_string(&state).map_err(|e| damaged(&e.to_string()))?;
        let options = serde_json::to_value(&options).map_err(|e| damaged(&e.to_string()))?;
        self.open_challenge(association, &member.id, AUTHENTICATE, state, options).await
    }

    /// Finishes a sign-in with a passkey: the session's second factor is
    /// done. Failures count like wrong codes.
    pub async fn finish_passkey_authentication(
        &self,
        association: &Association,
        caller: &Caller,
        client: &Client,
        challenge_id: &str,
        credential: &serde_json::Value,
    ) -> Result<(), PasskeyError> {
        let member = &caller.member.id;
        let address = client.address_key();
        self.admit(association, throttle::SECOND_FACTOR, member.as_str(), &address).await??;
        let webauthn = self.webauthn(association)?;
        let state = self.take_challenge(association, member, challenge_id, AUTHENTICATE).await?;
        let state: PasskeyAuthentication = serde_json::from_str(&state).map_err(|_| damaged("authentication state"))?;
        let verified =
            serde_json::from_value::<PublicKeyCredential>(credential.clone()).ok().and_then(|response| match webauthn
                .finish_passkey_authentication(&response, &state)
            {
                Ok(result) => Some(result),
                Err(e) => {
                    tracing::info!(error = %e, "passkey sign-in refused");
                    None
                }
            });
        let Some(result) = verified else {
            self.count_failure(association, throttle::SECOND_FACTOR, member.as_str(), &address).await?;
            return Err(PasskeyError::Invalid);
        };
        let credential_id = BASE64URL_NOPAD.encode(result.cred_id().as_ref());
        let records = self.store.passkeys_of(&association.id, member).await?;
        // Removed while the ceremony ran: no longer a second factor.
        let Some(record) = records.into_iter().find(|r| r.credential_id == credential_id) else {
            return Err(PasskeyError::Invalid);
        };
        let mut passkey = stored_passkey(&record)?;
        let updated = match passkey.update_credential(&result) {
            Some(true) => Some(serde_json::to_string(&passkey).map_err(|e| damaged(&e.to_string()))?),
            _ => None,
        };
        self.store.use_passkey(&association.id, member, &record.id, updated.as_deref(), self.clock.now()).await?;
        self.store.complete_session(&association.id, &caller.session_id).await?;
        let _ = self.clear_failures(association, throttle::SECOND_FACTOR, member.as_str(), &address).await;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relying_party_from_configuration() {
        let host = party(Some("forum.example.org"), "http://localhost:8080").ok();
        assert_eq!(
            host,
            Some(RelyingParty { id: "forum.example.org".into(), origin: "https://forum.example.org".into() })
        );
        let public = party(None, "https://Kindred.Example.org/base").ok();
        assert_eq!(
            public,
            Some(RelyingParty { id: "kindred.example.org".into(), origin: "https://kindred.example.org".into() })
        );
        let local = party(None, "http://localhost:18080").ok();
        assert_eq!(local, Some(RelyingParty { id: "localhost".into(), origin: "http://localhost:18080".into() }));
        for ip in ["http://127.0.0.1:8080", "http://[::1]:8080", "https://192.0.2.1"] {
            assert!(matches!(party(None, ip), Err(PasskeyError::Unavailable)), "{ip}");
        }
        assert!(matches!(party(Some("10.0.0.1"), "http://localhost"), Err(PasskeyError::Unavailable)));
        assert!(matches!(party(None, "not a url"), Err(PasskeyError::Unavailable)));
    }

    #[test]
    fn names() {
        assert_eq!(passkey_name(None).ok().as_deref(), Some(DEFAULT_NAME));
        assert_eq!(passkey_name(Some("  ")).ok().as_deref(), Some(DEFAULT_NAME));
        assert_eq!(passkey_name(Some(" Laptop \t key ")).ok().as_deref(), Some("Laptop key"));
        assert_eq!(passkey_name(Some(&"ä".repeat(60))).ok().map(|n| n.chars().count()), Some(60));
        assert!(matches!(passkey_name(Some(&"a".repeat(61))), Err(PasskeyError::InvalidName)));
        assert!(matches!(passkey_name(Some("a\u{7}b")), Err(PasskeyError::InvalidName)));
    }
}
