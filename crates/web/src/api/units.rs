//! The unit tree with counts.

use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use ansinh_app::AppError;

use crate::api::ApiError;
use crate::error::{WebError, WebResult};
use crate::extract::{Authed, QueryParams};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct NodeOut {
    pub unit_id: i64,
    pub code: String,
    pub name: String,
    /// `province`, `district` or `commune`.
    pub level: String,
    pub depth: usize,
    pub people: i64,
    pub households: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TreeOut {
    pub date: String,
    pub nodes: Vec<NodeOut>,
    pub total_people: i64,
    pub total_households: i64,
    pub unplaced_people: i64,
}

#[derive(Debug, Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct TreeParams {
    /// `YYYY-MM-DD`; today when absent.
    date: String,
}

/// The administrative tree valid at a date, with people and households per unit in the
/// caller's area. Records made in units that no longer exist are counted in their successors.
#[utoipa::path(get, path = "/api/v1/units/tree", tag = "units", params(TreeParams),
    responses((status = 200, body = TreeOut), (status = 422, body = ApiError)),
    security(("bearer" = [])))]
pub async fn tree(
    State(state): State<AppState>,
    Authed(ctx): Authed,
    QueryParams(p): QueryParams<TreeParams>,
) -> WebResult<Json<TreeOut>> {
    let date = if p.date.trim().is_empty() {
        ctx.today()
    } else {
        NaiveDate::parse_from_str(p.date.trim(), "%Y-%m-%d")
            .map_err(|_| WebError::App(AppError::field("date", "date-format")))?
    };
    let t = state.app.tree_counts(&ctx, date).await?;
    Ok(Json(TreeOut {
        date: t.date.to_string(),
        nodes: t
            .nodes
            .into_iter()
            .map(|n| NodeOut {
                unit_id: n.unit_id.0,
                code: n.code,
                name: n.name,
                level: n.level.as_str().into(),
                depth: n.depth,
                people: n.people,
                households: n.households,
            })
            .collect(),
        total_people: t.total_people,
        total_households: t.total_households,
        unplaced_people: t.unplaced_people,
    }))
}
