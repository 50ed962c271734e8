// Fit the three model families on one seeded customer split and compare them.
import type { FeatureTable } from "../data/features.js";
import { toMatrix } from "../data/features.js";
import { fitLinear } from "./linear.js";
import { type Metrics, regressionMetrics } from "./metrics.js";
import { allTerms, polynomialDesign, predict } from "./poly.js";
import { type Design, DEFAULT_LAMBDAS, fitRidgeCV, standardization } from "./ridge.js";
import { splitByCustomer } from "./split.js";
import type { AffineModel, FittedModel, ModelFamily, PolynomialModel } from "./types.js";

export interface TrainingOptions {
  testFraction: number;
  seed: number;
  folds: number;
  lambdas: number[];
  polyDegree: 2 | 3;
  /** Standardized features are clipped to ±zClip before polynomial expansion. */
  zClip: number;
}

export const DEFAULT_TRAINING: TrainingOptions = {
  testFraction: 0.2, seed: 7, folds: 5, lambdas: DEFAULT_LAMBDAS, polyDegree: 2, zClip: 6,
};

export interface Dataset {
  x: number[][];
  y: number[];
  customerIds: string[];
}

export interface TrainedModels {
  featureNames: string[];
  target: string;
  train: Dataset;
  test: Dataset;
  models: Record<ModelFamily, FittedModel>;
  /** One row per model and split. */
  metrics: ({ model: ModelFamily; split: "train" | "test" } & Metrics)[];
  cv: Record<"ridge" | "poly-ridge", { lambda: number; mse: number }[]>;
}

export const MODEL_FAMILIES: ModelFamily[] = ["linear", "ridge", "poly-ridge"];

export function fitRidge(x: number[][], y: number[], featureNames: string[], o: TrainingOptions): { model: AffineModel; cv: { lambda: number; mse: number }[] } {
  const { mean, std } = standardization(x);
  const d = featureNames.length;
  const design: Design = { n: x.length, p: d, values: Float64Array.from(x.flatMap((row) => row.map((v, j) => (v - mean[j]) / std[j]))) };
  const fit = fitRidgeCV(design, y, { lambdas: o.lambdas, folds: o.folds, seed: o.seed });
  // Fold the standardization into raw-feature weights: the exported model needs no scaler.
  const weights = mean.map((_, j) => fit.weights[j + 1] / std[j]);
  const bias = fit.weights[0] - weights.reduce((acc, w, j) => acc + w * mean[j], 0);
  return { model: { kind: "affine", family: "ridge", featureNames, bias, weights, lambda: fit.lambda }, cv: fit.cv };
}

export function fitPolyRidge(x: number[][], y: number[], featureNames: string[], o: TrainingOptions): { model: PolynomialModel; cv: { lambda: number; mse: number }[] } {
  const { mean, std } = standardization(x);
  const shape = { mean, std, zClip: o.zClip, terms: allTerms(featureNames.length, o.polyDegree) };
  const fit = fitRidgeCV(polynomialDesign(x, shape), y, { lambdas: o.lambdas, folds: o.folds, seed: o.seed });
  return {
    model: { kind: "polynomial", family: "poly-ridge", featureNames, degree: o.polyDegree, ...shape, bias: fit.weights[0], weights: Array.from(fit.weights.subarray(1)), lambda: fit.lambda },
    cv: fit.cv,
  };
}

export function trainModels(table: FeatureTable, options: Partial<TrainingOptions> = {}): TrainedModels {
  const o = { ...DEFAULT_TRAINING, ...options };
  const all = toMatrix(table);
  const split = splitByCustomer(all.customerIds, o.testFraction, o.seed);
  const pick = (rows: number[]): Dataset => ({ x: rows.map((i) => all.x[i]), y: rows.map((i) => all.y[i]), customerIds: rows.map((i) => all.customerIds[i]) });
  const train = pick(split.train);
  const test = pick(split.test);
  const names = table.featureNames;
  const ridge = fitRidge(train.x, train.y, names, o);
  const poly = fitPolyRidge(train.x, train.y, names, o);
  const models: Record<ModelFamily, FittedModel> = { linear: fitLinear(train.x, train.y, names), ridge: ridge.model, "poly-ridge": poly.model };
  const metrics = MODEL_FAMILIES.flatMap((model) =>
    ([["train", train], ["test", test]] as const).map(([split, data]) => ({ model, split, ...regressionMetrics(data.y, predict(models[model], data.x)) })),
  );
  return { featureNames: names, target: table.target, train, test, models, metrics, cv: { ridge: ridge.cv, "poly-ridge": poly.cv } };
}
