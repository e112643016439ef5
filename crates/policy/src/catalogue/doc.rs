//! The catalogue's text form (TOML): what an administrator edits and the database stores.
//! Names (flags, groups, scales, payees…) are plain strings here so that validation can list
//! every unknown one at once; compilation turns them into indices and bit masks.

use crate::citation::{Citation, Confidence};
use crate::condition::ConditionDoc;
use ansinh_domain::{Money, Month};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One file of the catalogue. The built-in catalogue is several fragments; an added decree,
/// a correction or a provincial overlay is another fragment layered on top.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fragment {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub base: Vec<BaseDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub version: Vec<VersionDoc>,
}

/// A base level (mức chuẩn) from a month on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaseDoc {
    pub id: String,
    /// Which base: `allowance` (mức chuẩn trợ giúp xã hội), `social_pension`, or a new name.
    pub scale: String,
    pub from: Month,
    /// A provincial base (2-digit code); absent = national.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    /// The amount; a provincial amount below the national one is not applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    /// Provincial only: added to the national base instead of replacing it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_up: Option<Money>,
    /// Day the decree was signed (for arrears when signed after the month it applies to).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed: Option<NaiveDate>,
    /// Day the decree took legal effect, when later than signature: months from `from`
    /// through this one were listed at the old base and are paid with arrears.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_force: Option<NaiveDate>,
    pub citation: Citation,
    pub confidence: Confidence,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Variants by beneficiary category; the first that matches replaces `amount`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tier: Vec<TierDoc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierDoc {
    pub when: ConditionDoc,
    pub amount: Money,
    /// Sections whose rules this tier prices (`allowance`, `caregiving`, …); empty = all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<String>,
    pub citation: Citation,
    pub confidence: Confidence,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A policy version (phiên bản chính sách): the rules in force from a month on, or — with a
/// `province` — a provincial overlay on whatever national version is in force.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionDoc {
    pub id: String,
    pub from: Month,
    /// Overlays only: last month the overlay applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Month>,
    /// Inherit every item of that version; items here with the same id replace them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    pub decree: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed: Option<NaiveDate>,
    pub title_vi: String,
    pub title_en: String,
    pub confidence: Confidence,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Rule ids of the inherited version that no longer apply.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remove_note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definitions: Option<DefinitionsDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub combination: Option<CombinationDoc>,
    /// Which budget pays each benefit; replaces the inherited table as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funding: Option<FundingDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group: Vec<GroupDoc>,
    /// Monthly social allowance rules (trợ cấp xã hội hằng tháng).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rule: Vec<RuleDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caregiving: Vec<RuleDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facility: Vec<RuleDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub social_pension: Vec<RuleDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub funeral: Vec<RuleDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emergency: Vec<RuleDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub health_insurance: Vec<RuleDoc>,
}

/// Legal definitions the facts are counted with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefinitionsDoc {
    /// A child being raised is under this age (16)…
    pub child_raised_age_below: u16,
    /// …or in education and under this age (22, through the birthday month).
    pub studying_age_below: u16,
    /// Caregiving for disabled parents counts children under this many months (36).
    pub infant_age_months_below: u16,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupDoc {
    /// `k1` … `k8`, or a new code.
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub citation: Citation,
}

/// A citation and confidence for a combination rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Basis {
    pub citation: Citation,
    pub confidence: Confidence,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Which budget pays each benefit (nguồn kinh phí): the sources a budget estimate is summed
/// by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundingDoc {
    /// Source of a benefit not listed in `benefit` (`local`, `central`…).
    pub default: String,
    /// Benefit (`allowance`, `caregiving`, `facility`, `social_pension`, `funeral`,
    /// `emergency`, `health_insurance`) → source, with its own basis where it differs.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub benefit: std::collections::BTreeMap<String, FundingEntry>,
    /// The basis of the default and of the entries without their own.
    pub basis: Basis,
}

/// A benefit's source: `social_pension = "central"`, or with its own basis
/// `social_pension = { source = "central", basis = { … } }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FundingEntry {
    Source(String),
    WithBasis { source: String, basis: Basis },
}

/// How several entitlements combine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CombinationDoc {
    /// `highest_only` (chỉ hưởng một mức cao nhất) or `sum`.
    pub allowance: String,
    pub highest_only: Basis,
    /// Exceptions to highest-only: the best rule of `group` is paid on top of the best rule
    /// of any of `with` (the k4 exception).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stack: Vec<StackDoc>,
    /// The facility living allowance replaces the monthly allowance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facility_excludes_allowance: Option<Basis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub social_pension_vs_allowance: Option<SocialPensionCombination>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StackDoc {
    pub id: String,
    pub group: String,
    pub with: Vec<String>,
    pub citation: Citation,
    pub confidence: Confidence,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SocialPensionCombination {
    /// `higher_of` (the higher of the two, not both) or `both`.
    pub mode: String,
    pub citation: Citation,
    pub confidence: Confidence,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One rule of any section. Which fields are required depends on the section; validation
/// says which are missing or out of place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDoc {
    pub id: String,
    /// Beneficiary group (allowance rules).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Legal point of the group (`a` … `d` for k5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_case: Option<String>,
    /// Take the sub-case from a fact instead (`k1_case`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_case_fact: Option<String>,
    /// Age or disability band, e.g. `under-4`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<String>,
    pub label_vi: String,
    pub label_en: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<ConditionDoc>,
    /// Multiple of the base in hundredths (2.5 → 250).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coefficient: Option<i64>,
    /// A fixed amount in đồng instead of a multiple of the base.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    /// Rice in kilograms per person per month instead of money.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity_kg: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_months: Option<u32>,
    /// Multiplier: `person` (default), `child_raised`, `household_member`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per: Option<String>,
    /// Which base (`allowance` by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<String>,
    /// `fixed` (default), `floor` (at least: tối thiểu, thấp nhất) or `cap` (at most: tối đa).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `decision` (default): from the month the decision is signed; `birthday`: from the
    /// month the age condition is met; `certificate`: from the disability-certificate month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// Who is paid: `self`, `foster_carer`, `household`, `facility`, `organiser`, `agency`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee: Option<String>,
    /// Emergency rules: the kind of event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_treatment_days: Option<u32>,
    pub citation: Citation,
    pub confidence: Confidence,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}
