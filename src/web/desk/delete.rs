//! Deleting an article, after a page that says what goes with it.

use super::{editable, writer};
use crate::domain::user::User;
use crate::editorial::{self};
use crate::error::{AppError, AppResult};
use crate::http::encode_query;
use crate::media;
use crate::state::AppState;
use crate::store::ArticleDraft;
use crate::web::meta::Head;
use crate::web::visitor::{Nav, SignedIn};
use crate::web::{render, see_other};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

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
    editorial::delete(
        &state.store,
        state.config.policy,
        &user,
        &draft,
        state.now(),
    )
    .await?;
    media::covers::forget(&state.media, draft.cover.as_ref().map(|c| c.id.clone())).await;
    Ok(see_other(&format!(
        "/desk?deleted={}",
        encode_query(&draft.headline)
    )))
}
