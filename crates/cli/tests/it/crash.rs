//! Crash test of `ansinh payroll run` (the payroll issue's acceptance criterion): the
//! process is killed with SIGKILL at random moments during a month's run, at least 20 times
//! on each database. After each kill every paying commune's run is there complete or not at
//! all and nothing is there twice; a second run completes the month, keeps what was there,
//! and gives every beneficiary the total the policy engine gives for the month, computed
//! here from the stored situations without the payroll code.
//!
//! Half the kills or so would land before the first commune is kept (a run first lists the
//! paying communes), so two kinds of moment are drawn: a delay uniform over the whole run,
//! and "once k communes are kept, plus up to 15 ms", k uniform over the communes.
//! `ANSINH_CRASH_SEED` replays a plan (the data and the moments drawn; not the timings).

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use ansinh_policy::{Catalogue, Month, Situation};
use ansinh_store::db::{DbTarget, stmt};
use ansinh_testkit::{TestDb, db_test};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ConnectionTrait, DatabaseConnection, QueryResult};

const MONTH: &str = "2026-11";
const YYYYMM: i32 = 202_611;
/// About 850 paying communes, so that a kill can land between any two of them.
const BENEFICIARIES: u64 = 1_000;
const TRIALS: usize = 24;
/// Benefits a run pays (`payable_entitlements`).
const MONTHLY: [&str; 4] = [
    "monthly_allowance",
    "caregiving_support",
    "social_pension",
    "facility_care",
];

db_test!(kill_9_during_a_payroll_run, |t| async move {
    crash_trials(t).await
});

/// A child process killed (and reaped) when dropped, so that a failing test leaves no run
/// behind holding the database.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
    }
}

fn ansinh(target: &[String], args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ansinh"));
    command
        .args(target)
        .args(args)
        .env_remove("ANSINH_DATA_DIR")
        .env_remove("ANSINH_DATABASE_URL")
        .stdin(Stdio::null());
    command
}

/// Runs to the end; fails the test unless it succeeds.
fn run_ok(target: &[String], args: &[&str], what: &str) -> Output {
    let out = ansinh(target, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{what}: ansinh {args:?} exited with {}\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

async fn query(conn: &DatabaseConnection, sql: &str) -> Vec<QueryResult> {
    conn.query_all_raw(stmt(
        conn.get_database_backend(),
        sql,
        Vec::<sea_orm::Value>::new(),
    ))
    .await
    .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn execute(conn: &DatabaseConnection, sql: &str) {
    conn.execute_raw(stmt(
        conn.get_database_backend(),
        sql,
        Vec::<sea_orm::Value>::new(),
    ))
    .await
    .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

fn get<T: sea_orm::TryGetable>(r: &QueryResult, column: &str) -> T {
    r.try_get("", column)
        .unwrap_or_else(|e| panic!("column {column}: {e}"))
}

/// `SELECT COUNT(*) AS n …`.
async fn count(conn: &DatabaseConnection, sql: &str) -> i64 {
    let rows = query(conn, sql).await;
    get(rows.first().unwrap_or_else(|| panic!("{sql}: no row")), "n")
}

/// What the month owes, worked out from the stored entitlements with the policy engine only.
#[derive(Debug)]
struct Reference {
    /// Per beneficiary, the month's total (non-zero totals only).
    totals: BTreeMap<i64, i64>,
    /// Communes holding an entitlement a run looks at.
    communes: BTreeSet<String>,
    entitlements: usize,
    /// Entitlements owed nothing this month (evaluation gives zero, or problems).
    zero: usize,
    problems: usize,
}

async fn reference(conn: &DatabaseConnection, month: Month) -> Reference {
    let rules = Catalogue::builtin()
        .unwrap_or_else(|p| panic!("built-in catalogue: {p:?}"))
        .for_month(month)
        .unwrap_or_else(|p| panic!("catalogue for {month}: {p:?}"));
    let rows = query(
        conn,
        "SELECT e.id, e.person_id, e.benefit, e.status, e.since_month, e.until_month, \
         e.situation_json, u.code FROM entitlements e JOIN units u ON u.id = e.unit_id ORDER BY e.id",
    )
    .await;
    let mut out = Reference {
        totals: BTreeMap::new(),
        communes: BTreeSet::new(),
        entitlements: rows.len(),
        zero: 0,
        problems: 0,
    };
    for r in &rows {
        let id: i64 = get(r, "id");
        let person: i64 = get(r, "person_id");
        let benefit: String = get(r, "benefit");
        let status: String = get(r, "status");
        let since: Option<i32> = get(r, "since_month");
        let until: Option<i32> = get(r, "until_month");
        let json: String = get(r, "situation_json");
        if !MONTHLY.contains(&benefit.as_str()) {
            continue;
        }
        if status != "terminated" {
            out.communes.insert(get(r, "code"));
        }
        let owed = status == "active"
            && since.is_none_or(|s| s <= YYYYMM)
            && until.is_none_or(|u| u >= YYYYMM);
        let amount = if owed {
            let situation: Situation = serde_json::from_str(&json)
                .unwrap_or_else(|e| panic!("entitlement {id}: stored situation unreadable: {e}"));
            match rules.evaluate(&situation) {
                Ok(evaluation) => evaluation.monthly_total().0,
                Err(_) => {
                    out.problems += 1;
                    0
                }
            }
        } else {
            0
        };
        if amount == 0 {
            out.zero += 1;
        } else {
            *out.totals.entry(person).or_default() += amount;
        }
    }
    out.totals.retain(|_, v| *v != 0);
    out
}

/// A kept run, as compared across a kill and the run that completes the month.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Kept {
    id: i64,
    lines: i64,
    content_hash: String,
}

/// Checks that every run is complete and nothing is there twice; returns the runs by commune.
async fn check_consistent(conn: &DatabaseConnection, when: &str) -> BTreeMap<String, Kept> {
    let incomplete = query(
        conn,
        "SELECT r.id, r.unit_code, r.lines, \
         (SELECT COUNT(*) FROM payroll_lines l WHERE l.run_id = r.id) AS n \
         FROM payroll_runs r \
         WHERE r.lines <> (SELECT COUNT(*) FROM payroll_lines l WHERE l.run_id = r.id) \
         ORDER BY r.id",
    )
    .await;
    let described: Vec<String> = incomplete
        .iter()
        .take(5)
        .map(|r| {
            format!(
                "run {} of {}: {} lines announced, {} stored",
                get::<i64>(r, "id"),
                get::<String>(r, "unit_code"),
                get::<i64>(r, "lines"),
                get::<i64>(r, "n")
            )
        })
        .collect();
    assert!(
        incomplete.is_empty(),
        "{when}: {} incomplete runs, e.g. {described:?}",
        incomplete.len()
    );
    let orphans = count(
        conn,
        "SELECT COUNT(*) AS n FROM payroll_lines l \
         WHERE NOT EXISTS (SELECT 1 FROM payroll_runs r WHERE r.id = l.run_id)",
    )
    .await;
    assert_eq!(orphans, 0, "{when}: lines whose run is not there");
    let misfiled = count(
        conn,
        &format!(
            "SELECT COUNT(*) AS n FROM payroll_lines l JOIN payroll_runs r ON r.id = l.run_id \
             WHERE l.month <> r.month OR r.month <> {YYYYMM}"
        ),
    )
    .await;
    assert_eq!(misfiled, 0, "{when}: lines or runs of another month");
    let twice = query(
        conn,
        "SELECT entitlement_id, month, kind, for_month, benefit, payee, one_off_id, COUNT(*) AS n \
         FROM payroll_lines GROUP BY entitlement_id, month, kind, for_month, benefit, payee, one_off_id \
         HAVING COUNT(*) > 1",
    )
    .await;
    let described: Vec<String> = twice
        .iter()
        .take(5)
        .map(|r| {
            format!(
                "entitlement {} {} {} for {} {} {} one-off {}: {} lines",
                get::<i64>(r, "entitlement_id"),
                get::<i32>(r, "month"),
                get::<String>(r, "kind"),
                get::<i32>(r, "for_month"),
                get::<String>(r, "benefit"),
                get::<String>(r, "payee"),
                get::<i64>(r, "one_off_id"),
                get::<i64>(r, "n")
            )
        })
        .collect();
    assert!(
        twice.is_empty(),
        "{when}: {} line keys paid more than once, e.g. {described:?}",
        twice.len()
    );
    let twice = query(
        conn,
        "SELECT unit_code, month, COUNT(*) AS n FROM payroll_runs GROUP BY unit_code, month \
         HAVING COUNT(*) > 1",
    )
    .await;
    let described: Vec<String> = twice
        .iter()
        .take(5)
        .map(|r| {
            format!(
                "{} {}: {} runs",
                get::<String>(r, "unit_code"),
                get::<i32>(r, "month"),
                get::<i64>(r, "n")
            )
        })
        .collect();
    assert!(
        twice.is_empty(),
        "{when}: communes run more than once: {described:?}"
    );
    query(
        conn,
        "SELECT id, unit_code, lines, content_hash FROM payroll_runs",
    )
    .await
    .iter()
    .map(|r| {
        (
            get(r, "unit_code"),
            Kept {
                id: get(r, "id"),
                lines: get(r, "lines"),
                content_hash: get(r, "content_hash"),
            },
        )
    })
    .collect()
}

/// Per beneficiary, the sum of the month's stored lines (non-zero sums only).
async fn totals(conn: &DatabaseConnection) -> BTreeMap<i64, i64> {
    query(
        conn,
        &format!(
            "SELECT beneficiary_id, CAST(SUM(amount) AS BIGINT) AS total FROM payroll_lines \
             WHERE month = {YYYYMM} GROUP BY beneficiary_id"
        ),
    )
    .await
    .iter()
    .map(|r| (get::<i64>(r, "beneficiary_id"), get::<i64>(r, "total")))
    .filter(|(_, total)| *total != 0)
    .collect()
}

/// The first differences between the stored totals and the reference.
fn differences(stored: &BTreeMap<i64, i64>, expected: &BTreeMap<i64, i64>) -> Vec<String> {
    let ids: BTreeSet<i64> = stored.keys().chain(expected.keys()).copied().collect();
    ids.into_iter()
        .filter(|id| stored.get(id) != expected.get(id))
        .take(8)
        .map(|id| {
            format!(
                "beneficiary {id}: stored {:?}, reference {:?}",
                stored.get(&id),
                expected.get(&id)
            )
        })
        .collect()
}

/// When a trial's run is killed.
#[derive(Debug, Clone, Copy)]
enum Moment {
    /// This long after it starts.
    After(Duration),
    /// Once this many communes are kept, plus a little.
    Kept(i64, Duration),
}

async fn committed_runs(conn: &DatabaseConnection) -> i64 {
    count(conn, "SELECT COUNT(*) AS n FROM payroll_runs").await
}

async fn crash_trials(t: TestDb) {
    let suite = Instant::now();
    let backend = format!("{:?}", t.backend);
    let seed: u64 = match std::env::var("ANSINH_CRASH_SEED") {
        Ok(s) => s.parse().expect("ANSINH_CRASH_SEED: a number"),
        Err(_) => rand::rng().random(),
    };
    eprintln!("crash {backend}: seed {seed} (ANSINH_CRASH_SEED={seed} replays the plan)");
    let mut rng = StdRng::seed_from_u64(seed);
    let target: Vec<String> = match &t.target {
        DbTarget::DataDir(dir) => vec!["--data-dir".into(), dir.display().to_string()],
        DbTarget::Url(url) => vec!["--database-url".into(), url.clone()],
    };
    let conn = t.db.conn();
    let month: Month = MONTH.parse().unwrap();
    let run_args = ["payroll", "run", "--month", MONTH];

    let gen_seed = (seed % 1_000_000).to_string();
    let n = BENEFICIARIES.to_string();
    run_ok(
        &target,
        &[
            "gen",
            "--beneficiaries",
            &n,
            "--seed",
            &gen_seed,
            "--from",
            MONTH,
        ],
        "gen",
    );
    let expected = reference(conn, month).await;
    assert_eq!(expected.entitlements as u64, BENEFICIARIES);
    assert!(
        expected.totals.len() as u64 > BENEFICIARIES / 2,
        "the reference pays most beneficiaries: {expected:?}"
    );

    // One uninterrupted run: the reference run, and how long a run takes.
    let started = Instant::now();
    let mut child = Running(
        ansinh(&target, &run_args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut first_kept = None;
    let status = loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            break status;
        }
        if first_kept.is_none() && committed_runs(conn).await > 0 {
            first_kept = Some(started.elapsed());
        }
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "the reference run does not end"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    let whole = started.elapsed();
    assert!(status.success(), "the reference run failed: {status}");
    drop(child);
    let full = check_consistent(conn, "reference run").await;
    let units = full.len() as i64;
    let stored = totals(conn).await;
    assert!(
        stored == expected.totals,
        "reference run: per-beneficiary totals differ from the policy engine's: {:?}",
        differences(&stored, &expected.totals)
    );
    let codes: BTreeSet<String> = full.keys().cloned().collect();
    assert_eq!(
        codes, expected.communes,
        "reference run: the communes run are not the paying communes"
    );
    assert!(units > 1, "too few communes to kill between them");
    let lines: i64 = full.values().map(|k| k.lines).sum();
    eprintln!(
        "crash {backend}: {} entitlements ({} owed nothing, {} with problems), {} paying communes, \
         {lines} lines; an uninterrupted run takes {:.2} s, the first commune kept after {:.2} s",
        expected.entitlements,
        expected.zero,
        expected.problems,
        units,
        whole.as_secs_f64(),
        first_kept.unwrap_or(whole).as_secs_f64()
    );

    // The moments: one trial in three at a delay over the whole run (the first very early,
    // the last ones at or after its end), the others once k communes are kept.
    let by_time = TRIALS.div_ceil(3);
    let by_progress = TRIALS - by_time;
    let mut moments: Vec<Moment> = Vec::with_capacity(TRIALS);
    for i in 0..TRIALS {
        let u: f64 = rng.random();
        moments.push(if i % 3 == 0 {
            let j = (i / 3) as f64;
            if i == 0 {
                Moment::After(Duration::from_millis(20).mul_f64(u))
            } else {
                Moment::After(whole.mul_f64(1.05 * (j + u) / by_time as f64))
            }
        } else {
            let j = (i - i / 3 - 1) as f64;
            let k = 1 + ((j + u) / by_progress as f64 * (units - 1) as f64) as i64;
            Moment::Kept(
                k.clamp(1, units - 1),
                Duration::from_millis(15).mul_f64(rng.random()),
            )
        });
    }

    let (mut none, mut some, mut all, mut finished) = (0, 0, 0, 0);
    let trials = Instant::now();
    for (trial, moment) in moments.into_iter().enumerate() {
        let when = format!("{backend} trial {trial} ({moment:?})");
        execute(conn, "DELETE FROM payroll_lines").await;
        execute(conn, "DELETE FROM payroll_runs").await;
        let workers = rng.random_range(1..=3usize).to_string();
        let mut args = run_args.to_vec();
        args.extend(["--workers", workers.as_str()]);

        let started = Instant::now();
        let mut child = Running(
            ansinh(&target, &args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        match moment {
            Moment::After(delay) => tokio::time::sleep(delay).await,
            Moment::Kept(k, extra) => {
                while child.0.try_wait().unwrap().is_none() && committed_runs(conn).await < k {
                    assert!(
                        started.elapsed() < whole * 20 + Duration::from_secs(60),
                        "{when}: the run does not progress"
                    );
                    tokio::time::sleep(Duration::from_millis(2)).await;
                }
                tokio::time::sleep(extra).await;
            }
        }
        let exited = child.0.try_wait().unwrap();
        if exited.is_none() {
            // SIGKILL on Unix.
            child.0.kill().unwrap();
        }
        let status = child.0.wait().unwrap();
        let killed_at = started.elapsed();
        drop(child);
        if let Some(status) = exited {
            assert!(
                status.success(),
                "{when}: the run failed before it was killed: {status}"
            );
            finished += 1;
        }

        let kept = check_consistent(conn, &format!("{when}, after the kill")).await;
        let partial = totals(conn).await;
        let wrong: Vec<String> = partial
            .iter()
            .filter(|(id, total)| expected.totals.get(id) != Some(total))
            .take(8)
            .map(|(id, total)| {
                format!(
                    "beneficiary {id}: stored {total}, reference {:?}",
                    expected.totals.get(id)
                )
            })
            .collect();
        assert!(
            wrong.is_empty(),
            "{when}, after the kill: beneficiaries paid other than their total: {wrong:?}"
        );
        match kept.len() as i64 {
            0 => none += 1,
            k if k == units => all += 1,
            _ => some += 1,
        }

        run_ok(
            &target,
            &run_args,
            &format!("{when}, the run after the kill"),
        );
        let after = check_consistent(conn, &format!("{when}, after the second run")).await;
        for (code, k) in &kept {
            assert_eq!(
                after.get(code),
                Some(k),
                "{when}: the second run did not keep {code}'s run"
            );
        }
        let codes: BTreeSet<String> = after.keys().cloned().collect();
        assert_eq!(
            codes, expected.communes,
            "{when}: after the second run, the communes run are not the paying communes"
        );
        for (code, k) in &after {
            let first = &full[code];
            assert_eq!(
                (k.lines, &k.content_hash),
                (first.lines, &first.content_hash),
                "{when}: {code}'s run differs from the uninterrupted run's"
            );
        }
        let stored = totals(conn).await;
        assert!(
            stored == expected.totals,
            "{when}: after the second run, per-beneficiary totals differ from the reference: {:?}",
            differences(&stored, &expected.totals)
        );
        eprintln!(
            "crash {backend} trial {trial:2}: --workers {workers} killed after {:4} ms ({}) with {:4}/{units} \
             communes kept; completed ({:.1} s)",
            killed_at.as_millis(),
            if exited.is_some() {
                "had finished".to_string()
            } else {
                format!("{status}")
            },
            kept.len(),
            started.elapsed().as_secs_f64()
        );
    }
    let spent = trials.elapsed().as_secs_f64();
    eprintln!(
        "crash {backend}: {TRIALS} kills — {none} left no commune run, {some} some, {all} all \
         ({finished} of these had finished); every second run completed with the reference \
         totals. {:.1} s in all, {:.1} s per trial",
        suite.elapsed().as_secs_f64(),
        spent / TRIALS as f64
    );
}
