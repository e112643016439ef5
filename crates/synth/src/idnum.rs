//! Identifier numbers in compact form: CCCD, phone, account and birth-certificate numbers.
//!
//! The national stream produces millions of people, so numbers are kept as small `Copy`
//! values and only turned into text when the caller asks (`Display`, `to_cccd`).

use std::fmt;

use ansinh_domain::cccd::{CCCD_PROVINCE_CODES, Cccd};
use ansinh_domain::person::Sex;
use serde::{Serialize, Serializer};

use crate::rng::{Rng, splitmix};

/// A generated CCCD (căn cước công dân) number: 12 ASCII digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CccdNumber([u8; 12]);

impl CccdNumber {
    pub fn as_str(&self) -> &str {
        // Always ASCII digits by construction.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The domain value. `None` never happens for generated numbers (tests check it).
    pub fn to_cccd(self) -> Option<Cccd> {
        Cccd::parse(self.as_str()).ok()
    }
}

impl fmt::Debug for CccdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CccdNumber({})", self.as_str())
    }
}

impl fmt::Display for CccdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for CccdNumber {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The position of a 3-digit prefix in [`CCCD_PROVINCE_CODES`].
pub(crate) fn prefix_index(prefix: &str) -> Option<usize> {
    CCCD_PROVINCE_CODES.iter().position(|p| *p == prefix)
}

/// The 3-digit prefix for a 2-digit province code ("84" → index of "084").
pub(crate) fn prefix_index_for_province(province_code: &str) -> Option<usize> {
    match province_code.len() {
        2 => {
            let mut p = String::with_capacity(3);
            p.push('0');
            p.push_str(province_code);
            prefix_index(&p)
        }
        3 => prefix_index(province_code),
        _ => None,
    }
}

/// The century-and-sex digit of the CCCD layout (0/1 = 1900s male/female, 2/3 = 2000s, …).
fn century_sex_digit(sex: Sex, year: i32) -> Option<u8> {
    let base = match year {
        1800..=1899 => 8,
        1900..=1999 => 0,
        2000..=2099 => 2,
        2100..=2199 => 4,
        2200..=2299 => 6,
        _ => return None,
    };
    Some(base + u8::from(sex == Sex::Female))
}

const PREFIXES: usize = CCCD_PROVINCE_CODES.len();
const SERIALS: u64 = 1_000_000;

/// Issues CCCD numbers that are unique within one generated data set.
///
/// The first six digits (province, century-and-sex, year) are fixed by the person, so
/// uniqueness is a matter of the last six: each (prefix, century-sex, year) bucket has a
/// counter, and the counter goes through a bijection of 0..10⁶ (multiply by a number coprime
/// to 10, add a per-bucket offset) so that the serials look random but can never repeat.
#[derive(Debug, Clone)]
pub(crate) struct CccdAllocator {
    counters: Vec<u32>,
    multiplier: u64,
    salt: u64,
}

impl CccdAllocator {
    pub(crate) fn new(seed: u64) -> CccdAllocator {
        let mut multiplier = (splitmix(seed ^ 0xCCCD) % (SERIALS / 2)) * 2 + 1;
        if multiplier.is_multiple_of(5) {
            multiplier += 2;
        }
        CccdAllocator {
            counters: vec![0; PREFIXES * 10 * 100],
            multiplier,
            salt: splitmix(seed ^ 0x5EED_CCCD),
        }
    }

    /// A fresh number for a holder born in `birth_year`, registered in the province at
    /// `prefix` (an index into [`CCCD_PROVINCE_CODES`]). `None` when the bucket is full
    /// (a million people of one sex born in one year in one province) or the year is outside
    /// the layout.
    pub(crate) fn issue(&mut self, prefix: usize, sex: Sex, birth_year: i32) -> Option<CccdNumber> {
        let code = CCCD_PROVINCE_CODES.get(prefix)?.as_bytes();
        let cs = century_sex_digit(sex, birth_year)?;
        let yy = birth_year.rem_euclid(100) as usize;
        let slot = (prefix * 10 + usize::from(cs)) * 100 + yy;
        let counter = self.counters.get_mut(slot)?;
        if u64::from(*counter) >= SERIALS {
            return None;
        }
        let n = u64::from(*counter);
        *counter += 1;
        let offset = splitmix(self.salt ^ slot as u64) % SERIALS;
        let serial = (n * self.multiplier + offset) % SERIALS;

        let mut d = [b'0'; 12];
        d[..3].copy_from_slice(code.get(..3)?);
        d[3] = b'0' + cs;
        d[4] = b'0' + (yy / 10) as u8;
        d[5] = b'0' + (yy % 10) as u8;
        write_digits(&mut d[6..], serial);
        Some(CccdNumber(d))
    }
}

/// Writes `value` as zero-padded decimal digits filling `out`.
fn write_digits(out: &mut [u8], mut value: u64) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

/// A Vietnamese mobile number: `0` and nine digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Phone(u32);

/// Mobile prefixes in use (Viettel 03x/086/09x, Mobifone 07x/089/090, Vinaphone 08x/091…),
/// without the leading 0.
const MOBILE_PREFIXES: [u32; 26] = [
    32, 33, 34, 35, 36, 37, 38, 39, 70, 76, 77, 78, 79, 81, 82, 83, 84, 85, 86, 88, 89, 90, 91, 94,
    97, 98,
];

impl Phone {
    pub(crate) fn random(rng: &mut Rng) -> Phone {
        let prefix = MOBILE_PREFIXES
            .get(rng.index(MOBILE_PREFIXES.len()))
            .copied()
            .unwrap_or(90);
        Phone(prefix * 10_000_000 + rng.below(10_000_000) as u32)
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0{:09}", self.0)
    }
}

impl Serialize for Phone {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A bank or e-wallet account number: digits only, 10 to 14 of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AccountNumber {
    value: u64,
    digits: u8,
}

impl AccountNumber {
    /// A bank account. Lengths follow the common banks (13 digits at Agribank, where most
    /// rural beneficiaries bank; 10 to 14 elsewhere).
    pub(crate) fn bank(rng: &mut Rng) -> AccountNumber {
        let digits: u8 = match rng.below(10) {
            0..=4 => 13,
            5 | 6 => 12,
            7 | 8 => 10,
            _ => 14,
        };
        let low = 10u64.pow(u32::from(digits) - 1);
        AccountNumber {
            value: low + rng.below(9 * low),
            digits,
        }
    }

    /// An e-wallet (ví điện tử) is identified by the holder's phone number.
    pub(crate) fn wallet(phone: Phone) -> AccountNumber {
        AccountNumber {
            value: u64::from(phone.0),
            digits: 10,
        }
    }
}

impl fmt::Display for AccountNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:0width$}",
            self.value,
            width = usize::from(self.digits)
        )
    }
}

impl Serialize for AccountNumber {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Số giấy khai sinh — a birth-certificate number as written in the commune register:
/// the entry number and the register year, `127/2016`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BirthCertNo {
    pub number: u16,
    pub year: i32,
}

impl fmt::Display for BirthCertNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.number, self.year)
    }
}

impl Serialize for BirthCertNo {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Stream;
    use std::collections::HashSet;

    #[test]
    fn issued_numbers_are_valid_and_unique_even_in_one_crowded_bucket() {
        let mut alloc = CccdAllocator::new(42);
        let p = prefix_index("084").unwrap();
        let mut seen = HashSet::new();
        for i in 0..200_000 {
            let c = alloc.issue(p, Sex::Female, 1956).unwrap();
            assert!(
                Cccd::parse_for(c.as_str(), Sex::Female, 1956).is_ok(),
                "{c}"
            );
            assert!(seen.insert(c), "duplicate at {i}: {c}");
        }
        let m = alloc.issue(p, Sex::Male, 2004).unwrap();
        assert!(Cccd::parse_for(m.as_str(), Sex::Male, 2004).is_ok());
        assert_eq!(&m.as_str()[..6], "084204");
    }

    #[test]
    fn a_full_bucket_gives_none_instead_of_a_duplicate() {
        let mut alloc = CccdAllocator::new(1);
        let p = prefix_index("001").unwrap();
        let mut seen = HashSet::new();
        for _ in 0..SERIALS {
            assert!(seen.insert(alloc.issue(p, Sex::Male, 1990).unwrap()));
        }
        assert_eq!(alloc.issue(p, Sex::Male, 1990), None);
        assert_eq!(alloc.issue(p, Sex::Male, 1700), None);
    }

    #[test]
    fn other_numbers_have_their_formats() {
        let mut rng = Rng::new(9, Stream::People);
        for _ in 0..1000 {
            let phone = Phone::random(&mut rng).to_string();
            assert_eq!(phone.len(), 10);
            assert!(phone.starts_with('0'));
            let acc = AccountNumber::bank(&mut rng).to_string();
            assert!((10..=14).contains(&acc.len()), "{acc}");
            assert!(acc.bytes().all(|b| b.is_ascii_digit()));
        }
        assert_eq!(
            BirthCertNo {
                number: 12,
                year: 2016
            }
            .to_string(),
            "12/2016"
        );
        assert_eq!(prefix_index_for_province("84"), prefix_index("084"));
        assert_eq!(prefix_index_for_province("99"), None);
    }
}
