//! Bulk loading of households and people: the fastest path of each database.
//!
//! PostgreSQL: `COPY … FROM STDIN` inside one transaction on a raw connection, with the
//! audit row written in the same transaction. SQLite: prepared multi-row `INSERT`s inside
//! one `BEGIN IMMEDIATE` transaction, chunked under SQLite's bound-parameter limit.
//! Ids are assigned here (the tables are locked for the load), so household codes and the
//! person → household links are known before anything is written.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, Value};

use ansinh_domain::birth::BirthDate;
use ansinh_domain::ids::UnitId;
use ansinh_domain::person::PovertyStatus;
use ansinh_domain::registry::PersonDraft;

use crate::audit::{self, AuditEntry};
use crate::db::{Db, stmt};
use crate::error::StoreError;
use crate::registry::household_code;

/// A household with its members, ready to load.
#[derive(Debug, Clone)]
pub struct BulkHousehold {
    pub province_code: String,
    pub unit_id: UnitId,
    pub unit_code: String,
    pub hamlet: String,
    pub address: String,
    pub poverty: Vec<(i32, PovertyStatus)>,
    /// The head first.
    pub members: Vec<PersonDraft>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BulkOutcome {
    pub households: u64,
    pub people: u64,
    /// Id of the first person loaded; the others follow in batch order (households in
    /// order, members in order).
    pub first_person: i64,
}

const PERSON_COLUMNS: &str = "id, province_code, household_id, relation, full_name, name_folded, \
    given_folded, name_sort, sex, birth_date, birth_precision, cccd, birth_cert_no, ethnicity_code, \
    unit_id, hamlet, disability_level, disability_cert_date, hiv_positive, has_pension, phone, \
    payment_channel, bank_account, death_date, created_at, updated_at, version";
const PERSON_COLUMN_COUNT: usize = 27;
const HOUSEHOLD_COLUMNS: &str =
    "id, province_code, code, unit_id, hamlet, address, created_at, updated_at, version";
const HOUSEHOLD_COLUMN_COUNT: usize = 9;

fn precision(b: BirthDate) -> &'static str {
    match b {
        BirthDate::Full(_) => "day",
        BirthDate::YearMonth { .. } => "month",
        BirthDate::Year(_) => "year",
    }
}

/// One loaded row as database values, in column order.
fn person_values(
    id: i64,
    household: i64,
    province: &str,
    p: &PersonDraft,
    now: DateTime<Utc>,
) -> [Value; PERSON_COLUMN_COUNT] {
    [
        id.into(),
        province.to_string().into(),
        household.into(),
        p.relation.as_str().to_string().into(),
        p.full_name.clone().into(),
        p.name_folded().into(),
        p.given_folded().into(),
        p.name_sort().into(),
        p.sex.as_str().to_string().into(),
        p.birth.assumed_date().into(),
        precision(p.birth).to_string().into(),
        p.cccd.as_ref().map(|c| c.to_string()).into(),
        p.birth_cert_no.clone().into(),
        p.ethnicity_code.clone().into(),
        p.unit_id.0.into(),
        p.hamlet.clone().into(),
        p.disability.as_str().to_string().into(),
        p.disability_cert_date.into(),
        p.hiv_positive.into(),
        p.has_pension.into(),
        p.phone.clone().into(),
        p.payment_channel.as_str().to_string().into(),
        p.bank_account.clone().into(),
        p.death_date.into(),
        now.into(),
        now.into(),
        1i32.into(),
    ]
}

/// Loads households and their members in one transaction, with one audit row.
pub async fn load_households(
    db: &Db,
    batch: &[BulkHousehold],
    now: DateTime<Utc>,
    audit_entry: AuditEntry,
) -> Result<BulkOutcome, StoreError> {
    if batch.is_empty() {
        return Ok(BulkOutcome::default());
    }
    match db.backend() {
        DatabaseBackend::Postgres => load_postgres(db, batch, now, audit_entry).await,
        _ => load_sqlite(db, batch, now, audit_entry).await,
    }
}

async fn max_id(conn: &impl ConnectionTrait, table: &str) -> Result<i64, StoreError> {
    let sql = match table {
        "households" => "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) AS m FROM households",
        _ => "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) AS m FROM persons",
    };
    let row = conn
        .query_one_raw(stmt(conn.get_database_backend(), sql, []))
        .await?;
    Ok(match row {
        Some(r) => r.try_get("", "m")?,
        None => 0,
    })
}

fn outcome_entry(mut entry: AuditEntry, first_household: i64, outcome: BulkOutcome) -> AuditEntry {
    entry.entity_id = format!("{first_household}+{}", outcome.households);
    entry.after = Some(serde_json::json!({
        "households": outcome.households,
        "people": outcome.people,
        "first_household_id": first_household,
    }));
    entry
}

async fn load_sqlite(
    db: &Db,
    batch: &[BulkHousehold],
    now: DateTime<Utc>,
    entry: AuditEntry,
) -> Result<BulkOutcome, StoreError> {
    use crate::sqlite_rows::MAX_PARAMS;
    let backend = db.backend();
    let txn = db.begin().await?;
    let first_household = max_id(&txn, "households").await? + 1;
    let mut next_person = max_id(&txn, "persons").await? + 1;
    let first_person = next_person;

    let mut households: Vec<Value> = Vec::new();
    let mut poverty: Vec<Value> = Vec::new();
    let mut people: Vec<Value> = Vec::new();
    let mut outcome = BulkOutcome {
        first_person,
        ..BulkOutcome::default()
    };
    for (i, h) in batch.iter().enumerate() {
        let hid = first_household + i as i64;
        households.extend([
            hid.into(),
            h.province_code.clone().into(),
            household_code(&h.unit_code, hid).into(),
            h.unit_id.0.into(),
            h.hamlet.clone().into(),
            h.address.clone().into(),
            now.into(),
            now.into(),
            1i32.into(),
        ]);
        for (year, status) in &h.poverty {
            poverty.extend([
                hid.into(),
                (*year).into(),
                status.as_str().to_string().into(),
            ]);
        }
        for p in &h.members {
            people.extend(person_values(next_person, hid, &h.province_code, p, now));
            next_person += 1;
            outcome.people += 1;
        }
        outcome.households += 1;
    }
    insert_rows(
        &txn,
        backend,
        "households",
        HOUSEHOLD_COLUMNS,
        HOUSEHOLD_COLUMN_COUNT,
        households,
        MAX_PARAMS,
    )
    .await?;
    insert_rows(
        &txn,
        backend,
        "household_poverty",
        "household_id, year, status",
        3,
        poverty,
        MAX_PARAMS,
    )
    .await?;
    insert_rows(
        &txn,
        backend,
        "persons",
        PERSON_COLUMNS,
        PERSON_COLUMN_COUNT,
        people,
        MAX_PARAMS,
    )
    .await?;
    audit::append(&txn, outcome_entry(entry, first_household, outcome)).await?;
    txn.commit().await?;
    Ok(outcome)
}

/// Rows in the next multi-row statement: a power of two, at most 512 and at most `left`.
/// The connection keeps each distinct statement prepared; a handful of sizes keeps that cache
/// small (a statement of thousands of parameters holds megabytes once prepared).
pub(crate) fn statement_rows(most: usize, left: usize) -> usize {
    let cap = most.clamp(1, 512).min(left.max(1));
    1 << (usize::BITS - 1 - cap.leading_zeros())
}

/// Multi-row INSERTs of `values` (row-major), as many rows per statement as fit.
pub(crate) async fn insert_rows(
    conn: &impl ConnectionTrait,
    backend: DatabaseBackend,
    table: &str,
    columns: &str,
    width: usize,
    values: Vec<Value>,
    max_params: usize,
) -> Result<(), StoreError> {
    let most = statement_rows(max_params / width.max(1), usize::MAX);
    let mut left = values.len() / width.max(1);
    let mut values = values.into_iter();
    while left > 0 {
        let rows = statement_rows(most, left);
        left -= rows;
        let chunk: Vec<Value> = values.by_ref().take(rows * width).collect();
        let mut sql = format!("INSERT INTO {table} ({columns}) VALUES ");
        push_value_rows(&mut sql, rows, width, backend);
        conn.execute_raw(sea_orm::Statement::from_sql_and_values(backend, sql, chunk))
            .await?;
    }
    Ok(())
}

/// `(…),(…)`: `rows` rows of `width` parameters each, numbered on PostgreSQL.
pub(crate) fn push_value_rows(
    sql: &mut String,
    rows: usize,
    width: usize,
    backend: DatabaseBackend,
) {
    let mut n = 1;
    for r in 0..rows {
        if r > 0 {
            sql.push(',');
        }
        sql.push('(');
        for c in 0..width {
            if c > 0 {
                sql.push(',');
            }
            // SQLite looks up a *named* or numbered parameter by a linear scan on every
            // bind, which is quadratic over thousands of them: use anonymous `?`.
            if backend == DatabaseBackend::Sqlite {
                sql.push('?');
            } else {
                sql.push('$');
                sql.push_str(&n.to_string());
            }
            n += 1;
        }
        sql.push(')');
    }
}

/// Escapes a value for PostgreSQL's COPY text format.
fn copy_text(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

/// Writes one COPY row from `Value`s (only the kinds the loaders produce).
pub fn copy_row(out: &mut String, values: &[Value]) {
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push('\t');
        }
        match v {
            Value::BigInt(Some(n)) => out.push_str(&n.to_string()),
            Value::Int(Some(n)) => out.push_str(&n.to_string()),
            Value::String(Some(s)) => copy_text(out, s),
            Value::Bool(Some(b)) => out.push(if *b { 't' } else { 'f' }),
            Value::ChronoDate(Some(d)) => out.push_str(&d.to_string()),
            Value::ChronoDateTimeUtc(Some(t)) => {
                out.push_str(&t.to_rfc3339_opts(SecondsFormat::Micros, true))
            }
            _ => out.push_str("\\N"),
        }
    }
    out.push('\n');
}

async fn copy_in(
    conn: &mut sqlx::PgConnection,
    statement: &str,
    data: &str,
) -> Result<(), StoreError> {
    let mut copy = conn.copy_in_raw(statement).await?;
    // Send in pieces of a few MiB so memory stays flat whatever the batch size.
    for piece in data.as_bytes().chunks(4 << 20) {
        copy.send(piece).await?;
    }
    copy.finish().await?;
    Ok(())
}

async fn load_postgres(
    db: &Db,
    batch: &[BulkHousehold],
    now: DateTime<Utc>,
    entry: AuditEntry,
) -> Result<BulkOutcome, StoreError> {
    let pool = db.conn().get_postgres_connection_pool().clone();
    let mut conn = pool.acquire().await?;
    sqlx::query("BEGIN").execute(&mut *conn).await?;
    let result = load_postgres_in(&mut conn, batch, now, entry).await;
    match result {
        Ok(outcome) => {
            sqlx::query("COMMIT").execute(&mut *conn).await?;
            Ok(outcome)
        }
        Err(e) => {
            let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
            Err(e)
        }
    }
}

async fn load_postgres_in(
    conn: &mut sqlx::PgConnection,
    batch: &[BulkHousehold],
    now: DateTime<Utc>,
    entry: AuditEntry,
) -> Result<BulkOutcome, StoreError> {
    // Explicit ids: no other writer may take ids while this load runs.
    sqlx::query("LOCK TABLE households, persons IN SHARE ROW EXCLUSIVE MODE")
        .execute(&mut *conn)
        .await?;
    let (max_household,): (i64,) =
        sqlx::query_as("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM households")
            .fetch_one(&mut *conn)
            .await?;
    let (max_person,): (i64,) =
        sqlx::query_as("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM persons")
            .fetch_one(&mut *conn)
            .await?;
    let first_household = max_household + 1;
    let mut next_person = max_person + 1;
    let first_person = next_person;
    let mut households = String::new();
    let mut poverty = String::new();
    let mut people = String::with_capacity(batch.len() * 600);
    let mut outcome = BulkOutcome {
        first_person,
        ..BulkOutcome::default()
    };
    for (i, h) in batch.iter().enumerate() {
        let hid = first_household + i as i64;
        copy_row(
            &mut households,
            &[
                hid.into(),
                h.province_code.clone().into(),
                household_code(&h.unit_code, hid).into(),
                h.unit_id.0.into(),
                h.hamlet.clone().into(),
                h.address.clone().into(),
                now.into(),
                now.into(),
                1i32.into(),
            ],
        );
        for (year, status) in &h.poverty {
            copy_row(
                &mut poverty,
                &[
                    hid.into(),
                    (*year).into(),
                    status.as_str().to_string().into(),
                ],
            );
        }
        for p in &h.members {
            copy_row(
                &mut people,
                &person_values(next_person, hid, &h.province_code, p, now),
            );
            next_person += 1;
            outcome.people += 1;
        }
        outcome.households += 1;
    }
    copy_in(
        conn,
        &format!("COPY households ({HOUSEHOLD_COLUMNS}) FROM STDIN"),
        &households,
    )
    .await?;
    copy_in(
        conn,
        "COPY household_poverty (household_id, year, status) FROM STDIN",
        &poverty,
    )
    .await?;
    copy_in(
        conn,
        &format!("COPY persons ({PERSON_COLUMNS}) FROM STDIN"),
        &people,
    )
    .await?;
    // Identity columns must continue after the explicit ids.
    sqlx::query("SELECT setval(pg_get_serial_sequence('households', 'id'), $1)")
        .bind(first_household + outcome.households as i64 - 1)
        .execute(&mut *conn)
        .await?;
    if outcome.people > 0 {
        sqlx::query("SELECT setval(pg_get_serial_sequence('persons', 'id'), $1)")
            .bind(next_person - 1)
            .execute(&mut *conn)
            .await?;
    }
    audit::append_pg(conn, outcome_entry(entry, first_household, outcome)).await?;
    Ok(outcome)
}

/// Loads entitlements (data taken over from another system, synthetic sets) with the
/// database's fastest path, in one transaction with its audit entry. Returns the first id;
/// the others follow in order.
pub async fn load_entitlements(
    db: &Db,
    rows: &[crate::benefits::EntitlementWrite],
    now: DateTime<Utc>,
    entry: AuditEntry,
) -> Result<i64, StoreError> {
    const COLUMNS: &str = "id, province_code, person_id, unit_id, benefit, status, channel, account, payees_json, \
        since_month, until_month, situation_json, decision_id, created_at, updated_at, version";
    const WIDTH: usize = 16;
    let values = |id: i64, e: &crate::benefits::EntitlementWrite| -> [Value; WIDTH] {
        [
            id.into(),
            e.province_code.clone().into(),
            e.person_id.0.into(),
            e.unit_id.0.into(),
            e.benefit.clone().into(),
            e.status.clone().into(),
            e.channel.clone().into(),
            e.account.clone().into(),
            e.payees_json.clone().into(),
            e.since_month.into(),
            e.until_month.into(),
            e.situation_json.clone().into(),
            e.decision_id.map(|d| d.0).into(),
            now.into(),
            now.into(),
            1i32.into(),
        ]
    };
    if db.is_postgres() {
        let pool = db.conn().get_postgres_connection_pool().clone();
        let mut conn = pool.acquire().await?;
        sqlx::query("BEGIN").execute(&mut *conn).await?;
        let result = async {
            sqlx::query("LOCK TABLE entitlements IN SHARE ROW EXCLUSIVE MODE")
                .execute(&mut *conn)
                .await?;
            let (max,): (i64,) =
                sqlx::query_as("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM entitlements")
                    .fetch_one(&mut *conn)
                    .await?;
            let mut data = String::with_capacity(rows.len() * 700);
            for (i, e) in rows.iter().enumerate() {
                copy_row(&mut data, &values(max + 1 + i as i64, e));
            }
            copy_in(
                &mut conn,
                &format!("COPY entitlements ({COLUMNS}) FROM STDIN"),
                &data,
            )
            .await?;
            if !rows.is_empty() {
                sqlx::query("SELECT setval(pg_get_serial_sequence('entitlements', 'id'), $1)")
                    .bind(max + rows.len() as i64)
                    .execute(&mut *conn)
                    .await?;
            }
            let mut entry = entry;
            entry.entity_id = (max + 1).to_string();
            entry.after =
                Some(serde_json::json!({"entitlements": rows.len(), "first_id": max + 1}));
            audit::append_pg(&mut conn, entry).await?;
            Ok::<i64, StoreError>(max + 1)
        }
        .await;
        match result {
            Ok(first) => {
                sqlx::query("COMMIT").execute(&mut *conn).await?;
                Ok(first)
            }
            Err(e) => {
                let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
                Err(e)
            }
        }
    } else {
        let txn = db.begin().await?;
        let first = max_id(&txn, "entitlements").await? + 1;
        let mut all: Vec<Value> = Vec::with_capacity(rows.len() * WIDTH);
        for (i, e) in rows.iter().enumerate() {
            all.extend(values(first + i as i64, e));
        }
        insert_rows(
            &txn,
            db.backend(),
            "entitlements",
            COLUMNS,
            WIDTH,
            all,
            32_000,
        )
        .await?;
        let mut entry = entry;
        entry.entity_id = first.to_string();
        entry.after = Some(serde_json::json!({"entitlements": rows.len(), "first_id": first}));
        audit::append(&txn, entry).await?;
        txn.commit().await?;
        Ok(first)
    }
}

/// For tests of the COPY encoder.
pub fn copy_date(d: NaiveDate) -> String {
    let mut s = String::new();
    copy_row(&mut s, &[d.into()]);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_rows_escape_and_mark_nulls() {
        let mut s = String::new();
        copy_row(
            &mut s,
            &[
                1i64.into(),
                "a\tb\\c\nd".to_string().into(),
                Option::<String>::None.into(),
                true.into(),
            ],
        );
        assert_eq!(s, "1\ta\\tb\\\\c\\nd\t\\N\tt\n");
        assert_eq!(
            copy_date(NaiveDate::from_ymd_opt(2025, 7, 1).unwrap()),
            "2025-07-01\n"
        );
    }
}

#[cfg(test)]
mod statement_size_tests {
    use super::statement_rows;

    #[test]
    fn statements_come_in_a_few_sizes() {
        assert_eq!(statement_rows(1600, usize::MAX), 512);
        assert_eq!(statement_rows(512, 1054), 512);
        assert_eq!(statement_rows(512, 30), 16);
        assert_eq!(statement_rows(512, 1), 1);
        assert_eq!(statement_rows(3, 100), 2);
        assert_eq!(statement_rows(0, 5), 1);
        // 1054 rows: 512 + 512 + 16 + 8 + 4 + 2.
        let (mut left, mut sizes) = (1054, Vec::new());
        while left > 0 {
            let n = statement_rows(512, left);
            sizes.push(n);
            left -= n;
        }
        assert_eq!(sizes, vec![512, 512, 16, 8, 4, 2]);
    }
}
