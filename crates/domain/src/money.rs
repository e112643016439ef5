//! Money in whole Vietnamese đồng. Never floats.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

/// An amount in whole đồng (VND). Negative amounts are recoveries or corrections.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(pub i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn dong(amount: i64) -> Self {
        Money(amount)
    }

    pub const fn as_i64(self) -> i64 {
        self.0
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// `self × coefficient`, where the coefficient is in hundredths (2.5 → 250).
    /// Rounds half away from zero to a whole đồng; with bases in thousands of đồng the
    /// product is always exact. `None` on overflow.
    pub fn times_hundredths(self, hundredths: i64) -> Option<Money> {
        let product = (self.0 as i128).checked_mul(hundredths as i128)?;
        let rounded = if product >= 0 {
            (product + 50) / 100
        } else {
            (product - 50) / 100
        };
        i64::try_from(rounded).ok().map(Money)
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    pub fn checked_mul(self, n: i64) -> Option<Money> {
        self.0.checked_mul(n).map(Money)
    }

    /// Vietnamese display: `1.250.000 đ`.
    pub fn display_vi(self) -> String {
        format!("{} đ", group_thousands(self.0))
    }

    /// The amount in Vietnamese words for signed lists ("Bằng chữ: …"), with a capital first
    /// letter and the word "đồng": `Một triệu hai trăm năm mươi nghìn đồng`.
    pub fn in_words_vi(self) -> String {
        let mut words = if self.0 < 0 {
            format!("âm {}", number_in_words_vi(self.0.unsigned_abs()))
        } else {
            number_in_words_vi(self.0 as u64)
        };
        words.push_str(" đồng");
        let mut chars = words.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => words,
        }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_vi())
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        self.0 -= rhs.0;
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.map(|m| m.0).sum())
    }
}

/// `1250000` → `1.250.000` (Vietnamese uses `.` for thousands).
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

const DIGITS: [&str; 10] = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
];
const SCALES: [&str; 7] = ["", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ", "tỷ tỷ"];

/// Reads a number in Vietnamese, as on payment lists: 1.250.000 → "một triệu hai trăm năm
/// mươi nghìn"; 105 → "một trăm linh năm"; 21 → "hai mươi mốt"; 15 → "mười lăm".
pub fn number_in_words_vi(n: u64) -> String {
    if n == 0 {
        return DIGITS[0].to_string();
    }
    let mut groups = Vec::new();
    let mut rest = n;
    while rest > 0 {
        groups.push((rest % 1000) as u16);
        rest /= 1000;
    }
    let mut parts: Vec<String> = Vec::new();
    let top = groups.len() - 1;
    for (index, &group) in groups.iter().enumerate().rev() {
        if group == 0 {
            continue;
        }
        // A group after a higher non-empty group is read in full ("không trăm …").
        let full = index < top;
        parts.push(read_triple(group, full));
        if !SCALES[index].is_empty() {
            parts.push(SCALES[index].to_string());
        }
    }
    parts.join(" ")
}

fn read_triple(n: u16, full: bool) -> String {
    let hundreds = (n / 100) as usize;
    let tens = ((n / 10) % 10) as usize;
    let ones = (n % 10) as usize;
    let mut words: Vec<&str> = Vec::new();
    if hundreds > 0 || full {
        words.push(DIGITS[hundreds]);
        words.push("trăm");
    }
    match tens {
        0 => {
            if ones > 0 && (hundreds > 0 || full) {
                words.push("linh");
            }
        }
        1 => words.push("mười"),
        t => {
            words.push(DIGITS[t]);
            words.push("mươi");
        }
    }
    match ones {
        0 => {}
        1 if tens >= 2 => words.push("mốt"),
        4 if tens >= 2 => words.push("tư"),
        5 if tens >= 1 => words.push("lăm"),
        o => words.push(DIGITS[o]),
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn groups_thousands_with_dots() {
        assert_eq!(Money(1_250_000).display_vi(), "1.250.000 đ");
        assert_eq!(Money(500).display_vi(), "500 đ");
        assert_eq!(Money(0).display_vi(), "0 đ");
        assert_eq!(Money(-360_000).display_vi(), "-360.000 đ");
        assert_eq!(group_thousands(1_000), "1.000");
    }

    #[test]
    fn coefficient_products_are_exact() {
        assert_eq!(Money(500_000).times_hundredths(250), Some(Money(1_250_000)));
        assert_eq!(Money(270_000).times_hundredths(150), Some(Money(405_000)));
        assert_eq!(
            Money(360_000).times_hundredths(2000),
            Some(Money(7_200_000))
        );
        assert_eq!(Money(1).times_hundredths(50), Some(Money(1)));
        assert_eq!(Money(i64::MAX).times_hundredths(200), None);
    }

    #[test]
    fn reads_numbers_in_vietnamese() {
        assert_eq!(number_in_words_vi(0), "không");
        assert_eq!(number_in_words_vi(15), "mười lăm");
        assert_eq!(number_in_words_vi(21), "hai mươi mốt");
        assert_eq!(number_in_words_vi(24), "hai mươi tư");
        assert_eq!(number_in_words_vi(105), "một trăm linh năm");
        assert_eq!(number_in_words_vi(1_005), "một nghìn không trăm linh năm");
        assert_eq!(
            number_in_words_vi(1_250_000),
            "một triệu hai trăm năm mươi nghìn"
        );
        assert_eq!(number_in_words_vi(10_000_000), "mười triệu");
        assert_eq!(Money(25_000_000).in_words_vi(), "Hai mươi lăm triệu đồng");
    }

    proptest! {
        #[test]
        fn grouping_round_trips(n in any::<i64>().prop_filter("not min", |n| *n != i64::MIN)) {
            let shown = group_thousands(n);
            let back: i64 = shown.replace('.', "").parse().unwrap();
            prop_assert_eq!(back, n);
        }
    }
}
