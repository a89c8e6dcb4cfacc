//! Accounts through the API: register, log in, the current user, updates.

use super::ApiJson;
use super::auth::ApiUser;
use super::error::{ApiError, ApiResult};
use crate::app::AppState;
use crate::auth::login::{self, LoginRefused};
use crate::auth::password;
use crate::auth::register::{self, Refused};
use crate::domain::user::{Email, Password, Username, parse_login_name};
use crate::domain::{FieldErrors, ValidationError, bounded_text};
use crate::store::{Account, AccountUpdate, StoreError};
use crate::web::visitor::ClientAddress;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Deserializer};
use serde_json::{Value, json};

/// Request bodies come wrapped: `{"user": {…}}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserBody<T> {
    user: T,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    username: String,
    email: String,
    password: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    email: String,
    password: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Changes {
    email: Option<String>,
    username: Option<String>,
    password: Option<String>,
    bio: Option<String>,
    /// Absent: unchanged; `null` or `""`: removed.
    #[serde(default, deserialize_with = "present")]
    image: Option<Option<String>>,
}

/// Tells an absent field (`None`) from an explicit `null` (`Some(None)`).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

pub const BIO_MAX: usize = 1_000;
pub const IMAGE_URL_MAX: usize = 2_000;

fn user_json(account: &Account, token: &str) -> Value {
    json!({ "user": {
        "email": account.user.email,
        "token": token,
        "username": account.user.username,
        "bio": account.bio,
        "image": account.image,
    }})
}

fn issue(state: &AppState, user_id: i64) -> String {
    state
        .tokens
        .issue(user_id, state.now() / 1000, state.config.token_ttl_secs)
}

fn conflict(field: &str) -> ApiError {
    ApiError::field(
        if field == "email" {
            "email"
        } else {
            "username"
        },
        "has already been taken",
    )
}

pub async fn register(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<UserBody<Registration>>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let input = body.user;
    let outcome = register::register(
        &state.store,
        &input.username,
        &input.email,
        &input.password,
        state.now(),
    )
    .await?;
    let user = match outcome {
        Ok(user) => user,
        Err(Refused::Invalid(errors)) => return Err(errors.into()),
        Err(Refused::Taken(field)) => return Err(conflict(field)),
    };
    let account = state
        .store
        .account(user.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok((
        StatusCode::CREATED,
        Json(user_json(&account, &issue(&state, user.id))),
    ))
}

pub async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    ApiJson(body): ApiJson<UserBody<Credentials>>,
) -> ApiResult<Json<Value>> {
    let login_name =
        parse_login_name(&body.user.email).map_err(|e| ApiError::field("email", e.0))?;
    let outcome = login::authenticate(
        &state.store,
        &state.dummy_hash,
        &login_name,
        &body.user.password,
        address,
        state.now(),
    )
    .await?;
    match outcome {
        Ok(user) => {
            let account = state
                .store
                .account(user.id)
                .await?
                .ok_or(ApiError::Unauthorized)?;
            Ok(Json(user_json(&account, &issue(&state, user.id))))
        }
        Err(LoginRefused::WrongCredentials) => Err(ApiError::Status(
            StatusCode::UNAUTHORIZED,
            "email or password is invalid".to_owned(),
        )),
        Err(LoginRefused::Throttled) => Err(ApiError::Status(
            StatusCode::TOO_MANY_REQUESTS,
            "too many failed attempts; wait 15 minutes".to_owned(),
        )),
    }
}

pub async fn current(State(state): State<AppState>, caller: ApiUser) -> ApiResult<Json<Value>> {
    let account = state
        .store
        .account(caller.user.id)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    Ok(Json(user_json(&account, &caller.token)))
}

fn parse_image(raw: Option<String>) -> Result<Option<String>, ValidationError> {
    let Some(url) = raw.map(|u| u.trim().to_owned()).filter(|u| !u.is_empty()) else {
        return Ok(None);
    };
    if url.len() > IMAGE_URL_MAX {
        return Err(ValidationError::new(format!(
            "can be at most {IMAGE_URL_MAX} characters"
        )));
    }
    if !(url.starts_with("https://") || url.starts_with("http://"))
        || url.chars().any(char::is_whitespace)
    {
        return Err(ValidationError::new("must be an http or https address"));
    }
    Ok(Some(url))
}

pub async fn update(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(body): ApiJson<UserBody<Changes>>,
) -> ApiResult<Json<Value>> {
    let changes = body.user;
    let mut errors = FieldErrors::default();
    let username = changes.username.map(|u| {
        errors
            .check("username", Username::parse(&u))
            .map(|u| u.as_str().to_owned())
    });
    let email = changes.email.map(|e| {
        errors
            .check("email", Email::parse(&e))
            .map(|e| e.as_str().to_owned())
    });
    let password = changes
        .password
        .map(|p| errors.check("password", Password::parse(&p)));
    let bio = changes
        .bio
        .map(|b| errors.check("bio", bounded_text(&b, "The bio", 0, BIO_MAX)));
    let image = changes.image.map(|i| errors.check("image", parse_image(i)));
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let password_hash = match password.flatten() {
        Some(password) => Some(
            password::hash(&password)
                .await
                .map_err(|e| ApiError::Status(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?,
        ),
        None => None,
    };
    let update = AccountUpdate {
        username: username.flatten(),
        email: email.flatten(),
        password_hash,
        bio: bio.flatten(),
        image: image.map(Option::flatten),
    };
    let account = match state.store.update_account(caller.user.id, &update).await {
        Ok(account) => account,
        Err(StoreError::Conflict(field)) => return Err(conflict(field)),
        Err(e) => return Err(e.into()),
    };
    Ok(Json(user_json(&account, &caller.token)))
}
