//! Payroll: one run per paying commune and month, its lines, the results the paying
//! organisation reports, what is still owed per entitlement, and the funds transferred.
//!
//! `payroll_lines` has no foreign keys (it is written with COPY, millions of rows a month;
//! its run is written in the same transaction). Its unique index on the line key makes a
//! second payment of the same thing in the same month impossible, and the partial unique
//! index on one-off items makes a second payment of a funeral or emergency item impossible
//! in any month.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
CREATE TABLE payroll_runs (
    id {id},
    province_code TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    month INTEGER NOT NULL,
    status TEXT NOT NULL,
    catalogue TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    entitlements BIGINT NOT NULL,
    lines BIGINT NOT NULL,
    payments BIGINT NOT NULL,
    to_pay BIGINT NOT NULL,
    to_recover BIGINT NOT NULL,
    net BIGINT NOT NULL,
    totals_json TEXT NOT NULL,
    notes_json TEXT NOT NULL,
    rules_json TEXT NOT NULL,
    checks {blob} NOT NULL,
    job_id BIGINT,
    prepared_by BIGINT REFERENCES users(id),
    checked_by BIGINT REFERENCES users(id),
    checked_at {ts},
    sent_at {ts},
    results_at {ts},
    closed_at {ts},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    version INTEGER NOT NULL
);
CREATE UNIQUE INDEX payroll_runs_unit_month ON payroll_runs (unit_code, month);
CREATE INDEX payroll_runs_month ON payroll_runs (month, province_code);
CREATE TABLE payroll_lines (
    run_id BIGINT NOT NULL,
    province_code TEXT NOT NULL,
    month INTEGER NOT NULL,
    entitlement_id BIGINT NOT NULL,
    beneficiary_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    for_month INTEGER NOT NULL,
    benefit TEXT NOT NULL,
    payee TEXT NOT NULL,
    one_off_id BIGINT NOT NULL,
    channel TEXT NOT NULL,
    account TEXT,
    amount BIGINT NOT NULL,
    reason TEXT NOT NULL,
    policy_version TEXT,
    rule_id TEXT,
    coefficient INTEGER,
    multiplier INTEGER NOT NULL,
    base BIGINT,
    detail_json TEXT
);
CREATE UNIQUE INDEX payroll_lines_key ON payroll_lines
    (month, entitlement_id, kind, for_month, benefit, payee, one_off_id);
CREATE UNIQUE INDEX payroll_lines_one_off ON payroll_lines (one_off_id)
    WHERE one_off_id > 0 AND kind IN ('funeral', 'emergency');
CREATE INDEX payroll_lines_run ON payroll_lines (run_id);
CREATE TABLE payroll_results (
    id {id},
    run_id BIGINT NOT NULL REFERENCES payroll_runs(id),
    month INTEGER NOT NULL,
    entitlement_id BIGINT NOT NULL,
    payee TEXT NOT NULL,
    outcome TEXT NOT NULL,
    total BIGINT NOT NULL,
    row_number INTEGER NOT NULL,
    recorded_by BIGINT REFERENCES users(id),
    recorded_at {ts} NOT NULL
);
CREATE UNIQUE INDEX payroll_results_payment ON payroll_results (month, entitlement_id, payee);
CREATE INDEX payroll_results_run ON payroll_results (run_id);
CREATE TABLE payroll_ledgers (
    entitlement_id BIGINT NOT NULL,
    as_of INTEGER NOT NULL,
    unpaid_json TEXT NOT NULL,
    unpaid_months_json TEXT NOT NULL,
    PRIMARY KEY (entitlement_id, as_of)
);
CREATE TABLE payroll_transfers (
    id {id},
    province_code TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    month INTEGER NOT NULL,
    channel TEXT NOT NULL,
    amount BIGINT NOT NULL,
    reference TEXT NOT NULL,
    recorded_by BIGINT REFERENCES users(id),
    recorded_at {ts} NOT NULL
);
CREATE INDEX payroll_transfers_month ON payroll_transfers (month, unit_code);
"#;

const DOWN: &str = r#"
DROP TABLE payroll_transfers;
DROP TABLE payroll_ledgers;
DROP TABLE payroll_results;
DROP TABLE payroll_lines;
DROP TABLE payroll_runs;
"#;

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_script(manager, UP).await?;
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            // A run's checks are digests, which do not compress: kept as they are, the
            // server does not spend a month's run trying.
            manager
                .get_connection()
                .execute_unprepared(
                    "ALTER TABLE payroll_runs ALTER COLUMN checks SET STORAGE EXTERNAL",
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_script(manager, DOWN).await
    }
}
