// Fit every model family on one training set and score them, with the
// mean predictor (the training mean) as the baseline beside them. The
// exported claim and each repeated evaluation split run exactly this.
import { rawAffine, standardizedColumns } from "./linear.js";
import type { FeatureMatrix } from "./matrix.js";
import { type Metrics, regressionMetrics } from "./metrics.js";
import { allTerms, polynomialColumns, predictRows } from "./poly.js";
import { type LambdaSelection, fitRidgeCVColumns, foldLayout, standardizationOfRows } from "./ridge.js";
import { kFolds } from "./split.js";
import type { AffineModel, FittedModel, ModelFamily, PolynomialModel } from "./types.js";

export const MODEL_FAMILIES: ModelFamily[] = ["linear", "ridge", "poly-ridge"];

/** The baseline: predict the training mean for everyone. */
export const BASELINE = "mean" as const;
export type Scored = ModelFamily | typeof BASELINE;
export const SCORED: Scored[] = [BASELINE, ...MODEL_FAMILIES];

export interface FitOptions {
  folds: number;
  lambdas: number[];
  polyDegree: 2 | 3;
  /** Standardized features are clipped to ±zClip before polynomial expansion. */
  zClip: number;
}

export interface SplitFit {
  models: Record<ModelFamily, FittedModel>;
  trainMean: number;
  cv: Record<"ridge" | "poly-ridge", { lambda: number; mse: number }[]>;
  lambdaSelection: Record<"ridge" | "poly-ridge", LambdaSelection>;
}

function targetsOf(m: FeatureMatrix, rows: ArrayLike<number>): Float64Array {
  const y = new Float64Array(rows.length);
  for (let r = 0; r < rows.length; r++) y[r] = m.y[rows[r]];
  return y;
}

/** Linear, ridge and polynomial ridge on the training rows; `seed` seeds the CV folds. */
export function fitFamilies(m: FeatureMatrix, train: ArrayLike<number>, o: FitOptions, seed: number): SplitFit {
  const s = standardizationOfRows(m.x, m.d, train);
  // One fold assignment for both CVs (the same rows, the same folds), and OLS from ridge's Gram matrix.
  const k = Math.min(o.folds, train.length);
  const layout = foldLayout(kFolds(train.length, k, seed), k);
  const cvOptions = { lambdas: o.lambdas, folds: o.folds, seed };
  const ridgeFit = fitRidgeCVColumns(standardizedColumns(m, train, s, layout), { ...cvOptions, label: "ridge" });
  const ridge: AffineModel = { kind: "affine", family: "ridge", featureNames: m.featureNames, ...rawAffine(ridgeFit.weights, s), lambda: ridgeFit.lambda };
  const linear: AffineModel = { kind: "affine", family: "linear", featureNames: m.featureNames, ...rawAffine(ridgeFit.leastSquares(), s) };
  const shape = { mean: s.mean, std: s.std, zClip: o.zClip, terms: allTerms(m.d, o.polyDegree) };
  const polyFit = fitRidgeCVColumns(polynomialColumns(m, train, shape, layout), { ...cvOptions, label: "poly-ridge" });
  const poly: PolynomialModel = {
    kind: "polynomial",
    family: "poly-ridge",
    featureNames: m.featureNames,
    degree: o.polyDegree,
    ...shape,
    bias: polyFit.weights[0],
    weights: Array.from(polyFit.weights.subarray(1)),
    lambda: polyFit.lambda,
  };
  let trainMean = 0;
  for (let r = 0; r < train.length; r++) trainMean += m.y[train[r]];
  trainMean /= train.length;
  return {
    models: { linear, ridge, "poly-ridge": poly },
    trainMean,
    cv: { ridge: ridgeFit.cv, "poly-ridge": polyFit.cv },
    lambdaSelection: { ridge: ridgeFit.selection, "poly-ridge": polyFit.selection },
  };
}

/** Metrics of every model and the baseline on the given rows. */
export function scoreFit(m: FeatureMatrix, fit: SplitFit, rows: ArrayLike<number>): Record<Scored, Metrics> {
  const y = targetsOf(m, rows);
  const scores = { [BASELINE]: regressionMetrics(y, new Float64Array(rows.length).fill(fit.trainMean)) } as Record<Scored, Metrics>;
  for (const family of MODEL_FAMILIES) scores[family] = regressionMetrics(y, predictRows(fit.models[family], m, rows));
  return scores;
}
