//! Birth dates that may be partial. Many elderly people know only their birth year, some only
//! the year and month; the registry accepts `YYYY`, `YYYY-MM` and `YYYY-MM-DD`.
//!
//! Rule for ages (the convention of Vietnamese civil-status and social-insurance practice):
//! when the day is unknown the person is taken as born on the **first day of the known month**;
//! when the month is also unknown, on **1 January of the known year**. A person therefore
//! reaches an age no later than they would with any full date consistent with what is known —
//! which never delays an entitlement that starts at a birthday.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BirthDate {
    Full(NaiveDate),
    YearMonth { year: i32, month: u32 },
    Year(i32),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BirthDateError {
    #[error("birth date must be YYYY, YYYY-MM or YYYY-MM-DD, got {0:?}")]
    Format(String),
    #[error("{0:?} is not a calendar date")]
    NotADate(String),
    #[error("birth year must be from 1880, got {0}")]
    TooEarly(i32),
}

impl BirthDate {
    /// The date used for age arithmetic (see the module rule).
    pub fn assumed_date(self) -> NaiveDate {
        match self {
            BirthDate::Full(d) => d,
            BirthDate::YearMonth { year, month } => {
                NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN)
            }
            BirthDate::Year(year) => NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN),
        }
    }

    pub fn year(self) -> i32 {
        match self {
            BirthDate::Full(d) => d.year(),
            BirthDate::YearMonth { year, .. } | BirthDate::Year(year) => year,
        }
    }

    pub fn is_partial(self) -> bool {
        !matches!(self, BirthDate::Full(_))
    }

    /// Age in whole years on `date` ("đủ X tuổi": from the exact birthday).
    /// A person born on 29 February reaches a new age on 1 March in common years.
    pub fn age_on(self, date: NaiveDate) -> i32 {
        let born = self.assumed_date();
        let mut age = date.year() - born.year();
        if (date.month(), date.day()) < (born.month(), born.day()) {
            age -= 1;
        }
        age
    }

    /// The day the person reaches `years` of age.
    pub fn birthday_of_age(self, years: i32) -> NaiveDate {
        let born = self.assumed_date();
        let year = born.year() + years;
        NaiveDate::from_ymd_opt(year, born.month(), born.day())
            // 29 February in a common year: the age is reached on 1 March.
            .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
            .unwrap_or(NaiveDate::MAX)
    }

    /// `15/03/1944`, `03/1944` or `1944`, as officers write them.
    pub fn display_vi(self) -> String {
        match self {
            BirthDate::Full(d) => d.format("%d/%m/%Y").to_string(),
            BirthDate::YearMonth { year, month } => format!("{month:02}/{year}"),
            BirthDate::Year(year) => year.to_string(),
        }
    }
}

impl fmt::Display for BirthDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BirthDate::Full(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            BirthDate::YearMonth { year, month } => write!(f, "{year:04}-{month:02}"),
            BirthDate::Year(year) => write!(f, "{year:04}"),
        }
    }
}

impl FromStr for BirthDate {
    type Err = BirthDateError;
    fn from_str(s: &str) -> Result<BirthDate, BirthDateError> {
        let s = s.trim();
        let bad = || BirthDateError::Format(s.to_string());
        let parts: Vec<&str> = s.split('-').collect();
        let number = |p: &str, len: usize| -> Result<u32, BirthDateError> {
            if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            p.parse().map_err(|_| bad())
        };
        let year = number(parts.first().copied().unwrap_or(""), 4)? as i32;
        if year < 1880 {
            return Err(BirthDateError::TooEarly(year));
        }
        match parts.len() {
            1 => Ok(BirthDate::Year(year)),
            2 => {
                let month = number(parts[1], 2)?;
                if !(1..=12).contains(&month) {
                    return Err(BirthDateError::NotADate(s.to_string()));
                }
                Ok(BirthDate::YearMonth { year, month })
            }
            3 => {
                let month = number(parts[1], 2)?;
                let day = number(parts[2], 2)?;
                NaiveDate::from_ymd_opt(year, month, day)
                    .map(BirthDate::Full)
                    .ok_or_else(|| BirthDateError::NotADate(s.to_string()))
            }
            _ => Err(bad()),
        }
    }
}

impl Serialize for BirthDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for BirthDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<BirthDate, D::Error> {
        crate::text::parse_text(d, "a birth date as YYYY, YYYY-MM or YYYY-MM-DD", str::parse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn parses_all_three_forms() {
        assert_eq!("1944".parse::<BirthDate>().unwrap(), BirthDate::Year(1944));
        assert_eq!(
            "1944-03".parse::<BirthDate>().unwrap(),
            BirthDate::YearMonth {
                year: 1944,
                month: 3
            }
        );
        assert_eq!(
            "1944-03-15".parse::<BirthDate>().unwrap(),
            BirthDate::Full(d(1944, 3, 15))
        );
        for bad in [
            "44",
            "1944-3",
            "1944-13",
            "1944-02-30",
            "abcd",
            "1944-03-15-01",
            "1700",
        ] {
            assert!(bad.parse::<BirthDate>().is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn ages_count_from_the_exact_birthday() {
        let b = BirthDate::Full(d(1945, 7, 15));
        assert_eq!(b.age_on(d(2025, 7, 14)), 79);
        assert_eq!(b.age_on(d(2025, 7, 15)), 80);
        assert_eq!(b.birthday_of_age(80), d(2025, 7, 15));
    }

    #[test]
    fn partial_dates_use_the_first_day_of_what_is_known() {
        assert_eq!(BirthDate::Year(1945).age_on(d(2025, 1, 1)), 80);
        assert_eq!(BirthDate::Year(1945).age_on(d(2024, 12, 31)), 79);
        let ym = BirthDate::YearMonth {
            year: 1945,
            month: 7,
        };
        assert_eq!(ym.birthday_of_age(80), d(2025, 7, 1));
    }

    #[test]
    fn leap_day_birthdays_reach_the_age_on_first_march() {
        let b = BirthDate::Full(d(2000, 2, 29));
        assert_eq!(b.birthday_of_age(4), d(2004, 2, 29));
        assert_eq!(b.birthday_of_age(5), d(2005, 3, 1));
        assert_eq!(b.age_on(d(2005, 2, 28)), 4);
        assert_eq!(b.age_on(d(2005, 3, 1)), 5);
    }
}
