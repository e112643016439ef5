//! Arrears and recovery (truy lĩnh, thu hồi): what was due month by month against what was
//! actually paid, with the reason for each difference.
//!
//! What is due is re-evaluated with today's catalogue and today's facts — a base decreed
//! after its effective date, a start earlier than the decision (80th birthday, certificate
//! month), a death reported late — and compared, per month, kind of benefit and payee, with
//! the payment history.

use crate::catalogue::Catalogue;
use crate::compile::PayeeKind;
use crate::engine::{Evaluation, Section, Status};
use crate::facts::Situation;
use crate::problem::{Problem, codes};
use ansinh_domain::{Money, Month};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An amount actually paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaidLine {
    pub month: Month,
    pub kind: Section,
    pub payee: PayeeKind,
    pub amount: Money,
}

/// Why a month's amount differs from what was paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ArrearsReason {
    /// Paid after the month of death: to recover.
    PaidAfterDeath,
    /// Paid after eligibility was lost: to recover.
    PaidAfterLossOfEligibility,
    /// Due before the decision month (start at a birthday or the certificate month).
    StartBeforeDecision,
    /// The base in force was signed, or took legal effect, in or after the month (76/2024,
    /// signed and in force on 1/7/2024; 335/2026, in force 5/10/2026 for 07/2026 on): the
    /// month's list was drawn up at the old base.
    BaseDecreedLate,
    /// The amount changed from the previous month (age band, children, base) and the
    /// payment did not follow.
    AdjustmentNotApplied,
    /// Due but not paid.
    NotPaid,
    Underpaid,
    Overpaid,
}

/// One month's difference for one kind of benefit and payee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArrearsLine {
    pub month: Month,
    pub kind: Section,
    pub payee: PayeeKind,
    pub due: Money,
    pub paid: Money,
    /// `due − paid`: positive = owed to the beneficiary (truy lĩnh), negative = to recover
    /// (thu hồi).
    pub difference: Money,
    pub reason: ArrearsReason,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArrearsReport {
    pub from: Month,
    pub through: Month,
    pub lines: Vec<ArrearsLine>,
    /// Sum of positive differences.
    pub owed: Money,
    /// Sum of negative differences, as a positive amount.
    pub to_recover: Money,
}

type Key = (Month, Section, PayeeKind);

/// Compares what `situation` was due from `from` through `through` with `paid`.
pub fn arrears(
    catalogue: &Catalogue,
    situation: &Situation,
    from: Month,
    through: Month,
    paid: &[PaidLine],
) -> Result<ArrearsReport, Vec<Problem>> {
    let mut due: BTreeMap<Key, Money> = BTreeMap::new();
    let mut paid_by: BTreeMap<Key, Money> = BTreeMap::new();
    let mut context: BTreeMap<Month, MonthContext> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut evaluation = Evaluation::new();
    for month in from.through(through) {
        let rules = match catalogue.for_month(month) {
            Ok(r) => r,
            Err(p) => {
                problems.extend(p);
                continue;
            }
        };
        if let Err(p) = rules.evaluate_into(situation, &mut evaluation) {
            problems.extend(p.into_iter().map(|mut p| {
                p.message = format!("{} (in {month})", p.message);
                p
            }));
            continue;
        }
        // No overflow: the evaluation checked that the sum of all its lines fits.
        for line in evaluation.paid_lines() {
            *due.entry((month, line.section, line.payee)).or_default() += line.amount;
        }
        let rs = rules.rule_set(evaluation.rule_set);
        let late_base = evaluation.paid_lines().any(|line| {
            rs.rules(line.section)
                .get(usize::from(line.rule))
                .and_then(|rule| rs.bases.get(usize::from(rule.scale)))
                .and_then(Option::as_ref)
                .and_then(|b| catalogue.base(&b.national.id))
                .and_then(|b| b.signed.max(b.in_force))
                .is_some_and(|known| Month::of(known) >= month && line.coefficient.is_some())
        });
        context.insert(
            month,
            MonthContext {
                status: evaluation.status,
                late_base,
            },
        );
    }
    problems.sort();
    problems.dedup();
    if !problems.is_empty() {
        return Err(problems);
    }
    // Paid amounts come from outside: every sum is checked.
    let overflow = |what: &str| {
        vec![Problem::new(
            codes::AMOUNT_OVERFLOW,
            "paid",
            format!("{what} does not fit in 64 bits"),
        )]
    };
    for p in paid
        .iter()
        .filter(|p| from <= p.month && p.month <= through)
    {
        let sum = paid_by.entry((p.month, p.kind, p.payee)).or_default();
        *sum = sum
            .checked_add(p.amount)
            .ok_or_else(|| overflow(&format!("the amount paid in {}", p.month)))?;
    }

    let mut keys: Vec<Key> = due.keys().chain(paid_by.keys()).copied().collect();
    keys.sort();
    keys.dedup();
    let mut lines = Vec::new();
    for key in keys {
        let (month, kind, payee) = key;
        let due_amount = due.get(&key).copied().unwrap_or_default();
        let paid_amount = paid_by.get(&key).copied().unwrap_or_default();
        if due_amount == paid_amount {
            continue;
        }
        let previous_due = due.get(&(month.prev(), kind, payee)).copied();
        let reason = reason(
            situation,
            context.get(&month),
            month,
            kind,
            due_amount,
            paid_amount,
            previous_due,
        );
        let difference = due_amount
            .as_i64()
            .checked_sub(paid_amount.as_i64())
            .map(Money)
            .ok_or_else(|| overflow(&format!("the difference in {month}")))?;
        lines.push(ArrearsLine {
            month,
            kind,
            payee,
            due: due_amount,
            paid: paid_amount,
            difference,
            reason,
        });
    }
    let owed = lines
        .iter()
        .filter(|l| l.difference > Money::ZERO)
        .try_fold(Money::ZERO, |sum, l| sum.checked_add(l.difference))
        .ok_or_else(|| overflow("the amount owed"))?;
    let to_recover = lines
        .iter()
        .filter(|l| l.difference < Money::ZERO)
        .try_fold(0i64, |sum, l| sum.checked_sub(l.difference.as_i64()))
        .map(Money)
        .ok_or_else(|| overflow("the amount to recover"))?;
    Ok(ArrearsReport {
        from,
        through,
        lines,
        owed,
        to_recover,
    })
}

struct MonthContext {
    status: Status,
    late_base: bool,
}

fn reason(
    s: &Situation,
    context: Option<&MonthContext>,
    month: Month,
    kind: Section,
    due: Money,
    paid: Money,
    previous_due: Option<Money>,
) -> ArrearsReason {
    let status = context.map_or(Status::Active, |c| c.status);
    if paid > due {
        return match status {
            Status::StoppedAfterDeath { .. } => ArrearsReason::PaidAfterDeath,
            Status::StoppedAfterLossOfEligibility { .. } => {
                ArrearsReason::PaidAfterLossOfEligibility
            }
            Status::Active => ArrearsReason::Overpaid,
        };
    }
    let decision = match kind {
        Section::Allowance => s.decisions.allowance,
        Section::Caregiving => s.decisions.caregiving,
        Section::Facility => s.decisions.facility,
        Section::SocialPension => s.decisions.social_pension,
        _ => None,
    };
    if paid == Money::ZERO && decision.is_some_and(|d| month < d) {
        return ArrearsReason::StartBeforeDecision;
    }
    if context.is_some_and(|c| c.late_base) && paid > Money::ZERO {
        return ArrearsReason::BaseDecreedLate;
    }
    if paid == Money::ZERO {
        return ArrearsReason::NotPaid;
    }
    if previous_due.is_some_and(|p| p != due && p == paid) {
        return ArrearsReason::AdjustmentNotApplied;
    }
    ArrearsReason::Underpaid
}
