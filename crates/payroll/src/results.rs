//! Results from the paying organisation (báo cáo kết quả chi trả): per payment, paid, not
//! collected or returned. Read from CSV (UTF-8 with or without a byte-order mark, `,` or `;`)
//! or XLSX in the export's layout; bad rows are listed with their row number and reason and
//! the good rows are kept. Then [`settle`] makes each entitlement's next ledger: amounts not
//! received carry over to the next month, and three consecutive months without receipt flag
//! suspension (TT 02/2021/TT-BLĐTBXH Art. 2(3)(a)).

use crate::layout::{Column, WORDS_LABEL, column_of, normalise};
use crate::line::{LineKind, PaymentKey};
use crate::model::{Ledger, Reconciled, Unpaid};
use crate::payment::Payment;
use crate::run::UnitRun;
use ansinh_domain::ids::{EntitlementId, PersonId};
use ansinh_domain::{Money, Month};
use ansinh_policy::PaidLine;
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Cursor;

/// What happened to a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// đã nhận / đã chi
    Paid,
    /// chưa nhận (not collected): carried over
    Unpaid,
    /// trả lại (returned, e.g. a closed account): carried over
    Returned,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Paid => "paid",
            Outcome::Unpaid => "unpaid",
            Outcome::Returned => "returned",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Outcome::Paid => "đã nhận",
            Outcome::Unpaid => "chưa nhận",
            Outcome::Returned => "trả lại",
        }
    }

    /// Reads a result cell: Vietnamese with or without diacritics, or English.
    pub fn parse(text: &str) -> Option<Outcome> {
        match normalise(text).as_str() {
            "da nhan" | "da chi" | "da chi tra" | "da linh" | "nhan" | "paid" | "collected" => {
                Some(Outcome::Paid)
            }
            "chua nhan" | "khong nhan" | "chua chi" | "chua linh" | "unpaid" | "not paid"
            | "not collected" => Some(Outcome::Unpaid),
            "tra lai" | "bi tra lai" | "hoan tra" | "returned" => Some(Outcome::Returned),
            _ => None,
        }
    }
}

/// A table as read from a file: rows with their number in the file (1-based).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub rows: Vec<(u32, Vec<String>)>,
}

/// A file that cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("the file is not UTF-8 text")]
    NotUtf8,
    #[error("CSV: {0}")]
    Csv(String),
    #[error("XLSX: {0}")]
    Xlsx(String),
    #[error("no header row with the columns \"Mã chi trả\", \"Tổng cộng\" and \"Kết quả\"")]
    NoHeader,
}

/// Reads CSV text: UTF-8 with or without a byte-order mark, `,` or `;` separated.
pub fn read_csv(bytes: &[u8]) -> Result<Table, ImportError> {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|_| ImportError::NotUtf8)?;
    let mut best: Option<Table> = None;
    let mut first_error = None;
    for delimiter in [b',', b';'] {
        match read_csv_with(bytes, delimiter) {
            Ok(table) => {
                let score = header_row(&table).map(|(_, cols)| cols.len());
                let best_score = best.as_ref().and_then(header_row).map(|(_, c)| c.len());
                if best.is_none() || score > best_score {
                    best = Some(table);
                }
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    match (best, first_error) {
        (Some(t), _) => Ok(t),
        (None, Some(e)) => Err(e),
        (None, None) => Err(ImportError::NoHeader),
    }
}

fn read_csv_with(bytes: &[u8], delimiter: u8) -> Result<Table, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut table = Table::default();
    // Rows are numbered as a spreadsheet shows them: one per record.
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| ImportError::Csv(e.to_string()))?;
        table.rows.push((
            u32::try_from(i + 1).unwrap_or(u32::MAX),
            record.iter().map(str::to_string).collect(),
        ));
    }
    Ok(table)
}

/// Reads the first worksheet of an XLSX file.
pub fn read_xlsx(bytes: &[u8]) -> Result<Table, ImportError> {
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| ImportError::Xlsx(e.to_string()))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| ImportError::Xlsx("the workbook has no worksheet".into()))?
        .map_err(|e| ImportError::Xlsx(e.to_string()))?;
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut table = Table::default();
    for (i, row) in range.rows().enumerate() {
        let mut cells: Vec<String> = vec![String::new(); usize::try_from(left).unwrap_or(0)];
        cells.extend(row.iter().map(cell_text));
        let number = top
            .saturating_add(u32::try_from(i).unwrap_or(u32::MAX))
            .saturating_add(1);
        table.rows.push((number, cells));
    }
    Ok(table)
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::String(s) => s.clone(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

/// The header row (index in the table) and its columns.
fn header_row(table: &Table) -> Option<(usize, HashMap<Column, usize>)> {
    table
        .rows
        .iter()
        .enumerate()
        .take(50)
        .find_map(|(i, (_, cells))| {
            let mut cols = HashMap::new();
            for (c, text) in cells.iter().enumerate() {
                if let Some(col) = column_of(text) {
                    cols.entry(col).or_insert(c);
                }
            }
            [Column::Key, Column::Total, Column::Result]
                .iter()
                .all(|c| cols.contains_key(c))
                .then_some((i, cols))
        })
}

/// Why a row was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum BadReason {
    /// Amounts on the row but no key.
    MissingKey,
    /// The key is not a payment of the run.
    UnknownKey,
    /// The payment already has a result on an earlier row.
    Duplicate {
        first_row: u32,
    },
    MissingResult,
    /// The result is not one of đã nhận / chưa nhận / trả lại.
    BadResult {
        value: String,
    },
    /// The total is not a whole number of đồng.
    BadAmount {
        value: String,
    },
    /// The total differs from the payment's.
    WrongAmount {
        expected: Money,
        found: Money,
    },
}

impl BadReason {
    pub fn message_vi(&self) -> String {
        match self {
            BadReason::MissingKey => "thiếu mã chi trả".into(),
            BadReason::UnknownKey => "mã chi trả không có trong danh sách".into(),
            BadReason::Duplicate { first_row } => {
                format!("trùng với dòng {first_row} đã nhận kết quả")
            }
            BadReason::MissingResult => "chưa ghi kết quả".into(),
            BadReason::BadResult { value } => {
                format!("kết quả \"{value}\" không hợp lệ (đã nhận / chưa nhận / trả lại)")
            }
            BadReason::BadAmount { value } => format!("số tiền \"{value}\" không hợp lệ"),
            BadReason::WrongAmount { expected, found } => format!(
                "số tiền {} khác danh sách ({})",
                found.display_vi(),
                expected.display_vi()
            ),
        }
    }
}

/// A row that was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadRow {
    /// Row number in the file (1-based, as Excel shows it).
    pub row: u32,
    /// The key as written.
    pub key: String,
    pub reasons: Vec<BadReason>,
}

/// An accepted row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultRow {
    pub row: u32,
    pub key: PaymentKey,
    pub outcome: Outcome,
}

/// The import of one results file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub accepted: Vec<ResultRow>,
    pub bad: Vec<BadRow>,
    /// Payments of the run with no accepted row.
    pub missing: Vec<PaymentKey>,
}

impl ImportReport {
    /// Outcomes by payment.
    pub fn outcomes(&self) -> BTreeMap<PaymentKey, Outcome> {
        self.accepted.iter().map(|r| (r.key, r.outcome)).collect()
    }
}

/// Parses a whole-number amount as written: `1250000`, `1.250.000`, `1,250,000`,
/// `1 250 000 đ`, `-750.000`.
pub fn parse_amount(text: &str) -> Option<Money> {
    let t = text.trim();
    let t = t
        .strip_suffix("đồng")
        .or_else(|| t.strip_suffix('đ'))
        .or_else(|| t.strip_suffix("VND"))
        .unwrap_or(t)
        .trim();
    let (negative, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    // Excel may write a whole number as `1250000.0`.
    let digits = digits.strip_suffix(".0").unwrap_or(digits);
    let mut value: i64 = 0;
    let mut seen = false;
    for c in digits.chars() {
        match c {
            '0'..='9' => {
                value = value
                    .checked_mul(10)?
                    .checked_add(i64::from(c.to_digit(10)?))?;
                seen = true;
            }
            '.' | ',' | ' ' | '\u{a0}' => {}
            _ => return None,
        }
    }
    seen.then_some(Money(if negative { -value } else { value }))
}

/// Checks a table against the run's payments: each good row gives a payment's outcome.
pub fn import<'a>(
    table: &Table,
    payments: impl IntoIterator<Item = &'a Payment>,
) -> Result<ImportReport, ImportError> {
    let (header, cols) = header_row(table).ok_or(ImportError::NoHeader)?;
    let expected: BTreeMap<PaymentKey, Money> =
        payments.into_iter().map(|p| (p.key, p.total)).collect();
    let get = |cells: &[String], c: Column| -> String {
        cols.get(&c)
            .and_then(|&i| cells.get(i))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    let mut report = ImportReport::default();
    let mut accepted_at: BTreeMap<PaymentKey, u32> = BTreeMap::new();
    for (row, cells) in table.rows.iter().skip(header + 1) {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let raw_key = get(cells, Column::Key);
        if raw_key.is_empty() {
            let label = normalise(&get(cells, Column::Name));
            let is_footer = cells.iter().any(|c| {
                let n = normalise(c);
                n == "tong cong" || n.starts_with(&normalise(WORDS_LABEL)) || n == "total"
            }) || label.starts_with("tong cong");
            if !is_footer {
                report.bad.push(BadRow {
                    row: *row,
                    key: String::new(),
                    reasons: vec![BadReason::MissingKey],
                });
            }
            continue;
        }
        let key = match raw_key.parse::<PaymentKey>() {
            Ok(k) if expected.contains_key(&k) => k,
            _ => {
                report.bad.push(BadRow {
                    row: *row,
                    key: raw_key,
                    reasons: vec![BadReason::UnknownKey],
                });
                continue;
            }
        };
        let mut reasons = Vec::new();
        if let Some(&first_row) = accepted_at.get(&key) {
            reasons.push(BadReason::Duplicate { first_row });
        }
        let result = get(cells, Column::Result);
        let outcome = if result.is_empty() {
            reasons.push(BadReason::MissingResult);
            None
        } else {
            let o = Outcome::parse(&result);
            if o.is_none() {
                reasons.push(BadReason::BadResult { value: result });
            }
            o
        };
        let total_text = get(cells, Column::Total);
        match parse_amount(&total_text) {
            None => reasons.push(BadReason::BadAmount { value: total_text }),
            Some(found) => {
                let want = expected.get(&key).copied().unwrap_or_default();
                if found != want {
                    reasons.push(BadReason::WrongAmount {
                        expected: want,
                        found,
                    });
                }
            }
        }
        match outcome {
            Some(outcome) if reasons.is_empty() => {
                accepted_at.insert(key, *row);
                report.accepted.push(ResultRow {
                    row: *row,
                    key,
                    outcome,
                });
            }
            _ => report.bad.push(BadRow {
                row: *row,
                key: raw_key,
                reasons,
            }),
        }
    }
    report.missing = expected
        .keys()
        .filter(|k| !accepted_at.contains_key(k))
        .copied()
        .collect();
    Ok(report)
}

/// [`read_csv`] then [`import`].
pub fn import_csv<'a>(
    bytes: &[u8],
    payments: impl IntoIterator<Item = &'a Payment>,
) -> Result<ImportReport, ImportError> {
    import(&read_csv(bytes)?, payments)
}

/// [`read_xlsx`] then [`import`].
pub fn import_xlsx<'a>(
    bytes: &[u8],
    payments: impl IntoIterator<Item = &'a Payment>,
) -> Result<ImportReport, ImportError> {
    import(&read_xlsx(bytes)?, payments)
}

/// A proposal to suspend: nothing received in three consecutive run months.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuspensionFlag {
    pub entitlement: EntitlementId,
    pub beneficiary: PersonId,
    /// The consecutive run months without receipt, oldest first (3 or more).
    pub months: Vec<Month>,
    pub citation: String,
}

/// Consecutive months without receipt that flag a suspension.
pub const SUSPENSION_AFTER_MONTHS: usize = 3;

/// One entitlement's ledger after a run and its results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settlement {
    pub entitlement: EntitlementId,
    /// The ledger before the next month's run.
    pub ledger: Ledger,
    pub suspension: Option<SuspensionFlag>,
    /// Payments of this entitlement with no result yet: neither carried nor counted.
    pub unresolved: Vec<PaymentKey>,
}

/// The ledger after a unit's run and its results for one entitlement: `previous` is the
/// ledger the run read, `outcome` the imported results.
pub fn settle(
    run: &UnitRun,
    entitlement: EntitlementId,
    previous: &Ledger,
    outcome: impl Fn(&PaymentKey) -> Option<Outcome>,
) -> Settlement {
    let month = run.month;
    let start = run
        .lines
        .partition_point(|l| l.key.entitlement < entitlement);
    let end = run
        .lines
        .partition_point(|l| l.key.entitlement <= entitlement);
    let lines = run.lines.get(start..end).unwrap_or(&[]);
    let checked = run.checked.iter().find(|c| c.entitlement == entitlement);
    let beneficiary = lines
        .first()
        .map(|l| l.key.beneficiary)
        .or(checked.map(|c| c.beneficiary))
        .unwrap_or(PersonId(0));
    let mut ledger = previous.clone();
    // Listed amounts (monthly, arrears, recoveries), whatever the outcome.
    for line in lines.iter().filter(|l| l.key.kind.counts_as_listed()) {
        match ledger.listed.iter_mut().find(|p| {
            p.month == line.key.for_month && p.kind == line.key.benefit && p.payee == line.key.payee
        }) {
            Some(p) => p.amount += line.amount,
            None => ledger.listed.push(PaidLine {
                month: line.key.for_month,
                kind: line.key.benefit,
                payee: line.key.payee,
                amount: line.amount,
            }),
        }
    }
    ledger.listed.sort_by_key(|p| (p.month, p.kind, p.payee));

    // Carried items are listed again in this run: remove them, remembering when they were
    // first listed.
    let mut first_listed: BTreeMap<_, Month> = BTreeMap::new();
    for line in lines.iter().filter(|l| l.key.kind == LineKind::CarryOver) {
        let k = (
            line.key.for_month,
            line.key.benefit,
            line.key.payee,
            line.key.one_off,
        );
        ledger.unpaid.retain(|u| {
            let same = (u.for_month, u.benefit, u.payee, u.one_off) == k;
            if same {
                let f = first_listed.entry(k).or_insert(u.first_listed);
                *f = (*f).min(u.first_listed);
            }
            !same
        });
    }

    let mut unresolved = Vec::new();
    let mut received = false;
    let mut not_received = false;
    let mut seen: Vec<PaymentKey> = Vec::new();
    for line in lines {
        let payment = line.key.payment();
        let result = outcome(&payment);
        if !seen.contains(&payment) {
            seen.push(payment);
            let total: Money = lines
                .iter()
                .filter(|l| l.key.payment() == payment)
                .map(|l| l.amount)
                .sum();
            match result {
                None => unresolved.push(payment),
                Some(Outcome::Paid) if total > Money::ZERO => received = true,
                Some(Outcome::Unpaid | Outcome::Returned) if total > Money::ZERO => {
                    not_received = true;
                }
                Some(_) => {}
            }
        }
        if let Some(o @ (Outcome::Unpaid | Outcome::Returned)) = result {
            let k = (
                line.key.for_month,
                line.key.benefit,
                line.key.payee,
                line.key.one_off,
            );
            let first = if line.key.kind == LineKind::CarryOver {
                first_listed.get(&k).copied().unwrap_or(month)
            } else {
                month
            };
            ledger.unpaid.push(Unpaid {
                for_month: line.key.for_month,
                benefit: line.key.benefit,
                payee: line.key.payee,
                one_off: line.key.one_off,
                amount: line.amount,
                first_listed: first,
                returned: o == Outcome::Returned,
            });
        }
    }

    ledger
        .unpaid
        .sort_by_key(|u| (u.for_month, u.benefit, u.payee, u.one_off, u.first_listed));
    let mut suspension = None;
    if received {
        ledger.unpaid_months.clear();
    } else if not_received {
        if ledger.unpaid_months.last() != Some(&month.prev()) {
            ledger.unpaid_months.clear();
        }
        if ledger.unpaid_months.last() != Some(&month) {
            ledger.unpaid_months.push(month);
        }
        if ledger.unpaid_months.len() >= SUSPENSION_AFTER_MONTHS {
            suspension = Some(SuspensionFlag {
                entitlement,
                beneficiary,
                months: ledger.unpaid_months.clone(),
                citation: "điểm a khoản 3 Điều 2 Thông tư 02/2021/TT-BLĐTBXH".into(),
            });
        }
    }

    if let Some(c) = checked {
        ledger.reconciled = Some(Reconciled {
            through: month,
            facts: c.facts,
            catalogue: run.catalogue.clone(),
        });
    }
    Settlement {
        entitlement,
        ledger,
        suspension,
        unresolved,
    }
}

/// [`settle`] for every entitlement of a unit's run (those with lines or brought level).
/// `previous` gives the ledger each entitlement had before the run (an empty one if none).
pub fn settle_unit<'l>(
    run: &UnitRun,
    previous: impl Fn(EntitlementId) -> Option<&'l Ledger>,
    results: &ImportReport,
) -> Vec<Settlement> {
    let outcomes = results.outcomes();
    let ids: BTreeSet<EntitlementId> = run
        .lines
        .iter()
        .map(|l| l.key.entitlement)
        .chain(run.checked.iter().map(|c| c.entitlement))
        .collect();
    let empty = Ledger::default();
    ids.into_iter()
        .map(|id| {
            settle(run, id, previous(id).unwrap_or(&empty), |k| {
                outcomes.get(k).copied()
            })
        })
        .collect()
}

impl Ledger {
    /// Drops listed amounts for months before `month` (outside any look-back).
    pub fn trim(&mut self, month: Month) {
        self.listed.retain(|p| p.month >= month);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_as_officers_write_them() {
        for (text, want) in [
            ("1250000", 1_250_000),
            ("1.250.000", 1_250_000),
            ("1,250,000", 1_250_000),
            ("1 250 000 đ", 1_250_000),
            ("1.250.000 đồng", 1_250_000),
            ("-750.000", -750_000),
            ("1250000.0", 1_250_000),
            (" 0 ", 0),
        ] {
            assert_eq!(parse_amount(text), Some(Money(want)), "{text}");
        }
        for bad in ["", "abc", "1,2x", "đ", "--1"] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
    }

    #[test]
    fn results_are_read_with_or_without_diacritics() {
        for (text, want) in [
            ("Đã nhận", Outcome::Paid),
            ("da nhan", Outcome::Paid),
            ("PAID", Outcome::Paid),
            ("Chưa nhận", Outcome::Unpaid),
            ("không nhận", Outcome::Unpaid),
            ("Trả lại", Outcome::Returned),
            ("returned", Outcome::Returned),
        ] {
            assert_eq!(Outcome::parse(text), Some(want), "{text}");
        }
        assert_eq!(Outcome::parse("đã nhậnn"), None);
        assert_eq!(Outcome::parse(""), None);
    }
}
