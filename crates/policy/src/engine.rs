//! Evaluation (xét hưởng): the facts of one situation and one month → every entitlement.
//!
//! Steps, all driven by the compiled catalogue:
//! 1. stop rules: nothing monthly after the month of death or of loss of eligibility
//!    (that month itself is paid in full), and no health-insurance card;
//! 2. allowance rules met by the facts, each gated by its start (decision month, birthday,
//!    certificate month); the combination rule keeps the highest, or the k4 sum;
//! 3. the facility living allowance and the social pension, which exclude or replace the
//!    monthly allowance as the combination rule says;
//! 4. caregiving support (highest per payee) and the health-insurance card;
//! 5. one-offs, whatever the monthly status: funeral support in the month of death (only
//!    the highest) and emergency items for events in the month (the best rule per event).
//!
//! Lines refer to rules by index; text is rendered only when a [`crate::Report`] is asked
//! for. [`MonthRules::evaluate_into`] reuses the buffers of an [`Evaluation`], so payroll and
//! the benchmark evaluate millions of situations without allocating.

pub use crate::check::check_situation;
use crate::compile::{
    CompiledRule, MonthRules, PayeeKind, PensionMode, Per, ProvincialMode, RuleSet, Start,
};
use crate::condition::{
    self, Extra, Facts, RECEIVES_ALLOWANCE, RECEIVES_FACILITY, RECEIVES_SOCIAL_PENSION, care_bit,
    disability_bit, poverty_bit, sex_bit,
};
use crate::facts::{Emergency, Flag, Situation};
use crate::problem::{Problem, codes};
use ansinh_domain::{Money, Month};
use chrono::Datelike;
use serde::{Deserialize, Serialize};

/// The sections of a policy version; each kind of benefit is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// trợ cấp xã hội hằng tháng
    Allowance,
    /// hỗ trợ kinh phí chăm sóc, nuôi dưỡng hằng tháng
    Caregiving,
    /// trợ cấp nuôi dưỡng tại cơ sở trợ giúp xã hội
    Facility,
    /// trợ cấp hưu trí xã hội
    SocialPension,
    /// hỗ trợ chi phí mai táng
    Funeral,
    /// trợ giúp xã hội khẩn cấp
    Emergency,
    /// bảo hiểm y tế
    HealthInsurance,
}

impl Section {
    pub const COUNT: usize = 7;
    pub const ALL: [Section; Section::COUNT] = [
        Section::Allowance,
        Section::Caregiving,
        Section::Facility,
        Section::SocialPension,
        Section::Funeral,
        Section::Emergency,
        Section::HealthInsurance,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Section::Allowance => "allowance",
            Section::Caregiving => "caregiving",
            Section::Facility => "facility",
            Section::SocialPension => "social_pension",
            Section::Funeral => "funeral",
            Section::Emergency => "emergency",
            Section::HealthInsurance => "health_insurance",
        }
    }

    pub fn parse(text: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The array name in a version's TOML (`[[version.rule]]` for the allowance).
    pub fn toml_key(self) -> &'static str {
        match self {
            Section::Allowance => "rule",
            other => other.as_str(),
        }
    }

    pub(crate) fn bit(self) -> u8 {
        1 << (self as u8)
    }

    /// Monthly benefits recur; the others are one-off.
    pub fn is_monthly(self) -> bool {
        matches!(
            self,
            Section::Allowance | Section::Caregiving | Section::Facility | Section::SocialPension
        )
    }
}

/// One amount due, by reference to the rule that makes it due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub section: Section,
    /// Index of the rule in its section of the month's rule set.
    pub rule: u16,
    /// The base the coefficient multiplies (zero for fixed amounts and rice).
    pub base: Money,
    /// Which tier of the base applied (e.g. the 180.000 base of non-poor beneficiaries).
    pub base_tier: Option<u8>,
    /// A provincial base or top-up raised the base.
    pub base_provincial: bool,
    /// Coefficient in hundredths (2.5 → 250); `None` for fixed amounts.
    pub coefficient: Option<i64>,
    /// Children raised (k4), household members (rice), or 1.
    pub multiplier: u32,
    /// Months of rice.
    pub months: u32,
    pub amount: Money,
    pub quantity_kg: Option<i64>,
    /// Index of the emergency event in the situation.
    pub event: Option<u16>,
    pub payee: PayeeKind,
}

/// A rule whose conditions are met but whose start month has not come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pending {
    pub section: Section,
    pub rule: u16,
    pub starts: Month,
}

/// Whether monthly benefits (and the health-insurance card) run in the month. One-offs do
/// not depend on it: an emergency dated in a stopped month is still helped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Status {
    Active,
    /// Died before the month: benefits stopped from the month after death.
    StoppedAfterDeath {
        death_month: Month,
    },
    /// Eligibility lost before the month (thôi hưởng).
    StoppedAfterLossOfEligibility {
        month: Month,
    },
}

/// The outcome of evaluating one situation for one month.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub month: Month,
    pub status: Status,
    /// 0 = national rules, else the province's variant (see [`MonthRules`]).
    pub rule_set: u16,
    /// Allowance rules met by the facts (started or not), by index.
    pub met: Vec<u16>,
    /// Allowance lines that qualify this month, before combination.
    pub qualifying: Vec<Line>,
    /// Rules met but not started yet.
    pub pending: Vec<Pending>,
    /// The monthly allowance paid: one line, or two where a stack (k4) applies.
    pub allowance: Vec<Line>,
    /// Index of the stack rule that made two lines, if any.
    pub stack: Option<u16>,
    /// The allowance is replaced by the facility allowance or the social pension.
    pub allowance_excluded_by: Option<Section>,
    pub facility: Option<Line>,
    pub social_pension: Option<Line>,
    /// The social pension is lower than the allowance and is not paid.
    pub social_pension_excluded: bool,
    /// Caregiving support, one line per payee.
    pub caregiving: Vec<Line>,
    /// Funeral and emergency items.
    pub one_offs: Vec<Line>,
    /// The health-insurance rule that gives the card.
    pub health_insurance: Option<u16>,
}

impl Default for Evaluation {
    fn default() -> Evaluation {
        Evaluation::new()
    }
}

impl Evaluation {
    pub fn new() -> Evaluation {
        Evaluation {
            month: Month::of(chrono::NaiveDate::MIN),
            status: Status::Active,
            rule_set: 0,
            met: Vec::new(),
            qualifying: Vec::new(),
            pending: Vec::new(),
            allowance: Vec::new(),
            stack: None,
            allowance_excluded_by: None,
            facility: None,
            social_pension: None,
            social_pension_excluded: false,
            caregiving: Vec::new(),
            one_offs: Vec::new(),
            health_insurance: None,
        }
    }

    fn reset(&mut self, month: Month) {
        self.month = month;
        self.status = Status::Active;
        self.rule_set = 0;
        self.met.clear();
        self.qualifying.clear();
        self.pending.clear();
        self.allowance.clear();
        self.stack = None;
        self.allowance_excluded_by = None;
        self.facility = None;
        self.social_pension = None;
        self.social_pension_excluded = false;
        self.caregiving.clear();
        self.one_offs.clear();
        self.health_insurance = None;
    }

    /// The monthly social allowance paid (zero when replaced).
    pub fn allowance_total(&self) -> Money {
        if self.allowance_excluded_by.is_some() {
            Money::ZERO
        } else {
            self.allowance.iter().map(|l| l.amount).sum()
        }
    }

    /// The social pension paid, if any.
    pub fn social_pension_paid(&self) -> Option<&Line> {
        self.social_pension
            .as_ref()
            .filter(|_| !self.social_pension_excluded)
    }

    /// Every monthly line actually paid: allowance, facility, social pension, caregiving.
    pub fn monthly_lines(&self) -> impl Iterator<Item = &Line> {
        let allowance = if self.allowance_excluded_by.is_some() {
            &self.allowance[..0]
        } else {
            &self.allowance[..]
        };
        allowance
            .iter()
            .chain(self.facility.iter())
            .chain(self.social_pension_paid())
            .chain(self.caregiving.iter())
    }

    /// Every amount paid this month, monthly and one-off.
    pub fn paid_lines(&self) -> impl Iterator<Item = &Line> {
        self.monthly_lines().chain(self.one_offs.iter())
    }

    /// Sum of the monthly lines (whoever the payee).
    pub fn monthly_total(&self) -> Money {
        self.monthly_lines().map(|l| l.amount).sum()
    }

    pub fn health_insured(&self) -> bool {
        self.health_insurance.is_some()
    }
}

enum Gate {
    Open,
    From(Month),
}

impl MonthRules {
    /// Evaluates one situation (allocating a fresh [`Evaluation`]).
    pub fn evaluate(&self, situation: &Situation) -> Result<Evaluation, Vec<Problem>> {
        let mut out = Evaluation::new();
        self.evaluate_into(situation, &mut out)?;
        Ok(out)
    }

    /// Evaluates into `out`, reusing its buffers: no heap allocation once they have grown,
    /// unless there are problems to report.
    pub fn evaluate_into(&self, s: &Situation, out: &mut Evaluation) -> Result<(), Vec<Problem>> {
        let month = self.month;
        out.reset(month);
        let problems = check_situation(s, month);
        if !problems.is_empty() {
            return Err(problems);
        }
        let set_index = self.rule_set_index(s.province_in(month));
        out.rule_set = set_index;
        let rs = self.rule_set(set_index);
        let group_mask = decided_groups(rs, s)?;

        if let Some(death) = s.person.death_date {
            let death_month = Month::of(death);
            if death_month < month {
                out.status = Status::StoppedAfterDeath { death_month };
            }
        }
        if out.status == Status::Active
            && let Some(stop) = &s.stop
            && stop.month < month
        {
            out.status = Status::StoppedAfterLossOfEligibility { month: stop.month };
        }

        let f = prepare(rs, s, month);
        if out.status == Status::Active {
            monthly(rs, s, &f, group_mask, out)?;
        }

        // What follows may depend on what is paid, and on what the facts meet.
        let mut receives = 0;
        if out.allowance_total() > Money::ZERO {
            receives |= RECEIVES_ALLOWANCE;
        }
        if out.facility.is_some() {
            receives |= RECEIVES_FACILITY;
        }
        if out.social_pension_paid().is_some() {
            receives |= RECEIVES_SOCIAL_PENSION;
        }
        let pending_in = |section| out.pending.iter().any(|p| p.section == section);
        let mut meets = 0;
        if !out.met.is_empty() {
            meets |= RECEIVES_ALLOWANCE;
        }
        if out.facility.is_some() || pending_in(Section::Facility) {
            meets |= RECEIVES_FACILITY;
        }
        if out.social_pension.is_some() || pending_in(Section::SocialPension) {
            meets |= RECEIVES_SOCIAL_PENSION;
        }
        let outcome = Extra {
            group: None,
            qualifying: &out.met,
            receives,
            meets,
            scale_amounts: &rs.scale_amounts,
        };

        // Caregiving support: the highest per payee.
        if out.status == Status::Active {
            for (i, rule) in rs.rules(Section::Caregiving).iter().enumerate() {
                if !rule.cond.holds(&f, &outcome) {
                    continue;
                }
                let index = rule_index(i);
                match gate(rule.start, Section::Caregiving, s, month)? {
                    Gate::From(starts) => out.pending.push(Pending {
                        section: Section::Caregiving,
                        rule: index,
                        starts,
                    }),
                    Gate::Open => {
                        let line = price(rs, rule, Section::Caregiving, index, &f, 1, 1)?;
                        match out.caregiving.iter_mut().find(|l| l.payee == line.payee) {
                            Some(existing) if line.amount > existing.amount => *existing = line,
                            Some(_) => {}
                            None => out.caregiving.push(line),
                        }
                    }
                }
            }
            // Health insurance: one card.
            out.health_insurance = rs
                .rules(Section::HealthInsurance)
                .iter()
                .position(|r| r.cond.holds(&f, &outcome))
                .map(rule_index);
        }

        // Funeral support in the month of death: only the highest. It does not depend on the
        // monthly status: some cases (a child of a k4 parent, 80+ on a survivor benefit) are
        // not about the allowance at all.
        if s.person.death_date.is_some_and(|d| Month::of(d) == month) {
            let mut best: Option<Line> = None;
            for (i, rule) in rs.rules(Section::Funeral).iter().enumerate() {
                if rule.cond.holds(&f, &outcome) {
                    let line = price(rs, rule, Section::Funeral, rule_index(i), &f, 1, 1)?;
                    if best.is_none_or(|b| line.amount > b.amount) {
                        best = Some(line);
                    }
                }
            }
            out.one_offs.extend(best);
        }

        // Emergency items for events in the month: the best rule per event. Emergencies do
        // not depend on the monthly allowance either.
        let mut problems = Vec::new();
        for (e, event) in s.emergencies.iter().enumerate() {
            if Month::of(event.date) != month {
                continue;
            }
            let mut best: Option<Line> = None;
            for (i, rule) in rs.rules(Section::Emergency).iter().enumerate() {
                if rule.trigger != Some(event.kind) || !rule.cond.holds(&f, &outcome) {
                    continue;
                }
                if !emergency_facts_known(rule, event, e, &mut problems) {
                    continue;
                }
                if event.treatment_days.unwrap_or(0) < rule.min_treatment_days {
                    continue;
                }
                let members = match rule.per {
                    Per::HouseholdMember => event.household_members.unwrap_or(0),
                    _ => 1,
                };
                let months = event
                    .months
                    .unwrap_or(1)
                    .min(rule.max_months.unwrap_or(u32::MAX));
                let mut line = price(
                    rs,
                    rule,
                    Section::Emergency,
                    rule_index(i),
                    &f,
                    members,
                    months,
                )?;
                line.event = u16::try_from(e).ok();
                let better = match best {
                    None => true,
                    Some(b) => (line.amount, line.quantity_kg) > (b.amount, b.quantity_kg),
                };
                if better {
                    best = Some(line);
                }
            }
            out.one_offs.extend(best);
        }
        if !problems.is_empty() {
            problems.sort();
            problems.dedup();
            return Err(problems);
        }

        // Every total of the evaluation is a sum of some of these non-negative lines: if
        // their sum fits in 64 bits, so does every total (no overflow later, anywhere).
        let every_line = out
            .allowance
            .iter()
            .chain(out.facility.iter())
            .chain(out.social_pension.iter())
            .chain(out.caregiving.iter())
            .chain(out.one_offs.iter());
        if checked_total(every_line).is_none() {
            return Err(vec![Problem::new(
                codes::AMOUNT_OVERFLOW,
                "",
                "the amounts of this month do not fit in 64 bits",
            )]);
        }
        Ok(())
    }
}

/// The monthly benefits of an active month: allowance (combined), facility living allowance
/// and social pension, with the exclusions between them.
fn monthly(
    rs: &RuleSet,
    s: &Situation,
    f: &Facts,
    group_mask: u64,
    out: &mut Evaluation,
) -> Result<(), Vec<Problem>> {
    let month = f.month;
    let plain = Extra {
        group: None,
        qualifying: &[],
        receives: 0,
        meets: 0,
        scale_amounts: &rs.scale_amounts,
    };

    // Monthly social allowance.
    for (i, rule) in rs.rules(Section::Allowance).iter().enumerate() {
        let Some(group) = rule.group else { continue };
        if group_mask & (1u64 << group) == 0 || !rule.cond.holds(f, &plain) {
            continue;
        }
        let index = rule_index(i);
        out.met.push(index);
        match gate(rule.start, Section::Allowance, s, month)? {
            Gate::Open => {
                let line = price(rs, rule, Section::Allowance, index, f, 1, 1)?;
                out.qualifying.push(line);
            }
            Gate::From(starts) => out.pending.push(Pending {
                section: Section::Allowance,
                rule: index,
                starts,
            }),
        }
    }
    if !combine_allowance(rs, out) || checked_total(out.allowance.iter()).is_none() {
        return Err(vec![Problem::new(
            codes::AMOUNT_OVERFLOW,
            "",
            "the monthly allowance does not fit in 64 bits",
        )]);
    }

    // Facility living allowance and social pension: facts only, highest of each.
    out.facility = best_started(rs, Section::Facility, s, f, &plain, &mut out.pending)?;
    out.social_pension = best_started(rs, Section::SocialPension, s, f, &plain, &mut out.pending)?;
    if out.facility.is_some()
        && rs.combination.facility_excludes.is_some()
        && !out.allowance.is_empty()
    {
        out.allowance_excluded_by = Some(Section::Facility);
    }
    if let Some(pension) = out.social_pension
        && let Some((PensionMode::HigherOf, _)) = rs.combination.social_pension
        && out.allowance_excluded_by.is_none()
        && !out.allowance.is_empty()
    {
        if pension.amount > out.allowance_total() {
            out.allowance_excluded_by = Some(Section::SocialPension);
        } else {
            out.social_pension_excluded = true;
        }
    }
    Ok(())
}

/// The sum of `lines`, or `None` if it does not fit.
fn checked_total<'a>(mut lines: impl Iterator<Item = &'a Line>) -> Option<Money> {
    lines.try_fold(Money::ZERO, |sum, l| sum.checked_add(l.amount))
}

/// Whether the facts an emergency rule needs are given; lists a problem for each missing
/// one (the engine does not guess a number of treatment days, months or people).
fn emergency_facts_known(
    rule: &CompiledRule,
    event: &Emergency,
    index: usize,
    problems: &mut Vec<Problem>,
) -> bool {
    let mut known = true;
    let mut missing = |field: &str, why: String| {
        known = false;
        problems.push(Problem::new(
            codes::MISSING_FIELD,
            format!("emergencies[{index}].{field}"),
            why,
        ));
    };
    if rule.min_treatment_days > 0 && event.treatment_days.is_none() {
        missing(
            "treatment_days",
            format!(
                "{} needs the days of treatment at a health facility (at least {})",
                rule.doc.id, rule.min_treatment_days
            ),
        );
    }
    if rule.per == Per::HouseholdMember && event.household_members.is_none() {
        missing(
            "household_members",
            format!("{} is per household member", rule.doc.id),
        );
    }
    if rule.quantity_kg.is_some() && rule.max_months.is_none_or(|m| m > 1) && event.months.is_none()
    {
        missing(
            "months",
            format!(
                "{} is per month of shortage: give the months asked for",
                rule.doc.id
            ),
        );
    }
    known
}

fn rule_index(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

/// Bit mask of the groups the decision granted (all when none is named).
fn decided_groups(rs: &RuleSet, s: &Situation) -> Result<u64, Vec<Problem>> {
    if s.groups.is_empty() {
        return Ok(u64::MAX);
    }
    let mut mask = 0u64;
    let mut problems = Vec::new();
    for (i, code) in s.groups.iter().enumerate() {
        match rs.group_index(code) {
            Some(g) if g < 64 => mask |= 1 << g,
            _ => {
                let known: Vec<&str> = rs.groups.iter().map(|g| g.code.as_str()).collect();
                problems.push(Problem::new(
                    codes::UNKNOWN_GROUP,
                    format!("groups[{i}]"),
                    format!(
                        "{code:?} is not a group of {} (known: {})",
                        rs.version.id,
                        known.join(", ")
                    ),
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(mask)
    } else {
        Err(problems)
    }
}

fn decision_for(s: &Situation, section: Section) -> Option<Month> {
    match section {
        Section::Allowance => s.decisions.allowance,
        Section::Caregiving => s.decisions.caregiving,
        Section::Facility => s.decisions.facility,
        Section::SocialPension => s.decisions.social_pension,
        _ => None,
    }
}

/// Whether a rule met by the facts has started (NĐ 20/2021 Art. 8).
fn gate(start: Start, section: Section, s: &Situation, month: Month) -> Result<Gate, Vec<Problem>> {
    let decision = decision_for(s, section);
    Ok(match start {
        // The age band itself starts the rule in the birthday month.
        Start::Birthday => Gate::Open,
        Start::Certificate => match (s.person.certificate_month, decision) {
            (Some(c), _) if c <= month => Gate::Open,
            (Some(c), _) => Gate::From(c),
            (None, None) => Gate::Open,
            (None, Some(_)) => {
                return Err(vec![Problem::new(
                    codes::MISSING_CERTIFICATE_MONTH,
                    "person.certificate_month",
                    "the disability allowance starts in the month the disability certificate was issued: give that month",
                )]);
            }
        },
        Start::Decision => match decision {
            Some(d) if d > month => Gate::From(d),
            _ => Gate::Open,
        },
    })
}

/// Facts reduced to integers for the month.
fn prepare(rs: &RuleSet, s: &Situation, month: Month) -> Facts {
    let born = s.person.birth_date.assumed_date();
    let defs = rs.definitions;
    let mut flags = s.all_flags();
    if s.person.pension_amount.is_some_and(|p| p > Money::ZERO) {
        flags.insert(Flag::HasPension);
    }
    let mut children_raised = 0;
    let mut infants = 0;
    for child in &s.children {
        let child_born = child.birth_date.assumed_date();
        let child_birth = Month::of(child_born);
        if child_birth > month || child.death_date.is_some_and(|d| Month::of(d) < month) {
            continue;
        }
        let feb29 = child_born.month() == 2 && child_born.day() == 29;
        let until = |years: u16| condition::birthday_month(child_birth, feb29, years) >= month;
        if until(defs.child_raised_age_below) || (child.studying && until(defs.studying_age_below))
        {
            children_raised += 1;
        }
        if condition::anniversary_month(child_born, defs.infant_age_months_below) >= month {
            infants += 1;
        }
    }
    let pension = match (s.person.pension_amount, flags.contains(Flag::HasPension)) {
        (Some(p), _) => Some(p),
        (None, false) => Some(Money::ZERO),
        (None, true) => None,
    };
    Facts {
        month,
        birth: Month::of(born),
        feb29: born.month() == 2 && born.day() == 29,
        flags: flags.0,
        poverty: poverty_bit(s.household.poverty),
        disability: disability_bit(s.person.disability),
        k1_case: s.person.k1_case.map_or(0, |c| 1 << c.index()),
        marital: s.person.marital_status.map_or(0, |m| 1 << m.index()),
        sex: s.person.sex.map_or(0, sex_bit),
        children_raised,
        infants,
        in_facility: s.facility.as_ref().is_some_and(|stay| stay.covers(month)),
        care: s.care.as_ref().map_or(0, |c| care_bit(c.arrangement)),
        pension,
    }
}

/// The base for a rule: the first matching tier, then the provincial level.
fn base_for(
    rs: &RuleSet,
    rule: &CompiledRule,
    section: Section,
    f: &Facts,
) -> Result<(Money, Option<u8>, bool), Vec<Problem>> {
    let Some(base) = rs
        .bases
        .get(usize::from(rule.scale))
        .and_then(Option::as_ref)
    else {
        return Err(vec![Problem::new(
            codes::NO_BASE_LEVEL,
            rule.doc.id.clone(),
            "no base level is in force for this rule",
        )]);
    };
    let extra = Extra {
        group: rule.group,
        qualifying: &[],
        receives: 0,
        meets: 0,
        scale_amounts: &rs.scale_amounts,
    };
    let (mut amount, tier) = base
        .tiers
        .iter()
        .enumerate()
        .find(|(_, t)| {
            (t.sections == 0 || t.sections & section.bit() != 0) && t.cond.holds(f, &extra)
        })
        .map_or((base.national.amount, None), |(i, t)| {
            (t.info.amount, u8::try_from(i).ok())
        });
    let mut provincial = false;
    match &base.provincial {
        Some((ProvincialMode::TopUp, p)) => {
            amount = amount.checked_add(p.amount).ok_or_else(|| overflow(rule))?;
            provincial = true;
        }
        Some((ProvincialMode::AtLeast, p)) if p.amount > amount => {
            amount = p.amount;
            provincial = true;
        }
        _ => {}
    }
    Ok((amount, tier, provincial))
}

fn overflow(rule: &CompiledRule) -> Vec<Problem> {
    vec![Problem::new(
        codes::AMOUNT_OVERFLOW,
        rule.doc.id.clone(),
        "the amount does not fit in 64 bits",
    )]
}

/// Prices a rule: base × coefficient × multiplier, a fixed amount, or rice.
fn price(
    rs: &RuleSet,
    rule: &CompiledRule,
    section: Section,
    index: u16,
    f: &Facts,
    members: u32,
    months: u32,
) -> Result<Line, Vec<Problem>> {
    let multiplier = match rule.per {
        Per::Person => 1,
        Per::ChildRaised => f.children_raised,
        Per::HouseholdMember => members,
    };
    let mut line = Line {
        section,
        rule: index,
        base: Money::ZERO,
        base_tier: None,
        base_provincial: false,
        coefficient: None,
        multiplier,
        months: 1,
        amount: Money::ZERO,
        quantity_kg: None,
        event: None,
        payee: rule.payee,
    };
    if let Some(coefficient) = rule.coefficient {
        let (base, tier, provincial) = base_for(rs, rule, section, f)?;
        line.base = base;
        line.base_tier = tier;
        line.base_provincial = provincial;
        line.coefficient = Some(coefficient);
        line.amount = base
            .times_hundredths(coefficient)
            .and_then(|a| a.checked_mul(i64::from(multiplier)))
            .ok_or_else(|| overflow(rule))?;
    } else if let Some(amount) = rule.amount {
        line.amount = amount
            .checked_mul(i64::from(multiplier))
            .ok_or_else(|| overflow(rule))?;
    } else if let Some(kg) = rule.quantity_kg {
        line.months = months;
        line.quantity_kg = kg
            .checked_mul(i64::from(multiplier))
            .and_then(|q| q.checked_mul(i64::from(months)));
        if line.quantity_kg.is_none() {
            return Err(overflow(rule));
        }
    }
    Ok(line)
}

/// The best line of a facts-only section whose start has come; met-but-pending rules are
/// recorded.
fn best_started(
    rs: &RuleSet,
    section: Section,
    s: &Situation,
    f: &Facts,
    plain: &Extra<'_>,
    pending: &mut Vec<Pending>,
) -> Result<Option<Line>, Vec<Problem>> {
    let mut best: Option<Line> = None;
    for (i, rule) in rs.rules(section).iter().enumerate() {
        if !rule.cond.holds(f, plain) {
            continue;
        }
        let index = rule_index(i);
        match gate(rule.start, section, s, f.month)? {
            Gate::From(starts) => pending.push(Pending {
                section,
                rule: index,
                starts,
            }),
            Gate::Open => {
                let line = price(rs, rule, section, index, f, 1, 1)?;
                if best.is_none_or(|b| line.amount > b.amount) {
                    best = Some(line);
                }
            }
        }
    }
    Ok(best)
}

/// Highest-only (chỉ hưởng một mức cao nhất), with the stacking exceptions (k4). Ties keep
/// the rule with the smaller id, so the result never depends on catalogue order. `false`
/// when a stacked sum does not fit in 64 bits.
fn combine_allowance(rs: &RuleSet, out: &mut Evaluation) -> bool {
    let lines = &out.qualifying;
    if lines.is_empty() {
        return true;
    }
    if !rs.combination.highest_only {
        out.allowance.extend(lines.iter().copied());
        return true;
    }
    let rules = rs.rules(Section::Allowance);
    let group_of = |l: &Line| rules.get(usize::from(l.rule)).and_then(|r| r.group);
    let best = |keep: &dyn Fn(&Line) -> bool| -> Option<Line> {
        lines
            .iter()
            .filter(|l| keep(l))
            .fold(None, |best: Option<Line>, l| match best {
                Some(b) if b.amount >= l.amount => Some(b),
                _ => Some(*l),
            })
    };
    let Some(single) = best(&|_| true) else {
        return true;
    };
    let mut total = single.amount;
    out.allowance.push(single);
    for (i, stack) in rs.combination.stacks.iter().enumerate() {
        let first = best(&|l| group_of(l) == Some(stack.group));
        let second =
            best(&|l| group_of(l).is_some_and(|g| g < 64 && stack.with & (1u64 << g) != 0));
        if let (Some(a), Some(b)) = (first, second) {
            let Some(sum) = a.amount.checked_add(b.amount) else {
                return false;
            };
            if sum > total {
                total = sum;
                out.allowance.clear();
                out.allowance.push(a);
                out.allowance.push(b);
                out.stack = u16::try_from(i).ok();
            }
        }
    }
    true
}
