//! Communes (xã, phường, thị trấn) as the caller gives them, and what the generator derives
//! from each: a population weight, an ethnic mix and a set of hamlets.
//!
//! Everything derived comes from a hash of the commune **code**, not from the seed or the
//! order of the list, so a commune keeps its hamlets and its size in every data set.

use ansinh_domain::ids::UnitId;
use ansinh_domain::unit::UnitLevel;
use ansinh_domain::units::UnitVersion;
use chrono::NaiveDate;
use serde::Serialize;

use crate::names::Ethnicity;
use crate::places_data as places;
use crate::rng::{Weighted, hash_str};

/// One version of a commune-level unit, as the caller knows it (an id in its unit table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommuneRef {
    pub unit_id: UnitId,
    /// Mã đơn vị hành chính: 5 digits, kept as text.
    pub code: String,
    pub valid_from: NaiveDate,
    /// Inclusive; `None` while still valid.
    pub valid_to: Option<NaiveDate>,
    /// Phường or thị trấn: hamlets are khóm / khu phố / tổ dân phố rather than ấp / thôn,
    /// and the population is denser.
    pub urban: bool,
    /// Province code (2 digits, e.g. "84" or "86"; may be empty). Sets the CCCD prefix and
    /// the ethnic mix of the national set; the demo province ignores it.
    pub province_code: String,
}

impl CommuneRef {
    /// A rural commune of unknown province; refine with [`CommuneRef::urban`] and
    /// [`CommuneRef::in_province`].
    pub fn new(
        unit_id: UnitId,
        code: impl Into<String>,
        valid_from: NaiveDate,
        valid_to: Option<NaiveDate>,
    ) -> CommuneRef {
        CommuneRef {
            unit_id,
            code: code.into(),
            valid_from,
            valid_to,
            urban: false,
            province_code: String::new(),
        }
    }

    pub fn urban(mut self, urban: bool) -> CommuneRef {
        self.urban = urban;
        self
    }

    pub fn in_province(mut self, province_code: impl Into<String>) -> CommuneRef {
        self.province_code = province_code.into();
        self
    }

    /// From a unit version of the domain's unit graph; `None` unless it is a commune.
    /// Phường and thị trấn are urban; xã and đặc khu (island special zones) rural.
    pub fn from_version(version: &UnitVersion, province_code: &str) -> Option<CommuneRef> {
        (version.level == UnitLevel::Commune).then(|| {
            CommuneRef::new(
                version.id,
                version.code.clone(),
                version.valid_from,
                version.valid_to,
            )
            .urban(matches!(version.kind.as_str(), "phường" | "thị trấn"))
            .in_province(province_code)
        })
    }

    pub fn valid_at(&self, date: NaiveDate) -> bool {
        self.valid_from <= date && self.valid_to.is_none_or(|to| date <= to)
    }
}

/// Hash salts: one per derived attribute, so they are independent of each other.
const SALT_WEIGHT: u64 = 0x057E_16A7;
const SALT_KHMER: u64 = 0x4B_4D52;
const SALT_HAMLETS: u64 = 0x4A_4D4C;

/// A value in `[0, 1)` from a hash.
fn unit_from(h: u64) -> f64 {
    (h >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
}

/// The relative population of a commune: rural communes vary about twofold; wards and
/// townships are denser.
pub(crate) fn population_weight(c: &CommuneRef) -> u64 {
    let h = unit_from(hash_str(SALT_WEIGHT, &c.code));
    let base = 800.0 + 800.0 * h;
    let w = if c.urban { base * 1.4 } else { base };
    w as u64
}

/// Khmer share (per mille) of households in a Trà Vinh commune. Khmer people live mostly in
/// rural communes (Trà Cú, Cầu Ngang, Châu Thành, Tiểu Cần); the spread below averages
/// about 30 % with roughly 80 % of communes rural, as in the province.
pub(crate) fn khmer_permille(c: &CommuneRef) -> u64 {
    let h = unit_from(hash_str(SALT_KHMER, &c.code));
    if c.urban {
        (60.0 + 240.0 * h) as u64
    } else {
        (90.0 + 480.0 * h) as u64
    }
}

/// Hoa share (per mille): mostly traders in towns; about 1 % of the province overall.
pub(crate) fn hoa_permille(c: &CommuneRef) -> u64 {
    if c.urban { 15 } else { 5 }
}

/// A hamlet name and whether it is a Khmer place name.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hamlet {
    pub name: &'static str,
    pub khmer: bool,
}

/// Hamlet naming conventions by region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HamletStyle {
    /// Ấp (named or numbered) and khóm: the Mekong delta.
    Mekong,
    /// Ấp and khu phố: Hồ Chí Minh City and the south-east.
    SouthEast,
    /// Thôn and tổ dân phố: the north and centre.
    NorthCentre,
}

/// The hamlets of a commune: 5–13 ấp or 4–10 khóm. In Trà Vinh-style communes a share of
/// ấp carry Khmer names, more where more Khmer people live.
pub(crate) fn hamlets(c: &CommuneRef, style: HamletStyle, khmer_permille: u64) -> Vec<Hamlet> {
    let mut h = hash_str(SALT_HAMLETS, &c.code);
    let mut next = || {
        h = crate::rng::splitmix(h);
        h
    };
    let numbered = |list: &'static [&'static str; 15], n: u64| -> Vec<Hamlet> {
        list.iter()
            .take(n as usize)
            .map(|name| Hamlet { name, khmer: false })
            .collect()
    };
    if c.urban {
        let n = 4 + next() % 7;
        return match style {
            HamletStyle::Mekong => numbered(&places::KHOM_NUMBERED, n),
            HamletStyle::SouthEast => numbered(&places::KHU_PHO_NUMBERED, n),
            HamletStyle::NorthCentre => numbered(&places::TO_DAN_PHO_NUMBERED, n),
        };
    }
    let n = 5 + next() % 9;
    match style {
        HamletStyle::NorthCentre => numbered(&places::THON_NUMBERED, n),
        HamletStyle::SouthEast => numbered(&places::AP_NUMBERED, n),
        HamletStyle::Mekong if next() % 4 == 0 => numbered(&places::AP_NUMBERED, n),
        HamletStyle::Mekong => {
            // Distinct names: draw from the two lists and skip repeats (bounded, so a
            // pathological hash cannot loop).
            let mut out: Vec<Hamlet> = Vec::with_capacity(n as usize);
            let mut guard = 0;
            while out.len() < n as usize && guard < 200 {
                guard += 1;
                let khmer = next() % 1000 < khmer_permille * 12 / 10;
                let name = if khmer {
                    places::AP_KHMER[(next() % places::AP_KHMER.len() as u64) as usize]
                } else {
                    places::AP_KINH[(next() % places::AP_KINH.len() as u64) as usize]
                };
                if !out.iter().any(|x| x.name == name) {
                    out.push(Hamlet { name, khmer });
                }
            }
            out
        }
    }
}

/// Where the national set draws its hamlet style and ethnic mix from.
pub(crate) fn hamlet_style(province_code: &str) -> HamletStyle {
    match province_code.parse::<u32>() {
        // Mekong delta provinces, old (80–96) and new (82, 86, 91, 92, 96) codes.
        Ok(80..=96) => HamletStyle::Mekong,
        // South-east, old and new codes (Bình Phước 70 … Hồ Chí Minh City 79).
        Ok(70..=79) => HamletStyle::SouthEast,
        _ => HamletStyle::NorthCentre,
    }
}

/// Ethnic mix (per mille) of a province, old or new code. Approximate shares from the 2019
/// census pattern; provinces merged in 2025 blend their parts. Unknown codes are mostly Kinh.
pub(crate) fn ethnic_mix(province_code: &str) -> &'static [(Ethnicity, u16)] {
    use Ethnicity::*;
    match province_code {
        // North-east mountains: Cao Bằng, Tuyên Quang (+Hà Giang), Lào Cai (+Yên Bái),
        // Thái Nguyên (+Bắc Kạn), Lạng Sơn; old codes of the same provinces.
        "02" | "04" | "06" | "08" | "10" | "15" | "19" | "20" => &[
            (Kinh, 420),
            (Tay, 220),
            (Nung, 120),
            (Hmong, 120),
            (Dao, 100),
            (Thai, 15),
            (Hoa, 5),
        ],
        // North-west: Điện Biên, Lai Châu, Sơn La.
        "11" | "12" | "14" => &[
            (Kinh, 250),
            (Thai, 450),
            (Hmong, 220),
            (Dao, 30),
            (Muong, 30),
            (Tay, 20),
        ],
        // Phú Thọ (+Hòa Bình, Vĩnh Phúc): the Mường country.
        "17" | "25" | "26" => &[(Kinh, 780), (Muong, 180), (Dao, 20), (Tay, 15), (Thai, 5)],
        // Thanh Hóa, Nghệ An.
        "38" | "40" => &[(Kinh, 880), (Thai, 70), (Muong, 40), (Hmong, 10)],
        // Central Highlands: Gia Lai, Đắk Lắk, Lâm Đồng and their old parts.
        "52" | "62" | "64" | "66" | "67" | "68" => &[
            (Kinh, 740),
            (Jarai, 90),
            (Ede, 90),
            (Tay, 25),
            (Nung, 25),
            (Muong, 10),
            (Dao, 10),
            (Thai, 10),
        ],
        // Old Trà Vinh.
        "84" => &[(Kinh, 680), (Khmer, 310), (Hoa, 10)],
        // Old Sóc Trăng.
        "94" => &[(Kinh, 640), (Khmer, 300), (Hoa, 60)],
        // New Vĩnh Long (with Trà Vinh and Bến Tre).
        "86" => &[(Kinh, 900), (Khmer, 92), (Hoa, 8)],
        // New Cần Thơ (with Sóc Trăng and Hậu Giang).
        "92" => &[(Kinh, 835), (Khmer, 140), (Hoa, 25)],
        // An Giang (with Kiên Giang) and old Kiên Giang.
        "89" | "91" => &[(Kinh, 900), (Khmer, 85), (Hoa, 15)],
        // Cà Mau (with Bạc Liêu) and old Bạc Liêu.
        "95" | "96" => &[(Kinh, 945), (Khmer, 45), (Hoa, 10)],
        // Hồ Chí Minh City.
        "79" => &[(Kinh, 945), (Hoa, 45), (Khmer, 5), (Nung, 5)],
        // Đồng Nai (with Bình Phước).
        "75" => &[
            (Kinh, 920),
            (Hoa, 25),
            (Nung, 25),
            (Tay, 20),
            (Khmer, 5),
            (Muong, 5),
        ],
        // Other Mekong and south-east provinces.
        "80" | "82" | "83" | "87" | "72" | "70" | "74" | "77" | "93" => {
            &[(Kinh, 990), (Khmer, 5), (Hoa, 5)]
        }
        _ => &[(Kinh, 990), (Muong, 4), (Tay, 3), (Hoa, 3)],
    }
}

/// Weighted choice over an ethnic mix.
#[derive(Debug, Clone)]
pub(crate) struct EthnicMix {
    groups: Vec<Ethnicity>,
    all: Weighted,
    /// The same mix without the Kinh, for groups defined by minority status (k5b, k7).
    minority: Weighted,
}

impl EthnicMix {
    pub(crate) fn new(mix: &[(Ethnicity, u16)]) -> EthnicMix {
        EthnicMix {
            groups: mix.iter().map(|(e, _)| *e).collect(),
            all: Weighted::new(mix.iter().map(|(_, w)| u64::from(*w))),
            minority: Weighted::new(
                mix.iter()
                    .map(|(e, w)| if e.is_minority() { u64::from(*w) } else { 0 }),
            ),
        }
    }

    pub(crate) fn sample(&self, rng: &mut crate::rng::Rng) -> Ethnicity {
        self.all
            .sample(rng)
            .and_then(|i| self.groups.get(i).copied())
            .unwrap_or(Ethnicity::Kinh)
    }

    /// A minority group of this mix, if it has any.
    pub(crate) fn sample_minority(&self, rng: &mut crate::rng::Rng) -> Option<Ethnicity> {
        self.minority
            .sample(rng)
            .and_then(|i| self.groups.get(i).copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn validity_is_inclusive() {
        let c = CommuneRef::new(UnitId(1), "29242", d(2025, 1, 1), Some(d(2025, 6, 30)));
        assert!(c.valid_at(d(2025, 1, 1)));
        assert!(c.valid_at(d(2025, 6, 30)));
        assert!(!c.valid_at(d(2025, 7, 1)));
        assert!(!c.valid_at(d(2024, 12, 31)));
    }

    #[test]
    fn hamlets_are_distinct_stable_and_styled() {
        let rural = CommuneRef::new(UnitId(1), "29500", d(2008, 1, 1), None);
        let a = hamlets(&rural, HamletStyle::Mekong, 400);
        let b = hamlets(&rural, HamletStyle::Mekong, 400);
        assert!(a.len() >= 5);
        assert_eq!(
            a.iter().map(|h| h.name).collect::<Vec<_>>(),
            b.iter().map(|h| h.name).collect::<Vec<_>>()
        );
        for (i, h) in a.iter().enumerate() {
            assert!(h.name.starts_with("Ấp "));
            assert!(a.iter().skip(i + 1).all(|o| o.name != h.name));
        }
        let urban = rural.clone().urban(true);
        assert!(
            hamlets(&urban, HamletStyle::Mekong, 0)
                .iter()
                .all(|h| h.name.starts_with("Khóm "))
        );
        assert!(
            hamlets(&urban, HamletStyle::NorthCentre, 0)
                .iter()
                .all(|h| h.name.starts_with("Tổ dân phố "))
        );
    }

    #[test]
    fn every_mix_sums_to_a_thousand() {
        for code in [
            "01", "04", "11", "25", "38", "52", "84", "94", "86", "92", "91", "96", "79", "75",
            "82", "99",
        ] {
            let total: u32 = ethnic_mix(code).iter().map(|(_, w)| u32::from(*w)).sum();
            assert_eq!(total, 1000, "{code}");
        }
    }
}
