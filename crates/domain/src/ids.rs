//! Typed identifiers, so that a person's id cannot be passed where a household's is expected.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

id_type!(
    /// A person in the registry.
    PersonId
);
id_type!(
    /// A household (hộ gia đình).
    HouseholdId
);
id_type!(
    /// One version of an administrative unit (a code valid over a period).
    UnitId
);
id_type!(
    /// A user account.
    UserId
);
id_type!(
    /// An application dossier (hồ sơ).
    DossierId
);
id_type!(
    /// A decision (quyết định).
    DecisionId
);
id_type!(
    /// An entitlement (a benefit granted by a decision).
    EntitlementId
);
id_type!(
    /// A payroll run.
    PayrollRunId
);
