//! Computing a run: per paying unit, each entitlement's lines for the month, its arrears
//! and recoveries, its carried-over amounts, and the unit's decided one-offs.
//!
//! A [`RunContext`] compiles the catalogue once for the run month and every month of the
//! look-back; [`RunContext::compute_unit`] computes one unit from a slice (a few thousand
//! entitlements), so a whole country streams unit by unit in little memory, or in parallel
//! with one [`Worker`] per thread. [`compute_run`] does it all for inputs held in memory.

use crate::hash::{Digest, RunHasher, Scratch, UnitHasher, facts_digest_with};
use crate::line::{Basis, Explanation, LineKey, LineKind, PayrollLine, Reason, RuleInfo};
use crate::model::{Entitlement, EntitlementStatus, OneOff, OneOffId, OneOffKind, PayrollConfig};
use crate::payment::{Payment, Totals, payments};
use ansinh_domain::ids::{EntitlementId, PersonId};
use ansinh_domain::person::PaymentChannel;
use ansinh_domain::{Money, Month, UnitCode};
use ansinh_policy::{
    Catalogue, Evaluation, Lang, Line, MonthRules, PayeeKind, Problem, Report, Section, Situation,
    Status,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// The catalogue compiled for a run month and its look-back.
#[derive(Debug)]
pub struct RunContext<'c> {
    catalogue: &'c Catalogue,
    month: Month,
    config: PayrollConfig,
    fingerprint: String,
    /// First month of the look-back.
    first: Month,
    /// `first ..= month`; `None` where no policy version is in force.
    rules: Vec<Option<MonthRules>>,
    /// Base id → month its decree was signed or took effect, whichever is later.
    signed: HashMap<String, Month>,
}

impl<'c> RunContext<'c> {
    /// Compiles the rules of `month` and of each look-back month. Fails only when no policy
    /// version is in force in `month` itself.
    pub fn new(
        catalogue: &'c Catalogue,
        month: Month,
        config: PayrollConfig,
    ) -> Result<RunContext<'c>, Vec<Problem>> {
        catalogue.for_month(month)?;
        let back = i32::try_from(config.lookback_months).unwrap_or(i32::MAX / 2);
        let first = month.plus(-back);
        let rules = first
            .through(month)
            .map(|m| catalogue.for_month(m).ok())
            .collect();
        // When each base became known: signed, or in force if later (as the engine's
        // arrears calculator reads it). A later layer's entry replaces an earlier one.
        let mut signed = HashMap::new();
        for layer in catalogue.layers() {
            for base in &layer.fragment.base {
                match base.signed.max(base.in_force) {
                    Some(day) => signed.insert(base.id.clone(), Month::of(day)),
                    None => signed.remove(&base.id),
                };
            }
        }
        Ok(RunContext {
            catalogue,
            month,
            config,
            fingerprint: catalogue.fingerprint(),
            first,
            rules,
            signed,
        })
    }

    pub fn month(&self) -> Month {
        self.month
    }

    pub fn config(&self) -> PayrollConfig {
        self.config
    }

    pub fn catalogue(&self) -> &'c Catalogue {
        self.catalogue
    }

    /// [`Catalogue::fingerprint`], recorded with the run.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// First month arrears look back to.
    pub fn first_month(&self) -> Month {
        self.first
    }

    /// The compiled rules of a month of the window.
    pub fn rules(&self, month: Month) -> Option<&MonthRules> {
        let i = usize::try_from(self.first.months_until(month)).ok()?;
        self.rules.get(i)?.as_ref()
    }

    /// Computes one paying unit. Entitlements and one-offs may come in any order; those of
    /// another unit are skipped with a note.
    pub fn compute_unit(
        &self,
        unit: &UnitCode,
        entitlements: &[Entitlement<'_>],
        one_offs: &[OneOff],
        worker: &mut Worker,
    ) -> UnitRun {
        self.compute_unit_refs(
            unit,
            entitlements.iter().collect(),
            one_offs.iter().collect(),
            worker,
        )
    }

    pub(crate) fn compute_unit_refs(
        &self,
        unit: &UnitCode,
        mut entitlements: Vec<&Entitlement<'_>>,
        mut one_offs: Vec<&OneOff>,
        worker: &mut Worker,
    ) -> UnitRun {
        worker.prepare(&self.fingerprint);
        entitlements.sort_by_key(|e| e.id);
        one_offs.sort_by_key(|o| (o.entitlement, o.id));
        let mut hasher = UnitHasher::new(self.month, &self.fingerprint, &self.config, unit);
        let mut out = UnitOut::default();
        out.lines
            .reserve(entitlements.len() + entitlements.len() / 4);
        out.checked.reserve(entitlements.len());
        let province = entitlements
            .iter()
            .find(|e| &e.paying_unit == unit)
            .map(|e| e.province)
            .or_else(|| {
                one_offs
                    .iter()
                    .find(|o| &o.paying_unit == unit)
                    .map(|o| o.province)
            });

        // An id given twice is refused in every copy, so the result never depends on which
        // came first.
        let duplicated = |id: EntitlementId, i: usize| {
            (i > 0 && entitlements.get(i - 1).is_some_and(|p| p.id == id))
                || entitlements.get(i + 1).is_some_and(|n| n.id == id)
        };
        for (i, e) in entitlements.iter().enumerate() {
            if &e.paying_unit != unit {
                out.note(
                    e.id,
                    e.beneficiary,
                    Note::WrongUnit {
                        unit: e.paying_unit,
                    },
                );
                continue;
            }
            if duplicated(e.id, i) {
                out.note(e.id, e.beneficiary, Note::DuplicateEntitlement);
                continue;
            }
            let first = one_offs.partition_point(|o| o.entitlement < e.id);
            let has_funeral = one_offs
                .get(first..)
                .unwrap_or(&[])
                .iter()
                .take_while(|o| o.entitlement == e.id)
                .any(|o| o.kind == OneOffKind::Funeral);
            self.entitlement(worker, &mut hasher, e, has_funeral, &mut out);
        }

        let channel_of = |o: &OneOff| -> PaymentChannel {
            entitlements
                .binary_search_by_key(&o.entitlement, |e| e.id)
                .ok()
                .and_then(|i| entitlements.get(i))
                .filter(|e| &e.paying_unit == unit)
                .map_or(o.channel, |e| e.channel_of(o.payee).0)
        };
        let mut by_id: Vec<&OneOff> = one_offs.clone();
        by_id.sort_by_key(|o| o.id);
        for (i, o) in by_id.iter().enumerate() {
            if &o.paying_unit != unit {
                continue;
            }
            let twice = (i > 0 && by_id.get(i - 1).is_some_and(|p| p.id == o.id))
                || by_id.get(i + 1).is_some_and(|n| n.id == o.id);
            if twice {
                out.note(
                    o.entitlement,
                    o.beneficiary,
                    Note::DuplicateOneOff { one_off: o.id },
                );
                continue;
            }
            hasher.one_off(o, &mut worker.scratch);
            if o.amount.as_i64().unsigned_abs() > MAX_INPUT_AMOUNT {
                out.note(
                    o.entitlement,
                    o.beneficiary,
                    Note::Problems {
                        problems: vec![amount_overflow("one_off.amount")],
                    },
                );
                continue;
            }
            if o.due_in(self.month) {
                out.lines.push(self.one_off_line(o, channel_of(o)));
            }
        }

        if !out.lines.is_sorted_by_key(|l| l.key.order()) {
            out.lines.sort_by_key(|l| l.key.order());
        }
        let payments = payments(&out.lines);
        let totals = Totals::of(&payments);
        UnitRun {
            month: self.month,
            unit: *unit,
            province,
            catalogue: self.fingerprint.clone(),
            lines: out.lines,
            payments,
            checked: out.checked,
            notes: out.notes,
            totals,
            digest: hasher.finish(),
        }
    }

    fn one_off_line(&self, o: &OneOff, channel: PaymentChannel) -> PayrollLine {
        PayrollLine {
            key: LineKey {
                entitlement: o.entitlement,
                beneficiary: o.beneficiary,
                month: self.month,
                kind: match o.kind {
                    OneOffKind::Funeral => LineKind::Funeral,
                    OneOffKind::Emergency => LineKind::Emergency,
                },
                for_month: o.for_month,
                benefit: o.kind.section(),
                payee: o.payee,
                one_off: Some(o.id),
            },
            channel,
            amount: o.amount,
            reason: Reason::Decided,
            explanation: Explanation {
                note: Some(Arc::from(o.citation.as_str())),
                ..Explanation::default()
            },
        }
    }

    fn entitlement(
        &self,
        w: &mut Worker,
        hasher: &mut UnitHasher,
        e: &Entitlement<'_>,
        has_funeral: bool,
        out: &mut UnitOut,
    ) {
        let m = self.month;
        let facts = match e.facts {
            Some(given) => {
                debug_assert!(
                    given == facts_digest_with(e, &mut w.buf),
                    "entitlement {}: the facts digest given is not that of its facts",
                    e.id.0
                );
                given
            }
            None => facts_digest_with(e, &mut w.buf),
        };
        // Nothing earlier can have changed since the last run brought the ledger level.
        let fresh = e.ledger.reconciled.as_ref().is_some_and(|r| {
            r.through == m.prev() && r.facts == facts && r.catalogue == self.fingerprint
        });
        hasher.entitlement(e, &facts, fresh, &mut w.scratch);
        let start = out.lines.len();
        let s: &Situation = &e.situation;

        if e.status == EntitlementStatus::Suspended {
            out.note(e.id, e.beneficiary, Note::Suspended);
            return;
        }
        if let Some(problem) = ledger_out_of_range(&e.ledger) {
            out.note(
                e.id,
                e.beneficiary,
                Note::Problems {
                    problems: vec![problem],
                },
            );
            return;
        }
        let d = &s.decisions;
        if d.allowance.is_none()
            && d.caregiving.is_none()
            && d.facility.is_none()
            && d.social_pension.is_none()
        {
            out.note(e.id, e.beneficiary, Note::NoDecision);
            return;
        }
        w.funeral = None;

        // The month's lines.
        if e.status == EntitlementStatus::Active && e.covers(m) {
            let Some(rules) = self.rules(m) else {
                return;
            };
            if let Err(problems) = rules.evaluate_into(s, &mut w.evaluation) {
                out.note(e.id, e.beneficiary, Note::Problems { problems });
                return;
            }
            let status = w.evaluation.status;
            w.due.clear();
            collect_due(w, rules, s, m, &self.signed);
            for due in w.due.drain(..) {
                if due.amount.is_zero() {
                    continue;
                }
                let Some(kind) = LineKind::monthly(due.section) else {
                    continue;
                };
                let decision = decision_for(s, due.section);
                let reason = if e.since == Some(m) {
                    Reason::MoveIn
                } else if decision == Some(m) {
                    Reason::DecisionStart
                } else {
                    Reason::Regular
                };
                out.lines.push(PayrollLine {
                    key: LineKey {
                        entitlement: e.id,
                        beneficiary: e.beneficiary,
                        month: m,
                        kind,
                        for_month: m,
                        benefit: due.section,
                        payee: due.payee,
                        one_off: None,
                    },
                    channel: e.channel_of(due.payee).0,
                    amount: due.amount,
                    reason,
                    explanation: Explanation {
                        basis: due.basis,
                        second: due.second.map(Box::new),
                        ..Explanation::default()
                    },
                });
            }
            if out.lines.len() == start {
                let note = match status {
                    Status::StoppedAfterDeath { death_month } => Note::Died { month: death_month },
                    Status::StoppedAfterLossOfEligibility { month } => {
                        Note::EligibilityLost { month }
                    }
                    Status::Active => Note::NothingDue,
                };
                out.note(e.id, e.beneficiary, note);
            }
        } else {
            out.note(e.id, e.beneficiary, self.idle_note(e));
        }

        // Arrears and recoveries, unless nothing can have changed since the last run.
        if !fresh && let Err(problems) = self.arrears(w, e, &mut out.lines) {
            out.lines.truncate(start);
            out.note(e.id, e.beneficiary, Note::Problems { problems });
            return;
        }
        if let Some((month, amount, rule_id)) = w.funeral.take()
            && !has_funeral
        {
            out.note(
                e.id,
                e.beneficiary,
                Note::FuneralDue {
                    death_month: month,
                    amount,
                    rule_id,
                },
            );
        }
        out.checked.push(Checked {
            entitlement: e.id,
            beneficiary: e.beneficiary,
            facts,
            arrears_recomputed: !fresh,
        });

        // Amounts listed earlier and not received.
        if let Err(problems) = self.carry_over(e, &mut out.lines) {
            out.lines.truncate(start);
            out.checked.pop();
            out.note(e.id, e.beneficiary, Note::Problems { problems });
        }
    }

    fn idle_note(&self, e: &Entitlement<'_>) -> Note {
        let m = self.month;
        let s = &e.situation;
        if let Some(death) = s.person.death_date.map(Month::of)
            && death < m
        {
            return Note::Died { month: death };
        }
        if let Some(stop) = &s.stop
            && stop.month < m
        {
            return Note::EligibilityLost { month: stop.month };
        }
        if e.status == EntitlementStatus::Terminated {
            return Note::Terminated;
        }
        match (e.since, e.until) {
            (Some(since), _) if m < since => Note::NotStarted { since },
            (_, Some(until)) => Note::MovedOut { until },
            _ => Note::NothingDue,
        }
    }

    /// Due month by month over the look-back against what was listed.
    fn arrears(
        &self,
        w: &mut Worker,
        e: &Entitlement<'_>,
        lines: &mut Vec<PayrollLine>,
    ) -> Result<(), Vec<Problem>> {
        let m = self.month;
        let s: &Situation = &e.situation;
        let through = m.prev();
        let born = Month::of(s.person.birth_date.assumed_date());
        let from = self.first.max(born);
        if through < from {
            return Ok(());
        }
        w.due.clear();
        w.months.clear();
        for x in from.through(through) {
            let Some(rules) = self.rules(x) else {
                w.months.push(MonthContext::unknown(x));
                continue;
            };
            if !e.covers(x) {
                w.months.push(MonthContext {
                    month: x,
                    known: true,
                    outside: true,
                    status: Status::Active,
                    late_base: false,
                });
                continue;
            }
            if let Err(problems) = rules.evaluate_into(s, &mut w.evaluation) {
                return Err(problems
                    .into_iter()
                    .map(|mut p| {
                        p.message = format!("{} (in {x})", p.message);
                        p
                    })
                    .collect());
            }
            let status = w.evaluation.status;
            let late_base = collect_due(w, rules, s, x, &self.signed);
            w.months.push(MonthContext {
                month: x,
                known: true,
                outside: false,
                status,
                late_base,
            });
        }
        w.due.sort_by_key(|d| (d.month, d.section, d.payee));

        w.listed.clear();
        w.listed.extend(
            e.ledger
                .listed
                .iter()
                .filter(|p| from <= p.month && p.month <= through && p.kind.is_monthly())
                .map(|p| (p.month, p.kind, p.payee, p.amount)),
        );
        w.listed.sort_unstable();
        let mut overflow = false;
        w.listed.dedup_by(|later, kept| {
            if (later.0, later.1, later.2) == (kept.0, kept.1, kept.2) {
                match kept.3.checked_add(later.3) {
                    Some(sum) => kept.3 = sum,
                    None => overflow = true,
                }
                true
            } else {
                false
            }
        });
        if overflow {
            return Err(vec![amount_overflow("ledger.listed")]);
        }

        let (mut i, mut j) = (0, 0);
        let due = &w.due;
        let listed = &w.listed;
        while i < due.len() || j < listed.len() {
            let dk = due.get(i).map(|d| (d.month, d.section, d.payee));
            let lk = listed.get(j).map(|l| (l.0, l.1, l.2));
            let (key, due_entry, listed_amount) = match (dk, lk) {
                (Some(a), Some(b)) if a == b => {
                    i += 1;
                    j += 1;
                    (
                        a,
                        due.get(i - 1),
                        listed.get(j - 1).map_or(Money::ZERO, |l| l.3),
                    )
                }
                (Some(a), Some(b)) if a < b => {
                    i += 1;
                    (a, due.get(i - 1), Money::ZERO)
                }
                (Some(a), None) => {
                    i += 1;
                    (a, due.get(i - 1), Money::ZERO)
                }
                (_, Some(b)) => {
                    j += 1;
                    (b, None, listed.get(j - 1).map_or(Money::ZERO, |l| l.3))
                }
                (None, None) => break,
            };
            let (x, section, payee) = key;
            let Some(ctx) = usize::try_from(from.months_until(x))
                .ok()
                .and_then(|k| w.months.get(k))
            else {
                continue;
            };
            if !ctx.known {
                continue;
            }
            let due_amount = due_entry.map_or(Money::ZERO, |d| d.amount);
            let Some(difference) = due_amount
                .as_i64()
                .checked_sub(listed_amount.as_i64())
                .map(Money)
            else {
                return Err(vec![amount_overflow("ledger.listed")]);
            };
            if difference.is_zero() {
                continue;
            }
            if difference > Money::ZERO
                && e.status == EntitlementStatus::Terminated
                && e.until.is_none()
            {
                // A terminated entitlement without a last month: recoveries only.
                continue;
            }
            let reason = if ctx.outside {
                // Listed for a month this entitlement does not pay: say why if the facts do.
                if s.person.death_date.is_some_and(|d| Month::of(d) < x) {
                    Reason::PaidAfterDeath
                } else if s.stop.as_ref().is_some_and(|st| st.month < x) {
                    Reason::PaidAfterLossOfEligibility
                } else {
                    Reason::PaidOutsidePeriod
                }
            } else {
                let previous_due = due
                    .binary_search_by_key(&(x.prev(), section, payee), |d| {
                        (d.month, d.section, d.payee)
                    })
                    .ok()
                    .and_then(|k| due.get(k))
                    .map(|d| d.amount);
                arrears_reason(s, ctx, section, due_amount, listed_amount, previous_due)
            };
            let kind = if difference > Money::ZERO {
                LineKind::Arrears
            } else {
                LineKind::Recovery
            };
            lines.push(PayrollLine {
                key: LineKey {
                    entitlement: e.id,
                    beneficiary: e.beneficiary,
                    month: m,
                    kind,
                    for_month: x,
                    benefit: section,
                    payee,
                    one_off: None,
                },
                channel: e.channel_of(payee).0,
                amount: difference,
                reason,
                explanation: Explanation {
                    basis: due_entry.and_then(|d| d.basis.clone()),
                    second: due_entry.and_then(|d| d.second.clone()).map(Box::new),
                    due: due_amount,
                    listed_before: listed_amount,
                    note: None,
                },
            });
        }
        Ok(())
    }

    fn carry_over(
        &self,
        e: &Entitlement<'_>,
        lines: &mut Vec<PayrollLine>,
    ) -> Result<(), Vec<Problem>> {
        if e.ledger.unpaid.is_empty() {
            return Ok(());
        }
        let mut items: BTreeMap<CarryKey, (Money, Month, bool)> = BTreeMap::new();
        for u in &e.ledger.unpaid {
            let entry = items
                .entry((u.for_month, u.benefit, u.payee, u.one_off))
                .or_insert((Money::ZERO, u.first_listed, false));
            entry.0 = entry
                .0
                .checked_add(u.amount)
                .ok_or_else(|| vec![amount_overflow("ledger.unpaid")])?;
            entry.1 = entry.1.min(u.first_listed);
            entry.2 |= u.returned;
        }
        for ((for_month, benefit, payee, one_off), (amount, first, returned)) in items {
            if amount.is_zero() {
                continue;
            }
            let note = format!(
                "đưa vào danh sách lần đầu tháng {}{}",
                first.display_vi(),
                if returned {
                    ", tổ chức chi trả đã trả lại"
                } else {
                    ""
                }
            );
            lines.push(PayrollLine {
                key: LineKey {
                    entitlement: e.id,
                    beneficiary: e.beneficiary,
                    month: self.month,
                    kind: LineKind::CarryOver,
                    for_month,
                    benefit,
                    payee,
                    one_off,
                },
                channel: e.channel_of(payee).0,
                amount,
                reason: if returned {
                    Reason::Returned
                } else {
                    Reason::NotCollected
                },
                explanation: Explanation {
                    note: Some(Arc::from(note.as_str())),
                    ..Explanation::default()
                },
            });
        }
        Ok(())
    }
}

/// The largest amount accepted from outside (ledger, one-offs): 100 billion đồng, so that
/// sums over millions of lines stay far inside 64 bits.
pub const MAX_INPUT_AMOUNT: u64 = 100_000_000_000;

fn ledger_out_of_range(l: &crate::model::Ledger) -> Option<Problem> {
    let bad = |m: Money| m.as_i64().unsigned_abs() > MAX_INPUT_AMOUNT;
    if l.listed.iter().any(|p| bad(p.amount)) {
        return Some(amount_overflow("ledger.listed"));
    }
    if l.unpaid.iter().any(|u| bad(u.amount)) {
        return Some(amount_overflow("ledger.unpaid"));
    }
    None
}

fn amount_overflow(path: &str) -> Problem {
    Problem::new(
        ansinh_policy::problem::codes::AMOUNT_OVERFLOW,
        path,
        "an amount is out of range (more than 100 billion đồng, or sums that do not fit in 64 bits)",
    )
}

type CarryKey = (Month, Section, PayeeKind, Option<OneOffId>);

/// The replica of `ansinh_policy::arrears`'s reasons (the tests check they agree).
fn arrears_reason(
    s: &Situation,
    ctx: &MonthContext,
    section: Section,
    due: Money,
    paid: Money,
    previous_due: Option<Money>,
) -> Reason {
    if paid > due {
        return match ctx.status {
            Status::StoppedAfterDeath { .. } => Reason::PaidAfterDeath,
            Status::StoppedAfterLossOfEligibility { .. } => Reason::PaidAfterLossOfEligibility,
            Status::Active => Reason::Overpaid,
        };
    }
    let decision = decision_for(s, section);
    if paid.is_zero() && decision.is_some_and(|d| ctx.month < d) {
        return Reason::StartBeforeDecision;
    }
    if ctx.late_base && paid > Money::ZERO {
        return Reason::BaseDecreedLate;
    }
    if paid.is_zero() {
        return Reason::NotPaid;
    }
    if previous_due.is_some_and(|p| p != due && p == paid) {
        return Reason::AdjustmentNotApplied;
    }
    Reason::Underpaid
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

/// Adds the monthly amounts of `w.evaluation` (for `month`) to `w.due`, one entry per benefit
/// and payee; notes a funeral line. Returns whether a base signed in or after the month
/// priced a line (a base decreed late).
fn collect_due(
    w: &mut Worker,
    rules: &MonthRules,
    s: &Situation,
    month: Month,
    signed: &HashMap<String, Month>,
) -> bool {
    let Worker {
        evaluation,
        cache,
        due,
        funeral,
        ..
    } = w;
    let rule_set = evaluation.rule_set;
    let mut late = false;
    for line in evaluation.monthly_lines() {
        let (info, base_signed) = cache.lookup(rules, s, rule_set, line, signed);
        if line.coefficient.is_some() && base_signed.is_some_and(|m| m >= month) {
            late = true;
        }
        let basis = Basis {
            rule: info,
            coefficient: line.coefficient,
            multiplier: line.multiplier,
            base: line.base,
            amount: line.amount,
        };
        match due.last_mut() {
            Some(d) if d.month == month && d.section == line.section && d.payee == line.payee => {
                d.amount += line.amount;
                if d.second.is_none() {
                    d.second = Some(basis);
                }
            }
            _ => due.push(Due {
                month,
                section: line.section,
                payee: line.payee,
                amount: line.amount,
                basis: Some(basis),
                second: None,
            }),
        }
    }
    if let Some(line) = evaluation
        .one_offs
        .iter()
        .find(|l| l.section == Section::Funeral)
    {
        let (info, _) = cache.lookup(rules, s, rule_set, line, signed);
        *funeral = Some((month, line.amount, info.rule_id.clone()));
    }
    late
}

/// Reusable buffers and the cache of rule explanations: one per thread.
#[derive(Debug, Default)]
pub struct Worker {
    evaluation: Evaluation,
    cache: RuleCache,
    buf: Vec<u8>,
    scratch: Scratch,
    due: Vec<Due>,
    months: Vec<MonthContext>,
    listed: Vec<(Month, Section, PayeeKind, Money)>,
    funeral: Option<(Month, Money, String)>,
}

impl Worker {
    pub fn new() -> Worker {
        Worker::default()
    }

    fn prepare(&mut self, fingerprint: &str) {
        if self.cache.fingerprint != fingerprint {
            self.cache.map.clear();
            self.cache.fingerprint = fingerprint.to_string();
        }
    }
}

#[derive(Debug, Clone)]
struct Due {
    month: Month,
    section: Section,
    payee: PayeeKind,
    amount: Money,
    basis: Option<Basis>,
    second: Option<Basis>,
}

#[derive(Debug, Clone, Copy)]
struct MonthContext {
    month: Month,
    /// Rules exist for the month.
    known: bool,
    /// Outside the entitlement's `since ..= until`: nothing due.
    outside: bool,
    status: Status,
    late_base: bool,
}

impl MonthContext {
    fn unknown(month: Month) -> MonthContext {
        MonthContext {
            month,
            known: false,
            outside: false,
            status: Status::Active,
            late_base: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct RuleKey {
    month: Month,
    rule_set: u16,
    section: Section,
    rule: u16,
    tier: Option<u8>,
    provincial: bool,
    coefficient: bool,
}

/// Explanations of rules, made once per rule and shared by the lines (`Arc`), with the
/// month the rule's base was signed (for arrears reasons).
#[derive(Debug, Default)]
pub(crate) struct RuleCache {
    fingerprint: String,
    map: HashMap<RuleKey, (Arc<RuleInfo>, Option<Month>), BuildFx>,
}

impl RuleCache {
    pub(crate) fn rule_info(
        &mut self,
        rules: &MonthRules,
        s: &Situation,
        rule_set: u16,
        line: &Line,
    ) -> Arc<RuleInfo> {
        self.lookup(rules, s, rule_set, line, &HashMap::new()).0
    }

    fn lookup(
        &mut self,
        rules: &MonthRules,
        s: &Situation,
        rule_set: u16,
        line: &Line,
        signed: &HashMap<String, Month>,
    ) -> (Arc<RuleInfo>, Option<Month>) {
        let key = RuleKey {
            month: rules.month(),
            rule_set,
            section: line.section,
            rule: line.rule,
            tier: line.base_tier,
            provincial: line.base_provincial,
            coefficient: line.coefficient.is_some(),
        };
        if let Some((info, base_signed)) = self.map.get(&key) {
            return (Arc::clone(info), *base_signed);
        }
        let info = Arc::new(explain_rule(rules, s, rule_set, line));
        // The national base's id: a tier is `id#n`, a provincial level `id+provincial`.
        let base_signed = info
            .base_id
            .as_deref()
            .and_then(|id| id.split(['+', '#']).next())
            .and_then(|id| signed.get(id).copied());
        self.map.insert(key, (Arc::clone(&info), base_signed));
        (info, base_signed)
    }
}

/// FxHash (as in rustc): a few rule keys per month need no DoS-resistant hashing.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct BuildFx;

impl std::hash::BuildHasher for BuildFx {
    type Hasher = Fx;
    fn build_hasher(&self) -> Fx {
        Fx(0)
    }
}

#[derive(Debug)]
pub(crate) struct Fx(u64);

impl Fx {
    fn add(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl std::hash::Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.add(u64::from(b));
        }
    }
    fn write_u8(&mut self, v: u8) {
        self.add(u64::from(v));
    }
    fn write_u16(&mut self, v: u16) {
        self.add(u64::from(v));
    }
    fn write_u32(&mut self, v: u32) {
        self.add(u64::from(v));
    }
    fn write_u64(&mut self, v: u64) {
        self.add(v);
    }
    fn write_usize(&mut self, v: usize) {
        self.add(v as u64);
    }
}

/// The rule-level part of the engine's explanation of a line (made through [`Report`], so
/// the texts are the engine's own).
pub(crate) fn explain_rule(
    rules: &MonthRules,
    s: &Situation,
    rule_set: u16,
    line: &Line,
) -> RuleInfo {
    let mut e = Evaluation::new();
    e.month = rules.month();
    e.rule_set = rule_set;
    e.one_offs.push(*line);
    let report = Report::build(rules, s, &e, Lang::Vi);
    match report.one_offs.into_iter().next() {
        Some(x) => RuleInfo {
            policy_version: x.policy_version,
            rule_id: x.rule_id,
            group: x.group,
            label: x.label,
            citation: x.citation,
            citation_text: x.citation_text,
            base_id: x.base_id,
            base_citation_text: x.base_citation.map(|c| c.render_vi()),
            amount_kind: x.amount_kind,
            confidence: x.confidence,
        },
        None => RuleInfo {
            policy_version: rules.version_id().to_string(),
            rule_id: String::new(),
            group: None,
            label: String::new(),
            citation: Default::default(),
            citation_text: String::new(),
            base_id: None,
            base_citation_text: None,
            amount_kind: ansinh_policy::AmountKind::Fixed,
            confidence: ansinh_policy::Confidence::Unverified,
        },
    }
}

/// What the run found about an entitlement besides its lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Note {
    /// tạm dừng: not listed.
    Suspended,
    /// thôi hưởng.
    Terminated,
    /// The entitlement starts later here (`since`).
    NotStarted { since: Month },
    /// Paid here through `until` (moved away).
    MovedOut { until: Month },
    /// Died in `month`: nothing monthly from the month after.
    Died { month: Month },
    /// Lost eligibility in `month`.
    EligibilityLost { month: Month },
    /// Active, but no rule is met this month (e.g. an age limit passed).
    NothingDue,
    /// The engine finds funeral support due (death in `death_month`) and no funeral item
    /// has been decided yet.
    FuneralDue {
        death_month: Month,
        amount: Money,
        rule_id: String,
    },
    /// The facts could not be evaluated: no line for this entitlement.
    Problems { problems: Vec<Problem> },
    /// The id was given more than once: no copy is computed.
    DuplicateEntitlement,
    /// A one-off id was given more than once: no copy is listed.
    DuplicateOneOff { one_off: OneOffId },
    /// Given to a unit that does not pay it.
    WrongUnit { unit: UnitCode },
    /// No decision month in the situation: the engine would only screen.
    NoDecision,
}

/// A note about one entitlement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntitlementNote {
    pub entitlement: EntitlementId,
    pub beneficiary: PersonId,
    #[serde(flatten)]
    pub note: Note,
}

/// An entitlement brought level by the run (its basis for the next ledger).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checked {
    pub entitlement: EntitlementId,
    pub beneficiary: PersonId,
    /// [`crate::facts_digest`] of the entitlement.
    pub facts: Digest,
    /// Arrears were worked out month by month (not skipped as unchanged).
    pub arrears_recomputed: bool,
}

#[derive(Debug, Default)]
struct UnitOut {
    lines: Vec<PayrollLine>,
    checked: Vec<Checked>,
    notes: Vec<EntitlementNote>,
}

impl UnitOut {
    fn note(&mut self, entitlement: EntitlementId, beneficiary: PersonId, note: Note) {
        self.notes.push(EntitlementNote {
            entitlement,
            beneficiary,
            note,
        });
    }
}

/// One paying unit's run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRun {
    pub month: Month,
    pub unit: UnitCode,
    pub province: Option<UnitCode>,
    /// Catalogue fingerprint.
    pub catalogue: String,
    /// Ordered by entitlement, payee, kind, months.
    pub lines: Vec<PayrollLine>,
    /// Rows of the payment list, in line order.
    pub payments: Vec<Payment>,
    pub checked: Vec<Checked>,
    pub notes: Vec<EntitlementNote>,
    pub totals: Totals,
    /// Content hash of the unit's inputs.
    pub digest: Digest,
}

impl UnitRun {
    /// The lines of a payment.
    pub fn lines_of(&self, payment: &Payment) -> &[PayrollLine] {
        self.lines.get(payment.lines.clone()).unwrap_or(&[])
    }
}

/// Totals of a province's units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvinceTotals {
    pub province: Option<UnitCode>,
    pub units: Vec<UnitCode>,
    pub totals: Totals,
}

/// A month's run over every paying unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    pub month: Month,
    pub catalogue: String,
    pub config: PayrollConfig,
    /// By unit code.
    pub units: Vec<UnitRun>,
    /// By province code.
    pub provinces: Vec<ProvinceTotals>,
    pub totals: Totals,
    /// SHA-256 over the canonical encoding of every input (see `docs/payroll.md`).
    pub content_hash: Digest,
}

impl Run {
    /// Puts computed units together (in any order).
    pub fn assemble(ctx: &RunContext<'_>, mut units: Vec<UnitRun>) -> Run {
        units.sort_by_key(|a| a.unit);
        let mut hasher = RunHasher::new(ctx.month, &ctx.fingerprint, ctx.config);
        let mut provinces: BTreeMap<Option<UnitCode>, ProvinceTotals> = BTreeMap::new();
        let mut totals = Totals::default();
        for u in &units {
            hasher.add(&u.unit, u.digest);
            let p = provinces
                .entry(u.province)
                .or_insert_with(|| ProvinceTotals {
                    province: u.province,
                    units: Vec::new(),
                    totals: Totals::default(),
                });
            p.units.push(u.unit);
            p.totals.add(&u.totals);
            totals.add(&u.totals);
        }
        Run {
            month: ctx.month,
            catalogue: ctx.fingerprint.clone(),
            config: ctx.config,
            units,
            provinces: provinces.into_values().collect(),
            totals,
            content_hash: hasher.finish(),
        }
    }

    /// Every line, by unit then entitlement.
    pub fn lines(&self) -> impl Iterator<Item = &PayrollLine> {
        self.units.iter().flat_map(|u| u.lines.iter())
    }

    /// Every note.
    pub fn notes(&self) -> impl Iterator<Item = &EntitlementNote> {
        self.units.iter().flat_map(|u| u.notes.iter())
    }

    pub fn unit(&self, code: &UnitCode) -> Option<&UnitRun> {
        self.units
            .binary_search_by(|u| u.unit.cmp(code))
            .ok()
            .and_then(|i| self.units.get(i))
    }
}

/// Everything a run reads, held in memory.
#[derive(Debug, Clone, Copy)]
pub struct PayrollInput<'a> {
    pub catalogue: &'a Catalogue,
    pub month: Month,
    pub config: PayrollConfig,
    pub entitlements: &'a [Entitlement<'a>],
    pub one_offs: &'a [OneOff],
}

/// Computes the run of `input.month` for every paying unit in the input. Identical inputs,
/// in any order, give identical lines and the same content hash.
pub fn compute_run(input: &PayrollInput<'_>) -> Result<Run, Vec<Problem>> {
    let ctx = RunContext::new(input.catalogue, input.month, input.config)?;
    type Group<'x, 'y> = (Vec<&'x Entitlement<'y>>, Vec<&'x OneOff>);
    let mut groups: BTreeMap<&UnitCode, Group<'_, '_>> = BTreeMap::new();
    for e in input.entitlements {
        groups.entry(&e.paying_unit).or_default().0.push(e);
    }
    for o in input.one_offs {
        groups.entry(&o.paying_unit).or_default().1.push(o);
    }
    let mut worker = Worker::new();
    let units = groups
        .into_iter()
        .map(|(unit, (es, os))| ctx.compute_unit_refs(unit, es, os, &mut worker))
        .collect();
    Ok(Run::assemble(&ctx, units))
}
