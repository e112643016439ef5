//! The rates behind the synthetic people, in one place so they can be read and tuned.
//!
//! They are plausible orders of magnitude for Trà Vinh and Vietnam, not official statistics:
//! the aim is data that looks and behaves like a real registry (enough poor households,
//! disabled and elderly people to exercise every rule), never a source of figures.

use ansinh_domain::birth::BirthDate;
use ansinh_domain::person::{DisabilityLevel, PaymentChannel, PovertyStatus};
use chrono::{Datelike, NaiveDate};

use crate::idnum::{AccountNumber, Phone};
use crate::names::Ethnicity;
use crate::rng::Rng;

/// Days since the common era: the generator does its date arithmetic in whole days.
pub(crate) fn days(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

pub(crate) fn from_days(n: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(n)
}

/// Whole years in days, for placing births (the leap-day error is irrelevant here).
pub(crate) const fn years(n: i32) -> i32 {
    n * 365 + n / 4
}

/// A birth date as the registry would hold it: people born before 1950 often know only the
/// year (35 %) or the year and month (15 %); some born in 1950–54 only the year.
pub(crate) fn registry_birth(rng: &mut Rng, born: NaiveDate) -> BirthDate {
    let y = born.year();
    let roll = rng.below(100);
    match y {
        ..1950 if roll < 35 => BirthDate::Year(y),
        ..1950 if roll < 50 => BirthDate::YearMonth {
            year: y,
            month: born.month(),
        },
        1950..1955 if roll < 8 => BirthDate::Year(y),
        1950..1955 if roll < 12 => BirthDate::YearMonth {
            year: y,
            month: born.month(),
        },
        _ => BirthDate::Full(born),
    }
}

/// Severe and especially severe disability together come to about 1–2 % of people, rising
/// steeply with age; mild disability (no allowance) is also recorded.
/// Per 10,000: (severe, especially severe, mild).
fn disability_rates(age: i32) -> (u64, u64, u64) {
    match age {
        ..6 => (30, 20, 50),
        6..16 => (60, 30, 100),
        16..60 => (70, 40, 150),
        60..80 => (200, 80, 300),
        _ => (450, 300, 500),
    }
}

pub(crate) fn disability(rng: &mut Rng, age: i32) -> DisabilityLevel {
    let (severe, especially, mild) = disability_rates(age);
    let r = rng.below(10_000);
    if r < especially {
        DisabilityLevel::EspeciallySevere
    } else if r < especially + severe {
        DisabilityLevel::Severe
    } else if r < especially + severe + mild {
        DisabilityLevel::Mild
    } else {
        DisabilityLevel::None
    }
}

/// The date of the disability certificate (giấy xác nhận khuyết tật): issued since the
/// 2013 procedure (TTLT 37/2012), from six months of age, never after `today`. `None` when
/// no such date exists (a newborn) or for the few people whose certificate date is unknown.
pub(crate) fn disability_cert_date(
    rng: &mut Rng,
    birth: BirthDate,
    today: NaiveDate,
) -> Option<NaiveDate> {
    if rng.below(100) < 4 {
        return None;
    }
    let first = days(NaiveDate::from_ymd_opt(2013, 1, 1)?);
    let lower = first.max(days(birth.assumed_date()) + 183);
    let upper = days(today);
    if lower > upper {
        return None;
    }
    from_days(rng.range(i64::from(lower), i64::from(upper)) as i32)
}

/// HIV (sensitive): about 0.1 % of adults of working age, very rare among children.
pub(crate) fn hiv(rng: &mut Rng, age: i32) -> bool {
    let per_10k = match age {
        ..18 => 1,
        18..65 => 12,
        _ => 3,
    };
    rng.below(10_000) < per_10k
}

/// A pension or monthly social-insurance benefit (lương hưu, trợ cấp BHXH hằng tháng):
/// retired civil servants and workers, rarer in the rural Mekong and among minorities.
pub(crate) fn pension(rng: &mut Rng, age: i32, eth: Ethnicity) -> bool {
    let percent = match (age, eth) {
        (..50, _) => 0,
        (50..60, _) => 2,
        (_, Ethnicity::Kinh) => 14,
        (_, Ethnicity::Hoa) => 20,
        (_, Ethnicity::Khmer) => 6,
        _ => 8,
    };
    rng.below(100) < percent
}

pub(crate) fn phone(rng: &mut Rng, age: i32) -> Option<Phone> {
    let percent = match age {
        ..15 => 0,
        15..60 => 92,
        60..80 => 70,
        _ => 35,
    };
    (rng.below(100) < percent).then(|| Phone::random(rng))
}

/// Payment channel (cash, bank, e-wallet) with the account when not cash. Minors are paid
/// through their guardian in cash; non-cash payment has spread since 2022, less among the
/// elderly. An e-wallet needs a phone, so one is given if missing.
pub(crate) fn payment(
    rng: &mut Rng,
    age: i32,
    phone: &mut Option<Phone>,
) -> (PaymentChannel, Option<AccountNumber>) {
    if age < 18 {
        return (PaymentChannel::Cash, None);
    }
    let (cash, bank) = if age >= 60 { (60, 32) } else { (50, 38) };
    let r = rng.below(100);
    if r < cash {
        (PaymentChannel::Cash, None)
    } else if r < cash + bank {
        (PaymentChannel::Bank, Some(AccountNumber::bank(rng)))
    } else {
        let p = match *phone {
            Some(p) => p,
            None => {
                let p = Phone::random(rng);
                *phone = Some(p);
                p
            }
        };
        (PaymentChannel::EWallet, Some(AccountNumber::wallet(p)))
    }
}

/// Chance (per 10,000) that a registered person has died, recorded but not yet removed.
pub(crate) fn death_per_10k(age: i32) -> u64 {
    match age {
        ..60 => 10,
        60..80 => 120,
        _ => 500,
    }
}

/// Poor and near-poor households (hộ nghèo, hộ cận nghèo), per mille of Kinh households, by
/// the year of the list. Falling over time, with the jump of 2022 when the multidimensional
/// standard of NĐ 07/2021/NĐ-CP replaced the 2016–2020 one. Years outside the table take the
/// nearest year.
pub(crate) fn poverty_base(year: i32) -> (u64, u64) {
    match year {
        ..=2019 => (34, 50),
        2020 => (29, 47),
        2021 => (24, 44),
        2022 => (36, 56),
        2023 => (28, 50),
        2024 => (21, 44),
        2025 => (16, 39),
        _ => (14, 36),
    }
}

/// How much more likely than a Kinh household a group is to be poor: Khmer households about
/// twice, other minorities more; Hoa households less.
pub(crate) fn poverty_multiplier(eth: Ethnicity) -> f64 {
    match eth {
        Ethnicity::Kinh => 1.0,
        Ethnicity::Hoa => 0.6,
        Ethnicity::Khmer => 2.0,
        _ => 2.5,
    }
}

/// The status in `year` of a household with vulnerability `u` (uniform in [0, 1): lower is
/// more vulnerable) and multiplier `m`. A small yearly jitter moves households near the
/// thresholds between statuses, as the yearly review (rà soát) does.
pub(crate) fn poverty_status(u: f64, m: f64, year: i32, jitter: f64) -> PovertyStatus {
    let (poor, near) = poverty_base(year);
    let v = (u + 0.012 * (jitter - 0.5)) * 1000.0;
    if v < poor as f64 * m {
        PovertyStatus::Poor
    } else if v < (poor + near) as f64 * m {
        PovertyStatus::NearPoor
    } else {
        PovertyStatus::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Stream;

    #[test]
    fn disability_is_rarer_for_the_young() {
        let mut rng = Rng::new(1, Stream::People);
        let count = |rng: &mut Rng, age| {
            (0..100_000)
                .filter(|_| {
                    matches!(
                        disability(rng, age),
                        DisabilityLevel::Severe | DisabilityLevel::EspeciallySevere
                    )
                })
                .count()
        };
        let young = count(&mut rng, 30);
        let old = count(&mut rng, 85);
        assert!((800..1400).contains(&young), "{young}");
        assert!(old > 5 * young, "{old} vs {young}");
    }

    #[test]
    fn certificates_fall_between_birth_and_today() {
        let mut rng = Rng::new(2, Stream::People);
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let birth = BirthDate::Year(2025);
        for _ in 0..1000 {
            if let Some(d) = disability_cert_date(&mut rng, birth, today) {
                assert!(d >= birth.assumed_date() && d <= today);
            }
        }
        let newborn = BirthDate::Full(today);
        assert_eq!(disability_cert_date(&mut rng, newborn, today), None);
    }

    #[test]
    fn poverty_falls_and_reacts_to_the_multiplier() {
        let mut rng = Rng::new(3, Stream::People);
        let share = |rng: &mut Rng, year, m| {
            (0..100_000)
                .filter(|_| {
                    let u = rng.unit();
                    poverty_status(u, m, year, rng.unit()) == PovertyStatus::Poor
                })
                .count()
        };
        let early = share(&mut rng, 2019, 1.0);
        let late = share(&mut rng, 2026, 1.0);
        let khmer = share(&mut rng, 2026, 2.0);
        assert!(
            early > late && khmer > late * 3 / 2,
            "{early} {late} {khmer}"
        );
    }

    #[test]
    fn non_cash_channels_always_have_an_account() {
        let mut rng = Rng::new(4, Stream::People);
        for age in [10, 30, 70, 90] {
            for _ in 0..1000 {
                let mut phone = None;
                let (channel, account) = payment(&mut rng, age, &mut phone);
                assert_eq!(channel == PaymentChannel::Cash, account.is_none());
                if channel == PaymentChannel::EWallet {
                    assert!(phone.is_some());
                }
            }
        }
    }
}
