//! The national stream: determinism, uniqueness, validity and the beneficiary mix.

use std::collections::{HashMap, HashSet};

use ansinh_domain::cccd::Cccd;
use ansinh_domain::registry::{PersonInput, validate_person};
use ansinh_synth::{BeneficiaryGroup, NationalConfig, Profile, people};

use crate::fixture::{Ctx, TODAY, national_communes};

fn config(seed: u64, profile: Profile) -> NationalConfig {
    NationalConfig {
        seed,
        today: TODAY,
        profile,
    }
}

#[test]
fn the_same_seed_streams_the_same_people() {
    let communes = national_communes();
    let a: Vec<_> = people(&config(7, Profile::Beneficiaries), &communes, 5_000)
        .unwrap()
        .collect();
    let b: Vec<_> = people(&config(7, Profile::Beneficiaries), &communes, 5_000)
        .unwrap()
        .collect();
    let c: Vec<_> = people(&config(8, Profile::Beneficiaries), &communes, 5_000)
        .unwrap()
        .collect();
    assert_eq!(a, b);
    assert_ne!(a, c);
    // Taking in chunks gives the same stream.
    let mut it = people(&config(7, Profile::Beneficiaries), &communes, 5_000).unwrap();
    let mut chunked = Vec::new();
    loop {
        let chunk: Vec<_> = it.by_ref().take(999).collect();
        if chunk.is_empty() {
            break;
        }
        chunked.extend(chunk);
    }
    assert_eq!(chunked, a);
}

#[test]
fn cccd_numbers_are_unique_and_valid_over_200000_people() {
    let communes = national_communes();
    let mut seen = HashSet::with_capacity(200_000);
    let mut with = 0;
    for p in people(&config(1, Profile::Population), &communes, 200_000).unwrap() {
        if let Some(c) = p.cccd {
            with += 1;
            assert!(seen.insert(c), "duplicate {c}");
            assert!(
                Cccd::parse_for(c.as_str(), p.sex, p.birth.year()).is_ok(),
                "{c}"
            );
        }
    }
    assert!(with > 150_000, "{with}");
}

#[test]
fn people_of_both_profiles_pass_the_domain_validation() {
    let communes = national_communes();
    let ctx = Ctx::new(TODAY, &communes);
    for profile in [Profile::Population, Profile::Beneficiaries] {
        for p in people(&config(3, profile), &communes, 20_000).unwrap() {
            let draft = p.into_draft();
            match validate_person(&PersonInput::from_draft(&draft), &ctx) {
                Ok(back) => assert_eq!(back, draft),
                Err(e) => panic!("{} rejected: {e:?}", draft.full_name),
            }
        }
    }
}

#[test]
fn the_beneficiary_mix_is_mostly_elderly_and_disabled() {
    let communes = national_communes();
    let n = 100_000;
    let mut groups: HashMap<&str, usize> = HashMap::new();
    let mut communes_hit = HashSet::new();
    let mut provinces_ok = 0;
    for p in people(&config(4, Profile::Beneficiaries), &communes, n).unwrap() {
        *groups
            .entry(p.facts.group.map(|g| g.code()).unwrap_or("-"))
            .or_default() += 1;
        communes_hit.insert(p.commune_index);
        let c = &communes[p.commune_index as usize];
        assert_eq!(c.unit_id, p.unit_id);
        if p.cccd.is_some_and(|x| x.as_str()[1..3] == c.province_code) {
            provinces_ok += 1;
        }
    }
    let share = |code: &str| groups.get(code).copied().unwrap_or(0) as f64 / n as f64;
    assert!((0.47..0.53).contains(&share("k5c")), "{groups:?}");
    assert!((0.31..0.37).contains(&share("k6")), "{groups:?}");
    for g in BeneficiaryGroup::ALL {
        assert!(groups.contains_key(g.code()), "{} missing", g.code());
    }
    assert!(communes_hit.len() > 3_000, "{}", communes_hit.len());
    assert!(provinces_ok > n as usize * 7 / 10, "{provinces_ok}");
}

#[test]
fn minorities_appear_where_they_live() {
    let communes = national_communes();
    let mut by_province: HashMap<&str, (usize, usize)> = HashMap::new();
    for p in people(&config(5, Profile::Population), &communes, 100_000).unwrap() {
        let c = &communes[p.commune_index as usize];
        let e = by_province.entry(c.province_code.as_str()).or_default();
        e.0 += 1;
        e.1 += usize::from(p.ethnicity.is_minority());
    }
    let minority = |code: &str| {
        let (n, m) = by_province[code];
        m as f64 / n as f64
    };
    assert!(minority("14") > 0.6, "Sơn La {}", minority("14"));
    assert!(minority("01") < 0.03, "Hà Nội {}", minority("01"));
    assert!(
        (0.05..0.25).contains(&minority("92")),
        "Cần Thơ {}",
        minority("92")
    );
}
