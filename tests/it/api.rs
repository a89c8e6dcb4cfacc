//! The JSON API: every endpoint so far, its auth errors and validation
//! errors, over real HTTP, on both backends.

use crate::db::TestDb;
use crate::helpers::{PASSWORD, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};

crate::on_both_backends!(
    registering_returns_the_user_with_a_token_and_every_key,
    bad_registrations_get_field_errors,
    login_by_email_gives_a_token_that_opens_the_current_user,
    missing_or_bad_tokens_get_401,
    updates_are_partial_validated_and_a_new_password_ends_site_sessions,
    profiles_follow_and_unfollow,
    tags_are_those_of_live_articles,
    malformed_requests_get_json_4xx,
    api_and_site_share_login_throttling,
    article_lists_filter_and_page_like_the_spec,
    the_feed_shows_followed_authors_only,
    one_article_has_every_key_and_drafts_are_not_found,
    a_favorite_is_a_like_on_the_site,
    comments_are_listed_added_and_deleted_by_their_author,
);

/// A client for the API of one app.
pub struct Api {
    pub base: String,
    pub client: reqwest::Client,
}

impl Api {
    pub fn of(app: &TestApp) -> Self {
        Self {
            base: format!("{}/api", app.base),
            client: reqwest::Client::new(),
        }
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.header("authorization", format!("Token {token}"));
        }
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        let response = request.send().await.expect("request");
        let status = response.status();
        let text = response.text().await.expect("body");
        if text.is_empty() {
            return (status, Value::Null);
        }
        (
            status,
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}")),
        )
    }

    /// Sends `body` exactly as given, as `content_type`; the answer must be
    /// a JSON error, whose status is returned.
    pub async fn send_refused(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: &str,
    ) -> StatusCode {
        let mut request = self
            .client
            .request(method.clone(), format!("{}{path}", self.base))
            .header("content-type", content_type)
            .body(body.to_owned());
        if let Some(token) = token {
            request = request.header("authorization", format!("Token {token}"));
        }
        let response = request.send().await.expect("request");
        let status = response.status();
        let text = response.text().await.expect("body");
        let json: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{method} {path}: not JSON ({e}): {text}"));
        assert!(json["errors"].is_object(), "{method} {path}: {text}");
        status
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        self.send(reqwest::Method::GET, path, token, None).await
    }

    pub async fn register(&self, name: &str) -> (StatusCode, Value) {
        let body = json!({ "user": { "username": name, "email": format!("{name}@example.org"), "password": PASSWORD } });
        self.send(reqwest::Method::POST, "/users", None, Some(body))
            .await
    }

    /// Registers and returns the token.
    pub async fn token(&self, name: &str) -> String {
        let (status, body) = self.register(name).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["user"]["token"].as_str().expect("token").to_owned()
    }

    /// Logs in as an existing account (made with `TestApp::user`) and
    /// returns the token.
    pub async fn login(&self, name: &str) -> String {
        let login =
            json!({ "user": { "email": format!("{name}@example.org"), "password": PASSWORD } });
        let (status, body) = self
            .send(reqwest::Method::POST, "/users/login", None, Some(login))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["user"]["token"].as_str().expect("token").to_owned()
    }
}

async fn registering_returns_the_user_with_a_token_and_every_key(db: TestDb) {
    let app = TestApp::on(db).await;
    let (status, body) = Api::of(&app).register("Jake").await;
    assert_eq!(status, StatusCode::CREATED);
    let user = &body["user"];
    assert_eq!(user["username"], "jake");
    assert_eq!(user["email"], "jake@example.org");
    assert_eq!(user["bio"], "");
    assert!(
        user.get("image").is_some_and(Value::is_null),
        "image is present and null: {body}"
    );
    assert_eq!(
        user["token"].as_str().map(|t| t.split('.').count()),
        Some(3)
    );
    // The account is the site's account too.
    let page = app.browser().login("jake", PASSWORD).await;
    assert!(page.body.contains("/authors/jake"));
}

async fn bad_registrations_get_field_errors(db: TestDb) {
    let app = TestApp::on(db).await;
    let api = Api::of(&app);
    api.register("taken").await;
    let (status, body) = api.register("taken").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body,
        json!({ "errors": { "username": ["has already been taken"] } })
    );
    let bad = json!({ "user": { "username": "x", "email": "nope", "password": "short" } });
    let (status, body) = api
        .send(reqwest::Method::POST, "/users", None, Some(bad))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["username", "email", "password"] {
        assert!(body["errors"][field][0].is_string(), "{field}: {body}");
    }
}

async fn login_by_email_gives_a_token_that_opens_the_current_user(db: TestDb) {
    let app = TestApp::on(db).await;
    let api = Api::of(&app);
    api.register("ann").await;
    let login = json!({ "user": { "email": "ANN@example.org", "password": PASSWORD } });
    let (status, body) = api
        .send(reqwest::Method::POST, "/users/login", None, Some(login))
        .await;
    assert_eq!(status, StatusCode::OK);
    let token = body["user"]["token"].as_str().expect("token");
    let (status, me) = api.get("/user", Some(token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["user"]["username"], "ann");
    assert_eq!(me["user"]["token"], token);
    let wrong = json!({ "user": { "email": "ann@example.org", "password": "not the password" } });
    let (status, body) = api
        .send(reqwest::Method::POST, "/users/login", None, Some(wrong))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body["errors"]["body"][0].is_string());
    let empty = json!({ "user": { "email": " ", "password": PASSWORD } });
    let (status, body) = api
        .send(reqwest::Method::POST, "/users/login", None, Some(empty))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["errors"]["email"][0].is_string(), "{body}");
}

async fn missing_or_bad_tokens_get_401(db: TestDb) {
    let app = TestApp::on(db).await;
    let api = Api::of(&app);
    let token = api.token("ann").await;
    let tampered = format!("{}x", &token[..token.len() - 1]);
    for presented in [None, Some("garbage"), Some(tampered.as_str())] {
        let (status, body) = api.get("/user", presented).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{presented:?}");
        assert!(body["errors"]["token"][0].is_string());
    }
    let response = reqwest::Client::new()
        .get(format!("{}/user", api.base))
        .header("authorization", "Basic abc")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    // Tokens expire.
    app.advance_clock(31 * 24 * 3_600_000);
    assert_eq!(
        api.get("/user", Some(&token)).await.0,
        StatusCode::UNAUTHORIZED
    );
}

async fn updates_are_partial_validated_and_a_new_password_ends_site_sessions(db: TestDb) {
    let app = TestApp::on(db).await;
    let api = Api::of(&app);
    let token = api.token("ann").await;
    api.register("bob").await;
    let put = |body: Value| api.send(reqwest::Method::PUT, "/user", Some(&token), Some(body));

    let (status, body) =
        put(json!({ "user": { "bio": "Reporter", "image": "https://example.org/a.jpg" } })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (body["user"]["bio"].as_str(), body["user"]["image"].as_str()),
        (Some("Reporter"), Some("https://example.org/a.jpg"))
    );
    assert_eq!(body["user"]["email"], "ann@example.org", "untouched");
    let (_, body) = put(json!({ "user": { "image": null } })).await;
    assert!(body["user"]["image"].is_null());
    assert_eq!(body["user"]["bio"], "Reporter", "absent fields stay");

    let (status, body) =
        put(json!({ "user": { "image": "javascript:alert(1)", "email": "bad" } })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["errors"]["image"][0].is_string() && body["errors"]["email"][0].is_string());
    let (status, body) = put(json!({ "user": { "username": "bob" } })).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({ "errors": { "username": ["has already been taken"] } })
        )
    );

    // A password changed through the API ends the user's site sessions.
    let site = app.browser();
    assert!(
        site.login("ann", PASSWORD)
            .await
            .body
            .contains("/authors/ann")
    );
    let (status, _) = put(json!({ "user": { "password": "a brand new password" } })).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        site.get("/").await.body.contains("href=\"/login"),
        "logged out on the site"
    );
    assert!(
        app.browser()
            .login("ann", "a brand new password")
            .await
            .body
            .contains("/authors/ann")
    );
}

async fn profiles_follow_and_unfollow(db: TestDb) {
    let app = TestApp::on(db).await;
    let api = Api::of(&app);
    let token = api.token("ann").await;
    api.register("bob").await;
    let (status, body) = api.get("/profiles/bob", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({ "profile": { "username": "bob", "bio": "", "image": null, "following": false } })
    );
    let (status, body) = api
        .send(
            reqwest::Method::POST,
            "/profiles/bob/follow",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(
        (status, &body["profile"]["following"]),
        (StatusCode::OK, &json!(true))
    );
    assert_eq!(
        api.get("/profiles/bob", Some(&token)).await.1["profile"]["following"],
        true
    );
    assert_eq!(
        api.get("/profiles/bob", None).await.1["profile"]["following"],
        false
    );
    let (_, body) = api
        .send(
            reqwest::Method::DELETE,
            "/profiles/bob/follow",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(body["profile"]["following"], false);
    assert_eq!(
        api.get("/profiles/nobody", None).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        api.send(reqwest::Method::POST, "/profiles/bob/follow", None, None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
}

async fn tags_are_those_of_live_articles(db: TestDb) {
    let app = TestApp::on(db).await;
    app.publish("Live", "Body.", "Zeta, Alpha").await;
    let (status, body) = Api::of(&app).get("/tags", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({ "tags": ["Alpha", "Zeta"] }));
}

async fn malformed_requests_get_json_4xx(db: TestDb) {
    let app = TestApp::on(db).await;
    let api = Api::of(&app);
    let cases = [
        (
            "text/plain",
            r#"{"user":{}}"#.to_owned(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "application/json",
            r#"{"user":"#.to_owned(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "application/json",
            r#"{"user":{"username":1}}"#.to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "application/json",
            r#"{"user":{"username":"a","email":"a@b.c","password":"p","admin":true}}"#.to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "application/json",
            format!(r#"{{"user":{{"username":"{}"}}}}"#, "x".repeat(600 * 1024)),
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
    ];
    for (content_type, body, expected) in cases {
        let status = api
            .send_refused(reqwest::Method::POST, "/users", None, content_type, &body)
            .await;
        assert_eq!(status, expected, "{content_type}");
    }
    let (status, body) = api.send(reqwest::Method::DELETE, "/tags", None, None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(body["errors"]["body"][0].is_string());
    assert_eq!(
        api.get("/no/such/endpoint", None).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.store().list_users().await.expect("users").len(),
        0,
        "nothing was written"
    );
}

async fn api_and_site_share_login_throttling(db: TestDb) {
    let app = TestApp::on(db).await;
    let api = Api::of(&app);
    api.register("ann").await;
    let wrong = json!({ "user": { "email": "ann@example.org", "password": "wrong password" } });
    for _ in 0..5 {
        let (status, _) = api
            .send(
                reqwest::Method::POST,
                "/users/login",
                None,
                Some(wrong.clone()),
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let right = json!({ "user": { "email": "ann@example.org", "password": PASSWORD } });
    let (status, _) = api
        .send(reqwest::Method::POST, "/users/login", None, Some(right))
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let page = app.browser().login("ann@example.org", PASSWORD).await;
    assert_eq!(
        page.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the site counts the same failures"
    );
}

/// Publishes through the site (the API does not write articles yet).
async fn site_with_articles(app: &TestApp) -> Vec<String> {
    let mut slugs = Vec::new();
    for (i, tags) in ["Politics, City", "Sport", "City"].iter().enumerate() {
        slugs.push(
            app.publish(&format!("Story {i}"), "Body *text*.", tags)
                .await,
        );
        app.advance_clock(60_000);
    }
    slugs
}

async fn article_lists_filter_and_page_like_the_spec(db: TestDb) {
    let app = TestApp::on(db).await;
    let slugs = site_with_articles(&app).await;
    let api = Api::of(&app);
    let (status, body) = api.get("/articles", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["articlesCount"], 3);
    let titles: Vec<&str> = body["articles"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|a| a["title"].as_str())
        .collect();
    assert_eq!(titles, ["Story 2", "Story 1", "Story 0"], "newest first");
    let (_, body) = api.get("/articles?tag=City", None).await;
    assert_eq!(body["articlesCount"], 2);
    let (_, body) = api.get("/articles?limit=1&offset=1", None).await;
    assert_eq!(
        (
            body["articlesCount"].as_i64(),
            body["articles"][0]["slug"].as_str()
        ),
        (Some(3), Some(slugs[1].as_str()))
    );
    let author = body["articles"][0]["author"]["username"]
        .as_str()
        .expect("author")
        .to_owned();
    let (_, body) = api.get(&format!("/articles?author={author}"), None).await;
    assert!(body["articlesCount"].as_i64() >= Some(1));
    let (_, body) = api.get("/articles?author=nobody", None).await;
    assert_eq!(body, json!({ "articles": [], "articlesCount": 0 }));
    for bad in ["limit=-1", "limit=101", "offset=x"] {
        let (status, body) = api.get(&format!("/articles?{bad}"), None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(body["errors"].is_object());
    }
    // Odd query text is read leniently, never a 500.
    let (status, body) = api.get("/articles?tag=%ZZ&author=%00", None).await;
    assert_eq!(
        (status, body["articlesCount"].as_i64()),
        (StatusCode::OK, Some(0))
    );
}

async fn the_feed_shows_followed_authors_only(db: TestDb) {
    let app = TestApp::on(db).await;
    site_with_articles(&app).await;
    let api = Api::of(&app);
    let token = api.token("reader").await;
    let (_, body) = api.get("/articles/feed", Some(&token)).await;
    assert_eq!(body, json!({ "articles": [], "articlesCount": 0 }));
    let (_, list) = api.get("/articles?limit=1", None).await;
    let author = list["articles"][0]["author"]["username"]
        .as_str()
        .expect("author")
        .to_owned();
    api.send(
        reqwest::Method::POST,
        &format!("/profiles/{author}/follow"),
        Some(&token),
        None,
    )
    .await;
    let (status, body) = api.get("/articles/feed", Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["articlesCount"].as_i64() >= Some(1));
    assert!(body["articles"].as_array().expect("list").iter().all(|a| a["author"]["username"] == author.as_str() && a["author"]["following"] == true));
    assert_eq!(
        api.get("/articles/feed", None).await.0,
        StatusCode::UNAUTHORIZED
    );
}

async fn one_article_has_every_key_and_drafts_are_not_found(db: TestDb) {
    let app = TestApp::on(db).await;
    let slugs = site_with_articles(&app).await;
    let api = Api::of(&app);
    let (status, body) = api.get(&format!("/articles/{}", slugs[0]), None).await;
    assert_eq!(status, StatusCode::OK);
    let article = &body["article"];
    for key in [
        "slug",
        "title",
        "description",
        "body",
        "tagList",
        "createdAt",
        "updatedAt",
        "favorited",
        "favoritesCount",
        "author",
        "status",
        "publishedAt",
        "commentsCount",
    ] {
        assert!(article.get(key).is_some(), "{key} missing: {body}");
    }
    assert_eq!(article["tagList"], json!(["City", "Politics"]), "sorted");
    assert_eq!(article["body"], "Body *text*.", "the Markdown as written");
    assert_eq!(article["status"], "published");
    let created = article["createdAt"].as_str().expect("time");
    assert!(
        created.ends_with('Z') && created.len() == "2026-11-25T15:04:05.123Z".len(),
        "{created}"
    );
    assert_eq!(
        api.get("/articles/no-such-story", None).await.0,
        StatusCode::NOT_FOUND
    );
    let (author, _) = app.user(newsroom::domain::user::Role::Author).await;
    author
        .submit(
            "/desk/new",
            "/desk/new",
            &[
                ("headline", "Secret draft"),
                ("body", "Not yet."),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(
        api.get("/articles/secret-draft", None).await.0,
        StatusCode::NOT_FOUND
    );
}

async fn a_favorite_is_a_like_on_the_site(db: TestDb) {
    let app = TestApp::on(db).await;
    let slugs = site_with_articles(&app).await;
    let api = Api::of(&app);
    let token = api.token("fan").await;
    let path = format!("/articles/{}/favorite", slugs[0]);
    for _ in 0..2 {
        let (status, body) = api
            .send(reqwest::Method::POST, &path, Some(&token), None)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            (
                body["article"]["favorited"].as_bool(),
                body["article"]["favoritesCount"].as_i64()
            ),
            (Some(true), Some(1))
        );
    }
    let page = app.browser().get(&format!("/articles/{}", slugs[0])).await;
    assert_eq!(
        page.data_count("likes"),
        1,
        "the site counts the API's favorite"
    );
    let (_, body) = api.get("/articles?favorited=fan", None).await;
    assert_eq!(body["articlesCount"], 1);
    let (_, body) = api
        .send(reqwest::Method::DELETE, &path, Some(&token), None)
        .await;
    assert_eq!(body["article"]["favoritesCount"], 0);
    assert_eq!(
        api.send(reqwest::Method::POST, &path, None, None).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        api.send(
            reqwest::Method::POST,
            "/articles/nope/favorite",
            Some(&token),
            None
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
}

async fn comments_are_listed_added_and_deleted_by_their_author(db: TestDb) {
    let app = TestApp::on(db).await;
    let slugs = site_with_articles(&app).await;
    let api = Api::of(&app);
    let ann = api.token("ann").await;
    let bob = api.token("bob").await;
    let path = format!("/articles/{}/comments", slugs[0]);
    let (status, body) = api
        .send(
            reqwest::Method::POST,
            &path,
            Some(&ann),
            Some(json!({ "comment": { "body": "First <b>!</b>" } })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "the spec answers 200: {body}");
    let first = body["comment"]["id"].as_i64().expect("id");
    assert_eq!(body["comment"]["author"]["username"], "ann");
    assert!(body["comment"]["parentId"].is_null());
    let (_, body) = api
        .send(
            reqwest::Method::POST,
            &path,
            Some(&bob),
            Some(json!({ "comment": { "body": "Reply", "parentId": first } })),
        )
        .await;
    assert_eq!(body["comment"]["parentId"], first);
    let (status, body) = api
        .send(
            reqwest::Method::POST,
            &path,
            Some(&ann),
            Some(json!({ "comment": { "body": "  " } })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["errors"]["body"][0].is_string());

    let (status, body) = api.get(&path, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["comments"].as_array().map(Vec::len), Some(2));
    let page = app.browser().get(&format!("/articles/{}", slugs[0])).await;
    assert_eq!(
        page.data_count("comments"),
        2,
        "the site shows the API's comments"
    );
    assert!(
        page.body.contains("First &lt;b&gt;!&lt;/b&gt;"),
        "rendered as text, safely"
    );

    let delete = format!("{path}/{first}");
    assert_eq!(
        api.send(reqwest::Method::DELETE, &delete, Some(&bob), None)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        api.send(reqwest::Method::DELETE, &delete, None, None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        api.send(reqwest::Method::DELETE, &delete, Some(&ann), None)
            .await,
        (StatusCode::NO_CONTENT, Value::Null),
        "the spec answers 204 with no body"
    );
    assert_eq!(
        api.send(reqwest::Method::DELETE, &delete, Some(&ann), None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let (_, body) = api.get(&path, None).await;
    assert_eq!(body["comments"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn browsers_on_configured_origins_may_call_the_api() {
    let db = TestDb::sqlite();
    let config = newsroom::config::SiteConfig {
        cors_origins: vec!["https://app.example.org".to_owned()],
        ..Default::default()
    };
    let app = TestApp::configured(&db.url, config).await;
    let client = reqwest::Client::new();
    let preflight = |origin: &'static str| {
        client
            .request(reqwest::Method::OPTIONS, format!("{}/api/user", app.base))
            .header("origin", origin)
            .header("access-control-request-method", "PUT")
            .header(
                "access-control-request-headers",
                "authorization, content-type",
            )
            .send()
    };
    let allowed = preflight("https://app.example.org")
        .await
        .expect("preflight");
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://app.example.org"
    );
    let methods = allowed.headers()["access-control-allow-methods"]
        .to_str()
        .expect("methods")
        .to_owned();
    assert!(methods.contains("PUT"), "{methods}");
    let refused = preflight("https://evil.example").await.expect("preflight");
    assert!(
        refused
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    let page = client
        .get(format!("{}/", app.base))
        .header("origin", "https://app.example.org")
        .send()
        .await
        .expect("page");
    assert!(
        page.headers().get("access-control-allow-origin").is_none(),
        "only the API is shared"
    );
}
