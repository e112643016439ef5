//! The astronomy the lunar calendar needs: instants of new moons and the Sun's apparent
//! longitude, from the standard algorithms in Jean Meeus, *Astronomical Algorithms* (2nd ed.,
//! 1998): chapter 49 (phases of the Moon, with all periodic and planetary terms), chapter 25
//! (solar coordinates, low accuracy, about 0.01°), and the Espenak–Meeus polynomials for
//! ΔT = TT − UT (NASA, "Polynomial expressions for Delta T", 2006).
//!
//! Times are Julian Ephemeris Days (TT) or Julian Days (UT) as `f64`; civil days are Julian Day
//! Numbers (`i64`, the day that starts at local midnight).

use chrono::{Datelike, NaiveDate};

/// Julian Day Number of 0001-01-01 (proleptic Gregorian) minus one: `jdn = days_from_ce + this`.
const JDN_OFFSET: i64 = 1_721_425;

/// Mean synodic month in days.
pub(crate) const SYNODIC_MONTH: f64 = 29.530_588_861;

/// JDE of the mean new moon of lunation 0 (6 January 2000), Meeus (49.1).
const LUNATION_ZERO_JDE: f64 = 2_451_550.097_66;

/// Julian Day Number of a civil date.
pub(crate) fn jdn(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) + JDN_OFFSET
}

/// Civil date of a Julian Day Number; `None` outside chrono's range.
pub(crate) fn date_of_jdn(jdn: i64) -> Option<NaiveDate> {
    let days = i32::try_from(jdn - JDN_OFFSET).ok()?;
    NaiveDate::from_num_days_from_ce_opt(days)
}

fn sin_deg(x: f64) -> f64 {
    x.to_radians().sin()
}

/// ΔT = TT − UT in seconds for a decimal year (Espenak & Meeus 2006). Valid, as an estimate,
/// for 1900–2200; the error after today is a few seconds to a minute, far below what moves a
/// new moon across midnight except in a handful of cases in two centuries.
pub(crate) fn delta_t_seconds(year: f64) -> f64 {
    if year < 1920.0 {
        let t = year - 1900.0;
        -2.79 + 1.494_119 * t - 0.059_893_9 * t * t + 0.006_196_6 * t.powi(3)
            - 0.000_197 * t.powi(4)
    } else if year < 1941.0 {
        let t = year - 1920.0;
        21.20 + 0.844_93 * t - 0.076_100 * t * t + 0.002_093_6 * t.powi(3)
    } else if year < 1961.0 {
        let t = year - 1950.0;
        29.07 + 0.407 * t - t * t / 233.0 + t.powi(3) / 2547.0
    } else if year < 1986.0 {
        let t = year - 1975.0;
        45.45 + 1.067 * t - t * t / 260.0 - t.powi(3) / 718.0
    } else if year < 2005.0 {
        let t = year - 2000.0;
        63.86 + 0.3345 * t - 0.060_374 * t * t
            + 0.001_727_5 * t.powi(3)
            + 0.000_651_814 * t.powi(4)
            + 0.000_023_735_99 * t.powi(5)
    } else if year < 2050.0 {
        let t = year - 2000.0;
        62.92 + 0.322_17 * t + 0.005_589 * t * t
    } else if year < 2150.0 {
        let u = (year - 1820.0) / 100.0;
        -20.0 + 32.0 * u * u - 0.5628 * (2150.0 - year)
    } else {
        let u = (year - 1820.0) / 100.0;
        -20.0 + 32.0 * u * u
    }
}

/// Decimal year of a Julian Day (close enough for ΔT).
fn decimal_year(jd: f64) -> f64 {
    2000.0 + (jd - 2_451_545.0) / 365.25
}

fn tt_to_ut(jde: f64) -> f64 {
    jde - delta_t_seconds(decimal_year(jde)) / 86_400.0
}

fn ut_to_tt(jd: f64) -> f64 {
    jd + delta_t_seconds(decimal_year(jd)) / 86_400.0
}

/// Instant (JDE, TT) of the true new moon of lunation `k` (k = 0: January 2000), Meeus ch. 49.
pub(crate) fn new_moon_jde(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let t4 = t3 * t;
    let mean = LUNATION_ZERO_JDE + SYNODIC_MONTH * k + 0.000_154_37 * t2 - 0.000_000_150 * t3
        + 0.000_000_000_73 * t4;
    // Eccentricity of the Earth's orbit, Sun's and Moon's mean anomalies, Moon's argument of
    // latitude and longitude of the ascending node (degrees).
    let e = 1.0 - 0.002_516 * t - 0.000_007_4 * t2;
    let m = 2.5534 + 29.105_356_70 * k - 0.000_001_4 * t2 - 0.000_000_11 * t3;
    let mp =
        201.5643 + 385.816_935_28 * k + 0.010_758_2 * t2 + 0.000_012_38 * t3 - 0.000_000_058 * t4;
    let f =
        160.7108 + 390.670_502_84 * k - 0.001_611_8 * t2 - 0.000_002_27 * t3 + 0.000_000_011 * t4;
    let om = 124.7746 - 1.563_755_88 * k + 0.002_067_2 * t2 + 0.000_002_15 * t3;

    let periodic = -0.40720 * sin_deg(mp)
        + 0.17241 * e * sin_deg(m)
        + 0.01608 * sin_deg(2.0 * mp)
        + 0.01039 * sin_deg(2.0 * f)
        + 0.00739 * e * sin_deg(mp - m)
        - 0.00514 * e * sin_deg(mp + m)
        + 0.00208 * e * e * sin_deg(2.0 * m)
        - 0.00111 * sin_deg(mp - 2.0 * f)
        - 0.00057 * sin_deg(mp + 2.0 * f)
        + 0.00056 * e * sin_deg(2.0 * mp + m)
        - 0.00042 * sin_deg(3.0 * mp)
        + 0.00042 * e * sin_deg(m + 2.0 * f)
        + 0.00038 * e * sin_deg(m - 2.0 * f)
        - 0.00024 * e * sin_deg(2.0 * mp - m)
        - 0.00017 * sin_deg(om)
        - 0.00007 * sin_deg(mp + 2.0 * m)
        + 0.00004 * sin_deg(2.0 * mp - 2.0 * f)
        + 0.00004 * sin_deg(3.0 * m)
        + 0.00003 * sin_deg(mp + m - 2.0 * f)
        + 0.00003 * sin_deg(2.0 * mp + 2.0 * f)
        - 0.00003 * sin_deg(mp + m + 2.0 * f)
        + 0.00003 * sin_deg(mp - m + 2.0 * f)
        - 0.00002 * sin_deg(mp - m - 2.0 * f)
        - 0.00002 * sin_deg(3.0 * mp + m)
        + 0.00002 * sin_deg(4.0 * mp);

    // Planetary arguments (degrees) and their coefficients (days).
    const PLANETARY: [(f64, f64, f64, f64); 14] = [
        (299.77, 0.107_408, -0.009_173, 0.000_325),
        (251.88, 0.016_321, 0.0, 0.000_165),
        (251.83, 26.651_886, 0.0, 0.000_164),
        (349.42, 36.412_478, 0.0, 0.000_126),
        (84.66, 18.206_239, 0.0, 0.000_110),
        (141.74, 53.303_771, 0.0, 0.000_062),
        (207.14, 2.453_732, 0.0, 0.000_060),
        (154.84, 7.306_860, 0.0, 0.000_056),
        (34.52, 27.261_239, 0.0, 0.000_047),
        (207.19, 0.121_824, 0.0, 0.000_042),
        (291.34, 1.844_379, 0.0, 0.000_040),
        (161.72, 24.198_154, 0.0, 0.000_037),
        (239.56, 25.513_099, 0.0, 0.000_035),
        (331.55, 3.592_518, 0.0, 0.000_023),
    ];
    let planetary: f64 = PLANETARY
        .iter()
        .map(|&(a0, a1, a2, c)| c * sin_deg(a0 + a1 * k + a2 * t2))
        .sum();

    mean + periodic + planetary
}

/// Local civil day (Julian Day Number) on which new moon `k` falls, for a time zone `offset_hours`
/// east of Greenwich.
pub(crate) fn new_moon_day(k: i64, offset_hours: f64) -> i64 {
    let jd_ut = tt_to_ut(new_moon_jde(k));
    (jd_ut + 0.5 + offset_hours / 24.0).floor() as i64
}

/// Lunation number `k` of the last new moon whose instant is at or before `jd` (roughly: the
/// search is corrected by one either way, which always suffices since the true new moon is
/// within a day of the mean one).
pub(crate) fn lunation_at_or_before_day(day: i64, offset_hours: f64) -> i64 {
    let mut k = ((day as f64 - LUNATION_ZERO_JDE) / SYNODIC_MONTH).floor() as i64;
    while new_moon_day(k + 1, offset_hours) <= day {
        k += 1;
    }
    while new_moon_day(k, offset_hours) > day {
        k -= 1;
    }
    k
}

/// Apparent geocentric longitude of the Sun in degrees, [0, 360), at instant `jde` (TT),
/// Meeus ch. 25 (low accuracy: about 0.01°, i.e. a quarter of an hour of the Sun's motion).
pub(crate) fn sun_apparent_longitude(jde: f64) -> f64 {
    let t = (jde - 2_451_545.0) / 36_525.0;
    let l0 = 280.466_46 + 36_000.769_83 * t + 0.000_303_2 * t * t;
    let m = 357.529_11 + 35_999.050_29 * t - 0.000_153_7 * t * t;
    let c = (1.914_602 - 0.004_817 * t - 0.000_014 * t * t) * sin_deg(m)
        + (0.019_993 - 0.000_101 * t) * sin_deg(2.0 * m)
        + 0.000_289 * sin_deg(3.0 * m);
    let omega = 125.04 - 1_934.136 * t;
    let lambda = l0 + c - 0.005_69 - 0.004_78 * sin_deg(omega);
    lambda.rem_euclid(360.0)
}

/// Index (0..12) of the 30° sector of the Sun's apparent longitude at the local midnight that
/// starts civil day `day`. Sector 9 starts at the winter solstice (270°). The major solar terms
/// (trung khí) are the sector boundaries: a lunar month contains one exactly when the sector at
/// the start of its first day differs from the sector at the start of the next month's first day.
pub(crate) fn sun_sector_at_day_start(day: i64, offset_hours: f64) -> i64 {
    let jd_ut = day as f64 - 0.5 - offset_hours / 24.0;
    let lambda = sun_apparent_longitude(ut_to_tt(jd_ut));
    ((lambda / 30.0).floor() as i64).rem_euclid(12)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jdn_round_trip_and_known_value() {
        let d = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
        assert_eq!(jdn(d), 2_451_545);
        assert_eq!(date_of_jdn(2_451_545), Some(d));
    }

    #[test]
    fn meeus_example_49a_new_moon_1977() {
        // Meeus example 49.a: the new moon of February 1977, k = -283, JDE 2443192.65118.
        let jde = new_moon_jde(-283);
        assert!((jde - 2_443_192.651_18).abs() < 0.000_1, "{jde}");
    }

    #[test]
    fn meeus_example_25a_sun_1992() {
        // Meeus example 25.a: 1992 October 13.0 TD, apparent longitude 199.90895°.
        let lambda = sun_apparent_longitude(2_448_908.5);
        assert!((lambda - 199.908_95).abs() < 0.001, "{lambda}");
    }

    #[test]
    fn delta_t_is_plausible() {
        assert!((delta_t_seconds(2000.0) - 63.86).abs() < 0.01);
        let now = delta_t_seconds(2025.0);
        assert!((60.0..80.0).contains(&now), "{now}");
    }

    #[test]
    fn lunation_search_brackets_the_day() {
        for day in [2_451_545_i64, 2_460_000, 2_415_021, 2_488_070] {
            let k = lunation_at_or_before_day(day, 7.0);
            assert!(new_moon_day(k, 7.0) <= day);
            assert!(new_moon_day(k + 1, 7.0) > day);
        }
    }
}
