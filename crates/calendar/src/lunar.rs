//! âm lịch — the Vietnamese lunisolar calendar, computed for the Vietnamese time zone UTC+7.
//!
//! Rules (the modern Chinese rules with Vietnamese civil time; Vietnam uses UTC+7 for its
//! calendar since 1968, which is why Tết differs from the Chinese new year in some years, e.g.
//! 1985, 2007, 2030):
//! 1. A month starts on the local day (UTC+7) of a new moon.
//! 2. Month 11 (tháng Một) is the month that contains the winter solstice.
//! 3. When 13 months lie between two months 11, the first of them (after month 11) that contains
//!    no major solar term (trung khí: the Sun's longitude crossing a multiple of 30°) is the
//!    leap month (tháng nhuận) and takes the number of the month before it.
//!
//! Astronomy: the private `astro` module (Meeus). Supported range: lunar years
//! [`LUNAR_MIN_YEAR`]..=[`LUNAR_MAX_YEAR`]; checked month by month for 1900–2200 against an
//! independent computation (VSOP87/ELP-2000 via PyEphem) and against published Tết tables in
//! the tests. Years before 1968 are computed proleptically with UTC+7 (the historical calendar
//! of the time used UTC+8).

use crate::astro;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Time zone of the Vietnamese calendar, hours east of Greenwich.
pub const VIETNAM_UTC_OFFSET_HOURS: f64 = 7.0;

/// First lunar year supported (its Tết is in January/February 1901).
pub const LUNAR_MIN_YEAR: i32 = 1901;
/// Last lunar year supported.
pub const LUNAR_MAX_YEAR: i32 = 2199;

/// A date in the Vietnamese lunar calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LunarDate {
    /// The lunar year, named by the Gregorian year in which its first month begins.
    pub year: i32,
    /// 1 to 12.
    pub month: u8,
    /// 1 to 30.
    pub day: u8,
    /// Whether the month is the leap month (tháng nhuận) that repeats `month`.
    pub leap: bool,
}

impl LunarDate {
    /// A lunar date, not yet checked against the calendar (see [`to_solar`]).
    pub fn new(year: i32, month: u8, day: u8, leap: bool) -> LunarDate {
        LunarDate {
            year,
            month,
            day,
            leap,
        }
    }
}

impl fmt::Display for LunarDate {
    /// `dd/mm/yyyy` as Vietnamese write lunar dates, `dd/mm nhuận/yyyy` in a leap month.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.leap {
            write!(f, "{:02}/{:02} nhuận/{}", self.day, self.month, self.year)
        } else {
            write!(f, "{:02}/{:02}/{}", self.day, self.month, self.year)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LunarError {
    #[error("lunar calendar supports years {min} to {max}, got {0}", min = LUNAR_MIN_YEAR, max = LUNAR_MAX_YEAR)]
    YearOutOfRange(i32),
    #[error("solar date {0} is outside the supported range of the lunar calendar")]
    DateOutOfRange(NaiveDate),
    #[error("lunar month must be 1 to 12, got {0}")]
    MonthOutOfRange(u8),
    #[error("lunar year {year} has no leap month {month}")]
    NoSuchLeapMonth { year: i32, month: u8 },
    #[error("lunar month {month}{leap} of {year} has {len} days, got day {day}", leap = if *.leap { " (leap)" } else { "" })]
    DayOutOfRange {
        year: i32,
        month: u8,
        leap: bool,
        day: u8,
        len: u8,
    },
}

/// One lunar month: its first civil day (Julian Day Number), number and leap flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct MonthStart {
    first_day: i64,
    /// Lunar year the month belongs to.
    year: i32,
    month: u8,
    leap: bool,
}

/// First day (JDN) of month 11 of the cycle that begins in Gregorian year `year`: the month that
/// contains the December solstice of `year`.
fn month11_start(year: i32) -> Option<i64> {
    let dec31 = astro::jdn(NaiveDate::from_ymd_opt(year, 12, 31)?);
    let off = VIETNAM_UTC_OFFSET_HOURS;
    let k = astro::lunation_at_or_before_day(dec31, off);
    let start = astro::new_moon_day(k, off);
    // The sector at the start of the month's first day is 9 or more (≥ 270°) when the solstice
    // fell before that day: month 11 is then the previous month.
    if astro::sun_sector_at_day_start(start, off) >= 9 {
        Some(astro::new_moon_day(k - 1, off))
    } else {
        Some(start)
    }
}

/// The months from month 11 of Gregorian year `cycle_year` up to (excluding) month 11 of the
/// next year: 12 months, or 13 with one leap month. The last element is the first day of the
/// next month 11 (a sentinel giving the length of the last month).
fn cycle(cycle_year: i32) -> Option<(Vec<MonthStart>, i64)> {
    let off = VIETNAM_UTC_OFFSET_HOURS;
    let a11 = month11_start(cycle_year)?;
    let b11 = month11_start(cycle_year + 1)?;
    let k0 = astro::lunation_at_or_before_day(a11, off);
    let count = ((b11 - a11) as f64 / astro::SYNODIC_MONTH).round() as i64;
    let firsts: Vec<i64> = (0..=count)
        .map(|i| astro::new_moon_day(k0 + i, off))
        .collect();
    let leap_offset = if count == 13 {
        // First month (after month 11) without a major term: same sun sector at its start and at
        // the start of the next month.
        (1..13).find(|&i| {
            astro::sun_sector_at_day_start(firsts[i], off)
                == astro::sun_sector_at_day_start(firsts[i + 1], off)
        })
    } else {
        None
    };
    let mut months = Vec::with_capacity(13);
    for (i, &first_day) in firsts.iter().take(count as usize).enumerate() {
        let (ordinal, leap) = match leap_offset {
            Some(l) if i == l => (i - 1, true),
            Some(l) if i > l => (i - 1, false),
            _ => (i, false),
        };
        // ordinal 0 → month 11, 1 → 12, 2 → 1, …
        let month = ((10 + ordinal) % 12 + 1) as u8;
        let year = if ordinal < 2 {
            cycle_year
        } else {
            cycle_year + 1
        };
        months.push(MonthStart {
            first_day,
            year,
            month,
            leap,
        });
    }
    Some((months, *firsts.last()?))
}

fn check_year(year: i32) -> Result<(), LunarError> {
    if (LUNAR_MIN_YEAR..=LUNAR_MAX_YEAR).contains(&year) {
        Ok(())
    } else {
        Err(LunarError::YearOutOfRange(year))
    }
}

/// The cycle (months 11 of `cycle_year` to 10 of the next lunar year) holding the given month.
fn cycle_of(year: i32, month: u8) -> i32 {
    if month >= 11 { year } else { year - 1 }
}

/// Solar (Gregorian) date → lunar date.
pub fn to_lunar(date: NaiveDate) -> Result<LunarDate, LunarError> {
    let day = astro::jdn(date);
    // The cycle containing `day` starts at month 11 of this Gregorian year or the previous one.
    let mut cycle_year = date.year();
    let this11 = month11_start(cycle_year).ok_or(LunarError::DateOutOfRange(date))?;
    if day < this11 {
        cycle_year -= 1;
    }
    if !(LUNAR_MIN_YEAR - 1..=LUNAR_MAX_YEAR).contains(&cycle_year) {
        return Err(LunarError::DateOutOfRange(date));
    }
    let (months, _) = cycle(cycle_year).ok_or(LunarError::DateOutOfRange(date))?;
    let m = months
        .iter()
        .rev()
        .find(|m| m.first_day <= day)
        .ok_or(LunarError::DateOutOfRange(date))?;
    let lunar = LunarDate {
        year: m.year,
        month: m.month,
        day: (day - m.first_day + 1) as u8,
        leap: m.leap,
    };
    if (LUNAR_MIN_YEAR..=LUNAR_MAX_YEAR).contains(&lunar.year) {
        Ok(lunar)
    } else {
        Err(LunarError::DateOutOfRange(date))
    }
}

/// First day (JDN) and length of a lunar month.
fn month_bounds(year: i32, month: u8, leap: bool) -> Result<(i64, u8), LunarError> {
    check_year(year)?;
    if !(1..=12).contains(&month) {
        return Err(LunarError::MonthOutOfRange(month));
    }
    let (months, sentinel) =
        cycle(cycle_of(year, month)).ok_or(LunarError::YearOutOfRange(year))?;
    let i = months
        .iter()
        .position(|m| m.month == month && m.leap == leap)
        .ok_or(LunarError::NoSuchLeapMonth { year, month })?;
    let next = months.get(i + 1).map_or(sentinel, |m| m.first_day);
    Ok((months[i].first_day, (next - months[i].first_day) as u8))
}

/// Lunar date → solar (Gregorian) date.
pub fn to_solar(lunar: LunarDate) -> Result<NaiveDate, LunarError> {
    let (first, len) = month_bounds(lunar.year, lunar.month, lunar.leap)?;
    if lunar.day < 1 || lunar.day > len {
        return Err(LunarError::DayOutOfRange {
            year: lunar.year,
            month: lunar.month,
            leap: lunar.leap,
            day: lunar.day,
            len,
        });
    }
    astro::date_of_jdn(first + i64::from(lunar.day) - 1)
        .ok_or(LunarError::YearOutOfRange(lunar.year))
}

/// Number of days (29 or 30) of a lunar month.
pub fn month_length(year: i32, month: u8, leap: bool) -> Result<u8, LunarError> {
    month_bounds(year, month, leap).map(|(_, len)| len)
}

/// The leap month of a lunar year, if it has one (e.g. `Some(6)` for 2025, `Some(11)` for 2033).
pub fn leap_month(year: i32) -> Result<Option<u8>, LunarError> {
    check_year(year)?;
    let mut found = None;
    for cycle_year in [year - 1, year] {
        let (months, _) = cycle(cycle_year).ok_or(LunarError::YearOutOfRange(year))?;
        if let Some(m) = months.iter().find(|m| m.leap && m.year == year) {
            found = Some(m.month);
        }
    }
    Ok(found)
}

/// Tết Nguyên đán: the solar date of 1 Tháng Giêng (first day of the first month) of `year`.
pub fn new_year(year: i32) -> Result<NaiveDate, LunarError> {
    to_solar(LunarDate::new(year, 1, 1, false))
}

/// The last day of lunar year `year` (the day before the next Tết): 29 or 30 Tháng Chạp.
pub fn new_years_eve(year: i32) -> Result<NaiveDate, LunarError> {
    new_year(year + 1)?
        .pred_opt()
        .ok_or(LunarError::YearOutOfRange(year))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn tet_2026_and_hung_kings() {
        assert_eq!(new_year(2026).unwrap(), d(2026, 2, 17));
        assert_eq!(
            to_solar(LunarDate::new(2026, 3, 10, false)).unwrap(),
            d(2026, 4, 26)
        );
    }

    #[test]
    fn leap_months() {
        assert_eq!(leap_month(2023).unwrap(), Some(2));
        assert_eq!(leap_month(2025).unwrap(), Some(6));
        assert_eq!(leap_month(2024).unwrap(), None);
        assert_eq!(leap_month(2033).unwrap(), Some(11));
        assert_eq!(
            to_lunar(d(2033, 12, 22)).unwrap(),
            LunarDate::new(2033, 11, 1, true)
        );
    }

    #[test]
    fn round_trip_one_day() {
        let l = to_lunar(d(2025, 7, 25)).unwrap();
        assert_eq!(l, LunarDate::new(2025, 6, 1, true));
        assert_eq!(to_solar(l).unwrap(), d(2025, 7, 25));
    }

    #[test]
    fn errors() {
        assert_eq!(
            to_solar(LunarDate::new(2024, 6, 1, true)),
            Err(LunarError::NoSuchLeapMonth {
                year: 2024,
                month: 6
            })
        );
        assert!(matches!(
            to_solar(LunarDate::new(2024, 1, 31, false)),
            Err(LunarError::DayOutOfRange { .. })
        ));
        assert_eq!(new_year(1800), Err(LunarError::YearOutOfRange(1800)));
        assert_eq!(
            to_solar(LunarDate::new(2024, 13, 1, false)),
            Err(LunarError::MonthOutOfRange(13))
        );
    }

    #[test]
    fn display() {
        assert_eq!(
            LunarDate::new(2025, 6, 1, true).to_string(),
            "01/06 nhuận/2025"
        );
        assert_eq!(LunarDate::new(2026, 3, 10, false).to_string(), "10/03/2026");
    }
}
