// Guest inputs of a chosen size n: the exported test set's rows, drawn with a
// seeded generator (with replacement once n exceeds the test set). Cycle
// counts and proving costs depend on n and the model, not on the values.
import type { Dataset } from "../model/train.js";
import type { FittedModel } from "../model/types.js";
import { Rng } from "../util/rng.js";
import { buildExport } from "../export/write.js";

export function resample(test: Dataset, n: number, seed: number): Dataset {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`sample count must be a positive integer, got ${n}`);
  const rng = new Rng(seed);
  const pick = Array.from({ length: n }, (_, i) => (n <= test.y.length ? i : rng.int(0, test.y.length - 1)));
  return { x: pick.map((i) => test.x[i]), y: pick.map((i) => test.y[i]), customerIds: pick.map((i) => test.customerIds[i]) };
}

export function sizedInput(model: FittedModel, test: Dataset, target: string, n: number, fracBits: number, seed = 1) {
  return buildExport(model, resample(test, n, seed), target, fracBits);
}
