//! Translations (Fluent, embedded) and choosing the language of a request:
//! an explicit `?lang=` choice, else a signed-in member's own language (the
//! one they registered in; applied by `pages::association::AssociationPage`),
//! else the browser's `Accept-Language`, else the association's default.
//!
//! German has two forms of address; the association chooses one
//! (`form_of_address`). The "Sie" texts are `locales/de`; the "du" texts are
//! `locales/de-duzen`, which holds only the messages that address the member
//! and is layered over `de` (Fluent's fallback chain: a message missing there
//! is taken from `de`). A [`Voice`] is a language with the form of address.

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{static_loader, LanguageIdentifier, Loader};
use kindred_domain::language::negotiate;
use kindred_domain::settings::FormOfAddress;
use kindred_domain::Language;
use kindred_service::Association;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;
use unic_langid::langid;

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static DE: LanguageIdentifier = langid!("de");
/// German with the variant `duzen` ("to say du"): a variant needs the heap, so not a plain static.
static DE_DU: LazyLock<LanguageIdentifier> = LazyLock::new(|| langid!("de-duzen"));
static EN: LanguageIdentifier = langid!("en");
static NL: LanguageIdentifier = langid!("nl");

/// A language and the form of address its texts use (which matters only
/// for German). A bare [`Language`] is its "Sie" voice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Voice {
    pub language: Language,
    pub address: FormOfAddress,
}

impl Voice {
    /// `language` as the association `association` speaks it.
    pub fn of(language: Language, association: &Association) -> Voice {
        Voice { language, address: association.settings.form_of_address }
    }
}

impl From<Language> for Voice {
    fn from(language: Language) -> Voice {
        Voice { language, address: FormOfAddress::Sie }
    }
}

fn identifier(voice: Voice) -> &'static LanguageIdentifier {
    match (voice.language, voice.address) {
        (Language::De, FormOfAddress::Sie) => &DE,
        (Language::De, FormOfAddress::Du) => &DE_DU,
        (Language::En, _) => &EN,
        (Language::Nl, _) => &NL,
    }
}

/// The text of `key` in `voice` (a [`Voice`] or a bare [`Language`]), with Fluent arguments.
pub fn text(voice: impl Into<Voice>, key: &str, args: &[(&str, FluentValue<'static>)]) -> String {
    let id = identifier(voice.into());
    if args.is_empty() {
        return LOCALES.lookup(id, key);
    }
    let args: HashMap<Cow<'static, str>, FluentValue<'static>> =
        args.iter().map(|(k, v)| (Cow::Owned((*k).to_owned()), v.clone())).collect();
    LOCALES.lookup_with_args(id, key, &args)
}

/// The text of `key` in `voice`, or `None` if there is no such message.
pub fn try_text(voice: impl Into<Voice>, key: &str) -> Option<String> {
    LOCALES.try_lookup(identifier(voice.into()), key)
}

fn offered(association: Option<&Association>) -> &[Language] {
    match association {
        Some(a) => &a.settings.languages,
        None => &Language::ALL,
    }
}

/// A language chosen explicitly with `?lang=`, if it is offered.
pub fn explicit(association: Option<&Association>, query: Option<&str>) -> Option<Language> {
    let offered = offered(association);
    query.and_then(|q| {
        q.split('&')
            .filter_map(|pair| pair.strip_prefix("lang="))
            .find_map(Language::parse)
            .filter(|l| offered.contains(l))
    })
}

/// The language for a request.
pub fn choose(association: Option<&Association>, query: Option<&str>, accept_language: Option<&str>) -> Language {
    let offered = offered(association);
    explicit(association, query).or_else(|| accept_language.and_then(|header| negotiate(header, offered))).unwrap_or(
        match association {
            Some(a) => a.settings.default_language,
            None => Language::En,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(ftl: &str) -> BTreeSet<String> {
        ftl.lines()
            .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && l.contains(" ="))
            .filter_map(|l| l.split(" =").next())
            .map(str::to_owned)
            .collect()
    }

    /// Every .ftl file, by language; a new file must be added to each language here.
    const FILES: [[&str; 3]; 13] = [
        [
            include_str!("../locales/en/knowledge.ftl"),
            include_str!("../locales/de/knowledge.ftl"),
            include_str!("../locales/nl/knowledge.ftl"),
        ],
        [
            include_str!("../locales/en/administration.ftl"),
            include_str!("../locales/de/administration.ftl"),
            include_str!("../locales/nl/administration.ftl"),
        ],
        [
            include_str!("../locales/en/groups.ftl"),
            include_str!("../locales/de/groups.ftl"),
            include_str!("../locales/nl/groups.ftl"),
        ],
        [
            include_str!("../locales/en/forum.ftl"),
            include_str!("../locales/de/forum.ftl"),
            include_str!("../locales/nl/forum.ftl"),
        ],
        [
            include_str!("../locales/en/main.ftl"),
            include_str!("../locales/de/main.ftl"),
            include_str!("../locales/nl/main.ftl"),
        ],
        [
            include_str!("../locales/en/accounts.ftl"),
            include_str!("../locales/de/accounts.ftl"),
            include_str!("../locales/nl/accounts.ftl"),
        ],
        [
            include_str!("../locales/en/passkeys.ftl"),
            include_str!("../locales/de/passkeys.ftl"),
            include_str!("../locales/nl/passkeys.ftl"),
        ],
        [
            include_str!("../locales/en/community.ftl"),
            include_str!("../locales/de/community.ftl"),
            include_str!("../locales/nl/community.ftl"),
        ],
        [
            include_str!("../locales/en/search.ftl"),
            include_str!("../locales/de/search.ftl"),
            include_str!("../locales/nl/search.ftl"),
        ],
        [
            include_str!("../locales/en/notifications.ftl"),
            include_str!("../locales/de/notifications.ftl"),
            include_str!("../locales/nl/notifications.ftl"),
        ],
        [
            include_str!("../locales/en/moderation.ftl"),
            include_str!("../locales/de/moderation.ftl"),
            include_str!("../locales/nl/moderation.ftl"),
        ],
        [
            include_str!("../locales/en/events.ftl"),
            include_str!("../locales/de/events.ftl"),
            include_str!("../locales/nl/events.ftl"),
        ],
        [
            include_str!("../locales/en/messages.ftl"),
            include_str!("../locales/de/messages.ftl"),
            include_str!("../locales/nl/messages.ftl"),
        ],
    ];

    #[test]
    fn every_language_has_every_message() {
        let mut all = BTreeSet::new();
        for [en, de, nl] in FILES {
            let (en, de, nl) = (keys(en), keys(de), keys(nl));
            assert!(!en.is_empty());
            assert_eq!(en.symmetric_difference(&de).collect::<Vec<_>>(), Vec::<&String>::new(), "en vs de");
            assert_eq!(en.symmetric_difference(&nl).collect::<Vec<_>>(), Vec::<&String>::new(), "en vs nl");
            let before = all.len();
            all.extend(en.iter().cloned());
            assert_eq!(all.len(), before + en.len(), "a message is defined in two files");
        }
    }

    #[test]
    fn every_locale_file_is_checked() {
        for language in ["en", "de", "nl"] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(language);
            let count = std::fs::read_dir(&dir)
                .map(|entries| {
                    entries.filter_map(Result::ok).filter(|e| e.path().extension().is_some_and(|x| x == "ftl")).count()
                })
                .unwrap_or(0);
            assert_eq!(count, FILES.len(), "{language}: every .ftl file must be listed in FILES");
        }
    }

    /// The "du" texts (`locales/de-duzen`): each file overlays the German
    /// file of its name, so every message in it must exist there.
    const DU_FILES: [(&str, &str); DU_COUNT] = [
        (include_str!("../locales/de-duzen/main.ftl"), include_str!("../locales/de/main.ftl")),
        (include_str!("../locales/de-duzen/forum.ftl"), include_str!("../locales/de/forum.ftl")),
        (include_str!("../locales/de-duzen/community.ftl"), include_str!("../locales/de/community.ftl")),
        (include_str!("../locales/de-duzen/accounts.ftl"), include_str!("../locales/de/accounts.ftl")),
        (include_str!("../locales/de-duzen/notifications.ftl"), include_str!("../locales/de/notifications.ftl")),
        (include_str!("../locales/de-duzen/groups.ftl"), include_str!("../locales/de/groups.ftl")),
        (include_str!("../locales/de-duzen/messages.ftl"), include_str!("../locales/de/messages.ftl")),
        (include_str!("../locales/de-duzen/events.ftl"), include_str!("../locales/de/events.ftl")),
        (include_str!("../locales/de-duzen/search.ftl"), include_str!("../locales/de/search.ftl")),
    ];
    const DU_COUNT: usize = 9;

    #[test]
    fn the_du_texts_overlay_existing_messages() {
        for (du, de) in DU_FILES {
            let (du, de) = (keys(du), keys(de));
            assert!(!du.is_empty());
            assert_eq!(du.difference(&de).collect::<Vec<_>>(), Vec::<&String>::new(), "du message without a Sie one");
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join("de-duzen");
        let count = std::fs::read_dir(&dir)
            .map(|entries| {
                entries.filter_map(Result::ok).filter(|e| e.path().extension().is_some_and(|x| x == "ftl")).count()
            })
            .unwrap_or(0);
        assert_eq!(count, DU_COUNT, "every de-duzen file must be listed in DU_FILES");
    }

    /// No "Sie", "Ihr…" or "Ihnen" is left in a du text, nor a "du" form in a Sie text.
    #[test]
    fn the_du_texts_say_du() {
        let sie = ["Sie", "Ihr", "Ihre", "Ihren", "Ihrem", "Ihrer", "Ihres", "Ihnen"];
        for (du, _) in DU_FILES {
            for line in du.lines().filter(|l| !l.starts_with('#')) {
                let words: Vec<&str> = line.split(|c: char| !c.is_alphanumeric()).collect();
                assert!(!words.iter().any(|w| sie.contains(w)), "Sie form in a du text: {line}");
            }
        }
    }

    #[test]
    fn the_association_chooses_du_or_sie() {
        let du = Voice { language: Language::De, address: FormOfAddress::Du };
        let sie = Voice { language: Language::De, address: FormOfAddress::Sie };
        assert_eq!(text(sie, "nav-privacy", &[]), "Ihre Privatsphäre");
        assert_eq!(text(du, "nav-privacy", &[]), "Deine Privatsphäre");
        // Messages without a du form come from the German texts, not English.
        assert_eq!(text(du, "skip-to-content", &[]), "Zum Inhalt springen");
        // Other languages have one form.
        let en_du = Voice { language: Language::En, address: FormOfAddress::Du };
        assert_eq!(text(en_du, "skip-to-content", &[]), "Skip to content");
    }

    #[test]
    fn looks_up_in_each_language() {
        assert_eq!(text(Language::De, "skip-to-content", &[]), "Zum Inhalt springen");
        assert_eq!(text(Language::Nl, "skip-to-content", &[]), "Naar de inhoud");
        assert_eq!(text(Language::En, "skip-to-content", &[]), "Skip to content");
    }
}
