//! The definition is chosen by receipt date: 136/2013 + 140/2018, 20/2021, the commune era;
//! funeral, facility admission and the social pension.

use crate::*;
use ansinh_workflow::{End, StepKind};

#[test]
fn a_2019_receipt_follows_the_136_2013_variant_with_the_review_council() {
    // Giỗ Tổ 2019: Sat 13 – Mon 15/4; 30/4 2019: Sat 27/4 – Wed 1/5 (Mon 29/4 swapped for Sat
    // 4/5).
    let r = receive("1d", d(2019, 4, 8));
    assert_eq!(r.receipt.definition, "regular-nd136-2018");
    // 10 + 5 + 3 + 7 + 3.
    assert_eq!(r.receipt.statutory_working_days, 28);
    let x = r.dossier;
    assert_eq!(at(&x), "council_review");
    // Council: 10 wd from Mon 8/4: 9, 10, 11, 12, (13–15), 16, 17, 18, 19, 22, 23.
    assert_eq!(due(&x, d(2019, 4, 8)), d(2019, 4, 23));
    let x = ok(
        &x,
        &complete("council_review", "pass"),
        &OFFICER,
        d(2019, 4, 23),
    );
    // Posting 5 wd from Tue 23/4: 24, 25, 26, (27/4–1/5), Thu 2/5, Fri 3/5.
    assert_eq!(due(&x, d(2019, 4, 23)), d(2019, 5, 3));
    let e = err(
        &x,
        &complete("public_posting", "done"),
        &OFFICER,
        d(2019, 5, 2),
    );
    assert_eq!(
        e,
        ansinh_workflow::WorkflowError::PostingNotFinished {
            until: d(2019, 5, 3)
        }
    );
    // A complaint under 136/2013 goes to the review council (recorded by the officer).
    let x = ok(
        &x,
        &Action::OpenComplaint { note: "x".into() },
        &OFFICER,
        d(2019, 4, 25),
    );
    let x = ok(
        &x,
        &Action::ResolveComplaint {
            complaint: 0,
            outcome: "dismissed".into(),
            reasons: vec![],
        },
        &OFFICER2,
        d(2019, 5, 3),
    );
    // Saturday 4/5/2019 was a make-up working day.
    let x = ok(
        &x,
        &complete("public_posting", "done"),
        &OFFICER,
        d(2019, 5, 4),
    );
    let x = ok(
        &x,
        &complete("commune_proposal", "propose"),
        &CHAIRMAN,
        d(2019, 5, 7),
    );
    let x = ok(
        &x,
        &complete("district_appraisal", "approve"),
        &DISTRICT,
        d(2019, 5, 14),
    );
    let x = ok(&x, &grant(), &DISTRICT2, d(2019, 5, 16));
    assert_eq!(x.outcome(), Some(End::Granted));
    assert_eq!(x.definition(), "regular-nd136-2018");
    // 28 + 10 (complaint) wd after 8/4/2019.
    assert_eq!(
        x.statutory_due(cal(), d(2019, 5, 16)).unwrap(),
        d(2019, 6, 4)
    );
    assert_eq!(x.decided_on_time(cal()).unwrap(), Some(true));
    // The 136/2013 checklist is a placeholder, labelled UNVERIFIED.
    let list = engine().checklist("1d", d(2019, 4, 8), &[]).unwrap();
    assert!(list.iter().any(|r| r.code == "form-tt29-2014"));
    assert!(
        list.iter()
            .all(|r| r.confidence == ansinh_workflow::Confidence::Unverified)
    );
}

#[test]
fn no_definition_before_october_2018() {
    let e = engine()
        .receive(
            &full_intake("1d", d(2018, 10, 8), "X"),
            &OFFICER,
            d(2018, 10, 5),
        )
        .unwrap_err();
    assert_eq!(e.code(), "no-definition");
    assert_eq!(
        receive("1d", d(2018, 10, 8)).receipt.definition,
        "regular-nd136-2018"
    );
    // A dossier received under 136/2013 in June 2021 keeps its definition after 1 July 2021.
    let x = receive("1a", d(2021, 6, 28)).dossier;
    let x = ok(
        &x,
        &complete("council_review", "pass"),
        &OFFICER,
        d(2021, 7, 2),
    );
    assert_eq!(x.definition(), "regular-nd136-2018");
    assert_eq!(
        receive("1a", d(2021, 7, 1)).receipt.definition,
        "regular-nd20-2021"
    );
}

#[test]
fn the_social_pension_exists_from_1_july_2025() {
    let e = engine()
        .receive(
            &full_intake("sp01", d(2025, 7, 1), "X"),
            &OFFICER,
            d(2025, 6, 30),
        )
        .unwrap_err();
    assert_eq!(e.code(), "type-not-available");
    let r = receive("sp01", d(2025, 7, 1));
    assert_eq!(r.receipt.definition, "social-pension-nd176-2025");
    // 10 working days, Tue 1/7 → Tue 15/7.
    assert_eq!(r.receipt.expected_by, d(2025, 7, 15));
    let x = ok(
        &r.dossier,
        &complete("commune_review", "done"),
        &OFFICER,
        d(2025, 7, 9),
    );
    let x = ok(
        &x,
        &Action::Decide(ansinh_workflow::Decision::Reject {
            reasons: vec!["Đang hưởng lương hưu cao hơn mức trợ cấp".into()],
        }),
        &CHAIRMAN,
        d(2025, 7, 16),
    );
    assert_eq!(x.outcome(), Some(End::Rejected));
    assert_eq!(x.decided_on_time(cal()).unwrap(), Some(false));
}

#[test]
fn facility_admission_to_a_provincial_facility() {
    // Art. 28: commune review 10 wd + posting 7 wd, Phòng 7 wd, district chairman 3 wd, Sở 7 wd,
    // facility head.
    let r = receive("07", d(2024, 10, 1));
    assert_eq!(r.receipt.definition, "facility-nd20-2021");
    assert_eq!(r.receipt.statutory_working_days, 34);
    let x = ok(
        &r.dossier,
        &complete("commune_review", "pass"),
        &CHAIRMAN,
        d(2024, 10, 11),
    );
    let x = ok(
        &x,
        &complete("public_posting", "done"),
        &OFFICER,
        d(2024, 10, 22),
    );
    // The commune proposal has no written deadline.
    assert_eq!(x.step_due(cal(), d(2024, 10, 22)).unwrap(), None);
    let x = ok(
        &x,
        &complete("commune_proposal", "propose"),
        &CHAIRMAN,
        d(2024, 10, 23),
    );
    let x = ok(
        &x,
        &complete("district_appraisal", "approve"),
        &DISTRICT,
        d(2024, 10, 30),
    );
    let x = ok(
        &x,
        &complete("district_decision", "propose_to_department"),
        &DISTRICT2,
        d(2024, 11, 1),
    );
    assert_eq!(at(&x), "department_appraisal");
    assert_eq!(x.current().unwrap().kind, StepKind::Appraisal);
    let x = ok(
        &x,
        &complete("department_appraisal", "forward"),
        &PROVINCE,
        d(2024, 11, 8),
    );
    assert_eq!(
        err(&x, &grant(), &PROVINCE, d(2024, 11, 12)).code(),
        "role-not-allowed"
    );
    let x = ok(&x, &grant(), &FACILITY, d(2024, 11, 12));
    let c = x.closure().unwrap();
    assert_eq!((c.end, c.outcome.as_str()), (End::Granted, "admit"));
    assert_eq!(c.authority.as_deref(), Some("facility_head"));
    // A district-run facility: the district chairman admits directly.
    let y = ok(
        &r.dossier,
        &complete("commune_review", "pass"),
        &CHAIRMAN,
        d(2024, 10, 11),
    );
    let y = ok(
        &y,
        &complete("public_posting", "done"),
        &OFFICER,
        d(2024, 10, 22),
    );
    let y = ok(
        &y,
        &complete("commune_proposal", "propose"),
        &CHAIRMAN,
        d(2024, 10, 23),
    );
    let y = ok(
        &y,
        &complete("district_appraisal", "approve"),
        &DISTRICT,
        d(2024, 10, 30),
    );
    let y = ok(
        &y,
        &complete("district_decision", "admit"),
        &DISTRICT2,
        d(2024, 11, 1),
    );
    assert_eq!(
        y.closure().unwrap().authority.as_deref(),
        Some("district_chairman")
    );
}
