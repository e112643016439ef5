//! Benchmark (not a test): evaluate synthetic situations for one month on one core.
//!
//! `cargo bench -p ansinh-policy` — prints situations per second, with a baseline measured
//! in the same run (merely reading each situation's facts), and the cost of explaining.
//! `ANSINH_BENCH_N` sets the number of situations (default 1,000,000).
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use ansinh_domain::person::{DisabilityLevel, PovertyStatus};
use ansinh_policy::facts::*;
use ansinh_policy::{BirthDate, Catalogue, Evaluation, Lang, Month, Report, Situation};
use chrono::NaiveDate;
use std::hint::black_box;
use std::time::Instant;

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn date(rng: &mut Rng, from_year: i32, years: u64) -> NaiveDate {
    let year = from_year + rng.below(years) as i32;
    let month = 1 + rng.below(12) as u32;
    let day = 1 + rng.below(28) as u32;
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

fn synthetic(rng: &mut Rng) -> Situation {
    let profile = rng.below(10);
    let birth = match profile {
        0..=1 => date(rng, 2010, 15), // children
        2..=5 => date(rng, 1930, 40), // elderly
        _ => date(rng, 1960, 45),     // adults
    };
    let mut s = Situation::of_person(BirthDate::Full(birth));
    s.province = Some(if rng.below(4) == 0 { "01" } else { "86" }.to_string());
    s.household.poverty = match rng.below(3) {
        0 => PovertyStatus::Poor,
        1 => PovertyStatus::NearPoor,
        _ => PovertyStatus::None,
    };
    if rng.below(3) == 0 {
        s.person.disability = if rng.below(2) == 0 {
            DisabilityLevel::Severe
        } else {
            DisabilityLevel::EspeciallySevere
        };
        s.person.certificate_month = Some(Month::of(date(rng, 2015, 10)).max(Month::of(birth)));
    }
    if profile <= 1 && rng.below(2) == 0 {
        s.person.k1_case = Some(K1Case::ALL[rng.below(K1Case::ALL.len() as u64) as usize]);
    }
    for flag in [
        Flag::HasSupporter,
        Flag::Hiv,
        Flag::Studying,
        Flag::SocialPensionRequested,
    ] {
        if rng.below(5) == 0 {
            s.person.flags.insert(flag);
        }
    }
    if rng.below(6) == 0 {
        s.household
            .flags
            .insert(Flag::EthnicMinorityExtremelyDifficultArea);
    }
    if profile >= 6 && rng.below(3) == 0 {
        s.person.marital_status = Some(MaritalStatus::Widowed);
        for _ in 0..=rng.below(3) {
            s.children.push(Child {
                birth_date: BirthDate::Full(date(rng, 2006, 19)),
                studying: rng.below(2) == 0,
                death_date: None,
            });
        }
    }
    if rng.below(20) == 0 {
        s.care = Some(Care {
            arrangement: CareArrangement::Foster,
            carer_id: None,
        });
    }
    if rng.below(50) == 0 {
        s.person.death_date = Some(date(rng, 2024, 2));
    }
    s
}

fn main() {
    let n: usize = std::env::var("ANSINH_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let month: Month = "2025-09".parse().unwrap();

    let t = Instant::now();
    let catalogue = Catalogue::builtin().unwrap();
    let load = t.elapsed();
    let t = Instant::now();
    let rules = catalogue.for_month(month).unwrap();
    let compile = t.elapsed();

    let t = Instant::now();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let situations: Vec<Situation> = (0..n).map(|_| synthetic(&mut rng)).collect();
    let construct = t.elapsed();

    // Baseline: read each situation's facts once, as evaluation must at least do.
    let t = Instant::now();
    let mut checksum = 0u64;
    for s in &situations {
        let s = black_box(s);
        checksum = checksum
            .wrapping_add(s.person.birth_date.year() as u64)
            .wrapping_add(s.children.len() as u64)
            .wrapping_add(u64::from(s.all_flags().0));
    }
    black_box(checksum);
    let baseline = t.elapsed();

    let mut evaluation = Evaluation::new();
    let mut total: i64 = 0;
    let mut problems = 0usize;
    let mut paid = 0usize;
    let t = Instant::now();
    for s in &situations {
        match rules.evaluate_into(black_box(s), &mut evaluation) {
            Ok(()) => {
                let m = evaluation.monthly_total().as_i64();
                if m > 0 {
                    paid += 1;
                }
                total += m;
            }
            Err(_) => problems += 1,
        }
    }
    black_box(total);
    let evaluate = t.elapsed();

    let sample = n.min(10_000);
    let t = Instant::now();
    let mut chars = 0usize;
    for s in &situations[..sample] {
        if let Ok(e) = rules.evaluate(s) {
            let report = Report::build(&rules, s, &e, Lang::Vi);
            chars += serde_json::to_string(&report).unwrap().len();
        }
    }
    black_box(chars);
    let explain = t.elapsed();

    let per_second = |count: usize, d: std::time::Duration| count as f64 / d.as_secs_f64();
    println!("ansinh-policy evaluate benchmark — month {month}, one core, {n} situations");
    println!(
        "  load built-in catalogue     {:>10.3} ms",
        load.as_secs_f64() * 1e3
    );
    println!(
        "  compile month rules         {:>10.3} ms",
        compile.as_secs_f64() * 1e3
    );
    println!(
        "  construct situations        {:>10.3} ms",
        construct.as_secs_f64() * 1e3
    );
    println!(
        "  baseline (read facts)       {:>10.3} ms  {:>14.0} situations/s",
        baseline.as_secs_f64() * 1e3,
        per_second(n, baseline)
    );
    println!(
        "  evaluate                    {:>10.3} ms  {:>14.0} situations/s  {:>7.1} ns/situation",
        evaluate.as_secs_f64() * 1e3,
        per_second(n, evaluate),
        evaluate.as_secs_f64() * 1e9 / n as f64
    );
    println!(
        "  ratio evaluate / baseline   {:>10.1}×",
        evaluate.as_secs_f64() / baseline.as_secs_f64()
    );
    println!(
        "  evaluate + explain + JSON   {:>10.3} ms  {:>14.0} situations/s  (sample of {sample})",
        explain.as_secs_f64() * 1e3,
        per_second(sample, explain)
    );
    println!(
        "  paid {paid}, with problems {problems}, monthly total {} đ",
        ansinh_domain::money::group_thousands(total)
    );
}
