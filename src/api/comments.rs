//! Comments through the API: the visible comments of a live article,
//! adding one (or a reply, with `parentId`), and deleting one's own.

use super::ApiJson;
use super::articles::live_article;
use super::auth::{ApiUser, MaybeApiUser};
use super::error::GenericErrorModel;
use super::profiles::Profile;
use crate::comments;
use crate::domain::time::rfc3339_millis;
use crate::error::{AppError, AppResult};
use crate::http::ClientAddress;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_comments, add_comment))
        .routes(routes!(delete_comment))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Comment {
    pub id: i64,
    #[schema(format = DateTime)]
    pub created_at: String,
    /// When it was last edited; its creation time if never.
    #[schema(format = DateTime)]
    pub updated_at: String,
    /// Markdown, as written.
    pub body: String,
    pub author: Profile,
    /// Extension: the comment this one replies to, or null.
    pub parent_id: Option<i64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SingleCommentResponse {
    pub comment: Comment,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MultipleCommentsResponse {
    pub comments: Vec<Comment>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCommentRequest {
    comment: NewComment,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NewComment {
    /// Markdown (a small subset; raw HTML shows as text).
    body: String,
    /// Extension: reply to this comment. A reply to a reply joins its
    /// thread, so replies stay one level deep.
    parent_id: Option<i64>,
}

/// The visible comments of a live article, oldest first.
#[utoipa::path(
    get,
    path = "/articles/{slug}/comments",
    tag = "Comments",
    operation_id = "GetArticleComments",
    params(("slug" = String, Path, description = "The article's slug")),
    security((), ("Token" = [])),
    responses(
        (status = 200, description = "The comments", body = MultipleCommentsResponse),
        (status = 401, description = "A token was sent but is not valid", body = GenericErrorModel),
        (status = 404, description = "No such live article", body = GenericErrorModel),
    )
)]
pub async fn list_comments(
    State(state): State<AppState>,
    MaybeApiUser(caller): MaybeApiUser,
    Path(slug): Path<String>,
) -> AppResult<Json<MultipleCommentsResponse>> {
    let viewer = caller.map(|c| c.user.id);
    let (article, _) = live_article(&state, &slug, viewer).await?;
    let visible: Vec<_> = state
        .store
        .article_comments(article.id)
        .await?
        .into_iter()
        .filter(|c| !c.deleted && !c.hidden)
        .collect();
    let mut names: Vec<String> = visible.iter().map(|c| c.author.clone()).collect();
    names.sort_unstable();
    names.dedup();
    let profiles = state.store.profiles(&names, viewer).await?;
    let comments = visible
        .into_iter()
        .filter_map(|c| {
            let author = profiles.iter().find(|p| p.username == c.author)?;
            Some(Comment {
                id: c.id,
                created_at: rfc3339_millis(c.created_at),
                updated_at: rfc3339_millis(c.edited_at.unwrap_or(c.created_at)),
                body: c.body_markdown,
                author: author.into(),
                parent_id: c.parent_id,
            })
        })
        .collect();
    Ok(Json(MultipleCommentsResponse { comments }))
}

/// Comment on a live article, or reply to a comment with `parentId`.
#[utoipa::path(
    post,
    path = "/articles/{slug}/comments",
    tag = "Comments",
    operation_id = "CreateArticleComment",
    params(("slug" = String, Path, description = "The article's slug")),
    request_body = NewCommentRequest,
    security(("Token" = [])),
    responses(
        (status = 200, description = "The new comment", body = SingleCommentResponse),
        (status = 401, description = "No valid token", body = GenericErrorModel),
        (status = 404, description = "No such live article", body = GenericErrorModel),
        (status = 422, description = "An empty or too long body, or a parent on another article", body = GenericErrorModel),
        (status = 429, description = "Commenting too often (see Retry-After)", body = GenericErrorModel),
    )
)]
pub async fn add_comment(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    caller: ApiUser,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<NewCommentRequest>,
) -> AppResult<Json<SingleCommentResponse>> {
    let (article, _) = live_article(&state, &slug, Some(caller.user.id)).await?;
    let input = input.comment;
    let draft = comments::Draft {
        article_id: article.id,
        author_id: caller.user.id,
        address,
        text: &input.body,
        reply_to: input.parent_id,
    };
    let posted = comments::post(&state.store, &state.limiter, draft, state.now()).await?;
    let author = state
        .store
        .profile(&caller.user.username, Some(caller.user.id))
        .await?
        .ok_or(AppError::Unauthorized)?;
    Ok(Json(SingleCommentResponse {
        comment: Comment {
            id: posted.id,
            created_at: rfc3339_millis(posted.created_at),
            updated_at: rfc3339_millis(posted.created_at),
            body: posted.body_markdown,
            author: (&author).into(),
            parent_id: posted.parent_id,
        },
    }))
}

/// Delete one's own comment; replies to it stay, under a placeholder on
/// the site.
#[utoipa::path(
    delete,
    path = "/articles/{slug}/comments/{id}",
    tag = "Comments",
    operation_id = "DeleteArticleComment",
    params(
        ("slug" = String, Path, description = "The article's slug"),
        ("id" = i64, Path, description = "The comment's id"),
    ),
    security(("Token" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No valid token", body = GenericErrorModel),
        (status = 403, description = "Someone else's comment", body = GenericErrorModel),
        (status = 404, description = "No such comment on this live article", body = GenericErrorModel),
    )
)]
pub async fn delete_comment(
    State(state): State<AppState>,
    caller: ApiUser,
    Path((slug, id)): Path<(String, String)>,
) -> AppResult<StatusCode> {
    let (article, _) = live_article(&state, &slug, Some(caller.user.id)).await?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    comments::delete_own(
        &state.store,
        caller.user.id,
        id,
        Some(article.id),
        state.now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
