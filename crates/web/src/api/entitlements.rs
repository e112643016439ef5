//! Entitlement evaluation: a situation document (docs/entitlement-json.md) and a month in,
//! every benefit due with its explanation out. Public: nothing is stored and the document
//! needs no identifier.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use ansinh_app::{AppError, Lang};
use ansinh_domain::Month;

use crate::error::{WebError, WebResult};
use crate::extract::{Identity, QueryParams};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct EvaluateParams {
    /// `YYYY-MM`; overrides the document's `month`.
    month: String,
    /// `vi` or `en`; overrides the document's `language`.
    lang: String,
}

/// One problem of an invalid document.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemOut {
    /// Stable code, e.g. `birth-after-month`, `unknown-field`, `unknown-group`.
    pub code: String,
    /// Where: a JSON path such as `person.birth_date`.
    pub path: String,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvalidDocument {
    /// Always `invalid-document`.
    pub code: String,
    pub problems: Vec<ProblemOut>,
}

/// Evaluates a situation for a month with the policy catalogue in force. An invalid
/// document gets every problem listed (422), never an amount.
#[utoipa::path(post, path = "/api/v1/entitlements/evaluate", tag = "entitlements", params(EvaluateParams),
    request_body(content = String, description = "The situation document (docs/entitlement-json.md)", content_type = "application/json"),
    responses((status = 200, description = "Every benefit due, each with its explanation"),
              (status = 422, body = InvalidDocument)))]
pub async fn evaluate(
    State(state): State<AppState>,
    identity: Identity,
    QueryParams(p): QueryParams<EvaluateParams>,
    body: Bytes,
) -> WebResult<Response> {
    let text = std::str::from_utf8(&body).map_err(|e| WebError::BadRequest {
        status: StatusCode::BAD_REQUEST,
        code: "bad-request",
        detail: format!("the body is not UTF-8: {e}"),
    })?;
    let month = match p.month.trim() {
        "" => None,
        m => Some(
            m.parse::<Month>()
                .map_err(|_| WebError::App(AppError::field("month", "date-format")))?,
        ),
    };
    let lang = match p.lang.trim() {
        "" => None,
        l => Some(Lang::parse(l).ok_or(WebError::App(AppError::field("lang", "invalid-choice")))?),
    };
    let _ = identity;
    match state.app.evaluate_document(text, month, lang) {
        Ok(report) => Ok(Json(report).into_response()),
        Err(problems) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(InvalidDocument {
                code: "invalid-document".into(),
                problems: problems
                    .into_iter()
                    .map(|p| ProblemOut {
                        code: p.code,
                        path: p.path,
                        message: p.message,
                    })
                    .collect(),
            }),
        )
            .into_response()),
    }
}
