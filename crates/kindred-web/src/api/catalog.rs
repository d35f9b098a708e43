//! api::catalog — the association's catalogue, profile fields and levels.

use crate::i18n;
use crate::tenant::ApiTenant;
use axum::extract::RawQuery;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use kindred_domain::settings::{CatalogEntry, LocalizedText};
use kindred_domain::{Language, Level, Visibility};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Entry {
    code: String,
    name: String,
    /// Present (true) for a retired code: shown where members chose it, not offered anew.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    retired: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ConditionEntry {
    code: String,
    name: String,
    forms: Vec<Entry>,
    /// Present (true) for a retired code: shown where members chose it, not offered anew.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    retired: bool,
}

/// A level 1..4, or `"private"`.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum LevelValue {
    Level(u8),
    #[schema(example = "private")]
    Private(&'static str),
}

impl From<Visibility> for LevelValue {
    fn from(v: Visibility) -> Self {
        match v {
            Visibility::Level(level) => LevelValue::Level(level.number()),
            Visibility::Private => LevelValue::Private("private"),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ProfileFieldEntry {
    code: String,
    name: String,
    /// text, long_text, year, email, phone, photo, region, role, condition,
    /// condition_form, therapies or medications.
    kind: &'static str,
    /// Health data: encrypted at rest, needs the member's consent.
    health: bool,
    default_level: LevelValue,
    min_level: LevelValue,
}

#[derive(Serialize, ToSchema)]
pub struct LevelEntry {
    level: u8,
    name: String,
}

#[derive(Serialize, ToSchema)]
pub struct CatalogResponse {
    conditions: Vec<ConditionEntry>,
    therapies: Vec<Entry>,
    medications: Vec<Entry>,
    symptoms: Vec<Entry>,
    roles: Vec<Entry>,
    regions: Vec<Entry>,
    profile_fields: Vec<ProfileFieldEntry>,
    levels: Vec<LevelEntry>,
    /// The language the names are in.
    language: &'static str,
}

fn name(text: &LocalizedText, language: Language) -> String {
    text.get(language).to_owned()
}

fn entries(list: &[CatalogEntry], language: Language) -> Vec<Entry> {
    list.iter().map(|e| Entry { code: e.code.to_string(), name: name(&e.name, language), retired: e.retired }).collect()
}

/// The association's health catalogue, roles, regions, profile fields and
/// level names, in the caller's language (`?lang=`, else `Accept-Language`,
/// else the association's default). Public: it holds configuration only.
#[utoipa::path(
    get,
    path = "/catalog",
    tag = "profiles",
    params(
        ("lang" = Option<String>, Query, description = "de, en or nl"),
        ("Accept-Language" = Option<String>, Header, description = "Preferred languages"),
    ),
    responses(
        (status = 200, description = "The catalogue", body = CatalogResponse),
        (status = 404, description = "No such association", body = super::ErrorResponse),
    )
)]
pub async fn catalog(ApiTenant(tenant): ApiTenant, RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    let language = i18n::choose(Some(&tenant.association), query.as_deref(), accept);
    let settings = &tenant.association.settings;
    let catalog = &settings.catalog;
    let body = CatalogResponse {
        conditions: catalog
            .conditions
            .iter()
            .map(|c| ConditionEntry {
                code: c.code.to_string(),
                name: name(&c.name, language),
                forms: entries(&c.forms, language),
                retired: c.retired,
            })
            .collect(),
        therapies: entries(&catalog.therapies, language),
        medications: entries(&catalog.medications, language),
        symptoms: entries(&catalog.symptoms, language),
        roles: entries(&catalog.roles, language),
        regions: entries(&catalog.regions, language),
        profile_fields: settings
            .profile_fields
            .iter()
            .map(|f| ProfileFieldEntry {
                code: f.code.to_string(),
                name: name(&f.name, language),
                kind: f.kind.as_str(),
                health: f.health,
                default_level: f.default_visibility.into(),
                min_level: f.min_visibility.into(),
            })
            .collect(),
        levels: Level::ALL
            .iter()
            .map(|l| LevelEntry { level: l.number(), name: settings.level_name(*l, language).to_owned() })
            .collect(),
        language: language.code(),
    };
    ([(header::CONTENT_LANGUAGE, language.code())], Json(body)).into_response()
}
