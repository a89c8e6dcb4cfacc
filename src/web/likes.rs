//! Liking an article. The form says which state the reader wants ("like"
//! or "unlike"), so pressing twice, or twice at once, lands in that state
//! once rather than flipping back and forth.

use super::visitor::SignedIn;
use super::{Form, see_other, wants_json};
use crate::error::{AppError, AppResult};
use crate::limits::{Limit, Subject};
use crate::state::AppState;
use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/articles/{slug}/like", post(like_article))
}

#[derive(Debug, Deserialize)]
pub struct LikeInput {
    #[serde(default)]
    action: String,
}

pub async fn like_article(
    State(state): State<AppState>,
    SignedIn(user, _): SignedIn,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Form(input): Form<LikeInput>,
) -> AppResult<Response> {
    let liked = match input.action.as_str() {
        "like" => true,
        "unlike" => false,
        _ => {
            return Err(AppError::BadRequest(
                "Say whether to like or unlike.".to_owned(),
            ));
        }
    };
    let article = super::articles::live_article(&state, &slug, Some(user.id)).await?;
    let now = state.now();
    state
        .limiter
        .check(&state.store, Limit::Likes, Subject::Account(user.id), now)
        .await?;
    let likes = state
        .store
        .set_like(article.card.id, user.id, liked, now)
        .await?;
    if wants_json(&headers) {
        return Ok(Json(serde_json::json!({ "liked": liked, "likes": likes })).into_response());
    }
    Ok(see_other(&format!("/articles/{slug}#likes")))
}
