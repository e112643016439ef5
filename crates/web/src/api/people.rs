//! Registry endpoints.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use ansinh_app::registry::{NewPersonInput, PersonView};
use ansinh_domain::ids::{PersonId, UnitId};
use ansinh_domain::registry::PersonInput;
use ansinh_store::registry::PersonQuery;

use crate::api::ApiError;
use crate::error::WebResult;
use crate::extract::{Authed, IdPath, JsonBody, QueryParams};
use crate::state::AppState;

/// A person; `cccd` and `bank_account` are masked and `hiv_positive` absent unless revealed.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonOut {
    pub id: i64,
    pub version: i32,
    pub household_id: i64,
    pub household_code: String,
    pub full_name: String,
    pub sex: String,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub birth_date: String,
    pub cccd: Option<String>,
    pub birth_cert_no: Option<String>,
    pub ethnicity_code: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub hamlet: String,
    pub relation: String,
    pub disability: String,
    pub disability_cert_date: Option<String>,
    pub hiv_positive: Option<bool>,
    pub has_pension: bool,
    pub phone: Option<String>,
    pub payment_channel: String,
    pub bank_account: Option<String>,
    pub death_date: Option<String>,
    pub poverty: Vec<(i32, String)>,
    pub revealed: bool,
}

fn person_out(state: &AppState, v: PersonView) -> PersonOut {
    let d = &v.person.data;
    let graph = state.app.graph();
    PersonOut {
        id: v.person.id.0,
        version: v.person.version,
        household_id: v.household.id.0,
        household_code: v.household.code.clone(),
        full_name: d.full_name.clone(),
        sex: d.sex.as_str().into(),
        birth_date: d.birth.to_string(),
        cccd: v.cccd_shown.clone(),
        birth_cert_no: d.birth_cert_no.clone(),
        ethnicity_code: d.ethnicity_code.clone(),
        unit_id: d.unit_id.0,
        unit_name: graph.full_name(d.unit_id),
        hamlet: d.hamlet.clone(),
        relation: d.relation.as_str().into(),
        disability: d.disability.as_str().into(),
        disability_cert_date: d.disability_cert_date.map(|x| x.to_string()),
        hiv_positive: v.hiv_shown,
        has_pension: d.has_pension,
        phone: d.phone.clone(),
        payment_channel: d.payment_channel.as_str().into(),
        bank_account: v.bank_account_shown.clone(),
        death_date: d.death_date.map(|x| x.to_string()),
        poverty: v
            .poverty
            .iter()
            .map(|(y, s)| (*y, s.as_str().to_string()))
            .collect(),
        revealed: v.revealed,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonRow {
    pub id: i64,
    pub full_name: String,
    pub sex: String,
    pub birth_date: String,
    /// Masked.
    pub cccd: Option<String>,
    pub unit_id: i64,
    pub hamlet: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonPage {
    pub items: Vec<PersonRow>,
    pub total: u64,
    pub total_capped: bool,
    pub limit: u64,
    pub offset: u64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(default)]
pub struct SearchParams {
    /// A name (diacritics and case optional) or an ID number or its beginning.
    q: String,
    /// Only this commune (a unit id of today's tree).
    unit: Option<i64>,
    limit: u64,
    offset: u64,
}

impl Default for SearchParams {
    fn default() -> Self {
        SearchParams {
            q: String::new(),
            unit: None,
            limit: 50,
            offset: 0,
        }
    }
}

/// Search the registry within the caller's area.
#[utoipa::path(get, path = "/api/v1/people", tag = "registry", params(SearchParams),
    responses((status = 200, body = PersonPage), (status = 401, body = ApiError), (status = 403, body = ApiError)),
    security(("bearer" = [])))]
pub async fn search(
    State(state): State<AppState>,
    Authed(ctx): Authed,
    QueryParams(p): QueryParams<SearchParams>,
) -> WebResult<Json<PersonPage>> {
    let units = p
        .unit
        .map(|u| state.app.graph().versions_within(UnitId(u), ctx.today()));
    let page = state
        .app
        .search_people(
            &ctx,
            &PersonQuery {
                text: p.q,
                units,
                household: None,
                limit: p.limit,
                offset: p.offset,
            },
        )
        .await?;
    Ok(Json(PersonPage {
        items: page
            .items
            .into_iter()
            .map(|s| PersonRow {
                id: s.id.0,
                full_name: s.full_name,
                sex: s.sex.as_str().into(),
                birth_date: s.birth.to_string(),
                cccd: s.cccd,
                unit_id: s.unit_id.0,
                hamlet: s.hamlet,
            })
            .collect(),
        total: page.total,
        total_capped: page.total_capped,
        limit: page.limit,
        offset: page.offset,
    }))
}

#[derive(Debug, Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct GetParams {
    /// Include full ID, account and HIV status (roles that may; the reading is audited).
    reveal: bool,
}

/// One person.
#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "registry", params(("id" = i64, Path), GetParams),
    responses((status = 200, body = PersonOut), (status = 404, body = ApiError)),
    security(("bearer" = [])))]
pub async fn get(
    State(state): State<AppState>,
    Authed(ctx): Authed,
    IdPath(id): IdPath,
    QueryParams(p): QueryParams<GetParams>,
) -> WebResult<Json<PersonOut>> {
    let v = state.app.person(&ctx, PersonId(id), p.reveal).await?;
    Ok(Json(person_out(&state, v)))
}

/// A new person. Fields are text, as in the form; every problem is listed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPersonBody {
    pub full_name: String,
    /// `male` or `female`.
    pub sex: String,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub birth_date: String,
    #[serde(default)]
    pub cccd: String,
    #[serde(default)]
    pub birth_cert_no: String,
    /// Two-digit code of the official list of 54 ethnic groups.
    pub ethnicity_code: String,
    /// Unit id of a commune valid today.
    pub unit_id: i64,
    pub hamlet: String,
    #[serde(default)]
    pub relation: String,
    #[serde(default)]
    pub disability: String,
    #[serde(default)]
    pub disability_cert_date: String,
    #[serde(default)]
    pub hiv_positive: bool,
    #[serde(default)]
    pub has_pension: bool,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub payment_channel: String,
    #[serde(default)]
    pub bank_account: String,
    #[serde(default)]
    pub death_date: String,
    /// Existing household; empty for a new one.
    #[serde(default)]
    pub household_code: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub poverty_status: String,
    #[serde(default)]
    pub poverty_year: String,
    #[serde(default)]
    pub confirm_duplicate: bool,
}

impl NewPersonBody {
    fn person_input(&self) -> PersonInput {
        PersonInput {
            full_name: self.full_name.clone(),
            sex: self.sex.clone(),
            birth_date: self.birth_date.clone(),
            cccd: self.cccd.clone(),
            birth_cert_no: self.birth_cert_no.clone(),
            ethnicity_code: self.ethnicity_code.clone(),
            unit_id: self.unit_id.to_string(),
            hamlet: self.hamlet.clone(),
            relation: self.relation.clone(),
            disability: self.disability.clone(),
            disability_cert_date: self.disability_cert_date.clone(),
            hiv_positive: self.hiv_positive.to_string(),
            has_pension: self.has_pension.to_string(),
            phone: self.phone.clone(),
            payment_channel: self.payment_channel.clone(),
            bank_account: self.bank_account.clone(),
            death_date: self.death_date.clone(),
        }
    }
}

/// Register a person (and a new household unless `household_code` is given).
#[utoipa::path(post, path = "/api/v1/people", tag = "registry", request_body = NewPersonBody,
    responses((status = 201, body = PersonOut), (status = 422, body = ApiError), (status = 409, body = ApiError)),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    Authed(ctx): Authed,
    JsonBody(body): JsonBody<NewPersonBody>,
) -> WebResult<Response> {
    let input = NewPersonInput {
        person: body.person_input(),
        household_code: body.household_code.clone(),
        address: body.address.clone(),
        poverty_status: body.poverty_status.clone(),
        poverty_year: body.poverty_year.clone(),
        confirm_duplicate: body.confirm_duplicate,
    };
    let person = state.app.create_person(&ctx, &input).await?;
    let v = state.app.person(&ctx, person.id, false).await?;
    Ok((StatusCode::CREATED, Json(person_out(&state, v))).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePersonBody {
    /// The `version` read; a newer one in the database means someone else changed it.
    pub version: i32,
    #[serde(flatten)]
    pub person: NewPersonBody,
}

/// Change a person.
#[utoipa::path(put, path = "/api/v1/people/{id}", tag = "registry", params(("id" = i64, Path)), request_body = UpdatePersonBody,
    responses((status = 200, body = PersonOut), (status = 409, body = ApiError), (status = 422, body = ApiError)),
    security(("bearer" = [])))]
pub async fn update(
    State(state): State<AppState>,
    Authed(ctx): Authed,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<UpdatePersonBody>,
) -> WebResult<Json<PersonOut>> {
    let p = state
        .app
        .update_person(
            &ctx,
            PersonId(id),
            body.version,
            &body.person.person_input(),
            body.person.confirm_duplicate,
        )
        .await?;
    let v = state.app.person(&ctx, p.id, false).await?;
    Ok(Json(person_out(&state, v)))
}
