//! Dossiers (hồ sơ): the workflow state as JSON plus the columns queries need (status, the
//! current step and who acts on it, due dates), their events, attachments and the counters
//! that number dossiers and decisions.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, QueryResult, Value};
use serde::Serialize;

use ansinh_domain::ids::{DossierId, PersonId, UnitId, UserId};

use crate::db::stmt;
use crate::error::StoreError;
use crate::scope::Scope;

/// The next value of a named sequence (1, 2, …), e.g. dossiers received by a commune on a
/// day, or decisions of an issuing unit in a year. Taken inside the caller's transaction.
pub async fn next_counter(conn: &impl ConnectionTrait, scope: &str) -> Result<i64, StoreError> {
    let row = conn
        .query_one_raw(stmt(
            conn.get_database_backend(),
            "INSERT INTO counters (scope, value) VALUES ($1, 1) \
             ON CONFLICT (scope) DO UPDATE SET value = counters.value + 1 RETURNING value",
            [scope.into()],
        ))
        .await?
        .ok_or_else(|| StoreError::RefData("counter returned nothing".into()))?;
    Ok(row.try_get("", "value")?)
}

/// Everything written about a dossier.
#[derive(Debug, Clone, Serialize)]
pub struct DossierWrite {
    pub province_code: String,
    pub code: String,
    pub application_type: String,
    pub family: String,
    pub benefit: String,
    pub person_id: PersonId,
    pub unit_id: UnitId,
    pub channel: String,
    pub received_on: NaiveDate,
    /// `open`, `paused` or `closed`.
    pub status: String,
    pub outcome: Option<String>,
    pub definition: String,
    pub current_step: Option<String>,
    pub current_kind: Option<String>,
    /// Roles that act on the current step, as `,role,role,` (searchable with LIKE).
    pub task_roles: String,
    pub due_on: Option<NaiveDate>,
    pub statutory_due_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub decided_on_time: Option<bool>,
    pub requested_group: String,
    pub proposal_json: String,
    pub state_json: String,
    pub received_by: UserId,
}

#[derive(Debug, Clone, Serialize)]
pub struct DossierRow {
    pub id: DossierId,
    pub version: i32,
    #[serde(flatten)]
    pub data: DossierWrite,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, version, province_code, code, application_type, family, benefit, person_id, unit_id, \
    channel, received_on, status, outcome, definition, current_step, current_kind, task_roles, due_on, \
    statutory_due_on, closed_on, decided_on_time, requested_group, proposal_json, state_json, received_by, \
    created_at, updated_at";

fn from_row(r: QueryResult) -> Result<DossierRow, StoreError> {
    Ok(DossierRow {
        id: DossierId(r.try_get("", "id")?),
        version: r.try_get("", "version")?,
        data: DossierWrite {
            province_code: r.try_get("", "province_code")?,
            code: r.try_get("", "code")?,
            application_type: r.try_get("", "application_type")?,
            family: r.try_get("", "family")?,
            benefit: r.try_get("", "benefit")?,
            person_id: PersonId(r.try_get("", "person_id")?),
            unit_id: UnitId(r.try_get("", "unit_id")?),
            channel: r.try_get("", "channel")?,
            received_on: r.try_get("", "received_on")?,
            status: r.try_get("", "status")?,
            outcome: r.try_get("", "outcome")?,
            definition: r.try_get("", "definition")?,
            current_step: r.try_get("", "current_step")?,
            current_kind: r.try_get("", "current_kind")?,
            task_roles: r.try_get("", "task_roles")?,
            due_on: r.try_get("", "due_on")?,
            statutory_due_on: r.try_get("", "statutory_due_on")?,
            closed_on: r.try_get("", "closed_on")?,
            decided_on_time: r.try_get("", "decided_on_time")?,
            requested_group: r.try_get("", "requested_group")?,
            proposal_json: r.try_get("", "proposal_json")?,
            state_json: r.try_get("", "state_json")?,
            received_by: UserId(r.try_get("", "received_by")?),
        },
        created_at: r.try_get("", "created_at")?,
        updated_at: r.try_get("", "updated_at")?,
    })
}

/// The queue date of lists: the current step's due date, or the far future (see m0005).
fn queue_on(d: &DossierWrite) -> NaiveDate {
    d.due_on.unwrap_or(FAR_FUTURE)
}

const FAR_FUTURE: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MAX,
};

fn write_values(d: &DossierWrite) -> Vec<Value> {
    vec![
        d.province_code.clone().into(),
        d.code.clone().into(),
        d.application_type.clone().into(),
        d.family.clone().into(),
        d.benefit.clone().into(),
        d.person_id.0.into(),
        d.unit_id.0.into(),
        d.channel.clone().into(),
        d.received_on.into(),
        d.status.clone().into(),
        d.outcome.clone().into(),
        d.definition.clone().into(),
        d.current_step.clone().into(),
        d.current_kind.clone().into(),
        d.task_roles.clone().into(),
        d.due_on.into(),
        d.statutory_due_on.into(),
        d.closed_on.into(),
        d.decided_on_time.into(),
        d.requested_group.clone().into(),
        d.proposal_json.clone().into(),
        d.state_json.clone().into(),
        d.received_by.0.into(),
        queue_on(d).into(),
    ]
}

pub async fn insert_dossier(
    conn: &impl ConnectionTrait,
    d: &DossierWrite,
    now: DateTime<Utc>,
) -> Result<DossierId, StoreError> {
    let mut values = write_values(d);
    values.push(now.into());
    let row = conn
        .query_one_raw(stmt(
            conn.get_database_backend(),
            "INSERT INTO dossiers (province_code, code, application_type, family, benefit, person_id, unit_id, \
             channel, received_on, status, outcome, definition, current_step, current_kind, task_roles, due_on, \
             statutory_due_on, closed_on, decided_on_time, requested_group, proposal_json, state_json, received_by, \
             queue_on, created_at, updated_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, \
             $21, $22, $23, $24, $25, $25, 1) RETURNING id",
            values,
        ))
        .await?
        .ok_or_else(|| StoreError::RefData("insert returned no id".into()))?;
    Ok(DossierId(row.try_get("", "id")?))
}

/// Stores many dossiers at once (multi-row INSERTs, in the caller's transaction): for files
/// taken over from another system and for benchmarks. No events are written; the caller
/// records what it did in the audit log.
pub async fn insert_dossiers(
    conn: &impl ConnectionTrait,
    rows: &[DossierWrite],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    const COLUMNS: &str = "province_code, code, application_type, family, benefit, person_id, unit_id, \
         channel, received_on, status, outcome, definition, current_step, current_kind, task_roles, due_on, \
         statutory_due_on, closed_on, decided_on_time, requested_group, proposal_json, state_json, received_by, \
         queue_on, created_at, updated_at, version";
    const WIDTH: usize = 27;
    let mut values: Vec<Value> = Vec::with_capacity(rows.len() * WIDTH);
    for d in rows {
        values.extend(write_values(d));
        values.push(now.into());
        values.push(now.into());
        values.push(1i32.into());
    }
    let backend = conn.get_database_backend();
    // SQLite allows 32,766 parameters per statement.
    crate::bulk::insert_rows(conn, backend, "dossiers", COLUMNS, WIDTH, values, 32_000).await
}

/// Writes the new state if nobody changed the dossier since `version`.
pub async fn update_dossier(
    conn: &impl ConnectionTrait,
    id: DossierId,
    version: i32,
    d: &DossierWrite,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let values: Vec<Value> = vec![
        d.status.clone().into(),
        d.outcome.clone().into(),
        d.definition.clone().into(),
        d.current_step.clone().into(),
        d.current_kind.clone().into(),
        d.task_roles.clone().into(),
        d.due_on.into(),
        d.statutory_due_on.into(),
        d.closed_on.into(),
        d.decided_on_time.into(),
        d.proposal_json.clone().into(),
        d.state_json.clone().into(),
        now.into(),
        id.0.into(),
        version.into(),
        queue_on(d).into(),
    ];
    let r = conn
        .execute_raw(stmt(
            conn.get_database_backend(),
            "UPDATE dossiers SET status = $1, outcome = $2, definition = $3, current_step = $4, current_kind = $5, \
             task_roles = $6, due_on = $7, statutory_due_on = $8, closed_on = $9, decided_on_time = $10, \
             proposal_json = $11, state_json = $12, updated_at = $13, queue_on = $16, version = version + 1 \
             WHERE id = $14 AND version = $15",
            values,
        ))
        .await?;
    if r.rows_affected() != 1 {
        return Err(StoreError::Stale);
    }
    Ok(())
}

fn scope_sql(scope: &Scope, first: usize) -> (String, Vec<Value>) {
    match scope {
        Scope::All => ("1 = 1".into(), vec![]),
        Scope::Units(units) if units.is_empty() => ("1 = 0".into(), vec![]),
        Scope::Units(units) => {
            let marks: Vec<String> = (0..units.len())
                .map(|i| format!("${}", first + i))
                .collect();
            (
                format!("unit_id IN ({})", marks.join(", ")),
                units.iter().map(|u| Value::from(u.0)).collect(),
            )
        }
    }
}

pub async fn get_dossier(
    conn: &impl ConnectionTrait,
    id: DossierId,
    scope: &Scope,
) -> Result<Option<DossierRow>, StoreError> {
    let (cond, mut values) = scope_sql(scope, 2);
    values.insert(0, id.0.into());
    conn.query_one_raw(stmt(
        conn.get_database_backend(),
        &format!("SELECT {COLUMNS} FROM dossiers WHERE id = $1 AND {cond}"),
        values,
    ))
    .await?
    .map(from_row)
    .transpose()
}

/// By code, in any scope: the public status lookup checks the second secret itself.
pub async fn find_dossier_by_code(
    conn: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<DossierRow>, StoreError> {
    conn.query_one_raw(stmt(
        conn.get_database_backend(),
        &format!("SELECT {COLUMNS} FROM dossiers WHERE code = $1"),
        [code.into()],
    ))
    .await?
    .map(from_row)
    .transpose()
}

/// Which dossiers to list.
#[derive(Debug, Clone, Default)]
pub struct DossierFilter {
    /// Only these statuses (`open`, `paused`, `closed`).
    pub statuses: Vec<String>,
    /// Only dossiers due before this date (the overdue list: due before today).
    pub due_before: Option<NaiveDate>,
    /// Only dossiers whose current step this role acts on (the task list).
    pub role: Option<String>,
    /// Only dossiers at a step of this kind (`posting` for the posting list).
    pub kind: Option<String>,
    pub person: Option<PersonId>,
    /// Only dossiers under these workflow definitions.
    pub definitions: Vec<String>,
    /// Only dossiers received in or after / before these dates.
    pub received_from: Option<NaiveDate>,
    pub received_to: Option<NaiveDate>,
    pub limit: u64,
    pub offset: u64,
}

/// Unit versions above which a scope counts as wide (a district has a few dozen communes,
/// each with a version or two; a province has hundreds).
const WIDE_SCOPE: usize = 60;

/// Dossiers in scope, soonest due first (no due date last), then in the order received.
pub async fn list_dossiers(
    conn: &impl ConnectionTrait,
    scope: &Scope,
    f: &DossierFilter,
) -> Result<Vec<DossierRow>, StoreError> {
    let mut values: Vec<Value> = Vec::new();
    let mut conds: Vec<String> = Vec::new();
    let mut next = 1;
    let mut param = |v: Value, values: &mut Vec<Value>| {
        values.push(v);
        let p = format!("${next}");
        next += 1;
        p
    };
    if !f.statuses.is_empty() {
        let marks: Vec<String> = f
            .statuses
            .iter()
            .map(|s| param(s.clone().into(), &mut values))
            .collect();
        conds.push(format!("status IN ({})", marks.join(", ")));
    }
    if let Some(d) = f.due_before {
        // Same as `due_on < d` (no due date queues at the far future), on the indexed column.
        conds.push(format!("queue_on < {}", param(d.into(), &mut values)));
    }
    if let Some(role) = &f.role {
        conds.push(format!(
            "task_roles LIKE {}",
            param(format!("%,{role},%").into(), &mut values)
        ));
    }
    if let Some(kind) = &f.kind {
        conds.push(format!(
            "current_kind = {}",
            param(kind.clone().into(), &mut values)
        ));
    }
    if !f.definitions.is_empty() {
        let marks: Vec<String> = f
            .definitions
            .iter()
            .map(|d| param(d.clone().into(), &mut values))
            .collect();
        conds.push(format!("definition IN ({})", marks.join(", ")));
    }
    if let Some(p) = f.person {
        conds.push(format!("person_id = {}", param(p.0.into(), &mut values)));
    }
    if let Some(d) = f.received_from {
        conds.push(format!("received_on >= {}", param(d.into(), &mut values)));
    }
    if let Some(d) = f.received_to {
        conds.push(format!("received_on <= {}", param(d.into(), &mut values)));
    }
    let (mut scope_cond, scope_values) = scope_sql(scope, next);
    if scope_values.len() > WIDE_SCOPE {
        // A province or wider: walking the queue index in order and checking the unit is
        // far cheaper than sorting every open dossier of the area. `+unit_id` (valid SQL on
        // both databases) keeps SQLite's planner off the unit index for this query.
        scope_cond = format!("+{scope_cond}");
    }
    next += scope_values.len();
    values.extend(scope_values);
    conds.push(scope_cond);
    let limit = format!("${next}");
    let offset = format!("${}", next + 1);
    values.push((f.limit.clamp(1, 10_000) as i64).into());
    values.push((f.offset as i64).into());
    let sql = format!(
        "SELECT {COLUMNS} FROM dossiers WHERE {} \
         ORDER BY queue_on, id LIMIT {limit} OFFSET {offset}",
        conds.join(" AND ")
    );
    conn.query_all_raw(stmt(conn.get_database_backend(), &sql, values))
        .await?
        .into_iter()
        .map(from_row)
        .collect()
}

/// Dossiers closed in a period, for timeliness figures.
pub async fn closed_between(
    conn: &impl ConnectionTrait,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<DossierRow>, StoreError> {
    let (cond, scope_values) = scope_sql(scope, 3);
    let mut values: Vec<Value> = vec![from.into(), to.into()];
    values.extend(scope_values);
    conn.query_all_raw(stmt(
        conn.get_database_backend(),
        &format!(
            "SELECT {COLUMNS} FROM dossiers WHERE status = 'closed' AND closed_on >= $1 AND closed_on <= $2 AND {cond}"
        ),
        values,
    ))
    .await?
    .into_iter()
    .map(from_row)
    .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct EventRow {
    pub id: i64,
    pub on_date: NaiveDate,
    pub recorded_at: DateTime<Utc>,
    pub actor_id: UserId,
    pub actor_role: String,
    pub kind: String,
    pub step: Option<String>,
    pub event_json: String,
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_event(
    conn: &impl ConnectionTrait,
    province_code: &str,
    dossier: DossierId,
    on_date: NaiveDate,
    recorded_at: DateTime<Utc>,
    actor: UserId,
    actor_role: &str,
    kind: &str,
    step: Option<&str>,
    event_json: &str,
) -> Result<(), StoreError> {
    conn.execute_raw(stmt(
        conn.get_database_backend(),
        "INSERT INTO dossier_events (province_code, dossier_id, on_date, recorded_at, actor_id, actor_role, kind, step, event_json) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        [
            province_code.into(),
            dossier.0.into(),
            on_date.into(),
            recorded_at.into(),
            actor.0.into(),
            actor_role.into(),
            kind.into(),
            step.map(str::to_string).into(),
            event_json.into(),
        ],
    ))
    .await?;
    Ok(())
}

pub async fn events(
    conn: &impl ConnectionTrait,
    dossier: DossierId,
) -> Result<Vec<EventRow>, StoreError> {
    let rows = conn
        .query_all_raw(stmt(
            conn.get_database_backend(),
            "SELECT id, on_date, recorded_at, actor_id, actor_role, kind, step, event_json FROM dossier_events \
             WHERE dossier_id = $1 ORDER BY id",
            [dossier.0.into()],
        ))
        .await?;
    rows.into_iter()
        .map(|r| {
            Ok(EventRow {
                id: r.try_get("", "id")?,
                on_date: r.try_get("", "on_date")?,
                recorded_at: r.try_get("", "recorded_at")?,
                actor_id: UserId(r.try_get("", "actor_id")?),
                actor_role: r.try_get("", "actor_role")?,
                kind: r.try_get("", "kind")?,
                step: r.try_get("", "step")?,
                event_json: r.try_get("", "event_json")?,
            })
        })
        .collect()
}

/// An attachment without its bytes.
#[derive(Debug, Clone, Serialize)]
pub struct AttachmentMeta {
    pub id: i64,
    pub dossier_id: DossierId,
    pub document_code: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_by: UserId,
    pub uploaded_at: DateTime<Utc>,
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_attachment(
    conn: &impl ConnectionTrait,
    province_code: &str,
    dossier: DossierId,
    document_code: &str,
    file_name: &str,
    content_type: &str,
    sha256: &str,
    data: Vec<u8>,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let size = data.len() as i64;
    let row = conn
        .query_one_raw(stmt(
            conn.get_database_backend(),
            "INSERT INTO attachments (province_code, dossier_id, document_code, file_name, content_type, size_bytes, \
             sha256, data, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            [
                province_code.into(),
                dossier.0.into(),
                document_code.into(),
                file_name.into(),
                content_type.into(),
                size.into(),
                sha256.into(),
                data.into(),
                by.0.into(),
                at.into(),
            ],
        ))
        .await?
        .ok_or_else(|| StoreError::RefData("insert returned no id".into()))?;
    Ok(row.try_get("", "id")?)
}

const ATTACHMENT_COLUMNS: &str = "id, dossier_id, document_code, file_name, content_type, size_bytes, sha256, uploaded_by, uploaded_at";

fn attachment_from(r: &QueryResult) -> Result<AttachmentMeta, StoreError> {
    Ok(AttachmentMeta {
        id: r.try_get("", "id")?,
        dossier_id: DossierId(r.try_get("", "dossier_id")?),
        document_code: r.try_get("", "document_code")?,
        file_name: r.try_get("", "file_name")?,
        content_type: r.try_get("", "content_type")?,
        size_bytes: r.try_get("", "size_bytes")?,
        sha256: r.try_get("", "sha256")?,
        uploaded_by: UserId(r.try_get("", "uploaded_by")?),
        uploaded_at: r.try_get("", "uploaded_at")?,
    })
}

pub async fn attachments(
    conn: &impl ConnectionTrait,
    dossier: DossierId,
) -> Result<Vec<AttachmentMeta>, StoreError> {
    conn.query_all_raw(stmt(
        conn.get_database_backend(),
        &format!("SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE dossier_id = $1 ORDER BY id"),
        [dossier.0.into()],
    ))
    .await?
    .iter()
    .map(attachment_from)
    .collect()
}

/// An attachment with its bytes, if it belongs to `dossier`.
pub async fn attachment(
    conn: &impl ConnectionTrait,
    dossier: DossierId,
    id: i64,
) -> Result<Option<(AttachmentMeta, Vec<u8>)>, StoreError> {
    let row = conn
        .query_one_raw(stmt(
            conn.get_database_backend(),
            &format!("SELECT {ATTACHMENT_COLUMNS}, data FROM attachments WHERE dossier_id = $1 AND id = $2"),
            [dossier.0.into(), id.into()],
        ))
        .await?;
    match row {
        Some(r) => {
            let meta = attachment_from(&r)?;
            let data: Vec<u8> = r.try_get("", "data")?;
            Ok(Some((meta, data)))
        }
        None => Ok(None),
    }
}
