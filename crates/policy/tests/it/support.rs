//! Builders shared by the integration tests.
#![allow(dead_code)]

use ansinh_domain::person::{DisabilityLevel, PovertyStatus};
use ansinh_policy::facts::*;
use ansinh_policy::{BirthDate, Catalogue, Evaluation, Month, MonthRules, Report, Situation};

pub fn catalogue() -> Catalogue {
    match Catalogue::builtin() {
        Ok(c) => c,
        Err(problems) => {
            for p in &problems {
                eprintln!("{p}");
            }
            panic!("built-in catalogue has {} problems", problems.len());
        }
    }
}

pub fn month(text: &str) -> Month {
    text.parse().unwrap()
}

pub fn born(text: &str) -> BirthDate {
    text.parse().unwrap()
}

pub fn rules(c: &Catalogue, m: &str) -> MonthRules {
    c.for_month(month(m)).unwrap()
}

pub fn person(birth: &str, poverty: PovertyStatus) -> Situation {
    let mut s = Situation::of_person(born(birth));
    s.household.poverty = poverty;
    s
}

pub fn with_flags(mut s: Situation, flags: &[Flag]) -> Situation {
    for f in flags {
        if f.is_household() {
            s.household.flags.insert(*f);
        } else {
            s.person.flags.insert(*f);
        }
    }
    s
}

pub fn disabled(mut s: Situation, level: DisabilityLevel, certificate: &str) -> Situation {
    s.person.disability = level;
    s.person.certificate_month = Some(month(certificate));
    s
}

pub fn eval(c: &Catalogue, m: &str, s: &Situation) -> Evaluation {
    let r = rules(c, m);
    match r.evaluate(s) {
        Ok(e) => e,
        Err(p) => panic!("problems: {p:?}"),
    }
}

pub fn report(c: &Catalogue, m: &str, s: &Situation) -> Report {
    let r = rules(c, m);
    let e = r.evaluate(s).unwrap();
    Report::build(&r, s, &e, ansinh_policy::Lang::Vi)
}

/// The monthly allowance paid, in đồng.
pub fn allowance(c: &Catalogue, m: &str, s: &Situation) -> i64 {
    eval(c, m, s).allowance_total().as_i64()
}

/// Ids of the allowance rules paid.
pub fn paid_rules(c: &Catalogue, m: &str, s: &Situation) -> Vec<String> {
    report(c, m, s)
        .monthly_allowance
        .map(|a| a.lines.into_iter().map(|l| l.rule_id).collect())
        .unwrap_or_default()
}
