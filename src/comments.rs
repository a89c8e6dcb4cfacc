//! Comments as the site and the JSON API both write them: the same parse
//! of the text, the same threading (a reply to a reply joins its thread, so
//! replies stay one level deep), the same Markdown rendering and one insert;
//! and the same rule for what is one's own to change or delete. Refusals
//! are `Invalid` on "body" or "parent_id", `NotFound` or `Forbidden`, which
//! each surface words its own way.

use crate::domain::comment::CommentBody;
use crate::domain::markdown::render_comment;
use crate::error::{AppError, AppResult};
use crate::limits::{Limit, Limiter, Subject};
use crate::store::{CommentRecord, NewComment, Store};
use std::net::IpAddr;

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

/// A comment someone asks to post.
pub struct Draft<'a> {
    /// The live article it is on.
    pub article_id: i64,
    pub author_id: i64,
    /// Where it came from, for the per-address limit.
    pub address: IpAddr,
    pub text: &'a str,
    /// The comment it answers, if any.
    pub reply_to: Option<i64>,
}

/// Adds a comment, within the account's and the address's rate limits
/// (checked once the text is valid, so a typo costs no allowance).
pub async fn post(
    store: &Store,
    limiter: &Limiter,
    draft: Draft<'_>,
    now: i64,
) -> AppResult<Posted> {
    let Draft {
        article_id,
        author_id,
        address,
        text,
        reply_to,
    } = draft;
    let body = CommentBody::parse(text).map_err(|e| AppError::field("body", e.0))?;
    limiter
        .check(store, Limit::Comments, Subject::Account(author_id), now)
        .await?;
    limiter
        .check(
            store,
            Limit::CommentsPerAddress,
            Subject::Address(address),
            now,
        )
        .await?;
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

/// The comment `id` if `user_id` wrote it and it still stands (on
/// `article_id`, when given): not found when it is missing, deleted or on
/// another article; forbidden when someone else wrote it.
pub async fn own(
    store: &Store,
    user_id: i64,
    id: i64,
    article_id: Option<i64>,
) -> AppResult<CommentRecord> {
    let comment = store.comment(id).await?.ok_or(AppError::NotFound)?;
    if comment.deleted || article_id.is_some_and(|a| a != comment.article_id) {
        return Err(AppError::NotFound);
    }
    if comment.author_id != user_id {
        return Err(AppError::Forbidden);
    }
    Ok(comment)
}

/// Deletes a comment its author asks to delete; replies to it stay, under
/// a placeholder on the site. Returns the comment as it was.
pub async fn delete_own(
    store: &Store,
    user_id: i64,
    id: i64,
    article_id: Option<i64>,
    now: i64,
) -> AppResult<CommentRecord> {
    let comment = own(store, user_id, id, article_id).await?;
    store.delete_comment(id, now).await?;
    Ok(comment)
}
