//! Being found: search on the site and in the API, feeds read by a real
//! feed parser, sitemaps and robots.txt read as XML, and what every page's
//! head says (titles, descriptions, canonical URLs, social cards, JSON-LD);
//! on both backends.

use crate::db::TestDb;
use crate::helpers::{Browser, TestApp, assert_no_live_script, extract_between, unescape_html};
use newsroom::config::{FeedContent, SiteConfig};
use newsroom::domain::time::{date_value, machine};
use newsroom::domain::user::Role;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;

crate::on_both_backends!(
    search_finds_words_anywhere_with_highlights_filters_and_pages,
    search_reads_any_text_as_words_and_never_fails,
    search_is_in_the_api,
    feeds_parse_in_every_format_for_the_site_tags_and_authors,
    feeds_answer_304_until_something_changes,
    sitemaps_list_every_public_page_and_the_recent_news,
    pages_say_what_they_are_in_their_head,
);

/// An editor of the newsroom and their username.
async fn editor(app: &TestApp) -> (Browser, String) {
    app.user(Role::Editor).await
}

async fn fetch(
    app: &TestApp,
    path: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, HeaderMap, String) {
    let mut request = reqwest::Client::new().get(format!("{}{path}", app.base));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("request");
    let status = response.status();
    let headers = response.headers().clone();
    (status, headers, response.text().await.expect("body"))
}

/// The JSON-LD documents of a page.
fn json_ld(html: &str) -> Vec<Value> {
    html.split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|rest| {
            let json = rest.split("</script>").next().expect("closed");
            serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"))
        })
        .collect()
}

pub fn json_ld_of_type(html: &str, kind: &str) -> Value {
    json_ld(html)
        .into_iter()
        .find(|d| d["@type"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {html}"))
}

/// The content of `<meta {attr}="{key}" content="…">`.
fn meta(html: &str, attr: &str, key: &str) -> Option<String> {
    extract_between(html, &format!("<meta {attr}=\"{key}\" content=\""), "\"")
}

/// The text of every element named `name` (with its prefix) in an XML
/// document, which must be well formed.
fn xml_texts(xml: &str, name: &str) -> Vec<String> {
    use quick_xml::escape::resolve_predefined_entity;
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut texts = Vec::new();
    let mut current: Option<String> = None;
    loop {
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("well-formed XML: {e}\n{xml}"))
        {
            Event::Start(e) if e.name().as_ref() == name => current = Some(String::new()),
            Event::Text(t) => {
                if let Some(text) = current.as_mut() {
                    text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(text) = current.as_mut() {
                    match r.resolve_char_ref().expect("a character") {
                        Some(c) => text.push(c),
                        None => text.push_str(resolve_predefined_entity(&r).expect("known entity")),
                    }
                }
            }
            Event::End(e) if e.name().as_ref() == name => texts.extend(current.take()),
            Event::Eof => break,
            _ => {}
        }
    }
    texts
}

async fn search_finds_words_anywhere_with_highlights_filters_and_pages(db: TestDb) {
    let app = TestApp::on(db).await;
    let (desk, name) = editor(&app).await;
    let opening = TestApp::publish_as(
        &desk,
        "Tram line opens",
        "The council cut the ribbon.",
        "Transport",
    )
    .await;
    TestApp::publish_as(
        &desk,
        "Budget day",
        "A word on the **tram** depot.",
        "Economy",
    )
    .await;
    desk.submit(
        "/desk/new",
        "/desk/new",
        &[
            ("headline", "Secret tram plan"),
            ("body", "Tram."),
            ("action", "save"),
        ],
    )
    .await;

    let reader = app.browser();
    let page = reader.get("/search?q=tram").await;
    assert_eq!(page.status, StatusCode::OK);
    let first = page
        .body
        .find("Tram line opens")
        .expect("found by headline");
    let second = page.body.find("Budget day").expect("found by body");
    assert!(first < second, "a headline match ranks first");
    assert!(
        page.body.contains("<mark>tram</mark>"),
        "highlighted in the snippet"
    );
    assert!(!page.body.contains("Secret tram plan"), "drafts never");
    assert_no_live_script(&page.body);
    for path in [
        "/",
        &format!("/articles/{opening}"),
        "/tags/transport",
        "/login",
    ] {
        assert!(
            reader.get(path).await.body.contains("action=\"/search\""),
            "a search box on {path}"
        );
    }

    let only = |page: &crate::helpers::Page, headline: &str| {
        ["Tram line opens", "Budget day"]
            .iter()
            .all(|h| page.body.contains(h) == (*h == headline))
    };
    assert!(only(
        &reader.get("/search?q=tram&tag=Economy").await,
        "Budget day"
    ));
    assert!(
        only(&reader.get("/search?q=transport").await, "Tram line opens"),
        "tags are searched"
    );
    let by_author = reader
        .get(&format!("/search?q=tram+{name}&author={name}"))
        .await;
    assert!(by_author.body.contains("Tram line opens") && by_author.body.contains("Budget day"));
    let today = date_value(app.state.now());
    let today_only = reader
        .get(&format!("/search?q=tram&from={today}&to={today}"))
        .await;
    assert!(today_only.body.contains("Budget day"));
    let long_ago = reader.get("/search?q=tram&to=2000-01-01").await;
    assert!(
        long_ago.body.contains("No articles match"),
        "{}",
        long_ago.body
    );
    let bad = reader.get("/search?q=tram&from=yesterday").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.shows("Give the date as YYYY-MM-DD."));

    // Twenty results a page; the next page continues without overlap.
    for i in 0..21 {
        TestApp::publish_as(&desk, &format!("Tram stop {i}"), "Another stop.", "").await;
    }
    let first_page = reader.get("/search?q=tram").await;
    let next = extract_between(&first_page.body, "<a rel=\"next\" href=\"", "\"")
        .map(|href| unescape_html(&href))
        .expect("a next page");
    let second_page = reader.get(&next).await;
    let headlines = |page: &crate::helpers::Page| -> Vec<String> {
        page.body
            .split("<h2><a href=\"/articles/")
            .skip(1)
            .filter_map(|rest| rest.split('"').next().map(str::to_owned))
            .collect()
    };
    let (one, two) = (headlines(&first_page), headlines(&second_page));
    assert_eq!(
        (one.len(), two.len()),
        (20, 3),
        "23 live articles mention trams"
    );
    assert!(one.iter().all(|slug| !two.contains(slug)), "no overlap");
    assert!(!second_page.body.contains("rel=\"next\""));
}

async fn search_reads_any_text_as_words_and_never_fails(db: TestDb) {
    let app = TestApp::on(db).await;
    app.publish("Tram line opens", "Body.", "Transport").await;
    let reader = app.browser();
    let long = "x".repeat(10_000);
    for query in [
        "%22tram",
        "tram%22%20OR%20(",
        "NEAR(tram",
        "tram*",
        "%F0%9F%99%82",
        "%00",
        "%ZZ",
        "'%3B--",
        "tram&q=other",
        long.as_str(),
        "a%20b%20c%20d%20e%20f%20g%20h%20i%20j%20k%20l%20m%20n",
    ] {
        let page = reader.get(&format!("/search?q={query}")).await;
        assert_eq!(
            page.status,
            StatusCode::OK,
            "q={}",
            &query[..query.len().min(30)]
        );
        assert_no_live_script(&page.body);
    }
    assert!(
        reader
            .get("/search?q=%22tram%22")
            .await
            .body
            .contains("Tram line opens")
    );
    let empty = reader.get("/search").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("Type one or more words"));
    let emoji = reader.get("/search?q=%F0%9F%99%82").await;
    assert!(
        emoji.body.contains("Type one or more words"),
        "no words at all"
    );
}

async fn search_is_in_the_api(db: TestDb) {
    let app = TestApp::on(db).await;
    let (desk, name) = editor(&app).await;
    for i in 0..3 {
        TestApp::publish_as(
            &desk,
            &format!("Harbour crane {i}"),
            "A crane at the harbour.",
            "Docks",
        )
        .await;
    }
    let api = crate::api::Api::of(&app);
    let (status, body) = api.get("/search?q=crane&limit=2", None).await;
    assert_eq!(status, StatusCode::OK);
    let results = body["results"].as_array().expect("results");
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["author"], name.as_str());
    assert_eq!(results[0]["tagList"], serde_json::json!(["Docks"]));
    assert!(
        results[0]["snippet"]
            .as_array()
            .expect("snippet")
            .iter()
            .any(|p| p["highlighted"] == true && p["text"] == "crane")
    );
    let next = body["next"].as_str().expect("more").to_owned();
    let (_, body) = api
        .get(&format!("/search?q=crane&limit=2&after={next}"), None)
        .await;
    assert_eq!(body["results"].as_array().map(Vec::len), Some(1));
    assert!(body["next"].is_null());
    let (status, body) = api.get("/search?q=", None).await;
    assert_eq!(
        (status, body["results"].as_array().map(Vec::len)),
        (StatusCode::OK, Some(0))
    );
    for (query, field) in [
        ("limit=0", "limit"),
        ("from=soon", "from"),
        ("tag=%21%21", "tag"),
    ] {
        let (status, body) = api.get(&format!("/search?q=crane&{query}"), None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert!(body["errors"][field][0].is_string(), "{query}: {body}");
    }
}

async fn feeds_parse_in_every_format_for_the_site_tags_and_authors(db: TestDb) {
    let app = TestApp::on(db).await;
    let (desk, name) = editor(&app).await;
    let tram = TestApp::publish_as(
        &desk,
        "Tram line opens",
        "The *first* tram.",
        "Transport, City",
    )
    .await;
    let published_at = app.state.now();
    app.advance_clock(60_000);
    TestApp::publish_as(&desk, "Budget day", "Numbers.", "Economy").await;
    let author_scope = format!("/authors/{name}");
    let scopes: [(&str, &[&str]); 3] = [
        ("", &["Budget day", "Tram line opens"]),
        ("/tags/transport", &["Tram line opens"]),
        (&author_scope, &["Budget day", "Tram line opens"]),
    ];
    for (scope, titles) in scopes {
        for (file, mime) in [
            ("feed.xml", "application/rss+xml"),
            ("atom.xml", "application/atom+xml"),
            ("feed.json", "application/feed+json"),
        ] {
            let path = format!("{scope}/{file}");
            let (status, headers, body) = fetch(&app, &path, &[]).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert!(
                headers["content-type"]
                    .to_str()
                    .expect("type")
                    .starts_with(mime),
                "{path}"
            );
            let feed = feed_rs::parser::parse(body.as_bytes())
                .unwrap_or_else(|e| panic!("{path}: {e}\n{body}"));
            let found: Vec<String> = feed
                .entries
                .iter()
                .filter_map(|e| e.title.as_ref().map(|t| t.content.clone()))
                .collect();
            assert_eq!(found, *titles, "{path}, newest first");
            let entry = feed
                .entries
                .iter()
                .find(|e| {
                    e.title
                        .as_ref()
                        .is_some_and(|t| t.content == "Tram line opens")
                })
                .expect("entry");
            let link = format!("{}/articles/{tram}", app.base);
            assert!(
                entry.links.iter().any(|l| l.href == link),
                "{path}: {:?}",
                entry.links
            );
            assert_eq!(
                entry.published.map(|p| p.timestamp()),
                Some(published_at / 1000),
                "{path}"
            );
            assert_eq!(
                entry.authors.first().and_then(|a| a.name.as_deref()),
                Some(name.as_str()),
                "{path}"
            );
            let mut terms: Vec<&str> = entry.categories.iter().map(|c| c.term.as_str()).collect();
            terms.sort_unstable();
            assert_eq!(terms, ["City", "Transport"], "{path}");
            let text = entry
                .summary
                .as_ref()
                .map(|s| s.content.clone())
                .or_else(|| entry.content.as_ref().and_then(|c| c.body.clone()))
                .unwrap_or_default();
            assert!(
                text.contains("A summary."),
                "{path}: the summary by default: {text}"
            );
            assert!(
                !body.contains("<em>") && !body.contains("&lt;em&gt;"),
                "{path}: not the full text"
            );
        }
    }
    for missing in [
        "/tags/nothing/feed.xml",
        "/tags/transport/other.xml",
        "/authors/nobody/atom.xml",
    ] {
        assert_eq!(
            fetch(&app, missing, &[]).await.0,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
}

#[tokio::test]
async fn full_text_feeds_carry_the_body_when_set() {
    let db = TestDb::sqlite();
    let config = SiteConfig {
        feed_content: FeedContent::Full,
        ..SiteConfig::default()
    };
    let app = TestApp::on_configured(db, config).await;
    app.publish("Tram line opens", "The *first* tram.", "Transport")
        .await;
    for file in ["feed.xml", "atom.xml", "feed.json"] {
        let (_, _, body) = fetch(&app, &format!("/{file}"), &[]).await;
        let feed = feed_rs::parser::parse(body.as_bytes()).expect("parses");
        let entry = &feed.entries[0];
        let html = entry
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .or_else(|| entry.summary.as_ref().map(|s| s.content.clone()))
            .unwrap_or_default();
        assert!(html.contains("<em>first</em>"), "{file}: {html}");
    }
}

async fn feeds_answer_304_until_something_changes(db: TestDb) {
    let app = TestApp::on(db).await;
    let (desk, _) = editor(&app).await;
    let slug = TestApp::publish_as(&desk, "Tram line opens", "Body.", "Transport").await;
    let (_, headers, _) = fetch(&app, "/atom.xml", &[]).await;
    let etag = headers["etag"].to_str().expect("etag").to_owned();
    let modified = headers["last-modified"]
        .to_str()
        .expect("last-modified")
        .to_owned();
    let (status, _, body) = fetch(&app, "/atom.xml", &[("if-none-match", &etag)]).await;
    assert_eq!((status, body.as_str()), (StatusCode::NOT_MODIFIED, ""));
    let (status, _, _) = fetch(&app, "/atom.xml", &[("if-modified-since", &modified)]).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    let (status, _, _) = fetch(&app, "/feed.xml", &[("if-none-match", &etag)]).await;
    assert_eq!(status, StatusCode::OK, "each format has its own tag");

    // An edit of a live article changes the feed.
    app.advance_clock(60_000);
    let desk_page = desk.get("/desk").await;
    let id = extract_between(&desk_page.body, "<a href=\"/desk/articles/", "\"").expect("in desk");
    let path = format!("/desk/articles/{id}");
    desk.submit(
        &path,
        &path,
        &[
            ("headline", "Tram line opens"),
            ("body", "Revised."),
            ("tags", "Transport"),
            ("slug", &slug),
            ("action", "save"),
        ],
    )
    .await;
    let (status, headers, _) = fetch(&app, "/atom.xml", &[("if-none-match", &etag)]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = fetch(&app, "/atom.xml", &[("if-modified-since", &modified)]).await;
    assert_eq!(status, StatusCode::OK, "modified since");
    // And so does a new article.
    let etag = headers["etag"].to_str().expect("etag").to_owned();
    TestApp::publish_as(&desk, "Budget day", "Numbers.", "").await;
    assert_eq!(
        fetch(&app, "/atom.xml", &[("if-none-match", &etag)])
            .await
            .0,
        StatusCode::OK
    );
}

async fn sitemaps_list_every_public_page_and_the_recent_news(db: TestDb) {
    let app = TestApp::on(db).await;
    let (desk, name) = editor(&app).await;
    let tram = TestApp::publish_as(&desk, "Tram line opens", "Body.", "Transport").await;
    let budget = TestApp::publish_as(&desk, "Budget day", "Numbers.", "Economy").await;
    desk.submit(
        "/desk/new",
        "/desk/new",
        &[
            ("headline", "Draft"),
            ("body", "Not yet."),
            ("action", "save"),
        ],
    )
    .await;
    let base = &app.base;

    let (status, headers, robots) = fetch(&app, "/robots.txt", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/plain")
    );
    assert!(robots.contains(&format!("Sitemap: {base}/sitemap.xml")));
    assert!(robots.contains(&format!("Sitemap: {base}/news-sitemap.xml")));

    let (_, _, index) = fetch(&app, "/sitemap.xml", &[]).await;
    let sitemaps = xml_texts(&index, "loc");
    assert_eq!(
        sitemaps,
        ["articles", "tags", "authors"].map(|k| format!("{base}/sitemaps/{k}-1.xml"))
    );
    let mut listed = Vec::new();
    for sitemap in &sitemaps {
        let path = sitemap.trim_start_matches(base.as_str());
        let (status, headers, xml) = fetch(&app, path, &[]).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(
            headers["content-type"]
                .to_str()
                .expect("type")
                .contains("xml")
        );
        assert!(xml.contains("xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\""));
        let lastmods = xml_texts(&xml, "lastmod");
        assert!(
            lastmods
                .iter()
                .all(|m| m.len() == "2026-11-25T15:04:00Z".len() && m.ends_with('Z'))
        );
        listed.extend(xml_texts(&xml, "loc"));
    }
    listed.sort_unstable();
    let mut expected = vec![
        format!("{base}/articles/{tram}"),
        format!("{base}/articles/{budget}"),
        format!("{base}/tags/transport"),
        format!("{base}/tags/economy"),
        format!("{base}/authors/{name}"),
    ];
    expected.sort_unstable();
    assert_eq!(
        listed, expected,
        "every public page, no draft, no reader without articles"
    );
    for missing in [
        "/sitemaps/articles-2.xml",
        "/sitemaps/pages-1.xml",
        "/sitemaps/articles-0.xml",
        "/sitemaps/x.xml",
    ] {
        assert_eq!(
            fetch(&app, missing, &[]).await.0,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }

    let (_, _, news) = fetch(&app, "/news-sitemap.xml", &[]).await;
    assert!(news.contains("xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\""));
    assert_eq!(
        xml_texts(&news, "news:title"),
        ["Budget day", "Tram line opens"]
    );
    assert_eq!(xml_texts(&news, "news:name"), ["Newsroom", "Newsroom"]);
    assert_eq!(xml_texts(&news, "news:language"), ["en", "en"]);
    let dates = xml_texts(&news, "news:publication_date");
    assert_eq!(dates.len(), 2);
    assert!(dates.iter().all(|d| d.ends_with('Z')), "{dates:?}");
    app.advance_clock(2 * 24 * 3_600_000 + 60_000);
    let (_, _, news) = fetch(&app, "/news-sitemap.xml", &[]).await;
    assert!(xml_texts(&news, "loc").is_empty(), "only the last two days");
}

async fn pages_say_what_they_are_in_their_head(db: TestDb) {
    let app = TestApp::on(db).await;
    let (desk, name) = editor(&app).await;
    let slug = TestApp::publish_as(
        &desk,
        "Tram line opens",
        "The first tram.",
        "Transport, City",
    )
    .await;
    let published_at = app.state.now();
    let base = &app.base;
    let reader = app.browser();

    let article = reader.get(&format!("/articles/{slug}")).await;
    let html = &article.body;
    assert!(html.contains("<title>Tram line opens · Newsroom</title>"));
    assert_eq!(
        meta(html, "name", "description").as_deref(),
        Some("A summary.")
    );
    assert!(html.contains(&format!(
        "<link rel=\"canonical\" href=\"{base}/articles/{slug}\">"
    )));
    assert_eq!(
        meta(html, "property", "og:type").as_deref(),
        Some("article")
    );
    assert_eq!(
        meta(html, "property", "og:title").as_deref(),
        Some("Tram line opens")
    );
    assert_eq!(
        meta(html, "name", "twitter:card").as_deref(),
        Some("summary")
    );
    assert_eq!(
        meta(html, "property", "article:published_time"),
        Some(machine(published_at))
    );
    assert!(html.contains("<meta property=\"article:tag\" content=\"City\">"));
    let news = json_ld_of_type(html, "NewsArticle");
    assert_eq!(news["@context"], "https://schema.org");
    assert_eq!(news["headline"], "Tram line opens");
    assert_eq!(news["description"], "A summary.");
    assert_eq!(news["datePublished"], machine(published_at));
    assert_eq!(news["dateModified"], machine(published_at));
    assert_eq!(news["mainEntityOfPage"], format!("{base}/articles/{slug}"));
    assert_eq!(news["author"][0]["@type"], "Person");
    assert_eq!(news["author"][0]["name"], name.as_str());
    assert_eq!(news["author"][0]["url"], format!("{base}/authors/{name}"));
    assert_eq!(news["publisher"]["@type"], "Organization");
    assert_eq!(news["publisher"]["name"], "Newsroom");
    assert_eq!(news["keywords"], serde_json::json!(["Transport", "City"]));
    let crumbs = json_ld_of_type(html, "BreadcrumbList");
    let trail: Vec<(&str, &str)> = crumbs["itemListElement"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["name"].as_str().unwrap_or_default(),
                i["item"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    let (home, tag, this) = (
        format!("{base}/"),
        format!("{base}/tags/transport"),
        format!("{base}/articles/{slug}"),
    );
    assert_eq!(
        trail,
        [
            ("Newsroom", home.as_str()),
            ("Transport", tag.as_str()),
            ("Tram line opens", this.as_str())
        ]
    );

    let front = reader.get("/").await;
    assert!(front.body.contains("<title>Latest news · Newsroom</title>"));
    assert!(
        front
            .body
            .contains(&format!("<link rel=\"canonical\" href=\"{base}/\">"))
    );
    for (mime, href) in [
        ("application/rss+xml", "/feed.xml"),
        ("application/atom+xml", "/atom.xml"),
        ("application/feed+json", "/feed.json"),
    ] {
        assert!(
            front.body.contains(&format!("type=\"{mime}\""))
                && front.body.contains(&format!("href=\"{href}\""))
        );
    }
    let website = json_ld_of_type(&front.body, "WebSite");
    assert_eq!(website["url"], format!("{base}/"));
    assert_eq!(website["potentialAction"]["@type"], "SearchAction");
    assert_eq!(
        website["potentialAction"]["target"]["urlTemplate"],
        format!("{base}/search?q={{search_term_string}}")
    );

    let author = reader.get(&format!("/authors/{name}")).await;
    let person = json_ld_of_type(&author.body, "Person");
    assert_eq!(
        (person["name"].as_str(), person["url"].as_str()),
        (
            Some(name.as_str()),
            Some(format!("{base}/authors/{name}").as_str())
        )
    );
    assert!(
        author
            .body
            .contains(&format!("href=\"/authors/{name}/feed.xml\""))
    );
    let tag = reader.get("/tags/transport").await;
    assert!(tag.body.contains(&format!(
        "<link rel=\"canonical\" href=\"{base}/tags/transport\">"
    )));
    assert!(meta(&tag.body, "name", "description").is_some_and(|d| d.contains("Transport")));

    for private in ["/login", "/register", "/search?q=tram"] {
        let page = reader.get(private).await;
        assert!(
            page.body
                .contains("<meta name=\"robots\" content=\"noindex\">"),
            "{private}"
        );
        assert!(!page.body.contains("rel=\"canonical\""), "{private}");
        assert!(
            page.body.contains("<meta name=\"description\""),
            "{private}"
        );
    }
    let missing = reader.get("/no/such/page").await;
    assert!(
        missing
            .body
            .contains("<title>Page not found · Newsroom</title>"),
        "{}",
        missing.body
    );
}

#[tokio::test]
async fn a_headline_cannot_break_out_of_structured_data() {
    let app = TestApp::spawn().await;
    let hostile = "</script><script>alert(1)</script> & <!-- \u{2028}";
    let slug = app.publish(hostile, "Body.", "").await;
    let page = app.browser().get(&format!("/articles/{slug}")).await;
    assert_no_live_script(&page.body);
    let news = json_ld_of_type(&page.body, "NewsArticle");
    assert_eq!(news["headline"], hostile.trim(), "the same text, safely");
}

#[tokio::test]
async fn absolute_links_use_the_configured_base_url_and_site_name() {
    let db = TestDb::sqlite();
    let config = SiteConfig {
        base_url: "https://news.example.org".parse().expect("url"),
        site_name: "Harbourne Herald".parse().expect("name"),
        language: "en-GB".parse().expect("language"),
        ..SiteConfig::default()
    };
    let app = TestApp::on_configured(db, config).await;
    let slug = app.publish("Tram line opens", "Body.", "Transport").await;
    let page = app.browser().get(&format!("/articles/{slug}")).await;
    assert!(page.body.contains("<html lang=\"en-GB\">"));
    assert!(
        page.body
            .contains("<title>Tram line opens · Harbourne Herald</title>")
    );
    assert!(page.body.contains(&format!(
        "href=\"https://news.example.org/articles/{slug}\""
    )));
    let (_, _, rss) = fetch(&app, "/feed.xml", &[]).await;
    let feed = feed_rs::parser::parse(rss.as_bytes()).expect("parses");
    assert_eq!(
        feed.title.map(|t| t.content).as_deref(),
        Some("Harbourne Herald")
    );
    assert_eq!(
        feed.language.map(|l| l.to_lowercase()).as_deref(),
        Some("en-gb"),
        "language tags are case-insensitive"
    );
    let (_, _, index) = fetch(&app, "/sitemap.xml", &[]).await;
    assert!(
        xml_texts(&index, "loc")
            .iter()
            .all(|l| l.starts_with("https://news.example.org/sitemaps/"))
    );
    let (_, _, news) = fetch(&app, "/news-sitemap.xml", &[]).await;
    assert_eq!(xml_texts(&news, "news:name"), ["Harbourne Herald"]);
    assert_eq!(xml_texts(&news, "news:language"), ["en-gb"]);
}
