//! Demo and benchmark data. The demo association is built from the MS
//! society example that ships in `examples/`, embedded in the binary.

use crate::error::CliError;
use chrono::Duration;
use kindred_domain::{AccountRole, AccountStatus, EmailAddress, MemberId, Password, Pseudonym};
use kindred_service::accounts::AddUser;
use kindred_service::association_config::{self, ConfigError};
use kindred_service::{Association, Kindred};
use kindred_store::NewMember;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::net::SocketAddr;

const MS_EXAMPLE: &str = include_str!("../../../examples/ms-society.toml");
const MS_LOGO: &[u8] = include_bytes!("../../../examples/ms-society-logo.svg");

/// The password of every demo account. The demo is for trying Kindred out
/// on one's own machine, never for real members.
pub const DEMO_PASSWORD: &str = "kindred-demo-2026";
pub const DEMO_SLUG: &str = "demo";
/// How many ordinary members the demo association gets.
pub const DEMO_MEMBERS: usize = 240;

/// Staff and sample accounts whose logins `kindred demo` prints.
const DEMO_LOGINS: [(&str, &str, &str); 5] = [
    ("admin@demo.kindred.invalid", "Vorstand Petra", "admin"),
    (
        "moderator@demo.kindred.invalid",
        "Gruppenleiter Jonas",
        "moderator",
    ),
    (
        "neurologin@demo.kindred.invalid",
        "Dr. Lena Berg",
        "professional",
    ),
    ("mira@demo.kindred.invalid", "Mira am Meer", "member"),
    ("tom@demo.kindred.invalid", "Tom aus Köln", "member"),
];

async fn create_from_example(
    kindred: &Kindred,
    slug: &str,
    name: &str,
) -> Result<Association, CliError> {
    let raw = association_config::parse_toml(MS_EXAMPLE, "examples/ms-society.toml")?;
    let settings = association_config::build(raw, Some(name))?;
    let logo = association_config::check_logo(MS_LOGO.to_vec(), "branding.logo")?;
    Ok(kindred
        .create_association(slug, settings, Some(logo))
        .await?)
}

/// Creates the demo association with its members, unless it exists.
pub async fn ensure_demo(kindred: &Kindred) -> Result<(), CliError> {
    if kindred.association(DEMO_SLUG).await?.is_some() {
        return Ok(());
    }
    eprintln!("Creating the demo association …");
    let association =
        create_from_example(kindred, DEMO_SLUG, "MS-Selbsthilfe Weggefährten (Demo)").await?;
    for (email, pseudonym, role) in DEMO_LOGINS {
        kindred
            .add_user(
                &association,
                AddUser {
                    email,
                    pseudonym,
                    password: DEMO_PASSWORD,
                    role,
                },
            )
            .await?;
    }
    add_members(kindred, &association, DEMO_MEMBERS, "demo", 2026).await?;
    Ok(())
}

pub fn print_logins(bind: SocketAddr) {
    println!("Kindred demo: http://{bind}/a/{DEMO_SLUG}/");
    println!("Demo logins (password for all: {DEMO_PASSWORD}):");
    for (email, pseudonym, role) in DEMO_LOGINS {
        println!("  {role:<13} {email:<34} {pseudonym}");
    }
}

const FIRST: [&str; 24] = [
    "Sonnen", "Wald", "Rhein", "Elb", "Berg", "Regen", "Nord", "Sturm", "Lichter", "Morgen",
    "Stern", "Linden", "Heide", "Dünen", "Tulpen", "Polder", "Kanal", "Harbour", "River", "Maple",
    "Willow", "Meadow", "Amber", "Lark",
];
const SECOND: [&str; 20] = [
    "blume",
    "läuferin",
    "welle",
    "wanderer",
    "kind",
    "tag",
    "licht",
    "schritt",
    "herz",
    "vogel",
    "fuchs",
    "weg",
    "wind",
    "stein",
    "rose",
    "hope",
    "walker",
    "song",
    "field",
    "brook",
];

/// Adds `count` ordinary members with varied pseudonyms, roles, languages
/// and join dates. One password hash is shared: hashing thousands of demo
/// passwords would only burn time.
async fn add_members(
    kindred: &Kindred,
    association: &Association,
    count: usize,
    email_tag: &str,
    seed: u64,
) -> Result<(), CliError> {
    let password = Password::parse(DEMO_PASSWORD).map_err(|e| CliError::Input(e.to_string()))?;
    let hash = kindred
        .passwords
        .hash(&password)
        .await
        .map_err(|e| CliError::Input(e.to_string()))?;
    let mut rng = StdRng::seed_from_u64(seed);
    let now = kindred.clock.now();
    let mut batch = Vec::with_capacity(1000);
    for n in 0..count {
        let pseudonym = format!(
            "{}{}{}",
            FIRST[rng.gen_range(0..FIRST.len())],
            SECOND[rng.gen_range(0..SECOND.len())],
            // The number keeps pseudonyms unique; real members choose freely.
            if rng.gen_bool(0.5) {
                format!(" {n}")
            } else {
                format!("_{n}")
            }
        );
        let role = match rng.gen_range(0..100) {
            0..=1 => AccountRole::Professional,
            2..=3 => AccountRole::Moderator,
            _ => AccountRole::Member,
        };
        let status = match rng.gen_range(0..100) {
            0..=3 => AccountStatus::Unverified,
            4 => AccountStatus::Suspended,
            _ => AccountStatus::Active,
        };
        let invalid = |what: String| {
            CliError::Config(ConfigError {
                setting: "demo data".into(),
                problem: what,
            })
        };
        batch.push(NewMember {
            id: MemberId::random(),
            association_id: association.id.clone(),
            email: EmailAddress::parse(&format!("member{n}@{email_tag}.kindred.invalid"))
                .map_err(|e| invalid(e.to_string()))?,
            pseudonym: Pseudonym::parse(&pseudonym)
                .map_err(|e| invalid(format!("{pseudonym}: {e}")))?,
            password_hash: hash.clone(),
            role,
            status,
            created_at: now - Duration::minutes(rng.gen_range(0..3 * 365 * 24 * 60)),
        });
        if batch.len() == 1000 {
            kindred.store.insert_members(&batch).await?;
            batch.clear();
        }
    }
    if !batch.is_empty() {
        kindred.store.insert_members(&batch).await?;
    }
    Ok(())
}

/// Benchmark data: associations `bench-1` … `bench-N`, each with `members` members.
pub async fn generate(kindred: &Kindred, associations: u32, members: u32) -> Result<(), CliError> {
    for i in 1..=associations {
        let slug = format!("bench-{i}");
        if kindred.association(&slug).await?.is_some() {
            println!("{slug} exists; skipped");
            continue;
        }
        let association =
            create_from_example(kindred, &slug, &format!("Benchmark association {i}")).await?;
        add_members(kindred, &association, members as usize, &slug, u64::from(i)).await?;
        println!("{slug}: {members} members");
    }
    Ok(())
}
