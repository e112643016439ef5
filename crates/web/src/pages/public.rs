//! Public pages (no sign-in): the communes' posting lists and the dossier status lookup.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use ansinh_app::AppError;
use ansinh_app::public::{PostingList, PublicStatus};
use ansinh_domain::money::Money;

use crate::error::WebResult;
use crate::extract::{FormBody, Identity};
use crate::pages::{Layout, date_vi, render, render_status};
use crate::state::AppState;

fn today(state: &AppState) -> chrono::NaiveDate {
    ansinh_app::context::vietnam_time(state.clock.now()).date()
}

#[derive(Template)]
#[template(path = "posting_index.html")]
struct PostingIndex {
    layout: Layout,
    communes: Vec<(String, String)>,
}

pub async fn posting_index(
    State(state): State<AppState>,
    identity: Identity,
) -> WebResult<Response> {
    render(&PostingIndex {
        layout: Layout::new(&state, &identity, "posting", "posting-title", "/posting"),
        communes: state.app.communes_today(today(&state)),
    })
}

#[derive(Template)]
#[template(path = "posting.html")]
struct PostingPage {
    layout: Layout,
    list: PostingList,
    date: String,
    /// No., name, birth year, hamlet, group, proposed amount, posting period.
    lines: Vec<(usize, String, i32, String, String, String, String)>,
}

pub async fn posting(
    State(state): State<AppState>,
    identity: Identity,
    Path(code): Path<String>,
) -> WebResult<Response> {
    let code: String = code
        .chars()
        .filter(|c| c.is_ascii_digit())
        .take(5)
        .collect();
    let list = state.app.posting_list(&code, today(&state)).await?;
    let mut layout = Layout::new(
        &state,
        &identity,
        "posting",
        "posting-title",
        &format!("/posting/{code}"),
    );
    layout.title = format!("{} — {}", layout.tr.t("posting-title"), list.commune_name);
    let lines = list
        .lines
        .iter()
        .map(|l| {
            let period = match l.posted_until {
                Some(u) => format!("{} – {}", date_vi(l.posted_from), date_vi(u)),
                None => date_vi(l.posted_from),
            };
            let group = if l.group_name.is_empty() {
                l.group.clone()
            } else {
                format!("{} ({})", l.group_name, l.group)
            };
            (
                l.no,
                l.full_name.clone(),
                l.birth_year,
                l.hamlet.clone(),
                group,
                Money(l.proposed_amount).display_vi(),
                period,
            )
        })
        .collect();
    render(&PostingPage {
        date: date_vi(list.date),
        lines,
        list,
        layout,
    })
}

#[derive(Template)]
#[template(path = "status.html")]
struct StatusPage {
    layout: Layout,
    status: Option<PublicStatus>,
    error: Option<String>,
    code: String,
}

pub async fn status_form(State(state): State<AppState>, identity: Identity) -> WebResult<Response> {
    render(&StatusPage {
        layout: Layout::new(&state, &identity, "status", "status-title", "/status"),
        status: None,
        error: None,
        code: String::new(),
    })
}

#[derive(Debug, Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    secret: String,
}

pub async fn status(
    State(state): State<AppState>,
    identity: Identity,
    FormBody(form): FormBody<StatusForm>,
) -> WebResult<Response> {
    let layout = Layout::new(&state, &identity, "status", "status-title", "/status");
    let code: String = form.code.trim().chars().take(40).collect();
    match state
        .app
        .public_status(&code, &form.secret, &identity.source, state.clock.now())
        .await
    {
        Ok(s) => render(&StatusPage {
            layout,
            status: Some(s),
            error: None,
            code,
        }),
        Err(AppError::NotFound) => {
            let error = Some(layout.tr.t("status-not-found"));
            render_status(
                StatusCode::NOT_FOUND,
                &StatusPage {
                    layout,
                    status: None,
                    error,
                    code,
                },
            )
        }
        Err(AppError::Throttled { .. }) => {
            let error = Some(layout.tr.t("error-throttled"));
            render_status(
                StatusCode::TOO_MANY_REQUESTS,
                &StatusPage {
                    layout,
                    status: None,
                    error,
                    code,
                },
            )
        }
        Err(e) => Err(e.into()),
    }
}
