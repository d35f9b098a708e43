//! Benchmark data for the forum: `kindred generate --posts N` fills the
//! first benchmark association with categories, topics and N posts, one of
//! them a topic with exactly 200 replies (titled "Benchmark topic", the
//! target of the topic page benchmark).

use crate::error::CliError;
use chrono::{DateTime, Duration, Utc};
use kindred_domain::markdown;
use kindred_domain::{CategoryId, PostId, TopicId};
use kindred_service::{Association, Kindred};
use kindred_store::{NewCategory, NewPost, NewTopic};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Title of the topic with 200 replies.
pub const BENCH_TOPIC_TITLE: &str = "Benchmark topic";
const CATEGORIES: usize = 10;
const POSTS_PER_TOPIC: u64 = 20;
const BENCH_TOPIC_POSTS: u64 = 201;
/// Posts written per transaction.
const FLUSH: usize = 20_000;

const CATEGORY_NAMES: [&str; CATEGORIES] = [
    "Diagnose und erste Schritte",
    "Therapien und Medikamente",
    "Alltag und Beruf",
    "Angehörige",
    "Fatigue und Schlaf",
    "Bewegung und Reha",
    "Recht und Soziales",
    "Living with MS",
    "Research news",
    "Off topic",
];

const SENTENCES: [&str; 16] = [
    "Seit der Umstellung auf die neue Therapie geht es mir **deutlich besser**, die Fatigue ist aber geblieben.",
    "Hat jemand Erfahrung mit Reha in der Nähe von Hamburg? Ich suche eine Klinik mit gutem Neuro-Team.",
    "Mein Neurologe meinte, dass *regelmäßige Bewegung* genauso wichtig ist wie die Medikamente.",
    "Ich war heute beim MRT, die Ergebnisse bekomme ich nächste Woche. Drückt mir die Daumen!",
    "Danke für eure Antworten, das hilft mir sehr. Ich fühle mich nicht mehr so allein damit.",
    "Wie erklärt ihr euren Kindern die Krankheit? Meine Tochter ist acht und fragt viel.",
    "Tipp: Kühlwesten helfen mir im Sommer enorm, gerade wenn die Hitze die Symptome verstärkt.",
    "Die Krankenkasse hat den Antrag auf Physiotherapie endlich bewilligt, nach drei Monaten Warten.",
    "After my diagnosis I felt completely lost, but this group helped me find my feet again.",
    "Has anyone tried mindfulness courses for fatigue? My GP recommended one and I am curious.",
    "I started swimming twice a week and my balance has improved noticeably.",
    "My partner and I are learning how to talk about the bad days without blaming each other.",
    "Sleep is my biggest problem at the moment; any routines that worked for you?",
    "The new guidelines were discussed at the patient day, see [the summary](https://example.org/guidelines).",
    "> Wer hat Tipps für lange Autofahrten?\n\nPausen alle zwei Stunden und genug trinken.",
    "- Tagebuch führen\n- Termine bündeln\n- Pausen einplanen",
];

struct Body {
    body: String,
    html: String,
    text: String,
}

fn bodies() -> Vec<Body> {
    let no_mentions = |_: &str| None;
    let mut out = Vec::new();
    for (i, first) in SENTENCES.iter().enumerate() {
        for second in SENTENCES.iter().skip(i % 3).step_by(5).take(3) {
            let body = format!("{first}\n\n{second}");
            let rendered = markdown::render(&body, &no_mentions);
            out.push(Body { body, html: rendered.html, text: rendered.text });
        }
    }
    out
}

/// Fills `association` with a forum of `posts` posts.
pub async fn generate(kindred: &Kindred, association: &Association, posts: u64) -> Result<(), CliError> {
    let started = std::time::Instant::now();
    let store = &kindred.store;
    let authors = store.some_active_member_ids(&association.id, 2000).await?;
    if authors.is_empty() {
        println!("{}: no active members to write posts; forum skipped", association.slug.as_str());
        return Ok(());
    }
    let mut rng = StdRng::seed_from_u64(0x5eed_f0f0);
    let bodies = bodies();
    let now = kindred.clock.now();
    let posts = posts.max(BENCH_TOPIC_POSTS);
    // Topic sizes: the benchmark topic, then topics of twenty posts.
    let mut sizes = vec![BENCH_TOPIC_POSTS];
    let mut left = posts - BENCH_TOPIC_POSTS;
    while left > 0 {
        let size = left.min(POSTS_PER_TOPIC);
        sizes.push(size);
        left -= size;
    }
    // Every topic starts at a point in the last two years and gets a post
    // every ten minutes; the benchmark topic is the most recent.
    let span_minutes = 2 * 365 * 24 * 60_i64;
    let topics: Vec<(TopicId, usize, u64, DateTime<Utc>)> = sizes
        .iter()
        .enumerate()
        .map(|(i, &size)| {
            let start = if i == 0 {
                now - Duration::days(3)
            } else {
                now - Duration::minutes(rng.gen_range(span_minutes / 100..span_minutes))
            };
            (TopicId::random(), i % CATEGORIES, size, start)
        })
        .collect();
    let last_at = |start: DateTime<Utc>, size: u64| start + Duration::minutes(10 * (size as i64 - 1));

    let mut categories: Vec<NewCategory> = CATEGORY_NAMES
        .iter()
        .enumerate()
        .map(|(i, name)| NewCategory {
            id: CategoryId::random().to_string(),
            name: (*name).to_owned(),
            description: format!("{name} — Austausch und Fragen"),
            position: i as i32,
            topic_count: 0,
            post_count: 0,
            last_post_at: None,
        })
        .collect();
    for (_, category, size, start) in &topics {
        let c = &mut categories[*category];
        c.topic_count += 1;
        c.post_count += *size as i32;
        let last = last_at(*start, *size);
        c.last_post_at = Some(c.last_post_at.map_or(last, |at| at.max(last)));
    }
    store.insert_categories_fresh(&association.id, &categories, now).await?;

    let new_topics: Vec<NewTopic> = topics
        .iter()
        .enumerate()
        .map(|(i, (id, category, size, start))| NewTopic {
            id: id.to_string(),
            category_id: categories[*category].id.clone(),
            title: if i == 0 {
                BENCH_TOPIC_TITLE.to_owned()
            } else {
                format!("Erfahrungen {i}: {}", CATEGORY_NAMES[*category])
            },
            author_id: authors[i % authors.len()].clone(),
            created_at: *start,
            last_post_at: last_at(*start, *size),
            post_count: *size as i32,
        })
        .collect();
    for chunk in new_topics.chunks(FLUSH) {
        store.insert_topics_fresh(&association.id, chunk).await?;
    }

    let mut batch: Vec<NewPost> = Vec::with_capacity(FLUSH);
    let mut written = 0_u64;
    for (t, (id, _, size, start)) in topics.iter().enumerate() {
        for number in 1..=*size {
            let body = &bodies[rng.gen_range(0..bodies.len())];
            batch.push(NewPost {
                id: PostId::random().to_string(),
                topic_id: id.to_string(),
                number: number as i32,
                author_id: authors[rng.gen_range(0..authors.len())].clone(),
                body: body.body.clone(),
                html: body.html.clone(),
                text: body.text.clone(),
                title: if number == 1 { new_topics[t].title.clone() } else { String::new() },
                created_at: *start + Duration::minutes(10 * (number as i64 - 1)),
            });
            if batch.len() == FLUSH {
                store.insert_posts_fresh(&association.id, &batch).await?;
                written += batch.len() as u64;
                batch.clear();
                if written.is_multiple_of(200_000) {
                    println!("  {written} posts ({:.0} s)", started.elapsed().as_secs_f64());
                }
            }
        }
    }
    store.insert_posts_fresh(&association.id, &batch).await?;
    written += batch.len() as u64;
    println!(
        "{}: forum with {} categories, {} topics, {written} posts in {:.1} s",
        association.slug.as_str(),
        categories.len(),
        topics.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
