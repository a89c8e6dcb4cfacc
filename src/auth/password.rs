//! Password hashing with argon2id. Hashing is deliberately slow, so it runs
//! on the blocking pool and never stalls the request workers.

use crate::domain::user::Password;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

fn hasher() -> Argon2<'static> {
    // OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password into a PHC string (algorithm, parameters, salt, hash).
pub async fn hash(password: &Password) -> Result<String, HashError> {
    let password = password.clone();
    crate::telemetry::spawn_blocking_in_span(move || {
        let salt = SaltString::encode_b64(&super::random_bytes::<16>())
            .map_err(|e| HashError(e.to_string()))?;
        hasher()
            .hash_password(password.expose().as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| HashError(e.to_string()))
    })
    .await
    .map_err(|e| HashError(e.to_string()))?
}

/// Checks a password against a stored hash. A malformed hash never matches.
pub async fn verify(password: &str, stored_hash: &str) -> bool {
    let password = password.to_owned();
    let stored_hash = stored_hash.to_owned();
    crate::telemetry::spawn_blocking_in_span(move || {
        PasswordHash::new(&stored_hash)
            .map(|parsed| {
                hasher()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// A hash of a random password, verified against when the account does not
/// exist, so a failed login takes as long whether or not the name is known.
pub async fn dummy_hash() -> String {
    let random = super::hex(&super::random_bytes::<16>());
    match Password::parse(&random) {
        Ok(password) => hash(&password).await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

/// A failed hash is our fault: a 500 whose cause is logged, never shown.
impl From<HashError> for crate::error::AppError {
    fn from(e: HashError) -> Self {
        crate::error::AppError::Internal(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password() {
        let password = Password::parse("correct horse battery").expect("valid");
        let stored = hash(&password).await.expect("hashes");
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &stored).await);
        assert!(!verify("correct horse battery!", &stored).await);
        assert!(!verify("anything", "not a hash").await);
    }
}
