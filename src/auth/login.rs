//! Checking a login, shared by the site's login form and the JSON API:
//! throttling first, then the password (against a dummy hash when the
//! account does not exist, so timing does not reveal which accounts exist),
//! and every failure counted for the account and the address.

use super::{password, throttle};
use crate::domain::user::User;
use crate::store::{Result, Store};
use std::net::IpAddr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginRefused {
    /// Too many recent failures for this account or address.
    Throttled,
    /// No such account, or the wrong password: deliberately not told apart.
    WrongCredentials,
}

/// Looks `login_name` (a lower-cased username or email) up and checks
/// `password`. The outer `Result` is a storage failure.
pub async fn authenticate(
    store: &Store,
    dummy_hash: &str,
    login_name: &str,
    password: &str,
    address: IpAddr,
    now: i64,
) -> Result<Result<User, LoginRefused>> {
    let since = now - throttle::WINDOW_MS;
    let account = throttle::account_subject(login_name);
    let address = throttle::address_subject(&address);
    if store.count_login_failures(&account, since).await? >= throttle::MAX_PER_ACCOUNT
        || store.count_login_failures(&address, since).await? >= throttle::MAX_PER_ADDRESS
    {
        tracing::warn!("login throttled");
        return Ok(Err(LoginRefused::Throttled));
    }
    let verified = match store.user_for_login(login_name).await? {
        Some((user, hash)) => password::verify(password, &hash).await.then_some(user),
        None => {
            password::verify(password, dummy_hash).await;
            None
        }
    };
    match verified {
        Some(user) => Ok(Ok(user)),
        None => {
            store
                .record_login_failure(&[&account, &address], now)
                .await?;
            Ok(Err(LoginRefused::WrongCredentials))
        }
    }
}
