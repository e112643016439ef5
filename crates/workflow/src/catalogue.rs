//! The validated workflow catalogue: application types and their checklists, workflow
//! definitions by receipt date, handover rules, decision kinds, reason codes and issuing
//! authorities. Built only by [`Catalogue::parse`] (see `load.rs`), so every reference inside it
//! resolves.

pub use ansinh_calendar::Confidence;
use ansinh_domain::access::Role;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// What an application asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Benefit {
    /// trợ cấp xã hội hằng tháng
    MonthlyAllowance,
    /// hỗ trợ kinh phí chăm sóc, nuôi dưỡng hằng tháng
    CaregivingSupport,
    /// hỗ trợ chi phí mai táng
    FuneralSupport,
    /// chăm sóc, nuôi dưỡng tại cơ sở trợ giúp xã hội
    FacilityCare,
    /// trợ cấp hưu trí xã hội
    SocialPension,
}

impl Benefit {
    pub const ALL: [Benefit; 5] = [
        Benefit::MonthlyAllowance,
        Benefit::CaregivingSupport,
        Benefit::FuneralSupport,
        Benefit::FacilityCare,
        Benefit::SocialPension,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Benefit::MonthlyAllowance => "monthly_allowance",
            Benefit::CaregivingSupport => "caregiving_support",
            Benefit::FuneralSupport => "funeral_support",
            Benefit::FacilityCare => "facility_care",
            Benefit::SocialPension => "social_pension",
        }
    }
}

/// How a required document is handled at intake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// Part of the dossier (nộp).
    Attach,
    /// Shown to the receiving officer for comparison, not kept (xuất trình).
    Show,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Attach => "attach",
            DocumentKind::Show => "show",
        }
    }
}

/// What a workflow step does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// rà soát, xét duyệt
    Review,
    /// niêm yết công khai
    Posting,
    /// văn bản đề nghị lên cấp trên
    Proposal,
    /// thẩm định
    Appraisal,
    /// quyết định
    Decision,
}

impl StepKind {
    pub const ALL: [StepKind; 5] = [
        StepKind::Review,
        StepKind::Posting,
        StepKind::Proposal,
        StepKind::Appraisal,
        StepKind::Decision,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Review => "review",
            StepKind::Posting => "posting",
            StepKind::Proposal => "proposal",
            StepKind::Appraisal => "appraisal",
            StepKind::Decision => "decision",
        }
    }
}

/// How a dossier ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum End {
    /// A positive decision (quyết định hưởng, tiếp nhận).
    Granted,
    /// A negative decision at the decision step (không hưởng, nêu rõ lý do).
    Rejected,
    /// A written refusal before the decision step (review, appraisal, complaint upheld).
    Refused,
}

impl End {
    pub const ALL: [End; 3] = [End::Granted, End::Rejected, End::Refused];
    pub fn as_str(self) -> &'static str {
        match self {
            End::Granted => "granted",
            End::Rejected => "rejected",
            End::Refused => "refused",
        }
    }
}

impl fmt::Display for End {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A fact declared at intake that makes a document required (e.g. `pregnant`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Condition {
    pub key: String,
    pub name_vi: String,
    pub name_en: String,
}

/// A document of the vocabulary (name only; where it is required is per application type).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DocumentDef {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
}

/// A document an application type requires, for receipts in `from..=to`, when `when` holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RequiredDocument {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub kind: DocumentKind,
    /// Condition key: required only when the applicant declared it.
    pub when: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub citation: String,
    pub confidence: Confidence,
    pub note: Option<String>,
}

impl RequiredDocument {
    /// Whether the document is required for a receipt on `date` with the declared conditions.
    pub fn applies(&self, date: NaiveDate, conditions: &[String]) -> bool {
        self.from.is_none_or(|f| date >= f)
            && self.to.is_none_or(|t| date <= t)
            && self
                .when
                .as_ref()
                .is_none_or(|w| conditions.iter().any(|c| c == w))
    }
}

/// An application type (loại hồ sơ), e.g. `1a` for Mẫu số 1a.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ApplicationType {
    pub code: String,
    pub form_vi: String,
    pub name_vi: String,
    pub name_en: String,
    pub benefit: Benefit,
    /// Beneficiary groups (k1…k8) it requests for.
    pub groups: Vec<String>,
    /// Workflow family: which definitions apply.
    pub family: String,
    /// First receipt date the type exists (e.g. the social pension from 2025-07-01).
    pub from: Option<NaiveDate>,
    pub citation: String,
    pub confidence: Confidence,
    pub sources: Vec<String>,
    pub note: Option<String>,
    pub documents: Vec<RequiredDocument>,
}

impl ApplicationType {
    /// The checklist for a receipt on `date` with the declared conditions.
    pub fn checklist(&self, date: NaiveDate, conditions: &[String]) -> Vec<&RequiredDocument> {
        self.documents
            .iter()
            .filter(|d| d.applies(date, conditions))
            .collect()
    }
}

/// Where an outcome leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    /// To a later step of the same definition.
    Next(String),
    /// The dossier is closed.
    End(End),
}

/// An outcome a step allows, e.g. appraisal `approve` (forwards) or `refuse` (ends).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct StepOutcome {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub transition: Transition,
    /// Reasons must be given (refusals, rejections).
    pub reasons: bool,
}

/// One step of a workflow definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Step {
    pub code: String,
    pub kind: StepKind,
    pub name_vi: String,
    pub name_en: String,
    /// Who acts in law (e.g. the district chairman), for display.
    pub actor_vi: String,
    pub actor_en: String,
    /// System roles that may record the step.
    pub roles: Vec<Role>,
    /// Working days from the step's start (the start day not counted); `None`: none written.
    pub deadline: Option<u32>,
    /// A period that must run in full (public posting): the step cannot be completed earlier.
    pub period: bool,
    /// May be skipped (with a reason).
    pub optional: bool,
    /// Maker-checker: users who completed these earlier steps (or `receive`) may not record
    /// this one.
    pub independent_of: Vec<String>,
    /// Role an escalation is addressed to.
    pub escalate_to: Role,
    /// Decision steps: the authority whose decision is recorded.
    pub authority: Option<String>,
    pub citation: String,
    pub confidence: Confidence,
    pub sources: Vec<String>,
    pub note: Option<String>,
    pub outcomes: Vec<StepOutcome>,
}

impl Step {
    pub fn outcome(&self, code: &str) -> Option<&StepOutcome> {
        self.outcomes.iter().find(|o| o.code == code)
    }
    pub fn allows(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// An outcome of a complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ComplaintOutcome {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    /// `None`: dismissed, the step continues; `Some`: the dossier is closed.
    pub end: Option<End>,
    pub reasons: bool,
}

/// The complaint procedure of a definition (khiếu nại), with its own clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ComplaintRule {
    pub name_vi: String,
    pub name_en: String,
    /// Working days from the day the complaint was received.
    pub deadline: u32,
    /// Steps during which a complaint may be filed.
    pub during: Vec<String>,
    /// Roles that record the filing and the resolution.
    pub roles: Vec<Role>,
    pub citation: String,
    pub confidence: Confidence,
    pub sources: Vec<String>,
    pub note: Option<String>,
    pub outcomes: Vec<ComplaintOutcome>,
}

impl ComplaintRule {
    pub fn outcome(&self, code: &str) -> Option<&ComplaintOutcome> {
        self.outcomes.iter().find(|o| o.code == code)
    }
}

/// A workflow definition, valid for dossiers RECEIVED in `valid_from..=valid_to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Definition {
    pub id: String,
    pub family: String,
    pub name_vi: String,
    pub name_en: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub citation: String,
    pub confidence: Confidence,
    pub sources: Vec<String>,
    /// Best-known configuration, to be confirmed against the official text.
    pub to_be_confirmed: bool,
    /// A statutory total in working days where the law gives one for the whole procedure (it
    /// then replaces the sum of the step deadlines for timeliness).
    pub total_deadline: Option<u32>,
    /// Roles that may receive a dossier.
    pub receive_roles: Vec<Role>,
    pub note: Option<String>,
    pub complaint: Option<ComplaintRule>,
    pub steps: Vec<Step>,
}

impl Definition {
    pub fn covers(&self, received: NaiveDate) -> bool {
        received >= self.valid_from && self.valid_to.is_none_or(|t| received <= t)
    }
    pub fn step(&self, code: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.code == code)
    }
    pub fn step_index(&self, code: &str) -> Option<usize> {
        self.steps.iter().position(|s| s.code == code)
    }
    /// The first step (a definition has at least one).
    pub fn first_step(&self) -> Option<&Step> {
        self.steps.first()
    }
    /// Statutory working days of the whole procedure without a complaint: the definition's
    /// total, else the sum of the deadlines of the mandatory steps.
    pub fn statutory_days(&self) -> u32 {
        self.total_deadline.unwrap_or_else(|| {
            self.steps
                .iter()
                .filter(|s| !s.optional)
                .filter_map(|s| s.deadline)
                .sum()
        })
    }
}

/// Dossiers still open under `from` on `on` move to `to` at the mapped step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Handover {
    pub id: String,
    pub from: String,
    pub to: String,
    pub on: NaiveDate,
    pub roles: Vec<Role>,
    pub citation: String,
    pub confidence: Confidence,
    pub sources: Vec<String>,
    pub note: Option<String>,
    /// Step of `from` → step of `to`; every step of `from` is mapped.
    pub map: BTreeMap<String, String>,
}

/// Who decides (e.g. the commune chairman) and how their decisions are numbered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Authority {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub issuer_vi: String,
    pub issuer_en: String,
    /// Lines of the issuer block at the top left of the printed decision (NĐ 30/2020
    /// Annex I), `{unit}` standing for the issuing unit's name.
    pub letterhead_vi: Vec<String>,
    /// The line above the legal bases naming who decides ("Chủ tịch Ủy ban nhân dân {unit}").
    pub heading_vi: String,
    /// The title in the signature block ("TM. Ủy ban nhân dân\nChủ tịch", "Chủ tịch").
    pub signer_vi: String,
    /// Document type of the number (`QĐ`), none for letters.
    pub document: Option<String>,
    /// Issuer abbreviation (`UBND`).
    pub symbol: String,
    /// Roles that record (approve) the decision.
    pub roles: Vec<Role>,
    /// Roles that may prepare it.
    pub prepare_roles: Vec<Role>,
    pub note: Option<String>,
}

impl Authority {
    /// The issuer block for a decision of `unit` (its name as of the decision date).
    pub fn letterhead(&self, unit: &str) -> Vec<String> {
        self.letterhead_vi
            .iter()
            .map(|l| l.replace("{unit}", unit))
            .collect()
    }

    /// The authority line for a decision of `unit`.
    pub fn heading(&self, unit: &str) -> String {
        self.heading_vi.replace("{unit}", unit)
    }
}

/// What a decision of a kind needs as reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonPolicy {
    None,
    /// At least one free-text reason.
    Text,
    /// At least one code of the kind's reason sets.
    Coded,
}

/// A kind of decision (grant, suspend, terminate…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DecisionKind {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub reasons: ReasonPolicy,
    pub reason_sets: Vec<String>,
    pub citation: Option<String>,
}

/// A reason code with its text (TT 02/2021 Art. 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Reason {
    pub code: String,
    pub text_vi: String,
    pub text_en: String,
    pub citation: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ReasonSet {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub citation: String,
    pub confidence: Confidence,
    pub sources: Vec<String>,
    pub reasons: Vec<Reason>,
}

/// Which authority issues decisions of some kinds for some families, by decision date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Issuing {
    pub families: Vec<String>,
    pub kinds: Vec<String>,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
    pub authority: String,
    pub citation: String,
    pub confidence: Confidence,
    pub sources: Vec<String>,
    pub note: Option<String>,
}

impl Issuing {
    pub fn covers(&self, date: NaiveDate) -> bool {
        date >= self.from && self.to.is_none_or(|t| date <= t)
    }
}

/// The whole catalogue. Immutable once built; every reference inside resolves.
#[derive(Debug, Clone, Serialize)]
pub struct Catalogue {
    pub(crate) conditions: Vec<Condition>,
    pub(crate) documents: Vec<DocumentDef>,
    pub(crate) application_types: Vec<ApplicationType>,
    pub(crate) definitions: Vec<Definition>,
    pub(crate) handovers: Vec<Handover>,
    pub(crate) authorities: Vec<Authority>,
    pub(crate) decision_kinds: Vec<DecisionKind>,
    pub(crate) reason_sets: Vec<ReasonSet>,
    pub(crate) issuing: Vec<Issuing>,
    #[serde(skip)]
    pub(crate) definition_index: HashMap<String, usize>,
}

impl Catalogue {
    pub fn conditions(&self) -> &[Condition] {
        &self.conditions
    }
    pub fn condition(&self, key: &str) -> Option<&Condition> {
        self.conditions.iter().find(|c| c.key == key)
    }
    pub fn documents(&self) -> &[DocumentDef] {
        &self.documents
    }
    pub fn application_types(&self) -> &[ApplicationType] {
        &self.application_types
    }
    pub fn application_type(&self, code: &str) -> Option<&ApplicationType> {
        self.application_types.iter().find(|t| t.code == code)
    }
    pub fn definitions(&self) -> &[Definition] {
        &self.definitions
    }
    pub fn definition(&self, id: &str) -> Option<&Definition> {
        self.definition_index
            .get(id)
            .and_then(|&i| self.definitions.get(i))
    }
    /// The definition of `family` valid for a dossier received on `received`.
    pub fn definition_for(&self, family: &str, received: NaiveDate) -> Option<&Definition> {
        self.definitions
            .iter()
            .find(|d| d.family == family && d.covers(received))
    }
    /// The families (in order of first appearance).
    pub fn families(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for d in &self.definitions {
            if !out.contains(&d.family.as_str()) {
                out.push(&d.family);
            }
        }
        out
    }
    pub fn handovers(&self) -> &[Handover] {
        &self.handovers
    }
    /// The handover rule that applies to a dossier under `definition` on `date`, if any.
    pub fn handover_from(&self, definition: &str, date: NaiveDate) -> Option<&Handover> {
        self.handovers
            .iter()
            .filter(|h| h.from == definition && date >= h.on)
            .min_by_key(|h| h.on)
    }
    pub fn authorities(&self) -> &[Authority] {
        &self.authorities
    }
    pub fn authority(&self, code: &str) -> Option<&Authority> {
        self.authorities.iter().find(|a| a.code == code)
    }
    pub fn decision_kinds(&self) -> &[DecisionKind] {
        &self.decision_kinds
    }
    pub fn decision_kind(&self, code: &str) -> Option<&DecisionKind> {
        self.decision_kinds.iter().find(|k| k.code == code)
    }
    pub fn reason_sets(&self) -> &[ReasonSet] {
        &self.reason_sets
    }
    pub fn reason_set(&self, code: &str) -> Option<&ReasonSet> {
        self.reason_sets.iter().find(|s| s.code == code)
    }
    /// A reason by its code, in any set.
    pub fn reason(&self, code: &str) -> Option<&Reason> {
        self.reason_sets
            .iter()
            .flat_map(|s| &s.reasons)
            .find(|r| r.code == code)
    }
    pub fn issuing(&self) -> &[Issuing] {
        &self.issuing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn documents_apply_by_receipt_date_and_condition() {
        let doc = RequiredDocument {
            code: "residence-book".into(),
            name_vi: String::new(),
            name_en: String::new(),
            kind: DocumentKind::Show,
            when: Some("pregnant".into()),
            from: Some(date(2021, 7, 1)),
            to: Some(date(2022, 12, 31)),
            citation: String::new(),
            confidence: Confidence::Low,
            note: None,
        };
        let pregnant = ["pregnant".to_owned()];
        assert!(doc.applies(date(2021, 7, 1), &pregnant));
        assert!(doc.applies(date(2022, 12, 31), &pregnant));
        assert!(!doc.applies(date(2023, 1, 1), &pregnant));
        assert!(!doc.applies(date(2021, 6, 30), &pregnant));
        assert!(!doc.applies(date(2022, 1, 3), &[]));
    }

    #[test]
    fn enums_have_stable_names() {
        assert_eq!(End::Refused.to_string(), "refused");
        assert_eq!(StepKind::Appraisal.as_str(), "appraisal");
        assert_eq!(Benefit::SocialPension.as_str(), "social_pension");
        assert_eq!(DocumentKind::Show.as_str(), "show");
    }
}
