//! Core value types of ansinh. Pure: no I/O, no clock, no async.
//!
//! Everything here is parsed at the boundary ("parse, don't validate"): a value of these
//! types is valid by construction.

pub mod access;
pub mod birth;
pub mod cccd;
pub mod fold;
pub mod ids;
pub mod money;
pub mod month;
pub mod person;
pub mod registry;
pub mod text;
pub mod unit;
pub mod units;

pub use birth::BirthDate;
pub use cccd::Cccd;
pub use money::Money;
pub use month::Month;
pub use unit::UnitCode;
