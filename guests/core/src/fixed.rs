//! The only two rounding operations of the computation (spec: "Fixed point").

/// `round_shift(v, f) = (v + 2^(f-1)) >> f` with a flooring (arithmetic)
/// shift: brings a `Q(2F)` product back to `Q(F)`, rounding halves up.
/// `f` must be in `1..=24` (validated with the model).
///
/// Computed as `(v >> f) + bit (f-1) of v`, which equals the spec's formula
/// (write `v = q·2^f + r`, `0 ≤ r < 2^f`: adding `2^(f-1)` carries into `q`
/// exactly when `r ≥ 2^(f-1)`) but never overflows, even for `v` within
/// `2^(f-1)` of `i64::MAX`, where the literal addition would.
#[inline(always)]
pub fn round_shift(v: i64, f: u32) -> i64 {
    debug_assert!((1..=24).contains(&f));
    // f ≤ 24, so `& 31` changes nothing; it tells the compiler the shift is
    // below 32, which on rv32 saves the branch for shifting across words.
    let f = f & 31;
    // Bit f-1 ≤ 23 lies in the low word.
    (v >> f) + i64::from((v as u32 >> (f - 1)) & 1)
}

/// [`round_shift`] of a value whose rounded result is known to fit `i32`
/// (the monomials, by the model validation): only the low word of `v >> f`
/// is computed, which is a few instructions cheaper on rv32.
#[inline(always)]
pub(crate) fn round_shift_to_i32(v: i64, f: u32) -> i32 {
    debug_assert!((1..=24).contains(&f));
    let f = f & 31;
    // (v >> f) may be i32::MIN - 1 when the result is i32::MIN: wrapping
    // arithmetic modulo 2^32 still gives the exact result.
    ((v >> f) as i32).wrapping_add(((v as u32 >> (f - 1)) & 1) as i32)
}

/// Whether 64-bit values take two registers (rv32: RISC Zero, OpenVM). The
/// sample loops then use [`Shifts`]' forms built from 32-bit operations, which
/// give exactly the same values as the plain `i64` forms (tested below for
/// both); LLVM's own lowering of an `i64` shift by a variable amount spends a
/// few more instructions on cases these values cannot reach. `--cfg
/// zkml_narrow` selects the 32-bit forms on any target, so that the whole
/// test suite can run them natively.
pub(crate) const NARROW: bool = cfg!(any(target_pointer_width = "32", zkml_narrow));

/// `F` and the constants of the per-sample arithmetic derived from it,
/// computed once per model (`F` in `1..=24`, validated).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Shifts {
    /// `F`.
    f: u32,
    /// `32 − F`, the left shift that brings the high word's bits down (`8..=31`).
    up: u32,
    /// `2^(F−1)`, the rounding half.
    half: u32,
}

impl Shifts {
    /// The constants for `f` in `1..=24`. Not inlined: the loops then see `up`
    /// as an opaque value. Were `32 − f` visible, LLVM would fuse
    /// `(lo >> f) | (hi << up)` into a funnel shift, whose rv32 expansion
    /// (guarding against a shift by 32) takes two more instructions.
    #[inline(never)]
    pub(crate) fn new(f: u32) -> Self {
        assert!((1..=24).contains(&f), "F is validated to be 1..=24");
        Shifts { f, up: 32 - f, half: 1 << (f - 1) }
    }

    /// `2^(F−1)`, the rounding half, as an `i64`.
    #[inline(always)]
    pub(crate) fn half(self) -> i64 {
        i64::from(self.half)
    }

    /// `round_shift(v, F)` for `|v| ≤ 2^62` (a product of two `i32`) whose
    /// result fits `i32` (the monomials, by the model validation):
    /// `(v + 2^(F−1)) >> F`, which cannot overflow for such `v`. An `i64`
    /// holding an `i32` value: the wide form skips the truncation and the
    /// sign extension (`sext.w`) that the next multiply would undo.
    #[inline(always)]
    pub(crate) fn round_to_i32(self, v: i64) -> i64 {
        self.round_to_i32_in::<NARROW>(v)
    }

    /// `clamp(v >> F, −clip, clip)` for `0 < clip` (the standardization).
    #[inline(always)]
    pub(crate) fn shr_clamp(self, v: i64, clip: i32) -> i32 {
        self.shr_clamp_in::<NARROW>(v, clip)
    }

    /// `ŷ = round_shift(acc, F)` if it fits `i32`, given `t = acc + 2^(F−1)`
    /// computed modulo 2^64 (the sample loops add the half once, into the
    /// accumulator's start value). Exact: `round_shift(acc, F) = (acc +
    /// 2^(F−1)) >> F` over the integers, and where `acc + 2^(F−1)` exceeds
    /// `i64::MAX` the wrapped `t` is below `−2^62`, outside the range that
    /// fits, as the true value is.
    #[inline(always)]
    pub(crate) fn prediction(self, t: i64) -> Option<i32> {
        self.prediction_in::<NARROW>(t)
    }

    // The two forms of each operation; `N` is `NARROW` outside the tests.

    /// The low word of `v >> F` (arithmetic shift): `(v >> F) as i32`.
    #[inline(always)]
    fn shr_low_in<const N: bool>(self, v: i64) -> i32 {
        if N {
            // F ≤ 24 and 32 − F ≤ 31: neither shift reaches 32 (the masks say so).
            let (lo, hi) = (v as u32, (v >> 32) as u32);
            ((lo >> (self.f & 31)) | (hi << (self.up & 31))) as i32
        } else {
            (v >> (self.f & 31)) as i32
        }
    }

    /// Whether `v >> F` fits `i32`, i.e. `v ∈ [−2^(31+F), 2^(31+F))`. The
    /// narrow form looks at the high word alone, `hi ∈ [−2^(F−1), 2^(F−1))`:
    /// one add and one compare.
    #[inline(always)]
    fn shr_fits_i32_in<const N: bool>(self, v: i64) -> bool {
        if N {
            ((v >> 32) as u32).wrapping_add(self.half) < self.half << 1
        } else {
            let shifted = v >> (self.f & 31);
            shifted as i32 as i64 == shifted
        }
    }

    #[inline(always)]
    fn round_to_i32_in<const N: bool>(self, v: i64) -> i64 {
        if N {
            i64::from(self.shr_low_in::<N>(v + self.half()))
        } else {
            (v + self.half()) >> (self.f & 31)
        }
    }

    #[inline(always)]
    fn shr_clamp_in<const N: bool>(self, v: i64, clip: i32) -> i32 {
        if N {
            let shifted = self.shr_low_in::<N>(v);
            // The common case in one add and one compare: v >> F fits i32
            // (else its low word means nothing) and lies in [−clip, clip],
            // i.e. shifted + clip in 0..=2·clip (2·clip < 2^32).
            if self.shr_fits_i32_in::<N>(v) && (shifted as u32).wrapping_add(clip as u32) <= 2 * clip as u32 {
                shifted
            } else if v < 0 {
                -clip // v >> F < −clip
            } else {
                clip
            }
        } else {
            (v >> (self.f & 31)).max(-i64::from(clip)).min(i64::from(clip)) as i32
        }
    }

    #[inline(always)]
    fn prediction_in<const N: bool>(self, t: i64) -> Option<i32> {
        if self.shr_fits_i32_in::<N>(t) {
            Some(self.shr_low_in::<N>(t))
        } else {
            None
        }
    }
}

/// `round_div(a, b) = floor((a + floor(b/2)) / b)` for `b > 0`: division
/// rounding halves up. Panics if `b == 0`.
///
/// Computed from the quotient and remainder so that `a + b/2` cannot overflow.
pub fn round_div(a: u128, b: u128) -> u128 {
    let quotient = a / b;
    let remainder = a - quotient * b;
    // floor((q·b + r + floor(b/2)) / b) = q + [r + floor(b/2) ≥ b] = q + [r ≥ ceil(b/2)]
    quotient + u128::from(remainder >= b - b / 2)
}

/// `round_div_signed(a, b) = sign(a) · round_div(|a|, b)` for `b > 0`:
/// division rounding halves away from zero. Panics if `b == 0`.
pub fn round_div_signed(a: i128, b: u128) -> i128 {
    let magnitude = round_div(a.unsigned_abs(), b);
    // magnitude ≤ |a| ≤ 2^127. It is 2^127 only for a = i128::MIN and b = 1,
    // where the wrapping negation gives exactly the right value, i128::MIN.
    let signed = magnitude as i128;
    if a < 0 {
        signed.wrapping_neg()
    } else {
        signed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::{format, vec, vec::Vec};

    /// The spec's literal formula, evaluated without overflow in i128.
    fn round_shift_literal(v: i64, f: u32) -> i64 {
        ((i128::from(v) + (1i128 << (f - 1))) >> f) as i64
    }

    #[test]
    fn round_shift_rounds_half_up() {
        // F = 1: v / 2 with halves rounded toward +inf.
        assert_eq!(round_shift(0, 1), 0);
        assert_eq!(round_shift(1, 1), 1); // 0.5 -> 1
        assert_eq!(round_shift(2, 1), 1);
        assert_eq!(round_shift(3, 1), 2); // 1.5 -> 2
        assert_eq!(round_shift(-1, 1), 0); // -0.5 -> 0 (half up, not away)
        assert_eq!(round_shift(-2, 1), -1);
        assert_eq!(round_shift(-3, 1), -1); // -1.5 -> -1
        assert_eq!(round_shift(-4, 1), -2);
        // F = 16.
        let one = 1i64 << 16;
        assert_eq!(round_shift(5 * one * one, 16), 5 * one);
        assert_eq!(round_shift(one / 2, 16), 1); // 0.5 / 2^16 -> up
        assert_eq!(round_shift(one / 2 - 1, 16), 0);
        assert_eq!(round_shift(-(one / 2), 16), 0); // -0.5 -> 0
        assert_eq!(round_shift(-(one / 2) - 1, 16), -1);
        assert_eq!(round_shift(-3 * one / 2, 16), -1); // -1.5 -> -1
        assert_eq!(round_shift(3 * one / 2, 16), 2); // 1.5 -> 2
    }

    #[test]
    fn round_shift_matches_literal_formula_including_extremes() {
        let values = [
            0,
            1,
            -1,
            7,
            -7,
            123_456_789,
            -123_456_789,
            i64::from(i32::MAX),
            i64::from(i32::MIN),
            i64::MAX,
            i64::MAX - 1,
            i64::MIN,
            i64::MIN + 1,
            (1 << 40) + (1 << 23),
            -(1 << 40) - (1 << 23),
        ];
        for f in 1..=24 {
            for &v in &values {
                for dv in -3..=3 {
                    let v = v.saturating_add(dv);
                    assert_eq!(round_shift(v, f), round_shift_literal(v, f), "v={v} f={f}");
                }
            }
        }
    }

    #[test]
    fn round_shift_to_i32_matches_when_the_result_fits() {
        for f in 1..=24 {
            let unit = 1i64 << f;
            let half = unit / 2;
            for target in [0, 1, -1, 12345, -12345, i64::from(i32::MAX), i64::from(i32::MIN)] {
                for offset in [-half - 1, -half, -half + 1, -1, 0, 1, half - 1, half, half + 1] {
                    let v = target * unit + offset;
                    if let Ok(expected) = i32::try_from(round_shift_literal(v, f)) {
                        assert_eq!(round_shift_to_i32(v, f), expected, "v={v} f={f}");
                    }
                }
            }
        }
    }

    /// Values around every boundary the `Shifts` forms care about, for `f`.
    fn shift_edge_values(f: u32) -> Vec<i64> {
        let mut values = vec![0, 1, -1, i64::MAX, i64::MIN, 1 << 62, -(1 << 62)];
        for base in [1i64 << (f - 1), 1 << f, 1 << (31 + f), 1 << 32, 1 << 31, 12_345 << f] {
            for sign in [1, -1] {
                for delta in -2..=2 {
                    values.push((sign * base).saturating_add(delta));
                }
            }
        }
        values
    }

    #[test]
    fn shifts_both_forms_match_the_literal_formulas() {
        for f in 1..=24 {
            let s = Shifts::new(f);
            for v in shift_edge_values(f) {
                let floor = v >> f;
                for (form, narrow) in [("wide", false), ("narrow", true)] {
                    let (low, fits, clamp, prediction) = if narrow {
                        (
                            s.shr_low_in::<true>(v),
                            s.shr_fits_i32_in::<true>(v),
                            s.shr_clamp_in::<true>(v, 3 << f),
                            s.prediction_in::<true>(v),
                        )
                    } else {
                        (
                            s.shr_low_in::<false>(v),
                            s.shr_fits_i32_in::<false>(v),
                            s.shr_clamp_in::<false>(v, 3 << f),
                            s.prediction_in::<false>(v),
                        )
                    };
                    let ctx = format!("{form} v={v} f={f}");
                    assert_eq!(low, floor as i32, "{ctx}");
                    assert_eq!(fits, i32::try_from(floor).is_ok(), "{ctx}");
                    assert_eq!(i64::from(clamp), floor.clamp(-3 << f, 3 << f), "{ctx}");
                    assert_eq!(prediction, i32::try_from(floor).ok(), "{ctx}");
                }
                // The prediction from acc + 2^(F−1) (wrapping) is round_shift(acc, F).
                let t = v.wrapping_add(s.half());
                for narrow in [false, true] {
                    let got = if narrow { s.prediction_in::<true>(t) } else { s.prediction_in::<false>(t) };
                    assert_eq!(got, i32::try_from(round_shift(v, f)).ok(), "prediction v={v} f={f} narrow={narrow}");
                }
                if v.unsigned_abs() <= 1 << 62 {
                    if let Ok(expected) = i32::try_from(round_shift(v, f)) {
                        assert_eq!(s.round_to_i32_in::<false>(v), i64::from(expected), "round v={v} f={f}");
                        assert_eq!(s.round_to_i32_in::<true>(v), i64::from(expected), "round narrow v={v} f={f}");
                    }
                }
            }
        }
    }

    #[test]
    fn round_div_rounds_half_up() {
        assert_eq!(round_div(0, 1), 0);
        assert_eq!(round_div(7, 1), 7);
        assert_eq!(round_div(1, 2), 1); // 0.5 -> 1
        assert_eq!(round_div(3, 2), 2); // 1.5 -> 2
        assert_eq!(round_div(5, 2), 3);
        assert_eq!(round_div(4, 3), 1); // 1.33 -> 1
        assert_eq!(round_div(5, 3), 2); // 1.67 -> 2
        assert_eq!(round_div(6, 4), 2); // 1.5 -> 2
        assert_eq!(round_div(5, 4), 1); // 1.25 -> 1
        assert_eq!(round_div(u128::MAX, 1), u128::MAX);
        assert_eq!(round_div(u128::MAX, u128::MAX), 1);
        assert_eq!(round_div(u128::MAX, 2), 1 << 127); // (2^128 - 1) / 2 = 2^127 - 0.5 -> 2^127
        assert_eq!(round_div(u128::MAX / 2, u128::MAX), 0); // just under a half
        assert_eq!(round_div(u128::MAX / 2 + 1, u128::MAX), 1);
        // Against the literal formula where it does not overflow.
        for a in 0..200u128 {
            for b in 1..40u128 {
                assert_eq!(round_div(a, b), (a + b / 2) / b, "a={a} b={b}");
            }
        }
    }

    #[test]
    fn round_div_signed_rounds_half_away_from_zero() {
        assert_eq!(round_div_signed(0, 5), 0);
        assert_eq!(round_div_signed(1, 2), 1); // 0.5 -> 1
        assert_eq!(round_div_signed(-1, 2), -1); // -0.5 -> -1
        assert_eq!(round_div_signed(3, 2), 2);
        assert_eq!(round_div_signed(-3, 2), -2); // -1.5 -> -2
        assert_eq!(round_div_signed(-5, 4), -1); // -1.25 -> -1
        assert_eq!(round_div_signed(-7, 4), -2); // -1.75 -> -2
        assert_eq!(round_div_signed(-6, 3), -2);
        assert_eq!(round_div_signed(i128::MIN, 1), i128::MIN);
        assert_eq!(round_div_signed(i128::MIN, 2), -(1 << 126));
        assert_eq!(round_div_signed(i128::MAX, 1), i128::MAX);
        for a in -200i128..200 {
            for b in 1..30u128 {
                let expected = a.signum() * ((a.abs() + (b as i128) / 2) / b as i128);
                assert_eq!(round_div_signed(a, b), expected, "a={a} b={b}");
            }
        }
    }
}
