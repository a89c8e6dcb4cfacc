//! Feeds of the newest articles: RSS 2.0, Atom 1.0 and JSON Feed 1.1, for
//! the whole site (`/feed.xml`, `/atom.xml`, `/feed.json`), each tag
//! (`/tags/{slug}/…`) and each author (`/authors/{username}/…`); with each
//! article's summary or full text, by setting. An ETag and Last-Modified
//! let feed readers poll cheaply: an unchanged feed answers 304.

use super::meta::SocialImage;
use crate::config::{FeedContent, SiteConfig};
use crate::domain::time::{http_date, parse_http_date, rfc3339_millis};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::{ArticleCard, Listing};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;
use sha2::{Digest, Sha256};

/// The site's feeds, and each tag's and author's (`{file}` names the format).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/feed.xml", get(|s, h| site_feed(s, h, Format::Rss)))
        .route("/atom.xml", get(|s, h| site_feed(s, h, Format::Atom)))
        .route("/feed.json", get(|s, h| site_feed(s, h, Format::Json)))
        .route("/tags/{slug}/{file}", get(tag_feed))
        .route("/authors/{username}/{file}", get(author_feed))
}

/// How many of the newest articles a feed carries.
pub const FEED_SIZE: i64 = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Rss,
    Atom,
    Json,
}

impl Format {
    /// The format a feed file name asks for.
    fn of_file(file: &str) -> Option<Self> {
        match file {
            "feed.xml" => Some(Format::Rss),
            "atom.xml" => Some(Format::Atom),
            "feed.json" => Some(Format::Json),
            _ => None,
        }
    }

    fn file(self) -> &'static str {
        match self {
            Format::Rss => "feed.xml",
            Format::Atom => "atom.xml",
            Format::Json => "feed.json",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Format::Rss => "application/rss+xml; charset=utf-8",
            Format::Atom => "application/atom+xml; charset=utf-8",
            Format::Json => "application/feed+json; charset=utf-8",
        }
    }
}

/// A feed, whatever its format.
#[derive(Debug)]
pub struct Feed {
    title: String,
    description: String,
    language: String,
    /// The page the feed follows.
    page_url: String,
    self_url: String,
    /// The newest change among the items; none for an empty feed.
    updated: Option<i64>,
    items: Vec<Item>,
}

#[derive(Debug)]
struct Item {
    title: String,
    url: String,
    summary: String,
    /// The full text, when feeds carry it.
    content_html: Option<String>,
    published: i64,
    modified: i64,
    author: String,
    author_url: String,
    /// (name, page URL)
    tags: Vec<(String, String)>,
    /// The cover, for readers that show a picture with each entry.
    image: Option<SocialImage>,
}

impl Feed {
    fn updated_http(&self) -> Option<String> {
        self.updated.map(http_date)
    }

    fn updated_rfc3339(&self) -> String {
        rfc3339_millis(self.updated.unwrap_or_default())
    }
}

impl Item {
    fn published_http(&self) -> String {
        http_date(self.published)
    }

    fn published_rfc3339(&self) -> String {
        rfc3339_millis(self.published)
    }

    fn modified_rfc3339(&self) -> String {
        rfc3339_millis(self.modified)
    }
}

#[derive(Template)]
#[template(path = "feeds/rss.xml")]
struct RssFeed<'a> {
    feed: &'a Feed,
}

#[derive(Template)]
#[template(path = "feeds/atom.xml")]
struct AtomFeed<'a> {
    feed: &'a Feed,
}

/// What a feed is of: its title, description and page.
struct Scope<'a> {
    listing: Listing<'a>,
    title: String,
    description: String,
    /// "" for the site, "/tags/x" or "/authors/x".
    path: String,
}

pub async fn site_feed(
    state: State<AppState>,
    headers: HeaderMap,
    format: Format,
) -> AppResult<Response> {
    let config = &state.config;
    let site = config.site_name.as_str();
    let scope = Scope {
        listing: Listing::All,
        title: site.to_owned(),
        description: format!("The latest news from {site}."),
        path: String::new(),
    };
    respond(&state, &headers, scope, format).await
}

pub async fn tag_feed(
    State(state): State<AppState>,
    Path((slug, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let format = Format::of_file(&file).ok_or(AppError::NotFound)?;
    let tag = state
        .store
        .tag_by_slug(&slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let site = state.config.site_name.as_str();
    let scope = Scope {
        listing: Listing::Tag(&tag.slug),
        title: format!("{site}: {}", tag.name),
        description: format!("Articles about {} from {site}.", tag.name),
        path: format!("/tags/{}", tag.slug),
    };
    respond(&state, &headers, scope, format).await
}

pub async fn author_feed(
    State(state): State<AppState>,
    Path((username, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let format = Format::of_file(&file).ok_or(AppError::NotFound)?;
    let author = state
        .store
        .profile(&username.to_lowercase(), None)
        .await?
        .ok_or(AppError::NotFound)?;
    let site = state.config.site_name.as_str();
    let scope = Scope {
        listing: Listing::Author(&author.username),
        title: format!("{site}: {}", author.username),
        description: format!("Articles by {} on {site}.", author.username),
        path: format!("/authors/{}", author.username),
    };
    respond(&state, &headers, scope, format).await
}

async fn respond(
    state: &AppState,
    headers: &HeaderMap,
    scope: Scope<'_>,
    format: Format,
) -> AppResult<Response> {
    let config = &state.config;
    let cards = state
        .store
        .list_published(scope.listing, None, FEED_SIZE, None, state.now())
        .await?;
    let etag = etag(config, format, &cards);
    let updated = cards.iter().map(modified).max();
    if not_modified(headers, &etag, updated) {
        return Ok(with_validators(
            StatusCode::NOT_MODIFIED.into_response(),
            &etag,
            updated,
        ));
    }
    let bodies = match config.feed_content {
        FeedContent::Full => {
            let ids: Vec<i64> = cards.iter().map(|c| c.id).collect();
            Some(state.store.article_bodies(&ids).await?)
        }
        FeedContent::Summary => None,
    };
    let items = cards
        .into_iter()
        .map(|card| Item {
            title: card.headline.clone(),
            url: config.url(&format!("/articles/{}", card.slug)),
            content_html: bodies.as_ref().and_then(|b| b.get(&card.id).cloned()),
            published: card.published_at,
            modified: modified(&card),
            author_url: config.url(&format!("/authors/{}", card.author)),
            tags: card
                .tags
                .iter()
                .map(|t| (t.name.clone(), config.url(&format!("/tags/{}", t.slug))))
                .collect(),
            image: card.cover.as_ref().map(|cover| cover.shared(config)),
            summary: card.summary,
            author: card.author,
        })
        .collect();
    let feed = Feed {
        title: scope.title,
        description: scope.description,
        language: config.language.as_str().to_owned(),
        page_url: config.url(if scope.path.is_empty() {
            "/"
        } else {
            &scope.path
        }),
        self_url: config.url(&format!("{}/{}", scope.path, format.file())),
        updated,
        items,
    };
    let body = match format {
        Format::Rss => RssFeed { feed: &feed }.render()?,
        Format::Atom => AtomFeed { feed: &feed }.render()?,
        Format::Json => json_feed(&feed).to_string(),
    };
    let mut response = body.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    Ok(with_validators(response, &etag, updated))
}

/// When an article last changed for its readers.
fn modified(card: &ArticleCard) -> i64 {
    card.revised_at
        .unwrap_or(card.published_at)
        .max(card.published_at)
}

/// Changes whenever anything a feed shows could: which articles, their
/// last changes, the format and the settings that shape it.
fn etag(config: &SiteConfig, format: Format, cards: &[ArticleCard]) -> String {
    let mut hash = Sha256::new();
    hash.update(format!(
        "{:?}|{:?}|{}|{}|{}",
        format,
        config.feed_content,
        config.base_url.as_str(),
        config.site_name.as_str(),
        config.language.as_str()
    ));
    for card in cards {
        hash.update(format!("|{}:{}", card.id, modified(card)));
    }
    format!("\"{}\"", crate::auth::hex(&hash.finalize()[..16]))
}

/// Whether the client's copy is current: its ETag matches, or (without
/// one) nothing changed since the time it names.
fn not_modified(headers: &HeaderMap, etag: &str, updated: Option<i64>) -> bool {
    if let Some(tags) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        return tags
            .split(',')
            .any(|t| t.trim() == "*" || t.trim().trim_start_matches("W/") == etag);
    }
    let since = headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_http_date);
    matches!((since, updated), (Some(since), Some(updated)) if updated / 1000 <= since / 1000)
}

fn with_validators(mut response: Response, etag: &str, updated: Option<i64>) -> Response {
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, value);
    }
    if let Some(value) = updated.and_then(|u| HeaderValue::from_str(&http_date(u)).ok()) {
        headers.insert(header::LAST_MODIFIED, value);
    }
    // Shared caches may keep a feed briefly: it is the same for everyone.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}

fn json_feed(feed: &Feed) -> serde_json::Value {
    let items: Vec<serde_json::Value> = feed
        .items
        .iter()
        .map(|item| {
            let mut entry = json!({
                "id": item.url,
                "url": item.url,
                "title": item.title,
                "summary": item.summary,
                "date_published": rfc3339_millis(item.published),
                "date_modified": rfc3339_millis(item.modified),
                "authors": [{ "name": item.author, "url": item.author_url }],
                "tags": item.tags.iter().map(|(name, _)| name).collect::<Vec<_>>(),
            });
            match &item.content_html {
                Some(html) => entry["content_html"] = json!(html),
                None => entry["content_text"] = json!(item.summary),
            }
            if let Some(image) = &item.image {
                entry["image"] = json!(image.url);
            }
            entry
        })
        .collect();
    json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "description": feed.description,
        "home_page_url": feed.page_url,
        "feed_url": feed.self_url,
        "language": feed.language,
        "items": items,
    })
}
