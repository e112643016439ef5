//! The benchmark baseline of a payroll run: a month's lines loaded into an empty copy of
//! `payroll_lines` (same columns, same indexes) by the database's fastest path — `COPY …
//! FROM STDIN (FORMAT binary)` on PostgreSQL, prepared multi-row INSERTs in one transaction
//! on SQLite (the faster of its two ways of binding them). Only the load is timed; reading
//! the lines back beforehand is not.

use futures_util::TryStreamExt;
use sea_orm::{ConnectionTrait, DatabaseBackend, Value};
use std::time::{Duration, Instant};

use crate::db::{Db, stmt};
use crate::error::StoreError;

const TABLE: &str = "payroll_lines_baseline";

/// What a baseline load did.
#[derive(Debug, Clone)]
pub struct BaselineLoad {
    pub rows: u64,
    pub elapsed: Duration,
    /// Where the database has more than one fastest path, each one's time (`elapsed` is
    /// the fastest).
    pub paths: Vec<(&'static str, Duration)>,
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
        paths: Vec::new(),
    })
}

/// How a column of `payroll_lines` is bound: as the run binds it (`payroll::push_line`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cell {
    Int,
    /// A text repeated from row to row, shared.
    Code,
    /// A text of its own row.
    Text,
}

/// Columns of `payroll_lines`, in order, with how each is bound.
const COLUMNS: [(&str, Cell); 20] = [
    ("run_id", Cell::Int),
    ("province_code", Cell::Code),
    ("month", Cell::Int),
    ("entitlement_id", Cell::Int),
    ("beneficiary_id", Cell::Int),
    ("kind", Cell::Code),
    ("for_month", Cell::Int),
    ("benefit", Cell::Code),
    ("payee", Cell::Code),
    ("one_off_id", Cell::Int),
    ("channel", Cell::Code),
    ("account", Cell::Text),
    ("amount", Cell::Int),
    ("reason", Cell::Code),
    ("policy_version", Cell::Code),
    ("rule_id", Cell::Code),
    ("coefficient", Cell::Int),
    ("multiplier", Cell::Int),
    ("base", Cell::Int),
    ("detail_json", Cell::Text),
];

/// SQLite's two ways of binding prepared multi-row INSERTs — through the ORM's values, or
/// bound straight from the rows as a run binds its lines — each into a fresh copy of the
/// table from a checkpointed log; the faster is the baseline.
async fn load_sqlite(db: &Db, month: i32) -> Result<BaselineLoad, StoreError> {
    let orm = load_sqlite_orm(db, month).await?;
    let bound = load_sqlite_bound(db, month).await?;
    if orm.rows != bound.rows {
        return Err(StoreError::RefData(format!(
            "the two loads wrote {} and {} rows",
            orm.rows, bound.rows
        )));
    }
    let fastest = if orm.elapsed <= bound.elapsed {
        orm.elapsed
    } else {
        bound.elapsed
    };
    Ok(BaselineLoad {
        rows: bound.rows,
        elapsed: fastest,
        paths: vec![
            ("ORM-bound", orm.elapsed),
            ("directly bound", bound.elapsed),
        ],
    })
}

/// An empty copy of `payroll_lines` (same declaration, same indexes), the log checkpointed
/// and truncated: each load starts from the same state. Returns the column list. All on one
/// connection: another one could still hold the schema from before the drop.
async fn fresh_copy(db: &Db) -> Result<String, StoreError> {
    let mut conn = db.conn().get_sqlite_connection_pool().acquire().await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP TABLE IF EXISTS {TABLE}")))
        .execute(&mut *conn)
        .await?;
    let ddl: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'payroll_lines' \
         AND sql IS NOT NULL ORDER BY type DESC",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (name, sql) in ddl {
        sqlx::query(sqlx::AssertSqlSafe(baseline_ddl(&name, &sql)))
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut *conn)
        .await?;
    let names: Vec<&str> = COLUMNS.iter().map(|(n, _)| *n).collect();
    Ok(names.join(", "))
}

const CHUNK: i64 = 50_000;

/// The next `CHUNK` lines of `month` after `after` (a rowid), with their rowids.
fn next_lines(columns: &str, month: i32, after: i64) -> sea_orm::Statement {
    stmt(
        DatabaseBackend::Sqlite,
        &format!(
            "SELECT rowid AS rid, {columns} FROM payroll_lines WHERE month = $1 AND rowid > $2 \
             ORDER BY rowid LIMIT {CHUNK}"
        ),
        [month.into(), after.into()],
    )
}

async fn load_sqlite_orm(db: &Db, month: i32) -> Result<BaselineLoad, StoreError> {
    let columns = fresh_copy(db).await?;
    let backend = DatabaseBackend::Sqlite;
    let width = COLUMNS.len();
    let txn = db.begin().await?;
    let mut rows = 0u64;
    let mut elapsed = Duration::ZERO;
    let mut after = 0i64;
    loop {
        // Read (not timed) in the transaction's own connection.
        let chunk = txn
            .query_all_raw(next_lines(&columns, month, after))
            .await?;
        let Some(last) = chunk.last() else { break };
        after = last.try_get("", "rid")?;
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * width);
        for r in &chunk {
            for (name, cell) in COLUMNS {
                values.push(match cell {
                    Cell::Int => Value::BigInt(r.try_get::<Option<i64>>("", name)?),
                    Cell::Code | Cell::Text => {
                        Value::String(r.try_get::<Option<String>>("", name)?)
                    }
                });
            }
        }
        rows += chunk.len() as u64;
        let started = Instant::now();
        crate::bulk::insert_rows(&txn, backend, TABLE, &columns, width, values, 32_000).await?;
        elapsed += started.elapsed();
    }
    let started = Instant::now();
    txn.commit().await?;
    elapsed += started.elapsed();
    Ok(BaselineLoad {
        rows,
        elapsed,
        paths: Vec::new(),
    })
}

async fn load_sqlite_bound(db: &Db, month: i32) -> Result<BaselineLoad, StoreError> {
    let columns = fresh_copy(db).await?;
    let conn = db.conn();
    // Read back (not timed) and gathered as rows to bind, as a run gathers its lines while
    // computing them.
    let mut rows = crate::sqlite_rows::Rows::new(COLUMNS.len());
    let mut after = 0i64;
    loop {
        let chunk = conn
            .query_all_raw(next_lines(&columns, month, after))
            .await?;
        let Some(last) = chunk.last() else { break };
        after = last.try_get("", "rid")?;
        for r in &chunk {
            for (name, cell) in COLUMNS {
                match cell {
                    Cell::Int => rows.opt_int(r.try_get("", name)?),
                    Cell::Code => rows.opt_code(r.try_get::<Option<String>>("", name)?.as_deref()),
                    Cell::Text => rows.opt_text(r.try_get::<Option<String>>("", name)?.as_deref()),
                }
            }
        }
    }
    // Timed: the load itself, from `BEGIN` to `COMMIT`.
    let mut raw = conn.get_sqlite_connection_pool().acquire().await?;
    let started = Instant::now();
    let mut txn = sqlx::Connection::begin_with(&mut *raw, "BEGIN IMMEDIATE").await?;
    let written = rows.insert(&mut txn, TABLE, &columns, &[]).await?;
    txn.commit().await?;
    Ok(BaselineLoad {
        rows: written,
        elapsed: started.elapsed(),
        paths: Vec::new(),
    })
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

/// Brings the database to rest before a measured step, as a night's maintenance leaves it
/// before a month is run: the log written so far checkpointed into the database files and,
/// on PostgreSQL, the tables of the schema vacuumed and analysed. Without it a step pays
/// for the writes of the one before (the server's background checkpoint and autovacuum of
/// a freshly generated caseload run during the first month) and the steps are not timed
/// from the same state. Returns how long it took, which no step counts.
pub async fn settle(db: &Db) -> Result<Duration, StoreError> {
    let started = Instant::now();
    let conn = db.conn();
    match db.backend() {
        DatabaseBackend::Postgres => {
            let tables: Vec<String> = conn
                .query_all_raw(stmt(
                    db.backend(),
                    "SELECT quote_ident(tablename) AS name FROM pg_tables \
                     WHERE schemaname = current_schema() ORDER BY tablename",
                    [],
                ))
                .await?
                .iter()
                .map(|r| r.try_get::<String>("", "name"))
                .collect::<Result<_, _>>()?;
            if !tables.is_empty() {
                conn.execute_unprepared(&format!("VACUUM (ANALYZE) {}", tables.join(", ")))
                    .await?;
            }
            conn.execute_unprepared("CHECKPOINT").await?;
        }
        _ => {
            // The statistics first: what they write is checkpointed with the rest.
            refresh_statistics(db).await?;
            conn.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
                .await?;
        }
    }
    Ok(started.elapsed())
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
