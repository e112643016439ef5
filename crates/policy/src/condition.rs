//! The small declarative vocabulary in which the catalogue states eligibility
//! (điều kiện hưởng), and its compiled, allocation-free evaluation.
//!
//! Ages are whole months. A person is in the band `age = { min, max }` in month M when the
//! `min`-th birthday falls in M or earlier and the `max`-th birthday falls in M or later;
//! `age = { min, below }` ends instead in the month before the `below`-th birthday.
//! - `min`: a start or an adjustment at a birthday applies from the birthday month ("từ đủ X
//!   tuổi"; NĐ 20/2021 Art. 8: from the month the person becomes eligible for it).
//! - `max`: an age *limit* — the benefit stops — is paid through the birthday month and stops
//!   from the month after (the month of loss of eligibility is paid in full).
//! - `below`: a band that gives way to another band of the same benefit at that birthday (k1
//!   2.5 → 1.5 at 4): the adjustment applies from the birthday month, so the lower band ends
//!   the month before.

use crate::facts::{CareArrangement, Flag, K1Case, MaritalStatus};
use crate::problem::{Problem, codes};
use ansinh_domain::person::{DisabilityLevel, PovertyStatus, Sex};
use ansinh_domain::{Money, Month};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A condition over the facts, as written in the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConditionDoc {
    All(Vec<ConditionDoc>),
    Any(Vec<ConditionDoc>),
    Not(Box<ConditionDoc>),
    /// Age band in years (see the module rule for months).
    Age(AgeDoc),
    /// Household poverty status in the set (`none`, `near_poor`, `poor`).
    Poverty(Vec<String>),
    /// Disability level in the set (`none`, `mild`, `severe`, `especially_severe`).
    Disability(Vec<String>),
    /// The flag is set.
    Flag(String),
    /// The flag is not set.
    NoFlag(String),
    /// The child's point of Art. 5(1) is in the set.
    K1Case(Vec<String>),
    Marital(Vec<String>),
    Sex(Vec<String>),
    /// Number of children being raised (under 16, or in education under 22).
    ChildrenRaised(RangeDoc),
    /// Number of children under 36 months.
    Infants(RangeDoc),
    InFacility(bool),
    /// Community care arrangement in the set (`foster`, `own_household`).
    Care(Vec<String>),
    /// Base tiers only: the group of the rule being priced.
    Group(Vec<String>),
    /// After the allowance: the person meets an allowance rule of these groups (`k1`) or
    /// group-and-sub-case (`k5d`).
    Qualifies(Vec<String>),
    /// After the allowance: the person is paid `allowance`, `facility` or `social_pension`.
    Receives(Vec<String>),
    /// After the allowance: the facts meet a rule of `allowance`, `facility` or
    /// `social_pension`, whether or not its start month has come (an applicant who dies
    /// before the decision).
    Meets(Vec<String>),
    /// The person's pension is below the base of this scale (or there is none).
    PensionBelowBase(String),
}

/// An age band in years. `min`: from the month of that birthday. `max`: through the month
/// of that birthday (a limit). `below`: through the month before that birthday (a band that
/// gives way to another at that age). Any may be absent; `max` and `below` exclude each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgeDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<u32>,
}

/// A count: `min` included, `max` excluded; either may be absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RangeDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
}

/// What a benefit the person receives is, for `receives`.
pub(crate) const RECEIVES_ALLOWANCE: u8 = 1;
pub(crate) const RECEIVES_FACILITY: u8 = 2;
pub(crate) const RECEIVES_SOCIAL_PENSION: u8 = 4;

/// Where a condition stands decides what it may test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// A base tier: facts and the group being priced.
    Tier,
    /// Allowance, facility and social-pension rules: facts only.
    Facts,
    /// Caregiving, funeral, emergency, health insurance: facts and the outcome so far.
    Outcome,
}

/// Names the compiler resolves.
pub(crate) trait Names {
    fn group_index(&self, code: &str) -> Option<u8>;
    /// Allowance rule indices that `target` (`k1`, `k5d`) designates; empty if none.
    fn qualifying_rules(&self, target: &str) -> Vec<u16>;
    fn scale_index(&self, scale: &str) -> Option<u16>;
}

/// A compiled condition.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cond {
    True,
    All(Box<[Cond]>),
    Any(Box<[Cond]>),
    Not(Box<Cond>),
    Age {
        min: Option<u16>,
        max: Option<u16>,
        below: Option<u16>,
    },
    Poverty(u8),
    Disability(u8),
    Flags(u32),
    NoFlags(u32),
    K1Case(u16),
    Marital(u8),
    Sex(u8),
    ChildrenRaised {
        min: u32,
        max: u32,
    },
    Infants {
        min: u32,
        max: u32,
    },
    InFacility(bool),
    Care(u8),
    Group(u64),
    Qualifies(Box<[u16]>),
    Receives(u8),
    Meets(u8),
    PensionBelowBase(u16),
}

/// The facts of one situation for one month, reduced to integers and bit masks.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Facts {
    pub month: Month,
    /// Month of the (assumed) birth date.
    pub birth: Month,
    /// Born on 29 February: birthdays fall on 1 March in common years.
    pub feb29: bool,
    pub flags: u32,
    pub poverty: u8,
    pub disability: u8,
    pub k1_case: u16,
    pub marital: u8,
    pub sex: u8,
    pub children_raised: u32,
    pub infants: u32,
    pub in_facility: bool,
    pub care: u8,
    /// Monthly pension; `None` when the person has one of unknown amount.
    pub pension: Option<Money>,
}

impl Facts {
    /// The month of the `years`-th birthday.
    pub fn birthday_month(&self, years: u16) -> Month {
        birthday_month(self.birth, self.feb29, years)
    }

    /// `min`: from the month of that birthday; `max`: through it; `below`: until the month
    /// before it.
    pub fn in_age_band(&self, min: Option<u16>, max: Option<u16>, below: Option<u16>) -> bool {
        min.is_none_or(|n| self.birthday_month(n) <= self.month)
            && max.is_none_or(|n| self.birthday_month(n) >= self.month)
            && below.is_none_or(|n| self.birthday_month(n) > self.month)
    }
}

/// The month of the `years`-th birthday of someone born in `birth` (on 29 February when
/// `feb29`: the birthday is 1 March in common years, as `BirthDate::birthday_of_age` says).
pub(crate) fn birthday_month(birth: Month, feb29: bool, years: u16) -> Month {
    let month = birth.plus(12 * i32::from(years));
    if feb29 && !is_leap(month.year()) {
        month.next()
    } else {
        month
    }
}

/// The month in which someone born on `born` completes `months` months: the same day
/// `months` months later or, when that month is too short (29 February, the 31st), the 1st of
/// the month after — the rule `BirthDate::birthday_of_age` applies to 29 February birthdays.
pub(crate) fn anniversary_month(born: NaiveDate, months: u16) -> Month {
    let month = Month::of(born).plus(i32::from(months));
    // Every month has 28 days: only the 29th to the 31st need the calendar.
    if born.day() > 28 && born.day() > month.last_day().day() {
        month.next()
    } else {
        month
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// What is known after the allowance step, for `Place::Outcome` conditions.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Extra<'a> {
    /// Group index of the rule being priced (base tiers).
    pub group: Option<u8>,
    /// Allowance rules whose conditions the person meets.
    pub qualifying: &'a [u16],
    pub receives: u8,
    /// Benefits whose rules the facts meet, started or not (same bits as `receives`).
    pub meets: u8,
    /// The plain base amount of each scale (no tiers), for `pension_below_base`.
    pub scale_amounts: &'a [Option<Money>],
}

impl Cond {
    pub fn holds(&self, f: &Facts, x: &Extra<'_>) -> bool {
        match self {
            Cond::True => true,
            Cond::All(items) => items.iter().all(|c| c.holds(f, x)),
            Cond::Any(items) => items.iter().any(|c| c.holds(f, x)),
            Cond::Not(inner) => !inner.holds(f, x),
            Cond::Age { min, max, below } => f.in_age_band(*min, *max, *below),
            Cond::Poverty(mask) => mask & f.poverty != 0,
            Cond::Disability(mask) => mask & f.disability != 0,
            Cond::Flags(mask) => f.flags & mask == *mask,
            Cond::NoFlags(mask) => f.flags & mask == 0,
            Cond::K1Case(mask) => mask & f.k1_case != 0,
            Cond::Marital(mask) => mask & f.marital != 0,
            Cond::Sex(mask) => mask & f.sex != 0,
            Cond::ChildrenRaised { min, max } => (*min..*max).contains(&f.children_raised),
            Cond::Infants { min, max } => (*min..*max).contains(&f.infants),
            Cond::InFacility(wanted) => f.in_facility == *wanted,
            Cond::Care(mask) => mask & f.care != 0,
            Cond::Group(mask) => x.group.is_some_and(|g| mask & (1u64 << g) != 0),
            Cond::Qualifies(rules) => x.qualifying.iter().any(|r| rules.contains(r)),
            Cond::Receives(mask) => mask & x.receives != 0,
            Cond::Meets(mask) => mask & x.meets != 0,
            Cond::PensionBelowBase(scale) => {
                match x.scale_amounts.get(usize::from(*scale)).copied().flatten() {
                    Some(base) => f.pension.is_some_and(|p| p < base),
                    None => false,
                }
            }
        }
    }
}

pub(crate) fn poverty_bit(p: PovertyStatus) -> u8 {
    match p {
        PovertyStatus::None => 1,
        PovertyStatus::NearPoor => 2,
        PovertyStatus::Poor => 4,
    }
}

pub(crate) fn disability_bit(d: DisabilityLevel) -> u8 {
    match d {
        DisabilityLevel::None => 1,
        DisabilityLevel::Mild => 2,
        DisabilityLevel::Severe => 4,
        DisabilityLevel::EspeciallySevere => 8,
    }
}

pub(crate) fn sex_bit(s: Sex) -> u8 {
    match s {
        Sex::Male => 1,
        Sex::Female => 2,
    }
}

pub(crate) fn care_bit(c: CareArrangement) -> u8 {
    match c {
        CareArrangement::Foster => 1,
        CareArrangement::OwnHousehold => 2,
    }
}

/// Compiles `doc` found at `path`, appending a problem for every unknown name or misplaced
/// test; the result is usable only when no problem was added.
pub(crate) fn compile(
    doc: &ConditionDoc,
    place: Place,
    names: &dyn Names,
    path: &str,
    problems: &mut Vec<Problem>,
) -> Cond {
    let mut unknown = |kind: &str, name: &str, problems: &mut Vec<Problem>| {
        problems.push(Problem::new(
            codes::UNKNOWN_NAME,
            path,
            format!("{name:?} is not a known {kind}"),
        ));
    };
    let misplaced = |what: &str, problems: &mut Vec<Problem>| {
        let allowed = match place {
            Place::Tier => "base tiers",
            Place::Facts => "allowance, facility and social-pension rules",
            Place::Outcome => "caregiving, funeral, emergency and health-insurance rules",
        };
        problems.push(Problem::new(
            codes::CONDITION_NOT_ALLOWED,
            path,
            format!("`{what}` cannot be used in {allowed}"),
        ));
    };
    match doc {
        ConditionDoc::All(items) | ConditionDoc::Any(items) => {
            let compiled: Box<[Cond]> = items
                .iter()
                .enumerate()
                .map(|(i, c)| compile(c, place, names, &format!("{path}[{i}]"), problems))
                .collect();
            if matches!(doc, ConditionDoc::All(_)) {
                Cond::All(compiled)
            } else {
                Cond::Any(compiled)
            }
        }
        ConditionDoc::Not(inner) => {
            Cond::Not(Box::new(compile(inner, place, names, path, problems)))
        }
        ConditionDoc::Age(age) => {
            if age.max.is_some() && age.below.is_some() {
                problems.push(Problem::new(
                    codes::INVALID_RULE,
                    path,
                    "give `max` or `below`, not both: an age limit is paid through the birthday month, a band that gives way ends the month before",
                ));
            }
            for (upper, name) in [(age.max, "max"), (age.below, "below")] {
                if let (Some(min), Some(upper)) = (age.min, upper)
                    && min >= upper
                {
                    problems.push(Problem::new(
                        codes::INVALID_RULE,
                        path,
                        format!("range min {min} must be below {name} {upper}"),
                    ));
                }
            }
            let to_u16 = |v: Option<u32>| v.map(|n| u16::try_from(n).unwrap_or(u16::MAX));
            Cond::Age {
                min: to_u16(age.min),
                max: to_u16(age.max),
                below: to_u16(age.below),
            }
        }
        ConditionDoc::Poverty(list) => Cond::Poverty(mask_of(
            list,
            problems,
            &mut unknown,
            |s| s.parse::<PovertyStatus>().ok().map(poverty_bit),
            "poverty status",
        )),
        ConditionDoc::Disability(list) => Cond::Disability(mask_of(
            list,
            problems,
            &mut unknown,
            |s| s.parse::<DisabilityLevel>().ok().map(disability_bit),
            "disability level",
        )),
        ConditionDoc::Flag(name) | ConditionDoc::NoFlag(name) => {
            let bit = match Flag::parse(name) {
                Some(flag) => flag.bit(),
                None => {
                    unknown("flag", name, problems);
                    0
                }
            };
            if matches!(doc, ConditionDoc::Flag(_)) {
                Cond::Flags(bit)
            } else {
                Cond::NoFlags(bit)
            }
        }
        ConditionDoc::K1Case(list) => {
            let mut mask = 0u16;
            for name in list {
                match K1Case::parse(name) {
                    Some(case) => mask |= 1 << case.index(),
                    None => unknown("k1 case", name, problems),
                }
            }
            Cond::K1Case(mask)
        }
        ConditionDoc::Marital(list) => Cond::Marital(mask_of(
            list,
            problems,
            &mut unknown,
            |s| MaritalStatus::parse(s).map(|m| 1u8 << m.index()),
            "marital status",
        )),
        ConditionDoc::Sex(list) => Cond::Sex(mask_of(
            list,
            problems,
            &mut unknown,
            |s| s.parse::<Sex>().ok().map(sex_bit),
            "sex",
        )),
        ConditionDoc::ChildrenRaised(range) | ConditionDoc::Infants(range) => {
            check_range(range, path, problems);
            let min = range.min.unwrap_or(0);
            let max = range.max.unwrap_or(u32::MAX);
            if matches!(doc, ConditionDoc::ChildrenRaised(_)) {
                Cond::ChildrenRaised { min, max }
            } else {
                Cond::Infants { min, max }
            }
        }
        ConditionDoc::InFacility(wanted) => Cond::InFacility(*wanted),
        ConditionDoc::Care(list) => Cond::Care(mask_of(
            list,
            problems,
            &mut unknown,
            |s| match s {
                "foster" => Some(care_bit(CareArrangement::Foster)),
                "own_household" => Some(care_bit(CareArrangement::OwnHousehold)),
                _ => None,
            },
            "care arrangement",
        )),
        ConditionDoc::Group(list) => {
            if place != Place::Tier {
                misplaced("group", problems);
            }
            let mut mask = 0u64;
            for code in list {
                match names.group_index(code) {
                    Some(i) if i < 64 => mask |= 1 << i,
                    _ => unknown("group", code, problems),
                }
            }
            Cond::Group(mask)
        }
        ConditionDoc::Qualifies(list) => {
            if place != Place::Outcome {
                misplaced("qualifies", problems);
            }
            let mut rules = Vec::new();
            for target in list {
                let found = names.qualifying_rules(target);
                if found.is_empty() {
                    unknown("group or group-and-sub-case", target, problems);
                }
                rules.extend(found);
            }
            rules.sort_unstable();
            rules.dedup();
            Cond::Qualifies(rules.into_boxed_slice())
        }
        ConditionDoc::Receives(list) | ConditionDoc::Meets(list) => {
            let receives = matches!(doc, ConditionDoc::Receives(_));
            if place != Place::Outcome {
                misplaced(if receives { "receives" } else { "meets" }, problems);
            }
            let mask = mask_of(
                list,
                problems,
                &mut unknown,
                |s| match s {
                    "allowance" => Some(RECEIVES_ALLOWANCE),
                    "facility" => Some(RECEIVES_FACILITY),
                    "social_pension" => Some(RECEIVES_SOCIAL_PENSION),
                    _ => None,
                },
                "benefit",
            );
            if receives {
                Cond::Receives(mask)
            } else {
                Cond::Meets(mask)
            }
        }
        ConditionDoc::PensionBelowBase(scale) => {
            if place == Place::Tier {
                misplaced("pension_below_base", problems);
            }
            match names.scale_index(scale) {
                Some(i) => Cond::PensionBelowBase(i),
                None => {
                    unknown("base scale", scale, problems);
                    Cond::PensionBelowBase(u16::MAX)
                }
            }
        }
    }
}

fn mask_of<T: Copy + Default + std::ops::BitOr<Output = T>>(
    list: &[String],
    problems: &mut Vec<Problem>,
    unknown: &mut dyn FnMut(&str, &str, &mut Vec<Problem>),
    parse: impl Fn(&str) -> Option<T>,
    kind: &str,
) -> T {
    let mut mask = T::default();
    for name in list {
        match parse(name) {
            Some(bit) => mask = mask | bit,
            None => unknown(kind, name, problems),
        }
    }
    mask
}

fn check_range(range: &RangeDoc, path: &str, problems: &mut Vec<Problem>) {
    if let (Some(min), Some(max)) = (range.min, range.max)
        && min >= max
    {
        problems.push(Problem::new(
            codes::INVALID_RULE,
            path,
            format!("range min {min} must be below max {max}"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(birth: &str, month: &str) -> Facts {
        let birth: ansinh_domain::BirthDate = birth.parse().unwrap();
        let date = birth.assumed_date();
        Facts {
            month: month.parse().unwrap(),
            birth: Month::of(date),
            feb29: date.month() == 2 && date.day() == 29,
            flags: 0,
            poverty: 1,
            disability: 1,
            k1_case: 0,
            marital: 0,
            sex: 0,
            children_raised: 0,
            infants: 0,
            in_facility: false,
            care: 0,
            pension: Some(Money::ZERO),
        }
    }

    #[test]
    fn age_bands_include_the_birthday_month_at_both_ends() {
        // Born 15/03/1945: turns 80 in March 2025.
        let feb = facts("1945-03-15", "2025-02");
        let mar = facts("1945-03-15", "2025-03");
        let apr = facts("1945-03-15", "2025-04");
        assert!(!feb.in_age_band(Some(80), None, None));
        assert!(mar.in_age_band(Some(80), None, None));
        assert!(feb.in_age_band(Some(60), Some(80), None));
        assert!(
            mar.in_age_band(Some(60), Some(80), None),
            "limit month paid in full"
        );
        assert!(!apr.in_age_band(Some(60), Some(80), None));
        // A band that gives way at 80 ends the month before the birthday.
        assert!(feb.in_age_band(Some(60), None, Some(80)));
        assert!(!mar.in_age_band(Some(60), None, Some(80)));
    }

    #[test]
    fn month_anniversaries_of_short_months_fall_on_the_1st_after() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(anniversary_month(d(2020, 2, 29), 36).to_string(), "2023-03");
        assert_eq!(anniversary_month(d(2020, 2, 29), 48).to_string(), "2024-02");
        assert_eq!(anniversary_month(d(2021, 8, 31), 18).to_string(), "2023-03");
        assert_eq!(anniversary_month(d(2021, 8, 30), 36).to_string(), "2024-08");
    }

    #[test]
    fn leap_day_birthdays_move_to_march_in_common_years() {
        let f = facts("2020-02-29", "2024-02");
        assert_eq!(f.birthday_month(4).to_string(), "2024-02");
        assert_eq!(f.birthday_month(3).to_string(), "2023-03");
    }
}
