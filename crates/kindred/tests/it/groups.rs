//! Groups over HTTP, on both databases: a secret group does not exist for
//! anyone outside it (every endpoint, the search, the page — byte for byte
//! like an id never used), alias groups show aliases only, closed groups
//! and their requests, role restrictions, validation, tenancy.

use crate::harness::{TestServer, BOTH};
use crate::members::{call, ok, someone, Someone, PASSWORD};
use kindred_service::sessions::csrf_token;
use kindred_service::Association;
use serde_json::{json, Value};

const API: &str = "/a/ms/api/v1";

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

pub(crate) async fn create(s: &TestServer, who: &Someone, body: Value) -> String {
    let created = ok(s, &who.token, "POST", &format!("{API}/groups"), Some(body)).await;
    created["group_id"].as_str().expect("group id").to_owned()
}

pub(crate) fn group(name: &str, visibility: &str) -> Value {
    json!({"name": name, "description": "Austausch über den Alltag", "visibility": visibility,
           "member_list": "group", "alias_mode": false, "conditions": ["ms"], "therapies": ["physiotherapy"],
           "region": "by"})
}

/// A member signed in with the page cookie.
struct Browser<'a> {
    s: &'a TestServer,
    cookie: String,
    csrf: String,
}

impl Browser<'_> {
    async fn sign_in<'a>(s: &'a TestServer, email: &str, password: &str) -> Browser<'a> {
        let response = s
            .client
            .post(s.url("/a/ms/sign-in"))
            .form(&[("email", email), ("password", password)])
            .send()
            .await
            .unwrap();
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

    async fn get(&self, path: &str) -> (u16, String) {
        let response = self.s.client.get(self.s.url(path)).header("cookie", &self.cookie).send().await.unwrap();
        // Attribute values come with `/` escaped.
        (response.status().as_u16(), response.text().await.unwrap().replace("&#x2f;", "/"))
    }

    async fn post(&self, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
        let mut form: Vec<(&str, &str)> = vec![("csrf", &self.csrf)];
        form.extend_from_slice(fields);
        let response =
            self.s.client.post(self.s.url(path)).header("cookie", &self.cookie).form(&form).send().await.unwrap();
        let location = response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        (response.status().as_u16(), location)
    }
}

fn email(name: &str) -> String {
    format!("{}@example.org", name.to_lowercase().replace(' ', "."))
}

/// Every group endpoint for one group id, as one viewer gets it.
async fn every_answer(s: &TestServer, token: &str, id: &str, other: &str) -> Vec<(String, u16, String)> {
    let calls: Vec<(&str, String, Option<Value>)> = vec![
        ("GET", format!("{API}/groups/{id}"), None),
        ("GET", format!("{API}/groups/{id}/members"), None),
        ("POST", format!("{API}/groups/{id}/join"), None),
        ("POST", format!("{API}/groups/{id}/leave"), None),
        ("POST", format!("{API}/groups/{id}/invitations"), Some(json!({"member_id": other}))),
        ("POST", format!("{API}/groups/{id}/invitations/decline"), None),
        ("POST", format!("{API}/groups/{id}/requests/{other}/approve"), None),
        ("POST", format!("{API}/groups/{id}/requests/{other}/decline"), None),
        ("POST", format!("{API}/groups/{id}/moderators"), Some(json!({"member_id": other}))),
    ];
    let mut answers = Vec::new();
    for (method, path, body) in calls {
        let (status, text) = raw(s, token, method, &path, body).await;
        answers.push((format!("{method} {}", path.replace(id, "{id}")), status, text));
    }
    answers
}

async fn search_pages(s: &TestServer, token: &str, query: &str) -> Vec<String> {
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            None => format!("{API}/groups?{query}"),
            Some(c) => format!("{API}/groups?{query}&cursor={c}"),
        };
        let (status, text) = raw(s, token, "GET", &path, None).await;
        assert_eq!(status, 200, "GET {path}: {text}");
        let value: Value = serde_json::from_str(&text).unwrap();
        pages.push(text);
        match value["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return pages,
        }
    }
}

const QUERIES: [&str; 6] = ["", "q=kreis", "condition=ms", "therapy=physiotherapy", "region=by", "q=geheimer+kreis"];

#[tokio::test]
async fn a_secret_group_does_not_exist_for_anyone_outside_it() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        let carl = someone(&s, &ms, "Carl").await;
        s.user(&ms, "admin@example.org", "Admin Ada", "admin").await;
        let admin = Someone { id: String::new(), token: s.login_staff(&ms, "admin@example.org").await };

        // Enough open groups for two pages, named around the secret one.
        for n in 0..24 {
            create(&s, &carl, group(&format!("Kreis {n:02}"), "open")).await;
        }
        let before_ben: Vec<Vec<String>> = {
            let mut all = Vec::new();
            for q in QUERIES {
                all.push(search_pages(&s, &ben.token, q).await);
            }
            all
        };
        let before_admin = search_pages(&s, &admin.token, "condition=ms").await;
        assert_eq!(before_ben[0].len(), 2, "{db:?}: 24 groups are two pages");

        let secret = create(&s, &anna, group("Geheimer Kreis", "secret")).await;
        let never = kindred_domain::GroupId::random().to_string();

        // Every endpoint: the same status and the same bytes as for an id never used.
        for viewer in [&ben, &admin] {
            let seen = every_answer(&s, &viewer.token, &secret, &anna.id).await;
            let unknown = every_answer(&s, &viewer.token, &never, &anna.id).await;
            assert_eq!(seen, unknown, "{db:?}");
            assert!(seen.iter().all(|(_, status, _)| *status == 404), "{db:?}: {seen:?}");
        }
        // Search: never found, and every page as in a world without it.
        for (q, before) in QUERIES.iter().zip(&before_ben) {
            assert_eq!(&search_pages(&s, &ben.token, q).await, before, "{db:?}: {q}");
        }
        assert_eq!(search_pages(&s, &admin.token, "condition=ms").await, before_admin, "{db:?}: staff too");

        // The page: the same 404 as for an id never used.
        let browser = Browser::sign_in(&s, &email("Ben"), PASSWORD).await;
        let secret_page = browser.get(&format!("/a/ms/groups/{secret}")).await;
        let unknown_page = browser.get(&format!("/a/ms/groups/{never}")).await;
        assert_eq!(secret_page.0, 404, "{db:?}");
        assert_eq!(secret_page, unknown_page, "{db:?}");
        let members_page = browser.get(&format!("/a/ms/groups/{secret}/members")).await;
        assert_eq!(members_page, browser.get(&format!("/a/ms/groups/{never}/members")).await, "{db:?}");
        let (_, list) = browser.get("/a/ms/groups?q=geheimer").await;
        assert!(!list.contains("Geheimer"), "{db:?}");

        // A member sees it, in search too.
        let view = ok(&s, &anna.token, "GET", &format!("{API}/groups/{secret}"), None).await;
        assert_eq!((view["name"].as_str(), view["membership"].as_str()), (Some("Geheimer Kreis"), Some("moderator")));
        let found = ok(&s, &anna.token, "GET", &format!("{API}/groups?q=geheimer"), None).await;
        assert_eq!(found["results"].as_array().unwrap().len(), 1, "{db:?}");
        let (status, html) =
            Browser::sign_in(&s, &email("Anna"), PASSWORD).await.get(&format!("/a/ms/groups/{secret}")).await;
        assert_eq!(status, 200, "{db:?}");
        assert!(html.contains("Geheimer Kreis"));

        // Invited: the group shows, to accept or decline; declined, it is gone again.
        ok(&s, &anna.token, "POST", &format!("{API}/groups/{secret}/invitations"), Some(json!({"member_id": ben.id})))
            .await;
        let invited = ok(&s, &ben.token, "GET", &format!("{API}/groups/{secret}"), None).await;
        assert_eq!(invited["membership"], "invited", "{db:?}");
        assert_eq!(invited["join"], "accept");
        let (status, _) =
            raw(&s, &ben.token, "POST", &format!("{API}/groups/{secret}/invitations/decline"), None).await;
        assert_eq!(status, 204, "{db:?}");
        assert_eq!(
            raw(&s, &ben.token, "GET", &format!("{API}/groups/{secret}"), None).await,
            raw(&s, &ben.token, "GET", &format!("{API}/groups/{never}"), None).await,
            "{db:?}"
        );
        // Invited again and accepted: a member.
        ok(&s, &anna.token, "POST", &format!("{API}/groups/{secret}/invitations"), Some(json!({"member_id": ben.id})))
            .await;
        let joined = ok(&s, &ben.token, "POST", &format!("{API}/groups/{secret}/join"), None).await;
        assert_eq!(joined["status"], "member", "{db:?}");
        let members = ok(&s, &ben.token, "GET", &format!("{API}/groups/{secret}/members"), None).await;
        assert_eq!(members["members"].as_array().unwrap().len(), 2, "{db:?}: {members}");
        s.stop().await;
    }
}

fn entries(list: &Value, key: &str) -> Vec<Value> {
    list[key].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn alias_groups_show_aliases_only_unique_and_stable() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna Aliasgruenderin").await;
        let ben = someone(&s, &ms, "Ben Beitretender").await;
        let carl = someone(&s, &ms, "Carl Dritter").await;
        let mut body = group("Leise Runde", "open");
        body["alias_mode"] = json!(true);
        body["member_list"] = json!("members");
        let id = create(&s, &anna, body).await;
        for who in [&ben, &carl] {
            let joined = ok(&s, &who.token, "POST", &format!("{API}/groups/{id}/join"), None).await;
            assert_eq!(joined["status"], "member", "{db:?}");
        }
        let secrets: Vec<String> = [
            "Anna Aliasgruenderin",
            "Ben Beitretender",
            "Carl Dritter",
            anna.id.as_str(),
            ben.id.as_str(),
            carl.id.as_str(),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();

        let (status, text) = raw(&s, &ben.token, "GET", &format!("{API}/groups/{id}/members"), None).await;
        assert_eq!(status, 200, "{db:?}");
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "{db:?}: {secret} in {text}");
        }
        // Only the moderator is listed (a list of every alias would show arrivals).
        let list: Value = serde_json::from_str(&text).unwrap();
        let members = entries(&list, "members");
        assert_eq!(members.len(), 1, "{db:?}: {list}");
        let keys: Vec<&str> = members[0].as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!((keys, members[0]["role"].as_str()), (vec!["alias", "role"], Some("moderator")), "{db:?}");
        let mut aliases: Vec<String> = Vec::new();
        for who in [&anna, &ben, &carl] {
            let view = ok(&s, &who.token, "GET", &format!("{API}/groups/{id}"), None).await;
            aliases.push(view["my_alias"].as_str().unwrap().to_lowercase());
        }
        assert_eq!(members[0]["alias"].as_str().map(str::to_lowercase).as_ref(), Some(&aliases[0]), "{db:?}");
        aliases.sort();
        aliases.dedup();
        assert_eq!(aliases.len(), 3, "{db:?}: aliases unique");

        // The group itself and a non-member's view of it: no member named.
        let (_, mine) = raw(&s, &ben.token, "GET", &format!("{API}/groups/{id}"), None).await;
        let outsider = someone(&s, &ms, "Dora Draussen").await;
        let (_, theirs) = raw(&s, &outsider.token, "GET", &format!("{API}/groups/{id}"), None).await;
        let (_, outside_list) = raw(&s, &outsider.token, "GET", &format!("{API}/groups/{id}/members"), None).await;
        for text in [&mine, &theirs, &outside_list] {
            for secret in &secrets {
                assert!(!text.contains(secret.as_str()), "{db:?}: {secret} in {text}");
            }
        }
        let my_alias = serde_json::from_str::<Value>(&mine).unwrap()["my_alias"].as_str().unwrap().to_owned();
        assert!(aliases.contains(&my_alias.to_lowercase()), "{db:?}");
        assert!(!theirs.contains("my_alias"), "{db:?}: absent for a non-member, not null");

        // The pages: no other member's pseudonym or id.
        let browser = Browser::sign_in(&s, &email("Ben Beitretender"), PASSWORD).await;
        for path in [format!("/a/ms/groups/{id}"), format!("/a/ms/groups/{id}/members")] {
            let (status, html) = browser.get(&path).await;
            assert_eq!(status, 200, "{db:?}: {path}");
            for secret in ["Anna Aliasgruenderin", "Carl Dritter", anna.id.as_str(), ben.id.as_str(), carl.id.as_str()]
            {
                assert!(!html.contains(secret), "{db:?}: {secret} on {path}");
            }
            if !path.ends_with("/members") {
                assert!(html.contains(&my_alias), "{db:?}: own alias on {path}");
            }
        }

        // Leaving and coming back: the same alias.
        let (status, _) = raw(&s, &ben.token, "POST", &format!("{API}/groups/{id}/leave"), None).await;
        assert_eq!(status, 204, "{db:?}");
        let after_leave = ok(&s, &ben.token, "GET", &format!("{API}/groups/{id}"), None).await;
        assert!(after_leave.get("my_alias").is_none(), "{db:?}");
        assert_eq!(after_leave["group_id"], json!(id));
        ok(&s, &ben.token, "POST", &format!("{API}/groups/{id}/join"), None).await;
        let back = ok(&s, &ben.token, "GET", &format!("{API}/groups/{id}"), None).await;
        assert_eq!(back["my_alias"].as_str(), Some(my_alias.as_str()), "{db:?}: alias stable");

        // An invitation of someone already in it answers like any other.
        let (first, _) =
            raw(&s, &carl.token, "POST", &format!("{API}/groups/{id}/invitations"), Some(json!({"member_id": ben.id})))
                .await;
        let (second, _) = raw(
            &s,
            &carl.token,
            "POST",
            &format!("{API}/groups/{id}/invitations"),
            Some(json!({"member_id": outsider.id})),
        )
        .await;
        assert_eq!((first, second), (201, 201), "{db:?}");
        s.stop().await;
    }
}

#[tokio::test]
async fn closed_groups_requests_roles_and_validation() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        let carl = someone(&s, &ms, "Carl").await;
        let closed = create(&s, &anna, group("Geschlossene Runde", "closed")).await;

        // Ask, ask again, approve — only a group moderator may.
        let asked = ok(&s, &ben.token, "POST", &format!("{API}/groups/{closed}/join"), None).await;
        assert_eq!(asked["status"], "requested", "{db:?}");
        let (status, again) = call(&s, &ben.token, "POST", &format!("{API}/groups/{closed}/join"), None).await;
        assert_eq!((status, again["error"]["code"].as_str()), (409, Some("already_requested")), "{db:?}");
        let (status, denied) =
            call(&s, &carl.token, "POST", &format!("{API}/groups/{closed}/requests/{}/approve", ben.id), None).await;
        assert_eq!((status, denied["error"]["code"].as_str()), (403, Some("forbidden")), "{db:?}");
        let (status, _) = call(&s, &carl.token, "GET", &format!("{API}/groups/{closed}/members"), None).await;
        assert_eq!(status, 403, "{db:?}: the list is for the group");
        let list = ok(&s, &anna.token, "GET", &format!("{API}/groups/{closed}/members"), None).await;
        assert_eq!(list["requests"][0]["member_id"], json!(ben.id), "{db:?}: {list}");
        assert_eq!(list["requests"][0]["pseudonym"], "Ben");
        let approved =
            ok(&s, &anna.token, "POST", &format!("{API}/groups/{closed}/requests/{}/approve", ben.id), None).await;
        assert_eq!(approved["status"], "member", "{db:?}");
        let view = ok(&s, &ben.token, "GET", &format!("{API}/groups/{closed}"), None).await;
        assert_eq!((view["membership"].as_str(), view.get("member_count")), (Some("member"), None), "{db:?}");
        let view = ok(&s, &anna.token, "GET", &format!("{API}/groups/{closed}"), None).await;
        assert_eq!(view["member_count"].as_i64(), Some(2), "{db:?}: exact for the group's moderators");
        let list = ok(&s, &ben.token, "GET", &format!("{API}/groups/{closed}/members"), None).await;
        assert!(list.get("requests").is_none(), "{db:?}: requests are for moderators");
        let roles: Vec<(String, String)> = entries(&list, "members")
            .iter()
            .map(|m| (m["pseudonym"].as_str().unwrap().to_owned(), m["role"].as_str().unwrap().to_owned()))
            .collect();
        assert_eq!(roles, vec![("Anna".into(), "moderator".into()), ("Ben".into(), "member".into())], "{db:?}");
        // Counts below the threshold stay hidden from all but the group's moderators.
        let outside = ok(&s, &carl.token, "GET", &format!("{API}/groups/{closed}"), None).await;
        assert!(outside.get("member_count").is_none(), "{db:?}: {outside}");

        // The last moderator stays while others remain.
        let (status, last) = call(&s, &anna.token, "POST", &format!("{API}/groups/{closed}/leave"), None).await;
        assert_eq!((status, last["error"]["code"].as_str()), (409, Some("last_moderator")), "{db:?}");
        ok(&s, &anna.token, "POST", &format!("{API}/groups/{closed}/moderators"), Some(json!({"member_id": ben.id})))
            .await;
        let (status, _) = call(&s, &anna.token, "POST", &format!("{API}/groups/{closed}/leave"), None).await;
        assert_eq!(status, 204, "{db:?}");

        // Relatives only: a patient may not join, a relative may.
        let mut body = group("Angehörige unter sich", "open");
        body["role_restriction"] = json!("relative");
        let relatives = create(&s, &ben, body).await;
        ok(&s, &carl.token, "PUT", &format!("{API}/me/profile"), Some(json!({"fields": {"role": "patient"}}))).await;
        let (status, refused) = call(&s, &carl.token, "POST", &format!("{API}/groups/{relatives}/join"), None).await;
        assert_eq!((status, refused["error"]["code"].as_str()), (403, Some("role_restricted")), "{db:?}");
        ok(&s, &anna.token, "PUT", &format!("{API}/me/profile"), Some(json!({"fields": {"role": "relative"}}))).await;
        let joined = ok(&s, &anna.token, "POST", &format!("{API}/groups/{relatives}/join"), None).await;
        assert_eq!(joined["status"], "member", "{db:?}");
        let (status, twice) = call(&s, &anna.token, "POST", &format!("{API}/groups/{relatives}/join"), None).await;
        assert_eq!((status, twice["error"]["code"].as_str()), (409, Some("already_member")), "{db:?}");

        // Unknown codes and bad bodies: 422, nothing written.
        let count = |v: &Value| v["results"].as_array().map(Vec::len).unwrap_or(0);
        let before = count(&ok(&s, &carl.token, "GET", &format!("{API}/groups"), None).await);
        let bad_bodies = [
            json!({"name": "Gute Gruppe", "visibility": "open", "conditions": ["no_such_condition"]}),
            json!({"name": "Gute Gruppe", "visibility": "open", "therapies": ["ms"]}),
            json!({"name": "Gute Gruppe", "visibility": "open", "region": "atlantis"}),
            json!({"name": "Gute Gruppe", "visibility": "open", "role_restriction": "king"}),
            json!({"name": "x", "visibility": "open"}),
            json!({"name": "Gute Gruppe", "visibility": "hidden"}),
            json!({"name": "Gute Gruppe", "visibility": "open", "member_list": "everyone"}),
            json!({"name": "Gute Gruppe", "visibility": "open", "association_id": "x"}),
            json!({"name": "Gute Gruppe", "visibility": "open", "alias_mode": "yes"}),
            json!({"visibility": "open"}),
        ];
        for body in bad_bodies {
            let (status, answer) = call(&s, &carl.token, "POST", &format!("{API}/groups"), Some(body.clone())).await;
            assert_eq!(status, 422, "{db:?}: {body} → {answer}");
            assert!(answer["error"]["fields"].is_object(), "{db:?}: {answer}");
        }
        let (status, answer) = call(
            &s,
            &carl.token,
            "POST",
            &format!("{API}/groups"),
            Some(json!({"name": "x", "visibility": "no", "conditions": ["zz"]})),
        )
        .await;
        assert_eq!(status, 422, "{db:?}");
        let fields = answer["error"]["fields"].as_object().unwrap();
        assert!(["name", "visibility", "conditions"].iter().all(|f| fields.contains_key(*f)), "{db:?}: all at once");
        assert_eq!(count(&ok(&s, &carl.token, "GET", &format!("{API}/groups"), None).await), before, "{db:?}");
        for query in ["condition=nope", "therapy=ms", "region=atlantis", "cursor=!!"] {
            let (status, answer) = call(&s, &carl.token, "GET", &format!("{API}/groups?{query}"), None).await;
            assert_eq!(status, 422, "{db:?}: {query} → {answer}");
        }
        // A parent the caller cannot see is unknown; one they do not moderate is forbidden.
        let mut sub = group("Untergruppe", "open");
        sub["parent_id"] = json!(kindred_domain::GroupId::random().to_string());
        assert_eq!(call(&s, &carl.token, "POST", &format!("{API}/groups"), Some(sub.clone())).await.0, 404);
        sub["parent_id"] = json!(relatives);
        assert_eq!(call(&s, &carl.token, "POST", &format!("{API}/groups"), Some(sub.clone())).await.0, 403);
        let child = create(&s, &ben, sub).await;
        let parent = ok(&s, &carl.token, "GET", &format!("{API}/groups/{relatives}"), None).await;
        assert_eq!(parent["subgroups"][0]["group_id"], json!(child), "{db:?}");
        let kid = ok(&s, &carl.token, "GET", &format!("{API}/groups/{child}"), None).await;
        assert_eq!(kid["parent_id"], json!(relatives), "{db:?}");

        // Cross-association ids: another association's group is unknown here.
        let other = s.ms_association("other").await;
        let olga = someone_in(&s, &other, "Olga").await;
        let theirs = ok(
            &s,
            &olga.token,
            "POST",
            "/a/other/api/v1/groups",
            Some(json!({"name": "Anderswo", "visibility": "open"})),
        )
        .await["group_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let never = kindred_domain::GroupId::random().to_string();
        assert_eq!(
            raw(&s, &carl.token, "GET", &format!("{API}/groups/{theirs}"), None).await,
            raw(&s, &carl.token, "GET", &format!("{API}/groups/{never}"), None).await,
            "{db:?}"
        );
        assert_eq!(call(&s, &carl.token, "POST", &format!("{API}/groups/{theirs}/join"), None).await.0, 404);
        let (status, _) = call(
            &s,
            &anna.token,
            "POST",
            &format!("{API}/groups/{relatives}/invitations"),
            Some(json!({"member_id": olga.id})),
        )
        .await;
        assert_eq!(status, 404, "{db:?}: a member of another association is unknown");
        s.stop().await;
    }
}

async fn someone_in(s: &TestServer, association: &Association, name: &str) -> Someone {
    let email = format!("{}@other.example.org", name.to_lowercase());
    let id = s.member(association, &email, name, PASSWORD).await;
    let token = s.login(association.slug.as_str(), &email, PASSWORD).await;
    Someone { id, token }
}

#[tokio::test]
async fn group_pages_work_without_javascript() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let _anna = someone(&s, &ms, "Anna").await;
        let _ben = someone(&s, &ms, "Ben").await;
        let anna = Browser::sign_in(&s, &email("Anna"), PASSWORD).await;
        let (status, html) = anna.get("/a/ms/groups").await;
        assert_eq!(status, 200, "{db:?}");
        assert!(html.contains("/a/ms/groups/new"), "{db:?}: a way to create a group");
        let (status, _) = anna.get("/a/ms/groups/new").await;
        assert_eq!(status, 200, "{db:?}");
        // A bad form: 422 with the summary, nothing created.
        let (status, _) = anna.post("/a/ms/groups/new", &[("name", "x"), ("visibility", "open")]).await;
        assert_eq!(status, 422, "{db:?}");
        let (status, location) = anna
            .post(
                "/a/ms/groups/new",
                &[
                    ("name", "Waldspaziergang"),
                    ("description", "Wir gehen langsam."),
                    ("visibility", "closed"),
                    ("member_list", "members"),
                    ("mode", "local"),
                    ("conditions", "ms"),
                    ("conditions", "nmosd"),
                    ("region", "by"),
                ],
            )
            .await;
        assert_eq!(status, 303, "{db:?}");
        assert!(location.contains("done=created"), "{db:?}: {location}");
        let path = location.split('?').next().unwrap().to_owned();
        let (status, html) = anna.get(&path).await;
        assert_eq!(status, 200, "{db:?}");
        assert!(html.contains("Waldspaziergang") && html.contains("/forum"), "{db:?}");

        let ben = Browser::sign_in(&s, &email("Ben"), PASSWORD).await;
        let (status, location) = ben.post(&format!("{path}/join"), &[]).await;
        assert_eq!((status, location.contains("done=requested")), (303, true), "{db:?}: {location}");
        let (_, members) = anna.get(&format!("{path}/members")).await;
        assert!(members.contains("Ben") && members.contains("/approve"), "{db:?}");
        let approve = members
            .split("action=\"")
            .filter_map(|p| p.split('"').next())
            .find(|a| a.ends_with("/approve"))
            .unwrap()
            .to_owned();
        let approve_path = approve.trim_start_matches(&s.base);
        let (status, location) = anna.post(approve_path, &[]).await;
        assert_eq!((status, location.contains("done=approved")), (303, true), "{db:?}: {location}");
        let (_, html) = ben.get(&path).await;
        assert!(html.contains("/leave"), "{db:?}: a member can leave");
        s.stop().await;
    }
}

#[tokio::test]
async fn a_group_for_professionals_admits_verified_professionals_and_role_groups_say_roles_show() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let claudia = someone(&s, &ms, "Claudia Behauptet").await;
        let doc_id = s.user(&ms, "dr.berg@example.org", "Dr Berg", "professional").await;
        let doc = Someone { id: doc_id, token: s.login_staff(&ms, "dr.berg@example.org").await };
        s.user(&ms, "dr.zwei@example.org", "Dr Zwei", "professional").await;
        let second = s.login_staff(&ms, "dr.zwei@example.org").await;
        let mut body = group("Fachleute unter sich", "open");
        body["role_restriction"] = json!("professional");
        let pros = create(&s, &doc, body).await;

        // Saying "professional" in one's profile does not make one.
        ok(&s, &claudia.token, "PUT", &format!("{API}/me/profile"), Some(json!({"fields": {"role": "professional"}})))
            .await;
        let view = ok(&s, &claudia.token, "GET", &format!("{API}/groups/{pros}"), None).await;
        assert_eq!(
            (view["role_restricted"].as_bool(), view["can_join"].as_bool()),
            (Some(true), Some(false)),
            "{db:?}"
        );
        let (status, refused) = call(&s, &claudia.token, "POST", &format!("{API}/groups/{pros}/join"), None).await;
        assert_eq!((status, refused["error"]["code"].as_str()), (403, Some("role_restricted")), "{db:?}");
        // A verified professional gets in, whatever their profile says (here: nothing).
        let view = ok(&s, &second, "GET", &format!("{API}/groups/{pros}"), None).await;
        assert_eq!((view["role_restricted"].as_bool(), view["join"].as_str()), (Some(false), Some("join")), "{db:?}");
        let joined = ok(&s, &second, "POST", &format!("{API}/groups/{pros}/join"), None).await;
        assert_eq!(joined["status"], "member", "{db:?}");

        // Before joining, the page says that members see each other's role,
        // next to the button; for professionals also that only verified ones get in.
        let mut body = group("Angehörige im Gespräch", "open");
        body["role_restriction"] = json!("relative");
        let relatives = create(&s, &doc, body).await;
        let plain = create(&s, &doc, group("Für alle offen", "open")).await;
        ok(&s, &claudia.token, "PUT", &format!("{API}/me/profile"), Some(json!({"fields": {"role": "relative"}})))
            .await;
        let browser = Browser::sign_in(&s, &email("Claudia Behauptet"), PASSWORD).await;
        let (_, html) = browser.get(&format!("/a/ms/groups/{relatives}?lang=en")).await;
        assert!(
            html.contains("so its members see each other") && html.contains("by joining, you show them yours"),
            "{db:?}"
        );
        assert!(html.contains("aria-describedby=\"role-notice\""), "{db:?}: said at the join button");
        assert!(!html.contains("verified as professionals"), "{db:?}");
        let (_, html) = browser.get(&format!("/a/ms/groups/{pros}?lang=en")).await;
        assert!(html.contains("so its members see each other") && html.contains("verified as professionals"), "{db:?}");
        let (_, html) = browser.get(&format!("/a/ms/groups/{plain}?lang=en")).await;
        assert!(!html.contains("role-notice"), "{db:?}: not for a group of every role");
        s.stop().await;
    }
}

#[tokio::test]
async fn a_group_for_one_role_shows_members_outside_it_neither_who_is_in_nor_who_writes() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let owner = someone(&s, &ms, "Rita Verwandt").await;
        let founder = someone(&s, &ms, "Fritz Gruender").await;
        let viewer = someone(&s, &ms, "Vera Aussen").await;
        // Rita's role is for level 3 and up; Vera has level 1 (no contact).
        for who in [&owner, &founder] {
            ok(
                &s,
                &who.token,
                "PUT",
                &format!("{API}/me/profile"),
                Some(json!({"fields": {"role": "relative"}, "visibility": {"role": 3}})),
            )
            .await;
        }
        let seen = ok(&s, &viewer.token, "GET", &format!("{API}/members/{}", owner.id), None).await;
        assert!(seen["fields"].get("role").is_none(), "{db:?}: {seen}");
        let mut body = group("Nur Angehörige", "open");
        body["member_list"] = json!("members");
        body["role_restriction"] = json!("relative");
        let relatives = create(&s, &founder, body).await;
        ok(&s, &owner.token, "POST", &format!("{API}/groups/{relatives}/join"), None).await;
        let topic = ok(
            &s,
            &owner.token,
            "POST",
            &format!("{API}/forum/topics"),
            Some(json!({"group_id": relatives, "title": "Wie geht ihr damit um?", "body": "Meine Mutter ..."})),
        )
        .await;
        let topic = topic["topic_id"].as_str().expect("topic").to_owned();

        // Vera sees that the group exists, not who is in it or writes there.
        let view = ok(&s, &viewer.token, "GET", &format!("{API}/groups/{relatives}"), None).await;
        assert_eq!(view["can_see_members"].as_bool(), Some(false), "{db:?}: {view}");
        assert_eq!(view["can_read_forum"].as_bool(), Some(false), "{db:?}: {view}");
        for path in [format!("{API}/groups/{relatives}/members"), format!("{API}/groups/{relatives}/topics")] {
            let (status, answer) = call(&s, &viewer.token, "GET", &path, None).await;
            assert_eq!(status, 403, "{db:?}: {path} {answer}");
            assert!(!answer.to_string().contains(&owner.id), "{db:?}");
        }
        let (status, _) = call(&s, &viewer.token, "GET", &format!("{API}/forum/topics/{topic}"), None).await;
        assert!(status == 403 || status == 404, "{db:?}: {status}");
        let found = ok(&s, &viewer.token, "GET", &format!("{API}/search?q=Mutter"), None).await;
        assert!(!found.to_string().contains(&owner.id) && !found.to_string().contains("Rita"), "{db:?}: {found}");
        // Its members see each other, as its page tells them.
        let inside = ok(&s, &founder.token, "GET", &format!("{API}/groups/{relatives}/members"), None).await;
        assert!(inside.to_string().contains(&owner.id), "{db:?}: {inside}");
        ok(&s, &founder.token, "GET", &format!("{API}/forum/topics/{topic}"), None).await;
        s.stop().await;
    }
}

#[tokio::test]
async fn counts_below_the_threshold_show_only_to_the_group_s_own_moderators() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna Zaehlt").await;
        let ben = someone(&s, &ms, "Ben Zaehlt").await;
        let dora = someone(&s, &ms, "Dora Draussen").await;
        let admin_id = s.user(&ms, "admin@example.org", "Adele Admin", "admin").await;
        let admin = Someone { id: admin_id, token: s.login_staff(&ms, "admin@example.org").await };
        let mut body = group("Kleiner Kreis", "open");
        body["member_list"] = json!("members");
        let id = create(&s, &anna, body).await;
        ok(&s, &ben.token, "POST", &format!("{API}/groups/{id}/join"), None).await;

        // Two members, threshold 5: absent for a member, an outsider who
        // sees the member list, and association staff; exact for the group's moderator.
        for who in [&ben, &dora, &admin] {
            let view = ok(&s, &who.token, "GET", &format!("{API}/groups/{id}"), None).await;
            assert!(view.get("member_count").is_none(), "{db:?}: {view}");
            let found = ok(&s, &who.token, "GET", &format!("{API}/groups?q=kleiner"), None).await;
            assert!(found["results"][0].get("member_count").is_none(), "{db:?}: {found}");
        }
        let view = ok(&s, &anna.token, "GET", &format!("{API}/groups/{id}"), None).await;
        assert_eq!(view["member_count"].as_i64(), Some(2), "{db:?}");
        let found = ok(&s, &anna.token, "GET", &format!("{API}/groups?q=kleiner"), None).await;
        assert_eq!(found["results"][0]["member_count"].as_i64(), Some(2), "{db:?}");

        // The pages say "fewer than 5", never the number.
        let outsider = Browser::sign_in(&s, &email("Dora Draussen"), PASSWORD).await;
        for path in [format!("/a/ms/groups/{id}?lang=en"), "/a/ms/groups?q=kleiner&lang=en".to_owned()] {
            let (status, html) = outsider.get(&path).await;
            assert_eq!(status, 200, "{db:?}: {path}");
            assert!(html.contains("fewer than"), "{db:?}: {path}");
            assert!(!html.contains("<dd>2</dd>"), "{db:?}: {path}");
        }
        let moderator = Browser::sign_in(&s, &email("Anna Zaehlt"), PASSWORD).await;
        let (_, html) = moderator.get(&format!("/a/ms/groups/{id}?lang=en")).await;
        assert!(html.contains("<dd>2</dd>") && !html.contains("fewer than"), "{db:?}");

        // At the threshold, everyone who sees the group sees the number.
        for name in ["Carl Zaehlt", "Emil Zaehlt", "Fritz Zaehlt"] {
            let more = someone(&s, &ms, name).await;
            ok(&s, &more.token, "POST", &format!("{API}/groups/{id}/join"), None).await;
        }
        for who in [&ben, &dora, &admin] {
            let view = ok(&s, &who.token, "GET", &format!("{API}/groups/{id}"), None).await;
            assert_eq!(view["member_count"].as_i64(), Some(5), "{db:?}: {view}");
        }
        let (_, html) = outsider.get(&format!("/a/ms/groups/{id}?lang=en")).await;
        assert!(html.contains("<dd>5</dd>") && !html.contains("fewer than"), "{db:?}");
        s.stop().await;
    }
}

/// Tells whether the database was written between two looks: on SQLite
/// `PRAGMA data_version` of a connection of our own (it moves when another
/// connection commits a change), on PostgreSQL the `xmin` of the row (a
/// new one with every write of it).
enum WriteProbe {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

impl WriteProbe {
    async fn open(s: &TestServer) -> WriteProbe {
        use sqlx::Connection;
        if s.database_url.starts_with("sqlite:") {
            WriteProbe::Sqlite(sqlx::SqliteConnection::connect(&s.database_url).await.expect("sqlite"))
        } else {
            WriteProbe::Postgres(sqlx::PgConnection::connect(&s.database_url).await.expect("postgres"))
        }
    }

    async fn look(&mut self, group: &str, member: &str) -> String {
        match self {
            WriteProbe::Sqlite(conn) => {
                let version: i64 = sqlx::query_scalar("PRAGMA data_version").fetch_one(&mut *conn).await.unwrap();
                version.to_string()
            }
            WriteProbe::Postgres(conn) => {
                let xmin: Option<String> =
                    sqlx::query_scalar("SELECT xmin::text FROM group_members WHERE group_id = $1 AND member_id = $2")
                        .bind(group)
                        .bind(member)
                        .fetch_optional(&mut *conn)
                        .await
                        .unwrap();
                xmin.unwrap_or_default()
            }
        }
    }
}

#[tokio::test]
async fn an_invitation_does_the_same_work_whoever_is_invited() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna Ladet").await;
        let ben = someone(&s, &ms, "Ben Drinnen").await;
        let carl = someone(&s, &ms, "Carl Draussen").await;
        let dora = someone(&s, &ms, "Dora Gegangen").await;
        let mut body = group("Stille Runde", "closed");
        body["alias_mode"] = json!(true);
        let id = create(&s, &anna, body).await;
        for who in [&ben, &dora] {
            ok(&s, &anna.token, "POST", &format!("{API}/groups/{id}/invitations"), Some(json!({"member_id": who.id})))
                .await;
            ok(&s, &who.token, "POST", &format!("{API}/groups/{id}/join"), None).await;
        }
        let (status, _) = raw(&s, &dora.token, "POST", &format!("{API}/groups/{id}/leave"), None).await;
        assert_eq!(status, 204, "{db:?}");

        // A member, someone outside, someone invited already, someone who
        // left: the same answer, and each invitation wrote to the database.
        let mut probe = WriteProbe::open(&s).await;
        for (who, case) in [(&ben, "member"), (&carl, "outside"), (&carl, "invited"), (&dora, "left")] {
            let before = probe.look(&id, &who.id).await;
            let (status, text) = raw(
                &s,
                &anna.token,
                "POST",
                &format!("{API}/groups/{id}/invitations"),
                Some(json!({"member_id": who.id})),
            )
            .await;
            assert_eq!((status, text.as_str()), (201, r#"{"status":"invited"}"#), "{db:?}: {case}");
            assert_ne!(probe.look(&id, &who.id).await, before, "{db:?}: {case}: the invitation wrote nothing");
        }
        // What each row says is right: the member stays one, the others are invited.
        let view = ok(&s, &ben.token, "GET", &format!("{API}/groups/{id}"), None).await;
        assert_eq!(view["membership"], "member", "{db:?}");
        for who in [&carl, &dora] {
            let view = ok(&s, &who.token, "GET", &format!("{API}/groups/{id}"), None).await;
            assert_eq!(
                (view["membership"].as_str(), view["join"].as_str()),
                (Some("invited"), Some("accept")),
                "{db:?}"
            );
        }
        let back = ok(&s, &dora.token, "POST", &format!("{API}/groups/{id}/join"), None).await;
        assert_eq!(back["status"], "member", "{db:?}");
        s.stop().await;
    }
}

/// Everything a member sees of a group, in the API and on the pages.
async fn all_of_a_group(s: &TestServer, token: &str, browser: &Browser<'_>, id: &str) -> Vec<String> {
    let mut seen = Vec::new();
    for path in [format!("{API}/groups/{id}"), format!("{API}/groups/{id}/members"), format!("{API}/groups")] {
        seen.push(raw(s, token, "GET", &path, None).await.1);
    }
    for path in [format!("/a/ms/groups/{id}"), format!("/a/ms/groups/{id}/members"), "/a/ms/groups".to_owned()] {
        // The pages' CSRF values differ in every response (BREACH), by design.
        seen.push(crate::harness::without_csrf(&browser.get(&path).await.1));
    }
    seen
}

#[tokio::test]
async fn in_an_alias_group_the_inviter_cannot_tell_an_invitation_was_accepted() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna Laedt").await;
        let ben = someone(&s, &ms, "Ben Drin").await;
        let carl = someone(&s, &ms, "Carl Kommt").await;
        let mut body = group("Maskierte Runde", "secret");
        body["alias_mode"] = json!(true);
        body["member_list"] = json!("group");
        let id = create(&s, &anna, body).await;
        ok(&s, &anna.token, "POST", &format!("{API}/groups/{id}/invitations"), Some(json!({"member_id": ben.id})))
            .await;
        ok(&s, &ben.token, "POST", &format!("{API}/groups/{id}/join"), None).await;
        let inviter = Browser::sign_in(&s, &email("Anna Laedt"), PASSWORD).await;
        let fellow = Browser::sign_in(&s, &email("Ben Drin"), PASSWORD).await;

        // The moderator invites Carl; neither she nor another member sees a
        // difference, byte for byte, when Carl accepts.
        ok(&s, &anna.token, "POST", &format!("{API}/groups/{id}/invitations"), Some(json!({"member_id": carl.id})))
            .await;
        let before =
            (all_of_a_group(&s, &anna.token, &inviter, &id).await, all_of_a_group(&s, &ben.token, &fellow, &id).await);
        let accepted = ok(&s, &carl.token, "POST", &format!("{API}/groups/{id}/join"), None).await;
        assert_eq!(accepted["status"], "member", "{db:?}");
        let carl_alias = ok(&s, &carl.token, "GET", &format!("{API}/groups/{id}"), None).await["my_alias"]
            .as_str()
            .unwrap()
            .to_owned();
        let after =
            (all_of_a_group(&s, &anna.token, &inviter, &id).await, all_of_a_group(&s, &ben.token, &fellow, &id).await);
        assert_eq!(before, after, "{db:?}");
        assert!(!after.0.iter().chain(&after.1).any(|text| text.contains(&carl_alias)), "{db:?}");

        // The moderator still names a moderator by the alias on their posts,
        // and the page says what an alias does and does not protect against.
        let (status, location) =
            inviter.post(&format!("/a/ms/groups/{id}/moderators"), &[("member_id", &carl_alias)]).await;
        assert_eq!((status, location.contains("done=moderator")), (303, true), "{db:?}: {location}");
        let list = ok(&s, &ben.token, "GET", &format!("{API}/groups/{id}/members"), None).await;
        assert_eq!(entries(&list, "members").len(), 2, "{db:?}: moderators are listed");
        let (_, html) = fellow.get(&format!("/a/ms/groups/{id}?lang=en")).await;
        assert!(
            html.contains("What an alias protects, and what not") && html.contains("access to the server"),
            "{db:?}"
        );
        s.stop().await;
    }
}

/// A subgroup of an alias group is an alias group, whatever was asked: one
/// that named its creator (a moderator of the parent) by pseudonym under
/// the parent's name would tie that pseudonym to their alias there. An
/// ordinary group's subgroup stays as asked.
#[tokio::test]
async fn a_subgroup_of_an_alias_group_is_an_alias_group() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna Unterkreis").await;
        let ben = someone(&s, &ms, "Ben Eingeladen").await;
        let parent = create(
            &s,
            &anna,
            json!({"name": "Sensible Aliasgruppe", "description": "d", "visibility": "secret", "alias_mode": true}),
        )
        .await;
        ok(&s, &anna.token, "POST", &format!("{API}/groups/{parent}/invitations"), Some(json!({"member_id": ben.id})))
            .await;
        ok(&s, &ben.token, "POST", &format!("{API}/groups/{parent}/join"), None).await;
        let asked = [json!(false), Value::Null];
        for (n, alias_mode) in asked.into_iter().enumerate() {
            let mut body = json!({"name": format!("Sensibler Unterkreis {n}"), "description": "d",
                                  "visibility": "open", "parent_id": parent});
            if !alias_mode.is_null() {
                body["alias_mode"] = alias_mode;
            }
            let child = create(&s, &anna, body).await;
            let (status, view) = raw(&s, &ben.token, "GET", &format!("{API}/groups/{child}"), None).await;
            let view: Value = serde_json::from_str(&view).unwrap();
            assert_eq!((status, &view["alias_mode"], &view["parent"]["group_id"]), (200, &json!(true), &json!(parent)));
            let (status, members) = raw(&s, &ben.token, "GET", &format!("{API}/groups/{child}/members"), None).await;
            assert_eq!(status, 200, "{db:?}");
            assert!(!members.contains("Anna Unterkreis") && !members.contains(&anna.id), "{db:?}: {members}");
            let mine = ok(&s, &anna.token, "GET", &format!("{API}/groups/{child}"), None).await;
            let child_alias = mine["my_alias"].as_str().expect("the creator's alias in the subgroup").to_owned();
            let listed: Value = serde_json::from_str(&members).unwrap();
            assert_eq!(entries(&listed, "members")[0]["alias"].as_str(), Some(child_alias.as_str()), "{db:?}");
            let (_, page) = Browser::sign_in(&s, &email("Ben Eingeladen"), PASSWORD)
                .await
                .get(&format!("/a/ms/groups/{child}/members"))
                .await;
            assert!(!page.contains("Anna Unterkreis") && !page.contains(&anna.id), "{db:?}");
        }

        // Under an ordinary group, a subgroup is an alias group only if asked.
        let plain = create(&s, &anna, group("Offener Oberkreis", "open")).await;
        let mut body = group("Offener Unterkreis", "open");
        body["parent_id"] = json!(plain);
        let child = create(&s, &anna, body).await;
        let view = ok(&s, &anna.token, "GET", &format!("{API}/groups/{child}"), None).await;
        assert_eq!((&view["alias_mode"], view.get("my_alias")), (&json!(false), None), "{db:?}");
        s.stop().await;
    }
}

/// The last moderator of an alias group may not leave, alone or not: an
/// answer that changed once someone else is there would tell the inviter
/// that an invitation was accepted. In other groups they leave when alone.
#[tokio::test]
async fn the_last_moderator_of_an_alias_group_cannot_tell_whether_anyone_else_is_in_it() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna Allein").await;
        let ben = someone(&s, &ms, "Ben Vielleicht").await;
        let mut body = group("Stille Runde", "secret");
        body["alias_mode"] = json!(true);
        let id = create(&s, &anna, body).await;
        let leave = format!("{API}/groups/{id}/leave");
        let alone = raw(&s, &anna.token, "POST", &leave, None).await;
        ok(&s, &anna.token, "POST", &format!("{API}/groups/{id}/invitations"), Some(json!({"member_id": ben.id})))
            .await;
        let invited = raw(&s, &anna.token, "POST", &leave, None).await;
        ok(&s, &ben.token, "POST", &format!("{API}/groups/{id}/join"), None).await;
        let accepted = raw(&s, &anna.token, "POST", &leave, None).await;
        assert_eq!(alone.0, 409, "{db:?}: {}", alone.1);
        assert!(alone.1.contains("last_moderator") && alone.1.contains("alias group"), "{db:?}: {}", alone.1);
        assert_eq!((&alone, &invited), (&accepted, &accepted), "{db:?}");
        let view = ok(&s, &anna.token, "GET", &format!("{API}/groups/{id}"), None).await;
        assert_eq!(view["membership"], "moderator", "{db:?}: still there");
        // The page says why.
        let (status, location) = Browser::sign_in(&s, &email("Anna Allein"), PASSWORD)
            .await
            .post(&format!("/a/ms/groups/{id}/leave"), &[("confirm", "1")])
            .await;
        assert_eq!((status, location.contains("problem=last-alias-moderator")), (303, true), "{db:?}: {location}");

        // An ordinary group's last moderator leaves when alone.
        let plain = create(&s, &anna, group("Offene Runde", "open")).await;
        let (status, _) = raw(&s, &anna.token, "POST", &format!("{API}/groups/{plain}/leave"), None).await;
        assert_eq!(status, 204, "{db:?}");
        s.stop().await;
    }
}

/// A non-member who sees a group (open or closed) learns that its forum,
/// chat and events are for its members: 403, since the group's page shows
/// it exists. A secret group stays a 404, byte for byte like an id never used.
#[tokio::test]
async fn the_parts_of_a_group_the_caller_sees_answer_403_and_of_a_secret_one_404() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let anna = someone(&s, &ms, "Anna").await;
        let ben = someone(&s, &ms, "Ben").await;
        let open = create(&s, &anna, group("Offener Kreis", "open")).await;
        let closed = create(&s, &anna, group("Geschlossener Kreis", "closed")).await;
        let secret = create(&s, &anna, group("Geheimer Kreis", "secret")).await;
        let never = kindred_domain::GroupId::random().to_string();
        let event = |group: &str| {
            json!({"title": "Treffen", "description": "d", "starts_at": "2027-01-12T18:00",
                   "ends_at": "2027-01-12T20:00", "mode": "online", "group_id": group})
        };
        let parts = |id: &str| -> Vec<(&'static str, String, Option<Value>)> {
            vec![
                ("GET", format!("{API}/groups/{id}/topics"), None),
                ("POST", format!("{API}/forum/topics"), Some(json!({"group_id": id, "title": "t", "body": "b"}))),
                ("GET", format!("{API}/groups/{id}/conversation"), None),
                ("GET", format!("{API}/events?group_id={id}"), None),
                ("POST", format!("{API}/events"), Some(event(id))),
            ]
        };
        let mut answers = Vec::new();
        for id in [&open, &closed] {
            for (method, path, body) in parts(id) {
                let (status, text) = raw(&s, &ben.token, method, &path, body).await;
                answers.push((method, path.replace(id.as_str(), "{id}"), status, text.contains("\"code\":\"")));
            }
        }
        let expected = |statuses: [u16; 5]| {
            parts("{id}").into_iter().zip(statuses).map(|((m, p, _), s)| (m, p, s, s != 200)).collect::<Vec<_>>()
        };
        let mut wanted = expected([200, 403, 403, 200, 403]);
        wanted.extend(expected([403, 403, 403, 403, 403]));
        assert_eq!(answers, wanted, "{db:?}");
        for ((method, path, body), (_, unknown, unknown_body)) in parts(&secret).into_iter().zip(parts(&never)) {
            let seen = raw(&s, &ben.token, method, &path, body).await;
            let none = raw(&s, &ben.token, method, &unknown, unknown_body).await;
            assert_eq!(seen.0, 404, "{db:?} {method} {path}: {}", seen.1);
            assert_eq!(seen, none, "{db:?} {method} {path}");
        }
        s.stop().await;
    }
}
