//! Payroll computation of ansinh (chi trả trợ cấp hằng tháng). Pure: no I/O, no clock.
//!
//! - [`compute_run`] / [`RunContext::compute_unit`]: a month's payment lines per paying unit
//!   — monthly benefits from the policy engine, arrears and recoveries for earlier months,
//!   amounts carried over, decided one-off items — with idempotency keys ([`LineKey`]),
//!   explanations, totals by channel and a content hash of the inputs.
//! - [`diff()`]: who entered, left or changed amount between two runs, and why.
//! - [`results`]: the paying organisation's results (CSV/XLSX) checked row by row, then
//!   [`results::settle`]: the next ledger, carry-overs and suspension flags.
//! - [`export`]: payment lists (CSV with BOM, XLSX) in the layout the import reads back.
//! - [`reconcile`]: lists, results and transfers per commune and channel.
//! - [`budget`]: next month's and next year's cost by group, unit and funding source.
//!
//! See `docs/payroll.md` for keys, the hash's canonical form, layouts and rules.

pub mod budget;
pub mod diff;
pub mod export;
pub mod hash;
pub mod layout;
pub mod line;
pub mod model;
pub mod payment;
pub mod reconcile;
pub mod results;
pub mod run;

pub use diff::{Change, DiffEntry, DiffReason, RunDiff, diff};
pub use hash::{Digest, RunHasher, facts_digest};
pub use line::{Basis, Explanation, LineKey, LineKind, PaymentKey, PayrollLine, Reason, RuleInfo};
pub use model::{
    Entitlement, EntitlementStatus, Ledger, OneOff, OneOffId, OneOffKind, PayeeAccount,
    PayrollConfig, Reconciled, Unpaid,
};
pub use payment::{ChannelTotals, Payment, Totals, payments};
pub use results::{Outcome, settle, settle_unit};
pub use run::{
    Checked, EntitlementNote, Note, PayrollInput, ProvinceTotals, Run, RunContext, UnitRun, Worker,
    compute_run,
};
