//! Dossiers (hồ sơ) from intake to decision: the receiving officer records the application
//! and its documents, each step is recorded by the role the procedure names, on working-day
//! clocks; a decision creates the entitlement through the policy engine.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use ansinh_calendar::Calendar;
use ansinh_domain::Month;
use ansinh_domain::access::{Permission, Role};
use ansinh_domain::ids::{DossierId, PersonId, UnitId};
use ansinh_domain::registry::FieldError;
use ansinh_policy::Report;
use ansinh_store::audit;
use ansinh_store::dossiers::{self as repo, DossierFilter, DossierRow, DossierWrite, EventRow};
use ansinh_store::registry as people;
use ansinh_store::scope::Scope;
use ansinh_workflow::{
    Action, Actor as WfActor, Catalogue as Workflows, Channel, Decision, Dossier, Engine, Intake,
    Receipt, WorkflowError,
};

use crate::App;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};

/// Person flags an officer may declare for the proposal (docs/entitlement-json.md).
pub const PERSON_FLAGS: &[&str] = &[
    "studying",
    "has_supporter",
    "supporter_on_allowance",
    "stable_income",
    "unable_to_work",
    "received_k1",
    "community_care",
    "pregnant",
    "survivor_benefit",
    "child_of_k4_beneficiary",
];
pub const HOUSEHOLD_FLAGS: &[&str] = &[
    "ethnic_minority_extremely_difficult_area",
    "hardship_household",
];

pub fn workflows() -> AppResult<&'static Workflows> {
    ansinh_workflow::builtin().map_err(|e| AppError::Internal(format!("workflow data: {e}")))
}

pub fn calendar() -> AppResult<&'static Calendar> {
    ansinh_calendar::builtin().map_err(|e| AppError::Internal(format!("calendar data: {e}")))
}

fn engine() -> AppResult<Engine<'static>> {
    Ok(Engine::new(workflows()?, calendar()?))
}

/// A workflow refusal as a field error the forms show (its code is the translation key).
pub fn workflow_error(e: WorkflowError) -> AppError {
    let code = e.code();
    let detail = Some(e.to_string());
    let field = match code {
        "documents-missing" | "unknown-document" => "documents",
        "role-not-allowed" | "maker-cannot-check" => "actor",
        "reasons-required" => "reasons",
        "calendar" => "date",
        _ => "action",
    };
    AppError::Invalid(vec![FieldError {
        field,
        code: static_code(code),
        detail,
    }])
}

/// Workflow error codes are `&'static str` already; keep the type honest.
fn static_code(code: &'static str) -> &'static str {
    code
}

fn wf_actor(ctx: &Ctx) -> WfActor {
    WfActor {
        role: ctx.actor.role,
        user: ctx.actor.user_id,
    }
}

/// What the receiving officer enters.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct IntakeInput {
    pub person_id: String,
    pub application_type: String,
    /// `in_person`, `post`, `online`.
    pub channel: String,
    pub documents: Vec<String>,
    pub conditions: Vec<String>,
    /// The group applied for (k1…k8); one of the application type's groups.
    pub requested_group: String,
    /// Point a–l of Art. 5(1) for a child without means of support.
    pub k1_case: String,
    pub marital_status: String,
    pub flags: Vec<String>,
    pub household_flags: Vec<String>,
    /// Birth dates of the children the person raises, `YYYY-MM-DD` or `YYYY`, comma-separated.
    pub children: String,
    /// Month of the disability certificate, `YYYY-MM` (default: from the registry).
    pub certificate_month: String,
}

fn field(field: &'static str, code: &'static str) -> FieldError {
    FieldError {
        field,
        code,
        detail: None,
    }
}

/// The situation a dossier proposes: the registry's facts plus what the officer declares.
fn proposal(
    person: &ansinh_domain::registry::Person,
    poverty: &str,
    province: &str,
    input: &IntakeInput,
    errors: &mut Vec<FieldError>,
) -> serde_json::Value {
    let d = &person.data;
    let mut flags: Vec<String> = Vec::new();
    for f in &input.flags {
        if PERSON_FLAGS.contains(&f.as_str()) {
            flags.push(f.clone());
        } else {
            errors.push(field("flags", "invalid-choice"));
        }
    }
    if d.hiv_positive {
        flags.push("hiv".into());
    }
    if d.has_pension {
        flags.push("has_pension".into());
    }
    let mut household_flags: Vec<String> = Vec::new();
    for f in &input.household_flags {
        if HOUSEHOLD_FLAGS.contains(&f.as_str()) {
            household_flags.push(f.clone());
        } else {
            errors.push(field("household_flags", "invalid-choice"));
        }
    }
    let mut p = serde_json::json!({
        "id": person.id.to_string(),
        "birth_date": d.birth.to_string(),
        "sex": d.sex.as_str(),
        "disability": d.disability.as_str(),
        "flags": flags,
    });
    let certificate = match input.certificate_month.trim() {
        "" => d.disability_cert_date.map(|c| Month::of(c).to_string()),
        m => match m.parse::<Month>() {
            Ok(m) => Some(m.to_string()),
            Err(_) => {
                errors.push(field("certificate_month", "date-format"));
                None
            }
        },
    };
    if let Some(c) = certificate {
        p["certificate_month"] = c.into();
    }
    if let Some(death) = d.death_date {
        p["death_date"] = death.to_string().into();
    }
    let case = input.k1_case.trim();
    if !case.is_empty() {
        p["k1_case"] = case.into();
    }
    let marital = input.marital_status.trim();
    if !marital.is_empty() {
        p["marital_status"] = marital.into();
    }
    let mut children = Vec::new();
    for c in input
        .children
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        match c.parse::<ansinh_domain::BirthDate>() {
            Ok(b) => children.push(serde_json::json!({ "birth_date": b.to_string() })),
            Err(_) => errors.push(field("children", "birth-date-format")),
        }
    }
    let mut doc = serde_json::json!({
        "province": province,
        "person": p,
        "household": { "id": person.household_id.to_string(), "poverty": poverty, "flags": household_flags },
        "children": children,
    });
    let group = input.requested_group.trim();
    if !group.is_empty() {
        doc["groups"] = serde_json::json!([group]);
    }
    doc
}

/// The dossier columns that queries read.
struct Snapshot {
    status: String,
    outcome: Option<String>,
    current_step: Option<String>,
    current_kind: Option<String>,
    task_roles: String,
    due_on: Option<NaiveDate>,
    statutory_due_on: Option<NaiveDate>,
    closed_on: Option<NaiveDate>,
    decided_on_time: Option<bool>,
}

/// The columns from the workflow state at `today`.
fn snapshot(dossier: &Dossier, cal: &Calendar, today: NaiveDate) -> AppResult<Snapshot> {
    let wf = workflows()?;
    let err = |e: WorkflowError| AppError::Internal(e.to_string());
    let status = if dossier.is_closed() {
        "closed"
    } else if dossier.is_paused() {
        "paused"
    } else {
        "open"
    };
    let current = dossier.current();
    let definition = wf.definition(dossier.definition());
    let mut roles: Vec<Role> = Vec::new();
    if let (Some(step), Some(def)) = (current, definition) {
        if let Some(s) = def.step(&step.code) {
            roles.extend(s.roles.iter().copied());
        }
        if dossier.open_complaints() > 0
            && let Some(c) = &def.complaint
        {
            roles.extend(c.roles.iter().copied());
        }
    }
    let task_roles = if roles.is_empty() {
        String::new()
    } else {
        format!(
            ",{},",
            roles
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(",")
        )
    };
    let due = if status == "open" {
        dossier.step_due(cal, today).map_err(err)?
    } else {
        None
    };
    let statutory = if dossier.is_closed() {
        None
    } else {
        Some(dossier.statutory_due(cal, today).map_err(err)?)
    };
    Ok(Snapshot {
        status: status.into(),
        outcome: dossier.outcome().map(|o| o.as_str().to_string()),
        current_step: current.map(|s| s.code.clone()),
        current_kind: current.map(|s| s.kind.as_str().to_string()),
        task_roles,
        due_on: due,
        statutory_due_on: statutory,
        closed_on: dossier.closure().map(|c| c.date),
        decided_on_time: dossier.decided_on_time(cal).map_err(err)?,
    })
}

fn write_of(
    base: &DossierWrite,
    dossier: &Dossier,
    cal: &Calendar,
    today: NaiveDate,
) -> AppResult<DossierWrite> {
    let s = snapshot(dossier, cal, today)?;
    Ok(DossierWrite {
        status: s.status,
        outcome: s.outcome,
        definition: dossier.definition().to_string(),
        current_step: s.current_step,
        current_kind: s.current_kind,
        task_roles: s.task_roles,
        due_on: s.due_on,
        statutory_due_on: s.statutory_due_on,
        closed_on: s.closed_on,
        decided_on_time: s.decided_on_time,
        state_json: serde_json::to_string(dossier)
            .map_err(|e| AppError::Internal(e.to_string()))?,
        ..base.clone()
    })
}

/// A dossier received on `received` through the workflow engine, then moved through the
/// steps that come before its decision, one on each of `step_dates` with the step's first
/// outcome (stopping where the procedure does not allow it yet), as a row ready for
/// [`repo::insert_dossiers`]. For loading many realistic dossiers at once: benchmarks and
/// files taken over from other systems.
pub fn dossier_row(
    base: DossierWrite,
    intake: &Intake,
    received: NaiveDate,
    step_dates: &[NaiveDate],
    today: NaiveDate,
) -> AppResult<DossierWrite> {
    let engine = engine()?;
    let wf = workflows()?;
    let officer = WfActor::new(Role::CommuneOfficer, base.received_by.0);
    let mut dossier = engine
        .receive(intake, &officer, received)
        .map_err(workflow_error)?
        .dossier;
    for date in step_dates {
        let Some(step) = dossier
            .current()
            .and_then(|c| wf.definition(dossier.definition())?.step(&c.code))
        else {
            break;
        };
        let (Some(role), Some(outcome)) = (step.roles.first(), step.outcomes.first()) else {
            break;
        };
        if step.kind == ansinh_workflow::StepKind::Decision {
            break;
        }
        let action = Action::Complete {
            step: step.code.clone(),
            outcome: outcome.code.clone(),
            reasons: vec![],
        };
        match engine.apply(
            &dossier,
            &action,
            &WfActor::new(*role, base.received_by.0),
            *date,
        ) {
            Ok(applied) => dossier = applied.dossier,
            Err(_) => break,
        }
    }
    write_of(&base, &dossier, calendar()?, today)
}

/// A dossier as shown to officers.
#[derive(Debug, Clone, Serialize)]
pub struct DossierView {
    pub row: DossierRow,
    pub state: Dossier,
    pub person_name: String,
    pub events: Vec<EventRow>,
    pub attachments: Vec<ansinh_store::dossiers::AttachmentMeta>,
    /// What the proposal gives in the receipt month (or the decision month once decided).
    pub proposed: Option<Report>,
    pub clock: Option<ansinh_workflow::Clock>,
    /// Actions the caller may try now.
    pub may_act: bool,
    pub pending_handover: bool,
}

/// An action as a form sends it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ActionInput {
    /// `complete`, `skip`, `grant`, `reject`, `open_complaint`, `resolve_complaint`, `pause`,
    /// `resume`, `escalate`, `hand_over`.
    pub action: String,
    pub step: String,
    pub outcome: String,
    /// One reason per line.
    pub reasons: String,
    pub note: String,
    pub complaint: String,
}

impl ActionInput {
    fn to_action(&self) -> AppResult<Action> {
        let reasons: Vec<String> = self
            .reasons
            .lines()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(|r| r.chars().take(500).collect())
            .collect();
        let note: String = self.note.trim().chars().take(1000).collect();
        Ok(match self.action.as_str() {
            "complete" => Action::Complete {
                step: self.step.clone(),
                outcome: self.outcome.clone(),
                reasons,
            },
            "skip" => Action::Skip {
                step: self.step.clone(),
                reason: note,
            },
            "grant" => Action::Decide(Decision::Grant),
            "reject" => Action::Decide(Decision::Reject { reasons }),
            "open_complaint" => Action::OpenComplaint { note },
            "resolve_complaint" => Action::ResolveComplaint {
                complaint: self
                    .complaint
                    .trim()
                    .parse()
                    .map_err(|_| AppError::field("complaint", "invalid-choice"))?,
                outcome: self.outcome.clone(),
                reasons,
            },
            "pause" => Action::Pause { reason: note },
            "resume" => Action::Resume,
            "escalate" => Action::Escalate { note },
            "hand_over" => Action::HandOver,
            _ => return Err(AppError::field("action", "invalid-choice")),
        })
    }
}

impl App {
    /// The documents to ask for.
    pub fn checklist(
        &self,
        application_type: &str,
        date: NaiveDate,
        conditions: &[String],
    ) -> AppResult<Vec<ansinh_workflow::RequiredDocument>> {
        Ok(engine()?
            .checklist(application_type, date, conditions)
            .map_err(workflow_error)?
            .into_iter()
            .cloned()
            .collect())
    }

    /// Receives a dossier: checks the checklist and the proposal, numbers it, starts its
    /// clock. Returns the dossier and the receipt for the applicant.
    pub async fn receive_dossier(
        &self,
        ctx: &Ctx,
        input: &IntakeInput,
    ) -> AppResult<(DossierId, Receipt)> {
        self.require(ctx, Permission::PrepareDossier)?;
        let today = ctx.today();
        let scope = self.scope(ctx);
        let person_id = input
            .person_id
            .trim()
            .parse::<i64>()
            .map(PersonId)
            .map_err(|_| AppError::field("person_id", "required"))?;
        let person = people::get_person(self.db.conn(), person_id, &scope)
            .await?
            .ok_or_else(|| AppError::field("person_id", "unknown-person"))?;
        let wf = workflows()?;
        let kind = wf
            .application_type(input.application_type.trim())
            .ok_or_else(|| AppError::field("application_type", "invalid-choice"))?;
        let mut errors = Vec::new();
        let group = input.requested_group.trim();
        if !kind.groups.is_empty() && !group.is_empty() && !kind.groups.iter().any(|g| g == group) {
            errors.push(field("requested_group", "group-not-in-form"));
        }
        let channel = Channel::ALL
            .into_iter()
            .find(|c| c.as_str() == input.channel.trim())
            .ok_or_else(|| AppError::field("channel", "invalid-choice"))?;
        let graph = self.graph();
        let commune = graph.at(person.data.unit_id, today);
        let unit_code = graph
            .get(commune)
            .map(|u| u.code.clone())
            .unwrap_or_default();
        let household = people::poverty_history(self.db.conn(), person.household_id).await?;
        let poverty = household
            .iter()
            .rfind(|(y, _)| *y <= today.year())
            .map(|(_, s)| s.as_str())
            .unwrap_or("none");
        let province = self.province_code_of(commune, ctx);
        let doc = proposal(&person, poverty, &province, input, &mut errors);
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        // The proposal must read: every problem is an error at intake, not at decision time.
        self.evaluate_document(&doc.to_string(), Some(Month::of(today)), None)
            .map_err(|problems| {
                AppError::Invalid(
                    problems
                        .into_iter()
                        .map(|p| FieldError {
                            field: "proposal",
                            code: "proposal-problem",
                            detail: Some(format!("{} {}: {}", p.code, p.path, p.message)),
                        })
                        .collect(),
                )
            })?;
        let txn = self.db.begin().await?;
        let seq = repo::next_counter(
            &txn,
            &format!("dossier:{unit_code}:{}", today.format("%Y%m%d")),
        )
        .await?;
        let intake = Intake {
            code: ansinh_workflow::dossier_code(&unit_code, today, seq as u32),
            application_type: kind.code.clone(),
            unit: unit_code.clone(),
            channel,
            documents: input
                .documents
                .iter()
                .map(|d| d.trim().to_string())
                .filter(|d| !d.is_empty())
                .collect(),
            conditions: input
                .conditions
                .iter()
                .map(|d| d.trim().to_string())
                .filter(|d| !d.is_empty())
                .collect(),
        };
        let received = engine()?
            .receive(&intake, &wf_actor(ctx), today)
            .map_err(workflow_error)?;
        let base = DossierWrite {
            province_code: province.clone(),
            code: intake.code.clone(),
            application_type: kind.code.clone(),
            family: kind.family.clone(),
            benefit: kind.benefit.as_str().to_string(),
            person_id,
            unit_id: commune,
            channel: channel.as_str().to_string(),
            received_on: today,
            status: String::new(),
            outcome: None,
            definition: String::new(),
            current_step: None,
            current_kind: None,
            task_roles: String::new(),
            due_on: None,
            statutory_due_on: None,
            closed_on: None,
            decided_on_time: None,
            requested_group: group.to_string(),
            proposal_json: doc.to_string(),
            state_json: String::new(),
            received_by: ctx.actor.user_id,
        };
        let write = write_of(&base, &received.dossier, calendar()?, today)?;
        let id = repo::insert_dossier(&txn, &write, ctx.now).await?;
        self.record_event(&txn, &province, id, ctx, &received.event)
            .await?;
        let mut entry = self.entry(ctx, province, "dossier.receive", "dossier", id);
        entry.after = Some(
            serde_json::json!({"code": intake.code, "type": kind.code, "person_id": person_id.0, "documents": intake.documents}),
        );
        audit::append(&txn, entry).await?;
        txn.commit().await?;
        Ok((id, received.receipt))
    }

    async fn record_event(
        &self,
        conn: &impl sea_orm::ConnectionTrait,
        province: &str,
        id: DossierId,
        ctx: &Ctx,
        event: &ansinh_workflow::Event,
    ) -> AppResult<()> {
        let json = serde_json::to_string(event).map_err(|e| AppError::Internal(e.to_string()))?;
        let kind = event.kind.code();
        repo::insert_event(
            conn,
            province,
            id,
            event.date,
            ctx.now,
            ctx.actor.user_id,
            ctx.actor.role.as_str(),
            kind,
            event.step.as_deref(),
            &json,
        )
        .await?;
        Ok(())
    }

    pub async fn dossier(&self, ctx: &Ctx, id: DossierId) -> AppResult<DossierView> {
        self.require(ctx, Permission::RegistryRead)?;
        let row = repo::get_dossier(self.db.conn(), id, &self.scope(ctx))
            .await?
            .ok_or(AppError::NotFound)?;
        let state: Dossier = serde_json::from_str(&row.data.state_json)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let person = people::get_person(self.db.conn(), row.data.person_id, &Scope::All).await?;
        let events = repo::events(self.db.conn(), id).await?;
        let attachments = repo::attachments(self.db.conn(), id).await?;
        let cal = calendar()?;
        let today = ctx.today();
        let month = state
            .closure()
            .map(|c| Month::of(c.date))
            .unwrap_or_else(|| Month::of(today));
        let proposed = self
            .evaluate_document(&row.data.proposal_json, Some(month), Some(ctx.actor.lang))
            .ok();
        let clock = state
            .clock(cal, today)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let eng = engine()?;
        let pending_handover = eng.pending_handover(&state, today).is_some();
        let may_act = !state.is_closed()
            && (row
                .data
                .task_roles
                .contains(&format!(",{},", ctx.actor.role.as_str()))
                || pending_handover);
        Ok(DossierView {
            person_name: person.map(|p| p.data.full_name).unwrap_or_default(),
            row,
            state,
            events,
            attachments,
            proposed,
            clock,
            may_act,
            pending_handover,
        })
    }

    /// Records an action on a dossier (the version read guards against concurrent changes).
    /// A grant creates the decision and the entitlement in the same transaction.
    pub async fn act_on_dossier(
        &self,
        ctx: &Ctx,
        id: DossierId,
        version: i32,
        input: &ActionInput,
    ) -> AppResult<Option<ansinh_domain::ids::DecisionId>> {
        let scope = self.scope(ctx);
        let row = repo::get_dossier(self.db.conn(), id, &scope)
            .await?
            .ok_or(AppError::NotFound)?;
        if row.version != version {
            return Err(AppError::Stale);
        }
        let state: Dossier = serde_json::from_str(&row.data.state_json)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let action = input.to_action()?;
        let today = ctx.today();
        let applied = engine()?
            .apply(&state, &action, &wf_actor(ctx), today)
            .map_err(workflow_error)?;
        let cal = calendar()?;
        let write = write_of(&row.data, &applied.dossier, cal, today)?;
        let txn = self.db.begin().await?;
        repo::update_dossier(&txn, id, version, &write, ctx.now).await?;
        self.record_event(&txn, &row.data.province_code, id, ctx, &applied.event)
            .await?;
        let mut decision = None;
        if let (Some(closure), false) = (applied.dossier.closure(), state.is_closed())
            && matches!(action, Action::Decide(_))
        {
            decision = Some(
                self.decide_dossier(&txn, ctx, &row, &applied.dossier, closure)
                    .await?,
            );
        }
        let mut entry = self.entry(
            ctx,
            row.data.province_code.clone(),
            &format!("dossier.{}", input.action),
            "dossier",
            id,
        );
        entry.before =
            Some(serde_json::json!({"step": row.data.current_step, "status": row.data.status}));
        entry.after = Some(
            serde_json::json!({"step": write.current_step, "status": write.status, "outcome": write.outcome, "event": applied.event.kind.code()}),
        );
        audit::append(&txn, entry).await?;
        txn.commit().await?;
        Ok(decision)
    }

    /// My tasks: open dossiers in my area whose current step my role acts on, or that wait
    /// for a handover I may record; soonest due first.
    pub async fn tasks(&self, ctx: &Ctx, limit: u64) -> AppResult<Vec<TaskRow>> {
        self.require(ctx, Permission::RegistryRead)?;
        let scope = self.scope(ctx);
        let today = ctx.today();
        let mut rows = repo::list_dossiers(
            self.db.conn(),
            &scope,
            &DossierFilter {
                statuses: vec!["open".into(), "paused".into()],
                role: Some(ctx.actor.role.as_str().into()),
                limit,
                ..Default::default()
            },
        )
        .await?;
        // Dossiers of a procedure that has ended wait for their handover.
        let wf = workflows()?;
        let ended: Vec<String> = wf
            .handovers()
            .iter()
            .filter(|h| h.on <= today && h.roles.contains(&ctx.actor.role))
            .map(|h| h.from.clone())
            .collect();
        if !ended.is_empty() {
            let open = repo::list_dossiers(
                self.db.conn(),
                &scope,
                &DossierFilter {
                    statuses: vec!["open".into(), "paused".into()],
                    definitions: ended,
                    limit,
                    ..Default::default()
                },
            )
            .await?;
            for r in open {
                if !rows.iter().any(|x| x.id == r.id) {
                    rows.push(r);
                }
            }
        }
        let states: Vec<(DossierRow, Dossier)> = rows
            .into_iter()
            .filter_map(|r| {
                serde_json::from_str::<Dossier>(&r.data.state_json)
                    .ok()
                    .map(|s| (r, s))
            })
            .collect();
        let eng = engine()?;
        let tasks = eng
            .tasks_for(states.iter().map(|(_, s)| s), &wf_actor(ctx), today)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let mut out = Vec::new();
        for t in tasks {
            if let Some((row, _)) = states.iter().find(|(_, s)| s.code() == t.code) {
                out.push(TaskRow {
                    dossier: row.clone(),
                    step: t.step.clone(),
                    kind: match t.kind {
                        ansinh_workflow::TaskKind::Step => "step",
                        ansinh_workflow::TaskKind::Complaint { .. } => "complaint",
                        ansinh_workflow::TaskKind::Handover => "handover",
                    },
                    due: t.due,
                    overdue: t.overdue,
                    paused: t.paused,
                });
            }
        }
        out.truncate(limit as usize);
        Ok(out)
    }

    /// Dossiers past the due date of their current step, in my area.
    pub async fn overdue_dossiers(&self, ctx: &Ctx, limit: u64) -> AppResult<Vec<DossierRow>> {
        self.require(ctx, Permission::RegistryRead)?;
        Ok(repo::list_dossiers(
            self.db.conn(),
            &self.scope(ctx),
            &DossierFilter {
                statuses: vec!["open".into()],
                due_before: Some(ctx.today()),
                limit,
                ..Default::default()
            },
        )
        .await?)
    }

    pub async fn dossiers_of_person(
        &self,
        ctx: &Ctx,
        person: PersonId,
    ) -> AppResult<Vec<DossierRow>> {
        self.require(ctx, Permission::RegistryRead)?;
        Ok(repo::list_dossiers(
            self.db.conn(),
            &self.scope(ctx),
            &DossierFilter {
                person: Some(person),
                limit: 100,
                ..Default::default()
            },
        )
        .await?)
    }

    /// The commune versions of a commune of today's tree (to list its dossiers).
    pub fn commune_versions(&self, commune: UnitId, date: NaiveDate) -> Vec<UnitId> {
        self.graph().versions_within(commune, date)
    }
}

/// One line of "my tasks".
#[derive(Debug, Clone, Serialize)]
pub struct TaskRow {
    pub dossier: DossierRow,
    pub step: String,
    /// `step`, `complaint` or `handover`.
    pub kind: &'static str,
    pub due: Option<NaiveDate>,
    pub overdue: bool,
    pub paused: bool,
}

/// Largest attachment accepted.
pub const MAX_ATTACHMENT_BYTES: usize = 5 * 1024 * 1024;

/// The content type of a file by its first bytes: what it is, not what it claims to be.
pub fn sniff_content_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else {
        None
    }
}

/// Timeliness of a unit (or everything in scope) over a period.
#[derive(Debug, Clone, Serialize)]
pub struct TimelinessRow {
    pub unit_name: String,
    pub closed: usize,
    pub on_time: usize,
    pub share_on_time: Option<f64>,
    pub median_total: Option<f64>,
    /// (step code, Vietnamese name, median working days, count)
    pub steps: Vec<(String, String, f64, usize)>,
}

impl App {
    /// Stores a scanned document of a dossier (PDF, JPEG or PNG, at most 5 MiB), with its
    /// SHA-256 checksum.
    pub async fn attach(
        &self,
        ctx: &Ctx,
        id: DossierId,
        document_code: &str,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> AppResult<i64> {
        self.require(ctx, Permission::PrepareDossier)
            .or_else(|_| self.require(ctx, Permission::AppraiseDossier))?;
        let row = repo::get_dossier(self.db.conn(), id, &self.scope(ctx))
            .await?
            .ok_or(AppError::NotFound)?;
        if bytes.is_empty() {
            return Err(AppError::field("file", "file-empty"));
        }
        if bytes.len() > MAX_ATTACHMENT_BYTES {
            return Err(AppError::field("file", "file-too-large"));
        }
        let content_type =
            sniff_content_type(&bytes).ok_or_else(|| AppError::field("file", "file-type"))?;
        let state: Dossier = serde_json::from_str(&row.data.state_json)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let checklist = engine()?
            .checklist(
                state.application_type(),
                state.received(),
                state.conditions(),
            )
            .map_err(workflow_error)?;
        if !checklist.iter().any(|d| d.code == document_code) {
            return Err(AppError::field("document_code", "unknown-document"));
        }
        let name: String = file_name
            .chars()
            .filter(|c| !c.is_control() && !matches!(c, '/' | '\\' | '<' | '>' | '"'))
            .take(120)
            .collect();
        let name = if name.trim().is_empty() {
            "tai-lieu".to_string()
        } else {
            name
        };
        let sha = {
            use sha2::Digest;
            hex::encode(sha2::Sha256::digest(&bytes))
        };
        let txn = self.db.begin().await?;
        let aid = repo::insert_attachment(
            &txn,
            &row.data.province_code,
            id,
            document_code,
            &name,
            content_type,
            &sha,
            bytes,
            ctx.actor.user_id,
            ctx.now,
        )
        .await?;
        let mut entry = self.entry(
            ctx,
            row.data.province_code.clone(),
            "dossier.attach",
            "dossier",
            id,
        );
        entry.after = Some(
            serde_json::json!({"attachment": aid, "document": document_code, "file": name, "sha256": sha}),
        );
        audit::append(&txn, entry).await?;
        txn.commit().await?;
        Ok(aid)
    }

    pub async fn attachment(
        &self,
        ctx: &Ctx,
        id: DossierId,
        attachment: i64,
    ) -> AppResult<(ansinh_store::dossiers::AttachmentMeta, Vec<u8>)> {
        self.require(ctx, Permission::RegistryRead)?;
        repo::get_dossier(self.db.conn(), id, &self.scope(ctx))
            .await?
            .ok_or(AppError::NotFound)?;
        repo::attachment(self.db.conn(), id, attachment)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Share of dossiers decided on time and median working days per step, per commune of
    /// today's tree, for dossiers closed between `from` and `to`.
    pub async fn timeliness(
        &self,
        ctx: &Ctx,
        from: NaiveDate,
        to: NaiveDate,
    ) -> AppResult<Vec<TimelinessRow>> {
        self.require(ctx, Permission::RegistryRead)?;
        let rows = repo::closed_between(self.db.conn(), &self.scope(ctx), from, to).await?;
        let graph = self.graph();
        let today = ctx.today();
        let states: Vec<(String, Dossier)> = rows
            .iter()
            .filter_map(|r| {
                let unit = graph
                    .get(graph.at(r.data.unit_id, today))
                    .map(|u| u.name.clone())
                    .unwrap_or_default();
                serde_json::from_str::<Dossier>(&r.data.state_json)
                    .ok()
                    .map(|s| (unit, s))
            })
            .collect();
        let by_code: std::collections::HashMap<&str, &str> =
            states.iter().map(|(u, s)| (s.code(), u.as_str())).collect();
        let cal = calendar()?;
        let wf = workflows()?;
        let result =
            ansinh_workflow::timeliness(cal, states.iter().map(|(_, s)| s), from, to, |d| {
                by_code
                    .get(d.code())
                    .map(|u| u.to_string())
                    .unwrap_or_default()
            })
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let step_name = |code: &str| {
            wf.definitions()
                .iter()
                .find_map(|d| d.step(code).map(|s| s.name_vi.clone()))
                .unwrap_or_else(|| code.to_string())
        };
        Ok(result
            .into_iter()
            .map(|(unit, t)| TimelinessRow {
                unit_name: unit,
                closed: t.closed,
                on_time: t.on_time,
                share_on_time: t.share_on_time(),
                median_total: t.median_total,
                steps: t
                    .steps
                    .iter()
                    .map(|(code, s)| (code.clone(), step_name(code), s.median, s.count))
                    .collect(),
            })
            .collect())
    }
}
