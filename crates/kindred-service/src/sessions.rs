//! service::sessions — signing in to the API with a bearer token, and out.
//!
//! Tokens are 256 random bits; the database keeps only their SHA-256, so a
//! copy of the database does not let anyone sign in. An unknown e-mail
//! address and a wrong password get the same answer after the same work
//! (a password check against a dummy hash), so that sign-in does not tell
//! whether someone is a member of the association.

use crate::passwords::HashError;
use crate::{Association, Kindred};
use chrono::Duration;
use kindred_domain::id::random_token;
use kindred_domain::{AccountRole, AccountStatus, EmailAddress, MemberId, Password};
use kindred_store::{MemberRecord, NewToken, StoreError};
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;

/// How long an API token lives.
pub const TOKEN_LIFETIME_DAYS: i64 = 30;

/// A signed-in member as the rest of the code sees them.
#[derive(Debug, Clone)]
pub struct Member {
    pub id: MemberId,
    pub email: String,
    pub pseudonym: String,
    pub role: AccountRole,
    pub status: AccountStatus,
    pub discoverable: bool,
}

impl Member {
    fn from_record(record: MemberRecord) -> Result<Member, StoreError> {
        let damaged = |what: &str| StoreError::Corrupt(format!("member {}: {what}", record.id));
        Ok(Member {
            role: AccountRole::parse(&record.role).ok_or_else(|| damaged("role"))?,
            status: AccountStatus::parse(&record.status).ok_or_else(|| damaged("status"))?,
            id: MemberId::from_trusted(record.id),
            email: record.email,
            pseudonym: record.pseudonym,
            discoverable: record.discoverable,
        })
    }
}

/// A new API session.
pub struct Session {
    pub token: String,
    pub member_id: MemberId,
    pub status: AccountStatus,
}

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("the e-mail address or the password is wrong")]
    InvalidCredentials,
    #[error("this account is suspended")]
    Suspended,
    #[error(transparent)]
    Hash(#[from] HashError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A valid Argon2id hash of a random password, made once, for unknown e-mail addresses.
static DUMMY_HASH: OnceCell<String> = OnceCell::const_new();

impl Kindred {
    async fn dummy_hash(&self) -> Result<&'static str, HashError> {
        let hash = DUMMY_HASH
            .get_or_try_init(|| async {
                let random = Password::parse(&random_token()).map_err(|e| HashError::Argon(e.to_string()))?;
                self.passwords.hash(&random).await
            })
            .await?;
        Ok(hash.as_str())
    }

    pub async fn login(&self, association: &Association, email: &str, password: &str) -> Result<Session, LoginError> {
        let key = EmailAddress::parse(email).map(|e| e.key()).unwrap_or_default();
        let credentials =
            if key.is_empty() { None } else { self.store.credentials_by_email(&association.id, &key).await? };
        let Some(credentials) = credentials else {
            let dummy = self.dummy_hash().await?;
            let _ = self.passwords.verify(password, dummy).await?;
            return Err(LoginError::InvalidCredentials);
        };
        if !self.passwords.verify(password, &credentials.password_hash).await? {
            return Err(LoginError::InvalidCredentials);
        }
        let status = AccountStatus::parse(&credentials.status)
            .ok_or_else(|| StoreError::Corrupt(format!("member {}: status", credentials.id)))?;
        if status == AccountStatus::Suspended {
            return Err(LoginError::Suspended);
        }
        let member_id = MemberId::from_trusted(credentials.id);
        let token = random_token();
        let now = self.clock.now();
        self.store
            .insert_token(&NewToken {
                token_hash: &token_hash(&token),
                association_id: &association.id,
                member_id: &member_id,
                created_at: now,
                expires_at: now + Duration::days(TOKEN_LIFETIME_DAYS),
            })
            .await?;
        Ok(Session { token, member_id, status })
    }

    /// The member a bearer token belongs to; `None` for unknown, expired,
    /// revoked or another association's tokens, and for suspended members.
    pub async fn authenticate(&self, association: &Association, token: &str) -> Result<Option<Member>, StoreError> {
        if token.is_empty() || token.len() > 128 {
            return Ok(None);
        }
        let record = self.store.member_for_token(&association.id, &token_hash(token), self.clock.now()).await?;
        let member = record.map(Member::from_record).transpose()?;
        Ok(member.filter(|m| m.status != AccountStatus::Suspended))
    }

    /// Ends a token's session.
    pub async fn logout(&self, association: &Association, token: &str) -> Result<(), StoreError> {
        self.store.delete_token(&association.id, &token_hash(token)).await?;
        Ok(())
    }
}
