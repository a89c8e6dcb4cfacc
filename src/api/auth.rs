//! Who is calling the API: `Authorization: Token <jwt>` (also `Bearer`).

use crate::domain::user::User;
use crate::error::AppError;
use crate::limits::{Limit, Subject};
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

/// A caller with a valid token, and the token they presented.
pub struct ApiUser {
    pub user: User,
    pub token: String,
}

/// A caller who may or may not have presented a token. A token that is
/// presented must be valid.
pub struct MaybeApiUser(pub Option<ApiUser>);

fn presented_token(parts: &Parts) -> Option<Result<String, AppError>> {
    let value = parts.headers.get(header::AUTHORIZATION)?;
    let Ok(value) = value.to_str() else {
        return Some(Err(AppError::Unauthorized));
    };
    let token = value
        .strip_prefix("Token ")
        .or_else(|| value.strip_prefix("Bearer "))
        .map(str::trim)
        .map(str::to_owned)
        .ok_or(AppError::Unauthorized);
    Some(token)
}

async fn load(state: &AppState, token: String) -> Result<ApiUser, AppError> {
    let user_id = state
        .tokens
        .verify(&token, state.now() / 1000)
        .ok_or(AppError::Unauthorized)?;
    let hash = crate::auth::session::token_hash(&token);
    state
        .limiter
        .check(
            &state.store,
            Limit::ApiPerToken,
            Subject::Token(&hash[..32]),
            state.now(),
        )
        .await?;
    let account = state
        .store
        .account(user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    Ok(ApiUser {
        user: account.user,
        token,
    })
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let MaybeApiUser(caller) = MaybeApiUser::from_request_parts(parts, state).await?;
        caller.ok_or(AppError::Unauthorized)
    }
}

impl FromRequestParts<AppState> for MaybeApiUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match presented_token(parts) {
            Some(token) => Ok(MaybeApiUser(Some(load(state, token?).await?))),
            None => Ok(MaybeApiUser(None)),
        }
    }
}
