//! Timeliness figures per unit and period (SPEC A3 indicator 5).

use crate::*;
use ansinh_workflow::{End, timeliness};

/// A three-tier dossier of `unit` received on `received`, granted after a review of
/// `review_days` and 2 + 1 + 5 + 2 working days for the other steps.
fn decided(unit: &str, received: NaiveDate, review_days: i64) -> Dossier {
    let mut i = full_intake("1a", received, &format!("{unit}-{received}"));
    i.unit = unit.into();
    let x = engine().receive(&i, &OFFICER, received).unwrap().dossier;
    let c = cal();
    let r = c.add_working_days(received, review_days).unwrap();
    let x = ok(&x, &complete("commune_review", "pass"), &OFFICER, r);
    let p = c.add_working_days(r, 2).unwrap();
    let x = ok(&x, &complete("public_posting", "done"), &OFFICER, p);
    let q = c.add_working_days(p, 1).unwrap();
    let x = ok(&x, &complete("commune_proposal", "propose"), &CHAIRMAN, q);
    let a = c.add_working_days(q, 5).unwrap();
    let x = ok(&x, &complete("district_appraisal", "approve"), &DISTRICT, a);
    let g = c.add_working_days(a, 2).unwrap();
    ok(&x, &grant(), &DISTRICT2, g)
}

#[test]
fn share_on_time_and_medians_per_unit() {
    // Unit A: review 3, 5 and 20 working days (the last one late: 3 + 20 + 2 + 1 + 5 + 2 = 30 > 22).
    let a1 = decided("A", d(2024, 3, 4), 3);
    let a2 = decided("A", d(2024, 3, 5), 5);
    let a3 = decided("A", d(2024, 3, 6), 20);
    // Unit B: one refusal at the review, and one dossier still open.
    let b1 = {
        let mut i = full_intake("1a", d(2024, 3, 4), "B-1");
        i.unit = "B".into();
        let x = engine()
            .receive(&i, &OFFICER, d(2024, 3, 4))
            .unwrap()
            .dossier;
        ok(
            &x,
            &refuse("commune_review", "fail", "Không thuộc diện"),
            &OFFICER,
            d(2024, 3, 8),
        )
    };
    let b2 = receive("1a", d(2024, 3, 4)).dossier;
    let all = [a1, a2, a3, b1, b2];
    let t = timeliness(cal(), &all, d(2024, 1, 1), d(2024, 12, 31), |x| {
        x.unit().to_owned()
    })
    .unwrap();
    let a = &t["A"];
    assert_eq!((a.closed, a.on_time), (3, 2));
    assert_eq!(a.share_on_time(), Some(2.0 / 3.0));
    assert_eq!(a.by_end[&End::Granted], 3);
    let review = &a.steps["commune_review"];
    assert_eq!(
        (review.count, review.median, review.min, review.max),
        (3, 5.0, 3, 20)
    );
    assert_eq!(a.steps["district_appraisal"].median, 5.0);
    assert_eq!(a.median_total, Some(15.0));
    let b = &t["B"];
    assert_eq!((b.closed, b.on_time), (1, 1));
    assert_eq!(b.by_end[&End::Refused], 1);
    assert_eq!(t.len(), 2, "the open dossier of unit 29278 is not counted");
    // The period filters on the closure date.
    let none = timeliness(cal(), &all, d(2025, 1, 1), d(2025, 12, 31), |x| {
        x.unit().to_owned()
    })
    .unwrap();
    assert!(none.is_empty());
}
