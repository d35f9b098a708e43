//! service::preferences — the member's language and time zone. The
//! language chooses the pages (over the browser's Accept-Language) and every
//! mail, whose links carry it; the time zone is where the pages show times,
//! the association's `time_zone` when the member chose none. The API
//! (`GET/PUT /me/preferences`) and the account's preferences page call these.

use crate::sessions::{Caller, Member};
use crate::{Association, Kindred};
use kindred_domain::events::TimeZoneName;
use kindred_domain::Language;
use kindred_store::StoreError;

/// What the member chose, as it applies now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preferences {
    /// The member's language, or the association's default when the stored
    /// one is not (or no longer) offered.
    pub language: Language,
    /// The member's own zone; `None` follows the association's.
    pub time_zone: Option<TimeZoneName>,
    /// The zone times are shown in: the member's, else the association's.
    pub effective_zone: TimeZoneName,
}

#[derive(Debug, thiserror::Error)]
pub enum PreferencesError {
    /// Setting path and what is wrong with it (`language`, `time_zone`).
    #[error("invalid preferences")]
    Invalid(Vec<(&'static str, &'static str)>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The zone a member's pages show times in. A stored zone that no longer
/// parses (a zone removed from the IANA data) falls back to the
/// association's rather than failing every page.
pub fn zone_of(association: &Association, member: Option<&Member>) -> TimeZoneName {
    member.and_then(|m| m.time_zone.as_deref()).and_then(TimeZoneName::parse).unwrap_or(association.settings.time_zone)
}

/// The member's preferences, defaults filled in.
pub fn preferences_of(association: &Association, member: &Member) -> Preferences {
    let language = association.settings.offered_or_default(member.language.as_deref().and_then(Language::parse));
    let time_zone = member.time_zone.as_deref().and_then(TimeZoneName::parse);
    Preferences { language, time_zone, effective_zone: zone_of(association, Some(member)) }
}

impl Kindred {
    /// Sets the language (one the association offers) and the time zone (an
    /// IANA name; `None` or an empty text follows the association's).
    pub async fn set_preferences(
        &self,
        association: &Association,
        caller: &Caller,
        language: &str,
        time_zone: Option<&str>,
    ) -> Result<Preferences, PreferencesError> {
        let mut problems = Vec::new();
        let language = Language::parse(language.trim()).filter(|l| association.settings.languages.contains(l));
        if language.is_none() {
            problems.push(("language", "must be a language this association offers"));
        }
        let time_zone = match time_zone.map(str::trim).filter(|z| !z.is_empty()) {
            None => Ok(None),
            Some(name) => TimeZoneName::parse(name).map(Some).ok_or(()),
        };
        if time_zone.is_err() {
            problems.push(("time_zone", "must be an IANA time zone such as Europe/Berlin"));
        }
        let (Some(language), Ok(time_zone)) = (language, time_zone) else {
            return Err(PreferencesError::Invalid(problems));
        };
        self.store
            .set_member_preferences(&association.id, &caller.member.id, language.code(), time_zone.map(|z| z.name()))
            .await?;
        Ok(Preferences { language, time_zone, effective_zone: time_zone.unwrap_or(association.settings.time_zone) })
    }
}
