//! Contradictory, impossible or missing facts → clear errors naming each problem; never an
//! amount.

use crate::support::*;
use ansinh_domain::person::PovertyStatus::Poor;
use ansinh_domain::person::Sex;
use ansinh_policy::facts::*;
use ansinh_policy::{EvaluateOptions, evaluate_json};
use chrono::NaiveDate;

fn codes(problems: &[ansinh_policy::Problem]) -> Vec<(&str, &str)> {
    problems
        .iter()
        .map(|p| (p.code.as_str(), p.path.as_str()))
        .collect()
}

#[test]
fn every_contradiction_is_named() {
    let c = catalogue();
    let mut s = person("2030-01-01", Poor);
    s.person.death_date = NaiveDate::from_ymd_opt(2029, 1, 1);
    s.person.sex = Some(Sex::Male);
    s.person.flags.insert(Flag::Pregnant);
    s.person.flags.insert(Flag::CommunityCare);
    s.facility = Some(FacilityStay {
        facility_id: None,
        admitted: month("2025-01"),
        left: None,
    });
    s.groups = vec!["k9".into()];
    let err = rules(&c, "2025-06").evaluate(&s).unwrap_err();
    let found = codes(&err);
    for expected in [
        ("birth-after-month", "person.birth_date"),
        ("death-before-birth", "person.death_date"),
        ("exclusive-flags", "person.flags"),
        ("date-before-birth", "facility.admitted"),
    ] {
        assert!(
            found.contains(&expected),
            "{expected:?} missing from {found:?}"
        );
    }
    assert!(err.iter().filter(|p| p.code == "exclusive-flags").count() >= 2);
}

#[test]
fn unknown_groups_are_named_with_the_version() {
    let c = catalogue();
    let mut s = person("1950-01-01", Poor);
    s.groups = vec!["k5".into(), "k7".into()];
    // k7 exists from 07/2021 only.
    let err = rules(&c, "2019-06").evaluate(&s).unwrap_err();
    assert_eq!(codes(&err), vec![("unknown-group", "groups[1]")]);
    assert!(err[0].message.contains("nd136-2013"));
    assert!(rules(&c, "2023-06").evaluate(&s).is_ok());
}

#[test]
fn impossible_children_and_moves() {
    let c = catalogue();
    let mut s = person("1990-01-01", Poor);
    s.children.push(Child {
        birth_date: born("1985-01-01"),
        studying: false,
        death_date: None,
    });
    s.children.push(Child {
        birth_date: born("2015-01-01"),
        studying: false,
        death_date: NaiveDate::from_ymd_opt(2014, 1, 1),
    });
    s.moves = vec![
        Move {
            stop_month: month("2024-05"),
            to_province: "86".into(),
        },
        Move {
            stop_month: month("2024-02"),
            to_province: "01".into(),
        },
    ];
    let err = rules(&c, "2025-06").evaluate(&s).unwrap_err();
    assert_eq!(
        codes(&err),
        vec![
            ("impossible-fact", "children[0].birth_date"),
            ("death-before-birth", "children[1].death_date"),
            ("moves-out-of-order", "moves[1].stop_month"),
        ]
    );
}

#[test]
fn a_document_gets_every_problem_listed() {
    let c = catalogue();
    let input = r#"{
        "month": "2025-13",
        "colour": "blue",
        "person": {
            "birth_date": "1944-02-30",
            "flags": ["hiv", "flying", "ethnic_minority_extremely_difficult_area"],
            "disability": "very",
            "pension_amount": -5
        },
        "household": { "flags": [] },
        "children": [ { "birth_date": "2020" }, { "studying": "yes" } ],
        "moves": [ { "stop_month": "2024-01", "to_province": "8" } ]
    }"#;
    let err = evaluate_json(&c, input, EvaluateOptions::default()).unwrap_err();
    let found = codes(&err);
    for expected in [
        ("invalid-value", "month"),
        ("unknown-field", "colour"),
        ("invalid-value", "person.birth_date"),
        ("unknown-flag", "person.flags[1]"),
        ("invalid-value", "person.flags[2]"),
        ("invalid-value", "person.disability"),
        ("invalid-value", "person.pension_amount"),
        ("missing-field", "household.poverty"),
        ("missing-field", "children[1].birth_date"),
        ("invalid-value", "children[1].studying"),
        ("invalid-value", "moves[0].to_province"),
    ] {
        assert!(
            found.contains(&expected),
            "{expected:?} missing from {found:#?}"
        );
    }
}

#[test]
fn syntax_errors_and_missing_parts() {
    let c = catalogue();
    let err = evaluate_json(&c, "{ \"month\": ", EvaluateOptions::default()).unwrap_err();
    assert_eq!(err[0].code, "invalid-json");
    let err = evaluate_json(&c, "{}", EvaluateOptions::default()).unwrap_err();
    assert_eq!(
        codes(&err),
        vec![
            ("missing-field", "month"),
            ("missing-field", "person"),
            ("missing-field", "household")
        ]
    );
    // The month may come from the caller instead.
    let err = evaluate_json(
        &c,
        "{}",
        EvaluateOptions {
            month: Some(month("2025-01")),
            lang: None,
        },
    )
    .unwrap_err();
    assert_eq!(
        codes(&err),
        vec![("missing-field", "person"), ("missing-field", "household")]
    );
}

#[test]
fn contradictions_in_a_document_are_reported_not_zeroed() {
    let c = catalogue();
    let input = r#"{
        "month": "2025-07",
        "person": { "birth_date": "2026-01-01", "death_date": "2020-01-01" },
        "household": { "poverty": "poor" }
    }"#;
    let err = evaluate_json(&c, input, EvaluateOptions::default()).unwrap_err();
    assert_eq!(
        codes(&err),
        vec![
            ("birth-after-month", "person.birth_date"),
            ("death-before-birth", "person.death_date")
        ]
    );
}

#[test]
fn months_without_a_policy_version() {
    let c = catalogue();
    let err = c.for_month(month("2012-01")).unwrap_err();
    assert_eq!(err[0].code, "no-policy-version");
}

#[test]
fn community_care_of_any_kind_excludes_a_facility_stay() {
    let c = catalogue();
    let mut s = person("1990-01-01", Poor);
    s.person.disability = ansinh_domain::person::DisabilityLevel::EspeciallySevere;
    s.person.certificate_month = Some(month("2015-01"));
    s.care = Some(Care {
        arrangement: CareArrangement::OwnHousehold,
        carer_id: None,
    });
    s.facility = Some(FacilityStay {
        facility_id: None,
        admitted: month("2025-01"),
        left: None,
    });
    let err = rules(&c, "2025-06").evaluate(&s).unwrap_err();
    assert_eq!(codes(&err), vec![("exclusive-flags", "care.arrangement")]);
    // Before admission the household is paid for its care.
    assert_eq!(eval(&c, "2024-12", &s).caregiving.len(), 1);
}

#[test]
fn amounts_that_do_not_fit_are_problems_not_panics() {
    // A (hypothetical) catalogue entry large enough that two one-offs overflow i64.
    let huge = r#"
[[version]]
id = "huge"
extends = "nd176-2025"
from = "2027-01"
decree = "x"
title_vi = "x"
title_en = "x"
confidence = "UNVERIFIED"

[[version.emergency]]
id = "emergency-relocation"
trigger = "relocation"
label_vi = "x"
label_en = "x"
amount = 5000000000000000000
citation = { decree = "x" }
confidence = "UNVERIFIED"
"#;
    let c = ansinh_policy::CatalogueBuilder::builtin()
        .add_toml("added/huge.toml", huge)
        .build()
        .unwrap();
    let mut s = person("1980-01-01", Poor);
    for day in [1, 2] {
        s.emergencies.push(Emergency {
            kind: EmergencyKind::Relocation,
            date: NaiveDate::from_ymd_opt(2027, 1, day).unwrap(),
            household_members: None,
            months: None,
            treatment_days: None,
        });
    }
    let err = rules(&c, "2027-01").evaluate(&s).unwrap_err();
    assert_eq!(err[0].code, "amount-overflow");
    // A provincial top-up that overflows the base is refused when the catalogue is built.
    let top_up = r#"
[[base]]
id = "sp-overflow"
scale = "social_pension"
province = "79"
from = "2026-01"
top_up = 9223372036854775000
citation = { decree = "x" }
confidence = "UNVERIFIED"
"#;
    let err = ansinh_policy::CatalogueBuilder::builtin()
        .add_toml("provinces/79.toml", top_up)
        .build()
        .unwrap_err();
    assert!(err.iter().any(|p| p.code == "amount-overflow"), "{err:#?}");
    // Paid amounts come from outside: absurd ones are reported, not a panic.
    let history = vec![ansinh_policy::PaidLine {
        month: month("2025-01"),
        kind: ansinh_policy::Section::Allowance,
        payee: ansinh_policy::PayeeKind::SelfPerson,
        amount: ansinh_policy::Money(i64::MIN),
    }];
    let err = ansinh_policy::arrears(
        &catalogue(),
        &person("1950-01-01", Poor),
        month("2025-01"),
        month("2025-01"),
        &history,
    )
    .unwrap_err();
    assert_eq!(err[0].code, "amount-overflow");
}
