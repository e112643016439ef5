//! Arrears and recovery month by month (truy lĩnh, thu hồi).

use crate::support::*;
use ansinh_domain::person::DisabilityLevel::EspeciallySevere;
use ansinh_domain::person::PovertyStatus::{self, Poor};
use ansinh_policy::facts::Flag;
use ansinh_policy::{ArrearsReason, Money, PaidLine, PayeeKind, Section, arrears};
use chrono::NaiveDate;

fn paid(months: &[(&str, i64)]) -> Vec<PaidLine> {
    months
        .iter()
        .map(|(m, amount)| PaidLine {
            month: month(m),
            kind: Section::Allowance,
            payee: PayeeKind::SelfPerson,
            amount: Money(*amount),
        })
        .collect()
}

#[test]
fn a_base_decreed_on_the_day_it_took_effect() {
    // 76/2024 was signed on 01/07/2024: July's list was drawn up at 360.000.
    let c = catalogue();
    let s = person("1950-01-01", Poor);
    let history = paid(&[
        ("2024-06", 540_000),
        ("2024-07", 540_000),
        ("2024-08", 750_000),
    ]);
    let r = arrears(&c, &s, month("2024-06"), month("2024-08"), &history).unwrap();
    assert_eq!(r.lines.len(), 1);
    let line = &r.lines[0];
    assert_eq!(line.month, month("2024-07"));
    assert_eq!(line.difference, Money(210_000));
    assert_eq!(line.reason, ArrearsReason::BaseDecreedLate);
    assert_eq!(r.owed, Money(210_000));
}

#[test]
fn a_start_before_the_decision_certificate_month() {
    let c = catalogue();
    let mut s = disabled(
        person("1990-01-01", PovertyStatus::None),
        EspeciallySevere,
        "2025-02",
    );
    s.decisions.allowance = Some(month("2025-05"));
    let history = paid(&[("2025-05", 1_000_000)]);
    let r = arrears(&c, &s, month("2025-01"), month("2025-05"), &history).unwrap();
    let months: Vec<(String, i64, ArrearsReason)> = r
        .lines
        .iter()
        .map(|l| (l.month.to_string(), l.difference.as_i64(), l.reason))
        .collect();
    assert_eq!(
        months,
        vec![
            (
                "2025-02".into(),
                1_000_000,
                ArrearsReason::StartBeforeDecision
            ),
            (
                "2025-03".into(),
                1_000_000,
                ArrearsReason::StartBeforeDecision
            ),
            (
                "2025-04".into(),
                1_000_000,
                ArrearsReason::StartBeforeDecision
            ),
        ]
    );
    assert_eq!(r.owed, Money(3_000_000));
}

#[test]
fn a_start_at_the_80th_birthday() {
    let c = catalogue();
    let mut s = with_flags(
        person("1943-03-15", PovertyStatus::None),
        &[Flag::HasSupporter],
    );
    s.decisions.allowance = Some(month("2023-06"));
    let history = paid(&[("2023-06", 360_000)]);
    let r = arrears(&c, &s, month("2023-01"), month("2023-06"), &history).unwrap();
    assert_eq!(r.owed, Money(3 * 360_000), "March, April, May");
    assert!(
        r.lines
            .iter()
            .all(|l| l.reason == ArrearsReason::StartBeforeDecision)
    );
}

#[test]
fn a_death_reported_late_is_recovered() {
    let c = catalogue();
    let mut s = person("1950-01-01", Poor);
    s.person.death_date = NaiveDate::from_ymd_opt(2025, 2, 14);
    let history = paid(&[
        ("2025-01", 750_000),
        ("2025-02", 750_000),
        ("2025-03", 750_000),
        ("2025-04", 750_000),
    ]);
    let r = arrears(&c, &s, month("2025-01"), month("2025-04"), &history).unwrap();
    let recovery: Vec<_> = r
        .lines
        .iter()
        .filter(|l| l.kind == Section::Allowance)
        .map(|l| (l.month.to_string(), l.difference.as_i64(), l.reason))
        .collect();
    assert_eq!(
        recovery,
        vec![
            ("2025-03".into(), -750_000, ArrearsReason::PaidAfterDeath),
            ("2025-04".into(), -750_000, ArrearsReason::PaidAfterDeath),
        ]
    );
    assert_eq!(r.to_recover, Money(1_500_000));
    // The funeral support of February was never paid: owed.
    let funeral: Vec<_> = r
        .lines
        .iter()
        .filter(|l| l.kind == Section::Funeral)
        .collect();
    assert_eq!(funeral.len(), 1);
    assert_eq!(funeral[0].difference, Money(10_000_000));
    assert_eq!(funeral[0].reason, ArrearsReason::NotPaid);
}

#[test]
fn an_adjustment_not_applied() {
    // Turns 80 in 08/2023: 2.0 from August, but August was paid at 1.5.
    let c = catalogue();
    let s = person("1943-08-20", Poor);
    let history = paid(&[("2023-07", 540_000), ("2023-08", 540_000)]);
    let r = arrears(&c, &s, month("2023-07"), month("2023-08"), &history).unwrap();
    assert_eq!(r.lines.len(), 1);
    assert_eq!(r.lines[0].reason, ArrearsReason::AdjustmentNotApplied);
    assert_eq!(r.lines[0].difference, Money(180_000));
}

#[test]
fn the_reported_2026_base_is_paid_with_arrears() {
    // A LOW catalogue entry: 540.000 from 07/2026, signed 21/08/2026.
    let c = catalogue();
    let s = person("1950-01-01", Poor);
    let history = paid(&[
        ("2026-07", 750_000),
        ("2026-08", 750_000),
        ("2026-09", 810_000),
    ]);
    let r = arrears(&c, &s, month("2026-07"), month("2026-09"), &history).unwrap();
    assert_eq!(r.owed, Money(120_000));
    assert!(
        r.lines
            .iter()
            .all(|l| l.reason == ArrearsReason::BaseDecreedLate)
    );
}

#[test]
fn a_base_paid_late_until_its_decree_takes_effect() {
    // NĐ 335/2026 (LOW–MED): 540.000 from 07/2026, signed 21/08/2026, in force 05/10/2026.
    // Lists drawn up before it took effect (July to October) were at 500.000: arrears for a
    // late decree. November's shortfall is an ordinary underpayment.
    let c = catalogue();
    let s = person("1950-01-01", Poor);
    let history = paid(&[
        ("2026-07", 750_000),
        ("2026-08", 750_000),
        ("2026-09", 750_000),
        ("2026-10", 750_000),
        ("2026-11", 750_000),
    ]);
    let r = arrears(&c, &s, month("2026-07"), month("2026-11"), &history).unwrap();
    let reasons: Vec<(String, ArrearsReason)> = r
        .lines
        .iter()
        .map(|l| (l.month.to_string(), l.reason))
        .collect();
    assert_eq!(
        reasons,
        vec![
            ("2026-07".into(), ArrearsReason::BaseDecreedLate),
            ("2026-08".into(), ArrearsReason::BaseDecreedLate),
            ("2026-09".into(), ArrearsReason::BaseDecreedLate),
            ("2026-10".into(), ArrearsReason::BaseDecreedLate),
            ("2026-11".into(), ArrearsReason::Underpaid),
        ]
    );
    assert_eq!(r.owed, Money(5 * 60_000));
}
