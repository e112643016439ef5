//! Dossier workflows of ansinh (quy trình giải quyết hồ sơ). Pure: no I/O, no clock, no async.
//!
//! - [`Catalogue`] — the procedures as effective-dated data (`data/workflow/*.toml`, format in
//!   `docs/workflow.md`): application types with their document checklists, workflow
//!   definitions chosen by **receipt date** (NĐ 136/2013 + 140/2018, the NĐ 20/2021 three-tier
//!   chain, the commune-level flow of NĐ 147/2025, funeral support, facility admission, the
//!   social pension), handover rules for dossiers open when the district tier ended, decision
//!   kinds with the reason codes of TT 02/2021 Art. 2, issuing authorities by date;
//! - [`Engine`] — intake ([`Engine::receive`]) and actions ([`Engine::apply`]): complete a step,
//!   decide, skip an optional step, complaints, pause/resume, escalation, handover. Each action
//!   takes the actor and the date, checks the step order, the role and maker-checker, and
//!   returns a new [`Dossier`] with an [`Event`], or a [`WorkflowError`] with a stable code;
//! - clocks on [`Dossier`] (due date of the current step in working days, overdue flag,
//!   statutory due date, decided on time, step durations) over an
//!   [`ansinh_calendar::Calendar`];
//! - [`timeliness`] — share decided on time and median working days per step, per unit;
//! - decisions outside the intake flow ([`DecisionRequest`], [`Catalogue::check_decision`]) and
//!   their numbers ([`DecisionNumber`], `125/QĐ-UBND`).
//!
//! ```
//! use ansinh_domain::access::Role;
//! use ansinh_workflow::{Action, Actor, Channel, Decision, Engine, Intake};
//! use chrono::NaiveDate;
//!
//! let engine = Engine::new(ansinh_workflow::builtin()?, ansinh_calendar::builtin()?);
//! let officer = Actor::new(Role::CommuneOfficer, 1);
//! let chairman = Actor::new(Role::CommuneChairman, 2);
//! let day = |m, d| NaiveDate::from_ymd_opt(2025, m, d).unwrap();
//! let intake = Intake {
//!     code: ansinh_workflow::dossier_code("29278", day(8, 4), 1),
//!     application_type: "sp01".into(),
//!     unit: "29278".into(),
//!     channel: Channel::InPerson,
//!     documents: vec!["form-sp01".into(), "id-card".into()],
//!     conditions: vec![],
//! };
//! let r = engine.receive(&intake, &officer, day(8, 4))?;
//! assert_eq!(r.receipt.expected_by, day(8, 18)); // 10 working days
//! let done = Action::Complete { step: "commune_review".into(), outcome: "done".into(), reasons: vec![] };
//! let d = engine.apply(&r.dossier, &done, &officer, day(8, 8))?.dossier;
//! // The officer who prepared cannot decide; the chairman can.
//! let grant = Action::Decide(Decision::Grant);
//! assert_eq!(engine.apply(&d, &grant, &officer, day(8, 11)).unwrap_err().code(), "role-not-allowed");
//! let d = engine.apply(&d, &grant, &chairman, day(8, 11))?.dossier;
//! assert_eq!(d.decided_on_time(engine.calendar())?, Some(true));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod catalogue;
mod decision;
mod dossier;
mod engine;
mod error;
mod load;
mod timeliness;

pub use catalogue::*;
pub use decision::{CheckedDecision, DecisionNumber, DecisionRequest, NumberingKey};
pub use dossier::{
    Actor, Channel, Clock, Closure, Complaint, ComplaintResolution, Dossier, Escalation,
    HandoverRecord, Pause, PauseRecord, Segment, StepDuration, StepRecord, StepStatus,
};
pub use engine::{
    Action, Applied, Decision, Engine, Event, EventKind, Intake, Receipt, ReceiptDocument,
    Received, Task, TaskKind, dossier_code,
};
pub use error::{MissingDocument, WorkflowError};
pub use load::{BUILTIN_SOURCES, DataError, DataIssue, FORMAT_VERSION};
pub use timeliness::{StepStats, Timeliness, timeliness};

use std::sync::OnceLock;

/// The catalogue of the built-in data files, built once per process and shared.
pub fn builtin() -> Result<&'static Catalogue, DataError> {
    static BUILTIN: OnceLock<Result<Catalogue, DataError>> = OnceLock::new();
    BUILTIN
        .get_or_init(Catalogue::builtin)
        .as_ref()
        .map_err(Clone::clone)
}

#[cfg(test)]
mod tests {
    #[test]
    fn builtin_catalogue_loads() {
        let c = match super::builtin() {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(c.application_types().len(), 11);
        assert_eq!(
            c.families(),
            ["regular", "funeral", "facility", "social_pension"]
        );
    }
}
