//! Benchmark data for events and messages.
//!
//! `kindred generate --events N` fills the first benchmark association
//! with N association-wide events (one in fifty a weekly series of twelve
//! dates), from a year ago to a year ahead, the place and link set, every
//! fifth with a capacity. `kindred generate --messages N` fills it with N
//! messages: one conversation of exactly [`BENCH_CONVERSATION_MESSAGES`]
//! messages between the first active member of `member0` … `member30`
//! (the one `scripts/bench` signs in as) and another active member, the
//! most recent conversation of both, and the rest in one-to-one
//! conversations of a hundred messages between random active members.
//! Every body is sealed on its own under its conversation's key, bound to
//! the message (as `service::messaging` does), so that every generated
//! message is readable by the members of its conversation and no one else.

use crate::error::CliError;
use chrono::{DateTime, Duration, Utc};
use kindred_domain::events::parse_recurrence;
use kindred_domain::{ConversationId, EmailAddress, EventId, MemberId, MessageId};
use kindred_service::crypto::ConversationKey;
use kindred_service::messaging::BODY;
use kindred_service::{Association, Kindred};
use kindred_store::{EventFields, NewBulkConversation, NewBulkMessage};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashSet;

/// Messages in the conversation the benchmark opens.
pub const BENCH_CONVERSATION_MESSAGES: u64 = 10_000;
/// Messages per other conversation.
const PER_CONVERSATION: u64 = 100;
/// Messages written per transaction.
const FLUSH: usize = 20_000;

const TITLES: [&str; 8] = [
    "Stammtisch",
    "Online-Sprechstunde",
    "Workshop Fatigue",
    "Bewegungsgruppe",
    "Angehörigentreffen",
    "Vortrag: Neue Therapien",
    "Coffee and questions",
    "Reha-Sport",
];

const LINES: [&str; 12] = [
    "Hallo! Wie geht es dir heute?",
    "Danke für den Tipp mit der Kühlweste, das hat wirklich geholfen.",
    "Ich bin diese Woche ziemlich erschöpft, melde mich später.",
    "Kommst du am Dienstag zum Stammtisch?",
    "Mein Termin beim Neurologen ist verschoben worden.",
    "Hast du den Artikel über **Reha** gelesen?",
    "Good morning! Did the new medication help?",
    "I found a swimming group near me, want to join?",
    "Thanks for listening yesterday, it meant a lot.",
    "Let's talk on the phone later, typing is hard today.",
    "- Termine bündeln\n- Pausen einplanen",
    "Bis bald und gute Besserung!",
];

fn keys_error(error: impl std::fmt::Display) -> CliError {
    CliError::Keys(error.to_string())
}

/// Fills `association` with `count` events.
pub async fn generate_events(kindred: &Kindred, association: &Association, count: u64) -> Result<(), CliError> {
    let started = std::time::Instant::now();
    let store = &kindred.store;
    let organisers = store.some_active_member_ids(&association.id, 50).await?;
    let Some(first) = organisers.first() else {
        println!("{}: no active members to organise events; events skipped", association.slug.as_str());
        return Ok(());
    };
    let organiser = MemberId::parse(first).ok_or_else(|| CliError::Input("a member id".into()))?;
    let mut rng = StdRng::seed_from_u64(0x5eed_e7e7);
    let now = kindred.clock.now();
    let zone = association.settings.time_zone;
    let tz = zone.tz();
    let regions: Vec<String> =
        association.settings.catalog.regions.iter().map(|r| r.code.as_str().to_owned()).collect();
    let year = 365 * 24 * 60_i64;
    for n in 0..count {
        // Whole quarter hours from a year ago to a year ahead.
        let minutes = rng.gen_range(-year..year) / 15 * 15;
        let starts_at: DateTime<Utc> = now + Duration::minutes(minutes);
        let length = Duration::minutes(rng.gen_range(4..=12) * 15);
        let (recurrence, last_start) = if n % 50 == 0 {
            let r = parse_recurrence("FREQ=WEEKLY;COUNT=12", starts_at, tz)
                .map_err(|p| CliError::Input(p.message().to_owned()))?;
            let last = r.starts.last().copied().unwrap_or(starts_at);
            (Some(r.rule), last)
        } else {
            (None, starts_at)
        };
        let mode = ["in_person", "online", "hybrid"][rng.gen_range(0..3)];
        let title = format!("{} {}", TITLES[rng.gen_range(0..TITLES.len())], n + 1);
        let description = format!("Wir treffen uns zum Austausch. Termin Nummer {}.", n + 1);
        let region = if regions.is_empty() { None } else { Some(regions[rng.gen_range(0..regions.len())].as_str()) };
        let fields = EventFields {
            title: &title,
            description: &description,
            starts_at,
            ends_at: starts_at + length,
            last_ends_at: last_start + length,
            time_zone: zone.name(),
            mode,
            location: (mode != "online").then_some("Gemeindehaus, Lindenstraße 5"),
            online_url: (mode != "in_person").then_some("https://meet.example.org/kindred-bench"),
            step_free: rng.gen_bool(0.7),
            accessible_toilet: rng.gen_bool(0.5),
            hearing_loop: rng.gen_bool(0.2),
            seating: true,
            quiet_room: rng.gen_bool(0.3),
            accessibility_notes: "",
            capacity: (n % 5 == 0).then_some(20),
            registration_closes_at: None,
            recurrence: recurrence.as_deref(),
            region,
            show_attendees: false,
        };
        let id = EventId::random();
        store.create_event(&association.id, id.as_str(), None, &organiser, &fields, now).await?;
        if (n + 1) % 2_000 == 0 {
            println!("  {} events ({:.0} s)", n + 1, started.elapsed().as_secs_f64());
        }
    }
    println!("{}: {count} events in {:.1} s", association.slug.as_str(), started.elapsed().as_secs_f64());
    Ok(())
}

/// The member `scripts/bench` signs in as: the first active one of
/// `member0@…` … `member30@…`.
async fn bench_member(kindred: &Kindred, association: &Association) -> Result<Option<String>, CliError> {
    for n in 0..=30 {
        let email = EmailAddress::parse(&format!("member{n}@{}.kindred.invalid", association.slug.as_str()))
            .map_err(|e| CliError::Input(e.to_string()))?;
        if let Some(member) = kindred.store.member_by_email(&association.id, &email.key()).await? {
            if member.status == "active" {
                return Ok(Some(member.id));
            }
        }
    }
    Ok(None)
}

/// Fills `association` with `count` messages.
pub async fn generate_messages(kindred: &Kindred, association: &Association, count: u64) -> Result<(), CliError> {
    let started = std::time::Instant::now();
    let store = &kindred.store;
    let members = store.some_active_member_ids(&association.id, 100_000).await?;
    let Some(me) = bench_member(kindred, association).await? else {
        println!("{}: no active member0 … member30; messages skipped", association.slug.as_str());
        return Ok(());
    };
    let others: Vec<&String> = members.iter().filter(|m| **m != me).collect();
    if others.len() < 2 {
        println!("{}: too few active members for conversations; messages skipped", association.slug.as_str());
        return Ok(());
    }
    let association_key = kindred.keys.association(&association.id).map_err(keys_error)?;
    let mut rng = StdRng::seed_from_u64(0x5eed_3e55);
    let now = kindred.clock.now();
    let count = count.max(BENCH_CONVERSATION_MESSAGES);

    // (first member, second member, messages); the benchmark's first.
    let mut plan: Vec<(String, String, u64)> = vec![(me.clone(), others[0].clone(), BENCH_CONVERSATION_MESSAGES)];
    let mut pairs: HashSet<(String, String)> = HashSet::new();
    pairs.insert((me.clone(), others[0].clone()));
    let mut left = count - BENCH_CONVERSATION_MESSAGES;
    while left > 0 {
        let a = others[rng.gen_range(0..others.len())].clone();
        let b = others[rng.gen_range(0..others.len())].clone();
        if a == b || pairs.contains(&(a.clone(), b.clone())) || pairs.contains(&(b.clone(), a.clone())) {
            continue;
        }
        pairs.insert((a.clone(), b.clone()));
        let size = left.min(PER_CONVERSATION);
        plan.push((a, b, size));
        left -= size;
    }

    let mut conversations: Vec<NewBulkConversation> = Vec::with_capacity(FLUSH);
    let mut messages: Vec<NewBulkMessage> = Vec::with_capacity(FLUSH);
    let mut written = 0_u64;
    let span_minutes = 365 * 24 * 60_i64;
    for (i, (a, b, size)) in plan.iter().enumerate() {
        let id = ConversationId::random();
        let key = ConversationKey::random(&association.id, id.as_str()).map_err(keys_error)?;
        let sealed_key = key.wrap(&association_key).map_err(keys_error)?;
        // A message a minute; the benchmark's conversation ends a minute
        // ago (the newest of all), the others somewhere in the last year.
        let last =
            if i == 0 { now - Duration::minutes(1) } else { now - Duration::minutes(rng.gen_range(60..span_minutes)) };
        let size = *size as i64;
        let first = last - Duration::minutes(size - 1);
        // The conversation goes in with (or before) the flush that holds its messages.
        conversations.push(NewBulkConversation {
            id: id.to_string(),
            created_by: a.clone(),
            other: b.clone(),
            sealed_key,
            created_at: first,
            last_message_at: last,
            last_seq: size,
        });
        for seq in 1..=size {
            let message = MessageId::random();
            let text = LINES[rng.gen_range(0..LINES.len())];
            let sealed = key.seal(message.as_str(), BODY, text.as_bytes()).map_err(keys_error)?;
            messages.push(NewBulkMessage {
                id: message.to_string(),
                conversation_id: id.to_string(),
                seq,
                sender_id: if rng.gen_bool(0.5) { a.clone() } else { b.clone() },
                sealed_body: sealed,
                sent_at: first + Duration::minutes(seq - 1),
            });
            if messages.len() == FLUSH {
                store.insert_conversations_fresh(&association.id, &conversations).await?;
                conversations.clear();
                store.insert_messages_fresh(&association.id, &messages).await?;
                written += messages.len() as u64;
                messages.clear();
                if written.is_multiple_of(200_000) {
                    println!("  {written} messages ({:.0} s)", started.elapsed().as_secs_f64());
                }
            }
        }
    }
    store.insert_conversations_fresh(&association.id, &conversations).await?;
    store.insert_messages_fresh(&association.id, &messages).await?;
    written += messages.len() as u64;
    println!(
        "{}: {} conversations, {written} messages in {:.1} s",
        association.slug.as_str(),
        plan.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
