//! Payment lists for the paying organisation (danh sách chi trả): one row per payment, the
//! same columns in CSV (UTF-8 with a byte-order mark, so Excel opens Vietnamese intact) and
//! XLSX, a totals row in figures and in words, and a signature column for cash. The results
//! import reads the same layout back.

use crate::layout::{COLUMNS, Column, TOTAL_LABEL, WORDS_LABEL, channel_label_vi};
use crate::line::{LineKind, PaymentKey};
use crate::payment::Payment;
use crate::run::UnitRun;
use ansinh_domain::cccd::mask_identifier;
use ansinh_domain::person::PaymentChannel;
use ansinh_domain::{Money, Month};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
use serde::{Deserialize, Serialize};

/// What the caller knows about a payee from the registry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    pub name: String,
    /// CCCD (or another identity number).
    pub id_number: Option<String>,
    /// Name of the commune of residence.
    pub commune: String,
    pub hamlet: String,
    pub account: Option<String>,
}

/// How identity numbers appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdDisplay {
    /// Only the last 3 characters (`*********678`).
    Masked,
    Full,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportOptions {
    pub id: IdDisplay,
    /// Only payments of this channel (e.g. the cash signature list); `None`: all.
    pub channel: Option<PaymentChannel>,
    /// Name of the paying unit, for the title (e.g. "Xã Long Đức").
    pub unit_name: String,
}

/// One row of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportRow {
    pub no: u32,
    pub key: PaymentKey,
    pub name: String,
    pub id_number: String,
    pub commune: String,
    pub hamlet: String,
    pub channel: PaymentChannel,
    pub account: String,
    pub monthly: Money,
    pub arrears: Money,
    pub carried: Money,
    pub one_off: Money,
    pub total: Money,
    pub note: String,
}

/// A list ready to write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportSheet {
    pub title: String,
    pub subtitle: String,
    pub month: Month,
    pub rows: Vec<ExportRow>,
    pub monthly: Money,
    pub arrears: Money,
    pub carried: Money,
    pub one_off: Money,
    pub total: Money,
    /// `total` in Vietnamese words (`Money::in_words_vi`).
    pub total_in_words: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    #[error("CSV: {0}")]
    Csv(String),
    #[error("XLSX: {0}")]
    Xlsx(String),
}

/// The list of a unit's run: its payments in line order, filtered by channel.
pub fn sheet(
    run: &UnitRun,
    recipient: impl Fn(&Payment) -> Recipient,
    options: &ExportOptions,
) -> ExportSheet {
    let mut rows = Vec::new();
    for p in &run.payments {
        if options.channel.is_some_and(|c| c != p.channel) {
            continue;
        }
        let r = recipient(p);
        let id_number = match (r.id_number, options.id) {
            (None, _) => String::new(),
            (Some(id), IdDisplay::Full) => id,
            (Some(id), IdDisplay::Masked) => mask_identifier(&id),
        };
        let mut notes: Vec<String> = Vec::new();
        for line in run.lines_of(p) {
            if line.key.kind.is_monthly() {
                continue;
            }
            let text = match line.key.kind {
                LineKind::Arrears | LineKind::Recovery | LineKind::CarryOver => format!(
                    "{} {} {}",
                    line.key.kind.label_vi(),
                    line.key.for_month.display_vi(),
                    line.amount.display_vi()
                ),
                _ => format!("{} {}", line.key.kind.label_vi(), line.amount.display_vi()),
            };
            notes.push(text);
        }
        rows.push(ExportRow {
            no: u32::try_from(rows.len() + 1).unwrap_or(u32::MAX),
            key: p.key,
            name: r.name,
            id_number,
            commune: r.commune,
            hamlet: r.hamlet,
            channel: p.channel,
            account: if p.channel == PaymentChannel::Cash {
                String::new()
            } else {
                r.account.unwrap_or_default()
            },
            monthly: p.monthly,
            arrears: p.arrears,
            carried: p.carried,
            one_off: p.one_off,
            total: p.total,
            note: notes.join("; "),
        });
    }
    let sum = |f: fn(&ExportRow) -> Money| rows.iter().map(f).sum::<Money>();
    let total = sum(|r| r.total);
    let channel = options
        .channel
        .map(|c| format!(" — {}", channel_label_vi(c)))
        .unwrap_or_default();
    ExportSheet {
        title: format!(
            "DANH SÁCH CHI TRẢ TRỢ CẤP XÃ HỘI THÁNG {}",
            run.month.display_vi()
        ),
        subtitle: format!("{} (mã {}){}", options.unit_name, run.unit, channel),
        month: run.month,
        monthly: sum(|r| r.monthly),
        arrears: sum(|r| r.arrears),
        carried: sum(|r| r.carried),
        one_off: sum(|r| r.one_off),
        total,
        total_in_words: total.in_words_vi(),
        rows,
    }
}

fn cell(row: &ExportRow, column: Column) -> Cell<'_> {
    match column {
        Column::No => Cell::Number(i64::from(row.no)),
        Column::Key => Cell::Text(CellText::Owned(row.key.to_string())),
        Column::Name => Cell::Text(CellText::Borrowed(&row.name)),
        Column::IdNumber => Cell::Text(CellText::Borrowed(&row.id_number)),
        Column::Commune => Cell::Text(CellText::Borrowed(&row.commune)),
        Column::Hamlet => Cell::Text(CellText::Borrowed(&row.hamlet)),
        Column::Channel => Cell::Text(CellText::Borrowed(channel_label_vi(row.channel))),
        Column::Account => Cell::Text(CellText::Borrowed(&row.account)),
        Column::Monthly => Cell::Money(row.monthly),
        Column::Arrears => Cell::Money(row.arrears),
        Column::Carried => Cell::Money(row.carried),
        Column::OneOff => Cell::Money(row.one_off),
        Column::Total => Cell::Money(row.total),
        Column::Result | Column::Signature => Cell::Text(CellText::Borrowed("")),
        Column::Note => Cell::Text(CellText::Borrowed(&row.note)),
    }
}

fn total_cell(sheet: &ExportSheet, column: Column) -> Cell<'_> {
    match column {
        Column::Name => Cell::Text(CellText::Borrowed(TOTAL_LABEL)),
        Column::Monthly => Cell::Money(sheet.monthly),
        Column::Arrears => Cell::Money(sheet.arrears),
        Column::Carried => Cell::Money(sheet.carried),
        Column::OneOff => Cell::Money(sheet.one_off),
        Column::Total => Cell::Money(sheet.total),
        _ => Cell::Text(CellText::Borrowed("")),
    }
}

enum CellText<'a> {
    Borrowed(&'a str),
    Owned(String),
}

impl CellText<'_> {
    fn as_str(&self) -> &str {
        match self {
            CellText::Borrowed(s) => s,
            CellText::Owned(s) => s,
        }
    }
}

enum Cell<'a> {
    Text(CellText<'a>),
    Number(i64),
    Money(Money),
}

impl Cell<'_> {
    fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.as_str().to_string(),
            Cell::Number(n) => n.to_string(),
            Cell::Money(m) => m.as_i64().to_string(),
        }
    }
}

fn words_row(sheet: &ExportSheet) -> String {
    format!("{WORDS_LABEL}: {}", sheet.total_in_words)
}

/// CSV: UTF-8 with a byte-order mark, `,` separated, CRLF; amounts as plain integers.
pub fn to_csv(sheet: &ExportSheet) -> Result<Vec<u8>, ExportError> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let err = |e: csv::Error| ExportError::Csv(e.to_string());
        w.write_record([sheet.title.as_str()]).map_err(err)?;
        w.write_record([sheet.subtitle.as_str()]).map_err(err)?;
        w.write_record(COLUMNS.iter().map(|(_, h, _)| *h))
            .map_err(err)?;
        for row in &sheet.rows {
            w.write_record(COLUMNS.iter().map(|(c, _, _)| cell(row, *c).text()))
                .map_err(err)?;
        }
        w.write_record(COLUMNS.iter().map(|(c, _, _)| total_cell(sheet, *c).text()))
            .map_err(err)?;
        let words = words_row(sheet);
        w.write_record(COLUMNS.iter().map(|(c, _, _)| {
            if *c == Column::Name {
                words.as_str()
            } else {
                ""
            }
        }))
        .map_err(err)?;
        w.flush().map_err(|e| ExportError::Csv(e.to_string()))?;
    }
    Ok(out)
}

/// XLSX with the same rows and columns; amounts are numbers formatted `#,##0`.
pub fn to_xlsx(sheet: &ExportSheet) -> Result<Vec<u8>, ExportError> {
    let err = |e: rust_xlsxwriter::XlsxError| ExportError::Xlsx(e.to_string());
    let mut workbook = Workbook::new();
    let title = Format::new().set_bold().set_font_size(13);
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin);
    let text = Format::new().set_border(FormatBorder::Thin);
    let money = Format::new()
        .set_num_format("#,##0")
        .set_border(FormatBorder::Thin);
    let bold_money = Format::new()
        .set_bold()
        .set_num_format("#,##0")
        .set_border(FormatBorder::Thin);
    let bold_text = Format::new().set_bold().set_border(FormatBorder::Thin);
    let ws = workbook.add_worksheet();
    ws.set_name(format!(
        "Chi trả {}",
        sheet.month.display_vi().replace('/', "-")
    ))
    .map_err(err)?;
    ws.write_string_with_format(0, 0, &sheet.title, &title)
        .map_err(err)?;
    ws.write_string(1, 0, &sheet.subtitle).map_err(err)?;
    let header_row = 2u32;
    for (i, (_, h, _)) in COLUMNS.iter().enumerate() {
        let col = u16::try_from(i).unwrap_or(u16::MAX);
        ws.write_string_with_format(header_row, col, *h, &header)
            .map_err(err)?;
    }
    let write = |ws: &mut rust_xlsxwriter::Worksheet,
                 r: u32,
                 col: u16,
                 c: Cell<'_>,
                 bold: bool|
     -> Result<(), ExportError> {
        match c {
            Cell::Text(t) => ws
                .write_string_with_format(r, col, t.as_str(), if bold { &bold_text } else { &text })
                .map(|_| ())
                .map_err(err),
            Cell::Number(n) => ws
                .write_number_with_format(r, col, n as f64, &text)
                .map(|_| ())
                .map_err(err),
            Cell::Money(m) => ws
                .write_number_with_format(
                    r,
                    col,
                    m.as_i64() as f64,
                    if bold { &bold_money } else { &money },
                )
                .map(|_| ())
                .map_err(err),
        }
    };
    let mut r = header_row + 1;
    for row in &sheet.rows {
        for (i, (c, _, _)) in COLUMNS.iter().enumerate() {
            let col = u16::try_from(i).unwrap_or(u16::MAX);
            write(ws, r, col, cell(row, *c), false)?;
        }
        r += 1;
    }
    for (i, (c, _, _)) in COLUMNS.iter().enumerate() {
        let col = u16::try_from(i).unwrap_or(u16::MAX);
        write(ws, r, col, total_cell(sheet, *c), true)?;
    }
    let name_col = COLUMNS
        .iter()
        .position(|(c, _, _)| *c == Column::Name)
        .and_then(|i| u16::try_from(i).ok())
        .unwrap_or(2);
    ws.write_string(r + 1, name_col, words_row(sheet))
        .map_err(err)?;
    for (i, (c, _, _)) in COLUMNS.iter().enumerate() {
        let col = u16::try_from(i).unwrap_or(u16::MAX);
        let width = match c {
            Column::No => 5.0,
            Column::Key => 22.0,
            Column::Name => 26.0,
            Column::IdNumber | Column::Account => 16.0,
            Column::Commune | Column::Hamlet | Column::Channel => 16.0,
            Column::Result => 18.0,
            Column::Signature => 16.0,
            Column::Note => 40.0,
            _ => 14.0,
        };
        ws.set_column_width(col, width).map_err(err)?;
    }
    ws.set_freeze_panes(header_row + 1, 0).map_err(err)?;
    workbook.save_to_buffer().map_err(err)
}
