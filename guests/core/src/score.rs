//! Scoring and the whole evaluation (spec: "Scoring").

use crate::error::Error;
use crate::fixed::{round_div, round_div_signed, Shifts, NARROW};
use crate::format::{parse_input, Model, ModelKind, TestSet};
use crate::inference::{
    affine_accumulator, biased, polynomial_accumulator, start, AccumulatorOverflow, FixedAffine, FixedPolynomial,
    PolynomialScratch, SampleAccumulator,
};
use crate::output::{PublicOutput, R2_UNDEFINED};
use crate::sha::Sha256;

/// Parses and validates the guest input words (`header ‖ model.bin ‖
/// testset.bin`), scores the model on every sample and returns the public
/// output with both commitments.
pub fn evaluate<H: Sha256>(input_words: &[u32]) -> Result<PublicOutput, Error> {
    let (model, testset) = parse_input(input_words)?;
    evaluate_parsed::<H>(&model, &testset)
}

/// [`evaluate`] on an already parsed input (`ModelDataMismatch` if the test
/// set does not fit the model).
pub fn evaluate_parsed<H: Sha256>(model: &Model<'_>, testset: &TestSet<'_>) -> Result<PublicOutput, Error> {
    testset.check_matches(model)?;
    let shifts = Shifts::new(model.frac_bits());
    let sums = match score_fixed(model, testset, shifts) {
        Some(sums) => sums,
        None => score_general(model, testset, shifts),
    }?;
    finish::<H>(model, testset, sums)
}

/// Every model: the loops over the model's terms, chosen once per model
/// kind and overflow-check mode.
fn score_general(model: &Model<'_>, testset: &TestSet<'_>, shifts: Shifts) -> Result<Sums, Error> {
    let d = testset.n_features() as usize;
    match (model.kind(), model.accumulator_cannot_overflow) {
        (ModelKind::Affine, true) => score_samples(testset, d, shifts, |x: &[i32]| {
            affine_accumulator::<false>(model, start::<false>(model.bias_term, shifts), x)
        }),
        (ModelKind::Affine, false) => score_samples(testset, d, shifts, |x: &[i32]| {
            affine_accumulator::<true>(model, model.bias_term, x).map(|acc| biased::<true>(acc, shifts))
        }),
        (ModelKind::Polynomial, true) => {
            let mut scratch = PolynomialScratch::new(model);
            let start = start::<false>(model.bias_term, shifts);
            score_samples(testset, d, shifts, |x: &[i32]| {
                polynomial_accumulator::<false>(model, &mut scratch, start, x)
            })
        }
        (ModelKind::Polynomial, false) => {
            let mut scratch = PolynomialScratch::new(model);
            score_samples(testset, d, shifts, |x: &[i32]| {
                polynomial_accumulator::<true>(model, &mut scratch, model.bias_term, x)
                    .map(|acc| biased::<true>(acc, shifts))
            })
        }
    }
}

/// Models of up to 8 features (the workbench exports 7) get a loop unrolled
/// for their `d`: affine models, and full expansions of degree 2 and 3;
/// `None` for every other model.
fn score_fixed(model: &Model<'_>, testset: &TestSet<'_>, shifts: Shifts) -> Option<Result<Sums, Error>> {
    macro_rules! try_fixed {
        ($fixed:ident :: <$($param:literal),*>, $d:literal) => {
            // Checked adds, then unchecked: `new` is `Some` for the model's mode only.
            if let Some(fixed) = $fixed::<$($param,)* true>::new(model, shifts) {
                return Some(score_samples(testset, $d, shifts, fixed));
            }
            if let Some(fixed) = $fixed::<$($param,)* false>::new(model, shifts) {
                return Some(score_samples(testset, $d, shifts, fixed));
            }
        };
    }
    macro_rules! for_feature_counts {
        ($($d:literal => $quadratic:literal, $cubic:literal);*) => {$(
            try_fixed!(FixedAffine::<$d>, $d);
            try_fixed!(FixedPolynomial::<$d, $quadratic>, $d);
            try_fixed!(FixedPolynomial::<$d, $cubic>, $d);
        )*};
    }
    // d => D + D(D+1)/2, D + D(D+1)/2 + D(D+1)(D+2)/6 terms.
    for_feature_counts!(1 => 2, 3; 2 => 5, 9; 3 => 9, 19; 4 => 14, 34; 5 => 20, 55; 6 => 27, 83; 7 => 35, 119; 8 => 44, 164);
    None
}

/// The public output from the sums.
fn finish<H: Sha256>(model: &Model<'_>, testset: &TestSet<'_>, sums: Sums) -> Result<PublicOutput, Error> {
    let f = model.frac_bits();
    let n = testset.n_samples();
    let metrics = sums.metrics(n, f)?;
    Ok(PublicOutput {
        model_commitment: H::digest_words(model.words()),
        data_commitment: H::digest_words(testset.words()),
        kind: model.kind().word(),
        frac_bits: f,
        n_samples: n,
        n_features: testset.n_features(),
        sse: sums.sse.value(),
        sae: u128::from(sums.sae),
        sum_y: sums.sum_y.value(n),
        sum_y2: sums.sum_y2.value(),
        r2: metrics.r2,
        mse: metrics.mse,
        mae: metrics.mae,
    })
}

/// The running sums over the samples.
#[derive(Default)]
struct Sums {
    /// `Σ e²`: each `e² < 2^64`, so the sum stays below `2^88`.
    sse: WideSum,
    /// `Σ |e|`: each `|e| < 2^32` and `n ≤ 2^24`, so `u64` is exact here;
    /// widened to the spec's `u128` in the output.
    sae: u64,
    /// `Σ y`: `|Σ y| ≤ 2^31 · 2^24`.
    sum_y: SignedSum,
    /// `Σ y²`: below `2^62 · 2^24`.
    sum_y2: WideSum,
}

/// An exact `u128` sum of at most `2^24` `u64` terms in two `u64` words,
/// added in one of two forms ([`NARROW`]; both exact, tested below):
/// - wide (rv64): the low 64 bits and a count of their carries, three
///   instructions a term (add, compare, add);
/// - narrow (rv32, where a `u64` is two registers): the sum of the terms' low
///   words and the sum of their high words, each below `2^56`. Two
///   independent `u64 += u32` (three instructions each) are cheaper than one
///   carry chain across three words.
#[derive(Default, Clone, Copy)]
struct WideSum {
    a: u64,
    b: u64,
}

impl WideSum {
    #[inline(always)]
    fn add(&mut self, term: u64) {
        self.add_in::<NARROW>(term)
    }

    #[inline(always)]
    fn add_in<const N: bool>(&mut self, term: u64) {
        if N {
            self.a += u64::from(term as u32);
            self.b += term >> 32;
        } else {
            let (low, carry) = self.a.overflowing_add(term);
            self.a = low;
            self.b += u64::from(carry);
        }
    }

    fn value(self) -> u128 {
        self.value_in::<NARROW>()
    }

    fn value_in<const N: bool>(self) -> u128 {
        if N {
            (u128::from(self.b) << 32) + u128::from(self.a)
        } else {
            u128::from(self.b) << 64 | u128::from(self.a)
        }
    }
}

/// An exact `i64` sum of at most `2^24` `i32` terms, in one of two forms
/// ([`NARROW`]): wide, the sum itself (one add on rv64); narrow, the sum of
/// `y + 2^31` as unsigned words (below `2^56`), from which `n·2^31` is taken
/// at the end. On rv32 that is `u64 += u32` (three instructions and the
/// flip of the sign bit) instead of a sign-extended 64-bit add (five).
#[derive(Default, Clone, Copy)]
struct SignedSum {
    total: i64,
}

impl SignedSum {
    #[inline(always)]
    fn add(&mut self, y: i32) {
        self.add_in::<NARROW>(y)
    }

    #[inline(always)]
    fn add_in<const N: bool>(&mut self, y: i32) {
        if N {
            // (y as u32) ^ 2^31 = y + 2^31, in 0..2^32.
            self.total += i64::from((y as u32) ^ (1 << 31));
        } else {
            self.total += i64::from(y);
        }
    }

    /// The sum of the `n` terms added.
    fn value(self, n: u32) -> i64 {
        self.value_in::<NARROW>(n)
    }

    fn value_in<const N: bool>(self, n: u32) -> i64 {
        if N {
            self.total - (i64::from(n) << 31)
        } else {
            self.total
        }
    }
}

/// The sample loop: predict, check, accumulate the error sums. `d` is the
/// test set's feature count (checked against the model); the unrolled loops
/// pass it as a constant, so that rows are a constant stride apart and their
/// `&x[..d]` converts to `&[i32; D]` without a check.
#[inline(always)]
fn score_samples(
    testset: &TestSet<'_>,
    d: usize,
    shifts: Shifts,
    mut accumulator: impl SampleAccumulator,
) -> Result<Sums, Error> {
    assert_eq!(d, testset.n_features() as usize, "the test set was checked against the model");
    let mut sums = Sums::default();
    let mut rows = testset.rows().chunks_exact(d + 1);
    let n = rows.len();
    while let Some(row) = rows.next() {
        // The sample's index, needed only for an error: no counter in the loop.
        let sample = |rows: &core::slice::ChunksExact<'_, i32>| (n - 1 - rows.len()) as u32;
        let (x, y) = (&row[..d], row[d]);
        let acc = accumulator
            .accumulate(x)
            .map_err(|AccumulatorOverflow| Error::AccumulatorOverflow { sample: sample(&rows) })?;
        let y_hat = shifts.prediction(acc).ok_or(Error::PredictionOverflow { sample: sample(&rows) })?;
        // |e| = |ŷ − y| ≤ 2^32 − 1 fits u32, so e² fits u64: two 32-bit
        // multiplies on rv32, no signed 64-bit arithmetic.
        let abs_error = u64::from(y_hat.abs_diff(y));
        sums.sse.add(abs_error * abs_error);
        sums.sae += abs_error;
        sums.sum_y.add(y);
        // y² < 2^62: the signed product is the square.
        sums.sum_y2.add((i64::from(y) * i64::from(y)) as u64);
    }
    Ok(sums)
}

struct Metrics {
    r2: i64,
    mse: u64,
    mae: u64,
}

impl Sums {
    /// `mse`, `mae` and `r2` from the sums (spec: "Scoring").
    fn metrics(&self, n_samples: u32, f: u32) -> Result<Metrics, Error> {
        let n = u128::from(n_samples);
        let (sse, sum_y2, sum_y) = (self.sse.value(), self.sum_y2.value(), self.sum_y.value(n_samples));
        // sse < n·2^64, so mse < 2^(64−F) and mae < 2^32: both fit u64.
        let mse = u64::try_from(round_div(sse, n << f)).map_err(|_| Error::ScoreOverflow)?;
        let mae = u64::try_from(round_div(u128::from(self.sae), n)).map_err(|_| Error::ScoreOverflow)?;

        // n_sst = n·Σy² − (Σy)² ≥ 0 (Cauchy–Schwarz), below 2^110.
        let sum_y_squared = u128::from(sum_y.unsigned_abs()).pow(2);
        let n_sst = n.checked_mul(sum_y2).and_then(|v| v.checked_sub(sum_y_squared)).ok_or(Error::ScoreOverflow)?;
        let r2 = if n_sst == 0 {
            R2_UNDEFINED
        } else {
            // r2 = round_div_signed((n_sst − n·sse)·2^F, n_sst), in checked i128.
            let overflow = |_| Error::ScoreOverflow;
            let n_sst_signed = i128::try_from(n_sst).map_err(overflow)?;
            let n_sse = i128::try_from(n)
                .map_err(overflow)?
                .checked_mul(i128::try_from(sse).map_err(overflow)?)
                .ok_or(Error::ScoreOverflow)?;
            let numerator =
                n_sst_signed.checked_sub(n_sse).and_then(|v| v.checked_mul(1i128 << f)).ok_or(Error::ScoreOverflow)?;
            i64::try_from(round_div_signed(numerator, n_sst)).map_err(|_| Error::ScoreOverflow)?
        };
        Ok(Metrics { r2, mse, mae })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both forms of the running sums give the exact sums, at the extremes.
    #[test]
    fn both_forms_of_the_sums_are_exact() {
        let terms = [0, 1, u64::MAX, u64::MAX - 1, 1 << 63, (1 << 32) - 1, 1 << 32, 0x1234_5678_9abc_def0];
        let ys = [0, 1, -1, i32::MAX, i32::MIN, 12_345, -98_765];
        let (mut wide, mut narrow) = (WideSum::default(), WideSum::default());
        let (mut wide_y, mut narrow_y) = (SignedSum::default(), SignedSum::default());
        let (mut sum, mut sum_y) = (0u128, 0i64);
        for round in 0..1000u32 {
            for &term in &terms {
                wide.add_in::<false>(term);
                narrow.add_in::<true>(term);
                sum += u128::from(term);
            }
            for &y in &ys {
                wide_y.add_in::<false>(y);
                narrow_y.add_in::<true>(y);
                sum_y += i64::from(y);
            }
            let n = (round + 1) * ys.len() as u32;
            assert_eq!((wide.value_in::<false>(), narrow.value_in::<true>()), (sum, sum));
            assert_eq!((wide_y.value_in::<false>(n), narrow_y.value_in::<true>(n)), (sum_y, sum_y));
        }
    }
}
