//! Working-day arithmetic across Tết, 30/4–1/5 and 2/9 of several years, make-up Saturdays,
//! nghỉ bù, and the properties that tie the three operations together.

use crate::{cal, d};
use ansinh_calendar::CalendarError;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use proptest::prelude::*;

/// (start, n, expected): `add_working_days(start, n) == expected`.
fn check(cases: &[(NaiveDate, i64, NaiveDate)]) {
    let cal = cal();
    for &(start, n, expected) in cases {
        assert_eq!(
            cal.add_working_days(start, n).unwrap(),
            expected,
            "{start} ({}) + {n} working days",
            start.weekday()
        );
    }
}

#[test]
fn ordinary_weeks() {
    check(&[
        (d(2025, 3, 7), 1, d(2025, 3, 10)), // Friday + 1 = Monday
        (d(2025, 3, 8), 1, d(2025, 3, 10)), // Saturday + 1 = Monday
        (d(2025, 3, 10), 5, d(2025, 3, 17)),
        (d(2025, 3, 10), 0, d(2025, 3, 10)),
        (d(2025, 3, 10), -1, d(2025, 3, 7)),
        (d(2025, 3, 9), -1, d(2025, 3, 7)), // Sunday - 1 = Friday
    ]);
}

#[test]
fn year_2019_with_its_make_up_saturdays() {
    check(&[
        // Tết Dương lịch: Mon 31/12/2018 swapped for Sat 5/1/2019, Tue 1/1 holiday.
        (d(2018, 12, 28), 1, d(2019, 1, 2)),
        (d(2019, 1, 4), 1, d(2019, 1, 5)), // the make-up Saturday is a working day
        (d(2019, 1, 4), 2, d(2019, 1, 7)),
        // Tết Nguyên đán: off Sat 2/2 – Sun 10/2.
        (d(2019, 2, 1), 1, d(2019, 2, 11)),
        (d(2019, 1, 31), 3, d(2019, 2, 12)),
        // Giỗ Tổ on Sunday 14/4: Monday 15/4 nghỉ bù.
        (d(2019, 4, 12), 1, d(2019, 4, 16)),
        // 30/4–1/5: Mon 29/4 swapped for Sat 4/5.
        (d(2019, 4, 26), 1, d(2019, 5, 2)),
        (d(2019, 5, 3), 1, d(2019, 5, 4)),
        (d(2019, 5, 3), 2, d(2019, 5, 6)),
        // 2/9 on Monday, one day under the Labour Code 2012.
        (d(2019, 8, 30), 1, d(2019, 9, 3)),
    ]);
    let cal = cal();
    assert!(cal.is_working_day(d(2019, 5, 4)).unwrap());
    assert!(!cal.is_working_day(d(2019, 4, 29)).unwrap());
    assert!(cal.is_working_day(d(2019, 9, 3)).unwrap());
}

#[test]
fn year_2023() {
    check(&[
        // Tết Dương lịch on Sunday: Monday 2/1 nghỉ bù.
        (d(2022, 12, 30), 1, d(2023, 1, 3)),
        // Tết: Fri 20/1 – Thu 26/1.
        (d(2023, 1, 19), 1, d(2023, 1, 27)),
        // Giỗ Tổ Sat 29/4, 30/4 Sun, 1/5 Mon; nghỉ bù Tue 2/5 and Wed 3/5.
        (d(2023, 4, 28), 1, d(2023, 5, 4)),
        // 2/9 on Saturday with 1/9; Monday 4/9 nghỉ bù.
        (d(2023, 8, 31), 1, d(2023, 9, 5)),
    ]);
}

#[test]
fn year_2024() {
    check(&[
        (d(2023, 12, 29), 1, d(2024, 1, 2)),
        // Tết: Thu 8/2 – Wed 14/2.
        (d(2024, 2, 7), 1, d(2024, 2, 15)),
        (d(2024, 2, 15), -1, d(2024, 2, 7)),
        // Giỗ Tổ Thu 18/4.
        (d(2024, 4, 17), 1, d(2024, 4, 19)),
        // 30/4–1/5: Mon 29/4 swapped for Sat 4/5 (CV 2450/VPCP-KGVX).
        (d(2024, 4, 26), 1, d(2024, 5, 2)),
        (d(2024, 5, 3), 1, d(2024, 5, 4)),
        // 2/9 Mon + 3/9 Tue.
        (d(2024, 8, 30), 1, d(2024, 9, 4)),
    ]);
    // February 2024: 21 weekdays, 5 of them Tết; 1 February itself is not counted.
    assert_eq!(
        cal()
            .working_days_between(d(2024, 2, 1), d(2024, 2, 29))
            .unwrap(),
        15
    );
}

#[test]
fn year_2025() {
    check(&[
        (d(2024, 12, 31), 1, d(2025, 1, 2)),
        // Tết: Sat 25/1 – Sun 2/2.
        (d(2025, 1, 24), 1, d(2025, 2, 3)),
        // Giỗ Tổ Monday 7/4.
        (d(2025, 4, 4), 1, d(2025, 4, 8)),
        // 30/4–1/5: Fri 2/5 swapped for Sat 26/4.
        (d(2025, 4, 25), 1, d(2025, 4, 26)),
        (d(2025, 4, 26), 1, d(2025, 4, 28)),
        (d(2025, 4, 29), 1, d(2025, 5, 5)),
        // 2/9 Tue + 1/9 Mon.
        (d(2025, 8, 29), 1, d(2025, 9, 3)),
    ]);
}

#[test]
fn year_2026() {
    check(&[
        // Tết Dương lịch: Fri 2/1 swapped for Sat 10/1.
        (d(2025, 12, 31), 1, d(2026, 1, 5)),
        (d(2026, 1, 9), 1, d(2026, 1, 10)),
        // Tết: Sat 14/2 – Sun 22/2.
        (d(2026, 2, 13), 1, d(2026, 2, 23)),
        // Giỗ Tổ Sunday 26/4: Monday 27/4 nghỉ bù.
        (d(2026, 4, 24), 1, d(2026, 4, 28)),
        // 30/4 Thu, 1/5 Fri: no swap.
        (d(2026, 4, 29), 1, d(2026, 5, 4)),
        // 2/9: Mon 31/8 swapped for Sat 22/8; 1/9 and 2/9 holidays.
        (d(2026, 8, 21), 1, d(2026, 8, 22)),
        (d(2026, 8, 28), 1, d(2026, 9, 3)),
    ]);
}

#[test]
fn computed_years_follow_the_rules() {
    check(&[
        // 2027: 1/5 Saturday, Monday 3/5 nghỉ bù; 2/9 Thu + 3/9 Fri.
        (d(2027, 4, 29), 1, d(2027, 5, 4)),
        (d(2027, 9, 1), 1, d(2027, 9, 6)),
        // 2027 Tết (Saturday 6/2): Thu 4/2 – Wed 10/2.
        (d(2027, 2, 3), 1, d(2027, 2, 11)),
        // 2028: 1/1 Saturday, Monday 3/1 nghỉ bù.
        (d(2027, 12, 31), 1, d(2028, 1, 4)),
        // 2029: 2/9 Sunday: 3/9 adjacent day, 4/9 nghỉ bù.
        (d(2029, 8, 31), 1, d(2029, 9, 5)),
    ]);
}

#[test]
fn two_days_for_national_day_from_2021() {
    let cal = cal();
    for year in 2014..=2100 {
        let national: Vec<NaiveDate> = cal
            .holidays(year)
            .unwrap()
            .iter()
            .filter(|h| h.role == ansinh_calendar::Role::Holiday)
            .filter(|h| h.holidays.iter().any(|k| k == "quoc-khanh"))
            .map(|h| h.date)
            .collect();
        let sep2 = d(year, 9, 2);
        assert!(national.contains(&sep2), "{year}: {national:?}");
        if year >= 2021 {
            assert_eq!(national.len(), 2, "{year}: {national:?}");
            let other = national.iter().find(|&&x| x != sep2).unwrap();
            assert!(*other == d(year, 9, 1) || *other == d(year, 9, 3), "{year}");
            // The Government's pick (and the computed default) is a weekday.
            assert!(!matches!(other.weekday(), Weekday::Sat | Weekday::Sun));
        } else {
            assert_eq!(national, vec![sep2], "{year}");
        }
    }
}

#[test]
fn every_weekend_holiday_gets_a_working_day_off_in_computed_years() {
    // In 2027–2100 each statutory day on a weekend is compensated: the count of weekdays off
    // equals the number of statutory days (5 Tết + 1 + 1 + 1 + 1 + 2 = 11).
    let cal = cal();
    for year in 2027..=2100 {
        let weekdays_off = cal
            .holidays(year)
            .unwrap()
            .iter()
            .filter(|h| h.is_day_off() && h.date.year() == year)
            .filter(|h| !matches!(h.date.weekday(), Weekday::Sat | Weekday::Sun))
            .count();
        assert_eq!(weekdays_off, 11, "{year}");
    }
}

#[test]
fn out_of_range() {
    let cal = cal();
    assert_eq!(cal.years(), 2014..=2100);
    assert!(matches!(
        cal.is_working_day(d(2013, 12, 31)),
        Err(CalendarError::DateOutOfRange { .. })
    ));
    assert!(matches!(
        cal.add_working_days(d(2100, 12, 29), 10),
        Err(CalendarError::ResultOutOfRange { .. })
    ));
    assert!(matches!(
        cal.add_working_days(d(2014, 1, 3), -10),
        Err(CalendarError::ResultOutOfRange { .. })
    ));
    assert!(matches!(
        cal.holidays(2101),
        Err(CalendarError::YearOutOfRange { .. })
    ));
}

#[test]
fn a_hundred_thousand_deadlines() {
    // The shape of the indicator job: one due date and one duration per dossier.
    let cal = cal();
    let first = d(2017, 1, 1);
    let mut late = 0;
    for i in 0..100_000u64 {
        let received = first.checked_add_days(Days::new(i % 3_650)).unwrap();
        let due = cal.add_working_days(received, 20).unwrap();
        let decided = received.checked_add_days(Days::new(i % 40)).unwrap();
        let on_time = cal.within_working_days(received, decided, 20).unwrap();
        assert_eq!(on_time, decided <= due);
        let took = cal.working_days_between(received, decided).unwrap();
        if on_time {
            assert!(took <= 20);
        } else {
            late += 1;
            // Late by at least one day; a weekend right after the due date adds no working day.
            assert!(took >= 20);
        }
    }
    assert!(late > 0);
}

#[test]
fn within_on_the_weekend_after_the_due_date() {
    let cal = cal();
    // Received Monday 3/3/2025; 4 working days → due Friday 7/3.
    let received = d(2025, 3, 3);
    assert_eq!(cal.add_working_days(received, 4).unwrap(), d(2025, 3, 7));
    assert!(cal.within_working_days(received, d(2025, 3, 7), 4).unwrap());
    assert!(!cal.within_working_days(received, d(2025, 3, 8), 4).unwrap());
    assert_eq!(
        cal.working_days_between(received, d(2025, 3, 8)).unwrap(),
        4
    );
    assert!(cal.within_working_days(received, d(2025, 3, 1), 4).unwrap());
}

/// Dates from mid-2015 to 2098, far enough from the calendar's ends (2014-01-01 and
/// 2100-12-31) for ±300 working days, which is about fourteen months either way.
fn any_date() -> impl Strategy<Value = NaiveDate> {
    let first = d(2015, 6, 1);
    (0..30_400u64).prop_map(move |n| first.checked_add_days(Days::new(n)).unwrap())
}

proptest! {
    #[test]
    fn add_and_between_agree(start in any_date(), n in -300i64..300) {
        let cal = cal();
        let end = cal.add_working_days(start, n).unwrap();
        // Counting back, `end` itself is included and `start` excluded, so the count of
        // (end, start] is |n| - 1 + [start is a working day].
        let expected = if n >= 0 {
            n
        } else {
            n + 1 - i64::from(cal.is_working_day(start).unwrap())
        };
        prop_assert_eq!(cal.working_days_between(start, end).unwrap(), expected);
        if n != 0 {
            prop_assert!(cal.is_working_day(end).unwrap());
        }
    }

    #[test]
    fn add_working_days_is_the_first_day_reaching_n(start in any_date(), n in 1i64..60) {
        let cal = cal();
        let end = cal.add_working_days(start, n).unwrap();
        prop_assert!(end > start);
        prop_assert_eq!(cal.working_days_between(start, end).unwrap(), n);
        let before = end.pred_opt().unwrap();
        prop_assert_eq!(cal.working_days_between(start, before).unwrap(), n - 1);
        // Walking day by day gives the same answer.
        let mut count = 0;
        let mut day = start;
        while count < n {
            day = day.succ_opt().unwrap();
            if cal.is_working_day(day).unwrap() {
                count += 1;
            }
        }
        prop_assert_eq!(day, end);
    }

    #[test]
    fn backwards_mirrors_forwards(start in any_date(), n in 1i64..60) {
        let cal = cal();
        let back = cal.add_working_days(start, -n).unwrap();
        prop_assert!(back < start);
        prop_assert!(cal.is_working_day(back).unwrap());
        // Working days in [back, start) = n.
        let counted = cal.working_days_between(back, start).unwrap()
            + i64::from(cal.is_working_day(back).unwrap())
            - i64::from(cal.is_working_day(start).unwrap());
        prop_assert_eq!(counted, n);
    }
}
