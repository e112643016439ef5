//! Integration tests of ansinh-calendar (one test binary; one module per area).

// Test helpers outside `#[test]` functions may fail loudly too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod data_errors;
mod holidays;
mod lunar_props;
mod lunar_reference;
mod working_days;

use ansinh_calendar::Calendar;
use chrono::NaiveDate;

pub fn d(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

/// The built-in calendar, built once for all tests.
pub fn cal() -> &'static Calendar {
    ansinh_calendar::builtin().unwrap()
}
