//! The facts of one situation (tình huống): a person, their household, the children they
//! raise, the care they receive, a facility stay, decisions and events. This is the typed,
//! already-parsed form; `input` turns the JSON document into it and lists every problem.
//!
//! The vocabulary of facts is code (what can be known about a person); what the law makes of
//! the facts is data (the catalogue).

use ansinh_domain::person::{DisabilityLevel, PovertyStatus, Sex};
use ansinh_domain::{BirthDate, Money, Month};
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Everything the engine may read about one situation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Situation {
    /// Province of residence (mã tỉnh, 2 digits) before any move; selects provincial overlays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    pub person: Person,
    #[serde(default)]
    pub household: Household,
    /// Children the person raises (con đang nuôi), for k4 and the caregiving support.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Child>,
    /// Community care of this person by a foster carer or their own household.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub care: Option<Care>,
    /// A stay in a social assistance facility (cơ sở trợ giúp xã hội).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facility: Option<FacilityStay>,
    #[serde(default)]
    pub decisions: Decisions,
    /// Groups granted by the decision (e.g. `["k6"]`); empty = every group the facts meet
    /// (screening).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    /// Moves between districts or provinces (chuyển địa bàn), oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub moves: Vec<Move>,
    /// Loss of eligibility decided (thôi hưởng) other than by death.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop: Option<Stop>,
    /// Emergencies that hit the person or household (trợ giúp khẩn cấp).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emergencies: Vec<Emergency>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; see `ansinh_domain::birth` for the age rule.
    pub birth_date: BirthDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub death_date: Option<NaiveDate>,
    #[serde(default = "no_disability")]
    pub disability: DisabilityLevel,
    /// Month the disability certificate (giấy xác nhận khuyết tật) was issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_month: Option<Month>,
    /// Point of NĐ 20/2021 Art. 5(1) that describes a child without support (a–l).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub k1_case: Option<K1Case>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marital_status: Option<MaritalStatus>,
    #[serde(default, skip_serializing_if = "Flags::is_empty")]
    pub flags: Flags,
    /// Monthly pension or social-insurance benefit, when `has_pension` (for the social
    /// pension's "lower than" test).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pension_amount: Option<Money>,
}

fn no_disability() -> DisabilityLevel {
    DisabilityLevel::None
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Household {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// hộ nghèo / hộ cận nghèo in the month evaluated.
    pub poverty: PovertyStatus,
    #[serde(default, skip_serializing_if = "Flags::is_empty")]
    pub flags: Flags,
}

impl Default for Household {
    fn default() -> Household {
        Household {
            id: None,
            poverty: PovertyStatus::None,
            flags: Flags::EMPTY,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Child {
    pub birth_date: BirthDate,
    #[serde(default)]
    pub studying: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub death_date: Option<NaiveDate>,
}

/// Who looks after a person living in the community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CareArrangement {
    /// nhận chăm sóc, nuôi dưỡng: a foster household or individual.
    Foster,
    /// hộ gia đình trực tiếp chăm sóc: the person's own household.
    OwnHousehold,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Care {
    pub arrangement: CareArrangement,
    /// The payee of the caregiving support (foster carer or household), as the registry
    /// knows them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carer_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FacilityStay {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facility_id: Option<String>,
    pub admitted: Month,
    /// Last month in the facility (paid in full); none = still there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left: Option<Month>,
}

impl FacilityStay {
    pub fn covers(&self, month: Month) -> bool {
        self.admitted <= month && self.left.is_none_or(|left| month <= left)
    }
}

/// Months in which the competent chairman signed each decision. A missing decision means
/// "not decided yet": the engine then screens (what would be due), without a start gate.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decisions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowance: Option<Month>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caregiving: Option<Month>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facility: Option<Month>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub social_pension: Option<Month>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Move {
    /// The month written in the old locality's stop decision: paid there in full.
    pub stop_month: Month,
    /// Province of the new residence (2 digits).
    pub to_province: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stop {
    /// Month eligibility was lost (paid in full; nothing from the month after).
    pub month: Month,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Emergency {
    pub kind: EmergencyKind,
    pub date: NaiveDate,
    /// People in the household (rice is per person).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household_members: Option<u32>,
    /// Months of food shortage asked for (capped by the rule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub months: Option<u32>,
    /// Days treated at a health facility (an injury is serious from the rule's minimum).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub treatment_days: Option<u32>,
}

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Option<$name> {
                match text {
                    $($text $(| $alias)* => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// Position in [`Self::ALL`], for bit masks.
            pub fn index(self) -> usize {
                self as usize
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                ansinh_domain::text::parse_text(d, "a code as a text", |text| {
                    $name::parse(text).ok_or_else(|| {
                        let known: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                        format!("{text:?} is not one of {}", known.join(", "))
                    })
                })
            }
        }
    };
}

vocabulary!(
    /// The points a–l of NĐ 20/2021 Art. 5(1) (same structure in 136/2013 Art. 5(1)).
    K1Case {
        /// bị bỏ rơi chưa có người nhận làm con nuôi
        A = "a",
        /// mồ côi cả cha và mẹ
        B = "b",
        /// mồ côi cha hoặc mẹ, người còn lại mất tích
        C = "c",
        /// mồ côi cha hoặc mẹ, người còn lại ở cơ sở trợ giúp xã hội, nhà xã hội
        D = "d",
        /// mồ côi cha hoặc mẹ, người còn lại chấp hành án phạt tù / biện pháp xử lý hành chính
        Dd = "đ" | "dd",
        /// cả cha và mẹ mất tích
        E = "e",
        /// cả cha và mẹ ở cơ sở trợ giúp xã hội
        G = "g",
        /// cả cha và mẹ chấp hành án phạt tù / biện pháp xử lý hành chính
        H = "h",
        /// cha hoặc mẹ mất tích, người còn lại ở cơ sở
        I = "i",
        /// cha hoặc mẹ mất tích, người còn lại chấp hành án
        K = "k",
        /// cha hoặc mẹ ở cơ sở, người còn lại chấp hành án
        L = "l",
    }
);

vocabulary!(
    /// Tình trạng hôn nhân.
    MaritalStatus {
        NeverMarried = "never_married",
        Married = "married",
        Divorced = "divorced",
        Widowed = "widowed",
        /// chồng hoặc vợ bị tuyên bố mất tích
        SpouseMissing = "spouse_missing",
    }
);

vocabulary!(
    /// Kinds of emergency (sự kiện khẩn cấp) that trigger one-off help.
    EmergencyKind {
        /// thiếu đói dịp Tết
        TetFood = "tet_food",
        /// thiếu đói sau thiên tai, hỏa hoạn, mất mùa, giáp hạt
        FoodShortage = "food_shortage",
        /// bị thương nặng
        SeriousInjury = "serious_injury",
        /// người chết, mất tích do thiên tai, hỏa hoạn, tai nạn…
        DeathOrMissing = "death_or_missing",
        /// mai táng do cơ quan, tổ chức thực hiện
        BurialByAgency = "burial_by_agency",
        /// nhà bị đổ, sập, trôi, cháy
        HouseDestroyed = "house_destroyed",
        /// di dời khẩn cấp
        Relocation = "relocation",
        /// nhà hư hỏng nặng
        HouseDamaged = "house_damaged",
    }
);

vocabulary!(
    /// Yes/no facts the rules may test. Person flags go in `person.flags`, household flags in
    /// `household.flags`.
    Flag {
        /// đang học (phổ thông, nghề, trung cấp, cao đẳng, đại học văn bằng 1)
        Studying = "studying",
        /// nhiễm HIV/AIDS (never shown on public postings)
        Hiv = "hiv",
        /// có người có nghĩa vụ và quyền phụng dưỡng
        HasSupporter = "has_supporter",
        /// người phụng dưỡng đang hưởng trợ cấp xã hội hằng tháng
        SupporterOnAllowance = "supporter_on_allowance",
        /// có lương hưu hoặc trợ cấp bảo hiểm xã hội hằng tháng
        HasPension = "has_pension",
        /// có nguồn thu nhập ổn định hằng tháng
        StableIncome = "stable_income",
        /// không còn khả năng lao động
        UnableToWork = "unable_to_work",
        /// đã hưởng trợ cấp khi là trẻ em không có nguồn nuôi dưỡng (k1)
        ReceivedK1 = "received_k1",
        /// đủ điều kiện vào cơ sở nhưng được nhận chăm sóc tại cộng đồng (k5d)
        CommunityCare = "community_care",
        /// đang mang thai
        Pregnant = "pregnant",
        /// vợ/chồng (cũng khuyết tật) đã nhận hỗ trợ nuôi con
        SpouseReceivesChildcareSupport = "spouse_receives_childcare_support",
        /// hưởng trợ cấp tuất hoặc trợ cấp hằng tháng khác (mai táng, 80+)
        SurvivorBenefit = "survivor_benefit",
        /// là con của người đơn thân nghèo đang hưởng trợ cấp (mai táng)
        ChildOfK4Beneficiary = "child_of_k4_beneficiary",
        /// đã có văn bản đề nghị hưởng trợ cấp hưu trí xã hội
        SocialPensionRequested = "social_pension_requested",
        /// household: ở xã, thôn vùng đồng bào dân tộc thiểu số và miền núi đặc biệt khó khăn
        EthnicMinorityExtremelyDifficultArea = "ethnic_minority_extremely_difficult_area",
        /// household: hộ gia đình có hoàn cảnh khó khăn
        HardshipHousehold = "hardship_household",
    }
);

impl Flag {
    /// Household flags describe the household; the others describe the person.
    pub fn is_household(self) -> bool {
        matches!(
            self,
            Flag::EthnicMinorityExtremelyDifficultArea | Flag::HardshipHousehold
        )
    }

    pub fn bit(self) -> u32 {
        1 << self.index()
    }
}

/// A set of [`Flag`]s as a bit set (cheap to test on the hot path); a list of names in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Flags(pub u32);

impl Flags {
    pub const EMPTY: Flags = Flags(0);

    pub fn of(flags: &[Flag]) -> Flags {
        Flags(flags.iter().fold(0, |bits, f| bits | f.bit()))
    }

    pub fn contains(self, flag: Flag) -> bool {
        self.0 & flag.bit() != 0
    }

    pub fn insert(&mut self, flag: Flag) {
        self.0 |= flag.bit();
    }

    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = Flag> {
        Flag::ALL.iter().copied().filter(move |f| self.contains(*f))
    }
}

impl Serialize for Flags {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter().map(Flag::as_str))
    }
}

impl<'de> Deserialize<'de> for Flags {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Flags, D::Error> {
        /// Flag by flag into the bit set, without a list in between.
        struct FlagList;
        impl<'de> serde::de::Visitor<'de> for FlagList {
            type Value = Flags;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of flags")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Flags, A::Error> {
                let mut flags = Flags::EMPTY;
                while let Some(flag) = seq.next_element::<Flag>()? {
                    flags.insert(flag);
                }
                Ok(flags)
            }
        }
        d.deserialize_seq(FlagList)
    }
}

impl Situation {
    /// A situation with only a birth date: the start of builders in tests and screening.
    pub fn of_person(birth_date: BirthDate) -> Situation {
        Situation {
            province: None,
            person: Person {
                id: None,
                birth_date,
                sex: None,
                death_date: None,
                disability: DisabilityLevel::None,
                certificate_month: None,
                k1_case: None,
                marital_status: None,
                flags: Flags::EMPTY,
                pension_amount: None,
            },
            household: Household::default(),
            children: Vec::new(),
            care: None,
            facility: None,
            decisions: Decisions::default(),
            groups: Vec::new(),
            moves: Vec::new(),
            stop: None,
            emergencies: Vec::new(),
        }
    }

    /// The province paying in `month`: the last move whose stop month is before it decides.
    pub fn province_in(&self, month: Month) -> Option<&str> {
        self.moves
            .iter()
            .rev()
            .find(|m| m.stop_month < month)
            .map(|m| m.to_province.as_str())
            .or(self.province.as_deref())
    }

    /// Person and household flags together.
    pub fn all_flags(&self) -> Flags {
        Flags(self.person.flags.0 | self.household.flags.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabularies_round_trip() {
        for f in Flag::ALL {
            assert_eq!(Flag::parse(f.as_str()), Some(*f));
        }
        assert_eq!(K1Case::parse("dd"), Some(K1Case::Dd));
        assert_eq!(K1Case::parse("đ"), Some(K1Case::Dd));
        assert!(Flag::ALL.len() <= 32, "flags must fit the u32 bit set");
    }

    #[test]
    fn flags_serialise_as_names() {
        let flags = Flags::of(&[Flag::Hiv, Flag::Studying]);
        let json = serde_json::to_string(&flags).unwrap();
        assert_eq!(json, r#"["studying","hiv"]"#);
        let back: Flags = serde_json::from_str(&json).unwrap();
        assert_eq!(back, flags);
    }

    #[test]
    fn moves_change_the_paying_province_after_the_stop_month() {
        let mut s = Situation::of_person(BirthDate::Year(1950));
        s.province = Some("84".into());
        s.moves.push(Move {
            stop_month: "2024-05".parse().unwrap(),
            to_province: "86".into(),
        });
        assert_eq!(s.province_in("2024-05".parse().unwrap()), Some("84"));
        assert_eq!(s.province_in("2024-06".parse().unwrap()), Some("86"));
    }
}
