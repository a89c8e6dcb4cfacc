//! The desk: where authors write drafts and editors publish, schedule and
//! unpublish; editors also keep the tags, admins the users' roles. One file
//! per concern: `index` (the article lists), `articles` (the article form),
//! `covers`, `delete`, `tags` and `users`.

mod articles;
mod covers;
mod delete;
mod index;
mod tags;
mod users;

use crate::domain::user::User;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::ArticleDraft;
use crate::web::parse_id;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

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

/// Where a cover is uploaded: the one route whose body may be as large as
/// the upload limit rather than a form's (the visitor layer reads it too).
pub const COVER_UPLOAD_ROUTE: &str = "/desk/articles/{id}/cover";

/// Every page and action of the desk. `upload_limit` bounds cover uploads.
pub fn router(upload_limit: usize) -> Router<AppState> {
    Router::new()
        .route("/desk", get(index::desk_index))
        .route(
            "/desk/new",
            get(articles::new_article_form).post(articles::create_article),
        )
        .route(
            "/desk/articles/{id}",
            get(articles::edit_article_form).post(articles::save_article),
        )
        .route(
            "/desk/articles/{id}/delete",
            get(delete::delete_article_form).post(delete::delete_article),
        )
        .route(
            COVER_UPLOAD_ROUTE,
            post(covers::upload_cover).layer(DefaultBodyLimit::max(
                crate::http::upload_body_limit(upload_limit),
            )),
        )
        .route(
            "/desk/articles/{id}/cover/remove",
            post(covers::remove_cover),
        )
        .route("/desk/tags", get(tags::tags_index))
        .route(
            "/desk/tags/{slug}",
            get(tags::tag_form).post(tags::save_tag),
        )
        .route("/desk/users", get(users::users_index))
        .route("/desk/users/{id}/role", post(users::set_user_role))
}
