//! The jobs table: enqueue, claim (one worker per job; `SKIP LOCKED` on PostgreSQL), report
//! progress with heartbeats, finish. A job whose worker stopped sending heartbeats (the
//! process died or restarted) is claimed again: job kinds are written to resume safely.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, QueryResult};
use serde::Serialize;

use ansinh_domain::ids::UserId;

use crate::db::stmt;
use crate::error::StoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Queued,
    Running,
    Done,
    Failed,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Done => "done",
            JobStatus::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Option<JobStatus> {
        match s {
            "queued" => Some(JobStatus::Queued),
            "running" => Some(JobStatus::Running),
            "done" => Some(JobStatus::Done),
            "failed" => Some(JobStatus::Failed),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub params: serde_json::Value,
    pub status: JobStatus,
    pub progress_done: i64,
    pub progress_total: i64,
    pub message: String,
    pub claimed_by: Option<String>,
    pub heartbeat_at: Option<DateTime<Utc>>,
    pub attempts: i32,
    pub created_by: Option<UserId>,
    /// The province whose officers may see the job (`None`: administrators only).
    pub scope_province: Option<String>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub result: Option<serde_json::Value>,
    pub error: Option<String>,
}

const COLUMNS: &str = "id, kind, params_json, status, progress_done, progress_total, message, claimed_by, \
    heartbeat_at, attempts, created_by, scope_province, created_at, started_at, finished_at, result_json, error";

fn from_row(r: QueryResult) -> Result<Job, StoreError> {
    let status: String = r.try_get("", "status")?;
    let params: String = r.try_get("", "params_json")?;
    let result: Option<String> = r.try_get("", "result_json")?;
    Ok(Job {
        id: r.try_get("", "id")?,
        kind: r.try_get("", "kind")?,
        params: serde_json::from_str(&params).unwrap_or(serde_json::Value::Null),
        status: JobStatus::parse(&status)
            .ok_or_else(|| StoreError::RefData(format!("job status {status}")))?,
        progress_done: r.try_get("", "progress_done")?,
        progress_total: r.try_get("", "progress_total")?,
        message: r.try_get("", "message")?,
        claimed_by: r.try_get("", "claimed_by")?,
        heartbeat_at: r.try_get("", "heartbeat_at")?,
        attempts: r.try_get("", "attempts")?,
        created_by: r.try_get::<Option<i64>>("", "created_by")?.map(UserId),
        scope_province: r.try_get("", "scope_province")?,
        created_at: r.try_get("", "created_at")?,
        started_at: r.try_get("", "started_at")?,
        finished_at: r.try_get("", "finished_at")?,
        result: result.and_then(|t| serde_json::from_str(&t).ok()),
        error: r.try_get("", "error")?,
    })
}

pub async fn enqueue(
    conn: &impl ConnectionTrait,
    kind: &str,
    params: &serde_json::Value,
    created_by: Option<UserId>,
    scope_province: Option<&str>,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let row = conn
        .query_one_raw(stmt(
            conn.get_database_backend(),
            "INSERT INTO jobs (kind, params_json, status, progress_done, progress_total, message, attempts, \
             created_by, scope_province, created_at) \
             VALUES ($1, $2, 'queued', 0, 0, '', 0, $3, $4, $5) RETURNING id",
            [
                kind.into(),
                params.to_string().into(),
                created_by.map(|u| u.0).into(),
                scope_province.map(str::to_string).into(),
                at.into(),
            ],
        ))
        .await?
        .ok_or_else(|| StoreError::RefData("insert returned no id".into()))?;
    Ok(row.try_get("", "id")?)
}

/// Claims the oldest job that is queued, or running without a heartbeat since `stale_after`.
pub async fn claim(
    conn: &impl ConnectionTrait,
    worker: &str,
    kinds: &[&str],
    now: DateTime<Utc>,
    stale_after: Duration,
) -> Result<Option<Job>, StoreError> {
    let backend = conn.get_database_backend();
    let kinds_list = kinds
        .iter()
        .map(|k| format!("'{}'", k.replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(", ");
    // Only workers of this program pick jobs, whose kinds are compile-time names: the list
    // is built from them, never from input.
    let lock = if backend == DatabaseBackend::Postgres {
        "FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    let sql = format!(
        "UPDATE jobs SET status = 'running', claimed_by = $1, heartbeat_at = $2, \
         started_at = COALESCE(started_at, $2), attempts = attempts + 1 \
         WHERE id = (SELECT id FROM jobs WHERE kind IN ({kinds_list}) \
                     AND (status = 'queued' OR (status = 'running' AND heartbeat_at < $3)) \
                     ORDER BY id LIMIT 1 {lock}) \
         RETURNING {COLUMNS}"
    );
    conn.query_one_raw(stmt(
        backend,
        &sql,
        [worker.into(), now.into(), (now - stale_after).into()],
    ))
    .await?
    .map(from_row)
    .transpose()
}

/// Progress and heartbeat; `false` when the job is no longer this worker's (reclaimed).
pub async fn progress(
    conn: &impl ConnectionTrait,
    id: i64,
    worker: &str,
    done: i64,
    total: i64,
    message: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let r = conn
        .execute_raw(stmt(
            conn.get_database_backend(),
            "UPDATE jobs SET progress_done = $1, progress_total = $2, message = $3, heartbeat_at = $4 \
             WHERE id = $5 AND claimed_by = $6 AND status = 'running'",
            [done.into(), total.into(), message.into(), now.into(), id.into(), worker.into()],
        ))
        .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn finish(
    conn: &impl ConnectionTrait,
    id: i64,
    worker: &str,
    outcome: Result<serde_json::Value, String>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let (status, result, error) = match outcome {
        Ok(v) => ("done", Some(v.to_string()), None),
        Err(e) => ("failed", None, Some(e)),
    };
    conn.execute_raw(stmt(
        conn.get_database_backend(),
        "UPDATE jobs SET status = $1, result_json = $2, error = $3, finished_at = $4, heartbeat_at = $4 \
         WHERE id = $5 AND claimed_by = $6",
        [status.into(), result.into(), error.into(), now.into(), id.into(), worker.into()],
    ))
    .await?;
    Ok(())
}

pub async fn get(conn: &impl ConnectionTrait, id: i64) -> Result<Option<Job>, StoreError> {
    conn.query_one_raw(stmt(
        conn.get_database_backend(),
        &format!("SELECT {COLUMNS} FROM jobs WHERE id = $1"),
        [id.into()],
    ))
    .await?
    .map(from_row)
    .transpose()
}

/// Recent jobs, newest first; `province` narrows to one province's jobs.
pub async fn recent(
    conn: &impl ConnectionTrait,
    province: Option<&str>,
    limit: u64,
) -> Result<Vec<Job>, StoreError> {
    let backend = conn.get_database_backend();
    let rows = match province {
        Some(p) => {
            conn.query_all_raw(stmt(
                backend,
                &format!(
                    "SELECT {COLUMNS} FROM jobs WHERE scope_province = $1 ORDER BY id DESC LIMIT $2"
                ),
                [p.into(), (limit as i64).into()],
            ))
            .await?
        }
        None => {
            conn.query_all_raw(stmt(
                backend,
                &format!("SELECT {COLUMNS} FROM jobs ORDER BY id DESC LIMIT $1"),
                [(limit as i64).into()],
            ))
            .await?
        }
    };
    rows.into_iter().map(from_row).collect()
}
