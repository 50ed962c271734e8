//! Validation failures, hand-checked evaluations, overflow errors, and the
//! optimized inference against the literal reference on generated models.

mod common;

use common::*;
use zkml_core::{
    evaluate, parse_input, predict, predictions, Error, InputHeader, Model, PublicOutput, Sha256, SoftwareSha256,
    R2_UNDEFINED,
};

fn eval(words: &[u32]) -> Result<PublicOutput, Error> {
    evaluate::<SoftwareSha256>(words)
}

/// A valid affine model (F = 8, d = 2) and a small test set.
fn affine_case() -> (ModelFields, Vec<Vec<i32>>) {
    let model = ModelFields::affine(8, 256, vec![512, -128]); // y = 1 + 2·x0 − 0.5·x1
    let rows = vec![vec![256, 512, 1024], vec![0, 0, 256], vec![-256, 256, -512]];
    (model, rows)
}

/// A valid polynomial model (F = 8, d = 2, degrees 1..=3, graded order).
fn polynomial_case() -> (ModelFields, Vec<Vec<i32>>) {
    let terms = vec![
        term(&[0]),
        term(&[1]),
        term(&[0, 0]),
        term(&[0, 1]),
        term(&[1, 1]),
        term(&[0, 0, 0]),
        term(&[0, 0, 1]),
        term(&[0, 1, 1]),
        term(&[1, 1, 1]),
    ];
    let weights = vec![300, -200, 50, 25, -75, 10, -5, 7, 3];
    let model = ModelFields::polynomial(8, 3 << 8, 100, vec![128, -64], vec![256, 512], terms, weights);
    let rows = vec![
        vec![300, 100, 500],
        vec![-900, 2000, -100], // z clipped on both features
        vec![128, -64, 0],
        vec![0, 0, 17],
    ];
    (model, rows)
}

fn input_of(model: &ModelFields, rows: &[Vec<i32>]) -> Vec<u32> {
    input_words(&model.words(), &testset_words(model.n_features, model.frac_bits, rows))
}

/// Evaluates with the core and checks every field against the reference.
fn check_against_reference(model: &ModelFields, rows: &[Vec<i32>]) -> Result<PublicOutput, Error> {
    let input = input_of(model, rows);
    let result = eval(&input);
    let d = model.n_features as usize;
    let mut y_hat = vec![];
    for (i, row) in rows.iter().enumerate() {
        match ref_predict(model, &row[..d], i as u32) {
            Ok(p) => y_hat.push(p),
            Err(RefError::AccumulatorOverflow(s)) => {
                assert_eq!(result, Err(Error::AccumulatorOverflow { sample: s }));
                return result;
            }
            Err(RefError::PredictionOverflow(s)) => {
                assert_eq!(result, Err(Error::PredictionOverflow { sample: s }));
                return result;
            }
        }
    }
    let y: Vec<i32> = rows.iter().map(|r| r[d]).collect();
    let (sse, sae, sum_y, sum_y2, mse, mae, r2) = ref_scores(&y, &y_hat, model.frac_bits);
    let Some(r2) = r2 else {
        assert_eq!(result, Err(Error::ScoreOverflow));
        return result;
    };
    let out = result.expect("reference accepted the input");
    assert_eq!((out.sse, out.sae, out.sum_y, out.sum_y2), (sse, sae, sum_y, sum_y2));
    assert_eq!((out.mse, out.mae, out.r2), (mse, mae, r2));
    // Per-sample predictions agree too.
    let (m, t) = parse_input(&input).unwrap();
    let got: Vec<i32> = predictions(&m, &t).map(Result::unwrap).collect();
    assert_eq!(got, y_hat);
    Ok(out)
}

#[test]
fn affine_hand_computed() {
    let (model, rows) = affine_case();
    let out = check_against_reference(&model, &rows).unwrap();
    // ŷ = 1 + 2·1 − 0.5·2 = 2 (512), 1 (256), 1 − 2 − 0.5 = −1.5 → round half up → −1.5·256 = −384 exactly.
    let input = input_of(&model, &rows);
    let (m, t) = parse_input(&input).unwrap();
    let y_hat: Vec<i32> = predictions(&m, &t).map(Result::unwrap).collect();
    assert_eq!(y_hat, vec![512, 256, -384]);
    // e = −512, 0, 128 (Q8); sse Q16, sae Q8.
    assert_eq!(out.sse, 512 * 512 + 128 * 128);
    assert_eq!(out.sae, 640);
    assert_eq!(out.sum_y, 1024 + 256 - 512);
    assert_eq!(out.sum_y2, 1024 * 1024 + 256 * 256 + 512 * 512);
    assert_eq!(out.mae, 213); // 640 / 3 = 213.33
    assert_eq!(out.mse, 363); // 278528 / (3·256) = 362.67
                              // n_sst = 3·1376256 − 768² = 3538944; (n_sst − 3·278528)·256 / n_sst = 195.56
    assert_eq!(out.r2, 196);
    assert_eq!((out.kind, out.frac_bits, out.n_samples, out.n_features), (1, 8, 3, 2));
    let testset = testset_words(2, 8, &rows);
    assert_eq!(out.model_commitment, SoftwareSha256::digest(&words_to_bytes(&model.words())));
    assert_eq!(out.data_commitment, SoftwareSha256::digest(&words_to_bytes(&testset)));
    // Round trip through the public bytes.
    assert_eq!(PublicOutput::from_bytes(&out.to_bytes()), Ok(out));
}

#[test]
fn polynomial_hand_case_matches_reference() {
    let (model, rows) = polynomial_case();
    let out = check_against_reference(&model, &rows).unwrap();
    assert_eq!((out.kind, out.frac_bits, out.n_samples, out.n_features), (2, 8, 4, 2));
    // The same terms in a non-graded order (degree 3 before its pairs) use the
    // recomputing path and must give the same result.
    let mut shuffled = model.clone();
    shuffled.terms.reverse();
    shuffled.weights.reverse();
    let out2 = check_against_reference(&shuffled, &rows).unwrap();
    assert_eq!((out.sse, out.sae, out.r2, out.mse, out.mae), (out2.sse, out2.sae, out2.r2, out2.mse, out2.mae));
}

#[test]
fn polynomial_z_is_clipped_and_rounded() {
    // d = 1, F = 4, z = round_shift((x − 2)·3, 4) clipped at ±2 (Q4: 32), one term z.
    let model = ModelFields::polynomial(4, 32, 0, vec![2], vec![3], vec![term(&[0])], vec![16]);
    let input = input_of(&model, &[vec![10, 0]]);
    let (m, _) = parse_input(&input).unwrap();
    // (10−2)·3 = 24 → 24/16 = 1.5 → 2 (half up); weight 1.0 → ŷ = 2.
    assert_eq!(predict(&m, &[10]), Ok(2));
    // (−6−2)·3 = −24 → −1.5 → −1 (half up).
    assert_eq!(predict(&m, &[-6]), Ok(-1));
    // Far outside: clipped to ±32.
    assert_eq!(predict(&m, &[i32::MAX]), Ok(32));
    assert_eq!(predict(&m, &[i32::MIN]), Ok(-32));
    // Wrong number of features.
    assert_eq!(predict(&m, &[1, 2]), Err(Error::ModelDataMismatch));
}

#[test]
fn input_header_errors() {
    assert_eq!(eval(&[]), Err(Error::Truncated));
    assert_eq!(eval(&[INPUT_MAGIC]), Err(Error::Truncated));
    assert_eq!(eval(&[INPUT_MAGIC + 1, 1, 0, 0]), Err(Error::BadMagic));
    assert_eq!(eval(&[INPUT_MAGIC, 2, 0, 0]), Err(Error::BadVersion));
    assert_eq!(eval(&[INPUT_MAGIC, 1, 0]), Err(Error::Truncated));
    assert_eq!(InputHeader::parse(&[INPUT_MAGIC, 1, 10, 20]).map(|h| h.body_words()), Ok(30));

    let (model, rows) = affine_case();
    let mut input = input_of(&model, &rows);
    input.push(0);
    assert_eq!(eval(&input), Err(Error::TrailingBytes));
    input.truncate(input.len() - 2);
    assert_eq!(eval(&input), Err(Error::Truncated));
    // The header's split point is honoured: one word moved from the model to
    // the test set makes the model short and the test set long.
    let mut input = input_of(&model, &rows);
    input[2] -= 1;
    input[3] += 1;
    assert_eq!(eval(&input), Err(Error::Truncated));
    let mut input = input_of(&model, &rows);
    input[2] += 1;
    input[3] -= 1;
    assert_eq!(eval(&input), Err(Error::TrailingBytes));
}

/// Builds the input for `model` (modified by `edit`) with the affine rows.
fn model_error(model: &ModelFields, edit: impl FnOnce(&mut ModelFields)) -> Result<PublicOutput, Error> {
    let mut model = model.clone();
    edit(&mut model);
    let d = model.n_features.clamp(1, 64) as usize;
    let rows: Vec<Vec<i32>> = (0..3).map(|i| vec![i; d + 1]).collect();
    eval(&input_words(&model.words(), &testset_words(model.n_features, model.frac_bits, &rows)))
}

#[test]
fn model_header_errors() {
    let (affine, _) = affine_case();
    assert_eq!(model_error(&affine, |m| m.magic ^= 1), Err(Error::BadMagic));
    assert_eq!(model_error(&affine, |m| m.version = 2), Err(Error::BadVersion));
    assert_eq!(model_error(&affine, |m| m.version = 0), Err(Error::BadVersion));
    assert_eq!(model_error(&affine, |m| m.kind = 0), Err(Error::BadKind));
    assert_eq!(model_error(&affine, |m| m.kind = 3), Err(Error::BadKind));
    assert_eq!(model_error(&affine, |m| m.frac_bits = 0), Err(Error::BadDimensions));
    assert_eq!(model_error(&affine, |m| m.frac_bits = 25), Err(Error::BadDimensions));
    assert!(model_error(&affine, |m| m.frac_bits = 1).is_ok());
    assert!(model_error(&affine, |m| m.frac_bits = 24).is_ok());
    assert_eq!(model_error(&affine, |m| m.n_features = 0), Err(Error::BadDimensions));
    assert_eq!(model_error(&affine, |m| m.n_features = 65), Err(Error::BadDimensions));
    assert_eq!(model_error(&affine, |m| m.n_terms = 0), Err(Error::BadDimensions));
    assert_eq!(model_error(&affine, |m| m.n_terms = 1025), Err(Error::BadDimensions));
    // Section length against its header.
    assert_eq!(
        model_error(&affine, |m| {
            m.weights.pop();
        }),
        Err(Error::Truncated)
    );
    assert_eq!(model_error(&affine, |m| m.weights.push(1)), Err(Error::TrailingBytes));
    let (poly, _) = polynomial_case();
    assert_eq!(
        model_error(&poly, |m| {
            m.inv_std.pop();
        }),
        Err(Error::Truncated)
    );
    // A model shorter than its 8-word header.
    let mut short = affine.words();
    short.truncate(5);
    assert_eq!(eval(&input_words(&short, &testset_words(2, 8, &[vec![0, 0, 0]]))), Err(Error::Truncated));
}

#[test]
fn affine_term_errors() {
    let (affine, _) = affine_case();
    // T ≠ d for an affine model (all terms individually well formed).
    assert_eq!(
        model_error(&affine, |m| {
            m.terms.pop();
            m.weights.pop();
            m.n_terms = 1;
        }),
        Err(Error::BadDimensions)
    );
    assert_eq!(
        model_error(&affine, |m| {
            m.terms.push(term(&[0]));
            m.weights.push(1);
            m.n_terms = 3;
        }),
        Err(Error::BadDimensions)
    );
    // An extra term naming feature d is a bad term first.
    assert_eq!(
        model_error(&affine, |m| {
            m.terms.push(term(&[2]));
            m.weights.push(1);
            m.n_terms = 3;
        }),
        Err(Error::BadTerm)
    );
    assert_eq!(model_error(&affine, |m| m.terms.swap(0, 1)), Err(Error::BadTerm));
    assert_eq!(model_error(&affine, |m| m.terms[1] = term(&[0, 1])), Err(Error::BadTerm));
    assert_eq!(model_error(&affine, |m| m.terms[0] = 0), Err(Error::BadTerm));
    assert_eq!(model_error(&affine, |m| m.terms[0] |= 1 << 24), Err(Error::BadTerm));
    // z_clip must be 0 for affine models.
    assert_eq!(model_error(&affine, |m| m.z_clip = 1), Err(Error::BadDimensions));
    assert_eq!(model_error(&affine, |m| m.z_clip = -1), Err(Error::BadDimensions));
}

#[test]
fn polynomial_term_errors() {
    let (poly, _) = polynomial_case();
    assert!(model_error(&poly, |_| {}).is_ok());
    assert_eq!(model_error(&poly, |m| m.terms[0] = 0), Err(Error::BadTerm)); // degree 0
    assert_eq!(model_error(&poly, |m| m.terms[0] = 4), Err(Error::BadTerm)); // degree 4
    assert_eq!(model_error(&poly, |m| m.terms[1] = term(&[2])), Err(Error::BadTerm)); // index = d
    assert_eq!(model_error(&poly, |m| m.terms[3] = term(&[1, 0])), Err(Error::BadTerm)); // decreasing
    assert_eq!(model_error(&poly, |m| m.terms[6] = term(&[0, 1, 0])), Err(Error::BadTerm)); // decreasing
    assert_eq!(model_error(&poly, |m| m.terms[0] |= 1 << 16), Err(Error::BadTerm)); // unused byte
    assert_eq!(model_error(&poly, |m| m.terms[3] |= 1 << 24), Err(Error::BadTerm)); // unused byte
    assert_eq!(model_error(&poly, |m| m.terms[5] = term(&[0, 0, 255])), Err(Error::BadTerm));
}

/// Largest z with z^g ≤ 2^(30 + (g−1)·F).
fn max_z_clip(degree: u32, frac_bits: u32) -> i64 {
    let limit = 1u128 << (30 + (degree - 1) * frac_bits);
    let mut z = (limit as f64).powf(1.0 / degree as f64) as u128 + 2;
    while z.pow(degree) > limit {
        z -= 1;
    }
    z as i64
}

#[test]
fn z_clip_bounds() {
    let (poly, _) = polynomial_case(); // degrees 1, 2, 3 at F = 8
    assert_eq!(model_error(&poly, |m| m.z_clip = 0), Err(Error::ZClipTooLarge));
    assert_eq!(model_error(&poly, |m| m.z_clip = -5), Err(Error::ZClipTooLarge));
    assert_eq!(model_error(&poly, |m| m.z_clip = i32::MIN), Err(Error::ZClipTooLarge));
    for (degree, f) in [(1, 8), (2, 8), (3, 8), (1, 24), (2, 24), (3, 24), (2, 1), (3, 1), (3, 13)] {
        let idx: Vec<u8> = vec![0; degree as usize];
        let base = ModelFields::polynomial(f, 1, 0, vec![0], vec![1 << f.min(20)], vec![term(&idx)], vec![1]);
        let max = max_z_clip(degree, f);
        if max < i64::from(i32::MAX) {
            assert!(model_error(&base, |m| m.z_clip = max as i32).is_ok(), "degree {degree} F {f} z {max}");
            assert_eq!(
                model_error(&base, |m| m.z_clip = max as i32 + 1),
                Err(Error::ZClipTooLarge),
                "degree {degree} F {f} z {}",
                max + 1
            );
        } else {
            // Degree 2 or 3 at large F: any positive i32 passes.
            assert!(model_error(&base, |m| m.z_clip = i32::MAX).is_ok(), "degree {degree} F {f}");
        }
    }
    assert_eq!(max_z_clip(1, 8), 1 << 30);
    // The bound applies to each degree present: at F = 24, degree 2 allows
    // z_clip up to 2^27, degree 1 up to 2^30, degree 3 only up to 2^26.
    let two = ModelFields::polynomial(24, 1, 0, vec![0], vec![1], vec![term(&[0, 0])], vec![1]);
    assert!(model_error(&two, |m| m.z_clip = 1 << 27).is_ok());
    let one_two = ModelFields::polynomial(24, 1, 0, vec![0], vec![1], vec![term(&[0]), term(&[0, 0])], vec![1, 1]);
    assert!(model_error(&one_two, |m| m.z_clip = 1 << 27).is_ok());
    let two_three =
        ModelFields::polynomial(24, 1, 0, vec![0], vec![1], vec![term(&[0, 0]), term(&[0, 0, 0])], vec![1, 1]);
    assert_eq!(model_error(&two_three, |m| m.z_clip = 1 << 27), Err(Error::ZClipTooLarge));
    assert!(model_error(&two_three, |m| m.z_clip = 1 << 26).is_ok());
}

#[test]
fn testset_errors() {
    let (model, rows) = affine_case();
    let m = model.words();
    let good = testset_words(2, 8, &rows);
    assert!(eval(&input_words(&m, &good)).is_ok());
    let edit = |i: usize, v: u32| {
        let mut t = good.clone();
        t[i] = v;
        eval(&input_words(&m, &t))
    };
    assert_eq!(edit(0, 0), Err(Error::BadMagic));
    assert_eq!(edit(1, 2), Err(Error::BadVersion));
    assert_eq!(edit(2, 0), Err(Error::BadDimensions)); // n = 0
    assert_eq!(edit(2, (1 << 24) + 1), Err(Error::BadDimensions)); // n > 2^24
    assert_eq!(edit(3, 0), Err(Error::BadDimensions)); // d = 0
    assert_eq!(edit(3, 65), Err(Error::BadDimensions)); // d = 65
    assert_eq!(edit(4, 9), Err(Error::ModelDataMismatch)); // F differs
    assert_eq!(edit(4, 0), Err(Error::ModelDataMismatch));
    assert_eq!(edit(2, 4), Err(Error::Truncated)); // one row short
    assert_eq!(edit(2, 2), Err(Error::TrailingBytes)); // one row extra
                                                       // A consistent test set with another d.
    let other_d = testset_words(3, 8, &[vec![1, 2, 3, 4]]);
    assert_eq!(eval(&input_words(&m, &other_d)), Err(Error::ModelDataMismatch));
    // A test set shorter than its header.
    assert_eq!(eval(&input_words(&m, &good[..4])), Err(Error::Truncated));
    assert_eq!(eval(&input_words(&m, &good[..1])), Err(Error::Truncated));
    // evaluate_parsed checks the pairing too.
    let other_input = input_words(&m, &other_d);
    let model_only = Model::parse(&other_input[4..4 + m.len()]).unwrap();
    let testset_only = zkml_core::TestSet::parse(&other_input[4 + m.len()..]).unwrap();
    assert_eq!(zkml_core::evaluate_parsed::<SoftwareSha256>(&model_only, &testset_only), Err(Error::ModelDataMismatch));
}

#[test]
fn accumulator_overflow_reports_the_sample() {
    // Products of 2^62 − 2^32 + 1 each: two fit, the third overflows i64 (but
    // only when all four features are large, as in sample 2).
    let model = ModelFields::affine(16, 0, vec![i32::MAX; 4]);
    let big = i32::MAX;
    let rows = vec![vec![0, 0, 0, 0, 0], vec![1, 1, 0, 0, 0], vec![big, big, big, big, 0], vec![1, 1, 1, 1, 0]];
    assert_eq!(eval(&input_of(&model, &rows)), Err(Error::AccumulatorOverflow { sample: 2 }));
    check_against_reference(&model, &rows).unwrap_err();
    // Negative direction, with the bias pushing first.
    let model = ModelFields::affine(16, i32::MIN, vec![i32::MAX; 4]);
    let small = i32::MIN;
    let rows = vec![vec![0, 0, 0, 0, 0], vec![small, small, small, small, 0]];
    assert_eq!(eval(&input_of(&model, &rows)), Err(Error::AccumulatorOverflow { sample: 1 }));
    // An intermediate overflow is an error even if later terms would bring
    // the sum back in range.
    let model = ModelFields::affine(1, 0, vec![i32::MAX, i32::MAX, i32::MAX, i32::MIN]);
    let rows = vec![vec![big, big, big, big, 0]];
    assert_eq!(eval(&input_of(&model, &rows)), Err(Error::AccumulatorOverflow { sample: 0 }));
}

#[test]
fn full_cubic_overflow_is_reported_in_the_spec_order() {
    // A full degree-3 model (the unrolled loop for d = 3) whose partial sum
    // overflows i64 at the fifth triple term (each about 2.3·10^18), though
    // the whole sum is back within i64 (the last five triple weights are
    // negative): the checked adds keep the spec's order, so sample 1 (every
    // z at the clip) is an AccumulatorOverflow.
    let f = 1;
    let z_clip = max_z_clip(3, f) as i32;
    let terms = graded_terms(3, 3);
    assert_eq!(terms.len(), 19);
    let mut weights = vec![0; 9];
    weights.extend([i32::MAX; 5]);
    weights.extend([i32::MIN; 5]);
    let model = ModelFields::polynomial(f, z_clip, 0, vec![0; 3], vec![1 << f; 3], terms, weights);
    let rows = vec![vec![0, 0, 0, 0], vec![i32::MAX, i32::MAX, i32::MAX, 0], vec![0, 0, 0, 0]];
    assert_eq!(eval(&input_of(&model, &rows)), Err(Error::AccumulatorOverflow { sample: 1 }));
    assert_eq!(check_against_reference(&model, &rows), Err(Error::AccumulatorOverflow { sample: 1 }));
}

#[test]
fn prediction_overflow_reports_the_sample() {
    // F = 16, ŷ = 2·x: x = 2^30 gives 2^31, one past i32::MAX.
    let model = ModelFields::affine(16, 0, vec![2 << 16]);
    let rows = vec![vec![1 << 29, 0], vec![(1 << 30) - 1, 0], vec![1 << 30, 0]];
    assert_eq!(eval(&input_of(&model, &rows)), Err(Error::PredictionOverflow { sample: 2 }));
    // −2^31 still fits.
    let rows = vec![vec![-(1 << 30), 0]];
    assert!(eval(&input_of(&model, &rows)).is_ok());
    // An accumulator near i64::MAX: round_shift must not wrap around.
    let model = ModelFields::affine(24, 0, vec![i32::MAX, i32::MAX]);
    let rows = vec![vec![i32::MAX, i32::MAX, 0]];
    assert_eq!(eval(&input_of(&model, &rows)), Err(Error::PredictionOverflow { sample: 0 }));
}

#[test]
fn r2_undefined_for_constant_targets() {
    let model = ModelFields::affine(8, 0, vec![256]);
    let rows = vec![vec![1, 5], vec![2, 5], vec![3, 5]];
    let out = check_against_reference(&model, &rows).unwrap();
    assert_eq!(out.r2, R2_UNDEFINED);
    assert!(!out.r2_is_defined());
}

#[test]
fn r2_outside_i64_is_a_score_overflow() {
    // Targets 0 and 1 (Q24): n_sst = 1; predictions i32::MAX: n·sse·2^24 ≫ 2^63.
    let model = ModelFields::affine(24, i32::MAX, vec![0]);
    let rows = vec![vec![0, 0], vec![0, 1]];
    assert_eq!(eval(&input_of(&model, &rows)), Err(Error::ScoreOverflow));
    check_against_reference(&model, &rows).unwrap_err();
}

#[test]
fn r2_numerator_outside_i128_is_a_score_overflow() {
    // n = 10^6 samples with |e| ≈ 2^32: n·sse·2^24 ≈ 2^127.9 > i128::MAX, so
    // the i128 numerator itself overflows (not just the i64 result).
    let model = ModelFields::affine(24, i32::MAX, vec![0]);
    let rows: Vec<Vec<i32>> = (0..1_000_000).map(|i| vec![0, i32::MIN + (i & 1)]).collect();
    let n = rows.len() as u128;
    let sse: u128 = rows.iter().map(|r| (i128::from(i32::MAX) - i128::from(r[1])).pow(2) as u128).sum();
    assert!((n * sse).checked_mul(1 << 24).is_none_or(|v| v > i128::MAX as u128));
    assert_eq!(eval(&input_of(&model, &rows)), Err(Error::ScoreOverflow));
    assert_eq!(check_against_reference(&model, &rows), Err(Error::ScoreOverflow));
}

/// A random term of `degree` over `d` features.
fn random_term(rng: &mut Rng, d: u32, degree: usize) -> u32 {
    let mut idx: Vec<u8> = (0..degree).map(|_| rng.range(0, i64::from(d) - 1) as u8).collect();
    idx.sort();
    term(&idx)
}

/// All terms up to `degree` in graded lexicographic order.
fn graded_terms(d: u8, degree: usize) -> Vec<u32> {
    let mut terms = vec![];
    for a in 0..d {
        terms.push(term(&[a]));
    }
    if degree >= 2 {
        for a in 0..d {
            for b in a..d {
                terms.push(term(&[a, b]));
            }
        }
    }
    if degree >= 3 {
        for a in 0..d {
            for b in a..d {
                for c in b..d {
                    terms.push(term(&[a, b, c]));
                }
            }
        }
    }
    terms
}

#[test]
fn generated_models_match_the_literal_reference() {
    let mut rng = Rng(0x5EED_2026_1124_0001);
    let mut outcomes = std::collections::BTreeMap::<String, usize>::new();
    for case in 0..1000 {
        let f = rng.range(1, 24) as u32;
        let d = rng.range(1, 8) as u32;
        // Half the cases use values of realistic size for Q(F) (mostly valid
        // results), a quarter near-extreme values of one sign (overflow
        // errors), a quarter any magnitude.
        let mode = case % 4;
        let magnitude = |rng: &mut Rng| -> i32 {
            let bits = match mode {
                0 | 2 => f + 2,
                1 => return rng.range(i64::from(i32::MAX) - 1000, i64::from(i32::MAX)) as i32,
                _ => [8, 16, 20, 24, 31][rng.range(0, 4) as usize],
            };
            rng.range(-(1i64 << bits) + 1, (1i64 << bits) - 1) as i32
        };
        let model = if case % 3 == 0 {
            ModelFields::affine(f, magnitude(&mut rng), (0..d).map(|_| magnitude(&mut rng)).collect())
        } else {
            let degree = rng.range(1, 3) as usize;
            // Graded degree-2 and degree-3 terms with d ≤ 8 take the
            // unrolled loops (`FixedPolynomial`); the rest the general one.
            let mut terms = if rng.range(0, 1) == 0 {
                graded_terms(d as u8, degree)
            } else {
                (0..rng.range(1, 40))
                    .map(|_| {
                        let g = rng.range(1, degree as i64) as usize;
                        random_term(&mut rng, d, g)
                    })
                    .collect()
            };
            if rng.range(0, 3) == 0 {
                // Reverse: degree-3 terms before their pairs.
                terms.reverse();
            }
            let max_degree = terms.iter().map(|t| t & 0xFF).max().unwrap();
            let max_clip = (1..=max_degree).map(|g| max_z_clip(g, f)).min().unwrap().min(i64::from(i32::MAX));
            let z_clip = rng.range(1, max_clip) as i32;
            let weights = terms.iter().map(|_| magnitude(&mut rng)).collect();
            ModelFields::polynomial(
                f,
                z_clip,
                magnitude(&mut rng),
                (0..d).map(|_| magnitude(&mut rng)).collect(),
                (0..d).map(|_| magnitude(&mut rng)).collect(),
                terms,
                weights,
            )
        };
        let n = rng.range(1, 20);
        let rows: Vec<Vec<i32>> = (0..n).map(|_| (0..=d).map(|_| magnitude(&mut rng)).collect()).collect();
        let outcome = match check_against_reference(&model, &rows) {
            Ok(_) => "ok".to_string(),
            Err(e) => e.name().to_string(),
        };
        *outcomes.entry(format!("{}:{}", if model.kind == 1 { "affine" } else { "poly" }, outcome)).or_default() += 1;
    }
    println!("{outcomes:?}");
    // The generator reaches both successes and overflow errors.
    assert!(outcomes.keys().any(|k| k == "poly:ok") && outcomes.keys().any(|k| k == "affine:ok"));
    assert!(outcomes.keys().any(|k| k.ends_with("AccumulatorOverflow")));
    assert!(outcomes.keys().any(|k| k.ends_with("PredictionOverflow")));
}

#[test]
fn standardization_at_the_i64_edges() {
    // |x − mean| = 2^32 − 1 and |inv_std| = 2^31: the product is ±(2^63 − 2^31),
    // the extreme the spec allows; every sign combination, every F.
    for f in [1, 8, 16, 24] {
        for (mean, inv_std) in [(i32::MAX, i32::MIN), (i32::MIN, i32::MIN), (i32::MAX, i32::MAX), (i32::MIN, i32::MAX)]
        {
            let model = ModelFields::polynomial(
                f,
                1 << f.min(20),
                0,
                vec![mean, 0],
                vec![inv_std, 1 << f],
                vec![term(&[0]), term(&[0, 1])],
                vec![1 << f, 3],
            );
            let rows = vec![
                vec![i32::MIN, 5, 0],
                vec![i32::MAX, -5, 0],
                vec![0, 1 << f, 1],
                vec![mean, i32::MIN, 2],
                vec![mean.wrapping_add(1), i32::MAX, 3],
            ];
            check_against_reference(&model, &rows).unwrap();
        }
    }
}
