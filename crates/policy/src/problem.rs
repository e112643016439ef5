//! Problems: facts the engine cannot decide on, and catalogue entries that do not hold
//! together. Each carries a stable code (also a translation key), a field path and a message.
//! A document with problems never yields an amount — not even zero.

use serde::{Deserialize, Serialize};
use std::fmt;

/// One problem with a document (a situation or a catalogue fragment).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Problem {
    /// Stable machine code, kebab-case, e.g. `birth-after-month` (see [`codes`]).
    pub code: String,
    /// Where: a JSON path such as `person.birth_date` or `children[1].birth_date`, or a
    /// catalogue path such as `nd20-2021.toml: version[nd20-2021].rule[k6-adult-severe]`.
    pub path: String,
    /// A plain English sentence for logs and developers; the UI translates by `code`.
    pub message: String,
}

impl Problem {
    pub fn new(code: &str, path: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            code: code.to_string(),
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}: {}", self.code, self.path, self.message)
    }
}

/// The stable problem codes.
pub mod codes {
    // Situation documents.
    pub const INVALID_JSON: &str = "invalid-json";
    pub const MISSING_FIELD: &str = "missing-field";
    pub const INVALID_VALUE: &str = "invalid-value";
    pub const UNKNOWN_FIELD: &str = "unknown-field";
    pub const UNKNOWN_FLAG: &str = "unknown-flag";
    pub const UNKNOWN_GROUP: &str = "unknown-group";
    pub const BIRTH_AFTER_MONTH: &str = "birth-after-month";
    pub const DEATH_BEFORE_BIRTH: &str = "death-before-birth";
    pub const DATE_BEFORE_BIRTH: &str = "date-before-birth";
    pub const EXCLUSIVE_FLAGS: &str = "exclusive-flags";
    pub const IMPOSSIBLE_FACT: &str = "impossible-fact";
    pub const MOVES_OUT_OF_ORDER: &str = "moves-out-of-order";
    pub const MISSING_CERTIFICATE_MONTH: &str = "missing-certificate-month";
    pub const MISSING_PENSION_AMOUNT: &str = "missing-pension-amount";
    pub const AMOUNT_OVERFLOW: &str = "amount-overflow";
    // Catalogue.
    pub const CATALOGUE_SYNTAX: &str = "catalogue-syntax";
    pub const DUPLICATE_ID: &str = "duplicate-id";
    pub const UNKNOWN_VERSION: &str = "unknown-version";
    pub const EXTENDS_CYCLE: &str = "extends-cycle";
    pub const UNKNOWN_NAME: &str = "unknown-name";
    pub const INVALID_RULE: &str = "invalid-rule";
    pub const CONDITION_NOT_ALLOWED: &str = "condition-not-allowed-here";
    pub const NO_POLICY_VERSION: &str = "no-policy-version";
    pub const NO_BASE_LEVEL: &str = "no-base-level";
    pub const OVERLAY_BELOW_NATIONAL: &str = "overlay-below-national";
    pub const TOO_MANY: &str = "too-many";
}
