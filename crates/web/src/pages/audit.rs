//! The audit trail, for administrators and inspectors.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use ansinh_store::audit::AuditQuery;

use crate::error::WebResult;
use crate::extract::{Identity, QueryParams};
use crate::pages::people::{AuditRowView, audit_views};
use crate::pages::{Layout, page_ctx, render};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    layout: Layout,
    actor: String,
    entity: String,
    rows: Vec<AuditRowView>,
    next_link: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct AuditParams {
    actor: String,
    entity: String,
    offset: u64,
}

const PAGE: u64 = 100;

pub async fn list(
    State(state): State<AppState>,
    identity: Identity,
    QueryParams(p): QueryParams<AuditParams>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/audit")?;
    let rows = state
        .app
        .audit_trail(
            &ctx,
            AuditQuery {
                chains: None,
                entity: Some(p.entity.trim().to_string()).filter(|s| !s.is_empty()),
                entity_id: None,
                actor: Some(p.actor.trim().to_string()).filter(|s| !s.is_empty()),
                limit: PAGE,
                offset: p.offset,
            },
        )
        .await?;
    let next_link = (rows.len() as u64 == PAGE).then(|| {
        format!(
            "/audit?actor={}&entity={}&offset={}",
            form_urlencoded::byte_serialize(p.actor.as_bytes()).collect::<String>(),
            form_urlencoded::byte_serialize(p.entity.as_bytes()).collect::<String>(),
            p.offset + PAGE
        )
    });
    render(&AuditPage {
        layout: Layout::new(&state, &identity, "audit", "audit-title", "/audit"),
        actor: p.actor,
        entity: p.entity,
        rows: audit_views(rows),
        next_link,
    })
}
