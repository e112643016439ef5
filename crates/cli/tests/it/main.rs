//! The `ansinh` binary as users run it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail loudly

mod crash;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use ansinh_store::audit::{self, AuditEntry};
use ansinh_store::db::{DbTarget, stmt};
use ansinh_testkit::db_test;
use sea_orm::ConnectionTrait;

fn ansinh(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ansinh"))
        .args(args)
        .env_remove("ANSINH_DATA_DIR")
        .env_remove("ANSINH_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn entitlement_reads_a_document_from_stdin_or_a_file() {
    let doc = r#"{"person": {"birth_date": "1975-06-01", "disability": "severe", "certificate_month": "2024-01"},
                  "household": {"poverty": "none"}}"#;
    let out = ansinh(&["entitlement", "--month", "2024-07"], Some(doc));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    // k6 adult, severe: 1.5 × 500,000 from July 2024 (NĐ 76/2024).
    assert_eq!(report["monthly_allowance"]["lines"][0]["amount"], 750_000);
    assert_eq!(report["monthly_allowance"]["lines"][0]["group"], "k6");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("situation.json");
    std::fs::write(&path, doc).unwrap();
    let out = ansinh(
        &[
            "entitlement",
            "--month",
            "2024-06",
            "--english",
            path.to_str().unwrap(),
        ],
        None,
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        report["monthly_allowance"]["lines"][0]["amount"], 540_000,
        "1.5 × 360,000 in June 2024"
    );
    assert_eq!(report["language"], "en");
}

#[test]
fn an_invalid_document_lists_every_problem_and_exits_with_2() {
    let doc =
        r#"{"person": {"birth_date": "2030", "shoe_size": 42}, "household": {"poverty": "very"}}"#;
    let out = ansinh(&["entitlement", "--month", "2026-01"], Some(doc));
    assert_eq!(out.status.code(), Some(2));
    let body: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let codes: Vec<&str> = body["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert!(codes.len() >= 2, "{codes:?}");
    assert!(!stdout(&out).contains("amount"));
}

#[test]
fn calendar_commands_print_holidays_and_working_days() {
    let out = ansinh(&["calendar", "holidays", "2026"], None);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(
        text.lines()
            .all(|l| l.split('\t').count() == 2 && l.len() > 11),
        "{text}"
    );
    assert!(text.contains("2026-02-16\t"), "Tết 2026");
    assert!(
        text.contains("2026-04-27\t"),
        "Hùng Kings' day moved from Sunday 26 April"
    );
    // Thursday 12 February 2026 + 3 working days: Friday 13, then the Tết break to Sunday 22.
    let out = ansinh(&["calendar", "add-working-days", "2026-02-12", "3"], None);
    assert_eq!(stdout(&out).trim(), "2026-02-24");
    let out = ansinh(&["calendar", "add-working-days", "12/02/2026", "3"], None);
    assert!(!out.status.success());
}

db_test!(audit_verify_names_the_first_broken_row, |t| async move {
    for i in 1..=4 {
        let txn = t.db.begin().await.unwrap();
        audit::append(
            &txn,
            AuditEntry {
                chain: "86".into(),
                at: chrono::DateTime::<chrono::Utc>::default(),
                actor_id: Some(1),
                actor: "canbo.xa".into(),
                source: "127.0.0.1".into(),
                action: "person.update".into(),
                entity: "person".into(),
                entity_id: i.to_string(),
                before: None,
                after: Some(serde_json::json!({"n": i})),
            },
        )
        .await
        .unwrap();
        txn.commit().await.unwrap();
    }
    let target = match &t.target {
        DbTarget::DataDir(dir) => vec!["--data-dir".to_string(), dir.display().to_string()],
        DbTarget::Url(url) => vec!["--database-url".to_string(), url.clone()],
    };
    let mut args: Vec<&str> = target.iter().map(String::as_str).collect();
    args.extend(["audit", "verify"]);
    let out = ansinh(&args, None);
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(stdout(&out).contains("4 rows"));
    let conn = t.db.conn();
    conn.execute_raw(stmt(
        conn.get_database_backend(),
        "UPDATE audit_log SET actor = $1 WHERE seq = $2",
        ["ai đó".into(), 3i64.into()],
    ))
    .await
    .unwrap();
    let out = ansinh(&args, None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("chain 86 at row 3"),
        "{}",
        stdout(&out)
    );
});
