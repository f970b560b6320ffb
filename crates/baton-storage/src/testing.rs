//! For tests only (the `testing` feature): a scratch PostgreSQL database per test.

/// With `BATON_TEST_DATABASE_URL` set (a PostgreSQL server, as `scripts/with-postgres` starts),
/// a new empty database on that server, named `{prefix}_{uuid}`, and its URL; `None` otherwise
/// (the test then runs on SQLite, or skips what needs PostgreSQL).
pub async fn scratch_postgres_database(prefix: &str) -> Option<String> {
    use sqlx::Connection as _;
    let admin = std::env::var("BATON_TEST_DATABASE_URL").ok()?;
    let name = format!("{prefix}_{}", uuid::Uuid::now_v7().simple());
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .expect("BATON_TEST_DATABASE_URL names a reachable PostgreSQL server");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("the test server lets us create a database");
    let (server, _) = admin
        .rsplit_once('/')
        .expect("BATON_TEST_DATABASE_URL ends with /database");
    Some(format!("{server}/{name}"))
}
