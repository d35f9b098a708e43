//! service::notification_settings — how often a member wants each kind of
//! notification by e-mail (`kindred_domain::notification_kinds`). The API
//! and the settings page both call these.

use crate::sessions::Caller;
use crate::{Association, Kindred};
use kindred_domain::notification_kinds::{ChoiceProblem, EmailChoices};
use kindred_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum NotificationSettingsError {
    #[error("invalid choices")]
    Invalid(Vec<ChoiceProblem>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Kindred {
    /// The caller's choice for every kind, defaults filled in.
    pub async fn notification_settings(
        &self,
        association: &Association,
        caller: &Caller,
    ) -> Result<EmailChoices, NotificationSettingsError> {
        let stored = self.store.notification_settings(&association.id, &caller.member.id).await?;
        Ok(EmailChoices::from_stored(stored.iter().map(|(k, e)| (k.as_str(), e.as_str()))))
    }

    /// Sets every choice: the kinds named as given, the others back to
    /// their defaults; all or nothing.
    pub async fn set_notification_settings<'a>(
        &self,
        association: &Association,
        caller: &Caller,
        requested: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<EmailChoices, NotificationSettingsError> {
        let choices = EmailChoices::parse(requested).map_err(NotificationSettingsError::Invalid)?;
        let rows: Vec<(&str, &str)> = choices.changed().into_iter().map(|(k, f)| (k, f.as_str())).collect();
        self.store.replace_notification_settings(&association.id, &caller.member.id, &rows).await?;
        Ok(choices)
    }
}
