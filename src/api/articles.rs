//! Articles through the API: lists (with the spec's filters), the feed of
//! followed authors, one article, favorites (the site's likes) and
//! comments. Creating and editing articles through the API is still to come.

use super::ApiJson;
use super::auth::{ApiUser, MaybeApiUser};
use super::error::{ApiError, ApiResult};
use super::profiles::profile_json;
use crate::app::AppState;
use crate::domain::article::Stage;
use crate::domain::comment::CommentBody;
use crate::domain::markdown::render_comment;
use crate::domain::time::rfc3339_millis;
use crate::store::{ApiArticle, ApiFilter, NewComment, Profile};
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;

pub const LIMIT_DEFAULT: i64 = 20;
pub const LIMIT_MAX: i64 = 100;

pub fn article_json(article: &ApiArticle, now: i64) -> Value {
    let card = &article.card;
    let mut tags: Vec<&str> = card.tags.iter().map(|t| t.name.as_str()).collect();
    tags.sort_unstable();
    json!({
        "slug": card.slug,
        "title": card.headline,
        "description": card.summary,
        "body": article.body_markdown,
        "tagList": tags,
        "createdAt": rfc3339_millis(article.created_at),
        "updatedAt": rfc3339_millis(article.updated_at),
        "favorited": card.liked,
        "favoritesCount": card.likes,
        "author": profile_json(&article.author),
        // Extensions a news platform needs, beside the spec's fields.
        "status": Stage::of(true, Some(card.published_at), now).label().to_lowercase(),
        "publishedAt": rfc3339_millis(card.published_at),
        "commentsCount": card.comments,
    })
}

/// The query string as name → value; an unreadable one is a 400 in the
/// API's error shape rather than the framework's plain text.
fn parse_query(raw: Option<String>) -> ApiResult<HashMap<String, String>> {
    serde_urlencoded::from_str(raw.as_deref().unwrap_or_default())
        .map_err(|e| ApiError::Status(StatusCode::BAD_REQUEST, format!("unreadable query: {e}")))
}

/// Reads `limit` and `offset`; anything but a small non-negative number
/// is a field error.
fn paging(query: &HashMap<String, String>) -> ApiResult<(i64, i64)> {
    let number = |name: &str, default: i64, max: i64| -> ApiResult<i64> {
        match query.get(name) {
            None => Ok(default),
            Some(raw) => match raw.parse::<i64>() {
                Ok(n) if (0..=max).contains(&n) => Ok(n),
                _ => Err(ApiError::field(
                    name,
                    format!("must be a whole number from 0 to {max}"),
                )),
            },
        }
    };
    Ok((
        number("limit", LIMIT_DEFAULT, LIMIT_MAX)?,
        number("offset", 0, 1_000_000)?,
    ))
}

async fn list_json(
    state: &AppState,
    filter: ApiFilter<'_>,
    query: &HashMap<String, String>,
    viewer: Option<i64>,
) -> ApiResult<Json<Value>> {
    let (limit, offset) = paging(query)?;
    let now = state.now();
    let articles = state
        .store
        .api_articles(filter, limit, offset, viewer, now)
        .await?;
    let count = state.store.api_article_count(filter, now).await?;
    let list: Vec<Value> = articles.iter().map(|a| article_json(a, now)).collect();
    Ok(Json(json!({ "articles": list, "articlesCount": count })))
}

pub async fn list(
    State(state): State<AppState>,
    MaybeApiUser(caller): MaybeApiUser,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    let query = parse_query(raw)?;
    let filter = ApiFilter {
        tag: query.get("tag").map(String::as_str),
        author: query.get("author").map(String::as_str),
        favorited_by: query.get("favorited").map(String::as_str),
        ..ApiFilter::default()
    };
    list_json(&state, filter, &query, caller.map(|c| c.user.id)).await
}

pub async fn feed(
    State(state): State<AppState>,
    caller: ApiUser,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    let query = parse_query(raw)?;
    let filter = ApiFilter {
        followed_by: Some(caller.user.id),
        ..ApiFilter::default()
    };
    list_json(&state, filter, &query, Some(caller.user.id)).await
}

async fn one(state: &AppState, slug: &str, viewer: Option<i64>) -> ApiResult<ApiArticle> {
    let filter = ApiFilter {
        slug: Some(slug),
        ..ApiFilter::default()
    };
    let mut found = state
        .store
        .api_articles(filter, 1, 0, viewer, state.now())
        .await?;
    found.pop().ok_or(ApiError::NotFound)
}

pub async fn show(
    State(state): State<AppState>,
    MaybeApiUser(caller): MaybeApiUser,
    Path(slug): Path<String>,
) -> ApiResult<Json<Value>> {
    let article = one(&state, &slug, caller.map(|c| c.user.id)).await?;
    Ok(Json(
        json!({ "article": article_json(&article, state.now()) }),
    ))
}

async fn set_favorite(
    state: &AppState,
    caller: &ApiUser,
    slug: &str,
    liked: bool,
) -> ApiResult<Json<Value>> {
    let article = one(state, slug, Some(caller.user.id)).await?;
    state
        .store
        .set_like(article.card.id, caller.user.id, liked, state.now())
        .await?;
    let article = one(state, slug, Some(caller.user.id)).await?;
    Ok(Json(
        json!({ "article": article_json(&article, state.now()) }),
    ))
}

pub async fn favorite(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(slug): Path<String>,
) -> ApiResult<Json<Value>> {
    set_favorite(&state, &caller, &slug, true).await
}

pub async fn unfavorite(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(slug): Path<String>,
) -> ApiResult<Json<Value>> {
    set_favorite(&state, &caller, &slug, false).await
}

fn comment_json(
    id: i64,
    parent_id: Option<i64>,
    created_at: i64,
    edited_at: Option<i64>,
    body: &str,
    author: &Profile,
) -> Value {
    json!({
        "id": id,
        "createdAt": rfc3339_millis(created_at),
        "updatedAt": rfc3339_millis(edited_at.unwrap_or(created_at)),
        "body": body,
        "author": profile_json(author),
        // Extension: the comment this one replies to.
        "parentId": parent_id,
    })
}

/// The visible comments of a live article, oldest first.
pub async fn comments(
    State(state): State<AppState>,
    MaybeApiUser(caller): MaybeApiUser,
    Path(slug): Path<String>,
) -> ApiResult<Json<Value>> {
    let viewer = caller.map(|c| c.user.id);
    let article = one(&state, &slug, viewer).await?;
    let visible: Vec<_> = state
        .store
        .article_comments(article.card.id)
        .await?
        .into_iter()
        .filter(|c| !c.deleted && !c.hidden)
        .collect();
    let mut names: Vec<String> = visible.iter().map(|c| c.author.clone()).collect();
    names.sort_unstable();
    names.dedup();
    let profiles = state.store.profiles(&names, viewer).await?;
    let list: Vec<Value> = visible
        .iter()
        .filter_map(|c| {
            let author = profiles.iter().find(|p| p.username == c.author)?;
            Some(comment_json(
                c.id,
                c.parent_id,
                c.created_at,
                c.edited_at,
                &c.body_markdown,
                author,
            ))
        })
        .collect();
    Ok(Json(json!({ "comments": list })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommentWrapper {
    comment: NewCommentInput,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NewCommentInput {
    body: String,
    parent_id: Option<i64>,
}

pub async fn add_comment(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<CommentWrapper>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let article = one(&state, &slug, Some(caller.user.id)).await?;
    let body = CommentBody::parse(&input.comment.body).map_err(|e| ApiError::field("body", e.0))?;
    let parent_id = match input.comment.parent_id {
        None => None,
        Some(id) => Some(
            state
                .store
                .comment(id)
                .await?
                .and_then(|parent| parent.thread_on(article.card.id))
                .ok_or_else(|| ApiError::field("parentId", "is not a comment on this article"))?,
        ),
    };
    let html = render_comment(body.as_str());
    let now = state.now();
    let new = NewComment {
        article_id: article.card.id,
        parent_id,
        author_id: caller.user.id,
        body_markdown: body.as_str(),
        body_html: &html,
    };
    let id = state.store.add_comment(&new, now).await?;
    let author = state
        .store
        .profile(&caller.user.username, Some(caller.user.id))
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let comment = comment_json(id, parent_id, now, None, body.as_str(), &author);
    Ok((StatusCode::CREATED, Json(json!({ "comment": comment }))))
}

pub async fn delete_comment(
    State(state): State<AppState>,
    caller: ApiUser,
    Path((slug, id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let article = one(&state, &slug, Some(caller.user.id)).await?;
    let id: i64 = id.parse().map_err(|_| ApiError::NotFound)?;
    let comment = state.store.comment(id).await?.ok_or(ApiError::NotFound)?;
    if comment.article_id != article.card.id || comment.deleted {
        return Err(ApiError::NotFound);
    }
    if comment.author_id != caller.user.id {
        return Err(ApiError::Forbidden);
    }
    state.store.delete_comment(id, state.now()).await?;
    Ok(Json(json!({})))
}
