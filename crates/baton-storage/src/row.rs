//! Reading columns from a result row, whichever driver produced it.
//!
//! Reads go through sqlx's pool (SQLite or PostgreSQL) and SQLite writes through the writer
//! thread's own rusqlite connection (`writer.rs`); a record is parsed from any of them by one
//! `from_row` written against [`Cols`], so the mapping from columns to domain types lives in one
//! place.

use jiff::Timestamp;

use crate::StoreError;
use crate::time::parse_timestamp;

/// The column types Baton stores: text, integers and booleans (portable SQL, see the migrations).
pub(crate) trait Cols {
    fn text(&self, column: &str) -> Result<String, StoreError>;
    fn opt_text(&self, column: &str) -> Result<Option<String>, StoreError>;
    fn int(&self, column: &str) -> Result<i64, StoreError>;
    fn opt_int(&self, column: &str) -> Result<Option<i64>, StoreError>;
    fn flag(&self, column: &str) -> Result<bool, StoreError>;
}

impl Cols for sqlx::sqlite::SqliteRow {
    fn opt_int(&self, column: &str) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::Row::try_get(self, column)?)
    }
    fn text(&self, column: &str) -> Result<String, StoreError> {
        Ok(sqlx::Row::try_get(self, column)?)
    }
    fn opt_text(&self, column: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::Row::try_get(self, column)?)
    }
    fn int(&self, column: &str) -> Result<i64, StoreError> {
        Ok(sqlx::Row::try_get(self, column)?)
    }
    fn flag(&self, column: &str) -> Result<bool, StoreError> {
        Ok(sqlx::Row::try_get(self, column)?)
    }
}

impl Cols for sqlx::postgres::PgRow {
    fn opt_int(&self, column: &str) -> Result<Option<i64>, StoreError> {
        match sqlx::Row::try_get::<Option<i64>, _>(self, column) {
            Ok(n) => Ok(n),
            Err(sqlx::Error::ColumnDecode { .. }) => {
                Ok(sqlx::Row::try_get::<Option<i32>, _>(self, column)?.map(i64::from))
            }
            Err(e) => Err(e.into()),
        }
    }
    fn text(&self, column: &str) -> Result<String, StoreError> {
        Ok(sqlx::Row::try_get(self, column)?)
    }
    fn opt_text(&self, column: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::Row::try_get(self, column)?)
    }
    fn int(&self, column: &str) -> Result<i64, StoreError> {
        // Columns are BIGINT, but an expression (a literal, a CASE) may come back narrower.
        match sqlx::Row::try_get::<i64, _>(self, column) {
            Ok(n) => Ok(n),
            Err(sqlx::Error::ColumnDecode { .. }) => {
                Ok(i64::from(sqlx::Row::try_get::<i32, _>(self, column)?))
            }
            Err(e) => Err(e.into()),
        }
    }
    fn flag(&self, column: &str) -> Result<bool, StoreError> {
        Ok(sqlx::Row::try_get(self, column)?)
    }
}

impl Cols for rusqlite::Row<'_> {
    fn opt_int(&self, column: &str) -> Result<Option<i64>, StoreError> {
        Ok(self.get(column)?)
    }
    fn text(&self, column: &str) -> Result<String, StoreError> {
        Ok(self.get(column)?)
    }
    fn opt_text(&self, column: &str) -> Result<Option<String>, StoreError> {
        Ok(self.get(column)?)
    }
    fn int(&self, column: &str) -> Result<i64, StoreError> {
        Ok(self.get(column)?)
    }
    fn flag(&self, column: &str) -> Result<bool, StoreError> {
        Ok(self.get(column)?)
    }
}

/// A text column holding an id (or anything else with `FromStr`).
pub(crate) fn id<T: std::str::FromStr>(
    row: &dyn Cols,
    column: &'static str,
) -> Result<T, StoreError> {
    row.text(column)?
        .parse()
        .map_err(|_| StoreError::Corrupt(column))
}

pub(crate) fn opt_id<T: std::str::FromStr>(
    row: &dyn Cols,
    column: &'static str,
) -> Result<Option<T>, StoreError> {
    row.opt_text(column)?
        .map(|t| t.parse().map_err(|_| StoreError::Corrupt(column)))
        .transpose()
}

pub(crate) fn ts(row: &dyn Cols, column: &'static str) -> Result<Timestamp, StoreError> {
    parse_timestamp(&row.text(column)?)
}

pub(crate) fn opt_ts(
    row: &dyn Cols,
    column: &'static str,
) -> Result<Option<Timestamp>, StoreError> {
    row.opt_text(column)?
        .as_deref()
        .map(parse_timestamp)
        .transpose()
}

/// A non-negative count or limit.
pub(crate) fn count(row: &dyn Cols, column: &'static str) -> Result<u32, StoreError> {
    u32::try_from(row.int(column)?).map_err(|_| StoreError::Corrupt(column))
}
