//! Integration tests of ansinh-workflow (one test binary; one module per area).

// Test helpers outside `#[test]` functions may fail loudly too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod clocks;
mod data_errors;
mod decisions;
mod eras;
mod handover;
mod intake;
mod order;
mod props;
mod three_tier;
mod timeliness;

use ansinh_calendar::Calendar;
use ansinh_domain::access::Role;
use ansinh_workflow::{
    Action, Actor, Catalogue, Channel, Decision, Dossier, Engine, Intake, Received, WorkflowError,
};
use chrono::NaiveDate;

pub fn d(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

pub fn cal() -> &'static Calendar {
    ansinh_calendar::builtin().unwrap()
}

pub fn catalogue() -> &'static Catalogue {
    ansinh_workflow::builtin().unwrap()
}

pub fn engine() -> Engine<'static> {
    Engine::new(catalogue(), cal())
}

pub const OFFICER: Actor = actor(Role::CommuneOfficer, 1);
pub const OFFICER2: Actor = actor(Role::CommuneOfficer, 2);
pub const CHAIRMAN: Actor = actor(Role::CommuneChairman, 3);
pub const DISTRICT: Actor = actor(Role::DistrictOfficer, 4);
pub const DISTRICT2: Actor = actor(Role::DistrictOfficer, 5);
pub const PROVINCE: Actor = actor(Role::ProvinceOfficer, 6);
pub const FACILITY: Actor = actor(Role::FacilityStaff, 7);
pub const INSPECTOR: Actor = actor(Role::Inspector, 8);

pub const fn actor(role: Role, user: i64) -> Actor {
    Actor {
        role,
        user: ansinh_domain::ids::UserId(user),
    }
}

/// Every document of the checklist of `kind` at `date` (no conditions), ticked.
pub fn full_intake(kind: &str, date: NaiveDate, code: &str) -> Intake {
    let docs = engine()
        .checklist(kind, date, &[])
        .unwrap()
        .into_iter()
        .map(|r| r.code.clone())
        .collect();
    Intake {
        code: code.to_owned(),
        application_type: kind.to_owned(),
        unit: "29278".to_owned(),
        channel: Channel::InPerson,
        documents: docs,
        conditions: Vec::new(),
    }
}

pub fn receive(kind: &str, date: NaiveDate) -> Received {
    engine()
        .receive(&full_intake(kind, date, "T-1"), &OFFICER, date)
        .unwrap()
}

pub fn complete(step: &str, outcome: &str) -> Action {
    Action::Complete {
        step: step.to_owned(),
        outcome: outcome.to_owned(),
        reasons: Vec::new(),
    }
}

pub fn refuse(step: &str, outcome: &str, reason: &str) -> Action {
    Action::Complete {
        step: step.to_owned(),
        outcome: outcome.to_owned(),
        reasons: vec![reason.to_owned()],
    }
}

pub fn grant() -> Action {
    Action::Decide(Decision::Grant)
}

/// Applies an action that must succeed.
pub fn ok(dossier: &Dossier, action: &Action, actor: &Actor, date: NaiveDate) -> Dossier {
    match engine().apply(dossier, action, actor, date) {
        Ok(a) => a.dossier,
        Err(e) => panic!("{action:?} by {actor:?} on {date}: {e} ({})", e.code()),
    }
}

/// Applies an action that must fail, checks nothing changed, returns the error.
pub fn err(dossier: &Dossier, action: &Action, actor: &Actor, date: NaiveDate) -> WorkflowError {
    let before = dossier.clone();
    let e = engine()
        .apply(dossier, action, actor, date)
        .expect_err("the action should be refused");
    assert_eq!(dossier, &before);
    e
}

/// The current step code.
pub fn at(dossier: &Dossier) -> &str {
    &dossier.current().unwrap().code
}

/// Due date of the current step at `date`.
pub fn due(dossier: &Dossier, date: NaiveDate) -> NaiveDate {
    dossier.step_due(cal(), date).unwrap().unwrap()
}
