//! Profiles and following: `/api/profiles/{username}` and `…/follow`.

use super::auth::{ApiUser, MaybeApiUser};
use super::error::GenericErrorModel;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::Profile as StoredProfile;
use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(show_profile))
        .routes(routes!(follow_user, unfollow_user))
}

/// A user as the caller sees them.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Profile {
    pub username: String,
    pub bio: String,
    /// An image address, or null.
    pub image: Option<String>,
    /// Whether the caller follows them (false without a token).
    pub following: bool,
}

impl From<&StoredProfile> for Profile {
    fn from(profile: &StoredProfile) -> Self {
        Self {
            username: profile.username.clone(),
            bio: profile.bio.clone(),
            image: profile.image.clone(),
            following: profile.following,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProfileResponse {
    pub profile: Profile,
}

fn respond(profile: &StoredProfile) -> Json<ProfileResponse> {
    Json(ProfileResponse {
        profile: profile.into(),
    })
}

/// Get a profile; the token is optional.
#[utoipa::path(
    get,
    path = "/profiles/{username}",
    tag = "Profile",
    operation_id = "GetProfileByUsername",
    params(("username" = String, Path, description = "The user's name")),
    security((), ("Token" = [])),
    responses(
        (status = 200, description = "The profile", body = ProfileResponse),
        (status = 401, description = "A token was sent but is not valid", body = GenericErrorModel),
        (status = 404, description = "No such user", body = GenericErrorModel),
    )
)]
pub async fn show_profile(
    State(state): State<AppState>,
    MaybeApiUser(caller): MaybeApiUser,
    Path(username): Path<String>,
) -> AppResult<Json<ProfileResponse>> {
    let viewer = caller.map(|c| c.user.id);
    let profile = state
        .store
        .profile(&username.to_lowercase(), viewer)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(respond(&profile))
}

async fn set_follow(
    state: &AppState,
    caller: &ApiUser,
    username: &str,
    follow: bool,
) -> AppResult<Json<ProfileResponse>> {
    let profile = state
        .store
        .set_follow(
            caller.user.id,
            &username.to_lowercase(),
            follow,
            state.now(),
        )
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(respond(&profile))
}

/// Follow a user; following twice is the same as once.
#[utoipa::path(
    post,
    path = "/profiles/{username}/follow",
    tag = "Profile",
    operation_id = "FollowUserByUsername",
    params(("username" = String, Path, description = "The user to follow")),
    security(("Token" = [])),
    responses(
        (status = 200, description = "The profile, now followed", body = ProfileResponse),
        (status = 401, description = "No valid token", body = GenericErrorModel),
        (status = 404, description = "No such user", body = GenericErrorModel),
    )
)]
pub async fn follow_user(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(username): Path<String>,
) -> AppResult<Json<ProfileResponse>> {
    set_follow(&state, &caller, &username, true).await
}

/// Unfollow a user.
#[utoipa::path(
    delete,
    path = "/profiles/{username}/follow",
    tag = "Profile",
    operation_id = "UnfollowUserByUsername",
    params(("username" = String, Path, description = "The user to unfollow")),
    security(("Token" = [])),
    responses(
        (status = 200, description = "The profile, no longer followed", body = ProfileResponse),
        (status = 401, description = "No valid token", body = GenericErrorModel),
        (status = 404, description = "No such user", body = GenericErrorModel),
    )
)]
pub async fn unfollow_user(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(username): Path<String>,
) -> AppResult<Json<ProfileResponse>> {
    set_follow(&state, &caller, &username, false).await
}
