//! Reports: an [`Evaluation`] with every amount explained — policy version, group and
//! sub-case, coefficient, base, citation, confidence and a plain sentence in Vietnamese or
//! English. Rendering allocates; evaluation does not, so text is made only when asked for.

use crate::citation::{Citation, Confidence};
use crate::compile::{AmountKind, BaseInfo, CompiledRule, MonthRules, PayeeKind, RuleSet};
use crate::engine::{Evaluation, Line, Section, Status};
use crate::facts::Situation;
use ansinh_domain::money::group_thousands;
use ansinh_domain::{Money, Month};
use serde::{Deserialize, Serialize};

/// Language of sentences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn parse(text: &str) -> Option<Lang> {
        match text {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// The result of an evaluation, as the JSON output shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub month: Month,
    pub language: Lang,
    pub policy_version: VersionReport,
    /// Province whose rules applied (after moves), if any was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    pub status: StatusReport,
    /// The monthly social allowance paid (absent when none is due).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly_allowance: Option<AllowanceReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facility_allowance: Option<Explanation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub social_pension: Option<SocialPensionReport>,
    pub caregiving: Vec<Explanation>,
    pub one_offs: Vec<Explanation>,
    pub health_insurance: HealthInsuranceReport,
    /// Every allowance rule the person qualifies for this month, before highest-only.
    pub qualifying: Vec<Explanation>,
    /// Rules met by the facts whose start month has not come.
    pub pending: Vec<PendingReport>,
    /// Sum of monthly amounts paid (allowance or its replacement, caregiving).
    pub monthly_total: Money,
    pub one_off_total: Money,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionReport {
    pub id: String,
    pub decree: String,
    pub title: String,
    pub confidence: Confidence,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub overlays: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusReport {
    /// `active`, `stopped_after_death` or `stopped_after_loss_of_eligibility`.
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<Month>,
    pub sentence: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AllowanceReport {
    /// What is paid: zero when replaced (`replaced_by`).
    pub total: Money,
    pub lines: Vec<Explanation>,
    /// The combination rule that chose the lines.
    pub combination: BasisReport,
    /// `facility` or `social_pension` when the allowance is not paid because of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<Section>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaced_basis: Option<BasisReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SocialPensionReport {
    pub paid: bool,
    #[serde(flatten)]
    pub explanation: Explanation,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BasisReport {
    pub rule: String,
    pub citation: Citation,
    pub citation_text: String,
    pub confidence: Confidence,
    pub sentence: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HealthInsuranceReport {
    pub covered: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<Citation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    pub sentence: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingReport {
    pub kind: Section,
    pub rule_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    pub starts: Month,
    pub sentence: String,
}

/// Who is paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payee {
    pub kind: PayeeKind,
    /// The id given in the situation (person, carer, household or facility), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// One amount and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    pub kind: Section,
    pub rule_id: String,
    pub policy_version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    /// Legal point: `a`–`l` for k1 (from the facts), `a`–`d` for k5.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_case: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub band: Option<String>,
    pub label: String,
    /// Coefficient as written in the decree (`2.5`), and in hundredths (`250`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coefficient: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coefficient_hundredths: Option<i64>,
    /// Children raised (k4 per child) or household members (rice).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multiplier: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_citation: Option<Citation>,
    pub amount: Money,
    pub amount_kind: AmountKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity_kg: Option<i64>,
    pub payee: Payee,
    pub citation: Citation,
    pub citation_text: String,
    /// The lower of the rule's and the base's confidence.
    pub confidence: Confidence,
    pub rule_confidence: Confidence,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_confidence: Option<Confidence>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub sentence: String,
}

impl Report {
    /// Explains an evaluation of `situation` made with `rules`.
    pub fn build(rules: &MonthRules, situation: &Situation, e: &Evaluation, lang: Lang) -> Report {
        let rs = rules.rule_set(e.rule_set);
        let explain = |line: &Line| explain(rs, situation, line, lang);
        let basis = |id: &str, b: &crate::catalogue::doc::Basis, vi: &str, en: &str| BasisReport {
            rule: id.to_string(),
            citation: b.citation.clone(),
            citation_text: cite(&b.citation, lang),
            confidence: b.confidence,
            sentence: pick(lang, vi, en),
        };

        let monthly_allowance = (!e.allowance.is_empty()).then(|| {
            let combination = match e.stack.and_then(|i| rs.combination.stacks.get(usize::from(i))) {
                Some(stack) => basis(
                    &stack.doc.id,
                    &crate::catalogue::doc::Basis {
                        citation: stack.doc.citation.clone(),
                        confidence: stack.doc.confidence,
                        note: stack.doc.note.clone(),
                    },
                    "Được hưởng cả hai mức (ngoại lệ của nguyên tắc chỉ hưởng một mức cao nhất).",
                    "Both allowances are paid (an exception to the highest-only rule).",
                ),
                None => match &rs.combination.highest_only_basis {
                    Some(b) => basis(
                        "highest_only",
                        b,
                        "Chỉ hưởng một mức cao nhất.",
                        "Only the single highest level is paid.",
                    ),
                    None => BasisReport {
                        rule: "highest_only".into(),
                        citation: Citation::default(),
                        citation_text: String::new(),
                        confidence: Confidence::Unverified,
                        sentence: String::new(),
                    },
                },
            };
            let replaced_basis = match e.allowance_excluded_by {
                Some(Section::Facility) => rs.combination.facility_excludes.as_ref().map(|b| {
                    basis(
                        "facility_excludes_allowance",
                        b,
                        "Người hưởng trợ cấp nuôi dưỡng tại cơ sở không hưởng trợ cấp xã hội hằng tháng.",
                        "A person on the facility living allowance does not also receive the monthly allowance.",
                    )
                }),
                Some(Section::SocialPension) => rs.combination.social_pension.as_ref().map(|(_, b)| {
                    basis(
                        "social_pension_vs_allowance",
                        b,
                        "Trợ cấp hưu trí xã hội cao hơn nên được hưởng thay cho trợ cấp xã hội hằng tháng.",
                        "The social pension is higher and is paid instead of the monthly allowance.",
                    )
                }),
                _ => None,
            };
            AllowanceReport {
                total: e.allowance_total(),
                lines: e.allowance.iter().map(explain).collect(),
                combination,
                replaced_by: e.allowance_excluded_by,
                replaced_basis,
            }
        });

        let health_insurance = match e
            .health_insurance
            .and_then(|i| rs.rules(Section::HealthInsurance).get(usize::from(i)))
        {
            Some(rule) => HealthInsuranceReport {
                covered: true,
                rule_id: Some(rule.doc.id.clone()),
                citation: Some(rule.doc.citation.clone()),
                confidence: Some(rule.doc.confidence),
                sentence: match lang {
                    Lang::Vi => format!(
                        "Được cấp {} (một thẻ, theo {}).",
                        rule.doc.label_vi,
                        rule.doc.citation.render_vi()
                    ),
                    Lang::En => format!(
                        "Entitled to a {} (one card only; {}).",
                        rule.doc.label_en,
                        rule.doc.citation.render_en()
                    ),
                },
            },
            None => HealthInsuranceReport {
                covered: false,
                rule_id: None,
                citation: None,
                confidence: None,
                sentence: pick(
                    lang,
                    "Không thuộc diện được cấp thẻ BHYT theo chính sách trợ giúp xã hội trong tháng này.",
                    "No health-insurance card under social-assistance policy this month.",
                ),
            },
        };

        let pending = e
            .pending
            .iter()
            .filter_map(|p| {
                let rule = rs.rules(p.section).get(usize::from(p.rule))?;
                Some(PendingReport {
                    kind: p.section,
                    rule_id: rule.doc.id.clone(),
                    group: rule.doc.group.clone(),
                    starts: p.starts,
                    sentence: match lang {
                        Lang::Vi => format!(
                            "Đủ điều kiện {} nhưng chỉ được hưởng từ tháng {}.",
                            rule.doc.label_vi,
                            p.starts.display_vi()
                        ),
                        Lang::En => format!(
                            "Meets the conditions ({}) but is paid only from {}.",
                            rule.doc.label_en, p.starts
                        ),
                    },
                })
            })
            .collect();

        let one_offs: Vec<Explanation> = e.one_offs.iter().map(explain).collect();
        Report {
            month: e.month,
            language: lang,
            policy_version: VersionReport {
                id: rs.version.id.clone(),
                decree: rs.version.decree.clone(),
                title: pick(lang, &rs.version.title_vi, &rs.version.title_en),
                confidence: rs.version.confidence,
                overlays: rs.version.overlays.clone(),
                note: rs.version.remove_note.clone(),
            },
            province: situation.province_in(e.month).map(str::to_string),
            status: status_report(e.status, lang),
            monthly_allowance,
            facility_allowance: e.facility.as_ref().map(explain),
            social_pension: e.social_pension.as_ref().map(|l| SocialPensionReport {
                paid: !e.social_pension_excluded,
                explanation: explain(l),
            }),
            caregiving: e.caregiving.iter().map(explain).collect(),
            one_off_total: e.one_offs.iter().map(|l| l.amount).sum(),
            one_offs,
            health_insurance,
            qualifying: e.qualifying.iter().map(explain).collect(),
            pending,
            monthly_total: e.monthly_total(),
        }
    }
}

fn pick(lang: Lang, vi: &str, en: &str) -> String {
    match lang {
        Lang::Vi => vi.to_string(),
        Lang::En => en.to_string(),
    }
}

fn cite(c: &Citation, lang: Lang) -> String {
    match lang {
        Lang::Vi => c.render_vi(),
        Lang::En => c.render_en(),
    }
}

fn status_report(status: Status, lang: Lang) -> StatusReport {
    match status {
        Status::Active => StatusReport {
            code: "active".into(),
            since: None,
            sentence: pick(
                lang,
                "Đang trong thời gian hưởng.",
                "Benefits run this month.",
            ),
        },
        Status::StoppedAfterDeath { death_month } => StatusReport {
            code: "stopped_after_death".into(),
            since: Some(death_month.next()),
            sentence: match lang {
                Lang::Vi => format!(
                    "Đã chết trong tháng {}: thôi hưởng từ tháng {}.",
                    death_month.display_vi(),
                    death_month.next().display_vi()
                ),
                Lang::En => format!(
                    "Died in {death_month}: benefits stop from {}.",
                    death_month.next()
                ),
            },
        },
        Status::StoppedAfterLossOfEligibility { month } => StatusReport {
            code: "stopped_after_loss_of_eligibility".into(),
            since: Some(month.next()),
            sentence: match lang {
                Lang::Vi => format!(
                    "Không còn đủ điều kiện từ tháng {}: thôi hưởng từ tháng {}.",
                    month.display_vi(),
                    month.next().display_vi()
                ),
                Lang::En => format!(
                    "Eligibility lost in {month}: benefits stop from {}.",
                    month.next()
                ),
            },
        },
    }
}

/// `250` → `2.5` (en) or `2,5` (vi); at least one decimal, as decrees write coefficients.
pub fn coefficient_text(hundredths: i64, lang: Lang) -> String {
    let whole = hundredths / 100;
    let frac = (hundredths % 100).abs();
    let sep = if lang == Lang::Vi { ',' } else { '.' };
    if frac % 10 == 0 {
        format!("{whole}{sep}{}", frac / 10)
    } else {
        format!("{whole}{sep}{frac:02}")
    }
}

/// `1.250.000 đ` or `1,250,000 VND`.
pub fn money_text(m: Money, lang: Lang) -> String {
    match lang {
        Lang::Vi => m.display_vi(),
        Lang::En => format!("{} VND", group_thousands(m.as_i64()).replace('.', ",")),
    }
}

fn payee_of(s: &Situation, kind: PayeeKind) -> Payee {
    let id = match kind {
        PayeeKind::SelfPerson => s.person.id.clone(),
        PayeeKind::FosterCarer => s.care.as_ref().and_then(|c| c.carer_id.clone()),
        PayeeKind::Household => s.household.id.clone(),
        PayeeKind::Facility => s.facility.as_ref().and_then(|f| f.facility_id.clone()),
        PayeeKind::Organiser | PayeeKind::Agency => None,
    };
    Payee { kind, id }
}

fn base_used<'a>(
    rs: &'a RuleSet,
    rule: &CompiledRule,
    line: &Line,
) -> Option<(&'a BaseInfo, Option<&'a BaseInfo>)> {
    let base = rs.bases.get(usize::from(rule.scale))?.as_ref()?;
    let main = match line.base_tier {
        Some(t) => &base.tiers.get(usize::from(t))?.info,
        None => &base.national,
    };
    let provincial = base
        .provincial
        .as_ref()
        .filter(|_| line.base_provincial)
        .map(|(_, p)| p);
    Some((main, provincial))
}

/// Explains one line.
pub(crate) fn explain(rs: &RuleSet, s: &Situation, line: &Line, lang: Lang) -> Explanation {
    let Some(rule) = rs.rules(line.section).get(usize::from(line.rule)) else {
        return missing_rule(line, lang);
    };
    let doc = &rule.doc;
    let group = rule.group.and_then(|g| rs.groups.get(usize::from(g)));
    let sub_case = if rule.sub_case_from_k1 {
        s.person.k1_case.map(|c| c.as_str().to_string())
    } else {
        doc.sub_case.clone()
    };
    let bases = line.coefficient.and_then(|_| base_used(rs, rule, line));
    let base_confidence =
        bases.map(|(b, p)| p.map_or(b.confidence, |p| p.confidence.min(b.confidence)));
    let confidence = base_confidence.map_or(doc.confidence, |b| b.min(doc.confidence));
    let label = pick(lang, &doc.label_vi, &doc.label_en);
    let payee = payee_of(s, line.payee);
    let sentence = sentence(
        rs,
        rule,
        line,
        lang,
        group.map(|g| g.code.as_str()),
        sub_case.as_deref(),
        bases,
        confidence,
    );
    Explanation {
        kind: line.section,
        rule_id: doc.id.clone(),
        policy_version: rs.version.id.clone(),
        group: group.map(|g| g.code.clone()),
        group_name: group.map(|g| pick(lang, &g.name_vi, &g.name_en)),
        sub_case,
        band: doc.band.clone(),
        label,
        coefficient: line.coefficient.map(|c| coefficient_text(c, lang)),
        coefficient_hundredths: line.coefficient,
        multiplier: (line.multiplier != 1).then_some(line.multiplier),
        base: line.coefficient.map(|_| line.base),
        base_id: bases.map(|(b, p)| match p {
            Some(p) => format!("{}+{}", b.id, p.id),
            None => b.id.clone(),
        }),
        base_citation: bases.map(|(b, p)| p.unwrap_or(b).citation.clone()),
        amount: line.amount,
        amount_kind: rule.kind,
        quantity_kg: line.quantity_kg,
        payee,
        citation: doc.citation.clone(),
        citation_text: cite(&doc.citation, lang),
        confidence,
        rule_confidence: doc.confidence,
        base_confidence,
        sources: doc.sources.clone(),
        note: doc.note.clone(),
        sentence,
    }
}

fn missing_rule(line: &Line, lang: Lang) -> Explanation {
    Explanation {
        kind: line.section,
        rule_id: String::new(),
        policy_version: String::new(),
        group: None,
        group_name: None,
        sub_case: None,
        band: None,
        label: String::new(),
        coefficient: None,
        coefficient_hundredths: None,
        multiplier: None,
        base: None,
        base_id: None,
        base_citation: None,
        amount: line.amount,
        amount_kind: AmountKind::Fixed,
        quantity_kg: line.quantity_kg,
        payee: Payee {
            kind: line.payee,
            id: None,
        },
        citation: Citation::default(),
        citation_text: String::new(),
        confidence: Confidence::Unverified,
        rule_confidence: Confidence::Unverified,
        base_confidence: None,
        sources: Vec::new(),
        note: None,
        sentence: pick(
            lang,
            "(quy tắc không còn trong danh mục)",
            "(rule no longer in the catalogue)",
        ),
    }
}

fn kind_word(section: Section, lang: Lang) -> &'static str {
    match (section, lang) {
        (Section::Allowance, Lang::Vi) => "Trợ cấp xã hội hằng tháng",
        (Section::Allowance, Lang::En) => "Monthly social allowance",
        (Section::Caregiving, Lang::Vi) => "Hỗ trợ kinh phí chăm sóc, nuôi dưỡng hằng tháng",
        (Section::Caregiving, Lang::En) => "Monthly caregiving support",
        (Section::Facility, Lang::Vi) => "Trợ cấp nuôi dưỡng tại cơ sở",
        (Section::Facility, Lang::En) => "Facility living allowance",
        (Section::SocialPension, Lang::Vi) => "Trợ cấp hưu trí xã hội",
        (Section::SocialPension, Lang::En) => "Social pension",
        (Section::Funeral, Lang::Vi) => "Hỗ trợ chi phí mai táng",
        (Section::Funeral, Lang::En) => "Funeral support",
        (Section::Emergency, Lang::Vi) => "Trợ giúp khẩn cấp",
        (Section::Emergency, Lang::En) => "Emergency assistance",
        (Section::HealthInsurance, Lang::Vi) => "Bảo hiểm y tế",
        (Section::HealthInsurance, Lang::En) => "Health insurance",
    }
}

fn payee_words(kind: PayeeKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (PayeeKind::SelfPerson, Lang::Vi) => "chi trả cho đối tượng",
        (PayeeKind::SelfPerson, Lang::En) => "paid to the person",
        (PayeeKind::FosterCarer, Lang::Vi) => "chi trả cho người nhận chăm sóc, nuôi dưỡng",
        (PayeeKind::FosterCarer, Lang::En) => "paid to the foster carer",
        (PayeeKind::Household, Lang::Vi) => "chi trả cho hộ gia đình",
        (PayeeKind::Household, Lang::En) => "paid to the household",
        (PayeeKind::Facility, Lang::Vi) => "chi trả cho cơ sở trợ giúp xã hội",
        (PayeeKind::Facility, Lang::En) => "paid to the facility",
        (PayeeKind::Organiser, Lang::Vi) => "chi trả cho người tổ chức mai táng",
        (PayeeKind::Organiser, Lang::En) => "paid to whoever organises the funeral",
        (PayeeKind::Agency, Lang::Vi) => "chi trả cho cơ quan, tổ chức thực hiện mai táng",
        (PayeeKind::Agency, Lang::En) => "paid to the agency that carried out the burial",
    }
}

#[allow(clippy::too_many_arguments)]
fn sentence(
    rs: &RuleSet,
    rule: &CompiledRule,
    line: &Line,
    lang: Lang,
    group: Option<&str>,
    sub_case: Option<&str>,
    bases: Option<(&BaseInfo, Option<&BaseInfo>)>,
    confidence: Confidence,
) -> String {
    let doc = &rule.doc;
    let vi = lang == Lang::Vi;
    let mut out = String::from(kind_word(line.section, lang));
    if let Some(g) = group {
        out.push_str(if vi { ", nhóm " } else { ", group " });
        out.push_str(g);
        if let Some(sc) = sub_case {
            out.push_str(if vi { " điểm " } else { " point " });
            out.push_str(sc);
        }
    }
    out.push_str(" (");
    out.push_str(if vi { &doc.label_vi } else { &doc.label_en });
    out.push_str("): ");
    let money = |m: Money| money_text(m, lang);
    match (line.coefficient, line.quantity_kg) {
        (Some(c), _) => {
            out.push_str(if vi { "hệ số " } else { "coefficient " });
            out.push_str(&coefficient_text(c, lang));
            if line.multiplier != 1 {
                out.push_str(&match (line.section, vi) {
                    (Section::Allowance, true) => format!(" × {} con", line.multiplier),
                    (Section::Allowance, false) => format!(" × {} children", line.multiplier),
                    (_, true) => format!(" × {} người", line.multiplier),
                    (_, false) => format!(" × {} people", line.multiplier),
                });
            }
            out.push_str(if vi {
                " × mức chuẩn "
            } else {
                " × base "
            });
            out.push_str(&money(line.base));
            out.push_str(" = ");
            out.push_str(&money(line.amount));
        }
        (None, Some(kg)) => {
            let per = doc.quantity_kg.unwrap_or(0);
            out.push_str(&if vi {
                format!(
                    "{per} kg gạo × {} người × {} tháng = {kg} kg gạo",
                    line.multiplier, line.months
                )
            } else {
                format!(
                    "{per} kg of rice × {} people × {} months = {kg} kg of rice",
                    line.multiplier, line.months
                )
            });
        }
        (None, None) => {
            out.push_str(if vi { "mức " } else { "amount " });
            out.push_str(&money(line.amount));
        }
    }
    match rule.kind {
        AmountKind::Floor => out.push_str(if vi {
            " (mức tối thiểu)"
        } else {
            " (a minimum)"
        }),
        AmountKind::Cap => out.push_str(if vi {
            " (mức tối đa)"
        } else {
            " (a maximum)"
        }),
        AmountKind::Fixed => {}
    }
    out.push_str(", ");
    out.push_str(payee_words(line.payee, lang));
    out.push_str(if vi { "; theo " } else { "; under " });
    out.push_str(&cite(&doc.citation, lang));
    if let Some((base, provincial)) = bases {
        out.push_str(if vi {
            "; mức chuẩn theo "
        } else {
            "; base under "
        });
        out.push_str(&cite(&base.citation, lang));
        if let Some(p) = provincial {
            out.push_str(if vi { " và " } else { " and " });
            out.push_str(&cite(&p.citation, lang));
        }
    }
    out.push_str(" (");
    out.push_str(if vi {
        &rs.version.title_vi
    } else {
        &rs.version.title_en
    });
    out.push_str(if vi {
        "). Độ tin cậy: "
    } else {
        "). Confidence: "
    });
    out.push_str(if vi {
        confidence.label_vi()
    } else {
        confidence.label_en()
    });
    out.push('.');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coefficients_read_as_in_decrees() {
        assert_eq!(coefficient_text(250, Lang::En), "2.5");
        assert_eq!(coefficient_text(200, Lang::Vi), "2,0");
        assert_eq!(coefficient_text(125, Lang::En), "1.25");
        assert_eq!(coefficient_text(2000, Lang::En), "20.0");
    }

    #[test]
    fn money_in_both_languages() {
        assert_eq!(money_text(Money(1_250_000), Lang::Vi), "1.250.000 đ");
        assert_eq!(money_text(Money(1_250_000), Lang::En), "1,250,000 VND");
    }
}
