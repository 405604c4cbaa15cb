//! Password hashing with argon2id at the crate's defaults (OWASP's minimum: 19 MiB,
//! two passes). It lives with the use cases, not with HTTP: sign-in, provisioning, the
//! command line's first operator and the demo all hash or verify. Hashing is slow on
//! purpose, so callers in async code use [`hash_blocking`] and [`verify_blocking`].

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

/// Why a password could not be hashed.
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct PasswordError(String);

/// Hashes a password into a PHC string (`$argon2id$v=19$...`) with a fresh salt.
pub fn hash(password: &str) -> Result<String, PasswordError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| PasswordError(e.to_string()))
}

/// Whether `password` matches the stored PHC string; a malformed hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when the email is unknown, so that a wrong email takes as
/// long as a wrong password and sign-in does not reveal which accounts exist.
pub static DECOY_HASH: LazyLock<String> =
    LazyLock::new(|| hash("vocdesk decoy password, never valid").unwrap_or_default());

/// Hashes on the blocking pool, off the async workers.
pub async fn hash_blocking(password: String) -> Result<String, PasswordError> {
    tokio::task::spawn_blocking(move || hash(&password))
        .await
        .unwrap_or_else(|joined| Err(PasswordError(format!("the hashing task did not finish: {joined}"))))
}

/// Verifies on the blocking pool; a panicked or cancelled task counts as a mismatch.
pub async fn verify_blocking(password: String, stored: String) -> bool {
    tokio::task::spawn_blocking(move || verify(&password, &stored)).await.unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify_only_the_right_password() {
        let stored = hash("correct horse").expect("hash");
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse", &stored));
        assert!(!verify("wrong horse", &stored));
        assert!(!verify("correct horse", "not a hash"));
    }
}
