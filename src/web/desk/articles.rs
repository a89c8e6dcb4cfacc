//! The article form: writing, previewing, saving, publishing, scheduling
//! and unpublishing, with the tags the extractor suggests for what it holds.

use super::{editable, writer};
use crate::domain::article::{ArticleContent, Publication, Slug, Stage};
use crate::domain::entities::knowledge::key;
use crate::domain::tag::TagName;
use crate::domain::user::User;
use crate::domain::{FieldErrors, time};
use crate::editorial::{self, ArticleEdit};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::{ArticleDraft, Cover};
use crate::tagging::{self, ArticleText, Suggestion};
use crate::web::meta::Head;
use crate::web::visitor::{Nav, SignedIn, Visitor};
use crate::web::{Form, render, render_with_status, see_other};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

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
pub(super) struct ArticleFormPage {
    head: Head,
    nav: Nav,
    csrf: String,
    /// None for a new article.
    id: Option<i64>,
    input: ArticleInput,
    stage: Option<Stage>,
    slug_locked: bool,
    can_publish: bool,
    can_delete: bool,
    pub(super) errors: FieldErrors,
    preview: Option<String>,
    notice: Option<String>,
    /// The public address, when the article is live.
    live_url: Option<String>,
    author: String,
    cover: Option<Cover>,
    cover_notice: Option<&'static str>,
    /// The cover form's text fields: the current cover's, or as typed.
    pub(super) cover_alt: String,
    pub(super) cover_caption: String,
    /// The largest upload accepted, to say on the form and check before
    /// sending.
    max_upload_mb: usize,
    max_upload_bytes: usize,
    /// Tags the extractor proposes for what the form holds.
    suggestions: Vec<Suggestion>,
}

impl ArticleFormPage {
    /// Proposes tags for what the form holds, leaving out its tags and the
    /// suggestions turned down for the article.
    async fn suggest(&mut self, state: &AppState) -> AppResult<()> {
        self.suggestions = suggestions_for(state, self.id, &self.input).await?;
        Ok(())
    }

    fn action_url(&self) -> String {
        self.id
            .map_or("/desk/new".to_owned(), |id| format!("/desk/articles/{id}"))
    }
}

pub(super) fn form_page(
    state: &AppState,
    visitor: &Visitor,
    user: &User,
    draft: Option<&ArticleDraft>,
    input: ArticleInput,
) -> ArticleFormPage {
    let now = state.now();
    let policy = state.config.policy;
    let stage = draft.map(|d| d.stage(now));
    ArticleFormPage {
        head: Head::private(
            &visitor.config,
            if draft.is_some() {
                "Edit article"
            } else {
                "New article"
            },
        ),
        nav: Nav::of(visitor),
        csrf: visitor.csrf_token(),
        id: draft.map(|d| d.id),
        input,
        stage,
        slug_locked: draft.is_some_and(|d| d.slug_locked(now)),
        can_publish: policy.may_publish(user, draft.map_or(user.id, |d| d.author_id)),
        can_delete: draft.is_some_and(|d| editorial::may_delete(policy, user, d, now)),
        errors: FieldErrors::default(),
        preview: None,
        notice: None,
        live_url: (stage == Some(Stage::Published))
            .then(|| format!("/articles/{}", draft.map_or("", |d| &d.slug))),
        author: draft.map_or_else(|| user.username.clone(), |d| d.author.clone()),
        cover: draft.and_then(|d| d.cover.clone()),
        cover_notice: None,
        cover_alt: draft
            .and_then(|d| d.cover.as_ref())
            .map_or_else(String::new, |c| c.alt.clone()),
        cover_caption: draft
            .and_then(|d| d.cover.as_ref())
            .map_or_else(String::new, |c| c.caption.clone()),
        max_upload_mb: state.config.max_upload_bytes / (1024 * 1024),
        max_upload_bytes: state.config.max_upload_bytes,
        suggestions: Vec::new(),
    }
}

async fn suggestions_for(
    state: &AppState,
    article_id: Option<i64>,
    input: &ArticleInput,
) -> AppResult<Vec<Suggestion>> {
    if input.body.trim().is_empty() && input.headline.trim().is_empty() {
        return Ok(Vec::new());
    }
    let knowledge = state.tagger.knowledge(&state.store).await?;
    let entities = tagging::entities(
        ArticleText {
            headline: &input.headline,
            summary: &input.summary,
            body_markdown: &input.body,
        },
        knowledge,
    )
    .await;
    let rejected = match article_id {
        Some(id) => state.store.rejected_suggestions(id).await?,
        None => Vec::new(),
    };
    // Tags as typed, even if the list does not parse yet.
    let typed: Vec<String> = input
        .tags
        .split(',')
        .filter_map(|t| TagName::parse(t).ok())
        .map(|t| t.slug().as_str().to_owned())
        .collect();
    let mut suggestions = tagging::suggestions(&entities, &typed, &rejected);
    suggestions.truncate(tagging::SUGGESTIONS_SHOWN);
    Ok(suggestions)
}

/// What a suggestion button asks for, besides saving.
enum TagChoice {
    None,
    /// Accepted: already added to the tags.
    Accepted,
    /// Turned down: remembered for the article once saved.
    Rejected(String),
}

/// Reads a suggestion button ("accept:NAME", "accept-all", "reject:NAME")
/// into the form: accepted names join the typed tags, and the button
/// becomes a save. Anything the journalist typed goes along unchanged.
async fn apply_tag_choice(
    state: &AppState,
    article_id: Option<i64>,
    input: &mut ArticleInput,
) -> AppResult<TagChoice> {
    let add = |input: &mut ArticleInput, name: &str| {
        let typed = input.tags.trim().trim_end_matches(',').trim();
        input.tags = if typed.is_empty() {
            name.to_owned()
        } else {
            format!("{typed}, {name}")
        };
    };
    let choice = if let Some(name) = input.action.strip_prefix("accept:") {
        let name = name.to_owned();
        add(input, &name);
        TagChoice::Accepted
    } else if input.action == "accept-all" {
        for suggestion in suggestions_for(state, article_id, input).await? {
            add(input, &suggestion.name);
        }
        TagChoice::Accepted
    } else if let Some(name) = input.action.strip_prefix("reject:") {
        TagChoice::Rejected(key(name))
    } else {
        return Ok(TagChoice::None);
    };
    input.action = "save".to_owned();
    Ok(choice)
}

pub(super) fn input_of(draft: &ArticleDraft) -> ArticleInput {
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
    writer(&state, &user)?;
    render(&form_page(
        &state,
        &visitor,
        &user,
        None,
        ArticleInput::default(),
    ))
}

pub async fn edit_article_form(
    State(state): State<AppState>,
    SignedIn(user, visitor): SignedIn,
    Path(id): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> AppResult<Response> {
    writer(&state, &user)?;
    let draft = editable(&state, &user, &id).await?;
    let mut page = form_page(&state, &visitor, &user, Some(&draft), input_of(&draft));
    page.suggest(&state).await?;
    // The cover form is further down the page: its notice is shown beside it.
    match query.saved.as_deref() {
        Some("cover") => page.cover_notice = Some("Cover image saved."),
        Some("cover-removed") => page.cover_notice = Some("Cover image removed."),
        saved => {
            page.notice = saved.map(|what| match what {
                "published" => "Published.".to_owned(),
                "scheduled" => "Scheduled.".to_owned(),
                "unpublished" => "Unpublished: the article is a draft again.".to_owned(),
                "tagged" => "Saved with the accepted tags.".to_owned(),
                "rejected" => "Saved; that suggestion will not be offered again.".to_owned(),
                _ => "Saved.".to_owned(),
            });
        }
    }
    render(&page)
}

/// What the pressed button asks for.
enum Intent {
    /// Save, changing the publication when asked.
    Save(Option<Publication>),
    Preview,
}

/// Reads the pressed button; a scheduling time that does not parse is a
/// field error.
fn parse_intent(
    input: &ArticleInput,
    now: i64,
    errors: &mut FieldErrors,
) -> AppResult<Option<Intent>> {
    let intent = match input.action.as_str() {
        "" | "save" => Intent::Save(None),
        "preview" => Intent::Preview,
        "publish" => Intent::Save(Some(Publication::At(now))),
        "unpublish" => Intent::Save(Some(Publication::Withdraw)),
        "schedule" => {
            let at =
                time::parse_input(&input.publish_at).and_then(|at| Publication::schedule(at, now));
            match errors.check("publish_at", at) {
                Some(publication) => Intent::Save(Some(publication)),
                None => return Ok(None),
            }
        }
        _ => return Err(AppError::BadRequest("Unknown action.".to_owned())),
    };
    Ok(Some(intent))
}

pub async fn create_article(
    State(state): State<AppState>,
    SignedIn(user, visitor): SignedIn,
    Form(input): Form<ArticleInput>,
) -> AppResult<Response> {
    writer(&state, &user)?;
    save(&state, &user, &visitor, None, input).await
}

pub async fn save_article(
    State(state): State<AppState>,
    SignedIn(user, visitor): SignedIn,
    Path(id): Path<String>,
    Form(input): Form<ArticleInput>,
) -> AppResult<Response> {
    writer(&state, &user)?;
    let draft = editable(&state, &user, &id).await?;
    save(&state, &user, &visitor, Some(draft), input).await
}

/// Saves a new or existing article and carries out the pressed button.
async fn save(
    state: &AppState,
    user: &User,
    visitor: &Visitor,
    draft: Option<ArticleDraft>,
    mut input: ArticleInput,
) -> AppResult<Response> {
    let now = state.now();
    let policy = state.config.policy;
    let choice = apply_tag_choice(state, draft.as_ref().map(|d| d.id), &mut input).await?;
    let publishing = matches!(input.action.as_str(), "publish" | "schedule" | "unpublish");
    if !editorial::permitted(policy, user, draft.as_ref(), publishing, now) {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let intent = parse_intent(&input, now, &mut errors)?;
    let content = ArticleContent::parse(
        &input.headline,
        &input.summary,
        &input.body,
        input.tags.split(','),
        &mut errors,
    );
    let slug_locked = draft.as_ref().is_some_and(|d| d.slug_locked(now));
    // An empty slug box means "derive it from the headline"; a locked one
    // is shown read-only and not read back.
    let typed_slug = if slug_locked || input.slug.trim().is_empty() {
        None
    } else {
        errors.check("slug", Slug::parse(&input.slug))
    };
    let reshow = async |input: ArticleInput, errors: FieldErrors| {
        let mut page = form_page(state, visitor, user, draft.as_ref(), input);
        page.errors = errors;
        page.suggest(state).await?;
        render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
    };
    let (Some(intent), Some(content), true) = (intent, content, errors.is_empty()) else {
        return reshow(input, errors).await;
    };
    let publication = match intent {
        Intent::Preview => {
            let mut page = form_page(state, visitor, user, draft.as_ref(), input);
            page.preview = Some(content.body_html);
            page.suggest(state).await?;
            return render(&page);
        }
        Intent::Save(publication) => publication,
    };
    let edit = ArticleEdit {
        content,
        slug: typed_slug,
        publication,
    };
    let saved = match &draft {
        None => editorial::create(&state.store, policy, state.tagging(), user, &edit, now)
            .await
            .map(|(id, _)| id),
        Some(d) => editorial::update(&state.store, policy, state.tagging(), user, d, &edit, now)
            .await
            .map(|_| d.id),
    };
    let id = match saved {
        Ok(id) => id,
        Err(AppError::Invalid(errors)) => return reshow(input, errors).await,
        Err(e) => return Err(e),
    };
    match choice {
        TagChoice::Accepted => return Ok(see_other(&format!("/desk/articles/{id}?saved=tagged"))),
        TagChoice::Rejected(name_key) => {
            state.store.reject_suggestion(id, &name_key).await?;
            return Ok(see_other(&format!("/desk/articles/{id}?saved=rejected")));
        }
        TagChoice::None => {}
    }
    let notice = match publication {
        Some(Publication::At(at)) if at > now => "scheduled",
        Some(Publication::At(_)) => "published",
        Some(Publication::Withdraw) => "unpublished",
        None => "saved",
    };
    Ok(see_other(&format!("/desk/articles/{id}?saved={notice}")))
}
