//! Connecting to the database: embedded SQLite by default, PostgreSQL for production.
//! One code path above this module; the backend only matters for bulk paths and DDL details.

use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction,
    SqliteTransactionMode, SqlxPostgresConnector, SqlxSqliteConnector, TransactionOptions,
    TransactionTrait,
};
use sea_orm_migration::MigratorTrait;
use sqlx::ConnectOptions;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use crate::error::StoreError;
use crate::migration::Migrator;

/// Where the data lives.
#[derive(Clone, PartialEq, Eq)]
pub enum DbTarget {
    /// `ansinh.db` inside this directory, created on first start.
    DataDir(PathBuf),
    /// An explicit URL: `postgres://…` or `sqlite://path`. Never creates a database.
    Url(String),
}

impl std::fmt::Debug for DbTarget {
    /// URLs may carry passwords: show only the scheme and host part.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbTarget::DataDir(dir) => write!(f, "DataDir({})", dir.display()),
            DbTarget::Url(url) => write!(f, "Url({})", redact_url(url)),
        }
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let creds = &url[scheme_end + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl DbTarget {
    pub fn from_options(data_dir: Option<&Path>, url: Option<&str>) -> DbTarget {
        match (url, data_dir) {
            (Some(url), _) => DbTarget::Url(url.to_string()),
            (None, Some(dir)) => DbTarget::DataDir(dir.to_path_buf()),
            (None, None) => DbTarget::DataDir(PathBuf::from("ansinh-data")),
        }
    }
}

/// The database handle shared by the whole process.
#[derive(Debug, Clone)]
pub struct Db {
    conn: DatabaseConnection,
}

impl Db {
    /// Connects, refuses databases that are not ansinh's, and applies pending migrations.
    pub async fn open(target: &DbTarget) -> Result<Db, StoreError> {
        let db = Db::connect(target).await?;
        db.refuse_foreign_database().await?;
        Migrator::up(&db.conn, None).await?;
        Ok(db)
    }

    /// Connects without migrating (for `audit verify` and tools that must not change schema).
    pub async fn connect(target: &DbTarget) -> Result<Db, StoreError> {
        let conn = match target {
            DbTarget::DataDir(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| {
                    StoreError::Config(format!(
                        "cannot create data directory {}: {e}",
                        dir.display()
                    ))
                })?;
                connect_sqlite(&dir.join("ansinh.db"), true).await?
            }
            DbTarget::Url(url)
                if url.starts_with("postgres://") || url.starts_with("postgresql://") =>
            {
                connect_postgres(url).await?
            }
            DbTarget::Url(url) if url.starts_with("sqlite:") => {
                let path = url
                    .trim_start_matches("sqlite://")
                    .trim_start_matches("sqlite:");
                let path = path.split('?').next().unwrap_or(path);
                // An explicit URL names an existing database: a typo must not create a new one.
                if !Path::new(path).exists() {
                    return Err(StoreError::Config(format!(
                        "no SQLite database at {path}; use --data-dir to create a new one"
                    )));
                }
                connect_sqlite(Path::new(path), false).await?
            }
            DbTarget::Url(url) => {
                return Err(StoreError::Config(format!(
                    "unsupported database URL {}: use postgres://… or sqlite://…",
                    redact_url(url)
                )));
            }
        };
        Ok(Db { conn })
    }

    pub fn from_connection(conn: DatabaseConnection) -> Db {
        Db { conn }
    }

    pub fn conn(&self) -> &DatabaseConnection {
        &self.conn
    }

    pub fn backend(&self) -> DatabaseBackend {
        self.conn.get_database_backend()
    }

    pub fn is_postgres(&self) -> bool {
        self.backend() == DatabaseBackend::Postgres
    }

    /// A write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`):
    /// a deferred transaction that reads and then writes can fail when another writer got in
    /// between, which the busy timeout cannot wait out.
    pub async fn begin(&self) -> Result<DatabaseTransaction, StoreError> {
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        };
        Ok(self.conn.begin_with_options(options).await?)
    }

    /// `SELECT 1`: for health checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.conn.ping().await?;
        Ok(())
    }

    pub async fn close(self) -> Result<(), StoreError> {
        self.conn.close().await?;
        Ok(())
    }

    /// A database that has tables but no ansinh migration table is someone else's.
    async fn refuse_foreign_database(&self) -> Result<(), StoreError> {
        let sql = match self.backend() {
            DatabaseBackend::Postgres => {
                "SELECT CAST(COUNT(*) AS BIGINT) AS n, \
                 CAST(SUM(CASE WHEN table_name = 'seaql_migrations' THEN 1 ELSE 0 END) AS BIGINT) AS ours \
                 FROM information_schema.tables WHERE table_schema = current_schema()"
            }
            _ => {
                "SELECT COUNT(*) AS n, \
                 SUM(CASE WHEN name = 'seaql_migrations' THEN 1 ELSE 0 END) AS ours \
                 FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            }
        };
        let row = self
            .conn
            .query_one_raw(sea_orm::Statement::from_string(self.backend(), sql))
            .await?;
        if let Some(row) = row {
            let n: i64 = row.try_get("", "n")?;
            let ours: Option<i64> = row.try_get("", "ours")?;
            if n > 0 && ours.unwrap_or(0) == 0 {
                return Err(StoreError::Config(
                    "the database has tables but is not an ansinh database; refusing to use it"
                        .into(),
                ));
            }
        }
        Ok(())
    }
}

async fn connect_sqlite(path: &Path, create: bool) -> Result<DatabaseConnection, StoreError> {
    let options = SqliteConnectOptions::from_str("sqlite://")
        .map_err(|e| StoreError::Config(e.to_string()))?
        .filename(path)
        .create_if_missing(create)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(30))
        // 32 MiB of page cache per connection: index maintenance on large tables stays in
        // memory instead of re-reading pages.
        .pragma("cache_size", "-32768")
        .pragma("temp_store", "memory")
        // Bulk statements are megabytes long: never copy them into the log.
        .disable_statement_logging();
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .map_err(|e| {
            StoreError::Config(format!(
                "cannot open SQLite database {}: {e}",
                path.display()
            ))
        })?;
    Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
}

async fn connect_postgres(url: &str) -> Result<DatabaseConnection, StoreError> {
    let options = PgConnectOptions::from_str(url)
        .map_err(|e| {
            StoreError::Config(format!("invalid PostgreSQL URL {}: {e}", redact_url(url)))
        })?
        .disable_statement_logging();
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(30))
        .connect_with(options)
        .await
        .map_err(|e| {
            StoreError::Config(format!(
                "cannot connect to PostgreSQL at {}: {e}",
                redact_url(url)
            ))
        })?;
    Ok(SqlxPostgresConnector::from_sqlx_postgres_pool(pool))
}

/// Executes raw SQL on any connection or transaction (DDL helpers, maintenance).
pub async fn execute(conn: &impl ConnectionTrait, sql: &str) -> Result<(), StoreError> {
    conn.execute_unprepared(sql).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted_from_urls() {
        assert_eq!(
            redact_url("postgres://ansinh:s3cret@db.example/ansinh"),
            "postgres://ansinh:***@db.example/ansinh"
        );
        assert_eq!(
            redact_url("postgres://localhost/test"),
            "postgres://localhost/test"
        );
        assert!(!format!("{:?}", DbTarget::Url("postgres://a:b@c/d".into())).contains(":b@"));
    }
}

/// A raw statement with `$1, $2…` placeholders, rewritten to `?1, ?2…` for SQLite so that
/// each placeholder is bound by its number on both databases.
pub fn stmt(
    backend: DatabaseBackend,
    sql: &str,
    values: impl IntoIterator<Item = sea_orm::Value>,
) -> sea_orm::Statement {
    let sql = match backend {
        DatabaseBackend::Postgres => sql.to_string(),
        _ => numbered_to_question(sql),
    };
    sea_orm::Statement::from_sql_and_values(backend, sql, values)
}

fn numbered_to_question(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut in_string = false;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            in_string = !in_string;
        }
        if c == '$' && !in_string && chars.peek().is_some_and(|n| n.is_ascii_digit()) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod placeholder_tests {
    use super::numbered_to_question;

    #[test]
    fn rewrites_placeholders_outside_strings_only() {
        assert_eq!(
            numbered_to_question("SELECT '$1' , x FROM t WHERE a = $1 AND b = $12"),
            "SELECT '$1' , x FROM t WHERE a = ?1 AND b = ?12"
        );
    }
}
