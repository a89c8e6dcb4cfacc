//! The router: the one place that composes every surface's routes (each
//! resource module has its `router()`), and the middleware they pass through.

pub use crate::state::AppState;
use crate::web;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware;
use std::future::Future;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Every page and action of the site, one module per resource.
/// `upload_limit` bounds image uploads, the one kind of body larger than a form.
fn site(upload_limit: usize) -> Router<AppState> {
    Router::new()
        .merge(web::articles::router())
        .merge(web::likes::router())
        .merge(web::comments::router())
        .merge(web::live::router())
        .merge(web::feeds::router())
        .merge(web::sitemaps::router())
        .merge(web::search::router())
        .merge(web::session::router())
        .merge(web::desk::router(upload_limit))
        .merge(web::media::router())
        .merge(web::assets::router())
        .merge(web::ops::router())
}

pub fn router(state: AppState) -> Router {
    // The site knows its visitor by cookie, checks CSRF tokens and renders
    // error pages; the API authenticates by token header only and answers
    // in JSON, so the visitor layer wraps the site alone.
    let site = site(state.config.max_upload_bytes)
        .fallback(web::not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            web::visitor::visitor_layer,
        ));
    let api = crate::api::router().layer(crate::api::cors(&state.config));
    Router::new()
        .nest("/api", api)
        .merge(site)
        .layer(middleware::from_fn(crate::telemetry::track_requests))
        .layer(DefaultBodyLimit::max(crate::http::MAX_BODY_BYTES))
        .layer(security_header(
            "content-security-policy",
            CONTENT_SECURITY_POLICY,
        ))
        .layer(security_header("x-content-type-options", "nosniff"))
        .layer(security_header("x-frame-options", "DENY"))
        .layer(security_header("referrer-policy", "same-origin"))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        // The span names the request; a 5xx is logged where its cause is
        // known (AppError), so the layer's own failure line would be a
        // second one without the cause.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(crate::telemetry::request_span)
                .on_failure(()),
        )
        .layer(middleware::from_fn(crate::telemetry::assign_request_id))
        .with_state(state)
}

/// Only our own script, styles and forms; images may come from https hosts
/// because article bodies may embed them; no framing by other sites.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' https: data:; \
     script-src 'self'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; \
     base-uri 'none'; object-src 'none'";

fn security_header(name: &'static str, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(
        HeaderName::from_static(name),
        HeaderValue::from_static(value),
    )
}

/// Serves until `shutdown` completes. Takes a bound listener so tests can
/// listen on port 0.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limits = state.config.connections.clone();
    crate::server::serve(listener, router(state), limits, shutdown).await
}
