//! Administrative unit codes (mã đơn vị hành chính): strings of digits, never integers —
//! province 2 digits, district 3, commune 5, with leading zeros.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnitCode(String);

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
            Ok(UnitCode(s.to_string()))
        } else {
            Err(UnitCodeError(s.chars().take(20).collect()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The level a code's length implies.
    pub fn level(&self) -> UnitLevel {
        match self.0.len() {
            2 => UnitLevel::Province,
            3 => UnitLevel::District,
            _ => UnitLevel::Commune,
        }
    }
}

impl fmt::Display for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for UnitCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
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
        for bad in ["4", "8421", "2924a", "", "292451"] {
            assert!(UnitCode::parse(bad).is_err(), "{bad}");
        }
    }
}
