//! Clocks: pause and resume, complaints, overdue flags, escalation, "my tasks".

use crate::*;
use ansinh_workflow::{End, EventKind, TaskKind};

fn pause(reason: &str) -> Action {
    Action::Pause {
        reason: reason.into(),
    }
}

#[test]
fn pause_and_resume_extend_the_due_date() {
    // Received Mon 4/3/2024: review due 7 wd later, Wed 13/3.
    let x = receive("1dd", d(2024, 3, 4)).dossier;
    assert_eq!(due(&x, d(2024, 3, 4)), d(2024, 3, 13));
    assert_eq!(
        err(&x, &pause("  "), &OFFICER, d(2024, 3, 6)).code(),
        "reasons-required"
    );
    assert_eq!(
        err(&x, &Action::Resume, &OFFICER, d(2024, 3, 6)).code(),
        "not-paused"
    );
    assert_eq!(
        err(&x, &pause("thiếu giấy"), &INSPECTOR, d(2024, 3, 6)).code(),
        "role-not-allowed"
    );

    let x = ok(
        &x,
        &pause("Thiếu giấy xác nhận khuyết tật"),
        &OFFICER,
        d(2024, 3, 6),
    );
    assert!(x.is_paused());
    // While paused: no step can be completed, the clock is stopped (never overdue).
    let e = err(
        &x,
        &complete("commune_review", "pass"),
        &OFFICER,
        d(2024, 3, 7),
    );
    assert_eq!(e.code(), "paused");
    assert_eq!(
        err(&x, &pause("again"), &OFFICER, d(2024, 3, 7)).code(),
        "paused"
    );
    assert!(!x.is_overdue(cal(), d(2024, 4, 30)).unwrap());
    // Provisional due date on Fri 8/3: 2 paused working days (Thu 7, Fri 8) so far.
    assert_eq!(due(&x, d(2024, 3, 8)), d(2024, 3, 15));

    // Resumed Mon 11/3: paused Thu 7, Fri 8, Mon 11 = 3 working days; due 13/3 + 3 = Mon 18/3.
    let a = engine()
        .apply(&x, &Action::Resume, &OFFICER, d(2024, 3, 11))
        .unwrap();
    assert_eq!(
        a.event.kind,
        EventKind::Resumed {
            paused_working_days: 3
        }
    );
    let x = a.dossier;
    assert!(!x.is_paused());
    assert_eq!(due(&x, d(2024, 3, 11)), d(2024, 3, 18));
    assert_eq!(x.pauses().len(), 1);
    assert_eq!(x.pauses()[0].reason, "Thiếu giấy xác nhận khuyết tật");
    assert!(!x.is_overdue(cal(), d(2024, 3, 18)).unwrap());
    assert!(x.is_overdue(cal(), d(2024, 3, 19)).unwrap());

    // A second pause adds up; the statutory due date of the dossier moves by the same days.
    let x = ok(&x, &pause("Chờ xác minh"), &OFFICER, d(2024, 3, 12));
    let x = ok(&x, &Action::Resume, &OFFICER, d(2024, 3, 14));
    assert_eq!(x.current().unwrap().paused_days, 5);
    assert_eq!(due(&x, d(2024, 3, 14)), d(2024, 3, 20));
    // 22 + 5 working days after 4/3 (no holiday until Giỗ Tổ, Thu 18/4).
    assert_eq!(
        x.statutory_due(cal(), d(2024, 3, 14)).unwrap(),
        d(2024, 4, 10)
    );
    let x = ok(
        &x,
        &complete("commune_review", "pass"),
        &OFFICER,
        d(2024, 3, 20),
    );
    assert_eq!(x.step_durations(cal()).unwrap()[0].working_days, 12 - 5);
}

#[test]
fn complaints_have_their_own_clock_and_block_the_step() {
    let x = receive("1b", d(2024, 3, 4)).dossier;
    let x = ok(
        &x,
        &complete("commune_review", "pass"),
        &OFFICER,
        d(2024, 3, 6),
    );
    // No complaint before the posting.
    let y = receive("1b", d(2024, 3, 4)).dossier;
    let e = err(
        &y,
        &Action::OpenComplaint { note: "x".into() },
        &OFFICER,
        d(2024, 3, 5),
    );
    assert_eq!(e.code(), "complaint-not-allowed");

    // Posting Wed 6/3 → due Fri 8/3. A complaint arrives Thu 7/3: due 10 wd later, Thu 21/3.
    assert_eq!(due(&x, d(2024, 3, 6)), d(2024, 3, 8));
    let a = engine()
        .apply(
            &x,
            &Action::OpenComplaint {
                note: "Hàng xóm cho rằng hộ không nghèo".into(),
            },
            &OFFICER,
            d(2024, 3, 7),
        )
        .unwrap();
    assert!(
        matches!(a.event.kind, EventKind::ComplaintOpened { complaint: 0, due, .. } if due == d(2024, 3, 21))
    );
    let x = a.dossier;
    assert_eq!(x.open_complaints(), 1);
    // The posting's due date becomes the complaint's.
    assert_eq!(due(&x, d(2024, 3, 8)), d(2024, 3, 21));
    let e = err(
        &x,
        &complete("public_posting", "done"),
        &OFFICER,
        d(2024, 3, 8),
    );
    assert_eq!(e.code(), "complaint-open");

    // The officer records filings; only the chairman resolves.
    let resolve = |outcome: &str, reasons: Vec<String>| Action::ResolveComplaint {
        complaint: 0,
        outcome: outcome.into(),
        reasons,
    };
    assert_eq!(
        err(&x, &resolve("dismissed", vec![]), &OFFICER, d(2024, 3, 15)).code(),
        "role-not-allowed"
    );
    assert_eq!(
        err(&x, &resolve("unfounded", vec![]), &CHAIRMAN, d(2024, 3, 15)).code(),
        "unknown-outcome"
    );
    let bad_index = Action::ResolveComplaint {
        complaint: 3,
        outcome: "dismissed".into(),
        reasons: vec![],
    };
    assert_eq!(
        err(&x, &bad_index, &CHAIRMAN, d(2024, 3, 15)).code(),
        "unknown-complaint"
    );

    // Dismissed: the dossier continues.
    let x2 = ok(&x, &resolve("dismissed", vec![]), &CHAIRMAN, d(2024, 3, 15));
    assert_eq!(x2.open_complaints(), 0);
    let x2 = ok(
        &x2,
        &complete("public_posting", "done"),
        &OFFICER,
        d(2024, 3, 15),
    );
    assert_eq!(at(&x2), "commune_proposal");
    // Statutory total with a complaint: 22 + 10 working days after 4/3 → Wed 17/4.
    assert_eq!(
        x2.statutory_due(cal(), d(2024, 3, 15)).unwrap(),
        d(2024, 4, 17)
    );

    // Upheld: the dossier ends with a refusal, reasons required.
    assert_eq!(
        err(&x, &resolve("upheld", vec![]), &CHAIRMAN, d(2024, 3, 15)).code(),
        "reasons-required"
    );
    let x3 = ok(
        &x,
        &resolve("upheld", vec!["Hộ có thu nhập ổn định".into()]),
        &CHAIRMAN,
        d(2024, 3, 15),
    );
    assert_eq!(x3.outcome(), Some(End::Refused));
    assert_eq!(x3.closure().unwrap().outcome, "complaint:upheld");
}

#[test]
fn overdue_steps_are_escalated() {
    // Funeral support, 20/2021: commune chairman within 2 wd of Mon 4/3/2024 → Wed 6/3.
    let x = receive("04", d(2024, 3, 4)).dossier;
    assert_eq!(x.definition(), "funeral-nd20-2021");
    assert_eq!(due(&x, d(2024, 3, 4)), d(2024, 3, 6));
    let esc = Action::Escalate {
        note: "Quá hạn".into(),
    };
    let e = err(&x, &esc, &CHAIRMAN, d(2024, 3, 6));
    assert_eq!(e.code(), "not-overdue");
    let clock = x.clock(cal(), d(2024, 3, 8)).unwrap().unwrap();
    assert!(clock.overdue);
    assert_eq!(clock.working_days_overdue, 2);
    // The addressee (the district officer) or the step's own role may escalate.
    assert_eq!(
        err(&x, &esc, &FACILITY, d(2024, 3, 8)).code(),
        "role-not-allowed"
    );
    let a = engine().apply(&x, &esc, &DISTRICT, d(2024, 3, 8)).unwrap();
    assert!(matches!(
        a.event.kind,
        EventKind::Escalated {
            level: 1,
            working_days_overdue: 2,
            to: ansinh_domain::access::Role::DistrictOfficer,
            ..
        }
    ));
    let x = ok(&a.dossier, &esc, &CHAIRMAN, d(2024, 3, 11));
    assert_eq!(x.escalations().len(), 2);
    assert_eq!(x.escalations()[1].level, 2);
    // The escalation changes no clock.
    assert_eq!(due(&x, d(2024, 3, 11)), d(2024, 3, 6));
    // The funeral's district decision has no deadline of its own: never overdue as a step.
    let x = ok(
        &x,
        &complete("commune_proposal", "propose"),
        &CHAIRMAN,
        d(2024, 3, 11),
    );
    let x = ok(
        &x,
        &complete("district_appraisal", "approve"),
        &DISTRICT,
        d(2024, 3, 12),
    );
    assert_eq!(x.step_due(cal(), d(2024, 3, 12)).unwrap(), None);
    assert!(!x.is_overdue(cal(), d(2025, 1, 1)).unwrap());
    let x = ok(&x, &grant(), &DISTRICT2, d(2024, 3, 13));
    // Total 5 wd from 4/3 → Mon 11/3; decided 13/3: late.
    assert_eq!(
        x.statutory_due(cal(), d(2024, 3, 13)).unwrap(),
        d(2024, 3, 11)
    );
    assert_eq!(x.decided_on_time(cal()).unwrap(), Some(false));
}

#[test]
fn my_tasks_are_sorted_by_due_date() {
    let a = receive("1a", d(2024, 3, 4)).dossier; // review due 13/3
    let b = {
        let mut i = full_intake("1c", d(2024, 2, 26), "T-2");
        i.unit = "29281".into();
        engine()
            .receive(&i, &OFFICER, d(2024, 2, 26))
            .unwrap()
            .dossier // review due 6/3
    };
    let c = ok(
        &a,
        &complete("commune_review", "pass"),
        &OFFICER2,
        d(2024, 3, 5),
    ); // posting due 7/3
    let e = ok(&b, &pause("Thiếu giấy khai sinh"), &OFFICER, d(2024, 2, 28));
    let all = [a.clone(), b.clone(), c.clone(), e.clone()];

    let tasks = engine().tasks_for(&all, &OFFICER, d(2024, 3, 7)).unwrap();
    let got: Vec<(&str, &str, Option<NaiveDate>, bool, bool)> = tasks
        .iter()
        .map(|t| (t.code.as_str(), t.step.as_str(), t.due, t.overdue, t.paused))
        .collect();
    assert_eq!(
        got,
        [
            ("T-2", "commune_review", Some(d(2024, 3, 6)), true, false),
            ("T-1", "public_posting", Some(d(2024, 3, 7)), false, false),
            ("T-1", "commune_review", Some(d(2024, 3, 13)), false, false),
            // Paused since 28/2: 6 working days so far, provisional due date 7 + 6 wd.
            ("T-2", "commune_review", Some(d(2024, 3, 14)), false, true),
        ]
    );
    assert!(tasks.iter().all(|t| t.kind == TaskKind::Step));
    // Nothing for the chairman yet; nothing for an inspector ever.
    assert!(
        engine()
            .tasks_for(&all, &CHAIRMAN, d(2024, 3, 7))
            .unwrap()
            .is_empty()
    );
    assert!(
        engine()
            .tasks_for(&all, &INSPECTOR, d(2024, 3, 7))
            .unwrap()
            .is_empty()
    );
    // A complaint appears on the chairman's list with its own due date.
    let f = ok(
        &c,
        &Action::OpenComplaint { note: "x".into() },
        &OFFICER,
        d(2024, 3, 6),
    );
    let tasks = engine().tasks_for([&f], &CHAIRMAN, d(2024, 3, 7)).unwrap();
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].kind, TaskKind::Complaint { index: 0 });
    assert_eq!(tasks[0].due, Some(d(2024, 3, 20)));
}
