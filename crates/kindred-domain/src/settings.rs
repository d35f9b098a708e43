//! An association's configuration, parsed and checked: catalogue, profile
//! fields, levels, admission and policies. Built by the configuration-file
//! parser in `kindred-service`; every value here is known to be valid.

use crate::{Color, HostName, Language, Level, Visibility};
use std::collections::BTreeMap;
use std::fmt;

/// A text in one or more languages; always holds the association's default
/// language, which is the fallback for the others.
#[derive(Clone, Debug)]
pub struct LocalizedText {
    fallback: Language,
    texts: BTreeMap<Language, String>,
}

/// Equal when every language reads the same.
impl PartialEq for LocalizedText {
    fn eq(&self, other: &Self) -> bool {
        Language::ALL.iter().all(|l| self.get(*l) == other.get(*l))
    }
}

impl LocalizedText {
    /// `None` when `texts` lacks the fallback language.
    pub fn new(fallback: Language, texts: BTreeMap<Language, String>) -> Option<Self> {
        texts.contains_key(&fallback).then_some(Self { fallback, texts })
    }

    /// The same text in every language.
    pub fn uniform(text: &str) -> Self {
        let texts = Language::ALL.iter().map(|l| (*l, text.to_owned())).collect();
        Self { fallback: Language::En, texts }
    }

    /// Built-in texts, one per shipped language.
    pub fn builtin(en: &str, de: &str, nl: &str) -> Self {
        let texts = BTreeMap::from([
            (Language::En, en.to_owned()),
            (Language::De, de.to_owned()),
            (Language::Nl, nl.to_owned()),
        ]);
        Self { fallback: Language::En, texts }
    }

    pub fn get(&self, language: Language) -> &str {
        self.texts.get(&language).or_else(|| self.texts.get(&self.fallback)).map(String::as_str).unwrap_or_default()
    }

    pub fn texts(&self) -> &BTreeMap<Language, String> {
        &self.texts
    }
}

/// A catalogue code: lowercase letters, digits, `_` and `-`, 1 to 64 characters.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Code(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be 1 to 64 characters of lowercase a-z, digits, '_' or '-'")]
pub struct CodeError;

impl Code {
    pub fn parse(raw: &str) -> Result<Self, CodeError> {
        let ok = (1..=64).contains(&raw.len())
            && raw.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(CodeError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct CatalogEntry {
    pub code: Code,
    pub name: LocalizedText,
    /// Retired: stays readable where members chose it, cannot be chosen anew.
    pub retired: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    pub code: Code,
    pub name: LocalizedText,
    pub forms: Vec<CatalogEntry>,
    /// Retired: stays readable where members chose it, cannot be chosen anew.
    pub retired: bool,
}

/// The association's health catalogue and its lists of roles and regions.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Catalog {
    pub roles: Vec<CatalogEntry>,
    pub conditions: Vec<Condition>,
    pub therapies: Vec<CatalogEntry>,
    pub medications: Vec<CatalogEntry>,
    pub symptoms: Vec<CatalogEntry>,
    pub regions: Vec<CatalogEntry>,
}

/// What a profile field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FieldKind {
    Text,
    LongText,
    Year,
    Email,
    Phone,
    Photo,
    Region,
    Role,
    Condition,
    ConditionForm,
    Therapies,
    Medications,
}

impl FieldKind {
    /// Whether values are codes of the association's catalogue.
    pub fn uses_catalogue(self) -> bool {
        matches!(
            self,
            FieldKind::Region
                | FieldKind::Role
                | FieldKind::Condition
                | FieldKind::ConditionForm
                | FieldKind::Therapies
                | FieldKind::Medications
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::LongText => "long_text",
            Self::Year => "year",
            Self::Email => "email",
            Self::Phone => "phone",
            Self::Photo => "photo",
            Self::Region => "region",
            Self::Role => "role",
            Self::Condition => "condition",
            Self::ConditionForm => "condition_form",
            Self::Therapies => "therapies",
            Self::Medications => "medications",
        }
    }

    /// Kinds an association may give its own fields.
    pub fn parse_custom(raw: &str) -> Option<Self> {
        match raw {
            "text" => Some(Self::Text),
            "long_text" => Some(Self::LongText),
            "year" => Some(Self::Year),
            "email" => Some(Self::Email),
            "phone" => Some(Self::Phone),
            _ => None,
        }
    }
}

/// A standard profile field: code, kind, whether it is health data, and its
/// built-in names (en, de, nl).
pub struct StandardField {
    pub code: &'static str,
    pub kind: FieldKind,
    pub health: bool,
    pub names: [&'static str; 3],
}

pub const STANDARD_FIELDS: [StandardField; 14] = [
    StandardField {
        code: "real_name",
        kind: FieldKind::Text,
        health: false,
        names: ["Real name", "Echter Name", "Echte naam"],
    },
    StandardField {
        code: "birth_year",
        kind: FieldKind::Year,
        health: false,
        names: ["Year of birth", "Geburtsjahr", "Geboortejaar"],
    },
    StandardField { code: "region", kind: FieldKind::Region, health: false, names: ["Region", "Region", "Regio"] },
    StandardField { code: "city", kind: FieldKind::Text, health: false, names: ["City", "Wohnort", "Woonplaats"] },
    StandardField { code: "photo", kind: FieldKind::Photo, health: false, names: ["Photo", "Foto", "Foto"] },
    StandardField { code: "role", kind: FieldKind::Role, health: false, names: ["Role", "Rolle", "Rol"] },
    StandardField {
        code: "condition",
        kind: FieldKind::Condition,
        health: true,
        names: ["Condition", "Erkrankung", "Aandoening"],
    },
    StandardField {
        code: "condition_form",
        kind: FieldKind::ConditionForm,
        health: true,
        names: ["Form of the condition", "Verlaufsform", "Vorm van de aandoening"],
    },
    StandardField {
        code: "diagnosis_year",
        kind: FieldKind::Year,
        health: true,
        names: ["Year of diagnosis", "Jahr der Diagnose", "Jaar van diagnose"],
    },
    StandardField {
        code: "therapies",
        kind: FieldKind::Therapies,
        health: true,
        names: ["Therapies", "Therapien", "Therapieën"],
    },
    StandardField {
        code: "medications",
        kind: FieldKind::Medications,
        health: true,
        names: ["Medications", "Medikamente", "Medicijnen"],
    },
    StandardField {
        code: "about",
        kind: FieldKind::LongText,
        health: true,
        names: ["About me", "Über mich", "Over mij"],
    },
    StandardField {
        code: "contact_email",
        kind: FieldKind::Email,
        health: false,
        names: ["Contact e-mail", "Kontakt-E-Mail", "Contact-e-mail"],
    },
    StandardField { code: "phone", kind: FieldKind::Phone, health: false, names: ["Phone", "Telefon", "Telefoon"] },
];

pub fn standard_field(code: &str) -> Option<&'static StandardField> {
    STANDARD_FIELDS.iter().find(|f| f.code == code)
}

#[derive(Clone, Debug, PartialEq)]
pub struct ProfileField {
    pub code: Code,
    pub name: LocalizedText,
    pub kind: FieldKind,
    /// Health data: stored encrypted, needs the member's consent.
    pub health: bool,
    /// Where a new value starts.
    pub default_visibility: Visibility,
    /// The most open choice a member may make.
    pub min_visibility: Visibility,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AdmissionProcedure {
    MemberNumber,
    Letter,
    Invitation,
    Manual,
}

impl AdmissionProcedure {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "member_number" => Some(Self::MemberNumber),
            "letter" => Some(Self::Letter),
            "invitation" => Some(Self::Invitation),
            "manual" => Some(Self::Manual),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::MemberNumber => "member_number",
            Self::Letter => "letter",
            Self::Invitation => "invitation",
            Self::Manual => "manual",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecondFactorRule {
    None,
    Staff,
    Everyone,
}

impl SecondFactorRule {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "none" => Some(Self::None),
            "staff" => Some(Self::Staff),
            "everyone" => Some(Self::Everyone),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Staff => "staff",
            Self::Everyone => "everyone",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Admission {
    pub procedures: Vec<AdmissionProcedure>,
    pub terms_version: String,
    pub second_factor: SecondFactorRule,
}

/// Who may start a conversation with whom.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessagingPolicy {
    Anyone,
    Contacts,
    ContactsAndGroups,
}

impl MessagingPolicy {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "anyone" => Some(Self::Anyone),
            "contacts" => Some(Self::Contacts),
            "contacts_and_groups" => Some(Self::ContactsAndGroups),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Anyone => "anyone",
            Self::Contacts => "contacts",
            Self::ContactsAndGroups => "contacts_and_groups",
        }
    }
}

/// Who may create groups or events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Creators {
    Members,
    Moderators,
    Admins,
}

impl Creators {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "members" => Some(Self::Members),
            "moderators" => Some(Self::Moderators),
            "admins" => Some(Self::Admins),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Members => "members",
            Self::Moderators => "moderators",
            Self::Admins => "admins",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Policies {
    pub messaging: MessagingPolicy,
    /// Who may start a conversation with whom by account role; the first
    /// match counts and only lowers what `messaging` allows
    /// (`crate::messaging::may_start`).
    pub messaging_rules: Vec<crate::messaging::RoleRule>,
    pub group_creation: Creators,
    pub event_creation: Creators,
    /// Counts below this are never shown.
    pub count_threshold: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CrisisContact {
    pub name: LocalizedText,
    pub phone: Option<String>,
    pub url: Option<String>,
}

/// The association's legal pages (issue 14): terms of use, imprint,
/// contact. Each text is Markdown in the association's languages; a page
/// whose text is unset shows built-in wording. The version of the terms a
/// member consents to is `Admission::terms_version`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Legal {
    pub terms: Option<LocalizedText>,
    pub imprint: Option<LocalizedText>,
    pub contact: Option<LocalizedText>,
    /// Where to write to the association (the contact page, and where the
    /// accessibility statement says to report barriers); checked to be an
    /// e-mail address.
    pub contact_email: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Branding {
    pub primary: Color,
    pub accent: Color,
}

/// What the association decides about its members' data (`[data]` in its
/// file): the choice at erasure and how long things are kept. A number of
/// 0 turns that retention off.
#[derive(Clone, Debug, PartialEq)]
pub struct DataRules {
    /// Whether a member who erases their account may keep their posts
    /// without their name; if not, their posts are removed.
    pub anonymise_allowed: bool,
    /// Days an erased member's pseudonym (and its look-alikes) stays taken.
    pub pseudonym_grace_days: u32,
    /// Months without a sign-in after which an account is erased (0: never).
    pub inactive_months: u32,
    /// Days before that erasure that the member is warned by mail.
    pub inactive_warning_days: u32,
    /// Days after which a registration whose address was never confirmed is erased.
    pub unconfirmed_days: u32,
    /// Days after which a postal address given for a letter is erased, used or not.
    pub letter_address_days: u32,
    /// Months after which notifications are deleted.
    pub notification_months: u32,
    /// Whether a member's access log names the staff member of each access
    /// (their pseudonym) besides their role. Off by default: the role only.
    pub access_log_names_staff: bool,
}

impl Default for DataRules {
    fn default() -> Self {
        Self {
            anonymise_allowed: true,
            pseudonym_grace_days: 90,
            inactive_months: 24,
            inactive_warning_days: 30,
            unconfirmed_days: 14,
            letter_address_days: 90,
            notification_months: 12,
            access_log_names_staff: false,
        }
    }
}

/// How the association's German texts address the member: "Sie" (the
/// default) or "du". Only German has the choice; the other languages keep
/// their one form.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FormOfAddress {
    #[default]
    Sie,
    Du,
}

impl FormOfAddress {
    pub const ALL: [FormOfAddress; 2] = [FormOfAddress::Sie, FormOfAddress::Du];

    pub fn parse(code: &str) -> Option<FormOfAddress> {
        match code {
            "sie" => Some(FormOfAddress::Sie),
            "du" => Some(FormOfAddress::Du),
            _ => None,
        }
    }

    /// As the configuration writes it: `"sie"` or `"du"`.
    pub fn code(self) -> &'static str {
        match self {
            FormOfAddress::Sie => "sie",
            FormOfAddress::Du => "du",
        }
    }
}

/// Everything an association configures, valid by construction.
#[derive(Clone, Debug, PartialEq)]
pub struct AssociationSettings {
    pub name: LocalizedText,
    pub default_language: Language,
    /// Offered languages; holds `default_language`, in the order given.
    pub languages: Vec<Language>,
    pub hosts: Vec<HostName>,
    /// The time zone of events that name none.
    pub time_zone: crate::events::TimeZoneName,
    /// "du" or "Sie" in the German texts.
    pub form_of_address: FormOfAddress,
    pub welcome: Option<LocalizedText>,
    pub branding: Branding,
    /// Names of levels 1 to 4, in order.
    pub levels: [LocalizedText; 4],
    pub catalog: Catalog,
    pub profile_fields: Vec<ProfileField>,
    pub admission: Admission,
    pub policies: Policies,
    pub crisis_contacts: Vec<CrisisContact>,
    pub legal: Legal,
    pub data: DataRules,
}

impl AssociationSettings {
    pub fn level_name(&self, level: Level, language: Language) -> &str {
        self.levels[usize::from(level.number() - 1)].get(language)
    }

    /// The language to use when `wanted` is not offered.
    pub fn offered_or_default(&self, wanted: Option<Language>) -> Language {
        wanted.filter(|l| self.languages.contains(l)).unwrap_or(self.default_language)
    }
}
