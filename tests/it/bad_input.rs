//! Whatever a client sends, the answer is a clear 4xx, never a 500.

use crate::db::TestDb;
use crate::helpers::TestApp;
use newsroom::domain::user::Role;
use reqwest::StatusCode;

crate::on_both_backends!(
    nul_and_control_characters_never_cause_a_500,
    a_missing_or_wrong_csrf_token_gets_the_403_page,
    an_oversized_body_gets_413,
    a_body_over_the_article_limit_is_a_field_error,
    malformed_forms_and_odd_paths_never_cause_a_500,
    wrong_methods_get_the_site_page,
    login_never_redirects_to_another_host,
);

async fn a_missing_or_wrong_csrf_token_gets_the_403_page(db: TestDb) {
    let app = TestApp::on(db).await;
    let slug = app.publish("Csrf", "Body.", "").await;
    let (reader, _) = app.user(Role::Reader).await;
    let path = format!("/articles/{slug}/like");
    let page = reader.post(&path, &[("action", "like")]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(
        page.body
            .contains("This form has expired or did not come from this site")
    );
    let page = reader
        .post(&path, &[("csrf", "deadbeef"), ("action", "like")])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);

    // A token taken from another visitor's page is worthless here.
    let (other, _) = app.user(Role::Reader).await;
    let foreign = other.get(&format!("/articles/{slug}")).await.csrf();
    let page = reader
        .post(&path, &[("csrf", &foreign), ("action", "like")])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.browser()
            .get(&format!("/articles/{slug}"))
            .await
            .data_count("likes"),
        0
    );

    let fresh = app.browser();
    let page = fresh
        .post("/login", &[("login", "x"), ("password", "y")])
        .await;
    assert_eq!(
        page.status,
        StatusCode::FORBIDDEN,
        "login needs a token too"
    );
}

async fn an_oversized_body_gets_413(db: TestDb) {
    let app = TestApp::on(db).await;
    let (author, _) = app.user(Role::Author).await;
    let csrf = author.get("/desk/new").await.csrf();
    let huge = "x".repeat(600 * 1024);
    let page = author
        .post(
            "/desk/new",
            &[("csrf", &csrf), ("headline", "Big"), ("body", &huge)],
        )
        .await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(page.body.contains("What you sent is too large."));
}

async fn a_body_over_the_article_limit_is_a_field_error(db: TestDb) {
    let app = TestApp::on(db).await;
    let (author, _) = app.user(Role::Author).await;
    let long = "y".repeat(100_001);
    let page = author
        .submit(
            "/desk/new",
            "/desk/new",
            &[("headline", "Long"), ("body", &long), ("action", "save")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body
            .contains("The body can be at most 100000 characters")
    );
}

async fn malformed_forms_and_odd_paths_never_cause_a_500(db: TestDb) {
    let app = TestApp::on(db).await;
    let slug = app.publish("Odd input", "Body.", "").await;
    let (reader, _) = app.user(Role::Reader).await;
    let csrf = reader.get(&format!("/articles/{slug}")).await.csrf();
    let cases: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            format!("/articles/{slug}/like"),
            vec![("action", "explode")],
        ),
        (format!("/articles/{slug}/like"), vec![]),
        (
            format!("/articles/{slug}/comments"),
            vec![("body", "x"), ("parent_id", "not-a-number")],
        ),
        (
            format!("/articles/{slug}/comments"),
            vec![("body", "x"), ("parent_id", "999999")],
        ),
        ("/articles/nope/comments".to_owned(), vec![("body", "x")]),
        ("/comments/999999/delete".to_owned(), vec![]),
        ("/comments/-1/edit".to_owned(), vec![("body", "x")]),
        ("/comments/%00/delete".to_owned(), vec![]),
        ("/desk/users/1/role".to_owned(), vec![("role", "admin")]),
    ];
    for (path, fields) in cases {
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend(fields);
        let page = reader.post(&path, &all).await;
        assert!(page.status.is_client_error(), "{path}: {}", page.status);
        assert!(
            page.body.contains("class=\"site-header\""),
            "{path}: the site's own page"
        );
    }
    let raw = reader
        .client
        .post(reader.url(&format!("/articles/{slug}/comments")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={csrf}&body=%ZZ%"))
        .send()
        .await
        .expect("post");
    assert!(
        raw.status().is_client_error()
            || raw.status().is_redirection()
            || raw.status().is_success()
    );
    let weird = reader.get("/?before=%FF%FE").await;
    assert_eq!(weird.status, StatusCode::OK);
    let weird = reader.get("/articles/%E2%80%AE%F0%9F%98%80").await;
    assert_eq!(weird.status, StatusCode::NOT_FOUND);
}

async fn wrong_methods_get_the_site_page(db: TestDb) {
    let app = TestApp::on(db).await;
    let page = app.browser().get("/logout").await;
    assert_eq!(page.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(page.body.contains("class=\"site-header\""));
}

async fn login_never_redirects_to_another_host(db: TestDb) {
    let app = TestApp::on(db).await;
    let (_, name) = app.user(Role::Reader).await;
    let browser = app.browser();
    let page = browser
        .submit(
            "/login?next=//evil.example/",
            "/login",
            &[
                ("login", &name),
                ("password", crate::helpers::PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert!(page.url.starts_with(&app.base), "{}", page.url);
}

/// PostgreSQL refuses NUL in text; nothing a client sends may turn that
/// into a 500, and no control character is stored.
async fn nul_and_control_characters_never_cause_a_500(db: TestDb) {
    let app = TestApp::on(db).await;
    let slug = app.publish("Controls", "Body.", "News").await;
    let visitor = app.browser();
    for path in [
        "/articles/%00",
        "/tags/%00",
        "/authors/%00",
        "/api/profiles/%00",
        "/api/articles/%00",
    ] {
        let page = visitor.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
    }
    let page = visitor
        .get("/api/articles?author=%00&tag=%00&favorited=%00")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let page = visitor.login("nobody\u{0}", "password\u{0}").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);

    let (reader, _) = app.user(Role::Reader).await;
    let page = reader.comment(&slug, "Hello\u{0}\u{7}world", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Helloworld"), "controls dropped");
    let (author, _) = app.user(Role::Author).await;
    let page = author
        .submit(
            "/desk/new",
            "/desk/new",
            &[
                ("headline", "Nul\u{0} headline"),
                ("body", "B\u{0}ody"),
                ("tags", "Ta\u{0}g"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("value=\"Nul headline\""));
}
