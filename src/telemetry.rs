//! Logs and metrics. Logs go through `tracing` to stderr (stdout carries
//! only what commands print for people), as text or JSON lines, filtered by
//! `RUST_LOG` (default: info). Metrics go to a Prometheus recorder that the
//! `/metrics` route renders.

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;
use tracing_subscriber::EnvFilter;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}

/// The process-wide Prometheus recorder, installed on first use.
pub fn metrics() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets(&[
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ])
            .unwrap_or_else(|_| PrometheusBuilder::new());
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        // Another recorder may already be installed (tests build several
        // apps in one process); this handle then still renders ours.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// Counts every request and records its latency, by route and status.
pub async fn track_requests(request: Request, next: Next) -> Response {
    let started = Instant::now();
    // The route pattern, not the path: one series per route, not per article.
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    let labels = [("route", route), ("method", method), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels)
        .record(started.elapsed().as_secs_f64());
    response
}

/// The header that carries a request's id, in and out.
const REQUEST_ID: &str = "x-request-id";

/// A request's id: the one a proxy in front gave it (if it is short and
/// printable), else a new one, unique within this process and unlikely to
/// repeat across instances.
fn request_id<B>(request: &axum::http::Request<B>) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    static PREFIX: OnceLock<String> = OnceLock::new();
    if let Some(given) = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_graphic()))
    {
        return given.to_owned();
    }
    let prefix = PREFIX.get_or_init(|| {
        // Random so that instances do not repeat each other's ids; the
        // process id is a fine stand-in if the OS cannot supply randomness.
        let mut bytes = [0u8; 4];
        match getrandom::fill(&mut bytes) {
            Ok(()) => bytes.iter().map(|b| format!("{b:02x}")).collect(),
            Err(_) => format!("{:08x}", std::process::id()),
        }
    });
    format!("{prefix}-{:x}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// A request's id, put in its extensions by `assign_request_id`.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Gives every request an id (the proxy's, or a new one), for its span and
/// its response's `x-request-id`, so a log line and a reader's report of a
/// failure can be matched.
pub async fn assign_request_id(mut request: Request, next: Next) -> Response {
    let id = request_id(&request);
    request.extensions_mut().insert(RequestId(id.clone()));
    let mut response = next.run(request).await;
    if let Ok(value) = axum::http::HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    response
}

/// The span every request runs in: its method, path (never the query,
/// which may hold what a reader searched for), matched route and id.
pub fn request_span<B>(request: &axum::http::Request<B>) -> tracing::Span {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str);
    let id = request
        .extensions()
        .get::<RequestId>()
        .map_or("", |id| id.0.as_str());
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        route,
        request.id = id,
    )
}

/// Runs `work` on the blocking pool inside the caller's span, so what it
/// logs (a failed hash, a broken image) names the request it served.
pub fn spawn_blocking_in_span<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> tokio::task::JoinHandle<T> {
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || span.in_scope(work))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_kept_when_sane_and_made_otherwise() {
        let with = |value: &str| {
            axum::http::Request::builder()
                .header(REQUEST_ID, value)
                .body(())
                .expect("request")
        };
        assert_eq!(request_id(&with("abc-123")), "abc-123");
        let made = request_id(&with(&"x".repeat(65)));
        assert_ne!(made, "x".repeat(65));
        assert_ne!(request_id(&with("")), request_id(&with("")));
    }
}
