//! `ansinh gen --beneficiaries N`: a national synthetic caseload across the 34 provinces and
//! 3,321 communes of 2025 — people drawn by `ansinh-synth`'s beneficiary profile (groups,
//! ages, disability, poverty, channels in national proportions), each with the entitlement a
//! decision would have given them, as if taken over from the previous system and paid by
//! ansinh from a given month.

use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;

use ansinh_domain::ids::{PersonId, UnitId};
use ansinh_domain::person::DisabilityLevel;
use ansinh_domain::unit::UnitLevel;
use ansinh_domain::{BirthDate, Money, Month};
use ansinh_policy::Situation;
use ansinh_policy::facts::{Care, CareArrangement, Child, Flag, K1Case, MaritalStatus};
use ansinh_store::audit::AuditEntry;
use ansinh_store::benefits::EntitlementWrite;
use ansinh_store::bulk::{BulkHousehold, load_entitlements, load_households};
use ansinh_store::units;
use ansinh_synth::{BeneficiaryGroup, CommuneRef, NationalConfig, Profile, SynthPerson, people};

use crate::App;
use crate::error::{AppError, AppResult};

/// People (and entitlements) loaded per transaction.
const CHUNK: usize = 50_000;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GenReport {
    pub people: u64,
    pub entitlements: u64,
    pub communes: usize,
}

/// The facts the generator drew, as the policy engine reads them: decided in January 2024
/// (or at birth), groups as drawn; k5b and k5c moved to the social pension from July 2025
/// (NĐ 176/2025).
pub fn situation_of(p: &SynthPerson) -> Situation {
    let f = &p.facts;
    let mut s = Situation::of_person(p.birth);
    s.person.sex = Some(p.sex);
    s.person.disability = f.disability;
    s.person.certificate_month = f.disability_cert_date.map(Month::of);
    s.household.poverty = f.poverty;
    for (yes, flag) in [
        (f.hiv, Flag::Hiv),
        (f.has_pension, Flag::HasPension),
        (f.studying, Flag::Studying),
        (f.has_supporter, Flag::HasSupporter),
        (f.community_care, Flag::CommunityCare),
    ] {
        if yes {
            s.person.flags.insert(flag);
        }
    }
    if f.has_pension {
        s.person.pension_amount = Some(Money(3_000_000));
    }
    if f.disadvantaged_area {
        s.household
            .flags
            .insert(Flag::EthnicMinorityExtremelyDifficultArea);
    }
    s.person.k1_case = f.orphan_case.and_then(|c| K1Case::parse(c.point()));
    if f.single_parent_children > 0 {
        s.person.marital_status = Some(MaritalStatus::Widowed);
        let first = (p.birth.year() + 20).max(2010);
        for i in 0..f.single_parent_children {
            s.children.push(Child {
                birth_date: BirthDate::Year(first + i32::from(i)),
                studying: false,
                death_date: None,
            });
        }
    }
    let decided = Month::new(2024, 1)
        .unwrap_or(Month::of(p.birth.assumed_date()))
        .max(Month::of(p.birth.assumed_date()));
    s.decisions.allowance = Some(decided);
    if s.person.certificate_month.is_none()
        && matches!(
            f.disability,
            DisabilityLevel::Severe | DisabilityLevel::EspeciallySevere
        )
    {
        s.person.certificate_month = Some(decided);
    }
    match f.group {
        Some(BeneficiaryGroup::StudyingYouth) => {
            s.person.flags.insert(Flag::ReceivedK1);
        }
        Some(BeneficiaryGroup::Elderly80 | BeneficiaryGroup::ElderlyMinorityArea) => {
            s.person.flags.insert(Flag::SocialPensionRequested);
            s.decisions.social_pension = Month::new(2025, 7).ok();
        }
        Some(BeneficiaryGroup::ElderlyCommunityCare) => {
            s.care = Some(Care {
                arrangement: CareArrangement::Foster,
                carer_id: None,
            });
            s.decisions.caregiving = Some(decided);
        }
        _ => {}
    }
    if let Some(g) = f.group {
        s.groups = vec![g.code().chars().take(2).collect()];
    }
    s
}

impl App {
    /// Generates `n` beneficiaries over the national communes (adding the 2025 units if
    /// missing), each a one-person household with one entitlement paid from `first_month`.
    /// `progress(done, n)` after each chunk.
    pub async fn generate_beneficiaries(
        &self,
        n: u64,
        seed: u64,
        first_month: Month,
        today: NaiveDate,
        now: DateTime<Utc>,
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> AppResult<GenReport> {
        let txn = self.db.begin().await?;
        units::seed_national_units(&txn).await?;
        txn.commit().await?;
        self.reload_units().await?;
        let graph = self.graph();
        let reform = NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or(today);
        let province_of = |id: UnitId| -> String {
            let root = graph.ancestors(id).last().copied().unwrap_or(id);
            graph.get(root).map(|u| u.code.clone()).unwrap_or_default()
        };
        let communes: Vec<CommuneRef> = graph
            .all()
            .filter(|u| {
                u.level == UnitLevel::Commune && u.valid_at(today) && u.valid_from >= reform
            })
            .filter_map(|u| CommuneRef::from_version(u, &province_of(u.id)))
            .collect();
        if communes.is_empty() {
            return Err(AppError::Internal("no national communes".into()));
        }
        let codes: HashMap<UnitId, (String, String)> = communes
            .iter()
            .map(|c| (c.unit_id, (c.code.clone(), c.province_code.clone())))
            .collect();
        let config = NationalConfig {
            seed,
            today,
            profile: Profile::Beneficiaries,
        };
        let mut stream =
            people(&config, &communes, n).map_err(|e| AppError::Internal(e.to_string()))?;
        let mut report = GenReport {
            communes: communes.len(),
            ..GenReport::default()
        };
        let entry = |action: &str, entity: &str, chain: &str| AuditEntry {
            chain: chain.into(),
            at: now,
            actor_id: None,
            actor: "system".into(),
            source: "cli".into(),
            action: action.into(),
            entity: entity.into(),
            entity_id: String::new(),
            before: None,
            after: None,
        };
        progress(0, n);
        loop {
            let mut chunk: Vec<SynthPerson> = stream.by_ref().take(CHUNK).collect();
            if chunk.is_empty() {
                break;
            }
            // Stored commune by commune, as a file taken over from the previous system
            // would be: a commune's payroll then reads neighbouring rows.
            chunk.sort_by_key(|p| (p.unit_id, p.seq));
            let situations: Vec<(Situation, UnitId, String, Option<String>)> = chunk
                .iter()
                .map(|p| {
                    (
                        situation_of(p),
                        p.unit_id,
                        p.payment_channel.as_str().to_string(),
                        p.bank_account.map(|a| a.to_string()),
                    )
                })
                .collect();
            let batch: Vec<BulkHousehold> = chunk
                .into_iter()
                .map(|p| {
                    let (code, province) = codes.get(&p.unit_id).cloned().unwrap_or_default();
                    BulkHousehold {
                        province_code: province,
                        unit_id: p.unit_id,
                        unit_code: code,
                        hamlet: p.hamlet.to_string(),
                        address: String::new(),
                        poverty: vec![(
                            today.format("%Y").to_string().parse().unwrap_or(2026),
                            p.facts.poverty,
                        )],
                        members: vec![p.into_draft()],
                    }
                })
                .collect();
            let loaded = load_households(
                &self.db,
                &batch,
                now,
                entry("gen.people", "household", "system"),
            )
            .await?;
            let rows: Vec<EntitlementWrite> = situations
                .into_iter()
                .enumerate()
                .map(|(i, (s, unit, channel, account))| {
                    let province = codes.get(&unit).map(|c| c.1.clone()).unwrap_or_default();
                    EntitlementWrite {
                        province_code: province,
                        person_id: PersonId(loaded.first_person + i as i64),
                        unit_id: unit,
                        benefit: "monthly_allowance".into(),
                        status: "active".into(),
                        channel,
                        account,
                        payees_json: "[]".into(),
                        since_month: Some(first_month.as_yyyymm()),
                        until_month: None,
                        situation_json: serde_json::to_string(&s).unwrap_or_default(),
                        decision_id: None,
                    }
                })
                .collect();
            load_entitlements(
                &self.db,
                &rows,
                now,
                entry("gen.entitlements", "entitlement", "system"),
            )
            .await?;
            report.people += loaded.people;
            report.entitlements += rows.len() as u64;
            progress(report.people, n);
        }
        // Millions of new rows: plan the month's queries for the tables as they now are.
        ansinh_store::baseline::refresh_statistics(&self.db).await?;
        Ok(report)
    }
}
