//! What makes a month's run cheaper to read and to keep.
//!
//! On SQLite, a covering index holds every column a run reads of an entitlement, in paying
//! commune order: a commune's entitlements are read in one pass over adjacent pages instead
//! of a page fetch per entitlement (a commune's entitlement ids lie all over the table, as
//! ids are given when decisions are made). SQLite keeps long index entries in overflow pages.
//! PostgreSQL is not given it: an index entry there may not exceed a third of a page, and a
//! situation has no such bound.
//!
//! On PostgreSQL, a run's totals, notes and rules are compressed with LZ4 where the server
//! has it (pglz costs several times its CPU time for the same texts).

use sea_orm::{ConnectionTrait, DatabaseBackend};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE_UP: &str = "CREATE INDEX entitlements_payable ON entitlements \
    (unit_id, benefit, status, until_month, id, person_id, channel, account, payees_json, since_month, situation_json)";

/// The run's texts that the server compresses.
const RUN_TEXTS: [&str; 3] = ["totals_json", "notes_json", "rules_json"];

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        match conn.get_database_backend() {
            DatabaseBackend::Postgres => {
                let lz4 = conn
                    .query_one_raw(sea_orm::Statement::from_string(
                        DatabaseBackend::Postgres,
                        "SELECT 1 AS one FROM pg_settings \
                         WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)",
                    ))
                    .await?
                    .is_some();
                if lz4 {
                    for column in RUN_TEXTS {
                        conn.execute_unprepared(&format!(
                            "ALTER TABLE payroll_runs ALTER COLUMN {column} SET COMPRESSION lz4"
                        ))
                        .await?;
                    }
                }
            }
            _ => {
                conn.execute_unprepared(SQLITE_UP).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        match conn.get_database_backend() {
            DatabaseBackend::Postgres => {
                for column in RUN_TEXTS {
                    conn.execute_unprepared(&format!(
                        "ALTER TABLE payroll_runs ALTER COLUMN {column} SET COMPRESSION default"
                    ))
                    .await?;
                }
            }
            _ => {
                conn.execute_unprepared("DROP INDEX entitlements_payable")
                    .await?;
            }
        }
        Ok(())
    }
}
