// Per-customer features over the calibration window (before the cutoff), and
// the target: what the customer spends in the horizon after it, read straight
// from the log (winsorizing touches features only).
import pl from "nodejs-polars";
import { type CalendarWindow, DAY_MS, calendarWindow } from "./window.js";
import { type WinsorizeReport, winsorizeFeatures } from "./winsorize.js";

export interface FeatureOptions {
  /** UTC midnight; defaults to the start of the last horizonDays calendar days of the log. */
  cutoff?: Date;
  horizonDays: number;
  /** k of the far fence Q3 + k·IQR that caps monetary features; null keeps them raw. */
  winsorizeIqr: number | null;
}

export const DEFAULT_FEATURES: FeatureOptions = { horizonDays: 90, winsorizeIqr: 3 };

/** Where every valid transaction went, and the spend that must add up. */
export interface WindowSummary extends CalendarWindow {
  calibrationTransactions: number;
  horizonTransactions: number;
  /** After the horizon's end (only with an explicit cutoff whose horizon ends before the log does): in neither window. */
  afterHorizonTransactions: number;
  calibrationSpend: number;
  horizonSpend: number;
  /** Horizon spend of customers with no calibration purchase (not in the table: nothing to predict from). */
  horizonSpendNewCustomers: number;
  /** Sum of the target column: horizonSpend − horizonSpendNewCustomers. */
  targetSum: number;
}

export interface FeatureTable {
  /** One row per customer active before the cutoff: customer_id, features, descriptive columns, target. */
  frame: pl.DataFrame;
  /** The model inputs, in order. */
  featureNames: string[];
  target: string;
  cutoff: Date;
  calibrationStart: Date;
  horizonEnd: Date;
  window: WindowSummary;
  winsorizing: WinsorizeReport;
  /** Customers with at least one purchase in the horizon. */
  returningCustomers: number;
}

export class FeatureError extends Error {
  override name = "FeatureError";
}

/** Column definitions (for the README, notebooks and reports). */
export const FEATURE_DOC: Record<string, string> = {
  frequency: "purchases (transactions) in the calibration window; the models use this one",
  repeat_purchase_days: "distinct purchase days minus one (BG/NBD and `lifetimes` frequency); in the table, not a model input",
  monetary_total: "total spend in the calibration window (winsorized)",
  monetary_mean: "mean spend per purchase (winsorized)",
  recency_days: "days from the last purchase to the cutoff",
  tenure_days: "days from the first purchase to the cutoff",
  mean_unit_price: "mean unit price paid",
  mean_discount_pct: "mean discount, percent",
};

export function targetName(horizonDays: number): string {
  return `spend_${horizonDays}_days`;
}

export function computeFeatures(transactions: pl.DataFrame, options: Partial<FeatureOptions> = {}): FeatureTable {
  const { horizonDays, winsorizeIqr } = { ...DEFAULT_FEATURES, ...options };
  if (transactions.height === 0) throw new FeatureError("no valid transactions to compute features from");
  const span = transactions.select(pl.col("ts_ms").min().alias("first"), pl.col("ts_ms").max().alias("last"));
  const window = calendarWindow(span.getColumn("first").get(0) as number, span.getColumn("last").get(0) as number, { cutoff: options.cutoff, horizonDays });
  const cutoffMs = window.cutoff.getTime();
  const horizonEndMs = window.horizonEnd.getTime();
  const has = (c: string) => transactions.columns.includes(c);

  const inCalibration = pl.col("ts_ms").lt(cutoffMs);
  const inHorizon = pl.col("ts_ms").gtEq(cutoffMs).and(pl.col("ts_ms").lt(horizonEndMs));
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
  // Not a model input: on logs with times of day it is nearly frequency − 1, which would make OLS ill-conditioned.
  const repeatDays = pl.col("ts_ms").div(DAY_MS).floor().nUnique().sub(1).cast(pl.Float64).alias("repeat_purchase_days");

  // Filter, then plain aggregations (a filter inside agg runs per group: slower); the horizon's spend straight from the log.
  const target = targetName(horizonDays);
  const calibration = transactions
    .lazy()
    .filter(inCalibration)
    .groupBy("customer_id")
    .agg(...features.map(([name, e]) => e.alias(name)), repeatDays);
  const future = transactions.lazy().filter(inHorizon).groupBy("customer_id").agg(pl.col("amount").sum().alias(target));
  const known = calibration.join(future, { on: "customer_id", how: "left" }).withColumns(pl.col(target).fillNull(0)).sort("customer_id").collectSync();
  const winsorized = winsorizeFeatures(known, winsorizeIqr);
  const frame = winsorized.frame.select("customer_id", ...featureNames, "repeat_purchase_days", target);
  // Winsorizing is the one choice made after aggregation: it must leave every target as the log has it.
  const targetCustomersTouched = frame
    .select(pl.col(target).neq(known.getColumn(target)).sum().alias("n"))
    .getColumn("n")
    .get(0) as number;

  const spendIn = (inWindow: pl.Expr) => pl.col("amount").filter(inWindow).sum();
  const totals = transactions
    .select(
      inCalibration.sum().alias("calibrationTransactions"),
      inHorizon.sum().alias("horizonTransactions"),
      pl.col("ts_ms").gtEq(horizonEndMs).sum().alias("afterHorizonTransactions"),
      spendIn(inCalibration).alias("calibrationSpend"),
      spendIn(inHorizon).alias("horizonSpend"),
    )
    .toRecords()[0] as Record<string, number>;
  const targetSum = Number(frame.getColumn(target).sum());
  const horizonSpendNewCustomers = Number(totals.horizonSpend) - targetSum;
  const summary: WindowSummary = {
    ...window,
    calibrationTransactions: Number(totals.calibrationTransactions),
    horizonTransactions: Number(totals.horizonTransactions),
    afterHorizonTransactions: Number(totals.afterHorizonTransactions),
    calibrationSpend: Number(totals.calibrationSpend),
    horizonSpend: Number(totals.horizonSpend),
    horizonSpendNewCustomers,
    targetSum,
  };
  return {
    frame,
    featureNames,
    target,
    cutoff: window.cutoff,
    calibrationStart: window.firstTransaction,
    horizonEnd: window.horizonEnd,
    window: summary,
    winsorizing: { ...winsorized.report, targetCustomersTouched: Number(targetCustomersTouched) },
    returningCustomers: frame.filter(pl.col(target).gt(0)).height,
  };
}

/** Feature columns as row vectors and the target as a vector, for the models. */
export function toMatrix(table: FeatureTable): { x: number[][]; y: number[]; customerIds: string[] } {
  const columns = table.featureNames.map((c) => table.frame.getColumn(c).toArray() as number[]);
  const y = (table.frame.getColumn(table.target).toArray() as number[]).map(Number);
  const x = y.map((_, i) => columns.map((col) => Number(col[i])));
  return { x, y, customerIds: table.frame.getColumn("customer_id").toArray() as string[] };
}
