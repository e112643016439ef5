//! The JSON API under `/api/v1`, for machine clients (bearer tokens) and page enhancements.
//! Its OpenAPI document is generated from these handlers at `/api/v1/openapi.json`.

pub mod dossiers;
pub mod entitlements;
pub mod people;
pub mod units;

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use crate::error::WebResult;
use crate::extract::Authed;
use crate::state::AppState;

/// The error shape of every failed call.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiError {
    /// Stable machine code (e.g. `invalid-input`, `not-found`, `forbidden`).
    pub code: String,
    /// Human message in the caller's language.
    pub message: String,
    pub request_id: String,
    /// Per-field problems for `invalid-input` and `conflict`.
    pub fields: Option<Vec<ApiFieldError>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiFieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub user_id: i64,
    pub username: String,
    pub full_name: String,
    pub role: String,
    pub unit_id: i64,
    pub unit_name: String,
}

/// The signed-in caller.
#[utoipa::path(get, path = "/api/v1/me", tag = "session",
    responses((status = 200, body = Me), (status = 401, body = ApiError)),
    security(("bearer" = [])))]
pub async fn me(State(state): State<AppState>, Authed(ctx): Authed) -> WebResult<Json<Me>> {
    Ok(Json(Me {
        user_id: ctx.actor.user_id.0,
        username: ctx.actor.username.clone(),
        full_name: ctx.actor.full_name.clone(),
        role: ctx.actor.role.as_str().into(),
        unit_id: ctx.actor.unit_id.0,
        unit_name: state.app.graph().full_name(ctx.actor.unit_id),
    }))
}

#[derive(OpenApi)]
#[openapi(
    info(title = "ansinh API", description = "Social assistance information system: registry, administrative units. Authenticate with `Authorization: Bearer <key>` (keys are created under My account)."),
    paths(me, people::search, people::get, people::create, people::update, units::tree, entitlements::evaluate,
        dossiers::tasks, dossiers::overdue, dossiers::holidays, dossiers::add_working_days),
    components(schemas(ApiError, ApiFieldError, Me, people::PersonOut, people::PersonPage, people::PersonRow,
        people::NewPersonBody, people::UpdatePersonBody, units::TreeOut, units::NodeOut,
        entitlements::InvalidDocument, entitlements::ProblemOut, dossiers::DossierOut, dossiers::HolidayOut, dossiers::DateOut)),
    modifiers(&BearerAuth),
)]
#[derive(Debug)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub async fn openapi() -> Response {
    Json(ApiDoc::openapi()).into_response()
}
