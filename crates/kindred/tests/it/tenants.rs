//! Associations are separate: by path prefix and by host name.

use crate::harness::{api_error, TestServer, BOTH};

#[tokio::test]
async fn catalog_is_the_associations_own() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        s.ms_association("ms").await;
        let parkinson = include_str!("../../../../examples/parkinson.toml");
        s.association("pk", "Parkinson Test", parkinson).await;

        let ms: serde_json::Value = s.get("/a/ms/api/v1/catalog?lang=en").await.json().await.expect("json");
        let pk: serde_json::Value = s.get("/a/pk/api/v1/catalog?lang=en").await.json().await.expect("json");
        assert_eq!(ms["conditions"][0]["code"], "ms");
        assert_eq!(pk["conditions"][0]["code"], "parkinson");
        for key in ["conditions", "therapies", "medications", "roles", "regions", "profile_fields", "levels"] {
            assert!(ms[key].as_array().is_some_and(|a| !a.is_empty()), "{key}");
        }
        assert_eq!(ms["levels"].as_array().map(Vec::len), Some(4));
        let real_name =
            ms["profile_fields"].as_array().and_then(|f| f.iter().find(|f| f["code"] == "real_name")).cloned();
        let real_name = real_name.expect("real_name field");
        assert_eq!(real_name["default_level"], "private");
        assert_eq!(real_name["min_level"], 3);
        assert!(ms["profile_fields"]
            .as_array()
            .is_some_and(|f| f.iter().all(|f| f["name"].is_string() && f["kind"].is_string())));

        // Language: Accept-Language, else the default (nl for the Dutch association).
        let de: serde_json::Value = s
            .client
            .get(s.url("/a/ms/api/v1/catalog"))
            .header("accept-language", "de")
            .send()
            .await
            .expect("get")
            .json()
            .await
            .expect("json");
        assert_eq!(de["levels"][0]["name"], "Gemeinschaft");
        let nl: serde_json::Value = s.get("/a/pk/api/v1/catalog").await.json().await.expect("json");
        assert_eq!(nl["language"], "nl");
        s.stop().await;
    }
}

#[tokio::test]
async fn host_names_map_to_their_association() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        s.association("nord", "MS Nord", "hosts = [\"forum.ms-nord.example\"]\ndefault_language = \"de\"").await;
        s.association("other", "Other", "").await;

        let home = s.client.get(s.url("/")).header("host", "Forum.MS-Nord.example:443").send().await.expect("get");
        assert_eq!(home.status(), 200);
        let html = home.text().await.expect("html");
        assert!(html.contains("MS Nord"), "mapped host shows the association");
        assert!(
            html.contains("href=\"&#x2f;privacy\"") || html.contains("href=\"/privacy\""),
            "links at the host root"
        );

        let catalog =
            s.client.get(s.url("/api/v1/catalog")).header("host", "forum.ms-nord.example").send().await.expect("get");
        assert_eq!(catalog.status(), 200);

        // Health and assets stay the deployment's on every host.
        let health = s.client.get(s.url("/healthz")).header("host", "forum.ms-nord.example").send().await.expect("get");
        assert_eq!(health.status(), 200);

        // An unmapped host gets the deployment's own root page.
        let root = s.client.get(s.url("/")).header("host", "elsewhere.example").send().await.expect("get");
        let html = root.text().await.expect("html");
        assert!(html.contains("Kindred") && !html.contains("<title>Startseite"), "{html}");

        // A mapped host does not reach into another association's API by path.
        let missing =
            s.client.get(s.url("/api/v1/nothing")).header("host", "forum.ms-nord.example").send().await.expect("get");
        let (status, _) = api_error(missing).await;
        assert_eq!(status, 404);
        s.stop().await;
    }
}

#[tokio::test]
async fn a_taken_slug_or_host_creates_nothing() {
    for db in BOTH {
        let s = TestServer::start(db).await;
        s.association("nord", "MS Nord", "hosts = [\"a.example\"]").await;
        let raw = kindred_service::association_config::parse_toml("hosts = [\"b.example\", \"a.example\"]", "t")
            .expect("toml");
        let settings = kindred_service::association_config::build(raw, Some("Second")).expect("settings");
        let result = s.kindred.create_association("second", settings, None).await;
        assert!(result.is_err());
        assert!(s.kindred.association("second").await.expect("load").is_none(), "no half-created association");
        let free =
            s.client.get(s.url("/")).header("host", "b.example").send().await.expect("get").text().await.expect("html");
        assert!(!free.contains("Second"), "the first host of the failed association is not mapped");

        let raw = kindred_service::association_config::parse_toml("", "t").expect("toml");
        let settings = kindred_service::association_config::build(raw, Some("Again")).expect("settings");
        assert!(s.kindred.create_association("nord", settings, None).await.is_err(), "duplicate slug");
        s.stop().await;
    }
}
