//! The holiday rules as data: parsing and validating `data/calendar/holidays.toml` (format in
//! `docs/calendar.md`). Parse, don't validate: a [`HolidayRules`] value is complete and
//! consistent; every problem of a file is reported at once, each with its line.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use toml::Spanned;
use toml::value::Datetime;

/// The built-in table, `data/calendar/holidays.toml`, embedded at build time.
pub const BUILTIN_HOLIDAYS_TOML: &str = include_str!("../../../data/calendar/holidays.toml");

/// Data format version this crate reads.
pub const FORMAT_VERSION: u32 = 1;

/// Confidence label of a rule or an announced schedule, as in the SPEC's source register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Confidence {
    #[serde(rename = "HIGH")]
    High,
    #[serde(rename = "MED")]
    Medium,
    #[serde(rename = "LOW-MED", alias = "LOW–MED")]
    LowMedium,
    #[serde(rename = "LOW")]
    Low,
    #[serde(rename = "UNVERIFIED")]
    Unverified,
}

impl Confidence {
    pub fn label(self) -> &'static str {
        match self {
            Confidence::High => "HIGH",
            Confidence::Medium => "MED",
            Confidence::LowMedium => "LOW-MED",
            Confidence::Low => "LOW",
            Confidence::Unverified => "UNVERIFIED",
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What happens when a holiday falls on a weekly rest day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeekendRule {
    /// nghỉ bù: the next working day (not a rest day, not already off) is given off.
    NextWorkingDay,
    /// A day of the holiday on Saturday moves to the last working day before the holiday, one on
    /// Sunday to the first working day after it (how the Government places the 5 days of Tết).
    SaturdayBeforeSundayAfter,
    /// No compensation.
    None,
}

/// Side of the adjacent day added to a holiday (e.g. 2 September "and one day next to it").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Before,
    After,
}

impl Side {
    pub fn offset(self) -> i64 {
        match self {
            Side::Before => -1,
            Side::After => 1,
        }
    }
}

/// Where a statutory holiday falls each year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Anchor {
    /// A Gregorian month and day.
    Solar { month: u32, day: u32 },
    /// A (non-leap) lunar month and day, Vietnamese calendar.
    Lunar { month: u8, day: u8 },
}

/// One statutory holiday of a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolidayRule {
    pub(crate) key: String,
    pub(crate) name_vi: String,
    pub(crate) name_en: String,
    pub(crate) anchor: Anchor,
    /// First day of the holiday relative to the anchor (Tết: -1, the last day of the old year).
    pub(crate) first_day_offset: i64,
    pub(crate) days: u32,
    /// Adjacent day by the anchor's weekday (Mon = index 0).
    pub(crate) adjacent_day: Option<[Side; 7]>,
    pub(crate) weekend_rule: WeekendRule,
    pub(crate) confidence: Confidence,
    pub(crate) note: Option<String>,
}

impl HolidayRule {
    pub fn key(&self) -> &str {
        &self.key
    }
    pub fn name_vi(&self) -> &str {
        &self.name_vi
    }
    pub fn name_en(&self) -> &str {
        &self.name_en
    }
    pub fn anchor(&self) -> Anchor {
        self.anchor
    }
    pub fn days(&self) -> u32 {
        self.days
    }
    pub fn first_day_offset(&self) -> i64 {
        self.first_day_offset
    }
    pub fn weekend_rule(&self) -> WeekendRule {
        self.weekend_rule
    }
    pub fn adjacent_day(&self, weekday: Weekday) -> Option<Side> {
        self.adjacent_day
            .map(|sides| sides[weekday.num_days_from_monday() as usize])
    }
    pub fn confidence(&self) -> Confidence {
        self.confidence
    }
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }
}

/// Statutory holidays in force from `from` to `to` (inclusive; open-ended when `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) citation: String,
    pub(crate) from: NaiveDate,
    pub(crate) to: Option<NaiveDate>,
    pub(crate) confidence: Confidence,
    pub(crate) holidays: Vec<HolidayRule>,
}

impl Period {
    pub fn id(&self) -> &str {
        &self.id
    }
    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn citation(&self) -> &str {
        &self.citation
    }
    pub fn from(&self) -> NaiveDate {
        self.from
    }
    pub fn to(&self) -> Option<NaiveDate> {
        self.to
    }
    pub fn confidence(&self) -> Confidence {
        self.confidence
    }
    pub fn holidays(&self) -> &[HolidayRule] {
        &self.holidays
    }
    pub fn contains(&self, date: NaiveDate) -> bool {
        date >= self.from && self.to.is_none_or(|to| date <= to)
    }
}

/// A make-up working day: `date` (a rest day) is worked in exchange for the weekday `replaces`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct MakeUpDay {
    pub date: NaiveDate,
    pub replaces: NaiveDate,
}

/// The Government's announced schedule for one break: the holidays it covers in one year, the
/// days off (weekends included, as announced) and the make-up working days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announcement {
    pub(crate) year: i32,
    pub(crate) holidays: Vec<String>,
    pub(crate) from: NaiveDate,
    pub(crate) to: NaiveDate,
    pub(crate) make_up: Vec<MakeUpDay>,
    pub(crate) source: String,
    pub(crate) confidence: Confidence,
    pub(crate) note: Option<String>,
}

impl Announcement {
    pub fn year(&self) -> i32 {
        self.year
    }
    pub fn holidays(&self) -> &[String] {
        &self.holidays
    }
    pub fn from(&self) -> NaiveDate {
        self.from
    }
    pub fn to(&self) -> NaiveDate {
        self.to
    }
    pub fn make_up(&self) -> &[MakeUpDay] {
        &self.make_up
    }
    pub fn source(&self) -> &str {
        &self.source
    }
    pub fn confidence(&self) -> Confidence {
        self.confidence
    }
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }
}

/// The validated content of a holiday file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolidayRules {
    pub(crate) rest_days: [bool; 7],
    pub(crate) rest_days_source: String,
    pub(crate) periods: Vec<Period>,
    pub(crate) announced: Vec<Announcement>,
}

impl HolidayRules {
    /// Parses and validates a holiday file (the built-in one or an administrator's edited copy).
    pub fn parse(text: &str) -> Result<HolidayRules, DataError> {
        let raw: RawFile = toml::from_str(text).map_err(|e| DataError {
            issues: vec![DataIssue {
                line: e.span().map(|s| line_of(text, s.start)),
                message: e.message().trim_end().to_owned(),
            }],
        })?;
        Validator {
            text,
            issues: Vec::new(),
        }
        .file(raw)
    }

    /// The built-in table ([`BUILTIN_HOLIDAYS_TOML`]).
    pub fn builtin() -> Result<HolidayRules, DataError> {
        HolidayRules::parse(BUILTIN_HOLIDAYS_TOML)
    }

    pub fn is_rest_day(&self, date: NaiveDate) -> bool {
        self.rest_days[date.weekday().num_days_from_monday() as usize]
    }
    pub fn rest_days_source(&self) -> &str {
        &self.rest_days_source
    }
    pub fn periods(&self) -> &[Period] {
        &self.periods
    }
    pub fn announcements(&self) -> &[Announcement] {
        &self.announced
    }
    /// The same rules without any announced schedule: every year computed (to show what the
    /// defaults would be, or to compare them with an announcement).
    pub fn without_announcements(&self) -> HolidayRules {
        HolidayRules {
            announced: Vec::new(),
            ..self.clone()
        }
    }
    /// The period in force on `date`.
    pub fn period_at(&self, date: NaiveDate) -> Option<&Period> {
        self.periods.iter().find(|p| p.contains(date))
    }
}

/// One problem found in a holiday file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataIssue {
    /// 1-based line in the file, when known.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for DataIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Every problem found in a holiday file, one per line when displayed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DataError {
    pub issues: Vec<DataIssue>,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.issues.len();
        write!(
            f,
            "holiday file has {n} problem{}:",
            if n == 1 { "" } else { "s" }
        )?;
        for issue in &self.issues {
            write!(f, "\n  - {issue}")?;
        }
        Ok(())
    }
}

fn line_of(text: &str, byte: usize) -> usize {
    text.as_bytes()
        .iter()
        .take(byte)
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

// ───────────────────────────── raw (serde) shapes ─────────────────────────────

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    format: Spanned<u32>,
    rest_days: Spanned<Vec<String>>,
    rest_days_source: String,
    #[serde(default, rename = "period")]
    periods: Vec<Spanned<RawPeriod>>,
    #[serde(default)]
    announced: Vec<Spanned<RawAnnouncement>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPeriod {
    id: String,
    name: String,
    citation: String,
    from: Spanned<Datetime>,
    to: Option<Spanned<Datetime>>,
    confidence: Confidence,
    weekend_rule: WeekendRule,
    #[serde(default, rename = "holiday")]
    holidays: Vec<Spanned<RawHoliday>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHoliday {
    key: String,
    name_vi: String,
    name_en: String,
    solar: Option<Spanned<String>>,
    lunar: Option<Spanned<String>>,
    #[serde(default)]
    first_day_offset: i64,
    days: Option<u32>,
    weekend_rule: Option<WeekendRule>,
    adjacent_day: Option<RawAdjacent>,
    confidence: Option<Confidence>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAdjacent {
    mon: Side,
    tue: Side,
    wed: Side,
    thu: Side,
    fri: Side,
    sat: Side,
    sun: Side,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAnnouncement {
    year: i32,
    holidays: Vec<String>,
    from: Spanned<Datetime>,
    to: Spanned<Datetime>,
    #[serde(default)]
    make_up: Vec<RawMakeUp>,
    source: String,
    confidence: Confidence,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMakeUp {
    date: Spanned<Datetime>,
    #[serde(rename = "for")]
    replaces: Spanned<Datetime>,
}

// ───────────────────────────── validation ─────────────────────────────

struct Validator<'a> {
    text: &'a str,
    issues: Vec<DataIssue>,
}

/// A holiday key and the first and last year of its period.
type KeyYears = (String, i32, i32);

const WEEKDAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl Validator<'_> {
    fn issue(&mut self, at: usize, message: String) {
        let line = Some(line_of(self.text, at));
        self.issues.push(DataIssue { line, message });
    }

    fn date(&mut self, value: &Spanned<Datetime>, what: &str) -> Option<NaiveDate> {
        let dt = value.get_ref();
        let date = match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => {
                NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
            }
            _ => None,
        };
        if date.is_none() {
            self.issue(
                value.span().start,
                format!("{what} must be a date written YYYY-MM-DD, got {dt}"),
            );
        }
        date
    }

    fn file(mut self, raw: RawFile) -> Result<HolidayRules, DataError> {
        if *raw.format.get_ref() != FORMAT_VERSION {
            self.issue(
                raw.format.span().start,
                format!(
                    "format {} is not supported (this version reads format {FORMAT_VERSION})",
                    raw.format.get_ref()
                ),
            );
        }
        let mut rest_days = [false; 7];
        for name in raw.rest_days.get_ref() {
            match WEEKDAY_NAMES.iter().position(|n| n == name) {
                Some(i) => rest_days[i] = true,
                None => self.issue(
                    raw.rest_days.span().start,
                    format!("rest_days: unknown weekday {name:?} (use mon, tue, …, sun)"),
                ),
            }
        }
        if rest_days.iter().all(|&r| r) {
            self.issue(
                raw.rest_days.span().start,
                "rest_days: at least one day of the week must be a working day".to_owned(),
            );
        }

        let periods: Vec<Period> = raw.periods.iter().filter_map(|p| self.period(p)).collect();
        self.check_periods(&raw.periods, &periods);

        // Holiday keys by the years of their period, from the raw periods so that announcements
        // are still checked when a period has problems of its own.
        let year_of = |dt: &Spanned<Datetime>| dt.get_ref().date.map(|d| i32::from(d.year));
        let keys: Vec<KeyYears> = raw
            .periods
            .iter()
            .flat_map(|p| {
                let p = p.get_ref();
                let from = year_of(&p.from).unwrap_or(i32::MIN);
                let to = p.to.as_ref().and_then(year_of).unwrap_or(i32::MAX);
                p.holidays
                    .iter()
                    .map(move |h| (h.get_ref().key.clone(), from, to))
            })
            .collect();
        let announced: Vec<Announcement> = raw
            .announced
            .iter()
            .filter_map(|a| self.announcement(a, &keys, &rest_days))
            .collect();
        self.check_announcements(&raw.announced, &announced);

        if self.issues.is_empty() {
            Ok(HolidayRules {
                rest_days,
                rest_days_source: raw.rest_days_source,
                periods,
                announced,
            })
        } else {
            Err(DataError {
                issues: self.issues,
            })
        }
    }

    fn period(&mut self, raw: &Spanned<RawPeriod>) -> Option<Period> {
        let at = raw.span().start;
        let p = raw.get_ref();
        let before = self.issues.len();
        if p.id.trim().is_empty() {
            self.issue(at, "period: id must not be empty".to_owned());
        }
        let from = self.date(&p.from, &format!("period {:?}: from", p.id));
        let to =
            p.to.as_ref()
                .map(|to| self.date(to, &format!("period {:?}: to", p.id)));
        if let (Some(from), Some(Some(to))) = (from, to)
            && to < from
        {
            self.issue(
                at,
                format!("period {:?}: to ({to}) is before from ({from})", p.id),
            );
        }
        if p.holidays.is_empty() {
            self.issue(at, format!("period {:?}: has no [[period.holiday]]", p.id));
        }
        let mut keys = BTreeSet::new();
        let mut holidays = Vec::new();
        for h in &p.holidays {
            if !keys.insert(h.get_ref().key.clone()) {
                self.issue(
                    h.span().start,
                    format!(
                        "period {:?}: holiday key {:?} appears twice",
                        p.id,
                        h.get_ref().key
                    ),
                );
            }
            if let Some(rule) = self.holiday(&p.id, h, p.weekend_rule) {
                holidays.push(rule);
            }
        }
        if self.issues.len() > before {
            return None;
        }
        Some(Period {
            id: p.id.clone(),
            name: p.name.clone(),
            citation: p.citation.clone(),
            from: from?,
            to: to.flatten(),
            confidence: p.confidence,
            holidays,
        })
    }

    fn holiday(
        &mut self,
        period: &str,
        raw: &Spanned<RawHoliday>,
        default_rule: WeekendRule,
    ) -> Option<HolidayRule> {
        let at = raw.span().start;
        let h = raw.get_ref();
        let before = self.issues.len();
        let what = format!("period {period:?}, holiday {:?}", h.key);
        if h.key.trim().is_empty() {
            self.issue(at, format!("period {period:?}: a holiday has an empty key"));
        }
        if h.name_vi.trim().is_empty() || h.name_en.trim().is_empty() {
            self.issue(at, format!("{what}: name_vi and name_en must not be empty"));
        }
        let anchor = match (&h.solar, &h.lunar) {
            (Some(s), None) => self
                .month_day(s, &what, false)
                .map(|(month, day)| Anchor::Solar { month, day }),
            (None, Some(l)) => self
                .month_day(l, &what, true)
                .map(|(month, day)| Anchor::Lunar {
                    month: month as u8,
                    day: day as u8,
                }),
            _ => {
                self.issue(
                    at,
                    format!("{what}: give exactly one of solar = \"MM-DD\" or lunar = \"MM-DD\""),
                );
                None
            }
        };
        let days = h.days.unwrap_or(1);
        if !(1..=10).contains(&days) {
            self.issue(at, format!("{what}: days must be 1 to 10, got {days}"));
        }
        if !(-10..=10).contains(&h.first_day_offset) {
            self.issue(
                at,
                format!(
                    "{what}: first_day_offset must be -10 to 10, got {}",
                    h.first_day_offset
                ),
            );
        }
        let adjacent_day = h
            .adjacent_day
            .as_ref()
            .map(|a| [a.mon, a.tue, a.wed, a.thu, a.fri, a.sat, a.sun]);
        if self.issues.len() > before {
            return None;
        }
        Some(HolidayRule {
            key: h.key.clone(),
            name_vi: h.name_vi.clone(),
            name_en: h.name_en.clone(),
            anchor: anchor?,
            first_day_offset: h.first_day_offset,
            days,
            adjacent_day,
            weekend_rule: h.weekend_rule.unwrap_or(default_rule),
            confidence: h.confidence.unwrap_or(Confidence::High),
            note: h.note.clone(),
        })
    }

    /// "MM-DD" for a solar (29 February refused: it is not a yearly date) or lunar anchor (day
    /// 1 to 29: every lunar month has a 29th).
    fn month_day(&mut self, raw: &Spanned<String>, what: &str, lunar: bool) -> Option<(u32, u32)> {
        let text = raw.get_ref();
        let parsed = text.split_once('-').and_then(|(m, d)| {
            if m.len() == 2 && d.len() == 2 {
                Some((m.parse::<u32>().ok()?, d.parse::<u32>().ok()?))
            } else {
                None
            }
        });
        let kind = if lunar { "lunar" } else { "solar" };
        let valid = parsed.filter(|&(m, d)| {
            if lunar {
                (1..=12).contains(&m) && (1..=29).contains(&d)
            } else {
                (m, d) != (2, 29) && NaiveDate::from_ymd_opt(2001, m, d).is_some()
            }
        });
        if valid.is_none() {
            let hint = if lunar {
                "month 01–12, day 01–29"
            } else {
                "a date that exists every year"
            };
            self.issue(
                raw.span().start,
                format!("{what}: {kind} must be \"MM-DD\" ({hint}), got {text:?}"),
            );
        }
        valid
    }

    fn check_periods(&mut self, raw: &[Spanned<RawPeriod>], periods: &[Period]) {
        if raw.is_empty() {
            self.issues.push(DataIssue {
                line: None,
                message: "the file has no [[period]]: at least one period of statutory holidays is needed"
                    .to_owned(),
            });
            return;
        }
        if periods.len() != raw.len() {
            return; // problems already reported
        }
        let mut ids = BTreeSet::new();
        for (p, r) in periods.iter().zip(raw) {
            if !ids.insert(p.id.as_str()) {
                self.issue(
                    r.span().start,
                    format!("period id {:?} appears twice", p.id),
                );
            }
        }
        for (i, pair) in periods.windows(2).enumerate() {
            let (a, b) = (&pair[0], &pair[1]);
            let at = raw[i + 1].span().start;
            match a.to {
                None => self.issue(
                    at,
                    format!(
                        "period {:?} starts after the open-ended period {:?}: give {:?} a `to` date, and list periods in order",
                        b.id, a.id, a.id
                    ),
                ),
                Some(to) if to.succ_opt() != Some(b.from) => self.issue(
                    at,
                    format!(
                        "period {:?} must start the day after period {:?} ends ({}), got {}: periods are listed in order without gaps or overlaps",
                        b.id,
                        a.id,
                        to.succ_opt().map_or_else(|| "?".to_owned(), |d| d.to_string()),
                        b.from
                    ),
                ),
                Some(_) => {}
            }
        }
    }

    fn announcement(
        &mut self,
        raw: &Spanned<RawAnnouncement>,
        keys: &[KeyYears],
        rest_days: &[bool; 7],
    ) -> Option<Announcement> {
        let at = raw.span().start;
        let a = raw.get_ref();
        let before = self.issues.len();
        let what = format!("announced {} {}", a.year, a.holidays.join("+"));
        let from = self.date(&a.from, &format!("{what}: from"));
        let to = self.date(&a.to, &format!("{what}: to"));
        let is_rest = |d: NaiveDate| rest_days[d.weekday().num_days_from_monday() as usize];
        if a.holidays.is_empty() {
            self.issue(
                at,
                format!("{what}: holidays must name at least one holiday key"),
            );
        }
        let mut seen = BTreeSet::new();
        for key in &a.holidays {
            if !seen.insert(key) {
                self.issue(at, format!("{what}: holiday {key:?} is listed twice"));
            }
            // The key must be a statutory holiday in force in that year.
            let known = keys
                .iter()
                .any(|(k, from, to)| k == key && (*from..=*to).contains(&a.year));
            if !known {
                self.issue(
                    at,
                    format!(
                        "{what}: unknown holiday {key:?} for {} (not a [[period.holiday]] key of a period in force that year)",
                        a.year
                    ),
                );
            }
        }
        if let (Some(from), Some(to)) = (from, to) {
            if to < from {
                self.issue(
                    a.to.span().start,
                    format!("{what}: to ({to}) is before from ({from})"),
                );
            } else if (to - from).num_days() > 30 {
                self.issue(
                    a.to.span().start,
                    format!(
                        "{what}: a break of {} days is not plausible (at most 31)",
                        (to - from).num_days() + 1
                    ),
                );
            }
            for d in [from, to] {
                if (d.year() - a.year).abs() > 1 {
                    self.issue(
                        at,
                        format!(
                            "{what}: date {d} is not within a year of the holiday year {}",
                            a.year
                        ),
                    );
                }
            }
        }
        let mut make_up = Vec::new();
        for m in &a.make_up {
            let date = self.date(&m.date, &format!("{what}: make_up date"));
            let replaces = self.date(&m.replaces, &format!("{what}: make_up for"));
            let (Some(date), Some(replaces)) = (date, replaces) else {
                continue;
            };
            if !is_rest(date) {
                self.issue(
                    m.date.span().start,
                    format!(
                        "{what}: make-up day {date} is a {}, not a weekly rest day",
                        date.weekday()
                    ),
                );
            }
            if is_rest(replaces) {
                self.issue(
                    m.replaces.span().start,
                    format!("{what}: make-up day {date} is for {replaces}, a {} that is not a working day anyway", replaces.weekday()),
                );
            }
            if let (Some(from), Some(to)) = (from, to) {
                if !(from..=to).contains(&replaces) {
                    self.issue(
                        m.replaces.span().start,
                        format!("{what}: make-up day {date} is for {replaces}, which is outside the break {from} – {to}"),
                    );
                }
                if (from..=to).contains(&date) {
                    self.issue(
                        m.date.span().start,
                        format!("{what}: make-up day {date} lies inside the break {from} – {to}"),
                    );
                }
                if (date - replaces).num_days().abs() > 60 {
                    self.issue(
                        m.date.span().start,
                        format!("{what}: make-up day {date} is more than 60 days from the day it replaces ({replaces})"),
                    );
                }
            }
            make_up.push(MakeUpDay { date, replaces });
        }
        if self.issues.len() > before {
            return None;
        }
        Some(Announcement {
            year: a.year,
            holidays: a.holidays.clone(),
            from: from?,
            to: to?,
            make_up,
            source: a.source.clone(),
            confidence: a.confidence,
            note: a.note.clone(),
        })
    }

    fn check_announcements(
        &mut self,
        raw: &[Spanned<RawAnnouncement>],
        announced: &[Announcement],
    ) {
        if announced.len() != raw.len() {
            return;
        }
        // One announcement per holiday and year.
        let mut by_key: BTreeMap<(i32, &str), usize> = BTreeMap::new();
        for (i, a) in announced.iter().enumerate() {
            for key in &a.holidays {
                if let Some(&first) = by_key.get(&(a.year, key.as_str())) {
                    self.issue(
                        raw[i].span().start,
                        format!(
                            "announced {} {key}: the same holiday is already announced for that year (line {})",
                            a.year,
                            line_of(self.text, raw[first].span().start)
                        ),
                    );
                } else {
                    by_key.insert((a.year, key.as_str()), i);
                }
            }
        }
        // Breaks and make-up days must not overlap each other.
        for (i, a) in announced.iter().enumerate() {
            for (j, b) in announced.iter().enumerate().skip(i + 1) {
                if a.from <= b.to && b.from <= a.to {
                    self.issue(
                        raw[j].span().start,
                        format!(
                            "announced {} {}: break {} – {} overlaps the break {} – {} (line {})",
                            b.year,
                            b.holidays.join("+"),
                            b.from,
                            b.to,
                            a.from,
                            a.to,
                            line_of(self.text, raw[i].span().start)
                        ),
                    );
                }
                for (x, y, line) in [(a, b, i), (b, a, j)] {
                    for m in &x.make_up {
                        if (y.from..=y.to).contains(&m.date) {
                            self.issue(
                                raw[line].span().start,
                                format!(
                                    "make-up day {} falls inside the break {} – {}",
                                    m.date, y.from, y.to
                                ),
                            );
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_parses() {
        let rules = HolidayRules::builtin().unwrap();
        assert_eq!(rules.periods().len(), 2);
        assert_eq!(rules.announcements().len(), 49);
        let d = NaiveDate::from_ymd_opt(2024, 5, 4).unwrap();
        assert!(rules.is_rest_day(d));
    }

    #[test]
    fn line_numbers() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 4), 3);
    }
}
