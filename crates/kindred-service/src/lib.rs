//! Kindred's use cases: one function per action. Knows nothing of HTTP; the
//! web pages, the JSON API and the command line all call these.

pub mod accounts;
pub mod association_config;
pub mod associations;
pub mod clock;
pub mod crypto;
pub mod passwords;
pub mod profiles;
pub mod sessions;

pub use associations::Association;
pub use clock::{Clock, FixedClock, SystemClock};
pub use passwords::PasswordHasher;

use kindred_store::Store;
use std::sync::Arc;

/// What every use case needs: the database, the time, the password
/// hasher and the keys for data encrypted at rest.
#[derive(Clone)]
pub struct Kindred {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub passwords: PasswordHasher,
    pub keys: Arc<crypto::KeyRing>,
}

impl Kindred {
    pub fn new(store: Store, clock: Arc<dyn Clock>, keys: crypto::KeyRing) -> Self {
        Self { store, clock, passwords: PasswordHasher::new(), keys: Arc::new(keys) }
    }
}
