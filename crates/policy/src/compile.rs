//! The catalogue compiled for one month: the active version (with its `extends` chain and
//! any provincial overlays) flattened, names resolved to indices, conditions compiled, rules
//! sorted by id (so results never depend on the order of the catalogue's text), and base
//! levels resolved. Evaluating a situation against it allocates nothing on the happy path.

use crate::catalogue::doc::{
    BaseDoc, Basis, FundingEntry, GroupDoc, RuleDoc, StackDoc, VersionDoc,
};
use crate::catalogue::{Catalogue, Placed};
use crate::citation::{Citation, Confidence};
use crate::condition::{self, Cond, Names, Place};
use crate::engine::Section;
use crate::facts::EmergencyKind;
use crate::problem::{Problem, codes};
use ansinh_domain::{Money, Month};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// How a catalogue amount relates to what may be paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AmountKind {
    /// Exactly this amount.
    Fixed,
    /// At least this amount (tối thiểu, thấp nhất): a province may pay more.
    Floor,
    /// At most this amount (tối đa không quá).
    Cap,
}

/// Who receives a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayeeKind {
    /// The person themselves (or their guardian).
    #[serde(rename = "self")]
    SelfPerson,
    /// The foster household or individual (người nhận chăm sóc, nuôi dưỡng).
    FosterCarer,
    /// The person's household (hộ gia đình).
    Household,
    /// The social assistance facility.
    Facility,
    /// Whoever organises the funeral (người tổ chức mai táng).
    Organiser,
    /// The agency that carried out a burial.
    Agency,
}

impl PayeeKind {
    fn parse(text: &str) -> Option<PayeeKind> {
        Some(match text {
            "self" => PayeeKind::SelfPerson,
            "foster_carer" => PayeeKind::FosterCarer,
            "household" => PayeeKind::Household,
            "facility" => PayeeKind::Facility,
            "organiser" => PayeeKind::Organiser,
            "agency" => PayeeKind::Agency,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PayeeKind::SelfPerson => "self",
            PayeeKind::FosterCarer => "foster_carer",
            PayeeKind::Household => "household",
            PayeeKind::Facility => "facility",
            PayeeKind::Organiser => "organiser",
            PayeeKind::Agency => "agency",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Per {
    Person,
    ChildRaised,
    HouseholdMember,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Start {
    Decision,
    Birthday,
    Certificate,
}

/// One rule ready to evaluate; `doc` keeps the text for explanations.
#[derive(Debug, Clone)]
pub(crate) struct CompiledRule {
    pub doc: RuleDoc,
    pub group: Option<u8>,
    pub cond: Cond,
    pub coefficient: Option<i64>,
    pub amount: Option<Money>,
    pub quantity_kg: Option<i64>,
    pub max_months: Option<u32>,
    pub per: Per,
    pub scale: u16,
    pub kind: AmountKind,
    pub start: Start,
    pub payee: PayeeKind,
    pub trigger: Option<EmergencyKind>,
    pub min_treatment_days: u32,
    pub sub_case_from_k1: bool,
}

/// A base entry's text, for explanations and arrears.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BaseInfo {
    pub id: String,
    pub amount: Money,
    pub signed: Option<NaiveDate>,
    pub citation: Citation,
    pub confidence: Confidence,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Tier {
    pub cond: Cond,
    /// Bit per [`Section`]; 0 = all sections.
    pub sections: u8,
    pub info: BaseInfo,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ProvincialMode {
    /// The higher of the provincial and national amounts.
    AtLeast,
    /// National amount plus this.
    TopUp,
}

#[derive(Debug, Clone)]
pub(crate) struct ResolvedBase {
    pub national: BaseInfo,
    pub tiers: Vec<Tier>,
    pub provincial: Option<(ProvincialMode, BaseInfo)>,
}

#[derive(Debug, Clone)]
pub(crate) struct Stack {
    pub group: u8,
    pub with: u64,
    pub doc: StackDoc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PensionMode {
    HigherOf,
    Both,
}

#[derive(Debug, Clone)]
pub(crate) struct Combination {
    pub highest_only: bool,
    pub highest_only_basis: Option<Basis>,
    pub stacks: Vec<Stack>,
    pub facility_excludes: Option<Basis>,
    pub social_pension: Option<(PensionMode, Basis)>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Definitions {
    pub child_raised_age_below: u16,
    pub studying_age_below: u16,
    pub infant_age_months_below: u16,
}

/// Which version produced a rule set.
#[derive(Debug, Clone)]
pub(crate) struct VersionInfo {
    pub id: String,
    pub decree: String,
    pub title_vi: String,
    pub title_en: String,
    pub confidence: Confidence,
    /// Provincial overlays applied on top, by id.
    pub overlays: Vec<String>,
    pub remove_note: Option<String>,
}

/// The rules for one month and one province (or the nation).
#[derive(Debug, Clone)]
pub(crate) struct RuleSet {
    pub province: Option<String>,
    pub version: VersionInfo,
    pub groups: Vec<GroupDoc>,
    pub sections: [Vec<CompiledRule>; Section::COUNT],
    pub bases: Vec<Option<ResolvedBase>>,
    /// The plain amount of each scale (no tier), for `pension_below_base`.
    pub scale_amounts: Vec<Option<Money>>,
    pub combination: Combination,
    pub definitions: Definitions,
    /// `None` when neither the version nor those it extends say which budget pays.
    pub funding: Option<Funding>,
}

/// Which budget pays each benefit, compiled from a version's `funding` table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Funding {
    pub default: FundedBy,
    pub by_section: [Option<FundedBy>; Section::COUNT],
}

/// Which budget pays an amount (`local`, `central`…), with the legal basis the catalogue's
/// funding table gives for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundedBy {
    pub source: String,
    pub citation: Citation,
    pub confidence: Confidence,
}

impl Funding {
    fn of(&self, section: Section) -> &FundedBy {
        self.by_section[section as usize]
            .as_ref()
            .unwrap_or(&self.default)
    }
}

impl RuleSet {
    pub fn rules(&self, section: Section) -> &[CompiledRule] {
        &self.sections[section as usize]
    }

    pub fn group_index(&self, code: &str) -> Option<u8> {
        self.groups
            .iter()
            .position(|g| g.code == code)
            .and_then(|i| u8::try_from(i).ok())
    }
}

/// The catalogue compiled for one month: the national rules and each province's variant.
#[derive(Debug, Clone)]
pub struct MonthRules {
    pub(crate) month: Month,
    pub(crate) national: RuleSet,
    pub(crate) provincial: Vec<RuleSet>,
}

impl MonthRules {
    pub fn month(&self) -> Month {
        self.month
    }

    /// The policy version in force nationally, e.g. `nd176-2025`.
    pub fn version_id(&self) -> &str {
        &self.national.version.id
    }

    /// Which budget pays `section` under rule set `rule_set` (an evaluation's
    /// `rule_set`), as the catalogue's `funding` tables say; `None` where they say nothing.
    pub fn funding_source(&self, rule_set: u16, section: Section) -> Option<&FundedBy> {
        self.rule_set(rule_set)
            .funding
            .as_ref()
            .map(|f| f.of(section))
    }

    /// Index 0 is national; 1.. are provinces with overlays or provincial bases.
    pub(crate) fn rule_set(&self, index: u16) -> &RuleSet {
        match index {
            0 => &self.national,
            i => self
                .provincial
                .get(usize::from(i) - 1)
                .unwrap_or(&self.national),
        }
    }

    pub(crate) fn rule_set_index(&self, province: Option<&str>) -> u16 {
        match province {
            None => 0,
            Some(code) => self
                .provincial
                .iter()
                .position(|r| r.province.as_deref() == Some(code))
                .and_then(|i| u16::try_from(i + 1).ok())
                .unwrap_or(0),
        }
    }

    /// Group codes known to the national rules this month.
    pub fn group_codes(&self) -> impl Iterator<Item = &str> {
        self.national.groups.iter().map(|g| g.code.as_str())
    }
}

/// The national version in force in `month` (latest `from`, then latest added).
pub(crate) fn active_version(catalogue: &Catalogue, month: Month) -> Option<&Placed<VersionDoc>> {
    catalogue
        .versions
        .iter()
        .filter(|v| v.item.province.is_none() && v.item.from <= month)
        .max_by_key(|v| (v.item.from, v.seq))
}

/// Compile the catalogue for `month`, every province variant included.
pub(crate) fn compile_month(
    catalogue: &Catalogue,
    month: Month,
) -> Result<MonthRules, Vec<Problem>> {
    let mut problems = Vec::new();
    let Some(version) = active_version(catalogue, month) else {
        return Err(vec![Problem::new(
            codes::NO_POLICY_VERSION,
            "month",
            format!("no policy version is in force in {month}"),
        )]);
    };
    let national = compile_rule_set(catalogue, version, month, None, &mut problems);
    let mut provinces: BTreeSet<&str> = BTreeSet::new();
    for v in &catalogue.versions {
        if let Some(p) = &v.item.province
            && overlay_applies(&v.item, month)
        {
            provinces.insert(p);
        }
    }
    for b in &catalogue.bases {
        if let Some(p) = &b.item.province
            && b.item.from <= month
        {
            provinces.insert(p);
        }
    }
    let provincial = provinces
        .into_iter()
        .map(|p| compile_rule_set(catalogue, version, month, Some(p), &mut problems))
        .collect();
    if problems.is_empty() {
        Ok(MonthRules {
            month,
            national,
            provincial,
        })
    } else {
        problems.sort();
        problems.dedup();
        Err(problems)
    }
}

fn overlay_applies(v: &VersionDoc, month: Month) -> bool {
    v.from <= month && v.until.is_none_or(|u| month <= u)
}

/// The `extends` chain from the root to `leaf` (cycles and unknown parents are reported by
/// catalogue validation; here they just end the chain).
pub(crate) fn chain<'a>(catalogue: &'a Catalogue, leaf: &'a VersionDoc) -> Vec<&'a VersionDoc> {
    let mut chain = vec![leaf];
    let mut current = leaf;
    while let Some(parent) = &current.extends {
        match catalogue.version(parent) {
            Some(p) if !chain.iter().any(|c| c.id == p.id) => {
                chain.push(p);
                current = p;
            }
            _ => break,
        }
    }
    chain.reverse();
    chain
}

/// Items gathered from a chain of versions and overlays, later ones replacing earlier ones.
struct Flat<'a> {
    groups: Vec<&'a GroupDoc>,
    sections: [Vec<(&'a RuleDoc, String)>; Section::COUNT],
    definitions: Option<crate::catalogue::doc::DefinitionsDoc>,
    combination: Option<&'a crate::catalogue::doc::CombinationDoc>,
    funding: Option<&'a crate::catalogue::doc::FundingDoc>,
}

impl<'a> Flat<'a> {
    fn apply(&mut self, v: &'a VersionDoc, file: &str) {
        for g in &v.group {
            self.groups.retain(|old| old.code != g.code);
            self.groups.push(g);
        }
        for id in &v.remove {
            for section in &mut self.sections {
                section.retain(|(r, _)| &r.id != id);
            }
        }
        for (section, rules) in Section::ALL.iter().zip(sections_of(v)) {
            for rule in rules {
                for s in &mut self.sections {
                    s.retain(|(r, _)| r.id != rule.id);
                }
                self.sections[*section as usize].push((
                    rule,
                    format!(
                        "{file}: version[{}].{}[{}]",
                        v.id,
                        section.toml_key(),
                        rule.id
                    ),
                ));
            }
        }
        if v.definitions.is_some() {
            self.definitions = v.definitions;
        }
        if v.combination.is_some() {
            self.combination = v.combination.as_ref();
        }
        if v.funding.is_some() {
            self.funding = v.funding.as_ref();
        }
    }
}

pub(crate) fn sections_of(v: &VersionDoc) -> [&Vec<RuleDoc>; Section::COUNT] {
    [
        &v.rule,
        &v.caregiving,
        &v.facility,
        &v.social_pension,
        &v.funeral,
        &v.emergency,
        &v.health_insurance,
    ]
}

fn compile_rule_set(
    catalogue: &Catalogue,
    version: &Placed<VersionDoc>,
    month: Month,
    province: Option<&str>,
    problems: &mut Vec<Problem>,
) -> RuleSet {
    let mut flat = Flat {
        groups: Vec::new(),
        sections: Default::default(),
        definitions: None,
        combination: None,
        funding: None,
    };
    let national_chain = chain(catalogue, &version.item);
    for v in &national_chain {
        let file = catalogue.file_of_version(&v.id);
        flat.apply(v, file);
    }
    let mut overlays: Vec<&Placed<VersionDoc>> = catalogue
        .versions
        .iter()
        .filter(|v| v.item.province.as_deref() == province && province.is_some())
        .filter(|v| overlay_applies(&v.item, month))
        .collect();
    overlays.sort_by_key(|v| (v.item.from, v.seq));
    for o in &overlays {
        flat.apply(&o.item, &catalogue.layers[o.layer].name);
    }
    let version_path = format!(
        "{}: version[{}]",
        catalogue.file_of_version(&version.item.id),
        version.item.id
    );

    let definitions = match flat.definitions {
        Some(d) => Definitions {
            child_raised_age_below: d.child_raised_age_below,
            studying_age_below: d.studying_age_below,
            infant_age_months_below: d.infant_age_months_below,
        },
        None => {
            problems.push(Problem::new(
                codes::INVALID_RULE,
                format!("{version_path}.definitions"),
                "no `definitions` in this version or the versions it extends",
            ));
            Definitions {
                child_raised_age_below: 16,
                studying_age_below: 22,
                infant_age_months_below: 36,
            }
        }
    };

    let groups: Vec<GroupDoc> = flat.groups.iter().map(|g| (*g).clone()).collect();
    if groups.len() > 64 {
        problems.push(Problem::new(
            codes::TOO_MANY,
            &version_path,
            "at most 64 groups per version",
        ));
    }

    // Scales: every name used anywhere, so indices are stable for the month.
    let mut scale_names: BTreeSet<String> = catalogue
        .bases
        .iter()
        .map(|b| b.item.scale.clone())
        .collect();
    for section in &flat.sections {
        for (rule, _) in section {
            scale_names.insert(
                rule.scale
                    .clone()
                    .unwrap_or_else(|| "allowance".to_string()),
            );
        }
    }
    let scales: Vec<String> = scale_names.into_iter().collect();

    let mut names = Resolver {
        groups: &groups,
        allowance: Vec::new(),
        scales: &scales,
    };

    // Bases (tiers are compiled against the groups).
    let mut bases = Vec::with_capacity(scales.len());
    for scale in &scales {
        bases.push(resolve_base(
            catalogue, scale, month, province, &names, problems,
        ));
    }
    let mut scale_amounts = Vec::with_capacity(bases.len());
    for b in &bases {
        scale_amounts.push(b.as_ref().map(|b| match &b.provincial {
            Some((ProvincialMode::TopUp, p)) => {
                b.national.amount.checked_add(p.amount).unwrap_or_else(|| {
                    problems.push(Problem::new(
                        codes::AMOUNT_OVERFLOW,
                        format!("base[{}]", p.id),
                        format!(
                            "the top-up {} on the national base {} does not fit in 64 bits",
                            p.amount.as_i64(),
                            b.national.amount.as_i64()
                        ),
                    ));
                    b.national.amount
                })
            }
            Some((ProvincialMode::AtLeast, p)) => b.national.amount.max(p.amount),
            None => b.national.amount,
        }));
    }

    // Sections: allowance first, since later sections may refer to its rules.
    let mut sections: [Vec<CompiledRule>; Section::COUNT] = Default::default();
    for section in Section::ALL {
        let mut docs = flat.sections[section as usize].clone();
        docs.sort_by(|a, b| a.0.id.cmp(&b.0.id));
        let compiled: Vec<CompiledRule> = docs
            .iter()
            .filter_map(|(doc, path)| {
                compile_rule(doc, section, &names, &bases, &scales, path, problems)
            })
            .collect();
        if section == Section::Allowance {
            names.allowance = compiled
                .iter()
                .map(|r| {
                    let group = r.doc.group.clone().unwrap_or_default();
                    (group, r.doc.sub_case.clone())
                })
                .collect();
        }
        if compiled.len() > usize::from(u16::MAX) {
            problems.push(Problem::new(
                codes::TOO_MANY,
                &version_path,
                "too many rules",
            ));
        }
        sections[section as usize] = compiled;
    }

    let combination = match flat.combination {
        Some(c) => {
            compile_combination(c, &groups, &format!("{version_path}.combination"), problems)
        }
        None => {
            problems.push(Problem::new(
                codes::INVALID_RULE,
                format!("{version_path}.combination"),
                "no `combination` in this version or the versions it extends",
            ));
            Combination {
                highest_only: true,
                highest_only_basis: None,
                stacks: Vec::new(),
                facility_excludes: None,
                social_pension: None,
            }
        }
    };

    let funding = flat.funding.map(|f| {
        let funded = |source: &str, basis: &Basis| FundedBy {
            source: source.to_string(),
            citation: basis.citation.clone(),
            confidence: basis.confidence,
        };
        let mut by_section: [Option<FundedBy>; Section::COUNT] = Default::default();
        for (benefit, entry) in &f.benefit {
            let (source, basis) = match entry {
                FundingEntry::Source(source) => (source, &f.basis),
                FundingEntry::WithBasis { source, basis } => (source, basis),
            };
            match Section::parse(benefit) {
                Some(section) => by_section[section as usize] = Some(funded(source, basis)),
                None => problems.push(Problem::new(
                    codes::INVALID_RULE,
                    format!("{version_path}.funding.benefit.{benefit}"),
                    "not a benefit: allowance, caregiving, facility, social_pension, funeral, emergency or health_insurance",
                )),
            }
        }
        Funding {
            default: funded(&f.default, &f.basis),
            by_section,
        }
    });

    RuleSet {
        province: province.map(str::to_string),
        version: VersionInfo {
            id: version.item.id.clone(),
            decree: version.item.decree.clone(),
            title_vi: version.item.title_vi.clone(),
            title_en: version.item.title_en.clone(),
            confidence: version.item.confidence,
            overlays: overlays.iter().map(|o| o.item.id.clone()).collect(),
            remove_note: national_chain
                .iter()
                .rev()
                .find_map(|v| v.remove_note.clone()),
        },
        groups,
        sections,
        bases,
        scale_amounts,
        combination,
        definitions,
        funding,
    }
}

struct Resolver<'a> {
    groups: &'a [GroupDoc],
    /// (group, sub-case) of each compiled allowance rule, in rule order.
    allowance: Vec<(String, Option<String>)>,
    scales: &'a [String],
}

impl Names for Resolver<'_> {
    fn group_index(&self, code: &str) -> Option<u8> {
        self.groups
            .iter()
            .position(|g| g.code == code)
            .and_then(|i| u8::try_from(i).ok())
    }

    fn qualifying_rules(&self, target: &str) -> Vec<u16> {
        self.allowance
            .iter()
            .enumerate()
            .filter(|(_, (group, sub_case))| {
                group == target
                    || sub_case
                        .as_ref()
                        .is_some_and(|s| target.strip_prefix(group.as_str()) == Some(s.as_str()))
            })
            .filter_map(|(i, _)| u16::try_from(i).ok())
            .collect()
    }

    fn scale_index(&self, scale: &str) -> Option<u16> {
        self.scales
            .iter()
            .position(|s| s == scale)
            .and_then(|i| u16::try_from(i).ok())
    }
}

fn base_info(doc: &BaseDoc, amount: Money) -> BaseInfo {
    BaseInfo {
        id: doc.id.clone(),
        amount,
        signed: doc.signed,
        citation: doc.citation.clone(),
        confidence: doc.confidence,
        note: doc.note.clone(),
    }
}

fn latest<'a>(
    catalogue: &'a Catalogue,
    scale: &str,
    month: Month,
    province: Option<&str>,
) -> Option<&'a Placed<BaseDoc>> {
    catalogue
        .bases
        .iter()
        .filter(|b| {
            b.item.scale == scale && b.item.province.as_deref() == province && b.item.from <= month
        })
        .max_by_key(|b| (b.item.from, b.seq))
}

fn resolve_base(
    catalogue: &Catalogue,
    scale: &str,
    month: Month,
    province: Option<&str>,
    names: &Resolver<'_>,
    problems: &mut Vec<Problem>,
) -> Option<ResolvedBase> {
    let national = latest(catalogue, scale, month, None)?;
    let path = format!(
        "{}: base[{}]",
        catalogue.layers[national.layer].name, national.item.id
    );
    let amount = national.item.amount.unwrap_or(Money::ZERO);
    let mut tiers = Vec::new();
    for (i, tier) in national.item.tier.iter().enumerate() {
        let tier_path = format!("{path}.tier[{i}]");
        let cond = condition::compile(&tier.when, Place::Tier, names, &tier_path, problems);
        let mut sections = 0u8;
        for name in &tier.sections {
            match Section::parse(name) {
                Some(s) => sections |= s.bit(),
                None => problems.push(Problem::new(
                    codes::UNKNOWN_NAME,
                    &tier_path,
                    format!("{name:?} is not a section"),
                )),
            }
        }
        tiers.push(Tier {
            cond,
            sections,
            info: BaseInfo {
                id: format!("{}#{i}", national.item.id),
                amount: tier.amount,
                signed: national.item.signed,
                citation: tier.citation.clone(),
                confidence: tier.confidence,
                note: tier.note.clone(),
            },
        });
    }
    let provincial = province
        .and_then(|p| latest(catalogue, scale, month, Some(p)))
        .map(|b| match (b.item.top_up, b.item.amount) {
            (Some(top_up), _) => (ProvincialMode::TopUp, base_info(&b.item, top_up)),
            (None, amount) => (
                ProvincialMode::AtLeast,
                base_info(&b.item, amount.unwrap_or(Money::ZERO)),
            ),
        });
    Some(ResolvedBase {
        national: base_info(&national.item, amount),
        tiers,
        provincial,
    })
}

#[allow(clippy::too_many_arguments)]
fn compile_rule(
    doc: &RuleDoc,
    section: Section,
    names: &Resolver<'_>,
    bases: &[Option<ResolvedBase>],
    scales: &[String],
    path: &str,
    problems: &mut Vec<Problem>,
) -> Option<CompiledRule> {
    let before = problems.len();
    let invalid = |message: String, problems: &mut Vec<Problem>| {
        problems.push(Problem::new(codes::INVALID_RULE, path, message));
    };

    let place = match section {
        Section::Allowance | Section::Facility | Section::SocialPension => Place::Facts,
        _ => Place::Outcome,
    };
    let cond = match &doc.when {
        Some(when) => condition::compile(when, place, names, &format!("{path}.when"), problems),
        None => Cond::True,
    };

    let group = match (&doc.group, section) {
        (Some(code), _) => match names.group_index(code) {
            Some(g) => Some(g),
            None => {
                problems.push(Problem::new(
                    codes::UNKNOWN_GROUP,
                    path,
                    format!("group {code:?} is not defined in this version"),
                ));
                None
            }
        },
        (None, Section::Allowance) => {
            invalid("an allowance rule needs a `group`".into(), problems);
            None
        }
        (None, _) => None,
    };

    let priced = [
        doc.coefficient.is_some(),
        doc.amount.is_some(),
        doc.quantity_kg.is_some(),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    match section {
        Section::HealthInsurance if priced > 0 => {
            invalid("a health-insurance rule has no amount".into(), problems)
        }
        Section::HealthInsurance => {}
        _ if priced != 1 => invalid(
            "give exactly one of `coefficient`, `amount` or `quantity_kg`".into(),
            problems,
        ),
        _ => {}
    }
    if doc.quantity_kg.is_some() && section != Section::Emergency {
        invalid("`quantity_kg` is for emergency rules".into(), problems);
    }
    if doc.coefficient.is_some_and(|c| c < 0)
        || doc.amount.is_some_and(|a| a.as_i64() < 0)
        || doc.quantity_kg.is_some_and(|q| q < 0)
    {
        invalid(
            "amounts and coefficients cannot be negative".into(),
            problems,
        );
    }

    let scale_name = doc.scale.as_deref().unwrap_or("allowance");
    let scale = match scales.iter().position(|s| s == scale_name) {
        Some(i) => u16::try_from(i).unwrap_or(u16::MAX),
        None => {
            invalid(format!("{scale_name:?} is not a base scale"), problems);
            u16::MAX
        }
    };
    if doc.coefficient.is_some() && bases.get(usize::from(scale)).is_none_or(Option::is_none) {
        problems.push(Problem::new(
            codes::NO_BASE_LEVEL,
            path,
            format!("no {scale_name:?} base level is in force for this rule"),
        ));
    }

    let kind = match doc.kind.as_deref().unwrap_or("fixed") {
        "fixed" => AmountKind::Fixed,
        "floor" => AmountKind::Floor,
        "cap" => AmountKind::Cap,
        other => {
            invalid(
                format!("kind {other:?} is not fixed, floor or cap"),
                problems,
            );
            AmountKind::Fixed
        }
    };
    let start = match doc.start.as_deref().unwrap_or("decision") {
        "decision" => Start::Decision,
        "birthday" => Start::Birthday,
        "certificate" => Start::Certificate,
        other => {
            invalid(
                format!("start {other:?} is not decision, birthday or certificate"),
                problems,
            );
            Start::Decision
        }
    };
    let per = match doc.per.as_deref().unwrap_or("person") {
        "person" => Per::Person,
        "child_raised" => Per::ChildRaised,
        "household_member" => Per::HouseholdMember,
        other => {
            invalid(
                format!("per {other:?} is not person, child_raised or household_member"),
                problems,
            );
            Per::Person
        }
    };
    let default_payee = match section {
        Section::Facility => "facility",
        Section::Funeral => "organiser",
        Section::Emergency => "household",
        _ => "self",
    };
    let payee = match PayeeKind::parse(doc.payee.as_deref().unwrap_or(default_payee)) {
        Some(p) => p,
        None => {
            invalid(
                format!(
                    "payee {:?} is not known",
                    doc.payee.as_deref().unwrap_or("")
                ),
                problems,
            );
            PayeeKind::SelfPerson
        }
    };
    let trigger = match (&doc.trigger, section) {
        (Some(t), Section::Emergency) => match EmergencyKind::parse(t) {
            Some(k) => Some(k),
            None => {
                problems.push(Problem::new(
                    codes::UNKNOWN_NAME,
                    path,
                    format!("{t:?} is not a kind of emergency"),
                ));
                None
            }
        },
        (None, Section::Emergency) => {
            invalid("an emergency rule needs a `trigger`".into(), problems);
            None
        }
        (Some(_), _) => {
            invalid("`trigger` is for emergency rules".into(), problems);
            None
        }
        (None, _) => None,
    };
    let sub_case_from_k1 = match doc.sub_case_fact.as_deref() {
        None => false,
        Some("k1_case") => true,
        Some(other) => {
            invalid(format!("sub_case_fact {other:?} is not k1_case"), problems);
            false
        }
    };
    if problems.len() > before {
        return None;
    }
    Some(CompiledRule {
        doc: doc.clone(),
        group,
        cond,
        coefficient: doc.coefficient,
        amount: doc.amount,
        quantity_kg: doc.quantity_kg,
        max_months: doc.max_months,
        per,
        scale,
        kind,
        start,
        payee,
        trigger,
        min_treatment_days: doc.min_treatment_days.unwrap_or(0),
        sub_case_from_k1,
    })
}

fn compile_combination(
    doc: &crate::catalogue::doc::CombinationDoc,
    groups: &[GroupDoc],
    path: &str,
    problems: &mut Vec<Problem>,
) -> Combination {
    let group_index = |code: &str, problems: &mut Vec<Problem>| -> Option<u8> {
        let found = groups
            .iter()
            .position(|g| g.code == code)
            .and_then(|i| u8::try_from(i).ok());
        if found.is_none() {
            problems.push(Problem::new(
                codes::UNKNOWN_GROUP,
                path,
                format!("group {code:?} is not defined in this version"),
            ));
        }
        found
    };
    let highest_only = match doc.allowance.as_str() {
        "highest_only" => true,
        "sum" => false,
        other => {
            problems.push(Problem::new(
                codes::INVALID_RULE,
                path,
                format!("allowance {other:?} is not highest_only or sum"),
            ));
            true
        }
    };
    let mut stacks = Vec::new();
    for stack in &doc.stack {
        let group = group_index(&stack.group, problems);
        let mut with = 0u64;
        for code in &stack.with {
            if let Some(g) = group_index(code, problems)
                && g < 64
            {
                with |= 1 << g;
            }
        }
        if let Some(group) = group {
            stacks.push(Stack {
                group,
                with,
                doc: stack.clone(),
            });
        }
    }
    let social_pension = doc.social_pension_vs_allowance.as_ref().and_then(|c| {
        let mode = match c.mode.as_str() {
            "higher_of" => PensionMode::HigherOf,
            "both" => PensionMode::Both,
            other => {
                problems.push(Problem::new(
                    codes::INVALID_RULE,
                    path,
                    format!("social_pension_vs_allowance mode {other:?} is not higher_of or both"),
                ));
                return None;
            }
        };
        Some((
            mode,
            Basis {
                citation: c.citation.clone(),
                confidence: c.confidence,
                note: c.note.clone(),
            },
        ))
    });
    Combination {
        highest_only,
        highest_only_basis: Some(doc.highest_only.clone()),
        stacks,
        facility_excludes: doc.facility_excludes_allowance.clone(),
        social_pension,
    }
}
