// Write a model's export: model.bin (published), testset.bin (private),
// input.bin (what a guest reads) and export.json (the manifest, including the
// public output the guests must reproduce).
import { join } from "node:path";
import type { Metrics } from "../model/metrics.js";
import { regressionMetrics } from "../model/metrics.js";
import { predict } from "../model/poly.js";
import type { RepeatedEvaluation } from "../model/evaluation.js";
import type { ScoreSpread } from "../model/interval.js";
import type { LambdaSelection } from "../model/ridge.js";
import { BASELINE, type ClaimSplit, type Dataset, type TrainedModels } from "../model/train.js";
import type { FittedModel } from "../model/types.js";
import { ensureDirectory, writeFileAtomic } from "../util/fs.js";
import { FORMAT_VERSION, encodeInput, encodeModel, encodeTestSet } from "./format.js";
import { quantizeModel, quantizeTestSet } from "./quantize.js";
import { type PublicOutput, encodePublicOutput, evaluate, scoreOf } from "./reference.js";

export const DEFAULT_FRAC_BITS = 16;

export interface ExportBundle {
  model: Buffer;
  testSet: Buffer;
  input: Buffer;
  output: PublicOutput;
  predictions: Int32Array;
  floatMetrics: Metrics;
}

export function buildExport(model: FittedModel, test: Dataset, target: string, fracBits = DEFAULT_FRAC_BITS): ExportBundle {
  // The data first: a target or feature out of range is the cause of any weight out of range too, and names a customer.
  const testSetBytes = encodeTestSet(quantizeTestSet(test.x, test.y, fracBits, [...model.featureNames, target], test.customerIds));
  const modelBytes = encodeModel(quantizeModel(model, fracBits));
  const { output, predictions } = evaluate(modelBytes, testSetBytes);
  return {
    model: modelBytes,
    testSet: testSetBytes,
    input: encodeInput(modelBytes, testSetBytes),
    output,
    predictions,
    floatMetrics: regressionMetrics(test.y, predict(model, test.x)),
  };
}

/** JSON-safe view of a public output (bigints as decimal strings). */
export function publicOutputJson(o: PublicOutput): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === "bigint" ? v.toString() : v]));
}

/** What the manifest says about how the claim was made: its split, the baseline, the spread over splits. */
export interface ClaimContext {
  split: ClaimSplit;
  baselineTest: Metrics;
  lambdaSelection: LambdaSelection | null;
  evaluation: RepeatedEvaluation | null;
  warnings: string[];
}

export function claimContext(trained: TrainedModels, family: FittedModel["family"]): ClaimContext {
  const baselineTest = trained.metrics.find((m) => m.model === BASELINE && m.split === "test")!;
  const { model: _m, split: _s, ...metrics } = baselineTest;
  return {
    split: trained.claim,
    baselineTest: metrics,
    lambdaSelection: family === "linear" ? null : trained.lambdaSelection[family],
    evaluation: trained.evaluation,
    warnings: trained.warnings,
  };
}

const spreadJson = (s: ScoreSpread | null) =>
  s ? { mean: s.mean, sd: s.sd, ci95: s.ci95, ci95_truncated_at_0: s.truncated, min: s.min, max: s.max, n_splits: s.n } : null;

function claimJson(c: ClaimContext, family: FittedModel["family"]): Record<string, unknown> {
  const e = c.evaluation;
  return {
    split: {
      method:
        "splitByCustomer: distinct customer ids sorted, shuffled by the seed (pure-rand xoroshiro128+), the first round(n·test_fraction) are the test set",
      seed: c.split.seed,
      test_fraction: c.split.testFraction,
      cv_folds: c.split.cvFolds,
      n_train_customers: c.split.nTrainCustomers,
      n_test_customers: c.split.nTestCustomers,
      test_customer_ids_sha256: c.split.testCustomerIdsSha256,
      test_customer_ids_hash_of: "the test customer ids, sorted, each followed by a newline, UTF-8",
    },
    baseline: { predictor: "the training mean", score_float: c.baselineTest },
    lambda_selection: c.lambdaSelection
      ? {
          lambda: c.lambdaSelection.lambda,
          status: c.lambdaSelection.status,
          extended_below: c.lambdaSelection.extendedBelow,
          extended_above: c.lambdaSelection.extendedAbove,
          note: c.lambdaSelection.note,
        }
      : null,
    evaluation: e && {
      method: e.method,
      interval: e.interval,
      seeds: e.seeds,
      test_fraction: e.testFraction,
      ranked_by: e.rankedBy,
      model: { r2: spreadJson(e.summary[family].r2), mse: spreadJson(e.summary[family].mse), mae: spreadJson(e.summary[family].mae) },
      baseline: { r2: spreadJson(e.summary[BASELINE].r2), mse: spreadJson(e.summary[BASELINE].mse), mae: spreadJson(e.summary[BASELINE].mae) },
      rank_first: e.rankFirst,
      per_split: e.splits.map((o) => ({ seed: o.seed, n_train: o.nTrain, n_test: o.nTest, first: o.first, model: o.test[family], baseline: o.test[BASELINE] })),
    },
    warnings: c.warnings,
  };
}

export interface ExportManifest {
  format_version: number;
  model: Record<string, unknown>;
  test_set: Record<string, unknown>;
  files: { model: string; test_set: string; input: string };
  public_output_hex: string;
  public_output: Record<string, unknown>;
  score_fixed_point: ReturnType<typeof scoreOf>;
  score_float: Metrics;
  /** How the claim was made (split, baseline, repeated evaluation); absent when the export was built without a training run. */
  claim?: Record<string, unknown>;
}

export function writeExport(dir: string, model: FittedModel, bundle: ExportBundle, target: string, claim?: ClaimContext): ExportManifest {
  ensureDirectory(dir, "export directory");
  const files = { model: "model.bin", test_set: "testset.bin", input: "input.bin" };
  writeFileAtomic(join(dir, files.model), bundle.model);
  writeFileAtomic(join(dir, files.test_set), bundle.testSet);
  writeFileAtomic(join(dir, files.input), bundle.input);
  const o = bundle.output;
  const manifest: ExportManifest = {
    format_version: FORMAT_VERSION,
    model: {
      family: model.family,
      kind: model.kind,
      feature_names: model.featureNames,
      frac_bits: o.fracBits,
      n_terms: model.weights.length,
      lambda: model.lambda ?? null,
      degree: model.kind === "polynomial" ? model.degree : 1,
      commitment: o.modelCommitment,
    },
    test_set: { target, n_samples: o.nSamples, n_features: o.nFeatures, commitment: o.dataCommitment },
    files,
    public_output_hex: encodePublicOutput(o).toString("hex"),
    public_output: publicOutputJson(o),
    score_fixed_point: scoreOf(o),
    score_float: bundle.floatMetrics,
    ...(claim ? { claim: claimJson(claim, model.family) } : {}),
  };
  // The manifest goes last: its presence means the export is complete.
  writeFileAtomic(join(dir, "export.json"), JSON.stringify(manifest, null, 2) + "\n");
  return manifest;
}
