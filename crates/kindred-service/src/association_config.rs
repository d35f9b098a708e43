//! The association configuration file (TOML, see docs/association-config.md)
//! and its stored form (the same structure as JSON, with every default filled
//! in, so that a later change of a default does not change an existing
//! association).
//!
//! `Raw*` types mirror the file; [`build`] turns them into the domain's
//! [`AssociationSettings`] or says which setting is wrong and why.

use kindred_domain::events::TimeZoneName;
use kindred_domain::messaging::{Decision, RoleMatch, RoleRule};
use kindred_domain::settings::{
    standard_field, Admission, AdmissionProcedure, AssociationSettings, Branding, Catalog, CatalogEntry, Code,
    Condition, Creators, CrisisContact, DataRules, FieldKind, FormOfAddress, Legal, LocalizedText, MessagingPolicy,
    Policies, ProfileField, SecondFactorRule, STANDARD_FIELDS,
};
use kindred_domain::{text, Color, HostName, Language, Level, Visibility};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

/// A wrong setting: where it is and what is wrong with it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{setting}: {problem}")]
pub struct ConfigError {
    pub setting: String,
    pub problem: String,
}

fn wrong(setting: impl fmt::Display, problem: impl fmt::Display) -> ConfigError {
    ConfigError { setting: setting.to_string(), problem: problem.to_string() }
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<RawText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    default_language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    languages: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hosts: Option<Vec<String>>,
    /// The IANA time zone of the association's events by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    time_zone: Option<String>,
    /// `"sie"` (default) or `"du"`: how the German texts address the member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    form_of_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    welcome: Option<RawText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    branding: Option<RawBranding>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    levels: Option<Vec<RawLevel>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    catalog: Option<RawCatalog>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    profile_fields: Option<Vec<RawField>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    admission: Option<RawAdmission>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    policies: Option<RawPolicies>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    crisis_contacts: Option<Vec<RawCrisisContact>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    data: Option<RawData>,
    legal: Option<RawLegal>,
}

/// `[legal]`: the texts of the terms, imprint and contact pages (Markdown).
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawLegal {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    terms: Option<RawText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    imprint: Option<RawText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    contact: Option<RawText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    contact_email: Option<String>,
}

/// `[data]`: erasure and retention (`DataRules`).
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawData {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    anonymise_allowed: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pseudonym_grace_days: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    inactive_months: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    inactive_warning_days: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unconfirmed_days: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    letter_address_days: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    notification_months: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    access_log_names_staff: Option<bool>,
}

/// One string for every language, or one per language code.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
enum RawText {
    One(String),
    Many(BTreeMap<String, String>),
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawBranding {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    primary_color: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    accent_color: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    logo: Option<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawLevel {
    level: i64,
    name: RawText,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawCatalog {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    roles: Option<Vec<RawEntry>>,
    #[serde(default)]
    conditions: Vec<RawCondition>,
    #[serde(default)]
    therapies: Vec<RawEntry>,
    #[serde(default)]
    medications: Vec<RawEntry>,
    #[serde(default)]
    symptoms: Vec<RawEntry>,
    #[serde(default)]
    regions: Vec<RawEntry>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    code: String,
    name: RawText,
    /// A retired code stays readable in profiles but cannot be chosen anew.
    #[serde(default, skip_serializing_if = "is_false")]
    retired: bool,
}

fn is_false(value: &bool) -> bool {
    !value
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    code: String,
    name: RawText,
    #[serde(default)]
    forms: Vec<RawEntry>,
    #[serde(default, skip_serializing_if = "is_false")]
    retired: bool,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<RawText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    default_level: Option<RawVisibility>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min_level: Option<RawVisibility>,
}

/// `1`..`4` or `"private"`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
enum RawVisibility {
    Number(i64),
    Text(String),
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawAdmission {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    procedures: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    terms_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    second_factor: Option<String>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawPolicies {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    messaging: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    messaging_rules: Option<Vec<RawRoleRule>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    group_creation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    event_creation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    count_threshold: Option<i64>,
}

/// `{from = "member", to = "professional", allow = "request"}`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawRoleRule {
    from: String,
    to: String,
    allow: String,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawCrisisContact {
    name: RawText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

/// A logo read from disk, checked.
#[derive(Debug, Clone)]
pub struct Logo {
    pub bytes: Vec<u8>,
    pub media_type: &'static str,
}

const MAX_LOGO_BYTES: usize = 256 * 1024;
const MAX_TEXT_CHARS: usize = 4000;
/// Terms of use and an imprint are longer than a welcome text.
const MAX_LEGAL_CHARS: usize = 60_000;

/// Parses a configuration file's text. `file` names it in error messages.
pub fn parse_toml(text: &str, file: &str) -> Result<RawConfig, ConfigError> {
    let raw = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|span| text[..span.start.min(text.len())].lines().count().max(1));
        let message = e.message().replace('\n', " ");
        match line {
            Some(line) => wrong(format!("{file}, line {line}"), message),
            None => wrong(file, message),
        }
    })?;
    // The same net as under the admin API's JSON (`input_guard`): a file
    // may not hold what no request may, else GET and PUT of the settings
    // would not round-trip and pages would serve NUL.
    if let Ok(table) = toml::from_str::<toml::Table>(text) {
        if let Some(at) = never_accepted_in(&toml::Value::Table(table), String::new()) {
            return Err(wrong(at, "contains a control character or a text-direction override character"));
        }
    }
    Ok(raw)
}

/// The setting path of the first string (or key) holding a character that
/// no text accepts.
fn never_accepted_in(value: &toml::Value, at: String) -> Option<String> {
    let here = |at: String| if at.is_empty() { "file".to_owned() } else { at };
    match value {
        toml::Value::String(s) if s.chars().any(text::is_never_accepted) => Some(here(at)),
        toml::Value::Array(items) => {
            items.iter().enumerate().find_map(|(i, v)| never_accepted_in(v, format!("{at}[{i}]")))
        }
        toml::Value::Table(table) => table.iter().find_map(|(key, v)| {
            if key.chars().any(text::is_never_accepted) {
                return Some(here(at.clone()));
            }
            never_accepted_in(v, if at.is_empty() { key.clone() } else { format!("{at}.{key}") })
        }),
        _ => None,
    }
}

/// Reads and parses a configuration file, logo included.
pub fn load_file(path: &Path, name_override: Option<&str>) -> Result<(AssociationSettings, Option<Logo>), ConfigError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| wrong(&shown, format!("cannot be read: {e}")))?;
    let raw = parse_toml(&text, &shown)?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let logo = match raw.branding.as_ref().and_then(|b| b.logo.as_deref()) {
        Some(file) => Some(read_logo(&base.join(file), "branding.logo")?),
        None => None,
    };
    let settings = build(raw, name_override)?;
    Ok((settings, logo))
}

/// Checks a logo file: a PNG, or an SVG without scripts or outside references.
pub fn read_logo(path: &PathBuf, setting: &str) -> Result<Logo, ConfigError> {
    let bytes = std::fs::read(path).map_err(|e| wrong(setting, format!("{} cannot be read: {e}", path.display())))?;
    check_logo(bytes, setting)
}

pub fn check_logo(bytes: Vec<u8>, setting: &str) -> Result<Logo, ConfigError> {
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(wrong(setting, "the logo is larger than 256 KiB"));
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(Logo { bytes, media_type: "image/png" });
    }
    let text = std::str::from_utf8(&bytes).map_err(|_| wrong(setting, "the logo must be an SVG or PNG file"))?;
    let lower = text.to_ascii_lowercase();
    if !lower.contains("<svg") {
        return Err(wrong(setting, "the logo must be an SVG or PNG file"));
    }
    let forbidden = ["<script", "javascript:", "<foreignobject", "href=\"http", "href='http", "url(http", "@import"];
    if forbidden.iter().any(|f| lower.contains(f)) || lower.contains(" on") && has_event_handler(&lower) {
        return Err(wrong(
            setting,
            "the SVG logo must not contain scripts, event handlers or references to other sites",
        ));
    }
    Ok(Logo { bytes, media_type: "image/svg+xml" })
}

/// Finds attributes such as `onload=` in an SVG.
fn has_event_handler(lower: &str) -> bool {
    lower.match_indices(" on").any(|(i, _)| {
        let rest = &lower[i + 3..];
        let name_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        name_len > 0 && rest[name_len..].trim_start().starts_with('=')
    })
}

/// The time zone of an association that names none.
pub fn default_time_zone() -> TimeZoneName {
    TimeZoneName::parse("Europe/Berlin").unwrap_or_else(TimeZoneName::utc)
}

/// Turns the raw file into checked settings. `name_override` (the command
/// line's `--name`) wins over the file's `name`.
pub fn build(raw: RawConfig, name_override: Option<&str>) -> Result<AssociationSettings, ConfigError> {
    let default_language = match &raw.default_language {
        Some(code) => Language::parse(code).ok_or_else(|| wrong("default_language", "must be one of de, en, nl"))?,
        None => Language::En,
    };
    let languages = match &raw.languages {
        Some(codes) => {
            let mut languages = Vec::new();
            for (i, code) in codes.iter().enumerate() {
                let language = Language::parse(code)
                    .ok_or_else(|| wrong(format!("languages[{i}]"), "must be one of de, en, nl"))?;
                if languages.contains(&language) {
                    return Err(wrong(format!("languages[{i}]"), format!("{code} is listed twice")));
                }
                languages.push(language);
            }
            if !languages.contains(&default_language) {
                return Err(wrong("languages", "must contain default_language"));
            }
            languages
        }
        None => {
            let mut all = vec![default_language];
            all.extend(Language::ALL.iter().filter(|l| **l != default_language));
            all
        }
    };
    let text = |raw: &RawText, setting: &str| localized(raw, setting, default_language, &languages);

    let name = match (name_override, &raw.name) {
        (Some(name), _) => {
            let name = name.trim();
            if name.is_empty() || name.chars().count() > 200 {
                return Err(wrong("name", "must be 1 to 200 characters long"));
            }
            if let Some(problem) = text::problem(name, text::Lines::One) {
                return Err(wrong("name", problem.message()));
            }
            LocalizedText::uniform(name)
        }
        (None, Some(raw_name)) => text(raw_name, "name")?,
        (None, None) => return Err(wrong("name", "is missing")),
    };

    let mut hosts = Vec::new();
    for (i, host) in raw.hosts.iter().flatten().enumerate() {
        let parsed = HostName::parse(host).map_err(|e| wrong(format!("hosts[{i}]"), format!("{host:?} {e}")))?;
        if hosts.contains(&parsed) {
            return Err(wrong(format!("hosts[{i}]"), format!("{host} is listed twice")));
        }
        hosts.push(parsed);
    }

    let welcome = raw.welcome.as_ref().map(|w| text(w, "welcome")).transpose()?;

    let branding = raw.branding.unwrap_or_default();
    let color = |value: &Option<String>, setting: &str, default: &str| {
        let value = value.as_deref().unwrap_or(default);
        Color::parse_readable_on_white(value).map_err(|e| wrong(setting, format!("{value:?} {e}")))
    };
    let branding = Branding {
        primary: color(&branding.primary_color, "branding.primary_color", "#1f4e79")?,
        accent: color(&branding.accent_color, "branding.accent_color", "#8a3b12")?,
    };

    let levels = build_levels(raw.levels.as_deref(), &text)?;
    // No `[catalog]` at all: the built-in general one. The stored form always
    // holds a catalogue, so an existing association never changes.
    let catalog = match raw.catalog {
        Some(raw_catalog) => build_catalog(raw_catalog, &text)?,
        None => {
            let roles = build_catalog(RawCatalog::default(), &text)?.roles;
            crate::default_catalog::default_catalog(roles).map_err(|e| wrong("built-in catalogue", e))?
        }
    };
    let profile_fields = build_fields(raw.profile_fields.as_deref(), &text)?;
    let admission = build_admission(raw.admission.unwrap_or_default())?;
    let policies = build_policies(raw.policies.unwrap_or_default())?;

    let mut crisis_contacts = Vec::new();
    for (i, contact) in raw.crisis_contacts.iter().flatten().enumerate() {
        let setting = format!("crisis_contacts[{i}]");
        if contact.phone.is_none() && contact.url.is_none() {
            return Err(wrong(&setting, "needs a phone number or a url"));
        }
        if let Some(url) = &contact.url {
            if !(url.starts_with("https://") || url.starts_with("http://")) || url.chars().any(char::is_whitespace) {
                return Err(wrong(format!("{setting}.url"), "must be a web address starting with https://"));
            }
        }
        if let Some(phone) = &contact.phone {
            let ok = phone.chars().all(|c| c.is_ascii_digit() || " +-()/".contains(c))
                && phone.chars().any(|c| c.is_ascii_digit());
            if !ok {
                return Err(wrong(format!("{setting}.phone"), "must be a phone number (digits, spaces, + - ( ) /)"));
            }
        }
        crisis_contacts.push(CrisisContact {
            name: text(&contact.name, &format!("{setting}.name"))?,
            phone: contact.phone.clone(),
            url: contact.url.clone(),
        });
    }

    let legal = build_legal(raw.legal.unwrap_or_default(), default_language, &languages)?;

    let time_zone = match raw.time_zone.as_deref() {
        Some(name) => TimeZoneName::parse(name)
            .ok_or_else(|| wrong("time_zone", "must be an IANA time zone such as Europe/Berlin"))?,
        None => default_time_zone(),
    };

    let form_of_address = match raw.form_of_address.as_deref() {
        Some(code) => FormOfAddress::parse(code).ok_or_else(|| wrong("form_of_address", "must be sie or du"))?,
        None => FormOfAddress::Sie,
    };

    let data = build_data(raw.data.unwrap_or_default())?;

    Ok(AssociationSettings {
        name,
        default_language,
        languages,
        hosts,
        time_zone,
        form_of_address,
        welcome,
        branding,
        levels,
        catalog,
        profile_fields,
        admission,
        policies,
        crisis_contacts,
        data,
        legal,
    })
}

fn build_legal(raw: RawLegal, default_language: Language, languages: &[Language]) -> Result<Legal, ConfigError> {
    let text = |raw: &Option<RawText>, setting: &str| {
        raw.as_ref().map(|r| localized_up_to(r, setting, default_language, languages, MAX_LEGAL_CHARS)).transpose()
    };
    let contact_email = match raw.contact_email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        Some(email) => Some(
            kindred_domain::EmailAddress::parse(email)
                .map_err(|e| wrong("legal.contact_email", e))?
                .as_str()
                .to_owned(),
        ),
        None => None,
    };
    Ok(Legal {
        terms: text(&raw.terms, "legal.terms")?,
        imprint: text(&raw.imprint, "legal.imprint")?,
        contact: text(&raw.contact, "legal.contact")?,
        contact_email,
    })
}

fn build_data(raw: RawData) -> Result<DataRules, ConfigError> {
    let defaults = DataRules::default();
    let number = |value: Option<i64>, default: u32, setting: &str, range: std::ops::RangeInclusive<i64>| {
        let value = value.unwrap_or(i64::from(default));
        if range.contains(&value) {
            u32::try_from(value).map_err(|_| wrong(setting, "is out of range"))
        } else {
            Err(wrong(setting, format!("must be between {} and {}", range.start(), range.end())))
        }
    };
    let rules = DataRules {
        anonymise_allowed: raw.anonymise_allowed.unwrap_or(defaults.anonymise_allowed),
        pseudonym_grace_days: number(
            raw.pseudonym_grace_days,
            defaults.pseudonym_grace_days,
            "data.pseudonym_grace_days",
            0..=3650,
        )?,
        inactive_months: number(raw.inactive_months, defaults.inactive_months, "data.inactive_months", 0..=240)?,
        inactive_warning_days: number(
            raw.inactive_warning_days,
            defaults.inactive_warning_days,
            "data.inactive_warning_days",
            1..=365,
        )?,
        unconfirmed_days: number(raw.unconfirmed_days, defaults.unconfirmed_days, "data.unconfirmed_days", 0..=365)?,
        letter_address_days: number(
            raw.letter_address_days,
            defaults.letter_address_days,
            "data.letter_address_days",
            0..=3650,
        )?,
        notification_months: number(
            raw.notification_months,
            defaults.notification_months,
            "data.notification_months",
            0..=240,
        )?,
        access_log_names_staff: raw.access_log_names_staff.unwrap_or(defaults.access_log_names_staff),
    };
    // The warning must come before the erasure, after the last sign-in.
    if rules.inactive_months > 0 && i64::from(rules.inactive_warning_days) >= i64::from(rules.inactive_months) * 28 {
        return Err(wrong("data.inactive_warning_days", "must be shorter than data.inactive_months"));
    }
    Ok(rules)
}

fn localized(
    raw: &RawText,
    setting: &str,
    default_language: Language,
    languages: &[Language],
) -> Result<LocalizedText, ConfigError> {
    localized_up_to(raw, setting, default_language, languages, MAX_TEXT_CHARS)
}

fn localized_up_to(
    raw: &RawText,
    setting: &str,
    default_language: Language,
    languages: &[Language],
    max_chars: usize,
) -> Result<LocalizedText, ConfigError> {
    let check = |s: &str, at: &str| {
        let s = s.trim();
        if s.is_empty() {
            Err(wrong(at, "must not be empty"))
        } else if s.chars().count() > max_chars {
            Err(wrong(at, format!("is longer than {max_chars} characters")))
        } else {
            Ok(s.to_owned())
        }
    };
    let texts = match raw {
        RawText::One(s) => {
            let s = check(s, setting)?;
            languages.iter().map(|l| (*l, s.clone())).collect()
        }
        RawText::Many(map) => {
            let mut texts = BTreeMap::new();
            for (code, s) in map {
                let at = format!("{setting}.{code}");
                let language = Language::parse(code).ok_or_else(|| wrong(&at, "is not a language (de, en, nl)"))?;
                texts.insert(language, check(s, &at)?);
            }
            texts
        }
    };
    LocalizedText::new(default_language, texts)
        .ok_or_else(|| wrong(setting, format!("needs a text in the default language ({})", default_language.code())))
}

type TextFn<'a> = dyn Fn(&RawText, &str) -> Result<LocalizedText, ConfigError> + 'a;

fn build_levels(raw: Option<&[RawLevel]>, text: &TextFn) -> Result<[LocalizedText; 4], ConfigError> {
    let mut levels = [
        LocalizedText::builtin("Community", "Gemeinschaft", "Gemeenschap"),
        LocalizedText::builtin("Acquainted", "Bekannte", "Bekenden"),
        LocalizedText::builtin("Trusted", "Vertraute", "Vertrouwd"),
        LocalizedText::builtin("Personal", "Persönlich", "Persoonlijk"),
    ];
    let Some(raw) = raw else { return Ok(levels) };
    let mut seen = HashSet::new();
    for (i, entry) in raw.iter().enumerate() {
        let setting = format!("levels[{i}]");
        let level =
            Level::from_number(entry.level).ok_or_else(|| wrong(format!("{setting}.level"), "must be 1, 2, 3 or 4"))?;
        if !seen.insert(level) {
            return Err(wrong(format!("{setting}.level"), format!("level {} is named twice", entry.level)));
        }
        levels[usize::from(level.number() - 1)] = text(&entry.name, &format!("{setting}.name"))?;
    }
    Ok(levels)
}

fn build_entries(raw: &[RawEntry], setting: &str, text: &TextFn) -> Result<Vec<CatalogEntry>, ConfigError> {
    let mut entries: Vec<CatalogEntry> = Vec::new();
    for (i, entry) in raw.iter().enumerate() {
        let at = format!("{setting}[{i}]");
        let code =
            Code::parse(&entry.code).map_err(|e| wrong(format!("{at}.code"), format!("{:?} {e}", entry.code)))?;
        if entries.iter().any(|e| e.code == code) {
            return Err(wrong(format!("{at}.code"), format!("{code} is used twice")));
        }
        entries.push(CatalogEntry { code, name: text(&entry.name, &format!("{at}.name"))?, retired: entry.retired });
    }
    Ok(entries)
}

fn build_catalog(raw: RawCatalog, text: &TextFn) -> Result<Catalog, ConfigError> {
    let roles = match &raw.roles {
        Some(roles) => build_entries(roles, "catalog.roles", text)?,
        None => vec![
            builtin_entry("patient", "Patient", "Betroffene", "Patiënt")?,
            builtin_entry("relative", "Relative", "Angehörige", "Naaste")?,
            builtin_entry("carer", "Carer", "Pflegende", "Mantelzorger")?,
            builtin_entry("professional", "Professional", "Fachkraft", "Professional")?,
        ],
    };
    let mut conditions: Vec<Condition> = Vec::new();
    for (i, condition) in raw.conditions.iter().enumerate() {
        let at = format!("catalog.conditions[{i}]");
        let code = Code::parse(&condition.code)
            .map_err(|e| wrong(format!("{at}.code"), format!("{:?} {e}", condition.code)))?;
        if conditions.iter().any(|c| c.code == code) {
            return Err(wrong(format!("{at}.code"), format!("{code} is used twice")));
        }
        conditions.push(Condition {
            code,
            name: text(&condition.name, &format!("{at}.name"))?,
            forms: build_entries(&condition.forms, &format!("{at}.forms"), text)?,
            retired: condition.retired,
        });
    }
    Ok(Catalog {
        roles,
        conditions,
        therapies: build_entries(&raw.therapies, "catalog.therapies", text)?,
        medications: build_entries(&raw.medications, "catalog.medications", text)?,
        symptoms: build_entries(&raw.symptoms, "catalog.symptoms", text)?,
        regions: build_entries(&raw.regions, "catalog.regions", text)?,
    })
}

/// A built-in code: a literal, parsed like any other so that a typo in it
/// would surface as an error (and in the tests), never as a panic.
fn builtin_code(code: &str) -> Result<Code, ConfigError> {
    Code::parse(code).map_err(|e| wrong(format!("built-in code {code:?}"), e))
}

fn builtin_entry(code: &str, en: &str, de: &str, nl: &str) -> Result<CatalogEntry, ConfigError> {
    Ok(CatalogEntry { code: builtin_code(code)?, name: LocalizedText::builtin(en, de, nl), retired: false })
}

fn parse_visibility(raw: &RawVisibility, setting: &str) -> Result<Visibility, ConfigError> {
    let parsed = match raw {
        RawVisibility::Number(n) => Level::from_number(*n).map(Visibility::Level),
        RawVisibility::Text(s) => Visibility::parse(s),
    };
    parsed.ok_or_else(|| wrong(setting, "must be 1, 2, 3, 4 or \"private\""))
}

fn build_fields(raw: Option<&[RawField]>, text: &TextFn) -> Result<Vec<ProfileField>, ConfigError> {
    let Some(raw) = raw else {
        return STANDARD_FIELDS
            .iter()
            .map(|f| {
                Ok(ProfileField {
                    code: builtin_code(f.code)?,
                    name: LocalizedText::builtin(f.names[0], f.names[1], f.names[2]),
                    kind: f.kind,
                    health: f.health,
                    default_visibility: Visibility::Private,
                    min_visibility: Visibility::Level(Level::Community),
                })
            })
            .collect();
    };
    let mut fields: Vec<ProfileField> = Vec::new();
    for (i, field) in raw.iter().enumerate() {
        let at = format!("profile_fields[{i}]");
        let code =
            Code::parse(&field.code).map_err(|e| wrong(format!("{at}.code"), format!("{:?} {e}", field.code)))?;
        if fields.iter().any(|f| f.code == code) {
            return Err(wrong(format!("{at}.code"), format!("{code} is used twice")));
        }
        let standard = standard_field(code.as_str());
        let kind = match (standard, field.kind.as_deref()) {
            (Some(s), None) => s.kind,
            (Some(s), Some(kind)) if kind == s.kind.as_str() => s.kind,
            (Some(s), Some(_)) => {
                return Err(wrong(
                    format!("{at}.kind"),
                    format!("the standard field {code} is always {}", s.kind.as_str()),
                ))
            }
            (None, Some(kind)) => FieldKind::parse_custom(kind).ok_or_else(|| {
                wrong(
                    format!("{at}.kind"),
                    "must be text, long_text, year, email or phone for an association's own field",
                )
            })?,
            (None, None) => {
                return Err(wrong(format!("{at}.kind"), "is missing (an association's own field needs one)"))
            }
        };
        let name = match (&field.name, standard) {
            (Some(name), _) => text(name, &format!("{at}.name"))?,
            (None, Some(s)) => LocalizedText::builtin(s.names[0], s.names[1], s.names[2]),
            (None, None) => {
                return Err(wrong(format!("{at}.name"), "is missing (an association's own field needs one)"))
            }
        };
        let default_visibility = match &field.default_level {
            Some(v) => parse_visibility(v, &format!("{at}.default_level"))?,
            None => Visibility::Private,
        };
        let min_visibility = match &field.min_level {
            Some(v) => parse_visibility(v, &format!("{at}.min_level"))?,
            None => Visibility::Level(Level::Community),
        };
        if min_visibility > default_visibility {
            return Err(wrong(
                format!("{at}.default_level"),
                format!("{default_visibility} is more open than min_level {min_visibility}"),
            ));
        }
        fields.push(ProfileField {
            code,
            name,
            kind,
            health: standard.is_some_and(|s| s.health),
            default_visibility,
            min_visibility,
        });
    }
    Ok(fields)
}

fn build_admission(raw: RawAdmission) -> Result<Admission, ConfigError> {
    let mut procedures = Vec::new();
    for (i, code) in raw
        .procedures
        .unwrap_or_else(|| {
            // Every procedure is safe to offer by default: each succeeds only
            // with something the staff created (list, letter, code, approval).
            ["member_number", "letter", "invitation", "manual"].map(String::from).to_vec()
        })
        .iter()
        .enumerate()
    {
        let procedure = AdmissionProcedure::parse(code).ok_or_else(|| {
            wrong(format!("admission.procedures[{i}]"), "must be member_number, letter, invitation or manual")
        })?;
        if !procedures.contains(&procedure) {
            procedures.push(procedure);
        }
    }
    let terms_version = raw.terms_version.unwrap_or_else(|| "1".into());
    if terms_version.trim().is_empty() || terms_version.len() > 40 {
        return Err(wrong("admission.terms_version", "must be 1 to 40 characters long"));
    }
    let second_factor = match raw.second_factor.as_deref() {
        Some(s) => SecondFactorRule::parse(s)
            .ok_or_else(|| wrong("admission.second_factor", "must be none, staff or everyone"))?,
        None => SecondFactorRule::None,
    };
    Ok(Admission { procedures, terms_version, second_factor })
}

fn build_policies(raw: RawPolicies) -> Result<Policies, ConfigError> {
    let messaging = match raw.messaging.as_deref() {
        Some(s) => MessagingPolicy::parse(s)
            .ok_or_else(|| wrong("policies.messaging", "must be anyone, contacts or contacts_and_groups"))?,
        None => MessagingPolicy::ContactsAndGroups,
    };
    let creators = |value: Option<&str>, setting: &str| match value {
        Some(s) => Creators::parse(s).ok_or_else(|| wrong(setting, "must be members, moderators or admins")),
        None => Ok(Creators::Moderators),
    };
    let count_threshold = raw.count_threshold.unwrap_or(5);
    if !(2..=100).contains(&count_threshold) {
        return Err(wrong("policies.count_threshold", "must be between 2 and 100"));
    }
    let messaging_rules = match raw.messaging_rules {
        None => kindred_domain::messaging::default_role_rules(),
        Some(rules) => {
            if rules.len() > 50 {
                return Err(wrong("policies.messaging_rules", "at most 50 rules"));
            }
            let mut parsed = Vec::with_capacity(rules.len());
            for (i, rule) in rules.iter().enumerate() {
                let at = format!("policies.messaging_rules[{i}]");
                let side = |raw: &str, which: &str| {
                    RoleMatch::parse(raw).ok_or_else(|| {
                        wrong(format!("{at}.{which}"), "must be *, member, professional, moderator or admin")
                    })
                };
                parsed.push(RoleRule {
                    from: side(&rule.from, "from")?,
                    to: side(&rule.to, "to")?,
                    allow: Decision::parse(&rule.allow)
                        .ok_or_else(|| wrong(format!("{at}.allow"), "must be direct, request or never"))?,
                });
            }
            parsed
        }
    };
    Ok(Policies {
        messaging,
        messaging_rules,
        group_creation: creators(raw.group_creation.as_deref(), "policies.group_creation")?,
        event_creation: creators(raw.event_creation.as_deref(), "policies.event_creation")?,
        count_threshold: count_threshold as u32,
    })
}

// ---- stored form ----------------------------------------------------------

fn raw_text(text: &LocalizedText) -> RawText {
    RawText::Many(text.texts().iter().map(|(l, s)| (l.code().to_owned(), s.clone())).collect())
}

fn raw_entries(entries: &[CatalogEntry]) -> Vec<RawEntry> {
    entries.iter().map(|e| RawEntry { code: e.code.to_string(), name: raw_text(&e.name), retired: e.retired }).collect()
}

fn raw_visibility(v: Visibility) -> RawVisibility {
    match v {
        Visibility::Level(level) => RawVisibility::Number(i64::from(level.number())),
        Visibility::Private => RawVisibility::Text("private".into()),
    }
}

/// The settings as stored in the database: JSON, every value explicit.
pub fn to_stored(settings: &AssociationSettings) -> String {
    serde_json::to_string(&to_raw(settings)).unwrap_or_default()
}

/// The settings in the shape of the configuration file, every value
/// explicit: the stored form, the answer of `GET /admin/settings`, and what
/// `kindred association update` compares against. The one serialiser: a
/// setting added to [`RawConfig`] shows up in all three by construction.
pub fn to_json(settings: &AssociationSettings) -> serde_json::Value {
    serde_json::to_value(to_raw(settings)).unwrap_or_default()
}

/// Parses settings given as JSON in the shape of the file (`PUT
/// /admin/settings`): the same types and the same [`build`] as the file,
/// so the same checks and messages; a wrong type or an unknown key is
/// named by its path (`branding.primary_color`, `levels[0].name`).
pub fn from_json(value: serde_json::Value) -> Result<AssociationSettings, ConfigError> {
    let raw: RawConfig = serde_path_to_error::deserialize(value).map_err(|e| {
        // The path names the key, an unknown key included.
        let path = e.path().to_string();
        let setting = if path.is_empty() || path == "." { String::from("settings") } else { path };
        let problem = e.into_inner().to_string();
        wrong(setting, problem)
    })?;
    if raw.branding.as_ref().is_some_and(|b| b.logo.is_some()) {
        // A path names a file next to a configuration file; over the API
        // there is no such file.
        return Err(wrong("branding.logo", "a logo is given as a file, not in the settings"));
    }
    build(raw, None)
}

fn to_raw(settings: &AssociationSettings) -> RawConfig {
    let legal = &settings.legal;
    RawConfig {
        legal: Some(RawLegal {
            terms: legal.terms.as_ref().map(raw_text),
            imprint: legal.imprint.as_ref().map(raw_text),
            contact: legal.contact.as_ref().map(raw_text),
            contact_email: legal.contact_email.clone(),
        }),
        name: Some(raw_text(&settings.name)),
        default_language: Some(settings.default_language.code().into()),
        languages: Some(settings.languages.iter().map(|l| l.code().to_owned()).collect()),
        hosts: Some(settings.hosts.iter().map(|h| h.to_string()).collect()),
        time_zone: Some(settings.time_zone.name().to_owned()),
        form_of_address: Some(settings.form_of_address.code().to_owned()),
        welcome: settings.welcome.as_ref().map(raw_text),
        branding: Some(RawBranding {
            primary_color: Some(settings.branding.primary.to_string()),
            accent_color: Some(settings.branding.accent.to_string()),
            logo: None,
        }),
        levels: Some(
            Level::ALL
                .iter()
                .zip(settings.levels.iter())
                .map(|(level, name)| RawLevel { level: i64::from(level.number()), name: raw_text(name) })
                .collect(),
        ),
        catalog: Some(RawCatalog {
            roles: Some(raw_entries(&settings.catalog.roles)),
            conditions: settings
                .catalog
                .conditions
                .iter()
                .map(|c| RawCondition {
                    code: c.code.to_string(),
                    name: raw_text(&c.name),
                    forms: raw_entries(&c.forms),
                    retired: c.retired,
                })
                .collect(),
            therapies: raw_entries(&settings.catalog.therapies),
            medications: raw_entries(&settings.catalog.medications),
            symptoms: raw_entries(&settings.catalog.symptoms),
            regions: raw_entries(&settings.catalog.regions),
        }),
        profile_fields: Some(
            settings
                .profile_fields
                .iter()
                .map(|f| RawField {
                    code: f.code.to_string(),
                    name: Some(raw_text(&f.name)),
                    kind: Some(f.kind.as_str().into()),
                    default_level: Some(raw_visibility(f.default_visibility)),
                    min_level: Some(raw_visibility(f.min_visibility)),
                })
                .collect(),
        ),
        admission: Some(RawAdmission {
            procedures: Some(settings.admission.procedures.iter().map(|p| p.as_str().to_owned()).collect()),
            terms_version: Some(settings.admission.terms_version.clone()),
            second_factor: Some(settings.admission.second_factor.as_str().into()),
        }),
        policies: Some(RawPolicies {
            messaging: Some(settings.policies.messaging.as_str().into()),
            messaging_rules: Some(
                settings
                    .policies
                    .messaging_rules
                    .iter()
                    .map(|r| RawRoleRule {
                        from: r.from.as_str().into(),
                        to: r.to.as_str().into(),
                        allow: r.allow.as_str().into(),
                    })
                    .collect(),
            ),
            group_creation: Some(settings.policies.group_creation.as_str().into()),
            event_creation: Some(settings.policies.event_creation.as_str().into()),
            count_threshold: Some(i64::from(settings.policies.count_threshold)),
        }),
        crisis_contacts: Some(
            settings
                .crisis_contacts
                .iter()
                .map(|c| RawCrisisContact { name: raw_text(&c.name), phone: c.phone.clone(), url: c.url.clone() })
                .collect(),
        ),
        data: Some(RawData {
            anonymise_allowed: Some(settings.data.anonymise_allowed),
            pseudonym_grace_days: Some(i64::from(settings.data.pseudonym_grace_days)),
            inactive_months: Some(i64::from(settings.data.inactive_months)),
            inactive_warning_days: Some(i64::from(settings.data.inactive_warning_days)),
            unconfirmed_days: Some(i64::from(settings.data.unconfirmed_days)),
            letter_address_days: Some(i64::from(settings.data.letter_address_days)),
            notification_months: Some(i64::from(settings.data.notification_months)),
            access_log_names_staff: Some(settings.data.access_log_names_staff),
        }),
    }
}

/// Reads settings back from their stored form.
pub fn from_stored(json: &str) -> Result<AssociationSettings, ConfigError> {
    let raw: RawConfig = serde_json::from_str(json).map_err(|e| wrong("stored settings", e))?;
    build(raw, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<AssociationSettings, ConfigError> {
        build(parse_toml(text, "test.toml")?, Some("Test"))
    }

    #[test]
    fn empty_file_gives_defaults() {
        let s = parse("").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.default_language, Language::En);
        assert_eq!(s.languages.len(), 3);
        assert_eq!(s.profile_fields.len(), STANDARD_FIELDS.len());
        assert!(s.profile_fields.iter().all(|f| f.default_visibility == Visibility::Private));
        assert_eq!(s.catalog.roles.len(), 4);
        assert_eq!(s.catalog.conditions[0].code.as_str(), "ms", "the built-in catalogue");
        let explicit = parse("[catalog]\n").unwrap_or_else(|e| panic!("{e}"));
        assert!(explicit.catalog.conditions.is_empty(), "an explicit empty catalogue stays empty");
        assert_eq!(from_stored(&to_stored(&s)), Ok(s.clone()), "stored with the catalogue");
        assert_eq!(s.policies.count_threshold, 5);
        assert_eq!(s.level_name(Level::Trusted, Language::De), "Vertraute");
    }

    #[test]
    fn stored_form_round_trips() {
        let examples =
            [include_str!("../../../examples/ms-society.toml"), include_str!("../../../examples/parkinson.toml")];
        for example in examples {
            let settings = parse(example);
            assert!(settings.is_ok(), "{settings:?}");
            if let Ok(settings) = settings {
                let stored = to_stored(&settings);
                assert_eq!(from_stored(&stored), Ok(settings));
            }
        }
    }

    fn error_of(text: &str) -> String {
        match parse(text) {
            Ok(_) => String::from("no error"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn errors_name_the_setting() {
        assert!(error_of("default_language = \"fr\"").starts_with("default_language:"));
        // What the admin API refuses in a request, the file may not hold either.
        assert!(error_of("[welcome]\nen = \"hi\\u0000there\"").starts_with("welcome.en:"));
        assert!(error_of("name = \"A\\u202eB\"").starts_with("name:"));
        assert!(error_of("[[catalog.therapies]]\ncode = \"a\"\nname = \"x\\u0007\"")
            .starts_with("catalog.therapies[0].name:"));
        assert!(build(RawConfig::default(), Some("A\u{202e}B")).is_err());
        assert!(error_of("languages = [\"de\"]").starts_with("languages:"));
        assert!(error_of("colour = 1").contains("unknown field"));
        assert!(error_of("[branding]\nprimary_color = \"#ffff00\"").starts_with("branding.primary_color:"));
        assert!(error_of("[branding]\nprimary_color = \"yellow\"").starts_with("branding.primary_color:"));
        assert!(error_of("[[catalog.therapies]]\ncode = \"A\"\nname = \"x\"").starts_with("catalog.therapies[0].code:"));
        assert!(error_of(
            "[[catalog.therapies]]\ncode = \"a\"\nname = \"x\"\n[[catalog.therapies]]\ncode = \"a\"\nname = \"y\""
        )
        .contains("used twice"));
        assert!(error_of("[[profile_fields]]\ncode = \"real_name\"\ndefault_level = 1\nmin_level = 3")
            .starts_with("profile_fields[0].default_level:"));
        assert!(error_of("[[profile_fields]]\ncode = \"condition\"\nkind = \"text\"")
            .starts_with("profile_fields[0].kind:"));
        assert!(error_of("[[profile_fields]]\ncode = \"shoe_size\"").starts_with("profile_fields[0].kind:"));
        assert!(error_of("[[levels]]\nlevel = 5\nname = \"x\"").starts_with("levels[0].level:"));
        assert!(error_of("[policies]\ncount_threshold = 1").starts_with("policies.count_threshold:"));
        assert!(error_of("[data]\npseudonym_grace_days = -1").starts_with("data.pseudonym_grace_days:"));
        assert!(error_of("[data]\ninactive_months = 1\ninactive_warning_days = 40")
            .starts_with("data.inactive_warning_days:"));
        assert!(error_of("[data]\nkeep_forever = true").contains("keep_forever"));
        assert!(error_of("[policies]\nmessaging_rules = [{from = \"member\", to = \"boss\", allow = \"never\"}]")
            .starts_with("policies.messaging_rules[0].to:"));
        assert!(error_of("[policies]\nmessaging_rules = [{from = \"*\", to = \"admin\", allow = \"maybe\"}]")
            .starts_with("policies.messaging_rules[0].allow:"));
        let open = parse("[policies]\nmessaging_rules = []").unwrap_or_else(|e| panic!("{e}"));
        assert!(open.policies.messaging_rules.is_empty(), "an explicit empty list stays empty");
        assert_eq!(parse("").map(|s| s.policies.messaging_rules.len()), Ok(3), "the defaults");
        assert!(error_of("hosts = [\"not a host\"]").starts_with("hosts[0]:"));
        assert!(error_of("default_language = \"de\"\nwelcome = { en = \"Hi\" }").starts_with("welcome:"));
        assert!(error_of("name = ").starts_with("test.toml, line 1:"));
        assert!(error_of("[admission]\nprocedures = [\"sso\"]").starts_with("admission.procedures[0]:"));
    }

    #[test]
    fn logos_are_checked() {
        assert!(check_logo(b"<svg xmlns='http://www.w3.org/2000/svg'></svg>".to_vec(), "logo").is_ok());
        assert!(check_logo(b"<svg><script>alert(1)</script></svg>".to_vec(), "logo").is_err());
        assert!(check_logo(b"<svg onload = 'x()'></svg>".to_vec(), "logo").is_err());
        assert!(check_logo(b"<svg><image href=\"https://evil.example/x.png\"/></svg>".to_vec(), "logo").is_err());
        assert!(check_logo(b"GIF89a".to_vec(), "logo").is_err());
        assert!(check_logo(vec![b' '; 300 * 1024], "logo").is_err());
    }
}
