//! The demo province: determinism, validity, size, shapes and shares.

use std::collections::{HashMap, HashSet};

use ansinh_domain::cccd::Cccd;
use ansinh_domain::person::{DisabilityLevel, PaymentChannel, PovertyStatus, Relation};
use ansinh_domain::registry::{PersonDraft, PersonInput, validate_person};
use ansinh_synth::{DemoConfig, demo_province};
use chrono::Datelike;

use crate::fixture::{Ctx, REFORM, SEED, TODAY, d, demo, travinh_communes};

fn members() -> impl Iterator<Item = &'static PersonDraft> {
    demo().1.iter().flat_map(|h| h.members.iter())
}

fn share(part: usize, whole: usize) -> f64 {
    part as f64 / whole as f64
}

#[test]
fn the_same_seed_gives_the_same_province_and_another_seed_another() {
    let (communes, households) = demo();
    let again = demo_province(&DemoConfig::new(SEED, TODAY), communes).unwrap();
    assert_eq!(&again, households);
    let mut small = DemoConfig::new(SEED + 1, TODAY);
    small.target_people = 3_000;
    let other = demo_province(&small, communes).unwrap();
    let first_names: Vec<_> = households
        .iter()
        .take(50)
        .map(|h| &h.members[0].full_name)
        .collect();
    let other_names: Vec<_> = other
        .iter()
        .take(50)
        .map(|h| &h.members[0].full_name)
        .collect();
    assert_ne!(first_names, other_names);
}

#[test]
fn every_member_passes_the_domain_validation_unchanged() {
    let (communes, _) = demo();
    let ctx = Ctx::new(TODAY, communes);
    for m in members() {
        match validate_person(&PersonInput::from_draft(m), &ctx) {
            Ok(back) => assert_eq!(&back, m),
            Err(errors) => panic!("{} rejected: {errors:?}", m.full_name),
        }
    }
}

#[test]
fn the_province_has_about_45000_people_in_households_of_1_to_8() {
    let (_, households) = demo();
    let people: usize = households.iter().map(|h| h.members.len()).sum();
    assert!((42_750..=47_250).contains(&people), "{people}");
    let mean = share(people, households.len());
    assert!((3.0..4.5).contains(&mean), "mean household size {mean}");
    let mut sizes = HashMap::new();
    for h in households {
        assert!((1..=8).contains(&h.members.len()));
        assert_eq!(h.members[0].relation, Relation::Head);
        assert_eq!(
            h.members
                .iter()
                .filter(|m| m.relation == Relation::Head)
                .count(),
            1
        );
        *sizes.entry(h.members.len()).or_insert(0) += 1;
        for m in &h.members {
            assert_eq!(m.unit_id, h.unit_id);
            assert_eq!(m.hamlet, h.hamlet);
        }
    }
    for size in 1..=7 {
        assert!(
            sizes.get(&size).copied().unwrap_or(0) > 100,
            "size {size}: {sizes:?}"
        );
    }
    let numbers: HashSet<_> = households.iter().map(|h| h.household_no).collect();
    assert_eq!(numbers.len(), households.len());
}

#[test]
fn ethnic_shares_match_tra_vinh_and_names_match_ethnicity() {
    let all: Vec<_> = members().collect();
    let count = |code: &str| all.iter().filter(|m| m.ethnicity_code == code).count();
    let khmer = share(count("05"), all.len());
    let hoa = share(count("04"), all.len());
    let kinh = share(count("01"), all.len());
    assert!((0.25..0.36).contains(&khmer), "Khmer {khmer}");
    assert!((0.004..0.025).contains(&hoa), "Hoa {hoa}");
    assert!(
        (kinh + khmer + hoa - 1.0).abs() < 1e-9,
        "only Kinh, Khmer, Hoa"
    );
    let khmer_families = [
        "Thạch", "Kim", "Sơn", "Kiên", "Lâm", "Danh", "Trầm", "Dương",
    ];
    let khmer_named = all
        .iter()
        .filter(|m| m.ethnicity_code == "05")
        .filter(|m| {
            khmer_families
                .iter()
                .any(|f| m.full_name.starts_with(&format!("{f} ")))
        })
        .count();
    assert!(share(khmer_named, count("05")) > 0.7);
    let nguyen = all
        .iter()
        .filter(|m| m.ethnicity_code == "01" && m.full_name.starts_with("Nguyễn "))
        .count();
    assert!((0.2..0.4).contains(&share(nguyen, count("01"))));
}

#[test]
fn children_are_younger_than_their_parents_and_grandparents() {
    for h in &demo().1 {
        let head = &h.members[0];
        let spouse = h.members.iter().find(|m| m.relation == Relation::Spouse);
        let year = |m: &PersonDraft| m.birth.year();
        for m in &h.members {
            match m.relation {
                Relation::Child => {
                    assert!(year(m) >= year(head) + 17, "{h:#?}");
                    if let Some(s) = spouse {
                        assert!(year(m) >= year(s) + 17, "{h:#?}");
                    }
                }
                Relation::Grandchild => assert!(year(m) >= year(head) + 35, "{h:#?}"),
                Relation::Parent => assert!(year(m) + 17 <= year(head), "{h:#?}"),
                _ => {}
            }
            assert!(m.birth.assumed_date() <= TODAY);
            assert!(m.birth.age_on(TODAY) <= 101);
        }
        // Spouses are of the other sex.
        if let Some(s) = spouse {
            assert_ne!(s.sex, head.sex);
        }
    }
}

#[test]
fn households_sit_in_a_commune_valid_when_registered_across_the_reform() {
    let (communes, households) = demo();
    let mut before = 0;
    let mut in_2025_list = 0;
    for h in households {
        let c = communes.iter().find(|c| c.unit_id == h.unit_id).unwrap();
        assert!(
            c.valid_at(h.registered_on),
            "{} not valid on {}",
            c.code,
            h.registered_on
        );
        assert_eq!(c.code, h.commune_code);
        assert!(h.registered_on >= d(2019, 1, 1) && h.registered_on <= TODAY);
        if h.registered_on < REFORM {
            before += 1;
        }
        if h.registered_on.year() == 2025 && h.registered_on < REFORM {
            in_2025_list += 1;
        }
    }
    let before = share(before, households.len());
    assert!((0.77..0.87).contains(&before), "{before}");
    assert!(in_2025_list > 100);
    let used: HashSet<_> = households.iter().map(|h| h.unit_id).collect();
    let new_used = communes
        .iter()
        .filter(|c| c.valid_from == REFORM && used.contains(&c.unit_id))
        .count();
    assert_eq!(new_used, 41, "every new commune gets households");
    assert!(used.len() > 140, "{}", used.len());
}

#[test]
fn the_age_pyramid_is_plausible_for_the_mekong_delta() {
    let ages: Vec<i32> = members().map(|m| m.birth.age_on(TODAY)).collect();
    let n = ages.len();
    let at_least = |a: i32| share(ages.iter().filter(|&&x| x >= a).count(), n);
    let under = |a: i32| share(ages.iter().filter(|&&x| x < a).count(), n);
    assert!((0.15..0.30).contains(&under(15)), "under 15: {}", under(15));
    assert!(
        (0.12..0.24).contains(&at_least(60)),
        "60+: {}",
        at_least(60)
    );
    assert!(
        (0.015..0.05).contains(&at_least(80)),
        "80+: {}",
        at_least(80)
    );
    let partial = members().filter(|m| m.birth.is_partial()).count();
    assert!(partial > 100);
    assert!(
        members()
            .filter(|m| m.birth.is_partial())
            .all(|m| m.birth.year() < 1955)
    );
}

#[test]
fn identity_numbers_are_unique_valid_and_where_expected() {
    let mut seen = HashSet::new();
    let mut adults = 0;
    let mut adults_with = 0;
    for m in members() {
        let age = m.birth.age_on(TODAY);
        if let Some(c) = &m.cccd {
            assert!(seen.insert(c.clone()), "duplicate {c}");
            assert!(Cccd::parse_for(c.as_str(), m.sex, m.birth.year()).is_ok());
        }
        if age >= 14 {
            adults += 1;
            adults_with += usize::from(m.cccd.is_some());
        }
        if m.birth_cert_no.is_some() {
            assert!(m.cccd.is_none() && age < 18);
        }
        if age < 14 && m.cccd.is_none() {
            assert!(m.birth_cert_no.is_some());
        }
    }
    assert!(share(adults_with, adults) > 0.9);
    let home = members()
        .filter_map(|m| m.cccd.as_ref())
        .filter(|c| c.province_prefix() == "084")
        .count();
    assert!(share(home, seen.len()) > 0.85);
}

#[test]
fn poverty_rates_are_plausible_falling_and_higher_among_khmer_households() {
    let households = &demo().1;
    let rate = |year: i32, status: PovertyStatus, khmer: Option<bool>| {
        let hs: Vec<_> = households
            .iter()
            .filter(|h| khmer.is_none_or(|k| (h.members[0].ethnicity_code == "05") == k))
            .collect();
        let n = hs
            .iter()
            .filter(|h| h.poverty.iter().any(|&(y, s)| y == year && s == status))
            .count();
        share(n, hs.len())
    };
    for h in households {
        let years: Vec<i32> = h.poverty.iter().map(|(y, _)| *y).collect();
        assert_eq!(years, (2019..=2026).collect::<Vec<_>>());
    }
    let poor_2019 = rate(2019, PovertyStatus::Poor, None);
    let poor_2026 = rate(2026, PovertyStatus::Poor, None);
    let near_2019 = rate(2019, PovertyStatus::NearPoor, None);
    assert!((0.03..0.08).contains(&poor_2019), "poor 2019 {poor_2019}");
    assert!((0.01..0.04).contains(&poor_2026), "poor 2026 {poor_2026}");
    assert!(
        (0.04..0.12).contains(&near_2019),
        "near-poor 2019 {near_2019}"
    );
    assert!(poor_2026 < poor_2019);
    assert!(
        rate(2023, PovertyStatus::Poor, Some(true))
            > 1.5 * rate(2023, PovertyStatus::Poor, Some(false))
    );
    let movers = households
        .iter()
        .filter(|h| h.poverty.windows(2).any(|w| w[0].1 != w[1].1))
        .count();
    assert!(movers > 500, "{movers}");
}

#[test]
fn disability_sensitive_flags_pensions_payments_and_deaths_are_present_in_measure() {
    let all: Vec<_> = members().collect();
    let n = all.len();
    let severe = all
        .iter()
        .filter(|m| {
            matches!(
                m.disability,
                DisabilityLevel::Severe | DisabilityLevel::EspeciallySevere
            )
        })
        .count();
    assert!(
        (0.01..0.025).contains(&share(severe, n)),
        "severe {}",
        share(severe, n)
    );
    let old_severe = all
        .iter()
        .filter(|m| m.birth.age_on(TODAY) >= 60)
        .filter(|m| {
            matches!(
                m.disability,
                DisabilityLevel::Severe | DisabilityLevel::EspeciallySevere
            )
        })
        .count();
    assert!(old_severe * 3 > severe, "more among the elderly");
    for m in &all {
        if m.disability == DisabilityLevel::None {
            assert!(m.disability_cert_date.is_none());
        }
        if let Some(cert) = m.disability_cert_date {
            assert!(cert >= m.birth.assumed_date() && cert <= TODAY);
        }
        if m.payment_channel != PaymentChannel::Cash {
            assert!(m.bank_account.is_some());
        }
        if let Some(death) = m.death_date {
            assert!(death >= m.birth.assumed_date() && death <= TODAY);
        }
    }
    let hiv = all.iter().filter(|m| m.hiv_positive).count();
    assert!(hiv > 0 && share(hiv, n) < 0.003, "hiv {hiv}");
    let deaths = all.iter().filter(|m| m.death_date.is_some()).count();
    assert!(deaths > 20 && share(deaths, n) < 0.02, "deaths {deaths}");
    let elderly: Vec<_> = all.iter().filter(|m| m.birth.age_on(TODAY) >= 60).collect();
    let pensions = elderly.iter().filter(|m| m.has_pension).count();
    assert!((0.05..0.25).contains(&share(pensions, elderly.len())));
    assert!(
        all.iter()
            .any(|m| m.payment_channel == PaymentChannel::Bank)
    );
    assert!(
        all.iter()
            .any(|m| m.payment_channel == PaymentChannel::EWallet)
    );
    assert!(all.iter().filter(|m| m.phone.is_some()).count() > n / 2);
}

#[test]
fn hamlets_include_khmer_names_and_khom_in_wards() {
    let households = &demo().1;
    assert!(households.iter().any(|h| h.hamlet.starts_with("Ấp Sóc ")));
    assert!(households.iter().any(|h| h.hamlet.starts_with("Khóm ")));
    assert!(households.iter().all(|h| h.address.ends_with(&h.hamlet)));
}

#[test]
fn a_different_today_moves_every_date_with_it() {
    let communes = travinh_communes();
    let today = d(2024, 10, 1);
    let mut config = DemoConfig::new(5, today);
    config.target_people = 4_000;
    let hs = demo_province(&config, &communes).unwrap();
    let ctx = Ctx::new(today, &communes);
    for h in &hs {
        assert!(h.registered_on <= today);
        assert_eq!(h.poverty.last().map(|p| p.0), Some(2024));
        for m in &h.members {
            assert!(validate_person(&PersonInput::from_draft(m), &ctx).is_ok());
        }
    }
}
