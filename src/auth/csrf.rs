//! CSRF tokens: an HMAC of the visitor's cookie under a site key. A page
//! from another site can neither read the cookie nor forge the token.

use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const FIELD: &str = "csrf";
pub const HEADER: &str = "x-csrf-token";

#[derive(Clone)]
pub struct CsrfKey(Vec<u8>);

impl std::fmt::Debug for CsrfKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CsrfKey(***)")
    }
}

impl CsrfKey {
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    fn mac(&self) -> Hmac<Sha256> {
        #[expect(clippy::expect_used, reason = "HMAC accepts keys of any length")]
        Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length")
    }

    /// The token that forms of the visitor holding `cookie_value` carry.
    pub fn token_for(&self, cookie_value: &str) -> String {
        let mut mac = self.mac();
        mac.update(b"csrf:");
        mac.update(cookie_value.as_bytes());
        super::hex(&mac.finalize().into_bytes())
    }

    /// Compares in constant time.
    pub fn verify(&self, cookie_value: &str, token: &str) -> bool {
        let mut mac = self.mac();
        mac.update(b"csrf:");
        mac.update(cookie_value.as_bytes());
        let Some(bytes) = unhex(token) else {
            return false;
        };
        mac.verify_slice(&bytes).is_ok()
    }
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_valid_only_for_its_cookie() {
        let key = CsrfKey::new(vec![7; 32]);
        let token = key.token_for("cookie-a");
        assert!(key.verify("cookie-a", &token));
        assert!(!key.verify("cookie-b", &token));
        assert!(!key.verify("cookie-a", "00"));
        assert!(!key.verify("cookie-a", "zz"));
        assert!(!key.verify("cookie-a", "é"));
        assert!(!CsrfKey::new(vec![8; 32]).verify("cookie-a", &token));
    }
}
