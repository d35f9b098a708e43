//! What every page shares: the layout's context, and rendering.

use super::session::PageSession;
use crate::i18n;
use crate::state::AppState;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use kindred_domain::settings::FormOfAddress;
use kindred_domain::Language;
use kindred_service::notification_list::BADGE_LIMIT;
use kindred_service::Association;
use minijinja::Value;
use serde::Serialize;
use std::sync::LazyLock;

#[derive(Serialize)]
struct LanguageLink {
    code: &'static str,
    name: &'static str,
    href: String,
    current: bool,
}

#[derive(Serialize)]
struct NavItem {
    href: String,
    label: String,
    current: bool,
    /// The entry has news (unread messages or notifications): its label
    /// then says how many, and the stylesheet marks it.
    news: bool,
}

/// The layout's part of every page's context.
#[derive(Serialize)]
pub struct Layout {
    lang: &'static str,
    /// "sie" or "du": the association's form of address, which the
    /// templates' `t()` follows in German (`render::translate`).
    form_of_address: &'static str,
    base: String,
    site_name: String,
    has_logo: bool,
    has_brand: bool,
    /// The content-hashed names of the stylesheet and scripts (below `/static/`).
    assets: crate::assets::HashedNames,
    languages: Vec<LanguageLink>,
    /// The primary destinations, always in view (a phone's first screen).
    nav: Vec<NavItem>,
    /// Everything else, behind the "More" disclosure menu (`<details>`).
    more: Vec<NavItem>,
    /// Whether an entry of `more` has news, so the closed menu says so.
    more_news: bool,
    /// `?lang=xx` when the visitor chose a language explicitly, so that
    /// the choice survives navigation without a cookie; else empty.
    keep: String,
    /// The signed-in member, for the header's sign-out button.
    account: Option<AccountNav>,
    /// For the live script (`static/live.js`): present for members who may
    /// use the community.
    live: Option<LiveNav>,
    /// Unread notifications of the signed-in member, for the navigation.
    #[serde(skip)]
    unread: Option<i64>,
    /// Unread messages of the signed-in member, for the navigation.
    #[serde(skip)]
    unread_messages: Option<i64>,
    #[serde(skip)]
    has_queue: bool,
    /// The page's language with the association's form of address.
    #[serde(skip)]
    voice: i18n::Voice,
    #[serde(skip)]
    section: Section,
}

/// The header's view of a signed-in member.
#[derive(Serialize)]
struct AccountNav {
    pseudonym: String,
    /// The CSRF token of the session, for the sign-out form.
    csrf: String,
}

/// What the live script needs: the socket's path, the API root, and where
/// it fetches the words it shows or announces (`live_texts`, in the page's
/// language; the address names them by a fingerprint, so a browser keeps
/// them until they change). They were on every page as a dozen
/// `data-text-*` attributes, 220 of the 12,000 bytes a topic page may
/// weigh compressed (issue 21).
#[derive(Serialize)]
struct LiveNav {
    path: String,
    api: String,
    texts: String,
    /// The pages' root, for links the script makes (a call to answer).
    base: String,
}

/// The words the live script shows or announces, in `voice`: served by
/// `GET /a/{slug}/live-texts` (`pages::association::live_texts`).
pub(super) fn live_texts(l: i18n::Voice) -> Vec<(&'static str, String)> {
    vec![
        ("you", i18n::text(l, "messages-you", &[])),
        ("someone", i18n::text(l, "messages-someone", &[])),
        ("edited", i18n::text(l, "messages-edited", &[])),
        ("deleted", i18n::text(l, "messages-deleted", &[])),
        ("new-message", i18n::text(l, "live-new-message", &[])),
        ("new-message-elsewhere", i18n::text(l, "live-new-message-elsewhere", &[])),
        ("new-notification", i18n::text(l, "live-new-notification", &[])),
        ("show-new", i18n::text(l, "live-show-new", &[])),
        ("call-voice", i18n::text(l, "live-call-voice", &[])),
        ("call-video", i18n::text(l, "live-call-video", &[])),
        ("call-answer", i18n::text(l, "live-call-answer", &[])),
        ("messages", i18n::text(l, "nav-messages", &[])),
        ("messages-count", count_pattern(l, "nav-messages-unread")),
        ("notifications", i18n::text(l, "nav-notifications", &[])),
        ("notifications-count", count_pattern(l, "nav-notifications-unread")),
        // The socket counts every unread notification (as the API does);
        // the badge shows no more than the page would.
        ("notifications-limit", BADGE_LIMIT.to_string()),
        ("notifications-many", unread_notifications_label(l, i64::from(BADGE_LIMIT))),
    ]
}

/// The fingerprint of the live words in `voice`. The words are compiled
/// into the binary, so each voice's is worked out once, not on every page
/// (a dozen lookups each).
fn live_texts_fingerprint(voice: i18n::Voice) -> u64 {
    static KNOWN: LazyLock<Vec<(i18n::Voice, u64)>> = LazyLock::new(|| {
        Language::ALL
            .into_iter()
            .flat_map(|language| FormOfAddress::ALL.map(|address| i18n::Voice { language, address }))
            .map(|voice| (voice, fingerprint(&live_texts(voice))))
            .collect()
    });
    match KNOWN.iter().find(|(known, _)| *known == voice) {
        Some((_, print)) => *print,
        None => fingerprint(&live_texts(voice)),
    }
}

/// A fingerprint of the words (FNV-1a, 64 bits): not a secret, only what
/// tells a browser's cache that they changed (an upgrade, another form of
/// address).
fn fingerprint(texts: &[(&'static str, String)]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (name, text) in texts {
        for byte in name.bytes().chain([0]).chain(text.bytes()).chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

/// The navigation's Notifications entry with `count` unread: counted no
/// further than the badge shows ([`BADGE_LIMIT`], `service::notification_list`),
/// so from there on "99+". The live script shows the same words
/// (`notifications-many` in [`live_texts`]).
fn unread_notifications_label(voice: i18n::Voice, count: i64) -> String {
    let limit = i64::from(BADGE_LIMIT);
    let shown = if count >= limit {
        fluent_templates::fluent_bundle::FluentValue::from(format!("{}+", limit - 1))
    } else {
        fluent_templates::fluent_bundle::FluentValue::from(count)
    };
    i18n::text(voice, "nav-notifications-unread", &[("count", shown)])
}

/// A navigation label with a count, as a pattern with `{n}` for the script.
fn count_pattern(voice: i18n::Voice, key: &str) -> String {
    const MARK: i64 = 987_654;
    let text = i18n::text(voice, key, &[("count", fluent_templates::fluent_bundle::FluentValue::from(MARK))]);
    text.replace(&MARK.to_string(), "{n}")
}

/// Which entry of the main navigation a page is.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub enum Section {
    Home,
    Privacy,
    Accessibility,
    SignIn,
    Register,
    Account,
    Profile,
    Members,
    Contacts,
    Groups,
    Events,
    Forum,
    Search,
    Knowledge,
    Notifications,
    Messages,
    Staff,
    Moderation,
    #[default]
    None,
}

impl Layout {
    /// `path` is the page's own path below `base`, e.g. `/privacy`.
    pub fn new(
        association: Option<&Association>,
        base: &str,
        language: Language,
        path: &str,
        section: Section,
    ) -> Self {
        let (site_name, offered, has_logo) = match association {
            Some(a) => (a.settings.name.get(language).to_owned(), a.settings.languages.clone(), a.has_logo),
            None => ("Kindred".to_owned(), Language::ALL.to_vec(), false),
        };
        let voice = association.map_or(i18n::Voice::from(language), |a| i18n::Voice::of(language, a));
        let languages = offered
            .iter()
            .map(|l| LanguageLink {
                code: l.code(),
                name: l.native_name(),
                href: format!("{base}{path}?lang={}", l.code()),
                current: *l == language,
            })
            .collect();
        let nav = match association {
            Some(_) => [
                (Section::Home, "/", "nav-home"),
                (Section::Privacy, "/privacy", "nav-privacy"),
                (Section::Accessibility, "/accessibility", "nav-accessibility"),
            ]
            .into_iter()
            .map(|(s, p, key)| NavItem {
                href: format!("{base}{p}"),
                label: i18n::text(voice, key, &[]),
                current: s == section,
                news: false,
            })
            .collect(),
            None => Vec::new(),
        };
        Self {
            lang: language.code(),
            form_of_address: voice.address.code(),
            base: base.to_owned(),
            site_name,
            has_logo,
            has_brand: association.is_some(),
            assets: crate::assets::hashed_names(),
            languages,
            nav,
            more: Vec::new(),
            more_news: false,
            keep: String::new(),
            account: None,
            live: None,
            unread: None,
            unread_messages: None,
            has_queue: false,
            voice,
            section,
        }
    }

    /// Adds the account entries to the navigation: sign in and register
    /// when signed out; for a signed-in member a few primary destinations
    /// (the community's, for a verified member) and the rest (profile,
    /// contacts, search, notifications, account, staff work, the
    /// association's pages) under "More". Call before [`Layout::keeping`].
    pub fn with_session(mut self, session: &PageSession) -> Self {
        if !self.has_brand {
            return self;
        }
        let Some(caller) = session.caller() else {
            for (section, path, key) in
                [(Section::SignIn, "/sign-in", "nav-sign-in"), (Section::Register, "/register", "nav-register")]
            {
                let item = self.item(section, path, key);
                self.nav.push(item);
            }
            return self;
        };
        self.account = Some(AccountNav { pseudonym: caller.member.pseudonym.clone(), csrf: session.csrf() });
        // Home stays first; the association's own pages move under "More".
        let association_pages: Vec<NavItem> = self.nav.drain(1..).collect();
        let mut primary = Vec::new();
        let mut more = Vec::new();
        // The community's pages, for members the association has verified.
        if caller.member.status == kindred_domain::AccountStatus::Active {
            self.live = Some(LiveNav {
                base: self.base.clone(),
                path: format!("{}/api/v1/live", self.base),
                api: format!("{}/api/v1", self.base),
                texts: format!(
                    "{}/live-texts?lang={}&v={:016x}",
                    self.base,
                    self.voice.language.code(),
                    live_texts_fingerprint(self.voice)
                ),
            });
            primary.push((Section::Forum, "/forum", "nav-forum"));
            primary.push((Section::Groups, "/groups", "nav-groups"));
            primary.push((Section::Events, "/events", "nav-events"));
            primary.push((Section::Messages, "/messages", "nav-messages"));
            primary.push((Section::Members, "/members", "nav-members"));
            more.push((Section::Notifications, "/notifications", "nav-notifications"));
            more.push((Section::Profile, "/profile", "nav-profile"));
            more.push((Section::Contacts, "/contacts", "nav-contacts"));
            more.push((Section::Search, "/search", "nav-search"));
            more.push((Section::Knowledge, "/knowledge", "nav-knowledge"));
            more.push((Section::Account, "/account", "nav-account"));
        } else {
            // Still to be verified: the account page is where the next step is.
            primary.push((Section::Account, "/account", "nav-account"));
        }
        if caller.member.is_staff() {
            more.push((Section::Staff, "/staff", "nav-staff"));
        }
        let professional = caller.member.role == kindred_domain::AccountRole::Professional;
        if caller.member.is_staff() || professional || self.has_queue {
            more.push((Section::Moderation, "/moderation", "nav-moderation"));
        }
        for (section, path, key) in primary {
            let item = self.item(section, path, key);
            self.nav.push(item);
        }
        for (section, path, key) in more {
            let item = self.item(section, path, key);
            self.more.push(item);
        }
        self.more.extend(association_pages);
        self.more_news = self.more.iter().any(|i| i.news);
        self
    }

    /// One entry of the navigation; Messages and Notifications say how many
    /// are unread.
    fn item(&self, section: Section, path: &str, key: &str) -> NavItem {
        let count = match section {
            Section::Notifications => self.unread.filter(|c| *c > 0),
            Section::Messages => self.unread_messages.filter(|c| *c > 0),
            _ => None,
        };
        let label = match (count, section) {
            (Some(count), Section::Notifications) => unread_notifications_label(self.voice, count),
            (Some(count), _) => i18n::text(
                self.voice,
                "nav-messages-unread",
                &[("count", fluent_templates::fluent_bundle::FluentValue::from(count))],
            ),
            (None, _) => i18n::text(self.voice, key, &[]),
        };
        NavItem { href: format!("{}{path}", self.base), label, current: section == self.section, news: count.is_some() }
    }

    /// The member's unread notifications, shown at their navigation entry.
    /// Call before [`Layout::with_session`].
    pub fn with_unread(mut self, unread: Option<i64>) -> Self {
        self.unread = unread;
        self
    }

    /// The member's unread messages, shown at the navigation's Messages
    /// entry. Call before [`Layout::with_session`].
    pub fn with_unread_messages(mut self, unread: Option<i64>) -> Self {
        self.unread_messages = unread;
        self
    }

    /// Whether the member has a moderation queue (a group moderator has one
    /// without a staff role). Call before [`Layout::with_session`].
    pub fn with_queue(mut self, has_queue: bool) -> Self {
        self.has_queue = has_queue;
        self
    }

    /// Keeps an explicit `?lang=` choice in the site's own links.
    pub fn keeping(mut self, explicit: Option<Language>) -> Self {
        if let Some(language) = explicit {
            self.keep = format!("?lang={}", language.code());
            for item in self.nav.iter_mut().chain(self.more.iter_mut()) {
                item.href.push_str(&self.keep);
            }
        }
        self
    }
}

/// The pages that show a secret: the authenticator app's secret and QR
/// code, recovery codes, invitation codes, the letters' codes, the calendar
/// feed URL, and the tokens of a password-reset or e-mail-confirmation link
/// (kept in a hidden field). They are never compressed (BREACH: see
/// ARCHITECTURE.md, "Compression and BREACH"); the API's answers with such
/// secrets are marked where they are made ([`crate::compression::Secret`]).
pub const SECRET_PAGES: [&str; 7] = [
    "account/two_factor.html",
    "account/recovery_codes.html",
    "account/reset.html",
    "account/confirm_email.html",
    "staff/invitations.html",
    "staff/letters.html",
    "events/feed.html",
];

/// Renders `template` with the layout and the page's own values under `page`.
pub fn render(state: &AppState, template: &str, layout: Layout, page: Value) -> Response {
    let context = minijinja::context! { page => page, ..Value::from_serialize(&layout) };
    match state.templates.render(template, context) {
        Ok(html) if SECRET_PAGES.contains(&template) => {
            crate::compression::Secret(([(header::CONTENT_LANGUAGE, layout.lang)], Html(html))).into_response()
        }
        Ok(html) => ([(header::CONTENT_LANGUAGE, layout.lang)], Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, template, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], FALLBACK_500)
                .into_response()
        }
    }
}

/// [`render`] with another status than 200 (a failed render stays a 500).
pub fn render_status(state: &AppState, status: StatusCode, template: &str, layout: Layout, page: Value) -> Response {
    let mut response = render(state, template, layout, page);
    if response.status().is_success() {
        *response.status_mut() = status;
    }
    response
}

const FALLBACK_500: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Error</title></head>\
<body><main><h1>Something went wrong</h1><p>Please try again later.</p></main></body></html>";

/// The error page for a status, in the language and colours of the association when known.
pub fn error_page(
    state: &AppState,
    association: Option<&Association>,
    base: &str,
    language: Language,
    status: StatusCode,
) -> Response {
    let kind = match status.as_u16() {
        403 => "forbidden",
        404 => "not-found",
        405 => "method-not-allowed",
        408 => "timeout",
        413 => "too-large",
        429 => "rate-limited",
        400..=499 => "bad-request",
        _ => "server-error",
    };
    let layout = Layout::new(association, base, language, "/", Section::None);
    let page = minijinja::context! { kind => kind, status => status.as_u16() };
    render(state, "error.html", layout, page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kept_fingerprint_of_the_live_words_is_theirs_in_every_voice() {
        let mut prints = Vec::new();
        for language in Language::ALL {
            for address in FormOfAddress::ALL {
                let voice = i18n::Voice { language, address };
                assert_eq!(live_texts_fingerprint(voice), fingerprint(&live_texts(voice)), "{voice:?}");
                prints.push(live_texts_fingerprint(voice));
            }
        }
        // Another language, other words, another address for the browser.
        prints.dedup();
        assert!(prints.len() >= Language::ALL.len(), "{prints:?}");
    }
}
