//! Request extractors: who is asking (set by the identity middleware), and bodies whose
//! rejections become clear 4xx errors in the project's error shape.

use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use ansinh_app::{AppError, Ctx, Lang};

use crate::error::WebError;

/// How the caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    Anonymous,
    /// A browser session; the cookie value is kept to sign out.
    Cookie(String),
    Bearer,
}

/// Set on every request by the identity middleware.
#[derive(Debug, Clone)]
pub struct Identity {
    pub ctx: Option<Ctx>,
    pub via: Via,
    /// The session's CSRF token, or the login form's double-submit token.
    pub csrf: String,
    pub lang: Lang,
    pub request_id: String,
    /// Client address.
    pub source: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Identity {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Identity, WebError> {
        parts
            .extensions
            .get::<Identity>()
            .cloned()
            .ok_or(WebError::App(AppError::Internal(
                "identity middleware missing".into(),
            )))
    }
}

/// A signed-in caller.
#[derive(Debug, Clone)]
pub struct Authed(pub Ctx);

impl<S: Send + Sync> FromRequestParts<S> for Authed {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Authed, WebError> {
        let identity = Identity::from_request_parts(parts, state).await?;
        identity
            .ctx
            .map(Authed)
            .ok_or(WebError::App(AppError::Unauthenticated))
    }
}

/// A URL-encoded form body; an unreadable one is a 400 with the reason.
#[derive(Debug)]
pub struct FormBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for FormBody<T> {
    type Rejection = WebError;
    async fn from_request(req: Request, state: &S) -> Result<FormBody<T>, WebError> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(FormBody(v)),
            Err(rejection) => Err(form_rejection(rejection)),
        }
    }
}

fn form_rejection(r: FormRejection) -> WebError {
    let status = r.status();
    let code = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "payload-too-large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported-media-type",
        _ => "bad-request",
    };
    WebError::BadRequest {
        status: if status == StatusCode::UNPROCESSABLE_ENTITY {
            StatusCode::BAD_REQUEST
        } else {
            status
        },
        code,
        detail: r.body_text(),
    }
}

/// A JSON body; syntax errors, wrong types and unknown fields are 400/422 with the reason.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = WebError;
    async fn from_request(req: Request, state: &S) -> Result<JsonBody<T>, WebError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(JsonBody(v)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(r: JsonRejection) -> WebError {
    let status = r.status();
    let code = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "payload-too-large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported-media-type",
        _ => "bad-request",
    };
    WebError::BadRequest {
        status,
        code,
        detail: r.body_text(),
    }
}

/// A numeric id from the URL; anything else is "not found", never a server error.
#[derive(Debug, Clone, Copy)]
pub struct IdPath(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for IdPath {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<IdPath, WebError> {
        match axum::extract::Path::<i64>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(id)) if id > 0 => Ok(IdPath(id)),
            _ => Err(WebError::App(AppError::NotFound)),
        }
    }
}

/// Query parameters; unreadable ones are a 400 with the reason.
#[derive(Debug)]
pub struct QueryParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for QueryParams<T> {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<QueryParams<T>, WebError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(QueryParams(v)),
            Err(r) => Err(WebError::BadRequest {
                status: StatusCode::BAD_REQUEST,
                code: "bad-request",
                detail: r.body_text(),
            }),
        }
    }
}
