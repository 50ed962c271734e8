// Outliers are handled in the features, never in the target: a customer's
// monetary features are capped at Tukey's far fence on the log scale,
// exp(Q3 + k·IQR of ln value) over the calibration customers. Spend is
// right-skewed, so a fence on raw dollars would cap the natural tail (on the
// default data k = 3 capped 6 % of customers and a fifth of the dollars, and
// cost the linear model R²); on the log scale it catches only gross
// extremes (a mistyped $1,000,000 order) that would dominate a linear fit.
// What anyone spends in the horizon stays exactly what the log says.
import pl from "nodejs-polars";

/** The monetary features winsorizing applies to. */
export const WINSORIZED_FEATURES = ["monetary_total", "monetary_mean"] as const;

export interface WinsorizedFeature {
  feature: string;
  /** Upper fence exp(Q3 + k·IQR of ln value), in dollars; values above it were set to it. */
  fence: number;
  customers: number;
  /** Sum over capped customers of (value − fence), in dollars. */
  dollarsRemoved: number;
}

export interface WinsorizeReport {
  /** k of the fence; null: winsorizing off. */
  iqrMultiplier: number | null;
  features: WinsorizedFeature[];
  /** Customers with at least one feature capped. */
  customersTouched: number;
  /** Customers whose target differs from the log's horizon spend: 0 by construction, and checked. */
  targetCustomersTouched: number;
}

export function winsorizeFeatures(
  frame: pl.DataFrame,
  iqrMultiplier: number | null,
): { frame: pl.DataFrame; report: Omit<WinsorizeReport, "targetCustomersTouched"> } {
  if (iqrMultiplier === null || frame.height === 0) return { frame, report: { iqrMultiplier, features: [], customersTouched: 0 } };
  if (!(iqrMultiplier >= 0)) throw new RangeError(`the winsorizing IQR multiplier must be ≥ 0, got ${iqrMultiplier}`);
  const present = WINSORIZED_FEATURES.filter((f) => frame.columns.includes(f));
  // Cleaning keeps only positive amounts, so every monetary feature has a logarithm.
  const ln = (f: string) => pl.col(f).log(Math.E);
  const q = frame.select(...present.flatMap((f) => [ln(f).quantile(0.25).alias(`${f}_q1`), ln(f).quantile(0.75).alias(`${f}_q3`)]));
  const fences = present.map((f) => {
    const [q1, q3] = [q.getColumn(`${f}_q1`).get(0) as number, q.getColumn(`${f}_q3`).get(0) as number];
    return { feature: f, fence: Math.exp(q3 + iqrMultiplier * (q3 - q1)) };
  });
  const over = (f: { feature: string; fence: number }) => pl.col(f.feature).gt(f.fence);
  const stats = frame.select(
    ...fences.flatMap((f) => [
      over(f).sum().alias(`${f.feature}_n`),
      pl.when(over(f)).then(pl.col(f.feature).sub(f.fence)).otherwise(pl.lit(0)).sum().alias(`${f.feature}_excess`),
    ]),
    fences
      .map(over)
      .reduce((a, b) => a.or(b))
      .sum()
      .alias("touched"),
  );
  const features = fences.map((f) => ({
    ...f,
    customers: Number(stats.getColumn(`${f.feature}_n`).get(0)),
    dollarsRemoved: Number(stats.getColumn(`${f.feature}_excess`).get(0)),
  }));
  const capped = frame.withColumns(...fences.map((f) => pl.when(over(f)).then(pl.lit(f.fence)).otherwise(pl.col(f.feature)).alias(f.feature)));
  return { frame: capped, report: { iqrMultiplier, features, customersTouched: Number(stats.getColumn("touched").get(0)) } };
}
