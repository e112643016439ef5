//! Dossiers through their procedures, decisions and the entitlements they create.

use ansinh_app::decisions::DraftInput;
use ansinh_app::dossiers::{ActionInput, IntakeInput};
use ansinh_app::registry::NewPersonInput;
use ansinh_app::{Actor, App, Ctx};
use ansinh_domain::access::Role;
use ansinh_domain::ids::{PersonId, UnitId, UserId};
use ansinh_domain::registry::PersonInput;
use ansinh_store::accounts::{self, NewUser};
use ansinh_store::benefits;
use ansinh_testkit::db_test;
use chrono::{DateTime, Utc};

use crate::*;

/// 09:00 in Vietnam on a date.
pub fn at(y: i32, m: u32, day: u32) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("{y:04}-{m:02}-{day:02}T09:00:00+07:00"))
        .unwrap()
        .with_timezone(&Utc)
}

/// An account created directly (its unit may be of any era).
pub async fn account(app: &App, username: &str, role: Role, unit: UnitId) -> UserId {
    accounts::insert_user(
        app.db.conn(),
        &NewUser {
            username: username.into(),
            full_name: format!("Cán bộ {username}"),
            role,
            unit_id: unit,
            password_hash: "x".into(),
            must_change_password: false,
        },
        now(),
    )
    .await
    .unwrap()
    .id
}

pub fn ctx_at(id: UserId, username: &str, role: Role, unit: UnitId, when: DateTime<Utc>) -> Ctx {
    Ctx::new(
        Actor {
            user_id: id,
            username: username.into(),
            full_name: username.into(),
            role,
            unit_id: unit,
            source: "test".into(),
            lang: ansinh_app::Lang::Vi,
            must_change_password: false,
        },
        when,
    )
}

pub struct People {
    pub officer: Ctx,
    pub chairman: Ctx,
}

pub async fn register(
    app: &App,
    officer: &Ctx,
    name: &str,
    birth: &str,
    disability: &str,
    cert: &str,
) -> PersonId {
    let unit = app.communes_for(officer)[0].0;
    app.create_person(
        officer,
        &NewPersonInput {
            person: PersonInput {
                full_name: name.into(),
                sex: "male".into(),
                birth_date: birth.into(),
                ethnicity_code: "05".into(),
                unit_id: unit.0.to_string(),
                hamlet: "Khóm 4".into(),
                disability: disability.into(),
                disability_cert_date: cert.into(),
                ..Default::default()
            },
            poverty_status: "none".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .id
}

fn act(action: &str, step: &str, outcome: &str) -> ActionInput {
    ActionInput {
        action: action.into(),
        step: step.into(),
        outcome: outcome.into(),
        ..Default::default()
    }
}

pub async fn commune_users(app: &App, when: DateTime<Utc>) -> People {
    let unit = app.graph().find("29242", d(2026, 1, 1)).unwrap().id;
    let o = account(app, "canbo.xa", Role::CommuneOfficer, unit).await;
    let c = account(app, "chutich.xa", Role::CommuneChairman, unit).await;
    People {
        officer: ctx_at(o, "canbo.xa", Role::CommuneOfficer, unit, when),
        chairman: ctx_at(c, "chutich.xa", Role::CommuneChairman, unit, when),
    }
}

fn later(ctx: &Ctx, when: DateTime<Utc>) -> Ctx {
    Ctx::new(ctx.actor.clone(), when)
}

db_test!(
    a_commune_dossier_from_intake_to_an_entitlement,
    |t| async move {
        let app = app(&t).await;
        let u = commune_users(&app, at(2026, 11, 2)).await;
        let person = register(
            &app,
            &u.officer,
            "Kim Văn Sóc",
            "1970-05-05",
            "severe",
            "2026-10-15",
        )
        .await;
        let intake = IntakeInput {
            person_id: person.0.to_string(),
            application_type: "1dd".into(),
            channel: "in_person".into(),
            documents: vec!["form-1dd".into()],
            requested_group: "k6".into(),
            ..Default::default()
        };
        // Missing documents are listed, nothing is stored.
        let err = app.receive_dossier(&u.officer, &intake).await.unwrap_err();
        assert_eq!(err.code(), "invalid-input");
        let checklist = app.checklist("1dd", d(2026, 11, 2), &[]).unwrap();
        let all: Vec<String> = checklist.iter().map(|doc| doc.code.clone()).collect();
        let (id, receipt) = app
            .receive_dossier(
                &u.officer,
                &IntakeInput {
                    documents: all,
                    ..intake.clone()
                },
            )
            .await
            .unwrap();
        assert!(
            receipt.code.starts_with("29242-261102-"),
            "{}",
            receipt.code
        );
        assert!(receipt.expected_by > d(2026, 11, 2));
        // A chairman cannot do the officer's review; the officer reviews.
        let v = app.dossier(&u.chairman, id).await.unwrap();
        assert_eq!(v.row.data.current_step.as_deref(), Some("commune_review"));
        let err = app
            .act_on_dossier(
                &u.chairman,
                id,
                v.row.version,
                &act("complete", "commune_review", "pass"),
            )
            .await
            .unwrap_err();
        assert_eq!(err.code(), "invalid-input");
        app.act_on_dossier(
            &u.officer,
            id,
            v.row.version,
            &act("complete", "commune_review", "pass"),
        )
        .await
        .unwrap();
        // Public posting lasts its period: not done the same day.
        let v = app.dossier(&u.officer, id).await.unwrap();
        let err = app
            .act_on_dossier(
                &u.officer,
                id,
                v.row.version,
                &act("complete", "public_posting", "done"),
            )
            .await
            .unwrap_err();
        assert!(
            format!("{err:?}").contains("posting-not-finished"),
            "{err:?}"
        );
        let posted = app.posting_list("29242", d(2026, 11, 2)).await.unwrap();
        assert_eq!(posted.lines.len(), 1);
        assert_eq!(posted.lines[0].proposed_amount, 810_000, "1,5 × 540.000");
        let officer = later(&u.officer, at(2026, 11, 5));
        app.act_on_dossier(
            &officer,
            id,
            v.row.version,
            &act("complete", "public_posting", "done"),
        )
        .await
        .unwrap();
        // The officer cannot decide; the chairman decides.
        let v = app.dossier(&officer, id).await.unwrap();
        assert_eq!(v.row.data.current_step.as_deref(), Some("commune_decision"));
        let err = app
            .act_on_dossier(&officer, id, v.row.version, &act("grant", "", ""))
            .await
            .unwrap_err();
        assert!(format!("{err:?}").contains("role-not-allowed"), "{err:?}");
        let chairman = later(&u.chairman, at(2026, 11, 6));
        let decision = app
            .act_on_dossier(&chairman, id, v.row.version, &act("grant", "", ""))
            .await
            .unwrap()
            .unwrap();
        let (row, body) = app.decision(&chairman, decision).await.unwrap();
        assert_eq!(row.data.number, "1/QĐ-UBND");
        assert_eq!(row.data.authority, "commune_chairman");
        assert_eq!(body.monthly_amount, Some(810_000));
        assert!(body.citations.iter().any(|c| c.contains("Điều 6")));
        // The entitlement starts in the decision month.
        let (entitlements, decisions) = app.person_benefits(&chairman, person).await.unwrap();
        assert_eq!((entitlements.len(), decisions.len()), (1, 1));
        let situation: serde_json::Value =
            serde_json::from_str(&entitlements[0].data.situation_json).unwrap();
        assert_eq!(situation["decisions"]["allowance"], "2026-11");
        assert_eq!(situation["groups"][0], "k6");
        let v = app.dossier(&chairman, id).await.unwrap();
        assert_eq!(v.row.data.status, "closed");
        assert_eq!(v.row.data.outcome.as_deref(), Some("granted"));
        assert_eq!(v.row.data.decided_on_time, Some(true));
        // Nothing left to do, and a stale version is refused.
        assert!(app.tasks(&chairman, 50).await.unwrap().is_empty());
        let err = app
            .act_on_dossier(&chairman, id, 1, &act("grant", "", ""))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "stale");
        assert!(app.verify_audit().await.unwrap().is_intact());
    }
);

db_test!(
    a_dossier_received_before_the_reform_ends_with_a_commune_decision,
    |t| async move {
        let app = app(&t).await;
        // Phường 1 of Thành phố Trà Vinh in early 2025, and its district.
        let commune = app.graph().find("29239", d(2025, 6, 1)).unwrap().id;
        let o = account(&app, "canbo.p1", Role::CommuneOfficer, commune).await;
        let c = account(&app, "chutich.p1", Role::CommuneChairman, commune).await;
        let officer = ctx_at(
            o,
            "canbo.p1",
            Role::CommuneOfficer,
            commune,
            at(2025, 6, 25),
        );
        let person = register(
            &app,
            &officer,
            "Thạch Thị Nguyệt",
            "1948",
            "especially_severe",
            "2025-05-20",
        )
        .await;
        let checklist = app.checklist("1dd", d(2025, 6, 25), &[]).unwrap();
        let (id, receipt) = app
            .receive_dossier(
                &officer,
                &IntakeInput {
                    person_id: person.0.to_string(),
                    application_type: "1dd".into(),
                    channel: "post".into(),
                    documents: checklist.iter().map(|doc| doc.code.clone()).collect(),
                    requested_group: "k6".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(receipt.definition, "regular-nd20-2021");
        let step = |app: &App, ctx: &Ctx| {
            let (app, ctx) = (app.clone(), ctx.clone());
            async move { app.dossier(&ctx, id).await.unwrap() }
        };
        let v = step(&app, &officer).await;
        app.act_on_dossier(
            &later(&officer, at(2025, 6, 26)),
            id,
            v.row.version,
            &act("complete", "commune_review", "pass"),
        )
        .await
        .unwrap();
        let v = step(&app, &officer).await;
        app.act_on_dossier(
            &later(&officer, at(2025, 6, 30)),
            id,
            v.row.version,
            &act("complete", "public_posting", "done"),
        )
        .await
        .unwrap();
        // 1 July 2025: the district tier is gone; the dossier must be handed over first.
        let chairman = ctx_at(
            c,
            "chutich.p1",
            Role::CommuneChairman,
            commune,
            at(2025, 7, 2),
        );
        let v = step(&app, &chairman).await;
        assert!(v.pending_handover);
        let err = app
            .act_on_dossier(
                &chairman,
                id,
                v.row.version,
                &act("complete", "commune_proposal", "propose"),
            )
            .await
            .unwrap_err();
        assert!(format!("{err:?}").contains("handover-required"), "{err:?}");
        let tasks = app
            .tasks(&later(&officer, at(2025, 7, 1)), 50)
            .await
            .unwrap();
        assert_eq!(tasks.len(), 1);
        assert_eq!(tasks[0].kind, "handover");
        app.act_on_dossier(
            &later(&officer, at(2025, 7, 1)),
            id,
            v.row.version,
            &act("hand_over", "", ""),
        )
        .await
        .unwrap();
        let v = step(&app, &chairman).await;
        assert_eq!(v.row.data.definition, "regular-commune-2025");
        assert_eq!(v.row.data.current_step.as_deref(), Some("commune_decision"));
        let decision = app
            .act_on_dossier(&chairman, id, v.row.version, &act("grant", "", ""))
            .await
            .unwrap()
            .unwrap();
        let (row, _) = app.decision(&chairman, decision).await.unwrap();
        assert_eq!(
            row.data.authority, "commune_chairman",
            "decided at commune level"
        );
        // Numbered in the new commune (Phường Trà Vinh), which continues Phường 1.
        let issuer = app.graph().get(row.data.issuing_unit_id).unwrap().clone();
        assert_eq!(issuer.code, "29242");
        assert!(issuer.valid_at(d(2025, 7, 2)));
    }
);

db_test!(
    the_officer_who_appraised_cannot_record_the_district_decision,
    |t| async move {
        let app = app(&t).await;
        let commune = app.graph().find("29239", d(2024, 6, 1)).unwrap().id;
        let district = app.graph().find("842", d(2024, 6, 1)).unwrap().id;
        let o = account(&app, "canbo.p1", Role::CommuneOfficer, commune).await;
        let c = account(&app, "chutich.p1", Role::CommuneChairman, commune).await;
        let h1 = account(&app, "huyen.1", Role::DistrictOfficer, district).await;
        let h2 = account(&app, "huyen.2", Role::DistrictOfficer, district).await;
        let officer = ctx_at(o, "canbo.p1", Role::CommuneOfficer, commune, at(2024, 3, 4));
        let person = register(&app, &officer, "Lâm Văn Tư", "1950", "severe", "2024-02-01").await;
        let checklist = app.checklist("1dd", d(2024, 3, 4), &[]).unwrap();
        let (id, _) = app
            .receive_dossier(
                &officer,
                &IntakeInput {
                    person_id: person.0.to_string(),
                    application_type: "1dd".into(),
                    channel: "in_person".into(),
                    documents: checklist.iter().map(|doc| doc.code.clone()).collect(),
                    requested_group: "k6".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let run = |ctx: Ctx, input: ActionInput| {
            let app = app.clone();
            async move {
                let v = app.dossier(&ctx, id).await.unwrap();
                app.act_on_dossier(&ctx, id, v.row.version, &input).await
            }
        };
        run(
            later(&officer, at(2024, 3, 5)),
            act("complete", "commune_review", "pass"),
        )
        .await
        .unwrap();
        run(
            later(&officer, at(2024, 3, 8)),
            act("complete", "public_posting", "done"),
        )
        .await
        .unwrap();
        let chairman = ctx_at(
            c,
            "chutich.p1",
            Role::CommuneChairman,
            commune,
            at(2024, 3, 11),
        );
        run(chairman, act("complete", "commune_proposal", "propose"))
            .await
            .unwrap();
        let appraiser = ctx_at(
            h1,
            "huyen.1",
            Role::DistrictOfficer,
            district,
            at(2024, 3, 13),
        );
        // No decision before the appraisal.
        let err = run(appraiser.clone(), act("grant", "", ""))
            .await
            .unwrap_err();
        assert!(format!("{err:?}").contains("wrong-step"), "{err:?}");
        run(
            appraiser.clone(),
            act("complete", "district_appraisal", "approve"),
        )
        .await
        .unwrap();
        let err = run(later(&appraiser, at(2024, 3, 14)), act("grant", "", ""))
            .await
            .unwrap_err();
        assert!(format!("{err:?}").contains("maker-cannot-check"), "{err:?}");
        let other = ctx_at(
            h2,
            "huyen.2",
            Role::DistrictOfficer,
            district,
            at(2024, 3, 14),
        );
        let decision = run(other.clone(), act("grant", "", ""))
            .await
            .unwrap()
            .unwrap();
        let (row, body) = app.decision(&other, decision).await.unwrap();
        assert_eq!(row.data.authority, "district_chairman");
        assert_eq!(
            app.graph().get(row.data.issuing_unit_id).unwrap().code,
            "842",
            "numbered by the district"
        );
        // March 2024: elderly with a severe disability, 2,0 × 360.000.
        assert_eq!(body.monthly_amount, Some(720_000));
    }
);

db_test!(
    decisions_on_an_entitlement_need_a_second_person,
    |t| async move {
        let app = app(&t).await;
        let u = commune_users(&app, at(2026, 11, 2)).await;
        let person = register(
            &app,
            &u.officer,
            "Sơn Văn Hai",
            "1960-01-01",
            "especially_severe",
            "2026-09-01",
        )
        .await;
        // An entitlement granted through a dossier.
        let checklist = app.checklist("1dd", d(2026, 11, 2), &[]).unwrap();
        let (id, _) = app
            .receive_dossier(
                &u.officer,
                &IntakeInput {
                    person_id: person.0.to_string(),
                    application_type: "1dd".into(),
                    channel: "in_person".into(),
                    documents: checklist.iter().map(|doc| doc.code.clone()).collect(),
                    requested_group: "k6".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let v = app.dossier(&u.officer, id).await.unwrap();
        app.act_on_dossier(
            &u.officer,
            id,
            v.row.version,
            &act("skip", "public_posting", ""),
        )
        .await
        .unwrap_err();
        app.act_on_dossier(
            &u.officer,
            id,
            v.row.version,
            &act("complete", "commune_review", "pass"),
        )
        .await
        .unwrap();
        let v = app.dossier(&u.officer, id).await.unwrap();
        let skip = ActionInput {
            note: "Không niêm yết theo quy trình mới".into(),
            ..act("skip", "public_posting", "")
        };
        app.act_on_dossier(&u.officer, id, v.row.version, &skip)
            .await
            .unwrap();
        let v = app.dossier(&u.chairman, id).await.unwrap();
        app.act_on_dossier(&u.chairman, id, v.row.version, &act("grant", "", ""))
            .await
            .unwrap();
        let (entitlements, _) = app.person_benefits(&u.officer, person).await.unwrap();
        let e = &entitlements[0];
        // Suspension for not collecting three months (TT 02/2021 Art. 2(3)(a)).
        let draft = DraftInput {
            entitlement_id: e.id.0.to_string(),
            kind: "suspend".into(),
            effective_month: "2027-02".into(),
            reason_codes: vec![],
            ..Default::default()
        };
        let pending = app.prepare_decision(&u.officer, &draft).await.unwrap();
        // Coded reasons are required: checked again at approval.
        let err = app
            .approve_decision(&u.chairman, pending)
            .await
            .unwrap_err();
        assert!(format!("{err:?}").contains("reasons-required"), "{err:?}");
        app.reject_draft(&u.chairman, pending, "Thiếu lý do")
            .await
            .unwrap();
        let wf = ansinh_app::dossiers::workflows().unwrap();
        let reason = wf
            .decision_kind("suspend")
            .unwrap()
            .reason_sets
            .first()
            .and_then(|s| wf.reason_sets().iter().find(|r| &r.code == s))
            .unwrap()
            .reasons[0]
            .code
            .clone();
        let pending = app
            .prepare_decision(
                &u.officer,
                &DraftInput {
                    reason_codes: vec![reason],
                    ..draft
                },
            )
            .await
            .unwrap();
        // The officer who prepared cannot approve; another officer neither.
        assert!(app.approve_decision(&u.officer, pending).await.is_err());
        let decision = app.approve_decision(&u.chairman, pending).await.unwrap();
        let (row, body) = app.decision(&u.chairman, decision).await.unwrap();
        assert_eq!(row.data.kind, "suspend");
        assert_eq!(row.data.number, "2/QĐ-UBND");
        assert!(!body.reasons.is_empty());
        let e = benefits::get_entitlement(app.db.conn(), e.id, &ansinh_store::scope::Scope::All)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(e.data.status, "suspended");
        // Approving twice is refused.
        assert_eq!(
            app.approve_decision(&u.chairman, pending)
                .await
                .unwrap_err()
                .code(),
            "stale"
        );
    }
);

db_test!(
    the_public_status_needs_the_code_and_a_second_secret,
    |t| async move {
        let app = app(&t).await;
        let u = commune_users(&app, at(2026, 11, 2)).await;
        let person = register(
            &app,
            &u.officer,
            "Kiên Thị Mai",
            "1955-03-09",
            "severe",
            "2026-10-01",
        )
        .await;
        let checklist = app.checklist("1dd", d(2026, 11, 2), &[]).unwrap();
        let (_, receipt) = app
            .receive_dossier(
                &u.officer,
                &IntakeInput {
                    person_id: person.0.to_string(),
                    application_type: "1dd".into(),
                    channel: "online".into(),
                    documents: checklist.iter().map(|doc| doc.code.clone()).collect(),
                    requested_group: "k6".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let s = app
            .public_status(&receipt.code, "09/03/1955", "1.2.3.4", at(2026, 11, 3))
            .await
            .unwrap();
        assert!(
            s.step.as_deref().is_some_and(|name| name.contains("hồ sơ")),
            "{:?}",
            s.step
        );
        assert!(s.outcome.is_none());
        assert_eq!(
            app.public_status(&receipt.code, "1955-03-10", "5.6.7.8", at(2026, 11, 3))
                .await
                .unwrap_err()
                .code(),
            "not-found"
        );
        assert_eq!(
            app.public_status(
                "29242-000000-0000",
                "1955-03-09",
                "5.6.7.8",
                at(2026, 11, 3)
            )
            .await
            .unwrap_err()
            .code(),
            "not-found"
        );
        for _ in 0..4 {
            let _ = app
                .public_status(&receipt.code, "wrong", "5.6.7.8", at(2026, 11, 3))
                .await;
        }
        assert_eq!(
            app.public_status(&receipt.code, "1955-03-09", "9.9.9.9", at(2026, 11, 3))
                .await
                .unwrap_err()
                .code(),
            "throttled"
        );
    }
);
