//! What a payroll run reads: entitlements (with their situation and ledger), decided one-off
//! items and the run's configuration.

use crate::hash::Digest;
use ansinh_domain::ids::{EntitlementId, PersonId};
use ansinh_domain::person::PaymentChannel;
use ansinh_domain::{Money, Month, UnitCode};
use ansinh_policy::{PaidLine, PayeeKind, Section, Situation};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// A decided one-off item (mai táng phí, trợ giúp khẩn cấp), numbered by the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OneOffId(pub i64);

impl fmt::Display for OneOffId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Whether an entitlement is paid (TT 02/2021/TT-BLĐTBXH Art. 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntitlementStatus {
    /// đang hưởng: monthly lines, arrears and recoveries, carry-overs.
    Active,
    /// tạm dừng: nothing is listed; unpaid amounts wait; arrears are worked out on
    /// reinstatement (TT 02/2021 Art. 6(1)(b): "truy lĩnh (nếu có)").
    Suspended,
    /// thôi hưởng: no monthly line; recoveries, carry-overs, and arrears only for months up
    /// to `until`.
    Terminated,
}

impl EntitlementStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EntitlementStatus::Active => "active",
            EntitlementStatus::Suspended => "suspended",
            EntitlementStatus::Terminated => "terminated",
        }
    }
}

/// How a payee other than the beneficiary is paid (a foster carer, the household).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayeeAccount {
    pub payee: PayeeKind,
    pub channel: PaymentChannel,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
}

/// An entitlement (chế độ được hưởng): a beneficiary's situation as decided, where and how it
/// is paid, and what has been paid so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entitlement<'a> {
    pub id: EntitlementId,
    /// The person the situation describes (đối tượng).
    pub beneficiary: PersonId,
    /// The commune that pays (đơn vị chi trả), 5 digits.
    pub paying_unit: UnitCode,
    /// Its province, 2 digits: runs are grouped by province.
    pub province: UnitCode,
    /// How the beneficiary (payee `self`) is paid.
    pub channel: PaymentChannel,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// Other payees (foster carer, household, facility); absent ones are paid like the
    /// beneficiary.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payees: Vec<PayeeAccount>,
    pub status: EntitlementStatus,
    /// First month this entitlement pays for (e.g. the month after the old commune's stop
    /// month after a move, or a reinstatement without arrears). `None`: no bound besides the
    /// engine's start rules and the look-back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Month>,
    /// Last month this entitlement pays for (the stop month written in a move or a
    /// termination decision). `None`: open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Month>,
    /// The facts the policy engine reads, including decision months and granted groups.
    pub situation: Cow<'a, Situation>,
    /// What was listed and paid before this run.
    #[serde(default)]
    pub ledger: Ledger,
    /// The facts digest ([`crate::facts_digest`] of this entitlement), when the caller has
    /// worked it out already (to choose what to read for the run); the run works it out when
    /// absent. Set it only after the situation, `since` and `until` are final.
    #[serde(skip)]
    pub facts: Option<Digest>,
}

impl Entitlement<'_> {
    /// Channel and account of a payee.
    pub fn channel_of(&self, payee: PayeeKind) -> (PaymentChannel, Option<&str>) {
        match self.payees.iter().find(|p| p.payee == payee) {
            Some(p) => (p.channel, p.account.as_deref()),
            None => (self.channel, self.account.as_deref()),
        }
    }

    /// Whether `month` lies in `since ..= until`.
    pub fn covers(&self, month: Month) -> bool {
        self.since.is_none_or(|s| s <= month) && self.until.is_none_or(|u| month <= u)
    }

    /// A borrowed copy (the situation is not cloned).
    pub fn borrowed(&self) -> Entitlement<'_> {
        Entitlement {
            id: self.id,
            beneficiary: self.beneficiary,
            paying_unit: self.paying_unit,
            province: self.province,
            channel: self.channel,
            account: self.account.clone(),
            payees: self.payees.clone(),
            status: self.status,
            since: self.since,
            until: self.until,
            situation: Cow::Borrowed(&self.situation),
            ledger: self.ledger.clone(),
            facts: self.facts,
        }
    }
}

/// The payment history of one entitlement before a run (sổ theo dõi chi trả).
///
/// The store keeps one ledger per entitlement and month: the run for month M reads the
/// ledger as it stood before M (so running M again reads the same ledger and gives the same
/// lines), and [`crate::settle`] makes the ledger before M+1 from it, the run's lines and the
/// imported results.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ledger {
    /// Amounts put on payment lists for each month of entitlement, benefit and payee:
    /// monthly lines, arrears (+) and recoveries (−); not carry-overs, which re-list an
    /// amount already counted. The outcome does not matter here: an amount listed but not
    /// received stays owed through `unpaid`, never through arrears. Months before the
    /// look-back may be left out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub listed: Vec<PaidLine>,
    /// Amounts listed but not received (or returned), waiting to be carried over.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unpaid: Vec<Unpaid>,
    /// Run months, consecutive and ending with the latest imported result, in which nothing
    /// was received (for suspension after 3: TT 02/2021 Art. 2(3)(a)).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unpaid_months: Vec<Month>,
    /// The situation and catalogue under which `listed` was last brought level with what is
    /// due. When a run finds the same situation, the same catalogue and the previous month,
    /// nothing earlier can have changed and arrears are not recomputed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reconciled: Option<Reconciled>,
}

/// An amount listed but not received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unpaid {
    /// The month the amount is for.
    pub for_month: Month,
    pub benefit: Section,
    pub payee: PayeeKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_off: Option<OneOffId>,
    pub amount: Money,
    /// Run month in which the amount was first listed.
    pub first_listed: Month,
    /// Returned by the paying organisation (trả lại) rather than not collected.
    #[serde(default)]
    pub returned: bool,
}

/// See [`Ledger::reconciled`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reconciled {
    /// Run month through which `listed` equals what is due.
    pub through: Month,
    /// [`crate::facts_digest`] of the entitlement then.
    pub facts: Digest,
    /// [`ansinh_policy::Catalogue::fingerprint`] then.
    pub catalogue: String,
}

/// Kinds of one-off items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OneOffKind {
    /// hỗ trợ chi phí mai táng
    Funeral,
    /// trợ giúp xã hội khẩn cấp (tiền mặt)
    Emergency,
}

impl OneOffKind {
    pub fn section(self) -> Section {
        match self {
            OneOffKind::Funeral => Section::Funeral,
            OneOffKind::Emergency => Section::Emergency,
        }
    }
}

/// A one-off item decided by the competent chairman, waiting to be listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OneOff {
    pub id: OneOffId,
    /// The entitlement it is paid under (for a household with no monthly benefit, the store
    /// records the emergency decision as an entitlement of its own).
    pub entitlement: EntitlementId,
    pub beneficiary: PersonId,
    pub paying_unit: UnitCode,
    pub province: UnitCode,
    pub kind: OneOffKind,
    /// Month of the event (death, disaster).
    pub for_month: Month,
    /// Month of the decision: listed in the first run of that month or later.
    pub decided: Month,
    pub amount: Money,
    pub payee: PayeeKind,
    pub channel: PaymentChannel,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// Decision and legal basis, as shown on the line (e.g. "QĐ 15/QĐ-UBND; khoản 1 Điều 11
    /// Nghị định 20/2021/NĐ-CP").
    pub citation: String,
    /// Run month that listed it, once a run is kept. A one-off is listed once: only in runs
    /// of that month (re-runs) when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listed_in: Option<Month>,
}

impl OneOff {
    /// Whether a run of `month` lists it.
    pub fn due_in(&self, month: Month) -> bool {
        self.decided <= month && self.listed_in.is_none_or(|m| m == month)
    }
}

/// Settings of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayrollConfig {
    /// How many months before the run month arrears and recoveries look back (the
    /// entitlement's `since` bounds it too). Default 24.
    pub lookback_months: u32,
}

impl Default for PayrollConfig {
    fn default() -> PayrollConfig {
        PayrollConfig {
            lookback_months: 24,
        }
    }
}
