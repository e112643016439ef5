//! Payroll use cases: compute a month's runs per paying commune and keep them (each in its
//! own transaction, so an interrupted month resumes where it stopped), then check, send,
//! import results, reconcile and close them.
//!
//! What a run reads for an entitlement is rebuilt from what is stored: the situation and its
//! bounds, the previous month's run (which entitlements it brought level, under which facts
//! and catalogue), the lines listed in earlier runs (only when the facts or the law changed
//! since, the only case the computation needs them) and what is still owed from results.

use serde::Serialize;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use ansinh_domain::Money;
use ansinh_domain::Month;
use ansinh_domain::UnitCode;
use ansinh_domain::access::{Permission, Role};
use ansinh_domain::ids::{EntitlementId, PersonId, UnitId};
use ansinh_domain::person::PaymentChannel;
use ansinh_domain::unit::UnitLevel;
use ansinh_payroll::{
    Entitlement, EntitlementNote, EntitlementStatus, Ledger, LineKind, Note, OneOff, OneOffId,
    OneOffKind, PayeeAccount, PayrollConfig, PayrollLine, Reconciled, RunContext, UnitRun, Unpaid,
    Worker,
};
use ansinh_policy::{Catalogue, PaidLine, PayeeKind, Problem, Section, Situation};
use ansinh_store::payroll::{
    self as repo, LineWrite, OneOffRow, Payable, PayableRow, RunRow, RunWrite,
};

use crate::App;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};

/// A commune that pays, at the run month, with the unit versions (of any era) it pays for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PayingUnit {
    pub id: UnitId,
    pub code: String,
    pub name: String,
    pub province: String,
    pub versions: Vec<UnitId>,
}

/// What happened to one paying unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum UnitOutcome {
    /// Computed and stored now.
    Computed {
        run: i64,
        lines: u64,
        entitlements: u64,
        net: i64,
    },
    /// A run of this unit and month was already there (kept as it is).
    AlreadyRun { run: i64 },
}

/// What a computing task reports when the single writer is gone (it failed: its own error
/// is the one to report).
const WRITER_STOPPED: &str = "the payroll writer stopped";

/// A batch of paying units read and computed, waiting to be kept.
struct PreparedUnits {
    month: Month,
    /// The units in the order asked, with the outcome of those already run.
    order: Vec<(String, Option<UnitOutcome>)>,
    batch: repo::BatchWrite,
    /// Per run of `batch`: the entitlements looked at, and the unit's province.
    meta: Vec<(u64, String)>,
    /// The audit entry of the batch, when it has runs to keep.
    entry: Option<ansinh_store::audit::AuditEntry>,
}

/// What a month's run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RunSummary {
    pub month: String,
    pub units: u64,
    pub computed: u64,
    pub already_run: u64,
    pub entitlements: u64,
    pub lines: u64,
    pub net: i64,
}

fn run_context(catalogue: &Catalogue, month: Month) -> AppResult<RunContext<'_>> {
    RunContext::new(catalogue, month, PayrollConfig::default()).map_err(|p| {
        AppError::Invalid(
            p.into_iter()
                .map(|p| ansinh_domain::registry::FieldError {
                    field: "month",
                    code: "proposal-problem",
                    detail: Some(p.message),
                })
                .collect(),
        )
    })
}

/// Paying units computed and kept together (one read, one transaction). On SQLite a commit
/// writes every index page its lines touched into the log, and a line's place in the key
/// index is anywhere in the month: the more lines a transaction holds, the fewer times the
/// same page is written. At 1,000,000 entitlements 32 communes wrote 632 MB in a month
/// where 16 wrote 658 MB, and the month took about 5 % less time; 64 were no faster.
const BATCH: usize = 32;

/// The runtime SQLite's writer runs on during a month, if it has one of its own. Shut down
/// without waiting when the month ends, however it ends: by then its tasks have ended, or
/// were dropped with the failed run (a runtime may not be dropped from async code).
struct WriterThread(Option<tokio::runtime::Runtime>);

impl Drop for WriterThread {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

/// On SQLite, batches kept between two of the writer's own copies of the log into the
/// database file (see `RunWriter::checkpoint`). Another connection copies it after every
/// batch (unless its last copy is still going): the pages of the database file, written all
/// over it, are what make a copy wait for the disk, and that wait is best spent beside the
/// writer. The writer's own copy, which lets the log start over, then has little left to do.
const CHECKPOINT_EVERY: usize = 8;

/// Reads an enum from its serde name (the names the payroll and policy crates write).
fn named<'a, T: serde::Deserialize<'a>>(text: &'a str) -> Option<T> {
    use serde::de::IntoDeserializer;
    T::deserialize(IntoDeserializer::<serde::de::value::Error>::into_deserializer(text)).ok()
}

fn month_of(yyyymm: i32) -> AppResult<Month> {
    Month::from_yyyymm(yyyymm).map_err(|e| AppError::Internal(e.to_string()))
}

fn unit_code(code: &str) -> AppResult<UnitCode> {
    UnitCode::parse(code).map_err(|e| AppError::Internal(e.to_string()))
}

/// The run's view of a stored entitlement, or the note that says why it cannot be read.
fn entitlement_of(
    row: &PayableRow<'_>,
    unit_code: UnitCode,
    province: UnitCode,
) -> Result<Entitlement<'static>, Note> {
    let bad = |path: &str, message: String| Note::Problems {
        problems: vec![Problem::new("invalid-value", path, message)],
    };
    let situation: Situation = serde_json::from_str(row.situation_json).map_err(|e| {
        bad(
            "situation",
            format!("the stored situation cannot be read: {e}"),
        )
    })?;
    let payees: Vec<PayeeAccount> = if row.payees_json.trim().is_empty() {
        Vec::new()
    } else {
        serde_json::from_str(row.payees_json)
            .map_err(|e| bad("payees", format!("the payees cannot be read: {e}")))?
    };
    let month = |m: Option<i32>, path: &str| -> Result<Option<Month>, Note> {
        m.map(|v| Month::from_yyyymm(v).map_err(|e| bad(path, e.to_string())))
            .transpose()
    };
    Ok(Entitlement {
        id: row.id,
        beneficiary: row.person_id,
        paying_unit: unit_code,
        province,
        channel: named::<PaymentChannel>(row.channel)
            .ok_or_else(|| bad("channel", format!("{:?} is not a channel", row.channel)))?,
        account: row.account.map(str::to_string),
        payees,
        status: named::<EntitlementStatus>(row.status)
            .ok_or_else(|| bad("status", format!("{:?} is not a status", row.status)))?,
        since: month(row.since_month, "since")?,
        until: month(row.until_month, "until")?,
        situation: Cow::Owned(situation),
        ledger: Ledger::default(),
        facts: None,
    })
}

fn one_off_of(row: &OneOffRow, unit: &UnitCode, province: &UnitCode) -> AppResult<OneOff> {
    Ok(OneOff {
        id: OneOffId(row.id),
        entitlement: row.entitlement_id,
        beneficiary: row.person_id,
        paying_unit: *unit,
        province: *province,
        kind: named::<OneOffKind>(&row.kind)
            .ok_or_else(|| AppError::Internal(format!("one-off kind {:?}", row.kind)))?,
        for_month: month_of(row.for_month)?,
        decided: month_of(row.decided_month)?,
        amount: Money(row.amount),
        payee: named::<PayeeKind>(&row.payee)
            .ok_or_else(|| AppError::Internal(format!("payee {:?}", row.payee)))?,
        channel: named::<PaymentChannel>(&row.channel)
            .ok_or_else(|| AppError::Internal(format!("channel {:?}", row.channel)))?,
        account: row.account.clone(),
        citation: row.citation.clone(),
        listed_in: row.listed_in.map(month_of).transpose()?,
    })
}

/// A computed line as stored.
fn line_write(l: &PayrollLine, account: Option<String>) -> LineWrite {
    let k = &l.key;
    let e = &l.explanation;
    let monthly = k.kind.is_monthly() && e.second.is_none();
    let basis = e.basis.as_ref();
    LineWrite {
        entitlement_id: k.entitlement,
        beneficiary_id: k.beneficiary,
        month: k.month.as_yyyymm(),
        kind: k.kind.as_str(),
        for_month: k.for_month.as_yyyymm(),
        benefit: k.benefit.as_str(),
        payee: k.payee.as_str(),
        one_off_id: k.one_off.map_or(0, |o| o.0),
        channel: l.channel.as_str(),
        account,
        amount: l.amount.0,
        reason: l.reason.as_str(),
        policy_version: basis.map(|b| b.rule.policy_version.clone()),
        rule_id: basis.map(|b| b.rule.rule_id.clone()),
        coefficient: basis.and_then(|b| b.coefficient).map(|c| c as i32),
        multiplier: basis.map_or(1, |b| b.multiplier as i32),
        base: basis.map(|b| b.base.0),
        // A regular monthly line is explained by its rule, coefficient and base; anything
        // else keeps its whole explanation.
        detail_json: if monthly {
            None
        } else {
            serde_json::to_string(e).ok()
        },
    }
}

impl App {
    fn require_payroll(&self, ctx: &Ctx, permission: Permission) -> AppResult<()> {
        // The command line acts as the system (maintenance, national runs).
        if ctx.actor.role == Role::Admin && ctx.actor.user_id.0 == 0 {
            return Ok(());
        }
        self.require(ctx, permission)
    }

    /// Communes paying in `month` (at that month's tree) within the caller's area, each with
    /// the unit versions it pays for.
    pub async fn paying_units(&self, ctx: &Ctx, month: Month) -> AppResult<Vec<PayingUnit>> {
        self.require_payroll(ctx, Permission::RegistryRead)?;
        let config = PayrollConfig::default();
        let from = month.plus(-(config.lookback_months as i32)).as_yyyymm();
        let versions = repo::paying_unit_versions(self.db.conn(), from).await?;
        let graph = self.graph();
        let day = month.first_day();
        let scope = self.scope(ctx);
        let mut communes: BTreeMap<String, UnitId> = BTreeMap::new();
        for v in versions {
            let image = graph.at(v, day);
            if let Some(u) = graph.get(image)
                && u.level == UnitLevel::Commune
                && scope.includes(image)
            {
                communes.insert(u.code.clone(), image);
            }
        }
        // The versions each commune pays for: a commune's area is itself, so these are the
        // versions that are the commune at the month (one pass over the tree, not one each).
        let mut paid_for: HashMap<UnitId, Vec<UnitId>> =
            communes.values().map(|c| (*c, Vec::new())).collect();
        for v in graph.all() {
            if let Some(versions) = paid_for.get_mut(&graph.at(v.id, day)) {
                versions.push(v.id);
            }
        }
        Ok(communes
            .into_iter()
            .map(|(code, id)| {
                let root = graph.ancestors(id).last().copied().unwrap_or(id);
                PayingUnit {
                    id,
                    name: graph.get(id).map(|u| u.name.clone()).unwrap_or_default(),
                    province: graph.get(root).map(|u| u.code.clone()).unwrap_or_default(),
                    versions: paid_for.remove(&id).unwrap_or_default(),
                    code,
                }
            })
            .collect())
    }

    /// Computes and keeps one paying unit's run, unless it is already there.
    pub async fn run_payroll_unit(
        &self,
        ctx: &Ctx,
        run: &RunContext<'_>,
        unit: &PayingUnit,
        worker: &mut Worker,
        job: Option<i64>,
    ) -> AppResult<UnitOutcome> {
        let mut out = self
            .run_payroll_units(ctx, run, std::slice::from_ref(unit), worker, job)
            .await?;
        out.pop()
            .ok_or_else(|| AppError::Internal("no outcome".into()))
    }

    /// Computes and keeps the runs of a few paying units (in one read and one transaction:
    /// a commune has a few hundred beneficiaries, and per-transaction costs would dominate),
    /// skipping units already run. Each unit's run is there complete or not at all.
    pub async fn run_payroll_units(
        &self,
        ctx: &Ctx,
        run: &RunContext<'_>,
        units: &[PayingUnit],
        worker: &mut Worker,
        job: Option<i64>,
    ) -> AppResult<Vec<UnitOutcome>> {
        let prepared = self.prepare_units(ctx, run, units, worker, job).await?;
        let mut writer = repo::RunWriter::Pool(self.db.clone());
        self.keep_units(ctx, prepared, &mut writer).await
    }

    /// Reads and computes a few paying units' runs, noting those already run; nothing is
    /// written.
    async fn prepare_units(
        &self,
        ctx: &Ctx,
        run: &RunContext<'_>,
        units: &[PayingUnit],
        worker: &mut Worker,
        job: Option<i64>,
    ) -> AppResult<PreparedUnits> {
        self.require_payroll(ctx, Permission::PreparePayroll)?;
        let month = run.month();
        let m = month.as_yyyymm();
        let codes: Vec<String> = units.iter().map(|u| u.code.clone()).collect();
        let done: HashMap<String, i64> = repo::runs_for(self.db.conn(), &codes, m, false)
            .await?
            .into_iter()
            .map(|r| (r.data.unit_code, r.id))
            .collect();
        let todo: Vec<&PayingUnit> = units
            .iter()
            .filter(|u| !done.contains_key(&u.code))
            .collect();
        let mut prepared = PreparedUnits {
            month,
            order: units
                .iter()
                .map(|u| {
                    let outcome = done
                        .get(&u.code)
                        .map(|id| UnitOutcome::AlreadyRun { run: *id });
                    (u.code.clone(), outcome)
                })
                .collect(),
            batch: repo::BatchWrite::new(&self.db, Vec::new()),
            meta: Vec::new(),
            entry: None,
        };
        if todo.is_empty() {
            return Ok(prepared);
        }
        let mut runs = Vec::with_capacity(todo.len());
        for (write, entitlements, unit) in self.compute_units(run, &todo, worker, job, ctx).await? {
            runs.push(write);
            prepared.meta.push((entitlements, unit.province.clone()));
        }
        prepared.batch = repo::BatchWrite::new(&self.db, runs);
        let mut entry = self.entry(
            ctx,
            todo.first().map(|u| u.province.clone()).unwrap_or_default(),
            "payroll.run",
            "payroll_run",
            "",
        );
        entry.after = Some(serde_json::json!({
            "month": month.to_string(),
            "units": prepared.batch.runs.iter().map(|w| serde_json::json!({
                "unit": w.run.unit_code, "lines": w.run.lines, "net": w.run.net,
                "content_hash": w.run.content_hash,
            })).collect::<Vec<_>>(),
            "catalogue": run.fingerprint(),
        }));
        prepared.entry = Some(entry);
        Ok(prepared)
    }

    /// Keeps a prepared batch in one transaction. When another run of the same month kept
    /// one of its units first (two runs at once), the units are kept one at a time and those
    /// already there are reported as such.
    async fn keep_units(
        &self,
        ctx: &Ctx,
        prepared: PreparedUnits,
        writer: &mut repo::RunWriter,
    ) -> AppResult<Vec<UnitOutcome>> {
        let PreparedUnits {
            month,
            order,
            mut batch,
            meta,
            entry,
        } = prepared;
        let m = month.as_yyyymm();
        let mut outcomes: HashMap<String, UnitOutcome> = HashMap::new();
        let computed =
            |w: &repo::UnitRunWrite, run: i64, entitlements: u64| UnitOutcome::Computed {
                run,
                lines: w.run.lines as u64,
                entitlements,
                net: w.run.net,
            };
        if let Some(entry) = entry {
            match writer.store_unit_runs(&mut batch, entry, ctx.now).await {
                Ok(ids) => {
                    for ((w, (entitlements, _)), id) in batch.runs.iter().zip(&meta).zip(ids) {
                        outcomes.insert(w.run.unit_code.clone(), computed(w, id, *entitlements));
                    }
                }
                Err(ansinh_store::error::StoreError::Conflict { .. }) if batch.runs.len() > 1 => {
                    for (w, (entitlements, province)) in batch.runs.iter().zip(&meta) {
                        let mut entry =
                            self.entry(ctx, province.clone(), "payroll.run", "payroll_run", "");
                        entry.after = Some(serde_json::json!({
                            "month": month.to_string(), "unit": w.run.unit_code, "lines": w.run.lines,
                            "net": w.run.net, "content_hash": w.run.content_hash,
                        }));
                        let mut one = repo::BatchWrite::new(&self.db, vec![w.clone()]);
                        let outcome = match writer.store_unit_runs(&mut one, entry, ctx.now).await {
                            Ok(ids) => {
                                computed(w, ids.first().copied().unwrap_or_default(), *entitlements)
                            }
                            Err(ansinh_store::error::StoreError::Conflict { .. }) => {
                                self.already_run(&w.run.unit_code, m).await?
                            }
                            Err(e) => return Err(e.into()),
                        };
                        outcomes.insert(w.run.unit_code.clone(), outcome);
                    }
                }
                Err(ansinh_store::error::StoreError::Conflict { .. }) => {
                    for w in &batch.runs {
                        outcomes.insert(
                            w.run.unit_code.clone(),
                            self.already_run(&w.run.unit_code, m).await?,
                        );
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
        order
            .into_iter()
            .map(|(code, outcome)| {
                outcome
                    .or_else(|| outcomes.remove(&code))
                    .ok_or_else(|| AppError::Internal(format!("no outcome for {code}")))
            })
            .collect()
    }

    async fn already_run(&self, code: &str, month: i32) -> AppResult<UnitOutcome> {
        match repo::run_for(self.db.conn(), code, month).await? {
            Some(done) => Ok(UnitOutcome::AlreadyRun { run: done.id }),
            None => Err(AppError::Conflict {
                field: "unit",
                code: "payroll-run-exists",
            }),
        }
    }

    /// Reads the inputs of these units and computes their runs (nothing is written).
    async fn compute_units<'u>(
        &self,
        run: &RunContext<'_>,
        units: &[&'u PayingUnit],
        worker: &mut Worker,
        job: Option<i64>,
        ctx: &Ctx,
    ) -> AppResult<Vec<(repo::UnitRunWrite, u64, &'u PayingUnit)>> {
        let month = run.month();
        let m = month.as_yyyymm();
        let conn = self.db.conn();
        let graph = self.graph();
        let day = month.first_day();
        let from = run.first_month().as_yyyymm();
        let versions: Vec<UnitId> = units
            .iter()
            .flat_map(|u| u.versions.iter().copied())
            .collect();
        let index: HashMap<UnitId, usize> =
            units.iter().enumerate().map(|(i, u)| (u.id, i)).collect();
        // Which of these units pays each unit version at the month: worked out once per
        // version, not once per entitlement.
        let paying: HashMap<UnitId, Option<usize>> = versions
            .iter()
            .map(|v| (*v, index.get(&graph.at(*v, day)).copied()))
            .collect();
        let of_unit = |v: UnitId| match paying.get(&v) {
            Some(i) => *i,
            None => index.get(&graph.at(v, day)).copied(),
        };

        // Entitlements, each read as the run's view of it (or the note that says why it
        // cannot be read) with the unit that pays it at the month; one-off items likewise.
        let codes: Vec<(UnitCode, UnitCode)> = units
            .iter()
            .map(|u| Ok((unit_code(&u.code)?, unit_code(&u.province)?)))
            .collect::<AppResult<_>>()?;
        let mut read: Vec<(Vec<Entitlement<'static>>, Vec<EntitlementNote>)> =
            (0..units.len()).map(|_| (Vec::new(), Vec::new())).collect();
        // Each straight into its unit's list, in id order: none is moved again.
        repo::payable_entitlements(conn, &versions, from, |p| match p {
            Payable::Expect { unit, count } => {
                if let Some(i) = of_unit(unit) {
                    // Nothing is in the list yet: room for this version's on top of the
                    // room already made for the unit's other versions.
                    let list = &mut read[i].0;
                    list.reserve_exact(list.capacity() + count);
                }
            }
            Payable::Row(r) => {
                let Some(i) = of_unit(r.unit_id) else {
                    return;
                };
                let (code, province) = codes[i];
                match entitlement_of(&r, code, province) {
                    Ok(e) => read[i].0.push(e),
                    Err(note) => read[i].1.push(EntitlementNote {
                        entitlement: r.id,
                        beneficiary: r.person_id,
                        note,
                    }),
                }
            }
        })
        .await?;
        let mut offs: Vec<Vec<OneOffRow>> = vec![Vec::new(); units.len()];
        for o in repo::one_offs_due(conn, &versions, m).await? {
            if let Some(i) = of_unit(o.unit_id) {
                offs[i].push(o);
            }
        }
        // What the previous month's runs brought level (under the same catalogue).
        let unit_codes: Vec<String> = units.iter().map(|u| u.code.clone()).collect();
        let mut level: HashMap<EntitlementId, [u8; 32]> = HashMap::new();
        for p in repo::runs_for(conn, &unit_codes, month.prev().as_yyyymm(), true).await? {
            if p.data.catalogue != run.fingerprint() {
                continue;
            }
            level.extend(repo::decode_checks(&p.data.checks));
        }
        let owed: HashMap<EntitlementId, repo::LedgerRow> =
            repo::ledgers_of_units(conn, &versions, m)
                .await?
                .into_iter()
                .map(|l| (l.entitlement_id, l))
                .collect();

        let mut prepared: Vec<(Vec<Entitlement<'static>>, Vec<OneOff>, Vec<EntitlementNote>)> =
            Vec::with_capacity(units.len());
        let mut recompute: Vec<EntitlementId> = Vec::new();
        for (i, (mut entitlements, unreadable)) in read.into_iter().enumerate() {
            let (code, province) = codes[i];
            for e in &mut entitlements {
                if let Some(o) = owed.get(&e.id) {
                    e.ledger.unpaid = serde_json::from_str::<Vec<Unpaid>>(&o.unpaid_json)
                        .map_err(|x| AppError::Internal(x.to_string()))?;
                    e.ledger.unpaid_months =
                        serde_json::from_str::<Vec<Month>>(&o.unpaid_months_json)
                            .map_err(|x| AppError::Internal(x.to_string()))?;
                }
                // Worked out once: here to choose what to read, then by the run.
                let digest = ansinh_payroll::facts_digest(e);
                e.facts = Some(digest);
                match level.get(&e.id) {
                    Some(d) if *d == digest.0 => {
                        e.ledger.reconciled = Some(Reconciled {
                            through: month.prev(),
                            facts: digest,
                            catalogue: run.fingerprint().to_string(),
                        });
                    }
                    _ => recompute.push(e.id),
                }
            }
            let one_offs: Vec<OneOff> = offs[i]
                .iter()
                .map(|o| one_off_of(o, &code, &province))
                .collect::<AppResult<_>>()?;
            prepared.push((entitlements, one_offs, unreadable));
        }
        // Only where something changed: what earlier runs listed, month by month.
        if !recompute.is_empty() {
            let mut listed: HashMap<EntitlementId, Vec<PaidLine>> = HashMap::new();
            for l in repo::lines_of_entitlements(conn, &recompute, from, month.prev().as_yyyymm())
                .await?
            {
                if !matches!(l.kind.as_str(), "arrears" | "recovery")
                    && LineKind::parse(&l.kind).is_none_or(|k| !k.is_monthly())
                {
                    continue;
                }
                let (Some(kind), Some(payee)) =
                    (Section::parse(&l.benefit), named::<PayeeKind>(&l.payee))
                else {
                    continue;
                };
                listed.entry(l.entitlement_id).or_default().push(PaidLine {
                    month: month_of(l.for_month)?,
                    kind,
                    payee,
                    amount: Money(l.amount),
                });
            }
            for (entitlements, _, _) in &mut prepared {
                for e in entitlements.iter_mut() {
                    if let Some(l) = listed.remove(&e.id) {
                        e.ledger.listed = l;
                    }
                }
            }
        }

        let mut out = Vec::with_capacity(units.len());
        for ((entitlements, one_offs, unreadable), (unit, (code, _))) in
            prepared.into_iter().zip(units.iter().zip(codes))
        {
            // A unit at a time, letting the runtime's other tasks in between (the single
            // writer waits on nobody).
            tokio::task::yield_now().await;
            let looked_at = (entitlements.len() + unreadable.len()) as u64;
            let computed: UnitRun = run.compute_unit(&code, &entitlements, &one_offs, worker);
            // Each line is paid to its payee's account (the beneficiary's unless the payee
            // has its own), a one-off item to the one decided with it.
            let by_id: HashMap<EntitlementId, &Entitlement<'_>> =
                entitlements.iter().map(|e| (e.id, e)).collect();
            let one_off_accounts: HashMap<OneOffId, Option<&str>> = one_offs
                .iter()
                .map(|o| (o.id, o.account.as_deref()))
                .collect();
            let lines: Vec<LineWrite> = computed
                .lines
                .iter()
                .map(|l| {
                    let account = match l.key.one_off {
                        Some(o) => one_off_accounts.get(&o).copied().flatten(),
                        None => by_id
                            .get(&l.key.entitlement)
                            .and_then(|e| e.channel_of(l.key.payee).1),
                    };
                    line_write(l, account.map(str::to_string))
                })
                .collect();
            let listed_one_offs: Vec<i64> = computed
                .lines
                .iter()
                .filter_map(|l| l.key.one_off.map(|o| o.0))
                .collect();
            let mut notes = computed.notes.clone();
            notes.extend(unreadable);
            // The rules of the lines kept without their explanation, once each.
            let mut rules: BTreeMap<(&str, &str), &ansinh_payroll::RuleInfo> = BTreeMap::new();
            for (l, w) in computed.lines.iter().zip(&lines) {
                if let (None, Some(b)) = (&w.detail_json, &l.explanation.basis) {
                    rules
                        .entry((&b.rule.policy_version, &b.rule.rule_id))
                        .or_insert(&b.rule);
                }
            }
            let t = &computed.totals;
            let write = RunWrite {
                province_code: unit.province.clone(),
                unit_code: unit.code.clone(),
                unit_id: unit.id,
                month: m,
                catalogue: computed.catalogue.clone(),
                content_hash: computed.digest.to_hex(),
                entitlements: looked_at as i64,
                lines: t.lines as i64,
                payments: t.payments as i64,
                to_pay: t.to_pay.0,
                to_recover: t.to_recover.0,
                net: t.net.0,
                totals_json: serde_json::to_string(t).unwrap_or_default(),
                notes_json: serde_json::to_string(&notes).unwrap_or_default(),
                rules_json: serde_json::to_string(&rules.values().collect::<Vec<_>>())
                    .unwrap_or_default(),
                checks: repo::encode_checks(
                    computed.checked.iter().map(|c| (c.entitlement, c.facts.0)),
                ),
                job_id: job,
                prepared_by: (ctx.actor.user_id.0 > 0).then_some(ctx.actor.user_id),
            };
            out.push((
                repo::UnitRunWrite {
                    run: write,
                    lines,
                    one_offs: listed_one_offs,
                },
                looked_at,
                *unit,
            ));
        }
        Ok(out)
    }

    /// Runs a month for every paying commune of the caller's area (or one), `workers` at a
    /// time; units already run are kept. `progress(done, total)` after each unit.
    ///
    /// Batches of communes are read and computed by `workers` tasks on the runtime's threads.
    /// Where the database takes several writers (PostgreSQL) each task keeps its own batches;
    /// SQLite has a single writer, so one task keeps what the others compute, and the log is
    /// copied into the database file every few batches, beside the writer and by it.
    pub async fn run_payroll(
        &self,
        ctx: &Ctx,
        month: Month,
        only: Option<&str>,
        job: Option<i64>,
        workers: usize,
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> AppResult<RunSummary> {
        self.require_payroll(ctx, Permission::PreparePayroll)?;
        let catalogue: Arc<Catalogue> = self.catalogue();
        // Fails here, before anything is read, when no policy is in force in the month.
        run_context(&catalogue, month)?;
        let mut units = self.paying_units(ctx, month).await?;
        if let Some(code) = only {
            units.retain(|u| u.code == code);
            if units.is_empty() {
                return Err(AppError::field("unit", "unknown-unit"));
            }
        }
        let total = units.len() as u64;
        progress(0, total);
        let writer = repo::RunWriter::for_month(&self.db).await?;
        // SQLite's single writer is driven from a thread of its own. A batch's write is
        // dozens of statements, each handed to SQLite's worker thread and waited for; on the
        // runtime's threads, busy computing the next batches, every wait for the task to be
        // polled again would last as long as a computation, and the only writer would stand
        // idle. (SQLite's connections work from any runtime; PostgreSQL's belong to the one
        // that opened them, and its writes are spread over several connections anyway.)
        let own_thread = if writer.concurrent() {
            WriterThread(None)
        } else {
            WriterThread(Some(
                tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(1)
                    .thread_name("ansinh-payroll-writer")
                    .enable_all()
                    .build()
                    .map_err(|e| AppError::Internal(e.to_string()))?,
            ))
        };
        let writing = &own_thread
            .0
            .as_ref()
            .map_or_else(tokio::runtime::Handle::current, |r| r.handle().clone());
        let queue = Arc::new(std::sync::Mutex::new(units.into_iter()));
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Vec<UnitOutcome>>();
        let mut tasks = tokio::task::JoinSet::new();
        // With a single writer: its queue (a batch or two per computing task, enough to keep
        // it busy, few enough to bound memory).
        let keeper = if writer.concurrent() {
            None
        } else {
            let (ktx, mut krx) = tokio::sync::mpsc::channel::<PreparedUnits>(workers.max(1));
            // Most of the copying of the log into the database file is done beside the writer,
            // by a task on another connection (a checkpoint skipped while one still runs);
            // the writer itself copies the rest (see `RunWriter::checkpoint`).
            let (checkpoint, mut checkpoints) = tokio::sync::mpsc::channel::<()>(1);
            let db = self.db.clone();
            tasks.spawn_on(
                async move {
                    while checkpoints.recv().await.is_some() {
                        repo::checkpoint(&db).await?;
                    }
                    Ok::<(), AppError>(())
                },
                writing,
            );
            let app = self.clone();
            let ctx = ctx.clone();
            let tx = tx.clone();
            let mut writer = writer;
            tasks.spawn_on(
                async move {
                    let mut kept = 0usize;
                    while let Some(prepared) = krx.recv().await {
                        let outcomes = app.keep_units(&ctx, prepared, &mut writer).await?;
                        kept += 1;
                        if kept.is_multiple_of(CHECKPOINT_EVERY) {
                            writer.checkpoint().await?;
                        } else {
                            let _ = checkpoint.try_send(());
                        }
                        let _ = tx.send(outcomes);
                    }
                    writer.close().await?;
                    Ok::<(), AppError>(())
                },
                writing,
            );
            Some(ktx)
        };
        for _ in 0..workers.max(1) {
            let app = self.clone();
            let ctx = ctx.clone();
            let catalogue = catalogue.clone();
            let queue = queue.clone();
            let tx = tx.clone();
            let keeper = keeper.clone();
            tasks.spawn(async move {
                let run = run_context(&catalogue, month)?;
                let mut worker = Worker::new();
                let mut writer = repo::RunWriter::Pool(app.db.clone());
                loop {
                    let next: Vec<PayingUnit> = match queue.lock() {
                        Ok(mut q) => q.by_ref().take(BATCH).collect(),
                        Err(p) => p.into_inner().by_ref().take(BATCH).collect(),
                    };
                    if next.is_empty() {
                        break;
                    }
                    let prepared = app
                        .prepare_units(&ctx, &run, &next, &mut worker, job)
                        .await?;
                    match &keeper {
                        Some(keeper) => keeper
                            .send(prepared)
                            .await
                            .map_err(|_| AppError::Internal(WRITER_STOPPED.into()))?,
                        None => {
                            let outcomes = app.keep_units(&ctx, prepared, &mut writer).await?;
                            let _ = tx.send(outcomes);
                        }
                    }
                }
                Ok::<(), AppError>(())
            });
        }
        drop(tx);
        drop(keeper);
        let mut summary = RunSummary {
            month: month.to_string(),
            units: total,
            ..RunSummary::default()
        };
        let mut done = 0u64;
        while let Some(outcomes) = rx.recv().await {
            for outcome in outcomes {
                done += 1;
                match outcome {
                    UnitOutcome::Computed {
                        lines,
                        entitlements,
                        net,
                        ..
                    } => {
                        summary.computed += 1;
                        summary.lines += lines;
                        summary.entitlements += entitlements;
                        summary.net += net;
                    }
                    UnitOutcome::AlreadyRun { .. } => summary.already_run += 1,
                }
            }
            progress(done, total);
        }
        // The first real failure, not the "writer stopped" it caused in the other tasks.
        let mut failures: Vec<AppError> = Vec::new();
        while let Some(result) = tasks.join_next().await {
            match result {
                Ok(Ok(())) => {}
                Ok(Err(e)) => failures.push(e),
                Err(e) => failures.push(AppError::Internal(e.to_string())),
            }
        }
        let stopped = |e: &AppError| matches!(e, AppError::Internal(m) if m == WRITER_STOPPED);
        let failure = match failures.iter().position(|e| !stopped(e)) {
            Some(i) => Some(failures.swap_remove(i)),
            None => failures.pop(),
        };
        if let Some(e) = failure {
            return Err(e);
        }
        if summary.computed > 0 {
            repo::checkpoint(&self.db).await?;
            repo::refresh_statistics(&self.db).await?;
        }
        Ok(summary)
    }

    /// Next month's or a year's cost of the entitlements in the caller's area, by group, unit
    /// and funding source, from the registry and the catalogue in force (see
    /// `ansinh_payroll::budget` for what is and is not forecast).
    pub async fn budget_estimate(
        &self,
        ctx: &Ctx,
        months: Vec<Month>,
    ) -> AppResult<ansinh_payroll::budget::BudgetEstimate> {
        self.require(ctx, Permission::RegistryRead)?;
        let first = *months
            .first()
            .ok_or_else(|| AppError::field("month", "required"))?;
        let units = self.paying_units(ctx, first).await?;
        let graph = self.graph();
        let day = first.first_day();
        let mut entitlements: Vec<Entitlement<'static>> = Vec::new();
        for batch in units.chunks(BATCH * 4) {
            let versions: Vec<UnitId> = batch
                .iter()
                .flat_map(|u| u.versions.iter().copied())
                .collect();
            let codes: HashMap<UnitId, (UnitCode, UnitCode)> = batch
                .iter()
                .map(|u| Ok((u.id, (unit_code(&u.code)?, unit_code(&u.province)?))))
                .collect::<AppResult<_>>()?;
            repo::payable_entitlements(self.db.conn(), &versions, first.as_yyyymm(), |p| {
                if let Payable::Row(r) = p
                    && let Some((code, province)) = codes.get(&graph.at(r.unit_id, day))
                    && let Ok(e) = entitlement_of(&r, *code, *province)
                {
                    entitlements.push(e);
                }
            })
            .await?;
        }
        let catalogue = self.catalogue();
        ansinh_payroll::budget::estimate(&catalogue, &entitlements, &months).map_err(|p| {
            AppError::Invalid(
                p.into_iter()
                    .map(|p| ansinh_domain::registry::FieldError {
                        field: "month",
                        code: "proposal-problem",
                        detail: Some(p.message),
                    })
                    .collect(),
            )
        })
    }

    /// Runs of a month in the caller's area.
    pub async fn payroll_runs(&self, ctx: &Ctx, month: Month) -> AppResult<Vec<RunRow>> {
        self.require_payroll(ctx, Permission::RegistryRead)?;
        let scope = self.scope(ctx);
        let units = match &scope {
            ansinh_store::scope::Scope::All => None,
            ansinh_store::scope::Scope::Units(u) => Some(u.as_slice()),
        };
        Ok(repo::runs_of_month(self.db.conn(), month.as_yyyymm(), units).await?)
    }
}

/// A stored unit run as the payroll crate knows it: lines with their explanations (the
/// rules from the run's dictionary), payments, totals, notes and what it brought level.
pub fn unit_run_of(row: &RunRow, stored: &[repo::LineRow]) -> AppResult<UnitRun> {
    let bad =
        |what: &str, e: String| AppError::Internal(format!("payroll run {}: {what}: {e}", row.id));
    let rules: Vec<ansinh_payroll::RuleInfo> =
        serde_json::from_str(&row.data.rules_json).map_err(|e| bad("rules", e.to_string()))?;
    let rules: HashMap<(String, String), Arc<ansinh_payroll::RuleInfo>> = rules
        .into_iter()
        .map(|r| ((r.policy_version.clone(), r.rule_id.clone()), Arc::new(r)))
        .collect();
    let mut lines = Vec::with_capacity(stored.len());
    for l in stored {
        let kind = LineKind::parse(&l.kind).ok_or_else(|| bad("kind", l.kind.clone()))?;
        let explanation: ansinh_payroll::Explanation = match &l.detail_json {
            Some(d) => serde_json::from_str(d).map_err(|e| bad("explanation", e.to_string()))?,
            None => ansinh_payroll::Explanation {
                basis: match (&l.policy_version, &l.rule_id) {
                    (Some(v), Some(r)) => {
                        rules
                            .get(&(v.clone(), r.clone()))
                            .map(|rule| ansinh_payroll::Basis {
                                rule: rule.clone(),
                                coefficient: l.coefficient.map(i64::from),
                                multiplier: u32::try_from(l.multiplier).unwrap_or(1),
                                base: Money(l.base.unwrap_or_default()),
                                amount: Money(l.amount),
                            })
                    }
                    _ => None,
                },
                ..Default::default()
            },
        };
        lines.push(PayrollLine {
            key: ansinh_payroll::LineKey {
                entitlement: l.entitlement_id,
                beneficiary: l.beneficiary_id,
                month: month_of(l.month)?,
                kind,
                for_month: month_of(l.for_month)?,
                benefit: Section::parse(&l.benefit)
                    .ok_or_else(|| bad("benefit", l.benefit.clone()))?,
                payee: named::<PayeeKind>(&l.payee).ok_or_else(|| bad("payee", l.payee.clone()))?,
                one_off: (l.one_off_id > 0).then_some(OneOffId(l.one_off_id)),
            },
            channel: named::<PaymentChannel>(&l.channel)
                .ok_or_else(|| bad("channel", l.channel.clone()))?,
            amount: Money(l.amount),
            reason: named::<ansinh_payroll::Reason>(&l.reason)
                .ok_or_else(|| bad("reason", l.reason.clone()))?,
            explanation,
        });
    }
    lines.sort_by(|a, b| {
        (
            a.key.entitlement,
            a.key.payee,
            a.key.kind,
            a.key.for_month,
            a.key.benefit,
            a.key.one_off,
        )
            .cmp(&(
                b.key.entitlement,
                b.key.payee,
                b.key.kind,
                b.key.for_month,
                b.key.benefit,
                b.key.one_off,
            ))
    });
    let payments = ansinh_payroll::payments(&lines);
    let totals = ansinh_payroll::Totals::of(&payments);
    let notes: Vec<EntitlementNote> =
        serde_json::from_str(&row.data.notes_json).map_err(|e| bad("notes", e.to_string()))?;
    let mut digest = [0u8; 32];
    hex::decode_to_slice(&row.data.content_hash, &mut digest)
        .map_err(|e| bad("content hash", e.to_string()))?;
    Ok(UnitRun {
        month: month_of(row.data.month)?,
        unit: unit_code(&row.data.unit_code)?,
        province: Some(unit_code(&row.data.province_code)?),
        catalogue: row.data.catalogue.clone(),
        lines,
        payments,
        checked: repo::decode_checks(&row.data.checks)
            .into_iter()
            .map(|(entitlement, facts)| ansinh_payroll::Checked {
                entitlement,
                // Not stored: nothing downstream reads it from a stored run.
                beneficiary: PersonId(0),
                facts: ansinh_payroll::Digest(facts),
                arrears_recomputed: false,
            })
            .collect(),
        notes,
        totals,
        digest: ansinh_payroll::Digest(digest),
    })
}

/// Per beneficiary, the sum of a month's stored lines (for checks and tests).
pub async fn totals_by_beneficiary(app: &App, month: Month) -> AppResult<BTreeMap<PersonId, i64>> {
    use sea_orm::ConnectionTrait;
    let conn = app.db.conn();
    let rows = conn
        .query_all_raw(ansinh_store::db::stmt(
            conn.get_database_backend(),
            "SELECT beneficiary_id, CAST(SUM(amount) AS BIGINT) AS total FROM payroll_lines \
             WHERE month = $1 GROUP BY beneficiary_id",
            [month.as_yyyymm().into()],
        ))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let mut out = BTreeMap::new();
    for r in rows {
        let id: i64 = r
            .try_get("", "beneficiary_id")
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let total: i64 = r
            .try_get("", "total")
            .map_err(|e| AppError::Internal(e.to_string()))?;
        out.insert(PersonId(id), total);
    }
    Ok(out)
}
