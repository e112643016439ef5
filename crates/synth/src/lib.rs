//! Synthetic data for ansinh — pure and deterministic: the same seed gives the same data on
//! every machine and version (ChaCha8, no clock, no I/O; `today` is a parameter).
//!
//! * [`demo_province`]: about 45,000 people in households (hộ gia đình) across the communes
//!   of old Trà Vinh — Kinh, Khmer (Khơ-me) and Hoa names, families with consistent ages and
//!   relations, CCCD numbers, poverty lists by year, disability, payment channels — placed in
//!   the commune version valid when each household was registered, before or after the
//!   2025 reform. Every member is a validated [`PersonDraft`](ansinh_domain::registry::PersonDraft).
//! * [`demo_users`]: one suggested demo account per role.
//! * [`people`]: a streaming national generator (millions of people per second) with a
//!   population profile and a beneficiary profile (the mix of the monthly social allowance
//!   caseload, with the facts the policy engine reads).
//!
//! All figures are plausible, not official; see `rates.rs`. Name and place lists were written
//! for this crate.

mod commune;
mod demo;
mod idnum;
mod names;
mod names_data;
mod national;
mod places_data;
mod rates;
mod rng;
mod users;

use chrono::NaiveDate;

pub use commune::CommuneRef;
pub use demo::{DemoConfig, SynthHousehold, demo_province};
pub use idnum::{AccountNumber, BirthCertNo, CccdNumber, Phone};
pub use names::Ethnicity;
pub use national::{
    BeneficiaryGroup, Facts, NationalConfig, OrphanCase, People, Profile, SynthPerson, people,
};
pub use users::{DemoScope, DemoUser, demo_users};

/// Why a data set cannot be generated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SynthError {
    #[error("no commune is valid between {from} and {to}")]
    NoCommunes { from: NaiveDate, to: NaiveDate },
    #[error("the registration period is empty: {from} is after {to}")]
    EmptyPeriod { from: NaiveDate, to: NaiveDate },
    #[error("no communes were given")]
    NoCommunesGiven,
}
