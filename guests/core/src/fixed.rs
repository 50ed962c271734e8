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
