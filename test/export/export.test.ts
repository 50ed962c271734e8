import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { SpecError } from "../../src/export/errors.js";
import { encodeModel, encodeTestSet, splitInput } from "../../src/export/format.js";
import { quantizeModel, quantizeTestSet } from "../../src/export/quantize.js";
import { evaluate } from "../../src/export/reference.js";
import { buildExport, writeExport } from "../../src/export/write.js";
import { fitLinear } from "../../src/model/linear.js";
import { predict } from "../../src/model/poly.js";
import { DEFAULT_TRAINING, fitPolyRidge, fitRidge } from "../../src/model/train.js";
import { Rng } from "../../src/util/rng.js";
import { tempDir } from "../helpers.js";

const rng = new Rng(5);
const names = ["f0", "f1", "f2"];
const x = Array.from({ length: 300 }, () => [rng.uniform() * 20, rng.normal() * 100 + 300, rng.uniform() * 90]);
const y = x.map(([a, b, c]) => Math.max(0, 50 + 3 * a + 0.2 * b - c + 0.02 * a * c + 10 * rng.normal()));
const test_ = { x, y, customerIds: x.map((_, i) => String(i)) };

test("fixed-point predictions track float predictions for every model kind", () => {
  const models = [
    fitLinear(x, y, names),
    fitRidge(x, y, names, DEFAULT_TRAINING).model,
    fitPolyRidge(x, y, names, { ...DEFAULT_TRAINING, polyDegree: 3 }).model,
  ];
  for (const model of models) {
    const bundle = buildExport(model, test_, "spend", 16);
    const float = predict(model, x);
    const worst = Math.max(...float.map((f, i) => Math.abs(bundle.predictions[i] / 2 ** 16 - f)));
    assert.ok(worst < 0.05, `${model.family}: worst |Δ| ${worst}`);
    assert.ok(Math.abs(Number(bundle.output.r2) / 2 ** 16 - bundle.floatMetrics.r2!) < 1e-3);
  }
});

test("an unrepresentable test value names its row and column", () => {
  assert.throws(
    () =>
      quantizeTestSet(
        [
          [1, 2],
          [3, 40000],
        ],
        [0, 0],
        16,
        ["a", "monetary_total", "spend"],
      ),
    /test-set row 2, column monetary_total: value 40000/,
  );
});

test("a test value out of range at any fraction bits names its customer and never blames the fraction bits", () => {
  assert.throws(
    () => quantizeTestSet([[1], [2]], [0, 1e12], 16, ["a", "spend"], ["c1", "c2"]),
    (e: Error) =>
      /test-set row 2 \(customer "c2"\), column spend: value 1000000000000/.test(e.message) &&
      /out of range at any fraction bits/.test(e.message) &&
      !/fewer fraction bits|-F /.test(e.message),
  );
  // A value that fits with fewer fraction bits says how many.
  assert.throws(
    () => quantizeTestSet([[1]], [40000], 16, ["a", "spend"], ["c1"]),
    /value 40000 does not fit .*Q15\.16.*use at most 15 fraction bits \(-F 15\)/,
  );
});

test("buildExport quantizes the data first: a huge target is named, not the weights it inflates", () => {
  const huge = { ...test_, y: y.map((v) => v * 1e9) };
  assert.throws(
    () => buildExport(fitLinear(x, huge.y, names), huge, "spend", 16),
    /test-set row \d+ \(customer "\d+"\), column spend: .*out of range at any fraction bits/,
  );
});

test("writeExport writes the committed bytes: SHA-256 of the files are the commitments", () => {
  const dir = tempDir();
  const model = fitLinear(x, y, names);
  const bundle = buildExport(model, test_, "spend", 16);
  const manifest = writeExport(dir, model, bundle, "spend");
  const sha = (f: string) =>
    createHash("sha256")
      .update(readFileSync(join(dir, f)))
      .digest("hex");
  assert.equal(sha("model.bin"), manifest.model.commitment);
  assert.equal(sha("testset.bin"), manifest.test_set.commitment);
  const { model: m, testSet: t } = splitInput(readFileSync(join(dir, "input.bin")));
  assert.ok(Buffer.from(m).equals(readFileSync(join(dir, "model.bin"))));
  assert.ok(Buffer.from(t).equals(readFileSync(join(dir, "testset.bin"))));
  assert.equal(JSON.parse(readFileSync(join(dir, "export.json"), "utf8")).public_output_hex, manifest.public_output_hex);
});

test("a score too large for i128 is ScoreOverflow, not a wrapped number", () => {
  // 2^20 samples with |error| ≈ 2^32 at F = 24: (n·SST − n·SSE)·2^F passes 2^127.
  const F = 24;
  const n = 2 ** 20;
  const model = { kind: "affine" as const, fracBits: F, nFeatures: 1, zClip: 0n, bias: 2n ** 31n - 1n, mean: [], invStd: [], terms: [[0]], weights: [0n] };
  const rows = new Int32Array(2 * n);
  for (let i = 0; i < n; i++) rows[2 * i + 1] = i % 2 === 0 ? -(2 ** 31) : -(2 ** 31) + 1;
  assert.throws(
    () => evaluate(encodeModel(model), encodeTestSet({ fracBits: F, nFeatures: 1, nSamples: n, rows })),
    (e: SpecError) => e.code === "ScoreOverflow",
  );
});

test("quantizeModel refuses fraction bits outside 1..24", () => {
  assert.throws(() => quantizeModel(fitLinear(x, y, names), 0), /fraction bits/);
  assert.throws(() => quantizeModel(fitLinear(x, y, names), 25), /fraction bits/);
});
