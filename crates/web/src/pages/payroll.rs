//! Payroll pages: a month's runs per commune and the background job that computes them; one
//! run with its payments, their explanations, the notes and the month-over-month difference,
//! and the actions its status allows (check, send, results, close, discard, lists); the
//! reconciliation with the funds transferred; the budget estimate.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use ansinh_app::payroll_cycle::{ListFormat, ResultsOutcome};
use ansinh_app::{AppError, Ctx};
use ansinh_domain::Month;
use ansinh_domain::access::Permission;
use ansinh_domain::ids::{PersonId, UserId};
use ansinh_domain::money::Money;
use ansinh_domain::person::PaymentChannel;
use ansinh_domain::registry::FieldError;
use ansinh_payroll::budget;
use ansinh_payroll::results::BadReason;
use ansinh_payroll::{DiffEntry, DiffReason, LineKind, Note};
use ansinh_store::payroll::RunRow;
use ansinh_store::scope::Scope;

use crate::error::{WebError, WebResult};
use crate::extract::{FormBody, IdPath, Identity, QueryParams};
use crate::i18n::Tr;
use crate::pages::{FormState, Layout, count, page_ctx, render, render_status, time_vi};
use crate::state::AppState;

/// Largest results file accepted (a commune's list is a few hundred rows; XLSX is zipped).
pub const MAX_RESULTS_BYTES: usize = 10 * 1024 * 1024;

/// Payments shown per page of a run.
const PAGE_SIZE: usize = 200;

/// People listed per group of the month-over-month difference.
const DIFF_CAP: usize = 200;

fn money(amount: i64) -> String {
    Money(amount).display_vi()
}

fn bad_month(text: &str) -> WebError {
    WebError::BadRequest {
        status: StatusCode::BAD_REQUEST,
        code: "bad-month",
        detail: text.chars().take(40).collect(),
    }
}

/// The month of a query (`YYYY-MM`); the current month of the request's clock when empty.
fn month_param(text: &str, ctx: &Ctx) -> WebResult<Month> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Month::of(ctx.today()));
    }
    text.parse::<Month>().map_err(|_| bad_month(text))
}

fn status_label(tr: &Tr, status: &str) -> String {
    tr.t(&format!("payroll-status-{status}"))
}

fn channel_label(tr: &Tr, channel: PaymentChannel) -> String {
    tr.t(&format!("channel-{}", channel.as_str()))
}

fn kind_label(tr: &Tr, kind: LineKind) -> String {
    tr.t(&format!("payroll-kind-{}", kind.as_str()))
}

/// Names of people (for display only: the run itself was read within the caller's area).
async fn names(
    state: &AppState,
    ids: impl IntoIterator<Item = PersonId>,
) -> WebResult<HashMap<PersonId, String>> {
    let ids: Vec<PersonId> = ids
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(
        ansinh_store::registry::persons_by_ids(state.app.db.conn(), &ids, &Scope::All)
            .await?
            .into_iter()
            .map(|p| (p.id, p.data.full_name))
            .collect(),
    )
}

async fn user_name(state: &AppState, id: Option<UserId>) -> String {
    let Some(id) = id else {
        return String::new();
    };
    ansinh_store::accounts::get_user(state.app.db.conn(), id)
        .await
        .ok()
        .flatten()
        .map(|u| u.full_name)
        .unwrap_or_else(|| format!("#{}", id.0))
}

/// Field errors of a refused action as one line, for the error page.
fn refused(tr: &Tr, code: &'static str, errors: &[FieldError]) -> WebError {
    WebError::BadRequest {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code,
        detail: errors
            .iter()
            .map(|e| match &e.detail {
                Some(d) => format!("{} ({d})", tr.field(e.code)),
                None => tr.field(e.code),
            })
            .collect::<Vec<_>>()
            .join(" "),
    }
}

// ---------------------------------------------------------------------------------------
// The month: runs per commune and jobs.

/// A run in the month's table.
#[derive(Debug)]
pub struct RunLine {
    pub id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub status: String,
    pub status_label: String,
    pub entitlements: String,
    pub payments: String,
    pub lines: String,
    pub to_pay: String,
    pub to_recover: String,
    pub net: String,
}

/// A payroll job with its progress.
#[derive(Debug)]
pub struct JobLine {
    pub id: i64,
    pub month: String,
    pub status: String,
    pub status_label: String,
    pub done: i64,
    pub total: i64,
    pub message: String,
    pub error: String,
    pub created: String,
    pub finished: String,
    pub summary: String,
}

#[derive(Template)]
#[template(path = "payroll.html")]
struct PayrollPage {
    layout: Layout,
    month: String,
    month_vi: String,
    months: Vec<(String, String)>,
    may_prepare: bool,
    jobs: Vec<JobLine>,
    running: bool,
    runs: Vec<RunLine>,
    /// Entitlements, payments, lines, to pay, to recover, net.
    totals: Vec<String>,
    not_run: Vec<(String, String)>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct MonthQuery {
    month: String,
    done: Option<String>,
}

/// A failed job's error, kept as codes (`invalid-input month/unknown-policy …`), in words.
fn job_error(tr: &Tr, kept: &str) -> String {
    let mut parts = kept.split(' ');
    let mut text = tr.error(parts.next().unwrap_or("internal"));
    let details: Vec<String> = parts
        .filter_map(|p| p.split_once('/'))
        .map(|(_, code)| tr.field(code))
        .collect();
    if !details.is_empty() {
        text = format!("{text} {}", details.join("; "));
    }
    text
}

fn job_line(tr: &Tr, job: &ansinh_store::jobs::Job) -> JobLine {
    let month = job.params["month"]
        .as_str()
        .and_then(|m| m.parse::<Month>().ok())
        .map(|m| m.display_vi())
        .unwrap_or_default();
    let summary = job
        .result
        .as_ref()
        .map(|r| {
            let n = |k: &str| r[k].as_i64().unwrap_or_default();
            tr.ta(
                "payroll-job-summary",
                &[
                    ("units", count(n("units"))),
                    ("computed", count(n("computed"))),
                    ("kept", count(n("already_run"))),
                    ("net", money(n("net"))),
                ],
            )
        })
        .unwrap_or_default();
    let status = job.status.as_str().to_string();
    JobLine {
        id: job.id,
        month,
        status_label: tr.t(&format!("job-status-{status}")),
        status,
        done: job.progress_done,
        total: job.progress_total,
        message: job.message.clone(),
        error: job
            .error
            .as_deref()
            .map(|e| job_error(tr, e))
            .unwrap_or_default(),
        created: time_vi(job.created_at),
        finished: job.finished_at.map(time_vi).unwrap_or_default(),
        summary,
    }
}

pub async fn index(
    State(state): State<AppState>,
    identity: Identity,
    QueryParams(q): QueryParams<MonthQuery>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/payroll")?;
    let month = month_param(&q.month, &ctx)?;
    let layout = Layout::new(
        &state,
        &identity,
        "payroll",
        "payroll-title",
        &format!("/payroll?month={month}"),
    )
    .with_notice(q.done.as_deref());
    let tr = layout.tr.clone();
    let rows = state.app.payroll_runs(&ctx, month).await?;
    let units = state.app.paying_units(&ctx, month).await?;
    let jobs: Vec<JobLine> = state
        .app
        .recent_jobs(&ctx)
        .await?
        .iter()
        .filter(|j| j.kind == ansinh_app::jobs::PAYROLL)
        .map(|j| job_line(&tr, j))
        .collect();
    let mut months: Vec<(String, String)> = ansinh_store::payroll::run_months(state.app.db.conn())
        .await?
        .into_iter()
        .filter_map(|m| Month::from_yyyymm(m).ok())
        .filter(|m| *m != month)
        .take(12)
        .map(|m| (m.to_string(), m.display_vi()))
        .collect();
    months.sort_by(|a, b| b.0.cmp(&a.0));
    let graph = state.app.graph();
    let mut sums = [0i64; 6];
    let runs: Vec<RunLine> = rows
        .iter()
        .map(|r| {
            let d = &r.data;
            for (s, v) in sums.iter_mut().zip([
                d.entitlements,
                d.payments,
                d.lines,
                d.to_pay,
                d.to_recover,
                d.net,
            ]) {
                *s += v;
            }
            RunLine {
                id: r.id,
                unit_code: d.unit_code.clone(),
                unit_name: graph
                    .get(d.unit_id)
                    .map(|u| u.name.clone())
                    .unwrap_or_default(),
                status: r.status.clone(),
                status_label: status_label(&tr, &r.status),
                entitlements: count(d.entitlements),
                payments: count(d.payments),
                lines: count(d.lines),
                to_pay: money(d.to_pay),
                to_recover: money(d.to_recover),
                net: money(d.net),
            }
        })
        .collect();
    let done: BTreeSet<&str> = rows.iter().map(|r| r.data.unit_code.as_str()).collect();
    let not_run = units
        .iter()
        .filter(|u| !done.contains(u.code.as_str()))
        .map(|u| (u.code.clone(), u.name.clone()))
        .collect();
    let [e, p, l, pay, rec, net] = sums;
    render(&PayrollPage {
        month: month.to_string(),
        month_vi: month.display_vi(),
        months,
        may_prepare: ctx.actor.role.can(Permission::PreparePayroll),
        running: jobs
            .iter()
            .any(|j| j.status == "queued" || j.status == "running"),
        jobs,
        runs,
        totals: vec![
            count(e),
            count(p),
            count(l),
            money(pay),
            money(rec),
            money(net),
        ],
        not_run,
        layout,
    })
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct StartForm {
    month: String,
}

/// Queues the month's payroll for the caller's area; the server's worker runs it.
pub async fn start(
    State(state): State<AppState>,
    identity: Identity,
    FormBody(form): FormBody<StartForm>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/payroll")?;
    let month = form
        .month
        .trim()
        .parse::<Month>()
        .map_err(|_| bad_month(&form.month))?;
    state.app.start_payroll_job(&ctx, month).await?;
    Ok(Redirect::to(&format!("/payroll?month={month}&done=payroll-job-started")).into_response())
}

// ---------------------------------------------------------------------------------------
// One run.

/// Totals of one channel (or of the run).
#[derive(Debug)]
pub struct ChannelLine {
    pub channel: String,
    pub payments: String,
    pub lines: String,
    pub monthly: String,
    pub arrears: String,
    pub carried: String,
    pub one_off: String,
    pub to_pay: String,
    pub to_recover: String,
    pub net: String,
}

/// A row of the payment list with its lines explained.
#[derive(Debug)]
pub struct PaymentView {
    pub no: usize,
    pub key: String,
    pub person_id: i64,
    pub name: String,
    pub channel: String,
    pub monthly: String,
    pub arrears: String,
    pub carried: String,
    pub one_off: String,
    pub total: String,
    pub recover: bool,
    pub sentences: Vec<String>,
}

/// A note about one entitlement.
#[derive(Debug)]
pub struct NoteView {
    pub person_id: i64,
    pub name: String,
    pub text: String,
    pub warn: bool,
}

/// A person who entered, left or changed amount.
#[derive(Debug)]
pub struct DiffLine {
    pub person_id: i64,
    pub name: String,
    pub previous: String,
    pub current: String,
    pub reasons: Vec<String>,
}

#[derive(Debug, Default)]
pub struct DiffView {
    pub entered: Vec<DiffLine>,
    pub left: Vec<DiffLine>,
    pub changed: Vec<DiffLine>,
    /// Entered, left, changed: how many in all (the lists are capped).
    pub counts: (usize, usize, usize),
    pub previous_total: String,
    pub current_total: String,
}

impl DiffView {
    pub fn is_empty(&self) -> bool {
        self.counts == (0, 0, 0)
    }

    pub fn capped(&self) -> bool {
        self.counts.0 > self.entered.len()
            || self.counts.1 > self.left.len()
            || self.counts.2 > self.changed.len()
    }
}

/// What a results import did, as shown after the upload.
#[derive(Debug)]
pub struct OutcomeView {
    pub accepted: usize,
    pub paid: usize,
    pub unpaid: usize,
    pub returned: usize,
    pub missing: usize,
    /// Row number, key as written, reasons.
    pub bad: Vec<(u32, String, String)>,
    /// Person, months, citation.
    pub suspensions: Vec<(i64, String, String, String)>,
}

#[derive(Template)]
#[template(path = "payroll_run.html")]
struct RunPage {
    layout: Layout,
    r: RunRow,
    unit_name: String,
    month: String,
    month_vi: String,
    status_label: String,
    prepared_by: String,
    checked_by: String,
    created: String,
    checked_at: String,
    sent_at: String,
    results_at: String,
    closed_at: String,
    channels: Vec<ChannelLine>,
    total: ChannelLine,
    payments: Vec<PaymentView>,
    payment_count: usize,
    shown: (usize, usize),
    prev_link: Option<String>,
    next_link: Option<String>,
    notes: Vec<NoteView>,
    diff: DiffView,
    may_check: bool,
    own_run: bool,
    may_discard: bool,
    may_send: bool,
    may_import: bool,
    may_close: bool,
    may_full_ids: bool,
    has_cash: bool,
    outcome: Option<OutcomeView>,
}

fn note_text(tr: &Tr, note: &Note) -> (String, bool) {
    let m = |m: &Month| m.display_vi();
    match note {
        Note::Suspended => (tr.t("payroll-note-suspended"), false),
        Note::Terminated => (tr.t("payroll-note-terminated"), false),
        Note::NotStarted { since } => (tr.t1("payroll-note-not-started", "month", m(since)), false),
        Note::MovedOut { until } => (tr.t1("payroll-note-moved-out", "month", m(until)), false),
        Note::Died { month } => (tr.t1("payroll-note-died", "month", m(month)), true),
        Note::EligibilityLost { month } => (
            tr.t1("payroll-note-eligibility-lost", "month", m(month)),
            false,
        ),
        Note::NothingDue => (tr.t("payroll-note-nothing-due"), false),
        Note::FuneralDue {
            death_month,
            amount,
            rule_id,
        } => (
            tr.ta(
                "payroll-note-funeral-due",
                &[
                    ("month", m(death_month)),
                    ("amount", amount.display_vi()),
                    ("rule", rule_id.clone()),
                ],
            ),
            true,
        ),
        Note::Problems { problems } => (
            format!(
                "{} {}",
                tr.t("payroll-note-problems"),
                problems
                    .iter()
                    .map(|p| format!("{} ({})", p.code, p.path))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            true,
        ),
        Note::DuplicateEntitlement => (tr.t("payroll-note-duplicate"), true),
        Note::DuplicateOneOff { one_off } => (
            tr.t1("payroll-note-duplicate-one-off", "id", one_off.0),
            true,
        ),
        Note::WrongUnit { unit } => (tr.t1("payroll-note-wrong-unit", "unit", unit), true),
        Note::NoDecision => (tr.t("payroll-note-no-decision"), true),
    }
}

fn coefficient(c: Option<i64>) -> String {
    match c {
        Some(c) if c % 100 == 0 => (c / 100).to_string(),
        Some(c) => format!("{},{:02}", c / 100, c % 100)
            .trim_end_matches('0')
            .to_string(),
        None => "—".into(),
    }
}

fn diff_reason(tr: &Tr, r: &DiffReason) -> String {
    let m = |m: &Month| m.display_vi();
    let opt = |s: &Option<String>| s.clone().unwrap_or_else(|| "—".into());
    match r {
        DiffReason::DecisionStart { benefit } => tr.t1(
            "payroll-diff-decision-start",
            "benefit",
            kind_label(tr, *benefit),
        ),
        DiffReason::MoveIn => tr.t("payroll-diff-move-in"),
        DiffReason::Resumed => tr.t("payroll-diff-resumed"),
        DiffReason::Moved { from, to } => tr.ta(
            "payroll-diff-moved",
            &[
                (
                    "from",
                    from.iter()
                        .map(|e| e.0.to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                (
                    "to",
                    to.iter()
                        .map(|e| e.0.to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            ],
        ),
        DiffReason::BaseLevel {
            benefit, from, to, ..
        } => tr.ta(
            "payroll-diff-base-level",
            &[
                ("benefit", kind_label(tr, *benefit)),
                ("from", from.display_vi()),
                ("to", to.display_vi()),
            ],
        ),
        DiffReason::AgeBand {
            benefit, from, to, ..
        } => tr.ta(
            "payroll-diff-age-band",
            &[
                ("benefit", kind_label(tr, *benefit)),
                ("from", coefficient(*from)),
                ("to", coefficient(*to)),
            ],
        ),
        DiffReason::GroupChanged { benefit, from, to } => tr.ta(
            "payroll-diff-group-changed",
            &[
                ("benefit", kind_label(tr, *benefit)),
                ("from", opt(from)),
                ("to", opt(to)),
            ],
        ),
        DiffReason::Dependants { benefit, from, to } => tr.ta(
            "payroll-diff-dependants",
            &[
                ("benefit", kind_label(tr, *benefit)),
                ("from", from.to_string()),
                ("to", to.to_string()),
            ],
        ),
        DiffReason::Combination { benefit } => tr.t1(
            "payroll-diff-combination",
            "benefit",
            kind_label(tr, *benefit),
        ),
        DiffReason::BenefitStarted { benefit, payee } => tr.ta(
            "payroll-diff-benefit-started",
            &[
                ("benefit", kind_label(tr, *benefit)),
                ("payee", tr.t(&format!("payroll-payee-{}", payee.as_str()))),
            ],
        ),
        DiffReason::BenefitStopped { benefit, payee } => tr.ta(
            "payroll-diff-benefit-stopped",
            &[
                ("benefit", kind_label(tr, *benefit)),
                ("payee", tr.t(&format!("payroll-payee-{}", payee.as_str()))),
            ],
        ),
        DiffReason::Death { month } => tr.t1("payroll-diff-death", "month", m(month)),
        DiffReason::LossOfEligibility { month } => {
            tr.t1("payroll-diff-loss-of-eligibility", "month", m(month))
        }
        DiffReason::Suspension => tr.t("payroll-diff-suspension"),
        DiffReason::Termination => tr.t("payroll-diff-termination"),
        DiffReason::MovedOut { until } => tr.t1("payroll-diff-moved-out", "month", m(until)),
        DiffReason::NotStarted { since } => tr.t1("payroll-diff-not-started", "month", m(since)),
        DiffReason::NothingDue => tr.t("payroll-diff-nothing-due"),
        DiffReason::Problems => tr.t("payroll-diff-problems"),
        DiffReason::NotInRun => tr.t("payroll-diff-not-in-run"),
        DiffReason::Other => tr.t("payroll-diff-other"),
    }
}

fn bad_reason(tr: &Tr, r: &BadReason) -> String {
    match r {
        BadReason::MissingKey => tr.t("payroll-bad-missing-key"),
        BadReason::UnknownKey => tr.t("payroll-bad-unknown-key"),
        BadReason::Duplicate { first_row } => tr.t1("payroll-bad-duplicate", "row", first_row),
        BadReason::MissingResult => tr.t("payroll-bad-missing-result"),
        BadReason::BadResult { value } => tr.t1("payroll-bad-result", "value", value),
        BadReason::BadAmount { value } => tr.t1("payroll-bad-amount", "value", value),
        BadReason::WrongAmount { expected, found } => tr.ta(
            "payroll-bad-wrong-amount",
            &[
                ("expected", expected.display_vi()),
                ("found", found.display_vi()),
            ],
        ),
    }
}

fn channel_line(label: String, c: &ansinh_payroll::ChannelTotals) -> ChannelLine {
    ChannelLine {
        channel: label,
        payments: count(c.payments as i64),
        lines: count(c.lines as i64),
        monthly: c.monthly.display_vi(),
        arrears: c.arrears.display_vi(),
        carried: c.carried.display_vi(),
        one_off: c.one_off.display_vi(),
        to_pay: c.to_pay.display_vi(),
        to_recover: c.to_recover.display_vi(),
        net: c.net().display_vi(),
    }
}

async fn run_page(
    state: &AppState,
    identity: &Identity,
    ctx: &Ctx,
    id: i64,
    page: usize,
    outcome: Option<&ResultsOutcome>,
) -> WebResult<RunPage> {
    let (row, run) = state.app.payroll_run(ctx, id).await?;
    let diff = state.app.payroll_diff(ctx, id).await?;
    let path = format!("/payroll/runs/{id}");
    let mut layout = Layout::new(state, identity, "payroll", "payroll-run-title", &path);
    let tr = layout.tr.clone();
    let graph = state.app.graph();
    let unit_name = graph
        .get(row.data.unit_id)
        .map(|u| u.name.clone())
        .unwrap_or_default();
    layout.title = format!(
        "{} {} {}",
        tr.t("payroll-run-title"),
        unit_name,
        run.month.display_vi()
    );

    let pages = run.payments.len().div_ceil(PAGE_SIZE).max(1);
    let page = page.clamp(1, pages);
    let from = (page - 1) * PAGE_SIZE;
    let shown = run.payments.get(from..).unwrap_or(&[]);
    let shown = shown.get(..PAGE_SIZE.min(shown.len())).unwrap_or(&[]);
    let mut people: Vec<PersonId> = shown.iter().map(|p| p.beneficiary).collect();
    people.extend(run.notes.iter().map(|n| n.beneficiary));
    let diff_people = |list: &[DiffEntry]| {
        list.iter()
            .take(DIFF_CAP)
            .map(|d| d.beneficiary)
            .collect::<Vec<_>>()
    };
    people.extend(diff_people(&diff.entered));
    people.extend(diff_people(&diff.left));
    people.extend(diff_people(&diff.changed));
    if let Some(o) = outcome {
        people.extend(o.suspensions.iter().map(|s| s.beneficiary));
    }
    let names = names(state, people).await?;
    let name = |p: PersonId| {
        names
            .get(&p)
            .cloned()
            .unwrap_or_else(|| format!("#{}", p.0))
    };

    let payments = shown
        .iter()
        .enumerate()
        .map(|(i, p)| PaymentView {
            no: from + i + 1,
            key: p.key.to_string(),
            person_id: p.beneficiary.0,
            name: name(p.beneficiary),
            channel: channel_label(&tr, p.channel),
            monthly: p.monthly.display_vi(),
            arrears: p.arrears.display_vi(),
            carried: p.carried.display_vi(),
            one_off: p.one_off.display_vi(),
            total: p.total.display_vi(),
            recover: p.total < Money::ZERO,
            sentences: run.lines_of(p).iter().map(|l| l.sentence_vi()).collect(),
        })
        .collect();
    let link = |n: usize| format!("{path}?page={n}");
    let notes = run
        .notes
        .iter()
        .map(|n| {
            let (text, warn) = note_text(&tr, &n.note);
            NoteView {
                person_id: n.beneficiary.0,
                name: name(n.beneficiary),
                text,
                warn,
            }
        })
        .collect();
    let diff_lines = |list: &[DiffEntry]| -> Vec<DiffLine> {
        list.iter()
            .take(DIFF_CAP)
            .map(|d| DiffLine {
                person_id: d.beneficiary.0,
                name: name(d.beneficiary),
                previous: d.previous.display_vi(),
                current: d.current.display_vi(),
                reasons: d.reasons.iter().map(|r| diff_reason(&tr, r)).collect(),
            })
            .collect()
    };
    let diff_view = DiffView {
        entered: diff_lines(&diff.entered),
        left: diff_lines(&diff.left),
        changed: diff_lines(&diff.changed),
        counts: (diff.entered.len(), diff.left.len(), diff.changed.len()),
        previous_total: diff.previous_total.display_vi(),
        current_total: diff.current_total.display_vi(),
    };
    let outcome = outcome.map(|o| OutcomeView {
        accepted: o.accepted,
        paid: o.paid,
        unpaid: o.unpaid,
        returned: o.returned,
        missing: o.missing,
        bad: o
            .bad
            .iter()
            .map(|b| {
                (
                    b.row,
                    b.key.clone(),
                    b.reasons
                        .iter()
                        .map(|r| bad_reason(&tr, r))
                        .collect::<Vec<_>>()
                        .join("; "),
                )
            })
            .collect(),
        suspensions: o
            .suspensions
            .iter()
            .map(|s| {
                (
                    s.beneficiary.0,
                    name(s.beneficiary),
                    s.months
                        .iter()
                        .map(|m| m.display_vi())
                        .collect::<Vec<_>>()
                        .join(", "),
                    s.citation.clone(),
                )
            })
            .collect(),
    });

    let t = &run.totals;
    let total = ChannelLine {
        channel: tr.t("payroll-total"),
        payments: count(t.payments as i64),
        lines: count(t.lines as i64),
        monthly: t
            .by_channel
            .iter()
            .map(|c| c.monthly)
            .sum::<Money>()
            .display_vi(),
        arrears: t
            .by_channel
            .iter()
            .map(|c| c.arrears)
            .sum::<Money>()
            .display_vi(),
        carried: t
            .by_channel
            .iter()
            .map(|c| c.carried)
            .sum::<Money>()
            .display_vi(),
        one_off: t
            .by_channel
            .iter()
            .map(|c| c.one_off)
            .sum::<Money>()
            .display_vi(),
        to_pay: t.to_pay.display_vi(),
        to_recover: t.to_recover.display_vi(),
        net: t.net.display_vi(),
    };
    let role = ctx.actor.role;
    let status = row.status.as_str();
    let own = row.data.prepared_by == Some(ctx.actor.user_id);
    let checks = status == "draft" && role.can(Permission::CheckPayroll);
    Ok(RunPage {
        unit_name,
        month: run.month.to_string(),
        month_vi: run.month.display_vi(),
        status_label: status_label(&tr, status),
        prepared_by: user_name(state, row.data.prepared_by).await,
        checked_by: user_name(state, row.checked_by).await,
        created: time_vi(row.created_at),
        checked_at: row.checked_at.map(time_vi).unwrap_or_default(),
        sent_at: row.sent_at.map(time_vi).unwrap_or_default(),
        results_at: row.results_at.map(time_vi).unwrap_or_default(),
        closed_at: row.closed_at.map(time_vi).unwrap_or_default(),
        channels: t
            .by_channel
            .iter()
            .map(|c| channel_line(channel_label(&tr, c.channel), c))
            .collect(),
        has_cash: t
            .by_channel
            .iter()
            .any(|c| c.channel == PaymentChannel::Cash),
        total,
        payments,
        payment_count: run.payments.len(),
        shown: (from + 1, from + shown.len()),
        prev_link: (page > 1).then(|| link(page - 1)),
        next_link: (page < pages).then(|| link(page + 1)),
        notes,
        diff: diff_view,
        may_check: checks && !own,
        own_run: checks && own,
        may_discard: status == "draft" && role.can(Permission::PreparePayroll),
        may_send: status == "checked" && role.can(Permission::PreparePayroll),
        may_import: status == "sent" && role.can(Permission::PreparePayroll),
        may_close: status == "results" && role.can(Permission::CheckPayroll),
        may_full_ids: role.can(Permission::RevealSensitive),
        outcome,
        r: row,
        layout,
    })
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct RunQuery {
    page: usize,
    done: Option<String>,
}

pub async fn run(
    State(state): State<AppState>,
    identity: Identity,
    IdPath(id): IdPath,
    QueryParams(q): QueryParams<RunQuery>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/payroll")?;
    let mut page = run_page(&state, &identity, &ctx, id, q.page, None).await?;
    page.layout = page.layout.with_notice(q.done.as_deref());
    render(&page)
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct VersionForm {
    version: String,
    month: String,
}

fn version_of(form: &VersionForm) -> WebResult<i32> {
    form.version
        .trim()
        .parse()
        .map_err(|_| WebError::App(AppError::Stale))
}

pub async fn check(
    State(state): State<AppState>,
    identity: Identity,
    IdPath(id): IdPath,
    FormBody(form): FormBody<VersionForm>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/payroll")?;
    state
        .app
        .check_payroll_run(&ctx, id, version_of(&form)?)
        .await?;
    Ok(Redirect::to(&format!("/payroll/runs/{id}?done=payroll-checked")).into_response())
}

pub async fn send(
    State(state): State<AppState>,
    identity: Identity,
    IdPath(id): IdPath,
    FormBody(form): FormBody<VersionForm>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/payroll")?;
    state
        .app
        .send_payroll_run(&ctx, id, version_of(&form)?)
        .await?;
    Ok(Redirect::to(&format!("/payroll/runs/{id}?done=payroll-sent")).into_response())
}

pub async fn close(
    State(state): State<AppState>,
    identity: Identity,
    IdPath(id): IdPath,
    FormBody(form): FormBody<VersionForm>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/payroll")?;
    state
        .app
        .close_payroll_run(&ctx, id, version_of(&form)?)
        .await?;
    Ok(Redirect::to(&format!("/payroll/runs/{id}?done=payroll-closed")).into_response())
}

pub async fn discard(
    State(state): State<AppState>,
    identity: Identity,
    IdPath(id): IdPath,
    FormBody(form): FormBody<VersionForm>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/payroll")?;
    state
        .app
        .discard_payroll_run(&ctx, id, version_of(&form)?)
        .await?;
    let month = form
        .month
        .trim()
        .parse::<Month>()
        .map(|m| format!("month={m}&"))
        .unwrap_or_default();
    Ok(Redirect::to(&format!("/payroll?{month}done=payroll-discarded")).into_response())
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ExportQuery {
    format: String,
    channel: String,
    ids: String,
}

/// The payment list (XLSX or CSV; the cash signature list is `channel=cash`).
pub async fn export(
    State(state): State<AppState>,
    identity: Identity,
    IdPath(id): IdPath,
    QueryParams(q): QueryParams<ExportQuery>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/payroll")?;
    let bad = |what: &str| WebError::BadRequest {
        status: StatusCode::BAD_REQUEST,
        code: "bad-request",
        detail: what.chars().take(40).collect(),
    };
    let format = match q.format.as_str() {
        "" | "xlsx" => ListFormat::Xlsx,
        "csv" => ListFormat::Csv,
        other => return Err(bad(other)),
    };
    let channel = match q.channel.trim() {
        "" => None,
        c => Some(c.parse::<PaymentChannel>().map_err(|_| bad(c))?),
    };
    let (name, content_type, bytes) = state
        .app
        .export_payroll_run(&ctx, id, format, channel, q.ids == "full")
        .await?;
    let name: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c))
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Imports the paying organisation's results (CSV or XLSX) and shows what was kept and
/// what was refused, row by row.
pub async fn results(
    State(state): State<AppState>,
    identity: Identity,
    IdPath(id): IdPath,
    mut multipart: Multipart,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/payroll")?;
    let mut version = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    let unreadable = |e: axum::extract::multipart::MultipartError| WebError::BadRequest {
        status: e.status(),
        code: if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            "payload-too-large"
        } else {
            "bad-request"
        },
        detail: e.body_text(),
    };
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("version") => version = field.text().await.map_err(unreadable)?,
            Some("file") => {
                let name = field.file_name().unwrap_or("ket-qua.csv").to_string();
                let bytes = field.bytes().await.map_err(unreadable)?;
                // The route lets a little more through for the form around the file; the
                // file itself may not be over the cap.
                if bytes.len() > MAX_RESULTS_BYTES {
                    return Err(WebError::BadRequest {
                        status: StatusCode::PAYLOAD_TOO_LARGE,
                        code: "payload-too-large",
                        detail: format!("the file exceeds {MAX_RESULTS_BYTES} bytes"),
                    });
                }
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    let version: i32 = version
        .trim()
        .parse()
        .map_err(|_| WebError::App(AppError::Stale))?;
    let (name, bytes) = file
        .filter(|(_, b)| !b.is_empty())
        .ok_or(WebError::App(AppError::field("file", "required")))?;
    match state
        .app
        .import_payroll_results(&ctx, id, version, &name, &bytes)
        .await
    {
        Ok(outcome) => {
            let mut page = run_page(&state, &identity, &ctx, id, 1, Some(&outcome)).await?;
            page.layout.notice = Some(page.layout.t("payroll-results-imported"));
            render(&page)
        }
        Err(AppError::Invalid(errors)) => {
            let tr = state.tr(identity.lang);
            Err(refused(&tr, "results-refused", &errors))
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------
// Reconciliation.

/// One commune and channel of the reconciliation.
#[derive(Debug)]
pub struct ReconLine {
    pub unit_code: String,
    pub unit_name: String,
    pub channel: String,
    pub payments: String,
    pub listed: String,
    pub to_recover: String,
    pub paid: String,
    pub unpaid: String,
    pub returned: String,
    pub unresolved: String,
    pub transferred: String,
    pub balance: String,
}

/// A discrepancy: kind, where, expected, actual, message.
#[derive(Debug)]
pub struct DiscrepancyLine {
    pub kind: String,
    pub place: String,
    pub expected: String,
    pub actual: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "payroll_reconciliation.html")]
struct ReconPage {
    layout: Layout,
    month: String,
    month_vi: String,
    rows: Vec<ReconLine>,
    /// Listed, paid, unpaid, returned, unresolved, transferred.
    totals: Vec<String>,
    discrepancies: Vec<DiscrepancyLine>,
    may_transfer: bool,
    /// Why a transfer was refused, when the form is not shown (nothing to record here).
    hidden_errors: Vec<String>,
    communes: Vec<(String, String)>,
    channels: Vec<(String, String)>,
    form: FormState,
}

async fn recon_page(
    state: &AppState,
    identity: &Identity,
    ctx: &Ctx,
    month: Month,
    form: FormState,
) -> WebResult<ReconPage> {
    let layout = Layout::new(
        state,
        identity,
        "payroll",
        "payroll-recon-title",
        &format!("/payroll/reconciliation?month={month}"),
    );
    let tr = layout.tr.clone();
    let runs = state.app.payroll_runs(ctx, month).await?;
    let recon = state.app.payroll_reconciliation(ctx, month).await?;
    let graph = state.app.graph();
    let unit_names: BTreeMap<String, String> = runs
        .iter()
        .map(|r| {
            (
                r.data.unit_code.clone(),
                graph
                    .get(r.data.unit_id)
                    .map(|u| u.name.clone())
                    .unwrap_or_default(),
            )
        })
        .collect();
    let unit_name = |code: &str| unit_names.get(code).cloned().unwrap_or_default();
    let rows = recon
        .rows
        .iter()
        .map(|r| ReconLine {
            unit_code: r.unit.to_string(),
            unit_name: unit_name(r.unit.as_str()),
            channel: channel_label(&tr, r.channel),
            payments: count(r.payments as i64),
            listed: r.listed.display_vi(),
            to_recover: r.to_recover.display_vi(),
            paid: r.paid.display_vi(),
            unpaid: r.unpaid.display_vi(),
            returned: r.returned.display_vi(),
            unresolved: r.unresolved.display_vi(),
            transferred: r.transferred.display_vi(),
            balance: r.balance.display_vi(),
        })
        .collect();
    let discrepancies = recon
        .discrepancies
        .iter()
        .map(|d| {
            let kind = serde_json::to_value(d.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            DiscrepancyLine {
                kind: tr.t(&format!("payroll-disc-{kind}")),
                place: match (&d.unit, d.channel) {
                    (Some(u), Some(c)) => {
                        format!("{u} {} ({})", unit_name(u.as_str()), channel_label(&tr, c))
                    }
                    (Some(u), None) => format!("{u} {}", unit_name(u.as_str())),
                    _ => String::new(),
                },
                expected: d.expected.display_vi(),
                actual: d.actual.display_vi(),
                message: d.message.clone(),
            }
        })
        .collect();
    let may_transfer = ctx.actor.role.can(Permission::CheckPayroll) && !runs.is_empty();
    let hidden_errors = if may_transfer {
        Vec::new()
    } else {
        ["unit_code", "channel", "amount", "reference"]
            .iter()
            .filter(|f| form.has(f))
            .map(|f| form.err(f).to_string())
            .collect()
    };
    Ok(ReconPage {
        month: month.to_string(),
        month_vi: month.display_vi(),
        rows,
        totals: vec![
            recon.listed.display_vi(),
            recon.paid.display_vi(),
            recon.unpaid.display_vi(),
            recon.returned.display_vi(),
            recon.unresolved.display_vi(),
            recon.transferred.display_vi(),
        ],
        discrepancies,
        may_transfer,
        hidden_errors,
        communes: unit_names
            .iter()
            .map(|(code, name)| (code.clone(), format!("{code} — {name}")))
            .collect(),
        channels: PaymentChannel::ALL
            .iter()
            .map(|c| (c.as_str().to_string(), channel_label(&tr, *c)))
            .collect(),
        form,
        layout,
    })
}

pub async fn reconciliation(
    State(state): State<AppState>,
    identity: Identity,
    QueryParams(q): QueryParams<MonthQuery>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/payroll")?;
    let month = month_param(&q.month, &ctx)?;
    let mut page = recon_page(&state, &identity, &ctx, month, FormState::default()).await?;
    page.layout = page.layout.with_notice(q.done.as_deref());
    render(&page)
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct TransferForm {
    month: String,
    unit_code: String,
    channel: String,
    amount: String,
    reference: String,
}

/// Records funds transferred to the paying organisation; a refused form comes back with
/// what was typed and why.
pub async fn record_transfer(
    State(state): State<AppState>,
    identity: Identity,
    FormBody(form): FormBody<TransferForm>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/payroll")?;
    let month = form
        .month
        .trim()
        .parse::<Month>()
        .map_err(|_| bad_month(&form.month))?;
    let mut errors: Vec<FieldError> = Vec::new();
    let mut error = |field: &'static str, code: &'static str| {
        errors.push(FieldError {
            field,
            code,
            detail: None,
        })
    };
    let unit = form.unit_code.trim();
    if unit.is_empty() {
        error("unit_code", "required");
    }
    let channel = form.channel.trim().parse::<PaymentChannel>().ok();
    if channel.is_none() {
        error("channel", "invalid-choice");
    }
    let amount = ansinh_payroll::results::parse_amount(&form.amount);
    if form.amount.trim().is_empty() {
        error("amount", "required");
    } else if amount.is_none() {
        error("amount", "amount-format");
    }
    if form.reference.chars().count() > 200 {
        error("reference", "too-long");
    }
    if errors.is_empty()
        && let (Some(channel), Some(amount)) = (channel, amount)
    {
        match state
            .app
            .record_payroll_transfer(&ctx, unit, month, channel, amount.0, &form.reference)
            .await
        {
            Ok(_) => {
                return Ok(Redirect::to(&format!(
                    "/payroll/reconciliation?month={month}&done=payroll-transfer-recorded"
                ))
                .into_response());
            }
            Err(AppError::Invalid(found)) => errors = found,
            Err(AppError::NotFound) => errors.push(FieldError {
                field: "unit_code",
                code: "payroll-no-run",
                detail: None,
            }),
            Err(e) => return Err(e.into()),
        }
    }
    let tr = state.tr(identity.lang);
    let values = FormState::from_pairs([
        ("unit_code".to_string(), form.unit_code.clone()),
        ("channel".to_string(), form.channel.clone()),
        ("amount".to_string(), form.amount.clone()),
        ("reference".to_string(), form.reference.clone()),
    ])
    .with_errors(&tr, &errors);
    let page = recon_page(&state, &identity, &ctx, month, values).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

// ---------------------------------------------------------------------------------------
// Budget estimate.

#[derive(Template)]
#[template(path = "payroll_budget.html")]
struct BudgetPage {
    layout: Layout,
    period: String,
    month: String,
    year: String,
    /// Group, person-months, amount.
    by_group: Vec<(String, String, String)>,
    /// Source, amount, its legal basis (citations with their confidence).
    by_source: Vec<(String, String, String)>,
    by_month: Vec<(String, String)>,
    /// Commune code, name, amount.
    by_unit: Vec<(String, String, String)>,
    total: String,
    problems: Vec<String>,
    catalogue: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct BudgetQuery {
    month: String,
    year: String,
}

fn group_label(tr: &Tr, group: &str) -> String {
    let key = format!("policy-section-{group}");
    if tr.has(&key) {
        tr.t(&key)
    } else {
        tr.t1("payroll-budget-group", "group", group)
    }
}

pub async fn budget(
    State(state): State<AppState>,
    identity: Identity,
    QueryParams(q): QueryParams<BudgetQuery>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/payroll")?;
    let layout = Layout::new(
        &state,
        &identity,
        "payroll",
        "payroll-budget-title",
        "/payroll/budget",
    );
    let tr = layout.tr.clone();
    let this = Month::of(ctx.today());
    let (months, period) = if !q.year.trim().is_empty() {
        let year: i32 = q
            .year
            .trim()
            .parse()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| bad_month(&q.year))?;
        (
            budget::year(year),
            tr.t1("payroll-budget-year", "year", year),
        )
    } else if !q.month.trim().is_empty() {
        let month = month_param(&q.month, &ctx)?;
        (
            vec![month],
            tr.t1("payroll-budget-month", "month", month.display_vi()),
        )
    } else {
        let months = budget::next_month(this);
        let label = months
            .first()
            .map(|m| tr.t1("payroll-budget-month", "month", m.display_vi()))
            .unwrap_or_default();
        (months, label)
    };
    let estimate = match state.app.budget_estimate(&ctx, months.clone()).await {
        Ok(e) => e,
        Err(AppError::Invalid(errors)) => return Err(refused(&tr, "budget-refused", &errors)),
        Err(e) => return Err(e.into()),
    };
    let mut person_months: BTreeMap<&str, u64> = BTreeMap::new();
    let mut units: BTreeMap<String, Money> = BTreeMap::new();
    for r in &estimate.rows {
        *person_months.entry(r.group.as_str()).or_default() += r.person_months;
        *units.entry(r.unit.to_string()).or_insert(Money::ZERO) += r.amount;
    }
    let graph = state.app.graph();
    let day = months.first().copied().unwrap_or(this).first_day();
    render(&BudgetPage {
        period,
        month: months
            .first()
            .filter(|_| months.len() == 1)
            .map(|m| m.to_string())
            .unwrap_or_default(),
        year: if months.len() > 1 {
            q.year.trim().to_string()
        } else {
            String::new()
        },
        by_group: estimate
            .by_group
            .iter()
            .map(|(g, a)| {
                (
                    group_label(&tr, g),
                    count(person_months.get(g.as_str()).copied().unwrap_or(0) as i64),
                    a.display_vi(),
                )
            })
            .collect(),
        by_source: estimate
            .by_source
            .iter()
            .map(|(s, a)| {
                let key = format!("payroll-source-{s}");
                let label = if tr.has(&key) { tr.t(&key) } else { s.clone() };
                let basis: Vec<String> = estimate
                    .funding
                    .iter()
                    .filter(|f| &f.source == s)
                    .map(|f| {
                        format!(
                            "{} ({})",
                            crate::pages::policy::citation_text(&tr, &f.citation),
                            crate::pages::policy::confidence_label(&tr, f.confidence)
                        )
                    })
                    .collect();
                (label, a.display_vi(), basis.join("; "))
            })
            .collect(),
        by_month: estimate
            .by_month
            .iter()
            .map(|(m, a)| (m.display_vi(), a.display_vi()))
            .collect(),
        by_unit: units
            .into_iter()
            .map(|(code, amount)| {
                let name = graph
                    .find(&code, day)
                    .map(|u| u.name.clone())
                    .unwrap_or_default();
                (code, name, amount.display_vi())
            })
            .collect(),
        total: estimate.total.display_vi(),
        problems: estimate
            .problems
            .iter()
            .map(|(e, m, p)| {
                format!(
                    "#{} · {} · {}",
                    e.0,
                    m.display_vi(),
                    p.iter()
                        .map(|x| x.code.clone())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
            .collect(),
        catalogue: estimate.catalogue.clone(),
        layout,
    })
}
