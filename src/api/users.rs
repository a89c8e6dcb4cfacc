//! Accounts through the API: register, log in, the current user, updates.

use super::ApiJson;
use super::auth::ApiUser;
use super::error::GenericErrorModel;
use crate::auth::login;
use crate::auth::register;
use crate::domain::user::{Email, Password, Username, parse_login_name};
use crate::domain::{FieldErrors, ValidationError, bounded_text};
use crate::error::{AppError, AppResult};
use crate::http::ClientAddress;
use crate::state::AppState;
use crate::store::{Account, AccountUpdate};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register_user))
        .routes(routes!(login_user))
        .routes(routes!(current_user, update_user))
}

/// The body of a registration.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserRequest {
    user: NewUser,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    /// 3 to 32 letters, digits, '_' or '-'; stored lower-case.
    username: String,
    email: String,
    #[schema(format = Password)]
    password: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginUserRequest {
    user: LoginUser,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginUser {
    email: String,
    #[schema(format = Password)]
    password: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    user: UpdateUser,
}

/// Fields to change; absent fields stay as they are.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    email: Option<String>,
    username: Option<String>,
    /// A new password ends the user's sessions on the site.
    #[schema(format = Password)]
    password: Option<String>,
    bio: Option<String>,
    /// An http(s) address; `null` or `""` removes the image.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    image: Option<Option<String>>,
}

/// Tells an absent field (`None`) from an explicit `null` (`Some(None)`).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// The caller's own account, with a token for later requests.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct User {
    pub email: String,
    /// Send as `Authorization: Token <token>`.
    pub token: String,
    pub username: String,
    pub bio: String,
    pub image: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UserResponse {
    pub user: User,
}

pub const BIO_MAX: usize = 1_000;
pub const IMAGE_URL_MAX: usize = 2_000;

fn respond(account: &Account, token: &str) -> Json<UserResponse> {
    Json(UserResponse {
        user: User {
            email: account.user.email.clone(),
            token: token.to_owned(),
            username: account.user.username.clone(),
            bio: account.bio.clone(),
            image: account.image.clone(),
        },
    })
}

fn issue(state: &AppState, user_id: i64) -> String {
    state
        .tokens
        .issue(user_id, state.now() / 1000, state.config.token_ttl_secs)
}

/// Register: every new account is a reader.
#[utoipa::path(
    post,
    path = "/users",
    tag = "User and Authentication",
    operation_id = "CreateUser",
    request_body = NewUserRequest,
    responses(
        (status = 201, description = "The new account", body = UserResponse),
        (status = 422, description = "Invalid or taken fields", body = GenericErrorModel),
    )
)]
pub async fn register_user(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    ApiJson(body): ApiJson<NewUserRequest>,
) -> AppResult<(StatusCode, Json<UserResponse>)> {
    let input = body.user;
    let application = register::Application {
        username: &input.username,
        email: &input.email,
        password: &input.password,
        address,
    };
    let user = register::register(
        &state.store,
        &state.passwords,
        &state.limiter,
        application,
        state.now(),
    )
    .await?;
    let account = state
        .store
        .account(user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        StatusCode::CREATED,
        respond(&account, &issue(&state, user.id)),
    ))
}

/// Log in by email. Failures count towards the same throttling as the
/// site's login form.
#[utoipa::path(
    post,
    path = "/users/login",
    tag = "User and Authentication",
    operation_id = "Login",
    request_body = LoginUserRequest,
    responses(
        (status = 200, description = "The account, with a new token", body = UserResponse),
        (status = 401, description = "Wrong email or password", body = GenericErrorModel),
        (status = 422, description = "Invalid fields", body = GenericErrorModel),
        (status = 429, description = "Too many failed attempts", body = GenericErrorModel),
    )
)]
pub async fn login_user(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    ApiJson(body): ApiJson<LoginUserRequest>,
) -> AppResult<Json<UserResponse>> {
    let login_name =
        parse_login_name(&body.user.email).map_err(|e| AppError::field("email", e.0))?;
    let user = login::authenticate(
        &state.store,
        &state.passwords,
        &login_name,
        &body.user.password,
        address,
        state.now(),
    )
    .await?;
    let account = state
        .store
        .account(user.id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    Ok(respond(&account, &issue(&state, user.id)))
}

/// The account the token belongs to.
#[utoipa::path(
    get,
    path = "/user",
    tag = "User and Authentication",
    operation_id = "GetCurrentUser",
    security(("Token" = [])),
    responses(
        (status = 200, description = "The caller's account", body = UserResponse),
        (status = 401, description = "No valid token", body = GenericErrorModel),
    )
)]
pub async fn current_user(
    State(state): State<AppState>,
    caller: ApiUser,
) -> AppResult<Json<UserResponse>> {
    let account = state
        .store
        .account(caller.user.id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    Ok(respond(&account, &caller.token))
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

/// Change the caller's account; only the fields sent change.
#[utoipa::path(
    put,
    path = "/user",
    tag = "User and Authentication",
    operation_id = "UpdateCurrentUser",
    request_body = UpdateUserRequest,
    security(("Token" = [])),
    responses(
        (status = 200, description = "The changed account", body = UserResponse),
        (status = 401, description = "No valid token", body = GenericErrorModel),
        (status = 422, description = "Invalid or taken fields", body = GenericErrorModel),
    )
)]
pub async fn update_user(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(body): ApiJson<UpdateUserRequest>,
) -> AppResult<Json<UserResponse>> {
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
        Some(password) => Some(state.passwords.hash(&password).await?),
        None => None,
    };
    let update = AccountUpdate {
        username: username.flatten(),
        email: email.flatten(),
        password_hash,
        bio: bio.flatten(),
        image: image.map(Option::flatten),
    };
    // A taken username or email is `Taken`, on its field.
    let account = state.store.update_account(caller.user.id, &update).await?;
    Ok(respond(&account, &caller.token))
}
