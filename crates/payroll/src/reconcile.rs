//! Reconciliation (đối chiếu): per commune and channel, what was listed, what the paying
//! organisation reports as paid, not collected or returned, and the funds transferred to it;
//! every mismatch listed.

use crate::payment::channel_rank;
use crate::results::{ImportReport, Outcome};
use crate::run::UnitRun;
use ansinh_domain::person::PaymentChannel;
use ansinh_domain::{Money, UnitCode};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Funds transferred to the paying organisation for a commune and channel (TT 76/2021
/// Art. 4: before the 25th, with the list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    pub unit: UnitCode,
    pub channel: PaymentChannel,
    pub amount: Money,
}

/// One commune and channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconRow {
    pub unit: UnitCode,
    pub channel: PaymentChannel,
    /// Payments with a positive total.
    pub payments: u64,
    /// Sum of positive payment totals (what the list asks to pay).
    pub listed: Money,
    /// Sum of negative payment totals, as a positive amount (to recover, not transferred).
    pub to_recover: Money,
    pub paid: Money,
    pub unpaid: Money,
    pub returned: Money,
    /// Listed payments without a result.
    pub unresolved: Money,
    pub unresolved_payments: u64,
    pub transferred: Money,
    /// `transferred − paid`: what the paying organisation still holds.
    pub balance: Money,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiscrepancyKind {
    /// Funds transferred differ from the list's total.
    TransferDiffers,
    /// A list with no transfer.
    NoTransfer,
    /// A transfer for a commune and channel with nothing listed.
    TransferWithoutList,
    /// Payments on the list with no result from the paying organisation.
    ResultsMissing,
    /// More reported paid than transferred.
    PaidExceedsTransfer,
    /// Rows of the results file that were rejected.
    RejectedRows,
}

/// One mismatch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discrepancy {
    pub kind: DiscrepancyKind,
    pub unit: Option<UnitCode>,
    pub channel: Option<PaymentChannel>,
    pub expected: Money,
    pub actual: Money,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reconciliation {
    /// By commune, then channel (cash, bank, e-wallet).
    pub rows: Vec<ReconRow>,
    pub listed: Money,
    pub paid: Money,
    pub unpaid: Money,
    pub returned: Money,
    pub unresolved: Money,
    pub transferred: Money,
    pub discrepancies: Vec<Discrepancy>,
}

type Key = (UnitCode, u8);

/// Reconciles units' runs with the imported results and the transfers.
pub fn reconcile<'a>(
    units: impl IntoIterator<Item = &'a UnitRun>,
    results: &ImportReport,
    transfers: &[Transfer],
) -> Reconciliation {
    let outcomes = results.outcomes();
    let mut rows: BTreeMap<Key, ReconRow> = BTreeMap::new();
    for u in units {
        for p in &u.payments {
            let r = rows
                .entry((u.unit, channel_rank(p.channel)))
                .or_insert_with(|| empty_row(&u.unit, p.channel));
            if p.total <= Money::ZERO {
                r.to_recover += -p.total;
                continue;
            }
            r.payments += 1;
            r.listed += p.total;
            match outcomes.get(&p.key) {
                Some(Outcome::Paid) => r.paid += p.total,
                Some(Outcome::Unpaid) => r.unpaid += p.total,
                Some(Outcome::Returned) => r.returned += p.total,
                None => {
                    r.unresolved += p.total;
                    r.unresolved_payments += 1;
                }
            }
        }
    }
    let mut transferred_to: BTreeMap<Key, bool> = BTreeMap::new();
    for t in transfers {
        let key = (t.unit, channel_rank(t.channel));
        transferred_to.insert(key, true);
        let r = rows
            .entry(key)
            .or_insert_with(|| empty_row(&t.unit, t.channel));
        // Transfers come from outside: a sum that does not fit saturates (and then differs).
        r.transferred = Money(r.transferred.as_i64().saturating_add(t.amount.as_i64()));
    }

    let mut out = Reconciliation::default();
    for (key, mut r) in rows {
        r.balance = r.transferred - r.paid;
        let at = |kind, expected, actual, message: String| Discrepancy {
            kind,
            unit: Some(r.unit),
            channel: Some(r.channel),
            expected,
            actual,
            message,
        };
        let place = format!(
            "{} ({})",
            r.unit,
            crate::layout::channel_label_vi(r.channel)
        );
        if r.listed.is_zero() && !r.transferred.is_zero() {
            out.discrepancies.push(at(
                DiscrepancyKind::TransferWithoutList,
                Money::ZERO,
                r.transferred,
                format!(
                    "{place}: đã chuyển {} nhưng không có danh sách chi trả",
                    r.transferred.display_vi()
                ),
            ));
        } else if !transferred_to.contains_key(&key) && !r.listed.is_zero() {
            out.discrepancies.push(at(
                DiscrepancyKind::NoTransfer,
                r.listed,
                Money::ZERO,
                format!(
                    "{place}: danh sách {} chưa có kinh phí chuyển",
                    r.listed.display_vi()
                ),
            ));
        } else if r.transferred != r.listed {
            out.discrepancies.push(at(
                DiscrepancyKind::TransferDiffers,
                r.listed,
                r.transferred,
                format!(
                    "{place}: kinh phí đã chuyển {} khác tổng danh sách {} (chênh lệch {})",
                    r.transferred.display_vi(),
                    r.listed.display_vi(),
                    (r.transferred - r.listed).display_vi()
                ),
            ));
        }
        if r.unresolved_payments > 0 {
            out.discrepancies.push(at(
                DiscrepancyKind::ResultsMissing,
                r.listed,
                r.paid + r.unpaid + r.returned,
                format!(
                    "{place}: {} khoản chi ({}) chưa có kết quả",
                    r.unresolved_payments,
                    r.unresolved.display_vi()
                ),
            ));
        }
        if r.paid > r.transferred {
            out.discrepancies.push(at(
                DiscrepancyKind::PaidExceedsTransfer,
                r.transferred,
                r.paid,
                format!(
                    "{place}: báo cáo đã chi {} vượt kinh phí đã chuyển {}",
                    r.paid.display_vi(),
                    r.transferred.display_vi()
                ),
            ));
        }
        out.listed += r.listed;
        out.paid += r.paid;
        out.unpaid += r.unpaid;
        out.returned += r.returned;
        out.unresolved += r.unresolved;
        out.transferred += r.transferred;
        out.rows.push(r);
    }
    if !results.bad.is_empty() {
        out.discrepancies.push(Discrepancy {
            kind: DiscrepancyKind::RejectedRows,
            unit: None,
            channel: None,
            expected: Money::ZERO,
            actual: Money::ZERO,
            message: format!(
                "{} dòng kết quả bị từ chối (dòng {})",
                results.bad.len(),
                results
                    .bad
                    .iter()
                    .map(|b| b.row.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    out
}

fn empty_row(unit: &UnitCode, channel: PaymentChannel) -> ReconRow {
    ReconRow {
        unit: *unit,
        channel,
        payments: 0,
        listed: Money::ZERO,
        to_recover: Money::ZERO,
        paid: Money::ZERO,
        unpaid: Money::ZERO,
        returned: Money::ZERO,
        unresolved: Money::ZERO,
        unresolved_payments: 0,
        transferred: Money::ZERO,
        balance: Money::ZERO,
    }
}
