//! `GET /api/tags`: the tags that have live articles.

use super::error::{ApiResult, GenericErrorModel};
use crate::app::AppState;
use axum::Json;
use axum::extract::State;
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TagsResponse {
    /// Names of the tags of live articles, sorted.
    pub tags: Vec<String>,
}

/// The tags that have live articles.
#[utoipa::path(
    get,
    path = "/tags",
    tag = "Tags",
    operation_id = "GetTags",
    responses(
        (status = 200, description = "The tags", body = TagsResponse),
        (status = 503, description = "The database is briefly unavailable", body = GenericErrorModel),
    )
)]
pub async fn list_tags(State(state): State<AppState>) -> ApiResult<Json<TagsResponse>> {
    let tags = state.store.live_tags(state.now()).await?;
    Ok(Json(TagsResponse { tags }))
}
