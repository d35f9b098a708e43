//! The privacy property: two worlds that differ only in a field hidden from
//! a viewer (its value, or how hidden it is) give that viewer exactly the
//! same answers — every search, every profile — byte for byte.
//!
//! The worlds are made one after the other on one server: a battery of
//! requests is answered in world A, the hidden field is changed to world B,
//! and the battery must answer the same. Cases come from proptest.

use crate::harness::{Db, TestServer, BOTH};
use crate::members::{befriend, consent, ok, profile, someone, Someone};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde_json::{json, Value};

/// A field of the MS example whose value is searchable, with two values.
#[derive(Debug, Clone)]
struct Variant {
    field: &'static str,
    a: Value,
    b: Value,
}

fn variants() -> Vec<Variant> {
    vec![
        Variant { field: "condition", a: json!("ms"), b: json!("nmosd") },
        Variant { field: "condition_form", a: json!("rrms"), b: json!("ppms") },
        Variant { field: "medications", a: json!(["ocrelizumab"]), b: json!(["fampridine", "baclofen"]) },
        Variant { field: "therapies", a: json!([]), b: json!(["physiotherapy"]) },
        Variant { field: "region", a: json!("sh"), b: json!("by") },
        Variant { field: "role", a: json!("patient"), b: json!("relative") },
        Variant { field: "birth_year", a: json!(1980), b: json!(1991) },
        Variant { field: "about", a: json!("Aquarelle und Fatigue"), b: json!("") },
        Variant { field: "city", a: json!("Kiel"), b: json!("Aquarelle") },
    ]
}

/// One case: which field, the level the subject placed the viewer on
/// (0 = no contact), and the two hidden visibilities (both stricter).
#[derive(Debug, Clone)]
struct Case {
    field: &'static str,
    granted: u8,
    hidden_a: Value,
    hidden_b: Value,
}

fn hidden_choices(granted: u8, min: u8) -> Vec<Value> {
    let floor = granted.max(1) + 1;
    let mut choices: Vec<Value> = (floor.max(min)..=4).map(|l| json!(l)).collect();
    choices.push(json!("private"));
    choices
}

/// The association's minimum per field in the MS example (real_name etc. are not used).
fn min_level(field: &str) -> u8 {
    match field {
        "city" | "birth_year" => 2,
        _ => 1,
    }
}

/// Everything the viewer can ask that might betray the hidden field.
async fn battery(s: &TestServer, viewer: &Someone, subject: &Someone, others: &[Someone]) -> Vec<Value> {
    let mut answers = Vec::new();
    let queries = [
        "",
        "condition=ms",
        "condition=nmosd",
        "condition_form=rrms",
        "condition_form=ppms",
        "medication=ocrelizumab",
        "medication=fampridine",
        "therapy=physiotherapy",
        "region=sh",
        "region=by",
        "role=patient",
        "role=relative",
        "min_age=30&max_age=40",
        "min_age=41&max_age=50",
        "q=aquarelle",
        "q=kiel",
        "q=fatigue",
        "q=subject",
        "q=subj",
        "q=ubject",
        "q=aqua",
        "q=subject%20aquarelle",
        "condition=ms&region=sh",
    ];
    for query in queries {
        let mut path = format!("/a/ms/api/v1/members?{query}");
        // Follow every page.
        loop {
            let page = ok(s, &viewer.token, "GET", &path, None).await;
            let next = page.get("next_cursor").and_then(Value::as_str).map(str::to_owned);
            answers.push(page);
            match next {
                Some(cursor) => path = format!("/a/ms/api/v1/members?{query}&cursor={cursor}"),
                None => break,
            }
        }
    }
    for who in std::iter::once(subject).chain(others) {
        answers.push(ok(s, &viewer.token, "GET", &format!("/a/ms/api/v1/members/{}", who.id), None).await);
    }
    answers.push(ok(s, &viewer.token, "GET", "/a/ms/api/v1/contacts", None).await);
    answers
}

async fn set(s: &TestServer, subject: &Someone, field: &str, value: &Value, visibility: &Value) {
    profile(s, subject, json!({"fields": {field: value}, "visibility": {field: visibility}})).await;
}

#[tokio::test]
async fn a_hidden_field_changes_no_answer_the_viewer_gets() {
    for db in BOTH {
        run(db, if db == Db::Sqlite { 24 } else { 12 }).await;
    }
}

async fn run(db: Db, cases: usize) {
    let file = kindred::config::parse_file(
        "[privacy]\nprofile_views_per_15_minutes = 1000000\nsearches_per_15_minutes = 1000000\n",
        "test",
    )
    .expect("config");
    let s = TestServer::start_with(db, file).await;
    let ms = s.ms_association("ms").await;
    let viewer = someone(&s, &ms, "Viewer").await;
    let subject = someone(&s, &ms, "Subject").await;
    consent(&s, &subject).await;
    profile(&s, &subject, json!({"discoverable": true})).await;
    // Others with open profiles that match the same searches, so that
    // results are never trivially empty.
    let mut others = Vec::new();
    for (n, (condition, region, year)) in
        [("ms", "sh", 1985), ("nmosd", "by", 1990), ("ms", "by", 1979)].into_iter().enumerate()
    {
        let other = someone(&s, &ms, &format!("Other{n} Subjectlike")).await;
        consent(&s, &other).await;
        profile(
            &s,
            &other,
            json!({"fields": {"condition": condition, "region": region, "birth_year": year, "about": "Aquarelle"},
                   "visibility": {"condition": 1, "region": 1, "birth_year": 2, "about": 1}, "discoverable": true}),
        )
        .await;
        others.push(other);
    }

    let variants = variants();
    let strategy = (0..variants.len(), 0u8..=4, any::<prop::sample::Index>(), any::<prop::sample::Index>());
    let mut runner = TestRunner::deterministic();
    let mut contact_level: u8 = 0;
    for _ in 0..cases {
        let (variant, granted, ia, ib) = strategy.new_tree(&mut runner).expect("case").current();
        let v = &variants[variant];
        let choices = hidden_choices(granted, min_level(v.field));
        let case =
            Case { field: v.field, granted, hidden_a: ia.get(&choices).clone(), hidden_b: ib.get(&choices).clone() };
        // The contact as the case wants it.
        if case.granted != contact_level {
            if contact_level > 0 {
                ok(&s, &subject.token, "DELETE", &format!("/a/ms/api/v1/contacts/{}", viewer.id), None).await;
            }
            if case.granted > 0 {
                befriend(&s, &viewer, 1, &subject, case.granted).await;
            }
            contact_level = case.granted;
        }
        // World A, then world B: only the hidden field differs.
        set(&s, &subject, v.field, &v.a, &case.hidden_a).await;
        let world_a = battery(&s, &viewer, &subject, &others).await;
        set(&s, &subject, v.field, &v.b, &case.hidden_b).await;
        let world_b = battery(&s, &viewer, &subject, &others).await;
        assert_eq!(world_a.len(), world_b.len(), "{db:?} {case:?}");
        for (a, b) in world_a.iter().zip(&world_b) {
            assert_eq!(a, b, "{db:?}: {case:?} ({}) leaks", case.field);
        }
        // And the control: made visible, the field does change an answer
        // (with the field it gives away, which it is never more open than).
        let control = min_level(v.field);
        let implied = kindred_domain::disclosure::implied_field(v.field);
        let mut visibility = json!({v.field: control});
        if let Some(implied) = implied {
            visibility[implied] = json!(1);
        }
        profile(&s, &subject, json!({"fields": {v.field: v.a}, "visibility": visibility})).await;
        if control <= case.granted.max(1) {
            let seen = ok(&s, &viewer.token, "GET", &format!("/a/ms/api/v1/members/{}", subject.id), None).await;
            let shown = seen["fields"].get(v.field).is_some();
            let empty = v.a == json!([]) || v.a == json!("");
            assert_eq!(shown, !empty, "{db:?}: {case:?}: the control field should show");
        }
        // Back to hidden, so that the next case starts in a hidden world.
        set(&s, &subject, v.field, &Value::Null, &json!("private")).await;
        if let Some(implied) = implied {
            profile(&s, &subject, json!({"visibility": {implied: "private"}})).await;
        }
    }
    s.stop().await;
}

/// A field that gives another away is never more open than that field: a
/// member whose condition is hidden but whose form of it and year of
/// diagnosis were chosen open answers the viewer exactly like a member
/// with none of the three — every search, every profile. Opened, the
/// condition brings the form along (its search terms are written anew),
/// and the member's own view of her visibilities says how they count.
#[tokio::test]
async fn a_form_or_diagnosis_year_never_reveals_a_hidden_condition() {
    for db in BOTH {
        let file = kindred::config::parse_file(
            "[privacy]\nprofile_views_per_15_minutes = 1000000\nsearches_per_15_minutes = 1000000\n",
            "test",
        )
        .expect("config");
        let s = TestServer::start_with(db, file).await;
        let ms = s.ms_association("ms").await;
        let viewer = someone(&s, &ms, "Viewer").await;
        let subject = someone(&s, &ms, "Subject").await;
        let other = someone(&s, &ms, "Other Subjectlike").await;
        for who in [&subject, &other] {
            consent(&s, who).await;
        }
        profile(
            &s,
            &other,
            json!({"fields": {"condition": "ms", "condition_form": "rrms", "diagnosis_year": 2015},
                   "visibility": {"condition": 1, "condition_form": 1, "diagnosis_year": 1}, "discoverable": true}),
        )
        .await;
        let open = json!({"condition": "private", "condition_form": 1, "diagnosis_year": 1});
        profile(&s, &subject, json!({"visibility": open, "discoverable": true})).await;
        let others = [other];
        let without = battery(&s, &viewer, &subject, &others).await;
        profile(
            &s,
            &subject,
            json!({"fields": {"condition": "ms", "condition_form": "rrms", "diagnosis_year": 2015}, "visibility": open}),
        )
        .await;
        let with = battery(&s, &viewer, &subject, &others).await;
        assert_eq!(without.len(), with.len(), "{db:?}");
        for (a, b) in without.iter().zip(&with) {
            assert_eq!(a, b, "{db:?}: a form or year of diagnosis leaks a hidden condition");
        }
        let me = ok(&s, &subject.token, "GET", "/a/ms/api/v1/me", None).await;
        assert_eq!(me["visibility"]["condition_form"], "private", "{db:?}: {}", me["visibility"]);
        assert_eq!(me["visibility"]["diagnosis_year"], "private", "{db:?}");

        // Opening only the condition opens what was chosen open with it.
        profile(&s, &subject, json!({"visibility": {"condition": 1}})).await;
        let seen = ok(&s, &viewer.token, "GET", &format!("/a/ms/api/v1/members/{}", subject.id), None).await;
        assert_eq!(seen["fields"]["condition_form"], "rrms", "{db:?}: {seen}");
        assert_eq!(seen["fields"]["diagnosis_year"], 2015, "{db:?}: {seen}");
        let found = ok(&s, &viewer.token, "GET", "/a/ms/api/v1/members?condition_form=rrms", None).await;
        let ids: Vec<&str> =
            found["results"].as_array().expect("results").iter().filter_map(|r| r["member_id"].as_str()).collect();
        assert!(ids.contains(&subject.id.as_str()), "{db:?}: the form's terms follow the condition: {found}");
        // And hiding it again hides them in search too.
        profile(&s, &subject, json!({"visibility": {"condition": 3}})).await;
        let found = ok(&s, &viewer.token, "GET", "/a/ms/api/v1/members?condition_form=rrms", None).await;
        let ids: Vec<&str> =
            found["results"].as_array().expect("results").iter().filter_map(|r| r["member_id"].as_str()).collect();
        assert!(!ids.contains(&subject.id.as_str()), "{db:?}: {found}");
        s.stop().await;
    }
}
