//! What an anonymous reader sees and where the pages lead.

use crate::db::TestDb;
use crate::helpers::TestApp;
use reqwest::StatusCode;

crate::on_both_backends!(
    anonymous_reader_sees_counts_tags_and_the_login_prompt,
    the_front_page_lists_newest_first_and_pages_without_offsets,
    unknown_pages_get_the_site_404,
    static_assets_are_served_from_the_binary,
    a_page_costs_the_same_storage_calls_however_much_it_shows,
);

async fn anonymous_reader_sees_counts_tags_and_the_login_prompt(db: TestDb) {
    let app = TestApp::on(db).await;
    let slug = app
        .publish(
            "Tram line approved",
            "The council *voted* yes.",
            "Transport, City Hall",
        )
        .await;
    let (fan, _) = app.user(newsroom::domain::user::Role::Reader).await;
    fan.like(&slug, "like").await;
    fan.comment(&slug, "Great news", None).await;

    let reader = app.browser();
    let page = reader.get(&format!("/articles/{slug}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    let headline = body.find("<h1>Tram line approved</h1>").expect("headline");
    let byline = body.find("class=\"byline\"").expect("byline");
    let counts = body.find("data-likes=\"1\"").expect("like count");
    let comments = body.find("data-comments=\"1\"").expect("comment count");
    let article_body = body.find("The council <em>voted</em> yes.").expect("body");
    let tags = body.find("href=\"/tags/transport\"").expect("tag link");
    assert!(
        headline < byline
            && byline < counts
            && counts < comments
            && comments < article_body
            && article_body < tags
    );
    assert!(body.contains(">1 like<") && body.contains(">1 comment<"));
    assert!(body.contains("To comment or like, please log in first."));
    assert!(
        !body.contains("class=\"like-form"),
        "no like button for anonymous readers"
    );
    assert!(
        !body.contains("class=\"comment-form\""),
        "no comment form for anonymous readers"
    );

    let next = format!("next=/articles/{slug}");
    let login = format!("/login?{next}");
    let register = format!("/register?{next}");
    assert!(
        body.contains(&format!("href=\"{login}\">Login</a>")),
        "{body}"
    );
    assert!(body.contains(&format!("href=\"{register}\">Register</a>")));
    let login_page = reader.get(&login).await;
    assert_eq!(login_page.status, StatusCode::OK);
    assert!(
        login_page
            .body
            .contains(&format!("name=\"next\" value=\"/articles/{slug}\""))
    );
    let register_page = reader.get(&register).await;
    assert_eq!(register_page.status, StatusCode::OK);
    assert!(
        register_page
            .body
            .contains(&format!("name=\"next\" value=\"/articles/{slug}\""))
    );

    let tag_page = reader.get("/tags/transport").await;
    assert!(tag_page.body.contains("Tram line approved"));
    let author =
        crate::helpers::extract_between(body, "href=\"/authors/", "\"").expect("author link");
    let author_page = reader.get(&format!("/authors/{author}")).await;
    assert_eq!(author_page.status, StatusCode::OK);
    assert!(author_page.body.contains("Tram line approved"));
}

async fn the_front_page_lists_newest_first_and_pages_without_offsets(db: TestDb) {
    let app = TestApp::on(db).await;
    for i in 1..=23 {
        app.publish(&format!("Story number {i}"), "Body.", "Local")
            .await;
        app.advance_clock(60_000);
    }
    let reader = app.browser();
    let first = reader.get("/").await;
    assert!(
        first.body.find("Story number 23").expect("newest")
            < first.body.find("Story number 22").expect("next")
    );
    assert!(
        !first.body.contains("Story number 3<"),
        "page one holds 20 articles"
    );
    let older = crate::helpers::extract_between(&first.body, "rel=\"next\" href=\"", "\"")
        .expect("older link");
    assert!(older.starts_with("/?before="));
    let second = reader.get(&older).await;
    for i in 1..=3 {
        assert!(
            second.body.contains(&format!("Story number {i}<")),
            "story {i} on page two"
        );
    }
    assert!(!second.body.contains("Story number 4<"));
    assert!(!second.body.contains("rel=\"next\""), "no page three");

    let tag_page = reader.get("/tags/local").await;
    assert!(
        tag_page
            .body
            .contains("rel=\"next\" href=\"/tags/local?before=")
    );
}

async fn unknown_pages_get_the_site_404(db: TestDb) {
    let app = TestApp::on(db).await;
    let reader = app.browser();
    for path in [
        "/articles/no-such-thing",
        "/tags/nothing",
        "/authors/nobody",
        "/no/such/page",
        "/comments/abc/edit",
    ] {
        let page = reader.get(path).await;
        if path == "/comments/abc/edit" {
            // Anonymous visitors are asked to log in before anything else.
            assert!(page.url.contains("/login?next="), "{path}");
            continue;
        }
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            page.body.contains("Page not found") && page.body.contains("class=\"site-header\""),
            "{path}"
        );
    }
}

async fn static_assets_are_served_from_the_binary(db: TestDb) {
    let app = TestApp::on(db).await;
    let css = app
        .browser()
        .client
        .get(app.browser().url("/static/site.css"))
        .send()
        .await
        .expect("css");
    assert_eq!(css.status(), StatusCode::OK);
    assert!(
        css.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/css")
    );
    // Links and identifiers may be absolute; what the browser loads
    // (scripts, styles, images) comes from this site.
    let page = app.browser().get("/").await;
    for loaded in ["src=\"", "rel=\"stylesheet\" href=\""] {
        for value in page.body.split(loaded).skip(1) {
            assert!(
                value.starts_with('/'),
                "{loaded}{}",
                &value[..value.len().min(60)]
            );
        }
    }
    assert!(page.body.contains("<script src=\"/static/site.js\""));
}

/// Storage calls made while serving one page to an anonymous reader.
async fn calls_for(app: &TestApp, path: &str) -> u64 {
    let before = app.store().calls();
    let page = app.browser().get(path).await;
    assert_eq!(page.status, StatusCode::OK, "{path}");
    app.store().calls() - before
}

async fn a_page_costs_the_same_storage_calls_however_much_it_shows(db: TestDb) {
    let app = TestApp::on(db).await;
    let slug = app.publish("Busy story", "Body.", "One, Two").await;
    let (reader, _) = app.user(newsroom::domain::user::Role::Reader).await;
    reader.comment(&slug, "First", None).await;
    let small = (
        calls_for(&app, "/").await,
        calls_for(&app, &format!("/articles/{slug}")).await,
        calls_for(&app, "/tags/one").await,
    );

    for i in 0..15 {
        app.publish(&format!("More {i}"), "Body.", "One, Two, Three")
            .await;
        reader.comment(&slug, &format!("Comment {i}"), None).await;
    }
    reader.like(&slug, "like").await;
    let large = (
        calls_for(&app, "/").await,
        calls_for(&app, &format!("/articles/{slug}")).await,
        calls_for(&app, "/tags/one").await,
    );
    assert_eq!(small, large, "no call per article, tag or comment");
    assert!(
        large.0 <= 2 && large.1 <= 3,
        "front page and article page stay cheap: {large:?}"
    );
}
