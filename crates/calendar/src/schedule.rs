//! From rules to the days of one holiday year: the computed defaults (statutory days, Tết
//! placement, adjacent day, nghỉ bù) and the announced schedules that replace them.

use crate::lunar::{self, LunarDate, LunarError};
use crate::rules::{
    Anchor, Announcement, Confidence, HolidayRule, HolidayRules, Period, WeekendRule,
};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Whether a listed day is a day off or a worked rest day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// ngày nghỉ — not a working day.
    DayOff,
    /// ngày làm bù — a weekly rest day that is worked.
    MakeUpWorkingDay,
}

/// Where a listed day comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// From the Government's announced schedule for that year.
    Announced,
    /// Computed from the statutory rules: the year (or this holiday of it) was not announced.
    Computed,
}

/// Why a day is listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A statutory holiday day (Tết's five days as placed, 2/9 and its adjacent day included).
    Holiday,
    /// nghỉ bù — given off because a holiday fell on a weekly rest day.
    Substitute,
    /// nghỉ hoán đổi — a bridge day given off in exchange for a make-up working day.
    Swapped,
    /// A weekly rest day inside an announced break (listed because the announcement lists it).
    RestDayInBreak,
    /// ngày làm bù — a rest day worked in exchange for a swapped day.
    MakeUp,
}

/// One listed day of a year's holiday schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name_vi: String,
    pub name_en: String,
    pub kind: DayKind,
    pub role: Role,
    pub source: Source,
    /// Keys of the statutory holidays this day belongs to (e.g. `["tet-nguyen-dan"]`).
    pub holidays: Vec<String>,
    /// The holiday year (Tết Dương lịch 2019 is 2019 even for its days in December 2018).
    pub holiday_year: i32,
    /// Substitute: the holiday it compensates; swapped: the make-up day; make-up: the swapped day.
    pub related_date: Option<NaiveDate>,
    /// Announced: the document and sources; computed: the legal citation of the rules.
    pub basis: String,
    pub confidence: Confidence,
}

impl Holiday {
    pub fn is_day_off(&self) -> bool {
        self.kind == DayKind::DayOff
    }
}

/// `dd/mm/yyyy`, as users here read dates.
fn vi_date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn add_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    if n >= 0 {
        d.checked_add_days(Days::new(n.unsigned_abs()))
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs()))
    }
}

/// One statutory holiday placed in a year.
struct Placed<'r> {
    rule: &'r HolidayRule,
    period: &'r Period,
    /// The holiday's days, Tết placement and adjacent day included (before nghỉ bù).
    days: BTreeSet<NaiveDate>,
    /// Days of the holiday that fall on rest days and earn a nghỉ bù.
    needs_substitute: Vec<NaiveDate>,
}

fn anchor_date(anchor: Anchor, year: i32) -> Result<Option<NaiveDate>, LunarError> {
    match anchor {
        Anchor::Solar { month, day } => Ok(NaiveDate::from_ymd_opt(year, month, day)),
        Anchor::Lunar { month, day } => {
            lunar::to_solar(LunarDate::new(year, month, day, false)).map(Some)
        }
    }
}

fn place<'r>(
    rules: &HolidayRules,
    period: &'r Period,
    rule: &'r HolidayRule,
    anchor: NaiveDate,
) -> Option<Placed<'r>> {
    let mut days = BTreeSet::new();
    for i in 0..i64::from(rule.days) {
        days.insert(add_days(anchor, rule.first_day_offset + i)?);
    }
    if let Some(side) = rule.adjacent_day(anchor.weekday()) {
        days.insert(add_days(anchor, side.offset())?);
    }
    let on_rest: Vec<NaiveDate> = days
        .iter()
        .copied()
        .filter(|&d| rules.is_rest_day(d))
        .collect();
    let mut needs_substitute = Vec::new();
    match rule.weekend_rule {
        WeekendRule::NextWorkingDay => needs_substitute = on_rest,
        WeekendRule::None => {}
        WeekendRule::SaturdayBeforeSundayAfter => {
            for d in on_rest {
                let step = if d.weekday() == Weekday::Sat { -1 } else { 1 };
                let mut c = if step < 0 {
                    *days.first()?
                } else {
                    *days.last()?
                };
                loop {
                    c = add_days(c, step)?;
                    if !rules.is_rest_day(c) && !days.contains(&c) {
                        break;
                    }
                }
                days.insert(c);
            }
        }
    }
    Some(Placed {
        rule,
        period,
        days,
        needs_substitute,
    })
}

/// Every listed day of holiday year `year`: computed defaults, replaced holiday by holiday by
/// the announcements of that year. Unsorted.
pub(crate) fn holiday_year(rules: &HolidayRules, year: i32) -> Result<Vec<Holiday>, LunarError> {
    // 1. Statutory days of every holiday whose anchor falls in a period.
    let mut placed = Vec::new();
    for period in rules.periods() {
        for rule in period.holidays() {
            let Some(anchor) = anchor_date(rule.anchor, year)? else {
                continue;
            };
            if !period.contains(anchor) {
                continue;
            }
            if let Some(p) = place(rules, period, rule, anchor) {
                placed.push(p);
            }
        }
    }

    // 2. nghỉ bù, in date order, onto the next day that is neither a rest day nor already off.
    let mut off: BTreeSet<NaiveDate> = placed.iter().flat_map(|p| p.days.iter().copied()).collect();
    let mut weekend_days: Vec<(NaiveDate, usize)> = placed
        .iter()
        .enumerate()
        .flat_map(|(i, p)| p.needs_substitute.iter().map(move |&d| (d, i)))
        .collect();
    weekend_days.sort();
    let mut substitutes: Vec<(NaiveDate, NaiveDate, usize)> = Vec::new();
    for (d, i) in weekend_days {
        let mut c = d;
        while let Some(next) = c.succ_opt() {
            c = next;
            if !rules.is_rest_day(c) && !off.contains(&c) {
                off.insert(c);
                substitutes.push((c, d, i));
                break;
            }
        }
    }

    // 3. Announcements of this year replace the computed days of the holidays they name.
    let announced: Vec<&Announcement> = rules
        .announcements()
        .iter()
        .filter(|a| a.year() == year)
        .collect();
    let announced_keys: BTreeSet<&str> = announced
        .iter()
        .flat_map(|a| a.holidays().iter().map(String::as_str))
        .collect();

    let mut out = Vec::new();
    for p in &placed {
        if announced_keys.contains(p.rule.key()) {
            continue;
        }
        for &d in &p.days {
            out.push(computed(p, year, d, Role::Holiday, None));
        }
    }
    for &(d, for_date, i) in &substitutes {
        let p = &placed[i];
        if !announced_keys.contains(p.rule.key()) {
            out.push(computed(p, year, d, Role::Substitute, Some(for_date)));
        }
    }
    for a in announced {
        announced_days(rules, &placed, a, &mut out);
    }
    Ok(out)
}

fn computed(
    p: &Placed<'_>,
    year: i32,
    date: NaiveDate,
    role: Role,
    related: Option<NaiveDate>,
) -> Holiday {
    let (name_vi, name_en) = match role {
        Role::Substitute => (
            format!("Nghỉ bù {}", p.rule.name_vi()),
            format!("{} (substitute day off)", p.rule.name_en()),
        ),
        _ => (p.rule.name_vi().to_owned(), p.rule.name_en().to_owned()),
    };
    Holiday {
        date,
        name_vi,
        name_en,
        kind: DayKind::DayOff,
        role,
        source: Source::Computed,
        holidays: vec![p.rule.key().to_owned()],
        holiday_year: year,
        related_date: related,
        basis: format!("{} — computed, not announced", p.period.citation()),
        confidence: p.rule.confidence().max(p.period.confidence()),
    }
}

/// The days of one announced break, each classified: swapped for a make-up day, a statutory day
/// of one of its holidays, a rest day inside the break, or otherwise a nghỉ bù (paired in date
/// order with the statutory days that fell on rest days).
fn announced_days(
    rules: &HolidayRules,
    placed: &[Placed<'_>],
    a: &Announcement,
    out: &mut Vec<Holiday>,
) {
    let mine: Vec<&Placed<'_>> = placed
        .iter()
        .filter(|p| a.holidays().iter().any(|k| k == p.rule.key()))
        .collect();
    let mut statutory: BTreeMap<NaiveDate, &HolidayRule> = BTreeMap::new();
    for p in &mine {
        for &d in &p.days {
            statutory.entry(d).or_insert(p.rule);
        }
    }
    let mut weekend_statutory = mine
        .iter()
        .flat_map(|p| p.needs_substitute.iter().map(|&d| (d, p.rule)))
        .collect::<Vec<_>>();
    weekend_statutory.sort_by_key(|&(d, _)| d);
    let mut weekend_statutory = weekend_statutory.into_iter();

    let names = |f: fn(&HolidayRule) -> &str| -> Vec<String> {
        a.holidays()
            .iter()
            .map(|k| {
                mine.iter()
                    .find(|p| p.rule.key() == k)
                    .map_or_else(|| k.clone(), |p| f(p.rule).to_owned())
            })
            .collect()
    };
    let break_vi = names(HolidayRule::name_vi).join(" và ");
    let break_en = names(HolidayRule::name_en).join(" and ");
    let first_rule = mine.first().map(|p| p.rule);

    let base = |date: NaiveDate, name_vi: String, name_en: String, kind, role, related| Holiday {
        date,
        name_vi,
        name_en,
        kind,
        role,
        source: Source::Announced,
        holidays: a.holidays().to_vec(),
        holiday_year: a.year(),
        related_date: related,
        basis: a.source().to_owned(),
        confidence: a.confidence(),
    };

    for date in a.from().iter_days().take_while(|&d| d <= a.to()) {
        let swapped = a.make_up().iter().find(|m| m.replaces == date);
        let h = if let Some(m) = swapped {
            base(
                date,
                format!(
                    "Nghỉ hoán đổi ({break_vi}), làm bù ngày {}",
                    vi_date(m.date)
                ),
                format!("Swapped day off ({break_en}), worked on {}", m.date),
                DayKind::DayOff,
                Role::Swapped,
                Some(m.date),
            )
        } else if let Some(rule) = statutory.get(&date) {
            base(
                date,
                rule.name_vi().to_owned(),
                rule.name_en().to_owned(),
                DayKind::DayOff,
                Role::Holiday,
                None,
            )
        } else if rules.is_rest_day(date) {
            base(
                date,
                break_vi.clone(),
                break_en.clone(),
                DayKind::DayOff,
                Role::RestDayInBreak,
                None,
            )
        } else {
            let (for_date, rule) = match weekend_statutory.next() {
                Some((d, r)) => (Some(d), Some(r)),
                None => (None, first_rule),
            };
            let (vi, en) = rule.map_or_else(
                || (break_vi.clone(), break_en.clone()),
                |r| (r.name_vi().to_owned(), r.name_en().to_owned()),
            );
            base(
                date,
                format!("Nghỉ bù {vi}"),
                format!("{en} (substitute day off)"),
                DayKind::DayOff,
                Role::Substitute,
                for_date,
            )
        };
        out.push(h);
    }
    for m in a.make_up() {
        out.push(base(
            m.date,
            format!("Ngày làm bù (cho ngày {})", vi_date(m.replaces)),
            format!("Make-up working day (for {})", m.replaces),
            DayKind::MakeUpWorkingDay,
            Role::MakeUp,
            Some(m.replaces),
        ));
    }
}
