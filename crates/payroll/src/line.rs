//! What a run produces: payment lines, each with its idempotency key, amount, payee,
//! channel, reason code and explanation.

use crate::model::OneOffId;
use ansinh_domain::ids::{EntitlementId, PersonId};
use ansinh_domain::person::PaymentChannel;
use ansinh_domain::{Money, Month};
use ansinh_policy::citation::{Citation, Confidence};
use ansinh_policy::report::coefficient_text;
use ansinh_policy::{AmountKind, ArrearsReason, PayeeKind, Section};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

/// Kinds of lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// trợ cấp xã hội hằng tháng, for the run month
    Allowance,
    /// hỗ trợ kinh phí chăm sóc, nuôi dưỡng hằng tháng, per payee
    Caregiving,
    /// trợ cấp nuôi dưỡng tại cơ sở
    Facility,
    /// trợ cấp hưu trí xã hội
    SocialPension,
    /// truy lĩnh: due for an earlier month and not listed (amount > 0)
    Arrears,
    /// thu hồi: listed for an earlier month and not due (amount < 0)
    Recovery,
    /// chưa nhận kỳ trước: listed earlier, not received, listed again
    CarryOver,
    /// hỗ trợ chi phí mai táng (decided)
    Funeral,
    /// trợ giúp khẩn cấp (decided)
    Emergency,
}

impl LineKind {
    pub const ALL: [LineKind; 9] = [
        LineKind::Allowance,
        LineKind::Caregiving,
        LineKind::Facility,
        LineKind::SocialPension,
        LineKind::Arrears,
        LineKind::Recovery,
        LineKind::CarryOver,
        LineKind::Funeral,
        LineKind::Emergency,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Allowance => "allowance",
            LineKind::Caregiving => "caregiving",
            LineKind::Facility => "facility",
            LineKind::SocialPension => "social_pension",
            LineKind::Arrears => "arrears",
            LineKind::Recovery => "recovery",
            LineKind::CarryOver => "carry_over",
            LineKind::Funeral => "funeral",
            LineKind::Emergency => "emergency",
        }
    }

    pub fn parse(text: &str) -> Option<LineKind> {
        LineKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The kind of the month's line for a monthly benefit.
    pub fn monthly(section: Section) -> Option<LineKind> {
        match section {
            Section::Allowance => Some(LineKind::Allowance),
            Section::Caregiving => Some(LineKind::Caregiving),
            Section::Facility => Some(LineKind::Facility),
            Section::SocialPension => Some(LineKind::SocialPension),
            _ => None,
        }
    }

    /// A benefit for the run month.
    pub fn is_monthly(self) -> bool {
        matches!(
            self,
            LineKind::Allowance
                | LineKind::Caregiving
                | LineKind::Facility
                | LineKind::SocialPension
        )
    }

    pub fn is_one_off(self) -> bool {
        matches!(self, LineKind::Funeral | LineKind::Emergency)
    }

    /// Counts in the ledger's `listed` (monthly lines, arrears, recoveries).
    pub fn counts_as_listed(self) -> bool {
        self.is_monthly() || matches!(self, LineKind::Arrears | LineKind::Recovery)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            LineKind::Allowance => "Trợ cấp xã hội hằng tháng",
            LineKind::Caregiving => "Hỗ trợ kinh phí chăm sóc, nuôi dưỡng",
            LineKind::Facility => "Trợ cấp nuôi dưỡng tại cơ sở",
            LineKind::SocialPension => "Trợ cấp hưu trí xã hội",
            LineKind::Arrears => "Truy lĩnh",
            LineKind::Recovery => "Thu hồi",
            LineKind::CarryOver => "Chưa nhận kỳ trước",
            LineKind::Funeral => "Hỗ trợ chi phí mai táng",
            LineKind::Emergency => "Trợ giúp khẩn cấp",
        }
    }
}

impl fmt::Display for LineKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The idempotency key of a line: `(entitlement, beneficiary, month, kind, for_month)` and
/// what tells lines of the same kind apart within one entitlement and month — the benefit an
/// arrears or carry-over line is for, the payee, the one-off item. Running a month again
/// gives the same keys, so a unique index on the key makes a second payment impossible.
///
/// Text form: `entitlement/beneficiary/month/kind/for_month/benefit/payee[/one_off]`, e.g.
/// `1001/501/2024-08/arrears/2024-07/allowance/self`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LineKey {
    pub entitlement: EntitlementId,
    pub beneficiary: PersonId,
    /// The run month.
    pub month: Month,
    pub kind: LineKind,
    /// The month the amount is for (the run month for monthly lines).
    pub for_month: Month,
    /// The benefit the amount belongs to.
    pub benefit: Section,
    pub payee: PayeeKind,
    /// The one-off item (one-offs and their carry-overs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_off: Option<OneOffId>,
}

impl LineKey {
    /// The payment (row of the list) the line belongs to.
    pub fn payment(&self) -> PaymentKey {
        PaymentKey {
            month: self.month,
            entitlement: self.entitlement,
            payee: self.payee,
        }
    }

    /// Order within a run: entitlement, payee, kind, months, benefit, item.
    pub(crate) fn order(&self) -> impl Ord + use<> {
        (
            self.entitlement,
            self.payee,
            self.kind,
            self.for_month,
            self.benefit,
            self.one_off,
            self.beneficiary,
            self.month,
        )
    }
}

impl fmt::Display for LineKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}/{}/{}/{}/{}/{}",
            self.entitlement,
            self.beneficiary,
            self.month,
            self.kind,
            self.for_month,
            self.benefit.as_str(),
            self.payee.as_str()
        )?;
        if let Some(o) = self.one_off {
            write!(f, "/{o}")?;
        }
        Ok(())
    }
}

/// A text that is not a key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a payroll key")]
pub struct KeyError(pub String);

fn payee_parse(text: &str) -> Option<PayeeKind> {
    [
        PayeeKind::SelfPerson,
        PayeeKind::FosterCarer,
        PayeeKind::Household,
        PayeeKind::Facility,
        PayeeKind::Organiser,
        PayeeKind::Agency,
    ]
    .into_iter()
    .find(|p| p.as_str() == text)
}

impl FromStr for LineKey {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<LineKey, KeyError> {
        let bad = || KeyError(s.chars().take(80).collect());
        let parts: Vec<&str> = s.trim().split('/').collect();
        if !(7..=8).contains(&parts.len()) {
            return Err(bad());
        }
        let int = |t: &str| t.parse::<i64>().map_err(|_| bad());
        let month = |t: &str| t.parse::<Month>().map_err(|_| bad());
        Ok(LineKey {
            entitlement: EntitlementId(int(parts[0])?),
            beneficiary: PersonId(int(parts[1])?),
            month: month(parts[2])?,
            kind: LineKind::parse(parts[3]).ok_or_else(bad)?,
            for_month: month(parts[4])?,
            benefit: Section::parse(parts[5]).ok_or_else(bad)?,
            payee: payee_parse(parts[6]).ok_or_else(bad)?,
            one_off: match parts.get(7) {
                Some(t) => Some(OneOffId(int(t)?)),
                None => None,
            },
        })
    }
}

/// One row of a payment list: the lines of one entitlement and payee in a run month. The
/// paying organisation reports one result per payment, which applies to each of its lines.
///
/// Text form: `month/entitlement/payee`, e.g. `2025-03/1001/self`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PaymentKey {
    pub month: Month,
    pub entitlement: EntitlementId,
    pub payee: PayeeKind,
}

impl fmt::Display for PaymentKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}/{}",
            self.month,
            self.entitlement,
            self.payee.as_str()
        )
    }
}

impl FromStr for PaymentKey {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<PaymentKey, KeyError> {
        let bad = || KeyError(s.chars().take(80).collect());
        let mut parts = s.trim().split('/');
        let (Some(m), Some(e), Some(p), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        Ok(PaymentKey {
            month: m.parse().map_err(|_| bad())?,
            entitlement: EntitlementId(e.parse().map_err(|_| bad())?),
            payee: payee_parse(p).ok_or_else(bad)?,
        })
    }
}

/// Why a line is there (machine code; the explanation says the rest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// A monthly benefit that ran last month too.
    Regular,
    /// First month: the decision for this benefit was signed in the run month.
    DecisionStart,
    /// The entitlement's first month here (`since`): after a move from another commune (or
    /// a reinstatement from a set month). Takes precedence over `decision_start`.
    MoveIn,
    // Arrears and recoveries, as `ansinh_policy::ArrearsReason`:
    PaidAfterDeath,
    PaidAfterLossOfEligibility,
    StartBeforeDecision,
    BaseDecreedLate,
    AdjustmentNotApplied,
    NotPaid,
    Underpaid,
    Overpaid,
    /// Listed for a month outside the entitlement's `since ..= until` (e.g. after a move).
    PaidOutsidePeriod,
    /// Carry-over of an amount not collected.
    NotCollected,
    /// Carry-over of an amount the paying organisation returned.
    Returned,
    /// A one-off item decided by the competent chairman.
    Decided,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Regular => "regular",
            Reason::DecisionStart => "decision_start",
            Reason::MoveIn => "move_in",
            Reason::PaidAfterDeath => "paid_after_death",
            Reason::PaidAfterLossOfEligibility => "paid_after_loss_of_eligibility",
            Reason::StartBeforeDecision => "start_before_decision",
            Reason::BaseDecreedLate => "base_decreed_late",
            Reason::AdjustmentNotApplied => "adjustment_not_applied",
            Reason::NotPaid => "not_paid",
            Reason::Underpaid => "underpaid",
            Reason::Overpaid => "overpaid",
            Reason::PaidOutsidePeriod => "paid_outside_period",
            Reason::NotCollected => "not_collected",
            Reason::Returned => "returned",
            Reason::Decided => "decided",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Reason::Regular => "hưởng thường xuyên",
            Reason::DecisionStart => "bắt đầu hưởng theo quyết định",
            Reason::MoveIn => "chuyển đến từ địa bàn khác",
            Reason::PaidAfterDeath => "đã chi sau tháng chết",
            Reason::PaidAfterLossOfEligibility => "đã chi sau khi không còn đủ điều kiện",
            Reason::StartBeforeDecision => "được hưởng từ trước tháng ký quyết định",
            Reason::BaseDecreedLate => "mức chuẩn ban hành sau thời điểm áp dụng",
            Reason::AdjustmentNotApplied => "chưa điều chỉnh mức hưởng",
            Reason::NotPaid => "chưa được chi",
            Reason::Underpaid => "chi thiếu",
            Reason::Overpaid => "chi thừa",
            Reason::PaidOutsidePeriod => "đã chi ngoài thời gian hưởng tại địa bàn",
            Reason::NotCollected => "kỳ trước chưa nhận",
            Reason::Returned => "kỳ trước bị trả lại",
            Reason::Decided => "theo quyết định hỗ trợ",
        }
    }
}

impl From<ArrearsReason> for Reason {
    fn from(r: ArrearsReason) -> Reason {
        match r {
            ArrearsReason::PaidAfterDeath => Reason::PaidAfterDeath,
            ArrearsReason::PaidAfterLossOfEligibility => Reason::PaidAfterLossOfEligibility,
            ArrearsReason::StartBeforeDecision => Reason::StartBeforeDecision,
            ArrearsReason::BaseDecreedLate => Reason::BaseDecreedLate,
            ArrearsReason::AdjustmentNotApplied => Reason::AdjustmentNotApplied,
            ArrearsReason::NotPaid => Reason::NotPaid,
            ArrearsReason::Underpaid => Reason::Underpaid,
            ArrearsReason::Overpaid => Reason::Overpaid,
        }
    }
}

/// What a catalogue rule says, shared by every line priced with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleInfo {
    /// Policy version in force (e.g. `nd76-2024`).
    pub policy_version: String,
    pub rule_id: String,
    /// Beneficiary group (`k5`), for allowance rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    pub label: String,
    pub citation: Citation,
    pub citation_text: String,
    /// Base level entry used (`base-2024`, a tier `base-2015#0`, or national+provincial).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_citation_text: Option<String>,
    pub amount_kind: AmountKind,
    pub confidence: Confidence,
}

/// One priced component: rule, coefficient, base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Basis {
    pub rule: Arc<RuleInfo>,
    /// In hundredths (1.5 → 150); `None` for fixed amounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coefficient: Option<i64>,
    /// Children raised (k4), or 1.
    pub multiplier: u32,
    pub base: Money,
    pub amount: Money,
}

/// Why a line has its amount.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    /// The rule that prices the amount (for arrears and recoveries: what is due for
    /// `for_month`, if anything).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<Basis>,
    /// The second allowance of the k4 exception to highest-only (NĐ 20/2021 Art. 6(2)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second: Option<Box<Basis>>,
    /// Arrears and recoveries: what is due for `for_month` now…
    #[serde(default, skip_serializing_if = "is_zero")]
    pub due: Money,
    /// …and what was listed for it before.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub listed_before: Money,
    /// One-offs: decision and legal basis; carry-overs: where the amount was first listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Arc<str>>,
}

/// One line of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayrollLine {
    pub key: LineKey,
    pub channel: PaymentChannel,
    /// Whole đồng; recoveries are negative.
    pub amount: Money,
    pub reason: Reason,
    pub explanation: Explanation,
}

impl PayrollLine {
    /// A Vietnamese sentence for lists and screens, e.g. "Trợ cấp xã hội hằng tháng tháng
    /// 07/2024, nhóm k5 (k5a-60-to-80): hệ số 1,5 × mức chuẩn 500.000 đ = 750.000 đ; theo
    /// điểm đ khoản 1 Điều 6 Nghị định 20/2021/NĐ-CP; phiên bản nd76-2024."
    pub fn sentence_vi(&self) -> String {
        let k = &self.key;
        let sep = if k.kind.is_monthly() { ", " } else { " " };
        let mut out = format!(
            "{}{sep}tháng {}",
            k.kind.label_vi(),
            k.for_month.display_vi()
        );
        if matches!(
            k.kind,
            LineKind::Arrears | LineKind::Recovery | LineKind::CarryOver
        ) {
            out.push_str(&format!(" ({})", benefit_vi(k.benefit)));
        }
        out.push_str(&format!(": {}", self.amount.display_vi()));
        out.push_str(&format!(" — {}", self.reason.label_vi()));
        let e = &self.explanation;
        if matches!(k.kind, LineKind::Arrears | LineKind::Recovery) {
            out.push_str(&format!(
                " (phải hưởng {}, đã đưa vào danh sách {})",
                e.due.display_vi(),
                e.listed_before.display_vi()
            ));
        }
        for b in e.basis.iter().chain(e.second.as_deref()) {
            out.push_str("; ");
            out.push_str(&basis_vi(b));
        }
        if let Some(note) = &e.note {
            out.push_str("; ");
            out.push_str(note);
        }
        out.push('.');
        out
    }
}

fn is_zero(m: &Money) -> bool {
    m.is_zero()
}

fn benefit_vi(s: Section) -> &'static str {
    match s {
        Section::Allowance => "trợ cấp xã hội hằng tháng",
        Section::Caregiving => "hỗ trợ kinh phí chăm sóc, nuôi dưỡng",
        Section::Facility => "trợ cấp nuôi dưỡng tại cơ sở",
        Section::SocialPension => "trợ cấp hưu trí xã hội",
        Section::Funeral => "hỗ trợ chi phí mai táng",
        Section::Emergency => "trợ giúp khẩn cấp",
        Section::HealthInsurance => "bảo hiểm y tế",
    }
}

fn basis_vi(b: &Basis) -> String {
    let r = &b.rule;
    let mut out = String::new();
    if let Some(g) = &r.group {
        out.push_str(&format!("nhóm {g} "));
    }
    out.push_str(&format!("({})", r.rule_id));
    if let Some(c) = b.coefficient {
        out.push_str(&format!(
            ": hệ số {}",
            coefficient_text(c, ansinh_policy::Lang::Vi)
        ));
        if b.multiplier != 1 {
            out.push_str(&format!(" × {}", b.multiplier));
        }
        out.push_str(&format!(" × mức chuẩn {}", b.base.display_vi()));
    }
    out.push_str(&format!(" = {}", b.amount.display_vi()));
    out.push_str(&format!("; theo {}", r.citation_text));
    if let Some(bc) = &r.base_citation_text {
        out.push_str(&format!("; mức chuẩn theo {bc}"));
    }
    out.push_str(&format!("; phiên bản {}", r.policy_version));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(one_off: Option<OneOffId>) -> LineKey {
        LineKey {
            entitlement: EntitlementId(1001),
            beneficiary: PersonId(501),
            month: "2024-08".parse().unwrap(),
            kind: LineKind::Arrears,
            for_month: "2024-07".parse().unwrap(),
            benefit: Section::Allowance,
            payee: PayeeKind::SelfPerson,
            one_off,
        }
    }

    #[test]
    fn keys_read_back_from_text() {
        let k = key(None);
        assert_eq!(
            k.to_string(),
            "1001/501/2024-08/arrears/2024-07/allowance/self"
        );
        assert_eq!(k.to_string().parse::<LineKey>().unwrap(), k);
        let o = key(Some(OneOffId(77)));
        assert_eq!(o.to_string().parse::<LineKey>().unwrap(), o);
        assert!(o.to_string().ends_with("/77"));
        for bad in [
            "",
            "1/2/2024-08/arrears/2024-07/allowance",
            "1/2/2024-13/arrears/2024-07/allowance/self",
            "1/2/2024-08/bonus/2024-07/allowance/self",
            "x/2/2024-08/arrears/2024-07/allowance/self",
            "1/2/2024-08/arrears/2024-07/allowance/self/7/8",
        ] {
            assert!(bad.parse::<LineKey>().is_err(), "{bad}");
        }
        let p = k.payment();
        assert_eq!(p.to_string(), "2024-08/1001/self");
        assert_eq!(p.to_string().parse::<PaymentKey>().unwrap(), p);
        assert!("2024-08/1001".parse::<PaymentKey>().is_err());
        assert!("2024-08/1001/self/x".parse::<PaymentKey>().is_err());
        assert!(" 2024-08/1001/household ".parse::<PaymentKey>().is_ok());
    }

    #[test]
    fn kinds_and_reasons_have_stable_names() {
        for k in LineKind::ALL {
            assert_eq!(LineKind::parse(k.as_str()), Some(k));
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.as_str())
            );
        }
        assert_eq!(
            serde_json::to_string(&Reason::BaseDecreedLate).unwrap(),
            "\"base_decreed_late\""
        );
        assert_eq!(Reason::from(ArrearsReason::NotPaid), Reason::NotPaid);
        assert!(LineKind::Arrears.counts_as_listed());
        assert!(!LineKind::CarryOver.counts_as_listed());
        assert!(LineKind::Funeral.is_one_off());
    }

    #[test]
    fn a_line_explains_itself_in_vietnamese() {
        let rule = Arc::new(RuleInfo {
            policy_version: "nd76-2024".into(),
            rule_id: "k5a-60-to-80".into(),
            group: Some("k5".into()),
            label: String::new(),
            citation: Citation::default(),
            citation_text: "điểm đ khoản 1 Điều 6 Nghị định 20/2021/NĐ-CP".into(),
            base_id: Some("base-2024".into()),
            base_citation_text: Some("khoản 1 Điều 1 Nghị định 76/2024/NĐ-CP".into()),
            amount_kind: AmountKind::Fixed,
            confidence: Confidence::High,
        });
        let line = PayrollLine {
            key: key(None),
            channel: PaymentChannel::Cash,
            amount: Money(210_000),
            reason: Reason::BaseDecreedLate,
            explanation: Explanation {
                basis: Some(Basis {
                    rule,
                    coefficient: Some(150),
                    multiplier: 1,
                    base: Money(500_000),
                    amount: Money(750_000),
                }),
                second: None,
                due: Money(750_000),
                listed_before: Money(540_000),
                note: None,
            },
        };
        assert_eq!(
            line.sentence_vi(),
            "Truy lĩnh tháng 07/2024 (trợ cấp xã hội hằng tháng): 210.000 đ — mức chuẩn ban hành \
             sau thời điểm áp dụng (phải hưởng 750.000 đ, đã đưa vào danh sách 540.000 đ); nhóm k5 \
             (k5a-60-to-80): hệ số 1,5 × mức chuẩn 500.000 đ = 750.000 đ; theo điểm đ khoản 1 Điều \
             6 Nghị định 20/2021/NĐ-CP; mức chuẩn theo khoản 1 Điều 1 Nghị định 76/2024/NĐ-CP; \
             phiên bản nd76-2024."
        );
        let json = serde_json::to_string(&line).unwrap();
        let back: PayrollLine = serde_json::from_str(&json).unwrap();
        assert_eq!(back, line);
    }
}
