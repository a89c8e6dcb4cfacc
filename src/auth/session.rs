//! Server-side sessions. The browser holds a random token; the database
//! holds only its SHA-256, so neither logs nor a database copy reveal a
//! usable session id.

use sha2::{Digest, Sha256};

pub const SESSION_COOKIE: &str = "nr_session";
/// A random id for visitors who are not logged in, so that their forms
/// (login, register) carry a CSRF token too.
pub const VISITOR_COOKIE: &str = "nr_visitor";
pub const SESSION_DAYS: i64 = 30;

/// A fresh session token as sent to the browser.
pub fn new_token() -> String {
    super::hex(&super::random_bytes::<32>())
}

/// What the database stores for a token.
pub fn token_hash(token: &str) -> String {
    super::hex(&Sha256::digest(token.as_bytes()))
}

/// Tokens we issue are 64 lower-case hex digits; anything else is not
/// looked up at all.
pub fn is_well_formed(token: &str) -> bool {
    token.len() == 64
        && token
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A `Set-Cookie` value for a session-scoped cookie.
pub fn cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; Max-Age={max_age_secs}; HttpOnly; SameSite=Lax{secure}")
}

/// A `Set-Cookie` value that removes the cookie.
pub fn clear_cookie(name: &str, secure: bool) -> String {
    cookie(name, "", 0, secure)
}

/// The value of one cookie from a `Cookie` request header.
pub fn read_cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        (key == name).then_some(value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_and_stored_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert!(is_well_formed(&a));
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert!(!is_well_formed("../../etc/passwd"));
    }

    #[test]
    fn cookies_are_read_from_a_header() {
        let header = "a=1; nr_session=abc; b=2";
        assert_eq!(read_cookie(header, "nr_session"), Some("abc"));
        assert_eq!(read_cookie(header, "missing"), None);
        let set = cookie("nr_session", "abc", 60, true);
        assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Secure"));
    }
}
