//! One's own account: password and API keys.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use ansinh_app::AppError;

use crate::error::WebResult;
use crate::extract::{FormBody, IdPath, Identity};
use crate::pages::{FormState, Layout, page_ctx, render, render_status, time_vi};
use crate::state::AppState;

#[derive(Debug)]
pub struct TokenView {
    pub id: i64,
    pub name: String,
    pub created: String,
    pub last_used: String,
    pub revoked: bool,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    layout: Layout,
    form: FormState,
    must_change: bool,
    tokens: Vec<TokenView>,
}

#[derive(Template)]
#[template(path = "secret.html")]
#[derive(Debug)]
pub struct SecretPage {
    pub layout: Layout,
    pub secret: String,
    pub continue_to: String,
}

async fn account_page(
    state: &AppState,
    identity: &Identity,
    form: FormState,
    notice: Option<&str>,
) -> WebResult<AccountPage> {
    let ctx = page_ctx(identity, "/account")?;
    let tokens = if ctx.actor.must_change_password {
        vec![]
    } else {
        state
            .app
            .tokens(&ctx)
            .await?
            .into_iter()
            .filter(|t| t.user_id == ctx.actor.user_id)
            .map(|t| TokenView {
                id: t.id,
                name: t.name,
                created: time_vi(t.created_at),
                last_used: t.last_used_at.map(time_vi).unwrap_or_default(),
                revoked: t.revoked_at.is_some(),
            })
            .collect()
    };
    Ok(AccountPage {
        layout: Layout::new(state, identity, "account", "account-title", "/account")
            .with_notice(notice),
        form,
        must_change: ctx.actor.must_change_password,
        tokens,
    })
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    identity: Identity,
    axum::extract::Query(q): axum::extract::Query<DoneQuery>,
) -> WebResult<Response> {
    render(&account_page(&state, &identity, FormState::default(), q.done.as_deref()).await?)
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    new_password_again: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    identity: Identity,
    FormBody(form): FormBody<PasswordForm>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/account")?;
    let tr = state.tr(identity.lang);
    let result = if form.new_password != form.new_password_again {
        Err(AppError::field("new_password", "password-mismatch"))
    } else {
        state
            .app
            .change_password(&ctx, &form.current_password, &form.new_password)
            .await
    };
    match result {
        Ok(()) => Ok(Redirect::to("/?done=account-password-changed").into_response()),
        Err(AppError::Invalid(errors)) => {
            let page = account_page(
                &state,
                &identity,
                FormState::default().with_errors(&tr, &errors),
                None,
            )
            .await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    days: String,
}

pub async fn create_token(
    State(state): State<AppState>,
    identity: Identity,
    FormBody(form): FormBody<TokenForm>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/account")?;
    let days = form
        .days
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|d| (1..=3650).contains(d));
    let (_, secret) = state.app.create_token(&ctx, &form.name, days).await?;
    let mut layout = Layout::new(&state, &identity, "account", "secret-title", "/account");
    layout.title = layout.tr.t("secret-title");
    render(&SecretPage {
        layout,
        secret,
        continue_to: "/account".into(),
    })
}

pub async fn revoke_token(
    State(state): State<AppState>,
    identity: Identity,
    IdPath(id): IdPath,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/account")?;
    state.app.revoke_token(&ctx, id).await?;
    Ok(Redirect::to("/account?done=account-token-revoked").into_response())
}
