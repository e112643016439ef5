//! Property tests of the lunar conversions over 1990–2100.

use ansinh_calendar::lunar::{self, LunarDate, LunarError};
use chrono::{Datelike, Days, NaiveDate};
use proptest::prelude::*;

fn solar_date() -> impl Strategy<Value = NaiveDate> {
    let first = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap();
    let days = (NaiveDate::from_ymd_opt(2100, 12, 31).unwrap() - first).num_days() as u64;
    (0..=days).prop_map(move |n| first.checked_add_days(Days::new(n)).unwrap())
}

proptest! {
    #[test]
    fn solar_to_lunar_to_solar(date in solar_date()) {
        let l = lunar::to_lunar(date).unwrap();
        prop_assert!((1..=12).contains(&l.month));
        prop_assert!((1..=30).contains(&l.day));
        prop_assert_eq!(lunar::to_solar(l).unwrap(), date);
        // The next day is the next lunar day, or day 1 of the next month.
        let next = lunar::to_lunar(date.succ_opt().unwrap()).unwrap();
        if next.day == 1 {
            prop_assert!(l.day == 29 || l.day == 30);
            prop_assert_eq!(lunar::month_length(l.year, l.month, l.leap).unwrap(), l.day);
        } else {
            prop_assert_eq!(next, LunarDate { day: l.day + 1, ..l });
        }
    }

    #[test]
    fn lunar_to_solar_to_lunar(
        year in 1990i32..=2100,
        month in 1u8..=12,
        day in 1u8..=30,
        leap in proptest::bool::weighted(0.1),
    ) {
        let l = LunarDate::new(year, month, day, leap);
        match lunar::to_solar(l) {
            Ok(date) => prop_assert_eq!(lunar::to_lunar(date).unwrap(), l),
            Err(LunarError::DayOutOfRange { len, .. }) => {
                prop_assert_eq!(day, 30);
                prop_assert_eq!(len, 29);
            }
            Err(LunarError::NoSuchLeapMonth { .. }) => {
                prop_assert!(leap);
                prop_assert_ne!(lunar::leap_month(year).unwrap(), Some(month));
            }
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }

    #[test]
    fn tet_falls_between_21_january_and_20_february(year in 1990i32..=2100) {
        let tet = lunar::new_year(year).unwrap();
        prop_assert_eq!(tet.year(), year);
        prop_assert!(tet >= NaiveDate::from_ymd_opt(year, 1, 21).unwrap());
        prop_assert!(tet <= NaiveDate::from_ymd_opt(year, 2, 20).unwrap());
        let len = (lunar::new_year(year + 1).unwrap() - tet).num_days();
        let leap = lunar::leap_month(year).unwrap();
        if leap.is_some() {
            prop_assert!((383..=385).contains(&len), "{} has {} days", year, len);
        } else {
            prop_assert!((353..=355).contains(&len), "{} has {} days", year, len);
        }
    }
}
