//! HTTP: routes, extractors and page rendering. Handlers parse input into
//! domain types, call the store, and render a template or redirect.

pub mod articles;
pub mod assets;
pub mod comments;
pub mod desk;
pub mod desk_tags;
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

use crate::app::AppState;
use crate::error::{AppError, AppResult};
use askama::Template;
use axum::Router;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use feeds::Format;
use serde::de::DeserializeOwned;

/// Every page and action of the site. `upload_limit` bounds image uploads,
/// the one kind of body larger than a form.
pub fn routes(upload_limit: usize) -> Router<AppState> {
    Router::new()
        .route("/", get(articles::front_page))
        .route("/articles/{slug}", get(articles::show_article))
        .route("/articles/{slug}/like", post(likes::like_article))
        .route("/articles/{slug}/comments", post(comments::add_comment))
        .route(
            "/articles/{slug}/comments/{id}",
            get(comments::comment_fragment),
        )
        .route("/articles/{slug}/events", get(live::article_events))
        .route(
            "/comments/{id}/edit",
            get(comments::edit_comment_form).post(comments::update_comment),
        )
        .route("/comments/{id}/delete", post(comments::delete_comment))
        .route("/comments/{id}/hide", post(comments::hide_comment))
        .route("/comments/{id}/unhide", post(comments::unhide_comment))
        .route("/tags/{slug}", get(articles::tag_page))
        .route("/authors/{username}", get(articles::author_page))
        .route("/feed.xml", get(|s, h| feeds::site_feed(s, h, Format::Rss)))
        .route(
            "/atom.xml",
            get(|s, h| feeds::site_feed(s, h, Format::Atom)),
        )
        .route(
            "/feed.json",
            get(|s, h| feeds::site_feed(s, h, Format::Json)),
        )
        .route("/tags/{slug}/{file}", get(feeds::tag_feed))
        .route("/robots.txt", get(sitemaps::robots))
        .route("/sitemap.xml", get(sitemaps::sitemap_index))
        .route("/sitemaps/{file}", get(sitemaps::sitemap))
        .route("/news-sitemap.xml", get(sitemaps::news_sitemap))
        .route("/authors/{username}/{file}", get(feeds::author_feed))
        .route("/search", get(search::search_page))
        .route("/login", get(session::login_form).post(session::login))
        .route(
            "/register",
            get(session::register_form).post(session::register),
        )
        .route("/logout", post(session::logout))
        .route("/desk", get(desk::desk_index))
        .route(
            "/desk/new",
            get(desk::new_article_form).post(desk::create_article),
        )
        .route(
            "/desk/articles/{id}",
            get(desk::edit_article_form).post(desk::save_article),
        )
        .route(
            "/desk/articles/{id}/delete",
            get(desk::delete_article_form).post(desk::delete_article),
        )
        .route(
            "/desk/articles/{id}/cover",
            post(desk::upload_cover).layer(axum::extract::DefaultBodyLimit::max(
                upload_limit + visitor::UPLOAD_FORM_ROOM,
            )),
        )
        .route("/desk/articles/{id}/cover/remove", post(desk::remove_cover))
        .route("/media/{id}/{file}", get(media::serve_media))
        .route("/desk/tags", get(desk_tags::tags_index))
        .route(
            "/desk/tags/{slug}",
            get(desk_tags::tag_form).post(desk_tags::save_tag),
        )
        .route("/desk/users", get(desk::users_index))
        .route("/desk/users/{id}/role", post(desk::set_user_role))
        .route("/static/site.css", get(assets::stylesheet))
        .route("/static/site.js", get(assets::script))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
}

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

/// Percent-encodes a value for a query string.
pub fn encode_query(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
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

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(encode_query("/a b?c=d&e"), "/a%20b%3Fc%3Dd%26e");
    }
}
