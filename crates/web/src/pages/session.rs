//! Signing in and out, and the language switch.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use serde::Deserialize;

use ansinh_app::{AppError, Lang};

use crate::error::{WebError, WebResult};
use crate::extract::{FormBody, Identity, Via};
use crate::middleware::{LANG_COOKIE, SESSION_COOKIE};
use crate::pages::{Layout, page_ctx, render, render_status, safe_next};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    error: Option<String>,
    username: String,
    next: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct LoginQuery {
    next: String,
    done: Option<String>,
}

pub async fn login_form(
    State(state): State<AppState>,
    identity: Identity,
    Query(q): Query<LoginQuery>,
) -> WebResult<Response> {
    if identity.ctx.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    let layout = Layout::new(&state, &identity, "login", "login-title", "/login")
        .with_notice(q.done.as_deref());
    render(&LoginPage {
        layout,
        error: None,
        username: String::new(),
        next: safe_next(&q.next),
    })
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn login(
    State(state): State<AppState>,
    identity: Identity,
    FormBody(form): FormBody<LoginForm>,
) -> WebResult<Response> {
    let now = state.clock.now();
    match state
        .app
        .login(&form.username, &form.password, &identity.source, now)
        .await
    {
        Ok(session) => {
            let cookie = Cookie::build((SESSION_COOKIE, session.token))
                .path("/")
                .http_only(true)
                .same_site(SameSite::Lax)
                .secure(state.config.secure_cookies)
                .build();
            let target = if session.user.must_change_password {
                "/account".to_string()
            } else {
                safe_next(&form.next)
            };
            let mut response = Redirect::to(&target).into_response();
            if let Ok(v) = cookie.to_string().parse() {
                response.headers_mut().append(header::SET_COOKIE, v);
            }
            Ok(response)
        }
        Err(e @ (AppError::BadCredentials | AppError::Throttled { .. })) => {
            let layout = Layout::new(&state, &identity, "login", "login-title", "/login");
            let (status, error) = match &e {
                AppError::Throttled { retry_after_secs } => (
                    axum::http::StatusCode::TOO_MANY_REQUESTS,
                    layout
                        .tr
                        .t1("login-throttled", "minutes", retry_after_secs.div_ceil(60)),
                ),
                _ => (
                    axum::http::StatusCode::UNAUTHORIZED,
                    layout.tr.t("login-failed"),
                ),
            };
            render_status(
                status,
                &LoginPage {
                    layout,
                    error: Some(error),
                    username: form.username.chars().take(60).collect(),
                    next: safe_next(&form.next),
                },
            )
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn logout(
    State(state): State<AppState>,
    identity: Identity,
    jar: CookieJar,
) -> WebResult<Response> {
    if let (Some(ctx), Via::Cookie(token)) = (identity.ctx.as_ref(), &identity.via) {
        state.app.logout(ctx, token).await?;
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, Redirect::to("/login?done=logout-done")).into_response())
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct NextQuery {
    next: String,
}

/// Switches the interface language (a cookie: nothing is stored on the server).
pub async fn switch_language(
    Path(code): Path<String>,
    Query(q): Query<NextQuery>,
    jar: CookieJar,
) -> WebResult<Response> {
    let lang = Lang::parse(&code).ok_or(WebError::App(AppError::NotFound))?;
    let cookie = Cookie::build((LANG_COOKIE, lang.as_str().to_string()))
        .path("/")
        .same_site(SameSite::Lax)
        .permanent()
        .build();
    Ok((jar.add(cookie), Redirect::to(&safe_next(&q.next))).into_response())
}

/// Checks that a page may be shown to this identity (used by handlers that only need that).
pub fn require_page(identity: &Identity, path: &str) -> WebResult<ansinh_app::Ctx> {
    page_ctx(identity, path)
}
