//! The policy catalogue: base levels and rules with their citations and confidence labels,
//! versions added as data (maker-checker), and the public screening page.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use ansinh_app::AppError;
use ansinh_app::policy::PolicyDraftInput;
use ansinh_app::screening::ScreeningInput;
use ansinh_domain::Month;
use ansinh_domain::access::Permission;
use ansinh_policy::catalogue::doc::RuleDoc;
use ansinh_policy::{Citation, Confidence, Report};
use ansinh_store::policy::PolicyStatus;

use crate::error::WebResult;
use crate::extract::{FormBody, IdPath, Identity};
use crate::i18n::Tr;
use crate::pages::{FormState, Layout, page_ctx, render, render_status, time_vi};
use crate::state::AppState;

pub fn confidence_label(tr: &Tr, c: Confidence) -> String {
    if tr.is_vi() {
        c.label_vi().to_string()
    } else {
        c.label_en().to_string()
    }
}

pub fn citation_text(tr: &Tr, c: &Citation) -> String {
    if tr.is_vi() {
        c.render_vi()
    } else {
        c.render_en()
    }
}

#[derive(Debug)]
pub struct BaseRow {
    pub scale: String,
    pub from: String,
    pub amount: String,
    pub province: String,
    pub citation: String,
    pub signed: String,
    pub confidence: String,
    pub confidence_code: &'static str,
}

#[derive(Debug)]
pub struct RuleRow {
    pub section: &'static str,
    pub id: String,
    pub group: String,
    pub label: String,
    pub amount: String,
    pub start: String,
    pub citation: String,
    pub confidence: String,
    pub confidence_code: &'static str,
}

#[derive(Debug)]
pub struct VersionBlock {
    pub id: String,
    pub layer: String,
    pub from: String,
    pub decree: String,
    pub title: String,
    pub province: String,
    pub confidence: String,
    pub confidence_code: &'static str,
    pub extends: String,
    pub removed: String,
    pub note: String,
    pub rules: Vec<RuleRow>,
}

#[derive(Debug)]
pub struct AddedRow {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub status: String,
    pub is_draft: bool,
    pub drafted: String,
    pub decided: String,
    pub note: String,
    pub may_activate: bool,
    pub may_reject: bool,
    pub toml_text: String,
}

/// A built-in catalogue file as recorded in the database.
#[derive(Debug)]
pub struct ShippedRow {
    pub name: String,
    pub status: String,
    pub recorded: String,
    pub program: String,
}

#[derive(Template)]
#[template(path = "policy.html")]
struct PolicyPage {
    layout: Layout,
    bases: Vec<BaseRow>,
    versions: Vec<VersionBlock>,
    added: Vec<AddedRow>,
    shipped: Vec<ShippedRow>,
    may_draft: bool,
    fingerprint: String,
}

fn amount_of(tr: &Tr, r: &RuleDoc) -> String {
    if let Some(c) = r.coefficient {
        let whole = c / 100;
        let frac = c % 100;
        let text = if frac == 0 {
            whole.to_string()
        } else if frac % 10 == 0 {
            format!("{whole},{}", frac / 10)
        } else {
            format!("{whole},{frac:02}")
        };
        let kind = match r.kind.as_deref() {
            Some("floor") => tr.t("policy-at-least"),
            Some("cap") => tr.t("policy-at-most"),
            _ => String::new(),
        };
        format!("{kind} {text} × {}", tr.t("policy-base"))
            .trim()
            .to_string()
    } else if let Some(a) = r.amount {
        a.display_vi()
    } else if let Some(kg) = r.quantity_kg {
        format!("{kg} kg")
    } else {
        String::new()
    }
}

pub async fn catalogue(
    State(state): State<AppState>,
    identity: Identity,
    axum::extract::Query(q): axum::extract::Query<DoneQuery>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/policy")?;
    let layout = Layout::new(&state, &identity, "policy", "policy-title", "/policy")
        .with_notice(q.done.as_deref());
    let tr = layout.tr.clone();
    let catalogue = state.app.catalogue();
    let mut bases = Vec::new();
    let mut versions = Vec::new();
    for layer in catalogue.layers() {
        for b in &layer.fragment.base {
            bases.push(BaseRow {
                scale: tr.t(&format!("policy-scale-{}", b.scale)),
                from: b.from.display_vi(),
                amount: match (b.amount, b.top_up) {
                    (Some(a), _) => a.display_vi(),
                    (None, Some(t)) => format!("+{}", t.display_vi()),
                    _ => String::new(),
                },
                province: b.province.clone().unwrap_or_default(),
                citation: citation_text(&tr, &b.citation),
                signed: b.signed.map(crate::pages::date_vi).unwrap_or_default(),
                confidence: confidence_label(&tr, b.confidence),
                confidence_code: b.confidence.as_str(),
            });
        }
        for v in &layer.fragment.version {
            let mut rules = Vec::new();
            let sections: [(&'static str, &Vec<RuleDoc>); 7] = [
                ("allowance", &v.rule),
                ("caregiving", &v.caregiving),
                ("facility", &v.facility),
                ("social_pension", &v.social_pension),
                ("funeral", &v.funeral),
                ("emergency", &v.emergency),
                ("health_insurance", &v.health_insurance),
            ];
            for (section, list) in sections {
                for r in list {
                    rules.push(RuleRow {
                        section,
                        id: r.id.clone(),
                        group: [r.group.clone(), r.sub_case.clone()]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join(" "),
                        label: if tr.is_vi() {
                            r.label_vi.clone()
                        } else {
                            r.label_en.clone()
                        },
                        amount: amount_of(&tr, r),
                        start: r
                            .start
                            .as_deref()
                            .map(|s| tr.t(&format!("policy-start-{s}")))
                            .unwrap_or_default(),
                        citation: citation_text(&tr, &r.citation),
                        confidence: confidence_label(&tr, r.confidence),
                        confidence_code: r.confidence.as_str(),
                    });
                }
            }
            versions.push(VersionBlock {
                id: v.id.clone(),
                layer: layer.name.clone(),
                from: v.from.display_vi(),
                decree: v.decree.clone(),
                title: if tr.is_vi() {
                    v.title_vi.clone()
                } else {
                    v.title_en.clone()
                },
                province: v.province.clone().unwrap_or_default(),
                confidence: confidence_label(&tr, v.confidence),
                confidence_code: v.confidence.as_str(),
                extends: v.extends.clone().unwrap_or_default(),
                removed: v.remove.join(", "),
                note: v.note.clone().unwrap_or_default(),
                rules,
            });
        }
    }
    let may_activate = ctx.actor.role.can(Permission::ActivatePolicy);
    let all_versions = state.app.policy_versions(&ctx).await?;
    let shipped = all_versions
        .iter()
        .filter(|v| {
            matches!(
                v.version.status,
                PolicyStatus::Builtin | PolicyStatus::Superseded
            )
        })
        .map(|v| ShippedRow {
            name: v.version.name.clone(),
            status: tr.t(&format!("policy-status-{}", v.version.status.as_str())),
            recorded: time_vi(v.version.drafted_at),
            program: v.version.note.clone(),
        })
        .collect();
    let added = all_versions
        .into_iter()
        .filter(|v| {
            !matches!(
                v.version.status,
                PolicyStatus::Builtin | PolicyStatus::Superseded
            )
        })
        .map(|v| {
            let p = v.version;
            let is_draft = p.status == PolicyStatus::Draft;
            AddedRow {
                id: p.id,
                description: p.description,
                status: tr.t(&format!("policy-status-{}", p.status.as_str())),
                drafted: format!("{} · {}", v.drafted_by_name, time_vi(p.drafted_at)),
                decided: match (v.decided_by_name, p.decided_at) {
                    (Some(n), Some(at)) => format!("{n} · {}", time_vi(at)),
                    _ => String::new(),
                },
                note: p.note,
                may_activate: is_draft && may_activate && p.drafted_by != Some(ctx.actor.user_id),
                may_reject: is_draft && (may_activate || p.drafted_by == Some(ctx.actor.user_id)),
                is_draft,
                name: p.name,
                toml_text: p.toml_text,
            }
        })
        .collect();
    render(&PolicyPage {
        layout,
        bases,
        versions,
        added,
        shipped,
        may_draft: ctx.actor.role.can(Permission::DraftPolicy),
        fingerprint: catalogue.fingerprint(),
    })
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "policy_form.html")]
struct PolicyForm {
    layout: Layout,
    form: FormState,
    problems: Vec<String>,
}

pub async fn new_form(State(state): State<AppState>, identity: Identity) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/policy")?;
    state.app.require(&ctx, Permission::DraftPolicy)?;
    render(&PolicyForm {
        layout: Layout::new(&state, &identity, "policy", "policy-new", "/policy/new"),
        form: FormState::default(),
        problems: vec![],
    })
}

pub async fn create(
    State(state): State<AppState>,
    identity: Identity,
    FormBody(pairs): FormBody<Vec<(String, String)>>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/policy")?;
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let input = PolicyDraftInput {
        name: get("name"),
        description: get("description"),
        toml_text: get("toml_text"),
    };
    match state.app.draft_policy(&ctx, &input).await {
        Ok(_) => Ok(Redirect::to("/policy?done=policy-drafted").into_response()),
        Err(AppError::Invalid(errors)) => {
            let layout = Layout::new(&state, &identity, "policy", "policy-new", "/policy/new");
            let problems = errors.iter().filter_map(|e| e.detail.clone()).collect();
            let form = FormState::from_pairs(pairs.into_iter().filter(|(k, _)| k != "_csrf"))
                .with_errors(&layout.tr, &errors);
            render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &PolicyForm {
                    layout,
                    form,
                    problems,
                },
            )
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn activate(
    State(state): State<AppState>,
    identity: Identity,
    IdPath(id): IdPath,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/policy")?;
    state.app.activate_policy(&ctx, id).await?;
    Ok(Redirect::to("/policy?done=policy-activated").into_response())
}

#[derive(Debug, Deserialize)]
pub struct RejectForm {
    #[serde(default)]
    note: String,
}

pub async fn reject(
    State(state): State<AppState>,
    identity: Identity,
    IdPath(id): IdPath,
    FormBody(form): FormBody<RejectForm>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/policy")?;
    state.app.reject_policy(&ctx, id, &form.note).await?;
    Ok(Redirect::to("/policy?done=policy-rejected").into_response())
}

#[derive(Template)]
#[template(path = "screening.html")]
struct ScreeningPage {
    layout: Layout,
    form: FormState,
    result: Option<ScreeningResult>,
    month: String,
}

/// What the screening found, ready to show.
#[derive(Debug)]
pub struct ScreeningResult {
    pub monthly_total: String,
    pub lines: Vec<(String, String, String)>,
    pub other: Vec<String>,
    pub health_insurance: String,
    pub pending: Vec<String>,
    pub nothing: bool,
}

fn summarise(report: &Report) -> ScreeningResult {
    let mut lines = Vec::new();
    if let Some(a) = &report.monthly_allowance {
        for l in &a.lines {
            lines.push((
                l.sentence.clone(),
                l.amount.display_vi(),
                l.confidence.as_str().to_string(),
            ));
        }
    }
    if let Some(sp) = &report.social_pension
        && sp.paid
    {
        lines.push((
            sp.explanation.sentence.clone(),
            sp.explanation.amount.display_vi(),
            sp.explanation.confidence.as_str().to_string(),
        ));
    }
    for c in &report.caregiving {
        lines.push((
            c.sentence.clone(),
            c.amount.display_vi(),
            c.confidence.as_str().to_string(),
        ));
    }
    let mut other = Vec::new();
    if let Some(a) = &report.monthly_allowance
        && (a.lines.len() > 1 || !report.qualifying.is_empty())
    {
        other.push(a.combination.sentence.clone());
    }
    ScreeningResult {
        monthly_total: report.monthly_total.display_vi(),
        nothing: lines.is_empty(),
        lines,
        other,
        health_insurance: report.health_insurance.sentence.clone(),
        pending: report.pending.iter().map(|p| p.sentence.clone()).collect(),
    }
}

fn this_month(state: &AppState) -> Month {
    Month::of(ansinh_app::context::vietnam_time(state.clock.now()).date())
}

/// The public page: no sign-in, nothing stored, no identifier asked.
pub async fn screening_form(
    State(state): State<AppState>,
    identity: Identity,
) -> WebResult<Response> {
    render(&ScreeningPage {
        layout: Layout::new(
            &state,
            &identity,
            "screening",
            "screening-title",
            "/screening",
        ),
        form: FormState::default(),
        result: None,
        month: this_month(&state).display_vi(),
    })
}

pub async fn screening(
    State(state): State<AppState>,
    identity: Identity,
    FormBody(pairs): FormBody<Vec<(String, String)>>,
) -> WebResult<Response> {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let flag = |k: &str| get(k) == "true";
    let input = ScreeningInput {
        birth_date: get("birth_date"),
        sex: get("sex"),
        poverty: get("poverty"),
        disability: get("disability"),
        ethnic_area: flag("ethnic_area"),
        has_pension: flag("has_pension"),
        has_supporter: flag("has_supporter"),
        hiv: flag("hiv"),
        studying: flag("studying"),
        child_case: get("child_case"),
        marital_status: get("marital_status"),
        children_under_16: get("children_under_16"),
        children_studying: get("children_studying"),
    };
    let layout = Layout::new(
        &state,
        &identity,
        "screening",
        "screening-title",
        "/screening",
    );
    let month = this_month(&state);
    let form = FormState::from_pairs(pairs.into_iter().filter(|(k, _)| k != "_csrf"));
    match state.app.screen(&input, month, identity.lang) {
        Ok(report) => render(&ScreeningPage {
            layout,
            form,
            result: Some(summarise(&report)),
            month: month.display_vi(),
        }),
        Err(AppError::Invalid(errors)) => {
            let form = form.with_errors(&layout.tr, &errors);
            render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ScreeningPage {
                    layout,
                    form,
                    result: None,
                    month: month.display_vi(),
                },
            )
        }
        Err(e) => Err(e.into()),
    }
}
