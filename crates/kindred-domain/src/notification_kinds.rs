//! The kinds of notification, and how often a member wants each by e-mail.
//!
//! Every kind of in-app notification is listed here once, with its default
//! e-mail frequency. A feature that adds a kind adds it here; the settings
//! API and page, and the mail job, know the kinds from this list only.
//! In the app every notification always shows; the choice is about mail.

use std::collections::BTreeMap;

/// How often a member is mailed about one kind of notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EmailFrequency {
    Immediately,
    Daily,
    Weekly,
    Never,
}

impl EmailFrequency {
    pub const ALL: [EmailFrequency; 4] = [Self::Immediately, Self::Daily, Self::Weekly, Self::Never];

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == raw)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Immediately => "immediately",
            Self::Daily => "daily",
            Self::Weekly => "weekly",
            Self::Never => "never",
        }
    }
}

/// One kind of notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotificationKind {
    /// As stored and as the API names it.
    pub name: &'static str,
    pub default_email: EmailFrequency,
    /// A kind whose mail cannot be turned down (a crisis report reaches
    /// the staff on duty at once, whatever they chose for the rest).
    pub fixed: bool,
}

const fn kind(name: &'static str, default_email: EmailFrequency) -> NotificationKind {
    NotificationKind { name, default_email, fixed: false }
}

/// Every kind, in the order the settings page lists them. Forum kinds are
/// daily by default: a digest, not a mail per reply.
pub const KINDS: &[NotificationKind] = &[
    kind("reply", EmailFrequency::Daily),
    kind("mention", EmailFrequency::Daily),
    kind("moderation", EmailFrequency::Immediately),
    kind("warning", EmailFrequency::Immediately),
    NotificationKind { name: "crisis_report", default_email: EmailFrequency::Immediately, fixed: true },
    kind("event_changed", EmailFrequency::Immediately),
    kind("event_cancelled", EmailFrequency::Immediately),
    kind("event_promoted", EmailFrequency::Immediately),
    kind("event_reminder", EmailFrequency::Immediately),
    kind("message_request", EmailFrequency::Immediately),
];

pub fn find(name: &str) -> Option<&'static NotificationKind> {
    KINDS.iter().find(|k| k.name == name)
}

/// A member's e-mail choice for every kind, defaults filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailChoices(BTreeMap<&'static str, EmailFrequency>);

/// Why a requested choice was refused: the field path and what is wrong.
pub type ChoiceProblem = (String, &'static str);

impl EmailChoices {
    /// The defaults, overridden by what was stored (unknown stored kinds
    /// and frequencies, e.g. of a kind since removed, are skipped; fixed
    /// kinds keep their default).
    pub fn from_stored<'a>(stored: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut choices: BTreeMap<&'static str, EmailFrequency> =
            KINDS.iter().map(|k| (k.name, k.default_email)).collect();
        for (name, raw) in stored {
            if let (Some(kind), Some(frequency)) = (find(name), EmailFrequency::parse(raw)) {
                if !kind.fixed {
                    choices.insert(kind.name, frequency);
                }
            }
        }
        Self(choices)
    }

    /// A whole new set of choices: every kind named is set, every kind not
    /// named goes back to its default. Unknown kinds and frequencies, and a
    /// fixed kind set to anything but its default, are refused by path
    /// (`settings.KIND.email`), all problems at once.
    pub fn parse<'a>(requested: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, Vec<ChoiceProblem>> {
        let mut choices: BTreeMap<&'static str, EmailFrequency> =
            KINDS.iter().map(|k| (k.name, k.default_email)).collect();
        let mut problems = Vec::new();
        for (name, raw) in requested {
            let Some(kind) = find(name) else {
                problems.push((format!("settings.{}", printable(name)), "is not a kind of notification"));
                continue;
            };
            match EmailFrequency::parse(raw) {
                None => problems
                    .push((format!("settings.{name}.email"), "must be one of: immediately, daily, weekly, never")),
                Some(frequency) if kind.fixed && frequency != kind.default_email => {
                    problems.push((format!("settings.{name}.email"), "cannot be changed: it is always mailed at once"))
                }
                Some(frequency) => {
                    choices.insert(kind.name, frequency);
                }
            }
        }
        if problems.is_empty() {
            Ok(Self(choices))
        } else {
            Err(problems)
        }
    }

    pub fn get(&self, kind: &str) -> Option<EmailFrequency> {
        self.0.get(kind).copied()
    }

    /// Every kind with its choice, in the order of [`KINDS`].
    pub fn iter(&self) -> impl Iterator<Item = (&'static NotificationKind, EmailFrequency)> + '_ {
        KINDS.iter().map(|k| (k, self.0.get(k.name).copied().unwrap_or(k.default_email)))
    }

    /// The choices that differ from the defaults: what is worth storing.
    pub fn changed(&self) -> Vec<(&'static str, EmailFrequency)> {
        self.iter().filter(|(k, f)| *f != k.default_email).map(|(k, f)| (k.name, f)).collect()
    }
}

/// A name from outside, cut and stripped of anything odd, for a field path.
fn printable(name: &str) -> String {
    name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_what_is_not_named() {
        let choices = EmailChoices::parse([("reply", "weekly")]).unwrap();
        assert_eq!(choices.get("reply"), Some(EmailFrequency::Weekly));
        assert_eq!(choices.get("mention"), Some(EmailFrequency::Daily));
        assert_eq!(choices.changed(), vec![("reply", EmailFrequency::Weekly)]);
    }

    #[test]
    fn unknown_kinds_and_frequencies_are_named() {
        let problems = EmailChoices::parse([("replies", "daily"), ("mention", "hourly")]).unwrap_err();
        let paths: Vec<&str> = problems.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["settings.replies", "settings.mention.email"]);
    }

    #[test]
    fn a_crisis_report_cannot_be_muted() {
        assert!(EmailChoices::parse([("crisis_report", "never")]).is_err());
        assert!(EmailChoices::parse([("crisis_report", "immediately")]).is_ok());
        let stored = EmailChoices::from_stored([("crisis_report", "never")]);
        assert_eq!(stored.get("crisis_report"), Some(EmailFrequency::Immediately));
    }
}
