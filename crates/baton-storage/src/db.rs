//! The two SQL engines behind one small interface: parameters, statements and rows.
//!
//! Every query in this crate is written once, in the SQL both engines accept (`$n` parameters,
//! text ids and timestamps, `BIGINT`-sized integers, `BOOLEAN`s), with [`Value`]s for parameters
//! and a `from_row` over [`Cols`] for results. Reads run on a pool ([`Reader`]); writes run on the
//! writer thread's own connection through [`crate::writer::Tx`]. The few statements that must
//! differ (row locks, how a write transaction begins) ask [`Dialect`].

use sqlx::postgres::{PgPool, PgRow};
use sqlx::query::Query;
use sqlx::sqlite::{SqlitePool, SqliteRow};
use sqlx::{Database, Encode, Type};

use crate::StoreError;
use crate::row::Cols;

/// Which engine a connection talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// Appended to a `SELECT` inside a write that goes on to change what it read: PostgreSQL
    /// locks the rows until the commit (another node's write waits); SQLite has one writer and
    /// needs nothing.
    pub(crate) fn for_update(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR UPDATE",
        }
    }

    /// [`Dialect::for_update`] for a query that joins other tables: locks only `table`'s rows.
    pub(crate) fn for_update_of(self, table: &str) -> String {
        match self {
            Dialect::Sqlite => String::new(),
            Dialect::Postgres => format!(" FOR UPDATE OF {table}"),
        }
    }
}

/// A statement parameter. Nulls carry their type: PostgreSQL infers a parameter's type from it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    Text(String),
    Int(i64),
    Bool(bool),
    NullText,
    NullInt,
    NullBool,
}

/// What can be a statement parameter (`params!` takes each by reference).
pub(crate) trait ToValue {
    fn to_value(&self) -> Value;
}

/// The typed null of a parameter type (for `Option<T>`).
pub(crate) trait NullOf {
    const NULL: Value;
}

impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}

impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_owned())
    }
}

impl ToValue for i64 {
    fn to_value(&self) -> Value {
        Value::Int(*self)
    }
}

impl ToValue for i32 {
    fn to_value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
}

impl ToValue for u32 {
    fn to_value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
}

impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

impl<T: ToValue + NullOf> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        match self {
            Some(v) => v.to_value(),
            None => T::NULL,
        }
    }
}

impl NullOf for String {
    const NULL: Value = Value::NullText;
}
impl NullOf for &str {
    const NULL: Value = Value::NullText;
}
impl NullOf for &String {
    const NULL: Value = Value::NullText;
}
impl NullOf for i64 {
    const NULL: Value = Value::NullInt;
}
impl NullOf for i32 {
    const NULL: Value = Value::NullInt;
}
impl NullOf for u32 {
    const NULL: Value = Value::NullInt;
}
impl NullOf for bool {
    const NULL: Value = Value::NullBool;
}

/// `params![a, b, …]`: the statement's parameters, `$1`, `$2`, … in order (each by reference).
macro_rules! params {
    ($($value:expr),* $(,)?) => {
        &[$($crate::db::ToValue::to_value(&$value)),*][..]
    };
}
pub(crate) use params;

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(match self {
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Value::Bool(b) => ToSqlOutput::Borrowed(ValueRef::Integer(i64::from(*b))),
            Value::NullText | Value::NullInt | Value::NullBool => {
                ToSqlOutput::Borrowed(ValueRef::Null)
            }
        })
    }
}

/// The statement in SQLite's positional form for rusqlite: `$3` becomes `?3`. (sqlx's SQLite
/// driver reads `$n` itself; rusqlite would number `$n` by first appearance instead.)
pub(crate) fn positional(sql: &str) -> String {
    // Copied in runs between parameters (this runs for every statement the writer executes).
    // `$` is ASCII, so every cut falls on a character boundary.
    let bytes = sql.as_bytes();
    let mut out = String::with_capacity(sql.len());
    let mut copied = 0;
    for i in 0..bytes.len().saturating_sub(1) {
        if bytes[i] == b'$' && bytes[i + 1].is_ascii_digit() {
            out.push_str(&sql[copied..i]);
            out.push('?');
            copied = i + 1;
        }
    }
    out.push_str(&sql[copied..]);
    out
}

/// Binds the parameters to a query of either engine.
pub(crate) fn bind<'q, DB>(
    mut query: Query<'q, DB, <DB as Database>::Arguments>,
    params: &[Value],
) -> Query<'q, DB, <DB as Database>::Arguments>
where
    DB: Database,
    for<'t> String: Encode<'t, DB> + Type<DB>,
    for<'t> i64: Encode<'t, DB> + Type<DB>,
    for<'t> bool: Encode<'t, DB> + Type<DB>,
    for<'t> Option<String>: Encode<'t, DB>,
    for<'t> Option<i64>: Encode<'t, DB>,
    for<'t> Option<bool>: Encode<'t, DB>,
{
    for value in params {
        query = match value {
            Value::Text(s) => query.bind(s.clone()),
            Value::Int(i) => query.bind(*i),
            Value::Bool(b) => query.bind(*b),
            Value::NullText => query.bind(None::<String>),
            Value::NullInt => query.bind(None::<i64>),
            Value::NullBool => query.bind(None::<bool>),
        };
    }
    query
}

/// The read pool: read-only SQLite connections, or PostgreSQL connections.
#[derive(Clone, Debug)]
pub(crate) enum Reader {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A result row from either engine.
pub(crate) enum Row {
    Sqlite(SqliteRow),
    Postgres(PgRow),
}

impl Cols for Row {
    fn text(&self, column: &str) -> Result<String, StoreError> {
        match self {
            Row::Sqlite(r) => r.text(column),
            Row::Postgres(r) => r.text(column),
        }
    }
    fn opt_text(&self, column: &str) -> Result<Option<String>, StoreError> {
        match self {
            Row::Sqlite(r) => r.opt_text(column),
            Row::Postgres(r) => r.opt_text(column),
        }
    }
    fn int(&self, column: &str) -> Result<i64, StoreError> {
        match self {
            Row::Sqlite(r) => r.int(column),
            Row::Postgres(r) => r.int(column),
        }
    }
    fn opt_int(&self, column: &str) -> Result<Option<i64>, StoreError> {
        match self {
            Row::Sqlite(r) => r.opt_int(column),
            Row::Postgres(r) => r.opt_int(column),
        }
    }
    fn flag(&self, column: &str) -> Result<bool, StoreError> {
        match self {
            Row::Sqlite(r) => r.flag(column),
            Row::Postgres(r) => r.flag(column),
        }
    }
}

impl Reader {
    /// Every row of a query.
    pub(crate) async fn fetch_all(
        &self,
        sql: &str,
        params: &[Value],
    ) -> Result<Vec<Row>, StoreError> {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        Ok(match self {
            Reader::Sqlite(pool) => bind(sqlx::query(sql), params)
                .fetch_all(pool)
                .await?
                .into_iter()
                .map(Row::Sqlite)
                .collect(),
            Reader::Postgres(pool) => bind(sqlx::query(sql), params)
                .fetch_all(pool)
                .await?
                .into_iter()
                .map(Row::Postgres)
                .collect(),
        })
    }

    /// The first row of a query, if any.
    pub(crate) async fn fetch_optional(
        &self,
        sql: &str,
        params: &[Value],
    ) -> Result<Option<Row>, StoreError> {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        Ok(match self {
            Reader::Sqlite(pool) => bind(sqlx::query(sql), params)
                .fetch_optional(pool)
                .await?
                .map(Row::Sqlite),
            Reader::Postgres(pool) => bind(sqlx::query(sql), params)
                .fetch_optional(pool)
                .await?
                .map(Row::Postgres),
        })
    }

    /// The row of a query that always returns one (a count); its absence is a storage bug.
    pub(crate) async fn fetch_one(&self, sql: &str, params: &[Value]) -> Result<Row, StoreError> {
        self.fetch_optional(sql, params)
            .await?
            .ok_or(StoreError::Internal(
                "a query that always returns a row returned none",
            ))
    }

    pub(crate) async fn close(&self) {
        match self {
            Reader::Sqlite(pool) => pool.close().await,
            Reader::Postgres(pool) => pool.close().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positional_parameters_for_rusqlite() {
        assert_eq!(
            positional("UPDATE t SET a = $2 WHERE id = $1 AND b = $10"),
            "UPDATE t SET a = ?2 WHERE id = ?1 AND b = ?10"
        );
        assert_eq!(positional("SELECT '$' || x"), "SELECT '$' || x");
        assert_eq!(
            positional("SELECT 'é$1ü' WHERE a = $1"),
            "SELECT 'é?1ü' WHERE a = ?1"
        );
        assert_eq!(positional("$"), "$");
    }
}
