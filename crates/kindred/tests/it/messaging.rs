//! Messaging over HTTP, on both databases: the policy matrix (each
//! setting × contact / shared group / stranger / blocked / role pair);
//! requests and declines tell the sender nothing; a non-member — an admin
//! included — gets 404 on every conversation endpoint, like an unknown id;
//! a member who left gets nothing new; disappearing messages leave the
//! database; a dump holds no message text or attachment bytes; deleting a
//! conversation's key leaves nothing readable; bad input changes nothing.

use crate::harness::{TestServer, BOTH};
use crate::members::{call, ok, someone, Someone, PASSWORD};
use kindred_service::{Association, Clock};
use serde_json::{json, Value};

fn api(a: &Association) -> String {
    format!("/a/{}/api/v1", a.slug.as_str())
}

async fn association(s: &TestServer, slug: &str, policy: &str) -> Association {
    let toml = format!("[policies]\nmessaging = \"{policy}\"\ngroup_creation = \"members\"\n");
    s.association(slug, "Test", &toml).await
}

/// Any method, the raw answer: (status, body text).
async fn raw(s: &TestServer, token: &str, method: &str, path: &str, body: Option<Value>) -> (u16, String) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut request = s.client.request(method, s.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request");
    (response.status().as_u16(), response.text().await.expect("body"))
}

async fn befriend(s: &TestServer, a: &Association, x: &Someone, y: &Someone) {
    let base = api(a);
    let request =
        ok(s, &x.token, "POST", &format!("{base}/contacts/requests"), Some(json!({"to": y.id, "level": 1}))).await;
    let id = request["request_id"].as_str().expect("request id");
    ok(s, &y.token, "POST", &format!("{base}/contacts/requests/{id}/accept"), Some(json!({"level": 1}))).await;
}

async fn start(s: &TestServer, a: &Association, from: &Someone, to: &[&str], text: &str) -> (u16, Value) {
    call(s, &from.token, "POST", &format!("{}/conversations", api(a)), Some(json!({"members": to, "message": text})))
        .await
}

/// A staff account (signed in with its second factor where required).
async fn staff(s: &TestServer, a: &Association, name: &str, role: &str) -> Someone {
    let email = format!("{}@example.org", name.to_lowercase().replace(' ', "."));
    let id = s.user(a, &email, name, role).await;
    let token = s.login_staff(a, &email).await;
    Someone { id, token }
}

/// The cast of the policy matrix, seen from `writer`.
struct Cast {
    writer: Someone,
    contact: Someone,
    grouped: Someone,
    stranger: Someone,
    blocker: Someone,
    professional: Someone,
    admin: Someone,
}

async fn cast(s: &TestServer, a: &Association) -> Cast {
    let base = api(a);
    let writer = someone(s, a, "Writer Wanda").await;
    let contact = someone(s, a, "Contact Carl").await;
    let grouped = someone(s, a, "Grouped Greta").await;
    let stranger = someone(s, a, "Stranger Sam").await;
    let blocker = someone(s, a, "Blocker Bea").await;
    let professional = staff(s, a, "Doctor Dora", "professional").await;
    let admin = staff(s, a, "Admin Ada", "admin").await;
    befriend(s, a, &writer, &contact).await;
    befriend(s, a, &writer, &professional).await;
    befriend(s, a, &writer, &admin).await;
    let group = ok(
        s,
        &writer.token,
        "POST",
        &format!("{base}/groups"),
        Some(json!({"name": "Gesprächskreis", "visibility": "open"})),
    )
    .await;
    let group = group["group_id"].as_str().expect("group id");
    ok(s, &grouped.token, "POST", &format!("{base}/groups/{group}/join"), None).await;
    ok(s, &blocker.token, "POST", &format!("{base}/blocks"), Some(json!({"member_id": writer.id}))).await;
    Cast { writer, contact, grouped, stranger, blocker, professional, admin }
}

#[tokio::test]
async fn the_policy_matrix() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        // (policy, contact, shared group, stranger, professional contact, admin contact)
        let table = [
            ("anyone", "active", "request", "request", "request", 403),
            ("contacts", "active", "403", "403", "request", 403),
            ("contacts_and_groups", "active", "request", "403", "request", 403),
        ];
        for (i, (policy, contact, grouped, stranger, professional, admin)) in table.into_iter().enumerate() {
            let a = association(&s, &format!("p{i}"), policy).await;
            let c = cast(&s, &a).await;
            let expect = |(status, body): (u16, Value), want: &str, who: &str| {
                if want == "403" {
                    assert_eq!(status, 403, "{policy} {who}: {body}");
                    assert_eq!(body["error"]["code"], "messaging_not_allowed", "{policy} {who}");
                } else {
                    assert_eq!(status, 201, "{policy} {who}: {body}");
                    assert_eq!(body["status"], want, "{policy} {who}");
                }
            };
            expect(start(&s, &a, &c.writer, &[&c.contact.id], "Hallo").await, contact, "contact");
            expect(start(&s, &a, &c.writer, &[&c.grouped.id], "Hallo").await, grouped, "shared group");
            expect(start(&s, &a, &c.writer, &[&c.stranger.id], "Hallo").await, stranger, "stranger");
            expect(start(&s, &a, &c.writer, &[&c.professional.id], "Hallo").await, professional, "professional");
            let (status, body) = start(&s, &a, &c.writer, &[&c.admin.id], "Hallo").await;
            assert_eq!(status, admin, "{policy} admin: {body}");
            assert_eq!(body["error"]["code"], "messaging_not_allowed");
            // Blocked: the member does not exist for the writer, as an unknown id.
            let (status, blocked) = raw(
                &s,
                &c.writer.token,
                "POST",
                &format!("{}/conversations", api(&a)),
                Some(json!({"members": [c.blocker.id], "message": "Hallo"})),
            )
            .await;
            let (_, unknown) = raw(
                &s,
                &c.writer.token,
                "POST",
                &format!("{}/conversations", api(&a)),
                Some(json!({"members": ["aaaaaaaaaaaaaaaaaaaaaaaaaa"], "message": "Hallo"})),
            )
            .await;
            assert_eq!((status, &blocked), (404, &unknown), "{policy}: blocked as unknown");
            // And the other way round.
            assert_eq!(start(&s, &a, &c.blocker, &[&c.writer.id], "Hallo").await.0, 404);
            // Staff may start; the member answers there.
            let (status, started) = start(&s, &a, &c.admin, &[&c.writer.id], "Guten Tag").await;
            assert_eq!((status, started["status"].as_str()), (201, Some("active")), "{policy}: {started}");
            let id = started["conversation_id"].as_str().expect("id");
            let (status, _) = call(
                &s,
                &c.writer.token,
                "POST",
                &format!("{}/conversations/{id}/messages", api(&a)),
                Some(json!({"body": "Danke!"})),
            )
            .await;
            assert_eq!(status, 201, "{policy}: answering staff");
            // A group conversation only with members one may write to directly.
            let (status, _) = start(&s, &a, &c.writer, &[&c.contact.id, &c.grouped.id], "Alle").await;
            assert_eq!(status, 403, "{policy}: group conversation with a non-contact");
        }
        s.stop().await;
    }
}

#[tokio::test]
async fn requests_and_declines_tell_the_sender_nothing() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = association(&s, "req", "anyone").await;
        let base = api(&a);
        let sender = someone(&s, &a, "Sender Sina").await;
        let recipient = someone(&s, &a, "Recipient Rolf").await;
        let (status, started) = start(&s, &a, &sender, &[&recipient.id], "Darf ich fragen?").await;
        assert_eq!((status, started["status"].as_str()), (201, Some("request")));
        let id = started["conversation_id"].as_str().expect("id").to_owned();

        // The recipient sees the sender's pseudonym and the first message.
        let list = ok(&s, &recipient.token, "GET", &format!("{base}/conversations"), None).await;
        assert_eq!(list["conversations"][0]["status"], "request");
        assert_eq!(list["conversations"][0]["unread_count"], 1);
        let text = serde_json::to_string(&list).expect("json");
        assert!(text.contains("Sender Sina"), "{text}");
        let page = ok(&s, &recipient.token, "GET", &format!("{base}/conversations/{id}/messages"), None).await;
        assert_eq!(page["messages"][0]["body"], "Darf ich fragen?");
        // And a notification that names nobody and leads to the request.
        let notifications = ok(&s, &recipient.token, "GET", &format!("{base}/notifications"), None).await;
        let request = &notifications["notifications"][0];
        assert_eq!(
            (request["kind"].as_str(), request["conversation_id"].as_str()),
            (Some("message_request"), Some(id.as_str()))
        );
        assert!(request.get("actor").is_none());

        let observe = |token: String| {
            let s = &s;
            let base = base.clone();
            let id = id.clone();
            let to = recipient.id.clone();
            async move {
                vec![
                    raw(s, &token, "GET", &format!("{base}/conversations"), None).await,
                    raw(s, &token, "GET", &format!("{base}/conversations/{id}/messages"), None).await,
                    raw(
                        s,
                        &token,
                        "POST",
                        &format!("{base}/conversations/{id}/messages"),
                        Some(json!({"body": "Und?"})),
                    )
                    .await,
                    raw(
                        s,
                        &token,
                        "POST",
                        &format!("{base}/conversations"),
                        Some(json!({"members": [to], "message": "Hallo?"})),
                    )
                    .await,
                    raw(
                        s,
                        &token,
                        "PUT",
                        &format!("{base}/conversations/{id}/disappearing"),
                        Some(json!({"seconds": 600})),
                    )
                    .await,
                ]
            }
        };
        let pending = observe(sender.token.clone()).await;
        assert_eq!(pending[2].0, 409, "{}", pending[2].1);
        assert!(pending[2].1.contains("request_pending"));
        assert_eq!(pending[3].0, 409, "a second request while one waits");
        ok(&s, &recipient.token, "POST", &format!("{base}/conversations/{id}/decline"), None).await;
        let declined = observe(sender.token.clone()).await;
        assert_eq!(pending, declined, "the sender's answers are the same after a decline");
        // Gone for the recipient.
        assert_eq!(
            call(&s, &recipient.token, "GET", &format!("{base}/conversations/{id}/messages"), None).await.0,
            404
        );
        let list = ok(&s, &recipient.token, "GET", &format!("{base}/conversations"), None).await;
        assert_eq!(list["conversations"], json!([]));

        // Accepting makes it active for both.
        let other = someone(&s, &a, "Other Olga").await;
        let (_, started) = start(&s, &a, &other, &[&recipient.id], "Hallo Rolf").await;
        let id = started["conversation_id"].as_str().expect("id");
        assert_eq!(call(&s, &other.token, "POST", &format!("{base}/conversations/{id}/accept"), None).await.0, 409);
        ok(&s, &recipient.token, "POST", &format!("{base}/conversations/{id}/accept"), None).await;
        let page = ok(&s, &other.token, "GET", &format!("{base}/conversations/{id}/messages"), None).await;
        assert_eq!(page["status"], "active");
        ok(&s, &other.token, "POST", &format!("{base}/conversations/{id}/messages"), Some(json!({"body": "Schön!"})))
            .await;
        s.stop().await;
    }
}

/// `count` starts from `from` to `to` sent at the same moment: (status, body) each.
async fn starts_at_once(s: &TestServer, a: &Association, from: &Someone, to: &str, count: usize) -> Vec<(u16, Value)> {
    let mut tasks = Vec::new();
    for i in 0..count {
        let request = s
            .client
            .post(s.url(&format!("{}/conversations", api(a))))
            .bearer_auth(&from.token)
            .json(&json!({"members": [to], "message": format!("Zugleich {i}")}));
        tasks.push(tokio::spawn(async move {
            let response = request.send().await.expect("request");
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.unwrap_or(Value::Null))
        }));
    }
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.expect("task"));
    }
    answers
}

#[tokio::test]
async fn starts_at_the_same_moment_make_one_conversation_per_pair() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = association(&s, "race", "anyone").await;
        let base = api(&a);
        let c = someone(&s, &a, "Carla").await;
        let d = someone(&s, &a, "Dieter").await;
        let e = someone(&s, &a, "Emil").await;
        befriend(&s, &a, &c, &d).await;
        // Contacts: every message lands in the one conversation the two have.
        let answers = starts_at_once(&s, &a, &c, &d.id, 6).await;
        assert!(answers.iter().all(|(status, _)| *status == 201), "{db:?}: {answers:?}");
        let ids: std::collections::BTreeSet<&str> =
            answers.iter().filter_map(|(_, body)| body["conversation_id"].as_str()).collect();
        assert_eq!(ids.len(), 1, "{db:?}: {answers:?}");
        let contact = ids.first().expect("id").to_string();
        let page = ok(&s, &d.token, "GET", &format!("{base}/conversations/{contact}/messages"), None).await;
        assert_eq!(page["messages"].as_array().map(Vec::len), Some(6), "{page}");

        // A request: one is made, the others answer as they would after it.
        let answers = starts_at_once(&s, &a, &c, &e.id, 6).await;
        let made: Vec<&Value> = answers.iter().filter(|(status, _)| *status == 201).map(|(_, body)| body).collect();
        assert_eq!(made.len(), 1, "{db:?}: {answers:?}");
        assert_eq!(made[0]["status"], "request");
        assert!(
            answers
                .iter()
                .filter(|(status, _)| *status != 201)
                .all(|(status, body)| *status == 409 && body["error"]["code"] == "request_pending"),
            "{db:?}: {answers:?}"
        );
        let list = ok(&s, &e.token, "GET", &format!("{base}/conversations"), None).await;
        assert_eq!(list["conversations"].as_array().map(Vec::len), Some(1), "{list}");
        let request = made[0]["conversation_id"].as_str().expect("id").to_owned();
        // Writing back takes the request up: the same conversation, now active.
        let (status, back) = start(&s, &a, &e, &[&c.id], "Gern!").await;
        assert_eq!(
            (status, back["conversation_id"].as_str(), back["status"].as_str()),
            (201, Some(&*request), Some("active"))
        );
        ok(&s, &c.token, "POST", &format!("{base}/conversations/{request}/messages"), Some(json!({"body": "Schön"})))
            .await;

        // Once one of the two has left, they may start anew.
        ok(&s, &c.token, "POST", &format!("{base}/conversations/{contact}/leave"), None).await;
        let (status, again) = start(&s, &a, &d, &[&c.id], "Noch einmal").await;
        assert_eq!(status, 201, "{again}");
        assert_ne!(again["conversation_id"].as_str(), Some(contact.as_str()));
        s.stop().await;
    }
}

#[tokio::test]
async fn outsiders_and_admins_get_404_on_every_endpoint() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = association(&s, "out", "anyone").await;
        let base = api(&a);
        let x = someone(&s, &a, "Xaver").await;
        let y = someone(&s, &a, "Yvonne").await;
        befriend(&s, &a, &x, &y).await;
        let (_, started) = start(&s, &a, &x, &[&y.id], "Nur für uns").await;
        let id = started["conversation_id"].as_str().expect("id").to_owned();
        let sent =
            ok(&s, &x.token, "POST", &format!("{base}/conversations/{id}/messages"), Some(json!({"body": "Zwei"})))
                .await;
        let message = sent["message_id"].as_str().expect("message id").to_owned();
        let upload = s
            .client
            .post(s.url(&format!("{base}/conversations/{id}/attachments")))
            .bearer_auth(&x.token)
            .header("content-type", "application/pdf")
            .body(b"%PDF-1.4 tiny".to_vec())
            .send()
            .await
            .expect("upload");
        assert_eq!(upload.status(), 201);
        let file: Value = upload.json().await.expect("json");
        let file = file["attachment_id"].as_str().expect("attachment id").to_owned();
        ok(
            &s,
            &x.token,
            "POST",
            &format!("{base}/conversations/{id}/messages"),
            Some(json!({"body": "Anbei", "attachments": [file]})),
        )
        .await;

        let admin = staff(&s, &a, "Admin Ada", "admin").await;
        let outsider = someone(&s, &a, "Outsider Otto").await;
        let unknown = "aaaaaaaaaaaaaaaaaaaaaaaaaa";
        let endpoints = |conversation: &str| {
            vec![
                ("GET", format!("{base}/conversations/{conversation}/messages"), None),
                ("POST", format!("{base}/conversations/{conversation}/messages"), Some(json!({"body": "Hallo"}))),
                (
                    "PATCH",
                    format!("{base}/conversations/{conversation}/messages/{message}"),
                    Some(json!({"body": "x"})),
                ),
                ("DELETE", format!("{base}/conversations/{conversation}/messages/{message}"), None),
                ("POST", format!("{base}/conversations/{conversation}/accept"), None),
                ("POST", format!("{base}/conversations/{conversation}/decline"), None),
                ("POST", format!("{base}/conversations/{conversation}/read"), Some(json!({"message_id": message}))),
                ("PUT", format!("{base}/conversations/{conversation}/disappearing"), Some(json!({"seconds": 600}))),
                ("POST", format!("{base}/conversations/{conversation}/leave"), None),
                ("GET", format!("{base}/conversations/{conversation}/attachments/{file}"), None),
            ]
        };
        for who in [&admin, &outsider] {
            for ((method, path, body), (_, unknown_path, unknown_body)) in
                endpoints(&id).into_iter().zip(endpoints(unknown))
            {
                let seen = raw(&s, &who.token, method, &path, body).await;
                let never = raw(&s, &who.token, method, &unknown_path, unknown_body).await;
                assert_eq!(seen.0, 404, "{method} {path}");
                assert_eq!(seen, never, "{method} {path}: as an unknown id");
            }
            let list = ok(&s, &who.token, "GET", &format!("{base}/conversations"), None).await;
            assert_eq!(list["conversations"], json!([]));
            assert_eq!(list["unread_total"], 0);
        }
        // The upload answers 404 too (a body, not JSON).
        let response = s
            .client
            .post(s.url(&format!("{base}/conversations/{id}/attachments")))
            .bearer_auth(&admin.token)
            .header("content-type", "application/pdf")
            .body(b"%PDF-1.4".to_vec())
            .send()
            .await
            .expect("upload");
        assert_eq!(response.status(), 404);
        // Nothing of it reaches the audit log either.
        let (_, audit) = raw(&s, &admin.token, "GET", &format!("{base}/admin/audit-log"), None).await;
        assert!(!audit.contains("Nur für uns") && !audit.contains(&id));
        s.stop().await;
    }
}

#[tokio::test]
async fn a_member_who_left_gets_nothing_new() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = association(&s, "leave", "contacts").await;
        let base = api(&a);
        let x = someone(&s, &a, "Xaver").await;
        let y = someone(&s, &a, "Yvonne").await;
        let z = someone(&s, &a, "Zora").await;
        befriend(&s, &a, &x, &y).await;
        befriend(&s, &a, &x, &z).await;
        let (status, started) = start(&s, &a, &x, &[&y.id, &z.id], "Wir drei").await;
        assert_eq!(status, 201, "{started}");
        let id = started["conversation_id"].as_str().expect("id").to_owned();
        let page = ok(&s, &y.token, "GET", &format!("{base}/conversations/{id}/messages"), None).await;
        assert_eq!(page["members"].as_array().map(Vec::len), Some(3));
        ok(&s, &z.token, "POST", &format!("{base}/conversations/{id}/leave"), None).await;
        ok(
            &s,
            &x.token,
            "POST",
            &format!("{base}/conversations/{id}/messages"),
            Some(json!({"body": "Nach dem Gehen"})),
        )
        .await;
        assert_eq!(call(&s, &z.token, "GET", &format!("{base}/conversations/{id}/messages"), None).await.0, 404);
        assert_eq!(
            call(&s, &z.token, "POST", &format!("{base}/conversations/{id}/messages"), Some(json!({"body": "?"})))
                .await
                .0,
            404
        );
        let list = ok(&s, &z.token, "GET", &format!("{base}/conversations"), None).await;
        assert_eq!(list["conversations"], json!([]));
        assert_eq!(list["unread_total"], 0);
        let page = ok(&s, &y.token, "GET", &format!("{base}/conversations/{id}/messages"), None).await;
        assert_eq!(page["members"].as_array().map(Vec::len), Some(2), "the leaver is no longer listed");
        assert_eq!(page["messages"][0]["body"], "Nach dem Gehen");
        s.stop().await;
    }
}

#[tokio::test]
async fn messages_edit_delete_read_and_unread_counts() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = association(&s, "flow", "contacts").await;
        let base = api(&a);
        let x = someone(&s, &a, "Xaver").await;
        let y = someone(&s, &a, "Yvonne").await;
        befriend(&s, &a, &x, &y).await;
        let (_, started) = start(&s, &a, &x, &[&y.id], "Erste **Nachricht**").await;
        let id = started["conversation_id"].as_str().expect("id").to_owned();
        let mut ids = Vec::new();
        for i in 0..3 {
            let sent = ok(
                &s,
                &x.token,
                "POST",
                &format!("{base}/conversations/{id}/messages"),
                Some(json!({"body": format!("Nr. {i}")})),
            )
            .await;
            ids.push(sent["message_id"].as_str().expect("id").to_owned());
        }
        let list = ok(&s, &y.token, "GET", &format!("{base}/conversations"), None).await;
        assert_eq!(list["conversations"][0]["unread_count"], 4);
        assert_eq!(list["unread_total"], 4);
        let mine = ok(&s, &x.token, "GET", &format!("{base}/conversations"), None).await;
        assert_eq!(mine["conversations"][0]["unread_count"], 0, "one's own messages are read");
        // One mail only until Yvonne reads, and it says nothing of the content.
        // (Xaver's contact request may have been mailed to her too.)
        let about_messages = |mails: Vec<String>| -> Vec<String> {
            mails.into_iter().filter(|m| m.contains("neuen Nachrichten") || m.contains("new messages")).collect()
        };
        let mut mails = Vec::new();
        for _ in 0..100 {
            mails = about_messages(s.mails_to("yvonne@example.org", 0).await);
            if !mails.is_empty() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert_eq!(
            about_messages(s.mails_to("yvonne@example.org", 0).await).len(),
            1,
            "one mail per conversation until read"
        );
        assert!(!mails[0].contains("Nachricht**") && !mails[0].contains("Nr. 1") && !mails[0].contains("Xaver"));
        ok(&s, &y.token, "POST", &format!("{base}/conversations/{id}/read"), Some(json!({"message_id": ids[1]}))).await;
        let list = ok(&s, &y.token, "GET", &format!("{base}/conversations"), None).await;
        assert_eq!(list["conversations"][0]["unread_count"], 1);
        // Newest first; Markdown rendered safely.
        let page = ok(&s, &y.token, "GET", &format!("{base}/conversations/{id}/messages"), None).await;
        let bodies: Vec<&str> =
            page["messages"].as_array().expect("messages").iter().filter_map(|m| m["body"].as_str()).collect();
        assert_eq!(bodies, ["Nr. 2", "Nr. 1", "Nr. 0", "Erste **Nachricht**"]);
        assert!(page["messages"][3]["body_html"].as_str().is_some_and(|h| h.contains("<strong>Nachricht</strong>")));
        assert_eq!(page["messages"][0]["sender_id"], x.id.as_str());
        // Only the sender edits or deletes.
        let path = format!("{base}/conversations/{id}/messages/{}", ids[0]);
        assert_eq!(call(&s, &y.token, "PATCH", &path, Some(json!({"body": "gefälscht"}))).await.0, 403);
        assert_eq!(call(&s, &y.token, "DELETE", &path, None).await.0, 403);
        let edited = ok(&s, &x.token, "PATCH", &path, Some(json!({"body": "Nr. 0, korrigiert"}))).await;
        assert_eq!(edited["body"], "Nr. 0, korrigiert");
        assert!(edited["edited_at"].is_string());
        let path = format!("{base}/conversations/{id}/messages/{}", ids[1]);
        assert_eq!(call(&s, &x.token, "DELETE", &path, None).await.0, 204);
        let page = ok(&s, &y.token, "GET", &format!("{base}/conversations/{id}/messages"), None).await;
        let deleted =
            page["messages"].as_array().expect("messages").iter().find(|m| m["message_id"] == ids[1].as_str()).cloned();
        assert_eq!(deleted.as_ref().map(|m| m["kind"].clone()), Some(json!("deleted")));
        assert!(deleted.is_some_and(|m| m.get("body").is_none()));
        // Deleted is gone: a repeat answers 404, like a deleted post's, for sender and reader alike.
        assert_eq!(call(&s, &x.token, "DELETE", &path, None).await.0, 404);
        assert_eq!(call(&s, &y.token, "DELETE", &path, None).await.0, 404);
        assert_eq!(call(&s, &x.token, "PATCH", &path, Some(json!({"body": "wieder da"}))).await.0, 404);
        // Paging back.
        for i in 0..50 {
            ok(
                &s,
                &x.token,
                "POST",
                &format!("{base}/conversations/{id}/messages"),
                Some(json!({"body": format!("Mehr {i}")})),
            )
            .await;
        }
        let first = ok(&s, &y.token, "GET", &format!("{base}/conversations/{id}/messages"), None).await;
        assert_eq!(first["messages"].as_array().map(Vec::len), Some(50));
        let before = first["next_before"].as_str().expect("more");
        let second =
            ok(&s, &y.token, "GET", &format!("{base}/conversations/{id}/messages?before={before}"), None).await;
        assert_eq!(second["messages"].as_array().map(Vec::len), Some(4));
        assert!(
            second["next_before"].is_null() && second.get("next_before").is_some(),
            "null on the oldest page: {second}"
        );
        s.stop().await;
    }
}

#[tokio::test]
async fn disappearing_messages_leave_the_database() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = association(&s, "gone", "contacts").await;
        let base = api(&a);
        let x = someone(&s, &a, "Xaver").await;
        let y = someone(&s, &a, "Yvonne").await;
        befriend(&s, &a, &x, &y).await;
        let (_, started) = start(&s, &a, &x, &[&y.id], "Bleibt").await;
        let id = started["conversation_id"].as_str().expect("id").to_owned();
        let path = format!("{base}/conversations/{id}/disappearing");
        for bad in [json!({"seconds": 299}), json!({"seconds": 2_419_201}), json!({"seconds": -5}), json!({})] {
            let (status, body) = call(&s, &x.token, "PUT", &path, Some(bad)).await;
            assert_eq!(status, 422, "{body}");
            assert!(body["error"]["fields"]["seconds"].is_string());
        }
        // Turning off what is off changes nothing and says nothing.
        let set = ok(&s, &y.token, "PUT", &path, Some(json!({"seconds": null}))).await;
        assert_eq!(set["seconds"], Value::Null);
        let page = ok(&s, &x.token, "GET", &format!("{base}/conversations/{id}/messages"), None).await;
        assert_eq!(page["messages"].as_array().map(Vec::len), Some(1), "{db:?}: no system line: {page}");
        let set = ok(&s, &y.token, "PUT", &path, Some(json!({"seconds": 300}))).await;
        assert_eq!(set["seconds"], 300);
        let page = ok(&s, &x.token, "GET", &format!("{base}/conversations/{id}/messages"), None).await;
        assert_eq!(page["messages"][0]["kind"], "system", "announced");
        assert_eq!(page["messages"][0]["system"]["disappearing_seconds"], 300);
        assert_eq!(page["disappearing_seconds"], 300);
        ok(&s, &x.token, "POST", &format!("{base}/conversations/{id}/messages"), Some(json!({"body": "Verschwindet"})))
            .await;
        let rows = format!("SELECT CAST(COUNT(*) AS TEXT) FROM messages WHERE conversation_id = '{id}'");
        let before = crate::forum::sql(&s, &rows).await;
        assert_eq!(s.kindred.erase_due(s.clock.now()).await.expect("erase"), 0, "not yet");
        let unread = |list: Value| (list["conversations"][0]["unread_count"].clone(), list["unread_total"].clone());
        let conversations = format!("{base}/conversations");
        let (one, total) = unread(ok(&s, &y.token, "GET", &conversations, None).await);
        s.clock.advance(chrono::Duration::seconds(301));
        // Gone for readers the moment its time has come, before the job
        // (once a minute) erases the rows: the counts too.
        let (one_after, total_after) = unread(ok(&s, &y.token, "GET", &conversations, None).await);
        assert_eq!(
            (one.as_i64().map(|n| n - 1), total.as_i64().map(|n| n - 1)),
            (one_after.as_i64(), total_after.as_i64()),
            "{db:?}"
        );
        let page = ok(&s, &y.token, "GET", &format!("{base}/conversations/{id}/messages"), None).await;
        let bodies: Vec<&str> =
            page["messages"].as_array().expect("messages").iter().filter_map(|m| m["body"].as_str()).collect();
        assert_eq!(bodies, ["Bleibt"], "{db:?}: {page}");
        let erased = s.kindred.erase_due(s.clock.now()).await.expect("erase");
        assert_eq!(erased, 2, "the announcement and the message");
        assert_eq!(s.kindred.erase_due(s.clock.now()).await.expect("erase"), 0, "idempotent");
        let page = ok(&s, &x.token, "GET", &format!("{base}/conversations/{id}/messages"), None).await;
        let bodies: Vec<&str> =
            page["messages"].as_array().expect("messages").iter().filter_map(|m| m["body"].as_str()).collect();
        assert_eq!(bodies, ["Bleibt"]);
        // The rows are gone: the database is smaller by them.
        // (The live events that take them from open sockets name the
        // conversation: count its messages' rows, not its id's mentions.)
        let after = crate::forum::sql(&s, &rows).await;
        assert_eq!((before[0][0].as_deref(), after[0][0].as_deref()), (Some("3"), Some("1")), "{db:?}: rows deleted");
        ok(&s, &x.token, "PUT", &path, Some(json!({"seconds": null}))).await;
        ok(&s, &x.token, "POST", &format!("{base}/conversations/{id}/messages"), Some(json!({"body": "Bleibt auch"})))
            .await;
        s.clock.advance(chrono::Duration::weeks(5));
        assert_eq!(s.kindred.erase_due(s.clock.now()).await.expect("erase"), 0, "turned off");
        // Two nodes at once erase each message once; the scheduler's job does the same work.
        // (Five weeks on, the sessions have run out: sign in again.)
        let x = Someone { token: s.login(a.slug.as_str(), "xaver@example.org", PASSWORD).await, ..x };
        let y = Someone { token: s.login(a.slug.as_str(), "yvonne@example.org", PASSWORD).await, ..y };
        ok(&s, &x.token, "PUT", &path, Some(json!({"seconds": 300}))).await;
        for i in 0..3 {
            ok(
                &s,
                &y.token,
                "POST",
                &format!("{base}/conversations/{id}/messages"),
                Some(json!({"body": format!("Kurz {i}")})),
            )
            .await;
        }
        s.clock.advance(chrono::Duration::seconds(301));
        let (one, two) = tokio::join!(s.kindred.erase_due(s.clock.now()), s.kindred.erase_due(s.clock.now()));
        assert_eq!(one.expect("erase") + two.expect("erase"), 4, "the announcement and three messages, once each");
        ok(&s, &y.token, "POST", &format!("{base}/conversations/{id}/messages"), Some(json!({"body": "Zuletzt"})))
            .await;
        s.clock.advance(chrono::Duration::seconds(301));
        let job = kindred_service::jobs::all()
            .into_iter()
            .find(|j| j.name == "disappearing-messages")
            .expect("the disappearing-messages job");
        let outcome = kindred_service::jobs::run_once(&s.kindred, &job, "node-a").await.expect("run");
        assert!(matches!(outcome, kindred_service::jobs::Outcome::Ran(1)), "{outcome:?}");
        s.stop().await;
    }
}

#[tokio::test]
async fn sealed_at_rest_and_unreadable_without_the_key() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = association(&s, "seal", "contacts").await;
        let base = api(&a);
        let x = someone(&s, &a, "Xaver").await;
        let y = someone(&s, &a, "Yvonne").await;
        befriend(&s, &a, &x, &y).await;
        let secret = "Zebrafinkgeheimnis 4711 Vertraulich";
        let (_, started) = start(&s, &a, &x, &[&y.id], secret).await;
        let id = started["conversation_id"].as_str().expect("id").to_owned();
        let pdf = b"%PDF-1.4\n% Pdfmarkierung Quokka 0815\n".to_vec();
        let upload = s
            .client
            .post(s.url(&format!("{base}/conversations/{id}/attachments")))
            .bearer_auth(&x.token)
            .header("content-type", "application/pdf")
            .body(pdf.clone())
            .send()
            .await
            .expect("upload");
        let file: Value = upload.json().await.expect("json");
        let file = file["attachment_id"].as_str().expect("attachment id").to_owned();
        let edited = "Quittungsbeleg Okapi";
        let sent = ok(
            &s,
            &x.token,
            "POST",
            &format!("{base}/conversations/{id}/messages"),
            Some(json!({"body": "vorher", "attachments": [file]})),
        )
        .await;
        let message = sent["message_id"].as_str().expect("id");
        ok(
            &s,
            &x.token,
            "PATCH",
            &format!("{base}/conversations/{id}/messages/{message}"),
            Some(json!({"body": edited})),
        )
        .await;
        // The member downloads it, safely.
        let response = s
            .client
            .get(s.url(&format!("{base}/conversations/{id}/attachments/{file}")))
            .bearer_auth(&y.token)
            .send()
            .await
            .expect("download");
        assert_eq!(response.status(), 200);
        let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        assert!(header("content-disposition").starts_with("attachment"));
        assert_eq!(header("content-security-policy"), "sandbox");
        assert_eq!(header("content-type"), "application/pdf");
        assert_eq!(response.bytes().await.expect("bytes").to_vec(), pdf);

        let dump = s.dump().await;
        let hex = |t: &str| t.bytes().map(|b| format!("{b:02x}")).collect::<String>();
        for text in [secret, "Zebrafink", "Quokka 0815", edited] {
            assert!(!dump.contains(text), "{text} in the database");
            assert!(!dump.contains(&hex(text)), "{text} (hex) in the database");
        }

        assert!(s.kindred.store.delete_conversation_key(&a.id, &id).await.expect("delete key"));
        let page = ok(&s, &y.token, "GET", &format!("{base}/conversations/{id}/messages"), None).await;
        assert!(page["messages"].as_array().expect("messages").iter().all(|m| m.get("body").is_none()), "{page}");
        assert!(!page.to_string().contains("Okapi"));
        let (status, _) =
            call(&s, &y.token, "GET", &format!("{base}/conversations/{id}/attachments/{file}"), None).await;
        assert_eq!(status, 404);
        s.stop().await;
    }
}

#[tokio::test]
async fn bad_input_is_refused_and_changes_nothing() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = association(&s, "bad", "anyone").await;
        let base = api(&a);
        let x = someone(&s, &a, "Xaver").await;
        let y = someone(&s, &a, "Yvonne").await;
        let blocker = someone(&s, &a, "Blocker Bea").await;
        ok(&s, &blocker.token, "POST", &format!("{base}/blocks"), Some(json!({"member_id": x.id}))).await;
        let field = |body: &Value, name: &str| body["error"]["fields"][name].is_string();
        let (status, body) = start(&s, &a, &x, &[&y.id], "   ").await;
        assert!(status == 422 && field(&body, "message"), "{body}");
        let (status, body) = start(&s, &a, &x, &[&y.id], &"x".repeat(10_001)).await;
        assert!(status == 422 && field(&body, "message"), "{body}");
        let (status, body) = start(&s, &a, &x, &[&y.id], "a\u{0}b").await;
        assert!(status == 422 && field(&body, "message"), "{body}");
        let (status, body) = start(&s, &a, &x, &[&x.id], "Ich allein").await;
        assert!(status == 422 && field(&body, "members"), "{body}");
        let many: Vec<String> = (0..50).map(|i| format!("{i:a>26}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let (status, body) = start(&s, &a, &x, &many, "Alle").await;
        assert!(status == 422 && field(&body, "members"), "{body}");
        assert_eq!(start(&s, &a, &x, &[&blocker.id], "Hallo").await.0, 404);
        assert_eq!(start(&s, &a, &x, &[&y.id, &blocker.id], "Hallo").await.0, 404);
        let (status, _) =
            call(&s, &x.token, "POST", &format!("{base}/conversations"), Some(json!({"members": [y.id]}))).await;
        assert_eq!(status, 422, "missing message");
        let list = ok(&s, &x.token, "GET", &format!("{base}/conversations"), None).await;
        assert_eq!(list["conversations"], json!([]), "nothing was made");

        let (_, started) = start(&s, &a, &y, &[&x.id], "Hallo").await;
        let id = started["conversation_id"].as_str().expect("id").to_owned();
        ok(&s, &x.token, "POST", &format!("{base}/conversations/{id}/accept"), None).await;
        let upload = |content_type: &'static str, bytes: Vec<u8>| {
            let request = s
                .client
                .post(s.url(&format!("{base}/conversations/{id}/attachments")))
                .bearer_auth(&x.token)
                .header("content-type", content_type)
                .body(bytes);
            async move { request.send().await.expect("upload").status().as_u16() }
        };
        assert_eq!(upload("text/html", b"<script>alert(1)</script>".to_vec()).await, 422);
        assert_eq!(upload("application/pdf", b"<html>not a pdf".to_vec()).await, 422);
        assert_eq!(upload("image/png", b"%PDF-1.4 not a png".to_vec()).await, 422);
        assert_eq!(upload("application/pdf", vec![b'%'; 8 * 1024 * 1024 + 1]).await, 413);
        let (status, body) = call(
            &s,
            &x.token,
            "POST",
            &format!("{base}/conversations/{id}/messages"),
            Some(json!({"body": "Anbei", "attachments": ["bbbbbbbbbbbbbbbbbbbbbbbbbb"]})),
        )
        .await;
        assert!(status == 422 && field(&body, "attachments"), "{body}");
        let (status, body) =
            call(&s, &x.token, "POST", &format!("{base}/conversations/{id}/messages"), Some(json!({"body": ""}))).await;
        assert!(status == 422 && field(&body, "body"), "{body}");
        let page = ok(&s, &x.token, "GET", &format!("{base}/conversations/{id}/messages"), None).await;
        assert_eq!(page["messages"].as_array().map(Vec::len), Some(1), "nothing was added");
        // An image is re-encoded: a JPEG without the original's metadata.
        let img = image::RgbImage::from_fn(2000, 1000, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 7]));
        let mut png = Vec::new();
        image::DynamicImage::ImageRgb8(img)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("png");
        // The bytes must be of the declared type, image for image too.
        let encoded = |format: image::ImageFormat| {
            let mut out = Vec::new();
            image::DynamicImage::ImageRgb8(image::RgbImage::new(4, 4))
                .write_to(&mut std::io::Cursor::new(&mut out), format)
                .expect("image");
            out
        };
        let (jpeg, webp) = (encoded(image::ImageFormat::Jpeg), encoded(image::ImageFormat::WebP));
        assert_eq!(upload("image/jpeg", png.clone()).await, 422, "a PNG sent as a JPEG");
        assert_eq!(upload("image/png", jpeg.clone()).await, 422, "a JPEG sent as a PNG");
        assert_eq!(upload("image/png", webp.clone()).await, 422, "a WebP sent as a PNG");
        assert_eq!(upload("image/webp", jpeg.clone()).await, 422, "a JPEG sent as a WebP");
        assert_eq!(upload("image/jpeg", jpeg).await, 201);
        assert_eq!(upload("image/webp", webp).await, 201);
        assert_eq!(upload("image/png", png).await, 201);
        s.stop().await;
    }
}

#[tokio::test]
async fn a_groups_chat_is_for_its_members_and_alias_groups_show_aliases() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = association(&s, "chat", "contacts").await;
        let base = api(&a);
        let x = someone(&s, &a, "Xaver").await;
        let y = someone(&s, &a, "Yvonne").await;
        let outsider = someone(&s, &a, "Outsider Otto").await;
        let admin = staff(&s, &a, "Admin Ada", "admin").await;
        let group = ok(
            &s,
            &x.token,
            "POST",
            &format!("{base}/groups"),
            Some(json!({"name": "Anonyme Runde", "visibility": "open", "alias_mode": true})),
        )
        .await;
        let group = group["group_id"].as_str().expect("group").to_owned();
        ok(&s, &y.token, "POST", &format!("{base}/groups/{group}/join"), None).await;
        let chat = ok(&s, &x.token, "GET", &format!("{base}/groups/{group}/conversation"), None).await;
        let again = ok(&s, &y.token, "GET", &format!("{base}/groups/{group}/conversation"), None).await;
        assert_eq!(chat, again, "one chat per group");
        let id = chat["conversation_id"].as_str().expect("id").to_owned();
        ok(&s, &x.token, "POST", &format!("{base}/conversations/{id}/messages"), Some(json!({"body": "Hallo Runde"})))
            .await;
        let page = ok(&s, &y.token, "GET", &format!("{base}/conversations/{id}/messages"), None).await;
        let text = page.to_string();
        assert!(!text.contains(&x.id) && !text.contains("Xaver"), "{text}");
        assert!(page["messages"][0]["sender_alias"].is_string());
        // An edit's answer shows the message as the list does.
        let message_id = page["messages"][0]["message_id"].as_str().expect("message id").to_owned();
        let edited = ok(
            &s,
            &x.token,
            "PATCH",
            &format!("{base}/conversations/{id}/messages/{message_id}"),
            Some(json!({"body": "Hallo, Runde"})),
        )
        .await;
        assert_eq!(edited["sender_alias"], page["messages"][0]["sender_alias"], "{db:?}: {edited}");
        assert!(edited.get("sender_id").is_none(), "{db:?}: {edited}");
        assert_eq!(page["members"], json!([]));
        let list = ok(&s, &y.token, "GET", &format!("{base}/conversations"), None).await;
        assert_eq!(list["conversations"][0]["unread_count"], 1);
        assert!(!list.to_string().contains(&x.id));
        for who in [&outsider, &admin] {
            // They see the open group: its chat is for its members (403); the chat itself does not exist for them.
            assert_eq!(call(&s, &who.token, "GET", &format!("{base}/groups/{group}/conversation"), None).await.0, 403);
            assert_eq!(call(&s, &who.token, "GET", &format!("{base}/conversations/{id}/messages"), None).await.0, 404);
        }
        assert_eq!(call(&s, &y.token, "POST", &format!("{base}/conversations/{id}/leave"), None).await.0, 409);
        // Leaving the group ends access to its chat.
        ok(&s, &y.token, "POST", &format!("{base}/groups/{group}/leave"), None).await;
        assert_eq!(call(&s, &y.token, "GET", &format!("{base}/conversations/{id}/messages"), None).await.0, 404);
        let list = ok(&s, &y.token, "GET", &format!("{base}/conversations"), None).await;
        assert_eq!(list["conversations"], json!([]));
        let _ = PASSWORD;
        s.stop().await;
    }
}

#[tokio::test]
async fn a_report_from_an_alias_chat_shows_staff_aliases_only() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = association(&s, "aliasrep", "contacts").await;
        let base = api(&a);
        let x = someone(&s, &a, "Xaver").await;
        let y = someone(&s, &a, "Yvonne").await;
        let z = someone(&s, &a, "Zora").await;
        let admin = staff(&s, &a, "Admin Ada", "admin").await;
        let moderator = staff(&s, &a, "Moderator Mo", "moderator").await;
        let made = ok(
            &s,
            &x.token,
            "POST",
            &format!("{base}/groups"),
            Some(json!({"name": "Anonyme Runde", "visibility": "open", "alias_mode": true})),
        )
        .await;
        let group = made["group_id"].as_str().expect("group").to_owned();
        for who in [&y, &z] {
            ok(&s, &who.token, "POST", &format!("{base}/groups/{group}/join"), None).await;
        }
        let chat = ok(&s, &y.token, "GET", &format!("{base}/groups/{group}/conversation"), None).await;
        let id = chat["conversation_id"].as_str().expect("id").to_owned();
        let messages = format!("{base}/conversations/{id}/messages");
        let mut sent = Vec::new();
        for (who, text) in [(&x, "Beleidigung von X"), (&z, "Antwort von Z"), (&y, "Eigene von Y")] {
            let answer = ok(&s, &who.token, "POST", &messages, Some(json!({"body": text}))).await;
            sent.push(answer["message_id"].as_str().expect("message id").to_owned());
        }
        let page = ok(&s, &y.token, "GET", &messages, None).await;
        let alias_of = |message: &str| {
            page["messages"].as_array().expect("messages").iter().find(|m| m["message_id"] == message).expect("m")
                ["sender_alias"]
                .as_str()
                .expect("alias")
                .to_owned()
        };
        let aliases: Vec<String> = sent.iter().map(|m| alias_of(m)).collect();
        // Yvonne reports X's message and shares Z's and her own.
        let report = json!({"target_type": "message", "target_id": sent[0], "kind": "abuse", "reason": "Bitte ansehen",
                            "messages": [sent[1], sent[2]]});
        let (status, filed) = call(&s, &y.token, "POST", &format!("{base}/reports"), Some(report)).await;
        assert_eq!(status, 201, "{db:?}: {filed}");
        let report_id = filed["report_id"].as_str().expect("report id").to_owned();

        for who in [&admin, &moderator] {
            for path in [format!("{base}/admin/message-reports"), format!("{base}/admin/message-reports/{report_id}")] {
                let seen = ok(&s, &who.token, "GET", &path, None).await;
                let text = seen.to_string();
                assert!(text.contains("Beleidigung von X") && text.contains("Eigene von Y"), "{db:?}: {text}");
                for member in [&x, &y, &z] {
                    assert!(!text.contains(&member.id), "{db:?}: {path} names a member: {text}");
                }
                for name in ["Xaver", "Yvonne", "Zora"] {
                    assert!(!text.contains(name), "{db:?}: {path} names {name}: {text}");
                }
                for alias in &aliases {
                    assert!(text.contains(alias.as_str()), "{db:?}: {path} lacks {alias}: {text}");
                }
            }
        }
        // The moderators' page shows the aliases too.
        let response = s
            .client
            .get(s.url(&format!("/a/aliasrep/moderation/messages/{report_id}")))
            .header("cookie", format!("__Host-kindred-aliasrep={}", moderator.token))
            .send()
            .await
            .expect("page");
        assert_eq!(response.status().as_u16(), 200, "{db:?}");
        let html = response.text().await.expect("body");
        assert!(!html.contains("Xaver") && !html.contains("Zora") && !html.contains("Yvonne"), "{db:?}");
        assert!(aliases.iter().all(|alias| html.contains(alias.as_str())), "{db:?}: {html}");
        // Nor does the audit log link anyone to the report or to an alias.
        let audit = ok(&s, &admin.token, "GET", &format!("{base}/admin/audit-log?limit=500"), None).await;
        let entries = audit["entries"].as_array().expect("entries");
        for entry in entries {
            let about_report = entry.to_string().contains(&report_id);
            for member in [&x, &y, &z] {
                let named = entry["actor_id"] == json!(member.id) || entry["target_id"] == json!(member.id);
                assert!(!(named && (about_report || entry["action"] == "reported_messages.viewed")), "{db:?}: {entry}");
            }
        }
        assert!(entries.iter().any(|e| e["action"] == "messages.reported"), "{db:?}: the report itself is logged");
        s.stop().await;
    }
}

#[tokio::test]
async fn a_report_shares_only_the_chosen_messages() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = association(&s, "rep", "contacts").await;
        let base = api(&a);
        let x = someone(&s, &a, "Xaver").await;
        let y = someone(&s, &a, "Yvonne").await;
        let outsider = someone(&s, &a, "Outsider Otto").await;
        let admin = staff(&s, &a, "Admin Ada", "admin").await;
        befriend(&s, &a, &x, &y).await;
        let (_, started) = start(&s, &a, &x, &[&y.id], "Privat Eins").await;
        let id = started["conversation_id"].as_str().expect("id").to_owned();
        let mut ids = Vec::new();
        for text in ["Beleidigung Zwei", "Privat Drei"] {
            let sent =
                ok(&s, &x.token, "POST", &format!("{base}/conversations/{id}/messages"), Some(json!({"body": text})))
                    .await;
            ids.push(sent["message_id"].as_str().expect("id").to_owned());
        }
        let page = ok(&s, &y.token, "GET", &format!("{base}/conversations/{id}/messages"), None).await;
        let first = page["messages"][2]["message_id"].as_str().expect("first").to_owned();
        let report = json!({"target_type": "message", "target_id": ids[0], "kind": "abuse", "reason": "Bitte ansehen",
                            "messages": [first]});
        let (status, _) = call(&s, &outsider.token, "POST", &format!("{base}/reports"), Some(report.clone())).await;
        assert_eq!(status, 404, "only members of the conversation report its messages");
        let bad = json!({"target_type": "message", "target_id": ids[0], "kind": "abuse", "messages": ["zzzzzzzzzzzzzzzzzzzzzzzzzz"]});
        assert_eq!(call(&s, &y.token, "POST", &format!("{base}/reports"), Some(bad)).await.0, 422);
        let (status, filed) = call(&s, &y.token, "POST", &format!("{base}/reports"), Some(report)).await;
        assert_eq!(status, 201, "{filed}");
        assert_eq!(filed["kind"], "abuse");
        assert_eq!(call(&s, &x.token, "GET", &format!("{base}/admin/message-reports"), None).await.0, 403);
        let reports = ok(&s, &admin.token, "GET", &format!("{base}/admin/message-reports"), None).await;
        let text = reports.to_string();
        assert!(text.contains("Privat Eins") && text.contains("Beleidigung Zwei"), "{text}");
        assert!(!text.contains("Privat Drei"), "a message not shared stays out");
        let audit = ok(&s, &admin.token, "GET", &format!("{base}/admin/audit-log"), None).await.to_string();
        assert!(audit.contains("messages.reported") && audit.contains("message_reports.viewed"), "{audit}");
        assert!(!audit.contains("Privat") && !audit.contains("Beleidigung"));
        let dump = s.dump().await;
        assert!(!dump.contains("Beleidigung Zwei"), "the shared copy is sealed too");

        // The moderators' pages: the list shows no message; opening one report
        // shows only what was shared and is audited; closing it takes a form.
        let report_id = filed["report_id"].as_str().expect("report id").to_owned();
        let cookie = |token: &str| format!("__Host-kindred-rep={token}");
        let get = |token: String, path: String| {
            let s = &s;
            async move {
                let response = s.client.get(s.url(&path)).header("cookie", cookie(&token)).send().await.expect("get");
                (response.status().as_u16(), response.text().await.expect("body").replace("&#x2f;", "/"))
            }
        };
        let (status, html) = get(x.token.clone(), "/a/rep/moderation/messages".into()).await;
        assert_eq!(status, 403, "members do not see reports of messages");
        assert!(!html.contains("Bitte ansehen"));
        let (status, html) = get(admin.token.clone(), "/a/rep/moderation".into()).await;
        assert!(status == 200 && html.contains("/a/rep/moderation/messages\""), "a link from the queue: {html}");
        let (status, html) = get(admin.token.clone(), "/a/rep/moderation/messages".into()).await;
        assert_eq!(status, 200);
        assert!(
            html.contains("Bitte ansehen") && html.contains(&format!("/moderation/messages/{report_id}\"")),
            "{html}"
        );
        assert!(!html.contains("Privat Eins") && !html.contains("Beleidigung Zwei"), "the list shows no message");
        let audit = ok(&s, &admin.token, "GET", &format!("{base}/admin/audit-log"), None).await.to_string();
        assert!(!audit.contains("message_report.opened"), "listing opens nothing");
        let report_path = format!("/a/rep/moderation/messages/{report_id}");
        let (status, html) = get(admin.token.clone(), report_path.clone()).await;
        assert_eq!(status, 200);
        assert!(html.contains("Privat Eins") && html.contains("Beleidigung Zwei") && !html.contains("Privat Drei"));
        assert_eq!(get(x.token.clone(), report_path.clone()).await.0, 403);
        assert_eq!(
            get(admin.token.clone(), "/a/rep/moderation/messages/zzzzzzzzzzzzzzzzzzzzzzzzzz".into()).await.0,
            404
        );
        let audit = ok(&s, &admin.token, "GET", &format!("{base}/admin/audit-log"), None).await.to_string();
        assert!(audit.contains("message_report.opened") && audit.contains(&report_id), "{audit}");
        assert!(!audit.contains("Beleidigung"), "never the text");
        let csrf = kindred_service::sessions::csrf_token(&admin.token);
        let post = |form: Vec<(&'static str, String)>| {
            let s = &s;
            let path = format!("{report_path}/close");
            let cookie = cookie(&admin.token);
            async move {
                let response =
                    s.client.post(s.url(&path)).header("cookie", cookie).form(&form).send().await.expect("post");
                let location =
                    response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
                (response.status().as_u16(), location)
            }
        };
        let (status, _) = post(vec![("csrf", csrf.clone()), ("resolution", "vielleicht".into())]).await;
        assert_eq!(status, 422, "a resolution is chosen");
        let form = vec![("csrf", csrf.clone()), ("resolution", "dismissed".into()), ("note", "Kein Verstoß".into())];
        let (status, location) = post(form.clone()).await;
        assert_eq!((status, location.as_str()), (303, "/a/rep/moderation/messages?done=dismissed"));
        assert_eq!(post(form).await.0, 422, "closed already");
        let (_, html) = get(admin.token.clone(), "/a/rep/moderation/messages".into()).await;
        assert!(!html.contains(&report_id), "no longer open");
        let (_, html) = get(admin.token.clone(), "/a/rep/moderation/messages?status=dismissed".into()).await;
        assert!(html.contains(&report_id), "{html}");
        let reports = ok(&s, &admin.token, "GET", &format!("{base}/admin/message-reports"), None).await;
        assert_eq!(reports["reports"].as_array().map(Vec::len), Some(0), "the API lists open ones only");
        let audit = ok(&s, &admin.token, "GET", &format!("{base}/admin/audit-log"), None).await.to_string();
        assert!(audit.contains("message_report.dismissed"), "{audit}");
        s.stop().await;
    }
}

/// Signs in on the pages; (cookie header, CSRF token).
async fn page_session(s: &TestServer, a: &Association, email: &str) -> (String, String) {
    let slug = a.slug.as_str();
    let response = s
        .client
        .post(s.url(&format!("/a/{slug}/sign-in")))
        .form(&[("email", email), ("password", PASSWORD)])
        .send()
        .await
        .expect("sign in");
    assert_eq!(response.status(), 303, "sign-in as {email}");
    let prefix = format!("__Host-kindred-{slug}=");
    let token = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix(prefix.as_str()))
        .and_then(|v| v.split(';').next())
        .expect("session cookie")
        .to_owned();
    (format!("{prefix}{token}"), kindred_service::sessions::csrf_token(&token))
}

#[tokio::test]
async fn the_pages_list_show_send_and_answer_requests() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = association(&s, "pages", "anyone").await;
        let slug = a.slug.as_str();
        let x = someone(&s, &a, "Xaver").await;
        let y = someone(&s, &a, "Yvonne").await;
        let (cookie_x, csrf_x) = page_session(&s, &a, "xaver@example.org").await;
        let (cookie_y, csrf_y) = page_session(&s, &a, "yvonne@example.org").await;
        let get = |cookie: &str, path: String| {
            let request = s.client.get(s.url(&path)).header("cookie", cookie);
            async move {
                let response = request.send().await.expect("get");
                // Attribute values come with `/` escaped.
                (response.status().as_u16(), response.text().await.expect("text").replace("&#x2f;", "/"))
            }
        };
        let post = |cookie: &str, path: String, form: Vec<(&'static str, String)>| {
            let request = s.client.post(s.url(&path)).header("cookie", cookie).form(&form);
            async move {
                let response = request.send().await.expect("post");
                let location =
                    response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
                (response.status().as_u16(), location, response.text().await.expect("text"))
            }
        };
        // The member's page offers to write; a stranger's first message is a request.
        let (status, html) = get(&cookie_x, format!("/a/{slug}/members/{}", y.id)).await;
        assert_eq!(status, 200);
        assert!(html.contains("/messages/new?to="), "a Message button");
        let (status, location, _) = post(
            &cookie_x,
            format!("/a/{slug}/messages/new"),
            vec![("csrf", csrf_x.clone()), ("to", y.id.clone()), ("message", "Hallo über die Seite".into())],
        )
        .await;
        assert_eq!(status, 303);
        let id = location.rsplit('/').next().expect("id").to_owned();
        let (_, html) = get(&cookie_x, format!("/a/{slug}/messages/{id}")).await;
        assert!(
            html.contains("Hallo über die Seite") && !html.contains("id=\"body\""),
            "no composer while waiting: {location} {html}"
        );
        let (_, html) = get(&cookie_y, format!("/a/{slug}/messages")).await;
        assert!(html.contains("Xaver"), "the list names the sender");
        let (status, html) = get(&cookie_y, format!("/a/{slug}/messages/{id}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("/accept") && html.contains("/decline") && html.contains("/block"));
        let (status, _, _) =
            post(&cookie_y, format!("/a/{slug}/messages/{id}/accept"), vec![("csrf", csrf_y.clone())]).await;
        assert_eq!(status, 303);
        let (status, _, html) = post(
            &cookie_y,
            format!("/a/{slug}/messages/{id}/send"),
            vec![("csrf", csrf_y.clone()), ("body", "  ".into())],
        )
        .await;
        assert_eq!(status, 422, "an empty message");
        assert!(html.contains("error-summary"));
        let (status, _, _) = post(
            &cookie_y,
            format!("/a/{slug}/messages/{id}/send"),
            vec![("csrf", csrf_y.clone()), ("body", "Gern, **hallo**!".into())],
        )
        .await;
        assert_eq!(status, 303);
        let (_, html) = get(&cookie_x, format!("/a/{slug}/messages")).await;
        assert!(html.contains("Messages (1 new)") || html.contains("(1 "), "the unread count in the navigation");
        let (_, html) = get(&cookie_x, format!("/a/{slug}/messages/{id}")).await;
        assert!(html.contains("<strong>hallo</strong>"));
        // A forged post without the CSRF token changes nothing.
        let (status, _, _) =
            post(&cookie_x, format!("/a/{slug}/messages/{id}/send"), vec![("body", "ohne Token".into())]).await;
        assert_ne!(status, 303);
        let (status, _, _) = post(
            &cookie_x,
            format!("/a/{slug}/messages/{id}/disappearing"),
            vec![("csrf", csrf_x.clone()), ("seconds", "3600".into())],
        )
        .await;
        assert_eq!(status, 303);
        let (_, html) = get(&cookie_x, format!("/a/{slug}/messages/{id}")).await;
        assert!(html.contains("1 hour") && !html.contains("ohne Token"));
        let (status, _, _) = post(
            &cookie_x,
            format!("/a/{slug}/messages/{id}/leave"),
            vec![("csrf", csrf_x.clone()), ("confirm", "1".into())],
        )
        .await;
        assert_eq!(status, 303);
        assert_eq!(get(&cookie_x, format!("/a/{slug}/messages/{id}")).await.0, 404);
        let _ = x;
        s.stop().await;
    }
}

/// A `multipart/form-data` body as a browser builds it: (content type header, bytes).
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "----kindredTestBoundary7MA4YWxk";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    let (content_type, bytes) = file.unwrap_or(("application/octet-stream", b""));
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: {content_type}\r\n\r\n",
            if bytes.is_empty() { "" } else { "upload" }
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn the_conversation_page_attaches_files_through_the_same_checks_as_the_api() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = association(&s, "files", "contacts").await;
        let slug = a.slug.as_str();
        let base = api(&a);
        let x = someone(&s, &a, "Xaver").await;
        let y = someone(&s, &a, "Yvonne").await;
        let _outsider = someone(&s, &a, "Outsider Otto").await;
        befriend(&s, &a, &x, &y).await;
        let (_, started) = start(&s, &a, &x, &[&y.id], "Hallo").await;
        let id = started["conversation_id"].as_str().expect("id").to_owned();
        let (cookie, csrf) = page_session(&s, &a, "xaver@example.org").await;
        let page = s.client.get(s.url(&format!("/a/{slug}/messages/{id}"))).header("cookie", &cookie).send().await;
        let html = page.expect("page").text().await.expect("html");
        assert!(html.contains("enctype=\"multipart/form-data\"") && html.contains("type=\"file\""), "{html}");
        let send = |cookie: String, fields: Vec<(&'static str, String)>, file: Option<(&'static str, Vec<u8>)>| {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let (content_type, body) = multipart(&fields, file.as_ref().map(|(t, b)| (*t, b.as_slice())));
            let request = s
                .client
                .post(s.url(&format!("/a/{slug}/messages/{id}/send")))
                .header("cookie", cookie)
                .header("content-type", content_type)
                .body(body);
            async move {
                let response = request.send().await.expect("send");
                (response.status().as_u16(), response.text().await.expect("text"))
            }
        };
        let count = || async { ok(&s, &x.token, "GET", &format!("{base}/conversations/{id}/messages"), None).await };
        let pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".to_vec();

        // Refused files: the problem at the file field, nothing sent, nothing stored.
        let cases: [(&str, Vec<u8>, &str); 3] = [
            ("text/html", b"<script>alert(1)</script>".to_vec(), "Only photos (JPEG, PNG or WebP) and PDF files"),
            ("application/pdf", b"<html>not a pdf".to_vec(), "The file could not be read"),
            ("application/pdf", vec![b'%'; 8 * 1024 * 1024 + 1], "larger than 8 MB"),
        ];
        for (content_type, bytes, message) in cases {
            let (status, html) = send(
                cookie.clone(),
                vec![("csrf", csrf.clone()), ("body", "Anbei".into())],
                Some((content_type, bytes)),
            )
            .await;
            assert_eq!(status, 422, "{content_type}");
            assert!(html.contains("href=\"#file\"") && html.contains(message), "{content_type}: {html}");
            assert!(html.contains(">Anbei</textarea>"), "the draft is kept");
        }
        // A file without words: the text's problem, and the file is not stored.
        let (status, html) = send(
            cookie.clone(),
            vec![("csrf", csrf.clone()), ("body", " ".into())],
            Some(("application/pdf", pdf.clone())),
        )
        .await;
        assert_eq!(status, 422);
        assert!(html.contains("href=\"#body\""), "{html}");
        assert_eq!(s.count_rows("message_attachments").await, 0);
        assert_eq!(count().await["messages"].as_array().map(Vec::len), Some(1));

        // Without the CSRF token: nothing.
        let (status, _) =
            send(cookie.clone(), vec![("body", "Ohne Token".into())], Some(("application/pdf", pdf.clone()))).await;
        assert_ne!(status, 303);
        assert_eq!(s.count_rows("message_attachments").await, 0);

        // A good one: sent with its file, as the API would.
        let (status, _) = send(
            cookie.clone(),
            vec![("csrf", csrf.clone()), ("body", "Der Befund".into())],
            Some(("application/pdf", pdf.clone())),
        )
        .await;
        assert_eq!(status, 303);
        let seen = ok(&s, &y.token, "GET", &format!("{base}/conversations/{id}/messages"), None).await;
        assert_eq!(seen["messages"][0]["body"], "Der Befund", "{seen}");
        assert_eq!(seen["messages"][0]["attachments"][0]["content_type"], "application/pdf", "{seen}");
        let file = seen["messages"][0]["attachments"][0]["attachment_id"].as_str().expect("attachment").to_owned();
        let download = s
            .client
            .get(s.url(&format!("{base}/conversations/{id}/attachments/{file}")))
            .bearer_auth(&y.token)
            .send()
            .await
            .expect("download");
        assert_eq!(download.status(), 200);
        assert_eq!(download.bytes().await.expect("bytes").to_vec(), pdf);
        // Without a file, the composer still sends plain text.
        let (status, _) = send(cookie.clone(), vec![("csrf", csrf.clone()), ("body", "Nur Text".into())], None).await;
        assert_eq!(status, 303);
        assert_eq!(count().await["messages"][0]["attachments"], json!([]));

        // Someone not in the conversation: 404 like an unknown id, nothing stored.
        let (cookie_o, csrf_o) = page_session(&s, &a, "outsider.otto@example.org").await;
        let (status, _) = send(
            cookie_o,
            vec![("csrf", csrf_o), ("body", "Eindringling".into())],
            Some(("application/pdf", pdf.clone())),
        )
        .await;
        assert_eq!(status, 404);
        assert_eq!(s.count_rows("message_attachments").await, 1);
        s.stop().await;
    }
}

#[tokio::test]
async fn a_crisis_report_about_a_message_alerts_the_staff_on_duty() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = association(&s, "crisis", "contacts").await;
        let base = api(&a);
        let x = someone(&s, &a, "Xaver").await;
        let y = someone(&s, &a, "Yvonne").await;
        let admin = staff(&s, &a, "Admin Ada", "admin").await;
        let moderator = staff(&s, &a, "Mod Moritz", "moderator").await;
        befriend(&s, &a, &x, &y).await;
        let (_, started) = start(&s, &a, &x, &[&y.id], "Ich kann nicht mehr").await;
        let id = started["conversation_id"].as_str().expect("id").to_owned();
        let page = ok(&s, &y.token, "GET", &format!("{base}/conversations/{id}/messages"), None).await;
        let message = page["messages"][0]["message_id"].as_str().expect("message").to_owned();

        // An abuse report tells nobody at once.
        let report = json!({"target_type": "message", "target_id": message, "kind": "abuse"});
        ok(&s, &y.token, "POST", &format!("{base}/reports"), Some(report)).await;
        let notes = ok(&s, &admin.token, "GET", &format!("{base}/notifications"), None).await;
        assert_eq!(notes["notifications"], json!([]));

        let report = json!({"target_type": "message", "target_id": message, "kind": "crisis"});
        let (status, filed) = call(&s, &y.token, "POST", &format!("{base}/reports"), Some(report)).await;
        assert_eq!(status, 201, "{filed}");
        for (who, email) in [(&admin, "admin.ada@example.org"), (&moderator, "mod.moritz@example.org")] {
            let notes = ok(&s, &who.token, "GET", &format!("{base}/notifications"), None).await;
            let list = notes["notifications"].as_array().expect("list");
            assert_eq!(list.len(), 1, "{notes}");
            assert_eq!(list[0]["kind"], "crisis_report");
            assert!(!notes.to_string().contains(&id) && !notes.to_string().contains("nicht mehr"), "{notes}");
            let mails = s.mails_to(email, 1).await;
            let mail = mails.iter().find(|m| m.contains("crisis")).expect("an urgent mail");
            assert!(!mail.contains("nicht mehr") && !mail.contains(&id) && !mail.contains("Xaver"), "{mail}");
        }
        // Not the reporter, not the sender.
        for who in [&x, &y] {
            let notes = ok(&s, &who.token, "GET", &format!("{base}/notifications"), None).await;
            assert!(notes["notifications"].as_array().expect("list").iter().all(|n| n["kind"] != "crisis_report"));
        }
        s.stop().await;
    }
}

#[tokio::test]
async fn a_block_hides_messages_both_ways_in_a_conversation_of_several_but_not_an_alias() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = association(&s, "blocks", "anyone").await;
        let base = api(&a);
        let x = someone(&s, &a, "Xaver").await;
        let y = someone(&s, &a, "Yvonne").await;
        let z = someone(&s, &a, "Zora").await;
        // A conversation of several starts only with members one may write to directly: contacts.
        befriend(&s, &a, &x, &y).await;
        befriend(&s, &a, &x, &z).await;
        let (status, started) = start(&s, &a, &x, &[&y.id, &z.id], "Vor dem Block").await;
        assert_eq!(status, 201, "{started}");
        let id = started["conversation_id"].as_str().expect("id").to_owned();
        ok(
            &s,
            &y.token,
            "POST",
            &format!("{base}/conversations/{id}/messages"),
            Some(json!({"body": "Yvonne schreibt"})),
        )
        .await;
        ok(&s, &y.token, "POST", &format!("{base}/blocks"), Some(json!({"member_id": x.id}))).await;
        ok(
            &s,
            &x.token,
            "POST",
            &format!("{base}/conversations/{id}/messages"),
            Some(json!({"body": "Nach dem Block"})),
        )
        .await;
        // Unread counts (per conversation and the navigation's total) leave
        // out what the block hides, before anyone opened the conversation.
        let unread = |who: &Someone| {
            let path = format!("{base}/conversations");
            let token = who.token.clone();
            let s = &s;
            async move {
                let list = ok(s, &token, "GET", &path, None).await;
                (list["conversations"][0]["unread_count"].as_i64(), list["unread_total"].as_i64())
            }
        };
        assert_eq!(unread(&y).await, (Some(0), Some(0)), "the blocker is not told of the blocked's messages");
        assert_eq!(unread(&x).await, (Some(0), Some(0)), "nor the blocked of the blocker's");
        assert_eq!(unread(&z).await, (Some(3), Some(3)), "the others count every message");
        // Nor does the list's time (and so its order) move for a hidden message.
        let last_at = |who: &Someone| {
            let path = format!("{base}/conversations");
            let token = who.token.clone();
            let s = &s;
            async move { ok(s, &token, "GET", &path, None).await["conversations"][0]["last_message_at"].clone() }
        };
        let (y_before, z_before) = (last_at(&y).await, last_at(&z).await);
        s.clock.advance(chrono::Duration::minutes(5));
        let path = format!("{base}/conversations/{id}/messages");
        ok(&s, &x.token, "POST", &path, Some(json!({"body": "Noch einmal"}))).await;
        assert_eq!(last_at(&y).await, y_before, "{db:?}: the blocker's list does not move");
        assert_ne!(last_at(&z).await, z_before, "{db:?}: the others' does");
        assert_eq!(unread(&z).await, (Some(4), Some(4)));
        let bodies = |who: &Someone| {
            let path = format!("{base}/conversations/{id}/messages");
            let token = who.token.clone();
            let s = &s;
            async move {
                let page = ok(s, &token, "GET", &path, None).await;
                let mut b: Vec<String> = page["messages"]
                    .as_array()
                    .expect("messages")
                    .iter()
                    .filter_map(|m| m["body"].as_str().map(str::to_owned))
                    .collect();
                b.sort();
                b
            }
        };
        assert_eq!(bodies(&y).await, ["Yvonne schreibt"], "the blocker sees nothing of the blocked");
        assert_eq!(
            bodies(&x).await,
            ["Nach dem Block", "Noch einmal", "Vor dem Block"],
            "and the blocked nothing of the blocker"
        );
        assert_eq!(
            bodies(&z).await,
            ["Nach dem Block", "Noch einmal", "Vor dem Block", "Yvonne schreibt"],
            "the others see all"
        );
        // Neither can start a conversation with the other: the other does not exist for them.
        assert_eq!(start(&s, &a, &y, &[&x.id, &z.id], "Neu").await.0, 404);
        assert_eq!(start(&s, &a, &x, &[&y.id], "Neu").await.0, 404);

        // An alias group's chat hides nothing: a silent alias would tell whose it is.
        let group = ok(
            &s,
            &z.token,
            "POST",
            &format!("{base}/groups"),
            Some(json!({"name": "Anonym", "visibility": "open", "alias_mode": true})),
        )
        .await["group_id"]
            .as_str()
            .expect("group")
            .to_owned();
        for who in [&x, &y] {
            ok(&s, &who.token, "POST", &format!("{base}/groups/{group}/join"), None).await;
        }
        let chat = ok(&s, &x.token, "GET", &format!("{base}/groups/{group}/conversation"), None).await;
        let chat = chat["conversation_id"].as_str().expect("chat").to_owned();
        ok(
            &s,
            &x.token,
            "POST",
            &format!("{base}/conversations/{chat}/messages"),
            Some(json!({"body": "Unter Alias"})),
        )
        .await;
        let page = ok(&s, &y.token, "GET", &format!("{base}/conversations/{chat}/messages"), None).await;
        assert_eq!(page["messages"][0]["body"], "Unter Alias", "{page}");
        s.stop().await;
    }
}

/// `who`'s `message` notifications of conversation `id`: (read, unread, the unread badge).
async fn message_notes(s: &TestServer, a: &Association, who: &Someone, id: &str) -> (usize, usize, i64) {
    let notes = ok(s, &who.token, "GET", &format!("{}/notifications", api(a)), None).await;
    let mine: Vec<&Value> = notes["notifications"]
        .as_array()
        .expect("list")
        .iter()
        .filter(|n| n["kind"] == "message" && n["conversation_id"] == id)
        .collect();
    let read = mine.iter().filter(|n| n["read"] == true).count();
    (read, mine.len() - read, notes["unread_count"].as_i64().expect("count"))
}

#[tokio::test]
async fn reading_a_conversation_reads_its_message_notifications_and_the_badge_follows() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = association(&s, "readnote", "contacts").await;
        let base = api(&a);
        let x = someone(&s, &a, "Xaver").await;
        let y = someone(&s, &a, "Yvonne").await;
        let z = someone(&s, &a, "Zora").await;
        befriend(&s, &a, &x, &y).await;
        befriend(&s, &a, &z, &y).await;
        // Yvonne reads what befriending left her, so only messages count.
        ok(&s, &y.token, "POST", &format!("{base}/notifications/read-all"), None).await;
        let (_, started) = start(&s, &a, &x, &[&y.id], "Hallo").await;
        let id = started["conversation_id"].as_str().expect("id").to_owned();
        let (_, other) = start(&s, &a, &z, &[&y.id], "Guten Tag").await;
        let other = other["conversation_id"].as_str().expect("id").to_owned();
        assert_eq!(message_notes(&s, &a, &y, &id).await, (0, 1, 2), "{db:?}: one unread per conversation");
        assert_eq!(message_notes(&s, &a, &y, &other).await, (0, 1, 2), "{db:?}");

        // The read marker (API): this conversation's notification is read, the other's not.
        let page = ok(&s, &y.token, "GET", &format!("{base}/conversations/{id}/messages"), None).await;
        let last = page["messages"][0]["message_id"].as_str().expect("message").to_owned();
        ok(&s, &y.token, "POST", &format!("{base}/conversations/{id}/read"), Some(json!({"message_id": last}))).await;
        assert_eq!(message_notes(&s, &a, &y, &id).await, (1, 0, 1), "{db:?}: read with the conversation");
        assert_eq!(message_notes(&s, &a, &y, &other).await, (0, 1, 1), "{db:?}: the other stays unread");

        // Opening the other conversation's page reads it too.
        let (cookie, _) = page_session(&s, &a, "yvonne@example.org").await;
        let shown = s
            .client
            .get(s.url(&format!("/a/{}/messages/{other}", a.slug.as_str())))
            .header("cookie", &cookie)
            .send()
            .await
            .expect("page");
        assert_eq!(shown.status(), 200, "{db:?}");
        assert_eq!(message_notes(&s, &a, &y, &other).await, (1, 0, 0), "{db:?}: the badge is down to 0");
        s.stop().await;
    }
}

#[tokio::test]
async fn messages_sent_at_once_are_newest_first_by_their_time_too() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let a = association(&s, "order", "contacts").await;
        let base = api(&a);
        let x = someone(&s, &a, "Xaver").await;
        let y = someone(&s, &a, "Yvonne").await;
        befriend(&s, &a, &x, &y).await;
        let (_, started) = start(&s, &a, &x, &[&y.id], "Los").await;
        let id = started["conversation_id"].as_str().expect("id").to_owned();
        let path = format!("{base}/conversations/{id}/messages");
        for round in 0..10 {
            let bodies: Vec<Value> = (0..4).map(|n| json!({"body": format!("{round}-{n}")})).collect();
            let senders = [&x, &y, &x, &y];
            let sent = futures_util::future::join_all(
                senders.iter().zip(bodies).map(|(who, body)| call(&s, &who.token, "POST", &path, Some(body))),
            )
            .await;
            assert!(sent.iter().all(|(status, _)| *status == 201), "{db:?}: {sent:?}");
        }
        let page = ok(&s, &x.token, "GET", &path, None).await;
        let times: Vec<&str> =
            page["messages"].as_array().expect("messages").iter().filter_map(|m| m["sent_at"].as_str()).collect();
        assert!(times.len() >= 25, "{db:?}: {page}");
        let parsed: Vec<chrono::DateTime<chrono::Utc>> =
            times.iter().map(|t| t.parse().expect("an RFC 3339 time")).collect();
        assert!(parsed.windows(2).all(|w| w[0] >= w[1]), "{db:?}: newest first by time too: {times:?}");
        s.stop().await;
    }
}
