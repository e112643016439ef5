//! A kept run's life: checked by someone other than who prepared it, sent to the paying
//! organisation (lists in XLSX and CSV), its results imported (bad rows reported, good rows
//! kept, what was not received carried to next month), reconciled with the funds
//! transferred, and closed. Also the month-over-month difference and the budget estimate.

use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

use ansinh_domain::Month;
use ansinh_domain::access::Permission;
use ansinh_domain::ids::{EntitlementId, PersonId};
use ansinh_domain::person::PaymentChannel;
use ansinh_payroll::export::{self, ExportOptions, IdDisplay, Recipient};
use ansinh_payroll::reconcile::{Reconciliation, Transfer};
use ansinh_payroll::results::{self, BadRow, ImportReport, SuspensionFlag};
use ansinh_payroll::{Ledger, RunDiff, UnitRun, Unpaid};
use ansinh_store::payroll::{self as repo, LedgerRow, ResultWrite, RunRow, TransferRow};
use ansinh_store::registry as people;

use crate::App;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::payroll::unit_run_of;

/// File formats of payment lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFormat {
    Xlsx,
    Csv,
}

/// What a results import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ResultsOutcome {
    pub accepted: usize,
    pub paid: usize,
    pub unpaid: usize,
    pub returned: usize,
    /// Rows refused, with their row number and reasons (the good rows are kept).
    pub bad: Vec<BadRow>,
    /// Payments the file says nothing about.
    pub missing: usize,
    /// Three consecutive months not received: proposals to suspend.
    pub suspensions: Vec<SuspensionFlag>,
}

fn to_transfer(t: &TransferRow) -> AppResult<Transfer> {
    Ok(Transfer {
        unit: ansinh_domain::UnitCode::parse(&t.unit_code)
            .map_err(|e| AppError::Internal(e.to_string()))?,
        channel: serde_json::from_value(serde_json::Value::String(t.channel.clone()))
            .map_err(|e| AppError::Internal(e.to_string()))?,
        amount: ansinh_domain::Money(t.amount),
    })
}

impl App {
    /// A run in the caller's area, with its lines as the payroll crate knows them.
    pub async fn payroll_run(&self, ctx: &Ctx, id: i64) -> AppResult<(RunRow, UnitRun)> {
        self.require(ctx, Permission::RegistryRead)?;
        let row = repo::get_run(self.db.conn(), id)
            .await?
            .filter(|r| self.scope(ctx).includes(r.data.unit_id))
            .ok_or(AppError::NotFound)?;
        let lines = repo::lines_of_run(self.db.conn(), id).await?;
        let run = unit_run_of(&row, &lines)?;
        Ok((row, run))
    }

    async fn move_run(
        &self,
        ctx: &Ctx,
        id: i64,
        version: i32,
        from: &str,
        to: &str,
        permission: Permission,
    ) -> AppResult<RunRow> {
        self.require(ctx, permission)?;
        let row = repo::get_run(self.db.conn(), id)
            .await?
            .filter(|r| self.scope(ctx).includes(r.data.unit_id))
            .ok_or(AppError::NotFound)?;
        if row.version != version {
            return Err(AppError::Stale);
        }
        if row.status != from {
            return Err(AppError::Rule("payroll-wrong-status"));
        }
        // Maker-checker: whoever prepared the run cannot check it.
        if to == "checked" && row.data.prepared_by == Some(ctx.actor.user_id) {
            return Err(AppError::Rule("payroll-own-run"));
        }
        let txn = self.db.begin().await?;
        repo::set_status(
            &txn,
            id,
            version,
            from,
            to,
            Some(ctx.actor.user_id),
            ctx.now,
        )
        .await?;
        let mut entry = self.entry(
            ctx,
            row.data.province_code.clone(),
            &format!("payroll.{to}"),
            "payroll_run",
            id,
        );
        entry.before = Some(serde_json::json!({"status": from}));
        entry.after = Some(
            serde_json::json!({"status": to, "unit": row.data.unit_code, "month": row.data.month}),
        );
        ansinh_store::audit::append(&txn, entry).await?;
        txn.commit().await?;
        Ok(row)
    }

    /// draft → checked, by someone other than who prepared it.
    pub async fn check_payroll_run(&self, ctx: &Ctx, id: i64, version: i32) -> AppResult<()> {
        self.move_run(
            ctx,
            id,
            version,
            "draft",
            "checked",
            Permission::CheckPayroll,
        )
        .await
        .map(|_| ())
    }

    /// checked → sent to the paying organisation.
    pub async fn send_payroll_run(&self, ctx: &Ctx, id: i64, version: i32) -> AppResult<()> {
        self.move_run(
            ctx,
            id,
            version,
            "checked",
            "sent",
            Permission::PreparePayroll,
        )
        .await
        .map(|_| ())
    }

    /// results → closed.
    pub async fn close_payroll_run(&self, ctx: &Ctx, id: i64, version: i32) -> AppResult<()> {
        self.move_run(
            ctx,
            id,
            version,
            "results",
            "closed",
            Permission::CheckPayroll,
        )
        .await
        .map(|_| ())
    }

    /// Deletes a draft so that the month can be computed again (after a correction).
    pub async fn discard_payroll_run(&self, ctx: &Ctx, id: i64, version: i32) -> AppResult<()> {
        self.require(ctx, Permission::PreparePayroll)?;
        let row = repo::get_run(self.db.conn(), id)
            .await?
            .filter(|r| self.scope(ctx).includes(r.data.unit_id))
            .ok_or(AppError::NotFound)?;
        if row.status != "draft" {
            return Err(AppError::Rule("payroll-wrong-status"));
        }
        let txn = self.db.begin().await?;
        repo::delete_draft(&txn, id, version).await?;
        let mut entry = self.entry(
            ctx,
            row.data.province_code.clone(),
            "payroll.discard",
            "payroll_run",
            id,
        );
        entry.before = Some(serde_json::json!({
            "unit": row.data.unit_code, "month": row.data.month, "lines": row.data.lines,
            "net": row.data.net, "content_hash": row.data.content_hash,
        }));
        ansinh_store::audit::append(&txn, entry).await?;
        txn.commit().await?;
        Ok(())
    }

    /// The payment list of a run for the paying organisation. Identity numbers are masked
    /// unless `full_ids` (officers who may reveal them; the export is audited then).
    pub async fn export_payroll_run(
        &self,
        ctx: &Ctx,
        id: i64,
        format: ListFormat,
        channel: Option<PaymentChannel>,
        full_ids: bool,
    ) -> AppResult<(String, &'static str, Vec<u8>)> {
        let (row, run) = self.payroll_run(ctx, id).await?;
        if full_ids {
            self.require(ctx, Permission::RevealSensitive)?;
        }
        let ids: Vec<PersonId> = run.payments.iter().map(|p| p.beneficiary).collect();
        let persons: HashMap<PersonId, ansinh_domain::registry::Person> =
            people::persons_by_ids(self.db.conn(), &ids, &ansinh_store::scope::Scope::All)
                .await?
                .into_iter()
                .map(|p| (p.id, p))
                .collect();
        let graph = self.graph();
        let unit_name = graph
            .get(row.data.unit_id)
            .map(|u| u.name.clone())
            .unwrap_or_default();
        let accounts: HashMap<(EntitlementId, &str), Option<String>> =
            repo::lines_of_run(self.db.conn(), id)
                .await?
                .into_iter()
                .map(|l| {
                    (
                        (
                            l.entitlement_id,
                            if l.payee == "self" { "self" } else { "other" },
                        ),
                        l.account,
                    )
                })
                .collect();
        let sheet = export::sheet(
            &run,
            |p| {
                let person = persons.get(&p.beneficiary);
                Recipient {
                    name: person.map(|x| x.data.full_name.clone()).unwrap_or_default(),
                    id_number: person.and_then(|x| {
                        x.data
                            .cccd
                            .as_ref()
                            .map(|c| c.as_str().to_string())
                            .or(x.data.birth_cert_no.clone())
                    }),
                    commune: person
                        .map(|x| {
                            graph
                                .get(graph.at(x.data.unit_id, run.month.first_day()))
                                .map(|u| u.name.clone())
                                .unwrap_or_default()
                        })
                        .unwrap_or_default(),
                    hamlet: person.map(|x| x.data.hamlet.clone()).unwrap_or_default(),
                    account: accounts
                        .get(&(
                            p.key.entitlement,
                            if p.key.payee.as_str() == "self" {
                                "self"
                            } else {
                                "other"
                            },
                        ))
                        .cloned()
                        .flatten(),
                }
            },
            &ExportOptions {
                id: if full_ids {
                    IdDisplay::Full
                } else {
                    IdDisplay::Masked
                },
                channel,
                unit_name,
            },
        );
        let (bytes, extension, mime) = match format {
            ListFormat::Xlsx => (
                export::to_xlsx(&sheet).map_err(|e| AppError::Internal(e.to_string()))?,
                "xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            ListFormat::Csv => (
                export::to_csv(&sheet).map_err(|e| AppError::Internal(e.to_string()))?,
                "csv",
                "text/csv; charset=utf-8",
            ),
        };
        let mut entry = self.entry(
            ctx,
            row.data.province_code.clone(),
            "payroll.export",
            "payroll_run",
            id,
        );
        entry.after = Some(serde_json::json!({
            "format": extension, "channel": channel.map(|c| c.as_str()), "full_ids": full_ids,
            "rows": sheet.rows.len(),
        }));
        let txn = self.db.begin().await?;
        ansinh_store::audit::append(&txn, entry).await?;
        txn.commit().await?;
        let suffix = channel
            .map(|c| format!("-{}", c.as_str()))
            .unwrap_or_default();
        Ok((
            format!(
                "chi-tra-{}-{}{suffix}.{extension}",
                row.data.unit_code, run.month
            ),
            mime,
            bytes,
        ))
    }

    /// Imports the paying organisation's results for a sent run: every row checked, bad rows
    /// listed and the good ones kept; the ledgers of next month made from them (amounts not
    /// received are carried, three months without receipt proposes a suspension).
    pub async fn import_payroll_results(
        &self,
        ctx: &Ctx,
        id: i64,
        version: i32,
        file_name: &str,
        bytes: &[u8],
    ) -> AppResult<ResultsOutcome> {
        self.require(ctx, Permission::PreparePayroll)?;
        let (row, run) = self.payroll_run(ctx, id).await?;
        if row.version != version {
            return Err(AppError::Stale);
        }
        if row.status != "sent" {
            return Err(AppError::Rule("payroll-wrong-status"));
        }
        let is_xlsx = file_name.to_lowercase().ends_with(".xlsx") || bytes.starts_with(b"PK");
        let report: ImportReport = if is_xlsx {
            results::import_xlsx(bytes, &run.payments)
        } else {
            results::import_csv(bytes, &run.payments)
        }
        .map_err(|e| {
            AppError::Invalid(vec![ansinh_domain::registry::FieldError {
                field: "file",
                code: "results-unreadable",
                detail: Some(e.to_string()),
            }])
        })?;
        let month = run.month;
        let m = month.as_yyyymm();
        // The ledgers the run read, then the ones next month's run will read.
        let ids: Vec<EntitlementId> = run
            .lines
            .iter()
            .map(|l| l.key.entitlement)
            .chain(run.checked.iter().map(|c| c.entitlement))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let before: HashMap<EntitlementId, Ledger> = repo::ledgers(self.db.conn(), &ids, m)
            .await?
            .into_iter()
            .map(|l| {
                let ledger = Ledger {
                    unpaid: serde_json::from_str::<Vec<Unpaid>>(&l.unpaid_json).unwrap_or_default(),
                    unpaid_months: serde_json::from_str::<Vec<Month>>(&l.unpaid_months_json)
                        .unwrap_or_default(),
                    ..Ledger::default()
                };
                (l.entitlement_id, ledger)
            })
            .collect();
        let settlements = ansinh_payroll::settle_unit(&run, |e| before.get(&e), &report);
        let next = month.plus(1).as_yyyymm();
        let ledgers: Vec<LedgerRow> = settlements
            .iter()
            .filter(|s| {
                !s.ledger.unpaid.is_empty()
                    || !s.ledger.unpaid_months.is_empty()
                    || before.contains_key(&s.entitlement)
            })
            .map(|s| LedgerRow {
                entitlement_id: s.entitlement,
                as_of: next,
                unpaid_json: serde_json::to_string(&s.ledger.unpaid).unwrap_or_default(),
                unpaid_months_json: serde_json::to_string(&s.ledger.unpaid_months)
                    .unwrap_or_default(),
            })
            .collect();
        let totals: HashMap<ansinh_payroll::PaymentKey, i64> =
            run.payments.iter().map(|p| (p.key, p.total.0)).collect();
        let accepted: Vec<ResultWrite> = report
            .accepted
            .iter()
            .map(|r| ResultWrite {
                entitlement_id: r.key.entitlement,
                payee: r.key.payee.as_str().to_string(),
                outcome: r.outcome.as_str().to_string(),
                total: totals.get(&r.key).copied().unwrap_or_default(),
                row_number: i32::try_from(r.row).unwrap_or(i32::MAX),
            })
            .collect();
        let mut outcome = ResultsOutcome {
            accepted: accepted.len(),
            bad: report.bad.clone(),
            missing: report.missing.len(),
            suspensions: settlements
                .iter()
                .filter_map(|s| s.suspension.clone())
                .collect(),
            ..ResultsOutcome::default()
        };
        for r in &accepted {
            match r.outcome.as_str() {
                "paid" => outcome.paid += 1,
                "returned" => outcome.returned += 1,
                _ => outcome.unpaid += 1,
            }
        }
        let txn = self.db.begin().await?;
        repo::insert_results(&txn, id, m, &accepted, Some(ctx.actor.user_id), ctx.now).await?;
        repo::put_ledgers(&txn, &ledgers).await?;
        repo::set_status(
            &txn,
            id,
            version,
            "sent",
            "results",
            Some(ctx.actor.user_id),
            ctx.now,
        )
        .await?;
        let mut entry = self.entry(
            ctx,
            row.data.province_code.clone(),
            "payroll.results",
            "payroll_run",
            id,
        );
        entry.after = Some(serde_json::json!({
            "file": file_name, "accepted": outcome.accepted, "paid": outcome.paid,
            "unpaid": outcome.unpaid, "returned": outcome.returned, "bad_rows": outcome.bad.len(),
            "missing": outcome.missing, "suspension_proposals": outcome.suspensions.len(),
        }));
        ansinh_store::audit::append(&txn, entry).await?;
        txn.commit().await?;
        Ok(outcome)
    }

    /// Who entered, left or changed amount since the unit's previous month, and why.
    pub async fn payroll_diff(&self, ctx: &Ctx, id: i64) -> AppResult<RunDiff> {
        let (row, run) = self.payroll_run(ctx, id).await?;
        let previous = repo::run_for(
            self.db.conn(),
            &row.data.unit_code,
            run.month.prev().as_yyyymm(),
        )
        .await?;
        let before: Vec<ansinh_payroll::PayrollLine> = match previous {
            Some(p) => {
                let lines = repo::lines_of_run(self.db.conn(), p.id).await?;
                unit_run_of(&p, &lines)?.lines
            }
            None => Vec::new(),
        };
        Ok(ansinh_payroll::diff(&before, &run.lines, &run.notes))
    }

    /// Records funds transferred to a paying organisation for a commune, month and channel.
    pub async fn record_payroll_transfer(
        &self,
        ctx: &Ctx,
        unit_code: &str,
        month: Month,
        channel: PaymentChannel,
        amount: i64,
        reference: &str,
    ) -> AppResult<i64> {
        self.require(ctx, Permission::CheckPayroll)?;
        if amount <= 0 {
            return Err(AppError::field("amount", "must-be-positive"));
        }
        let run = repo::run_for(self.db.conn(), unit_code, month.as_yyyymm())
            .await?
            .filter(|r| self.scope(ctx).includes(r.data.unit_id))
            .ok_or(AppError::NotFound)?;
        let t = TransferRow {
            id: 0,
            province_code: run.data.province_code.clone(),
            unit_code: unit_code.to_string(),
            month: month.as_yyyymm(),
            channel: channel.as_str().to_string(),
            amount,
            reference: reference.trim().to_string(),
        };
        let txn = self.db.begin().await?;
        let id = repo::insert_transfer(&txn, &t, Some(ctx.actor.user_id), ctx.now).await?;
        let mut entry = self.entry(
            ctx,
            t.province_code.clone(),
            "payroll.transfer",
            "payroll_transfer",
            id,
        );
        entry.after = Some(serde_json::to_value(&t).unwrap_or_default());
        ansinh_store::audit::append(&txn, entry).await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Lists, results and transfers of a month per commune and channel in the caller's area.
    pub async fn payroll_reconciliation(
        &self,
        ctx: &Ctx,
        month: Month,
    ) -> AppResult<Reconciliation> {
        let rows = self.payroll_runs(ctx, month).await?;
        let mut runs = Vec::with_capacity(rows.len());
        let mut report = ImportReport::default();
        for r in &rows {
            let (row, run) = self.payroll_run(ctx, r.id).await?;
            let keys: BTreeMap<(EntitlementId, String), ansinh_payroll::PaymentKey> = run
                .payments
                .iter()
                .map(|p| ((p.key.entitlement, p.key.payee.as_str().to_string()), p.key))
                .collect();
            for res in repo::results_of_run(self.db.conn(), row.id).await? {
                if let (Some(key), Some(outcome)) = (
                    keys.get(&(res.entitlement_id, res.payee.clone())),
                    results::Outcome::parse(&res.outcome),
                ) {
                    report.accepted.push(results::ResultRow {
                        row: u32::try_from(res.row_number).unwrap_or_default(),
                        key: *key,
                        outcome,
                    });
                }
            }
            runs.push(run);
        }
        let codes: Vec<String> = rows.iter().map(|r| r.data.unit_code.clone()).collect();
        let transfers: Vec<Transfer> = repo::transfers(self.db.conn(), month.as_yyyymm(), &codes)
            .await?
            .iter()
            .map(to_transfer)
            .collect::<AppResult<_>>()?;
        Ok(ansinh_payroll::reconcile::reconcile(
            &runs, &report, &transfers,
        ))
    }
}
