//! Cover images as pages use them: `/media/{id}/{file}` serves a stored
//! file for a year (an image's files never change: a new upload is a new
//! image), and `Cover`'s helpers write `src` and `srcset`.

use super::meta::SocialImage;
use crate::config::SiteConfig;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::Cover;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new().route("/media/{id}/{file}", get(serve_media))
}

impl Cover {
    fn url(&self, width: i64, ext: &str) -> String {
        format!("/media/{}/{width}.{ext}", self.id)
    }

    /// Every variant in one format, for `srcset`.
    pub fn srcset(&self, ext: &str) -> String {
        self.widths
            .iter()
            .map(|w| format!("{} {w}w", self.url(*w, ext)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The JPEG a browser without `srcset` shows: 960 wide, or the largest.
    pub fn src(&self) -> String {
        let width = self
            .widths
            .iter()
            .copied()
            .filter(|w| *w <= 960)
            .max()
            .or_else(|| self.widths.first().copied())
            .unwrap_or(self.width);
        self.url(width, "jpg")
    }

    /// The largest JPEG, as social cards, structured data and feeds show
    /// the picture.
    pub fn shared(&self, config: &SiteConfig) -> SocialImage {
        let width = self.widths.last().copied().unwrap_or(self.width);
        SocialImage {
            url: config.url(&self.url(width, "jpg")),
            width,
            height: self.height * width / self.width.max(1),
            alt: self.alt.clone(),
        }
    }
}

pub async fn serve_media(
    State(state): State<AppState>,
    Path((id, file)): Path<(String, String)>,
) -> AppResult<Response> {
    let content_type = match file.rsplit_once('.').map(|(_, ext)| ext) {
        Some("jpg") => "image/jpeg",
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        _ => return Err(AppError::NotFound),
    };
    let bytes = state
        .media
        .get(&id, &file)
        .await
        .map_err(|e| AppError::Internal(format!("media: {e}")))?
        .ok_or(AppError::NotFound)?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    Ok(response)
}
