//! The administrative tree at a date with people and households counted per unit.
//!
//! Records keep the unit version they were made in; counts are taken per version in SQL and
//! mapped here onto the tree valid at the date asked about, then rolled up.

use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

use ansinh_domain::access::{Permission, Role};
use ansinh_domain::ids::UnitId;
use ansinh_domain::unit::UnitLevel;
use ansinh_store::registry as repo;

use crate::App;
use crate::context::Ctx;
use crate::error::AppResult;

#[derive(Debug, Clone, Serialize)]
pub struct TreeNode {
    pub unit_id: UnitId,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub level: UnitLevel,
    pub depth: usize,
    pub people: i64,
    pub households: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TreeCounts {
    pub date: NaiveDate,
    /// Depth-first, parents before children.
    pub nodes: Vec<TreeNode>,
    pub total_people: i64,
    pub total_households: i64,
    /// Records whose unit has no counterpart in the tree at `date` (a commune created later
    /// with no recorded predecessor).
    pub unplaced_people: i64,
}

impl App {
    pub async fn tree_counts(&self, ctx: &Ctx, date: NaiveDate) -> AppResult<TreeCounts> {
        self.require(ctx, Permission::RegistryRead)?;
        let scope = self.scope(ctx);
        let counts = repo::counts_by_unit(self.db.conn(), &scope).await?;
        let graph = self.graph();
        let mut per_unit: HashMap<UnitId, (i64, i64)> = HashMap::new();
        let mut unplaced = 0;
        let (mut total_people, mut total_households) = (0, 0);
        for c in &counts {
            total_people += c.people;
            total_households += c.households;
            let image = graph.at(c.unit_id, date);
            if !graph.get(image).is_some_and(|u| u.valid_at(date)) {
                unplaced += c.people;
                continue;
            }
            // Count the unit and every ancestor at the date.
            for u in std::iter::once(image).chain(graph.ancestors(image)) {
                let e = per_unit.entry(u).or_default();
                e.0 += c.people;
                e.1 += c.households;
            }
        }
        let roots: Vec<UnitId> = match ctx.actor.role {
            Role::Admin => graph.roots_at(date),
            _ => {
                // The caller's area at `date`: its top units (a commune officer's commune, a
                // province officer's province), each with its subtree.
                let area = graph.area_at(ctx.actor.unit_id, date);
                area.iter()
                    .copied()
                    .filter(|u| {
                        graph
                            .get(*u)
                            .and_then(|v| v.parent)
                            .is_none_or(|p| !area.contains(&p))
                    })
                    .collect()
            }
        };
        let mut nodes = Vec::new();
        let mut stack: Vec<(UnitId, usize)> = roots.into_iter().rev().map(|r| (r, 0)).collect();
        while let Some((id, depth)) = stack.pop() {
            let Some(u) = graph.get(id) else { continue };
            let (people, households) = per_unit.get(&id).copied().unwrap_or_default();
            nodes.push(TreeNode {
                unit_id: id,
                code: u.code.clone(),
                name: u.name.clone(),
                kind: u.kind.clone(),
                level: u.level,
                depth,
                people,
                households,
            });
            let mut children = graph.children_at(id, date);
            children.sort_by_key(|c| {
                graph
                    .get(*c)
                    .map(|u| ansinh_domain::fold::collation_key(&u.name))
            });
            for c in children.into_iter().rev() {
                stack.push((c, depth + 1));
            }
        }
        Ok(TreeCounts {
            date,
            nodes,
            total_people,
            total_households,
            unplaced_people: unplaced,
        })
    }
}
