//! Background jobs: a month's payroll started from the interface runs in the server's
//! worker, reports progress with heartbeats, and survives a restart: a job whose worker
//! stopped beating is claimed again, and the run resumes (communes already kept are kept).

use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use ansinh_domain::Month;
use ansinh_domain::access::Permission;
use ansinh_domain::ids::UserId;
use ansinh_store::accounts;
use ansinh_store::jobs::{self, Job};

use crate::App;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};

pub const PAYROLL: &str = "payroll";

/// A job whose worker sent no heartbeat for this long is taken over.
pub fn stale_after() -> Duration {
    Duration::seconds(30)
}

/// How often a running job reports.
const BEAT: std::time::Duration = std::time::Duration::from_secs(2);

impl App {
    /// Queues a month's payroll for the caller's area.
    pub async fn start_payroll_job(&self, ctx: &Ctx, month: Month) -> AppResult<i64> {
        self.require(ctx, Permission::PreparePayroll)?;
        let province = self.province_code_of(ctx.actor.unit_id, ctx);
        let txn = self.db.begin().await?;
        let id = jobs::enqueue(
            &txn,
            PAYROLL,
            &serde_json::json!({
                "month": month.to_string(),
                "user": ctx.actor.user_id.0,
                "unit": ctx.actor.unit_id.0,
            }),
            Some(ctx.actor.user_id),
            Some(&province),
            ctx.now,
        )
        .await?;
        let mut entry = self.entry(ctx, province, "payroll.job", "job", id);
        entry.after = Some(serde_json::json!({"month": month.to_string()}));
        ansinh_store::audit::append(&txn, entry).await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Recent jobs the caller may see: those run over an area inside theirs (a job covers
    /// the area of whoever started it; all jobs for administrators).
    pub async fn recent_jobs(&self, ctx: &Ctx) -> AppResult<Vec<Job>> {
        self.require(ctx, Permission::RegistryRead)?;
        let province = match ctx.actor.role {
            ansinh_domain::access::Role::Admin => None,
            _ => Some(self.province_code_of(ctx.actor.unit_id, ctx)),
        };
        let scope = self.scope(ctx);
        let mut seen = jobs::recent(self.db.conn(), province.as_deref(), 200).await?;
        seen.retain(|j| {
            j.params["unit"]
                .as_i64()
                .is_some_and(|u| scope.includes(ansinh_domain::ids::UnitId(u)))
        });
        seen.truncate(20);
        Ok(seen)
    }

    /// Claims and runs one job, if any is waiting (or was left by a dead worker).
    pub async fn work_once(
        &self,
        worker: &str,
        now: &(dyn Fn() -> DateTime<Utc> + Sync),
    ) -> AppResult<bool> {
        let txn = self.db.begin().await?;
        let job = jobs::claim(&txn, worker, &[PAYROLL], now(), stale_after()).await?;
        txn.commit().await?;
        let Some(job) = job else {
            return Ok(false);
        };
        let outcome = self.run_job(&job, worker, now).await;
        let result = match outcome {
            Ok(v) => Ok(v),
            Err(e) => Err(job_error(&e)),
        };
        jobs::finish(self.db.conn(), job.id, worker, result, now()).await?;
        Ok(true)
    }

    async fn run_job(
        &self,
        job: &Job,
        worker: &str,
        now: &(dyn Fn() -> DateTime<Utc> + Sync),
    ) -> AppResult<serde_json::Value> {
        let month: Month = job.params["month"]
            .as_str()
            .and_then(|m| m.parse().ok())
            .ok_or_else(|| AppError::Internal("job without a month".into()))?;
        let user = job.params["user"]
            .as_i64()
            .ok_or_else(|| AppError::Internal("job without a user".into()))?;
        let user = accounts::get_user(self.db.conn(), UserId(user))
            .await?
            .ok_or(AppError::Forbidden)?;
        if !user.active {
            return Err(AppError::Forbidden);
        }
        let ctx = Ctx::new(self.actor_of(&user, "job"), now());
        let done = Arc::new(AtomicU64::new(0));
        let total = Arc::new(AtomicU64::new(0));
        // Heartbeats with progress, on their own while the run works.
        let beat = {
            let app = self.clone();
            let (done, total) = (done.clone(), total.clone());
            let worker = worker.to_string();
            let id = job.id;
            let stamp = now();
            let started = std::time::Instant::now();
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(BEAT).await;
                    let at = stamp
                        + Duration::from_std(started.elapsed())
                            .unwrap_or_else(|_| Duration::zero());
                    let (d, t) = (done.load(Ordering::Relaxed), total.load(Ordering::Relaxed));
                    let message = format!("{d}/{t}");
                    match jobs::progress(
                        app.db.conn(),
                        id,
                        &worker,
                        d as i64,
                        t as i64,
                        &message,
                        at,
                    )
                    .await
                    {
                        Ok(true) => {}
                        _ => break,
                    }
                }
            })
        };
        let result = self
            .run_payroll(&ctx, month, None, Some(job.id), 2, &|d, t| {
                done.store(d, Ordering::Relaxed);
                total.store(t, Ordering::Relaxed);
            })
            .await;
        beat.abort();
        let summary = result?;
        jobs::progress(
            self.db.conn(),
            job.id,
            worker,
            summary.units as i64,
            summary.units as i64,
            "",
            now(),
        )
        .await?;
        Ok(serde_json::to_value(&summary).unwrap_or_default())
    }
}

/// The server's worker: runs jobs until `stop` says so.
pub async fn run_worker(
    app: App,
    worker: String,
    now: Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        if *stop.borrow() {
            return;
        }
        let worked = match app.work_once(&worker, &*now).await {
            Ok(w) => w,
            Err(e) => {
                tracing::error!(error = %e, "job worker");
                false
            }
        };
        if !worked {
            tokio::select! {
                _ = tokio::time::sleep(std::time::Duration::from_secs(1)) => {}
                _ = stop.changed() => {}
            }
        }
    }
}

/// What a failed job keeps of its error: stable codes the interface translates
/// (`invalid-input field/code …`), never an internal cause, which goes to the log.
fn job_error(e: &AppError) -> String {
    match e {
        AppError::Invalid(errors) => {
            let fields: Vec<String> = errors
                .iter()
                .map(|f| format!("{}/{}", f.field, f.code))
                .collect();
            format!("{} {}", e.code(), fields.join(" "))
        }
        AppError::Conflict { field, code } => format!("{} {field}/{code}", e.code()),
        AppError::Internal(cause) => {
            tracing::error!(%cause, "payroll job failed");
            e.code().to_string()
        }
        _ => e.code().to_string(),
    }
}
