//! One error type for the engine, with stable machine codes (translation keys). On any error
//! nothing has changed: actions take the dossier by reference and return a new one.

use crate::catalogue::End;
use ansinh_calendar::CalendarError;
use ansinh_domain::access::Role;
use ansinh_domain::ids::UserId;
use chrono::NaiveDate;
use serde::Serialize;

/// A required document that was not ticked at intake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingDocument {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    /// `attach` or `show`.
    pub kind: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WorkflowError {
    #[error("unknown application type {code:?}")]
    UnknownApplicationType { code: String },
    #[error("application type {code:?} is only received from {from}")]
    TypeNotAvailable { code: String, from: NaiveDate },
    #[error(
        "no workflow definition of family {family:?} is valid for a dossier received on {date}"
    )]
    NoDefinition { family: String, date: NaiveDate },
    #[error("unknown workflow definition {id:?} (the catalogue no longer has it)")]
    UnknownDefinition { id: String },
    #[error("unknown document {code:?} in the checklist")]
    UnknownDocument { code: String },
    #[error("unknown condition {code:?}")]
    UnknownCondition { code: String },
    #[error("documents missing: {}", .missing.iter().map(|m| m.code.as_str()).collect::<Vec<_>>().join(", "))]
    DocumentsMissing { missing: Vec<MissingDocument> },
    #[error("a dossier code is needed")]
    CodeRequired,
    #[error("the receiving unit is needed")]
    UnitRequired,
    #[error("the dossier is at step {current:?}, not {requested:?}")]
    WrongStep { current: String, requested: String },
    #[error("the dossier is at step {current:?}, which is not a decision step")]
    NotDecisionStep { current: String },
    #[error("role {role} may not act on {what:?} (allowed: {})", .allowed.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", "))]
    RoleNotAllowed {
        role: Role,
        what: String,
        allowed: Vec<Role>,
    },
    #[error(
        "user {user} recorded step {earlier:?} of this dossier and may not record step {step:?} (maker-checker)"
    )]
    MakerCannotCheck {
        user: UserId,
        step: String,
        earlier: String,
    },
    #[error("the dossier is closed ({end} on {date})")]
    DossierClosed { end: End, date: NaiveDate },
    #[error("the dossier is paused since {since}: {reason}")]
    Paused { since: NaiveDate, reason: String },
    #[error("the dossier is not paused")]
    NotPaused,
    #[error("step {step:?} has no outcome {outcome:?} (allowed: {})", .allowed.join(", "))]
    UnknownOutcome {
        step: String,
        outcome: String,
        allowed: Vec<String>,
    },
    #[error("{what:?} needs at least one reason")]
    ReasonsRequired { what: String },
    #[error("a reason is needed to {what}")]
    ReasonRequired { what: &'static str },
    #[error("{count} complaint(s) still open: resolve them first")]
    ComplaintOpen { count: usize },
    #[error("no complaint may be filed at step {step:?}")]
    ComplaintNotAllowed { step: String },
    #[error("no open complaint number {index}")]
    UnknownComplaint { index: usize },
    #[error("step {step:?} is not optional")]
    StepNotOptional { step: String },
    #[error("the public posting runs until {until}")]
    PostingNotFinished { until: NaiveDate },
    #[error("step {step:?} is not overdue (due {due:?})")]
    NotOverdue {
        step: String,
        due: Option<NaiveDate>,
    },
    #[error("the dossier must first be handed over to {to:?} (from {on})")]
    HandoverRequired { to: String, on: NaiveDate },
    #[error("no handover applies to this dossier on {date}")]
    NoHandover { date: NaiveDate },
    #[error("{date} is before the dossier's last event ({last})")]
    DateBeforeLastEvent { date: NaiveDate, last: NaiveDate },
    #[error("unknown decision kind {code:?}")]
    UnknownDecisionKind { code: String },
    #[error("reason {code:?} does not apply to {kind:?} decisions")]
    UnknownReason { code: String, kind: String },
    #[error("no authority issues {kind:?} decisions of family {family:?} on {date}")]
    NoAuthority {
        kind: String,
        family: String,
        date: NaiveDate,
    },
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

impl WorkflowError {
    /// Stable machine code (translation key).
    pub fn code(&self) -> &'static str {
        use WorkflowError::*;
        match self {
            UnknownApplicationType { .. } => "unknown-application-type",
            TypeNotAvailable { .. } => "type-not-available",
            NoDefinition { .. } => "no-definition",
            UnknownDefinition { .. } => "unknown-definition",
            UnknownDocument { .. } => "unknown-document",
            UnknownCondition { .. } => "unknown-condition",
            DocumentsMissing { .. } => "documents-missing",
            CodeRequired => "code-required",
            UnitRequired => "unit-required",
            WrongStep { .. } | NotDecisionStep { .. } => "wrong-step",
            RoleNotAllowed { .. } => "role-not-allowed",
            MakerCannotCheck { .. } => "maker-cannot-check",
            DossierClosed { .. } => "dossier-closed",
            Paused { .. } => "paused",
            NotPaused => "not-paused",
            UnknownOutcome { .. } => "unknown-outcome",
            ReasonsRequired { .. } | ReasonRequired { .. } => "reasons-required",
            ComplaintOpen { .. } => "complaint-open",
            ComplaintNotAllowed { .. } => "complaint-not-allowed",
            UnknownComplaint { .. } => "unknown-complaint",
            StepNotOptional { .. } => "step-not-optional",
            PostingNotFinished { .. } => "posting-not-finished",
            NotOverdue { .. } => "not-overdue",
            HandoverRequired { .. } => "handover-required",
            NoHandover { .. } => "no-handover",
            DateBeforeLastEvent { .. } => "date-before-last-event",
            UnknownDecisionKind { .. } => "unknown-decision-kind",
            UnknownReason { .. } => "unknown-reason",
            NoAuthority { .. } => "no-authority",
            Calendar(_) => "calendar",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_kebab_case() {
        let samples = [
            WorkflowError::CodeRequired,
            WorkflowError::NotPaused,
            WorkflowError::WrongStep {
                current: "a".into(),
                requested: "b".into(),
            },
            WorkflowError::NotDecisionStep {
                current: "a".into(),
            },
            WorkflowError::ReasonRequired { what: "x" },
            WorkflowError::DocumentsMissing { missing: vec![] },
        ];
        let codes: Vec<&str> = samples.iter().map(WorkflowError::code).collect();
        assert_eq!(
            codes,
            [
                "code-required",
                "not-paused",
                "wrong-step",
                "wrong-step",
                "reasons-required",
                "documents-missing"
            ]
        );
        for c in codes {
            assert!(c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'));
        }
    }
}
