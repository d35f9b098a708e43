//! The demo association's community: forum categories, groups of every
//! kind (open, closed for relatives only, a secret alias group, a local
//! group with a subgroup), discussions in German and English, and a few
//! reports waiting in the moderation queue. Everything goes through the
//! same use cases as the pages and the API.

use crate::error::CliError;
use kindred_domain::MemberId;
use kindred_service::forum::{CategoryInput, ReplyInput, TopicInput};
use kindred_service::groups::GroupInput;
use kindred_service::moderation::ReportInput;
use kindred_service::sessions::{Caller, SessionKind};
use kindred_service::{Association, Kindred};

/// The sample accounts, by the names used below.
pub struct Cast<'a> {
    pub admin: &'a MemberId,
    pub moderator: &'a MemberId,
    pub doctor: &'a MemberId,
    pub mira: &'a MemberId,
    pub tom: &'a MemberId,
}

fn failed(what: &str, e: impl std::fmt::Display) -> CliError {
    CliError::Input(format!("demo forum, {what}: {e}"))
}

async fn caller(kindred: &Kindred, association: &Association, id: &MemberId) -> Result<Caller, CliError> {
    let member = kindred
        .member(association, id.as_str())
        .await?
        .ok_or_else(|| failed("accounts", "a sample account is missing"))?;
    Ok(Caller { member, session_id: String::new(), kind: SessionKind::Api, second_factor_pending: false })
}

struct People {
    admin: Caller,
    moderator: Caller,
    doctor: Caller,
    mira: Caller,
    tom: Caller,
}

pub async fn add_forum(kindred: &Kindred, association: &Association, cast: &Cast<'_>) -> Result<(), CliError> {
    let p = People {
        admin: caller(kindred, association, cast.admin).await?,
        moderator: caller(kindred, association, cast.moderator).await?,
        doctor: caller(kindred, association, cast.doctor).await?,
        mira: caller(kindred, association, cast.mira).await?,
        tom: caller(kindred, association, cast.tom).await?,
    };
    let category = |name: &str, description: &str, anonymous_allowed: bool, ask_professional: bool| CategoryInput {
        name: name.to_owned(),
        description: description.to_owned(),
        position: None,
        anonymous_allowed,
        ask_professional,
    };
    let mut categories = Vec::new();
    for input in [
        category(
            "Erste Schritte nach der Diagnose",
            "Frisch diagnostiziert? Hier fragen, was euch auf dem Herzen liegt.",
            false,
            false,
        ),
        category("Therapien und Medikamente", "Erfahrungen mit Therapien, Nebenwirkungen und Reha.", false, false),
        category(
            "Fragen an Fachleute",
            "Unsere Neurologin und andere geprüfte Fachleute antworten; ihre Antworten sind gekennzeichnet.",
            false,
            true,
        ),
        category(
            "Seelische Gesundheit",
            "Über schwere Tage reden. Hier darf auch anonym geschrieben werden.",
            true,
            false,
        ),
        category("Angehörige und Freunde", "Für alle, die jemanden mit MS begleiten.", false, false),
        category("English corner", "For members who prefer to write in English.", false, false),
    ] {
        let id = kindred.create_category(association, &p.admin, &input).await.map_err(|e| failed("category", e))?;
        categories.push(id.to_string());
    }

    let topic = |category: &str, title: &str, body: &str, anonymous: bool| TopicInput {
        category_id: Some(category.to_owned()),
        group_id: None,
        title: title.to_owned(),
        body: body.to_owned(),
        anonymous,
    };
    let reply = |body: &str| ReplyInput { body: body.to_owned(), anonymous: false, quote_of: None };

    // Erste Schritte.
    let first = kindred
        .create_topic(
            association,
            &p.mira,
            &topic(
                &categories[0],
                "Gerade die Diagnose bekommen – wie habt ihr die ersten Wochen geschafft?",
                "Hallo zusammen,\n\nich habe letzte Woche die Diagnose **schubförmige MS** bekommen und bin noch \
                 völlig durcheinander. Wie habt ihr die ersten Wochen erlebt? Was hat euch geholfen?\n\nLiebe \
                 Grüße, Mira",
                false,
            ),
        )
        .await
        .map_err(|e| failed("topic", e))?;
    for (who, body) in [
        (
            &p.tom,
            "Liebe Mira, willkommen hier. Bei mir ist es sechs Jahre her. Was mir geholfen hat:\n\n- nicht alles \
             auf einmal googeln\n- Fragen für den nächsten Termin aufschreiben\n- mit Menschen reden, die es kennen",
        ),
        (
            &p.moderator,
            "Hallo @[Mira am Meer], schön, dass du zu uns gefunden hast. In Kiel gibt es eine Gruppe, die sich \
             jeden ersten Dienstag trifft – schau gern in die Gruppen.",
        ),
        (&p.mira, "Danke euch beiden, das tut gut. Die Liste hänge ich mir an den Kühlschrank."),
    ] {
        kindred.reply(association, who, first.as_str(), &reply(body)).await.map_err(|e| failed("reply", e))?;
    }

    // Therapien.
    let fatigue = kindred
        .create_topic(
            association,
            &p.tom,
            &topic(
                &categories[1],
                "Fatigue trotz Therapie – was hilft euch im Alltag?",
                "Meine Schübe sind seit der Umstellung weg, aber die *Fatigue* bleibt. Ab mittags geht kaum noch \
                 etwas. Kühlweste, Mittagsschlaf, Sport – was funktioniert bei euch?",
                false,
            ),
        )
        .await
        .map_err(|e| failed("topic", e))?;
    let spam = kindred
        .reply(
            association,
            &p.mira,
            fatigue.as_str(),
            &reply("Mir helfen feste Pausen und zweimal die Woche Schwimmen. Im Sommer ist die Kühlweste Gold wert."),
        )
        .await
        .map_err(|e| failed("reply", e))?;
    let advice = kindred
        .reply(
            association,
            &p.tom,
            fatigue.as_str(),
            &reply("Ein Bekannter meint, man solle die Basistherapie einfach absetzen und nur noch Vitamin D nehmen."),
        )
        .await
        .map_err(|e| failed("reply", e))?;

    // Fragen an Fachleute: the neurologist's answer is marked.
    let question = kindred
        .create_topic(
            association,
            &p.mira,
            &topic(
                &categories[2],
                "Darf ich mit MS Sport treiben, auch Ausdauersport?",
                "Ich würde gern wieder laufen gehen. Gibt es etwas, worauf ich achten sollte?",
                false,
            ),
        )
        .await
        .map_err(|e| failed("topic", e))?;
    kindred
        .reply(
            association,
            &p.doctor,
            question.as_str(),
            &reply(
                "Ja, unbedingt: Ausdauersport ist ausdrücklich empfohlen. Steigern Sie langsam, trinken Sie genug \
                 und planen Sie bei Wärme kühlere Tageszeiten ein. Eine vorübergehende Verschlechterung bei \
                 Überwärmung (Uhthoff-Phänomen) ist harmlos und vergeht beim Abkühlen.",
            ),
        )
        .await
        .map_err(|e| failed("reply", e))?;

    // Seelische Gesundheit: an anonymous topic.
    let dark = kindred
        .create_topic(
            association,
            &p.tom,
            &topic(
                &categories[3],
                "Manchmal ist alles zu viel",
                "Ich schreibe das anonym, weil ich mich schäme. Seit Wochen komme ich morgens kaum aus dem Bett \
                 und ziehe mich von allen zurück. Kennt ihr das?",
                true,
            ),
        )
        .await
        .map_err(|e| failed("topic", e))?;
    kindred
        .reply(
            association,
            &p.moderator,
            dark.as_str(),
            &reply(
                "Danke, dass du das teilst – dafür musst du dich nicht schämen. Depressive Phasen sind bei MS \
                 häufig und gut behandelbar. Sprich bitte mit deiner Ärztin darüber. Wenn es akut wird: \
                 TelefonSeelsorge 0800 111 0 111, rund um die Uhr.",
            ),
        )
        .await
        .map_err(|e| failed("reply", e))?;

    // English corner.
    let english = kindred
        .create_topic(
            association,
            &p.doctor,
            &topic(
                &categories[5],
                "Tips for travelling with MS",
                "Summer is coming. What are your best tips for long journeys – trains, planes, heat?",
                false,
            ),
        )
        .await
        .map_err(|e| failed("topic", e))?;
    for (who, body) in [
        (&p.mira, "Book seats near the toilets, carry a cooling towel, and plan a rest day after arriving."),
        (&p.tom, "> plan a rest day after arriving\n\nThis! I always underestimated how tired I would be."),
    ] {
        kindred.reply(association, who, english.as_str(), &reply(body)).await.map_err(|e| failed("reply", e))?;
    }

    // Groups of every kind.
    let group = |name: &str, description: &str, visibility: &str| GroupInput {
        name: name.to_owned(),
        description: description.to_owned(),
        visibility: visibility.to_owned(),
        conditions: vec!["ms".to_owned()],
        ..GroupInput::default()
    };
    let young = kindred
        .create_group(
            association,
            &p.mira,
            &GroupInput {
                therapies: vec!["physiotherapy".to_owned()],
                ..group(
                    "Junge Erwachsene mit MS",
                    "Studium, Ausbildung, erster Job, Familienplanung – für alle zwischen 18 und 35.",
                    "open",
                )
            },
        )
        .await
        .map_err(|e| failed("group", e))?;
    kindred.join_group(association, &p.tom, young.as_str()).await.map_err(|e| failed("join", e))?;
    let kiel = kindred
        .create_group(
            association,
            &p.moderator,
            &GroupInput {
                region: Some("sh".to_owned()),
                mode: Some("local".to_owned()),
                ..group(
                    "Selbsthilfegruppe Kiel",
                    "Wir treffen uns jeden ersten Dienstag im Monat um 18 Uhr im Nachbarschaftszentrum.",
                    "open",
                )
            },
        )
        .await
        .map_err(|e| failed("group", e))?;
    kindred.join_group(association, &p.mira, kiel.as_str()).await.map_err(|e| failed("join", e))?;
    kindred
        .create_group(
            association,
            &p.moderator,
            &GroupInput {
                parent_id: Some(kiel.to_string()),
                region: Some("sh".to_owned()),
                mode: Some("local".to_owned()),
                ..group("Walking-Treff Kiel", "Samstags 10 Uhr an der Kiellinie, gemütliches Tempo.", "open")
            },
        )
        .await
        .map_err(|e| failed("subgroup", e))?;
    kindred
        .create_group(
            association,
            &p.moderator,
            &GroupInput {
                member_list: "group".to_owned(),
                role_restriction: Some("relative".to_owned()),
                conditions: Vec::new(),
                ..group(
                    "Angehörigen-Treff",
                    "Nur für Angehörige: Partnerinnen, Partner, Eltern, Kinder. Beitritt auf Anfrage.",
                    "closed",
                )
            },
        )
        .await
        .map_err(|e| failed("group", e))?;
    let secret = kindred
        .create_group(
            association,
            &p.moderator,
            &GroupInput {
                member_list: "moderators".to_owned(),
                alias_mode: true,
                anonymous_allowed: true,
                ..group(
                    "Offene Worte",
                    "Ein geschützter Raum für Themen wie Sexualität, Inkontinenz und Depression. Alle erscheinen \
                     hier unter einem Alias.",
                    "secret",
                )
            },
        )
        .await
        .map_err(|e| failed("group", e))?;
    kindred
        .invite_to_group(association, &p.moderator, secret.as_str(), p.mira.member.id.as_str())
        .await
        .map_err(|e| failed("invitation", e))?;
    kindred.join_group(association, &p.mira, secret.as_str()).await.map_err(|e| failed("join", e))?;
    let inner = kindred
        .create_topic(
            association,
            &p.mira,
            &TopicInput {
                category_id: None,
                group_id: Some(secret.to_string()),
                title: "Blase und Beziehung".to_owned(),
                body: "Seit einem Jahr habe ich Probleme mit der Blase und traue mich kaum noch zu Verabredungen. \
                       Wie sprecht ihr das in einer Beziehung an?"
                    .to_owned(),
                anonymous: false,
            },
        )
        .await
        .map_err(|e| failed("group topic", e))?;
    kindred
        .reply(
            association,
            &p.moderator,
            inner.as_str(),
            &reply("Beckenbodentraining hat mir viel gebracht – und ein offenes Gespräch früh, nicht erst später."),
        )
        .await
        .map_err(|e| failed("group reply", e))?;
    kindred
        .create_topic(
            association,
            &p.tom,
            &TopicInput {
                category_id: None,
                group_id: Some(young.to_string()),
                title: "Studium und Nachteilsausgleich".to_owned(),
                body: "Hat jemand schon einen Nachteilsausgleich für Prüfungen beantragt? Wie lief das?".to_owned(),
                anonymous: false,
            },
        )
        .await
        .map_err(|e| failed("group topic", e))?;

    add_events(kindred, association, &p, kiel.as_str(), secret.as_str()).await?;

    // A few reports in the queue.
    for (who, target, kind, details) in [
        (&p.mira, advice.to_string(), "medical_advice", "Das Absetzen der Therapie ist gefährlich."),
        (&p.tom, spam.to_string(), "spam", "Sieht nach Werbung für Kühlwesten aus."),
        (&p.mira, dark.to_string(), "crisis", "Ich mache mir Sorgen um die Person."),
    ] {
        let target_type = if target == dark.to_string() { "topic" } else { "post" };
        kindred
            .file_report(
                association,
                who,
                ReportInput { target_type, target_id: &target, reason: Some(details), kind: Some(kind), details: None },
            )
            .await
            .map_err(|e| failed("report", e))?;
    }
    add_conversations(kindred, association, &p, kiel.as_str(), secret.as_str()).await?;
    add_articles(kindred, association, &p).await?;
    Ok(())
}

/// Knowledge: two articles by the neurologist, reviewed by the admin (one
/// for anyone, one for members), one waiting for review, and a draft.
async fn add_articles(kindred: &Kindred, association: &Association, p: &People) -> Result<(), CliError> {
    use kindred_service::knowledge::ArticleInput;
    let article = |title: &str, summary: &str, body: &str, audience: &str| ArticleInput {
        title: title.to_owned(),
        summary: summary.to_owned(),
        body: body.to_owned(),
        conditions: vec!["ms".to_owned()],
        therapies: vec!["physiotherapy".to_owned()],
        sources: vec![("Deutsche Multiple Sklerose Gesellschaft".to_owned(), "https://www.dmsg.de/".to_owned())],
        audience: audience.to_owned(),
    };
    let written = [
        (
            article(
                "Fatigue bei MS: was im Alltag hilft",
                "Die bleierne Müdigkeit ist eines der häufigsten Symptome. Was Betroffene selbst tun können.",
                "Fatigue ist **keine gewöhnliche Müdigkeit**. Was vielen hilft:\n\n- feste Pausen, bevor die Kraft ausgeht\n- Ausdauertraining in kleinen Schritten\n- Kühlung an warmen Tagen\n\nSprecht mit eurer Neurologin über Ursachen, die sich behandeln lassen.",
                "public",
            ),
            true,
        ),
        (
            article(
                "Reha beantragen: Schritt für Schritt",
                "Wer zahlt, welche Fristen gelten und wie ein Widerspruch gelingt.",
                "1. Antrag über die Hausärztin oder den Neurologen\n2. Bescheid abwarten (meist drei bis sechs Wochen)\n3. Bei Ablehnung: Widerspruch innerhalb eines Monats",
                "members",
            ),
            true,
        ),
        (article("Wärme und MS", "Warum Hitze Symptome verstärkt (Uhthoff-Phänomen).", "Entwurf, in Prüfung.", "public"), false),
    ];
    for (input, publish) in written {
        let id = kindred.create_article(association, &p.doctor, &input).await.map_err(|e| failed("article", e))?;
        kindred.submit_article(association, &p.doctor, id.as_str()).await.map_err(|e| failed("article", e))?;
        if publish {
            kindred
                .review_article(association, &p.admin, id.as_str(), Some("publish"), None)
                .await
                .map_err(|e| failed("article", e))?;
        }
    }
    let draft = article("Kühlwesten im Test", "Ein erster Entwurf.", "Noch in Arbeit.", "members");
    kindred.create_article(association, &p.doctor, &draft).await.map_err(|e| failed("article", e))?;
    Ok(())
}

/// Conversations among the sample accounts: a one-to-one conversation, a
/// group's chat, a pending request and an alias group's chat.
async fn add_conversations(
    kindred: &Kindred,
    association: &Association,
    p: &People,
    kiel: &str,
    secret: &str,
) -> Result<(), CliError> {
    let fail = |e: kindred_service::messaging::MessagingError| failed("conversation", e);
    // One-to-one, between contacts: Mira and the group leader.
    let started = kindred
        .start_conversation(
            association,
            &p.mira,
            std::slice::from_ref(&p.moderator.member.id.to_string()),
            "Hallo Jonas, danke für den Tipp mit der Gruppe in Kiel! Kann ich beim nächsten Treffen einfach vorbeikommen?",
        )
        .await
        .map_err(fail)?;
    let id = started.conversation_id;
    for (who, body) in [
        (&p.moderator, "Hallo Mira, sehr gern – wir sind am ersten Dienstag ab 18 Uhr da. Einfach klingeln."),
        (&p.mira, "Super, dann bis Dienstag. Soll ich etwas mitbringen?"),
        (&p.moderator, "Nur dich selbst. Kaffee und Kekse gibt es immer. 🙂"),
    ] {
        kindred.send_message(association, who, &id, body, &[]).await.map_err(fail)?;
    }
    // A voice call the two had (ended): it shows in both members' exports.
    let call_failed = |e: kindred_service::calls::CallError| failed("call", e);
    let (call, _) = kindred.start_call(association, &p.mira, &id, false).await.map_err(call_failed)?;
    kindred.join_call(association, &p.moderator, call.as_str()).await.map_err(call_failed)?;
    for who in [&p.moderator, &p.mira] {
        kindred.leave_call(association, who, call.as_str()).await.map_err(call_failed)?;
    }
    // And one Jonas missed: a `missed_call` notification for him.
    let (call, _) = kindred.start_call(association, &p.mira, &id, true).await.map_err(call_failed)?;
    kindred.leave_call(association, &p.mira, call.as_str()).await.map_err(call_failed)?;
    // The chat of the group in Kiel.
    let chat = kindred.group_conversation(association, &p.moderator, kiel).await.map_err(fail)?;
    for (who, body) in [
        (
            &p.moderator,
            "Willkommen im Chat der Selbsthilfegruppe Kiel! Hier besprechen wir Termine und Fahrgemeinschaften.",
        ),
        (&p.mira, "Danke! Fährt jemand am Dienstag aus Richtung Holtenau?"),
    ] {
        kindred.send_message(association, who, &chat, body, &[]).await.map_err(fail)?;
    }
    // A pending request: Tom and Mira share a group but are not contacts.
    kindred
        .start_conversation(
            association,
            &p.tom,
            std::slice::from_ref(&p.mira.member.id.to_string()),
            "Hallo Mira, ich habe deinen Beitrag in „Erste Schritte“ gelesen. Magst du dich austauschen?",
        )
        .await
        .map_err(fail)?;
    // The alias group's chat: its members appear by alias only.
    let hidden = kindred.group_conversation(association, &p.moderator, secret).await.map_err(fail)?;
    for (who, body) in [
        (&p.moderator, "Dies ist der Chat von „Offene Worte“. Hier erscheint ihr nur unter eurem Alias."),
        (&p.mira, "Danke, das macht es leichter, hier zu schreiben."),
    ] {
        kindred.send_message(association, who, &hidden, body, &[]).await.map_err(fail)?;
    }
    Ok(())
}

/// Events: online and in person, of the association and of groups — a
/// monthly meeting of the Kiel group, a full workshop with a waiting list,
/// and one in the secret alias group.
async fn add_events(
    kindred: &Kindred,
    association: &Association,
    p: &People,
    kiel: &str,
    secret: &str,
) -> Result<(), CliError> {
    use kindred_domain::events::{Accessibility, RawEvent};
    use kindred_service::events::EventInput;
    let today = kindred.clock.now().date_naive();
    let day = |days: i64, time: &str| format!("{}T{time}", today + chrono::Duration::days(days));
    let event = |title: &str, description: &str, start: String, end: String, mode: &str| RawEvent {
        title: title.to_owned(),
        description: description.to_owned(),
        starts_at: start,
        ends_at: end,
        time_zone: None,
        mode: mode.to_owned(),
        ..RawEvent::default()
    };
    let online = EventInput {
        raw: RawEvent {
            online_url: Some("https://meet.example.org/ms-sprechstunde".to_owned()),
            ..event(
                "Online-Sprechstunde mit Dr. Lena Berg",
                "Fragen rund um **Therapie und Alltag**, live per Video. Bitte vorher anmelden.",
                day(6, "18:00"),
                day(6, "19:00"),
                "online",
            )
        },
        group_id: None,
    };
    kindred.create_event(association, &p.doctor, &online).await.map_err(|e| failed("event", e))?;

    let monthly = EventInput {
        raw: RawEvent {
            location: Some("Nachbarschaftstreff Kiel-Gaarden, Elisabethstraße 1".to_owned()),
            accessibility: Accessibility {
                step_free: true,
                accessible_toilet: true,
                seating: true,
                notes: "Eingang über den Hof, Aufzug vorhanden.".to_owned(),
                ..Accessibility::default()
            },
            region: Some("sh".to_owned()),
            recurrence: Some("FREQ=MONTHLY;BYDAY=1TU;COUNT=12".to_owned()),
            ..event(
                "Monatstreffen der Kieler Gruppe",
                "Jeden ersten Dienstag im Monat: Austausch bei Kaffee und Kuchen.",
                first_tuesday(today, "18:00"),
                first_tuesday(today, "20:00"),
                "in_person",
            )
        },
        group_id: Some(kiel.to_owned()),
    };
    kindred.create_event(association, &p.moderator, &monthly).await.map_err(|e| failed("event", e))?;

    let full = EventInput {
        raw: RawEvent {
            location: Some("Vereinshaus, Raum 2".to_owned()),
            online_url: Some("https://meet.example.org/fatigue-workshop".to_owned()),
            capacity: Some(2),
            show_attendees: true,
            accessibility: Accessibility {
                step_free: true,
                hearing_loop: true,
                quiet_room: true,
                ..Accessibility::default()
            },
            ..event(
                "Workshop: Mit Fatigue gut durch den Tag",
                "Ein kleiner Workshop mit Übungen zum Energiemanagement. Nur wenige Plätze.",
                day(10, "10:00"),
                day(10, "13:00"),
                "hybrid",
            )
        },
        group_id: None,
    };
    let workshop = kindred.create_event(association, &p.admin, &full).await.map_err(|e| failed("event", e))?;
    for who in [&p.tom, &p.doctor, &p.moderator] {
        kindred.register_for_event(association, who, workshop.as_str()).await.map_err(|e| failed("registration", e))?;
    }

    let hidden = EventInput {
        raw: RawEvent {
            online_url: Some("https://meet.example.org/stiller-kreis".to_owned()),
            ..event(
                "Abendrunde im geschützten Kreis",
                "Nur für die Mitglieder dieser Gruppe.",
                day(3, "19:30"),
                day(3, "21:00"),
                "online",
            )
        },
        group_id: Some(secret.to_owned()),
    };
    let circle = kindred.create_event(association, &p.moderator, &hidden).await.map_err(|e| failed("event", e))?;
    kindred.register_for_event(association, &p.mira, circle.as_str()).await.map_err(|e| failed("registration", e))?;
    Ok(())
}

/// The next first Tuesday of a month (after today), at `time`.
fn first_tuesday(today: chrono::NaiveDate, time: &str) -> String {
    use chrono::Datelike;
    let mut day = today + chrono::Duration::days(1);
    while !(day.weekday() == chrono::Weekday::Tue && day.day() <= 7) {
        day += chrono::Duration::days(1);
    }
    format!("{day}T{time}")
}
