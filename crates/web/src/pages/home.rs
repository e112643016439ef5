//! The dashboard and the unit tree at a date.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;

use ansinh_app::tree::TreeCounts;
use ansinh_domain::unit::UnitLevel;

use crate::error::WebResult;
use crate::extract::Identity;
use crate::pages::{Layout, count, date_vi, page_ctx, render};
use crate::state::AppState;

/// One row of the unit table.
#[derive(Debug)]
pub struct TreeRow {
    pub unit_id: i64,
    pub code: String,
    pub name: String,
    pub depth: usize,
    pub people: i64,
    pub people_shown: String,
    pub households_shown: String,
    pub is_commune: bool,
}

pub fn tree_rows(tree: &TreeCounts) -> Vec<TreeRow> {
    tree.nodes
        .iter()
        .map(|n| TreeRow {
            unit_id: n.unit_id.0,
            code: n.code.clone(),
            name: n.name.clone(),
            depth: n.depth.min(2),
            people: n.people,
            people_shown: count(n.people),
            households_shown: count(n.households),
            is_commune: n.level == UnitLevel::Commune,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct Dashboard {
    layout: Layout,
    people_total: String,
    households_total: String,
    date_shown: String,
    rows: Vec<TreeRow>,
    unplaced: i64,
    /// (my tasks, overdue in my area), at most a page each; shown to those who work dossiers.
    dossier_counts: Option<(String, String)>,
    timeliness: Vec<ansinh_app::dossiers::TimelinessRow>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    pub done: Option<String>,
}

pub async fn dashboard(
    State(state): State<AppState>,
    identity: Identity,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/")?;
    let today = ctx.today();
    let tree = state.app.tree_counts(&ctx, today).await?;
    // A page of each list is what the cards show: "200+" beyond.
    const PAGE: u64 = 200;
    let shown = |n: usize| {
        if n as u64 >= PAGE {
            format!("{PAGE}+")
        } else {
            n.to_string()
        }
    };
    let dossier_counts = if ctx.actor.role == ansinh_domain::access::Role::Admin {
        None
    } else {
        Some((
            shown(state.app.tasks(&ctx, PAGE).await?.len()),
            shown(state.app.overdue_dossiers(&ctx, PAGE).await?.len()),
        ))
    };
    // The last twelve months of decided dossiers, per commune of the area.
    let timeliness = state
        .app
        .timeliness(&ctx, today - chrono::Duration::days(365), today)
        .await?;
    render(&Dashboard {
        layout: Layout::new(&state, &identity, "home", "dashboard-title", "/")
            .with_notice(q.done.as_deref()),
        people_total: count(tree.total_people),
        households_total: count(tree.total_households),
        date_shown: date_vi(today),
        rows: tree_rows(&tree),
        unplaced: tree.unplaced_people,
        dossier_counts,
        timeliness,
    })
}

#[derive(Template)]
#[template(path = "units.html")]
struct UnitsPage {
    layout: Layout,
    date_value: String,
    date_shown: String,
    people_total: String,
    households_total: String,
    rows: Vec<TreeRow>,
    unplaced: i64,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct DateQuery {
    date: String,
}

pub async fn units(
    State(state): State<AppState>,
    identity: Identity,
    Query(q): Query<DateQuery>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/units")?;
    let date = NaiveDate::parse_from_str(q.date.trim(), "%Y-%m-%d").unwrap_or_else(|_| ctx.today());
    let tree = state.app.tree_counts(&ctx, date).await?;
    render(&UnitsPage {
        layout: Layout::new(
            &state,
            &identity,
            "units",
            "units-title",
            &format!("/units?date={date}"),
        ),
        date_value: date.to_string(),
        date_shown: date_vi(date),
        people_total: count(tree.total_people),
        households_total: count(tree.total_households),
        rows: tree_rows(&tree),
        unplaced: tree.unplaced_people,
    })
}
