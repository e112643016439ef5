//! A fresh, isolated database per test, on either backend, so that tests run in parallel
//! and leave nothing behind.
//!
//! PostgreSQL: a new schema in the database named by `ANSINH_TEST_DATABASE_URL`
//! (default `postgres://postgres@127.0.0.1:5432/test`), dropped when the test ends.
//! SQLite: a file in a temporary directory, removed when the test ends.

#![allow(clippy::expect_used, clippy::panic)] // test support: failing loudly is the point

use ansinh_store::db::{Db, DbTarget};
use rand::Rng;
use std::path::PathBuf;

pub const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server used by tests.
pub fn pg_url() -> String {
    std::env::var("ANSINH_TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_PG_URL.to_string())
}

#[derive(Debug)]
pub struct TestDb {
    pub backend: Backend,
    /// How a second process (or a restarted app) reaches the same database.
    pub target: DbTarget,
    pub db: Db,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    Dir(#[allow(dead_code)] tempfile::TempDir),
    Schema { server: String, schema: String },
}

impl TestDb {
    /// A fresh, migrated database (no reference data).
    pub async fn new(backend: Backend) -> TestDb {
        let (target, cleanup) = fresh_target(backend).await;
        let db = Db::open(&target).await.expect("open test database");
        TestDb {
            backend,
            target,
            db,
            cleanup,
        }
    }

    /// The data directory of a SQLite test database.
    pub fn data_dir(&self) -> Option<PathBuf> {
        match &self.target {
            DbTarget::DataDir(dir) => Some(dir.clone()),
            DbTarget::Url(_) => None,
        }
    }
}

/// A target for a new empty database, and what removes it.
async fn fresh_target(backend: Backend) -> (DbTarget, Cleanup) {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temporary directory");
            (
                DbTarget::DataDir(dir.path().to_path_buf()),
                Cleanup::Dir(dir),
            )
        }
        Backend::Postgres => {
            let server = pg_url();
            let schema = format!("t_{:016x}", rand::rng().random::<u64>());
            let pool = sqlx::PgPool::connect(&server)
                .await
                .unwrap_or_else(|e| panic!("PostgreSQL at {server} is needed for tests: {e}"));
            // The schema name is generated here from hex digits, never from input.
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
                .execute(&pool)
                .await
                .expect("create test schema");
            pool.close().await;
            let sep = if server.contains('?') { '&' } else { '?' };
            let url = format!("{server}{sep}options=-c%20search_path%3D{schema}");
            (DbTarget::Url(url), Cleanup::Schema { server, schema })
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Cleanup::Schema { server, schema } = &self.cleanup {
            let (server, schema) = (server.clone(), schema.clone());
            // Drop may run inside a runtime: do the async clean-up on a thread of its own.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime for clean-up");
                runtime.block_on(async {
                    if let Ok(pool) = sqlx::PgPool::connect(&server).await {
                        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                            "DROP SCHEMA IF EXISTS {schema} CASCADE"
                        )))
                        .execute(&pool)
                        .await;
                        pool.close().await;
                    }
                });
            })
            .join();
        }
    }
}

/// Runs the same async test body on SQLite and on PostgreSQL:
///
/// ```ignore
/// db_test!(creates_a_person, |t| async move { /* t: TestDb */ });
/// ```
#[macro_export]
macro_rules! db_test {
    ($name:ident, |$t:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $t = $crate::TestDb::new($crate::Backend::Sqlite).await;
                $body.await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let $t = $crate::TestDb::new($crate::Backend::Postgres).await;
                $body.await
            }
        }
    };
}
