//! The district tier ended on 1 July 2025: dossiers still open are handed to the commune.

use crate::*;
use ansinh_workflow::{End, EventKind, StepStatus, TaskKind};

/// Received Wed 25/6/2025 under the three-tier chain, at the district appraisal on 30/6.
fn at_the_district_on_30_june() -> Dossier {
    let x = receive("1d", d(2025, 6, 25)).dossier;
    assert_eq!(x.definition(), "regular-nd20-2021");
    let x = ok(
        &x,
        &complete("commune_review", "pass"),
        &OFFICER,
        d(2025, 6, 26),
    );
    let x = ok(
        &x,
        &complete("public_posting", "done"),
        &OFFICER,
        d(2025, 6, 30),
    );
    let x = ok(
        &x,
        &complete("commune_proposal", "propose"),
        &CHAIRMAN,
        d(2025, 6, 30),
    );
    assert_eq!(at(&x), "district_appraisal");
    x
}

#[test]
fn received_25_june_decided_by_the_commune_chairman() {
    let x = at_the_district_on_30_june();
    // No handover before 1 July.
    assert!(engine().pending_handover(&x, d(2025, 6, 30)).is_none());
    assert_eq!(
        err(&x, &Action::HandOver, &OFFICER, d(2025, 6, 30)).code(),
        "no-handover"
    );

    // From 1 July nothing else is accepted until the dossier is handed over.
    let e = err(
        &x,
        &complete("district_appraisal", "approve"),
        &DISTRICT,
        d(2025, 7, 1),
    );
    assert_eq!(e.code(), "handover-required");
    let h = engine().pending_handover(&x, d(2025, 7, 1)).unwrap();
    assert_eq!(h.to, "regular-commune-2025");
    let tasks = engine().tasks_for([&x], &OFFICER, d(2025, 7, 1)).unwrap();
    assert_eq!(tasks[0].kind, TaskKind::Handover);
    assert_eq!(
        err(&x, &Action::HandOver, &INSPECTOR, d(2025, 7, 1)).code(),
        "role-not-allowed"
    );

    let a = engine()
        .apply(&x, &Action::HandOver, &OFFICER, d(2025, 7, 1))
        .unwrap();
    assert_eq!(
        a.event.kind,
        EventKind::HandedOver {
            rule: "regular-district-to-commune-2025".into(),
            from_definition: "regular-nd20-2021".into(),
            from_step: "district_appraisal".into(),
            to_definition: "regular-commune-2025".into(),
            to_step: "commune_decision".into(),
        }
    );
    let x = a.dossier;
    assert_eq!(x.definition(), "regular-commune-2025");
    assert_eq!(at(&x), "commune_decision");
    assert_eq!(x.steps()[3].status, StepStatus::HandedOver);
    assert_eq!(x.handovers().len(), 1);
    // The commune decision's 3 working days run from the handover: Wed 2, Thu 3, Fri 4 July.
    assert_eq!(due(&x, d(2025, 7, 1)), d(2025, 7, 4));
    assert!(engine().pending_handover(&x, d(2025, 7, 1)).is_none());

    // The district can no longer decide; the commune officer never could.
    assert_eq!(
        err(&x, &grant(), &DISTRICT2, d(2025, 7, 2)).code(),
        "role-not-allowed"
    );
    assert_eq!(
        err(&x, &grant(), &OFFICER2, d(2025, 7, 2)).code(),
        "role-not-allowed"
    );
    let x = ok(&x, &grant(), &CHAIRMAN, d(2025, 7, 2));
    let c = x.closure().unwrap();
    assert_eq!(c.end, End::Granted);
    assert_eq!(c.definition, "regular-commune-2025");
    assert_eq!(c.step, "commune_decision");
    assert_eq!(c.authority.as_deref(), Some("commune_chairman"));
    assert_eq!(
        catalogue()
            .issuing_authority("grant", "regular", c.date)
            .unwrap()
            .0
            .code,
        "commune_chairman"
    );
    // Statutory: 7 + 2 + 3 wd after 25/6 → 11/7 (the interrupted appraisal not counted), then
    // the commune decision's 3 wd from the later of that and the handover → Wed 16/7.
    assert_eq!(
        x.statutory_due(cal(), d(2025, 7, 2)).unwrap(),
        d(2025, 7, 16)
    );
    assert_eq!(x.decided_on_time(cal()).unwrap(), Some(true));
}

#[test]
fn a_dossier_still_in_review_restarts_the_commune_flow() {
    let x = receive("1a", d(2025, 6, 27)).dossier;
    let x = ok(&x, &Action::HandOver, &CHAIRMAN, d(2025, 7, 2));
    assert_eq!(at(&x), "commune_review");
    // 5 wd from Wed 2/7: 3, 4, 7, 8, 9.
    assert_eq!(due(&x, d(2025, 7, 2)), d(2025, 7, 9));
    let x = ok(
        &x,
        &complete("commune_review", "pass"),
        &OFFICER,
        d(2025, 7, 4),
    );
    // The posting is optional in the commune era: skipping needs a reason.
    let skip = |reason: &str| Action::Skip {
        step: "public_posting".into(),
        reason: reason.into(),
    };
    assert_eq!(
        err(&x, &skip(" "), &OFFICER, d(2025, 7, 4)).code(),
        "reasons-required"
    );
    let x = ok(
        &x,
        &skip("NĐ 147/2025 không quy định niêm yết"),
        &OFFICER,
        d(2025, 7, 4),
    );
    assert_eq!(x.steps()[2].status, StepStatus::Skipped);
    let x = ok(&x, &grant(), &CHAIRMAN, d(2025, 7, 7));
    // The commune definition's total (10 wd) counts from the handover: 2/7 + 10 wd = 16/7.
    assert_eq!(
        x.statutory_due(cal(), d(2025, 7, 7)).unwrap(),
        d(2025, 7, 16)
    );
    assert_eq!(x.decided_on_time(cal()).unwrap(), Some(true));
}

#[test]
fn a_pause_is_carried_over() {
    let x = at_the_district_on_30_june();
    let x = ok(
        &x,
        &Action::Pause {
            reason: "Chờ bổ sung giấy xác nhận".into(),
        },
        &DISTRICT,
        d(2025, 6, 30),
    );
    let x = ok(&x, &Action::HandOver, &DISTRICT, d(2025, 7, 1));
    assert!(x.is_paused());
    assert_eq!(
        x.current().unwrap().pause.as_ref().unwrap().reason,
        "Chờ bổ sung giấy xác nhận"
    );
    assert_eq!(x.pauses().len(), 1); // the old step's pause, closed on the handover date
    assert_eq!(err(&x, &grant(), &CHAIRMAN, d(2025, 7, 2)).code(), "paused");
    let x = ok(&x, &Action::Resume, &CHAIRMAN, d(2025, 7, 3));
    // Paused 2 and 3 July: due 4/7 + 2 wd = Tue 8/7.
    assert_eq!(due(&x, d(2025, 7, 3)), d(2025, 7, 8));
}

#[test]
fn funeral_and_facility_dossiers_are_handed_over_too() {
    let f = receive("04", d(2025, 6, 27)).dossier;
    let f = ok(
        &f,
        &complete("commune_proposal", "propose"),
        &CHAIRMAN,
        d(2025, 6, 30),
    );
    let f = ok(&f, &Action::HandOver, &OFFICER, d(2025, 7, 1));
    assert_eq!(f.definition(), "funeral-commune-2025");
    assert_eq!(at(&f), "commune_decision");
    let f = ok(&f, &grant(), &CHAIRMAN, d(2025, 7, 2));
    assert_eq!(
        f.closure().unwrap().authority.as_deref(),
        Some("commune_chairman")
    );

    let g = receive("07", d(2025, 5, 5)).dossier;
    let g = ok(
        &g,
        &complete("commune_review", "pass"),
        &CHAIRMAN,
        d(2025, 5, 12),
    );
    let g = ok(
        &g,
        &complete("public_posting", "done"),
        &OFFICER,
        d(2025, 5, 21),
    );
    let g = ok(
        &g,
        &complete("commune_proposal", "propose"),
        &CHAIRMAN,
        d(2025, 5, 22),
    );
    let g = ok(&g, &Action::HandOver, &PROVINCE, d(2025, 7, 1));
    assert_eq!(g.definition(), "facility-commune-2025");
    assert_eq!(at(&g), "commune_proposal");
    let g = ok(
        &g,
        &complete("commune_proposal", "propose"),
        &CHAIRMAN,
        d(2025, 7, 2),
    );
    let g = ok(
        &g,
        &complete("department_appraisal", "forward"),
        &PROVINCE,
        d(2025, 7, 8),
    );
    let g = ok(&g, &grant(), &FACILITY, d(2025, 7, 10));
    assert_eq!(
        g.closure().unwrap().authority.as_deref(),
        Some("facility_head")
    );
}

#[test]
fn dossiers_received_from_1_july_follow_the_commune_flow() {
    let r = receive("1c", d(2025, 7, 1));
    assert_eq!(r.receipt.definition, "regular-commune-2025");
    assert!(r.receipt.to_be_confirmed);
    assert_eq!(r.receipt.statutory_working_days, 10);
    assert_eq!(r.receipt.expected_by, d(2025, 7, 15));
    // The last day of the three-tier era still gets the three-tier chain.
    assert_eq!(
        receive("1c", d(2025, 6, 30)).receipt.definition,
        "regular-nd20-2021"
    );
}
