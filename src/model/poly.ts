// Polynomial features over standardized, clipped inputs: the exact float
// counterpart of the polynomial kind in spec/FORMAT.md.
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
  const p = s.terms.length;
  const values = new Float64Array(x.length * p);
  const z = new Float64Array(d);
  x.forEach((row, i) => {
    for (let j = 0; j < d; j++) z[j] = Math.min(s.zClip, Math.max(-s.zClip, (row[j] - s.mean[j]) / s.std[j]));
    s.terms.forEach((term, t) => {
      let m = 1;
      for (const j of term) m *= z[j];
      values[i * p + t] = m;
    });
  });
  return { n: x.length, p, values };
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
