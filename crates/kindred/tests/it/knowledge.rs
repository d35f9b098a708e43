//! Knowledge articles over the API, on both databases: professionals and
//! staff write, a second professional or an editor reviews, members read
//! what is published for members, anyone what is published for anyone —
//! and nobody learns that an unpublished article exists unless it is
//! theirs to write or to review.

use crate::harness::{TestServer, BOTH};
use serde_json::{json, Value};

const API: &str = "/a/ms/api/v1";
const PASSWORD_FOR_MEMBERS: &str = "a long member password 2026";

/// Sends a request (a token or none) and answers the status and JSON body.
async fn call(s: &TestServer, token: Option<&str>, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let url = s.url(&format!("{API}{path}"));
    let mut request = match method {
        "POST" => s.client.post(url),
        "PUT" => s.client.put(url),
        _ => s.client.get(url),
    };
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let body = response.json::<Value>().await.unwrap_or(Value::Null);
    (status, body)
}

fn article(title: &str, audience: &str) -> Value {
    json!({
        "title": title,
        "summary": "Was im Alltag hilft",
        "body": "**Bewegung** und Pausen. Siehe [DMSG](https://www.dmsg.de/).",
        "conditions": ["ms"],
        "therapies": ["physiotherapy"],
        "sources": [{"title": "DMSG", "url": "https://www.dmsg.de/"}],
        "audience": audience,
    })
}

/// The member's notifications about articles: (kind, article, detail).
async fn article_notes(s: &TestServer, token: &str) -> Vec<(String, String, String)> {
    let (status, page) = call(s, Some(token), "GET", "/notifications", None).await;
    assert_eq!(status, 200, "{page}");
    page["notifications"]
        .as_array()
        .expect("notifications")
        .iter()
        .filter(|n| n["kind"].as_str().is_some_and(|k| k.starts_with("article_")))
        .map(|n| {
            let text = |field: &str| n[field].as_str().unwrap_or_default().to_owned();
            (text("kind"), text("article_id"), text("detail"))
        })
        .collect()
}

fn ids(list: &Value) -> Vec<String> {
    list["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .map(|a| a["article_id"].as_str().expect("id").to_owned())
        .collect()
}

#[tokio::test]
async fn articles_are_written_reviewed_and_read_by_the_right_people() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let token = |email: &'static str, name: &'static str, role: &'static str| {
            let s = &s;
            let ms = ms.clone();
            async move {
                s.user(&ms, email, name, role).await;
                s.login_staff(&ms, email).await
            }
        };
        let author = token("lena@example.org", "Dr Lena", "professional").await;
        let colleague = token("jan@example.org", "Dr Jan", "professional").await;
        let editor = token("petra@example.org", "Petra", "admin").await;
        s.member(&ms, "mira@example.org", "Mira", PASSWORD_FOR_MEMBERS).await;
        let member = s.login("ms", "mira@example.org", PASSWORD_FOR_MEMBERS).await;

        // Writing is for professionals and staff; every problem by its field.
        let (status, _) = call(&s, Some(&member), "POST", "/articles", Some(article("Fatigue", "members"))).await;
        assert_eq!(status, 403, "{db:?}: a member writes no article");
        let (status, _) = call(&s, None, "POST", "/articles", Some(article("Fatigue", "members"))).await;
        assert_eq!(status, 401, "{db:?}");
        let mut bad = article("", "everyone");
        bad["sources"] = json!([{"title": "x", "url": "javascript:alert(1)"}]);
        bad["conditions"] = json!(["not-in-the-catalogue"]);
        let (status, answer) = call(&s, Some(&author), "POST", "/articles", Some(bad)).await;
        assert_eq!(status, 422, "{db:?}: {answer}");
        for field in ["title", "audience", "sources[0].url"] {
            assert!(answer["error"]["fields"][field].is_string(), "{db:?}: {field} in {answer}");
        }
        let (status, answer) =
            call(&s, Some(&author), "POST", "/articles", Some(article("Fatigue bei MS", "members"))).await;
        assert_eq!(status, 201, "{db:?}: {answer}");
        assert_eq!(answer["status"], "draft");
        let members_only = answer["article_id"].as_str().expect("id").to_owned();

        // A draft is its author's alone: for everyone else it does not exist.
        let path = format!("/articles/{members_only}");
        assert_eq!(call(&s, Some(&author), "GET", &path, None).await.0, 200, "{db:?}");
        for (who, token) in [
            ("a colleague", Some(&colleague)),
            ("the editor", Some(&editor)),
            ("a member", Some(&member)),
            ("nobody", None),
        ] {
            let (status, answer) = call(&s, token.map(String::as_str), "GET", &path, None).await;
            assert_eq!(
                (status, answer["error"]["code"].as_str()),
                (404, Some("not_found")),
                "{db:?}: {who} sees a draft"
            );
        }
        let never_used = "/articles/aaaaaaaaaaaaaaaaaaaaaaaaaa";
        assert_eq!(
            call(&s, Some(&member), "GET", never_used, None).await,
            call(&s, Some(&member), "GET", &path, None).await
        );
        let (status, _) = call(&s, Some(&colleague), "POST", &format!("{path}/submit"), None).await;
        assert_eq!(status, 404, "{db:?}: a colleague cannot submit another's draft");
        let (status, _) =
            call(&s, Some(&author), "POST", &format!("{path}/review"), Some(json!({"decision": "publish"}))).await;
        assert_eq!(status, 403, "{db:?}: the author reviews nothing of theirs");

        // Submitted: reviewers see it, and hear of it; members still do not.
        let (status, answer) = call(&s, Some(&author), "POST", &format!("{path}/submit"), None).await;
        assert_eq!((status, answer["status"].as_str()), (200, Some("in_review")), "{db:?}: {answer}");
        let waiting = vec![("article_submitted".to_owned(), members_only.clone(), String::new())];
        assert_eq!(article_notes(&s, &colleague).await, waiting, "{db:?}: a colleague is told");
        assert_eq!(article_notes(&s, &editor).await, waiting, "{db:?}: the editor is told");
        assert!(article_notes(&s, &author).await.is_empty(), "{db:?}: not the author");
        assert!(article_notes(&s, &member).await.is_empty(), "{db:?}: not a member");
        let (status, _) = call(&s, Some(&author), "POST", &format!("{path}/submit"), None).await;
        assert_eq!(status, 409, "{db:?}: submitted twice");
        assert_eq!(call(&s, Some(&member), "GET", &path, None).await.0, 404, "{db:?}");
        let queue = call(&s, Some(&colleague), "GET", "/articles?status=in_review", None).await.1;
        assert_eq!(ids(&queue), vec![members_only.clone()], "{db:?}: the review queue");
        assert_eq!(call(&s, Some(&member), "GET", "/articles?status=in_review", None).await.0, 403, "{db:?}");
        for list in ["in_review", "draft"] {
            let (status, body) = call(&s, None, "GET", &format!("/articles?status={list}"), None).await;
            assert_eq!((status, body["error"]["code"].as_str()), (401, Some("unauthorized")), "{db:?}: {list}");
        }
        assert_eq!(
            call(&s, Some(&author), "POST", &format!("{path}/review"), Some(json!({"decision": "publish"}))).await.0,
            403
        );

        // The author takes it back from review (found a typo) and submits it again.
        let withdraw = format!("{path}/withdraw");
        let (status, answer) = call(&s, Some(&colleague), "POST", &withdraw, None).await;
        assert_eq!(status, 403, "{db:?}: only the author takes it back: {answer}");
        let (status, answer) = call(&s, Some(&author), "POST", &withdraw, None).await;
        assert_eq!((status, answer["status"].as_str()), (200, Some("draft")), "{db:?}: {answer}");
        assert!(article_notes(&s, &colleague).await.is_empty(), "{db:?}: nothing waits for review now");
        assert_eq!(call(&s, Some(&colleague), "GET", &path, None).await.0, 404, "{db:?}: the author's alone again");
        let (status, answer) = call(&s, Some(&author), "POST", &withdraw, None).await;
        assert_eq!((status, answer["error"]["code"].as_str()), (409, Some("article_status")), "{db:?}: a draft");
        assert_eq!(call(&s, Some(&author), "POST", &format!("{path}/submit"), None).await.0, 200, "{db:?}");
        assert_eq!(article_notes(&s, &colleague).await, waiting, "{db:?}: one article waiting, told of once");

        // Returned with a note (which a return needs), resubmitted, published.
        let review = format!("{path}/review");
        let (status, answer) = call(&s, Some(&colleague), "POST", &review, Some(json!({"decision": "return"}))).await;
        assert_eq!((status, answer["error"]["fields"]["note"].is_string()), (422, true), "{db:?}: {answer}");
        let (status, answer) = call(&s, Some(&colleague), "POST", &review, Some(json!({"decision": "maybe"}))).await;
        assert_eq!((status, answer["error"]["fields"]["decision"].is_string()), (422, true), "{db:?}: {answer}");
        let note = json!({"decision": "return", "note": "Bitte eine zweite Quelle."});
        let (status, answer) = call(&s, Some(&colleague), "POST", &review, Some(note)).await;
        assert_eq!((status, answer["status"].as_str()), (200, Some("draft")), "{db:?}: {answer}");
        let mine = call(&s, Some(&author), "GET", &path, None).await.1;
        assert_eq!(mine["review_note"], "Bitte eine zweite Quelle.", "{db:?}: the author reads the note");
        let returned = ("article_reviewed".to_owned(), members_only.clone(), "returned".to_owned());
        assert_eq!(article_notes(&s, &author).await, vec![returned.clone()], "{db:?}: the author hears of it");
        assert!(article_notes(&s, &editor).await.is_empty(), "{db:?}: decided: no longer waiting for the others");
        let drafts = call(&s, Some(&author), "GET", "/articles?status=draft", None).await.1;
        assert_eq!(ids(&drafts), vec![members_only.clone()], "{db:?}: the author's drafts");
        assert!(ids(&call(&s, Some(&colleague), "GET", "/articles?status=draft", None).await.1).is_empty());

        // The author revises the returned draft; nobody else can, and a
        // refused revision changes nothing.
        let mut revised = article("Fatigue bei MS", "members");
        revised["body"] = json!("**Bewegung**, Pausen und Kühlung.");
        revised["sources"] = json!([
            {"title": "DMSG", "url": "https://www.dmsg.de/"},
            {"title": "MS-Leitlinie", "url": "https://register.awmf.org/"},
        ]);
        for (who, token) in [("a colleague", &colleague), ("the editor", &editor), ("a member", &member)] {
            let (status, answer) = call(&s, Some(token), "PUT", &path, Some(revised.clone())).await;
            assert_eq!((status, answer["error"]["code"].as_str()), (404, Some("not_found")), "{db:?}: {who}");
        }
        let mut broken = revised.clone();
        broken["title"] = json!("");
        let (status, answer) = call(&s, Some(&author), "PUT", &path, Some(broken)).await;
        assert_eq!((status, answer["error"]["fields"]["title"].is_string()), (422, true), "{db:?}: {answer}");
        assert_eq!(call(&s, Some(&author), "GET", &path, None).await.1["sources"].as_array().map(Vec::len), Some(1));
        let (status, answer) = call(&s, Some(&author), "PUT", &path, Some(revised.clone())).await;
        assert_eq!((status, answer["status"].as_str()), (200, Some("draft")), "{db:?}: {answer}");
        assert_eq!(answer["sources"].as_array().map(Vec::len), Some(2), "{db:?}: {answer}");
        assert!(answer["body_html"].as_str().is_some_and(|h| h.contains("Kühlung")), "{db:?}: {answer}");
        assert_eq!(answer["review_note"], "Bitte eine zweite Quelle.", "{db:?}: the note stays in view");
        assert_eq!(call(&s, Some(&author), "POST", &format!("{path}/submit"), None).await.0, 200);
        assert_eq!(article_notes(&s, &editor).await, waiting, "{db:?}: the third round, told of once");
        let (status, answer) = call(&s, Some(&author), "PUT", &path, Some(revised)).await;
        assert_eq!((status, answer["error"]["code"].as_str()), (409, Some("article_status")), "{db:?}: in review");
        let (status, answer) = call(&s, Some(&editor), "POST", &review, Some(json!({"decision": "publish"}))).await;
        assert_eq!((status, answer["status"].as_str()), (200, Some("published")), "{db:?}: {answer}");
        assert!(answer["published_at"].is_string(), "{db:?}");
        let published = ("article_reviewed".to_owned(), members_only.clone(), "published".to_owned());
        let mut told = article_notes(&s, &author).await;
        told.sort();
        assert_eq!(told, vec![published, returned], "{db:?}: both decisions (the test clock stands still)");
        let (status, _) = call(&s, Some(&colleague), "POST", &review, Some(json!({"decision": "publish"}))).await;
        assert_eq!(status, 409, "{db:?}: decided once");

        // Members read it, without the reviewer's note; nobody else does.
        let (status, read) = call(&s, Some(&member), "GET", &path, None).await;
        assert_eq!(status, 200, "{db:?}");
        assert_eq!(read["author"], "Dr Lena");
        assert!(read.get("review_note").is_none(), "{db:?}: the note is for author and reviewers: {read}");
        assert!(read["body_html"].as_str().is_some_and(|h| h.contains("<strong>Bewegung</strong>")), "{read}");
        assert_eq!(read["conditions"], json!(["ms"]));
        assert_eq!(
            read["sources"],
            json!([
                {"title": "DMSG", "url": "https://www.dmsg.de/"},
                {"title": "MS-Leitlinie", "url": "https://register.awmf.org/"},
            ])
        );
        assert_eq!(call(&s, None, "GET", &path, None).await.0, 404, "{db:?}: members-only is not public");
        // Across a block the article stays, its author's name does not.
        let lena = s.get_as(&author, &format!("{API}/me")).await["member_id"].as_str().expect("id").to_owned();
        let (status, _) = call(&s, Some(&member), "POST", "/blocks", Some(json!({"member_id": lena}))).await;
        assert_eq!(status, 201, "{db:?}");
        let (status, read) = call(&s, Some(&member), "GET", &path, None).await;
        assert_eq!(status, 200, "{db:?}");
        assert!(read.get("author").is_none(), "{db:?}: no name across a block: {read}");
        let listed = call(&s, Some(&member), "GET", "/articles", None).await.1;
        assert!(listed["articles"][0].get("author").is_none(), "{db:?}: {listed}");
        assert_eq!(call(&s, Some(&colleague), "GET", &path, None).await.1["author"], "Dr Lena", "{db:?}");

        // A public article: anyone reads it, signed in or not.
        s.clock.advance(chrono::Duration::minutes(5));
        let (_, answer) =
            call(&s, Some(&colleague), "POST", "/articles", Some(article("Reha beantragen", "public"))).await;
        let public = answer["article_id"].as_str().expect("id").to_owned();
        call(&s, Some(&colleague), "POST", &format!("/articles/{public}/submit"), None).await;
        let (status, _) = call(
            &s,
            Some(&author),
            "POST",
            &format!("/articles/{public}/review"),
            Some(json!({"decision": "publish", "note": "Gut."})),
        )
        .await;
        assert_eq!(status, 200, "{db:?}");
        assert_eq!(ids(&call(&s, None, "GET", "/articles", None).await.1), vec![public.clone()], "{db:?}: anyone");
        assert_eq!(call(&s, None, "GET", &format!("/articles/{public}"), None).await.0, 200, "{db:?}");
        let all = ids(&call(&s, Some(&member), "GET", "/articles", None).await.1);
        assert_eq!(all, vec![public.clone(), members_only.clone()], "{db:?}: newest first");

        // Weeks later, a second review: a reviewer other than the author
        // confirms that it is still accurate. The article shows the date of
        // its last review; its place in the list (by publication) stays.
        let confirm = format!("{path}/confirm");
        let before = call(&s, Some(&member), "GET", &path, None).await.1;
        assert!(before["reviewed_at"].is_string(), "{db:?}: {before}");
        assert_eq!(before["reviewed_at"], before["published_at"], "{db:?}: published is reviewed");
        s.clock.advance(chrono::Duration::days(20));
        for (who, token) in [("the author", &author), ("a member", &member)] {
            let (status, answer) = call(&s, Some(token), "POST", &confirm, None).await;
            assert_eq!((status, answer["error"]["code"].as_str()), (403, Some("article_not_allowed")), "{db:?}: {who}");
        }
        assert_eq!(call(&s, None, "POST", &confirm, None).await.0, 401, "{db:?}: nobody signed in");
        let (status, answer) = call(&s, Some(&colleague), "POST", &confirm, None).await;
        assert_eq!(status, 200, "{db:?}: {answer}");
        assert_eq!(answer["published_at"], before["published_at"], "{db:?}: published once");
        assert!(answer["reviewed_at"].is_string(), "{db:?}: {answer}");
        assert!(answer["reviewed_at"].as_str() > before["reviewed_at"].as_str(), "{db:?}: {answer}");
        assert_eq!(call(&s, Some(&member), "GET", &path, None).await.1["reviewed_at"], answer["reviewed_at"]);
        let all = ids(&call(&s, Some(&member), "GET", "/articles", None).await.1);
        assert_eq!(all, vec![public.clone(), members_only.clone()], "{db:?}: the list keeps its order");
        // Only a published article is confirmed: a draft is not there for
        // the reviewer, one in review waits for its review.
        let (_, answer) = call(&s, Some(&author), "POST", "/articles", Some(article("Kühlwesten", "members"))).await;
        let waiting = format!("/articles/{}", answer["article_id"].as_str().expect("id"));
        let (status, _) = call(&s, Some(&colleague), "POST", &format!("{waiting}/confirm"), None).await;
        assert_eq!(status, 404, "{db:?}: a draft");
        assert_eq!(call(&s, Some(&author), "POST", &format!("{waiting}/submit"), None).await.0, 200);
        let (status, answer) = call(&s, Some(&colleague), "POST", &format!("{waiting}/confirm"), None).await;
        assert_eq!((status, answer["error"]["code"].as_str()), (409, Some("article_status")), "{db:?}: in review");
        let unknown = call(&s, Some(&colleague), "POST", "/articles/aaaaaaaaaaaaaaaaaaaaaaaaaa/confirm", None).await;
        assert_eq!(unknown.0, 404, "{db:?}");

        // Search by words, condition and therapy.
        let found = |q: &'static str| {
            let s = &s;
            let member = member.clone();
            async move { ids(&call(s, Some(&member), "GET", &format!("/articles?{q}"), None).await.1) }
        };
        assert_eq!(found("q=REHA").await, vec![public.clone()], "{db:?}: words, any case");
        assert_eq!(found("q=fatigue%20bewegung").await, vec![members_only.clone()], "{db:?}: every word");
        assert_eq!(found("q=k%C3%BChlung").await, vec![members_only.clone()], "{db:?}: the revised text");
        assert!(found("q=100%25").await.is_empty(), "{db:?}: % is a character, not a wildcard");
        assert_eq!(found("condition=ms&therapy=physiotherapy").await.len(), 2, "{db:?}");
        let (status, answer) = call(&s, Some(&member), "GET", "/articles?condition=nope&status=secret", None).await;
        assert_eq!(status, 422, "{db:?}: {answer}");
        assert_eq!(answer["error"]["code"], "invalid_query");
        assert!(answer["error"]["fields"]["condition"].is_string() && answer["error"]["fields"]["status"].is_string());

        // A bearer token that does not work is 401 even where anyone may read.
        assert_eq!(call(&s, Some("not-a-token"), "GET", "/articles", None).await.0, 401, "{db:?}");
        s.stop().await;
    }
}

/// Twenty per page, newest first; the cursor leads on without repeats.
#[tokio::test]
async fn the_list_pages_with_a_cursor() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.user(&ms, "lena@example.org", "Dr Lena", "professional").await;
        s.user(&ms, "petra@example.org", "Petra", "admin").await;
        let author = s.login_staff(&ms, "lena@example.org").await;
        let editor = s.login_staff(&ms, "petra@example.org").await;
        let mut published = Vec::new();
        for n in 0..23 {
            let (_, answer) =
                call(&s, Some(&author), "POST", "/articles", Some(article(&format!("Artikel {n}"), "public"))).await;
            let id = answer["article_id"].as_str().expect("id").to_owned();
            call(&s, Some(&author), "POST", &format!("/articles/{id}/submit"), None).await;
            s.clock.advance(chrono::Duration::seconds(1));
            let (status, _) = call(
                &s,
                Some(&editor),
                "POST",
                &format!("/articles/{id}/review"),
                Some(json!({"decision": "publish"})),
            )
            .await;
            assert_eq!(status, 200, "{db:?}");
            published.push(id);
        }
        published.reverse();
        let first = call(&s, None, "GET", "/articles", None).await.1;
        assert_eq!(ids(&first), published[..20].to_vec(), "{db:?}");
        let cursor = first["next_cursor"].as_str().expect("a next page").to_owned();
        let second = call(&s, None, "GET", &format!("/articles?cursor={cursor}"), None).await.1;
        assert_eq!(ids(&second), published[20..].to_vec(), "{db:?}");
        assert!(second["next_cursor"].is_null() && second.get("next_cursor").is_some(), "{db:?}: the last page");
        s.stop().await;
    }
}

/// An erased author's drafts go with the account; a published article
/// stays for its readers, without a name — or goes, when the author chose
/// to take their posts with them.
#[tokio::test]
async fn an_erased_authors_published_articles_stay_without_a_name() {
    for (db, posts) in [(crate::harness::Db::Sqlite, "anonymise"), (crate::harness::Db::Postgres, "delete")] {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        s.user(&ms, "lena@example.org", "Dr Lena", "professional").await;
        s.user(&ms, "petra@example.org", "Petra", "admin").await;
        let author = s.login_staff(&ms, "lena@example.org").await;
        let editor = s.login_staff(&ms, "petra@example.org").await;
        let (_, answer) = call(&s, Some(&author), "POST", "/articles", Some(article("Veröffentlicht", "public"))).await;
        let published = answer["article_id"].as_str().expect("id").to_owned();
        call(&s, Some(&author), "POST", &format!("/articles/{published}/submit"), None).await;
        let review = json!({"decision": "publish"});
        call(&s, Some(&editor), "POST", &format!("/articles/{published}/review"), Some(review)).await;
        let (_, answer) = call(&s, Some(&author), "POST", "/articles", Some(article("Entwurf", "public"))).await;
        let draft = answer["article_id"].as_str().expect("id").to_owned();

        let response = s
            .client
            .delete(s.url(&format!("{API}/me")))
            .bearer_auth(&author)
            .json(&json!({"password": crate::harness::STAFF_PASSWORD, "posts": posts}))
            .send()
            .await
            .expect("erase");
        assert_eq!(response.status(), 202, "{db:?}");
        let rows = s.count_rows("articles").await;
        let (status, read) = call(&s, None, "GET", &format!("/articles/{published}"), None).await;
        if posts == "anonymise" {
            assert_eq!(status, 200, "{db:?}: the published article stays");
            assert!(read.get("author").is_none(), "{db:?}: without a name: {read}");
            assert_eq!(rows, 1, "{db:?}: the draft went with the account");
        } else {
            assert_eq!(status, 404, "{db:?}: taken away with the posts");
            assert_eq!(rows, 0, "{db:?}");
        }
        assert_eq!(s.count_rows("article_codes").await, rows * 2, "{db:?}: codes go with their article");
        assert_eq!(call(&s, Some(&editor), "GET", &format!("/articles/{draft}"), None).await.0, 404);
        s.stop().await;
    }
}
