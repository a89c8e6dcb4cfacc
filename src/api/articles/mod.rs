//! Articles through the API: lists (with the spec's filters), the feed of
//! followed authors and one article (`reading`), writing (create, update,
//! delete) under the site's policy through the same `editorial` steps as the
//! desk (`writing`), and favorites, the site's likes (`favorites`). This file
//! holds the shapes they answer with.

mod favorites;
mod reading;
mod writing;

pub use reading::parse_query;

use super::profiles::Profile;
use crate::domain::article::Stage;
use crate::domain::time::rfc3339_millis;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::ArticleEntry;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(reading::list_articles, writing::create_article))
        .routes(routes!(reading::feed_articles))
        .routes(routes!(
            reading::show_article,
            writing::update_article,
            writing::delete_article
        ))
        .routes(routes!(
            favorites::favorite_article,
            favorites::unfavorite_article
        ))
}

pub const LIMIT_DEFAULT: i64 = 20;
pub const LIMIT_MAX: i64 = 100;
pub const OFFSET_MAX: i64 = 1_000_000;

/// Where an article stands (extension).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ArticleStatus {
    Draft,
    Scheduled,
    Published,
}

impl From<Stage> for ArticleStatus {
    fn from(stage: Stage) -> Self {
        match stage {
            Stage::Draft => ArticleStatus::Draft,
            Stage::Scheduled => ArticleStatus::Scheduled,
            Stage::Published => ArticleStatus::Published,
        }
    }
}

impl From<ArticleStatus> for Stage {
    fn from(status: ArticleStatus) -> Self {
        match status {
            ArticleStatus::Draft => Stage::Draft,
            ArticleStatus::Scheduled => Stage::Scheduled,
            ArticleStatus::Published => Stage::Published,
        }
    }
}

/// An article as lists show it: everything but the body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListedArticle {
    pub slug: String,
    pub title: String,
    pub description: String,
    /// Tag names, sorted.
    pub tag_list: Vec<String>,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
    /// Whether the caller likes it.
    pub favorited: bool,
    pub favorites_count: i64,
    pub author: Profile,
    /// Extension: draft, scheduled or published.
    pub status: ArticleStatus,
    /// Extension: when it went or goes live; null for a draft.
    #[schema(format = DateTime)]
    pub published_at: Option<String>,
    /// Extension: visible comments.
    pub comments_count: i64,
}

/// One article, with its Markdown body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Article {
    #[serde(flatten)]
    pub listed: ListedArticle,
    /// Markdown, as written.
    pub body: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SingleArticleResponse {
    pub article: Article,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MultipleArticlesResponse {
    pub articles: Vec<ListedArticle>,
    /// How many articles match, beyond this page too.
    pub articles_count: i64,
}

fn listed(article: &ArticleEntry, now: i64) -> ListedArticle {
    let mut tags: Vec<String> = article.tags.iter().map(|t| t.name.clone()).collect();
    tags.sort_unstable();
    let stage = article.stage(now);
    ListedArticle {
        slug: article.slug.clone(),
        title: article.headline.clone(),
        description: article.summary.clone(),
        tag_list: tags,
        created_at: rfc3339_millis(article.created_at),
        updated_at: rfc3339_millis(article.updated_at),
        favorited: article.liked,
        favorites_count: article.likes,
        author: (&article.author).into(),
        status: stage.into(),
        published_at: article
            .published_at
            .filter(|_| stage != Stage::Draft)
            .map(rfc3339_millis),
        comments_count: article.comments,
    }
}

fn single(article: &ArticleEntry, body: String, now: i64) -> Json<SingleArticleResponse> {
    Json(SingleArticleResponse {
        article: Article {
            listed: listed(article, now),
            body,
        },
    })
}

/// The live article at `slug` with its body, for favorites and comments;
/// anything else is not found.
pub async fn live_article(
    state: &AppState,
    slug: &str,
    viewer: Option<i64>,
) -> AppResult<(ArticleEntry, String)> {
    match state.store.article_entry(slug, viewer).await? {
        Some(found) if found.0.stage(state.now()) == Stage::Published => Ok(found),
        _ => Err(AppError::NotFound),
    }
}
