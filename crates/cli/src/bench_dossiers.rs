//! `ansinh bench dossiers`: open dossiers over the demo province, then the latency of the
//! overdue list and of users' task lists through the application layer — scope of the
//! user, the query, decoding the workflow state and the engine's task ordering — as the
//! pages and the API serve them.

use chrono::{DateTime, Duration as Days, NaiveDate, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use rand::{Rng, SeedableRng};
use sea_orm::ConnectionTrait;
use std::collections::HashMap;
use std::time::{Duration, Instant};

use ansinh_app::dossiers::{calendar, dossier_row};
use ansinh_app::{Actor, App, AppConfig, Ctx, PasswordCost};
use ansinh_domain::access::Role;
use ansinh_domain::ids::{PersonId, UnitId, UserId};
use ansinh_store::db::{Db, DbTarget, stmt};
use ansinh_store::dossiers::{DossierWrite, insert_dossiers};
use ansinh_workflow::{Channel, Intake, dossier_code};

use crate::bench::{ms, percentiles};

pub struct ListFigures {
    pub name: &'static str,
    pub mean_rows: f64,
    pub p50: Duration,
    pub p99: Duration,
}

pub struct DossierFigures {
    pub load: Duration,
    pub lists: Vec<ListFigures>,
    pub open: u64,
    pub overdue: u64,
    pub at_decision: u64,
    pub communes: usize,
}

/// Dossiers stored per transaction.
const BATCH: usize = 5_000;

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

async fn count(db: &Db, sql: &str, today: NaiveDate) -> Result<u64, String> {
    let row = db
        .conn()
        .query_one_raw(stmt(db.backend(), sql, [today.into()]))
        .await
        .map_err(err)?
        .ok_or("no count")?;
    let n: i64 = row.try_get("", "n").map_err(err)?;
    Ok(n.max(0) as u64)
}

pub async fn run(target: &DbTarget, n: u64, queries: usize) -> Result<DossierFigures, String> {
    let now: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-11-28T09:00:00+07:00")
        .map_err(err)?
        .with_timezone(&Utc);
    let today = NaiveDate::from_ymd_opt(2026, 11, 28).ok_or("date")?;
    let db = Db::open(target).await.map_err(err)?;
    let app = App::start(
        db.clone(),
        AppConfig {
            password_cost: PasswordCost::TESTING,
            ..AppConfig::default()
        },
        now,
    )
    .await
    .map_err(err)?;
    app.bootstrap_admin(now).await.map_err(err)?;
    app.load_demo(7, now).await.map_err(err)?;
    let backend = db.backend();
    let admin: i64 = db
        .conn()
        .query_one_raw(stmt(
            backend,
            "SELECT id FROM users WHERE username = $1",
            ["admin".into()],
        ))
        .await
        .map_err(err)?
        .ok_or("no admin")?
        .try_get("", "id")
        .map_err(err)?;
    let graph = app.graph();
    let mut people: Vec<(PersonId, UnitId)> = Vec::new();
    for row in db
        .conn()
        .query_all_raw(stmt(
            backend,
            "SELECT id, unit_id FROM persons ORDER BY id",
            Vec::<sea_orm::Value>::new(),
        ))
        .await
        .map_err(err)?
    {
        let id: i64 = row.try_get("", "id").map_err(err)?;
        let unit: i64 = row.try_get("", "unit_id").map_err(err)?;
        people.push((PersonId(id), graph.at(UnitId(unit), today)));
    }
    if people.is_empty() {
        return Err("the demo province has no people".into());
    }
    let unit_code = |u: UnitId| graph.get(u).map(|v| v.code.clone()).unwrap_or_default();
    let province_of = |u: UnitId| {
        let root = graph.ancestors(u).last().copied().unwrap_or(u);
        (root, unit_code(root))
    };

    let cal = calendar().map_err(err)?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(5);
    let mut seqs: HashMap<(UnitId, NaiveDate), u32> = HashMap::new();
    let mut checklists: HashMap<NaiveDate, Vec<String>> = HashMap::new();
    let proposal = r#"{"birth":"1950-01-01","sex":"female","disability":"severe","groups":["k6"]}"#;
    let bar = ProgressBar::new(n);
    bar.set_style(
        ProgressStyle::with_template("{msg:>9} [{bar:40}] {pos}/{len} {per_sec} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message(if db.is_postgres() {
        "postgres"
    } else {
        "sqlite"
    });
    let mut load = Duration::ZERO;
    let mut made = 0u64;
    let mut communes: Vec<UnitId> = Vec::new();
    while made < n {
        let mut batch: Vec<DossierWrite> = Vec::with_capacity(BATCH);
        while batch.len() < BATCH && made < n {
            let (person, commune) = people[rng.random_range(0..people.len())];
            // Received on a working day of the last six weeks: open dossiers are recent.
            let mut received = today - Days::days(rng.random_range(0..42));
            while !cal.is_working_day(received).map_err(err)? {
                received -= Days::days(1);
            }
            let code = unit_code(commune);
            let documents = match checklists.get(&received) {
                Some(d) => d.clone(),
                None => {
                    let d: Vec<String> = app
                        .checklist("1dd", received, &[])
                        .map_err(err)?
                        .into_iter()
                        .map(|d| d.code)
                        .collect();
                    checklists.insert(received, d.clone());
                    d
                }
            };
            let intake = Intake {
                code: String::new(),
                application_type: "1dd".into(),
                unit: code,
                channel: Channel::InPerson,
                documents,
                conditions: vec![],
            };
            // Review takes 1–10 working days (7 allowed), posting 2–4 (2 allowed): some are
            // late, most are not; the rest wait at the step they reached today.
            let mut steps = Vec::new();
            let reviewed = cal
                .add_working_days(received, rng.random_range(1..=10))
                .map_err(err)?;
            if reviewed <= today {
                steps.push(reviewed);
                let posted = cal
                    .add_working_days(reviewed, rng.random_range(2..=4))
                    .map_err(err)?;
                if posted <= today {
                    steps.push(posted);
                    // Decided 1–5 working days later (3 allowed): a decided dossier has left
                    // the open set, so draw another.
                    let decided = cal
                        .add_working_days(posted, rng.random_range(1..=5))
                        .map_err(err)?;
                    if decided <= today {
                        continue;
                    }
                }
            }
            let seq = seqs.entry((commune, received)).or_insert(0);
            *seq += 1;
            let intake = Intake {
                code: dossier_code(&intake.unit, received, *seq),
                ..intake
            };
            let base = DossierWrite {
                province_code: province_of(commune).1,
                code: intake.code.clone(),
                application_type: "1dd".into(),
                family: "regular".into(),
                benefit: "monthly_allowance".into(),
                person_id: person,
                unit_id: commune,
                channel: "in_person".into(),
                received_on: received,
                status: String::new(),
                outcome: None,
                definition: String::new(),
                current_step: None,
                current_kind: None,
                task_roles: String::new(),
                due_on: None,
                statutory_due_on: None,
                closed_on: None,
                decided_on_time: None,
                requested_group: "k6".into(),
                proposal_json: proposal.into(),
                state_json: String::new(),
                received_by: UserId(admin),
            };
            batch.push(dossier_row(base, &intake, received, &steps, today).map_err(err)?);
            if !communes.contains(&commune) {
                communes.push(commune);
            }
            made += 1;
        }
        let started = Instant::now();
        let txn = db.begin().await.map_err(err)?;
        insert_dossiers(&txn, &batch, now).await.map_err(err)?;
        txn.commit().await.map_err(err)?;
        load += started.elapsed();
        bar.set_position(made);
    }
    bar.finish_and_clear();
    ansinh_store::db::execute(db.conn(), "ANALYZE")
        .await
        .map_err(err)?;

    let open = count(
        &db,
        "SELECT COUNT(*) AS n FROM dossiers WHERE status = 'open' AND received_on <= $1",
        today,
    )
    .await?;
    let overdue = count(
        &db,
        "SELECT COUNT(*) AS n FROM dossiers WHERE status = 'open' AND due_on < $1",
        today,
    )
    .await?;
    let at_decision = count(
        &db,
        "SELECT COUNT(*) AS n FROM dossiers WHERE current_kind = 'decision' AND received_on <= $1",
        today,
    )
    .await?;

    let actor = |role: Role, unit: UnitId| {
        Ctx::new(
            Actor {
                // Not the account that did the earlier steps: a decision step is independent
                // of them (whoever reviewed cannot decide), so it would hide the chairman's tasks.
                user_id: UserId(0),
                username: "bench".into(),
                full_name: "bench".into(),
                role,
                unit_id: unit,
                source: "bench".into(),
                lang: ansinh_app::Lang::Vi,
                must_change_password: false,
            },
            now,
        )
    };
    let province = province_of(communes[0]).0;
    let mut lists = Vec::new();
    for (name, role, whole_province, overdue_list) in [
        (
            "overdue, commune officer",
            Role::CommuneOfficer,
            false,
            true,
        ),
        ("tasks, commune officer", Role::CommuneOfficer, false, false),
        (
            "tasks, commune chairman",
            Role::CommuneChairman,
            false,
            false,
        ),
        (
            "overdue, province officer",
            Role::ProvinceOfficer,
            true,
            true,
        ),
    ] {
        let mut samples = Vec::with_capacity(queries);
        let mut rows = 0usize;
        for _ in 0..queries {
            let unit = if whole_province {
                province
            } else {
                communes[rng.random_range(0..communes.len())]
            };
            let ctx = actor(role, unit);
            let started = Instant::now();
            let got = if overdue_list {
                app.overdue_dossiers(&ctx, 50).await.map_err(err)?.len()
            } else {
                app.tasks(&ctx, 50).await.map_err(err)?.len()
            };
            samples.push(started.elapsed());
            rows += got;
        }
        let (p50, p99) = percentiles(samples);
        lists.push(ListFigures {
            name,
            mean_rows: rows as f64 / queries.max(1) as f64,
            p50,
            p99,
        });
        eprintln!("  {name}: p50 {:.2} ms, p99 {:.2} ms", ms(p50), ms(p99));
    }
    db.close().await.map_err(err)?;
    Ok(DossierFigures {
        load,
        lists,
        open,
        overdue,
        at_decision,
        communes: communes.len(),
    })
}
