//! Integration tests of ansinh-policy: one test binary, one module per area.
// Helpers outside #[test] functions may unwrap too: a failure here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

mod arrears;
mod benefits;
mod catalogue;
mod dates;
mod groups;
mod json;
mod problems;
mod properties;

mod smoke {
    use crate::support::*;

    #[test]
    fn builtin_catalogue_is_valid() {
        let c = catalogue();
        assert!(c.version_ids().contains(&"nd20-2021"));
    }
}
