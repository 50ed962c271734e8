// Training is float64 arithmetic on sums of squares. One mistyped order of
// 1e300 makes a square that passes Number.MAX_VALUE, and every MSE, R² and
// interval built on it becomes ±Infinity or NaN: numbers that look like a
// result and are none. So a value too large to square and sum is named, with
// its customer, before any fitting, and anything that still comes out
// non-finite stops training instead of being written as a score.
import type { FeatureMatrix } from "./matrix.js";

export class NonFiniteError extends Error {
  override name = "NonFiniteError";
  constructor(
    message: string,
    /** The customer whose value is the cause, when one is. */
    readonly customerId?: string,
  ) {
    super(message);
  }
}

/** The largest magnitude whose square, summed over n values, stays finite. */
export function overflowBound(n: number): number {
  return Math.sqrt(Number.MAX_VALUE / Math.max(1, n));
}

export interface ExtremeValue {
  customerId: string;
  column: string;
  value: number;
}

/** The input (feature or target) of largest magnitude; a non-finite one first. */
export function mostExtremeValue(m: FeatureMatrix): ExtremeValue | null {
  let best: ExtremeValue | null = null;
  let bestSize = -1;
  const consider = (i: number, column: string, value: number) => {
    const size = Number.isNaN(value) ? Infinity : Math.abs(value);
    if (size > bestSize) {
      bestSize = size;
      best = { customerId: m.customerIds[i], column, value };
    }
  };
  for (let i = 0; i < m.n; i++) {
    consider(i, m.target, m.y[i]);
    for (let j = 0; j < m.d; j++) consider(i, m.featureNames[j], m.x[i * m.d + j]);
  }
  return best;
}

/** Refuse a matrix holding a non-finite value or one whose square, summed over the customers, overflows. */
export function checkInputRange(m: FeatureMatrix): void {
  const e = mostExtremeValue(m);
  if (!e) return;
  const bound = overflowBound(m.n);
  if (Number.isFinite(e.value) && Math.abs(e.value) <= bound) return;
  const why = Number.isFinite(e.value)
    ? `beyond ±${bound.toExponential(2)}, the largest value whose square summed over ${m.n} customers is still a finite float`
    : "not a finite number (the customer's orders sum past the largest float)";
  throw new NonFiniteError(
    `customer ${JSON.stringify(e.customerId)} has ${e.column} = ${e.value}, ${why}: every score would be ±Infinity or NaN. ` +
      "Check that customer's orders in the log (a mistyped amount?)",
    e.customerId,
  );
}

/** The first number in `value` (objects and arrays, walked in order) that is NaN or ±Infinity, with its path. */
export function firstNonFinite(value: unknown, path = ""): { path: string; value: number } | null {
  if (typeof value === "number") return Number.isFinite(value) ? null : { path, value };
  if (value === null || typeof value !== "object") return null;
  const isArray = Array.isArray(value) || ArrayBuffer.isView(value);
  for (const [key, child] of Object.entries(value)) {
    const found = firstNonFinite(child, isArray ? `${path}[${key}]` : path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return null;
}

/** Stop when any number of a training result is not finite, naming it and the most extreme input. */
export function checkFiniteResult(result: Record<string, unknown>, m: FeatureMatrix): void {
  const found = firstNonFinite(result);
  if (!found) return;
  const e = mostExtremeValue(m);
  throw new NonFiniteError(
    `training gave ${found.path} = ${found.value}, not a finite number, so no score of this run is one. ` +
      (e
        ? `The input of largest magnitude is customer ${JSON.stringify(e.customerId)}'s ${e.column} = ${e.value}: check that customer's orders in the log`
        : ""),
    e?.customerId,
  );
}
