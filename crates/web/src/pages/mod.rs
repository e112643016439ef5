//! Server-rendered pages. Each handler calls one use case and fills one template; all text
//! comes from the message files.

pub mod account;
pub mod admin;
pub mod audit;
pub mod dossiers;
pub mod home;
pub mod payroll;
pub mod people;
pub mod policy;
pub mod public;
pub mod session;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use std::collections::HashMap;

use ansinh_app::{Ctx, Lang};
use ansinh_domain::access::Permission;
use ansinh_domain::registry::FieldError;

use crate::error::{WebError, WebResult};
use crate::extract::Identity;
use crate::i18n::Tr;
use crate::state::AppState;

/// What every page's frame needs.
#[derive(Debug, Clone)]
pub struct Layout {
    pub tr: Tr,
    pub csrf: String,
    pub user: Option<UserBar>,
    /// The active navigation entry.
    pub nav: &'static str,
    pub title: String,
    pub notice: Option<String>,
    pub request_id: String,
    pub lang_link: String,
}

#[derive(Debug, Clone)]
pub struct UserBar {
    pub name: String,
    pub role_label: String,
    pub can_people: bool,
    pub can_users: bool,
    pub can_audit: bool,
    pub can_payroll: bool,
}

impl Layout {
    pub fn new(
        state: &AppState,
        identity: &Identity,
        nav: &'static str,
        title_key: &str,
        path: &str,
    ) -> Layout {
        let tr = state.tr(identity.lang);
        let user = identity.ctx.as_ref().map(|ctx| UserBar {
            name: ctx.actor.full_name.clone(),
            role_label: tr.t(&format!("role-{}", ctx.actor.role.as_str())),
            can_people: ctx.actor.role.can(Permission::RegistryRead),
            can_users: ctx.actor.role.can(Permission::ManageUsers),
            can_audit: ctx.actor.role.can(Permission::ReadAudit),
            can_payroll: ctx.actor.role.can(Permission::RegistryRead),
        });
        let other = match identity.lang {
            Lang::Vi => "en",
            Lang::En => "vi",
        };
        Layout {
            title: tr.t(title_key),
            tr,
            csrf: identity.csrf.clone(),
            user,
            nav,
            notice: None,
            request_id: identity.request_id.clone(),
            lang_link: format!("/lang/{other}?next={}", safe_next(path)),
        }
    }

    pub fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }

    pub fn lang(&self) -> &'static str {
        self.tr.lang.as_str()
    }

    pub fn other_lang(&self) -> &'static str {
        match self.tr.lang {
            Lang::Vi => "en",
            Lang::En => "vi",
        }
    }

    /// A notice named by a `done` query value (e.g. after a redirect).
    pub fn with_notice(mut self, done: Option<&str>) -> Layout {
        self.notice = done
            .filter(|k| k.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
            .map(|k| self.tr.t(k));
        self
    }
}

/// A path to go back to after login or a language switch: same site only.
pub fn safe_next(path: &str) -> String {
    if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') {
        path.chars()
            .filter(|c| c.is_ascii_graphic())
            .take(300)
            .collect()
    } else {
        "/".into()
    }
}

/// Values typed into a form and the errors found in them.
#[derive(Debug, Clone, Default)]
pub struct FormState {
    values: HashMap<String, String>,
    errors: HashMap<String, String>,
}

impl FormState {
    pub fn from_pairs(pairs: impl IntoIterator<Item = (String, String)>) -> FormState {
        FormState {
            values: pairs.into_iter().collect(),
            errors: HashMap::new(),
        }
    }

    pub fn with_errors(mut self, tr: &Tr, errors: &[FieldError]) -> FormState {
        for e in errors {
            self.errors
                .entry(e.field.to_string())
                .or_insert_with(|| tr.field(e.code));
        }
        self
    }

    pub fn set(&mut self, field: &str, value: impl Into<String>) {
        self.values.insert(field.into(), value.into());
    }

    pub fn v(&self, field: &str) -> &str {
        self.values.get(field).map(String::as_str).unwrap_or("")
    }

    pub fn has(&self, field: &str) -> bool {
        self.errors.contains_key(field)
    }

    pub fn err(&self, field: &str) -> &str {
        self.errors.get(field).map(String::as_str).unwrap_or("")
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// Renders a template, or a 500 naming the request when rendering fails.
pub fn render(template: &impl Template) -> WebResult<Response> {
    template
        .render()
        .map(|html| Html(html).into_response())
        .map_err(|e| WebError::App(ansinh_app::AppError::Internal(format!("template: {e}"))))
}

pub fn render_status(status: StatusCode, template: &impl Template) -> WebResult<Response> {
    let mut response = render(template)?;
    *response.status_mut() = status;
    Ok(response)
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: Layout,
    message: &'a str,
    detail: Option<&'a str>,
    status: u16,
}

/// The error page, in the request's language, with the request id.
pub fn error_page(
    state: &AppState,
    identity: &Identity,
    status: StatusCode,
    message: &str,
    detail: Option<&str>,
) -> String {
    let page = ErrorPage {
        layout: Layout::new(state, identity, "", "error-title", "/"),
        message,
        detail,
        status: status.as_u16(),
    };
    page.render()
        .unwrap_or_else(|_| format!("{message} ({})", identity.request_id))
}

/// Dates as officers write them.
pub fn date_vi(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Times in Vietnam, `dd/mm/yyyy HH:MM`.
pub fn time_vi(at: chrono::DateTime<chrono::Utc>) -> String {
    ansinh_app::context::vietnam_time(at)
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

/// The signed-in caller of a page; sends users who must change their password to do so.
pub fn page_ctx(identity: &Identity, path: &str) -> WebResult<Ctx> {
    let ctx = identity
        .ctx
        .clone()
        .ok_or(WebError::App(ansinh_app::AppError::Unauthenticated))?;
    if ctx.actor.must_change_password && !path.starts_with("/account") {
        return Err(WebError::App(ansinh_app::AppError::Rule(
            "must-change-password",
        )));
    }
    Ok(ctx)
}

/// Numbers with Vietnamese thousands separators.
pub fn count(n: i64) -> String {
    ansinh_domain::money::group_thousands(n)
}
