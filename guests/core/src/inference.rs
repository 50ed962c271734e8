//! Integer inference (spec: "Inference (per sample)").
//!
//! This is the zkVM hot loop, where every RISC-V instruction is a cycle: each
//! sample reads its features straight from the input words, multiplies
//! `i32 × i32 → i64`, and checks only what the spec requires. The kind and the
//! overflow-check mode are chosen once per model (monomorphized loops), not per
//! sample or term.

use crate::error::Error;
use crate::fixed::{round_shift, round_shift_to_i32};
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

/// Scratch space of the polynomial inference, set up once per evaluation.
pub(crate) struct PolynomialScratch {
    /// `mean[j]·inv_std[j] − 2^(F−1)`, so that the standardization of each
    /// sample is one multiply and one subtraction per feature (see below).
    offsets: [i64; MAX_FEATURES],
    /// The standardized, clipped features `z[0..d]` of the current sample.
    z: [i32; MAX_FEATURES],
}

impl PolynomialScratch {
    pub(crate) fn new(model: &Model<'_>) -> Self {
        let mut offsets = [0; MAX_FEATURES];
        let half = 1i64 << (model.frac_bits() - 1);
        for ((offset, &mean), &inv_std) in offsets.iter_mut().zip(model.mean()).zip(model.inv_std()) {
            // |mean·inv_std| ≤ 2^62: no overflow.
            *offset = i64::from(mean) * i64::from(inv_std) - half;
        }
        PolynomialScratch { offsets, z: [0; MAX_FEATURES] }
    }
}

/// `round_shift(a·b, F)` as `i32`: the model validation (`z_clip` bound)
/// guarantees every monomial and degree-2 intermediate fits.
#[inline(always)]
fn mul_round(a: i32, b: i32, f: u32) -> i32 {
    round_shift_to_i32(i64::from(a) * i64::from(b), f)
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
    let features = x.iter().zip(model.inv_std()).zip(&scratch.offsets);
    for (z, ((&feature, &inv_std), &offset)) in scratch.z.iter_mut().zip(features) {
        // round_shift((x − mean)·inv_std, F) = (x·inv_std − offset) >> F with
        // offset = mean·inv_std − 2^(F−1): the spec's formula, with the
        // product distributed. No step overflows i64: |x·inv_std| ≤ 2^62 and
        // |(x − mean)·inv_std| + 2^(F−1) ≤ 2^63 − 2^31 + 2^23.
        let standardized = (i64::from(feature) * i64::from(inv_std) - offset) >> (f & 31);
        // max/min rather than clamp: clamp asserts min ≤ max on every call.
        *z = standardized.max(-clip).min(clip) as i32;
    }

    let z = &scratch.z;
    if model.full_quadratic {
        return full_quadratic_accumulator::<CHECKED>(model, &z[..x.len()], f);
    }
    // Degree-3 terms reuse round_shift(z_a·z_b, F) from the previous degree-3
    // term when it has the same leading pair (a, b): in the usual graded
    // lexicographic order, (a, b, b), (a, b, b+1), ... share one product.
    // Same value as recomputing it, so bit-identical to the spec's formula.
    let mut cached_pair = u32::MAX; // no pair yet: term bits 8..24 are < 2^16
    let mut cached_product = 0;
    let mut acc = model.bias_term;
    for (&term, &weight) in model.terms().iter().zip(model.weights()) {
        let (a, b) = (term_index(term, 1), term_index(term, 2));
        let monomial = match term & 0xFF {
            1 => z[a],
            2 => mul_round(z[a], z[b], f),
            // Validated: the degree is 1, 2 or 3.
            _ => {
                let pair = (term >> 8) & 0xFFFF;
                if pair != cached_pair {
                    cached_pair = pair;
                    cached_product = mul_round(z[a], z[b], f);
                }
                mul_round(cached_product, z[term_index(term, 3)], f)
            }
        };
        acc = add_term::<CHECKED>(acc, i64::from(weight) * i64::from(monomial))?;
    }
    Ok(acc)
}

/// The full degree-2 expansion: linear terms, then every pair `a ≤ b` in
/// order, without decoding term words (see `Model::full_quadratic`).
#[inline(always)]
fn full_quadratic_accumulator<const CHECKED: bool>(
    model: &Model<'_>,
    z: &[i32],
    f: u32,
) -> Result<i64, AccumulatorOverflow> {
    let (linear, quadratic) = model.weights().split_at(z.len());
    let mut acc = model.bias_term;
    for (&weight, &za) in linear.iter().zip(z) {
        acc = add_term::<CHECKED>(acc, i64::from(weight) * i64::from(za))?;
    }
    let mut weights = quadratic.iter();
    for (a, &za) in z.iter().enumerate() {
        // z first: zip pulls from its left side first, so no weight is lost when z runs out.
        for (&zb, &weight) in z[a..].iter().zip(weights.by_ref()) {
            acc = add_term::<CHECKED>(acc, i64::from(weight) * i64::from(mul_round(za, zb, f)))?;
        }
    }
    Ok(acc)
}

/// The full degree-2 expansion for a feature count `D` known at compile time
/// (`T = D + D(D+1)/2` weights). Both pair loops unroll completely: the `z`
/// values stay in registers and every weight is a load at a constant offset,
/// so no loop control or index arithmetic is left per term. Same arithmetic,
/// same order as [`polynomial_accumulator`], so bit-identical results and errors.
pub(crate) struct FixedQuadratic<const D: usize, const T: usize> {
    inv_std: [i32; D],
    offsets: [i64; D],
    weights: [i32; T],
    bias_term: i64,
    clip: i64,
    frac_bits: u32,
}

impl<const D: usize, const T: usize> FixedQuadratic<D, T> {
    /// `Some` for a full degree-2 model with exactly `D` features.
    pub(crate) fn new(model: &Model<'_>) -> Option<Self> {
        const { assert!(T == D + D * (D + 1) / 2) };
        if !model.full_quadratic || model.n_features() as usize != D {
            return None;
        }
        let scratch = PolynomialScratch::new(model);
        Some(FixedQuadratic {
            inv_std: model.inv_std().try_into().ok()?,
            offsets: scratch.offsets[..D].try_into().ok()?,
            weights: model.weights().try_into().ok()?,
            bias_term: model.bias_term,
            clip: i64::from(model.z_clip()),
            frac_bits: model.frac_bits(),
        })
    }

    /// The accumulator for one sample of `D` features (the test set was
    /// checked against the model, so a sample of another length is a bug).
    #[inline(always)]
    pub(crate) fn accumulator<const CHECKED: bool>(&self, x: &[i32]) -> Result<i64, AccumulatorOverflow> {
        let x: &[i32; D] = x.try_into().expect("test set checked against the model");
        let f = self.frac_bits;
        let mut z = [0i32; D];
        let features = x.iter().zip(&self.inv_std).zip(&self.offsets);
        for (z, ((&feature, &inv_std), &offset)) in z.iter_mut().zip(features) {
            // As in polynomial_accumulator.
            let standardized = (i64::from(feature) * i64::from(inv_std) - offset) >> (f & 31);
            *z = standardized.max(-self.clip).min(self.clip) as i32;
        }
        let mut acc = self.bias_term;
        for (&weight, &za) in self.weights[..D].iter().zip(&z) {
            acc = add_term::<CHECKED>(acc, i64::from(weight) * i64::from(za))?;
        }
        let mut t = D;
        for a in 0..D {
            for b in a..D {
                acc = add_term::<CHECKED>(acc, i64::from(self.weights[t]) * i64::from(mul_round(z[a], z[b], f)))?;
                t += 1;
            }
        }
        Ok(acc)
    }
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
            ModelKind::Polynomial => Some(PolynomialScratch::new(model)),
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
pub fn predictions<'m>(model: &'m Model<'m>, testset: &TestSet<'m>) -> impl Iterator<Item = Result<i32, Error>> + 'm {
    let mut predictor = Predictor::new(model);
    testset.samples().enumerate().map(move |(sample, (x, _y))| predictor.predict(sample as u32, x))
}
