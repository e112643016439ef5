//! The one source of randomness: ChaCha8 keyed from the caller's seed.
//!
//! Only integer arithmetic and the basic IEEE operations (`+ - * /`, comparisons) touch the
//! random numbers — never `exp`, `ln` or other library functions whose last bit may differ
//! between platforms — so the same seed gives the same data everywhere.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};

/// SplitMix64 step: expands a small seed into well-mixed words, and hashes codes.
pub(crate) fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A stable hash of a text (FNV-1a, then mixed): commune attributes derive from the code, so
/// a commune keeps its hamlets and weight whatever order the caller lists communes in.
pub(crate) fn hash_str(salt: u64, text: &str) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325 ^ salt;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    splitmix(h)
}

/// Streams keep unrelated draws apart, so adding a draw in one part of the generator does
/// not shift every value in another.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Stream {
    Households = 1,
    People = 2,
}

#[derive(Debug, Clone)]
pub(crate) struct Rng(ChaCha8Rng);

impl Rng {
    pub(crate) fn new(seed: u64, stream: Stream) -> Rng {
        let mut key = [0u8; 32];
        let mut state = seed;
        for chunk in key.chunks_exact_mut(8) {
            state = splitmix(state);
            chunk.copy_from_slice(&state.to_le_bytes());
        }
        let mut rng = ChaCha8Rng::from_seed(key);
        rng.set_stream(stream as u64);
        Rng(rng)
    }

    #[inline]
    pub(crate) fn u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// Uniform in `0..n` (0 when `n` is 0). Multiply-shift: the bias is below 2⁻³², far
    /// under anything a synthetic data set can show.
    #[inline]
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform index into a slice of length `n`.
    #[inline]
    pub(crate) fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// Uniform in `lo..=hi` (returns `lo` when `hi < lo`).
    #[inline]
    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo) as u64 + 1) as i64
    }

    /// Uniform in `[0, 1)` with 53 bits.
    #[inline]
    pub(crate) fn unit(&mut self) -> f64 {
        (self.u64() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Picks from a slice.
    #[inline]
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.index(items.len()))
    }
}

/// Cumulative weights for fast weighted choice (binary search).
#[derive(Debug, Clone, Default)]
pub(crate) struct Weighted {
    cumulative: Vec<u64>,
}

impl Weighted {
    pub(crate) fn new(weights: impl IntoIterator<Item = u64>) -> Weighted {
        let mut total = 0u64;
        let cumulative = weights
            .into_iter()
            .map(|w| {
                total += w;
                total
            })
            .collect();
        Weighted { cumulative }
    }

    pub(crate) fn total(&self) -> u64 {
        self.cumulative.last().copied().unwrap_or(0)
    }

    /// An index with probability proportional to its weight; `None` when all weights are 0.
    #[inline]
    pub(crate) fn sample(&self, rng: &mut Rng) -> Option<usize> {
        let total = self.total();
        if total == 0 {
            return None;
        }
        let r = rng.below(total);
        Some(self.cumulative.partition_point(|&c| c <= r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_words() {
        let mut a = Rng::new(7, Stream::People);
        let mut b = Rng::new(7, Stream::People);
        let mut c = Rng::new(7, Stream::Households);
        let xs: Vec<u64> = (0..8).map(|_| a.u64()).collect();
        let ys: Vec<u64> = (0..8).map(|_| b.u64()).collect();
        let zs: Vec<u64> = (0..8).map(|_| c.u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
    }

    #[test]
    fn pinned_first_word_guards_portability() {
        // If this changes, every demo database changes: a new rand_chacha release or a
        // change in seeding broke value stability.
        assert_eq!(Rng::new(0, Stream::People).u64(), 0xD990_B75D_05A6_D53F);
        // The published first output of SplitMix64 from 0.
        assert_eq!(splitmix(0), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn weighted_choice_respects_zero_weights_and_bounds() {
        let w = Weighted::new([0, 5, 0, 5]);
        let mut r = Rng::new(1, Stream::People);
        for _ in 0..1000 {
            let i = w.sample(&mut r).unwrap();
            assert!(i == 1 || i == 3);
        }
        assert_eq!(Weighted::new([0, 0]).sample(&mut r), None);
        for _ in 0..1000 {
            let x = r.range(-3, 3);
            assert!((-3..=3).contains(&x));
            assert!(r.below(10) < 10);
        }
    }
}
