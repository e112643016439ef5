//! The HTTP face of ansinh: pages, the JSON API, health and metrics. Thin: every decision
//! is made in `ansinh-app`; this crate parses requests, checks who is asking and renders.

pub mod api;
pub mod error;
pub mod extract;
pub mod i18n;
pub mod metrics;
pub mod middleware;
pub mod pages;
pub mod state;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use std::net::SocketAddr;

pub use state::{AppState, Clock, WebConfig};

const APP_CSS: &str = include_str!("../static/app.css");

pub fn router(state: AppState) -> Router {
    let pages = Router::new()
        .route("/", get(pages::home::dashboard))
        .route(
            "/login",
            get(pages::session::login_form).post(pages::session::login),
        )
        .route("/logout", post(pages::session::logout))
        .route("/lang/{code}", get(pages::session::switch_language))
        .route("/units", get(pages::home::units))
        .route(
            "/people",
            get(pages::people::list).post(pages::people::create),
        )
        .route("/people/new", get(pages::people::new_form))
        .route("/people/export.csv", get(pages::people::export_csv))
        .route("/people/export.xlsx", get(pages::people::export_xlsx))
        .route(
            "/people/{id}",
            get(pages::people::view).post(pages::people::update),
        )
        .route("/people/{id}/edit", get(pages::people::edit_form))
        .route("/people/{id}/reveal", post(pages::people::reveal))
        .route("/people/{id}/history", get(pages::people::history))
        .route("/households/{id}", get(pages::people::household))
        .route("/households/{id}/poverty", post(pages::people::set_poverty))
        .route("/account", get(pages::account::show))
        .route("/account/password", post(pages::account::change_password))
        .route("/account/tokens", post(pages::account::create_token))
        .route(
            "/account/tokens/{id}/revoke",
            post(pages::account::revoke_token),
        )
        .route(
            "/admin/users",
            get(pages::admin::list).post(pages::admin::create),
        )
        .route("/admin/users/new", get(pages::admin::new_form))
        .route(
            "/admin/users/{id}",
            get(pages::admin::edit_form).post(pages::admin::update),
        )
        .route(
            "/admin/users/{id}/reset-password",
            post(pages::admin::reset_password),
        )
        .route("/audit", get(pages::audit::list))
        .route(
            "/policy",
            get(pages::policy::catalogue).post(pages::policy::create),
        )
        .route("/policy/new", get(pages::policy::new_form))
        .route("/policy/{id}/activate", post(pages::policy::activate))
        .route("/policy/{id}/reject", post(pages::policy::reject))
        .route(
            "/screening",
            get(pages::policy::screening_form).post(pages::policy::screening),
        )
        .route(
            "/dossiers",
            get(pages::dossiers::list).post(pages::dossiers::create),
        )
        .route("/dossiers/new", get(pages::dossiers::new_form))
        .route("/dossiers/{id}", get(pages::dossiers::view))
        .route("/dossiers/{id}/receipt", get(pages::dossiers::receipt))
        .route("/dossiers/{id}/act", post(pages::dossiers::act))
        .route(
            "/dossiers/{id}/attachments",
            // An attachment may be larger than an ordinary form; the store checks the exact cap.
            post(pages::dossiers::upload).layer(DefaultBodyLimit::max(
                ansinh_app::dossiers::MAX_ATTACHMENT_BYTES + 64 * 1024,
            )),
        )
        .route(
            "/dossiers/{id}/attachments/{aid}",
            get(pages::dossiers::download),
        )
        .route("/decisions/pending", get(pages::dossiers::pending))
        .route("/decisions/drafts", post(pages::dossiers::prepare))
        .route(
            "/decisions/drafts/{id}/approve",
            post(pages::dossiers::approve),
        )
        .route(
            "/decisions/drafts/{id}/reject",
            post(pages::dossiers::reject_draft),
        )
        .route("/decisions/{id}", get(pages::dossiers::decision))
        .route("/payroll", get(pages::payroll::index))
        .route("/payroll/jobs", post(pages::payroll::start))
        .route("/payroll/runs/{id}", get(pages::payroll::run))
        .route("/payroll/runs/{id}/check", post(pages::payroll::check))
        .route("/payroll/runs/{id}/send", post(pages::payroll::send))
        .route("/payroll/runs/{id}/close", post(pages::payroll::close))
        .route("/payroll/runs/{id}/discard", post(pages::payroll::discard))
        .route("/payroll/runs/{id}/export", get(pages::payroll::export))
        .route(
            "/payroll/runs/{id}/results",
            // A results file may be larger than an ordinary form.
            post(pages::payroll::results).layer(DefaultBodyLimit::max(
                pages::payroll::MAX_RESULTS_BYTES + 64 * 1024,
            )),
        )
        .route(
            "/payroll/reconciliation",
            get(pages::payroll::reconciliation),
        )
        .route(
            "/payroll/reconciliation/transfers",
            post(pages::payroll::record_transfer),
        )
        .route("/payroll/budget", get(pages::payroll::budget))
        .route("/posting", get(pages::public::posting_index))
        .route("/posting/{code}", get(pages::public::posting))
        .route(
            "/status",
            get(pages::public::status_form).post(pages::public::status),
        );
    let api = Router::new()
        .route("/api/v1/openapi.json", get(api::openapi))
        .route("/api/v1/me", get(api::me))
        .route(
            "/api/v1/people",
            get(api::people::search).post(api::people::create),
        )
        .route("/api/v1/people/export.csv", get(pages::people::export_csv))
        .route(
            "/api/v1/people/{id}",
            get(api::people::get).put(api::people::update),
        )
        .route("/api/v1/units/tree", get(api::units::tree))
        .route(
            "/api/v1/entitlements/evaluate",
            post(api::entitlements::evaluate),
        )
        .route("/api/v1/dossiers/tasks", get(api::dossiers::tasks))
        .route("/api/v1/dossiers/overdue", get(api::dossiers::overdue))
        .route("/api/v1/calendar/holidays", get(api::dossiers::holidays))
        .route(
            "/api/v1/calendar/add-working-days",
            get(api::dossiers::add_working_days),
        );
    Router::new()
        .merge(pages)
        .merge(api)
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/static/app.css", get(stylesheet))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::record_metrics,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::identify,
        ))
        .layer(axum::middleware::from_fn(middleware::security_headers))
        .layer(DefaultBodyLimit::max(state.config.body_limit))
        .with_state(state)
}

async fn not_found() -> error::WebError {
    error::WebError::App(ansinh_app::AppError::NotFound)
}

/// 200 when the database answers.
async fn healthz(State(state): State<AppState>) -> Response {
    match state.app.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.encode(),
    )
        .into_response()
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        APP_CSS,
    )
        .into_response()
}

/// Serves until `shutdown` resolves.
pub async fn serve(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
