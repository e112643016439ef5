//! Table mappings. Rows are converted to domain types by the repositories, never handed to
//! the layers above as-is.

pub mod api_token;
pub mod audit_head;
pub mod audit_log;
pub mod household;
pub mod household_poverty;
pub mod person;
pub mod session;
pub mod unit;
pub mod unit_succession;
pub mod user;
