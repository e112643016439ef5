//! The queue date of a dossier: the due date of its current step, or the far future when it
//! has none (paused, closed). Lists are ordered by it, so the first page of a wide list (a
//! province's overdue dossiers) is read in index order and stops after a page, instead of
//! sorting every open dossier; a commune's lists use (unit_id, status, queue_on), which also
//! carries the task roles and the definition so that the task filters read no table rows
//! (a row carries the workflow state as JSON, kilobytes each).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
ALTER TABLE dossiers ADD COLUMN queue_on DATE NOT NULL DEFAULT '9999-12-31';
UPDATE dossiers SET queue_on = due_on WHERE due_on IS NOT NULL;
DROP INDEX dossiers_due;
DROP INDEX dossiers_unit;
CREATE INDEX dossiers_queue ON dossiers (status, queue_on, id);
CREATE INDEX dossiers_queue_unit ON dossiers (unit_id, status, queue_on, task_roles, definition);
"#;

const DOWN: &str = r#"
DROP INDEX dossiers_queue;
DROP INDEX dossiers_queue_unit;
CREATE INDEX dossiers_due ON dossiers (province_code, status, due_on);
CREATE INDEX dossiers_unit ON dossiers (unit_id, status, due_on);
ALTER TABLE dossiers DROP COLUMN queue_on;
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
