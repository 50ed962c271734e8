// Regression metrics over plain or typed arrays, in one pass for the errors
// and one for the target's spread (two passes keep SST exact enough).

export interface Metrics {
  r2: number | null; // null when the targets are constant (R² undefined)
  mse: number;
  mae: number;
  n: number;
}

export function regressionMetrics(actual: ArrayLike<number>, predicted: ArrayLike<number>): Metrics {
  const n = actual.length;
  if (n !== predicted.length || n === 0) throw new RangeError(`metrics need equal, non-empty vectors (got ${n} and ${predicted.length})`);
  let sse = 0;
  let sae = 0;
  let sum = 0;
  let constant = true;
  for (let i = 0; i < n; i++) {
    const e = predicted[i] - actual[i];
    sse += e * e;
    sae += Math.abs(e);
    sum += actual[i];
    if (actual[i] !== actual[0]) constant = false;
  }
  const mean = sum / n;
  let sst = 0;
  for (let i = 0; i < n; i++) sst += (actual[i] - mean) ** 2;
  return { r2: constant || sst === 0 ? null : 1 - sse / sst, mse: sse / n, mae: sae / n, n };
}
