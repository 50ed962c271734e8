// Write a model's export: model.bin (published), testset.bin (private),
// input.bin (what a guest reads) and export.json (the manifest, including the
// public output the guests must reproduce).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Metrics } from "../model/metrics.js";
import { regressionMetrics } from "../model/metrics.js";
import { predict } from "../model/poly.js";
import type { Dataset } from "../model/train.js";
import type { FittedModel } from "../model/types.js";
import { writeFileAtomic } from "../util/fs.js";
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
  const modelBytes = encodeModel(quantizeModel(model, fracBits));
  const testSetBytes = encodeTestSet(quantizeTestSet(test.x, test.y, fracBits, [...model.featureNames, target]));
  const { output, predictions } = evaluate(modelBytes, testSetBytes);
  return {
    model: modelBytes, testSet: testSetBytes, input: encodeInput(modelBytes, testSetBytes), output, predictions,
    floatMetrics: regressionMetrics(test.y, predict(model, test.x)),
  };
}

/** JSON-safe view of a public output (bigints as decimal strings). */
export function publicOutputJson(o: PublicOutput): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === "bigint" ? v.toString() : v]));
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
}

export function writeExport(dir: string, model: FittedModel, bundle: ExportBundle, target: string): ExportManifest {
  mkdirSync(dir, { recursive: true });
  const files = { model: "model.bin", test_set: "testset.bin", input: "input.bin" };
  writeFileAtomic(join(dir, files.model), bundle.model);
  writeFileAtomic(join(dir, files.test_set), bundle.testSet);
  writeFileAtomic(join(dir, files.input), bundle.input);
  const o = bundle.output;
  const manifest: ExportManifest = {
    format_version: FORMAT_VERSION,
    model: {
      family: model.family, kind: model.kind, feature_names: model.featureNames, frac_bits: o.fracBits,
      n_terms: model.weights.length, lambda: model.lambda ?? null, degree: model.kind === "polynomial" ? model.degree : 1,
      commitment: o.modelCommitment,
    },
    test_set: { target, n_samples: o.nSamples, n_features: o.nFeatures, commitment: o.dataCommitment },
    files,
    public_output_hex: encodePublicOutput(o).toString("hex"),
    public_output: publicOutputJson(o),
    score_fixed_point: scoreOf(o),
    score_float: bundle.floatMetrics,
  };
  // The manifest goes last: its presence means the export is complete.
  writeFileAtomic(join(dir, "export.json"), JSON.stringify(manifest, null, 2) + "\n");
  return manifest;
}
