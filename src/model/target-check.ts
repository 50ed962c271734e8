// What the target allows us to claim: a constant target has no R² (nothing
// to explain), and a mostly-zero target makes the mean predictor hard to beat.

export class ConstantTargetError extends Error {
  override name = "ConstantTargetError";
}

/** A target this share of zeros or more gets the zero-heavy warning. */
export const ZERO_HEAVY_SHARE = 0.9;

export interface TargetProfile {
  n: number;
  zeroShare: number;
  /** The plain warning for a zero-heavy target, else null. */
  warning: string | null;
}

export function profileTarget(y: ArrayLike<number>, target: string): TargetProfile {
  const n = y.length;
  if (n === 0) throw new ConstantTargetError(`no customers to train on (the ${target} table is empty)`);
  let zeros = 0;
  let constant = true;
  for (let i = 0; i < n; i++) {
    if (y[i] === 0) zeros++;
    if (y[i] !== y[0]) constant = false;
  }
  if (constant)
    throw new ConstantTargetError(
      `the target ${target} is ${y[0]} for all ${n} customers: R² is undefined and no model can be scored. ` +
        `Nobody's value differs (for spend, no customer bought in the horizon): use a longer log, another cutoff or a longer horizon.`,
    );
  const zeroShare = zeros / n;
  const pct = (100 * zeroShare).toFixed(1);
  return {
    n,
    zeroShare,
    warning:
      zeroShare >= ZERO_HEAVY_SHARE
        ? `warning: ${target} is 0 for ${pct}% of customers (${zeros} of ${n}). Most customers never come back within the horizon, so ` +
          `predicting the training mean is hard to beat: a test R² near 0 is the expected, honest result here, not a bug. ` +
          `Judge each model against the mean baseline and the spread over splits.`
        : null,
  };
}
