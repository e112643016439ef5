//! Intake: the checklist per application type and receipt date, every missing document named,
//! the receipt and the dossier code.

use crate::*;
use ansinh_workflow::{DocumentKind, MissingDocument, WorkflowError, dossier_code};

fn intake(kind: &str, documents: &[&str], conditions: &[&str]) -> Intake {
    Intake {
        code: "29278-240304-0007".into(),
        application_type: kind.into(),
        unit: "29278".into(),
        channel: Channel::Online,
        documents: documents.iter().map(|s| s.to_string()).collect(),
        conditions: conditions.iter().map(|s| s.to_string()).collect(),
    }
}

#[test]
fn every_missing_document_is_named() {
    // A pregnant disabled applicant in 2022 (household book still required) brings only the form.
    let e = engine()
        .receive(
            &intake("1dd", &["form-1dd"], &["pregnant"]),
            &OFFICER,
            d(2022, 5, 9),
        )
        .unwrap_err();
    assert_eq!(e.code(), "documents-missing");
    let WorkflowError::DocumentsMissing { missing } = e else {
        panic!()
    };
    let codes: Vec<(&str, &str)> = missing.iter().map(|m| (m.code.as_str(), m.kind)).collect();
    assert_eq!(
        codes,
        [
            ("id-card", "show"),
            ("residence-book", "show"),
            ("disability-certificate", "show"),
            ("pregnancy-confirmation", "show"),
        ]
    );
    assert_eq!(
        missing[3],
        MissingDocument {
            code: "pregnancy-confirmation".into(),
            name_vi: "Giấy tờ xác nhận đang mang thai của cơ quan y tế có thẩm quyền".into(),
            name_en: "Confirmation of pregnancy by a competent health authority".into(),
            kind: "show",
        }
    );
    // From 2023 the household book is no longer on the list (LOW: NĐ 104/2022 not read).
    let e = engine()
        .receive(&intake("1dd", &["form-1dd"], &[]), &OFFICER, d(2023, 1, 3))
        .unwrap_err();
    let WorkflowError::DocumentsMissing { missing } = e else {
        panic!()
    };
    let codes: Vec<&str> = missing.iter().map(|m| m.code.as_str()).collect();
    assert_eq!(codes, ["id-card", "disability-certificate"]);
}

#[test]
fn conditions_add_documents() {
    let list = |conds: &[&str]| -> Vec<String> {
        let conds: Vec<String> = conds.iter().map(|s| s.to_string()).collect();
        engine()
            .checklist("04", d(2024, 5, 6), &conds)
            .unwrap()
            .iter()
            .map(|r| r.code.clone())
            .collect()
    };
    assert_eq!(list(&[]), ["form-04", "death-certificate-copy"]);
    assert_eq!(
        list(&["aged_80_other_benefit"]),
        [
            "form-04",
            "death-certificate-copy",
            "benefit-termination-copy"
        ]
    );
    let e = engine()
        .receive(
            &intake("04", &["form-04"], &["rich"]),
            &OFFICER,
            d(2024, 5, 6),
        )
        .unwrap_err();
    assert_eq!(
        e,
        WorkflowError::UnknownCondition {
            code: "rich".into()
        }
    );
    let e = engine()
        .receive(
            &intake("04", &["form-04", "selfie"], &[]),
            &OFFICER,
            d(2024, 5, 6),
        )
        .unwrap_err();
    assert_eq!(
        e,
        WorkflowError::UnknownDocument {
            code: "selfie".into()
        }
    );
    let e = engine()
        .receive(&intake("99", &[], &[]), &OFFICER, d(2024, 5, 6))
        .unwrap_err();
    assert_eq!(e.code(), "unknown-application-type");
}

#[test]
fn only_the_commune_officer_receives() {
    let i = full_intake("1a", d(2024, 5, 6), "C");
    for who in [CHAIRMAN, DISTRICT, PROVINCE, INSPECTOR, FACILITY] {
        let e = engine().receive(&i, &who, d(2024, 5, 6)).unwrap_err();
        assert_eq!(e.code(), "role-not-allowed", "{who:?}");
    }
    let mut i = i;
    i.code = "  ".into();
    assert_eq!(
        engine()
            .receive(&i, &OFFICER, d(2024, 5, 6))
            .unwrap_err()
            .code(),
        "code-required"
    );
    i.code = "C".into();
    i.unit = " ".into();
    let e = engine().receive(&i, &OFFICER, d(2024, 5, 6)).unwrap_err();
    assert_eq!(e.code(), "unit-required");
}

#[test]
fn the_receipt() {
    let r = engine()
        .receive(
            &intake(
                "1c",
                &[
                    "form-1c",
                    "id-card",
                    "birth-certificate",
                    "birth-certificate",
                    "disability-certificate",
                ],
                &[],
            ),
            &OFFICER,
            d(2024, 3, 4),
        )
        .unwrap();
    let receipt = r.receipt;
    assert_eq!(receipt.code, "29278-240304-0007");
    assert_eq!(receipt.form_vi, "Mẫu số 1c");
    assert_eq!(receipt.channel, Channel::Online);
    // Duplicates removed; an extra document is listed too.
    let docs: Vec<(&str, DocumentKind)> = receipt
        .documents
        .iter()
        .map(|x| (x.code.as_str(), x.kind))
        .collect();
    assert_eq!(
        docs,
        [
            ("form-1c", DocumentKind::Attach),
            ("id-card", DocumentKind::Show),
            ("birth-certificate", DocumentKind::Show),
            ("disability-certificate", DocumentKind::Attach),
        ]
    );
    assert_eq!(receipt.expected_by, d(2024, 4, 3));
    assert_eq!(r.event.kind.code(), "received");
    assert_eq!(r.dossier.received_by(), OFFICER.user);
    assert_eq!(r.dossier.unit(), "29278");
    // The dossier survives a JSON round trip (storage).
    let json = serde_json::to_string(&r.dossier).unwrap();
    let back: Dossier = serde_json::from_str(&json).unwrap();
    assert_eq!(back, r.dossier);
}

#[test]
fn dossier_codes() {
    assert_eq!(
        dossier_code("29278", d(2025, 6, 25), 1),
        "29278-250625-0001"
    );
    assert_eq!(
        dossier_code("H59.28", d(2024, 12, 31), 12345),
        "H59.28-241231-12345"
    );
}
