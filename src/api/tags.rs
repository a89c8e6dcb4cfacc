//! `GET /api/tags`: the tags that have live articles.

use super::error::ApiResult;
use crate::app::AppState;
use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

pub async fn list(State(state): State<AppState>) -> ApiResult<Json<Value>> {
    let tags = state.store.live_tags(state.now()).await?;
    Ok(Json(json!({ "tags": tags })))
}
