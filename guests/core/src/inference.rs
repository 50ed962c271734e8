//! Integer inference (spec: "Inference (per sample)").
//!
//! This is the zkVM hot loop, where every RISC-V instruction is a cycle: each
//! sample reads its features straight from the input words, multiplies
//! `i32 × i32 → i64`, and checks only what the spec requires. The kind and the
//! overflow-check mode are chosen once per model (monomorphized loops), not per
//! sample or term.

use crate::error::Error;
use crate::fixed::round_shift;
use crate::format::{term_index, Model, ModelKind, TestSet, MAX_FEATURES};

/// The `i64` accumulator overflowed; the caller adds the sample index.
#[derive(Debug)]
pub(crate) struct AccumulatorOverflow;

/// `acc + product`, overflow-checked when `CHECKED`. The unchecked variant is
/// used only for models whose accumulator bound proves that no partial sum can
/// overflow (`Model::accumulator_cannot_overflow`), so both give the same result.
#[inline(always)]
fn add_term<const CHECKED: bool>(acc: i64, product: i64) -> Result<i64, AccumulatorOverflow> {
    if CHECKED {
        acc.checked_add(product).ok_or(AccumulatorOverflow)
    } else {
        Ok(acc.wrapping_add(product))
    }
}

/// Affine: `acc = bias·2^F + Σ_j weights[j]·x[j]`.
#[inline(always)]
pub(crate) fn affine_accumulator<const CHECKED: bool>(
    model: &Model<'_>,
    x: &[i32],
) -> Result<i64, AccumulatorOverflow> {
    let mut acc = model.bias_term;
    for (&weight, &feature) in model.weights().iter().zip(x) {
        acc = add_term::<CHECKED>(acc, i64::from(weight) * i64::from(feature))?;
    }
    Ok(acc)
}

/// Per-sample scratch of the polynomial inference, allocated once per
/// evaluation (on the stack) and overwritten by every sample.
pub(crate) struct PolynomialScratch {
    /// The standardized, clipped features `z[0..d]`.
    z: [i32; MAX_FEATURES],
    /// `pairs[64·a + b] = round_shift(z_a·z_b, F)`, stored by the degree-2
    /// terms of the current sample and read by its degree-3 terms (only when
    /// `Model::reuse_pairs` guarantees the store comes first).
    pairs: [i32; MAX_FEATURES * MAX_FEATURES],
}

impl PolynomialScratch {
    pub(crate) fn new() -> Self {
        PolynomialScratch { z: [0; MAX_FEATURES], pairs: [0; MAX_FEATURES * MAX_FEATURES] }
    }
}

/// `round_shift(a·b, F)` as `i32`: the model validation (`z_clip` bound)
/// guarantees every monomial and degree-2 intermediate fits.
#[inline(always)]
fn mul_round(a: i32, b: i32, f: u32) -> i32 {
    round_shift(i64::from(a) * i64::from(b), f) as i32
}

#[inline(always)]
fn pair_slot(a: usize, b: usize) -> usize {
    a * MAX_FEATURES + b
}

/// Polynomial: standardize and clip each feature, then
/// `acc = bias·2^F + Σ_t weights[t]·m[t]` over the term monomials.
#[inline(always)]
pub(crate) fn polynomial_accumulator<const CHECKED: bool>(
    model: &Model<'_>,
    scratch: &mut PolynomialScratch,
    x: &[i32],
) -> Result<i64, AccumulatorOverflow> {
    let f = model.frac_bits();
    let clip = i64::from(model.z_clip());
    let stats = model.mean().iter().zip(model.inv_std());
    for ((z, &feature), (&mean, &inv_std)) in scratch.z.iter_mut().zip(x).zip(stats) {
        // |x − mean| < 2^32 and |inv_std| ≤ 2^31: the product fits i64.
        let standardized = round_shift((i64::from(feature) - i64::from(mean)) * i64::from(inv_std), f);
        // max/min rather than clamp: clamp asserts min ≤ max on every call.
        *z = standardized.max(-clip).min(clip) as i32;
    }

    let z = &scratch.z;
    let pairs = &mut scratch.pairs;
    let mut acc = model.bias_term;
    for (&term, &weight) in model.terms().iter().zip(model.weights()) {
        let (a, b) = (term_index(term, 1), term_index(term, 2));
        let monomial = match term & 0xFF {
            1 => z[a],
            2 => {
                let m = mul_round(z[a], z[b], f);
                if model.reuse_pairs {
                    pairs[pair_slot(a, b)] = m;
                }
                m
            }
            // Validated: the degree is 1, 2 or 3.
            _ => {
                // Same value either way: round_shift(z_a·z_b, F) of this sample.
                let ab = if model.reuse_pairs { pairs[pair_slot(a, b)] } else { mul_round(z[a], z[b], f) };
                mul_round(ab, z[term_index(term, 3)], f)
            }
        };
        acc = add_term::<CHECKED>(acc, i64::from(weight) * i64::from(monomial))?;
    }
    Ok(acc)
}

/// `ŷ = round_shift(acc, F)` if it fits `i32`.
#[inline(always)]
pub(crate) fn prediction(acc: i64, f: u32) -> Option<i32> {
    i32::try_from(round_shift(acc, f)).ok()
}

/// Predicts samples one at a time, reusing its scratch space. [`crate::evaluate`]
/// runs the same arithmetic in a loop specialized per model; this is for
/// hosts and tests that want the individual predictions.
pub struct Predictor<'m> {
    model: &'m Model<'m>,
    scratch: Option<PolynomialScratch>,
}

impl<'m> Predictor<'m> {
    /// A predictor for a validated model.
    pub fn new(model: &'m Model<'m>) -> Self {
        let scratch = match model.kind() {
            ModelKind::Affine => None,
            ModelKind::Polynomial => Some(PolynomialScratch::new()),
        };
        Predictor { model, scratch }
    }

    /// `ŷ` for the features `x` (exactly `d` of them, else `ModelDataMismatch`);
    /// `sample` is only the index reported in overflow errors.
    pub fn predict(&mut self, sample: u32, x: &[i32]) -> Result<i32, Error> {
        let model = self.model;
        if x.len() != model.n_features() as usize {
            return Err(Error::ModelDataMismatch);
        }
        let acc = match (&mut self.scratch, model.accumulator_cannot_overflow) {
            (None, true) => affine_accumulator::<false>(model, x),
            (None, false) => affine_accumulator::<true>(model, x),
            (Some(scratch), true) => polynomial_accumulator::<false>(model, scratch, x),
            (Some(scratch), false) => polynomial_accumulator::<true>(model, scratch, x),
        }
        .map_err(|AccumulatorOverflow| Error::AccumulatorOverflow { sample })?;
        prediction(acc, model.frac_bits()).ok_or(Error::PredictionOverflow { sample })
    }
}

/// `ŷ` for one feature row of `d` values (errors report sample 0).
pub fn predict(model: &Model<'_>, x: &[i32]) -> Result<i32, Error> {
    Predictor::new(model).predict(0, x)
}

/// The predictions for every sample of a test set, in order.
pub fn predictions<'m>(
    model: &'m Model<'m>,
    testset: &TestSet<'m>,
) -> impl Iterator<Item = Result<i32, Error>> + 'm {
    let mut predictor = Predictor::new(model);
    testset.samples().enumerate().map(move |(sample, (x, _y))| predictor.predict(sample as u32, x))
}
