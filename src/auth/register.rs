//! Opening an account, shared by the site's form and the JSON API: the
//! same checks, the same hashing, the same uniqueness; each surface words
//! the refusals its own way.

use super::password::{self, HashError};
use crate::domain::FieldErrors;
use crate::domain::user::{Email, NewUser, Password, Role, User, Username};
use crate::store::{Store, StoreError};

#[derive(Debug)]
pub enum Refused {
    /// Fields that do not parse, with the reasons.
    Invalid(FieldErrors),
    /// "username" or "email" belongs to another account.
    Taken(&'static str),
}

#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Hash(#[from] HashError),
}

/// Creates a reader account from what was typed.
pub async fn register(
    store: &Store,
    username: &str,
    email: &str,
    password: &str,
    now: i64,
) -> Result<Result<User, Refused>, RegisterError> {
    let mut errors = FieldErrors::default();
    let username = errors.check("username", Username::parse(username));
    let email = errors.check("email", Email::parse(email));
    let password = errors.check("password", Password::parse(password));
    let (Some(username), Some(email), Some(password)) = (username, email, password) else {
        return Ok(Err(Refused::Invalid(errors)));
    };
    let password_hash = password::hash(&password).await?;
    let new_user = NewUser {
        username,
        email,
        password_hash,
        role: Role::Reader,
    };
    match store.create_user(&new_user, now).await {
        Ok(user) => Ok(Ok(user)),
        Err(StoreError::Conflict(field)) => Ok(Err(Refused::Taken(field))),
        Err(e) => Err(e.into()),
    }
}
