//! Rate limits: exactly the allowed number of actions pass, on one
//! instance or several sharing a database, and refusals say when to come
//! back in the form the surface speaks (the page, the form again, JSON).

use crate::api::Api;
use crate::db::TestDb;
use crate::helpers::{Browser, PASSWORD, TestApp};
use futures_util::future::join_all;
use newsroom::config::SiteConfig;
use newsroom::domain::user::Role;
use newsroom::limits::RateLimits;
use reqwest::StatusCode;

crate::on_both_backends!(
    a_flood_from_one_account_lets_one_comment_in,
    fifty_accounts_on_one_address_share_its_limit,
    two_instances_count_together,
    a_refused_comment_keeps_its_text_and_says_when,
    the_api_answers_429_with_json,
    registrations_per_address_reshow_the_form,
    likes_searches_and_tokens_are_limited,
);

/// The default rate limits, with the given changes. Connections per
/// address are not capped: these tests open hundreds at once from one.
fn limited(change: impl FnOnce(&mut RateLimits)) -> SiteConfig {
    let mut rate_limits = RateLimits::default();
    change(&mut rate_limits);
    let mut config = SiteConfig {
        rate_limits,
        ..SiteConfig::default()
    };
    config.connections.max_per_address = 0;
    config
}

fn defaults() -> SiteConfig {
    limited(|_| {})
}

/// Posts `count` comments at once through the site's form; the statuses.
async fn flood(reader: &Browser, slug: &str, count: usize) -> Vec<StatusCode> {
    let path = format!("/articles/{slug}");
    let csrf = reader.get(&path).await.csrf();
    let posts = (0..count).map(|i| {
        let (path, csrf) = (path.clone(), csrf.clone());
        async move {
            let body = format!("Comment number {i}.");
            reader
                .post(
                    &format!("{path}/comments"),
                    &[("csrf", &csrf), ("body", &body), ("parent_id", "")],
                )
                .await
                .status
        }
    });
    join_all(posts).await
}

fn tally(statuses: &[StatusCode]) -> (usize, usize) {
    let accepted = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(
        accepted + refused,
        statuses.len(),
        "only 200 or 429: {statuses:?}"
    );
    (accepted, refused)
}

async fn comments_shown(app: &TestApp, slug: &str) -> i64 {
    app.browser()
        .get(&format!("/articles/{slug}"))
        .await
        .data_count("comments")
}

async fn a_flood_from_one_account_lets_one_comment_in(db: TestDb) {
    let app = TestApp::on_configured(db, defaults()).await;
    let slug = app.publish("Flooded", "Body.", "").await;
    let (reader, _) = app.user(Role::Reader).await;
    let mut statuses = Vec::new();
    for _ in 0..10 {
        statuses.extend(flood(&reader, &slug, 50).await);
    }
    assert_eq!(tally(&statuses), (1, 499), "one in 15 seconds");
    assert_eq!(comments_shown(&app, &slug).await, 1);

    // Every 15 seconds one more, until the hour's 30 are used.
    let mut accepted = 1;
    for _ in 0..40 {
        app.advance_clock(15_000);
        accepted += tally(&flood(&reader, &slug, 3).await).0;
    }
    assert_eq!(accepted, 30, "thirty in the hour from the first");
    assert_eq!(comments_shown(&app, &slug).await, 30);
    let metrics = app.browser().get("/metrics").await.body;
    assert!(
        metrics.contains("rate_limited_total{limit=\"comments\"}"),
        "refusals counted by limit"
    );
}

async fn fifty_accounts_on_one_address_share_its_limit(db: TestDb) {
    let app = TestApp::on_configured(db, defaults()).await;
    let slug = app.publish("Crowded", "Body.", "").await;
    let mut readers = Vec::new();
    for _ in 0..50 {
        let (_, name) = app.user(Role::Reader).await;
        let reader = app.browser_from("127.0.0.5");
        reader.login(&name, PASSWORD).await;
        readers.push(reader);
    }
    let floods = readers.iter().map(|reader| flood(reader, &slug, 10));
    let statuses: Vec<StatusCode> = join_all(floods).await.into_iter().flatten().collect();
    assert_eq!(statuses.len(), 500);
    assert_eq!(
        tally(&statuses),
        (20, 480),
        "twenty a minute from one address"
    );
    assert_eq!(
        comments_shown(&app, &slug).await,
        20,
        "all accepted ones stored"
    );

    // Another address is not held up by this one.
    let (elsewhere, _) = app.user(Role::Reader).await;
    assert_eq!(tally(&flood(&elsewhere, &slug, 1).await), (1, 0));
}

async fn two_instances_count_together(db: TestDb) {
    let first = TestApp::on_configured(db, defaults()).await;
    let second = TestApp::configured(first.db_url(), defaults()).await;
    let slug = first.publish("Shared", "Body.", "").await;
    let (reader, _) = first.user(Role::Reader).await;
    let there = reader.at(&second.base);
    let (here, elsewhere) = tokio::join!(flood(&reader, &slug, 100), flood(&there, &slug, 100));
    let statuses: Vec<StatusCode> = here.into_iter().chain(elsewhere).collect();
    assert_eq!(
        tally(&statuses),
        (1, 199),
        "one in 15 seconds across both instances"
    );
    assert_eq!(comments_shown(&second, &slug).await, 1);
}

async fn a_refused_comment_keeps_its_text_and_says_when(db: TestDb) {
    let app = TestApp::on_configured(db, defaults()).await;
    let slug = app.publish("Patience", "Body.", "").await;
    let (reader, _) = app.user(Role::Reader).await;
    reader.comment(&slug, "The first word.", None).await;
    app.advance_clock(4_000);
    let page = reader
        .comment(&slug, "A second thought, typed with care.", None)
        .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.shows("Please wait 11 seconds"), "says how long");
    assert!(
        page.body.contains("A second thought, typed with care."),
        "the typed text is kept"
    );
    app.advance_clock(11_000);
    let page = reader
        .comment(&slug, "A second thought, typed with care.", None)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.data_count("comments"), 2);
}

async fn the_api_answers_429_with_json(db: TestDb) {
    let app = TestApp::on_configured(db, defaults()).await;
    let slug = app.publish("Through the API", "Body.", "").await;
    let api = Api::of(&app);
    let token = api.token("apiflood").await;
    let path = format!("/articles/{slug}/comments");
    let comment = serde_json::json!({ "comment": { "body": "Hello." } });
    let (status, _) = api
        .send(
            reqwest::Method::POST,
            &path,
            Some(&token),
            Some(comment.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let response = reqwest::Client::new()
        .post(format!("{}/api{path}", app.base))
        .header("authorization", format!("Token {token}"))
        .header("content-type", "application/json")
        .body(comment.to_string())
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["retry-after"], "15");
    let body: serde_json::Value =
        serde_json::from_str(&response.text().await.expect("body")).expect("json");
    let message = body["errors"]["body"][0].as_str().expect("message");
    assert!(message.contains("comments"), "{message}");
}

async fn registrations_per_address_reshow_the_form(db: TestDb) {
    let app = TestApp::on_configured(db, defaults()).await;
    for i in 0..5 {
        let page = app
            .browser_from("127.0.0.6")
            .register(
                &format!("signup{i}"),
                &format!("signup{i}@example.org"),
                PASSWORD,
                "/",
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "five an hour");
    }
    let page = app
        .browser_from("127.0.0.6")
        .register("signup5", "signup5@example.org", PASSWORD, "/")
        .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.shows("You're opening accounts too often"));
    assert!(
        page.body.contains("value=\"signup5@example.org\""),
        "typed text kept"
    );
    let page = app
        .browser_from("127.0.0.7")
        .register("signup5", "signup5@example.org", PASSWORD, "/")
        .await;
    assert_eq!(page.status, StatusCode::OK, "another address may");
}

async fn likes_searches_and_tokens_are_limited(db: TestDb) {
    let config = limited(|rates| {
        rates.likes = "3/min".parse().expect("rates");
        rates.searches_per_address = "2/min".parse().expect("rates");
        rates.api_per_token = "4/min".parse().expect("rates");
    });
    let app = TestApp::on_configured(db, config).await;
    let slug = app.publish("Liked", "Body.", "").await;
    let (reader, _) = app.user(Role::Reader).await;
    for action in ["like", "unlike", "like"] {
        assert_eq!(reader.like(&slug, action).await.status, StatusCode::OK);
    }
    let page = reader.like(&slug, "unlike").await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        page.shows("You're liking too often. Please wait 60 seconds"),
        "{}",
        page.body
    );

    let searcher = app.browser_from("127.0.0.8");
    assert_eq!(searcher.get("/search?q=liked").await.status, StatusCode::OK);
    assert_eq!(searcher.get("/search?q=body").await.status, StatusCode::OK);
    let page = searcher.get("/search?q=again").await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.shows("You're searching too often"));

    let api = Api::of(&app);
    let token = api.token("tokenuser").await;
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(
            api.send(reqwest::Method::GET, "/user", Some(&token), None)
                .await
                .0,
        );
    }
    assert_eq!(
        statuses,
        [
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::TOO_MANY_REQUESTS,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
    app.advance_clock(60_000);
    let (status, _) = api
        .send(reqwest::Method::GET, "/user", Some(&token), None)
        .await;
    assert_eq!(status, StatusCode::OK, "a new minute");
}
