//! service::sessions — signing in and out, for the pages (a session
//! cookie) and the API (a bearer token), and the sessions a member has.
//!
//! Both are the same thing underneath: 256 random bits, of which the
//! database keeps only the SHA-256, so a copy of the database does not let
//! anyone sign in. An unknown e-mail address and a wrong password get the
//! same answer after the same work (a password check against a dummy hash),
//! so that sign-in does not tell whether someone is a member of the
//! association. Failed attempts are throttled per account and client
//! address, with a higher limit per account that holds back only clients
//! that failed themselves (`throttle::Limits`), and per client address; in
//! the database.

use crate::crypto::CryptoError;
use crate::passwords::HashError;
use crate::second_factor::SecondFactorCheck;
use crate::throttle::{self, Throttled};
use crate::{Association, Kindred};
use chrono::Duration;
use kindred_domain::id::random_token;
use kindred_domain::{AccountRole, AccountStatus, EmailAddress, MemberId, Password};
use kindred_store::{MemberRecord, NewSession, SessionSummary, StoreError};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use tokio::sync::OnceCell;

/// A signed-in member as the rest of the code sees them.
#[derive(Debug, Clone)]
pub struct Member {
    pub id: MemberId,
    pub email: String,
    pub pseudonym: String,
    pub role: AccountRole,
    pub status: AccountStatus,
    pub discoverable: bool,
    /// Shown with a professional's pseudonym, e.g. "Neurologist".
    pub badge: Option<String>,
    pub language: Option<String>,
    /// The member's own time zone (an IANA name); `None` follows the association's.
    pub time_zone: Option<String>,
    pub has_totp: bool,
    /// At least one passkey is registered.
    pub has_passkey: bool,
    /// The pseudonym is still a wish (registration claims it once the
    /// address is confirmed), or was found taken: the member chooses one.
    pub pseudonym_pending: bool,
    /// The version of the terms of use the member consented to last;
    /// `None` for an account made by staff (`kindred user add`), which
    /// consented to nothing through Kindred and is not asked.
    pub terms_version: Option<String>,
}

impl Member {
    pub(crate) fn from_record(record: MemberRecord) -> Result<Member, StoreError> {
        let damaged = |what: &str| StoreError::Corrupt(format!("member {}: {what}", record.id));
        Ok(Member {
            role: AccountRole::parse(&record.role).ok_or_else(|| damaged("role"))?,
            status: AccountStatus::parse(&record.status).ok_or_else(|| damaged("status"))?,
            id: MemberId::from_trusted(record.id),
            email: record.email,
            pseudonym: record.pseudonym,
            discoverable: record.discoverable,
            badge: record.badge,
            language: record.language,
            time_zone: record.time_zone,
            has_totp: record.has_totp,
            has_passkey: record.has_passkey,
            pseudonym_pending: record.pseudonym_pending,
            terms_version: record.terms_version,
        })
    }

    /// The member must choose a new pseudonym: theirs was found taken.
    /// Before the address is confirmed it is only a wish, not yet looked at.
    pub fn pseudonym_needed(&self) -> bool {
        self.pseudonym_pending && self.status != AccountStatus::EmailUnconfirmed
    }

    /// An authenticator app or a passkey: either completes a sign-in.
    pub fn has_second_factor(&self) -> bool {
        self.has_totp || self.has_passkey
    }

    pub fn is_staff(&self) -> bool {
        matches!(self.role, AccountRole::Admin | AccountRole::Moderator)
    }
}

/// Pages hold a session cookie; the API a bearer token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    Web,
    Api,
}

impl SessionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Web => "web",
            Self::Api => "api",
        }
    }

    /// Idle and absolute lifetimes. A page session ends after a day
    /// without use (a shared computer), an API token is meant for an app.
    fn lifetimes(self) -> (Duration, Duration) {
        match self {
            Self::Web => (Duration::hours(24), Duration::days(14)),
            Self::Api => (Duration::days(30), Duration::days(30)),
        }
    }
}

/// Who is asking, as far as throttling and the session list care.
#[derive(Debug, Clone, Default)]
pub struct Client {
    pub address: Option<IpAddr>,
    /// A short description of the program, e.g. "Firefox on Linux".
    pub label: String,
}

impl Client {
    /// The throttling subject: an IPv4 address, or an IPv6 /64 (one
    /// household or machine typically holds a whole /64).
    pub fn address_key(&self) -> String {
        match self.address {
            Some(IpAddr::V4(v4)) => v4.to_string(),
            Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
                Some(v4) => v4.to_string(),
                None => {
                    let s = v6.segments();
                    format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
                }
            },
            None => "unknown".to_owned(),
        }
    }
}

/// A new session.
#[derive(Debug)]
pub struct Session {
    pub token: String,
    pub member_id: MemberId,
    pub status: AccountStatus,
    /// The password was right; the second factor is still to come (pages only).
    pub second_factor_pending: bool,
}

/// A request's signed-in member and the session it came with.
#[derive(Debug, Clone)]
pub struct Caller {
    pub member: Member,
    pub session_id: String,
    pub kind: SessionKind,
    pub second_factor_pending: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("the e-mail address or the password is wrong")]
    InvalidCredentials,
    #[error(transparent)]
    Throttled(#[from] Throttled),
    #[error("this account is suspended")]
    Suspended,
    #[error("a code from the authenticator app or a recovery code is needed")]
    SecondFactorRequired,
    #[error("the code is wrong or was already used")]
    InvalidSecondFactor,
    #[error(transparent)]
    Hash(#[from] HashError),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub struct Login<'a> {
    pub email: &'a str,
    pub password: &'a str,
    /// A TOTP or recovery code, when the client has it at hand.
    pub second_factor: Option<&'a str>,
    pub kind: SessionKind,
    pub client: &'a Client,
}

pub(crate) fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The CSRF token of a page session: derived from the session's secret, so
/// it needs no storage, cannot be guessed without the cookie, and changes
/// with every new session.
pub fn csrf_token(session_token: &str) -> String {
    data_encoding::HEXLOWER.encode(&csrf_bytes(session_token))
}

/// The CSRF token of a session masked afresh (BREACH, issue 21): a random
/// 20-byte pad, then `hex(pad) ‖ hex(pad XOR token)`, 80 hex digits. Every
/// page carries a different value, so a compressed page gives an attacker
/// who guesses at it byte by byte nothing stable to match against; any of
/// the values unmasks to the session's token ([`csrf_matches`]).
pub fn masked_csrf_token(session_token: &str) -> String {
    let token = csrf_bytes(session_token);
    let mut pad = [0u8; CSRF_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut pad);
    let masked: Vec<u8> = pad.iter().zip(token.iter()).map(|(p, t)| p ^ t).collect();
    let mut value = data_encoding::HEXLOWER.encode(&pad);
    value.push_str(&data_encoding::HEXLOWER.encode(&masked));
    value
}

/// Whether a CSRF value sent with a form or an `X-CSRF-Token` header
/// belongs to the session, compared in constant time. Accepted: a masked
/// value ([`masked_csrf_token`]) and, still, the unmasked 40-digit token.
/// Accepting the bare token costs nothing (anyone who holds a masked value
/// can unmask it, so the bare one is no easier to get) and keeps forms
/// working that pages rendered before the masking still hold; no page sends
/// it any more, so it is never in a response to be guessed at.
pub fn csrf_matches(session_token: &str, given: &str) -> bool {
    let given = given.trim();
    let expected = csrf_bytes(session_token);
    let Ok(bytes) = data_encoding::HEXLOWER_PERMISSIVE.decode(given.as_bytes()) else {
        return false;
    };
    let token: Vec<u8> = match bytes.len() {
        CSRF_BYTES => bytes,
        n if n == 2 * CSRF_BYTES => {
            let (pad, masked) = bytes.split_at(CSRF_BYTES);
            pad.iter().zip(masked).map(|(p, m)| p ^ m).collect()
        }
        _ => return false,
    };
    token.iter().zip(expected.iter()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The length of a session's CSRF token in bytes (40 hex digits).
const CSRF_BYTES: usize = 20;

/// The bytes of [`csrf_token`].
fn csrf_bytes(session_token: &str) -> [u8; CSRF_BYTES] {
    let digest = Sha256::digest(format!("kindred-csrf\0{session_token}").as_bytes());
    let mut bytes = [0u8; CSRF_BYTES];
    bytes.copy_from_slice(&digest[..CSRF_BYTES]);
    bytes
}

/// Compares in time independent of where the strings differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A valid Argon2id hash of a random password, made once, for unknown e-mail addresses.
static DUMMY_HASH: OnceCell<String> = OnceCell::const_new();

/// Sessions are marked as used at most this often (a write per request
/// would be wasteful); idle limits are therefore this precise.
const TOUCH_EVERY: Duration = Duration::minutes(5);

impl Kindred {
    pub(crate) async fn dummy_hash(&self) -> Result<&'static str, HashError> {
        let hash = DUMMY_HASH
            .get_or_try_init(|| async {
                let random = Password::parse(&random_token()).map_err(|e| HashError::Argon(e.to_string()))?;
                self.passwords.hash(&random).await
            })
            .await?;
        Ok(hash.as_str())
    }

    /// The throttling subject for an e-mail address: a keyed hash, so the
    /// attempts table holds no addresses.
    pub(crate) fn email_subject(&self, association: &Association, email: &str) -> Result<String, CryptoError> {
        let key = EmailAddress::parse(email).map(|e| e.key()).unwrap_or_else(|_| email.trim().to_lowercase());
        Ok(self.keys.association(&association.id)?.search_token("throttle-email", &key))
    }

    pub async fn login(&self, association: &Association, login: Login<'_>) -> Result<Session, LoginError> {
        let account_subject = self.email_subject(association, login.email)?;
        let address_subject = login.client.address_key();
        self.admit(association, throttle::LOGIN, &account_subject, &address_subject).await??;
        // An address over its limit is still heard for the accounts that
        // signed in from it before (see `throttle::LOGIN_PER_ADDRESS`).
        if let Err(wait) = self.check_throttle(association, throttle::LOGIN_PER_ADDRESS, &address_subject).await? {
            if !self.is_marked(association, throttle::LOGIN_KNOWN_ADDRESS, &account_subject, &address_subject).await? {
                return Err(LoginError::Throttled(wait));
            }
        }

        let key = EmailAddress::parse(login.email).map(|e| e.key()).unwrap_or_default();
        let credentials =
            if key.is_empty() { None } else { self.store.credentials_by_email(&association.id, &key).await? };
        // Decoys made by registering this address again (`Store::
        // register_member`): one whose password this is answers as the
        // new registration would have, so that signing in after
        // registering does not tell whether the address had an account.
        // Found by a keyed hash, so that one Argon2 run is made either way.
        let decoy = if key.is_empty() {
            None
        } else {
            let check = self.decoy_check(association, login.password)?;
            self.store.decoy_by_email(&association.id, &key, &check).await?
        };
        let verified = match &credentials {
            Some(c) => self.passwords.verify(login.password, &c.password_hash).await?,
            None => {
                let dummy = self.dummy_hash().await?;
                let _ = self.passwords.verify(login.password, dummy).await?;
                false
            }
        };
        let Some(credentials) = credentials.filter(|_| verified).or(decoy) else {
            self.count_failure(association, throttle::LOGIN, &account_subject, &address_subject).await?;
            // Counted, but this failure is answered as such: the limit
            // shows from the next attempt on, and only to the accounts
            // that are not known at this address.
            let _ = self.count_attempt(association, throttle::LOGIN_PER_ADDRESS, &address_subject).await?;
            return Err(LoginError::InvalidCredentials);
        };
        let status = AccountStatus::parse(&credentials.status)
            .ok_or_else(|| StoreError::Corrupt(format!("member {}: status", credentials.id)))?;
        if status == AccountStatus::Suspended {
            return Err(LoginError::Suspended);
        }
        let member_id = MemberId::from_trusted(credentials.id);
        let mut second_factor_pending = false;
        // A page session with a second factor continues on the second-factor
        // page (code or passkey); the API takes a TOTP or recovery code here,
        // so an account with passkeys only signs in to the API with a recovery code.
        if credentials.has_totp || credentials.has_passkey {
            match login.second_factor.map(str::trim).filter(|c| !c.is_empty()) {
                Some(code) => match self.check_second_factor(association, &member_id, login.client, code).await? {
                    SecondFactorCheck::Accepted => {}
                    SecondFactorCheck::Throttled(t) => return Err(LoginError::Throttled(t)),
                    SecondFactorCheck::Rejected => {
                        self.count_failure(association, throttle::LOGIN, &account_subject, &address_subject).await?;
                        return Err(LoginError::InvalidSecondFactor);
                    }
                },
                None if login.kind == SessionKind::Api => return Err(LoginError::SecondFactorRequired),
                None => second_factor_pending = true,
            }
        }
        // The failures counted against the address's account are cleared,
        // and the client marked as one it signs in from, only by an account
        // whose address is confirmed: an unconfirmed one may be a decoy,
        // whose sign-in must neither help guess the owner's password nor
        // (by being treated otherwise) tell it is one.
        if status != AccountStatus::EmailUnconfirmed {
            self.clear_failures(association, throttle::LOGIN, &account_subject, &address_subject).await?;
            self.mark(association, throttle::LOGIN_KNOWN_ADDRESS, &account_subject, &address_subject).await?;
        }
        let token = self.open_session(association, &member_id, login.kind, second_factor_pending, login.client).await?;
        Ok(Session { token, member_id, status, second_factor_pending })
    }

    /// Starts a session for a member whose identity is established.
    pub(crate) async fn open_session(
        &self,
        association: &Association,
        member: &MemberId,
        kind: SessionKind,
        second_factor_pending: bool,
        client: &Client,
    ) -> Result<String, StoreError> {
        let token = random_token();
        let id = random_token();
        let now = self.clock.now();
        let (idle, absolute) = kind.lifetimes();
        let label: String = client.label.chars().take(80).collect();
        self.store
            .insert_session(&NewSession {
                id: &id[..26],
                token_hash: &token_hash(&token),
                association_id: &association.id,
                member_id: member,
                kind: kind.as_str(),
                second_factor_pending,
                client: &label,
                now,
                idle_expires_at: (now + idle).min(now + absolute),
                expires_at: now + absolute,
            })
            .await?;
        Ok(token)
    }

    /// The member a session secret belongs to; `None` for unknown, expired,
    /// revoked or another association's secrets, and for suspended members.
    pub async fn authenticate(&self, association: &Association, token: &str) -> Result<Option<Caller>, StoreError> {
        if token.is_empty() || token.len() > 128 {
            return Ok(None);
        }
        self.authenticate_hash(association, &token_hash(token)).await
    }

    /// [`Kindred::authenticate`] by the secret's hash (what a live socket
    /// keeps, so that it can check its session on every delivery).
    pub async fn authenticate_hash(&self, association: &Association, hash: &str) -> Result<Option<Caller>, StoreError> {
        let mut callers = self.authenticate_hashes(association, &[hash.to_owned()]).await?;
        Ok(callers.pop().flatten())
    }

    /// [`Kindred::authenticate_hash`] for many hashes at once (the sockets
    /// a node delivers one event to): the caller of each hash, in the
    /// order given, `None` where it would be `None` alone. One read, and
    /// at most one write per session kind for the sessions due a touch.
    pub async fn authenticate_hashes(
        &self,
        association: &Association,
        hashes: &[String],
    ) -> Result<Vec<Option<Caller>>, StoreError> {
        let now = self.clock.now();
        // Sockets opened with one secret share a hash: asked for once.
        let mut distinct: Vec<String> = hashes.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        let found: std::collections::HashMap<String, kindred_store::SessionRecord> =
            self.store.sessions_by_tokens(&association.id, &distinct, now).await?.into_iter().collect();
        let mut touched = std::collections::HashSet::new();
        let mut due: [(SessionKind, Vec<String>); 2] = [(SessionKind::Web, Vec::new()), (SessionKind::Api, Vec::new())];
        let mut callers = Vec::with_capacity(hashes.len());
        for hash in hashes {
            let Some(record) = found.get(hash).cloned() else {
                callers.push(None);
                continue;
            };
            let kind = if record.kind == "web" { SessionKind::Web } else { SessionKind::Api };
            if now - record.last_used_at >= TOUCH_EVERY && touched.insert(record.id.clone()) {
                due[usize::from(kind == SessionKind::Api)].1.push(record.id.clone());
            }
            let member = Member::from_record(record.member)?;
            if member.status == AccountStatus::Suspended {
                callers.push(None);
                continue;
            }
            callers.push(Some(Caller {
                member,
                session_id: record.id,
                kind,
                second_factor_pending: record.second_factor_pending,
            }));
        }
        for (kind, ids) in due {
            if !ids.is_empty() {
                let (idle, _) = kind.lifetimes();
                self.store.touch_sessions(&association.id, &ids, now, now + idle).await?;
            }
        }
        Ok(callers)
    }

    /// Ends a session by its secret.
    pub async fn logout(&self, association: &Association, token: &str) -> Result<(), StoreError> {
        // Whose it was, so that their sockets of this session close now.
        let owner = self.authenticate(association, token).await?.map(|c| c.member.id);
        self.store.delete_session_by_token(&association.id, &token_hash(token)).await?;
        if let Some(owner) = owner {
            self.sessions_changed(association, &owner).await;
        }
        Ok(())
    }

    /// The member's live sessions, newest use first.
    pub async fn sessions(
        &self,
        association: &Association,
        member: &MemberId,
    ) -> Result<Vec<SessionSummary>, StoreError> {
        self.store.sessions_of(&association.id, member, self.clock.now()).await
    }

    /// Ends one of the member's sessions; false if there is no such session of theirs.
    pub async fn revoke_session(
        &self,
        association: &Association,
        member: &MemberId,
        id: &str,
    ) -> Result<bool, StoreError> {
        if id.is_empty() || id.len() > 64 {
            return Ok(false);
        }
        let revoked = self.store.delete_session(&association.id, member, id).await?;
        if revoked {
            self.sessions_changed(association, member).await;
        }
        Ok(revoked)
    }

    /// Ends all the member's sessions but `keep`.
    pub async fn revoke_other_sessions(
        &self,
        association: &Association,
        member: &MemberId,
        keep: Option<&str>,
    ) -> Result<u64, StoreError> {
        let revoked = self.store.delete_sessions_except(&association.id, member, keep).await?;
        self.sessions_changed(association, member).await;
        Ok(revoked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_keys_group_ipv6_by_64() {
        let a = Client { address: "2001:db8:1:2:aaaa::1".parse().ok(), label: String::new() };
        let b = Client { address: "2001:db8:1:2:bbbb::9".parse().ok(), label: String::new() };
        assert_eq!(a.address_key(), b.address_key());
        let v4 = Client { address: "::ffff:192.0.2.1".parse().ok(), label: String::new() };
        assert_eq!(v4.address_key(), "192.0.2.1");
        assert_eq!(Client::default().address_key(), "unknown");
    }

    #[test]
    fn masked_csrf_values_differ_and_unmask_to_the_sessions_token() {
        let (a, b) = (masked_csrf_token("one"), masked_csrf_token("one"));
        assert_eq!(a.len(), 80);
        assert_ne!(a, b, "a fresh mask every time");
        assert!(!a.contains(&csrf_token("one")));
        assert!(csrf_matches("one", &a) && csrf_matches("one", &b));
        assert!(csrf_matches("one", &a.to_uppercase()), "hex in either case");
        assert!(csrf_matches("one", &csrf_token("one")), "the unmasked token stays accepted");
        assert!(!csrf_matches("two", &a), "another session's value");
        // One flipped bit in the pad or in the masked half breaks it.
        for at in [0, 79] {
            let mut tampered = a.clone().into_bytes();
            tampered[at] = if tampered[at] == b'0' { b'1' } else { b'0' };
            assert!(!csrf_matches("one", &String::from_utf8(tampered).unwrap()));
        }
        for wrong in ["", "x", &a[..78], &format!("{a}00"), &"g".repeat(80)] {
            assert!(!csrf_matches("one", wrong), "{wrong}");
        }
    }

    #[test]
    fn csrf_tokens_differ_per_session_and_compare_safely() {
        let a = csrf_token("one");
        assert_eq!(a.len(), 40);
        assert_ne!(a, csrf_token("two"));
        assert!(constant_time_eq(&a, &csrf_token("one")));
        assert!(!constant_time_eq(&a, &a[..39]));
    }
}
