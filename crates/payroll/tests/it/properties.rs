//! Reproducibility, order independence, unique keys, and agreement with the policy engine's
//! own arrears calculator, on synthetic entitlements.

use crate::support::*;
use ansinh_domain::ids::{EntitlementId, PersonId};
use ansinh_domain::person::{DisabilityLevel, PaymentChannel, PovertyStatus};
use ansinh_payroll::*;
use ansinh_policy::facts::{Care, CareArrangement, Child, Flag, K1Case, MaritalStatus};
use ansinh_policy::{BirthDate, Money, Month, PaidLine, PayeeKind, Section, Situation, arrears};
use proptest::prelude::*;
use std::borrow::Cow;
use std::collections::BTreeSet;

/// xorshift64*: deterministic, no dependency.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn month(&mut self, from: &str, months: u64) -> Month {
        month(from).plus(self.below(months) as i32)
    }

    fn date(&mut self, from_year: i32, years: u64) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(
            from_year + self.below(years) as i32,
            1 + self.below(12) as u32,
            1 + self.below(28) as u32,
        )
        .unwrap()
    }
}

const UNITS: [&str; 3] = [COMMUNE_A, COMMUNE_B, "29248"];

/// A random situation with decisions, in one of three communes, with a random ledger.
pub fn synthetic(rng: &mut Rng, id: i64, plain: bool) -> Entitlement<'static> {
    let profile = rng.below(10);
    let birth = match profile {
        0..=1 => rng.date(2008, 15),
        2..=5 => rng.date(1930, 35),
        _ => rng.date(1960, 40),
    };
    let mut s = Situation::of_person(BirthDate::Full(birth));
    s.household.poverty = [
        PovertyStatus::Poor,
        PovertyStatus::NearPoor,
        PovertyStatus::None,
    ][rng.below(3) as usize];
    if rng.below(3) == 0 {
        s.person.disability = if rng.below(2) == 0 {
            DisabilityLevel::Severe
        } else {
            DisabilityLevel::EspeciallySevere
        };
        s.person.certificate_month = Some(rng.month("2022-01", 40).max(Month::of(birth)));
    }
    if profile <= 1 && rng.below(2) == 0 {
        s.person.k1_case = Some(K1Case::ALL[rng.below(K1Case::ALL.len() as u64) as usize]);
    }
    if rng.below(4) == 0 {
        s.person.flags.insert(Flag::HasSupporter);
    }
    if profile >= 6 && rng.below(3) == 0 {
        s.person.marital_status = Some(MaritalStatus::Widowed);
        for _ in 0..=rng.below(2) {
            s.children.push(Child {
                birth_date: BirthDate::Full(rng.date(2010, 15)),
                studying: rng.below(2) == 0,
                death_date: None,
            });
        }
    }
    if rng.below(8) == 0 {
        s.care = Some(Care {
            arrangement: if rng.below(2) == 0 {
                CareArrangement::Foster
            } else {
                CareArrangement::OwnHousehold
            },
            carer_id: None,
        });
        s.decisions.caregiving = Some(rng.month("2023-06", 24));
    }
    if rng.below(10) == 0 {
        s.person.flags.insert(Flag::SocialPensionRequested);
        s.decisions.social_pension = Some(rng.month("2025-07", 6));
    }
    if rng.below(15) == 0 {
        s.person.death_date = Some(rng.date(2024, 2));
    }
    s.decisions.allowance = Some(rng.month("2023-06", 30).max(Month::of(birth)));

    let mut e = entitlement(id, s);
    e.beneficiary = PersonId(50_000 + id);
    if plain {
        e.paying_unit = unit(COMMUNE_A);
    } else {
        e.paying_unit = unit(UNITS[rng.below(3) as usize]);
        e.channel = [
            PaymentChannel::Cash,
            PaymentChannel::Bank,
            PaymentChannel::EWallet,
        ][rng.below(3) as usize];
        match rng.below(12) {
            0 => e.status = EntitlementStatus::Suspended,
            1 => {
                e.status = EntitlementStatus::Terminated;
                e.until = Some(rng.month("2024-12", 6));
            }
            2 => e.since = Some(rng.month("2024-06", 12)),
            _ => {}
        }
        if rng.below(5) == 0 {
            e.ledger.unpaid.push(Unpaid {
                for_month: rng.month("2025-01", 5),
                benefit: Section::Allowance,
                payee: PayeeKind::SelfPerson,
                one_off: None,
                amount: Money(250_000 * (1 + rng.below(4) as i64)),
                first_listed: month("2025-03"),
                returned: rng.below(2) == 0,
            });
        }
    }
    // What was listed: a random share of months, at random amounts.
    for m in month("2024-06").through(month("2025-05")) {
        if rng.below(3) > 0 {
            e.ledger.listed.push(PaidLine {
                month: m,
                kind: Section::Allowance,
                payee: PayeeKind::SelfPerson,
                amount: Money(250_000 * rng.below(5) as i64),
            });
        }
    }
    e
}

fn one_offs(es: &[Entitlement<'_>], rng: &mut Rng) -> Vec<OneOff> {
    es.iter()
        .filter(|_| rng.below(10) == 0)
        .enumerate()
        .map(|(i, e)| OneOff {
            id: OneOffId(900 + i as i64),
            entitlement: e.id,
            beneficiary: e.beneficiary,
            paying_unit: e.paying_unit,
            province: e.province,
            kind: if i % 2 == 0 {
                OneOffKind::Funeral
            } else {
                OneOffKind::Emergency
            },
            for_month: month("2025-05"),
            decided: month("2025-06"),
            amount: Money(5_000_000),
            payee: PayeeKind::Household,
            channel: PaymentChannel::Cash,
            account: None,
            citation: "QĐ".into(),
            listed_in: None,
        })
        .collect()
}

fn shuffle<T>(v: &mut [T], rng: &mut Rng) {
    for i in (1..v.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        v.swap(i, j);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn the_same_inputs_in_any_order_give_the_same_lines_and_hash(seed in any::<u64>(), order in any::<u64>()) {
        let c = catalogue();
        let mut rng = Rng(seed | 1);
        let es: Vec<Entitlement<'static>> = (0..40).map(|i| synthetic(&mut rng, i, false)).collect();
        let os = one_offs(&es, &mut rng);
        let first = run_with(&c, "2025-06", &es, &os);

        let mut es2 = es.clone();
        let mut os2 = os.clone();
        let mut o = Rng(order | 1);
        shuffle(&mut es2, &mut o);
        shuffle(&mut os2, &mut o);
        for e in &mut es2 {
            shuffle(&mut e.ledger.listed, &mut o);
        }
        let second = run_with(&c, "2025-06", &es2, &os2);
        prop_assert_eq!(&first, &second);
        prop_assert_eq!(first.content_hash, second.content_hash);

        // Keys are unique within the run, and so are payments.
        let keys: BTreeSet<LineKey> = first.lines().map(|l| l.key).collect();
        prop_assert_eq!(keys.len(), first.lines().count());
        let texts: BTreeSet<String> = first.lines().map(|l| l.key.to_string()).collect();
        prop_assert_eq!(texts.len(), keys.len());
        for k in &keys {
            prop_assert_eq!(k.to_string().parse::<LineKey>().unwrap(), *k);
        }
        let payments: BTreeSet<PaymentKey> = first.units.iter().flat_map(|u| u.payments.iter().map(|p| p.key)).collect();
        prop_assert_eq!(payments.len(), first.units.iter().map(|u| u.payments.len()).sum::<usize>());

        // Totals add up.
        let sum: Money = first.lines().map(|l| l.amount).sum();
        prop_assert_eq!(sum, first.totals.net);
        for u in &first.units {
            let s: Money = u.payments.iter().map(|p| p.total).sum();
            prop_assert_eq!(s, u.totals.net);
        }

        // Recoveries are negative and arrears positive; monthly lines are for the month.
        for l in first.lines() {
            match l.key.kind {
                LineKind::Arrears => prop_assert!(l.amount > Money::ZERO),
                LineKind::Recovery => prop_assert!(l.amount < Money::ZERO),
                k if k.is_monthly() => prop_assert_eq!(l.key.for_month, l.key.month),
                _ => {}
            }
        }
    }

    #[test]
    fn arrears_agree_with_the_policy_engine(seed in any::<u64>()) {
        let c = catalogue();
        let m = month("2025-06");
        let mut rng = Rng(seed | 1);
        let es: Vec<Entitlement<'static>> = (0..30).map(|i| synthetic(&mut rng, i, true)).collect();
        let r = run_with(&c, "2025-06", &es, &[]);
        for e in &es {
            if r.notes().any(|n| n.entitlement == e.id && matches!(n.note, Note::Problems { .. })) {
                continue;
            }
            let from = m.plus(-24).max(Month::of(e.situation.person.birth_date.assumed_date()));
            let mut ours: Vec<(Month, Section, PayeeKind, i64, String)> = r
                .lines()
                .filter(|l| l.key.entitlement == e.id && matches!(l.key.kind, LineKind::Arrears | LineKind::Recovery))
                .map(|l| (l.key.for_month, l.key.benefit, l.key.payee, l.amount.as_i64(), l.reason.as_str().to_string()))
                .collect();
            let theirs: Vec<(Month, Section, PayeeKind, i64, String)> = arrears(&c, &e.situation, from, m.prev(), &e.ledger.listed)
                .unwrap()
                .lines
                .into_iter()
                .filter(|l| l.kind.is_monthly())
                .map(|l| (l.month, l.kind, l.payee, l.difference.as_i64(), Reason::from(l.reason).as_str().to_string()))
                .collect();
            ours.sort();
            prop_assert_eq!(ours, theirs, "entitlement {}", e.id);
        }
    }
}

#[test]
fn a_facts_digest_worked_out_by_the_caller_gives_the_same_run() {
    let c = catalogue();
    let mut rng = Rng(11);
    let mut es: Vec<Entitlement<'static>> = (0..20).map(|i| synthetic(&mut rng, i, true)).collect();
    let computed = run_with(&c, "2025-06", &es, &[]);
    for e in &mut es {
        e.facts = Some(facts_digest(e));
    }
    let given = run_with(&c, "2025-06", &es, &[]);
    assert_eq!(given.content_hash, computed.content_hash);
    assert_eq!(given.units, computed.units);
}

/// A digest that is not the entitlement's would let a run skip arrears that are owed:
/// debug builds (the tests) refuse it.
#[cfg(debug_assertions)]
#[test]
#[should_panic(expected = "the facts digest given is not that of its facts")]
fn a_facts_digest_that_is_not_the_entitlements_is_refused() {
    let mut e = entitlement(1, elderly_poor("1950-01", "2024-01"));
    e.facts = Some(Digest([7; 32]));
    run("2024-08", &[e]);
}

#[test]
fn any_change_of_input_changes_the_hash() {
    let c = catalogue();
    let mut rng = Rng(7);
    let es: Vec<Entitlement<'static>> = (0..10).map(|i| synthetic(&mut rng, i, true)).collect();
    let base = run_with(&c, "2025-06", &es, &[]).content_hash;
    type Change = Box<dyn Fn(&mut Entitlement<'static>)>;
    let changes: Vec<Change> = vec![
        Box::new(|e| {
            let s = e.situation.to_mut();
            s.household.poverty = match s.household.poverty {
                PovertyStatus::Poor => PovertyStatus::None,
                _ => PovertyStatus::Poor,
            }
        }),
        Box::new(|e| e.situation.to_mut().person.flags.insert(Flag::Pregnant)),
        Box::new(|e| e.channel = PaymentChannel::EWallet),
        Box::new(|e| e.account = Some("1".into())),
        Box::new(|e| e.since = Some(month("2020-01"))),
        Box::new(|e| e.ledger.unpaid_months.push(month("2025-01"))),
        Box::new(|e| {
            e.ledger.listed.push(PaidLine {
                month: month("2025-05"),
                kind: Section::Allowance,
                payee: PayeeKind::SelfPerson,
                amount: Money(1),
            })
        }),
    ];
    let mut seen = BTreeSet::new();
    seen.insert(base);
    for (i, change) in changes.iter().enumerate() {
        let mut changed = es.clone();
        change(&mut changed[3]);
        assert_ne!(changed[3], es[3]);
        let h = run_with(&c, "2025-06", &changed, &[]).content_hash;
        assert!(seen.insert(h), "change {i} left the hash as it was");
    }
    // The month, the catalogue and the look-back are inputs too.
    assert!(seen.insert(run_with(&c, "2025-05", &es, &[]).content_hash));
    let older = compute_run(&PayrollInput {
        catalogue: &c,
        month: month("2025-06"),
        config: PayrollConfig {
            lookback_months: 12,
        },
        entitlements: &es,
        one_offs: &[],
    })
    .unwrap();
    assert!(seen.insert(older.content_hash));
    let _ = (EntitlementId(0), Cow::<str>::Borrowed(""));
}

#[test]
fn streaming_units_one_by_one_gives_the_run_of_the_whole() {
    let c = catalogue();
    let mut rng = Rng(99);
    let es: Vec<Entitlement<'static>> = (0..60).map(|i| synthetic(&mut rng, i, false)).collect();
    let whole = run_with(&c, "2025-06", &es, &[]);
    let ctx = RunContext::new(&c, month("2025-06"), PayrollConfig::default()).unwrap();
    let mut worker = Worker::new();
    let mut hasher = RunHasher::new(ctx.month(), ctx.fingerprint(), ctx.config());
    let mut units = Vec::new();
    for code in UNITS.iter().rev() {
        let mine: Vec<Entitlement<'_>> = es
            .iter()
            .filter(|e| e.paying_unit.as_str() == *code)
            .map(Entitlement::borrowed)
            .collect();
        let u = ctx.compute_unit(&unit(code), &mine, &[], &mut worker);
        hasher.add(&u.unit, u.digest);
        units.push(u);
    }
    assert_eq!(hasher.finish(), whole.content_hash);
    let assembled = Run::assemble(&ctx, units);
    assert_eq!(assembled, whole);
}

#[test]
fn units_computed_in_parallel_give_the_same_run() {
    let c = catalogue();
    let mut rng = Rng(1234);
    let es: Vec<Entitlement<'static>> = (0..90).map(|i| synthetic(&mut rng, i, false)).collect();
    let whole = run_with(&c, "2025-06", &es, &[]);
    let ctx = RunContext::new(&c, month("2025-06"), PayrollConfig::default()).unwrap();
    let units: Vec<UnitRun> = std::thread::scope(|scope| {
        let handles: Vec<_> = UNITS
            .iter()
            .map(|code| {
                let ctx = &ctx;
                let es = &es;
                scope.spawn(move || {
                    let mine: Vec<Entitlement<'_>> = es
                        .iter()
                        .filter(|e| e.paying_unit.as_str() == *code)
                        .map(Entitlement::borrowed)
                        .collect();
                    ctx.compute_unit(&unit(code), &mine, &[], &mut Worker::new())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(Run::assemble(&ctx, units), whole);
}
