// Ridge regression in closed form, λ chosen by k-fold cross-validation.
// ml-regression has no ridge model, so we solve (AᵀA + nλ·P)w = Aᵀy with
// ml-matrix, P = diag(0, 1, …, 1) leaving the intercept unpenalized. The
// Gram matrix of each fold is computed once; every λ then costs one solve.
import { Matrix, solve } from "ml-matrix";
import { kFolds } from "./split.js";

/** A design matrix: n rows of p columns, row-major, without the intercept. */
export interface Design {
  n: number;
  p: number;
  values: Float64Array;
}

export const DEFAULT_LAMBDAS = Array.from({ length: 17 }, (_, i) => 10 ** (-6 + i * 0.5));

interface Gram {
  g: Float64Array; // (p+1)², intercept first
  b: Float64Array; // p+1
  n: number;
}

function emptyGram(p: number): Gram {
  return { g: new Float64Array((p + 1) ** 2), b: new Float64Array(p + 1), n: 0 };
}

function accumulate(gram: Gram, design: Design, row: number, y: number, scratch: Float64Array): void {
  const q = design.p + 1;
  scratch[0] = 1;
  for (let j = 0; j < design.p; j++) scratch[j + 1] = design.values[row * design.p + j];
  for (let a = 0; a < q; a++) {
    const va = scratch[a];
    gram.b[a] += va * y;
    for (let c = a; c < q; c++) gram.g[a * q + c] += va * scratch[c];
  }
  gram.n++;
}

function solveRidge(gram: Gram, lambda: number): Float64Array {
  const q = gram.b.length;
  const m = new Matrix(q, q);
  for (let a = 0; a < q; a++)
    for (let c = a; c < q; c++) {
      const v = gram.g[a * q + c] + (a === c && a > 0 ? gram.n * lambda : 0);
      m.set(a, c, v);
      m.set(c, a, v);
    }
  return Float64Array.from(solve(m, Matrix.columnVector(Array.from(gram.b))).getColumn(0));
}

export function predictDesign(design: Design, row: number, w: Float64Array): number {
  let acc = w[0];
  for (let j = 0; j < design.p; j++) acc += w[j + 1] * design.values[row * design.p + j];
  return acc;
}

export interface RidgeFit {
  /** Intercept first, then one weight per design column. */
  weights: Float64Array;
  lambda: number;
  /** Mean CV mean-squared error for each λ tried. */
  cv: { lambda: number; mse: number }[];
}

export function fitRidgeCV(design: Design, y: readonly number[], options: { lambdas?: number[]; folds?: number; seed?: number } = {}): RidgeFit {
  const lambdas = options.lambdas ?? DEFAULT_LAMBDAS;
  const k = Math.min(options.folds ?? 5, design.n);
  const fold = kFolds(design.n, k, options.seed ?? 1);
  const scratch = new Float64Array(design.p + 1);
  const total = emptyGram(design.p);
  const perFold = Array.from({ length: k }, () => emptyGram(design.p));
  for (let i = 0; i < design.n; i++) accumulate(perFold[fold[i]], design, i, y[i], scratch);
  for (const f of perFold) {
    f.g.forEach((v, i) => (total.g[i] += v));
    f.b.forEach((v, i) => (total.b[i] += v));
    total.n += f.n;
  }
  const cv = lambdas.map((lambda) => {
    let squared = 0;
    for (let f = 0; f < k; f++) {
      const train: Gram = {
        g: total.g.map((v, i) => v - perFold[f].g[i]), b: total.b.map((v, i) => v - perFold[f].b[i]), n: total.n - perFold[f].n,
      };
      const w = solveRidge(train, lambda);
      for (let i = 0; i < design.n; i++) if (fold[i] === f) squared += (predictDesign(design, i, w) - y[i]) ** 2;
    }
    return { lambda, mse: squared / design.n };
  });
  const best = cv.reduce((a, b) => (b.mse < a.mse ? b : a));
  return { weights: solveRidge(total, best.lambda), lambda: best.lambda, cv };
}

/** Column means and population standard deviations; a constant column gets σ = 1. */
export function standardization(x: readonly (readonly number[])[]): { mean: number[]; std: number[] } {
  const d = x[0].length;
  const mean = new Array<number>(d).fill(0);
  const sq = new Array<number>(d).fill(0);
  for (const row of x) row.forEach((v, j) => (mean[j] += v));
  mean.forEach((_, j) => (mean[j] /= x.length));
  for (const row of x) row.forEach((v, j) => (sq[j] += (v - mean[j]) ** 2));
  const std = sq.map((s) => Math.sqrt(s / x.length) || 1);
  return { mean, std };
}
