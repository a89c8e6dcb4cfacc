//! `GET /api/search`: the site's full-text search through the API, with
//! the same words, filters, ranking and snippets as the search page.

use super::articles::parse_query;
use super::auth::MaybeApiUser;
use super::error::GenericErrorModel;
use crate::domain::FieldErrors;
use crate::domain::search::{FilterInput, SearchCursor, SearchQuery};
use crate::domain::time::rfc3339_millis;
use crate::error::{AppError, AppResult};
use crate::http::ClientAddress;
use crate::limits::{Limit, Subject};
use crate::state::AppState;
use crate::store::SearchHit;
use axum::Json;
use axum::extract::{RawQuery, State};
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(search_articles))
}

pub const LIMIT_DEFAULT: i64 = 20;
pub const LIMIT_MAX: i64 = 100;

/// A stretch of a snippet; `highlighted` when it matched the query.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SnippetPart {
    pub text: String,
    pub highlighted: bool,
}

/// A live article that matched.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SearchResult {
    pub slug: String,
    pub title: String,
    pub description: String,
    /// Tag names in the order the journalist gave them.
    pub tag_list: Vec<String>,
    /// The author's username.
    pub author: String,
    #[schema(format = DateTime)]
    pub published_at: String,
    pub favorites_count: i64,
    pub comments_count: i64,
    /// Text from the body around the matches.
    pub snippet: Vec<SnippetPart>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchResponse {
    /// Most relevant first.
    pub results: Vec<SearchResult>,
    /// Pass as `after` for the next page; null on the last page.
    pub next: Option<String>,
}

fn result(hit: SearchHit) -> SearchResult {
    let card = hit.card;
    SearchResult {
        slug: card.slug,
        title: card.headline,
        description: card.summary,
        tag_list: card.tags.into_iter().map(|t| t.name).collect(),
        author: card.author,
        published_at: rfc3339_millis(card.published_at),
        favorites_count: card.likes,
        comments_count: card.comments,
        snippet: hit
            .snippet
            .into_iter()
            .map(|p| SnippetPart {
                text: p.text,
                highlighted: p.highlighted,
            })
            .collect(),
    }
}

/// Live articles containing every word of `q`, most relevant first. Any
/// text is read as words: quotes and operators are never syntax.
#[utoipa::path(
    get,
    path = "/search",
    tag = "Search",
    operation_id = "SearchArticles",
    params(
        ("q" = String, Query, description = "Words to find; an empty query finds nothing"),
        ("tag" = Option<String>, Query, description = "A tag's name or slug"),
        ("author" = Option<String>, Query, description = "The author's username"),
        ("from" = Option<String>, Query, description = "Published on or after this day (YYYY-MM-DD, UTC)"),
        ("to" = Option<String>, Query, description = "Published on or before this day (YYYY-MM-DD, UTC)"),
        ("after" = Option<String>, Query, description = "The `next` of the previous page"),
        ("limit" = Option<i64>, Query, description = "At most this many (default 20)", minimum = 1, maximum = 100),
    ),
    security((), ("Token" = [])),
    responses(
        (status = 200, description = "A page of results", body = SearchResponse),
        (status = 401, description = "A token was sent but is not valid", body = GenericErrorModel),
        (status = 422, description = "An invalid filter or limit", body = GenericErrorModel),
    )
)]
pub async fn search_articles(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    MaybeApiUser(caller): MaybeApiUser,
    RawQuery(raw): RawQuery,
) -> AppResult<Json<SearchResponse>> {
    let params = parse_query(raw)?;
    let field = |name: &str| params.get(name).map(String::as_str);
    let mut errors = FieldErrors::default();
    let filters = FilterInput {
        tag: field("tag"),
        author: field("author"),
        from: field("from"),
        to: field("to"),
    }
    .parse(&mut errors);
    let limit = match field("limit") {
        None => LIMIT_DEFAULT,
        Some(raw) => match raw.parse::<i64>() {
            Ok(n) if (1..=LIMIT_MAX).contains(&n) => n,
            _ => {
                errors.add(
                    "limit",
                    format!("must be a whole number from 1 to {LIMIT_MAX}"),
                );
                0
            }
        },
    };
    if !errors.is_empty() {
        return Err(AppError::from(errors));
    }
    let query = SearchQuery::parse(field("q").unwrap_or_default());
    let after = field("after").and_then(SearchCursor::decode);
    let viewer = caller.map(|c| c.user.id);
    state
        .limiter
        .check(
            &state.store,
            Limit::SearchesPerAddress,
            Subject::Address(address),
            state.now(),
        )
        .await?;
    let (hits, next) = state
        .store
        .search_page(&query, &filters, after, limit, viewer, state.now())
        .await?;
    Ok(Json(SearchResponse {
        results: hits.into_iter().map(result).collect(),
        next: next.map(SearchCursor::encode),
    }))
}
