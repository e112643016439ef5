//! CCCD — căn cước công dân / căn cước: the 12-digit citizen identity number.
//!
//! Layout (Thông tư 07/2016/TT-BCA Art. 7, kept by the 2023 Identity Law): 3 digits for the
//! province of birth registration, 1 digit for century and sex, 2 digits for the last two
//! digits of the birth year, 6 random digits.
//! Century-and-sex digit: 0/1 = 20th century male/female, 2/3 = 21st, 4/5 = 22nd,
//! 6/7 = 23rd, 8/9 = 19th century.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

use crate::person::Sex;

/// Province prefixes used in CCCD numbers: the GSO codes of the 63 provinces as of 2024,
/// zero-padded to 3 digits. Numbers issued after the 2025 merger keep using these.
pub const CCCD_PROVINCE_CODES: [&str; 63] = [
    "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020",
    "022", "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038",
    "040", "042", "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060",
    "062", "064", "066", "067", "068", "070", "072", "074", "075", "077", "079", "080", "082",
    "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096",
];

/// A syntactically valid CCCD number (12 digits, known province prefix).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cccd(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CccdError {
    #[error("a CCCD number has exactly 12 digits")]
    Length,
    #[error("a CCCD number has digits only")]
    NotDigits,
    #[error("the first 3 digits {0} are not a province code")]
    Province(String),
    #[error("the 4th digit {digit} says {says}, but the person is {actual}")]
    CenturyOrSex {
        digit: char,
        says: String,
        actual: String,
    },
    #[error("digits 5–6 ({digits}) do not match the birth year {year}")]
    BirthYear { digits: String, year: i32 },
}

impl CccdError {
    /// Stable code, used as a translation key.
    pub fn code(&self) -> &'static str {
        match self {
            CccdError::Length => "cccd-length",
            CccdError::NotDigits => "cccd-digits",
            CccdError::Province(_) => "cccd-province",
            CccdError::CenturyOrSex { .. } => "cccd-century-sex",
            CccdError::BirthYear { .. } => "cccd-birth-year",
        }
    }
}

impl Cccd {
    /// Parses the number alone (spaces and dots people type between groups are dropped).
    pub fn parse(input: &str) -> Result<Cccd, CccdError> {
        let digits: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '.' && *c != '-')
            .collect();
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(CccdError::NotDigits);
        }
        if digits.len() != 12 {
            return Err(CccdError::Length);
        }
        let province = &digits[..3];
        if !CCCD_PROVINCE_CODES.contains(&province) {
            return Err(CccdError::Province(province.to_string()));
        }
        Ok(Cccd(digits))
    }

    /// Parses and checks the number against the holder's sex and birth year.
    pub fn parse_for(input: &str, sex: Sex, birth_year: i32) -> Result<Cccd, CccdError> {
        let cccd = Cccd::parse(input)?;
        cccd.check_holder(sex, birth_year)?;
        Ok(cccd)
    }

    /// The 4th digit must encode the century of `birth_year` and `sex`; digits 5–6 its last
    /// two digits.
    pub fn check_holder(&self, sex: Sex, birth_year: i32) -> Result<(), CccdError> {
        let digit = self.0.as_bytes()[3];
        let expected = century_sex_digit(sex, birth_year);
        if Some(digit) != expected {
            let (century, digit_sex) = describe_digit(digit);
            return Err(CccdError::CenturyOrSex {
                digit: digit as char,
                says: format!("{digit_sex}, born in the {century}"),
                actual: format!(
                    "{}, born in {birth_year}",
                    match sex {
                        Sex::Male => "male",
                        Sex::Female => "female",
                    }
                ),
            });
        }
        let year_digits = &self.0[4..6];
        if year_digits != format!("{:02}", birth_year.rem_euclid(100)) {
            return Err(CccdError::BirthYear {
                digits: year_digits.to_string(),
                year: birth_year,
            });
        }
        Ok(())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn province_prefix(&self) -> &str {
        &self.0[..3]
    }

    /// Shown in public and general lists: only the last 3 digits (`*********678`).
    pub fn masked(&self) -> String {
        mask_identifier(&self.0)
    }
}

/// Masks any identifier (CCCD, birth certificate, account) to its last 3 characters.
pub fn mask_identifier(value: &str) -> String {
    let count = value.chars().count();
    let keep = count.min(3);
    let mut out: String = "*".repeat(count - keep);
    out.extend(value.chars().skip(count - keep));
    out
}

fn century_sex_digit(sex: Sex, year: i32) -> Option<u8> {
    let base = match year {
        1800..=1899 => 8,
        1900..=1999 => 0,
        2000..=2099 => 2,
        2100..=2199 => 4,
        2200..=2299 => 6,
        _ => return None,
    };
    Some(b'0' + base + if sex == Sex::Female { 1 } else { 0 })
}

fn describe_digit(digit: u8) -> (&'static str, &'static str) {
    let n = digit.saturating_sub(b'0');
    let century = match n / 2 {
        0 => "20th century",
        1 => "21st century",
        2 => "22nd century",
        3 => "23rd century",
        _ => "19th century",
    };
    (
        century,
        if n.is_multiple_of(2) {
            "male"
        } else {
            "female"
        },
    )
}

impl fmt::Display for Cccd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Cccd {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Cccd {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Cccd, D::Error> {
        let s = String::deserialize(d)?;
        Cccd::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_well_formed_numbers_that_match_the_holder() {
        // Trà Vinh (084), male, 20th century (0), born 1956.
        let c = Cccd::parse_for("084056000123", Sex::Male, 1956).unwrap();
        assert_eq!(c.province_prefix(), "084");
        // Female born 2003 in Hà Nội: 4th digit 3.
        assert!(Cccd::parse_for("001303012345", Sex::Female, 2003).is_ok());
        // Female born 1899: 4th digit 9.
        assert!(Cccd::parse_for("079999000001", Sex::Female, 1899).is_ok());
        // Spaces between groups are tolerated.
        assert!(Cccd::parse("084 056 000 123").is_ok());
    }

    #[test]
    fn refuses_malformed_numbers_with_a_reason() {
        assert_eq!(Cccd::parse("08405600012"), Err(CccdError::Length));
        assert_eq!(Cccd::parse("0840560001234"), Err(CccdError::Length));
        assert_eq!(Cccd::parse("08405600012a"), Err(CccdError::NotDigits));
        assert_eq!(
            Cccd::parse("003056000123"),
            Err(CccdError::Province("003".into()))
        );
        assert_eq!(
            Cccd::parse("099056000123"),
            Err(CccdError::Province("099".into()))
        );
    }

    #[test]
    fn refuses_numbers_that_disagree_with_sex_or_birth_year() {
        // Says male (0) but the holder is female.
        let err = Cccd::parse_for("084056000123", Sex::Female, 1956).unwrap_err();
        assert_eq!(err.code(), "cccd-century-sex");
        // Says 20th century but the holder was born in 2005.
        let err = Cccd::parse_for("084005000123", Sex::Male, 2005).unwrap_err();
        assert_eq!(err.code(), "cccd-century-sex");
        // Right century and sex, wrong year digits.
        let err = Cccd::parse_for("084057000123", Sex::Male, 1956).unwrap_err();
        assert_eq!(err.code(), "cccd-birth-year");
    }

    #[test]
    fn masks_all_but_the_last_three_digits() {
        let c = Cccd::parse("084056000123").unwrap();
        assert_eq!(c.masked(), "*********123");
        assert_eq!(mask_identifier("12"), "12");
    }
}
