//! The association's settings for its admins, in groups (general,
//! appearance, levels, profile fields, admission, policies, crisis
//! contacts, legal pages, the members' data, the catalogue). Every page shows a part of the settings document (the
//! configuration file's shape, as `GET /admin/settings` answers it) and
//! posts into a copy of the whole document, which goes through the same
//! service function as `PUT /admin/settings`: the same parser, checks,
//! audit entry and messages. A form field's name is the setting's path
//! (`branding.primary_color`, `levels[0].name.de`), so an error of the
//! parser finds its field by the path it names.

use super::association::AssociationPage;
use super::forms::Problems;
use super::respond::{internal, link, see_other};
use super::staff::{render as render_staff, staff, staff_post};
use super::text::{notice, tr, DoneQuery};
use crate::i18n;
use crate::state::AppState;
use crate::tenant::PageTenant;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use kindred_domain::{Color, Language, Level};
use kindred_service::administration::SettingsError;
use kindred_service::admission::StaffPower;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::sync::Arc;

/// The groups of settings, each a page: its address and title key.
const SECTIONS: [&str; 16] = [
    "general",
    "appearance",
    "hosts",
    "levels",
    "profile-fields",
    "admission",
    "policies",
    "crisis-contacts",
    "legal",
    "data",
    "catalog-roles",
    "catalog-conditions",
    "catalog-therapies",
    "catalog-medications",
    "catalog-symptoms",
    "catalog-regions",
];

/// A catalogue page's list in the settings document: `catalog-therapies` → `therapies`.
fn catalog_list(section: &str) -> Option<&str> {
    section.strip_prefix("catalog-")
}

/// How many entries of a catalogue list are saved: those after them in a
/// refused form are new ones, shown again with their code to correct.
fn saved_entries(page: &AssociationPage, list: &str) -> usize {
    let catalog = &page.tenant.association.settings.catalog;
    match list {
        "roles" => catalog.roles.len(),
        "conditions" => catalog.conditions.len(),
        "therapies" => catalog.therapies.len(),
        "medications" => catalog.medications.len(),
        "symptoms" => catalog.symptoms.len(),
        "regions" => catalog.regions.len(),
        _ => 0,
    }
}

#[derive(Serialize)]
struct SectionLink {
    href: String,
    title: String,
    about: String,
}

fn section_links(page: &AssociationPage) -> Vec<SectionLink> {
    SECTIONS
        .iter()
        .map(|s| SectionLink {
            href: link(page, &format!("/staff/settings/{s}"), &[]),
            title: tr(page, &format!("settings-{s}-title")),
            about: tr(page, &format!("settings-{s}-about")),
        })
        .collect()
}

pub async fn index(State(state): State<AppState>, page: AssociationPage) -> Response {
    if let Err(response) = staff(&state, &page, StaffPower::Administration) {
        return *response;
    }
    let values = minijinja::context! { sections => section_links(&page) };
    render_staff(&state, &page, "/staff/settings", "staff/settings_index.html", StatusCode::OK, values)
}

// ------------------------------------------------------------------ the form's fields

/// One control of a settings form; `name` is the setting's path.
#[derive(Serialize)]
struct FieldView {
    control: &'static str,
    id: String,
    name: String,
    label: String,
    hint: String,
    value: String,
    options: Vec<OptionView>,
    /// For a text in one language: its code, for the `lang` attribute.
    lang: String,
}

#[derive(Serialize)]
struct OptionView {
    id: String,
    value: String,
    label: String,
    selected: bool,
}

/// Controls under a common legend (one level, one profile field, …).
#[derive(Serialize)]
struct GroupView {
    legend: String,
    fields: Vec<FieldView>,
}

/// A field id from a setting path: `levels[0].name.de` → `s-levels-0-name-de`.
fn field_id(path: &str) -> String {
    let mut id = String::from("s-");
    let mut dash = false;
    for c in path.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            if dash {
                id.push('-');
                dash = false;
            }
            id.push(c);
        } else {
            dash = true;
        }
    }
    id
}

/// A JSON pointer from a setting path: `levels[0].name.de` → `/levels/0/name/de`.
fn pointer(path: &str) -> String {
    path.replace('[', ".").replace(']', "").split('.').filter(|s| !s.is_empty()).fold(String::new(), |mut p, s| {
        p.push('/');
        p.push_str(s);
        p
    })
}

fn text_at(doc: &Value, path: &str) -> String {
    match doc.pointer(&pointer(path)) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn field(control: &'static str, path: &str, label: String, hint: String, value: String) -> FieldView {
    FieldView {
        control,
        id: field_id(path),
        name: path.to_owned(),
        label,
        hint,
        value,
        options: Vec::new(),
        lang: String::new(),
    }
}

fn select(path: &str, label: String, hint: String, value: String, options: Vec<(String, String)>) -> FieldView {
    let id = field_id(path);
    let options = options
        .into_iter()
        .map(|(v, l)| OptionView { id: format!("{id}-{v}"), selected: v == value, value: v, label: l })
        .collect();
    FieldView { options, ..field("select", path, label, hint, value) }
}

fn checkboxes(path: &str, label: String, hint: String, chosen: &[String], options: Vec<(String, String)>) -> FieldView {
    let id = field_id(path);
    let options = options
        .into_iter()
        .map(|(v, l)| OptionView { id: format!("{id}-{v}"), selected: chosen.contains(&v), value: v, label: l })
        .collect();
    FieldView { options, ..field("checkboxes", path, label, hint, String::new()) }
}

/// The languages the association offers, from the document.
fn languages(doc: &Value) -> Vec<Language> {
    let listed: Vec<Language> = strings(doc.pointer("/languages")).iter().filter_map(|c| Language::parse(c)).collect();
    if listed.is_empty() {
        Language::ALL.to_vec()
    } else {
        listed
    }
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// One control per offered language for the localised text at `path`.
fn texts(page: &AssociationPage, doc: &Value, path: &str, label_key: &str, control: &'static str) -> Vec<FieldView> {
    languages(doc)
        .into_iter()
        .map(|language| {
            let at = format!("{path}.{}", language.code());
            let label = format!("{} ({})", tr(page, label_key), language.native_name());
            FieldView {
                lang: language.code().to_owned(),
                ..field(control, &at, label, String::new(), text_at(doc, &at))
            }
        })
        .collect()
}

fn level_options(page: &AssociationPage) -> Vec<(String, String)> {
    let settings = &page.tenant.association.settings;
    let mut options: Vec<(String, String)> = Level::ALL
        .iter()
        .map(|l| (l.number().to_string(), format!("{} – {}", l.number(), settings.level_name(*l, page.language))))
        .collect();
    options.push((String::from("private"), tr(page, "settings-private")));
    options
}

fn keyed_options(page: &AssociationPage, prefix: &str, values: &[&str]) -> Vec<(String, String)> {
    values.iter().map(|v| ((*v).to_owned(), tr(page, &format!("{prefix}-{}", v.replace('_', "-"))))).collect()
}

/// The groups of controls of a section, built from `doc`.
fn groups(page: &AssociationPage, section: &str, doc: &Value) -> Vec<GroupView> {
    let t = |key: &str| tr(page, key);
    let one = |fields: Vec<FieldView>| vec![GroupView { legend: String::new(), fields }];
    match section {
        "general" => {
            let language_options: Vec<(String, String)> =
                Language::ALL.iter().map(|l| (l.code().to_owned(), l.native_name().to_owned())).collect();
            let chosen = strings(doc.pointer("/languages"));
            let mut general = vec![
                select(
                    "default_language",
                    t("settings-default-language"),
                    t("settings-default-language-hint"),
                    text_at(doc, "default_language"),
                    language_options.clone(),
                ),
                checkboxes(
                    "languages",
                    t("settings-languages"),
                    t("settings-languages-hint"),
                    &chosen,
                    language_options,
                ),
                select(
                    "form_of_address",
                    t("settings-form-of-address"),
                    t("settings-form-of-address-hint"),
                    text_at(doc, "form_of_address"),
                    kindred_domain::settings::FormOfAddress::ALL
                        .into_iter()
                        .map(|form| form.code())
                        .map(|code| (code.to_owned(), t(&format!("settings-form-of-address-{code}"))))
                        .collect(),
                ),
            ];
            general.extend(texts(page, doc, "name", "settings-name", "text"));
            vec![
                GroupView { legend: t("settings-general-names"), fields: general },
                GroupView {
                    legend: t("settings-welcome"),
                    fields: texts(page, doc, "welcome", "settings-welcome-text", "textarea"),
                },
            ]
        }
        "appearance" => one(vec![
            field(
                "text",
                "branding.primary_color",
                t("settings-primary-color"),
                t("settings-color-hint"),
                text_at(doc, "branding.primary_color"),
            ),
            field(
                "text",
                "branding.accent_color",
                t("settings-accent-color"),
                t("settings-color-hint"),
                text_at(doc, "branding.accent_color"),
            ),
        ]),
        "hosts" => {
            let hosts = strings(doc.pointer("/hosts"));
            // One more, empty, to add a host name; a name emptied is removed.
            let fields = (0..=hosts.len())
                .map(|i| {
                    let path = format!("hosts[{i}]");
                    let label = if i < hosts.len() {
                        format!("{} {}", t("settings-host"), i + 1)
                    } else {
                        t("settings-host-new")
                    };
                    field("text", &path, label, t("settings-host-hint"), text_at(doc, &path))
                })
                .collect();
            one(fields)
        }
        section if catalog_list(section).is_some() => {
            let list = catalog_list(section).unwrap_or_default();
            let count = doc.pointer(&format!("/catalog/{list}")).and_then(Value::as_array).map_or(0, Vec::len);
            let shown = page.language.code();
            let saved = saved_entries(page, list);
            let mut groups: Vec<GroupView> = (0..count.min(saved))
                .map(|i| {
                    let at = format!("catalog.{list}[{i}]");
                    let code = text_at(doc, &format!("{at}.code"));
                    let name = text_at(doc, &format!("{at}.name.{shown}"));
                    let legend = if name.is_empty() { code.clone() } else { format!("{name} ({code})") };
                    let mut fields = texts(page, doc, &format!("{at}.name"), "settings-catalog-name", "text");
                    let retired = doc.pointer(&pointer(&format!("{at}.retired"))).and_then(Value::as_bool);
                    fields.push(field(
                        "flag",
                        &format!("{at}.retired"),
                        t("settings-catalog-retired"),
                        t("settings-catalog-retired-hint"),
                        if retired == Some(true) { "yes".into() } else { String::new() },
                    ));
                    GroupView { legend, fields }
                })
                .collect();
            // One more, to add an entry: its code, then its names (the one
            // just posted, when it was refused).
            let at = format!("catalog.{list}[{saved}]");
            let mut fields = vec![field(
                "text",
                &format!("{at}.code"),
                t("settings-catalog-code"),
                t("settings-catalog-code-hint"),
                text_at(doc, &format!("{at}.code")),
            )];
            fields.extend(texts(page, doc, &format!("{at}.name"), "settings-catalog-name", "text"));
            groups.push(GroupView { legend: t("settings-catalog-new"), fields });
            groups
        }
        "levels" => (0..Level::ALL.len())
            .map(|i| GroupView {
                legend: format!("{} {}", t("settings-level"), text_at(doc, &format!("levels[{i}].level"))),
                fields: texts(page, doc, &format!("levels[{i}].name"), "settings-level-name", "text"),
            })
            .collect(),
        "profile-fields" => {
            let count = doc.pointer("/profile_fields").and_then(Value::as_array).map_or(0, Vec::len);
            let shown = page.language.code();
            (0..count)
                .map(|i| {
                    let name = text_at(doc, &format!("profile_fields[{i}].name.{shown}"));
                    let name = if name.is_empty() { text_at(doc, &format!("profile_fields[{i}].code")) } else { name };
                    let at = |key: &str| format!("profile_fields[{i}].{key}");
                    GroupView {
                        legend: name,
                        fields: vec![
                            select(
                                &at("default_level"),
                                t("settings-default-level"),
                                String::new(),
                                text_at(doc, &at("default_level")),
                                level_options(page),
                            ),
                            select(
                                &at("min_level"),
                                t("settings-min-level"),
                                t("settings-min-level-hint"),
                                text_at(doc, &at("min_level")),
                                level_options(page),
                            ),
                        ],
                    }
                })
                .collect()
        }
        "admission" => one(vec![
            checkboxes(
                "admission.procedures",
                t("settings-procedures"),
                t("settings-procedures-hint"),
                &strings(doc.pointer("/admission/procedures")),
                keyed_options(page, "procedure", &["member_number", "letter", "invitation", "manual"]),
            ),
            select(
                "admission.second_factor",
                t("settings-second-factor"),
                t("settings-second-factor-hint"),
                text_at(doc, "admission.second_factor"),
                keyed_options(page, "settings-second-factor", &["none", "staff", "everyone"]),
            ),
        ]),
        "policies" => {
            let creators = keyed_options(page, "settings-creators", &["members", "moderators", "admins"]);
            one(vec![
                select(
                    "policies.messaging",
                    t("settings-messaging"),
                    String::new(),
                    text_at(doc, "policies.messaging"),
                    keyed_options(page, "settings-messaging", &["anyone", "contacts", "contacts_and_groups"]),
                ),
                select(
                    "policies.group_creation",
                    t("settings-group-creation"),
                    String::new(),
                    text_at(doc, "policies.group_creation"),
                    creators.clone(),
                ),
                select(
                    "policies.event_creation",
                    t("settings-event-creation"),
                    String::new(),
                    text_at(doc, "policies.event_creation"),
                    creators,
                ),
                field(
                    "number",
                    "policies.count_threshold",
                    t("settings-count-threshold"),
                    t("settings-count-threshold-hint"),
                    text_at(doc, "policies.count_threshold"),
                ),
            ])
        }
        "crisis-contacts" => {
            let count = doc.pointer("/crisis_contacts").and_then(Value::as_array).map_or(0, Vec::len);
            // One more, empty, to add a contact.
            (0..=count)
                .map(|i| {
                    let at = |key: &str| format!("crisis_contacts[{i}].{key}");
                    let mut fields =
                        texts(page, doc, &format!("crisis_contacts[{i}].name"), "settings-crisis-name", "text");
                    fields.push(field(
                        "tel",
                        &at("phone"),
                        t("settings-crisis-phone"),
                        String::new(),
                        text_at(doc, &at("phone")),
                    ));
                    fields.push(field(
                        "url",
                        &at("url"),
                        t("settings-crisis-url"),
                        t("settings-crisis-url-hint"),
                        text_at(doc, &at("url")),
                    ));
                    if i < count {
                        fields.push(field(
                            "remove",
                            &at("remove"),
                            t("settings-crisis-remove"),
                            String::new(),
                            String::new(),
                        ));
                    }
                    let legend = if i < count {
                        format!("{} {}", t("settings-crisis-contact"), i + 1)
                    } else {
                        t("settings-crisis-new")
                    };
                    GroupView { legend, fields }
                })
                .collect()
        }
        "legal" => vec![
            GroupView {
                legend: t("legal-terms-title"),
                fields: {
                    let mut fields = vec![field(
                        "text",
                        "admission.terms_version",
                        t("settings-terms-version"),
                        t("settings-terms-version-hint"),
                        text_at(doc, "admission.terms_version"),
                    )];
                    fields.extend(texts(page, doc, "legal.terms", "settings-legal-text", "textarea"));
                    fields
                },
            },
            GroupView {
                legend: t("legal-imprint-title"),
                fields: texts(page, doc, "legal.imprint", "settings-legal-text", "textarea"),
            },
            GroupView {
                legend: t("legal-contact-title"),
                fields: {
                    let mut fields = texts(page, doc, "legal.contact", "settings-legal-text", "textarea");
                    fields.push(field(
                        "email",
                        "legal.contact_email",
                        t("settings-contact-email"),
                        t("settings-contact-email-hint"),
                        text_at(doc, "legal.contact_email"),
                    ));
                    fields
                },
            },
        ],
        "data" => {
            let flag = |path: &str, key: &str| {
                let on = doc.pointer(&pointer(path)).and_then(Value::as_bool) == Some(true);
                field("flag", path, t(key), t(&format!("{key}-hint")), if on { "yes".into() } else { String::new() })
            };
            let number =
                |path: &str, key: &str| field("number", path, t(key), t(&format!("{key}-hint")), text_at(doc, path));
            vec![
                GroupView {
                    legend: t("settings-data-erasure"),
                    fields: vec![
                        flag("data.anonymise_allowed", "settings-data-anonymise"),
                        number("data.pseudonym_grace_days", "settings-data-grace"),
                    ],
                },
                GroupView {
                    legend: t("settings-data-retention"),
                    fields: vec![
                        number("data.inactive_months", "settings-data-inactive"),
                        number("data.inactive_warning_days", "settings-data-warning"),
                        number("data.unconfirmed_days", "settings-data-unconfirmed"),
                        number("data.letter_address_days", "settings-data-letters"),
                        number("data.notification_months", "settings-data-notifications"),
                    ],
                },
                GroupView {
                    legend: t("settings-data-access-log"),
                    fields: vec![flag("data.access_log_names_staff", "settings-data-names-staff")],
                },
            ]
        }
        _ => Vec::new(),
    }
}

// ------------------------------------------------------------------ the form into the document

/// The posted pairs, in order.
struct Posted(Vec<(String, String)>);

impl Posted {
    fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim())
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.trim().to_owned()).collect()
    }

    fn csrf(&self) -> &str {
        self.get("csrf").unwrap_or("")
    }
}

/// Sets the value at `path`, creating tables on the way.
fn set(doc: &mut Value, path: &str, value: Value) {
    let pointer = pointer(path);
    let mut at = doc;
    for part in pointer.split('/').skip(1) {
        if !at.is_object() && !at.is_array() {
            *at = json!({});
        }
        at = match at {
            Value::Array(items) => match part.parse::<usize>().ok().filter(|i| *i <= items.len()) {
                Some(i) => {
                    if i == items.len() {
                        items.push(json!({}));
                    }
                    &mut items[i]
                }
                None => return,
            },
            Value::Object(map) => map.entry(part.to_owned()).or_insert(Value::Null),
            _ => return,
        };
    }
    *at = value;
}

/// A localised text from one control per language: languages left empty
/// are removed, other languages' texts kept; `None` when no text is left.
fn posted_text(doc: &Value, posted: &Posted, path: &str, languages: &[Language]) -> Option<Value> {
    let mut texts = match doc.pointer(&pointer(path)) {
        Some(Value::Object(map)) => map.clone(),
        Some(Value::String(s)) => languages.iter().map(|l| (l.code().to_owned(), Value::String(s.clone()))).collect(),
        _ => serde_json::Map::new(),
    };
    for language in languages {
        let code = language.code();
        match posted.get(&format!("{path}.{code}")) {
            Some(text) if !text.is_empty() => {
                texts.insert(code.to_owned(), Value::String(text.to_owned()));
            }
            _ => {
                texts.remove(code);
            }
        }
    }
    (!texts.is_empty()).then_some(Value::Object(texts))
}

/// A level (`1`..`4`) as the file writes it, or `"private"` and anything else as text.
fn visibility(raw: &str) -> Value {
    raw.parse::<i64>().map_or_else(|_| Value::String(raw.to_owned()), Value::from)
}

fn apply(section: &str, doc: &mut Value, posted: &Posted) {
    let langs = languages(doc);
    let string = |s: Option<&str>| Value::String(s.unwrap_or("").to_owned());
    match section {
        "general" => {
            let text = posted_text(doc, posted, "name", &langs).unwrap_or_else(|| json!({}));
            set(doc, "name", text);
            let welcome = posted_text(doc, posted, "welcome", &langs).unwrap_or(Value::Null);
            set(doc, "welcome", welcome);
            set(doc, "default_language", string(posted.get("default_language")));
            if let Some(form) = posted.get("form_of_address") {
                set(doc, "form_of_address", Value::String(form.to_owned()));
            }
            // The order stays as it was; a language added comes last.
            let chosen = posted.all("languages");
            let mut ordered: Vec<String> =
                strings(doc.pointer("/languages")).into_iter().filter(|l| chosen.contains(l)).collect();
            for code in chosen {
                if !ordered.contains(&code) {
                    ordered.push(code);
                }
            }
            set(doc, "languages", json!(ordered));
        }
        "appearance" => {
            set(doc, "branding.primary_color", string(posted.get("branding.primary_color")));
            set(doc, "branding.accent_color", string(posted.get("branding.accent_color")));
        }
        "hosts" => {
            let count = strings(doc.pointer("/hosts")).len();
            let hosts: Vec<String> = (0..=count)
                .filter_map(|i| posted.get(&format!("hosts[{i}]")))
                .filter(|h| !h.is_empty())
                .map(str::to_owned)
                .collect();
            set(doc, "hosts", json!(hosts));
        }
        section if catalog_list(section).is_some() => {
            let list = catalog_list(section).unwrap_or_default();
            let count = doc.pointer(&format!("/catalog/{list}")).and_then(Value::as_array).map_or(0, Vec::len);
            for i in 0..count {
                let at = format!("catalog.{list}[{i}]");
                // A code keeps its name: a name left empty in every language is
                // the parser's to name, as in the file.
                let name = posted_text(doc, posted, &format!("{at}.name"), &langs).unwrap_or_else(|| json!({}));
                set(doc, &format!("{at}.name"), name);
                set(doc, &format!("{at}.retired"), json!(posted.get(&format!("{at}.retired")) == Some("yes")));
            }
            let at = format!("catalog.{list}[{count}]");
            let code = posted.get(&format!("{at}.code")).unwrap_or("");
            let name = posted_text(doc, posted, &format!("{at}.name"), &langs);
            if !code.is_empty() || name.is_some() {
                set(doc, &format!("{at}.code"), json!(code));
                set(doc, &format!("{at}.name"), name.unwrap_or_else(|| json!({})));
            }
        }
        "levels" => {
            for i in 0..Level::ALL.len() {
                let path = format!("levels[{i}].name");
                let text = posted_text(doc, posted, &path, &langs).unwrap_or_else(|| json!({}));
                set(doc, &path, text);
            }
        }
        "profile-fields" => {
            let count = doc.pointer("/profile_fields").and_then(Value::as_array).map_or(0, Vec::len);
            for i in 0..count {
                for key in ["default_level", "min_level"] {
                    let path = format!("profile_fields[{i}].{key}");
                    if let Some(raw) = posted.get(&path) {
                        set(doc, &path, visibility(raw));
                    }
                }
            }
        }
        "admission" => {
            set(doc, "admission.procedures", json!(posted.all("admission.procedures")));
            set(doc, "admission.second_factor", string(posted.get("admission.second_factor")));
        }
        "policies" => {
            for key in ["messaging", "group_creation", "event_creation"] {
                let path = format!("policies.{key}");
                set(doc, &path, string(posted.get(&path)));
            }
            let raw = posted.get("policies.count_threshold").unwrap_or("");
            // A number as a number; anything else as text, which the parser names.
            let value = raw.parse::<i64>().map_or_else(|_| Value::String(raw.to_owned()), Value::from);
            set(doc, "policies.count_threshold", value);
        }
        "crisis-contacts" => {
            let count = doc.pointer("/crisis_contacts").and_then(Value::as_array).map_or(0, Vec::len);
            let mut contacts = Vec::new();
            for i in 0..=count {
                let at = |key: &str| format!("crisis_contacts[{i}].{key}");
                if posted.get(&at("remove")).is_some() {
                    continue;
                }
                let name = posted_text(doc, posted, &format!("crisis_contacts[{i}].name"), &langs);
                let phone = posted.get(&at("phone")).filter(|p| !p.is_empty());
                let url = posted.get(&at("url")).filter(|u| !u.is_empty());
                if i == count && name.is_none() && phone.is_none() && url.is_none() {
                    continue; // the empty row for a new contact, left empty
                }
                let mut contact = json!({ "name": name.unwrap_or_else(|| json!({})) });
                if let Some(phone) = phone {
                    contact["phone"] = json!(phone);
                }
                if let Some(url) = url {
                    contact["url"] = json!(url);
                }
                contacts.push(contact);
            }
            set(doc, "crisis_contacts", Value::Array(contacts));
        }
        "legal" => {
            set(doc, "admission.terms_version", string(posted.get("admission.terms_version")));
            for key in ["terms", "imprint", "contact"] {
                let path = format!("legal.{key}");
                // All languages left empty: the built-in text again.
                let text = posted_text(doc, posted, &path, &langs).unwrap_or(Value::Null);
                set(doc, &path, text);
            }
            let email = posted.get("legal.contact_email").filter(|e| !e.is_empty());
            set(doc, "legal.contact_email", email.map_or(Value::Null, |e| Value::String(e.to_owned())));
        }
        "data" => {
            for key in ["anonymise_allowed", "access_log_names_staff"] {
                let path = format!("data.{key}");
                set(doc, &path, json!(posted.get(&path) == Some("yes")));
            }
            for key in [
                "pseudonym_grace_days",
                "inactive_months",
                "inactive_warning_days",
                "unconfirmed_days",
                "letter_address_days",
                "notification_months",
            ] {
                let path = format!("data.{key}");
                let raw = posted.get(&path).unwrap_or("");
                // A number as a number; anything else as text, which the parser names.
                let value = raw.trim().parse::<i64>().map_or_else(|_| Value::String(raw.to_owned()), Value::from);
                set(doc, &path, value);
            }
        }
        _ => {}
    }
}

// ------------------------------------------------------------------ pages

struct SectionView {
    doc: Value,
    notice: Option<String>,
    problems: Problems,
    preview: Option<(Color, Color)>,
    status: StatusCode,
}

fn render_section(state: &AppState, page: &AssociationPage, section: &str, view: SectionView) -> Response {
    let groups = groups(page, section, &view.doc);
    let preview_css = view.preview.map(|(primary, accent)| {
        link(page, "/staff/settings-preview.css", &[("primary", &primary.to_string()), ("accent", &accent.to_string())])
    });
    let values = minijinja::context! {
        section => section,
        title => tr(page, &format!("settings-{section}-title")),
        intro => tr(page, &format!("settings-{section}-intro")),
        action => link(page, &format!("/staff/settings/{section}"), &[]),
        back => link(page, "/staff/settings", &[]),
        groups => groups,
        csrf => page.session.csrf(),
        notice => view.notice,
        problems => view.problems,
        preview_css => preview_css,
    };
    let path = format!("/staff/settings/{section}");
    render_staff(state, page, &path, "staff/settings.html", view.status, values)
}

pub async fn show(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, section)): Path<(String, String)>,
    Query(query): Query<DoneQuery>,
) -> Response {
    if let Err(response) = staff(&state, &page, StaffPower::Administration) {
        return *response;
    }
    let Some(section) = SECTIONS.iter().find(|s| **s == section) else { return StatusCode::NOT_FOUND.into_response() };
    let doc = state.kindred.settings_json(&page.tenant.association);
    let view = SectionView {
        doc,
        notice: notice(&page, &query),
        problems: Problems::default(),
        preview: None,
        status: StatusCode::OK,
    };
    render_section(&state, &page, section, view)
}

/// The control a problem of the parser belongs to: the path's own field, the
/// first control under it (a text's first language, a list's first box), or
/// that of its parent; else the form's first control, in the summary only.
fn problem_at(groups: &[GroupView], setting: &str) -> Option<String> {
    let ids: Vec<&str> = groups
        .iter()
        .flat_map(|g| g.fields.iter())
        .flat_map(|f| {
            std::iter::once(f.id.as_str())
                .chain(f.options.iter().filter(|_| f.control == "checkboxes").map(|o| o.id.as_str()))
        })
        .collect();
    let mut path = setting.to_owned();
    loop {
        let id = field_id(&path);
        if let Some(found) =
            ids.iter().find(|i| **i == id).or_else(|| ids.iter().find(|i| i.starts_with(&format!("{id}-"))))
        {
            return Some((*found).to_owned());
        }
        match path.rfind(['.', '[']) {
            Some(cut) => path.truncate(cut),
            None => return None,
        }
    }
}

/// The message of a problem in the page's language: by the setting's last
/// name (`primary_color`, `count_threshold`), else the parser's English.
fn problem_message(page: &AssociationPage, setting: &str, problem: &str) -> String {
    // The parser's words for a wrong type ("invalid type: string, expected
    // i64") in the API's words first: never a Rust type name on a page.
    let (_, problem) = crate::json::explain(setting, problem);
    let name = setting.rsplit(['.', '[', ']']).find(|s| !s.is_empty() && s.parse::<usize>().is_err() && s.len() != 2);
    let key = name.map(|n| format!("settings-problem-{}", n.replace('_', "-")));
    let waiting = problem.contains("wait for verification");
    let key = if waiting { Some(String::from("settings-problem-waiting")) } else { key };
    key.and_then(|k| i18n::try_text(page.language, &k)).or_else(|| general_problem(page, &problem)).unwrap_or(problem)
}

/// A problem any setting may have, in the page's language: a number that
/// is none or out of its range, an address that is none, a choice not
/// offered. `None` for anything else (the parser's own words stay).
fn general_problem(page: &AssociationPage, problem: &str) -> Option<String> {
    if problem.starts_with("must be a whole number") || problem.starts_with("must be a number") {
        return i18n::try_text(page.language, "settings-problem-whole-number");
    }
    if let Some((min, max)) = problem.strip_prefix("must be between ").and_then(|r| r.split_once(" and ")) {
        let arg =
            |v: &str| fluent_templates::fluent_bundle::FluentValue::from(v.trim_end_matches('.').trim().to_owned());
        return Some(i18n::text(page.language, "settings-problem-range", &[("min", arg(min)), ("max", arg(max))]));
    }
    if problem.starts_with("is not an e-mail address") {
        return i18n::try_text(page.language, "settings-problem-email");
    }
    if problem.starts_with("must be one of") || problem.starts_with("is out of range or not allowed") {
        return i18n::try_text(page.language, "settings-problem-choice");
    }
    // "must be anyone, contacts or contacts_and_groups": a value no form offers.
    if problem.starts_with("must be ") && problem.contains(", ") && problem.contains(" or ") {
        return i18n::try_text(page.language, "settings-problem-choice");
    }
    None
}

pub async fn save(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, section)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let posted = Posted(pairs);
    let caller = match staff_post(&state, &page, StaffPower::Administration, posted.csrf()) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let Some(section) = SECTIONS.iter().find(|s| **s == section) else { return StatusCode::NOT_FOUND.into_response() };
    let association = &page.tenant.association;
    let mut doc = state.kindred.settings_json(association);
    apply(section, &mut doc, &posted);
    if posted.get("action") == Some("preview") {
        // The colours shown on a sample before they are saved, checked as on saving.
        let colour = |path: &str| {
            Color::parse_readable_on_white(&text_at(&doc, path)).map_err(|e| (path.to_owned(), e.to_string()))
        };
        let mut problems = Problems::default();
        let checked = match (colour("branding.primary_color"), colour("branding.accent_color")) {
            (Ok(p), Ok(a)) => Some((p, a)),
            (p, a) => {
                for (path, problem) in [p.err(), a.err()].into_iter().flatten() {
                    problems.add(&field_id(&path), problem_message(&page, &path, &problem));
                }
                None
            }
        };
        let status = if checked.is_some() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
        let view = SectionView { doc, notice: None, problems, preview: checked, status };
        return render_section(&state, &page, section, view);
    }
    match state.kindred.update_settings_json(association, Some(&caller.member.id), doc.clone()).await {
        Ok(change) => {
            state.associations.put_slug(association.slug.as_str(), Some(Arc::new(change.association)));
            see_other(&link(&page, &format!("/staff/settings/{section}"), &[("done", "settings-saved")]))
        }
        Err(SettingsError::Invalid(error)) => {
            let groups = groups(&page, section, &doc);
            let message = problem_message(&page, &error.setting, &error.problem);
            let mut problems = Problems::default();
            match problem_at(&groups, &error.setting) {
                Some(id) => problems.add(&id, message),
                None => {
                    let first =
                        groups.iter().flat_map(|g| g.fields.first()).next().map(|f| f.id.clone()).unwrap_or_default();
                    problems.add_general(&first, format!("{}: {message}", error.setting));
                }
            }
            let view =
                SectionView { doc, notice: None, problems, preview: None, status: StatusCode::UNPROCESSABLE_ENTITY };
            render_section(&state, &page, section, view)
        }
        Err(SettingsError::Store(error)) => internal(error),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PreviewQuery {
    primary: String,
    accent: String,
}

/// The colours of the appearance page's sample: a stylesheet, as the
/// content security policy allows no inline styles. Colours that fail the
/// contrast check are not used.
pub async fn preview_css(PageTenant(tenant): PageTenant, Query(query): Query<PreviewQuery>) -> Response {
    let branding = &tenant.association.settings.branding;
    let primary = Color::parse_readable_on_white(&query.primary).unwrap_or(branding.primary);
    let accent = Color::parse_readable_on_white(&query.accent).unwrap_or(branding.accent);
    let css = format!(".brand-preview{{--preview-brand:{primary};--preview-accent:{accent};}}\n");
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], css).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_ids_and_pointers() {
        assert_eq!(field_id("levels[0].name.de"), "s-levels-0-name-de");
        assert_eq!(field_id("branding.primary_color"), "s-branding-primary_color");
        assert_eq!(pointer("levels[0].name.de"), "/levels/0/name/de");
        let mut doc = json!({"levels": [{"level": 1}], "policies": {}});
        set(&mut doc, "levels[0].name.de", json!("Eins"));
        set(&mut doc, "policies.count_threshold", json!(7));
        set(&mut doc, "crisis_contacts", json!([]));
        set(&mut doc, "levels[5].name", json!("ignored"));
        assert_eq!(
            doc,
            json!({"levels": [{"level": 1, "name": {"de": "Eins"}}], "policies": {"count_threshold": 7}, "crisis_contacts": []})
        );
    }
}
