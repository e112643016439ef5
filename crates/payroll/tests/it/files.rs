//! Exports for the paying organisation and the results import (CSV and XLSX).

use crate::support::*;
use ansinh_domain::person::PaymentChannel;
use ansinh_payroll::export::{self, ExportOptions, IdDisplay, Recipient};
use ansinh_payroll::results::{self, BadReason, ImportError};
use ansinh_payroll::*;

/// Five people in commune A: cash and bank; one with July arrears.
fn unit_run() -> Run {
    let mut es: Vec<Entitlement<'static>> = (1..=5)
        .map(|i| entitlement(i, elderly_poor("1950-01-01", "2025-01")))
        .collect();
    for e in es.iter_mut() {
        // January was listed at 1,5 × 500.000.
        e.ledger.listed.push(ansinh_policy::PaidLine {
            month: month("2025-01"),
            kind: ansinh_policy::Section::Allowance,
            payee: ansinh_policy::PayeeKind::SelfPerson,
            amount: money(750_000),
        });
    }
    for e in es.iter_mut().skip(3) {
        e.channel = PaymentChannel::Bank;
        e.account = Some(format!("10020030{}", e.id));
    }
    // Entitlement 3 turned 80 in January (2,0): January is owed 250.000 more.
    es[2].situation.to_mut().person.birth_date = born("1945-01-10");
    run("2025-02", &es)
}

fn recipient(p: &Payment) -> Recipient {
    Recipient {
        name: format!("Nguyễn Thị Đào {}", p.key.entitlement),
        id_number: Some(format!("08418500012{}", p.key.entitlement)),
        commune: "Xã Long Đức".into(),
        hamlet: "Ấp Phú Hòa".into(),
        account: Some(format!("10020030{}", p.key.entitlement)),
    }
}

fn options(id: IdDisplay, channel: Option<PaymentChannel>) -> ExportOptions {
    ExportOptions {
        id,
        channel,
        unit_name: "Xã Long Đức".into(),
    }
}

#[test]
fn the_csv_export_opens_in_excel_with_vietnamese_intact() {
    let r = unit_run();
    let u = &r.units[0];
    let sheet = export::sheet(u, recipient, &options(IdDisplay::Masked, None));
    assert_eq!(sheet.rows.len(), 5);
    assert_eq!(sheet.total.as_i64(), 4 * 750_000 + 1_000_000 + 250_000);
    assert_eq!(sheet.arrears.as_i64(), 250_000);
    assert_eq!(
        sheet.total_in_words,
        "Bốn triệu hai trăm năm mươi nghìn đồng"
    );
    let csv = export::to_csv(&sheet).unwrap();
    assert_eq!(&csv[..3], &[0xEF, 0xBB, 0xBF], "byte-order mark");
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(text.starts_with("DANH SÁCH CHI TRẢ TRỢ CẤP XÃ HỘI THÁNG 02/2025\r\n"));
    assert!(text.contains("Nguyễn Thị Đào 1"));
    assert!(text.contains("*********121"), "masked: {text}");
    assert!(!text.contains("084185000121"));
    assert!(text.contains("Bằng chữ: Bốn triệu hai trăm năm mươi nghìn đồng"));
    assert!(text.contains("Truy lĩnh 01/2025 250.000 đ"));
    let full = export::to_csv(&export::sheet(
        u,
        recipient,
        &options(IdDisplay::Full, None),
    ))
    .unwrap();
    assert!(String::from_utf8(full).unwrap().contains("084185000121"));

    // The cash signature list: the three cash payments only.
    let cash = export::sheet(
        u,
        recipient,
        &options(IdDisplay::Masked, Some(PaymentChannel::Cash)),
    );
    assert_eq!(cash.rows.len(), 3);
    assert!(cash.rows.iter().all(|r| r.account.is_empty()));
    assert!(cash.subtitle.contains("Tiền mặt"));
}

#[test]
fn the_import_reads_the_export_back() {
    let r = unit_run();
    let u = &r.units[0];
    let sheet = export::sheet(u, recipient, &options(IdDisplay::Masked, None));
    let csv = export::to_csv(&sheet).unwrap();
    // As exported, every row lacks a result; keys and amounts are all recognised.
    let report = results::import_csv(&csv, &u.payments).unwrap();
    assert!(report.accepted.is_empty());
    assert_eq!(report.bad.len(), 5);
    assert!(
        report
            .bad
            .iter()
            .all(|b| b.reasons == vec![BadReason::MissingResult])
    );
    assert_eq!(
        report.bad[0].row, 4,
        "title, subtitle and header come first"
    );

    let xlsx = export::to_xlsx(&sheet).unwrap();
    assert_eq!(&xlsx[..2], b"PK");
    let table = results::read_xlsx(&xlsx).unwrap();
    let report = results::import(&table, &u.payments).unwrap();
    assert_eq!(report.bad.len(), 5);
    assert!(
        report
            .bad
            .iter()
            .all(|b| b.reasons == vec![BadReason::MissingResult])
    );
    assert_eq!(report.bad[0].row, 4);
    assert!(
        table
            .rows
            .iter()
            .any(|(_, cells)| cells.iter().any(|c| c.starts_with("Bằng chữ: Bốn triệu")))
    );
}

/// The exported CSV with results filled in, some rows spoilt, re-written with `sep`.
fn results_csv(bom: bool, sep: u8) -> (Run, Vec<u8>) {
    let r = unit_run();
    let u = &r.units[0];
    let sheet = export::sheet(u, recipient, &options(IdDisplay::Masked, None));
    let csv = export::to_csv(&sheet).unwrap();
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&csv[3..]);
    let mut rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let result_col = 13;
    let total_col = 12;
    // Rows 4–8 are the five payments (file rows, 1-based).
    rows[3][result_col] = "Đã nhận".into(); // good
    rows[4][result_col] = "chua nhan".into(); // good, no diacritics
    rows[5][result_col] = "đã nhậnn".into(); // bad result
    rows[6][result_col] = "Trả lại".into();
    rows[6][total_col] = "700.000".into(); // wrong amount
    rows[7][result_col] = "x".into(); // bad result…
    rows[7][total_col] = "abc".into(); // …and bad amount
    let mut duplicate = rows[3].clone(); // row 9: same key as row 4
    duplicate[result_col] = "chưa nhận".into();
    let mut unknown = rows[4].clone(); // row 10: a key of no payment
    unknown[1] = "2025-02/999/self".into();
    let mut fixed = rows[5].clone(); // row 11: row 6 corrected
    fixed[result_col] = "trả lại".into();
    let footer = rows.split_off(8);
    rows.push(duplicate);
    rows.push(unknown);
    rows.push(fixed);
    rows.extend(footer);
    let mut out = if bom {
        vec![0xEF, 0xBB, 0xBF]
    } else {
        Vec::new()
    };
    {
        let mut w = ::csv::WriterBuilder::new()
            .delimiter(sep)
            .flexible(true)
            .from_writer(&mut out);
        for row in &rows {
            w.write_record(row).unwrap();
        }
        w.flush().unwrap();
    }
    (r, out)
}

#[test]
fn a_results_file_with_bad_rows_keeps_the_good_ones() {
    for (bom, sep) in [(true, b','), (false, b';'), (false, b','), (true, b';')] {
        let (r, bytes) = results_csv(bom, sep);
        let u = &r.units[0];
        let report = results::import_csv(&bytes, &u.payments).unwrap();
        let accepted: Vec<(u32, String, Outcome)> = report
            .accepted
            .iter()
            .map(|a| (a.row, a.key.to_string(), a.outcome))
            .collect();
        assert_eq!(
            accepted,
            vec![
                (4, "2025-02/1/self".into(), Outcome::Paid),
                (5, "2025-02/2/self".into(), Outcome::Unpaid),
                (11, "2025-02/3/self".into(), Outcome::Returned),
            ],
            "bom {bom} sep {}",
            sep as char
        );
        let bad: Vec<(u32, Vec<BadReason>)> = report
            .bad
            .iter()
            .map(|b| (b.row, b.reasons.clone()))
            .collect();
        assert_eq!(
            bad,
            vec![
                (
                    6,
                    vec![BadReason::BadResult {
                        value: "đã nhậnn".into()
                    }]
                ),
                (
                    7,
                    vec![BadReason::WrongAmount {
                        expected: money(750_000),
                        found: money(700_000)
                    }]
                ),
                (
                    8,
                    vec![
                        BadReason::BadResult { value: "x".into() },
                        BadReason::BadAmount {
                            value: "abc".into()
                        }
                    ]
                ),
                (9, vec![BadReason::Duplicate { first_row: 4 }]),
                (10, vec![BadReason::UnknownKey]),
            ]
        );
        assert_eq!(report.bad[3].key, "2025-02/1/self");
        assert!(report.bad[1].reasons[0].message_vi().contains("700.000 đ"));
        let missing: Vec<String> = report.missing.iter().map(|k| k.to_string()).collect();
        assert_eq!(missing, vec!["2025-02/4/self", "2025-02/5/self"]);

        // The good rows settle: 2 and 3 carry over, 1 is paid, 4 and 5 stay unresolved.
        let settled = settle_unit(u, |_| None, &report);
        let carried: Vec<(i64, usize, bool)> = settled
            .iter()
            .map(|s| {
                (
                    s.entitlement.0,
                    s.ledger.unpaid.len(),
                    s.unresolved.is_empty(),
                )
            })
            .collect();
        assert_eq!(
            carried,
            vec![
                (1, 0, true),
                (2, 1, true),
                (3, 2, true),
                (4, 0, false),
                (5, 0, false)
            ]
        );
        let returned = &settled[2].ledger.unpaid;
        assert!(returned.iter().all(|u| u.returned));
        assert_eq!(
            returned.iter().map(|u| u.amount.as_i64()).sum::<i64>(),
            1_250_000
        );
    }
}

#[test]
fn an_xlsx_results_file_is_read_by_its_headers() {
    let r = unit_run();
    let u = &r.units[0];
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    // The paying organisation's own sheet: a title, columns in another order, English
    // headers for some, amounts as numbers.
    ws.write_string(0, 0, "BÁO CÁO KẾT QUẢ CHI TRẢ").unwrap();
    for (c, h) in ["Kết quả", "Ghi chú", "Mã chi trả", "Total"]
        .iter()
        .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let outcomes = ["đã nhận", "Chưa nhận", "trả lại", "paid", "returned"];
    for (i, p) in u.payments.iter().enumerate() {
        let row = 3 + i as u32;
        ws.write_string(row, 0, outcomes[i]).unwrap();
        ws.write_string(row, 2, p.key.to_string()).unwrap();
        ws.write_number(row, 3, p.total.as_i64() as f64).unwrap();
    }
    ws.write_string(9, 2, "").unwrap();
    ws.write_string(9, 3, "1000").unwrap(); // a stray amount without a key
    let bytes = wb.save_to_buffer().unwrap();
    let report = results::import_xlsx(&bytes, &u.payments).unwrap();
    let accepted: Vec<Outcome> = report.accepted.iter().map(|a| a.outcome).collect();
    assert_eq!(
        accepted,
        vec![
            Outcome::Paid,
            Outcome::Unpaid,
            Outcome::Returned,
            Outcome::Paid,
            Outcome::Returned
        ]
    );
    assert_eq!(report.accepted[0].row, 4);
    assert_eq!(report.bad.len(), 1);
    assert_eq!(report.bad[0].row, 10);
    assert_eq!(report.bad[0].reasons, vec![BadReason::MissingKey]);
    assert!(report.missing.is_empty());
}

#[test]
fn files_that_cannot_be_read_are_refused_whole() {
    let r = unit_run();
    let u = &r.units[0];
    assert_eq!(
        results::import_csv(b"a,b\n1,2\n", &u.payments),
        Err(ImportError::NoHeader)
    );
    assert_eq!(
        results::import_csv(&[0xff, 0xfe, 0x41], &u.payments),
        Err(ImportError::NotUtf8)
    );
    assert!(matches!(
        results::import_xlsx(b"not a zip", &u.payments),
        Err(ImportError::Xlsx(_))
    ));
}
