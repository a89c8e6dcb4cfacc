//! Checking a login, shared by the site's login form and the JSON API:
//! throttling first, then the password (against a dummy hash when the
//! account does not exist, so timing does not reveal which accounts exist),
//! and every failure counted for the account at the address, the account
//! and the address (see `throttle`).

use super::password::Passwords;
use super::throttle;
use crate::domain::user::User;
use crate::error::{AppError, AppResult};
use crate::store::Store;
use std::net::IpAddr;

/// Looks `login_name` (a lower-cased username or email) up and checks
/// `password`. Refused with `Throttled` after too many recent failures for
/// the account or the address, else with `WrongCredentials`.
pub async fn authenticate(
    store: &Store,
    passwords: &Passwords,
    login_name: &str,
    password: &str,
    address: IpAddr,
    now: i64,
) -> AppResult<User> {
    let since = now - throttle::WINDOW_MS;
    // Finding the account first is one indexed query; it lets a username and
    // an email of one account share a count.
    let found = store.user_for_login(login_name).await?;
    let account = throttle::account_subject(found.as_ref().map(|(user, _)| user.id), login_name);
    let pair = throttle::account_and_address_subject(&account, &address);
    let address = throttle::address_subject(&address);
    let limits = [
        (&pair, throttle::MAX_PER_ACCOUNT_AND_ADDRESS),
        (&account, throttle::MAX_PER_ACCOUNT),
        (&address, throttle::MAX_PER_ADDRESS),
    ];
    for (subject, max) in limits {
        if store.count_login_failures(subject, since).await? >= max {
            tracing::warn!("login throttled");
            return Err(AppError::Throttled);
        }
    }
    let verified = match found {
        Some((user, hash)) => passwords.verify(password, &hash).await?.then_some(user),
        None => {
            passwords.verify_dummy(password).await?;
            None
        }
    };
    match verified {
        Some(user) => Ok(user),
        None => {
            store
                .record_login_failure(&[&pair, &account, &address], now)
                .await?;
            Err(AppError::WrongCredentials)
        }
    }
}
