//! Writing a comment, shared by the site and the JSON API: the same parse
//! of the text, the same threading (a reply to a reply joins its thread, so
//! replies stay one level deep), the same Markdown rendering and one insert.
//! Refusals are `Invalid` on "body" or "parent_id", which each surface
//! words its own way.

use crate::domain::comment::CommentBody;
use crate::domain::markdown::render_comment;
use crate::error::{AppError, AppResult};
use crate::store::{NewComment, Store};

/// A comment as it was written.
#[derive(Debug, Clone)]
pub struct Posted {
    pub id: i64,
    /// The thread it joined, if it is a reply.
    pub parent_id: Option<i64>,
    pub body_markdown: String,
    pub body_html: String,
    pub created_at: i64,
}

/// Adds a comment by `author_id` to the live article `article_id`, as a
/// reply to `reply_to` when given.
pub async fn post(
    store: &Store,
    article_id: i64,
    author_id: i64,
    text: &str,
    reply_to: Option<i64>,
    now: i64,
) -> AppResult<Posted> {
    let body = CommentBody::parse(text).map_err(|e| AppError::field("body", e.0))?;
    let parent_id = match reply_to {
        None => None,
        Some(id) => Some(
            store
                .reply_thread(id, article_id)
                .await?
                .ok_or_else(|| AppError::field("parent_id", "is not a comment on this article"))?,
        ),
    };
    let body_html = render_comment(body.as_str());
    let new = NewComment {
        article_id,
        parent_id,
        author_id,
        body_markdown: body.as_str(),
        body_html: &body_html,
    };
    let id = store.add_comment(&new, now).await?;
    Ok(Posted {
        id,
        parent_id,
        body_markdown: body.as_str().to_owned(),
        body_html,
        created_at: now,
    })
}
