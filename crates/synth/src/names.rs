//! Ethnic groups (dân tộc) and full names (họ và tên).

use ansinh_domain::person::Sex;
use serde::Serialize;

use crate::names_data::{self, ByEra, NameData, Style};
use crate::rng::{Rng, Weighted};

/// Dân tộc — the ethnic groups the generator can name, with their GSO codes from
/// `data/ethnicities.csv` (Quyết định 121-TCTK/PPCĐ).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ethnicity {
    Kinh,
    Tay,
    Thai,
    Hoa,
    /// Khơ-me.
    Khmer,
    Muong,
    Nung,
    Hmong,
    Dao,
    /// Gia-rai.
    Jarai,
    /// Ê-đê.
    Ede,
}

impl Ethnicity {
    pub const ALL: [Ethnicity; 11] = [
        Ethnicity::Kinh,
        Ethnicity::Tay,
        Ethnicity::Thai,
        Ethnicity::Hoa,
        Ethnicity::Khmer,
        Ethnicity::Muong,
        Ethnicity::Nung,
        Ethnicity::Hmong,
        Ethnicity::Dao,
        Ethnicity::Jarai,
        Ethnicity::Ede,
    ];

    /// The GSO code, as stored in `PersonDraft::ethnicity_code`.
    pub fn code(self) -> &'static str {
        match self {
            Ethnicity::Kinh => "01",
            Ethnicity::Tay => "02",
            Ethnicity::Thai => "03",
            Ethnicity::Hoa => "04",
            Ethnicity::Khmer => "05",
            Ethnicity::Muong => "06",
            Ethnicity::Nung => "07",
            Ethnicity::Hmong => "08",
            Ethnicity::Dao => "09",
            Ethnicity::Jarai => "10",
            Ethnicity::Ede => "12",
        }
    }

    /// The Vietnamese name as in `data/ethnicities.csv`.
    pub fn name_vi(self) -> &'static str {
        match self {
            Ethnicity::Kinh => "Kinh",
            Ethnicity::Tay => "Tày",
            Ethnicity::Thai => "Thái",
            Ethnicity::Hoa => "Hoa",
            Ethnicity::Khmer => "Khơ-me",
            Ethnicity::Muong => "Mường",
            Ethnicity::Nung => "Nùng",
            Ethnicity::Hmong => "HMông",
            Ethnicity::Dao => "Dao",
            Ethnicity::Jarai => "Gia-rai",
            Ethnicity::Ede => "Ê-đê",
        }
    }

    pub fn from_code(code: &str) -> Option<Ethnicity> {
        Ethnicity::ALL.into_iter().find(|e| e.code() == code)
    }

    /// Ethnic minority (dân tộc thiểu số): every group but the Kinh.
    pub fn is_minority(self) -> bool {
        self != Ethnicity::Kinh
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    fn data(self) -> &'static NameData {
        match self {
            Ethnicity::Kinh => &names_data::KINH,
            Ethnicity::Tay => &names_data::TAY,
            Ethnicity::Thai => &names_data::THAI,
            Ethnicity::Hoa => &names_data::HOA,
            Ethnicity::Khmer => &names_data::KHMER,
            Ethnicity::Muong => &names_data::MUONG,
            Ethnicity::Nung => &names_data::NUNG,
            Ethnicity::Hmong => &names_data::HMONG,
            Ethnicity::Dao => &names_data::DAO,
            Ethnicity::Jarai => &names_data::JARAI,
            Ethnicity::Ede => &names_data::EDE,
        }
    }
}

/// Naming era of a birth year: 0 before 1960, 1 for 1960–1989, 2 from 1990.
pub(crate) fn era(birth_year: i32) -> usize {
    match birth_year {
        ..1960 => 0,
        1960..1990 => 1,
        _ => 2,
    }
}

#[derive(Debug, Clone)]
struct ListPicker {
    names: &'static [ByEra],
    by_era: [Weighted; 3],
}

impl ListPicker {
    fn new(names: &'static [ByEra]) -> ListPicker {
        let for_era = |e: usize| Weighted::new(names.iter().map(|(_, w)| u64::from(w[e])));
        ListPicker {
            names,
            by_era: [for_era(0), for_era(1), for_era(2)],
        }
    }

    fn pick(&self, rng: &mut Rng, era: usize) -> Option<&'static str> {
        let i = self.by_era.get(era)?.sample(rng)?;
        self.names.get(i).map(|(n, _)| *n)
    }
}

#[derive(Debug, Clone)]
struct Table {
    family_names: &'static [names_data::Family],
    family: Weighted,
    male_middle: ListPicker,
    female_middle: ListPicker,
    male_given: ListPicker,
    female_given: ListPicker,
    kinh_percent: [u8; 3],
    style: Style,
}

impl Table {
    fn new(data: &'static NameData) -> Table {
        Table {
            family_names: data.family,
            family: Weighted::new(data.family.iter().map(|(_, w)| u64::from(*w))),
            male_middle: ListPicker::new(data.male_middle),
            female_middle: ListPicker::new(data.female_middle),
            male_given: ListPicker::new(data.male_given),
            female_given: ListPicker::new(data.female_given),
            kinh_percent: data.kinh_given_percent,
            style: data.style,
        }
    }

    fn middle(&self, sex: Sex) -> &ListPicker {
        match sex {
            Sex::Male => &self.male_middle,
            Sex::Female => &self.female_middle,
        }
    }

    fn given(&self, sex: Sex) -> &ListPicker {
        match sex {
            Sex::Male => &self.male_given,
            Sex::Female => &self.female_given,
        }
    }
}

/// Precomputed weighted tables for every group: built once per generator, so that naming a
/// person is a handful of binary searches and one string allocation.
#[derive(Debug, Clone)]
pub(crate) struct NameTables {
    tables: Vec<Table>,
}

impl NameTables {
    pub(crate) fn new() -> NameTables {
        NameTables {
            tables: Ethnicity::ALL
                .iter()
                .map(|e| Table::new(e.data()))
                .collect(),
        }
    }

    fn table(&self, eth: Ethnicity) -> Option<&Table> {
        self.tables.get(eth.index())
    }

    /// A family name (họ) drawn for the group.
    pub(crate) fn family(&self, rng: &mut Rng, eth: Ethnicity) -> &'static str {
        self.table(eth)
            .and_then(|t| {
                let i = t.family.sample(rng)?;
                t.family_names.get(i).map(|(n, _)| *n)
            })
            .unwrap_or("Nguyễn")
    }

    /// A full name. `family` carries an inherited family name (children take their father's).
    pub(crate) fn full_name(
        &self,
        rng: &mut Rng,
        eth: Ethnicity,
        sex: Sex,
        birth_year: i32,
        family: Option<&'static str>,
    ) -> String {
        let family = match family {
            Some(f) => f,
            None => self.family(rng, eth),
        };
        let mut name = String::with_capacity(40);
        let (Some(own), Some(kinh)) = (self.table(eth), self.table(Ethnicity::Kinh)) else {
            name.push_str(family);
            return name;
        };
        let era = era(birth_year);
        let use_kinh =
            rng.below(100) < u64::from(own.kinh_percent.get(era).copied().unwrap_or(100));
        match own.style {
            Style::Ede => {
                name.push_str(if sex == Sex::Male { "Y " } else { "H'" });
                push_opt(&mut name, own.given(sex).pick(rng, era));
                name.push(' ');
                name.push_str(family);
            }
            Style::Jarai => {
                name.push_str(family);
                if use_kinh {
                    // Gia-rai women keep the "H'" before a Vietnamese given name.
                    name.push(' ');
                    if sex == Sex::Female {
                        name.push_str("H'");
                    }
                    push_opt(&mut name, kinh.given(sex).pick(rng, era));
                } else {
                    name.push(' ');
                    push_opt(&mut name, own.given(sex).pick(rng, era));
                }
            }
            Style::Khmer if !use_kinh => {
                name.push_str(family);
                let middle_share = if sex == Sex::Female { 75 } else { 12 };
                if rng.below(100) < middle_share {
                    name.push(' ');
                    push_opt(&mut name, own.middle(sex).pick(rng, era));
                }
                name.push(' ');
                push_opt(&mut name, own.given(sex).pick(rng, era));
            }
            Style::Vietnamese | Style::Khmer => {
                name.push_str(family);
                let (middles, givens) = if use_kinh && own.style == Style::Khmer {
                    (kinh.middle(sex), kinh.given(sex))
                } else if use_kinh {
                    (own.middle(sex), kinh.given(sex))
                } else {
                    (own.middle(sex), own.given(sex))
                };
                let first = middles.pick(rng, era);
                if let Some(m) = first {
                    name.push(' ');
                    name.push_str(m);
                }
                // Two middle names ("Nguyễn Thị Ngọc Hân", "Trần Hoàng Gia Huy") became common
                // for people born from the 1960s, mostly for women after "Thị".
                let second_share = match (sex, first, era) {
                    (_, _, 0) => 0,
                    (Sex::Female, Some("Thị"), 1) => 15,
                    (Sex::Female, Some("Thị"), _) => 30,
                    (_, Some("Văn"), _) => 0,
                    (_, _, 1) => 3,
                    _ => 10,
                };
                if rng.below(100) < second_share
                    && let Some(second) = middles.pick(rng, era)
                    && Some(second) != first
                    && second != "Thị"
                    && second != "Văn"
                {
                    name.push(' ');
                    name.push_str(second);
                }
                name.push(' ');
                push_opt(&mut name, givens.pick(rng, era));
            }
        }
        name
    }
}

fn push_opt(name: &mut String, part: Option<&str>) {
    name.push_str(part.unwrap_or("An"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Stream;
    use ansinh_domain::fold::normalise_name;

    #[test]
    fn every_name_part_is_nfc_and_uses_name_characters_only() {
        let tables = NameTables::new();
        let mut rng = Rng::new(3, Stream::People);
        for eth in Ethnicity::ALL {
            for year in [1930, 1975, 2015] {
                for sex in [Sex::Male, Sex::Female] {
                    for _ in 0..300 {
                        let n = tables.full_name(&mut rng, eth, sex, year, None);
                        assert_eq!(normalise_name(&n), n, "{eth:?} {n}");
                        assert!(n.split(' ').count() >= 2, "{n}");
                        assert!(
                            n.chars()
                                .all(|c| c.is_alphabetic() || c == ' ' || c == '\''),
                            "{n}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn codes_round_trip() {
        for e in Ethnicity::ALL {
            assert_eq!(Ethnicity::from_code(e.code()), Some(e));
        }
        assert_eq!(Ethnicity::Khmer.code(), "05");
        assert_eq!(Ethnicity::Hoa.code(), "04");
    }

    #[test]
    fn naming_fashions_follow_the_era() {
        let tables = NameTables::new();
        let mut rng = Rng::new(5, Stream::People);
        let count = |rng: &mut Rng, year: i32| {
            (0..2000)
                .filter(|_| {
                    tables
                        .full_name(rng, Ethnicity::Kinh, Sex::Female, year, None)
                        .contains(" Thị ")
                })
                .count()
        };
        let old = count(&mut rng, 1940);
        let young = count(&mut rng, 2010);
        assert!(old > 1700 && young < 1000, "old {old}, young {young}");
    }

    #[test]
    fn inherited_family_names_are_kept() {
        let tables = NameTables::new();
        let mut rng = Rng::new(5, Stream::People);
        let n = tables.full_name(&mut rng, Ethnicity::Khmer, Sex::Male, 1990, Some("Thạch"));
        assert!(n.starts_with("Thạch "), "{n}");
        let n = tables.full_name(&mut rng, Ethnicity::Ede, Sex::Female, 1990, Some("Niê"));
        assert!(n.starts_with("H'") && n.ends_with(" Niê"), "{n}");
    }
}
