// Regression metrics; simple-statistics does the summing.
import { mean, sumNthPowerDeviations } from "simple-statistics";

export interface Metrics {
  r2: number | null; // null when the targets are constant (R² undefined)
  mse: number;
  mae: number;
  n: number;
}

export function regressionMetrics(actual: readonly number[], predicted: readonly number[]): Metrics {
  if (actual.length !== predicted.length || actual.length === 0)
    throw new RangeError(`metrics need equal, non-empty vectors (got ${actual.length} and ${predicted.length})`);
  const errors = actual.map((y, i) => predicted[i] - y);
  const sse = errors.reduce((s, e) => s + e * e, 0);
  const sst = sumNthPowerDeviations(actual as number[], 2);
  return {
    r2: sst === 0 ? null : 1 - sse / sst,
    mse: sse / actual.length,
    mae: mean(errors.map(Math.abs)),
    n: actual.length,
  };
}
