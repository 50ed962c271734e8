// Float model / test set → the fixed-point objects of spec/FORMAT.md.
import type { FittedModel } from "../model/types.js";
import { checkFracBits, quantize } from "./fixed-point.js";
import type { QuantizedModel, QuantizedTestSet } from "./format.js";
import { validateModel } from "./format.js";

export function quantizeModel(model: FittedModel, fracBits: number): QuantizedModel {
  checkFracBits(fracBits);
  const q = (v: number, what: string) => quantize(v, fracBits, `model ${model.family} ${what}`);
  const name = (j: number) => model.featureNames[j] ?? `feature ${j}`;
  const weights = model.weights.map((w, t) => q(w, `weight of term ${t}`));
  const bias = q(model.bias, "bias");
  let quantized: QuantizedModel;
  if (model.kind === "affine") {
    quantized = {
      kind: "affine",
      fracBits,
      nFeatures: model.weights.length,
      zClip: 0n,
      bias,
      mean: [],
      invStd: [],
      terms: model.weights.map((_, j) => [j]),
      weights,
    };
  } else {
    quantized = {
      kind: "polynomial",
      fracBits,
      nFeatures: model.mean.length,
      zClip: q(model.zClip, "z_clip"),
      bias,
      mean: model.mean.map((m, j) => q(m, `mean of ${name(j)}`)),
      invStd: model.std.map((s, j) => q(1 / s, `1/std of ${name(j)}`)),
      terms: model.terms.map((t) => [...t]),
      weights,
    };
  }
  validateModel(quantized);
  return quantized;
}

/**
 * Quantize a test set (features + target per row). An unrepresentable value
 * is an error naming its row (1-based), customer (when ids are given) and
 * column, never a silent clamp.
 */
export function quantizeTestSet(
  x: readonly (readonly number[])[],
  y: readonly number[],
  fracBits: number,
  columns: readonly string[],
  customerIds?: readonly string[],
): QuantizedTestSet {
  checkFracBits(fracBits);
  if (x.length !== y.length) throw new Error(`test set has ${x.length} feature rows but ${y.length} targets`);
  const d = x[0]?.length ?? columns.length;
  const rows = new Int32Array(x.length * (d + 1));
  x.forEach((row, i) => {
    if (row.length !== d) throw new Error(`test-set row ${i + 1} has ${row.length} features, expected ${d}`);
    const base = i * (d + 1);
    const where = `test-set row ${i + 1}${customerIds ? ` (customer ${JSON.stringify(customerIds[i])})` : ""}`;
    for (const [j, v] of row.entries()) rows[base + j] = Number(quantize(v, fracBits, `${where}, column ${columns[j]}`));
    rows[base + d] = Number(quantize(y[i], fracBits, `${where}, column ${columns[d] ?? "target"}`));
  });
  return { fracBits, nFeatures: d, nSamples: x.length, rows };
}
