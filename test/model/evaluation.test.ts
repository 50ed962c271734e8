// Honest evaluation: the baseline, the repeated splits and their summary,
// λ at a grid's edge, zero-heavy and constant targets, and the claim's split
// as export.json records it. Every number is recomputed here another way.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { execa } from "execa";
import { MultivariateLinearRegression } from "ml-regression";
import { mean, sampleStandardDeviation } from "simple-statistics";
import { buildExport, claimContext, writeExport } from "../../src/export/write.js";
import { evaluationHeadline, evaluationRows, summarizeSplits } from "../../src/model/evaluation.js";
import { NonFiniteError, checkFiniteResult, firstNonFinite, overflowBound } from "../../src/model/finite.js";
import { SCORED } from "../../src/model/fit-split.js";
import { cornishFisher975, spreadOf, tQuantile975 } from "../../src/model/interval.js";
import { matrixOfRows } from "../../src/model/matrix.js";
import { regressionMetrics } from "../../src/model/metrics.js";
import { fitRidgeCV } from "../../src/model/ridge.js";
import { splitByCustomer } from "../../src/model/split.js";
import { ConstantTargetError, profileTarget } from "../../src/model/target-check.js";
import { DEFAULT_TRAINING, TooFewCustomersError, trainOnMatrix } from "../../src/model/train.js";
import { Rng } from "../../src/util/rng.js";
import { KAGGLE_HEADER, kaggleRow, tempDir, writeCsv } from "../helpers.js";

const names = ["a", "b", "c"];
function customers(n: number, seed = 3, target = (x: number[], rng: Rng) => 20 + 4 * x[0] - 0.1 * x[1] + (x[2] - 2) ** 2 * 3 + 5 * rng.normal()) {
  const rng = new Rng(seed);
  const x = Array.from({ length: n }, () => [rng.normal() * 3 + 10, rng.normal() * 50, rng.uniform() * 4]);
  const y = x.map((row) => target(row, rng));
  return matrixOfRows(
    x,
    y,
    names,
    "spend",
    x.map((_, i) => `cust-${i}`),
  );
}

test("the mean baseline has train R² 0 by construction, and sits beside every model", () => {
  const t = trainOnMatrix(customers(400));
  const baseline = t.metrics.filter((m) => m.model === "mean");
  assert.deepEqual(
    baseline.map((m) => m.split),
    ["train", "test"],
  );
  assert.ok(Math.abs(baseline[0].r2!) < 1e-12, `train R² of the mean predictor: ${baseline[0].r2}`);
  assert.deepEqual([...new Set(t.metrics.map((m) => m.model))], SCORED);
});

test("repeated splits: every split and the summary match a direct recomputation", () => {
  const m = customers(500);
  const splits = 6;
  const t = trainOnMatrix(m, { evaluationSplits: splits, seed: 11 });
  const e = t.evaluation!;
  assert.deepEqual(e.seeds, [11, 12, 13, 14, 15, 16]);
  const ids = m.customerIds;
  e.splits.forEach((o, k) => {
    // The split itself, and the linear model refit with ml-regression on its training rows.
    const s = splitByCustomer(ids, 0.2, 11 + k);
    assert.equal(o.nTrain, s.train.length);
    assert.equal(o.nTest, s.test.length);
    const row = (i: number) => Array.from(m.x.subarray(i * 3, i * 3 + 3));
    const mlr = new MultivariateLinearRegression(
      s.train.map(row),
      s.train.map((i) => [m.y[i]]),
    );
    const yTest = s.test.map((i) => m.y[i]);
    const direct = regressionMetrics(
      yTest,
      s.test.map((i) => mlr.predict(row(i))[0]),
    );
    assert.ok(Math.abs(o.test.linear.mse - direct.mse) < 1e-6 * direct.mse, `split ${k}: linear MSE ${o.test.linear.mse} vs ${direct.mse}`);
    const trainMean = mean(s.train.map((i) => m.y[i]));
    const base = regressionMetrics(
      yTest,
      yTest.map(() => trainMean),
    );
    assert.ok(Math.abs(o.test.mean.mse - base.mse) < 1e-9 * base.mse);
    const best = SCORED.reduce((a, b) => (o.test[b].mse < o.test[a].mse ? b : a));
    assert.equal(o.first, best);
  });
  // The claim is the first split: the same test set and scores.
  assert.equal(e.splits[0].test["poly-ridge"].mse, t.metrics.find((x) => x.model === "poly-ridge" && x.split === "test")!.mse);
  const ratio = mean(e.splits.map((o) => o.nTest / o.nTrain));
  for (const model of SCORED)
    for (const metric of ["r2", "mse", "mae"] as const) {
      const values = e.splits.map((o) => o.test[model][metric]!);
      const s = e.summary[model][metric]!;
      assert.ok(Math.abs(s.mean - mean(values)) <= 1e-12 * Math.abs(mean(values)) + 1e-15);
      assert.ok(Math.abs(s.sd - sampleStandardDeviation(values)) <= 1e-9 * sampleStandardDeviation(values) + 1e-15);
      // t(0.975; 5) = 2.5706 from the table, widened by Nadeau–Bengio's √(1/J + n_test/n_train).
      const half = 2.5706 * sampleStandardDeviation(values) * Math.sqrt(1 / splits + ratio);
      assert.ok(Math.abs(s.ci95[1] - s.mean - half) < 1e-9 * half + 1e-15);
      assert.ok(s.ci95[0] <= s.mean && s.mean <= s.ci95[1], `${model} ${metric}: the interval brackets the mean`);
      assert.equal(s.min, Math.min(...values));
      assert.equal(s.max, Math.max(...values));
    }
  const counts = SCORED.map((s) => e.rankFirst[s]);
  assert.equal(
    counts.reduce((a, b) => a + b, 0),
    splits,
    "rank-first counts sum to the number of splits",
  );
  assert.equal(e.rankFirst["poly-ridge"], splits, "the quadratic target is poly-ridge's on every split");
});

test("summary of splits with an undefined R² leaves it out, and t quantiles agree with the expansion past the table", () => {
  const metrics = (r2: number | null, mse: number) => ({ r2, mse, mae: mse / 2, n: 10 });
  const outcome = (seed: number, r2: number | null) => ({
    seed,
    nTrain: 40,
    nTest: 10,
    first: "linear" as const,
    test: { mean: metrics(r2 === null ? null : 0, 5), linear: metrics(r2, 3), ridge: metrics(r2, 4), "poly-ridge": metrics(r2, 4.5) },
  });
  const e = summarizeSplits([outcome(1, 0.5), outcome(2, null), outcome(3, 0.7)], 0.2);
  assert.equal(e.summary.linear.r2!.n, 2);
  assert.ok(Math.abs(e.summary.linear.r2!.mean - 0.6) < 1e-12);
  assert.equal(e.summary.linear.mse.n, 3);
  assert.equal(e.rankFirst.linear, 3);
  assert.throws(() => spreadOf([1], 0.25), /at least 2 splits/);
  assert.ok(Math.abs(cornishFisher975(30) - tQuantile975(30)) < 2e-4);
  assert.ok(Math.abs(tQuantile975(120) - 1.9799) < 2e-4);
});

test("λ at the grid's edge: the grid grows by decades until the CV minimum is inside, or the note names λ", () => {
  const rng = new Rng(2);
  // 12 noisy, strongly correlated columns over 40 rows: shrinkage pays, and far more than 1e-4 of it.
  const n = 40,
    p = 12;
  const base = Array.from({ length: n }, () => rng.normal());
  const values = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) values[i * p + j] = base[i] + 0.3 * rng.normal();
  const y = base.map((b) => b + 2 * rng.normal());
  const design = { n, p, values };
  const grid = [1e-6, 1e-5, 1e-4];
  const grown = fitRidgeCV(design, y, { lambdas: grid, folds: 5, seed: 1, maxExtensions: 8 });
  assert.equal(grown.selection.status, "extended");
  assert.ok(grown.lambda > 1e-4 && grown.selection.extendedAbove > 0);
  const i = grown.cv.findIndex((c) => c.lambda === grown.lambda);
  assert.ok(i > 0 && i < grown.cv.length - 1 && grown.cv[i].mse <= grown.cv[i - 1].mse && grown.cv[i].mse <= grown.cv[i + 1].mse, "the minimum is bracketed");
  assert.match(grown.selection.note!, /beyond the grid given/);
  // Allowed one decade only, the edge stays an edge and the note says so, naming λ.
  const capped = fitRidgeCV(design, y, { lambdas: grid, folds: 5, seed: 1, maxExtensions: 1 });
  assert.equal(capped.selection.status, "edge");
  assert.equal(capped.lambda, 1e-3);
  assert.match(capped.selection.note!, /picked λ = 1e-3, the largest value tried/);
  // On the default grid nothing needs extending here; trainOnMatrix reports each selection.
  const t = trainOnMatrix(customers(300));
  assert.equal(t.lambdaSelection.ridge.lambda, t.models.ridge.lambda);
  assert.ok(["interior", "extended", "edge"].includes(t.lambdaSelection["poly-ridge"].status));
});

test("a target ≥ 90% zeros gets the plain warning; a constant target is refused", () => {
  const zeroHeavy = customers(400, 5, (x, rng) => (rng.uniform() < 0.06 ? 100 + 10 * x[0] : 0));
  const t = trainOnMatrix(zeroHeavy);
  assert.ok(t.targetProfile.zeroShare >= 0.9);
  assert.ok(
    t.warnings.some((w) => /is 0 for 9\d\.\d% of customers/.test(w) && /R² near 0 is the expected, honest result/.test(w) && /never come back/.test(w)),
    t.warnings.join("\n"),
  );
  assert.equal(profileTarget([0, 0, 1, 2], "spend").warning, null);
  assert.throws(
    () => trainOnMatrix(customers(50, 1, () => 0)),
    (e: Error) => e instanceof ConstantTargetError && /R² is undefined/.test(e.message),
  );
  assert.throws(() => profileTarget([3.5, 3.5, 3.5], "spend"), ConstantTargetError);
});

test("the CLI exits non-zero on a constant target, naming it", async () => {
  const dir = tempDir();
  // Everyone buys once, long before the horizon: nobody returns, spend_90_days is 0 for all.
  const rows = Array.from({ length: 30 }, (_, i) => kaggleRow({ id: i + 1, date: `0${1 + (i % 3)}/1${i % 10}/2024 10:00` }));
  rows.push(kaggleRow({ id: 999, date: "12/30/2024 10:00" }));
  const csv = writeCsv(dir, "flat.csv", [KAGGLE_HEADER, ...rows].join("\n") + "\n");
  const r = await execa("node", [join(import.meta.dirname, "..", "..", "bin", "zkml.js"), "train", "--input", csv, "--out", join(dir, "m")], { reject: false });
  assert.notEqual(r.exitCode, 0);
  assert.match(r.stderr, /zkml: the target spend_90_days is 0 for all \d+ customers: R² is undefined/);
});

test("export.json records the claim's seed and split; its test-id hash is the test set's", () => {
  const m = customers(300);
  const t = trainOnMatrix(m, { seed: 4, testFraction: 0.25 });
  const dir = tempDir();
  const bundle = buildExport(t.models.ridge, t.test, t.target, 16);
  writeExport(dir, t.models.ridge, bundle, t.target, claimContext(t, "ridge"));
  const manifest = JSON.parse(readFileSync(join(dir, "export.json"), "utf8"));
  const split = manifest.claim.split;
  assert.equal(split.seed, 4);
  assert.equal(split.test_fraction, 0.25);
  const s = splitByCustomer(m.customerIds, 0.25, 4);
  assert.equal(split.n_test_customers, s.test.length);
  assert.equal(split.n_train_customers, s.train.length);
  assert.equal(split.n_test_customers, manifest.test_set.n_samples);
  const hash = createHash("sha256")
    .update(
      s.test
        .map((i) => m.customerIds[i])
        .sort()
        .map((id) => `${id}\n`)
        .join(""),
    )
    .digest("hex");
  assert.equal(split.test_customer_ids_sha256, hash);
  assert.equal(manifest.claim.baseline.score_float.mse, t.metrics.find((x) => x.model === "mean" && x.split === "test")!.mse);
  assert.equal(manifest.claim.evaluation.seeds.length, DEFAULT_TRAINING.evaluationSplits);
  assert.equal(manifest.claim.evaluation.per_split[0].model.mse, manifest.score_float.mse, "the claim is the first evaluated split");
  assert.equal(manifest.claim.lambda_selection.lambda, t.models.ridge.lambda);
});

test("MSE and MAE intervals are truncated at 0, and the output says so; R² intervals are not", () => {
  // Two splits far apart: mean ± t(0.975; 1)·sd·√(1/2 + 1/4) reaches far below 0 for every metric.
  const metrics = (v: number) => ({ r2: v - 1, mse: v, mae: v / 2, n: 10 });
  const outcome = (seed: number, v: number) => ({
    seed,
    nTrain: 40,
    nTest: 10,
    first: "linear" as const,
    test: { mean: metrics(v + 1), linear: metrics(v), ridge: metrics(v), "poly-ridge": metrics(v) },
  });
  const e = summarizeSplits([outcome(1, 1), outcome(2, 100)], 0.2);
  for (const metric of ["mse", "mae"] as const) {
    const s = e.summary.linear[metric];
    const half = tQuantile975(1) * s.sd * Math.sqrt(1 / 2 + 1 / 4);
    assert.ok(s.mean - half < 0, "the untruncated interval would go below 0");
    assert.deepEqual([s.ci95[0], s.truncated], [0, true], metric);
    assert.ok(Math.abs(s.ci95[1] - (s.mean + half)) < 1e-9, "the upper end is untouched");
  }
  const r2 = e.summary.linear.r2!;
  assert.equal(r2.truncated, false);
  assert.ok(r2.ci95[0] < 0, "R² can be negative: its interval is not cut");
  assert.match(evaluationHeadline(e), /MSE and MAE intervals truncated at 0/);
  assert.match(String(evaluationRows(e)[1]["test MSE"]), /\[0\.0000 \(truncated\), /);
  // Where the interval stays above 0 nothing changes.
  const narrow = summarizeSplits([outcome(1, 100), outcome(2, 101)], 0.2).summary.linear.mse;
  assert.equal(narrow.truncated, false);
  assert.ok(narrow.ci95[0] > 0);
});

test("a target of 1e300 stops training naming the customer and value, instead of scores of ±Infinity and NaN", () => {
  const m = customers(300);
  m.y[17] = 1e300;
  assert.ok(1e300 > overflowBound(m.n));
  assert.throws(
    () => trainOnMatrix(m),
    (e: Error) => e instanceof NonFiniteError && e.customerId === "cust-17" && /customer "cust-17" has spend = 1e\+300, beyond ±\d\.\d\de\+152/.test(e.message),
  );
  const inf = customers(300);
  inf.x[5 * 3 + 1] = Infinity;
  assert.throws(() => trainOnMatrix(inf), /customer "cust-5" has b = Infinity, not a finite number/);
});

test("any non-finite number in a training result is named with its path and the most extreme input", () => {
  assert.equal(firstNonFinite({ a: [1, 2], b: { c: 3 } }), null);
  assert.deepEqual(firstNonFinite({ models: { linear: { weights: [1, Number.NaN] } } }), { path: "models.linear.weights[1]", value: Number.NaN });
  assert.deepEqual(firstNonFinite({ summary: { ridge: { mse: { ci95: [-Infinity, 2] } } } }), { path: "summary.ridge.mse.ci95[0]", value: -Infinity });
  const m = customers(50);
  m.y[3] = 1e151;
  assert.throws(
    () => checkFiniteResult({ metrics: { "linear test": { r2: null, mse: Infinity } } }, m),
    (e: Error) =>
      e instanceof NonFiniteError &&
      /training gave metrics\.linear test\.mse = Infinity/.test(e.message) &&
      /customer "cust-3"'s spend = 1e\+151/.test(e.message),
  );
});

test("too few customers to fit is an error naming the counts; too few to trust is a warning", () => {
  assert.throws(
    () => trainOnMatrix(customers(2)),
    (e: Error) => e instanceof TooFewCustomersError && /only 2 customer\(s\) to learn from .* leaves 1 for training/.test(e.message),
  );
  const small = trainOnMatrix(customers(12), { evaluationSplits: 0 });
  assert.ok(
    small.warnings.some((w) => /only 12 customers \(10 for training, 2 for testing\).*4 coefficients.*40 here/.test(w)),
    small.warnings.join("\n"),
  );
  assert.ok(!trainOnMatrix(customers(300)).warnings.some((w) => /only \d+ customers/.test(w)), "no warning with enough customers");
});
