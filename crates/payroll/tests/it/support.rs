//! Builders shared by the integration tests.
#![allow(dead_code)]

use ansinh_domain::ids::{EntitlementId, PersonId};
use ansinh_domain::person::{DisabilityLevel, PaymentChannel, PovertyStatus};
use ansinh_domain::{Month, UnitCode};
use ansinh_payroll::*;
use ansinh_policy::catalogue::{BUILTIN, Fragment};
use ansinh_policy::facts::Flag;
use ansinh_policy::{BirthDate, Catalogue, CatalogueBuilder, Money, Situation};
use std::borrow::Cow;

pub const COMMUNE_A: &str = "29242";
pub const COMMUNE_B: &str = "29245";
pub const PROVINCE: &str = "84";

pub fn catalogue() -> Catalogue {
    Catalogue::builtin().unwrap()
}

/// The catalogue as it stood in June 2024, before NĐ 76/2024/NĐ-CP was signed: base
/// 360.000, NĐ 20/2021 in force, nothing later.
pub fn catalogue_june_2024() -> Catalogue {
    let mut b = CatalogueBuilder::new();
    for (name, text) in BUILTIN {
        match *name {
            "base_levels.toml" => {
                let mut f = Fragment::from_toml(name, text).unwrap();
                f.base.retain(|b| b.from < month("2024-07"));
                b = b.add_fragment(name, f);
            }
            "nd136-2013.toml" | "nd20-2021.toml" => b = b.add_toml(name, text),
            _ => {}
        }
    }
    b.build().unwrap()
}

pub fn month(text: &str) -> Month {
    text.parse().unwrap()
}

pub fn unit(code: &str) -> UnitCode {
    UnitCode::parse(code).unwrap()
}

pub fn born(text: &str) -> BirthDate {
    text.parse().unwrap()
}

pub fn date(text: &str) -> chrono::NaiveDate {
    text.parse().unwrap()
}

/// An entitlement in commune A, paid in cash, beneficiary `1000 + id`.
pub fn entitlement(id: i64, s: Situation) -> Entitlement<'static> {
    Entitlement {
        id: EntitlementId(id),
        beneficiary: PersonId(1000 + id),
        paying_unit: unit(COMMUNE_A),
        province: unit(PROVINCE),
        channel: PaymentChannel::Cash,
        account: None,
        payees: Vec::new(),
        status: EntitlementStatus::Active,
        since: None,
        until: None,
        situation: Cow::Owned(s),
        ledger: Ledger::default(),
        facts: None,
    }
}

/// Elderly, poor household, nobody to support them (k5a): 1,5 × base from 60, 2,0 from 80.
pub fn elderly_poor(birth: &str, decision: &str) -> Situation {
    let mut s = Situation::of_person(born(birth));
    s.household.poverty = PovertyStatus::Poor;
    s.decisions.allowance = Some(month(decision));
    s.groups = vec!["k5".into()];
    s
}

/// 80 or more, no pension, someone supports them (k5c): 1,0 × base from the 80th birthday.
pub fn elderly_80(birth: &str, decision: &str) -> Situation {
    let mut s = Situation::of_person(born(birth));
    s.person.flags.insert(Flag::HasSupporter);
    s.decisions.allowance = Some(month(decision));
    s.groups = vec!["k5".into()];
    s
}

/// Adult with especially severe disability (k6): 2,0 × base from the certificate month.
pub fn disabled_adult(birth: &str, certificate: &str, decision: &str) -> Situation {
    let mut s = Situation::of_person(born(birth));
    s.person.disability = DisabilityLevel::EspeciallySevere;
    s.person.certificate_month = Some(month(certificate));
    s.decisions.allowance = Some(month(decision));
    s.groups = vec!["k6".into()];
    s
}

pub fn run_with(c: &Catalogue, m: &str, es: &[Entitlement<'_>], one_offs: &[OneOff]) -> Run {
    compute_run(&PayrollInput {
        catalogue: c,
        month: month(m),
        config: PayrollConfig::default(),
        entitlements: es,
        one_offs,
    })
    .unwrap()
}

pub fn run(m: &str, es: &[Entitlement<'_>]) -> Run {
    run_with(&catalogue(), m, es, &[])
}

/// `(kind, for_month, amount, reason)` of every line.
pub fn summary(run: &Run) -> Vec<(String, String, i64, String)> {
    run.lines()
        .map(|l| {
            (
                l.key.kind.as_str().to_string(),
                l.key.for_month.to_string(),
                l.amount.as_i64(),
                l.reason.as_str().to_string(),
            )
        })
        .collect()
}

/// The ledger of `e` after `run` with every payment of the run having `outcome`.
pub fn settle_all(run: &Run, e: &Entitlement<'_>, outcome: Outcome) -> results::Settlement {
    let u = run.unit(&e.paying_unit).unwrap();
    settle(u, e.id, &e.ledger, |_| Some(outcome))
}

/// Runs `months` one after another, every payment collected, and returns the runs; the
/// entitlements' ledgers are updated in place.
pub fn run_months(c: &Catalogue, months: &[&str], es: &mut [Entitlement<'static>]) -> Vec<Run> {
    let mut runs = Vec::new();
    for m in months {
        let r = run_with(c, m, es, &[]);
        for e in es.iter_mut() {
            if let Some(u) = r.unit(&e.paying_unit) {
                let s = settle(u, e.id, &e.ledger, |_| Some(Outcome::Paid));
                e.ledger = s.ledger;
            }
        }
        runs.push(r);
    }
    runs
}

pub fn total(run: &Run) -> i64 {
    run.totals.net.as_i64()
}

pub fn money(n: i64) -> Money {
    Money(n)
}
