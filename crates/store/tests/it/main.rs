//! Store tests: every test runs on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail loudly

mod audit;
mod bulk;
mod dossiers;
mod jobs;
mod payroll;
mod registry;
mod units;

use chrono::{DateTime, NaiveDate, Utc};

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-28T09:30:00.123456789+07:00")
        .unwrap()
        .with_timezone(&Utc)
}
