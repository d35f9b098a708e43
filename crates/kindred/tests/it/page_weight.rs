//! Page weight (issue 21): the bytes of four pages a member reads most —
//! the signed-in home, a topic of 50 posts, a full first page of member
//! search results and a group page — measured uncompressed, gzip-compressed
//! and as the server sends it to a current browser (brotli), against the
//! budget in `tests/page-budget.toml`.
//! Many members read on old phones over mobile data: a page that grows
//! past its budget fails the test command, which prints the figures.
//!
//! The data is made to be realistic, not small: the topic has 50 posts of
//! 300–500 characters of Markdown by several authors, most with a photo the
//! reader may see, some by the reader (edit and delete), reactions on many
//! posts, some the reader's own. The text is generated from a German word
//! list with inflections and capitals so that it compresses like prose (its
//! gzip ratio alone is about 0.36), not like a repeated sample.

use crate::harness::{TestServer, BOTH};
use crate::members::{befriend, call, consent, noisy_png, ok, profile, someone, Someone};
use kindred_service::Association;
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeMap;
use std::io::Write;

const API: &str = "/a/ms/api/v1";

/// The budget: page name → the most bytes it may weigh.
const BUDGET: &str = include_str!("../../../../tests/page-budget.toml");

#[derive(Deserialize)]
struct Budget {
    /// Bytes of HTML as the server sends it without compression.
    raw: usize,
    /// Bytes once gzip-compressed (level 6, flate2's default).
    gzip: usize,
    /// Bytes as the server sends the page to a browser that accepts brotli
    /// (every current one): what a member's phone downloads.
    sent: usize,
}

#[derive(Deserialize)]
struct BudgetFile {
    pages: BTreeMap<String, Budget>,
}

/// A small deterministic generator (xorshift32): the same text every run.
struct Dice(u32);

impl Dice {
    fn next(&mut self) -> usize {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.0 = x;
        x as usize
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.next() % from.len()]
    }
}

const WORDS: &str = "seit meiner diagnose vor drei jahren habe ich gelernt meine kräfte besser einzuteilen morgens \
    geht es meistens gut aber ab dem frühen nachmittag merke die fatigue deutlich mein neurologe hat mir geraten kleine \
    pausen einzuplanen bevor völlig erschöpft bin das klingt einfach ist im alltag mit arbeit und kindern gar nicht so \
    leicht umzusetzen was geholfen eine feste liste dingen wirklich wichtig sind zweite warten können außerdem gehe \
    zweimal pro woche zur physiotherapie frühjahr mache wassergymnastik hallenbad bei uns um ecke kühle wasser tut weil \
    hitze schlecht vertrage jemand erfahrung kühlwesten sommer schwester geschenkt unsicher ob etwas bringt oder nur \
    teuer würde mich über eure berichte freuen gerne auch tipps für lange autofahrten war ähnlich nach ersten schub \
    wochenlang krankgeschrieben hatte angst stelle verlieren betriebsrat dann erklärt welche rechte inzwischen arbeite \
    vier tage teilweise von zu hause beste entscheidung wenn geld knapper zwei sommern gelpads aus kühlschrank sie hält \
    etwa stunden beim einkaufen spazierengehen reicht krankenkasse bezahlt fragt ruhig nach manche übernehmen einen \
    teil kosten arzt verordnung schreibt lese hier schon länger wollte einfach mal bedanken gut wissen man diesen \
    gedanken allein familie gibt sich viel mühe dinge versteht wohl selbst erlebt danke ihr erfahrungen offen teilt \
    reha klinik schwindel blase sehnerv kortison infusion mrt termin wartezimmer rollator gehstock treppen müdigkeit \
    konzentration schlafen nachts kribbeln beinen händen taubheit spastik medikament nebenwirkungen spritze tabletten \
    basistherapie verlaufsform schubförmig progredient selbsthilfegruppe treffen kaffee gespräch mut hoffnung sorgen \
    angehörige partner freunde kollegen chef rente antrag schwerbehindertenausweis merkzeichen parkausweis \
    ergotherapie logopädie yoga meditation ernährung vitamin sonne urlaub reise bahn flugzeug hotel barrierefrei";

const ENDINGS: [&str; 10] = ["", "", "", "en", "e", "er", "t", "s", "n", "es"];

/// One sentence of 5–14 words, some capitalised, some inflected.
fn sentence(dice: &mut Dice, words: &[&str]) -> String {
    let count = 5 + dice.next() % 10;
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let mut word = format!("{}{}", dice.pick(words), dice.pick(&ENDINGS));
        if dice.next().is_multiple_of(3) {
            word = capitalised(&word);
        }
        out.push(word);
    }
    let mut text = capitalised(&out.join(" "));
    text.push_str(if dice.next().is_multiple_of(5) { "?" } else { "." });
    text
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A post of 300–500 characters of Markdown (evenly spread): paragraphs,
/// now and then emphasis, a list or a link.
fn post_body(dice: &mut Dice) -> String {
    let words: Vec<&str> = WORDS.split_whitespace().collect();
    let target = 300 + dice.next() % 201;
    let mut text = String::new();
    loop {
        let mut s = sentence(dice, &words);
        match dice.next() % 12 {
            0 => s = format!("**{s}**"),
            1 => s = format!("\n\n- {s}\n- {}\n\n", sentence(dice, &words)),
            2 => s = format!("{s} [{}](https://www.dmsg.de/{})", dice.pick(&words), dice.pick(&words)),
            3 => s = format!("\n\n{s}"),
            _ => {}
        }
        let next = format!("{text} {s}");
        let next = next.trim();
        if next.chars().count() > target {
            // Filled up to the target with the start of one more sentence.
            let room = target.saturating_sub(text.chars().count() + 1);
            let tail: String = s.trim().chars().take(room).collect();
            return format!("{text} {tail}").trim().to_owned();
        }
        text = next.to_owned();
    }
}

/// (raw, gzip) bytes of a body.
fn weigh(body: &[u8]) -> (usize, usize) {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(body).expect("gzip");
    (body.len(), gz.finish().expect("gzip").len())
}

/// A page as the member's browser gets it (the API session token doubles as
/// the page cookie, as in `forum::Browser::sign_in_staff`).
async fn page(s: &TestServer, who: &Someone, path: &str) -> String {
    let response =
        s.client.get(s.url(path)).header("cookie", format!("__Host-kindred-ms={}", who.token)).send().await.unwrap();
    assert_eq!(response.status(), 200, "GET {path}");
    response.text().await.unwrap()
}

/// The bytes the server sends for the page to a browser that accepts
/// brotli and gzip, as the browser says so (the test client decompresses
/// nothing).
async fn sent(s: &TestServer, who: &Someone, path: &str) -> usize {
    let response = s
        .client
        .get(s.url(path))
        .header("cookie", format!("__Host-kindred-ms={}", who.token))
        .header("accept-encoding", "gzip, deflate, br, zstd")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "GET {path}");
    let coding = response.headers().get("content-encoding").and_then(|v| v.to_str().ok()).map(str::to_owned);
    assert_eq!(coding.as_deref(), Some("br"), "GET {path}: brotli for a browser that accepts it");
    response.bytes().await.unwrap().len()
}

/// A member with a photo the reader may see (level 2, and contacts at 2).
async fn with_photo(s: &TestServer, who: &Someone, reader: &Someone) {
    let put = s.client.put(s.url(&format!("{API}/me/photo"))).bearer_auth(&who.token).body(noisy_png(120, 120));
    assert_eq!(put.send().await.unwrap().status(), 204);
    profile(s, who, json!({"visibility": {"photo": 2}})).await;
    befriend(s, reader, 2, who, 2).await;
}

/// Someone findable in the member search, showing a few fields to everyone.
async fn findable(s: &TestServer, who: &Someone, n: usize) {
    consent(s, who).await;
    let regions = ["by", "be", "hh", "sh", "nw"];
    profile(
        s,
        who,
        json!({"fields": {"region": regions[n % regions.len()], "condition": "ms", "role": "patient",
                          "about": "Ich lese gern und gehe viel spazieren, wenn die Beine mitmachen."},
               "visibility": {"region": 1, "condition": 1, "role": 1, "about": 1}, "discoverable": true}),
    )
    .await;
}

/// The four pages with their data: (name, path) for `reader`.
async fn realistic(s: &TestServer, ms: &Association) -> (Someone, Vec<(&'static str, String)>) {
    s.user(ms, "admin@example.org", "Admina", "admin").await;
    let admin = Someone { id: String::new(), token: s.login_staff(ms, "admin@example.org").await };
    let created = ok(
        s,
        &admin.token,
        "POST",
        &format!("{API}/forum/categories"),
        Some(json!({"name": "Alltag mit MS", "description": "Wie wir den Alltag schaffen",
                    "anonymous_allowed": false, "ask_professional": false})),
    )
    .await;
    let category = created["category_id"].as_str().expect("category").to_owned();
    let reader = someone(s, ms, "Lesende Leonie").await;
    let names = ["Anna Berg", "Ben", "Carla M", "Dieter aus Kiel", "Eva", "Frank", "Gisela", "Hanna"];
    let mut authors = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let who = someone(s, ms, name).await;
        if i % 4 != 3 {
            with_photo(s, &who, &reader).await;
        }
        authors.push(who);
    }
    let mut dice = Dice(0x5eed_1234);
    let topic = ok(
        s,
        &authors[0].token,
        "POST",
        &format!("{API}/forum/topics"),
        Some(json!({"category_id": category, "title": "Kühlwesten im Sommer – wer hat Erfahrung?",
                    "body": post_body(&mut dice), "anonymous": false})),
    )
    .await["topic_id"]
        .as_str()
        .expect("topic")
        .to_owned();
    for i in 1..50 {
        // Every seventh post is the reader's own (Edit, Delete).
        let who = if i % 7 == 0 { &reader } else { &authors[dice.next() % authors.len()] };
        let (status, value) = call(
            s,
            &who.token,
            "POST",
            &format!("{API}/forum/topics/{topic}/posts"),
            Some(json!({"body": post_body(&mut dice)})),
        )
        .await;
        assert_eq!(status, 201, "{value}");
    }
    let posts = ok(s, &reader.token, "GET", &format!("{API}/forum/topics/{topic}"), None).await;
    let ids: Vec<String> = posts["posts"]
        .as_array()
        .expect("posts")
        .iter()
        .filter_map(|p| p["id"].as_str().or(p["post_id"].as_str()).map(str::to_owned))
        .collect();
    assert_eq!(ids.len(), 50, "{posts}");
    let kinds = ["heart", "hug", "thanks", "helpful"];
    for (n, post) in ids.iter().enumerate().filter(|(n, _)| n % 3 != 1) {
        for (k, who) in authors.iter().chain([&reader]).enumerate().filter(|(k, _)| (n + k) % 3 == 0) {
            let kind = kinds[(n + k) % kinds.len()];
            ok(s, &who.token, "PUT", &format!("{API}/forum/posts/{post}/reactions/{kind}"), None).await;
        }
    }
    // The reader's own reactions (the loop above never picks the reader).
    for post in ids.iter().step_by(5) {
        ok(s, &reader.token, "PUT", &format!("{API}/forum/posts/{post}/reactions/heart"), None).await;
    }
    // A full first page of member search results (20), the next page linked.
    for n in 0..24 {
        let who = someone(s, ms, &format!("Mitglied {n:02}")).await;
        findable(s, &who, n).await;
    }
    let group = ok(
        s,
        &authors[1].token,
        "POST",
        &format!("{API}/groups"),
        Some(json!({"name": "MS-Treff Kiel", "description": "Wir treffen uns jeden ersten Dienstag im Monat \
                    im Nachbarschaftszentrum. Neue sind herzlich willkommen.\n\nBarrierefreier Zugang über den Hof.",
                    "visibility": "open", "member_list": "group", "alias_mode": false, "conditions": ["ms"],
                    "therapies": [], "region": "sh"})),
    )
    .await["group_id"]
        .as_str()
        .expect("group")
        .to_owned();
    let pages = vec![
        ("home", "/a/ms/".to_owned()),
        ("topic", format!("/a/ms/forum/topics/{topic}")),
        ("member search", "/a/ms/members?q=".to_owned()),
        ("group", format!("/a/ms/groups/{group}")),
    ];
    (reader, pages)
}

#[tokio::test]
async fn the_pages_a_member_reads_most_stay_within_their_weight_budget() {
    let budget: BudgetFile = toml::from_str(BUDGET).expect("tests/page-budget.toml");
    for db in BOTH {
        let s = TestServer::start(db).await;
        let ms = s.ms_association("ms").await;
        let (reader, pages) = realistic(&s, &ms).await;
        let mut table = format!(
            "\npage weight ({db:?}): bytes of HTML, uncompressed, gzip-compressed and as sent to a current browser \
             (brotli), against tests/page-budget.toml\n\
             {:<14} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}\n",
            "page", "raw", "budget", "gzip", "budget", "sent", "budget"
        );
        let mut over = Vec::new();
        for (name, path) in &pages {
            let html = page(&s, &reader, path).await;
            check_realistic(name, &html);
            let (raw, gzip) = weigh(html.as_bytes());
            let sent = sent(&s, &reader, path).await;
            let limit = budget.pages.get(*name).unwrap_or_else(|| panic!("no budget for the {name} page"));
            table.push_str(&format!(
                "{name:<14} {raw:>8} {:>8} {gzip:>8} {:>8} {sent:>8} {:>8}\n",
                limit.raw, limit.gzip, limit.sent
            ));
            if raw > limit.raw || gzip > limit.gzip || sent > limit.sent {
                over.push(format!(
                    "{name}: {raw} raw (budget {}), {gzip} gzip (budget {}), {sent} sent (budget {})",
                    limit.raw, limit.gzip, limit.sent
                ));
            }
            if let Ok(dir) = std::env::var("KINDRED_PAGE_DUMP") {
                std::fs::write(format!("{dir}/{}.html", name.replace(' ', "-")), &html).expect("dump");
            }
        }
        // Written past the test harness's capture, so that the test command shows the figures.
        let _ = std::io::stderr().write_all(table.as_bytes());
        assert!(over.is_empty(), "{db:?}: over budget:\n{}", over.join("\n"));
        s.stop().await;
    }
}

/// The pages hold what they are meant to weigh: otherwise a page that lost
/// its content would pass.
fn check_realistic(name: &str, html: &str) {
    match name {
        "topic" => {
            assert_eq!(html.matches("class=\"post-body\"").count(), 50, "50 posts");
            assert!(html.matches("<img class=\"face").count() >= 30, "most authors with a photo");
            assert!(html.matches("class=\"reaction-sum\"").count() >= 30, "reactions on most posts");
            assert!(html.contains("(mit Ihrer)"), "reactions of the reader");
            assert_eq!(html.matches("class=\"post-more\"").count(), 50, "every post's own page linked");
        }
        "member search" => {
            assert!(html.matches("<h3 class=\"with-face\"").count() == 20, "a full page of results: {html}");
        }
        "group" => assert!(html.contains("MS-Treff Kiel")),
        _ => assert!(html.contains("Kühlwesten"), "the home page lists the topic"),
    }
}

#[test]
fn the_generated_text_compresses_like_prose() {
    let mut dice = Dice(0x5eed_1234);
    let text: Vec<String> = (0..50).map(|_| post_body(&mut dice)).collect();
    let text = text.join("\n\n");
    let (raw, gzip) = weigh(text.as_bytes());
    let ratio = gzip as f64 / raw as f64;
    assert!((0.33..0.45).contains(&ratio), "{raw} bytes, gzip {gzip}: ratio {ratio:.2}");
}
