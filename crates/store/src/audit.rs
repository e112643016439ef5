//! The audit chain: an append-only log where every row carries
//! `hash = sha256(prev_hash ‖ canonical row)`. Altering or deleting any row breaks the chain
//! at that row, and `verify` names it.
//!
//! There is one chain per province (plus `system` for accounts and reference data), so
//! provinces append in parallel and a Citus cluster keeps each chain on its province's shard.
//! Appending locks the chain's head row for the rest of the transaction: the log is written
//! in the same transaction as the change it records, so a change cannot commit unaudited.

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::db::stmt;
use crate::entity::{audit_head, audit_log};
use crate::error::StoreError;

pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";
pub const SYSTEM_CHAIN: &str = "system";

/// What happened, by whom, from where, to what.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub chain: String,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor: String,
    /// Client address for web requests, `cli` for commands.
    pub source: String,
    /// Dotted verb, e.g. `person.create`, `person.reveal`, `user.login`.
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// The fields that are hashed, in a fixed order.
#[derive(Serialize)]
struct Canonical<'a> {
    chain: &'a str,
    seq: i64,
    at: String,
    actor_id: Option<i64>,
    actor: &'a str,
    source: &'a str,
    action: &'a str,
    entity: &'a str,
    entity_id: &'a str,
    before: Option<&'a str>,
    after: Option<&'a str>,
}

fn row_hash(prev_hash: &str, canonical: &Canonical<'_>) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    // Serialising a struct of strings and integers cannot fail; an empty body would still
    // chain, and verification would then flag the row.
    hasher.update(serde_json::to_vec(canonical).unwrap_or_default());
    hex::encode(hasher.finalize())
}

/// Timestamps are stored to the microsecond (PostgreSQL's precision) so they hash the same
/// after a round trip through either database.
fn canonical_time(at: DateTime<Utc>) -> String {
    at.trunc_subsecs(6)
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

const UPSERT_HEAD: &str =
    "INSERT INTO audit_heads (chain, seq, hash) VALUES ($1, 0, $2) ON CONFLICT (chain) DO NOTHING";
const LOCK_HEAD_PG: &str = "SELECT seq, hash FROM audit_heads WHERE chain = $1 FOR UPDATE";
// SQLite write transactions are serialised (BEGIN IMMEDIATE): no lock clause needed.
const READ_HEAD: &str = "SELECT seq, hash FROM audit_heads WHERE chain = $1";
const INSERT_ROW: &str = "INSERT INTO audit_log (chain, seq, at, actor_id, actor, source, action, entity, \
     entity_id, before_json, after_json, prev_hash, hash) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
const UPDATE_HEAD: &str = "UPDATE audit_heads SET seq = $1, hash = $2 WHERE chain = $3";

/// The next row of a chain, hashed: everything that is written.
struct ChainedRow {
    entry: AuditEntry,
    seq: i64,
    at: DateTime<Utc>,
    before: Option<String>,
    after: Option<String>,
    prev_hash: String,
    hash: String,
}

impl ChainedRow {
    fn after_head(entry: AuditEntry, prev_seq: i64, prev_hash: String) -> ChainedRow {
        let seq = prev_seq + 1;
        let at = entry.at.trunc_subsecs(6);
        let before = entry.before.as_ref().map(|v| v.to_string());
        let after = entry.after.as_ref().map(|v| v.to_string());
        let hash = row_hash(
            &prev_hash,
            &Canonical {
                chain: &entry.chain,
                seq,
                at: canonical_time(at),
                actor_id: entry.actor_id,
                actor: &entry.actor,
                source: &entry.source,
                action: &entry.action,
                entity: &entry.entity,
                entity_id: &entry.entity_id,
                before: before.as_deref(),
                after: after.as_deref(),
            },
        );
        ChainedRow {
            entry,
            seq,
            at,
            before,
            after,
            prev_hash,
            hash,
        }
    }

    fn values(&self) -> Vec<sea_orm::Value> {
        let e = &self.entry;
        vec![
            e.chain.clone().into(),
            self.seq.into(),
            self.at.into(),
            e.actor_id.into(),
            e.actor.clone().into(),
            e.source.clone().into(),
            e.action.clone().into(),
            e.entity.clone().into(),
            e.entity_id.clone().into(),
            self.before.clone().into(),
            self.after.clone().into(),
            self.prev_hash.clone().into(),
            self.hash.clone().into(),
        ]
    }
}

/// Appends `entry` to its chain inside the caller's transaction. Returns the row's sequence.
pub async fn append(conn: &impl ConnectionTrait, entry: AuditEntry) -> Result<i64, StoreError> {
    let backend = conn.get_database_backend();
    conn.execute_raw(stmt(
        backend,
        UPSERT_HEAD,
        [entry.chain.clone().into(), GENESIS_HASH.into()],
    ))
    .await?;
    let lock = match backend {
        DatabaseBackend::Postgres => LOCK_HEAD_PG,
        _ => READ_HEAD,
    };
    let head = conn
        .query_one_raw(stmt(backend, lock, [entry.chain.clone().into()]))
        .await?
        .ok_or_else(|| StoreError::not_found("audit chain", &entry.chain))?;
    let row = ChainedRow::after_head(entry, head.try_get("", "seq")?, head.try_get("", "hash")?);
    conn.execute_raw(stmt(backend, INSERT_ROW, row.values()))
        .await?;
    conn.execute_raw(stmt(
        backend,
        UPDATE_HEAD,
        [
            row.seq.into(),
            row.hash.clone().into(),
            row.entry.chain.clone().into(),
        ],
    ))
    .await?;
    Ok(row.seq)
}

/// The same append on a raw connection, for bulk paths that write inside their own
/// transaction (`COPY` on PostgreSQL, bound multi-row inserts on SQLite). The same statements
/// on both: SQLite reads `$n` as the n-th parameter; the head is locked by the transaction's
/// write lock there, by `FOR UPDATE` on PostgreSQL.
macro_rules! append_raw {
    ($conn:expr, $entry:expr, $read_head:expr) => {{
        let conn = $conn;
        let entry = $entry;
        sqlx::query(UPSERT_HEAD)
            .bind(&entry.chain)
            .bind(GENESIS_HASH)
            .execute(&mut *conn)
            .await?;
        let (prev_seq, prev_hash): (i64, String) = sqlx::query_as($read_head)
            .bind(&entry.chain)
            .fetch_one(&mut *conn)
            .await?;
        let row = ChainedRow::after_head(entry, prev_seq, prev_hash);
        let e = &row.entry;
        sqlx::query(INSERT_ROW)
            .bind(&e.chain)
            .bind(row.seq)
            .bind(row.at)
            .bind(e.actor_id)
            .bind(&e.actor)
            .bind(&e.source)
            .bind(&e.action)
            .bind(&e.entity)
            .bind(&e.entity_id)
            .bind(&row.before)
            .bind(&row.after)
            .bind(&row.prev_hash)
            .bind(&row.hash)
            .execute(&mut *conn)
            .await?;
        sqlx::query(UPDATE_HEAD)
            .bind(row.seq)
            .bind(&row.hash)
            .bind(&e.chain)
            .execute(&mut *conn)
            .await?;
        Ok(row.seq)
    }};
}

pub async fn append_pg(
    conn: &mut sqlx::PgConnection,
    entry: AuditEntry,
) -> Result<i64, StoreError> {
    append_raw!(conn, entry, LOCK_HEAD_PG)
}

pub async fn append_sqlite(
    conn: &mut sqlx::SqliteConnection,
    entry: AuditEntry,
) -> Result<i64, StoreError> {
    append_raw!(conn, entry, READ_HEAD)
}

/// A row where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Break {
    pub chain: String,
    /// The sequence number where the break is found.
    pub seq: i64,
    /// Database id of the row, when the row exists.
    pub id: Option<i64>,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct VerifyReport {
    pub chains: usize,
    pub rows: u64,
    /// The first break of each broken chain.
    pub breaks: Vec<Break>,
}

impl VerifyReport {
    pub fn is_intact(&self) -> bool {
        self.breaks.is_empty()
    }
}

/// Walks every chain from its first row, recomputing each hash.
pub async fn verify(conn: &impl ConnectionTrait) -> Result<VerifyReport, StoreError> {
    let heads = audit_head::Entity::find()
        .order_by_asc(audit_head::Column::Chain)
        .all(conn)
        .await?;
    let mut chains: Vec<String> = heads.iter().map(|h| h.chain.clone()).collect();
    // Rows whose chain has no head (head deleted) are checked too.
    let logged: Vec<String> = audit_log::Entity::find()
        .select_only()
        .column(audit_log::Column::Chain)
        .distinct()
        .into_tuple()
        .all(conn)
        .await?;
    for c in logged {
        if !chains.contains(&c) {
            chains.push(c);
        }
    }
    let mut report = VerifyReport {
        chains: chains.len(),
        ..Default::default()
    };
    const PAGE: u64 = 5_000;
    for chain in chains {
        let mut expected_seq = 1;
        let mut prev_hash = GENESIS_HASH.to_string();
        let mut broken: Option<Break> = None;
        'rows: loop {
            let page = audit_log::Entity::find()
                .filter(audit_log::Column::Chain.eq(chain.as_str()))
                .filter(audit_log::Column::Seq.gte(expected_seq))
                .order_by_asc(audit_log::Column::Seq)
                .limit(PAGE)
                .all(conn)
                .await?;
            let done = (page.len() as u64) < PAGE;
            for row in page {
                report.rows += 1;
                if row.seq != expected_seq {
                    broken = Some(Break {
                        chain: chain.clone(),
                        seq: expected_seq,
                        id: None,
                        reason: format!(
                            "row {expected_seq} is missing (deleted); the chain resumes at row {}",
                            row.seq
                        ),
                    });
                    break 'rows;
                }
                if let Some(reason) = check_row(&row, &prev_hash) {
                    broken = Some(Break {
                        chain: chain.clone(),
                        seq: row.seq,
                        id: Some(row.id),
                        reason,
                    });
                    break 'rows;
                }
                prev_hash = row.hash.clone();
                expected_seq += 1;
            }
            if done {
                break;
            }
        }
        if broken.is_none() {
            let last_seq = expected_seq - 1;
            match heads.iter().find(|h| h.chain == chain) {
                None => {
                    broken = Some(Break {
                        chain: chain.clone(),
                        seq: last_seq,
                        id: None,
                        reason: "the chain's head record is missing".into(),
                    })
                }
                Some(head) if head.seq != last_seq || head.hash != prev_hash => {
                    broken = Some(Break {
                        chain: chain.clone(),
                        seq: last_seq + 1,
                        id: None,
                        reason: format!(
                            "the chain ends at row {last_seq} but its head says row {}: rows after {last_seq} were deleted",
                            head.seq
                        ),
                    })
                }
                Some(_) => {}
            }
        }
        if let Some(b) = broken {
            report.breaks.push(b);
        }
    }
    Ok(report)
}

fn check_row(row: &audit_log::Model, prev_hash: &str) -> Option<String> {
    if row.prev_hash != prev_hash {
        return Some("its link to the previous row does not match".into());
    }
    let expected = row_hash(
        prev_hash,
        &Canonical {
            chain: &row.chain,
            seq: row.seq,
            at: canonical_time(row.at),
            actor_id: row.actor_id,
            actor: &row.actor,
            source: &row.source,
            action: &row.action,
            entity: &row.entity,
            entity_id: &row.entity_id,
            before: row.before_json.as_deref(),
            after: row.after_json.as_deref(),
        },
    );
    if expected != row.hash {
        return Some("its content was altered after it was written".into());
    }
    None
}

/// One row of the audit trail as shown to admins and inspectors.
#[derive(Debug, Clone, Serialize)]
pub struct AuditRow {
    pub id: i64,
    pub chain: String,
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub source: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl From<audit_log::Model> for AuditRow {
    fn from(m: audit_log::Model) -> AuditRow {
        AuditRow {
            id: m.id,
            chain: m.chain,
            seq: m.seq,
            at: m.at,
            actor: m.actor,
            source: m.source,
            action: m.action,
            entity: m.entity,
            entity_id: m.entity_id,
            before: m.before_json,
            after: m.after_json,
        }
    }
}

/// Filter for the audit trail page.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// Only these chains (`None` = all).
    pub chains: Option<Vec<String>>,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub actor: Option<String>,
    pub limit: u64,
    pub offset: u64,
}

pub async fn list(
    conn: &impl ConnectionTrait,
    q: &AuditQuery,
) -> Result<Vec<AuditRow>, StoreError> {
    let mut query = audit_log::Entity::find();
    if let Some(chains) = &q.chains {
        query = query.filter(audit_log::Column::Chain.is_in(chains.iter().map(String::as_str)));
    }
    if let Some(entity) = &q.entity {
        query = query.filter(audit_log::Column::Entity.eq(entity.as_str()));
    }
    if let Some(id) = &q.entity_id {
        query = query.filter(audit_log::Column::EntityId.eq(id.as_str()));
    }
    if let Some(actor) = &q.actor {
        query = query.filter(audit_log::Column::Actor.eq(actor.as_str()));
    }
    let rows = query
        .order_by_desc(audit_log::Column::Id)
        .limit(q.limit.clamp(1, 500))
        .offset(q.offset)
        .all(conn)
        .await?;
    Ok(rows.into_iter().map(AuditRow::from).collect())
}
