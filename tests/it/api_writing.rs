//! Writing articles through the JSON API: the same roles and rules as the
//! desk, the spec's status codes, field errors under the spec's names, and
//! no partial write from bad input; on both backends.

use crate::api::Api;
use crate::db::TestDb;
use crate::helpers::{PASSWORD, TestApp};
use newsroom::config::SiteConfig;
use newsroom::domain::policy::Policy;
use newsroom::domain::time::rfc3339_millis;
use newsroom::domain::user::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

crate::on_both_backends!(
    readers_cannot_write_and_an_authors_draft_waits_for_an_editor,
    editors_publish_at_once_schedule_and_unpublish,
    open_publishing_lets_every_account_publish_its_own,
    invalid_articles_get_errors_under_the_specs_field_names,
    updates_are_partial_and_slugs_stay_once_public,
    deleting_takes_the_article_off_everywhere,
    bad_article_bodies_get_json_4xx_and_write_nothing,
);

fn new_article(title: &str, body: &str, tags: &[&str]) -> Value {
    json!({ "article": { "title": title, "description": "About it.", "body": body, "tagList": tags } })
}

async fn post(api: &Api, token: &str, body: Value) -> (StatusCode, Value) {
    api.send(Method::POST, "/articles", Some(token), Some(body))
        .await
}

async fn put(api: &Api, token: &str, slug: &str, changes: Value) -> (StatusCode, Value) {
    let path = format!("/articles/{slug}");
    api.send(
        Method::PUT,
        &path,
        Some(token),
        Some(json!({ "article": changes })),
    )
    .await
}

async fn delete(api: &Api, token: Option<&str>, slug: &str) -> (StatusCode, Value) {
    api.send(Method::DELETE, &format!("/articles/{slug}"), token, None)
        .await
}

/// An account of `role` made for the test, and its API token.
async fn token_for(app: &TestApp, api: &Api, role: Role) -> (String, String) {
    let (_, name) = app.user(role).await;
    let token = api.login(&name).await;
    (name, token)
}

async fn article_count(app: &TestApp) -> i64 {
    app.store().article_count().await.expect("count")
}

fn slug_of(body: &Value) -> String {
    body["article"]["slug"]
        .as_str()
        .unwrap_or_else(|| panic!("an article: {body}"))
        .to_owned()
}

async fn readers_cannot_write_and_an_authors_draft_waits_for_an_editor(db: TestDb) {
    let app = TestApp::on(db).await;
    let api = Api::of(&app);
    let reader = api.token("reader").await;
    let (status, body) = post(&api, &reader, new_article("Hello", "Body.", &[])).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body["errors"]["body"][0].is_string(), "{body}");
    assert_eq!(article_count(&app).await, 0);

    let (author_browser, author_name) = app.user(Role::Author).await;
    let author = api.login(&author_name).await;
    let mut asks_to_publish = new_article("Ferry strike ends", "Crossings *resume*.", &[]);
    asks_to_publish["article"]["status"] = json!("published");
    assert_eq!(
        post(&api, &author, asks_to_publish).await.0,
        StatusCode::FORBIDDEN,
        "authors do not publish"
    );
    assert_eq!(article_count(&app).await, 0, "nothing written");

    let (status, body) = post(
        &api,
        &author,
        new_article(
            "Ferry strike ends",
            "Crossings *resume*.",
            &["Transport", "Ferries"],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let article = &body["article"];
    assert_eq!(article["status"], "draft");
    assert!(article.get("publishedAt").is_some_and(Value::is_null));
    assert_eq!(article["tagList"], json!(["Ferries", "Transport"]));
    assert_eq!(article["author"]["username"], author_name.as_str());
    let slug = slug_of(&body);
    assert_eq!(slug, "ferry-strike-ends");
    assert!(
        author_browser
            .get("/desk")
            .await
            .body
            .contains("Ferry strike ends"),
        "the API's draft is in the desk"
    );

    let path = format!("/articles/{slug}");
    assert_eq!(api.get(&path, None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(api.get(&path, Some(&reader)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(api.get(&path, Some(&author)).await.0, StatusCode::OK);
    assert_eq!(api.get("/articles", None).await.1["articlesCount"], 0);
    assert_eq!(
        put(&api, &reader, &slug, json!({ "body": "Mine now." }))
            .await
            .0,
        StatusCode::NOT_FOUND,
        "a draft does not exist for others"
    );

    let (_, editor) = token_for(&app, &api, Role::Editor).await;
    let (status, body) = put(&api, &editor, &slug, json!({ "status": "published" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["article"]["status"], "published");
    assert!(body["article"]["publishedAt"].is_string());
    let page = app.browser().get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Crossings <em>resume</em>."));
    assert!(page.body.contains(&format!("/authors/{author_name}")));
    assert_eq!(api.get("/articles", None).await.1["articlesCount"], 1);

    // Published: the editors' now; others may see it but not change it.
    for token in [&author, &reader] {
        assert_eq!(
            put(&api, token, &slug, json!({ "body": "Changed." }))
                .await
                .0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            delete(&api, Some(token), &slug).await.0,
            StatusCode::FORBIDDEN
        );
    }
}

async fn editors_publish_at_once_schedule_and_unpublish(db: TestDb) {
    let app = TestApp::on(db).await;
    let api = Api::of(&app);
    let (_, editor) = token_for(&app, &api, Role::Editor).await;
    let (status, body) = post(&api, &editor, new_article("Tram opens", "Today.", &[])).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(body["article"]["status"], "published", "as on Conduit");
    assert_eq!(body["article"]["publishedAt"], body["article"]["createdAt"]);
    assert_eq!(
        api.get("/articles/tram-opens", None).await.0,
        StatusCode::OK
    );

    let in_two_hours = rfc3339_millis(app.state.now() + 2 * 3_600_000);
    let mut scheduled = new_article("Budget day", "Numbers.", &["Economy"]);
    scheduled["article"]["status"] = json!("scheduled");
    scheduled["article"]["publishedAt"] = json!(in_two_hours);
    let (status, body) = post(&api, &editor, scheduled).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        (&body["article"]["status"], &body["article"]["publishedAt"]),
        (&json!("scheduled"), &json!(in_two_hours))
    );
    assert_eq!(
        api.get("/articles/budget-day", None).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        api.get("/articles?tag=Economy", None).await.1["articlesCount"],
        0
    );
    app.advance_clock(2 * 3_600_000 + 60_000);
    let (status, body) = api.get("/articles/budget-day", None).await;
    assert_eq!(
        (status, &body["article"]["status"]),
        (StatusCode::OK, &json!("published"))
    );
    assert_eq!(
        api.get("/articles?tag=Economy", None).await.1["articlesCount"],
        1
    );

    let (status, body) = put(&api, &editor, "budget-day", json!({ "status": "draft" })).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["article"]["status"], "draft");
    assert!(body["article"]["publishedAt"].is_null());
    assert_eq!(
        app.browser().get("/articles/budget-day").await.status,
        StatusCode::NOT_FOUND
    );
    let past = rfc3339_millis(app.state.now() - 60_000);
    let (status, body) = put(
        &api,
        &editor,
        "budget-day",
        json!({ "status": "published", "publishedAt": past }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["errors"]["publishedAt"][0].is_string(), "{body}");
    let (_, body) = put(
        &api,
        &editor,
        "budget-day",
        json!({ "status": "published" }),
    )
    .await;
    assert_eq!(body["article"]["status"], "published");
}

async fn open_publishing_lets_every_account_publish_its_own(db: TestDb) {
    let config = SiteConfig {
        policy: Policy {
            open_publishing: true,
        },
        ..SiteConfig::default()
    };
    let app = TestApp::on_configured(db, config).await;
    let api = Api::of(&app);
    let ann = api.token("ann").await;
    let bob = api.token("bob").await;
    let (status, body) = post(&api, &ann, new_article("Ann writes", "Hello.", &["Own"])).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(body["article"]["status"], "published");
    assert_eq!(
        api.get("/articles?author=ann", None).await.1["articlesCount"],
        1
    );
    assert_eq!(
        put(&api, &bob, "ann-writes", json!({ "title": "Bob's now" }))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        delete(&api, Some(&bob), "ann-writes").await.0,
        StatusCode::FORBIDDEN
    );
    let (status, body) = put(&api, &ann, "ann-writes", json!({ "title": "Ann rewrites" })).await;
    assert_eq!(
        (status, &body["article"]["title"]),
        (StatusCode::OK, &json!("Ann rewrites"))
    );
    assert_eq!(
        delete(&api, Some(&ann), "ann-writes").await,
        (StatusCode::NO_CONTENT, Value::Null)
    );

    // The desk offers a reader the same under this policy.
    let browser = app.browser();
    browser.login("bob", PASSWORD).await;
    let desk = browser.get("/desk").await;
    assert_eq!(desk.status, StatusCode::OK);
    assert!(desk.body.contains("Publish them when they are ready."));
    let page = browser
        .submit(
            "/desk/new",
            "/desk/new",
            &[
                ("headline", "Bob publishes"),
                ("body", "From the desk."),
                ("action", "publish"),
            ],
        )
        .await;
    assert!(page.body.contains("Published."), "{}", page.body);
    assert_eq!(
        api.get("/articles/bob-publishes", None).await.0,
        StatusCode::OK
    );
}

async fn invalid_articles_get_errors_under_the_specs_field_names(db: TestDb) {
    let app = TestApp::on(db).await;
    let api = Api::of(&app);
    let (_, editor) = token_for(&app, &api, Role::Editor).await;
    let too_many: Vec<String> = (0..=newsroom::domain::tag::TAGS_PER_ARTICLE_MAX)
        .map(|i| format!("t{i}"))
        .collect();
    let cases = [
        (
            json!({ "article": { "title": "", "body": "  " } }),
            vec!["title", "body"],
        ),
        (json!({ "article": { "body": "No title." } }), vec!["title"]),
        (
            json!({ "article": { "title": "T", "body": "B", "tagList": too_many } }),
            vec!["tagList"],
        ),
        (
            json!({ "article": { "title": "T", "body": "B", "tagList": ["a, b"] } }),
            vec!["tagList"],
        ),
        (
            json!({ "article": { "title": "T", "body": "B", "slug": "Not A Slug" } }),
            vec!["slug"],
        ),
        (
            json!({ "article": { "title": "T", "body": "B", "status": "scheduled" } }),
            vec!["publishedAt"],
        ),
        (
            json!({ "article": { "title": "T", "body": "B", "publishedAt": "tomorrow" } }),
            vec!["publishedAt"],
        ),
        (
            json!({ "article": { "title": "T", "body": "B", "description": "d".repeat(501) } }),
            vec!["description"],
        ),
    ];
    for (body, fields) in cases {
        let (status, answer) = post(&api, &editor, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let errors = answer["errors"].as_object().expect("errors");
        let mut named: Vec<&str> = errors.keys().map(String::as_str).collect();
        named.sort_unstable();
        let mut expected = fields.clone();
        expected.sort_unstable();
        assert_eq!(named, expected, "{body} → {answer}");
    }
    assert_eq!(article_count(&app).await, 0, "nothing written");

    // A typed slug must be free; a derived one gets a suffix.
    let mut typed = new_article("First", "B.", &[]);
    typed["article"]["slug"] = json!("fixed-slug");
    assert_eq!(
        post(&api, &editor, typed.clone()).await.0,
        StatusCode::CREATED
    );
    let (status, body) = post(&api, &editor, typed).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["errors"]["slug"][0].is_string());
    let first = slug_of(
        &post(&api, &editor, new_article("Same title", "B.", &[]))
            .await
            .1,
    );
    let second = slug_of(
        &post(&api, &editor, new_article("Same title", "B.", &[]))
            .await
            .1,
    );
    assert_eq!(
        (first.as_str(), second.as_str()),
        ("same-title", "same-title-2")
    );

    // Without a description, the opening of the body serves.
    let (_, body) = post(
        &api,
        &editor,
        json!({ "article": { "title": "No description", "body": "The *whole* story." } }),
    )
    .await;
    assert_eq!(body["article"]["description"], "The whole story.");
}

async fn updates_are_partial_and_slugs_stay_once_public(db: TestDb) {
    let app = TestApp::on(db).await;
    let api = Api::of(&app);
    let (_, editor) = token_for(&app, &api, Role::Editor).await;
    let (_, created) = post(
        &api,
        &editor,
        new_article("How to train", "Very carefully.", &["training", "dragons"]),
    )
    .await;
    let slug = slug_of(&created);
    app.advance_clock(60_000);
    let (status, body) = put(&api, &editor, &slug, json!({ "body": "With two hands" })).await;
    assert_eq!(status, StatusCode::OK);
    let article = &body["article"];
    assert_eq!(article["body"], "With two hands");
    assert_eq!(article["title"], "How to train", "absent fields stay");
    assert_eq!(article["description"], "About it.");
    assert_eq!(article["tagList"], json!(["dragons", "training"]));
    assert_ne!(article["updatedAt"], created["article"]["updatedAt"]);
    assert_eq!(article["createdAt"], created["article"]["createdAt"]);
    assert!(
        app.browser()
            .get(&format!("/articles/{slug}"))
            .await
            .body
            .contains("Updated"),
        "the site shows the revision"
    );

    let (_, body) = put(
        &api,
        &editor,
        &slug,
        json!({ "title": "How to train well" }),
    )
    .await;
    assert_eq!(
        (slug_of(&body), &body["article"]["title"]),
        (slug.clone(), &json!("How to train well")),
        "a new title keeps the address"
    );
    let (status, body) = put(&api, &editor, &slug, json!({ "slug": "elsewhere" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["errors"]["slug"][0].is_string());
    let (_, body) = put(&api, &editor, &slug, json!({ "tagList": [] })).await;
    assert_eq!(body["article"]["tagList"], json!([]));

    // A draft's slug may still change.
    let (_, author_name) = app.user(Role::Author).await;
    let author = api.login(&author_name).await;
    let (_, body) = post(&api, &author, new_article("Rough title", "Draft.", &[])).await;
    let (status, body) = put(
        &api,
        &author,
        &slug_of(&body),
        json!({ "slug": "better-title" }),
    )
    .await;
    assert_eq!(
        (status, slug_of(&body)),
        (StatusCode::OK, "better-title".to_owned())
    );
    assert_eq!(
        api.get("/articles/rough-title", Some(&author)).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        put(&api, &author, "better-title", json!({ "slug": slug }))
            .await
            .0,
        StatusCode::UNPROCESSABLE_ENTITY,
        "taken"
    );
    assert_eq!(
        put(&api, &author, "no-such-article", json!({ "body": "x" }))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
}

async fn deleting_takes_the_article_off_everywhere(db: TestDb) {
    let app = TestApp::on(db).await;
    let api = Api::of(&app);
    let (_, editor) = token_for(&app, &api, Role::Editor).await;
    let (_, body) = post(
        &api,
        &editor,
        new_article("Short-lived", "Oops.", &["Gone"]),
    )
    .await;
    let slug = slug_of(&body);
    let reader = api.token("fan").await;
    api.send(
        Method::POST,
        &format!("/articles/{slug}/favorite"),
        Some(&reader),
        None,
    )
    .await;
    let comment = json!({ "comment": { "body": "First!" } });
    api.send(
        Method::POST,
        &format!("/articles/{slug}/comments"),
        Some(&reader),
        Some(comment),
    )
    .await;

    assert_eq!(delete(&api, None, &slug).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        delete(&api, Some(&reader), &slug).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        delete(&api, Some(&editor), &slug).await,
        (StatusCode::NO_CONTENT, Value::Null)
    );
    assert_eq!(
        api.get(&format!("/articles/{slug}"), Some(&editor)).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        delete(&api, Some(&editor), &slug).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.browser().get(&format!("/articles/{slug}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        api.get("/articles?favorited=fan", None).await.1["articlesCount"],
        0
    );
    assert_eq!(api.get("/tags", None).await.1, json!({ "tags": [] }));

    // An author deletes a draft that was never public, not one that was.
    let (_, author_name) = app.user(Role::Author).await;
    let author = api.login(&author_name).await;
    let (_, body) = post(&api, &author, new_article("Never mind", "Draft.", &[])).await;
    assert_eq!(
        delete(&api, Some(&author), &slug_of(&body)).await.0,
        StatusCode::NO_CONTENT
    );
    let (_, body) = post(&api, &author, new_article("Was live", "Draft.", &[])).await;
    let was_live = slug_of(&body);
    put(&api, &editor, &was_live, json!({ "status": "published" })).await;
    put(&api, &editor, &was_live, json!({ "status": "draft" })).await;
    assert_eq!(
        delete(&api, Some(&author), &was_live).await.0,
        StatusCode::FORBIDDEN,
        "it has been public: an editor decides"
    );
}

async fn bad_article_bodies_get_json_4xx_and_write_nothing(db: TestDb) {
    let app = TestApp::on(db).await;
    let api = Api::of(&app);
    let (_, editor) = token_for(&app, &api, Role::Editor).await;
    let (_, body) = post(&api, &editor, new_article("Stays", "As it was.", &[])).await;
    let slug = slug_of(&body);
    let valid = r#"{"article":{"title":"T","body":"B"}}"#;
    let cases = [
        (
            "text/plain",
            valid.to_owned(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "application/json",
            r#"{"article":"#.to_owned(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "application/json",
            "[]".to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "application/json",
            r#"{"article":null}"#.to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "application/json",
            r#"{"article":{"title":5,"body":"B"}}"#.to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "application/json",
            r#"{"article":{"title":"T","body":"B","tagList":"x"}}"#.to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "application/json",
            r#"{"article":{"title":"T","body":"B","author":"me"}}"#.to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "application/json",
            r#"{"article":{"title":"T","body":"B"},"extra":1}"#.to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "application/json",
            r#"{"article":{"title":"T","body":"B","status":"sideways"}}"#.to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "application/json",
            format!(
                r#"{{"article":{{"title":"T","body":"{}"}}}}"#,
                "x".repeat(600 * 1024)
            ),
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
        (
            "application/json",
            format!(
                r#"{{"article":{{"title":"T","body":"{}"}}}}"#,
                "x".repeat(100_001)
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ];
    for (method, path) in [
        (Method::POST, "/articles".to_owned()),
        (Method::PUT, format!("/articles/{slug}")),
    ] {
        for (content_type, body, expected) in &cases {
            let status = api
                .send_refused(method.clone(), &path, Some(&editor), content_type, body)
                .await;
            assert_eq!(
                status,
                *expected,
                "{method} {content_type} {}",
                &body[..body.len().min(80)]
            );
        }
    }
    assert_eq!(article_count(&app).await, 1, "nothing new written");
    let (_, body) = api.get(&format!("/articles/{slug}"), None).await;
    assert_eq!(
        (&body["article"]["title"], &body["article"]["body"]),
        (&json!("Stays"), &json!("As it was.")),
        "nothing changed"
    );
}
