// Seeded train/test split by customer: a customer's row is in one side only.
import { Rng } from "../util/rng.js";

export interface Split {
  train: number[];
  test: number[];
}

/** The sorted distinct customer ids and, per row, the index of its id there: computed once, split many times. */
export interface CustomerOrder {
  unique: string[];
  idOfRow: Int32Array;
}

export function customerOrder(customerIds: readonly string[]): CustomerOrder {
  const unique = [...new Set(customerIds)].sort();
  const index = new Map(unique.map((id, i) => [id, i]));
  return { unique, idOfRow: Int32Array.from(customerIds, (id) => index.get(id)!) };
}

/** Indices of rows, split by customer id so the split does not depend on row order. */
export function splitByCustomer(customerIds: readonly string[] | CustomerOrder, testFraction: number, seed: number): Split {
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`test fraction must be in (0, 1), got ${testFraction}`);
  const order = Array.isArray(customerIds) ? customerOrder(customerIds) : (customerIds as CustomerOrder);
  const shuffled = new Rng(seed).shuffle(Array.from(order.unique.keys()));
  const nTest = Math.max(1, Math.round(order.unique.length * testFraction));
  const isTest = new Uint8Array(order.unique.length);
  for (let i = 0; i < nTest; i++) isTest[shuffled[i]] = 1;
  const split: Split = { train: [], test: [] };
  order.idOfRow.forEach((id, i) => (isTest[id] ? split.test : split.train).push(i));
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
