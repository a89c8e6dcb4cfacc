//! Writing articles: create, update and delete, under the site's policy.

use super::SingleArticleResponse;
use super::{ArticleStatus, single};
use crate::api::ApiJson;
use crate::api::auth::ApiUser;
use crate::api::error::GenericErrorModel;
use crate::domain::FieldErrors;
use crate::domain::article::{
    ArticleContent, Current, Publication, Slug, Stage, requested_publication,
};
use crate::domain::user::User;
use crate::editorial::{self, ArticleEdit};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::ArticleDraft;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewArticleRequest {
    article: NewArticle,
}

/// A new article. Without `status` it is published at once when the caller
/// may publish it, else saved as a draft for an editor.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NewArticle {
    #[serde(default)]
    #[schema(required = true)]
    title: String,
    /// Shown in lists; the opening of the body when empty or absent.
    #[serde(default)]
    description: String,
    /// Markdown.
    #[serde(default)]
    #[schema(required = true)]
    body: String,
    #[serde(default)]
    tag_list: Vec<String>,
    /// Extension: the address; derived from the title when absent.
    slug: Option<String>,
    /// Extension: for those who may publish.
    status: Option<ArticleStatus>,
    /// Extension: a future time schedules the article.
    #[schema(format = DateTime)]
    published_at: Option<String>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateArticleRequest {
    article: UpdateArticle,
}

/// Changes to an article; absent fields stay as they are. The slug changes
/// only when given, and never once the article has been public.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UpdateArticle {
    title: Option<String>,
    description: Option<String>,
    body: Option<String>,
    tag_list: Option<Vec<String>>,
    slug: Option<String>,
    status: Option<ArticleStatus>,
    #[schema(format = DateTime)]
    published_at: Option<String>,
}

/// The edit a request asks for, once its content and any typed slug parse;
/// every problem found on the way, earlier ones in `errors` too, is refused
/// together.
fn edit_of(
    content: Option<ArticleContent>,
    typed_slug: Option<&str>,
    publication: Option<Publication>,
    mut errors: FieldErrors,
) -> AppResult<ArticleEdit> {
    let slug = typed_slug.and_then(|slug| errors.check("slug", Slug::parse(slug)));
    let (Some(content), true) = (content, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    Ok(ArticleEdit {
        content,
        slug,
        publication,
    })
}

/// The article at `slug` as the caller sees it after saving it.
async fn saved(
    state: &AppState,
    slug: &str,
    user_id: i64,
    now: i64,
) -> AppResult<Json<SingleArticleResponse>> {
    let (article, body) = state
        .store
        .article_entry(slug, Some(user_id))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(single(&article, body, now))
}

/// Write an article. Who may, and whether it goes live at once, follows the
/// site's policy: see the README's "JSON API" section.
#[utoipa::path(
    post,
    path = "/articles",
    tag = "Articles",
    operation_id = "CreateArticle",
    request_body = NewArticleRequest,
    security(("Token" = [])),
    responses(
        (status = 201, description = "The new article", body = SingleArticleResponse),
        (status = 401, description = "No valid token", body = GenericErrorModel),
        (status = 403, description = "The caller may not write or publish", body = GenericErrorModel),
        (status = 422, description = "Invalid fields or a taken slug", body = GenericErrorModel),
    )
)]
pub async fn create_article(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(body): ApiJson<NewArticleRequest>,
) -> AppResult<(StatusCode, Json<SingleArticleResponse>)> {
    let input = body.article;
    let (user, policy, now) = (&caller.user, state.config.policy, state.now());
    let mut errors = FieldErrors::default();
    let publication = requested_publication(
        input.status.map(Stage::from),
        input.published_at.as_deref(),
        None,
        policy.may_publish(user, user.id),
        now,
        &mut errors,
    );
    let asks_to_publish = publication.is_some()
        || matches!(
            input.status,
            Some(ArticleStatus::Published | ArticleStatus::Scheduled)
        );
    if !editorial::permitted(policy, user, None, asks_to_publish, now) {
        return Err(AppError::Forbidden);
    }
    let content = ArticleContent::parse(
        &input.title,
        &input.description,
        &input.body,
        input.tag_list.iter().map(String::as_str),
        &mut errors,
    );
    let edit = edit_of(content, input.slug.as_deref(), publication, errors)?;
    let (_, slug) =
        editorial::create(&state.store, policy, state.tagging(), user, &edit, now).await?;
    Ok((
        StatusCode::CREATED,
        saved(&state, &slug, user.id, now).await?,
    ))
}

/// The article at `slug` for changing or deleting. One the caller may not
/// even see is not found; a live one they may not change is forbidden.
async fn changeable(state: &AppState, user: &User, slug: &str) -> AppResult<ArticleDraft> {
    let id = state
        .store
        .article_id(slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let draft = state
        .store
        .article_draft(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let stage = draft.stage(state.now());
    if state.config.policy.may_edit(user, draft.author_id, stage) {
        Ok(draft)
    } else if stage == Stage::Published {
        Err(AppError::Forbidden)
    } else {
        Err(AppError::NotFound)
    }
}

/// Change an article; only the fields sent change.
#[utoipa::path(
    put,
    path = "/articles/{slug}",
    tag = "Articles",
    operation_id = "UpdateArticle",
    params(("slug" = String, Path, description = "The article's slug")),
    request_body = UpdateArticleRequest,
    security(("Token" = [])),
    responses(
        (status = 200, description = "The changed article", body = SingleArticleResponse),
        (status = 401, description = "No valid token", body = GenericErrorModel),
        (status = 403, description = "The caller may not change or publish it", body = GenericErrorModel),
        (status = 404, description = "No such article", body = GenericErrorModel),
        (status = 422, description = "Invalid fields or a taken slug", body = GenericErrorModel),
    )
)]
pub async fn update_article(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<UpdateArticleRequest>,
) -> AppResult<Json<SingleArticleResponse>> {
    let input = body.article;
    let (user, policy, now) = (&caller.user, state.config.policy, state.now());
    let draft = changeable(&state, user, &slug).await?;
    let mut errors = FieldErrors::default();
    let current = Current {
        stage: draft.stage(now),
        published_at: draft.published_at,
    };
    let publication = requested_publication(
        input.status.map(Stage::from),
        input.published_at.as_deref(),
        Some(current),
        false,
        now,
        &mut errors,
    );
    if !editorial::permitted(policy, user, Some(&draft), publication.is_some(), now) {
        return Err(AppError::Forbidden);
    }
    let tags = input.tag_list.as_ref().unwrap_or(&draft.tags);
    let content = ArticleContent::parse(
        input.title.as_deref().unwrap_or(&draft.headline),
        input.description.as_deref().unwrap_or(&draft.summary),
        input.body.as_deref().unwrap_or(&draft.body_markdown),
        tags.iter().map(String::as_str),
        &mut errors,
    );
    let edit = edit_of(content, input.slug.as_deref(), publication, errors)?;
    let slug = editorial::update(
        &state.store,
        policy,
        state.tagging(),
        user,
        &draft,
        &edit,
        now,
    )
    .await?;
    saved(&state, &slug, user.id, now).await
}

/// Delete an article with its likes and comments.
#[utoipa::path(
    delete,
    path = "/articles/{slug}",
    tag = "Articles",
    operation_id = "DeleteArticle",
    params(("slug" = String, Path, description = "The article's slug")),
    security(("Token" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No valid token", body = GenericErrorModel),
        (status = 403, description = "The caller may not delete it", body = GenericErrorModel),
        (status = 404, description = "No such article", body = GenericErrorModel),
    )
)]
pub async fn delete_article(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(slug): Path<String>,
) -> AppResult<StatusCode> {
    let draft = changeable(&state, &caller.user, &slug).await?;
    editorial::delete(
        &state.store,
        state.config.policy,
        &caller.user,
        &draft,
        state.now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
