//! Facts that contradict each other or the month asked about. Each is a [`Problem`] with a
//! stable code and a path; the engine never computes an amount from such facts.

use crate::facts::{CareArrangement, Flag, Situation};
use crate::problem::{Problem, codes};
use ansinh_domain::person::Sex;
use ansinh_domain::{BirthDate, Month};

/// Every problem of `s` for `month`. Allocates nothing when there is none.
pub fn check_situation(s: &Situation, month: Month) -> Vec<Problem> {
    let mut problems = Vec::new();
    let person = &s.person;
    let born = person.birth_date.assumed_date();
    let birth_month = Month::of(born);
    if birth_month > month {
        problems.push(Problem::new(
            codes::BIRTH_AFTER_MONTH,
            "person.birth_date",
            format!(
                "born {} — after the month evaluated, {month}",
                person.birth_date
            ),
        ));
    }
    if let Some(death) = person.death_date
        && death < born
    {
        problems.push(Problem::new(
            codes::DEATH_BEFORE_BIRTH,
            "person.death_date",
            format!("died {death}, before the birth date {}", person.birth_date),
        ));
    }
    let before_birth = |path: &str, m: Option<Month>, problems: &mut Vec<Problem>| {
        if let Some(m) = m
            && m < birth_month
        {
            problems.push(Problem::new(
                codes::DATE_BEFORE_BIRTH,
                path,
                format!("{m} is before the birth date {}", person.birth_date),
            ));
        }
    };
    before_birth(
        "person.certificate_month",
        person.certificate_month,
        &mut problems,
    );
    before_birth("decisions.allowance", s.decisions.allowance, &mut problems);
    before_birth(
        "decisions.caregiving",
        s.decisions.caregiving,
        &mut problems,
    );
    before_birth("decisions.facility", s.decisions.facility, &mut problems);
    before_birth(
        "decisions.social_pension",
        s.decisions.social_pension,
        &mut problems,
    );
    if let Some(stay) = &s.facility {
        before_birth("facility.admitted", Some(stay.admitted), &mut problems);
        if let Some(left) = stay.left
            && left < stay.admitted
        {
            problems.push(Problem::new(
                codes::IMPOSSIBLE_FACT,
                "facility.left",
                format!("left in {left}, before admission in {}", stay.admitted),
            ));
        }
    }

    let flags = s.all_flags();
    let in_facility = s.facility.as_ref().is_some_and(|f| f.covers(month));
    if in_facility && flags.contains(Flag::CommunityCare) {
        problems.push(Problem::new(
            codes::EXCLUSIVE_FLAGS,
            "person.flags",
            "`community_care` (cared for in the community) and a facility stay in the same month exclude each other",
        ));
    }
    if in_facility && let Some(care) = &s.care {
        problems.push(Problem::new(
            codes::EXCLUSIVE_FLAGS,
            "care.arrangement",
            match care.arrangement {
                CareArrangement::Foster => {
                    "foster care in the community and a facility stay in the same month exclude each other"
                }
                CareArrangement::OwnHousehold => {
                    "care by the person's own household and a facility stay in the same month exclude each other"
                }
            },
        ));
    }
    if flags.contains(Flag::Pregnant) && person.sex == Some(Sex::Male) {
        problems.push(Problem::new(
            codes::EXCLUSIVE_FLAGS,
            "person.flags",
            "`pregnant` and sex `male` exclude each other",
        ));
    }
    if flags.contains(Flag::SupporterOnAllowance) && !flags.contains(Flag::HasSupporter) {
        problems.push(Problem::new(
            codes::EXCLUSIVE_FLAGS,
            "person.flags",
            "`supporter_on_allowance` needs `has_supporter`: a supporter on the allowance is still a supporter",
        ));
    }
    if flags.contains(Flag::SocialPensionRequested)
        && flags.contains(Flag::HasPension)
        && person.pension_amount.is_none()
    {
        problems.push(Problem::new(
            codes::MISSING_PENSION_AMOUNT,
            "person.pension_amount",
            "the social pension depends on whether the pension is below it: give the monthly amount",
        ));
    }
    if person
        .pension_amount
        .is_some_and(|p| p.as_i64() > 0 && !flags.contains(Flag::HasPension))
    {
        problems.push(Problem::new(
            codes::EXCLUSIVE_FLAGS,
            "person.pension_amount",
            "a pension amount is given but `has_pension` is not set",
        ));
    }

    for (i, child) in s.children.iter().enumerate() {
        let child_born = child.birth_date.assumed_date();
        if earliest_possible(person.birth_date) > latest_possible(child.birth_date) {
            problems.push(Problem::new(
                codes::IMPOSSIBLE_FACT,
                format!("children[{i}].birth_date"),
                format!(
                    "the child ({}) is born before the person ({})",
                    child.birth_date, person.birth_date
                ),
            ));
        }
        if let Some(death) = child.death_date
            && death < child_born
        {
            problems.push(Problem::new(
                codes::DEATH_BEFORE_BIRTH,
                format!("children[{i}].death_date"),
                format!("died {death}, before the birth date {}", child.birth_date),
            ));
        }
    }
    for (i, pair) in s.moves.windows(2).enumerate() {
        if pair[1].stop_month <= pair[0].stop_month {
            problems.push(Problem::new(
                codes::MOVES_OUT_OF_ORDER,
                format!("moves[{}].stop_month", i + 1),
                "moves must be listed oldest first, one stop month each",
            ));
        }
    }
    problems
}

fn earliest_possible(b: BirthDate) -> chrono::NaiveDate {
    b.assumed_date()
}

/// The last day a partial birth date could stand for.
fn latest_possible(b: BirthDate) -> chrono::NaiveDate {
    match b {
        BirthDate::Full(d) => d,
        BirthDate::YearMonth { .. } => Month::of(b.assumed_date()).last_day(),
        BirthDate::Year(y) => {
            chrono::NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or(chrono::NaiveDate::MAX)
        }
    }
}
