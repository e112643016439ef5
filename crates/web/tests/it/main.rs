//! End-to-end tests of the HTTP layer: the real app on 127.0.0.1:0, a fresh database per
//! test, on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail loudly

mod api;
mod browser;
mod dossiers;
mod input;
mod payroll;
mod policy;
mod registry;
mod security;
mod support;
