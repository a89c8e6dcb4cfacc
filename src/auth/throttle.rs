//! Login throttling: after too many failures in a window, further attempts
//! for that account, or from that address, wait. Failures are stored in the
//! database so every instance of the site counts the same.

pub const WINDOW_MS: i64 = 15 * 60 * 1000;
pub const MAX_PER_ACCOUNT: i64 = 5;
pub const MAX_PER_ADDRESS: i64 = 20;

pub fn account_subject(login_name: &str) -> String {
    format!("account:{login_name}")
}

pub fn address_subject(address: &std::net::IpAddr) -> String {
    format!("address:{address}")
}
