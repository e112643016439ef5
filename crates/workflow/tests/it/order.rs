//! Step order, roles and maker-checker: every refusal is a typed error and changes nothing.

use crate::*;
use ansinh_workflow::{Decision, WorkflowError};

/// A three-tier dossier received Mon 4/3/2024, brought to `step`.
fn three_tier_at(step: &str) -> Dossier {
    let mut x = receive("1d", d(2024, 3, 4)).dossier;
    let path = [
        ("commune_review", "pass", OFFICER, d(2024, 3, 6)),
        ("public_posting", "done", OFFICER, d(2024, 3, 8)),
        ("commune_proposal", "propose", CHAIRMAN, d(2024, 3, 11)),
        ("district_appraisal", "approve", DISTRICT, d(2024, 3, 13)),
    ];
    for (code, outcome, who, date) in path {
        if at(&x) == step {
            break;
        }
        x = ok(&x, &complete(code, outcome), &who, date);
    }
    assert_eq!(at(&x), step);
    x
}

#[test]
fn no_step_can_be_jumped() {
    let x = three_tier_at("commune_review");
    for (step, outcome, who) in [
        ("public_posting", "done", OFFICER),
        ("commune_proposal", "propose", CHAIRMAN),
        ("district_appraisal", "approve", DISTRICT),
        ("district_decision", "grant", DISTRICT2),
    ] {
        let e = err(&x, &complete(step, outcome), &who, d(2024, 3, 5));
        assert_eq!(e.code(), "wrong-step");
        assert_eq!(
            e,
            WorkflowError::WrongStep {
                current: "commune_review".into(),
                requested: step.into()
            }
        );
    }
}

#[test]
fn no_decision_before_appraisal() {
    for step in [
        "commune_review",
        "public_posting",
        "commune_proposal",
        "district_appraisal",
    ] {
        let x = three_tier_at(step);
        let e = err(&x, &grant(), &DISTRICT2, d(2024, 3, 14));
        assert_eq!(e.code(), "wrong-step", "{step}");
        assert!(matches!(e, WorkflowError::NotDecisionStep { .. }));
    }
    let x = three_tier_at("district_decision");
    ok(&x, &grant(), &DISTRICT2, d(2024, 3, 14));
}

#[test]
fn a_commune_officer_cannot_approve_or_decide() {
    // Three-tier era: the decision is recorded at the district.
    let x = three_tier_at("district_decision");
    let e = err(&x, &grant(), &OFFICER2, d(2024, 3, 14));
    assert_eq!(e.code(), "role-not-allowed");
    // Nor may the commune chairman record the district chairman's decision, nor an inspector.
    assert_eq!(
        err(&x, &grant(), &CHAIRMAN, d(2024, 3, 14)).code(),
        "role-not-allowed"
    );
    assert_eq!(
        err(&x, &grant(), &INSPECTOR, d(2024, 3, 14)).code(),
        "role-not-allowed"
    );
    // Nor appraise.
    let x = three_tier_at("district_appraisal");
    let e = err(
        &x,
        &complete("district_appraisal", "approve"),
        &OFFICER2,
        d(2024, 3, 14),
    );
    assert_eq!(e.code(), "role-not-allowed");
    // Nor propose in the chairman's name.
    let x = three_tier_at("commune_proposal");
    let e = err(
        &x,
        &complete("commune_proposal", "propose"),
        &OFFICER2,
        d(2024, 3, 14),
    );
    assert_eq!(e.code(), "role-not-allowed");

    // Commune era: only the commune chairman decides.
    let x = receive("1a", d(2025, 8, 4)).dossier;
    let x = ok(
        &x,
        &complete("commune_review", "pass"),
        &OFFICER,
        d(2025, 8, 5),
    );
    let x = ok(
        &x,
        &Action::Skip {
            step: "public_posting".into(),
            reason: "Không niêm yết theo NĐ 147/2025".into(),
        },
        &OFFICER,
        d(2025, 8, 5),
    );
    assert_eq!(at(&x), "commune_decision");
    for who in [OFFICER, OFFICER2, DISTRICT, PROVINCE] {
        let e = err(&x, &grant(), &who, d(2025, 8, 6));
        assert_eq!(e.code(), "role-not-allowed", "{who:?}");
    }
    let x = ok(&x, &grant(), &CHAIRMAN, d(2025, 8, 6));
    assert_eq!(
        x.closure().unwrap().authority.as_deref(),
        Some("commune_chairman")
    );
}

#[test]
fn the_maker_cannot_check() {
    // The district officer who appraised may not record the decision.
    let x = three_tier_at("district_decision");
    let e = err(&x, &grant(), &DISTRICT, d(2024, 3, 14));
    assert_eq!(e.code(), "maker-cannot-check");
    assert_eq!(
        e,
        WorkflowError::MakerCannotCheck {
            user: DISTRICT.user,
            step: "district_decision".into(),
            earlier: "district_appraisal".into()
        }
    );
    ok(&x, &grant(), &DISTRICT2, d(2024, 3, 14));

    // Facility admission: the commune chairman reviews, and must not be the one who received.
    let chairman_as_receiver = actor(ansinh_domain::access::Role::CommuneChairman, 1);
    let x = receive("07", d(2024, 3, 4)).dossier;
    let e = err(
        &x,
        &complete("commune_review", "pass"),
        &chairman_as_receiver,
        d(2024, 3, 5),
    );
    assert_eq!(e.code(), "maker-cannot-check");
    ok(
        &x,
        &complete("commune_review", "pass"),
        &CHAIRMAN,
        d(2024, 3, 5),
    );
}

#[test]
fn outcomes_and_reasons_are_checked() {
    let x = three_tier_at("district_decision");
    let e = err(
        &x,
        &complete("district_decision", "approve"),
        &DISTRICT2,
        d(2024, 3, 14),
    );
    assert_eq!(e.code(), "unknown-outcome");
    let reject = Action::Decide(Decision::Reject {
        reasons: vec!["  ".into()],
    });
    assert_eq!(
        err(&x, &reject, &DISTRICT2, d(2024, 3, 14)).code(),
        "reasons-required"
    );
    let reject = Action::Decide(Decision::Reject {
        reasons: vec!["Đang hưởng lương hưu".into()],
    });
    let x = ok(&x, &reject, &DISTRICT2, d(2024, 3, 14));
    assert_eq!(x.outcome(), Some(ansinh_workflow::End::Rejected));
}

#[test]
fn a_closed_dossier_accepts_nothing() {
    let x = three_tier_at("district_decision");
    let x = ok(&x, &grant(), &DISTRICT2, d(2024, 3, 14));
    for action in [
        grant(),
        complete("district_decision", "grant"),
        Action::Pause { reason: "x".into() },
        Action::Resume,
        Action::OpenComplaint { note: "x".into() },
        Action::HandOver,
    ] {
        assert_eq!(
            err(&x, &action, &DISTRICT2, d(2024, 3, 15)).code(),
            "dossier-closed"
        );
    }
}

#[test]
fn actions_cannot_be_dated_before_the_last_event() {
    let x = three_tier_at("public_posting");
    let e = err(
        &x,
        &complete("public_posting", "done"),
        &OFFICER,
        d(2024, 3, 5),
    );
    assert_eq!(e.code(), "date-before-last-event");
}

#[test]
fn mandatory_steps_cannot_be_skipped() {
    let x = three_tier_at("public_posting");
    let skip = Action::Skip {
        step: "public_posting".into(),
        reason: "không cần".into(),
    };
    assert_eq!(
        err(&x, &skip, &OFFICER, d(2024, 3, 8)).code(),
        "step-not-optional"
    );
}
