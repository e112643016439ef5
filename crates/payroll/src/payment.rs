//! Payments (rows of a payment list) and totals by channel.

use crate::line::{LineKind, PaymentKey, PayrollLine};
use ansinh_domain::Money;
use ansinh_domain::ids::PersonId;
use ansinh_domain::person::PaymentChannel;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// The lines of one entitlement and payee in a run month: one row of the list, one result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub key: PaymentKey,
    pub beneficiary: PersonId,
    pub channel: PaymentChannel,
    /// Positions of its lines in the unit's lines.
    pub lines: Range<usize>,
    /// Monthly benefits for the run month.
    pub monthly: Money,
    /// Arrears minus recoveries.
    pub arrears: Money,
    /// Carried over from earlier months.
    pub carried: Money,
    /// Funeral and emergency items.
    pub one_off: Money,
    /// What the payee receives (negative: to recover).
    pub total: Money,
}

/// Groups lines (ordered by entitlement and payee) into payments.
pub fn payments(lines: &[PayrollLine]) -> Vec<Payment> {
    let mut out: Vec<Payment> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let key = line.key.payment();
        let same = out.last().is_some_and(|p| p.key == key && p.lines.end == i);
        if !same {
            out.push(Payment {
                key,
                beneficiary: line.key.beneficiary,
                channel: line.channel,
                lines: i..i,
                monthly: Money::ZERO,
                arrears: Money::ZERO,
                carried: Money::ZERO,
                one_off: Money::ZERO,
                total: Money::ZERO,
            });
        }
        if let Some(p) = out.last_mut() {
            p.lines.end = i + 1;
            match line.key.kind {
                k if k.is_monthly() => p.monthly += line.amount,
                LineKind::Arrears | LineKind::Recovery => p.arrears += line.amount,
                LineKind::CarryOver => p.carried += line.amount,
                _ => p.one_off += line.amount,
            }
            p.total += line.amount;
        }
    }
    out
}

/// Totals of one channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelTotals {
    pub channel: PaymentChannel,
    pub payments: u64,
    pub lines: u64,
    pub monthly: Money,
    pub arrears: Money,
    pub carried: Money,
    pub one_off: Money,
    /// Sum of positive payment totals: what the paying organisation pays out.
    pub to_pay: Money,
    /// Sum of negative payment totals, as a positive amount: what is to be recovered.
    pub to_recover: Money,
}

impl ChannelTotals {
    fn new(channel: PaymentChannel) -> ChannelTotals {
        ChannelTotals {
            channel,
            payments: 0,
            lines: 0,
            monthly: Money::ZERO,
            arrears: Money::ZERO,
            carried: Money::ZERO,
            one_off: Money::ZERO,
            to_pay: Money::ZERO,
            to_recover: Money::ZERO,
        }
    }

    /// `to_pay − to_recover`.
    pub fn net(&self) -> Money {
        self.to_pay - self.to_recover
    }

    fn add(&mut self, o: &ChannelTotals) {
        self.payments += o.payments;
        self.lines += o.lines;
        self.monthly += o.monthly;
        self.arrears += o.arrears;
        self.carried += o.carried;
        self.one_off += o.one_off;
        self.to_pay += o.to_pay;
        self.to_recover += o.to_recover;
    }
}

/// Channel order on lists and in totals: cash, bank, e-wallet.
pub fn channel_rank(c: PaymentChannel) -> u8 {
    match c {
        PaymentChannel::Cash => 0,
        PaymentChannel::Bank => 1,
        PaymentChannel::EWallet => 2,
    }
}

/// Totals by channel and overall.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Cash, bank, e-wallet; only channels used.
    pub by_channel: Vec<ChannelTotals>,
    pub payments: u64,
    pub lines: u64,
    pub to_pay: Money,
    pub to_recover: Money,
    /// `to_pay − to_recover`: the sum of every line.
    pub net: Money,
}

impl Totals {
    pub fn of(payments: &[Payment]) -> Totals {
        let mut t = Totals::default();
        for p in payments {
            let mut c = ChannelTotals::new(p.channel);
            c.payments = 1;
            c.lines = p.lines.len() as u64;
            c.monthly = p.monthly;
            c.arrears = p.arrears;
            c.carried = p.carried;
            c.one_off = p.one_off;
            if p.total > Money::ZERO {
                c.to_pay = p.total;
            } else {
                c.to_recover = -p.total;
            }
            t.add_channel(&c);
        }
        t
    }

    fn add_channel(&mut self, c: &ChannelTotals) {
        match self
            .by_channel
            .binary_search_by_key(&channel_rank(c.channel), |x| channel_rank(x.channel))
        {
            Ok(i) => {
                if let Some(x) = self.by_channel.get_mut(i) {
                    x.add(c);
                }
            }
            Err(i) => self.by_channel.insert(i, *c),
        }
        self.payments += c.payments;
        self.lines += c.lines;
        self.to_pay += c.to_pay;
        self.to_recover += c.to_recover;
        self.net = self.to_pay - self.to_recover;
    }

    /// Adds another unit's totals (province and grand totals).
    pub fn add(&mut self, other: &Totals) {
        for c in &other.by_channel {
            self.add_channel(c);
        }
    }

    pub fn channel(&self, channel: PaymentChannel) -> Option<&ChannelTotals> {
        self.by_channel.iter().find(|c| c.channel == channel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::line::{Explanation, LineKey, Reason};
    use ansinh_domain::Month;
    use ansinh_domain::ids::EntitlementId;
    use ansinh_policy::{PayeeKind, Section};

    fn line(
        e: i64,
        payee: PayeeKind,
        kind: LineKind,
        amount: i64,
        channel: PaymentChannel,
    ) -> PayrollLine {
        let m: Month = "2025-03".parse().unwrap();
        PayrollLine {
            key: LineKey {
                entitlement: EntitlementId(e),
                beneficiary: PersonId(e),
                month: m,
                kind,
                for_month: m,
                benefit: Section::Allowance,
                payee,
                one_off: None,
            },
            channel,
            amount: Money(amount),
            reason: Reason::Regular,
            explanation: Explanation::default(),
        }
    }

    #[test]
    fn lines_group_into_payments_and_totals() {
        let cash = PaymentChannel::Cash;
        let bank = PaymentChannel::Bank;
        let lines = vec![
            line(1, PayeeKind::SelfPerson, LineKind::Allowance, 750_000, cash),
            line(1, PayeeKind::SelfPerson, LineKind::Arrears, 210_000, cash),
            line(1, PayeeKind::SelfPerson, LineKind::CarryOver, 750_000, cash),
            line(1, PayeeKind::Household, LineKind::Caregiving, 500_000, bank),
            line(
                2,
                PayeeKind::SelfPerson,
                LineKind::Recovery,
                -1_000_000,
                bank,
            ),
            line(3, PayeeKind::Organiser, LineKind::Funeral, 10_000_000, cash),
        ];
        let p = payments(&lines);
        let totals: Vec<(i64, i64, i64, i64, i64)> = p
            .iter()
            .map(|p| {
                (
                    p.monthly.as_i64(),
                    p.arrears.as_i64(),
                    p.carried.as_i64(),
                    p.one_off.as_i64(),
                    p.total.as_i64(),
                )
            })
            .collect();
        assert_eq!(
            totals,
            vec![
                (750_000, 210_000, 750_000, 0, 1_710_000),
                (500_000, 0, 0, 0, 500_000),
                (0, -1_000_000, 0, 0, -1_000_000),
                (0, 0, 0, 10_000_000, 10_000_000),
            ]
        );
        assert_eq!(p[0].lines, 0..3);
        let t = Totals::of(&p);
        assert_eq!(t.payments, 4);
        assert_eq!(t.lines, 6);
        assert_eq!(t.to_pay, Money(12_210_000));
        assert_eq!(t.to_recover, Money(1_000_000));
        assert_eq!(t.net, Money(11_210_000));
        let c = t.channel(cash).unwrap();
        assert_eq!((c.payments, c.to_pay), (2, Money(11_710_000)));
        let b = t.channel(bank).unwrap();
        assert_eq!(
            (b.to_pay, b.to_recover, b.net()),
            (Money(500_000), Money(1_000_000), Money(-500_000))
        );
        let mut sum = Totals::default();
        sum.add(&t);
        sum.add(&t);
        assert_eq!(sum.net, Money(22_420_000));
        assert_eq!(sum.by_channel.len(), 2);
    }
}
