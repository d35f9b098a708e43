//! Events over HTTP, on both databases: the capacity under concurrent
//! registrations, the waiting list in order, the place and link hidden
//! from whoever is not registered (JSON, page, .ics, feed, mail), a secret
//! group's event indistinguishable from an unknown id, recurrence across
//! the spring change of summer time, the feed token replaced, reminders
//! once, and bad input refused without a write.

use crate::harness::{TestServer, BOTH};
use crate::members::{call, ok, someone, Someone};
use serde_json::{json, Value};

const API: &str = "/a/ms/api/v1";
const PLACE: &str = "Selbsthilfetreff Lindenstraße 5";
const LINK: &str = "https://meet.example.org/geheim-raum";

async fn raw(s: &TestServer, token: &str, method: &str, path: &str) -> (u16, String, String) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let response = s.client.request(method, s.url(path)).bearer_auth(token).send().await.expect("request");
    let status = response.status().as_u16();
    let kind = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    (status, kind, response.text().await.expect("body"))
}

/// A page as a member signed in with the page cookie sees it.
async fn page_as(s: &TestServer, email: &str, path: &str) -> String {
    let response = s
        .client
        .post(s.url("/a/ms/sign-in"))
        .form(&[("email", email), ("password", crate::members::PASSWORD)])
        .send()
        .await
        .expect("sign in");
    assert_eq!(response.status(), 303, "sign-in as {email}");
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("__Host-kindred-ms="))
        .and_then(|v| v.split(';').next())
        .expect("session cookie")
        .to_owned();
    let response =
        s.client.get(s.url(path)).header("cookie", format!("__Host-kindred-ms={cookie}")).send().await.expect("page");
    assert_eq!(response.status(), 200, "{path}");
    // Attribute values come with `/` escaped.
    response.text().await.expect("html").replace("&#x2f;", "/")
}

/// A URL the server gave out, on the test server's address (its public URL is a placeholder).
fn here(s: &TestServer, url: &str) -> String {
    s.url(&url[url.find("/a/ms/").expect("association path")..])
}

fn event(title: &str) -> Value {
    json!({"title": title, "description": "Wir treffen uns zum **Austausch**.",
           "starts_at": "2027-01-12T18:00", "ends_at": "2027-01-12T20:00", "mode": "hybrid",
           "location": PLACE, "online_url": LINK,
           "accessibility": {"step_free": true, "hearing_loop": true, "notes": "Aufzug am Hintereingang"}})
}

async fn create(s: &TestServer, who: &Someone, body: Value) -> String {
    let created = ok(s, &who.token, "POST", &format!("{API}/events"), Some(body)).await;
    created["event_id"].as_str().expect("event id").to_owned()
}

#[tokio::test]
async fn capacity_holds_under_concurrent_registrations_and_the_waiting_list_moves_up_in_order() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = s.ms_association("ms").await;
        let organiser = someone(&s, &a, "Organisatorin").await;
        let mut body = event("Kleine Runde");
        body["capacity"] = json!(3);
        let id = create(&s, &organiser, body).await;
        let mut people = Vec::new();
        for i in 0..20 {
            people.push(someone(&s, &a, &format!("Teilnehmer {i}")).await);
        }
        let path = format!("{API}/events/{id}/registration");
        let answers = futures_join(&s, &people, &path).await;
        let registered = answers.iter().filter(|(_, v)| v["status"] == "registered").count();
        let waiting: Vec<i64> = answers
            .iter()
            .filter(|(_, v)| v["status"] == "waitlisted")
            .map(|(_, v)| v["position"].as_i64().expect("position"))
            .collect();
        assert_eq!(registered, 3, "{db:?}: {answers:?}");
        let mut positions = waiting.clone();
        positions.sort();
        assert_eq!(positions, (1..=17).collect::<Vec<i64>>(), "{db:?}");

        let list = ok(&s, &organiser.token, "GET", &format!("{API}/events/{id}/attendees"), None).await;
        let rows = list["attendees"].as_array().expect("attendees");
        assert_eq!(rows.iter().filter(|r| r["status"] == "registered").count(), 3);
        assert_eq!(rows.len(), 20);

        // Who is first on the list, and second.
        let first = answers.iter().position(|(_, v)| v["position"] == 1).expect("first waiting");
        let second = answers.iter().position(|(_, v)| v["position"] == 2).expect("second waiting");
        let holder = answers.iter().position(|(_, v)| v["status"] == "registered").expect("a holder");
        let (status, _) = call(&s, &people[holder].token, "DELETE", &path, None).await;
        assert_eq!(status, 204);
        let promoted = ok(&s, &people[first].token, "GET", &format!("{API}/events/{id}"), None).await;
        assert_eq!(promoted["my_status"], "registered", "{db:?}");
        assert_eq!(promoted["location"], PLACE);
        let moved = ok(&s, &people[second].token, "GET", &format!("{API}/events/{id}"), None).await;
        assert_eq!(moved["my_status"], "waitlisted");
        assert_eq!(moved["position"], 1);
        assert!(moved.get("location").is_none() && moved.get("online_url").is_none(), "{moved}");
        let notes = ok(&s, &people[first].token, "GET", &format!("{API}/notifications"), None).await;
        assert!(
            notes["notifications"]
                .as_array()
                .expect("list")
                .iter()
                .any(|n| n["kind"] == "event_promoted" && n["event_id"] == id.as_str()),
            "{notes}"
        );
        let mail = s.mails_to("teilnehmer.", 1).await;
        let promoted_mail = mail.iter().find(|m| m.contains(&id)).expect("a mail with the link");
        assert!(!promoted_mail.contains(PLACE) && !promoted_mail.contains("Kleine Runde"), "{promoted_mail}");

        // Still never more than the capacity.
        let list = ok(&s, &organiser.token, "GET", &format!("{API}/events/{id}/attendees"), None).await;
        let rows = list["attendees"].as_array().expect("attendees");
        assert_eq!(rows.iter().filter(|r| r["status"] == "registered").count(), 3);
        s.stop().await;
    }
}

/// Registers everyone at once; (index, answer) in the order of `people`.
async fn futures_join(s: &TestServer, people: &[Someone], path: &str) -> Vec<(usize, Value)> {
    let mut tasks = Vec::new();
    for (i, p) in people.iter().enumerate() {
        let client = s.client.clone();
        let url = s.url(path);
        let token = p.token.clone();
        tasks.push(tokio::spawn(async move {
            let response = client.post(url).bearer_auth(token).send().await.expect("request");
            assert_eq!(response.status(), 200);
            (i, response.json::<Value>().await.expect("json"))
        }));
    }
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.expect("task"));
    }
    answers
}

#[tokio::test]
async fn place_and_link_reach_only_registered_attendees_and_organisers() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = s.ms_association("ms").await;
        let organiser = someone(&s, &a, "Gastgeberin").await;
        let guest = someone(&s, &a, "Gast").await;
        let id = create(&s, &organiser, event("MS-Stammtisch")).await;
        let path = format!("{API}/events/{id}");

        // JSON: absent, not null.
        let seen = ok(&s, &guest.token, "GET", &path, None).await;
        assert!(seen.get("location").is_none() && seen.get("online_url").is_none(), "{seen}");
        assert_eq!(seen["my_status"], "none");
        assert_eq!(seen["accessibility"]["hearing_loop"], true);
        let own = ok(&s, &organiser.token, "GET", &path, None).await;
        assert_eq!(own["location"], PLACE);
        assert_eq!(own["online_url"], LINK);

        // The list never shows them.
        let list = ok(&s, &guest.token, "GET", &format!("{API}/events?from=2027-01-01T00:00:00Z"), None).await;
        assert_eq!(list["results"][0]["event_id"], id.as_str());
        assert!(!list.to_string().contains(PLACE) && !list.to_string().contains(LINK));

        // .ics
        let (status, kind, ics) = raw(&s, &guest.token, "GET", &format!("{path}.ics")).await;
        assert_eq!(status, 200);
        assert!(kind.starts_with("text/calendar"), "{kind}");
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.contains("SUMMARY:MS-Stammtisch\r\n"), "{ics}");
        assert!(!ics.contains("LOCATION") && !ics.contains("geheim-raum"), "{ics}");

        // The pages.
        let page = page_as(&s, "gast@example.org", &format!("/a/ms/events/{id}")).await;
        assert!(page.contains("MS-Stammtisch") && !page.contains("Lindenstra") && !page.contains("geheim-raum"));
        let list = page_as(&s, "gast@example.org", "/a/ms/events?from=2027-01-01T00:00:00Z").await;
        assert!(list.contains("MS-Stammtisch") && !list.contains("Lindenstra"));
        for path in ["/a/ms/events/new", "/a/ms/account/calendar-feed"] {
            page_as(&s, "gast@example.org", path).await;
        }
        let own = page_as(&s, "gastgeberin@example.org", &format!("/a/ms/events/{id}")).await;
        assert!(own.contains("Lindenstra") && own.contains("geheim-raum"), "the organiser sees the place");

        // Registered: everything.
        let answer = ok(&s, &guest.token, "POST", &format!("{path}/registration"), None).await;
        assert_eq!(answer["status"], "registered");
        assert!(answer.get("position").is_none());
        let seen = ok(&s, &guest.token, "GET", &path, None).await;
        assert_eq!(seen["location"], PLACE);
        let (_, _, ics) = raw(&s, &guest.token, "GET", &format!("{path}.ics")).await;
        assert!(ics.contains("LOCATION:Selbsthilfetreff Lindenstraße 5\r\n"), "{ics}");
        assert!(ics.contains(&format!("URL:{LINK}\r\n")), "{ics}");

        // The feed: neutral titles and no place unless the member chose full titles.
        let feed = ok(&s, &guest.token, "GET", &format!("{API}/me/calendar-feed"), None).await;
        let url = here(&s, feed["url"].as_str().expect("url"));
        assert_eq!(feed["full_titles"], false);
        let text = s.client.get(&url).send().await.expect("feed").text().await.expect("text");
        assert!(text.contains("SUMMARY:Kindred event"), "{text}");
        assert!(!text.contains("Stammtisch") && !text.contains("LOCATION") && !text.contains("geheim-raum"), "{text}");

        // A change of place: told in the app and by a neutral mail.
        let changed =
            ok(&s, &organiser.token, "PATCH", &path, Some(json!({"location": "Neuer Ort, Bahnhofstraße 1"}))).await;
        assert_eq!(changed["location"], "Neuer Ort, Bahnhofstraße 1");
        let mails = s.mails_to("gast@example.org", 1).await;
        let mail = mails.last().expect("mail");
        assert!(mail.contains(&id), "a link to the event: {mail}");
        for secret in ["Bahnhof", "Lindenstra", "Stammtisch", "geheim"] {
            assert!(!mail.contains(secret), "{secret} in {mail}");
        }
        let notes = ok(&s, &guest.token, "GET", &format!("{API}/notifications"), None).await;
        assert_eq!(notes["notifications"][0]["kind"], "event_changed", "{notes}");
        let list = page_as(&s, "gast@example.org", "/a/ms/notifications").await;
        assert!(list.contains(&format!("/events/{id}")) && !list.contains("Bahnhof"), "a link to the event");
        s.stop().await;
    }
}

#[tokio::test]
async fn a_secret_groups_event_does_not_exist_for_outsiders() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = s.ms_association("ms").await;
        let moderator = someone(&s, &a, "Geheimrat").await;
        let outsider = someone(&s, &a, "Draussen").await;
        let group = ok(
            &s,
            &moderator.token,
            "POST",
            &format!("{API}/groups"),
            Some(json!({"name": "Stiller Kreis", "description": "", "visibility": "secret", "alias_mode": true})),
        )
        .await["group_id"]
            .as_str()
            .expect("group")
            .to_owned();
        let mut body = event("Treffen im stillen Kreis");
        body["group_id"] = json!(group);
        let id = create(&s, &moderator, body).await;
        let unknown = "aaaaaaaaaaaaaaaaaaaaaaaaaa";
        for (method, suffix) in
            [("GET", ""), ("GET", ".ics"), ("GET", "/attendees"), ("POST", "/registration"), ("POST", "/cancel")]
        {
            let real = raw(&s, &outsider.token, method, &format!("{API}/events/{id}{suffix}")).await;
            let none = raw(&s, &outsider.token, method, &format!("{API}/events/{unknown}{suffix}")).await;
            assert_eq!(real.0, 404, "{method} {suffix}");
            assert_eq!(real, none, "{method} {suffix}");
        }
        let list = ok(&s, &outsider.token, "GET", &format!("{API}/events?from=2027-01-01T00:00:00Z"), None).await;
        assert_eq!(list["results"], json!([]));
        let by_group = raw(&s, &outsider.token, "GET", &format!("{API}/events?group_id={group}")).await;
        let by_unknown = raw(&s, &outsider.token, "GET", &format!("{API}/events?group_id={unknown}")).await;
        assert_eq!(by_group, by_unknown);
        // An outsider cannot create events in it either, as if it did not exist.
        let mut body = event("Eindringling");
        body["group_id"] = json!(group);
        let (status, _) = call(&s, &outsider.token, "POST", &format!("{API}/events"), Some(body)).await;
        assert_eq!(status, 404);

        // Inside, the organiser appears by alias only.
        let seen = ok(&s, &moderator.token, "GET", &format!("{API}/events/{id}"), None).await;
        assert!(seen["organisers"][0]["alias"].is_string(), "{seen}");
        assert!(seen["organisers"][0].get("member_id").is_none() && seen["organisers"][0].get("pseudonym").is_none());
        ok(&s, &moderator.token, "POST", &format!("{API}/events/{id}/registration"), None).await;
        let list = ok(&s, &moderator.token, "GET", &format!("{API}/events/{id}/attendees"), None).await;
        let row = &list["attendees"][0];
        assert!(row["alias"].is_string() && row.get("member_id").is_none() && row.get("pseudonym").is_none(), "{row}");
        s.stop().await;
    }
}

#[tokio::test]
async fn recurrence_and_the_spring_gap_in_berlin() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = s.ms_association("ms").await;
        let organiser = someone(&s, &a, "Planerin").await;
        // 02:30 on the last Sunday of March does not exist in Berlin: read
        // with the offset before the gap, it is 01:30 UTC (03:30 summer time).
        let body = json!({"title": "Nachtcafé", "starts_at": "2027-03-28T02:30", "ends_at": "2027-03-28T04:00",
                          "time_zone": "Europe/Berlin", "mode": "online"});
        let id = create(&s, &organiser, body).await;
        let seen = ok(&s, &organiser.token, "GET", &format!("{API}/events/{id}"), None).await;
        assert_eq!(seen["starts_at"], "2027-03-28T01:30:00Z", "{seen}");
        assert_eq!(seen["time_zone"], "Europe/Berlin");

        // Weekly at 02:30 across the gap: the same wall time before and after.
        let body = json!({"title": "Frühgruppe", "starts_at": "2027-03-21T02:30", "ends_at": "2027-03-21T03:00",
                          "mode": "online", "recurrence": "FREQ=WEEKLY;COUNT=3"});
        let series = create(&s, &organiser, body).await;
        let seen = ok(&s, &organiser.token, "GET", &format!("{API}/events/{series}"), None).await;
        let starts: Vec<&str> = seen["occurrences"]
            .as_array()
            .expect("occurrences")
            .iter()
            .map(|o| o["starts_at"].as_str().unwrap())
            .collect();
        assert_eq!(starts, ["2027-03-21T01:30:00Z", "2027-03-28T01:30:00Z", "2027-04-04T00:30:00Z"]);
        assert_eq!(seen["recurrence"], "FREQ=WEEKLY;COUNT=3");

        // The list expands the series in the range asked for.
        let list = ok(
            &s,
            &organiser.token,
            "GET",
            &format!("{API}/events?from=2027-03-27T00:00:00Z&to=2027-04-30T00:00:00Z"),
            None,
        )
        .await;
        let rows: Vec<(String, String)> = list["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| (r["event_id"].as_str().unwrap().to_owned(), r["starts_at"].as_str().unwrap().to_owned()))
            .collect();
        // Two start at the same instant: ties go by event id.
        let mut expected = vec![
            (id.clone(), "2027-03-28T01:30:00Z".to_owned()),
            (series.clone(), "2027-03-28T01:30:00Z".to_owned()),
            (series.clone(), "2027-04-04T00:30:00Z".to_owned()),
        ];
        expected.sort_by(|x, y| (&x.1, &x.0).cmp(&(&y.1, &y.0)));
        assert_eq!(rows, expected, "{db:?}");

        // The .ics carries the rule in the event's zone, with its VTIMEZONE.
        let (_, _, ics) = raw(&s, &organiser.token, "GET", &format!("{API}/events/{series}.ics")).await;
        assert!(ics.contains("DTSTART;TZID=Europe/Berlin:20270321T023000\r\n"), "{ics}");
        assert!(ics.contains("RRULE:FREQ=WEEKLY;COUNT=3\r\n") && ics.contains("BEGIN:VTIMEZONE"), "{ics}");

        // One occurrence cancelled on its own.
        let path = format!("{API}/events/{series}/occurrences/2027-03-28T01:30:00Z/cancel");
        let (status, _) = call(&s, &organiser.token, "POST", &path, None).await;
        assert_eq!(status, 204);
        let (status, _) = call(
            &s,
            &organiser.token,
            "POST",
            &format!("{API}/events/{series}/occurrences/2027-03-29T01:30:00Z/cancel"),
            None,
        )
        .await;
        assert_eq!(status, 404, "not an occurrence");
        let seen = ok(&s, &organiser.token, "GET", &format!("{API}/events/{series}"), None).await;
        let cancelled: Vec<bool> =
            seen["occurrences"].as_array().expect("occurrences").iter().map(|o| o["cancelled"] == true).collect();
        assert_eq!(cancelled, [false, true, false]);
        let (_, _, ics) = raw(&s, &organiser.token, "GET", &format!("{API}/events/{series}.ics")).await;
        assert!(ics.contains("EXDATE;TZID=Europe/Berlin:20270328T033000\r\n"), "{ics}");
        s.stop().await;
    }
}

#[tokio::test]
async fn the_feed_token_can_be_replaced_and_the_old_one_answers_404() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = s.ms_association("ms").await;
        let organiser = someone(&s, &a, "Kalenderin").await;
        let member = someone(&s, &a, "Abonnent").await;
        let id = create(&s, &organiser, event("Gesprächskreis Fatigue")).await;
        ok(&s, &member.token, "POST", &format!("{API}/events/{id}/registration"), None).await;
        let first = ok(&s, &member.token, "GET", &format!("{API}/me/calendar-feed"), None).await;
        let again = ok(&s, &member.token, "GET", &format!("{API}/me/calendar-feed"), None).await;
        assert_eq!(first["url"], again["url"], "asking again shows the same feed");
        let old = here(&s, first["url"].as_str().expect("url"));
        let response = s.client.get(&old).send().await.expect("feed");
        assert_eq!(response.status(), 200);
        let text = response.text().await.expect("text");
        assert!(text.contains("BEGIN:VEVENT") && !text.contains("Fatigue"), "{text}");

        let replaced =
            ok(&s, &member.token, "POST", &format!("{API}/me/calendar-feed"), Some(json!({"full_titles": true}))).await;
        let new = here(&s, replaced["url"].as_str().expect("url"));
        assert_ne!(new, old);
        assert_eq!(replaced["full_titles"], true);
        assert_eq!(s.client.get(&old).send().await.expect("old").status(), 404);
        let unknown = format!("{}{}", &old[..old.len() - 32], "0".repeat(32));
        assert_eq!(s.client.get(&unknown).send().await.expect("unknown").status(), 404);
        let text = s.client.get(&new).send().await.expect("new").text().await.expect("text");
        assert!(text.contains("SUMMARY:Gesprächskreis Fatigue") && text.contains("LOCATION:"), "{text}");
        s.stop().await;
    }
}

#[tokio::test]
async fn bad_input_is_refused_field_by_field_and_changes_nothing() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = s.ms_association("ms").await;
        let organiser = someone(&s, &a, "Prüferin").await;
        let cases: [(&str, Value); 9] = [
            ("ends_at", json!({"ends_at": "2027-01-12T17:00"})),
            ("time_zone", json!({"time_zone": "Europe/Atlantis"})),
            ("recurrence", json!({"recurrence": "FREQ=MONTHLY"})),
            ("recurrence", json!({"recurrence": "FREQ=DAILY;COUNT=1000"})),
            ("recurrence", json!({"recurrence": "FREQ=DAILY;UNTIL=20400101T000000Z"})),
            ("capacity", json!({"capacity": 0})),
            ("capacity", json!({"capacity": -3})),
            ("online_url", json!({"online_url": "javascript:alert(1)"})),
            ("registration_closes_at", json!({"registration_closes_at": "2027-01-13T10:00:00Z"})),
        ];
        for (field, change) in cases {
            let mut body = event("Fehlerhaft");
            for (k, v) in change.as_object().expect("object") {
                body[k] = v.clone();
            }
            let (status, answer) = call(&s, &organiser.token, "POST", &format!("{API}/events"), Some(body)).await;
            assert_eq!(status, 422, "{field}: {answer}");
            assert!(answer["error"]["fields"][field].is_string(), "{field}: {answer}");
        }
        let list = ok(&s, &organiser.token, "GET", &format!("{API}/events"), None).await;
        assert_eq!(list["results"], json!([]));

        // A PATCH with bad input changes nothing either.
        let id = create(&s, &organiser, event("Richtig")).await;
        let (status, _) = call(
            &s,
            &organiser.token,
            "PATCH",
            &format!("{API}/events/{id}"),
            Some(json!({"title": "Neu", "capacity": 0})),
        )
        .await;
        assert_eq!(status, 422);
        let seen = ok(&s, &organiser.token, "GET", &format!("{API}/events/{id}"), None).await;
        assert_eq!(seen["title"], "Richtig");

        // Others may not change it.
        let other = someone(&s, &a, "Fremde").await;
        let (status, _) =
            call(&s, &other.token, "PATCH", &format!("{API}/events/{id}"), Some(json!({"title": "Gekapert"}))).await;
        assert_eq!(status, 403);
        s.stop().await;
    }
}

#[tokio::test]
async fn the_policy_decides_who_creates_and_closed_or_cancelled_events_take_no_registrations() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let strict = s.association("strict", "Streng", "[policies]\nevent_creation = \"admins\"\n").await;
        let member = someone(&s, &strict, "Einfaches Mitglied").await;
        let (status, answer) = call(&s, &member.token, "POST", "/a/strict/api/v1/events", Some(event("Nein"))).await;
        assert_eq!(status, 403, "{answer}");

        let a = s.ms_association("ms").await;
        let organiser = someone(&s, &a, "Leiterin").await;
        let guest = someone(&s, &a, "Nachzügler").await;
        let waiting = someone(&s, &a, "Wartende").await;
        let mut body = event("Mit Frist");
        body["registration_closes_at"] = json!("2026-11-23T12:00:00Z");
        let closing = create(&s, &organiser, body).await;
        s.clock.advance(chrono::Duration::days(2));
        let (status, answer) =
            call(&s, &guest.token, "POST", &format!("{API}/events/{closing}/registration"), None).await;
        assert_eq!((status, answer["error"]["code"].as_str()), (409, Some("registration_closed")));

        let mut body = event("Wird abgesagt");
        body["capacity"] = json!(1);
        let id = create(&s, &organiser, body).await;
        ok(&s, &guest.token, "POST", &format!("{API}/events/{id}/registration"), None).await;
        let answer = ok(&s, &waiting.token, "POST", &format!("{API}/events/{id}/registration"), None).await;
        assert_eq!((answer["status"].as_str(), answer["position"].as_i64()), (Some("waitlisted"), Some(1)));
        let cancelled =
            ok(&s, &organiser.token, "POST", &format!("{API}/events/{id}/cancel"), Some(json!({"reason": "Krank"})))
                .await;
        assert_eq!(cancelled["cancelled"], true);
        for who in [&guest, &waiting] {
            let notes = ok(&s, &who.token, "GET", &format!("{API}/notifications"), None).await;
            assert_eq!(notes["notifications"][0]["kind"], "event_cancelled", "{notes}");
        }
        let other = someone(&s, &a, "Spät").await;
        let (status, answer) = call(&s, &other.token, "POST", &format!("{API}/events/{id}/registration"), None).await;
        assert_eq!((status, answer["error"]["code"].as_str()), (409, Some("event_cancelled")));
        s.stop().await;
    }
}

#[tokio::test]
async fn reminders_go_out_once_a_day_before() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = s.ms_association("ms").await;
        let organiser = someone(&s, &a, "Erinnerin").await;
        let member = someone(&s, &a, "Vergesslich").await;
        // The clock stands at 2026-11-22 09:00 UTC.
        let body = json!({"title": "Morgen", "starts_at": "2026-11-23T08:00:00Z", "ends_at": "2026-11-23T09:00:00Z",
                          "mode": "in_person", "location": PLACE, "recurrence": "FREQ=WEEKLY;COUNT=2"});
        let id = create(&s, &organiser, body).await;
        ok(&s, &member.token, "POST", &format!("{API}/events/{id}/registration"), None).await;
        let now = s.kindred.clock.now();
        assert_eq!(s.kindred.remind_due(now).await.expect("reminders"), 1);
        assert_eq!(s.kindred.remind_due(now).await.expect("reminders"), 0, "not twice");
        let mails = s.mails_to("vergesslich@example.org", 1).await;
        assert!(mails.iter().all(|m| !m.contains("Lindenstra") && !m.contains("Morgen")), "{mails:?}");
        // The next week's occurrence, a week later.
        let later = now + chrono::Duration::days(7);
        assert_eq!(s.kindred.remind_due(later).await.expect("reminders"), 1);
        let notes = ok(&s, &member.token, "GET", &format!("{API}/notifications"), None).await;
        let kinds: Vec<&str> =
            notes["notifications"].as_array().expect("list").iter().filter_map(|n| n["kind"].as_str()).collect();
        assert_eq!(kinds, ["event_reminder", "event_reminder"]);
        s.stop().await;
    }
}

/// Signs in on the pages of `ms`; (cookie header, CSRF token).
async fn page_session(s: &TestServer, email: &str) -> (String, String) {
    let response = s
        .client
        .post(s.url("/a/ms/sign-in"))
        .form(&[("email", email), ("password", crate::members::PASSWORD)])
        .send()
        .await
        .expect("sign in");
    assert_eq!(response.status(), 303, "sign-in as {email}");
    let token = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("__Host-kindred-ms="))
        .and_then(|v| v.split(';').next())
        .expect("session cookie")
        .to_owned();
    (format!("__Host-kindred-ms={token}"), kindred_service::sessions::csrf_token(&token))
}

/// A form post on the pages: (status, Location, body).
async fn post_page(s: &TestServer, cookie: &str, path: &str, form: &[(&str, &str)]) -> (u16, String, String) {
    let response = s.client.post(s.url(path)).header("cookie", cookie).form(form).send().await.expect("post");
    let status = response.status().as_u16();
    let location = response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    (status, location, response.text().await.expect("body").replace("&#x2f;", "/"))
}

async fn get_page(s: &TestServer, cookie: &str, path: &str) -> (u16, String) {
    let response = s.client.get(s.url(path)).header("cookie", cookie).send().await.expect("get");
    (response.status().as_u16(), response.text().await.expect("body").replace("&#x2f;", "/"))
}

/// The fields of the event form, as a browser sends them.
fn form_fields<'a>(csrf: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("csrf", csrf),
        ("title", "Monatstreffen Kiel"),
        ("description", "Austausch und Kaffee"),
        ("date", "2027-01-12"),
        ("start", "18:00"),
        ("end", "20:00"),
        ("time_zone", "Europe/Berlin"),
        ("mode", "in_person"),
        ("location", PLACE),
        ("capacity", "12"),
    ];
    for (k, v) in extra {
        form.retain(|(name, _)| name != k);
        form.push((k, v));
    }
    form
}

#[tokio::test]
async fn the_new_event_form_makes_a_monthly_series_with_deadline_and_region_and_refuses_an_open_end() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = s.ms_association("ms").await;
        let organiser = someone(&s, &a, "Planer").await;
        let (cookie, csrf) = page_session(&s, "planer@example.org").await;
        let (status, html) = get_page(&s, &cookie, "/a/ms/events/new").await;
        assert_eq!(status, 200);
        for needle in [
            "name=\"repeat\"",
            "value=\"monthly_weekday\"",
            "name=\"until\"",
            "name=\"deadline_date\"",
            "name=\"region\"",
        ] {
            assert!(html.contains(needle), "{needle}");
        }

        // "Monthly on the same weekday" without a last date: refused at that field, nothing written.
        let form = form_fields(&csrf, &[("repeat", "monthly_weekday")]);
        let (status, _, html) = post_page(&s, &cookie, "/a/ms/events/new", &form).await;
        assert_eq!(status, 422);
        // The association's language is German.
        assert!(
            html.contains("href=\"#e-until\"") && html.contains("Geben Sie den letztmöglichen Termin an"),
            "{html}"
        );
        assert_eq!(s.count_rows("events").await, 0);
        // A deadline after the start and an unknown region: both named.
        let form = form_fields(&csrf, &[("deadline_date", "2027-01-13"), ("region", "atlantis")]);
        let (status, _, html) = post_page(&s, &cookie, "/a/ms/events/new", &form).await;
        assert_eq!(status, 422);
        assert!(html.contains("href=\"#e-deadline_date\"") && html.contains("href=\"#e-region\""), "{html}");
        assert_eq!(s.count_rows("events").await, 0);

        let form = form_fields(
            &csrf,
            &[
                ("repeat", "monthly_weekday"),
                ("until", "2027-06-30"),
                ("deadline_date", "2027-01-11"),
                ("deadline_time", "12:00"),
                ("region", "by"),
            ],
        );
        let (status, location, _) = post_page(&s, &cookie, "/a/ms/events/new", &form).await;
        assert_eq!(status, 303);
        let id = location.rsplit('/').next().expect("id").to_owned();
        let seen = ok(&s, &organiser.token, "GET", &format!("{API}/events/{id}"), None).await;
        assert_eq!(seen["recurrence"], "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20270630T215959Z", "{seen}");
        assert_eq!(seen["region"], "by");
        assert_eq!(seen["registration_closes_at"], "2027-01-11T11:00:00Z");
        let starts: Vec<&str> = seen["occurrences"]
            .as_array()
            .expect("occurrences")
            .iter()
            .filter_map(|o| o["starts_at"].as_str())
            .collect();
        // The second Tuesday of each month at 18:00 Berlin time (17:00 UTC in winter, 16:00 in summer).
        assert_eq!(
            starts,
            [
                "2027-01-12T17:00:00Z",
                "2027-02-09T17:00:00Z",
                "2027-03-09T17:00:00Z",
                "2027-04-13T16:00:00Z",
                "2027-05-11T16:00:00Z",
                "2027-06-08T16:00:00Z"
            ]
        );
        // The list heads months by name, in the viewer's language.
        let (_, list) = get_page(&s, &cookie, "/a/ms/events?from=2027-01-01T00:00:00Z").await;
        assert!(list.contains(">Januar 2027<") && list.contains(">März 2027<"), "{list}");
        assert!(!list.contains(">01/2027<"));
        let (_, list) = get_page(&s, &cookie, "/a/ms/events?from=2027-01-01T00:00:00Z&lang=nl").await;
        assert!(list.contains(">januari 2027<") && list.contains(">maart 2027<"), "{list}");
        s.stop().await;
    }
}

#[tokio::test]
async fn organisers_change_an_event_on_its_page_and_the_registered_are_told() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = s.ms_association("ms").await;
        let organiser = someone(&s, &a, "Gastgeber").await;
        let guest = someone(&s, &a, "Besucherin").await;
        let _other = someone(&s, &a, "Zaungast").await;
        let mut body = event("Stammtisch");
        body["recurrence"] = json!("FREQ=WEEKLY;COUNT=4");
        let id = create(&s, &organiser, body).await;
        ok(&s, &guest.token, "POST", &format!("{API}/events/{id}/registration"), None).await;

        let (cookie, csrf) = page_session(&s, "gastgeber@example.org").await;
        let (status, page) = get_page(&s, &cookie, &format!("/a/ms/events/{id}")).await;
        assert_eq!(status, 200);
        assert!(page.contains(&format!("/events/{id}/edit")), "an edit link for the organiser");
        let (status, form) = get_page(&s, &cookie, &format!("/a/ms/events/{id}/edit")).await;
        assert_eq!(status, 200);
        assert!(form.contains("value=\"Stammtisch\"") && form.contains("value=\"2027-01-12\""), "{form}");
        assert!(form.contains("value=\"18:00\"") && form.contains("Lindenstra"), "filled in local time");
        // A rule the form cannot put in words is kept as it is.
        assert!(
            form.contains("value=\"keep\" id=\"e-repeat-keep\" aria-describedby=\"e-repeat-hint\" checked"),
            "{form}"
        );

        // A bad change: shown in the form, nothing changed, nobody told.
        let path = format!("/a/ms/events/{id}/edit");
        let bad = form_fields(&csrf, &[("title", "Stammtisch"), ("end", "17:00"), ("repeat", "keep")]);
        let (status, _, html) = post_page(&s, &cookie, &path, &bad).await;
        assert_eq!(status, 422);
        assert!(html.contains("href=\"#e-end\""), "{html}");
        let seen = ok(&s, &organiser.token, "GET", &format!("{API}/events/{id}"), None).await;
        assert_eq!(seen["starts_at"], "2027-01-12T17:00:00Z");

        let good = form_fields(
            &csrf,
            &[
                ("title", "Stammtisch"),
                ("start", "19:00"),
                ("end", "21:00"),
                ("repeat", "keep"),
                ("mode", "hybrid"),
                ("online_url", LINK),
            ],
        );
        let (status, location, _) = post_page(&s, &cookie, &path, &good).await;
        assert_eq!(status, 303);
        assert!(location.ends_with(&format!("/events/{id}?done=changed")), "{location}");
        let seen = ok(&s, &organiser.token, "GET", &format!("{API}/events/{id}"), None).await;
        assert_eq!(seen["starts_at"], "2027-01-12T18:00:00Z");
        assert_eq!(seen["recurrence"], "FREQ=WEEKLY;COUNT=4", "kept");
        assert_eq!(seen["capacity"], 12);
        let notes = ok(&s, &guest.token, "GET", &format!("{API}/notifications"), None).await;
        assert_eq!(notes["notifications"][0]["kind"], "event_changed", "{notes}");
        let mails = s.mails_to("besucherin@example.org", 1).await;
        assert!(mails.iter().all(|m| !m.contains("Stammtisch") && !m.contains("Lindenstra")), "neutral: {mails:?}");

        // Anyone else: 403 for the form and the post; nothing changes.
        let (cookie_other, csrf_other) = page_session(&s, "zaungast@example.org").await;
        assert_eq!(get_page(&s, &cookie_other, &path).await.0, 403);
        let hijack = form_fields(&csrf_other, &[("title", "Gekapert"), ("repeat", "keep")]);
        assert_eq!(post_page(&s, &cookie_other, &path, &hijack).await.0, 403);
        // Without the CSRF token: refused.
        let forged: Vec<(&str, &str)> = good.iter().copied().filter(|(k, _)| *k != "csrf").collect();
        assert_ne!(post_page(&s, &cookie, &path, &forged).await.0, 303);
        let seen = ok(&s, &organiser.token, "GET", &format!("{API}/events/{id}"), None).await;
        assert_eq!(seen["title"], "Stammtisch");
        s.stop().await;
    }
}

#[tokio::test]
async fn the_capacity_never_drops_below_the_number_registered() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = s.ms_association("ms").await;
        let organiser = someone(&s, &a, "Kapazitaet Karla").await;
        let id = create(&s, &organiser, event("Volle Runde")).await;
        let path = format!("{API}/events/{id}");
        for i in 0..3 {
            let guest = someone(&s, &a, &format!("Gast {i}")).await;
            ok(&s, &guest.token, "POST", &format!("{path}/registration"), None).await;
        }
        let (status, body) = call(&s, &organiser.token, "PATCH", &path, Some(json!({"capacity": 1}))).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["error"]["fields"]["capacity"], "is below the number already registered", "{body}");
        let seen = ok(&s, &organiser.token, "GET", &path, None).await;
        assert!(seen.get("capacity").is_none_or(Value::is_null), "unchanged: {seen}");
        assert_eq!(seen["registered_count"], 3);
        // The same on the edit page; as many places as registered are fine.
        let (cookie, csrf) = page_session(&s, "kapazitaet.karla@example.org").await;
        let edit = format!("/a/ms/events/{id}/edit");
        let form = form_fields(&csrf, &[("title", "Volle Runde"), ("capacity", "2")]);
        let (status, _, html) = post_page(&s, &cookie, &edit, &form).await;
        assert_eq!(status, 422);
        assert!(html.contains("href=\"#e-capacity\"") && html.contains("schon mehr Mitglieder angemeldet"), "{html}");
        let changed = ok(&s, &organiser.token, "PATCH", &path, Some(json!({"capacity": 3}))).await;
        assert_eq!(changed["capacity"], 3);
        // Another change leaves a full event's capacity alone.
        ok(&s, &organiser.token, "PATCH", &path, Some(json!({"title": "Volle Runde, voll"}))).await;
        // A field without a "none" cannot be set to null.
        for field in ["title", "starts_at", "mode", "show_attendees"] {
            let (status, body) = call(&s, &organiser.token, "PATCH", &path, Some(json!({field: null}))).await;
            assert_eq!(status, 422, "{db:?}: {field}: {body}");
            assert!(body["error"]["fields"][field].is_string(), "{db:?}: {body}");
        }
        assert_eq!(ok(&s, &organiser.token, "GET", &path, None).await["title"], "Volle Runde, voll");
        s.stop().await;
    }
}

#[tokio::test]
async fn the_catalogue_tag_filter_shows_tagged_groups_events_and_never_a_secret_groups() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = s.ms_association("ms").await;
        let lead = someone(&s, &a, "Gruppenleitung").await;
        let secretive = someone(&s, &a, "Verschwiegen").await;
        let outsider = someone(&s, &a, "Aussenstehend").await;
        let group = |name: &str, visibility: &str, conditions: Value| json!({"name": name, "description": "", "visibility": visibility, "conditions": conditions});
        let tagged =
            ok(&s, &lead.token, "POST", &format!("{API}/groups"), Some(group("NMOSD-Kreis", "open", json!(["nmosd"]))))
                .await["group_id"]
                .as_str()
                .expect("group")
                .to_owned();
        let untagged =
            ok(&s, &lead.token, "POST", &format!("{API}/groups"), Some(group("Allgemein", "open", json!([])))).await
                ["group_id"]
                .as_str()
                .expect("group")
                .to_owned();
        let secret = ok(
            &s,
            &secretive.token,
            "POST",
            &format!("{API}/groups"),
            Some(group("Verborgen", "secret", json!(["nmosd"]))),
        )
        .await["group_id"]
            .as_str()
            .expect("group")
            .to_owned();
        for (who, title, group) in [
            (&lead, "Tagged event", Some(&tagged)),
            (&lead, "Untagged event", Some(&untagged)),
            (&lead, "Association event", None),
            (&secretive, "Secret tagged event", Some(&secret)),
        ] {
            let mut body = event(title);
            if let Some(group) = group {
                body["group_id"] = json!(group);
            }
            create(&s, who, body).await;
        }
        let titles = |v: &Value| -> Vec<String> {
            v["results"]
                .as_array()
                .expect("results")
                .iter()
                .filter_map(|e| e["title"].as_str().map(str::to_owned))
                .collect()
        };
        let list = ok(&s, &outsider.token, "GET", &format!("{API}/events?condition=nmosd"), None).await;
        assert_eq!(titles(&list), ["Tagged event"], "the secret group's event stays out");
        let list = ok(&s, &secretive.token, "GET", &format!("{API}/events?condition=nmosd"), None).await;
        let mut seen = titles(&list);
        seen.sort();
        assert_eq!(seen, ["Secret tagged event", "Tagged event"], "a member of the secret group sees its event");
        // The same answer for an outsider whether or not a secret group carries the tag.
        let other = ok(&s, &outsider.token, "GET", &format!("{API}/events?condition=mogad"), None).await;
        assert_eq!(other["results"], json!([]));
        for bad in ["condition=atlantis", "therapy=atlantis", "condition=nmosd&therapy=disease_modifying"] {
            let (status, answer) = call(&s, &outsider.token, "GET", &format!("{API}/events?{bad}"), None).await;
            assert_eq!(status, 422, "{bad}: {answer}");
        }
        // The page offers the filter and applies it.
        let (cookie, _) = page_session(&s, "aussenstehend@example.org").await;
        let (status, html) = get_page(&s, &cookie, "/a/ms/events?condition=nmosd").await;
        assert_eq!(status, 200);
        assert!(html.contains("name=\"condition\"") && html.contains("name=\"therapy\""));
        assert!(html.contains("Tagged event") && !html.contains("Untagged event") && !html.contains("Secret tagged"));
        s.stop().await;
    }
}

#[tokio::test]
async fn the_attendee_list_follows_the_disclosure_rules() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = s.ms_association("ms").await;
        let organiser = someone(&s, &a, "Orga Olga").await;
        let blocked = someone(&s, &a, "Blockiert Bernd").await;
        let blocker = someone(&s, &a, "Blockierend Berta").await;
        let plain = someone(&s, &a, "Normal Nora").await;
        let mut body = event("Offene Liste");
        body["show_attendees"] = json!(true);
        let id = create(&s, &organiser, body).await;
        for who in [&blocked, &blocker, &plain] {
            ok(&s, &who.token, "POST", &format!("{API}/events/{id}/registration"), None).await;
        }
        ok(&s, &organiser.token, "POST", &format!("{API}/blocks"), Some(json!({"member_id": blocked.id}))).await;
        ok(&s, &blocker.token, "POST", &format!("{API}/blocks"), Some(json!({"member_id": organiser.id}))).await;
        let names = |v: &Value| -> Vec<String> {
            let mut n: Vec<String> = v["attendees"]
                .as_array()
                .expect("attendees")
                .iter()
                .filter_map(|r| r["pseudonym"].as_str().map(str::to_owned))
                .collect();
            n.sort();
            n
        };
        // Blocked either way: not shown, not even by pseudonym.
        let list = ok(&s, &organiser.token, "GET", &format!("{API}/events/{id}/attendees"), None).await;
        assert_eq!(names(&list), ["Normal Nora"], "{list}");
        assert!(!list.to_string().contains(&blocked.id) && !list.to_string().contains(&blocker.id));
        let list = ok(&s, &plain.token, "GET", &format!("{API}/events/{id}/attendees"), None).await;
        assert_eq!(names(&list), ["Blockierend Berta", "Blockiert Bernd", "Normal Nora"]);
        // A suspended member is shown to nobody.
        let admin_email = "admin.anna@example.org";
        s.user(&a, admin_email, "Admin Anna", "admin").await;
        let admin = s.login_staff(&a, admin_email).await;
        ok(&s, &admin, "POST", &format!("{API}/admin/members/{}/suspend", plain.id), Some(json!({"note": "Test"})))
            .await;
        let list = ok(&s, &blocked.token, "GET", &format!("{API}/events/{id}/attendees"), None).await;
        assert_eq!(names(&list), ["Blockierend Berta", "Blockiert Bernd"], "{list}");
        // The page says the same.
        let (cookie, _) = page_session(&s, "orga.olga@example.org").await;
        let (_, html) = get_page(&s, &cookie, &format!("/a/ms/events/{id}")).await;
        assert!(
            !html.contains("Blockiert Bernd") && !html.contains("Blockierend Berta") && !html.contains("Normal Nora")
        );

        // In an alias group nobody is left out for a block: the alias stays, or it would tell whose it is.
        let group = ok(
            &s,
            &organiser.token,
            "POST",
            &format!("{API}/groups"),
            Some(json!({"name": "Alias-Runde", "description": "", "visibility": "open", "alias_mode": true})),
        )
        .await["group_id"]
            .as_str()
            .expect("group")
            .to_owned();
        ok(&s, &blocked.token, "POST", &format!("{API}/groups/{group}/join"), None).await;
        let mut body = event("Alias-Treffen");
        body["group_id"] = json!(group);
        let alias_event = create(&s, &organiser, body).await;
        ok(&s, &blocked.token, "POST", &format!("{API}/events/{alias_event}/registration"), None).await;
        let list = ok(&s, &organiser.token, "GET", &format!("{API}/events/{alias_event}/attendees"), None).await;
        let rows = list["attendees"].as_array().expect("attendees");
        assert_eq!(rows.len(), 1, "{list}");
        assert!(rows[0]["alias"].is_string() && rows[0].get("pseudonym").is_none(), "{list}");
        s.stop().await;
    }
}

#[tokio::test]
async fn a_groups_attendees_show_only_to_those_who_may_see_its_member_list() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = s.ms_association("ms").await;
        let organiser = someone(&s, &a, "Orga Otto").await;
        let first = someone(&s, &a, "Mitglied Mia").await;
        let second = someone(&s, &a, "Mitglied Max").await;
        let group = ok(
            &s,
            &organiser.token,
            "POST",
            &format!("{API}/groups"),
            Some(json!({"name": "Verborgene Liste", "description": "d", "visibility": "closed",
                        "member_list": "moderators", "alias_mode": false, "conditions": [], "therapies": []})),
        )
        .await["group_id"]
            .as_str()
            .expect("group")
            .to_owned();
        for who in [&first, &second] {
            ok(&s, &who.token, "POST", &format!("{API}/groups/{group}/join"), None).await;
            ok(&s, &organiser.token, "POST", &format!("{API}/groups/{group}/requests/{}/approve", who.id), None).await;
        }
        let mut body = event("Treffen mit verborgener Liste");
        body["group_id"] = json!(group);
        body["show_attendees"] = json!(true);
        let id = create(&s, &organiser, body).await;
        for who in [&first, &second] {
            ok(&s, &who.token, "POST", &format!("{API}/events/{id}/registration"), None).await;
        }
        // The member list is the moderators' only, and so are the attendees.
        let (status, _) = call(&s, &first.token, "GET", &format!("{API}/groups/{group}/members"), None).await;
        assert_eq!(status, 403);
        let (status, list) = call(&s, &first.token, "GET", &format!("{API}/events/{id}/attendees"), None).await;
        assert_eq!(status, 403, "{list}");
        let seen = ok(&s, &first.token, "GET", &format!("{API}/events/{id}"), None).await;
        assert_eq!(seen["can_see_attendees"], false, "{seen}");
        let html = page_as(&s, "mitglied.mia@example.org", &format!("/a/ms/events/{id}")).await;
        assert!(html.contains("Treffen mit verborgener Liste") && !html.contains("Mitglied Max"));
        // The organiser, a moderator of the group, sees both.
        let list = ok(&s, &organiser.token, "GET", &format!("{API}/events/{id}/attendees"), None).await;
        assert_eq!(list["attendees"].as_array().expect("attendees").len(), 2, "{list}");
        s.stop().await;
    }
}

#[tokio::test]
async fn one_occurrence_is_changed_on_its_own_in_list_page_ics_and_feed() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = s.ms_association("ms").await;
        let organiser = someone(&s, &a, "Reihenleitung").await;
        let guest = someone(&s, &a, "Stammgast").await;
        let other = someone(&s, &a, "Neugierig").await;
        let body = json!({"title": "Wochenrunde", "starts_at": "2027-01-12T18:00", "ends_at": "2027-01-12T20:00",
                          "mode": "in_person", "location": PLACE, "recurrence": "FREQ=WEEKLY;COUNT=4"});
        let id = create(&s, &organiser, body).await;
        ok(&s, &guest.token, "POST", &format!("{API}/events/{id}/registration"), None).await;
        let second = format!("{API}/events/{id}/occurrences/2027-01-19T17:00:00Z");

        // Bad input changes nothing: unknown date, end before start, a bad link, not an organiser.
        let change =
            json!({"starts_at": "2027-01-20T19:30", "ends_at": "2027-01-20T21:00", "location": "Saal B, Hinterhaus"});
        let unknown = format!("{API}/events/{id}/occurrences/2027-01-20T17:00:00Z");
        assert_eq!(call(&s, &organiser.token, "PATCH", &unknown, Some(change.clone())).await.0, 404);
        let (status, answer) = call(
            &s,
            &organiser.token,
            "PATCH",
            &second,
            Some(json!({"starts_at": "2027-01-20T19:30", "ends_at": "2027-01-20T18:00"})),
        )
        .await;
        assert!(status == 422 && answer["error"]["fields"]["ends_at"].is_string(), "{answer}");
        let (status, answer) = call(&s, &organiser.token, "PATCH", &second,
            Some(json!({"starts_at": "2027-01-20T19:30", "ends_at": "2027-01-20T21:00", "online_url": "javascript:alert(1)"}))).await;
        assert!(status == 422 && answer["error"]["fields"]["online_url"].is_string(), "{answer}");
        assert_eq!(call(&s, &other.token, "PATCH", &second, Some(change.clone())).await.0, 403);
        assert_eq!(s.count_rows("event_occurrence_changes").await, 0);

        let changed = ok(&s, &organiser.token, "PATCH", &second, Some(change)).await;
        let o = &changed["occurrences"][1];
        assert_eq!(o["starts_at"], "2027-01-20T18:30:00Z", "{changed}");
        assert_eq!(o["original_starts_at"], "2027-01-19T17:00:00Z");
        assert_eq!((o["changed"].as_bool(), o["location"].as_str()), (Some(true), Some("Saal B, Hinterhaus")));
        assert_eq!(changed["occurrences"][0]["changed"], false);

        // Told: in the app and by a neutral mail.
        let notes = ok(&s, &guest.token, "GET", &format!("{API}/notifications"), None).await;
        assert_eq!(notes["notifications"][0]["kind"], "event_changed", "{notes}");
        let mails = s.mails_to("stammgast@example.org", 1).await;
        assert!(mails.iter().all(|m| !m.contains("Saal B") && !m.contains("Wochenrunde")), "{mails:?}");

        // Who may not see the place does not see this date's place either.
        let seen = ok(&s, &other.token, "GET", &format!("{API}/events/{id}"), None).await;
        assert_eq!(seen["occurrences"][1]["starts_at"], "2027-01-20T18:30:00Z");
        assert!(seen["occurrences"][1].get("location").is_none() && !seen.to_string().contains("Saal B"), "{seen}");

        // The list: the new time, marked; the old one is gone.
        let list = ok(&s, &other.token, "GET", &format!("{API}/events?from=2027-01-01T00:00:00Z"), None).await;
        let starts: Vec<(&str, bool)> = list["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|e| (e["starts_at"].as_str().unwrap_or(""), e["changed"].as_bool().unwrap_or(false)))
            .collect();
        assert_eq!(
            starts,
            [
                ("2027-01-12T17:00:00Z", false),
                ("2027-01-20T18:30:00Z", true),
                ("2027-01-26T17:00:00Z", false),
                ("2027-02-02T17:00:00Z", false)
            ]
        );

        // .ics: the series and a VEVENT with the RECURRENCE-ID; its place only for the registered.
        let (_, _, ics) = raw(&s, &guest.token, "GET", &format!("{API}/events/{id}.ics")).await;
        assert!(ics.contains("RECURRENCE-ID;TZID=Europe/Berlin:20270119T180000\r\n"), "{ics}");
        assert!(ics.contains("DTSTART;TZID=Europe/Berlin:20270120T193000\r\n"), "{ics}");
        assert!(ics.contains("LOCATION:Saal B\\, Hinterhaus\r\n"), "{ics}");
        let (_, _, ics) = raw(&s, &other.token, "GET", &format!("{API}/events/{id}.ics")).await;
        assert!(
            ics.contains("RECURRENCE-ID;TZID=Europe/Berlin:20270119T180000\r\n") && !ics.contains("Saal B"),
            "{ics}"
        );
        // The feed: the changed date, neutral.
        let feed = ok(&s, &guest.token, "GET", &format!("{API}/me/calendar-feed"), None).await;
        let text = s
            .client
            .get(here(&s, feed["url"].as_str().expect("url")))
            .send()
            .await
            .expect("feed")
            .text()
            .await
            .expect("text");
        assert!(text.contains("DTSTART;TZID=Europe/Berlin:20270120T193000\r\n") && !text.contains("Saal B"), "{text}");

        // The page: the new time, "moved from" the old, this date's place for the registered.
        let page = page_as(&s, "stammgast@example.org", &format!("/a/ms/events/{id}")).await;
        // The association's language is German: "verlegt vom".
        assert!(page.contains("verlegt vom") && page.contains("Saal B, Hinterhaus"), "{page}");
        let page = page_as(&s, "neugierig@example.org", &format!("/a/ms/events/{id}")).await;
        assert!(page.contains("verlegt vom") && !page.contains("Saal B"));

        // A secret group's series: changing a date is the 404 of an unknown id for an outsider.
        let group = ok(
            &s,
            &organiser.token,
            "POST",
            &format!("{API}/groups"),
            Some(json!({"name": "Geschlossen", "description": "", "visibility": "secret"})),
        )
        .await["group_id"]
            .as_str()
            .expect("group")
            .to_owned();
        let body = json!({"title": "Geheime Reihe", "starts_at": "2027-01-12T18:00", "ends_at": "2027-01-12T20:00",
                          "mode": "online", "recurrence": "FREQ=WEEKLY;COUNT=2", "group_id": group});
        let hidden = create(&s, &organiser, body).await;
        let path = |event: &str| format!("{API}/events/{event}/occurrences/2027-01-19T17:00:00Z");
        let body = json!({"starts_at": "2027-01-20T19:30", "ends_at": "2027-01-20T21:00"});
        let real = call(&s, &other.token, "PATCH", &path(&hidden), Some(body.clone())).await;
        let none = call(&s, &other.token, "PATCH", &path("aaaaaaaaaaaaaaaaaaaaaaaaaa"), Some(body)).await;
        assert_eq!(real.0, 404);
        assert_eq!(real, none);
        s.stop().await;
    }
}

#[tokio::test]
async fn organisers_change_or_cancel_one_date_on_its_page_and_cancel_the_event_after_confirming() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = s.ms_association("ms").await;
        let organiser = someone(&s, &a, "Gastgeber").await;
        let guest = someone(&s, &a, "Besucherin").await;
        let _other = someone(&s, &a, "Zaungast").await;
        let mut body = event("Stammtisch");
        body["recurrence"] = json!("FREQ=WEEKLY;COUNT=4");
        let id = create(&s, &organiser, body).await;
        ok(&s, &guest.token, "POST", &format!("{API}/events/{id}/registration"), None).await;

        // The event page links each date to its own form, for organisers only.
        let (cookie, csrf) = page_session(&s, "gastgeber@example.org").await;
        let date = format!("/a/ms/events/{id}/occurrences/20270119T170000Z");
        let (status, page) = get_page(&s, &cookie, &format!("/a/ms/events/{id}")).await;
        assert_eq!(status, 200);
        assert!(page.contains(&format!("/events/{id}/occurrences/20270119T170000Z\"")), "{page}");
        let (cookie_other, csrf_other) = page_session(&s, "zaungast@example.org").await;
        let (_, page) = get_page(&s, &cookie_other, &format!("/a/ms/events/{id}")).await;
        assert!(!page.contains("/occurrences/"), "no date links for others");

        // The form: this date in the event's zone; others get 403, unknown dates 404.
        let (status, form) = get_page(&s, &cookie, &date).await;
        assert_eq!(status, 200);
        assert!(form.contains("value=\"2027-01-19\"") && form.contains("value=\"18:00\""), "{form}");
        assert!(form.contains("value=\"20:00\""), "{form}");
        assert_eq!(get_page(&s, &cookie_other, &date).await.0, 403);
        for unknown in ["20270120T170000Z", "2027-01-19T17:00:00Z", "nonsense"] {
            assert_eq!(get_page(&s, &cookie, &format!("/a/ms/events/{id}/occurrences/{unknown}")).await.0, 404);
        }

        // A bad change is shown at its field and changes nothing.
        let bad = [("csrf", csrf.as_str()), ("date", "2027-01-20"), ("start", "19:30"), ("end", "17:00")];
        let (status, _, html) = post_page(&s, &cookie, &date, &bad).await;
        assert_eq!(status, 422);
        assert!(html.contains("href=\"#o-end\""), "{html}");
        assert_eq!(s.count_rows("event_occurrence_changes").await, 0);
        let hijack = [("csrf", csrf_other.as_str()), ("date", "2027-01-20"), ("start", "19:30"), ("end", "21:00")];
        assert_eq!(post_page(&s, &cookie_other, &date, &hijack).await.0, 403);

        // A good change: the new time and this date's place; the registered are told.
        let good = [
            ("csrf", csrf.as_str()),
            ("date", "2027-01-20"),
            ("start", "19:30"),
            ("end", "21:00"),
            ("location", "Saal B, Hinterhaus"),
            ("online_url", ""),
        ];
        let (status, location, _) = post_page(&s, &cookie, &date, &good).await;
        assert_eq!(status, 303);
        assert!(location.ends_with(&format!("/events/{id}?done=occurrence-changed")), "{location}");
        let seen = ok(&s, &organiser.token, "GET", &format!("{API}/events/{id}"), None).await;
        let o = &seen["occurrences"][1];
        assert_eq!(
            (o["starts_at"].as_str(), o["location"].as_str()),
            (Some("2027-01-20T18:30:00Z"), Some("Saal B, Hinterhaus"))
        );
        let notes = ok(&s, &guest.token, "GET", &format!("{API}/notifications"), None).await;
        assert_eq!(notes["notifications"][0]["kind"], "event_changed", "{notes}");

        // Cancelling a date asks first (without JavaScript, a page); nothing before that.
        let third = format!("/a/ms/events/{id}/occurrences/20270126T170000Z/cancel");
        let (status, _, html) = post_page(&s, &cookie, &third, &[("csrf", csrf.as_str())]).await;
        assert_eq!(status, 200);
        assert!(html.contains("name=\"confirm\"") && html.contains("/occurrences/20270126T170000Z/cancel"), "{html}");
        let seen = ok(&s, &organiser.token, "GET", &format!("{API}/events/{id}"), None).await;
        assert_eq!(seen["occurrences"][2]["cancelled"], false);
        assert_eq!(
            post_page(&s, &cookie_other, &third, &[("csrf", csrf_other.as_str()), ("confirm", "1")]).await.0,
            303
        );
        let seen = ok(&s, &organiser.token, "GET", &format!("{API}/events/{id}"), None).await;
        assert_eq!(seen["occurrences"][2]["cancelled"], false, "not by someone else");
        let (status, location, _) = post_page(&s, &cookie, &third, &[("csrf", csrf.as_str()), ("confirm", "1")]).await;
        assert_eq!(status, 303);
        assert!(location.ends_with(&format!("/events/{id}?done=occurrence-cancelled")), "{location}");
        let seen = ok(&s, &organiser.token, "GET", &format!("{API}/events/{id}"), None).await;
        let cancelled: Vec<bool> = seen["occurrences"]
            .as_array()
            .expect("occurrences")
            .iter()
            .map(|o| o["cancelled"].as_bool().unwrap_or(false))
            .collect();
        assert_eq!(cancelled, [false, false, true, false]);

        // Cancelling the whole event goes through the confirmation page too,
        // which posts the reason again.
        let cancel = format!("/a/ms/events/{id}/cancel");
        let (status, _, html) =
            post_page(&s, &cookie, &cancel, &[("csrf", csrf.as_str()), ("reason", "Krankheit")]).await;
        assert_eq!(status, 200);
        assert!(html.contains("name=\"reason\" value=\"Krankheit\"") && html.contains("name=\"confirm\""), "{html}");
        let seen = ok(&s, &organiser.token, "GET", &format!("{API}/events/{id}"), None).await;
        assert_eq!(seen["cancelled"], false, "nothing before the confirmation");
        let form = [("csrf", csrf.as_str()), ("reason", "Krankheit"), ("confirm", "1")];
        let (status, location, _) = post_page(&s, &cookie, &cancel, &form).await;
        assert_eq!(status, 303);
        assert!(location.ends_with(&format!("/events/{id}?done=cancelled")), "{location}");
        let seen = ok(&s, &organiser.token, "GET", &format!("{API}/events/{id}"), None).await;
        assert_eq!((seen["cancelled"].as_bool(), seen["cancel_reason"].as_str()), (Some(true), Some("Krankheit")));
        // A cancelled event's dates have no forms any more.
        let (status, location, _) = post_page(&s, &cookie, &date, &good).await;
        assert!(status == 303 && location.contains("problem=cancelled"), "{status} {location}");
        s.stop().await;
    }
}

#[tokio::test]
async fn leaving_a_group_gives_up_its_places_and_the_first_waiting_moves_up() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = s.ms_association("ms").await;
        let lead = someone(&s, &a, "Kreisleitung").await;
        let leaver = someone(&s, &a, "Gehender Gerd").await;
        let waiting = someone(&s, &a, "Wartende Wilma").await;
        let group = json!({"name": "Kreis", "description": "", "visibility": "secret"});
        let group = ok(&s, &lead.token, "POST", &format!("{API}/groups"), Some(group)).await["group_id"]
            .as_str()
            .expect("group")
            .to_owned();
        for who in [&leaver, &waiting] {
            ok(
                &s,
                &lead.token,
                "POST",
                &format!("{API}/groups/{group}/invitations"),
                Some(json!({"member_id": who.id})),
            )
            .await;
            ok(&s, &who.token, "POST", &format!("{API}/groups/{group}/join"), None).await;
        }
        let mut body = event("Einzige Stelle");
        body["capacity"] = json!(1);
        body["group_id"] = json!(group);
        let id = create(&s, &lead, body).await;
        let registration = format!("{API}/events/{id}/registration");
        assert_eq!(ok(&s, &leaver.token, "POST", &registration, None).await["status"], "registered", "{db:?}");
        assert_eq!(ok(&s, &waiting.token, "POST", &registration, None).await["status"], "waitlisted", "{db:?}");

        ok(&s, &leaver.token, "POST", &format!("{API}/groups/{group}/leave"), None).await;
        let attendees = ok(&s, &lead.token, "GET", &format!("{API}/events/{id}/attendees"), None).await;
        let list = attendees["attendees"].as_array().cloned().unwrap_or_default();
        assert_eq!(list.len(), 1, "{db:?}: the leaver's place is given up: {attendees}");
        assert_eq!(list[0]["member_id"], waiting.id.as_str(), "{db:?}: {attendees}");
        assert_eq!(list[0]["status"], "registered", "{db:?}: the first waiting moved up: {attendees}");
        let seen = ok(&s, &waiting.token, "GET", &format!("{API}/events/{id}"), None).await;
        assert_eq!(seen["my_status"], "registered", "{db:?}: {seen}");
        s.stop().await;
    }
}
