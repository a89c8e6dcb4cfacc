//! Likes are exact: one per reader per article, whatever the timing.

use crate::db::TestDb;
use crate::helpers::TestApp;
use newsroom::domain::user::Role;
use reqwest::StatusCode;

crate::on_both_backends!(
    like_then_unlike_updates_the_count_and_button,
    concurrent_likes_by_one_user_give_one_like,
    concurrent_likes_by_many_users_are_all_counted,
    the_script_gets_json_with_the_new_count,
    anonymous_likes_go_to_login_and_back,
);

async fn like_then_unlike_updates_the_count_and_button(db: TestDb) {
    let app = TestApp::on(db).await;
    let slug = app
        .publish("Storm warning", "Winds tonight.", "Weather")
        .await;
    let (reader, _) = app.user(Role::Reader).await;

    let page = reader.like(&slug, "like").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.data_count("likes"), 1);
    assert!(page.body.contains("aria-pressed=\"true\""));
    assert!(page.body.contains("name=\"action\" value=\"unlike\""));

    let page = reader.like(&slug, "like").await;
    assert_eq!(page.data_count("likes"), 1, "liking again keeps one like");

    let page = reader.like(&slug, "unlike").await;
    assert_eq!(page.data_count("likes"), 0);
    assert!(page.body.contains("aria-pressed=\"false\""));
    let page = reader.like(&slug, "unlike").await;
    assert_eq!(
        page.data_count("likes"),
        0,
        "unliking again changes nothing"
    );
}

async fn concurrent_likes_by_one_user_give_one_like(db: TestDb) {
    let app = TestApp::on(db).await;
    let slug = app.publish("Concurrency", "Press many times.", "").await;
    let (reader, _) = app.user(Role::Reader).await;
    let csrf = reader.get(&format!("/articles/{slug}")).await.csrf();
    let presses = (0..16).map(|_| {
        let reader = reader.clone();
        let (slug, csrf) = (slug.clone(), csrf.clone());
        tokio::spawn(async move {
            reader
                .client
                .post(reader.url(&format!("/articles/{slug}/like")))
                .header("accept", "application/json")
                .form(&[("csrf", csrf.as_str()), ("action", "like")])
                .send()
                .await
                .expect("press")
                .status()
        })
    });
    for press in presses.collect::<Vec<_>>() {
        assert_eq!(press.await.expect("task"), StatusCode::OK);
    }
    let page = app.browser().get(&format!("/articles/{slug}")).await;
    assert_eq!(page.data_count("likes"), 1);
}

async fn concurrent_likes_by_many_users_are_all_counted(db: TestDb) {
    let app = TestApp::on(db).await;
    let slug = app.publish("Popular", "Everyone likes it.", "").await;
    let mut readers = Vec::new();
    for _ in 0..6 {
        readers.push(app.user(Role::Reader).await.0);
    }
    let mut tasks = Vec::new();
    for reader in readers {
        let slug = slug.clone();
        let csrf = reader.get(&format!("/articles/{slug}")).await.csrf();
        tasks.push(tokio::spawn(async move {
            let url = reader.url(&format!("/articles/{slug}/like"));
            for _ in 0..3 {
                reader
                    .client
                    .post(&url)
                    .form(&[("csrf", csrf.as_str()), ("action", "like")])
                    .send()
                    .await
                    .expect("press");
            }
        }));
    }
    for task in tasks {
        task.await.expect("task");
    }
    let page = app.browser().get(&format!("/articles/{slug}")).await;
    assert_eq!(page.data_count("likes"), 6);
}

async fn the_script_gets_json_with_the_new_count(db: TestDb) {
    let app = TestApp::on(db).await;
    let slug = app.publish("Json likes", "Body.", "").await;
    let (reader, _) = app.user(Role::Reader).await;
    let csrf = reader.get(&format!("/articles/{slug}")).await.csrf();
    let response = reader
        .client
        .post(reader.url(&format!("/articles/{slug}/like")))
        .header("accept", "application/json")
        .header("x-csrf-token", &csrf)
        .form(&[("action", "like")])
        .send()
        .await
        .expect("like");
    assert_eq!(response.status(), StatusCode::OK);
    let json: serde_json::Value =
        serde_json::from_str(&response.text().await.expect("body")).expect("json");
    assert_eq!(json, serde_json::json!({ "liked": true, "likes": 1 }));
}

async fn anonymous_likes_go_to_login_and_back(db: TestDb) {
    let app = TestApp::on(db).await;
    let slug = app.publish("Login first", "Body.", "").await;
    let reader = app.browser();
    let csrf = reader.get("/login").await.csrf();
    let article = reader.url(&format!("/articles/{slug}"));
    let response = reader
        .client
        .post(format!("{article}/like"))
        .header("referer", &article)
        .form(&[("csrf", csrf.as_str()), ("action", "like")])
        .send()
        .await
        .expect("like");
    assert!(
        response
            .url()
            .as_str()
            .ends_with(&format!("/login?next=/articles/{slug}")),
        "{}",
        response.url()
    );
    assert_eq!(
        app.browser()
            .get(&format!("/articles/{slug}"))
            .await
            .data_count("likes"),
        0
    );
}
