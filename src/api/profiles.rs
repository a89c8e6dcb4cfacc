//! Profiles and following: `/api/profiles/{username}` and `…/follow`.

use super::auth::{ApiUser, MaybeApiUser};
use super::error::{ApiError, ApiResult};
use crate::app::AppState;
use crate::store::Profile;
use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};

pub fn profile_json(profile: &Profile) -> Value {
    json!({
        "username": profile.username,
        "bio": profile.bio,
        "image": profile.image,
        "following": profile.following,
    })
}

pub async fn show(
    State(state): State<AppState>,
    MaybeApiUser(caller): MaybeApiUser,
    Path(username): Path<String>,
) -> ApiResult<Json<Value>> {
    let viewer = caller.map(|c| c.user.id);
    let profile = state
        .store
        .profile(&username.to_lowercase(), viewer)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(json!({ "profile": profile_json(&profile) })))
}

async fn set_follow(
    state: &AppState,
    caller: &ApiUser,
    username: &str,
    follow: bool,
) -> ApiResult<Json<Value>> {
    let profile = state
        .store
        .set_follow(
            caller.user.id,
            &username.to_lowercase(),
            follow,
            state.now(),
        )
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(json!({ "profile": profile_json(&profile) })))
}

pub async fn follow(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(username): Path<String>,
) -> ApiResult<Json<Value>> {
    set_follow(&state, &caller, &username, true).await
}

pub async fn unfollow(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(username): Path<String>,
) -> ApiResult<Json<Value>> {
    set_follow(&state, &caller, &username, false).await
}
