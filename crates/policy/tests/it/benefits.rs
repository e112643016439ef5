//! Caregiving (B §3), facility living allowance (B §8), social pension (B §9), funeral
//! (B §4.3) and emergency items (B §6), in 2019, 2023 and 2025.

use crate::support::*;
use ansinh_domain::person::DisabilityLevel::{EspeciallySevere, Severe};
use ansinh_domain::person::PovertyStatus::{self, NearPoor, Poor};
use ansinh_policy::facts::*;
use ansinh_policy::{AmountKind, Money, PayeeKind, Section};

fn fostered_child(birth: &str) -> ansinh_policy::Situation {
    let mut s = person(birth, PovertyStatus::None);
    s.person.k1_case = Some(K1Case::A);
    s.care = Some(Care {
        arrangement: CareArrangement::Foster,
        carer_id: Some("carer-1".into()),
    });
    s
}

fn caregiving(
    c: &ansinh_policy::Catalogue,
    m: &str,
    s: &ansinh_policy::Situation,
) -> Vec<(PayeeKind, i64, String)> {
    report(c, m, s)
        .caregiving
        .into_iter()
        .map(|e| (e.payee.kind, e.amount.as_i64(), e.rule_id))
        .collect()
}

#[test]
fn foster_carers_of_children_without_support() {
    let c = catalogue();
    let s = fostered_child("2021-06-15");
    assert_eq!(
        caregiving(&c, "2023-06", &s),
        vec![(
            PayeeKind::FosterCarer,
            900_000,
            "care-foster-k1-under-4".into()
        )]
    );
    // 2.5 until May; 1.5 from the 4th birthday month (an adjustment, B §4.4).
    assert_eq!(caregiving(&c, "2025-05", &s)[0].1, 1_250_000);
    assert_eq!(caregiving(&c, "2025-06", &s)[0].1, 750_000);
    // The child keeps their own allowance (Art. 19(1)) and a health-insurance card.
    let e = eval(&c, "2025-07", &s);
    assert_eq!(e.allowance_total(), Money(750_000));
    let r = report(&c, "2025-07", &s);
    assert!(r.health_insurance.covered);
    assert_eq!(r.caregiving[0].payee.id.as_deref(), Some("carer-1"));
    // 2019: 136/2013 Art. 20 was not found — the rule says so.
    let old = report(&c, "2019-06", &fostered_child("2017-01-01"));
    assert_eq!(old.caregiving[0].amount, Money(675_000));
    assert_eq!(
        old.caregiving[0].rule_confidence,
        ansinh_policy::Confidence::Unverified
    );
}

#[test]
fn foster_carers_of_elderly_and_disabled_people() {
    let c = catalogue();
    let mut elderly = with_flags(person("1950-01-01", Poor), &[Flag::CommunityCare]);
    elderly.care = Some(Care {
        arrangement: CareArrangement::Foster,
        carer_id: None,
    });
    assert_eq!(
        caregiving(&c, "2023-06", &elderly),
        vec![(PayeeKind::FosterCarer, 540_000, "care-foster-k5d".into())]
    );
    let mut adult = disabled(
        person("1990-01-01", PovertyStatus::None),
        EspeciallySevere,
        "2015-01",
    );
    adult.care = Some(Care {
        arrangement: CareArrangement::Foster,
        carer_id: None,
    });
    assert_eq!(caregiving(&c, "2025-09", &adult)[0].1, 750_000);
    let mut child = disabled(
        person("2015-01-01", PovertyStatus::None),
        EspeciallySevere,
        "2016-01",
    );
    child.care = adult.care.clone();
    assert_eq!(caregiving(&c, "2025-09", &child)[0].1, 1_250_000);
    // 2019 (28/2012 Art. 17, LOW): 1.5 on the 270k base (tiers apply to the allowance only).
    assert_eq!(caregiving(&c, "2019-06", &adult)[0].1, 405_000);
}

#[test]
fn households_caring_for_their_own_member() {
    let c = catalogue();
    let mut s = disabled(
        person("1990-01-01", PovertyStatus::None),
        EspeciallySevere,
        "2015-01",
    );
    s.care = Some(Care {
        arrangement: CareArrangement::OwnHousehold,
        carer_id: None,
    });
    s.household.id = Some("hh-7".into());
    for (m, amount) in [
        ("2019-06", 270_000),
        ("2023-06", 360_000),
        ("2025-09", 500_000),
    ] {
        let got = caregiving(&c, m, &s);
        assert_eq!(
            got,
            vec![(
                PayeeKind::Household,
                amount,
                "care-household-own-especially-severe".into()
            )],
            "{m}"
        );
    }
    // Severe (not especially severe): no household support.
    s.person.disability = Severe;
    assert!(caregiving(&c, "2025-09", &s).is_empty());
}

#[test]
fn disabled_parents_pregnant_or_raising_infants() {
    let c = catalogue();
    let mut s = disabled(person("1990-01-01", PovertyStatus::None), Severe, "2015-01");
    s.person.sex = Some(ansinh_domain::person::Sex::Female);
    s.person.flags.insert(Flag::Pregnant);
    let first = caregiving(&c, "2023-06", &s);
    assert_eq!(
        first,
        vec![(
            PayeeKind::SelfPerson,
            540_000,
            "care-self-pregnant-or-one-infant".into()
        )]
    );
    // Pregnant and raising a child under 36 months: 2.0 — on top of the k6 allowance.
    s.children.push(Child {
        birth_date: born("2022-08-01"),
        studying: false,
        death_date: None,
    });
    assert_eq!(caregiving(&c, "2023-06", &s)[0].1, 720_000);
    assert_eq!(allowance(&c, "2023-06", &s), 540_000);
    // Not pregnant, one child: through the month the child reaches 36 months (08/2025).
    s.person.flags = Flags::EMPTY;
    assert_eq!(caregiving(&c, "2025-08", &s)[0].1, 750_000);
    assert!(caregiving(&c, "2025-09", &s).is_empty());
    // One award when both spouses are disabled.
    s.person.flags.insert(Flag::SpouseReceivesChildcareSupport);
    assert!(caregiving(&c, "2025-08", &s).is_empty());
}

#[test]
fn facility_allowance_replaces_the_monthly_allowance() {
    let c = catalogue();
    let mut s = person("2020-05-10", PovertyStatus::None);
    s.person.k1_case = Some(K1Case::B);
    s.facility = Some(FacilityStay {
        facility_id: Some("ctxh-1".into()),
        admitted: month("2021-01"),
        left: None,
    });
    let e = eval(&c, "2023-06", &s);
    let facility = e.facility.expect("facility allowance");
    assert_eq!(facility.amount, Money(1_800_000), "5.0 × 360.000 under 4");
    assert_eq!(e.allowance_excluded_by, Some(Section::Facility));
    assert_eq!(e.allowance_total(), Money::ZERO);
    assert_eq!(e.monthly_total(), Money(1_800_000));
    // 4.0 from the 4th birthday month (05/2024); 500k from 07/2024.
    assert_eq!(
        eval(&c, "2024-04", &s).facility.map(|l| l.amount),
        Some(Money(1_800_000))
    );
    assert_eq!(
        eval(&c, "2024-05", &s).facility.map(|l| l.amount),
        Some(Money(1_440_000))
    );
    assert_eq!(
        eval(&c, "2025-06", &s).facility.map(|l| l.amount),
        Some(Money(2_000_000))
    );
    let r = report(&c, "2025-06", &s);
    assert_eq!(
        r.facility_allowance.as_ref().map(|f| f.payee.kind),
        Some(PayeeKind::Facility)
    );
    assert!(r.health_insurance.covered);
    assert_eq!(
        r.monthly_allowance.and_then(|a| a.replaced_by),
        Some(Section::Facility)
    );
    // 2019: 136/2013 Art. 25 not found: UNVERIFIED, on the 270k base.
    let mut old = person("2010-01-01", PovertyStatus::None);
    old.facility = s.facility.clone();
    old.facility.as_mut().unwrap().admitted = month("2018-01");
    let r = report(&c, "2019-06", &old);
    let f = r.facility_allowance.unwrap();
    assert_eq!(f.amount, Money(1_080_000));
    assert_eq!(f.confidence, ansinh_policy::Confidence::Unverified);
    // After leaving, nothing.
    s.facility.as_mut().unwrap().left = Some(month("2025-03"));
    assert!(eval(&c, "2025-04", &s).facility.is_none());
    assert_eq!(allowance(&c, "2025-04", &s), 750_000);
}

#[test]
fn social_pension_from_july_2025_and_k5() {
    let c = catalogue();
    // 80+, non-poor, no pension: k5c until 06/2025, then the social pension (on request).
    let mut s = with_flags(
        person("1940-01-01", PovertyStatus::None),
        &[Flag::HasSupporter],
    );
    assert_eq!(allowance(&c, "2025-06", &s), 500_000);
    assert_eq!(
        eval(&c, "2025-07", &s).monthly_total(),
        Money::ZERO,
        "needs a request"
    );
    s.person.flags.insert(Flag::SocialPensionRequested);
    let e = eval(&c, "2025-07", &s);
    assert_eq!(
        e.social_pension_paid().map(|l| l.amount),
        Some(Money(500_000))
    );
    assert!(e.health_insured());
    // 70–74 only if poor or near-poor.
    let mut young = with_flags(
        person("1953-03-01", NearPoor),
        &[Flag::HasSupporter, Flag::SocialPensionRequested],
    );
    assert_eq!(eval(&c, "2025-09", &young).monthly_total(), Money(500_000));
    young.household.poverty = PovertyStatus::None;
    assert_eq!(eval(&c, "2025-09", &young).monthly_total(), Money::ZERO);
    // A pension above the social pension excludes it; one below does not.
    let mut pensioner = with_flags(
        person("1940-01-01", PovertyStatus::None),
        &[Flag::HasPension, Flag::SocialPensionRequested],
    );
    pensioner.person.pension_amount = Some(Money(2_000_000));
    assert!(eval(&c, "2025-09", &pensioner).social_pension.is_none());
    pensioner.person.pension_amount = Some(Money(300_000));
    assert!(eval(&c, "2025-09", &pensioner).social_pension.is_some());
    // Starts in the month the commune chairman signs.
    s.decisions.social_pension = Some(month("2025-09"));
    assert!(eval(&c, "2025-08", &s).social_pension.is_none());
    assert!(eval(&c, "2025-09", &s).social_pension.is_some());
}

#[test]
fn social_pension_vs_allowance_the_higher_of_the_two() {
    let c = catalogue();
    // k5a 80+ (2.0 × 500k = 1.000.000) beats the social pension.
    let s = with_flags(person("1940-01-01", Poor), &[Flag::SocialPensionRequested]);
    let e = eval(&c, "2025-09", &s);
    assert_eq!(e.allowance_total(), Money(1_000_000));
    assert!(e.social_pension_excluded);
    assert_eq!(e.monthly_total(), Money(1_000_000));
    // A 76-year-old with severe disability... k6 elderly severe 2.0 = 1.000.000 > 500.000.
    // Where the allowance is lower, the pension replaces it: Hà Nội tops it up by 150.000.
    let mut low = with_flags(
        person("1945-01-01", PovertyStatus::None),
        &[Flag::HasSupporter, Flag::SocialPensionRequested],
    );
    low.province = Some("01".into());
    low.person.flags.insert(Flag::ReceivedK1); // irrelevant flag, no group
    let e = eval(&c, "2026-02", &low);
    assert_eq!(
        e.social_pension_paid().map(|l| l.amount),
        Some(Money(650_000))
    );
    let r = report(&c, "2026-02", &low);
    let sp = r.social_pension.unwrap();
    assert!(
        sp.explanation
            .base_id
            .unwrap()
            .contains("social-pension-ha-noi-2026")
    );
    // Elsewhere, 500.000.
    low.province = Some("86".into());
    assert_eq!(eval(&c, "2026-02", &low).monthly_total(), Money(500_000));
}

#[test]
fn funeral_support_in_the_month_of_death() {
    let c = catalogue();
    let mut s = person("1940-01-01", Poor);
    s.person.death_date = Some(chrono::NaiveDate::from_ymd_opt(2023, 3, 10).unwrap());
    let e = eval(&c, "2023-03", &s);
    assert_eq!(
        e.allowance_total(),
        Money(720_000),
        "the month of death is paid in full"
    );
    assert_eq!(e.one_offs.len(), 1);
    assert_eq!(e.one_offs[0].amount, Money(7_200_000), "20 × 360.000");
    assert!(eval(&c, "2023-04", &s).paid_lines().next().is_none());
    // 136/2013: 20 × 270.000, fixed.
    s.person.death_date = Some(chrono::NaiveDate::from_ymd_opt(2019, 3, 10).unwrap());
    let r = report(&c, "2019-03", &s);
    assert_eq!(r.one_offs[0].amount, Money(5_400_000));
    assert_eq!(r.one_offs[0].amount_kind, AmountKind::Fixed);
    // 2025: 10.000.000; a facility resident gets the higher 50 × base.
    s.person.death_date = Some(chrono::NaiveDate::from_ymd_opt(2025, 3, 10).unwrap());
    assert_eq!(
        eval(&c, "2025-03", &s).one_offs[0].amount,
        Money(10_000_000)
    );
    s.facility = Some(FacilityStay {
        facility_id: None,
        admitted: month("2020-01"),
        left: None,
    });
    assert_eq!(
        eval(&c, "2025-03", &s).one_offs[0].amount,
        Money(25_000_000)
    );
    // A child of a single poor parent, and an 80-year-old on a survivor benefit.
    let mut child = with_flags(person("2015-01-01", Poor), &[Flag::ChildOfK4Beneficiary]);
    child.person.death_date = Some(chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap());
    assert_eq!(
        eval(&c, "2025-03", &child).one_offs[0].amount,
        Money(10_000_000)
    );
    let mut survivor = with_flags(
        person("1940-01-01", PovertyStatus::None),
        &[Flag::SurvivorBenefit, Flag::HasPension, Flag::HasSupporter],
    );
    survivor.person.pension_amount = Some(Money(1_000_000));
    survivor.person.death_date = Some(chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap());
    assert_eq!(
        eval(&c, "2025-03", &survivor).one_offs[0].amount,
        Money(10_000_000)
    );
    // Nobody on a benefit: no funeral support.
    let mut other = with_flags(
        person("1980-01-01", PovertyStatus::None),
        &[Flag::HasSupporter],
    );
    other.person.death_date = Some(chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap());
    assert!(eval(&c, "2025-03", &other).one_offs.is_empty());
}

fn emergency(kind: EmergencyKind, date: (i32, u32, u32)) -> Emergency {
    Emergency {
        kind,
        date: chrono::NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap(),
        household_members: Some(4),
        months: Some(5),
        treatment_days: Some(5),
    }
}

#[test]
fn emergency_items_caps_under_136_and_floors_under_20() {
    let c = catalogue();
    let kinds = [
        (
            EmergencyKind::SeriousInjury,
            2_700_000,
            3_600_000,
            5_000_000,
        ),
        (
            EmergencyKind::DeathOrMissing,
            5_400_000,
            18_000_000,
            25_000_000,
        ),
        (
            EmergencyKind::BurialByAgency,
            8_100_000,
            18_000_000,
            25_000_000,
        ),
        (
            EmergencyKind::HouseDestroyed,
            20_000_000,
            40_000_000,
            40_000_000,
        ),
        (
            EmergencyKind::Relocation,
            20_000_000,
            30_000_000,
            30_000_000,
        ),
        (
            EmergencyKind::HouseDamaged,
            15_000_000,
            20_000_000,
            20_000_000,
        ),
    ];
    for (kind, y2019, y2023, y2025) in kinds {
        for (year, m, expected, amount_kind) in [
            (2019, "2019-10", y2019, AmountKind::Cap),
            (2023, "2023-10", y2023, AmountKind::Floor),
            (2025, "2025-10", y2025, AmountKind::Floor),
        ] {
            let mut s = person("1980-01-01", NearPoor);
            s.emergencies.push(emergency(kind, (year, 10, 12)));
            let r = report(&c, m, &s);
            assert_eq!(r.one_offs.len(), 1, "{kind} {m}");
            assert_eq!(r.one_offs[0].amount, Money(expected), "{kind} {m}");
            assert_eq!(r.one_offs[0].amount_kind, amount_kind, "{kind} {m}");
        }
    }
    // Rice: 15 kg × members × months (at most 3; Tết 1).
    let mut s = person("1980-01-01", PovertyStatus::None);
    s.emergencies
        .push(emergency(EmergencyKind::FoodShortage, (2023, 10, 1)));
    s.emergencies
        .push(emergency(EmergencyKind::TetFood, (2023, 10, 2)));
    let e = eval(&c, "2023-10", &s);
    let kg: Vec<i64> = e.one_offs.iter().filter_map(|l| l.quantity_kg).collect();
    assert_eq!(kg, vec![180, 60]);
    // Events of other months trigger nothing this month.
    assert!(eval(&c, "2023-11", &s).one_offs.is_empty());
    // An injury treated under 3 days is not serious; a non-poor household gets no house aid.
    let mut minor = person("1980-01-01", PovertyStatus::None);
    let mut injury = emergency(EmergencyKind::SeriousInjury, (2025, 10, 1));
    injury.treatment_days = Some(2);
    minor.emergencies.push(injury);
    minor
        .emergencies
        .push(emergency(EmergencyKind::HouseDestroyed, (2025, 10, 1)));
    assert!(eval(&c, "2025-10", &minor).one_offs.is_empty());
    minor.household.flags.insert(Flag::HardshipHousehold);
    assert_eq!(eval(&c, "2025-10", &minor).one_offs.len(), 1);
}

#[test]
fn social_pension_funeral_also_when_the_applicant_dies_before_the_decision() {
    // SPEC B §9, §15.2: the funeral support is also paid when an eligible applicant dies
    // before the commune chairman's decision.
    let c = catalogue();
    let mut s = with_flags(
        person("1945-01-01", PovertyStatus::None),
        &[Flag::HasSupporter, Flag::SocialPensionRequested],
    );
    s.decisions.social_pension = Some(month("2025-10"));
    s.person.death_date = chrono::NaiveDate::from_ymd_opt(2025, 9, 10);
    let r = report(&c, "2025-09", &s);
    assert!(r.social_pension.is_none(), "not started yet");
    assert_eq!(r.one_offs.len(), 1);
    assert_eq!(r.one_offs[0].rule_id, "funeral-social-pension");
    assert_eq!(r.one_offs[0].amount, Money(10_000_000));
    // Without a request there is no applicant.
    s.person.flags = Flags::of(&[Flag::HasSupporter]);
    assert!(eval(&c, "2025-09", &s).one_offs.is_empty());
}

#[test]
fn funeral_of_a_facility_resident_under_136_is_labelled_unverified() {
    // SPEC B §4.3: 136/2013 Art. 11(2) (MED, S4) covers regular beneficiaries; what a
    // facility resident got under 136/2013 was not found (B §8).
    let c = catalogue();
    let mut regular = person("1940-01-01", Poor);
    regular.person.death_date = chrono::NaiveDate::from_ymd_opt(2019, 3, 10);
    let r = report(&c, "2019-03", &regular);
    assert_eq!(r.one_offs[0].rule_id, "funeral-beneficiary");
    assert_eq!(
        r.one_offs[0].rule_confidence,
        ansinh_policy::Confidence::Med
    );
    let mut resident = person("2010-01-01", PovertyStatus::None);
    resident.facility = Some(FacilityStay {
        facility_id: Some("ctxh-1".into()),
        admitted: month("2015-01"),
        left: None,
    });
    resident.person.death_date = chrono::NaiveDate::from_ymd_opt(2019, 3, 10);
    let r = report(&c, "2019-03", &resident);
    assert_eq!(r.one_offs.len(), 1);
    assert_eq!(r.one_offs[0].amount, Money(5_400_000));
    assert_eq!(
        r.one_offs[0].rule_confidence,
        ansinh_policy::Confidence::Unverified
    );
    // Under 20/2021 the facility funeral is 50 × base, cited to Art. 25 (SPEC B §8 gives no
    // clause).
    resident.person.death_date = chrono::NaiveDate::from_ymd_opt(2023, 3, 10);
    let r = report(&c, "2023-03", &resident);
    assert_eq!(r.one_offs[0].amount, Money(18_000_000));
    assert_eq!(r.one_offs[0].citation.article, Some(25));
    assert_eq!(r.one_offs[0].citation.clause, None);
}

#[test]
fn nd28_2012_caregiving_coefficients_are_med_and_its_allowance_cites_article_16() {
    // SPEC B §15.4: 28/2012 Art. 17 caregiving 1.0 / 1.5 are MED (only the clause numbers are
    // LOW); SPEC B §2.3 cites 28/2012 Art. 16 without a clause.
    let c = catalogue();
    let mut s = disabled(
        person("1990-01-01", PovertyStatus::None),
        EspeciallySevere,
        "2015-01",
    );
    s.care = Some(Care {
        arrangement: CareArrangement::OwnHousehold,
        carer_id: None,
    });
    let r = report(&c, "2019-06", &s);
    assert_eq!(
        r.caregiving[0].rule_confidence,
        ansinh_policy::Confidence::Med
    );
    let line = &r.monthly_allowance.unwrap().lines[0];
    assert_eq!(line.citation.decree, "28/2012/NĐ-CP");
    assert_eq!(line.citation.article, Some(16));
    assert_eq!(line.citation.clause, None);
    s.care = Some(Care {
        arrangement: CareArrangement::Foster,
        carer_id: None,
    });
    let r = report(&c, "2019-06", &s);
    assert_eq!(
        r.caregiving[0].rule_confidence,
        ansinh_policy::Confidence::Med
    );
}

#[test]
fn one_offs_do_not_stop_with_the_monthly_allowance() {
    let c = catalogue();
    // Eligibility for the monthly allowance lost in 02/2024; the house burns down in May.
    let mut s = person("1950-01-01", Poor);
    s.stop = Some(Stop {
        month: month("2024-02"),
        reason: Some("no longer eligible".into()),
    });
    s.emergencies
        .push(emergency(EmergencyKind::HouseDestroyed, (2024, 5, 10)));
    let e = eval(&c, "2024-05", &s);
    assert_eq!(e.monthly_total(), Money::ZERO);
    assert!(!e.health_insured());
    assert_eq!(
        e.one_offs.len(),
        1,
        "emergency aid does not depend on the allowance"
    );
    assert_eq!(e.one_offs[0].amount, Money(40_000_000));
    // An 80-year-old on a survivor benefit whose allowance stopped earlier still gets the
    // funeral support of Art. 11(1)(c) — but not that of (a).
    let mut survivor = with_flags(
        person("1940-01-01", PovertyStatus::None),
        &[Flag::SurvivorBenefit, Flag::HasPension, Flag::HasSupporter],
    );
    survivor.person.pension_amount = Some(Money(1_000_000));
    survivor.stop = Some(Stop {
        month: month("2024-01"),
        reason: None,
    });
    survivor.person.death_date = chrono::NaiveDate::from_ymd_opt(2025, 3, 1);
    let r = report(&c, "2025-03", &survivor);
    assert_eq!(r.one_offs.len(), 1);
    assert_eq!(r.one_offs[0].rule_id, "funeral-80-survivor-benefit");
    // A burial by an agency in the month after the death is still paid.
    let mut dead = person("1980-01-01", PovertyStatus::None);
    dead.person.death_date = chrono::NaiveDate::from_ymd_opt(2025, 1, 30);
    dead.emergencies
        .push(emergency(EmergencyKind::BurialByAgency, (2025, 2, 3)));
    let e = eval(&c, "2025-02", &dead);
    assert_eq!(e.one_offs.len(), 1);
    assert_eq!(e.one_offs[0].amount, Money(25_000_000));
}

#[test]
fn missing_emergency_facts_are_problems_not_zeros() {
    let c = catalogue();
    let mut s = person("1980-01-01", NearPoor);
    let mut injury = emergency(EmergencyKind::SeriousInjury, (2025, 10, 1));
    injury.treatment_days = None;
    s.emergencies.push(injury);
    let mut shortage = emergency(EmergencyKind::FoodShortage, (2025, 10, 2));
    shortage.months = None;
    s.emergencies.push(shortage);
    let err = rules(&c, "2025-10").evaluate(&s).unwrap_err();
    let found: Vec<(&str, &str)> = err
        .iter()
        .map(|p| (p.code.as_str(), p.path.as_str()))
        .collect();
    assert!(
        found.contains(&("missing-field", "emergencies[0].treatment_days")),
        "{found:?}"
    );
    assert!(
        found.contains(&("missing-field", "emergencies[1].months")),
        "{found:?}"
    );
    // Tết rice is one month per round: no `months` needed.
    let mut tet = person("1980-01-01", NearPoor);
    let mut event = emergency(EmergencyKind::TetFood, (2025, 10, 1));
    event.months = None;
    tet.emergencies.push(event);
    assert_eq!(eval(&c, "2025-10", &tet).one_offs[0].quantity_kg, Some(60));
}

#[test]
fn social_pension_funeral_is_at_the_national_level_not_the_provincial_top_up() {
    // SPEC B §15.2: the funeral is "at the 20/2021 Art. 11(2) level" (20 × 500.000 =
    // 10.000.000, B §9); Hà Nội's +150.000 is a top-up of the monthly pension only.
    let c = catalogue();
    let mut s = with_flags(
        person("1945-01-01", PovertyStatus::None),
        &[Flag::HasSupporter, Flag::SocialPensionRequested],
    );
    s.province = Some("01".into());
    s.person.death_date = chrono::NaiveDate::from_ymd_opt(2026, 3, 5);
    let r = report(&c, "2026-03", &s);
    let pension = r.social_pension.as_ref().unwrap();
    assert_eq!(pension.explanation.amount, Money(650_000));
    assert_eq!(r.one_offs.len(), 1);
    assert_eq!(r.one_offs[0].rule_id, "funeral-social-pension");
    assert_eq!(r.one_offs[0].amount, Money(10_000_000));
}
