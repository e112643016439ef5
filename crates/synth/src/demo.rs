//! The demo province: about 45,000 people in households across the communes of old Trà Vinh,
//! for `ansinh serve --demo`.
//!
//! Households (hộ gia đình) are built as families — a head (chủ hộ), a spouse, children,
//! sometimes the head's parents, a married child with grandchildren, or grandparents raising
//! grandchildren while the parents work in the cities — so ages, sexes, relations and family
//! names agree with each other. Each household is registered on a date between 2019 and
//! `today` and placed in a commune version valid on that date: records made before
//! 1 July 2025 sit in the old communes, later ones in the new.

use ansinh_domain::ids::UnitId;
use ansinh_domain::person::{DisabilityLevel, PovertyStatus, Relation, Sex};
use ansinh_domain::registry::PersonDraft;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::SynthError;
use crate::commune::{self, CommuneRef, Hamlet, HamletStyle};
use crate::idnum::{BirthCertNo, CccdAllocator, prefix_index};
use crate::names::{Ethnicity, NameTables};
use crate::places_data::STREETS;
use crate::rates::{self, days, from_days, years};
use crate::rng::{Rng, Stream, Weighted};

/// How to build the demo province. [`DemoConfig::new`] gives the defaults described on each
/// field.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoConfig {
    pub seed: u64,
    /// No date in the data is later than this.
    pub today: NaiveDate,
    /// Households are added until the people reach this number (default 45,000).
    pub target_people: usize,
    /// First registration date (default 1 January 2019).
    pub registered_from: NaiveDate,
    /// The administrative reform (default 1 July 2025).
    pub reform_date: NaiveDate,
    /// Share of households registered before the reform, in percent (default 82).
    pub before_reform_percent: u8,
    /// First year of the poverty lists; the last is `today`'s year (default 2019).
    pub poverty_from_year: i32,
    /// CCCD prefix of the province of birth registration for most people (default "084",
    /// Trà Vinh: people born there keep it after the merger into Vĩnh Long).
    pub home_cccd_prefix: String,
}

impl DemoConfig {
    pub fn new(seed: u64, today: NaiveDate) -> DemoConfig {
        DemoConfig {
            seed,
            today,
            target_people: 45_000,
            registered_from: NaiveDate::from_ymd_opt(2019, 1, 1).unwrap_or(today),
            reform_date: NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or(today),
            before_reform_percent: 82,
            poverty_from_year: 2019,
            home_cccd_prefix: "084".into(),
        }
    }
}

/// A generated household (hộ gia đình) with its members, the head first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SynthHousehold {
    /// 1-based position in the data set (a stable household number for the demo).
    pub household_no: u32,
    /// The commune version the household was registered in (valid on `registered_on`).
    pub unit_id: UnitId,
    pub commune_code: String,
    /// Ấp or khóm.
    pub hamlet: String,
    /// House number and street or hamlet, without the commune.
    pub address: String,
    pub registered_on: NaiveDate,
    /// The household's status on each year's poverty list (danh sách hộ nghèo, cận nghèo).
    pub poverty: Vec<(i32, PovertyStatus)>,
    pub members: Vec<PersonDraft>,
}

/// Neighbouring provinces where spouses and migrants were born: Bến Tre, Vĩnh Long,
/// Sóc Trăng, Hồ Chí Minh City, Cần Thơ, Đồng Tháp, Kiên Giang, Hậu Giang, Bạc Liêu.
const OTHER_PREFIXES: [&str; 9] = [
    "083", "086", "094", "079", "092", "087", "091", "093", "095",
];

/// Builds the demo province. Errors only when no commune is valid during the registration
/// period or the period is empty.
pub fn demo_province(
    config: &DemoConfig,
    communes: &[CommuneRef],
) -> Result<Vec<SynthHousehold>, SynthError> {
    let mut g = Generator::new(config, communes)?;
    let mut out = Vec::new();
    let mut people = 0usize;
    while people < config.target_people {
        let no = out.len() as u32 + 1;
        let h = g.household(no);
        people += h.members.len();
        out.push(h);
    }
    Ok(out)
}

/// A commune with what the generator derived from its code.
#[derive(Debug)]
struct Place<'a> {
    commune: &'a CommuneRef,
    khmer_permille: u64,
    hoa_permille: u64,
    hamlets: Vec<Hamlet>,
    khmer_hamlets: Vec<usize>,
}

/// A stretch of days during which the same communes are valid.
#[derive(Debug)]
struct Era {
    first: i32,
    last: i32,
    places: Vec<usize>,
    weights: Weighted,
}

struct Generator<'a> {
    config: &'a DemoConfig,
    rng: Rng,
    names: NameTables,
    cccd: CccdAllocator,
    home_prefix: usize,
    other_prefixes: Vec<usize>,
    places: Vec<Place<'a>>,
    eras: Vec<Era>,
    today: i32,
    start: i32,
    reform: i32,
}

/// Household shapes and their weights (per mille) for Kinh and for Khmer households, which
/// more often live with several generations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    SingleElderly,
    ElderlyCouple,
    SingleAdult,
    Couple,
    Nuclear,
    SingleParent,
    WithParents,
    Extended,
    SkippedGeneration,
}

const SHAPES: [(Shape, u64, u64); 9] = [
    (Shape::SingleElderly, 70, 55),
    (Shape::ElderlyCouple, 70, 55),
    (Shape::SingleAdult, 40, 30),
    (Shape::Couple, 60, 50),
    (Shape::Nuclear, 400, 390),
    (Shape::SingleParent, 70, 70),
    (Shape::WithParents, 140, 170),
    (Shape::Extended, 90, 120),
    (Shape::SkippedGeneration, 60, 60),
];

/// A member before naming and attributes.
#[derive(Debug, Clone, Copy)]
struct Plan {
    relation: Relation,
    sex: Sex,
    born: i32,
    eth: Ethnicity,
    family: &'static str,
}

impl<'a> Generator<'a> {
    fn new(
        config: &'a DemoConfig,
        communes: &'a [CommuneRef],
    ) -> Result<Generator<'a>, SynthError> {
        let today = days(config.today);
        let start = days(config.registered_from);
        if start > today {
            return Err(SynthError::EmptyPeriod {
                from: config.registered_from,
                to: config.today,
            });
        }
        let places: Vec<Place<'a>> = communes
            .iter()
            .filter(|c| {
                days(c.valid_from) <= today && c.valid_to.is_none_or(|to| days(to) >= start)
            })
            .map(|c| {
                let khmer_permille = commune::khmer_permille(c);
                let hamlets = commune::hamlets(c, HamletStyle::Mekong, khmer_permille);
                let khmer_hamlets = (0..hamlets.len())
                    .filter(|&i| hamlets.get(i).is_some_and(|h| h.khmer))
                    .collect();
                Place {
                    commune: c,
                    khmer_permille,
                    hoa_permille: commune::hoa_permille(c),
                    hamlets,
                    khmer_hamlets,
                }
            })
            .collect();
        let eras = eras(&places, start, today);
        if eras.is_empty() {
            return Err(SynthError::NoCommunes {
                from: config.registered_from,
                to: config.today,
            });
        }
        let home_prefix = prefix_index(&config.home_cccd_prefix)
            .or_else(|| prefix_index("084"))
            .unwrap_or(0);
        Ok(Generator {
            config,
            rng: Rng::new(config.seed, Stream::Households),
            names: NameTables::new(),
            cccd: CccdAllocator::new(config.seed),
            home_prefix,
            other_prefixes: OTHER_PREFIXES
                .iter()
                .filter_map(|p| prefix_index(p))
                .collect(),
            places,
            eras,
            today,
            start,
            reform: days(config.reform_date),
        })
    }

    /// Registration date and commune: most households before the reform, the rest after,
    /// each in a commune version valid on its date.
    fn registration(&mut self) -> (i32, usize) {
        for _ in 0..16 {
            let before = self.rng.below(100) < u64::from(self.config.before_reform_percent);
            let (lo, hi) = if before {
                (self.start, (self.reform - 1).min(self.today))
            } else {
                (self.reform.max(self.start), self.today)
            };
            if lo > hi {
                continue;
            }
            let day = self.rng.range(i64::from(lo), i64::from(hi)) as i32;
            if let Some(place) = self.place_on(day) {
                return (day, place);
            }
        }
        // The requested split is impossible with these communes (e.g. only new ones): any
        // day on which some commune is valid.
        let era_index = self.rng.index(self.eras.len());
        let (first, last) = self
            .eras
            .get(era_index)
            .map(|e| (e.first, e.last))
            .unwrap_or((self.today, self.today));
        let day = self.rng.range(i64::from(first), i64::from(last)) as i32;
        let place = self.place_on(day).unwrap_or(0);
        (day, place)
    }

    fn place_on(&mut self, day: i32) -> Option<usize> {
        let i = self.eras.partition_point(|e| e.last < day);
        let era = self.eras.get(i).filter(|e| e.first <= day)?;
        let k = era.weights.sample(&mut self.rng)?;
        era.places.get(k).copied()
    }

    fn household(&mut self, no: u32) -> SynthHousehold {
        let (reg_day, place_index) = self.registration();
        let registered_on = from_days(reg_day).unwrap_or(self.config.today);
        let (unit_id, commune_code, khmer_pm, hoa_pm, urban) = self
            .places
            .get(place_index)
            .map(|p| {
                (
                    p.commune.unit_id,
                    p.commune.code.clone(),
                    p.khmer_permille,
                    p.hoa_permille,
                    p.commune.urban,
                )
            })
            .unwrap_or((UnitId(0), String::new(), 0, 0, false));

        let roll = self.rng.below(1000);
        let eth = if roll < khmer_pm {
            Ethnicity::Khmer
        } else if roll < khmer_pm + hoa_pm {
            Ethnicity::Hoa
        } else {
            Ethnicity::Kinh
        };
        let (hamlet, address) = self.hamlet_and_address(place_index, eth, urban);
        let shape = self.shape(eth);
        let plans = self.plan(shape, eth, khmer_pm);
        let members: Vec<PersonDraft> = plans
            .iter()
            .map(|p| self.person(p, registered_on, unit_id, hamlet))
            .collect();
        let poverty = self.poverty(eth, shape, urban, &members);
        SynthHousehold {
            household_no: no,
            unit_id,
            commune_code,
            hamlet: hamlet.to_string(),
            address,
            registered_on,
            poverty,
            members,
        }
    }

    fn shape(&mut self, eth: Ethnicity) -> Shape {
        let khmer = eth == Ethnicity::Khmer;
        let total: u64 = SHAPES.iter().map(|s| if khmer { s.2 } else { s.1 }).sum();
        let mut r = self.rng.below(total);
        for (shape, kinh_w, khmer_w) in SHAPES {
            let w = if khmer { khmer_w } else { kinh_w };
            if r < w {
                return shape;
            }
            r -= w;
        }
        Shape::Nuclear
    }

    /// A birth day for someone aged `lo..=hi` years today, shaped by `dist`.
    fn born_aged(&mut self, lo: i32, hi: i32, dist: AgeDist) -> i32 {
        let u = self.rng.unit();
        let x = match dist {
            AgeDist::Uniform => u,
            // Density falling linearly from `lo` to `hi` (elderly heads: fewer at 95 than 65).
            AgeDist::Falling => 1.0 - u.sqrt(),
            // Peaked in the middle.
            AgeDist::Middle => (u + self.rng.unit()) / 2.0,
        };
        let age = lo + ((hi - lo + 1) as f64 * x) as i32;
        // Strictly inside the year of age, so the age on `today` is exactly `age`.
        self.today - years(age.min(hi)) - 1 - self.rng.below(362) as i32
    }

    /// A child of parents born on `older` and `younger` (days): at least 18 years younger
    /// than the younger parent, at most 45 younger than the older, aged `min_age..=max_age`
    /// today. `None` when no such day exists.
    fn child_born(&mut self, older: i32, younger: i32, min_age: i32, max_age: i32) -> Option<i32> {
        let lo = (younger + years(18)).max(self.today - years(max_age + 1) + 1);
        let hi = (older + years(45)).min(self.today - years(min_age));
        (lo <= hi).then(|| self.rng.range(i64::from(lo), i64::from(hi)) as i32)
    }

    fn sex(&mut self) -> Sex {
        // 105 boys per 100 girls at birth.
        if self.rng.below(205) < 105 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    fn spouse_eth(&mut self, eth: Ethnicity, khmer_pm: u64) -> Ethnicity {
        if self.rng.below(100) >= 5 {
            return eth;
        }
        match eth {
            Ethnicity::Kinh if self.rng.below(1000) < khmer_pm.max(100) * 2 => Ethnicity::Khmer,
            Ethnicity::Kinh => Ethnicity::Hoa,
            _ => Ethnicity::Kinh,
        }
    }

    fn plan(&mut self, shape: Shape, eth: Ethnicity, khmer_pm: u64) -> Vec<Plan> {
        let mut out: Vec<Plan> = Vec::with_capacity(8);
        let (lo, hi, dist, male_percent) = match shape {
            Shape::SingleElderly => (60, 98, AgeDist::Falling, 30),
            Shape::ElderlyCouple => (60, 92, AgeDist::Falling, 85),
            Shape::SingleAdult => (20, 59, AgeDist::Uniform, 60),
            // Young couples before children and couples whose children have left.
            Shape::Couple => (22, 70, AgeDist::Uniform, 80),
            Shape::Nuclear => (24, 64, AgeDist::Middle, 80),
            Shape::SingleParent => (24, 60, AgeDist::Middle, 20),
            Shape::WithParents => (26, 56, AgeDist::Middle, 75),
            Shape::Extended => (48, 85, AgeDist::Middle, 70),
            Shape::SkippedGeneration => (50, 85, AgeDist::Middle, 55),
        };
        let head_sex = if self.rng.below(100) < male_percent {
            Sex::Male
        } else {
            Sex::Female
        };
        let head_born = self.born_aged(lo, hi, dist);
        let head_family = self.names.family(&mut self.rng, eth);
        let head = Plan {
            relation: Relation::Head,
            sex: head_sex,
            born: head_born,
            eth,
            family: head_family,
        };
        out.push(head);

        let spouse_percent = match shape {
            Shape::ElderlyCouple | Shape::Couple | Shape::Nuclear => 100,
            Shape::WithParents => 85,
            Shape::Extended => 70,
            Shape::SkippedGeneration => 60,
            _ => 0,
        };
        let spouse = if self.rng.below(100) < spouse_percent {
            let s = self.spouse(&head, khmer_pm);
            out.push(s);
            Some(s)
        } else {
            None
        };

        // The father's family name passes to the children.
        let children_family = match (head.sex, spouse) {
            (Sex::Male, _) => head.family,
            (Sex::Female, Some(s)) => s.family,
            (Sex::Female, None) if self.rng.below(100) < 30 => head.family,
            (Sex::Female, None) => self.names.family(&mut self.rng, eth),
        };
        let (older, younger) = match spouse {
            Some(s) => (head.born.min(s.born), head.born.max(s.born)),
            None => (head.born, head.born),
        };

        match shape {
            Shape::SingleElderly | Shape::ElderlyCouple | Shape::SingleAdult | Shape::Couple => {}
            Shape::Nuclear | Shape::SingleParent | Shape::WithParents => {
                let count = self.children_count(younger, eth, shape == Shape::SingleParent);
                self.children(&mut out, count, older, younger, children_family, eth);
                if shape == Shape::WithParents {
                    self.parents(&mut out, &head, khmer_pm);
                } else if shape == Shape::Nuclear && self.rng.below(100) < 3 {
                    self.sibling(&mut out, &head);
                }
            }
            Shape::Extended => {
                self.married_child(&mut out, older, younger, children_family, eth, khmer_pm);
                // Sometimes an unmarried younger child still lives at home too.
                if self.rng.below(100) < 25
                    && let Some(born) = self.child_born(older, younger, 15, 35)
                {
                    let sex = self.sex();
                    out.push(Plan {
                        relation: Relation::Child,
                        sex,
                        born,
                        eth,
                        family: children_family,
                    });
                }
            }
            Shape::SkippedGeneration => {
                let family = if self.rng.below(100) < 60 {
                    children_family
                } else {
                    self.names.family(&mut self.rng, eth)
                };
                let count = 1 + self.rng.below(3);
                for _ in 0..count {
                    // Grandparents are at least 36 years older than their grandchildren.
                    let lo = (younger + years(36)).max(self.today - years(18) + 1);
                    let hi = self.today;
                    if lo > hi {
                        break;
                    }
                    let born = self.rng.range(i64::from(lo), i64::from(hi)) as i32;
                    let sex = self.sex();
                    out.push(Plan {
                        relation: Relation::Grandchild,
                        sex,
                        born,
                        eth,
                        family,
                    });
                }
            }
        }
        out.truncate(8);
        out
    }

    fn spouse(&mut self, head: &Plan, khmer_pm: u64) -> Plan {
        // Husbands are mostly 0–8 years older than their wives, a few are younger.
        let gap = years(self.rng.range(-2, 8) as i32) + self.rng.range(-180, 180) as i32;
        let (sex, born) = match head.sex {
            Sex::Male => (Sex::Female, head.born + gap),
            Sex::Female => (Sex::Male, head.born - gap),
        };
        let eth = self.spouse_eth(head.eth, khmer_pm);
        Plan {
            relation: Relation::Spouse,
            sex,
            born: born.min(self.today - years(18)),
            eth,
            family: self.names.family(&mut self.rng, eth),
        }
    }

    /// Children still living at home: older cohorts had more children; Khmer families a
    /// little more than Kinh ones.
    fn children_count(&mut self, mother_born: i32, eth: Ethnicity, single: bool) -> u64 {
        let year = from_days(mother_born).map(|d| d.year()).unwrap_or(1980);
        let (lo, hi) = match year {
            ..1960 => (2, 5),
            1960..1980 => (1, 4),
            _ => (1, 3),
        };
        let mut n = lo + self.rng.below(hi - lo + 1);
        if eth == Ethnicity::Khmer && self.rng.below(100) < 30 {
            n += 1;
        }
        if single {
            n = n.clamp(1, 3);
        }
        n
    }

    fn children(
        &mut self,
        out: &mut Vec<Plan>,
        count: u64,
        older: i32,
        younger: i32,
        family: &'static str,
        eth: Ethnicity,
    ) {
        // Grown children mostly move out: at home they are at most 30 (sometimes 35).
        let max_age = if self.rng.below(100) < 10 { 35 } else { 30 };
        let mut kids: Vec<Plan> = Vec::new();
        for _ in 0..count {
            if let Some(born) = self.child_born(older, younger, 0, max_age) {
                let sex = self.sex();
                kids.push(Plan {
                    relation: Relation::Child,
                    sex,
                    born,
                    eth,
                    family,
                });
            }
        }
        // Eldest first, as registers list them.
        kids.sort_by_key(|k| k.born);
        out.extend(kids);
    }

    /// The head's parent(s): mostly a widowed mother, sometimes both.
    fn parents(&mut self, out: &mut Vec<Plan>, head: &Plan, khmer_pm: u64) {
        let mother_born =
            head.born - years(self.rng.range(20, 35) as i32) - self.rng.below(365) as i32;
        let father_born =
            mother_born - years(self.rng.range(0, 7) as i32) - self.rng.below(365) as i32;
        let oldest = self.today - years(100);
        let both = self.rng.below(100) < 40;
        let mother = both || self.rng.below(100) < 75;
        let father_family = if head.sex == Sex::Male || self.rng.below(100) < 90 {
            head.family
        } else {
            self.names.family(&mut self.rng, head.eth)
        };
        if (both || !mother) && father_born > oldest {
            out.push(Plan {
                relation: Relation::Parent,
                sex: Sex::Male,
                born: father_born,
                eth: head.eth,
                family: father_family,
            });
        }
        if mother && mother_born > oldest {
            let eth = self.spouse_eth(head.eth, khmer_pm);
            out.push(Plan {
                relation: Relation::Parent,
                sex: Sex::Female,
                born: mother_born,
                eth,
                family: self.names.family(&mut self.rng, eth),
            });
        }
    }

    fn sibling(&mut self, out: &mut Vec<Plan>, head: &Plan) {
        let born = (head.born + years(self.rng.range(-10, 10) as i32)).min(self.today - years(16));
        let sex = self.sex();
        out.push(Plan {
            relation: Relation::Sibling,
            sex,
            born,
            eth: head.eth,
            family: head.family,
        });
    }

    /// A married child living with the head, their spouse (con dâu / con rể, recorded as
    /// "other") and their children (the head's grandchildren).
    fn married_child(
        &mut self,
        out: &mut Vec<Plan>,
        older: i32,
        younger: i32,
        family: &'static str,
        eth: Ethnicity,
        khmer_pm: u64,
    ) {
        let Some(child_born) = self.child_born(older, younger, 22, 45) else {
            return;
        };
        let child_sex = if self.rng.below(100) < 65 {
            Sex::Male
        } else {
            Sex::Female
        };
        let child = Plan {
            relation: Relation::Child,
            sex: child_sex,
            born: child_born,
            eth,
            family,
        };
        out.push(child);
        let mut in_law = self.spouse(&child, khmer_pm);
        in_law.relation = Relation::Other;
        out.push(in_law);
        let grand_family = if child_sex == Sex::Male {
            child.family
        } else {
            in_law.family
        };
        let (o, y) = (child.born.min(in_law.born), child.born.max(in_law.born));
        let count = 1 + self.rng.below(3);
        let mut kids = Vec::new();
        for _ in 0..count {
            if let Some(born) = self.child_born(o, y, 0, 25) {
                let sex = self.sex();
                kids.push(Plan {
                    relation: Relation::Grandchild,
                    sex,
                    born,
                    eth,
                    family: grand_family,
                });
            }
        }
        kids.sort_by_key(|k| k.born);
        out.extend(kids);
    }

    fn person(
        &mut self,
        p: &Plan,
        registered_on: NaiveDate,
        unit_id: UnitId,
        hamlet: &str,
    ) -> PersonDraft {
        let today = self.config.today;
        let born = from_days(p.born).unwrap_or(today);
        let birth = rates::registry_birth(&mut self.rng, born);
        let age = birth.age_on(today);
        let full_name =
            self.names
                .full_name(&mut self.rng, p.eth, p.sex, birth.year(), Some(p.family));

        // CCCD: nearly everyone from 14 (fewer of the very old), a few younger children
        // since the 2023 Identity Law; the rest of the children have a birth certificate.
        let cccd_percent = match age {
            ..14 => 3,
            14..80 => 96,
            _ => 85,
        };
        let cccd = if self.rng.below(100) < cccd_percent {
            let elsewhere = match p.relation {
                Relation::Spouse | Relation::Other => 25,
                _ => 5,
            };
            let prefix = if self.rng.below(100) < elsewhere {
                self.rng
                    .pick(&self.other_prefixes)
                    .copied()
                    .unwrap_or(self.home_prefix)
            } else {
                self.home_prefix
            };
            self.cccd
                .issue(prefix, p.sex, birth.year())
                .and_then(|c| c.to_cccd())
        } else {
            None
        };
        let birth_cert_no = (cccd.is_none() && age < 18).then(|| {
            BirthCertNo {
                number: 1 + self.rng.below(400) as u16,
                year: birth.year(),
            }
            .to_string()
        });

        let disability = rates::disability(&mut self.rng, age);
        let disability_cert_date = if disability == DisabilityLevel::None {
            None
        } else {
            rates::disability_cert_date(&mut self.rng, birth, today)
        };
        let hiv_positive = rates::hiv(&mut self.rng, age);
        let has_pension = rates::pension(&mut self.rng, age, p.eth);
        let mut phone = rates::phone(&mut self.rng, age);
        let (payment_channel, account) = rates::payment(&mut self.rng, age, &mut phone);
        let death_date = if self.rng.below(10_000) < rates::death_per_10k(age) {
            let lo = days(registered_on).max(days(birth.assumed_date()));
            let hi = self.today;
            (lo <= hi)
                .then(|| from_days(self.rng.range(i64::from(lo), i64::from(hi)) as i32))
                .flatten()
        } else {
            None
        };

        PersonDraft {
            full_name,
            sex: p.sex,
            birth,
            cccd,
            birth_cert_no,
            ethnicity_code: p.eth.code().to_string(),
            unit_id,
            hamlet: hamlet.to_string(),
            relation: p.relation,
            disability,
            disability_cert_date,
            hiv_positive,
            has_pension,
            phone: phone.map(|x| x.to_string()),
            payment_channel,
            bank_account: account.map(|a| a.to_string()),
            death_date,
        }
    }

    fn hamlet_and_address(
        &mut self,
        place_index: usize,
        eth: Ethnicity,
        urban: bool,
    ) -> (&'static str, String) {
        let hamlet = self
            .places
            .get(place_index)
            .and_then(|p| {
                let i = if eth == Ethnicity::Khmer
                    && !p.khmer_hamlets.is_empty()
                    && self.rng.below(100) < 70
                {
                    p.khmer_hamlets
                        .get(self.rng.index(p.khmer_hamlets.len()))
                        .copied()?
                } else {
                    self.rng.index(p.hamlets.len())
                };
                p.hamlets.get(i).map(|h| h.name)
            })
            .unwrap_or("Ấp 1");
        let number = 1 + self.rng.below(350);
        let address = if urban {
            let street = self.rng.pick(&STREETS).copied().unwrap_or("Lê Lợi");
            format!("Số {number} đường {street}, {hamlet}")
        } else if self.rng.below(100) < 60 {
            format!("Số {number}, {hamlet}")
        } else {
            format!("Tổ {}, {hamlet}", 1 + self.rng.below(12))
        };
        (hamlet, address)
    }

    /// The household's status on each year's list. Vulnerability is fixed per household;
    /// the rates of the year, the household's make-up and a small yearly jitter decide.
    fn poverty(
        &mut self,
        eth: Ethnicity,
        shape: Shape,
        urban: bool,
        members: &[PersonDraft],
    ) -> Vec<(i32, PovertyStatus)> {
        let today = self.config.today;
        let mut m = rates::poverty_multiplier(eth);
        if members.iter().all(|p| p.birth.age_on(today) >= 60) {
            m *= 1.4;
        }
        if members.iter().any(|p| {
            matches!(
                p.disability,
                DisabilityLevel::Severe | DisabilityLevel::EspeciallySevere
            )
        }) {
            m *= 1.6;
        }
        if shape == Shape::SingleParent {
            m *= 1.5;
        }
        if urban {
            m *= 0.7;
        }
        let u = self.rng.unit();
        (self.config.poverty_from_year..=today.year())
            .map(|year| {
                let jitter = self.rng.unit();
                (year, rates::poverty_status(u, m, year, jitter))
            })
            .collect()
    }
}

#[derive(Debug, Clone, Copy)]
enum AgeDist {
    Uniform,
    Falling,
    Middle,
}

/// Splits `[start, today]` at every day a commune begins or ends, keeping the stretches in
/// which at least one commune is valid.
fn eras(places: &[Place<'_>], start: i32, today: i32) -> Vec<Era> {
    let mut cuts: Vec<i32> = vec![start, today + 1];
    for p in places {
        cuts.push(days(p.commune.valid_from));
        if let Some(to) = p.commune.valid_to {
            cuts.push(days(to) + 1);
        }
    }
    cuts.retain(|&d| d >= start && d <= today + 1);
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    for pair in cuts.windows(2) {
        let (first, last) = match pair {
            [a, b] => (*a, *b - 1),
            _ => continue,
        };
        let Some(date) = from_days(first) else {
            continue;
        };
        let members: Vec<usize> = (0..places.len())
            .filter(|&i| places.get(i).is_some_and(|p| p.commune.valid_at(date)))
            .collect();
        if members.is_empty() {
            continue;
        }
        let weights = Weighted::new(
            members
                .iter()
                .filter_map(|&i| places.get(i))
                .map(|p| commune::population_weight(p.commune)),
        );
        out.push(Era {
            first,
            last,
            places: members,
            weights,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ansinh_domain::cccd::CCCD_PROVINCE_CODES;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn communes() -> Vec<CommuneRef> {
        vec![
            CommuneRef::new(UnitId(1), "29500", d(2008, 1, 1), Some(d(2025, 6, 30))),
            CommuneRef::new(UnitId(2), "29503", d(2008, 1, 1), Some(d(2024, 12, 31))).urban(true),
            CommuneRef::new(UnitId(3), "29503", d(2025, 1, 1), Some(d(2025, 6, 30))).urban(true),
            CommuneRef::new(UnitId(4), "29500", d(2025, 7, 1), None),
        ]
    }

    #[test]
    fn prefixes_exist_in_the_domain_list() {
        // Checked so that a change to the domain's list shows up here rather than as
        // silently missing CCCDs.
        for p in OTHER_PREFIXES {
            assert!(CCCD_PROVINCE_CODES.contains(&p), "{p}");
        }
    }

    #[test]
    fn small_set_respects_the_target_and_dates() {
        let today = d(2026, 3, 15);
        let mut config = DemoConfig::new(11, today);
        config.target_people = 2_000;
        let communes = communes();
        let hs = demo_province(&config, &communes).unwrap();
        let people: usize = hs.iter().map(|h| h.members.len()).sum();
        assert!((2_000..2_010).contains(&people));
        for h in &hs {
            let c = communes.iter().find(|c| c.unit_id == h.unit_id).unwrap();
            assert!(c.valid_at(h.registered_on));
            assert!(h.registered_on <= today && h.registered_on >= d(2019, 1, 1));
            assert_eq!(h.members[0].relation, Relation::Head);
            assert!((1..=8).contains(&h.members.len()));
            assert_eq!(h.poverty.len(), 8);
        }
    }

    #[test]
    fn empty_inputs_are_errors_not_panics() {
        let today = d(2026, 3, 15);
        let config = DemoConfig::new(1, today);
        assert!(matches!(
            demo_province(&config, &[]),
            Err(SynthError::NoCommunes { .. })
        ));
        let mut late = config.clone();
        late.registered_from = d(2027, 1, 1);
        assert!(matches!(
            demo_province(&late, &communes()),
            Err(SynthError::EmptyPeriod { .. })
        ));
    }

    #[test]
    fn only_new_communes_still_work() {
        let today = d(2026, 3, 15);
        let mut config = DemoConfig::new(2, today);
        config.target_people = 500;
        let only_new = vec![CommuneRef::new(UnitId(9), "29500", d(2025, 7, 1), None)];
        let hs = demo_province(&config, &only_new).unwrap();
        assert!(hs.iter().all(|h| h.registered_on >= d(2025, 7, 1)));
    }
}
