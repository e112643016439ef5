//! Real unit lists from `data/units` turned into commune versions, and a validation context.

use std::collections::HashSet;
use std::sync::OnceLock;

use ansinh_domain::ids::UnitId;
use ansinh_domain::registry::RegistryContext;
use ansinh_synth::{CommuneRef, DemoConfig, SynthHousehold, demo_province};
use chrono::NaiveDate;

const TRAVINH_2024: &str = include_str!("../../../../data/units/travinh_2024_units.csv");
const TRAVINH_2025: &str = include_str!("../../../../data/units/travinh_20250301_units.csv");
const VINHLONG_2025: &str = include_str!("../../../../data/units/vinhlong_2025_units.csv");
const COMMUNES_2025: &str = include_str!("../../../../data/units/communes_2025.csv");
const ETHNICITIES: &str = include_str!("../../../../data/ethnicities.csv");

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub const TODAY: NaiveDate = match NaiveDate::from_ymd_opt(2026, 3, 16) {
    Some(x) => x,
    None => NaiveDate::MIN,
};
pub const REFORM: NaiveDate = match NaiveDate::from_ymd_opt(2025, 7, 1) {
    Some(x) => x,
    None => NaiveDate::MIN,
};

fn rows(csv: &str) -> impl Iterator<Item = Vec<&str>> {
    csv.lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').collect())
}

/// Trà Vinh's communes over time, versioned as `data/units/lists.toml` describes: a commune
/// identical in the 2024 and early-2025 lists is one version until 30/06/2025; a commune that
/// disappeared on 01/01/2025 ends on 31/12/2024; Phường 3 (merged with Phường 2 and 6)
/// begins a new version; the new Vĩnh Long communes formed from Trà Vinh begin on 01/07/2025.
pub fn travinh_communes() -> Vec<CommuneRef> {
    let commune = |r: &Vec<&str>| r.get(4) == Some(&"3");
    let key = |r: &Vec<&str>| (r[0].to_string(), r[1].to_string(), r[3].to_string());
    let early_2025: Vec<_> = rows(TRAVINH_2025)
        .filter(commune)
        .map(|r| key(&r))
        .collect();
    let reshaped = ["29242"];
    let mut out = Vec::new();
    let mut id = 0;
    let mut next = || {
        id += 1;
        UnitId(id)
    };
    for r in rows(TRAVINH_2024).filter(commune) {
        let continues = early_2025.contains(&key(&r)) && !reshaped.contains(&r[0]);
        let to = if continues {
            d(2025, 6, 30)
        } else {
            d(2024, 12, 31)
        };
        out.push(
            CommuneRef::new(next(), r[0], d(2008, 1, 1), Some(to))
                .urban(r[2] != "xã")
                .in_province("84"),
        );
    }
    for r in rows(TRAVINH_2025).filter(commune) {
        if reshaped.contains(&r[0]) {
            out.push(
                CommuneRef::new(next(), r[0], d(2025, 1, 1), Some(d(2025, 6, 30)))
                    .urban(r[2] != "xã")
                    .in_province("84"),
            );
        }
    }
    for r in rows(VINHLONG_2025).filter(|r| r.get(4) == Some(&"2")) {
        if r.get(5)
            .is_some_and(|old| old.split(';').any(|p| p == "84"))
        {
            out.push(
                CommuneRef::new(next(), r[0], REFORM, None)
                    .urban(r[2] == "phường")
                    .in_province("86"),
            );
        }
    }
    out
}

/// All 3,321 communes of the 34 provinces from 01/07/2025.
pub fn national_communes() -> Vec<CommuneRef> {
    rows(COMMUNES_2025)
        .enumerate()
        .map(|(i, r)| {
            CommuneRef::new(UnitId(10_000 + i as i64), r[0], REFORM, None)
                .urban(r[2] == "phường")
                .in_province(r[3])
        })
        .collect()
}

pub struct Ctx {
    pub today: NaiveDate,
    ethnicities: HashSet<String>,
    units: HashSet<UnitId>,
}

impl Ctx {
    pub fn new(today: NaiveDate, communes: &[CommuneRef]) -> Ctx {
        Ctx {
            today,
            ethnicities: rows(ETHNICITIES).map(|r| r[0].to_string()).collect(),
            units: communes.iter().map(|c| c.unit_id).collect(),
        }
    }
}

impl RegistryContext for Ctx {
    fn today(&self) -> NaiveDate {
        self.today
    }
    fn ethnicity_exists(&self, code: &str) -> bool {
        self.ethnicities.contains(code)
    }
    /// The commune exists. `validate_person` asks about `today`, but records keep the unit
    /// they were made in (SPEC A4), so a household registered in 2020 rightly sits in a
    /// commune that ended in 2025; validity at the registration date is tested separately.
    fn commune_valid_at(&self, unit: UnitId, _date: NaiveDate) -> bool {
        self.units.contains(&unit)
    }
}

pub const SEED: u64 = 20_250_701;

/// The default demo set, generated once for all tests.
pub fn demo() -> &'static (Vec<CommuneRef>, Vec<SynthHousehold>) {
    static DEMO: OnceLock<(Vec<CommuneRef>, Vec<SynthHousehold>)> = OnceLock::new();
    DEMO.get_or_init(|| {
        let communes = travinh_communes();
        let households = demo_province(&DemoConfig::new(SEED, TODAY), &communes).unwrap();
        (communes, households)
    })
}

#[test]
fn fixture_has_the_documented_unit_counts() {
    let c = travinh_communes();
    let valid = |date| c.iter().filter(|x| x.valid_at(date)).count();
    assert_eq!(valid(d(2024, 6, 1)), 106);
    assert_eq!(valid(d(2025, 3, 1)), 104);
    assert_eq!(valid(d(2025, 8, 1)), 41);
    assert_eq!(national_communes().len(), 3321);
}
