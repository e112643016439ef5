//! Loading an administrator's edited holiday file, and the errors of a broken one: every
//! problem listed at once, each with its line.

use crate::d;
use ansinh_calendar::{
    BUILTIN_HOLIDAYS_TOML, Calendar, CalendarError, DataError, HolidayRules, Source, YearStatus,
};

/// A small valid file: one open-ended period with two holidays.
const MINIMAL: &str = r#"
format = 1
rest_days = ["sat", "sun"]
rest_days_source = "test"

[[period]]
id = "p"
name = "Test period"
citation = "Test citation"
from = 2020-01-01
confidence = "HIGH"
weekend_rule = "next_working_day"

[[period.holiday]]
key = "new-year"
name_vi = "Tết Dương lịch"
name_en = "New Year's Day"
solar = "01-01"

[[period.holiday]]
key = "tet"
name_vi = "Tết Nguyên đán"
name_en = "Lunar New Year"
lunar = "01-01"
first_day_offset = -1
days = 5
weekend_rule = "saturday_before_sunday_after"
"#;

/// 1-based line of the first line of `text` containing `needle`.
fn line(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

fn issues(text: &str) -> DataError {
    match HolidayRules::parse(text) {
        Err(e) => e,
        Ok(_) => panic!("expected the file to be refused"),
    }
}

#[test]
fn minimal_file_loads() {
    let cal = Calendar::from_toml(MINIMAL).unwrap();
    assert_eq!(cal.years(), 2020..=2100);
    // 2022: 1/1 Saturday → Monday 3/1 nghỉ bù; Tết Tuesday 1/2 → Mon 31/1 – Fri 4/2.
    assert!(!cal.is_working_day(d(2022, 1, 3)).unwrap());
    assert_eq!(
        cal.add_working_days(d(2022, 1, 28), 1).unwrap(),
        d(2022, 2, 7)
    );
    // Holidays missing from this file are working days.
    assert!(cal.is_working_day(d(2022, 4, 11)).unwrap());
}

#[test]
fn an_edited_builtin_file_with_a_new_announcement() {
    // An administrator adds the 2027 National Day break with a bridge day and a make-up
    // Saturday (an example edit, not an official schedule).
    let edited = format!(
        "{BUILTIN_HOLIDAYS_TOML}\n\
         [[announced]]\n\
         year = 2027\n\
         holidays = [\"quoc-khanh\"]\n\
         from = 2027-09-02\n\
         to = 2027-09-06\n\
         make_up = [{{ date = 2027-08-28, for = 2027-09-06 }}]\n\
         source = \"test edit\"\n\
         confidence = \"UNVERIFIED\"\n"
    );
    let cal = Calendar::from_toml(&edited).unwrap();
    assert_eq!(cal.year_status(2027).unwrap(), YearStatus::PartlyAnnounced);
    assert!(!cal.is_working_day(d(2027, 9, 6)).unwrap());
    assert!(cal.is_working_day(d(2027, 8, 28)).unwrap());
    assert_eq!(
        cal.add_working_days(d(2027, 9, 1), 1).unwrap(),
        d(2027, 9, 7)
    );
    let tet = cal
        .holidays(2027)
        .unwrap()
        .iter()
        .find(|h| h.date == d(2027, 2, 8))
        .unwrap();
    assert_eq!(tet.source, Source::Computed);
}

#[test]
fn syntax_error_names_the_line() {
    let text = MINIMAL.replace("from = 2020-01-01", "from = 2020-01-01 garbage");
    let e = issues(&text);
    assert_eq!(e.issues.len(), 1);
    assert_eq!(e.issues[0].line, Some(line(&text, "garbage")));
}

#[test]
fn unknown_field_is_refused() {
    let text = MINIMAL.replace("days = 5", "days = 5\nlenght = 3");
    let e = issues(&text);
    assert_eq!(e.issues.len(), 1);
    assert!(
        e.issues[0].message.contains("unknown field `lenght`"),
        "{e}"
    );
    assert_eq!(e.issues[0].line, Some(line(&text, "lenght")));
}

#[test]
fn wrong_types_and_values() {
    let text = MINIMAL.replace("from = 2020-01-01", "from = \"2020-01-01\"");
    let e = issues(&text);
    let at = format!("line {}", line(&text, "from = "));
    assert!(e.to_string().contains(&at), "{e}");
    let e = issues(&MINIMAL.replace("\"next_working_day\"", "\"monday_after\""));
    assert!(e.to_string().contains("monday_after"), "{e}");
    let e = issues(&MINIMAL.replace("confidence = \"HIGH\"", "confidence = \"SURE\""));
    assert!(e.to_string().contains("SURE"), "{e}");
}

#[test]
fn every_semantic_problem_is_listed_with_its_line() {
    let text = MINIMAL
        .replace("format = 1", "format = 2")
        .replace("[\"sat\", \"sun\"]", "[\"sat\", \"sunday\"]")
        .replace("solar = \"01-01\"", "solar = \"02-30\"")
        .replace("lunar = \"01-01\"", "lunar = \"13-01\"")
        + r#"
[[period.holiday]]
key = "tet"
name_vi = "Trùng"
name_en = "Duplicate"
solar = "05-01"
lunar = "03-10"

[[announced]]
year = 2024
holidays = ["no-such-holiday"]
from = 2024-05-01
to = 2024-04-30
make_up = [{ date = 2024-05-06, for = 2024-05-04 }]
source = "test"
confidence = "LOW"
"#;
    let e = issues(&text);
    let shown = e.to_string();
    let expected = [
        ("format = 2", "format 2 is not supported"),
        ("rest_days = ", "rest_days: unknown weekday \"sunday\""),
        (
            "solar = \"02-30\"",
            "solar must be \"MM-DD\" (a date that exists every year), got \"02-30\"",
        ),
        (
            "lunar = \"13-01\"",
            "lunar must be \"MM-DD\" (month 01–12, day 01–29), got \"13-01\"",
        ),
        ("name_vi = \"Trùng\"", "holiday key \"tet\" appears twice"),
        ("name_vi = \"Trùng\"", "give exactly one of solar"),
        (
            "holidays = [\"no-such-holiday\"]",
            "unknown holiday \"no-such-holiday\"",
        ),
        (
            "to = 2024-04-30",
            "to (2024-04-30) is before from (2024-05-01)",
        ),
        (
            "make_up = ",
            "make-up day 2024-05-06 is a Mon, not a weekly rest day",
        ),
        (
            "make_up = ",
            "is for 2024-05-04, a Sat that is not a working day anyway",
        ),
        (
            "make_up = ",
            "is for 2024-05-04, which is outside the break",
        ),
    ];
    for (needle, message) in expected {
        // A table's problems are reported at the line of its header or of the value.
        let at = line(&text, needle);
        assert!(
            e.issues
                .iter()
                .any(|i| i.line.is_some_and(|l| l <= at && at - l <= 6)
                    && i.message.contains(message)),
            "missing near line {at}: {message}\n{shown}"
        );
    }
    assert_eq!(e.issues.len(), expected.len(), "{shown}");
    assert!(shown.starts_with(&format!(
        "holiday file has {} problems:\n  - line ",
        e.issues.len()
    )));
}

#[test]
fn periods_must_follow_each_other() {
    let second = r#"
[[period]]
id = "q"
name = "Second"
citation = "c"
from = 2030-01-01
confidence = "HIGH"
weekend_rule = "next_working_day"

[[period.holiday]]
key = "new-year"
name_vi = "Tết Dương lịch"
name_en = "New Year's Day"
solar = "01-01"
"#;
    let e = issues(&format!("{MINIMAL}{second}"));
    assert!(
        e.to_string()
            .contains("starts after the open-ended period \"p\""),
        "{e}"
    );

    let closed = MINIMAL.replace("from = 2020-01-01", "from = 2020-01-01\nto = 2029-12-30");
    let e = issues(&format!("{closed}{second}"));
    assert!(
        e.to_string()
            .contains("must start the day after period \"p\" ends (2029-12-31), got 2030-01-01"),
        "{e}"
    );

    let adjoining = MINIMAL.replace("from = 2020-01-01", "from = 2020-01-01\nto = 2029-12-31");
    let cal = Calendar::from_toml(&format!("{adjoining}{second}")).unwrap();
    assert_eq!(cal.years(), 2020..=2100);
    // The second period has no Tết: 2030 Tết days are working days.
    assert!(cal.is_working_day(d(2030, 2, 4)).unwrap());
    assert!(!cal.is_working_day(d(2029, 2, 12)).unwrap());
}

#[test]
fn overlapping_and_duplicate_announcements() {
    let text = format!(
        "{MINIMAL}{}",
        r#"
[[announced]]
year = 2024
holidays = ["tet"]
from = 2024-02-08
to = 2024-02-14
source = "a"
confidence = "MED"

[[announced]]
year = 2024
holidays = ["tet"]
from = 2024-02-14
to = 2024-02-18
make_up = [{ date = 2024-02-10, for = 2024-02-16 }]
source = "b"
confidence = "MED"
"#
    );
    let e = issues(&text);
    let shown = e.to_string();
    let first = line(&text, "[[announced]]");
    assert!(
        shown.contains(&format!(
            "the same holiday is already announced for that year (line {first})"
        )),
        "{shown}"
    );
    assert!(
        shown.contains(&format!(
            "overlaps the break 2024-02-08 – 2024-02-14 (line {first})"
        )),
        "{shown}"
    );
    assert!(
        shown.contains("make-up day 2024-02-10 falls inside the break 2024-02-08 – 2024-02-14"),
        "{shown}"
    );
}

#[test]
fn a_make_up_day_on_a_holiday_is_a_conflict() {
    // 1/1/2028 is a Saturday and a holiday; declaring it a make-up day cannot be built.
    let text = format!(
        "{MINIMAL}{}",
        r#"
[[announced]]
year = 2028
holidays = ["tet"]
from = 2028-01-22
to = 2028-01-30
make_up = [{ date = 2028-01-01, for = 2028-01-24 }]
source = "test"
confidence = "LOW"
"#
    );
    let e = Calendar::from_toml(&text).unwrap_err();
    assert!(
        matches!(e, CalendarError::Conflict { date, .. } if date == d(2028, 1, 1)),
        "{e}"
    );
}

#[test]
fn no_period_no_calendar() {
    let text = "format = 1\nrest_days = [\"sat\", \"sun\"]\nrest_days_source = \"x\"\n";
    let e = issues(text);
    assert!(e.to_string().contains("the file has no [[period]]"), "{e}");
}
