//! Working-day calendar of ansinh. Pure: no I/O, no clock, no async.
//!
//! Statutory deadlines are in working days (ngày làm việc): Monday to Friday, minus public
//! holidays (ngày nghỉ lễ, tết), bridge days and nghỉ bù, plus make-up working Saturdays (SPEC
//! A2). This crate provides:
//! - [`lunar`] — the Vietnamese lunar calendar (âm lịch) computed for UTC+7, 1901–2199: Tết,
//!   Giỗ Tổ Hùng Vương (10/3 âm lịch), leap months;
//! - [`HolidayRules`] — the holiday rules as data (`data/calendar/holidays.toml`): statutory
//!   holidays by effective period, the Government's announced schedules per year;
//! - [`Calendar`] — every day precomputed: [`Calendar::is_working_day`],
//!   [`Calendar::add_working_days`], [`Calendar::working_days_between`],
//!   [`Calendar::holidays`].
//!
//! ```
//! use chrono::NaiveDate;
//! let cal = ansinh_calendar::builtin()?;
//! let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
//! // Friday 26 April 2024 + 1 working day: 29/4 was swapped for Saturday 4 May, 30/4 and 1/5
//! // are holidays, so the next working day is Thursday 2 May.
//! assert_eq!(cal.add_working_days(d(2024, 4, 26), 1)?, d(2024, 5, 2));
//! # Ok::<(), ansinh_calendar::CalendarError>(())
//! ```

mod astro;
mod calendar;
pub mod lunar;
mod rules;
mod schedule;

pub use calendar::{Calendar, CalendarError, FIRST_YEAR, LAST_YEAR, YearStatus};
pub use lunar::{LunarDate, LunarError};
pub use rules::{
    Anchor, Announcement, BUILTIN_HOLIDAYS_TOML, Confidence, DataError, DataIssue, FORMAT_VERSION,
    HolidayRule, HolidayRules, MakeUpDay, Period, Side, WeekendRule,
};
pub use schedule::{DayKind, Holiday, Role, Source};

use std::sync::OnceLock;

/// The calendar of the built-in holiday table, built once per process and shared.
pub fn builtin() -> Result<&'static Calendar, CalendarError> {
    static BUILTIN: OnceLock<Result<Calendar, CalendarError>> = OnceLock::new();
    BUILTIN
        .get_or_init(Calendar::builtin)
        .as_ref()
        .map_err(Clone::clone)
}
