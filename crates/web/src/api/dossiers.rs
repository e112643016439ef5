//! Dossier lists and the working-day calendar.

use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use ansinh_app::AppError;
use ansinh_store::dossiers::DossierRow;

use crate::api::ApiError;
use crate::error::{WebError, WebResult};
use crate::extract::{Authed, QueryParams};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct DossierOut {
    pub id: i64,
    pub code: String,
    pub application_type: String,
    pub person_id: i64,
    pub received_on: String,
    pub status: String,
    pub step: Option<String>,
    pub due_on: Option<String>,
    pub outcome: Option<String>,
    /// `step`, `complaint` or `handover` in a task list.
    pub task: Option<String>,
    pub overdue: bool,
}

fn out(r: &DossierRow, task: Option<&str>, overdue: bool) -> DossierOut {
    DossierOut {
        id: r.id.0,
        code: r.data.code.clone(),
        application_type: r.data.application_type.clone(),
        person_id: r.data.person_id.0,
        received_on: r.data.received_on.to_string(),
        status: r.data.status.clone(),
        step: r.data.current_step.clone(),
        due_on: r.data.due_on.map(|d| d.to_string()),
        outcome: r.data.outcome.clone(),
        task: task.map(str::to_string),
        overdue,
    }
}

/// My tasks: dossiers whose current step my role records, soonest due first.
#[utoipa::path(get, path = "/api/v1/dossiers/tasks", tag = "dossiers",
    responses((status = 200, body = [DossierOut]), (status = 401, body = ApiError)), security(("bearer" = [])))]
pub async fn tasks(
    State(state): State<AppState>,
    Authed(ctx): Authed,
) -> WebResult<Json<Vec<DossierOut>>> {
    let tasks = state.app.tasks(&ctx, 500).await?;
    Ok(Json(
        tasks
            .iter()
            .map(|t| out(&t.dossier, Some(t.kind), t.overdue))
            .collect(),
    ))
}

/// Dossiers past the due date of their current step, in my area.
#[utoipa::path(get, path = "/api/v1/dossiers/overdue", tag = "dossiers",
    responses((status = 200, body = [DossierOut]), (status = 401, body = ApiError)), security(("bearer" = [])))]
pub async fn overdue(
    State(state): State<AppState>,
    Authed(ctx): Authed,
) -> WebResult<Json<Vec<DossierOut>>> {
    let rows = state.app.overdue_dossiers(&ctx, 500).await?;
    Ok(Json(rows.iter().map(|r| out(r, None, true)).collect()))
}

#[derive(Debug, Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct YearParams {
    year: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HolidayOut {
    pub date: String,
    pub name_vi: String,
    pub name_en: String,
    /// `day_off` or `make_up_working_day`.
    pub kind: String,
    /// `announced` or `computed`.
    pub source: String,
}

fn calendar() -> WebResult<&'static ansinh_calendar::Calendar> {
    ansinh_calendar::builtin().map_err(|e| WebError::App(AppError::Internal(e.to_string())))
}

/// Public holidays and make-up working days of a year.
#[utoipa::path(get, path = "/api/v1/calendar/holidays", tag = "calendar", params(YearParams),
    responses((status = 200, body = [HolidayOut]), (status = 422, body = ApiError)))]
pub async fn holidays(QueryParams(p): QueryParams<YearParams>) -> WebResult<Json<Vec<HolidayOut>>> {
    let list = calendar()?
        .holidays(p.year)
        .map_err(|_| WebError::App(AppError::field("year", "year-out-of-range")))?;
    let text = |v: serde_json::Value| v.as_str().unwrap_or_default().to_string();
    Ok(Json(
        list.iter()
            .map(|h| HolidayOut {
                date: h.date.to_string(),
                name_vi: h.name_vi.clone(),
                name_en: h.name_en.clone(),
                kind: text(serde_json::to_value(h.kind).unwrap_or_default()),
                source: text(serde_json::to_value(h.source).unwrap_or_default()),
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct AddParams {
    /// `YYYY-MM-DD`.
    date: String,
    n: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DateOut {
    pub date: String,
}

/// The date N working days after DATE, counting from the next working day.
#[utoipa::path(get, path = "/api/v1/calendar/add-working-days", tag = "calendar", params(AddParams),
    responses((status = 200, body = DateOut), (status = 422, body = ApiError)))]
pub async fn add_working_days(QueryParams(p): QueryParams<AddParams>) -> WebResult<Json<DateOut>> {
    let date = NaiveDate::parse_from_str(p.date.trim(), "%Y-%m-%d")
        .map_err(|_| WebError::App(AppError::field("date", "date-format")))?;
    let result = calendar()?
        .add_working_days(date, p.n)
        .map_err(|_| WebError::App(AppError::field("date", "calendar")))?;
    Ok(Json(DateOut {
        date: result.to_string(),
    }))
}
