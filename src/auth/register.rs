//! Opening an account, shared by the site's form and the JSON API: the
//! same checks, the same hashing, the same uniqueness. Refusals are
//! `Invalid` (fields that do not parse) or `Taken` ("username" or "email"
//! belongs to another account), which each surface words its own way.

use super::password::Passwords;
use crate::domain::FieldErrors;
use crate::domain::user::{Email, NewUser, Password, Role, User, Username};
use crate::error::{AppError, AppResult};
use crate::limits::{Limit, Limiter, Subject};
use crate::store::Store;
use std::net::IpAddr;

/// What someone typed to open an account, and where they are.
pub struct Application<'a> {
    pub username: &'a str,
    pub email: &'a str,
    pub password: &'a str,
    pub address: IpAddr,
}

/// Creates a reader account from what was typed, within the address's
/// limit of new accounts (counted once the form is valid, before the
/// costly hash).
pub async fn register(
    store: &Store,
    passwords: &Passwords,
    limiter: &Limiter,
    application: Application<'_>,
    now: i64,
) -> AppResult<User> {
    let mut errors = FieldErrors::default();
    let username = errors.check("username", Username::parse(application.username));
    let email = errors.check("email", Email::parse(application.email));
    let password = errors.check("password", Password::parse(application.password));
    let (Some(username), Some(email), Some(password)) = (username, email, password) else {
        return Err(AppError::Invalid(errors));
    };
    limiter
        .check(
            store,
            Limit::RegistrationsPerAddress,
            Subject::Address(application.address),
            now,
        )
        .await?;
    let password_hash = passwords.hash(&password).await?;
    let new_user = NewUser {
        username,
        email,
        password_hash,
        role: Role::Reader,
    };
    // A taken username or email becomes `Taken`.
    Ok(store.create_user(&new_user, now).await?)
}
