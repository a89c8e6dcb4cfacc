//! Articles through the API: lists (with the spec's filters), the feed of
//! followed authors, one article, writing (create, update, delete) under the
//! site's policy through the same `editorial` steps as the desk, and
//! favorites (the site's likes).

use super::ApiJson;
use super::auth::{ApiUser, MaybeApiUser};
use super::error::GenericErrorModel;
use super::profiles::Profile;
use crate::domain::FieldErrors;
use crate::domain::article::{ArticleContent, Publication, Slug, Stage};
use crate::domain::tag::TagName;
use crate::domain::time::{parse_rfc3339, rfc3339_millis};
use crate::domain::user::User;
use crate::editorial::{self, ArticleEdit};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::{ArticleDraft, ArticleEntry, ArticleFilter};
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_articles, create_article))
        .routes(routes!(feed_articles))
        .routes(routes!(show_article, update_article, delete_article))
        .routes(routes!(favorite_article, unfavorite_article))
}

pub const LIMIT_DEFAULT: i64 = 20;
pub const LIMIT_MAX: i64 = 100;
pub const OFFSET_MAX: i64 = 1_000_000;

/// Where an article stands (extension).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ArticleStatus {
    Draft,
    Scheduled,
    Published,
}

impl From<Stage> for ArticleStatus {
    fn from(stage: Stage) -> Self {
        match stage {
            Stage::Draft => ArticleStatus::Draft,
            Stage::Scheduled => ArticleStatus::Scheduled,
            Stage::Published => ArticleStatus::Published,
        }
    }
}

/// An article as lists show it: everything but the body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListedArticle {
    pub slug: String,
    pub title: String,
    pub description: String,
    /// Tag names, sorted.
    pub tag_list: Vec<String>,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
    /// Whether the caller likes it.
    pub favorited: bool,
    pub favorites_count: i64,
    pub author: Profile,
    /// Extension: draft, scheduled or published.
    pub status: ArticleStatus,
    /// Extension: when it went or goes live; null for a draft.
    #[schema(format = DateTime)]
    pub published_at: Option<String>,
    /// Extension: visible comments.
    pub comments_count: i64,
}

/// One article, with its Markdown body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Article {
    #[serde(flatten)]
    pub listed: ListedArticle,
    /// Markdown, as written.
    pub body: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SingleArticleResponse {
    pub article: Article,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MultipleArticlesResponse {
    pub articles: Vec<ListedArticle>,
    /// How many articles match, beyond this page too.
    pub articles_count: i64,
}

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

fn listed(article: &ArticleEntry, now: i64) -> ListedArticle {
    let mut tags: Vec<String> = article.tags.iter().map(|t| t.name.clone()).collect();
    tags.sort_unstable();
    let stage = article.stage(now);
    ListedArticle {
        slug: article.slug.clone(),
        title: article.headline.clone(),
        description: article.summary.clone(),
        tag_list: tags,
        created_at: rfc3339_millis(article.created_at),
        updated_at: rfc3339_millis(article.updated_at),
        favorited: article.liked,
        favorites_count: article.likes,
        author: (&article.author).into(),
        status: stage.into(),
        published_at: article
            .published_at
            .filter(|_| stage != Stage::Draft)
            .map(rfc3339_millis),
        comments_count: article.comments,
    }
}

fn single(article: &ArticleEntry, body: String, now: i64) -> Json<SingleArticleResponse> {
    Json(SingleArticleResponse {
        article: Article {
            listed: listed(article, now),
            body,
        },
    })
}

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

/// The live article at `slug` with its body, for favorites and comments;
/// anything else is not found.
pub async fn live_article(
    state: &AppState,
    slug: &str,
    viewer: Option<i64>,
) -> AppResult<(ArticleEntry, String)> {
    match state.store.article_entry(slug, viewer).await? {
        Some(found) if found.0.stage(state.now()) == Stage::Published => Ok(found),
        _ => Err(AppError::NotFound),
    }
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

/// An article as it stands, for working out what a request changes.
#[derive(Debug, Clone, Copy)]
struct Current {
    stage: Stage,
    published_at: Option<i64>,
}

/// The change of publication that `status` and `publishedAt` ask for.
/// Nothing asked publishes a new article when `publish_new` (the caller may
/// publish it) and leaves an existing one as it is. Sending back an
/// article's own status and time changes nothing. Problems are recorded
/// under "status" and "publish_at".
fn requested_publication(
    status: Option<ArticleStatus>,
    published_at: Option<&str>,
    current: Option<Current>,
    publish_new: bool,
    now: i64,
    errors: &mut FieldErrors,
) -> Option<Publication> {
    let at = match published_at {
        Some(raw) => Some(errors.check("publish_at", parse_rfc3339(raw))?),
        None => None,
    };
    let stage = current.map(|c| c.stage);
    let live_at = current
        .filter(|c| c.stage != Stage::Draft)
        .and_then(|c| c.published_at);
    match (status, at) {
        (Some(ArticleStatus::Draft), Some(_)) => {
            errors.add(
                "publish_at",
                "A draft has no publication time; leave publishedAt out.",
            );
            None
        }
        (Some(ArticleStatus::Draft), None) => stage
            .is_some_and(|s| s != Stage::Draft)
            .then_some(Publication::Withdraw),
        (Some(ArticleStatus::Scheduled), None) => {
            errors.add("publish_at", "Give the time to publish at.");
            None
        }
        (_, Some(at)) if Some(at) == live_at => None,
        (_, Some(at)) => errors.check("publish_at", Publication::schedule(at, now)),
        (Some(ArticleStatus::Published), None) => {
            (stage != Some(Stage::Published)).then_some(Publication::At(now))
        }
        (None, None) => (current.is_none() && publish_new).then_some(Publication::At(now)),
    }
}

/// Parses a slug the caller typed, recording a bad one.
fn typed_slug(raw: Option<&str>, errors: &mut FieldErrors) -> Option<Slug> {
    raw.and_then(|slug| errors.check("slug", Slug::parse(slug)))
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
        input.status,
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
    let slug = typed_slug(input.slug.as_deref(), &mut errors);
    let (Some(content), true) = (content, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let edit = ArticleEdit {
        content,
        slug,
        publication,
    };
    let (_, slug) =
        editorial::create(&state.store, policy, state.tagging(), user, &edit, now).await?;
    let (article, body) = state
        .store
        .article_entry(&slug, Some(user.id))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, single(&article, body, now)))
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
        input.status,
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
    let slug = typed_slug(input.slug.as_deref(), &mut errors);
    let (Some(content), true) = (content, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let edit = ArticleEdit {
        content,
        slug,
        publication,
    };
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
    let (article, body) = state
        .store
        .article_entry(&slug, Some(user.id))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(single(&article, body, now))
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

async fn set_favorite(
    state: &AppState,
    caller: &ApiUser,
    slug: &str,
    liked: bool,
) -> AppResult<Json<SingleArticleResponse>> {
    let (mut article, body) = live_article(state, slug, Some(caller.user.id)).await?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(
        status: Option<ArticleStatus>,
        at: Option<&str>,
        current: Option<(Stage, Option<i64>)>,
        publish_new: bool,
    ) -> Result<Option<Publication>, FieldErrors> {
        let mut errors = FieldErrors::default();
        let current = current.map(|(stage, published_at)| Current {
            stage,
            published_at,
        });
        let asked = requested_publication(status, at, current, publish_new, NOW, &mut errors);
        if errors.is_empty() {
            Ok(asked)
        } else {
            Err(errors)
        }
    }

    /// 2026-11-25T15:00:00Z
    const NOW: i64 = 1_795_618_800_000;
    const LATER: &str = "2026-11-26T15:00:00.000Z";
    const EARLIER: &str = "2026-11-24T15:00:00Z";

    #[test]
    fn new_articles_go_live_only_for_publishers_unless_told() {
        use ArticleStatus::*;
        assert_eq!(ask(None, None, None, true), Ok(Some(Publication::At(NOW))));
        assert_eq!(ask(None, None, None, false), Ok(None));
        assert_eq!(ask(Some(Draft), None, None, true), Ok(None));
        assert_eq!(
            ask(Some(Published), None, None, false),
            Ok(Some(Publication::At(NOW))),
            "asked for; the policy decides"
        );
        let later = NOW + 24 * 3_600_000;
        assert_eq!(
            ask(Some(Scheduled), Some(LATER), None, true),
            Ok(Some(Publication::At(later)))
        );
        assert_eq!(
            ask(None, Some(LATER), None, true),
            Ok(Some(Publication::At(later)))
        );
        for (status, at) in [
            (Some(Scheduled), None),
            (Some(Published), Some(EARLIER)),
            (Some(Draft), Some(LATER)),
            (None, Some("tomorrow")),
        ] {
            assert!(ask(status, at, None, true).is_err(), "{status:?} {at:?}");
        }
    }

    #[test]
    fn existing_articles_change_only_when_asked() {
        use ArticleStatus::*;
        let live = Some((Stage::Published, Some(NOW - 1_000)));
        let draft = Some((Stage::Draft, Some(NOW - 1_000)));
        assert_eq!(ask(None, None, live, true), Ok(None));
        assert_eq!(ask(Some(Published), None, live, true), Ok(None));
        assert_eq!(
            ask(
                Some(Published),
                Some("2026-11-25T14:59:59.000Z"),
                live,
                true
            ),
            Ok(None),
            "its own time sent back"
        );
        assert_eq!(
            ask(Some(Draft), None, live, true),
            Ok(Some(Publication::Withdraw))
        );
        assert_eq!(ask(Some(Draft), None, draft, true), Ok(None));
        assert_eq!(
            ask(Some(Published), None, draft, true),
            Ok(Some(Publication::At(NOW)))
        );
        assert!(
            ask(
                Some(Published),
                Some("2026-11-25T14:59:59.000Z"),
                draft,
                true
            )
            .is_err(),
            "an old time of a withdrawn article is in the past"
        );
    }
}
