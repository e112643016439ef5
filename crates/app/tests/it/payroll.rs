//! Payroll through the store: a month kept once, totals checked against the policy engine,
//! the lifecycle with maker-checker, results with bad rows, carry-over and the suspension
//! proposal after three months without receipt.

use std::collections::BTreeMap;

use ansinh_app::payroll::totals_by_beneficiary;
use ansinh_app::payroll_cycle::ListFormat;
use ansinh_app::{App, Ctx};
use ansinh_domain::ids::{PersonId, UnitId};
use ansinh_domain::person::DisabilityLevel;
use ansinh_domain::{BirthDate, Month};
use ansinh_policy::Situation;
use ansinh_store::benefits::{self, EntitlementWrite};
use ansinh_testkit::db_test;
use sea_orm::ConnectionTrait;

use crate::dossiers::{People, at, commune_users, register};
use crate::*;

fn month(text: &str) -> Month {
    text.parse().unwrap()
}

/// A person with severe disability decided in `decided`, paid by ansinh from `since`.
async fn beneficiary(
    app: &App,
    u: &People,
    name: &str,
    birth: &str,
    decided: &str,
    since: &str,
) -> (PersonId, Situation) {
    let person = register(app, &u.officer, name, birth, "severe", "2026-01-10").await;
    let mut s = Situation::of_person(birth.parse::<BirthDate>().unwrap());
    s.person.sex = Some(ansinh_domain::person::Sex::Male);
    s.person.disability = DisabilityLevel::Severe;
    s.person.certificate_month = Some(month("2026-01"));
    s.decisions.allowance = Some(month(decided));
    s.groups = vec!["k6".into()];
    let unit: UnitId = app.communes_for(&u.officer)[0].0;
    benefits::insert_entitlement(
        app.db.conn(),
        &EntitlementWrite {
            province_code: "86".into(),
            person_id: person,
            unit_id: unit,
            benefit: "monthly_allowance".into(),
            status: "active".into(),
            channel: "cash".into(),
            account: None,
            payees_json: "[]".into(),
            since_month: Some(month(since).as_yyyymm()),
            until_month: None,
            situation_json: serde_json::to_string(&s).unwrap(),
            decision_id: None,
        },
        now(),
    )
    .await
    .unwrap();
    (person, s)
}

/// What the policy engine alone says a situation is paid in a month.
fn engine_total(s: &Situation, m: Month) -> i64 {
    let mut doc = serde_json::to_value(s).unwrap();
    doc["month"] = m.to_string().into();
    let report = ansinh_policy::evaluate_json(
        &ansinh_policy::Catalogue::builtin().unwrap(),
        &doc.to_string(),
        ansinh_policy::EvaluateOptions::default(),
    )
    .unwrap();
    report.monthly_total.0
}

async fn line_count(app: &App) -> i64 {
    let conn = app.db.conn();
    conn.query_one_raw(ansinh_store::db::stmt(
        conn.get_database_backend(),
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM payroll_lines",
        Vec::<sea_orm::Value>::new(),
    ))
    .await
    .unwrap()
    .unwrap()
    .try_get("", "n")
    .unwrap()
}

async fn run(app: &App, ctx: &Ctx, m: &str) -> ansinh_app::payroll::RunSummary {
    app.run_payroll(ctx, month(m), None, None, 2, &|_, _| {})
        .await
        .unwrap()
}

/// The only run of the commune in a month.
async fn the_run(app: &App, ctx: &Ctx, m: &str) -> ansinh_store::payroll::RunRow {
    let runs = app.payroll_runs(ctx, month(m)).await.unwrap();
    assert_eq!(runs.len(), 1, "one commune pays");
    runs.into_iter().next().unwrap()
}

/// The results file the paying organisation sends back: the exported list with a result
/// per row, changed by `edit(name, row)`.
async fn results_csv(
    app: &App,
    ctx: &Ctx,
    id: i64,
    edit: impl Fn(&str, &mut Vec<String>),
) -> Vec<u8> {
    let (_, _, bytes) = app
        .export_payroll_run(ctx, id, ListFormat::Csv, None, false)
        .await
        .unwrap();
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut out = String::from("\u{feff}");
    for line in text.split("\r\n").filter(|l| !l.is_empty()) {
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        if cells.len() > 13 && cells[1].contains('/') {
            let name = cells[2].clone();
            edit(&name, &mut cells);
        }
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

db_test!(
    a_month_is_paid_once_checked_by_another_and_reconciled,
    |t| async move {
        let app = app(&t).await;
        let u = commune_users(&app, at(2026, 11, 2)).await;
        let (a, sa) =
            beneficiary(&app, &u, "Kim Văn Sóc", "1970-05-05", "2026-10", "2026-11").await;
        let (b, sb) =
            beneficiary(&app, &u, "Thạch Sa Rết", "1950-02-01", "2026-10", "2026-11").await;
        let (c, sc) =
            beneficiary(&app, &u, "Lâm Thị Đẹp", "1985-09-09", "2026-10", "2026-11").await;

        let first = run(&app, &u.officer, "2026-11").await;
        assert_eq!((first.units, first.computed, first.already_run), (1, 1, 0));
        let lines = line_count(&app).await;
        assert_eq!(lines, 3, "one monthly line each");
        // Running the month again pays nobody twice.
        let again = run(&app, &u.officer, "2026-11").await;
        assert_eq!((again.computed, again.already_run), (0, 1));
        assert_eq!(line_count(&app).await, lines);
        // Per beneficiary, what the policy engine alone says.
        let totals = totals_by_beneficiary(&app, month("2026-11")).await.unwrap();
        let expected: BTreeMap<PersonId, i64> = [(a, &sa), (b, &sb), (c, &sc)]
            .into_iter()
            .map(|(p, s)| (p, engine_total(s, month("2026-11"))))
            .collect();
        assert_eq!(totals, expected);
        assert_eq!(expected[&a], 810_000, "1,5 × 540.000");
        assert_eq!(expected[&b], 1_080_000, "2,0 × 540.000 at 76");

        // Maker-checker: the officer who ran it cannot check it; the chairman can.
        let r = the_run(&app, &u.officer, "2026-11").await;
        let err = app
            .check_payroll_run(&u.officer, r.id, r.version)
            .await
            .unwrap_err();
        assert_eq!(
            err.code(),
            "forbidden",
            "a commune officer prepares, never checks"
        );
        app.check_payroll_run(&u.chairman, r.id, r.version)
            .await
            .unwrap();
        let err = app
            .check_payroll_run(&u.chairman, r.id, r.version)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "stale");
        let r = the_run(&app, &u.officer, "2026-11").await;
        app.send_payroll_run(&u.officer, r.id, r.version)
            .await
            .unwrap();
        let r = the_run(&app, &u.officer, "2026-11").await;
        assert_eq!(r.status, "sent");

        // Results: Sóc received, Rết did not; Đẹp's row has a wrong total (refused, kept aside).
        let file = results_csv(&app, &u.officer, r.id, |name, cells| match name {
            "Kim Văn Sóc" => cells[13] = "Đã nhận".into(),
            "Thạch Sa Rết" => cells[13] = "chua nhan".into(),
            _ => {
                cells[13] = "Đã nhận".into();
                cells[12] = "999".into();
            }
        })
        .await;
        let outcome = app
            .import_payroll_results(&u.officer, r.id, r.version, "ket-qua.csv", &file)
            .await
            .unwrap();
        assert_eq!((outcome.accepted, outcome.paid, outcome.unpaid), (2, 1, 1));
        assert_eq!(outcome.bad.len(), 1, "{:?}", outcome.bad);
        assert_eq!(
            outcome.bad[0].row, 6,
            "the spreadsheet's row number (title, unit, header, Sóc, Rết, Đẹp)"
        );
        let r = the_run(&app, &u.officer, "2026-11").await;
        assert_eq!(r.status, "results");
        // Importing twice is refused; nothing changes.
        let err = app
            .import_payroll_results(&u.officer, r.id, r.version, "ket-qua.csv", &file)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "payroll-wrong-status");

        // Funds transferred for the cash list, then the reconciliation per commune and channel.
        app.record_payroll_transfer(
            &u.chairman,
            &r.data.unit_code,
            month("2026-11"),
            ansinh_domain::person::PaymentChannel::Cash,
            r.data.to_pay,
            "UNC 15/11",
        )
        .await
        .unwrap();
        let recon = app
            .payroll_reconciliation(&u.chairman, month("2026-11"))
            .await
            .unwrap();
        assert_eq!(recon.rows.len(), 1);
        assert_eq!(recon.rows[0].transferred.0, r.data.to_pay);
        assert_eq!(recon.rows[0].paid.0, 810_000);
        app.close_payroll_run(&u.chairman, r.id, r.version)
            .await
            .unwrap();

        // December: Rết's November amount is carried over; Đẹp's is unresolved, not carried.
        run(&app, &u.officer, "2026-12").await;
        let dec = the_run(&app, &u.officer, "2026-12").await;
        let (_, unit_run) = app.payroll_run(&u.officer, dec.id).await.unwrap();
        let carried: Vec<(PersonId, i64)> = unit_run
            .lines
            .iter()
            .filter(|l| l.key.kind == ansinh_payroll::LineKind::CarryOver)
            .map(|l| (l.key.beneficiary, l.amount.0))
            .collect();
        assert_eq!(carried, vec![(b, 1_080_000)]);
        let diff = app.payroll_diff(&u.officer, dec.id).await.unwrap();
        assert!(
            diff.entered
                .iter()
                .chain(&diff.left)
                .chain(&diff.changed)
                .all(|e| e.beneficiary != a),
            "Sóc is unchanged: {diff:?}"
        );
        assert!(app.verify_audit().await.unwrap().is_intact());
    }
);

db_test!(
    entitlements_are_read_in_id_order_after_their_announced_counts,
    |t| async move {
        use ansinh_store::payroll::{Payable, payable_entitlements};
        let app = app(&t).await;
        let u = commune_users(&app, at(2026, 11, 2)).await;
        let mut people = Vec::new();
        for name in ["Kim Văn Sóc", "Thạch Sa Rết", "Sơn Thị Ni"] {
            people.push(
                beneficiary(&app, &u, name, "1960-03-03", "2026-10", "2026-11")
                    .await
                    .0,
            );
        }
        let unit: UnitId = app.communes_for(&u.officer)[0].0;
        // The first entitlement rewritten twice, through an indexed column: PostgreSQL puts
        // the new version of a row after the others, and its index then points there, so
        // that the rows no longer lie in id order and the order handed must be the
        // reader's doing.
        for status in ["suspended", "active"] {
            app.db
                .conn()
                .execute_unprepared(&format!(
                    "UPDATE entitlements SET status = '{status}' \
                     WHERE id = (SELECT MIN(id) FROM entitlements)"
                ))
                .await
                .unwrap();
        }
        let mut announced: BTreeMap<UnitId, usize> = BTreeMap::new();
        let mut handed: BTreeMap<UnitId, usize> = BTreeMap::new();
        let mut ids = Vec::new();
        let mut beneficiaries = Vec::new();
        payable_entitlements(app.db.conn(), &[unit], 202411, |p| match p {
            Payable::Expect { unit, count } => {
                assert!(ids.is_empty(), "a count announced after a row");
                *announced.entry(unit).or_default() += count;
            }
            Payable::Row(r) => {
                *handed.entry(r.unit_id).or_default() += 1;
                ids.push(r.id);
                beneficiaries.push(r.person_id);
                assert!(r.situation_json.contains("k6"), "{}", r.situation_json);
            }
        })
        .await
        .unwrap();
        assert_eq!(handed, BTreeMap::from([(unit, 3)]));
        assert_eq!(announced, handed);
        assert!(ids.is_sorted(), "{ids:?}");
        beneficiaries.sort();
        people.sort();
        assert_eq!(beneficiaries, people);
    }
);

db_test!(
    three_months_not_received_propose_a_suspension,
    |t| async move {
        let app = app(&t).await;
        let u = commune_users(&app, at(2026, 11, 2)).await;
        let (p, _) = beneficiary(&app, &u, "Sơn Thị Ni", "1960-03-03", "2026-10", "2026-11").await;
        let mut flags = Vec::new();
        for m in ["2026-11", "2026-12", "2027-01"] {
            run(&app, &u.officer, m).await;
            let r = the_run(&app, &u.officer, m).await;
            app.check_payroll_run(&u.chairman, r.id, r.version)
                .await
                .unwrap();
            let r = the_run(&app, &u.officer, m).await;
            app.send_payroll_run(&u.officer, r.id, r.version)
                .await
                .unwrap();
            let r = the_run(&app, &u.officer, m).await;
            let file = results_csv(&app, &u.officer, r.id, |_, cells| {
                cells[13] = "Chưa nhận".into()
            })
            .await;
            let outcome = app
                .import_payroll_results(&u.officer, r.id, r.version, "kq.csv", &file)
                .await
                .unwrap();
            assert!(outcome.bad.is_empty(), "{:?}", outcome.bad);
            flags.push(outcome.suspensions.len());
            if m == "2027-01" {
                assert_eq!(outcome.suspensions[0].beneficiary, p);
                assert_eq!(outcome.suspensions[0].months.len(), 3);
                assert!(outcome.suspensions[0].citation.contains("02/2021"));
            }
        }
        assert_eq!(flags, vec![0, 0, 1], "proposed after the third month only");
        // January lists November's and December's amounts again.
        let jan = the_run(&app, &u.officer, "2027-01").await;
        let (_, unit_run) = app.payroll_run(&u.officer, jan.id).await.unwrap();
        let carried: Vec<String> = unit_run
            .lines
            .iter()
            .filter(|l| l.key.kind == ansinh_payroll::LineKind::CarryOver)
            .map(|l| l.key.for_month.to_string())
            .collect();
        assert_eq!(carried, vec!["2026-11", "2026-12"]);
    }
);

db_test!(
    another_commune_sees_no_run_and_cannot_run_it,
    |t| async move {
        let app = app(&t).await;
        let u = commune_users(&app, at(2026, 11, 2)).await;
        beneficiary(&app, &u, "Kim Văn Sóc", "1970-05-05", "2026-10", "2026-11").await;
        run(&app, &u.officer, "2026-11").await;
        let r = the_run(&app, &u.officer, "2026-11").await;
        let other_unit = app.graph().find("29254", d(2026, 1, 1)).unwrap().id;
        let id = crate::dossiers::account(
            &app,
            "canbo.khac",
            ansinh_domain::access::Role::CommuneOfficer,
            other_unit,
        )
        .await;
        let other = crate::dossiers::ctx_at(
            id,
            "canbo.khac",
            ansinh_domain::access::Role::CommuneOfficer,
            other_unit,
            at(2026, 11, 2),
        );
        assert!(
            app.payroll_runs(&other, month("2026-11"))
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            app.payroll_run(&other, r.id).await.unwrap_err().code(),
            "not-found"
        );
        let s = app
            .run_payroll(&other, month("2026-11"), None, None, 1, &|_, _| {})
            .await
            .unwrap();
        assert_eq!(s.units, 0, "nothing to pay in their commune");
        // A draft can be discarded and computed again, identically.
        let hash = r.data.content_hash.clone();
        app.discard_payroll_run(&u.officer, r.id, r.version)
            .await
            .unwrap();
        assert_eq!(line_count(&app).await, 0);
        run(&app, &u.officer, "2026-11").await;
        assert_eq!(
            the_run(&app, &u.officer, "2026-11").await.data.content_hash,
            hash
        );
    }
);

db_test!(
    the_benchmark_baseline_loads_a_months_lines_into_a_copy,
    |t| async move {
        let app = app(&t).await;
        let u = commune_users(&app, at(2026, 11, 2)).await;
        for (name, born) in [
            ("Kim Văn Sóc", "1940-05-05"),
            ("Thạch Thị Na", "1950-02-02"),
        ] {
            beneficiary(&app, &u, name, born, "2026-10", "2026-11").await;
        }
        run(&app, &u.officer, "2026-11").await;
        let lines = line_count(&app).await;
        assert!(lines >= 2);
        // Brought to rest before the load: the log checkpointed, the statistics current,
        // nothing changed.
        ansinh_store::baseline::settle(&app.db).await.unwrap();
        assert_eq!(line_count(&app).await, lines);
        let (sql, column) = match app.db.backend() {
            sea_orm::DatabaseBackend::Postgres => (
                "SELECT CAST(reltuples AS BIGINT) AS n FROM pg_class \
                 WHERE oid = CAST('payroll_lines' AS regclass)",
                "n",
            ),
            // Frames in the log: (busy, log, checkpointed).
            _ => ("PRAGMA wal_checkpoint(PASSIVE)", "log"),
        };
        let at_rest = app
            .db
            .conn()
            .query_one_raw(ansinh_store::db::stmt(
                app.db.backend(),
                sql,
                Vec::<sea_orm::Value>::new(),
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get::<i64>("", column)
            .unwrap();
        match app.db.backend() {
            sea_orm::DatabaseBackend::Postgres => {
                assert_eq!(at_rest, lines, "the lines are counted by the statistics")
            }
            _ => assert_eq!(at_rest, 0, "nothing left in the log"),
        }
        let load = ansinh_store::baseline::load_month_lines(&app.db, 202_611)
            .await
            .unwrap();
        assert_eq!(load.rows as i64, lines);
        // Nothing of the copy is left, and the month's lines are untouched.
        assert_eq!(line_count(&app).await, lines);
        let left = app
            .db
            .conn()
            .query_all_raw(ansinh_store::db::stmt(
                app.db.backend(),
                "SELECT COUNT(*) AS n FROM payroll_lines_baseline",
                Vec::<sea_orm::Value>::new(),
            ))
            .await;
        assert!(left.is_err(), "the copy is dropped");
        // A month without lines loads nothing.
        let none = ansinh_store::baseline::load_month_lines(&app.db, 202_612)
            .await
            .unwrap();
        assert_eq!(none.rows, 0);
    }
);

db_test!(
    a_payroll_job_left_by_a_stopped_server_is_taken_over_and_resumes,
    |t| async move {
        use ansinh_store::jobs::{self, JobStatus};
        let app = app(&t).await;
        let u = commune_users(&app, at(2026, 11, 2)).await;
        beneficiary(&app, &u, "Kim Văn Sóc", "1940-05-05", "2026-10", "2026-11").await;
        let start = u.officer.now;
        let id = app
            .start_payroll_job(&u.officer, month("2026-11"))
            .await
            .unwrap();
        // A server claims the job, keeps the commune's run, and is killed before finishing.
        let claimed = jobs::claim(
            app.db.conn(),
            "stopped-server",
            &[ansinh_app::jobs::PAYROLL],
            start,
            ansinh_app::jobs::stale_after(),
        )
        .await
        .unwrap()
        .unwrap();
        assert_eq!(claimed.id, id);
        run(&app, &u.officer, "2026-11").await;
        let kept = the_run(&app, &u.officer, "2026-11").await;

        // While its heartbeat is recent, no other worker takes it.
        let soon = start + chrono::Duration::seconds(5);
        assert!(!app.work_once("restarted", &|| soon).await.unwrap());
        assert_eq!(
            jobs::get(app.db.conn(), id).await.unwrap().unwrap().status,
            JobStatus::Running
        );
        // Once the heartbeat is stale, the restarted server takes it over and completes it,
        // keeping the run that was there.
        let later = start + ansinh_app::jobs::stale_after() + chrono::Duration::seconds(1);
        assert!(app.work_once("restarted", &|| later).await.unwrap());
        let job = jobs::get(app.db.conn(), id).await.unwrap().unwrap();
        assert_eq!(job.status, JobStatus::Done, "{job:?}");
        assert_eq!(job.claimed_by.as_deref(), Some("restarted"));
        let result = job.result.unwrap();
        assert_eq!(result["already_run"], 1, "{result}");
        assert_eq!(result["computed"], 0, "{result}");
        let after = the_run(&app, &u.officer, "2026-11").await;
        assert_eq!(after.id, kept.id);
        assert_eq!(after.data.content_hash, kept.data.content_hash);
        // Nothing left to claim.
        assert!(!app.work_once("restarted", &|| later).await.unwrap());
    }
);
