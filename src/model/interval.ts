// Mean, spread and a 95% interval of a score over repeated train/test splits.
//
// The splits' training sets overlap, so their scores are correlated and the
// plain t interval (sd/√J) is too narrow. We widen it with the Nadeau–Bengio
// correction for repeated random splits (Machine Learning 52, 2003):
// Var(mean) ≈ (1/J + n_test/n_train)·s², with the t quantile for J − 1
// degrees of freedom.

/** Two-sided 95% quantiles t(0.975; df) for df = 1…30 (standard tables). */
const T975 = [
  12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.306, 2.2622, 2.2281, 2.201, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.093, 2.086,
  2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
];

/** t(0.975; df) from the table up to 30, beyond by the Cornish–Fisher expansion (Abramowitz & Stegun 26.7.5). */
export function tQuantile975(df: number): number {
  if (!(Number.isInteger(df) && df >= 1)) throw new RangeError(`degrees of freedom must be a positive integer, got ${df}`);
  return df <= T975.length ? T975[df - 1] : cornishFisher975(df);
}

export function cornishFisher975(df: number): number {
  const z = 1.959963984540054;
  const z3 = z ** 3,
    z5 = z ** 5,
    z7 = z ** 7;
  return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3);
}

export interface ScoreSpread {
  mean: number;
  /** Sample standard deviation over the splits (J − 1). */
  sd: number;
  /** 95% interval of the mean, Nadeau–Bengio corrected; for a non-negative metric its lower end is at least 0. */
  ci95: [number, number];
  /** True when the lower end was raised to the metric's floor (0 for MSE and MAE). */
  truncated: boolean;
  min: number;
  max: number;
  /** Splits with a defined value. */
  n: number;
}

/**
 * ScoreSpread of per-split scores; testTrainRatio is n_test/n_train of the splits. Needs two values or more.
 * `floor` is the least value the metric can take (0 for MSE and MAE): the symmetric t interval can reach
 * below it when the spread is wide, and a negative squared error is no possible value, so the lower end is
 * truncated there. Truncation rather than an interval on the log scale: it keeps the interval for the mean
 * that the mean ± sd beside it describes, and changes nothing where the interval stays above 0.
 */
export function spreadOf(values: readonly number[], testTrainRatio: number, floor = -Infinity): ScoreSpread {
  const n = values.length;
  if (n < 2) throw new RangeError(`a spread needs at least 2 splits, got ${n}`);
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  const half = tQuantile975(n - 1) * sd * Math.sqrt(1 / n + testTrainRatio);
  const truncated = mean - half < floor;
  return { mean, sd, ci95: [truncated ? floor : mean - half, mean + half], truncated, min: Math.min(...values), max: Math.max(...values), n };
}
