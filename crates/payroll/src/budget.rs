//! Budget estimate (dự toán kinh phí): the cost of the registry's active entitlements for the
//! next month or the next year, from the policy catalogue — by beneficiary group, paying unit
//! and funding source.
//!
//! Assumptions (see `docs/payroll.md`): today's facts continue unchanged (no deaths, new
//! decisions or moves are forecast; ages advance, so age bands change on their birthdays);
//! the catalogue's entries for future months apply, whatever their confidence (a LOW entry
//! such as a reported base level counts); arrears, carry-overs and one-offs are not included.

use crate::model::{Entitlement, EntitlementStatus};
use crate::run::RuleCache;
use ansinh_domain::ids::EntitlementId;
use ansinh_domain::{Money, Month, UnitCode};
use ansinh_policy::{Catalogue, Evaluation, FundedBy, Problem, Section};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The source of an amount whose version has no `funding` table.
pub const UNSPECIFIED_SOURCE: &str = "unspecified";

/// The months of the next month after `month`.
pub fn next_month(month: Month) -> Vec<Month> {
    vec![month.next()]
}

/// The twelve months of a calendar year.
pub fn year(year: i32) -> Vec<Month> {
    (1..=12).filter_map(|m| Month::new(year, m).ok()).collect()
}

/// One sum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetRow {
    /// Beneficiary group of an allowance (`k5`), or the benefit (`caregiving`,
    /// `social_pension`, `facility`).
    pub group: String,
    pub unit: UnitCode,
    pub source: String,
    pub amount: Money,
    /// Person-months paid (one per entitlement, benefit and payee a month).
    pub person_months: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetEstimate {
    pub months: Vec<Month>,
    /// By group, unit and source.
    pub rows: Vec<BudgetRow>,
    pub by_month: Vec<(Month, Money)>,
    pub by_group: Vec<(String, Money)>,
    pub by_source: Vec<(String, Money)>,
    /// The legal basis of each source as the catalogue's funding tables give it (a source
    /// can have several: one per table that assigned it in these months).
    pub funding: Vec<FundedBy>,
    pub total: Money,
    /// Entitlements whose facts could not be evaluated (first problem month only).
    pub problems: Vec<(EntitlementId, Month, Vec<Problem>)>,
    pub catalogue: String,
}

/// Evaluates every active entitlement in each month (the catalogue compiled once a month).
pub fn estimate(
    catalogue: &Catalogue,
    entitlements: &[Entitlement<'_>],
    months: &[Month],
) -> Result<BudgetEstimate, Vec<Problem>> {
    let mut sums: BTreeMap<(String, UnitCode, String), (Money, u64)> = BTreeMap::new();
    let mut by_month = Vec::new();
    let mut problems: BTreeMap<EntitlementId, (Month, Vec<Problem>)> = BTreeMap::new();
    let mut funding: Vec<FundedBy> = Vec::new();
    let mut evaluation = Evaluation::new();
    let mut cache = RuleCache::default();
    for &month in months {
        let rules = catalogue.for_month(month)?;
        let mut seen: Vec<(u16, Section)> = Vec::new();
        let mut month_total = Money::ZERO;
        for e in entitlements {
            if e.status != EntitlementStatus::Active || !e.covers(month) {
                continue;
            }
            if let Err(p) = rules.evaluate_into(&e.situation, &mut evaluation) {
                problems.entry(e.id).or_insert((month, p));
                continue;
            }
            for line in evaluation.monthly_lines() {
                let group = match line.section {
                    Section::Allowance => cache
                        .rule_info(&rules, &e.situation, evaluation.rule_set, line)
                        .group
                        .clone()
                        .unwrap_or_else(|| "allowance".to_string()),
                    other => other.as_str().to_string(),
                };
                // Which budget pays is the catalogue's data (each version's `funding`).
                let funded = rules.funding_source(evaluation.rule_set, line.section);
                // Its basis listed once per rule set and benefit a month, not per line.
                if let Some(f) = funded
                    && !seen.contains(&(evaluation.rule_set, line.section))
                {
                    seen.push((evaluation.rule_set, line.section));
                    if !funding.contains(f) {
                        funding.push(f.clone());
                    }
                }
                let source = funded
                    .map_or(UNSPECIFIED_SOURCE, |f| f.source.as_str())
                    .to_string();
                let entry = sums
                    .entry((group, e.paying_unit, source))
                    .or_insert((Money::ZERO, 0));
                entry.0 += line.amount;
                entry.1 += 1;
                month_total += line.amount;
            }
        }
        by_month.push((month, month_total));
    }
    let mut by_group: BTreeMap<String, Money> = BTreeMap::new();
    let mut by_source: BTreeMap<String, Money> = BTreeMap::new();
    let rows: Vec<BudgetRow> = sums
        .into_iter()
        .map(|((group, unit, source), (amount, person_months))| {
            *by_group.entry(group.clone()).or_default() += amount;
            *by_source.entry(source.clone()).or_default() += amount;
            BudgetRow {
                group,
                unit,
                source,
                amount,
                person_months,
            }
        })
        .collect();
    Ok(BudgetEstimate {
        months: months.to_vec(),
        total: rows.iter().map(|r| r.amount).sum(),
        rows,
        by_month,
        by_group: by_group.into_iter().collect(),
        by_source: by_source.into_iter().collect(),
        funding,
        problems: problems
            .into_iter()
            .map(|(id, (m, p))| (id, m, p))
            .collect(),
        catalogue: catalogue.fingerprint(),
    })
}
