//! `ansinh bench payroll`: a national synthetic caseload, then two months' payroll as an
//! operator runs it (`ansinh payroll run`, a separate process whose peak memory is its
//! own), each followed by its baseline: loading the same lines into an empty copy of the
//! lines table by the database's fastest path. Each month is compared with the baseline
//! timed right after it, not minutes later: a shared machine's speed drifts over a run.
//! Each measured step starts from the database at rest (`baseline::settle`).

use chrono::{DateTime, Utc};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ansinh_app::{App, AppConfig};
use ansinh_domain::Month;
use ansinh_store::baseline::BaselineLoad;
use ansinh_store::db::{Db, DbTarget};

/// One `ansinh payroll run`, as measured from outside.
pub struct RunFigures {
    pub wall: Duration,
    pub lines: u64,
    pub peak_mib: Option<f64>,
}

/// A month's run and its baseline.
pub struct MonthFigures {
    pub month: Month,
    pub run: RunFigures,
    /// The same lines loaded by the fastest path, right after the month: `elapsed` is the
    /// fastest path's time, `paths` each one's where the database has more than one.
    pub baseline: BaselineLoad,
}

pub struct PayrollFigures {
    pub entitlements: u64,
    pub generate: Duration,
    pub first: MonthFigures,
    pub usual: MonthFigures,
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn target_args(target: &DbTarget) -> Vec<String> {
    match target {
        DbTarget::DataDir(dir) => vec!["--data-dir".into(), dir.display().to_string()],
        DbTarget::Url(url) => vec!["--database-url".into(), url.clone()],
    }
}

/// The number after `label` in the command's output, e.g. `(lines)` ← `299560 dòng (lines)`.
fn number_before(text: &str, label: &str) -> Option<f64> {
    let at = text.find(label)?;
    text[..at]
        .split_whitespace()
        .rev()
        .find_map(|w| w.replace('.', "").replace(',', ".").parse().ok())
}

fn payroll_run(target: &DbTarget, month: Month, workers: usize) -> Result<RunFigures, String> {
    let exe = std::env::current_exe().map_err(err)?;
    let started = Instant::now();
    let out = Command::new(exe)
        .args(target_args(target))
        .args([
            "payroll",
            "run",
            "--month",
            &month.to_string(),
            "--workers",
            &workers.to_string(),
        ])
        .env_remove("ANSINH_DATA_DIR")
        .env_remove("ANSINH_DATABASE_URL")
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(err)?;
    let wall = started.elapsed();
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "ansinh payroll run {month}: {}\n{stdout}",
            out.status
        ));
    }
    print!("{stdout}");
    let lines = number_before(&stdout, "dòng (lines)")
        .ok_or_else(|| format!("no line count in: {stdout}"))? as u64;
    let peak_mib = stdout
        .find("peak memory:")
        .and_then(|at| number_before(&stdout[at..], "MiB"));
    Ok(RunFigures {
        wall,
        lines,
        peak_mib,
    })
}

pub async fn run(
    target: &DbTarget,
    entitlements: u64,
    workers: usize,
    now: DateTime<Utc>,
) -> Result<PayrollFigures, String> {
    let first: Month = "2026-11".parse().map_err(err)?;
    let usual = first.next();
    let db = Db::open(target).await.map_err(err)?;
    let app = App::start(db.clone(), AppConfig::default(), now)
        .await
        .map_err(err)?;
    let today = ansinh_app::context::vietnam_time(now).date();
    let bar = crate::payroll::bar(entitlements, "người / people");
    let started = Instant::now();
    app.generate_beneficiaries(entitlements, 2026, first, today, now, &|done, _| {
        bar.set_position(done)
    })
    .await
    .map_err(|e| format!("{e}: {e:?}"))?;
    bar.finish_and_clear();
    let generate = started.elapsed();
    println!(
        "generated {entitlements} beneficiaries in {:.1} s",
        generate.as_secs_f64()
    );

    // The first month ansinh pays: nothing earlier to compare with, every entitlement's
    // months are looked at. Then the usual month, which compares with the one before. Each
    // measured step starts from the database at rest.
    let settle = async || -> Result<(), String> {
        let took = ansinh_store::baseline::settle(&db).await.map_err(err)?;
        println!(
            "database brought to rest (checkpoint, statistics) in {:.1} s",
            took.as_secs_f64()
        );
        Ok(())
    };
    let measure = async |month: Month| -> Result<MonthFigures, String> {
        settle().await?;
        let run = payroll_run(target, month, workers)?;
        settle().await?;
        let baseline = ansinh_store::baseline::load_month_lines(&db, month.as_yyyymm())
            .await
            .map_err(err)?;
        if baseline.rows != run.lines {
            return Err(format!(
                "{month}: the baseline loaded {} rows, the run kept {} lines",
                baseline.rows, run.lines
            ));
        }
        println!(
            "baseline {month}: {} rows in {:.1} s",
            baseline.rows,
            baseline.elapsed.as_secs_f64()
        );
        Ok(MonthFigures {
            month,
            run,
            baseline,
        })
    };
    let first = measure(first).await?;
    let usual = measure(usual).await?;
    Ok(PayrollFigures {
        entitlements,
        generate,
        first,
        usual,
    })
}

#[cfg(test)]
mod tests {
    use super::number_before;

    #[test]
    fn figures_are_read_from_the_commands_output() {
        let out = "300000 đối tượng (entitlements), 299560 dòng (lines), tổng 1 đ — 6.3 s\n\
                   bộ nhớ tối đa / peak memory: 36 MiB\n";
        assert_eq!(number_before(out, "dòng (lines)"), Some(299_560.0));
        let at = out.find("peak memory:").unwrap();
        assert_eq!(number_before(&out[at..], "MiB"), Some(36.0));
        assert_eq!(number_before(out, "absent"), None);
    }
}
