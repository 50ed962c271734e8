//! Scoring and the whole evaluation (spec: "Scoring").

use crate::error::Error;
use crate::fixed::{round_div, round_div_signed};
use crate::format::{parse_input, Model, ModelKind, TestSet};
use crate::inference::{
    affine_accumulator, polynomial_accumulator, prediction, AccumulatorOverflow, FixedQuadratic, PolynomialScratch,
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
    let f = model.frac_bits();
    // Pick the specialized loop once per model.
    let sums = match (model.kind(), model.accumulator_cannot_overflow) {
        (ModelKind::Affine, true) => score_samples(testset, f, |x| affine_accumulator::<false>(model, x)),
        (ModelKind::Affine, false) => score_samples(testset, f, |x| affine_accumulator::<true>(model, x)),
        (ModelKind::Polynomial, cannot_overflow) => {
            if let Some(sums) = score_fixed_quadratic(model, testset, f, cannot_overflow) {
                return finish::<H>(model, testset, sums?);
            }
            let mut scratch = PolynomialScratch::new(model);
            if cannot_overflow {
                score_samples(testset, f, |x| polynomial_accumulator::<false>(model, &mut scratch, x))
            } else {
                score_samples(testset, f, |x| polynomial_accumulator::<true>(model, &mut scratch, x))
            }
        }
    }?;
    finish::<H>(model, testset, sums)
}

/// Full degree-2 models of up to 8 features (the workbench exports 7) get a
/// loop unrolled for their `d`; `None` for every other model.
fn score_fixed_quadratic(
    model: &Model<'_>,
    testset: &TestSet<'_>,
    f: u32,
    cannot_overflow: bool,
) -> Option<Result<Sums, Error>> {
    macro_rules! for_feature_counts {
        ($($d:literal => $t:literal),*) => {$(
            if let Some(quadratic) = FixedQuadratic::<$d, $t>::new(model) {
                return Some(if cannot_overflow {
                    score_samples(testset, f, |x| quadratic.accumulator::<false>(x))
                } else {
                    score_samples(testset, f, |x| quadratic.accumulator::<true>(x))
                });
            }
        )*};
    }
    for_feature_counts!(1 => 2, 2 => 5, 3 => 9, 4 => 14, 5 => 20, 6 => 27, 7 => 35, 8 => 44);
    None
}

/// The public output from the sums.
fn finish<H: Sha256>(model: &Model<'_>, testset: &TestSet<'_>, sums: Sums) -> Result<PublicOutput, Error> {
    let f = model.frac_bits();
    let metrics = sums.metrics(testset.n_samples(), f)?;
    Ok(PublicOutput {
        model_commitment: H::digest_words(model.words()),
        data_commitment: H::digest_words(testset.words()),
        kind: model.kind().word(),
        frac_bits: f,
        n_samples: testset.n_samples(),
        n_features: testset.n_features(),
        sse: sums.sse.value(),
        sae: u128::from(sums.sae),
        sum_y: sums.sum_y,
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
    sum_y: i64,
    /// `Σ y²`: below `2^62 · 2^24`.
    sum_y2: WideSum,
}

/// An exact `u128` sum of `u64` terms, kept as a `u64` and a count of its
/// carries (at most one per term, so `n ≤ 2^24` carries fit `u32`). On rv32
/// this takes three registers and fewer instructions than a `u128`.
#[derive(Default, Clone, Copy)]
struct WideSum {
    low: u64,
    carries: u32,
}

impl WideSum {
    #[inline(always)]
    fn add(&mut self, term: u64) {
        let (low, carry) = self.low.overflowing_add(term);
        self.low = low;
        self.carries += u32::from(carry);
    }

    fn value(self) -> u128 {
        u128::from(self.carries) << 64 | u128::from(self.low)
    }
}

/// The sample loop: predict, check, accumulate the error sums.
#[inline(always)]
fn score_samples(
    testset: &TestSet<'_>,
    f: u32,
    mut accumulate: impl FnMut(&[i32]) -> Result<i64, AccumulatorOverflow>,
) -> Result<Sums, Error> {
    let mut sums = Sums::default();
    for (sample, (x, y)) in testset.samples().enumerate() {
        let sample = sample as u32; // n ≤ 2^24
        let acc = accumulate(x).map_err(|AccumulatorOverflow| Error::AccumulatorOverflow { sample })?;
        let y_hat = prediction(acc, f).ok_or(Error::PredictionOverflow { sample })?;
        // |e| = |ŷ − y| ≤ 2^32 − 1 fits u32, so e² fits u64: two 32-bit
        // multiplies on rv32, no signed 64-bit arithmetic.
        let abs_error = u64::from(y_hat.abs_diff(y));
        sums.sse.add(abs_error * abs_error);
        sums.sae += abs_error;
        sums.sum_y += i64::from(y);
        let abs_y = u64::from(y.unsigned_abs());
        sums.sum_y2.add(abs_y * abs_y);
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
        let (sse, sum_y2) = (self.sse.value(), self.sum_y2.value());
        // sse < n·2^64, so mse < 2^(64−F) and mae < 2^32: both fit u64.
        let mse = u64::try_from(round_div(sse, n << f)).map_err(|_| Error::ScoreOverflow)?;
        let mae = u64::try_from(round_div(u128::from(self.sae), n)).map_err(|_| Error::ScoreOverflow)?;

        // n_sst = n·Σy² − (Σy)² ≥ 0 (Cauchy–Schwarz), below 2^110.
        let sum_y_squared = u128::from(self.sum_y.unsigned_abs()).pow(2);
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
