//! The state of a dossier (hồ sơ) and its clocks. A dossier is created by
//! [`Engine::receive`](crate::Engine::receive) and changed only by
//! [`Engine::apply`](crate::Engine::apply), which returns a new state; it serialises to JSON for
//! storage. The clocks need only the calendar: each step record keeps the deadline that applied
//! when it started, so a due date costs one calendar lookup.

use crate::catalogue::{End, StepKind};
use crate::error::WorkflowError;
use ansinh_calendar::Calendar;
use ansinh_domain::access::Role;
use ansinh_domain::ids::UserId;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How the dossier reached the commune (147/2025 Art. 5(2)(a): in person, by post or online).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// trực tiếp
    InPerson,
    /// qua bưu chính
    Post,
    /// trực tuyến
    Online,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::InPerson, Channel::Post, Channel::Online];
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::InPerson => "in_person",
            Channel::Post => "post",
            Channel::Online => "online",
        }
    }
}

/// Who acts: a user with their role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Actor {
    pub role: Role,
    pub user: UserId,
}

impl Actor {
    pub fn new(role: Role, user: i64) -> Actor {
        Actor {
            role,
            user: UserId(user),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    /// The current step.
    Open,
    /// Completed with an outcome.
    Completed,
    /// An optional step skipped (with a reason).
    Skipped,
    /// Interrupted by a handover to another definition.
    HandedOver,
}

/// The first step of a segment: after the receipt, or after a handover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    /// The definition's statutory total when the segment starts at its first step.
    pub total: Option<u32>,
}

/// A running pause (tạm dừng tính thời hạn): waiting for missing documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    pub since: NaiveDate,
    pub reason: String,
    pub by: UserId,
}

/// A step as the dossier went through it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRecord {
    pub definition: String,
    pub code: String,
    pub kind: StepKind,
    /// The deadline in force when the step started (working days).
    pub deadline: Option<u32>,
    pub period: bool,
    pub optional: bool,
    pub started: NaiveDate,
    pub segment: Option<Segment>,
    /// Sum of the deadlines of the mandatory steps after this one, in the definition's order
    /// (the expected rest of the procedure, for the statutory due date of an open dossier).
    pub remaining: u32,
    pub status: StepStatus,
    pub ended: Option<NaiveDate>,
    /// Who completed or skipped it.
    pub by: Option<UserId>,
    pub outcome: Option<String>,
    pub reasons: Vec<String>,
    /// Working days of the pauses already ended during this step.
    pub paused_days: u32,
    pub pause: Option<Pause>,
}

/// A pause that has ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PauseRecord {
    /// Index of the step record.
    pub step: usize,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub reason: String,
    pub by: UserId,
    pub working_days: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintResolution {
    pub date: NaiveDate,
    pub outcome: String,
    pub end: Option<End>,
    pub reasons: Vec<String>,
    pub by: UserId,
}

/// A complaint (khiếu nại) about the review result, on its own clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Complaint {
    /// Index of the step record during which it was filed.
    pub step: usize,
    pub opened: NaiveDate,
    pub deadline: u32,
    pub due: NaiveDate,
    pub by: UserId,
    pub note: String,
    pub resolution: Option<ComplaintResolution>,
}

impl Complaint {
    pub fn is_open(&self) -> bool {
        self.resolution.is_none()
    }
}

/// An escalation of an overdue step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Escalation {
    /// Index of the step record.
    pub step: usize,
    pub date: NaiveDate,
    pub by: Actor,
    pub to: Role,
    /// 1 for the first escalation of the step, then 2, …
    pub level: u32,
    pub working_days_overdue: i64,
    pub note: String,
}

/// A handover to another definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoverRecord {
    pub rule: String,
    pub date: NaiveDate,
    pub by: Actor,
    pub from_definition: String,
    pub from_step: String,
    pub to_definition: String,
    pub to_step: String,
}

/// How and when the dossier was closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closure {
    pub end: End,
    pub date: NaiveDate,
    pub definition: String,
    pub step: String,
    pub outcome: String,
    pub reasons: Vec<String>,
    pub by: UserId,
    /// Decision steps: the authority whose decision was recorded.
    pub authority: Option<String>,
}

/// A dossier: its intake and everything that happened to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dossier {
    pub(crate) code: String,
    pub(crate) application_type: String,
    pub(crate) family: String,
    pub(crate) unit: String,
    pub(crate) channel: Channel,
    pub(crate) received: NaiveDate,
    pub(crate) received_by: UserId,
    pub(crate) documents: Vec<String>,
    pub(crate) conditions: Vec<String>,
    pub(crate) definition: String,
    pub(crate) steps: Vec<StepRecord>,
    pub(crate) pauses: Vec<PauseRecord>,
    pub(crate) complaints: Vec<Complaint>,
    pub(crate) escalations: Vec<Escalation>,
    pub(crate) handovers: Vec<HandoverRecord>,
    pub(crate) closure: Option<Closure>,
    pub(crate) last_event: NaiveDate,
}

/// The clock of the current step at a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clock {
    pub step: String,
    pub started: NaiveDate,
    /// `None` when the step has no deadline.
    pub due: Option<NaiveDate>,
    pub paused: bool,
    pub overdue: bool,
    /// Working days after the due date (0 when not overdue).
    pub working_days_overdue: i64,
}

/// How long a completed step took, in working days (pauses excluded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepDuration {
    pub definition: String,
    pub step: String,
    pub working_days: i64,
}

impl Dossier {
    pub fn code(&self) -> &str {
        &self.code
    }
    pub fn application_type(&self) -> &str {
        &self.application_type
    }
    pub fn family(&self) -> &str {
        &self.family
    }
    /// The unit key given at intake (the receiving commune's code).
    pub fn unit(&self) -> &str {
        &self.unit
    }
    pub fn channel(&self) -> Channel {
        self.channel
    }
    pub fn received(&self) -> NaiveDate {
        self.received
    }
    pub fn received_by(&self) -> UserId {
        self.received_by
    }
    pub fn documents(&self) -> &[String] {
        &self.documents
    }
    pub fn conditions(&self) -> &[String] {
        &self.conditions
    }
    /// The definition the dossier follows now.
    pub fn definition(&self) -> &str {
        &self.definition
    }
    /// Every step record, in order; the last is the current one while the dossier is open.
    pub fn steps(&self) -> &[StepRecord] {
        &self.steps
    }
    pub fn pauses(&self) -> &[PauseRecord] {
        &self.pauses
    }
    pub fn complaints(&self) -> &[Complaint] {
        &self.complaints
    }
    pub fn escalations(&self) -> &[Escalation] {
        &self.escalations
    }
    pub fn handovers(&self) -> &[HandoverRecord] {
        &self.handovers
    }
    pub fn closure(&self) -> Option<&Closure> {
        self.closure.as_ref()
    }
    pub fn outcome(&self) -> Option<End> {
        self.closure.as_ref().map(|c| c.end)
    }
    pub fn last_event(&self) -> NaiveDate {
        self.last_event
    }
    pub fn is_closed(&self) -> bool {
        self.closure.is_some()
    }
    /// Index of the current step record.
    pub fn current_index(&self) -> Option<usize> {
        if self.closure.is_some() {
            return None;
        }
        let i = self.steps.len().checked_sub(1)?;
        (self.steps[i].status == StepStatus::Open).then_some(i)
    }
    pub fn current(&self) -> Option<&StepRecord> {
        self.current_index().and_then(|i| self.steps.get(i))
    }
    pub fn is_paused(&self) -> bool {
        self.current().is_some_and(|s| s.pause.is_some())
    }
    pub fn open_complaints(&self) -> usize {
        self.complaints.iter().filter(|c| c.is_open()).count()
    }

    /// Working days of the running pause up to `at` (0 when not paused).
    fn running_pause(
        rec: &StepRecord,
        cal: &Calendar,
        at: NaiveDate,
    ) -> Result<u32, WorkflowError> {
        match &rec.pause {
            Some(p) if at > p.since => {
                Ok(u32::try_from(cal.working_days_between(p.since, at)?.max(0)).unwrap_or(0))
            }
            _ => Ok(0),
        }
    }

    /// Due date of the current step: `add_working_days(start, deadline + paused working days)`,
    /// and at least the due date of any complaint filed during the step. While paused, the
    /// running pause counts up to `at` (a provisional due date). `None` when the dossier is
    /// closed or the step has no deadline.
    pub fn step_due(
        &self,
        cal: &Calendar,
        at: NaiveDate,
    ) -> Result<Option<NaiveDate>, WorkflowError> {
        let Some(i) = self.current_index() else {
            return Ok(None);
        };
        let rec = &self.steps[i];
        let mut due = match rec.deadline {
            Some(deadline) => {
                let extra = rec.paused_days + Self::running_pause(rec, cal, at)?;
                Some(cal.add_working_days(rec.started, i64::from(deadline + extra))?)
            }
            None => None,
        };
        for c in self.complaints.iter().filter(|c| c.step == i) {
            due = Some(due.map_or(c.due, |d| d.max(c.due)));
        }
        Ok(due)
    }

    /// Whether the current step is overdue at `at` (after its due date; a paused dossier is
    /// never overdue, its clock is stopped).
    pub fn is_overdue(&self, cal: &Calendar, at: NaiveDate) -> Result<bool, WorkflowError> {
        if self.is_paused() {
            return Ok(false);
        }
        Ok(self.step_due(cal, at)?.is_some_and(|due| at > due))
    }

    /// The clock of the current step at `at` (`None` when closed).
    pub fn clock(&self, cal: &Calendar, at: NaiveDate) -> Result<Option<Clock>, WorkflowError> {
        let Some(rec) = self.current() else {
            return Ok(None);
        };
        let due = self.step_due(cal, at)?;
        let paused = rec.pause.is_some();
        let overdue = !paused && due.is_some_and(|d| at > d);
        let working_days_overdue = match due {
            Some(d) if overdue => cal.working_days_between(d, at)?,
            _ => 0,
        };
        Ok(Some(Clock {
            step: rec.code.clone(),
            started: rec.started,
            due,
            paused,
            overdue,
            working_days_overdue,
        }))
    }

    /// The statutory due date of the dossier along the path it took (for an open dossier, the
    /// mandatory steps after the current one are assumed to follow in order). Rule (docs/workflow.md, "Timeliness"): per segment
    /// (from the receipt, or from a handover), the definition's total when the segment starts at
    /// its first step and the definition has one, else the sum of the deadlines of the steps
    /// taken (skipped optional steps and steps interrupted by a handover excluded); plus the
    /// complaint deadline once when a complaint was filed; plus the paused working days. A
    /// segment after a handover counts from the later of the handover date and the previous
    /// segment's due date.
    pub fn statutory_due(&self, cal: &Calendar, at: NaiveDate) -> Result<NaiveDate, WorkflowError> {
        let mut due = self.received;
        let mut base = self.received;
        let mut total: Option<u32> = None;
        let mut sum: u32 = 0;
        let mut paused: u32 = 0;
        let mut complaint: u32 = 0;
        let mut started = false;
        for (i, rec) in self.steps.iter().enumerate() {
            if let Some(seg) = rec.segment {
                if started {
                    due = cal.add_working_days(
                        base,
                        i64::from(total.unwrap_or(sum) + paused + complaint),
                    )?;
                }
                started = true;
                base = due.max(rec.started);
                total = seg.total;
                sum = 0;
                paused = 0;
                complaint = 0;
            }
            if matches!(rec.status, StepStatus::Open | StepStatus::Completed) {
                sum += rec.deadline.unwrap_or(0);
            }
            paused += rec.paused_days + Self::running_pause(rec, cal, at)?;
            for c in self.complaints.iter().filter(|c| c.step == i) {
                complaint = complaint.max(c.deadline);
            }
        }
        if started {
            if let Some(rec) = self.current() {
                sum += rec.remaining;
            }
            due =
                cal.add_working_days(base, i64::from(total.unwrap_or(sum) + paused + complaint))?;
        }
        Ok(due)
    }

    /// For a closed dossier: closed on or before its statutory due date. `None` while open.
    pub fn decided_on_time(&self, cal: &Calendar) -> Result<Option<bool>, WorkflowError> {
        match &self.closure {
            None => Ok(None),
            Some(c) => Ok(Some(c.date <= self.statutory_due(cal, c.date)?)),
        }
    }

    /// Working days from the receipt to the closure (or to `at` while open).
    pub fn working_days_total(&self, cal: &Calendar, at: NaiveDate) -> Result<i64, WorkflowError> {
        let end = self.closure.as_ref().map_or(at, |c| c.date);
        Ok(cal.working_days_between(self.received, end)?)
    }

    /// Working days each completed step took (pauses excluded), for medians.
    pub fn step_durations(&self, cal: &Calendar) -> Result<Vec<StepDuration>, WorkflowError> {
        let mut out = Vec::new();
        for rec in &self.steps {
            if rec.status != StepStatus::Completed {
                continue;
            }
            let Some(ended) = rec.ended else { continue };
            let days = cal.working_days_between(rec.started, ended)? - i64::from(rec.paused_days);
            out.push(StepDuration {
                definition: rec.definition.clone(),
                step: rec.code.clone(),
                working_days: days.max(0),
            });
        }
        Ok(out)
    }
}
