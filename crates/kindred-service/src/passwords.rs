//! Password hashing: Argon2id with OWASP's parameters, off the async
//! threads, with a bound on how many hashes run at once so that a flood of
//! sign-ins cannot starve the server.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use kindred_domain::Password;
use std::sync::Arc;
use tokio::sync::Semaphore;

#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
}

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("password hashing failed: {0}")]
    Argon(String),
    #[error("password hashing was interrupted")]
    Interrupted,
}

/// OWASP (2023): Argon2id, 19 MiB, 2 iterations, 1 lane.
fn argon2() -> Result<Argon2<'static>, HashError> {
    let params = Params::new(19 * 1024, 2, 1, None).map_err(|e| HashError::Argon(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

impl Default for PasswordHasher {
    fn default() -> Self {
        Self::new()
    }
}

impl PasswordHasher {
    pub fn new() -> Self {
        let parallel = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        Self { permits: Arc::new(Semaphore::new(parallel)) }
    }

    pub async fn hash(&self, password: &Password) -> Result<String, HashError> {
        let _permit = self.permits.acquire().await.map_err(|_| HashError::Interrupted)?;
        let password = password.expose().to_owned();
        tokio::task::spawn_blocking(move || {
            let salt = SaltString::generate(&mut OsRng);
            argon2()?
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| HashError::Argon(e.to_string()))
        })
        .await
        .map_err(|_| HashError::Interrupted)?
    }

    /// True when `password` matches the stored hash.
    pub async fn verify(&self, password: &str, stored: &str) -> Result<bool, HashError> {
        let _permit = self.permits.acquire().await.map_err(|_| HashError::Interrupted)?;
        let password = password.to_owned();
        let stored = stored.to_owned();
        tokio::task::spawn_blocking(move || {
            let parsed = PasswordHash::new(&stored).map_err(|e| HashError::Argon(e.to_string()))?;
            Ok(argon2()?.verify_password(password.as_bytes(), &parsed).is_ok())
        })
        .await
        .map_err(|_| HashError::Interrupted)?
    }
}
