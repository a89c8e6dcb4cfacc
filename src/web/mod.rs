//! The site: one module per resource, each with its `router()` (composed in
//! `app.rs`), plus the visitor layer, page metadata and the helpers every
//! handler uses to render. Handlers extract, call the store or a shared
//! step, and render a template or redirect.

pub mod articles;
pub mod assets;
pub mod comments;
pub mod desk;
pub mod feeds;
pub mod likes;
pub mod live;
pub mod media;
pub mod meta;
pub mod ops;
pub mod search;
pub mod session;
pub mod sitemaps;
pub mod visitor;

use crate::error::{AppError, AppResult};
use askama::Template;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::de::DeserializeOwned;

pub async fn not_found() -> AppError {
    AppError::NotFound
}

/// Renders a template as an HTML page. Pages carry per-visitor tokens, so
/// shared caches must not keep them.
pub fn render(template: &impl Template) -> AppResult<Response> {
    render_with_status(axum::http::StatusCode::OK, template)
}

pub fn render_with_status(
    status: axum::http::StatusCode,
    template: &impl Template,
) -> AppResult<Response> {
    let mut response = (status, Html(template.render()?)).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    Ok(response)
}

/// A 303 redirect, so that a browser follows a form POST with a GET.
pub fn see_other(location: &str) -> Response {
    Redirect::to(location).into_response()
}

/// True when the caller is our script asking for JSON instead of a page.
pub fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// Where to go after logging in: only a path on this site, never another
/// host (`//evil.example` and `/\evil.example` are other hosts to browsers).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control) =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// A form body. Unlike `axum::Form`, a malformed body becomes the site's
/// 400 page and an oversized one its 413 page.
pub struct Form<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Form<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(value)) => Ok(Form(value)),
            Err(rejection) if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                Err(AppError::PayloadTooLarge)
            }
            Err(rejection) => Err(AppError::BadRequest(format!(
                "The form could not be read: {}",
                rejection.body_text()
            ))),
        }
    }
}

/// Parses a numeric id from a path; anything else is simply not found.
pub fn parse_id(raw: &str) -> AppResult<i64> {
    raw.parse().map_err(|_| AppError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_always_a_local_path() {
        assert_eq!(safe_next(Some("/articles/x?y=1")), "/articles/x?y=1");
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "",
            "javascript:x",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
