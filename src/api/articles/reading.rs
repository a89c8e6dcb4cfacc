//! Reading articles: lists with the spec's filters, the feed, one article.

use super::{LIMIT_DEFAULT, LIMIT_MAX, OFFSET_MAX, listed, single};
use super::{MultipleArticlesResponse, SingleArticleResponse};
use crate::api::auth::{ApiUser, MaybeApiUser};
use crate::api::error::GenericErrorModel;
use crate::domain::article::Stage;
use crate::domain::tag::TagName;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::ArticleFilter;
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use std::collections::HashMap;

/// The query string as name → value; an unreadable one is a 400 in the
/// API's error shape rather than the framework's plain text.
pub fn parse_query(raw: Option<String>) -> AppResult<HashMap<String, String>> {
    serde_urlencoded::from_str(raw.as_deref().unwrap_or_default())
        .map_err(|e| AppError::BadRequest(format!("unreadable query: {e}")))
}

/// Reads `limit` and `offset`; anything but a small non-negative number
/// is a field error.
fn paging(query: &HashMap<String, String>) -> AppResult<(i64, i64)> {
    let number = |name: &'static str, default: i64, max: i64| -> AppResult<i64> {
        match query.get(name) {
            None => Ok(default),
            Some(raw) => match raw.parse::<i64>() {
                Ok(n) if (0..=max).contains(&n) => Ok(n),
                _ => Err(AppError::field(
                    name,
                    format!("must be a whole number from 0 to {max}"),
                )),
            },
        }
    };
    Ok((
        number("limit", LIMIT_DEFAULT, LIMIT_MAX)?,
        number("offset", 0, OFFSET_MAX)?,
    ))
}

async fn list_json(
    state: &AppState,
    filter: ArticleFilter<'_>,
    query: &HashMap<String, String>,
    viewer: Option<i64>,
) -> AppResult<Json<MultipleArticlesResponse>> {
    let (limit, offset) = paging(query)?;
    let now = state.now();
    let articles = state
        .store
        .filtered_articles(filter, limit, offset, viewer, now)
        .await?;
    let count = state.store.count_filtered_articles(filter, now).await?;
    Ok(Json(MultipleArticlesResponse {
        articles: articles.iter().map(|a| listed(a, now)).collect(),
        articles_count: count,
    }))
}

/// Live articles, newest first; the filters combine.
#[utoipa::path(
    get,
    path = "/articles",
    tag = "Articles",
    operation_id = "GetArticles",
    params(
        ("tag" = Option<String>, Query, description = "A tag's name or slug"),
        ("author" = Option<String>, Query, description = "The author's username"),
        ("favorited" = Option<String>, Query, description = "Articles this username likes"),
        ("limit" = Option<i64>, Query, description = "At most this many (default 20)", minimum = 0, maximum = 100),
        ("offset" = Option<i64>, Query, description = "Skip this many", minimum = 0, maximum = 1000000),
    ),
    security((), ("Token" = [])),
    responses(
        (status = 200, description = "A page of articles", body = MultipleArticlesResponse),
        (status = 401, description = "A token was sent but is not valid", body = GenericErrorModel),
        (status = 422, description = "Invalid limit or offset", body = GenericErrorModel),
    )
)]
pub async fn list_articles(
    State(state): State<AppState>,
    MaybeApiUser(caller): MaybeApiUser,
    RawQuery(raw): RawQuery,
) -> AppResult<Json<MultipleArticlesResponse>> {
    let query = parse_query(raw)?;
    // Tags are unique by slug, and a tag's slug is derived from its name,
    // so a name and a slug find the same tag. Text that cannot name a tag
    // asks for the empty slug, which no tag has.
    let tag_slug = query
        .get("tag")
        .map(|tag| TagName::parse(tag).map_or(String::new(), |t| t.slug().as_str().to_owned()));
    let filter = ArticleFilter {
        tag_slug: tag_slug.as_deref(),
        author: query.get("author").map(String::as_str),
        favorited_by: query.get("favorited").map(String::as_str),
        ..ArticleFilter::default()
    };
    list_json(&state, filter, &query, caller.map(|c| c.user.id)).await
}

/// Live articles by the authors the caller follows, newest first.
#[utoipa::path(
    get,
    path = "/articles/feed",
    tag = "Articles",
    operation_id = "GetArticlesFeed",
    params(
        ("limit" = Option<i64>, Query, description = "At most this many (default 20)", minimum = 0, maximum = 100),
        ("offset" = Option<i64>, Query, description = "Skip this many", minimum = 0, maximum = 1000000),
    ),
    security(("Token" = [])),
    responses(
        (status = 200, description = "A page of articles", body = MultipleArticlesResponse),
        (status = 401, description = "No valid token", body = GenericErrorModel),
        (status = 422, description = "Invalid limit or offset", body = GenericErrorModel),
    )
)]
pub async fn feed_articles(
    State(state): State<AppState>,
    caller: ApiUser,
    RawQuery(raw): RawQuery,
) -> AppResult<Json<MultipleArticlesResponse>> {
    let query = parse_query(raw)?;
    let filter = ArticleFilter {
        followed_by: Some(caller.user.id),
        ..ArticleFilter::default()
    };
    list_json(&state, filter, &query, Some(caller.user.id)).await
}

/// One article. A draft or a scheduled article is shown only to whoever
/// may edit it; to everyone else it does not exist.
#[utoipa::path(
    get,
    path = "/articles/{slug}",
    tag = "Articles",
    operation_id = "GetArticle",
    params(("slug" = String, Path, description = "The article's slug")),
    security((), ("Token" = [])),
    responses(
        (status = 200, description = "The article", body = SingleArticleResponse),
        (status = 401, description = "A token was sent but is not valid", body = GenericErrorModel),
        (status = 404, description = "No such article", body = GenericErrorModel),
    )
)]
pub async fn show_article(
    State(state): State<AppState>,
    MaybeApiUser(caller): MaybeApiUser,
    Path(slug): Path<String>,
) -> AppResult<Json<SingleArticleResponse>> {
    let caller = caller.map(|c| c.user);
    let found = state
        .store
        .article_entry(&slug, caller.as_ref().map(|u| u.id))
        .await?;
    let now = state.now();
    let (article, body) = found.ok_or(AppError::NotFound)?;
    let stage = article.stage(now);
    let visible = stage == Stage::Published
        || caller
            .as_ref()
            .is_some_and(|u| state.config.policy.may_edit(u, article.author_id, stage));
    if !visible {
        return Err(AppError::NotFound);
    }
    Ok(single(&article, body, now))
}
