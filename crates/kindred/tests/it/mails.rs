//! Mails about notifications (service::mail_delivery), on both databases:
//! each member's choice decides (at once, digest, never); a digest gathers
//! the right items once; an interrupted run sends nothing twice; two nodes
//! send once; quiet hours delay; the one-click unsubscribe link works
//! signed out, only for its kind, and a tampered one answers as unknown;
//! and no mail in the outbox holds a health word, a post or a pseudonym.

use crate::harness::{TestServer, BOTH};
use crate::members::{call, ok, someone, Someone};
use crate::notifications::{admin, api, category, reply, topic};
use kindred_domain::Language;
use kindred_service::jobs::{self, Outcome};
use kindred_service::mail_delivery::Round;
use kindred_service::{Association, Clock};
use serde_json::json;

const SETTINGS: &str = "/a/ms/api/v1/me/notification-settings";

/// Every mail in the test's outbox: (file name, raw text).
pub fn outbox_mails(s: &TestServer) -> Vec<(String, String)> {
    let mut files: Vec<_> = std::fs::read_dir(s.outbox())
        .map(|dir| dir.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "eml"));
    files.sort();
    files
        .iter()
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?.to_owned();
            std::fs::read_to_string(p).ok().map(|text| (name, text))
        })
        .collect()
}

/// The mails to `to` now, without waiting.
fn mails_now(s: &TestServer, to: &str) -> Vec<String> {
    outbox_mails(s)
        .into_iter()
        .map(|(_, m)| m)
        .filter(|m| m.lines().any(|l| l.to_ascii_lowercase().starts_with("to:") && l.contains(to)))
        .collect()
}

/// The check over the whole outbox: no mail holds a health word of the
/// association's catalogue (in any language) nor any of `texts` (message
/// and post texts, titles, pseudonyms the test wrote; words of four
/// characters or more). The `To:` line is not looked at. For any test.
pub fn assert_outbox_neutral(s: &TestServer, association: &Association, texts: &[&str]) {
    let catalog = &association.settings.catalog;
    let mut words: Vec<String> = Vec::new();
    let languages = [Language::En, Language::De, Language::Nl];
    for condition in &catalog.conditions {
        words.extend(languages.iter().map(|l| condition.name.get(*l).to_owned()));
        for form in &condition.forms {
            words.extend(languages.iter().map(|l| form.name.get(*l).to_owned()));
        }
    }
    for entry in catalog.therapies.iter().chain(&catalog.medications).chain(&catalog.symptoms) {
        words.extend(languages.iter().map(|l| entry.name.get(*l).to_owned()));
    }
    words.extend(texts.iter().map(|t| (*t).to_owned()));
    let mails = outbox_mails(s);
    for (name, mail) in &mails {
        // The recipient's own address may hold their name.
        let lower: String = mail
            .lines()
            .filter(|l| !l.to_ascii_lowercase().starts_with("to:"))
            .collect::<Vec<_>>()
            .join("\n")
            .to_lowercase();
        for word in words.iter().filter(|w| w.chars().count() >= 4) {
            assert!(!lower.contains(&word.to_lowercase()), "{name} contains {word:?}:\n{mail}");
        }
    }
}

/// The unsubscribe link in the mail's text.
fn unsubscribe_link(mail: &str) -> String {
    let start = mail.find("/unsubscribe?token=").expect("an unsubscribe link");
    let begin = mail[..start].rfind("http").expect("an absolute link");
    mail[begin..].chars().take_while(|c| !c.is_whitespace() && *c != '"' && *c != '>').collect()
}

/// Only the path and query of a link (the test server is not the public address).
fn path_of(link: &str) -> String {
    let at = link.find("/a/").expect("a path below the association");
    link[at..].to_owned()
}

async fn choose(s: &TestServer, who: &Someone, body: serde_json::Value) {
    let (status, value) = call(s, &who.token, "PUT", SETTINGS, Some(body)).await;
    assert_eq!(status, 200, "{value}");
}

/// Anna's topic in a category; Ben takes part.
async fn forum(s: &TestServer, ms: &Association) -> (Someone, Someone, String) {
    let boss = admin(s, ms).await;
    let anna = someone(s, ms, "Anna").await;
    let ben = someone(s, ms, "Ben").await;
    let alltag = category(s, &boss).await;
    let talk = topic(s, &anna, ("category_id", &alltag), "Kühlwesten im Sommer", "Wer hat Erfahrung?").await;
    (anna, ben, talk)
}

async fn settle() {
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
}

#[tokio::test]
async fn an_immediate_choice_mails_at_once_neutrally_with_one_click_unsubscribe() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let (anna, ben, talk) = forum(&s, &ms).await;
        choose(&s, &anna, json!({"settings": {"reply": {"email": "immediately"}}})).await;

        reply(&s, &ben, &talk, json!({"body": "Geheimer Rat: Cortison hilft mir"})).await;
        let mails = s.mails_to("anna@example.org", 1).await;
        assert_eq!(mails.len(), 1, "{db:?}");
        let mail = &mails[0];
        let head = mail.split("\r\n\r\n").next().expect("head").to_lowercase();
        assert!(head.contains("list-unsubscribe: <"), "{db:?}: {head}");
        assert!(head.contains("list-unsubscribe-post: list-unsubscribe=one-click"), "{db:?}: {head}");
        assert!(head.contains("multipart/alternative"), "{db:?}: {head}");
        assert!(
            head.contains("from: \"ms test\"") || head.contains("from: ms test"),
            "{db:?}: the association's name: {head}"
        );
        assert!(mail.contains("<html lang=\"de\">"), "{db:?}: the member's language on the HTML part");
        assert!(mail.contains("text/plain") && mail.contains("text/html"), "{db:?}");
        assert!(mail.contains(": 1"), "{db:?}: a count: {mail}");
        for secret in ["Geheimer", "Cortison", "Kühlwesten", "Ben", &talk] {
            assert!(!mail.contains(secret), "{db:?}: {secret} in {mail}");
        }
        // Ben wrote it: nothing for him.
        settle().await;
        assert!(mails_now(&s, "ben@example.org").is_empty(), "{db:?}");

        // The link, signed out: a page with a button, then one click.
        let link = path_of(&unsubscribe_link(mail));
        let page = s.get(&link).await;
        assert_eq!(page.status(), 200, "{db:?}");
        let html = page.text().await.expect("page");
        assert!(html.contains("<form") && html.contains("List-Unsubscribe"), "{db:?}: {html}");

        // Tampered, or the same MAC for another kind or member: as unknown.
        let (base, mac) = link.rsplit_once('.').expect("a mac");
        let flipped = format!("{base}.{}", mac.chars().rev().collect::<String>());
        let other_kind = link.replace(".reply.", ".mention.");
        let other_member = link.replace(&anna.id, &ben.id);
        let unknown = s.get("/a/ms/unsubscribe?token=nothing").await;
        assert_eq!(unknown.status(), 404, "{db:?}");
        let unknown_text = unknown.text().await.expect("text");
        for wrong in [flipped.clone(), other_kind.clone(), other_member.clone(), "/a/ms/unsubscribe".to_owned()] {
            let response = s.get(&wrong).await;
            assert_eq!(response.status(), 404, "{db:?}: {wrong}");
            let text = response.text().await.expect("text");
            assert_eq!(title_of(&text), title_of(&unknown_text), "{db:?}: {wrong}");
            let posted = s.client.post(s.url(&wrong)).form(&[("List-Unsubscribe", "One-Click")]).send().await.unwrap();
            assert_eq!(posted.status(), 404, "{db:?}: {wrong}");
        }
        let (_, before) = call(&s, &anna.token, "GET", SETTINGS, None).await;
        assert_eq!(before["settings"]["reply"]["email"], "immediately", "{db:?}: nothing changed");

        // One click (RFC 8058): only replies stop.
        let done = s.client.post(s.url(&link)).form(&[("List-Unsubscribe", "One-Click")]).send().await.unwrap();
        assert_eq!(done.status(), 200, "{db:?}");
        let (_, after) = call(&s, &anna.token, "GET", SETTINGS, None).await;
        assert_eq!(after["settings"]["reply"]["email"], "never", "{db:?}");
        assert_eq!(after["settings"]["mention"]["email"], "daily", "{db:?}: other kinds stay");
        reply(&s, &ben, &talk, json!({"body": "Noch etwas"})).await;
        settle().await;
        assert_eq!(mails_now(&s, "anna@example.org").len(), 1, "{db:?}: no more reply mails");

        assert_outbox_neutral(&s, &ms, &["Geheimer Rat", "Cortison", "Kühlwesten", "Noch etwas", "Ben"]);
        s.stop().await;
    }
}

fn title_of(html: &str) -> String {
    html.split("<title>").nth(1).and_then(|t| t.split("</title>").next()).unwrap_or_default().to_owned()
}

fn job(name: &str) -> jobs::Job {
    jobs::all().into_iter().find(|job| job.name == name).expect("the job")
}

#[tokio::test]
async fn a_daily_digest_gathers_the_right_items_once() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let (anna, ben, talk) = forum(&s, &ms).await;
        let cleo = someone(&s, &ms, "Cleo").await;
        // Cleo wants no mail of replies at all.
        choose(&s, &cleo, json!({"settings": {"reply": {"email": "never"}}})).await;
        ok(&s, &cleo.token, "PUT", &api(&format!("/forum/topics/{talk}/subscription")), None).await;
        for text in ["Erste Antwort", "Zweite Antwort", "Dritte Antwort"] {
            reply(&s, &ben, &talk, json!({"body": text})).await;
        }
        settle().await;
        assert!(mails_now(&s, "anna@example.org").is_empty(), "{db:?}: daily, not at once");
        // The digest is due at 08:00 Berlin time; the replies came after today's.
        let digests = job("notification-digests");
        assert_eq!(jobs::run_once(&s.kindred, &digests, "node-a").await.expect("run"), Outcome::Ran(0), "{db:?}");

        s.clock.advance(chrono::Duration::days(1));
        assert_eq!(jobs::run_once(&s.kindred, &digests, "node-a").await.expect("run"), Outcome::Ran(1), "{db:?}");
        assert_eq!(jobs::run_once(&s.kindred, &digests, "node-a").await.expect("run"), Outcome::Ran(0), "{db:?}");
        let mails = mails_now(&s, "anna@example.org");
        assert_eq!(mails.len(), 1, "{db:?}: one digest");
        assert!(mails[0].contains(": 3"), "{db:?}: three replies in it: {}", mails[0]);
        assert!(mails_now(&s, "cleo@example.org").is_empty(), "{db:?}: never is never");
        assert!(mails_now(&s, "ben@example.org").is_empty(), "{db:?}");
        assert_outbox_neutral(&s, &ms, &["Erste Antwort", "Zweite", "Dritte", "Kühlwesten"]);
        let _ = anna;
        s.stop().await;
    }
}

#[tokio::test]
async fn daily_digests_go_out_at_eight_in_each_members_own_time_zone() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        // Anna follows the association (Europe/Berlin); Cleo lives in Auckland
        // (UTC+13 in November): her day begins eleven hours before Berlin's.
        let (anna, ben, talk) = forum(&s, &ms).await;
        let cleo = someone(&s, &ms, "Cleo").await;
        let zone = json!({"language": "de", "time_zone": "Pacific/Auckland"});
        ok(&s, &cleo.token, "PUT", "/a/ms/api/v1/me/preferences", Some(zone)).await;
        ok(&s, &cleo.token, "PUT", &api(&format!("/forum/topics/{talk}/subscription")), None).await;
        let digests = job("notification-digests");
        let run = || async { jobs::run_once(&s.kindred, &digests, "node-a").await.expect("run") };
        let at =
            |d, h, m| chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, d, h, m, 0).single().expect("time");
        let go_to = |to: chrono::DateTime<chrono::Utc>| s.clock.advance(to - s.clock.now());

        // Sunday 22 November, just after 09:00 UTC: 10:00 in Berlin, 22:00 in Auckland.
        assert!(s.clock.now() > at(22, 9, 0) && s.clock.now() < at(22, 10, 0));
        for text in ["Erste Antwort", "Zweite Antwort"] {
            reply(&s, &ben, &talk, json!({"body": text})).await;
        }
        assert_eq!(run().await, Outcome::Ran(0), "{db:?}: nobody's 08:00 has come since");

        // 19:30 UTC: Monday 08:30 in Auckland, still Sunday evening in Berlin.
        go_to(at(22, 19, 30));
        assert_eq!(run().await, Outcome::Ran(1), "{db:?}: Cleo's digest only");
        let cleos = mails_now(&s, "cleo@example.org");
        assert_eq!(cleos.len(), 1, "{db:?}");
        assert!(cleos[0].contains(": 2"), "{db:?}: both replies: {}", cleos[0]);
        assert!(mails_now(&s, "anna@example.org").is_empty(), "{db:?}: Berlin's morning has not come");

        // Monday 05:00 UTC: 06:00 in Berlin (before its 08:00), 18:00 in
        // Auckland (after hers): a third reply.
        go_to(at(23, 5, 0));
        reply(&s, &ben, &talk, json!({"body": "Dritte Antwort"})).await;
        assert_eq!(run().await, Outcome::Ran(0), "{db:?}");

        // Monday 07:30 UTC, 08:30 in Berlin: Anna's digest holds all three —
        // the third was written before her day's 08:00.
        go_to(at(23, 7, 30));
        assert_eq!(run().await, Outcome::Ran(1), "{db:?}: Anna's digest only");
        let annas = mails_now(&s, "anna@example.org");
        assert_eq!(annas.len(), 1, "{db:?}");
        assert!(annas[0].contains(": 3"), "{db:?}: three replies: {}", annas[0]);
        assert_eq!(mails_now(&s, "cleo@example.org").len(), 1, "{db:?}");

        // Monday 19:30 UTC, Tuesday 08:30 in Auckland: the third reply falls
        // in Cleo's Tuesday digest, alone.
        go_to(at(23, 19, 30));
        assert_eq!(run().await, Outcome::Ran(1), "{db:?}");
        let cleos = mails_now(&s, "cleo@example.org");
        assert_eq!(cleos.len(), 2, "{db:?}");
        assert!(cleos.iter().any(|m| m.contains(": 1")), "{db:?}: one reply: {cleos:?}");
        assert_eq!(run().await, Outcome::Ran(0), "{db:?}: once");
        assert_outbox_neutral(&s, &ms, &["Erste Antwort", "Zweite", "Dritte", "Kühlwesten"]);
        let _ = anna;
        s.stop().await;
    }
}

#[tokio::test]
async fn a_claim_that_died_is_sent_once_after_its_lease_and_two_nodes_send_once() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let (anna, ben, talk) = forum(&s, &ms).await;
        reply(&s, &ben, &talk, json!({"body": "Eins"})).await;

        // A node claimed Anna's reply for a digest mail and died before sending.
        s.clock.advance(chrono::Duration::days(1));
        let now = s.clock.now();
        let pending = waiting(&s, &ms.id, now).await;
        let mine: Vec<_> = pending.iter().filter(|p| p.member_id == anna.id).collect();
        assert_eq!(mine.len(), 1, "{db:?}");
        let mail_id = "deadnodemail0001";
        let items = [(mine[0].id.as_str(), mine[0].kind.as_str())];
        let claim = kindred_store::MailClaim {
            member: &anna.id,
            mail_id: Some(mail_id),
            items: &items,
            now,
            lease_until: now + kindred_service::mail_delivery::MAIL_LEASE,
        };
        assert!(s.kindred.store.claim_mail(&ms.id, &claim).await.unwrap(), "{db:?}");
        // While the lease lasts nobody sends it; the claim is the record.
        assert_eq!(s.kindred.deliver_mails(now, Round::Digest).await.unwrap(), 0, "{db:?}");
        assert!(mails_now(&s, "anna@example.org").is_empty(), "{db:?}");

        // After the lease, one node of two sends it, once, under its id.
        s.clock.advance(chrono::Duration::minutes(11));
        let other = s.another_node().await;
        let now = s.clock.now();
        let (a, b) = tokio::join!(s.kindred.deliver_mails(now, Round::Digest), other.deliver_mails(now, Round::Digest));
        assert_eq!(a.unwrap() + b.unwrap(), 1, "{db:?}");
        let names: Vec<String> = outbox_mails(&s).into_iter().map(|(n, _)| n).filter(|n| n.contains(mail_id)).collect();
        assert_eq!(names.len(), 1, "{db:?}: {names:?}");
        assert_eq!(s.kindred.deliver_mails(now, Round::Digest).await.unwrap(), 0, "{db:?}");

        // A node that sent but died before recording it: the mail is sent
        // again under the same id, and the outbox does not take it twice.
        reply(&s, &ben, &talk, json!({"body": "Zwei"})).await;
        s.clock.advance(chrono::Duration::days(1));
        let now = s.clock.now();
        let pending = waiting(&s, &ms.id, now).await;
        let mine: Vec<_> = pending.iter().filter(|p| p.member_id == anna.id).collect();
        let second = "deadnodemail0002";
        let items = [(mine[0].id.as_str(), mine[0].kind.as_str())];
        let claim = kindred_store::MailClaim {
            member: &anna.id,
            mail_id: Some(second),
            items: &items,
            now,
            lease_until: now + kindred_service::mail_delivery::MAIL_LEASE,
        };
        assert!(s.kindred.store.claim_mail(&ms.id, &claim).await.unwrap());
        // As the outbox writes a mail with an id: the marker naming the file, then the file.
        let name = format!("20261124T000000.000000Z-{second}.eml");
        std::fs::write(s.outbox().join(format!(".id-{second}")), &name).unwrap();
        std::fs::write(s.outbox().join(&name), "To: anna@example.org\r\n\r\nsent").unwrap();
        s.clock.advance(chrono::Duration::minutes(11));
        let now = s.clock.now();
        assert_eq!(s.kindred.deliver_mails(now, Round::Digest).await.unwrap(), 1, "{db:?}: taken over");
        let names: Vec<String> = outbox_mails(&s).into_iter().map(|(n, _)| n).filter(|n| n.contains(second)).collect();
        assert_eq!(names.len(), 1, "{db:?}: still one file");
        assert_eq!(mails_now(&s, "anna@example.org").len(), 2, "{db:?}");

        // Two nodes with fresh work: one mail.
        for text in ["Drei", "Vier"] {
            reply(&s, &ben, &talk, json!({"body": text})).await;
        }
        s.clock.advance(chrono::Duration::days(1));
        let now = s.clock.now();
        let (a, b) = tokio::join!(s.kindred.deliver_mails(now, Round::Digest), other.deliver_mails(now, Round::Digest));
        assert_eq!(a.unwrap() + b.unwrap(), 1, "{db:?}");
        assert_eq!(mails_now(&s, "anna@example.org").len(), 3, "{db:?}");
        s.stop().await;
    }
}

/// Every notification waiting for a decision, read a page at a time as the
/// job reads them.
async fn waiting(
    s: &TestServer,
    association: &kindred_domain::AssociationId,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<kindred_store::PendingNotification> {
    let since = now - chrono::Duration::days(9);
    let (mut all, mut after) = (Vec::new(), String::new());
    loop {
        let page = s.kindred.store.pending_notifications(association, since, &after, 1, None).await.unwrap();
        let Some(last) = page.last() else { return all };
        assert!(page.iter().all(|p| p.member_id == last.member_id), "one member per page of one");
        after.clone_from(&last.member_id);
        all.extend(page);
    }
}

/// The job reads what waits a page of members at a time, each member's
/// notifications whole, so that its memory does not grow with everything
/// waiting for a digest.
#[tokio::test]
async fn the_job_reads_waiting_notifications_a_page_of_members_at_a_time() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let (anna, ben, talk) = forum(&s, &ms).await;
        reply(&s, &ben, &talk, json!({"body": "Eins"})).await;
        reply(&s, &ben, &talk, json!({"body": "Zwei"})).await;
        reply(&s, &anna, &talk, json!({"body": "Drei"})).await;
        let since = s.clock.now() - chrono::Duration::days(9);
        let store = &s.kindred.store;
        let both = store.pending_notifications(&ms.id, since, "", 2, None).await.unwrap();
        let mut members: Vec<&str> = both.iter().map(|p| p.member_id.as_str()).collect();
        members.dedup();
        let mut expected = vec![anna.id.as_str(), ben.id.as_str()];
        expected.sort_unstable();
        assert_eq!(members, expected, "{db:?}: both members, in order");
        let first = store.pending_notifications(&ms.id, since, "", 1, None).await.unwrap();
        assert!(first.iter().all(|p| p.member_id == expected[0]), "{db:?}");
        let of_anna = both.iter().filter(|p| p.member_id == anna.id).count();
        assert_eq!(of_anna, 2, "{db:?}: each member's whole");
        let second = store.pending_notifications(&ms.id, since, expected[0], 1, None).await.unwrap();
        assert!(!second.is_empty() && second.iter().all(|p| p.member_id == expected[1]), "{db:?}");
        assert!(store.pending_notifications(&ms.id, since, expected[1], 1, None).await.unwrap().is_empty(), "{db:?}");
        s.stop().await;
    }
}

/// The minute job (a round without digests) leaves in the database what
/// waits for a digest — by the member's choice or the kind's default —,
/// and reads what it can act on: a kind chosen "immediately" or "never".
#[tokio::test]
async fn the_minute_job_leaves_what_waits_for_a_digest_in_the_database() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let (anna, ben, talk) = forum(&s, &ms).await;
        reply(&s, &ben, &talk, json!({"body": "Eins"})).await;
        reply(&s, &anna, &talk, json!({"body": "Zwei"})).await;
        let since = s.clock.now() - chrono::Duration::days(9);
        let store = &s.kindred.store;
        let choosable: Vec<&str> =
            kindred_domain::notification_kinds::KINDS.iter().filter(|k| !k.fixed).map(|k| k.name).collect();
        let (digest_choices, other_choices) = (&["daily", "weekly"][..], &["immediately", "never"][..]);
        let waiting = kindred_store::DigestWaiting {
            choosable: &choosable,
            digest_by_default: &["reply"],
            digest_choices,
            other_choices,
        };
        let members = |rows: &[kindred_store::PendingNotification]| {
            let mut m: Vec<String> = rows.iter().map(|p| p.member_id.clone()).collect();
            m.dedup();
            m
        };
        // Both replies wait for the daily digest (the default for replies).
        assert_eq!(members(&store.pending_notifications(&ms.id, since, "", 50, None).await.unwrap()).len(), 2);
        let left = store.pending_notifications(&ms.id, since, "", 50, Some(&waiting)).await.unwrap();
        assert!(left.is_empty(), "{db:?}: {left:?}");
        // Anna wants replies at once, Ben never: both are the job's again.
        choose(&s, &anna, json!({"settings": {"reply": {"email": "immediately"}}})).await;
        choose(&s, &ben, json!({"settings": {"reply": {"email": "never"}}})).await;
        let read = store.pending_notifications(&ms.id, since, "", 50, Some(&waiting)).await.unwrap();
        let mut expected = vec![anna.id.as_str().to_owned(), ben.id.as_str().to_owned()];
        expected.sort_unstable();
        assert_eq!(members(&read), expected, "{db:?}");
        // A kind that waits for a digest only by the member's choice.
        choose(&s, &anna, json!({"settings": {"reply": {"email": "weekly"}}})).await;
        let by_default_at_once = kindred_store::DigestWaiting {
            choosable: &choosable,
            digest_by_default: &[],
            digest_choices,
            other_choices,
        };
        let read = store.pending_notifications(&ms.id, since, "", 50, Some(&by_default_at_once)).await.unwrap();
        assert_eq!(members(&read), vec![ben.id.as_str().to_owned()], "{db:?}: Anna's waits for her weekly digest");
        s.stop().await;
    }
}

/// The ids `pending_notifications_among` finds of `ids`.
async fn among(s: &TestServer, association: &kindred_domain::AssociationId, ids: &[&str]) -> Vec<String> {
    let found = s.kindred.store.pending_notifications_among(association, ids).await.unwrap();
    found.into_iter().map(|p| p.id).collect()
}

/// A round started by writing looks at what was just written only (not at
/// every notification still waiting for a digest): among the ids it is
/// given, those without a record, of this association.
#[tokio::test]
async fn a_round_started_by_writing_reads_only_the_notifications_just_written() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let other = s.ms_association("other").await;
        let (anna, ben, talk) = forum(&s, &ms).await;
        reply(&s, &ben, &talk, json!({"body": "Eins"})).await;
        reply(&s, &ben, &talk, json!({"body": "Zwei"})).await;
        let now = s.clock.now();
        let pending = waiting(&s, &ms.id, now).await;
        let mine: Vec<&str> = pending.iter().filter(|p| p.member_id == anna.id).map(|p| p.id.as_str()).collect();
        assert_eq!(mine.len(), 2, "{db:?}: two replies wait for Anna's digest");
        assert_eq!(among(&s, &ms.id, &[mine[1], "nosuchnotification"]).await, [mine[1]], "{db:?}");
        assert!(among(&s, &other.id, &[mine[1]]).await.is_empty(), "{db:?}: another association's");
        assert!(among(&s, &ms.id, &[]).await.is_empty(), "{db:?}");
        let items = [(mine[1], "forum_reply")];
        let claim = kindred_store::MailClaim {
            member: &anna.id,
            mail_id: None,
            items: &items,
            now,
            lease_until: now + kindred_service::mail_delivery::MAIL_LEASE,
        };
        assert!(s.kindred.store.claim_mail(&ms.id, &claim).await.unwrap(), "{db:?}");
        assert!(among(&s, &ms.id, &[mine[1]]).await.is_empty(), "{db:?}: a notification with a record is done");
        s.stop().await;
    }
}

#[tokio::test]
async fn quiet_hours_hold_immediate_mails_until_they_end_but_not_crisis_reports() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let (anna, ben, talk) = forum(&s, &ms).await;
        // The clock stands at 09:00 UTC.
        let body = json!({"settings": {"reply": {"email": "immediately"}},
                          "quiet_hours": {"from": "08:30", "to": "12:00", "time_zone": "UTC"}});
        choose(&s, &anna, body).await;
        let (_, read) = call(&s, &anna.token, "GET", SETTINGS, None).await;
        assert_eq!(read["quiet_hours"], json!({"from": "08:30", "to": "12:00", "time_zone": "UTC"}), "{db:?}");
        // A PUT without quiet_hours keeps them (api.md's shape stays valid).
        choose(&s, &anna, json!({"settings": {"reply": {"email": "immediately"}}})).await;
        let (_, read) = call(&s, &anna.token, "GET", SETTINGS, None).await;
        assert_eq!(read["quiet_hours"]["from"], "08:30", "{db:?}");
        // Bad times: 422 naming the path, nothing changes.
        for (body, field) in [
            (json!({"settings": {}, "quiet_hours": {"from": "25:00", "to": "07:00"}}), "quiet_hours.from"),
            (json!({"settings": {}, "quiet_hours": {"from": "22:00", "to": "22:00"}}), "quiet_hours.to"),
            (
                json!({"settings": {}, "quiet_hours": {"from": "22:00", "to": "07:00", "time_zone": "Mars"}}),
                "quiet_hours.time_zone",
            ),
        ] {
            let (status, value) = call(&s, &anna.token, "PUT", SETTINGS, Some(body)).await;
            assert_eq!(status, 422, "{db:?}: {value}");
            assert!(value["error"]["fields"][field].is_string(), "{db:?}: {field} in {value}");
        }
        let (_, after) = call(&s, &anna.token, "GET", SETTINGS, None).await;
        assert_eq!(after, read, "{db:?}: nothing changed");

        reply(&s, &ben, &talk, json!({"body": "Leise"})).await;
        settle().await;
        let mails = job("notification-mails");
        assert_eq!(jobs::run_once(&s.kindred, &mails, "node-a").await.unwrap(), Outcome::Ran(0), "{db:?}");
        assert!(mails_now(&s, "anna@example.org").is_empty(), "{db:?}: quiet");
        s.clock.advance(chrono::Duration::hours(3));
        assert_eq!(jobs::run_once(&s.kindred, &mails, "node-a").await.unwrap(), Outcome::Ran(1), "{db:?}");
        assert_eq!(mails_now(&s, "anna@example.org").len(), 1, "{db:?}: after the quiet hours");

        // null removes them.
        choose(&s, &anna, json!({"settings": {}, "quiet_hours": null})).await;
        let (_, read) = call(&s, &anna.token, "GET", SETTINGS, None).await;
        assert!(read["quiet_hours"].is_null(), "{db:?}: {read}");
        s.stop().await;
    }
}

#[tokio::test]
async fn the_settings_page_sets_quiet_hours_without_javascript() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna").await;
        let browser = crate::forum_search::Browser::sign_in(&s, "anna@example.org").await;
        let (status, html) = browser.get("/a/ms/account/notifications").await;
        assert_eq!(status, 200, "{db:?}");
        assert!(html.contains(r#"id="quiet_from""#) && html.contains("Europe/Berlin"), "{db:?}");
        let (status, _) =
            browser.post("/a/ms/account/notifications", &[("quiet_from", "7 Uhr"), ("quiet_to", "08:00")]).await;
        assert_eq!(status, 422, "{db:?}");
        let (_, read) = call(&s, &anna.token, "GET", SETTINGS, None).await;
        assert!(read["quiet_hours"].is_null(), "{db:?}: nothing stored: {read}");
        let (status, _) =
            browser.post("/a/ms/account/notifications", &[("quiet_from", "22:00"), ("quiet_to", "07:00")]).await;
        assert_eq!(status, 303, "{db:?}");
        let (_, read) = call(&s, &anna.token, "GET", SETTINGS, None).await;
        assert_eq!(read["quiet_hours"], json!({"from": "22:00", "to": "07:00"}), "{db:?}");
        s.stop().await;
    }
}

/// The kinds of the caller's notifications, sorted.
async fn kinds_of(s: &TestServer, who: &Someone) -> Vec<String> {
    let list = ok(s, &who.token, "GET", &api("/notifications"), None).await;
    let mut kinds: Vec<String> = list["notifications"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|n| n["kind"].as_str().map(str::to_owned))
        .collect();
    kinds.sort();
    kinds
}

#[tokio::test]
async fn contact_disclosure_and_group_notifications_reach_exactly_the_right_members() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        let cleo = someone(&s, &ms, "Cleo").await;
        let dora = someone(&s, &ms, "Dora").await;
        let erik = someone(&s, &ms, "Erik").await;

        // Ben asks Anna, who is in her quiet hours; she blocks him before
        // they end: gone from her list, and no mail at delivery time.
        let quiet = json!({"settings": {}, "quiet_hours": {"from": "08:30", "to": "12:00", "time_zone": "UTC"}});
        choose(&s, &anna, quiet).await;
        ok(&s, &ben.token, "POST", &api("/contacts/requests"), Some(json!({"to": anna.id}))).await;
        assert_eq!(kinds_of(&s, &anna).await, ["contact_request"], "{db:?}");
        ok(&s, &anna.token, "POST", &api("/blocks"), Some(json!({"member_id": ben.id}))).await;
        assert!(kinds_of(&s, &anna).await.is_empty(), "{db:?}: a block hides it");
        s.clock.advance(chrono::Duration::hours(3));
        let run = jobs::run_once(&s.kindred, &job("notification-mails"), "node-a").await.unwrap();
        assert_eq!(run, Outcome::Ran(0), "{db:?}");
        assert!(mails_now(&s, "anna@example.org").is_empty(), "{db:?}: checked again when due");

        // Cleo asks Dora (mailed at once), Dora accepts: Cleo hears back.
        let asked = ok(&s, &cleo.token, "POST", &api("/contacts/requests"), Some(json!({"to": dora.id}))).await;
        let request = asked["request_id"].as_str().expect("id").to_owned();
        assert_eq!(kinds_of(&s, &dora).await, ["contact_request"], "{db:?}");
        s.mails_to("dora@example.org", 1).await;
        ok(&s, &dora.token, "POST", &api(&format!("/contacts/requests/{request}/accept")), Some(json!({"level": 1})))
            .await;
        assert_eq!(kinds_of(&s, &cleo).await, ["contact_answer"], "{db:?}");
        assert!(kinds_of(&s, &dora).await.is_empty(), "{db:?}: answered, no longer shown");

        // Cleo asks to see more; Dora declines; Cleo hears back.
        let path = api(&format!("/contacts/{}/disclosure-requests", dora.id));
        let asked = ok(&s, &cleo.token, "POST", &path, Some(json!({"level": 2}))).await;
        let disclosure = asked["request_id"].as_str().expect("id").to_owned();
        assert_eq!(kinds_of(&s, &dora).await, ["disclosure_request"], "{db:?}");
        ok(&s, &dora.token, "POST", &api(&format!("/disclosure-requests/{disclosure}/decline")), Some(json!({}))).await;
        assert_eq!(kinds_of(&s, &cleo).await, ["contact_answer", "disclosure_answer"], "{db:?}");

        // Dora's closed group: Ben's request reaches her (its moderator)
        // only; Erik, whom she blocked, asks without telling her.
        let body = json!({"name": "Sommerrunde Kiel", "visibility": "closed", "member_list": "group"});
        let closed = ok(&s, &dora.token, "POST", &api("/groups"), Some(body)).await["group_id"]
            .as_str()
            .expect("group")
            .to_owned();
        ok(&s, &dora.token, "POST", &api("/blocks"), Some(json!({"member_id": erik.id}))).await;
        ok(&s, &ben.token, "POST", &api(&format!("/groups/{closed}/join")), None).await;
        let (status, _) = call(&s, &erik.token, "POST", &api(&format!("/groups/{closed}/join")), None).await;
        assert!(status == 200 || status == 201 || status == 404, "{db:?}: {status}");
        assert_eq!(kinds_of(&s, &dora).await, ["group_join_request"], "{db:?}");

        // A secret group's invitation reaches the invitee only; the mail
        // does not name the group.
        let body = json!({"name": "Geheimgruppe Sommer", "visibility": "secret", "member_list": "group"});
        let secret = ok(&s, &dora.token, "POST", &api("/groups"), Some(body)).await["group_id"]
            .as_str()
            .expect("group")
            .to_owned();
        s.clock.advance(chrono::Duration::seconds(1));
        ok(
            &s,
            &dora.token,
            "POST",
            &api(&format!("/groups/{secret}/invitations")),
            Some(json!({"member_id": cleo.id})),
        )
        .await;
        let kinds = kinds_of(&s, &cleo).await;
        assert_eq!(kinds, ["contact_answer", "disclosure_answer", "group_invitation"], "{db:?}");
        s.mails_to("cleo@example.org", 1).await;
        let list = ok(&s, &cleo.token, "GET", &api("/notifications"), None).await;
        assert_eq!(list["notifications"][0]["group_id"], secret.as_str(), "{db:?}");

        for who in [&anna, &erik] {
            assert!(kinds_of(&s, who).await.is_empty(), "{db:?}");
        }
        assert!(kinds_of(&s, &ben).await.is_empty(), "{db:?}: nothing for the asker");
        settle().await;
        assert_outbox_neutral(&s, &ms, &["Geheimgruppe", "Sommerrunde", "Cleo", "Dora", "Erik", "Anna"]);
        s.stop().await;
    }
}
