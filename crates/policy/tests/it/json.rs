//! The JSON form (docs/entitlement-json.md): the documented examples evaluate as documented.

use crate::support::*;
use ansinh_policy::{EvaluateOptions, Lang, evaluate_json, parse_situation};
use serde_json::Value;

pub const EXAMPLE_K4_K6: &str = r#"{
  "month": "2025-09",
  "language": "vi",
  "province": "86",
  "person": {
    "id": "P-0001",
    "birth_date": "1985-04",
    "sex": "female",
    "disability": "especially_severe",
    "certificate_month": "2024-11",
    "marital_status": "widowed",
    "flags": []
  },
  "household": { "id": "H-0001", "poverty": "poor" },
  "children": [
    { "birth_date": "2012-05-01" },
    { "birth_date": "2024-01-20" }
  ],
  "care": { "arrangement": "own_household" },
  "decisions": { "allowance": "2025-01", "caregiving": "2025-01" }
}"#;

#[test]
fn the_documented_example_evaluates() {
    let c = catalogue();
    let report = evaluate_json(&c, EXAMPLE_K4_K6, EvaluateOptions::default()).unwrap();
    let allowance = report.monthly_allowance.as_ref().unwrap();
    // k4: 2 children × 1.0 × 500k; k6 adult ĐBN 2.0 × 500k; both paid (k4 exception).
    assert_eq!(allowance.total.as_i64(), 1_000_000 + 1_000_000);
    assert_eq!(allowance.lines.len(), 2);
    assert_eq!(allowance.lines[0].multiplier, Some(2));
    // Caregiving: household for an ĐBN member (1.0) and the mother herself (infant, 1.5).
    let mut care: Vec<i64> = report
        .caregiving
        .iter()
        .map(|e| e.amount.as_i64())
        .collect();
    care.sort_unstable();
    assert_eq!(care, vec![500_000, 750_000]);
    assert_eq!(report.monthly_total.as_i64(), 3_250_000);
    assert!(report.health_insurance.covered);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["policy_version"]["id"], "nd176-2025");
    assert_eq!(json["monthly_allowance"]["lines"][1]["coefficient"], "2,0");
    let sentence = json["monthly_allowance"]["lines"][1]["sentence"]
        .as_str()
        .unwrap();
    assert!(
        sentence.contains("điểm e khoản 1 Điều 6 Nghị định 20/2021/NĐ-CP"),
        "{sentence}"
    );
}

#[test]
fn english_sentences_on_request() {
    let c = catalogue();
    let report = evaluate_json(
        &c,
        EXAMPLE_K4_K6,
        EvaluateOptions {
            month: Some(month("2025-09")),
            lang: Some(Lang::En),
        },
    )
    .unwrap();
    let line = &report.monthly_allowance.unwrap().lines[1];
    assert!(
        line.sentence
            .starts_with("Monthly social allowance, group k6"),
        "{}",
        line.sentence
    );
    assert!(line.sentence.contains("Decree 20/2021/NĐ-CP, Art. 6(1)(e)"));
}

#[test]
fn situations_round_trip_through_their_strict_json() {
    let parsed = parse_situation(EXAMPLE_K4_K6, false).unwrap();
    let strict = serde_json::to_string(&parsed.situation).unwrap();
    let back: ansinh_policy::Situation = serde_json::from_str(&strict).unwrap();
    assert_eq!(back, parsed.situation);
}

#[test]
fn output_shape_is_pinned() {
    let c = catalogue();
    let report = evaluate_json(&c, EXAMPLE_K4_K6, EvaluateOptions::default()).unwrap();
    let json: Value = serde_json::to_value(&report).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        vec![
            "caregiving",
            "health_insurance",
            "language",
            "month",
            "monthly_allowance",
            "monthly_total",
            "one_off_total",
            "one_offs",
            "pending",
            "policy_version",
            "province",
            "qualifying",
            "status",
        ]
    );
    let line = &json["monthly_allowance"]["lines"][0];
    for key in [
        "kind",
        "rule_id",
        "policy_version",
        "group",
        "coefficient",
        "coefficient_hundredths",
        "base",
        "amount",
        "amount_kind",
        "payee",
        "citation",
        "citation_text",
        "confidence",
        "sentence",
    ] {
        assert!(line.get(key).is_some(), "{key} missing in {line}");
    }
}
