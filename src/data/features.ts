// Per-customer features over a calibration window ending at a cutoff, and the
// target: what the customer spends in the horizon after it.
import pl from "nodejs-polars";

const DAY_MS = 86_400_000;

export interface FeatureOptions {
  /** Defaults to horizonDays before the last transaction. */
  cutoff?: Date;
  horizonDays: number;
}

export const DEFAULT_FEATURES: FeatureOptions = { horizonDays: 90 };

export interface FeatureTable {
  /** One row per customer active before the cutoff: customer_id, features, target. */
  frame: pl.DataFrame;
  featureNames: string[];
  target: string;
  cutoff: Date;
  calibrationStart: Date;
  horizonEnd: Date;
  /** Customers with at least one purchase in the horizon. */
  returningCustomers: number;
}

export class FeatureError extends Error {
  override name = "FeatureError";
}

/** Feature definitions (for the README, notebooks and reports). */
export const FEATURE_DOC: Record<string, string> = {
  frequency: "purchases in the calibration window",
  monetary_total: "total spend in the calibration window",
  monetary_mean: "mean spend per purchase",
  recency_days: "days from the last purchase to the cutoff",
  tenure_days: "days from the first purchase to the cutoff",
  mean_unit_price: "mean unit price paid",
  mean_discount_pct: "mean discount, percent",
};

export function targetName(horizonDays: number): string {
  return `spend_${horizonDays}_days`;
}

export function computeFeatures(transactions: pl.DataFrame, options: Partial<FeatureOptions> = {}): FeatureTable {
  const { horizonDays } = { ...DEFAULT_FEATURES, ...options };
  if (!(horizonDays > 0)) throw new FeatureError(`horizon must be a positive number of days, got ${horizonDays}`);
  if (transactions.height === 0) throw new FeatureError("no valid transactions to compute features from");
  const span = transactions.select(pl.col("ts_ms").min().alias("first"), pl.col("ts_ms").max().alias("last"));
  const first = span.getColumn("first").get(0) as number;
  const last = span.getColumn("last").get(0) as number;
  const cutoffMs = options.cutoff ? options.cutoff.getTime() : last - horizonDays * DAY_MS;
  if (!Number.isFinite(cutoffMs)) throw new FeatureError(`cutoff ${options.cutoff} is not a valid date`);
  if (cutoffMs <= first)
    throw new FeatureError(`cutoff ${new Date(cutoffMs).toISOString()} is not after the first transaction ${new Date(first).toISOString()}: nothing to learn from`);
  const horizonEndMs = cutoffMs + horizonDays * DAY_MS;
  const has = (c: string) => transactions.columns.includes(c);

  const features: [string, pl.Expr][] = [
    ["frequency", pl.col("amount").count().cast(pl.Float64)],
    ["monetary_total", pl.col("amount").sum()],
    ["monetary_mean", pl.col("amount").mean()],
    ["recency_days", pl.lit(cutoffMs).sub(pl.col("ts_ms").max()).div(DAY_MS)],
    ["tenure_days", pl.lit(cutoffMs).sub(pl.col("ts_ms").min()).div(DAY_MS)],
  ];
  if (has("unit_price")) features.push(["mean_unit_price", pl.col("unit_price").mean()]);
  if (has("discount_pct")) features.push(["mean_discount_pct", pl.col("discount_pct").mean()]);
  const featureNames = features.map(([name]) => name);

  const target = targetName(horizonDays);
  const calibration = transactions.filter(pl.col("ts_ms").lt(cutoffMs)).groupBy("customer_id").agg(...features.map(([name, e]) => e.alias(name)));
  const future = transactions
    .filter(pl.col("ts_ms").gtEq(cutoffMs).and(pl.col("ts_ms").lt(horizonEndMs)))
    .groupBy("customer_id")
    .agg(pl.col("amount").sum().alias(target));
  const frame = calibration
    .join(future, { on: "customer_id", how: "left" })
    .withColumns(pl.col(target).fillNull(0))
    .sort("customer_id");
  const returning = frame.filter(pl.col(target).gt(0)).height;
  return {
    frame, featureNames, target, cutoff: new Date(cutoffMs), calibrationStart: new Date(first),
    horizonEnd: new Date(horizonEndMs), returningCustomers: returning,
  };
}

/** Feature columns as row vectors and the target as a vector, for the models. */
export function toMatrix(table: FeatureTable): { x: number[][]; y: number[]; customerIds: string[] } {
  const columns = table.featureNames.map((c) => table.frame.getColumn(c).toArray() as number[]);
  const y = (table.frame.getColumn(table.target).toArray() as number[]).map(Number);
  const x = y.map((_, i) => columns.map((col) => Number(col[i])));
  return { x, y, customerIds: table.frame.getColumn("customer_id").toArray() as string[] };
}
