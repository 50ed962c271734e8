// Ridge regression in closed form, λ chosen by k-fold cross-validation.
// ml-regression has no ridge model, so we solve (AᵀA + nλ·P)w = Aᵀy with
// ml-matrix, P = diag(0, 1, …, 1) leaving the intercept unpenalized.
// One pass over the rows builds each fold's Gram matrix (AᵀA, Aᵀy, yᵀy);
// after that every λ and fold costs one small solve, and the held-out error
// of a fold is a quadratic form in its Gram matrix: no further pass over rows.
import { CholeskyDecomposition, Matrix, solve } from "ml-matrix";
import { rowMajor } from "./matrix.js";
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
const TRANSPOSE_BLOCK_ROWS = 64;

/**
 * Σ over rows [lo, hi) of column a times columns c…c+3 of a column-major
 * matrix with n rows: one load of column a feeds four products, and the four
 * sums are independent (instruction-level parallelism).
 */
function dot4(cols: Float64Array, n: number, a: number, c: number, lo: number, hi: number, out: Float64Array): void {
  const ao = a * n,
    o0 = c * n,
    o1 = o0 + n,
    o2 = o1 + n,
    o3 = o2 + n;
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  for (let i = lo; i < hi; i++) {
    const u = cols[ao + i];
    s0 += u * cols[o0 + i];
    s1 += u * cols[o1 + i];
    s2 += u * cols[o2 + i];
    s3 += u * cols[o3 + i];
  }
  out[0] = s0;
  out[1] = s1;
  out[2] = s2;
  out[3] = s3;
}

function dot(cols: Float64Array, n: number, a: number, c: number, lo: number, hi: number): number {
  const ao = a * n,
    co = c * n;
  let s = 0;
  for (let i = lo; i < hi; i++) s += cols[ao + i] * cols[co + i];
  return s;
}

/**
 * A design regrouped by fold into columns [1, design…, y]: column c of the
 * i-th row in fold order is cols[c·n + i], and fold f holds the positions
 * start[f] … start[f+1]−1. Every Gram entry is then one dot product over
 * contiguous memory.
 */
export interface FoldedColumns {
  n: number;
  p: number;
  k: number;
  start: Int32Array;
  cols: Float64Array;
}

/** Where each row goes when rows are grouped by fold (stable within a fold). */
export function foldLayout(fold: ArrayLike<number>, k: number): { start: Int32Array; position: Int32Array } {
  const n = fold.length;
  const start = new Int32Array(k + 1);
  for (let r = 0; r < n; r++) start[fold[r] + 1]++;
  for (let f = 0; f < k; f++) start[f + 1] += start[f];
  const next = start.slice(0, k);
  const position = new Int32Array(n);
  for (let r = 0; r < n; r++) position[r] = next[fold[r]]++;
  return { start, position };
}

/** Folded columns of a row-major design (the general path; training builds its columns directly). */
export function columnsOfDesign(design: Design, y: ArrayLike<number>, fold: ArrayLike<number>, k: number): FoldedColumns {
  const { n, p, values: v } = design;
  const { start, position } = foldLayout(fold, k);
  const cols = new Float64Array((p + 2) * n);
  cols.fill(1, 0, n);
  // Transposed in blocks of rows, column by column: a row-at-a-time transpose
  // scatters every value to a different cache line.
  for (let lo = 0; lo < n; lo += TRANSPOSE_BLOCK_ROWS) {
    const hi = Math.min(n, lo + TRANSPOSE_BLOCK_ROWS);
    for (let c = 0; c < p; c++) {
      const co = (c + 1) * n;
      for (let r = lo; r < hi; r++) cols[co + position[r]] = v[r * p + c];
    }
    for (let r = lo; r < hi; r++) cols[(p + 1) * n + position[r]] = y[r];
  }
  return { n, p, k, start, cols };
}

/** Each fold's Gram matrix (AᵀA, Aᵀy, yᵀy), in row blocks that stay in cache. */
export function gramsOfColumns(fc: FoldedColumns): Gram[] {
  const { n, p, cols, start } = fc;
  const q = p + 1; // intercept and design columns; column q holds y
  const four = new Float64Array(4);
  return Array.from({ length: fc.k }, (_, f) => {
    const gram = emptyGram(p);
    gram.n = start[f + 1] - start[f];
    // Entries of the augmented (q+1)×(q+1) Gram matrix: its last column is Aᵀy, its last entry yᵀy.
    const add = (a: number, c: number, value: number) => {
      if (c < q) gram.g[a * q + c] += value;
      else if (a < q) gram.b[a] += value;
      else gram.yy += value;
    };
    for (let from = start[f]; from < start[f + 1]; from += GRAM_BLOCK_ROWS) {
      const to = Math.min(start[f + 1], from + GRAM_BLOCK_ROWS);
      for (let a = 0; a <= q; a++) {
        let c = a;
        for (; c + 3 <= q; c += 4) {
          dot4(cols, n, a, c, from, to, four);
          for (let t = 0; t < 4; t++) add(a, c + t, four[t]);
        }
        for (; c <= q; c++) add(a, c, dot(cols, n, a, c, from, to));
      }
    }
    return gram;
  });
}

/** Each fold's Gram matrix over the design's rows. */
export function foldGrams(design: Design, y: ArrayLike<number>, fold: ArrayLike<number>, k: number): Gram[] {
  return gramsOfColumns(columnsOfDesign(design, y, fold, k));
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

export interface RidgeOptions {
  lambdas?: number[];
  folds?: number;
  seed?: number;
  maxExtensions?: number;
  label?: string;
}

export function fitRidgeCV(design: Design, y: ArrayLike<number>, options: RidgeOptions = {}): RidgeFit {
  const k = Math.min(options.folds ?? 5, design.n);
  return fitRidgeCVColumns(columnsOfDesign(design, y, kFolds(design.n, k, options.seed ?? 1), k), options);
}

/** Ridge CV on folded columns; their y column is centred in place. */
export function fitRidgeCVColumns(fc: FoldedColumns, options: RidgeOptions = {}): RidgeFit & { leastSquares: () => Float64Array } {
  const grid = [...(options.lambdas ?? DEFAULT_LAMBDAS)].sort((a, b) => a - b);
  if (grid.length === 0 || grid.some((l) => !(l > 0))) throw new RangeError(`ridge λ grid must be positive values, got ${grid.join(", ")}`);
  const { n, k } = fc;
  // Centre y so the Gram statistics stay small; the intercept absorbs the mean.
  const yCol = fc.cols.subarray((fc.p + 1) * n, (fc.p + 2) * n);
  let yMean = 0;
  for (let i = 0; i < n; i++) yMean += yCol[i];
  yMean /= n;
  for (let i = 0; i < n; i++) yCol[i] -= yMean;
  const perFold = gramsOfColumns(fc);
  const total = sumGrams(perFold);
  const trainOf = perFold.map((f) => subtractGram(total, f));
  const cvMse = (lambda: number) => {
    let squared = 0;
    for (let f = 0; f < k; f++) squared += squaredError(perFold[f], solveRidge(trainOf[f], lambda));
    return { lambda, mse: squared / n };
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
        (side === "smallest"
          ? "shrinkage does not help here, the model is effectively unregularized"
          : "the penalty wants to be larger still: the features carry little signal")
      : below + above > 0
        ? `${what}: λ = ${fmt(lambda)} lies beyond the grid given (${fmt(grid[0])}…${fmt(grid[grid.length - 1])}); the grid was extended ${below > 0 ? `${below} decade(s) down` : `${above} decade(s) up`} to bracket the CV minimum`
        : null,
  };
  const weights = solveRidge(total, lambda);
  weights[0] += yMean;
  // Ordinary least squares on the same Gram matrix (λ = 0), for callers that also want it.
  const leastSquares = () => {
    const w = solveRidge(total, 0);
    w[0] += yMean;
    return w;
  };
  return { weights, lambda, cv, selection, leastSquares };
}

/** Column means and population standard deviations; a constant column gets σ = 1. */
export function standardization(x: readonly (readonly number[])[]): { mean: number[]; std: number[] } {
  const d = x[0].length;
  const flat = rowMajor(x, d);
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
