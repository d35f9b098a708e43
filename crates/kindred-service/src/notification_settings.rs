//! service::notification_settings — how often a member wants each kind of
//! notification by e-mail (`kindred_domain::notification_kinds`), and their
//! quiet hours. The API and the settings page both call these; the mails
//! themselves are decided in `service::mail_delivery`.

use crate::sessions::Caller;
use crate::{Association, Kindred};
use kindred_domain::notification_kinds::{ChoiceProblem, EmailChoices, QuietHours};
use kindred_store::{QuietHoursRecord, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum NotificationSettingsError {
    #[error("invalid choices")]
    Invalid(Vec<ChoiceProblem>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a request says of the quiet hours.
#[derive(Debug, Clone, Copy)]
pub enum QuietChange<'a> {
    /// Not mentioned: they stay as they are (older clients send only
    /// `settings`).
    Keep,
    /// Explicitly none.
    Off,
    /// From, to (`"22:00"`) and an optional IANA time zone.
    Set { from: &'a str, to: &'a str, time_zone: Option<&'a str> },
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

    /// The caller's quiet hours, if any.
    pub async fn quiet_hours(
        &self,
        association: &Association,
        caller: &Caller,
    ) -> Result<Option<QuietHours>, NotificationSettingsError> {
        let stored = self.store.quiet_hours(&association.id, &caller.member.id).await?;
        Ok(stored.and_then(|q| QuietHours::from_stored(q.from_minute, q.to_minute, q.time_zone.as_deref())))
    }

    /// Sets every choice: the kinds named as given, the others back to
    /// their defaults; all or nothing. Quiet hours stay as they are.
    pub async fn set_notification_settings<'a>(
        &self,
        association: &Association,
        caller: &Caller,
        requested: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<EmailChoices, NotificationSettingsError> {
        self.set_mail_settings(association, caller, requested, QuietChange::Keep).await
    }

    /// [`set_notification_settings`](Self::set_notification_settings) and
    /// the quiet hours, checked together and written in one transaction.
    pub async fn set_mail_settings<'a>(
        &self,
        association: &Association,
        caller: &Caller,
        requested: impl IntoIterator<Item = (&'a str, &'a str)>,
        quiet: QuietChange<'_>,
    ) -> Result<EmailChoices, NotificationSettingsError> {
        let choices = EmailChoices::parse(requested);
        let quiet = match quiet {
            QuietChange::Keep => Ok(None),
            QuietChange::Off => Ok(Some(None)),
            QuietChange::Set { from, to, time_zone } => QuietHours::parse(from, to, time_zone).map(|q| Some(Some(q))),
        };
        let (choices, quiet) = match (choices, quiet) {
            (Ok(choices), Ok(quiet)) => (choices, quiet),
            (choices, quiet) => {
                let mut problems = choices.err().unwrap_or_default();
                problems.extend(quiet.err().unwrap_or_default());
                return Err(NotificationSettingsError::Invalid(problems));
            }
        };
        let record = quiet.map(|q| {
            q.map(|q| QuietHoursRecord {
                member_id: caller.member.id.as_str().to_owned(),
                from_minute: i32::from(q.from),
                to_minute: i32::from(q.to),
                time_zone: q.time_zone.map(|z| z.name().to_owned()),
            })
        });
        let rows: Vec<(&str, &str)> = choices.changed().into_iter().map(|(k, f)| (k, f.as_str())).collect();
        self.store
            .replace_mail_settings(&association.id, &caller.member.id, &rows, record.as_ref().map(Option::as_ref))
            .await?;
        Ok(choices)
    }
}
