//! Test helpers: build sections from fields, and a literal (slow, i128)
//! reference implementation of the spec's inference and scoring to compare
//! the optimized core against.
#![allow(dead_code)]

pub const MODEL_MAGIC: u32 = 0x4C44_4D5A;
pub const TESTSET_MAGIC: u32 = 0x5453_445A;
pub const INPUT_MAGIC: u32 = 0x4E49_505A;

/// A model section's fields, serialized by [`ModelFields::words`].
#[derive(Clone, Debug)]
pub struct ModelFields {
    pub magic: u32,
    pub version: u32,
    pub kind: u32,
    pub frac_bits: u32,
    pub n_features: u32,
    pub n_terms: u32,
    pub z_clip: i32,
    pub bias: i32,
    pub mean: Vec<i32>,
    pub inv_std: Vec<i32>,
    pub terms: Vec<u32>,
    pub weights: Vec<i32>,
}

/// A term word from its feature indices (degree = number of indices).
pub fn term(indices: &[u8]) -> u32 {
    let mut word = indices.len() as u32;
    for (slot, &index) in indices.iter().enumerate() {
        word |= u32::from(index) << (8 * (slot + 1));
    }
    word
}

impl ModelFields {
    pub fn affine(frac_bits: u32, bias: i32, weights: Vec<i32>) -> Self {
        let d = weights.len() as u32;
        ModelFields {
            magic: MODEL_MAGIC,
            version: 1,
            kind: 1,
            frac_bits,
            n_features: d,
            n_terms: d,
            z_clip: 0,
            bias,
            mean: vec![],
            inv_std: vec![],
            terms: (0..d as u8).map(|j| term(&[j])).collect(),
            weights,
        }
    }

    pub fn polynomial(
        frac_bits: u32,
        z_clip: i32,
        bias: i32,
        mean: Vec<i32>,
        inv_std: Vec<i32>,
        terms: Vec<u32>,
        weights: Vec<i32>,
    ) -> Self {
        ModelFields {
            magic: MODEL_MAGIC,
            version: 1,
            kind: 2,
            frac_bits,
            n_features: mean.len() as u32,
            n_terms: terms.len() as u32,
            z_clip,
            bias,
            mean,
            inv_std,
            terms,
            weights,
        }
    }

    pub fn words(&self) -> Vec<u32> {
        let mut w = vec![
            self.magic,
            self.version,
            self.kind,
            self.frac_bits,
            self.n_features,
            self.n_terms,
            self.z_clip as u32,
            self.bias as u32,
        ];
        w.extend(self.mean.iter().map(|&v| v as u32));
        w.extend(self.inv_std.iter().map(|&v| v as u32));
        w.extend(&self.terms);
        w.extend(self.weights.iter().map(|&v| v as u32));
        w
    }
}

/// A test-set section with the given header fields and rows (`x..., y`).
pub fn testset_words(n_features: u32, frac_bits: u32, rows: &[Vec<i32>]) -> Vec<u32> {
    let mut w = vec![TESTSET_MAGIC, 1, rows.len() as u32, n_features, frac_bits];
    for row in rows {
        w.extend(row.iter().map(|&v| v as u32));
    }
    w
}

/// `header ‖ model ‖ testset`.
pub fn input_words(model: &[u32], testset: &[u32]) -> Vec<u32> {
    let mut w = vec![INPUT_MAGIC, 1, model.len() as u32, testset.len() as u32];
    w.extend(model);
    w.extend(testset);
    w
}

/// Little-endian bytes of words.
pub fn words_to_bytes(words: &[u32]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_le_bytes()).collect()
}

/// xorshift64*: deterministic pseudo-random numbers for generated cases.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform-ish in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next_u64() % ((hi - lo) as u64 + 1)) as i64
    }
}

// ---- literal reference implementation (i128, spec formulas as written) ----

#[derive(Debug, PartialEq, Eq)]
pub enum RefError {
    AccumulatorOverflow(u32),
    PredictionOverflow(u32),
}

pub fn ref_round_shift(v: i128, f: u32) -> i128 {
    (v + (1i128 << (f - 1))) >> f
}

fn fits_i64(v: i128) -> bool {
    i128::from(i64::MIN) <= v && v <= i128::from(i64::MAX)
}

/// ŷ per the spec, every accumulator addition checked against the i64 range.
pub fn ref_predict(m: &ModelFields, x: &[i32], sample: u32) -> Result<i32, RefError> {
    let f = m.frac_bits;
    let monomials: Vec<i128> = if m.kind == 1 {
        x.iter().map(|&v| i128::from(v)).collect()
    } else {
        let clip = i128::from(m.z_clip);
        let z: Vec<i128> = (0..x.len())
            .map(|j| {
                let v = (i128::from(x[j]) - i128::from(m.mean[j])) * i128::from(m.inv_std[j]);
                ref_round_shift(v, f).clamp(-clip, clip)
            })
            .collect();
        m.terms
            .iter()
            .map(|&t| {
                let g = t & 0xFF;
                let idx = |slot: u32| ((t >> (8 * slot)) & 0xFF) as usize;
                match g {
                    1 => z[idx(1)],
                    2 => ref_round_shift(z[idx(1)] * z[idx(2)], f),
                    3 => ref_round_shift(ref_round_shift(z[idx(1)] * z[idx(2)], f) * z[idx(3)], f),
                    _ => unreachable!(),
                }
            })
            .collect()
    };
    let mut acc = i128::from(m.bias) << f;
    for (&w, &mono) in m.weights.iter().zip(&monomials) {
        assert!(fits_i64(mono) && i32::try_from(mono).is_ok(), "monomial outside i32");
        acc += i128::from(w) * mono;
        if !fits_i64(acc) {
            return Err(RefError::AccumulatorOverflow(sample));
        }
    }
    let y_hat = ref_round_shift(acc, f);
    i32::try_from(y_hat).map_err(|_| RefError::PredictionOverflow(sample))
}

/// (sse, sae, sum_y, sum_y2, mse, mae, r2) per the spec, with exact integers
/// (r2 None when it would overflow: ScoreOverflow).
pub fn ref_scores(y: &[i32], y_hat: &[i32], f: u32) -> (u128, u128, i64, u128, u64, u64, Option<i64>) {
    let n = y.len() as u128;
    let mut sse = 0u128;
    let mut sae = 0u128;
    let mut sum_y = 0i128;
    let mut sum_y2 = 0u128;
    for (&t, &p) in y.iter().zip(y_hat) {
        let e = i128::from(p) - i128::from(t);
        sse += (e * e) as u128;
        sae += e.unsigned_abs();
        sum_y += i128::from(t);
        sum_y2 += (i128::from(t) * i128::from(t)) as u128;
    }
    let round_div = |a: u128, b: u128| (a + b / 2) / b;
    let mse = round_div(sse, n << f) as u64;
    let mae = round_div(sae, n) as u64;
    let n_sst = n * sum_y2 - (sum_y * sum_y) as u128;
    let r2 = if n_sst == 0 {
        Some(i64::MIN)
    } else {
        (n_sst as i128).checked_sub((n as i128) * (sse as i128)).and_then(|v| v.checked_mul(1 << f)).and_then(|a| {
            let mag = (a.unsigned_abs() + n_sst / 2) / n_sst;
            let signed = if a < 0 { -(mag as i128) } else { mag as i128 };
            i64::try_from(signed).ok()
        })
    };
    (sse, sae, sum_y as i64, sum_y2, mse, mae, r2)
}
