//! The administrative-unit tree over time.
//!
//! Units are versions: a code valid over a period. Reforms end some versions and begin others,
//! linked by successions (old → new, full or partial). Records keep the unit version they were
//! made in; a view "at date D" maps every version onto the tree valid at D. Each version maps
//! to exactly one unit at any date (its *primary* image), so counts taken at any date add up.

use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

use crate::ids::UnitId;
use crate::unit::UnitLevel;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitVersion {
    pub id: UnitId,
    pub code: String,
    pub name: String,
    /// Vietnamese type in lower case: tỉnh, huyện, thị xã, xã, phường, thị trấn…
    pub kind: String,
    pub level: UnitLevel,
    pub parent: Option<UnitId>,
    pub valid_from: NaiveDate,
    /// Inclusive; `None` while still valid.
    pub valid_to: Option<NaiveDate>,
}

impl UnitVersion {
    pub fn valid_at(&self, date: NaiveDate) -> bool {
        self.valid_from <= date && self.valid_to.is_none_or(|to| date <= to)
    }
}

/// How an old unit went into a new one (from the official conversion tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MergeKind {
    /// Nhập toàn bộ: the whole old unit.
    Full,
    /// Nhập một phần: part of the old unit; it appears under several new units.
    Partial,
    /// Giữ nguyên: not rearranged, only re-coded or re-parented.
    Unchanged,
}

impl MergeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MergeKind::Full => "full",
            MergeKind::Partial => "partial",
            MergeKind::Unchanged => "unchanged",
        }
    }

    pub fn parse(s: &str) -> Option<MergeKind> {
        match s {
            "full" => Some(MergeKind::Full),
            "partial" => Some(MergeKind::Partial),
            "unchanged" => Some(MergeKind::Unchanged),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Succession {
    pub from: UnitId,
    pub to: UnitId,
    pub kind: MergeKind,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnitGraphError {
    #[error("unit {0} has an unknown parent")]
    UnknownParent(UnitId),
    #[error("succession refers to unknown unit {0}")]
    UnknownUnit(UnitId),
    #[error("unit {0} is its own ancestor")]
    Cycle(UnitId),
}

/// The whole unit history, in memory: small reference data (a few thousand versions
/// nationally), read on every scoped query.
#[derive(Debug, Clone, Default)]
pub struct UnitGraph {
    units: HashMap<UnitId, UnitVersion>,
    children: HashMap<UnitId, Vec<UnitId>>,
    successors: HashMap<UnitId, Vec<(UnitId, MergeKind)>>,
    predecessors: HashMap<UnitId, Vec<(UnitId, MergeKind)>>,
    /// All versions sorted by (level, code, valid_from): deterministic iteration.
    ordered: Vec<UnitId>,
}

impl UnitGraph {
    pub fn new(
        units: Vec<UnitVersion>,
        successions: Vec<Succession>,
    ) -> Result<UnitGraph, UnitGraphError> {
        let mut graph = UnitGraph::default();
        for unit in units {
            graph.units.insert(unit.id, unit);
        }
        for unit in graph.units.values() {
            if let Some(parent) = unit.parent {
                if !graph.units.contains_key(&parent) {
                    return Err(UnitGraphError::UnknownParent(unit.id));
                }
                graph.children.entry(parent).or_default().push(unit.id);
            }
        }
        for s in successions {
            for id in [s.from, s.to] {
                if !graph.units.contains_key(&id) {
                    return Err(UnitGraphError::UnknownUnit(id));
                }
            }
            graph
                .successors
                .entry(s.from)
                .or_default()
                .push((s.to, s.kind));
            graph
                .predecessors
                .entry(s.to)
                .or_default()
                .push((s.from, s.kind));
        }
        let mut ordered: Vec<UnitId> = graph.units.keys().copied().collect();
        ordered.sort_by(|a, b| {
            let (ua, ub) = (&graph.units[a], &graph.units[b]);
            (ua.level, &ua.code, ua.valid_from).cmp(&(ub.level, &ub.code, ub.valid_from))
        });
        graph.ordered = ordered;
        for list in graph.children.values_mut() {
            list.sort_by(|a, b| graph.units[a].code.cmp(&graph.units[b].code));
        }
        for list in graph
            .successors
            .values_mut()
            .chain(graph.predecessors.values_mut())
        {
            list.sort_by(|a, b| graph.units[&a.0].code.cmp(&graph.units[&b.0].code));
        }
        for id in &graph.ordered {
            let mut seen = HashSet::new();
            let mut cursor = Some(*id);
            while let Some(current) = cursor {
                if !seen.insert(current) {
                    return Err(UnitGraphError::Cycle(*id));
                }
                cursor = graph.units[&current].parent;
            }
        }
        Ok(graph)
    }

    pub fn get(&self, id: UnitId) -> Option<&UnitVersion> {
        self.units.get(&id)
    }

    pub fn len(&self) -> usize {
        self.units.len()
    }

    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    pub fn all(&self) -> impl Iterator<Item = &UnitVersion> {
        self.ordered.iter().map(|id| &self.units[id])
    }

    /// The version of `code` valid at `date`.
    pub fn find(&self, code: &str, date: NaiveDate) -> Option<&UnitVersion> {
        self.all().find(|u| u.code == code && u.valid_at(date))
    }

    /// Units valid at `date` with no parent (provinces).
    pub fn roots_at(&self, date: NaiveDate) -> Vec<UnitId> {
        self.all()
            .filter(|u| u.parent.is_none() && u.valid_at(date))
            .map(|u| u.id)
            .collect()
    }

    pub fn children_at(&self, id: UnitId, date: NaiveDate) -> Vec<UnitId> {
        self.children
            .get(&id)
            .map(|list| {
                list.iter()
                    .copied()
                    .filter(|c| self.units[c].valid_at(date))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Units valid at `date` in the subtree of `id` (itself included), `id` valid at `date`.
    pub fn subtree_at(&self, id: UnitId, date: NaiveDate) -> Vec<UnitId> {
        let mut out = vec![id];
        let mut i = 0;
        while i < out.len() {
            out.extend(self.children_at(out[i], date));
            i += 1;
        }
        out
    }

    /// The unit valid at `date` that version `id` corresponds to (its primary image).
    ///
    /// Forward in time it follows successions (for a partial split, the successor that kept
    /// the code, else the lowest code); backward, predecessions likewise. A unit with no
    /// succession of its own (a district when districts were abolished) maps as its parent
    /// does. With no mapping at all, the unit is its own image.
    pub fn at(&self, id: UnitId, date: NaiveDate) -> UnitId {
        let mut current = id;
        // Each step crosses one reform; the bound guards against malformed data.
        for _ in 0..64 {
            let Some(unit) = self.units.get(&current) else {
                return current;
            };
            if unit.valid_at(date) {
                return current;
            }
            let after = unit.valid_to.is_some_and(|to| date > to);
            let links = if after {
                self.successors.get(&current)
            } else {
                self.predecessors.get(&current)
            };
            match links.and_then(|l| primary_link(unit, l, &self.units)) {
                Some(next) => current = next,
                None => match unit.parent {
                    Some(parent) if after => current = parent,
                    _ => return current,
                },
            }
        }
        current
    }

    /// Ancestors of `id` in its own era, nearest first (the unit itself excluded).
    pub fn ancestors(&self, id: UnitId) -> Vec<UnitId> {
        let mut out = Vec::new();
        let mut cursor = self.units.get(&id).and_then(|u| u.parent);
        while let Some(parent) = cursor {
            out.push(parent);
            cursor = self.units.get(&parent).and_then(|u| u.parent);
        }
        out
    }

    /// Every unit valid at `date` that some part of `id` became (forward in time) or came
    /// from (backward): all successions, partial ones included. Units without successions
    /// of their own (abolished districts) take their parent's.
    fn images_at(&self, id: UnitId, date: NaiveDate) -> Vec<UnitId> {
        let mut out = Vec::new();
        let mut queue = vec![id];
        let mut seen = HashSet::new();
        while let Some(current) = queue.pop() {
            if !seen.insert(current) {
                continue;
            }
            let Some(unit) = self.units.get(&current) else {
                continue;
            };
            if unit.valid_at(date) {
                if !out.contains(&current) {
                    out.push(current);
                }
                continue;
            }
            let after = unit.valid_to.is_some_and(|to| date > to);
            let links = if after {
                self.successors.get(&current)
            } else {
                self.predecessors.get(&current)
            };
            match links {
                Some(links) if !links.is_empty() => queue.extend(links.iter().map(|(l, _)| *l)),
                _ => {
                    if let (true, Some(parent)) = (after, unit.parent) {
                        queue.push(parent);
                    }
                }
            }
        }
        out
    }

    /// The units valid at `date` that the area of `id` covers. For a unit valid at `date`,
    /// its subtree. Otherwise the communes its territory became or came from, with every
    /// ancestor all of whose children are covered (so a whole old province shows as that
    /// province with its districts).
    pub fn area_at(&self, id: UnitId, date: NaiveDate) -> Vec<UnitId> {
        let Some(unit) = self.units.get(&id) else {
            return Vec::new();
        };
        if unit.valid_at(date) {
            return self.subtree_at(id, date);
        }
        let era = if unit.valid_to.is_some_and(|to| date > to) {
            unit.valid_to.unwrap_or(unit.valid_from)
        } else {
            unit.valid_from
        };
        let mut covered: Vec<UnitId> = Vec::new();
        let mut set: HashSet<UnitId> = HashSet::new();
        for member in self.subtree_at(id, era) {
            if self.units[&member].level != UnitLevel::Commune {
                continue;
            }
            for image in self.images_at(member, date) {
                for u in self.subtree_at(image, date) {
                    if set.insert(u) {
                        covered.push(u);
                    }
                }
            }
        }
        // Close upwards: a parent whose children are all covered is covered.
        let mut i = 0;
        while i < covered.len() {
            if let Some(parent) = self.units[&covered[i]].parent {
                let children = self.children_at(parent, date);
                if !set.contains(&parent)
                    && self.units[&parent].valid_at(date)
                    && !children.is_empty()
                    && children.iter().all(|c| set.contains(c))
                {
                    set.insert(parent);
                    covered.push(parent);
                }
            }
            i += 1;
        }
        covered
    }

    /// Every unit version (of any era) whose image at `date` lies in the area of `id` at
    /// `date`. Records whose unit is in this set are inside the area: this is the scope filter.
    pub fn versions_within(&self, id: UnitId, date: NaiveDate) -> Vec<UnitId> {
        let area: HashSet<UnitId> = self.area_at(id, date).into_iter().collect();
        self.ordered
            .iter()
            .copied()
            .filter(|v| area.contains(&self.at(*v, date)))
            .collect()
    }

    /// Display name with its parents at its own era, e.g. "Xã Long Hòa, Huyện Châu Thành".
    pub fn full_name(&self, id: UnitId) -> String {
        let mut parts = Vec::new();
        if let Some(u) = self.units.get(&id) {
            parts.push(u.name.clone());
        }
        for a in self.ancestors(id) {
            if let Some(u) = self.units.get(&a) {
                parts.push(u.name.clone());
            }
        }
        parts.join(", ")
    }
}

fn primary_link(
    unit: &UnitVersion,
    links: &[(UnitId, MergeKind)],
    units: &HashMap<UnitId, UnitVersion>,
) -> Option<UnitId> {
    links
        .iter()
        .find(|(id, _)| units.get(id).is_some_and(|u| u.code == unit.code))
        .or_else(|| links.first())
        .map(|(id, _)| *id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn unit(
        id: i64,
        code: &str,
        level: UnitLevel,
        parent: Option<i64>,
        from: NaiveDate,
        to: Option<NaiveDate>,
    ) -> UnitVersion {
        UnitVersion {
            id: UnitId(id),
            code: code.into(),
            name: format!("U{code}"),
            kind: "xã".into(),
            level,
            parent: parent.map(UnitId),
            valid_from: from,
            valid_to: to,
        }
    }

    /// Province 84 with one district and communes A, B (→ merged into A on 2025-01-01), C;
    /// from 2025-07-01 province 86 with new commune N ← A, C and keeps-code commune B2 ← none.
    fn sample() -> UnitGraph {
        use UnitLevel::*;
        let old_end = Some(d(2025, 6, 30));
        UnitGraph::new(
            vec![
                unit(1, "84", Province, None, d(2008, 1, 1), old_end),
                unit(2, "842", District, Some(1), d(2008, 1, 1), old_end),
                unit(
                    3,
                    "10001",
                    Commune,
                    Some(2),
                    d(2008, 1, 1),
                    Some(d(2024, 12, 31)),
                ),
                unit(
                    4,
                    "10002",
                    Commune,
                    Some(2),
                    d(2008, 1, 1),
                    Some(d(2024, 12, 31)),
                ),
                unit(5, "10001", Commune, Some(2), d(2025, 1, 1), old_end),
                unit(6, "10003", Commune, Some(2), d(2008, 1, 1), old_end),
                unit(7, "86", Province, None, d(2025, 7, 1), None),
                unit(8, "10001", Commune, Some(7), d(2025, 7, 1), None),
                unit(9, "20001", Commune, Some(7), d(2025, 7, 1), None),
            ],
            vec![
                Succession {
                    from: UnitId(3),
                    to: UnitId(5),
                    kind: MergeKind::Full,
                },
                Succession {
                    from: UnitId(4),
                    to: UnitId(5),
                    kind: MergeKind::Full,
                },
                Succession {
                    from: UnitId(5),
                    to: UnitId(8),
                    kind: MergeKind::Full,
                },
                Succession {
                    from: UnitId(6),
                    to: UnitId(8),
                    kind: MergeKind::Full,
                },
                Succession {
                    from: UnitId(1),
                    to: UnitId(7),
                    kind: MergeKind::Full,
                },
            ],
        )
        .unwrap()
    }

    #[test]
    fn versions_map_forward_through_each_reform() {
        let g = sample();
        assert_eq!(g.at(UnitId(4), d(2024, 12, 1)), UnitId(4));
        assert_eq!(g.at(UnitId(4), d(2025, 3, 1)), UnitId(5));
        assert_eq!(g.at(UnitId(4), d(2025, 8, 1)), UnitId(8));
        assert_eq!(g.at(UnitId(6), d(2025, 8, 1)), UnitId(8));
        // A district has no successor: it maps as its parent does.
        assert_eq!(g.at(UnitId(2), d(2025, 8, 1)), UnitId(7));
    }

    #[test]
    fn versions_map_backward_to_the_predecessor_that_kept_the_code() {
        let g = sample();
        assert_eq!(g.at(UnitId(8), d(2024, 6, 1)), UnitId(3));
        assert_eq!(g.at(UnitId(7), d(2024, 6, 1)), UnitId(1));
    }

    #[test]
    fn every_version_has_one_image_so_counts_add_up() {
        let g = sample();
        for date in [d(2024, 12, 1), d(2025, 3, 1), d(2025, 8, 1)] {
            let communes: Vec<UnitId> = g
                .all()
                .filter(|u| u.level == UnitLevel::Commune && u.valid_at(date))
                .map(|u| u.id)
                .collect();
            let mut total = 0;
            for c in &communes {
                total += g
                    .all()
                    .filter(|u| u.level == UnitLevel::Commune && g.at(u.id, date) == *c)
                    .count();
            }
            // Versions with no image in the tree at the date (a commune created later with no
            // recorded predecessor) are counted apart, never twice.
            let unplaced = g
                .all()
                .filter(|u| {
                    u.level == UnitLevel::Commune
                        && !g.get(g.at(u.id, date)).unwrap().valid_at(date)
                })
                .count();
            let all_communes = g.all().filter(|u| u.level == UnitLevel::Commune).count();
            assert_eq!(total + unplaced, all_communes, "at {date}");
        }
    }

    #[test]
    fn scope_of_an_abolished_district_follows_its_communes() {
        let g = sample();
        let area = g.area_at(UnitId(2), d(2025, 8, 1));
        assert_eq!(area, vec![UnitId(8)]);
        let mut within = g.versions_within(UnitId(2), d(2025, 8, 1));
        within.sort();
        assert_eq!(
            within,
            vec![UnitId(3), UnitId(4), UnitId(5), UnitId(6), UnitId(8)]
        );
        // A commune officer of the new commune sees the records of its old communes, not 20001.
        let within = g.versions_within(UnitId(8), d(2025, 8, 1));
        assert!(within.contains(&UnitId(3)) && !within.contains(&UnitId(9)));
    }

    #[test]
    fn subtree_and_area_at_a_date() {
        let g = sample();
        assert_eq!(
            g.subtree_at(UnitId(1), d(2024, 1, 1)),
            vec![UnitId(1), UnitId(2), UnitId(3), UnitId(4), UnitId(6)]
        );
        assert_eq!(
            g.versions_within(UnitId(7), d(2025, 8, 1)).len(),
            9,
            "the new province covers every version"
        );
    }

    #[test]
    fn a_new_unit_viewed_in_the_past_covers_all_its_predecessors() {
        let g = sample();
        let mut area = g.area_at(UnitId(7), d(2024, 6, 1));
        area.sort();
        // Every old commune that fed a new one, and the old district and province they fill.
        assert_eq!(
            area,
            vec![UnitId(1), UnitId(2), UnitId(3), UnitId(4), UnitId(6)]
        );
        let mut area = g.area_at(UnitId(8), d(2024, 6, 1));
        area.sort();
        assert_eq!(
            area,
            vec![UnitId(1), UnitId(2), UnitId(3), UnitId(4), UnitId(6)]
        );
    }

    #[test]
    fn rejects_malformed_graphs() {
        use UnitLevel::*;
        let err = UnitGraph::new(
            vec![unit(1, "84", Province, Some(9), d(2008, 1, 1), None)],
            vec![],
        )
        .unwrap_err();
        assert_eq!(err, UnitGraphError::UnknownParent(UnitId(1)));
    }
}
