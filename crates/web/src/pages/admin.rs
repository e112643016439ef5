//! Account administration.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use ansinh_app::users::UserInput;
use ansinh_app::{AppError, Ctx};
use ansinh_domain::access::Role;
use ansinh_domain::ids::UserId;
use ansinh_domain::unit::UnitLevel;

use crate::error::WebResult;
use crate::extract::{FormBody, IdPath, Identity};
use crate::pages::account::SecretPage;
use crate::pages::{FormState, Layout, page_ctx, render, render_status};
use crate::state::AppState;

#[derive(Debug)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub role: String,
    pub unit: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "users_list.html")]
struct UsersPage {
    layout: Layout,
    rows: Vec<UserRow>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    identity: Identity,
    axum::extract::Query(q): axum::extract::Query<DoneQuery>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/admin/users")?;
    let users = state.app.users(&ctx).await?;
    let layout = Layout::new(&state, &identity, "users", "users-title", "/admin/users")
        .with_notice(q.done.as_deref());
    let graph = state.app.graph();
    let rows = users
        .into_iter()
        .map(|u| UserRow {
            id: u.id.0,
            role: layout.tr.t(&format!("role-{}", u.role.as_str())),
            unit: graph.full_name(u.unit_id),
            username: u.username,
            full_name: u.full_name,
            active: u.active,
        })
        .collect();
    render(&UsersPage { layout, rows })
}

#[derive(Template)]
#[template(path = "user_form.html")]
struct UserForm {
    layout: Layout,
    form: FormState,
    action: String,
    is_new: bool,
    user_id: Option<i64>,
    roles: Vec<(String, String)>,
    units: Vec<(String, String)>,
}

/// Units an account can be attached to: current ones, plus the districts of the three-tier era.
fn unit_options(state: &AppState, ctx: &Ctx) -> Vec<(String, String)> {
    let graph = state.app.graph();
    let today = ctx.today();
    let mut out: Vec<(String, String, String)> = graph
        .all()
        .filter(|u| u.valid_at(today) || (u.level == UnitLevel::District && u.valid_to.is_some()))
        .map(|u| {
            let label = match u.level {
                UnitLevel::Commune => {
                    format!("{} — {}", u.name, graph.full_name(u.parent.unwrap_or(u.id)))
                }
                _ => graph.full_name(u.id),
            };
            (
                u.id.0.to_string(),
                format!("{label} ({})", u.code),
                u.code.clone(),
            )
        })
        .collect();
    out.sort_by(|a, b| (a.2.len(), &a.2).cmp(&(b.2.len(), &b.2)));
    out.into_iter().map(|(id, label, _)| (id, label)).collect()
}

fn user_form(
    state: &AppState,
    identity: &Identity,
    ctx: &Ctx,
    form: FormState,
    user_id: Option<i64>,
) -> UserForm {
    let layout = Layout::new(
        state,
        identity,
        "users",
        if user_id.is_some() {
            "users-edit"
        } else {
            "users-new"
        },
        "/admin/users",
    );
    let roles = Role::ALL
        .iter()
        .map(|r| {
            (
                r.as_str().to_string(),
                layout.tr.t(&format!("role-{}", r.as_str())),
            )
        })
        .collect();
    UserForm {
        action: user_id
            .map(|id| format!("/admin/users/{id}"))
            .unwrap_or_else(|| "/admin/users".into()),
        is_new: user_id.is_none(),
        roles,
        units: unit_options(state, ctx),
        user_id,
        form,
        layout,
    }
}

pub async fn new_form(State(state): State<AppState>, identity: Identity) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/admin/users")?;
    state.app.users(&ctx).await?;
    render(&user_form(
        &state,
        &identity,
        &ctx,
        FormState::default(),
        None,
    ))
}

fn input_of(pairs: &[(String, String)]) -> UserInput {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    UserInput {
        username: get("username"),
        full_name: get("full_name"),
        role: get("role"),
        unit_id: get("unit_id"),
        password: get("password"),
        active: Some(get("active") == "true"),
    }
}

pub async fn create(
    State(state): State<AppState>,
    identity: Identity,
    FormBody(pairs): FormBody<Vec<(String, String)>>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/admin/users")?;
    let input = input_of(&pairs);
    match state.app.create_user(&ctx, &input).await {
        Ok((user, password)) => {
            let mut layout =
                Layout::new(&state, &identity, "users", "secret-title", "/admin/users");
            layout.title = layout
                .tr
                .t1("users-password-reset", "username", &user.username);
            render(&SecretPage {
                layout,
                secret: password,
                continue_to: "/admin/users".into(),
            })
        }
        Err(e) => user_form_error(&state, &identity, &ctx, pairs, None, e),
    }
}

fn user_form_error(
    state: &AppState,
    identity: &Identity,
    ctx: &Ctx,
    pairs: Vec<(String, String)>,
    id: Option<i64>,
    e: AppError,
) -> WebResult<Response> {
    let tr = state.tr(identity.lang);
    let form = FormState::from_pairs(
        pairs
            .into_iter()
            .filter(|(k, _)| k != "_csrf" && k != "password"),
    );
    let form = match e {
        AppError::Invalid(errors) => form.with_errors(&tr, &errors),
        AppError::Conflict { field, code } => form.with_errors(
            &tr,
            &[ansinh_domain::registry::FieldError {
                field,
                code,
                detail: None,
            }],
        ),
        other => return Err(other.into()),
    };
    render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &user_form(state, identity, ctx, form, id),
    )
}

pub async fn edit_form(
    State(state): State<AppState>,
    identity: Identity,
    IdPath(id): IdPath,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/admin/users")?;
    state.app.users(&ctx).await?;
    let user = state
        .app
        .user(UserId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    let form = FormState::from_pairs([
        ("username".to_string(), user.username.clone()),
        ("full_name".to_string(), user.full_name.clone()),
        ("role".to_string(), user.role.as_str().to_string()),
        ("unit_id".to_string(), user.unit_id.0.to_string()),
        (
            "active".to_string(),
            if user.active {
                "true".into()
            } else {
                String::new()
            },
        ),
    ]);
    render(&user_form(&state, &identity, &ctx, form, Some(id)))
}

pub async fn update(
    State(state): State<AppState>,
    identity: Identity,
    IdPath(id): IdPath,
    FormBody(pairs): FormBody<Vec<(String, String)>>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/admin/users")?;
    let input = input_of(&pairs);
    match state.app.update_user(&ctx, UserId(id), &input).await {
        Ok(_) => Ok(Redirect::to("/admin/users?done=users-updated").into_response()),
        Err(e) => user_form_error(&state, &identity, &ctx, pairs, Some(id), e),
    }
}

pub async fn reset_password(
    State(state): State<AppState>,
    identity: Identity,
    IdPath(id): IdPath,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/admin/users")?;
    let password = state.app.reset_password(&ctx, UserId(id)).await?;
    let user = state
        .app
        .user(UserId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    let mut layout = Layout::new(&state, &identity, "users", "secret-title", "/admin/users");
    layout.title = layout
        .tr
        .t1("users-password-reset", "username", &user.username);
    render(&SecretPage {
        layout,
        secret: password,
        continue_to: "/admin/users".into(),
    })
}
