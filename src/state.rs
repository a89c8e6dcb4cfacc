//! What every handler can reach: the store, keys, settings, the clock,
//! the media store and the tagger, cloned cheaply into each request.

use crate::auth::csrf::CsrfKey;
use crate::auth::token::TokenKey;
use crate::clock::Clock;
use crate::config::SiteConfig;
use crate::store::{Store, StoreError};
use std::sync::Arc;

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
    /// The site's rate limits.
    pub limiter: Arc<crate::limits::Limiter>,
    /// Hashes and checks passwords, a bounded number at once.
    pub passwords: Arc<crate::auth::password::Passwords>,
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
        let passwords = crate::auth::password::Passwords::new(
            config.max_concurrent_hashes,
            config.hash_queue_wait,
        );
        Ok(Self {
            limiter: Arc::new(crate::limits::Limiter::new(config.rate_limits.clone())),
            passwords: Arc::new(passwords),
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

            stop_streams: Arc::new(tokio::sync::watch::Sender::new(false)),
        })
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }
}

/// Lets extractors that need only the settings (`http::ClientAddress`)
/// take them without knowing the whole state.
impl axum::extract::FromRef<AppState> for Arc<SiteConfig> {
    fn from_ref(state: &AppState) -> Self {
        state.config.clone()
    }
}
