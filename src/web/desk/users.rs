//! User admin: admins change people's roles.

use crate::domain::user::Role;
use crate::error::{AppError, AppResult};
use crate::http::encode_query;
use crate::state::AppState;
use crate::store::UserSummary;
use crate::web::meta::Head;
use crate::web::visitor::{Nav, SignedIn};
use crate::web::{Form, parse_id, render, render_with_status, see_other};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "desk/users.html")]
struct UsersPage {
    head: Head,
    nav: Nav,
    csrf: String,
    users: Vec<UserSummary>,
    roles: [Role; 4],
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct UsersQuery {
    updated: Option<String>,
}

pub async fn users_index(
    State(state): State<AppState>,
    SignedIn(user, visitor): SignedIn,
    Query(query): Query<UsersQuery>,
) -> AppResult<Response> {
    if !user.role.can_manage_users() {
        return Err(AppError::Forbidden);
    }
    let page = UsersPage {
        head: Head::private(&visitor.config, "Users"),
        nav: Nav::of(&visitor),
        csrf: visitor.csrf_token(),
        users: state.store.list_users().await?,
        roles: Role::ALL,
        notice: query
            .updated
            .map(|name| format!("Changed the role of {name}.")),
        error: None,
    };
    render(&page)
}

#[derive(Debug, Deserialize)]
pub struct RoleInput {
    #[serde(default)]
    role: String,
}

pub async fn set_user_role(
    State(state): State<AppState>,
    SignedIn(user, visitor): SignedIn,
    Path(id): Path<String>,
    Form(input): Form<RoleInput>,
) -> AppResult<Response> {
    if !user.role.can_manage_users() {
        return Err(AppError::Forbidden);
    }
    let id = parse_id(&id)?;
    let error = match Role::parse(&input.role) {
        // An admin demoting themselves could leave the site with no admin.
        Ok(role) if id == user.id && role != Role::Admin => {
            Some("You can't remove your own admin role; ask another admin.".to_owned())
        }
        Ok(role) => {
            if !state.store.set_role(id, role).await? {
                return Err(AppError::NotFound);
            }
            None
        }
        Err(e) => Some(e.0),
    };
    let users = state.store.list_users().await?;
    match error {
        None => {
            let name = users
                .iter()
                .find(|u| u.id == id)
                .map_or(String::new(), |u| u.username.clone());
            Ok(see_other(&format!(
                "/desk/users?updated={}",
                encode_query(&name)
            )))
        }
        Some(error) => {
            let page = UsersPage {
                head: Head::private(&visitor.config, "Users"),
                nav: Nav::of(&visitor),
                csrf: visitor.csrf_token(),
                users,
                roles: Role::ALL,
                notice: None,
                error: Some(error),
            };
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}
