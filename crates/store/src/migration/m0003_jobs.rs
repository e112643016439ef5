//! Background jobs: long work (payroll runs, imports, exports) as rows claimed by a worker,
//! with progress and heartbeats, so that a restart resumes or restarts them cleanly.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
CREATE TABLE jobs (
    id {id},
    kind TEXT NOT NULL,
    params_json TEXT NOT NULL,
    status TEXT NOT NULL,
    progress_done BIGINT NOT NULL,
    progress_total BIGINT NOT NULL,
    message TEXT NOT NULL,
    claimed_by TEXT,
    heartbeat_at {ts},
    attempts INTEGER NOT NULL,
    created_by BIGINT REFERENCES users(id),
    scope_province TEXT,
    created_at {ts} NOT NULL,
    started_at {ts},
    finished_at {ts},
    result_json TEXT,
    error TEXT
);
CREATE INDEX jobs_status ON jobs (status, id);
"#;

const DOWN: &str = "DROP TABLE jobs;\n";

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_script(manager, UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_script(manager, DOWN).await
    }
}
