//! Several instances on one PostgreSQL database are one site, and a lost
//! database costs requests a 503, not the server.

use crate::db::TestDb;
use crate::helpers::TestApp;
use newsroom::domain::user::Role;
use reqwest::StatusCode;
use std::sync::Arc;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

#[tokio::test]
async fn two_instances_on_one_database_are_one_site() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let a = TestApp::at_url(&db.url).await;
    let b = TestApp::at_url(&db.url).await;
    let slug = a.publish("Shared story", "Body.", "Shared").await;

    // A session made on A is valid on B, and so is its CSRF token.
    let (reader_a, name) = a.user(Role::Reader).await;
    let reader_b = reader_a.at(&b.base);
    assert!(
        reader_b
            .get("/")
            .await
            .body
            .contains(&format!("/authors/{name}"))
    );

    let page = reader_a.like(&slug, "like").await;
    assert_eq!(page.data_count("likes"), 1);
    reader_a.comment(&slug, "Said on A", None).await;
    let on_b = b.browser().get(&format!("/articles/{slug}")).await;
    assert_eq!(
        (on_b.data_count("likes"), on_b.data_count("comments")),
        (1, 1)
    );
    assert!(on_b.body.contains("Said on A"));

    // And the other way round, with B's own form.
    let page = reader_b.like(&slug, "unlike").await;
    assert_eq!(page.data_count("likes"), 0);
    let on_a = a.browser().get(&format!("/articles/{slug}")).await;
    assert_eq!(on_a.data_count("likes"), 0);
    assert!(
        a.browser()
            .get("/tags/shared")
            .await
            .body
            .contains("Shared story")
    );
}

/// A TCP relay between the app and PostgreSQL that the test can cut and
/// restore, standing in for a database that goes away and comes back.
struct Relay {
    port: u16,
    connections: Arc<tokio::sync::Mutex<JoinSet<()>>>,
    acceptor: tokio::task::JoinHandle<()>,
}

impl Relay {
    async fn start(port: u16) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("relay port");
        let port = listener.local_addr().expect("address").port();
        let connections = Arc::new(tokio::sync::Mutex::new(JoinSet::new()));
        let acceptor = tokio::spawn({
            let connections = connections.clone();
            async move {
                while let Ok((mut client, _)) = listener.accept().await {
                    connections.lock().await.spawn(async move {
                        if let Ok(mut server) = TcpStream::connect("127.0.0.1:5432").await {
                            let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                        }
                    });
                }
            }
        });
        Self {
            port,
            connections,
            acceptor,
        }
    }

    /// Drops every connection and stops listening.
    async fn cut(&self) {
        self.acceptor.abort();
        self.connections.lock().await.abort_all();
    }
}

#[tokio::test]
async fn a_lost_database_gives_503_and_the_site_recovers_by_itself() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let relay = Relay::start(0).await;
    let port = relay.port;
    // The same database and schema, reached through the relay.
    let url = db
        .url
        .replacen("127.0.0.1:5432", &format!("127.0.0.1:{port}"), 1);
    assert_ne!(url, db.url, "the test URL names 127.0.0.1:5432");
    let app = TestApp::at_url(&url).await;
    let slug = app.publish("Outage", "Body.", "").await;
    let (reader, _) = app.user(Role::Reader).await;
    reader.like(&slug, "like").await;

    relay.cut().await;
    let down = app.browser().get(&format!("/articles/{slug}")).await;
    assert_eq!(down.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        down.body.contains("briefly unavailable") && down.body.contains("class=\"site-header\"")
    );
    let ready = app.browser().get("/readyz").await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        app.browser().get("/healthz").await.status,
        StatusCode::OK,
        "the process itself is fine"
    );

    let _back = Relay::start(port).await;
    let up = app.browser().get(&format!("/articles/{slug}")).await;
    assert_eq!(up.status, StatusCode::OK, "recovered without a restart");
    assert_eq!(up.data_count("likes"), 1, "the acknowledged like survived");
    assert_eq!(app.browser().get("/readyz").await.status, StatusCode::OK);
}

#[test]
fn an_unreachable_database_at_start_is_one_line_and_a_failure() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_newsroom"))
        .args([
            "serve",
            "--database-url",
            "postgres://nobody@127.0.0.1:1/none",
        ])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("newsroom: cannot open the database at postgres://***@127.0.0.1:1/none"),
        "{stderr}"
    );
}

/// Asks `path` on `base` with only the given session cookie, until `check`
/// holds or five seconds pass: another instance learns of a change through
/// a notification, which takes a moment to arrive.
async fn eventually(
    base: &str,
    path: &str,
    token: &str,
    check: impl Fn(StatusCode, &str) -> bool,
) -> bool {
    let client = reqwest::Client::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let response = client
            .get(format!("{base}{path}"))
            .header("cookie", format!("nr_session={token}"))
            .send()
            .await
            .expect("request");
        let status = response.status();
        let body = response.text().await.expect("body");
        if check(status, &body) {
            return true;
        }
        if tokio::time::Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn logout_and_role_changes_on_one_instance_reach_the_others_cache() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let a = TestApp::at_url(&db.url).await;
    let b = TestApp::at_url(&db.url).await;

    let (reader, name) = a.user(Role::Reader).await;
    let token = reader.cookie("nr_session").expect("session");
    let signed_in = format!("/authors/{name}\"");
    // B reads the session once and then serves it from its cache.
    for _ in 0..2 {
        assert!(eventually(&b.base, "/", &token, |_, body| body.contains(&signed_in)).await);
    }
    assert!(
        eventually(&b.base, "/desk", &token, |status, _| status
            == StatusCode::FORBIDDEN)
        .await
    );
    let metrics = b.browser().get("/metrics").await.body;
    assert!(
        metrics.contains("cache_requests_total{cache=\"sessions\",result=\"hit\"}"),
        "{metrics}"
    );

    // An admin on A makes the reader an author: B lets them into the desk.
    let (admin, _) = a.user(Role::Admin).await;
    admin.change_role(&name, "author").await;
    assert!(
        eventually(&b.base, "/desk", &token, |status, _| status
            == StatusCode::OK)
        .await
    );

    // Logging out on A ends the session on B too.
    let csrf = reader.get("/").await.csrf();
    reader.post("/logout", &[("csrf", &csrf)]).await;
    assert!(
        eventually(&b.base, "/", &token, |_, body| !body.contains(&signed_in)
            && body.contains("href=\"/login"))
        .await,
        "B still honours a session that was ended on A"
    );
}
