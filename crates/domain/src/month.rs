//! Calendar months. Allowances are paid per whole month, so months are a type of their own.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A calendar month, e.g. `2025-07`. Ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    /// Months since year 0 (year × 12 + month − 1): compact, ordered, cheap arithmetic.
    index: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MonthError {
    #[error("month must be written YYYY-MM, got {0:?}")]
    Format(String),
    #[error("month number must be 1 to 12, got {0}")]
    MonthOutOfRange(u32),
    #[error("year must be between 1800 and 9999, got {0}")]
    YearOutOfRange(i32),
}

impl Month {
    pub fn new(year: i32, month: u32) -> Result<Month, MonthError> {
        if !(1..=12).contains(&month) {
            return Err(MonthError::MonthOutOfRange(month));
        }
        if !(1800..=9999).contains(&year) {
            return Err(MonthError::YearOutOfRange(year));
        }
        Ok(Month {
            index: year * 12 + month as i32 - 1,
        })
    }

    pub fn of(date: NaiveDate) -> Month {
        Month {
            index: date.year() * 12 + date.month0() as i32,
        }
    }

    pub fn year(self) -> i32 {
        self.index.div_euclid(12)
    }

    /// 1 to 12.
    pub fn month(self) -> u32 {
        self.index.rem_euclid(12) as u32 + 1
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year(), self.month(), 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or(NaiveDate::MAX)
    }

    pub fn next(self) -> Month {
        self.plus(1)
    }

    pub fn prev(self) -> Month {
        self.plus(-1)
    }

    pub fn plus(self, months: i32) -> Month {
        Month {
            index: self.index + months,
        }
    }

    /// Number of months from `self` to `later` (0 when equal, negative when `later` is before).
    pub fn months_until(self, later: Month) -> i32 {
        later.index - self.index
    }

    /// Months from `self` to `end`, both included. Empty when `end < self`.
    pub fn through(self, end: Month) -> impl Iterator<Item = Month> {
        (self.index..=end.index).map(|index| Month { index })
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        Month::of(date) == self
    }

    /// `07/2025`, as officers write months.
    pub fn display_vi(self) -> String {
        format!("{:02}/{}", self.month(), self.year())
    }

    /// A compact integer `YYYYMM` for storage and indexes.
    pub fn as_yyyymm(self) -> i32 {
        self.year() * 100 + self.month() as i32
    }

    pub fn from_yyyymm(value: i32) -> Result<Month, MonthError> {
        Month::new(value / 100, (value % 100) as u32)
    }
}

impl fmt::Display for Month {
    /// ISO form `2025-07`, used in files, URLs and JSON.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

impl FromStr for Month {
    type Err = MonthError;
    fn from_str(s: &str) -> Result<Month, MonthError> {
        let bad = || MonthError::Format(s.to_string());
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        Month::new(year, month)
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Month, D::Error> {
        crate::text::parse_text(d, "a month as YYYY-MM", str::parse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_and_displays() {
        let m: Month = "2025-07".parse().unwrap();
        assert_eq!(m.year(), 2025);
        assert_eq!(m.month(), 7);
        assert_eq!(m.to_string(), "2025-07");
        assert_eq!(m.display_vi(), "07/2025");
        assert!("2025-7".parse::<Month>().is_err());
        assert!("2025-13".parse::<Month>().is_err());
        assert!("2025/07".parse::<Month>().is_err());
        assert!("".parse::<Month>().is_err());
    }

    #[test]
    fn arithmetic_crosses_years() {
        let dec: Month = "2024-12".parse().unwrap();
        assert_eq!(dec.next().to_string(), "2025-01");
        assert_eq!(dec.next().prev(), dec);
        assert_eq!(dec.plus(-12).to_string(), "2023-12");
        assert_eq!(
            dec.last_day(),
            NaiveDate::from_ymd_opt(2024, 12, 31).unwrap()
        );
        let feb: Month = "2024-02".parse().unwrap();
        assert_eq!(
            feb.last_day(),
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
        assert_eq!(feb.through(dec).count(), 11);
        assert_eq!(dec.through(feb).count(), 0);
    }

    proptest! {
        #[test]
        fn round_trips(year in 1800i32..9999, month in 1u32..=12) {
            let m = Month::new(year, month).unwrap();
            prop_assert_eq!(m.to_string().parse::<Month>().unwrap(), m);
            prop_assert_eq!(Month::from_yyyymm(m.as_yyyymm()).unwrap(), m);
            prop_assert_eq!(Month::of(m.first_day()), m);
            prop_assert_eq!(Month::of(m.last_day()), m);
        }
    }
}
