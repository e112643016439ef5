#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Integration tests of ansinh-payroll: the acceptance scenarios, reproducibility, results
//! import, exports, reconciliation, differences and budget.

mod support;

mod files;
mod others;
mod properties;
mod scenarios;
