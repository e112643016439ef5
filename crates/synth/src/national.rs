//! The national synthetic set: a streaming generator of people spread over all the given
//! communes, for benchmarks and `ansinh gen --beneficiaries N`.
//!
//! Memory stays small whatever `n` is (name tables, one entry per commune and the CCCD
//! counters, about 300 KB), and each person costs a few dozen random numbers and one string —
//! the name. Numbers (CCCD, phone, account) stay compact until the caller formats them.
//!
//! People are independent (no households): in the beneficiary profile each is a recipient of
//! the monthly social allowance (trợ cấp xã hội hằng tháng) with the facts the policy engine
//! reads, in proportions like the national caseload.

use ansinh_domain::birth::BirthDate;
use ansinh_domain::cccd::CCCD_PROVINCE_CODES;
use ansinh_domain::ids::UnitId;
use ansinh_domain::person::{DisabilityLevel, PaymentChannel, PovertyStatus, Relation, Sex};
use ansinh_domain::registry::PersonDraft;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::HashMap;

use crate::SynthError;
use crate::commune::{self, CommuneRef, EthnicMix};
use crate::idnum::{
    AccountNumber, BirthCertNo, CccdAllocator, CccdNumber, Phone, prefix_index_for_province,
};
use crate::names::{Ethnicity, NameTables};
use crate::rates::{self, days, from_days, years};
use crate::rng::{Rng, Stream, Weighted};

/// Which population the stream draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// Everyone: the national age pyramid, ordinary rates of disability and poverty.
    Population,
    /// Recipients of the monthly social allowance (đối tượng bảo trợ xã hội hằng tháng):
    /// mostly people aged 80 or more and people with severe disability, plus children
    /// without support, single poor parents, people with HIV…
    Beneficiaries,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NationalConfig {
    pub seed: u64,
    /// Ages are counted on this day; no date is later.
    pub today: NaiveDate,
    pub profile: Profile,
}

/// The group (nhóm đối tượng) of NĐ 20/2021/NĐ-CP Art. 5 a beneficiary was generated for.
/// The facts decide what the policy engine grants; this is the generator's intention, for
/// statistics and tests (a person may also qualify for other groups).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BeneficiaryGroup {
    /// k1: child under 16 without means of support (trẻ em không có nguồn nuôi dưỡng).
    ChildWithoutSupport,
    /// k2: 16 to 22, formerly k1, still studying.
    StudyingYouth,
    /// k3: child with HIV in a poor household.
    ChildWithHiv,
    /// k4: single parent in a poor or near-poor household (người đơn thân nghèo).
    SinglePoorParent,
    /// k5a: poor elderly person with nobody to support them.
    ElderlyPoorAlone,
    /// k5b: 75 to 80, poor or near-poor, in an extremely disadvantaged minority area.
    ElderlyMinorityArea,
    /// k5c: 80 or more without pension or other monthly benefit.
    Elderly80,
    /// k5d: poor elderly person taken into community care.
    ElderlyCommunityCare,
    /// k6: severe or especially severe disability (khuyết tật nặng, đặc biệt nặng).
    Disability,
    /// k7: child under 3, poor or near-poor, in an extremely disadvantaged minority area.
    MinorityInfant,
    /// k8: person with HIV in a poor household without stable income.
    AdultWithHiv,
}

impl BeneficiaryGroup {
    pub const ALL: [BeneficiaryGroup; 11] = [
        BeneficiaryGroup::ChildWithoutSupport,
        BeneficiaryGroup::StudyingYouth,
        BeneficiaryGroup::ChildWithHiv,
        BeneficiaryGroup::SinglePoorParent,
        BeneficiaryGroup::ElderlyPoorAlone,
        BeneficiaryGroup::ElderlyMinorityArea,
        BeneficiaryGroup::Elderly80,
        BeneficiaryGroup::ElderlyCommunityCare,
        BeneficiaryGroup::Disability,
        BeneficiaryGroup::MinorityInfant,
        BeneficiaryGroup::AdultWithHiv,
    ];

    /// The group code of SPEC B 2.1 (`k1` … `k8`, `k5a` … `k5d`).
    pub fn code(self) -> &'static str {
        match self {
            BeneficiaryGroup::ChildWithoutSupport => "k1",
            BeneficiaryGroup::StudyingYouth => "k2",
            BeneficiaryGroup::ChildWithHiv => "k3",
            BeneficiaryGroup::SinglePoorParent => "k4",
            BeneficiaryGroup::ElderlyPoorAlone => "k5a",
            BeneficiaryGroup::ElderlyMinorityArea => "k5b",
            BeneficiaryGroup::Elderly80 => "k5c",
            BeneficiaryGroup::ElderlyCommunityCare => "k5d",
            BeneficiaryGroup::Disability => "k6",
            BeneficiaryGroup::MinorityInfant => "k7",
            BeneficiaryGroup::AdultWithHiv => "k8",
        }
    }

    /// Share of the monthly-allowance caseload, per mille. Rough national proportions: about
    /// half are people aged 80+ without pension, a third people with severe disability.
    fn share_permille(self) -> u64 {
        match self {
            BeneficiaryGroup::Elderly80 => 500,
            BeneficiaryGroup::Disability => 340,
            BeneficiaryGroup::ElderlyPoorAlone => 50,
            BeneficiaryGroup::MinorityInfant => 45,
            BeneficiaryGroup::ElderlyMinorityArea => 20,
            BeneficiaryGroup::ChildWithoutSupport => 18,
            BeneficiaryGroup::SinglePoorParent => 10,
            BeneficiaryGroup::AdultWithHiv => 8,
            BeneficiaryGroup::StudyingYouth => 6,
            BeneficiaryGroup::ElderlyCommunityCare => 2,
            BeneficiaryGroup::ChildWithHiv => 1,
        }
    }
}

/// Why a child has no means of support: the points of NĐ 20/2021 Art. 5(1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrphanCase {
    /// a: abandoned (bị bỏ rơi), not adopted.
    Abandoned,
    /// b: both parents dead (mồ côi cả cha và mẹ).
    BothParentsDead,
    /// c: one parent dead, the other declared missing.
    DeadAndMissing,
    /// d: one parent dead, the other in a social-assistance facility.
    DeadAndInFacility,
    /// đ: one parent dead, the other in prison or under an administrative measure.
    DeadAndInPrison,
    /// e: both parents declared missing.
    BothMissing,
    /// g: both parents in a social-assistance facility.
    BothInFacility,
    /// h: both parents in prison or under an administrative measure.
    BothInPrison,
    /// i: one parent missing, the other in a facility.
    MissingAndInFacility,
    /// k: one parent missing, the other in prison.
    MissingAndInPrison,
    /// l: one parent in a facility, the other in prison.
    FacilityAndPrison,
}

impl OrphanCase {
    /// The point letter of Art. 5(1).
    pub fn point(self) -> &'static str {
        match self {
            OrphanCase::Abandoned => "a",
            OrphanCase::BothParentsDead => "b",
            OrphanCase::DeadAndMissing => "c",
            OrphanCase::DeadAndInFacility => "d",
            OrphanCase::DeadAndInPrison => "đ",
            OrphanCase::BothMissing => "e",
            OrphanCase::BothInFacility => "g",
            OrphanCase::BothInPrison => "h",
            OrphanCase::MissingAndInFacility => "i",
            OrphanCase::MissingAndInPrison => "k",
            OrphanCase::FacilityAndPrison => "l",
        }
    }
}

/// Cases with weights: losing both parents and a parent in prison are the common ones.
const ORPHAN_CASES: [(OrphanCase, u64); 11] = [
    (OrphanCase::Abandoned, 10),
    (OrphanCase::BothParentsDead, 45),
    (OrphanCase::DeadAndMissing, 8),
    (OrphanCase::DeadAndInFacility, 3),
    (OrphanCase::DeadAndInPrison, 18),
    (OrphanCase::BothMissing, 4),
    (OrphanCase::BothInFacility, 1),
    (OrphanCase::BothInPrison, 4),
    (OrphanCase::MissingAndInFacility, 1),
    (OrphanCase::MissingAndInPrison, 5),
    (OrphanCase::FacilityAndPrison, 1),
];

/// The facts about a person that entitlement rules read (the policy engine is another
/// crate; these are plain values for the caller to map).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Facts {
    /// Whole years on the configured `today`.
    pub age: i32,
    pub disability: DisabilityLevel,
    pub disability_cert_date: Option<NaiveDate>,
    /// The household's status on this year's list.
    pub poverty: PovertyStatus,
    /// Sensitive.
    pub hiv: bool,
    pub has_pension: bool,
    pub orphan_case: Option<OrphanCase>,
    /// For a single parent (k4): the children being raised (each adds 1.0 to the
    /// coefficient under NĐ 20/2021).
    pub single_parent_children: u8,
    /// In general education, vocational training, college or a first degree.
    pub studying: bool,
    /// Someone has the duty and right to support them (người có nghĩa vụ và quyền phụng
    /// dưỡng); `false` for elderly people living alone and poor.
    pub has_supporter: bool,
    /// Lives in an extremely disadvantaged ethnic-minority and mountainous commune or village
    /// (xã, thôn đặc biệt khó khăn vùng đồng bào dân tộc thiểu số và miền núi).
    pub disadvantaged_area: bool,
    /// Taken into community care (nhận chăm sóc tại cộng đồng), k5d.
    pub community_care: bool,
    /// The group the person was generated for (`None` in the population profile).
    pub group: Option<BeneficiaryGroup>,
}

/// One generated person of the national set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SynthPerson {
    /// 0-based position in the stream.
    pub seq: u64,
    pub full_name: String,
    pub sex: Sex,
    pub birth: BirthDate,
    pub ethnicity: Ethnicity,
    pub unit_id: UnitId,
    /// Index of the commune in the slice given to [`people`].
    pub commune_index: u32,
    pub hamlet: &'static str,
    pub cccd: Option<CccdNumber>,
    pub birth_cert_no: Option<BirthCertNo>,
    pub phone: Option<Phone>,
    pub payment_channel: PaymentChannel,
    pub bank_account: Option<AccountNumber>,
    pub facts: Facts,
}

impl SynthPerson {
    /// The registry record (as the head of a one-person household).
    pub fn into_draft(self) -> PersonDraft {
        PersonDraft {
            full_name: self.full_name,
            sex: self.sex,
            birth: self.birth,
            cccd: self.cccd.and_then(CccdNumber::to_cccd),
            birth_cert_no: self.birth_cert_no.map(|b| b.to_string()),
            ethnicity_code: self.ethnicity.code().to_string(),
            unit_id: self.unit_id,
            hamlet: self.hamlet.to_string(),
            relation: Relation::Head,
            disability: self.facts.disability,
            disability_cert_date: self.facts.disability_cert_date,
            hiv_positive: self.facts.hiv,
            has_pension: self.facts.has_pension,
            phone: self.phone.map(|p| p.to_string()),
            payment_channel: self.payment_channel,
            bank_account: self.bank_account.map(|a| a.to_string()),
            death_date: None,
        }
    }
}

/// Age pyramid of Vietnam (mid-2020s shape), per 10,000, by five-year band from 0–4 to 95–99.
const AGE_BANDS: [u64; 20] = [
    700, 780, 770, 700, 660, 700, 800, 800, 740, 680, 610, 560, 490, 390, 270, 160, 100, 70, 35, 10,
];

/// Minority mix for minority-only groups in provinces whose own mix has none.
const NATIONAL_MINORITIES: [(Ethnicity, u16); 9] = [
    (Ethnicity::Tay, 190),
    (Ethnicity::Thai, 180),
    (Ethnicity::Muong, 150),
    (Ethnicity::Khmer, 150),
    (Ethnicity::Hmong, 150),
    (Ethnicity::Nung, 110),
    (Ethnicity::Dao, 90),
    (Ethnicity::Jarai, 50),
    (Ethnicity::Ede, 40),
];

#[derive(Debug, Clone)]
struct Site {
    unit_id: UnitId,
    hamlets: Vec<&'static str>,
    prefix: Option<usize>,
    mix: usize,
}

/// The stream; see [`people`].
#[derive(Debug, Clone)]
pub struct People {
    config: NationalConfig,
    rng: Rng,
    names: NameTables,
    cccd: CccdAllocator,
    sites: Vec<Site>,
    site_weights: Weighted,
    mixes: Vec<EthnicMix>,
    national_minorities: EthnicMix,
    age_bands: Weighted,
    groups: Weighted,
    orphan_cases: Weighted,
    today: i32,
    next: u64,
    n: u64,
}

/// `n` people spread over `communes` by population weight, deterministic from the seed.
/// The iterator is chunk-friendly (`by_ref().take(k)`) and never holds more than one person.
pub fn people(
    config: &NationalConfig,
    communes: &[CommuneRef],
    n: u64,
) -> Result<People, SynthError> {
    if communes.is_empty() {
        return Err(SynthError::NoCommunesGiven);
    }
    let mut mix_of: HashMap<&str, usize> = HashMap::new();
    let mut mixes = Vec::new();
    let sites: Vec<Site> = communes
        .iter()
        .map(|c| {
            let mix = *mix_of.entry(c.province_code.as_str()).or_insert_with(|| {
                mixes.push(EthnicMix::new(commune::ethnic_mix(&c.province_code)));
                mixes.len() - 1
            });
            let style = commune::hamlet_style(&c.province_code);
            Site {
                unit_id: c.unit_id,
                hamlets: commune::hamlets(c, style, 0)
                    .into_iter()
                    .map(|h| h.name)
                    .collect(),
                prefix: prefix_index_for_province(&c.province_code),
                mix,
            }
        })
        .collect();
    Ok(People {
        config: config.clone(),
        rng: Rng::new(config.seed, Stream::People),
        names: NameTables::new(),
        cccd: CccdAllocator::new(config.seed),
        sites,
        site_weights: Weighted::new(communes.iter().map(commune::population_weight)),
        mixes,
        national_minorities: EthnicMix::new(&NATIONAL_MINORITIES),
        age_bands: Weighted::new(AGE_BANDS),
        groups: Weighted::new(BeneficiaryGroup::ALL.iter().map(|g| g.share_permille())),
        orphan_cases: Weighted::new(ORPHAN_CASES.iter().map(|(_, w)| *w)),
        today: days(config.today),
        next: 0,
        n,
    })
}

impl Iterator for People {
    type Item = SynthPerson;

    fn next(&mut self) -> Option<SynthPerson> {
        if self.next >= self.n {
            return None;
        }
        let seq = self.next;
        self.next += 1;
        Some(self.person(seq))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = usize::try_from(self.n - self.next).unwrap_or(usize::MAX);
        (left, Some(left))
    }
}

impl ExactSizeIterator for People {}

impl People {
    fn born_aged(&mut self, lo: i32, hi: i32, falling: bool) -> i32 {
        let u = self.rng.unit();
        // Falling: density decreasing linearly from `lo` (fewer people at 100 than at 80).
        let x = if falling { 1.0 - u.sqrt() } else { u };
        let age = (lo + ((hi - lo + 1) as f64 * x) as i32).min(hi);
        // Strictly inside the year of age, so the age on `today` is exactly `age`.
        self.today - years(age) - 1 - self.rng.below(362) as i32
    }

    fn sample_group(&mut self) -> Option<BeneficiaryGroup> {
        match self.config.profile {
            Profile::Population => None,
            Profile::Beneficiaries => self
                .groups
                .sample(&mut self.rng)
                .and_then(|i| BeneficiaryGroup::ALL.get(i).copied()),
        }
    }

    fn born_for(&mut self, group: Option<BeneficiaryGroup>) -> i32 {
        use BeneficiaryGroup::*;
        match group {
            None => {
                let band = self.age_bands.sample(&mut self.rng).unwrap_or(6) as i32;
                self.born_aged(band * 5, band * 5 + 4, false)
            }
            Some(Elderly80) => self.born_aged(80, 100, true),
            Some(ElderlyPoorAlone | ElderlyCommunityCare) => self.born_aged(60, 95, true),
            Some(ElderlyMinorityArea) => self.born_aged(75, 79, false),
            Some(Disability) => match self.rng.below(100) {
                0..8 => self.born_aged(0, 15, false),
                8..55 => self.born_aged(16, 59, false),
                _ => self.born_aged(60, 95, true),
            },
            Some(ChildWithoutSupport | ChildWithHiv) => self.born_aged(0, 15, false),
            Some(StudyingYouth) => self.born_aged(16, 21, false),
            Some(SinglePoorParent) => self.born_aged(20, 50, false),
            Some(MinorityInfant) => self.born_aged(0, 2, false),
            Some(AdultWithHiv) => self.born_aged(18, 60, false),
        }
    }

    fn person(&mut self, seq: u64) -> SynthPerson {
        use BeneficiaryGroup::*;
        let today = self.config.today;
        let site_index = self.site_weights.sample(&mut self.rng).unwrap_or(0);
        let (unit_id, site_prefix, mix_index, hamlet) = match self.sites.get(site_index) {
            Some(s) => {
                let hamlet = s
                    .hamlets
                    .get(self.rng.index(s.hamlets.len()))
                    .copied()
                    .unwrap_or("Thôn 1");
                (s.unit_id, s.prefix, s.mix, hamlet)
            }
            None => (UnitId(0), None, 0, "Thôn 1"),
        };
        let group = self.sample_group();

        let minority_only = matches!(group, Some(ElderlyMinorityArea | MinorityInfant));
        let eth = match self.mixes.get(mix_index) {
            Some(mix) if minority_only => mix
                .sample_minority(&mut self.rng)
                .unwrap_or_else(|| self.national_minorities.sample(&mut self.rng)),
            Some(mix) => mix.sample(&mut self.rng),
            None => Ethnicity::Kinh,
        };
        let sex = match group {
            // Single parents raising children alone are mostly mothers.
            Some(SinglePoorParent) if self.rng.below(100) < 85 => Sex::Female,
            Some(SinglePoorParent) => Sex::Male,
            // Women live longer: more of the very old are women.
            Some(Elderly80) if self.rng.below(100) < 64 => Sex::Female,
            Some(Elderly80) => Sex::Male,
            _ if self.rng.below(205) < 105 => Sex::Male,
            _ => Sex::Female,
        };
        let born = self.born_for(group);
        let born = from_days(born).unwrap_or(today);
        // A year-only date counts from 1 January and can add a year of age: the 75–80 group
        // keeps full dates so that it stays below 80.
        let birth = if group == Some(ElderlyMinorityArea) {
            BirthDate::Full(born)
        } else {
            rates::registry_birth(&mut self.rng, born)
        };
        let age = birth.age_on(today);
        let full_name = self
            .names
            .full_name(&mut self.rng, eth, sex, birth.year(), None);

        let cccd_percent = if age >= 14 { 96 } else { 3 };
        let cccd = if self.rng.below(100) < cccd_percent {
            let prefix = match site_prefix {
                Some(p) if self.rng.below(100) < 90 => p,
                _ => self.rng.index(CCCD_PROVINCE_CODES.len()),
            };
            self.cccd.issue(prefix, sex, birth.year())
        } else {
            None
        };
        let birth_cert_no = (cccd.is_none() && age < 18).then(|| BirthCertNo {
            number: 1 + self.rng.below(400) as u16,
            year: birth.year(),
        });

        let facts = self.facts(group, age, birth, eth);
        let mut phone = rates::phone(&mut self.rng, age);
        let (payment_channel, bank_account) = rates::payment(&mut self.rng, age, &mut phone);
        SynthPerson {
            seq,
            full_name,
            sex,
            birth,
            ethnicity: eth,
            unit_id,
            commune_index: site_index as u32,
            hamlet,
            cccd,
            birth_cert_no,
            phone,
            payment_channel,
            bank_account,
            facts,
        }
    }

    fn poverty(&mut self, poor: u64, near: u64) -> PovertyStatus {
        let r = self.rng.below(100);
        if r < poor {
            PovertyStatus::Poor
        } else if r < poor + near {
            PovertyStatus::NearPoor
        } else {
            PovertyStatus::None
        }
    }

    fn facts(
        &mut self,
        group: Option<BeneficiaryGroup>,
        age: i32,
        birth: BirthDate,
        eth: Ethnicity,
    ) -> Facts {
        use BeneficiaryGroup::*;
        let today = self.config.today;
        let disability = match group {
            Some(Disability) if self.rng.below(100) < 35 => DisabilityLevel::EspeciallySevere,
            Some(Disability) => DisabilityLevel::Severe,
            _ => rates::disability(&mut self.rng, age),
        };
        let disability_cert_date = if disability == DisabilityLevel::None {
            None
        } else {
            rates::disability_cert_date(&mut self.rng, birth, today)
        };
        let poverty = match group {
            None => {
                let u = self.rng.unit();
                rates::poverty_status(u, rates::poverty_multiplier(eth), today.year(), 0.5)
            }
            Some(ElderlyPoorAlone | ElderlyCommunityCare | ChildWithHiv | AdultWithHiv) => {
                PovertyStatus::Poor
            }
            Some(SinglePoorParent) => self.poverty(70, 30),
            Some(ElderlyMinorityArea | MinorityInfant) => self.poverty(60, 40),
            Some(Elderly80) => self.poverty(10, 10),
            Some(Disability) => self.poverty(12, 12),
            Some(ChildWithoutSupport | StudyingYouth) => self.poverty(25, 15),
        };
        let hiv = match group {
            Some(ChildWithHiv | AdultWithHiv) => true,
            _ => rates::hiv(&mut self.rng, age),
        };
        let has_pension = match group {
            // These groups are defined by having no pension or stable income.
            Some(Elderly80 | AdultWithHiv | ElderlyPoorAlone | ElderlyCommunityCare) => false,
            _ => rates::pension(&mut self.rng, age, eth),
        };
        let orphan_case = match group {
            Some(ChildWithoutSupport | StudyingYouth) => self.orphan_case(),
            Some(ChildWithHiv) if self.rng.below(100) < 10 => self.orphan_case(),
            _ => None,
        };
        let single_parent_children = match group {
            Some(SinglePoorParent) => 1 + self.rng.below(3) as u8,
            _ => 0,
        };
        let studying = match group {
            Some(StudyingYouth) => true,
            _ => (6..=17).contains(&age) && self.rng.below(100) < 93,
        };
        let has_supporter = match group {
            Some(ElderlyPoorAlone | ElderlyCommunityCare) => false,
            Some(Elderly80) => self.rng.below(100) < 90,
            _ => true,
        };
        let disadvantaged_area = match group {
            Some(ElderlyMinorityArea | MinorityInfant) => true,
            _ => eth.is_minority() && self.rng.below(100) < 30,
        };
        Facts {
            age,
            disability,
            disability_cert_date,
            poverty,
            hiv,
            has_pension,
            orphan_case,
            single_parent_children,
            studying,
            has_supporter,
            disadvantaged_area,
            community_care: group == Some(ElderlyCommunityCare),
            group,
        }
    }

    fn orphan_case(&mut self) -> Option<OrphanCase> {
        let i = self.orphan_cases.sample(&mut self.rng)?;
        ORPHAN_CASES.get(i).map(|(c, _)| *c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn communes() -> Vec<CommuneRef> {
        vec![
            CommuneRef::new(UnitId(1), "00004", d(2025, 7, 1), None)
                .urban(true)
                .in_province("01"),
            CommuneRef::new(UnitId(2), "29500", d(2025, 7, 1), None).in_province("86"),
            CommuneRef::new(UnitId(3), "02000", d(2025, 7, 1), None).in_province("08"),
        ]
    }

    #[test]
    fn yields_exactly_n_and_reports_its_length() {
        let config = NationalConfig {
            seed: 1,
            today: d(2026, 6, 1),
            profile: Profile::Population,
        };
        let it = people(&config, &communes(), 1234).unwrap();
        assert_eq!(it.len(), 1234);
        let all: Vec<_> = it.collect();
        assert_eq!(all.len(), 1234);
        assert_eq!(all.last().map(|p| p.seq), Some(1233));
        assert!(people(&config, &[], 5).is_err());
    }

    #[test]
    fn group_facts_agree_with_the_group() {
        let today = d(2026, 6, 1);
        let config = NationalConfig {
            seed: 2,
            today,
            profile: Profile::Beneficiaries,
        };
        for p in people(&config, &communes(), 20_000).unwrap() {
            let f = p.facts;
            let g = f.group.unwrap();
            match g {
                BeneficiaryGroup::Elderly80 => assert!(f.age >= 80 && !f.has_pension),
                BeneficiaryGroup::Disability => assert!(matches!(
                    f.disability,
                    DisabilityLevel::Severe | DisabilityLevel::EspeciallySevere
                )),
                BeneficiaryGroup::ChildWithoutSupport => {
                    assert!(f.age < 16 && f.orphan_case.is_some())
                }
                BeneficiaryGroup::StudyingYouth => assert!((16..22).contains(&f.age) && f.studying),
                BeneficiaryGroup::MinorityInfant => {
                    assert!(f.age < 3 && p.ethnicity.is_minority() && f.disadvantaged_area)
                }
                BeneficiaryGroup::ElderlyMinorityArea => {
                    assert!((75..80).contains(&f.age) && p.ethnicity.is_minority())
                }
                BeneficiaryGroup::SinglePoorParent => {
                    assert!(f.single_parent_children >= 1 && f.poverty != PovertyStatus::None)
                }
                BeneficiaryGroup::AdultWithHiv | BeneficiaryGroup::ChildWithHiv => {
                    assert!(f.hiv && f.poverty == PovertyStatus::Poor)
                }
                BeneficiaryGroup::ElderlyPoorAlone | BeneficiaryGroup::ElderlyCommunityCare => {
                    assert!(f.age >= 60 && !f.has_supporter)
                }
            }
        }
    }
}
