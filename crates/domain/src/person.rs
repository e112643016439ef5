//! Facts about a person that the registry records and the rules read.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Giới tính.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

/// Household poverty status in a given year (hộ nghèo / hộ cận nghèo).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum PovertyStatus {
    None,
    NearPoor,
    Poor,
}

/// Disability level under the Law on People with Disabilities (mức độ khuyết tật).
/// Only `Severe` and `EspeciallySevere` give a monthly allowance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum DisabilityLevel {
    None,
    /// khuyết tật nhẹ
    Mild,
    /// khuyết tật nặng
    Severe,
    /// khuyết tật đặc biệt nặng
    EspeciallySevere,
}

/// How a beneficiary receives money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentChannel {
    /// tiền mặt tại xã / bưu điện
    Cash,
    /// tài khoản ngân hàng
    Bank,
    /// ví điện tử / tài khoản thanh toán điện tử
    EWallet,
}

/// Relation to the head of household (quan hệ với chủ hộ).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Head,
    Spouse,
    Child,
    Parent,
    Grandchild,
    Grandparent,
    Sibling,
    Other,
}

macro_rules! string_enum {
    ($ty:ty { $($variant:ident = $text:literal),+ $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$(<$ty>::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $(<$ty>::$variant => $text),+ }
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl FromStr for $ty {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<$ty, UnknownValue> {
                match s {
                    $($text => Ok(<$ty>::$variant),)+
                    other => Err(UnknownValue {
                        kind: stringify!($ty),
                        value: other.chars().take(40).collect(),
                    }),
                }
            }
        }
    };
}

/// A text that names no value of an enumeration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a valid {kind}")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

string_enum!(Sex { Male = "male", Female = "female" });
string_enum!(PovertyStatus { None = "none", NearPoor = "near_poor", Poor = "poor" });
string_enum!(DisabilityLevel {
    None = "none",
    Mild = "mild",
    Severe = "severe",
    EspeciallySevere = "especially_severe",
});
string_enum!(PaymentChannel { Cash = "cash", Bank = "bank", EWallet = "e_wallet" });
string_enum!(Relation {
    Head = "head",
    Spouse = "spouse",
    Child = "child",
    Parent = "parent",
    Grandchild = "grandchild",
    Grandparent = "grandparent",
    Sibling = "sibling",
    Other = "other",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_round_trip_through_text() {
        for s in Sex::ALL {
            assert_eq!(s.as_str().parse::<Sex>().unwrap(), *s);
        }
        for d in DisabilityLevel::ALL {
            assert_eq!(d.as_str().parse::<DisabilityLevel>().unwrap(), *d);
        }
        assert!("maybe".parse::<PovertyStatus>().is_err());
    }
}
