//! Errors of the storage layer. Unique-constraint violations become field conflicts, so the
//! layers above can show them beside the field instead of failing with a 500.

use sea_orm::{DbErr, RuntimeErr};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("configuration: {0}")]
    Config(String),
    #[error("{entity} {id} not found")]
    NotFound { entity: &'static str, id: String },
    #[error("value already used: {constraint}")]
    Conflict { constraint: String },
    #[error("the record was changed by someone else; reload and try again")]
    Stale,
    #[error("reference data: {0}")]
    RefData(String),
    #[error("database: {0}")]
    Db(DbErr),
    #[error("database: {0}")]
    Sqlx(#[from] sqlx::Error),
}

impl From<DbErr> for StoreError {
    fn from(err: DbErr) -> StoreError {
        if let Some(constraint) = unique_violation(&err) {
            return StoreError::Conflict { constraint };
        }
        StoreError::Db(err)
    }
}

/// The name (or description) of the violated unique constraint, when `err` is one.
fn unique_violation(err: &DbErr) -> Option<String> {
    let runtime = match err {
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => e,
        _ => return None,
    };
    let db_err = runtime.as_database_error()?;
    if db_err.is_unique_violation() {
        // PostgreSQL names the constraint; SQLite only says "UNIQUE constraint failed: t.col".
        Some(
            db_err
                .constraint()
                .map(str::to_string)
                .unwrap_or_else(|| db_err.message().to_string()),
        )
    } else {
        None
    }
}

/// A unique violation from a raw (non-ORM) path, reported as the ORM path reports it.
pub(crate) fn raw_conflict(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(d) = &e
        && d.is_unique_violation()
    {
        return StoreError::Conflict {
            constraint: d
                .constraint()
                .map(str::to_string)
                .unwrap_or_else(|| d.message().to_string()),
        };
    }
    StoreError::Sqlx(e)
}

impl StoreError {
    pub fn not_found(entity: &'static str, id: impl ToString) -> StoreError {
        StoreError::NotFound {
            entity,
            id: id.to_string(),
        }
    }

    /// True when this is a unique violation mentioning `needle` (a column or index name).
    pub fn is_conflict_on(&self, needle: &str) -> bool {
        matches!(self, StoreError::Conflict { constraint } if constraint.contains(needle))
    }
}
