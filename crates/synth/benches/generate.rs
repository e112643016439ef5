//! Throughput of the national generator: people per second on one core, for both profiles,
//! against a baseline measured in the same run (drawing the same number of random words
//! alone), so the figure can be read independently of the machine.
//!
//! Run with `cargo bench -p ansinh-synth`; `SYNTH_BENCH_N` sets the number of people.

// A benchmark reports on standard output.
#![allow(clippy::print_stdout)]

use std::hint::black_box;
use std::time::Instant;

use ansinh_domain::ids::UnitId;
use ansinh_synth::{CommuneRef, NationalConfig, Profile, people};
use chrono::NaiveDate;

const COMMUNES_2025: &str = include_str!("../../../data/units/communes_2025.csv");

fn communes() -> Vec<CommuneRef> {
    let reform = NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or(NaiveDate::MIN);
    COMMUNES_2025
        .lines()
        .skip(1)
        .enumerate()
        .filter_map(|(i, line)| {
            let cols: Vec<&str> = line.split(',').collect();
            Some(
                CommuneRef::new(UnitId(i as i64 + 1), *cols.first()?, reform, None)
                    .urban(cols.get(2) == Some(&"phường"))
                    .in_province(*cols.get(3)?),
            )
        })
        .collect()
}

fn main() {
    let n: u64 = std::env::var("SYNTH_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000_000);
    let communes = communes();
    let today = NaiveDate::from_ymd_opt(2026, 3, 16).unwrap_or(NaiveDate::MIN);
    println!(
        "national generator, {n} people over {} communes",
        communes.len()
    );

    // Baseline: hashing n × 32 words, roughly the random draws one person needs.
    let start = Instant::now();
    let mut x = 0u64;
    for i in 0..n * 32 {
        x = black_box(x.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ i);
    }
    black_box(x);
    let baseline = start.elapsed().as_secs_f64();

    for profile in [Profile::Population, Profile::Beneficiaries] {
        let config = NationalConfig {
            seed: 1,
            today,
            profile,
        };
        let start = Instant::now();
        let Ok(stream) = people(&config, &communes, n) else {
            println!("no communes");
            return;
        };
        let mut names = 0usize;
        for p in stream {
            names += p.full_name.len();
            black_box(&p);
        }
        black_box(names);
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{profile:?}: {:>10.0} people/s ({secs:.2} s; {:.1}× the 32-word baseline)",
            n as f64 / secs,
            secs / baseline.max(1e-9),
        );
    }
}
