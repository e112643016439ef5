//! The policy catalogue in the database: the built-in files as the program shipped them
//! (`builtin`, older texts `superseded`), and versions added as data, drafted by one user and
//! activated (or rejected) by another.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
CREATE TABLE policy_versions (
    id {id},
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    toml_text TEXT NOT NULL,
    status TEXT NOT NULL,
    -- NULL for the built-in catalogue files, recorded as the program found them.
    drafted_by BIGINT REFERENCES users(id),
    drafted_at {ts} NOT NULL,
    decided_by BIGINT REFERENCES users(id),
    decided_at {ts},
    note TEXT NOT NULL
);
CREATE INDEX policy_versions_status ON policy_versions (status, decided_at);
"#;

const DOWN: &str = "DROP TABLE policy_versions;\n";

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_script(manager, UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_script(manager, DOWN).await
    }
}
