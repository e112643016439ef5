//! Properties: due dates land on working days after the start, exactly `deadline + paused`
//! working days later; no sequence of actions lets a dossier skip a mandatory step.

use crate::*;
use ansinh_workflow::{Decision, StepKind, StepStatus, Transition, WorkflowError};
use chrono::Days;
use proptest::prelude::*;

fn day(offset: u64) -> NaiveDate {
    d(2018, 10, 8).checked_add_days(Days::new(offset)).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn due_dates_are_working_days_after_the_start(
        received in 0u64..26_000,
        kind in prop::sample::select(vec!["1a", "1dd", "2a"]),
        pause in prop::option::of((0u64..20, 0u64..30)),
    ) {
        let r = day(received);
        let x = engine().receive(&full_intake(kind, r, "P"), &OFFICER, r).unwrap().dossier;
        let mut now = r;
        let mut x = x;
        if let Some((start, len)) = pause {
            let from = r.checked_add_days(Days::new(start)).unwrap();
            let to = from.checked_add_days(Days::new(len)).unwrap();
            let paused = engine().apply(&x, &Action::Pause { reason: "thiếu giấy".into() }, &OFFICER, from);
            let Ok(paused) = paused else {
                // Only a pending handover (a 2025 cut-over) may refuse a pause here.
                let refused_for_handover = matches!(paused, Err(WorkflowError::HandoverRequired { .. }));
                prop_assert!(refused_for_handover, "{:?}", paused);
                return Ok(());
            };
            let resumed = engine().apply(&paused.dossier, &Action::Resume, &OFFICER, to);
            let Ok(resumed) = resumed else {
                // Paused before the 2025 cut-over and resumed after it: handed over first.
                let refused_for_handover = matches!(resumed, Err(WorkflowError::HandoverRequired { .. }));
                prop_assert!(refused_for_handover, "{:?}", resumed);
                return Ok(());
            };
            x = resumed.dossier;
            let wd = cal().working_days_between(from, to).unwrap();
            prop_assert_eq!(i64::from(x.current().unwrap().paused_days), wd);
            now = to;
        }
        let rec = x.current().unwrap();
        let due = x.step_due(cal(), now).unwrap().unwrap();
        prop_assert!(due > rec.started);
        prop_assert!(cal().is_working_day(due).unwrap());
        prop_assert_eq!(
            cal().working_days_between(rec.started, due).unwrap(),
            i64::from(rec.deadline.unwrap() + rec.paused_days)
        );
        // The statutory due date is never before the step's.
        prop_assert!(x.statutory_due(cal(), now).unwrap() >= due);
    }

    #[test]
    fn no_action_sequence_skips_a_mandatory_step(
        kind in prop::sample::select(vec!["1a", "1d", "04", "07", "sp01"]),
        received in 0u64..3_000,
        actions in prop::collection::vec((0u8..12, 0usize..9, any::<u8>(), any::<bool>(), 0u64..6), 0..40),
    ) {
        let r = day(received);
        let intake = full_intake(kind, r, "P");
        let mut x = match engine().receive(&intake, &OFFICER, r) {
            Ok(rec) => rec.dossier,
            // Types and families that do not exist yet on that date.
            Err(e) => {
                prop_assert!(matches!(e.code(), "no-definition" | "type-not-available"), "{e}");
                return Ok(());
            }
        };
        let pool = [OFFICER, OFFICER2, CHAIRMAN, DISTRICT, DISTRICT2, PROVINCE, FACILITY, INSPECTOR, actor(ansinh_domain::access::Role::Admin, 9)];
        let mut date = r;
        for (what, who, pick, with_reason, gap) in actions {
            date = date.checked_add_days(Days::new(gap)).unwrap();
            let action = choose(&x, what, pick, with_reason);
            let before = x.clone();
            // Mostly someone whose role fits the current step, so that dossiers get far.
            let who = match x.current().and_then(|r| catalogue().definition(x.definition())?.step(&r.code)) {
                Some(step) if who < 6 => {
                    let fit: Vec<&Actor> = pool.iter().filter(|a| step.roles.contains(&a.role)).collect();
                    if fit.is_empty() { pool[who] } else { *fit[who % fit.len()] }
                }
                _ => pool[who],
            };
            match engine().apply(&x, &action, &who, date) {
                Ok(a) => {
                    prop_assert!(a.event.date >= before.last_event());
                    x = a.dossier;
                    check_path(&x)?;
                }
                Err(_) => prop_assert_eq!(&x, &before),
            }
            if x.is_closed() {
                break;
            }
        }
        check_path(&x)?;
    }
}

/// An action chosen from the numbers, mostly plausible for the current state.
fn choose(x: &Dossier, what: u8, pick: u8, with_reason: bool) -> Action {
    let reasons = if with_reason {
        vec!["lý do".to_owned()]
    } else {
        Vec::new()
    };
    let Some(rec) = x.current() else {
        return grant();
    };
    let def = catalogue().definition(x.definition()).unwrap();
    let step = def.step(&rec.code).unwrap();
    let any_step = &def.steps[usize::from(pick) % def.steps.len()].code;
    let code = if pick < 200 {
        step.code.clone()
    } else {
        any_step.clone()
    };
    match what {
        0..=3 => Action::Complete {
            step: code,
            outcome: if pick == 255 {
                "bogus".into()
            } else {
                step.outcomes[usize::from(pick) % step.outcomes.len()]
                    .code
                    .clone()
            },
            reasons,
        },
        4 => Action::Decide(Decision::Grant),
        5 => Action::Decide(Decision::Reject { reasons }),
        6 => Action::Skip {
            step: code,
            reason: if with_reason {
                "không áp dụng".into()
            } else {
                String::new()
            },
        },
        7 if rec.pause.is_some() => Action::Resume,
        7 => Action::Pause {
            reason: "thiếu giấy".into(),
        },
        8 => Action::OpenComplaint {
            note: "khiếu nại".into(),
        },
        9 => Action::ResolveComplaint {
            complaint: usize::from(pick % 2),
            outcome: if pick.is_multiple_of(3) {
                "upheld".into()
            } else {
                "dismissed".into()
            },
            reasons,
        },
        10 => Action::HandOver,
        _ => Action::Escalate {
            note: String::new(),
        },
    }
}

/// Every step record follows from the previous one by the data: an outcome's `next`, the step
/// after a skipped optional step, or a handover's map; a closed dossier ended through an
/// outcome (or a complaint) that ends; a granted dossier went through a decision step; a
/// three-tier dossier granted without a handover went through all five steps.
fn check_path(x: &Dossier) -> Result<(), TestCaseError> {
    let steps = x.steps();
    prop_assert!(!steps.is_empty());
    let first_def = catalogue().definition(&steps[0].definition).unwrap();
    prop_assert_eq!(&steps[0].code, &first_def.steps[0].code);
    prop_assert!(steps[0].segment.is_some());
    for (i, rec) in steps.iter().enumerate() {
        let def = catalogue().definition(&rec.definition).unwrap();
        let step = def.step(&rec.code).unwrap();
        let next = steps.get(i + 1);
        match rec.status {
            StepStatus::Open => prop_assert!(next.is_none() && !x.is_closed()),
            StepStatus::Completed => {
                let outcome = rec.outcome.as_deref().unwrap();
                match (step.outcome(outcome).map(|o| &o.transition), next) {
                    (Some(Transition::Next(code)), Some(n)) => {
                        prop_assert_eq!(code, &n.code);
                        prop_assert_eq!(&n.definition, &rec.definition);
                        prop_assert!(n.segment.is_none());
                    }
                    (Some(Transition::End(end)), None) => {
                        prop_assert_eq!(x.outcome(), Some(*end));
                    }
                    (None, None) => {
                        prop_assert!(outcome.starts_with("complaint:"));
                        prop_assert_eq!(x.outcome(), Some(ansinh_workflow::End::Refused));
                    }
                    other => prop_assert!(false, "bad transition {:?}", other),
                }
            }
            StepStatus::Skipped => {
                prop_assert!(step.optional, "skipped mandatory step {}", step.code);
                let n = next.unwrap();
                let at = def.step_index(&rec.code).unwrap();
                prop_assert_eq!(&def.steps[at + 1].code, &n.code);
            }
            StepStatus::HandedOver => {
                let n = next.unwrap();
                let h = catalogue()
                    .handovers()
                    .iter()
                    .find(|h| h.from == rec.definition)
                    .unwrap();
                prop_assert_eq!(&n.definition, &h.to);
                prop_assert_eq!(&h.map[&rec.code], &n.code);
                prop_assert!(n.segment.is_some());
            }
        }
    }
    if x.outcome() == Some(ansinh_workflow::End::Granted) {
        prop_assert_eq!(steps.last().unwrap().kind, StepKind::Decision);
        if steps[0].definition == "regular-nd20-2021" && x.handovers().is_empty() {
            let codes: Vec<&str> = steps.iter().map(|s| s.code.as_str()).collect();
            prop_assert_eq!(
                codes,
                [
                    "commune_review",
                    "public_posting",
                    "commune_proposal",
                    "district_appraisal",
                    "district_decision"
                ]
            );
        }
    }
    Ok(())
}
