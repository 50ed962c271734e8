// The feature table as typed arrays: one row-major Float64Array of features
// and one of targets. Training loops over these instead of a JS array per
// customer (the polars → JS row conversion was most of the old training time).
import pl from "nodejs-polars";
import type { FeatureTable } from "../data/features.js";
import { type CustomerOrder, customerOrder } from "./split.js";

export interface FeatureMatrix {
  n: number;
  d: number;
  /** n×d, row-major. */
  x: Float64Array;
  y: Float64Array;
  customerIds: string[];
  featureNames: string[];
  target: string;
}

/** Rows of d numbers as one row-major typed array. */
export function rowMajor(x: readonly (readonly number[])[], d: number): Float64Array {
  const flat = new Float64Array(x.length * d);
  for (let i = 0; i < x.length; i++) flat.set(x[i], i * d);
  return flat;
}

export function featureMatrix(table: FeatureTable): FeatureMatrix {
  const frame = table.frame;
  const d = table.featureNames.length;
  const n = frame.height;
  const column = (name: string) => frame.getColumn(name).cast(pl.Float64).toTypedArray() as Float64Array;
  const x = new Float64Array(n * d);
  table.featureNames.forEach((name, j) => {
    const col = column(name);
    for (let i = 0; i < n; i++) x[i * d + j] = col[i];
  });
  const ids = frame.getColumn("customer_id");
  const customerIds = (ids.toArray() as unknown[]).map(String);
  const m: FeatureMatrix = { n, d, x, y: Float64Array.from(column(table.target)), customerIds, featureNames: table.featureNames, target: table.target };
  // polars sorts the ids natively; customerOrder checks the result against JavaScript's order.
  if (ids.dtype.equals(pl.String)) orders.set(m, customerOrder(customerIds, ids.argSort().toTypedArray() as Uint32Array));
  return m;
}

/** A matrix from plain rows (tests, notebooks). */
export function matrixOfRows(
  x: readonly (readonly number[])[],
  y: readonly number[],
  featureNames: string[],
  target = "y",
  customerIds?: string[],
): FeatureMatrix {
  const d = featureNames.length;
  const flat = rowMajor(x, d);
  return { n: x.length, d, x: flat, y: Float64Array.from(y), customerIds: customerIds ?? x.map((_, i) => `c${i}`), featureNames, target };
}

/** Plain rows of the selected customers (what the export and the plots take). */
export function rowsOf(m: FeatureMatrix, rows: ArrayLike<number>): { x: number[][]; y: number[]; customerIds: string[] } {
  const x: number[][] = new Array(rows.length);
  const y: number[] = new Array(rows.length);
  const customerIds: string[] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    x[r] = Array.from(m.x.subarray(i * m.d, (i + 1) * m.d));
    y[r] = m.y[i];
    customerIds[r] = m.customerIds[i];
  }
  return { x, y, customerIds };
}

const orders = new WeakMap<FeatureMatrix, CustomerOrder>();

/** The matrix's customer order, sorted once and reused by every split. */
export function orderOf(m: FeatureMatrix): CustomerOrder {
  let order = orders.get(m);
  if (!order) {
    order = customerOrder(m.customerIds);
    orders.set(m, order);
  }
  return order;
}
