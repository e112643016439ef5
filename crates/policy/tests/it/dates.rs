//! Start, adjustment, stop and move rules (B §4.4), and partial birth dates (A2).

use crate::support::*;
use ansinh_domain::person::DisabilityLevel::EspeciallySevere;
use ansinh_domain::person::PovertyStatus::{self, Poor};
use ansinh_policy::facts::*;
use ansinh_policy::{Money, Status};
use chrono::NaiveDate;

#[test]
fn general_start_is_the_decision_month() {
    let c = catalogue();
    let mut s = person("1950-01-01", Poor);
    s.decisions.allowance = Some(month("2023-09"));
    assert_eq!(allowance(&c, "2023-08", &s), 0);
    let r = report(&c, "2023-08", &s);
    assert_eq!(r.pending.len(), 1);
    assert_eq!(r.pending[0].starts, month("2023-09"));
    assert_eq!(allowance(&c, "2023-09", &s), 540_000);
}

#[test]
fn disability_starts_in_the_certificate_month_even_before_the_decision() {
    let c = catalogue();
    let mut s = disabled(
        person("1990-01-01", PovertyStatus::None),
        EspeciallySevere,
        "2023-04",
    );
    s.decisions.allowance = Some(month("2023-07"));
    assert_eq!(allowance(&c, "2023-03", &s), 0);
    assert_eq!(
        allowance(&c, "2023-04", &s),
        720_000,
        "arrears from the certificate month"
    );
    assert_eq!(allowance(&c, "2023-07", &s), 720_000);
    // With a decision but no certificate month the engine cannot decide.
    s.person.certificate_month = None;
    let err = rules(&c, "2023-07").evaluate(&s).unwrap_err();
    assert_eq!(err[0].code, "missing-certificate-month");
}

#[test]
fn k5c_starts_at_the_80th_birthday_before_the_decision() {
    let c = catalogue();
    let mut s = with_flags(
        person("1943-05-20", PovertyStatus::None),
        &[Flag::HasSupporter],
    );
    s.decisions.allowance = Some(month("2023-09"));
    assert_eq!(allowance(&c, "2023-04", &s), 0);
    assert_eq!(allowance(&c, "2023-05", &s), 360_000);
    // k5b likewise from the 75th birthday.
    let mut b = with_flags(
        person("1948-02-10", PovertyStatus::NearPoor),
        &[
            Flag::HasSupporter,
            Flag::EthnicMinorityExtremelyDifficultArea,
        ],
    );
    b.decisions.allowance = Some(month("2023-12"));
    assert_eq!(allowance(&c, "2023-02", &b), 360_000);
    assert_eq!(allowance(&c, "2023-01", &b), 0);
}

#[test]
fn stop_from_the_month_after_death_or_loss_of_eligibility() {
    let c = catalogue();
    let mut s = person("1950-01-01", Poor);
    s.person.death_date = NaiveDate::from_ymd_opt(2024, 7, 31);
    assert_eq!(allowance(&c, "2024-07", &s), 750_000);
    let e = eval(&c, "2024-08", &s);
    assert_eq!(
        e.status,
        Status::StoppedAfterDeath {
            death_month: month("2024-07")
        }
    );
    assert_eq!(e.monthly_total(), Money::ZERO);
    let r = report(&c, "2024-08", &s);
    assert_eq!(r.status.code, "stopped_after_death");
    assert_eq!(r.status.since, Some(month("2024-08")));

    let mut t = person("1950-01-01", Poor);
    t.stop = Some(Stop {
        month: month("2024-02"),
        reason: Some("no longer poor".into()),
    });
    assert_eq!(allowance(&c, "2024-02", &t), 540_000);
    assert_eq!(allowance(&c, "2024-03", &t), 0);
}

#[test]
fn moves_switch_the_paying_province_the_month_after_the_stop_month() {
    let c = catalogue();
    let mut s = with_flags(
        person("1945-01-01", PovertyStatus::None),
        &[Flag::HasSupporter, Flag::SocialPensionRequested],
    );
    s.province = Some("86".into());
    s.moves.push(Move {
        stop_month: month("2026-03"),
        to_province: "01".into(),
    });
    let march = report(&c, "2026-03", &s);
    assert_eq!(march.province.as_deref(), Some("86"));
    assert_eq!(march.monthly_total, Money(500_000));
    let april = report(&c, "2026-04", &s);
    assert_eq!(april.province.as_deref(), Some("01"));
    assert_eq!(
        april.monthly_total,
        Money(650_000),
        "Hà Nội's top-up from the month after"
    );
}

#[test]
fn partial_birth_dates_use_the_first_day_of_what_is_known() {
    let c = catalogue();
    // Known only as born in 1943: taken as 1 January 1943, so 80 from January 2023.
    let year_only = with_flags(person("1943", PovertyStatus::None), &[Flag::HasSupporter]);
    assert_eq!(allowance(&c, "2023-01", &year_only), 360_000);
    assert_eq!(allowance(&c, "2022-12", &year_only), 0);
    // Known as 10/1943: 80 from October 2023.
    let year_month = with_flags(
        person("1943-10", PovertyStatus::None),
        &[Flag::HasSupporter],
    );
    assert_eq!(allowance(&c, "2023-09", &year_month), 0);
    assert_eq!(allowance(&c, "2023-10", &year_month), 360_000);
}

#[test]
fn leap_day_birthdays() {
    let c = catalogue();
    // Born 29/02/1944: turns 80 on 29/02/2024 (a leap year): February.
    let s = with_flags(
        person("1944-02-29", PovertyStatus::None),
        &[Flag::HasSupporter],
    );
    assert_eq!(allowance(&c, "2024-01", &s), 0);
    assert_eq!(allowance(&c, "2024-02", &s), 360_000);
    // Born 29/02/1940 turns 80 in a leap year too; 29/02/1943 would be 01/03/2023.
    let t = with_flags(
        person("1948-02-29", PovertyStatus::NearPoor),
        &[
            Flag::HasSupporter,
            Flag::EthnicMinorityExtremelyDifficultArea,
        ],
    );
    // 75 on 01/03/2023 (2023 is common).
    assert_eq!(allowance(&c, "2023-02", &t), 0);
    assert_eq!(allowance(&c, "2023-03", &t), 360_000);
}

#[test]
fn base_changes_apply_from_their_month() {
    let c = catalogue();
    let s = person("1950-01-01", Poor);
    assert_eq!(
        allowance(&c, "2021-06", &s),
        405_000,
        "1.5 × 270.000 (136/2013)"
    );
    assert_eq!(
        allowance(&c, "2021-07", &s),
        540_000,
        "1.5 × 360.000 (20/2021)"
    );
    assert_eq!(allowance(&c, "2024-06", &s), 540_000);
    assert_eq!(
        allowance(&c, "2024-07", &s),
        750_000,
        "1.5 × 500.000 (76/2024)"
    );
    // The reported 540.000 from 07/2026 (LOW) is in the catalogue, labelled.
    let r = report(&c, "2026-07", &s);
    let line = &r.monthly_allowance.unwrap().lines[0];
    assert_eq!(line.amount, Money(810_000));
    assert_eq!(line.confidence, ansinh_policy::Confidence::Low);
    assert_eq!(line.base_confidence, Some(ansinh_policy::Confidence::Low));
}
