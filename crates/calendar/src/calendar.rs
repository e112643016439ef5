//! The working-day calendar: every day of the supported years precomputed once.
//!
//! Representation: `cum[i]` is the number of working days in `[start, start + i)`, for every day
//! of the covered years (about 32,000 days, 128 KiB). Then
//! - `is_working_day`: O(1) (`cum[i + 1] - cum[i]`);
//! - `working_days_between`: O(1) (difference of two prefix counts);
//! - `add_working_days`: O(log n) (binary search of the prefix counts);
//! - `holidays(year)`: O(1), a slice built once.
//!
//! Building takes a few milliseconds (two lunar conversions and a few dozen days per year).

use crate::lunar::LunarError;
use crate::rules::{DataError, HolidayRules};
use crate::schedule::{self, DayKind, Holiday, Role, Source};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::RangeInclusive;

/// Last year the working-day calendar covers (the lunar calendar itself goes further).
pub const LAST_YEAR: i32 = 2100;
/// First year the working-day calendar can cover, whatever the data says.
pub const FIRST_YEAR: i32 = 1901;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error(transparent)]
    Data(#[from] DataError),
    #[error(transparent)]
    Lunar(#[from] LunarError),
    #[error("no complete year is covered by the rule periods of the holiday file")]
    NoCompleteYear,
    #[error("date {date} is outside the working-day calendar ({first} to {last})")]
    DateOutOfRange {
        date: NaiveDate,
        first: NaiveDate,
        last: NaiveDate,
    },
    #[error("year {year} is outside the working-day calendar ({first} to {last})")]
    YearOutOfRange { year: i32, first: i32, last: i32 },
    #[error(
        "counting {n} working days from {date} goes past the working-day calendar ({first} to {last})"
    )]
    ResultOutOfRange {
        date: NaiveDate,
        n: i64,
        first: NaiveDate,
        last: NaiveDate,
    },
    #[error("{date} is both a day off ({off}) and a make-up working day ({make_up})")]
    Conflict {
        date: NaiveDate,
        off: String,
        make_up: String,
    },
}

/// How a year's schedule was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum YearStatus {
    /// Every holiday of the year comes from an announced schedule.
    Announced,
    /// Some holidays announced, the others computed.
    PartlyAnnounced,
    /// No announcement: computed defaults ("computed, not announced").
    Computed,
}

/// The working-day calendar built from a set of holiday rules.
#[derive(Clone)]
pub struct Calendar {
    rules: HolidayRules,
    first_year: i32,
    last_year: i32,
    start: NaiveDate,
    end: NaiveDate,
    cum: Vec<u32>,
    by_year: Vec<Vec<Holiday>>,
}

impl Calendar {
    /// The calendar of the built-in holiday table (`data/calendar/holidays.toml`).
    /// [`crate::builtin`] keeps one built copy for the whole process.
    pub fn builtin() -> Result<Calendar, CalendarError> {
        Calendar::new(HolidayRules::builtin()?)
    }

    /// The calendar of a holiday file's text (e.g. an administrator's edited copy from the
    /// database). Every problem of the file is listed in the error.
    pub fn from_toml(text: &str) -> Result<Calendar, CalendarError> {
        Calendar::new(HolidayRules::parse(text)?)
    }

    /// Builds the calendar of validated rules: the years completely covered by the rule
    /// periods, capped to [`FIRST_YEAR`]..=[`LAST_YEAR`].
    pub fn new(rules: HolidayRules) -> Result<Calendar, CalendarError> {
        let (first_year, last_year) = covered_years(&rules).ok_or(CalendarError::NoCompleteYear)?;
        let start = ymd(first_year, 1, 1)?;
        let end = ymd(last_year, 12, 31)?;

        // Holiday years spill over into the year before (Tết Dương lịch breaks start in
        // December), so the year after the last one is computed too.
        let mut by_date: BTreeMap<NaiveDate, Vec<Holiday>> = BTreeMap::new();
        for year in first_year..=last_year + 1 {
            for h in schedule::holiday_year(&rules, year)? {
                if h.date >= start && h.date <= end {
                    by_date.entry(h.date).or_default().push(h);
                }
            }
        }

        let days = (end - start).num_days() as usize + 1;
        let mut working: Vec<bool> = start
            .iter_days()
            .take(days)
            .map(|d| !rules.is_rest_day(d))
            .collect();
        let mut by_year: Vec<Vec<Holiday>> =
            vec![Vec::new(); (last_year - first_year + 1) as usize];
        for (date, mut list) in by_date {
            list.sort_by(|a, b| (a.role, &a.name_vi).cmp(&(b.role, &b.name_vi)));
            let off = list.iter().find(|h| h.kind == DayKind::DayOff);
            let make_up = list.iter().find(|h| h.kind == DayKind::MakeUpWorkingDay);
            if let (Some(off), Some(make_up)) = (off, make_up) {
                return Err(CalendarError::Conflict {
                    date,
                    off: off.name_vi.clone(),
                    make_up: make_up.name_vi.clone(),
                });
            }
            let i = (date - start).num_days() as usize;
            if let Some(w) = working.get_mut(i) {
                *w = make_up.is_some();
            }
            if let Some(year_list) = by_year.get_mut((date.year() - first_year) as usize) {
                year_list.extend(list);
            }
        }

        let mut cum = Vec::with_capacity(days + 1);
        let mut count = 0u32;
        cum.push(0);
        for w in working {
            count += u32::from(w);
            cum.push(count);
        }
        Ok(Calendar {
            rules,
            first_year,
            last_year,
            start,
            end,
            cum,
            by_year,
        })
    }

    /// The rules the calendar was built from.
    pub fn rules(&self) -> &HolidayRules {
        &self.rules
    }

    /// The years covered.
    pub fn years(&self) -> RangeInclusive<i32> {
        self.first_year..=self.last_year
    }

    /// First and last day covered.
    pub fn range(&self) -> RangeInclusive<NaiveDate> {
        self.start..=self.end
    }

    fn index(&self, date: NaiveDate) -> Result<usize, CalendarError> {
        if date < self.start || date > self.end {
            return Err(CalendarError::DateOutOfRange {
                date,
                first: self.start,
                last: self.end,
            });
        }
        Ok((date - self.start).num_days() as usize)
    }

    fn date_at(&self, index: usize) -> NaiveDate {
        self.start
            .checked_add_days(chrono::Days::new(index as u64))
            .unwrap_or(self.end)
    }

    /// Whether `date` is a working day: Monday to Friday, not a day off (holiday, nghỉ bù, bridge
    /// day), or a make-up working Saturday.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        let i = self.index(date)?;
        Ok(self.cum[i + 1] > self.cum[i])
    }

    /// The date `n` working days after `date`, counting from the next working day:
    /// `add_working_days(friday, 1)` is the next Monday when that is a working day. `n = 0` gives
    /// `date` itself; a negative `n` counts back from the previous working day.
    pub fn add_working_days(&self, date: NaiveDate, n: i64) -> Result<NaiveDate, CalendarError> {
        let i = self.index(date)?;
        if n == 0 {
            return Ok(date);
        }
        let too_far = || CalendarError::ResultOutOfRange {
            date,
            n,
            first: self.start,
            last: self.end,
        };
        // The answer is the working day j whose inclusive prefix count cum[j + 1] is `target`.
        let target = if n > 0 {
            i64::from(self.cum[i + 1]) + n
        } else {
            i64::from(self.cum[i]) + n + 1
        };
        if target < 1 || target > i64::from(self.cum[self.cum.len() - 1]) {
            return Err(too_far());
        }
        let k = self.cum.partition_point(|&c| i64::from(c) < target);
        Ok(self.date_at(k - 1))
    }

    /// Number of working days after `start` up to and including `end`: how long a step took,
    /// in working days (for medians). Negative when `end` is before `start`. O(1).
    ///
    /// For "decided within N working days", use [`Calendar::within_working_days`]: a decision
    /// dated on the weekend right after the due date has the same count (N) but is late.
    pub fn working_days_between(
        &self,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<i64, CalendarError> {
        let a = self.index(start)?;
        let b = self.index(end)?;
        Ok(i64::from(self.cum[b + 1]) - i64::from(self.cum[a + 1]))
    }

    /// Whether `end` is on or before the due date `add_working_days(start, n)`: "done within `n`
    /// working days of `start`" (the day of `start` itself is not counted).
    pub fn within_working_days(
        &self,
        start: NaiveDate,
        end: NaiveDate,
        n: i64,
    ) -> Result<bool, CalendarError> {
        Ok(end <= self.add_working_days(start, n)?)
    }

    /// Every listed day of `year` in date order: holidays, nghỉ bù, bridge days, rest days inside
    /// announced breaks, make-up working days, each with its source (announced or computed).
    pub fn holidays(&self, year: i32) -> Result<&[Holiday], CalendarError> {
        if !self.years().contains(&year) {
            return Err(CalendarError::YearOutOfRange {
                year,
                first: self.first_year,
                last: self.last_year,
            });
        }
        Ok(self
            .by_year
            .get((year - self.first_year) as usize)
            .map_or(&[], Vec::as_slice))
    }

    /// The days off of `year` that fall on working weekdays, plus make-up days: the days that
    /// change the Monday–Friday pattern.
    pub fn exceptions(&self, year: i32) -> Result<Vec<&Holiday>, CalendarError> {
        let rules = &self.rules;
        Ok(self
            .holidays(year)?
            .iter()
            .filter(|h| match h.kind {
                DayKind::DayOff => !rules.is_rest_day(h.date),
                DayKind::MakeUpWorkingDay => true,
            })
            .collect())
    }

    /// Whether the schedule of `year` was announced or computed.
    pub fn year_status(&self, year: i32) -> Result<YearStatus, CalendarError> {
        let list = self.holidays(year)?;
        let of_year = list
            .iter()
            .filter(|h| h.holiday_year == year && h.role != Role::MakeUp);
        let (mut announced, mut computed) = (false, false);
        for h in of_year {
            match h.source {
                Source::Announced => announced = true,
                Source::Computed => computed = true,
            }
        }
        Ok(match (announced, computed) {
            (true, false) => YearStatus::Announced,
            (true, true) => YearStatus::PartlyAnnounced,
            _ => YearStatus::Computed,
        })
    }
}

impl std::fmt::Debug for Calendar {
    /// A summary: the per-day table is not worth printing.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Calendar")
            .field("years", &self.years())
            .field("working_days", &self.cum.last().copied().unwrap_or(0))
            .field(
                "listed_days",
                &self.by_year.iter().map(Vec::len).sum::<usize>(),
            )
            .field("announcements", &self.rules.announcements().len())
            .finish_non_exhaustive()
    }
}

fn ymd(year: i32, month: u32, day: u32) -> Result<NaiveDate, CalendarError> {
    NaiveDate::from_ymd_opt(year, month, day).ok_or(CalendarError::YearOutOfRange {
        year,
        first: FIRST_YEAR,
        last: LAST_YEAR,
    })
}

/// First and last year whose every day lies in a rule period (periods are contiguous, checked
/// when parsing), capped to FIRST_YEAR..=LAST_YEAR.
fn covered_years(rules: &HolidayRules) -> Option<(i32, i32)> {
    let first = rules.periods().first()?.from();
    let last = rules.periods().last()?.to();
    let first_year = if first.ordinal() == 1 {
        first.year()
    } else {
        first.year() + 1
    };
    let last_year = match last {
        None => LAST_YEAR,
        Some(d) if d.succ_opt().is_some_and(|n| n.year() > d.year()) => d.year(),
        Some(d) => d.year() - 1,
    };
    let (first_year, last_year) = (first_year.max(FIRST_YEAR), last_year.min(LAST_YEAR));
    (first_year <= last_year).then_some((first_year, last_year))
}
