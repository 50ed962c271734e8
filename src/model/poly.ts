// Polynomial features over standardized, clipped inputs: the exact float
// counterpart of the polynomial kind in spec/FORMAT.md.
import { type FeatureMatrix, rowMajor } from "./matrix.js";
import type { Design, FoldedColumns } from "./ridge.js";
import type { FittedModel, PolynomialModel } from "./types.js";

/** Every monomial of degree 1..degree over d features, graded lexicographic. */
export function allTerms(d: number, degree: number): number[][] {
  const terms: number[][] = [];
  const extend = (prefix: number[], from: number, left: number) => {
    if (left === 0) return void terms.push(prefix);
    for (let j = from; j < d; j++) extend([...prefix, j], j, left - 1);
  };
  for (let g = 1; g <= degree; g++) extend([], 0, g);
  return terms;
}

type Standardizer = Pick<PolynomialModel, "mean" | "std" | "zClip" | "terms">;

export function polynomialDesign(x: readonly (readonly number[])[], s: Standardizer): Design {
  const d = s.mean.length;
  const flat = rowMajor(x, d);
  return polynomialDesignOfRows(flat, d, Int32Array.from(x.keys()), s);
}

/** Terms as flat index lists padded with index d, where the z vector holds a constant 1. */
function termIndex(terms: readonly number[][], d: number): { width: number; index: Int32Array } {
  const width = Math.max(1, ...terms.map((t) => t.length));
  const index = new Int32Array(terms.length * width).fill(d);
  for (const [t, term] of terms.entries()) index.set(term, t * width);
  return { width, index };
}

/** z = clip((x − mean)/std, ±zClip) of one row into z[0…d−1] (z[d] stays 1). */
function standardizeRow(x: Float64Array, off: number, s: Standardizer, z: Float64Array): void {
  for (let j = 0; j < s.mean.length; j++) z[j] = Math.min(s.zClip, Math.max(-s.zClip, (x[off + j] - s.mean[j]) / s.std[j]));
}

/** The same over selected rows of a row-major matrix with d columns. */
export function polynomialDesignOfRows(x: Float64Array, d: number, rows: ArrayLike<number>, s: Standardizer): Design {
  const p = s.terms.length;
  const values = new Float64Array(rows.length * p);
  const { width, index } = termIndex(s.terms, d);
  const z = new Float64Array(d + 1).fill(1);
  for (let r = 0; r < rows.length; r++) {
    standardizeRow(x, rows[r] * d, s, z);
    for (let t = 0; t < p; t++) {
      let m = 1;
      for (let k = 0; k < width; k++) m *= z[index[t * width + k]];
      values[r * p + t] = m;
    }
  }
  return { n: rows.length, p, values };
}

/**
 * The polynomial design of selected rows straight into folded columns
 * [1, monomials…, y]: the clipped z values first (d columns), then each
 * monomial as a product of z columns, streaming through memory.
 */
export function polynomialColumns(
  m: FeatureMatrix,
  rows: ArrayLike<number>,
  s: Standardizer,
  layout: { start: Int32Array; position: Int32Array },
): FoldedColumns {
  const { d } = m;
  const n = rows.length;
  const p = s.terms.length;
  const z = new Float64Array(d * n);
  const cols = new Float64Array((p + 2) * n);
  for (let r = 0; r < n; r++) {
    const i = layout.position[r];
    const off = rows[r] * d;
    for (let j = 0; j < d; j++) z[j * n + i] = Math.min(s.zClip, Math.max(-s.zClip, (m.x[off + j] - s.mean[j]) / s.std[j]));
    cols[(p + 1) * n + i] = m.y[rows[r]];
  }
  cols.fill(1, 0, n);
  s.terms.forEach((term, t) => {
    const out = cols.subarray((t + 1) * n, (t + 2) * n);
    out.set(z.subarray(term[0] * n, (term[0] + 1) * n));
    for (let k = 1; k < term.length; k++) {
      const zk = z.subarray(term[k] * n, (term[k] + 1) * n);
      for (let i = 0; i < n; i++) out[i] *= zk[i];
    }
  });
  return { n, p, k: layout.start.length - 1, start: layout.start, cols };
}

/** Predictions for selected rows of a feature matrix. */
export function predictRows(model: FittedModel, m: FeatureMatrix, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length);
  if (model.kind === "affine") {
    for (let r = 0; r < rows.length; r++) {
      let acc = model.bias;
      for (let j = 0; j < m.d; j++) acc += model.weights[j] * m.x[rows[r] * m.d + j];
      out[r] = acc;
    }
    return out;
  }
  // Row by row, without materializing the design.
  const { width, index } = termIndex(model.terms, m.d);
  const z = new Float64Array(m.d + 1).fill(1);
  const p = model.terms.length;
  for (let r = 0; r < rows.length; r++) {
    standardizeRow(m.x, rows[r] * m.d, model, z);
    let acc = model.bias;
    for (let t = 0; t < p; t++) {
      let v = model.weights[t];
      for (let k = 0; k < width; k++) v *= z[index[t * width + k]];
      acc += v;
    }
    out[r] = acc;
  }
  return out;
}

export function predict(model: FittedModel, x: readonly (readonly number[])[]): number[] {
  if (model.kind === "affine") return x.map((row) => row.reduce((acc, v, j) => acc + model.weights[j] * v, model.bias));
  const design = polynomialDesign(x, model);
  return x.map((_, i) => {
    let acc = model.bias;
    for (let t = 0; t < design.p; t++) acc += model.weights[t] * design.values[i * design.p + t];
    return acc;
  });
}
