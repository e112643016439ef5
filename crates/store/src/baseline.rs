//! The benchmark baseline of a payroll run: a month's lines loaded into an empty copy of
//! `payroll_lines` (same columns, same indexes) by the database's fastest path — `COPY …
//! FROM STDIN (FORMAT binary)` on PostgreSQL, prepared multi-row INSERTs in one transaction
//! on SQLite. Only the load is timed; reading the lines back beforehand is not.

use futures_util::TryStreamExt;
use sea_orm::{ConnectionTrait, DatabaseBackend, TransactionTrait, Value};
use std::time::{Duration, Instant};

use crate::db::{Db, stmt};
use crate::error::StoreError;

const TABLE: &str = "payroll_lines_baseline";

/// What a baseline load did.
#[derive(Debug, Clone, Copy)]
pub struct BaselineLoad {
    pub rows: u64,
    pub elapsed: Duration,
}

/// Loads `month`'s payroll lines into a fresh copy of the table, times it, drops the copy.
pub async fn load_month_lines(db: &Db, month: i32) -> Result<BaselineLoad, StoreError> {
    let result = match db.backend() {
        DatabaseBackend::Postgres => load_postgres(db, month).await,
        _ => load_sqlite(db, month).await,
    };
    db.conn()
        .execute_unprepared(&format!("DROP TABLE IF EXISTS {TABLE}"))
        .await?;
    result
}

async fn load_postgres(db: &Db, month: i32) -> Result<BaselineLoad, StoreError> {
    let pool = db.conn().get_postgres_connection_pool().clone();
    let mut conn = pool.acquire().await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP TABLE IF EXISTS {TABLE}")))
        .execute(&mut *conn)
        .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "CREATE TABLE {TABLE} (LIKE payroll_lines INCLUDING ALL)"
    )))
    .execute(&mut *conn)
    .await?;
    // The rows exactly as the server stores them, in its binary copy format.
    let data: Vec<u8> = {
        let stream = conn
            .copy_out_raw(&format!(
                "COPY (SELECT * FROM payroll_lines WHERE month = {month}) TO STDOUT (FORMAT binary)"
            ))
            .await?;
        stream
            .try_fold(Vec::new(), |mut all, chunk| async move {
                all.extend_from_slice(&chunk);
                Ok(all)
            })
            .await?
    };
    let started = Instant::now();
    sqlx::query("BEGIN").execute(&mut *conn).await?;
    let mut copy = conn
        .copy_in_raw(&format!("COPY {TABLE} FROM STDIN (FORMAT binary)"))
        .await?;
    for piece in data.chunks(4 << 20) {
        copy.send(piece).await?;
    }
    let rows = copy.finish().await?;
    sqlx::query("COMMIT").execute(&mut *conn).await?;
    Ok(BaselineLoad {
        rows,
        elapsed: started.elapsed(),
    })
}

/// Columns of `payroll_lines`, and whether each holds an integer (else text).
const COLUMNS: [(&str, bool); 20] = [
    ("run_id", true),
    ("province_code", false),
    ("month", true),
    ("entitlement_id", true),
    ("beneficiary_id", true),
    ("kind", false),
    ("for_month", true),
    ("benefit", false),
    ("payee", false),
    ("one_off_id", true),
    ("channel", false),
    ("account", false),
    ("amount", true),
    ("reason", false),
    ("policy_version", false),
    ("rule_id", false),
    ("coefficient", true),
    ("multiplier", true),
    ("base", true),
    ("detail_json", false),
];

async fn load_sqlite(db: &Db, month: i32) -> Result<BaselineLoad, StoreError> {
    let conn = db.conn();
    let backend = DatabaseBackend::Sqlite;
    conn.execute_unprepared(&format!("DROP TABLE IF EXISTS {TABLE}"))
        .await?;
    // The same declaration and indexes as the real table.
    let ddl = conn
        .query_all_raw(stmt(
            backend,
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'payroll_lines' \
             AND sql IS NOT NULL ORDER BY type DESC",
            Vec::<Value>::new(),
        ))
        .await?;
    for row in ddl {
        let name: String = row.try_get("", "name")?;
        let sql: String = row.try_get("", "sql")?;
        conn.execute_unprepared(&baseline_ddl(&name, &sql)).await?;
    }
    let names: Vec<&str> = COLUMNS.iter().map(|(n, _)| *n).collect();
    let columns = names.join(", ");
    let width = COLUMNS.len();
    // SQLite binds at most 32,766 parameters per statement.
    const MAX_PARAMS: usize = 32_000;
    const CHUNK: i64 = 50_000;
    let txn = conn.begin().await?;
    let mut rows = 0u64;
    let mut elapsed = Duration::ZERO;
    let mut after = 0i64;
    loop {
        // Read (not timed) in the transaction's own connection.
        let chunk = txn
            .query_all_raw(stmt(
                backend,
                &format!(
                    "SELECT rowid AS rid, {columns} FROM payroll_lines WHERE month = $1 AND rowid > $2 \
                     ORDER BY rowid LIMIT {CHUNK}"
                ),
                [month.into(), after.into()],
            ))
            .await?;
        let Some(last) = chunk.last() else { break };
        after = last.try_get("", "rid")?;
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * width);
        for r in &chunk {
            for (name, integer) in COLUMNS {
                values.push(if integer {
                    Value::BigInt(r.try_get::<Option<i64>>("", name)?)
                } else {
                    Value::String(r.try_get::<Option<String>>("", name)?)
                });
            }
        }
        rows += chunk.len() as u64;
        let started = Instant::now();
        crate::bulk::insert_rows(&txn, backend, TABLE, &columns, width, values, MAX_PARAMS).await?;
        elapsed += started.elapsed();
    }
    let started = Instant::now();
    txn.commit().await?;
    elapsed += started.elapsed();
    Ok(BaselineLoad { rows, elapsed })
}

/// A `CREATE TABLE` or `CREATE INDEX` of `payroll_lines`, for the copy: the object renamed,
/// and an index made on the copy (`ON payroll_lines` followed by anything but a name).
fn baseline_ddl(name: &str, sql: &str) -> String {
    let sql = sql.replacen(name, &format!("{name}_baseline"), 1);
    let on = "ON payroll_lines";
    match sql.find(on) {
        Some(at)
            if !sql[at + on.len()..]
                .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') =>
        {
            format!("{}ON {TABLE}{}", &sql[..at], &sql[at + on.len()..])
        }
        _ => sql,
    }
}

/// Refreshes the planner's statistics after a bulk load, so that the next queries are
/// planned for the tables as they now are (PostgreSQL's autovacuum would do it later).
pub async fn refresh_statistics(db: &Db) -> Result<(), StoreError> {
    match db.backend() {
        DatabaseBackend::Postgres => db.conn().execute_unprepared("ANALYZE").await?,
        _ => db.conn().execute_unprepared("PRAGMA optimize").await?,
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_copy_and_its_indexes_are_made_on_the_copy() {
        use super::baseline_ddl;
        assert_eq!(
            baseline_ddl(
                "payroll_lines",
                "CREATE TABLE payroll_lines (\n    run_id BIGINT)"
            ),
            "CREATE TABLE payroll_lines_baseline (\n    run_id BIGINT)"
        );
        assert_eq!(
            baseline_ddl(
                "payroll_lines_key",
                "CREATE UNIQUE INDEX payroll_lines_key ON payroll_lines\n    (entitlement_id, month)"
            ),
            "CREATE UNIQUE INDEX payroll_lines_key_baseline ON payroll_lines_baseline\n    (entitlement_id, month)"
        );
        assert_eq!(
            baseline_ddl(
                "payroll_lines_run",
                "CREATE INDEX payroll_lines_run ON payroll_lines(run_id)"
            ),
            "CREATE INDEX payroll_lines_run_baseline ON payroll_lines_baseline(run_id)"
        );
    }

    #[test]
    fn the_column_list_is_the_tables() {
        let names: Vec<&str> = super::COLUMNS.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names.join(", ").replace(' ', ""),
            super::super::payroll::LINE_COLUMNS.replace([' ', '\\', '\n'], "")
        );
    }
}
