//! Parsing and validation of the guest input (spec: "Model section",
//! "Test-set section", "Guest input"). Everything is checked here, once, before
//! any sample is read; the parsed [`Model`] and [`TestSet`] are zero-copy views
//! into the input words and can only be built by these validating parsers, so
//! the inference can rely on their invariants.

use core::slice::ChunksExact;

use crate::error::Error;

/// Model section magic, bytes `ZMDL`.
pub const MODEL_MAGIC: u32 = 0x4C44_4D5A;
/// Test-set section magic, bytes `ZDST`.
pub const TESTSET_MAGIC: u32 = 0x5453_445A;
/// Guest input header magic, bytes `ZPIN`.
pub const INPUT_MAGIC: u32 = 0x4E49_505A;
/// The format version every section (and the public output) carries.
pub const FORMAT_VERSION: u32 = 1;
/// Smallest number of fraction bits `F`.
pub const MIN_FRAC_BITS: u32 = 1;
/// Largest number of fraction bits `F`.
pub const MAX_FRAC_BITS: u32 = 24;
/// Largest number of features `d`.
pub const MAX_FEATURES: usize = 64;
/// Largest number of model terms `T`.
pub const MAX_TERMS: usize = 1024;
/// Largest number of samples `n`.
pub const MAX_SAMPLES: u32 = 1 << 24;

const MODEL_HEADER_WORDS: usize = 8;
const TESTSET_HEADER_WORDS: usize = 5;

/// The model kind (model word 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ModelKind {
    /// Linear / ridge regression: `T = d`, term `j` is feature `j`.
    Affine,
    /// Polynomial ridge: standardize, clip, then multiply out the terms.
    Polynomial,
}

impl ModelKind {
    /// The kind for its word (`1` or `2`), if any.
    pub fn from_word(word: u32) -> Option<Self> {
        match word {
            1 => Some(ModelKind::Affine),
            2 => Some(ModelKind::Polynomial),
            _ => None,
        }
    }

    /// The kind's word in the model section and the public output.
    pub fn word(self) -> u32 {
        match self {
            ModelKind::Affine => 1,
            ModelKind::Polynomial => 2,
        }
    }
}

/// The 4-word guest input header: `magic, version, model_words, testset_words`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InputHeader {
    /// Length of the model section in words.
    pub model_words: u32,
    /// Length of the test-set section in words.
    pub testset_words: u32,
}

impl InputHeader {
    /// Length of the header in words.
    pub const WORDS: usize = 4;

    /// Parses and checks the header from the first [`Self::WORDS`] words of
    /// `words` (the rest is ignored, so a guest can call this on the header
    /// alone before its bulk read of the body).
    pub fn parse(words: &[u32]) -> Result<Self, Error> {
        let header = section_header(words, INPUT_MAGIC, Self::WORDS)?;
        Ok(InputHeader { model_words: header[2], testset_words: header[3] })
    }

    /// Number of words after the header: `model_words + testset_words`
    /// (saturating, so an absurd header fails on allocation or length check).
    pub fn body_words(&self) -> usize {
        (self.model_words as usize).saturating_add(self.testset_words as usize)
    }
}

/// The degree `g` (2 or 3) when `terms` are exactly every monomial of degree
/// 1 to `g` over `d` features in graded lexicographic order (`(1,0)…(1,d−1)`,
/// then `(2,a,b)` for `a ≤ b`, then `(3,a,b,c)` for `a ≤ b ≤ c`): what the
/// exporter writes. `None` for every other layout.
fn full_expansion_degree(terms: &[u32], d: u32) -> Option<u32> {
    let linear = (0..d).map(|a| 1 | a << 8);
    let pairs = (0..d).flat_map(|a| (a..d).map(move |b| 2 | a << 8 | b << 16));
    let triples = (0..d).flat_map(|a| (a..d).flat_map(move |b| (b..d).map(move |c| 3 | a << 8 | b << 16 | c << 24)));
    let (n_pairs, n_triples) = (d * (d + 1) / 2, d * (d + 1) * (d + 2) / 6);
    let matches = |want: &mut dyn Iterator<Item = u32>| want.zip(terms).all(|(want, &got)| want == got);
    if terms.len() == (d + n_pairs) as usize && matches(&mut linear.clone().chain(pairs.clone())) {
        Some(2)
    } else if terms.len() == (d + n_pairs + n_triples) as usize && matches(&mut linear.chain(pairs).chain(triples)) {
        Some(3)
    } else {
        None
    }
}

/// A validated model section: a view into the input words.
#[derive(Clone, Copy, Debug)]
pub struct Model<'a> {
    words: &'a [u32],
    kind: ModelKind,
    frac_bits: u32,
    n_features: u32,
    z_clip: i32,
    bias: i32,
    mean: &'a [i32],
    inv_std: &'a [i32],
    terms: &'a [u32],
    weights: &'a [i32],
    /// `bias · 2^F`, the accumulator's start value.
    pub(crate) bias_term: i64,
    /// True when `|bias|·2^F + Σ|w_t|·max|m_t| ≤ i64::MAX`: then no partial sum
    /// can overflow for any input, and the per-term overflow checks (which can
    /// never fire) are skipped. Results and errors are identical either way.
    pub(crate) accumulator_cannot_overflow: bool,
    /// `g` (2 or 3) when the terms are exactly every monomial of degree 1 to
    /// `g` in graded lexicographic order (what the exporter writes): the
    /// inference then walks the pairs and triples directly instead of
    /// decoding each term. Same monomials, so identical results and errors.
    pub(crate) full_degree: Option<u32>,
}

impl<'a> Model<'a> {
    /// Parses and validates a model section that is exactly `words` long.
    pub fn parse(words: &'a [u32]) -> Result<Self, Error> {
        let header = section_header(words, MODEL_MAGIC, MODEL_HEADER_WORDS)?;
        let (kind, frac_bits, n_features, n_terms) = (header[2], header[3], header[4], header[5]);
        let (z_clip, bias) = (header[6] as i32, header[7] as i32);
        let kind = ModelKind::from_word(kind).ok_or(Error::BadKind)?;
        if !(MIN_FRAC_BITS..=MAX_FRAC_BITS).contains(&frac_bits)
            || !(1..=MAX_FEATURES as u32).contains(&n_features)
            || !(1..=MAX_TERMS as u32).contains(&n_terms)
        {
            return Err(Error::BadDimensions);
        }

        let d = n_features as usize;
        let t = n_terms as usize;
        let stats_words = match kind {
            ModelKind::Affine => 0,
            ModelKind::Polynomial => 2 * d,
        };
        let body = &words[MODEL_HEADER_WORDS..];
        check_exact_len(body.len(), stats_words + 2 * t)?;
        let (stats, body) = body.split_at(stats_words);
        let (mean, inv_std) = stats.split_at(stats_words / 2);
        let (terms, weights) = body.split_at(t);

        let mut model = Model {
            words,
            kind,
            frac_bits,
            n_features,
            z_clip,
            bias,
            mean: bytemuck::cast_slice(mean),
            inv_std: bytemuck::cast_slice(inv_std),
            terms,
            weights: bytemuck::cast_slice(weights),
            bias_term: i64::from(bias) << frac_bits,
            accumulator_cannot_overflow: false,
            full_degree: None,
        };
        // Every term is well formed (degree 1..=3, indices < d and
        // non-decreasing, unused bytes 0) whatever the kind.
        let mut degrees_present = [false; 4];
        for &term in terms {
            degrees_present[check_term(term, n_features)? as usize] = true;
        }
        match kind {
            ModelKind::Affine => model.validate_affine()?,
            ModelKind::Polynomial => model.validate_polynomial(degrees_present)?,
        }
        Ok(model)
    }

    /// Affine: `T = d`, term `j` is exactly `(1, j)`, `z_clip = 0`.
    fn validate_affine(&mut self) -> Result<(), Error> {
        if self.terms.len() != self.n_features as usize {
            return Err(Error::BadDimensions);
        }
        for (j, &term) in self.terms.iter().enumerate() {
            if term != 1 | (j as u32) << 8 {
                return Err(Error::BadTerm);
            }
        }
        // The spec's table says "0 for affine" without naming an error; the
        // TypeScript reference raises BadDimensions, so both sides agree.
        if self.z_clip != 0 {
            return Err(Error::BadDimensions);
        }
        // Features are raw i32 inputs: |x| ≤ 2^31.
        self.accumulator_cannot_overflow = self.accumulator_bound(|_| 1 << 31) <= i64::MAX as u128;
        Ok(())
    }

    /// Polynomial: the `z_clip` bound.
    fn validate_polynomial(&mut self, degrees_present: [bool; 4]) -> Result<(), Error> {
        // 0 < z_clip and z_clip^g ≤ 2^(30 + (g-1)·F) for every degree g present
        // (z_clip < 2^31 and g ≤ 3, so z_clip^g < 2^93: exact in u128).
        if self.z_clip <= 0 {
            return Err(Error::ZClipTooLarge);
        }
        let z_clip = u128::from(self.z_clip as u32);
        for degree in 1..=3u32 {
            if degrees_present[degree as usize] && z_clip.pow(degree) > 1u128 << (30 + (degree - 1) * self.frac_bits) {
                return Err(Error::ZClipTooLarge);
            }
        }

        // Largest |m| per degree: |z| ≤ z_clip, and |round_shift(v, F)| ≤
        // (V + 2^(F-1)) >> F for |v| ≤ V.
        let f = self.frac_bits;
        let half = 1u128 << (f - 1);
        let bound1 = z_clip;
        let bound2 = (bound1 * z_clip + half) >> f;
        let bound3 = (bound2 * z_clip + half) >> f;
        let bounds = [0, bound1, bound2, bound3];
        self.accumulator_cannot_overflow =
            self.accumulator_bound(|term| bounds[(term & 0xFF) as usize]) <= i64::MAX as u128;
        self.full_degree = full_expansion_degree(self.terms, self.n_features);
        Ok(())
    }

    /// An upper bound on |acc| (and every partial sum of it) for any input:
    /// `|bias|·2^F + Σ_t |w_t| · monomial_bound(term_t)`. At most
    /// `2^55 + 1024·2^31·2^31 < 2^73`, so it cannot overflow u128.
    fn accumulator_bound(&self, monomial_bound: impl Fn(u32) -> u128) -> u128 {
        let bias = u128::from(self.bias.unsigned_abs()) << self.frac_bits;
        self.terms
            .iter()
            .zip(self.weights)
            .fold(bias, |sum, (&term, &weight)| sum + u128::from(weight.unsigned_abs()) * monomial_bound(term))
    }

    /// The whole section, whose SHA-256 is the model commitment.
    pub fn words(&self) -> &'a [u32] {
        self.words
    }
    /// Affine or polynomial.
    pub fn kind(&self) -> ModelKind {
        self.kind
    }
    /// `F`, the fraction bits of every fixed-point value.
    pub fn frac_bits(&self) -> u32 {
        self.frac_bits
    }
    /// `d`, the number of features.
    pub fn n_features(&self) -> u32 {
        self.n_features
    }
    /// `Q(F)` clip of the standardized features (polynomial; `0` for affine).
    pub fn z_clip(&self) -> i32 {
        self.z_clip
    }
    /// `Q(F)` bias.
    pub fn bias(&self) -> i32 {
        self.bias
    }
    /// `Q(F)` feature means (polynomial; empty for affine).
    pub fn mean(&self) -> &'a [i32] {
        self.mean
    }
    /// `Q(F)` inverse standard deviations (polynomial; empty for affine).
    pub fn inv_std(&self) -> &'a [i32] {
        self.inv_std
    }
    /// The `T` term words (degree, then feature indices).
    pub fn terms(&self) -> &'a [u32] {
        self.terms
    }
    /// The `T` `Q(F)` weights.
    pub fn weights(&self) -> &'a [i32] {
        self.weights
    }
}

/// Feature index in byte `slot` (1..=3) of a term word. The `& 63` mask is a
/// no-op on validated terms (indices < d ≤ 64); it lets the compiler drop the
/// bounds checks on the 64-entry scratch arrays in the inference loop.
#[inline(always)]
pub(crate) fn term_index(term: u32, slot: u32) -> usize {
    ((term >> (8 * slot)) & 63) as usize
}

/// Checks one term word: degree 1..=3, its `degree` indices `< d` and
/// non-decreasing, unused bytes 0. Returns the degree.
fn check_term(term: u32, n_features: u32) -> Result<u32, Error> {
    let degree = term & 0xFF;
    if !(1..=3).contains(&degree) {
        return Err(Error::BadTerm);
    }
    let mut previous = 0;
    for slot in 1..=3 {
        let index = (term >> (8 * slot)) & 0xFF;
        let valid = if slot <= degree { index < n_features && index >= previous } else { index == 0 };
        if !valid {
            return Err(Error::BadTerm);
        }
        previous = index;
    }
    Ok(degree)
}

/// The first `len` words of a section, checking its magic and version. The
/// order (magic and version before the rest of the header) follows the
/// TypeScript reference, so that both sides name the same error.
fn section_header(words: &[u32], magic: u32, len: usize) -> Result<&[u32], Error> {
    if words.len() < 2 {
        return Err(Error::Truncated);
    }
    if words[0] != magic {
        return Err(Error::BadMagic);
    }
    if words[1] != FORMAT_VERSION {
        return Err(Error::BadVersion);
    }
    words.get(..len).ok_or(Error::Truncated)
}

/// `Truncated` if a section has fewer words than its header declares,
/// `TrailingBytes` if it has more.
fn check_exact_len(actual: usize, expected: usize) -> Result<(), Error> {
    match actual.cmp(&expected) {
        core::cmp::Ordering::Less => Err(Error::Truncated),
        core::cmp::Ordering::Greater => Err(Error::TrailingBytes),
        core::cmp::Ordering::Equal => Ok(()),
    }
}

/// A validated test-set section: a view into the input words.
#[derive(Clone, Copy, Debug)]
pub struct TestSet<'a> {
    words: &'a [u32],
    n_samples: u32,
    n_features: u32,
    frac_bits: u32,
    rows: &'a [i32],
}

impl<'a> TestSet<'a> {
    /// Parses and validates a test-set section that is exactly `words` long.
    /// Whether it fits a model is [`TestSet::check_matches`].
    pub fn parse(words: &'a [u32]) -> Result<Self, Error> {
        let header = section_header(words, TESTSET_MAGIC, TESTSET_HEADER_WORDS)?;
        let (n_samples, n_features, frac_bits) = (header[2], header[3], header[4]);
        if !(1..=MAX_SAMPLES).contains(&n_samples) || !(1..=MAX_FEATURES as u32).contains(&n_features) {
            return Err(Error::BadDimensions);
        }
        // n ≤ 2^24 and d + 1 ≤ 65: the row words fit u32, hence usize.
        let row_words = n_samples as usize * (n_features as usize + 1);
        let rows = &words[TESTSET_HEADER_WORDS..];
        check_exact_len(rows.len(), row_words)?;
        Ok(TestSet { words, n_samples, n_features, frac_bits, rows: bytemuck::cast_slice(rows) })
    }

    /// `ModelDataMismatch` unless the test set has the model's `d` and `F`.
    pub fn check_matches(&self, model: &Model<'_>) -> Result<(), Error> {
        if self.n_features != model.n_features || self.frac_bits != model.frac_bits {
            return Err(Error::ModelDataMismatch);
        }
        Ok(())
    }

    /// The whole section, whose SHA-256 is the data commitment.
    pub fn words(&self) -> &'a [u32] {
        self.words
    }
    /// `n`, the number of samples.
    pub fn n_samples(&self) -> u32 {
        self.n_samples
    }
    /// `d`, the number of features.
    pub fn n_features(&self) -> u32 {
        self.n_features
    }
    /// `F`, the fraction bits.
    pub fn frac_bits(&self) -> u32 {
        self.frac_bits
    }
    /// All rows, flat: `n` times `x[0..d], y`.
    pub fn rows(&self) -> &'a [i32] {
        self.rows
    }
    /// The samples as `(x, y)`, with `x` the `d` features and `y` the target.
    pub fn samples(&self) -> Samples<'a> {
        Samples { rows: self.rows.chunks_exact(self.n_features as usize + 1) }
    }
}

/// Iterator over a test set's `(x, y)` samples.
#[derive(Clone, Debug)]
pub struct Samples<'a> {
    rows: ChunksExact<'a, i32>,
}

impl<'a> Iterator for Samples<'a> {
    type Item = (&'a [i32], i32);

    #[inline(always)]
    fn next(&mut self) -> Option<Self::Item> {
        // Rows are d + 1 ≥ 2 words long, so split_last never fails.
        self.rows.next().and_then(|row| row.split_last()).map(|(&y, x)| (x, y))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.rows.size_hint()
    }
}

impl ExactSizeIterator for Samples<'_> {}

/// Parses and validates a whole guest input (`header ‖ model.bin ‖
/// testset.bin`), before any sample is read.
pub fn parse_input(words: &[u32]) -> Result<(Model<'_>, TestSet<'_>), Error> {
    let header = InputHeader::parse(words)?;
    let body = &words[InputHeader::WORDS..];
    let declared = u64::from(header.model_words) + u64::from(header.testset_words);
    match (body.len() as u64).cmp(&declared) {
        core::cmp::Ordering::Less => return Err(Error::Truncated),
        core::cmp::Ordering::Greater => return Err(Error::TrailingBytes),
        core::cmp::Ordering::Equal => {}
    }
    let (model_words, testset_words) = body.split_at(header.model_words as usize);
    let model = Model::parse(model_words)?;
    let testset = TestSet::parse(testset_words)?;
    testset.check_matches(&model)?;
    Ok((model, testset))
}

#[cfg(test)]
mod full_expansion_tests {
    use super::full_expansion_degree;

    #[test]
    fn detects_exactly_the_graded_degree_two_and_three_layouts() {
        let t = |g: u32, a: u32, b: u32, c: u32| g | a << 8 | b << 16 | c << 24;
        let full = [t(1, 0, 0, 0), t(1, 1, 0, 0), t(2, 0, 0, 0), t(2, 0, 1, 0), t(2, 1, 1, 0)];
        assert_eq!(full_expansion_degree(&full, 2), Some(2));
        assert_eq!(full_expansion_degree(&full[..4], 2), None, "a missing pair");
        assert_eq!(full_expansion_degree(&[full[1], full[0], full[2], full[3], full[4]], 2), None, "another order");
        assert_eq!(full_expansion_degree(&full, 3), None, "another d");
        assert_eq!(full_expansion_degree(&[t(1, 0, 0, 0), t(2, 0, 0, 0)], 1), Some(2));
        let triples = [t(3, 0, 0, 0), t(3, 0, 0, 1), t(3, 0, 1, 1), t(3, 1, 1, 1)];
        let mut cubic = [0; 9];
        cubic[..5].copy_from_slice(&full);
        cubic[5..].copy_from_slice(&triples);
        assert_eq!(full_expansion_degree(&cubic, 2), Some(3));
        assert_eq!(full_expansion_degree(&cubic[..8], 2), None, "a missing triple");
        let mut swapped = cubic;
        swapped.swap(6, 7);
        assert_eq!(full_expansion_degree(&swapped, 2), None, "triples out of order");
        assert_eq!(full_expansion_degree(&[t(1, 0, 0, 0), t(2, 0, 0, 0), t(3, 0, 0, 0)], 1), Some(3));
        assert_eq!(full_expansion_degree(&full[..2], 2), None, "linear terms only");
    }
}
