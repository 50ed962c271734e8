import assert from "node:assert/strict";
import { test } from "node:test";
import { MultivariateLinearRegression } from "ml-regression";
import { fitLinear } from "../../src/model/linear.js";
import { regressionMetrics } from "../../src/model/metrics.js";
import { allTerms, polynomialDesign, predict } from "../../src/model/poly.js";
import { standardization } from "../../src/model/ridge.js";
import { customerOrder, kFolds, splitByCustomer } from "../../src/model/split.js";
import { DEFAULT_TRAINING, fitPolyRidge, fitRidge } from "../../src/model/train.js";
import type { PolynomialModel } from "../../src/model/types.js";
import { Rng } from "../../src/util/rng.js";

const names = ["a", "b", "c"];
function synthetic(n: number, f: (x: number[]) => number, noise = 0, seed = 1) {
  const rng = new Rng(seed);
  const x = Array.from({ length: n }, () => [rng.normal() * 3 + 10, rng.normal() * 50, rng.uniform() * 4]);
  return { x, y: x.map((row) => f(row) + noise * rng.normal()) };
}

test("metrics: R², MSE, MAE by hand; R² undefined for constant targets", () => {
  const m = regressionMetrics([1, 2, 3, 4], [1, 2, 3, 6]);
  assert.equal(m.mse, 1);
  assert.equal(m.mae, 0.5);
  assert.equal(m.r2, 1 - 4 / 5);
  assert.equal(regressionMetrics([2, 2], [1, 3]).r2, null);
});

test("OLS by the normal equations recovers noiseless coefficients and matches ml-regression on noisy data", () => {
  const { x, y } = synthetic(200, ([a, b, c]) => 5 + 2 * a - 0.5 * b + 3 * c);
  const m = fitLinear(x, y, names);
  assert.ok(Math.abs(m.bias - 5) < 1e-6);
  for (const [j, w] of m.weights.entries()) assert.ok(Math.abs(w - [2, -0.5, 3][j]) < 1e-8);
  const noisy = synthetic(300, ([a, b, c]) => 1 + a - 0.2 * b + c * c, 4, 2);
  const ours = fitLinear(noisy.x, noisy.y, names);
  const mlr = new MultivariateLinearRegression(
    noisy.x,
    noisy.y.map((v) => [v]),
  );
  const column = mlr.weights.map((row: number[]) => row[0]); // d weights, then the intercept
  assert.ok(Math.abs(ours.bias - column[3]) < 1e-8 * Math.abs(column[3]) + 1e-8);
  for (const [j, w] of ours.weights.entries()) assert.ok(Math.abs(w - column[j]) < 1e-8 * Math.abs(column[j]) + 1e-10, `weight ${j}: ${w} vs ${column[j]}`);
  // A constant column gets weight 0 instead of a singular solve.
  const flat = fitLinear(
    noisy.x.map(([a, b]) => [a, b, 7]),
    noisy.y,
    names,
  );
  assert.equal(flat.weights[2], 0);
});

test("ridge: tiny λ matches OLS, folded weights predict like the standardized model, CV picks a λ on the grid", () => {
  const { x, y } = synthetic(500, ([a, b, c]) => 1 + a - 0.1 * b + 2 * c, 1);
  const ols = fitLinear(x, y, names);
  const { model } = fitRidge(x, y, names, { ...DEFAULT_TRAINING, lambdas: [1e-12] });
  for (const [i, p] of predict(model, x).entries()) assert.ok(Math.abs(p - predict(ols, x)[i]) < 1e-6);
  const shrunk = fitRidge(x, y, names, { ...DEFAULT_TRAINING, lambdas: [100] }).model;
  const norm = (w: number[]) => Math.hypot(...w.map((v, j) => v * standardization(x).std[j]));
  assert.ok(norm(shrunk.weights) < 0.1 * norm(model.weights), "a large penalty shrinks the standardized weights");
  const cv = fitRidge(x, y, names, DEFAULT_TRAINING);
  assert.ok(DEFAULT_TRAINING.lambdas.includes(cv.model.lambda!));
  assert.equal(cv.cv.length, DEFAULT_TRAINING.lambdas.length);
});

test("polynomial ridge fits a quadratic that linear models cannot", () => {
  const { x, y } = synthetic(800, ([a, , c]) => 3 + (a - 10) ** 2 - 2 * (a - 10) * c, 0.5);
  const poly = fitPolyRidge(x, y, names, { ...DEFAULT_TRAINING, polyDegree: 2 }).model;
  assert.equal(poly.terms.length, allTerms(3, 2).length);
  assert.ok(regressionMetrics(y, predict(poly, x)).r2! > 0.99);
  assert.ok(regressionMetrics(y, predict(fitLinear(x, y, names), x)).r2! < 0.9);
});

test("polynomial design clips standardized values at ±zClip", () => {
  const model: PolynomialModel = {
    kind: "polynomial",
    family: "poly-ridge",
    featureNames: ["a"],
    degree: 2,
    mean: [0],
    std: [1],
    zClip: 2,
    terms: [[0], [0, 0]],
    bias: 1,
    weights: [1, 1],
    lambda: 0,
  };
  assert.deepEqual(Array.from(polynomialDesign([[3], [-1]], model).values), [2, 4, -1, 1]);
  assert.deepEqual(predict(model, [[3], [-1]]), [7, 1]);
});

test("split by customer is seeded, disjoint and keeps a customer's rows together", () => {
  const ids = Array.from({ length: 100 }, (_, i) => `c${i % 40}`);
  const s = splitByCustomer(ids, 0.25, 9);
  assert.deepEqual(s, splitByCustomer(ids, 0.25, 9));
  assert.equal(s.train.length + s.test.length, 100);
  const testIds = new Set(s.test.map((i) => ids[i]));
  assert.equal(testIds.size, 10);
  for (const i of s.train) assert.ok(!testIds.has(ids[i]));
  const folds = kFolds(10, 3, 1);
  assert.deepEqual([0, 1, 2].map((f) => folds.filter((v) => v === f).length).sort(), [3, 3, 4]);
});

test("a presorted customer order (polars' argsort) is used only when it is JavaScript's order", () => {
  const ids = ["c10", "c2", "a", "b7"];
  const js = customerOrder(ids);
  assert.deepEqual(customerOrder(ids, [2, 3, 0, 1]), js);
  // Code-point order (polars) puts U+FFFF before an astral character; UTF-16 order (JS) does not: fall back.
  const odd = ["\u{1F600}", "\uFFFF"];
  assert.deepEqual(customerOrder(odd, [1, 0]), customerOrder(odd));
  assert.deepEqual(customerOrder(odd).unique, ["\u{1F600}", "\uFFFF"]);
  // A wrong or duplicate-bearing candidate is ignored too.
  assert.deepEqual(customerOrder(ids, [0, 1, 2, 3]), js);
  assert.deepEqual(splitByCustomer(customerOrder(ids, [2, 3, 0, 1]), 0.5, 3), splitByCustomer(ids, 0.5, 3));
});
