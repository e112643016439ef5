//! `ansinh payroll run` and `ansinh gen`: the month's payroll and the national synthetic
//! caseload, from the command line, with progress bars.

use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use std::process::ExitCode;
use std::time::Instant;

use ansinh_app::{Actor, App, AppConfig, Ctx};
use ansinh_domain::Month;
use ansinh_store::db::{Db, DbTarget};

#[derive(Subcommand, Debug)]
pub enum PayrollCommand {
    /// Compute and keep a month's payroll for every paying commune (or one). Communes
    /// already run are kept; an interrupted month is completed by running it again.
    Run {
        /// The month, YYYY-MM.
        #[arg(long)]
        month: String,
        /// One commune (5-digit code) only.
        #[arg(long)]
        unit: Option<String>,
        /// Batches of communes computed and kept at the same time (on two cores, three keep
        /// both busy while one waits for the database).
        #[arg(long, default_value_t = 3)]
        workers: usize,
    },
}

pub(crate) fn bar(total: u64, unit: &str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "[{{bar:40}}] {{pos}}/{{len}} {unit} {{per_sec}} eta {{eta}}"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

async fn open(target: &DbTarget, now: chrono::DateTime<chrono::Utc>) -> Result<App, String> {
    let db = Db::open(target).await.map_err(|e| e.to_string())?;
    App::start(db, AppConfig::default(), now)
        .await
        .map_err(|e| e.to_string())
}

/// The command line acts as the system, over the whole country.
fn system_ctx(app: &App, now: chrono::DateTime<chrono::Utc>) -> Ctx {
    let graph = app.graph();
    let today = ansinh_app::context::vietnam_time(now).date();
    let root = graph
        .roots_at(today)
        .first()
        .copied()
        .unwrap_or(ansinh_domain::ids::UnitId(0));
    Ctx::new(Actor::system(root), now)
}

pub async fn run(
    command: PayrollCommand,
    target: &DbTarget,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<ExitCode, String> {
    match command {
        PayrollCommand::Run {
            month,
            unit,
            workers,
        } => {
            let month: Month = month.parse().map_err(|e| format!("--month {month}: {e}"))?;
            let app = open(target, now).await?;
            let ctx = system_ctx(&app, now);
            let bar = bar(0, "xã / communes");
            let started = Instant::now();
            let summary = app
                .run_payroll(
                    &ctx,
                    month,
                    unit.as_deref(),
                    None,
                    workers,
                    &|done, total| {
                        bar.set_length(total);
                        bar.set_position(done);
                    },
                )
                .await
                .map_err(|e| format!("{e}: {e:?}"))?;
            bar.finish_and_clear();
            let secs = started.elapsed().as_secs_f64();
            println!(
                "chi trả tháng {} / payroll {}: {} xã (communes), {} tính mới (computed), {} đã có (already run)",
                month.display_vi(),
                month,
                summary.units,
                summary.computed,
                summary.already_run
            );
            println!(
                "{} đối tượng (entitlements), {} dòng (lines), tổng {} — {:.1} s, {:.0} lines/s",
                summary.entitlements,
                summary.lines,
                ansinh_domain::Money(summary.net).display_vi(),
                secs,
                summary.lines as f64 / secs.max(1e-9)
            );
            if let Some(kib) = peak_memory_kib() {
                println!(
                    "bộ nhớ tối đa / peak memory: {:.0} MiB",
                    kib as f64 / 1024.0
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The process's peak resident memory (Linux's `VmHWM`), in KiB.
pub fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// `ansinh gen --beneficiaries N`.
pub async fn generate(
    target: &DbTarget,
    beneficiaries: u64,
    seed: u64,
    from: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<ExitCode, String> {
    let first: Month = from.parse().map_err(|e| format!("--from {from}: {e}"))?;
    let app = open(target, now).await?;
    let today = ansinh_app::context::vietnam_time(now).date();
    let bar = bar(beneficiaries, "người / people");
    let started = Instant::now();
    let report = app
        .generate_beneficiaries(beneficiaries, seed, first, today, now, &|done, _| {
            bar.set_position(done)
        })
        .await
        .map_err(|e| format!("{e}: {e:?}"))?;
    bar.finish_and_clear();
    println!(
        "{} người và {} chế độ trên {} xã, chi trả từ tháng {} / {} people and entitlements over {} communes, paid from {} ({:.1} s)",
        report.people,
        report.entitlements,
        report.communes,
        first.display_vi(),
        report.people,
        report.communes,
        first,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
