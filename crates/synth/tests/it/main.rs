//! Integration tests of ansinh-synth: one binary, one module per area.
// Helpers outside #[test] functions may unwrap too: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod demo;
mod fixture;
mod national;
mod stability;
