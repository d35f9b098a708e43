use crate::Backend;

/// A uniqueness rule the database enforced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    Slug,
    Host,
    Email,
    Pseudonym,
    Other,
}

/// What the triggers of migration 0016 say when a health value comes
/// without the member's consent.
const HEALTH_WITHOUT_CONSENT: &str = "health value without health_data consent";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the {backend} database at {url}: {reason}")]
    Connect { backend: Backend, url: String, reason: String },
    #[error("the SQLite database is not set up safely: {0}")]
    UnsafeSqlite(String),
    #[error("migrating the database failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("already taken ({0:?})")]
    Conflict(Conflict),
    /// A health value was to be stored for a member without the recorded
    /// consent to health data; the database refuses it (migration 0016).
    #[error("a health value needs the member's consent to health data")]
    ConsentMissing,
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        if let Some(db) = error.as_database_error() {
            if db.is_unique_violation() {
                // SQLite names the columns in the message, PostgreSQL names
                // the constraint; both contain the column name.
                let text = format!("{} {}", db.constraint().unwrap_or_default(), db.message());
                let conflict = if text.contains("slug") {
                    Conflict::Slug
                } else if text.contains("host") {
                    Conflict::Host
                } else if text.contains("email") {
                    Conflict::Email
                } else if text.contains("pseudonym") {
                    Conflict::Pseudonym
                } else {
                    Conflict::Other
                };
                return StoreError::Conflict(conflict);
            }
            if db.message().contains(HEALTH_WITHOUT_CONSENT) {
                return StoreError::ConsentMissing;
            }
        }
        StoreError::Database(error)
    }
}
