//! The lunar calendar against independent references.

use crate::d;
use ansinh_calendar::lunar::{self, LunarDate};
use chrono::NaiveDate;

/// Tết Nguyên đán (1 Tháng Giêng) 2000–2040 in Vietnam.
///
/// Source, typed by hand (not produced by this crate): the python-holidays project
/// (github.com/vacanza/holidays, MIT), `holidays/calendars/chinese.py`: the Chinese new-year
/// table `LUNAR_NEW_YEAR_DATES` with the Vietnamese exceptions of
/// `VIETNAMESE_CALENDAR_LUNAR_NEW_YEAR_DATES` (2007-02-17 and 2030-02-02 in this range).
/// The years 2017–2026 also agree with the Government's holiday schedules in SPEC B 15.6
/// (e.g. 2026: "statutory Mon 16/2 – Fri 20/2", i.e. 30 Tết to mùng 4 around Tuesday 17/2).
const TET_2000_2040: [(i32, u32, u32); 41] = [
    (2000, 2, 5),
    (2001, 1, 24),
    (2002, 2, 12),
    (2003, 2, 1),
    (2004, 1, 22),
    (2005, 2, 9),
    (2006, 1, 29),
    (2007, 2, 17),
    (2008, 2, 7),
    (2009, 1, 26),
    (2010, 2, 14),
    (2011, 2, 3),
    (2012, 1, 23),
    (2013, 2, 10),
    (2014, 1, 31),
    (2015, 2, 19),
    (2016, 2, 8),
    (2017, 1, 28),
    (2018, 2, 16),
    (2019, 2, 5),
    (2020, 1, 25),
    (2021, 2, 12),
    (2022, 2, 1),
    (2023, 1, 22),
    (2024, 2, 10),
    (2025, 1, 29),
    (2026, 2, 17),
    (2027, 2, 6),
    (2028, 1, 26),
    (2029, 2, 13),
    (2030, 2, 2),
    (2031, 1, 23),
    (2032, 2, 11),
    (2033, 1, 31),
    (2034, 2, 19),
    (2035, 2, 8),
    (2036, 1, 28),
    (2037, 2, 15),
    (2038, 2, 4),
    (2039, 1, 24),
    (2040, 2, 12),
];

#[test]
fn tet_2000_to_2040_matches_the_reference_table() {
    let mut wrong = Vec::new();
    for (year, month, day) in TET_2000_2040 {
        let expected = d(year, month, day);
        let got = lunar::new_year(year).unwrap();
        if got != expected {
            wrong.push(format!("{year}: expected {expected}, computed {got}"));
        }
        assert_eq!(
            lunar::to_lunar(expected).unwrap(),
            LunarDate::new(year, 1, 1, false)
        );
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// Years where Vietnam (UTC+7) and China (UTC+8) start the year on different days: the new moon
/// falls between 23:00 and midnight Vietnamese time (or the months are numbered differently, as
/// in 1985). Vietnamese dates from python-holidays' `VIETNAMESE_CALENDAR_LUNAR_NEW_YEAR_DATES`,
/// Chinese ones from its `LUNAR_NEW_YEAR_DATES` (same file as above).
#[test]
fn tet_where_vietnam_and_china_differ() {
    let cases = [
        // (year, Vietnam, China)
        (1968, d(1968, 1, 29), d(1968, 1, 30)),
        (1985, d(1985, 1, 21), d(1985, 2, 20)),
        (2007, d(2007, 2, 17), d(2007, 2, 18)),
        (2030, d(2030, 2, 2), d(2030, 2, 3)),
        (2053, d(2053, 2, 18), d(2053, 2, 19)),
    ];
    for (year, vietnam, china) in cases {
        let got = lunar::new_year(year).unwrap();
        assert_eq!(got, vietnam, "Tết {year}");
        assert_ne!(got, china);
    }
}

/// Giỗ Tổ Hùng Vương (10/3 âm lịch).
/// 2017–2026: the dates of the Government's schedules in SPEC B 15.6 (on Sunday 14/4/2019,
/// 10/4/2022 and 26/4/2026 the schedule gives the Monday as nghỉ bù).
/// 2009, 2037, 2038: Vietnamese dates where China differs by a day, from python-holidays'
/// `VIETNAMESE_CALENDAR_HUNG_KINGS_DATES` (same file as above).
#[test]
fn hung_kings_day() {
    let cases = [
        d(2009, 4, 4),
        d(2017, 4, 6),
        d(2018, 4, 25),
        d(2019, 4, 14),
        d(2020, 4, 2),
        d(2021, 4, 21),
        d(2022, 4, 10),
        d(2023, 4, 29),
        d(2024, 4, 18),
        d(2025, 4, 7),
        d(2026, 4, 26),
        d(2037, 4, 24),
        d(2038, 4, 13),
    ];
    for expected in cases {
        let year = chrono::Datelike::year(&expected);
        let got = lunar::to_solar(LunarDate::new(year, 3, 10, false)).unwrap();
        assert_eq!(got, expected, "Giỗ Tổ {year}");
    }
}

/// Every lunar month 1990–2100 against an independent computation with PyEphem (VSOP87 and
/// ELP2000-82b instead of this crate's Meeus formulas; script and output in `tests/it/data/`).
#[test]
fn every_month_1990_to_2100_matches_an_independent_computation() {
    let text = include_str!("data/month_starts_1990_2100.txt");
    let mut months = 0;
    let mut wrong = Vec::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        let start: NaiveDate = f[0].parse().unwrap();
        let expected = LunarDate::new(f[1].parse().unwrap(), f[2].parse().unwrap(), 1, f[3] == "1");
        let got = lunar::to_lunar(start).unwrap();
        let before = lunar::to_lunar(start.pred_opt().unwrap()).unwrap();
        if got != expected || !(before.day == 29 || before.day == 30) {
            wrong.push(format!(
                "{start}: expected {expected}, computed {got}; day before {before}"
            ));
        }
        if lunar::to_solar(expected).unwrap() != start {
            wrong.push(format!("{expected} does not map back to {start}"));
        }
        months += 1;
    }
    assert_eq!(months, 1373);
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn leap_months_of_recent_years() {
    // From the same independent computation; 2033 is the well-known leap 11th month.
    let cases = [
        (2020, Some(4)),
        (2021, None),
        (2023, Some(2)),
        (2025, Some(6)),
        (2026, None),
        (2028, Some(5)),
        (2033, Some(11)),
    ];
    for (year, leap) in cases {
        assert_eq!(lunar::leap_month(year).unwrap(), leap, "{year}");
    }
    assert_eq!(lunar::month_length(2025, 6, true).unwrap(), 29);
    assert_eq!(lunar::new_years_eve(2025).unwrap(), d(2026, 2, 16));
}
