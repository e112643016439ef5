//! Dossiers on their workflow clocks, attachments, decisions, entitlements and the
//! sequences that number dossiers and decisions.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
CREATE TABLE counters (
    scope TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
CREATE TABLE dossiers (
    id {id},
    province_code TEXT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    application_type TEXT NOT NULL,
    family TEXT NOT NULL,
    benefit TEXT NOT NULL,
    person_id BIGINT NOT NULL REFERENCES persons(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    channel TEXT NOT NULL,
    received_on DATE NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT,
    definition TEXT NOT NULL,
    current_step TEXT,
    current_kind TEXT,
    task_roles TEXT NOT NULL,
    due_on DATE,
    statutory_due_on DATE,
    closed_on DATE,
    decided_on_time BOOLEAN,
    requested_group TEXT NOT NULL,
    proposal_json TEXT NOT NULL,
    state_json TEXT NOT NULL,
    received_by BIGINT NOT NULL REFERENCES users(id),
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX dossiers_due ON dossiers (province_code, status, due_on);
CREATE INDEX dossiers_unit ON dossiers (unit_id, status, due_on);
CREATE INDEX dossiers_person ON dossiers (person_id);
CREATE TABLE dossier_events (
    id {id},
    province_code TEXT NOT NULL,
    dossier_id BIGINT NOT NULL REFERENCES dossiers(id),
    on_date DATE NOT NULL,
    recorded_at {ts} NOT NULL,
    actor_id BIGINT NOT NULL REFERENCES users(id),
    actor_role TEXT NOT NULL,
    kind TEXT NOT NULL,
    step TEXT,
    event_json TEXT NOT NULL
);
CREATE INDEX dossier_events_dossier ON dossier_events (dossier_id, id);
CREATE TABLE attachments (
    id {id},
    province_code TEXT NOT NULL,
    dossier_id BIGINT NOT NULL REFERENCES dossiers(id),
    document_code TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data {blob} NOT NULL,
    uploaded_by BIGINT NOT NULL REFERENCES users(id),
    uploaded_at {ts} NOT NULL
);
CREATE INDEX attachments_dossier ON attachments (dossier_id);
CREATE TABLE decisions (
    id {id},
    province_code TEXT NOT NULL,
    issuing_unit_id BIGINT NOT NULL REFERENCES units(id),
    year INTEGER NOT NULL,
    seq BIGINT NOT NULL,
    number TEXT NOT NULL,
    authority TEXT NOT NULL,
    kind TEXT NOT NULL,
    benefit TEXT NOT NULL,
    dossier_id BIGINT REFERENCES dossiers(id),
    person_id BIGINT NOT NULL REFERENCES persons(id),
    signed_on DATE NOT NULL,
    effective_month INTEGER NOT NULL,
    prepared_by BIGINT NOT NULL REFERENCES users(id),
    approved_by BIGINT NOT NULL REFERENCES users(id),
    reason_codes TEXT NOT NULL,
    reasons TEXT NOT NULL,
    body_json TEXT NOT NULL,
    created_at {ts} NOT NULL,
    UNIQUE (issuing_unit_id, year, seq)
);
CREATE INDEX decisions_person ON decisions (person_id);
CREATE TABLE entitlements (
    id {id},
    province_code TEXT NOT NULL,
    person_id BIGINT NOT NULL REFERENCES persons(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    benefit TEXT NOT NULL,
    status TEXT NOT NULL,
    channel TEXT NOT NULL,
    account TEXT,
    payees_json TEXT NOT NULL,
    since_month INTEGER,
    until_month INTEGER,
    situation_json TEXT NOT NULL,
    decision_id BIGINT REFERENCES decisions(id),
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX entitlements_unit ON entitlements (unit_id, status);
CREATE INDEX entitlements_person ON entitlements (person_id);
CREATE INDEX entitlements_province ON entitlements (province_code, status);
CREATE TABLE one_offs (
    id {id},
    province_code TEXT NOT NULL,
    entitlement_id BIGINT NOT NULL REFERENCES entitlements(id),
    person_id BIGINT NOT NULL REFERENCES persons(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    kind TEXT NOT NULL,
    for_month INTEGER NOT NULL,
    decided_month INTEGER NOT NULL,
    amount BIGINT NOT NULL,
    payee TEXT NOT NULL,
    channel TEXT NOT NULL,
    account TEXT,
    citation TEXT NOT NULL,
    listed_in INTEGER,
    decision_id BIGINT REFERENCES decisions(id)
);
CREATE INDEX one_offs_unit ON one_offs (unit_id, decided_month);
CREATE TABLE decision_drafts (
    id {id},
    province_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    benefit TEXT NOT NULL,
    family TEXT NOT NULL,
    person_id BIGINT NOT NULL REFERENCES persons(id),
    entitlement_id BIGINT REFERENCES entitlements(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    effective_month INTEGER NOT NULL,
    reason_codes TEXT NOT NULL,
    reasons TEXT NOT NULL,
    payload_json TEXT NOT NULL,
    status TEXT NOT NULL,
    prepared_by BIGINT NOT NULL REFERENCES users(id),
    prepared_at {ts} NOT NULL,
    decided_by BIGINT REFERENCES users(id),
    decided_at {ts},
    decision_id BIGINT REFERENCES decisions(id),
    note TEXT NOT NULL
);
CREATE INDEX decision_drafts_status ON decision_drafts (province_code, status);
"#;

const DOWN: &str = r#"
DROP TABLE decision_drafts;
DROP TABLE one_offs;
DROP TABLE entitlements;
DROP TABLE decisions;
DROP TABLE attachments;
DROP TABLE dossier_events;
DROP TABLE dossiers;
DROP TABLE counters;
"#;

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_script(manager, UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_script(manager, DOWN).await
    }
}
