//! Profiles at rest: health fields never in clear text in the database.

use crate::harness::{Db, TestServer, BOTH};
use kindred_domain::profile::FieldValue;
use kindred_domain::settings::Code;
use kindred_domain::{Level, MemberId, Visibility};
use kindred_service::profiles::{ProfileEntry, ProfileError};
use serde_json::json;

const SECRET_ABOUT: &str = "Zwischen-den-Zeilen-Geheimnis about my relapse";

fn code(s: &str) -> Code {
    Code::parse(s).expect("code")
}

fn entries() -> Vec<ProfileEntry> {
    let level = |n| Visibility::Level(Level::from_number(n).expect("level"));
    vec![
        ProfileEntry { field: code("condition"), value: FieldValue::Code(code("nmosd")), visibility: level(1) },
        ProfileEntry { field: code("condition_form"), value: FieldValue::Code(code("ppms")), visibility: level(2) },
        ProfileEntry { field: code("diagnosis_year"), value: FieldValue::Year(2011), visibility: level(2) },
        ProfileEntry {
            field: code("medications"),
            value: FieldValue::Codes(vec![code("ocrelizumab"), code("fampridine")]),
            visibility: level(3),
        },
        ProfileEntry { field: code("about"), value: FieldValue::Text(SECRET_ABOUT.into()), visibility: level(2) },
        ProfileEntry { field: code("city"), value: FieldValue::Text("Kiel".into()), visibility: Visibility::Private },
    ]
}

#[tokio::test]
async fn health_fields_are_sealed_at_rest_and_read_back_by_their_owner() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let id = s.member(&ms, "anna@example.org", "Anna", "correct horse battery").await;
        let member = MemberId::parse(&id).expect("id");
        s.kindred.record_health_consent(&ms, &member).await.expect("consent");
        s.kindred.store_profile(&ms, &member, &entries()).await.expect("store");

        let text = s.dump().await;
        assert!(text.contains("Kiel"), "{db:?}: the dump sees clear fields, so it would see the others");
        assert!(!text.contains(SECRET_ABOUT), "{db:?}: about-me text in clear in the database");
        // Catalogue codes stand in the association's settings; no profile row may hold one.
        let rows = s.kindred.store.profile_values(&ms.id, &member).await.expect("rows");
        assert_eq!(rows.len(), 6);
        for row in rows {
            let stored = match &row.value {
                Some(kindred_store::StoredValue::Clear(text)) => text.clone(),
                Some(kindred_store::StoredValue::Sealed(bytes)) => String::from_utf8_lossy(bytes).into_owned(),
                None => panic!("{}: no value", row.field),
            };
            let health = row.field != "city";
            assert_eq!(matches!(row.value, Some(kindred_store::StoredValue::Sealed(_))), health, "{}", row.field);
            for secret in ["nmosd", "ppms", "2011", "ocrelizumab", "fampridine", "relapse"] {
                assert!(!stored.contains(secret), "{db:?}: {secret} readable in {}", row.field);
            }
        }

        let token = s.login("ms", "anna@example.org", "correct horse battery").await;
        let me = s.get_as(&token, "/a/ms/api/v1/me").await;
        assert_eq!(me["profile"]["condition"], "nmosd");
        assert_eq!(me["profile"]["diagnosis_year"], 2011);
        assert_eq!(me["profile"]["medications"], json!(["ocrelizumab", "fampridine"]));
        assert_eq!(me["profile"]["about"], SECRET_ABOUT);
        assert_eq!(me["visibility"]["medications"], 3);
        assert_eq!(me["visibility"]["city"], "private");
        s.stop().await;
    }
}

/// No path stores a health value without the member's consent: not the
/// service's own writer, not the store's, not a bulk load; the database
/// refuses it, and nothing of the write stays.
#[tokio::test]
async fn health_values_are_refused_without_consent_on_every_path() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let id = s.member(&ms, "anna@example.org", "Anna", "correct horse battery").await;
        let member = MemberId::parse(&id).expect("id");
        let refused = s.kindred.store_profile(&ms, &member, &entries()).await;
        assert!(matches!(refused, Err(ProfileError::ConsentRequired)), "{db:?}: {refused:?}");
        let rows = s.kindred.seal_profile(&ms, &member, &entries()).expect("seal");
        let direct = s.kindred.store.write_profile(&rows, None).await;
        assert!(matches!(direct, Err(kindred_store::StoreError::ConsentMissing)), "{db:?}: {direct:?}");
        let bulk = s.kindred.store.insert_fresh_profiles(&rows).await;
        assert!(matches!(bulk, Err(kindred_store::StoreError::ConsentMissing)), "{db:?}: {bulk:?}");
        assert!(s.kindred.own_profile(&ms, &member).await.expect("profile").is_empty(), "{db:?}: nothing half-written");
        s.stop().await;
    }
}

/// The demo and `kindred generate` give their members health values only
/// with a recorded consent: over all their data, every member with a
/// health value has the `health_data` consent.
#[tokio::test]
async fn demo_and_generated_members_with_health_data_have_consented() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        kindred::demo::ensure_demo(&s.kindred).await.expect("demo");
        kindred::demo::generate(&s.kindred, 1, 50).await.expect("generate");
        let with_health = crate::forum::sql(
            &s,
            "SELECT COUNT(DISTINCT member_id) || '' FROM profile_values WHERE sealed_value IS NOT NULL",
        )
        .await;
        let with_health: i64 = with_health[0][0].as_deref().unwrap_or("0").parse().expect("count");
        assert!(with_health > 100, "{db:?}: the demo gives health values ({with_health})");
        let without = crate::forum::sql(
            &s,
            "SELECT DISTINCT p.member_id FROM profile_values p WHERE p.sealed_value IS NOT NULL AND NOT EXISTS \
             (SELECT 1 FROM consents c WHERE c.association_id = p.association_id \
              AND c.member_id = p.member_id AND c.kind = 'health_data')",
        )
        .await;
        assert!(without.is_empty(), "{db:?}: health values without consent: {without:?}");
        s.stop().await;
    }
}

#[tokio::test]
async fn a_level_more_open_than_the_association_allows_is_refused() {
    let s = TestServer::start(Db::Sqlite).await;
    let ms = s.ms_association("ms").await;
    let id = s.member(&ms, "anna@example.org", "Anna", "correct horse battery").await;
    let member = MemberId::parse(&id).expect("id");
    // The MS example lets real names be seen from level 3 on at the most open.
    let too_open = ProfileEntry {
        field: code("real_name"),
        value: FieldValue::Text("Anna Schmidt".into()),
        visibility: Visibility::Level(Level::Community),
    };
    assert!(s.kindred.store_profile(&ms, &member, &[too_open]).await.is_err());
    let unknown =
        ProfileEntry { field: code("shoe_size"), value: FieldValue::Year(42), visibility: Visibility::Private };
    assert!(s.kindred.store_profile(&ms, &member, &[unknown]).await.is_err());
    assert!(s.kindred.own_profile(&ms, &member).await.expect("profile").is_empty(), "nothing half-written");
    s.stop().await;
}

/// A level is a number in the API, as for contacts and requests; the one
/// word is "private". `"3"` or `" 3"` was read as level 3 here alone.
#[tokio::test]
async fn a_visibility_is_a_level_number_or_private_and_nothing_else() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = crate::members::someone(&s, &ms, "Anna").await;
        let path = "/a/ms/api/v1/me/profile";
        for wrong in
            [json!("3"), json!(" 3"), json!("03"), json!(3.5), json!(0), json!(5), json!("Private"), json!(true)]
        {
            let body = json!({"fields": {"city": "Kiel"}, "visibility": {"city": wrong}});
            let (status, answer) = crate::members::call(&s, &anna.token, "PUT", path, Some(body)).await;
            assert_eq!(status, 422, "{db:?}: {wrong} {answer}");
            assert!(answer["error"]["fields"]["visibility.city"].is_string(), "{db:?}: {answer}");
        }
        let me = crate::members::ok(&s, &anna.token, "GET", "/a/ms/api/v1/me", None).await;
        assert!(me["profile"].get("city").is_none(), "{db:?}: nothing written: {me}");
        for right in [json!(4), json!("private")] {
            let body = json!({"fields": {"city": "Kiel"}, "visibility": {"city": right}});
            crate::members::ok(&s, &anna.token, "PUT", path, Some(body)).await;
        }
        s.stop().await;
    }
}
