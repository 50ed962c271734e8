// Seeded train/test split by customer: a customer's row is in one side only.
import { Rng } from "../util/rng.js";

export interface Split {
  train: number[];
  test: number[];
}

/** Indices of rows, split by customer id so the split does not depend on row order. */
export function splitByCustomer(customerIds: readonly string[], testFraction: number, seed: number): Split {
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`test fraction must be in (0, 1), got ${testFraction}`);
  const unique = [...new Set(customerIds)].sort();
  new Rng(seed).shuffle(unique);
  const nTest = Math.max(1, Math.round(unique.length * testFraction));
  const testIds = new Set(unique.slice(0, nTest));
  const split: Split = { train: [], test: [] };
  customerIds.forEach((id, i) => (testIds.has(id) ? split.test : split.train).push(i));
  if (split.train.length === 0) throw new RangeError("split leaves no training rows");
  return split;
}

/** Assign each of n rows to one of k folds, seeded. */
export function kFolds(n: number, k: number, seed: number): number[] {
  if (k < 2 || k > n) throw new RangeError(`need 2 ≤ k ≤ n for k-fold, got k=${k}, n=${n}`);
  const order = new Rng(seed).shuffle(Array.from({ length: n }, (_, i) => i));
  const fold = new Array<number>(n);
  order.forEach((row, i) => (fold[row] = i % k));
  return fold;
}
