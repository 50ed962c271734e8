// Ordinary least squares by the normal equations on standardized columns
// (the same Gram matrix machinery as ridge, with λ = 0). ml-regression's
// MultivariateLinearRegression gives the same fit and stays the tests'
// independent reference, but it took a second on 230,000 customers.
import type { FeatureMatrix } from "./matrix.js";
import { matrixOfRows } from "./matrix.js";
import { type Design, type FoldedColumns, foldGrams, solveRidge, standardizationOfRows } from "./ridge.js";
import type { AffineModel } from "./types.js";

/** The standardized design of selected rows: (x − mean)/std per column. */
export function standardizedDesign(m: FeatureMatrix, rows: ArrayLike<number>, s: { mean: number[]; std: number[] }): Design {
  const { d } = m;
  const values = new Float64Array(rows.length * d);
  for (let r = 0; r < rows.length; r++) for (let j = 0; j < d; j++) values[r * d + j] = (m.x[rows[r] * d + j] - s.mean[j]) / s.std[j];
  return { n: rows.length, p: d, values };
}

/**
 * The standardized design of selected rows, built straight into folded
 * columns [1, z…, y] (position[r]: where row r goes), with no row-major copy.
 */
export function standardizedColumns(
  m: FeatureMatrix,
  rows: ArrayLike<number>,
  s: { mean: number[]; std: number[] },
  layout: { start: Int32Array; position: Int32Array },
): FoldedColumns {
  const { d } = m;
  const n = rows.length;
  const cols = new Float64Array((d + 2) * n);
  cols.fill(1, 0, n);
  for (let r = 0; r < n; r++) {
    const i = layout.position[r];
    const off = rows[r] * d;
    for (let j = 0; j < d; j++) cols[(j + 1) * n + i] = (m.x[off + j] - s.mean[j]) / s.std[j];
    cols[(d + 1) * n + i] = m.y[rows[r]];
  }
  return { n, p: d, k: layout.start.length - 1, start: layout.start, cols };
}

/** Fold the standardization into raw-feature weights: the exported model needs no scaler. */
export function rawAffine(w: Float64Array, s: { mean: number[]; std: number[] }): { bias: number; weights: number[] } {
  const weights = s.mean.map((_, j) => w[j + 1] / s.std[j]);
  return { bias: w[0] - weights.reduce((acc, v, j) => acc + v * s.mean[j], 0), weights };
}

export function fitLinearOfRows(m: FeatureMatrix, rows: ArrayLike<number>, s = standardizationOfRows(m.x, m.d, rows)): AffineModel {
  const design = standardizedDesign(m, rows, s);
  const y = new Float64Array(rows.length);
  for (let r = 0; r < rows.length; r++) y[r] = m.y[rows[r]];
  const [gram] = foldGrams(design, y, new Uint8Array(rows.length), 1);
  return { kind: "affine", family: "linear", featureNames: m.featureNames, ...rawAffine(solveRidge(gram, 0), s) };
}

export function fitLinear(x: number[][], y: number[], featureNames: string[]): AffineModel {
  const m = matrixOfRows(x, y, featureNames);
  return fitLinearOfRows(m, Int32Array.from(x.keys()));
}
