//! service::profiles — storing and reading a member's profile. Health
//! fields are sealed with the association's key, bound to the member and the
//! field, before they reach the database; nothing else ever sees them in
//! clear.
//!
//! Who may see which field of whom is decided by the disclosure rules (with
//! the profiles-and-levels work); this module only stores and returns a
//! member's own values.

use crate::crypto::CryptoError;
use crate::{Association, Kindred};
use kindred_domain::profile::FieldValue;
use kindred_domain::settings::{Code, ProfileField};
use kindred_domain::{MemberId, Visibility};
use kindred_store::{NewProfileValue, StoreError, StoredValue};

/// One field of a profile: its value and from which level on it is visible.
#[derive(Clone, Debug, PartialEq)]
pub struct ProfileEntry {
    pub field: Code,
    pub value: FieldValue,
    pub visibility: Visibility,
}

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("the association has no profile field {0}")]
    UnknownField(String),
    #[error("{field} cannot be {visibility}: the association allows {min} at the most open")]
    TooOpen { field: String, visibility: Visibility, min: Visibility },
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn field<'a>(association: &'a Association, code: &str) -> Option<&'a ProfileField> {
    association.settings.profile_fields.iter().find(|f| f.code.as_str() == code)
}

impl Kindred {
    /// Stores profile entries of one member (replacing earlier values of the same fields).
    pub async fn store_profile(
        &self,
        association: &Association,
        member: &MemberId,
        entries: &[ProfileEntry],
    ) -> Result<(), ProfileError> {
        self.store.put_profile_values(&self.seal_profile(association, member, entries)?).await?;
        Ok(())
    }

    /// Turns entries into rows: health fields sealed, the rest in clear.
    pub fn seal_profile(
        &self,
        association: &Association,
        member: &MemberId,
        entries: &[ProfileEntry],
    ) -> Result<Vec<NewProfileValue>, ProfileError> {
        let key = self.keys.association(&association.id)?;
        let now = self.clock.now();
        entries
            .iter()
            .map(|entry| {
                let spec = field(association, entry.field.as_str())
                    .ok_or_else(|| ProfileError::UnknownField(entry.field.to_string()))?;
                if entry.visibility < spec.min_visibility {
                    return Err(ProfileError::TooOpen {
                        field: entry.field.to_string(),
                        visibility: entry.visibility,
                        min: spec.min_visibility,
                    });
                }
                let text = entry.value.encode();
                let value = if spec.health {
                    StoredValue::Sealed(key.seal(member, entry.field.as_str(), text.as_bytes())?)
                } else {
                    StoredValue::Clear(text)
                };
                Ok(NewProfileValue {
                    association_id: association.id.clone(),
                    member_id: member.clone(),
                    field: entry.field.to_string(),
                    visibility: entry.visibility.to_string(),
                    value,
                    updated_at: now,
                })
            })
            .collect()
    }

    /// A member's own profile, health fields opened. Values of fields the
    /// association no longer has are left out.
    pub async fn own_profile(
        &self,
        association: &Association,
        member: &MemberId,
    ) -> Result<Vec<ProfileEntry>, ProfileError> {
        let key = self.keys.association(&association.id)?;
        let mut entries = Vec::new();
        for record in self.store.profile_values(&association.id, member).await? {
            let Some(spec) = field(association, &record.field) else { continue };
            let text = match record.value {
                StoredValue::Clear(text) => text,
                StoredValue::Sealed(bytes) => {
                    let opened = key.open(member, &record.field, &bytes)?;
                    String::from_utf8(opened)
                        .map_err(|_| StoreError::Corrupt(format!("profile value {}", record.field)))?
                }
            };
            let damaged = || StoreError::Corrupt(format!("profile value {}", record.field));
            let value = FieldValue::decode(spec.kind, &text).ok_or_else(damaged)?;
            let visibility = Visibility::parse(&record.visibility).ok_or_else(damaged)?;
            entries.push(ProfileEntry { field: spec.code.clone(), value, visibility });
        }
        Ok(entries)
    }
}
