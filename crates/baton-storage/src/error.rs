use baton_domain::entity::Entity;
use baton_domain::ownership::{Refusal, Silenced};

/// Why a storage call failed. The variants a caller acts on are named; the rest is `Database`.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The thing named does not exist, or not where the caller may see it (another workspace).
    #[error("{0} not found")]
    NotFound(Entity),
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
    /// The database cannot be reached (PostgreSQL restarting, the network down). Nothing was
    /// written; the writer reconnects on its own.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// A database URL whose scheme is neither `postgres://` nor `sqlite://`.
    #[error("the database URL must start with postgres:// (or postgresql://) or sqlite://")]
    BadUrl,
    /// A bug in storage, caught before it could take the writer down.
    #[error("internal storage error: {0}")]
    Internal(&'static str),
    #[error("database error: {0}")]
    Database(sqlx::Error),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    /// Whether this is a violated UNIQUE constraint (a retried insert, a taken email).
    pub(crate) fn is_unique_violation(&self) -> bool {
        match self {
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => {
                e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    || e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
            }
            StoreError::Database(e) => e
                .as_database_error()
                .is_some_and(|d| d.code().as_deref() == Some("23505")),
            _ => false,
        }
    }

    /// Whether PostgreSQL gave up waiting for a lock another process held (a lock timeout, a
    /// deadlock): the write did nothing and can simply run again.
    pub(crate) fn is_lock_contention(&self) -> bool {
        matches!(self, StoreError::Database(e) if e
            .as_database_error()
            .and_then(|d| d.code())
            .is_some_and(|c| c == "55P03" || c == "40P01"))
    }

    /// What a write is told when the batch it shared failed because of this error.
    pub(crate) fn for_batch_mate(&self) -> StoreError {
        match self {
            StoreError::Unavailable(why) => StoreError::Unavailable(why.clone()),
            StoreError::Commit(why) => StoreError::Commit(why.clone()),
            other => StoreError::Commit(other.to_string()),
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> StoreError {
        if crate::writer::connection_lost(&e) {
            StoreError::Unavailable(e.to_string())
        } else {
            StoreError::Database(e)
        }
    }
}
