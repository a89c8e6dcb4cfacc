//! The desk: where authors write drafts and editors publish, schedule and
//! unpublish; admins also manage roles here.

use super::meta::Head;
use super::visitor::{Nav, SignedIn, Visitor};
use super::{Form, encode_query, parse_id, render, render_with_status, see_other};
use crate::app::AppState;
use crate::domain::article::{ArticleContent, Publication, Slug, Stage};
use crate::domain::entities::knowledge::key;
use crate::domain::tag::TagName;
use crate::domain::user::{Role, User};
use crate::domain::{FieldErrors, ValidationError, bounded_text, time};
use crate::editorial::{self, ArticleEdit, Refused};
use crate::error::{AppError, AppResult};
use crate::media;
use crate::store::{ArticleDraft, Cover, DeskArticle, NewImage, UserSummary};
use crate::tagging::{self, ArticleText, Suggestion};
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

/// A cover's description for readers who cannot see it.
pub const ALT_MAX: usize = 300;
pub const CAPTION_MAX: usize = 500;

/// The desk is for those who may write.
fn writer(state: &AppState, user: &User) -> AppResult<()> {
    if state.config.policy.may_write(user) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The article at desk address `id`, if `user` may edit it.
async fn editable(state: &AppState, user: &User, id: &str) -> AppResult<ArticleDraft> {
    let draft = state
        .store
        .article_draft(parse_id(id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    if state
        .config
        .policy
        .may_edit(user, draft.author_id, draft.stage(state.now()))
    {
        Ok(draft)
    } else {
        Err(AppError::Forbidden)
    }
}

#[derive(Debug, Clone)]
pub struct DeskRow {
    pub article: DeskArticle,
    pub stage: Stage,
}

#[derive(Template)]
#[template(path = "desk/index.html")]
struct DeskPage {
    head: Head,
    nav: Nav,
    sections: [DeskSection; 3],
    editor: bool,
    /// Writers publish their own articles (open publishing).
    self_publishing: bool,
    notice: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct DeskQuery {
    deleted: Option<String>,
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
    Query(query): Query<DeskQuery>,
) -> AppResult<Response> {
    writer(&state, &user)?;
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
        head: Head::private(&visitor.config, "Desk"),
        nav: Nav::of(&visitor),
        sections,
        editor: user.role.can_edit_any(),
        self_publishing: state.config.policy.may_publish(&user, user.id),
        notice: query
            .deleted
            .map(|headline| format!("Deleted “{headline}”.")),
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
    errors: FieldErrors,
    preview: Option<String>,
    notice: Option<String>,
    /// The public address, when the article is live.
    live_url: Option<String>,
    author: String,
    cover: Option<Cover>,
    cover_notice: Option<&'static str>,
    /// The cover form's text fields: the current cover's, or as typed.
    cover_alt: String,
    cover_caption: String,
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

fn form_page(
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
            .await?
            .map(|(id, _)| id),
        Some(d) => editorial::update(&state.store, policy, state.tagging(), user, d, &edit, now)
            .await?
            .map(|_| d.id),
    };
    let id = match saved {
        Ok(id) => id,
        Err(Refused::Forbidden) => return Err(AppError::Forbidden),
        Err(Refused::Invalid(errors)) => return reshow(input, errors).await,
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

/// The cover form as posted.
#[derive(Default)]
struct CoverUpload {
    image: Option<axum::body::Bytes>,
    alt: String,
    caption: String,
}

async fn read_cover_form(mut form: Multipart) -> AppResult<CoverUpload> {
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        AppError::BadRequest(format!("The upload could not be read: {}", e.body_text()))
    };
    let mut upload = CoverUpload::default();
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("image") => upload.image = Some(field.bytes().await.map_err(unreadable)?),
            Some("alt") => upload.alt = field.text().await.map_err(unreadable)?,
            Some("caption") => upload.caption = field.text().await.map_err(unreadable)?,
            _ => {}
        }
    }
    Ok(upload)
}

/// Takes a cover image for an article: checked, cleaned, resized and
/// stored, then recorded; the image it replaces is removed.
pub async fn upload_cover(
    State(state): State<AppState>,
    SignedIn(user, visitor): SignedIn,
    Path(id): Path<String>,
    form: Multipart,
) -> AppResult<Response> {
    writer(&state, &user)?;
    let draft = editable(&state, &user, &id).await?;
    let mut upload = read_cover_form(form).await?;
    let mut errors = FieldErrors::default();
    let alt = errors.check(
        "alt",
        bounded_text(&upload.alt, "The description", 1, ALT_MAX),
    );
    let caption = errors.check(
        "caption",
        bounded_text(&upload.caption, "The caption", 0, CAPTION_MAX),
    );
    let image = upload.image.take().filter(|bytes| !bytes.is_empty());
    let limit = state.config.max_upload_bytes;
    if image.is_none() && draft.cover.is_none() {
        errors.add("image", "Choose an image to upload.");
    } else if image.as_ref().is_some_and(|bytes| bytes.len() > limit) {
        // The request limit leaves room for the form around the file.
        errors.add(
            "image",
            format!(
                "The image is larger than {} MB; choose a smaller one.",
                limit / (1024 * 1024)
            ),
        );
    }
    let prepared = match (image, errors.is_empty()) {
        (Some(bytes), true) => {
            let _turn = state
                .image_work
                .acquire()
                .await
                .map_err(|e| AppError::Internal(format!("image preparation: {e}")))?;
            let prepared = tokio::task::spawn_blocking(move || media::prepare(&bytes))
                .await
                .map_err(|e| AppError::Internal(format!("image preparation: {e}")))?;
            errors.check(
                "image",
                prepared.map_err(|e| ValidationError::new(e.to_string())),
            )
        }
        _ => None,
    };
    let (Some(alt), Some(caption)) = (alt, caption) else {
        return cover_refused(&state, &visitor, &user, &draft, errors, upload);
    };
    let Some(prepared) = prepared else {
        if errors.is_empty() {
            // No new file: the words about the current cover change.
            state
                .store
                .describe_cover(draft.id, &alt, &caption, state.now())
                .await?;
            return Ok(see_other(&format!(
                "/desk/articles/{}?saved=cover#cover",
                draft.id
            )));
        }
        return cover_refused(&state, &visitor, &user, &draft, errors, upload);
    };
    let image_id = media::new_image_id();
    for file in &prepared.files {
        if let Err(e) = state.media.put(&image_id, &file.name, &file.bytes).await {
            let _ = state.media.delete(&image_id).await;
            return Err(AppError::Internal(format!("storing an image: {e}")));
        }
    }
    let record = NewImage {
        id: image_id.clone(),
        width: i64::from(prepared.width),
        height: i64::from(prepared.height),
        widths: prepared.widths.iter().map(|w| i64::from(*w)).collect(),
        original: prepared.original,
        alt,
        caption,
        uploaded_by: user.id,
    };
    let replaced = match state
        .store
        .set_cover(draft.id, Some(&record), state.now())
        .await
    {
        Ok(replaced) => replaced,
        Err(e) => {
            // Not recorded: its files would never be shown.
            let _ = state.media.delete(&image_id).await;
            return Err(e.into());
        }
    };
    forget_image(&state, replaced).await;
    Ok(see_other(&format!(
        "/desk/articles/{}?saved=cover#cover",
        draft.id
    )))
}

/// The article form again, with what was wrong with the cover form and
/// the text typed into it.
fn cover_refused(
    state: &AppState,
    visitor: &Visitor,
    user: &User,
    draft: &ArticleDraft,
    errors: FieldErrors,
    upload: CoverUpload,
) -> AppResult<Response> {
    let mut page = form_page(state, visitor, user, Some(draft), input_of(draft));
    page.errors = errors;
    page.cover_alt = upload.alt;
    page.cover_caption = upload.caption;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

pub async fn remove_cover(
    State(state): State<AppState>,
    SignedIn(user, _): SignedIn,
    Path(id): Path<String>,
) -> AppResult<Response> {
    writer(&state, &user)?;
    let draft = editable(&state, &user, &id).await?;
    let replaced = state.store.set_cover(draft.id, None, state.now()).await?;
    forget_image(&state, replaced).await;
    Ok(see_other(&format!(
        "/desk/articles/{}?saved=cover-removed#cover",
        draft.id
    )))
}

/// Removes a replaced image's files. It is no longer shown, so failing
/// here only leaves files behind: logged, not an error for the journalist.
pub async fn forget_image(state: &AppState, image: Option<String>) {
    if let Some(image) = image
        && let Err(e) = state.media.delete(&image).await
    {
        tracing::warn!(error = %e, image, "an old image's files were not removed");
    }
}

#[derive(Template)]
#[template(path = "desk/delete.html")]
struct DeletePage {
    head: Head,
    nav: Nav,
    csrf: String,
    draft: ArticleDraft,
    /// Likes and comments that go with it.
    likes: i64,
    comments: i64,
}

/// The article at `id` if `user` may delete it.
async fn deletable(state: &AppState, user: &User, id: &str) -> AppResult<ArticleDraft> {
    let draft = editable(state, user, id).await?;
    if editorial::may_delete(state.config.policy, user, &draft, state.now()) {
        Ok(draft)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Asks before deleting: it cannot be undone.
pub async fn delete_article_form(
    State(state): State<AppState>,
    SignedIn(user, visitor): SignedIn,
    Path(id): Path<String>,
) -> AppResult<Response> {
    writer(&state, &user)?;
    let draft = deletable(&state, &user, &id).await?;
    let (likes, comments) = state.store.recount(draft.id).await?;
    render(&DeletePage {
        head: Head::private(&visitor.config, "Delete article"),
        nav: Nav::of(&visitor),
        csrf: visitor.csrf_token(),
        draft,
        likes,
        comments,
    })
}

pub async fn delete_article(
    State(state): State<AppState>,
    SignedIn(user, _): SignedIn,
    Path(id): Path<String>,
) -> AppResult<Response> {
    writer(&state, &user)?;
    let draft = deletable(&state, &user, &id).await?;
    match editorial::delete(
        &state.store,
        state.config.policy,
        &user,
        &draft,
        state.now(),
    )
    .await?
    {
        Ok(()) => {
            forget_image(&state, draft.cover.as_ref().map(|c| c.id.clone())).await;
            Ok(see_other(&format!(
                "/desk?deleted={}",
                encode_query(&draft.headline)
            )))
        }
        Err(_) => Err(AppError::Forbidden),
    }
}

#[derive(Template)]
#[template(path = "desk/users.html")]
struct UsersPage {
    head: Head,
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
        head: Head::private(&visitor.config, "Users"),
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
                encode_query(&name)
            )))
        }
        Some(error) => {
            let page = UsersPage {
                head: Head::private(&visitor.config, "Users"),
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
