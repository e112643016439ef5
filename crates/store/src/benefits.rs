//! Decisions (quyết định) and the entitlements (chế độ được hưởng) they create, change or
//! close; decided one-off items (funeral support, emergency cash).

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, QueryResult, Value};
use serde::Serialize;

use ansinh_domain::ids::{DecisionId, DossierId, EntitlementId, PersonId, UnitId, UserId};

use crate::db::stmt;
use crate::error::StoreError;
use crate::scope::Scope;

#[derive(Debug, Clone, Serialize)]
pub struct DecisionWrite {
    pub province_code: String,
    pub issuing_unit_id: UnitId,
    pub year: i32,
    pub seq: i64,
    /// As printed, e.g. `125/QĐ-UBND`.
    pub number: String,
    /// Who issues it (`district_chairman`, `commune_chairman`…).
    pub authority: String,
    /// `grant`, `reject`, `adjust`, `suspend`, `resume`, `terminate`, `move_within`,
    /// `move_between`, `funeral_support`.
    pub kind: String,
    pub benefit: String,
    pub dossier_id: Option<DossierId>,
    pub person_id: PersonId,
    pub signed_on: NaiveDate,
    /// `YYYYMM` from which it takes effect.
    pub effective_month: i32,
    pub prepared_by: UserId,
    pub approved_by: UserId,
    /// JSON array of reason codes (TT 02/2021 Art. 2).
    pub reason_codes: String,
    /// JSON array of free-text reasons.
    pub reasons: String,
    /// The articles and amounts as printed (JSON).
    pub body_json: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DecisionRow {
    pub id: DecisionId,
    #[serde(flatten)]
    pub data: DecisionWrite,
    pub created_at: DateTime<Utc>,
}

const DECISION_COLUMNS: &str = "id, province_code, issuing_unit_id, year, seq, number, authority, kind, benefit, dossier_id, \
    person_id, signed_on, effective_month, prepared_by, approved_by, reason_codes, reasons, body_json, created_at";

fn decision_from(r: QueryResult) -> Result<DecisionRow, StoreError> {
    Ok(DecisionRow {
        id: DecisionId(r.try_get("", "id")?),
        data: DecisionWrite {
            province_code: r.try_get("", "province_code")?,
            issuing_unit_id: UnitId(r.try_get("", "issuing_unit_id")?),
            year: r.try_get("", "year")?,
            seq: r.try_get("", "seq")?,
            number: r.try_get("", "number")?,
            authority: r.try_get("", "authority")?,
            kind: r.try_get("", "kind")?,
            benefit: r.try_get("", "benefit")?,
            dossier_id: r.try_get::<Option<i64>>("", "dossier_id")?.map(DossierId),
            person_id: PersonId(r.try_get("", "person_id")?),
            signed_on: r.try_get("", "signed_on")?,
            effective_month: r.try_get("", "effective_month")?,
            prepared_by: UserId(r.try_get("", "prepared_by")?),
            approved_by: UserId(r.try_get("", "approved_by")?),
            reason_codes: r.try_get("", "reason_codes")?,
            reasons: r.try_get("", "reasons")?,
            body_json: r.try_get("", "body_json")?,
        },
        created_at: r.try_get("", "created_at")?,
    })
}

pub async fn insert_decision(
    conn: &impl ConnectionTrait,
    d: &DecisionWrite,
    now: DateTime<Utc>,
) -> Result<DecisionId, StoreError> {
    let row = conn
        .query_one_raw(stmt(
            conn.get_database_backend(),
            "INSERT INTO decisions (province_code, issuing_unit_id, year, seq, number, authority, kind, benefit, dossier_id, \
             person_id, signed_on, effective_month, prepared_by, approved_by, reason_codes, reasons, body_json, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id",
            [
                d.province_code.clone().into(),
                d.issuing_unit_id.0.into(),
                d.year.into(),
                d.seq.into(),
                d.number.clone().into(),
                d.authority.clone().into(),
                d.kind.clone().into(),
                d.benefit.clone().into(),
                d.dossier_id.map(|x| x.0).into(),
                d.person_id.0.into(),
                d.signed_on.into(),
                d.effective_month.into(),
                d.prepared_by.0.into(),
                d.approved_by.0.into(),
                d.reason_codes.clone().into(),
                d.reasons.clone().into(),
                d.body_json.clone().into(),
                now.into(),
            ],
        ))
        .await?
        .ok_or_else(|| StoreError::RefData("insert returned no id".into()))?;
    Ok(DecisionId(row.try_get("", "id")?))
}

pub async fn get_decision(
    conn: &impl ConnectionTrait,
    id: DecisionId,
) -> Result<Option<DecisionRow>, StoreError> {
    conn.query_one_raw(stmt(
        conn.get_database_backend(),
        &format!("SELECT {DECISION_COLUMNS} FROM decisions WHERE id = $1"),
        [id.0.into()],
    ))
    .await?
    .map(decision_from)
    .transpose()
}

pub async fn decisions_of_person(
    conn: &impl ConnectionTrait,
    person: PersonId,
) -> Result<Vec<DecisionRow>, StoreError> {
    conn.query_all_raw(stmt(
        conn.get_database_backend(),
        &format!(
            "SELECT {DECISION_COLUMNS} FROM decisions WHERE person_id = $1 ORDER BY signed_on, id"
        ),
        [person.0.into()],
    ))
    .await?
    .into_iter()
    .map(decision_from)
    .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct EntitlementWrite {
    pub province_code: String,
    pub person_id: PersonId,
    /// The paying commune (a unit version).
    pub unit_id: UnitId,
    /// `monthly_allowance`, `caregiving_support`, `social_pension`, `facility_care`.
    pub benefit: String,
    /// `active`, `suspended`, `terminated`.
    pub status: String,
    pub channel: String,
    pub account: Option<String>,
    /// JSON array of other payees and how they are paid.
    pub payees_json: String,
    /// `YYYYMM` bounds, inclusive.
    pub since_month: Option<i32>,
    pub until_month: Option<i32>,
    /// The policy engine's situation document.
    pub situation_json: String,
    pub decision_id: Option<DecisionId>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EntitlementRow {
    pub id: EntitlementId,
    pub version: i32,
    #[serde(flatten)]
    pub data: EntitlementWrite,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const ENTITLEMENT_COLUMNS: &str = "id, version, province_code, person_id, unit_id, benefit, status, channel, account, payees_json, \
    since_month, until_month, situation_json, decision_id, created_at, updated_at";

fn entitlement_from(r: QueryResult) -> Result<EntitlementRow, StoreError> {
    Ok(EntitlementRow {
        id: EntitlementId(r.try_get("", "id")?),
        version: r.try_get("", "version")?,
        data: EntitlementWrite {
            province_code: r.try_get("", "province_code")?,
            person_id: PersonId(r.try_get("", "person_id")?),
            unit_id: UnitId(r.try_get("", "unit_id")?),
            benefit: r.try_get("", "benefit")?,
            status: r.try_get("", "status")?,
            channel: r.try_get("", "channel")?,
            account: r.try_get("", "account")?,
            payees_json: r.try_get("", "payees_json")?,
            since_month: r.try_get("", "since_month")?,
            until_month: r.try_get("", "until_month")?,
            situation_json: r.try_get("", "situation_json")?,
            decision_id: r.try_get::<Option<i64>>("", "decision_id")?.map(DecisionId),
        },
        created_at: r.try_get("", "created_at")?,
        updated_at: r.try_get("", "updated_at")?,
    })
}

fn entitlement_values(e: &EntitlementWrite) -> Vec<Value> {
    vec![
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
    ]
}

pub async fn insert_entitlement(
    conn: &impl ConnectionTrait,
    e: &EntitlementWrite,
    now: DateTime<Utc>,
) -> Result<EntitlementId, StoreError> {
    let mut values = entitlement_values(e);
    values.push(now.into());
    let row = conn
        .query_one_raw(stmt(
            conn.get_database_backend(),
            "INSERT INTO entitlements (province_code, person_id, unit_id, benefit, status, channel, account, payees_json, \
             since_month, until_month, situation_json, decision_id, created_at, updated_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, 1) RETURNING id",
            values,
        ))
        .await?
        .ok_or_else(|| StoreError::RefData("insert returned no id".into()))?;
    Ok(EntitlementId(row.try_get("", "id")?))
}

pub async fn update_entitlement(
    conn: &impl ConnectionTrait,
    id: EntitlementId,
    version: i32,
    e: &EntitlementWrite,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut values = entitlement_values(e);
    values.extend([now.into(), id.0.into(), version.into()]);
    let r = conn
        .execute_raw(stmt(
            conn.get_database_backend(),
            "UPDATE entitlements SET province_code = $1, person_id = $2, unit_id = $3, benefit = $4, status = $5, \
             channel = $6, account = $7, payees_json = $8, since_month = $9, until_month = $10, situation_json = $11, \
             decision_id = $12, updated_at = $13, version = version + 1 WHERE id = $14 AND version = $15",
            values,
        ))
        .await?;
    if r.rows_affected() != 1 {
        return Err(StoreError::Stale);
    }
    Ok(())
}

pub async fn get_entitlement(
    conn: &impl ConnectionTrait,
    id: EntitlementId,
    scope: &Scope,
) -> Result<Option<EntitlementRow>, StoreError> {
    let row = conn
        .query_one_raw(stmt(
            conn.get_database_backend(),
            &format!("SELECT {ENTITLEMENT_COLUMNS} FROM entitlements WHERE id = $1"),
            [id.0.into()],
        ))
        .await?
        .map(entitlement_from)
        .transpose()?;
    Ok(row.filter(|e| scope.includes(e.data.unit_id)))
}

pub async fn entitlements_of_person(
    conn: &impl ConnectionTrait,
    person: PersonId,
) -> Result<Vec<EntitlementRow>, StoreError> {
    conn.query_all_raw(stmt(
        conn.get_database_backend(),
        &format!("SELECT {ENTITLEMENT_COLUMNS} FROM entitlements WHERE person_id = $1 ORDER BY id"),
        [person.0.into()],
    ))
    .await?
    .into_iter()
    .map(entitlement_from)
    .collect()
}

/// Entitlements paid by these unit versions (a paying commune across its eras), any status.
pub async fn entitlements_of_units(
    conn: &impl ConnectionTrait,
    units: &[UnitId],
) -> Result<Vec<EntitlementRow>, StoreError> {
    if units.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=units.len()).map(|i| format!("${i}")).collect();
    conn.query_all_raw(stmt(
        conn.get_database_backend(),
        &format!(
            "SELECT {ENTITLEMENT_COLUMNS} FROM entitlements WHERE unit_id IN ({}) ORDER BY id",
            marks.join(", ")
        ),
        units.iter().map(|u| Value::from(u.0)),
    ))
    .await?
    .into_iter()
    .map(entitlement_from)
    .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct OneOffWrite {
    pub province_code: String,
    pub entitlement_id: EntitlementId,
    pub person_id: PersonId,
    pub unit_id: UnitId,
    /// `funeral` or `emergency`.
    pub kind: String,
    pub for_month: i32,
    pub decided_month: i32,
    pub amount: i64,
    pub payee: String,
    pub channel: String,
    pub account: Option<String>,
    pub citation: String,
    pub decision_id: Option<DecisionId>,
}

pub async fn insert_one_off(
    conn: &impl ConnectionTrait,
    o: &OneOffWrite,
) -> Result<i64, StoreError> {
    let row = conn
        .query_one_raw(stmt(
            conn.get_database_backend(),
            "INSERT INTO one_offs (province_code, entitlement_id, person_id, unit_id, kind, for_month, decided_month, amount, \
             payee, channel, account, citation, listed_in, decision_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, NULL, $13) RETURNING id",
            [
                o.province_code.clone().into(),
                o.entitlement_id.0.into(),
                o.person_id.0.into(),
                o.unit_id.0.into(),
                o.kind.clone().into(),
                o.for_month.into(),
                o.decided_month.into(),
                o.amount.into(),
                o.payee.clone().into(),
                o.channel.clone().into(),
                o.account.clone().into(),
                o.citation.clone().into(),
                o.decision_id.map(|d| d.0).into(),
            ],
        ))
        .await?
        .ok_or_else(|| StoreError::RefData("insert returned no id".into()))?;
    Ok(row.try_get("", "id")?)
}

/// A decision prepared by an officer, waiting for the competent person's approval.
#[derive(Debug, Clone, Serialize)]
pub struct DraftWrite {
    pub province_code: String,
    pub kind: String,
    pub benefit: String,
    pub family: String,
    pub person_id: PersonId,
    pub entitlement_id: Option<EntitlementId>,
    pub unit_id: UnitId,
    pub effective_month: i32,
    pub reason_codes: String,
    pub reasons: String,
    pub payload_json: String,
    pub prepared_by: UserId,
}

#[derive(Debug, Clone, Serialize)]
pub struct DraftRow {
    pub id: i64,
    #[serde(flatten)]
    pub data: DraftWrite,
    /// `pending`, `approved`, `rejected`.
    pub status: String,
    pub prepared_at: DateTime<Utc>,
    pub decided_by: Option<UserId>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_id: Option<DecisionId>,
    pub note: String,
}

const DRAFT_COLUMNS: &str = "id, province_code, kind, benefit, family, person_id, entitlement_id, unit_id, effective_month, \
    reason_codes, reasons, payload_json, status, prepared_by, prepared_at, decided_by, decided_at, decision_id, note";

fn draft_from(r: QueryResult) -> Result<DraftRow, StoreError> {
    Ok(DraftRow {
        id: r.try_get("", "id")?,
        data: DraftWrite {
            province_code: r.try_get("", "province_code")?,
            kind: r.try_get("", "kind")?,
            benefit: r.try_get("", "benefit")?,
            family: r.try_get("", "family")?,
            person_id: PersonId(r.try_get("", "person_id")?),
            entitlement_id: r
                .try_get::<Option<i64>>("", "entitlement_id")?
                .map(EntitlementId),
            unit_id: UnitId(r.try_get("", "unit_id")?),
            effective_month: r.try_get("", "effective_month")?,
            reason_codes: r.try_get("", "reason_codes")?,
            reasons: r.try_get("", "reasons")?,
            payload_json: r.try_get("", "payload_json")?,
            prepared_by: UserId(r.try_get("", "prepared_by")?),
        },
        status: r.try_get("", "status")?,
        prepared_at: r.try_get("", "prepared_at")?,
        decided_by: r.try_get::<Option<i64>>("", "decided_by")?.map(UserId),
        decided_at: r.try_get("", "decided_at")?,
        decision_id: r.try_get::<Option<i64>>("", "decision_id")?.map(DecisionId),
        note: r.try_get("", "note")?,
    })
}

pub async fn insert_draft(
    conn: &impl ConnectionTrait,
    d: &DraftWrite,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let row = conn
        .query_one_raw(stmt(
            conn.get_database_backend(),
            "INSERT INTO decision_drafts (province_code, kind, benefit, family, person_id, entitlement_id, unit_id, \
             effective_month, reason_codes, reasons, payload_json, status, prepared_by, prepared_at, note) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'pending', $12, $13, '') RETURNING id",
            [
                d.province_code.clone().into(),
                d.kind.clone().into(),
                d.benefit.clone().into(),
                d.family.clone().into(),
                d.person_id.0.into(),
                d.entitlement_id.map(|e| e.0).into(),
                d.unit_id.0.into(),
                d.effective_month.into(),
                d.reason_codes.clone().into(),
                d.reasons.clone().into(),
                d.payload_json.clone().into(),
                d.prepared_by.0.into(),
                at.into(),
            ],
        ))
        .await?
        .ok_or_else(|| StoreError::RefData("insert returned no id".into()))?;
    Ok(row.try_get("", "id")?)
}

pub async fn get_draft(
    conn: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<DraftRow>, StoreError> {
    conn.query_one_raw(stmt(
        conn.get_database_backend(),
        &format!("SELECT {DRAFT_COLUMNS} FROM decision_drafts WHERE id = $1"),
        [id.into()],
    ))
    .await?
    .map(draft_from)
    .transpose()
}

/// Pending drafts in these units (any unit when `None`), oldest first.
pub async fn pending_drafts(
    conn: &impl ConnectionTrait,
    units: Option<&[UnitId]>,
) -> Result<Vec<DraftRow>, StoreError> {
    let backend = conn.get_database_backend();
    let rows = match units {
        None => {
            conn.query_all_raw(stmt(
                backend,
                &format!("SELECT {DRAFT_COLUMNS} FROM decision_drafts WHERE status = 'pending' ORDER BY id"),
                [],
            ))
            .await?
        }
        Some([]) => return Ok(Vec::new()),
        Some(units) => {
            let marks: Vec<String> = (1..=units.len()).map(|i| format!("${i}")).collect();
            conn.query_all_raw(stmt(
                backend,
                &format!(
                    "SELECT {DRAFT_COLUMNS} FROM decision_drafts WHERE status = 'pending' AND unit_id IN ({}) ORDER BY id",
                    marks.join(", ")
                ),
                units.iter().map(|u| Value::from(u.0)),
            ))
            .await?
        }
    };
    rows.into_iter().map(draft_from).collect()
}

/// Closes a pending draft; `Stale` when it was already decided.
pub async fn close_draft(
    conn: &impl ConnectionTrait,
    id: i64,
    status: &str,
    by: UserId,
    at: DateTime<Utc>,
    decision: Option<DecisionId>,
    note: &str,
) -> Result<(), StoreError> {
    let r = conn
        .execute_raw(stmt(
            conn.get_database_backend(),
            "UPDATE decision_drafts SET status = $1, decided_by = $2, decided_at = $3, decision_id = $4, note = $5 \
             WHERE id = $6 AND status = 'pending'",
            [status.into(), by.0.into(), at.into(), decision.map(|d| d.0).into(), note.into(), id.into()],
        ))
        .await?;
    if r.rows_affected() != 1 {
        return Err(StoreError::Stale);
    }
    Ok(())
}
