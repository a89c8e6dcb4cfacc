//! Accounts' security: password hashing, server-side sessions, CSRF tokens,
//! login throttling and the JSON API's signed tokens.

pub(crate) mod csrf;
pub(crate) mod login;
pub mod password;
pub(crate) mod register;
pub mod session;
pub(crate) mod throttle;
pub(crate) mod token;

/// Fills a buffer from the operating system's random source.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // The OS generator failing means the machine cannot do secure work at all.
    #[expect(
        clippy::expect_used,
        reason = "no safe fallback for missing OS randomness"
    )]
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    bytes
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}
