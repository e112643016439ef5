//! Benchmark (not a test): due dates and overdue flags of open dossiers.
//!
//! `cargo bench -p ansinh-workflow` — builds N open dossiers (default 100,000; `ANSINH_BENCH_N`)
//! at random steps of the three-tier and commune flows, some paused, some with a complaint, then
//! times, on one core and best of several runs:
//! - the baseline: reading each dossier's current step (start date and deadline) without the
//!   calendar;
//! - the due date and overdue flag of the current step (the "my tasks" page, escalation scan);
//! - the statutory due date of the whole dossier (timeliness).
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use ansinh_domain::access::Role;
use ansinh_workflow::{Action, Actor, Channel, Dossier, Engine, Intake, dossier_code};
use chrono::{Datelike, Days, NaiveDate};
use std::hint::black_box;
use std::time::{Duration, Instant};

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

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..runs {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed());
        out = Some(r);
    }
    (best, out.unwrap())
}

fn main() {
    let n: usize = std::env::var("ANSINH_BENCH_N")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let catalogue = ansinh_workflow::builtin().unwrap();
    let cal = ansinh_calendar::builtin().unwrap();
    let engine = Engine::new(catalogue, cal);
    let officer = Actor::new(Role::CommuneOfficer, 1);
    let chairman = Actor::new(Role::CommuneChairman, 2);
    let district = Actor::new(Role::DistrictOfficer, 3);

    // Build the dossiers with the engine itself.
    let t = Instant::now();
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let start = NaiveDate::from_ymd_opt(2023, 1, 2).unwrap();
    let mut dossiers: Vec<Dossier> = Vec::with_capacity(n);
    while dossiers.len() < n {
        // Receipts over 2023 – mid-2025 (three-tier), or July–December 2025 (commune).
        let commune = rng.below(4) == 0;
        let received = if commune {
            NaiveDate::from_ymd_opt(2025, 7, 1).unwrap() + Days::new(rng.below(150))
        } else {
            start + Days::new(rng.below(900))
        };
        let kind = ["1a", "1b", "1c", "1d", "1dd"][rng.below(5) as usize];
        let documents = engine
            .checklist(kind, received, &[])
            .unwrap()
            .iter()
            .map(|r| r.code.clone())
            .collect();
        let intake = Intake {
            code: dossier_code("29278", received, dossiers.len() as u32),
            application_type: kind.into(),
            unit: format!("{:05}", 29000 + rng.below(124)),
            channel: Channel::InPerson,
            documents,
            conditions: Vec::new(),
        };
        let mut d = engine.receive(&intake, &officer, received).unwrap().dossier;
        let mut date = received;
        let steps = rng.below(4);
        for _ in 0..steps {
            date = cal.add_working_days(date, 1 + rng.below(6) as i64).unwrap();
            let code = d.current().unwrap().code.clone();
            let (outcome, who) = match code.as_str() {
                "commune_review" => ("pass", officer),
                "public_posting" => {
                    date = cal.add_working_days(date, 2).unwrap();
                    ("done", officer)
                }
                "commune_proposal" => ("propose", chairman),
                "district_appraisal" => ("approve", district),
                _ => break,
            };
            let action = Action::Complete {
                step: code,
                outcome: outcome.into(),
                reasons: Vec::new(),
            };
            match engine.apply(&d, &action, &who, date) {
                Ok(a) => d = a.dossier,
                Err(_) => break, // e.g. a pending handover in July 2025
            }
        }
        if rng.below(10) == 0 {
            let pause = Action::Pause {
                reason: "thiếu giấy tờ".into(),
            };
            let who = if d.current().unwrap().code.starts_with("district") {
                district
            } else {
                officer
            };
            if let Ok(a) = engine.apply(&d, &pause, &who, date) {
                d = a.dossier;
            }
        }
        dossiers.push(d);
    }
    let built = t.elapsed();
    let at = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();

    let runs = 7;
    let (baseline, check) = best_of(runs, || {
        let mut acc: u64 = 0;
        for d in &dossiers {
            if let Some(rec) = d.current() {
                acc = acc
                    .wrapping_add(rec.started.num_days_from_ce() as u64)
                    .wrapping_add(u64::from(rec.deadline.unwrap_or(0)))
                    .wrapping_add(u64::from(rec.paused_days));
            }
        }
        black_box(acc)
    });
    let (due, overdue) = best_of(runs, || {
        let mut overdue = 0usize;
        for d in &dossiers {
            let due = d.step_due(cal, at).unwrap();
            if !d.is_paused() && due.is_some_and(|x| at > x) {
                overdue += 1;
            }
            black_box(due);
        }
        overdue
    });
    let (statutory, late) = best_of(runs, || {
        let mut late = 0usize;
        for d in &dossiers {
            if d.statutory_due(cal, at).unwrap() < at {
                late += 1;
            }
        }
        late
    });

    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let ratio = |d: Duration| d.as_secs_f64() / baseline.as_secs_f64().max(1e-9);
    println!(
        "ansinh-workflow clocks, {n} open dossiers (built with the engine in {:.0} ms)",
        ms(built)
    );
    println!(
        "  baseline (read the current step, no calendar): {:>8.2} ms",
        ms(baseline)
    );
    println!(
        "  due date + overdue flag of the current step:    {:>8.2} ms  ({:.1}× baseline, {:.0} ns/dossier; {overdue} overdue on {at})",
        ms(due),
        ratio(due),
        due.as_secs_f64() * 1e9 / n as f64
    );
    println!(
        "  statutory due date of the dossier:              {:>8.2} ms  ({:.1}× baseline, {:.0} ns/dossier; {late} past it)",
        ms(statutory),
        ratio(statutory),
        statutory.as_secs_f64() * 1e9 / n as f64
    );
    black_box(check);
}
