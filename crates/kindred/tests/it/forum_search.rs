//! Full-text search over the forum, on both databases: it finds German,
//! Dutch and English words, and never anything the searcher could not
//! open — secret and closed groups they are not in, hidden and deleted
//! posts, hidden topics, another association. Authors appear as in the
//! forum: the alias in an alias group, nobody for an anonymous post.

use crate::harness::{api_error, TestServer, BOTH};
use crate::members::{call, ok, someone, Someone, PASSWORD};
use kindred_service::sessions::csrf_token;
use kindred_service::Association;
use serde_json::{json, Value};

fn api(slug: &str, path: &str) -> String {
    format!("/a/{slug}/api/v1{path}")
}

async fn staff(s: &TestServer, association: &Association, email: &str, pseudonym: &str, role: &str) -> Someone {
    let id = s.user(association, email, pseudonym, role).await;
    let token = s.login_staff(association, email).await;
    Someone { id, token }
}

async fn category(s: &TestServer, slug: &str, admin: &Someone, name: &str) -> String {
    let body = json!({"name": name, "description": "Talk", "anonymous_allowed": true, "ask_professional": false});
    let value = ok(s, &admin.token, "POST", &api(slug, "/forum/categories"), Some(body)).await;
    value["category_id"].as_str().expect("category id").to_owned()
}

async fn group(s: &TestServer, who: &Someone, name: &str, visibility: &str, alias_mode: bool) -> String {
    let body = json!({"name": name, "description": "A group", "visibility": visibility, "alias_mode": alias_mode});
    let value = ok(s, &who.token, "POST", &api("ms", "/groups"), Some(body)).await;
    value["group_id"].as_str().expect("group id").to_owned()
}

async fn topic(s: &TestServer, slug: &str, who: &Someone, place: (&str, &str), title: &str, body: &str) -> String {
    topic_as(s, slug, who, place, title, body, false).await
}

async fn topic_as(
    s: &TestServer,
    slug: &str,
    who: &Someone,
    place: (&str, &str),
    title: &str,
    body: &str,
    anonymous: bool,
) -> String {
    let mut request = json!({"title": title, "body": body, "anonymous": anonymous});
    request[place.0] = json!(place.1);
    let value = ok(s, &who.token, "POST", &api(slug, "/forum/topics"), Some(request)).await;
    value["topic_id"].as_str().expect("topic id").to_owned()
}

async fn reply(s: &TestServer, who: &Someone, topic: &str, body: &str) -> String {
    let value =
        ok(s, &who.token, "POST", &api("ms", &format!("/forum/topics/{topic}/posts")), Some(json!({"body": body})))
            .await;
    value["post_id"].as_str().expect("post id").to_owned()
}

async fn search(s: &TestServer, who: &Someone, q: &str) -> Vec<Value> {
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/search?q={}", urlencode(q));
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page = ok(s, &who.token, "GET", &api("ms", &path), None).await;
        all.extend(page["results"].as_array().expect("results").iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => {
                assert_eq!(page["next_cursor"], Value::Null, "next_cursor is null on the last page");
                return all;
            }
        }
    }
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A member signed in with the page cookie.
pub struct Browser<'a> {
    s: &'a TestServer,
    pub cookie: String,
    pub csrf: String,
}

impl Browser<'_> {
    pub async fn sign_in<'a>(s: &'a TestServer, email: &str) -> Browser<'a> {
        let response = s
            .client
            .post(s.url("/a/ms/sign-in"))
            .form(&[("email", email), ("password", PASSWORD)])
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
        Browser { s, cookie: format!("__Host-kindred-ms={token}"), csrf: csrf_token(&token) }
    }

    /// A page: status and HTML.
    pub async fn get(&self, path: &str) -> (u16, String) {
        let response = self.s.client.get(self.s.url(path)).header("cookie", &self.cookie).send().await.expect("get");
        // minijinja escapes "/" in attributes; the tests look for paths.
        (response.status().as_u16(), response.text().await.expect("text").replace("&#x2f;", "/"))
    }

    /// Posts a form with the CSRF token; returns status and Location.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
        let mut form: Vec<(&str, &str)> = vec![("csrf", &self.csrf)];
        form.extend_from_slice(fields);
        let response =
            self.s.client.post(self.s.url(path)).header("cookie", &self.cookie).form(&form).send().await.expect("post");
        let location = response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        (response.status().as_u16(), location)
    }
}

fn topics_of(results: &[Value]) -> Vec<String> {
    let mut ids: Vec<String> = results.iter().map(|r| r["topic_id"].as_str().expect("topic_id").to_owned()).collect();
    ids.dedup();
    ids
}

#[tokio::test]
async fn search_finds_only_what_the_searcher_may_open() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let other = s.ms_association("other").await;
        let boss = staff(&s, &ms, "admin@example.org", "Admina", "admin").await;
        let mo = staff(&s, &ms, "mo@example.org", "Moderata", "moderator").await;
        let anna = someone(&s, &ms, "Anna Autorin").await;
        let ben = someone(&s, &ms, "Ben Sucher").await;
        let cleo = someone(&s, &ms, "Cleo Mitglied").await;
        let stranger_boss = staff(&s, &other, "admin@example.org", "Fremd Admin", "admin").await;

        let alltag = category(&s, "ms", &boss, "Alltag").await;
        let open = group(&s, &anna, "Offene Runde", "open", false).await;
        let closed = group(&s, &anna, "Geschlossene Runde", "closed", false).await;
        let secret = group(&s, &anna, "Geheime Runde", "secret", false).await;
        let masked = group(&s, &anna, "Maskenball", "open", true).await;
        // Cleo is in the secret group; Ben in none.
        ok(
            &s,
            &anna.token,
            "POST",
            &api("ms", &format!("/groups/{secret}/invitations")),
            Some(json!({"member_id": cleo.id})),
        )
        .await;
        ok(&s, &cleo.token, "POST", &api("ms", &format!("/groups/{secret}/join")), None).await;
        let anna_alias = ok(&s, &anna.token, "GET", &api("ms", &format!("/groups/{masked}")), None).await["my_alias"]
            .as_str()
            .expect("an alias in an alias group")
            .to_owned();

        let word = "Müdigkeit";
        let in_category =
            topic(&s, "ms", &anna, ("category_id", &alltag), "Abends", &format!("Die {word} kommt abends.")).await;
        let anonymous = topic_as(
            &s,
            "ms",
            &anna,
            ("category_id", &alltag),
            "Ohne Namen",
            &format!("Meine {word} ist schlimm."),
            true,
        )
        .await;
        let in_open =
            topic(&s, "ms", &anna, ("group_id", &open), "Offen", &format!("{word} in der offenen Runde")).await;
        let in_closed =
            topic(&s, "ms", &anna, ("group_id", &closed), "Geschlossen", &format!("{word} in der geschlossenen Runde"))
                .await;
        let in_secret =
            topic(&s, "ms", &anna, ("group_id", &secret), "Geheim", &format!("{word} in der geheimen Runde")).await;
        let in_alias =
            topic(&s, "ms", &anna, ("group_id", &masked), "Maske", &format!("{word} hinter der Maske")).await;
        // A reply hidden by a moderator, one deleted by its author, a hidden topic.
        let carrier = topic(&s, "ms", &anna, ("category_id", &alltag), "Allerlei", "Nichts Besonderes hier.").await;
        let hidden_post = reply(&s, &anna, &carrier, &format!("Verborgene {word}")).await;
        ok(
            &s,
            &mo.token,
            "POST",
            &api("ms", &format!("/forum/posts/{hidden_post}/hide")),
            Some(json!({"reason": "Spam"})),
        )
        .await;
        let deleted_post = reply(&s, &anna, &carrier, &format!("Gelöschte {word}")).await;
        ok(&s, &anna.token, "DELETE", &api("ms", &format!("/forum/posts/{deleted_post}")), None).await;
        let hidden_topic =
            topic(&s, "ms", &anna, ("category_id", &alltag), "Versteckt", &format!("Versteckte {word}")).await;
        ok(
            &s,
            &mo.token,
            "POST",
            &api("ms", &format!("/forum/topics/{hidden_topic}/hide")),
            Some(json!({"reason": "Off"})),
        )
        .await;
        // Another association, same word.
        let elsewhere = category(&s, "other", &stranger_boss, "Woanders").await;
        let foreign =
            topic(&s, "other", &stranger_boss, ("category_id", &elsewhere), "Fremd", &format!("Fremde {word}")).await;

        // Ben: categories, open groups (also an alias group), nothing else.
        let found = search(&s, &ben, "müdigkeit").await;
        let topics = topics_of(&found);
        for expected in [&in_category, &anonymous, &in_open, &in_alias] {
            assert!(topics.contains(expected), "{db:?}: {expected} in {found:?}");
        }
        for never in [&in_closed, &in_secret, &hidden_topic, &foreign, &carrier] {
            assert!(!topics.contains(never), "{db:?}: {never} must not be found by Ben: {found:?}");
        }
        let text = serde_json::to_string(&found).expect("json");
        for never in [&hidden_post, &deleted_post] {
            assert!(!text.contains(never.as_str()), "{db:?}: {never} must not be found");
        }
        for topic_id in &topics {
            let (status, _) = call(&s, &ben.token, "GET", &api("ms", &format!("/forum/topics/{topic_id}")), None).await;
            assert_eq!(status, 200, "{db:?}: Ben can open every topic he finds");
        }
        for never in [&in_closed, &in_secret, &hidden_topic] {
            let response =
                s.client.get(s.url(&api("ms", &format!("/forum/topics/{never}")))).bearer_auth(&ben.token).send().await;
            assert_eq!(api_error(response.expect("get")).await, (404, "not_found".into()), "{db:?}");
        }

        // Authors as in the forum: the alias in an alias group, nobody for an anonymous post.
        let by_topic = |id: &str| found.iter().find(|r| r["topic_id"] == id).cloned().expect("a result");
        let plain = by_topic(&in_category);
        assert_eq!(plain["type"], "topic", "{db:?}");
        assert_eq!(plain["author"]["pseudonym"], "Anna Autorin", "{db:?}");
        assert_eq!(plain["author"]["member_id"], anna.id.as_str(), "{db:?}");
        assert_eq!(plain["category_id"], alltag.as_str(), "{db:?}");
        assert!(plain.get("group_id").is_none(), "{db:?}: absent, not null");
        assert!(plain["snippet"].as_str().expect("snippet").contains(word), "{db:?}: {plain}");
        let hidden_author = by_topic(&anonymous);
        assert!(hidden_author.get("author").is_none(), "{db:?}: {hidden_author}");
        let aliased = by_topic(&in_alias);
        assert_eq!(aliased["author"], json!({"alias": anna_alias}), "{db:?}");
        for result in [&hidden_author, &aliased] {
            let text = result.to_string();
            assert!(!text.contains("Anna") && !text.contains(&anna.id), "{db:?}: the author leaks: {text}");
        }

        // Cleo, in the secret group, finds it there; staff find the closed group, never the secret one.
        let cleo_topics = topics_of(&search(&s, &cleo, "müdigkeit").await);
        assert!(cleo_topics.contains(&in_secret), "{db:?}");
        assert!(!cleo_topics.contains(&in_closed), "{db:?}");
        let mo_topics = topics_of(&search(&s, &mo, "müdigkeit").await);
        assert!(mo_topics.contains(&in_closed), "{db:?}");
        assert!(!mo_topics.contains(&in_secret), "{db:?}: staff do not see secret groups");
        assert!(!mo_topics.contains(&hidden_topic), "{db:?}: hidden topics are for the queue, not for search");

        // Leaving a group takes its posts out of one's search.
        ok(&s, &cleo.token, "POST", &api("ms", &format!("/groups/{secret}/leave")), None).await;
        assert!(!topics_of(&search(&s, &cleo, "müdigkeit").await).contains(&in_secret), "{db:?}");

        s.stop().await;
    }
}

#[tokio::test]
async fn german_dutch_and_english_words_are_found_and_paged() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let boss = staff(&s, &ms, "admin@example.org", "Admina", "admin").await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        let alltag = category(&s, "ms", &boss, "Alltag").await;

        let de = topic(&s, "ms", &anna, ("category_id", &alltag), "Müde", "Die Müdigkeit macht mir zu schaffen.").await;
        let nl = topic(&s, "ms", &anna, ("category_id", &alltag), "Moe", "De vermoeidheid is erg vandaag.").await;
        let en = topic(&s, "ms", &anna, ("category_id", &alltag), "Tired", "The fatigue is worse in summer.").await;
        let title =
            topic(&s, "ms", &anna, ("category_id", &alltag), "Kühlwesten im Sommer", "Wer hat Erfahrung?").await;
        for (q, expected) in
            [("Müdigkeit", &de), ("müdigkeit", &de), ("vermoeidheid", &nl), ("fatigue", &en), ("Kühlwesten", &title)]
        {
            let found = topics_of(&search(&s, &ben, q).await);
            assert_eq!(found, vec![expected.clone()], "{db:?}: {q}");
        }
        // A word is also the start of a longer one, on either database alike.
        for (q, expected) in [("Müdig", &de), ("vermoei", &nl), ("fatig", &en), ("Kühlwe", &title)] {
            let found = topics_of(&search(&s, &ben, q).await);
            assert_eq!(found, vec![expected.clone()], "{db:?}: {q}");
        }
        // Every word must occur.
        assert!(search(&s, &ben, "fatigue vermoeidheid").await.is_empty(), "{db:?}");
        // Query syntax is never the database's: quotes, operators and stars are words or nothing.
        for q in ["\"fatigue", "fatigue OR x", "NEAR(fatigue)", "fat*gue", "fatigue & !summer", "-fatigue"] {
            let (status, _) =
                call(&s, &ben.token, "GET", &api("ms", &format!("/search?q={}", urlencode(q))), None).await;
            assert_eq!(status, 200, "{db:?}: {q}");
        }

        // Replies: type post with their id; newest first; 20 a page.
        let mut replies = Vec::new();
        for n in 0..23 {
            s.clock.advance(chrono::Duration::seconds(1));
            replies.push(reply(&s, &anna, &en, &format!("Reply {n}: fatigue again")).await);
        }
        let first = ok(&s, &ben.token, "GET", &api("ms", "/search?q=fatigue"), None).await;
        let page = first["results"].as_array().expect("results");
        assert_eq!(page.len(), 20, "{db:?}");
        assert_eq!(page[0]["type"], "post", "{db:?}");
        assert_eq!(page[0]["post_id"], replies[22].as_str(), "{db:?}: newest first");
        assert!(first["next_cursor"].is_string(), "{db:?}");
        let all = search(&s, &ben, "fatigue").await;
        assert_eq!(all.len(), 24, "{db:?}: 23 replies and the opening post, each once");
        assert_eq!(all[23]["type"], "topic", "{db:?}");
        assert!(all[23].get("post_id").is_none(), "{db:?}");

        // Invalid queries.
        for path in ["/search", "/search?q=", "/search?q=a", "/search?q=%21%21%21", "/search?q=fatigue&cursor=nonsense"]
        {
            let response = s.client.get(s.url(&api("ms", path))).bearer_auth(&ben.token).send().await.expect("get");
            assert_eq!(api_error(response).await, (422, "invalid_query".into()), "{db:?}: {path}");
        }
        let long = "x".repeat(201);
        let (status, body) = call(&s, &ben.token, "GET", &api("ms", &format!("/search?q={long}")), None).await;
        assert_eq!(status, 422, "{db:?}");
        assert!(body["error"]["fields"]["q"].is_string(), "{db:?}: {body}");

        // PostgreSQL answers from the GIN index.
        if let Some(plan) = s.kindred.store.explain_post_search(&ms.id, &["fatigue".to_owned()]).await.expect("explain")
        {
            assert!(plan.contains("post_search_document"), "{db:?}: {plan}");
        }

        // The page: a form with a label, results linking to the post, errors summarised.
        let browser = Browser::sign_in(&s, "ben@example.org").await;
        let (status, html) = browser.get("/a/ms/search?q=vermoeidheid").await;
        assert_eq!(status, 200, "{db:?}: {html}");
        assert_eq!(html.matches("<h1").count(), 1, "{db:?}");
        assert!(html.contains("<label for=\"search-q\""), "{db:?}");
        assert!(html.contains(&format!("/a/ms/forum/topics/{nl}#post-1")), "{db:?}: {html}");
        assert!(!html.contains(&format!("/a/ms/forum/topics/{de}")), "{db:?}");
        let (status, html) = browser.get("/a/ms/search?q=a").await;
        assert_eq!(status, 422, "{db:?}");
        assert!(html.contains("error-summary") && html.contains("href=\"#search-q\""), "{db:?}: {html}");
        let (status, html) = browser.get("/a/ms/search").await;
        assert_eq!(status, 200, "{db:?}");
        assert!(!html.contains("error-summary"), "{db:?}: no errors before searching");
        let (status, html) = browser.get("/a/ms/search?q=fatigue").await;
        assert_eq!(status, 200, "{db:?}");
        assert!(html.contains("rel=\"next\""), "{db:?}: a next page");
        // A hit past the topic's first 50 posts links to the page that shows
        // it: posts 25 to 52, the last with its own word.
        for n in 25..=52 {
            s.clock.advance(chrono::Duration::seconds(1));
            let word = if n == 52 { "Kribbelnachmittag" } else { "weiter" };
            reply(&s, &anna, &en, &format!("Post {n}: {word}")).await;
        }
        let (status, html) = browser.get("/a/ms/search?q=kribbelnachmittag").await;
        assert_eq!(status, 200, "{db:?}");
        assert!(html.contains(&format!("/a/ms/forum/topics/{en}?after=50#post-52")), "{db:?}: {html}");
        s.stop().await;
    }
}

/// Editing a post replaces its entry and deleting removes it, and only its
/// own: other posts with the same words, before and after it, stay found.
/// A deleted post's words are gone from the database files, not only from
/// the answers: its row, its earlier versions, its full-text entry, and on
/// SQLite the free space of the file and the WAL (`secure_delete`, FTS5
/// `secure-delete`, a checkpoint).
#[tokio::test]
async fn a_deleted_post_leaves_no_text_in_the_database() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let boss = staff(&s, &ms, "admin@example.org", "Admina", "admin").await;
        let anna = someone(&s, &ms, "Anna").await;
        let alltag = category(&s, "ms", &boss, "Alltag").await;
        let opening = topic(&s, "ms", &anna, ("category_id", &alltag), "Sommer", "Wie geht ihr mit Hitze um?").await;
        let (first, second) = ("Quokkaflugvertraulich", "Zwiebelturmgeheimnis");
        let post = reply(&s, &anna, &opening, &format!("Mein {first} Bericht")).await;
        let path = api("ms", &format!("/forum/posts/{post}"));
        ok(&s, &anna.token, "PUT", &path, Some(json!({"body": format!("Nun {second} allein")}))).await;
        let before = s.dump().await.to_lowercase();
        for word in [first, second] {
            assert!(before.contains(&word.to_lowercase()), "{db:?}: the dump would see {word}");
        }
        ok(&s, &anna.token, "DELETE", &path, None).await;
        let after = s.dump().await.to_lowercase();
        for word in [first, second] {
            assert!(!after.contains(&word.to_lowercase()), "{db:?}: {word} is still in the database files");
        }
        assert!(after.contains("wie geht ihr mit hitze um"), "{db:?}: the rest of the topic stays");
        s.stop().await;
    }
}

#[tokio::test]
async fn edited_and_deleted_posts_are_found_by_what_they_now_say() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let boss = staff(&s, &ms, "admin@example.org", "Admina", "admin").await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        let alltag = category(&s, "ms", &boss, "Alltag").await;
        let opening = topic(&s, "ms", &anna, ("category_id", &alltag), "Kühlwesten", "Wer kennt Kühlwesten?").await;
        let before = reply(&s, &anna, &opening, "Kühlwesten helfen mir").await;
        let edited = reply(&s, &anna, &opening, "Kühlwesten sind teuer").await;
        let deleted = reply(&s, &anna, &opening, "Kühlwesten und Ventilatoren").await;
        let after = reply(&s, &anna, &opening, "Kühlwesten gibt es gebraucht").await;
        let post_ids = |results: &[Value]| -> Vec<String> {
            let mut ids: Vec<String> =
                results.iter().filter_map(|r| r["post_id"].as_str().map(str::to_owned)).collect();
            ids.sort();
            ids
        };
        let mut all = vec![before.clone(), edited.clone(), deleted.clone(), after.clone()];
        all.sort();
        assert_eq!(post_ids(&search(&s, &ben, "Kühlwesten").await), all, "{db:?}");

        ok(
            &s,
            &anna.token,
            "PUT",
            &api("ms", &format!("/forum/posts/{edited}")),
            Some(json!({"body": "Eisbeutel sind billiger"})),
        )
        .await;
        ok(&s, &anna.token, "DELETE", &api("ms", &format!("/forum/posts/{deleted}")), None).await;
        let mut left = vec![before.clone(), after.clone()];
        left.sort();
        assert_eq!(post_ids(&search(&s, &ben, "Kühlwesten").await), left, "{db:?}: the old words are gone");
        assert_eq!(post_ids(&search(&s, &ben, "Eisbeutel").await), vec![edited.clone()], "{db:?}: the new words");
        assert!(search(&s, &ben, "Ventilatoren").await.is_empty(), "{db:?}: nothing of the deleted post");
        // The opening post's entry keeps its title through an edit of its text.
        let first = ok(&s, &ben.token, "GET", &api("ms", &format!("/forum/topics/{opening}")), None).await;
        let first_post = first["posts"][0]["post_id"].as_str().expect("first post").to_owned();
        ok(
            &s,
            &anna.token,
            "PUT",
            &api("ms", &format!("/forum/posts/{first_post}")),
            Some(json!({"body": "Wer kennt Eisbeutel?"})),
        )
        .await;
        let found = search(&s, &ben, "Kühlwesten").await;
        assert!(
            found.iter().any(|r| r["type"] == "topic" && r["topic_id"] == opening.as_str()),
            "{db:?}: by its title"
        );
        assert_eq!(post_ids(&search(&s, &ben, "Eisbeutel").await), vec![edited.clone()], "{db:?}");
        assert_eq!(search(&s, &ben, "Eisbeutel").await.len(), 2, "{db:?}: the edited reply and the opening post");
        s.stop().await;
    }
}
