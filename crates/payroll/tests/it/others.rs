//! Reconciliation, month-over-month differences and budget estimates.

use crate::support::*;
use ansinh_domain::ids::{EntitlementId, PersonId};
use ansinh_domain::person::{DisabilityLevel, PaymentChannel};
use ansinh_payroll::budget::{self, BudgetRow};
use ansinh_payroll::reconcile::{DiscrepancyKind, Transfer, reconcile};
use ansinh_payroll::results::{ImportReport, ResultRow};
use ansinh_payroll::*;
use ansinh_policy::catalogue::BUILTIN;
use ansinh_policy::facts::{Care, CareArrangement, Flag};
use ansinh_policy::{CatalogueBuilder, Confidence};

#[test]
fn reconciliation_lists_every_discrepancy() {
    let mut es: Vec<Entitlement<'static>> = (1..=4)
        .map(|i| entitlement(i, elderly_poor("1950-01-01", "2025-03")))
        .collect();
    es[2].channel = PaymentChannel::Bank;
    es[3].paying_unit = unit(COMMUNE_B);
    let r = run("2025-03", &es);
    let key = |id: i64| PaymentKey {
        month: month("2025-03"),
        entitlement: EntitlementId(id),
        payee: ansinh_policy::PayeeKind::SelfPerson,
    };
    let results = ImportReport {
        accepted: vec![
            ResultRow {
                row: 4,
                key: key(1),
                outcome: Outcome::Paid,
            },
            ResultRow {
                row: 5,
                key: key(2),
                outcome: Outcome::Unpaid,
            },
            ResultRow {
                row: 6,
                key: key(3),
                outcome: Outcome::Returned,
            },
        ],
        bad: Vec::new(),
        missing: vec![key(4)],
    };
    let transfers = vec![
        Transfer {
            unit: unit(COMMUNE_A),
            channel: PaymentChannel::Cash,
            amount: money(1_500_000),
        },
        Transfer {
            unit: unit(COMMUNE_A),
            channel: PaymentChannel::Bank,
            amount: money(700_000),
        },
        Transfer {
            unit: unit(COMMUNE_B),
            channel: PaymentChannel::Cash,
            amount: money(750_000),
        },
        Transfer {
            unit: unit("29248"),
            channel: PaymentChannel::Bank,
            amount: money(100_000),
        },
    ];
    let rec = reconcile(&r.units, &results, &transfers);
    type Row = (String, PaymentChannel, i64, i64, i64, i64, i64, i64, i64);
    let rows: Vec<Row> = rec
        .rows
        .iter()
        .map(|r| {
            (
                r.unit.to_string(),
                r.channel,
                r.listed.as_i64(),
                r.paid.as_i64(),
                r.unpaid.as_i64(),
                r.returned.as_i64(),
                r.unresolved.as_i64(),
                r.transferred.as_i64(),
                r.balance.as_i64(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                COMMUNE_A.into(),
                PaymentChannel::Cash,
                1_500_000,
                750_000,
                750_000,
                0,
                0,
                1_500_000,
                750_000
            ),
            (
                COMMUNE_A.into(),
                PaymentChannel::Bank,
                750_000,
                0,
                0,
                750_000,
                0,
                700_000,
                700_000
            ),
            (
                COMMUNE_B.into(),
                PaymentChannel::Cash,
                750_000,
                0,
                0,
                0,
                750_000,
                750_000,
                750_000
            ),
            (
                "29248".into(),
                PaymentChannel::Bank,
                0,
                0,
                0,
                0,
                0,
                100_000,
                100_000
            ),
        ]
    );
    let found: Vec<(DiscrepancyKind, Option<String>, i64, i64)> = rec
        .discrepancies
        .iter()
        .map(|d| {
            (
                d.kind,
                d.unit.as_ref().map(|u| u.to_string()),
                d.expected.as_i64(),
                d.actual.as_i64(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            (
                DiscrepancyKind::TransferDiffers,
                Some(COMMUNE_A.into()),
                750_000,
                700_000
            ),
            (
                DiscrepancyKind::ResultsMissing,
                Some(COMMUNE_B.into()),
                750_000,
                0
            ),
            (
                DiscrepancyKind::TransferWithoutList,
                Some("29248".into()),
                0,
                100_000
            ),
        ]
    );
    assert!(
        rec.discrepancies[0]
            .message
            .contains("chênh lệch -50.000 đ")
    );
    assert_eq!(rec.listed.as_i64(), 3_000_000);
    assert_eq!(rec.transferred.as_i64(), 3_050_000);
}

#[test]
fn the_difference_between_two_months_says_why() {
    let c = catalogue();
    // 1: turns 80 in March (k5a 1,5 → 2,0).
    let turns_80 = entitlement(1, elderly_poor("1945-03-10", "2025-02"));
    // 2: decided in March.
    let new = entitlement(2, disabled_adult("1980-01-01", "2025-03", "2025-03"));
    // 3: dies in February.
    let mut dies = entitlement(3, elderly_poor("1950-01-01", "2025-02"));
    // 4: suspended in March; 5 → 6: moves from A to B after February; 7: terminated after
    // February; 8: unchanged.
    let mut suspended = entitlement(4, elderly_poor("1950-01-01", "2025-02"));
    let mut moving = entitlement(5, elderly_poor("1950-01-01", "2025-02"));
    let mut moved = entitlement(6, elderly_poor("1950-01-01", "2025-03"));
    moved.beneficiary = moving.beneficiary;
    moved.paying_unit = unit(COMMUNE_B);
    moved.since = Some(month("2025-03"));
    let mut terminated = entitlement(7, elderly_poor("1950-01-01", "2025-02"));
    let same = entitlement(8, elderly_poor("1950-01-01", "2025-02"));

    let feb = run_with(
        &c,
        "2025-02",
        &[
            turns_80.clone(),
            dies.clone(),
            suspended.clone(),
            moving.clone(),
            terminated.clone(),
            same.clone(),
        ],
        &[],
    );
    dies.situation.to_mut().person.death_date = Some(date("2025-02-20"));
    suspended.status = EntitlementStatus::Suspended;
    moving.until = Some(month("2025-02"));
    terminated.status = EntitlementStatus::Terminated;
    terminated.until = Some(month("2025-02"));
    let mar = run_with(
        &c,
        "2025-03",
        &[
            turns_80, new, dies, suspended, moving, moved, terminated, same,
        ],
        &[],
    );
    let notes: Vec<EntitlementNote> = mar.notes().cloned().collect();
    let d = diff(feb.lines(), mar.lines(), &notes);

    let who = |entries: &[DiffEntry]| -> Vec<(i64, i64, i64, Vec<DiffReason>)> {
        entries
            .iter()
            .map(|e| {
                (
                    e.beneficiary.0,
                    e.previous.as_i64(),
                    e.current.as_i64(),
                    e.reasons.clone(),
                )
            })
            .collect()
    };
    assert_eq!(
        who(&d.entered),
        vec![(
            1002,
            0,
            1_000_000,
            vec![DiffReason::DecisionStart {
                benefit: LineKind::Allowance
            }]
        )]
    );
    assert_eq!(
        who(&d.left),
        vec![
            (
                1003,
                750_000,
                0,
                vec![DiffReason::Death {
                    month: month("2025-02")
                }]
            ),
            (1004, 750_000, 0, vec![DiffReason::Suspension]),
            (1007, 750_000, 0, vec![DiffReason::Termination]),
        ]
    );
    assert_eq!(
        who(&d.changed),
        vec![
            (
                1001,
                750_000,
                1_000_000,
                vec![DiffReason::AgeBand {
                    benefit: LineKind::Allowance,
                    from_rule: "k5a-60-to-80".into(),
                    to_rule: "k5a-80-plus".into(),
                    from: Some(150),
                    to: Some(200),
                }]
            ),
            (
                1005,
                750_000,
                750_000,
                vec![DiffReason::Moved {
                    from: vec![EntitlementId(5)],
                    to: vec![EntitlementId(6)],
                }]
            ),
        ]
    );
    assert_eq!(d.previous_total.as_i64(), 6 * 750_000);
    assert_eq!(
        d.current_total.as_i64(),
        1_000_000 + 1_000_000 + 750_000 * 2
    );

    // Per commune, the move is an exit from A and an entry in B.
    let a = diff(
        feb.unit(&unit(COMMUNE_A)).unwrap().lines.iter(),
        mar.unit(&unit(COMMUNE_A)).unwrap().lines.iter(),
        &notes,
    );
    assert!(a.left.iter().any(|e| e.beneficiary == PersonId(1005)
        && e.reasons
            == vec![DiffReason::MovedOut {
                until: month("2025-02")
            }]));
    let b = diff(
        std::iter::empty(),
        mar.unit(&unit(COMMUNE_B)).unwrap().lines.iter(),
        &notes,
    );
    assert_eq!(b.entered[0].reasons, vec![DiffReason::MoveIn]);
}

#[test]
fn a_new_base_level_shows_in_the_difference() {
    let e = entitlement(1, elderly_poor("1950-01-01", "2024-06"));
    let june = run("2024-06", std::slice::from_ref(&e));
    let july = run("2024-07", std::slice::from_ref(&e));
    let d = diff(june.lines(), july.lines(), &[]);
    assert_eq!(d.changed.len(), 1);
    assert_eq!(
        d.changed[0].reasons,
        vec![DiffReason::BaseLevel {
            benefit: LineKind::Allowance,
            from: money(360_000),
            to: money(500_000),
            from_id: Some("base-2021".into()),
            to_id: Some("base-2024".into()),
        }]
    );
}

#[test]
fn the_budget_sums_by_group_unit_and_source() {
    let c = catalogue();
    // A: k6 adult with especially severe disability, cared for by the household.
    let mut k6 = disabled_adult("1980-01-01", "2024-01", "2024-01");
    k6.decisions.caregiving = Some(month("2024-01"));
    k6.care = Some(Care {
        arrangement: CareArrangement::OwnHousehold,
        carer_id: None,
    });
    assert_eq!(k6.person.disability, DisabilityLevel::EspeciallySevere);
    // B: k5a, 80 in June 2025.
    let mut elderly = entitlement(2, elderly_poor("1945-06-20", "2024-01"));
    elderly.paying_unit = unit(COMMUNE_B);
    // A: social pension from 07/2025 (77 years old, asked for it).
    let mut pension = ansinh_policy::Situation::of_person(born("1948-02-02"));
    pension.person.flags.insert(Flag::SocialPensionRequested);
    pension.decisions.social_pension = Some(month("2025-07"));
    // Suspended: not counted.
    let mut suspended = entitlement(4, elderly_poor("1950-01-01", "2024-01"));
    suspended.status = EntitlementStatus::Suspended;
    let es = vec![
        entitlement(1, k6),
        elderly,
        entitlement(3, pension),
        suspended,
    ];
    let b = budget::estimate(&c, &es, &budget::year(2025)).unwrap();
    let row = |group: &str, u: &str, source: &str, amount: i64, n: u64| BudgetRow {
        group: group.into(),
        unit: unit(u),
        source: source.into(),
        amount: money(amount),
        person_months: n,
    };
    assert_eq!(
        b.rows,
        vec![
            row("caregiving", COMMUNE_A, "local", 12 * 500_000, 12),
            row("k5", COMMUNE_B, "local", 5 * 750_000 + 7 * 1_000_000, 12),
            row("k6", COMMUNE_A, "local", 12 * 1_000_000, 12),
            row("social_pension", COMMUNE_A, "central", 6 * 500_000, 6),
        ]
    );
    assert_eq!(b.total.as_i64(), 31_750_000);
    assert_eq!(
        b.by_source,
        vec![
            ("central".to_string(), money(3_000_000)),
            ("local".to_string(), money(28_750_000))
        ]
    );
    let bases: Vec<(&str, String, Confidence)> = b
        .funding
        .iter()
        .map(|f| (f.source.as_str(), f.citation.render_en(), f.confidence))
        .collect();
    assert!(
        bases
            .iter()
            .any(|(s, c, _)| *s == "local" && c.contains("76/2021/TT-BTC")),
        "{bases:?}"
    );
    assert!(
        bases
            .iter()
            .any(|(s, _, k)| *s == "central" && *k == Confidence::Low),
        "{bases:?}"
    );
    assert_eq!(b.by_month.len(), 12);
    assert_eq!(b.by_month[0].1.as_i64(), 1_500_000 + 750_000);
    assert_eq!(b.by_month[11].1.as_i64(), 1_500_000 + 1_000_000 + 500_000);
    assert!(b.problems.is_empty());

    // Next month only, under a decree that moves the caregiving support to another budget
    // from 2025-12: a data change, a new version in the catalogue.
    let decree = r#"
[[version]]
id = "funding-2025-12"
extends = "nd176-2025"
from = "2025-12"
decree = "1/2025/NĐ-CP"
title_vi = "Nguồn kinh phí (thử)"
title_en = "Funding (test)"
confidence = "LOW"

[version.funding]
default = "local"
basis = { citation = { decree = "1/2025/NĐ-CP", article = 1 }, confidence = "LOW" }

[version.funding.benefit]
caregiving = "provincial-top-up"
social_pension = "central"
"#;
    let mut builder = CatalogueBuilder::new();
    for (name, text) in BUILTIN {
        builder = builder.add_toml(name, text);
    }
    let changed = builder.add_toml("funding.toml", decree).build().unwrap();
    let next = budget::estimate(&changed, &es, &budget::next_month(month("2025-11"))).unwrap();
    assert_eq!(next.months, vec![month("2025-12")]);
    let source_of = |group: &str| {
        next.rows
            .iter()
            .find(|r| r.group == group)
            .map(|r| r.source.as_str())
    };
    assert_eq!(source_of("caregiving"), Some("provincial-top-up"));
    assert_eq!(source_of("social_pension"), Some("central"));
    assert_eq!(source_of("k6"), Some("local"));
    // Each source with the basis its table gives.
    let basis: Vec<(&str, String)> = next
        .funding
        .iter()
        .map(|f| (f.source.as_str(), f.citation.render_en()))
        .collect();
    assert!(
        basis.contains(&(
            "provincial-top-up",
            "Decree 1/2025/NĐ-CP, Art. 1".to_string()
        )),
        "{basis:?}"
    );
    // The month before, the same entitlements under the built-in catalogue.
    let before = budget::estimate(&changed, &es, &[month("2025-11")]).unwrap();
    assert!(
        before
            .rows
            .iter()
            .any(|r| r.group == "caregiving" && r.source == "local")
    );
    assert_eq!(next.total.as_i64(), 1_500_000 + 1_000_000 + 500_000);
}
