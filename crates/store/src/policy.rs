//! Stored policy catalogue versions (maker-checker).

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, QueryResult};
use serde::Serialize;

use ansinh_domain::ids::UserId;

use crate::db::stmt;
use crate::error::StoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyStatus {
    /// A file of the built-in catalogue, as the running program ships it.
    Builtin,
    /// A built-in file replaced by a newer text in a later release.
    Superseded,
    Draft,
    Active,
    Rejected,
}

impl PolicyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyStatus::Builtin => "builtin",
            PolicyStatus::Superseded => "superseded",
            PolicyStatus::Draft => "draft",
            PolicyStatus::Active => "active",
            PolicyStatus::Rejected => "rejected",
        }
    }

    fn parse(s: &str) -> Option<PolicyStatus> {
        match s {
            "builtin" => Some(PolicyStatus::Builtin),
            "superseded" => Some(PolicyStatus::Superseded),
            "draft" => Some(PolicyStatus::Draft),
            "active" => Some(PolicyStatus::Active),
            "rejected" => Some(PolicyStatus::Rejected),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PolicyVersion {
    pub id: i64,
    /// A layer name, e.g. `nd335-2026`.
    pub name: String,
    pub description: String,
    pub toml_text: String,
    pub status: PolicyStatus,
    /// `None` for built-in files.
    pub drafted_by: Option<UserId>,
    pub drafted_at: DateTime<Utc>,
    pub decided_by: Option<UserId>,
    pub decided_at: Option<DateTime<Utc>>,
    pub note: String,
}

fn from_row(r: QueryResult) -> Result<PolicyVersion, StoreError> {
    let status: String = r.try_get("", "status")?;
    Ok(PolicyVersion {
        id: r.try_get("", "id")?,
        name: r.try_get("", "name")?,
        description: r.try_get("", "description")?,
        toml_text: r.try_get("", "toml_text")?,
        status: PolicyStatus::parse(&status)
            .ok_or_else(|| StoreError::RefData(format!("policy version status {status}")))?,
        drafted_by: r.try_get::<Option<i64>>("", "drafted_by")?.map(UserId),
        drafted_at: r.try_get("", "drafted_at")?,
        decided_by: r.try_get::<Option<i64>>("", "decided_by")?.map(UserId),
        decided_at: r.try_get("", "decided_at")?,
        note: r.try_get("", "note")?,
    })
}

const COLUMNS: &str = "id, name, description, toml_text, status, drafted_by, drafted_at, decided_by, decided_at, note";

pub async fn insert_draft(
    conn: &impl ConnectionTrait,
    name: &str,
    description: &str,
    toml_text: &str,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let row = conn
        .query_one_raw(stmt(
            conn.get_database_backend(),
            "INSERT INTO policy_versions (name, description, toml_text, status, drafted_by, drafted_at, note) \
             VALUES ($1, $2, $3, 'draft', $4, $5, '') RETURNING id",
            [name.into(), description.into(), toml_text.into(), by.0.into(), at.into()],
        ))
        .await?
        .ok_or_else(|| StoreError::RefData("insert returned no id".into()))?;
    Ok(row.try_get("", "id")?)
}

pub async fn get(
    conn: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<PolicyVersion>, StoreError> {
    conn.query_one_raw(stmt(
        conn.get_database_backend(),
        &format!("SELECT {COLUMNS} FROM policy_versions WHERE id = $1"),
        [id.into()],
    ))
    .await?
    .map(from_row)
    .transpose()
}

/// The current text of each built-in file.
pub async fn builtin(conn: &impl ConnectionTrait) -> Result<Vec<PolicyVersion>, StoreError> {
    conn.query_all_raw(stmt(
        conn.get_database_backend(),
        &format!("SELECT {COLUMNS} FROM policy_versions WHERE status = 'builtin' ORDER BY id"),
        [],
    ))
    .await?
    .into_iter()
    .map(from_row)
    .collect()
}

/// Records a built-in file's text, superseding an older text of the same file.
pub async fn record_builtin(
    conn: &impl ConnectionTrait,
    name: &str,
    toml_text: &str,
    note: &str,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let backend = conn.get_database_backend();
    conn.execute_raw(stmt(
        backend,
        "UPDATE policy_versions SET status = 'superseded', decided_at = $1 \
         WHERE name = $2 AND status = 'builtin'",
        [at.into(), name.into()],
    ))
    .await?;
    let row = conn
        .query_one_raw(stmt(
            backend,
            "INSERT INTO policy_versions (name, description, toml_text, status, drafted_by, drafted_at, note) \
             VALUES ($1, '', $2, 'builtin', NULL, $3, $4) RETURNING id",
            [name.into(), toml_text.into(), at.into(), note.into()],
        ))
        .await?
        .ok_or_else(|| StoreError::RefData("insert returned no id".into()))?;
    Ok(row.try_get("", "id")?)
}

/// Every version, newest first.
pub async fn list(conn: &impl ConnectionTrait) -> Result<Vec<PolicyVersion>, StoreError> {
    conn.query_all_raw(stmt(
        conn.get_database_backend(),
        &format!("SELECT {COLUMNS} FROM policy_versions ORDER BY id DESC"),
        [],
    ))
    .await?
    .into_iter()
    .map(from_row)
    .collect()
}

/// Active versions in the order they were activated: the order they layer on the built-in
/// catalogue.
pub async fn active(conn: &impl ConnectionTrait) -> Result<Vec<PolicyVersion>, StoreError> {
    // Added versions only: built-in files are layered first, in their own order.
    conn.query_all_raw(stmt(
        conn.get_database_backend(),
        &format!(
            "SELECT {COLUMNS} FROM policy_versions WHERE status = 'active' ORDER BY decided_at, id"
        ),
        [],
    ))
    .await?
    .into_iter()
    .map(from_row)
    .collect()
}

/// Moves a draft to `status`; `Stale` when it is no longer a draft.
pub async fn decide(
    conn: &impl ConnectionTrait,
    id: i64,
    status: PolicyStatus,
    by: UserId,
    at: DateTime<Utc>,
    note: &str,
) -> Result<(), StoreError> {
    let result = conn
        .execute_raw(stmt(
            conn.get_database_backend(),
            "UPDATE policy_versions SET status = $1, decided_by = $2, decided_at = $3, note = $4 \
             WHERE id = $5 AND status = 'draft'",
            [
                status.as_str().into(),
                by.0.into(),
                at.into(),
                note.into(),
                id.into(),
            ],
        ))
        .await?;
    if result.rows_affected() != 1 {
        return Err(StoreError::Stale);
    }
    Ok(())
}
