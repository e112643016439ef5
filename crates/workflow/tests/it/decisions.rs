//! Decisions outside the intake flow: issuing authority by date (data), reason codes of
//! TT 02/2021 Art. 2, maker-checker, numbers.

use crate::*;
use ansinh_workflow::{DecisionNumber, DecisionRequest, NumberingKey};

fn request(
    kind: &str,
    family: &str,
    date: NaiveDate,
    codes: &[&str],
    text: &[&str],
) -> DecisionRequest {
    DecisionRequest {
        kind: kind.into(),
        family: family.into(),
        date,
        reason_codes: codes.iter().map(|s| s.to_string()).collect(),
        reasons: text.iter().map(|s| s.to_string()).collect(),
        prepared_by: OFFICER,
    }
}

#[test]
fn the_issuing_authority_changes_on_1_july_2025() {
    let c = catalogue();
    let who = |kind: &str, family: &str, date| {
        c.issuing_authority(kind, family, date)
            .map(|(a, _)| a.code.as_str())
    };
    assert_eq!(
        who("terminate", "regular", d(2019, 5, 2)).unwrap(),
        "district_chairman"
    );
    assert_eq!(
        who("terminate", "regular", d(2025, 6, 30)).unwrap(),
        "district_chairman"
    );
    assert_eq!(
        who("terminate", "regular", d(2025, 7, 1)).unwrap(),
        "commune_chairman"
    );
    assert_eq!(
        who("move_within", "regular", d(2023, 3, 1)).unwrap(),
        "district_labour_office"
    );
    assert_eq!(
        who("funeral_support", "funeral", d(2024, 1, 2)).unwrap(),
        "district_chairman"
    );
    assert_eq!(
        who("funeral_support", "funeral", d(2025, 7, 2)).unwrap(),
        "commune_chairman"
    );
    assert_eq!(
        who("grant", "social_pension", d(2025, 7, 2)).unwrap(),
        "commune_chairman"
    );
    assert_eq!(
        who("grant", "facility", d(2024, 7, 2)).unwrap(),
        "facility_head"
    );
    assert_eq!(
        who("grant", "social_pension", d(2025, 6, 2))
            .unwrap_err()
            .code(),
        "no-authority"
    );
    assert_eq!(
        who("pardon", "regular", d(2025, 6, 2)).unwrap_err().code(),
        "unknown-decision-kind"
    );
}

#[test]
fn suspension_and_termination_need_the_reason_codes_of_tt_02_2021() {
    let c = catalogue();
    let terminate = request("terminate", "regular", d(2025, 8, 5), &["terminate.a"], &[]);
    let ok = c.check_decision(&terminate, &CHAIRMAN).unwrap();
    assert_eq!(ok.authority.code, "commune_chairman");
    assert_eq!(
        ok.reasons[0].text_vi,
        "Đối tượng chết hoặc mất tích theo quy định của pháp luật"
    );
    assert_eq!(ok.reasons[0].citation, "TT 02/2021/TT-BLĐTBXH Art. 2(1)(a)");
    assert_eq!(ok.number(125).to_string(), "125/QĐ-UBND");

    let none = request("terminate", "regular", d(2025, 8, 5), &[], &["chết"]);
    assert_eq!(
        c.check_decision(&none, &CHAIRMAN).unwrap_err().code(),
        "reasons-required"
    );
    // A suspension reason does not terminate.
    let wrong = request("terminate", "regular", d(2025, 8, 5), &["suspend.a"], &[]);
    assert_eq!(
        c.check_decision(&wrong, &CHAIRMAN).unwrap_err().code(),
        "unknown-reason"
    );
    let suspend = request("suspend", "regular", d(2025, 8, 5), &["suspend.c"], &[]);
    assert!(c.check_decision(&suspend, &CHAIRMAN).is_ok());
    // Caregiving termination codes.
    let care = request(
        "terminate",
        "regular",
        d(2024, 8, 5),
        &["terminate_care.c"],
        &[],
    );
    assert_eq!(
        c.check_decision(&care, &DISTRICT).unwrap().authority.code,
        "district_chairman"
    );
    // Reject needs a written reason; grant none.
    let reject = request("reject", "regular", d(2025, 8, 5), &[], &[" "]);
    assert_eq!(
        c.check_decision(&reject, &CHAIRMAN).unwrap_err().code(),
        "reasons-required"
    );
    assert!(
        c.check_decision(
            &request("grant", "regular", d(2025, 8, 5), &[], &[]),
            &CHAIRMAN
        )
        .is_ok()
    );
    // Every reason set of TT 02/2021 Art. 2 is there: 5 + 4 + 3 codes.
    let n: Vec<usize> = [
        "termination_allowance",
        "termination_caregiving",
        "suspension",
    ]
    .iter()
    .map(|s| c.reason_set(s).unwrap().reasons.len())
    .collect();
    assert_eq!(n, [5, 4, 3]);
}

#[test]
fn maker_checker_and_roles_for_decisions() {
    let c = catalogue();
    let adjust = request("adjust", "regular", d(2025, 8, 5), &[], &["Trẻ đủ 4 tuổi"]);
    // A commune officer cannot approve.
    assert_eq!(
        c.check_decision(&adjust, &OFFICER2).unwrap_err().code(),
        "role-not-allowed"
    );
    // The preparer cannot approve, whatever their role.
    let mut own = adjust.clone();
    own.prepared_by = CHAIRMAN;
    let e = c.check_decision(&own, &CHAIRMAN).unwrap_err();
    assert!(matches!(
        e.code(),
        "role-not-allowed" | "maker-cannot-check"
    ));
    // Three-tier era: the district officer who prepared it cannot record it.
    let mut district = request("adjust", "regular", d(2024, 8, 5), &[], &["Trẻ đủ 4 tuổi"]);
    district.prepared_by = DISTRICT;
    assert_eq!(
        c.check_decision(&district, &DISTRICT).unwrap_err().code(),
        "maker-cannot-check"
    );
    assert!(c.check_decision(&district, &DISTRICT2).is_ok());
    // The commune chairman cannot record a district chairman's decision.
    assert_eq!(
        c.check_decision(&district, &CHAIRMAN).unwrap_err().code(),
        "role-not-allowed"
    );
}

#[test]
fn decision_numbers() {
    let c = catalogue();
    let commune = c.authority("commune_chairman").unwrap();
    assert_eq!(commune.number(125).to_string(), "125/QĐ-UBND");
    let office = c.authority("district_labour_office").unwrap();
    assert_eq!(office.number(12).to_string(), "12/LĐTBXH");
    let facility = c.authority("facility_head").unwrap();
    assert_eq!(
        facility.number_with_symbol(7, "TTBTXH").to_string(),
        "7/QĐ-TTBTXH"
    );
    assert_eq!(
        DecisionNumber {
            seq: 1,
            document: Some("QĐ".into()),
            symbol: "UBND".into()
        }
        .to_string(),
        "1/QĐ-UBND"
    );
    // Sequences restart each calendar year per issuing unit.
    assert_ne!(
        NumberingKey::new("29278", d(2025, 12, 31)),
        NumberingKey::new("29278", d(2026, 1, 1))
    );
    assert_eq!(NumberingKey::new("29278", d(2025, 1, 1)).year, 2025);
}
