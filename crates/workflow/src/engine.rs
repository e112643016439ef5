//! The engine: intake and actions on dossiers. Pure: it takes the date and the actor as
//! parameters, takes the dossier by reference and returns a new state with an event record, or
//! a typed error (nothing changed).

use crate::catalogue::*;
use crate::dossier::*;
use crate::error::{MissingDocument, WorkflowError};
use ansinh_calendar::Calendar;
use ansinh_domain::access::Role;
use chrono::NaiveDate;
use serde::Serialize;

/// The engine over a catalogue and a working-day calendar.
#[derive(Debug, Clone, Copy)]
pub struct Engine<'a> {
    catalogue: &'a Catalogue,
    calendar: &'a Calendar,
}

/// What the receiving officer records at intake (tiếp nhận hồ sơ).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Intake {
    /// The dossier code (see [`dossier_code`]).
    pub code: String,
    pub application_type: String,
    /// Unit key of the receiving commune (used for timeliness per unit).
    pub unit: String,
    pub channel: Channel,
    /// Codes of the documents ticked on the checklist.
    pub documents: Vec<String>,
    /// Conditions the applicant declared (e.g. `pregnant`), which make documents required.
    pub conditions: Vec<String>,
}

/// A document listed on the receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReceiptDocument {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub kind: DocumentKind,
}

/// The receipt handed to the applicant (giấy tiếp nhận hồ sơ và hẹn trả kết quả).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Receipt {
    pub code: String,
    pub application_type: String,
    pub form_vi: String,
    pub name_vi: String,
    pub name_en: String,
    pub received: NaiveDate,
    pub channel: Channel,
    pub documents: Vec<ReceiptDocument>,
    pub definition: String,
    pub definition_name_vi: String,
    pub definition_name_en: String,
    /// Statutory working days without a complaint or a pause.
    pub statutory_working_days: u32,
    /// The date the result is expected (ngày hẹn trả kết quả).
    pub expected_by: NaiveDate,
    pub to_be_confirmed: bool,
    pub confidence: Confidence,
}

/// The dossier code: `{unit}-{yymmdd}-{seq:04}`, e.g. `29278-250625-0001`, after the receipts
/// of the public-service portals (unit, receipt date, sequence of the day at that unit; the
/// caller keeps the sequence).
pub fn dossier_code(unit: &str, received: NaiveDate, seq: u32) -> String {
    format!("{unit}-{}-{seq:04}", received.format("%y%m%d"))
}

/// A decision recorded at a decision step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    Grant,
    Reject { reasons: Vec<String> },
}

/// An action on a dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Complete the current step (named, so that a stale form is refused) with an outcome.
    Complete {
        step: String,
        outcome: String,
        reasons: Vec<String>,
    },
    /// Skip the current step, which must be optional.
    Skip {
        step: String,
        reason: String,
    },
    /// Decide at the current step, which must be a decision step.
    Decide(Decision),
    /// Record a complaint about the review result (own clock).
    OpenComplaint {
        note: String,
    },
    /// Resolve complaint number `complaint` (index in [`Dossier::complaints`]).
    ResolveComplaint {
        complaint: usize,
        outcome: String,
        reasons: Vec<String>,
    },
    /// Stop the clock while waiting for missing documents.
    Pause {
        reason: String,
    },
    Resume,
    /// Escalate the overdue current step.
    Escalate {
        note: String,
    },
    /// Move the dossier to the definition that replaced its own (e.g. district → commune).
    HandOver,
}

/// What happened, for the audit trail and the dossier's history page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    pub dossier: String,
    pub date: NaiveDate,
    pub actor: Actor,
    /// Definition in force when the event happened.
    pub definition: String,
    /// The step it concerns.
    pub step: Option<String>,
    pub kind: EventKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    Received {
        application_type: String,
        channel: Channel,
        documents: Vec<String>,
        conditions: Vec<String>,
    },
    StepCompleted {
        outcome: String,
        next: Option<String>,
        end: Option<End>,
        reasons: Vec<String>,
    },
    StepSkipped {
        reason: String,
        next: String,
    },
    Decided {
        outcome: String,
        end: End,
        reasons: Vec<String>,
        authority: Option<String>,
    },
    ComplaintOpened {
        complaint: usize,
        due: NaiveDate,
        note: String,
    },
    ComplaintResolved {
        complaint: usize,
        outcome: String,
        end: Option<End>,
        reasons: Vec<String>,
    },
    Paused {
        reason: String,
    },
    Resumed {
        paused_working_days: u32,
    },
    Escalated {
        to: Role,
        level: u32,
        working_days_overdue: i64,
        note: String,
    },
    HandedOver {
        rule: String,
        from_definition: String,
        from_step: String,
        to_definition: String,
        to_step: String,
    },
}

impl EventKind {
    /// Stable machine code of the event.
    pub fn code(&self) -> &'static str {
        match self {
            EventKind::Received { .. } => "received",
            EventKind::StepCompleted { .. } => "step-completed",
            EventKind::StepSkipped { .. } => "step-skipped",
            EventKind::Decided { .. } => "decided",
            EventKind::ComplaintOpened { .. } => "complaint-opened",
            EventKind::ComplaintResolved { .. } => "complaint-resolved",
            EventKind::Paused { .. } => "paused",
            EventKind::Resumed { .. } => "resumed",
            EventKind::Escalated { .. } => "escalated",
            EventKind::HandedOver { .. } => "handed-over",
        }
    }
}

/// The result of an intake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub dossier: Dossier,
    pub event: Event,
    pub receipt: Receipt,
}

/// The result of an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub dossier: Dossier,
    pub event: Event,
}

/// What a task asks of its user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TaskKind {
    /// Act on the current step.
    Step,
    /// Resolve a complaint.
    Complaint { index: usize },
    /// Hand the dossier over.
    Handover,
}

/// One line of a user's "my tasks" list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Task<'d> {
    #[serde(skip)]
    pub dossier: &'d Dossier,
    pub code: String,
    pub kind: TaskKind,
    pub step: String,
    pub due: Option<NaiveDate>,
    pub overdue: bool,
    pub paused: bool,
}

fn allow(role: Role, allowed: &[Role], what: &str) -> Result<(), WorkflowError> {
    if allowed.contains(&role) {
        Ok(())
    } else {
        Err(WorkflowError::RoleNotAllowed {
            role,
            what: what.to_owned(),
            allowed: allowed.to_vec(),
        })
    }
}

fn clean(reasons: &[String]) -> Vec<String> {
    reasons
        .iter()
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty())
        .collect()
}

fn dedup(list: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in list {
        let s = s.trim();
        if !s.is_empty() && !out.iter().any(|o| o == s) {
            out.push(s.to_owned());
        }
    }
    out
}

impl<'a> Engine<'a> {
    pub fn new(catalogue: &'a Catalogue, calendar: &'a Calendar) -> Engine<'a> {
        Engine {
            catalogue,
            calendar,
        }
    }

    pub fn catalogue(&self) -> &'a Catalogue {
        self.catalogue
    }

    pub fn calendar(&self) -> &'a Calendar {
        self.calendar
    }

    /// The checklist of an application type for a receipt on `date` with the declared
    /// conditions.
    pub fn checklist(
        &self,
        application_type: &str,
        date: NaiveDate,
        conditions: &[String],
    ) -> Result<Vec<&'a RequiredDocument>, WorkflowError> {
        let t = self
            .catalogue
            .application_type(application_type)
            .ok_or_else(|| WorkflowError::UnknownApplicationType {
                code: application_type.to_owned(),
            })?;
        for c in conditions {
            if self.catalogue.condition(c).is_none() {
                return Err(WorkflowError::UnknownCondition { code: c.clone() });
            }
        }
        Ok(t.checklist(date, conditions))
    }

    /// Receives a dossier on `date`: checks the application type, the definition valid on that
    /// date, the actor's role and the checklist (every missing document is named).
    pub fn receive(
        &self,
        intake: &Intake,
        actor: &Actor,
        date: NaiveDate,
    ) -> Result<Received, WorkflowError> {
        let code = intake.code.trim();
        if code.is_empty() {
            return Err(WorkflowError::CodeRequired);
        }
        if intake.unit.trim().is_empty() {
            return Err(WorkflowError::UnitRequired);
        }
        let t = self
            .catalogue
            .application_type(&intake.application_type)
            .ok_or_else(|| WorkflowError::UnknownApplicationType {
                code: intake.application_type.clone(),
            })?;
        if let Some(from) = t.from
            && date < from
        {
            return Err(WorkflowError::TypeNotAvailable {
                code: t.code.clone(),
                from,
            });
        }
        let def = self
            .catalogue
            .definition_for(&t.family, date)
            .ok_or_else(|| WorkflowError::NoDefinition {
                family: t.family.clone(),
                date,
            })?;
        allow(actor.role, &def.receive_roles, "receive")?;
        let conditions = dedup(&intake.conditions);
        let documents = dedup(&intake.documents);
        let checklist = self.checklist(&t.code, date, &conditions)?;
        let mut ticked = Vec::new();
        for d in &documents {
            let def = self
                .catalogue
                .documents()
                .iter()
                .find(|x| &x.code == d)
                .ok_or_else(|| WorkflowError::UnknownDocument { code: d.clone() })?;
            let kind = checklist
                .iter()
                .find(|r| &r.code == d)
                .map_or(DocumentKind::Attach, |r| r.kind);
            ticked.push(ReceiptDocument {
                code: def.code.clone(),
                name_vi: def.name_vi.clone(),
                name_en: def.name_en.clone(),
                kind,
            });
        }
        let missing: Vec<MissingDocument> = checklist
            .iter()
            .filter(|r| !documents.contains(&r.code))
            .map(|r| MissingDocument {
                code: r.code.clone(),
                name_vi: r.name_vi.clone(),
                name_en: r.name_en.clone(),
                kind: r.kind.as_str(),
            })
            .collect();
        if !missing.is_empty() {
            return Err(WorkflowError::DocumentsMissing { missing });
        }
        let first = def
            .first_step()
            .ok_or_else(|| WorkflowError::UnknownDefinition { id: def.id.clone() })?;
        let dossier = Dossier {
            code: code.to_owned(),
            application_type: t.code.clone(),
            family: t.family.clone(),
            unit: intake.unit.trim().to_owned(),
            channel: intake.channel,
            received: date,
            received_by: actor.user,
            documents: documents.clone(),
            conditions: conditions.clone(),
            definition: def.id.clone(),
            steps: vec![record(
                def,
                first,
                date,
                Some(Segment {
                    total: def.total_deadline,
                }),
            )],
            pauses: Vec::new(),
            complaints: Vec::new(),
            escalations: Vec::new(),
            handovers: Vec::new(),
            closure: None,
            last_event: date,
        };
        let statutory = def.statutory_days();
        let receipt = Receipt {
            code: code.to_owned(),
            application_type: t.code.clone(),
            form_vi: t.form_vi.clone(),
            name_vi: t.name_vi.clone(),
            name_en: t.name_en.clone(),
            received: date,
            channel: intake.channel,
            documents: ticked,
            definition: def.id.clone(),
            definition_name_vi: def.name_vi.clone(),
            definition_name_en: def.name_en.clone(),
            statutory_working_days: statutory,
            expected_by: self.calendar.add_working_days(date, i64::from(statutory))?,
            to_be_confirmed: def.to_be_confirmed,
            confidence: def.confidence,
        };
        let event = Event {
            dossier: code.to_owned(),
            date,
            actor: *actor,
            definition: def.id.clone(),
            step: None,
            kind: EventKind::Received {
                application_type: t.code.clone(),
                channel: intake.channel,
                documents,
                conditions,
            },
        };
        Ok(Received {
            dossier,
            event,
            receipt,
        })
    }

    /// The handover rule that applies to an open dossier on `date`, if any.
    pub fn pending_handover(&self, dossier: &Dossier, date: NaiveDate) -> Option<&'a Handover> {
        if dossier.is_closed() {
            return None;
        }
        self.catalogue.handover_from(&dossier.definition, date)
    }

    /// Applies an action on `date`. On error nothing changed.
    pub fn apply(
        &self,
        dossier: &Dossier,
        action: &Action,
        actor: &Actor,
        date: NaiveDate,
    ) -> Result<Applied, WorkflowError> {
        if let Some(c) = &dossier.closure {
            return Err(WorkflowError::DossierClosed {
                end: c.end,
                date: c.date,
            });
        }
        if date < dossier.last_event {
            return Err(WorkflowError::DateBeforeLastEvent {
                date,
                last: dossier.last_event,
            });
        }
        let def = self
            .catalogue
            .definition(&dossier.definition)
            .ok_or_else(|| WorkflowError::UnknownDefinition {
                id: dossier.definition.clone(),
            })?;
        if !matches!(action, Action::HandOver)
            && let Some(h) = self.catalogue.handover_from(&def.id, date)
        {
            return Err(WorkflowError::HandoverRequired {
                to: h.to.clone(),
                on: h.on,
            });
        }
        let index = dossier
            .current_index()
            .ok_or_else(|| WorkflowError::UnknownDefinition { id: def.id.clone() })?;
        let rec = &dossier.steps[index];
        let step = def
            .step(&rec.code)
            .ok_or_else(|| WorkflowError::UnknownDefinition { id: def.id.clone() })?;
        let cx = Cx {
            engine: self,
            dossier,
            def,
            step,
            index,
            actor,
            date,
        };
        let (mut next, kind) = match action {
            Action::Complete {
                step: code,
                outcome,
                reasons,
            } => cx.complete(code, outcome, reasons)?,
            Action::Decide(decision) => cx.decide(decision)?,
            Action::Skip { step: code, reason } => cx.skip(code, reason)?,
            Action::OpenComplaint { note } => cx.open_complaint(note)?,
            Action::ResolveComplaint {
                complaint,
                outcome,
                reasons,
            } => cx.resolve_complaint(*complaint, outcome, reasons)?,
            Action::Pause { reason } => cx.pause(reason)?,
            Action::Resume => cx.resume()?,
            Action::Escalate { note } => cx.escalate(note)?,
            Action::HandOver => cx.hand_over()?,
        };
        next.last_event = date;
        let event = Event {
            dossier: dossier.code.clone(),
            date,
            actor: *actor,
            definition: def.id.clone(),
            step: Some(rec.code.clone()),
            kind,
        };
        Ok(Applied {
            dossier: next,
            event,
        })
    }

    /// The open tasks of `actor` among `dossiers` at `at` (the caller has already limited the
    /// dossiers to the user's scope), sorted by due date (tasks without one last), then receipt.
    pub fn tasks_for<'d, I>(
        &self,
        dossiers: I,
        actor: &Actor,
        at: NaiveDate,
    ) -> Result<Vec<Task<'d>>, WorkflowError>
    where
        I: IntoIterator<Item = &'d Dossier>,
    {
        let mut out = Vec::new();
        for d in dossiers {
            let Some(rec) = d.current() else { continue };
            let Some(def) = self.catalogue.definition(&d.definition) else {
                continue;
            };
            if let Some(h) = self.catalogue.handover_from(&def.id, at) {
                if h.roles.contains(&actor.role) {
                    out.push(Task {
                        dossier: d,
                        code: d.code.clone(),
                        kind: TaskKind::Handover,
                        step: rec.code.clone(),
                        due: Some(h.on),
                        overdue: at > h.on,
                        paused: d.is_paused(),
                    });
                }
                continue;
            }
            if let Some(step) = def.step(&rec.code)
                && step.allows(actor.role)
                && independent(d, step, actor).is_ok()
            {
                let due = d.step_due(self.calendar, at)?;
                let paused = d.is_paused();
                out.push(Task {
                    dossier: d,
                    code: d.code.clone(),
                    kind: TaskKind::Step,
                    step: rec.code.clone(),
                    due,
                    overdue: !paused && due.is_some_and(|x| at > x),
                    paused,
                });
            }
            if let Some(rule) = &def.complaint
                && rule.roles.contains(&actor.role)
            {
                for (i, c) in d.complaints.iter().enumerate().filter(|(_, c)| c.is_open()) {
                    out.push(Task {
                        dossier: d,
                        code: d.code.clone(),
                        kind: TaskKind::Complaint { index: i },
                        step: rec.code.clone(),
                        due: Some(c.due),
                        overdue: at > c.due,
                        paused: false,
                    });
                }
            }
        }
        out.sort_by(|a, b| {
            (a.due.is_none(), a.due, a.dossier.received, &a.code).cmp(&(
                b.due.is_none(),
                b.due,
                b.dossier.received,
                &b.code,
            ))
        });
        Ok(out)
    }
}

/// A fresh open record of `step`.
fn record(
    def: &Definition,
    step: &Step,
    started: NaiveDate,
    segment: Option<Segment>,
) -> StepRecord {
    let remaining = def
        .steps
        .iter()
        .skip_while(|s| s.code != step.code)
        .skip(1)
        .filter(|s| !s.optional)
        .filter_map(|s| s.deadline)
        .sum();
    StepRecord {
        definition: def.id.clone(),
        code: step.code.clone(),
        kind: step.kind,
        deadline: step.deadline,
        period: step.period,
        optional: step.optional,
        started,
        segment,
        remaining,
        status: StepStatus::Open,
        ended: None,
        by: None,
        outcome: None,
        reasons: Vec::new(),
        paused_days: 0,
        pause: None,
    }
}

/// Maker-checker: the actor must not have recorded any step `step` must be independent of.
fn independent(d: &Dossier, step: &Step, actor: &Actor) -> Result<(), WorkflowError> {
    for code in &step.independent_of {
        let conflict = if code == "receive" {
            d.received_by == actor.user
        } else {
            d.steps.iter().any(|r| {
                &r.code == code
                    && matches!(r.status, StepStatus::Completed | StepStatus::Skipped)
                    && r.by == Some(actor.user)
            })
        };
        if conflict {
            return Err(WorkflowError::MakerCannotCheck {
                user: actor.user,
                step: step.code.clone(),
                earlier: code.clone(),
            });
        }
    }
    Ok(())
}

/// The context of one action.
struct Cx<'e, 'a> {
    engine: &'e Engine<'a>,
    dossier: &'e Dossier,
    def: &'a Definition,
    step: &'a Step,
    index: usize,
    actor: &'e Actor,
    date: NaiveDate,
}

/// The new state and what happened.
type Change = (Dossier, EventKind);

impl Cx<'_, '_> {
    fn rec(&self) -> &StepRecord {
        &self.dossier.steps[self.index]
    }

    fn not_paused(&self) -> Result<(), WorkflowError> {
        match &self.rec().pause {
            Some(p) => Err(WorkflowError::Paused {
                since: p.since,
                reason: p.reason.clone(),
            }),
            None => Ok(()),
        }
    }

    fn is_step(&self, code: &str) -> Result<(), WorkflowError> {
        if code == self.step.code {
            Ok(())
        } else {
            Err(WorkflowError::WrongStep {
                current: self.step.code.clone(),
                requested: code.to_owned(),
            })
        }
    }

    fn no_open_complaint(&self) -> Result<(), WorkflowError> {
        match self.dossier.open_complaints() {
            0 => Ok(()),
            count => Err(WorkflowError::ComplaintOpen { count }),
        }
    }

    /// Roles that handle the paperwork of the current step: its own and the receiving ones.
    fn clerical_roles(&self) -> Vec<Role> {
        let mut roles = self.step.roles.clone();
        for r in &self.def.receive_roles {
            if !roles.contains(r) {
                roles.push(*r);
            }
        }
        roles
    }

    /// Closes the current record and either opens `next` or closes the dossier.
    fn finish(
        &self,
        outcome: &StepOutcome,
        reasons: Vec<String>,
        authority: Option<String>,
    ) -> Result<Dossier, WorkflowError> {
        let mut d = self.dossier.clone();
        let rec = &mut d.steps[self.index];
        rec.status = StepStatus::Completed;
        rec.ended = Some(self.date);
        rec.by = Some(self.actor.user);
        rec.outcome = Some(outcome.code.clone());
        rec.reasons = reasons.clone();
        match &outcome.transition {
            Transition::Next(n) => {
                let step = self
                    .def
                    .step(n)
                    .ok_or_else(|| WorkflowError::UnknownDefinition {
                        id: self.def.id.clone(),
                    })?;
                d.steps.push(record(self.def, step, self.date, None));
            }
            Transition::End(end) => {
                d.closure = Some(Closure {
                    end: *end,
                    date: self.date,
                    definition: self.def.id.clone(),
                    step: self.step.code.clone(),
                    outcome: outcome.code.clone(),
                    reasons,
                    by: self.actor.user,
                    authority,
                });
            }
        }
        Ok(d)
    }

    fn outcome_reasons(
        &self,
        outcome: &StepOutcome,
        reasons: &[String],
    ) -> Result<Vec<String>, WorkflowError> {
        let reasons = clean(reasons);
        if outcome.reasons && reasons.is_empty() {
            return Err(WorkflowError::ReasonsRequired {
                what: format!("{}/{}", self.step.code, outcome.code),
            });
        }
        Ok(reasons)
    }

    fn posting_over(&self) -> Result<(), WorkflowError> {
        if let (true, Some(deadline)) = (self.step.period, self.rec().deadline) {
            let until = self.engine.calendar.add_working_days(
                self.rec().started,
                i64::from(deadline + self.rec().paused_days),
            )?;
            if self.date < until {
                return Err(WorkflowError::PostingNotFinished { until });
            }
        }
        Ok(())
    }

    fn complete(
        &self,
        code: &str,
        outcome: &str,
        reasons: &[String],
    ) -> Result<Change, WorkflowError> {
        self.not_paused()?;
        self.is_step(code)?;
        allow(self.actor.role, &self.step.roles, &self.step.code)?;
        independent(self.dossier, self.step, self.actor)?;
        let o = self
            .step
            .outcome(outcome)
            .ok_or_else(|| WorkflowError::UnknownOutcome {
                step: self.step.code.clone(),
                outcome: outcome.to_owned(),
                allowed: self.step.outcomes.iter().map(|o| o.code.clone()).collect(),
            })?;
        let reasons = self.outcome_reasons(o, reasons)?;
        self.no_open_complaint()?;
        self.posting_over()?;
        if let (StepKind::Decision, Transition::End(end)) = (self.step.kind, &o.transition) {
            let d = self.finish(o, reasons.clone(), self.step.authority.clone())?;
            return Ok((
                d,
                EventKind::Decided {
                    outcome: o.code.clone(),
                    end: *end,
                    reasons,
                    authority: self.step.authority.clone(),
                },
            ));
        }
        let d = self.finish(o, reasons.clone(), None)?;
        let (next, end) = match &o.transition {
            Transition::Next(n) => (Some(n.clone()), None),
            Transition::End(e) => (None, Some(*e)),
        };
        Ok((
            d,
            EventKind::StepCompleted {
                outcome: o.code.clone(),
                next,
                end,
                reasons,
            },
        ))
    }

    fn decide(&self, decision: &Decision) -> Result<Change, WorkflowError> {
        self.not_paused()?;
        if self.step.kind != StepKind::Decision {
            return Err(WorkflowError::NotDecisionStep {
                current: self.step.code.clone(),
            });
        }
        allow(self.actor.role, &self.step.roles, &self.step.code)?;
        independent(self.dossier, self.step, self.actor)?;
        let (want, reasons, name) = match decision {
            Decision::Grant => (End::Granted, &[][..], "grant"),
            Decision::Reject { reasons } => (End::Rejected, &reasons[..], "reject"),
        };
        let o = self
            .step
            .outcomes
            .iter()
            .find(|o| o.transition == Transition::End(want))
            .ok_or_else(|| WorkflowError::UnknownOutcome {
                step: self.step.code.clone(),
                outcome: name.to_owned(),
                allowed: self.step.outcomes.iter().map(|o| o.code.clone()).collect(),
            })?;
        let reasons = self.outcome_reasons(o, reasons)?;
        self.no_open_complaint()?;
        let d = self.finish(o, reasons.clone(), self.step.authority.clone())?;
        Ok((
            d,
            EventKind::Decided {
                outcome: o.code.clone(),
                end: want,
                reasons,
                authority: self.step.authority.clone(),
            },
        ))
    }

    fn skip(&self, code: &str, reason: &str) -> Result<Change, WorkflowError> {
        self.not_paused()?;
        self.is_step(code)?;
        if !self.step.optional {
            return Err(WorkflowError::StepNotOptional {
                step: self.step.code.clone(),
            });
        }
        allow(self.actor.role, &self.step.roles, &self.step.code)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(WorkflowError::ReasonRequired {
                what: "skip a step",
            });
        }
        self.no_open_complaint()?;
        let at = self.def.step_index(&self.step.code).unwrap_or(0);
        let next = self
            .def
            .steps
            .get(at + 1)
            .ok_or_else(|| WorkflowError::UnknownDefinition {
                id: self.def.id.clone(),
            })?;
        let mut d = self.dossier.clone();
        let rec = &mut d.steps[self.index];
        rec.status = StepStatus::Skipped;
        rec.ended = Some(self.date);
        rec.by = Some(self.actor.user);
        rec.reasons = vec![reason.to_owned()];
        d.steps.push(record(self.def, next, self.date, None));
        Ok((
            d,
            EventKind::StepSkipped {
                reason: reason.to_owned(),
                next: next.code.clone(),
            },
        ))
    }

    fn open_complaint(&self, note: &str) -> Result<Change, WorkflowError> {
        let not_allowed = || WorkflowError::ComplaintNotAllowed {
            step: self.step.code.clone(),
        };
        let rule = self.def.complaint.as_ref().ok_or_else(not_allowed)?;
        if !rule.during.contains(&self.step.code) {
            return Err(not_allowed());
        }
        let mut roles = rule.roles.clone();
        roles.extend(
            self.def
                .receive_roles
                .iter()
                .filter(|r| !rule.roles.contains(r)),
        );
        allow(self.actor.role, &roles, "complaint")?;
        let due = self
            .engine
            .calendar
            .add_working_days(self.date, i64::from(rule.deadline))?;
        let mut d = self.dossier.clone();
        d.complaints.push(Complaint {
            step: self.index,
            opened: self.date,
            deadline: rule.deadline,
            due,
            by: self.actor.user,
            note: note.trim().to_owned(),
            resolution: None,
        });
        Ok((
            d,
            EventKind::ComplaintOpened {
                complaint: self.dossier.complaints.len(),
                due,
                note: note.trim().to_owned(),
            },
        ))
    }

    fn resolve_complaint(
        &self,
        index: usize,
        outcome: &str,
        reasons: &[String],
    ) -> Result<Change, WorkflowError> {
        if !self
            .dossier
            .complaints
            .get(index)
            .is_some_and(Complaint::is_open)
        {
            return Err(WorkflowError::UnknownComplaint { index });
        }
        let rule =
            self.def
                .complaint
                .as_ref()
                .ok_or_else(|| WorkflowError::ComplaintNotAllowed {
                    step: self.step.code.clone(),
                })?;
        allow(self.actor.role, &rule.roles, "complaint")?;
        let o = rule
            .outcome(outcome)
            .ok_or_else(|| WorkflowError::UnknownOutcome {
                step: "complaint".to_owned(),
                outcome: outcome.to_owned(),
                allowed: rule.outcomes.iter().map(|o| o.code.clone()).collect(),
            })?;
        let reasons = clean(reasons);
        if o.reasons && reasons.is_empty() {
            return Err(WorkflowError::ReasonsRequired {
                what: format!("complaint/{}", o.code),
            });
        }
        let mut d = self.dossier.clone();
        if let Some(c) = d.complaints.get_mut(index) {
            c.resolution = Some(ComplaintResolution {
                date: self.date,
                outcome: o.code.clone(),
                end: o.end,
                reasons: reasons.clone(),
                by: self.actor.user,
            });
        }
        if let Some(end) = o.end {
            // The complaint ends the dossier at the current step (a running pause ends too).
            let wd = self.pause_days()?;
            let rec = &mut d.steps[self.index];
            if let Some(p) = rec.pause.take() {
                rec.paused_days += wd;
                d.pauses.push(PauseRecord {
                    step: self.index,
                    from: p.since,
                    to: self.date,
                    reason: p.reason,
                    by: p.by,
                    working_days: wd,
                });
            }
            let rec = &mut d.steps[self.index];
            rec.status = StepStatus::Completed;
            rec.ended = Some(self.date);
            rec.by = Some(self.actor.user);
            rec.outcome = Some(format!("complaint:{}", o.code));
            rec.reasons = reasons.clone();
            d.closure = Some(Closure {
                end,
                date: self.date,
                definition: self.def.id.clone(),
                step: self.step.code.clone(),
                outcome: format!("complaint:{}", o.code),
                reasons: reasons.clone(),
                by: self.actor.user,
                authority: None,
            });
        }
        Ok((
            d,
            EventKind::ComplaintResolved {
                complaint: index,
                outcome: o.code.clone(),
                end: o.end,
                reasons,
            },
        ))
    }

    /// Working days of the running pause up to the action's date.
    fn pause_days(&self) -> Result<u32, WorkflowError> {
        match &self.rec().pause {
            Some(p) if self.date > p.since => Ok(u32::try_from(
                self.engine
                    .calendar
                    .working_days_between(p.since, self.date)?
                    .max(0),
            )
            .unwrap_or(0)),
            _ => Ok(0),
        }
    }

    fn pause(&self, reason: &str) -> Result<Change, WorkflowError> {
        self.not_paused()?;
        allow(self.actor.role, &self.clerical_roles(), &self.step.code)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(WorkflowError::ReasonRequired {
                what: "pause the clock",
            });
        }
        let mut d = self.dossier.clone();
        d.steps[self.index].pause = Some(Pause {
            since: self.date,
            reason: reason.to_owned(),
            by: self.actor.user,
        });
        Ok((
            d,
            EventKind::Paused {
                reason: reason.to_owned(),
            },
        ))
    }

    fn resume(&self) -> Result<Change, WorkflowError> {
        if self.rec().pause.is_none() {
            return Err(WorkflowError::NotPaused);
        }
        allow(self.actor.role, &self.clerical_roles(), &self.step.code)?;
        let wd = self.pause_days()?;
        let mut d = self.dossier.clone();
        let rec = &mut d.steps[self.index];
        if let Some(p) = rec.pause.take() {
            rec.paused_days += wd;
            d.pauses.push(PauseRecord {
                step: self.index,
                from: p.since,
                to: self.date,
                reason: p.reason,
                by: p.by,
                working_days: wd,
            });
        }
        Ok((
            d,
            EventKind::Resumed {
                paused_working_days: wd,
            },
        ))
    }

    fn escalate(&self, note: &str) -> Result<Change, WorkflowError> {
        self.not_paused()?;
        let mut roles = self.step.roles.clone();
        if !roles.contains(&self.step.escalate_to) {
            roles.push(self.step.escalate_to);
        }
        allow(self.actor.role, &roles, &self.step.code)?;
        let cal = self.engine.calendar;
        let due = self.dossier.step_due(cal, self.date)?;
        let Some(due) = due.filter(|d| self.date > *d) else {
            return Err(WorkflowError::NotOverdue {
                step: self.step.code.clone(),
                due,
            });
        };
        let level = self
            .dossier
            .escalations
            .iter()
            .filter(|e| e.step == self.index)
            .count() as u32
            + 1;
        let overdue = cal.working_days_between(due, self.date)?;
        let mut d = self.dossier.clone();
        d.escalations.push(Escalation {
            step: self.index,
            date: self.date,
            by: *self.actor,
            to: self.step.escalate_to,
            level,
            working_days_overdue: overdue,
            note: note.trim().to_owned(),
        });
        Ok((
            d,
            EventKind::Escalated {
                to: self.step.escalate_to,
                level,
                working_days_overdue: overdue,
                note: note.trim().to_owned(),
            },
        ))
    }

    fn hand_over(&self) -> Result<Change, WorkflowError> {
        let rule = self
            .engine
            .catalogue
            .handover_from(&self.def.id, self.date)
            .ok_or(WorkflowError::NoHandover { date: self.date })?;
        allow(self.actor.role, &rule.roles, "handover")?;
        let to = self.engine.catalogue.definition(&rule.to).ok_or_else(|| {
            WorkflowError::UnknownDefinition {
                id: rule.to.clone(),
            }
        })?;
        let to_code =
            rule.map
                .get(&self.step.code)
                .ok_or_else(|| WorkflowError::UnknownDefinition {
                    id: rule.id.clone(),
                })?;
        let to_step = to
            .step(to_code)
            .ok_or_else(|| WorkflowError::UnknownDefinition { id: to.id.clone() })?;
        let wd = self.pause_days()?;
        let mut d = self.dossier.clone();
        let rec = &mut d.steps[self.index];
        rec.status = StepStatus::HandedOver;
        rec.ended = Some(self.date);
        let carried = rec.pause.take().map(|p| {
            rec.paused_days += wd;
            d.pauses.push(PauseRecord {
                step: self.index,
                from: p.since,
                to: self.date,
                reason: p.reason.clone(),
                by: p.by,
                working_days: wd,
            });
            Pause {
                since: self.date,
                reason: p.reason,
                by: p.by,
            }
        });
        let first = to.first_step().is_some_and(|s| s.code == to_step.code);
        let mut new = record(
            to,
            to_step,
            self.date,
            Some(Segment {
                total: if first { to.total_deadline } else { None },
            }),
        );
        new.pause = carried;
        d.steps.push(new);
        d.definition = to.id.clone();
        d.handovers.push(HandoverRecord {
            rule: rule.id.clone(),
            date: self.date,
            by: *self.actor,
            from_definition: self.def.id.clone(),
            from_step: self.step.code.clone(),
            to_definition: to.id.clone(),
            to_step: to_step.code.clone(),
        });
        Ok((
            d,
            EventKind::HandedOver {
                rule: rule.id.clone(),
                from_definition: self.def.id.clone(),
                from_step: self.step.code.clone(),
                to_definition: to.id.clone(),
                to_step: to_step.code.clone(),
            },
        ))
    }
}
