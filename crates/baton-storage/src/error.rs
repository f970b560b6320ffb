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
    /// More writes are waiting than the configured limit: try again shortly. Nothing was written.
    #[error("the database is busy with other writes; try again shortly")]
    Busy,
    /// The store was closed (the server is shutting down). Nothing was written.
    #[error("the database is closed")]
    Closed,
    /// The batch holding this write did not commit (disk full, I/O error). Nothing was written.
    #[error("the write could not be committed: {0}")]
    Commit(String),
    /// A bug in storage, caught before it could take the writer down.
    #[error("internal storage error: {0}")]
    Internal(&'static str),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    /// Whether this is a violated UNIQUE constraint (a retried insert, a taken email).
    pub(crate) fn is_unique_violation(&self) -> bool {
        matches!(
            self,
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
                if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    || e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
        )
    }
}
