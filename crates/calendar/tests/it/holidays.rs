//! The yearly holiday lists: announced years exactly as SPEC B 15.6, computed years flagged,
//! and the computed defaults checked against every announcement.

use crate::{cal, d};
use ansinh_calendar::{Calendar, Confidence, DayKind, HolidayRules, Role, Source, YearStatus};
use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::BTreeSet;

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The CLI form: one line per day, `YYYY-MM-DD<TAB>name`.
fn lines(year: i32) -> Vec<String> {
    cal()
        .holidays(year)
        .unwrap()
        .iter()
        .map(|h| format!("{}\t{}", h.date, h.name_vi))
        .collect()
}

#[test]
fn list_of_2024_as_the_cli_prints_it() {
    let expected = [
        "2024-01-01\tTết Dương lịch",
        "2024-02-08\tTết Nguyên đán",
        "2024-02-09\tTết Nguyên đán",
        "2024-02-10\tTết Nguyên đán",
        "2024-02-11\tTết Nguyên đán",
        "2024-02-12\tTết Nguyên đán",
        "2024-02-13\tTết Nguyên đán",
        "2024-02-14\tTết Nguyên đán",
        "2024-04-18\tGiỗ Tổ Hùng Vương",
        "2024-04-27\tNgày Chiến thắng và Ngày Quốc tế Lao động",
        "2024-04-28\tNgày Chiến thắng và Ngày Quốc tế Lao động",
        "2024-04-29\tNghỉ hoán đổi (Ngày Chiến thắng và Ngày Quốc tế Lao động), làm bù ngày 04/05/2024",
        "2024-04-30\tNgày Chiến thắng",
        "2024-05-01\tNgày Quốc tế Lao động",
        "2024-05-04\tNgày làm bù (cho ngày 29/04/2024)",
        "2024-08-31\tQuốc khánh",
        "2024-09-01\tQuốc khánh",
        "2024-09-02\tQuốc khánh",
        "2024-09-03\tQuốc khánh",
    ];
    assert_eq!(lines(2024), expected);
}

#[test]
fn computed_year_2027_is_flagged() {
    let cal = cal();
    assert_eq!(cal.year_status(2027).unwrap(), YearStatus::Computed);
    let list = cal.holidays(2027).unwrap();
    assert!(list.iter().all(|h| h.source == Source::Computed));
    assert!(
        list.iter()
            .all(|h| h.basis.contains("computed, not announced"))
    );
    let expected = [
        "2027-01-01\tTết Dương lịch",
        "2027-02-04\tTết Nguyên đán",
        "2027-02-05\tTết Nguyên đán",
        "2027-02-06\tTết Nguyên đán",
        "2027-02-07\tTết Nguyên đán",
        "2027-02-08\tTết Nguyên đán",
        "2027-02-09\tTết Nguyên đán",
        "2027-02-10\tTết Nguyên đán",
        "2027-04-16\tGiỗ Tổ Hùng Vương",
        "2027-04-30\tNgày Chiến thắng",
        "2027-05-01\tNgày Quốc tế Lao động",
        "2027-05-03\tNghỉ bù Ngày Quốc tế Lao động",
        "2027-09-02\tQuốc khánh",
        "2027-09-03\tQuốc khánh",
    ];
    assert_eq!(lines(2027), expected);
    // Tết placement and the 2/9 adjacent day are derived defaults: MED, not HIGH.
    let tet = list.iter().find(|h| h.date == d(2027, 2, 4)).unwrap();
    assert_eq!(tet.confidence, Confidence::Medium);
    let labour = list.iter().find(|h| h.date == d(2027, 5, 3)).unwrap();
    assert_eq!(labour.role, Role::Substitute);
    assert_eq!(labour.related_date, Some(d(2027, 5, 1)));
    assert_eq!(labour.confidence, Confidence::High);
}

#[test]
fn announced_years_2017_to_2026() {
    let cal = cal();
    for year in 2017..=2026 {
        assert_eq!(
            cal.year_status(year).unwrap(),
            YearStatus::Announced,
            "{year}"
        );
    }
    for year in [2014, 2015, 2016, 2027, 2100] {
        assert_eq!(
            cal.year_status(year).unwrap(),
            YearStatus::Computed,
            "{year}"
        );
    }
}

/// Every make-up working day of SPEC B 15.6, with the weekday it pays for.
#[test]
fn make_up_days_of_spec_b_15_6() {
    let cal = cal();
    let mut found = Vec::new();
    for year in 2014..=2030 {
        for h in cal.holidays(year).unwrap() {
            if h.kind == DayKind::MakeUpWorkingDay {
                assert_eq!(h.date.weekday(), Weekday::Sat);
                assert!(cal.is_working_day(h.date).unwrap());
                let swapped = h.related_date.unwrap();
                assert!(!cal.is_working_day(swapped).unwrap());
                found.push((h.date, swapped));
            }
        }
    }
    assert_eq!(
        found,
        vec![
            (d(2019, 1, 5), d(2018, 12, 31)),
            (d(2019, 5, 4), d(2019, 4, 29)),
            (d(2024, 5, 4), d(2024, 4, 29)),
            (d(2025, 4, 26), d(2025, 5, 2)),
            (d(2026, 1, 10), d(2026, 1, 2)),
            (d(2026, 8, 22), d(2026, 8, 31)),
        ]
    );
}

/// The weekdays off of each announced break, as SPEC B 15.6 lists the breaks.
#[test]
fn weekdays_off_2017_to_2026() {
    let cal = cal();
    let weekdays_off = |year: i32| -> Vec<NaiveDate> {
        cal.holidays(year)
            .unwrap()
            .iter()
            .filter(|h| h.is_day_off() && !is_weekend(h.date))
            .map(|h| h.date)
            .collect()
    };
    let expected: [(i32, Vec<NaiveDate>); 10] = [
        (
            2017,
            vec![
                d(2017, 1, 2),
                d(2017, 1, 26),
                d(2017, 1, 27),
                d(2017, 1, 30),
                d(2017, 1, 31),
                d(2017, 2, 1),
                d(2017, 4, 6),
                d(2017, 5, 1),
                d(2017, 5, 2),
                d(2017, 9, 4),
            ],
        ),
        (
            2018,
            vec![
                d(2018, 1, 1),
                d(2018, 2, 14),
                d(2018, 2, 15),
                d(2018, 2, 16),
                d(2018, 2, 19),
                d(2018, 2, 20),
                d(2018, 4, 25),
                d(2018, 4, 30),
                d(2018, 5, 1),
                d(2018, 9, 3),
                d(2018, 12, 31),
            ],
        ),
        (
            2019,
            vec![
                d(2019, 1, 1),
                d(2019, 2, 4),
                d(2019, 2, 5),
                d(2019, 2, 6),
                d(2019, 2, 7),
                d(2019, 2, 8),
                d(2019, 4, 15),
                d(2019, 4, 29),
                d(2019, 4, 30),
                d(2019, 5, 1),
                d(2019, 9, 2),
            ],
        ),
        (
            2020,
            vec![
                d(2020, 1, 1),
                d(2020, 1, 23),
                d(2020, 1, 24),
                d(2020, 1, 27),
                d(2020, 1, 28),
                d(2020, 1, 29),
                d(2020, 4, 2),
                d(2020, 4, 30),
                d(2020, 5, 1),
                d(2020, 9, 2),
            ],
        ),
        (
            2021,
            vec![
                d(2021, 1, 1),
                d(2021, 2, 10),
                d(2021, 2, 11),
                d(2021, 2, 12),
                d(2021, 2, 15),
                d(2021, 2, 16),
                d(2021, 4, 21),
                d(2021, 4, 30),
                d(2021, 5, 3),
                d(2021, 9, 2),
                d(2021, 9, 3),
            ],
        ),
        (
            2022,
            vec![
                d(2022, 1, 3),
                d(2022, 1, 31),
                d(2022, 2, 1),
                d(2022, 2, 2),
                d(2022, 2, 3),
                d(2022, 2, 4),
                d(2022, 4, 11),
                d(2022, 5, 2),
                d(2022, 5, 3),
                d(2022, 9, 1),
                d(2022, 9, 2),
            ],
        ),
        (
            2023,
            vec![
                d(2023, 1, 2),
                d(2023, 1, 20),
                d(2023, 1, 23),
                d(2023, 1, 24),
                d(2023, 1, 25),
                d(2023, 1, 26),
                d(2023, 5, 1),
                d(2023, 5, 2),
                d(2023, 5, 3),
                d(2023, 9, 1),
                d(2023, 9, 4),
            ],
        ),
        (
            2024,
            vec![
                d(2024, 1, 1),
                d(2024, 2, 8),
                d(2024, 2, 9),
                d(2024, 2, 12),
                d(2024, 2, 13),
                d(2024, 2, 14),
                d(2024, 4, 18),
                d(2024, 4, 29),
                d(2024, 4, 30),
                d(2024, 5, 1),
                d(2024, 9, 2),
                d(2024, 9, 3),
            ],
        ),
        (
            2025,
            vec![
                d(2025, 1, 1),
                d(2025, 1, 27),
                d(2025, 1, 28),
                d(2025, 1, 29),
                d(2025, 1, 30),
                d(2025, 1, 31),
                d(2025, 4, 7),
                d(2025, 4, 30),
                d(2025, 5, 1),
                d(2025, 5, 2),
                d(2025, 9, 1),
                d(2025, 9, 2),
            ],
        ),
        (
            2026,
            vec![
                d(2026, 1, 1),
                d(2026, 1, 2),
                d(2026, 2, 16),
                d(2026, 2, 17),
                d(2026, 2, 18),
                d(2026, 2, 19),
                d(2026, 2, 20),
                d(2026, 4, 27),
                d(2026, 4, 30),
                d(2026, 5, 1),
                d(2026, 8, 31),
                d(2026, 9, 1),
                d(2026, 9, 2),
            ],
        ),
    ];
    for (year, days) in expected {
        assert_eq!(weekdays_off(year), days, "{year}");
    }
}

/// The computed defaults reproduce every announced break of 2017–2026: on weekdays, an
/// announcement differs from the default only by its swapped (bridge) days.
#[test]
fn computed_defaults_agree_with_every_announcement() {
    let rules = HolidayRules::builtin().unwrap();
    let computed = Calendar::new(rules.without_announcements()).unwrap();
    let mut differences = Vec::new();
    for a in rules.announcements() {
        let swapped: BTreeSet<NaiveDate> = a.make_up().iter().map(|m| m.replaces).collect();
        for date in a.from().iter_days().take_while(|&x| x <= a.to()) {
            if is_weekend(date) {
                continue;
            }
            let default_off = !computed.is_working_day(date).unwrap();
            if default_off == swapped.contains(&date) {
                differences.push(format!("{date}: default off = {default_off}"));
            }
        }
        // No computed day off of these holidays lies outside the announced break.
        for h in computed.holidays(a.year()).unwrap() {
            let mine = h.holidays.iter().any(|k| a.holidays().contains(k));
            if mine && h.holiday_year == a.year() && !is_weekend(h.date) {
                assert!(
                    (a.from()..=a.to()).contains(&h.date),
                    "{}: computed {} outside {} – {}",
                    h.name_vi,
                    h.date,
                    a.from(),
                    a.to()
                );
            }
        }
        for m in a.make_up() {
            assert!(computed.is_working_day(m.replaces).unwrap());
            assert!(!computed.is_working_day(m.date).unwrap());
        }
    }
    assert!(differences.is_empty(), "{differences:#?}");
}

#[test]
fn announced_days_carry_their_source_and_confidence() {
    let cal = cal();
    let day = cal
        .holidays(2024)
        .unwrap()
        .iter()
        .find(|h| h.date == d(2024, 4, 29))
        .unwrap();
    assert_eq!(day.source, Source::Announced);
    assert_eq!(day.role, Role::Swapped);
    assert_eq!(day.related_date, Some(d(2024, 5, 4)));
    assert!(day.basis.contains("CV 2450/VPCP-KGVX"));
    assert_eq!(day.confidence, Confidence::Medium);
    let tdl_2022 = &cal.holidays(2022).unwrap()[0];
    assert_eq!(tdl_2022.confidence, Confidence::Low);
    let tdl_2025 = &cal.holidays(2025).unwrap()[0];
    assert_eq!(tdl_2025.confidence, Confidence::LowMedium);
}

#[test]
fn december_days_of_the_next_new_year_break_are_listed_in_their_own_year() {
    let list = lines(2018);
    assert!(list.contains(&"2018-12-29\tTết Dương lịch".to_owned()));
    assert!(list.contains(
        &"2018-12-31\tNghỉ hoán đổi (Tết Dương lịch), làm bù ngày 05/01/2019".to_owned()
    ));
    let h = cal()
        .holidays(2018)
        .unwrap()
        .iter()
        .find(|h| h.date == d(2018, 12, 31))
        .unwrap();
    assert_eq!(h.holiday_year, 2019);
}

#[test]
fn json_shape_for_the_api() {
    let h = cal()
        .holidays(2024)
        .unwrap()
        .iter()
        .find(|h| h.date == d(2024, 5, 4))
        .unwrap();
    let json = serde_json::to_value(h).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "date": "2024-05-04",
            "name_vi": "Ngày làm bù (cho ngày 29/04/2024)",
            "name_en": "Make-up working day (for 2024-04-29)",
            "kind": "make_up_working_day",
            "role": "make_up",
            "source": "announced",
            "holidays": ["ngay-chien-thang", "quoc-te-lao-dong"],
            "holiday_year": 2024,
            "related_date": "2024-04-29",
            "basis": "CV 2450/VPCP-KGVX 12/4/2024 (baotintuc.vn/infographics/…20240412212054381.htm)",
            "confidence": "MED",
        })
    );
}

#[test]
fn exceptions_are_the_days_that_break_the_weekly_pattern() {
    let ex: Vec<(NaiveDate, DayKind)> = cal()
        .exceptions(2026)
        .unwrap()
        .iter()
        .map(|h| (h.date, h.kind))
        .collect();
    assert_eq!(ex.len(), 13 + 2);
    assert!(ex.contains(&(d(2026, 1, 10), DayKind::MakeUpWorkingDay)));
    assert!(ex.contains(&(d(2026, 8, 31), DayKind::DayOff)));
}
