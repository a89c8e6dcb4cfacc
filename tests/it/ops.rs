//! What load balancers and operators rely on: health, readiness, metrics,
//! shutdown and log format.

use crate::db::TestDb;
use crate::helpers::Server;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use std::io::{Read, Write};

crate::on_both_backends!(health_readiness_and_metrics_answer);

async fn health_readiness_and_metrics_answer(db: TestDb) {
    let app = TestApp::on(db).await;
    let browser = app.browser();
    assert_eq!(browser.get("/healthz").await.status, StatusCode::OK);
    let ready = browser.get("/readyz").await;
    assert_eq!(
        (ready.status, ready.body.as_str()),
        (StatusCode::OK, "ready")
    );
    let slug = app.publish("Counted", "Body.", "").await;
    browser.get(&format!("/articles/{slug}")).await;
    browser.get("/articles/missing").await;
    let metrics = browser.get("/metrics").await;
    assert_eq!(metrics.status, StatusCode::OK);
    let body = metrics.body;
    assert!(
        body.lines().any(|l| l.starts_with("http_requests_total{")
            && l.contains("route=\"/articles/{slug}\"")
            && l.contains("status=\"200\"")),
        "{body}"
    );
    assert!(body.contains("route=\"/articles/{slug}\"") && body.contains("status=\"404\""));
    assert!(
        body.contains("http_request_duration_seconds_bucket{"),
        "latency histogram"
    );
    assert!(body.contains("live_watched_articles "), "live watchers");
    assert!(
        body.contains("db_pool_connections{state=\"open\"}"),
        "pool use"
    );
}

#[test]
fn sigterm_lets_requests_in_flight_finish_then_exits_zero() {
    let db = TestDb::sqlite();
    let server = Server::start(&db.url, &["--shutdown-grace-seconds", "10"], &[]);
    let addr = server.addr.clone();
    // A request whose body is still arriving when the signal comes.
    let mut stream = std::net::TcpStream::connect(&addr).expect("connect");
    write!(
        stream,
        "POST /login HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10\r\nConnection: close\r\n\r\nlogin"
    )
    .expect("head");
    stream.flush().expect("flush");
    std::thread::sleep(std::time::Duration::from_millis(300));
    server.terminate();
    std::thread::sleep(std::time::Duration::from_millis(300));
    stream.write_all(b"=x&y=").expect("rest of the body");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("response");
    assert!(
        response.starts_with("HTTP/1.1 403"),
        "the request in flight was answered: {response}"
    );
    let (exit, _) = server.wait();
    assert!(exit.success(), "exits 0 after draining: {exit:?}");
    assert!(
        std::net::TcpStream::connect(&addr).is_err(),
        "no longer accepting"
    );
}

#[test]
fn json_logs_are_one_object_per_line() {
    let db = TestDb::sqlite();
    let server = Server::start(&db.url, &["--log-format", "json"], &[]);
    let addr = server.addr.clone();
    let mut stream = std::net::TcpStream::connect(&addr).expect("connect");
    write!(
        stream,
        "GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("response");
    let (_, logs) = server.stop();
    let lines: Vec<&str> = logs.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(!lines.is_empty(), "something was logged");
    for line in lines {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(
            value.get("level").is_some() && value.get("timestamp").is_some(),
            "{line}"
        );
    }
}

#[test]
fn a_request_id_is_echoed_and_names_the_request_in_its_log_lines() {
    let db = TestDb::sqlite();
    let server = Server::start(
        &db.url,
        &["--log-format", "json"],
        &[("RUST_LOG", "info,tower_http=debug")],
    );
    let addr = server.addr.clone();
    let get = |path: &str, id: Option<&str>| {
        let mut stream = std::net::TcpStream::connect(&addr).expect("connect");
        let header = id.map_or(String::new(), |id| format!("X-Request-Id: {id}\r\n"));
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{header}Connection: close\r\n\r\n"
        )
        .expect("request");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("response");
        response.to_lowercase()
    };
    let given = get("/articles/no-such-story", Some("proxy-id-7"));
    assert!(given.contains("x-request-id: proxy-id-7\r\n"), "{given}");
    let made = get("/healthz", None);
    let id_line = made
        .lines()
        .find(|l| l.starts_with("x-request-id: "))
        .unwrap_or_else(|| panic!("no request id: {made}"));
    assert!(id_line.len() > "x-request-id: ".len(), "{id_line}");

    let (_, logs) = server.stop();
    let line = logs
        .lines()
        .find(|l| l.contains("proxy-id-7"))
        .unwrap_or_else(|| panic!("no log line names the request: {logs}"));
    let value: serde_json::Value = serde_json::from_str(line).expect("json");
    let span = &value["span"];
    assert_eq!(span["request.id"], "proxy-id-7", "{line}");
    assert_eq!(span["route"], "/articles/{slug}", "{line}");
    assert_eq!(span["path"], "/articles/no-such-story", "{line}");
}

/// `count` connections from `from` (a loopback address) that send half a
/// request's headers and then nothing, as a slow-loris client does.
async fn half_open(from: &str, to: &str, count: usize) -> Vec<tokio::net::TcpStream> {
    use tokio::io::AsyncWriteExt;
    let mut streams = Vec::new();
    for _ in 0..count {
        let socket = tokio::net::TcpSocket::new_v4().expect("socket");
        socket
            .bind(format!("{from}:0").parse().expect("address"))
            .expect("bind");
        let mut stream = socket
            .connect(to.parse().expect("address"))
            .await
            .expect("connect");
        // Once the server is out of descriptors a connection may be reset.
        let _ = stream
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            .await;
        streams.push(stream);
    }
    streams
}

/// What each connection reads until the server closes it (within `within`):
/// `None` for one still open then.
async fn read_until_closed(
    streams: Vec<tokio::net::TcpStream>,
    within: std::time::Duration,
) -> Vec<Option<String>> {
    use tokio::io::AsyncReadExt;
    let deadline = tokio::time::Instant::now() + within;
    let mut outcomes = Vec::new();
    for mut stream in streams {
        let mut read = Vec::new();
        let outcome = tokio::time::timeout_at(deadline, stream.read_to_end(&mut read)).await;
        outcomes.push(
            outcome
                .ok()
                .map(|_| String::from_utf8_lossy(&read).into_owned()),
        );
    }
    outcomes
}

async fn answers_health(base: &str) -> StatusCode {
    reqwest::Client::builder()
        .local_address(Some("127.0.0.1".parse().expect("address")))
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .expect("client")
        .get(format!("{base}/healthz"))
        .send()
        .await
        .expect("the site answers")
        .status()
}

#[tokio::test]
async fn half_open_connections_time_out_and_are_capped_per_address() {
    let db = TestDb::sqlite();
    let server = Server::start(
        &db.url,
        &[
            "--header-timeout-seconds",
            "1",
            "--max-connections-per-address",
            "40",
        ],
        &[],
    );
    let slow = half_open("127.0.0.2", &server.addr, 300).await;
    assert_eq!(
        answers_health(&server.base()).await,
        StatusCode::OK,
        "another client is answered while 300 sockets hang"
    );
    let outcomes = read_until_closed(slow, std::time::Duration::from_secs(15)).await;
    assert!(
        outcomes.iter().all(Option::is_some),
        "every half-open connection is closed: {} still open",
        outcomes.iter().filter(|o| o.is_none()).count()
    );
    let turned_away = outcomes
        .iter()
        .flatten()
        .filter(|read| read.starts_with("HTTP/1.1 429"))
        .count();
    assert!(
        turned_away > 0,
        "past 40 from one address, connections are told why"
    );
    let metrics = reqwest::get(format!("{}/metrics", server.base()))
        .await
        .expect("metrics")
        .text()
        .await
        .expect("body");
    // The server's own count is the truth: under load a client may see a
    // reset before it reads the 429 that was written.
    let refused: u64 = metrics
        .lines()
        .find_map(|line| line.strip_prefix("connections_refused_total{limit=\"per_address\"} "))
        .and_then(|value| value.trim().parse::<f64>().ok())
        .map(|value| value as u64)
        .unwrap_or_else(|| panic!("no per-address refusals counted: {metrics}"));
    assert!(
        refused >= 200,
        "most of 300 past 40 are refused ({refused})"
    );
    server.stop();
}

#[tokio::test]
async fn at_the_connection_cap_new_clients_wait_their_turn() {
    let db = TestDb::sqlite();
    let server = Server::start(
        &db.url,
        &["--header-timeout-seconds", "1", "--max-connections", "20"],
        &[],
    );
    let slow = half_open("127.0.0.3", &server.addr, 20).await;
    assert_eq!(
        answers_health(&server.base()).await,
        StatusCode::OK,
        "answered once the idle ones time out"
    );
    drop(slow);
    server.stop();
}

#[tokio::test]
async fn out_of_file_descriptors_the_site_recovers() {
    let db = TestDb::sqlite();
    let server = Server::start_with_file_limit(
        &db.url,
        128,
        &[
            "--header-timeout-seconds",
            "1",
            "--max-connections",
            "1000",
            "--max-connections-per-address",
            "0",
        ],
    );
    // More than the process can hold open: accepting fails for a while.
    let slow = half_open("127.0.0.4", &server.addr, 400).await;
    assert_eq!(answers_health(&server.base()).await, StatusCode::OK);
    drop(slow);
    assert_eq!(answers_health(&server.base()).await, StatusCode::OK);
    let (status, logs) = server.stop();
    assert!(status.success(), "{logs}");
    assert!(logs.contains("cannot accept a connection"), "{logs}");
}
