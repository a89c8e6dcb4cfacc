//! Login throttling. Failures are counted per account and address together,
//! per account in all, and per address, in the database so every instance
//! counts the same. A guesser at one address gets a few tries at an account;
//! the owner, elsewhere, keeps logging in until guessers from many addresses
//! together reach the account's total, which bounds what any crowd can try.

pub const WINDOW_MS: i64 = 15 * 60 * 1000;
/// Guesses at one account from one address.
pub const MAX_PER_ACCOUNT_AND_ADDRESS: i64 = 5;
/// Guesses at one account from everywhere.
pub const MAX_PER_ACCOUNT: i64 = 50;
/// Guesses from one address at any accounts.
pub const MAX_PER_ADDRESS: i64 = 20;

/// Who a login names: the account when one answers to the name (so its
/// username and email share one count), else the name itself, counted the
/// same way so a refusal does not tell whether an account exists.
pub fn account_subject(account: Option<i64>, login_name: &str) -> String {
    match account {
        Some(id) => format!("account:{id}"),
        None => format!("name:{login_name}"),
    }
}

pub fn account_and_address_subject(account: &str, address: &std::net::IpAddr) -> String {
    format!("{account}@{address}")
}

pub fn address_subject(address: &std::net::IpAddr) -> String {
    format!("address:{address}")
}
