//! Start, adjustment, stop and move rules (B §4.4), and partial birth dates (A2).

use crate::support::*;
use ansinh_domain::person::DisabilityLevel::{EspeciallySevere, Severe};
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

#[test]
fn downward_adjustments_apply_from_the_birthday_month() {
    // SPEC B §4.4: an adjustment ("child turns 4") applies from the month the person becomes
    // eligible for the new level; only a stop is paid through the month of loss of eligibility.
    let c = catalogue();
    let mut k1 = person("2021-06-15", PovertyStatus::None);
    k1.person.k1_case = Some(K1Case::B);
    assert_eq!(
        allowance(&c, "2025-05", &k1),
        1_250_000,
        "2.5 before the 4th"
    );
    assert_eq!(allowance(&c, "2025-06", &k1), 750_000, "1.5 from the 4th");
    // 136/2013 era likewise.
    let mut old = person("2015-06-15", PovertyStatus::None);
    old.person.k1_case = Some(K1Case::A);
    assert_eq!(allowance(&c, "2019-06", &old), 405_000);
    // k3: 2.5 → 2.0 in the 4th birthday month.
    let k3 = with_flags(person("2019-06-01", Poor), &[Flag::Hiv]);
    assert_eq!(allowance(&c, "2023-05", &k3), 900_000);
    assert_eq!(allowance(&c, "2023-06", &k3), 720_000);
    // k6: the child rate gives way to the adult rate in the 16th birthday month.
    let mut k6 = disabled(
        person("2007-05-10", PovertyStatus::None),
        EspeciallySevere,
        "2010-01",
    );
    k6.person.flags.insert(Flag::HasSupporter);
    assert_eq!(allowance(&c, "2023-04", &k6), 900_000);
    assert_eq!(allowance(&c, "2023-05", &k6), 720_000);
    // Facility living allowance: 5.0 → 4.0 in the 4th birthday month.
    let mut resident = person("2020-05-10", PovertyStatus::None);
    resident.facility = Some(FacilityStay {
        facility_id: None,
        admitted: month("2021-01"),
        left: None,
    });
    let facility = |m: &str| eval(&c, m, &resident).facility.map(|l| l.amount);
    assert_eq!(facility("2024-04"), Some(Money(1_800_000)));
    assert_eq!(facility("2024-05"), Some(Money(1_440_000)));
    // Foster carers: k1 child 2.5 → 1.5 at 4; child ĐBN 2.5 → adult 1.5 at 16.
    let mut fostered = k1.clone();
    fostered.care = Some(Care {
        arrangement: CareArrangement::Foster,
        carer_id: None,
    });
    let care = |m: &str, s: &ansinh_policy::Situation| {
        eval(&c, m, s)
            .caregiving
            .iter()
            .map(|l| l.amount.as_i64())
            .collect::<Vec<_>>()
    };
    assert_eq!(care("2025-05", &fostered), vec![1_250_000]);
    assert_eq!(care("2025-06", &fostered), vec![750_000]);
    let mut teen = disabled(
        person("2009-09-01", PovertyStatus::None),
        EspeciallySevere,
        "2012-01",
    );
    teen.care = fostered.care.clone();
    assert_eq!(care("2025-08", &teen), vec![1_250_000]);
    assert_eq!(care("2025-09", &teen), vec![750_000]);
    // Upward adjustments still apply from the birthday month, and limits (a stop) are still
    // paid through it: k1 at 16, k7 at 3.
    let k5a = person("1943-08-20", Poor);
    assert_eq!(allowance(&c, "2023-08", &k5a), 720_000);
    let mut sixteen = person("2007-03-10", PovertyStatus::None);
    sixteen.person.k1_case = Some(K1Case::B);
    assert_eq!(allowance(&c, "2023-03", &sixteen), 540_000);
    assert_eq!(allowance(&c, "2023-04", &sixteen), 0);
}

#[test]
fn a_child_born_on_29_february_reaches_36_months_on_1_march() {
    // Caregiving for a disabled parent counts children under 36 months; a child born
    // 29/02/2020 reaches 36 months on 01/03/2023 (2023 is common): counted through March.
    let c = catalogue();
    let mut s = disabled(person("1990-01-01", PovertyStatus::None), Severe, "2015-01");
    s.person.sex = Some(ansinh_domain::person::Sex::Female);
    s.children.push(Child {
        birth_date: born("2020-02-29"),
        studying: false,
        death_date: None,
    });
    let care = |m: &str, s: &ansinh_policy::Situation| eval(&c, m, s).caregiving.len();
    assert_eq!(care("2023-02", &s), 1);
    assert_eq!(care("2023-03", &s), 1, "36 months on 1 March 2023");
    assert_eq!(care("2023-04", &s), 0);
    // Born 29/02/2024: 36 months on 01/03/2027.
    s.children[0].birth_date = born("2024-02-29");
    assert_eq!(care("2027-03", &s), 1);
    assert_eq!(care("2027-04", &s), 0);
}

#[test]
fn death_in_the_decision_month_is_paid_in_full_with_the_funeral() {
    let c = catalogue();
    let mut s = person("1950-01-01", Poor);
    s.decisions.allowance = Some(month("2025-03"));
    s.person.death_date = NaiveDate::from_ymd_opt(2025, 3, 2);
    let e = eval(&c, "2025-03", &s);
    assert_eq!(e.allowance_total(), Money(750_000));
    assert_eq!(e.one_offs.len(), 1);
    assert_eq!(e.one_offs[0].amount, Money(10_000_000));
    assert_eq!(allowance(&c, "2025-04", &s), 0);
}

#[test]
fn k4_with_children_of_different_ages() {
    // 2025-06: a child under 16, one aged 18 in education, one aged 18 not studying, one 23
    // in education, one not yet born: 1.0 × 2.
    let c = catalogue();
    let mut s = person("1980-01-01", PovertyStatus::NearPoor);
    s.person.marital_status = Some(MaritalStatus::NeverMarried);
    for (birth, studying) in [
        ("2015-01-01", false),
        ("2007-01-01", true),
        ("2007-02-01", false),
        ("2002-01-01", true),
        ("2025-07-01", false),
    ] {
        s.children.push(Child {
            birth_date: born(birth),
            studying,
            death_date: None,
        });
    }
    assert_eq!(allowance(&c, "2025-06", &s), 1_000_000);
    // The studying child's 22nd birthday month (01/2029) still counts; February does not.
    // (× 540.000, the reported 07/2026 base.)
    assert_eq!(
        allowance(&c, "2029-01", &s),
        1_620_000,
        "+ the July 2025 baby"
    );
    assert_eq!(allowance(&c, "2029-02", &s), 1_080_000);
}
