//! The acceptance scenarios, with exact đồng amounts at real base levels.

use crate::support::*;
use ansinh_domain::ids::{EntitlementId, PersonId};
use ansinh_domain::person::PaymentChannel;
use ansinh_payroll::*;
use ansinh_policy::PayeeKind;

fn line<'r>(run: &'r Run, kind: LineKind, for_month: &str) -> &'r PayrollLine {
    run.lines()
        .find(|l| l.key.kind == kind && l.key.for_month == month(for_month))
        .unwrap_or_else(|| panic!("no {kind} line for {for_month}: {:?}", summary(run)))
}

fn s(kind: &str, m: &str, amount: i64, reason: &str) -> (String, String, i64, String) {
    (kind.into(), m.into(), amount, reason.into())
}

#[test]
fn a_base_decreed_after_its_effective_date_is_paid_as_arrears_next_month() {
    // NĐ 76/2024/NĐ-CP was signed on 01/07/2024, the day its 500.000 base took effect: the
    // June and July lists were drawn up at 360.000 (k5a, 1,5 × 360.000 = 540.000).
    let before = catalogue_june_2024();
    let after = catalogue();
    let mut e = entitlement(1, elderly_poor("1950-01-01", "2024-06"));

    let june = run_with(&before, "2024-06", std::slice::from_ref(&e), &[]);
    assert_eq!(
        summary(&june),
        vec![s("allowance", "2024-06", 540_000, "decision_start")]
    );
    e.ledger = settle_all(&june, &e, Outcome::Paid).ledger;

    let july = run_with(&before, "2024-07", std::slice::from_ref(&e), &[]);
    assert_eq!(
        summary(&july),
        vec![s("allowance", "2024-07", 540_000, "regular")]
    );
    e.ledger = settle_all(&july, &e, Outcome::Paid).ledger;

    // August, with the decree in the catalogue: 750.000 for August and 140.000 × 1,5 for
    // July.
    let august = run_with(&after, "2024-08", std::slice::from_ref(&e), &[]);
    assert_eq!(
        summary(&august),
        vec![
            s("allowance", "2024-08", 750_000, "regular"),
            s("arrears", "2024-07", 210_000, "base_decreed_late"),
        ]
    );
    let arrears = line(&august, LineKind::Arrears, "2024-07");
    assert_eq!(arrears.amount.as_i64(), 140_000 * 150 / 100);
    let x = &arrears.explanation;
    assert_eq!(x.due.as_i64(), 750_000);
    assert_eq!(x.listed_before.as_i64(), 540_000);
    let basis = x.basis.as_ref().unwrap();
    assert_eq!(basis.base.as_i64(), 500_000);
    assert_eq!(basis.coefficient, Some(150));
    assert_eq!(basis.rule.base_id.as_deref(), Some("base-2024"));
    assert_eq!(basis.rule.group.as_deref(), Some("k5"));
    assert_eq!(basis.rule.policy_version, "nd76-2024");
    assert!(basis.rule.citation_text.contains("Nghị định 20/2021/NĐ-CP"));
    assert!(arrears.sentence_vi().contains("mức chuẩn 500.000 đ"));
    assert_eq!(total(&august), 960_000);
    assert_eq!(august.units[0].payments.len(), 1, "one row on the list");
    assert_eq!(august.units[0].payments[0].arrears.as_i64(), 210_000);

    // September: the ledger is level, nothing more is owed.
    e.ledger = settle_all(&august, &e, Outcome::Paid).ledger;
    let september = run_with(&after, "2024-09", std::slice::from_ref(&e), &[]);
    assert_eq!(
        summary(&september),
        vec![s("allowance", "2024-09", 750_000, "regular")]
    );
    assert!(!september.units[0].checked[0].arrears_recomputed);
}

fn funeral(id: i64, e: &Entitlement<'_>, decided: &str, listed_in: Option<&str>) -> OneOff {
    OneOff {
        id: OneOffId(id),
        entitlement: e.id,
        beneficiary: e.beneficiary,
        paying_unit: e.paying_unit,
        province: e.province,
        kind: OneOffKind::Funeral,
        for_month: month("2025-03"),
        decided: month(decided),
        amount: money(10_000_000),
        payee: PayeeKind::Organiser,
        channel: PaymentChannel::Cash,
        account: None,
        citation: "QĐ 12/QĐ-UBND ngày 20/3/2025; khoản 1 Điều 11 Nghị định 20/2021/NĐ-CP".into(),
        listed_in: listed_in.map(month),
    }
}

#[test]
fn death_mid_month_pays_the_month_the_funeral_once_and_stops_next_month() {
    let c = catalogue();
    // k5a, 84 years old: 2,0 × 500.000 = 1.000.000.
    let mut es = vec![entitlement(2, elderly_poor("1940-05-10", "2025-01"))];
    run_months(&c, &["2025-01", "2025-02"], &mut es);
    let mut e = es.remove(0);
    e.situation.to_mut().person.death_date = Some(date("2025-03-14"));

    // Reported before the March list: March is paid in full; the engine says a funeral
    // support of 20 × 500.000 is due and none is decided yet.
    let march = run_with(&c, "2025-03", std::slice::from_ref(&e), &[]);
    assert_eq!(
        summary(&march),
        vec![s("allowance", "2025-03", 1_000_000, "regular")]
    );
    let notes: Vec<&Note> = march.notes().map(|n| &n.note).collect();
    assert_eq!(
        notes,
        vec![&Note::FuneralDue {
            death_month: month("2025-03"),
            amount: money(10_000_000),
            rule_id: "funeral-beneficiary".into(),
        }]
    );

    // The funeral support is decided in March: it goes on the March list, to the organiser.
    let decided = funeral(77, &e, "2025-03", None);
    let march = run_with(
        &c,
        "2025-03",
        std::slice::from_ref(&e),
        std::slice::from_ref(&decided),
    );
    assert_eq!(
        summary(&march),
        vec![
            s("allowance", "2025-03", 1_000_000, "regular"),
            s("funeral", "2025-03", 10_000_000, "decided"),
        ]
    );
    assert_eq!(march.notes().count(), 0);
    let f = line(&march, LineKind::Funeral, "2025-03");
    assert_eq!(f.key.payee, PayeeKind::Organiser);
    assert_eq!(f.key.one_off, Some(OneOffId(77)));
    assert_eq!(
        march.units[0].payments.len(),
        2,
        "the organiser is paid apart"
    );

    // Running March again gives the same lines, keys and hash.
    let again = run_with(
        &c,
        "2025-03",
        std::slice::from_ref(&e),
        std::slice::from_ref(&decided),
    );
    assert_eq!(again, march);

    // April: nothing monthly, the funeral (listed in March) is not listed again.
    e.ledger = settle_all(&march, &e, Outcome::Paid).ledger;
    let listed = funeral(77, &e, "2025-03", Some("2025-03"));
    let april = run_with(
        &c,
        "2025-04",
        std::slice::from_ref(&e),
        std::slice::from_ref(&listed),
    );
    assert!(summary(&april).is_empty(), "{:?}", summary(&april));
    let notes: Vec<&Note> = april.notes().map(|n| &n.note).collect();
    assert_eq!(
        notes,
        vec![&Note::Died {
            month: month("2025-03")
        }]
    );
}

#[test]
fn a_death_reported_after_the_next_month_was_paid_is_recovered() {
    let c = catalogue();
    let mut es = vec![entitlement(3, elderly_poor("1940-05-10", "2025-01"))];
    run_months(&c, &["2025-01", "2025-02", "2025-03", "2025-04"], &mut es);
    let mut e = es.remove(0);
    e.situation.to_mut().person.death_date = Some(date("2025-03-14"));
    let may = run_with(&c, "2025-05", std::slice::from_ref(&e), &[]);
    assert_eq!(
        summary(&may),
        vec![s("recovery", "2025-04", -1_000_000, "paid_after_death")]
    );
    assert_eq!(may.totals.to_recover.as_i64(), 1_000_000);
    assert_eq!(may.totals.to_pay.as_i64(), 0);
    let notes: Vec<&Note> = may.notes().map(|n| &n.note).collect();
    assert_eq!(
        notes,
        vec![
            &Note::Died {
                month: month("2025-03")
            },
            &Note::FuneralDue {
                death_month: month("2025-03"),
                amount: money(10_000_000),
                rule_id: "funeral-beneficiary".into(),
            },
        ]
    );
}

#[test]
fn the_80th_birthday_starts_the_allowance_with_arrears_before_the_decision() {
    // k5c from the month of the 80th birthday (03/2023), decided in 06/2023: 1,0 × 360.000.
    let e = entitlement(4, elderly_80("1943-03-15", "2023-06"));
    let june = run("2023-06", std::slice::from_ref(&e));
    assert_eq!(
        summary(&june),
        vec![
            s("allowance", "2023-06", 360_000, "decision_start"),
            s("arrears", "2023-03", 360_000, "start_before_decision"),
            s("arrears", "2023-04", 360_000, "start_before_decision"),
            s("arrears", "2023-05", 360_000, "start_before_decision"),
        ]
    );
    assert_eq!(total(&june), 1_440_000);
    let p = &june.units[0].payments[0];
    assert_eq!(
        (p.monthly.as_i64(), p.arrears.as_i64()),
        (360_000, 1_080_000)
    );
}

/// Sum of what was listed for each month, whichever commune listed it.
fn listed_by_month(runs: &[&Run]) -> Vec<(String, i64, i64)> {
    let mut out: std::collections::BTreeMap<String, (i64, i64)> = Default::default();
    for r in runs {
        for l in r.lines() {
            let entry = out.entry(l.key.for_month.to_string()).or_default();
            entry.0 += l.amount.as_i64();
            entry.1 = l.key.entitlement.0;
        }
    }
    out.into_iter().map(|(m, (a, e))| (m, a, e)).collect()
}

#[test]
fn a_move_between_communes_leaves_no_gap_and_pays_no_month_twice() {
    let c = catalogue();
    // k6, especially severe, adult: 2,0 × 500.000 = 1.000.000. Paid by commune A, which
    // stops payment after 04/2025; commune B pays from 05/2025.
    let mut old = vec![entitlement(
        5,
        disabled_adult("1980-01-01", "2025-02", "2025-02"),
    )];
    let feb_mar = run_months(&c, &["2025-02", "2025-03"], &mut old);
    let mut old = old.remove(0);
    old.until = Some(month("2025-04"));
    let mut new = entitlement(6, disabled_adult("1980-01-01", "2025-02", "2025-05"));
    new.beneficiary = old.beneficiary;
    new.paying_unit = unit(COMMUNE_B);
    new.since = Some(month("2025-05"));

    let april = run_with(&c, "2025-04", &[old.clone(), new.clone()], &[]);
    assert_eq!(
        summary(&april),
        vec![s("allowance", "2025-04", 1_000_000, "regular")]
    );
    assert_eq!(april.unit(&unit(COMMUNE_A)).unwrap().lines.len(), 1);
    assert!(april.unit(&unit(COMMUNE_B)).unwrap().lines.is_empty());
    old.ledger = settle_all(&april, &old, Outcome::Paid).ledger;

    // B misses May (the file arrives late) and lists June with May's arrears.
    let may = run_with(&c, "2025-05", std::slice::from_ref(&old), &[]);
    assert!(may.lines().next().is_none());
    assert_eq!(
        may.notes().map(|n| n.note.clone()).collect::<Vec<_>>(),
        vec![Note::MovedOut {
            until: month("2025-04")
        }]
    );
    old.ledger = settle_all(&may, &old, Outcome::Paid).ledger;
    let june = run_with(&c, "2025-06", &[old.clone(), new.clone()], &[]);
    assert_eq!(
        summary(&june),
        vec![
            s("allowance", "2025-06", 1_000_000, "regular"),
            s("arrears", "2025-05", 1_000_000, "not_paid"),
        ]
    );
    assert!(june.lines().all(|l| l.key.entitlement == EntitlementId(6)));
    let runs: Vec<&Run> = feb_mar.iter().chain([&april, &may, &june]).collect();
    assert_eq!(
        listed_by_month(&runs),
        vec![
            ("2025-02".into(), 1_000_000, 5),
            ("2025-03".into(), 1_000_000, 5),
            ("2025-04".into(), 1_000_000, 5),
            ("2025-05".into(), 1_000_000, 6),
            ("2025-06".into(), 1_000_000, 6),
        ]
    );

    // On time, B's first month is a move-in.
    let may_b = run_with(&c, "2025-05", &[old.clone(), new.clone()], &[]);
    assert_eq!(
        summary(&may_b),
        vec![s("allowance", "2025-05", 1_000_000, "move_in")]
    );
}

#[test]
fn unpaid_amounts_carry_over_and_three_months_flag_suspension() {
    let c = catalogue();
    // k5a, 75 years old: 1,5 × 500.000 = 750.000, paid in cash, never collected.
    let mut e = entitlement(7, elderly_poor("1950-01-01", "2025-01"));

    let jan = run_with(&c, "2025-01", std::slice::from_ref(&e), &[]);
    assert_eq!(total(&jan), 750_000);
    let settled = settle_all(&jan, &e, Outcome::Unpaid);
    assert!(settled.suspension.is_none());
    e.ledger = settled.ledger;
    assert_eq!(e.ledger.unpaid_months, vec![month("2025-01")]);

    let feb = run_with(&c, "2025-02", std::slice::from_ref(&e), &[]);
    assert_eq!(
        summary(&feb),
        vec![
            s("allowance", "2025-02", 750_000, "regular"),
            s("carry_over", "2025-01", 750_000, "not_collected"),
        ]
    );
    assert_eq!(feb.units[0].payments[0].total.as_i64(), 1_500_000);
    let settled = settle_all(&feb, &e, Outcome::Unpaid);
    assert!(settled.suspension.is_none());
    e.ledger = settled.ledger;

    let mar = run_with(&c, "2025-03", std::slice::from_ref(&e), &[]);
    assert_eq!(
        summary(&mar),
        vec![
            s("allowance", "2025-03", 750_000, "regular"),
            s("carry_over", "2025-01", 750_000, "not_collected"),
            s("carry_over", "2025-02", 750_000, "not_collected"),
        ]
    );
    assert_eq!(total(&mar), 2_250_000);
    let settled = settle_all(&mar, &e, Outcome::Unpaid);
    let flag = settled.suspension.clone().unwrap();
    assert_eq!(
        flag.months,
        vec![month("2025-01"), month("2025-02"), month("2025-03")]
    );
    assert_eq!(flag.entitlement, EntitlementId(7));
    assert!(flag.citation.contains("Thông tư 02/2021"));
    e.ledger = settled.ledger;
    assert_eq!(e.ledger.unpaid.len(), 3);
    assert!(e.ledger.unpaid.iter().all(|u| u.amount.as_i64() == 750_000),);
    assert_eq!(
        e.ledger
            .unpaid
            .iter()
            .map(|u| u.first_listed.to_string())
            .collect::<Vec<_>>(),
        vec!["2025-01", "2025-02", "2025-03"],
        "a carried amount keeps the month it was first listed"
    );

    // Suspended (tạm dừng) from April: nothing is listed.
    e.status = EntitlementStatus::Suspended;
    let apr = run_with(&c, "2025-04", std::slice::from_ref(&e), &[]);
    assert!(apr.lines().next().is_none());
    assert_eq!(apr.notes().next().unwrap().note, Note::Suspended);

    // Reinstated in June with arrears (TT 02/2021 Art. 6(1)(b)): June, April and May as
    // arrears, and the three amounts never collected.
    e.status = EntitlementStatus::Active;
    let jun = run_with(&c, "2025-06", std::slice::from_ref(&e), &[]);
    assert_eq!(
        summary(&jun),
        vec![
            s("allowance", "2025-06", 750_000, "regular"),
            s("arrears", "2025-04", 750_000, "not_paid"),
            s("arrears", "2025-05", 750_000, "not_paid"),
            s("carry_over", "2025-01", 750_000, "not_collected"),
            s("carry_over", "2025-02", 750_000, "not_collected"),
            s("carry_over", "2025-03", 750_000, "not_collected"),
        ]
    );
    assert_eq!(total(&jun), 4_500_000);
    // Collected in June: the streak and the unpaid amounts are cleared.
    let settled = settle_all(&jun, &e, Outcome::Paid);
    assert!(settled.ledger.unpaid.is_empty());
    assert!(settled.ledger.unpaid_months.is_empty());
}

#[test]
fn a_returned_transfer_is_carried_over_as_returned() {
    let c = catalogue();
    let mut e = entitlement(8, elderly_poor("1950-01-01", "2025-01"));
    e.channel = PaymentChannel::Bank;
    e.account = Some("0123456789".into());
    let jan = run_with(&c, "2025-01", std::slice::from_ref(&e), &[]);
    e.ledger = settle_all(&jan, &e, Outcome::Returned).ledger;
    let feb = run_with(&c, "2025-02", std::slice::from_ref(&e), &[]);
    let carried = line(&feb, LineKind::CarryOver, "2025-01");
    assert_eq!(carried.reason, Reason::Returned);
    assert_eq!(carried.channel, PaymentChannel::Bank);
    assert!(carried.sentence_vi().contains("trả lại"));
}

#[test]
fn caregiving_is_a_line_per_payee() {
    // A widowed mother with especially severe disability raising two children, one under 36
    // months, cared for by her household (docs/entitlement-json.md, example 1).
    let c = catalogue();
    let mut sit = disabled_adult("1985-04", "2025-01", "2025-01");
    sit.person.marital_status = Some(ansinh_policy::facts::MaritalStatus::Widowed);
    sit.household.poverty = ansinh_domain::person::PovertyStatus::Poor;
    sit.groups = vec!["k4".into(), "k6".into()];
    sit.decisions.caregiving = Some(month("2025-01"));
    sit.care = Some(ansinh_policy::facts::Care {
        arrangement: ansinh_policy::facts::CareArrangement::OwnHousehold,
        carer_id: None,
    });
    for b in ["2012-05-01", "2024-01-20"] {
        sit.children.push(ansinh_policy::facts::Child {
            birth_date: born(b),
            studying: false,
            death_date: None,
        });
    }
    let mut e = entitlement(9, sit);
    e.payees.push(PayeeAccount {
        payee: PayeeKind::Household,
        channel: PaymentChannel::Bank,
        account: Some("999".into()),
    });
    let r = run_with(&c, "2025-01", std::slice::from_ref(&e), &[]);
    let lines: Vec<(String, &str, i64, PaymentChannel)> = r
        .lines()
        .map(|l| {
            (
                l.key.kind.to_string(),
                l.key.payee.as_str(),
                l.amount.as_i64(),
                l.channel,
            )
        })
        .collect();
    assert_eq!(
        lines,
        vec![
            ("allowance".into(), "self", 2_000_000, PaymentChannel::Cash),
            ("caregiving".into(), "self", 750_000, PaymentChannel::Cash),
            (
                "caregiving".into(),
                "household",
                500_000,
                PaymentChannel::Bank
            ),
        ]
    );
    let allowance = line(&r, LineKind::Allowance, "2025-01");
    let x = &allowance.explanation;
    let groups = [
        x.basis.as_ref().unwrap().rule.group.clone(),
        x.second.as_ref().unwrap().rule.group.clone(),
    ];
    assert!(groups.contains(&Some("k4".into())) && groups.contains(&Some("k6".into())));
    let keys: std::collections::BTreeSet<String> = r.lines().map(|l| l.key.to_string()).collect();
    assert_eq!(keys.len(), 3);
    assert!(keys.contains("9/1009/2025-01/caregiving/2025-01/caregiving/household"));
    let payments = &r.units[0].payments;
    assert_eq!(payments.len(), 2);
    assert_eq!(
        r.totals
            .channel(PaymentChannel::Bank)
            .unwrap()
            .to_pay
            .as_i64(),
        500_000
    );
    assert_eq!(
        r.totals
            .channel(PaymentChannel::Cash)
            .unwrap()
            .to_pay
            .as_i64(),
        2_750_000
    );
    let _ = PersonId(0);
}

#[test]
fn a_terminated_entitlement_only_recovers() {
    let c = catalogue();
    let mut es = vec![entitlement(10, elderly_poor("1940-05-10", "2025-01"))];
    run_months(&c, &["2025-01", "2025-02", "2025-03", "2025-04"], &mut es);
    let mut e = es.remove(0);
    // Terminated after a death in February, recorded late with the last month paid.
    e.situation.to_mut().person.death_date = Some(date("2025-02-03"));
    e.status = EntitlementStatus::Terminated;
    e.until = Some(month("2025-02"));
    let may = run_with(&c, "2025-05", std::slice::from_ref(&e), &[]);
    assert_eq!(
        summary(&may),
        vec![
            s("recovery", "2025-03", -1_000_000, "paid_after_death"),
            s("recovery", "2025-04", -1_000_000, "paid_after_death"),
        ]
    );
    assert_eq!(
        may.notes().next().unwrap().note,
        Note::Died {
            month: month("2025-02")
        }
    );
}

#[test]
fn facts_that_cannot_be_evaluated_give_a_note_and_no_line() {
    let c = catalogue();
    // Born after the month, no decision, the same id twice.
    let unborn = entitlement(11, elderly_poor("2025-08-01", "2025-08"));
    let mut undecided = entitlement(12, elderly_poor("1950-01-01", "2025-01"));
    undecided.situation.to_mut().decisions.allowance = None;
    let first = entitlement(13, elderly_poor("1950-01-01", "2025-03"));
    let twin = first.clone();
    let r = run_with(&c, "2025-03", &[unborn, undecided, first, twin], &[]);
    let notes: Vec<(i64, String)> = r
        .notes()
        .map(|n| {
            let code = serde_json::to_value(&n.note).unwrap()["code"]
                .as_str()
                .unwrap()
                .to_string();
            (n.entitlement.0, code)
        })
        .collect();
    assert_eq!(
        notes,
        vec![
            (11, "problems".into()),
            (12, "no_decision".into()),
            (13, "duplicate_entitlement".into()),
            (13, "duplicate_entitlement".into()),
        ]
    );
    assert!(summary(&r).is_empty());
    assert!(r.units[0].checked.is_empty());
}

#[test]
fn arrears_look_back_as_far_as_configured() {
    let c = catalogue();
    // Decided in 01/2025 but never listed: the first run in 06/2025 owes January to May,
    // or only March to May with a 3-month look-back.
    let e = entitlement(14, elderly_poor("1950-01-01", "2025-01"));
    let full = run_with(&c, "2025-06", std::slice::from_ref(&e), &[]);
    assert_eq!(total(&full), 6 * 750_000);
    let short = compute_run(&PayrollInput {
        catalogue: &c,
        month: month("2025-06"),
        config: PayrollConfig { lookback_months: 3 },
        entitlements: std::slice::from_ref(&e),
        one_offs: &[],
    })
    .unwrap();
    assert_eq!(total(&short), 4 * 750_000);
    assert_eq!(
        short.lines().nth(1).unwrap().key.for_month,
        month("2025-03")
    );
    assert_ne!(short.content_hash, full.content_hash);
}

#[test]
fn a_base_in_force_after_the_months_it_covers_gives_arrears_for_each() {
    // The reported NĐ 335/2026 (LOW): 540.000 from 07/2026, signed 21/08/2026, in force
    // 05/10/2026 — July to October were listed at 500.000 (k5a 1,5 → 750.000).
    let mut e = entitlement(15, elderly_poor("1950-01-01", "2026-01"));
    for m in ["2026-07", "2026-08", "2026-09", "2026-10"] {
        e.ledger.listed.push(ansinh_policy::PaidLine {
            month: month(m),
            kind: ansinh_policy::Section::Allowance,
            payee: PayeeKind::SelfPerson,
            amount: money(750_000),
        });
    }
    for m in month("2026-01").through(month("2026-06")) {
        e.ledger.listed.push(ansinh_policy::PaidLine {
            month: m,
            kind: ansinh_policy::Section::Allowance,
            payee: PayeeKind::SelfPerson,
            amount: money(750_000),
        });
    }
    let nov = run("2026-11", std::slice::from_ref(&e));
    assert_eq!(
        summary(&nov),
        vec![
            s("allowance", "2026-11", 810_000, "regular"),
            s("arrears", "2026-07", 60_000, "base_decreed_late"),
            s("arrears", "2026-08", 60_000, "base_decreed_late"),
            s("arrears", "2026-09", 60_000, "base_decreed_late"),
            s("arrears", "2026-10", 60_000, "base_decreed_late"),
        ]
    );
}

#[test]
fn amounts_out_of_range_are_refused_not_summed() {
    let c = catalogue();
    let mut e = entitlement(16, elderly_poor("1950-01-01", "2025-01"));
    e.ledger.unpaid.push(Unpaid {
        for_month: month("2025-01"),
        benefit: ansinh_policy::Section::Allowance,
        payee: PayeeKind::SelfPerson,
        one_off: None,
        amount: money(i64::MAX),
        first_listed: month("2025-01"),
        returned: false,
    });
    let ok = entitlement(17, elderly_poor("1950-01-01", "2025-02"));
    let mut huge = funeral(78, &ok, "2025-02", None);
    huge.amount = money(i64::MIN);
    let r = run_with(&c, "2025-02", &[e, ok], &[huge]);
    assert_eq!(
        summary(&r),
        vec![s("allowance", "2025-02", 750_000, "decision_start")]
    );
    let codes: Vec<(i64, String)> = r
        .notes()
        .map(|n| match &n.note {
            Note::Problems { problems } => (n.entitlement.0, problems[0].path.clone()),
            other => (n.entitlement.0, format!("{other:?}")),
        })
        .collect();
    assert_eq!(
        codes,
        vec![(16, "ledger.unpaid".into()), (17, "one_off.amount".into())]
    );
}
