//! The policy catalogue (danh mục chính sách): law as data.
//!
//! A catalogue is a stack of [`Fragment`]s (TOML files): the built-in ones shipped in
//! `data/policy/`, then any added decree versions, corrections and provincial overlays, in
//! the order they were approved. An item (base level or version) with the same id as an
//! earlier one replaces it; among versions in force from the same month, the later-added
//! one wins. [`CatalogueBuilder::build`] validates the whole stack and lists every problem.

pub mod doc;

use crate::compile::{self, MonthRules};
use crate::engine::Section;
use crate::problem::{Problem, codes};
use ansinh_domain::Month;
pub use doc::Fragment;
use doc::{BaseDoc, VersionDoc};
use std::collections::{BTreeSet, HashMap, HashSet};

/// The files of the built-in catalogue, in layering order.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "base_levels.toml",
        include_str!("../../../../data/policy/base_levels.toml"),
    ),
    (
        "nd136-2013.toml",
        include_str!("../../../../data/policy/nd136-2013.toml"),
    ),
    (
        "nd20-2021.toml",
        include_str!("../../../../data/policy/nd20-2021.toml"),
    ),
    (
        "nd76-2024.toml",
        include_str!("../../../../data/policy/nd76-2024.toml"),
    ),
    (
        "nd176-2025.toml",
        include_str!("../../../../data/policy/nd176-2025.toml"),
    ),
    (
        "provinces/01-ha-noi.toml",
        include_str!("../../../../data/policy/provinces/01-ha-noi.toml"),
    ),
    (
        "provinces/86-vinh-long.toml",
        include_str!("../../../../data/policy/provinces/86-vinh-long.toml"),
    ),
];

impl Fragment {
    /// Parses one TOML file. Syntax and shape errors are reported with the file name and the
    /// line; the meaning is checked when the fragment joins a catalogue.
    pub fn from_toml(name: &str, text: &str) -> Result<Fragment, Vec<Problem>> {
        toml::from_str(text).map_err(|e| {
            vec![Problem::new(
                codes::CATALOGUE_SYNTAX,
                name,
                e.to_string().trim_end().to_string(),
            )]
        })
    }

    /// The fragment as TOML text (what the database stores and the admin UI shows).
    pub fn to_toml(&self) -> Result<String, Problem> {
        toml::to_string(self).map_err(|e| Problem::new(codes::CATALOGUE_SYNTAX, "", e.to_string()))
    }
}

/// One layer of the stack.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    /// File name or a name the store gives (e.g. `added/nd335-2026.toml`).
    pub name: String,
    pub fragment: Fragment,
}

/// An item with where it came from: its layer and its position in the whole stack.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Placed<T> {
    pub item: T,
    pub layer: usize,
    pub seq: usize,
}

/// A validated catalogue.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub(crate) layers: Vec<Layer>,
    pub(crate) bases: Vec<Placed<BaseDoc>>,
    pub(crate) versions: Vec<Placed<VersionDoc>>,
}

/// Collects layers; [`build`](Self::build) validates them together.
#[derive(Debug, Clone, Default)]
pub struct CatalogueBuilder {
    layers: Vec<Layer>,
    problems: Vec<Problem>,
}

impl CatalogueBuilder {
    pub fn new() -> CatalogueBuilder {
        CatalogueBuilder::default()
    }

    /// Starts from the built-in catalogue (`data/policy/`).
    pub fn builtin() -> CatalogueBuilder {
        BUILTIN
            .iter()
            .fold(CatalogueBuilder::new(), |b, (name, text)| {
                b.add_toml(name, text)
            })
    }

    /// Adds a TOML fragment; a syntax error is kept and reported by `build`.
    pub fn add_toml(mut self, name: &str, text: &str) -> CatalogueBuilder {
        match Fragment::from_toml(name, text) {
            Ok(fragment) => self.layers.push(Layer {
                name: name.to_string(),
                fragment,
            }),
            Err(problems) => self.problems.extend(problems),
        }
        self
    }

    pub fn add_fragment(mut self, name: &str, fragment: Fragment) -> CatalogueBuilder {
        self.layers.push(Layer {
            name: name.to_string(),
            fragment,
        });
        self
    }

    /// Merges the layers and checks everything: duplicate ids, unknown names in conditions,
    /// unknown groups, `extends` chains, rule shapes, base levels for every month a version
    /// starts, provincial levels below the national ones. Every problem is listed.
    pub fn build(self) -> Result<Catalogue, Vec<Problem>> {
        let mut problems = self.problems;
        let mut bases: Vec<Placed<BaseDoc>> = Vec::new();
        let mut versions: Vec<Placed<VersionDoc>> = Vec::new();
        let mut seq = 0;
        for (layer_index, layer) in self.layers.iter().enumerate() {
            check_fragment(&layer.name, &layer.fragment, &mut problems);
            for base in &layer.fragment.base {
                bases.retain(|b| b.item.id != base.id);
                bases.push(Placed {
                    item: base.clone(),
                    layer: layer_index,
                    seq,
                });
                seq += 1;
            }
            for version in &layer.fragment.version {
                versions.retain(|v| v.item.id != version.id);
                versions.push(Placed {
                    item: version.clone(),
                    layer: layer_index,
                    seq,
                });
                seq += 1;
            }
        }
        let catalogue = Catalogue {
            layers: self.layers,
            bases,
            versions,
        };
        catalogue.check_versions(&mut problems);
        catalogue.check_bases(&mut problems);
        catalogue.check_every_month(&mut problems);
        if problems.is_empty() {
            Ok(catalogue)
        } else {
            problems.sort();
            problems.dedup();
            Err(problems)
        }
    }
}

/// Checks that need only one fragment: duplicate ids within it, shapes of single items.
fn check_fragment(name: &str, fragment: &Fragment, problems: &mut Vec<Problem>) {
    let mut seen = HashSet::new();
    for base in &fragment.base {
        if !seen.insert(("base", base.id.as_str())) {
            problems.push(Problem::new(
                codes::DUPLICATE_ID,
                format!("{name}: base[{}]", base.id),
                "another base in this file has the same id",
            ));
        }
    }
    for version in &fragment.version {
        let path = format!("{name}: version[{}]", version.id);
        if !seen.insert(("version", version.id.as_str())) {
            problems.push(Problem::new(
                codes::DUPLICATE_ID,
                &path,
                "another version in this file has the same id",
            ));
        }
        let mut rule_ids = HashSet::new();
        for (section, rules) in Section::ALL.iter().zip(compile::sections_of(version)) {
            for rule in rules {
                if !rule_ids.insert(rule.id.as_str()) {
                    problems.push(Problem::new(
                        codes::DUPLICATE_ID,
                        format!("{path}.{}[{}]", section.toml_key(), rule.id),
                        "rule ids must be unique within a version",
                    ));
                }
            }
        }
        let mut codes_seen = HashSet::new();
        for group in &version.group {
            if !codes_seen.insert(group.code.as_str()) {
                problems.push(Problem::new(
                    codes::DUPLICATE_ID,
                    format!("{path}.group[{}]", group.code),
                    "group codes must be unique within a version",
                ));
            }
        }
        if let Some(p) = &version.province {
            check_province(p, &path, problems);
            if version.extends.is_some() {
                problems.push(Problem::new(
                    codes::INVALID_RULE,
                    &path,
                    "a provincial overlay applies on top of the national version in force; it cannot `extends`",
                ));
            }
        } else if version.until.is_some() {
            problems.push(Problem::new(
                codes::INVALID_RULE,
                &path,
                "`until` is for provincial overlays; a national version lasts until the next one",
            ));
        }
        if version.until.is_some_and(|u| u < version.from) {
            problems.push(Problem::new(
                codes::INVALID_RULE,
                &path,
                "`until` is before `from`",
            ));
        }
    }
}

fn check_province(code: &str, path: &str, problems: &mut Vec<Problem>) {
    if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_digit()) {
        problems.push(Problem::new(
            codes::INVALID_RULE,
            path,
            format!("province {code:?} is not a 2-digit province code"),
        ));
    }
}

impl Catalogue {
    /// The built-in catalogue (`data/policy/`), validated.
    pub fn builtin() -> Result<Catalogue, Vec<Problem>> {
        CatalogueBuilder::builtin().build()
    }

    /// The layers, in order, for storage and display.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// Compiles the rules in force in `month` (national and every provincial variant).
    pub fn for_month(&self, month: Month) -> Result<MonthRules, Vec<Problem>> {
        compile::compile_month(self, month)
    }

    /// Ids of the national versions, oldest first.
    pub fn version_ids(&self) -> Vec<&str> {
        let mut v: Vec<&Placed<VersionDoc>> = self
            .versions
            .iter()
            .filter(|v| v.item.province.is_none())
            .collect();
        v.sort_by_key(|v| (v.item.from, v.seq));
        v.into_iter().map(|v| v.item.id.as_str()).collect()
    }

    /// A stable fingerprint of the catalogue text (FNV-1a 64 over every layer's canonical
    /// TOML), for recording which catalogue a payroll run used.
    pub fn fingerprint(&self) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for layer in &self.layers {
            let text = layer.fragment.to_toml().unwrap_or_default();
            for byte in layer.name.bytes().chain([0]).chain(text.bytes()) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        format!("{hash:016x}")
    }

    pub(crate) fn version(&self, id: &str) -> Option<&VersionDoc> {
        self.versions
            .iter()
            .find(|v| v.item.id == id)
            .map(|v| &v.item)
    }

    pub(crate) fn file_of_version(&self, id: &str) -> &str {
        self.versions
            .iter()
            .find(|v| v.item.id == id)
            .and_then(|v| self.layers.get(v.layer))
            .map_or("", |l| l.name.as_str())
    }

    /// The base entry a base id names (for arrears reasons).
    pub(crate) fn base(&self, id: &str) -> Option<&BaseDoc> {
        self.bases.iter().find(|b| b.item.id == id).map(|b| &b.item)
    }

    fn check_versions(&self, problems: &mut Vec<Problem>) {
        let by_id: HashMap<&str, &VersionDoc> = self
            .versions
            .iter()
            .map(|v| (v.item.id.as_str(), &v.item))
            .collect();
        for v in &self.versions {
            let path = format!("{}: version[{}]", self.layers[v.layer].name, v.item.id);
            let mut current = &v.item;
            let mut seen = BTreeSet::new();
            seen.insert(current.id.as_str());
            while let Some(parent) = &current.extends {
                match by_id.get(parent.as_str()) {
                    None => {
                        problems.push(Problem::new(
                            codes::UNKNOWN_VERSION,
                            &path,
                            format!("extends {parent:?}, which is not in the catalogue"),
                        ));
                        break;
                    }
                    Some(p) if p.province.is_some() => {
                        problems.push(Problem::new(
                            codes::INVALID_RULE,
                            &path,
                            format!("extends {parent:?}, a provincial overlay"),
                        ));
                        break;
                    }
                    Some(p) => {
                        if !seen.insert(p.id.as_str()) {
                            problems.push(Problem::new(
                                codes::EXTENDS_CYCLE,
                                &path,
                                format!("the `extends` chain loops back to {parent:?}"),
                            ));
                            break;
                        }
                        current = p;
                    }
                }
            }
        }
    }

    fn check_bases(&self, problems: &mut Vec<Problem>) {
        for b in &self.bases {
            let base = &b.item;
            let path = format!("{}: base[{}]", self.layers[b.layer].name, base.id);
            match (&base.province, base.amount, base.top_up) {
                (None, Some(_), None) => {}
                (None, _, Some(_)) => problems.push(Problem::new(
                    codes::INVALID_RULE,
                    &path,
                    "`top_up` is for provincial bases",
                )),
                (None, None, None) => problems.push(Problem::new(
                    codes::INVALID_RULE,
                    &path,
                    "a national base needs an `amount`",
                )),
                (Some(p), amount, top_up) => {
                    check_province(p, &path, problems);
                    if amount.is_some() == top_up.is_some() {
                        problems.push(Problem::new(
                            codes::INVALID_RULE,
                            &path,
                            "give exactly one of `amount` or `top_up`",
                        ));
                    }
                    if !base.tier.is_empty() {
                        problems.push(Problem::new(
                            codes::INVALID_RULE,
                            &path,
                            "provincial bases have no tiers",
                        ));
                    }
                    if top_up.is_some_and(|t| t.as_i64() < 0) {
                        problems.push(Problem::new(
                            codes::OVERLAY_BELOW_NATIONAL,
                            &path,
                            "a provincial top-up cannot be negative",
                        ));
                    }
                    if let Some(amount) = amount {
                        let national = compile_national_amount(self, &base.scale, base.from);
                        if let Some(national) = national
                            && amount < national
                        {
                            problems.push(Problem::new(
                                codes::OVERLAY_BELOW_NATIONAL,
                                &path,
                                format!(
                                    "{} is below the national {} base of {} in {} (NĐ 20/2021 Art. 4(3))",
                                    amount.as_i64(),
                                    base.scale,
                                    national.as_i64(),
                                    base.from
                                ),
                            ));
                        }
                    }
                }
            }
            if base.amount.is_some_and(|a| a.as_i64() < 0)
                || base.tier.iter().any(|t| t.amount.as_i64() < 0)
            {
                problems.push(Problem::new(
                    codes::INVALID_RULE,
                    &path,
                    "a base cannot be negative",
                ));
            }
        }
    }

    /// Compiles every month in which something starts or ends, so that every rule is
    /// checked in the context it will be used in.
    fn check_every_month(&self, problems: &mut Vec<Problem>) {
        let Some(first) = self
            .versions
            .iter()
            .filter(|v| v.item.province.is_none())
            .map(|v| v.item.from)
            .min()
        else {
            return;
        };
        let mut months: BTreeSet<Month> = BTreeSet::new();
        for v in &self.versions {
            months.insert(v.item.from);
            if let Some(u) = v.item.until {
                months.insert(u);
            }
        }
        for b in &self.bases {
            months.insert(b.item.from);
        }
        // The same problem shows in every month after it: report it once, at the first.
        let mut seen = HashSet::new();
        for month in months.into_iter().filter(|m| *m >= first) {
            if let Err(found) = compile::compile_month(self, month) {
                for mut p in found {
                    if seen.insert((p.code.clone(), p.path.clone(), p.message.clone())) {
                        p.message = format!("{} (checked for {month})", p.message);
                        problems.push(p);
                    }
                }
            }
        }
    }
}

fn compile_national_amount(
    catalogue: &Catalogue,
    scale: &str,
    month: Month,
) -> Option<ansinh_domain::Money> {
    catalogue
        .bases
        .iter()
        .filter(|b| b.item.scale == scale && b.item.province.is_none() && b.item.from <= month)
        .max_by_key(|b| (b.item.from, b.seq))
        .and_then(|b| b.item.amount)
}
