// Polynomial features over standardized, clipped inputs: the exact float
// counterpart of the polynomial kind in spec/FORMAT.md.
import type { FeatureMatrix } from "./matrix.js";
import type { Design } from "./ridge.js";
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
  const flat = new Float64Array(x.length * d);
  x.forEach((row, i) => row.forEach((v, j) => (flat[i * d + j] = v)));
  return polynomialDesignOfRows(flat, d, Int32Array.from(x.keys()), s);
}

/** The same over selected rows of a row-major matrix with d columns. */
export function polynomialDesignOfRows(x: Float64Array, d: number, rows: ArrayLike<number>, s: Standardizer): Design {
  const p = s.terms.length;
  const values = new Float64Array(rows.length * p);
  // Terms as flat index lists padded with index d, where z holds a constant 1.
  const width = Math.max(...s.terms.map((t) => t.length));
  const index = new Int32Array(p * width).fill(d);
  s.terms.forEach((term, t) => term.forEach((j, k) => (index[t * width + k] = j)));
  const z = new Float64Array(d + 1);
  z[d] = 1;
  for (let r = 0; r < rows.length; r++) {
    const off = rows[r] * d;
    for (let j = 0; j < d; j++) z[j] = Math.min(s.zClip, Math.max(-s.zClip, (x[off + j] - s.mean[j]) / s.std[j]));
    for (let t = 0; t < p; t++) {
      let m = 1;
      for (let k = 0; k < width; k++) m *= z[index[t * width + k]];
      values[r * p + t] = m;
    }
  }
  return { n: rows.length, p, values };
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
  const design = polynomialDesignOfRows(m.x, m.d, rows, model);
  for (let r = 0; r < rows.length; r++) {
    let acc = model.bias;
    for (let t = 0; t < design.p; t++) acc += model.weights[t] * design.values[r * design.p + t];
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
