//! Live updates of an open article page over Server-Sent Events: counts
//! and new comments as other readers act, catching up after a reconnect,
//! nothing kept for articles nobody watches, and (on PostgreSQL) changes on
//! one instance reaching pages open on another.

use crate::db::TestDb;
use crate::helpers::TestApp;
use newsroom::domain::user::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

crate::on_both_backends!(
    an_open_article_hears_likes_and_comments_as_they_happen,
    a_reconnecting_page_catches_up_on_missed_comments,
    comments_fetched_for_the_page_are_only_visible_ones_of_live_articles,
    nobody_watching_keeps_nothing,
);

/// One event of a stream.
#[derive(Debug)]
struct Event {
    name: String,
    id: Option<String>,
    data: Value,
}

/// An open event stream, read as a browser's EventSource would.
struct Stream {
    response: reqwest::Response,
    buffer: String,
}

impl Stream {
    async fn open(app: &TestApp, slug: &str, last_event_id: Option<i64>) -> Self {
        let mut request =
            reqwest::Client::new().get(format!("{}/articles/{slug}/events", app.base));
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id.to_string());
        }
        let response = request.send().await.expect("stream");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        Self {
            response,
            buffer: String::new(),
        }
    }

    /// The next event (not a keep-alive comment), within five seconds.
    async fn next(&mut self) -> Event {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let (mut name, mut id, mut data) = (String::from("message"), None, String::new());
                for line in block.lines() {
                    match line.split_once(':') {
                        Some(("event", value)) => name = value.trim().to_owned(),
                        Some(("id", value)) => id = Some(value.trim().to_owned()),
                        Some(("data", value)) => data.push_str(value.trim()),
                        _ => {}
                    }
                }
                if data.is_empty() {
                    continue;
                }
                let data = serde_json::from_str(&data).unwrap_or_else(|e| panic!("{e}: {data}"));
                return Event { name, id, data };
            }
            let chunk = tokio::time::timeout_at(deadline.into(), self.response.chunk())
                .await
                .expect("an event within five seconds")
                .expect("read")
                .expect("the stream stays open");
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

async fn an_open_article_hears_likes_and_comments_as_they_happen(db: TestDb) {
    let app = TestApp::on(db).await;
    let slug = app.publish("Tram line opens", "Body.", "Transport").await;
    let mut stream = Stream::open(&app, &slug, None).await;
    let first = stream.next().await;
    assert_eq!(
        (first.name.as_str(), &first.data),
        ("counts", &json!({ "likes": 0, "comments": 0 }))
    );
    assert_eq!(first.id.as_deref(), Some("0"), "no comment yet");

    let (reader, _) = app.user(Role::Reader).await;
    reader.like(&slug, "like").await;
    let event = stream.next().await;
    assert_eq!(
        (event.name.as_str(), &event.data),
        ("counts", &json!({ "likes": 1, "comments": 0 }))
    );

    let page = reader.comment(&slug, "First!", None).await;
    let id = crate::helpers::comment_id(&page.url);
    let event = stream.next().await;
    assert_eq!(event.data, json!({ "likes": 1, "comments": 1 }));
    let event = stream.next().await;
    assert_eq!(event.name, "comment");
    assert_eq!(
        event.id,
        Some(id.to_string()),
        "so a reconnect resumes after it"
    );
    assert_eq!(event.data, json!({ "id": id, "parent_id": null }));

    reader.comment(&slug, "And a reply.", Some(id)).await;
    assert_eq!(stream.next().await.data["comments"], 2);
    assert_eq!(stream.next().await.data["parent_id"], id);
    reader.like(&slug, "unlike").await;
    assert_eq!(
        stream.next().await.data,
        json!({ "likes": 0, "comments": 2 })
    );
}

async fn a_reconnecting_page_catches_up_on_missed_comments(db: TestDb) {
    let app = TestApp::on(db).await;
    let slug = app.publish("Tram line opens", "Body.", "").await;
    let (reader, _) = app.user(Role::Reader).await;
    let mut ids = Vec::new();
    for body in ["One.", "Two.", "Three."] {
        ids.push(crate::helpers::comment_id(
            &reader.comment(&slug, body, None).await.url,
        ));
    }
    let mut stream = Stream::open(&app, &slug, Some(ids[0])).await;
    let counts = stream.next().await;
    assert_eq!(
        (counts.name.as_str(), counts.id.clone()),
        ("counts", Some(ids[2].to_string()))
    );
    let missed: Vec<Value> = vec![stream.next().await.data, stream.next().await.data];
    assert_eq!(
        missed,
        [
            json!({ "id": ids[1], "parent_id": null }),
            json!({ "id": ids[2], "parent_id": null })
        ]
    );
}

async fn comments_fetched_for_the_page_are_only_visible_ones_of_live_articles(db: TestDb) {
    let app = TestApp::on(db).await;
    let slug = app.publish("Tram line opens", "Body.", "").await;
    let other = app.publish("Budget day", "Body.", "").await;
    let (reader, name) = app.user(Role::Reader).await;
    let id = crate::helpers::comment_id(&reader.comment(&slug, "Seen *by all*.", None).await.url);
    let anonymous = app
        .browser()
        .get(&format!("/articles/{slug}/comments/{id}"))
        .await;
    assert_eq!(anonymous.status, StatusCode::OK);
    assert!(anonymous.body.contains(&format!("id=\"comment-{id}\"")));
    assert!(anonymous.body.contains("<em>by all</em>") && anonymous.body.contains(&name));
    assert!(
        !anonymous.body.contains("<form"),
        "no forms for a reader who is not logged in"
    );
    let own = reader.get(&format!("/articles/{slug}/comments/{id}")).await;
    assert!(
        own.body.contains("Post reply") && own.body.contains("Delete"),
        "their own, with their forms"
    );
    assert_eq!(
        app.browser()
            .get(&format!("/articles/{other}/comments/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND,
        "not that article's"
    );
    let editor = app.editor().await;
    editor
        .submit(
            &format!("/articles/{slug}"),
            &format!("/comments/{id}/hide"),
            &[],
        )
        .await;
    assert_eq!(
        app.browser()
            .get(&format!("/articles/{slug}/comments/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND,
        "hidden"
    );
    assert_eq!(
        app.browser().get("/articles/nothing/events").await.status,
        StatusCode::NOT_FOUND
    );
}

async fn nobody_watching_keeps_nothing(db: TestDb) {
    let app = TestApp::on(db).await;
    let slug = app.publish("Tram line opens", "Body.", "").await;
    let (reader, _) = app.user(Role::Reader).await;
    reader.like(&slug, "like").await;
    assert_eq!(app.store().watched_articles(), 0);
    let mut stream = Stream::open(&app, &slug, None).await;
    stream.next().await;
    assert_eq!(app.store().watched_articles(), 1);
    drop(stream);
    // The server notices the reader has gone when it next writes to them,
    // the live update of this like at the latest.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        reader.like(&slug, "unlike").await;
        if app.store().watched_articles() == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "the gone watcher is forgotten");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn pages_open_on_one_instance_hear_changes_made_on_another() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let first = TestApp::on(db).await;
    let second = TestApp::at_url(first.db_url()).await;
    let slug = first.publish("Tram line opens", "Body.", "").await;
    let mut stream = Stream::open(&second, &slug, None).await;
    stream.next().await;
    let (reader, _) = first.user(Role::Reader).await;
    reader.like(&slug, "like").await;
    assert_eq!(
        stream.next().await.data,
        json!({ "likes": 1, "comments": 0 })
    );
    let id = crate::helpers::comment_id(&reader.comment(&slug, "Hello.", None).await.url);
    assert_eq!(stream.next().await.data["comments"], 1);
    assert_eq!(stream.next().await.data["id"], id);
}
