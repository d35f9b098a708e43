//! service::accounts — creating member accounts.

use crate::passwords::HashError;
use crate::{Association, Kindred};
use kindred_domain::account::{EmailError, PasswordError, PseudonymError};
use kindred_domain::{AccountRole, AccountStatus, EmailAddress, MemberId, Password, Pseudonym};
use kindred_store::{Conflict, NewMember, StoreError};

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
    #[error("the pseudonym is already taken in this association (pseudonyms are compared without regard to case)")]
    PseudonymTaken,
    #[error(transparent)]
    Hash(#[from] HashError),
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
            })
            .await?;
        Ok(id)
    }
}
