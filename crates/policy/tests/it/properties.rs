//! Property tests: highest-only and its k4 exception, order independence, whole đồng,
//! determinism.

use crate::support::*;
use ansinh_domain::person::{DisabilityLevel, PovertyStatus};
use ansinh_policy::catalogue::BUILTIN;
use ansinh_policy::facts::*;
use ansinh_policy::{
    BirthDate, Catalogue, CatalogueBuilder, Evaluation, Fragment, Lang, Report, Situation,
};
use chrono::NaiveDate;
use proptest::prelude::*;
use std::sync::OnceLock;

fn shared() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(catalogue)
}

const MONTHS: [&str; 8] = [
    "2019-03", "2019-11", "2023-02", "2023-08", "2025-05", "2025-07", "2025-12", "2026-08",
];

fn date() -> impl Strategy<Value = NaiveDate> {
    (1925i32..2024, 1u32..=12, 1u32..=28)
        .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

prop_compose! {
    fn situation()(
        birth in date(),
        partial in 0u8..6,
        poverty in 0u8..3,
        disability in 0u8..4,
        certificate in proptest::option::of(2010i32..2026),
        flag_bits in any::<u32>(),
        k1 in proptest::option::of(0usize..11),
        marital in proptest::option::of(0usize..5),
        children in proptest::collection::vec((date(), any::<bool>()), 0..4),
        care in 0u8..4,
        facility in proptest::option::of(2010i32..2026),
        groups in proptest::option::of(proptest::collection::vec(0usize..6, 1..3)),
        province in 0u8..3,
    ) -> Situation {
        let birth_date = match partial {
            0 => BirthDate::Year(chrono::Datelike::year(&birth)),
            1 => BirthDate::YearMonth { year: chrono::Datelike::year(&birth), month: chrono::Datelike::month(&birth) },
            _ => BirthDate::Full(birth),
        };
        let mut s = Situation::of_person(birth_date);
        s.household.poverty = [PovertyStatus::None, PovertyStatus::NearPoor, PovertyStatus::Poor][poverty as usize];
        s.person.disability = [DisabilityLevel::None, DisabilityLevel::Mild, DisabilityLevel::Severe, DisabilityLevel::EspeciallySevere][disability as usize];
        s.person.certificate_month = certificate.map(|y| ansinh_policy::Month::new(y, 1).unwrap());
        for flag in Flag::ALL {
            if flag_bits & flag.bit() != 0
                && !matches!(flag, Flag::Pregnant | Flag::SupporterOnAllowance | Flag::HasPension | Flag::CommunityCare)
            {
                if flag.is_household() { s.household.flags.insert(*flag) } else { s.person.flags.insert(*flag) }
            }
        }
        s.person.k1_case = k1.map(|i| K1Case::ALL[i]);
        s.person.marital_status = marital.map(|i| MaritalStatus::ALL[i]);
        s.children = children
            .into_iter()
            .filter(|(d, _)| *d > birth.max(s.person.birth_date.assumed_date()) + chrono::Days::new(365 * 14))
            .map(|(d, studying)| Child { birth_date: BirthDate::Full(d), studying, death_date: None })
            .collect();
        s.care = match care {
            1 => Some(Care { arrangement: CareArrangement::Foster, carer_id: None }),
            2 => Some(Care { arrangement: CareArrangement::OwnHousehold, carer_id: None }),
            _ => None,
        };
        if s.care.is_none() {
            s.facility = facility.map(|y| FacilityStay { facility_id: None, admitted: ansinh_policy::Month::new(y, 6).unwrap(), left: None });
        }
        s.groups = groups.unwrap_or_default().into_iter().map(|i| ["k1", "k4", "k5", "k6", "k8", "k2"][i].to_string()).collect();
        s.province = [None, Some("01".to_string()), Some("86".to_string())][province as usize].clone();
        s
    }
}

/// Evaluates, or `None` when the facts are contradictory for the month (e.g. born later).
fn try_eval(
    c: &Catalogue,
    m: &str,
    s: &Situation,
) -> Option<(ansinh_policy::MonthRules, Evaluation)> {
    let rules = c.for_month(month(m)).ok()?;
    let e = rules.evaluate(s).ok()?;
    Some((rules, e))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn allowance_is_one_group_or_the_k4_sum_and_never_below_any(s in situation(), m in 0usize..MONTHS.len()) {
        let c = shared();
        let Some((rules, e)) = try_eval(c, MONTHS[m], &s) else { return Ok(()) };
        let report = Report::build(&rules, &s, &e, Lang::En);
        let paid: i64 = e.allowance.iter().map(|l| l.amount.as_i64()).sum();
        for q in &e.qualifying {
            prop_assert!(paid >= q.amount.as_i64(), "paid {paid} below a qualifying {}", q.amount.as_i64());
        }
        match e.allowance.len() {
            0 => prop_assert!(e.qualifying.is_empty()),
            1 => prop_assert!(e.qualifying.contains(&e.allowance[0])),
            2 => {
                let lines = &report.monthly_allowance.as_ref().unwrap().lines;
                prop_assert_eq!(lines[0].group.as_deref(), Some("k4"));
                prop_assert!(matches!(lines[1].group.as_deref(), Some("k5" | "k6" | "k8")));
            }
            n => prop_assert!(false, "{n} allowance lines"),
        }
    }

    #[test]
    fn amounts_are_whole_dong_and_exact(s in situation(), m in 0usize..MONTHS.len()) {
        let c = shared();
        let Some((_, e)) = try_eval(c, MONTHS[m], &s) else { return Ok(()) };
        for line in e.qualifying.iter().chain(e.paid_lines()) {
            prop_assert!(line.amount.as_i64() >= 0);
            if let Some(coefficient) = line.coefficient {
                // Bases are whole thousands, so base × coefficient needs no rounding.
                prop_assert_eq!(line.base.as_i64() * coefficient % 100, 0);
                prop_assert_eq!(
                    line.amount.as_i64(),
                    line.base.as_i64() * coefficient / 100 * i64::from(line.multiplier)
                );
            }
        }
    }

    #[test]
    fn evaluation_is_deterministic_and_buffers_do_not_leak(a in situation(), b in situation(), m in 0usize..MONTHS.len()) {
        let c = shared();
        let Ok(rules) = c.for_month(month(MONTHS[m])) else { return Ok(()) };
        let fresh_a = rules.evaluate(&a);
        let fresh_b = rules.evaluate(&b);
        let mut reused = Evaluation::new();
        let into_b = rules.evaluate_into(&b, &mut reused).map(|()| reused.clone());
        let into_a = rules.evaluate_into(&a, &mut reused).map(|()| reused.clone());
        prop_assert_eq!(&fresh_a, &into_a);
        prop_assert_eq!(&fresh_b, &into_b);
        prop_assert_eq!(fresh_a, rules.evaluate(&a));
    }

    #[test]
    fn results_do_not_depend_on_the_order_of_groups_or_rules(
        s in situation(),
        m in 0usize..MONTHS.len(),
        seed in any::<u64>(),
    ) {
        let c = shared();
        let shuffled = shuffled_catalogue(seed);
        let original = try_eval(c, MONTHS[m], &s).map(|(r, e)| serde_json::to_value(Report::build(&r, &s, &e, Lang::Vi)).unwrap());
        let other = try_eval(&shuffled, MONTHS[m], &s).map(|(r, e)| serde_json::to_value(Report::build(&r, &s, &e, Lang::Vi)).unwrap());
        prop_assert_eq!(original, other);
        // The groups of a decision, in any order.
        let mut reversed = s.clone();
        reversed.groups.reverse();
        let again = try_eval(c, MONTHS[m], &reversed).map(|(_, e)| e);
        let first = try_eval(c, MONTHS[m], &s).map(|(_, e)| e);
        prop_assert_eq!(first, again);
    }
}

/// The built-in catalogue with every list of rules and groups permuted.
fn shuffled_catalogue(seed: u64) -> Catalogue {
    let mut state = seed | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    fn permute<T>(items: &mut [T], next: &mut dyn FnMut() -> u64) {
        for i in (1..items.len()).rev() {
            let j = (next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
    BUILTIN
        .iter()
        .fold(CatalogueBuilder::new(), |b, (name, text)| {
            let mut f = Fragment::from_toml(name, text).unwrap();
            for v in &mut f.version {
                permute(&mut v.group, &mut next);
                permute(&mut v.rule, &mut next);
                permute(&mut v.caregiving, &mut next);
                permute(&mut v.facility, &mut next);
                permute(&mut v.social_pension, &mut next);
                permute(&mut v.funeral, &mut next);
                permute(&mut v.emergency, &mut next);
                permute(&mut v.health_insurance, &mut next);
            }
            b.add_fragment(name, f)
        })
        .build()
        .unwrap()
}
