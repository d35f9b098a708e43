//! The words of notification mails (service::mail_delivery), in the
//! member's language: how many new things of which kind, a link, and how
//! to stop them. Nothing here ever takes a text from a post, a message, a
//! profile, a topic or a group: the only inputs are counts per kind, the
//! association's name and links.

use kindred_domain::notification_kinds::NotificationKind;
use kindred_domain::settings::FormOfAddress;
use kindred_domain::Language;

/// A mail's subject, plain text and HTML part.
pub(crate) struct Content {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The kind in a few neutral words, in the association's form of address.
pub(crate) fn kind_label(kind: &str, language: Language, address: FormOfAddress) -> &'static str {
    match (language, address) {
        (Language::De, FormOfAddress::Du) => du_label(kind).unwrap_or_else(|| sie_label(kind, language)),
        _ => sie_label(kind, language),
    }
}

/// The German "du" form of the labels that address the member.
fn du_label(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "reply" => "Antworten in Themen, denen du folgst",
        "mention" => "Erwähnungen von dir",
        "moderation" => "Moderation deiner Beiträge",
        "event_promoted" => "Ein Platz wurde für dich frei",
        "message_request" => "Anfragen, dir zu schreiben",
        "missed_call" => "Anrufe, die du verpasst hast",
        "contact_answer" => "Antworten auf deine Kontaktanfragen",
        "disclosure_request" => "Bitten, mehr von deinem Profil zu sehen",
        "disclosure_answer" => "Antworten auf deine Bitten, mehr zu sehen",
        "group_join_request" => "Beitrittsanfragen für eine Gruppe, die du moderierst",
        "article_reviewed" => "Entscheidungen über deine Artikel",
        _ => return None,
    })
}

/// The kind in a few neutral words ("Sie" in German).
fn sie_label(kind: &str, language: Language) -> &'static str {
    use Language::{De, En, Nl};
    match (kind, language) {
        ("reply", En) => "Replies in topics you follow",
        ("reply", De) => "Antworten in Themen, denen Sie folgen",
        ("reply", Nl) => "Reacties in onderwerpen die u volgt",
        ("mention", En) => "Mentions of you",
        ("mention", De) => "Erwähnungen von Ihnen",
        ("mention", Nl) => "Vermeldingen van u",
        ("moderation", En) => "Moderation of your posts",
        ("moderation", De) => "Moderation Ihrer Beiträge",
        ("moderation", Nl) => "Moderatie van uw berichten",
        ("warning", En) => "Warnings from the moderators",
        ("warning", De) => "Hinweise der Moderation",
        ("warning", Nl) => "Waarschuwingen van de moderatoren",
        ("crisis_report", En) => "Reports that someone may be in crisis (please look at once)",
        ("crisis_report", De) => "Meldungen, dass jemand in einer Krise sein könnte (bitte sofort ansehen)",
        ("crisis_report", Nl) => "Meldingen dat iemand in crisis kan zijn (kijk er meteen naar)",
        ("event_changed", En) => "Events with a new time or place",
        ("event_changed", De) => "Veranstaltungen mit neuer Zeit oder neuem Ort",
        ("event_changed", Nl) => "Evenementen met een nieuwe tijd of plaats",
        ("event_cancelled", En) => "Cancelled events",
        ("event_cancelled", De) => "Abgesagte Veranstaltungen",
        ("event_cancelled", Nl) => "Afgelaste evenementen",
        ("event_promoted", En) => "A place came free for you at an event",
        ("event_promoted", De) => "Ein Platz wurde für Sie frei",
        ("event_promoted", Nl) => "Er kwam een plaats voor u vrij",
        ("event_reminder", En) => "Events starting within a day",
        ("event_reminder", De) => "Veranstaltungen, die in weniger als einem Tag beginnen",
        ("event_reminder", Nl) => "Evenementen die binnen een dag beginnen",
        ("message_request", En) => "Requests to write to you",
        ("message_request", De) => "Anfragen, Ihnen zu schreiben",
        ("message_request", Nl) => "Verzoeken om u te schrijven",
        ("message", En) => "Conversations with new messages",
        ("message", De) => "Gespräche mit neuen Nachrichten",
        ("message", Nl) => "Gesprekken met nieuwe berichten",
        ("missed_call", En) => "Calls you missed",
        ("missed_call", De) => "Anrufe, die Sie verpasst haben",
        ("missed_call", Nl) => "Oproepen die u hebt gemist",
        ("contact_request", En) => "Requests to become a contact",
        ("contact_request", De) => "Kontaktanfragen",
        ("contact_request", Nl) => "Contactverzoeken",
        ("contact_answer", En) => "Answers to your contact requests",
        ("contact_answer", De) => "Antworten auf Ihre Kontaktanfragen",
        ("contact_answer", Nl) => "Antwoorden op uw contactverzoeken",
        ("disclosure_request", En) => "Requests to see more of your profile",
        ("disclosure_request", De) => "Bitten, mehr von Ihrem Profil zu sehen",
        ("disclosure_request", Nl) => "Verzoeken om meer van uw profiel te zien",
        ("disclosure_answer", En) => "Answers to your requests to see more",
        ("disclosure_answer", De) => "Antworten auf Ihre Bitten, mehr zu sehen",
        ("disclosure_answer", Nl) => "Antwoorden op uw verzoeken om meer te zien",
        ("group_invitation", En) => "Invitations to a group",
        ("group_invitation", De) => "Einladungen in eine Gruppe",
        ("group_invitation", Nl) => "Uitnodigingen voor een groep",
        ("group_join_request", En) => "Requests to join a group you moderate",
        ("group_join_request", De) => "Beitrittsanfragen für eine Gruppe, die Sie moderieren",
        ("group_join_request", Nl) => "Verzoeken om lid te worden van een groep die u modereert",
        ("article_submitted", En) => "Articles waiting for review",
        ("article_submitted", De) => "Artikel, die auf eine Prüfung warten",
        ("article_submitted", Nl) => "Artikelen die op beoordeling wachten",
        ("article_reviewed", En) => "Decisions on your articles",
        ("article_reviewed", De) => "Entscheidungen über Ihre Artikel",
        ("article_reviewed", Nl) => "Beslissingen over uw artikelen",
        (_, En) => "Other news",
        (_, De) => "Weiteres Neues",
        (_, Nl) => "Ander nieuws",
    }
}

struct Words {
    subject: &'static str,
    urgent: &'static str,
    hello: &'static str,
    intro: &'static str,
    see: &'static str,
    settings: &'static str,
    stop: &'static str,
}

fn words(language: Language, address: FormOfAddress) -> Words {
    if (language, address) == (Language::De, FormOfAddress::Du) {
        return Words {
            subject: "Neu bei",
            urgent: "Dringend: bitte sieh dir eine Meldung an bei",
            hello: "Hallo,",
            intro: "es gibt Neues für dich bei",
            see: "Nach dem Anmelden siehst du es hier:",
            settings: "Welche Hinweise dich per E-Mail erreichen und wie oft, wählst du in deinem Konto.",
            stop: "Keine E-Mails mehr zu:",
        };
    }
    match language {
        Language::En => Words {
            subject: "New at",
            urgent: "Urgent: please look at a report at",
            hello: "Hello,",
            intro: "there is something new for you at",
            see: "See it after signing in:",
            settings: "Which notifications reach you by e-mail, and how often, you choose in your account.",
            stop: "No more e-mails about:",
        },
        Language::De => Words {
            subject: "Neu bei",
            urgent: "Dringend: bitte sehen Sie eine Meldung an bei",
            hello: "Guten Tag,",
            intro: "es gibt Neues für Sie bei",
            see: "Nach dem Anmelden sehen Sie es hier:",
            settings: "Welche Hinweise Sie per E-Mail erreichen und wie oft, wählen Sie in Ihrem Konto.",
            stop: "Keine E-Mails mehr zu:",
        },
        Language::Nl => Words {
            subject: "Nieuw bij",
            urgent: "Dringend: bekijk een melding bij",
            hello: "Goedendag,",
            intro: "er is iets nieuws voor u bij",
            see: "Na het inloggen ziet u het hier:",
            settings: "Welke meldingen u per e-mail krijgt en hoe vaak, kiest u in uw account.",
            stop: "Geen e-mails meer over:",
        },
    }
}

/// The neutral mail: "New at {site}", one line per kind with its count,
/// the link, and a link per kind to stop its mails.
pub(crate) fn neutral(
    language: Language,
    address: FormOfAddress,
    site: &str,
    counts: &[(&'static NotificationKind, usize)],
    link: &str,
    unsubscribe: &[(&'static str, String)],
) -> Content {
    let w = words(language, address);
    let urgent = counts.iter().any(|(k, _)| k.fixed);
    let subject = if urgent { format!("{} {site}", w.urgent) } else { format!("{} {site}", w.subject) };
    let mut text = format!("{}\n\n{} {site}:\n\n", w.hello, w.intro);
    for (kind, n) in counts {
        text.push_str(&format!("- {}: {n}\n", kind_label(kind.name, language, address)));
    }
    text.push_str(&format!("\n{}\n{link}\n\n{}\n", w.see, w.settings));
    for (kind, url) in unsubscribe {
        text.push_str(&format!("{} {}\n{url}\n", w.stop, kind_label(kind, language, address)));
    }

    let site_html = escape(site);
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n</head>\n<body>\n\
         <p>{}</p>\n<p>{} {site_html}:</p>\n<ul>\n",
        language.code(),
        escape(&subject),
        w.hello,
        w.intro
    );
    for (kind, n) in counts {
        html.push_str(&format!("<li>{}: {n}</li>\n", escape(kind_label(kind.name, language, address))));
    }
    html.push_str(&format!(
        "</ul>\n<p><a href=\"{}\">{}</a></p>\n<p>{}</p>\n",
        escape(link),
        escape(w.see),
        w.settings
    ));
    for (kind, url) in unsubscribe {
        html.push_str(&format!(
            "<p><a href=\"{}\">{} {}</a></p>\n",
            escape(url),
            escape(w.stop),
            escape(kind_label(kind, language, address))
        ));
    }
    html.push_str("</body>\n</html>\n");
    Content { subject, text, html }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use kindred_domain::notification_kinds::KINDS;

    fn mail(language: Language, address: FormOfAddress) -> Content {
        let counts: Vec<(&'static NotificationKind, usize)> = KINDS.iter().map(|k| (k, 2)).collect();
        let unsubscribe: Vec<(&'static str, String)> =
            KINDS.iter().filter(|k| !k.fixed).map(|k| (k.name, format!("https://x.example/u/{}", k.name))).collect();
        neutral(language, address, "MS Nord", &counts, "https://x.example/", &unsubscribe)
    }

    fn words_of(text: &str) -> Vec<&str> {
        text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect()
    }

    #[test]
    fn german_mails_follow_the_form_of_address() {
        let sie_forms = ["Sie", "Ihr", "Ihre", "Ihren", "Ihrem", "Ihrer", "Ihnen"];
        let du_forms = ["du", "dich", "dir", "dein", "deine", "deinem", "deiner", "deinen"];
        let du = mail(Language::De, FormOfAddress::Du);
        for part in [&du.subject, &du.text, &du.html] {
            assert!(!words_of(part).iter().any(|w| sie_forms.contains(w)), "{part}");
        }
        assert!(words_of(&du.text).iter().any(|w| du_forms.contains(w)));
        let sie = mail(Language::De, FormOfAddress::Sie);
        assert!(!words_of(&sie.text).iter().any(|w| du_forms.contains(w)), "{}", sie.text);
        assert!(words_of(&sie.text).contains(&"Sie"));
        // Other languages have one form.
        assert_eq!(mail(Language::Nl, FormOfAddress::Du).text, mail(Language::Nl, FormOfAddress::Sie).text);
        assert_eq!(mail(Language::En, FormOfAddress::Du).text, mail(Language::En, FormOfAddress::Sie).text);
    }
}
