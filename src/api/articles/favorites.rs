//! Favorites: the same as likes on the site.

use super::SingleArticleResponse;
use super::{live_article, single};
use crate::api::auth::ApiUser;
use crate::api::error::GenericErrorModel;
use crate::error::AppResult;
use crate::limits::{Limit, Subject};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};

async fn set_favorite(
    state: &AppState,
    caller: &ApiUser,
    slug: &str,
    liked: bool,
) -> AppResult<Json<SingleArticleResponse>> {
    let (mut article, body) = live_article(state, slug, Some(caller.user.id)).await?;
    state
        .limiter
        .check(
            &state.store,
            Limit::Likes,
            Subject::Account(caller.user.id),
            state.now(),
        )
        .await?;
    // The like's own transaction answers with the new count.
    article.likes = state
        .store
        .set_like(article.id, caller.user.id, liked, state.now())
        .await?;
    article.liked = liked;
    Ok(single(&article, body, state.now()))
}

/// Favorite an article: the same as liking it on the site.
#[utoipa::path(
    post,
    path = "/articles/{slug}/favorite",
    tag = "Favorites",
    operation_id = "CreateArticleFavorite",
    params(("slug" = String, Path, description = "The article's slug")),
    security(("Token" = [])),
    responses(
        (status = 200, description = "The article, favorited", body = SingleArticleResponse),
        (status = 401, description = "No valid token", body = GenericErrorModel),
        (status = 404, description = "No such live article", body = GenericErrorModel),
    )
)]
pub async fn favorite_article(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(slug): Path<String>,
) -> AppResult<Json<SingleArticleResponse>> {
    set_favorite(&state, &caller, &slug, true).await
}

/// Unfavorite an article.
#[utoipa::path(
    delete,
    path = "/articles/{slug}/favorite",
    tag = "Favorites",
    operation_id = "DeleteArticleFavorite",
    params(("slug" = String, Path, description = "The article's slug")),
    security(("Token" = [])),
    responses(
        (status = 200, description = "The article, no longer favorited", body = SingleArticleResponse),
        (status = 401, description = "No valid token", body = GenericErrorModel),
        (status = 404, description = "No such live article", body = GenericErrorModel),
    )
)]
pub async fn unfavorite_article(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(slug): Path<String>,
) -> AppResult<Json<SingleArticleResponse>> {
    set_favorite(&state, &caller, &slug, false).await
}
