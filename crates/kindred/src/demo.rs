//! Demo and benchmark data. The demo association is built from the MS
//! society example that ships in `examples/`, embedded in the binary.

use crate::error::CliError;
use chrono::{DateTime, Datelike, Duration, Months, Utc};
use kindred_domain::profile::FieldValue;
use kindred_domain::settings::SecondFactorRule;
use kindred_domain::settings::{AssociationSettings, CatalogEntry, Code, DataRules, ProfileField};
use kindred_domain::{
    AccountRole, AccountStatus, EmailAddress, Language, Level, MemberId, Password, Pseudonym, Visibility,
};
use kindred_service::accounts::{AddUser, CONSENT_TERMS};
use kindred_service::association_config::{self, ConfigError};
use kindred_service::profiles::ProfileEntry;
use kindred_service::profiles::{HEALTH_CONSENT, HEALTH_CONSENT_VERSION};
use kindred_service::sessions::{Caller, SessionKind};
use kindred_service::{Association, Kindred};
use kindred_store::{NewConsent, NewContact, NewMember, NewProfileValue, StoredValue};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashSet;
use std::net::SocketAddr;

const MS_EXAMPLE: &str = include_str!("../../../examples/ms-society.toml");
const MS_LOGO: &[u8] = include_bytes!("../../../examples/ms-society-logo.svg");

/// The password of every demo account. The demo is for trying Kindred out
/// on one's own machine, never for real members.
pub const DEMO_PASSWORD: &str = "kindred-demo-2026";
pub const DEMO_SLUG: &str = "demo";
/// How many ordinary members the demo association gets.
pub const DEMO_MEMBERS: usize = 240;

const ADMIN: &str = "admin@demo.kindred.invalid";
const MODERATOR: &str = "moderator@demo.kindred.invalid";
const DOCTOR: &str = "neurologin@demo.kindred.invalid";
const MIRA: &str = "mira@demo.kindred.invalid";
const TOM: &str = "tom@demo.kindred.invalid";

/// Staff and sample accounts whose logins `kindred demo` prints.
const DEMO_LOGINS: [(&str, &str, &str); 5] = [
    (ADMIN, "Vorstand Petra", "admin"),
    (MODERATOR, "Gruppenleiter Jonas", "moderator"),
    (DOCTOR, "Dr. Lena Berg", "professional"),
    (MIRA, "Mira am Meer", "member"),
    (TOM, "Tom aus Köln", "member"),
];

/// Contacts among the sample accounts, one direction each: the first placed
/// the second on a level. Mira's profile therefore looks different to the
/// moderator (level 4), the neurologist (level 2) and Tom (no contact; Mira
/// and Tom are left for trying contact requests, as the browser tests do).
const DEMO_CONTACTS: [(&str, &str, i32); 8] = [
    (MIRA, MODERATOR, 4),
    (MODERATOR, MIRA, 3),
    (MIRA, DOCTOR, 2),
    (DOCTOR, MIRA, 2),
    (TOM, DOCTOR, 3),
    (DOCTOR, TOM, 2),
    (ADMIN, MODERATOR, 3),
    (MODERATOR, ADMIN, 3),
];

/// Ordinary members each sample account has as contacts.
const DEMO_CONTACTS_EACH: usize = 4;

/// People who registered and wait for the association: pseudonym, language,
/// how they asked to be verified.
const DEMO_WAITING: [(&str, &str, &str); 6] = [
    ("Neu hier Sandra", "de", "manual"),
    ("Klaas uit Delft", "nl", "letter"),
    ("Angehörige Birgit", "de", "manual"),
    ("Frischling Ole", "de", "none"),
    ("Ruth from Leeds", "en", "letter"),
    ("Marco Nachtschicht", "de", "manual"),
];

/// Entries of the demo's member list, so that verification by member
/// number can be tried: (member number, postcode, birth date).
pub const DEMO_MEMBER_LIST: [(&str, &str, &str); 3] =
    [("DMSG-1001", "10115", "1970-03-02"), ("DMSG-1002", "50667", "1985-12-24"), ("DMSG-1003", "20095", "1962-07-15")];

async fn create_from_example(kindred: &Kindred, slug: &str, name: &str) -> Result<Association, CliError> {
    let raw = association_config::parse_toml(MS_EXAMPLE, "examples/ms-society.toml")?;
    let mut settings = association_config::build(raw, Some(name))?;
    // The example asks staff for a second factor; the demo's printed
    // logins must work at once, so the demo does not.
    settings.admission.second_factor = SecondFactorRule::None;
    let logo = association_config::check_logo(MS_LOGO.to_vec(), "branding.logo")?;
    Ok(kindred.create_association(slug, settings, Some(logo)).await?)
}

/// Creates the demo association with its members, unless it exists.
pub async fn ensure_demo(kindred: &Kindred) -> Result<(), CliError> {
    if kindred.association(DEMO_SLUG).await?.is_some() {
        return Ok(());
    }
    eprintln!("Creating the demo association …");
    let association = create_from_example(kindred, DEMO_SLUG, "MS-Selbsthilfe Weggefährten (Demo)").await?;
    let mut rng = StdRng::seed_from_u64(7);
    let current_year = kindred.clock.now().year();
    let failed = |e: &dyn std::fmt::Display| CliError::Input(format!("demo profile: {e}"));
    let mut logins = Vec::with_capacity(DEMO_LOGINS.len());
    for (email, pseudonym, role) in DEMO_LOGINS {
        let id = kindred.add_user(&association, AddUser { email, pseudonym, password: DEMO_PASSWORD, role }).await?;
        let entries = if email == MIRA {
            mira_profile().map_err(|e| failed(&e))?
        } else {
            demo_profile(&mut rng, &association.settings, current_year)
        };
        let rows = kindred.seal_profile(&association, &id, &entries).map_err(|e| failed(&e))?;
        // Health values need the consent a real member gives on her profile page.
        if holds_health_data(&rows) {
            kindred.record_health_consent(&association, &id).await?;
        }
        // The sample accounts can be found, so that search can be tried with them.
        kindred.store.write_profile(&rows, Some((&association.id, &id, true))).await?;
        logins.push((email, id));
    }
    let members = add_members(kindred, &association, DEMO_MEMBERS, "demo", 2026).await?;
    add_demo_contacts(kindred, &association, &logins, &members).await?;
    add_staff_details(kindred, &association).await?;
    add_waiting(kindred, &association).await?;
    let id_of = |email: &str| {
        logins.iter().find(|(e, _)| *e == email).map(|(_, id)| id).ok_or_else(|| failed(&"a sample account"))
    };
    let cast = crate::demo_forum::Cast {
        admin: id_of(ADMIN)?,
        moderator: id_of(MODERATOR)?,
        doctor: id_of(DOCTOR)?,
        mira: id_of(MIRA)?,
        tom: id_of(TOM)?,
    };
    crate::demo_forum::add_forum(kindred, &association, &cast).await?;
    Ok(())
}

/// Whether profile rows hold a health value (those are the sealed ones),
/// which needs the member's recorded consent.
fn holds_health_data(rows: &[NewProfileValue]) -> bool {
    rows.iter().any(|row| matches!(row.value, Some(StoredValue::Sealed(_))))
}

/// Mira's profile: fields on every level, so that each contact level shows
/// a little more of her (Community: role, condition, region; level 2: type
/// of MS, diagnosis, therapies, about; level 3: medication, town, birth
/// year; level 4: her real name).
fn mira_profile() -> Result<Vec<ProfileEntry>, kindred_domain::settings::CodeError> {
    let code = Code::parse;
    let on = |n: i64| Level::from_number(n).map_or(Visibility::Private, Visibility::Level);
    let text = |t: &str| FieldValue::Text(t.to_owned());
    Ok(vec![
        ProfileEntry { field: code("role")?, value: FieldValue::Code(code("patient")?), visibility: on(1) },
        ProfileEntry { field: code("condition")?, value: FieldValue::Code(code("ms")?), visibility: on(1) },
        ProfileEntry { field: code("region")?, value: FieldValue::Code(code("sh")?), visibility: on(1) },
        ProfileEntry { field: code("condition_form")?, value: FieldValue::Code(code("rrms")?), visibility: on(2) },
        ProfileEntry { field: code("diagnosis_year")?, value: FieldValue::Year(2019), visibility: on(2) },
        ProfileEntry {
            field: code("therapies")?,
            value: FieldValue::Codes(vec![code("disease_modifying")?, code("physiotherapy")?]),
            visibility: on(2),
        },
        ProfileEntry {
            field: code("about")?,
            value: text(
                "Ich wohne an der Ostsee und gehe fast jeden Morgen am Strand spazieren. Fragt mich gern nach Reha.",
            ),
            visibility: on(2),
        },
        ProfileEntry {
            field: code("medications")?,
            value: FieldValue::Codes(vec![code("ocrelizumab")?]),
            visibility: on(3),
        },
        ProfileEntry { field: code("city")?, value: text("Kiel"), visibility: on(3) },
        ProfileEntry { field: code("birth_year")?, value: FieldValue::Year(1988), visibility: on(3) },
        ProfileEntry { field: code("real_name")?, value: text("Mira Jensen"), visibility: on(4) },
    ])
}

/// Contacts among the sample accounts (`DEMO_CONTACTS`), and with a few
/// ordinary members each, at varied levels in both directions.
async fn add_demo_contacts(
    kindred: &Kindred,
    association: &Association,
    logins: &[(&str, MemberId)],
    members: &[Generated],
) -> Result<(), CliError> {
    let now = kindred.clock.now();
    let id_of = |email: &str| logins.iter().find(|(e, _)| *e == email).map(|(_, id)| id.clone());
    let contact = |owner: MemberId, contact: MemberId, level: i32, days: i64| NewContact {
        association_id: association.id.clone(),
        owner_id: owner,
        contact_id: contact,
        level,
        created_at: now - Duration::days(days),
    };
    let mut contacts = Vec::new();
    for (i, (owner, other, level)) in DEMO_CONTACTS.into_iter().enumerate() {
        if let (Some(owner), Some(other)) = (id_of(owner), id_of(other)) {
            contacts.push(contact(owner, other, level, 30 + i as i64));
        }
    }
    let mut ordinary = members.iter().filter(|m| m.active);
    for (n, (_, login)) in logins.iter().enumerate() {
        for k in 0..DEMO_CONTACTS_EACH {
            let Some(member) = ordinary.next() else { break };
            let days = 5 + 11 * k as i64;
            contacts.push(contact(login.clone(), member.id.clone(), 1 + ((n + k) % 4) as i32, days));
            contacts.push(contact(member.id.clone(), login.clone(), 1 + ((n + 2 * k + 1) % 4) as i32, days));
        }
    }
    kindred.store.insert_contacts_fresh(&contacts).await?;
    Ok(())
}

/// The professional's badge, and the member list (uploaded by the admin).
async fn add_staff_details(kindred: &Kindred, association: &Association) -> Result<(), CliError> {
    let failed = |e: &dyn std::fmt::Display| CliError::Input(format!("demo staff: {e}"));
    let pseudonym = |p: &str| Pseudonym::parse(p).map_err(|e| failed(&e));
    if let Some(doctor) = kindred.store.member_by_pseudonym(&association.id, &pseudonym("Dr. Lena Berg")?).await? {
        let id = MemberId::from_trusted(doctor.id);
        kindred.store.set_role(&association.id, &id, AccountRole::Professional, Some("Neurologin")).await?;
    }
    let admin = kindred.store.member_by_pseudonym(&association.id, &pseudonym("Vorstand Petra")?).await?;
    let admin = admin.ok_or_else(|| failed(&"the admin is missing"))?;
    let admin = kindred.member(association, &admin.id).await?.ok_or_else(|| failed(&"the admin is missing"))?;
    let caller =
        Caller { member: admin, session_id: String::new(), kind: SessionKind::Api, second_factor_pending: false };
    let mut csv = String::from("member_number,postcode,birth_date\n");
    for (number, postcode, birth) in DEMO_MEMBER_LIST {
        csv.push_str(&format!("{number},{postcode},{birth}\n"));
    }
    kindred.import_member_list(association, &caller, &csv).await.map_err(|e| failed(&e))?;
    Ok(())
}

/// Registrants whose e-mail is confirmed and who wait for verification:
/// the staff's queue.
async fn add_waiting(kindred: &Kindred, association: &Association) -> Result<(), CliError> {
    let failed = |e: &dyn std::fmt::Display| CliError::Input(format!("demo registrants: {e}"));
    let password = Password::parse(DEMO_PASSWORD).map_err(|e| failed(&e))?;
    let hash = kindred.passwords.hash(&password).await.map_err(|e| failed(&e))?;
    for (i, (pseudonym, language, procedure)) in DEMO_WAITING.into_iter().enumerate() {
        let id = MemberId::random();
        let at = kindred.clock.now() - Duration::hours(60 - 9 * i as i64);
        let email = EmailAddress::parse(&format!("waiting{}@demo.kindred.invalid", i + 1)).map_err(|e| failed(&e))?;
        let pseudonym = Pseudonym::parse(pseudonym).map_err(|e| failed(&e))?;
        let new = NewMember {
            id: id.clone(),
            association_id: association.id.clone(),
            email,
            pseudonym_terms: kindred.pseudonym_terms(&association.id, &pseudonym).map_err(|e| failed(&e))?,
            pseudonym,
            password_hash: hash.clone(),
            role: AccountRole::Member,
            status: AccountStatus::EmailUnconfirmed,
            discoverable: false,
            created_at: at,
        };
        let terms = &association.settings.admission.terms_version;
        kindred.store.register_member(&new, language, CONSENT_TERMS, terms, "demo: no decoy password").await?;
        kindred.store.confirm_email(&association.id, &id, at + Duration::minutes(7)).await?;
        let member = kindred.member(association, id.as_str()).await?.ok_or_else(|| failed(&"vanished"))?;
        match procedure {
            "manual" => kindred.request_manual(association, &member).await.map_err(|e| failed(&e))?,
            "letter" => {
                let (name, street, postcode, city) = if language == "nl" {
                    ("Klaas Visser", "Oude Delft 12", "2611 CD", "Delft")
                } else {
                    ("Ruth Abbott", "12 Park Lane", "LS1 4AB", "Leeds")
                };
                kindred
                    .request_letter(association, &member, name, street, postcode, city)
                    .await
                    .map_err(|e| failed(&e))?
            }
            _ => {}
        }
    }
    Ok(())
}

pub fn print_logins(bind: SocketAddr) {
    println!("Kindred demo: http://{bind}/a/{DEMO_SLUG}/");
    println!("Demo logins (password for all: {DEMO_PASSWORD}):");
    for (email, pseudonym, role) in DEMO_LOGINS {
        println!("  {role:<13} {email:<34} {pseudonym}");
    }
    println!(
        "Waiting for verification (same password): waiting1@ … waiting{}@demo.kindred.invalid",
        DEMO_WAITING.len()
    );
    println!("Contacts: Mira am Meer placed moderator@ on level 4, neurologin@ on level 2, tom@ on none;");
    println!("  sign in as each and compare her profile: http://{bind}/a/{DEMO_SLUG}/members?q=mira");
    println!(
        "Messages: Mira writes with moderator@, in the chats of the Kiel group and of \"Offene Worte\" (by alias),"
    );
    println!("  and has a request from tom@: http://{bind}/a/{DEMO_SLUG}/messages");
    println!("Member list entries to verify with (number, postcode, birth date):");
    for (number, postcode, birth) in DEMO_MEMBER_LIST {
        println!("  {number}  {postcode}  {birth}");
    }
    println!("Mail is written to the outbox folder in the data directory.");
}

const FIRST: [&str; 24] = [
    "Sonnen", "Wald", "Rhein", "Elb", "Berg", "Regen", "Nord", "Sturm", "Lichter", "Morgen", "Stern", "Linden",
    "Heide", "Dünen", "Tulpen", "Polder", "Kanal", "Harbour", "River", "Maple", "Willow", "Meadow", "Amber", "Lark",
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
const REAL_NAMES: [&str; 12] = [
    "Sabine Krüger",
    "Thomas Becker",
    "Aylin Demir",
    "Jan de Vries",
    "Maria Schmidt",
    "Lukas Wagner",
    "Fatma Yilmaz",
    "Anke Jansen",
    "Peter Hoffmann",
    "Noor Bakker",
    "Claudia Weber",
    "Mehmet Kaya",
];
const CITIES_DE: [&str; 10] =
    ["Hamburg", "Köln", "Leipzig", "Freiburg", "Kiel", "Bielefeld", "Erfurt", "Rostock", "Mainz", "Ulm"];
const CITIES_NL: [&str; 8] = ["Utrecht", "Zwolle", "Groningen", "Eindhoven", "Leiden", "Arnhem", "Maastricht", "Delft"];
const ABOUT_DE: [&str; 5] = [
    "Diagnose vor ein paar Jahren, seitdem lerne ich jeden Tag dazu. Ich suche Austausch über Fatigue und Arbeit.",
    "Ich gehe gern spazieren, wenn die Beine mitmachen, und freue mich über Tipps zur Reha.",
    "Mutter von zwei Kindern, Teilzeit im Büro. Wie erklärt ihr es euren Kindern?",
    "Seit der Umstellung der Therapie geht es mir besser. Fragt mich gern nach meinen Erfahrungen.",
    "Angehörige: mein Mann hat die Diagnose. Ich möchte verstehen, wie ich ihn gut unterstützen kann.",
];
const ABOUT_NL: [&str; 4] = [
    "Sinds de diagnose probeer ik actief te blijven. Ik zoek mensen om ervaringen mee te delen.",
    "Mantelzorger voor mijn moeder. Tips over hulpmiddelen zijn welkom.",
    "Ik fiets nog elke dag, al gaat het langzamer. Wie doet mee aan de beweeggroep?",
    "Net gediagnosticeerd en nog veel vragen. Fijn dat deze plek bestaat.",
];

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> Option<&'a T> {
    if items.is_empty() {
        None
    } else {
        items.get(rng.gen_range(0..items.len()))
    }
}

/// Some distinct codes from a catalogue list.
fn some_codes(rng: &mut StdRng, entries: &[CatalogEntry], max: usize) -> Vec<Code> {
    let mut codes: Vec<Code> = Vec::new();
    for _ in 0..rng.gen_range(0..=max) {
        if let Some(entry) = pick(rng, entries) {
            if !codes.contains(&entry.code) {
                codes.push(entry.code.clone());
            }
        }
    }
    codes
}

/// Like `some_codes`, but earlier entries are much more common than later
/// ones (the smaller of two draws): of 24 medications the first is drawn
/// 47 times as often as the last, as with rarely prescribed drugs.
fn skewed_codes(rng: &mut StdRng, entries: &[CatalogEntry], max: usize) -> Vec<Code> {
    let mut codes: Vec<Code> = Vec::new();
    if entries.is_empty() {
        return codes;
    }
    for _ in 0..rng.gen_range(0..=max) {
        let index = rng.gen_range(0..entries.len()).min(rng.gen_range(0..entries.len()));
        if let Some(entry) = entries.get(index) {
            if !codes.contains(&entry.code) {
                codes.push(entry.code.clone());
            }
        }
    }
    codes
}

/// Half of the members keep the association's default; the others choose
/// something between the field's minimum and private.
fn visibility(rng: &mut StdRng, field: &ProfileField) -> Visibility {
    if rng.gen_bool(0.5) {
        return field.default_visibility;
    }
    let choices: Vec<Visibility> = Level::ALL
        .iter()
        .map(|l| Visibility::Level(*l))
        .chain([Visibility::Private])
        .filter(|v| *v >= field.min_visibility)
        .collect();
    pick(rng, &choices).copied().unwrap_or(Visibility::Private)
}

/// A realistic profile: mostly patients, some relatives and carers; the
/// catalogue decides conditions, forms, therapies and medications.
fn demo_profile(rng: &mut StdRng, settings: &AssociationSettings, current_year: i32) -> Vec<ProfileEntry> {
    let catalog = &settings.catalog;
    let dutch = settings.default_language == Language::Nl;
    let role = match rng.gen_range(0..100) {
        0..=69 => "patient",
        70..=89 => "relative",
        90..=96 => "carer",
        _ => "professional",
    };
    let role = catalog.roles.iter().find(|r| r.code.as_str() == role).or_else(|| catalog.roles.first());
    let is_patient = role.is_some_and(|r| r.code.as_str() == "patient");
    let birth_year = rng.gen_range(1948..=2004);
    let condition = if is_patient || rng.gen_bool(0.4) {
        if rng.gen_bool(0.85) {
            catalog.conditions.first()
        } else {
            pick(rng, &catalog.conditions)
        }
    } else {
        None
    };
    let form = condition.and_then(|c| {
        let weights = [2, 10, 4, 3, 2, 2];
        let total: u32 = weights.iter().take(c.forms.len()).sum();
        if total == 0 {
            return None;
        }
        let mut roll = rng.gen_range(0..total);
        c.forms
            .iter()
            .zip(weights)
            .find(|(_, w)| {
                if roll < *w {
                    true
                } else {
                    roll -= w;
                    false
                }
            })
            .map(|(f, _)| f)
    });
    let mut entries = Vec::new();
    for field in &settings.profile_fields {
        let value = match field.code.as_str() {
            "role" => role.map(|r| FieldValue::Code(r.code.clone())),
            "birth_year" => rng.gen_bool(0.7).then_some(FieldValue::Year(birth_year)),
            "region" => rng
                .gen_bool(0.8)
                .then(|| pick(rng, &catalog.regions).map(|r| FieldValue::Code(r.code.clone())))
                .flatten(),
            "city" => rng
                .gen_bool(0.4)
                .then(|| {
                    pick(rng, if dutch { &CITIES_NL[..] } else { &CITIES_DE[..] })
                        .map(|c| FieldValue::Text((*c).to_owned()))
                })
                .flatten(),
            "real_name" => {
                rng.gen_bool(0.3).then(|| pick(rng, &REAL_NAMES).map(|n| FieldValue::Text((*n).to_owned()))).flatten()
            }
            "condition" => condition.map(|c| FieldValue::Code(c.code.clone())),
            "condition_form" => form.map(|f| FieldValue::Code(f.code.clone())),
            "diagnosis_year" => condition.filter(|_| is_patient).map(|_| {
                let earliest = (birth_year + 16).min(current_year);
                FieldValue::Year(rng.gen_range(earliest..=current_year))
            }),
            "therapies" => condition.map(|_| FieldValue::Codes(some_codes(rng, &catalog.therapies, 3))),
            "medications" => {
                condition.filter(|_| is_patient).map(|_| FieldValue::Codes(skewed_codes(rng, &catalog.medications, 2)))
            }
            "about" => rng
                .gen_bool(0.4)
                .then(|| {
                    pick(rng, if dutch { &ABOUT_NL[..] } else { &ABOUT_DE[..] })
                        .map(|t| FieldValue::Text((*t).to_owned()))
                })
                .flatten(),
            _ => None,
        };
        if let Some(value) = value {
            entries.push(ProfileEntry { field: field.code.clone(), value, visibility: visibility(rng, field) });
        }
    }
    entries
}

/// A generated member, as contacts need it.
struct Generated {
    id: MemberId,
    active: bool,
}

/// Members per transaction when loading many.
const MEMBER_BATCH: usize = 2000;
/// Contact rows (one direction each) per transaction.
const CONTACT_BATCH: usize = 20_000;

/// Adds `count` ordinary members with varied pseudonyms, roles, profiles,
/// visibility choices and join dates, in batches of multi-row inserts. One
/// password hash is shared: hashing thousands of demo passwords would only
/// burn time.
async fn add_members(
    kindred: &Kindred,
    association: &Association,
    count: usize,
    email_tag: &str,
    seed: u64,
) -> Result<Vec<Generated>, CliError> {
    let password = Password::parse(DEMO_PASSWORD).map_err(|e| CliError::Input(e.to_string()))?;
    let hash = kindred.passwords.hash(&password).await.map_err(|e| CliError::Input(e.to_string()))?;
    let mut rng = StdRng::seed_from_u64(seed);
    let now = kindred.clock.now();
    let current_year = now.year();
    let invalid = |what: String| CliError::Config(ConfigError { setting: "demo data".into(), problem: what });
    // Random ids, handed out in ascending order: rows then arrive in the
    // order of the primary keys (member, then field), which keeps a large
    // load from rewriting pages all over the database. The order says
    // nothing about the members.
    let mut ids: Vec<MemberId> = (0..count).map(|_| MemberId::random()).collect();
    ids.sort();
    let join_minutes = join_span(&association.settings.data, now).num_minutes().max(1);
    let mut generated = Vec::with_capacity(count);
    let mut members = Vec::with_capacity(MEMBER_BATCH.min(count));
    let mut profiles = Vec::new();
    let mut consents = Vec::new();
    for (n, id) in ids.into_iter().enumerate() {
        let pseudonym = format!(
            "{}{}{}",
            FIRST[rng.gen_range(0..FIRST.len())],
            SECOND[rng.gen_range(0..SECOND.len())],
            // The number keeps pseudonyms unique; real members choose freely.
            if rng.gen_bool(0.5) { format!(" {n}") } else { format!("_{n}") }
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
        let entries = demo_profile(&mut rng, &association.settings, current_year);
        let rows = kindred.seal_profile(association, &id, &entries).map_err(|e| invalid(e.to_string()))?;
        if holds_health_data(&rows) {
            consents.push(NewConsent {
                association_id: association.id.clone(),
                member_id: id.clone(),
                kind: HEALTH_CONSENT.to_owned(),
                version: HEALTH_CONSENT_VERSION.to_owned(),
                given_at: now,
            });
        }
        profiles.extend(rows);
        generated.push(Generated { id: id.clone(), active: status == AccountStatus::Active });
        let pseudonym = Pseudonym::parse(&pseudonym).map_err(|e| invalid(format!("{pseudonym}: {e}")))?;
        members.push(NewMember {
            id,
            association_id: association.id.clone(),
            email: EmailAddress::parse(&format!("member{n}@{email_tag}.kindred.invalid"))
                .map_err(|e| invalid(e.to_string()))?,
            pseudonym_terms: kindred
                .pseudonym_terms(&association.id, &pseudonym)
                .map_err(|e| invalid(e.to_string()))?,
            pseudonym,
            password_hash: hash.clone(),
            role,
            status,
            discoverable: rng.gen_bool(0.8),
            created_at: now - Duration::minutes(rng.gen_range(0..join_minutes)),
        });
        if members.len() == MEMBER_BATCH || n + 1 == count {
            kindred.store.insert_members_fresh(&members).await?;
            kindred.store.insert_consents_fresh(&consents).await?;
            kindred.store.insert_fresh_profiles(&profiles).await?;
            members.clear();
            consents.clear();
            profiles.clear();
        }
    }
    Ok(generated)
}

/// How far back generated members joined: three years where inactivity
/// erases nobody, else up to a month before the first of them would be due
/// for the inactivity warning under the association's own rules — a
/// freshly started benchmark server would otherwise mail those warnings
/// while it is measured.
fn join_span(rules: &DataRules, now: DateTime<Utc>) -> Duration {
    let three_years = Duration::days(3 * 365);
    if rules.inactive_months == 0 {
        return three_years;
    }
    let Some(erased_before) = now.checked_sub_months(Months::new(rules.inactive_months)) else {
        return three_years;
    };
    let warned_before = erased_before + Duration::days(i64::from(rules.inactive_warning_days));
    (now - warned_before - Duration::days(30)).clamp(Duration::days(1), three_years)
}

/// Contact levels as members choose them: mostly acquaintances and trusted.
fn contact_level(rng: &mut StdRng) -> i32 {
    match rng.gen_range(0..100) {
        0..=14 => 1,
        15..=54 => 2,
        55..=84 => 3,
        _ => 4,
    }
}

/// A contact network: every member asks up to five others (chosen at
/// random) and each pair places the other on a level of its own, so a
/// member ends with about 0–12 contacts, on varied levels in both
/// directions. Returns how many pairs there are. `members` must be in
/// ascending id order (as `add_members` returns them): the contacts are
/// written in the order of their primary key.
async fn add_contacts(
    kindred: &Kindred,
    association: &Association,
    members: &[Generated],
    seed: u64,
) -> Result<usize, CliError> {
    let count = members.len();
    if count < 2 {
        return Ok(0);
    }
    let mut rng = StdRng::seed_from_u64(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let now = kindred.clock.now();
    let mut pairs: HashSet<(usize, usize)> = HashSet::with_capacity(count * 3);
    // (owner, contact, level, minutes ago), by index into `members`.
    let mut directions: Vec<(usize, usize, i32, i64)> = Vec::with_capacity(count * 5);
    for a in 0..count {
        for _ in 0..rng.gen_range(0..=5) {
            let b = rng.gen_range(0..count);
            if a == b || !pairs.insert((a.min(b), a.max(b))) {
                continue;
            }
            let ago = rng.gen_range(0..2 * 365 * 24 * 60);
            directions.push((a, b, contact_level(&mut rng), ago));
            directions.push((b, a, contact_level(&mut rng), ago));
        }
    }
    directions.sort_unstable();
    for chunk in directions.chunks(CONTACT_BATCH) {
        let contacts: Vec<NewContact> = chunk
            .iter()
            .filter_map(|&(owner, contact, level, ago)| {
                Some(NewContact {
                    association_id: association.id.clone(),
                    owner_id: members.get(owner)?.id.clone(),
                    contact_id: members.get(contact)?.id.clone(),
                    level,
                    created_at: now - Duration::minutes(ago),
                })
            })
            .collect();
        kindred.store.insert_contacts_fresh(&contacts).await?;
    }
    Ok(pairs.len())
}

/// Benchmark data: associations `bench-1` … `bench-N`, each with `members` members.
pub async fn generate(kindred: &Kindred, associations: u32, members: u32) -> Result<(), CliError> {
    for i in 1..=associations {
        let slug = format!("bench-{i}");
        if kindred.association(&slug).await?.is_some() {
            println!("{slug} exists; skipped");
            continue;
        }
        let started = std::time::Instant::now();
        let association = create_from_example(kindred, &slug, &format!("Benchmark association {i}")).await?;
        let generated = add_members(kindred, &association, members as usize, &slug, u64::from(i)).await?;
        let with_members = started.elapsed();
        let pairs = add_contacts(kindred, &association, &generated, u64::from(i)).await?;
        println!(
            "{slug}: {members} members in {:.1} s, {pairs} contact pairs in {:.1} s",
            with_members.as_secs_f64(),
            (started.elapsed() - with_members).as_secs_f64()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).single().expect("a valid date")
    }

    #[test]
    fn generated_members_joined_before_any_is_due_for_the_inactivity_warning() {
        let now = at(2026, 12, 6);
        let rules = DataRules::default();
        let span = join_span(&rules, now);
        // The job warns those who joined (and never signed in) before this.
        let warned_before = now - Duration::days(2 * 365 + 1) + Duration::days(30);
        assert!(now - span > warned_before, "the oldest joined {}", now - span);
        assert!(span > Duration::days(600), "members still spread over most of the window: {span}");
    }

    #[test]
    fn the_span_follows_the_associations_own_retention() {
        let now = at(2026, 12, 6);
        let never = DataRules { inactive_months: 0, ..DataRules::default() };
        assert_eq!(join_span(&never, now), Duration::days(3 * 365));
        let short = DataRules { inactive_months: 1, inactive_warning_days: 30, ..DataRules::default() };
        assert_eq!(join_span(&short, now), Duration::days(1));
        let six = DataRules { inactive_months: 6, inactive_warning_days: 14, ..DataRules::default() };
        let span = join_span(&six, now);
        assert!(span < Duration::days(6 * 31 - 14) && span > Duration::days(6 * 30 - 14 - 31), "{span}");
    }
}
