// Fit the three model families on one seeded customer split (the claim that
// gets exported), beside the mean baseline, then repeat the same procedure on
// further seeds to show how much the scores move.
import { createHash } from "node:crypto";
import type { FeatureTable } from "../data/features.js";
import { DEFAULT_EVALUATION_SPLITS, type RepeatedEvaluation, evaluateRepeatedSplits } from "./evaluation.js";
import { type FitOptions, SCORED, type Scored, type SplitFit, fitFamilies, scoreFit } from "./fit-split.js";
import { rawAffine, standardizedDesign } from "./linear.js";
import { type FeatureMatrix, featureMatrix, matrixOfRows, orderOf, rowsOf } from "./matrix.js";
import type { Metrics } from "./metrics.js";
import { allTerms, polynomialDesignOfRows } from "./poly.js";
import { DEFAULT_LAMBDAS, type LambdaSelection, fitRidgeCV, standardizationOfRows } from "./ridge.js";
import { checkFiniteResult, checkInputRange } from "./finite.js";
import { type Split, splitByCustomer, testCount } from "./split.js";
import { type TargetProfile, profileTarget } from "./target-check.js";
import type { AffineModel, FittedModel, ModelFamily, PolynomialModel } from "./types.js";

export { BASELINE, MODEL_FAMILIES, SCORED, type Scored } from "./fit-split.js";

export interface TrainingOptions extends FitOptions {
  testFraction: number;
  seed: number;
  /** Customer splits of the repeated evaluation (seed, seed+1, …); 0 skips it. */
  evaluationSplits: number;
}

export const DEFAULT_TRAINING: TrainingOptions = {
  testFraction: 0.2,
  seed: 7,
  folds: 5,
  lambdas: DEFAULT_LAMBDAS,
  polyDegree: 2,
  zClip: 6,
  evaluationSplits: DEFAULT_EVALUATION_SPLITS,
};

export interface Dataset {
  x: number[][];
  y: number[];
  customerIds: string[];
}

/** The split of the exported claim, enough to reproduce it and to check its test set. */
export interface ClaimSplit {
  seed: number;
  testFraction: number;
  cvFolds: number;
  nTrainCustomers: number;
  nTestCustomers: number;
  /** SHA-256 of the test customer ids, sorted, each followed by "\n" (UTF-8). */
  testCustomerIdsSha256: string;
}

export interface TrainedModels {
  featureNames: string[];
  target: string;
  train: Dataset;
  test: Dataset;
  models: Record<ModelFamily, FittedModel>;
  /** One row per model (the mean baseline first) and split of the claim. */
  metrics: ({ model: Scored; split: "train" | "test" } & Metrics)[];
  cv: Record<"ridge" | "poly-ridge", { lambda: number; mse: number }[]>;
  lambdaSelection: Record<"ridge" | "poly-ridge", LambdaSelection>;
  claim: ClaimSplit;
  targetProfile: TargetProfile;
  /** Repeated splits; null when evaluationSplits is 0. */
  evaluation: RepeatedEvaluation | null;
  /** Plain sentences: a zero-heavy target, λ at or beyond its grid's edge. */
  warnings: string[];
}

export function testIdsHash(ids: readonly string[]): string {
  const hash = createHash("sha256");
  for (const id of [...ids].sort()) hash.update(`${id}\n`);
  return hash.digest("hex");
}

/** The claim's fit, kept so the repeated evaluation can reuse it as its first split. */
export interface ClaimFit {
  trained: TrainedModels;
  fit: SplitFit;
  split: Split;
}

/** The claim alone: one seeded split, every model and the baseline; evaluation still null. */
export function trainClaim(m: FeatureMatrix, options: Partial<TrainingOptions> = {}): ClaimFit {
  const o = { ...DEFAULT_TRAINING, ...options };
  checkInputRange(m); // a value that would make every score ±Infinity or NaN, named with its customer
  const targetProfile = profileTarget(m.y, m.target); // throws on a constant target
  const sizeWarning = checkCustomerCount(m, o.testFraction, o.folds);
  const split = splitByCustomer(orderOf(m), o.testFraction, o.seed);
  const fit = fitFamilies(m, split.train, o, o.seed);
  const scores = { train: scoreFit(m, fit, split.train), test: scoreFit(m, fit, split.test) };
  const metrics = SCORED.flatMap((model) => (["train", "test"] as const).map((s) => ({ model, split: s, ...scores[s][model] })));
  const test = rowsOf(m, split.test);
  const testIds = [...new Set(test.customerIds)];
  let train: Dataset | undefined;
  const lambdaNotes = (["ridge", "poly-ridge"] as const).map((f) => fit.lambdaSelection[f].note).filter((n): n is string => n !== null);
  const trained: TrainedModels = {
    featureNames: m.featureNames,
    target: m.target,
    test,
    // The training rows as plain arrays only when asked for (a quarter-second at 1M transactions).
    get train() {
      train ??= rowsOf(m, split.train);
      return train;
    },
    models: fit.models,
    metrics,
    cv: fit.cv,
    lambdaSelection: fit.lambdaSelection,
    claim: {
      seed: o.seed,
      testFraction: o.testFraction,
      cvFolds: o.folds,
      nTrainCustomers: new Set(split.train.map((i) => orderOf(m).idOfRow[i])).size,
      nTestCustomers: testIds.length,
      testCustomerIdsSha256: testIdsHash(testIds),
    },
    targetProfile,
    evaluation: null,
    warnings: [...(sizeWarning ? [sizeWarning] : []), ...(targetProfile.warning ? [targetProfile.warning] : []), ...lambdaNotes],
  };
  const keyedMetrics = Object.fromEntries(metrics.map(({ model, split: side, ...values }) => [`${model} ${side}`, values]));
  checkFiniteResult({ models: fit.models, metrics: keyedMetrics, cv: fit.cv }, m);
  return { trained, fit, split };
}

export class TooFewCustomersError extends Error {
  override name = "TooFewCustomersError";
}

/** A common rule of thumb for a stable least-squares fit: at least this many observations per coefficient. */
export const CUSTOMERS_PER_COEFFICIENT = 10;

/** Too few customers to fit and cross-validate at all is an error; too few to trust the scores is a warning (small logs are real). */
export function checkCustomerCount(m: FeatureMatrix, testFraction: number, folds: number): string | null {
  const n = orderOf(m).unique.length;
  const nTest = testCount(n, testFraction);
  const nTrain = n - nTest;
  if (nTrain < 2)
    throw new TooFewCustomersError(
      `only ${n} customer(s) to learn from (with a purchase before the cutoff): a test fraction of ${testFraction} leaves ${Math.max(0, nTrain)} for training, ` +
        `and fitting with ${folds}-fold cross-validation needs at least 2. Use a longer log, an earlier --cutoff or a shorter horizon`,
    );
  const coefficients = m.d + 1;
  const wanted = CUSTOMERS_PER_COEFFICIENT * coefficients;
  if (nTrain >= wanted) return null;
  return (
    `warning: only ${n} customers (${nTrain} for training, ${nTest} for testing). The linear model alone has ${coefficients} coefficients, and a common ` +
    `rule of thumb asks for ${CUSTOMERS_PER_COEFFICIENT} training customers per coefficient (${wanted} here): expect unstable fits, and test scores from ` +
    `${nTest} customer(s) that move a lot from one split to the next.`
  );
}

/** Add the repeated-split evaluation (seeds seed…seed+J−1) to a claim; its first split is the claim itself. */
export function evaluateClaim(m: FeatureMatrix, c: ClaimFit, options: Partial<TrainingOptions> = {}): TrainedModels {
  const o = { ...DEFAULT_TRAINING, ...options };
  const evaluation = evaluateRepeatedSplits(m, { ...o, splits: o.evaluationSplits }, { fit: c.fit, train: c.split.train, test: c.split.test });
  checkFiniteResult({ evaluation }, m);
  c.trained.evaluation = evaluation;
  return c.trained;
}

/** Train on a feature matrix (the typed form of a feature table). */
export function trainOnMatrix(m: FeatureMatrix, options: Partial<TrainingOptions> = {}): TrainedModels {
  const o = { ...DEFAULT_TRAINING, ...options };
  const c = trainClaim(m, o);
  return o.evaluationSplits > 0 ? evaluateClaim(m, c, o) : c.trained;
}

export function trainModels(table: FeatureTable, options: Partial<TrainingOptions> = {}): TrainedModels {
  return trainOnMatrix(featureMatrix(table), options);
}

// Single-family fits on plain rows (tests, notebooks).

export function fitRidge(
  x: number[][],
  y: number[],
  featureNames: string[],
  o: FitOptions & { seed: number },
): { model: AffineModel; cv: { lambda: number; mse: number }[]; selection: LambdaSelection } {
  const m = matrixOfRows(x, y, featureNames);
  const rows = Int32Array.from(x.keys());
  const s = standardizationOfRows(m.x, m.d, rows);
  const fit = fitRidgeCV(standardizedDesign(m, rows, s), m.y, { lambdas: o.lambdas, folds: o.folds, seed: o.seed, label: "ridge" });
  return { model: { kind: "affine", family: "ridge", featureNames, ...rawAffine(fit.weights, s), lambda: fit.lambda }, cv: fit.cv, selection: fit.selection };
}

export function fitPolyRidge(
  x: number[][],
  y: number[],
  featureNames: string[],
  o: FitOptions & { seed: number },
): { model: PolynomialModel; cv: { lambda: number; mse: number }[]; selection: LambdaSelection } {
  const m = matrixOfRows(x, y, featureNames);
  const rows = Int32Array.from(x.keys());
  const s = standardizationOfRows(m.x, m.d, rows);
  const shape = { mean: s.mean, std: s.std, zClip: o.zClip, terms: allTerms(featureNames.length, o.polyDegree) };
  const fit = fitRidgeCV(polynomialDesignOfRows(m.x, m.d, rows, shape), m.y, { lambdas: o.lambdas, folds: o.folds, seed: o.seed, label: "poly-ridge" });
  return {
    model: {
      kind: "polynomial",
      family: "poly-ridge",
      featureNames,
      degree: o.polyDegree,
      ...shape,
      bias: fit.weights[0],
      weights: Array.from(fit.weights.subarray(1)),
      lambda: fit.lambda,
    },
    cv: fit.cv,
    selection: fit.selection,
  };
}
