//! Dossier pages: my tasks and the overdue list, intake with its checklist and receipt,
//! the dossier with its clock and actions, attachments, decisions (printable), decisions
//! awaiting approval.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use ansinh_app::decisions::{DecisionBody, DraftInput};
use ansinh_app::dossiers::{ActionInput, HOUSEHOLD_FLAGS, IntakeInput, PERSON_FLAGS, workflows};
use ansinh_app::{AppError, Ctx};
use ansinh_domain::access::Permission;
use ansinh_domain::ids::{DecisionId, DossierId, PersonId};
use ansinh_domain::money::Money;
use ansinh_store::dossiers::DossierRow;

use crate::error::{WebError, WebResult};
use crate::extract::{FormBody, IdPath, Identity, QueryParams};
use crate::i18n::Tr;
use crate::pages::{FormState, Layout, date_vi, page_ctx, render, render_status, time_vi};
use crate::state::AppState;

/// A dossier in a list.
#[derive(Debug)]
pub struct DossierLine {
    pub id: i64,
    pub code: String,
    pub person: String,
    pub kind: String,
    pub step: String,
    pub due: String,
    pub overdue: bool,
    pub paused: bool,
    pub status: String,
    pub task: String,
}

fn type_name(tr: &Tr, code: &str) -> String {
    workflows()
        .ok()
        .and_then(|w| w.application_type(code))
        .map(|t| {
            if tr.is_vi() {
                format!("{} — {}", t.form_vi, t.name_vi)
            } else {
                t.name_en.clone()
            }
        })
        .unwrap_or_else(|| code.to_string())
}

fn step_name(tr: &Tr, definition: &str, step: Option<&str>) -> String {
    let Some(step) = step else {
        return String::new();
    };
    workflows()
        .ok()
        .and_then(|w| w.definition(definition))
        .and_then(|d| d.step(step))
        .map(|s| {
            if tr.is_vi() {
                s.name_vi.clone()
            } else {
                s.name_en.clone()
            }
        })
        .unwrap_or_else(|| step.to_string())
}

async fn line_of(
    state: &AppState,
    tr: &Tr,
    today: NaiveDate,
    r: &DossierRow,
    task: &str,
) -> DossierLine {
    let person = ansinh_store::registry::get_person(
        state.app.db.conn(),
        r.data.person_id,
        &ansinh_store::scope::Scope::All,
    )
    .await
    .ok()
    .flatten()
    .map(|p| p.data.full_name)
    .unwrap_or_default();
    DossierLine {
        id: r.id.0,
        code: r.data.code.clone(),
        person,
        kind: type_name(tr, &r.data.application_type),
        step: step_name(tr, &r.data.definition, r.data.current_step.as_deref()),
        due: r.data.due_on.map(date_vi).unwrap_or_default(),
        overdue: r.data.due_on.is_some_and(|d| d < today) && r.data.status == "open",
        paused: r.data.status == "paused",
        status: tr.t(&format!(
            "dossier-status-{}",
            r.data.outcome.as_deref().unwrap_or(&r.data.status)
        )),
        task: if task.is_empty() {
            String::new()
        } else {
            tr.t(&format!("dossier-task-{task}"))
        },
    }
}

#[derive(Template)]
#[template(path = "dossiers.html")]
struct DossiersPage {
    layout: Layout,
    tab: String,
    rows: Vec<DossierLine>,
    may_receive: bool,
    timeliness: Vec<ansinh_app::dossiers::TimelinessRow>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct TabQuery {
    tab: String,
    done: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    identity: Identity,
    QueryParams(q): QueryParams<TabQuery>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/dossiers")?;
    let layout = Layout::new(&state, &identity, "dossiers", "dossiers-title", "/dossiers")
        .with_notice(q.done.as_deref());
    let tr = layout.tr.clone();
    let today = ctx.today();
    let mut rows = Vec::new();
    let tab = if q.tab == "overdue" {
        "overdue"
    } else {
        "tasks"
    };
    if tab == "overdue" {
        for r in state.app.overdue_dossiers(&ctx, 200).await? {
            rows.push(line_of(&state, &tr, today, &r, "").await);
        }
    } else {
        for t in state.app.tasks(&ctx, 200).await? {
            rows.push(line_of(&state, &tr, today, &t.dossier, t.kind).await);
        }
    }
    let from = today - chrono::Duration::days(365);
    let timeliness = state.app.timeliness(&ctx, from, today).await?;
    render(&DossiersPage {
        layout,
        tab: tab.into(),
        rows,
        may_receive: ctx.actor.role.can(Permission::PrepareDossier),
        timeliness,
    })
}

#[derive(Debug)]
pub struct CheckItem {
    pub code: String,
    pub name: String,
    pub attach: bool,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "dossier_new.html")]
struct NewDossierPage {
    layout: Layout,
    person_id: i64,
    person_name: String,
    types: Vec<(String, String)>,
    chosen: String,
    groups: Vec<String>,
    conditions: Vec<(String, String, bool)>,
    checklist: Vec<CheckItem>,
    person_flags: Vec<(String, String, bool)>,
    household_flags: Vec<(String, String, bool)>,
    form: FormState,
    errors: Vec<String>,
}

#[derive(Debug, Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    person: String,
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    condition: Vec<String>,
}

fn flag_label(tr: &Tr, flag: &str) -> String {
    tr.t(&format!("flag-{flag}"))
}

/// What the officer typed (on a refused form) and why it was refused.
struct Entered<'a> {
    values: Vec<(String, String)>,
    errors: Vec<String>,
    field_errors: &'a [ansinh_domain::registry::FieldError],
}

async fn intake_page(
    state: &AppState,
    identity: &Identity,
    ctx: &Ctx,
    person: PersonId,
    kind: &str,
    entered: Entered<'_>,
) -> WebResult<NewDossierPage> {
    let Entered {
        values,
        errors,
        field_errors,
    } = entered;
    let view = state.app.person(ctx, person, false).await?;
    let layout = Layout::new(state, identity, "dossiers", "dossier-new", "/dossiers/new");
    let tr = layout.tr.clone();
    let wf = workflows()?;
    let today = ctx.today();
    let types = wf
        .application_types()
        .iter()
        .filter(|t| t.from.is_none_or(|f| f <= today))
        .map(|t| {
            (
                t.code.clone(),
                if tr.is_vi() {
                    format!("{} — {}", t.form_vi, t.name_vi)
                } else {
                    format!("{} — {}", t.code, t.name_en)
                },
            )
        })
        .collect();
    let chosen_type = wf.application_type(kind);
    let picked = |key: &str, v: &str| values.iter().any(|(k, x)| k == key && x == v);
    let conditions: Vec<(String, String, bool)> = wf
        .conditions()
        .iter()
        .map(|c| {
            (
                c.key.clone(),
                if tr.is_vi() {
                    c.name_vi.clone()
                } else {
                    c.name_en.clone()
                },
                picked("condition", &c.key),
            )
        })
        .collect();
    let declared: Vec<String> = conditions
        .iter()
        .filter(|c| c.2)
        .map(|c| c.0.clone())
        .collect();
    let checklist = match chosen_type {
        Some(t) => state
            .app
            .checklist(&t.code, today, &declared)?
            .into_iter()
            .map(|d| CheckItem {
                checked: picked("documents", &d.code),
                attach: d.kind == ansinh_workflow::DocumentKind::Attach,
                name: if tr.is_vi() {
                    d.name_vi.clone()
                } else {
                    d.name_en.clone()
                },
                code: d.code,
            })
            .collect(),
        None => vec![],
    };
    let mut form = FormState::from_pairs(
        values
            .iter()
            .filter(|(k, _)| {
                !matches!(
                    k.as_str(),
                    "documents" | "condition" | "flags" | "household_flags" | "_csrf"
                )
            })
            .cloned(),
    );
    if form.v("channel").is_empty() {
        form.set("channel", "in_person");
    }
    let form = form.with_errors(&tr, field_errors);
    Ok(NewDossierPage {
        person_id: person.0,
        person_name: view.person.data.full_name.clone(),
        types,
        chosen: chosen_type.map(|t| t.code.clone()).unwrap_or_default(),
        groups: chosen_type.map(|t| t.groups.clone()).unwrap_or_default(),
        conditions,
        checklist,
        person_flags: PERSON_FLAGS
            .iter()
            .map(|f| (f.to_string(), flag_label(&tr, f), picked("flags", f)))
            .collect(),
        household_flags: HOUSEHOLD_FLAGS
            .iter()
            .map(|f| {
                (
                    f.to_string(),
                    flag_label(&tr, f),
                    picked("household_flags", f),
                )
            })
            .collect(),
        form,
        errors,
        layout,
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    identity: Identity,
    QueryParams(q): QueryParams<NewQuery>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/dossiers/new")?;
    state.app.require(&ctx, Permission::PrepareDossier)?;
    let person = q
        .person
        .trim()
        .parse::<i64>()
        .map(PersonId)
        .map_err(|_| WebError::App(AppError::NotFound))?;
    let values: Vec<(String, String)> = q
        .condition
        .iter()
        .map(|c| ("condition".to_string(), c.clone()))
        .collect();
    render(
        &intake_page(
            &state,
            &identity,
            &ctx,
            person,
            q.kind.trim(),
            Entered {
                values,
                errors: vec![],
                field_errors: &[],
            },
        )
        .await?,
    )
}

fn all(pairs: &[(String, String)], key: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .collect()
}

fn one(pairs: &[(String, String)], key: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

pub async fn create(
    State(state): State<AppState>,
    identity: Identity,
    FormBody(pairs): FormBody<Vec<(String, String)>>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/dossiers")?;
    let input = IntakeInput {
        person_id: one(&pairs, "person_id"),
        application_type: one(&pairs, "application_type"),
        channel: one(&pairs, "channel"),
        documents: all(&pairs, "documents"),
        conditions: all(&pairs, "condition"),
        requested_group: one(&pairs, "requested_group"),
        k1_case: one(&pairs, "k1_case"),
        marital_status: one(&pairs, "marital_status"),
        flags: all(&pairs, "flags"),
        household_flags: all(&pairs, "household_flags"),
        children: one(&pairs, "children"),
        certificate_month: one(&pairs, "certificate_month"),
    };
    match state.app.receive_dossier(&ctx, &input).await {
        Ok((id, _)) => Ok(Redirect::to(&format!("/dossiers/{}/receipt", id.0)).into_response()),
        Err(AppError::Invalid(errors)) => {
            let person = input
                .person_id
                .trim()
                .parse::<i64>()
                .map(PersonId)
                .map_err(|_| WebError::App(AppError::NotFound))?;
            let tr = state.tr(identity.lang);
            let texts: Vec<String> = errors
                .iter()
                .map(|e| match e.detail.as_deref() {
                    Some(d) if matches!(e.code, "documents-missing" | "proposal-problem") => {
                        format!("{} {d}", tr.field(e.code))
                    }
                    _ => format!(
                        "{}: {}",
                        tr.t(&format!("dossier-field-{}", e.field)),
                        tr.field(e.code)
                    ),
                })
                .collect();
            let page = intake_page(
                &state,
                &identity,
                &ctx,
                person,
                input.application_type.trim(),
                Entered {
                    values: pairs,
                    errors: texts,
                    field_errors: &errors,
                },
            )
            .await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "receipt.html")]
struct ReceiptPage {
    layout: Layout,
    d: DossierRow,
    person: String,
    kind: String,
    documents: Vec<String>,
    received: String,
    expected: String,
    issuer: String,
    place: String,
}

pub async fn receipt(
    State(state): State<AppState>,
    identity: Identity,
    IdPath(id): IdPath,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/dossiers")?;
    let v = state.app.dossier(&ctx, DossierId(id)).await?;
    let mut layout = Layout::new(
        &state,
        &identity,
        "dossiers",
        "receipt-title",
        &format!("/dossiers/{id}/receipt"),
    );
    layout.title = layout.tr.t("receipt-title");
    let tr = layout.tr.clone();
    let wf = workflows()?;
    let documents = v
        .state
        .documents()
        .iter()
        .map(|code| {
            wf.documents()
                .iter()
                .find(|d| &d.code == code)
                .map(|d| {
                    if tr.is_vi() {
                        d.name_vi.clone()
                    } else {
                        d.name_en.clone()
                    }
                })
                .unwrap_or_else(|| code.clone())
        })
        .collect();
    let graph = state.app.graph();
    let commune = graph
        .get(v.row.data.unit_id)
        .map(|u| u.name.clone())
        .unwrap_or_default();
    render(&ReceiptPage {
        person: v.person_name.clone(),
        kind: type_name(&tr, &v.row.data.application_type),
        documents,
        received: date_vi(v.row.data.received_on),
        expected: v.row.data.statutory_due_on.map(date_vi).unwrap_or_default(),
        issuer: format!("UBND {}", commune.to_uppercase()),
        place: commune,
        d: v.row,
        layout,
    })
}

/// One step of the procedure as the dossier page lists it.
#[derive(Debug)]
pub struct StepLine {
    pub name: String,
    pub actor: String,
    pub deadline: String,
    pub started: String,
    pub ended: String,
    pub status: String,
    pub current: bool,
}

/// An action button: what it sends.
#[derive(Debug)]
pub struct ActionButton {
    pub action: String,
    pub step: String,
    pub outcome: String,
    pub label: String,
    pub needs_reasons: bool,
    pub secondary: bool,
}

#[derive(Template)]
#[template(path = "dossier_view.html")]
struct DossierPage {
    layout: Layout,
    d: DossierRow,
    state_label: String,
    channel_label: String,
    person: String,
    kind: String,
    definition: String,
    to_be_confirmed: bool,
    steps: Vec<StepLine>,
    clock: String,
    overdue: bool,
    proposed: Vec<String>,
    proposed_total: String,
    buttons: Vec<ActionButton>,
    may_pause: bool,
    may_resume: bool,
    may_complain: bool,
    may_attach: bool,
    complaints: Vec<(usize, String, bool)>,
    attachments: Vec<(i64, String, String, String, String)>,
    documents: Vec<(String, String)>,
    events: Vec<(String, String, String, String)>,
    decisions: Vec<(i64, String)>,
}

pub async fn view(
    State(state): State<AppState>,
    identity: Identity,
    IdPath(id): IdPath,
    QueryParams(q): QueryParams<TabQuery>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/dossiers")?;
    let v = state.app.dossier(&ctx, DossierId(id)).await?;
    let mut layout = Layout::new(
        &state,
        &identity,
        "dossiers",
        "dossiers-title",
        &format!("/dossiers/{id}"),
    )
    .with_notice(q.done.as_deref());
    layout.title = format!("{} {}", layout.tr.t("dossier"), v.row.data.code);
    let tr = layout.tr.clone();
    let wf = workflows()?;
    let def = wf.definition(&v.row.data.definition);
    let name = |vi: &str, en: &str| {
        if tr.is_vi() {
            vi.to_string()
        } else {
            en.to_string()
        }
    };
    let mut steps = Vec::new();
    if let Some(def) = def {
        for s in &def.steps {
            let record = v
                .state
                .steps()
                .iter()
                .rev()
                .find(|r| r.code == s.code && r.definition == def.id);
            steps.push(StepLine {
                name: name(&s.name_vi, &s.name_en),
                actor: name(&s.actor_vi, &s.actor_en),
                deadline: s
                    .deadline
                    .map(|d| tr.t1("dossier-working-days", "n", d))
                    .unwrap_or_default(),
                started: record.map(|r| date_vi(r.started)).unwrap_or_default(),
                ended: record
                    .and_then(|r| r.ended)
                    .map(date_vi)
                    .unwrap_or_default(),
                status: record
                    .map(|r| {
                        tr.t(&format!(
                            "step-status-{}",
                            serde_json::to_value(r.status)
                                .ok()
                                .and_then(|v| v.as_str().map(str::to_string))
                                .unwrap_or_default()
                        ))
                    })
                    .unwrap_or_default(),
                current: v.row.data.current_step.as_deref() == Some(s.code.as_str())
                    && !v.state.is_closed(),
            });
        }
    }
    let mut buttons = Vec::new();
    if v.may_act {
        if v.pending_handover {
            buttons.push(ActionButton {
                action: "hand_over".into(),
                step: String::new(),
                outcome: String::new(),
                label: tr.t("dossier-hand-over"),
                needs_reasons: false,
                secondary: false,
            });
        } else if let (Some(def), Some(current)) = (def, v.state.current())
            && let Some(step) = def.step(&current.code)
        {
            if step.allows(ctx.actor.role) && !v.state.is_paused() {
                for o in &step.outcomes {
                    let decision = step.kind == ansinh_workflow::StepKind::Decision;
                    let action = match (decision, o.code.as_str()) {
                        (true, "grant") => "grant",
                        (true, "reject") => "reject",
                        _ => "complete",
                    };
                    buttons.push(ActionButton {
                        action: action.into(),
                        step: step.code.clone(),
                        outcome: o.code.clone(),
                        label: name(&o.name_vi, &o.name_en),
                        needs_reasons: o.reasons || action == "reject",
                        secondary: action == "reject" || o.reasons,
                    });
                }
                if step.optional {
                    buttons.push(ActionButton {
                        action: "skip".into(),
                        step: step.code.clone(),
                        outcome: String::new(),
                        label: tr.t("dossier-skip"),
                        needs_reasons: true,
                        secondary: true,
                    });
                }
            }
            if v.clock.as_ref().is_some_and(|c| c.overdue) {
                buttons.push(ActionButton {
                    action: "escalate".into(),
                    step: step.code.clone(),
                    outcome: String::new(),
                    label: tr.t("dossier-escalate"),
                    needs_reasons: true,
                    secondary: true,
                });
            }
        }
    }
    let complaints = v
        .state
        .complaints()
        .iter()
        .enumerate()
        .map(|(i, c)| {
            (
                i,
                format!("{} · {} · {}", date_vi(c.opened), c.note, date_vi(c.due)),
                c.is_open(),
            )
        })
        .collect();
    let proposed = v
        .proposed
        .as_ref()
        .map(|r| {
            let mut lines: Vec<String> = r
                .monthly_allowance
                .iter()
                .flat_map(|a| a.lines.iter().map(|l| l.sentence.clone()))
                .collect();
            lines.extend(r.caregiving.iter().map(|c| c.sentence.clone()));
            if let Some(sp) = r.social_pension.as_ref().filter(|s| s.paid) {
                lines.push(sp.explanation.sentence.clone());
            }
            lines.extend(r.one_offs.iter().map(|o| o.sentence.clone()));
            lines
        })
        .unwrap_or_default();
    let proposed_total = v
        .proposed
        .as_ref()
        .map(|r| r.monthly_total.display_vi())
        .unwrap_or_default();
    let users = ansinh_store::accounts::list_users(state.app.db.conn())
        .await
        .unwrap_or_default();
    let events = v
        .events
        .iter()
        .map(|e| {
            let who = users
                .iter()
                .find(|u| u.id == e.actor_id)
                .map(|u| u.full_name.clone())
                .unwrap_or_default();
            let step = step_name(&tr, &v.row.data.definition, e.step.as_deref());
            (
                date_vi(e.on_date),
                tr.t(&format!("event-{}", e.kind)),
                step,
                format!("{who} ({})", tr.t(&format!("role-{}", e.actor_role))),
            )
        })
        .collect();
    let documents = v
        .state
        .documents()
        .iter()
        .map(|code| {
            let label = wf
                .documents()
                .iter()
                .find(|d| &d.code == code)
                .map(|d| name(&d.name_vi, &d.name_en))
                .unwrap_or_else(|| code.clone());
            (code.clone(), label)
        })
        .collect();
    let decisions = state
        .app
        .person_benefits(&ctx, v.row.data.person_id)
        .await
        .map(|(_, ds)| {
            ds.into_iter()
                .filter(|d| d.data.dossier_id == Some(v.row.id))
                .map(|d| (d.id.0, d.data.number))
                .collect()
        })
        .unwrap_or_default();
    let overdue = v.clock.as_ref().is_some_and(|c| c.overdue);
    let clock = match &v.clock {
        Some(c) if c.paused => tr.t("dossier-clock-paused"),
        Some(c) => match c.due {
            Some(due) => tr.t1("dossier-clock-due", "date", date_vi(due)),
            None => tr.t("dossier-clock-no-deadline"),
        },
        None => String::new(),
    };
    let state_label = tr.t(&format!(
        "dossier-status-{}",
        v.row
            .data
            .outcome
            .clone()
            .unwrap_or_else(|| v.row.data.status.clone())
    ));
    let channel_label = tr.t(&format!("channel-{}", v.row.data.channel));
    render(&DossierPage {
        state_label,
        channel_label,
        person: v.person_name.clone(),
        kind: type_name(&tr, &v.row.data.application_type),
        definition: def
            .map(|d| name(&d.name_vi, &d.name_en))
            .unwrap_or_default(),
        to_be_confirmed: def.is_some_and(|d| d.to_be_confirmed),
        steps,
        clock,
        overdue,
        proposed,
        proposed_total,
        buttons,
        may_pause: v.may_act && !v.state.is_paused() && !v.state.is_closed(),
        may_resume: v.state.is_paused() && v.may_act,
        may_complain: !v.state.is_closed() && ctx.actor.role.can(Permission::PrepareDossier),
        may_attach: !v.state.is_closed()
            && (ctx.actor.role.can(Permission::PrepareDossier)
                || ctx.actor.role.can(Permission::AppraiseDossier)),
        complaints,
        attachments: v
            .attachments
            .iter()
            .map(|a| {
                (
                    a.id,
                    a.file_name.clone(),
                    a.document_code.clone(),
                    format!("{} KB", (a.size_bytes + 1023) / 1024),
                    a.sha256.chars().take(16).collect(),
                )
            })
            .collect(),
        documents,
        events,
        decisions,
        d: v.row,
        layout,
    })
}

pub async fn act(
    State(state): State<AppState>,
    identity: Identity,
    IdPath(id): IdPath,
    FormBody(pairs): FormBody<Vec<(String, String)>>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/dossiers")?;
    let version: i32 = one(&pairs, "version")
        .parse()
        .map_err(|_| WebError::App(AppError::Stale))?;
    // A button sends `action|step|outcome` as `do`; small forms send the fields themselves.
    let button = one(&pairs, "do");
    let mut parts = button.splitn(3, '|');
    let (b_action, b_step, b_outcome) = (
        parts.next().unwrap_or_default().to_string(),
        parts.next().unwrap_or_default().to_string(),
        parts.next().unwrap_or_default().to_string(),
    );
    let pick = |from_button: String, key: &str| {
        if button.is_empty() {
            one(&pairs, key)
        } else {
            from_button
        }
    };
    let input = ActionInput {
        action: pick(b_action, "action"),
        step: pick(b_step, "step"),
        outcome: pick(b_outcome, "outcome"),
        reasons: one(&pairs, "reasons"),
        note: one(&pairs, "note"),
        complaint: one(&pairs, "complaint"),
    };
    match state
        .app
        .act_on_dossier(&ctx, DossierId(id), version, &input)
        .await
    {
        Ok(Some(decision)) => {
            Ok(Redirect::to(&format!("/decisions/{}", decision.0)).into_response())
        }
        Ok(None) => {
            Ok(Redirect::to(&format!("/dossiers/{id}?done=dossier-recorded")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let tr = state.tr(identity.lang);
            let message = errors
                .iter()
                .map(|e| match &e.detail {
                    Some(d) => format!("{} ({d})", tr.field(e.code)),
                    None => tr.field(e.code),
                })
                .collect::<Vec<_>>()
                .join(" ");
            Err(WebError::BadRequest {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: "action-refused",
                detail: message,
            })
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn upload(
    State(state): State<AppState>,
    identity: Identity,
    IdPath(id): IdPath,
    mut multipart: Multipart,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/dossiers")?;
    let mut document = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    let too_large = |e: axum::extract::multipart::MultipartError| WebError::BadRequest {
        status: e.status(),
        code: if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            "payload-too-large"
        } else {
            "bad-request"
        },
        detail: e.body_text(),
    };
    while let Some(field) = multipart.next_field().await.map_err(too_large)? {
        match field.name() {
            Some("document_code") => document = field.text().await.map_err(too_large)?,
            Some("file") => {
                let name = field.file_name().unwrap_or("tai-lieu").to_string();
                let bytes = field.bytes().await.map_err(too_large)?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    let (name, bytes) = file.ok_or(WebError::App(AppError::field("file", "required")))?;
    match state
        .app
        .attach(&ctx, DossierId(id), document.trim(), &name, bytes)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/dossiers/{id}?done=dossier-attached")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let tr = state.tr(identity.lang);
            let status = if errors.iter().any(|e| e.code == "file-too-large") {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            Err(WebError::BadRequest {
                status,
                code: "attachment-refused",
                detail: errors
                    .iter()
                    .map(|e| tr.field(e.code))
                    .collect::<Vec<_>>()
                    .join(" "),
            })
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn download(
    State(state): State<AppState>,
    identity: Identity,
    axum::extract::Path((id, aid)): axum::extract::Path<(i64, i64)>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/dossiers")?;
    let (meta, data) = state.app.attachment(&ctx, DossierId(id), aid).await?;
    let disposition = format!(
        "attachment; filename=\"{}\"",
        meta.file_name.replace('"', "")
    );
    Ok((
        [
            (header::CONTENT_TYPE, meta.content_type.clone()),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::HeaderName::from_static("x-content-sha256"),
                meta.sha256.clone(),
            ),
        ],
        data,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "decision.html")]
struct DecisionPage {
    layout: Layout,
    number: String,
    letterhead: Vec<String>,
    heading: String,
    salutation: &'static str,
    signer: Vec<String>,
    date_line: String,
    title: String,
    body: DecisionBody,
    amount_line: String,
    amount_words: String,
    one_off_line: String,
}

pub async fn decision(
    State(state): State<AppState>,
    identity: Identity,
    IdPath(id): IdPath,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/decisions")?;
    let (row, body) = state.app.decision(&ctx, DecisionId(id)).await?;
    let mut layout = Layout::new(
        &state,
        &identity,
        "dossiers",
        "decision-title",
        &format!("/decisions/{id}"),
    );
    layout.title = format!("{} {}", layout.tr.t("decision-title"), row.data.number);
    let date = row.data.signed_on;
    let place = body
        .commune
        .split(',')
        .next()
        .unwrap_or_default()
        .trim()
        .to_string();
    let title = format!(
        "{} {}",
        body.kind_name,
        match row.data.benefit.as_str() {
            "monthly_allowance" => "trợ cấp xã hội hằng tháng",
            "caregiving_support" => "hỗ trợ kinh phí chăm sóc, nuôi dưỡng hằng tháng",
            "social_pension" => "trợ cấp hưu trí xã hội",
            "facility_care" => "chăm sóc, nuôi dưỡng tại cơ sở trợ giúp xã hội",
            _ => "",
        }
    );
    let amount_line = body
        .monthly_amount
        .map(|a| Money(a).display_vi())
        .unwrap_or_default();
    let amount_words = body
        .monthly_amount
        .or(body.one_off_amount)
        .map(|a| Money(a).in_words_vi())
        .unwrap_or_default();
    let one_off_line = body
        .one_off_amount
        .map(|a| Money(a).display_vi())
        .unwrap_or_default();
    // Decisions signed before the printed form was data carry no letterhead: the issuer's
    // People's Committee, as they were printed then.
    let letterhead = if body.letterhead.is_empty() {
        vec![format!("Ủy ban nhân dân {}", body.issuer)]
    } else {
        body.letterhead.clone()
    };
    let heading = if body.heading.is_empty() {
        body.authority_name.clone()
    } else {
        body.heading.clone()
    };
    let signer = if body.signer.is_empty() {
        "Chủ tịch"
    } else {
        body.signer.as_str()
    };
    let salutation = match body.sex.as_str() {
        "male" => "Ông",
        "female" => "Bà",
        _ => "Ông/Bà",
    };
    render(&DecisionPage {
        number: row.data.number.clone(),
        letterhead: letterhead.iter().map(|l| l.to_uppercase()).collect(),
        heading: heading.to_uppercase(),
        salutation,
        signer: signer.lines().map(str::to_uppercase).collect(),
        date_line: format!(
            "{place}, ngày {:02} tháng {:02} năm {}",
            chrono::Datelike::day(&date),
            chrono::Datelike::month(&date),
            chrono::Datelike::year(&date)
        ),
        title,
        amount_line,
        amount_words,
        one_off_line,
        body,
        layout,
    })
}

#[derive(Template)]
#[template(path = "decisions_pending.html")]
struct PendingPage {
    layout: Layout,
    rows: Vec<(i64, String, String, String, String, String, bool)>,
}

pub async fn pending(
    State(state): State<AppState>,
    identity: Identity,
    QueryParams(q): QueryParams<TabQuery>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/decisions/pending")?;
    let layout = Layout::new(
        &state,
        &identity,
        "dossiers",
        "decisions-pending",
        "/decisions/pending",
    )
    .with_notice(q.done.as_deref());
    let tr = layout.tr.clone();
    let wf = workflows()?;
    let users = ansinh_store::accounts::list_users(state.app.db.conn())
        .await
        .unwrap_or_default();
    let mut rows = Vec::new();
    for d in state.app.pending_decisions(&ctx).await? {
        let person = ansinh_store::registry::get_person(
            state.app.db.conn(),
            d.data.person_id,
            &ansinh_store::scope::Scope::All,
        )
        .await?
        .map(|p| p.data.full_name)
        .unwrap_or_default();
        let kind = wf
            .decision_kind(&d.data.kind)
            .map(|k| {
                if tr.is_vi() {
                    k.name_vi.clone()
                } else {
                    k.name_en.clone()
                }
            })
            .unwrap_or_default();
        let by = users
            .iter()
            .find(|u| u.id == d.data.prepared_by)
            .map(|u| u.full_name.clone())
            .unwrap_or_default();
        let month = ansinh_domain::Month::from_yyyymm(d.data.effective_month)
            .map(|m| m.display_vi())
            .unwrap_or_default();
        let mine = d.data.prepared_by == ctx.actor.user_id;
        rows.push((d.id, person, kind, month, by, time_vi(d.prepared_at), !mine));
    }
    render(&PendingPage { layout, rows })
}

pub async fn prepare(
    State(state): State<AppState>,
    identity: Identity,
    FormBody(pairs): FormBody<Vec<(String, String)>>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/decisions")?;
    let input = DraftInput {
        entitlement_id: one(&pairs, "entitlement_id"),
        kind: one(&pairs, "kind"),
        effective_month: one(&pairs, "effective_month"),
        reason_codes: all(&pairs, "reason_codes"),
        reasons: one(&pairs, "reasons"),
        new_unit_id: one(&pairs, "new_unit_id"),
        situation_patch: one(&pairs, "situation_patch"),
    };
    match state.app.prepare_decision(&ctx, &input).await {
        Ok(_) => Ok(Redirect::to("/decisions/pending?done=decision-prepared").into_response()),
        Err(AppError::Invalid(errors)) => {
            let tr = state.tr(identity.lang);
            Err(WebError::BadRequest {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: "decision-refused",
                detail: errors
                    .iter()
                    .map(|e| format!("{}: {}", e.field, tr.field(e.code)))
                    .collect::<Vec<_>>()
                    .join(" "),
            })
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn approve(
    State(state): State<AppState>,
    identity: Identity,
    IdPath(id): IdPath,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/decisions")?;
    match state.app.approve_decision(&ctx, id).await {
        Ok(decision) => Ok(Redirect::to(&format!("/decisions/{}", decision.0)).into_response()),
        Err(AppError::Invalid(errors)) => {
            let tr = state.tr(identity.lang);
            Err(WebError::BadRequest {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: "decision-refused",
                detail: errors
                    .iter()
                    .map(|e| tr.field(e.code))
                    .collect::<Vec<_>>()
                    .join(" "),
            })
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    note: String,
}

pub async fn reject_draft(
    State(state): State<AppState>,
    identity: Identity,
    IdPath(id): IdPath,
    FormBody(form): FormBody<NoteForm>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/decisions")?;
    state.app.reject_draft(&ctx, id, &form.note).await?;
    Ok(Redirect::to("/decisions/pending?done=decision-draft-rejected").into_response())
}
