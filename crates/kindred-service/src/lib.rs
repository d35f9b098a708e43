//! Kindred's use cases: one function per action. Knows nothing of HTTP; the
//! web pages, the JSON API and the command line all call these.

pub mod accounts;
pub mod administration;
pub mod admission;
pub mod association_config;
pub mod associations;
mod background;
pub mod calls;
pub mod clock;
pub mod contacts;
pub mod crypto;
pub mod cursor;
pub mod default_catalog;
pub mod erasure;
pub mod events;
pub mod export;
mod export_html;
pub mod forum;
pub mod groups;
pub mod jobs;
pub mod knowledge;
pub mod letter_pdf;
pub mod live;
pub mod mail;
pub mod mail_delivery;
mod mail_text;
pub mod members;
pub mod messaging;
pub mod moderation;
mod notices;
pub mod notification_list;
pub mod notification_settings;
mod notifications;
pub mod passkeys;
pub mod passwords;
pub mod photos;
pub mod post_search;
pub mod preferences;
pub mod profiles;
pub mod reauth;
pub mod second_factor;
pub mod sessions;
pub mod staff;
pub mod staff_tools;
pub mod statistics;
pub mod throttle;
pub mod totp;
pub mod transfer;

pub use associations::Association;
pub use clock::{Clock, FixedClock, SystemClock};
pub use passwords::PasswordHasher;

use kindred_store::Store;
use std::sync::Arc;

/// What every use case needs: the database, the time, the password
/// hasher, the keys for data encrypted at rest, the mail, and the address
/// under which the server is reached (for links in mails).
#[derive(Clone)]
pub struct Kindred {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub passwords: PasswordHasher,
    pub keys: Arc<crypto::KeyRing>,
    pub mailer: mail::Mailer,
    pub public_url: Arc<str>,
    /// How fast a member may look at profiles and search.
    pub pace: members::Pace,
    /// Live delivery of this node: the fan-out between nodes and the
    /// sockets held here (`live`).
    pub live: live::Live,
    /// The relays calls use (`[calls]`; `service::calls`).
    pub relays: Arc<kindred_domain::calls::Relays>,
}

impl Kindred {
    pub fn new(store: Store, clock: Arc<dyn Clock>, keys: crypto::KeyRing, mailer: mail::Mailer) -> Self {
        Self {
            store,
            clock,
            passwords: PasswordHasher::new(),
            keys: Arc::new(keys),
            mailer,
            public_url: Arc::from("http://localhost:8080"),
            pace: members::Pace::default(),
            live: live::Live::default(),
            relays: Arc::new(kindred_domain::calls::Relays::none()),
        }
    }

    /// Limits on how fast a member may look at profiles and search.
    pub fn with_pace(mut self, pace: members::Pace) -> Self {
        self.pace = pace;
        self
    }

    /// Another fan-out between nodes (PostgreSQL `NOTIFY`, a broker).
    pub fn with_fanout(mut self, fanout: Arc<dyn live::Fanout>) -> Self {
        self.live = live::Live::new(fanout);
        self
    }

    /// Where the server is reached from outside, e.g. `https://kindred.example.org`.
    pub fn with_public_url(mut self, url: &str) -> Self {
        self.public_url = Arc::from(url.trim_end_matches('/'));
        self
    }
}
