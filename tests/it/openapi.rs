//! The OpenAPI document at `/api/openapi.json`: it parses as OpenAPI 3.1
//! with an independent parser, every reference in it resolves, it has every
//! operation of the RealWorld specification, and it matches the router both
//! ways: each documented operation reaches a handler, and a documented path
//! answers no method the document does not list.

use crate::helpers::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// The operations of the RealWorld ("Conduit") specification.
const REALWORLD: [(&str, &str); 19] = [
    ("POST", "/users/login"),
    ("POST", "/users"),
    ("GET", "/user"),
    ("PUT", "/user"),
    ("GET", "/profiles/{username}"),
    ("POST", "/profiles/{username}/follow"),
    ("DELETE", "/profiles/{username}/follow"),
    ("GET", "/articles/feed"),
    ("GET", "/articles"),
    ("POST", "/articles"),
    ("GET", "/articles/{slug}"),
    ("PUT", "/articles/{slug}"),
    ("DELETE", "/articles/{slug}"),
    ("GET", "/articles/{slug}/comments"),
    ("POST", "/articles/{slug}/comments"),
    ("DELETE", "/articles/{slug}/comments/{id}"),
    ("POST", "/articles/{slug}/favorite"),
    ("DELETE", "/articles/{slug}/favorite"),
    ("GET", "/tags"),
];

async fn served_document(app: &TestApp) -> String {
    let response = reqwest::get(format!("{}/api/openapi.json", app.base))
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json");
    response.text().await.expect("body")
}

#[tokio::test]
async fn the_document_parses_as_openapi_3_1_and_every_reference_resolves() {
    let app = TestApp::spawn().await;
    let text = served_document(&app).await;
    let spec = oas3::from_json(&text).expect("parses as OpenAPI");
    let version = spec.validate_version().expect("a supported version");
    assert_eq!((version.major, version.minor), (3, 1));
    let mut operations = 0;
    for (path, method, operation) in spec.operations() {
        operations += 1;
        let what = format!("{method} {path}");
        assert!(operation.operation_id.is_some(), "{what} has an id");
        operation.parameters(&spec).expect(&what);
        if let Some(body) = operation.request_body(&spec).expect(&what) {
            for media in body.content.values() {
                assert!(media.schema(&spec).expect(&what).is_some(), "{what}");
            }
        }
        let responses = operation.responses(&spec);
        assert!(!responses.is_empty(), "{what} has responses");
        for response in responses.values() {
            for media in response.content.values() {
                media.schema(&spec).expect(&what);
            }
        }
    }
    assert!(operations >= REALWORLD.len());
    let schemes = spec.components.as_ref().map(|c| c.security_schemes.len());
    assert_eq!(schemes, Some(1), "the Token scheme");
}

#[tokio::test]
async fn the_document_has_every_realworld_operation_and_is_the_routers_own() {
    let app = TestApp::spawn().await;
    let served: Value = serde_json::from_str(&served_document(&app).await).expect("JSON");
    for (method, path) in REALWORLD {
        assert!(
            served["paths"][path][method.to_lowercase()].is_object(),
            "{method} {path} is documented"
        );
    }
    let (_, built) = newsroom::api::documented_routes();
    assert_eq!(
        serde_json::to_value(&built).expect("serializes"),
        served,
        "the served document is the one the routes were registered with"
    );
}

#[tokio::test]
async fn every_documented_operation_is_served_and_nothing_else_at_its_path() {
    let app = TestApp::spawn().await;
    let served: Value = serde_json::from_str(&served_document(&app).await).expect("JSON");
    let client = reqwest::Client::new();
    let fell_through = json!({ "errors": { "body": ["no such endpoint"] } });
    let paths = served["paths"].as_object().expect("paths");
    assert!(!paths.is_empty());
    for (path, item) in paths {
        let concrete = path
            .replace("{slug}", "no-such-article")
            .replace("{username}", "nobody")
            .replace("{id}", "1");
        let url = format!("{}/api{concrete}", app.base);
        for method in [
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::DELETE,
            Method::PATCH,
        ] {
            let documented = item.get(method.as_str().to_lowercase()).is_some();
            let response = client
                .request(method.clone(), &url)
                .header("content-type", "application/json")
                .body("{}")
                .send()
                .await
                .expect("request");
            let status = response.status();
            let body: Value = serde_json::from_str(&response.text().await.expect("body"))
                .expect("every answer is JSON");
            if documented {
                assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
                assert_ne!(body, fell_through, "{method} {path} reaches a handler");
            } else {
                assert_eq!(
                    status,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "{method} {path} is served but not documented"
                );
            }
        }
    }
    let (status, body) = {
        let response = client
            .get(format!("{}/api/not/an/endpoint", app.base))
            .send()
            .await
            .expect("request");
        (
            response.status(),
            serde_json::from_str::<Value>(&response.text().await.expect("body")).expect("JSON"),
        )
    };
    assert_eq!((status, body), (StatusCode::NOT_FOUND, fell_through));
}

/// The document says which operations need a token (`Token` only) and which
/// take one optionally (`{}` or `Token`): each refuses a missing token or a
/// forged one accordingly, with the spec's 401 and a JSON error.
#[tokio::test]
async fn operations_refuse_missing_and_forged_tokens_as_documented() {
    let app = TestApp::spawn().await;
    let served: Value = serde_json::from_str(&served_document(&app).await).expect("JSON");
    let client = reqwest::Client::new();
    let mut checked = 0;
    for (path, item) in served["paths"].as_object().expect("paths") {
        let concrete = path
            .replace("{slug}", "no-such-article")
            .replace("{username}", "nobody")
            .replace("{id}", "1");
        for (method, operation) in item.as_object().expect("operations") {
            let Some(security) = operation["security"].as_array() else {
                continue;
            };
            let optional = security.iter().any(|s| s == &json!({}));
            let method: Method = method.to_uppercase().parse().expect("method");
            let mut attempts = vec![Some("Token not.a.token")];
            if !optional {
                attempts.push(None);
            }
            for authorization in attempts {
                let mut request = client
                    .request(method.clone(), format!("{}/api{concrete}", app.base))
                    .header("content-type", "application/json")
                    .body("{}");
                if let Some(value) = authorization {
                    request = request.header("authorization", value);
                }
                let response = request.send().await.expect("request");
                assert_eq!(
                    response.status(),
                    StatusCode::UNAUTHORIZED,
                    "{method} {path} with {authorization:?}"
                );
                let body: Value =
                    serde_json::from_str(&response.text().await.expect("body")).expect("JSON");
                assert!(body["errors"]["token"][0].is_string(), "{method} {path}");
                checked += 1;
            }
        }
    }
    assert!(checked >= 25, "checked {checked}");
}

/// Every operation that takes a JSON body, as the document lists them,
/// answers an unreadable, mistyped, oversized or unexpected body with a 4xx
/// and a JSON error, and writes nothing.
#[tokio::test]
async fn every_request_body_refuses_bad_input_with_a_json_4xx() {
    let app = TestApp::spawn().await;
    let served: Value = serde_json::from_str(&served_document(&app).await).expect("JSON");
    let api = crate::api::Api::of(&app);
    let token = api.token("ann").await;
    let huge = format!(r#"{{"x":"{}"}}"#, "x".repeat(600 * 1024));
    let cases: [(&str, &str, StatusCode); 7] = [
        ("text/plain", "{}", StatusCode::UNSUPPORTED_MEDIA_TYPE),
        ("application/json", "{", StatusCode::BAD_REQUEST),
        ("application/json", "\u{0}", StatusCode::BAD_REQUEST),
        ("application/json", "[]", StatusCode::UNPROCESSABLE_ENTITY),
        ("application/json", "{}", StatusCode::UNPROCESSABLE_ENTITY),
        (
            "application/json",
            r#"{"unexpected":{"field":true}}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        ("application/json", &huge, StatusCode::PAYLOAD_TOO_LARGE),
    ];
    let mut checked = 0;
    for (path, item) in served["paths"].as_object().expect("paths") {
        let concrete = path
            .replace("{slug}", "no-such-article")
            .replace("{username}", "ann")
            .replace("{id}", "1");
        for (method, operation) in item.as_object().expect("operations") {
            if operation.get("requestBody").is_none() {
                continue;
            }
            let method: Method = method.to_uppercase().parse().expect("method");
            for (content_type, body, expected) in &cases {
                let status = api
                    .send_refused(method.clone(), &concrete, Some(&token), content_type, body)
                    .await;
                assert_eq!(
                    status,
                    *expected,
                    "{method} {path} with {content_type} {}",
                    &body[..body.len().min(40)]
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 6 * cases.len(), "checked {checked}");
    assert_eq!(app.store().list_users().await.expect("users").len(), 1);
    assert_eq!(app.store().article_count().await.expect("articles"), 0);
}
