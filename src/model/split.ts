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

export function customerOrder(customerIds: readonly string[], sortedRows?: ArrayLike<number>): CustomerOrder {
  const presorted = sortedRows && orderIfSortedUnique(customerIds, sortedRows);
  if (presorted) return presorted;
  const unique = [...new Set(customerIds)].sort();
  const index = new Map(unique.map((id, i) => [id, i]));
  return { unique, idOfRow: Int32Array.from(customerIds, (id) => index.get(id)!) };
}

/**
 * The order from a candidate sort of the rows (e.g. polars' native argsort),
 * accepted only if it is strictly increasing under JavaScript's string order,
 * so the split is the same as with Array.prototype.sort; else null.
 */
function orderIfSortedUnique(customerIds: readonly string[], sortedRows: ArrayLike<number>): CustomerOrder | null {
  const n = customerIds.length;
  if (sortedRows.length !== n) return null;
  const unique = new Array<string>(n);
  const idOfRow = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const row = sortedRows[i];
    unique[i] = customerIds[row];
    idOfRow[row] = i;
    if (i > 0 && !(unique[i - 1] < unique[i])) return null; // a duplicate or another collation: sort in JS
  }
  return { unique, idOfRow };
}

/** How many of n customers a split puts in the test set: at least one. */
export function testCount(n: number, testFraction: number): number {
  return Math.max(1, Math.round(n * testFraction));
}

/** Indices of rows, split by customer id so the split does not depend on row order. */
export function splitByCustomer(customerIds: readonly string[] | CustomerOrder, testFraction: number, seed: number): Split {
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`test fraction must be in (0, 1), got ${testFraction}`);
  const order = Array.isArray(customerIds) ? customerOrder(customerIds) : (customerIds as CustomerOrder);
  const shuffled = new Rng(seed).shuffle(Array.from(order.unique.keys()));
  const nTest = testCount(order.unique.length, testFraction);
  const isTest = new Uint8Array(order.unique.length);
  for (let i = 0; i < nTest; i++) isTest[shuffled[i]] = 1;
  const split: Split = { train: [], test: [] };
  const { idOfRow } = order;
  for (let i = 0; i < idOfRow.length; i++) (isTest[idOfRow[i]] ? split.test : split.train).push(i);
  if (split.train.length === 0) throw new RangeError("split leaves no training rows");
  return split;
}

/** Assign each of n rows to one of k folds, seeded. */
export function kFolds(n: number, k: number, seed: number): number[] {
  if (k < 2 || k > n) throw new RangeError(`need 2 ≤ k ≤ n for k-fold, got k=${k}, n=${n}`);
  const order = new Rng(seed).shuffle(Array.from({ length: n }, (_, i) => i));
  const fold = new Array<number>(n);
  for (const [i, row] of order.entries()) fold[row] = i % k;
  return fold;
}
