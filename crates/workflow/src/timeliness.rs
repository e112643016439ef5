//! Timeliness figures (SPEC A3 indicator 5): per unit and period, the share of dossiers decided
//! within the statutory time and the median working days per step.

use crate::catalogue::End;
use crate::dossier::Dossier;
use crate::error::WorkflowError;
use ansinh_calendar::Calendar;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// Working days a step took, over the dossiers of a unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepStats {
    pub count: usize,
    /// Median working days (the mean of the two middle values for an even count).
    pub median: f64,
    pub min: i64,
    pub max: i64,
}

/// The figures of one unit for a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timeliness {
    /// Dossiers closed in the period (granted, rejected or refused).
    pub closed: usize,
    /// Of those, closed on or before their statutory due date.
    pub on_time: usize,
    pub by_end: BTreeMap<End, usize>,
    /// Median working days of the receipt-to-closure time.
    pub median_total: Option<f64>,
    /// Per step code.
    pub steps: BTreeMap<String, StepStats>,
}

impl Timeliness {
    /// `on_time / closed`, `None` when nothing was closed.
    pub fn share_on_time(&self) -> Option<f64> {
        (self.closed > 0).then(|| self.on_time as f64 / self.closed as f64)
    }
}

fn median(sorted: &[i64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2] as f64),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) as f64 / 2.0),
    }
}

/// Figures per unit key for the dossiers closed in `from..=to` (closure date). `key` gives a
/// dossier's unit (e.g. [`Dossier::unit`], or its image in today's unit tree). Open dossiers are
/// ignored.
pub fn timeliness<'d, I, K, F>(
    cal: &Calendar,
    dossiers: I,
    from: NaiveDate,
    to: NaiveDate,
    key: F,
) -> Result<BTreeMap<K, Timeliness>, WorkflowError>
where
    I: IntoIterator<Item = &'d Dossier>,
    K: Ord,
    F: Fn(&Dossier) -> K,
{
    struct Acc {
        closed: usize,
        on_time: usize,
        by_end: BTreeMap<End, usize>,
        totals: Vec<i64>,
        steps: BTreeMap<String, Vec<i64>>,
    }
    let mut acc: BTreeMap<K, Acc> = BTreeMap::new();
    for d in dossiers {
        let Some(c) = d.closure() else { continue };
        if c.date < from || c.date > to {
            continue;
        }
        let a = acc.entry(key(d)).or_insert_with(|| Acc {
            closed: 0,
            on_time: 0,
            by_end: BTreeMap::new(),
            totals: Vec::new(),
            steps: BTreeMap::new(),
        });
        a.closed += 1;
        if d.decided_on_time(cal)? == Some(true) {
            a.on_time += 1;
        }
        *a.by_end.entry(c.end).or_insert(0) += 1;
        a.totals.push(d.working_days_total(cal, c.date)?);
        for s in d.step_durations(cal)? {
            a.steps.entry(s.step).or_default().push(s.working_days);
        }
    }
    Ok(acc
        .into_iter()
        .map(|(k, mut a)| {
            a.totals.sort_unstable();
            let steps = a
                .steps
                .into_iter()
                .map(|(code, mut v)| {
                    v.sort_unstable();
                    let stats = StepStats {
                        count: v.len(),
                        median: median(&v).unwrap_or(0.0),
                        min: v.first().copied().unwrap_or(0),
                        max: v.last().copied().unwrap_or(0),
                    };
                    (code, stats)
                })
                .collect();
            (
                k,
                Timeliness {
                    closed: a.closed,
                    on_time: a.on_time,
                    by_end: a.by_end,
                    median_total: median(&a.totals),
                    steps,
                },
            )
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn medians() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3]), Some(3.0));
        assert_eq!(median(&[1, 4]), Some(2.5));
        assert_eq!(median(&[1, 2, 9]), Some(2.0));
    }
}
