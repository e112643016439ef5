//! Administrative unit codes (mã đơn vị hành chính): strings of digits, never integers —
//! province 2 digits, district 3, commune 5, with leading zeros.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Kept inline (at most five ASCII digits, the unused bytes zero): a code is copied into
/// every entitlement and line of a payroll month, millions of times, without allocating.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct UnitCode {
    len: u8,
    digits: [u8; 5],
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an administrative unit code (2, 3 or 5 digits)")]
pub struct UnitCodeError(pub String);

/// Level of a unit in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitLevel {
    Province,
    District,
    Commune,
}

impl UnitLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            UnitLevel::Province => "province",
            UnitLevel::District => "district",
            UnitLevel::Commune => "commune",
        }
    }

    pub fn parse(s: &str) -> Option<UnitLevel> {
        match s {
            "province" => Some(UnitLevel::Province),
            "district" => Some(UnitLevel::District),
            "commune" => Some(UnitLevel::Commune),
            _ => None,
        }
    }
}

impl UnitCode {
    pub fn parse(s: &str) -> Result<UnitCode, UnitCodeError> {
        let s = s.trim();
        if matches!(s.len(), 2 | 3 | 5) && s.bytes().all(|b| b.is_ascii_digit()) {
            let mut digits = [0u8; 5];
            digits[..s.len()].copy_from_slice(s.as_bytes());
            Ok(UnitCode {
                len: s.len() as u8,
                digits,
            })
        } else {
            Err(UnitCodeError(s.chars().take(20).collect()))
        }
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored (see `parse`), so this never falls back.
        std::str::from_utf8(&self.digits[..usize::from(self.len)]).unwrap_or_default()
    }

    /// The level a code's length implies.
    pub fn level(&self) -> UnitLevel {
        match self.len {
            2 => UnitLevel::Province,
            3 => UnitLevel::District,
            _ => UnitLevel::Commune,
        }
    }
}

/// Codes sort as their text ("01" < "011" < "01102"), as they did as strings.
impl Ord for UnitCode {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for UnitCode {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Debug for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("UnitCode").field(&self.as_str()).finish()
    }
}

impl fmt::Display for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for UnitCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for UnitCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<UnitCode, D::Error> {
        let s = String::deserialize(d)?;
        UnitCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_keep_leading_zeros() {
        let c = UnitCode::parse("00004").unwrap();
        assert_eq!(c.as_str(), "00004");
        assert_eq!(c.level(), UnitLevel::Commune);
        assert_eq!(UnitCode::parse("84").unwrap().level(), UnitLevel::Province);
        assert_eq!(UnitCode::parse("842").unwrap().level(), UnitLevel::District);
        for bad in ["4", "8421", "2924a", "", "292451", "٣٤"] {
            assert!(UnitCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn codes_sort_and_print_as_their_text() {
        let mut codes: Vec<UnitCode> = ["01102", "011", "01", "79", "00004"]
            .iter()
            .map(|c| UnitCode::parse(c).unwrap())
            .collect();
        codes.sort();
        let text: Vec<String> = codes.iter().map(|c| c.to_string()).collect();
        assert_eq!(text, ["00004", "01", "011", "01102", "79"]);
        assert_eq!(format!("{:?}", codes[1]), r#"UnitCode("01")"#);
        assert_eq!(serde_json::to_string(&codes[3]).unwrap(), r#""01102""#);
        let back: UnitCode = serde_json::from_str(r#""01102""#).unwrap();
        assert_eq!(back, codes[3]);
    }
}
