//! Checking a login, shared by the site's login form and the JSON API:
//! throttling first, then the password (against a dummy hash when the
//! account does not exist, so timing does not reveal which accounts exist),
//! and every failure counted for the account and the address.

use super::{password, throttle};
use crate::domain::user::User;
use crate::error::{AppError, AppResult};
use crate::store::Store;
use std::net::IpAddr;

/// Looks `login_name` (a lower-cased username or email) up and checks
/// `password`. Refused with `Throttled` after too many recent failures for
/// the account or the address, else with `WrongCredentials`.
pub async fn authenticate(
    store: &Store,
    dummy_hash: &str,
    login_name: &str,
    password: &str,
    address: IpAddr,
    now: i64,
) -> AppResult<User> {
    let since = now - throttle::WINDOW_MS;
    let account = throttle::account_subject(login_name);
    let address = throttle::address_subject(&address);
    if store.count_login_failures(&account, since).await? >= throttle::MAX_PER_ACCOUNT
        || store.count_login_failures(&address, since).await? >= throttle::MAX_PER_ADDRESS
    {
        tracing::warn!("login throttled");
        return Err(AppError::Throttled);
    }
    let verified = match store.user_for_login(login_name).await? {
        Some((user, hash)) => password::verify(password, &hash).await.then_some(user),
        None => {
            password::verify(password, dummy_hash).await;
            None
        }
    };
    match verified {
        Some(user) => Ok(user),
        None => {
            store
                .record_login_failure(&[&account, &address], now)
                .await?;
            Err(AppError::WrongCredentials)
        }
    }
}
