//! An association's public pages: home, how privacy works, accessibility,
//! and its branding (logo, colours).

use super::layout::{render, Layout, Section};
use super::session::{same_origin, PageSession};
use crate::auth;
use crate::errors::PageError;
use crate::i18n;
use crate::state::AppState;
use crate::tenant::{PageTenant, Tenant};
use axum::extract::{FromRequestParts, RawQuery, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use fluent_templates::fluent_bundle::FluentValue;
use kindred_domain::events::TimeZoneName;
use kindred_domain::markdown;
use kindred_domain::settings::LocalizedText;
use kindred_domain::{Language, Level};
use kindred_service::sessions::Client;
use serde::Serialize;

/// What every association page starts from: the association, the page's
/// language, an explicit language choice to keep in links, and who is
/// signed in.
pub struct AssociationPage {
    pub(super) tenant: Tenant,
    pub(super) language: Language,
    pub(super) explicit: Option<Language>,
    pub(super) session: PageSession,
    pub(super) client: Client,
    /// Whether the request may be a form post from our own pages ([`same_origin`]).
    pub(super) same_origin: bool,
    /// Unread notifications of a member who may use the community.
    pub(super) unread: Option<i64>,
    /// Unread messages of a member who may use the community.
    pub(super) unread_messages: Option<i64>,
    /// Whether the member has a moderation queue (staff, professionals,
    /// group moderators): the navigation then leads to it.
    pub(super) has_queue: bool,
    /// This page's address below the association (path and query) when it
    /// was asked for with GET: where signing in leads back to.
    pub(super) here: Option<String>,
    /// The zone the page shows times in: the member's choice, else the
    /// association's (`service::preferences::zone_of`).
    pub(super) zone: TimeZoneName,
    /// The moment the page is made: relative times ("2 hours ago") count from it.
    pub(super) now: DateTime<Utc>,
}

impl FromRequestParts<AppState> for AssociationPage {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let PageTenant(tenant) = PageTenant::from_request_parts(parts, state).await?;
        let session = PageSession::load(parts, state, &tenant).await?;
        let query = parts.uri.query();
        let accept = parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
        let explicit = i18n::explicit(Some(&tenant.association), query);
        // A signed-in member's own choice comes after an explicit ?lang=.
        let own = session
            .caller()
            .and_then(|c| c.member.language.as_deref())
            .and_then(Language::parse)
            .filter(|l| tenant.association.settings.languages.contains(l));
        let language = match (explicit, own) {
            (None, Some(own)) => own,
            _ => i18n::choose(Some(&tenant.association), query, accept),
        };
        let client = auth::client(parts, &state.trusted_proxies);
        let authority = parts.uri.authority().map(|a| a.as_str());
        let same_origin = same_origin(&parts.headers, authority, &state.kindred.public_url);
        // The navigation's three counts are independent reads: asked at
        // once, a page waits for the slowest, not for their sum (on
        // PostgreSQL three round trips become one).
        let (unread, unread_messages, has_queue) = match session.caller() {
            Some(caller) if state.kindred.community_access(&tenant.association, caller).is_ok() => {
                let (unread, messages, queue) = tokio::join!(
                    state.kindred.unread_notifications(&tenant.association, caller),
                    state.kindred.unread_messages(&tenant.association, caller),
                    state.kindred.has_queue(&tenant.association, caller),
                );
                (unread.ok(), messages.ok(), queue.unwrap_or(false))
            }
            _ => (None, None, false),
        };
        let here = (parts.method == axum::http::Method::GET).then(|| here(parts, &tenant)).flatten();
        // The terms of use changed since the member consented: every page
        // but a few leads to accepting them (`/account/terms`); signing out,
        // reading the legal pages, taking one's data and erasing the
        // account stay open.
        if let Some(caller) = session.caller() {
            if state.kindred.terms_outdated(&tenant.association, &caller.member) && !open_before_terms(parts, &tenant) {
                let next = here.as_deref().and_then(kindred_domain::return_to::ReturnTo::parse);
                let mut location = format!("{}/account/terms", tenant.base);
                let mut query: Vec<String> = Vec::new();
                if let Some(next) = next.filter(|n| n.as_str() != "/") {
                    query.push(format!("next={}", super::respond::encode(next.as_str())));
                }
                if let Some(language) = explicit {
                    query.push(format!("lang={}", language.code()));
                }
                if !query.is_empty() {
                    location.push('?');
                    location.push_str(&query.join("&"));
                }
                return Err(PageError::SeeOther(location));
            }
        }
        let zone = kindred_service::preferences::zone_of(&tenant.association, session.caller().map(|c| &c.member));
        let now = state.kindred.clock.now();
        Ok(Self {
            tenant,
            language,
            explicit,
            session,
            client,
            same_origin,
            unread,
            unread_messages,
            has_queue,
            here,
            zone,
            now,
        })
    }
}

/// Pages a member who must accept changed terms of use may still open.
const OPEN_BEFORE_TERMS: [&str; 16] = [
    "/account/terms",
    "/sign-out",
    "/terms",
    "/privacy",
    "/imprint",
    "/contact",
    "/accessibility",
    "/account/consents",
    "/account/data",
    "/account/data/export",
    "/account/access-log",
    "/account/delete",
    "/account/delete/confirm",
    "/account/deleted",
    "/unsubscribe",
    "/account/sessions",
];

fn open_before_terms(parts: &Parts, tenant: &Tenant) -> bool {
    let prefix = format!("/a/{}", tenant.association.slug.as_str());
    let Some(path) = parts.uri.path().strip_prefix(&prefix) else { return false };
    OPEN_BEFORE_TERMS.contains(&path) || (path.starts_with("/account/data/") && path.ends_with("/download"))
}

/// The request's path and query below `/a/{slug}` (host-mapped requests
/// are rewritten to that form before routing).
fn here(parts: &Parts, tenant: &Tenant) -> Option<String> {
    let prefix = format!("/a/{}", tenant.association.slug.as_str());
    let path = parts.uri.path().strip_prefix(&prefix)?;
    let path = if path.is_empty() { "/" } else { path };
    Some(match parts.uri.query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_owned(),
    })
}

impl AssociationPage {
    pub(super) fn layout(&self, path: &str, section: Section) -> Layout {
        Layout::new(Some(&self.tenant.association), &self.tenant.base, self.language, path, section)
            .with_unread(self.unread)
            .with_unread_messages(self.unread_messages)
            .with_queue(self.has_queue)
            .with_session(&self.session)
            .keeping(self.explicit)
    }
}

#[derive(Serialize)]
struct LevelView {
    number: u8,
    name: String,
    explanation: String,
}

fn levels(tenant: &Tenant, language: Language) -> Vec<LevelView> {
    Level::ALL
        .iter()
        .map(|level| LevelView {
            number: level.number(),
            name: tenant.association.settings.level_name(*level, language).to_owned(),
            explanation: i18n::text(
                i18n::Voice::of(language, &tenant.association),
                &format!("level-{}-explained", level.number()),
                &[],
            ),
        })
        .collect()
}

#[derive(Serialize)]
struct CrisisView {
    name: String,
    phone: Option<String>,
    phone_href: Option<String>,
    url: Option<String>,
}

pub async fn redirect_home(PageTenant(tenant): PageTenant) -> Redirect {
    Redirect::permanent(&format!("{}/", tenant.base))
}

pub async fn home(State(state): State<AppState>, page: AssociationPage) -> Response {
    // A member who may use the community gets their own start page.
    if let Some(caller) = page.session.caller() {
        if state.kindred.community_access(&page.tenant.association, caller).is_ok() {
            return super::home::member_home(&state, &page, caller).await;
        }
    }
    let (tenant, language) = (&page.tenant, page.language);
    let settings = &tenant.association.settings;
    let welcome = match &settings.welcome {
        Some(text) => text.get(language).to_owned(),
        None => i18n::text(i18n::Voice::of(language, &tenant.association), "home-welcome-default", &[]),
    };
    let procedures: Vec<String> = settings
        .admission
        .procedures
        .iter()
        .map(|p| {
            let key = format!("admission-{}", p.as_str().replace('_', "-"));
            i18n::text(i18n::Voice::of(language, &tenant.association), &key, &[])
        })
        .collect();
    let crisis: Vec<CrisisView> = settings
        .crisis_contacts
        .iter()
        .map(|c| CrisisView {
            name: c.name.get(language).to_owned(),
            phone: c.phone.clone(),
            phone_href: c
                .phone
                .as_ref()
                .map(|p| format!("tel:{}", p.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect::<String>())),
            url: c.url.clone(),
        })
        .collect();
    let layout = page.layout("/", Section::Home);
    let values = minijinja::context! {
        welcome => welcome,
        levels => levels(tenant, language),
        procedures => procedures,
        crisis => crisis,
        signed_in => page.session.caller().is_some(),
    };
    render(&state, "home.html", layout, values)
}

pub async fn privacy(State(state): State<AppState>, page: AssociationPage) -> Response {
    let threshold = page.tenant.association.settings.policies.count_threshold;
    let values = minijinja::context! { levels => levels(&page.tenant, page.language), threshold => threshold };
    render(&state, "privacy.html", page.layout("/privacy", Section::Privacy), values)
}

pub async fn accessibility(State(state): State<AppState>, page: AssociationPage) -> Response {
    let values = minijinja::context! {
        contact_email => page.tenant.association.settings.legal.contact_email.clone(),
    };
    render(&state, "accessibility.html", page.layout("/accessibility", Section::Accessibility), values)
}

/// A legal page's text: the association's Markdown (rendered by the same
/// safe writer as posts, nothing mentioned), else built-in paragraphs.
#[derive(Serialize)]
pub(super) struct LegalText {
    html: Option<String>,
    paragraphs: Vec<String>,
}

pub(super) fn legal_text(
    page: &AssociationPage,
    configured: Option<&LocalizedText>,
    default_keys: &[&str],
    args: &[(&str, FluentValue<'static>)],
) -> LegalText {
    match configured {
        Some(text) => {
            LegalText { html: Some(markdown::render(text.get(page.language), &|_| None).html), paragraphs: Vec::new() }
        }
        None => LegalText {
            html: None,
            paragraphs: default_keys.iter().map(|key| i18n::text(page.language, key, args)).collect(),
        },
    }
}

pub(super) fn site_name(page: &AssociationPage) -> FluentValue<'static> {
    FluentValue::from(page.tenant.association.settings.name.get(page.language).to_owned())
}

/// The terms of use in the version members consent to when registering;
/// readable by anyone, before registering.
pub async fn terms(State(state): State<AppState>, page: AssociationPage) -> Response {
    let settings = &page.tenant.association.settings;
    let text = legal_text(
        &page,
        settings.legal.terms.as_ref(),
        &["legal-terms-default-1", "legal-terms-default-2", "legal-terms-default-3", "legal-terms-default-4"],
        &[("association", site_name(&page))],
    );
    let values = minijinja::context! {
        kind => "terms",
        text => text,
        version => settings.admission.terms_version.clone(),
    };
    render(&state, "legal.html", page.layout("/terms", Section::None), values)
}

pub async fn imprint(State(state): State<AppState>, page: AssociationPage) -> Response {
    let settings = &page.tenant.association.settings;
    let text = legal_text(
        &page,
        settings.legal.imprint.as_ref(),
        &["legal-imprint-default-1", "legal-imprint-default-2"],
        &[("association", site_name(&page))],
    );
    let values = minijinja::context! { kind => "imprint", text => text };
    render(&state, "legal.html", page.layout("/imprint", Section::None), values)
}

pub async fn contact(State(state): State<AppState>, page: AssociationPage) -> Response {
    let settings = &page.tenant.association.settings;
    let text = legal_text(
        &page,
        settings.legal.contact.as_ref(),
        &["legal-contact-default-1"],
        &[("association", site_name(&page))],
    );
    let values = minijinja::context! {
        kind => "contact",
        text => text,
        contact_email => settings.legal.contact_email.clone(),
    };
    render(&state, "legal.html", page.layout("/contact", Section::None), values)
}

/// The association's colours as CSS custom properties; a stylesheet
/// because the content security policy allows no inline styles.
pub async fn brand_css(PageTenant(tenant): PageTenant) -> Response {
    let branding = &tenant.association.settings.branding;
    let css = format!(":root{{--brand:{};--accent:{};}}\n", branding.primary, branding.accent);
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], css).into_response()
}

/// The words the live script (`static/live.js`) shows or announces, as a
/// JSON object, in the language `?lang=` names (else the association's
/// first) and the association's form of address. The same for everyone:
/// a browser keeps them for a year, under an address that changes with
/// them (`layout::LiveNav`).
pub async fn live_texts(PageTenant(tenant): PageTenant, RawQuery(query): RawQuery) -> Response {
    let association = &tenant.association;
    let language = i18n::explicit(Some(association), query.as_deref())
        .or_else(|| association.settings.languages.first().copied())
        .unwrap_or(Language::De);
    let texts = super::layout::live_texts(i18n::Voice::of(language, association));
    let object: serde_json::Map<String, serde_json::Value> =
        texts.into_iter().map(|(name, text)| (name.to_owned(), serde_json::Value::String(text))).collect();
    (
        [(header::CACHE_CONTROL, "public, max-age=31536000, immutable")],
        axum::Extension(crate::middleware::Shareable),
        axum::Json(serde_json::Value::Object(object)),
    )
        .into_response()
}

pub async fn logo(State(state): State<AppState>, PageTenant(tenant): PageTenant) -> Response {
    match state.kindred.store.association_logo(&tenant.association.id).await {
        Ok(Some((bytes, media_type))) => (
            [
                (header::CONTENT_TYPE, media_type),
                // An SVG opened directly must not run anything.
                (header::CONTENT_SECURITY_POLICY, "default-src 'none'; style-src 'unsafe-inline'; sandbox".to_owned()),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "logo look-up failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
