//! Errors to HTTP, in one place. A handler returns a [`WebError`]; the `render_errors`
//! middleware turns it into a page (with the request id) or a JSON body, in the request's
//! language, and logs internal causes — users never see them.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use ansinh_app::AppError;
use ansinh_domain::registry::FieldError;

#[derive(Debug)]
pub enum WebError {
    App(AppError),
    /// A request the server cannot read: `code` is a translation key suffix.
    BadRequest {
        status: StatusCode,
        code: &'static str,
        detail: String,
    },
    Csrf,
}

impl From<ansinh_store::StoreError> for WebError {
    fn from(e: ansinh_store::StoreError) -> WebError {
        WebError::App(AppError::from(e))
    }
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> WebError {
        WebError::App(e)
    }
}

/// What the renderer needs, carried in the response's extensions.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub status: StatusCode,
    pub code: String,
    pub detail: Option<String>,
    pub fields: Vec<FieldError>,
    pub retry_after: Option<u64>,
    /// Extra JSON (duplicate candidates).
    pub extra: Option<serde_json::Value>,
}

impl WebError {
    pub fn info(&self) -> ErrorInfo {
        let mut info = ErrorInfo {
            status: StatusCode::BAD_REQUEST,
            code: String::new(),
            detail: None,
            fields: Vec::new(),
            retry_after: None,
            extra: None,
        };
        match self {
            WebError::App(e) => {
                info.code = e.code().to_string();
                info.status = match e {
                    AppError::Unauthenticated | AppError::BadCredentials => {
                        StatusCode::UNAUTHORIZED
                    }
                    AppError::Forbidden => StatusCode::FORBIDDEN,
                    AppError::NotFound => StatusCode::NOT_FOUND,
                    AppError::Invalid(_) | AppError::Rule(_) => StatusCode::UNPROCESSABLE_ENTITY,
                    AppError::PossibleDuplicate(_)
                    | AppError::Conflict { .. }
                    | AppError::Stale => StatusCode::CONFLICT,
                    AppError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
                    AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
                };
                match e {
                    AppError::Invalid(fields) => info.fields = fields.clone(),
                    AppError::Conflict { field, code } => {
                        info.fields = vec![FieldError {
                            field,
                            code,
                            detail: None,
                        }]
                    }
                    AppError::Throttled { retry_after_secs } => {
                        info.retry_after = Some(*retry_after_secs)
                    }
                    AppError::PossibleDuplicate(list) => {
                        info.extra = serde_json::to_value(list)
                            .ok()
                            .map(|v| serde_json::json!({ "candidates": v }))
                    }
                    AppError::Internal(cause) => info.detail = Some(cause.clone()),
                    _ => {}
                }
            }
            WebError::BadRequest {
                status,
                code,
                detail,
            } => {
                info.status = *status;
                info.code = (*code).to_string();
                info.detail = Some(detail.clone());
            }
            WebError::Csrf => {
                info.status = StatusCode::FORBIDDEN;
                info.code = "csrf".into();
            }
        }
        info
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let info = self.info();
        let mut response = info.status.into_response();
        response.extensions_mut().insert(info);
        response
    }
}

pub type WebResult<T> = Result<T, WebError>;
