//! Month-over-month difference (biến động): who entered, who left, whose monthly amount
//! changed, and why — read from the lines' explanations and the run's notes.
//!
//! People are compared by beneficiary, on the monthly lines of each run (allowance,
//! caregiving, facility, social pension; arrears and one-offs are not a change of
//! entitlement). A move between communes shows as a change of entitlement for the same
//! person when both communes are in the runs compared, and as an entry and an exit otherwise.

use crate::line::{Basis, LineKind, PayrollLine, Reason};
use crate::run::{EntitlementNote, Note};
use ansinh_domain::ids::{EntitlementId, PersonId};
use ansinh_domain::{Money, Month};
use ansinh_policy::PayeeKind;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Entered,
    Left,
    Changed,
}

/// Why a person entered, left or changed amount.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum DiffReason {
    /// A decision signed in the current month started the benefit.
    DecisionStart {
        benefit: LineKind,
    },
    /// Paid here from this month after a move from elsewhere.
    MoveIn,
    /// Paid again after a month without payment (reinstatement, a late decision…).
    Resumed,
    /// Paid under another entitlement (another commune) than last month.
    Moved {
        from: Vec<EntitlementId>,
        to: Vec<EntitlementId>,
    },
    /// A new base level (mức chuẩn).
    BaseLevel {
        benefit: LineKind,
        from: Money,
        to: Money,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to_id: Option<String>,
    },
    /// Same group, another coefficient: an age band (e.g. 80th birthday 1,5 → 2,0; a child
    /// turning 4) or a disability level.
    AgeBand {
        benefit: LineKind,
        from_rule: String,
        to_rule: String,
        from: Option<i64>,
        to: Option<i64>,
    },
    /// Another beneficiary group (decision).
    GroupChanged {
        benefit: LineKind,
        from: Option<String>,
        to: Option<String>,
    },
    /// Children raised (k4) or other multiplier.
    Dependants {
        benefit: LineKind,
        from: u32,
        to: u32,
    },
    /// The k4 exception started or stopped (two allowances).
    Combination {
        benefit: LineKind,
    },
    /// A benefit added (e.g. caregiving support) for a payee.
    BenefitStarted {
        benefit: LineKind,
        payee: PayeeKind,
    },
    /// A benefit no longer paid for a payee.
    BenefitStopped {
        benefit: LineKind,
        payee: PayeeKind,
    },
    Death {
        month: Month,
    },
    LossOfEligibility {
        month: Month,
    },
    Suspension,
    Termination,
    MovedOut {
        until: Month,
    },
    NotStarted {
        since: Month,
    },
    /// Active, but no rule is met any more (an age limit passed…).
    NothingDue,
    /// The facts could not be evaluated this month.
    Problems,
    /// Absent from the current run with no note about it.
    NotInRun,
    /// The amount changed for a reason the explanations do not show.
    Other,
}

/// One person's change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffEntry {
    pub beneficiary: PersonId,
    pub change: Change,
    pub previous_entitlements: Vec<EntitlementId>,
    pub current_entitlements: Vec<EntitlementId>,
    /// Monthly amount in each run.
    pub previous: Money,
    pub current: Money,
    pub reasons: Vec<DiffReason>,
}

/// The difference between two runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunDiff {
    pub entered: Vec<DiffEntry>,
    pub left: Vec<DiffEntry>,
    pub changed: Vec<DiffEntry>,
    /// Monthly totals of each run.
    pub previous_total: Money,
    pub current_total: Money,
}

#[derive(Default)]
struct Side<'a> {
    entitlements: BTreeSet<EntitlementId>,
    components: BTreeMap<(LineKind, PayeeKind), &'a PayrollLine>,
    total: Money,
}

fn sides<'a>(lines: impl IntoIterator<Item = &'a PayrollLine>) -> BTreeMap<PersonId, Side<'a>> {
    let mut out: BTreeMap<PersonId, Side<'a>> = BTreeMap::new();
    for line in lines {
        if !line.key.kind.is_monthly() {
            continue;
        }
        let side = out.entry(line.key.beneficiary).or_default();
        side.entitlements.insert(line.key.entitlement);
        side.components
            .insert((line.key.kind, line.key.payee), line);
        side.total += line.amount;
    }
    out
}

/// Compares two runs' lines. `notes` are the current run's notes (why an entitlement had no
/// line); without them, people who left get a reason only from recovery lines.
pub fn diff<'a>(
    previous: impl IntoIterator<Item = &'a PayrollLine>,
    current: impl IntoIterator<Item = &'a PayrollLine>,
    notes: &[EntitlementNote],
) -> RunDiff {
    let current: Vec<&'a PayrollLine> = current.into_iter().collect();
    let before = sides(previous);
    let after = sides(current.iter().copied());
    let mut deaths: BTreeMap<PersonId, Month> = BTreeMap::new();
    for line in current {
        if line.reason == Reason::PaidAfterDeath {
            let m = deaths
                .entry(line.key.beneficiary)
                .or_insert(line.key.for_month);
            *m = (*m).min(line.key.for_month.prev());
        }
    }
    let mut notes_by: BTreeMap<EntitlementId, Vec<&Note>> = BTreeMap::new();
    for n in notes {
        notes_by.entry(n.entitlement).or_default().push(&n.note);
    }

    let mut out = RunDiff {
        previous_total: before.values().map(|s| s.total).sum(),
        current_total: after.values().map(|s| s.total).sum(),
        ..RunDiff::default()
    };
    let people: BTreeSet<PersonId> = before.keys().chain(after.keys()).copied().collect();
    let empty = Side::default();
    for person in people {
        let b = before.get(&person).unwrap_or(&empty);
        let a = after.get(&person).unwrap_or(&empty);
        let mut reasons = Vec::new();
        let change = match (b.components.is_empty(), a.components.is_empty()) {
            (true, true) => continue,
            (true, false) => {
                for line in a.components.values() {
                    match line.reason {
                        Reason::DecisionStart => reasons.push(DiffReason::DecisionStart {
                            benefit: line.key.kind,
                        }),
                        Reason::MoveIn => reasons.push(DiffReason::MoveIn),
                        _ => {}
                    }
                }
                if reasons.is_empty() {
                    reasons.push(DiffReason::Resumed);
                }
                Change::Entered
            }
            (false, true) => {
                for e in &b.entitlements {
                    for note in notes_by.get(e).into_iter().flatten() {
                        reasons.extend(left_reason(note));
                    }
                }
                if reasons.is_empty()
                    && let Some(&month) = deaths.get(&person)
                {
                    reasons.push(DiffReason::Death { month });
                }
                if reasons.is_empty() {
                    reasons.push(DiffReason::NotInRun);
                }
                Change::Left
            }
            (false, false) => {
                if a.entitlements != b.entitlements {
                    reasons.push(DiffReason::Moved {
                        from: b.entitlements.iter().copied().collect(),
                        to: a.entitlements.iter().copied().collect(),
                    });
                }
                let keys: BTreeSet<(LineKind, PayeeKind)> = b
                    .components
                    .keys()
                    .chain(a.components.keys())
                    .copied()
                    .collect();
                for key in keys {
                    match (b.components.get(&key), a.components.get(&key)) {
                        (None, Some(now)) => {
                            reasons.push(DiffReason::BenefitStarted {
                                benefit: key.0,
                                payee: key.1,
                            });
                            if now.reason == Reason::DecisionStart {
                                reasons.push(DiffReason::DecisionStart { benefit: key.0 });
                            }
                        }
                        (Some(_), None) => reasons.push(DiffReason::BenefitStopped {
                            benefit: key.0,
                            payee: key.1,
                        }),
                        (Some(was), Some(now)) => compare(key.0, was, now, &mut reasons),
                        (None, None) => {}
                    }
                }
                if a.total == b.total
                    && !reasons
                        .iter()
                        .any(|r| matches!(r, DiffReason::Moved { .. }))
                {
                    continue;
                }
                if reasons.is_empty() {
                    reasons.push(DiffReason::Other);
                }
                Change::Changed
            }
        };
        reasons.sort();
        reasons.dedup();
        let entry = DiffEntry {
            beneficiary: person,
            change,
            previous_entitlements: b.entitlements.iter().copied().collect(),
            current_entitlements: a.entitlements.iter().copied().collect(),
            previous: b.total,
            current: a.total,
            reasons,
        };
        match change {
            Change::Entered => out.entered.push(entry),
            Change::Left => out.left.push(entry),
            Change::Changed => out.changed.push(entry),
        }
    }
    out
}

fn left_reason(note: &Note) -> Option<DiffReason> {
    Some(match note {
        Note::Suspended => DiffReason::Suspension,
        Note::Terminated => DiffReason::Termination,
        Note::NotStarted { since } => DiffReason::NotStarted { since: *since },
        Note::MovedOut { until } => DiffReason::MovedOut { until: *until },
        Note::Died { month } => DiffReason::Death { month: *month },
        Note::EligibilityLost { month } => DiffReason::LossOfEligibility { month: *month },
        Note::NothingDue => DiffReason::NothingDue,
        Note::Problems { .. } | Note::NoDecision => DiffReason::Problems,
        Note::FuneralDue { .. }
        | Note::DuplicateEntitlement
        | Note::DuplicateOneOff { .. }
        | Note::WrongUnit { .. } => {
            return None;
        }
    })
}

fn compare(kind: LineKind, was: &PayrollLine, now: &PayrollLine, reasons: &mut Vec<DiffReason>) {
    let (w, n) = (&was.explanation, &now.explanation);
    match (&w.basis, &n.basis) {
        (Some(a), Some(b)) => compare_basis(kind, a, b, reasons),
        _ if was.amount != now.amount => reasons.push(DiffReason::Other),
        _ => {}
    }
    if w.second.is_some() != n.second.is_some() {
        reasons.push(DiffReason::Combination { benefit: kind });
    } else if let (Some(a), Some(b)) = (&w.second, &n.second) {
        compare_basis(kind, a, b, reasons);
    }
}

fn compare_basis(kind: LineKind, a: &Basis, b: &Basis, reasons: &mut Vec<DiffReason>) {
    let before = reasons.len();
    if a.base != b.base {
        reasons.push(DiffReason::BaseLevel {
            benefit: kind,
            from: a.base,
            to: b.base,
            from_id: a.rule.base_id.clone(),
            to_id: b.rule.base_id.clone(),
        });
    }
    if a.rule.group != b.rule.group {
        reasons.push(DiffReason::GroupChanged {
            benefit: kind,
            from: a.rule.group.clone(),
            to: b.rule.group.clone(),
        });
    } else if a.coefficient != b.coefficient {
        reasons.push(DiffReason::AgeBand {
            benefit: kind,
            from_rule: a.rule.rule_id.clone(),
            to_rule: b.rule.rule_id.clone(),
            from: a.coefficient,
            to: b.coefficient,
        });
    }
    if a.multiplier != b.multiplier {
        reasons.push(DiffReason::Dependants {
            benefit: kind,
            from: a.multiplier,
            to: b.multiplier,
        });
    }
    if reasons.len() == before && a.amount != b.amount {
        reasons.push(DiffReason::Other);
    }
}
