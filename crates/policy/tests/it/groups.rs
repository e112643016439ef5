//! Table-driven tests: every group and sub-case of SPEC B §2.3, in 2019 (NĐ 136/2013 with the
//! 270.000/180.000 split), 2023 (NĐ 20/2021, 360.000) and 2025 (76/2024, 500.000; and from
//! 07/2025 without k5(b),(c)), with birthdays on the boundary months: a new or adjusted level
//! applies from the birthday month, a limit is paid through it.

use crate::support::*;
use ansinh_domain::person::DisabilityLevel::{EspeciallySevere, Severe};
use ansinh_domain::person::PovertyStatus::{self, NearPoor, Poor};
use ansinh_policy::Situation;
use ansinh_policy::facts::{Child, Flag, K1Case, MaritalStatus};

fn k1(birth: &str, case: K1Case) -> Situation {
    let mut s = person(birth, PovertyStatus::None);
    s.person.k1_case = Some(case);
    s
}

fn k2(birth: &str, poverty: PovertyStatus) -> Situation {
    with_flags(person(birth, poverty), &[Flag::ReceivedK1, Flag::Studying])
}

fn k3(birth: &str) -> Situation {
    with_flags(person(birth, Poor), &[Flag::Hiv])
}

fn k4(poverty: PovertyStatus, children: &[&str]) -> Situation {
    let mut s = person("1985-01-01", poverty);
    s.person.marital_status = Some(MaritalStatus::Widowed);
    s.children = children
        .iter()
        .map(|b| Child {
            birth_date: born(b),
            studying: false,
            death_date: None,
        })
        .collect();
    s
}

fn k5a(birth: &str) -> Situation {
    person(birth, Poor)
}

fn k5b(birth: &str) -> Situation {
    with_flags(
        with_flags(
            person(birth, NearPoor),
            &[Flag::EthnicMinorityExtremelyDifficultArea],
        ),
        &[Flag::HasSupporter],
    )
}

fn k5c(birth: &str, poverty: PovertyStatus) -> Situation {
    with_flags(person(birth, poverty), &[Flag::HasSupporter])
}

fn k5d(birth: &str) -> Situation {
    with_flags(person(birth, Poor), &[Flag::CommunityCare])
}

fn k6(
    birth: &str,
    level: ansinh_domain::person::DisabilityLevel,
    poverty: PovertyStatus,
) -> Situation {
    let mut s = disabled(person(birth, poverty), level, "2010-01");
    // An adult with a supporter: keeps the elderly groups out of the way.
    s.person.flags.insert(Flag::HasSupporter);
    s.person.flags.insert(Flag::HasPension);
    s.person.pension_amount = Some(ansinh_policy::Money(3_000_000));
    s
}

fn k7(birth: &str) -> Situation {
    with_flags(
        person(birth, NearPoor),
        &[Flag::EthnicMinorityExtremelyDifficultArea],
    )
}

fn k8(birth: &str, era_136: bool) -> Situation {
    let mut flags = vec![Flag::Hiv, Flag::HasSupporter];
    if era_136 {
        flags.push(Flag::UnableToWork);
    }
    with_flags(person(birth, Poor), &flags)
}

struct Case {
    name: &'static str,
    month: &'static str,
    situation: Situation,
    amount: i64,
    rule: Option<&'static str>,
}

fn case(
    name: &'static str,
    month: &'static str,
    situation: Situation,
    amount: i64,
    rule: Option<&'static str>,
) -> Case {
    Case {
        name,
        month,
        situation,
        amount,
        rule,
    }
}

fn run(cases: Vec<Case>) {
    let c = catalogue();
    let mut failures = Vec::new();
    for k in &cases {
        let got = allowance(&c, k.month, &k.situation);
        let rules = paid_rules(&c, k.month, &k.situation);
        let rule_ok = match k.rule {
            Some(r) => rules == vec![r.to_string()],
            None => rules.is_empty(),
        };
        if got != k.amount || !rule_ok {
            failures.push(format!(
                "{} in {}: got {got} by {rules:?}, expected {} by {:?}",
                k.name, k.month, k.amount, k.rule
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn k1_children_without_support_every_point_and_both_bands() {
    let mut cases = Vec::new();
    for case_ in K1Case::ALL {
        // Turns 4 in June 2019, June 2023, June 2025.
        cases.push(case(
            "k1 under 4",
            "2019-05",
            k1("2015-06-15", *case_),
            675_000,
            Some("k1-under-4"),
        ));
        // An adjustment applies from the month of eligibility (B §4.4): 1.5 from the
        // 4th birthday month.
        cases.push(case(
            "k1 4th birthday month: 1.5",
            "2019-06",
            k1("2015-06-15", *case_),
            405_000,
            Some("k1-4-to-16"),
        ));
        cases.push(case(
            "k1 from 4",
            "2019-07",
            k1("2015-06-15", *case_),
            405_000,
            Some("k1-4-to-16"),
        ));
        cases.push(case(
            "k1 under 4",
            "2023-05",
            k1("2019-06-15", *case_),
            900_000,
            Some("k1-under-4"),
        ));
        cases.push(case(
            "k1 from 4",
            "2023-07",
            k1("2019-06-15", *case_),
            540_000,
            Some("k1-4-to-16"),
        ));
        cases.push(case(
            "k1 under 4",
            "2025-05",
            k1("2021-06-15", *case_),
            1_250_000,
            Some("k1-under-4"),
        ));
        cases.push(case(
            "k1 from 4",
            "2025-07",
            k1("2021-06-15", *case_),
            750_000,
            Some("k1-4-to-16"),
        ));
    }
    // The 16th birthday month is still paid; nothing from the month after.
    cases.push(case(
        "k1 16th birthday month",
        "2023-03",
        k1("2007-03-10", K1Case::B),
        540_000,
        Some("k1-4-to-16"),
    ));
    cases.push(case(
        "k1 after 16",
        "2023-04",
        k1("2007-03-10", K1Case::B),
        0,
        None,
    ));
    run(cases);
}

#[test]
fn k2_studying_16_to_22() {
    run(vec![
        case(
            "k2 non-poor on 180k",
            "2019-09",
            k2("2002-01-20", PovertyStatus::None),
            270_000,
            Some("k2-studying"),
        ),
        case(
            "k2 poor on 270k",
            "2019-09",
            k2("2002-01-20", Poor),
            405_000,
            Some("k2-studying"),
        ),
        case(
            "k2",
            "2023-09",
            k2("2005-01-20", PovertyStatus::None),
            540_000,
            Some("k2-studying"),
        ),
        case(
            "k2 22nd birthday month",
            "2025-01",
            k2("2003-01-20", PovertyStatus::None),
            750_000,
            Some("k2-studying"),
        ),
        case(
            "k2 after 22",
            "2025-02",
            k2("2003-01-20", PovertyStatus::None),
            0,
            None,
        ),
        case(
            "k2 not studying",
            "2025-01",
            with_flags(
                person("2005-01-20", PovertyStatus::None),
                &[Flag::ReceivedK1],
            ),
            0,
            None,
        ),
    ]);
}

#[test]
fn k3_children_with_hiv() {
    run(vec![
        case(
            "k3 under 4",
            "2019-04",
            k3("2015-06-01"),
            675_000,
            Some("k3-under-4"),
        ),
        case(
            "k3 4 to 16",
            "2019-07",
            k3("2015-06-01"),
            540_000,
            Some("k3-4-to-16"),
        ),
        case(
            "k3 under 4",
            "2023-05",
            k3("2019-06-01"),
            900_000,
            Some("k3-under-4"),
        ),
        case(
            "k3 4th birthday month: 2.0",
            "2023-06",
            k3("2019-06-01"),
            720_000,
            Some("k3-4-to-16"),
        ),
        case(
            "k3 4 to 16",
            "2023-07",
            k3("2019-06-01"),
            720_000,
            Some("k3-4-to-16"),
        ),
        case(
            "k3 4 to 16",
            "2025-03",
            k3("2015-06-01"),
            1_000_000,
            Some("k3-4-to-16"),
        ),
    ]);
}

#[test]
fn k4_single_parents() {
    run(vec![
        case(
            "k4 one child (136)",
            "2019-06",
            k4(Poor, &["2010-01-01"]),
            270_000,
            Some("k4-one-child"),
        ),
        case(
            "k4 two children flat 2.0 (136)",
            "2019-06",
            k4(Poor, &["2010-01-01", "2012-01-01", "2014-01-01"]),
            540_000,
            Some("k4-two-or-more"),
        ),
        case(
            "k4 near-poor not covered (136)",
            "2019-06",
            k4(NearPoor, &["2010-01-01"]),
            0,
            None,
        ),
        case(
            "k4 near-poor covered (20/2021)",
            "2023-06",
            k4(NearPoor, &["2010-01-01"]),
            360_000,
            Some("k4-per-child"),
        ),
        case(
            "k4 1.0 per child",
            "2023-06",
            k4(Poor, &["2010-01-01", "2012-01-01", "2014-01-01"]),
            1_080_000,
            Some("k4-per-child"),
        ),
        // The eldest turns 16 in 05/2025: counted through May, not in June.
        case(
            "k4 child's 16th birthday month",
            "2025-05",
            k4(Poor, &["2009-05-20", "2012-01-01"]),
            1_000_000,
            Some("k4-per-child"),
        ),
        case(
            "k4 after the child's 16th",
            "2025-06",
            k4(Poor, &["2009-05-20", "2012-01-01"]),
            500_000,
            Some("k4-per-child"),
        ),
        case(
            "k4 divorced not covered",
            "2025-06",
            {
                let mut s = k4(Poor, &["2012-01-01"]);
                s.person.marital_status = Some(MaritalStatus::Divorced);
                s
            },
            0,
            None,
        ),
        case(
            "k4 studying child 16-22 counts",
            "2025-06",
            {
                let mut s = k4(Poor, &["2007-01-01"]);
                s.children[0].studying = true;
                s
            },
            500_000,
            Some("k4-per-child"),
        ),
    ]);
}

#[test]
fn k5_elderly_a_to_d() {
    run(vec![
        // (a) poor, no supporter: 1.5 from 60, 2.0 from the 80th birthday month.
        case(
            "k5a 60-80 (136)",
            "2019-06",
            k5a("1950-03-01"),
            405_000,
            Some("k5a-60-to-80"),
        ),
        case(
            "k5a 80+ (136)",
            "2019-06",
            k5a("1939-06-30"),
            540_000,
            Some("k5a-80-plus"),
        ),
        case(
            "k5a month before 80th",
            "2023-07",
            k5a("1943-08-20"),
            540_000,
            Some("k5a-60-to-80"),
        ),
        case(
            "k5a 80th birthday month",
            "2023-08",
            k5a("1943-08-20"),
            720_000,
            Some("k5a-80-plus"),
        ),
        case(
            "k5a 60th birthday month",
            "2025-03",
            k5a("1965-03-31"),
            750_000,
            Some("k5a-60-to-80"),
        ),
        case("k5a before 60", "2025-02", k5a("1965-03-31"), 0, None),
        case(
            "k5a supporter on allowance",
            "2025-03",
            with_flags(
                k5a("1950-01-01"),
                &[Flag::HasSupporter, Flag::SupporterOnAllowance],
            ),
            750_000,
            Some("k5a-60-to-80"),
        ),
        // (b) 75–80, near-poor, ethnic-minority area: new in 20/2021, gone from 07/2025.
        case(
            "k5b did not exist (136)",
            "2019-06",
            k5b("1943-01-01"),
            0,
            None,
        ),
        case(
            "k5b 75th birthday month",
            "2023-04",
            k5b("1948-04-15"),
            360_000,
            Some("k5b-75-to-80-ethnic-area"),
        ),
        case("k5b before 75", "2023-03", k5b("1948-04-15"), 0, None),
        case(
            "k5b",
            "2025-03",
            k5b("1948-04-15"),
            500_000,
            Some("k5b-75-to-80-ethnic-area"),
        ),
        case(
            "k5b repealed by 176/2025 (LOW)",
            "2025-09",
            k5b("1948-04-15"),
            0,
            None,
        ),
        // (c) 80+ without pension.
        case(
            "k5c non-poor on 180k (136)",
            "2019-06",
            k5c("1935-01-01", PovertyStatus::None),
            180_000,
            Some("k5c-80-plus-no-pension"),
        ),
        case(
            "k5c poor on 270k (136)",
            "2019-06",
            k5c("1935-01-01", Poor),
            270_000,
            Some("k5c-80-plus-no-pension"),
        ),
        case(
            "k5c 80th birthday month",
            "2023-10",
            k5c("1943-10-05", PovertyStatus::None),
            360_000,
            Some("k5c-80-plus-no-pension"),
        ),
        case(
            "k5c before 80",
            "2023-09",
            k5c("1943-10-05", PovertyStatus::None),
            0,
            None,
        ),
        case(
            "k5c",
            "2025-06",
            k5c("1940-01-01", PovertyStatus::None),
            500_000,
            Some("k5c-80-plus-no-pension"),
        ),
        case(
            "k5c repealed by 176/2025 (LOW)",
            "2025-07",
            k5c("1940-01-01", PovertyStatus::None),
            0,
            None,
        ),
        case(
            "k5c with a pension",
            "2023-10",
            with_flags(k5c("1940-01-01", PovertyStatus::None), &[Flag::HasPension]),
            0,
            None,
        ),
        // (d) community care.
        case(
            "k5d (136)",
            "2019-06",
            k5d("1950-01-01"),
            810_000,
            Some("k5d-community-care"),
        ),
        case(
            "k5d",
            "2023-06",
            k5d("1950-01-01"),
            1_080_000,
            Some("k5d-community-care"),
        ),
        case(
            "k5d",
            "2025-09",
            k5d("1950-01-01"),
            1_500_000,
            Some("k5d-community-care"),
        ),
    ]);
}

#[test]
fn k6_disability_levels_and_age_bands() {
    run(vec![
        // 28/2012 Art. 16 on the 180k base (non-poor) and 270k (poor).
        case(
            "k6 adult ĐBN non-poor (136)",
            "2019-06",
            k6("1980-01-01", EspeciallySevere, PovertyStatus::None),
            360_000,
            Some("k6-adult-especially-severe"),
        ),
        case(
            "k6 child ĐBN poor (136)",
            "2019-06",
            k6("2010-01-01", EspeciallySevere, Poor),
            675_000,
            Some("k6-child-or-elderly-especially-severe"),
        ),
        case(
            "k6 adult severe non-poor (136)",
            "2019-06",
            k6("1980-01-01", Severe, PovertyStatus::None),
            270_000,
            Some("k6-adult-severe"),
        ),
        case(
            "k6 child severe poor (136)",
            "2019-06",
            k6("2010-01-01", Severe, Poor),
            540_000,
            Some("k6-child-or-elderly-severe"),
        ),
        case(
            "k6 elderly severe (136)",
            "2019-06",
            k6("1950-01-01", Severe, PovertyStatus::None),
            360_000,
            Some("k6-child-or-elderly-severe"),
        ),
        // 20/2021: the child rate gives way to the adult rate in the 16th birthday month
        // (an adjustment, B §4.4).
        case(
            "k6 child ĐBN month before 16",
            "2023-04",
            k6("2007-05-10", EspeciallySevere, PovertyStatus::None),
            900_000,
            Some("k6-child-or-elderly-especially-severe"),
        ),
        case(
            "k6 adult ĐBN 16th birthday month",
            "2023-05",
            k6("2007-05-10", EspeciallySevere, PovertyStatus::None),
            720_000,
            Some("k6-adult-especially-severe"),
        ),
        case(
            "k6 adult ĐBN after 16",
            "2023-06",
            k6("2007-05-10", EspeciallySevere, PovertyStatus::None),
            720_000,
            Some("k6-adult-especially-severe"),
        ),
        case(
            "k6 adult severe",
            "2023-06",
            k6("1980-01-01", Severe, PovertyStatus::None),
            540_000,
            Some("k6-adult-severe"),
        ),
        case(
            "k6 severe, 60th birthday month: elderly rate",
            "2023-09",
            k6("1963-09-25", Severe, PovertyStatus::None),
            720_000,
            Some("k6-child-or-elderly-severe"),
        ),
        case(
            "k6 severe before 60",
            "2023-08",
            k6("1963-09-25", Severe, PovertyStatus::None),
            540_000,
            Some("k6-adult-severe"),
        ),
        case(
            "k6 elderly ĐBN",
            "2025-09",
            k6("1950-01-01", EspeciallySevere, PovertyStatus::None),
            1_250_000,
            Some("k6-child-or-elderly-especially-severe"),
        ),
        case(
            "k6 adult ĐBN",
            "2025-09",
            k6("1990-01-01", EspeciallySevere, PovertyStatus::None),
            1_000_000,
            Some("k6-adult-especially-severe"),
        ),
        case(
            "k6 mild gives nothing",
            "2025-09",
            k6(
                "1990-01-01",
                ansinh_domain::person::DisabilityLevel::Mild,
                PovertyStatus::None,
            ),
            0,
            None,
        ),
    ]);
}

#[test]
fn k7_under_3_and_k8_hiv() {
    run(vec![
        case(
            "k7 did not exist (136)",
            "2019-06",
            k7("2018-01-01"),
            0,
            None,
        ),
        case(
            "k7 3rd birthday month",
            "2023-02",
            k7("2020-02-14"),
            540_000,
            Some("k7-under-3-ethnic-area"),
        ),
        case("k7 after 3", "2023-03", k7("2020-02-14"), 0, None),
        case(
            "k7",
            "2025-09",
            k7("2024-01-01"),
            750_000,
            Some("k7-under-3-ethnic-area"),
        ),
        case(
            "k8 (136, unable to work)",
            "2019-06",
            k8("1985-01-01", true),
            405_000,
            Some("k8-adult-hiv"),
        ),
        case(
            "k8 (136) able to work",
            "2019-06",
            k8("1985-01-01", false),
            0,
            None,
        ),
        case(
            "k8",
            "2023-06",
            k8("1985-01-01", false),
            540_000,
            Some("k8-hiv-no-income"),
        ),
        case(
            "k8 with stable income",
            "2023-06",
            with_flags(k8("1985-01-01", false), &[Flag::StableIncome]),
            0,
            None,
        ),
        case(
            "k8",
            "2025-09",
            k8("1985-01-01", false),
            750_000,
            Some("k8-hiv-no-income"),
        ),
    ]);
}

#[test]
fn highest_only_and_the_k4_exception() {
    // A poor single mother, 80, especially severe disability: k4 + the better of k5a / k6.
    let mut s = k4(Poor, &["2012-01-01"]);
    s.person.birth_date = born("1944-01-01");
    s.person.disability = EspeciallySevere;
    s.person.certificate_month = Some(month("2020-01"));
    let c = catalogue();
    // 2025-09: k4 1 × 500k + k6 elderly ĐBN 2.5 × 500k (beats k5a 2.0).
    assert_eq!(allowance(&c, "2025-09", &s), 500_000 + 1_250_000);
    assert_eq!(
        paid_rules(&c, "2025-09", &s),
        vec!["k4-per-child", "k6-child-or-elderly-especially-severe"]
    );
    // Not a single parent: only the highest.
    s.person.marital_status = Some(MaritalStatus::Married);
    assert_eq!(allowance(&c, "2025-09", &s), 1_250_000);
    assert_eq!(
        paid_rules(&c, "2025-09", &s),
        vec!["k6-child-or-elderly-especially-severe"]
    );
    let r = report(&c, "2025-09", &s);
    assert!(r.qualifying.len() >= 2, "k5a and k6 both qualify");
}

#[test]
fn decided_groups_limit_the_rules() {
    let c = catalogue();
    let mut s = k5a("1944-01-01");
    s.person.disability = EspeciallySevere;
    s.person.certificate_month = Some(month("2020-01"));
    s.groups = vec!["k5".into()];
    assert_eq!(paid_rules(&c, "2025-09", &s), vec!["k5a-80-plus"]);
}
