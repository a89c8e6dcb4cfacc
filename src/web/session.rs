//! Register, log in and log out. Sessions live in the database; the cookie
//! holds a random token that is replaced at every login.

use super::meta::Head;
use super::visitor::{Nav, Visitor};
use super::{Form, render_with_status, safe_next, see_other};
use crate::auth::login;
use crate::auth::register;
use crate::auth::session::{self, SESSION_COOKIE, SESSION_DAYS, VISITOR_COOKIE};
use crate::domain::FieldErrors;
use crate::domain::user::{User, parse_login_name};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/register", get(register_form).post(register))
        .route("/logout", post(logout))
}

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct LoginInput {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RegisterInput {
    #[serde(default)]
    username: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "session/login.html")]
struct LoginPage {
    head: Head,
    nav: Nav,
    csrf: String,
    next: String,
    login: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "session/register.html")]
struct RegisterPage {
    head: Head,
    nav: Nav,
    csrf: String,
    next: String,
    username: String,
    email: String,
    errors: FieldErrors,
}

pub async fn login_form(visitor: Visitor, Query(query): Query<NextQuery>) -> AppResult<Response> {
    let next = safe_next(query.next.as_deref());
    if visitor.user.is_some() {
        return Ok(see_other(&next));
    }
    let page = LoginPage {
        head: Head::private(&visitor.config, "Log in"),
        nav: Nav::of(&visitor),
        csrf: visitor.csrf_token(),
        next,
        login: String::new(),
        error: None,
    };
    render_with_status(StatusCode::OK, &page)
}

pub async fn register_form(
    visitor: Visitor,
    Query(query): Query<NextQuery>,
) -> AppResult<Response> {
    let next = safe_next(query.next.as_deref());
    if visitor.user.is_some() {
        return Ok(see_other(&next));
    }
    let page = RegisterPage {
        head: Head::private(&visitor.config, "Register"),
        nav: Nav::of(&visitor),
        csrf: visitor.csrf_token(),
        next,
        username: String::new(),
        email: String::new(),
        errors: FieldErrors::default(),
    };
    render_with_status(StatusCode::OK, &page)
}

pub async fn login(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(input): Form<LoginInput>,
) -> AppResult<Response> {
    let next = safe_next(input.next.as_deref());
    let reshow = |status: StatusCode, message: String| {
        let page = LoginPage {
            head: Head::private(&visitor.config, "Log in"),
            nav: Nav::of(&visitor),
            csrf: visitor.csrf_token(),
            next: next.clone(),
            login: input.login.clone(),
            error: Some(message),
        };
        render_with_status(status, &page)
    };
    let login_name = match parse_login_name(&input.login) {
        Ok(name) => name,
        Err(e) => return reshow(StatusCode::UNPROCESSABLE_ENTITY, e.0),
    };
    let outcome = login::authenticate(
        &state.store,
        &state.passwords,
        &login_name,
        &input.password,
        visitor.address,
        state.now(),
    )
    .await;
    match outcome {
        Ok(user) => start_session(&state, &visitor, &user, &next).await,
        Err(e) if e.try_later().is_some() => {
            let wait = e.try_later().expect("checked");
            Ok(wait.tag(reshow(wait.status, wait.message.clone())?))
        }
        Err(AppError::WrongCredentials) => reshow(
            StatusCode::UNPROCESSABLE_ENTITY,
            "That username or email and password don't match an account.".to_owned(),
        ),
        Err(e) => Err(e),
    }
}

pub async fn register(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(input): Form<RegisterInput>,
) -> AppResult<Response> {
    let next = safe_next(input.next.as_deref());
    let application = register::Application {
        username: &input.username,
        email: &input.email,
        password: &input.password,
        address: visitor.address,
    };
    let outcome = register::register(
        &state.store,
        &state.passwords,
        &state.limiter,
        application,
        state.now(),
    )
    .await;
    let errors = match outcome {
        Ok(user) => return start_session(&state, &visitor, &user, &next).await,
        Err(AppError::Invalid(errors)) => errors,
        Err(AppError::Taken(field)) => {
            let mut errors = FieldErrors::default();
            if field == "email" {
                errors.add(
                    "email",
                    "An account with that email already exists. Try logging in.",
                );
            } else {
                errors.add("username", "That username is taken. Please choose another.");
            }
            errors
        }
        Err(e) => match e.try_later() {
            Some(wait) => {
                let mut errors = FieldErrors::default();
                errors.add("form", wait.message.clone());
                return Ok(wait.tag(register_again(&visitor, next, input, errors)?));
            }
            None => return Err(e),
        },
    };
    register_again(&visitor, next, input, errors)
}

/// The registration form again, with what was typed and what to correct.
fn register_again(
    visitor: &Visitor,
    next: String,
    input: RegisterInput,
    errors: FieldErrors,
) -> AppResult<Response> {
    let page = RegisterPage {
        head: Head::private(&visitor.config, "Register"),
        nav: Nav::of(visitor),
        csrf: visitor.csrf_token(),
        next,
        username: input.username,
        email: input.email,
        errors,
    };
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// Opens a new session (a new token: never one the browser held before)
/// and sends the visitor on.
async fn start_session(
    state: &AppState,
    visitor: &Visitor,
    user: &User,
    next: &str,
) -> AppResult<Response> {
    if let Some(old) = visitor.session_hash() {
        state.store.delete_session(old).await?;
    }
    let token = session::new_token();
    let now = state.now();
    let max_age = SESSION_DAYS * 24 * 3600;
    state
        .store
        .create_session(
            &session::token_hash(&token),
            user.id,
            now,
            now + max_age * 1000,
        )
        .await?;
    tracing::info!(user.id = user.id, "logged in");
    let secure = state.config.secure_cookies;
    let mut response = see_other(next);
    set_cookie(
        &mut response,
        &session::cookie(SESSION_COOKIE, &token, max_age, secure),
    );
    set_cookie(
        &mut response,
        &session::clear_cookie(VISITOR_COOKIE, secure),
    );
    Ok(response)
}

fn set_cookie(response: &mut Response, cookie: &str) {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

pub async fn logout(State(state): State<AppState>, visitor: Visitor) -> AppResult<Response> {
    if let Some(hash) = visitor.session_hash() {
        state.store.delete_session(hash).await?;
    }
    let mut response = see_other("/");
    set_cookie(
        &mut response,
        &session::clear_cookie(SESSION_COOKIE, state.config.secure_cookies),
    );
    Ok(response)
}
