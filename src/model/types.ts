// Fitted models in floating point. Every model predicts from the raw feature
// vector, so the same object can be quantized for a guest without extra state.

export type ModelFamily = "linear" | "ridge" | "poly-ridge";

/** Linear and ridge regression: ŷ = bias + Σ weights[j]·x[j] over raw features. */
export interface AffineModel {
  kind: "affine";
  family: "linear" | "ridge";
  featureNames: string[];
  bias: number;
  weights: number[];
  /** Ridge penalty chosen by cross-validation (absent for OLS). */
  lambda?: number;
}

/**
 * Polynomial ridge: z = clip((x − mean)/std, ±zClip), then
 * ŷ = bias + Σ_t weights[t]·Π_{j∈terms[t]} z[j].
 */
export interface PolynomialModel {
  kind: "polynomial";
  family: "poly-ridge";
  featureNames: string[];
  degree: number;
  mean: number[];
  std: number[];
  zClip: number;
  terms: number[][];
  bias: number;
  weights: number[];
  lambda: number;
}

export type FittedModel = AffineModel | PolynomialModel;
