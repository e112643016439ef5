//! Reference data shipped in the repository (`data/`), embedded in the binary: the
//! administrative-unit lists with their validity and successions, and the ethnic groups.
//! The program never reads `../shared` or the file system for these.

use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};

use crate::error::StoreError;

const LISTS_TOML: &str = include_str!("../../../data/units/lists.toml");
const ETHNICITIES_CSV: &str = include_str!("../../../data/ethnicities.csv");

/// Embedded files by name, as referenced from `lists.toml`.
fn embedded(name: &str) -> Option<&'static str> {
    Some(match name {
        "travinh_2024_units.csv" => include_str!("../../../data/units/travinh_2024_units.csv"),
        "travinh_20250301_units.csv" => {
            include_str!("../../../data/units/travinh_20250301_units.csv")
        }
        "vinhlong_2025_units.csv" => include_str!("../../../data/units/vinhlong_2025_units.csv"),
        "vinhlong_2025_merge_map.csv" => {
            include_str!("../../../data/units/vinhlong_2025_merge_map.csv")
        }
        "provinces_2025.csv" => include_str!("../../../data/units/provinces_2025.csv"),
        "communes_2025.csv" => include_str!("../../../data/units/communes_2025.csv"),
        _ => return None,
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    list: Vec<ListSpec>,
    succession: Vec<SuccessionSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListSpec {
    id: String,
    file: String,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
    levels: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SuccessionSpec {
    from: String,
    to: String,
    effective: NaiveDate,
    #[serde(default)]
    pairs: Vec<PairSpec>,
    map_file: Option<String>,
    #[serde(default)]
    provinces: Vec<ProvincePair>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PairSpec {
    old: String,
    new: String,
    kind: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProvincePair {
    old: String,
    new: String,
}

#[derive(Debug, Deserialize)]
struct UnitRow {
    code: String,
    name: String,
    #[serde(rename = "type")]
    kind: String,
    parent_code: String,
    level: String,
}

#[derive(Debug, Deserialize)]
struct MapRow {
    new_code: String,
    old_code: String,
    merge_type: String,
}

/// A unit version to create. Keyed by (code, valid_from), which is unique.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedUnit {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub level: String,
    pub parent: Option<(String, NaiveDate)>,
    pub list_id: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

impl PlannedUnit {
    pub fn key(&self) -> (String, NaiveDate) {
        (self.code.clone(), self.valid_from)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedSuccession {
    pub from: (String, NaiveDate),
    pub to: (String, NaiveDate),
    pub kind: String,
    pub effective: NaiveDate,
}

#[derive(Debug, Clone, Default)]
pub struct UnitPlan {
    /// Parents always precede their children.
    pub units: Vec<PlannedUnit>,
    pub successions: Vec<PlannedSuccession>,
}

/// Builds the unit versions and successions from the embedded lists.
pub fn unit_plan() -> Result<UnitPlan, StoreError> {
    let manifest: Manifest = toml::from_str(LISTS_TOML)
        .map_err(|e| StoreError::RefData(format!("data/units/lists.toml: {e}")))?;
    // The current version of each code while walking the lists in order.
    let mut plan = UnitPlan::default();
    let mut index_of: HashMap<(String, NaiveDate), usize> = HashMap::new();
    let mut current: HashMap<String, (String, NaiveDate)> = HashMap::new();
    let mut previous_list: Option<(String, HashMap<String, UnitRow>)> = None;

    for list in &manifest.list {
        let text = embedded(&list.file)
            .ok_or_else(|| StoreError::RefData(format!("unknown list file {}", list.file)))?;
        let rows = read_units(text, &list.file)?;
        let by_code: HashMap<String, UnitRow> = rows
            .iter()
            .map(|r| (r.code.clone(), clone_row(r)))
            .collect();
        let succ = manifest.succession.iter().find(|s| s.to == list.id);
        // Codes that receive territory from another code cannot simply continue.
        let mut reshaped: HashSet<String> = HashSet::new();
        if let Some(s) = succ {
            for p in &s.pairs {
                reshaped.insert(p.new.clone());
            }
        }
        let mut new_current: HashMap<String, (String, NaiveDate)> = HashMap::new();
        for row in &rows {
            let level = list.levels.get(&row.level).cloned().ok_or_else(|| {
                StoreError::RefData(format!(
                    "{}: unknown level {} for {}",
                    list.file, row.level, row.code
                ))
            })?;
            let continues = previous_list.as_ref().is_some_and(|(_, prev)| {
                prev.get(&row.code).is_some_and(|old| {
                    old.name == row.name
                        && old.kind == row.kind
                        && old.parent_code == row.parent_code
                        && list.levels.get(&row.level) == Some(&level)
                }) && !reshaped.contains(&row.code)
            });
            if continues && let Some(key) = current.get(&row.code).cloned() {
                if let Some(&i) = index_of.get(&key) {
                    plan.units[i].valid_to = list.valid_to;
                }
                new_current.insert(row.code.clone(), key);
                continue;
            }
            let parent = if row.parent_code.is_empty() {
                None
            } else {
                Some(new_current.get(&row.parent_code).cloned().ok_or_else(|| {
                    StoreError::RefData(format!(
                        "{}: parent {} of {} must come earlier in the file",
                        list.file, row.parent_code, row.code
                    ))
                })?)
            };
            let unit = PlannedUnit {
                code: row.code.clone(),
                name: row.name.clone(),
                kind: row.kind.clone(),
                level,
                parent,
                list_id: list.id.clone(),
                valid_from: list.valid_from,
                valid_to: list.valid_to,
            };
            let key = unit.key();
            if index_of.contains_key(&key) {
                return Err(StoreError::RefData(format!(
                    "duplicate unit {} from {}",
                    key.0, key.1
                )));
            }
            index_of.insert(key.clone(), plan.units.len());
            plan.units.push(unit);
            new_current.insert(row.code.clone(), key);
        }
        // Close the versions of the previous list that do not continue.
        if let Some((prev_id, prev_rows)) = &previous_list {
            let prev_spec = manifest.list.iter().find(|l| &l.id == prev_id);
            for code in prev_rows.keys() {
                let Some(key) = current.get(code) else {
                    continue;
                };
                let continued = new_current.get(code) == Some(key);
                if !continued && let Some(&i) = index_of.get(key) {
                    let end = prev_spec
                        .and_then(|p| p.valid_to)
                        .or(list.valid_from.pred_opt());
                    plan.units[i].valid_to = end;
                }
            }
            if let Some(s) = succ {
                plan_successions(s, &current, &new_current, &mut plan)?;
            }
        }
        current = new_current;
        previous_list = Some((list.id.clone(), by_code));
    }
    Ok(plan)
}

fn plan_successions(
    spec: &SuccessionSpec,
    old: &HashMap<String, (String, NaiveDate)>,
    new: &HashMap<String, (String, NaiveDate)>,
    plan: &mut UnitPlan,
) -> Result<(), StoreError> {
    let mut pairs: Vec<(String, String, String)> = spec
        .pairs
        .iter()
        .map(|p| (p.old.clone(), p.new.clone(), p.kind.clone()))
        .collect();
    if let Some(file) = &spec.map_file {
        let text = embedded(file)
            .ok_or_else(|| StoreError::RefData(format!("unknown map file {file}")))?;
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        for row in reader.deserialize::<MapRow>() {
            let row = row.map_err(|e| StoreError::RefData(format!("{file}: {e}")))?;
            // The map covers three old provinces; keep the pairs whose old unit we hold.
            if old.contains_key(&row.old_code) {
                pairs.push((row.old_code, row.new_code, row.merge_type));
            }
        }
    }
    for p in &spec.provinces {
        pairs.push((p.old.clone(), p.new.clone(), "full".into()));
    }
    for (old_code, new_code, kind) in pairs {
        let from = old.get(&old_code).cloned().ok_or_else(|| {
            StoreError::RefData(format!(
                "succession {}: unknown old unit {old_code}",
                spec.from
            ))
        })?;
        let to = new.get(&new_code).cloned().ok_or_else(|| {
            StoreError::RefData(format!(
                "succession {}: unknown new unit {new_code}",
                spec.to
            ))
        })?;
        if from == to {
            continue;
        }
        plan.successions.push(PlannedSuccession {
            from,
            to,
            kind,
            effective: spec.effective,
        });
    }
    Ok(())
}

fn read_units(text: &str, file: &str) -> Result<Vec<UnitRow>, StoreError> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader
        .deserialize::<UnitRow>()
        .map(|r| r.map_err(|e| StoreError::RefData(format!("{file}: {e}"))))
        .collect()
}

fn clone_row(r: &UnitRow) -> UnitRow {
    UnitRow {
        code: r.code.clone(),
        name: r.name.clone(),
        kind: r.kind.clone(),
        parent_code: r.parent_code.clone(),
        level: r.level.clone(),
    }
}

/// One ethnic group of the official list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ethnicity {
    pub code: String,
    pub name: String,
    pub name_en: String,
}

pub fn ethnicities() -> Result<Vec<Ethnicity>, StoreError> {
    #[derive(Deserialize)]
    struct Row {
        code: String,
        name: String,
        name_en: String,
    }
    let mut reader = csv::Reader::from_reader(ETHNICITIES_CSV.as_bytes());
    reader
        .deserialize::<Row>()
        .map(|r| {
            r.map(|r| Ethnicity {
                code: r.code,
                name: r.name,
                name_en: r.name_en,
            })
            .map_err(|e| StoreError::RefData(format!("data/ethnicities.csv: {e}")))
        })
        .collect()
}

/// The 34 provinces and 3,321 communes valid from 1 July 2025, for national synthetic data.
pub fn national_communes() -> Result<Vec<(String, String, String, String)>, StoreError> {
    #[derive(Deserialize)]
    struct Row {
        code: String,
        name: String,
        #[serde(rename = "type")]
        kind: String,
        province_code: String,
    }
    let text = embedded("communes_2025.csv")
        .ok_or_else(|| StoreError::RefData("communes_2025.csv missing".into()))?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader
        .deserialize::<Row>()
        .map(|r| {
            r.map(|r| (r.code, r.name, r.kind, r.province_code))
                .map_err(|e| StoreError::RefData(format!("communes_2025.csv: {e}")))
        })
        .collect()
}

/// The 34 provinces from 1 July 2025: (code, name, type).
pub fn national_provinces() -> Result<Vec<(String, String, String)>, StoreError> {
    #[derive(Deserialize)]
    struct Row {
        code: String,
        name: String,
        #[serde(rename = "type")]
        kind: String,
    }
    let text = embedded("provinces_2025.csv")
        .ok_or_else(|| StoreError::RefData("provinces_2025.csv missing".into()))?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader
        .deserialize::<Row>()
        .map(|r| {
            r.map(|r| (r.code, r.name, r.kind))
                .map_err(|e| StoreError::RefData(format!("provinces_2025.csv: {e}")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn valid_at<'a>(plan: &'a UnitPlan, date: NaiveDate, level: &str) -> Vec<&'a PlannedUnit> {
        plan.units
            .iter()
            .filter(|u| {
                u.level == level && u.valid_from <= date && u.valid_to.is_none_or(|t| date <= t)
            })
            .collect()
    }

    #[test]
    fn the_tree_has_the_official_counts_at_each_date() {
        let plan = unit_plan().unwrap();
        assert_eq!(valid_at(&plan, d(2024, 12, 1), "province").len(), 1);
        assert_eq!(valid_at(&plan, d(2024, 12, 1), "district").len(), 9);
        assert_eq!(valid_at(&plan, d(2024, 12, 1), "commune").len(), 106);
        assert_eq!(valid_at(&plan, d(2025, 3, 1), "district").len(), 9);
        assert_eq!(valid_at(&plan, d(2025, 3, 1), "commune").len(), 104);
        assert_eq!(valid_at(&plan, d(2025, 8, 1), "district").len(), 0);
        assert_eq!(valid_at(&plan, d(2025, 8, 1), "commune").len(), 124);
        assert_eq!(valid_at(&plan, d(2025, 8, 1), "province")[0].code, "86");
    }

    #[test]
    fn unchanged_units_continue_and_reshaped_ones_split() {
        let plan = unit_plan().unwrap();
        // Phường 3 absorbed Phường 2 and 6 on 1 January 2025: a new version from that day.
        let p3: Vec<_> = plan.units.iter().filter(|u| u.code == "29242").collect();
        assert_eq!(
            p3.len(),
            3,
            "Phường 3 (2024), Phường 3 (2025), Phường Trà Vinh"
        );
        // Phường 7 continues from 2008 to 30 June 2025 as one version.
        let phuong_7: Vec<_> = plan.units.iter().filter(|u| u.code == "29254").collect();
        assert!(!phuong_7.is_empty());
        assert_eq!(phuong_7[0].valid_to, Some(d(2025, 6, 30)));
        assert_eq!(phuong_7[0].valid_from, d(2008, 1, 1));
    }

    #[test]
    fn every_old_commune_has_a_successor() {
        let plan = unit_plan().unwrap();
        let succeeded: HashSet<_> = plan.successions.iter().map(|s| s.from.clone()).collect();
        for u in plan
            .units
            .iter()
            .filter(|u| u.level == "commune" && u.valid_to.is_some())
        {
            assert!(
                succeeded.contains(&u.key()),
                "{} {} has no successor",
                u.code,
                u.name
            );
        }
    }

    #[test]
    fn the_ethnic_list_has_54_groups() {
        let list = ethnicities().unwrap();
        assert_eq!(list.len(), 54);
        assert_eq!(list[4].name, "Khơ-me");
    }
}
