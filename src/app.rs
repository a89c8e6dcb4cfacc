//! Application state and the router: the one place that lists every route
//! and the middleware they pass through.

use crate::api::token::TokenKey;
use crate::auth::csrf::CsrfKey;
use crate::clock::Clock;
use crate::config::SiteConfig;
use crate::store::{Store, StoreError};
use crate::web;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// The largest request body accepted: room for a long article in a form.
pub const MAX_BODY_BYTES: usize = 512 * 1024;

#[derive(Clone, Debug)]
pub struct AppState {
    pub store: Store,
    pub csrf: Arc<CsrfKey>,
    /// Signs and checks the JSON API's tokens.
    pub tokens: Arc<TokenKey>,
    pub config: Arc<SiteConfig>,
    /// Where cover images are kept.
    pub media: crate::media::MediaStore,
    /// One permit per core for preparing uploads: each holds a decoded
    /// photo (up to a few hundred MB for the largest accepted), so a burst
    /// of uploads waits its turn instead of exhausting memory.
    pub image_work: Arc<tokio::sync::Semaphore>,
    pub clock: Clock,
    /// The entity extractor with what it knows of the site's tags.
    pub tagger: Arc<crate::tagging::Tagger>,
    /// Verified against when a login names no account, so timing does not
    /// tell which accounts exist.
    pub dummy_hash: Arc<String>,
    /// Set when the server shuts down: open event streams end, so they do
    /// not hold the shutdown for its whole grace period.
    pub stop_streams: Arc<tokio::sync::watch::Sender<bool>>,
}

impl AppState {
    /// How saves apply automatic tags on this site.
    pub fn tagging(&self) -> crate::editorial::Tagging<'_> {
        crate::editorial::Tagging {
            tagger: &self.tagger,
            auto_confidence: self.config.auto_tag_confidence,
        }
    }

    pub async fn new(store: Store, config: SiteConfig, clock: Clock) -> Result<Self, StoreError> {
        // Installed before the first request so every route is recorded.
        crate::telemetry::metrics();
        let key = store
            .site_key("csrf", &crate::auth::random_bytes::<32>())
            .await?;
        let token_key = match &config.jwt_secret {
            Some(secret) => secret.expose().as_bytes().to_vec(),
            None => {
                store
                    .site_key("jwt", &crate::auth::random_bytes::<32>())
                    .await?
            }
        };
        let media = crate::media::MediaStore::local(&config.media_dir).map_err(|e| {
            StoreError::Config(format!(
                "cannot use the media directory {}: {e}",
                config.media_dir.display()
            ))
        })?;
        Ok(Self {
            media,
            image_work: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
            )),
            tokens: Arc::new(TokenKey::new(token_key)),
            store,
            csrf: Arc::new(CsrfKey::new(key)),
            config: Arc::new(config),
            clock,
            tagger: Arc::default(),
            dummy_hash: Arc::new(crate::auth::password::dummy_hash().await),
            stop_streams: Arc::new(tokio::sync::watch::Sender::new(false)),
        })
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }
}

pub fn router(state: AppState) -> Router {
    // The site knows its visitor by cookie, checks CSRF tokens and renders
    // error pages; the API authenticates by token header only and answers
    // in JSON, so the visitor layer wraps the site alone.
    let site = web::routes(state.config.max_upload_bytes)
        .fallback(web::not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            web::visitor::visitor_layer,
        ));
    let api = crate::api::routes().layer(crate::api::cors(&state.config));
    Router::new()
        .nest("/api", api)
        .merge(site)
        .layer(middleware::from_fn(crate::telemetry::track_requests))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
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
        .layer(TraceLayer::new_for_http())
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
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
