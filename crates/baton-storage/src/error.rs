use baton_domain::ownership::{Refusal, Silenced};

/// Why a storage call failed. The variants a caller acts on are named; the rest is `Database`.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// The ownership rules refuse the change in the conversation's current state.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The speaker may not post in the conversation's current state.
    #[error(transparent)]
    Silenced(#[from] Silenced),
    /// Someone else changed the thing first (e.g. another agent accepted the handoff).
    #[error("{0}")]
    Conflict(&'static str),
    /// A unique value is already taken.
    #[error("{0} is already taken")]
    Taken(&'static str),
    /// A stored value does not parse: the database was edited by hand or by a newer version.
    #[error("corrupt stored value in {0}")]
    Corrupt(&'static str),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    pub(crate) fn unique_violation(err: &sqlx::Error) -> bool {
        matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
    }
}
