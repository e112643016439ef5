//! Content hashes: SHA-256 over a canonical binary encoding of a run's inputs (see
//! `docs/payroll.md`, "Content hash").
//!
//! - the **facts digest** of an entitlement: SHA-256 of a version byte, its situation (every
//!   field, in declaration order, enumerations by their documented names, flags as a bit set
//!   over their names in alphabetical order) and its `since` and `until`;
//! - the **unit digest**: SHA-256 of a header (month, catalogue fingerprint, look-back, unit)
//!   followed by one record per entitlement in id order (its fields, facts digest and ledger,
//!   ledger lists sorted) and one per one-off in id order;
//! - the **run hash**: SHA-256 of a header and the unit digests in unit-code order.
//!
//! Sorting makes every digest independent of the order the inputs came in. The encoding is
//! written by hand (no formatting, no allocation per entitlement); a test checks that it
//! covers every field of the policy engine's `Situation`.

use crate::model::{Entitlement, Ledger, OneOff, PayrollConfig};
use ansinh_domain::{BirthDate, Month, UnitCode};
use ansinh_policy::facts::{CareArrangement, Flags, Situation};
use ansinh_policy::{PayeeKind, Section};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest as _, Sha256};
use std::fmt;
use std::sync::OnceLock;

/// A SHA-256 digest, shown and stored as 64 lower-case hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Digest(pub [u8; 32]);

impl Digest {
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    pub fn from_hex(text: &str) -> Option<Digest> {
        let mut out = [0u8; 32];
        hex::decode_to_slice(text.trim(), &mut out).ok()?;
        Some(Digest(out))
    }

    fn of(hasher: Sha256) -> Digest {
        Digest(hasher.finalize().into())
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({})", self.to_hex())
    }
}

impl Serialize for Digest {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Digest {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Digest, D::Error> {
        let text = String::deserialize(d)?;
        Digest::from_hex(&text)
            .ok_or_else(|| serde::de::Error::custom("expected 64 hex digits (SHA-256)"))
    }
}

/// The canonical binary encoding (see `docs/payroll.md`): unsigned integers as LEB128
/// varints, signed ones zigzag-encoded first; months as the number of months since
/// 1800-01; text as its length and UTF-8 bytes; options as a 0/1 tag then the value; lists
/// as a count then the items; enumerations as their position in the engine's vocabulary
/// (frozen by a test), flags as a bit set in the same way.
struct Enc<'b>(&'b mut Vec<u8>);

/// Months are counted from 1800-01 (the earliest `Month`).
fn month_number(m: Month) -> u64 {
    static EPOCH: OnceLock<Month> = OnceLock::new();
    let epoch = EPOCH.get_or_init(|| Month::new(1800, 1).unwrap_or(m));
    u64::try_from(epoch.months_until(m)).unwrap_or(0)
}

impl Enc<'_> {
    fn bytes(&mut self, b: &[u8]) {
        self.0.extend_from_slice(b);
    }
    fn tag(&mut self, t: u8) {
        self.0.push(t);
    }
    fn bool(&mut self, b: bool) {
        self.0.push(u8::from(b));
    }
    fn uv(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }
    fn iv(&mut self, v: i64) {
        self.uv(((v << 1) ^ (v >> 63)) as u64);
    }
    fn count(&mut self, n: usize) {
        self.uv(n as u64);
    }
    fn code(&mut self, index: usize) {
        self.0.push(u8::try_from(index).unwrap_or(u8::MAX));
    }
    fn month(&mut self, m: Month) {
        self.uv(month_number(m));
    }
    fn date(&mut self, d: NaiveDate) {
        self.iv(i64::from(d.year()));
        self.code(d.month0() as usize);
        self.code(d.day0() as usize);
    }
    fn str(&mut self, s: &str) {
        self.count(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }
    fn opt<T>(&mut self, v: Option<T>, f: impl FnOnce(&mut Self, T)) {
        match v {
            None => self.tag(0),
            Some(v) => {
                self.tag(1);
                f(self, v);
            }
        }
    }
    fn opt_str(&mut self, s: Option<&str>) {
        self.opt(s, |e, s| e.str(s));
    }
    fn opt_month(&mut self, m: Option<Month>) {
        self.opt(m, |e, m| e.month(m));
    }
    fn opt_date(&mut self, d: Option<NaiveDate>) {
        self.opt(d, |e, d| e.date(d));
    }
    fn birth(&mut self, b: BirthDate) {
        match b {
            BirthDate::Year(y) => {
                self.tag(b'Y');
                self.iv(i64::from(y));
            }
            BirthDate::YearMonth { year, month } => {
                self.tag(b'M');
                self.iv(i64::from(year));
                self.uv(u64::from(month));
            }
            BirthDate::Full(d) => {
                self.tag(b'D');
                self.date(d);
            }
        }
    }
    fn flags(&mut self, flags: Flags) {
        self.uv(u64::from(flags.0));
    }
}

/// Codes of the vocabularies in the canonical encoding: position in these lists (the
/// engine's declaration order, frozen by a test; a change there is a new encoding version).
pub const VOCABULARY: &[(&str, &[&str])] = &[
    ("sex", &["male", "female"]),
    ("poverty", &["none", "near_poor", "poor"]),
    (
        "disability",
        &["none", "mild", "severe", "especially_severe"],
    ),
    (
        "k1_case",
        &["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l"],
    ),
    (
        "marital_status",
        &[
            "never_married",
            "married",
            "divorced",
            "widowed",
            "spouse_missing",
        ],
    ),
    ("care", &["foster", "own_household"]),
    (
        "emergency",
        &[
            "tet_food",
            "food_shortage",
            "serious_injury",
            "death_or_missing",
            "burial_by_agency",
            "house_destroyed",
            "relocation",
            "house_damaged",
        ],
    ),
    (
        "flag (bit)",
        &[
            "studying",
            "hiv",
            "has_supporter",
            "supporter_on_allowance",
            "has_pension",
            "stable_income",
            "unable_to_work",
            "received_k1",
            "community_care",
            "pregnant",
            "spouse_receives_childcare_support",
            "survivor_benefit",
            "child_of_k4_beneficiary",
            "social_pension_requested",
            "ethnic_minority_extremely_difficult_area",
            "hardship_household",
        ],
    ),
    ("channel", &["cash", "bank", "e_wallet"]),
    ("status", &["active", "suspended", "terminated"]),
    (
        "benefit",
        &[
            "allowance",
            "caregiving",
            "facility",
            "social_pension",
            "funeral",
            "emergency",
            "health_insurance",
        ],
    ),
    (
        "payee",
        &[
            "self",
            "foster_carer",
            "household",
            "facility",
            "organiser",
            "agency",
        ],
    ),
    ("one_off", &["funeral", "emergency"]),
];

/// The fields of `Situation` the facts encoding covers, as JSON paths (a test compares them
/// with the policy engine's serialisation, so a new field cannot be left out silently).
pub const FACTS_FIELDS: &[&str] = &[
    "province",
    "person.id",
    "person.birth_date",
    "person.sex",
    "person.death_date",
    "person.disability",
    "person.certificate_month",
    "person.k1_case",
    "person.marital_status",
    "person.flags",
    "person.pension_amount",
    "household.id",
    "household.poverty",
    "household.flags",
    "children[].birth_date",
    "children[].studying",
    "children[].death_date",
    "care.arrangement",
    "care.carer_id",
    "facility.facility_id",
    "facility.admitted",
    "facility.left",
    "decisions.allowance",
    "decisions.caregiving",
    "decisions.facility",
    "decisions.social_pension",
    "groups",
    "moves[].stop_month",
    "moves[].to_province",
    "stop.month",
    "stop.reason",
    "emergencies[].kind",
    "emergencies[].date",
    "emergencies[].household_members",
    "emergencies[].months",
    "emergencies[].treatment_days",
];

fn situation(e: &mut Enc<'_>, s: &Situation) {
    e.opt_str(s.province.as_deref());
    let p = &s.person;
    e.opt_str(p.id.as_deref());
    e.birth(p.birth_date);
    e.opt(p.sex, |e, x| e.code(x as usize));
    e.opt_date(p.death_date);
    e.code(p.disability as usize);
    e.opt_month(p.certificate_month);
    e.opt(p.k1_case, |e, x| e.code(x.index()));
    e.opt(p.marital_status, |e, x| e.code(x.index()));
    e.flags(p.flags);
    e.opt(p.pension_amount, |e, x| e.iv(x.as_i64()));
    let h = &s.household;
    e.opt_str(h.id.as_deref());
    e.code(h.poverty as usize);
    e.flags(h.flags);
    e.count(s.children.len());
    for c in &s.children {
        e.birth(c.birth_date);
        e.bool(c.studying);
        e.opt_date(c.death_date);
    }
    e.opt(s.care.as_ref(), |e, c| {
        e.code(match c.arrangement {
            CareArrangement::Foster => 0,
            CareArrangement::OwnHousehold => 1,
        });
        e.opt_str(c.carer_id.as_deref());
    });
    e.opt(s.facility.as_ref(), |e, f| {
        e.opt_str(f.facility_id.as_deref());
        e.month(f.admitted);
        e.opt_month(f.left);
    });
    let d = &s.decisions;
    for m in [d.allowance, d.caregiving, d.facility, d.social_pension] {
        e.opt_month(m);
    }
    e.count(s.groups.len());
    for g in &s.groups {
        e.str(g);
    }
    e.count(s.moves.len());
    for m in &s.moves {
        e.month(m.stop_month);
        e.str(&m.to_province);
    }
    e.opt(s.stop.as_ref(), |e, x| {
        e.month(x.month);
        e.opt_str(x.reason.as_deref());
    });
    e.count(s.emergencies.len());
    for x in &s.emergencies {
        e.code(x.kind.index());
        e.date(x.date);
        for n in [x.household_members, x.months, x.treatment_days] {
            e.opt(n, |e, n| e.uv(u64::from(n)));
        }
    }
}

/// The facts digest of an entitlement: what decides what is due month by month.
pub fn facts_digest(e: &Entitlement<'_>) -> Digest {
    let mut buf = Vec::with_capacity(256);
    facts_digest_with(e, &mut buf)
}

pub(crate) fn facts_digest_with(e: &Entitlement<'_>, buf: &mut Vec<u8>) -> Digest {
    buf.clear();
    let mut enc = Enc(buf);
    enc.tag(1); // version of the encoding
    situation(&mut enc, &e.situation);
    enc.opt_month(e.since);
    enc.opt_month(e.until);
    Digest(Sha256::digest(&buf[..]).into())
}

pub(crate) fn section_code(s: Section) -> u8 {
    s as u8
}

pub(crate) fn payee_code(p: PayeeKind) -> u8 {
    p as u8
}

/// Scratch space for encoding without allocating per entitlement.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    buf: Vec<u8>,
    listed: Vec<(u8, u8, Month, i64)>,
    unpaid: Vec<(Month, u8, u8, i64, i64, Month, bool)>,
    months: Vec<Month>,
}

/// Listed amounts: summed per benefit, payee and month, then as runs of consecutive months
/// with the same amount (`benefit, payee, first month, months, amount`) — a year of equal
/// payments is one run.
fn ledger(e: &mut Enc<'_>, l: &Ledger, s: &mut Vec<(u8, u8, Month, i64)>) {
    let key = |p: &ansinh_policy::PaidLine| (section_code(p.kind), payee_code(p.payee), p.month);
    s.clear();
    s.extend(l.listed.iter().map(|p| {
        (
            section_code(p.kind),
            payee_code(p.payee),
            p.month,
            p.amount.as_i64(),
        )
    }));
    // The store usually gives them in order, once each: then there is nothing to do.
    if !l.listed.windows(2).all(|w| match w {
        [a, b] => key(a) < key(b),
        _ => true,
    }) {
        s.sort_unstable();
        s.dedup_by(|later, kept| {
            let same = (later.0, later.1, later.2) == (kept.0, kept.1, kept.2);
            if same {
                kept.3 = kept.3.wrapping_add(later.3);
            }
            same
        });
    }
    let run_at = |s: &[(u8, u8, Month, i64)], i: usize| -> usize {
        let Some(&(k, p, first, amount)) = s.get(i) else {
            return 0;
        };
        let mut len = 1;
        while s.get(i + len).is_some_and(|&(k2, p2, m2, a2)| {
            (k2, p2, a2) == (k, p, amount) && i64::from(first.months_until(m2)) == len as i64
        }) {
            len += 1;
        }
        len
    };
    let mut runs = 0;
    let mut i = 0;
    while i < s.len() {
        i += run_at(s, i);
        runs += 1;
    }
    e.count(runs);
    let mut i = 0;
    while let Some(&(k, p, first, amount)) = s.get(i) {
        let len = run_at(s, i);
        e.code(usize::from(k));
        e.code(usize::from(p));
        e.month(first);
        e.count(len);
        e.iv(amount);
        i += len;
    }
}

/// The hasher of one unit's inputs.
#[derive(Debug, Clone)]
pub(crate) struct UnitHasher {
    hasher: Sha256,
}

impl UnitHasher {
    pub fn new(month: Month, catalogue: &str, config: &PayrollConfig, unit: &UnitCode) -> Self {
        let mut buf = Vec::new();
        let mut e = Enc(&mut buf);
        e.bytes(b"ansinh-payroll/unit/v1\0");
        e.month(month);
        e.str(catalogue);
        e.uv(u64::from(config.lookback_months));
        e.str(unit.as_str());
        let mut hasher = Sha256::new();
        hasher.update(&buf);
        UnitHasher { hasher }
    }

    /// One entitlement of the unit (its paying unit is the unit's). `level` says whether its
    /// ledger's basis matches the run (previous month, same facts, same catalogue): only
    /// that, not the basis itself, changes what the run computes.
    pub fn entitlement(
        &mut self,
        x: &Entitlement<'_>,
        facts: &Digest,
        level: bool,
        scratch: &mut Scratch,
    ) {
        let Scratch {
            buf,
            listed,
            unpaid,
            months,
        } = scratch;
        buf.clear();
        let mut e = Enc(buf);
        e.tag(b'E');
        e.iv(x.id.0);
        e.iv(x.beneficiary.0);
        e.str(x.province.as_str());
        e.code(x.channel as usize);
        e.opt_str(x.account.as_deref());
        e.count(x.payees.len());
        for p in &x.payees {
            e.code(payee_code(p.payee).into());
            e.code(p.channel as usize);
            e.opt_str(p.account.as_deref());
        }
        e.code(x.status as usize);
        e.opt_month(x.since);
        e.opt_month(x.until);
        e.bytes(&facts.0);
        let l = &x.ledger;
        ledger(&mut e, l, listed);
        unpaid.clear();
        unpaid.extend(l.unpaid.iter().map(|u| {
            (
                u.for_month,
                section_code(u.benefit),
                payee_code(u.payee),
                u.one_off.map_or(-1, |o| o.0),
                u.amount.as_i64(),
                u.first_listed,
                u.returned,
            )
        }));
        unpaid.sort_unstable();
        e.count(unpaid.len());
        for &(m, k, p, o, a, f, r) in unpaid.iter() {
            e.month(m);
            e.code(k.into());
            e.code(p.into());
            e.iv(o);
            e.iv(a);
            e.month(f);
            e.bool(r);
        }
        // Months are a set: sorted and deduplicated.
        months.clear();
        months.extend_from_slice(&l.unpaid_months);
        months.sort_unstable();
        months.dedup();
        e.count(months.len());
        for &m in months.iter() {
            e.month(m);
        }
        e.bool(level);
        self.hasher.update(&buf[..]);
    }

    pub fn one_off(&mut self, o: &OneOff, scratch: &mut Scratch) {
        let buf = &mut scratch.buf;
        buf.clear();
        let mut e = Enc(buf);
        e.tag(b'O');
        e.iv(o.id.0);
        e.iv(o.entitlement.0);
        e.iv(o.beneficiary.0);
        e.str(o.province.as_str());
        e.code(o.kind as usize);
        e.month(o.for_month);
        e.month(o.decided);
        e.iv(o.amount.as_i64());
        e.code(payee_code(o.payee).into());
        e.code(o.channel as usize);
        e.opt_str(o.account.as_deref());
        e.str(&o.citation);
        e.opt_month(o.listed_in);
        self.hasher.update(&buf[..]);
    }

    pub fn finish(self) -> Digest {
        Digest::of(self.hasher)
    }
}

/// Combines unit digests into the run's content hash, in unit-code order whatever order the
/// units were computed in (streaming or in parallel).
#[derive(Debug, Clone)]
pub struct RunHasher {
    month: Month,
    catalogue: String,
    config: PayrollConfig,
    units: Vec<(UnitCode, Digest)>,
}

impl RunHasher {
    pub fn new(month: Month, catalogue: &str, config: PayrollConfig) -> RunHasher {
        RunHasher {
            month,
            catalogue: catalogue.to_string(),
            config,
            units: Vec::new(),
        }
    }

    pub fn add(&mut self, unit: &UnitCode, digest: Digest) {
        self.units.push((*unit, digest));
    }

    pub fn finish(mut self) -> Digest {
        self.units.sort();
        let mut buf = Vec::new();
        let mut e = Enc(&mut buf);
        e.bytes(b"ansinh-payroll/run/v1\0");
        e.month(self.month);
        e.str(&self.catalogue);
        e.uv(u64::from(self.config.lookback_months));
        e.count(self.units.len());
        for (unit, digest) in &self.units {
            e.str(unit.as_str());
            e.bytes(&digest.0);
        }
        Digest(Sha256::digest(&buf).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ansinh_domain::person::{DisabilityLevel, PovertyStatus, Sex};
    use ansinh_policy::Money;
    use ansinh_policy::facts::*;
    use std::collections::BTreeSet;

    fn month(t: &str) -> Month {
        t.parse().unwrap()
    }

    /// A situation with every field set.
    fn full() -> Situation {
        let date = |t: &str| t.parse::<NaiveDate>().unwrap();
        let mut s = Situation::of_person(BirthDate::Full(date("1950-02-03")));
        s.province = Some("86".into());
        let p = &mut s.person;
        p.id = Some("P".into());
        p.sex = Some(Sex::Female);
        p.death_date = Some(date("2025-01-02"));
        p.disability = DisabilityLevel::Severe;
        p.certificate_month = Some(month("2020-01"));
        p.k1_case = Some(K1Case::B);
        p.marital_status = Some(MaritalStatus::Widowed);
        p.flags.insert(Flag::HasPension);
        p.pension_amount = Some(Money(1));
        s.household = Household {
            id: Some("H".into()),
            poverty: PovertyStatus::Poor,
            flags: Flags::of(&[Flag::HardshipHousehold]),
        };
        s.children.push(Child {
            birth_date: BirthDate::Year(2010),
            studying: true,
            death_date: Some(date("2020-01-01")),
        });
        s.care = Some(Care {
            arrangement: CareArrangement::Foster,
            carer_id: Some("C".into()),
        });
        s.facility = Some(FacilityStay {
            facility_id: Some("F".into()),
            admitted: month("2020-01"),
            left: Some(month("2021-01")),
        });
        s.decisions = Decisions {
            allowance: Some(month("2020-01")),
            caregiving: Some(month("2020-01")),
            facility: Some(month("2020-01")),
            social_pension: Some(month("2020-01")),
        };
        s.groups = vec!["k5".into()];
        s.moves.push(Move {
            stop_month: month("2021-01"),
            to_province: "84".into(),
        });
        s.stop = Some(Stop {
            month: month("2024-01"),
            reason: Some("r".into()),
        });
        s.emergencies.push(Emergency {
            kind: EmergencyKind::TetFood,
            date: date("2024-01-01"),
            household_members: Some(1),
            months: Some(1),
            treatment_days: Some(1),
        });
        s
    }

    fn paths(v: &serde_json::Value, prefix: &str, out: &mut BTreeSet<String>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    let p = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    match v {
                        serde_json::Value::Object(_) => paths(v, &p, out),
                        serde_json::Value::Array(items)
                            if items.first().is_some_and(|i| i.is_object()) =>
                        {
                            for i in items {
                                paths(i, &format!("{p}[]"), out);
                            }
                        }
                        _ => {
                            out.insert(p);
                        }
                    }
                }
            }
            _ => {
                out.insert(prefix.to_string());
            }
        }
    }

    #[test]
    fn the_facts_encoding_covers_every_field_of_a_situation() {
        let json = serde_json::to_value(full()).unwrap();
        let mut found = BTreeSet::new();
        paths(&json, "", &mut found);
        let covered: BTreeSet<String> = FACTS_FIELDS.iter().map(|s| s.to_string()).collect();
        assert_eq!(
            found, covered,
            "Situation's fields changed: update `situation()` and FACTS_FIELDS"
        );
    }

    #[test]
    fn every_field_changes_the_facts_digest() {
        let base = full();
        let digest = |s: &Situation| {
            let mut buf = Vec::new();
            let mut e = Enc(&mut buf);
            situation(&mut e, s);
            buf
        };
        let reference = digest(&base);
        let mut changed = base.clone();
        changed.children[0].studying = false;
        assert_ne!(digest(&changed), reference);
        let mut changed = base.clone();
        changed.emergencies[0].treatment_days = None;
        assert_ne!(digest(&changed), reference);
        let mut changed = base.clone();
        changed.person.birth_date = BirthDate::YearMonth {
            year: 1950,
            month: 2,
        };
        assert_ne!(digest(&changed), reference);
        let mut changed = base;
        changed.household.flags = Flags::EMPTY;
        assert_ne!(digest(&changed), reference);
    }

    #[test]
    fn the_vocabulary_codes_are_the_engines_declaration_order() {
        use ansinh_domain::person::PaymentChannel;
        let names = |kind: &str| -> Vec<String> {
            VOCABULARY
                .iter()
                .find(|(k, _)| *k == kind)
                .map(|(_, v)| v.iter().map(|s| s.to_string()).collect())
                .unwrap()
        };
        let of = |v: &[&str]| -> Vec<String> { v.iter().map(|s| s.to_string()).collect() };
        assert_eq!(
            names("sex"),
            of(&Sex::ALL.iter().map(|x| x.as_str()).collect::<Vec<_>>())
        );
        for (i, x) in Sex::ALL.iter().enumerate() {
            assert_eq!(*x as usize, i);
        }
        assert_eq!(
            names("poverty"),
            of(&PovertyStatus::ALL
                .iter()
                .map(|x| x.as_str())
                .collect::<Vec<_>>())
        );
        for (i, x) in PovertyStatus::ALL.iter().enumerate() {
            assert_eq!(*x as usize, i);
        }
        assert_eq!(
            names("disability"),
            of(&DisabilityLevel::ALL
                .iter()
                .map(|x| x.as_str())
                .collect::<Vec<_>>())
        );
        for (i, x) in DisabilityLevel::ALL.iter().enumerate() {
            assert_eq!(*x as usize, i);
        }
        assert_eq!(
            names("k1_case"),
            of(&K1Case::ALL.iter().map(|x| x.as_str()).collect::<Vec<_>>())
        );
        assert_eq!(
            names("marital_status"),
            of(&MaritalStatus::ALL
                .iter()
                .map(|x| x.as_str())
                .collect::<Vec<_>>())
        );
        assert_eq!(
            names("emergency"),
            of(&EmergencyKind::ALL
                .iter()
                .map(|x| x.as_str())
                .collect::<Vec<_>>())
        );
        assert_eq!(
            names("flag (bit)"),
            of(&Flag::ALL.iter().map(|x| x.as_str()).collect::<Vec<_>>())
        );
        for (i, f) in Flag::ALL.iter().enumerate() {
            assert_eq!(f.bit(), 1 << i);
        }
        assert_eq!(
            names("channel"),
            of(&PaymentChannel::ALL
                .iter()
                .map(|x| x.as_str())
                .collect::<Vec<_>>())
        );
        for (i, x) in PaymentChannel::ALL.iter().enumerate() {
            assert_eq!(*x as usize, i);
        }
        let status = [
            crate::model::EntitlementStatus::Active,
            crate::model::EntitlementStatus::Suspended,
            crate::model::EntitlementStatus::Terminated,
        ];
        assert_eq!(
            names("status"),
            of(&status.iter().map(|x| x.as_str()).collect::<Vec<_>>())
        );
        for (i, x) in status.iter().enumerate() {
            assert_eq!(*x as usize, i);
        }
        assert_eq!(
            names("benefit"),
            of(&ansinh_policy::Section::ALL
                .iter()
                .map(|x| x.as_str())
                .collect::<Vec<_>>())
        );
        for (i, x) in ansinh_policy::Section::ALL.iter().enumerate() {
            assert_eq!(section_code(*x) as usize, i);
        }
        let payees = [
            PayeeKind::SelfPerson,
            PayeeKind::FosterCarer,
            PayeeKind::Household,
            PayeeKind::Facility,
            PayeeKind::Organiser,
            PayeeKind::Agency,
        ];
        assert_eq!(
            names("payee"),
            of(&payees.iter().map(|x| x.as_str()).collect::<Vec<_>>())
        );
        for (i, x) in payees.iter().enumerate() {
            assert_eq!(payee_code(*x) as usize, i);
        }
        assert_eq!(CareArrangement::Foster as usize, 0);
        assert_eq!(crate::model::OneOffKind::Emergency as usize, 1);
    }

    #[test]
    fn varints_and_months_are_compact() {
        let mut buf = Vec::new();
        let mut e = Enc(&mut buf);
        e.uv(300);
        e.iv(-1);
        e.month(month("1800-02"));
        assert_eq!(buf, vec![0xAC, 0x02, 0x01, 0x01]);
    }

    #[test]
    fn digests_read_back_from_hex() {
        let d = Digest([7; 32]);
        assert_eq!(Digest::from_hex(&d.to_hex()), Some(d));
        assert_eq!(Digest::from_hex("xyz"), None);
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(serde_json::from_str::<Digest>(&json).unwrap(), d);
    }
}
