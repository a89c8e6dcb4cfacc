//! `GET /api/tags`: the tags that have live articles.

use super::error::GenericErrorModel;
use crate::error::AppResult;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_tags))
}

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
pub async fn list_tags(State(state): State<AppState>) -> AppResult<Json<TagsResponse>> {
    let tags = state.store.live_tags(state.now()).await?;
    Ok(Json(TagsResponse { tags }))
}
