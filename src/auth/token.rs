//! API tokens: JSON Web Tokens signed with HMAC-SHA256 (HS256) under a key
//! from configuration or generated once per site. A token names the user
//! and when it expires; nothing else is trusted from it.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// `{"alg":"HS256","typ":"JWT"}`, the only header we issue or accept.
const HEADER: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

#[derive(Serialize, Deserialize)]
struct Claims {
    sub: String,
    iat: i64,
    exp: i64,
}

#[derive(Clone)]
pub struct TokenKey(Vec<u8>);

impl std::fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKey(***)")
    }
}

impl TokenKey {
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    fn mac(&self) -> Hmac<Sha256> {
        #[expect(clippy::expect_used, reason = "HMAC accepts keys of any length")]
        Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length")
    }

    /// A token for `user_id`, valid from `now` (Unix seconds) for `ttl` seconds.
    pub fn issue(&self, user_id: i64, now: i64, ttl: i64) -> String {
        let claims = Claims {
            sub: user_id.to_string(),
            iat: now,
            exp: now + ttl,
        };
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap_or_default());
        let signing_input = format!("{HEADER}.{payload}");
        let mut mac = self.mac();
        mac.update(signing_input.as_bytes());
        let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{signing_input}.{signature}")
    }

    /// The user a token names, if it is ours, intact and not expired.
    pub fn verify(&self, token: &str, now: i64) -> Option<i64> {
        let mut parts = token.split('.');
        let (header, payload, signature) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || header != HEADER {
            return None;
        }
        let mut mac = self.mac();
        mac.update(format!("{header}.{payload}").as_bytes());
        mac.verify_slice(&URL_SAFE_NO_PAD.decode(signature).ok()?)
            .ok()?;
        let claims: Claims = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
        (claims.exp > now)
            .then(|| claims.sub.parse().ok())
            .flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_only_intact_unexpired_and_ours() {
        let key = TokenKey::new(vec![1; 32]);
        let token = key.issue(42, 1_000, 60);
        assert_eq!(key.verify(&token, 1_059), Some(42));
        assert_eq!(key.verify(&token, 1_060), None, "expired");
        assert_eq!(
            TokenKey::new(vec![2; 32]).verify(&token, 1_000),
            None,
            "another key"
        );
        let (head, rest) = token.split_once('.').expect("parts");
        let forged_claims = URL_SAFE_NO_PAD.encode(br#"{"sub":"1","iat":0,"exp":9999999999}"#);
        let signature = rest.rsplit('.').next().expect("signature");
        assert_eq!(
            key.verify(&format!("{head}.{forged_claims}.{signature}"), 1_000),
            None
        );
        let none_alg = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        assert_eq!(key.verify(&format!("{none_alg}.{}", rest), 1_000), None);
        for junk in ["", "a.b", "a.b.c.d", "...", "é.é.é"] {
            assert_eq!(key.verify(junk, 1_000), None, "{junk}");
        }
    }
}
