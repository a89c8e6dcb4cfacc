//! Comments: add, reply (one level), edit and delete one's own, and hide
//! as an editor. Every action is a plain form; the script enhances adding.

use super::articles::{article_page, live_article};
use super::meta::Head;
use super::visitor::{Nav, SignedIn, Visitor};
use super::{Form, parse_id, render, render_with_status, see_other, wants_json};
use crate::comments;
use crate::domain::comment::CommentBody;
use crate::domain::markdown::render_comment;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::{ArticleCard, CommentView, ThreadPage, ThreadsPage};
use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use std::borrow::Borrow;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/articles/{slug}/comments", post(add_comment))
        .route("/articles/{slug}/comments/{id}", get(comment_fragment))
        .route(
            "/comments/{id}/edit",
            get(edit_comment_form).post(update_comment),
        )
        .route("/comments/{id}/delete", post(delete_comment))
        .route("/comments/{id}/hide", post(hide_comment))
        .route("/comments/{id}/unhide", post(unhide_comment))
}

/// A comment as shown, with what the viewer may do to it.
#[derive(Debug, Clone)]
pub struct CommentItem {
    pub view: CommentView,
    pub can_edit: bool,
    pub can_moderate: bool,
    /// Deleted, or hidden from this viewer: shown as a placeholder.
    pub placeholder: Option<&'static str>,
}

#[derive(Debug, Clone)]
pub struct Thread {
    pub comment: CommentItem,
    pub replies: Vec<CommentItem>,
    /// Replies beyond those shown (read on the thread's own page).
    pub more_replies: i64,
}

/// The comment form's state when re-shown after a failed submission.
#[derive(Debug, Clone, Default)]
pub struct CommentForm {
    pub parent_id: Option<i64>,
    pub text: String,
    pub error: Option<String>,
}

impl CommentForm {
    /// The text to put back into the form for the given thread (None: the
    /// top-level form).
    pub fn text_for<T: Borrow<i64>>(&self, parent_id: &Option<T>) -> &str {
        if self.is_for(parent_id) {
            &self.text
        } else {
            ""
        }
    }

    pub fn error_for<T: Borrow<i64>>(&self, parent_id: &Option<T>) -> Option<&str> {
        if self.is_for(parent_id) {
            self.error.as_deref()
        } else {
            None
        }
    }

    pub fn is_for<T: Borrow<i64>>(&self, parent_id: &Option<T>) -> bool {
        self.parent_id == parent_id.as_ref().map(|id| *id.borrow())
    }

    /// The id of the form's textarea: one per reply form, 0 for the top form.
    pub fn field_id<T: Borrow<i64>>(&self, parent_id: &Option<T>) -> String {
        format!(
            "comment-body-{}",
            parent_id.as_ref().map_or(0, |id| *id.borrow())
        )
    }
}

fn item(view: CommentView, visitor: &Visitor) -> CommentItem {
    let moderator = visitor.can_edit_any();
    let placeholder = if view.deleted {
        Some("This comment was deleted.")
    } else if view.hidden && !moderator {
        Some("This comment was hidden by an editor.")
    } else {
        None
    };
    CommentItem {
        can_edit: placeholder.is_none() && visitor.is(view.author_id),
        can_moderate: moderator && !view.deleted,
        placeholder,
        view,
    }
}

/// Groups a page of an article's comments into threads. Deleted or hidden
/// comments stay as placeholders only where replies hang off them.
pub fn threads(page: ThreadsPage, visitor: &Visitor) -> Vec<Thread> {
    let (top, replies): (Vec<_>, Vec<_>) = page
        .comments
        .into_iter()
        .partition(|c| c.parent_id.is_none());
    let more = |id: i64| {
        page.more_replies
            .iter()
            .find_map(|&(thread, more)| (thread == id).then_some(more))
            .unwrap_or(0)
    };
    let mut threads: Vec<Thread> = top
        .into_iter()
        .map(|c| Thread {
            more_replies: more(c.id),
            comment: item(c, visitor),
            replies: Vec::new(),
        })
        .collect();
    for reply in replies {
        let reply = item(reply, visitor);
        if reply.placeholder.is_some() {
            continue;
        }
        if let Some(thread) = threads
            .iter_mut()
            .find(|t| Some(t.comment.view.id) == reply.view.parent_id)
        {
            thread.replies.push(reply);
        }
    }
    threads.retain(|t| t.comment.placeholder.is_none() || !t.replies.is_empty());
    threads
}

#[derive(Debug, Deserialize)]
pub struct CommentInput {
    #[serde(default)]
    body: String,
    #[serde(default)]
    parent_id: Option<String>,
}

/// A single comment rendered for the script to insert without a reload.
#[derive(Template)]
#[template(path = "comments/fragment.html")]
struct CommentFragment {
    comment: CommentItem,
    csrf: String,
    reply: bool,
    /// A new thread has no replies yet, and offers the reply form a
    /// server-rendered thread does.
    replies: Vec<CommentItem>,
    more_replies: i64,
    signed_in: bool,
    form: CommentForm,
    card: ArticleCard,
}

pub async fn add_comment(
    State(state): State<AppState>,
    SignedIn(user, visitor): SignedIn,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Form(input): Form<CommentInput>,
) -> AppResult<Response> {
    let article = live_article(&state, &slug, Some(user.id)).await?;
    let requested_parent = match input.parent_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(
            raw.parse::<i64>()
                .map_err(|_| AppError::BadRequest("Unknown comment to reply to.".to_owned()))?,
        ),
    };
    let draft = comments::Draft {
        article_id: article.card.id,
        author_id: user.id,
        address: visitor.address,
        text: &input.body,
        reply_to: requested_parent,
    };
    let posted = comments::post(&state.store, &state.limiter, draft, state.now()).await;
    let posted = match posted {
        Ok(posted) => posted,
        Err(AppError::Invalid(errors)) if errors.get("parent_id").is_some() => {
            return Err(AppError::BadRequest(
                "That comment is not on this article.".to_owned(),
            ));
        }
        Err(AppError::Invalid(errors)) => {
            let message = errors.get("body").unwrap_or_default().to_owned();
            if wants_json(&headers) {
                let json = serde_json::json!({ "error": message });
                return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(json)).into_response());
            }
            let form = CommentForm {
                parent_id: requested_parent,
                text: input.body,
                error: Some(message),
            };
            return article_page(&state, &visitor, &slug, ThreadPage::Latest, form).await;
        }
        Err(e) if e.try_later().is_some() => {
            let wait = e.try_later().expect("checked");
            if wants_json(&headers) {
                let json = serde_json::json!({ "error": wait.message });
                return Ok(wait.tag(Json(json).into_response()));
            }
            let form = CommentForm {
                parent_id: requested_parent,
                text: input.body,
                error: Some(wait.message.clone()),
            };
            return Ok(
                wait.tag(article_page(&state, &visitor, &slug, ThreadPage::Latest, form).await?)
            );
        }
        Err(e) => return Err(e),
    };
    let id = posted.id;
    if wants_json(&headers) {
        let count = state.store.visible_comment_count(article.card.id).await?;
        let view = CommentView {
            id,
            parent_id: posted.parent_id,
            author_id: user.id,
            author: user.username.clone(),
            body_markdown: posted.body_markdown,
            body_html: posted.body_html,
            created_at: posted.created_at,
            edited_at: None,
            deleted: false,
            hidden: false,
        };
        let fragment = CommentFragment {
            comment: item(view, &visitor),
            csrf: visitor.csrf_token(),
            reply: posted.parent_id.is_some(),
            replies: Vec::new(),
            more_replies: 0,
            signed_in: true,
            form: CommentForm::default(),
            card: article.card.clone(),
        };
        let json = serde_json::json!({
            "id": id,
            "parent_id": posted.parent_id,
            "comments": count,
            "html": fragment.render()?,
        });
        return Ok((StatusCode::CREATED, Json(json)).into_response());
    }
    Ok(see_other(&format!("/articles/{slug}#comment-{id}")))
}

/// One visible comment of a live article, rendered as `visitor` sees it
/// (their reply form, an editor's moderation buttons): what a page fetches
/// when told of a new comment.
pub async fn comment_fragment(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((slug, id)): Path<(String, String)>,
) -> AppResult<Response> {
    let article = live_article(&state, &slug, visitor.user_id()).await?;
    let view = state
        .store
        .article_comment(article.card.id, parse_id(&id)?)
        .await?
        .filter(|c| !c.deleted && !c.hidden)
        .ok_or(AppError::NotFound)?;
    let fragment = CommentFragment {
        reply: view.parent_id.is_some(),
        comment: item(view, &visitor),
        csrf: visitor.csrf_token(),
        replies: Vec::new(),
        more_replies: 0,
        signed_in: visitor.user.is_some(),
        form: CommentForm::default(),
        card: article.card,
    };
    super::render(&fragment)
}

#[derive(Template)]
#[template(path = "comments/edit.html")]
struct EditPage {
    head: Head,
    nav: Nav,
    csrf: String,
    id: i64,
    article_slug: String,
    text: String,
    error: Option<String>,
}

/// Loads a comment the signed-in user wrote, with its article's slug.
async fn own_comment(
    state: &AppState,
    user_id: i64,
    raw_id: &str,
) -> AppResult<(i64, String, String)> {
    let id = parse_id(raw_id)?;
    let comment = comments::own(&state.store, user_id, id, None).await?;
    let slug = article_slug(state, comment.article_id).await?;
    Ok((id, slug, comment.body_markdown))
}

async fn article_slug(state: &AppState, article_id: i64) -> AppResult<String> {
    Ok(state
        .store
        .article_draft(article_id)
        .await?
        .ok_or(AppError::NotFound)?
        .slug)
}

pub async fn edit_comment_form(
    State(state): State<AppState>,
    SignedIn(user, visitor): SignedIn,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (id, article_slug, text) = own_comment(&state, user.id, &id).await?;
    render(&EditPage {
        head: Head::private(&visitor.config, "Edit comment"),
        nav: Nav::of(&visitor),
        csrf: visitor.csrf_token(),
        id,
        article_slug,
        text,
        error: None,
    })
}

pub async fn update_comment(
    State(state): State<AppState>,
    SignedIn(user, visitor): SignedIn,
    Path(id): Path<String>,
    Form(input): Form<CommentInput>,
) -> AppResult<Response> {
    let (id, article_slug, _) = own_comment(&state, user.id, &id).await?;
    match CommentBody::parse(&input.body) {
        Ok(body) => {
            let html = render_comment(body.as_str());
            state
                .store
                .edit_comment(id, body.as_str(), &html, state.now())
                .await?;
            Ok(see_other(&format!("/articles/{article_slug}#comment-{id}")))
        }
        Err(e) => {
            let page = EditPage {
                head: Head::private(&visitor.config, "Edit comment"),
                nav: Nav::of(&visitor),
                csrf: visitor.csrf_token(),
                id,
                article_slug,
                text: input.body,
                error: Some(e.0),
            };
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

pub async fn delete_comment(
    State(state): State<AppState>,
    SignedIn(user, _): SignedIn,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    let comment = comments::delete_own(&state.store, user.id, id, None, state.now()).await?;
    let slug = article_slug(&state, comment.article_id).await?;
    Ok(see_other(&format!("/articles/{slug}#comments")))
}

async fn moderate(
    state: &AppState,
    user_id: Option<i64>,
    visitor: &Visitor,
    raw_id: &str,
) -> AppResult<Response> {
    if !visitor.can_edit_any() {
        return Err(AppError::Forbidden);
    }
    let id = parse_id(raw_id)?;
    let comment = state.store.comment(id).await?.ok_or(AppError::NotFound)?;
    state
        .store
        .set_comment_hidden(id, user_id, state.now())
        .await?;
    let slug = article_slug(state, comment.article_id).await?;
    Ok(see_other(&format!("/articles/{slug}#comment-{id}")))
}

pub async fn hide_comment(
    State(state): State<AppState>,
    SignedIn(user, visitor): SignedIn,
    Path(id): Path<String>,
) -> AppResult<Response> {
    moderate(&state, Some(user.id), &visitor, &id).await
}

pub async fn unhide_comment(
    State(state): State<AppState>,
    SignedIn(_, visitor): SignedIn,
    Path(id): Path<String>,
) -> AppResult<Response> {
    moderate(&state, None, &visitor, &id).await
}
