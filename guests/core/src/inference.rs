//! Integer inference (spec: "Inference (per sample)").
//!
//! This is the zkVM hot loop, where every RISC-V instruction is a cycle: each
//! sample reads its features straight from the input words, multiplies
//! `i32 × i32 → i64`, and checks only what the spec requires. The kind and the
//! overflow-check mode are chosen once per model (monomorphized loops), not per
//! sample or term.

use crate::error::Error;
use crate::fixed::{round_shift, round_shift_to_i32, Shifts};
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

/// The value a sample loop starts its accumulator from: `bias·2^F`, plus, when
/// the adds are unchecked, the rounding half `2^(F−1)` of `ŷ = round_shift(acc,
/// F)` (see [`Shifts::prediction`]), added once per model instead of once per
/// sample. The checked adds must see the spec's exact partial sums, so they
/// add the half after the last term ([`biased`]).
#[inline(always)]
pub(crate) fn start<const CHECKED: bool>(bias_term: i64, shifts: Shifts) -> i64 {
    // |bias·2^F| ≤ 2^55: no overflow.
    if CHECKED {
        bias_term
    } else {
        bias_term + shifts.half()
    }
}

/// `acc + 2^(F−1)` (modulo 2^64) from an accumulator that started at [`start`].
#[inline(always)]
pub(crate) fn biased<const CHECKED: bool>(acc: i64, shifts: Shifts) -> i64 {
    if CHECKED {
        acc.wrapping_add(shifts.half())
    } else {
        acc
    }
}

/// Affine: `acc = start + Σ_j weights[j]·x[j]` (`start` is `bias·2^F`, see [`start`]).
#[inline(always)]
pub(crate) fn affine_accumulator<const CHECKED: bool>(
    model: &Model<'_>,
    start: i64,
    x: &[i32],
) -> Result<i64, AccumulatorOverflow> {
    let mut acc = start;
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
/// `acc = start + Σ_t weights[t]·m[t]` over the term monomials (`start` is
/// `bias·2^F`, see [`start`]).
#[inline(always)]
pub(crate) fn polynomial_accumulator<const CHECKED: bool>(
    model: &Model<'_>,
    scratch: &mut PolynomialScratch,
    start: i64,
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
    if model.full_degree == Some(2) {
        return full_quadratic_accumulator::<CHECKED>(model, &z[..x.len()], start, f);
    }
    // Degree-3 terms reuse round_shift(z_a·z_b, F) from the previous degree-3
    // term when it has the same leading pair (a, b): in the usual graded
    // lexicographic order, (a, b, b), (a, b, b+1), ... share one product.
    // Same value as recomputing it, so bit-identical to the spec's formula.
    let mut cached_pair = u32::MAX; // no pair yet: term bits 8..24 are < 2^16
    let mut cached_product = 0;
    let mut acc = start;
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
/// order, without decoding term words (see `Model::full_degree`).
#[inline(always)]
fn full_quadratic_accumulator<const CHECKED: bool>(
    model: &Model<'_>,
    z: &[i32],
    start: i64,
    f: u32,
) -> Result<i64, AccumulatorOverflow> {
    let (linear, quadratic) = model.weights().split_at(z.len());
    let mut acc = start;
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

/// What a sample loop needs of a model: `acc + 2^(F−1)` (modulo 2^64, see
/// [`start`]) for one sample's `d` features. A trait rather than a closure:
/// the unrolled accumulators are large, and a closure around one is not
/// inlined into the sample loop, which would then pay a call per sample.
pub(crate) trait SampleAccumulator {
    fn accumulate(&mut self, x: &[i32]) -> Result<i64, AccumulatorOverflow>;
}

impl<F: FnMut(&[i32]) -> Result<i64, AccumulatorOverflow>> SampleAccumulator for F {
    #[inline(always)]
    fn accumulate(&mut self, x: &[i32]) -> Result<i64, AccumulatorOverflow> {
        self(x)
    }
}

/// A sample's `D` features: the sample loops pass exactly `d = D` words (the
/// test set matches the model), and with `D` and `d` constant the check folds away.
#[inline(always)]
fn features<const D: usize>(x: &[i32]) -> &[i32; D] {
    x.try_into().unwrap_or_else(|_| unreachable!("the sample loop passes d = D features"))
}

/// An affine model with a feature count `D` known at compile time: the loop
/// over the features unrolls and the weights stay in registers. Same
/// arithmetic, same order as [`affine_accumulator`]; `CHECKED` as there.
pub(crate) struct FixedAffine<const D: usize, const CHECKED: bool> {
    weights: [i32; D],
    bias_term: i64,
    shifts: Shifts,
}

impl<const D: usize, const CHECKED: bool> SampleAccumulator for FixedAffine<D, CHECKED> {
    #[inline(always)]
    fn accumulate(&mut self, x: &[i32]) -> Result<i64, AccumulatorOverflow> {
        let mut acc = start::<CHECKED>(self.bias_term, self.shifts);
        for (&weight, &feature) in self.weights.iter().zip(features::<D>(x)) {
            acc = add_term::<CHECKED>(acc, i64::from(weight) * i64::from(feature))?;
        }
        Ok(biased::<CHECKED>(acc, self.shifts))
    }
}

impl<const D: usize, const CHECKED: bool> FixedAffine<D, CHECKED> {
    /// `Some` for an affine model with exactly `D` features whose adds are
    /// checked exactly when `CHECKED` (`Model::accumulator_cannot_overflow`).
    pub(crate) fn new(model: &Model<'_>, shifts: Shifts) -> Option<Self> {
        if model.kind() != ModelKind::Affine
            || model.n_features() as usize != D
            || model.accumulator_cannot_overflow == CHECKED
        {
            return None;
        }
        Some(FixedAffine { weights: model.weights().try_into().ok()?, bias_term: model.bias_term, shifts })
    }
}

/// The full expansion of degree 2 or 3 (`Model::full_degree`) for a feature
/// count `D ≤ 8` known at compile time, `T` terms: `D + D(D+1)/2` (degree 2)
/// or that plus `D(D+1)(D+2)/6` (degree 3). Every loop unrolls completely:
/// the `z` values stay in registers, every weight is a load at a constant
/// offset, and no loop control or index arithmetic is left per term.
///
/// Each pair product `round_shift(z_a·z_b, F)` is computed once and used for
/// the pair's term and for every triple `(a, b, c)`, whose monomial the spec
/// defines as `round_shift(round_shift(z_a·z_b, F)·z_c, F)`: the same values.
/// With unchecked adds (the accumulator bound proves that no partial sum in
/// any order overflows) the triples of a pair follow it directly, so the
/// pair product never leaves its register; the sum is the same in any order.
/// Checked adds keep the spec's order (linear, pairs, triples), so an
/// overflow is reported exactly where the spec says.
pub(crate) struct FixedPolynomial<const D: usize, const T: usize, const CHECKED: bool> {
    inv_std: [i32; D],
    offsets: [i64; D],
    weights: [i32; T],
    bias_term: i64,
    clip: i32,
    shifts: Shifts,
}

impl<const D: usize, const T: usize, const CHECKED: bool> FixedPolynomial<D, T, CHECKED> {
    const PAIRS: usize = D * (D + 1) / 2;
    /// Degree 3 (else 2).
    const CUBIC: bool = T > D + Self::PAIRS;

    /// `Some` for a full expansion of degree 2 or 3 with exactly `D` features
    /// and `T` terms, whose adds are checked exactly when `CHECKED`.
    pub(crate) fn new(model: &Model<'_>, shifts: Shifts) -> Option<Self> {
        const {
            assert!(D <= 8);
            assert!(T == D + Self::PAIRS || T == D + Self::PAIRS + D * (D + 1) * (D + 2) / 6);
        };
        let degree = if Self::CUBIC { 3 } else { 2 };
        if model.full_degree != Some(degree)
            || model.n_features() as usize != D
            || model.accumulator_cannot_overflow == CHECKED
        {
            return None;
        }
        let scratch = PolynomialScratch::new(model);
        Some(FixedPolynomial {
            inv_std: model.inv_std().try_into().ok()?,
            offsets: scratch.offsets[..D].try_into().ok()?,
            weights: model.weights().try_into().ok()?,
            bias_term: model.bias_term,
            clip: model.z_clip(),
            shifts,
        })
    }
}

/// The pair and triple terms of one sample, added to `acc` in the order
/// they are called: weights in graded order, the k-th pair's at `D + k`, the
/// triples' from `D + D(D+1)/2` on, in the order of their pairs.
struct GradedTerms<'a, const T: usize, const CHECKED: bool> {
    acc: i64,
    weights: &'a [i32; T],
    pair_weight: usize,
    triple_weight: usize,
    shifts: Shifts,
    /// The model has triples (a constant where it is built).
    cubic: bool,
}

impl<const T: usize, const CHECKED: bool> GradedTerms<'_, T, CHECKED> {
    /// Unchecked sums only: passes `acc` through `black_box` (a store and a
    /// load), at the start of each row `a` of pairs (`pair_group = false`)
    /// for degree 2 and at each pair for degree 3. Without such a fence LLVM
    /// reassociates the long chain of unchecked adds and keeps dozens of
    /// products alive at once, spilled to the stack: measured on rv32 for
    /// d = 7, 764 instructions a sample at degree 2 without fences, 720
    /// with one per row, 800 with one per pair; at degree 3, 2,371 without,
    /// 2,240 per row, 2,067 per pair. Checked adds branch after every term,
    /// which already keeps the order.
    #[inline(always)]
    fn fence(&mut self, pair_group: bool) {
        if !CHECKED && pair_group == self.cubic {
            self.acc = core::hint::black_box(self.acc);
        }
    }

    /// Adds the next pair's term; returns its monomial `round_shift(z_a·z_b, F)`
    /// (an `i32` value, see [`Shifts::round_to_i32`]).
    #[inline(always)]
    fn pair(&mut self, za: i32, zb: i32) -> Result<i64, AccumulatorOverflow> {
        let monomial = self.shifts.round_to_i32(i64::from(za) * i64::from(zb));
        self.acc = add_term::<CHECKED>(self.acc, i64::from(self.weights[self.pair_weight]) * monomial)?;
        self.pair_weight += 1;
        Ok(monomial)
    }

    /// Adds the next triple's term, `round_shift(pair·z_c, F)` with `pair`
    /// the monomial of its leading pair: the spec's
    /// `round_shift(round_shift(z_a·z_b, F)·z_c, F)`.
    #[inline(always)]
    fn triple(&mut self, pair: i64, zc: i32) -> Result<(), AccumulatorOverflow> {
        let monomial = self.shifts.round_to_i32(pair * i64::from(zc));
        self.acc = add_term::<CHECKED>(self.acc, i64::from(self.weights[self.triple_weight]) * monomial)?;
        self.triple_weight += 1;
        Ok(())
    }
}

/// Straight-line code over every pair `a ≤ b` of the listed feature indices
/// in lexicographic order, each followed by its triples `(a, b, c)`, `c = b,
/// b+1, …`: the graded order of the pairs and of the triples. With `pairs`
/// `true` it adds each pair's term (`$terms.pair`, the monomial kept in
/// `$pair[a][b]`), with `triples` `true` each triple's (`$terms.triple`),
/// and it places the fences ([`GradedTerms::fence`]).
/// A macro rather than loops: LLVM does not fully unroll the triple loop
/// nest (84 triples for d = 7), and only straight-line code keeps the `z`
/// values and the pair monomial in registers with no index arithmetic.
macro_rules! graded_terms {
    ($terms:ident, $pair:ident, $z:ident, $pairs:tt, $triples:tt; $($index:tt)*) => {
        graded_terms!(@a $terms, $pair, $z, $pairs, $triples; [$($index)*]);
    };
    (@a $terms:ident, $pair:ident, $z:ident, $pairs:tt, $triples:tt; []) => {};
    (@a $terms:ident, $pair:ident, $z:ident, $pairs:tt, $triples:tt; [$a:tt $($rest:tt)*]) => {
        $terms.fence(false);
        graded_terms!(@b $terms, $pair, $z, $pairs, $triples; $a; [$a $($rest)*]);
        graded_terms!(@a $terms, $pair, $z, $pairs, $triples; [$($rest)*]);
    };
    (@b $terms:ident, $pair:ident, $z:ident, $pairs:tt, $triples:tt; $a:tt; []) => {};
    (@b $terms:ident, $pair:ident, $z:ident, $pairs:tt, $triples:tt; $a:tt; [$b:tt $($rest:tt)*]) => {
        graded_terms!(@pair $pairs, $terms, $pair, $z; $a, $b);
        graded_terms!(@c $terms, $pair, $z, $triples; $a, $b; [$b $($rest)*]);
        graded_terms!(@b $terms, $pair, $z, $pairs, $triples; $a; [$($rest)*]);
    };
    (@c $terms:ident, $pair:ident, $z:ident, $triples:tt; $a:tt, $b:tt; []) => {};
    (@c $terms:ident, $pair:ident, $z:ident, $triples:tt; $a:tt, $b:tt; [$c:tt $($rest:tt)*]) => {
        graded_terms!(@triple $triples, $terms, $pair, $z; $a, $b, $c);
        graded_terms!(@c $terms, $pair, $z, $triples; $a, $b; [$($rest)*]);
    };
    (@pair true, $terms:ident, $pair:ident, $z:ident; $a:tt, $b:tt) => {
        $terms.fence(true);
        $pair[$a][$b] = $terms.pair($z[$a], $z[$b])?;
    };
    (@pair false, $terms:ident, $pair:ident, $z:ident; $a:tt, $b:tt) => {};
    (@triple true, $terms:ident, $pair:ident, $z:ident; $a:tt, $b:tt, $c:tt) => {
        $terms.triple($pair[$a][$b], $z[$c])?;
    };
    (@triple false, $terms:ident, $pair:ident, $z:ident; $a:tt, $b:tt, $c:tt) => {};
}

/// The accumulator of [`FixedPolynomial`] for each `D`, its feature indices listed.
macro_rules! fixed_polynomial_accumulator {
    ($($d:literal => [$($index:tt)*]),*) => {$(
        impl<const T: usize, const CHECKED: bool> SampleAccumulator for FixedPolynomial<$d, T, CHECKED> {
            // Degree 2 keeps the pair monomials without reading them back.
            #[allow(unused_assignments)]
            #[inline(always)]
            fn accumulate(&mut self, x: &[i32]) -> Result<i64, AccumulatorOverflow> {
                let x = features::<$d>(x);
                let s = self.shifts;
                let mut z = [0i32; $d];
                let features = x.iter().zip(&self.inv_std).zip(&self.offsets);
                for (z, ((&feature, &inv_std), &offset)) in z.iter_mut().zip(features) {
                    // As in polynomial_accumulator: round_shift((x − mean)·inv_std, F)
                    // is (x·inv_std − offset) >> F, then clipped.
                    *z = s.shr_clamp(i64::from(feature) * i64::from(inv_std) - offset, self.clip);
                }
                let mut acc = start::<CHECKED>(self.bias_term, s);
                for (&weight, &za) in self.weights[..$d].iter().zip(&z) {
                    acc = add_term::<CHECKED>(acc, i64::from(weight) * i64::from(za))?;
                }
                let mut terms = GradedTerms::<T, CHECKED> {
                    acc,
                    weights: &self.weights,
                    pair_weight: $d,
                    triple_weight: $d + Self::PAIRS,
                    shifts: s,
                    cubic: Self::CUBIC,
                };
                let mut pair = [[0i64; $d]; $d];
                if !CHECKED {
                    // Each pair, then its triples: the pair monomial stays in
                    // a register (any order gives the same sum).
                    if Self::CUBIC {
                        graded_terms!(terms, pair, z, true, true; $($index)*);
                    } else {
                        graded_terms!(terms, pair, z, true, false; $($index)*);
                    }
                    return Ok(terms.acc);
                }
                // The spec's order: every pair, then every triple.
                graded_terms!(terms, pair, z, true, false; $($index)*);
                if Self::CUBIC {
                    graded_terms!(terms, pair, z, false, true; $($index)*);
                }
                Ok(biased::<true>(terms.acc, s))
            }
        }
    )*};
}

fixed_polynomial_accumulator!(
    1 => [0],
    2 => [0 1],
    3 => [0 1 2],
    4 => [0 1 2 3],
    5 => [0 1 2 3 4],
    6 => [0 1 2 3 4 5],
    7 => [0 1 2 3 4 5 6],
    8 => [0 1 2 3 4 5 6 7]
);

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
        let start = model.bias_term;
        let acc = match (&mut self.scratch, model.accumulator_cannot_overflow) {
            (None, true) => affine_accumulator::<false>(model, start, x),
            (None, false) => affine_accumulator::<true>(model, start, x),
            (Some(scratch), true) => polynomial_accumulator::<false>(model, scratch, start, x),
            (Some(scratch), false) => polynomial_accumulator::<true>(model, scratch, start, x),
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
