//! The desk: where authors write drafts and editors publish, schedule and
//! unpublish; admins also manage roles here.

use super::visitor::{Nav, SignedIn, Visitor};
use super::{Form, parse_id, render, render_with_status, see_other};
use crate::app::AppState;
use crate::domain::article::{ArticleBody, Headline, Slug, Stage, Summary};
use crate::domain::markdown::{plain_excerpt, render_article};

/// Length of the summary taken from the body when the journalist gives none.
const SUMMARY_FROM_BODY_CHARS: usize = 200;
use crate::domain::tag::parse_tag_list;
use crate::domain::user::{Role, User};
use crate::domain::{FieldErrors, time};
use crate::error::{AppError, AppResult};
use crate::store::{ArticleContent, ArticleDraft, DeskArticle, StoreError, UserSummary};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

/// The desk is for authors, editors and admins.
fn writer(user: &User) -> AppResult<()> {
    if user.role.can_write() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Editors edit anything; authors only their own articles while they are drafts.
fn may_edit(user: &User, draft: &ArticleDraft, now: i64) -> bool {
    user.role.can_edit_any() || (user.id == draft.author_id && draft.stage(now) == Stage::Draft)
}

#[derive(Debug, Clone)]
pub struct DeskRow {
    pub article: DeskArticle,
    pub stage: Stage,
}

#[derive(Template)]
#[template(path = "desk/index.html")]
struct DeskPage {
    nav: Nav,
    sections: [DeskSection; 3],
    editor: bool,
}

#[derive(Debug)]
struct DeskSection {
    title: &'static str,
    /// Drafts show when they were last saved, the others when they go live.
    drafts: bool,
    rows: Vec<DeskRow>,
}

pub async fn desk_index(
    State(state): State<AppState>,
    SignedIn(user, visitor): SignedIn,
) -> AppResult<Response> {
    writer(&user)?;
    let scope = if user.role.can_edit_any() {
        None
    } else {
        Some(user.id)
    };
    let now = state.now();
    let (mut drafts, mut scheduled, mut published) = (Vec::new(), Vec::new(), Vec::new());
    for article in state.store.desk_articles(scope).await? {
        let stage = Stage::of(article.published, article.published_at, now);
        let row = DeskRow { article, stage };
        match stage {
            Stage::Draft => drafts.push(row),
            Stage::Scheduled => scheduled.push(row),
            Stage::Published => published.push(row),
        }
    }
    // Next to go live first; most recently live first.
    scheduled.sort_by_key(|row| row.article.published_at);
    published.sort_by_key(|row| std::cmp::Reverse(row.article.published_at));
    let sections = [
        DeskSection {
            title: "Drafts",
            drafts: true,
            rows: drafts,
        },
        DeskSection {
            title: "Scheduled",
            drafts: false,
            rows: scheduled,
        },
        DeskSection {
            title: "Published",
            drafts: false,
            rows: published,
        },
    ];
    render(&DeskPage {
        nav: Nav::of(&visitor),
        sections,
        editor: user.role.can_edit_any(),
    })
}

/// What the article form posts.
#[derive(Debug, Default, Deserialize)]
pub struct ArticleInput {
    #[serde(default)]
    headline: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    publish_at: String,
    #[serde(default)]
    action: String,
}

#[derive(Template)]
#[template(path = "desk/edit.html")]
struct ArticleFormPage {
    nav: Nav,
    csrf: String,
    /// None for a new article.
    id: Option<i64>,
    input: ArticleInput,
    stage: Option<Stage>,
    slug_locked: bool,
    can_publish: bool,
    errors: FieldErrors,
    preview: Option<String>,
    notice: Option<String>,
    /// The public address, when the article is live.
    live_url: Option<String>,
    author: String,
}

impl ArticleFormPage {
    fn action_url(&self) -> String {
        self.id
            .map_or("/desk/new".to_owned(), |id| format!("/desk/articles/{id}"))
    }
}

fn form_page(
    visitor: &Visitor,
    user: &User,
    draft: Option<&ArticleDraft>,
    input: ArticleInput,
    now: i64,
) -> ArticleFormPage {
    let stage = draft.map(|d| d.stage(now));
    ArticleFormPage {
        nav: Nav::of(visitor),
        csrf: visitor.csrf_token(),
        id: draft.map(|d| d.id),
        input,
        stage,
        slug_locked: draft.is_some_and(|d| d.slug_locked(now)),
        can_publish: user.role.can_edit_any(),
        errors: FieldErrors::default(),
        preview: None,
        notice: None,
        live_url: (stage == Some(Stage::Published))
            .then(|| format!("/articles/{}", draft.map_or("", |d| &d.slug))),
        author: draft.map_or_else(|| user.username.clone(), |d| d.author.clone()),
    }
}

fn input_of(draft: &ArticleDraft) -> ArticleInput {
    ArticleInput {
        headline: draft.headline.clone(),
        summary: draft.summary.clone(),
        body: draft.body_markdown.clone(),
        tags: draft.tags.join(", "),
        slug: draft.slug.clone(),
        publish_at: draft
            .published_at
            .map(time::input_value)
            .unwrap_or_default(),
        action: String::new(),
    }
}

#[derive(Debug, Deserialize)]
pub struct NoticeQuery {
    saved: Option<String>,
}

pub async fn new_article_form(
    State(state): State<AppState>,
    SignedIn(user, visitor): SignedIn,
) -> AppResult<Response> {
    writer(&user)?;
    render(&form_page(
        &visitor,
        &user,
        None,
        ArticleInput::default(),
        state.now(),
    ))
}

pub async fn edit_article_form(
    State(state): State<AppState>,
    SignedIn(user, visitor): SignedIn,
    Path(id): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> AppResult<Response> {
    writer(&user)?;
    let now = state.now();
    let draft = state
        .store
        .article_draft(parse_id(&id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_edit(&user, &draft, now) {
        return Err(AppError::Forbidden);
    }
    let mut page = form_page(&visitor, &user, Some(&draft), input_of(&draft), now);
    page.notice = query.saved.map(|what| match what.as_str() {
        "published" => "Published.".to_owned(),
        "scheduled" => "Scheduled.".to_owned(),
        "unpublished" => "Unpublished: the article is a draft again.".to_owned(),
        _ => "Saved.".to_owned(),
    });
    render(&page)
}

/// The parsed content of the form, or the errors to show next to fields.
fn parse_content(input: &ArticleInput, errors: &mut FieldErrors) -> Option<ArticleContent> {
    let headline = errors.check("headline", Headline::parse(&input.headline));
    let summary = errors.check("summary", Summary::parse(&input.summary));
    let body = errors.check("body", ArticleBody::parse(&input.body));
    let tags = errors.check("tags", parse_tag_list(&input.tags));
    let (headline, summary, body, tags) = (headline?, summary?, body?, tags?);
    // Lists always show a summary: without one, the body's opening serves.
    let summary = if summary.as_str().is_empty() {
        plain_excerpt(body.as_str(), SUMMARY_FROM_BODY_CHARS)
    } else {
        summary.as_str().to_owned()
    };
    Some(ArticleContent {
        headline: headline.as_str().to_owned(),
        summary,
        body_html: render_article(body.as_str()),
        body_markdown: body.as_str().to_owned(),
        tags: tags
            .iter()
            .map(|t| (t.name().to_owned(), t.slug().as_str().to_owned()))
            .collect(),
    })
}

/// What the pressed button asks for.
enum Intent {
    Save,
    Preview,
    PublishNow,
    Schedule(i64),
    Unpublish,
}

fn parse_intent(
    input: &ArticleInput,
    user: &User,
    now: i64,
    errors: &mut FieldErrors,
) -> AppResult<Option<Intent>> {
    let intent = match input.action.as_str() {
        "" | "save" => Intent::Save,
        "preview" => Intent::Preview,
        "publish" | "schedule" | "unpublish" if !user.role.can_edit_any() => {
            return Err(AppError::Forbidden);
        }
        "publish" => Intent::PublishNow,
        "unpublish" => Intent::Unpublish,
        "schedule" => match time::parse_input(&input.publish_at) {
            Ok(at) if at > now => Intent::Schedule(at),
            Ok(_) => {
                errors.add("publish_at", "Pick a time in the future, or publish now.");
                return Ok(None);
            }
            Err(e) => {
                errors.add("publish_at", e.0);
                return Ok(None);
            }
        },
        _ => return Err(AppError::BadRequest("Unknown action.".to_owned())),
    };
    Ok(Some(intent))
}

pub async fn create_article(
    State(state): State<AppState>,
    SignedIn(user, visitor): SignedIn,
    Form(input): Form<ArticleInput>,
) -> AppResult<Response> {
    writer(&user)?;
    save(&state, &user, &visitor, None, input).await
}

pub async fn save_article(
    State(state): State<AppState>,
    SignedIn(user, visitor): SignedIn,
    Path(id): Path<String>,
    Form(input): Form<ArticleInput>,
) -> AppResult<Response> {
    writer(&user)?;
    let draft = state
        .store
        .article_draft(parse_id(&id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_edit(&user, &draft, state.now()) {
        return Err(AppError::Forbidden);
    }
    save(&state, &user, &visitor, Some(draft), input).await
}

/// Saves a new or existing article and carries out the pressed button.
async fn save(
    state: &AppState,
    user: &User,
    visitor: &Visitor,
    draft: Option<ArticleDraft>,
    input: ArticleInput,
) -> AppResult<Response> {
    let now = state.now();
    let mut errors = FieldErrors::default();
    let intent = parse_intent(&input, user, now, &mut errors)?;
    let content = parse_content(&input, &mut errors);
    let slug_locked = draft.as_ref().is_some_and(|d| d.slug_locked(now));
    // An empty slug box means "derive it from the headline".
    let typed_slug = if slug_locked || input.slug.trim().is_empty() {
        None
    } else {
        errors.check("slug", Slug::parse(&input.slug))
    };
    let (Some(intent), Some(content), true) = (intent, content, errors.is_empty()) else {
        let mut page = form_page(visitor, user, draft.as_ref(), input, now);
        page.errors = errors;
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    if let Intent::Preview = intent {
        let mut page = form_page(visitor, user, draft.as_ref(), input, now);
        page.preview = Some(content.body_html);
        return render(&page);
    }

    let saved = match &draft {
        None => {
            let (slug, auto) = match &typed_slug {
                Some(slug) => (slug.clone(), false),
                None => (Slug::from_text(&content.headline), true),
            };
            state
                .store
                .create_article(user.id, slug.as_str(), auto, &content, now)
                .await
                .map(|(id, _)| id)
        }
        Some(d) => {
            let slug = typed_slug
                .as_ref()
                .map(Slug::as_str)
                .filter(|s| *s != d.slug);
            state
                .store
                .update_article(d.id, slug, &content, now)
                .await
                .map(|()| d.id)
        }
    };
    let id = match saved {
        Ok(id) => id,
        Err(StoreError::Conflict(_)) => {
            errors.add(
                "slug",
                "Another article already uses this slug. Choose a different one.",
            );
            let mut page = form_page(visitor, user, draft.as_ref(), input, now);
            page.errors = errors;
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
        Err(e) => return Err(e.into()),
    };
    let notice = match intent {
        Intent::PublishNow => {
            state.store.publish_article(id, now, now).await?;
            "published"
        }
        Intent::Schedule(at) => {
            state.store.publish_article(id, at, now).await?;
            "scheduled"
        }
        Intent::Unpublish => {
            state.store.unpublish_article(id, now).await?;
            "unpublished"
        }
        Intent::Save | Intent::Preview => "saved",
    };
    Ok(see_other(&format!("/desk/articles/{id}?saved={notice}")))
}

#[derive(Template)]
#[template(path = "desk/users.html")]
struct UsersPage {
    nav: Nav,
    csrf: String,
    users: Vec<UserSummary>,
    roles: [Role; 4],
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct UsersQuery {
    updated: Option<String>,
}

pub async fn users_index(
    State(state): State<AppState>,
    SignedIn(user, visitor): SignedIn,
    Query(query): Query<UsersQuery>,
) -> AppResult<Response> {
    if !user.role.can_manage_users() {
        return Err(AppError::Forbidden);
    }
    let page = UsersPage {
        nav: Nav::of(&visitor),
        csrf: visitor.csrf_token(),
        users: state.store.list_users().await?,
        roles: Role::ALL,
        notice: query
            .updated
            .map(|name| format!("Changed the role of {name}.")),
        error: None,
    };
    render(&page)
}

#[derive(Debug, Deserialize)]
pub struct RoleInput {
    #[serde(default)]
    role: String,
}

pub async fn set_user_role(
    State(state): State<AppState>,
    SignedIn(user, visitor): SignedIn,
    Path(id): Path<String>,
    Form(input): Form<RoleInput>,
) -> AppResult<Response> {
    if !user.role.can_manage_users() {
        return Err(AppError::Forbidden);
    }
    let id = parse_id(&id)?;
    let error = match Role::parse(&input.role) {
        // An admin demoting themselves could leave the site with no admin.
        Ok(role) if id == user.id && role != Role::Admin => {
            Some("You can't remove your own admin role; ask another admin.".to_owned())
        }
        Ok(role) => {
            if !state.store.set_role(id, role).await? {
                return Err(AppError::NotFound);
            }
            None
        }
        Err(e) => Some(e.0),
    };
    let users = state.store.list_users().await?;
    match error {
        None => {
            let name = users
                .iter()
                .find(|u| u.id == id)
                .map_or(String::new(), |u| u.username.clone());
            Ok(see_other(&format!(
                "/desk/users?updated={}",
                super::encode_query(&name)
            )))
        }
        Some(error) => {
            let page = UsersPage {
                nav: Nav::of(&visitor),
                csrf: visitor.csrf_token(),
                users,
                roles: Role::ALL,
                notice: None,
                error: Some(error),
            };
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}
