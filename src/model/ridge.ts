// Ridge regression in closed form, λ chosen by k-fold cross-validation.
// ml-regression has no ridge model, so we solve (AᵀA + nλ·P)w = Aᵀy with
// ml-matrix, P = diag(0, 1, …, 1) leaving the intercept unpenalized.
// One pass over the rows builds each fold's Gram matrix (AᵀA, Aᵀy, yᵀy);
// after that every λ and fold costs one small solve, and the held-out error
// of a fold is a quadratic form in its Gram matrix: no further pass over rows.
import { CholeskyDecomposition, Matrix, solve } from "ml-matrix";
import { kFolds } from "./split.js";

/** A design matrix: n rows of p columns, row-major, without the intercept. */
export interface Design {
  n: number;
  p: number;
  values: Float64Array;
}

export const DEFAULT_LAMBDAS = Array.from({ length: 17 }, (_, i) => 10 ** (-6 + i * 0.5));

/** How far the grid may grow past an edge: one decade at a time, this many times. */
export const MAX_GRID_EXTENSIONS = 4;

/** Sufficient statistics of a set of rows, intercept column first (q = p + 1). */
export interface Gram {
  q: number;
  g: Float64Array; // q×q, upper triangle filled
  b: Float64Array; // q
  yy: number;
  n: number;
}

export function emptyGram(p: number): Gram {
  const q = p + 1;
  return { q, g: new Float64Array(q * q), b: new Float64Array(q), yy: 0, n: 0 };
}

const GRAM_BLOCK_ROWS = 2048;

/** Σ u[i]·v[i] over i in [lo, hi), with four accumulators for instruction-level parallelism. */
function dot(u: Float64Array, uOff: number, v: Float64Array, vOff: number, lo: number, hi: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = lo;
  for (; i + 3 < hi; i += 4) {
    s0 += u[uOff + i] * v[vOff + i];
    s1 += u[uOff + i + 1] * v[vOff + i + 1];
    s2 += u[uOff + i + 2] * v[vOff + i + 2];
    s3 += u[uOff + i + 3] * v[vOff + i + 3];
  }
  for (; i < hi; i++) s0 += u[uOff + i] * v[vOff + i];
  return s0 + s1 + s2 + s3;
}

/**
 * Each fold's Gram matrix over the design's rows. The rows are regrouped by
 * fold into columns first, so every entry is one contiguous dot product
 * (about 3× faster than accumulating outer products row by row).
 */
export function foldGrams(design: Design, y: ArrayLike<number>, fold: ArrayLike<number>, k: number): Gram[] {
  const { n, p, values: v } = design;
  const q = p + 1;
  const start = new Int32Array(k + 1);
  for (let r = 0; r < n; r++) start[fold[r] + 1]++;
  for (let f = 0; f < k; f++) start[f + 1] += start[f];
  const next = start.slice(0, k);
  // cols[c·n + i]: column c of the i-th row in fold order; ys alike.
  const cols = new Float64Array(p * n);
  const ys = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const i = next[fold[r]]++;
    ys[i] = y[r];
    for (let c = 0; c < p; c++) cols[c * n + i] = v[r * p + c];
  }
  const ones = new Float64Array(n).fill(1);
  return Array.from({ length: k }, (_, f) => {
    const lo = start[f];
    const hi = start[f + 1];
    const gram = emptyGram(p);
    gram.n = hi - lo;
    gram.g[0] = hi - lo;
    // Row blocks small enough that all p column slices stay in cache.
    for (let from = lo; from < hi; from += GRAM_BLOCK_ROWS) {
      const to = Math.min(hi, from + GRAM_BLOCK_ROWS);
      gram.b[0] += dot(ys, 0, ones, 0, from, to);
      gram.yy += dot(ys, 0, ys, 0, from, to);
      for (let a = 1; a < q; a++) {
        const ca = (a - 1) * n;
        gram.g[a] += dot(cols, ca, ones, 0, from, to);
        gram.b[a] += dot(cols, ca, ys, 0, from, to);
        for (let c = a; c < q; c++) gram.g[a * q + c] += dot(cols, ca, cols, (c - 1) * n, from, to);
      }
    }
    return gram;
  });
}

export function sumGrams(grams: readonly Gram[]): Gram {
  const total = emptyGram(grams[0].q - 1);
  for (const f of grams) {
    for (let i = 0; i < f.g.length; i++) total.g[i] += f.g[i];
    for (let i = 0; i < f.b.length; i++) total.b[i] += f.b[i];
    total.yy += f.yy;
    total.n += f.n;
  }
  return total;
}

export function subtractGram(total: Gram, part: Gram): Gram {
  return { q: total.q, g: total.g.map((v, i) => v - part.g[i]), b: total.b.map((v, i) => v - part.b[i]), yy: total.yy - part.yy, n: total.n - part.n };
}

/**
 * Weights (intercept first) minimizing ‖Aw − y‖² + nλ‖w₁…‖². λ > 0 makes the
 * system positive definite (Cholesky); λ = 0 is least squares, solved by SVD
 * so that a constant (all-zero after standardizing) column gets weight 0.
 */
export function solveRidge(gram: Gram, lambda: number): Float64Array {
  const q = gram.q;
  const m = new Matrix(q, q);
  for (let a = 0; a < q; a++)
    for (let c = a; c < q; c++) {
      const v = gram.g[a * q + c] + (a === c && a > 0 ? gram.n * lambda : 0);
      m.set(a, c, v);
      m.set(c, a, v);
    }
  const rhs = Matrix.columnVector(Array.from(gram.b));
  if (lambda > 0) {
    const chol = new CholeskyDecomposition(m);
    if (chol.isPositiveDefinite()) return Float64Array.from(chol.solve(rhs).getColumn(0));
  }
  return Float64Array.from(solve(m, rhs, true).getColumn(0));
}

/** Σ (a·w − y)² over the rows a Gram matrix summarizes: wᵀGw − 2wᵀb + yᵀy. */
export function squaredError(gram: Gram, w: Float64Array): number {
  const { q, g, b } = gram;
  let quad = 0;
  let lin = 0;
  for (let a = 0; a < q; a++) {
    lin += w[a] * b[a];
    let cross = 0;
    for (let c = a + 1; c < q; c++) cross += g[a * q + c] * w[c];
    quad += w[a] * (g[a * q + a] * w[a] + 2 * cross);
  }
  return Math.max(0, quad - 2 * lin + gram.yy); // rounding can dip a perfect fit below 0
}

export function predictDesign(design: Design, row: number, w: Float64Array): number {
  let acc = w[0];
  for (let j = 0; j < design.p; j++) acc += w[j + 1] * design.values[row * design.p + j];
  return acc;
}

/** Where the chosen λ sits on its grid, and what was done about an edge. */
export interface LambdaSelection {
  lambda: number;
  /** interior: inside the grid given; extended: inside after growing the grid past an edge; edge: still the grid's end after the last extension. */
  status: "interior" | "extended" | "edge";
  /** Decades added past the grid's smallest and largest value. */
  extendedBelow: number;
  extendedAbove: number;
  /** One plain sentence for "extended" and "edge"; null for "interior". */
  note: string | null;
}

export interface RidgeFit {
  /** Intercept first, then one weight per design column. */
  weights: Float64Array;
  lambda: number;
  /** Mean CV mean-squared error for each λ tried, ascending λ (extensions included). */
  cv: { lambda: number; mse: number }[];
  selection: LambdaSelection;
}

/** The best λ; near-ties (flat curves) go to the larger λ, the simpler model. */
function bestOf(cv: { lambda: number; mse: number }[]): number {
  const min = Math.min(...cv.map((c) => c.mse));
  const tolerance = 1e-10 * Math.max(min, Number.MIN_VALUE);
  let best = 0;
  cv.forEach((c, i) => {
    if (c.mse <= min + tolerance) best = i;
  });
  return best;
}

const fmt = (l: number) => l.toExponential(0);

export function fitRidgeCV(
  design: Design,
  y: ArrayLike<number>,
  options: { lambdas?: number[]; folds?: number; seed?: number; maxExtensions?: number; label?: string } = {},
): RidgeFit {
  const grid = [...(options.lambdas ?? DEFAULT_LAMBDAS)].sort((a, b) => a - b);
  if (grid.length === 0 || grid.some((l) => !(l > 0))) throw new RangeError(`ridge λ grid must be positive values, got ${grid.join(", ")}`);
  const k = Math.min(options.folds ?? 5, design.n);
  const fold = kFolds(design.n, k, options.seed ?? 1);
  // Centre y so the Gram statistics stay small; the intercept absorbs the mean.
  let yMean = 0;
  for (let i = 0; i < design.n; i++) yMean += y[i];
  yMean /= design.n;
  const yc = new Float64Array(design.n);
  for (let i = 0; i < design.n; i++) yc[i] = y[i] - yMean;
  const perFold = foldGrams(design, yc, fold, k);
  const total = sumGrams(perFold);
  const trainOf = perFold.map((f) => subtractGram(total, f));
  const cvMse = (lambda: number) => {
    let squared = 0;
    for (let f = 0; f < k; f++) squared += squaredError(perFold[f], solveRidge(trainOf[f], lambda));
    return { lambda, mse: squared / design.n };
  };
  const cv = grid.map(cvMse);
  const maxExtensions = options.maxExtensions ?? MAX_GRID_EXTENSIONS;
  let below = 0;
  let above = 0;
  // A minimum at an edge of a one-value grid is no edge: nothing was compared.
  while (grid.length > 1 && below + above < 2 * maxExtensions) {
    const best = bestOf(cv);
    if (best === 0 && below < maxExtensions) {
      cv.unshift(cvMse(cv[0].lambda / 10));
      below++;
    } else if (best === cv.length - 1 && above < maxExtensions) {
      cv.push(cvMse(cv[cv.length - 1].lambda * 10));
      above++;
    } else break;
  }
  const best = bestOf(cv);
  const lambda = cv[best].lambda;
  const atEdge = grid.length > 1 && (best === 0 || best === cv.length - 1);
  const what = options.label ?? "ridge";
  const side = best === 0 ? "smallest" : "largest";
  const selection: LambdaSelection = {
    lambda,
    status: atEdge ? "edge" : below + above > 0 ? "extended" : "interior",
    extendedBelow: below,
    extendedAbove: above,
    note: atEdge
      ? `${what}: cross-validation picked λ = ${fmt(lambda)}, the ${side} value tried even after extending the grid ${below + above} decade(s) ` +
        `(${fmt(grid[0])}…${fmt(grid[grid.length - 1])} given); ` +
        (side === "smallest" ? "shrinkage does not help here, the model is effectively unregularized" : "the penalty wants to be larger still: the features carry little signal")
      : below + above > 0
        ? `${what}: λ = ${fmt(lambda)} lies beyond the grid given (${fmt(grid[0])}…${fmt(grid[grid.length - 1])}); the grid was extended ${below > 0 ? `${below} decade(s) down` : `${above} decade(s) up`} to bracket the CV minimum`
        : null,
  };
  const weights = solveRidge(total, lambda);
  weights[0] += yMean;
  return { weights, lambda, cv, selection };
}

/** Column means and population standard deviations; a constant column gets σ = 1. */
export function standardization(x: readonly (readonly number[])[]): { mean: number[]; std: number[] } {
  const d = x[0].length;
  const flat = new Float64Array(x.length * d);
  x.forEach((row, i) => row.forEach((v, j) => (flat[i * d + j] = v)));
  return standardizationOfRows(flat, d, Int32Array.from(x.keys()));
}

/** The same over selected rows of a row-major matrix with d columns. */
export function standardizationOfRows(x: Float64Array, d: number, rows: ArrayLike<number>): { mean: number[]; std: number[] } {
  const mean = new Array<number>(d).fill(0);
  const sq = new Array<number>(d).fill(0);
  for (let r = 0; r < rows.length; r++) for (let j = 0; j < d; j++) mean[j] += x[rows[r] * d + j];
  for (let j = 0; j < d; j++) mean[j] /= rows.length;
  for (let r = 0; r < rows.length; r++) for (let j = 0; j < d; j++) sq[j] += (x[rows[r] * d + j] - mean[j]) ** 2;
  const std = sq.map((s) => Math.sqrt(s / rows.length) || 1);
  return { mean, std };
}
