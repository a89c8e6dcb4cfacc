//! For search engines: `/robots.txt`, the sitemap index `/sitemap.xml`
//! (articles, tags and authors in files of at most 50,000 addresses) and
//! the Google News sitemap `/news-sitemap.xml` (the last two days).

use crate::domain::time::machine;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/robots.txt", get(robots))
        .route("/sitemap.xml", get(sitemap_index))
        .route("/sitemaps/{file}", get(sitemap))
        .route("/news-sitemap.xml", get(news_sitemap))
}

/// The most addresses one sitemap file may hold (sitemaps.org).
pub const SITEMAP_MAX_URLS: i64 = 50_000;
/// Google News takes articles of the last two days, at most 1,000.
pub const NEWS_WINDOW_MILLIS: i64 = 2 * 24 * 3_600_000;
pub const NEWS_MAX_URLS: i64 = 1_000;

/// What a sitemap file lists, each split by id into files of
/// `SITEMAP_MAX_URLS` ids (so of at most that many addresses).
const KINDS: [&str; 3] = ["articles", "tags", "authors"];

#[derive(Template)]
#[template(path = "sitemaps/index.xml")]
struct SitemapIndex {
    sitemaps: Vec<String>,
}

struct Entry {
    url: String,
    lastmod: String,
}

#[derive(Template)]
#[template(path = "sitemaps/urls.xml")]
struct Sitemap {
    entries: Vec<Entry>,
}

struct NewsEntry {
    url: String,
    title: String,
    published: String,
}

#[derive(Template)]
#[template(path = "sitemaps/news.xml")]
struct NewsSitemap {
    publication: String,
    language: String,
    entries: Vec<NewsEntry>,
}

/// How many files list ids up to `largest`: at least one, so the index is
/// never empty.
fn files(largest: i64) -> i64 {
    ((largest + SITEMAP_MAX_URLS - 1) / SITEMAP_MAX_URLS).max(1)
}

fn respond(content_type: &'static str, body: String) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=600"),
    );
    response
}

pub async fn robots(State(state): State<AppState>) -> Response {
    let config = &state.config;
    // Forms, the desk, search results and the API are not for crawlers.
    let body = format!(
        "User-agent: *\nDisallow: /desk\nDisallow: /login\nDisallow: /register\n\
         Disallow: /search\nDisallow: /api/\n\nSitemap: {}\nSitemap: {}\n",
        config.url("/sitemap.xml"),
        config.url("/news-sitemap.xml")
    );
    respond("text/plain; charset=utf-8", body)
}

pub async fn sitemap_index(State(state): State<AppState>) -> AppResult<Response> {
    let (articles, tags, users) = state.store.largest_ids().await?;
    let mut sitemaps = Vec::new();
    for (kind, largest) in KINDS.iter().zip([articles, tags, users]) {
        for n in 1..=files(largest) {
            sitemaps.push(state.config.url(&format!("/sitemaps/{kind}-{n}.xml")));
        }
    }
    Ok(respond(
        "application/xml; charset=utf-8",
        SitemapIndex { sitemaps }.render()?,
    ))
}

/// `/sitemaps/{kind}-{n}.xml`: the n-th file of articles, tags or authors.
pub async fn sitemap(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> AppResult<Response> {
    let (kind, n) = file
        .strip_suffix(".xml")
        .and_then(|name| name.rsplit_once('-'))
        .and_then(|(kind, n)| Some((kind, n.parse::<i64>().ok().filter(|n| *n >= 1)?)))
        .filter(|(kind, _)| KINDS.contains(kind))
        .ok_or(AppError::NotFound)?;
    let (articles, tags, users) = state.store.largest_ids().await?;
    let largest = match kind {
        "articles" => articles,
        "tags" => tags,
        _ => users,
    };
    if n > files(largest) {
        return Err(AppError::NotFound);
    }
    let to = n * SITEMAP_MAX_URLS;
    let from = to - SITEMAP_MAX_URLS;
    let now = state.now();
    let store = &state.store;
    let (rows, prefix) = match kind {
        "articles" => (store.sitemap_articles(from, to, now).await?, "/articles/"),
        "tags" => (store.sitemap_tags(from, to, now).await?, "/tags/"),
        _ => (store.sitemap_authors(from, to, now).await?, "/authors/"),
    };
    let entries = rows
        .into_iter()
        .map(|(key, changed)| Entry {
            url: state.config.url(&format!("{prefix}{key}")),
            lastmod: machine(changed),
        })
        .collect();
    Ok(respond(
        "application/xml; charset=utf-8",
        Sitemap { entries }.render()?,
    ))
}

pub async fn news_sitemap(State(state): State<AppState>) -> AppResult<Response> {
    let now = state.now();
    let articles = state
        .store
        .news_articles(now - NEWS_WINDOW_MILLIS, NEWS_MAX_URLS, now)
        .await?;
    let config = &state.config;
    let entries = articles
        .into_iter()
        .map(|(slug, title, published)| NewsEntry {
            url: config.url(&format!("/articles/{slug}")),
            title,
            published: machine(published),
        })
        .collect();
    let page = NewsSitemap {
        publication: config.site_name.as_str().to_owned(),
        // Google News wants the ISO 639 code ("en", "zh-cn"), lower-case.
        language: config.language.as_str().to_lowercase(),
        entries,
    };
    Ok(respond("application/xml; charset=utf-8", page.render()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_cover_every_id_with_at_most_the_limit_each() {
        assert_eq!(files(0), 1, "an empty site still has one file of each kind");
        assert_eq!(files(SITEMAP_MAX_URLS), 1);
        assert_eq!(files(SITEMAP_MAX_URLS + 1), 2);
        assert_eq!(files(1_000_000), 20);
    }
}
