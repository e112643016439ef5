//! Storage of ansinh: one code path over SQLite (embedded default) and PostgreSQL.
//!
//! Repositories take any connection or transaction and return domain types. Every query
//! that returns people, households or counts takes a [`scope::Scope`] and filters in SQL.

pub mod accounts;
pub mod audit;
pub mod baseline;
pub mod benefits;
pub mod bulk;
pub mod db;
pub mod dossiers;
pub mod entity;
pub mod error;
pub mod jobs;
pub mod migration;
pub mod payroll;
mod pg_binary;
pub mod policy;
pub mod refdata;
pub mod registry;
pub mod scope;
mod sqlite_rows;
pub mod units;

pub use db::{Db, DbTarget};
pub use error::StoreError;
