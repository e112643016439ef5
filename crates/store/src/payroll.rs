//! Payroll storage: runs per paying commune and month, their lines, results, what is still
//! owed per entitlement (ledgers) and funds transferred. A unit's run is written in one
//! transaction with all its lines — a run is there complete or not at all — with the
//! database's fastest path for the lines (COPY on PostgreSQL, multi-row inserts on SQLite).

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, QueryResult, Value};
use serde::Serialize;
use sqlx::Row;

use ansinh_domain::ids::{EntitlementId, PersonId, UnitId, UserId};

use crate::audit::{self, AuditEntry};
use crate::db::{Db, stmt};
use crate::error::{StoreError, raw_conflict};

/// Run statuses, in order.
pub const STATUSES: [&str; 5] = ["draft", "checked", "sent", "results", "closed"];

#[derive(Debug, Clone, Serialize)]
pub struct RunWrite {
    pub province_code: String,
    pub unit_code: String,
    pub unit_id: UnitId,
    /// `YYYYMM`.
    pub month: i32,
    pub catalogue: String,
    pub content_hash: String,
    pub entitlements: i64,
    pub lines: i64,
    pub payments: i64,
    pub to_pay: i64,
    pub to_recover: i64,
    pub net: i64,
    pub totals_json: String,
    pub notes_json: String,
    /// The rules (citation, label, base) the run's regular monthly lines were priced with,
    /// once each: those lines keep only the rule's id.
    pub rules_json: String,
    /// Per entitlement brought level: id and facts digest (see `encode_checks`).
    #[serde(skip)]
    pub checks: Vec<u8>,
    pub job_id: Option<i64>,
    pub prepared_by: Option<UserId>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RunRow {
    pub id: i64,
    pub version: i32,
    pub status: String,
    #[serde(flatten)]
    pub data: RunWrite,
    pub checked_by: Option<UserId>,
    pub checked_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    pub results_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

const RUN_COLUMNS: &str = "id, version, status, province_code, unit_code, unit_id, month, catalogue, content_hash, \
    entitlements, lines, payments, to_pay, to_recover, net, totals_json, notes_json, rules_json, job_id, prepared_by, \
    checked_by, checked_at, sent_at, results_at, closed_at, created_at";

fn run_from(r: QueryResult, checks: Vec<u8>) -> Result<RunRow, StoreError> {
    Ok(RunRow {
        id: r.try_get("", "id")?,
        version: r.try_get("", "version")?,
        status: r.try_get("", "status")?,
        data: RunWrite {
            province_code: r.try_get("", "province_code")?,
            unit_code: r.try_get("", "unit_code")?,
            unit_id: UnitId(r.try_get("", "unit_id")?),
            month: r.try_get("", "month")?,
            catalogue: r.try_get("", "catalogue")?,
            content_hash: r.try_get("", "content_hash")?,
            entitlements: r.try_get("", "entitlements")?,
            lines: r.try_get("", "lines")?,
            payments: r.try_get("", "payments")?,
            to_pay: r.try_get("", "to_pay")?,
            to_recover: r.try_get("", "to_recover")?,
            net: r.try_get("", "net")?,
            totals_json: r.try_get("", "totals_json")?,
            notes_json: r.try_get("", "notes_json")?,
            rules_json: r.try_get("", "rules_json")?,
            checks,
            job_id: r.try_get("", "job_id")?,
            prepared_by: r.try_get::<Option<i64>>("", "prepared_by")?.map(UserId),
        },
        checked_by: r.try_get::<Option<i64>>("", "checked_by")?.map(UserId),
        checked_at: r.try_get("", "checked_at")?,
        sent_at: r.try_get("", "sent_at")?,
        results_at: r.try_get("", "results_at")?,
        closed_at: r.try_get("", "closed_at")?,
        created_at: r.try_get("", "created_at")?,
    })
}

/// One stored line. Monthly lines carry their basis in columns (the rule is looked up in
/// the catalogue version for its citation); other lines keep their whole explanation in
/// `detail_json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineWrite {
    pub entitlement_id: EntitlementId,
    pub beneficiary_id: PersonId,
    /// `YYYYMM` of the run.
    pub month: i32,
    pub kind: &'static str,
    pub for_month: i32,
    pub benefit: &'static str,
    pub payee: &'static str,
    /// 0 when the line is not a one-off item.
    pub one_off_id: i64,
    pub channel: &'static str,
    pub account: Option<String>,
    pub amount: i64,
    pub reason: &'static str,
    pub policy_version: Option<String>,
    pub rule_id: Option<String>,
    pub coefficient: Option<i32>,
    pub multiplier: i32,
    pub base: Option<i64>,
    pub detail_json: Option<String>,
}

/// A line as read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineRow {
    pub run_id: i64,
    pub entitlement_id: EntitlementId,
    pub beneficiary_id: PersonId,
    pub month: i32,
    pub kind: String,
    pub for_month: i32,
    pub benefit: String,
    pub payee: String,
    pub one_off_id: i64,
    pub channel: String,
    pub account: Option<String>,
    pub amount: i64,
    pub reason: String,
    pub policy_version: Option<String>,
    pub rule_id: Option<String>,
    pub coefficient: Option<i32>,
    pub multiplier: i32,
    pub base: Option<i64>,
    pub detail_json: Option<String>,
}

pub(crate) const LINE_COLUMNS: &str = "run_id, province_code, month, entitlement_id, beneficiary_id, kind, for_month, benefit, payee, \
    one_off_id, channel, account, amount, reason, policy_version, rule_id, coefficient, multiplier, base, detail_json";
const LINE_WIDTH: usize = 20;

fn line_from(r: QueryResult) -> Result<LineRow, StoreError> {
    Ok(LineRow {
        run_id: r.try_get("", "run_id")?,
        entitlement_id: EntitlementId(r.try_get("", "entitlement_id")?),
        beneficiary_id: PersonId(r.try_get("", "beneficiary_id")?),
        month: r.try_get("", "month")?,
        kind: r.try_get("", "kind")?,
        for_month: r.try_get("", "for_month")?,
        benefit: r.try_get("", "benefit")?,
        payee: r.try_get("", "payee")?,
        one_off_id: r.try_get("", "one_off_id")?,
        channel: r.try_get("", "channel")?,
        account: r.try_get("", "account")?,
        amount: r.try_get("", "amount")?,
        reason: r.try_get("", "reason")?,
        policy_version: r.try_get("", "policy_version")?,
        rule_id: r.try_get("", "rule_id")?,
        coefficient: r.try_get("", "coefficient")?,
        multiplier: r.try_get("", "multiplier")?,
        base: r.try_get("", "base")?,
        detail_json: r.try_get("", "detail_json")?,
    })
}

/// Per entitlement brought level by a run: 8 bytes of id (little-endian) and the 32-byte
/// facts digest. Kept as one value per run: a month's runs hold millions of them and the next
/// month reads them by unit.
pub fn encode_checks(checks: impl IntoIterator<Item = (EntitlementId, [u8; 32])>) -> Vec<u8> {
    let mut out = Vec::new();
    for (id, digest) in checks {
        out.extend_from_slice(&id.0.to_le_bytes());
        out.extend_from_slice(&digest);
    }
    out
}

pub fn decode_checks(bytes: &[u8]) -> Vec<(EntitlementId, [u8; 32])> {
    bytes
        .chunks_exact(40)
        .filter_map(|c| {
            let id = i64::from_le_bytes(c.get(..8)?.try_into().ok()?);
            let digest: [u8; 32] = c.get(8..)?.try_into().ok()?;
            Some((EntitlementId(id), digest))
        })
        .collect()
}

/// A unit's run, its lines and the one-off items it lists.
#[derive(Debug, Clone)]
pub struct UnitRunWrite {
    pub run: RunWrite,
    pub lines: Vec<LineWrite>,
    pub one_offs: Vec<i64>,
}

/// Runs kept together in one transaction. On SQLite their lines are gathered as rows to
/// bind when the batch is made — by the task that computed it, so that the single writer
/// does not wait for that work.
#[derive(Debug)]
pub struct BatchWrite {
    pub runs: Vec<UnitRunWrite>,
    rows: Option<crate::sqlite_rows::Rows>,
}

impl BatchWrite {
    pub fn new(db: &Db, runs: Vec<UnitRunWrite>) -> BatchWrite {
        let rows = (!db.is_postgres()).then(|| line_rows(&runs));
        BatchWrite { runs, rows }
    }

    /// The lines as rows to bind, the run id of the `i`-th run as parameter `i`.
    fn take_rows(&mut self) -> crate::sqlite_rows::Rows {
        self.rows.take().unwrap_or_else(|| line_rows(&self.runs))
    }
}

fn line_rows(runs: &[UnitRunWrite]) -> crate::sqlite_rows::Rows {
    let lines = runs.iter().map(|u| u.lines.len()).sum();
    let mut rows = crate::sqlite_rows::Rows::with_capacity(LINE_WIDTH, lines);
    for (i, u) in runs.iter().enumerate() {
        for l in &u.lines {
            push_line(&mut rows, i, &u.run.province_code, l);
        }
    }
    rows
}

/// Stores runs of a few units, each with all its lines and marking the one-off items it
/// lists, in one transaction with one audit entry. A second run of the same unit and month is
/// refused by the unique index (`StoreError::Conflict`, nothing written), whatever the
/// timing. Returns the run ids in order.
pub async fn store_unit_runs(
    db: &Db,
    batch: &mut BatchWrite,
    entry: AuditEntry,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, StoreError> {
    if db.is_postgres() {
        store_pg(db, &batch.runs, entry, now).await
    } else {
        let mut conn = db.conn().get_sqlite_connection_pool().acquire().await?;
        store_sqlite(&mut conn, batch, entry, now).await
    }
}

/// Where a whole month's runs are written, batch after batch.
///
/// PostgreSQL takes several batches at once from any pooled connection. SQLite has one
/// writer at a time: a connection is kept for the month. Its commits do not copy the log into
/// the database file themselves (SQLite's automatic checkpoint would, after every commit once
/// the log passes a thousand pages): the caller has the free function `checkpoint` do most
/// of it beside the writer and `RunWriter::checkpoint` the rest every few batches.
#[derive(Debug)]
pub enum RunWriter {
    Pool(Db),
    Sqlite(Box<sqlx::SqliteConnection>),
}

impl RunWriter {
    /// A writer for a whole month.
    pub async fn for_month(db: &Db) -> Result<RunWriter, StoreError> {
        if db.is_postgres() {
            return Ok(RunWriter::Pool(db.clone()));
        }
        // Out of the pool: its setting must not outlive the month.
        let mut conn = db
            .conn()
            .get_sqlite_connection_pool()
            .acquire()
            .await?
            .detach();
        sqlx::query("PRAGMA wal_autocheckpoint = 0")
            .execute(&mut conn)
            .await?;
        Ok(RunWriter::Sqlite(Box::new(conn)))
    }

    /// Whether batches may be written by several tasks at once.
    pub fn concurrent(&self) -> bool {
        matches!(self, RunWriter::Pool(_))
    }

    /// As `store_unit_runs`.
    pub async fn store_unit_runs(
        &mut self,
        batch: &mut BatchWrite,
        entry: AuditEntry,
        now: DateTime<Utc>,
    ) -> Result<Vec<i64>, StoreError> {
        match self {
            RunWriter::Pool(db) => store_unit_runs(db, batch, entry, now).await,
            RunWriter::Sqlite(conn) => store_sqlite(conn, batch, entry, now).await,
        }
    }

    /// Copies the log into the database file from the writer's own connection, between two
    /// of its transactions (`PASSIVE`: readers are not waited for). A checkpoint made there
    /// can copy the whole log (unless a reader still reads part of it), and then SQLite
    /// starts the log over at the next write. A checkpoint from another connection, beside
    /// the writer, is always behind the writer's latest commit: with no other, the log never
    /// started over during a month. At 3,500,000 entitlements it grew past a gigabyte, and
    /// the kernel's work to grow it and write it back doubled the month's system time.
    /// Nothing to do on PostgreSQL.
    pub async fn checkpoint(&mut self) -> Result<(), StoreError> {
        if let RunWriter::Sqlite(conn) = self {
            sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&mut **conn)
                .await?;
        }
        Ok(())
    }

    pub async fn close(self) -> Result<(), StoreError> {
        if let RunWriter::Sqlite(conn) = self {
            sqlx::Connection::close(*conn).await?;
        }
        Ok(())
    }
}

/// Copies what SQLite's log holds into the database file, as far as no reader still needs
/// it, without blocking readers or the writer (`PASSIVE`). Nothing to do on PostgreSQL.
pub async fn checkpoint(db: &Db) -> Result<(), StoreError> {
    if !db.is_postgres() {
        db.conn()
            .execute_unprepared("PRAGMA wal_checkpoint(PASSIVE)")
            .await?;
    }
    Ok(())
}

/// The columns of a run as inserted (`insert_runs_sql`).
const RUN_INSERT_COLUMNS: &str = "province_code, unit_code, unit_id, month, status, catalogue, content_hash, \
    entitlements, lines, payments, to_pay, to_recover, net, totals_json, notes_json, rules_json, checks, job_id, \
    prepared_by, created_at, updated_at, version";

/// Parameters a run binds (`bind_run!`); the last, the time, is both created and updated.
const RUN_PARAMS: usize = 20;

/// An INSERT of `runs` runs returning `returning`, the parameters of the n-th run (from 0)
/// numbered from `n * RUN_PARAMS + 1` in `bind_run!` order.
fn insert_runs_sql(runs: usize, returning: &str) -> String {
    let values: Vec<String> = (0..runs)
        .map(|n| {
            let p: Vec<String> = (1..=RUN_PARAMS)
                .map(|i| format!("${}", n * RUN_PARAMS + i))
                .collect();
            format!("({}, {}, 1)", p.join(", "), p[RUN_PARAMS - 1])
        })
        .collect();
    format!(
        "INSERT INTO payroll_runs ({RUN_INSERT_COLUMNS}) VALUES {} RETURNING {returning}",
        values.join(", ")
    )
}

/// A run's parameters bound onto `$query`, in `insert_runs_sql` order.
macro_rules! bind_run {
    ($query:expr, $run:expr, $now:expr) => {{
        let run = $run;
        $query
            .bind(&run.province_code)
            .bind(&run.unit_code)
            .bind(run.unit_id.0)
            .bind(run.month)
            .bind("draft")
            .bind(&run.catalogue)
            .bind(&run.content_hash)
            .bind(run.entitlements)
            .bind(run.lines)
            .bind(run.payments)
            .bind(run.to_pay)
            .bind(run.to_recover)
            .bind(run.net)
            .bind(&run.totals_json)
            .bind(&run.notes_json)
            .bind(&run.rules_json)
            .bind(&run.checks)
            .bind(run.job_id)
            .bind(run.prepared_by.map(|u| u.0))
            .bind($now)
    }};
}

/// The runs of a batch inserted in as few statements as `$max_params` parameters allow,
/// each run's id in the batch's order: every statement is a round trip to the database
/// (on SQLite, to the thread it runs on, which a month's write waits for).
macro_rules! insert_runs {
    ($conn:expr, $runs:expr, $now:expr, $max_params:expr) => {{
        let runs: &[UnitRunWrite] = $runs;
        let mut ids: std::collections::HashMap<String, i64> =
            std::collections::HashMap::with_capacity(runs.len());
        for chunk in runs.chunks($max_params / RUN_PARAMS) {
            let sql = insert_runs_sql(chunk.len(), "id, unit_code");
            let mut query = sqlx::query_as::<_, (i64, String)>(sqlx::AssertSqlSafe(sql));
            for u in chunk {
                query = bind_run!(query, &u.run, $now);
            }
            // RETURNING hands rows back in no promised order: each is matched by its unit
            // (a unit has one run a month).
            ids.extend(
                query
                    .fetch_all(&mut *$conn)
                    .await
                    .map_err(raw_conflict)?
                    .into_iter()
                    .map(|(id, unit)| (unit, id)),
            );
        }
        runs.iter()
            .map(|u| {
                ids.get(&u.run.unit_code).copied().ok_or_else(|| {
                    StoreError::RefData(format!(
                        "no id returned for the run of {}",
                        u.run.unit_code
                    ))
                })
            })
            .collect::<Result<Vec<i64>, StoreError>>()
    }};
}

/// `$first, $first+1, …`: `n` numbered parameters for an `IN (…)` list.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The SQLite write: the runs, their lines as bound multi-row inserts, the one-off items
/// marked and the audit entry, in one `BEGIN IMMEDIATE` transaction (rolled back when
/// dropped unfinished).
async fn store_sqlite(
    conn: &mut sqlx::SqliteConnection,
    batch: &mut BatchWrite,
    entry: AuditEntry,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, StoreError> {
    let rows = batch.take_rows();
    let runs = &batch.runs;
    let mut txn = sqlx::Connection::begin_with(&mut *conn, "BEGIN IMMEDIATE").await?;
    let ids = insert_runs!(txn, runs, now, crate::sqlite_rows::MAX_PARAMS)?;
    rows.insert(&mut txn, "payroll_lines", LINE_COLUMNS, &ids)
        .await?;
    for u in runs {
        for chunk in u.one_offs.chunks(500) {
            let sql = format!(
                "UPDATE one_offs SET listed_in = ? WHERE id IN ({})",
                vec!["?"; chunk.len()].join(", ")
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(u.run.month);
            for id in chunk {
                q = q.bind(*id);
            }
            q.execute(&mut *txn).await?;
        }
    }
    audit::append_sqlite(&mut txn, with_ids(entry, &ids)).await?;
    txn.commit().await.map_err(raw_conflict)?;
    Ok(ids)
}

/// A line's cells, in `LINE_COLUMNS` order; its run's id is parameter `run`.
fn push_line(rows: &mut crate::sqlite_rows::Rows, run: usize, province: &str, l: &LineWrite) {
    rows.param(run);
    rows.code(province);
    rows.int(l.month.into());
    rows.int(l.entitlement_id.0);
    rows.int(l.beneficiary_id.0);
    rows.code(l.kind);
    rows.int(l.for_month.into());
    rows.code(l.benefit);
    rows.code(l.payee);
    rows.int(l.one_off_id);
    rows.code(l.channel);
    rows.opt_text(l.account.as_deref());
    rows.int(l.amount);
    rows.code(l.reason);
    rows.opt_code(l.policy_version.as_deref());
    rows.opt_code(l.rule_id.as_deref());
    rows.opt_int(l.coefficient.map(i64::from));
    rows.int(l.multiplier.into());
    rows.opt_int(l.base);
    rows.opt_text(l.detail_json.as_deref());
}

fn with_ids(mut entry: AuditEntry, ids: &[i64]) -> AuditEntry {
    entry.entity_id = ids
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",");
    entry
}

/// PostgreSQL's limit on a statement's parameters.
const PG_MAX_PARAMS: usize = 65_535;

async fn store_pg(
    db: &Db,
    runs: &[UnitRunWrite],
    entry: AuditEntry,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, StoreError> {
    let pool = db.conn().get_postgres_connection_pool().clone();
    let mut conn = pool.acquire().await?;
    sqlx::query("BEGIN").execute(&mut *conn).await?;
    let result = async {
        // A run is recomputed identically from its inputs: if the server itself crashed in
        // the instant after commit, the lost runs would simply be absent and computed again
        // (never half there). Not waiting for the disk on each commit halves a month's time.
        sqlx::query("SET LOCAL synchronous_commit = off")
            .execute(&mut *conn)
            .await?;
        let ids = insert_runs!(conn, runs, now, PG_MAX_PARAMS)?;
        for u in runs.iter().filter(|u| !u.one_offs.is_empty()) {
            sqlx::query("UPDATE one_offs SET listed_in = $1 WHERE id = ANY($2)")
                .bind(u.run.month)
                .bind(&u.one_offs)
                .execute(&mut *conn)
                .await?;
        }
        copy_lines_pg(&mut conn, runs, &ids).await?;
        audit::append_pg(&mut conn, with_ids(entry, &ids)).await?;
        Ok::<Vec<i64>, StoreError>(ids)
    }
    .await;
    match result {
        Ok(ids) => {
            sqlx::query("COMMIT")
                .execute(&mut *conn)
                .await
                .map_err(raw_conflict)?;
            Ok(ids)
        }
        Err(e) => {
            let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
            Err(e)
        }
    }
}

/// The lines of a batch of runs in one `COPY … (FORMAT binary)`: the server's cheapest way in
/// (a unique violation fails it like an INSERT would).
async fn copy_lines_pg(
    conn: &mut sqlx::PgConnection,
    runs: &[UnitRunWrite],
    ids: &[i64],
) -> Result<(), StoreError> {
    let n: usize = runs.iter().map(|u| u.lines.len()).sum();
    if n == 0 {
        return Ok(());
    }
    let mut data = crate::pg_binary::Writer::with_capacity(n * 160);
    for (u, id) in runs.iter().zip(ids) {
        for l in &u.lines {
            data.row(LINE_WIDTH as i16);
            data.int8(*id);
            data.text(&u.run.province_code);
            data.int4(l.month);
            data.int8(l.entitlement_id.0);
            data.int8(l.beneficiary_id.0);
            data.text(l.kind);
            data.int4(l.for_month);
            data.text(l.benefit);
            data.text(l.payee);
            data.int8(l.one_off_id);
            data.text(l.channel);
            data.opt_text(l.account.as_deref());
            data.int8(l.amount);
            data.text(l.reason);
            data.opt_text(l.policy_version.as_deref());
            data.opt_text(l.rule_id.as_deref());
            data.opt_int4(l.coefficient);
            data.int4(l.multiplier);
            data.opt_int8(l.base);
            data.opt_text(l.detail_json.as_deref());
        }
    }
    let data = data.finish();
    let mut copy = conn
        .copy_in_raw(&format!(
            "COPY payroll_lines ({LINE_COLUMNS}) FROM STDIN (FORMAT binary)"
        ))
        .await?;
    for piece in data.chunks(4 << 20) {
        copy.send(piece).await.map_err(raw_conflict)?;
    }
    copy.finish().await.map_err(raw_conflict)?;
    Ok(())
}

/// The run of a unit and month, if stored.
pub async fn run_for(
    conn: &impl ConnectionTrait,
    unit_code: &str,
    month: i32,
) -> Result<Option<RunRow>, StoreError> {
    conn.query_one_raw(stmt(
        conn.get_database_backend(),
        &format!(
            "SELECT {RUN_COLUMNS}, checks FROM payroll_runs WHERE unit_code = $1 AND month = $2"
        ),
        [unit_code.to_string().into(), month.into()],
    ))
    .await?
    .map(|r| {
        let checks: Vec<u8> = r.try_get("", "checks")?;
        run_from(r, checks)
    })
    .transpose()
}

/// Runs of these units in a month (with their checks when asked).
pub async fn runs_for(
    conn: &impl ConnectionTrait,
    unit_codes: &[String],
    month: i32,
    with_checks: bool,
) -> Result<Vec<RunRow>, StoreError> {
    if unit_codes.is_empty() {
        return Ok(Vec::new());
    }
    let mut values: Vec<Value> = vec![month.into()];
    values.extend(unit_codes.iter().map(|c| Value::from(c.clone())));
    let extra = if with_checks { ", checks" } else { "" };
    conn.query_all_raw(stmt(
        conn.get_database_backend(),
        &format!(
            "SELECT {RUN_COLUMNS}{extra} FROM payroll_runs WHERE month = $1 AND unit_code IN ({})",
            placeholders(2, unit_codes.len())
        ),
        values,
    ))
    .await?
    .into_iter()
    .map(|r| {
        let checks: Vec<u8> = if with_checks {
            r.try_get("", "checks")?
        } else {
            Vec::new()
        };
        run_from(r, checks)
    })
    .collect()
}

pub async fn get_run(conn: &impl ConnectionTrait, id: i64) -> Result<Option<RunRow>, StoreError> {
    conn.query_one_raw(stmt(
        conn.get_database_backend(),
        &format!("SELECT {RUN_COLUMNS}, checks FROM payroll_runs WHERE id = $1"),
        [id.into()],
    ))
    .await?
    .map(|r| {
        let checks: Vec<u8> = r.try_get("", "checks")?;
        run_from(r, checks)
    })
    .transpose()
}

/// Runs of a month (without their checks), by unit code; `units` limits them to these unit
/// versions (a caller's scope), `None` for all.
pub async fn runs_of_month(
    conn: &impl ConnectionTrait,
    month: i32,
    units: Option<&[UnitId]>,
) -> Result<Vec<RunRow>, StoreError> {
    let mut values: Vec<Value> = vec![month.into()];
    let mut sql = format!("SELECT {RUN_COLUMNS} FROM payroll_runs WHERE month = $1");
    if let Some(units) = units {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        sql.push_str(&format!(
            " AND unit_id IN ({})",
            placeholders(2, units.len())
        ));
        values.extend(units.iter().map(|u| Value::from(u.0)));
    }
    sql.push_str(" ORDER BY unit_code");
    conn.query_all_raw(stmt(conn.get_database_backend(), &sql, values))
        .await?
        .into_iter()
        .map(|r| run_from(r, Vec::new()))
        .collect()
}

/// Months that have runs, newest first.
pub async fn run_months(conn: &impl ConnectionTrait) -> Result<Vec<i32>, StoreError> {
    conn.query_all_raw(stmt(
        conn.get_database_backend(),
        "SELECT DISTINCT month FROM payroll_runs ORDER BY month DESC",
        Vec::<Value>::new(),
    ))
    .await?
    .into_iter()
    .map(|r| Ok(r.try_get("", "month")?))
    .collect()
}

pub async fn lines_of_run(
    conn: &impl ConnectionTrait,
    run: i64,
) -> Result<Vec<LineRow>, StoreError> {
    conn.query_all_raw(stmt(
        conn.get_database_backend(),
        &format!(
            "SELECT {LINE_COLUMNS} FROM payroll_lines WHERE run_id = $1 \
             ORDER BY entitlement_id, payee, kind, for_month, benefit, one_off_id"
        ),
        [run.into()],
    ))
    .await?
    .into_iter()
    .map(line_from)
    .collect()
}

/// Lines of these entitlements listed in runs of months `from..=to` (what a ledger's
/// `listed` is made of).
pub async fn lines_of_entitlements(
    conn: &impl ConnectionTrait,
    entitlements: &[EntitlementId],
    from: i32,
    to: i32,
) -> Result<Vec<LineRow>, StoreError> {
    let mut out = Vec::new();
    // No run in these months (a first month): no line to look for. Asking anyway would have
    // the planner scan a table its statistics still describe as empty.
    if entitlements.is_empty() || !any_run_between(conn, from, to).await? {
        return Ok(out);
    }
    // The line key leads with the month (a run's lines append to its index instead of
    // landing among earlier months'); lookups name each month of the window.
    let months = months_between(from, to);
    for chunk in entitlements.chunks(500) {
        let mut values: Vec<Value> = months.iter().map(|m| Value::from(*m)).collect();
        values.extend(chunk.iter().map(|e| Value::from(e.0)));
        let rows = conn
            .query_all_raw(stmt(
                conn.get_database_backend(),
                &format!(
                    "SELECT {LINE_COLUMNS} FROM payroll_lines WHERE month IN ({}) \
                     AND entitlement_id IN ({})",
                    placeholders(1, months.len()),
                    placeholders(1 + months.len(), chunk.len())
                ),
                values,
            ))
            .await?;
        for r in rows {
            out.push(line_from(r)?);
        }
    }
    Ok(out)
}

/// The `YYYYMM` months from `from` to `to`, both included.
fn months_between(from: i32, to: i32) -> Vec<i32> {
    std::iter::successors(Some(from), |m| {
        Some(if m % 100 == 12 { m + 89 } else { m + 1 })
    })
    .take_while(|m| *m <= to)
    .collect()
}

async fn any_run_between(
    conn: &impl ConnectionTrait,
    from: i32,
    to: i32,
) -> Result<bool, StoreError> {
    Ok(conn
        .query_one_raw(stmt(
            conn.get_database_backend(),
            "SELECT 1 AS one FROM payroll_runs WHERE month >= $1 AND month <= $2 LIMIT 1",
            [from.into(), to.into()],
        ))
        .await?
        .is_some())
}

/// After a month's run (millions of new lines), the planner's statistics of the payroll
/// tables are refreshed so that the next queries are planned for what they now hold: of
/// the lines, those of the columns queries select, join or group them by (the others'
/// statistics would only be computed, over the texts of thousands of sampled lines, and
/// never used).
pub async fn refresh_statistics(db: &Db) -> Result<(), StoreError> {
    if db.backend() == DatabaseBackend::Postgres {
        db.conn()
            .execute_unprepared(
                "ANALYZE payroll_runs, payroll_lines \
                 (run_id, month, entitlement_id, beneficiary_id, kind, for_month, one_off_id)",
            )
            .await?;
    }
    Ok(())
}

/// Moves a run along its lifecycle if it is still at `from` and unchanged since `version`.
pub async fn set_status(
    conn: &impl ConnectionTrait,
    id: i64,
    version: i32,
    from: &str,
    to: &str,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let stamp = match to {
        "checked" => ", checked_by = $6, checked_at = $5",
        "sent" => ", sent_at = $5",
        "results" => ", results_at = $5",
        "closed" => ", closed_at = $5",
        _ => "",
    };
    let mut values: Vec<Value> = vec![
        to.to_string().into(),
        id.into(),
        version.into(),
        from.to_string().into(),
        now.into(),
    ];
    if to == "checked" {
        values.push(by.map(|u| u.0).into());
    }
    let r = conn
        .execute_raw(stmt(
            conn.get_database_backend(),
            &format!(
                "UPDATE payroll_runs SET status = $1, updated_at = $5, version = version + 1{stamp} \
                 WHERE id = $2 AND version = $3 AND status = $4"
            ),
            values,
        ))
        .await?;
    if r.rows_affected() != 1 {
        return Err(StoreError::Stale);
    }
    Ok(())
}

/// Deletes a draft run and its lines, and frees the one-off items it listed, so that the
/// month can be computed again after corrections.
pub async fn delete_draft(
    conn: &impl ConnectionTrait,
    id: i64,
    version: i32,
) -> Result<(), StoreError> {
    let backend = conn.get_database_backend();
    let run = get_run(conn, id).await?.ok_or(StoreError::NotFound {
        entity: "payroll run",
        id: id.to_string(),
    })?;
    if run.status != "draft" || run.version != version {
        return Err(StoreError::Stale);
    }
    conn.execute_raw(stmt(
        backend,
        "UPDATE one_offs SET listed_in = NULL WHERE listed_in = $1 AND id IN \
         (SELECT one_off_id FROM payroll_lines WHERE run_id = $2 AND one_off_id > 0)",
        [run.data.month.into(), id.into()],
    ))
    .await?;
    conn.execute_raw(stmt(
        backend,
        "DELETE FROM payroll_lines WHERE run_id = $1",
        [id.into()],
    ))
    .await?;
    let r = conn
        .execute_raw(stmt(
            backend,
            "DELETE FROM payroll_runs WHERE id = $1 AND version = $2 AND status = 'draft'",
            [id.into(), version.into()],
        ))
        .await?;
    if r.rows_affected() != 1 {
        return Err(StoreError::Stale);
    }
    Ok(())
}

/// What is still owed to an entitlement before a month (see `ansinh_payroll::Ledger`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerRow {
    pub entitlement_id: EntitlementId,
    pub as_of: i32,
    pub unpaid_json: String,
    pub unpaid_months_json: String,
}

/// The latest ledger of each entitlement as of `month` or before.
pub async fn ledgers(
    conn: &impl ConnectionTrait,
    entitlements: &[EntitlementId],
    month: i32,
) -> Result<Vec<LedgerRow>, StoreError> {
    let mut out = Vec::new();
    for chunk in entitlements.chunks(500) {
        let mut values: Vec<Value> = vec![month.into()];
        values.extend(chunk.iter().map(|e| Value::from(e.0)));
        let rows = conn
            .query_all_raw(stmt(
                conn.get_database_backend(),
                &format!(
                    "SELECT l.entitlement_id, l.as_of, l.unpaid_json, l.unpaid_months_json FROM payroll_ledgers l \
                     WHERE l.as_of = (SELECT MAX(x.as_of) FROM payroll_ledgers x \
                     WHERE x.entitlement_id = l.entitlement_id AND x.as_of <= $1) \
                     AND l.entitlement_id IN ({})",
                    placeholders(2, chunk.len())
                ),
                values,
            ))
            .await?;
        for r in rows {
            out.push(ledger_from(r)?);
        }
    }
    Ok(out)
}

fn ledger_from(r: QueryResult) -> Result<LedgerRow, StoreError> {
    Ok(LedgerRow {
        entitlement_id: EntitlementId(r.try_get("", "entitlement_id")?),
        as_of: r.try_get("", "as_of")?,
        unpaid_json: r.try_get("", "unpaid_json")?,
        unpaid_months_json: r.try_get("", "unpaid_months_json")?,
    })
}

/// The latest ledgers as of `month` of the entitlements held in these unit versions: one
/// query for a batch of communes, whatever their number of entitlements.
pub async fn ledgers_of_units(
    conn: &impl ConnectionTrait,
    units: &[UnitId],
    month: i32,
) -> Result<Vec<LedgerRow>, StoreError> {
    if units.is_empty() {
        return Ok(Vec::new());
    }
    let mut values: Vec<Value> = vec![month.into()];
    values.extend(units.iter().map(|u| Value::from(u.0)));
    conn.query_all_raw(stmt(
        conn.get_database_backend(),
        &format!(
            "SELECT l.entitlement_id, l.as_of, l.unpaid_json, l.unpaid_months_json \
             FROM entitlements e JOIN payroll_ledgers l ON l.entitlement_id = e.id \
             WHERE e.unit_id IN ({}) AND l.as_of = (SELECT MAX(x.as_of) FROM payroll_ledgers x \
             WHERE x.entitlement_id = e.id AND x.as_of <= $1)",
            placeholders(2, units.len())
        ),
        values,
    ))
    .await?
    .into_iter()
    .map(ledger_from)
    .collect()
}

/// Writes ledgers (replacing one of the same entitlement and month).
pub async fn put_ledgers(
    conn: &impl ConnectionTrait,
    rows: &[LedgerRow],
) -> Result<(), StoreError> {
    let backend = conn.get_database_backend();
    for r in rows {
        conn.execute_raw(stmt(
            backend,
            "DELETE FROM payroll_ledgers WHERE entitlement_id = $1 AND as_of = $2",
            [r.entitlement_id.0.into(), r.as_of.into()],
        ))
        .await?;
        conn.execute_raw(stmt(
            backend,
            "INSERT INTO payroll_ledgers (entitlement_id, as_of, unpaid_json, unpaid_months_json) \
             VALUES ($1, $2, $3, $4)",
            [
                r.entitlement_id.0.into(),
                r.as_of.into(),
                r.unpaid_json.clone().into(),
                r.unpaid_months_json.clone().into(),
            ],
        ))
        .await?;
    }
    Ok(())
}

/// One accepted result row of the paying organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResultWrite {
    pub entitlement_id: EntitlementId,
    pub payee: String,
    /// `paid`, `unpaid`, `returned`.
    pub outcome: String,
    pub total: i64,
    pub row_number: i32,
}

/// Stores results of a run; a payment already reported is refused by the unique index.
pub async fn insert_results(
    conn: &impl ConnectionTrait,
    run: i64,
    month: i32,
    rows: &[ResultWrite],
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let backend = conn.get_database_backend();
    let mut values: Vec<Value> = Vec::with_capacity(rows.len() * 9);
    for r in rows {
        values.extend([
            run.into(),
            month.into(),
            r.entitlement_id.0.into(),
            r.payee.clone().into(),
            r.outcome.clone().into(),
            r.total.into(),
            r.row_number.into(),
            by.map(|u| u.0).into(),
            now.into(),
        ]);
    }
    crate::bulk::insert_rows(
        conn,
        backend,
        "payroll_results",
        "run_id, month, entitlement_id, payee, outcome, total, row_number, recorded_by, recorded_at",
        9,
        values,
        30_000,
    )
    .await
}

/// Results of a run: (entitlement, payee, outcome, total).
pub async fn results_of_run(
    conn: &impl ConnectionTrait,
    run: i64,
) -> Result<Vec<ResultWrite>, StoreError> {
    conn.query_all_raw(stmt(
        conn.get_database_backend(),
        "SELECT entitlement_id, payee, outcome, total, row_number FROM payroll_results WHERE run_id = $1 \
         ORDER BY entitlement_id, payee",
        [run.into()],
    ))
    .await?
    .into_iter()
    .map(|r| {
        Ok(ResultWrite {
            entitlement_id: EntitlementId(r.try_get("", "entitlement_id")?),
            payee: r.try_get("", "payee")?,
            outcome: r.try_get("", "outcome")?,
            total: r.try_get("", "total")?,
            row_number: r.try_get("", "row_number")?,
        })
    })
    .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransferRow {
    pub id: i64,
    pub province_code: String,
    pub unit_code: String,
    pub month: i32,
    pub channel: String,
    pub amount: i64,
    pub reference: String,
}

pub async fn insert_transfer(
    conn: &impl ConnectionTrait,
    t: &TransferRow,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let row = conn
        .query_one_raw(stmt(
            conn.get_database_backend(),
            "INSERT INTO payroll_transfers (province_code, unit_code, month, channel, amount, reference, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            [
                t.province_code.clone().into(),
                t.unit_code.clone().into(),
                t.month.into(),
                t.channel.clone().into(),
                t.amount.into(),
                t.reference.clone().into(),
                by.map(|u| u.0).into(),
                now.into(),
            ],
        ))
        .await?
        .ok_or_else(|| StoreError::RefData("insert returned no id".into()))?;
    Ok(row.try_get("", "id")?)
}

/// Transfers of a month for these units.
pub async fn transfers(
    conn: &impl ConnectionTrait,
    month: i32,
    unit_codes: &[String],
) -> Result<Vec<TransferRow>, StoreError> {
    if unit_codes.is_empty() {
        return Ok(Vec::new());
    }
    let mut values: Vec<Value> = vec![month.into()];
    values.extend(unit_codes.iter().map(|c| Value::from(c.clone())));
    conn.query_all_raw(stmt(
        conn.get_database_backend(),
        &format!(
            "SELECT id, province_code, unit_code, month, channel, amount, reference FROM payroll_transfers \
             WHERE month = $1 AND unit_code IN ({}) ORDER BY id",
            placeholders(2, unit_codes.len())
        ),
        values,
    ))
    .await?
    .into_iter()
    .map(|r| {
        Ok(TransferRow {
            id: r.try_get("", "id")?,
            province_code: r.try_get("", "province_code")?,
            unit_code: r.try_get("", "unit_code")?,
            month: r.try_get("", "month")?,
            channel: r.try_get("", "channel")?,
            amount: r.try_get("", "amount")?,
            reference: r.try_get("", "reference")?,
        })
    })
    .collect()
}

/// What a run reads about an entitlement, borrowed from the result the database returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PayableRow<'a> {
    pub id: EntitlementId,
    pub person_id: PersonId,
    pub unit_id: UnitId,
    pub status: &'a str,
    pub channel: &'a str,
    pub account: Option<&'a str>,
    pub payees_json: &'a str,
    pub since_month: Option<i32>,
    pub until_month: Option<i32>,
    pub situation_json: &'a str,
}

/// The entitlements a run looks at: monthly benefits, and only those not terminated or
/// terminated with a stop month inside the look-back (recoveries, arrears up to it).
const PAYABLE_WHERE: &str = "benefit IN ('monthly_allowance', 'caregiving_support', 'social_pension', 'facility_care') \
    AND (status <> 'terminated' OR until_month >= $1)";

/// What `payable_entitlements` hands its reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payable<'a> {
    /// How many entitlements of a unit version are coming, told before the first of them:
    /// lists can be made to size instead of growing (and copying themselves) step by step.
    Expect { unit: UnitId, count: usize },
    /// An entitlement, borrowed from the result the database returned.
    Row(PayableRow<'a>),
}

/// Entitlements a run of these unit versions must look at (see `PAYABLE_WHERE`), handed to
/// `read` in id order (after every `Payable::Expect`). Reading straight from the result
/// spares a month's run a copy of every entitlement's texts.
pub async fn payable_entitlements(
    conn: &DatabaseConnection,
    units: &[UnitId],
    lookback_from: i32,
    mut read: impl FnMut(Payable<'_>),
) -> Result<(), StoreError> {
    if units.is_empty() {
        return Ok(());
    }
    if conn.get_database_backend() == DatabaseBackend::Sqlite {
        let rows = payable_entitlements_packed(conn, units, lookback_from).await?;
        let mut records: Vec<(EntitlementId, UnitId, &str)> = Vec::new();
        for r in &rows {
            let (unit, text): (UnitId, &str) = (UnitId(r.try_get(0)?), r.try_get(1)?);
            for record in split_bytes(text, RECORD) {
                let (id, rest) = split_id(record)?;
                records.push((id, unit, rest));
            }
        }
        return hand_in_id_order(records, &mut read, unpack_payable);
    }
    // The batch's rows are kept as the driver returned them, each text borrowed where it
    // lies. Putting them in id order here spares the server a sort that copies every row
    // (`ORDER BY id`).
    let sql = format!(
        "SELECT id, unit_id, person_id, status, channel, account, payees_json, since_month, until_month, situation_json \
         FROM entitlements WHERE unit_id IN ({}) AND {PAYABLE_WHERE}",
        placeholders(2, units.len())
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(lookback_from);
    for u in units {
        query = query.bind(u.0);
    }
    let rows = query.fetch_all(conn.get_postgres_connection_pool()).await?;
    let mut records: Vec<(EntitlementId, UnitId, &sqlx::postgres::PgRow)> =
        Vec::with_capacity(rows.len());
    for r in &rows {
        records.push((EntitlementId(r.try_get(0)?), UnitId(r.try_get(1)?), r));
    }
    hand_in_id_order(records, &mut read, |id, unit_id, r| {
        Ok(PayableRow {
            id,
            person_id: PersonId(r.try_get(2)?),
            unit_id,
            status: r.try_get(3)?,
            channel: r.try_get(4)?,
            account: r.try_get(5)?,
            payees_json: r.try_get(6)?,
            since_month: r.try_get(7)?,
            until_month: r.try_get(8)?,
            situation_json: r.try_get(9)?,
        })
    })
}

/// Hands the read entitlements — each an id, its unit version and where its row lies — to
/// `read`: first how many each unit version has, then each made into a row, in id order.
/// Only a small key per entitlement is sorted, so that nothing `read` makes is moved.
fn hand_in_id_order<'r, T>(
    mut records: Vec<(EntitlementId, UnitId, T)>,
    read: &mut impl FnMut(Payable<'r>),
    row: impl Fn(EntitlementId, UnitId, T) -> Result<PayableRow<'r>, StoreError>,
) -> Result<(), StoreError> {
    // A batch has a few dozen unit versions at most.
    let mut counts: Vec<(UnitId, usize)> = Vec::new();
    for (_, unit, _) in &records {
        match counts.iter_mut().find(|(u, _)| u == unit) {
            Some((_, n)) => *n += 1,
            None => counts.push((*unit, 1)),
        }
    }
    for (unit, count) in counts {
        read(Payable::Expect { unit, count });
    }
    records.sort_unstable_by_key(|(id, _, _)| *id);
    for (id, unit, at) in records {
        read(Payable::Row(row(id, unit, at)?));
    }
    Ok(())
}

/// Between the fields of a packed entitlement, and between entitlements: ASCII unit and
/// record separators, which neither JSON (control characters are escaped inside strings) nor
/// the validated codes stored beside it can contain.
const FIELD: u8 = 0x1f;
const RECORD: u8 = 0x1e;

/// The query `payable_entitlements` reads a batch of `units` unit versions with on SQLite
/// (`$1` the first month of the look-back, then the unit ids): every column it reads is in
/// the index `entitlements_payable`, so that it reads no table row. The index is named:
/// without statistics (a new database, or one never analysed) SQLite's planner would
/// rather take the narrower `entitlements_unit` and fetch every row from the table.
pub fn packed_payable_sql(units: usize) -> String {
    // NULLs become empty fields, and an account is marked by a leading '=' so that an
    // empty one stays apart from none.
    format!(
        "SELECT unit_id, group_concat(concat_ws(char(31), id, person_id, status, channel, \
         coalesce('=' || account, ''), payees_json, coalesce(since_month, ''), coalesce(until_month, ''), \
         situation_json), char(30)) AS packed FROM entitlements INDEXED BY entitlements_payable \
         WHERE unit_id IN ({}) AND {PAYABLE_WHERE} GROUP BY unit_id",
        placeholders(2, units)
    )
}

/// SQLite hands each result row from its worker thread to the caller's task, one at a time:
/// for the hundreds of thousands of entitlements of a batch of communes that handover, not
/// the reading, is most of the cost. So SQLite packs each unit version's entitlements into
/// one text value (`group_concat` with separators), returned with its unit and unpacked by
/// `unpack_payable` from the driver's row, where it lies (megabytes per batch, not copied).
async fn payable_entitlements_packed(
    conn: &DatabaseConnection,
    units: &[UnitId],
    lookback_from: i32,
) -> Result<Vec<sqlx::sqlite::SqliteRow>, StoreError> {
    let sql = packed_payable_sql(units.len());
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(lookback_from);
    for u in units {
        query = query.bind(u.0);
    }
    Ok(query.fetch_all(conn.get_sqlite_connection_pool()).await?)
}

/// The parts of `text` between `separator`s. The separators are ASCII, so every part is a
/// whole UTF-8 text; `memchr` finds them many bytes at a time, where `str::split` looks at
/// one character after another, and the texts split are hundreds of megabytes a month.
fn split_bytes(text: &str, separator: u8) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let ends = memchr::memchr_iter(separator, text.as_bytes()).chain(std::iter::once(text.len()));
    ends.map(move |end| {
        let part = text.get(start..end).unwrap_or_default();
        start = end + 1;
        part
    })
}

fn unreadable(record: &str) -> StoreError {
    StoreError::RefData(format!("unreadable packed entitlement: {record:.80}"))
}

/// The id a packed entitlement starts with, and its other fields.
fn split_id(record: &str) -> Result<(EntitlementId, &str), StoreError> {
    let (id, rest) = record
        .split_once(char::from(FIELD))
        .ok_or_else(|| unreadable(record))?;
    let id = id.parse().map_err(|_| unreadable(record))?;
    Ok((EntitlementId(id), rest))
}

/// The fields of a packed entitlement after its id (`split_id`).
fn unpack_payable(
    id: EntitlementId,
    unit: UnitId,
    fields: &str,
) -> Result<PayableRow<'_>, StoreError> {
    let bad = || unreadable(fields);
    let mut f = split_bytes(fields, FIELD);
    let mut next = || f.next().ok_or_else(bad);
    let int = |t: &str| t.parse::<i64>().map_err(|_| bad());
    let month = |t: &str| {
        if t.is_empty() {
            Ok(None)
        } else {
            t.parse::<i32>().map(Some).map_err(|_| bad())
        }
    };
    let row = PayableRow {
        id,
        person_id: PersonId(int(next()?)?),
        unit_id: unit,
        status: next()?,
        channel: next()?,
        account: next()?.strip_prefix('='),
        payees_json: next()?,
        since_month: month(next()?)?,
        until_month: month(next()?)?,
        situation_json: next()?,
    };
    if f.next().is_some() {
        return Err(bad());
    }
    Ok(row)
}

/// A one-off item as a run reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneOffRow {
    pub id: i64,
    pub unit_id: UnitId,
    pub entitlement_id: EntitlementId,
    pub person_id: PersonId,
    pub kind: String,
    pub for_month: i32,
    pub decided_month: i32,
    pub amount: i64,
    pub payee: String,
    pub channel: String,
    pub account: Option<String>,
    pub citation: String,
    pub listed_in: Option<i32>,
}

/// One-off items of these unit versions decided by `month` and not listed in another month.
pub async fn one_offs_due(
    conn: &impl ConnectionTrait,
    units: &[UnitId],
    month: i32,
) -> Result<Vec<OneOffRow>, StoreError> {
    if units.is_empty() {
        return Ok(Vec::new());
    }
    let mut values: Vec<Value> = vec![month.into()];
    values.extend(units.iter().map(|u| Value::from(u.0)));
    conn.query_all_raw(stmt(
        conn.get_database_backend(),
        &format!(
            "SELECT id, unit_id, entitlement_id, person_id, kind, for_month, decided_month, amount, payee, channel, account, \
             citation, listed_in FROM one_offs WHERE unit_id IN ({}) AND decided_month <= $1 \
             AND (listed_in IS NULL OR listed_in = $1) ORDER BY id",
            placeholders(2, units.len())
        ),
        values,
    ))
    .await?
    .into_iter()
    .map(|r| {
        Ok(OneOffRow {
            id: r.try_get("", "id")?,
            unit_id: UnitId(r.try_get("", "unit_id")?),
            entitlement_id: EntitlementId(r.try_get("", "entitlement_id")?),
            person_id: PersonId(r.try_get("", "person_id")?),
            kind: r.try_get("", "kind")?,
            for_month: r.try_get("", "for_month")?,
            decided_month: r.try_get("", "decided_month")?,
            amount: r.try_get("", "amount")?,
            payee: r.try_get("", "payee")?,
            channel: r.try_get("", "channel")?,
            account: r.try_get("", "account")?,
            citation: r.try_get("", "citation")?,
            listed_in: r.try_get("", "listed_in")?,
        })
    })
    .collect()
}

/// Paying units with something to pay in a month: unit versions holding entitlements or
/// one-off items (the caller maps them to today's communes).
pub async fn paying_unit_versions(
    conn: &impl ConnectionTrait,
    lookback_from: i32,
) -> Result<Vec<UnitId>, StoreError> {
    conn.query_all_raw(stmt(
        conn.get_database_backend(),
        "SELECT DISTINCT unit_id FROM entitlements WHERE status <> 'terminated' OR until_month >= $1 \
         UNION SELECT DISTINCT unit_id FROM one_offs WHERE listed_in IS NULL",
        [lookback_from.into()],
    ))
    .await?
    .into_iter()
    .map(|r| Ok(UnitId(r.try_get("", "unit_id")?)))
    .collect()
}

#[cfg(test)]
mod month_tests {
    #[test]
    fn months_between_crosses_the_year() {
        assert_eq!(
            super::months_between(202_611, 202_702),
            vec![202_611, 202_612, 202_701, 202_702]
        );
        assert_eq!(super::months_between(202_612, 202_612), vec![202_612]);
        assert!(super::months_between(202_701, 202_612).is_empty());
        assert_eq!(super::months_between(202_401, 202_612).len(), 36);
    }
}

#[cfg(test)]
mod run_insert_tests {
    use super::{RUN_INSERT_COLUMNS, RUN_PARAMS, insert_runs_sql};

    #[test]
    fn each_run_has_its_own_parameters_and_the_time_twice() {
        let sql = insert_runs_sql(2, "id, unit_code");
        let first: Vec<String> = (1..=RUN_PARAMS).map(|i| format!("${i}")).collect();
        let second: Vec<String> = (RUN_PARAMS + 1..=2 * RUN_PARAMS)
            .map(|i| format!("${i}"))
            .collect();
        assert_eq!(
            sql,
            format!(
                "INSERT INTO payroll_runs ({RUN_INSERT_COLUMNS}) VALUES ({}, $20, 1), ({}, $40, 1) \
                 RETURNING id, unit_code",
                first.join(", "),
                second.join(", ")
            )
        );
        // As many values as columns: the parameters, the time again, the version.
        assert_eq!(RUN_INSERT_COLUMNS.split(',').count(), RUN_PARAMS + 2);
    }
}

#[cfg(test)]
mod packed_tests {
    use super::{FIELD, RECORD, split_bytes, split_id, unpack_payable};
    use ansinh_domain::ids::{EntitlementId, UnitId};

    #[test]
    fn parts_keep_empty_fields_and_vietnamese_text() {
        let text = "a\u{1f}\u{1f}Nguyễn Thị Ánh\u{1f}";
        let parts: Vec<&str> = split_bytes(text, FIELD).collect();
        assert_eq!(parts, vec!["a", "", "Nguyễn Thị Ánh", ""]);
        assert_eq!(split_bytes("", RECORD).collect::<Vec<_>>(), vec![""]);
    }

    #[test]
    fn a_packed_entitlement_is_read_field_by_field() {
        let record = "42\u{1f}7\u{1f}active\u{1f}bank\u{1f}=0123 456\u{1f}\u{1f}202611\u{1f}\u{1f}{\"person\":{\"birth_date\":\"1950\"}}";
        let (id, rest) = split_id(record).expect("an id");
        assert_eq!(id, EntitlementId(42));
        let row = unpack_payable(id, UnitId(3), rest).expect("a row");
        assert_eq!(row.person_id.0, 7);
        assert_eq!((row.status, row.channel), ("active", "bank"));
        assert_eq!(row.account, Some("0123 456"));
        assert_eq!(row.payees_json, "");
        assert_eq!((row.since_month, row.until_month), (Some(202_611), None));
        assert_eq!(row.situation_json, "{\"person\":{\"birth_date\":\"1950\"}}");
        // No account at all, as against an empty one.
        let (id, rest) = split_id("1\u{1f}2\u{1f}active\u{1f}cash\u{1f}\u{1f}\u{1f}\u{1f}\u{1f}{}")
            .expect("an id");
        assert_eq!(
            unpack_payable(id, UnitId(3), rest).expect("a row").account,
            None
        );
        // A field too many or too few is refused, not misread.
        assert!(unpack_payable(id, UnitId(3), "2\u{1f}active\u{1f}cash\u{1f}\u{1f}{}").is_err());
        assert!(
            unpack_payable(
                id,
                UnitId(3),
                "2\u{1f}a\u{1f}b\u{1f}\u{1f}\u{1f}\u{1f}\u{1f}{}\u{1f}x"
            )
            .is_err()
        );
        assert!(split_id("x\u{1f}2").is_err());
    }
}
