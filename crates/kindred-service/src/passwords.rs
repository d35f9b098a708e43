//! Password hashing: Argon2id with OWASP's parameters, off the async
//! threads, with a bound on how many hashes run at once so that a flood of
//! sign-ins cannot starve the server.
//!
//! Each hash works in 19 MiB of memory. Allocating it afresh for every
//! sign-in (what `argon2`'s convenience functions do) made glibc keep
//! freed blocks in its per-thread arenas: a few hundred sign-ins left the
//! server at gigabytes of resident memory. While hashes follow each other
//! (a sign-in flood) the working memory is therefore reused from hash to
//! hash, at most one per permit ([`Memories`]); when the last hash asked
//! for is done, the memories go back (the `kindred` binary has glibc give
//! blocks this large straight back to the kernel), so an idle server does
//! not hold `permits × 19 MiB` for the next sign-in.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use kindred_domain::Password;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::Semaphore;

#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    memories: Arc<Memories>,
    /// How many hashes may run at once: the permits, and the memories kept.
    parallel: usize,
}

/// Argon2's working memories, one per permit, reused from hash to hash
/// while more hashes are asked for.
#[derive(Default)]
struct Memories {
    kept: Mutex<Vec<Vec<Block>>>,
    /// Hashes asked for and not done (running or waiting for a permit).
    wanted: AtomicUsize,
}

/// A hash asked for, from before its permit until it is done.
struct Wanted(Arc<Memories>);

impl Drop for Wanted {
    fn drop(&mut self) {
        self.0.wanted.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Memories {
    fn want(self: &Arc<Self>) -> Wanted {
        self.wanted.fetch_add(1, Ordering::SeqCst);
        Wanted(self.clone())
    }

    /// Runs `work` in a memory of `blocks` blocks: a kept one when one of
    /// that size is free, else a new one. The memory is wiped after use (it
    /// held blocks derived from a password), then kept for the next hash
    /// when another is asked for (at most `keep`), and otherwise let go
    /// with every kept one: the last hash of a burst frees them all.
    fn with<T>(&self, blocks: usize, keep: usize, work: impl FnOnce(&mut [Block]) -> T) -> T {
        let kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner).pop();
        let mut memory = match kept {
            Some(memory) if memory.len() == blocks => memory,
            _ => vec![Block::default(); blocks],
        };
        let result = work(&mut memory);
        memory.iter_mut().for_each(|block| *block = Block::default());
        let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        // This hash is still counted in `wanted`.
        if self.wanted.load(Ordering::SeqCst) > 1 {
            if kept.len() < keep {
                kept.push(memory);
            }
        } else {
            kept.clear();
        }
        result
    }
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
        Self { permits: Arc::new(Semaphore::new(parallel)), memories: Arc::default(), parallel }
    }

    pub async fn hash(&self, password: &Password) -> Result<String, HashError> {
        let _wanted = self.memories.want();
        let _permit = self.permits.acquire().await.map_err(|_| HashError::Interrupted)?;
        let password = password.expose().to_owned();
        let memories = self.memories.clone();
        let keep = self.parallel;
        tokio::task::spawn_blocking(move || {
            let argon2 = argon2()?;
            let params = argon2.params().clone();
            let salt = SaltString::generate(&mut OsRng);
            let mut salt_bytes = [0u8; 64];
            let salt_bytes = salt.as_salt().decode_b64(&mut salt_bytes).map_err(|e| HashError::Argon(e.to_string()))?;
            let length = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
            let output = memories.with(params.block_count(), keep, |memory| {
                Output::init_with(length, |out| {
                    argon2
                        .hash_password_into_with_memory(password.as_bytes(), salt_bytes, out, &mut *memory)
                        .map_err(|_| argon2::password_hash::Error::Crypto)
                })
            });
            let output = output.map_err(|e| HashError::Argon(e.to_string()))?;
            let hash = PasswordHash {
                algorithm: Algorithm::Argon2id.ident(),
                version: Some(Version::V0x13.into()),
                params: ParamsString::try_from(&params).map_err(|e| HashError::Argon(e.to_string()))?,
                salt: Some(salt.as_salt()),
                hash: Some(output),
            };
            Ok(hash.to_string())
        })
        .await
        .map_err(|_| HashError::Interrupted)?
    }

    /// True when `password` matches the stored hash (whatever Argon2
    /// parameters it was made with).
    pub async fn verify(&self, password: &str, stored: &str) -> Result<bool, HashError> {
        let _wanted = self.memories.want();
        let _permit = self.permits.acquire().await.map_err(|_| HashError::Interrupted)?;
        let password = password.to_owned();
        let stored = stored.to_owned();
        let memories = self.memories.clone();
        let keep = self.parallel;
        tokio::task::spawn_blocking(move || {
            let bad = |e: argon2::password_hash::Error| HashError::Argon(e.to_string());
            let parsed = PasswordHash::new(&stored).map_err(bad)?;
            let algorithm = Algorithm::try_from(parsed.algorithm).map_err(bad)?;
            let version = parsed
                .version
                .map(Version::try_from)
                .transpose()
                .map_err(|e| HashError::Argon(e.to_string()))?
                .unwrap_or_default();
            let params = Params::try_from(&parsed).map_err(bad)?;
            let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
                return Err(HashError::Argon("the stored hash lacks its salt or its output".into()));
            };
            let mut salt_bytes = [0u8; 64];
            let salt_bytes = salt.decode_b64(&mut salt_bytes).map_err(bad)?;
            let argon2 = Argon2::new(algorithm, version, params.clone());
            let output = memories.with(params.block_count(), keep, |memory| {
                Output::init_with(expected.len(), |out| {
                    argon2
                        .hash_password_into_with_memory(password.as_bytes(), salt_bytes, out, &mut *memory)
                        .map_err(|_| argon2::password_hash::Error::Crypto)
                })
            });
            // `Output`'s comparison takes the same time wherever they differ.
            Ok(output.map_err(bad)? == expected)
        })
        .await
        .map_err(|_| HashError::Interrupted)?
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::PasswordVerifier;

    /// Hashes made with reused memory are standard PHC strings that the
    /// `argon2` crate verifies, and hashes it made verify here; a wrong
    /// password does not. Reuse leaves no trace between two hashes.
    #[tokio::test]
    async fn reused_memory_gives_standard_hashes() {
        let hasher = PasswordHasher::new();
        let password = Password::parse("correct horse battery staple").unwrap();
        let first = hasher.hash(&password).await.unwrap();
        let second = hasher.hash(&password).await.unwrap();
        assert_ne!(first, second, "a fresh salt each time");
        assert!(first.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        let parsed = PasswordHash::new(&first).unwrap();
        assert!(argon2().unwrap().verify_password(b"correct horse battery staple", &parsed).is_ok());
        assert!(hasher.verify("correct horse battery staple", &second).await.unwrap());
        assert!(!hasher.verify("correct horse battery stapler", &second).await.unwrap());

        // A hash made by the crate's own function, with other parameters.
        let other = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(8 * 1024, 1, 1, None).unwrap());
        let salt = SaltString::generate(&mut OsRng);
        let theirs =
            argon2::password_hash::PasswordHasher::hash_password(&other, b"old one", &salt).unwrap().to_string();
        assert!(hasher.verify("old one", &theirs).await.unwrap());
        assert!(!hasher.verify("old two", &theirs).await.unwrap());
        assert!(hasher.verify("x", "not a hash").await.is_err());
    }

    /// While another hash is asked for, a memory is kept for it (wiped);
    /// the last hash of a burst lets every memory go.
    #[test]
    fn memories_are_kept_through_a_burst_and_freed_after_it() {
        let memories = Arc::new(Memories::default());
        let kept = |m: &Memories| m.kept.lock().unwrap().len();
        let first = memories.want();
        let second = memories.want();
        memories.with(4, 2, |memory| memory[0].as_mut()[0] = 7);
        assert_eq!(kept(&memories), 1, "another hash is waiting: the memory is kept");
        assert!(memories.kept.lock().unwrap()[0].iter().all(|b| b.as_ref().iter().all(|x| *x == 0)), "wiped");
        drop(first);
        memories.with(4, 2, |memory| assert_eq!(memory.len(), 4));
        assert_eq!(kept(&memories), 0, "the last hash of the burst frees them");
        drop(second);
        assert_eq!(memories.wanted.load(Ordering::SeqCst), 0);
    }
}
