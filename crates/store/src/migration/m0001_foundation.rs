//! Foundation: administrative units over time, users and sessions, the registry of households
//! and people, the audit chain.
//!
//! Large tables carry `province_code`, the distribution column if the database moves to Citus.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
CREATE TABLE units (
    id {id},
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    level TEXT NOT NULL,
    parent_id BIGINT REFERENCES units(id),
    list_id TEXT NOT NULL,
    valid_from DATE NOT NULL,
    valid_to DATE,
    UNIQUE (code, valid_from)
);
CREATE TABLE unit_successions (
    from_id BIGINT NOT NULL REFERENCES units(id),
    to_id BIGINT NOT NULL REFERENCES units(id),
    kind TEXT NOT NULL,
    effective DATE NOT NULL,
    PRIMARY KEY (from_id, to_id)
);
CREATE TABLE ethnicities (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL
);
CREATE TABLE users (
    id {id},
    username TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    active BOOLEAN NOT NULL,
    must_change_password BOOLEAN NOT NULL,
    lang TEXT NOT NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at {ts} NOT NULL,
    expires_at {ts} NOT NULL,
    last_seen_at {ts} NOT NULL,
    source TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE TABLE api_tokens (
    id {id},
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at {ts} NOT NULL,
    expires_at {ts},
    revoked_at {ts},
    last_used_at {ts}
);
CREATE TABLE login_failures (
    id {id},
    username TEXT NOT NULL,
    source TEXT NOT NULL,
    at {ts} NOT NULL
);
CREATE INDEX login_failures_user ON login_failures (username, at);
CREATE TABLE households (
    id {id},
    province_code TEXT NOT NULL,
    code TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    hamlet TEXT NOT NULL,
    address TEXT NOT NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    version INTEGER NOT NULL,
    UNIQUE (province_code, code)
);
CREATE INDEX households_unit ON households (unit_id);
CREATE TABLE household_poverty (
    household_id BIGINT NOT NULL REFERENCES households(id),
    year INTEGER NOT NULL,
    status TEXT NOT NULL,
    PRIMARY KEY (household_id, year)
);
CREATE TABLE persons (
    id {id},
    province_code TEXT NOT NULL,
    household_id BIGINT NOT NULL REFERENCES households(id),
    relation TEXT NOT NULL,
    full_name TEXT NOT NULL,
    name_folded {text_c} NOT NULL,
    given_folded {text_c} NOT NULL,
    name_sort {text_c} NOT NULL,
    sex TEXT NOT NULL,
    birth_date DATE NOT NULL,
    birth_precision TEXT NOT NULL,
    cccd TEXT UNIQUE,
    birth_cert_no TEXT,
    ethnicity_code TEXT NOT NULL REFERENCES ethnicities(code),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    hamlet TEXT NOT NULL,
    disability_level TEXT NOT NULL,
    disability_cert_date DATE,
    hiv_positive BOOLEAN NOT NULL,
    has_pension BOOLEAN NOT NULL,
    phone TEXT,
    payment_channel TEXT NOT NULL,
    bank_account TEXT,
    death_date DATE,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX persons_name ON persons (name_folded);
CREATE INDEX persons_given ON persons (given_folded);
CREATE INDEX persons_unit ON persons (unit_id, name_sort);
CREATE INDEX persons_sort ON persons (name_sort);
CREATE INDEX persons_household ON persons (household_id);
CREATE TABLE audit_heads (
    chain TEXT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TABLE audit_log (
    id {id},
    chain TEXT NOT NULL,
    seq BIGINT NOT NULL,
    at {ts} NOT NULL,
    actor_id BIGINT,
    actor TEXT NOT NULL,
    source TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (chain, seq)
);
CREATE INDEX audit_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_at ON audit_log (at);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"#;

const DOWN: &str = r#"
DROP TABLE settings;
DROP TABLE audit_log;
DROP TABLE audit_heads;
DROP TABLE persons;
DROP TABLE household_poverty;
DROP TABLE households;
DROP TABLE login_failures;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE ethnicities;
DROP TABLE unit_successions;
DROP TABLE units;
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
