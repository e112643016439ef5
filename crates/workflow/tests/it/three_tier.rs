//! The NĐ 20/2021 three-tier chain (7 + 2 + 3 + 7 + 3 working days) end to end, with due dates
//! worked out by hand from the announced holiday schedules (SPEC B 15.6).

use crate::*;
use ansinh_workflow::{End, EventKind, StepStatus};

#[test]
fn full_path_across_tet_2024() {
    // Tết 2024: off Thu 8/2 – Wed 14/2 (7 days).
    let r = receive("1d", d(2024, 2, 1));
    assert_eq!(r.receipt.definition, "regular-nd20-2021");
    assert_eq!(r.receipt.statutory_working_days, 22);
    // 22 working days after Thu 1/2: 2, 5, 6, 7, 15, 16, 19 … 8/3, 11/3.
    assert_eq!(r.receipt.expected_by, d(2024, 3, 11));
    let x = r.dossier;
    assert_eq!(at(&x), "commune_review");
    // Review: 7 wd from Thu 1/2: Fri 2, Mon 5, Tue 6, Wed 7, (Tết), Thu 15, Fri 16, Mon 19.
    assert_eq!(due(&x, d(2024, 2, 1)), d(2024, 2, 19));
    assert!(!x.is_overdue(cal(), d(2024, 2, 19)).unwrap());
    assert!(x.is_overdue(cal(), d(2024, 2, 20)).unwrap());

    let x = ok(
        &x,
        &complete("commune_review", "pass"),
        &OFFICER,
        d(2024, 2, 19),
    );
    assert_eq!(at(&x), "public_posting");
    // Posting: 2 wd, Tue 20 and Wed 21; it cannot end earlier.
    assert_eq!(due(&x, d(2024, 2, 19)), d(2024, 2, 21));
    let e = err(
        &x,
        &complete("public_posting", "done"),
        &OFFICER,
        d(2024, 2, 20),
    );
    assert_eq!(e.code(), "posting-not-finished");
    let x = ok(
        &x,
        &complete("public_posting", "done"),
        &OFFICER,
        d(2024, 2, 21),
    );

    // Proposal: 3 wd from Wed 21: Thu 22, Fri 23, Mon 26.
    assert_eq!(at(&x), "commune_proposal");
    assert_eq!(due(&x, d(2024, 2, 21)), d(2024, 2, 26));
    let x = ok(
        &x,
        &complete("commune_proposal", "propose"),
        &CHAIRMAN,
        d(2024, 2, 23),
    );

    // Appraisal: 7 wd from Fri 23/2: 26, 27, 28, 29, 1/3, 4/3, 5/3.
    assert_eq!(due(&x, d(2024, 2, 23)), d(2024, 3, 5));
    let x = ok(
        &x,
        &complete("district_appraisal", "approve"),
        &DISTRICT,
        d(2024, 3, 4),
    );

    // Decision: 3 wd from Mon 4/3: 5, 6, 7.
    assert_eq!(at(&x), "district_decision");
    assert_eq!(due(&x, d(2024, 3, 4)), d(2024, 3, 7));
    let a = engine()
        .apply(&x, &grant(), &DISTRICT2, d(2024, 3, 7))
        .unwrap();
    let x = a.dossier;
    assert!(matches!(
        a.event.kind,
        EventKind::Decided {
            end: End::Granted,
            ..
        }
    ));
    let c = x.closure().unwrap();
    assert_eq!(c.end, End::Granted);
    assert_eq!(c.authority.as_deref(), Some("district_chairman"));
    assert_eq!(c.date, d(2024, 3, 7));

    // Timeliness: statutory due 11/3, decided 7/3.
    assert_eq!(
        x.statutory_due(cal(), d(2024, 3, 7)).unwrap(),
        d(2024, 3, 11)
    );
    assert_eq!(x.decided_on_time(cal()).unwrap(), Some(true));
    // Receipt to decision: working days in (1/2, 7/3] = 20.
    assert_eq!(x.working_days_total(cal(), d(2030, 1, 1)).unwrap(), 20);
    let durations: Vec<(String, i64)> = x
        .step_durations(cal())
        .unwrap()
        .into_iter()
        .map(|s| (s.step, s.working_days))
        .collect();
    assert_eq!(
        durations,
        [
            ("commune_review".to_owned(), 7),
            ("public_posting".to_owned(), 2),
            ("commune_proposal".to_owned(), 2),
            ("district_appraisal".to_owned(), 6),
            ("district_decision".to_owned(), 3),
        ]
    );
    assert!(x.steps().iter().all(|s| s.status == StepStatus::Completed));
    assert!(x.current().is_none());
}

#[test]
fn full_path_across_30_april_2025_with_a_make_up_saturday() {
    // 2025: off Wed 30/4 – Sun 4/5 (Fri 2/5 swapped for Saturday 26/4, a working day).
    let x = receive("1a", d(2025, 4, 24)).dossier;
    // Review: Fri 25, Sat 26 (make-up), Mon 28, Tue 29, (30/4–4/5), Mon 5, Tue 6, Wed 7.
    assert_eq!(due(&x, d(2025, 4, 24)), d(2025, 5, 7));
    let x = ok(
        &x,
        &complete("commune_review", "pass"),
        &OFFICER,
        d(2025, 4, 29),
    );
    // Posting from Tue 29/4: 2 wd = Mon 5/5, Tue 6/5.
    assert_eq!(due(&x, d(2025, 4, 29)), d(2025, 5, 6));
    let e = err(
        &x,
        &complete("public_posting", "done"),
        &OFFICER,
        d(2025, 5, 5),
    );
    assert_eq!(e.code(), "posting-not-finished");
    let x = ok(
        &x,
        &complete("public_posting", "done"),
        &OFFICER,
        d(2025, 5, 6),
    );
    let x = ok(
        &x,
        &complete("commune_proposal", "propose"),
        &CHAIRMAN,
        d(2025, 5, 8),
    );
    // Appraisal from Thu 8/5: 9, 12, 13, 14, 15, 16, 19.
    assert_eq!(due(&x, d(2025, 5, 8)), d(2025, 5, 19));
    let x = ok(
        &x,
        &complete("district_appraisal", "approve"),
        &DISTRICT,
        d(2025, 5, 19),
    );
    // Decided late: Fri 23/5 after a due date of Thu 22/5.
    assert_eq!(due(&x, d(2025, 5, 19)), d(2025, 5, 22));
    assert!(x.is_overdue(cal(), d(2025, 5, 23)).unwrap());
    let x = ok(&x, &grant(), &DISTRICT2, d(2025, 5, 23));
    // Statutory: 22 wd after Thu 24/4: 25, 26(Sat), 28, 29, 5/5 … 23/5 is the 19th; on time.
    assert_eq!(
        x.statutory_due(cal(), d(2025, 5, 23)).unwrap(),
        d(2025, 5, 28)
    );
    assert_eq!(x.decided_on_time(cal()).unwrap(), Some(true));
}

#[test]
fn appraisal_across_2_september_2024() {
    // 2024: off Sat 31/8 – Tue 3/9.
    let x = receive("1dd", d(2024, 8, 13)).dossier;
    let x = ok(
        &x,
        &complete("commune_review", "pass"),
        &OFFICER,
        d(2024, 8, 22),
    );
    let x = ok(
        &x,
        &complete("public_posting", "done"),
        &OFFICER,
        d(2024, 8, 26),
    );
    let x = ok(
        &x,
        &complete("commune_proposal", "propose"),
        &CHAIRMAN,
        d(2024, 8, 29),
    );
    // Appraisal from Thu 29/8: Fri 30, (31/8–3/9), Wed 4, Thu 5, Fri 6, Mon 9, Tue 10, Wed 11.
    assert_eq!(due(&x, d(2024, 8, 29)), d(2024, 9, 11));
    assert!(cal().is_working_day(due(&x, d(2024, 8, 29))).unwrap());
    // The appraisal refuses: the dossier ends with a written refusal, no decision.
    let e = err(
        &x,
        &complete("district_appraisal", "refuse"),
        &DISTRICT,
        d(2024, 9, 12),
    );
    assert_eq!(e.code(), "reasons-required");
    let x = ok(
        &x,
        &refuse(
            "district_appraisal",
            "refuse",
            "Hộ không thuộc diện hộ nghèo",
        ),
        &DISTRICT,
        d(2024, 9, 12),
    );
    let c = x.closure().unwrap();
    assert_eq!(c.end, End::Refused);
    assert_eq!(c.reasons, ["Hộ không thuộc diện hộ nghèo"]);
    assert_eq!(c.authority, None);
    // Late by one working day: statutory 7 + 2 + 3 + 7 = 19 wd after 13/8 is 11/9.
    assert_eq!(
        x.statutory_due(cal(), d(2024, 9, 12)).unwrap(),
        d(2024, 9, 11)
    );
    assert_eq!(x.decided_on_time(cal()).unwrap(), Some(false));
}
