//! Validation failures, hand-checked evaluations, overflow errors, and the
//! optimized inference against the literal reference on generated models.

mod common;

use common::*;
use zkml_core::{
    evaluate, parse_input, predict, predictions, Error, InputHeader, Model, PublicOutput, Sha256,
    SoftwareSha256, R2_UNDEFINED,
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
