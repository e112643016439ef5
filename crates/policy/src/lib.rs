//! The policy engine of ansinh: social-assistance law as data, and a pure evaluator over it.
//!
//! - [`Catalogue`]: the policy catalogue (danh mục chính sách) — base levels, beneficiary
//!   groups, coefficients, caregiving, one-off and emergency items, each with its citation and
//!   confidence label — parsed from TOML fragments (`data/policy/`), layered (built-in +
//!   added versions + provincial overlays) and validated with every problem listed.
//! - [`MonthRules`]: the catalogue compiled for one month (active version and bases resolved
//!   once), which evaluates a [`Situation`] without heap allocation on the hot path.
//! - [`Evaluation`] → [`Report`]: every amount explains itself (version, group, sub-case,
//!   coefficient, base, citation, confidence, a sentence in Vietnamese or English).
//! - [`arrears`]: what is owed month by month given what was actually paid (truy lĩnh, thu hồi).
//! - [`evaluate_json`]: the documented JSON form (`docs/entitlement-json.md`).
//!
//! Pure: no I/O, no clock, no async. Money is whole đồng ([`Money`]); months are [`Month`].

pub mod arrears;
pub mod catalogue;
mod check;
pub mod citation;
mod compile;
mod condition;
pub mod engine;
pub mod facts;
pub mod input;
pub mod problem;
pub mod report;

pub use ansinh_domain::{BirthDate, Money, Month};
pub use arrears::{ArrearsLine, ArrearsReason, ArrearsReport, PaidLine, arrears};
pub use catalogue::{Catalogue, CatalogueBuilder, Fragment};
pub use citation::{Citation, Confidence};
pub use compile::{AmountKind, FundedBy, MonthRules, PayeeKind};
pub use engine::{Evaluation, Line, Section, Status};
pub use facts::Situation;
pub use input::{EvaluateOptions, evaluate_json, parse_situation};
pub use problem::Problem;
pub use report::{Lang, Report};
