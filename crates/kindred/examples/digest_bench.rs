//! Digest benchmark (`scripts/bench --digest`): one association with N
//! members (default 100,000), each with pending forum notifications — two
//! replies and a mention in a topic they follow, written two days ago, so
//! every member's daily digest is due — then one run of the
//! `notification-digests` job, timed: each member's notifications are
//! decided, checked against what the member may still see, claimed and
//! mailed as one neutral digest to the outbox (one file per mail).
//!
//! The members are spread over time zones (a third in Pacific/Auckland, a
//! third in America/New_York, the rest in the association's Europe/Berlin),
//! so the digest times are computed per member as in production. Members
//! and notifications are written with multi-row INSERTs (store::bulk); no
//! profiles, contacts or passwords beyond one shared hash.
//!
//! The run happens in this process, on a fresh SQLite database in a
//! temporary directory or on `--postgres URL` (an empty database: the
//! script drops and creates it). A second run right after is timed too: it
//! finds nothing to send (what the job costs every ten minutes).
//!
//! Usage: cargo run --release -p kindred --example digest_bench -- \
//!          [--members 100000] [--postgres URL] [--keep]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{Duration, Utc};
use kindred::config::{FileConfig, Overrides, Settings};
use kindred::server;
use kindred_domain::{
    AccountRole, AccountStatus, CategoryId, EmailAddress, MemberId, NotificationId, Password, PostId, Pseudonym,
    TopicId,
};
use kindred_service::jobs::{self, Outcome};
use kindred_store::{NewCategory, NewMember, NewPost, NewTopic, PostNotification};
use std::time::Instant;

struct Args {
    members: usize,
    postgres: Option<String>,
    keep: bool,
}

fn args() -> Args {
    let mut a = Args { members: 100_000, postgres: None, keep: false };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--members" => a.members = it.next().unwrap_or_default().parse().expect("--members N"),
            "--postgres" => a.postgres = Some(it.next().expect("--postgres URL")),
            "--keep" => a.keep = true,
            other => panic!("unknown option {other}"),
        }
    }
    a
}

/// Members written per transaction.
const BATCH: usize = 5_000;

#[tokio::main]
async fn main() {
    let args = args();
    let dir = std::env::temp_dir().join(format!("kindred-digest-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("data dir");
    let database_url = args.postgres.clone().unwrap_or_else(|| format!("sqlite://{}/kindred.db", dir.display()));
    let overrides = Overrides {
        data_dir: Some(dir.clone()),
        database_url: Some(database_url.clone()),
        bind: Some("127.0.0.1:0".into()),
        master_key: None,
    };
    let file: FileConfig = toml::from_str("").expect("file config");
    let settings = Settings::resolve(overrides, file).expect("settings");
    let kindred = server::open(&settings).await.expect("open");
    let raw = kindred_service::association_config::parse_toml("", "bench.toml").expect("toml");
    let parsed = kindred_service::association_config::build(raw, Some("Digest bench")).expect("settings");
    let association = kindred.create_association("digest", parsed, None).await.expect("association");
    let store = &kindred.store;
    let now = Utc::now();
    let written_at = now - Duration::days(2);

    // Members, in the order of their ids.
    let started = Instant::now();
    let password = Password::parse("digest bench password 2026").expect("password");
    let hash = kindred.passwords.hash(&password).await.expect("hash");
    let mut ids: Vec<MemberId> = (0..args.members).map(|_| MemberId::random()).collect();
    ids.sort();
    for (chunk_no, chunk) in ids.chunks(BATCH).enumerate() {
        let members: Vec<NewMember> = chunk
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let n = chunk_no * BATCH + i;
                let pseudonym = Pseudonym::parse(&format!("Digest Member {n}")).expect("pseudonym");
                NewMember {
                    id: id.clone(),
                    association_id: association.id.clone(),
                    email: EmailAddress::parse(&format!("member{n}@digest.kindred.invalid")).expect("email"),
                    pseudonym_terms: kindred.pseudonym_terms(&association.id, &pseudonym).expect("terms"),
                    pseudonym,
                    password_hash: hash.clone(),
                    role: AccountRole::Member,
                    status: AccountStatus::Active,
                    discoverable: true,
                    created_at: written_at - Duration::days(30),
                }
            })
            .collect();
        store.insert_members_fresh(&members).await.expect("members");
    }
    let third = args.members / 3;
    if third > 0 {
        let last = MemberId::from_trusted("z".repeat(26));
        store.set_time_zone_between(&association.id, &ids[0], &ids[third], "Pacific/Auckland").await.expect("zone");
        let to = ids.get(2 * third).unwrap_or(&last);
        store.set_time_zone_between(&association.id, &ids[third], to, "America/New_York").await.expect("zone");
    }
    let members_took = started.elapsed();

    // One topic in a category, its first post by the first member and three
    // replies by the second; every member follows it.
    let started = Instant::now();
    let category = NewCategory {
        id: CategoryId::random().to_string(),
        name: "Alltag".into(),
        description: "Austausch".into(),
        position: 0,
        topic_count: 1,
        post_count: 4,
        last_post_at: Some(written_at),
    };
    store.insert_categories_fresh(&association.id, std::slice::from_ref(&category), now).await.expect("category");
    let topic = TopicId::random().to_string();
    let author = |n: usize| ids[n.min(ids.len() - 1)].to_string();
    store
        .insert_topics_fresh(
            &association.id,
            &[NewTopic {
                id: topic.clone(),
                category_id: category.id.clone(),
                title: "Hitze im Sommer".into(),
                author_id: author(0),
                created_at: written_at - Duration::hours(1),
                last_post_at: written_at,
                post_count: 4,
            }],
        )
        .await
        .expect("topic");
    let posts: Vec<NewPost> = (1..=4)
        .map(|number| NewPost {
            id: PostId::random().to_string(),
            topic_id: topic.clone(),
            number,
            author_id: author(if number == 1 { 0 } else { 1 }),
            body: format!("Beitrag {number}"),
            html: format!("<p>Beitrag {number}</p>"),
            text: format!("Beitrag {number}"),
            title: if number == 1 { "Hitze im Sommer".into() } else { String::new() },
            created_at: written_at - Duration::minutes(i64::from(4 - number)),
        })
        .collect();
    store.insert_posts_fresh(&association.id, &posts).await.expect("posts");
    let mut notifications = Vec::with_capacity(BATCH * 3);
    let mut written = 0;
    for id in &ids {
        for (post, kind) in [(1, "reply"), (2, "reply"), (3, "mention")] {
            notifications.push(PostNotification {
                id: NotificationId::random().to_string(),
                member_id: id.to_string(),
                kind,
                topic_id: Some(topic.clone()),
                post_id: Some(posts[post].id.clone()),
                actor_label: Some("Digest Member 1".into()),
                detail: None,
                at: posts[post].created_at,
            });
        }
        if notifications.len() >= BATCH * 3 {
            store.insert_notifications(&association.id, &notifications).await.expect("notifications");
            written += notifications.len();
            notifications.clear();
        }
    }
    store.insert_notifications(&association.id, &notifications).await.expect("notifications");
    written += notifications.len();
    let notifications_took = started.elapsed();
    store.analyze_all().await.expect("analyze");
    println!(
        "data: {} members in {:.1} s, {written} notifications in {:.1} s ({})",
        args.members,
        members_took.as_secs_f64(),
        notifications_took.as_secs_f64(),
        if args.postgres.is_some() { "PostgreSQL" } else { "SQLite" },
    );

    // The job, as the scheduler runs it.
    let digests = jobs::all().into_iter().find(|job| job.name == "notification-digests").expect("the job");
    let started = Instant::now();
    let outcome = jobs::run_once(&kindred, &digests, "bench").await.expect("run");
    let took = started.elapsed();
    let Outcome::Ran(sent) = outcome else { panic!("the job did not run: {outcome:?}") };
    let mails = std::fs::read_dir(dir.join("outbox"))
        .map(|d| d.filter_map(Result::ok).filter(|e| e.path().extension().is_some_and(|x| x == "eml")).count())
        .unwrap_or(0);
    println!(
        "digest run: {sent} mails sent ({mails} files in the outbox) in {:.1} s — {:.0} members/s, {:.2} ms per member",
        took.as_secs_f64(),
        sent as f64 / took.as_secs_f64(),
        took.as_secs_f64() * 1000.0 / args.members.max(1) as f64
    );
    assert_eq!(sent as usize, args.members, "one digest per member");
    let started = Instant::now();
    let again = jobs::run_once(&kindred, &digests, "bench").await.expect("run");
    println!("second run (nothing due): {again:?} in {:.2} s", started.elapsed().as_secs_f64());
    assert_eq!(again, Outcome::Ran(0), "nothing twice");

    kindred.store.close().await;
    if args.keep {
        println!("data kept in {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
}
