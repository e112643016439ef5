//! One error type for every use case. Its `code` is stable: the web layer maps it to an
//! HTTP status in one place, and the UI uses it as the translation key of the message.

use ansinh_domain::registry::FieldError;
use ansinh_store::StoreError;
use serde::Serialize;

use crate::registry::DuplicateCandidate;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not signed in")]
    Unauthenticated,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("possible duplicate")]
    PossibleDuplicate(Vec<DuplicateCandidate>),
    #[error("conflict on {field}")]
    Conflict {
        field: &'static str,
        code: &'static str,
    },
    #[error("changed by someone else")]
    Stale,
    #[error("too many attempts")]
    Throttled { retry_after_secs: u64 },
    #[error("wrong username or password")]
    BadCredentials,
    #[error("{0}")]
    Rule(&'static str),
    #[error("internal error")]
    Internal(String),
}

impl AppError {
    /// Stable machine code; also the translation key `error-<code>`.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden => "forbidden",
            AppError::NotFound => "not-found",
            AppError::Invalid(_) => "invalid-input",
            AppError::PossibleDuplicate(_) => "possible-duplicate",
            AppError::Conflict { .. } => "conflict",
            AppError::Stale => "stale",
            AppError::Throttled { .. } => "throttled",
            AppError::BadCredentials => "bad-credentials",
            AppError::Rule(code) => code,
            AppError::Internal(_) => "internal",
        }
    }

    pub fn field(field: &'static str, code: &'static str) -> AppError {
        AppError::Invalid(vec![FieldError {
            field,
            code,
            detail: None,
        }])
    }
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> AppError {
        match err {
            StoreError::NotFound { .. } => AppError::NotFound,
            StoreError::Stale => AppError::Stale,
            StoreError::Conflict { constraint } if constraint.contains("cccd") => {
                AppError::Conflict {
                    field: "cccd",
                    code: "cccd-taken",
                }
            }
            StoreError::Conflict { constraint } if constraint.contains("username") => {
                AppError::Conflict {
                    field: "username",
                    code: "username-taken",
                }
            }
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> AppError {
        AppError::from(StoreError::from(err))
    }
}

/// The JSON body of an error response.
#[derive(Debug, Serialize)]
pub struct ErrorBody<'a> {
    pub code: &'a str,
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

pub type AppResult<T> = Result<T, AppError>;
